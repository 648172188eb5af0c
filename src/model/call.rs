//! A call (any contact with the hotline) and what the operator records about it.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Place, RecordMeta, phone::PhoneHash};

/// The content of a call, as an operator or a script gives it. Keys and codes follow
/// TAXONOMY.md; only `channel`, `caller_type` and `reason` are required.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CallFields {
    /// When the call started; now if not given.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "super::rfc3339::serialize_option"
    )]
    pub started_at: Option<DateTime<Utc>>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "super::rfc3339::serialize_option"
    )]
    pub ended_at: Option<DateTime<Utc>>,
    /// `contact_channel`
    pub channel: String,
    pub caller_type: String,
    /// `contact_reason`
    pub reason: String,
    /// U4_ROUTINE if not given.
    pub urgency: String,

    #[serde(skip_serializing_if = "Option::is_none")]
    pub caller_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caller_phone: Option<String>,
    /// The caller's number as a batch carries it when central does not need the number
    /// itself: its keyed hash under each phone key the office holds (`keys::phone`). Only
    /// ever in batches and at central; an office keeps the number.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub caller_phone_hashes: Vec<PhoneHash>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caller_place: Option<Place>,
    /// `language` (ISO 639-3, uppercase).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(skip_serializing_if = "is_false")]
    pub interpreter_used: bool,

    /// The case this call belongs to, once there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_id: Option<Uuid>,

    // The situation the caller describes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recruitment_place: Option<Place>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub transit_places: Vec<Place>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exploitation_place: Option<Place>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recruitment_method: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relationship_to_trafficker: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exploitation_types: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sexual_exploitation_types: Vec<String>,
    /// ISIC section letters.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub labour_sectors: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub context_tags: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub means_of_control: Vec<String>,
    /// Indicator code to YES, NO or UNKNOWN; indicators not asked about are absent.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub indicators: BTreeMap<String, String>,

    // The person the call is about, as far as the caller knows.
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

    // What the operator did.
    /// `info_topic`
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub information_given: Vec<String>,
    /// `call_outcome`
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub outcomes: Vec<String>,
    /// What was done during the call in an emergency, and when: a warm transfer, a report
    /// to the police, an emergency response requested.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub emergency_actions: Vec<EmergencyAction>,
    /// In an emergency, what the operator made sure of (codes of [`EMERGENCY_CHECKS`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub emergency_checklist: Vec<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

impl CallFields {
    /// U1 or U2: the calls every list shows apart, and whose referrals come first.
    pub fn is_urgent(&self) -> bool {
        super::followup::URGENT_FIRST.contains(&self.urgency.as_str())
    }
}

super::fields::record_fields! {
    /// A field of a call, by which forms, drafts, validation errors and messages
    /// (`field-NAME`) name it: a typo is a compile error, not a value silently saved empty.
    CallField {
        StartedAt = "started_at",
        EndedAt = "ended_at",
        Channel = "channel",
        CallerType = "caller_type",
        Reason = "reason",
        Urgency = "urgency",
        CallerName = "caller_name",
        CallerPhone = "caller_phone",
        CallerPhoneHashes = "caller_phone_hashes",
        CallerPlace = "caller_place",
        Language = "language",
        InterpreterUsed = "interpreter_used",
        CaseId = "case_id",
        RecruitmentPlace = "recruitment_place",
        TransitPlaces = "transit_places",
        ExploitationPlace = "exploitation_place",
        RecruitmentMethod = "recruitment_method",
        RelationshipToTrafficker = "relationship_to_trafficker",
        ExploitationTypes = "exploitation_types",
        SexualExploitationTypes = "sexual_exploitation_types",
        LabourSectors = "labour_sectors",
        ContextTags = "context_tags",
        MeansOfControl = "means_of_control",
        Indicators = "indicators",
        AgeYears = "age_years",
        AgeBand = "age_band",
        Gender = "gender",
        Citizenship = "citizenship",
        MigrationStatus = "migration_status",
        InformationGiven = "information_given",
        Outcomes = "outcomes",
        EmergencyActions = "emergency_actions",
        EmergencyChecklist = "emergency_checklist",
        Notes = "notes",
    }
}

