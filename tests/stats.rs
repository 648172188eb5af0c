//! Statistics: every figure `linea stats` prints equals a count made here, by hand, from the
//! records the test saved; the CSV reads back; bad dates are usage errors; and the
//! statistics screen as the operator sees it.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeDelta, Utc};
use common::tui::{ASCII, COLOR, Desk, NO_COLOR, now, seed_calls};
use common::{Office, PASSPHRASE};
use linea::keys::Passphrase;
use linea::model::{Call, CallFields, CaseFields, Lang, Place, Referral, ReferralFields};
use linea::store::{Clock, OfficeStore};
use ratatui::style::Color;
use serde_json::Value;
use uuid::Uuid;

// The records: a few hundred calls over four months, some in cases, some of those referred.

const SUBSTANTIVE: [&str; 8] = [
    "TIP",
    "CRISIS",
    "SERVICE_REQUEST",
    "GENERAL_INFO",
    // Its English label holds commas: the CSV test needs one.
    "RELATED_VIOLENCE",
    "LABOUR_ABUSE",
    "JOB_OFFER_CHECK",
    "MISSING_PERSON",
];
const URGENCIES: [&str; 4] = ["U1_EMERGENCY", "U2_URGENT", "U3_PRIORITY", "U4_ROUTINE"];
const PLACES: [Option<&str>; 8] = [
    Some("150101"),
    Some("170101"),
    Some("080101"),
    Some("VE"),
    Some("250101"),
    Some("ZZ"),
    None,
    Some("150132"),
];
const TYPES: [&[&str]; 5] = [
    &["SEXUAL"],
    &["LABOUR", "SERVITUDE"],
    &[],
    &["FORCED_CRIME", "SEXUAL"],
    &[],
];
/// Where each referral goes, and the statuses it then passes through.
const REFERRALS: [(&str, &[&str]); 6] = [
    ("PNP_STATION", &["ACKNOWLEDGED", "ACCEPTED"]),
    (
        "PNP_TRAFFICKING",
        &["ACKNOWLEDGED", "IN_PROGRESS", "COMPLETED"],
    ),
    ("MIMP_UPE", &["ACKNOWLEDGED", "IN_PROGRESS"]),
    ("PNP_EMERGENCY", &["DECLINED"]),
    ("SHELTER", &[]),
    ("PNP_STATION", &["NO_RESPONSE"]),
];

fn lima() -> FixedOffset {
    FixedOffset::west_opt(5 * 3600).unwrap()
}

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn open(office: &Office) -> OfficeStore {
    OfficeStore::open(&office.dir(), "ana", &Passphrase::new(PASSPHRASE.into())).unwrap()
}

/// The calls' content: every 14 h 3 min from 1 August, and a few on the edges of days and
/// weeks in Lima (UTC-5), where UTC and office time disagree.
fn call_fields() -> Vec<CallFields> {
    let mut starts: Vec<DateTime<Utc>> = (0..200)
        .map(|i| at("2026-08-01T00:00:00Z") + TimeDelta::minutes(843 * i))
        .collect();
    starts.extend([
        // 1 September 00:00 in Lima, the first instant of the CLI test's period…
        at("2026-09-01T05:00:00Z"),
        // …and a second before it, still 31 August in Lima.
        at("2026-09-01T04:59:59Z"),
        // 20 November 23:59:59 in Lima, the period's last second, and the next one.
        at("2026-11-21T04:59:59Z"),
        at("2026-11-21T05:00:00Z"),
        // Monday 19 October in UTC but Sunday the 18th in Lima: the week of the 12th.
        at("2026-10-19T04:30:00Z"),
    ]);
    starts
        .into_iter()
        .enumerate()
        .map(|(i, started_at)| {
            if i % 7 == 3 {
                // Non-substantive: no personal data, no situation.
                return CallFields {
                    started_at: Some(started_at),
                    channel: "PHONE".into(),
                    caller_type: "UNKNOWN".into(),
                    reason: if i % 2 == 0 { "NS_SILENT" } else { "NS_HANGUP" }.into(),
                    ..CallFields::default()
                };
            }
            CallFields {
                started_at: Some(started_at),
                channel: "PHONE".into(),
                caller_type: "COMMUNITY".into(),
                reason: SUBSTANTIVE[i % SUBSTANTIVE.len()].into(),
                urgency: URGENCIES[i % URGENCIES.len()].into(),
                caller_place: PLACES[i % PLACES.len()].map(|p| p.parse::<Place>().unwrap()),
                exploitation_types: TYPES[i % TYPES.len()]
                    .iter()
                    .map(|t| t.to_string())
                    .collect(),
                ..CallFields::default()
            }
        })
        .collect()
}

