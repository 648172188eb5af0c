//! Frozen test vectors (`tests/vectors/`, made once by `tools/gen-vectors.rs`): batches,
//! receipts, packs, kits and enrollment files written by an earlier linea. Each `valid_*` file
//! must still be taken, each `skip_*` passed over (meant for another office), and each
//! `fail_<rule>_<what>` refused by that very rule. A change of format made on the writing and
//! the reading side at once passes every round-trip test; it fails here.

use std::fs;
use std::path::{Path, PathBuf};

use linea::exchange::batch::{self, Parsed};
use linea::exchange::enrollment::{Enrollment, OfficeKit};
use linea::exchange::mail::{self, Mail};
use linea::exchange::rejection::Rejection;
use linea::keys::{AgeIdentity, PublicSigningKey};

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors");

/// What a vector's name says must happen to it.
#[derive(Debug, PartialEq, Eq)]
enum Expect {
    Valid,
    Skip,
    /// Refused by the rule of this name (as linea prints it).
    Fail(String),
}

fn expectation(path: &Path) -> Expect {
    let name = path.file_name().unwrap().to_str().unwrap();
    if name.starts_with("valid_") {
        return Expect::Valid;
    }
    if name.starts_with("skip_") {
        return Expect::Skip;
    }
    let rule = name
        .strip_prefix("fail_")
        .and_then(|rest| rest.split_once('_'))
        .map(|(rule, _)| rule.replace('-', " "))
        .unwrap_or_else(|| panic!("{name}: a vector is named valid_…, skip_… or fail_<rule>_…"));
    Expect::Fail(rule)
}

/// The files of one kind, each with what must happen to it.
fn vectors(kind: &str) -> Vec<(PathBuf, Expect)> {
    let mut files: Vec<PathBuf> = fs::read_dir(Path::new(VECTORS).join(kind))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    let vectors: Vec<(PathBuf, Expect)> = files
        .into_iter()
        .map(|path| {
            let expect = expectation(&path);
            (path, expect)
        })
        .collect();
    assert!(
        vectors.iter().any(|(_, e)| *e == Expect::Valid)
            && vectors.iter().any(|(_, e)| matches!(e, Expect::Fail(_))),
        "{kind}: vectors that must pass and vectors that must fail"
    );
    vectors
}

/// Checks each vector against `open`, which reads a file as linea does; `check_valid` says
/// more about what a valid one holds.
fn check_all<T>(
    kind: &str,
    open: impl Fn(&[u8]) -> Result<Option<T>, Rejection>,
    check_valid: impl Fn(&Path, T),
) {
    for (path, expect) in vectors(kind) {
        let bytes = fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        match (open(&bytes), expect) {
            (Ok(Some(value)), Expect::Valid) => check_valid(&path, value),
            (Ok(None), Expect::Skip) => {}
            (Err(rejection), Expect::Fail(rule)) => assert_eq!(
                rejection.rule.name(),
                rule,
                "{kind}/{name} was refused by another rule: {rejection}"
            ),
            (Ok(Some(_)), expect) => panic!("{kind}/{name} was taken; expected {expect:?}"),
            (Ok(None), expect) => panic!("{kind}/{name} was passed over; expected {expect:?}"),
            (Err(rejection), expect) => {
                panic!("{kind}/{name} was refused ({rejection}); expected {expect:?}")
            }
        }
    }
}

fn key_file(name: &str) -> String {
    fs::read_to_string(Path::new(VECTORS).join("keys").join(name)).unwrap()
}

fn identity(name: &str) -> AgeIdentity {
    AgeIdentity::from_file_text(&key_file(name)).unwrap()
}

fn public_key(name: &str) -> PublicSigningKey {
    PublicSigningKey::from_base64(key_file(name).trim()).unwrap()
}

