//! The statistics' running totals (schema version 11): per office and day, how many calls
//! had each reason, urgency, place (department) and exploitation type, how many belonged to
//! a case; and how many referrals were created with each target type and are in each status.
//! `Store::stats` sums the days of a period instead of reading every call in it.
//!
//! Why days, in the store's time: every period the office can ask for is whole local days
//! (see `Period`), and the zone is a fixed offset (`utc_offset_minutes` in meta) set when the
//! store is made and never changed, so a period is exactly a run of days. Hours in UTC would
//! not do better: offsets such as +05:30 do not fall on hours. Central counts the calls it
//! imports in its own zone, not the office's (it does not know the office's). Were the offset
//! ever to become a setting, changing it would leave every total on the old days: the change
//! must empty both tables and run [`rebuild`] in its transaction.
//!
//! Why from the write paths rather than triggers: triggers made every call written four times
//! slower (the demo's 100,000 calls took 2 min 16 s instead of 35 s). Each path here counts
//! what it wrote in one statement for the whole transaction: a desk save counts its one call,
//! the demo and central's import the thousands of a transaction together, an edit takes the
//! old row out before writing the new one, retention takes the purged rows out before
//! deleting them. A path that forgot would leave the totals short; the recount test
//! (`tests/stats_figures.rs`) goes through every path that writes calls or referrals.
//!
//! A total that falls to zero (an edit moves a call to another reason) stays as a row; the
//! reading side leaves out keys whose total is zero.

use std::collections::HashSet;

use rusqlite::Connection;

use super::{DEFAULT_UTC_OFFSET_MINUTES, StoreError};

/// Whether records are counted into the totals or taken out of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sign {
    In,
    Out,
}

impl Sign {
    fn factor(self) -> i64 {
        match self {
            Sign::In => 1,
            Sign::Out => -1,
        }
    }
}

/// The store's date of the instant `column` (NULL for text that is not a timestamp). The
/// offset is read once a statement.
fn local_day(column: &str) -> String {
    format!(
        "date({column}, coalesce((SELECT value FROM meta WHERE key = 'utc_offset_minutes'), \
         '{DEFAULT_UTC_OFFSET_MINUTES}') || ' minutes')"
    )
}

/// A call's place as counted: the department of a ubigeo (six characters: its first two),
/// unknown for none or ZZ, abroad for a country.
fn place_key(row: &str) -> String {
    format!(
        "CASE WHEN {row}.place IS NULL OR {row}.place IN ('', 'ZZ') THEN 'unknown'
              WHEN length(CAST({row}.place AS BLOB)) = 6
                   THEN CAST(substr(CAST({row}.place AS BLOB), 1, 2) AS TEXT)
              ELSE 'abroad' END"
    )
}

/// The exploitation types of a call, one row each (`value`). Most calls have none, and
/// looking for the key costs much less than parsing the body.
fn types(row: &str) -> String {
    format!(
        "json_each(CASE WHEN instr({row}.body, '\"exploitation_types\":') > 0
                        AND json_valid({row}.body) THEN {row}.body END,
                   '$.exploitation_types')"
    )
}

/// Adds to the totals (?2 is 1 or -1) the calls `c` for which `filter` holds, grouped so that
/// each total is written once however many calls it counts.
fn count_calls_sql(filter: &str) -> String {
    let day = local_day("c.started_at");
    let place = place_key("c");
    let types = types("c");
    // CROSS JOIN keeps the calls as the outer loop: one pass over them for four figures.
    format!(
        "INSERT INTO call_figures (office_id, day, figure, key, calls)
         SELECT office_id, day, figure, key, ?2 * count(*) FROM (
             SELECT c.office_id, {day} AS day, f.figure,
                    CASE f.figure WHEN 'reason' THEN c.reason
                                  WHEN 'urgency' THEN c.urgency
                                  WHEN 'place' THEN {place}
                                  ELSE '' END AS key
             FROM calls c CROSS JOIN (SELECT 'reason' AS figure UNION ALL SELECT 'urgency'
                                      UNION ALL SELECT 'place' UNION ALL SELECT 'case') f
             WHERE ({filter}) AND (f.figure <> 'case' OR c.case_id IS NOT NULL)
             UNION ALL
             SELECT c.office_id, {day}, 'type', t.value FROM calls c, {types} AS t
             WHERE {filter})
         WHERE day IS NOT NULL
         GROUP BY office_id, day, figure, key
         ON CONFLICT DO UPDATE SET calls = calls + excluded.calls"
    )
}

