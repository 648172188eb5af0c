//! Central's figures across offices, on a central that imported two offices' real batches:
//! every figure of `linea central stats` equals a recount from the imported records, the CSV
//! says what the JSON says, and the report (rendered by headless Chromium) says it too while
//! holding no name, phone, note or record id.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::process::Command;

use chrono::{DateTime, Datelike, FixedOffset, TimeDelta, Utc};
use common::tui::{COLOR, Desk};
use common::{FAST_WORK_FACTOR, Office, PASSPHRASE};
use linea::central::figures::{days, nearest_rank};
use linea::central::sync::central_sync;
use linea::exchange::enrollment::init_office;
use linea::exchange::sync::office_sync;
use linea::keys::Passphrase;
use linea::model::{CallFields, Lang, PersonFields, ReferralFields};
use linea::store::{OfficeStore, ReferralFilter};
use serde_json::Value;

/// The second office's name, with markup that a report must show as text.
const CUSCO_NAME: &str = "Oficina Cusco <script>alert(1)</script> & \"co\"";
const CUSCO: &str = "pe-cusco";

/// The demo's office (pe-lima) and a second one (pe-cusco), each with synthetic calls,
/// cases, referrals and people, their batches imported at central through one stick.
fn two_offices() -> Office {
    let office = Office::with_calls(500);
    let passphrase = Passphrase::new(PASSPHRASE.into());
    let root = office.root.path().to_owned();
    let mut central = office.central_store();
    let kit = root.join("cusco-kit.json");
    let (_, fingerprint) = linea::central::enroll(&mut central, CUSCO, CUSCO_NAME, &kit).unwrap();
    let enrollment = root.join("cusco-enrollment.json");
    let setup = init_office(
        &root.join("cusco"),
        &kit,
        &fingerprint,
        "rosa",
        &passphrase,
        FAST_WORK_FACTOR,
        &enrollment,
    )
    .unwrap();
    linea::central::register(&mut central, &enrollment, &setup.office_fingerprint).unwrap();
    let mut cusco = setup.store;
    linea::demo::fill(&mut cusco, 400, 11).unwrap();
    let mut lima = office.office_store();
    add_casework(&mut lima, "Lima", &[3, 30, 1]);
    add_casework(&mut cusco, "Cusco", &[50, 2, 7, 100]);
    let stick = root.join("stick");
    office_sync(&mut lima, &stick).unwrap();
    office_sync(&mut cusco, &stick).unwrap();
    central_sync(&mut central, &stick).unwrap();
    office
}

/// U1 calls referred to the police after `hours` each (the demo's own are few and quick),
/// and people in the first cases referred: see [`add_people`].
fn add_casework(store: &mut OfficeStore, town: &str, hours: &[i64]) {
    let start = Utc::now() - TimeDelta::days(20);
    for (n, hours) in hours.iter().enumerate() {
        let started = start + TimeDelta::hours(n as i64 * 7);
        let call = store
            .add_call(CallFields {
                started_at: Some(started),
                channel: "PHONE".into(),
                caller_type: "FAMILY".into(),
                reason: "CRISIS".into(),
                urgency: "U1_EMERGENCY".into(),
                caller_name: Some(format!("Eulalia Ccorimanya {town} {n}")),
                notes: format!("Llamo desde el paradero {town} {n}, nota privada"),
                ..CallFields::default()
            })
            .unwrap();
        store
            .add_referral(
                ReferralFields {
                    call_id: Some(call.meta.id),
                    target_type: "PNP_TRAFFICKING".into(),
                    institution: "DIRCTPTIM".into(),
                    reason: "CRIMINAL_REPORT".into(),
                    sharing_basis: "CONSENT".into(),
                    sent_at: Some(started + TimeDelta::hours(*hours)),
                    ..ReferralFields::default()
                },
                None,
            )
            .unwrap();
    }
    add_people(store, town);
}

