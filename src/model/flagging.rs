//! Derived judgements from TAXONOMY.md: minor or adult, the possible-victim flag, and the
//! urgency floor for minors. Configurable rules, not legal determinations.

use super::CallFields;

/// Indicators that alone make an adult a possible victim (ILO-EC "strong" indicators).
pub const STRONG_INDICATORS: &[&str] = &[
    "IND_DECEIVED",
    "IND_CANNOT_LEAVE",
    "IND_EXCESS_HOURS",
    "IND_BAD_CONDITIONS",
    "IND_MINOR_EXPLOITED",
];

const MINOR_BANDS: &[&str] = &["A00_08", "A09_11", "A12_13", "A14_17", "MINOR_UNSPEC"];

/// MINOR, ADULT or UNKNOWN (CTDC `majorityStatus`), from the exact age, else the band.
pub fn majority_status(fields: &CallFields) -> &'static str {
    majority_of(fields.age_years, fields.age_band.as_deref())
}

pub fn majority_of(age_years: Option<u8>, age_band: Option<&str>) -> &'static str {
    match (age_years, age_band) {
        (Some(age), _) if age < 18 => "MINOR",
        (Some(_), _) => "ADULT",
        (None, Some(band)) if MINOR_BANDS.contains(&band) => "MINOR",
        (None, Some("UNKNOWN")) | (None, None) => "UNKNOWN",
        (None, Some(_)) => "ADULT",
    }
}

fn answered_yes(fields: &CallFields) -> impl Iterator<Item = &str> {
    fields
        .indicators
        .iter()
        .filter(|(_, answer)| answer.as_str() == "YES")
        .map(|(code, _)| code.as_str())
}

fn has_exploitation_purpose(fields: &CallFields) -> bool {
    fields
        .exploitation_types
        .iter()
        .any(|code| code != "UNKNOWN")
}

/// Any minor with an exploitation purpose; an adult with one strong indicator or two others.
pub fn possible_victim(fields: &CallFields) -> bool {
    if majority_status(fields) == "MINOR"
        && (has_exploitation_purpose(fields) || answered_yes(fields).next().is_some())
    {
        return true;
    }
    let (strong, other): (Vec<&str>, Vec<&str>) =
        answered_yes(fields).partition(|code| STRONG_INDICATORS.contains(code));
    !strong.is_empty() || other.len() >= 2
}

/// A minor with an exploitation indicator is at least U2_URGENT (TAXONOMY.md §8).
pub fn urgency_floor(fields: &CallFields) -> Option<&'static str> {
    let minor = majority_status(fields) == "MINOR";
    let indicator = answered_yes(fields).next().is_some() || has_exploitation_purpose(fields);
    (minor && indicator).then_some("U2_URGENT")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(indicators: &[(&str, &str)]) -> CallFields {
        CallFields {
            indicators: indicators
                .iter()
                .map(|(c, a)| (c.to_string(), a.to_string()))
                .collect(),
            ..CallFields::default()
        }
    }

    #[test]
    fn one_strong_or_two_other_indicators_flag_an_adult() {
        assert!(possible_victim(&with(&[("IND_DECEIVED", "YES")])));
        assert!(!possible_victim(&with(&[("IND_DEBT", "YES")])));
        assert!(possible_victim(&with(&[
            ("IND_DEBT", "YES"),
            ("IND_UNPAID", "YES")
        ])));
        assert!(!possible_victim(&with(&[
            ("IND_DEBT", "YES"),
            ("IND_UNPAID", "NO")
        ])));
    }

    #[test]
    fn a_minor_with_an_exploitation_purpose_is_flagged_and_urgent() {
        let mut fields = CallFields {
            age_years: Some(15),
            exploitation_types: vec!["LABOUR".into()],
            ..CallFields::default()
        };
        assert!(possible_victim(&fields));
        assert_eq!(urgency_floor(&fields), Some("U2_URGENT"));
        fields.age_years = Some(30);
        assert!(!possible_victim(&fields));
        assert_eq!(urgency_floor(&fields), None);
    }

    #[test]
    fn majority_comes_from_age_then_band() {
        assert_eq!(majority_of(Some(17), Some("ADULT_UNSPEC")), "MINOR");
        assert_eq!(majority_of(None, Some("A14_17")), "MINOR");
        assert_eq!(majority_of(None, Some("A30_38")), "ADULT");
        assert_eq!(majority_of(None, None), "UNKNOWN");
    }
}