/// The records as saved, read back through the library.
struct Records {
    calls: Vec<Call>,
    referrals: Vec<Referral>,
}

/// Saves the calls; opens a case from every fifth substantive call and attaches the next
/// substantive call to it; refers most cases, some twice, and moves the referrals on.
fn add_records(office: &Office) -> Records {
    let mut store = open(office);
    store.set_clock(Clock::Fixed(now()));
    let calls = store.add_calls(call_fields()).unwrap();
    let substantive: Vec<&Call> = calls
        .iter()
        .filter(|c| !c.fields.reason.starts_with("NS_"))
        .collect();
    let mut referral_ids = Vec::new();
    for (k, pair) in substantive.chunks(2).step_by(3).enumerate() {
        let opener = pair[0];
        store.set_clock(Clock::Fixed(opener.started_at() + TimeDelta::minutes(30)));
        let case = store
            .add_case(CaseFields {
                title: format!("Caso {k}"),
                opened_from_call: Some(opener.meta.id),
                ..CaseFields::default()
            })
            .unwrap();
        if let Some(later) = pair.get(1) {
            attach(&mut store, later.meta.id, case.meta.id);
        }
        let referrals = match k % 3 {
            0 => vec![k % REFERRALS.len()],
            1 => vec![k % REFERRALS.len(), (k + 1) % REFERRALS.len()],
            _ => Vec::new(),
        };
        for (n, which) in referrals.into_iter().enumerate() {
            let sent = opener.started_at() + TimeDelta::hours(1 + n as i64);
            referral_ids.push(refer(&mut store, opener, case.meta.id, which, sent));
        }
    }
    store.set_clock(Clock::Fixed(now()));
    Records {
        calls: calls
            .iter()
            .map(|c| store.call(c.meta.id).unwrap())
            .collect(),
        referrals: referral_ids
            .into_iter()
            .map(|id| store.referral(id).unwrap())
            .collect(),
    }
}

/// Attaches a call to a case half an hour after it started.
fn attach(store: &mut OfficeStore, call: Uuid, case: Uuid) {
    let current = store.call(call).unwrap();
    store.set_clock(Clock::Fixed(
        (current.started_at() + TimeDelta::minutes(30)).min(now()),
    ));
    let mut fields = current.fields.clone();
    fields.case_id = Some(case);
    store
        .update_call(call, fields, current.meta.version)
        .unwrap();
}

/// A referral sent (and created) at `sent`, then moved through its statuses a day apart.
fn refer(
    store: &mut OfficeStore,
    call: &Call,
    case: Uuid,
    which: usize,
    sent: DateTime<Utc>,
) -> Uuid {
    let (target, statuses) = REFERRALS[which];
    store.set_clock(Clock::Fixed(sent.min(now())));
    let referral = store
        .add_referral(
            ReferralFields {
                call_id: Some(call.meta.id),
                case_id: Some(case),
                target_type: target.into(),
                institution: "Institución de prueba".into(),
                reason: "CRIMINAL_REPORT".into(),
                sharing_basis: "CONSENT".into(),
                sent_at: Some(sent.min(now())),
                ..ReferralFields::default()
            },
            None,
        )
        .unwrap();
    for (day, status) in statuses.iter().enumerate() {
        let when = (sent + TimeDelta::days(day as i64 + 1)).min(now());
        store.set_clock(Clock::Fixed(when));
        store
            .set_referral_status(referral.meta.id, status, "Nota de prueba.")
            .unwrap();
    }
    referral.meta.id
}