/// People in the first cases referred: presumed victims, a confirmed one and a witness,
/// each with a name, a phone and a note no report may show.
fn add_people(store: &mut OfficeStore, town: &str) {
    let cases: BTreeSet<_> = store
        .list_referrals(&ReferralFilter::default(), 1000)
        .unwrap()
        .into_iter()
        .filter_map(|r| r.fields.case_id)
        .take(6)
        .collect();
    assert!(cases.len() >= 4, "the demo made too few cases");
    for (n, case) in cases.into_iter().enumerate() {
        let (role, status) = match n % 3 {
            0 | 1 => ("VICTIM", Some("POSSIBLE")),
            _ => ("VICTIM", Some("CONFIRMED")),
        };
        let role = if n == 5 { "WITNESS" } else { role };
        store
            .add_person(
                case,
                PersonFields {
                    role: role.into(),
                    name: Some(format!("Zenobia Quispetest {town} {n}")),
                    phone: Some(format!("+51 987 65{n} 4{n}1")),
                    trafficking_status: status.filter(|_| role == "VICTIM").map(str::to_owned),
                    notes: format!("Nota reservada {town} numero {n}: vive detras del mercado"),
                    ..PersonFields::default()
                },
            )
            .unwrap();
    }
}

/// One imported record's columns and body, read from central's database by hand.
struct Row {
    id: String,
    office: String,
    at: String,
    body: Value,
}

struct Records {
    calls: Vec<Row>,
    people: Vec<Row>,
    /// `at` is the referral's creation.
    referrals: Vec<Row>,
    /// Referral id → its statuses, oldest first.
    history: HashMap<String, Vec<String>>,
    /// Referral id → (is open, due at).
    open: HashMap<String, (bool, Option<String>)>,
    /// Case titles and notes, and every record id.
    cases: Vec<Row>,
}

fn records(office: &Office) -> Records {
    let conn = office.central_raw_db();
    let rows = |sql: &str| -> Vec<Row> {
        let mut stmt = conn.prepare(sql).unwrap();
        stmt.query_map([], |row| {
            let body: String = row.get(3)?;
            Ok(Row {
                id: row.get(0)?,
                office: row.get(1)?,
                at: row.get(2)?,
                body: serde_json::from_str(&body).unwrap(),
            })
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    };
    let mut history: HashMap<String, Vec<String>> = HashMap::new();
    let mut stmt = conn
        .prepare("SELECT referral_id, status FROM referral_status ORDER BY referral_id, seq")
        .unwrap();
    for row in stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .unwrap()
    {
        let (id, status) = row.unwrap();
        history.entry(id).or_default().push(status);
    }
    let mut open = HashMap::new();
    let mut stmt = conn
        .prepare("SELECT id, is_open, due_at FROM referrals")
        .unwrap();
    for row in stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, bool>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })
        .unwrap()
    {
        let (id, is_open, due) = row.unwrap();
        open.insert(id, (is_open, due));
    }
    Records {
        calls: rows("SELECT id, office_id, started_at, body FROM calls"),
        people: rows("SELECT id, office_id, created_at, body FROM people"),
        referrals: rows("SELECT id, office_id, created_at, body FROM referrals"),
        cases: rows("SELECT id, office_id, created_at, body FROM cases"),
        history,
        open,
    }
}

fn instant(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

fn lima() -> FixedOffset {
    FixedOffset::west_opt(5 * 3600).unwrap()
}

type Counts = BTreeMap<String, u64>;

fn bump(counts: &mut Counts, key: &str) {
    *counts.entry(key.to_owned()).or_default() += 1;
}

/// A JSON list of counts as a map, leaving out zeros (weeks and months without calls).
fn counts(json: &Value) -> Counts {
    json.as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["key"].as_str().unwrap().to_owned(),
                c["count"].as_u64().unwrap(),
            )
        })
        .filter(|(_, count)| *count > 0)
        .collect()
}

