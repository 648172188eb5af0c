//! What the USB exchange keeps in an office's store: the batches it made (until a receipt
//! covers them), and the receipts and packs it applied. Central's side is in
//! `central/exchange.rs`, what both keep in `exchange_shared.rs`. The formats are the
//! exchange's; the store only keeps bytes and bookkeeping, and records.

use std::collections::HashSet;
use std::sync::mpsc;

use rusqlite::{OptionalExtension, Transaction, params};
use uuid::Uuid;

use super::OfficeStore;
use crate::model::Record;
use crate::store::exchange_shared::EXCHANGE_CACHE_KIB;
use crate::store::{StoreError, audit, meta, timestamp};

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

/// Record kinds in the order central must import them: a call names its case, a referral
/// its call and case.
const KIND_ORDER: [&str; 4] = ["case", "call", "person", "referral"];

impl OfficeStore {
    /// The records changed after change `after`, each turned by `prepare` into what a batch
    /// carries and its weight, in import order; and the last change they cover. The walk
    /// stops before the record that would take the batch past `max_records` records or
    /// `max_bytes` of weight (the first goes whatever it weighs: a record is never split).
    /// Changes are taken in order, so what is left over starts the next batch.
    ///
    /// A record goes with those it names (see [`OfficeStore::with_references`]), so the cut never
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
    /// scan did not send before (made after it started), as [`OfficeStore::pending_records`] does.
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
        /// Rows handed to the other thread at a time: one row at a time, waking it and
        /// being woken cost a tenth of the export's CPU time.
        const CHUNK: usize = 64;
        /// Chunks read ahead of the cut at most.
        const READ_AHEAD: usize = 4;
        std::thread::scope(|scope| {
            let (jobs, queue) = mpsc::sync_channel::<Vec<ScanJob>>(READ_AHEAD);
            let (results, done) = mpsc::channel::<PreparedChunk<T>>();
            scope.spawn(move || {
                for chunk in queue {
                    if results.send(PreparedChunk::new(chunk, prepare)).is_err() {
                        break;
                    }
                }
            });
            let mut chunk = Vec::with_capacity(CHUNK);
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
                        let meta = crate::store::calls::call_meta(row)
                            .map_err(StoreError::sqlite("export"))?;
                        let body: String = row.get(7).map_err(StoreError::sqlite("export"))?;
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
                    chunk.push(ScanJob {
                        at: (reading, rowid),
                        body,
                        unit,
                    });
                    if chunk.len() < CHUNK {
                        continue;
                    }
                    hand_over(&jobs, &mut chunk)?;
                    while let Ok(prepared) = done.try_recv() {
                        if !take_all(cut, &mut taken_to, prepared)? {
                            full = true;
                            break 'kinds;
                        }
                    }
                }
            }
            if !full && !chunk.is_empty() {
                hand_over(&jobs, &mut chunk)?;
            }
            drop(jobs);
            if !full {
                for prepared in done.iter() {
                    if !take_all(cut, &mut taken_to, prepared)? {
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
            Ok((
                crate::store::cases::meta_from_row(row)?,
                row.get::<_, String>(6)?,
            ))
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
                let (id, meta, body) = crate::store::referrals::meta_and_body(row).map_err(read)?;
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
        prepare: P,
        build: F,
    ) -> Result<Option<OutboxBatch>, StoreError>
    where
        T: Send,
        P: FnMut(Record) -> Result<(T, usize), StoreError> + Send,
        F: FnOnce(&OfficeStore, &BatchStart, Vec<T>) -> Result<(Vec<u8>, String), StoreError>,
    {
        let build = |store: &OfficeStore, start: &BatchStart, records| {
            let built = build(store, start, records);
            Ok(move || built)
        };
        self.make_batch_ahead(
            &mut ReadAhead::never(),
            max_records,
            max_bytes,
            prepare,
            build,
        )
    }

    /// [`OfficeStore::make_batch`] on both cores: `build` does what needs the store and returns
    /// the rest of the work (signing, compressing), which runs on another thread while this
    /// one reads the next batch's records into `ahead`. The next call takes them from there
    /// if nothing was written to the store in between, and reads them again otherwise: either
    /// way the cut is the one a single thread makes, and a batch cut again after a crash is
    /// cut the same.
    pub fn make_batch_ahead<T, P, F, G>(
        &self,
        ahead: &mut ReadAhead<T>,
        max_records: usize,
        max_bytes: usize,
        mut prepare: P,
        build: F,
    ) -> Result<Option<OutboxBatch>, StoreError>
    where
        T: Send,
        P: FnMut(Record) -> Result<(T, usize), StoreError> + Send,
        F: FnOnce(&OfficeStore, &BatchStart, Vec<T>) -> Result<G, StoreError>,
        G: FnOnce() -> Result<(Vec<u8>, String), StoreError> + Send,
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
        let from = CutFrom::of(&tx, after)?;
        let stamp = self.write_stamp()?;
        let (cut, end) = match ahead.take(&from, stamp) {
            Some(read) => read,
            None => {
                let mut cut = Cut::new(max_records, max_bytes);
                let end = self.cut_from(&from, &mut cut, &mut prepare)?;
                (cut, end)
            }
        };
        match (&from, &end.scan) {
            (_, Some(scan)) => meta::set(&tx, TableScan::KEY, &scan.to_text())?,
            (CutFrom::Scan(_), None) => meta::delete(&tx, TableScan::KEY)?,
            (CutFrom::Log(_), None) => {}
        }
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
        let finish = build(self, &start, records)?;
        let next = end.next();
        let (built, read_ahead) = std::thread::scope(|scope| {
            let builder = scope.spawn(finish);
            let read_ahead = ahead.wanted.then(|| {
                let mut cut = Cut::new(max_records, max_bytes);
                // A failure here is met again, and reported, by the next batch's own read.
                self.cut_from(&next, &mut cut, &mut prepare)
                    .ok()
                    .map(|end| (cut, end))
            });
            (builder.join(), read_ahead.flatten())
        });
        let (payload, manifest_hash) = built
            .map_err(|_| StoreError::Damaged("the thread building the batch stopped".into()))??;
        let now = timestamp(self.now());
        tx.execute(
            "INSERT INTO outbox (seq, manifest_hash, payload, last_change, record_count, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![seq, manifest_hash, payload, end.last_change, record_count, now],
        )
        .map_err(StoreError::sqlite("outbox"))?;
        if let Some((entries, _)) = start.audit_head {
            audit::remember_batched(&tx, entries)?;
        }
        audit::append(&tx, &self.operator, "batch.create", &seq.to_string())?;
        tx.commit().map_err(StoreError::sqlite("outbox"))?;
        // Another connection's commit since this transaction's reads makes what was read
        // ahead stale (this one's commit does not move the data version).
        let committed = self.write_stamp()?;
        if let Some((cut, end)) = read_ahead
            && committed.0 == stamp.0
        {
            ahead.read = Some(Box::new(ReadCut {
                from: next,
                cut,
                end,
                stamp: committed,
            }));
        }
        Ok(Some(OutboxBatch {
            seq,
            manifest_hash,
            payload,
            record_count: record_count as u64,
            created_at: now,
            acknowledged: false,
        }))
    }

    /// Fills `cut` from `from`: a first export's table scan, then the change log from
    /// where the scan started once it is done; or the change log after a change.
    fn cut_from<T: Send>(
        &self,
        from: &CutFrom,
        cut: &mut Cut<T>,
        prepare: &mut (impl FnMut(Record) -> Result<(T, usize), StoreError> + Send),
    ) -> Result<CutEnd, StoreError> {
        let mut scan = match from {
            CutFrom::Log(after) => {
                let last_change = self.pending_records(*after, cut, prepare)?;
                return Ok(CutEnd {
                    last_change,
                    scan: None,
                });
            }
            CutFrom::Scan(scan) => scan.clone(),
        };
        if !self.scanned_records(&mut scan, cut, prepare)? {
            // No change is covered until the scan is done.
            return Ok(CutEnd {
                last_change: 0,
                scan: Some(scan),
            });
        }
        let last_change = if cut.is_empty() {
            // Nothing was left to scan (records deleted meanwhile): the log goes on from
            // the scan's start.
            self.pending_records(scan.up_to_change, cut, prepare)?
        } else {
            scan.up_to_change
        };
        Ok(CutEnd {
            last_change,
            scan: None,
        })
    }

    /// What changes when anything is written to the store.
    fn write_stamp(&self) -> Result<WriteStamp, StoreError> {
        let version: i64 = self
            .conn
            .pragma_query_value(None, "data_version", |row| row.get(0))
            .map_err(StoreError::sqlite("data version"))?;
        Ok((version, self.conn.total_changes()))
    }

    /// The batches no receipt covers yet, oldest first, as (number, made at), without their
    /// payloads: a sync reads and writes them one at a time ([`OfficeStore::outbox_payload`]), so
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
        let mut items = Vec::with_capacity(unit.len());
        let len = prepare_unit(unit, prepare, &mut items)?;
        Ok(self.accept(&mut items.into_iter(), len))
    }

