//! The audit chain: who unlocked, created, changed, exported, imported or purged what.
//! Ids and actions only, never content. Each entry's hash covers the previous entry's hash,
//! and the head (last sequence number and hash) is kept in `meta`, so editing, deleting or
//! truncating entries is detected.
//!
//! An entry for a change to a record also carries the record's content hash (schema
//! version 8; entries made before it carry none), so a record edited in the database
//! behind linea's back no longer matches its latest entry; a record retention purges gets
//! an entry too (`call.purge`, its id, no hash), so one deleted behind linea's back is a
//! record whose latest hashed entry is no purge. At an office every record was made with an
//! entry naming it (from the first schema on), so a record no entry names was added behind
//! linea's back. Central imports records without an entry each: there only the chain is
//! checked.
//!
//! A chain that no longer ends where its head says (entries deleted or rewritten) is never
//! papered over: the next entry written first records the cut, in the chain itself, and
//! `verify` reports it from then on.

use std::path::Path;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use sha2::{Digest, Sha256};

use super::lock::StoreLock;
use super::{Store, StoreError, meta, operators, schema, timestamp};
use crate::keys::{KeyDir, Passphrase};

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const HEAD: &str = "audit_head";
/// The action of the entry that records a cut chain.
const CUT: &str = "audit.cut";
/// The entry count the head of the newest batch named (the office's own bookkeeping).
const BATCHED: &str = "audit_batched";
/// What the action of an entry for a purged record ends with: `call.purge`.
const PURGE: &str = "purge";

/// Record kinds, as the actions on them begin (`call.update`), and their tables.
const RECORD_TABLES: [(&str, &str); 4] = [
    ("call", "calls"),
    ("case", "cases"),
    ("person", "people"),
    ("referral", "referrals"),
];

/// One entry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub operator: String,
    pub action: String,
    pub subject: String,
    /// The content hash of the record the entry changed, if it changed one.
    pub record_hash: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEntry {
    fn expected_hash(&self) -> String {
        entry_hash(
            &self.prev_hash,
            self.seq,
            &self.at,
            &self.operator,
            &self.action,
            &self.subject,
            self.record_hash.as_deref(),
        )
    }

    fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
        Ok(AuditEntry {
            seq: row.get(0)?,
            at: row.get(1)?,
            operator: row.get(2)?,
            action: row.get(3)?,
            subject: row.get(4)?,
            record_hash: row.get(5)?,
            prev_hash: row.get(6)?,
            hash: row.get(7)?,
        })
    }
}

const ENTRY_COLUMNS: &str = "seq, at, operator, action, subject, record_hash, prev_hash, hash";

/// The columns [`AuditEntry::from_row`] reads, in a store at `version`: before record hashes,
/// NULL stands for the one it lacks.
fn entry_columns(version: u32) -> &'static str {
    if version >= schema::RECORD_HASHES {
        ENTRY_COLUMNS
    } else {
        "seq, at, operator, action, subject, NULL, prev_hash, hash"
    }
}

/// The hash of an entry. An entry without a record hash hashes as entries always did.
fn entry_hash(
    prev: &str,
    seq: i64,
    at: &str,
    operator: &str,
    action: &str,
    subject: &str,
    record_hash: Option<&str>,
) -> String {
    let mut hasher = Sha256::new();
    let seq = seq.to_string();
    let parts = [prev, &seq, at, operator, action, subject];
    for part in parts.into_iter().chain(record_hash) {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    hex::encode(hasher.finalize())
}

/// Appends an entry inside the caller's transaction, so it commits with the change it records.
pub fn append(
    tx: &Transaction<'_>,
    operator: &str,
    action: &str,
    subject: &str,
) -> Result<(), StoreError> {
    insert(tx, operator, action, subject, None)
}

/// Appends an entry for a change to a record, with the record's content hash as it now
/// stands in `tx`. `action` begins with the record's kind: `call.update`, `referral.status`.
pub fn append_record(
    tx: &Transaction<'_>,
    operator: &str,
    action: &str,
    id: &str,
) -> Result<(), StoreError> {
    let hash = record_table(action)
        .map(|table| record_hash(tx, table, id))
        .transpose()?
        .flatten()
        .ok_or_else(|| StoreError::Damaged(format!("{action}: record {id} is not in the store")))?;
    insert(tx, operator, action, id, Some(&hash))
}

/// Appends an entry for each record a purge removed, inside the purge's transaction: its
/// kind and id (`call.purge`), never content. `records` yields (kind, id) pairs.
pub fn append_purged<'a>(
    tx: &Transaction<'_>,
    operator: &str,
    records: impl IntoIterator<Item = (&'static str, &'a str)>,
) -> Result<(), StoreError> {
    let mut last = chain_end(tx, operator)?;
    for (kind, id) in records {
        let action = format!("{kind}.{PURGE}");
        last = Some(write_entry(tx, last, operator, &action, id, None)?);
    }
    set_head(tx, last)
}

