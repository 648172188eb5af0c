//! What the USB exchange keeps in a store. An office: the batches it made (until a receipt
//! covers them), the receipts and packs it applied, the files it wrote on sticks. Central:
//! the batches it imported, conflicts, alerts, and what it sends back. The formats are the
//! exchange's; the store only keeps bytes and bookkeeping, and records.

use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::mpsc;

use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use uuid::Uuid;

use super::calls::{SearchQueue, write_call};
use super::cases::{write_case, write_person};
use super::figures::{self, Tally};
use super::referrals::{write_referral, write_status};
use super::rows::Write;
use super::{Store, StoreError, audit, meta, timestamp};
use crate::model::{Call, Case, Outcome, Person, PhoneHash, Record, Referral};

/// A batch an office made, kept until central acknowledges it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxBatch {
    pub seq: u64,
    pub manifest_hash: String,
    /// The signed inner payload as the exchange keeps it (compressed), byte for byte: a
    /// batch is rebuilt exactly after a crash.
    pub payload: Vec<u8>,
    pub record_count: u64,
    pub created_at: String,
    pub acknowledged: bool,
}

/// What a new batch builds on: its sequence number, the previous manifest's hash, and where
/// the office's audit chain stands (entry count and hash, as [`audit::head_for_batch`] and
/// [`audit::batched_entry`] say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchStart {
    pub seq: u64,
    pub prev_manifest: String,
    pub audit_head: Option<(u64, String)>,
    pub audit_prev: Option<(u64, String)>,
}

/// The page cache while batches are made or imported, in KiB: a batch reads and writes far
/// more pages than SQLite's default 2 MiB holds, and every page read again is decrypted
/// again. Fixed, so memory stays flat whatever the size of the store.
const EXCHANGE_CACHE_KIB: i64 = 64 * 1024;
/// The page cache while central imports batches, in KiB: smaller, as central holds the
/// batch being imported and the next one being checked (`central::import`).
const IMPORT_CACHE_KIB: i64 = 32 * 1024;
/// SQLite's own, for the desk's everyday work (`SQLITE_DEFAULT_CACHE_SIZE`).
const EVERYDAY_CACHE_KIB: i64 = 2000;