/// The figures recounted from the records, the way a reader of the README would count.
fn recount(records: &Records, json: &Value) -> BTreeMap<&'static str, Counts> {
    let from = instant(json["period"]["from"].as_str().unwrap());
    let to = instant(json["period"]["to"].as_str().unwrap());
    let office = json["office"].as_str();
    let mine = |row: &Row| office.is_none_or(|o| o == row.office);
    let within = |row: &Row| {
        let at = instant(&row.at);
        mine(row) && at >= from && at < to
    };
    let [
        mut totals,
        mut by_office,
        mut weeks,
        mut months,
        mut month_reasons,
        mut reasons,
        mut urgencies,
        mut departments,
        mut types,
        mut victims,
        mut targets,
        mut statuses,
        mut funnel,
        mut u1,
        mut overdue,
    ] = std::array::from_fn(|_| Counts::new());
    let (totals, by_office, weeks, months, month_reasons) = (
        &mut totals,
        &mut by_office,
        &mut weeks,
        &mut months,
        &mut month_reasons,
    );
    let (reasons, urgencies, departments, types, victims) = (
        &mut reasons,
        &mut urgencies,
        &mut departments,
        &mut types,
        &mut victims,
    );
    let (targets, statuses, funnel, u1, overdue) = (
        &mut targets,
        &mut statuses,
        &mut funnel,
        &mut u1,
        &mut overdue,
    );

    let mut u1_calls: HashMap<&str, DateTime<Utc>> = HashMap::new();
    for call in records.calls.iter().filter(|c| within(c)) {
        let local = instant(&call.at).with_timezone(&lima());
        let reason = call.body["reason"].as_str().unwrap();
        bump(totals, "calls");
        bump(by_office, &call.office);
        let monday =
            local.date_naive() - TimeDelta::days(i64::from(local.weekday().num_days_from_monday()));
        bump(weeks, &monday.to_string());
        let month = local.format("%Y-%m").to_string();
        bump(months, &month);
        bump(month_reasons, &format!("{month}/{reason}"));
        bump(reasons, reason);
        let urgency = call.body["urgency"].as_str().unwrap();
        bump(urgencies, urgency);
        let department = match call.body["caller_place"].as_str() {
            None | Some("" | "ZZ") => "unknown".to_owned(),
            Some(place) if place.len() == 6 => place[..2].to_owned(),
            Some(_) => "abroad".to_owned(),
        };
        bump(departments, &department);
        for kind in call.body["exploitation_types"]
            .as_array()
            .into_iter()
            .flatten()
        {
            bump(types, kind.as_str().unwrap());
        }
        if urgency == "U1_EMERGENCY" {
            u1_calls.insert(call.id.as_str(), instant(&call.at));
        }
    }
    for person in records.people.iter().filter(|p| within(p)) {
        if person.body["trafficking_status"] == "POSSIBLE" {
            bump(victims, &person.office);
            bump(totals, "presumed_victims");
        }
    }
    let reached = |id: &str, set: &[&str]| {
        records.history[id]
            .iter()
            .any(|status| set.contains(&status.as_str()))
    };
    let referred = [
        "SENT",
        "NO_RESPONSE",
        "ACKNOWLEDGED",
        "ACCEPTED",
        "IN_PROGRESS",
        "COMPLETED",
        "DECLINED",
    ];
    let mut police_cases = BTreeSet::new();
    for referral in records.referrals.iter().filter(|r| within(r)) {
        let target = referral.body["target_type"].as_str().unwrap();
        bump(totals, "referrals");
        bump(targets, target);
        bump(statuses, records.history[&referral.id].last().unwrap());
        let steps = [
            ("referred", &referred[..]),
            (
                "acknowledged",
                &[
                    "ACKNOWLEDGED",
                    "ACCEPTED",
                    "IN_PROGRESS",
                    "COMPLETED",
                    "DECLINED",
                ][..],
            ),
            (
                "investigation_or_service",
                &["ACCEPTED", "IN_PROGRESS", "COMPLETED"][..],
            ),
            ("closed", &["COMPLETED"][..]),
        ];
        for (step, set) in steps {
            if reached(&referral.id, set) {
                bump(funnel, step);
            }
        }
        if target.starts_with("PNP_") && reached(&referral.id, &referred) {
            let case = referral.body["case_id"].as_str().unwrap_or(&referral.id);
            police_cases.insert(case.to_owned());
        }
    }
    totals.insert("cases_referred_to_police".into(), police_cases.len() as u64);
    // U1 calls of the period: their first police referral with a sent time, whenever the
    // referral was made.
    let mut first_sent: HashMap<&str, DateTime<Utc>> = HashMap::new();
    for referral in &records.referrals {
        let call = referral.body["call_id"].as_str().unwrap_or_default();
        let police = referral.body["target_type"]
            .as_str()
            .unwrap()
            .starts_with("PNP_");
        let (Some(_), Some(sent), true) = (
            u1_calls.get(call),
            referral.body["sent_at"].as_str(),
            police,
        ) else {
            continue;
        };
        let sent = instant(sent);
        let first = first_sent
            .entry(u1_calls.get_key_value(call).unwrap().0)
            .or_insert(sent);
        *first = (*first).min(sent);
    }
    let mut seconds: Vec<i64> = first_sent
        .iter()
        .map(|(call, sent)| (*sent - u1_calls[call]).num_seconds().max(0))
        .collect();
    seconds.sort_unstable();
    u1.insert("calls".into(), seconds.len() as u64);
    // Days in hundredths, to compare as whole numbers.
    for (key, percent) in [("median_days", 50), ("p90_days", 90)] {
        if let Some(value) = nearest_rank(&seconds, percent) {
            u1.insert(key.into(), (days(value) * 100.0).round() as u64);
        }
    }
    let now = Utc::now();
    for referral in records.referrals.iter().filter(|r| mine(r)) {
        let (is_open, due) = &records.open[&referral.id];
        if *is_open && due.as_deref().is_some_and(|d| instant(d) < now) {
            bump(overdue, &referral.office);
            bump(totals, "overdue_referrals");
        }
    }
    let mut figures = BTreeMap::from([
        ("totals", std::mem::take(totals)),
        ("calls_by_office", std::mem::take(by_office)),
        ("calls_per_week", std::mem::take(weeks)),
        ("calls_per_month", std::mem::take(months)),
        ("calls_per_month_by_reason", std::mem::take(month_reasons)),
        ("calls_by_reason", std::mem::take(reasons)),
        ("calls_by_urgency", std::mem::take(urgencies)),
        ("calls_by_department", std::mem::take(departments)),
        ("calls_by_exploitation_type", std::mem::take(types)),
        ("presumed_victims_by_office", std::mem::take(victims)),
        ("referrals_by_target", std::mem::take(targets)),
        ("referrals_by_status", std::mem::take(statuses)),
        ("funnel", std::mem::take(funnel)),
        ("u1_to_police", std::mem::take(u1)),
        ("overdue_referrals_by_office", std::mem::take(overdue)),
    ]);
    for counts in figures.values_mut() {
        counts.retain(|_, count| *count > 0);
    }
    figures
}

