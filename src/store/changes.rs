//! The change log: every new version of a record, in order. The exporter sends everything
//! after the previous batch's high-water mark.

use rusqlite::{Transaction, params};
use uuid::Uuid;

use super::{StoreError, timestamp};

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
