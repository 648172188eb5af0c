//! Every hostile case of EXCHANGE.md, each its own test, through the real binary: the file is
//! refused with exit status 1 and one line naming it and the rule it broke, and central's
//! records and bookkeeping are unchanged (a digest of its logical contents, read through a raw
//! SQLCipher connection, before and after). Hostile batches are made with the exchange's own
//! building blocks and the office's real key where the case calls for it, so each refusal is
//! for the rule under test and nothing else. Receipts and packs are refused at the office the
//! same way, and it keeps what it had.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use common::Office;
use common::exchange::{
    CENTRAL_OPERATOR, Forge, OFFICE_ID, assemble, assert_refused, batch_files, entries, finished,
    linea_within, listing, manifest_hash, refused_dir, set_aside, signed_bytes, signing_key_of,
    table_digest, to_central, to_office,
};
use linea::exchange::batch::{self, MAX_FILE, MAX_LINE, MAX_RECORDS, Manifest};
use linea::exchange::mail::{Mail, Receipt};
use linea::exchange::pack::Pack;
use linea::keys::{AgeIdentity, SigningKey};
use linea::model::{Outcome, Record};

/// A demo office with `calls` calls that has made its first batch; a copy of it is kept.
fn setup(calls: u32) -> (Office, Forge, PathBuf) {
    let office = Office::with_calls(calls);
    let forge = Forge::new(&office);
    let file = office.batch_file(&forge, 1);
    (office, forge, file)
}

/// `central import FILE` must refuse the file for one of `rules` and change nothing.
fn import_refused(office: &Office, file: &Path, rules: &[&str]) -> String {
    let before = office.central_digest();
    let line = assert_refused(office.import(file), file, rules);
    assert_eq!(
        office.central_digest(),
        before,
        "central's records changed although the file was refused: {line}"
    );
    line
}

