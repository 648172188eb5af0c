//! A call (any contact with the hotline) and what the operator records about it.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Place, RecordMeta};

/// The content of a call, as an operator or a script gives it. Keys and codes follow
/// TAXONOMY.md; only `channel`, `caller_type` and `reason` are required.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CallFields {
    /// When the call started; now if not given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
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
    #[serde(skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

/// One emergency step taken while on the phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmergencyAction {
    /// `call_outcome`: WARM_TRANSFER, LE_REPORTED or EMERGENCY_DISPATCH.
    pub outcome: String,
    pub at: DateTime<Utc>,
}

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
