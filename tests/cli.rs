//! The command line as a script or an operator uses it: records in and out, exit statuses,
//! and one clear line for every bad input, with nothing written.

mod common;

use chrono::{TimeDelta, Utc};
use common::{Office, call_count, linea};

const MINIMAL: &str = r#"{"channel":"PHONE","caller_type":"FAMILY","reason":"TIP"}"#;

#[test]
fn help_documents_commands_and_exit_codes() {
    let run = linea(&["--help"], "", &[]).ok();
    for needle in [
        "call",
        "referral",
        "central",
        "Exit status",
        "LINEA_PASSPHRASE",
        "2  usage",
    ] {
        assert!(
            run.stdout.contains(needle),
            "--help lacks {needle:?}:\n{}",
            run.stdout
        );
    }
    let run = linea(&["call", "--help"], "", &[]).ok();
    assert!(run.stdout.contains("JSON Lines"));
}

#[test]
fn bad_usage_exits_2() {
    let run = linea(&["call", "frobnicate"], "", &[]);
    assert_eq!(run.code, 2, "{run:?}");
    let office = Office::new();
    let line = office.run(&["call", "list", "--urgency", "U9"]).fails(2);
    assert!(line.contains("valid codes: U1_EMERGENCY"), "{line}");
    let line = office
        .run(&["call", "list", "--from", "28/11/2026"])
        .fails(2);
    assert!(line.contains("not a date"), "{line}");
    let line = office.run(&["call", "show", "not-an-id"]).fails(2);
    assert!(line.contains("not a record id"), "{line}");
}

#[test]
fn no_store_is_a_configuration_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere");
    let line = linea(
        &["--store", missing.to_str().unwrap(), "call", "list"],
        "",
        &[],
    )
    .fails(2);
    assert!(line.contains("no linea store"), "{line}");
    assert!(!missing.exists(), "looking for a store must not create it");
}

#[test]
fn a_bare_minimum_call_is_saved_and_read_back() {
    let office = Office::new();
    let run = office.run_stdin(&["call", "add"], MINIMAL).ok();
    let id = run.stdout.trim();
    assert_eq!(id.len(), 36, "prints the new id: {run:?}");
    let shown = office.run(&["call", "show", id, "--json"]).ok();
    let call: serde_json::Value = serde_json::from_str(&shown.stdout).unwrap();
    assert_eq!(call["id"], id);
    assert_eq!(call["channel"], "PHONE");
    assert_eq!(call["urgency"], "U4_ROUTINE", "urgency defaults to routine");
    assert_eq!(call["version"], 1);
    assert_eq!(call["author"], "ana");
    assert!(call["started_at"].as_str().unwrap().ends_with('Z'), "UTC");
    let text = office.run(&["call", "show", id]).ok().stdout;
    assert!(
        text.contains("Report of a possible trafficking situation"),
        "{text}"
    );
}

