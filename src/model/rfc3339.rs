//! Timestamps as records carry them in JSON: RFC 3339 in UTC with `Z`, and as many
//! fractional digits as needed (none, 3, 6 or 9): chrono's own serde text.
//!
//! chrono writes that text to a serializer through `collect_str`, a dozen small pieces that
//! serde_json checks for escapes one by one; with four timestamps a call, that was a tenth of
//! the CPU time of an office's first export. Written here as one string, the same text.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Serialize, Serializer};

/// A timestamp that serializes as chrono's `Serialize` does, in one piece.
pub struct Rfc3339<'a>(pub &'a DateTime<Utc>);

impl Serialize for Rfc3339<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // chrono's `Serialize` writes `write_rfc3339(AutoSi, use_z)`, as this does.
        serializer.serialize_str(&self.0.to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }
}

/// For `#[serde(serialize_with = "…")]` on a `DateTime<Utc>`.
pub fn serialize<S: Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    Rfc3339(at).serialize(serializer)
}

/// For `#[serde(serialize_with = "…")]` on an `Option<DateTime<Utc>>`.
pub fn serialize_option<S: Serializer>(
    at: &Option<DateTime<Utc>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    at.as_ref().map(Rfc3339).serialize(serializer)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    /// The same text as chrono's `Serialize`, at every precision and at the edges of the
    /// years chrono writes without a sign.
    #[test]
    fn a_timestamp_is_written_as_chrono_writes_it() {
        let nanos = [
            0,
            1,
            5_000_000,
            123_000_000,
            468_857_000,
            468_857_851,
            999_999_999,
        ];
        let seconds = [
            -62_167_219_200, // year 0
            -1,
            0,
            1_534_897_225,
            4_102_444_800,
            253_402_300_799, // the last second of 9999
            253_402_300_800, // 10000: written with a sign
        ];
        for secs in seconds {
            for nano in nanos {
                let at = Utc.timestamp_opt(secs, nano).single().unwrap();
                assert_eq!(
                    serde_json::to_string(&Rfc3339(&at)).unwrap(),
                    serde_json::to_string(&at).unwrap(),
                    "{secs} s {nano} ns"
                );
                assert_eq!(
                    serde_json::to_string(&Some(at).as_ref().map(Rfc3339)).unwrap(),
                    serde_json::to_string(&Some(at)).unwrap()
                );
            }
        }
    }
}
