//! The statistics' running totals (schema versions 12 and 13): per office and day, how many
//! calls had each reason, urgency, place (department) and exploitation type, and how many
//! belonged to each case; how many referrals were created with each target type and are in
//! each status; and per case, how many referrals it has and how many of them are police
//! investigations (the funnel's last steps). `Store::stats` sums the days of a period
//! instead of reading every call in it.
//!
//! Why days, in the store's zone: every period the office can ask for is whole local days
//! (see `Period`), and the zone is a fixed offset ([`zone`]) set when the store is made and
//! never changed, so a period is exactly a run of days. Hours in UTC would not do better:
//! offsets such as +05:30 do not fall on hours. Central counts the calls it imports in its
//! own zone, not the office's (it does not know the office's). Were the offset ever to become
//! a setting, every total would stay on the old days: changing it must empty both tables and
//! run [`rebuild`] in the same transaction.
//!
//! Why from the write paths rather than triggers: triggers made writing calls four times
//! slower (the demo's 100,000 calls took 2 min 16 s instead of 35 s), and a statement that
//! reads back the rows just written costs a fifth of a millisecond under SQLCipher. What a
//! transaction writes is counted in Rust from the records it holds ([`Tally`]) and written
//! once a total before it commits: a desk save moves five totals, a demo transaction of
//! 5,000 calls a few thousand. What a write replaces or deletes is taken out by one
//! statement over the rows as they are stored, before they change ([`uncount_calls`]).
//! Both say the same of a record; a path that forgot either would leave totals wrong, and
//! the recount test (`tests/stats_figures.rs`) goes through every path that writes calls or
//! referrals.
//!
//! A total that falls to zero (an edit moves a call to another reason) stays as a row; the
//! reading side leaves out keys whose total is zero.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, Utc};
use rusqlite::{Connection, params};

use super::stats::{INVESTIGATION_STATUSES, PLACE_ABROAD, PLACE_UNKNOWN, POLICE_TARGET_PREFIX};
use super::{DEFAULT_UTC_OFFSET_MINUTES, StoreError, meta};
use crate::model::{Call, Referral};

/// The store's zone, from `utc_offset_minutes` in meta (America/Lima's -300 when unset).
pub(super) fn zone(conn: &Connection) -> Result<FixedOffset, StoreError> {
    let offset_minutes: i32 = meta::get(conn, "utc_offset_minutes")?
        .and_then(|m| m.parse().ok())
        .unwrap_or(DEFAULT_UTC_OFFSET_MINUTES);
    FixedOffset::east_opt(offset_minutes * 60)
        .ok_or_else(|| StoreError::Damaged("the time zone offset is out of range".into()))
}

/// The date of `at` in `zone` as SQLite's date() writes it, which is how days are kept.
fn local_day(at: DateTime<Utc>, zone: FixedOffset) -> String {
    at.with_timezone(&zone).date_naive().to_string()
}

/// The modifier that takes SQLite's date() from UTC to `zone` (?2 in the statements below).
fn sql_offset(zone: FixedOffset) -> String {
    format!("{:+} minutes", zone.local_minus_utc() / 60)
}

/// A call's place as counted: the department of a ubigeo, abroad for a country, unknown for
/// no place or the country code ZZ (which says the place is not known).
pub(super) fn place_key(place: Option<&str>) -> &str {
    match place {
        None | Some("" | "ZZ") => PLACE_UNKNOWN,
        Some(ubigeo) if ubigeo.len() == 6 && ubigeo.is_char_boundary(2) => &ubigeo[..2],
        Some(_) => PLACE_ABROAD,
    }
}

/// Whether a referral counts as a police investigation in the funnel: to the police
/// (`PNP_*`), and accepted, being attended or completed.
fn is_investigation(target_type: &str, status: &str) -> bool {
    target_type.starts_with(POLICE_TARGET_PREFIX) && INVESTIGATION_STATUSES.contains(&status)
}

/// A case's referrals, as the funnel counts them.
#[derive(Debug, Default, Clone, Copy)]
struct CaseReferrals {
    referrals: i64,
    investigations: i64,
}

