//! Central's figures across offices: the store's grouped counts assembled into one set of
//! figures, with what is derived from them (the funnel, the days from a U1 call to its police
//! report), then laid out once as a table of cells (for CSV, and for the disclosure control
//! of public tables) and as rows for people (central's F7 and `linea central stats`), so every
//! output says the same.
//!
//! The funnel follows referrals created in the period through their status history (each
//! step is within the one before):
//! - referred: the history reached SENT or any answer (NO_RESPONSE, ACKNOWLEDGED, ACCEPTED,
//!   IN_PROGRESS, COMPLETED, DECLINED);
//! - acknowledged: the institution confirmed receipt (ACKNOWLEDGED, ACCEPTED, IN_PROGRESS,
//!   COMPLETED, DECLINED);
//! - investigation opened or service given: ACCEPTED, IN_PROGRESS or COMPLETED;
//! - closed: COMPLETED (closed by the institution with the service given).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, FixedOffset, Months, NaiveDate, TimeDelta, Utc};
use serde::Serialize;

use crate::i18n::I18n;
use crate::i18n::figures::Row;
use crate::model::codes::{self, CodeList};
use crate::model::places;
use crate::store::{
    CallGroup, CentralStore, Count, PLACE_ABROAD, PLACE_UNKNOWN, Period, PoliceReport, Scope,
    StoreError,
};

/// The figures of a period, over every office or one. Lists are most first (ties by key),
/// but offices are in the order of their ids, urgencies U1 to U4, and weeks and months in
/// date order with every one of the period present.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CentralFigures {
    /// The period's first and last days, in central's time.
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub period: Period,
    /// The office the figures are limited to, if any.
    pub office: Option<String>,
    /// The offices enrolled: id → name (as the office was enrolled).
    pub offices: BTreeMap<String, String>,
    pub calls: u64,
    pub calls_by_office: Vec<Count>,
    /// Keyed by the week's Monday.
    pub calls_per_week: Vec<Count>,
    pub calls_per_month: Vec<MonthCounts>,
    pub calls_by_reason: Vec<Count>,
    pub calls_by_urgency: Vec<Count>,
    /// By the caller's department (two INEI digits), `abroad` or `unknown`.
    pub calls_by_department: Vec<Count>,
    /// A call with several types counts once in each.
    pub calls_by_exploitation_type: Vec<Count>,
    /// People recorded in the period with the trafficking status POSSIBLE.
    pub presumed_victims: u64,
    pub presumed_victims_by_office: Vec<Count>,
    /// Referrals created in the period.
    pub referrals: u64,
    pub referrals_by_target: Vec<Count>,
    /// By current status.
    pub referrals_by_status: Vec<Count>,
    /// Distinct cases of the period's police referrals (`PNP_*`) that reached the police.
    pub cases_referred_to_police: u64,
    pub funnel: Funnel,
    pub u1_to_police: ResponseTime,
    /// Open referrals whose follow-up date has passed, today, whatever the period.
    pub overdue_referrals: u64,
    pub overdue_referrals_by_office: Vec<Count>,
}

/// The calls of one month, in central's time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthCounts {
    /// `2026-11`
    pub month: String,
    pub calls: u64,
    /// Most first.
    pub reasons: Vec<Count>,
}

/// Referrals created in the period, step by step (see the module's documentation).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Funnel {
    pub referred: u64,
    pub acknowledged: u64,
    pub investigation_or_service: u64,
    pub closed: u64,
}

/// Days from a U1_EMERGENCY call's start to the sending of its first police referral
/// (`PNP_*`), over the period's U1 calls that have one. Percentiles are nearest-rank: the
/// median is the value at rank ⌈n/2⌉ of the sorted days, the 90th percentile at ⌈0.9 n⌉.
/// Days are rounded to hundredths.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ResponseTime {
    pub calls: u64,
    pub median_days: Option<f64>,
    pub p90_days: Option<f64>,
}

