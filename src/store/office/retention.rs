//! Retention at an office. Once central holds every change of a closed case, and the case
//! and its records have been quiet for the office's retention period, they leave the office:
//! the case, its people, its calls (and their search entries), its referrals and their
//! statuses, and their change-log rows. Central keeps them.
//!
//! In steps of a few cases, each its own transaction, so a desk open meanwhile waits
//! milliseconds, not the whole purge; each step checks its cases again, as the desk may have
//! changed one since. A step writes an audit entry for each record it purges (its kind and
//! id, never content: `audit verify` tells a purge from a deletion behind linea's back) and
//! one that gives its counts. Then a checkpoint, so the
//! write-ahead log keeps no copy of the deleted pages (`secure_delete` zeroes the freed
//! space in the database file itself, and the search index is switched to FTS5's own
//! secure delete, which removes the words of a row instead of hiding them).

use std::collections::HashSet;

use chrono::TimeDelta;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{OfficeStore, delivery};
use crate::store::settings::OfficeSetting;
use crate::store::{StoreError, audit, figures, timestamp};

/// What a purge removed (or, on a dry run, would remove).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RetentionReport {
    pub days: u64,
    pub cases: u64,
    pub people: u64,
    pub calls: u64,
    pub referrals: u64,
    pub dry_run: bool,
}

impl RetentionReport {
    pub fn records(&self) -> u64 {
        self.cases + self.people + self.calls + self.referrals
    }

    fn count(&mut self, doomed: &[CaseRecords]) {
        self.cases += doomed.len() as u64;
        self.people += doomed.iter().map(|r| r.people.len() as u64).sum::<u64>();
        self.calls += doomed.iter().map(|r| r.calls.len() as u64).sum::<u64>();
        self.referrals += doomed.iter().map(|r| r.referrals.len() as u64).sum::<u64>();
    }
}

/// Cases purged in one transaction.
const STEP_CASES: usize = 100;

const CLOSED_CASES: &str = "SELECT id FROM cases
     WHERE status IN ('CLOSED', 'CLOSED_REFERRED') AND updated_at < ?1";

/// The records of one case, as far as retention is concerned.
#[derive(Default)]
struct CaseRecords {
    case_id: String,
    people: Vec<String>,
    /// Call ids with their rowids, which key the search index.
    calls: Vec<(String, i64)>,
    referrals: Vec<String>,
    /// The newest `updated_at` of the case and all its records.
    newest: String,
    /// A referral of one of its calls belongs to another case: purging would cut that case.
    shared: bool,
}

impl CaseRecords {
    /// Each record's kind (as audit entries name it) and id.
    fn records(&self) -> impl Iterator<Item = (&'static str, &str)> {
        std::iter::once(("case", self.case_id.as_str()))
            .chain(self.people.iter().map(|id| ("person", id.as_str())))
            .chain(self.calls.iter().map(|(id, _)| ("call", id.as_str())))
            .chain(self.referrals.iter().map(|id| ("referral", id.as_str())))
    }

    fn ids(&self) -> impl Iterator<Item = &str> {
        self.records().map(|(_, id)| id)
    }
}

impl OfficeStore {
    /// Purges under the office's `retention_days` setting; `None` when retention is off.
    pub fn run_retention(&mut self, dry_run: bool) -> Result<Option<RetentionReport>, StoreError> {
        match self.office_setting(OfficeSetting::RetentionDays)? {
            Some(days) => self.purge_closed_cases(days, dry_run).map(Some),
            None => Ok(None),
        }
    }

