//! A case: one situation over time, with the people in it and the calls and referrals about it.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::RecordMeta;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CaseFields {
    /// A short description an operator recognises, without names.
    pub title: String,
    /// `case_status`; ACTIVE if not given.
    pub status: String,
    /// The call that opened the case.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opened_from_call: Option<Uuid>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Case {
    #[serde(flatten)]
    pub meta: RecordMeta,
    #[serde(flatten)]
    pub fields: CaseFields,
}

super::fields::record_fields! {
    /// A field of a person in a case, as forms, validation and messages name it.
    PersonField {
        Role = "role",
        Name = "name",
        Alias = "alias",
        Phone = "phone",
        AgeYears = "age_years",
        AgeBand = "age_band",
        Gender = "gender",
        Citizenship = "citizenship",
        MigrationStatus = "migration_status",
        TraffickingStatus = "trafficking_status",
        Notes = "notes",
    }
}

/// A person in a case (a victim, a suspect…): only what the caller knows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PersonFields {
    /// `person_role`
    pub role: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age_years: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age_band: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub citizenship: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub migration_status: Option<String>,
    /// `trafficking_status`, for a victim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trafficking_status: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Person {
    #[serde(flatten)]
    pub meta: RecordMeta,
    pub case_id: Uuid,
    #[serde(flatten)]
    pub fields: PersonFields,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_person_field_is_named_as_the_record_names_it() {
        let every = PersonFields {
            role: "x".into(),
            name: Some("x".into()),
            alias: Some("x".into()),
            phone: Some("x".into()),
            age_years: Some(1),
            age_band: Some("x".into()),
            gender: Some("x".into()),
            citizenship: vec!["x".into()],
            migration_status: Some("x".into()),
            trafficking_status: Some("x".into()),
            notes: "x".into(),
        };
        crate::model::fields::assert_names_are_the_keys(
            PersonField::ALL.iter().map(|f| f.name()),
            &every,
        );
    }
}