/// Counts the figures of `scope` at central.
pub fn figures(store: &CentralStore, scope: &Scope) -> Result<CentralFigures, StoreError> {
    let zone = store.zone();
    let groups = store.central_call_groups(scope)?;
    let weeks = store.central_calls_by_week(scope)?;
    let types = store.central_exploitation_types(scope)?;
    let victims = store.central_presumed_victims(scope)?;
    let referrals = store.central_referral_groups(scope)?;
    let police_cases = store.central_cases_referred_to_police(scope)?;
    let reports = store.central_u1_police_reports(scope)?;
    let overdue = store.central_overdue_referrals(scope.office.as_deref())?;
    let offices = store
        .offices()?
        .into_iter()
        .map(|office| (office.id, office.name))
        .collect();

    let calls = CallTally::of(&groups);
    let mut targets = HashMap::new();
    let mut statuses = HashMap::new();
    let mut funnel = Funnel::default();
    for group in &referrals {
        *targets.entry(group.target_type.clone()).or_default() += group.referrals;
        *statuses.entry(group.status.clone()).or_default() += group.referrals;
        let steps = group.steps;
        funnel.referred += u64::from(steps.referred) * group.referrals;
        funnel.acknowledged += u64::from(steps.acknowledged) * group.referrals;
        funnel.investigation_or_service +=
            u64::from(steps.investigation_or_service) * group.referrals;
        funnel.closed += u64::from(steps.closed) * group.referrals;
    }
    Ok(CentralFigures {
        first_day: scope.period.first_day(zone),
        last_day: scope.period.last_day(zone),
        period: scope.period,
        office: scope.office.clone(),
        offices,
        calls: calls.total,
        calls_by_office: by_key(calls.offices),
        calls_per_week: every_week(&scope.period, zone, weeks),
        calls_per_month: every_month(&scope.period, zone, calls.months),
        calls_by_reason: most_first(calls.reasons),
        calls_by_urgency: by_key(calls.urgencies),
        calls_by_department: most_first(calls.departments),
        calls_by_exploitation_type: sorted_most_first(types),
        presumed_victims: victims.iter().map(|c| c.count).sum(),
        presumed_victims_by_office: victims,
        referrals: referrals.iter().map(|g| g.referrals).sum(),
        referrals_by_target: most_first(targets),
        referrals_by_status: most_first(statuses),
        cases_referred_to_police: police_cases,
        funnel,
        u1_to_police: response_time(&reports)?,
        overdue_referrals: overdue.iter().map(|c| c.count).sum(),
        overdue_referrals_by_office: overdue,
    })
}

/// The call groups summed along each figure.
#[derive(Default)]
struct CallTally {
    total: u64,
    offices: HashMap<String, u64>,
    months: HashMap<String, HashMap<String, u64>>,
    reasons: HashMap<String, u64>,
    urgencies: HashMap<String, u64>,
    departments: HashMap<String, u64>,
}

impl CallTally {
    fn of(groups: &[CallGroup]) -> CallTally {
        let mut tally = CallTally::default();
        for group in groups {
            let calls = group.calls;
            tally.total += calls;
            *tally.offices.entry(group.office.clone()).or_default() += calls;
            *tally
                .months
                .entry(group.month.clone())
                .or_default()
                .entry(group.reason.clone())
                .or_default() += calls;
            *tally.reasons.entry(group.reason.clone()).or_default() += calls;
            *tally.urgencies.entry(group.urgency.clone()).or_default() += calls;
            *tally
                .departments
                .entry(group.department.clone())
                .or_default() += calls;
        }
        tally
    }
}

/// The days from each U1 call to its first police referral, as [`ResponseTime`] says.
fn response_time(reports: &[PoliceReport]) -> Result<ResponseTime, StoreError> {
    let mut first_report: HashMap<&str, (DateTime<Utc>, DateTime<Utc>)> = HashMap::new();
    for report in reports {
        let started = instant(&report.started_at)?;
        let sent = instant(&report.sent_at)?;
        let entry = first_report
            .entry(report.call_id.as_str())
            .or_insert((started, sent));
        entry.1 = entry.1.min(sent);
    }
    // A referral typed as sent before the call started counts as sent at once.
    let mut seconds: Vec<i64> = first_report
        .values()
        .map(|(started, sent)| (*sent - *started).num_seconds().max(0))
        .collect();
    seconds.sort_unstable();
    Ok(ResponseTime {
        calls: seconds.len() as u64,
        median_days: nearest_rank(&seconds, 50).map(days),
        p90_days: nearest_rank(&seconds, 90).map(days),
    })
}

