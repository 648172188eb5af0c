//! Phone keys: the HMAC keys offices hash callers' numbers with, so that central can tell
//! two calls from the same number apart from the rest without the number travelling.
//!
//! Central makes them, numbers them ("1", "2", …) and hands the newest ones to offices in
//! their reference packs. A number's hash is HMAC-SHA256 under one key of its normalised
//! form ([`crate::model::phone::normalise`]): the same number typed two ways hashes the same.

use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use rand::Rng;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::Sha256;
use zeroize::{Zeroize, Zeroizing};

use crate::model::PhoneHash;

/// One key, with the id hashes name it by.
pub struct PhoneKey {
    id: String,
    key: [u8; 32],
}

impl PhoneKey {
    pub fn generate(id: &str) -> PhoneKey {
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        PhoneKey {
            id: id.to_owned(),
            key,
        }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// The hash of a normalised number under this key.
    pub fn hash(&self, number: &str) -> PhoneHash {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.key)
            .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
        mac.update(number.as_bytes());
        PhoneHash {
            key: self.id.clone(),
            hash: hex::encode(mac.finalize().into_bytes()),
        }
    }

    /// A copy, for a pack; kept explicit so copies are easy to find.
    fn duplicate(&self) -> PhoneKey {
        PhoneKey {
            id: self.id.clone(),
            key: self.key,
        }
    }
}

impl Drop for PhoneKey {
    fn drop(&mut self) {
        self.key.zeroize();
    }
}

impl fmt::Debug for PhoneKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PhoneKey({}, <redacted>)", self.id)
    }
}

/// Keys in the order they were made, oldest first: all those central made, or those a pack
/// gave an office. Kept in a store's secrets as [`PhoneKeys::to_text`]; travels in packs as
/// a list of the same lines.
#[derive(Default)]
pub struct PhoneKeys(Vec<PhoneKey>);

impl PhoneKeys {
    /// Reads "ID HEX" lines; `None` when one is malformed.
    pub fn from_text(text: &str) -> Option<PhoneKeys> {
        text.lines()
            .filter(|line| !line.trim().is_empty())
            .map(parse_line)
            .collect::<Option<Vec<_>>>()
            .map(PhoneKeys)
    }

    pub fn to_text(&self) -> Zeroizing<String> {
        let mut text = Zeroizing::new(String::new());
        for key in &self.0 {
            text.push_str(&key.id);
            text.push(' ');
            text.push_str(&hex::encode(key.key));
            text.push('\n');
        }
        text
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &PhoneKey> {
        self.0.iter()
    }

    /// Makes a new key, numbered after the last.
    pub fn rotate(&mut self) -> &PhoneKey {
        let next = self
            .0
            .iter()
            .filter_map(|k| k.id.parse::<u64>().ok())
            .max()
            .unwrap_or(0)
            + 1;
        self.0.push(PhoneKey::generate(&next.to_string()));
        &self.0[self.0.len() - 1]
    }

    /// The newest `count` keys, for a pack.
    pub fn newest(&self, count: usize) -> PhoneKeys {
        let from = self.0.len().saturating_sub(count);
        PhoneKeys(self.0[from..].iter().map(PhoneKey::duplicate).collect())
    }

    /// A normalised number's hash under every key.
    pub fn hashes(&self, number: &str) -> Vec<PhoneHash> {
        self.0.iter().map(|key| key.hash(number)).collect()
    }

    /// The ids, newest last: what a pack's version depends on, never the keys.
    pub fn ids(&self) -> Vec<&str> {
        self.0.iter().map(|k| k.id.as_str()).collect()
    }
}

fn parse_line(line: &str) -> Option<PhoneKey> {
    let (id, key_hex) = line.trim().split_once(' ')?;
    if !crate::model::phone::is_key_id(id) {
        return None;
    }
    let mut key = [0u8; 32];
    hex::decode_to_slice(key_hex, &mut key).ok()?;
    Some(PhoneKey {
        id: id.to_owned(),
        key,
    })
}

impl fmt::Debug for PhoneKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(&self.0).finish()
    }
}

/// Packs are cloned whole (they derive `Clone`); their keys with them.
impl Clone for PhoneKeys {
    fn clone(&self) -> PhoneKeys {
        PhoneKeys(self.0.iter().map(PhoneKey::duplicate).collect())
    }
}

impl PartialEq for PhoneKeys {
    fn eq(&self, other: &PhoneKeys) -> bool {
        *self.to_text() == *other.to_text()
    }
}

impl Eq for PhoneKeys {}

impl Serialize for PhoneKeys {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = self.to_text();
        serializer.collect_seq(text.lines())
    }
}

impl<'de> Deserialize<'de> for PhoneKeys {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<PhoneKeys, D::Error> {
        let lines = Zeroizing::new(Vec::<String>::deserialize(deserializer)?);
        lines
            .iter()
            .map(|line| parse_line(line))
            .collect::<Option<Vec<_>>>()
            .map(PhoneKeys)
            .ok_or_else(|| serde::de::Error::custom("a phone key is not \"ID HEX\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_number_hashes_the_same_under_one_key_and_differently_under_two() {
        let mut keys = PhoneKeys::default();
        keys.rotate();
        keys.rotate();
        let [first, second] = [&keys.0[0], &keys.0[1]];
        assert_eq!(first.hash("987654321"), first.hash("987654321"));
        assert_ne!(first.hash("987654321"), first.hash("987654322"));
        assert_ne!(first.hash("987654321").hash, second.hash("987654321").hash);
        assert_eq!(keys.ids(), ["1", "2"]);
        assert_eq!(first.hash("1").hash.len(), 64);
    }

    #[test]
    fn keys_read_back_as_written_and_never_show_in_debug() {
        let mut keys = PhoneKeys::default();
        keys.rotate();
        keys.rotate();
        keys.rotate();
        let text = keys.to_text();
        let read = PhoneKeys::from_text(&text).unwrap();
        assert_eq!(read, keys);
        assert_eq!(keys.newest(2).ids(), ["2", "3"]);
        let json = serde_json::to_string(&keys.newest(2)).unwrap();
        assert_eq!(
            serde_json::from_str::<PhoneKeys>(&json).unwrap(),
            keys.newest(2)
        );
        let shown = format!("{keys:?}");
        let secret = text.lines().next().unwrap().split_once(' ').unwrap().1;
        assert!(!shown.contains(&secret[..16]), "{shown}");
        assert!(shown.contains("redacted"), "{shown}");
        assert!(PhoneKeys::from_text("1 abcd\n").is_none());
        assert!(serde_json::from_str::<PhoneKeys>(r#"["x y"]"#).is_err());
    }
}