    /// Purges the records of closed cases quiet for more than `days` days whose every
    /// change central has acknowledged.
    pub fn purge_closed_cases(
        &mut self,
        days: u64,
        dry_run: bool,
    ) -> Result<RetentionReport, StoreError> {
        let age = i64::try_from(days)
            .ok()
            .and_then(TimeDelta::try_days)
            .ok_or_else(|| StoreError::Config(format!("{days} days is too long a period")))?;
        let cutoff = timestamp(self.now() - age);
        let operator = self.operator.clone();
        let candidates = closed_cases(&self.conn, &cutoff)?;
        let mut report = RetentionReport {
            days,
            dry_run,
            ..RetentionReport::default()
        };
        for step in candidates.chunks(STEP_CASES) {
            let tx = self.tx()?;
            let undelivered = undelivered_records(&tx)?;
            let mut doomed = Vec::new();
            for case_id in step {
                let Some(records) = case_records(&tx, case_id)? else {
                    continue;
                };
                let quiet = records.newest < cutoff;
                let delivered = records.ids().all(|id| !undelivered.contains(id));
                if quiet && delivered && !records.shared {
                    doomed.push(records);
                }
            }
            let mut counted = RetentionReport::default();
            counted.count(&doomed);
            report.count(&doomed);
            if dry_run || doomed.is_empty() {
                // Dropping the transaction rolls it back: a dry run writes nothing.
                continue;
            }
            delete(&tx, &doomed)?;
            audit::append_purged(&tx, &operator, doomed.iter().flat_map(CaseRecords::records))?;
            audit::append(
                &tx,
                &operator,
                "retention.purge",
                &format!("{} cases, {} records", counted.cases, counted.records()),
            )?;
            tx.commit().map_err(StoreError::sqlite("retention"))?;
        }
        if !dry_run && report.cases > 0 {
            self.checkpoint()?;
        }
        Ok(report)
    }
}

/// Ids of records with a change no acknowledged batch covers: never purged.
fn undelivered_records(tx: &Transaction<'_>) -> Result<HashSet<String>, StoreError> {
    let delivered = delivery::delivered_up_to(tx)?;
    let mut stmt = tx
        .prepare("SELECT DISTINCT record_id FROM changes WHERE seq > ?1")
        .map_err(StoreError::sqlite("retention"))?;
    let rows = stmt
        .query_map([delivered], |row| row.get::<_, String>(0))
        .map_err(StoreError::sqlite("retention"))?;
    rows.collect::<Result<_, _>>()
        .map_err(StoreError::sqlite("retention"))
}

fn closed_cases(conn: &Connection, cutoff: &str) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn
        .prepare(CLOSED_CASES)
        .map_err(StoreError::sqlite("retention"))?;
    let rows = stmt
        .query_map([cutoff], |row| row.get::<_, String>(0))
        .map_err(StoreError::sqlite("retention"))?;
    rows.collect::<Result<_, _>>()
        .map_err(StoreError::sqlite("retention"))
}

/// The records of a case, if it is still closed (it may have been reopened, or purged by
/// another linea, since it was listed).
fn case_records(tx: &Transaction<'_>, case_id: &str) -> Result<Option<CaseRecords>, StoreError> {
    let newest: Option<String> = tx
        .query_row(
            "SELECT updated_at FROM cases
             WHERE id = ?1 AND status IN ('CLOSED', 'CLOSED_REFERRED')",
            [&case_id],
            |row| row.get(0),
        )
        .optional()
        .map_err(StoreError::sqlite("retention"))?;
    let Some(newest) = newest else {
        return Ok(None);
    };
    let mut records = CaseRecords {
        newest,
        ..CaseRecords::default()
    };
    let mut stmt = tx
        .prepare_cached("SELECT id, updated_at FROM people WHERE case_id = ?1")
        .map_err(StoreError::sqlite("retention"))?;
    let people = stmt
        .query_map([&case_id], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })
        .map_err(StoreError::sqlite("retention"))?;
    for row in people {
        let (id, updated) = row.map_err(StoreError::sqlite("retention"))?;
        records.newest = records.newest.max(updated);
        records.people.push(id);
    }
    let mut stmt = tx
        .prepare_cached("SELECT id, rowid, updated_at FROM calls WHERE case_id = ?1")
        .map_err(StoreError::sqlite("retention"))?;
    let calls = stmt
        .query_map([&case_id], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, String>(2)?,
            ))
        })
        .map_err(StoreError::sqlite("retention"))?;
    for row in calls {
        let (id, rowid, updated) = row.map_err(StoreError::sqlite("retention"))?;
        records.newest = records.newest.max(updated);
        records.calls.push((id, rowid));
    }
    // The case's referrals, and those made from its calls (a referral may name only its call).
    let mut stmt = tx
        .prepare_cached(
            "SELECT id, updated_at, case_id FROM referrals WHERE case_id = ?1
             UNION
             SELECT id, updated_at, case_id FROM referrals
             WHERE call_id IN (SELECT id FROM calls WHERE case_id = ?1)",
        )
        .map_err(StoreError::sqlite("retention"))?;
    let referrals = stmt
        .query_map([&case_id], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, Option<String>>(2)?,
            ))
        })
        .map_err(StoreError::sqlite("retention"))?;
    for row in referrals {
        let (id, updated, owner) = row.map_err(StoreError::sqlite("retention"))?;
        records.newest = records.newest.max(updated);
        records.shared |= owner.is_some_and(|owner| owner != case_id);
        records.referrals.push(id);
    }
    records.case_id = case_id.to_owned();
    Ok(Some(records))
}