/// What the calls a transaction wrote, and the referrals, add to the totals, until
/// [`Tally::write`]: one statement a total rather than one a record.
#[derive(Debug)]
pub(super) struct Tally {
    zone: FixedOffset,
    /// (office, day, figure, key) → calls.
    calls: HashMap<(String, String, &'static str, String), i64>,
    /// (office, day created, target type, status) → referrals.
    referrals: HashMap<(String, String, String, String), i64>,
    /// Case → its referrals.
    cases: HashMap<String, CaseReferrals>,
}

impl Tally {
    pub fn new(zone: FixedOffset) -> Tally {
        Tally {
            zone,
            calls: HashMap::new(),
            referrals: HashMap::new(),
            cases: HashMap::new(),
        }
    }

    /// Counts a call as written.
    pub fn call(&mut self, call: &Call) {
        let fields = &call.fields;
        let (office, day) = (
            &call.meta.office_id,
            local_day(call.started_at(), self.zone),
        );
        let place = place_key(fields.caller_place.as_ref().map(|p| p.as_str()));
        let case = fields.case_id.map(|id| id.to_string());
        let keys = [
            ("reason", fields.reason.as_str()),
            ("urgency", fields.urgency.as_str()),
            ("place", place),
        ]
        .into_iter()
        .chain(case.as_deref().map(|case| ("case", case)))
        .chain(
            fields
                .exploitation_types
                .iter()
                .map(|t| ("type", t.as_str())),
        );
        for (figure, key) in keys {
            *self
                .calls
                .entry((office.clone(), day.clone(), figure, key.to_owned()))
                .or_default() += 1;
        }
    }

    /// Counts a referral as written.
    pub fn referral(&mut self, referral: &Referral) {
        let key = (
            referral.meta.office_id.clone(),
            local_day(referral.meta.created_at, self.zone),
            referral.fields.target_type.clone(),
            referral.status().to_owned(),
        );
        *self.referrals.entry(key).or_default() += 1;
        if let Some(case) = referral.fields.case_id {
            let counted = self.cases.entry(case.to_string()).or_default();
            counted.referrals += 1;
            counted.investigations += i64::from(is_investigation(
                &referral.fields.target_type,
                referral.status(),
            ));
        }
    }

    /// Adds what was counted to the totals, and forgets it.
    pub fn write(&mut self, tx: &Connection) -> Result<(), StoreError> {
        let context = || StoreError::sqlite("statistics' totals");
        if !self.calls.is_empty() {
            let mut add = tx
                .prepare_cached(
                    "INSERT INTO call_figures (office_id, day, figure, key, calls)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT DO UPDATE SET calls = calls + excluded.calls",
                )
                .map_err(context())?;
            for ((office, day, figure, key), calls) in self.calls.drain() {
                add.execute(params![office, day, figure, key, calls])
                    .map_err(context())?;
            }
        }
        if !self.referrals.is_empty() {
            let mut add = tx
                .prepare_cached(
                    "INSERT INTO referral_figures (office_id, day, target, status, referrals)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT DO UPDATE SET referrals = referrals + excluded.referrals",
                )
                .map_err(context())?;
            for ((office, day, target, status), referrals) in self.referrals.drain() {
                add.execute(params![office, day, target, status, referrals])
                    .map_err(context())?;
            }
        }
        if !self.cases.is_empty() {
            let mut add = tx
                .prepare_cached(
                    "INSERT INTO case_funnel (case_id, referrals, investigations)
                     VALUES (?1, ?2, ?3)
                     ON CONFLICT DO UPDATE SET
                         referrals = referrals + excluded.referrals,
                         investigations = investigations + excluded.investigations",
                )
                .map_err(context())?;
            for (case, counted) in self.cases.drain() {
                add.execute(params![case, counted.referrals, counted.investigations])
                    .map_err(context())?;
            }
        }
        Ok(())
    }
}

// What a stored row counts, in SQL: for the rows a write is about to replace or delete, and
// for every row when the totals are built. It must say what `Tally` says of the record the
// row holds (the recount test compares both with the records).

/// Which stored rows a statement counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rows {
    /// Those whose ids ?1 lists (a JSON array), taken out of their totals one by one,
    /// through the primary key: a GROUP BY's temporary tables would cost more than the few
    /// totals they move.
    Named,
    /// Every row in the table, grouped so that each total is written once.
    Every,
}