/// One emergency step taken while on the phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmergencyAction {
    /// `call_outcome`: WARM_TRANSFER, LE_REPORTED or EMERGENCY_DISPATCH.
    pub outcome: String,
    #[serde(serialize_with = "super::rfc3339::serialize")]
    pub at: DateTime<Utc>,
    /// Whom the caller was transferred to, or who was informed: an institution of the
    /// directory or a name typed. Absent in records made before it was asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

/// What an operator makes sure of during an emergency call, in the order to ask: where the
/// caller is, whether they are in danger now, whether they can talk safely, whether minors
/// are there. Labels are the messages `check-CODE`.
pub const EMERGENCY_CHECKS: &[&str] = &["LOCATION", "DANGER_NOW", "SAFE_TO_TALK", "MINORS_PRESENT"];

/// The outcomes that can be an emergency action.
pub const EMERGENCY_OUTCOMES: &[&str] = &["WARM_TRANSFER", "LE_REPORTED", "EMERGENCY_DISPATCH"];

fn is_false(value: &bool) -> bool {
    !value
}

/// A stored call: its metadata, its content, and what follows from the content.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Call {
    #[serde(flatten)]
    pub meta: RecordMeta,
    #[serde(flatten)]
    pub fields: CallFields,
    /// MINOR, ADULT or UNKNOWN, from the age or age band.
    pub majority_status: &'static str,
    /// The flagging rule of TAXONOMY.md §6: not a legal determination.
    pub possible_victim: bool,
}

impl Call {
    pub fn new(meta: RecordMeta, fields: CallFields) -> Call {
        Call {
            majority_status: super::flagging::majority_status(&fields),
            possible_victim: super::flagging::possible_victim(&fields),
            meta,
            fields,
        }
    }

    /// When the call started (always set once stored).
    pub fn started_at(&self) -> DateTime<Utc> {
        self.fields.started_at.unwrap_or(self.meta.created_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_call_field_is_named_as_the_record_names_it() {
        let mut every = CallFields {
            started_at: Some(chrono::DateTime::UNIX_EPOCH),
            ended_at: Some(chrono::DateTime::UNIX_EPOCH),
            channel: "x".into(),
            caller_type: "x".into(),
            reason: "x".into(),
            urgency: "x".into(),
            caller_name: Some("x".into()),
            caller_phone: Some("x".into()),
            caller_phone_hashes: vec![PhoneHash {
                key: "1".into(),
                hash: "x".into(),
            }],
            caller_place: Some(Place::Country("VE".into())),
            language: Some("x".into()),
            interpreter_used: true,
            case_id: Some(Uuid::nil()),
            recruitment_place: Some(Place::Country("VE".into())),
            transit_places: vec![Place::Country("VE".into())],
            exploitation_place: Some(Place::Country("VE".into())),
            recruitment_method: Some("x".into()),
            relationship_to_trafficker: Some("x".into()),
            exploitation_types: vec!["x".into()],
            sexual_exploitation_types: vec!["x".into()],
            labour_sectors: vec!["x".into()],
            context_tags: vec!["x".into()],
            means_of_control: vec!["x".into()],
            indicators: BTreeMap::from([("x".into(), "x".into())]),
            age_years: Some(1),
            age_band: Some("x".into()),
            gender: Some("x".into()),
            citizenship: vec!["x".into()],
            migration_status: Some("x".into()),
            information_given: vec!["x".into()],
            outcomes: vec!["x".into()],
            emergency_actions: Vec::new(),
            emergency_checklist: vec!["x".into()],
            notes: "x".into(),
        };
        every.emergency_actions.push(EmergencyAction {
            outcome: "x".into(),
            at: chrono::DateTime::UNIX_EPOCH,
            target: Some("x".into()),
        });
        crate::model::fields::assert_names_are_the_keys(
            CallField::ALL.iter().map(|f| f.name()),
            &every,
        );
        for field in CallField::ALL {
            assert_eq!(CallField::from_name(field.name()), Some(*field));
        }
    }
}