/// Record kinds in the order central must import them: a call names its case, a referral
/// its call and case.
const KIND_ORDER: [&str; 4] = ["case", "call", "person", "referral"];

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

    /// The records changed after change `after`, each turned by `prepare` into what a batch
    /// carries and its weight, in import order; and the last change they cover. The walk
    /// stops before the record that would take the batch past `max_records` records or
    /// `max_bytes` of weight (the first goes whatever it weighs: a record is never split).
    /// Changes are taken in order, so what is left over starts the next batch.
    ///
    /// A record goes with those it names (see [`Store::with_references`]), so the cut never
    /// leaves central a record naming one it has not received.
    fn pending_records<T>(
        &self,
        after: i64,
        cut: &mut Cut<T>,
        prepare: &mut impl FnMut(Record) -> Result<(T, usize), StoreError>,
    ) -> Result<i64, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT seq, kind, record_id FROM changes WHERE seq > ?1 ORDER BY seq")
            .map_err(StoreError::sqlite("change log"))?;
        let rows = stmt
            .query_map([after], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                ))
            })
            .map_err(StoreError::sqlite("change log"))?;
        let mut last = after;
        for row in rows {
            let (seq, kind, id) = row.map_err(StoreError::sqlite("change log"))?;
            let id = Uuid::parse_str(&id)
                .map_err(|_| StoreError::Damaged(format!("change {seq} has a bad record id")))?;
            if !cut.holds(id) {
                let unit = self.with_references(&kind, id, &cut.ids)?;
                if !cut.offer(unit, prepare)? {
                    break;
                }
            }
            last = seq;
        }
        Ok(last)
    }

    /// The first export's records: every table read once in the order of its rows, kinds
    /// in import order, from where `scan` stands, into `cut` until it is full. Returns
    /// whether the scan reached its end. Each record goes with those it names that the
    /// scan did not send before (made after it started), as [`Store::pending_records`] does.
    ///
    /// Two cores: this thread reads the rows, another turns calls' bodies into records and
    /// `prepare`s every unit, a few hundred rows behind; units are weighed and cut here in
    /// the order they were read, so the cut is the one a single thread makes. What was read
    /// past the cut is dropped, and read again by the next batch.
    fn scanned_records<T: Send>(
        &self,
        scan: &mut TableScan,
        cut: &mut Cut<T>,
        prepare: &mut (impl FnMut(Record) -> Result<(T, usize), StoreError> + Send),
    ) -> Result<bool, StoreError> {
        /// Rows read ahead of the cut at most.
        const READ_AHEAD: usize = 256;
        std::thread::scope(|scope| {
            let (jobs, queue) = mpsc::sync_channel::<ScanJob>(READ_AHEAD);
            let (results, done) = mpsc::channel();
            scope.spawn(move || {
                for job in queue {
                    if results.send(job.prepare(prepare)).is_err() {
                        break;
                    }
                }
            });
            let mut taken_to = (scan.kind, scan.after_row);
            let mut after_row = scan.after_row;
            let mut full = false;
            'kinds: for (reading, &kind) in KIND_ORDER.iter().enumerate().skip(scan.kind) {
                let (table, columns) = scanned_table(kind);
                let rowid_at = columns.split(',').count();
                let mut stmt = self
                    .conn
                    .prepare_cached(&format!(
                        "SELECT {columns}, rowid FROM {table}
                         WHERE rowid > ?1 AND rowid <= ?2 ORDER BY rowid"
                    ))
                    .map_err(StoreError::sqlite("export"))?;
                let mut rows = stmt
                    .query([after_row, scan.last_rows[reading]])
                    .map_err(StoreError::sqlite("export"))?;
                after_row = 0;
                while let Some(row) = rows.next().map_err(StoreError::sqlite("export"))? {
                    let rowid: i64 = row.get(rowid_at).map_err(StoreError::sqlite("export"))?;
                    let (body, mut unit, named) = if kind == "call" {
                        let (meta, _, body) = super::calls::call_from_row(row)
                            .map_err(StoreError::sqlite("export"))?;
                        let case_id: Option<String> = row
                            .get(rowid_at - 1)
                            .map_err(StoreError::sqlite("export"))?;
                        let named = case_id
                            .and_then(|id| Uuid::parse_str(&id).ok())
                            .map(|id| ("case", id));
                        (Some((meta, body)), Vec::new(), named.into_iter().collect())
                    } else {
                        let record = self.scanned_record(kind, row)?;
                        let named = record.references();
                        (None, vec![record], named)
                    };
                    for (named_kind, named_id) in named {
                        if unit.iter().any(|r| r.meta().id == named_id)
                            || cut.holds(named_id)
                            || self.scan_sent(&scan.last_rows, reading, named_kind, named_id)?
                        {
                            continue;
                        }
                        match self.with_references(named_kind, named_id, &cut.ids) {
                            Ok(more) => {
                                for record in more {
                                    if !unit.iter().any(|r| r.meta().id == record.meta().id) {
                                        unit.push(record);
                                    }
                                }
                            }
                            // Purged here under retention, which only lets go of what central
                            // has.
                            Err(StoreError::NotFound { .. }) => {}
                            Err(e) => return Err(e),
                        }
                    }
                    let job = ScanJob {
                        at: (reading, rowid),
                        body,
                        unit,
                    };
                    if jobs.send(job).is_err() {
                        return Err(StoreError::Damaged(
                            "the export's second thread stopped".into(),
                        ));
                    }
                    while let Ok(result) = done.try_recv() {
                        if !take(cut, &mut taken_to, result)? {
                            full = true;
                            break 'kinds;
                        }
                    }
                }
            }
            drop(jobs);
            if !full {
                for result in done.iter() {
                    if !take(cut, &mut taken_to, result)? {
                        full = true;
                        break;
                    }
                }
            }
            (scan.kind, scan.after_row) = taken_to;
            Ok(!full)
        })
    }

    /// A case, person or referral as the scan reads it from a row of [`scanned_table`]'s
    /// columns (calls are read apart, their bodies parsed on the other thread).
    fn scanned_record(&self, kind: &str, row: &rusqlite::Row<'_>) -> Result<Record, StoreError> {
        let read = StoreError::sqlite("export");
        let meta_and_body = |row: &rusqlite::Row<'_>| -> rusqlite::Result<_> {
            Ok((super::cases::meta_from_row(row)?, row.get::<_, String>(6)?))
        };
        Ok(match kind {
            "case" => {
                let (meta, body) = meta_and_body(row).map_err(read)?;
                Record::Case {
                    fields: parse_body("case", &meta, &body)?,
                    meta,
                }
            }
            "person" => {
                let (meta, body) = meta_and_body(row).map_err(read)?;
                let case_id: String = row.get(7).map_err(StoreError::sqlite("export"))?;
                let case_id = Uuid::parse_str(&case_id).map_err(|_| {
                    StoreError::Damaged(format!("person {} has a bad case id", meta.id))
                })?;
                Record::Person {
                    fields: parse_body("person", &meta, &body)?,
                    case_id,
                    meta,
                }
            }
            "referral" => {
                let (id, meta, body) = super::referrals::meta_and_body(row).map_err(read)?;
                self.build_referral(&id, meta, &body)?.into()
            }
            other => {
                return Err(StoreError::Damaged(format!(
                    "no table scan reads records of kind '{other}'"
                )));
            }
        })
    }

    /// Whether the scan sent a record before, reading kind `reading`: it was in its table
    /// when the scan started (the scan reads no row past `last_rows`), and its kind comes
    /// earlier in import order.
    fn scan_sent(
        &self,
        last_rows: &[i64; 4],
        reading: usize,
        kind: &str,
        id: Uuid,
    ) -> Result<bool, StoreError> {
        let Some(rank) = KIND_ORDER.iter().position(|k| *k == kind) else {
            return Ok(false);
        };
        let (table, _) = scanned_table(kind);
        let rowid: Option<i64> = self
            .conn
            .prepare_cached(&format!("SELECT rowid FROM {table} WHERE id = ?1"))
            .and_then(|mut stmt| stmt.query_row([id.to_string()], |row| row.get(0)))
            .optional()
            .map_err(StoreError::sqlite("export"))?;
        Ok(rank < reading && rowid.is_some_and(|rowid| rowid <= last_rows[rank]))
    }

    /// A record's current version, with those it names (a call its case; a referral its call
    /// and case; a person their case; and what those name) that are not in `already`.
    /// Records go at their current version, so a call's first change may come before the
    /// case it was later linked to: the case must travel with it, as central refuses a record
    /// naming one it never received. One sent in an earlier batch goes again, unchanged,
    /// which central counts as such: cheaper than finding which went where.
    fn with_references(
        &self,
        kind: &str,
        id: Uuid,
        already: &HashSet<Uuid>,
    ) -> Result<Vec<Record>, StoreError> {
        let mut unit = vec![self.record(kind, id)?];
        let mut next = 0;
        while let Some(record) = unit.get(next) {
            let named: Vec<(&str, Uuid)> = record
                .references()
                .into_iter()
                .filter(|(_, id)| !already.contains(id) && !unit.iter().any(|r| r.meta().id == *id))
                .collect();
            for (kind, id) in named {
                match self.record(kind, id) {
                    Ok(record) => unit.push(record),
                    // Purged here under retention, which only lets go of what central has.
                    Err(StoreError::NotFound { .. }) => {}
                    Err(e) => return Err(e),
                }
            }
            next += 1;
        }
        Ok(unit)
    }

    /// Makes the next batch from what changed since the last one, in one transaction:
    /// `prepare` turns each record into what the batch carries and says what it weighs
    /// (on another thread, and for some records the next batch takes: it only describes),
    /// `build` turns those into the signed payload as it is to be kept, and its manifest hash. A batch holds at
    /// most `max_records` records and `max_bytes` of weight, so it stays within what central
    /// accepts however large the records; what is left goes in the next batch. `None` when
    /// nothing changed.
    pub fn make_batch<T, P, F>(
        &self,
        max_records: usize,
        max_bytes: usize,
        mut prepare: P,
        build: F,
    ) -> Result<Option<OutboxBatch>, StoreError>
    where
        T: Send,
        P: FnMut(Record) -> Result<(T, usize), StoreError> + Send,
        F: FnOnce(&Store, &BatchStart, Vec<T>) -> Result<(Vec<u8>, String), StoreError>,
    {
        self.set_cache_kib(EXCHANGE_CACHE_KIB)?;
        let _hold = self.lock.shared()?;
        // Reads and the write happen in one transaction, so a batch always matches the
        // records it names and the change-log mark moves with it.
        let tx = self
            .conn
            .unchecked_transaction()
            .map_err(StoreError::sqlite("begin transaction"))?;
        let last: Option<(u64, String, i64)> = tx
            .query_row(
                "SELECT seq, manifest_hash, last_change FROM outbox ORDER BY seq DESC LIMIT 1",
                [],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .optional()
            .map_err(StoreError::sqlite("outbox"))?;
        let (seq, prev_manifest, after) = match last {
            Some((seq, hash, last_change)) => (seq + 1, hash, last_change),
            None => (1, String::new(), 0),
        };
        let mut cut = Cut::new(max_records, max_bytes);
        // A first export reads the tables as they stand instead of the change log record by
        // record; the log takes over from where the scan started once it is done.
        let mut scan = if after == 0 {
            TableScan::resume_or_start(&tx)?
        } else {
            None
        };
        let last_change = match &mut scan {
            Some(scan) => {
                if self.scanned_records(scan, &mut cut, &mut prepare)? {
                    meta::delete(&tx, TableScan::KEY)?;
                    if cut.is_empty() {
                        // Nothing was left to scan (records deleted meanwhile): the log
                        // goes on from the scan's start.
                        self.pending_records(scan.up_to_change, &mut cut, &mut prepare)?
                    } else {
                        scan.up_to_change
                    }
                } else {
                    meta::set(&tx, TableScan::KEY, &scan.to_text())?;
                    // No change is covered until the scan is done.
                    0
                }
            }
            None => self.pending_records(after, &mut cut, &mut prepare)?,
        };
        let records = cut.into_records();
        if records.is_empty() {
            // The last call of a sync's loop: the pages go back.
            self.end_exchange();
            return Ok(None);
        }
        let record_count = records.len();
        let start = BatchStart {
            seq,
            prev_manifest,
            audit_head: audit::head_for_batch(&tx)?,
            audit_prev: audit::batched_entry(&tx)?,
        };
        let (payload, manifest_hash) = build(self, &start, records)?;
        let now = timestamp(self.now());
        tx.execute(
            "INSERT INTO outbox (seq, manifest_hash, payload, last_change, record_count, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![seq, manifest_hash, payload, last_change, record_count, now],
        )
        .map_err(StoreError::sqlite("outbox"))?;
        if let Some((entries, _)) = start.audit_head {
            audit::remember_batched(&tx, entries)?;
        }
        audit::append(&tx, &self.operator, "batch.create", &seq.to_string())?;
        tx.commit().map_err(StoreError::sqlite("outbox"))?;
        Ok(Some(OutboxBatch {
            seq,
            manifest_hash,
            payload,
            record_count: record_count as u64,
            created_at: now,
            acknowledged: false,
        }))
    }

    /// The batches no receipt covers yet, oldest first, as (number, made at), without their
    /// payloads: a sync reads and writes them one at a time ([`Store::outbox_payload`]), so
    /// its memory does not grow with how many wait.
    pub fn outbox_waiting(&self) -> Result<Vec<(u64, String)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT seq, created_at FROM outbox WHERE acknowledged_at IS NULL ORDER BY seq",
            )
            .map_err(StoreError::sqlite("outbox"))?;
        let rows = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .map_err(StoreError::sqlite("outbox"))?;
        rows.collect::<Result<_, _>>()
            .map_err(StoreError::sqlite("outbox"))
    }

    /// The payload of batch `seq`, byte for byte as it was made and kept.
    pub fn outbox_payload(&self, seq: u64) -> Result<Vec<u8>, StoreError> {
        self.conn
            .query_row("SELECT payload FROM outbox WHERE seq = ?1", [seq], |row| {
                row.get(0)
            })
            .optional()
            .map_err(StoreError::sqlite("outbox"))?
            .ok_or_else(|| StoreError::Damaged(format!("batch {seq} is not in the outbox")))
    }

    /// Every batch made, oldest first; `only_unacknowledged` leaves out those a receipt covered.
    pub fn outbox(&self, only_unacknowledged: bool) -> Result<Vec<OutboxBatch>, StoreError> {
        let condition = if only_unacknowledged {
            " WHERE acknowledged_at IS NULL"
        } else {
            ""
        };
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT seq, manifest_hash, payload, record_count, created_at, acknowledged_at
                 FROM outbox{condition} ORDER BY seq"
            ))
            .map_err(StoreError::sqlite("outbox"))?;
        let rows = stmt
            .query_map([], |row| {
                Ok(OutboxBatch {
                    seq: row.get(0)?,
                    manifest_hash: row.get(1)?,
                    payload: row.get(2)?,
                    record_count: row.get(3)?,
                    created_at: row.get(4)?,
                    acknowledged: row.get::<_, Option<String>>(5)?.is_some(),
                })
            })
            .map_err(StoreError::sqlite("outbox"))?;
        rows.collect::<Result<_, _>>()
            .map_err(StoreError::sqlite("outbox"))
    }

    /// The manifest hash of every batch made, by number.
    pub fn outbox_manifests(&self) -> Result<std::collections::BTreeMap<u64, String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT seq, manifest_hash FROM outbox")
            .map_err(StoreError::sqlite("outbox"))?;
        let rows = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .map_err(StoreError::sqlite("outbox"))?;
        rows.collect::<Result<_, _>>()
            .map_err(StoreError::sqlite("outbox"))
    }

    /// Marks the batches a receipt says central has.
    pub fn acknowledge_batches(&mut self, received: &[u64]) -> Result<usize, StoreError> {
        let now = timestamp(self.now());
        let operator = self.operator.clone();
        let tx = self.tx()?;
        let mut changed = 0;
        for seq in received {
            changed += tx
                .execute(
                    "UPDATE outbox SET acknowledged_at = ?2 WHERE seq = ?1 AND acknowledged_at IS NULL",
                    params![seq, now],
                )
                .map_err(StoreError::sqlite("outbox"))?;
        }
        if changed > 0 {
            audit::append(&tx, &operator, "batch.acknowledged", &changed.to_string())?;
        }
        tx.commit().map_err(StoreError::sqlite("outbox"))?;
        Ok(changed)
    }

    /// The highest version applied of a kind of incoming file ("receipt", "pack").
    pub fn inbox_version(&self, kind: &str) -> Result<u64, StoreError> {
        let version: Option<u64> = self
            .conn
            .query_row(
                "SELECT max(version) FROM inbox WHERE kind = ?1",
                [kind],
                |row| row.get(0),
            )
            .map_err(StoreError::sqlite("inbox"))?;
        Ok(version.unwrap_or(0))
    }

    /// The body of the latest applied file of a kind.
    pub fn inbox_latest(&self, kind: &str) -> Result<Option<(u64, String)>, StoreError> {
        self.conn
            .query_row(
                "SELECT version, body FROM inbox WHERE kind = ?1 ORDER BY version DESC LIMIT 1",
                [kind],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(StoreError::sqlite("inbox"))
    }

    /// Records that a receipt or pack was applied.
    pub fn inbox_applied(
        &mut self,
        kind: &str,
        version: u64,
        body: &str,
    ) -> Result<(), StoreError> {
        let now = timestamp(self.now());
        let operator = self.operator.clone();
        let tx = self.tx()?;
        tx.execute(
            "INSERT OR IGNORE INTO inbox (kind, version, applied_at, body) VALUES (?1, ?2, ?3, ?4)",
            params![kind, version, now, body],
        )
        .map_err(StoreError::sqlite("inbox"))?;
        audit::append(
            &tx,
            &operator,
            &format!("{kind}.applied"),
            &version.to_string(),
        )?;
        tx.commit().map_err(StoreError::sqlite("inbox"))
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

    /// Gives back the pages held for making or importing batches ([`Store::make_batch`] does
    /// when it finds nothing more to send; central calls it after its imports). Kept across
    /// batches until then: shrinking the cache frees every page in it, which costs more than
    /// a batch's reads when done for each one.
    pub fn end_exchange(&self) {
        // Only memory is at stake: a failure leaves the larger cache until the store closes.
        let _ = self.set_cache_kib(EVERYDAY_CACHE_KIB);
    }

    fn set_cache_kib(&self, kib: i64) -> Result<(), StoreError> {
        self.conn
            .pragma_update(None, "cache_size", -kib)
            .map_err(StoreError::sqlite("cache size"))
    }

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
            tally: RefCell::new(Tally::new(self.zone)),
        };
        let value = work(&import)?;
        if dry_run {
            import.tx.rollback().map_err(StoreError::sqlite("import"))?;
        } else {
            import.search.borrow_mut().flush(&import.tx)?;
            import.tally.borrow_mut().write(&import.tx)?;
            import.tx.commit().map_err(StoreError::sqlite("import"))?;
        }
        Ok(value)
    }

    /// The setting `name` as a number (0 when unset).
    pub fn counter(&self, name: &str) -> Result<u64, StoreError> {
        Ok(meta::get(&self.conn, name)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    }
}

