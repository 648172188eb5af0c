//! The optional backup recipient (EXCHANGE.md, "Batch"), through the real binary: central's
//! lead sets it; packs and kits take it to offices; their batches then open with the standard
//! `age` command and the second custodian's key made by `age-keygen`, and central still
//! imports them. Cleared, the next pack takes it away. Bad keys and the wrong store are refused.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{TimeDelta, Utc};

use common::exchange::{CENTRAL_OPERATOR, Forge, OFFICE_ID, batch_files};
use common::{FAST_WORK_FACTOR, Office, PASSPHRASE, linea, tool};
use linea::central::registry::names as central_names;
use linea::exchange::batch;
use linea::exchange::mail::Mail;
use linea::exchange::pack::Pack;
use linea::keys::{AgeIdentity, Passphrase};
use linea::store::OfficeStore;

/// A second custodian's key pair made by `age-keygen` in `dir`: the identity file and its
/// recipient.
fn custodian_key(dir: &Path) -> (PathBuf, String) {
    let key = dir.join("backup.key");
    let made = tool("age-keygen").arg("-o").arg(&key).output().unwrap();
    assert!(made.status.success(), "age-keygen: {made:?}");
    let public = tool("age-keygen").arg("-y").arg(&key).output().unwrap();
    assert!(public.status.success(), "age-keygen -y: {public:?}");
    let recipient = String::from_utf8(public.stdout).unwrap().trim().to_owned();
    assert!(recipient.starts_with("age1"), "{recipient}");
    (key, recipient)
}

/// Whether `age -d -i KEY FILE` opens the file (and, if so, it is a batch).
fn age_opens(key: &Path, file: &Path) -> bool {
    let output = tool("age")
        .arg("-d")
        .arg("-i")
        .arg(key)
        .arg(file)
        .output()
        .unwrap();
    if output.status.success() {
        assert!(output.stdout.starts_with(b"linea-batch/1 "), "not a batch");
    }
    output.status.success()
}

/// How many X25519 recipients an age file was encrypted to (the stanzas of its header).
fn recipients(file: &Path) -> usize {
    let bytes = fs::read(file).unwrap();
    let end = bytes
        .windows(5)
        .position(|w| w == b"\n--- ")
        .expect("an age header");
    bytes[..end]
        .windows(10)
        .filter(|w| w == b"\n-> X25519")
        .count()
}

/// The only batch on the stick, checked to be number `seq` and made for central.
fn the_batch(office: &Office, stick: &Path, seq: u64) -> PathBuf {
    let files = batch_files(stick);
    assert_eq!(files.len(), 1, "{files:?}");
    let forge = Forge::new(office);
    let (manifest, _) = forge.open(&files[0]);
    assert_eq!(manifest.seq, seq);
    // Central checks the manifest's recipient: it stays central's own.
    assert_eq!(
        manifest.recipient,
        batch::recipient_fingerprint(&forge.import_recipient)
    );
    files[0].clone()
}

fn backup(office: &Office, args: &[&str]) -> common::Run {
    let mut all = vec!["central", "backup-recipient"];
    all.extend_from_slice(args);
    office.central(&all)
}

/// Central imports the batch on the stick: new records from batch `seq` of `office_id`.
fn central_imports(office: &Office, stick: &Path, office_id: &str, seq: u64) {
    let run = office.central_sync(stick).ok();
    let line = run
        .stdout
        .lines()
        .find(|l| l.contains(&format!("office {office_id} batch {seq}: ")))
        .unwrap_or_else(|| panic!("batch {seq} was not imported: {run:?}"));
    assert!(!line.contains(": 0 new"), "{line}");
}

/// A demo office that has applied a pack carrying a custodian's key made by `age-keygen`,
/// with nothing waiting; its stick; and the custodian's identity file and recipient.
struct WithBackup {
    office: Office,
    stick: PathBuf,
    key: PathBuf,
    recipient: String,
}

