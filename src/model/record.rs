//! What every stored record carries besides its content.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordMeta {
    /// UUIDv7: unique across offices, and sorted by creation time.
    pub id: Uuid,
    pub office_id: String,
    /// The operator who created the record.
    pub author: String,
    pub created_at: DateTime<Utc>,
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