fn insert(
    tx: &Transaction<'_>,
    operator: &str,
    action: &str,
    subject: &str,
    record_hash: Option<&str>,
) -> Result<(), StoreError> {
    let last = chain_end(tx, operator)?;
    let last = write_entry(tx, last, operator, action, subject, record_hash)?;
    set_head(tx, Some(last))
}

/// The entry the next one chains on from: the last, or when the head names another, an
/// entry recording the cut, written first.
fn chain_end(tx: &Transaction<'_>, operator: &str) -> Result<Option<(i64, String)>, StoreError> {
    let last = last_entry(tx)?;
    let head = meta::get(tx, HEAD)?;
    let end = last.as_ref().map(|(seq, hash)| format!("{seq}:{hash}"));
    if head != end {
        let detail = format!(
            "the head named entry {}, the chain ended at entry {}",
            head.as_deref()
                .and_then(parse_head)
                .map_or(0, |(seq, _)| seq),
            last.as_ref().map_or(0, |(seq, _)| *seq),
        );
        return Ok(Some(write_entry(tx, last, operator, CUT, &detail, None)?));
    }
    Ok(last)
}

/// Moves the head to the entry last written.
fn set_head(tx: &Transaction<'_>, last: Option<(i64, String)>) -> Result<(), StoreError> {
    match last {
        Some((seq, hash)) => meta::set(tx, HEAD, &format!("{seq}:{hash}")),
        None => Ok(()),
    }
}

/// Writes the entry after `last`; returns its sequence and hash. The caller moves the head.
fn write_entry(
    tx: &Transaction<'_>,
    last: Option<(i64, String)>,
    operator: &str,
    action: &str,
    subject: &str,
    record_hash: Option<&str>,
) -> Result<(i64, String), StoreError> {
    let (seq, prev) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_owned()),
    };
    let at = timestamp(chrono::Utc::now());
    let hash = entry_hash(&prev, seq, &at, operator, action, subject, record_hash);
    tx.prepare_cached(
        "INSERT INTO audit (seq, at, operator, action, subject, record_hash, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            seq,
            at,
            operator,
            action,
            subject,
            record_hash,
            prev,
            hash
        ])
    })
    .map_err(StoreError::sqlite("audit"))?;
    Ok((seq, hash))
}

fn last_entry(conn: &Connection) -> Result<Option<(i64, String)>, StoreError> {
    conn.prepare_cached("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
        .and_then(|mut stmt| {
            stmt.query_row([], |row| Ok((row.get(0)?, row.get(1)?)))
                .optional()
        })
        .map_err(StoreError::sqlite("audit"))
}

fn record_table(action: &str) -> Option<&'static str> {
    let kind = record_kind(action);
    RECORD_TABLES
        .iter()
        .find(|(name, _)| *name == kind)
        .map(|(_, table)| *table)
}

/// A record's content hash: SHA-256 over its row as stored (every column that is not NULL,
/// by name, so a column added later leaves older hashes valid, [`DERIVED_COLUMNS`] apart)
/// and, for a referral, over its status history. `None` when there is no such record.
fn record_hash(conn: &Connection, table: &str, id: &str) -> Result<Option<String>, StoreError> {
    let mut hasher = Sha256::new();
    let found = hash_rows(
        conn,
        &format!("SELECT * FROM {table} WHERE id = ?1"),
        id,
        &mut hasher,
    )?;
    if found == 0 {
        return Ok(None);
    }
    if table == "referrals" {
        hash_rows(
            conn,
            "SELECT * FROM referral_status WHERE referral_id = ?1 ORDER BY seq",
            id,
            &mut hasher,
        )?;
    }
    Ok(Some(hex::encode(hasher.finalize())))
}

/// Columns a migration filled from the body for records saved before them (schema version
/// 10's normalised phone): the body is hashed, and filling them is no change to a record.
const DERIVED_COLUMNS: &[&str] = &["phone"];

