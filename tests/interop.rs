//! Standard tools read what linea writes: the Debian `age` and `minisign` commands, and
//! SQLCipher 4 given the raw key. `age` asks for a passphrase only on a terminal, so it runs
//! under `script`, which gives it one.

mod common;

use std::fs;
use std::path::Path;
use std::process::Stdio;

use common::{Office, tool};
use std::io::Write;

/// Runs `age -d` on a passphrase-encrypted file through a pseudo-terminal.
fn age_decrypt_with_passphrase(file: &Path, out: &Path, passphrase: &str) {
    assert!(
        age_opens_with_passphrase(file, out, passphrase),
        "age -d failed on {}",
        file.display()
    );
}

/// Whether `age -d` opens a passphrase-encrypted file, through a pseudo-terminal.
fn age_opens_with_passphrase(file: &Path, out: &Path, passphrase: &str) -> bool {
    tool("age");
    let mut child = tool("script")
        .arg("-qec")
        .arg(format!(
            "age -d -o '{}' '{}'",
            out.display(),
            file.display()
        ))
        .arg("/dev/null")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{passphrase}\n").as_bytes())
        .unwrap();
    child.wait().unwrap().success()
}

fn age_decrypt_with_identity(file: &Path, identity: &Path) -> String {
    let output = tool("age")
        .arg("-d")
        .arg("-i")
        .arg(identity)
        .arg(file)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "age -d -i failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn an_operator_slot_opens_with_age_and_the_passphrase_and_leads_to_the_database() {
    let office = Office::with_calls(5);
    let slot = office.dir().join("keys/operators/ana.age");
    let identity = office.root.path().join("ana-identity.txt");
    age_decrypt_with_passphrase(&slot, &identity, common::PASSPHRASE);
    let text = fs::read_to_string(&identity).unwrap();
    assert!(
        text.contains("AGE-SECRET-KEY-1"),
        "the slot holds an age identity"
    );

    let key_hex = age_decrypt_with_identity(&office.dir().join("keys/store.key.age"), &identity);
    assert_eq!(key_hex.trim().len(), 64);
    // SQLCipher 4 opens the database with that raw key.
    let conn = rusqlite::Connection::open(office.dir().join("linea.db")).unwrap();
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\"", key_hex.trim()))
        .unwrap();
    let calls: i64 = conn
        .query_row("SELECT count(*) FROM calls", [], |r| r.get(0))
        .unwrap();
    assert_eq!(calls, 5);
}

/// The panic wipe: the standard `age` with the operator's passphrase opens no slot any
/// more, linea refuses every passphrase, and central's recovery identity brings back every
/// record.
#[test]
fn after_a_wipe_the_passphrase_opens_nothing_and_recovery_restores_every_call() {
    let office = Office::with_calls(7);
    let slot = office.dir().join("keys/operators/ana.age");
    let identity = office.root.path().join("ana-identity.txt");
    assert!(age_opens_with_passphrase(
        &slot,
        &identity,
        common::PASSPHRASE
    ));

    let run = office.run(&["wipe", "--yes"]).ok();
    assert_eq!(run.stdout, "", "a wipe says nothing");
    let wiped = office.root.path().join("after-wipe.txt");
    assert!(!age_opens_with_passphrase(
        &slot,
        &wiped,
        common::PASSPHRASE
    ));
    let line = office.run(&["call", "list"]).fails(1);
    assert!(line.contains("wrong passphrase"), "{line}");

    assert_eq!(office.recover_and_count_calls(), 7);
}

/// A wipe asks first: a script that does not say --yes wipes nothing.
#[test]
fn a_wipe_without_yes_outside_a_terminal_wipes_nothing() {
    let office = Office::with_calls(1);
    let line = office.run(&["wipe"]).fails(2);
    assert!(line.contains("--yes"), "{line}");
    office.run(&["call", "list"]).ok();
}

#[test]
fn central_recovery_identity_opens_the_store_key_with_age() {
    let office = Office::new();
    let key_hex = age_decrypt_with_identity(
        &office.dir().join("keys/store.key.age"),
        &office.recovery_file(),
    );
    assert_eq!(key_hex.trim(), *office.store_key().reveal_hex());
}

#[test]
fn an_enrollment_signature_verifies_with_minisign() {
    let office = Office::new();
    let enrollment = office.root.path().join("demo/office-enrollment.json");
    let envelope: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(enrollment).unwrap()).unwrap();
    let payload = envelope["payload"].as_str().unwrap();
    let dir = office.root.path();
    fs::write(dir.join("payload.json"), payload).unwrap();
    fs::write(
        dir.join("payload.json.minisig"),
        envelope["signature"].as_str().unwrap(),
    )
    .unwrap();
    let inner: serde_json::Value = serde_json::from_str(payload).unwrap();
    let public_key = inner["office_signing_key"].as_str().unwrap();
    let output = tool("minisign")
        .arg("-V")
        .arg("-m")
        .arg(dir.join("payload.json"))
        .arg("-P")
        .arg(public_key)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "minisign -V: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("linea enrollment"));

    fs::write(
        dir.join("payload.json"),
        payload.replace("pe-lima", "pe-puno"),
    )
    .unwrap();
    let output = tool("minisign")
        .arg("-V")
        .arg("-m")
        .arg(dir.join("payload.json"))
        .arg("-P")
        .arg(public_key)
        .output()
        .unwrap();
    assert!(
        !output.status.success(),
        "an altered payload must not verify"
    );
}