fn instant(text: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| StoreError::Damaged(format!("'{text}' is not a timestamp")))
}

/// The `percent`th percentile of sorted values, nearest-rank: the value at rank
/// ⌈percent/100 × n⌉ (1-based).
pub fn nearest_rank(sorted: &[i64], percent: u64) -> Option<i64> {
    let n = sorted.len() as u64;
    if n == 0 {
        return None;
    }
    let rank = (percent * n).div_ceil(100).max(1);
    sorted.get((rank - 1) as usize).copied()
}

/// Seconds as days, rounded to hundredths.
pub fn days(seconds: i64) -> f64 {
    (seconds as f64 / 864.0).round() / 100.0
}

/// Every week of the period, Monday first, with its calls (none for a week without).
fn every_week(period: &Period, zone: FixedOffset, counts: Vec<Count>) -> Vec<Count> {
    let counts: HashMap<String, u64> = counts.into_iter().map(|c| (c.key, c.count)).collect();
    let monday = |day: NaiveDate| {
        day.checked_sub_signed(TimeDelta::days(i64::from(
            day.weekday().num_days_from_monday(),
        )))
        .unwrap_or(day)
    };
    let last = monday(period.last_day(zone));
    let mut weeks = Vec::new();
    let mut next = Some(monday(period.first_day(zone)));
    while let Some(week) = next.filter(|week| *week <= last) {
        let key = week.format("%Y-%m-%d").to_string();
        let count = counts.get(&key).copied().unwrap_or(0);
        weeks.push(Count { key, count });
        next = week.checked_add_signed(TimeDelta::weeks(1));
    }
    weeks
}

/// Every month of the period in date order, with its calls by reason.
fn every_month(
    period: &Period,
    zone: FixedOffset,
    mut counts: HashMap<String, HashMap<String, u64>>,
) -> Vec<MonthCounts> {
    let first = period.first_day(zone).with_day(1);
    let last = period.last_day(zone);
    let mut months = Vec::new();
    let mut next = first;
    while let Some(month) = next.filter(|month| *month <= last) {
        let key = month.format("%Y-%m").to_string();
        let reasons = counts.remove(&key).map(most_first).unwrap_or_default();
        months.push(MonthCounts {
            month: key,
            calls: reasons.iter().map(|c| c.count).sum(),
            reasons,
        });
        next = month.checked_add_months(Months::new(1));
    }
    months
}

/// How many calendar months the period touches: "in 17 months".
pub fn months_spanned(first: NaiveDate, last: NaiveDate) -> u32 {
    let index = |day: NaiveDate| day.year() * 12 + day.month0() as i32;
    (index(last) - index(first) + 1).max(1).unsigned_abs()
}

fn by_key(counts: HashMap<String, u64>) -> Vec<Count> {
    let mut counts: Vec<Count> = counts
        .into_iter()
        .map(|(key, count)| Count { key, count })
        .collect();
    counts.sort_by(|a, b| a.key.cmp(&b.key));
    counts
}

fn most_first(counts: HashMap<String, u64>) -> Vec<Count> {
    sorted_most_first(by_key(counts))
}

/// Most first; equal counts by key, so the order never depends on hashing.
fn sorted_most_first(mut counts: Vec<Count>) -> Vec<Count> {
    counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    counts
}

// The figures as one table, and as rows for people.

/// The figures, by their names in `linea central stats --json` and `--csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Figure {
    Totals,
    CallsByOffice,
    CallsPerWeek,
    CallsPerMonth,
    CallsPerMonthByReason,
    CallsByReason,
    CallsByUrgency,
    CallsByDepartment,
    CallsByExploitationType,
    PresumedVictimsByOffice,
    ReferralsByTarget,
    ReferralsByStatus,
    Funnel,
    U1ToPolice,
    OverdueReferralsByOffice,
}