/// Feeds every row `sql` selects for `id` to `hasher`; returns how many there were.
fn hash_rows(
    conn: &Connection,
    sql: &str,
    id: &str,
    hasher: &mut Sha256,
) -> Result<usize, StoreError> {
    let mut stmt = conn
        .prepare_cached(sql)
        .map_err(StoreError::sqlite("record hash"))?;
    let names: Vec<String> = stmt.column_names().map(String::from).collect();
    let mut rows = stmt
        .query([id])
        .map_err(StoreError::sqlite("record hash"))?;
    let mut count = 0;
    while let Some(row) = rows.next().map_err(StoreError::sqlite("record hash"))? {
        count += 1;
        hasher.update(b"row\0");
        for (index, name) in names.iter().enumerate() {
            let value = row
                .get_ref(index)
                .map_err(StoreError::sqlite("record hash"))?;
            let number;
            if DERIVED_COLUMNS.contains(&name.as_str()) {
                continue;
            }
            let (kind, bytes): (u8, &[u8]) = match value {
                ValueRef::Null => continue,
                ValueRef::Integer(n) => {
                    number = n.to_be_bytes();
                    (b'i', &number)
                }
                ValueRef::Real(x) => {
                    number = x.to_be_bytes();
                    (b'r', &number)
                }
                ValueRef::Text(text) => (b't', text),
                ValueRef::Blob(blob) => (b'b', blob),
            };
            hasher.update(name.as_bytes());
            hasher.update([0, kind]);
            hasher.update((bytes.len() as u64).to_be_bytes());
            hasher.update(bytes);
        }
    }
    Ok(count)
}

/// Where the chain breaks, in words an auditor can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuditBreak {
    #[error("audit entry {seq} ({at}, {operator}, {action}) has been altered")]
    Altered {
        seq: i64,
        at: String,
        operator: String,
        action: String,
    },
    #[error("audit entry {seq} is missing: it was deleted")]
    Missing { seq: i64 },
    #[error(
        "audit entries after {last_present} are missing: the chain ends at entry {last_present} but entry {expected} was written"
    )]
    Truncated { last_present: i64, expected: i64 },
    #[error("the audit chain's head record is missing or damaged")]
    HeadDamaged,
    #[error(
        "audit entries were deleted or rewritten before entry {seq}, which linea wrote on finding it ({at}, {operator}): {detail}"
    )]
    Cut {
        seq: i64,
        at: String,
        operator: String,
        detail: String,
    },
    /// Records changed, deleted or added behind linea's back: the first found, and how many
    /// more.
    #[error("{first}{others}")]
    Records {
        first: RecordBreak,
        others: RecordCounts,
    },
}

/// A record that is not as the audit says linea left it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordBreak {
    #[error(
        "{} {id} was changed outside linea: it no longer matches audit entry {latest}",
        record_kind(&latest.action)
    )]
    Changed { id: String, latest: EntryRef },
    #[error(
        "{} {id} was deleted outside linea: its latest audit entry, {latest}, is no purge",
        record_kind(&latest.action)
    )]
    Deleted { id: String, latest: EntryRef },
    #[error("{kind} {id} was added outside linea: no audit entry names it")]
    Added { kind: &'static str, id: String },
}

/// An entry as a report names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryRef {
    pub seq: i64,
    pub at: String,
    pub operator: String,
    pub action: String,
}

impl std::fmt::Display for EntryRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let EntryRef {
            seq,
            at,
            operator,
            action,
        } = self;
        write!(f, "{seq} ({at}, {operator}, {action})")
    }
}

impl From<AuditEntry> for EntryRef {
    fn from(entry: AuditEntry) -> EntryRef {
        EntryRef {
            seq: entry.seq,
            at: entry.at,
            operator: entry.operator,
            action: entry.action,
        }
    }
}

/// How many records were found changed, deleted and added behind linea's back.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RecordCounts {
    pub changed: usize,
    pub deleted: usize,
    pub added: usize,
}

impl RecordCounts {
    fn count(&mut self, found: &RecordBreak) {
        match found {
            RecordBreak::Changed { .. } => self.changed += 1,
            RecordBreak::Deleted { .. } => self.deleted += 1,
            RecordBreak::Added { .. } => self.added += 1,
        }
    }
}