#[test]
fn json_lines_are_saved_together_and_listed_with_filters() {
    let office = Office::new();
    let lines = [
        r#"{"channel":"PHONE","caller_type":"FAMILY","reason":"TIP","urgency":"U2_URGENT","caller_place":"170101","started_at":"2026-11-02T15:00:00Z"}"#,
        r#"{"channel":"WHATSAPP","caller_type":"VICTIM_SELF","reason":"CRISIS","urgency":"U1_EMERGENCY","caller_place":"160101","started_at":"2026-11-03T15:00:00Z"}"#,
        r#"{"channel":"PHONE","caller_type":"COMMUNITY","reason":"GENERAL_INFO","caller_place":"150132","started_at":"2026-11-04T15:00:00Z"}"#,
    ]
    .join("\n");
    let run = office.run_stdin(&["call", "add"], &lines).ok();
    assert_eq!(run.stdout.lines().count(), 3);

    let urgent = office
        .run(&["call", "list", "--urgency", "U1_EMERGENCY", "--json"])
        .ok();
    assert_eq!(urgent.stdout.lines().count(), 1);
    assert!(urgent.stdout.contains("\"reason\":\"CRISIS\""));
    let madre_de_dios = office
        .run(&["call", "list", "--place", "17", "--json"])
        .ok();
    assert_eq!(madre_de_dios.stdout.lines().count(), 1);
    assert!(madre_de_dios.stdout.contains("170101"));
    let days = office
        .run(&[
            "call",
            "list",
            "--from",
            "2026-11-03",
            "--to",
            "2026-11-04",
            "--json",
        ])
        .ok();
    assert_eq!(days.stdout.lines().count(), 2);
    let reason = office.run(&["call", "list", "--reason", "TIP"]).ok();
    assert_eq!(
        reason.stdout.lines().count(),
        2,
        "header and one row: {}",
        reason.stdout
    );
    assert!(
        reason
            .stdout
            .contains("Tambopata, Tambopata (Madre de Dios)")
            && !reason.stdout.contains("170101"),
        "places by name, not code: {}",
        reason.stdout
    );
    let newest_first = office.run(&["call", "list", "--json"]).ok().stdout;
    let starts: Vec<String> = newest_first
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["started_at"].to_string())
        .collect();
    let mut sorted = starts.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(starts, sorted);
}

#[test]
fn calls_are_listed_by_phone_typed_any_way() {
    let office = Office::new();
    let lines = [
        r#"{"channel":"PHONE","caller_type":"FAMILY","reason":"TIP","caller_phone":"+51 987 654 321","started_at":"2026-11-02T15:00:00Z"}"#,
        r#"{"channel":"PHONE","caller_type":"FAMILY","reason":"TIP","caller_phone":"0987-654-321","started_at":"2026-11-03T15:00:00Z"}"#,
        r#"{"channel":"PHONE","caller_type":"FAMILY","reason":"TIP","caller_phone":"+1 987 654 321","started_at":"2026-11-04T15:00:00Z"}"#,
        r#"{"channel":"PHONE","caller_type":"FAMILY","reason":"TIP","started_at":"2026-11-05T15:00:00Z"}"#,
    ]
    .join("\n");
    let ids = office.run_stdin(&["call", "add"], &lines).ok().stdout;
    let ids: Vec<&str> = ids.lines().collect();
    for typed in [
        "+51 987 654 321",
        "987-654-321",
        "0987654321",
        "51987654321",
    ] {
        let run = office.run(&["call", "list", "--phone", typed]).ok();
        assert_eq!(run.stdout.lines().count(), 3, "{typed}: {}", run.stdout);
        assert!(run.stdout.contains(ids[0]) && run.stdout.contains(ids[1]));
    }
    let foreign = office
        .run(&["call", "list", "--phone", "+1 (987) 654-321"])
        .ok();
    assert!(foreign.stdout.contains(ids[2]), "{}", foreign.stdout);
    assert_eq!(foreign.stdout.lines().count(), 2);
    let line = office.run(&["call", "list", "--phone", "nine"]).fails(2);
    assert!(line.contains("--phone: 'nine' has no digit"), "{line}");
    let help = office.run(&["call", "list", "--help"]).ok().stdout;
    assert!(help.contains("--phone <NUMBER>"), "{help}");
}

