//! What every stored record carries besides its content.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{CallFields, CaseFields, PersonFields, Referral, ReferralFields, StatusChange};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordMeta {
    /// UUIDv7: unique across offices, and sorted by creation time.
    pub id: Uuid,
    pub office_id: String,
    /// The operator who created the record.
    pub author: String,
    #[serde(serialize_with = "super::rfc3339::serialize")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "super::rfc3339::serialize")]
    pub updated_at: DateTime<Utc>,
    /// 1 when created, one more with every change; central never lets an older one win.
    pub version: u32,
}

impl RecordMeta {
    pub fn new(office_id: &str, author: &str, now: DateTime<Utc>) -> RecordMeta {
        RecordMeta {
            id: new_id(),
            office_id: office_id.to_owned(),
            author: author.to_owned(),
            created_at: now,
            updated_at: now,
            version: 1,
        }
    }

    /// The metadata after one more change.
    pub fn next_version(&self, now: DateTime<Utc>) -> RecordMeta {
        RecordMeta {
            updated_at: now,
            version: self.version + 1,
            ..self.clone()
        }
    }
}

/// A new record id (UUIDv7).
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}

/// Any record with its metadata, as it is exported and imported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Record {
    Call {
        meta: RecordMeta,
        fields: Box<CallFields>,
    },
    Case {
        meta: RecordMeta,
        fields: CaseFields,
    },
    Person {
        meta: RecordMeta,
        case_id: Uuid,
        fields: PersonFields,
    },
    Referral {
        meta: RecordMeta,
        fields: ReferralFields,
        history: Vec<StatusChange>,
    },
}

impl From<Referral> for Record {
    fn from(referral: Referral) -> Record {
        let Referral {
            meta,
            fields,
            history,
        } = referral;
        Record::Referral {
            meta,
            fields,
            history,
        }
    }
}

impl Record {
    pub fn meta(&self) -> &RecordMeta {
        match self {
            Record::Call { meta, .. }
            | Record::Case { meta, .. }
            | Record::Person { meta, .. }
            | Record::Referral { meta, .. } => meta,
        }
    }

    /// "call", "case", "person" or "referral", as the change log names them.
    pub fn kind(&self) -> &'static str {
        match self {
            Record::Call { .. } => "call",
            Record::Case { .. } => "case",
            Record::Person { .. } => "person",
            Record::Referral { .. } => "referral",
        }
    }

    /// The records this one names, as (kind, id): a call its case, a person their case, a
    /// referral its call and case. They must exist wherever this record is stored.
    pub fn references(&self) -> Vec<(&'static str, Uuid)> {
        match self {
            Record::Call { fields, .. } => {
                fields.case_id.map(|id| ("case", id)).into_iter().collect()
            }
            Record::Case { .. } => Vec::new(),
            Record::Person { case_id, .. } => vec![("case", *case_id)],
            Record::Referral { fields, .. } => [
                fields.call_id.map(|id| ("call", id)),
                fields.case_id.map(|id| ("case", id)),
            ]
            .into_iter()
            .flatten()
            .collect(),
        }
    }
}
