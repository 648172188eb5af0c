//! The statistics' totals say what the records say: on a demo office with random edits, new
//! calls and status changes, after retention purged old cases, at central after importing
//! the office's batches (new records and changed ones), and in stores made before the totals
//! and before the funnel's totals existed, every figure of several periods equals a recount
//! that reads every call of the period, as `Store::stats` did before it kept totals.

mod common;

use std::collections::{BTreeSet, HashMap};

use chrono::{Datelike, FixedOffset, NaiveDate, TimeDelta, Utc};
use common::Office;
use linea::model::{CallFields, CaseFields, ReferralFields, StatusChange};
use linea::store::{
    Clock, Count, Funnel, INVESTIGATION_STATUSES, OfficeStore, PLACE_ABROAD, PLACE_UNKNOWN,
    POLICE_TARGET_PREFIX, Period, Preset, Stats, Store, WeekCounts, timestamp,
};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rusqlite::{Connection, params};
use uuid::Uuid;

// The recount: the code `Store::stats` ran before schema version 12, on a raw connection.

/// Every call of the period, once, with its local week.
const CALLS_SQL: &str = r#"
    SELECT date(started_at, ?3, 'weekday 0', '-6 days'), reason, urgency, place, case_id,
           CASE WHEN instr(body, '"exploitation_types":') > 0
                THEN json_extract(body, '$.exploitation_types') END
    FROM calls WHERE started_at >= ?1 AND started_at < ?2"#;

const REFERRALS_SQL: &str = "
    SELECT coalesce(json_extract(body, '$.target_type'), ''), status, count(*)
    FROM referrals WHERE created_at >= ?1 AND created_at < ?2
    GROUP BY 1, 2";

const FUNNEL_SQL: &str = "
    WITH period_cases (case_id) AS (SELECT value FROM json_each(?1))
    SELECT
        (SELECT count(*) FROM period_cases k
         WHERE EXISTS (SELECT 1 FROM referrals r WHERE r.case_id = k.case_id)),
        (SELECT count(*) FROM period_cases k JOIN referrals r ON r.case_id = k.case_id
         WHERE r.status IN (?3, ?4, ?5)
           AND substr(json_extract(r.body, '$.target_type'), 1, length(?2)) = ?2)";

fn place_key(place: Option<&str>) -> &str {
    match place {
        None | Some("" | "ZZ") => PLACE_UNKNOWN,
        Some(ubigeo) if ubigeo.len() == 6 && ubigeo.is_char_boundary(2) => &ubigeo[..2],
        Some(_) => PLACE_ABROAD,
    }
}

fn most_first(counts: HashMap<String, u64>) -> Vec<Count> {
    let mut counts = by_key(counts);
    counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    counts
}

fn by_key(counts: HashMap<String, u64>) -> Vec<Count> {
    let mut counts: Vec<Count> = counts
        .into_iter()
        .map(|(key, count)| Count { key, count })
        .collect();
    counts.sort_by(|a, b| a.key.cmp(&b.key));
    counts
}

fn monday_of(day: NaiveDate) -> NaiveDate {
    day - TimeDelta::days(i64::from(day.weekday().num_days_from_monday()))
}