/// What central does with a batch before its own records are consulted: decrypt within the
/// caps, read up to the signature, check it with the office's key, then parse the records.
fn open_batch(bytes: &[u8]) -> Result<Option<Parsed>, Rejection> {
    let import = identity("central-import.txt");
    let inner = batch::open(bytes, &import)?;
    batch::parse(&inner)?
        .verify(&public_key("office-signing.pub"), &import.recipient())
        .map(Some)
}

#[test]
fn batches_of_an_earlier_linea_open_and_spoiled_ones_are_refused_by_their_rule() {
    let named_prev = std::cell::Cell::new(false);
    check_all("batches", open_batch, |path, parsed| {
        let manifest = &parsed.manifest;
        assert_eq!(manifest.office_id, "pe-lima", "{path:?}");
        assert!(!parsed.records.is_empty(), "{path:?}");
        assert_eq!(parsed.records.len(), manifest.record_count, "{path:?}");
        let head = manifest
            .audit_head
            .as_ref()
            .unwrap_or_else(|| panic!("{path:?} carries its audit head"));
        // A first batch names no earlier audit entry; a later one names the entry where the
        // previous batch's head stood.
        match (manifest.seq, &manifest.audit_prev) {
            (1, None) => {}
            (2, Some(prev)) => {
                assert!(prev.entries < head.entries, "{path:?}: {prev:?}");
                named_prev.set(true);
            }
            (seq, prev) => panic!("{path:?}: batch {seq} names {prev:?}"),
        }
    });
    assert!(
        named_prev.get(),
        "a valid batch names its previous head's entry"
    );
}

fn open_mail(bytes: &[u8]) -> Result<Option<Mail>, Rejection> {
    mail::open(
        bytes,
        &identity("office-exchange.txt"),
        &public_key("central-signing.pub"),
    )
}

#[test]
fn receipts_of_an_earlier_linea_open_and_spoiled_ones_are_refused_by_their_rule() {
    check_all("receipts", open_mail, |path, mail| match mail {
        Mail::Receipt(receipt) => {
            assert_eq!(receipt.office_id, "pe-lima", "{path:?}");
            assert_eq!(receipt.covered(), vec![1], "{path:?}");
        }
        other => panic!("{path:?} is a {}, not a receipt", other.kind()),
    });
}

#[test]
fn packs_of_an_earlier_linea_open_and_spoiled_ones_are_refused_by_their_rule() {
    check_all("packs", open_mail, |path, mail| match mail {
        Mail::Pack(pack) => {
            assert_eq!(pack.office_id, "pe-lima", "{path:?}");
            assert_eq!(pack.version, 1, "{path:?}");
        }
        other => panic!("{path:?} is a {}, not a pack", other.kind()),
    });
}

#[test]
fn kits_of_an_earlier_linea_open_and_spoiled_ones_are_refused_by_their_rule() {
    check_all(
        "kits",
        |bytes| OfficeKit::from_bytes(bytes).map(Some),
        |path, kit| {
            assert_eq!(kit.office_id, "pe-lima", "{path:?}");
            // The kit names the central whose key signed the receipts and packs above, and
            // whose import key opens the batches.
            assert_eq!(
                kit.central_signing_key,
                key_file("central-signing.pub").trim(),
                "{path:?}"
            );
            assert_eq!(
                kit.import_recipient,
                identity("central-import.txt").recipient(),
                "{path:?}"
            );
        },
    );
}

#[test]
fn enrollment_files_of_an_earlier_linea_open_and_spoiled_ones_are_refused_by_their_rule() {
    check_all(
        "enrollments",
        |bytes| Enrollment::from_bytes(bytes).map(Some),
        |path, enrollment| {
            assert_eq!(enrollment.office_id, "pe-lima", "{path:?}");
            assert_eq!(
                enrollment.office_signing_key,
                key_file("office-signing.pub").trim(),
                "{path:?}"
            );
            assert_eq!(
                enrollment.office_recipient,
                identity("office-exchange.txt").recipient(),
                "{path:?}"
            );
        },
    );
}
