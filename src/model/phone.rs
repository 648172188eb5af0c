//! Phone numbers as callers give them, reduced to one form so that a caller who calls back
//! is found however the number was typed, and masked in lists until revealed.
//!
//! The rules are Peru's (country code 51, international prefix 00, trunk prefix 0; national
//! numbers have 8 or 9 digits): "+51 987 654 321", "987-654-321", "0987654321" and
//! "51987654321" are all 987654321. A number from another country keeps its country code
//! behind a '+'; a short number (105, 1818) stays as it is.

use serde::{Deserialize, Serialize};

/// A number's keyed hash, as a batch carries it instead of the number: the id of the phone
/// key it was made with, and 64 hexadecimal digits of HMAC-SHA256.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhoneHash {
    pub key: String,
    pub hash: String,
}

/// Hashes a call carries at most: one a key an office hashes under (two, see README).
pub const MAX_HASHES: usize = 4;

/// Whether `id` can name a phone key: 1 to 16 ASCII letters or digits.
pub fn is_key_id(id: &str) -> bool {
    (1..=16).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

impl PhoneHash {
    /// Whether it is one a phone key makes: a key id, and 64 lowercase hex digits.
    pub fn is_well_formed(&self) -> bool {
        is_key_id(&self.key)
            && self.hash.len() == 64
            && self
                .hash
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    }
}

/// Peru's country code.
const PERU: &str = "51";

/// The longest national number (a mobile: 9 digits).
const NATIONAL_MAX: usize = 9;

/// A number reduced to the form the store searches by: its digits (and '*' or '#', which
/// some service codes use), with Peru's country code and trunk 0 taken off and another
/// country's code kept after a '+'. `None` when the text holds no digit.
pub fn normalise(number: &str) -> Option<String> {
    let international = number.trim_start().starts_with('+');
    let digits: String = number
        .chars()
        .filter(|c| c.is_ascii_digit() || matches!(c, '*' | '#'))
        .collect();
    if !digits.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let with_country = if international {
        Some(digits.as_str())
    } else {
        digits.strip_prefix("00")
    };
    Some(match with_country {
        Some(rest) => match rest.strip_prefix(PERU) {
            Some(national) => without_trunk_zero(national).to_owned(),
            None => format!("+{rest}"),
        },
        // Peru's code without '+': a national number never has more than 9 digits.
        None => match digits.strip_prefix(PERU) {
            Some(national) if digits.len() > NATIONAL_MAX => national.to_owned(),
            _ => without_trunk_zero(&digits).to_owned(),
        },
    })
}

/// A national number without the 0 dialled before an area code or a mobile within Peru
/// ("01 234 5678", "0987 654 321"); freephone and shared-cost numbers (0800, 0801) are
/// dialled with it, and a short number has none.
fn without_trunk_zero(national: &str) -> &str {
    match national.strip_prefix('0') {
        Some(rest)
            if !national.starts_with("080")
                && (NATIONAL_MAX - 1..=NATIONAL_MAX).contains(&rest.len()) =>
        {
            rest
        }
        _ => national,
    }
}

/// A number as a list shows it before it is revealed: the same width whatever its length,
/// and only its last two digits, enough to tell two callers of the same name apart.
pub fn masked(number: &str) -> String {
    let digits: Vec<char> = number.chars().filter(char::is_ascii_digit).collect();
    let tail: String = digits[digits.len().saturating_sub(2)..].iter().collect();
    format!("{}{tail:*>2}", "*".repeat(5))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(number: &str) -> String {
        normalise(number).unwrap()
    }

    #[test]
    fn a_peruvian_mobile_typed_any_way_is_one_number() {
        for typed in [
            "+51 987 654 321",
            "987-654-321",
            "0987654321",
            "51987654321",
            "0051 987 654 321",
            "(+51) 987.654.321",
            " 987654321 ",
            "+51 0987 654 321",
        ] {
            assert_eq!(key(typed), "987654321", "{typed}");
        }
    }

    #[test]
    fn landlines_lose_the_trunk_zero_and_the_country_code() {
        for typed in ["(01) 234-5678", "+51 1 234 5678", "012345678", "5112345678"] {
            assert_eq!(key(typed), "12345678", "{typed}");
        }
        for typed in ["(082) 57-1234", "+51 82 571234", "5182571234"] {
            assert_eq!(key(typed), "82571234", "{typed}");
        }
    }

    #[test]
    fn a_foreign_number_keeps_its_country_code() {
        assert_eq!(key("+54 11 1234-5678"), "+541112345678");
        assert_eq!(key("0054 11 1234 5678"), "+541112345678");
        assert_eq!(key("+1 (555) 123-4567"), "+15551234567");
        // Bolivia's code starts like a mobile's digits: it is not Peru's.
        assert_eq!(key("+591 7123 4567"), "+59171234567");
        assert_ne!(key("+591 7123 4567"), key("5917 1234 567"));
    }

    #[test]
    fn short_and_service_numbers_stay_as_they_are() {
        assert_eq!(key("1818"), "1818");
        assert_eq!(key("105"), "105");
        assert_eq!(key("911"), "911");
        assert_eq!(key("0800-2-3232"), "080023232");
        assert_eq!(key("*123#"), "*123#");
        // Peru's code is only taken off a number too long to be national.
        assert_eq!(key("51234"), "51234");
        assert_eq!(key("512345678"), "512345678");
    }

    #[test]
    fn text_without_digits_is_no_number() {
        assert_eq!(normalise(""), None);
        assert_eq!(normalise("  - ()"), None);
        assert_eq!(normalise("+"), None);
        assert_eq!(normalise("*#"), None);
    }

    #[test]
    fn masks_hide_the_length_and_show_the_last_two_digits() {
        assert_eq!(masked("+51 987 654 321"), "*****21");
        assert_eq!(masked("1818"), "*****18");
        assert_eq!(masked("5"), "******5");
        assert_eq!(masked(""), "*******");
        assert_eq!(
            masked("987654321").chars().count(),
            masked("105").chars().count()
        );
    }
}