/// Every kind of bad record input: one clear line naming the problem, exit 1, nothing saved.
#[test]
fn bad_record_input_is_refused_with_its_reason_and_nothing_is_written() {
    let office = Office::new();
    let future = (chrono::Utc::now() + chrono::TimeDelta::days(2)).to_rfc3339();
    let cases: Vec<(String, &str)> = vec![
        (r#"{"channel":"PHONE","caller_type":"FAMILY"}"#.into(), "reason is required"),
        (
            r#"{"channel":"FAX","caller_type":"FAMILY","reason":"TIP"}"#.into(),
            "channel: unknown code 'FAX'; valid codes: PHONE, SMS",
        ),
        (
            r#"{"channel":"PHONE","caller_type":"UNKNOWN","reason":"NS_SILENT","caller_phone":"987 654 321"}"#.into(),
            "non-substantive call (NS_SILENT) records no personal data; leave caller_phone out",
        ),
        (
            format!(r#"{{"channel":"PHONE","caller_type":"FAMILY","reason":"TIP","started_at":"{future}"}}"#),
            "started_at",
        ),
        (
            r#"{"channel":"PHONE","caller_type":"FAMILY","reason":"TIP","started_at":"2026-11-02T15:00:00Z","ended_at":"2026-11-02T14:00:00Z"}"#.into(),
            "ended_at: 2026-11-02 14:00:00 UTC is before the call started",
        ),
        (
            r#"{"channel":"PHONE","caller_type":"FAMILY","reason":"TIP","caller_place":"990101"}"#.into(),
            "no department 99",
        ),
        (
            r#"{"channel":"PHONE","caller_type":"FAMILY","reason":"TIP","started_at":"0000-01-01T00:00:00Z"}"#.into(),
            "started_at: 0000-01-01 00:00:00 UTC is before 2000",
        ),
        (
            r#"{"channel":"PHONE","caller_type":"FAMILY","reason":"TIP","started_at":"2016-12-31T23:59:60Z"}"#.into(),
            "started_at: 2016-12-31 23:59:60 UTC is a leap second",
        ),
        (r#"{"channel":"PHONE","caller_type":"FAMILY","reason":"TIP","colour":"red"}"#.into(), "unknown field `colour`"),
        ("{not json".into(), "standard input, call 1"),
        (String::new(), "no call on standard input"),
        (
            format!("{MINIMAL}\n{}", r#"{"channel":"PHONE","caller_type":"FAMILY","reason":"BOGUS"}"#),
            "call 2 of 2: reason: unknown code 'BOGUS'",
        ),
    ];
    for (input, expected) in cases {
        let line = office.run_stdin(&["call", "add"], &input).fails(1);
        assert!(
            line.contains(expected),
            "input {input}\nexpected {expected:?}\ngot {line}"
        );
    }
    assert_eq!(call_count(&office), 0, "a refused input must save nothing");
}

/// Adds a call that started `ago` before now at `urgency`, and its referral to the police;
/// returns the referral's id.
fn referred(office: &Office, urgency: &str, ago: TimeDelta) -> String {
    let started = (Utc::now() - ago).format("%Y-%m-%dT%H:%M:%SZ");
    let call = office
        .run_stdin(
            &["call", "add"],
            &format!(
                r#"{{"channel":"PHONE","caller_type":"FAMILY","reason":"TIP","urgency":"{urgency}","started_at":"{started}"}}"#
            ),
        )
        .ok()
        .stdout
        .trim()
        .to_owned();
    let referral = format!(
        r#"{{"call_id":"{call}","target_type":"PNP_TRAFFICKING","institution":"DIRCTPTIM","reason":"CRIMINAL_REPORT","sharing_basis":"CONSENT","sent_at":"{started}"}}"#
    );
    office
        .run_stdin(&["referral", "add"], &referral)
        .ok()
        .stdout
        .trim()
        .to_owned()
}

#[test]
fn referrals_due_list_todays_urgent_ones_before_old_overdue_ones() {
    let office = Office::new();
    let old = referred(&office, "U3_PRIORITY", TimeDelta::days(20));
    let older = referred(&office, "U4_ROUTINE", TimeDelta::days(30));
    // Due in 24 hours, and so within today's urgent ones whatever the hour.
    let urgent = referred(&office, "U2_URGENT", TimeDelta::minutes(1));
    let due = office.run(&["referral", "list", "--due", "--json"]).ok();
    let listed: Vec<String> = due
        .stdout
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap()["id"].to_string())
        .collect();
    let quoted = |id: &str| format!("\"{id}\"");
    assert_eq!(listed, [quoted(&urgent), quoted(&older), quoted(&old)]);
}

#[test]
fn referrals_need_a_basis_for_sharing_and_a_date_after_the_call() {
    let office = Office::new();
    let call = office
        .run_stdin(
            &["call", "add"],
            r#"{"channel":"PHONE","caller_type":"FAMILY","reason":"TIP","urgency":"U2_URGENT","started_at":"2026-11-02T15:00:00Z"}"#,
        )
        .ok()
        .stdout
        .trim()
        .to_owned();
    let referral = |extra: &str| {
        format!(
            r#"{{"call_id":"{call}","target_type":"PNP_TRAFFICKING","institution":"DIRCTPTIM","reason":"CRIMINAL_REPORT"{extra}}}"#
        )
    };
    let line = office
        .run_stdin(&["referral", "add"], &referral(""))
        .fails(1);
    assert!(line.contains("sharing_basis is required"), "{line}");
    let line = office
        .run_stdin(
            &["referral", "add"],
            &referral(r#","sharing_basis":"CONSENT","sent_at":"2026-11-02T14:00:00Z""#),
        )
        .fails(1);
    assert!(
        line.contains("sent_at") && line.contains("before the call started"),
        "{line}"
    );
    let line = office
        .run_stdin(
            &["referral", "add"],
            &referral(r#","sharing_basis":"GOSSIP""#),
        )
        .fails(1);
    assert!(line.contains("valid codes: CONSENT"), "{line}");
    let run = office
        .run_stdin(
            &["referral", "add"],
            &referral(r#","sharing_basis":"CONSENT","sent_at":"2026-11-02T15:30:00Z","method":"PHONE","reference":"OF-123""#),
        )
        .ok();
    let id = run.stdout.trim().to_owned();

    // U2: due 24 hours after sending, so overdue now.
    let due = office.run(&["referral", "list", "--due", "--json"]).ok();
    let listed: serde_json::Value = serde_json::from_str(due.stdout.trim()).unwrap();
    assert_eq!(listed["id"], id.as_str());
    assert_eq!(listed["due_at"], "2026-11-03T15:30:00Z");

    office
        .run(&[
            "referral",
            "status",
            &id,
            "ACKNOWLEDGED",
            "--note",
            "Oficio recibido",
        ])
        .ok();
    office
        .run(&["referral", "status", &id, "COMPLETED", "--note", "Atendida"])
        .ok();
    let line = office
        .run(&["referral", "status", &id, "FINISHED"])
        .fails(1);
    assert!(line.contains("valid codes: DRAFT"), "{line}");
    let shown = office.run(&["referral", "show", &id, "--json"]).ok();
    let referral: serde_json::Value = serde_json::from_str(&shown.stdout).unwrap();
    let history: Vec<(&str, &str)> = referral["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["status"].as_str().unwrap(),
                h["note"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        history,
        vec![
            ("SENT", ""),
            ("ACKNOWLEDGED", "Oficio recibido"),
            ("COMPLETED", "Atendida")
        ]
    );
    assert_eq!(referral["version"], 3);
    let due = office.run(&["referral", "list", "--due", "--json"]).ok();
    assert!(
        due.stdout.trim().is_empty(),
        "a completed referral is not due"
    );
}

#[test]
fn a_referral_status_never_goes_back_to_draft_nor_changes_once_closed() {
    let office = Office::new();
    let call = office
        .run_stdin(
            &["call", "add"],
            r#"{"channel":"PHONE","caller_type":"FAMILY","reason":"TIP","urgency":"U2_URGENT","started_at":"2026-11-02T15:00:00Z"}"#,
        )
        .ok()
        .stdout
        .trim()
        .to_owned();
    let id = office
        .run_stdin(
            &["referral", "add"],
            &format!(
                r#"{{"call_id":"{call}","target_type":"PNP_TRAFFICKING","institution":"DIRCTPTIM","reason":"CRIMINAL_REPORT","sharing_basis":"CONSENT","sent_at":"2026-11-02T15:30:00Z"}}"#
            ),
        )
        .ok()
        .stdout
        .trim()
        .to_owned();
    office.run(&["referral", "status", &id, "NO_RESPONSE"]).ok();
    let line = office.run(&["referral", "status", &id, "DRAFT"]).fails(1);
    assert!(
        line.contains("NO_RESPONSE cannot become DRAFT") && line.contains("ACKNOWLEDGED"),
        "{line}"
    );
    assert_eq!(line.lines().count(), 1, "{line}");
    // The institution answers late, then closes it: nothing changes after that.
    office
        .run(&["referral", "status", &id, "ACKNOWLEDGED"])
        .ok();
    office.run(&["referral", "status", &id, "COMPLETED"]).ok();
    let line = office
        .run(&["referral", "status", &id, "IN_PROGRESS"])
        .fails(1);
    assert!(line.contains("COMPLETED, which is final"), "{line}");
    let shown = office.run(&["referral", "show", &id, "--json"]).ok();
    let referral: serde_json::Value = serde_json::from_str(&shown.stdout).unwrap();
    assert_eq!(referral["history"].as_array().unwrap().len(), 4);
    assert_eq!(referral["version"], 4, "a refused change is not written");
}

#[test]
fn a_case_gathers_its_call_people_and_referrals() {
    let office = Office::new();
    let call = office
        .run_stdin(&["call", "add"], MINIMAL)
        .ok()
        .stdout
        .trim()
        .to_owned();
    let case = office
        .run_stdin(
            &["case", "add"],
            &format!(r#"{{"title":"Bar en Mazuko","opened_from_call":"{call}"}}"#),
        )
        .ok()
        .stdout
        .trim()
        .to_owned();
    office
        .run_stdin(
            &["case", "add-person", &case],
            r#"{"role":"VICTIM","age_band":"A14_17","gender":"F","citizenship":["VE"]}"#,
        )
        .ok();
    let shown = office.run(&["case", "show", &case, "--json"]).ok();
    let value: serde_json::Value = serde_json::from_str(&shown.stdout).unwrap();
    assert_eq!(value["case"]["status"], "ACTIVE");
    assert_eq!(value["calls"][0], call.as_str());
    assert_eq!(value["people"][0]["role"], "VICTIM");
    let call_json = office.run(&["call", "show", &call, "--json"]).ok().stdout;
    assert!(call_json.contains(&case), "the call now points to its case");

    let prank = office
        .run_stdin(
            &["call", "add"],
            r#"{"channel":"PHONE","caller_type":"UNKNOWN","reason":"NS_PRANK"}"#,
        )
        .ok()
        .stdout
        .trim()
        .to_owned();
    let line = office
        .run_stdin(
            &["case", "add"],
            &format!(r#"{{"opened_from_call":"{prank}"}}"#),
        )
        .fails(1);
    assert!(line.contains("cannot open a case"), "{line}");
}

#[test]
fn list_output_survives_a_closed_pipe() {
    let office = Office::with_calls(300);
    // `head -1` closes the pipe early; linea must not fail or print an error.
    let dir = office.dir();
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "'{}' --store '{}' --operator ana call list --all | head -1 >/dev/null; echo ${{PIPESTATUS:-0}}",
            env!("CARGO_BIN_EXE_linea"),
            dir.display()
        ))
        .env("LINEA_PASSPHRASE", common::PASSPHRASE)
        .output()
        .unwrap();
    assert!(status.status.success());
    assert!(
        String::from_utf8_lossy(&status.stderr).is_empty(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
}

#[test]
fn sharing_without_consent_needs_the_office_leads_confirmation() {
    let office = Office::new();
    let call = office
        .run_stdin(&["call", "add"], MINIMAL)
        .ok()
        .stdout
        .trim()
        .to_owned();
    let referral = format!(
        r#"{{"call_id":"{call}","target_type":"MIMP_UPE","institution":"UPE Lima","reason":"ADDITIONAL_SERVICES","sharing_basis":"MINOR_PROTECTION"}}"#
    );
    let dir = office.dir();
    let as_luis = |env: &[(&str, &str)]| {
        linea(
            &[
                "--store",
                dir.to_str().unwrap(),
                "--operator",
                "luis",
                "referral",
                "add",
            ],
            &referral,
            env,
        )
    };
    let line = as_luis(&[]).fails(1);
    assert!(
        line.contains("needs the office lead's confirmation"),
        "{line}"
    );
    let line = as_luis(&[("LINEA_LEAD_PASSPHRASE", "not the lead's passphrase")]).fails(1);
    assert!(
        line.contains("wrong passphrase for operator 'ana'"),
        "{line}"
    );
    let id = as_luis(&[("LINEA_LEAD_PASSPHRASE", common::PASSPHRASE)])
        .ok()
        .stdout
        .trim()
        .to_owned();
    let shown = office.run(&["referral", "show", &id, "--json"]).ok().stdout;
    assert!(shown.contains(r#""confirmed_by": "ana""#), "{shown}");
    // The lead's own unlock confirms it.
    office.run_stdin(&["referral", "add"], &referral).ok();
    // A confirmed_by in the input is never taken at its word.
    let forged = referral.replace(
        r#""sharing_basis""#,
        r#""confirmed_by":"ana","sharing_basis""#,
    );
    let line = as_luis(&[]).fails(1);
    assert!(line.contains("confirmation"), "{line}");
    let line = linea(
        &[
            "--store",
            dir.to_str().unwrap(),
            "--operator",
            "luis",
            "referral",
            "add",
        ],
        &forged,
        &[],
    )
    .fails(1);
    assert!(
        line.contains("needs the office lead's confirmation"),
        "{line}"
    );
}

#[test]
fn central_s_store_refuses_calls_and_cases_and_says_where_they_belong() {
    let office = Office::new();
    let central = office.central_dir();
    let on_central = |args: &[&str], stdin: &str| {
        let mut all = vec![
            "--store",
            central.to_str().unwrap(),
            "--operator",
            linea::demo::CENTRAL_LEAD,
        ];
        all.extend_from_slice(args);
        linea(&all, stdin, &[])
    };
    for (args, stdin) in [
        (&["call", "add"][..], MINIMAL),
        (&["case", "add"][..], r#"{"title":"Bar en Mazuko"}"#),
    ] {
        let line = on_central(args, stdin).fails(2);
        assert!(
            line.contains("central's store") && line.contains("at an office"),
            "{args:?}: {line}"
        );
    }
    let listed = on_central(&["call", "list", "--json"], "").ok();
    assert!(listed.stdout.trim().is_empty(), "{listed:?}");
}

/// A duress passphrase: it may not be a real one; typed at unlock it is refused like a wrong
/// one and wipes every slot, so the real passphrase opens nothing either; central's
/// recovery identity brings every call back.
#[test]
fn a_duress_passphrase_typed_at_unlock_wipes_every_slot_and_says_nothing() {
    let office = Office::with_calls(4);
    let line = office
        .run_with(
            &["operator", "duress"],
            "",
            &[("LINEA_NEW_PASSPHRASE", common::PASSPHRASE)],
        )
        .fails(1);
    assert!(
        line.contains("cannot be an operator's real passphrase"),
        "{line}"
    );

    let duress = [("LINEA_NEW_PASSPHRASE", "the one I give when forced")];
    office.run_with(&["operator", "duress"], "", &duress).ok();
    office.run(&["call", "list"]).ok();
    let line = office
        .run_with(
            &["operator", "passwd"],
            "",
            &[("LINEA_NEW_PASSPHRASE", "the one I give when forced")],
        )
        .fails(1);
    assert!(line.contains("duress passphrase"), "{line}");

    let forced = [("LINEA_PASSPHRASE", "the one I give when forced")];
    let line = office.run_with(&["call", "list"], "", &forced).fails(1);
    assert!(
        line.starts_with("linea: wrong passphrase for operator 'ana';"),
        "{line}"
    );
    let line = office.run(&["call", "list"]).fails(1);
    assert!(
        line.starts_with("linea: wrong passphrase for operator 'ana';"),
        "{line}"
    );

    assert_eq!(office.recover_and_count_calls(), 4);
}
