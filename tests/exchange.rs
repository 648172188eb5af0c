//! The USB exchange as an office and central use it (EXCHANGE.md), through the real binary:
//! a full round trip and its second, idle run; a lost stick; the next batch, chained; outcomes
//! flowing back to the office; a dry run; central's status after a gap; the standard `age`
//! and `minisign` reading what linea wrote; and kill -9 in the middle of an office sync.

mod common;

use std::collections::HashSet;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::exchange::{
    Forge, OFFICE_ID, assert_refused, batch_files, finished, table_digest, to_office,
};
use common::{FAST_WORK_FACTOR, Office, PASSPHRASE, linea as run_linea, tool};
use linea::central::import::open_and_check;
use linea::store::{CallFilter, OfficeStore, ReferralFilter, Store};

/// Every row of a record table, in id order, as text: what must be the same at both ends.
/// A call's number is the exception: central holds only the number's hashes of a call no
/// referral names (README, "Repeat callers"), so calls are compared without it.
fn rows(conn: &rusqlite::Connection, table: &str) -> Vec<String> {
    let order = if table == "referral_status" {
        "referral_id, seq"
    } else {
        "id"
    };
    let columns = if table == "calls" {
        "id, office_id, author, created_at, updated_at, version, started_at, reason, urgency,
         place, case_id, json_remove(body, '$.caller_phone', '$.caller_phone_hashes')"
    } else {
        "*"
    };
    let mut stmt = conn
        .prepare(&format!("SELECT {columns} FROM {table} ORDER BY {order}"))
        .unwrap();
    let columns = stmt.column_count();
    stmt.query_map([], |row| {
        Ok((0..columns)
            .map(|c| format!("{:?}", row.get_ref(c).unwrap()))
            .collect::<Vec<_>>()
            .join("|"))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

const RECORD_TABLES: [&str; 5] = ["cases", "calls", "people", "referrals", "referral_status"];

/// Central holds exactly the office's records, row for row.
fn assert_central_has_everything(office: &Office) {
    let office_db = office.raw_db();
    let central_db = office.central_raw_db();
    for table in RECORD_TABLES {
        let here = rows(&office_db, table);
        let there = rows(&central_db, table);
        assert_eq!(
            here.len(),
            there.len(),
            "{table}: the office has {} rows, central {}",
            here.len(),
            there.len()
        );
        assert!(
            here == there,
            "{table}: central's rows differ from the office's"
        );
    }
}

/// (id, version) of every call, through the library.
fn call_versions(store: &Store) -> Vec<(String, u32)> {
    let page = store
        .list_calls(&CallFilter::default(), None, 100_000)
        .unwrap();
    assert!(page.next.is_none());
    let mut calls: Vec<(String, u32)> = page
        .calls
        .iter()
        .map(|c| (c.meta.id.to_string(), c.meta.version))
        .collect();
    calls.sort();
    calls
}

fn status_json(office: &Office) -> serde_json::Value {
    let run = office.central(&["central", "status", "--json"]).ok();
    let all: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let row = all
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["office"] == OFFICE_ID)
        .cloned();
    row.unwrap_or_else(|| panic!("{OFFICE_ID} is not in central's status: {run:?}"))
}

#[test]
fn a_full_round_trip_delivers_every_record_and_brings_back_the_receipt_and_the_pack() {
    let office = Office::with_calls(300);
    let stick = office.stick("stick");

    let sent = office.sync(&stick).ok();
    assert!(sent.stdout.contains("Made batch 1."), "{sent:?}");
    assert!(
        sent.stdout
            .contains("Wrote 1 batch for central (1); they stay until central's receipt"),
        "{sent:?}"
    );
    assert_eq!(batch_files(&stick).len(), 1);
    assert_eq!(office.office_store().outbox(true).unwrap().len(), 1);

    let received = office.central_sync(&stick).ok();
    assert!(
        received.stdout.contains("office pe-lima batch 1: ")
            && received
                .stdout
                .contains(" new, 0 updated, 0 unchanged, 0 older (ignored), 0 conflicting"),
        "{received:?}"
    );
    assert!(
        received.stdout.contains("Receipt 1 for pe-lima written."),
        "{received:?}"
    );
    assert!(
        received.stdout.contains("Pack 1 for pe-lima written."),
        "{received:?}"
    );
    assert_eq!(finished(&to_office(&stick), "r-").len(), 1);
    assert_eq!(finished(&to_office(&stick), "p-").len(), 1);

    let back = office.sync(&stick).ok();
    assert!(
        back.stdout.contains("Applied central's receipt 1."),
        "{back:?}"
    );
    assert!(
        back.stdout.contains("Applied reference pack 1."),
        "{back:?}"
    );
    assert!(
        back.stdout
            .contains("Nothing waits for central: every batch has its receipt."),
        "{back:?}"
    );
    assert!(!back.stdout.contains("Made batch"), "{back:?}");

    // Central has every record, at the version the office has.
    let office_store = office.office_store();
    let central = office.central_store();
    assert_eq!(office_store.call_count().unwrap(), 300);
    assert_eq!(central.call_count().unwrap(), 300);
    assert_eq!(call_versions(&central), call_versions(&office_store));
    assert!(
        !central
            .list_referrals(&ReferralFilter::default(), 1000)
            .unwrap()
            .is_empty(),
        "the demo's referrals reached central"
    );
    drop(central);
    assert_central_has_everything(&office);

    // The office knows its batch arrived; the stick keeps nothing anyone still needs.
    assert!(office_store.outbox(true).unwrap().is_empty());
    let all = office_store.outbox(false).unwrap();
    assert_eq!(all.len(), 1);
    assert!(all[0].acknowledged);
    assert_eq!(office_store.inbox_version("receipt").unwrap(), 1);
    assert_eq!(office_store.inbox_version("pack").unwrap(), 1);
    assert!(
        batch_files(&stick).is_empty(),
        "the delivered batch was taken off the stick"
    );
    assert!(
        finished(&to_office(&stick), "").is_empty(),
        "applied mail was taken off the stick"
    );
}

#[test]
fn a_second_sync_on_both_sides_changes_nothing() {
    let office = Office::with_calls(40);
    let stick = office.stick("stick");
    office.sync(&stick).ok();
    office.central_sync(&stick).ok();
    let central_before = office.central_digest();

    // Central sees the same batch again before the office came back: nothing to do, and
    // the receipt keeps its version.
    let again = office.central_sync(&stick).ok();
    assert!(
        again
            .stdout
            .contains("office pe-lima batch 1: already imported: nothing to do"),
        "{again:?}"
    );
    assert!(
        again.stdout.contains("Receipt 1 for pe-lima written."),
        "{again:?}"
    );
    assert!(
        again.stdout.contains("Pack 1 for pe-lima written."),
        "{again:?}"
    );
    assert_eq!(office.central_digest(), central_before);

    office.sync(&stick).ok();
    let office_tables = [
        "calls",
        "cases",
        "people",
        "referrals",
        "referral_status",
        "outbox",
        "inbox",
    ];
    let office_before = table_digest(&office.raw_db(), &office_tables);

    // Both sides once more: no batch, no import, the same receipt and pack versions.
    let central_again = office.central_sync(&stick).ok();
    assert!(!central_again.stdout.contains("batch"), "{central_again:?}");
    assert!(
        central_again
            .stdout
            .contains("Receipt 1 for pe-lima written.")
            && central_again.stdout.contains("Pack 1 for pe-lima written."),
        "{central_again:?}"
    );
    let office_again = office.sync(&stick).ok();
    assert!(
        !office_again.stdout.contains("Made batch"),
        "{office_again:?}"
    );
    assert!(!office_again.stdout.contains("Applied"), "{office_again:?}");
    assert!(
        office_again.stdout.contains("Nothing waits for central"),
        "{office_again:?}"
    );
    assert!(batch_files(&stick).is_empty());
    assert_eq!(office.central_digest(), central_before);
    assert_eq!(
        table_digest(&office.raw_db(), &office_tables),
        office_before
    );
    assert_eq!(office.office_store().outbox(false).unwrap().len(), 1);
}

#[test]
fn a_lost_stick_is_healed_by_the_next_sync() {
    let office = Office::with_calls(40);
    let lost = office.stick("lost");
    office.sync(&lost).ok();
    assert_eq!(batch_files(&lost).len(), 1);
    fs::remove_dir_all(&lost).unwrap();

    // The next sync writes the batch again: it has no receipt.
    let stick = office.stick("stick");
    let again = office.sync(&stick).ok();
    assert!(!again.stdout.contains("Made batch"), "{again:?}");
    assert!(
        again.stdout.contains("Wrote 1 batch for central (1)"),
        "{again:?}"
    );
    let imported = office.central_sync(&stick).ok();
    assert!(
        imported.stdout.contains("office pe-lima batch 1: "),
        "{imported:?}"
    );
    let back = office.sync(&stick).ok();
    assert!(
        back.stdout.contains("Applied central's receipt 1."),
        "{back:?}"
    );
    assert!(office.office_store().outbox(true).unwrap().is_empty());
    assert_eq!(office.central_store().call_count().unwrap(), 40);
    assert_central_has_everything(&office);
}

#[test]
fn new_calls_after_a_round_trip_travel_in_batch_2_chained_to_batch_1() {
    let office = Office::with_calls(40);
    let stick = office.stick("stick");
    office.round_trip(&stick);
    office.add_calls(25, 99);

    let sent = office.sync(&stick).ok();
    assert!(sent.stdout.contains("Made batch 2."), "{sent:?}");
    assert!(
        sent.stdout.contains("Wrote 1 batch for central (2)"),
        "{sent:?}"
    );
    let forge = Forge::new(&office);
    let files = batch_files(&stick);
    assert_eq!(
        files.len(),
        1,
        "only the batch without a receipt is on the stick"
    );
    let (manifest, _) = forge.open(&files[0]);
    let outbox = office.office_store().outbox(false).unwrap();
    assert_eq!(manifest.seq, 2);
    assert_eq!(manifest.prev_manifest, outbox[0].manifest_hash);
    assert_eq!(manifest.highest_receipt, 1);

    let imported = office.central_sync(&stick).ok();
    assert!(
        imported.stdout.contains("office pe-lima batch 2: "),
        "{imported:?}"
    );
    assert!(
        imported.stdout.contains("Receipt 2 for pe-lima written."),
        "{imported:?}"
    );
    let status = status_json(&office);
    assert_eq!(status["last_batch"], 2, "{status}");
    assert_eq!(status["missing"], serde_json::json!([]), "{status}");
    assert_eq!(status["alerts"], serde_json::json!([]), "{status}");

    let back = office.sync(&stick).ok();
    assert!(
        back.stdout.contains("Applied central's receipt 2."),
        "{back:?}"
    );
    assert!(office.office_store().outbox(true).unwrap().is_empty());
    assert_eq!(office.central_store().call_count().unwrap(), 65);
    assert_central_has_everything(&office);
}

#[test]
fn an_outcome_recorded_at_central_reaches_the_referral_history_at_the_office() {
    let office = Office::with_calls(300);
    let stick = office.stick("stick");
    office.round_trip(&stick);
    let referral = office
        .central_store()
        .list_referrals(&ReferralFilter::default(), 10)
        .unwrap()
        .into_iter()
        .next()
        .expect("the demo office made referrals");
    let id = referral.meta.id.to_string();
    let note = "Aceptada por la fiscalía, expediente 123 (prueba)";

    let recorded = office
        .central(&["central", "outcome", &id, "ACCEPTED", "--note", note])
        .ok();
    assert!(
        recorded.stdout.contains("Recorded ACCEPTED"),
        "{recorded:?}"
    );
    let sent = office.central_sync(&stick).ok();
    assert!(
        sent.stdout.contains("Pack 2 for pe-lima written."),
        "{sent:?}"
    );

    let back = office.sync(&stick).ok();
    assert!(
        back.stdout.contains("Applied reference pack 2."),
        "{back:?}"
    );
    assert!(
        back.stdout
            .contains("1 referral outcomes from central added to their history."),
        "{back:?}"
    );
    let at_office = office.office_store().referral(referral.meta.id).unwrap();
    let last = at_office.history.last().unwrap();
    assert_eq!(last.status, "ACCEPTED");
    assert_eq!(last.note, note);
    assert!(last.author.starts_with("central:"), "{last:?}");

    // Another round trip neither repeats it at the office nor loses it at central.
    office.round_trip(&stick);
    office.round_trip(&stick);
    let at_office = office.office_store().referral(referral.meta.id).unwrap();
    let from_central = |r: &linea::model::Referral| {
        r.history
            .iter()
            .filter(|c| c.author.starts_with("central:") && c.status == "ACCEPTED")
            .count()
    };
    assert_eq!(from_central(&at_office), 1, "{:?}", at_office.history);
    let at_central = office.central_store().referral(referral.meta.id).unwrap();
    assert_eq!(at_central.meta.version, at_office.meta.version);
    assert_eq!(from_central(&at_central), 1, "{:?}", at_central.history);
}

#[test]
fn a_dry_run_import_shows_the_counts_and_writes_nothing() {
    let office = Office::with_calls(60);
    let stick = office.stick("stick");
    office.sync(&stick).ok();
    let file = batch_files(&stick).remove(0);
    let (manifest, _) = Forge::new(&office).open(&file);
    let before = office.central_digest();

    let dry = office
        .central(&["central", "import", "--dry-run", file.to_str().unwrap()])
        .ok();
    let counts = format!(
        "office pe-lima batch 1: {} new, 0 updated, 0 unchanged, 0 older (ignored), 0 conflicting",
        manifest.record_count
    );
    assert!(dry.stdout.contains(&counts), "{counts}: {dry:?}");
    assert!(
        dry.stdout.contains("Dry run: nothing was written."),
        "{dry:?}"
    );
    assert_eq!(office.central_digest(), before);
    assert!(status_json(&office)["last_batch"].is_null());

    // The real import does what the preview said.
    let real = office.import(&file).ok();
    assert!(real.stdout.contains(&counts), "{real:?}");
    assert_ne!(office.central_digest(), before);
    assert_eq!(status_json(&office)["last_batch"], 1);
}

/// A dry run over several files previews them as one run: batch 2 (updating a referral of
/// batch 1) sees batch 1 as imported, and nothing is written.
#[test]
fn a_dry_run_of_chained_batches_previews_what_the_import_will_do() {
    let office = Office::with_calls(300);
    let forge = Forge::new(&office);
    let first = office.batch_file(&forge, 1);
    {
        let mut store = office.office_store();
        let referral = store
            .list_referrals(&ReferralFilter::default(), 1)
            .unwrap()
            .remove(0);
        store
            .set_referral_status(referral.meta.id, "ACKNOWLEDGED", "recibida")
            .unwrap();
    }
    let second = office.batch_file(&forge, 2);
    let before = office.central_digest();
    let dry = office
        .central(&[
            "central",
            "import",
            "--dry-run",
            first.to_str().unwrap(),
            second.to_str().unwrap(),
        ])
        .ok();
    assert!(
        dry.stdout
            .contains("office pe-lima batch 2: 0 new, 1 updated"),
        "{dry:?}"
    );
    assert_eq!(office.central_digest(), before);
}

#[test]
fn central_status_lists_the_last_batch_and_the_missing_numbers_after_a_gap() {
    let office = Office::with_calls(20);
    let forge = Forge::new(&office);
    let first = office.batch_file(&forge, 1);
    office.add_calls(5, 21);
    office.batch_file(&forge, 2);
    office.add_calls(5, 22);
    let third = office.batch_file(&forge, 3);

    office.import(&first).ok();
    let gap = office.import(&third).ok();
    assert!(
        gap.stdout.contains("still missing from pe-lima: batch 2"),
        "{gap:?}"
    );
    let status = status_json(&office);
    assert_eq!(status["last_batch"], 3, "{status}");
    assert_eq!(
        status["missing"],
        serde_json::json!([{"first": 2, "last": 2}]),
        "{status}"
    );
    let table = office.central(&["central", "status"]).ok();
    let row = table
        .stdout
        .lines()
        .find(|l| l.starts_with(OFFICE_ID))
        .unwrap_or_else(|| panic!("{table:?}"));
    let columns: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(columns[1], "3", "last batch: {row}");
    assert_eq!(columns[4], "2", "missing: {row}");
}

/// The row of `linea central offices` (or `status`) for the demo office.
fn office_row(run: &common::Run) -> String {
    run.stdout
        .lines()
        .find(|l| l.starts_with(OFFICE_ID))
        .unwrap_or_else(|| panic!("no row for {OFFICE_ID}: {run:?}"))
        .to_owned()
}

#[test]
fn a_revoked_office_is_refused_shown_as_revoked_and_registers_again_with_a_new_key() {
    let office = Office::with_calls(20);
    let forge = Forge::new(&office);
    let old_batch = office.batch_file(&forge, 1);
    office.import(&old_batch).ok();
    office.add_calls(5, 31);
    let old_second = office.batch_file(&forge, 2);
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();

    let revoked = office
        .central(&["central", "offices", "revoke", OFFICE_ID])
        .ok();
    assert!(
        revoked.stdout.contains(&format!(
            "Revoked the key of office pe-lima on {today}: its batches are refused from now on"
        )),
        "{revoked:?}"
    );
    let line = assert_refused(office.import(&old_second), &old_second, &["signer"]);
    assert!(
        line.contains(&format!("office pe-lima's key was revoked on {today}")),
        "{line}"
    );
    let again = office
        .central(&["central", "offices", "revoke", OFFICE_ID])
        .fails(1);
    assert!(again.contains("already revoked"), "{again}");

    // Shown as revoked, and no longer counted as overdue.
    let offices = office.central(&["central", "offices"]).ok();
    assert!(
        office_row(&offices).ends_with(&format!("revoked {today}")),
        "{offices:?}"
    );
    let status = status_json(&office);
    assert!(
        status["revoked_at"].as_str().unwrap().starts_with(&today),
        "{status}"
    );
    assert_eq!(status["overdue"], false, "{status}");
    let table = office.central(&["central", "status"]).ok();
    assert!(
        office_row(&table).ends_with(&format!("REVOKED {today}")),
        "{table:?}"
    );

    // Central's sync leaves the revoked office nothing.
    let stick = office.stick("stick");
    office.sync(&stick).ok();
    assert_eq!(office.central_sync(&stick).code, 1);
    assert!(finished(&to_office(&stick), "").is_empty());

    // The old enrollment cannot bring the revoked key back, and a new key needs a new kit.
    let demo = office.root.path().join("demo");
    let old_enrollment = demo.join("office-enrollment.json");
    let line = office.register(&old_enrollment).fails(1);
    assert!(line.contains("key revoked on"), "{line}");
    let passphrase = linea::keys::Passphrase::new(PASSPHRASE.into());
    let install = |name: &str, kit: &Path| {
        let dir = office.root.path().join(name);
        let enrollment = office.root.path().join(format!("{name}-enrollment.json"));
        let central = linea::exchange::enrollment::OfficeKit::read(kit)
            .unwrap()
            .fingerprint();
        linea::exchange::enrollment::init_office(
            &dir,
            kit,
            &central,
            "rosa",
            &passphrase,
            FAST_WORK_FACTOR,
            &enrollment,
        )
        .unwrap();
        (dir, enrollment)
    };
    let (_, from_old_kit) = install("from-old-kit", &demo.join("office-kit.json"));
    let line = office.register(&from_old_kit).fails(1);
    assert!(line.contains("enroll it again first"), "{line}");

    // Enrolled again, set up again, registered again: its new batch 1 is imported.
    let kit = office.root.path().join("new-kit.json");
    office
        .central(&[
            "central",
            "enroll",
            "--office",
            OFFICE_ID,
            "--name",
            "Oficina Lima",
            "--out",
            kit.to_str().unwrap(),
        ])
        .ok();
    let (new_dir, enrollment) = install("reinstalled", &kit);
    let registered = office.register(&enrollment).ok();
    assert!(
        registered.stdout.contains("Registered office"),
        "{registered:?}"
    );
    {
        let mut store = OfficeStore::open(&new_dir, "rosa", &passphrase).unwrap();
        linea::demo::fill(&mut store, 5, 3).unwrap();
    }
    let new_stick = office.stick("new-stick");
    let sync_new = || {
        run_linea(
            &[
                "--store",
                new_dir.to_str().unwrap(),
                "--operator",
                "rosa",
                "sync",
                new_stick.to_str().unwrap(),
            ],
            "",
            &[],
        )
        .ok()
    };
    sync_new();
    let imported = office.central_sync(&new_stick).ok();
    assert!(
        imported.stdout.contains("office pe-lima batch 1: ")
            && !imported.stdout.contains("still missing"),
        "{imported:?}"
    );
    let back = sync_new();
    assert!(
        back.stdout.contains("Applied central's receipt")
            && back.stdout.contains("Nothing waits for central"),
        "{back:?}"
    );
    let status = status_json(&office);
    assert!(status["revoked_at"].is_null(), "{status}");
    assert_eq!(status["last_batch"], 1, "{status}");
    // Its new audit chain, shorter than the old one, starts afresh.
    let table = office.central(&["central", "status"]).ok();
    assert!(
        !table.stdout.lines().any(|l| l.starts_with("ALERT ")),
        "{table:?}"
    );
    assert_eq!(status["missing"], serde_json::json!([]), "{status}");
    let offices = office.central(&["central", "offices"]).ok();
    assert!(office_row(&offices).ends_with("registered"), "{offices:?}");

    // What the revoked key signed stays refused.
    let line = assert_refused(office.import(&old_second), &old_second, &["signer"]);
    assert!(line.contains(&format!("revoked on {today}")), "{line}");
}

#[test]
fn a_batch_decrypts_with_the_standard_age_command_and_centrals_exported_identity() {
    tool("age");
    let office = Office::with_calls(30);
    let stick = office.stick("stick");
    office.sync(&stick).ok();
    let file = batch_files(&stick).remove(0);
    let identity = office.root.path().join("central-import-identity.txt");
    let exported = office
        .central(&[
            "central",
            "identity",
            "export",
            "--out",
            identity.to_str().unwrap(),
        ])
        .ok();
    assert!(
        exported
            .stdout
            .contains("CENTRAL'S IMPORT IDENTITY WRITTEN TO"),
        "{exported:?}"
    );

    let output = tool("age")
        .arg("-d")
        .arg("-i")
        .arg(&identity)
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "age -d -i failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stdout.starts_with(b"linea-batch/1 "),
        "the plaintext starts with the batch header"
    );
    let plaintext = output.stdout.len();
    assert_eq!(
        linea::exchange::batch::padme(plaintext),
        plaintext,
        "padded to a Padmé length"
    );

    // Without central's identity, age cannot read it.
    let stranger = office.root.path().join("stranger.txt");
    fs::write(
        &stranger,
        &*linea::keys::AgeIdentity::generate().to_file_text(&[]),
    )
    .unwrap();
    let output = tool("age")
        .arg("-d")
        .arg("-i")
        .arg(&stranger)
        .arg(&file)
        .output()
        .unwrap();
    assert!(!output.status.success());
}

#[test]
fn an_unpacked_batch_verifies_with_the_standard_minisign_command_and_the_office_key() {
    tool("minisign");
    let office = Office::with_calls(30);
    let stick = office.stick("stick");
    office.sync(&stick).ok();
    let file = batch_files(&stick).remove(0);
    let out = office.root.path().join("unpacked");
    let unpacked = office
        .central(&[
            "central",
            "unpack",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .ok();
    let key = unpacked
        .stdout
        .lines()
        .find_map(|l| l.split(" -P ").nth(1))
        .unwrap_or_else(|| panic!("unpack prints the office key: {unpacked:?}"))
        .trim()
        .to_owned();
    assert_eq!(
        Some(key.clone()),
        office.central_store().office_key(OFFICE_ID).unwrap(),
        "the key printed is the one central pinned"
    );
    let payload = out.join("payload");
    assert!(out.join("payload.minisig").exists());

    let verify = || {
        tool("minisign")
            .arg("-V")
            .arg("-m")
            .arg(&payload)
            .arg("-P")
            .arg(&key)
            .output()
            .unwrap()
    };
    let output = verify();
    assert!(
        output.status.success(),
        "minisign -V: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let shown = String::from_utf8_lossy(&output.stdout);
    assert!(
        shown.contains("linea batch office=pe-lima seq=1 recipient="),
        "minisign shows the trusted comment: {shown}"
    );

    // One byte changed in the payload, and minisign refuses it.
    let mut bytes = fs::read(&payload).unwrap();
    let last = bytes.len() - 3;
    bytes[last] ^= 0x01;
    fs::write(&payload, bytes).unwrap();
    assert!(
        !verify().status.success(),
        "an altered payload must not verify"
    );
}

/// A small xorshift: random enough for delays, and its seed is printed for a rerun.
struct Random(u64);

impl Random {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// `linea --store OFFICE --operator ana sync DIR` as a child to kill.
fn spawn_sync(office: &Office, stick: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_linea"))
        .args([
            "--store",
            office.dir().to_str().unwrap(),
            "--operator",
            "ana",
            "sync",
            stick.to_str().unwrap(),
        ])
        .env_remove("LINEA_STORE")
        .env_remove("LINEA_OPERATOR")
        .env("LINEA_PASSPHRASE", PASSPHRASE)
        .env("LINEA_TEST_KDF_WORK_FACTOR", FAST_WORK_FACTOR.to_string())
        .env("LANG", "en_US.UTF-8")
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run linea sync")
}

#[test]
fn kill_9_during_an_office_sync_leaves_whole_batches_a_sound_store_and_a_sync_that_completes() {
    let seed = std::env::var("LINEA_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    eprintln!("kill -9 loop: LINEA_KILL_SEED={seed}");
    let mut random = Random(seed);
    let office = Office::with_calls(1500);
    let stick = office.stick("stick");
    let central = office.central_store();
    let mut checked = HashSet::new();
    let started = Instant::now();
    let mut killed_mid_sync = 0;
    let mut estimate = Duration::from_millis(300);
    for round in 0..20u64 {
        if round > 0 {
            office.add_calls(40, 1000 + round);
        }
        if round % 5 == 4 {
            // Central's receipts and packs are on the stick when the next sync is cut short.
            office.central_sync(&stick).ok();
        }
        // A delay of 0 to 300 ms, within how long the last whole sync took, so that most
        // kills land somewhere inside a sync whatever the machine's speed.
        let delay = Duration::from_micros(random.below(estimate.as_micros() as u64 + 1));
        let started_sync = Instant::now();
        let mut child = spawn_sync(&office, &stick);
        loop {
            if child.try_wait().unwrap().is_some() {
                estimate = started_sync
                    .elapsed()
                    .clamp(Duration::from_millis(5), Duration::from_millis(300));
                break;
            }
            if started_sync.elapsed() >= delay {
                killed_mid_sync += 1;
                break;
            }
            std::thread::sleep(Duration::from_micros(500));
        }
        child.kill().unwrap();
        child.wait().unwrap();

        // The stick holds whole batches only: each finished one decrypts and verifies.
        for file in batch_files(&stick) {
            if !checked.insert(file.clone()) {
                continue;
            }
            let bytes = fs::read(&file).unwrap();
            if let Err(e) = open_and_check(&central, &bytes) {
                panic!(
                    "round {round}, killed after {delay:?} (seed {seed}): {} is not a whole batch: {e}",
                    file.display()
                );
            }
        }
        // The store opens, and SQLite, SQLCipher and the audit chain find nothing wrong.
        let store = office.office_store();
        let problems = store.integrity_problems().unwrap();
        assert!(
            problems.is_empty(),
            "round {round}, killed after {delay:?} (seed {seed}): {problems:?}"
        );
        assert!(
            store.verify_audit().unwrap().is_ok(),
            "round {round} (seed {seed}): the audit chain broke"
        );
    }
    drop(central);
    eprintln!(
        "kill -9 loop: {killed_mid_sync} of 20 syncs killed while running, {:?}",
        started.elapsed()
    );
    let leftovers = fs::read_dir(stick.join("linea").join("to-central"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp")
        })
        .count();
    eprintln!("kill -9 loop: {leftovers} temporary file(s) left on the stick by killed syncs");
    assert!(
        killed_mid_sync >= 5,
        "too few syncs were cut short to prove anything (seed {seed})"
    );

    // An uninterrupted sync delivers everything.
    office.sync(&stick).ok();
    office.central_sync(&stick).ok();
    office.sync(&stick).ok();
    let office_store = office.office_store();
    assert!(office_store.outbox(true).unwrap().is_empty());
    assert_eq!(
        office.central_store().call_count().unwrap(),
        office_store.call_count().unwrap()
    );
    assert_central_has_everything(&office);
}