/// Said after the first record found: ", and 2 other records changed", or with each way
/// counted when there were several.
impl std::fmt::Display for RecordCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ways: Vec<(usize, &str)> = [
            (self.changed, "changed"),
            (self.deleted, "deleted"),
            (self.added, "added"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .collect();
        let total: usize = ways.iter().map(|(n, _)| n).sum();
        let records = if total == 1 { "record" } else { "records" };
        match ways.as_slice() {
            [] => Ok(()),
            [(_, way)] => write!(f, ", and {total} other {records} {way}"),
            _ => {
                let each: Vec<String> = ways.iter().map(|(n, way)| format!("{n} {way}")).collect();
                write!(f, ", and {total} other {records}: {}", each.join(", "))
            }
        }
    }
}

/// Records found so far: the first, and how many more.
#[derive(Default)]
struct Found {
    first: Option<RecordBreak>,
    others: RecordCounts,
}

impl Found {
    fn add(&mut self, found: RecordBreak) {
        match self.first {
            None => self.first = Some(found),
            Some(_) => self.others.count(&found),
        }
    }
}

/// What an intact chain holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditSummary {
    pub entries: u64,
    /// Records checked against the content hash of their latest entry.
    pub records: u64,
}

/// Checks the whole chain, then the records against it. Reads a store at its own schema
/// version, as an older linea left it: it is not upgraded first.
pub fn verify(conn: &Connection) -> Result<Result<AuditSummary, AuditBreak>, StoreError> {
    let version = schema::known_version(conn)?;
    let entries = match verify_chain(conn, version)? {
        Ok(entries) => entries,
        Err(broken) => return Ok(Err(broken)),
    };
    let mut found = Found::default();
    let records = if version >= schema::RECORD_HASHES {
        verify_latest(conn, &mut found)?
    } else {
        0
    };
    if meta::get(conn, "kind")?.as_deref() != Some("central") {
        verify_named(conn, &mut found)?;
    }
    Ok(match found.first {
        None => Ok(AuditSummary { entries, records }),
        Some(first) => Err(AuditBreak::Records {
            first,
            others: found.others,
        }),
    })
}

fn verify_chain(conn: &Connection, version: u32) -> Result<Result<u64, AuditBreak>, StoreError> {
    let mut stmt = conn
        .prepare(&format!(
            "SELECT {} FROM audit ORDER BY seq",
            entry_columns(version)
        ))
        .map_err(StoreError::sqlite("audit"))?;
    let entries = stmt
        .query_map([], AuditEntry::from_row)
        .map_err(StoreError::sqlite("audit"))?;
    let mut prev_hash = GENESIS.to_owned();
    let mut expected_seq = 1;
    let mut count = 0;
    for entry in entries {
        let entry = entry.map_err(StoreError::sqlite("audit"))?;
        if entry.seq != expected_seq {
            return Ok(Err(AuditBreak::Missing { seq: expected_seq }));
        }
        if entry.prev_hash != prev_hash {
            // The entry before this one was replaced or its hash rewritten.
            return Ok(Err(altered(conn, entry.seq - 1)?));
        }
        if entry.hash != entry.expected_hash() {
            return Ok(Err(AuditBreak::Altered {
                seq: entry.seq,
                at: entry.at,
                operator: entry.operator,
                action: entry.action,
            }));
        }
        if entry.action == CUT {
            return Ok(Err(AuditBreak::Cut {
                seq: entry.seq,
                at: entry.at,
                operator: entry.operator,
                detail: entry.subject,
            }));
        }
        prev_hash = entry.hash;
        expected_seq += 1;
        count += 1;
    }
    let head = meta::get(conn, HEAD)?;
    let last_present = expected_seq - 1;
    match head.as_deref().and_then(parse_head) {
        Some((seq, hash)) if seq == last_present && hash == prev_hash => Ok(Ok(count)),
        Some((seq, _)) if seq > last_present => Ok(Err(AuditBreak::Truncated {
            last_present,
            expected: seq,
        })),
        None if count == 0 => Ok(Ok(0)),
        _ => Ok(Err(AuditBreak::HeadDamaged)),
    }
}