impl Figure {
    pub fn name(self) -> &'static str {
        match self {
            Figure::Totals => "totals",
            Figure::CallsByOffice => "calls_by_office",
            Figure::CallsPerWeek => "calls_per_week",
            Figure::CallsPerMonth => "calls_per_month",
            Figure::CallsPerMonthByReason => "calls_per_month_by_reason",
            Figure::CallsByReason => "calls_by_reason",
            Figure::CallsByUrgency => "calls_by_urgency",
            Figure::CallsByDepartment => "calls_by_department",
            Figure::CallsByExploitationType => "calls_by_exploitation_type",
            Figure::PresumedVictimsByOffice => "presumed_victims_by_office",
            Figure::ReferralsByTarget => "referrals_by_target",
            Figure::ReferralsByStatus => "referrals_by_status",
            Figure::Funnel => "funnel",
            Figure::U1ToPolice => "u1_to_police",
            Figure::OverdueReferralsByOffice => "overdue_referrals_by_office",
        }
    }

    /// The message that titles the figure.
    pub fn title_id(self) -> &'static str {
        match self {
            Figure::Totals => "central-stats-totals",
            Figure::CallsByOffice => "central-stats-calls-by-office",
            Figure::CallsPerWeek => "central-stats-calls-per-week",
            Figure::CallsPerMonth | Figure::CallsPerMonthByReason => {
                "central-stats-calls-per-month"
            }
            Figure::CallsByReason => "stats-calls-by-reason",
            Figure::CallsByUrgency => "stats-calls-by-urgency",
            Figure::CallsByDepartment => "stats-calls-by-place",
            Figure::CallsByExploitationType => "stats-calls-by-exploitation-type",
            Figure::PresumedVictimsByOffice => "central-stats-presumed-victims",
            Figure::ReferralsByTarget => "stats-referrals-by-target",
            Figure::ReferralsByStatus => "stats-referrals-by-status",
            Figure::Funnel => "central-stats-funnel",
            Figure::U1ToPolice => "central-stats-u1-to-police",
            Figure::OverdueReferralsByOffice => "central-stats-overdue",
        }
    }

    fn code_list(self) -> Option<&'static CodeList> {
        match self {
            Figure::CallsByReason | Figure::CallsPerMonthByReason => Some(&codes::CONTACT_REASON),
            Figure::CallsByUrgency => Some(&codes::URGENCY),
            Figure::CallsByExploitationType => Some(&codes::EXPLOITATION_TYPE),
            Figure::ReferralsByTarget => Some(&codes::REFERRAL_TARGET_TYPE),
            Figure::ReferralsByStatus => Some(&codes::REFERRAL_STATUS),
            _ => None,
        }
    }
}

/// The totals: key (as in JSON and CSV) and message.
const TOTALS: [(&str, &str); 5] = [
    ("calls", "central-stats-total-calls"),
    ("presumed_victims", "central-stats-total-presumed-victims"),
    ("referrals", "central-stats-total-referrals"),
    (
        "cases_referred_to_police",
        "central-stats-total-police-cases",
    ),
    ("overdue_referrals", "central-stats-total-overdue"),
];

/// The funnel's steps: key (as in JSON and CSV), message, count.
pub fn funnel_steps(funnel: &Funnel) -> [(&'static str, &'static str, u64); 4] {
    [
        ("referred", "central-funnel-referred", funnel.referred),
        (
            "acknowledged",
            "central-funnel-acknowledged",
            funnel.acknowledged,
        ),
        (
            "investigation_or_service",
            "central-funnel-investigation-or-service",
            funnel.investigation_or_service,
        ),
        ("closed", "central-funnel-closed", funnel.closed),
    ]
}

