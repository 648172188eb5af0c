//! The office's figures for a period: calls by week and reason, urgency, place and
//! exploitation type; referrals by target and status; and the funnel from calls to police
//! investigations.
//!
//! Every figure is summed from totals kept as records are written (see `figures`): a period
//! of ten years reads a few hundred thousand small rows however many calls it had, and
//! memory stays flat. The funnel's distinct cases are the case keys of the period's days,
//! each looked up once in the per-case totals of referrals.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, TimeDelta, Utc};
use rusqlite::{CachedStatement, params};
use serde::Serialize;

use super::{Store, StoreError, parse_timestamp};

/// The place key of calls from abroad (a country code, not a ubigeo).
pub const PLACE_ABROAD: &str = "abroad";
/// The place key of calls with no place, or the country code ZZ ("unknown").
pub const PLACE_UNKNOWN: &str = "unknown";
/// Referral target types of the police all start with this.
pub const POLICE_TARGET_PREFIX: &str = "PNP_";
/// A police referral in one of these statuses counts as an investigation under way or done.
pub const INVESTIGATION_STATUSES: [&str; 3] = ["ACCEPTED", "IN_PROGRESS", "COMPLETED"];

/// The period shown when none is chosen: this many weeks, ending today.
pub const DEFAULT_WEEKS: u32 = 12;

/// The periods offered ready-made, each ending today but the last month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    ThisWeek,
    ThisMonth,
    LastMonth,
    ThisYear,
    /// From the office's first call.
    Everything,
}

impl Preset {
    pub const ALL: [Preset; 5] = [
        Preset::ThisWeek,
        Preset::ThisMonth,
        Preset::LastMonth,
        Preset::ThisYear,
        Preset::Everything,
    ];

    /// The message naming the preset.
    pub fn message_id(self) -> &'static str {
        match self {
            Preset::ThisWeek => "stats-preset-this-week",
            Preset::ThisMonth => "stats-preset-this-month",
            Preset::LastMonth => "stats-preset-last-month",
            Preset::ThisYear => "stats-preset-this-year",
            Preset::Everything => "stats-preset-everything",
        }
    }

    /// The first and last day as of `today`; everything begins on the day of the first
    /// call (`first_call`), or today when there is none.
    pub fn days(self, today: NaiveDate, first_call: Option<NaiveDate>) -> (NaiveDate, NaiveDate) {
        let first_of_month = today.with_day(1).unwrap_or(today);
        match self {
            Preset::ThisWeek => (monday_of(today), today),
            Preset::ThisMonth => (first_of_month, today),
            Preset::LastMonth => {
                let last = first_of_month.pred_opt().unwrap_or(first_of_month);
                (last.with_day(1).unwrap_or(last), last)
            }
            Preset::ThisYear => (today.with_ordinal(1).unwrap_or(today), today),
            Preset::Everything => (first_call.unwrap_or(today).min(today), today),
        }
    }
}

/// Instants [from, to): calls that started at or after `from` and before `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

impl Period {
    /// The office's days `first` to `last`, both whole; `None` when `last` is before
    /// `first` or a day is out of range.
    pub fn local_days(first: NaiveDate, last: NaiveDate, zone: FixedOffset) -> Option<Period> {
        if last < first {
            return None;
        }
        let from = local_midnight(first, zone)?;
        let to = local_midnight(last.succ_opt()?, zone)?;
        Some(Period { from, to })
    }

    /// `weeks` whole weeks, Monday to Sunday, the last being the one holding `last` (up to
    /// and including that day): a chart by week then has no cut first week.
    pub fn weeks_ending(last: NaiveDate, weeks: u32, zone: FixedOffset) -> Option<Period> {
        let back = TimeDelta::weeks(i64::from(weeks.max(1)) - 1);
        let first = monday_of(last).checked_sub_signed(back)?;
        Period::local_days(first, last, zone)
    }