/// Each record's latest entry with a content hash or a purge must still hold: the record
/// has that content, or is gone after its purge. Returns how many matched their hash.
fn verify_latest(conn: &Connection, found: &mut Found) -> Result<u64, StoreError> {
    let purges: Vec<String> = RECORD_TABLES
        .iter()
        .map(|(kind, _)| format!("'{kind}.{PURGE}'"))
        .collect();
    let mut stmt = conn
        .prepare(&format!(
            "SELECT {ENTRY_COLUMNS} FROM audit
             WHERE seq IN (SELECT max(seq) FROM audit
                           WHERE record_hash IS NOT NULL OR action IN ({})
                           GROUP BY subject)
             ORDER BY seq",
            purges.join(", ")
        ))
        .map_err(StoreError::sqlite("audit"))?;
    let latest = stmt
        .query_map([], AuditEntry::from_row)
        .map_err(StoreError::sqlite("audit"))?;
    let mut matched = 0;
    for entry in latest {
        let entry = entry.map_err(StoreError::sqlite("audit"))?;
        let Some(table) = record_table(&entry.action) else {
            continue;
        };
        let now = record_hash(conn, table, &entry.subject)?;
        let id = entry.subject.clone();
        match (now, entry.record_hash.as_deref()) {
            // Purged, and gone.
            (None, None) => {}
            (None, Some(_)) => found.add(RecordBreak::Deleted {
                id,
                latest: entry.into(),
            }),
            (Some(now), Some(kept)) if now == kept => matched += 1,
            // Changed, or back after its purge.
            (Some(_), _) => found.add(RecordBreak::Changed {
                id,
                latest: entry.into(),
            }),
        }
    }
    Ok(matched)
}

/// At an office every record was made with an entry naming it (`call.create`): a record no
/// entry of its kind names was added behind linea's back.
fn verify_named(conn: &Connection, found: &mut Found) -> Result<(), StoreError> {
    for (kind, table) in RECORD_TABLES {
        let mut stmt = conn
            .prepare(&format!(
                "SELECT id FROM {table}
                 WHERE id NOT IN (SELECT subject FROM audit WHERE action LIKE ?1)
                 ORDER BY rowid"
            ))
            .map_err(StoreError::sqlite("audit"))?;
        let unnamed = stmt
            .query_map([format!("{kind}.%")], |row| row.get::<_, String>(0))
            .map_err(StoreError::sqlite("audit"))?;
        for id in unnamed {
            let id = id.map_err(StoreError::sqlite("audit"))?;
            found.add(RecordBreak::Added { kind, id });
        }
    }
    Ok(())
}

/// The kind of record an action is on: `call` for `call.update`.
fn record_kind(action: &str) -> &str {
    action.split('.').next().unwrap_or(action)
}