// Counting by hand.

/// The figures as plain maps, key → count: how the test computes them and how it reads the
/// JSON.
#[derive(Debug, Default, PartialEq, Eq)]
struct Figures {
    calls_per_week: BTreeMap<String, u64>,
    calls_per_week_by_reason: BTreeMap<String, u64>,
    calls_by_reason: BTreeMap<String, u64>,
    calls_by_urgency: BTreeMap<String, u64>,
    calls_by_place: BTreeMap<String, u64>,
    calls_by_exploitation_type: BTreeMap<String, u64>,
    referrals_by_target: BTreeMap<String, u64>,
    referrals_by_status: BTreeMap<String, u64>,
    funnel: BTreeMap<String, u64>,
}

fn add(map: &mut BTreeMap<String, u64>, key: impl Into<String>) {
    *map.entry(key.into()).or_default() += 1;
}

/// Midnight in Lima at the start of `day`, in UTC.
fn midnight(day: &str) -> DateTime<Utc> {
    let day: NaiveDate = day.parse().unwrap();
    day.and_hms_opt(5, 0, 0).unwrap().and_utc()
}

/// Every figure for the Lima days `first` to `last`, counted from the records.
fn count_by_hand(records: &Records, first: &str, last: &str) -> Figures {
    let (from, to) = (midnight(first), midnight(last) + TimeDelta::days(1));
    let inside = |t: DateTime<Utc>| from <= t && t < to;
    let mut figures = Figures::default();
    // Every week of the period, even an empty one, starting on the Monday of the first day.
    let mut monday = monday_of(first.parse().unwrap());
    while monday <= last.parse().unwrap() {
        figures.calls_per_week.insert(monday.to_string(), 0);
        monday += TimeDelta::weeks(1);
    }
    let mut cases = BTreeSet::new();
    let mut calls_with_case = 0;
    let calls: Vec<&Call> = records
        .calls
        .iter()
        .filter(|c| inside(c.started_at()))
        .collect();
    for call in &calls {
        let f = &call.fields;
        let week = monday_of(call.started_at().with_timezone(&lima()).date_naive()).to_string();
        add(&mut figures.calls_per_week, week.clone());
        add(
            &mut figures.calls_per_week_by_reason,
            format!("{week}/{}", f.reason),
        );
        add(&mut figures.calls_by_reason, f.reason.clone());
        add(&mut figures.calls_by_urgency, f.urgency.clone());
        let place = match f.caller_place.as_ref().map(|p| p.as_str()) {
            None | Some("ZZ") => "unknown".to_owned(),
            Some(code) if code.len() == 6 => code[..2].to_owned(),
            Some(_) => "abroad".to_owned(),
        };
        add(&mut figures.calls_by_place, place);
        for kind in &f.exploitation_types {
            add(&mut figures.calls_by_exploitation_type, kind.clone());
        }
        if let Some(case) = f.case_id {
            calls_with_case += 1;
            cases.insert(case);
        }
    }
    for referral in records
        .referrals
        .iter()
        .filter(|r| inside(r.meta.created_at))
    {
        add(
            &mut figures.referrals_by_target,
            referral.fields.target_type.clone(),
        );
        add(&mut figures.referrals_by_status, referral.status());
    }
    let of_cases: Vec<&Referral> = records
        .referrals
        .iter()
        .filter(|r| r.fields.case_id.is_some_and(|case| cases.contains(&case)))
        .collect();
    let referred: BTreeSet<Uuid> = of_cases.iter().filter_map(|r| r.fields.case_id).collect();
    let investigations = of_cases
        .iter()
        .filter(|r| r.fields.target_type.starts_with("PNP_"))
        .filter(|r| ["ACCEPTED", "IN_PROGRESS", "COMPLETED"].contains(&r.status()))
        .count();
    figures.funnel = BTreeMap::from([
        ("calls".to_owned(), calls.len() as u64),
        ("calls_with_case".to_owned(), calls_with_case),
        ("cases_referred".to_owned(), referred.len() as u64),
        ("police_investigations".to_owned(), investigations as u64),
    ]);
    figures
}