fn office_with_backup() -> WithBackup {
    let office = Office::with_calls(20);
    let stick = office.stick("stick");
    let (key, recipient) = custodian_key(&office.held());
    let set = backup(&office, &["set", &recipient]).ok();
    assert!(
        set.stdout
            .contains(&format!("Backup recipient set: {recipient}")),
        "{set:?}"
    );
    office.round_trip(&stick);
    let applied = office.office_store().backup_recipient().unwrap();
    assert_eq!(applied.map(|b| b.recipient), Some(recipient.clone()));
    WithBackup {
        office,
        stick,
        key,
        recipient,
    }
}

#[test]
fn after_set_and_a_round_trip_batches_open_with_the_custodians_key_and_central_imports_them() {
    let WithBackup {
        office,
        stick,
        key,
        recipient,
    } = office_with_backup();

    office.add_calls(5, 11);
    office.sync(&stick).ok();
    let file = the_batch(&office, &stick, 2);
    assert_eq!(recipients(&file), 2, "central's import key and the backup");
    assert!(age_opens(&key, &file), "the custodian's key opens it");
    central_imports(&office, &stick, OFFICE_ID, 2);

    // Central says so where one looks, and audited who set it.
    let shown = backup(&office, &["show"]).ok();
    assert!(
        shown.stdout.contains(&recipient) && shown.stdout.contains(CENTRAL_OPERATOR),
        "{shown:?}"
    );
    let status = office.central(&["central", "status"]).ok();
    assert!(
        status
            .stdout
            .contains(&format!("Backup recipient: {recipient}")),
        "{status:?}"
    );
    let json = office.central(&["central", "status", "--json"]).ok();
    let rows: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(rows[0]["office"], OFFICE_ID, "{rows}");
    assert_eq!(rows[0]["backup_recipient"], recipient.as_str(), "{rows}");
    assert_eq!(rows[0]["last_batch"], 2, "{rows}");
    let audited: i64 = office
        .central_raw_db()
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'backup_recipient.set' AND subject = ?1",
            [&recipient],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 1);
}

#[test]
fn clearing_it_reaches_the_office_with_the_next_pack_and_later_batches_have_one_recipient() {
    let WithBackup {
        office,
        stick,
        key,
        recipient: _,
    } = office_with_backup();

    let cleared = backup(&office, &["clear"]).ok();
    assert!(
        cleared.stdout.contains("Backup recipient cleared"),
        "{cleared:?}"
    );
    let again = backup(&office, &["clear"]).ok();
    assert!(again.stdout.contains("nothing changed"), "{again:?}");
    let shown = backup(&office, &["show"]).ok();
    assert!(shown.stdout.contains("No backup recipient"), "{shown:?}");

    // The next pack has none, and the office drops it.
    let sent = office.central_sync(&stick).ok();
    assert!(sent.stdout.contains("Pack 2 for"), "a new pack: {sent:?}");
    let applied = office.sync(&stick).ok();
    assert!(
        applied.stdout.contains("Applied reference pack 2."),
        "{applied:?}"
    );
    assert_eq!(office.office_store().backup_recipient().unwrap(), None);

    office.add_calls(5, 12);
    office.sync(&stick).ok();
    let file = the_batch(&office, &stick, 2);
    assert_eq!(recipients(&file), 1, "central's import key only");
    assert!(!age_opens(&key, &file), "the custodian's key opens nothing");
    central_imports(&office, &stick, OFFICE_ID, 2);
    let json = office.central(&["central", "status", "--json"]).ok();
    let rows: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(rows[0]["backup_recipient"], serde_json::Value::Null);
}

