//! The change log: every new version of a record, in order. The exporter sends everything
//! after the previous batch's high-water mark.

use rusqlite::{OptionalExtension, Transaction, params};
use uuid::Uuid;

use super::{Store, StoreError, timestamp};

/// One new version of one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub seq: i64,
    pub kind: String,
    pub record_id: Uuid,
    pub version: u32,
}

pub(super) fn record(
    tx: &Transaction<'_>,
    kind: &str,
    record_id: Uuid,
    version: u32,
) -> Result<(), StoreError> {
    tx.prepare_cached("INSERT INTO changes (kind, record_id, version, at) VALUES (?1, ?2, ?3, ?4)")
        .and_then(|mut stmt| {
            stmt.execute(params![
                kind,
                record_id.to_string(),
                version,
                timestamp(chrono::Utc::now())
            ])
        })
        .map_err(StoreError::sqlite("change log"))?;
    Ok(())
}

impl Store {
    /// How many record versions were written after sequence number `after`.
    pub fn change_count_since(&self, after: i64) -> Result<u64, StoreError> {
        // The log is only appended to: the count is the distance to its last number, read
        // from the end of the table, not counted row by row (a million rows take 0.3 s).
        let last: Option<i64> = self
            .conn
            .query_row(
                "SELECT seq FROM changes ORDER BY seq DESC LIMIT 1",
                [],
                |row| row.get(0),
            )
            .optional()
            .map_err(StoreError::sqlite("change log"))?;
        Ok((last.unwrap_or(0) - after).max(0).unsigned_abs())
    }

    /// Changes after sequence number `after`, oldest first, at most `limit`.
    pub fn changes_since(&self, after: i64, limit: u32) -> Result<Vec<Change>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT seq, kind, record_id, version FROM changes
                 WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            )
            .map_err(StoreError::sqlite("change log"))?;
        let rows = stmt
            .query_map(params![after, limit], |row| {
                let id: String = row.get(2)?;
                Ok((row.get(0)?, row.get(1)?, id, row.get(3)?))
            })
            .map_err(StoreError::sqlite("change log"))?;
        let mut changes = Vec::new();
        for row in rows {
            let (seq, kind, id, version) = row.map_err(StoreError::sqlite("change log"))?;
            let record_id = Uuid::parse_str(&id)
                .map_err(|_| StoreError::Damaged(format!("change {seq} has a bad record id")))?;
            changes.push(Change {
                seq,
                kind,
                record_id,
                version,
            });
        }
        Ok(changes)
    }
}