/// The same for referrals `r`: by the day each was created, its target type ('' when it has
/// none) and its status now.
fn count_referrals_sql(filter: &str) -> String {
    let day = local_day("r.created_at");
    format!(
        "INSERT INTO referral_figures (office_id, day, target, status, referrals)
         SELECT office_id, day, target, status, ?2 * count(*) FROM (
             SELECT r.office_id, {day} AS day,
                    CASE WHEN json_valid(r.body)
                         THEN coalesce(json_extract(r.body, '$.target_type'), '') ELSE '' END
                        AS target,
                    r.status
             FROM referrals r WHERE {filter})
         WHERE day IS NOT NULL
         GROUP BY office_id, day, target, status
         ON CONFLICT DO UPDATE SET referrals = referrals + excluded.referrals"
    )
}

/// The records named by ?1, a JSON array of ids (through the tables' primary keys).
const BY_IDS: &str = "id IN (SELECT value FROM json_each(?1))";

/// Counts the calls with these ids into the totals, or out of them, in one statement. Out
/// must come before the rows change or go; in, after they are written.
pub(super) fn count_calls<S: AsRef<str>>(
    tx: &Connection,
    ids: &[S],
    sign: Sign,
) -> Result<(), StoreError> {
    count(tx, &count_calls_sql(&format!("c.{BY_IDS}")), ids, sign)
}

/// As [`count_calls`], for referrals.
pub(super) fn count_referrals<S: AsRef<str>>(
    tx: &Connection,
    ids: &[S],
    sign: Sign,
) -> Result<(), StoreError> {
    count(tx, &count_referrals_sql(&format!("r.{BY_IDS}")), ids, sign)
}

fn count<S: AsRef<str>>(
    tx: &Connection,
    sql: &str,
    ids: &[S],
    sign: Sign,
) -> Result<(), StoreError> {
    if ids.is_empty() {
        return Ok(());
    }
    let ids: Vec<&str> = ids.iter().map(AsRef::as_ref).collect();
    let ids = serde_json::to_string(&ids)
        .map_err(|e| StoreError::Damaged(format!("record ids cannot be listed: {e}")))?;
    tx.prepare_cached(sql)
        .and_then(|mut stmt| stmt.execute(rusqlite::params![ids, sign.factor()]))
        .map_err(StoreError::sqlite("statistics' totals"))?;
    Ok(())
}

/// Counts every record in the store into the empty totals, each table read once: migration
/// 11 runs it for the records already there.
pub(super) fn rebuild(tx: &Connection) -> Result<(), StoreError> {
    for sql in [count_calls_sql("1"), count_referrals_sql("1")] {
        // ?1 (the ids) is not used by this filter, but still counted among the parameters.
        tx.execute(&sql, rusqlite::params![None::<String>, Sign::In.factor()])
            .map_err(StoreError::sqlite("migrate statistics"))?;
    }
    Ok(())
}

/// The records a transaction wrote whose totals are counted together before it commits
/// ([`Uncounted::count`]): central imports thousands a batch, and one statement for all of
/// them costs a fraction of one for each. A dry run, rolled back, never counts them.
#[derive(Debug, Default)]
pub(super) struct Uncounted {
    calls: HashSet<String>,
    referrals: HashSet<String>,
}

impl Uncounted {
    /// Before the call `id` is replaced: its old row leaves the totals now, unless it is
    /// still waiting here to be counted in.
    pub fn replacing_call(&mut self, tx: &Connection, id: &str) -> Result<(), StoreError> {
        if self.calls.remove(id) {
            return Ok(());
        }
        count_calls(tx, &[id], Sign::Out)
    }

    /// As [`Uncounted::replacing_call`], for a referral.
    pub fn replacing_referral(&mut self, tx: &Connection, id: &str) -> Result<(), StoreError> {
        if self.referrals.remove(id) {
            return Ok(());
        }
        count_referrals(tx, &[id], Sign::Out)
    }

    pub fn call_written(&mut self, id: String) {
        self.calls.insert(id);
    }

    pub fn referral_written(&mut self, id: String) {
        self.referrals.insert(id);
    }

    /// Counts every record written since the last time into the totals.
    pub fn count(&mut self, tx: &Connection) -> Result<(), StoreError> {
        let calls: Vec<String> = self.calls.drain().collect();
        count_calls(tx, &calls, Sign::In)?;
        let referrals: Vec<String> = self.referrals.drain().collect();
        count_referrals(tx, &referrals, Sign::In)
    }
}