fn monday_of(day: NaiveDate) -> NaiveDate {
    day - TimeDelta::days(day.weekday().num_days_from_monday().into())
}

// Reading what linea printed.

fn counts(list: &Value) -> BTreeMap<String, u64> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["key"].as_str().unwrap().to_owned(),
                c["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn from_json(document: &Value) -> Figures {
    let weeks = document["calls_per_week"].as_array().unwrap();
    let mut per_week_by_reason = BTreeMap::new();
    for week in weeks {
        for (reason, count) in counts(&week["reasons"]) {
            per_week_by_reason.insert(
                format!("{}/{reason}", week["week"].as_str().unwrap()),
                count,
            );
        }
    }
    Figures {
        calls_per_week: weeks
            .iter()
            .map(|w| {
                (
                    w["week"].as_str().unwrap().to_owned(),
                    w["calls"].as_u64().unwrap(),
                )
            })
            .collect(),
        calls_per_week_by_reason: per_week_by_reason,
        calls_by_reason: counts(&document["calls_by_reason"]),
        calls_by_urgency: counts(&document["calls_by_urgency"]),
        calls_by_place: counts(&document["calls_by_place"]),
        calls_by_exploitation_type: counts(&document["calls_by_exploitation_type"]),
        referrals_by_target: counts(&document["referrals_by_target"]),
        referrals_by_status: counts(&document["referrals_by_status"]),
        funnel: document["funnel"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
            .collect(),
    }
}

/// The office with the records, and `linea stats ARGS --json` read.
fn stats_json(office: &Office, args: &[&str]) -> Value {
    let mut all = vec!["stats", "--json"];
    all.extend_from_slice(args);
    let run = office.run(&all).ok();
    serde_json::from_str(&run.stdout).unwrap()
}

// The command line.

#[test]
fn every_figure_equals_a_count_by_hand() {
    let office = Office::new();
    let records = add_records(&office);
    let document = stats_json(&office, &["--from", "2026-09-01", "--to", "2026-11-20"]);
    let expected = count_by_hand(&records, "2026-09-01", "2026-11-20");
    assert_eq!(from_json(&document), expected);
    assert_eq!(document["first_day"], "2026-09-01");
    assert_eq!(document["last_day"], "2026-11-20");
    assert_eq!(document["office_id"], "pe-lima");
    // The records make a funnel worth checking: each step some, and fewer than the last.
    let funnel = &expected.funnel;
    let steps = [
        "calls",
        "calls_with_case",
        "cases_referred",
        "police_investigations",
    ];
    for pair in steps.windows(2) {
        assert!(
            funnel[pair[1]] > 0 && funnel[pair[1]] < funnel[pair[0]],
            "{funnel:?}"
        );
    }
    // The edges: the call of 19 October 04:30 UTC is a Sunday's in Lima.
    assert!(
        expected
            .calls_per_week_by_reason
            .keys()
            .any(|k| k.starts_with("2026-10-12/"))
    );
    // Referrals outside the period are not counted, but there are some.
    let all: usize = expected.referrals_by_target.values().sum::<u64>() as usize;
    assert!(all > 0 && all < records.referrals.len());
}

#[test]
fn lists_are_most_first_and_urgencies_in_their_order() {
    let office = Office::new();
    add_records(&office);
    let document = stats_json(&office, &["--from", "2026-08-01", "--to", "2026-11-28"]);
    for figure in [
        "calls_by_reason",
        "calls_by_place",
        "calls_by_exploitation_type",
        "referrals_by_target",
        "referrals_by_status",
    ] {
        let list: Vec<(String, u64)> = counts(&document[figure]).into_iter().collect();
        let printed: Vec<(String, u64)> = document[figure]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["key"].as_str().unwrap().into(),
                    c["count"].as_u64().unwrap(),
                )
            })
            .collect();
        let mut sorted = list.clone();
        sorted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        assert_eq!(printed, sorted, "{figure}");
    }
    let urgencies: Vec<&str> = document["calls_by_urgency"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap())
        .collect();
    assert_eq!(urgencies, URGENCIES);
    let weeks: Vec<NaiveDate> = document["calls_per_week"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["week"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(weeks.windows(2).all(|w| w[1] - w[0] == TimeDelta::weeks(1)));
    assert!(weeks.iter().all(|w| w.weekday() == chrono::Weekday::Mon));
}

#[test]
fn without_dates_the_period_is_twelve_weeks_ending_today() {
    let office = Office::new();
    let document = stats_json(&office, &[]);
    let today = Utc::now().with_timezone(&lima()).date_naive();
    let first: NaiveDate = document["first_day"].as_str().unwrap().parse().unwrap();
    assert_eq!(document["last_day"], today.to_string());
    assert_eq!(first, monday_of(today) - TimeDelta::weeks(11));
    assert_eq!(document["calls_per_week"].as_array().unwrap().len(), 12);
    assert_eq!(document["funnel"]["calls"], 0);
}

/// Fields of RFC 4180 lines: quoted fields may hold commas and doubled quotes.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for line in text.lines() {
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, quoted) {
                ('"', true) if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                ('"', _) => quoted = !quoted,
                (',', false) => fields.push(std::mem::take(&mut field)),
                (c, _) => field.push(c),
            }
        }
        fields.push(field);
        rows.push(fields);
    }
    rows
}

