//! What central keeps of the exchange: the batches it imported (in one transaction each),
//! the packs it built, the outcomes it recorded for offices' referrals, and alerts.

use std::cell::RefCell;

use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use uuid::Uuid;

use super::CentralStore;
use super::callers::Links;
use crate::model::{Call, Case, Outcome, Person, PhoneHash, Record, Referral};
use crate::store::calls::{SearchQueue, write_call};
use crate::store::cases::{write_case, write_person};
use crate::store::figures::{self, Tally};
use crate::store::referrals::{write_referral, write_status};
use crate::store::rows::Write;
use crate::store::{Store, StoreError, audit, timestamp};

/// The page cache while central imports batches, in KiB: smaller than an office's while it
/// makes them, as central holds the batch being imported and the next one being checked
/// (`central::import`), and memory must stay under 200 MiB.
const IMPORT_CACHE_KIB: i64 = 16 * 1024;

impl CentralStore {
    /// Runs `work` in one transaction for importing a batch at central; committed only if
    /// `work` succeeds and this is not a dry run.
    pub fn import<T, E>(
        &self,
        dry_run: bool,
        work: impl FnOnce(&ImportTx<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let operator = self.operator.clone();
        let now = timestamp(self.now());
        self.set_cache_kib(IMPORT_CACHE_KIB)?;
        let _hold = self.lock.shared()?;
        // Unchecked: the records already here are read through the store's own readers on
        // the same connection, inside this transaction.
        let tx = self
            .conn
            .unchecked_transaction()
            .map_err(StoreError::sqlite("begin transaction"))?;
        let import = ImportTx {
            tx,
            store: self,
            operator,
            now,
            search: RefCell::default(),
            links: RefCell::default(),
            tally: RefCell::new(Tally::new(self.zone)),
        };
        let value = work(&import)?;
        if dry_run {
            import.tx.rollback().map_err(StoreError::sqlite("import"))?;
        } else {
            import.search.borrow_mut().flush(&import.tx)?;
            import.links.take().write(&import.tx)?;
            import.tally.borrow_mut().write(&import.tx)?;
            import.tx.commit().map_err(StoreError::sqlite("import"))?;
        }
        Ok(value)
    }

    /// The reference content of the newest pack central built, if any.
    pub fn latest_pack(&self) -> Result<Option<serde_json::Value>, StoreError> {
        let body: Option<String> = self
            .conn
            .query_row(
                "SELECT body FROM packs ORDER BY version DESC LIMIT 1",
                [],
                |row| row.get(0),
            )
            .optional()
            .map_err(StoreError::sqlite("packs"))?;
        body.map(|b| {
            serde_json::from_str(&b)
                .map_err(|e| StoreError::Damaged(format!("a pack cannot be read: {e}")))
        })
        .transpose()
    }

    /// Keeps newly built reference content as the next pack version.
    pub fn save_pack(&mut self, content: &serde_json::Value) -> Result<u64, StoreError> {
        let body =
            serde_json::to_string(content).map_err(|e| StoreError::Damaged(e.to_string()))?;
        let now = timestamp(self.now());
        let operator = self.operator.clone();
        let tx = self.tx()?;
        let last: Option<u64> = tx
            .query_row("SELECT max(version) FROM packs", [], |row| row.get(0))
            .map_err(StoreError::sqlite("packs"))?;
        let version = last.unwrap_or(0) + 1;
        tx.execute(
            "INSERT INTO packs (version, built_at, body) VALUES (?1, ?2, ?3)",
            params![version, now, body],
        )
        .map_err(StoreError::sqlite("packs"))?;
        audit::append(&tx, &operator, "pack.build", &version.to_string())?;
        tx.commit().map_err(StoreError::sqlite("packs"))?;
        Ok(version)
    }

    /// Records, at central, a status for a referral an office made; it travels to the
    /// office in its next pack.
    pub fn record_outcome(
        &mut self,
        referral_id: Uuid,
        status: &str,
        note: &str,
    ) -> Result<Outcome, StoreError> {
        crate::model::validate::status_change(status, note)?;
        let referral = self.referral(referral_id)?;
        let outcome = Outcome {
            id: crate::model::new_id(),
            referral_id,
            status: status.to_owned(),
            note: note.trim().to_owned(),
            at: self.now(),
            author: self.operator.clone(),
        };
        let operator = self.operator.clone();
        let tx = self.tx()?;
        tx.execute(
            "INSERT INTO outcomes (id, office_id, referral_id, status, note, at, author)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                outcome.id.to_string(),
                referral.meta.office_id,
                referral_id.to_string(),
                outcome.status,
                outcome.note,
                timestamp(outcome.at),
                outcome.author
            ],
        )
        .map_err(StoreError::sqlite("outcomes"))?;
        audit::append(&tx, &operator, "referral.outcome", &referral_id.to_string())?;
        tx.commit().map_err(StoreError::sqlite("outcomes"))?;
        Ok(outcome)
    }