impl Store {
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
                at: super::parse_timestamp(&at)?,
                author,
            });
        }
        Ok(outcomes)
    }
}

/// What a batch is being filled with: prepared records, their weight, and their ids (a
/// record goes once a batch). Records are offered a unit at a time (a record with those it
/// names), and a unit that would take the batch past its caps is refused whole.
struct Cut<T> {
    taken: Vec<(usize, T)>,
    ids: HashSet<Uuid>,
    weight: usize,
    max_records: usize,
    max_bytes: usize,
}

impl<T> Cut<T> {
    fn new(max_records: usize, max_bytes: usize) -> Cut<T> {
        Cut {
            taken: Vec::new(),
            ids: HashSet::new(),
            weight: 0,
            max_records,
            max_bytes,
        }
    }

    fn holds(&self, id: Uuid) -> bool {
        self.ids.contains(&id)
    }

    fn is_empty(&self) -> bool {
        self.taken.is_empty()
    }

    /// Takes `unit` if it fits (the first always does: a record is never split); false when
    /// the batch is full. Weighed as sent, so the cut is exact: the same store state always
    /// cuts the same batch.
    fn offer(
        &mut self,
        unit: Vec<Record>,
        prepare: &mut impl FnMut(Record) -> Result<(T, usize), StoreError>,
    ) -> Result<bool, StoreError> {
        Ok(self.accept(PreparedUnit::new(unit, prepare)?))
    }