fn alerts(office: &Office) -> Vec<String> {
    let run = office.central(&["central", "status", "--json"]).ok();
    let all: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    all.as_array()
        .unwrap()
        .iter()
        .find(|o| o["office"] == OFFICE_ID)
        .unwrap()["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_owned())
        .collect()
}

fn missing(office: &Office) -> serde_json::Value {
    let run = office.central(&["central", "status", "--json"]).ok();
    let all: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    all.as_array()
        .unwrap()
        .iter()
        .find(|o| o["office"] == OFFICE_ID)
        .unwrap()["missing"]
        .clone()
}

/// `central status` shows an ALERT line for the office about `kind`.
fn assert_alert(office: &Office, kind: &str) {
    let status = office.central(&["central", "status"]).ok();
    assert!(
        status
            .stdout
            .lines()
            .any(|l| l.starts_with(&format!("ALERT {OFFICE_ID}:")) && l.contains(kind)),
        "central status shows no {kind} alert: {status:?}"
    );
}

/// Where an age file's binary payload begins: after the header's `--- MAC` line. The payload
/// is a 16-byte nonce, then chunks of 64 KiB of plaintext and a 16-byte tag each.
fn age_header_len(bytes: &[u8]) -> usize {
    let mac = bytes
        .windows(5)
        .position(|w| w == b"\n--- ")
        .expect("an age header")
        + 1;
    mac + bytes[mac..].iter().position(|b| *b == b'\n').unwrap() + 1
}

const AGE_CHUNK: usize = 64 * 1024 + 16;

#[test]
fn bytes_flipped_anywhere_in_a_batch_are_refused() {
    let (office, forge, file) = setup(20);
    let bytes = fs::read(&file).unwrap();
    let header = age_header_len(&bytes);
    let len = bytes.len();
    let header_rules: &[&str] = &["format", "integrity", "recipient"];
    let cases: Vec<(&str, usize, &[&str])> = vec![
        ("the age magic", 0, &["format"]),
        ("the recipient stanza", 30, header_rules),
        ("the stanza's wrapped key", header - 60, header_rules),
        ("the header's MAC", header - 6, header_rules),
        ("the payload nonce", header + 3, &["integrity"]),
        ("the first chunk", header + 16 + 40, &["integrity"]),
        ("the middle", len / 2, &["integrity"]),
        ("the last chunk's tag", len - 10, &["integrity"]),
        ("the last byte", len - 1, &["integrity"]),
    ];
    for (what, offset, rules) in cases {
        let mut altered = bytes.clone();
        altered[offset] ^= 0x04;
        let path = forge.write(&format!("flipped-at-{offset}.age"), &altered);
        let line = import_refused(&office, &path, rules);
        eprintln!("{what} ({offset}): {line}");
    }
    // The file itself was good.
    office.import(&file).ok();
}

/// Random letters and spaces: notes that do not compress much.
fn random_notes(state: &mut u64, len: usize) -> String {
    (0..len)
        .map(|_| {
            *state ^= *state << 13;
            *state ^= *state >> 7;
            *state ^= *state << 17;
            match *state % 28 {
                26 | 27 => ' ',
                n => (b'a' + n as u8) as char,
            }
        })
        .collect()
}

#[test]
fn a_batch_cut_at_or_around_any_64_kib_boundary_is_refused_never_half_imported() {
    let office = Office::new();
    {
        let mut store = office.office_store();
        let mut fields = linea::demo::SyntheticCalls::new(300, 11).next_chunk(300);
        let mut state = 0x9E37_79B9_7F4A_7C15;
        for call in &mut fields {
            call.notes = random_notes(&mut state, 900);
        }
        store.add_calls(fields).unwrap();
    }
    let forge = Forge::new(&office);
    let file = office.batch_file(&forge, 1);
    let bytes = fs::read(&file).unwrap();
    let len = bytes.len();
    assert!(
        len > 128 * 1024,
        "the batch must span several 64 KiB chunks: {len} bytes"
    );
    let header = age_header_len(&bytes);

    let mut cuts = BTreeSet::from([0, 1, header, header + 16, len - 16, len - 1]);
    // Around every 64 KiB of the file, and around every boundary of age's 64 KiB chunks,
    // where a cut leaves whole chunks that decrypt before the missing end is noticed.
    for k in 1..=len / 65536 {
        for boundary in [k * 65536, header + 16 + k * AGE_CHUNK] {
            for cut in [boundary - 1, boundary, boundary + 1] {
                if cut < len {
                    cuts.insert(cut);
                }
            }
        }
    }
    for cut in &cuts {
        let path = forge.write(&format!("cut-at-{cut}.age"), &bytes[..*cut]);
        import_refused(&office, &path, &["integrity", "format"]);
    }
    eprintln!("{} cuts of a {len}-byte batch refused", cuts.len());

    // Whole, it imports: every call arrives.
    let whole = office.import(&file).ok();
    assert!(whole.stdout.contains(" 300 new,"), "{whole:?}");
}

#[test]
fn a_batch_signed_by_another_key_for_a_registered_office_is_refused_for_its_signature() {
    let (office, forge, file) = setup(10);
    let (manifest, lines) = forge.open(&file);
    let stranger = SigningKey::generate().unwrap();

    // Honest about the key it was signed with.
    let own_id = Manifest {
        office_key_id: stranger.public().key_id().to_owned(),
        ..manifest.clone()
    };
    let payload = batch::build_payload(&own_id, &lines, &stranger).unwrap().0;
    let path = forge.write("stranger-own-key-id.age", &forge.seal(&payload));
    let line = import_refused(&office, &path, &["signature"]);
    assert!(line.contains("registered key"), "{line}");

    // Claiming the office's key id.
    let payload = batch::build_payload(&manifest, &lines, &stranger)
        .unwrap()
        .0;
    let path = forge.write("stranger-claims-office-key.age", &forge.seal(&payload));
    import_refused(&office, &path, &["signature"]);
    // `central verify` says the same, and so does `central sync`.
    assert_refused(
        office.central(&["central", "verify", path.to_str().unwrap()]),
        &path,
        &["signature"],
    );
}

#[test]
fn a_batch_from_an_office_central_never_registered_is_refused_for_its_signer() {
    let (office, forge, file) = setup(10);
    let (manifest, lines) = forge.open(&file);
    let stranger = SigningKey::generate().unwrap();
    // Enrolled (a kit was issued) but never registered, and never enrolled at all.
    let kit = office.held().join("cusco-kit.json");
    office
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
    for office_id in ["pe-cusco", "pe-tacna"] {
        let claimed = Manifest {
            office_id: office_id.into(),
            office_key_id: stranger.public().key_id().to_owned(),
            ..manifest.clone()
        };
        let payload = batch::build_payload(&claimed, &lines, &stranger).unwrap().0;
        let path = forge.write(&format!("from-{office_id}.age"), &forge.seal(&payload));
        let line = import_refused(&office, &path, &["signer"]);
        assert!(
            line.contains(office_id) && line.contains("not registered"),
            "{line}"
        );
    }
}

#[test]
fn an_unsigned_batch_is_refused() {
    let (office, forge, file) = setup(10);
    let (manifest, lines) = forge.open(&file);
    let path = forge.write(
        "unsigned.age",
        &forge.seal(&assemble(&manifest, "", &lines)),
    );
    let line = import_refused(&office, &path, &["signature"]);
    assert!(line.contains("unsigned"), "{line}");
    // A signature line that is not minisign text.
    let junk = "untrusted comment: x\nnot a signature\ntrusted comment: y\nnot one either\n";
    let path = forge.write(
        "junk-signature.age",
        &forge.seal(&assemble(&manifest, junk, &lines)),
    );
    import_refused(&office, &path, &["signature"]);
}

#[test]
fn a_legacy_minisign_signature_by_the_office_key_is_refused() {
    let (office, forge, file) = setup(10);
    let (manifest, lines) = forge.open(&file);
    let dir = office.held();
    // The standard minisign signs in the legacy (not prehashed) format with `-l`, with the
    // office's own key.
    let key_file = dir.join("office.key");
    let secret = minisign::SecretKey::from_bytes(forge.office_key.reveal_secret_bytes()).unwrap();
    fs::write(&key_file, secret.to_box(None).unwrap().into_string()).unwrap();
    let message = dir.join("signed");
    fs::write(&message, signed_bytes(&manifest, &lines)).unwrap();
    let signature_file = dir.join("signed.minisig");
    let comment = batch::trusted_comment(&manifest, &manifest_hash(&manifest));
    let output = minisign_command()
        .args(["-S", "-l", "-s"])
        .arg(&key_file)
        .arg("-m")
        .arg(&message)
        .arg("-x")
        .arg(&signature_file)
        .arg("-t")
        .arg(&comment)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "minisign -S -l: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let signature = fs::read_to_string(&signature_file).unwrap();
    let parsed = minisign::SignatureBox::from_string(&signature).unwrap();
    assert!(
        !parsed.is_prehashed(),
        "minisign -l made a legacy signature"
    );
    // It is a good legacy signature by the office's key...
    let output = minisign_command()
        .arg("-V")
        .arg("-m")
        .arg(&message)
        .arg("-x")
        .arg(&signature_file)
        .arg("-P")
        .arg(forge.office_key.public().as_base64())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "minisign -V: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    // ...and central refuses the format.
    let path = forge.write(
        "legacy.age",
        &forge.seal(&assemble(&manifest, &signature, &lines)),
    );
    let line = import_refused(&office, &path, &["signature"]);
    assert!(line.contains("legacy"), "{line}");
}

fn minisign_command() -> Command {
    let found = Command::new("sh")
        .arg("-c")
        .arg("command -v minisign")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(
        found,
        "this test needs `minisign`: apt-get install -y minisign"
    );
    Command::new("minisign")
}

#[test]
fn a_batch_encrypted_to_another_key_is_refused_for_its_recipient() {
    let (office, forge, file) = setup(10);
    let (manifest, lines) = forge.open(&file);
    let other = AgeIdentity::generate();
    let sealed = batch::seal(&forge.payload(&manifest, &lines), &[other.recipient()]).unwrap();
    let path = forge.write("for-someone-else.age", &sealed);
    let line = import_refused(&office, &path, &["recipient"]);
    assert!(line.contains("not encrypted to this central"), "{line}");
}

#[test]
fn a_batch_made_for_another_central_and_re_encrypted_to_this_one_is_refused() {
    let (office, forge, file) = setup(10);
    let (manifest, lines) = forge.open(&file);
    let other = AgeIdentity::generate();
    let for_other = Manifest {
        recipient: batch::recipient_fingerprint(&other.recipient()),
        ..manifest
    };
    let path = forge.batch("made-for-another-central.age", &for_other, &lines);
    let line = import_refused(&office, &path, &["recipient"]);
    assert!(line.contains("another central"), "{line}");
}

#[test]
fn a_trusted_comment_that_does_not_match_the_manifest_is_refused() {
    let (office, forge, file) = setup(10);
    let (manifest, lines) = forge.open(&file);
    let hash = manifest_hash(&manifest);
    let comments = [
        // Another sequence number.
        batch::trusted_comment(
            &Manifest {
                seq: 7,
                ..manifest.clone()
            },
            &hash,
        ),
        // Another manifest.
        batch::trusted_comment(&manifest, &"0".repeat(64)),
        "linea batch".to_owned(),
    ];
    for (n, comment) in comments.iter().enumerate() {
        let signature = forge
            .office_key
            .sign(&signed_bytes(&manifest, &lines), comment)
            .unwrap();
        let path = forge.write(
            &format!("comment-{n}.age"),
            &forge.seal(&assemble(&manifest, &signature, &lines)),
        );
        import_refused(&office, &path, &["trusted comment"]);
    }
}

#[test]
fn the_same_file_twice_is_imported_once() {
    let (office, _forge, file) = setup(10);
    office.import(&file).ok();
    let before = office.central_digest();
    let again = office.import(&file).ok();
    assert!(
        again
            .stdout
            .contains("office pe-lima batch 1: already imported: nothing to do"),
        "{again:?}"
    );
    assert_eq!(office.central_digest(), before);
}

#[test]
fn a_re_encryption_of_an_imported_batch_is_imported_once() {
    let (office, forge, first) = setup(10);
    // The office writes the batch again at its next sync (no receipt yet): new bytes.
    let second = office.batch_file(&forge, 1);
    assert_ne!(fs::read(&first).unwrap(), fs::read(&second).unwrap());
    // And anyone holding the payload (kept compressed in the outbox) could seal it again.
    let kept = office.office_store().outbox(false).unwrap()[0]
        .payload
        .clone();
    let payload = zstd::decode_all(&kept[..]).unwrap();
    let third = forge.write("resealed.age", &forge.seal(&payload));

    office.import(&first).ok();
    let before = office.central_digest();
    for file in [&second, &third] {
        let again = office.import(file).ok();
        assert!(
            again.stdout.contains("already imported: nothing to do"),
            "{again:?}"
        );
    }
    assert_eq!(office.central_digest(), before);
}

#[test]
fn two_different_batches_with_one_number_are_a_fork_refused_with_an_alert() {
    let (office, forge, file) = setup(10);
    office.import(&file).ok();
    let (manifest, mut lines) = forge.open(&file);
    lines.pop();
    let forked = forge.batch("fork.age", &listing(&manifest, &lines), &lines);
    assert!(alerts(&office).is_empty());
    let line = import_refused(&office, &forked, &["fork"]);
    assert!(line.contains("two different batches numbered 1"), "{line}");
    assert_alert(&office, "fork");
    assert_eq!(alerts(&office).len(), 1);
}

#[test]
fn a_fork_or_a_broken_chain_left_on_a_stick_raises_its_alert_once() {
    let (office, forge, file) = setup(10);
    office.import(&file).ok();
    let (manifest, mut lines) = forge.open(&file);
    lines.pop();
    let stick = office.stick("stick");
    fs::create_dir_all(to_central(&stick)).unwrap();
    let forked = listing(&manifest, &lines);
    fs::write(
        to_central(&stick).join("b-fork.age"),
        forge.seal(&forge.payload(&forked, &lines)),
    )
    .unwrap();
    let unchained = Manifest {
        seq: 2,
        prev_manifest: "0".repeat(64),
        ..forked.clone()
    };
    fs::write(
        to_central(&stick).join("b-unchained.age"),
        forge.seal(&forge.payload(&unchained, &lines)),
    )
    .unwrap();

    // The first central sync refuses both and sets them aside; the next ones say nothing
    // of them.
    let run = office.central_sync(&stick);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.stderr.lines().count(), 2, "{run:?}");
    assert!(
        run.stderr
            .lines()
            .all(|l| l.ends_with("; set aside in linea/refused/")),
        "{run:?}"
    );
    for name in ["b-fork.age", "b-unchained.age"] {
        assert!(set_aside(&stick, &to_central(&stick).join(name)), "{name}");
    }
    for _ in 0..2 {
        let run = office.central_sync(&stick).ok();
        assert!(run.stderr.is_empty(), "{run:?}");
    }
    // Back on a stick, each raises its alert the first time only.
    for name in ["b-fork.age", "b-unchained.age"] {
        fs::rename(
            refused_dir(&stick).join(name),
            to_central(&stick).join(name),
        )
        .unwrap();
    }
    let run = office.central_sync(&stick);
    assert_eq!(run.stderr.lines().count(), 2, "{run:?}");
    // A new encryption of the same forked batch is the same alert too.
    let resealed = forge.write(
        "fork-resealed.age",
        &forge.seal(&forge.payload(&forked, &lines)),
    );
    import_refused(&office, &resealed, &["fork"]);
    let raised = alerts(&office);
    assert_eq!(raised.len(), 2, "{raised:?}");
    assert!(raised.iter().any(|a| a.contains("fork")), "{raised:?}");
    assert!(raised.iter().any(|a| a.contains("chain")), "{raised:?}");
    let status = office.central(&["central", "status"]).ok();
    let shown = status
        .stdout
        .lines()
        .filter(|l| l.starts_with("ALERT "))
        .count();
    assert_eq!(shown, 2, "{status:?}");

    // Another fork of the same number is another alert.
    lines.pop();
    let other = forge.batch("fork-2.age", &listing(&manifest, &lines), &lines);
    import_refused(&office, &other, &["fork"]);
    assert_eq!(alerts(&office).len(), 3);
}