/// Deletes the records, children first (foreign keys are on), and their change-log rows.
fn delete(tx: &Transaction<'_>, doomed: &[CaseRecords]) -> Result<(), StoreError> {
    let sql = || StoreError::sqlite("retention");
    // The ids go into a temporary table (in memory: temp_store is MEMORY) so the change
    // log, which has no index by record, is read once rather than once per record.
    tx.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS purge_ids (id TEXT PRIMARY KEY) WITHOUT ROWID;
         DELETE FROM temp.purge_ids;",
    )
    .map_err(sql())?;
    {
        let mut insert = tx
            .prepare("INSERT OR IGNORE INTO temp.purge_ids (id) VALUES (?1)")
            .map_err(sql())?;
        for id in doomed.iter().flat_map(CaseRecords::ids) {
            insert.execute([id]).map_err(sql())?;
        }
    }
    // The purged calls and referrals leave the statistics' totals while their rows are here.
    let zone = figures::zone(tx)?;
    let calls: Vec<&str> = doomed
        .iter()
        .flat_map(|r| r.calls.iter().map(|(id, _)| id.as_str()))
        .collect();
    figures::uncount_calls(tx, zone, &calls)?;
    let referrals: Vec<&str> = doomed
        .iter()
        .flat_map(|r| r.referrals.iter().map(String::as_str))
        .collect();
    figures::uncount_referrals(tx, zone, &referrals)?;
    let fresh_index = search_index_secure_delete(tx)?;
    {
        let mut unindex = tx
            .prepare("DELETE FROM call_search WHERE rowid = ?1")
            .map_err(sql())?;
        for (_, rowid) in doomed.iter().flat_map(|r| r.calls.iter()) {
            unindex.execute(params![rowid]).map_err(sql())?;
        }
    }
    if fresh_index {
        // Words hidden by deletions before secure delete was on are dropped for good.
        tx.execute(
            "INSERT INTO call_search (call_search) VALUES ('optimize')",
            [],
        )
        .map_err(sql())?;
    }
    tx.execute_batch(
        "DELETE FROM referral_status WHERE referral_id IN (SELECT id FROM temp.purge_ids);
         DELETE FROM referrals WHERE id IN (SELECT id FROM temp.purge_ids);
         DELETE FROM calls WHERE id IN (SELECT id FROM temp.purge_ids);
         DELETE FROM people WHERE id IN (SELECT id FROM temp.purge_ids);
         DELETE FROM cases WHERE id IN (SELECT id FROM temp.purge_ids);
         DELETE FROM changes WHERE record_id IN (SELECT id FROM temp.purge_ids);
         DELETE FROM temp.purge_ids;",
    )
    .map_err(sql())?;
    // Batches central acknowledged are never sent again, and their payloads hold the
    // records just purged: only their manifest hashes, which chain the next batch, stay.
    tx.execute(
        "UPDATE outbox SET payload = X'' WHERE acknowledged_at IS NOT NULL AND length(payload) > 0",
        [],
    )
    .map_err(sql())?;
    Ok(())
}

/// Turns FTS5's secure delete on for the search index (it persists); says whether it was
/// off until now.
fn search_index_secure_delete(tx: &Transaction<'_>) -> Result<bool, StoreError> {
    let on: Option<i64> = tx
        .query_row(
            "SELECT v FROM call_search_config WHERE k = 'secure-delete'",
            [],
            |row| row.get(0),
        )
        .optional()
        .map_err(StoreError::sqlite("search index"))?;
    if on == Some(1) {
        return Ok(false);
    }
    tx.execute(
        "INSERT INTO call_search (call_search, rank) VALUES ('secure-delete', 1)",
        [],
    )
    .map_err(StoreError::sqlite("search index"))?;
    Ok(true)
}