    /// Takes a unit prepared already, but for its records taken before (a unit prepared
    /// ahead of the cut may repeat one an earlier unit brought).
    fn accept(&mut self, unit: PreparedUnit<T>) -> bool {
        let items: Vec<(Uuid, usize, T, usize)> = unit
            .items
            .into_iter()
            .filter(|(id, ..)| !self.ids.contains(id))
            .collect();
        let unit_weight = items
            .iter()
            .fold(0usize, |sum, (.., weight)| sum.saturating_add(*weight));
        if !self.taken.is_empty()
            && (self.taken.len() + items.len() > self.max_records
                || self.weight.saturating_add(unit_weight) > self.max_bytes)
        {
            return false;
        }
        self.weight = self.weight.saturating_add(unit_weight);
        for (id, rank, item, _) in items {
            self.ids.insert(id);
            self.taken.push((rank, item));
        }
        true
    }

    /// The records taken, in import order; within a kind, in the order they were taken.
    fn into_records(mut self) -> Vec<T> {
        self.taken.sort_by_key(|(rank, _)| *rank);
        self.taken.into_iter().map(|(_, item)| item).collect()
    }
}

/// A unit of records as a batch carries them: each with its id, kind (as a rank in
/// [`KIND_ORDER`]), what `prepare` made of it and its weight.
struct PreparedUnit<T> {
    items: Vec<(Uuid, usize, T, usize)>,
}