/// A count, or days (a response time).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Count(u64),
    Days(f64),
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Count(count) => write!(f, "{count}"),
            Value::Days(days) => write!(f, "{days:.2}"),
        }
    }
}

/// One cell of the figures: what `--csv` writes per line, and what a disclosure control
/// works on (counts of people and calls; days are derived).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    pub figure: Figure,
    pub key: String,
    pub label: String,
    pub value: Value,
}

impl Serialize for Figure {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl CentralFigures {
    /// The totals as (key, message, count).
    pub(crate) fn totals(&self) -> [(&'static str, &'static str, u64); 5] {
        let values = [
            self.calls,
            self.presumed_victims,
            self.referrals,
            self.cases_referred_to_police,
            self.overdue_referrals,
        ];
        let mut totals = [("", "", 0); 5];
        for (slot, ((key, id), value)) in totals.iter_mut().zip(TOTALS.iter().zip(values)) {
            *slot = (*key, *id, value);
        }
        totals
    }

    /// The counts of a figure that is one list, by key.
    pub fn counts(&self, figure: Figure) -> &[Count] {
        match figure {
            Figure::CallsByOffice => &self.calls_by_office,
            Figure::CallsPerWeek => &self.calls_per_week,
            Figure::CallsByReason => &self.calls_by_reason,
            Figure::CallsByUrgency => &self.calls_by_urgency,
            Figure::CallsByDepartment => &self.calls_by_department,
            Figure::CallsByExploitationType => &self.calls_by_exploitation_type,
            Figure::PresumedVictimsByOffice => &self.presumed_victims_by_office,
            Figure::ReferralsByTarget => &self.referrals_by_target,
            Figure::ReferralsByStatus => &self.referrals_by_status,
            Figure::OverdueReferralsByOffice => &self.overdue_referrals_by_office,
            Figure::Totals
            | Figure::CallsPerMonth
            | Figure::CallsPerMonthByReason
            | Figure::Funnel
            | Figure::U1ToPolice => &[],
        }
    }

    /// The label of one key of a figure, in `i18n`'s language; an unknown code shows as
    /// itself, an office by its id and name.
    pub fn label(&self, figure: Figure, key: &str, i18n: &I18n) -> String {
        match figure {
            Figure::CallsByOffice
            | Figure::PresumedVictimsByOffice
            | Figure::OverdueReferralsByOffice => match self.offices.get(key) {
                Some(name) if !name.is_empty() => format!("{name} ({key})"),
                _ => key.to_owned(),
            },
            Figure::CallsByDepartment => match key {
                PLACE_ABROAD => i18n.t("stats-place-abroad"),
                PLACE_UNKNOWN => i18n.t("stats-place-unknown"),
                department => places::department_name(department)
                    .map_or_else(|| department.to_owned(), str::to_owned),
            },
            Figure::CallsPerMonthByReason => match key.split_once('/') {
                Some((month, reason)) => {
                    format!("{month}: {}", i18n.label(&codes::CONTACT_REASON, reason))
                }
                None => key.to_owned(),
            },
            Figure::Totals => TOTALS
                .iter()
                .find(|(total, _)| *total == key)
                .map_or_else(|| key.to_owned(), |(_, id)| i18n.t(id)),
            Figure::Funnel => funnel_steps(&Funnel::default())
                .iter()
                .find(|(step, _, _)| *step == key)
                .map_or_else(|| key.to_owned(), |(_, id, _)| i18n.t(id)),
            Figure::U1ToPolice => match key {
                "calls" => i18n.t("central-u1-calls"),
                "median_days" => i18n.t("central-u1-median"),
                "p90_days" => i18n.t("central-u1-p90"),
                other => other.to_owned(),
            },
            _ => match figure.code_list() {
                Some(list) => i18n.label(list, key),
                None => key.to_owned(),
            },
        }
    }

