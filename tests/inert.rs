//! Nothing an outsider wrote reaches a terminal as control: text with escape sequences (CSI,
//! OSC), C1 controls, DEL, bidi overrides, zero-width characters and line separators, put
//! in records, files, kits, batches, keymaps and arguments, comes out of every command (stdout
//! and stderr, for people and as JSON) and every screen shown, never obeyed, and still findable
//! in its visible form.

mod common;

use std::fs;
use std::path::Path;

use common::exchange::{Forge, listing};
use common::tui::{COLOR, Desk, now};
use common::{Office, Run, linea};
use linea::central::registry::names as central_names;
use linea::exchange::batch::{self, Manifest};
use linea::exchange::enrollment::{Enrollment, OfficeKit};
use linea::keys::SigningKey;
use linea::model::{CallFields, CaseFields, Lang, PersonFields, Record, ReferralFields};
use linea::store::Clock;

/// Everything at once: clear the screen, set the window title, a CSI as one C1 character,
/// a right-to-left override, an isolate, zero-width characters, a line separator, DEL, and
/// a newline followed by a line that could pass for linea's own.
const HOSTILE: &str = "A\u{1b}[2J\u{1b}]0;pwned\u{7}\u{9b}31m\u{202e}rev\u{2066}\u{200b}\u{feff}\u{2028}B\u{7f}\nCentral's fingerprint: FAKE";

/// How the start of [`HOSTILE`] reads once made inert.
const SHOWN: &str = "A\\u{1b}[2J\\u{1b}]0;pwned\\u{7}\\u{9b}31m\\u{202e}rev";

/// Characters no output may hold raw. A byte 0x9B alone (a CSI to an 8-bit terminal) is not
/// UTF-8 and reads back as U+FFFD, which is refused too.
fn forbidden(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(
            c,
            '\u{61c}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'
                | '\u{2066}'..='\u{2069}'
                | '\u{feff}'
                | '\u{fffd}'
        )
}

fn assert_inert(what: &str, text: &str) {
    if let Some(c) = text.chars().find(|c| forbidden(*c)) {
        panic!("{what}: {c:?} reached the terminal raw:\n{text}");
    }
    assert!(
        !text
            .lines()
            .any(|l| l.starts_with("Central's fingerprint: FAKE")),
        "{what}: a line of the text passes for linea's own:\n{text}"
    );
}

fn assert_run_inert(what: &str, run: &Run) {
    assert_inert(&format!("{what} (stdout)"), &run.stdout);
    assert_inert(&format!("{what} (stderr)"), &run.stderr);
}

/// A refusal: exit `code`, one inert line on stderr, showing the hostile text visibly.
fn refused_inert(what: &str, run: Run, code: i32) -> String {
    assert_run_inert(what, &run);
    let line = run.fails(code);
    // (Keymap problems show a key name lowercased.)
    assert!(
        line.to_lowercase().contains("a\\u{1b}[2j"),
        "{what}: the text is not shown: {line}"
    );
    line
}