#[test]
fn csv_reads_back_with_the_same_figures_and_labels_with_commas() {
    let office = Office::new();
    let records = add_records(&office);
    let period = ["--from", "2026-09-01", "--to", "2026-11-20"];
    let mut args = vec!["stats", "--csv"];
    args.extend(period);
    let run = office.run(&args).ok();
    let rows = parse_csv(&run.stdout);
    assert_eq!(rows[0], ["figure", "key", "label", "count"]);
    assert!(rows.iter().all(|row| row.len() == 4), "{rows:?}");
    let mut figures: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for row in &rows[1..] {
        figures
            .entry(row[0].clone())
            .or_default()
            .insert(row[1].clone(), row[3].parse().unwrap());
    }
    let expected = count_by_hand(&records, "2026-09-01", "2026-11-20");
    assert_eq!(figures["calls_by_reason"], expected.calls_by_reason);
    assert_eq!(figures["calls_per_week"], expected.calls_per_week);
    assert_eq!(
        figures["calls_per_week_by_reason"],
        expected.calls_per_week_by_reason
    );
    assert_eq!(figures["funnel"], expected.funnel);
    assert_eq!(
        figures["calls_by_exploitation_type"],
        expected.calls_by_exploitation_type
    );
    let violence = rows
        .iter()
        .find(|row| row[0] == "calls_by_reason" && row[1] == "RELATED_VIOLENCE")
        .expect("a RELATED_VIOLENCE row");
    assert_eq!(
        violence[2],
        "Sexual/domestic violence, child abuse, other related crime, no TIP indicators"
    );
    let abroad = rows
        .iter()
        .find(|row| row[0] == "calls_by_place" && row[1] == "abroad")
        .expect("an abroad row");
    assert_eq!(abroad[2], "Abroad");
}

#[test]
fn text_output_has_titled_figures_with_labels_and_counts() {
    let office = Office::new();
    let records = add_records(&office);
    let run = office
        .run(&["stats", "--from", "2026-09-01", "--to", "2026-11-20"])
        .ok();
    let expected = count_by_hand(&records, "2026-09-01", "2026-11-20");
    let text = run.stdout;
    assert!(text.contains("Period: 2026-09-01 to 2026-11-20"), "{text}");
    for title in [
        "From calls to police investigations",
        "Calls per week and reason",
        "Calls by urgency",
        "Referrals made in the period",
    ] {
        assert!(text.contains(title), "{title}:\n{text}");
    }
    let line = |label: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap_or_else(|| panic!("no {label} line:\n{text}"))
            .to_owned()
    };
    let investigations = expected.funnel["police_investigations"].to_string();
    assert!(
        line("Police investigations")
            .split_whitespace()
            .any(|word| word == investigations),
        "{text}"
    );
    let madre_de_dios = expected.calls_by_place["17"].to_string();
    assert!(
        line("Madre de Dios").contains(&format!(" {madre_de_dios} ")),
        "{text}"
    );
}

