//! What the USB exchange keeps in a store whichever its role: the files it wrote on sticks,
//! the page cache while batches are made or imported, and a record as a batch carries it.

use rusqlite::params;
use uuid::Uuid;

use super::{Store, StoreError, timestamp};
use crate::model::{Call, Case, Person, Record};

/// The page cache while an office makes batches, in KiB (central has its own): a batch
/// reads far more pages than SQLite's default 2 MiB holds, and every page read again is
/// decrypted again. But a first export reads each table once, in order: what is read again
/// is the few pages of the records a unit names (cases, and the indexes that find them),
/// which this holds. Larger costs more than it saves: with SQLCipher's memory security each
/// page of the cache is locked when first filled and wiped when the cache shrinks again (a
/// tenth of the CPU time of exporting 100,000 calls with 64 MiB). Fixed, so memory stays
/// flat whatever the size of the store.
pub(super) const EXCHANGE_CACHE_KIB: i64 = 8 * 1024;
/// SQLite's own, for the desk's everyday work (`SQLITE_DEFAULT_CACHE_SIZE`).
const EVERYDAY_CACHE_KIB: i64 = 2000;

impl Store {
    /// The current version of a record, by kind and id.
    pub fn record(&self, kind: &str, id: Uuid) -> Result<Record, StoreError> {
        Ok(match kind {
            "call" => {
                let Call { meta, fields, .. } = self.call(id)?;
                Record::Call {
                    meta,
                    fields: Box::new(fields),
                }
            }
            "case" => {
                let Case { meta, fields } = self.case(id)?;
                Record::Case { meta, fields }
            }
            "person" => {
                let Person {
                    meta,
                    case_id,
                    fields,
                } = self.person(id)?;
                Record::Person {
                    meta,
                    case_id,
                    fields,
                }
            }
            "referral" => self.referral(id)?.into(),
            other => {
                return Err(StoreError::Damaged(format!(
                    "the change log names an unknown kind of record '{other}'"
                )));
            }
        })
    }

    /// Remembers a file written on a stick (by name only: names are random).
    pub fn stick_file_written(
        &mut self,
        name: &str,
        kind: &str,
        office_id: &str,
        seq: u64,
    ) -> Result<(), StoreError> {
        let _hold = self.hold()?;
        self.conn
            .execute(
                "INSERT OR REPLACE INTO stick_files (name, kind, office_id, seq, written_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![name, kind, office_id, seq, timestamp(self.now())],
            )
            .map_err(StoreError::sqlite("stick files"))?;
        Ok(())
    }

    /// Files this store wrote on sticks: (name, kind, office, sequence).
    pub fn stick_files(&self) -> Result<Vec<(String, String, String, u64)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT name, kind, office_id, seq FROM stick_files ORDER BY written_at")
            .map_err(StoreError::sqlite("stick files"))?;
        let rows = stmt
            .query_map([], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })
            .map_err(StoreError::sqlite("stick files"))?;
        rows.collect::<Result<_, _>>()
            .map_err(StoreError::sqlite("stick files"))
    }

    pub fn stick_file_removed(&mut self, name: &str) -> Result<(), StoreError> {
        let _hold = self.hold()?;
        self.conn
            .execute("DELETE FROM stick_files WHERE name = ?1", [name])
            .map_err(StoreError::sqlite("stick files"))?;
        Ok(())
    }

    /// Gives back the pages held for making or importing batches ([`OfficeStore::make_batch`](super::OfficeStore::make_batch) does
    /// when it finds nothing more to send; central calls it after its imports). Kept across
    /// batches until then: shrinking the cache frees every page in it, which costs more than
    /// a batch's reads when done for each one.
    pub fn end_exchange(&self) {
        // Only memory is at stake: a failure leaves the larger cache until the store closes.
        let _ = self.set_cache_kib(EVERYDAY_CACHE_KIB);
    }

    pub(super) fn set_cache_kib(&self, kib: i64) -> Result<(), StoreError> {
        self.conn
            .pragma_update(None, "cache_size", -kib)
            .map_err(StoreError::sqlite("cache size"))
    }
}