/// The break for entry `seq`, with when, who and what from what is left of it.
fn altered(conn: &Connection, seq: i64) -> Result<AuditBreak, StoreError> {
    let found = conn
        .query_row(
            "SELECT at, operator, action FROM audit WHERE seq = ?1",
            [seq],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()
        .map_err(StoreError::sqlite("audit"))?;
    Ok(match found {
        Some((at, operator, action)) => AuditBreak::Altered {
            seq,
            at,
            operator,
            action,
        },
        None => AuditBreak::Missing { seq },
    })
}

/// The head as kept (entries written, last hash), without checking the chain; `None`
/// before the first entry. What a batch tells central, so a shortened chain shows there.
pub fn head(conn: &Connection) -> Result<Option<(u64, String)>, StoreError> {
    let Some(text) = meta::get(conn, "audit_head")? else {
        return Ok(None);
    };
    parse_head(&text)
        .and_then(|(seq, hash)| Some((u64::try_from(seq).ok()?, hash)))
        .map(Some)
        .ok_or(StoreError::Damaged(
            "the audit chain's head record is damaged".into(),
        ))
}

/// The head a batch is to carry, or `None` if its record is damaged: a damaged head does
/// not hold back the office's data, and central notices a batch without one where earlier
/// batches had one.
pub fn head_for_batch(conn: &Connection) -> Result<Option<(u64, String)>, StoreError> {
    match head(conn) {
        Err(StoreError::Damaged(_)) => Ok(None),
        other => other,
    }
}

/// Notes the entry count the head of the batch just made named, for the next batch.
pub fn remember_batched(tx: &Transaction<'_>, entries: u64) -> Result<(), StoreError> {
    meta::set(tx, BATCHED, &entries.to_string())
}

/// The entry the previous batch's head named, as the chain holds it now: its number and
/// hash. The hash is read from the chain, never from what that head said, so central finds
/// a chain rewritten up to there even if it has grown since. `None` before the first batch,
/// or if the chain no longer reaches that far (central sees it shrank).
pub fn batched_entry(conn: &Connection) -> Result<Option<(u64, String)>, StoreError> {
    // Read as SQLite keeps entry numbers: a note edited to no number names no entry.
    let Some(entries) = meta::get(conn, BATCHED)?.and_then(|text| text.parse::<i64>().ok()) else {
        return Ok(None);
    };
    let hash: Option<String> = conn
        .query_row("SELECT hash FROM audit WHERE seq = ?1", [entries], |row| {
            row.get(0)
        })
        .optional()
        .map_err(StoreError::sqlite("audit"))?;
    Ok(hash.and_then(|hash| Some((u64::try_from(entries).ok()?, hash))))
}

fn parse_head(text: &str) -> Option<(i64, String)> {
    let (seq, hash) = text.split_once(':')?;
    Some((seq.parse().ok()?, hash.to_owned()))
}

impl Store {
    /// Checks the audit chain of the store in `dir` and the records it names, unlocking it
    /// as `operator` but writing nothing first: no unlock entry, no interrupted rotation
    /// finished, no schema upgrade (a store an older linea left is read as it is), so a cut
    /// tail or an edited record is found as it was left.
    pub fn verify_audit_at(
        dir: &Path,
        operator: &str,
        passphrase: &Passphrase,
    ) -> Result<Result<AuditSummary, AuditBreak>, StoreError> {
        let identity = Store::identity(dir, operator, passphrase)?;
        let keys = KeyDir::of_store(dir);
        let lock = StoreLock::open(dir)?;
        {
            let _shared = lock.shared()?;
            if let Some(opened) = operators::open_current(dir, &keys, &identity)? {
                return verify_as(&opened.conn, operator);
            }
        }
        // A rotation a crash interrupted leaves two key files: settling which one opens the
        // database touches the key files only, never the database.
        let _exclusive = lock.exclusive()?;
        let opened = operators::open_repairing(dir, &keys, &identity)?;
        verify_as(&opened.conn, operator)
    }
}

/// Verifies the store `conn` opens, if `operator` is still one of its operators.
fn verify_as(
    conn: &Connection,
    operator: &str,
) -> Result<Result<AuditSummary, AuditBreak>, StoreError> {
    operators::role_of(conn, operator)?.ok_or_else(|| StoreError::Removed {
        operator: operator.to_owned(),
    })?;
    verify(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: usize) -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::schema::migrate(&mut conn).unwrap();
        let tx = conn.transaction().unwrap();
        for i in 0..n {
            append(&tx, "ana", "store.unlock", &format!("id-{i}")).unwrap();
        }
        tx.commit().unwrap();
        conn
    }

    fn entries(n: u64) -> AuditSummary {
        AuditSummary {
            entries: n,
            records: 0,
        }
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert_eq!(verify(&chain(5)).unwrap(), Ok(entries(5)));
        assert_eq!(verify(&chain(0)).unwrap(), Ok(entries(0)));
    }

    #[test]
    fn an_edited_entry_is_named() {
        let conn = chain(5);
        conn.execute("UPDATE audit SET operator = 'eve' WHERE seq = 3", [])
            .unwrap();
        let broken = verify(&conn).unwrap().unwrap_err();
        assert!(
            matches!(broken, AuditBreak::Altered { seq: 3, .. }),
            "{broken}"
        );
        assert!(broken.to_string().starts_with("audit entry 3 "));
    }

    #[test]
    fn an_entry_rewritten_with_a_fresh_hash_is_caught_by_the_next_one() {
        let conn = chain(5);
        let fake = entry_hash("x", 3, "t", "eve", "store.unlock", "id-2", None);
        conn.execute(
            "UPDATE audit SET operator = 'eve', hash = ?1 WHERE seq = 3",
            [fake],
        )
        .unwrap();
        let broken = verify(&conn).unwrap().unwrap_err();
        assert!(
            matches!(broken, AuditBreak::Altered { seq: 3, .. }),
            "{broken}"
        );
    }

    #[test]
    fn deleted_entries_are_named_wherever_they_were() {
        let conn = chain(5);
        conn.execute("DELETE FROM audit WHERE seq = 2", []).unwrap();
        assert_eq!(verify(&conn).unwrap(), Err(AuditBreak::Missing { seq: 2 }));
        let conn = chain(5);
        conn.execute("DELETE FROM audit WHERE seq = 5", []).unwrap();
        assert_eq!(
            verify(&conn).unwrap(),
            Err(AuditBreak::Truncated {
                last_present: 4,
                expected: 5
            })
        );
        let conn = chain(5);
        conn.execute("DELETE FROM audit WHERE seq = 1", []).unwrap();
        assert_eq!(verify(&conn).unwrap(), Err(AuditBreak::Missing { seq: 1 }));
    }

    #[test]
    fn the_next_entry_after_a_cut_records_it_and_verify_keeps_reporting_it() {
        let mut conn = chain(5);
        conn.execute("DELETE FROM audit WHERE seq >= 4", [])
            .unwrap();
        let tx = conn.transaction().unwrap();
        append(&tx, "ana", "store.unlock", "").unwrap();
        tx.commit().unwrap();
        let broken = verify(&conn).unwrap().unwrap_err();
        assert!(matches!(broken, AuditBreak::Cut { seq: 4, .. }), "{broken}");
        assert!(
            broken
                .to_string()
                .ends_with("the head named entry 5, the chain ended at entry 3"),
            "{broken}"
        );
        // Later entries chain on from the cut; the report stays.
        let tx = conn.transaction().unwrap();
        append(&tx, "ana", "store.unlock", "").unwrap();
        tx.commit().unwrap();
        assert!(matches!(
            verify(&conn).unwrap(),
            Err(AuditBreak::Cut { seq: 4, .. })
        ));
    }

    /// A chain of one entry, then cases `ids` made with their entries.
    fn with_cases(ids: &[&str]) -> Connection {
        let mut conn = chain(1);
        let tx = conn.transaction().unwrap();
        for id in ids {
            insert_case(&tx, id);
            append_record(&tx, "ana", "case.create", id).unwrap();
        }
        tx.commit().unwrap();
        conn
    }

    fn insert_case(conn: &Connection, id: &str) {
        conn.execute(
            "INSERT INTO cases (id, office_id, author, created_at, updated_at, version,
                                status, body)
             VALUES (?1, 'pe-puno', 'ana', 't', 't', 1, 'ACTIVE', '{}')",
            [id],
        )
        .unwrap();
    }

    fn records_break(conn: &Connection) -> (RecordBreak, RecordCounts, String) {
        match verify(conn).unwrap() {
            Err(broken @ AuditBreak::Records { .. }) => {
                let text = broken.to_string();
                let AuditBreak::Records { first, others } = broken else {
                    unreachable!()
                };
                (first, others, text)
            }
            other => panic!("expected records found: {other:?}"),
        }
    }

    #[test]
    fn a_record_edited_after_its_entry_is_named() {
        let conn = with_cases(&["c1", "c2"]);
        assert_eq!(
            verify(&conn).unwrap(),
            Ok(AuditSummary {
                entries: 3,
                records: 2
            })
        );
        // A column only queries read is part of the record too.
        conn.execute("UPDATE cases SET status = 'CLOSED' WHERE id = 'c2'", [])
            .unwrap();
        let (first, others, text) = records_break(&conn);
        let RecordBreak::Changed { latest, .. } = &first else {
            panic!("{first:?}")
        };
        assert_eq!(
            text,
            format!(
                "case c2 was changed outside linea: it no longer matches audit entry 3 ({}, ana, case.create)",
                latest.at
            )
        );
        assert_eq!(others, RecordCounts::default());
        conn.execute("UPDATE cases SET body = '{\"x\":1}' WHERE id = 'c1'", [])
            .unwrap();
        let (first, _, text) = records_break(&conn);
        assert!(
            matches!(&first, RecordBreak::Changed { id, latest } if id == "c1" && latest.seq == 2),
            "{text}"
        );
        assert!(text.ends_with(", and 1 other record changed"), "{text}");
    }

    #[test]
    fn a_record_deleted_behind_linea_s_back_is_named_and_a_purged_one_is_not() {
        let mut conn = with_cases(&["c1", "c2", "c3"]);
        let tx = conn.transaction().unwrap();
        tx.execute("DELETE FROM cases WHERE id = 'c1'", []).unwrap();
        append_purged(&tx, "ana", [("case", "c1")]).unwrap();
        tx.commit().unwrap();
        assert_eq!(
            verify(&conn).unwrap(),
            Ok(AuditSummary {
                entries: 5,
                records: 2
            })
        );
        conn.execute("DELETE FROM cases WHERE id = 'c3'", [])
            .unwrap();
        let (first, others, text) = records_break(&conn);
        let RecordBreak::Deleted { id, latest } = &first else {
            panic!("{text}")
        };
        assert_eq!((id.as_str(), latest.seq), ("c3", 4));
        assert_eq!(
            text,
            format!(
                "case c3 was deleted outside linea: its latest audit entry, 4 ({}, ana, case.create), is no purge",
                latest.at
            )
        );
        assert_eq!(others, RecordCounts::default());
        // A purged record put back is not what its purge left.
        insert_case(&conn, "c3");
        insert_case(&conn, "c1");
        let (first, _, text) = records_break(&conn);
        assert!(
            matches!(&first, RecordBreak::Changed { id, latest }
                if id == "c1" && latest.action == "case.purge"),
            "{text}"
        );
    }

    /// What the next batch names is read from the chain as it is now, never from what the
    /// last batch's head said; a note edited to no entry of the chain names none.
    #[test]
    fn the_entry_the_last_batch_named_is_read_from_the_chain_as_it_stands() {
        let mut conn = chain(5);
        assert_eq!(batched_entry(&conn).unwrap(), None);
        let tx = conn.transaction().unwrap();
        remember_batched(&tx, 3).unwrap();
        tx.commit().unwrap();
        conn.execute("UPDATE audit SET hash = 'rewritten' WHERE seq = 3", [])
            .unwrap();
        assert_eq!(
            batched_entry(&conn).unwrap(),
            Some((3, "rewritten".to_owned()))
        );
        for note in ["18446744073709551615", "-1", "three", "6"] {
            meta::set(&conn, BATCHED, note).unwrap();
            assert_eq!(batched_entry(&conn).unwrap(), None, "{note}");
        }
    }

    #[test]
    fn a_record_no_entry_names_is_named_as_added_at_an_office_only() {
        let mut conn = with_cases(&["c1"]);
        // An entry of another kind naming it does not count.
        let tx = conn.transaction().unwrap();
        append(&tx, "ana", "store.unlock", "c9").unwrap();
        tx.commit().unwrap();
        insert_case(&conn, "c9");
        let (first, others, text) = records_break(&conn);
        assert_eq!(
            first,
            RecordBreak::Added {
                kind: "case",
                id: "c9".into()
            }
        );
        assert_eq!(
            text,
            "case c9 was added outside linea: no audit entry names it"
        );
        assert_eq!(others, RecordCounts::default());
        // Central imports records without an entry each.
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('kind', 'central')",
            [],
        )
        .unwrap();
        assert!(verify(&conn).unwrap().is_ok());
    }

    #[test]
    fn records_found_several_ways_are_counted_each_way() {
        let conn = with_cases(&["c1", "c2", "c3"]);
        conn.execute_batch(
            "UPDATE cases SET status = 'CLOSED' WHERE id = 'c1';
             DELETE FROM cases WHERE id = 'c2';",
        )
        .unwrap();
        insert_case(&conn, "c8");
        insert_case(&conn, "c9");
        let (first, others, text) = records_break(&conn);
        assert!(
            matches!(&first, RecordBreak::Changed { id, .. } if id == "c1"),
            "{text}"
        );
        assert_eq!(
            others,
            RecordCounts {
                changed: 0,
                deleted: 1,
                added: 2
            }
        );
        assert!(
            text.ends_with(", and 3 other records: 1 deleted, 2 added"),
            "{text}"
        );
    }

    /// Entries made before schema version 8 carry no record hash and keep verifying, in a
    /// store verified as it is and in one upgraded since.
    #[test]
    fn a_chain_from_before_record_hashes_still_verifies() {
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::schema::migrate_to(&mut conn, 7).unwrap();
        let mut prev = GENESIS.to_owned();
        for seq in 1..=3 {
            let hash = entry_hash(&prev, seq, "t", "ana", "case.create", "c1", None);
            conn.execute(
                "INSERT INTO audit (seq, at, operator, action, subject, prev_hash, hash)
                 VALUES (?1, 't', 'ana', 'case.create', 'c1', ?2, ?3)",
                params![seq, prev, hash],
            )
            .unwrap();
            prev = hash;
        }
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('audit_head', ?1)",
            [format!("3:{prev}")],
        )
        .unwrap();
        insert_case(&conn, "c1");
        assert_eq!(verify(&conn).unwrap(), Ok(entries(3)));
        // Every record at an office was made with an entry, before record hashes too.
        insert_case(&conn, "c9");
        assert!(matches!(records_break(&conn).0, RecordBreak::Added { id, .. } if id == "c9"));
        conn.execute("DELETE FROM cases WHERE id = 'c9'", [])
            .unwrap();
        super::super::schema::migrate(&mut conn).unwrap();
        assert_eq!(verify(&conn).unwrap(), Ok(entries(3)));
    }
}
