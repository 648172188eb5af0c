//! minisign signing keys: an office signs its enrollment and batches; central signs kits,
//! receipts and reference packs. Signatures are ordinary minisign text, so the standard
//! `minisign -V` checks them.

use std::fmt;
use std::io::{Cursor, Read};

use zeroize::Zeroizing;

use super::KeyError;

/// A minisign secret key. It lives inside an encrypted store and is only read to sign.
pub struct SigningKey {
    secret: Zeroizing<Vec<u8>>,
    public: PublicSigningKey,
}

impl SigningKey {
    pub fn generate() -> Result<SigningKey, KeyError> {
        let pair = minisign::KeyPair::generate_unencrypted_keypair()
            .map_err(|e| KeyError::Signature(e.to_string()))?;
        let public = PublicSigningKey::from_minisign(&pair.pk);
        Ok(SigningKey {
            secret: Zeroizing::new(pair.sk.to_bytes()),
            public,
        })
    }

    /// Rebuilds a key from the bytes [`Self::reveal_secret_bytes`] gave.
    pub fn from_secret_bytes(bytes: &[u8]) -> Result<SigningKey, KeyError> {
        let secret = minisign::SecretKey::from_bytes(bytes)
            .map_err(|e| KeyError::Signature(format!("stored signing key is damaged: {e}")))?;
        let public = minisign::PublicKey::from_secret_key(&secret)
            .map_err(|e| KeyError::Signature(format!("stored signing key is damaged: {e}")))?;
        Ok(SigningKey {
            secret: Zeroizing::new(bytes.to_vec()),
            public: PublicSigningKey::from_minisign(&public),
        })
    }

    /// The secret, to be kept in the encrypted store and nowhere else.
    pub fn reveal_secret_bytes(&self) -> &[u8] {
        &self.secret
    }

    pub fn public(&self) -> &PublicSigningKey {
        &self.public
    }

    /// Signs `data`; the trusted comment is covered by the signature and shown by `minisign`.
    pub fn sign(&self, data: &[u8], trusted_comment: &str) -> Result<String, KeyError> {
        self.sign_reader(Cursor::new(data), trusted_comment)
    }

    /// Signs what `data` reads, as [`Self::sign`] signs those bytes: what is signed need not
    /// be in one piece in memory.
    pub fn sign_reader(&self, data: impl Read, trusted_comment: &str) -> Result<String, KeyError> {
        let secret = minisign::SecretKey::from_bytes(&self.secret)
            .map_err(|e| KeyError::Signature(e.to_string()))?;
        let public = minisign::PublicKey::from_base64(&self.public.base64)
            .map_err(|e| KeyError::Signature(e.to_string()))?;
        let signature = minisign::sign(
            Some(&public),
            &secret,
            data,
            Some(trusted_comment),
            Some("signature from linea"),
        )
        .map_err(|e| KeyError::Signature(e.to_string()))?;
        Ok(signature.into_string())
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SigningKey({}, <redacted>)", self.public.key_id())
    }
}

/// A minisign public key, in the base64 form `minisign -P` takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicSigningKey {
    base64: String,
    key_id: String,
}

/// What a good signature tells: its trusted comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureCheck {
    pub trusted_comment: String,
}

impl PublicSigningKey {
    fn from_minisign(key: &minisign::PublicKey) -> PublicSigningKey {
        PublicSigningKey {
            base64: key.to_base64(),
            key_id: key_id(key.keynum()),
        }
    }

    pub fn from_base64(text: &str) -> Result<PublicSigningKey, KeyError> {
        let key = minisign::PublicKey::from_base64(text.trim())
            .map_err(|_| KeyError::BadPublicKey(text.trim().to_owned()))?;
        Ok(PublicSigningKey::from_minisign(&key))
    }

    pub fn as_base64(&self) -> &str {
        &self.base64
    }

    /// The key id minisign prints, 16 hex digits.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The public key file `minisign -V -p FILE` reads.
    pub fn to_minisign_file(&self) -> String {
        format!(
            "untrusted comment: minisign public key {}\n{}\n",
            self.key_id, self.base64
        )
    }

    /// Checks a minisign signature over `data`; legacy (non-prehashed) signatures are refused.
    pub fn verify(&self, data: &[u8], signature: &str) -> Result<SignatureCheck, KeyError> {
        let public = minisign::PublicKey::from_base64(&self.base64)
            .map_err(|e| KeyError::Signature(e.to_string()))?;
        let signature = minisign::SignatureBox::from_string(signature)
            .map_err(|_| KeyError::Signature("the signature is not minisign text".into()))?;
        if !signature.is_prehashed() {
            return Err(KeyError::Signature(
                "legacy minisign signature format; sign again with a current minisign".into(),
            ));
        }
        if signature.keynum() != public.keynum() {
            return Err(KeyError::Signature(format!(
                "signed by key {}, not by the expected key {}",
                key_id(signature.keynum()),
                self.key_id
            )));
        }
        minisign::verify(&public, &signature, Cursor::new(data), true, false, false)
            .map_err(|e| KeyError::Signature(e.to_string()))?;
        let trusted_comment = signature
            .trusted_comment()
            .map_err(|e| KeyError::Signature(e.to_string()))?;
        Ok(SignatureCheck { trusted_comment })
    }
}

fn key_id(keynum: &[u8]) -> String {
    // minisign prints the little-endian key number as one 64-bit hex number.
    keynum.iter().rev().map(|b| format!("{b:02X}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_verifies_and_carries_its_trusted_comment() {
        let key = SigningKey::generate().unwrap();
        let sig = key.sign(b"manifest", "office:ayacucho seq:3").unwrap();
        let check = key.public().verify(b"manifest", &sig).unwrap();
        assert_eq!(check.trusted_comment, "office:ayacucho seq:3");
    }

    #[test]
    fn altered_data_wrong_key_and_junk_are_refused() {
        let key = SigningKey::generate().unwrap();
        let other = SigningKey::generate().unwrap();
        let sig = key.sign(b"manifest", "c").unwrap();
        assert!(key.public().verify(b"manifesT", &sig).is_err());
        let err = other.public().verify(b"manifest", &sig).unwrap_err();
        assert!(err.to_string().contains("not by the expected key"), "{err}");
        assert!(key.public().verify(b"manifest", "hello").is_err());
    }

    #[test]
    fn secret_round_trips_through_bytes_and_never_prints() {
        let key = SigningKey::generate().unwrap();
        let again = SigningKey::from_secret_bytes(key.reveal_secret_bytes()).unwrap();
        assert_eq!(again.public(), key.public());
        let shown = format!("{key:?}");
        assert!(shown.contains("redacted"));
        assert!(!shown.contains(&hex::encode(key.reveal_secret_bytes())));
        let parsed = PublicSigningKey::from_base64(key.public().as_base64()).unwrap();
        assert_eq!(&parsed, key.public());
        assert_eq!(parsed.key_id().len(), 16);
    }
}