/// [`HOSTILE`] as a JSON string.
fn json(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

// Commands.

/// Every JSON document of `text` (one, or one per line) holds `HOSTILE` exactly, with its
/// C1 and bidi characters written as escapes.
fn assert_json_carries_hostile(what: &str, text: &str) {
    assert!(
        text.contains("\\u009b") && text.contains("\\u202e"),
        "{what}: {text}"
    );
    let documents: Vec<serde_json::Value> = serde_json::Deserializer::from_str(text)
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {text}"));
    let all = serde_json::to_string(&documents).unwrap();
    assert!(all.contains(&json(HOSTILE)[1..20]), "{what}: {text}");
}

#[test]
fn a_hostile_record_comes_out_of_every_command_inert() {
    let office = Office::new();
    let call = office
        .run_stdin(
            &["call", "add"],
            &format!(
                r#"{{"channel":"PHONE","caller_type":"FAMILY","reason":"TIP","caller_name":{h},"notes":{h}}}"#,
                h = json(HOSTILE)
            ),
        )
        .ok()
        .stdout
        .trim()
        .to_owned();
    let case = office
        .run_stdin(
            &["case", "add"],
            &format!(r#"{{"title":{},"status":"ACTIVE"}}"#, json(HOSTILE)),
        )
        .ok()
        .stdout
        .trim()
        .to_owned();
    office
        .run_stdin(
            &["case", "add-person", &case],
            &format!(r#"{{"role":"VICTIM","name":{}}}"#, json(HOSTILE)),
        )
        .ok();
    let referral = office
        .run_stdin(
            &["referral", "add"],
            &format!(
                r#"{{"call_id":"{call}","case_id":"{case}","target_type":"PNP_TRAFFICKING","institution":{h},"reason":"CRIMINAL_REPORT","sharing_basis":"CONSENT","reference":{h}}}"#,
                h = json(HOSTILE)
            ),
        )
        .ok()
        .stdout
        .trim()
        .to_owned();
    let status = office
        .run(&[
            "referral",
            "status",
            &referral,
            "ACKNOWLEDGED",
            "--note",
            HOSTILE,
        ])
        .ok();
    assert_run_inert("referral status", &status);

    for args in [
        vec!["call", "show", &call],
        vec!["case", "show", &case],
        vec!["referral", "show", &referral],
        vec!["referral", "list"],
    ] {
        let run = office.run(&args).ok();
        assert_run_inert(&args.join(" "), &run);
        assert!(run.stdout.contains(SHOWN), "{args:?}: {}", run.stdout);
    }
    // The notes keep their lines, each set apart under the heading.
    let shown = office.run(&["call", "show", &call]).ok().stdout;
    assert!(
        shown.contains("\nnotes\n  A\\u{1b}[2J")
            && shown.contains("\n  Central's fingerprint: FAKE"),
        "{shown}"
    );

    for args in [
        vec!["call", "show", "--json", &call],
        vec!["call", "list", "--json"],
        vec!["case", "show", "--json", &case],
        vec!["referral", "show", "--json", &referral],
        vec!["referral", "list", "--json"],
    ] {
        let run = office.run(&args).ok();
        assert_run_inert(&args.join(" "), &run);
        assert_json_carries_hostile(&args.join(" "), &run.stdout);
    }
}

#[test]
fn input_the_parser_quotes_back_is_shown_inert() {
    let office = Office::new();
    let run = office.run_stdin(&["call", "add"], &format!("{{{}: 1}}", json(HOSTILE)));
    let line = refused_inert("an unknown field", run, 1);
    assert!(line.contains("unknown field"), "{line}");
    let run = office.run_stdin(
        &["call", "add"],
        &format!(
            r#"{{"channel":"PHONE","caller_type":"FAMILY","reason":{}}}"#,
            json(HOSTILE)
        ),
    );
    refused_inert("an unknown code", run, 1);
}

#[test]
fn hostile_arguments_and_file_names_are_shown_inert() {
    let office = Office::new();
    refused_inert("a record id", office.run(&["call", "show", HOSTILE]), 2);
    // clap's own refusals quote the argument too.
    let run = linea(&["--lang", HOSTILE, "call", "list"], "", &[]);
    assert_run_inert("--lang", &run);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("\\u{202e}rev"), "{run:?}");

    let held = office.held();
    let files: Vec<String> = ["one", "two"]
        .iter()
        .map(|n| {
            let path = held.join(format!("b-{n}-{HOSTILE}.age"));
            fs::write(&path, b"not a batch").unwrap();
            path.to_str().unwrap().to_owned()
        })
        .collect();
    let mut args = vec!["central", "import"];
    args.extend(files.iter().map(String::as_str));
    let run = office.central(&args);
    assert_run_inert("central import", &run);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.stderr.lines().count(), 2, "one line per file: {run:?}");
    assert!(
        run.stderr
            .lines()
            .all(|l| l.starts_with("linea: ") && l.contains("A\\u{1b}[2J")),
        "{run:?}"
    );
    refused_inert(
        "central verify",
        office.central(&["central", "verify", &files[0]]),
        1,
    );
}

/// `central import FILE` refuses `file`, saying so on one inert line.
fn import_refused_inert(office: &Office, what: &str, file: &Path) -> String {
    refused_inert(what, office.import(file), 1)
}

#[test]
fn refusals_of_hostile_batches_are_shown_inert() {
    let office = Office::with_calls(3);
    let forge = Forge::new(&office);
    let file = office.batch_file(&forge, 1);
    let (manifest, lines) = forge.open(&file);
    let first_line = HOSTILE.lines().next().unwrap();

    // The first line of what is decrypted: the batch header.
    let recipient: age::x25519::Recipient = forge.import_recipient.parse().unwrap();
    let plaintext = format!("{first_line}\nrest");
    let path = forge.write(
        "hostile-header.age",
        &age::encrypt(&recipient, plaintext.as_bytes()).unwrap(),
    );
    import_refused_inert(&office, "a batch header line", &path);

    let unknown_format = Manifest {
        format: HOSTILE.into(),
        ..manifest.clone()
    };
    let path = forge.batch("hostile-format.age", &unknown_format, &lines);
    import_refused_inert(&office, "a manifest format", &path);

    let stranger = SigningKey::generate().unwrap();
    let claimed = Manifest {
        office_id: first_line.into(),
        office_key_id: stranger.public().key_id().to_owned(),
        ..manifest.clone()
    };
    let payload = batch::build_payload(&claimed, &lines, &stranger).unwrap().0;
    let path = forge.write("hostile-office.age", &forge.seal(&payload));
    import_refused_inert(&office, "an office id", &path);

    // An insider with the office's key names a hostile author: imported, then shown inert.
    let (n, mut record) = lines
        .iter()
        .enumerate()
        .find_map(|(n, line)| {
            let record: Record = serde_json::from_str(line).unwrap();
            matches!(record, Record::Call { .. }).then_some((n, record))
        })
        .expect("a call in the batch");
    if let Record::Call { meta, .. } = &mut record {
        meta.author = HOSTILE.into();
    }
    let id = record.meta().id.to_string();
    let mut authored = lines.clone();
    authored[n] = batch::record_line(&record).unwrap();
    let path = forge.batch("authored.age", &listing(&manifest, &authored), &authored);
    assert_run_inert("an import", &office.import(&path).ok());
    let shown = office.central(&["call", "show", &id]).ok();
    assert_run_inert("call show at central", &shown);
    assert!(shown.stdout.contains(SHOWN), "{shown:?}");
}

#[test]
fn a_kit_whose_office_name_forges_a_line_cannot_show_it() {
    let office = Office::new();
    let kit = office.held().join("kit.json");
    let enroll = office
        .central(&[
            "central",
            "enroll",
            "--office",
            "pe-cusco",
            "--name",
            "Cusco",
            "--out",
            kit.to_str().unwrap(),
        ])
        .ok();
    assert_run_inert("central enroll", &enroll);
    // `central enroll` refuses such a name; a kit altered and signed again with central's
    // key (what a forger with that key would make) carries it.
    let mut forged = OfficeKit::read(&kit).unwrap();
    forged.office_name = HOSTILE.into();
    let central_key = SigningKey::from_secret_bytes(
        &office
            .central_store()
            .secret(central_names::SIGNING_KEY)
            .unwrap(),
    )
    .unwrap();
    let kit = office.held().join("forged-name-kit.json");
    forged.write(&kit, &central_key).unwrap();
    let fingerprint = forged.fingerprint();
    let store = office.root.path().join("cusco");
    let enrollment = office.held().join("enrollment.json");
    let init = linea(
        &[
            "--store",
            store.to_str().unwrap(),
            "--operator",
            "eva",
            "init",
            "--kit",
            kit.to_str().unwrap(),
            "--fingerprint",
            &fingerprint,
            "--enrollment-out",
            enrollment.to_str().unwrap(),
        ],
        "",
        &[],
    )
    .ok();
    assert_run_inert("init", &init);
    assert!(init.stdout.contains(SHOWN), "{init:?}");
    let office_fingerprint = Enrollment::read(&enrollment).unwrap().fingerprint();
    let register = office
        .central(&[
            "central",
            "register",
            enrollment.to_str().unwrap(),
            "--fingerprint",
            &office_fingerprint,
        ])
        .ok();
    assert_run_inert("central register", &register);
    assert!(register.stdout.contains(SHOWN), "{register:?}");
    let offices = office.central(&["central", "offices"]).ok();
    assert_run_inert("central offices", &offices);

    // Kits and enrollment files of an unknown format are refused, quoting it inert.
    let envelope = serde_json::json!({
        "format": HOSTILE, "kind": "office-kit", "payload": "{}", "signature": "x",
    });
    let forged = office.held().join("forged-kit.json");
    fs::write(&forged, envelope.to_string()).unwrap();
    let other = office.root.path().join("other");
    let run = linea(
        &[
            "--store",
            other.to_str().unwrap(),
            "--operator",
            "eva",
            "init",
            "--kit",
            forged.to_str().unwrap(),
        ],
        "",
        &[],
    );
    refused_inert("a kit's format", run, 1);
    let envelope = serde_json::json!({
        "format": HOSTILE, "kind": "office-enrollment", "payload": "{}", "signature": "x",
    });
    fs::write(&forged, envelope.to_string()).unwrap();
    let run = office.central(&["central", "register", forged.to_str().unwrap()]);
    refused_inert("an enrollment's format", run, 1);
}

#[test]
fn keymap_problems_quoting_the_file_are_shown_inert() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hostile.toml");
    fs::write(
        &file,
        "extends = \"default\"\n[list]\n\"A\\u001b[2J\\u009b31m\\u202erev\" = \"open\"\n\"j\" = \"A\\u001b[2J\\u202e\"\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let run = linea(&["keymap", "check", path], "", &[]);
    assert_run_inert("keymap check", &run);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stdout.contains("A\\u{1b}[2J"), "{run:?}");
    let run = linea(&["--keymap", path, "keymap", "show"], "", &[]);
    refused_inert("keymap show", run, 2);
}