    /// The period the operator asked for, from optional first and last days: the last day
    /// defaults to `today`, the first to the Monday [`DEFAULT_WEEKS`] weeks back from the
    /// last day's week. `None` when the last day is before the first.
    pub fn chosen(
        first: Option<NaiveDate>,
        last: Option<NaiveDate>,
        today: NaiveDate,
        zone: FixedOffset,
    ) -> Option<Period> {
        let last = last.unwrap_or(today);
        match first {
            Some(first) => Period::local_days(first, last, zone),
            None => Period::weeks_ending(last, DEFAULT_WEEKS, zone),
        }
    }

    /// The first day of the period, in the office's time.
    pub fn first_day(&self, zone: FixedOffset) -> NaiveDate {
        self.from.with_timezone(&zone).date_naive()
    }

    /// The last day of the period (whole or not), in the office's time.
    pub fn last_day(&self, zone: FixedOffset) -> NaiveDate {
        (self.to - TimeDelta::microseconds(1))
            .with_timezone(&zone)
            .date_naive()
    }
}

/// How many calls, referrals… have one value of a figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    /// A code (`TIP`, `U1_EMERGENCY`, `PNP_STATION`), a department's two digits, or
    /// [`PLACE_ABROAD`] / [`PLACE_UNKNOWN`].
    pub key: String,
    pub count: u64,
}

/// The calls of one week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WeekCounts {
    /// The week's Monday, in the office's time.
    pub week: NaiveDate,
    pub calls: u64,
    /// Most first.
    pub reasons: Vec<Count>,
}

/// From calls to police investigations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Funnel {
    /// Calls that started in the period.
    pub calls: u64,
    /// Those of them that belong to a case.
    pub calls_with_case: u64,
    /// The cases of those calls that have at least one referral.
    pub cases_referred: u64,
    /// Referrals of those cases to the police (PNP_*) that were accepted, are being
    /// attended or were completed.
    pub police_investigations: u64,
}

/// The figures of a period. Lists are most first (ties by key), but urgencies go from U1 to
/// U4 and weeks in date order, every week of the period present even when it had no call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub period: Period,
    pub calls_per_week: Vec<WeekCounts>,
    pub calls_by_reason: Vec<Count>,
    pub calls_by_urgency: Vec<Count>,
    /// By department (its two INEI digits), [`PLACE_ABROAD`] or [`PLACE_UNKNOWN`].
    pub calls_by_place: Vec<Count>,
    /// A call with several types counts once in each.
    pub calls_by_exploitation_type: Vec<Count>,
    /// Referrals created in the period, by `referral_target_type`.
    pub referrals_by_target: Vec<Count>,
    /// The same referrals, by their current status.
    pub referrals_by_status: Vec<Count>,
    pub funnel: Funnel,
}

// The statements. Days are the office's dates as SQLite writes them ("2026-11-28"): ?1 the
// first day, ?2 the day after the last.

/// The offices the totals hold, each found by one step down the totals' key (an office has
/// one, central every office it imports from): the totals are keyed by office first, and
/// reading each office's run of days is a range of that key, where the period's days over
/// every office at once would be a scan of the whole table.
const OFFICES_CTE: &str = "
    WITH RECURSIVE offices (id) AS (
        SELECT min(office_id) FROM {table}
        UNION ALL
        SELECT (SELECT min(office_id) FROM {table} WHERE office_id > offices.id)
        FROM offices WHERE offices.id IS NOT NULL)";

/// The calls' daily totals over the period's days, every office's (see `figures`), in key
/// order. A period of ten years reads some 200,000 small rows an office, none of them a
/// call. They are summed here as they stream by: a GROUP BY's sorter took ten times as long
/// as reading them (its temporary tables, under SQLCipher's memory security).
fn calls_sql() -> String {
    format!(
        "{}
        SELECT f.day, f.figure, f.key, f.calls
        FROM offices CROSS JOIN call_figures f ON f.office_id = offices.id
        WHERE f.day >= ?1 AND f.day < ?2",
        OFFICES_CTE.replace("{table}", "call_figures")
    )
}