#[test]
fn a_gap_is_imported_and_listed_then_filled() {
    let office = Office::with_calls(10);
    let forge = Forge::new(&office);
    let first = office.batch_file(&forge, 1);
    office.add_calls(5, 51);
    let second = office.batch_file(&forge, 2);
    office.add_calls(5, 52);
    let third = office.batch_file(&forge, 3);

    office.import(&first).ok();
    let gap = office.import(&third).ok();
    assert!(
        gap.stdout.contains("still missing from pe-lima: batch 2"),
        "{gap:?}"
    );
    assert_eq!(
        missing(&office),
        serde_json::json!([{"first": 2, "last": 2}])
    );
    let filled = office.import(&second).ok();
    assert!(
        filled.stdout.contains("office pe-lima batch 2: "),
        "{filled:?}"
    );
    assert!(!filled.stdout.contains("still missing"), "{filled:?}");
    assert_eq!(missing(&office), serde_json::json!([]));
    assert!(alerts(&office).is_empty());
    assert_eq!(
        office.central_store().call_count().unwrap(),
        office.office_store().call_count().unwrap()
    );
}

/// A referral and a call with a case among a batch's records: records that name others.
fn referral_and_call_with_case(lines: &[String]) -> (uuid::Uuid, uuid::Uuid) {
    let records: Vec<Record> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let referral = records
        .iter()
        .find(|r| matches!(r, Record::Referral { .. }))
        .expect("a referral in the batch");
    let call = records
        .iter()
        .find(|r| matches!(r, Record::Call { fields, .. } if fields.case_id.is_some()))
        .expect("a call with a case in the batch");
    (referral.meta().id, call.meta().id)
}

