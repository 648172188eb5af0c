//! What an office knows about getting its records to central: when central's last receipt
//! came, how long the oldest batch has waited for one, how many changes no batch holds yet,
//! and up to which change central surely has everything. Home reads these at every visit,
//! so each is one small query that never loads a batch.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};

use super::OfficeStore;
use crate::store::{StoreError, parse_timestamp};

impl OfficeStore {
    /// When the newest receipt from central was applied here; `None` before the first.
    pub fn last_receipt_applied_at(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let at: Option<String> = self
            .conn
            .query_row(
                "SELECT applied_at FROM inbox WHERE kind = 'receipt'
                 ORDER BY version DESC LIMIT 1",
                [],
                |row| row.get(0),
            )
            .optional()
            .map_err(StoreError::sqlite("inbox"))?;
        at.as_deref().map(parse_timestamp).transpose()
    }

    /// When the oldest batch still waiting for central's receipt was made.
    pub fn oldest_unacknowledged_batch(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let at: Option<String> = self
            .conn
            .query_row(
                "SELECT min(created_at) FROM outbox WHERE acknowledged_at IS NULL",
                [],
                |row| row.get(0),
            )
            .map_err(StoreError::sqlite("outbox"))?;
        at.as_deref().map(parse_timestamp).transpose()
    }

    /// How many record versions were written after the last batch was made: what the next
    /// sync will put in a new batch.
    pub fn unbatched_change_count(&self) -> Result<u64, StoreError> {
        let batched: Option<i64> = self
            .conn
            .query_row(
                "SELECT last_change FROM outbox ORDER BY seq DESC LIMIT 1",
                [],
                |row| row.get(0),
            )
            .optional()
            .map_err(StoreError::sqlite("outbox"))?;
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
        Ok((last.unwrap_or(0) - batched.unwrap_or(0))
            .max(0)
            .unsigned_abs())
    }
}

/// The last change central surely holds: the end of the longest run of batches, from the
/// first, that all have their receipt. A receipt for batch 5 while batch 4 is still missing
/// proves nothing about the changes batch 4 carries.
pub(super) fn delivered_up_to(conn: &Connection) -> Result<i64, StoreError> {
    conn.query_row(
        "SELECT coalesce(max(o.last_change), 0) FROM outbox o
         WHERE o.acknowledged_at IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM outbox p
                           WHERE p.seq < o.seq AND p.acknowledged_at IS NULL)",
        [],
        |row| row.get(0),
    )
    .map_err(StoreError::sqlite("outbox"))
}