/// The figures of `period`, from every call and referral of it.
fn recount(conn: &Connection, zone: FixedOffset, period: &Period) -> Stats {
    let (from, to) = (timestamp(period.from), timestamp(period.to));
    let offset = format!("{:+} minutes", zone.local_minus_utc() / 60);
    let mut weeks: HashMap<String, HashMap<String, u64>> = HashMap::new();
    let (mut reasons, mut urgencies, mut places, mut types) = (
        HashMap::new(),
        HashMap::new(),
        HashMap::new(),
        HashMap::new(),
    );
    let (mut calls, mut calls_with_case) = (0, 0);
    let mut cases = BTreeSet::new();
    let mut stmt = conn.prepare(CALLS_SQL).unwrap();
    let mut rows = stmt.query(params![from, to, offset]).unwrap();
    while let Some(row) = rows.next().unwrap() {
        let week: Option<String> = row.get(0).unwrap();
        let reason: String = row.get(1).unwrap();
        let place: Option<String> = row.get(3).unwrap();
        let case_id: Option<String> = row.get(4).unwrap();
        let listed: Option<String> = row.get(5).unwrap();
        calls += 1;
        if let Some(week) = week {
            *weeks
                .entry(week)
                .or_default()
                .entry(reason.clone())
                .or_default() += 1;
        }
        *reasons.entry(reason).or_default() += 1;
        *urgencies.entry(row.get(2).unwrap()).or_default() += 1;
        *places
            .entry(place_key(place.as_deref()).to_owned())
            .or_default() += 1;
        for kind in listed
            .map(|list| serde_json::from_str::<Vec<String>>(&list).unwrap())
            .unwrap_or_default()
        {
            *types.entry(kind).or_default() += 1;
        }
        if let Some(case_id) = case_id {
            calls_with_case += 1;
            cases.insert(case_id);
        }
    }
    let (mut targets, mut statuses) = (HashMap::new(), HashMap::new());
    let mut stmt = conn.prepare(REFERRALS_SQL).unwrap();
    let mut rows = stmt.query(params![from, to]).unwrap();
    while let Some(row) = rows.next().unwrap() {
        let count: u64 = row.get(2).unwrap();
        *targets.entry(row.get(0).unwrap()).or_default() += count;
        *statuses.entry(row.get(1).unwrap()).or_default() += count;
    }
    let [accepted, in_progress, completed] = INVESTIGATION_STATUSES;
    let (cases_referred, police_investigations) = conn
        .query_row(
            FUNNEL_SQL,
            params![
                serde_json::to_string(&cases).unwrap(),
                POLICE_TARGET_PREFIX,
                accepted,
                in_progress,
                completed
            ],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    let mut calls_per_week = Vec::new();
    let mut monday = monday_of(period.first_day(zone));
    while monday <= monday_of(period.last_day(zone)) {
        let reasons = weeks
            .remove(&monday.to_string())
            .map(most_first)
            .unwrap_or_default();
        calls_per_week.push(WeekCounts {
            week: monday,
            calls: reasons.iter().map(|c| c.count).sum(),
            reasons,
        });
        monday += TimeDelta::weeks(1);
    }
    Stats {
        period: *period,
        calls_per_week,
        calls_by_reason: most_first(reasons),
        calls_by_urgency: by_key(urgencies),
        calls_by_place: most_first(places),
        calls_by_exploitation_type: most_first(types),
        referrals_by_target: most_first(targets),
        referrals_by_status: most_first(statuses),
        funnel: Funnel {
            calls,
            calls_with_case,
            cases_referred,
            police_investigations,
        },
    }
}

// The stores.

/// The periods compared: the whole history, the default twelve weeks, and random runs of
/// days over the history (some a single day, some starting before the first call).
fn periods(store: &Store, rng: &mut ChaCha8Rng) -> Vec<Period> {
    let zone = store.zone();
    let today = Utc::now().with_timezone(&zone).date_naive();
    let first = store.first_call_day().unwrap().unwrap_or(today);
    let (start, end) = Preset::Everything.days(today, Some(first));
    let mut periods = vec![
        Period::local_days(start, end, zone).unwrap(),
        Period::weeks_ending(today, 12, zone).unwrap(),
    ];
    let span = (today - first).num_days() + 10;
    for _ in 0..6 {
        let from = first - TimeDelta::days(5) + TimeDelta::days(rng.random_range(0..span));
        let to = from + TimeDelta::days(rng.random_range(0..40));
        periods.push(Period::local_days(from, to, zone).unwrap());
    }
    periods
}

/// Every period's figures from the totals equal the recount; returns the first period's.
fn assert_figures_equal_a_recount(
    store: &Store,
    raw: &Connection,
    periods: &[Period],
    when: &str,
) -> Stats {
    for period in periods {
        let kept = store.stats(period).unwrap();
        let counted = recount(raw, store.zone(), period);
        assert_eq!(
            kept,
            counted,
            "{when}: {} to {}",
            period.first_day(store.zone()),
            period.last_day(store.zone())
        );
    }
    store.stats(&periods[0]).unwrap()
}

/// The same, over the periods drawn with `seed` for the store as it is.
fn assert_recount(store: &Store, raw: &Connection, seed: u64, when: &str) -> Stats {
    let periods = periods(store, &mut ChaCha8Rng::seed_from_u64(seed));
    assert_figures_equal_a_recount(store, raw, &periods, when)
}

fn ids(raw: &Connection, sql: &str) -> Vec<Uuid> {
    let mut stmt = raw.prepare(sql).unwrap();
    stmt.query_map([], |row| row.get::<_, String>(0))
        .unwrap()
        .map(|id| Uuid::parse_str(&id.unwrap()).unwrap())
        .collect()
}

/// Random changes as operators make them: a call takes another call's content (its day,
/// reason, urgency, place, types) and is attached to a random case or to none; calls are
/// added; referrals move on where their status allows, and take outcomes from central;
/// cases are referred.
fn edit_at_random(store: &mut OfficeStore, raw: &Connection, seed: u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let calls = ids(raw, "SELECT id FROM calls ORDER BY id");
    let cases = ids(raw, "SELECT id FROM cases ORDER BY id");
    let referrals = ids(raw, "SELECT id FROM referrals ORDER BY id");
    let pick = |rng: &mut ChaCha8Rng, ids: &[Uuid]| ids[rng.random_range(0..ids.len())];
    store.set_clock(Clock::Fixed(Utc::now()));
    for _ in 0..60 {
        let (target, source) = (pick(&mut rng, &calls), pick(&mut rng, &calls));
        let current = store.call(target).unwrap();
        let mut fields = store.call(source).unwrap().fields;
        fields.case_id = match rng.random_range(0..3) {
            // Calls without substance carry nothing of a case.
            _ if fields.reason.starts_with("NS_") => None,
            0 => Some(pick(&mut rng, &cases)),
            1 => None,
            _ => fields.case_id,
        };
        store
            .update_call(target, fields, current.meta.version)
            .unwrap();
    }
    let copies: Vec<CallFields> = (0..40)
        .map(|_| store.call(pick(&mut rng, &calls)).unwrap().fields)
        .collect();
    store.add_calls(copies).unwrap();
    for _ in 0..30 {
        let status = [
            "ACCEPTED",
            "IN_PROGRESS",
            "COMPLETED",
            "REJECTED",
            "NO_RESPONSE",
        ][rng.random_range(0..5)];
        // Not every step is allowed from every status: the refused ones change nothing.
        let _ = store.set_referral_status(pick(&mut rng, &referrals), status, "Nota.");
    }
    // Outcomes central recorded, as the office applies them from a pack.
    for _ in 0..10 {
        let change = StatusChange {
            status: ["ACCEPTED", "COMPLETED", "DECLINED"][rng.random_range(0..3)].into(),
            at: store.now(),
            author: "central:lucia".into(),
            note: "Según la institución.".into(),
        };
        store
            .append_status_from_central(pick(&mut rng, &referrals), change)
            .unwrap();
    }
    // Only a call with substance may open a case or be referred.
    let substantive = ids(
        raw,
        "SELECT id FROM calls WHERE substr(reason, 1, 3) <> 'NS_' ORDER BY id",
    );
    for n in 0..10 {
        let call = store.call(pick(&mut rng, &substantive)).unwrap();
        let case = match call.fields.case_id {
            Some(case) => case,
            None => {
                store
                    .add_case(CaseFields {
                        title: format!("Caso aleatorio {n}"),
                        opened_from_call: Some(call.meta.id),
                        ..CaseFields::default()
                    })
                    .unwrap()
                    .meta
                    .id
            }
        };
        store
            .add_referral(
                ReferralFields {
                    call_id: Some(call.meta.id),
                    case_id: Some(case),
                    target_type: ["PNP_TRAFFICKING", "SHELTER"][n % 2].into(),
                    institution: "Institución de prueba".into(),
                    reason: "CRIMINAL_REPORT".into(),
                    sharing_basis: "CONSENT".into(),
                    sent_at: Some(store.now()),
                    ..ReferralFields::default()
                },
                None,
            )
            .unwrap();
    }
}

/// `count` cases as an office had them two years ago: a call, a case opened from it and a
/// referral, all dated then, and the case closed then; retention at 365 days purges them
/// once central has them.
fn old_closed_cases(store: &mut OfficeStore, count: usize) {
    let old = Utc::now() - TimeDelta::days(730);
    for n in 0..count {
        let at = old + TimeDelta::hours(n as i64 * 30);
        store.set_clock(Clock::Fixed(at));
        let call = store
            .add_call(CallFields {
                started_at: Some(at - TimeDelta::minutes(30)),
                channel: "PHONE".into(),
                caller_type: "FAMILY".into(),
                reason: "TIP".into(),
                urgency: "U3_PRIORITY".into(),
                ..CallFields::default()
            })
            .unwrap();
        let case = store
            .add_case(CaseFields {
                title: format!("Caso antiguo {n}"),
                opened_from_call: Some(call.meta.id),
                ..CaseFields::default()
            })
            .unwrap();
        let referral = store
            .add_referral(
                ReferralFields {
                    call_id: Some(call.meta.id),
                    case_id: Some(case.meta.id),
                    target_type: "PNP_TRAFFICKING".into(),
                    institution: "DIRCTPTIM".into(),
                    reason: "CRIMINAL_REPORT".into(),
                    sharing_basis: "CONSENT".into(),
                    sent_at: Some(at - TimeDelta::minutes(10)),
                    ..ReferralFields::default()
                },
                None,
            )
            .unwrap();
        store
            .set_referral_status(referral.meta.id, "COMPLETED", "Concluido.")
            .unwrap();
        store.set_case_status(case.meta.id, "CLOSED").unwrap();
    }
    store.set_clock(Clock::System);
}

#[test]
fn totals_equal_a_recount_after_edits_retention_and_imports_at_central() {
    let office = Office::with_calls(1500);
    let raw = office.raw_db();
    let mut store = office.office_store();
    assert_recount(&store, &raw, 1, "the demo");

    edit_at_random(&mut store, &raw, 2);
    assert_recount(&store, &raw, 3, "after edits");

    // Central imports everything, first as new records.
    let stick = office.stick("usb");
    drop(store);
    office.round_trip(&stick);
    let central = office.central_store();
    let central_raw = office.central_raw_db();
    let at_central = assert_recount(&central, &central_raw, 4, "at central");
    assert_eq!(at_central.funnel.calls, 1540, "every call imported");
    drop(central);

    // Then as changes to records it holds.
    let mut store = office.office_store();
    edit_at_random(&mut store, &raw, 5);
    old_closed_cases(&mut store, 5);
    drop(store);
    office.round_trip(&stick);
    let central = office.central_store();
    let changed = assert_recount(&central, &central_raw, 6, "changes at central");
    assert!(
        changed.funnel.calls > at_central.funnel.calls,
        "the new calls"
    );
    drop(central);

    // Retention purges the closed cases central acknowledged, with their calls.
    // The same periods before and after, so that they hold the purged days.
    let mut store = office.office_store();
    let periods = periods(&store, &mut ChaCha8Rng::seed_from_u64(7));
    let before = assert_figures_equal_a_recount(&store, &raw, &periods, "before retention");
    let report = store.purge_closed_cases(365, false).unwrap();
    assert_eq!(report.cases, 5);
    let after = assert_figures_equal_a_recount(&store, &raw, &periods, "after retention");
    assert_eq!(
        after.funnel.calls,
        before.funnel.calls - 5,
        "the purged calls"
    );
    assert_eq!(
        after.funnel.cases_referred,
        before.funnel.cases_referred - 5,
        "the purged cases"
    );
}

#[test]
fn a_store_made_before_the_totals_opens_with_the_same_figures() {
    let office = Office::with_calls(800);
    // The store as version 11 left it: no totals.
    let raw = office.raw_db();
    raw.execute_batch(
        "DROP TABLE call_figures; DROP TABLE referral_figures;
         DROP TABLE case_funnel;
         PRAGMA user_version = 11;",
    )
    .unwrap();
    let mut store = office.office_store();
    let figures = assert_recount(&store, &raw, 9, "after the migration");
    assert_eq!(figures.funnel.calls, 800);
    // And the totals go on from there.
    edit_at_random(&mut store, &raw, 10);
    assert_recount(&store, &raw, 11, "after edits");
}

#[test]
fn a_store_made_before_the_funnel_totals_opens_with_the_same_figures() {
    let office = Office::with_calls(800);
    // The store as version 12 left it: no per-case totals, the calls with a case counted
    // under one key a day, and the index the funnel read them through.
    let raw = office.raw_db();
    raw.execute_batch(
        "DROP TABLE case_funnel;
         CREATE TEMP TABLE v12_cases AS
             SELECT office_id, day, sum(calls) AS calls FROM call_figures
             WHERE figure = 'case' GROUP BY office_id, day;
         DELETE FROM call_figures WHERE figure = 'case';
         INSERT INTO call_figures (office_id, day, figure, key, calls)
             SELECT office_id, day, 'case', '', calls FROM v12_cases;
         DROP TABLE v12_cases;
         CREATE INDEX calls_with_case_by_start ON calls (started_at, case_id)
             WHERE case_id IS NOT NULL;
         PRAGMA user_version = 12;",
    )
    .unwrap();
    let mut store = office.office_store();
    let figures = assert_recount(&store, &raw, 12, "after the migration");
    assert_eq!(figures.funnel.calls, 800);
    assert!(figures.funnel.cases_referred > 0, "{:?}", figures.funnel);
    // And the totals go on from there.
    edit_at_random(&mut store, &raw, 13);
    assert_recount(&store, &raw, 14, "after edits");
}