/// A batch after a gap whose records name records of the missing batch: the office's batch 3
/// as offices made it before a batch carried again what its records name (a call its case),
/// signed with the office's key.
#[test]
fn a_batch_after_a_gap_naming_records_of_the_missing_batch_is_imported_then_filled_in() {
    let office = Office::with_calls(10);
    let forge = Forge::new(&office);
    let first = office.batch_file(&forge, 1);
    office.add_calls(80, 53);
    let second = office.batch_file(&forge, 2);
    let (_, second_lines) = forge.open(&second);
    let (referral, call) = referral_and_call_with_case(&second_lines);
    {
        // Batch 3: the referral of batch 2 moves on, and the call of batch 2 (filed in a case
        // of batch 2) gets a new version.
        let mut store = office.office_store();
        store
            .set_referral_status(referral, "NO_RESPONSE", "sin respuesta")
            .unwrap();
        let current = store.call(call).unwrap();
        let mut fields = current.fields.clone();
        fields.notes = "vuelve a llamar".into();
        store
            .update_call(call, fields, current.meta.version)
            .unwrap();
    }
    let (manifest, lines) = forge.open(&office.batch_file(&forge, 3));
    let changed: Vec<String> = lines
        .into_iter()
        .filter(|line| !second_lines.contains(line))
        .collect();
    assert_eq!(changed.len(), 2, "the call and the referral changed");
    let third = forge.batch("third.age", &listing(&manifest, &changed), &changed);

    office.import(&first).ok();
    let gap = office.import(&third).ok();
    assert!(
        gap.stdout.contains(
            "office pe-lima batch 3: 2 new, 0 updated, 0 unchanged, 0 older (ignored), 0 conflicting"
        ),
        "{gap:?}"
    );
    assert!(
        gap.stdout
            .contains("waiting for the missing batches: 2 records naming records not received yet"),
        "{gap:?}"
    );
    assert!(
        gap.stdout.contains("still missing from pe-lima: batch 2"),
        "{gap:?}"
    );
    assert_eq!(
        missing(&office),
        serde_json::json!([{"first": 2, "last": 2}])
    );
    let status = office.central(&["central", "status"]).ok();
    let row = status
        .stdout
        .lines()
        .find(|l| l.starts_with(OFFICE_ID))
        .unwrap_or_else(|| panic!("{status:?}"));
    assert_eq!(row.split_whitespace().nth(4), Some("2"), "missing: {row}");

    // The missing batch fills in: its older versions of the two records are ignored.
    let filled = office.import(&second).ok();
    assert!(
        filled.stdout.contains("office pe-lima batch 2: ")
            && filled.stdout.contains(" 2 older (ignored), 0 conflicting"),
        "{filled:?}"
    );
    assert!(!filled.stdout.contains("still missing"), "{filled:?}");
    assert!(!filled.stdout.contains("not received yet"), "{filled:?}");
    assert_eq!(missing(&office), serde_json::json!([]));
    let central = office.central_store();
    let at_office = office.office_store();
    assert_eq!(
        central.referral(referral).unwrap().meta.version,
        at_office.referral(referral).unwrap().meta.version
    );
    assert_eq!(central.call(call).unwrap().fields.notes, "vuelve a llamar");
    assert_eq!(
        central.call_count().unwrap(),
        at_office.call_count().unwrap()
    );
    drop(central);
    // Every reference resolves now, as SQLite itself checks it.
    let dangling: i64 = office
        .central_raw_db()
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(dangling, 0);
}

#[test]
fn a_record_naming_one_central_never_received_is_refused_when_no_batch_is_missing() {
    let (office, forge, file) = setup(40);
    office.import(&file).ok();
    let (manifest, lines) = forge.open(&file);
    let referral: Record = lines
        .iter()
        .map(|l| serde_json::from_str::<Record>(l).unwrap())
        .find(|r| matches!(r, Record::Referral { .. }))
        .expect("a referral in the batch");
    let Record::Referral {
        mut meta,
        mut fields,
        history,
    } = referral
    else {
        unreachable!()
    };
    meta.version += 1;
    let stranger = linea::model::new_id();
    fields.call_id = Some(stranger);
    let changed = vec![
        batch::record_line(&Record::Referral {
            meta,
            fields,
            history,
        })
        .unwrap(),
    ];
    let next = Manifest {
        seq: 2,
        prev_manifest: manifest_hash(&manifest),
        ..listing(&manifest, &changed)
    };
    let path = forge.batch("names-a-stranger.age", &next, &changed);
    let line = import_refused(&office, &path, &["record"]);
    assert!(
        line.contains(&format!(
            "record 1 names call {stranger}, which central never received"
        )),
        "{line}"
    );
}

#[test]
fn a_record_naming_another_offices_record_is_refused() {
    let (office, forge, file) = setup(40);
    office.import(&file).ok();
    let (manifest, lines) = forge.open(&file);

    // Cusco's own call, signed with Cusco's registered key, imported.
    let cusco = office.second_office("pe-cusco");
    let cusco_key = signing_key_of(&cusco);
    let (_, mut cusco_call) = first_call(&lines);
    if let Record::Call { meta, fields } = &mut cusco_call {
        meta.id = linea::model::new_id();
        meta.office_id = "pe-cusco".into();
        meta.version = 1;
        fields.case_id = None;
    }
    let cusco_lines = vec![batch::record_line(&cusco_call).unwrap()];
    let from_cusco = Manifest {
        office_id: "pe-cusco".into(),
        office_key_id: cusco_key.public().key_id().to_owned(),
        seq: 1,
        prev_manifest: String::new(),
        ..listing(&manifest, &cusco_lines)
    };
    let payload = batch::build_payload(&from_cusco, &cusco_lines, &cusco_key)
        .unwrap()
        .0;
    office
        .import(&forge.write("cusco-1.age", &forge.seal(&payload)))
        .ok();

    // Lima's referral, moved onto Cusco's call.
    let Some(Record::Referral {
        mut meta,
        mut fields,
        history,
    }) = lines
        .iter()
        .map(|l| serde_json::from_str::<Record>(l).unwrap())
        .find(|r| matches!(r, Record::Referral { .. }))
    else {
        panic!("a referral in the batch")
    };
    meta.version += 1;
    fields.call_id = Some(cusco_call.meta().id);
    fields.case_id = None;
    let changed = vec![
        batch::record_line(&Record::Referral {
            meta,
            fields,
            history,
        })
        .unwrap(),
    ];
    let next = Manifest {
        seq: 2,
        prev_manifest: manifest_hash(&manifest),
        ..listing(&manifest, &changed)
    };
    let path = forge.batch("names-cusco.age", &next, &changed);
    let line = import_refused(&office, &path, &["record"]);
    assert!(
        line.contains(&format!(
            "record 1 names call {} of office pe-cusco",
            cusco_call.meta().id
        )),
        "{line}"
    );
}