#[test]
fn a_bad_key_central_s_own_key_an_operator_and_an_office_store_are_refused_and_nothing_is_written()
{
    let office = Office::new();
    let valid = AgeIdentity::generate().recipient();

    let line = backup(&office, &["set", "age1notakey"]).fails(1);
    assert!(
        line.contains("'age1notakey' is not an age recipient"),
        "{line}"
    );
    let import = office
        .central_store()
        .setting(central_names::IMPORT_RECIPIENT)
        .unwrap()
        .unwrap();
    let line = backup(&office, &["set", &import]).fails(1);
    assert!(line.contains("central's own import recipient"), "{line}");
    // Without a recipient, clap says how to use the command.
    assert_eq!(backup(&office, &["set"]).code, 2);

    // Central's operators are not its lead.
    let passphrase = Passphrase::new(PASSPHRASE.into());
    office
        .central_store()
        .add_operator("eva", &passphrase, FAST_WORK_FACTOR)
        .unwrap();
    let central = office.central_dir();
    let run = linea(
        &[
            "--store",
            central.to_str().unwrap(),
            "--operator",
            "eva",
            "central",
            "backup-recipient",
            "set",
            &valid,
        ],
        "",
        &[],
    );
    let line = run.fails(1);
    assert!(line.contains("only central's lead"), "{line}");

    // An office takes its backup recipient from central, never from a command.
    let line = office
        .run(&["central", "backup-recipient", "set", &valid])
        .fails(2);
    assert!(line.contains("this is an office store"), "{line}");
    assert_eq!(office.office_store().backup_recipient().unwrap(), None);

    let shown = backup(&office, &["show"]).ok();
    assert!(shown.stdout.contains("No backup recipient"), "{shown:?}");
    let audited: i64 = office
        .central_raw_db()
        .query_row(
            "SELECT count(*) FROM audit WHERE action LIKE 'backup_recipient.%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 0);
}

#[test]
fn a_kit_made_after_set_carries_it_signed_and_its_office_seals_to_both_from_the_first_batch() {
    let office = Office::new();
    let (key, recipient) = custodian_key(&office.held());
    backup(&office, &["set", &recipient]).ok();
    let kit = office.root.path().join("pe-cusco-kit.json");
    let cusco = office.second_office("pe-cusco");
    let text = fs::read_to_string(&kit).unwrap();
    assert!(text.contains(&recipient), "the kit carries it");

    // The kit's signature covers it: another key put in its place is refused.
    let forged = office.held().join("forged-kit.json");
    let other = AgeIdentity::generate().recipient();
    fs::write(&forged, text.replace(&recipient, &other)).unwrap();
    let stranger = office.root.path().join("stranger");
    let line = linea(
        &[
            "--store",
            stranger.to_str().unwrap(),
            "--operator",
            "eva",
            "init",
            "--kit",
            forged.to_str().unwrap(),
        ],
        "",
        &[("LINEA_NEW_PASSPHRASE", PASSPHRASE)],
    )
    .fails(1);
    assert!(line.contains("bad signature"), "{line}");

    let passphrase = Passphrase::new(PASSPHRASE.into());
    let mut store = OfficeStore::open(&cusco, "rosa", &passphrase).unwrap();
    assert_eq!(
        store
            .backup_recipient()
            .unwrap()
            .map(|b| b.source)
            .as_deref(),
        Some("kit")
    );
    linea::demo::fill(&mut store, 5, 13).unwrap();
    drop(store);
    let stick = office.stick("cusco-stick");
    linea(
        &[
            "--store",
            cusco.to_str().unwrap(),
            "--operator",
            "rosa",
            "sync",
            stick.to_str().unwrap(),
        ],
        "",
        &[],
    )
    .ok();
    let files = batch_files(&stick);
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(recipients(&files[0]), 2);
    assert!(age_opens(&key, &files[0]));
    central_imports(&office, &stick, "pe-cusco", 1);
}

#[test]
fn a_pack_whose_backup_recipient_is_no_key_is_refused_whole_and_the_office_keeps_its_own() {
    let WithBackup {
        office,
        stick,
        recipient,
        ..
    } = office_with_backup();
    let forge = Forge::new(&office);
    let now = Utc::now();
    let pack = Mail::Pack(Box::new(Pack {
        office_id: OFFICE_ID.into(),
        version: 9,
        issued_at: now,
        expires_at: now + TimeDelta::days(30),
        content: Default::default(),
        outcomes: Vec::new(),
        backup_recipient: Some("age1junk".into()),
    }));
    let file = forge.mail(&stick, "p-junk.age", &pack, &forge.central_key);
    let line = office.sync(&stick).fails(1);
    assert!(
        line.contains(&format!(
            "{}: refused (content: the backup recipient",
            file.display()
        )),
        "{line}"
    );
    let kept = office.office_store().backup_recipient().unwrap();
    assert_eq!(kept.map(|b| b.recipient), Some(recipient));
    assert_eq!(office.office_store().inbox_version("pack").unwrap(), 1);
}