/// Both referral figures from their daily totals, summed in the same way.
fn referrals_sql() -> String {
    format!(
        "{}
        SELECT f.target, f.status, f.referrals
        FROM offices CROSS JOIN referral_figures f ON f.office_id = offices.id
        WHERE f.day >= ?1 AND f.day < ?2",
        OFFICES_CTE.replace("{table}", "referral_figures")
    )
}

/// The funnel's last two steps over the cases listed in ?1 (a JSON array): how many have a
/// referral, and their police investigations. Each case is one lookup in its totals.
const FUNNEL_SQL: &str = "
    SELECT count(*), coalesce(sum(f.investigations), 0)
    FROM json_each(?1) AS k CROSS JOIN case_funnel f ON f.case_id = k.value
    WHERE f.referrals > 0";

/// The calls' figures of a period, summed from the daily totals. A sum can be below zero
/// only while a transaction moves calls between totals; what is not above zero is left out.
#[derive(Debug, Default)]
struct CallFigures {
    /// Week's Monday (as SQLite writes dates) → reason → calls.
    weeks: HashMap<String, HashMap<String, i64>>,
    reasons: HashMap<String, i64>,
    urgencies: HashMap<String, i64>,
    places: HashMap<String, i64>,
    types: HashMap<String, i64>,
    calls_with_case: i64,
    /// Case → its calls.
    cases: HashMap<String, i64>,
    /// The last day read and its week's Monday: rows come day by day.
    day: String,
    week: String,
}

impl CallFigures {
    fn add(&mut self, day: &str, figure: &str, key: &str, calls: i64) {
        match figure {
            "reason" => {
                if day != self.day {
                    self.day = day.to_owned();
                    // Text SQLite did not write as a date counts in no week.
                    self.week = NaiveDate::parse_from_str(day, "%Y-%m-%d")
                        .map(|day| monday_of(day).format("%Y-%m-%d").to_string())
                        .unwrap_or_default();
                }
                if !self.week.is_empty() {
                    let week = match self.weeks.get_mut(&self.week) {
                        Some(week) => week,
                        None => self.weeks.entry(self.week.clone()).or_default(),
                    };
                    add_to(week, key, calls);
                }
                add_to(&mut self.reasons, key, calls);
            }
            "urgency" => add_to(&mut self.urgencies, key, calls),
            "place" => add_to(&mut self.places, key, calls),
            "type" => add_to(&mut self.types, key, calls),
            "case" => {
                self.calls_with_case += calls;
                add_to(&mut self.cases, key, calls);
            }
            // A figure a newer linea keeps: not shown by this one.
            _ => {}
        }
    }
}

/// Adds to `key`'s sum, allocating only for a key not seen before.
fn add_to(sums: &mut HashMap<String, i64>, key: &str, count: i64) {
    match sums.get_mut(key) {
        Some(sum) => *sum += count,
        None => {
            sums.insert(key.to_owned(), count);
        }
    }
}

/// The sums above zero, as counts.
fn counts(sums: HashMap<String, i64>) -> HashMap<String, u64> {
    sums.into_iter()
        .filter_map(|(key, sum)| Some((key, u64::try_from(sum).ok().filter(|n| *n > 0)?)))
        .collect()
}

impl Store {
    /// The office's figures for `period`, whose bounds are the office's midnights (as
    /// every constructor of [`Period`] makes them): the figures are kept per office day.
    pub fn stats(&self, period: &Period) -> Result<Stats, StoreError> {
        let days = (
            period
                .from
                .with_timezone(&self.zone)
                .date_naive()
                .to_string(),
            period.to.with_timezone(&self.zone).date_naive().to_string(),
        );
        let figures = self.call_figures(&days)?;
        let reasons = counts(figures.reasons);
        let (referrals_by_target, referrals_by_status) = self.referral_counts(&days)?;
        let (cases_referred, police_investigations) = self.funnel_tail(figures.cases)?;
        Ok(Stats {
            period: *period,
            funnel: Funnel {
                calls: reasons.values().sum(),
                calls_with_case: u64::try_from(figures.calls_with_case).unwrap_or_default(),
                cases_referred,
                police_investigations,
            },
            calls_per_week: every_week(
                period,
                self.zone,
                figures
                    .weeks
                    .into_iter()
                    .map(|(week, reasons)| (week, counts(reasons)))
                    .collect(),
            ),
            calls_by_reason: most_first(reasons),
            calls_by_urgency: by_key(counts(figures.urgencies)),
            calls_by_place: most_first(counts(figures.places)),
            calls_by_exploitation_type: most_first(counts(figures.types)),
            referrals_by_target,
            referrals_by_status,
        })
    }