#[test]
fn a_broken_chain_is_refused_with_an_alert() {
    let office = Office::with_calls(10);
    let forge = Forge::new(&office);
    let first = office.batch_file(&forge, 1);
    office.add_calls(5, 61);
    let second = office.batch_file(&forge, 2);
    office.add_calls(5, 62);
    let third = office.batch_file(&forge, 3);

    // A first batch that names one before it.
    let (manifest, lines) = forge.open(&first);
    let not_first = Manifest {
        prev_manifest: "1".repeat(64),
        ..manifest
    };
    let path = forge.batch("not-first-1.age", &not_first, &lines);
    let line = import_refused(&office, &path, &["chain"]);
    assert!(
        line.contains("the first batch names a batch before it"),
        "{line}"
    );
    assert_alert(&office, "chain");
    office.import(&first).ok();

    // Batch 2 that does not name batch 1.
    let (manifest, lines) = forge.open(&second);
    let unchained = Manifest {
        prev_manifest: "0".repeat(64),
        ..manifest.clone()
    };
    let path = forge.batch("unchained-2.age", &unchained, &lines);
    let line = import_refused(&office, &path, &["chain"]);
    assert!(line.contains("does not follow batch 1"), "{line}");
    assert_alert(&office, "chain");

    // A batch 2 that names batch 1 but is not the one batch 3 follows.
    office.import(&third).ok();
    let mut other_lines = lines.clone();
    other_lines.pop();
    let slipped_in = listing(&manifest, &other_lines);
    let path = forge.batch("slipped-in-2.age", &slipped_in, &other_lines);
    let line = import_refused(&office, &path, &["chain"]);
    assert!(line.contains("not the one batch 3 follows"), "{line}");
    assert_eq!(alerts(&office).len(), 3);

    // The real batch 2 still fills the gap.
    office.import(&second).ok();
    assert_eq!(missing(&office), serde_json::json!([]));
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn a_rolled_back_office_store_is_caught_as_a_fork() {
    let office = Office::with_calls(10);
    let forge = Forge::new(&office);
    let first = office.batch_file(&forge, 1);
    let backup = office.root.path().join("office-backup");
    copy_dir(&office.dir(), &backup);
    office.add_calls(5, 71);
    let second = office.batch_file(&forge, 2);
    office.import(&first).ok();
    office.import(&second).ok();

    // The office store comes back from the copy taken after batch 1, and works on.
    fs::remove_dir_all(office.dir()).unwrap();
    copy_dir(&backup, &office.dir());
    office.add_calls(5, 72);
    let stick = office.stick("after-restore");
    let made = office.sync(&stick).ok();
    assert!(made.stdout.contains("Made batch 2."), "{made:?}");
    let other_second = batch_files(&stick)
        .into_iter()
        .find(|f| forge.open(f).0.seq == 2)
        .unwrap();

    let before = office.central_digest();
    let line = assert_refused(office.central_sync(&stick), &other_second, &["fork"]);
    assert!(line.contains("restored from an old copy"), "{line}");
    assert_eq!(office.central_digest(), before);
    assert_alert(&office, "fork");

    // Central's receipt says it has a batch 2, but not this one: the office must not take it
    // as delivered (it would never send those calls again), and must say so.
    let receipt = finished(&to_office(&stick), "r-").remove(0);
    let line = assert_refused(office.sync(&stick), &receipt, &["fork"]);
    assert!(line.contains("batch 2"), "{line}");
    let store = office.office_store();
    let waiting: Vec<u64> = store.outbox(true).unwrap().iter().map(|b| b.seq).collect();
    assert_eq!(waiting, [1, 2], "nothing from a refused receipt is applied");
    assert_eq!(store.inbox_version("receipt").unwrap(), 0);
    assert!(
        set_aside(&stick, &receipt),
        "the refused receipt is set aside"
    );
}

#[test]
fn an_oversized_file_is_refused_before_it_is_decrypted() {
    let office = Office::new();
    let path = office.held().join("huge.age");
    // Zeros, not even an age file: refused for its size, so nothing was read to notice.
    fs::File::create(&path)
        .unwrap()
        .set_len(MAX_FILE + 1)
        .unwrap();
    let started = Instant::now();
    let line = import_refused(&office, &path, &["size"]);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "refusing an oversized file took {:?}",
        started.elapsed()
    );
    assert!(line.contains("over the cap"), "{line}");

    // On a stick, too.
    let stick = office.stick("stick");
    fs::create_dir_all(to_central(&stick)).unwrap();
    let on_stick = to_central(&stick).join("b-huge.age");
    fs::rename(&path, &on_stick).unwrap();
    assert_refused(office.central_sync(&stick), &on_stick, &["size"]);
}

#[test]
fn verify_and_unpack_refuse_an_oversized_file_before_reading_it() {
    let office = Office::new();
    let path = office.held().join("huge.age");
    // Sparse, far beyond memory: reading it whole first would take minutes or fail.
    fs::File::create(&path)
        .unwrap()
        .set_len(16 * 1024 * 1024 * 1024)
        .unwrap();
    let out = office.root.path().join("unpacked");
    let file = path.to_str().unwrap();
    for args in [
        vec!["central", "verify", file],
        vec!["central", "unpack", file, "--out", out.to_str().unwrap()],
    ] {
        let started = Instant::now();
        let line = assert_refused(office.central(&args), &path, &["size"]);
        assert!(line.contains("over the cap"), "{line}");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{args:?} took {:?}",
            started.elapsed()
        );
    }
    assert!(!out.exists(), "nothing was unpacked");
}

#[test]
fn too_many_records_are_refused() {
    let (office, forge, file) = setup(5);
    let (manifest, lines) = forge.open(&file);
    let one = &lines[..1];

    // A manifest listing one record more than a batch may hold.
    let entry = entries(one).remove(0);
    let listed = Manifest {
        record_count: MAX_RECORDS + 1,
        records: vec![entry; MAX_RECORDS + 1],
        ..manifest.clone()
    };
    let path = forge.batch("listing-too-many.age", &listed, one);
    let line = import_refused(&office, &path, &["limits"]);
    assert!(line.contains("at most 20000"), "{line}");

    // A manifest counting more records than it lists.
    let counted = Manifest {
        record_count: MAX_RECORDS + 1,
        ..listing(&manifest, one)
    };
    let path = forge.batch("counting-too-many.age", &counted, one);
    import_refused(&office, &path, &["limits"]);

    // More record lines than a batch may hold, under a modest manifest.
    let many = vec![lines[0].clone(); MAX_RECORDS + 1];
    let path = forge.batch("too-many-lines.age", &listing(&manifest, one), &many);
    let line = import_refused(&office, &path, &["limits"]);
    assert!(line.contains("more than 20000 records"), "{line}");
}