/// The figures as `central stats --json` gives them, in the recount's shape.
fn from_json(json: &Value) -> BTreeMap<&'static str, Counts> {
    let mut figures: BTreeMap<&'static str, Counts> = BTreeMap::new();
    for name in [
        "calls_by_office",
        "calls_per_week",
        "calls_by_reason",
        "calls_by_urgency",
        "calls_by_department",
        "calls_by_exploitation_type",
        "presumed_victims_by_office",
        "referrals_by_target",
        "referrals_by_status",
        "overdue_referrals_by_office",
    ] {
        figures.insert(name, counts(&json[name]));
    }
    let mut months = Counts::new();
    let mut month_reasons = Counts::new();
    for month in json["calls_per_month"].as_array().unwrap() {
        let key = month["month"].as_str().unwrap();
        months.insert(key.into(), month["calls"].as_u64().unwrap());
        for (reason, count) in counts(&month["reasons"]) {
            month_reasons.insert(format!("{key}/{reason}"), count);
        }
    }
    figures.insert("calls_per_month", months);
    figures.insert("calls_per_month_by_reason", month_reasons);
    let pick = |object: &Value, keys: &[&str]| -> Counts {
        keys.iter()
            .filter_map(|key| match &object[*key] {
                Value::Number(n) if n.is_u64() => Some((key.to_string(), n.as_u64().unwrap())),
                Value::Number(n) => Some((
                    key.to_string(),
                    (n.as_f64().unwrap() * 100.0).round() as u64,
                )),
                _ => None,
            })
            .collect()
    };
    figures.insert(
        "totals",
        pick(
            json,
            &[
                "calls",
                "presumed_victims",
                "referrals",
                "cases_referred_to_police",
                "overdue_referrals",
            ],
        ),
    );
    figures.insert(
        "funnel",
        pick(
            &json["funnel"],
            &[
                "referred",
                "acknowledged",
                "investigation_or_service",
                "closed",
            ],
        ),
    );
    figures.insert(
        "u1_to_police",
        pick(&json["u1_to_police"], &["calls", "median_days", "p90_days"]),
    );
    figures.retain(|_, counts| {
        counts.retain(|_, count| *count > 0);
        true
    });
    figures
}

