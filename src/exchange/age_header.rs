//! A look at an age v1 file's text header before age reads it.
//!
//! ```text
//! age-encryption.org/v1
//! -> X25519 <ephemeral share>        one stanza per recipient: a line starting "-> ",
//! <wrapped file key>                 then base64 lines (which never start with "-")
//! -> <random>-grease …               the age crate adds one stanza of a random type
//! …
//! --- <MAC>
//! ```
//! age's parser re-reads the header from the start each time it needs more input, which
//! takes time growing with the square of its length: a header of 8,000 fake stanzas held an
//! import for 17 s. linea's files carry at most three stanzas in well under a kilobyte, so
//! the header is counted here, within a byte cap, and refused before age sees it. This only
//! counts lines; age still parses and authenticates the header.

use super::rejection::{Rejection, Rule, reject};

/// The header's bytes at most, up to and including its `---` line's start.
pub const MAX_HEADER: usize = 4096;
/// Recipient stanzas at most: central's import key, a backup recipient, age's grease, and
/// one to spare.
pub const MAX_STANZAS: usize = 4;

const MAGIC: &[u8] = b"age-encryption.org/v1";
const X25519: &[u8] = b"X25519";
/// The type suffix of the stanza the age crate adds to keep readers tolerant of new types.
const GREASE: &[u8] = b"-grease";

/// The recipient stanzas of a header, by type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stanzas {
    pub x25519: usize,
    pub grease: usize,
    pub other: usize,
}

/// Counts the stanzas of an age v1 header, refusing one over [`MAX_HEADER`] bytes or
/// [`MAX_STANZAS`] stanzas.
pub fn scan(file: &[u8]) -> Result<Stanzas, Rejection> {
    let head = &file[..file.len().min(MAX_HEADER)];
    let mut lines = head.split(|b| *b == b'\n');
    if lines.next() != Some(MAGIC) {
        return Err(reject(Rule::Format, "not an age file"));
    }
    let mut stanzas = Stanzas::default();
    for line in lines {
        if line.starts_with(b"---") {
            return Ok(stanzas);
        }
        let Some(stanza) = line.strip_prefix(b"-> ") else {
            continue;
        };
        let kind = stanza.split(|b| *b == b' ').next().unwrap_or_default();
        if kind == X25519 {
            stanzas.x25519 += 1;
        } else if kind.ends_with(GREASE) {
            stanzas.grease += 1;
        } else {
            stanzas.other += 1;
        }
        if stanzas.x25519 + stanzas.grease + stanzas.other > MAX_STANZAS {
            return Err(reject(
                Rule::Header,
                format!("the age header has more than {MAX_STANZAS} recipient stanzas"),
            ));
        }
    }
    if head.len() < MAX_HEADER {
        return Err(reject(Rule::Format, "the age header is cut short"));
    }
    Err(reject(
        Rule::Header,
        format!("the age header does not end within {MAX_HEADER} bytes"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::AgeIdentity;

    fn sealed_to(count: usize) -> Vec<u8> {
        let recipients: Vec<String> = (0..count)
            .map(|_| AgeIdentity::generate().recipient())
            .collect();
        crate::exchange::batch::encrypt(b"hola", &recipients).unwrap()
    }

    #[test]
    fn what_age_writes_is_counted_by_type() {
        for count in [1, 2] {
            assert_eq!(
                scan(&sealed_to(count)).unwrap(),
                Stanzas {
                    x25519: count,
                    grease: 1,
                    other: 0
                }
            );
        }
    }

    #[test]
    fn a_header_over_its_caps_or_without_an_end_is_refused() {
        let file = sealed_to(1);
        let text = String::from_utf8_lossy(&file[..200]).into_owned();
        let stanza = text.lines().nth(1).unwrap().to_owned() + "\n" + text.lines().nth(2).unwrap();
        let many = format!(
            "{}\n{}\n--- x\n",
            MAGIC.escape_ascii(),
            [stanza.as_str(); 8_000].join("\n")
        );
        let refused = scan(many.as_bytes()).unwrap_err();
        assert_eq!(refused.rule, Rule::Header, "{refused}");
        assert!(refused.detail.contains("stanzas"), "{refused}");

        let long_body = format!(
            "{}\n-> X25519 a\n{}\n",
            MAGIC.escape_ascii(),
            "A".repeat(9000)
        );
        let refused = scan(long_body.as_bytes()).unwrap_err();
        assert_eq!(refused.rule, Rule::Header, "{refused}");
        assert!(refused.detail.contains("bytes"), "{refused}");

        for not_age in [
            &b""[..],
            b"age-encryption.org/v1",
            b"age-encryption.org/v1\n-> X25519 a\nAAAA",
            b"age-encryption.org/v2\n--- x\n",
            b"hola",
        ] {
            assert_eq!(scan(not_age).unwrap_err().rule, Rule::Format);
        }
        let other = format!("{}\n-> scrypt salt 10\nAAAA\n--- x\n", MAGIC.escape_ascii());
        assert_eq!(scan(other.as_bytes()).unwrap().other, 1);
    }
}