/// The index of the first call among a batch's lines, and the call.
fn first_call(lines: &[String]) -> (usize, Record) {
    lines
        .iter()
        .enumerate()
        .find_map(|(n, line)| {
            let record: Record = serde_json::from_str(line).unwrap();
            matches!(record, Record::Call { .. }).then_some((n, record))
        })
        .expect("a call in the batch")
}

fn with_notes(record: &Record, notes: String) -> String {
    let mut record = record.clone();
    if let Record::Call { fields, .. } = &mut record {
        fields.notes = notes;
    }
    batch::record_line(&record).unwrap()
}

#[test]
fn a_huge_or_deeply_nested_field_is_refused() {
    let (office, forge, file) = setup(5);
    let (manifest, lines) = forge.open(&file);
    let (n, call) = first_call(&lines);

    // A line over the cap, signed and listed like any other.
    let mut huge = lines.clone();
    huge[n] = with_notes(&call, "x".repeat(MAX_LINE + 1));
    let path = forge.batch("huge-line.age", &listing(&manifest, &huge), &huge);
    let line = import_refused(&office, &path, &["limits"]);
    assert!(line.contains("length cap"), "{line}");

    // Notes longer than any operator can type, under the line cap.
    let mut long = lines.clone();
    long[n] = with_notes(&call, "x".repeat(30_000));
    let path = forge.batch("long-notes.age", &listing(&manifest, &long), &long);
    let line = import_refused(&office, &path, &["record"]);
    assert!(line.contains("notes"), "{line}");

    // JSON nested far deeper than a record is.
    let mut deep = lines.clone();
    deep[n] = format!("{}{}", "[".repeat(50_000), "]".repeat(50_000));
    let signed = Manifest {
        record_count: lines.len(),
        records: entries(&lines),
        ..manifest
    };
    let path = forge.batch("deep.age", &signed, &deep);
    import_refused(&office, &path, &["record"]);
}

#[test]
fn a_record_whose_hash_is_not_its_manifest_line_is_refused() {
    let (office, forge, file) = setup(5);
    let (manifest, lines) = forge.open(&file);
    let (n, call) = first_call(&lines);

    // The record was changed after the manifest was made, and everything signed again: a
    // manifest of a batch made before hashes were left out (the office's signature covers
    // the lines of new batches), listing each record's hash.
    let mut altered = lines.clone();
    altered[n] = with_notes(&call, "cambiado después".into());
    let path = forge.batch("altered-record.age", &listing(&manifest, &lines), &altered);
    let line = import_refused(&office, &path, &["record hash"]);
    assert!(line.contains(&format!("record {}", n + 1)), "{line}");

    // The manifest names another version of the same record.
    let mut other_version = listing(&manifest, &lines);
    other_version.records[n].version += 1;
    let path = forge.batch("other-version.age", &other_version, &lines);
    import_refused(&office, &path, &["record hash"]);

    // The records in another order than the manifest's.
    let mut swapped = lines.clone();
    swapped.swap(0, 1);
    let path = forge.batch("swapped.age", &manifest, &swapped);
    import_refused(&office, &path, &["record hash"]);
}

#[test]
fn a_record_changed_without_a_new_version_is_kept_as_a_conflict_never_overwriting() {
    let (office, forge, file) = setup(5);
    office.import(&file).ok();
    let (manifest, lines) = forge.open(&file);
    let (n, call) = first_call(&lines);
    let changed = vec![with_notes(&call, "otra versión, mismo número".into())];
    let next = Manifest {
        seq: 2,
        prev_manifest: manifest_hash(&manifest),
        ..listing(&manifest, &changed)
    };
    let path = forge.batch("conflict.age", &next, &changed);
    let run = office.import(&path).ok();
    assert!(
        run.stdout
            .contains("0 new, 0 updated, 0 unchanged, 0 older (ignored), 1 conflicting"),
        "{run:?}"
    );
    let kept = office.central_store().call(call.meta().id).unwrap();
    let Record::Call { fields, .. } = serde_json::from_str::<Record>(&lines[n]).unwrap() else {
        unreachable!()
    };
    assert_eq!(
        kept.fields.notes, fields.notes,
        "central's copy was not overwritten"
    );
    let conflicts: i64 = office
        .central_raw_db()
        .query_row("SELECT count(*) FROM conflicts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(conflicts, 1);
}

#[test]
fn conflicts_are_listed_and_counted_per_office() {
    let (office, forge, file) = setup(5);
    office.import(&file).ok();
    let none = office.central(&["central", "conflicts"]).ok();
    assert!(none.stdout.starts_with("No conflicts"), "{none:?}");
    let (manifest, lines) = forge.open(&file);
    let (_, call) = first_call(&lines);
    let changed = vec![with_notes(&call, "otra versión, mismo número".into())];
    let next = Manifest {
        seq: 2,
        prev_manifest: manifest_hash(&manifest),
        ..listing(&manifest, &changed)
    };
    let path = forge.batch("conflict.age", &next, &changed);
    office.import(&path).ok();

    let listed = office.central(&["central", "conflicts"]).ok();
    let header: Vec<&str> = listed
        .stdout
        .lines()
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(
        header,
        [
            "OFFICE", "KIND", "ID", "VERSION", "IMPORTED", "BATCH", "STATE"
        ],
        "{listed:?}"
    );
    let rows: Vec<Vec<&str>> = listed
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows.len(), 1, "{listed:?}");
    let id = call.meta().id.to_string();
    let version = call.meta().version.to_string();
    assert_eq!(
        rows[0][..4],
        [OFFICE_ID, "call", id.as_str(), version.as_str()]
    );
    assert_eq!(
        rows[0][rows[0].len() - 2..],
        ["2", "open"],
        "the batch that carried it, and no newer version since: {listed:?}"
    );

    let json = office.central(&["central", "conflicts", "--json"]).ok();
    let all: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(all[0]["office"], OFFICE_ID);
    assert_eq!(all[0]["kind"], "call");
    assert_eq!(all[0]["record_id"], id);
    assert_eq!(all[0]["version"], call.meta().version);
    assert_eq!(all[0]["batch"], 2);
    assert!(all[0]["imported_at"].as_str().is_some(), "{all}");

    let status = office.central(&["central", "status", "--json"]).ok();
    let offices: serde_json::Value = serde_json::from_str(&status.stdout).unwrap();
    assert_eq!(offices[0]["conflicts"], 1, "{offices}");
    let table = office.central(&["central", "status"]).ok();
    let mut lines = table.stdout.lines();
    assert!(
        lines.next().unwrap().ends_with("CONFLICTS  STATE"),
        "{table:?}"
    );
    let row: Vec<&str> = lines
        .find(|l| l.starts_with(OFFICE_ID))
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(row[row.len() - 2..], ["1", "ok"], "{table:?}");

    // A newer version from the office settles it: still listed, no longer counted.
    let mut newer = call.clone();
    if let Record::Call { meta, fields } = &mut newer {
        meta.version += 1;
        fields.notes = "corregida en la oficina".into();
    }
    let newer_lines = vec![batch::record_line(&newer).unwrap()];
    let third = Manifest {
        seq: 3,
        prev_manifest: manifest_hash(&next),
        ..listing(&manifest, &newer_lines)
    };
    let path = forge.batch("settles.age", &third, &newer_lines);
    office.import(&path).ok();
    let json = office.central(&["central", "conflicts", "--json"]).ok();
    let all: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(all[0]["settled"], true, "{all}");
    let status = office.central(&["central", "status", "--json"]).ok();
    let offices: serde_json::Value = serde_json::from_str(&status.stdout).unwrap();
    assert_eq!(offices[0]["conflicts"], 0, "{offices}");
}