fn stats(office: &Office, args: &[&str]) -> String {
    let mut all = vec!["central", "stats", "--from", "2000-01-01"];
    all.extend_from_slice(args);
    office.central(&all).ok().stdout
}

/// Splits one CSV line as RFC 4180 writes it.
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                fields.last_mut().unwrap().push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(String::new()),
            c => fields.last_mut().unwrap().push(c),
        }
    }
    fields
}

#[test]
fn every_figure_equals_a_recount_from_the_imported_records_in_json_csv_and_text() {
    let office = two_offices();
    let records = records(&office);
    assert!(records.calls.iter().any(|c| c.office == CUSCO));

    // Everything, one office, and a period that leaves the last days out.
    let ten_days_ago = (Utc::now() - TimeDelta::days(10))
        .with_timezone(&lima())
        .date_naive()
        .to_string();
    for scope in [vec![], vec!["--office", CUSCO], vec!["--to", &ten_days_ago]] {
        let mut args = scope.clone();
        args.push("--json");
        let json: Value = serde_json::from_str(&stats(&office, &args)).unwrap();
        let counted = from_json(&json);
        let recounted = recount(&records, &json);
        assert_eq!(counted, recounted, "{scope:?}");
        // Something to count in every figure that the demo makes.
        let everything = !scope.contains(&"--to");
        for figure in [
            "calls_by_office",
            "funnel",
            "presumed_victims_by_office",
            "u1_to_police",
        ] {
            assert!(
                !everything || !counted[figure].is_empty(),
                "{figure} is empty ({scope:?})"
            );
        }
        if scope.is_empty() {
            assert_eq!(counted["calls_by_office"].len(), 2);
            assert_eq!(counted["totals"]["calls"], 907);
            // Seven U1 calls referred after 1, 2, 3, 7, 30, 50 and 100 hours, and the demo's.
            assert!(counted["u1_to_police"]["calls"] >= 7);
            assert_eq!(counted["totals"]["presumed_victims"], 8);
        }

        // The CSV: one line per cell, the same values.
        let mut args = scope.clone();
        args.push("--csv");
        let csv = stats(&office, &args);
        let mut lines = csv.lines();
        assert_eq!(lines.next(), Some("figure,key,label,value"));
        let mut from_csv: BTreeMap<String, Counts> = BTreeMap::new();
        for line in lines {
            let fields = csv_fields(line);
            assert_eq!(fields.len(), 4, "{line}");
            let value: f64 = fields[3].parse().unwrap();
            let value = if fields[0] == "u1_to_police" && fields[1] != "calls" {
                (value * 100.0).round() as u64
            } else {
                value as u64
            };
            if value > 0 {
                from_csv
                    .entry(fields[0].clone())
                    .or_default()
                    .insert(fields[1].clone(), value);
            }
        }
        for (figure, counts) in &counted {
            assert_eq!(
                from_csv.get(*figure).cloned().unwrap_or_default(),
                *counts,
                "{figure} ({scope:?})"
            );
        }
        // The office's name is a label, quoted and whole.
        if scope.is_empty() {
            assert!(csv.contains(&format!("calls_by_office,{CUSCO},\"Oficina Cusco")));
        }
    }

    // The text shows the same totals.
    let json: Value = serde_json::from_str(&stats(&office, &["--json"])).unwrap();
    let text = stats(&office, &["--lang", "en"]);
    assert!(text.starts_with("Every office\n"), "{text}");
    assert!(
        text.contains(&format!("  Calls: {}\n", json["calls"])),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "  People flagged as presumed victims: {}\n",
            json["presumed_victims"]
        )),
        "{text}"
    );
    let referred = json["funnel"]["referred"].as_u64().unwrap();
    assert!(
        text.lines()
            .any(|l| l.contains("Referred (sent to the institution)")
                && l.contains(&format!(" {referred} "))),
        "{text}"
    );
    // An office central never enrolled is refused, not counted as nothing.
    let line = office
        .central(&["central", "stats", "--office", "pe-nowhere"])
        .fails(2);
    assert!(line.contains("no office has the id 'pe-nowhere'"), "{line}");
    // At an office there is nothing to count across offices.
    let line = office.run(&["central", "stats"]).fails(2);
    assert!(line.contains("central's store"), "{line}");
}

