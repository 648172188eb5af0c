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

/// The urgency a reason suggests on a new call: a crisis is an emergency until the operator
/// learns otherwise; a missing person is urgent (TAXONOMY.md §8, NHTH "Crisis").
pub fn suggested_urgency(reason: &str) -> Option<&'static str> {
    match reason {
        "CRISIS" => Some("U1_EMERGENCY"),
        "MISSING_PERSON" => Some("U2_URGENT"),
        _ => None,
    }
}

/// The age band (TAXONOMY.md §7) an exact age falls in.
pub fn age_band_of(age: u8) -> &'static str {
    match age {
        0..=8 => "A00_08",
        9..=11 => "A09_11",
        12..=13 => "A12_13",
        14..=17 => "A14_17",
        18..=20 => "A18_20",
        21..=23 => "A21_23",
        24..=26 => "A24_26",
        27..=29 => "A27_29",
        30..=38 => "A30_38",
        39..=47 => "A39_47",
        _ => "A48_PLUS",
    }
}

/// The basis for sharing a referral proposes: a minor in an emergency is shared to protect
/// them (the office lead still confirms it); anyone else, with their consent.
pub fn proposed_sharing_basis(fields: &CallFields) -> &'static str {
    if fields.urgency == "U1_EMERGENCY" && majority_status(fields) == "MINOR" {
        "MINOR_PROTECTION"
    } else {
        "CONSENT"
    }
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

    #[test]
    fn an_age_falls_in_its_band_and_bands_agree_on_majority() {
        for (age, band) in [
            (0, "A00_08"),
            (8, "A00_08"),
            (9, "A09_11"),
            (13, "A12_13"),
            (15, "A14_17"),
            (17, "A14_17"),
            (18, "A18_20"),
            (38, "A30_38"),
            (47, "A39_47"),
            (48, "A48_PLUS"),
            (120, "A48_PLUS"),
        ] {
            assert_eq!(age_band_of(age), band, "{age}");
            assert_eq!(majority_of(None, Some(band)), majority_of(Some(age), None));
            assert!(crate::model::codes::AGE_BAND.get(band).is_some());
        }
    }

    #[test]
    fn a_crisis_suggests_an_emergency_and_a_minor_in_one_is_shared_for_protection() {
        assert_eq!(suggested_urgency("CRISIS"), Some("U1_EMERGENCY"));
        assert_eq!(suggested_urgency("MISSING_PERSON"), Some("U2_URGENT"));
        assert_eq!(suggested_urgency("GENERAL_INFO"), None);
        let mut fields = CallFields {
            urgency: "U1_EMERGENCY".into(),
            age_years: Some(15),
            ..CallFields::default()
        };
        assert_eq!(proposed_sharing_basis(&fields), "MINOR_PROTECTION");
        fields.urgency = "U2_URGENT".into();
        assert_eq!(proposed_sharing_basis(&fields), "CONSENT");
        fields.urgency = "U1_EMERGENCY".into();
        fields.age_years = Some(30);
        assert_eq!(proposed_sharing_basis(&fields), "CONSENT");
    }
}
