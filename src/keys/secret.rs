//! Secret values: wiped from memory when dropped, never printed, never cloned by accident.
//!
//! Like atuin's key types, these have no `Clone`, `Serialize` or derived `Debug`; reading one
//! takes a method whose name says what the caller is doing.

use std::fmt;

use age::secrecy::SecretString;
use rand::Rng;
use zeroize::{Zeroize, Zeroizing};

/// Shorter passphrases fall to a guessing attack on a stolen computer, scrypt or not;
/// every way of choosing one (the command line, the first-run screen) holds to this.
pub const MIN_PASSPHRASE_CHARS: usize = 10;

/// The 256-bit raw key SQLCipher opens a store with.
pub struct StoreKey([u8; 32]);

impl StoreKey {
    pub fn generate() -> StoreKey {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        StoreKey(bytes)
    }

    /// Parses the text form kept in a key file: 64 hexadecimal digits and nothing else.
    pub fn from_hex(text: &str) -> Option<StoreKey> {
        let text = text.trim();
        if text.len() != 64 {
            return None;
        }
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(text, &mut bytes).ok()?;
        Some(StoreKey(bytes))
    }

    /// The key as 64 hex digits, for a key file or SQLCipher's `PRAGMA key = "x'…'"`.
    pub fn reveal_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(hex::encode(self.0))
    }

    /// Whether `other` is the same key (a rewritten key file may hold the same key).
    pub fn same_as(&self, other: &StoreKey) -> bool {
        self.0 == other.0
    }

    /// A copy for a second connection; kept explicit so copies are easy to find.
    pub fn duplicate(&self) -> StoreKey {
        StoreKey(self.0)
    }
}

impl Drop for StoreKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for StoreKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StoreKey(<redacted>)")
    }
}

/// A passphrase typed by an operator.
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    pub fn new(text: String) -> Passphrase {
        Passphrase(Zeroizing::new(text))
    }

    /// Reads the first line of a passphrase file, without its line ending.
    pub fn from_file_contents(contents: Zeroizing<String>) -> Passphrase {
        let first = contents.lines().next().unwrap_or("");
        Passphrase::new(first.to_owned())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many characters it has, for the length rule.
    pub fn char_count(&self) -> usize {
        self.0.chars().count()
    }

    /// The form age's scrypt recipient and identity take.
    pub fn to_age_secret(&self) -> SecretString {
        SecretString::from(self.0.as_str().to_owned())
    }

    /// Compares two passphrases, as when a new one is typed twice.
    pub fn same_as(&self, other: &Passphrase) -> bool {
        *self.0 == *other.0
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_secrets() {
        let key = StoreKey::from_hex(&"ab".repeat(32)).unwrap();
        let passphrase = Passphrase::new("correct horse battery".into());
        let shown = format!("{key:?} {passphrase:?}");
        assert!(!shown.contains("abab"));
        assert!(!shown.contains("horse"));
        assert!(shown.contains("redacted"));
    }

    #[test]
    fn malformed_key_text_is_refused() {
        assert!(StoreKey::from_hex("").is_none());
        assert!(StoreKey::from_hex("abcd").is_none());
        assert!(StoreKey::from_hex(&"zz".repeat(32)).is_none());
        assert!(StoreKey::from_hex(&"ab".repeat(33)).is_none());
        let key = StoreKey::from_hex(&format!("{}\n", "0f".repeat(32))).unwrap();
        assert_eq!(*key.reveal_hex(), "0f".repeat(32));
    }

    #[test]
    fn generated_keys_differ() {
        assert_ne!(
            *StoreKey::generate().reveal_hex(),
            *StoreKey::generate().reveal_hex()
        );
    }
}