    /// The day of the office's first call, in the office's time; `None` without calls.
    pub fn first_call_day(&self) -> Result<Option<NaiveDate>, StoreError> {
        const CONTEXT: &str = "the first call";
        let first: Option<String> = self
            .prepare("SELECT MIN(started_at) FROM calls", CONTEXT)?
            .query_row([], |row| row.get(0))
            .map_err(StoreError::sqlite(CONTEXT))?;
        first
            .map(|at| Ok(parse_timestamp(&at)?.with_timezone(&self.zone).date_naive()))
            .transpose()
    }

    fn prepare(&self, sql: &str, context: &'static str) -> Result<CachedStatement<'_>, StoreError> {
        self.conn
            .prepare_cached(sql)
            .map_err(StoreError::sqlite(context))
    }

    /// The calls' figures over the days [?1, ?2).
    fn call_figures(&self, (first, end): &(String, String)) -> Result<CallFigures, StoreError> {
        const CONTEXT: &str = "calls figures";
        let mut stmt = self.prepare(&calls_sql(), CONTEXT)?;
        let mut rows = stmt
            .query(params![first, end])
            .map_err(StoreError::sqlite(CONTEXT))?;
        let mut figures = CallFigures::default();
        while let Some(row) = rows.next().map_err(StoreError::sqlite(CONTEXT))? {
            let mut read = |row: &rusqlite::Row<'_>| -> rusqlite::Result<()> {
                figures.add(
                    row.get_ref(0)?.as_str()?,
                    row.get_ref(1)?.as_str()?,
                    row.get_ref(2)?.as_str()?,
                    row.get(3)?,
                );
                Ok(())
            };
            read(row).map_err(StoreError::sqlite(CONTEXT))?;
        }
        Ok(figures)
    }

    /// Referrals created on the days [?1, ?2), by target type and by current status.
    fn referral_counts(
        &self,
        (first, end): &(String, String),
    ) -> Result<(Vec<Count>, Vec<Count>), StoreError> {
        const CONTEXT: &str = "referral figures";
        let mut stmt = self.prepare(&referrals_sql(), CONTEXT)?;
        let mut rows = stmt
            .query(params![first, end])
            .map_err(StoreError::sqlite(CONTEXT))?;
        let mut targets = HashMap::new();
        let mut statuses = HashMap::new();
        while let Some(row) = rows.next().map_err(StoreError::sqlite(CONTEXT))? {
            let mut read = |row: &rusqlite::Row<'_>| -> rusqlite::Result<()> {
                let referrals = row.get(2)?;
                add_to(&mut targets, row.get_ref(0)?.as_str()?, referrals);
                add_to(&mut statuses, row.get_ref(1)?.as_str()?, referrals);
                Ok(())
            };
            read(row).map_err(StoreError::sqlite(CONTEXT))?;
        }
        Ok((most_first(counts(targets)), most_first(counts(statuses))))
    }

    /// (cases referred, police investigations) among the cases whose calls are summed in
    /// `cases` (those with none left are not the period's).
    fn funnel_tail(&self, cases: HashMap<String, i64>) -> Result<(u64, u64), StoreError> {
        const CONTEXT: &str = "funnel";
        let cases: Vec<String> = cases
            .into_iter()
            .filter_map(|(case, calls)| (calls > 0).then_some(case))
            .collect();
        if cases.is_empty() {
            return Ok((0, 0));
        }
        let cases = serde_json::to_string(&cases)
            .map_err(|e| StoreError::Damaged(format!("cases cannot be listed: {e}")))?;
        let mut stmt = self.prepare(FUNNEL_SQL, CONTEXT)?;
        let (referred, investigations) = stmt
            .query_row([cases], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?))
            })
            .map_err(StoreError::sqlite(CONTEXT))?;
        Ok((referred.unsigned_abs(), investigations.unsigned_abs()))
    }
}