    /// Every figure in full, one cell per count, labelled in `i18n`'s language: what
    /// `--csv` writes, and the table a disclosure control suppresses cells of.
    pub fn table(&self, i18n: &I18n) -> Vec<Cell> {
        let mut cells = Vec::new();
        let mut cell = |figure: Figure, key: String, value: Value| {
            let label = self.label(figure, &key, i18n);
            cells.push(Cell {
                figure,
                key,
                label,
                value,
            });
        };
        for (key, _, count) in self.totals() {
            cell(Figure::Totals, key.to_owned(), Value::Count(count));
        }
        for (key, _, count) in funnel_steps(&self.funnel) {
            cell(Figure::Funnel, key.to_owned(), Value::Count(count));
        }
        let u1 = &self.u1_to_police;
        cell(Figure::U1ToPolice, "calls".into(), Value::Count(u1.calls));
        for (key, days) in [("median_days", u1.median_days), ("p90_days", u1.p90_days)] {
            if let Some(days) = days {
                cell(Figure::U1ToPolice, key.into(), Value::Days(days));
            }
        }
        for month in &self.calls_per_month {
            cell(
                Figure::CallsPerMonth,
                month.month.clone(),
                Value::Count(month.calls),
            );
        }
        for month in &self.calls_per_month {
            for reason in &month.reasons {
                cell(
                    Figure::CallsPerMonthByReason,
                    format!("{}/{}", month.month, reason.key),
                    Value::Count(reason.count),
                );
            }
        }
        for figure in LISTS {
            for count in self.counts(figure) {
                cell(figure, count.key.clone(), Value::Count(count.count));
            }
        }
        cells
    }
}

/// The figures that are one list of counts, in the order they are shown.
pub(crate) const LISTS: [Figure; 10] = [
    Figure::CallsByOffice,
    Figure::CallsPerWeek,
    Figure::CallsByReason,
    Figure::CallsByUrgency,
    Figure::CallsByDepartment,
    Figure::CallsByExploitationType,
    Figure::PresumedVictimsByOffice,
    Figure::ReferralsByTarget,
    Figure::ReferralsByStatus,
    Figure::OverdueReferralsByOffice,
];

/// Plain ASCII, so bars read on any terminal and without colour.
const BAR_MARK: char = '#';
/// The weeks drawn on screen and in text: the last of the period (JSON and CSV have all).
const WEEKS_SHOWN: usize = 16;

/// Every figure laid out for people, titled, a blank row apart: central's F7 draws these
/// rows and `linea central stats` prints them.
pub fn rows(figures: &CentralFigures, i18n: &I18n) -> Vec<Row> {
    let mut rows = Vec::new();
    let section = |rows: &mut Vec<Row>, figure: Figure| {
        if !rows.is_empty() {
            rows.push(Row::Blank);
        }
        rows.push(Row::Title(i18n.t(figure.title_id())));
    };
    section(&mut rows, Figure::Totals);
    for (key, _, count) in figures.totals() {
        rows.push(Row::Note(format!(
            "{}: {count}",
            figures.label(Figure::Totals, key, i18n)
        )));
    }
    section(&mut rows, Figure::Funnel);
    bars(
        &mut rows,
        funnel_steps(&figures.funnel)
            .iter()
            .map(|(_, id, count)| (i18n.t(id), *count))
            .collect(),
    );
    section(&mut rows, Figure::U1ToPolice);
    rows.push(Row::Note(u1_sentence(&figures.u1_to_police, i18n)));
    section(&mut rows, Figure::CallsPerMonth);
    bars(
        &mut rows,
        figures
            .calls_per_month
            .iter()
            .map(|m| (m.month.clone(), m.calls))
            .collect(),
    );
    for figure in LISTS {
        section(&mut rows, figure);
        let mut counts: Vec<&Count> = figures.counts(figure).iter().collect();
        if figure == Figure::CallsPerWeek && counts.len() > WEEKS_SHOWN {
            rows.push(Row::Note(i18n.t_args(
                "stats-last-weeks",
                &[
                    ("shown", WEEKS_SHOWN.into()),
                    ("total", counts.len().into()),
                ],
            )));
            counts.drain(..counts.len() - WEEKS_SHOWN);
        }
        if figure == Figure::CallsByUrgency {
            counts = Vec::new();
            let every: Vec<(String, u64)> = codes::URGENCY
                .entries
                .iter()
                .map(|entry| {
                    let count = figures
                        .calls_by_urgency
                        .iter()
                        .find(|c| c.key == entry.code)
                        .map_or(0, |c| c.count);
                    (i18n.label(&codes::URGENCY, entry.code), count)
                })
                .collect();
            bars(&mut rows, every);
            continue;
        }
        if counts.is_empty() {
            rows.push(Row::Note(i18n.t("stats-none")));
        }
        bars(
            &mut rows,
            counts
                .iter()
                .map(|c| (figures.label(figure, &c.key, i18n), c.count))
                .collect(),
        );
    }
    rows
}

/// The response time in a sentence: how many U1 calls, the median and the 90th percentile.
pub fn u1_sentence(time: &ResponseTime, i18n: &I18n) -> String {
    match (time.median_days, time.p90_days) {
        (Some(median), Some(p90)) => i18n.t_args(
            "central-u1-sentence",
            &[
                ("count", time.calls.into()),
                ("median", format!("{median:.2}").into()),
                ("p90", format!("{p90:.2}").into()),
            ],
        ),
        _ => i18n.t("central-u1-none"),
    }
}

/// Plain bars, scaled together.
fn bars(rows: &mut Vec<Row>, labelled: Vec<(String, u64)>) {
    let max = labelled.iter().map(|(_, count)| *count).max().unwrap_or(0);
    rows.extend(labelled.into_iter().map(|(label, count)| Row::Bar {
        label,
        count,
        max,
        parts: vec![(BAR_MARK, count)],
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        assert_eq!(nearest_rank(&[], 50), None);
        assert_eq!(nearest_rank(&[7], 50), Some(7));
        assert_eq!(nearest_rank(&[7], 90), Some(7));
        assert_eq!(nearest_rank(&[1, 2, 3, 4], 50), Some(2));
        assert_eq!(nearest_rank(&[1, 2, 3, 4, 5], 50), Some(3));
        let hundred: Vec<i64> = (1..=100).collect();
        assert_eq!(nearest_rank(&hundred, 90), Some(90));
        assert_eq!(
            nearest_rank(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90),
            Some(10)
        );
    }

    #[test]
    fn days_are_rounded_to_hundredths() {
        assert_eq!(days(0), 0.0);
        assert_eq!(days(40 * 60), 0.03);
        assert_eq!(days(86_400 * 3 + 43_200), 3.5);
    }

    #[test]
    fn months_spanned_count_calendar_months_touched() {
        let day = |text: &str| text.parse::<NaiveDate>().unwrap();
        assert_eq!(months_spanned(day("2025-07-15"), day("2026-11-28")), 17);
        assert_eq!(months_spanned(day("2026-11-01"), day("2026-11-28")), 1);
        assert_eq!(months_spanned(day("2026-12-31"), day("2027-01-01")), 2);
    }

    #[test]
    fn every_month_of_the_period_is_listed_even_without_calls() {
        let lima = FixedOffset::west_opt(5 * 3600).unwrap();
        let day = |text: &str| text.parse::<NaiveDate>().unwrap();
        let period = Period::local_days(day("2026-09-20"), day("2026-11-02"), lima).unwrap();
        let counts = HashMap::from([(
            "2026-10".to_owned(),
            HashMap::from([("TIP".to_owned(), 2), ("CRISIS".to_owned(), 3)]),
        )]);
        let months = every_month(&period, lima, counts);
        let keys: Vec<&str> = months.iter().map(|m| m.month.as_str()).collect();
        assert_eq!(keys, ["2026-09", "2026-10", "2026-11"]);
        assert_eq!(months[1].calls, 5);
        assert_eq!(months[1].reasons[0].key, "CRISIS");
        let weeks = every_week(&period, lima, Vec::new());
        assert_eq!(weeks.first().map(|w| w.key.as_str()), Some("2026-09-14"));
        assert_eq!(weeks.last().map(|w| w.key.as_str()), Some("2026-11-02"));
    }
}