/// An office that applied receipt 2 and pack 2 (with an outcome), has batch 3 waiting, and
/// kept copies of receipt 1 and pack 1.
struct Mailed {
    office: Office,
    forge: Forge,
    stick: PathBuf,
    receipt_1: PathBuf,
    pack_1: PathBuf,
    referral: uuid::Uuid,
}

const OFFICE_TABLES: &[&str] = &[
    "calls",
    "cases",
    "people",
    "referrals",
    "referral_status",
    "outbox",
    "inbox",
];

impl Mailed {
    fn new() -> Mailed {
        let office = Office::with_calls(300);
        let stick = office.stick("stick");
        office.sync(&stick).ok();
        office.central_sync(&stick).ok();
        let keep = |prefix: &str, name: &str| {
            let found = finished(&to_office(&stick), prefix).remove(0);
            let kept = office.held().join(name);
            fs::copy(found, &kept).unwrap();
            kept
        };
        let receipt_1 = keep("r-", "receipt-1.age");
        let pack_1 = keep("p-", "pack-1.age");
        office.sync(&stick).ok();

        let referral = office
            .office_store()
            .list_referrals(&Default::default(), 1)
            .unwrap()
            .remove(0)
            .meta
            .id;
        office
            .central(&[
                "central",
                "outcome",
                &referral.to_string(),
                "ACKNOWLEDGED",
                "--note",
                "recibido",
            ])
            .ok();
        office.add_calls(5, 81);
        // Batch 2 goes; receipt 2 and pack 2 come back. The outcome changed the referral at
        // the office, so batch 3 is made in the same sync and waits for its receipt.
        office.round_trip(&stick);

        let store = office.office_store();
        assert_eq!(store.inbox_version("receipt").unwrap(), 2);
        assert_eq!(store.inbox_version("pack").unwrap(), 2);
        let waiting: Vec<u64> = store.outbox(true).unwrap().iter().map(|b| b.seq).collect();
        assert_eq!(waiting, [3]);
        drop(store);
        let forge = Forge::new(&office);
        Mailed {
            office,
            forge,
            stick,
            receipt_1,
            pack_1,
            referral,
        }
    }

    /// The office's sync refuses `file` for `rule`, applies nothing from it, keeps what it
    /// had, and sets the file aside.
    fn refused(&self, file: &Path, rule: &str) -> String {
        let before = table_digest(&self.office.raw_db(), OFFICE_TABLES);
        let history = self
            .office
            .office_store()
            .referral(self.referral)
            .unwrap()
            .history;
        let line = assert_refused(self.office.sync(&self.stick), file, &[rule]);
        assert_eq!(
            table_digest(&self.office.raw_db(), OFFICE_TABLES),
            before,
            "the office changed although it refused the file: {line}"
        );
        let store = self.office.office_store();
        assert_eq!(store.inbox_version("receipt").unwrap(), 2);
        assert_eq!(store.inbox_version("pack").unwrap(), 2);
        assert_eq!(store.outbox(true).unwrap().len(), 1, "batch 3 still waits");
        assert_eq!(store.referral(self.referral).unwrap().history, history);
        assert!(set_aside(&self.stick, file), "a refused file is set aside");
        line
    }

    fn replay(&self, kept: &Path, name: &str) -> PathBuf {
        let path = to_office(&self.stick).join(name);
        fs::copy(kept, &path).unwrap();
        path
    }

    fn receipt(&self, version: u64, expires_in: TimeDelta) -> Mail {
        let now = Utc::now();
        Mail::Receipt(Receipt {
            office_id: OFFICE_ID.into(),
            version,
            highest_contiguous: 3,
            received: vec![],
            manifests: Default::default(),
            issued_at: now - TimeDelta::days(200),
            expires_at: now + expires_in,
        })
    }

    fn pack(&self, version: u64, expires_in: TimeDelta) -> Mail {
        let now = Utc::now();
        Mail::Pack(Box::new(Pack {
            office_id: OFFICE_ID.into(),
            version,
            issued_at: now - TimeDelta::days(200),
            expires_at: now + expires_in,
            content: Default::default(),
            outcomes: vec![Outcome {
                id: linea::model::new_id(),
                referral_id: self.referral,
                status: "DECLINED".into(),
                note: "forged".into(),
                at: now - TimeDelta::hours(1),
                author: "central".into(),
            }],
            backup_recipient: None,
        }))
    }
}

#[test]
fn a_receipt_with_a_bad_signature_is_refused_at_the_office() {
    let m = Mailed::new();
    let stranger = SigningKey::generate().unwrap();
    let mail = m.receipt(3, TimeDelta::days(180));
    let path = m.forge.mail(&m.stick, "r-forged.age", &mail, &stranger);
    m.refused(&path, "signature");
}

#[test]
fn a_receipt_of_a_lower_version_is_refused_at_the_office() {
    let m = Mailed::new();
    let path = m.replay(&m.receipt_1, "r-replayed.age");
    let line = m.refused(&path, "rollback");
    assert!(line.contains("older than the one applied"), "{line}");
}

#[test]
fn an_expired_receipt_is_refused_at_the_office() {
    let m = Mailed::new();
    let mail = m.receipt(3, -TimeDelta::days(20));
    let path = m
        .forge
        .mail(&m.stick, "r-expired.age", &mail, &m.forge.central_key);
    m.refused(&path, "expired");
}

#[test]
fn a_pack_with_a_bad_signature_is_refused_at_the_office() {
    let m = Mailed::new();
    let stranger = SigningKey::generate().unwrap();
    let mail = m.pack(3, TimeDelta::days(180));
    let path = m.forge.mail(&m.stick, "p-forged.age", &mail, &stranger);
    m.refused(&path, "signature");
}

#[test]
fn a_pack_of_a_lower_version_is_refused_at_the_office() {
    let m = Mailed::new();
    let path = m.replay(&m.pack_1, "p-replayed.age");
    let line = m.refused(&path, "rollback");
    assert!(line.contains("older than the one applied"), "{line}");
}