/// `chromium` as Debian installs it, or a failure saying how to get it: the report test runs
/// in CI, where a missing browser must not pass silently.
fn chromium() -> Command {
    let found = Command::new("sh")
        .arg("-c")
        .arg("command -v chromium")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "the report test renders it in headless Chromium: apt-get install -y chromium (tools/test does)"
    );
    Command::new("chromium")
}

/// The document as Chromium read it (`--dump-dom`).
fn rendered(report: &Path, profile: &Path) -> String {
    let output = chromium()
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            &format!("--user-data-dir={}", profile.display()),
            "--dump-dom",
            &format!("file://{}", report.display()),
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "chromium: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// The values of the `<rect>`s of the chart titled `title` (`None`: hidden), with their
/// `data-column`.
fn chart_values(dom: &str, title: &str) -> Vec<(Option<String>, Option<u64>)> {
    let start = dom
        .find(&format!("aria-label=\"{title}\""))
        .unwrap_or_else(|| panic!("no chart {title}"));
    let chart = &dom[start..start + dom[start..].find("</svg>").unwrap()];
    chart
        .split("<rect")
        .skip(1)
        .map(|rect| {
            let tag = &rect[..rect.find('>').unwrap()];
            let attribute = |name: &str| {
                let at = tag.find(&format!("{name}=\""))? + name.len() + 2;
                Some(tag[at..at + tag[at..].find('"').unwrap()].to_owned())
            };
            assert!(rect.contains("<title>"), "a bar without its title: {rect}");
            let value = attribute("data-value").map(|v| v.parse().unwrap());
            assert!(
                value.is_some() || attribute("data-hidden").is_some(),
                "a bar without its value: {rect}"
            );
            (attribute("data-column"), value)
        })
        .collect()
}

fn values(json: &Value) -> Vec<u64> {
    json.as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_u64().unwrap())
        .collect()
}