    /// Alerts raised about an office (forks, broken chains), oldest first, as text.
    pub fn alerts(&self, office_id: &str) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT at, kind, detail FROM alerts WHERE office_id = ?1 ORDER BY id")
            .map_err(StoreError::sqlite("alerts"))?;
        let rows = stmt
            .query_map([office_id], |row| {
                Ok(format!(
                    "{} {}: {}",
                    row.get::<_, String>(0)?.get(..16).unwrap_or_default(),
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?
                ))
            })
            .map_err(StoreError::sqlite("alerts"))?;
        rows.collect::<Result<_, _>>()
            .map_err(StoreError::sqlite("alerts"))
    }

    /// Every outcome central recorded for an office's referrals, oldest first.
    pub fn outcomes_for(&self, office_id: &str) -> Result<Vec<Outcome>, StoreError> {
        self.read_outcomes(
            "SELECT id, referral_id, status, note, at, author FROM outcomes
             WHERE office_id = ?1 ORDER BY at, id",
            office_id,
        )
    }

    /// The outcomes central recorded for one referral, oldest first.
    pub fn referral_outcomes(&self, referral_id: Uuid) -> Result<Vec<Outcome>, StoreError> {
        self.read_outcomes(
            "SELECT id, referral_id, status, note, at, author FROM outcomes
             WHERE referral_id = ?1 ORDER BY at, id",
            &referral_id.to_string(),
        )
    }

    fn read_outcomes(&self, sql: &str, key: &str) -> Result<Vec<Outcome>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(sql)
            .map_err(StoreError::sqlite("outcomes"))?;
        let rows = stmt
            .query_map([key], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, String>(4)?,
                    row.get::<_, String>(5)?,
                ))
            })
            .map_err(StoreError::sqlite("outcomes"))?;
        let mut outcomes = Vec::new();
        for row in rows {
            let (id, referral_id, status, note, at, author) =
                row.map_err(StoreError::sqlite("outcomes"))?;
            let parse = |text: &str| {
                Uuid::parse_str(text)
                    .map_err(|_| StoreError::Damaged(format!("outcome {id} has a bad id")))
            };
            outcomes.push(Outcome {
                id: parse(&id)?,
                referral_id: parse(&referral_id)?,
                status,
                note,
                at: crate::store::parse_timestamp(&at)?,
                author,
            });
        }
        Ok(outcomes)
    }
}

/// A batch of central's, known by office and sequence number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedBatch {
    pub seq: u64,
    pub manifest_hash: String,
    pub prev_hash: String,
    pub record_count: u64,
    pub imported_at: String,
}

/// What a batch said of its office's audit chain, as central keeps it with the batch: its
/// head, and the entry where the office's previous batch's head stood, each as (entry
/// count, hash).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchAudit {
    pub seq: u64,
    pub head: Option<(u64, String)>,
    pub prev: Option<(u64, String)>,
}

/// Central's side of an import, inside its one transaction.
pub struct ImportTx<'a> {
    tx: Transaction<'a>,
    store: &'a Store,
    operator: String,
    now: String,
    /// New calls waiting for the search index.
    search: RefCell<SearchQueue>,
    /// Calls waiting for their callers, linked together at the end.
    links: RefCell<Links>,
    /// What the calls and referrals written add to the statistics' totals, written at the
    /// end (a dry run never writes it).
    tally: RefCell<Tally>,
}