#[test]
fn an_expired_pack_is_refused_at_the_office() {
    let m = Mailed::new();
    let mail = m.pack(3, -TimeDelta::days(20));
    let path = m
        .forge
        .mail(&m.stick, "p-expired.age", &mail, &m.forge.central_key);
    m.refused(&path, "expired");
}

#[test]
fn stray_temporary_files_on_the_stick_are_ignored_by_both_sides() {
    let office = Office::with_calls(10);
    let stick = office.stick("stick");
    for dir in [to_central(&stick), to_office(&stick)] {
        fs::create_dir_all(&dir).unwrap();
        for name in [
            ".x.tmp",
            "b-x.age.tmp",
            ".b-y.age.tmp",
            "r-x.age.tmp",
            ".p-z.age.tmp",
        ] {
            fs::write(dir.join(name), b"half a file").unwrap();
        }
    }
    let sent = office.sync(&stick).ok();
    assert!(sent.stdout.contains("Made batch 1."), "{sent:?}");
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
    assert!(to_central(&stick).join("b-x.age.tmp").exists());
    assert!(to_office(&stick).join(".x.tmp").exists());
}

#[test]
fn mail_for_another_office_is_left_alone() {
    let office = Office::with_calls(10);
    let stick = office.stick("stick");
    office.round_trip(&stick);
    let forge = Forge::new(&office);
    // A receipt central wrote for another office: not encrypted to this one.
    let other = AgeIdentity::generate();
    let receipt = Mail::Receipt(Receipt {
        office_id: "pe-cusco".into(),
        version: 9,
        highest_contiguous: 9,
        received: vec![],
        manifests: Default::default(),
        issued_at: Utc::now(),
        expires_at: Utc::now() + TimeDelta::days(180),
    });
    let sealed =
        linea::exchange::mail::seal(&receipt, &forge.central_key, &other.recipient()).unwrap();
    let path = to_office(&stick).join("r-for-cusco.age");
    fs::write(&path, sealed).unwrap();
    let run = office.sync(&stick).ok();
    assert!(!run.stdout.contains("Applied"), "{run:?}");
    assert!(path.exists(), "another office's mail stays on the stick");
    assert_eq!(office.office_store().inbox_version("receipt").unwrap(), 1);
}

#[test]
fn a_batch_numbered_far_beyond_the_last_is_refused_at_once() {
    let (office, forge, file) = setup(5);
    office.import(&file).ok();
    let (manifest, lines) = forge.open(&file);
    let central = office.central_dir();
    for seq in [1_000_000_000_000, u64::MAX] {
        let far = Manifest {
            seq,
            ..manifest.clone()
        };
        let path = forge.batch(&format!("far-{seq}.age"), &far, &lines);
        let before = office.central_digest();
        let args = [
            "--store",
            central.to_str().unwrap(),
            "--operator",
            CENTRAL_OPERATOR,
            "central",
            "import",
            path.to_str().unwrap(),
        ];
        let run = linea_within(&args, Duration::from_secs(20))
            .unwrap_or_else(|| panic!("importing batch {seq} did not finish in 20 s"));
        let line = assert_refused(run, &path, &["sequence"]);
        assert!(line.contains("past the last received (1)"), "{line}");
        assert_eq!(office.central_digest(), before);
    }
    assert_eq!(missing(&office), serde_json::json!([]));
}

#[test]
fn a_pack_with_an_outcome_the_office_cannot_apply_is_refused_whole() {
    let m = Mailed::new();
    let Mail::Pack(mut pack) = m.pack(3, TimeDelta::days(180)) else {
        unreachable!()
    };
    // The first outcome is good; the second names a status this office does not know.
    pack.outcomes[0].status = "ACCEPTED".into();
    let mut unknown = pack.outcomes[0].clone();
    unknown.id = linea::model::new_id();
    unknown.status = "NOT_A_STATUS".into();
    unknown.at += TimeDelta::minutes(1);
    pack.outcomes.push(unknown);
    let path = m.forge.mail(
        &m.stick,
        "p-unknown-status.age",
        &Mail::Pack(pack),
        &m.forge.central_key,
    );
    let line = m.refused(&path, "outcome");
    assert!(line.contains("NOT_A_STATUS"), "{line}");
}

#[test]
fn an_insider_of_one_office_cannot_overwrite_another_offices_records() {
    let (office, forge, file) = setup(5);
    office.import(&file).ok();
    let cusco = office.second_office("pe-cusco");
    let cusco_key = signing_key_of(&cusco);
    let (manifest, lines) = forge.open(&file);
    let (_, call) = first_call(&lines);

    // Lima's call, claimed by Cusco at a newer version, signed with Cusco's registered key.
    let mut stolen = call.clone();
    if let Record::Call { meta, fields } = &mut stolen {
        meta.office_id = "pe-cusco".into();
        meta.version += 1;
        fields.notes = "sobrescrito desde otra oficina".into();
    }
    let stolen_lines = vec![batch::record_line(&stolen).unwrap()];
    let from_cusco = Manifest {
        office_id: "pe-cusco".into(),
        office_key_id: cusco_key.public().key_id().to_owned(),
        seq: 1,
        prev_manifest: String::new(),
        ..listing(&manifest, &stolen_lines)
    };
    let payload = batch::build_payload(&from_cusco, &stolen_lines, &cusco_key)
        .unwrap()
        .0;
    let path = forge.write("cusco-overwrites-lima.age", &forge.seal(&payload));
    let line = import_refused(&office, &path, &["record"]);
    assert!(line.contains("pe-lima"), "{line}");
    let kept = office.central_store().call(call.meta().id).unwrap();
    assert_eq!(kept.meta.office_id, OFFICE_ID);
}

/// A record whose instants no office could have written (year 0000, a leap second) is
/// refused at central like any other bad record, even signed and listed as it should be.
#[test]
fn a_record_dated_before_2000_or_on_a_leap_second_is_refused() {
    let (office, forge, file) = setup(5);
    let (manifest, lines) = forge.open(&file);
    let (n, call) = first_call(&lines);
    for (at, says) in [
        ("0000-01-01T00:00:00Z", "is before 2000"),
        ("2016-12-31T23:59:60Z", "is a leap second"),
    ] {
        let mut record = call.clone();
        if let Record::Call { meta, .. } = &mut record {
            meta.created_at = serde_json::from_str(&format!("\"{at}\"")).unwrap();
        }
        let mut dated = lines.clone();
        dated[n] = batch::record_line(&record).unwrap();
        let name = format!("dated-{}.age", &at[..4]);
        let path = forge.batch(&name, &listing(&manifest, &dated), &dated);
        let line = import_refused(&office, &path, &["record"]);
        assert!(
            line.contains("created_at: ") && line.contains(says),
            "{line}"
        );
    }
}