impl Rows {
    /// The rows of `table`, as `alias`.
    fn source(self, table: &str, alias: &str) -> String {
        match self {
            Rows::Named => format!(
                "json_each(?1) AS named CROSS JOIN {table} {alias} ON {alias}.id = named.value"
            ),
            Rows::Every => format!("{table} {alias}"),
        }
    }

    /// What each row adds to its total, and the grouping that goes with it.
    fn tally(self, key: &str) -> (&'static str, String) {
        match self {
            Rows::Named => ("-1", String::new()),
            Rows::Every => ("count(*)", format!("GROUP BY {key}")),
        }
    }

    /// What each row adds to a total of `column` (0 or 1 in each row).
    fn sum(self, column: &str) -> String {
        match self {
            Rows::Named => format!("-{column}"),
            Rows::Every => format!("sum({column})"),
        }
    }
}

/// The totals of the calls `c` of `rows` (see [`Tally::call`]). Days are the date of
/// `started_at` moved by ?2; the exploitation types are read from the body only where it
/// names them (most calls have none; looking costs much less than parsing).
fn calls_sql(rows: Rows) -> String {
    let calls = rows.source("calls", "c");
    let (tally, group) = rows.tally("office_id, day, figure, key");
    format!(
        "INSERT INTO call_figures (office_id, day, figure, key, calls)
         SELECT office_id, day, figure, key, {tally} FROM (
             SELECT c.office_id, date(c.started_at, ?2) AS day, f.value AS figure,
                    CASE f.value
                        WHEN 'reason' THEN c.reason
                        WHEN 'urgency' THEN c.urgency
                        WHEN 'place' THEN
                            CASE WHEN c.place IS NULL OR c.place IN ('', 'ZZ') THEN '{PLACE_UNKNOWN}'
                                 WHEN length(CAST(c.place AS BLOB)) = 6
                                     THEN CAST(substr(CAST(c.place AS BLOB), 1, 2) AS TEXT)
                                 ELSE '{PLACE_ABROAD}' END
                        WHEN 'case' THEN c.case_id
                        ELSE '' END AS key
             FROM {calls} CROSS JOIN json_each('[\"reason\", \"urgency\", \"place\", \"case\"]') f
             WHERE f.value <> 'case' OR c.case_id IS NOT NULL
             UNION ALL
             SELECT c.office_id, date(c.started_at, ?2), 'type', t.value
             FROM {calls} CROSS JOIN json_each(
                 CASE WHEN instr(c.body, '\"exploitation_types\":') > 0 AND json_valid(c.body)
                      THEN c.body END,
                 '$.exploitation_types') AS t)
         WHERE day IS NOT NULL
         {group}
         ON CONFLICT DO UPDATE SET calls = calls + excluded.calls"
    )
}

/// A referral's target type as counted: '' when its body does not name one.
const TARGET_SQL: &str = "CASE WHEN json_valid(r.body) THEN coalesce(json_extract(r.body, '$.target_type'), '') ELSE '' END";

/// The totals of the referrals `r` of `rows` (see [`Tally::referral`]).
fn referrals_sql(rows: Rows) -> String {
    let referrals = rows.source("referrals", "r");
    let (tally, group) = rows.tally("office_id, day, target, status");
    format!(
        "INSERT INTO referral_figures (office_id, day, target, status, referrals)
         SELECT office_id, day, target, status, {tally} FROM (
             SELECT r.office_id, date(r.created_at, ?2) AS day, {TARGET_SQL} AS target,
                    r.status
             FROM {referrals})
         WHERE day IS NOT NULL
         {group}
         ON CONFLICT DO UPDATE SET referrals = referrals + excluded.referrals"
    )
}