    /// Takes the unit of the next `len` prepared records of `items` (consumed only if it is
    /// taken), but for its records taken before (a unit prepared ahead of the cut may
    /// repeat one an earlier unit brought).
    fn accept(&mut self, items: &mut std::vec::IntoIter<Item<T>>, len: usize) -> bool {
        let unit = items.as_slice().get(..len).unwrap_or_default();
        let new = |(id, ..): &&Item<T>| !self.ids.contains(id);
        let (count, unit_weight) = unit
            .iter()
            .filter(new)
            .fold((0usize, 0usize), |(count, sum), (.., weight)| {
                (count + 1, sum.saturating_add(*weight))
            });
        if !self.taken.is_empty()
            && (self.taken.len() + count > self.max_records
                || self.weight.saturating_add(unit_weight) > self.max_bytes)
        {
            return false;
        }
        self.weight = self.weight.saturating_add(unit_weight);
        for (id, rank, item, _) in items.by_ref().take(len) {
            // False for a record taken before: it goes once.
            if self.ids.insert(id) {
                self.taken.push((rank, item));
            }
        }
        true
    }

    /// The records taken, in import order; within a kind, in the order they were taken.
    fn into_records(mut self) -> Vec<T> {
        self.taken.sort_by_key(|(rank, _)| *rank);
        self.taken.into_iter().map(|(_, item)| item).collect()
    }
}