impl<T> PreparedUnit<T> {
    fn new(
        unit: Vec<Record>,
        prepare: &mut impl FnMut(Record) -> Result<(T, usize), StoreError>,
    ) -> Result<PreparedUnit<T>, StoreError> {
        let mut items = Vec::with_capacity(unit.len());
        for record in unit {
            let id = record.meta().id;
            let rank = KIND_ORDER
                .iter()
                .position(|k| *k == record.kind())
                .unwrap_or(KIND_ORDER.len());
            let (item, weight) = prepare(record)?;
            items.push((id, rank, item, weight));
        }
        Ok(PreparedUnit { items })
    }
}

/// A unit the scan read, for the other thread to prepare: a call's row still as text (its
/// body is parsed there), then the records that go with it, or a record of another kind.
struct ScanJob {
    /// Where it was read: kind (in [`KIND_ORDER`]) and row.
    at: (usize, i64),
    body: Option<(crate::model::RecordMeta, String)>,
    unit: Vec<Record>,
}

type ScanResult<T> = Result<((usize, i64), PreparedUnit<T>), StoreError>;

impl ScanJob {
    fn prepare<T>(
        self,
        prepare: &mut impl FnMut(Record) -> Result<(T, usize), StoreError>,
    ) -> ScanResult<T> {
        let mut unit = Vec::with_capacity(self.unit.len() + 1);
        if let Some((meta, body)) = self.body {
            let Call { meta, fields, .. } = super::calls::build_call(meta, &body)?;
            unit.push(Record::Call {
                meta,
                fields: Box::new(fields),
            });
        }
        unit.extend(self.unit);
        Ok((self.at, PreparedUnit::new(unit, prepare)?))
    }
}

