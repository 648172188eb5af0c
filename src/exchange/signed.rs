//! A signed document: a JSON payload and the minisign signature over its exact bytes,
//! in one JSON file a person can read.
//!
//! ```json
//! {"format":"linea-signed/1","kind":"office-kit","payload":"{…}","signature":"untrusted comment: …"}
//! ```

use std::path::Path;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::rejection::{Rejection, Rule, reject};
use super::{ExchangeError, file};
use crate::keys::{PublicSigningKey, SigningKey};

const FORMAT: &str = "linea-signed/1";
/// Kits and enrollment files are a few kilobytes; anything far bigger is not one.
const MAX_SIZE: u64 = 64 * 1024;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope {
    format: String,
    kind: String,
    payload: String,
    signature: String,
}

/// A document read from a file but not yet verified: its payload is not parsed until its
/// signature is good, so nobody but the signer can make linea parse a large one.
#[derive(Debug)]
pub struct Unverified {
    kind: String,
    payload: String,
    signature: String,
}

impl Unverified {
    /// Checks the signature with `key`, then reads the payload: the value is trustworthy.
    pub fn check<T: DeserializeOwned>(self, key: &PublicSigningKey) -> Result<T, Rejection> {
        self.verify(key)?;
        self.value()
    }

    /// For a document that carries the key it is signed with (a kit, an enrollment file,
    /// both small): reads it, takes that key from it with `key_of`, and checks the signature.
    pub fn check_self_signed<T: DeserializeOwned>(
        self,
        key_of: impl FnOnce(&T) -> Result<PublicSigningKey, Rejection>,
    ) -> Result<T, Rejection> {
        let value = self.value()?;
        self.verify(&key_of(&value)?)?;
        Ok(value)
    }

    fn verify(&self, key: &PublicSigningKey) -> Result<(), Rejection> {
        key.verify(self.payload.as_bytes(), &self.signature)
            .map(|_| ())
            .map_err(|e| reject(Rule::Signature, format!("bad signature: {e}")))
    }

    fn value<T: DeserializeOwned>(&self) -> Result<T, Rejection> {
        serde_json::from_str(&self.payload)
            .map_err(|e| reject(Rule::Format, format!("malformed {}: {e}", self.kind)))
    }
}

/// A refusal of the file at `path`, in the words of its detail.
fn at(path: &Path) -> impl FnOnce(Rejection) -> ExchangeError + '_ {
    move |rejection| ExchangeError::rejected(path, rejection.detail)
}

/// Serialises `value` and signs it.
pub fn seal<T: Serialize>(
    kind: &str,
    value: &T,
    key: &SigningKey,
) -> Result<Vec<u8>, ExchangeError> {
    let payload = serde_json::to_string(value)
        .map_err(|e| ExchangeError::rejected(kind, format!("cannot serialise: {e}")))?;
    let signature = key.sign(payload.as_bytes(), &format!("linea {kind}"))?;
    let envelope = Envelope {
        format: FORMAT.into(),
        kind: kind.into(),
        payload,
        signature,
    };
    let mut bytes = serde_json::to_vec_pretty(&envelope)
        .map_err(|e| ExchangeError::rejected(kind, format!("cannot serialise: {e}")))?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Reads a signed file (a kit, an enrollment file) from `path`, bounded and without following
/// links, and checks its bytes with `check` (a `from_bytes` of the document's type): a
/// refusal names the file.
pub fn read<T>(
    path: &Path,
    check: impl FnOnce(&[u8]) -> Result<T, Rejection>,
) -> Result<T, ExchangeError> {
    let bytes = file::read(path, MAX_SIZE).map_err(at(path))?;
    check(&bytes).map_err(at(path))
}

/// Reads the envelope of a signed document of `kind` from bytes, leaving its payload unread.
pub fn from_bytes(bytes: &[u8], kind: &str) -> Result<Unverified, Rejection> {
    if bytes.len() as u64 > MAX_SIZE * 256 {
        return Err(reject(
            Rule::Size,
            format!("too big for a linea {kind} file"),
        ));
    }
    let envelope: Envelope = serde_json::from_slice(bytes)
        .map_err(|_| reject(Rule::Format, format!("not a linea {kind} file")))?;
    if envelope.format != FORMAT {
        return Err(reject(
            Rule::Format,
            format!("unknown format '{}'; update linea", envelope.format),
        ));
    }
    if envelope.kind != kind {
        return Err(reject(
            Rule::Format,
            format!(
                "this is a linea {} file, not a linea {kind} file",
                envelope.kind
            ),
        ));
    }
    Ok(Unverified {
        kind: envelope.kind,
        payload: envelope.payload,
        signature: envelope.signature,
    })
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Note {
        text: String,
    }

    #[test]
    fn a_sealed_document_reads_back_only_with_its_key_and_kind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("note.json");
        let key = SigningKey::generate().unwrap();
        let note = Note {
            text: "hola".into(),
        };
        fs::write(&path, seal("note", &note, &key).unwrap()).unwrap();
        let read_with = |key: &SigningKey| {
            read(&path, |bytes| {
                from_bytes(bytes, "note")?.check::<Note>(key.public())
            })
        };
        assert_eq!(read_with(&key).unwrap(), note);

        let other = SigningKey::generate().unwrap();
        let err = read_with(&other).unwrap_err();
        assert!(err.to_string().contains("bad signature"), "{err}");
        let err = from_bytes(&fs::read(&path).unwrap(), "office-kit").unwrap_err();
        assert_eq!(err.rule, Rule::Format);
        assert!(err.detail.contains("not a linea office-kit file"), "{err}");
    }

    #[test]
    fn an_altered_payload_fails_verification() {
        let key = SigningKey::generate().unwrap();
        let sealed = String::from_utf8(
            seal(
                "note",
                &Note {
                    text: "hola".into(),
                },
                &key,
            )
            .unwrap(),
        )
        .unwrap();
        let altered = from_bytes(sealed.replace("hola", "chau").as_bytes(), "note").unwrap();
        let err = altered.check::<Note>(key.public()).unwrap_err();
        assert_eq!(err.rule, Rule::Signature);
    }

    /// A payload nobody signed is never parsed: what it holds cannot make linea work, and
    /// its refusal is the signature's, not its format's.
    #[test]
    fn a_payload_is_parsed_only_once_its_signature_is_good() {
        let forger = SigningKey::generate().unwrap();
        let envelope = Envelope {
            format: FORMAT.into(),
            kind: "note".into(),
            payload: "[[[[ not a note".into(),
            signature: forger.sign(b"[[[[ not a note", "linea note").unwrap(),
        };
        let bytes = serde_json::to_vec(&envelope).unwrap();
        let central = SigningKey::generate().unwrap();
        let err = from_bytes(&bytes, "note")
            .unwrap()
            .check::<Note>(central.public())
            .unwrap_err();
        assert_eq!(err.rule, Rule::Signature, "{err}");
        let err = from_bytes(&bytes, "note")
            .unwrap()
            .check::<Note>(forger.public())
            .unwrap_err();
        assert_eq!(err.rule, Rule::Format, "{err}");
    }
}