/// A record as a batch carries it: its id, kind (as a rank in [`KIND_ORDER`]), what
/// `prepare` made of it and its weight.
type Item<T> = (Uuid, usize, T, usize);

/// Prepares a unit's records onto `items`; returns how many. On a failure `items` is as it
/// was.
fn prepare_unit<T>(
    unit: Vec<Record>,
    prepare: &mut impl FnMut(Record) -> Result<(T, usize), StoreError>,
    items: &mut Vec<Item<T>>,
) -> Result<usize, StoreError> {
    let start = items.len();
    for record in unit {
        let id = record.meta().id;
        let rank = KIND_ORDER
            .iter()
            .position(|k| *k == record.kind())
            .unwrap_or(KIND_ORDER.len());
        match prepare(record) {
            Ok((item, weight)) => items.push((id, rank, item, weight)),
            Err(e) => {
                items.truncate(start);
                return Err(e);
            }
        }
    }
    Ok(items.len() - start)
}

/// A chunk of the scan's units prepared on the other thread: their records in one list,
/// and for each unit where it was read and how many records it has, or why it could not be
/// prepared. One list a chunk, not one a unit: memory one thread allocates and another
/// frees makes glibc lock the arena it came from, and with a list a unit the two threads
/// waited on each other's arenas (futex waits went from 7.5 % to 4.3 % of the export's
/// CPU samples at 100,000 calls).
struct PreparedChunk<T> {
    items: Vec<Item<T>>,
    units: Vec<Result<(ScanPlace, usize), StoreError>>,
}

/// Where the scan read a unit: its kind (in [`KIND_ORDER`]) and row.
type ScanPlace = (usize, i64);