#[test]
fn bad_dates_are_usage_errors() {
    let office = Office::new();
    let cases: [(&[&str], &str); 4] = [
        (
            &["--from", "2026-13-01"],
            "--from: '2026-13-01' is not a date",
        ),
        (&["--to", "28/11/2026"], "--to: '28/11/2026' is not a date"),
        (
            &["--from", "2026-11-02", "--to", "2026-11-01"],
            "--to 2026-11-01 is before --from 2026-11-02",
        ),
        (
            &["--from", "2999-01-01"],
            "--from 2999-01-01 is after the last day",
        ),
    ];
    for (dates, message) in cases {
        let mut args = vec!["stats"];
        args.extend_from_slice(dates);
        let line = office.run(&args).fails(2);
        assert!(line.contains(message), "{dates:?}: {line}");
    }
    assert_eq!(office.run(&["stats", "--json", "--csv"]).code, 2);
}

// The screen.

const LANGS: [Lang; 2] = [Lang::Es, Lang::En];

/// The desk's three calls of today and the records above, unlocked, on the statistics
/// screen.
fn at_stats(lang: Lang, caps: linea::tui::terminal::Caps) -> Desk {
    let office = Office::new();
    seed_calls(&office);
    add_records(&office);
    let mut desk = Desk::on(office, lang, caps, 80, 24);
    desk.unlock();
    desk.press("f7");
    desk
}

#[test]
fn statistics_screen() {
    for lang in LANGS {
        insta::assert_snapshot!(format!("stats_{lang}"), at_stats(lang, COLOR).screen());
    }
}

#[test]
fn statistics_screen_scrolled() {
    for lang in LANGS {
        let mut desk = at_stats(lang, COLOR);
        desk.press("pgdn");
        insta::assert_snapshot!(format!("stats_page_2_{lang}"), desk.screen());
        desk.press("end");
        insta::assert_snapshot!(format!("stats_end_{lang}"), desk.screen());
        desk.press("home");
        assert_eq!(desk.screen(), at_stats(lang, COLOR).screen());
    }
}

fn counting(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Counting",
        _ => "Contando",
    }
}

#[test]
fn statistics_period_dialog_changes_the_period() {
    for lang in LANGS {
        let mut desk = at_stats(lang, COLOR);
        desk.press("ctrl-f");
        insta::assert_snapshot!(format!("stats_period_{lang}"), desk.screen());
        // Today's three calls only: from today to today.
        desk.press("tab");
        for _ in 0..10 {
            desk.press("backspace");
        }
        desk.type_text("2026-11-28");
        desk.press("f2");
        // The dialog closes at once; the counting waits for the next tick, saying so.
        let screen = desk.screen();
        assert!(screen.contains(counting(lang)), "{screen}");
        desk.tick();
        let screen = desk.screen();
        assert!(!screen.contains(counting(lang)), "{screen}");
        assert!(
            screen.contains("2026-11-28 al 2026-11-28")
                || screen.contains("2026-11-28 to 2026-11-28"),
            "{screen}"
        );
        let calls_line = screen.lines().nth(3).unwrap().to_owned();
        assert!(calls_line.split_whitespace().any(|w| w == "3"), "{screen}");
    }
}

#[test]
fn statistics_period_dialog_refuses_a_bad_date() {
    let mut desk = at_stats(Lang::En, COLOR);
    desk.press("ctrl-f");
    desk.press("tab tab");
    for _ in 0..10 {
        desk.press("backspace");
    }
    desk.type_text("2026-02-30");
    desk.press("f2");
    let screen = desk.screen();
    assert!(screen.contains("\"2026-02-30\" is not a date"), "{screen}");
}