/// Offers a prepared unit to the cut, in the order the scan read it; where the scan stands
/// moves with each unit taken. False when the batch is full.
fn take<T>(
    cut: &mut Cut<T>,
    taken_to: &mut (usize, i64),
    result: ScanResult<T>,
) -> Result<bool, StoreError> {
    let (at, unit) = result?;
    if !cut.accept(unit) {
        return Ok(false);
    }
    *taken_to = at;
    Ok(true)
}

/// Where an office's first export stands: it reads the record tables as they were when it
/// started (rows up to `last_rows`, changes up to `up_to_change`), a kind after the other.
/// Kept in `meta` with each batch it made, in the batch's transaction, so a batch cut again
/// after a crash is cut the same.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TableScan {
    up_to_change: i64,
    /// The last rowid of each kind's table (in [`KIND_ORDER`]) when the scan started.
    last_rows: [i64; 4],
    /// The kind being read (an index into [`KIND_ORDER`]), and the last row of it taken.
    kind: usize,
    after_row: i64,
}

impl TableScan {
    const KEY: &'static str = "export_scan";

    /// The scan in progress, or a new one; `None` when the store has no changes at all.
    fn resume_or_start(tx: &Transaction<'_>) -> Result<Option<TableScan>, StoreError> {
        if let Some(text) = meta::get(tx, Self::KEY)? {
            return TableScan::from_text(&text).map(Some).ok_or_else(|| {
                StoreError::Damaged(format!("the first export's place '{text}' is unreadable"))
            });
        }
        let up_to_change: i64 = tx
            .query_row("SELECT coalesce(max(seq), 0) FROM changes", [], |row| {
                row.get(0)
            })
            .map_err(StoreError::sqlite("change log"))?;
        if up_to_change == 0 {
            return Ok(None);
        }
        let mut last_rows = [0; 4];
        for (last, kind) in last_rows.iter_mut().zip(KIND_ORDER) {
            let (table, _) = scanned_table(kind);
            *last = tx
                .query_row(
                    &format!("SELECT coalesce(max(rowid), 0) FROM {table}"),
                    [],
                    |row| row.get(0),
                )
                .map_err(StoreError::sqlite("export"))?;
        }
        Ok(Some(TableScan {
            up_to_change,
            last_rows,
            kind: 0,
            after_row: 0,
        }))
    }