impl ImportTx<'_> {
    /// The batches already imported from an office, by sequence number.
    pub fn batches(&self, office_id: &str) -> Result<Vec<ImportedBatch>, StoreError> {
        office_batches(&self.tx, office_id)
    }

    /// The stored version of a record, with its line as the exporter would write it.
    pub fn stored(&self, kind: &str, id: Uuid) -> Result<Option<Record>, StoreError> {
        let table = match kind {
            "call" => "calls",
            "case" => "cases",
            "person" => "people",
            "referral" => "referrals",
            _ => return Ok(None),
        };
        let exists: Option<i64> = self
            .tx
            .prepare_cached(&format!("SELECT 1 FROM {table} WHERE id = ?1"))
            .and_then(|mut stmt| stmt.query_row([id.to_string()], |row| row.get(0)))
            .optional()
            .map_err(StoreError::sqlite("import"))?;
        if exists.is_none() {
            return Ok(None);
        }
        self.store.record(kind, id).map(Some)
    }

    /// Gives a call central imported the caller its number's `hashes` belong to
    /// ([`super::callers`]), with the batch's other calls once it is written (a dry run
    /// links none).
    pub fn link_caller(&self, call_id: Uuid, hashes: Vec<PhoneHash>) {
        self.links.borrow_mut().push(call_id.to_string(), hashes);
    }

    /// Writes a record (new, or a newer version of one already here).
    pub fn put(&self, record: &Record, new: bool) -> Result<(), StoreError> {
        let how = Write::Imported { new };
        match record {
            Record::Call { meta, fields } => {
                let call = Call::new(meta.clone(), (**fields).clone());
                if !new {
                    figures::uncount_calls(&self.tx, self.store.zone, &[meta.id.to_string()])?;
                }
                write_call(&self.tx, &call, how)?;
                if new {
                    let rowid = self.tx.last_insert_rowid();
                    self.search.borrow_mut().push(&self.tx, rowid, &call)?;
                }
                self.tally.borrow_mut().call(&call);
                Ok(())
            }
            Record::Case { meta, fields } => write_case(
                &self.tx,
                &Case {
                    meta: meta.clone(),
                    fields: fields.clone(),
                },
                how,
            ),
            Record::Person {
                meta,
                case_id,
                fields,
            } => write_person(
                &self.tx,
                &Person {
                    meta: meta.clone(),
                    case_id: *case_id,
                    fields: fields.clone(),
                },
                how,
            ),
            Record::Referral {
                meta,
                fields,
                history,
            } => {
                let referral = Referral {
                    meta: meta.clone(),
                    fields: fields.clone(),
                    history: history.clone(),
                };
                if !new {
                    figures::uncount_referrals(&self.tx, self.store.zone, &[meta.id.to_string()])?;
                }
                write_referral(&self.tx, &referral, how)?;
                self.tally.borrow_mut().referral(&referral);
                self.tx
                    .prepare_cached("DELETE FROM referral_status WHERE referral_id = ?1")
                    .and_then(|mut stmt| stmt.execute([meta.id.to_string()]))
                    .map_err(StoreError::sqlite("import"))?;
                for (index, change) in history.iter().enumerate() {
                    write_status(&self.tx, meta.id, index as i64 + 1, change)?;
                }
                Ok(())
            }
        }
    }

    pub fn conflict(
        &self,
        office_id: &str,
        record: &Record,
        stored_hash: &str,
        line: &str,
        seq: u64,
    ) -> Result<(), StoreError> {
        self.tx
            .execute(
                "INSERT INTO conflicts (office_id, record_id, kind, version, stored_hash, received_line, seq, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    office_id,
                    record.meta().id.to_string(),
                    record.kind(),
                    record.meta().version,
                    stored_hash,
                    line,
                    seq,
                    self.now
                ],
            )
            .map_err(StoreError::sqlite("import"))?;
        Ok(())
    }

    /// Raises an alert that commits with the import (once per office, batch, kind and
    /// manifest, as [`CentralStore::raise_alert`]).
    pub fn alert(
        &self,
        office_id: &str,
        seq: u64,
        kind: &str,
        manifest_hash: &str,
        detail: &str,
    ) -> Result<(), StoreError> {
        self.tx
            .execute(
                "INSERT INTO alerts (office_id, seq, kind, manifest_hash, detail, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT DO NOTHING",
                params![office_id, seq, kind, manifest_hash, detail, self.now],
            )
            .map_err(StoreError::sqlite("import"))?;
        Ok(())
    }

    /// What an office's batches imported before said of its audit chain, by batch number
    /// (those that said anything).
    pub fn audit_kept(&self, office_id: &str) -> Result<Vec<BatchAudit>, StoreError> {
        let mut stmt = self
            .tx
            .prepare_cached(
                "SELECT seq, audit_entries, audit_hash, audit_prev_entries, audit_prev_hash
                 FROM batches
                 WHERE office_id = ?1
                   AND (audit_entries IS NOT NULL OR audit_prev_entries IS NOT NULL)
                 ORDER BY seq",
            )
            .map_err(StoreError::sqlite("import"))?;
        let rows = stmt
            .query_map([office_id], |row| {
                let point = |entries: Option<u64>, hash: Option<String>| entries.zip(hash);
                Ok(BatchAudit {
                    seq: row.get(0)?,
                    head: point(row.get(1)?, row.get(2)?),
                    prev: point(row.get(3)?, row.get(4)?),
                })
            })
            .map_err(StoreError::sqlite("import"))?;
        rows.collect::<Result<_, _>>()
            .map_err(StoreError::sqlite("import"))
    }

    /// Keeps, with the batch just imported, what it said of its office's audit chain.
    pub fn keep_audit(&self, office_id: &str, audit: &BatchAudit) -> Result<(), StoreError> {
        let (entries, hash) = audit.head.clone().unzip();
        let (prev_entries, prev_hash) = audit.prev.clone().unzip();
        self.tx
            .execute(
                "UPDATE batches SET audit_entries = ?3, audit_hash = ?4,
                                    audit_prev_entries = ?5, audit_prev_hash = ?6
                 WHERE office_id = ?1 AND seq = ?2",
                params![office_id, audit.seq, entries, hash, prev_entries, prev_hash],
            )
            .map_err(StoreError::sqlite("import"))?;
        Ok(())
    }

    pub fn batch_imported(
        &self,
        office_id: &str,
        seq: u64,
        manifest_hash: &str,
        prev_hash: &str,
        record_count: usize,
        created_at: &str,
    ) -> Result<(), StoreError> {
        self.tx
            .execute(
                "INSERT INTO batches (office_id, seq, manifest_hash, prev_hash, record_count, created_at, imported_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![office_id, seq, manifest_hash, prev_hash, record_count, created_at, self.now],
            )
            .map_err(StoreError::sqlite("import"))?;
        audit::append(
            &self.tx,
            &self.operator,
            "batch.import",
            &format!("{office_id}:{seq}"),
        )
    }
}

fn office_batches(tx: &Transaction<'_>, office_id: &str) -> Result<Vec<ImportedBatch>, StoreError> {
    let mut stmt = tx
        .prepare(
            "SELECT seq, manifest_hash, prev_hash, record_count, imported_at FROM batches
             WHERE office_id = ?1 ORDER BY seq",
        )
        .map_err(StoreError::sqlite("batches"))?;
    let rows = stmt
        .query_map([office_id], |row| {
            Ok(ImportedBatch {
                seq: row.get(0)?,
                manifest_hash: row.get(1)?,
                prev_hash: row.get(2)?,
                record_count: row.get(3)?,
                imported_at: row.get(4)?,
            })
        })
        .map_err(StoreError::sqlite("batches"))?;
    rows.collect::<Result<_, _>>()
        .map_err(StoreError::sqlite("batches"))
}

impl CentralStore {
    /// Batches imported from an office, oldest first.
    pub fn imported_batches(&self, office_id: &str) -> Result<Vec<ImportedBatch>, StoreError> {
        // Only reads: no need to wait for writers.
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Deferred)
            .map_err(StoreError::sqlite("batches"))?;
        office_batches(&tx, office_id)
    }
}