impl<T> PreparedChunk<T> {
    fn new(
        jobs: Vec<ScanJob>,
        prepare: &mut impl FnMut(Record) -> Result<(T, usize), StoreError>,
    ) -> PreparedChunk<T> {
        let mut items = Vec::with_capacity(jobs.len());
        let units = jobs
            .into_iter()
            .map(|job| job.prepare(prepare, &mut items))
            .collect();
        PreparedChunk { items, units }
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

impl ScanJob {
    /// Prepares the unit onto `items`; returns where it was read and how many records it
    /// has.
    fn prepare<T>(
        self,
        prepare: &mut impl FnMut(Record) -> Result<(T, usize), StoreError>,
        items: &mut Vec<Item<T>>,
    ) -> Result<(ScanPlace, usize), StoreError> {
        let mut unit = Vec::with_capacity(self.unit.len() + 1);
        if let Some((meta, body)) = self.body {
            // Only the fields travel: not what the desk works out from them (`Call::new`).
            unit.push(Record::Call {
                fields: Box::new(parse_body("call", &meta, &body)?),
                meta,
            });
        }
        unit.extend(self.unit);
        Ok((self.at, prepare_unit(unit, prepare, items)?))
    }
}

/// Sends the rows read to the thread that prepares them, and starts a new chunk.
fn hand_over(
    jobs: &mpsc::SyncSender<Vec<ScanJob>>,
    chunk: &mut Vec<ScanJob>,
) -> Result<(), StoreError> {
    let full = std::mem::replace(chunk, Vec::with_capacity(chunk.capacity()));
    jobs.send(full)
        .map_err(|_| StoreError::Damaged("the export's second thread stopped".into()))
}

/// Offers a chunk's prepared units to the cut, in the order the scan read them, until one
/// does not fit; where the scan stands moves with each unit taken. False when the batch is
/// full.
fn take_all<T>(
    cut: &mut Cut<T>,
    taken_to: &mut (usize, i64),
    prepared: PreparedChunk<T>,
) -> Result<bool, StoreError> {
    let mut items = prepared.items.into_iter();
    for unit in prepared.units {
        let (at, len) = unit?;
        if !cut.accept(&mut items, len) {
            return Ok(false);
        }
        *taken_to = at;
    }
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

/// Where the next batch's cut starts.
#[derive(Debug, Clone, PartialEq, Eq)]
enum CutFrom {
    /// A first export's table scan, where it stands.
    Scan(TableScan),
    /// The change log, after this change.
    Log(i64),
}

impl CutFrom {
    /// Where the batch after the one whose last change is `after` starts: a first export
    /// reads the tables as they stand instead of the change log record by record.
    fn of(tx: &Transaction<'_>, after: i64) -> Result<CutFrom, StoreError> {
        if after > 0 {
            return Ok(CutFrom::Log(after));
        }
        Ok(TableScan::resume_or_start(tx)?.map_or(CutFrom::Log(0), CutFrom::Scan))
    }
}

/// Where a cut ended: the last change it covers (0 while a scan goes on), and where the
/// scan stands if it is not done.
struct CutEnd {
    last_change: i64,
    scan: Option<TableScan>,
}

impl CutEnd {
    /// Where the next batch starts, as [`CutFrom::of`] finds it once this cut is committed.
    fn next(&self) -> CutFrom {
        match &self.scan {
            Some(scan) => CutFrom::Scan(scan.clone()),
            None => CutFrom::Log(self.last_change),
        }
    }
}

/// The next batch's records, read ahead by [`OfficeStore::make_batch_ahead`].
pub struct ReadAhead<T> {
    wanted: bool,
    read: Option<Box<ReadCut<T>>>,
}

/// A cut read ahead: where it started, what it took and where it ended, and the store's
/// [`WriteStamp`] once the batch before it was committed.
struct ReadCut<T> {
    from: CutFrom,
    cut: Cut<T>,
    end: CutEnd,
    stamp: WriteStamp,
}

/// SQLite's data version (moved by other connections' commits) and the rows this
/// connection changed: what [`OfficeStore::write_stamp`] reads.
type WriteStamp = (i64, u64);

impl<T> ReadAhead<T> {
    /// Reads ahead.
    pub fn new() -> ReadAhead<T> {
        ReadAhead {
            wanted: true,
            read: None,
        }
    }

    fn never() -> ReadAhead<T> {
        ReadAhead {
            wanted: false,
            read: None,
        }
    }

    /// What was read ahead, if it starts at `from` and nothing was written since.
    fn take(&mut self, from: &CutFrom, stamp: WriteStamp) -> Option<(Cut<T>, CutEnd)> {
        let read = self.read.take()?;
        (read.from == *from && read.stamp == stamp).then_some((read.cut, read.end))
    }
}

impl<T> Default for ReadAhead<T> {
    fn default() -> ReadAhead<T> {
        ReadAhead::new()
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
        _ => ("referrals", crate::store::referrals::COLUMNS),
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