fn local_midnight(day: NaiveDate, zone: FixedOffset) -> Option<DateTime<Utc>> {
    day.and_time(NaiveTime::MIN)
        .and_local_timezone(zone)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

/// The Monday of `day`'s week (`day` itself at the very start of the calendar).
fn monday_of(day: NaiveDate) -> NaiveDate {
    let back = TimeDelta::days(i64::from(day.weekday().num_days_from_monday()));
    day.checked_sub_signed(back).unwrap_or(day)
}

/// Every week of the period in date order, with the counts found (none for a week without
/// calls).
fn every_week(
    period: &Period,
    zone: FixedOffset,
    mut counts: HashMap<String, HashMap<String, u64>>,
) -> Vec<WeekCounts> {
    let last = monday_of(period.last_day(zone));
    let mut weeks = Vec::new();
    let mut next = Some(monday_of(period.first_day(zone)));
    while let Some(monday) = next.filter(|monday| *monday <= last) {
        let reasons = counts
            .remove(&monday.format("%Y-%m-%d").to_string())
            .map(most_first)
            .unwrap_or_default();
        weeks.push(WeekCounts {
            week: monday,
            calls: reasons.iter().map(|c| c.count).sum(),
            reasons,
        });
        // None past the end of the calendar, which a typed date can reach.
        next = monday.checked_add_signed(TimeDelta::weeks(1));
    }
    weeks
}

/// Most first; equal counts by key, so the order never depends on hashing.
fn most_first(counts: HashMap<String, u64>) -> Vec<Count> {
    let mut counts = by_key(counts);
    counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    counts
}

/// In key order (urgencies: U1 first).
fn by_key(counts: HashMap<String, u64>) -> Vec<Count> {
    let mut counts: Vec<Count> = counts
        .into_iter()
        .map(|(key, count)| Count { key, count })
        .collect();
    counts.sort_by(|a, b| a.key.cmp(&b.key));
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lima() -> FixedOffset {
        FixedOffset::west_opt(5 * 3600).unwrap()
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn local_days_run_from_midnight_to_midnight_in_office_time() {
        let period = Period::local_days(day("2026-11-01"), day("2026-11-28"), lima()).unwrap();
        assert_eq!(period.from.to_rfc3339(), "2026-11-01T05:00:00+00:00");
        assert_eq!(period.to.to_rfc3339(), "2026-11-29T05:00:00+00:00");
        assert_eq!(period.first_day(lima()), day("2026-11-01"));
        assert_eq!(period.last_day(lima()), day("2026-11-28"));
        assert!(Period::local_days(day("2026-11-02"), day("2026-11-01"), lima()).is_none());
        // The end of the calendar is refused, not a panic.
        assert!(Period::local_days(NaiveDate::MAX, NaiveDate::MAX, lima()).is_none());
        let near_end = NaiveDate::MAX - TimeDelta::days(2);
        let period = Period::local_days(near_end, near_end, lima()).unwrap();
        assert_eq!(every_week(&period, lima(), HashMap::new()).len(), 1);
        assert_eq!(monday_of(NaiveDate::MIN), NaiveDate::MIN);
    }

    #[test]
    fn presets_end_today_but_last_month_which_is_whole() {
        // Saturday 28 November 2026.
        let today = day("2026-11-28");
        let days = |preset: Preset| preset.days(today, Some(day("2025-03-14")));
        assert_eq!(days(Preset::ThisWeek), (day("2026-11-23"), today));
        assert_eq!(days(Preset::ThisMonth), (day("2026-11-01"), today));
        assert_eq!(
            days(Preset::LastMonth),
            (day("2026-10-01"), day("2026-10-31"))
        );
        assert_eq!(days(Preset::ThisYear), (day("2026-01-01"), today));
        assert_eq!(days(Preset::Everything), (day("2025-03-14"), today));
        assert_eq!(Preset::Everything.days(today, None), (today, today));
        // January's last month is the year before's December.
        assert_eq!(
            Preset::LastMonth.days(day("2026-01-15"), None),
            (day("2025-12-01"), day("2025-12-31"))
        );
    }

    #[test]
    fn weeks_ending_a_day_start_on_a_monday() {
        // Saturday 28 November 2026: its week began on Monday the 23rd.
        let period = Period::weeks_ending(day("2026-11-28"), 12, lima()).unwrap();
        assert_eq!(period.first_day(lima()), day("2026-09-07"));
        assert_eq!(period.first_day(lima()).weekday(), chrono::Weekday::Mon);
        assert_eq!(period.last_day(lima()), day("2026-11-28"));
        let one = Period::weeks_ending(day("2026-11-23"), 1, lima()).unwrap();
        assert_eq!(one.first_day(lima()), day("2026-11-23"));
    }

    #[test]
    fn every_week_of_the_period_is_listed_even_without_calls() {
        let period = Period::local_days(day("2026-11-04"), day("2026-11-28"), lima()).unwrap();
        let mut counts = HashMap::new();
        counts.insert(
            "2026-11-09".to_owned(),
            HashMap::from([("TIP".to_owned(), 2), ("CRISIS".to_owned(), 3)]),
        );
        let weeks = every_week(&period, lima(), counts);
        let mondays: Vec<String> = weeks.iter().map(|w| w.week.to_string()).collect();
        assert_eq!(
            mondays,
            ["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"]
        );
        assert_eq!(weeks[1].calls, 5);
        assert_eq!(weeks[1].reasons[0].key, "CRISIS");
        assert_eq!(weeks[0].calls, 0);
    }

    #[test]
    fn ties_are_ordered_by_key() {
        let counts = HashMap::from([
            ("B".to_owned(), 1),
            ("C".to_owned(), 2),
            ("A".to_owned(), 1),
        ]);
        let keys: Vec<String> = most_first(counts.clone())
            .into_iter()
            .map(|c| c.key)
            .collect();
        assert_eq!(keys, ["C", "A", "B"]);
        let keys: Vec<String> = by_key(counts).into_iter().map(|c| c.key).collect();
        assert_eq!(keys, ["A", "B", "C"]);
    }

    use crate::store::figures;

    /// The place key the store counts a stored call from `place` under when it builds the
    /// totals from the rows (in SQL).
    fn stored_place_key(place: Option<&str>) -> String {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        crate::store::schema::migrate(&mut conn).unwrap();
        conn.execute(
            "INSERT INTO calls (id, office_id, author, created_at, updated_at, version,
                                started_at, reason, urgency, place, body)
             VALUES ('c1', 'pe-cusco', 'ana', 't', 't', 1, '2026-11-28T15:00:00.000000Z',
                     'TIP', 'U4_ROUTINE', ?1, '{}')",
            [place],
        )
        .unwrap();
        figures::rebuild(&conn).unwrap();
        conn.query_row(
            "SELECT key FROM call_figures WHERE figure = 'place'",
            [],
            |row| row.get(0),
        )
        .unwrap()
    }

    #[test]
    fn places_count_by_department_abroad_or_unknown() {
        for (place, key) in [
            (Some("170101"), "17"),
            (Some("150000"), "15"),
            (Some("VE"), PLACE_ABROAD),
            (Some("ZZ"), PLACE_UNKNOWN),
            (Some(""), PLACE_UNKNOWN),
            (None, PLACE_UNKNOWN),
        ] {
            // As a call is written (in Rust) and as a stored row is counted (in SQL).
            assert_eq!(figures::place_key(place), key, "{place:?}");
            assert_eq!(stored_place_key(place), key, "{place:?}");
        }
    }
}
