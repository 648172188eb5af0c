//! The domain: calls, cases, people, referrals, and the code lists they use.
//! Depends on nothing else in linea.

mod call;
mod case;
pub mod code_extensions;
pub mod codes;
pub mod countries;
pub mod directory;
pub mod disclosure;
mod fields;
pub mod flagging;
pub mod followup;
mod lang;
pub mod phone;
pub mod places;
mod record;
mod referral;
pub mod rfc3339;
pub mod templates;
pub mod text;
mod ubigeo;
pub mod validate;

pub use call::{
    Call, CallField, CallFields, EMERGENCY_CHECKS, EMERGENCY_OUTCOMES, EmergencyAction,
};
pub use case::{Case, CaseFields, Person, PersonField, PersonFields};
pub use code_extensions::{CodeExtensions, Extension};
pub use lang::Lang;
pub use phone::PhoneHash;
pub use places::Place;
pub use record::{Record, RecordMeta, new_id};
pub use referral::{
    CLOSED_STATUSES, Outcome, Referral, ReferralField, ReferralFields, StatusChange, is_exception,
    next_statuses,
};
pub use validate::ValidationError;

/// Operator names become file names; keep them plain: a lowercase letter, then up to 31
/// lowercase letters, digits, '-', '_' or '.'.
pub fn operator_name_is_valid(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && name.len() <= 32
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c))
}

/// Office ids appear in file names and signatures: lowercase letters, digits and '-'.
pub fn office_id_is_valid(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && id.len() <= 40
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operator_names_are_plain() {
        for good in ["ana", "luis.p", "op-2", "m_quispe"] {
            assert!(operator_name_is_valid(good), "{good}");
        }
        for bad in [
            "",
            "Ana",
            "2ana",
            "../ana",
            "ana/b",
            "maría",
            &"a".repeat(33),
        ] {
            assert!(!operator_name_is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn office_ids_are_plain() {
        assert!(office_id_is_valid("pe-cusco"));
        assert!(!office_id_is_valid("PE Cusco"));
        assert!(!office_id_is_valid("-x"));
    }
}