/// The count on the funnel's first row (calls).
fn calls_shown(desk: &mut Desk) -> u64 {
    let screen = desk.screen();
    let row = screen
        .lines()
        .find(|line| line.starts_with("  Calls "))
        .unwrap_or_else(|| panic!("no calls row:\n{screen}"));
    row.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn statistics_are_counted_again_when_coming_back() {
    let mut desk = at_stats(Lang::En, COLOR);
    let before = calls_shown(&mut desk);
    desk.press("f5");
    let mut store = desk.store();
    store.set_clock(Clock::Fixed(now()));
    store
        .add_call(CallFields {
            channel: "PHONE".into(),
            caller_type: "FAMILY".into(),
            reason: "TIP".into(),
            ..CallFields::default()
        })
        .unwrap();
    desk.press("esc");
    let screen = desk.screen();
    assert!(screen.contains("Counting"), "{screen}");
    assert_eq!(
        calls_shown(&mut desk),
        before,
        "the old figures stay meanwhile"
    );
    desk.tick();
    assert_eq!(calls_shown(&mut desk), before + 1);
    assert!(desk.screen().contains("Figures updated."));
}

#[test]
fn statistics_come_back_after_a_lock() {
    let mut desk = at_stats(Lang::En, COLOR);
    desk.press("ctrl-l");
    assert!(desk.app.is_locked());
    desk.unlock();
    let screen = desk.screen();
    assert!(screen.starts_with(" linea | Statistics"), "{screen}");
    assert!(
        screen.contains("Period: 2026-09-07 to 2026-11-28"),
        "{screen}"
    );
}

#[test]
fn statistics_without_colour_or_unicode() {
    for lang in LANGS {
        let mut plain = at_stats(lang, NO_COLOR);
        assert_eq!(plain.screen(), at_stats(lang, COLOR).screen());
        let buffer = plain.buffer();
        for cell in buffer.content() {
            assert!(cell.fg == Color::Reset && cell.bg == Color::Reset);
        }
        let mut ascii = at_stats(lang, ASCII);
        ascii.press("ctrl-f");
        let screen = ascii.screen();
        assert!(!screen.chars().any(|c| "─│┌┐└┘".contains(c)), "{screen}");
    }
}

#[test]
fn statistics_period_presets_are_one_pick_away() {
    let mut desk = at_stats(Lang::En, COLOR);
    // The records above begin on 2026-07-31 (in Lima); today is Saturday 2026-11-28.
    for (typed, period) in [
        ("this week", "2026-11-23 to 2026-11-28"),
        ("this month", "2026-11-01 to 2026-11-28"),
        ("last month", "2026-10-01 to 2026-10-31"),
        ("this year", "2026-01-01 to 2026-11-28"),
        ("everything", "2026-07-31 to 2026-11-28"),
    ] {
        desk.press("ctrl-f enter");
        desk.type_text(typed);
        desk.press("enter");
        desk.tick();
        let screen = desk.screen();
        assert!(
            screen.contains(&format!("Period: {period}")),
            "{typed}:\n{screen}"
        );
        assert!(screen.contains("Figures updated."), "{screen}");
    }
}

#[test]
fn statistics_with_no_first_day_count_everything_up_to_the_last() {
    let mut desk = at_stats(Lang::En, COLOR);
    desk.press("ctrl-f tab");
    for _ in 0..10 {
        desk.press("backspace");
    }
    desk.press("f2");
    desk.tick();
    let screen = desk.screen();
    assert!(
        screen.contains("Period: 2026-07-31 to 2026-11-28"),
        "{screen}"
    );
    let everything = calls_shown(&mut desk);
    desk.press("ctrl-f enter");
    desk.type_text("everything");
    desk.press("enter");
    desk.tick();
    assert_eq!(calls_shown(&mut desk), everything);
}