    fn to_text(&self) -> String {
        let [a, b, c, d] = self.last_rows;
        format!(
            "{} {a} {b} {c} {d} {} {}",
            self.up_to_change, self.kind, self.after_row
        )
    }

    fn from_text(text: &str) -> Option<TableScan> {
        let numbers: Vec<i64> = text
            .split(' ')
            .map(str::parse)
            .collect::<Result<_, _>>()
            .ok()?;
        let [up_to_change, a, b, c, d, kind, after_row] = numbers[..] else {
            return None;
        };
        Some(TableScan {
            up_to_change,
            last_rows: [a, b, c, d],
            kind: usize::try_from(kind).ok()?,
            after_row,
        })
    }
}

/// A call's columns as its reader takes them, and the case it names (its references are
/// known before its body is parsed).
const CALL_SCAN_COLUMNS: &str =
    "id, office_id, author, created_at, updated_at, version, started_at, body, case_id";

/// A kind's table, and the columns the scan reads from it (the rowid follows them), as
/// each kind's own reader takes them.
fn scanned_table(kind: &str) -> (&'static str, &'static str) {
    const RECORD: &str = "id, office_id, author, created_at, updated_at, version, body";
    match kind {
        "call" => ("calls", CALL_SCAN_COLUMNS),
        "case" => ("cases", RECORD),
        "person" => (
            "people",
            "id, office_id, author, created_at, updated_at, version, body, case_id",
        ),
        _ => ("referrals", super::referrals::COLUMNS),
    }
}

fn parse_body<F: serde::de::DeserializeOwned>(
    kind: &str,
    meta: &crate::model::RecordMeta,
    body: &str,
) -> Result<F, StoreError> {
    serde_json::from_str(body)
        .map_err(|e| StoreError::Damaged(format!("{kind} {} cannot be read: {e}", meta.id)))
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
    /// ([`super::callers`]).
    pub fn link_caller(&self, call_id: Uuid, hashes: &[PhoneHash]) -> Result<(), StoreError> {
        super::callers::link(&self.tx, &call_id.to_string(), hashes)
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
    /// manifest, as [`Store::raise_alert`]).
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

impl Store {
    /// Batches imported from an office, oldest first.
    pub fn imported_batches(&self, office_id: &str) -> Result<Vec<ImportedBatch>, StoreError> {
        // Only reads: no need to wait for writers.
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Deferred)
            .map_err(StoreError::sqlite("batches"))?;
        office_batches(&tx, office_id)
    }
}