/// The referrals of each case among the referrals `r` of `rows` (see [`Tally::referral`]).
fn case_funnel_sql(rows: Rows) -> String {
    let referrals = rows.source("referrals", "r");
    let (tally, group) = rows.tally("case_id");
    let investigations = rows.sum("investigation");
    let [accepted, in_progress, completed] = INVESTIGATION_STATUSES;
    format!(
        "INSERT INTO case_funnel (case_id, referrals, investigations)
         SELECT case_id, {tally}, {investigations} FROM (
             SELECT r.case_id,
                    r.status IN ('{accepted}', '{in_progress}', '{completed}')
                    AND substr({TARGET_SQL}, 1, {prefix}) = '{POLICE_TARGET_PREFIX}'
                        AS investigation
             FROM {referrals})
         WHERE case_id IS NOT NULL
         {group}
         ON CONFLICT DO UPDATE SET
             referrals = referrals + excluded.referrals,
             investigations = investigations + excluded.investigations",
        prefix = POLICE_TARGET_PREFIX.len(),
    )
}

/// Takes the calls with these ids, as stored, out of the totals: before a write replaces or
/// deletes them.
pub(super) fn uncount_calls<S: AsRef<str>>(
    tx: &Connection,
    zone: FixedOffset,
    ids: &[S],
) -> Result<(), StoreError> {
    let Some(ids) = id_list(ids)? else {
        return Ok(());
    };
    execute(tx, &calls_sql(Rows::Named), params![ids, sql_offset(zone)])
}

/// As [`uncount_calls`], for referrals.
pub(super) fn uncount_referrals<S: AsRef<str>>(
    tx: &Connection,
    zone: FixedOffset,
    ids: &[S],
) -> Result<(), StoreError> {
    let Some(ids) = id_list(ids)? else {
        return Ok(());
    };
    execute(
        tx,
        &referrals_sql(Rows::Named),
        params![ids, sql_offset(zone)],
    )?;
    execute(tx, &case_funnel_sql(Rows::Named), params![ids])
}

/// The ids as the JSON array the statements read (?1); `None` when there are none.
fn id_list<S: AsRef<str>>(ids: &[S]) -> Result<Option<String>, StoreError> {
    if ids.is_empty() {
        return Ok(None);
    }
    let ids: Vec<&str> = ids.iter().map(AsRef::as_ref).collect();
    serde_json::to_string(&ids)
        .map(Some)
        .map_err(|e| StoreError::Damaged(format!("record ids cannot be listed: {e}")))
}

fn execute(tx: &Connection, sql: &str, values: impl rusqlite::Params) -> Result<(), StoreError> {
    tx.prepare_cached(sql)
        .and_then(|mut stmt| stmt.execute(values))
        .map_err(StoreError::sqlite("statistics' totals"))?;
    Ok(())
}

/// Counts every record in the store into the empty daily totals, each table read once:
/// migration 12 runs it for the records already there.
pub(super) fn rebuild(tx: &Connection) -> Result<(), StoreError> {
    let offset = sql_offset(zone(tx)?);
    for sql in [calls_sql(Rows::Every), referrals_sql(Rows::Every)] {
        // ?1 (the ids) is not used here, but still counted among the parameters.
        tx.execute(&sql, params![None::<String>, offset])
            .map_err(StoreError::sqlite("migrate statistics"))?;
    }
    Ok(())
}

/// Migration 13, for the records already there: the calls of each case by day (version 12
/// counted them under one key, whose rows migration 13 deleted), read through version 12's
/// index of calls with a case rather than the whole table; and each case's referrals.
pub(super) fn rebuild_cases(tx: &Connection) -> Result<(), StoreError> {
    let context = || StoreError::sqlite("migrate the funnel's totals");
    tx.execute(
        "INSERT INTO call_figures (office_id, day, figure, key, calls)
         SELECT office_id, day, 'case', case_id, count(*) FROM (
             SELECT office_id, date(started_at, ?1) AS day, case_id
             FROM calls INDEXED BY calls_with_case_by_start
             WHERE case_id IS NOT NULL)
         WHERE day IS NOT NULL
         GROUP BY office_id, day, case_id",
        [sql_offset(zone(tx)?)],
    )
    .map_err(context())?;
    tx.execute(&case_funnel_sql(Rows::Every), [])
        .map_err(context())?;
    Ok(())
}