#[test]
fn the_report_renders_in_chromium_with_every_figure_and_no_personal_data() {
    let office = two_offices();
    let today = Utc::now().with_timezone(&lima()).date_naive().to_string();
    let file = office.root.path().join("report.html");
    let args = [
        "central",
        "report",
        "--from",
        "2000-01-01",
        "--to",
        &today,
        "--lang",
        "en",
        "--out",
        file.to_str().unwrap(),
    ];
    office.central(&args).ok();
    // Written once: a second run does not overwrite it.
    let line = office.central(&args).fails(2);
    assert!(line.contains("already exists"), "{line}");
    let json: Value = serde_json::from_str(&stats(&office, &["--to", &today, "--json"])).unwrap();
    let html = std::fs::read_to_string(&file).unwrap();

    // Self-contained: no script, nothing loaded from elsewhere.
    for banned in [
        "<script", "<link", "<img", "@import", "url(", "src=", "href=",
    ] {
        assert!(!html.contains(banned), "the report holds {banned}");
    }
    // Nothing personal, nothing that names a record.
    let records = records(&office);
    let mut secrets: Vec<String> = Vec::new();
    for row in records
        .calls
        .iter()
        .chain(&records.people)
        .chain(&records.referrals)
        .chain(&records.cases)
    {
        secrets.push(row.id.clone());
        for field in [
            "caller_name",
            "caller_phone",
            "name",
            "alias",
            "phone",
            "notes",
            "reference",
            "title",
        ] {
            if let Some(text) = row.body[field].as_str() {
                secrets.push(text.to_owned());
            }
        }
    }
    assert!(secrets.iter().any(|s| s.starts_with("Zenobia Quispetest")));
    for secret in secrets.iter().filter(|s| s.trim().len() >= 6) {
        assert!(
            !html.contains(secret.as_str()),
            "the report shows {secret:?}"
        );
    }

    let profile = tempfile::tempdir().unwrap();
    let dom = rendered(&file, profile.path());
    let calls = json["calls"].as_u64().unwrap();
    let police = json["cases_referred_to_police"].as_u64().unwrap();
    let headline = format!("{calls} calls, {police} cases referred to the police in");
    assert!(dom.contains(&headline), "no headline {headline:?}");
    assert!(dom.contains("Calls by department"));
    // The office's name is text, its markup shown, not run.
    assert!(dom.contains("Oficina Cusco &lt;script&gt;alert(1)&lt;/script&gt; &amp; \"co\""));
    assert!(!dom.contains("<script>alert"));

    // Every chart has its data: one bar per value.
    let bars = |title: &str| -> Vec<u64> {
        chart_values(&dom, title)
            .into_iter()
            .map(|(_, v)| v.unwrap())
            .collect()
    };
    assert_eq!(
        bars("Calls by department"),
        values(&json["calls_by_department"])
    );
    assert_eq!(
        bars("Forms of exploitation reported"),
        values(&json["calls_by_exploitation_type"])
    );
    let funnel = &json["funnel"];
    assert_eq!(
        bars("Referral funnel"),
        [
            "referred",
            "acknowledged",
            "investigation_or_service",
            "closed"
        ]
        .map(|step| funnel[step].as_u64().unwrap())
    );
    assert_eq!(
        bars("Overdue referrals by office"),
        values(&json["overdue_referrals_by_office"])
    );
    let mut by_month: BTreeMap<String, u64> = BTreeMap::new();
    for (month, value) in chart_values(&dom, "Calls by month and reason") {
        *by_month.entry(month.unwrap()).or_default() += value.unwrap();
    }
    for month in json["calls_per_month"].as_array().unwrap() {
        let key = month["month"].as_str().unwrap();
        assert_eq!(
            by_month.get(key).copied().unwrap_or(0),
            month["calls"].as_u64().unwrap(),
            "{key}"
        );
    }
    // The department table, and each office's sync health.
    let lima_department = json["calls_by_department"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == "15")
        .map(|c| c["count"].as_u64().unwrap());
    if let Some(count) = lima_department {
        assert!(dom.contains(&format!("<td>Lima</td><td class=\"n\">{count}</td>")));
    }
    for office_id in ["pe-lima", CUSCO] {
        assert!(
            dom.contains(&format!("<tr><td>{office_id}</td>")),
            "{office_id}"
        );
    }
    assert!(
        dom.contains("<td class=\"n\">1</td>"),
        "no office's last batch 1"
    );

    // In Spanish too, with its own words.
    let spanish = office.root.path().join("informe.html");
    office
        .central(&[
            "central",
            "report",
            "--from",
            "2000-01-01",
            "--to",
            &today,
            "--lang",
            "es",
            "--out",
            spanish.to_str().unwrap(),
        ])
        .ok();
    let dom = rendered(&spanish, profile.path());
    assert!(dom.contains("Llamadas por departamento"));
    assert!(dom.contains("casos derivados a la policía en"));
}