// The operator's screen.

/// A store whose office name, call, case, person and referral all hold [`HOSTILE`].
fn hostile_desk() -> Desk {
    let office = Office::new();
    common::tui::seed_calls(&office);
    {
        let mut store = office.office_store();
        store.set_clock(Clock::Fixed(now()));
        store.set_setting("office_name", HOSTILE).unwrap();
        let case = store
            .add_case(CaseFields {
                title: HOSTILE.into(),
                status: "ACTIVE".into(),
                ..CaseFields::default()
            })
            .unwrap();
        store
            .add_person(
                case.meta.id,
                PersonFields {
                    role: "VICTIM".into(),
                    name: Some(HOSTILE.into()),
                    ..PersonFields::default()
                },
            )
            .unwrap();
        let call = store
            .add_call(CallFields {
                started_at: Some(now()),
                channel: "PHONE".into(),
                caller_type: "FAMILY".into(),
                reason: "TIP".into(),
                urgency: "U1_EMERGENCY".into(),
                caller_name: Some(HOSTILE.into()),
                notes: HOSTILE.into(),
                case_id: Some(case.meta.id),
                ..CallFields::default()
            })
            .unwrap();
        let referral = store
            .add_referral(
                ReferralFields {
                    call_id: Some(call.meta.id),
                    case_id: Some(case.meta.id),
                    target_type: "PNP_TRAFFICKING".into(),
                    institution: HOSTILE.into(),
                    reason: "CRIMINAL_REPORT".into(),
                    sharing_basis: "CONSENT".into(),
                    sent_at: Some(now()),
                    reference: Some(HOSTILE.into()),
                    due_at: Some(now()),
                    ..ReferralFields::default()
                },
                None,
            )
            .unwrap();
        store
            .set_referral_status(referral.meta.id, "ACKNOWLEDGED", HOSTILE)
            .unwrap();
    }
    let mut desk = Desk::on(office, Lang::En, COLOR, 100, 30);
    desk.unlock();
    desk
}

/// The screen holds no raw control and shows the text's visible form; no cell needed the
/// last guard (U+FFFD), so the screen made the text inert itself.
fn assert_screen_inert(desk: &mut Desk, what: &str) {
    let screen = desk.screen();
    assert_inert(what, &screen);
    assert!(
        screen.contains("A\\u{1b}[2J"),
        "{what}: the text is not shown:\n{screen}"
    );
}

#[test]
fn every_screen_shows_hostile_record_text_inert() {
    let mut desk = hostile_desk();
    assert_screen_inert(&mut desk, "home");
    desk.press("f5 ctrl-r");
    assert_screen_inert(&mut desk, "calls");
    desk.press("enter");
    assert_screen_inert(&mut desk, "call");
    desk.press("ctrl-k");
    assert_screen_inert(&mut desk, "case");
    desk.press("end enter");
    assert_screen_inert(&mut desk, "referral");
    desk.press("esc esc esc esc esc ctrl-u");
    assert_screen_inert(&mut desk, "follow-up");
    desk.press("esc f6");
    desk.type_text("pwned");
    assert_screen_inert(&mut desk, "search");
}