/// Text compared across outputs: bars and the spaces that align them left out.
fn collapsed(text: &str) -> String {
    text.replace(['#', '│', '|'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn centrals_f7_shows_the_figures_the_command_line_prints() {
    let office = two_offices();
    let mut desk = Desk::on_central(office, Lang::En, COLOR);
    desk.unlock();
    assert!(desk.screen().contains("F7"), "{}", desk.screen());
    desk.press("f7");
    desk.tick();
    let screen = desk.screen();
    assert!(screen.contains("Every office  Period: "), "{screen}");
    let period = screen
        .lines()
        .find_map(|line| line.split_once("Period: "))
        .map(|(_, rest)| rest.split_whitespace().take(3).collect::<Vec<_>>())
        .unwrap();
    let (from, to) = (period[0], period[2]);
    let text = desk
        .office
        .central(&[
            "central", "stats", "--from", from, "--to", to, "--lang", "en",
        ])
        .ok()
        .stdout;
    let on_screen = collapsed(&screen);
    // The first page of rows, as the command line prints them; but what is overdue today,
    // as the screen is at the tests' fixed day and the command at the real one.
    let rows = text.lines().skip(3).take(15);
    for line in rows.filter(|l| !l.trim().is_empty() && !l.contains("overdue")) {
        assert!(
            on_screen.contains(&collapsed(line)),
            "{line:?} is not on the screen:\n{screen}"
        );
    }
    // One office only, from the period dialog.
    desk.press("ctrl-f");
    desk.press("tab tab tab");
    desk.type_text(CUSCO);
    desk.press("f2");
    desk.tick();
    let screen = desk.screen();
    assert!(screen.contains("Office: Oficina Cusco"), "{screen}");
}

#[test]
fn a_public_report_shows_no_count_under_11_nor_one_its_totals_give_away() {
    let office = two_offices();
    let today = Utc::now().with_timezone(&lima()).date_naive().to_string();
    let file = office.root.path().join("public.html");
    office
        .central(&[
            "central",
            "report",
            "--from",
            "2000-01-01",
            "--to",
            &today,
            "--lang",
            "en",
            "--public",
            "--out",
            file.to_str().unwrap(),
        ])
        .ok();
    let json: Value = serde_json::from_str(&stats(&office, &["--to", &today, "--json"])).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let dom = rendered(&file, profile.path());
    assert!(dom.contains("Published version: counts from 1 to 10 are hidden"));
    // No bar anywhere shows a count from 1 to 10.
    for rect in dom.split("data-value=\"").skip(1) {
        let value: u64 = rect[..rect.find('"').unwrap()].parse().unwrap();
        assert!(value == 0 || value >= 11, "a bar shows {value}");
    }
    // Each small count is hidden, each count shown is the true one, and a hidden count is
    // never alone (the figure's total would give it away).
    let mut hidden_anywhere = 0;
    for (title, figure) in [
        ("Calls by department", "calls_by_department"),
        (
            "Forms of exploitation reported",
            "calls_by_exploitation_type",
        ),
        ("Overdue referrals by office", "overdue_referrals_by_office"),
    ] {
        let shown = chart_values(&dom, title);
        let counts = values(&json[figure]);
        assert_eq!(shown.len(), counts.len(), "{title}");
        for ((_, shown), count) in shown.iter().zip(&counts) {
            match shown {
                Some(shown) => assert_eq!(shown, count, "{title}"),
                None => assert!(*count > 0, "{title}: a zero hidden"),
            }
            if (1..11).contains(count) {
                assert_eq!(*shown, None, "{title}: {count} shown");
            }
        }
        let hidden = shown.iter().filter(|(_, v)| v.is_none()).count();
        assert_ne!(hidden, 1, "{title}: one count hidden alone");
        hidden_anywhere += hidden;
    }
    assert!(hidden_anywhere > 0, "the demo has no small count to hide");
    // The department table hides what the chart hides.
    assert!(!dom.contains("<td class=\"n\">1</td><td class=\"n\">"));
}

#[test]
fn public_csv_blanks_every_small_count_and_any_its_total_gives_away() {
    let office = two_offices();
    let today = Utc::now().with_timezone(&lima()).date_naive().to_string();
    let full = stats(&office, &["--to", &today, "--csv"]);
    let public = stats(&office, &["--to", &today, "--csv", "--public"]);
    let mut lines = public.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("# public: counts from 1 to 10 are blank"),
        "{public}"
    );
    let cells = |lines: &mut dyn Iterator<Item = &str>| -> Vec<Vec<String>> {
        lines.skip(1).map(csv_fields).collect()
    };
    let public_cells = cells(&mut lines);
    let full_cells = cells(&mut full.lines());
    assert_eq!(public_cells.len(), full_cells.len());
    let mut hidden_by_figure: std::collections::HashMap<String, usize> = Default::default();
    for (shown, true_cell) in public_cells.iter().zip(&full_cells) {
        assert_eq!(shown[..3], true_cell[..3], "same cells in the same order");
        // Times (days, with decimals) are hidden with their count of calls, not by size.
        if shown[0] == "u1_to_police" && shown[1] != "calls" {
            continue;
        }
        let count: u64 = true_cell[3].parse().unwrap();
        match shown[3].as_str() {
            "" => {
                assert!(count > 0, "{true_cell:?}: a zero blanked");
                *hidden_by_figure.entry(shown[0].clone()).or_default() += 1;
            }
            value => {
                assert_eq!(value, true_cell[3], "a count shown is the true one");
                assert!(count == 0 || count >= 11, "{true_cell:?} shown");
            }
        }
    }
    assert!(!hidden_by_figure.is_empty(), "nothing small to hide");
    // The lists' counts add up to a total shown: one blank alone would be given away.
    for figure in ["calls_by_department", "calls_by_exploitation_type"] {
        assert_ne!(hidden_by_figure.get(figure), Some(&1), "{figure}");
    }
    // JSON and text have no public form: publishing goes through --csv or the report.
    let refused = office.central(&["central", "stats", "--public"]);
    assert_eq!(refused.code, 2);
}
