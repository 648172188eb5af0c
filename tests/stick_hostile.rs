//! A stick cannot stall, exhaust or wedge a sync (issue 9): age headers are bounded before
//! age reads them, files are bounded before they are read and opened without following links
//! or blocking, one bad file is reported and set aside while the sync goes on, a full stick
//! leaves nothing behind, linked folders are refused. And what central checks of a batch
//! before trusting it: the signature before the records, the recipients it was sealed to, how
//! far its number jumps, and the office's audit head it carries. Each refusal: exit status 1,
//! a line naming the file and the rule, central's records unchanged.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use common::Office;
use common::exchange::{
    CENTRAL_OPERATOR, Forge, OFFICE_ID, assemble, assert_refused, batch_files, finished,
    linea_within, manifest_hash, set_aside, signed_bytes, to_central, to_office,
};
use linea::central::import::open_and_check;
use linea::exchange::batch::{self, AuditHead, Manifest, Rule};
use linea::keys::AgeIdentity;
use linea::store::Clock;
use sha2::{Digest, Sha256};

/// Long enough for any of these runs; a hang fails the test instead of holding it for ever.
const PATIENCE: Duration = Duration::from_secs(60);

/// A demo office with `calls` calls that has made its first batch; a copy of it is kept.
fn setup(calls: u32) -> (Office, Forge, PathBuf) {
    let office = Office::with_calls(calls);
    let forge = Forge::new(&office);
    let file = office.batch_file(&forge, 1);
    (office, forge, file)
}

/// `central import FILE` refuses the file for `rule` and changes nothing.
fn import_refused(office: &Office, file: &Path, rule: &str) -> String {
    let before = office.central_digest();
    let line = assert_refused(office.import(file), file, &[rule]);
    assert_eq!(office.central_digest(), before, "{line}");
    line
}

/// The real binary on the office's store, given up after [`PATIENCE`].
fn office_within(office: &Office, args: &[&str]) -> common::Run {
    let dir = office.dir();
    let mut all = vec!["--store", dir.to_str().unwrap(), "--operator", "ana"];
    all.extend_from_slice(args);
    linea_within(&all, PATIENCE).unwrap_or_else(|| panic!("`linea {args:?}` hung"))
}

/// The real binary on central's store, given up after [`PATIENCE`].
fn central_within(office: &Office, args: &[&str]) -> common::Run {
    let dir = office.central_dir();
    let mut all = vec![
        "--store",
        dir.to_str().unwrap(),
        "--operator",
        CENTRAL_OPERATOR,
    ];
    all.extend_from_slice(args);
    linea_within(&all, PATIENCE).unwrap_or_else(|| panic!("`linea {args:?}` hung"))
}

/// The lines a run wrote on stderr that refuse `file`, for `rule`, and set it aside.
fn refused_and_set_aside(run: &common::Run, file: &Path, rule: &str) {
    let prefix = format!("linea: {}: refused ({rule}: ", file.display());
    assert!(
        run.stderr.lines().any(
            |line| line.starts_with(&prefix) && line.ends_with("; set aside in linea/refused/")
        ),
        "no line refusing {} for {rule}: {run:?}",
        file.display()
    );
}

fn alerts(office: &Office) -> Vec<String> {
    let run = office.central(&["central", "status"]).ok();
    run.stdout
        .lines()
        .filter(|l| l.starts_with(&format!("ALERT {OFFICE_ID}:")))
        .map(str::to_owned)
        .collect()
}

/// `file`'s age header with `count` more X25519 stanzas of nobody's, after the magic line:
/// what anyone can add to a file without any key.
fn with_fake_stanzas(file: &[u8], count: usize) -> Vec<u8> {
    let magic = file.iter().position(|b| *b == b'\n').unwrap() + 1;
    let stanza = format!("-> X25519 {}\n{}\n", "A".repeat(43), "B".repeat(43));
    let mut inflated = file[..magic].to_vec();
    inflated.extend(stanza.repeat(count).into_bytes());
    inflated.extend_from_slice(&file[magic..]);
    inflated
}

#[test]
fn an_age_header_of_thousands_of_stanzas_is_refused_by_rule_at_central_and_at_the_office() {
    let (office, forge, file) = setup(5);
    // 8,000 stanzas, 784 KB: age alone took 17.7 s over it (BENCHMARKS.md).
    let inflated = with_fake_stanzas(&fs::read(&file).unwrap(), 8_000);
    assert!(inflated.len() > 780_000);
    let path = forge.write("b-inflated.age", &inflated);
    let before = office.central_digest();
    let run = central_within(&office, &["central", "import", path.to_str().unwrap()]);
    let line = assert_refused(run, &path, &["header"]);
    assert!(line.contains("more than 4 recipient stanzas"), "{line}");
    assert_eq!(office.central_digest(), before);

    // The same header on a receipt, at the office: refused, set aside, the sync goes on.
    let stick = office.stick("stick");
    office.round_trip(&stick);
    office.add_calls(3, 5);
    office.central_sync(&stick).ok();
    let receipt = finished(&to_office(&stick), "r-").remove(0);
    let inflated = with_fake_stanzas(&fs::read(&receipt).unwrap(), 8_000);
    fs::write(&receipt, inflated).unwrap();
    let run = office_within(&office, &["sync", stick.to_str().unwrap()]);
    assert_refused(run, &receipt, &["header"]);
    assert!(set_aside(&stick, &receipt));
    assert_eq!(
        office.office_store().outbox(true).unwrap().len(),
        1,
        "the sync went on: batch 2 was made and waits"
    );
}

#[test]
fn a_5_gb_sparse_receipt_is_refused_by_its_size_without_being_read() {
    let office = Office::with_calls(5);
    let stick = office.stick("stick");
    fs::create_dir_all(to_office(&stick)).unwrap();
    let huge = to_office(&stick).join("r-huge.age");
    fs::File::create(&huge)
        .unwrap()
        .set_len(5 * 1024 * 1024 * 1024)
        .unwrap();
    let run = office_within(&office, &["sync", stick.to_str().unwrap()]);
    assert!(run.stdout.contains("Made batch 1."), "{run:?}");
    let line = assert_refused(run, &huge, &["size"]);
    assert!(line.contains("5368709120 bytes is over the cap"), "{line}");
    assert!(set_aside(&stick, &huge));
}

/// Files the sync cannot read: a folder named like one of its files, and, when the tests do
/// not run as root (whom permissions do not stop), a file nobody may read.
fn unreadable_files(dir: &Path, prefix: &str) -> Vec<(PathBuf, &'static str)> {
    let folder = dir.join(format!("{prefix}-folder.age"));
    fs::create_dir(&folder).unwrap();
    let mut files = vec![(folder, "file")];
    if !rustix::process::geteuid().is_root() {
        use std::os::unix::fs::PermissionsExt;
        let locked = dir.join(format!("{prefix}-locked.age"));
        fs::write(&locked, b"no one may read this").unwrap();
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
        files.push((locked, "unreadable"));
    }
    files
}

#[test]
fn unreadable_and_refused_files_are_reported_once_and_set_aside_while_central_imports_the_rest() {
    let office = Office::with_calls(5);
    let stick = office.stick("stick");
    office.sync(&stick).ok();
    let good = batch_files(&stick).remove(0);
    let junk = to_central(&stick).join("b-junk.age");
    fs::write(&junk, b"not an age file").unwrap();
    let mut bad = unreadable_files(&to_central(&stick), "b");
    bad.push((junk, "format"));

    let run = office.central_sync(&stick);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.stderr.lines().count(), bad.len(), "{run:?}");
    for (file, rule) in &bad {
        refused_and_set_aside(&run, file, rule);
        assert!(set_aside(&stick, file), "{}", file.display());
    }
    assert!(
        run.stdout.contains(&format!(
            "{}: office {OFFICE_ID} batch 1: 5 new",
            good.display()
        )),
        "the good batch was imported: {run:?}"
    );
    assert!(good.exists(), "an imported batch stays for the office");

    // The next sync says nothing of them.
    let again = office.central_sync(&stick).ok();
    assert!(again.stderr.is_empty(), "{again:?}");
}

#[test]
fn unreadable_and_refused_files_are_reported_once_and_set_aside_while_the_office_applies_the_rest()
{
    let office = Office::with_calls(5);
    let stick = office.stick("stick");
    office.sync(&stick).ok();
    office.central_sync(&stick).ok();
    let junk = to_office(&stick).join("p-junk.age");
    fs::write(&junk, b"not an age file").unwrap();
    let mut bad = unreadable_files(&to_office(&stick), "r");
    bad.push((junk, "format"));

    let run = office.sync(&stick);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.stderr.lines().count(), bad.len(), "{run:?}");
    for (file, rule) in &bad {
        refused_and_set_aside(&run, file, rule);
    }
    assert!(
        run.stdout.contains("Applied central's receipt 1."),
        "{run:?}"
    );
    let again = office.sync(&stick).ok();
    assert!(again.stderr.is_empty(), "{again:?}");
}

#[test]
fn a_pipe_named_like_a_batch_or_a_receipt_is_refused_without_hanging() {
    let office = Office::with_calls(5);
    let stick = office.stick("stick");
    office.sync(&stick).ok();
    let mut pipes = Vec::new();
    for (dir, name) in [
        (to_central(&stick), "b-pipe.age"),
        (to_office(&stick), "r-pipe.age"),
    ] {
        let pipe = dir.join(name);
        fs::create_dir_all(&dir).unwrap();
        rustix::fs::mknodat(
            rustix::fs::CWD,
            &pipe,
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
            0,
        )
        .unwrap();
        pipes.push(pipe);
    }
    let run = central_within(&office, &["central", "sync", stick.to_str().unwrap()]);
    assert!(run.stdout.contains("batch 1: 5 new"), "{run:?}");
    let line = assert_refused(run, &pipes[0], &["file"]);
    assert!(line.contains("special file"), "{line}");
    let run = office_within(&office, &["sync", stick.to_str().unwrap()]);
    assert!(
        run.stdout.contains("Applied central's receipt 1."),
        "{run:?}"
    );
    assert_refused(run, &pipes[1], &["file"]);
    for pipe in &pipes {
        assert!(set_aside(&stick, pipe), "{}", pipe.display());
    }
}

#[test]
fn linked_exchange_folders_are_refused_and_never_followed() {
    let (office, _forge, file) = setup(5);
    for folder in ["linea", "linea/to-central", "linea/to-office"] {
        let stick = office.stick(&format!("stick-{}", folder.replace('/', "-")));
        let elsewhere = office.stick(&format!("elsewhere-{}", folder.replace('/', "-")));
        // What the link points at: a batch central would import, room for the office's.
        for sub in ["", "to-central", "to-office"] {
            fs::create_dir_all(elsewhere.join(sub)).unwrap();
        }
        fs::copy(&file, elsewhere.join("b-planted.age")).unwrap();
        fs::copy(&file, elsewhere.join("to-central/b-planted.age")).unwrap();
        let link = stick.join(folder);
        fs::create_dir_all(link.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
        let files_there = common::files_under(&elsewhere);

        let line = office.sync(&stick).fails(1);
        assert!(
            line.starts_with(&format!("linea: {}: is a link", link.display())),
            "{line}"
        );
        assert!(line.contains("never follows"), "{line}");
        let before = office.central_digest();
        let line = office.central_sync(&stick).fails(1);
        assert!(line.contains("is a link"), "{line}");
        assert_eq!(office.central_digest(), before);
        assert_eq!(common::files_under(&elsewhere), files_there, "{folder}");
    }
}

/// Mounts a tmpfs of `size` at `dir` for as long as it lives; `None` where the tests cannot
/// mount (not root, or no permission in a container).
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Option<Tmpfs> {
        if !rustix::process::geteuid().is_root() {
            return None;
        }
        fs::create_dir_all(dir).unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success());
        mounted.then(|| Tmpfs(dir.to_owned()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_stick_leaves_nothing_behind_and_says_so_and_the_next_stick_works() {
    // 2,000 calls make a batch of about 200 KiB: a 64 KiB stick cannot hold it.
    let office = Office::with_calls(2_000);
    let full = office.stick("full");
    let Some(_mounted) = Tmpfs::mount(&full, "64k") else {
        eprintln!(
            "skipped: a full stick needs a tmpfs, which only root can mount (the write's clean-up is in Stick::write)"
        );
        return;
    };
    let line = office.sync(&full).fails(1);
    assert!(line.contains("the stick is full"), "{line}");
    let left: Vec<PathBuf> = common::files_under(&full);
    assert!(left.is_empty(), "a failed write left {left:?}");

    let stick = office.stick("stick");
    let run = office.sync(&stick).ok();
    assert!(run.stdout.contains("Wrote 1 batch for central"), "{run:?}");
    let imported = office.central_sync(&stick).ok();
    let new: u32 = imported
        .stdout
        .split("batch 1: ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(new >= 2_000, "every call reaches central: {imported:?}");
}

#[test]
fn a_bad_signature_is_refused_before_records_that_would_not_parse_are_read() {
    let (office, forge, file) = setup(5);
    let (manifest, lines) = forge.open(&file);
    let signature = forge
        .office_key
        .sign(
            &signed_bytes(&manifest, &lines),
            &batch::trusted_comment(&manifest, &manifest_hash(&manifest)),
        )
        .unwrap();
    // The office's own signature, over other records: 20,000 lines no parser takes.
    let garbage = vec!["{not a record".to_owned(); 20_000];
    let path = forge.write(
        "b-garbage.age",
        &forge.seal(&assemble(&manifest, &signature, &garbage)),
    );
    let line = import_refused(&office, &path, "signature");
    assert!(line.contains("signature"), "{line}");
}

#[test]
fn a_batch_sealed_to_recipients_beyond_central_and_its_backup_is_refused() {
    let (office, forge, file) = setup(5);
    let (manifest, lines) = forge.open(&file);
    let payload = forge.payload(&manifest, &lines);
    let sealed_to = |name: &str, extra: usize| {
        let mut recipients = vec![forge.import_recipient.clone()];
        recipients.extend((0..extra).map(|_| AgeIdentity::generate().recipient()));
        forge.write(name, &batch::seal(&payload, &recipients).unwrap())
    };
    // 200 strangers: over the header's cap before age reads it.
    let line = import_refused(&office, &sealed_to("b-200.age", 200), "header");
    assert!(line.contains("stanzas"), "{line}");
    // One stranger, and central has no backup recipient.
    let line = import_refused(&office, &sealed_to("b-1.age", 1), "recipient");
    assert!(line.contains("sealed to 2 recipients"), "{line}");
    assert!(line.contains("no backup recipient"), "{line}");

    // With a backup recipient, two recipients are central's and the backup; three are not.
    let backup = AgeIdentity::generate().recipient();
    office
        .central(&["central", "backup-recipient", "set", &backup])
        .ok();
    let line = import_refused(&office, &sealed_to("b-2.age", 2), "recipient");
    assert!(line.contains("sealed to 3 recipients"), "{line}");
    let with_backup = sealed_to("b-backup.age", 1);
    let bytes = fs::read(&with_backup).unwrap();

    // Just after it is cleared, offices still seal to it until their next pack: taken for
    // a while, refused after.
    office
        .central(&["central", "backup-recipient", "clear"])
        .ok();
    let mut central = office.central_store();
    central.set_clock(Clock::Fixed(Utc::now() + TimeDelta::days(29)));
    assert!(open_and_check(&central, &bytes).is_ok());
    central.set_clock(Clock::Fixed(Utc::now() + TimeDelta::days(31)));
    let refused = open_and_check(&central, &bytes).unwrap_err();
    assert_eq!(refused.rule, Rule::Recipient, "{refused}");
    assert!(refused.detail.contains("was cleared on"), "{refused}");
    drop(central);
    office.import(&with_backup).ok();
}

#[test]
fn a_far_jump_in_numbers_raises_an_alert_and_a_gap_is_listed_as_a_range() {
    let (office, forge, file) = setup(5);
    office.import(&file).ok();
    let (manifest, lines) = forge.open(&file);
    let numbered = |seq: u64| {
        forge.batch(
            &format!("b-{seq}.age"),
            &Manifest {
                seq,
                prev_manifest: "0".repeat(64),
                ..manifest.clone()
            },
            &lines,
        )
    };
    let far = numbered(10_001);
    let line = import_refused(&office, &far, "sequence");
    assert!(
        line.contains("more than 1000 past the last received (1)"),
        "{line}"
    );
    let raised = alerts(&office);
    assert_eq!(raised.len(), 1, "{raised:?}");
    assert!(raised[0].contains("sequence"), "{raised:?}");

    // A gap within the bound is imported, and said in one range however long.
    let run = office.import(&numbered(501)).ok();
    assert!(
        run.stdout
            .contains("still missing from pe-lima: batches 2-500"),
        "{run:?}"
    );
    let status = office.central(&["central", "status", "--json"]).ok();
    let all: serde_json::Value = serde_json::from_str(&status.stdout).unwrap();
    assert_eq!(
        all[0]["missing"],
        serde_json::json!([{"first": 2, "last": 500}]),
        "{status:?}"
    );
    let table = office.central(&["central", "status"]).ok();
    let row = table
        .stdout
        .lines()
        .find(|l| l.starts_with(OFFICE_ID))
        .unwrap();
    assert_eq!(row.split_whitespace().nth(4), Some("2-500"), "{row}");
}

#[test]
fn a_shortened_or_rewritten_audit_chain_raises_an_alert_at_central() {
    let office = Office::with_calls(5);
    let forge = Forge::new(&office);
    let first = office.batch_file(&forge, 1);
    office.add_calls(2, 9);
    let second = office.batch_file(&forge, 2);
    let (manifest, lines) = forge.open(&second);
    let head = manifest
        .audit_head
        .clone()
        .expect("batches carry the audit head");
    assert!(head.entries > 1, "{head:?}");
    office.import(&first).ok();
    office.import(&second).ok();
    assert!(
        alerts(&office).is_empty(),
        "the office's own batches raise none"
    );

    // Batch 3 names batch 2, but the chain it reports has lost an entry; batch 4 has as many
    // entries as batch 3 with another last one.
    let mut prev = manifest_hash(&manifest);
    for (seq, head, kind) in [
        (
            3,
            AuditHead {
                entries: head.entries - 1,
                hash: head.hash.clone(),
            },
            "shrank",
        ),
        (
            4,
            AuditHead {
                entries: head.entries - 1,
                hash: "f".repeat(64),
            },
            "rewritten",
        ),
    ] {
        let next = Manifest {
            seq,
            prev_manifest: prev,
            audit_head: Some(head),
            ..manifest.clone()
        };
        office
            .import(&forge.batch(&format!("b-{seq}.age"), &next, &lines))
            .ok();
        prev = manifest_hash(&next);
        let raised = alerts(&office);
        assert!(
            raised
                .last()
                .is_some_and(|a| a.contains("audit") && a.contains(kind)),
            "{raised:?}"
        );
    }
    assert_eq!(alerts(&office).len(), 2);
}

/// Changes who wrote audit entry `seq` of the office, straight in its database (any operator
/// can derive the raw key), and hashes that entry and every later one again, head included,
/// so the chain still verifies.
fn rewrite_audit_entry(office: &Office, seq: i64) {
    let conn = office.raw_db();
    conn.execute("UPDATE audit SET operator = 'eve' WHERE seq = ?1", [seq])
        .unwrap();
    let mut prev: String = conn
        .query_row("SELECT prev_hash FROM audit WHERE seq = ?1", [seq], |r| {
            r.get(0)
        })
        .unwrap();
    let entries: Vec<(i64, Vec<String>, Option<String>)> = conn
        .prepare(
            "SELECT seq, at, operator, action, subject, record_hash FROM audit
             WHERE seq >= ?1 ORDER BY seq",
        )
        .unwrap()
        .query_map([seq], |r| {
            Ok((
                r.get(0)?,
                vec![r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?],
                r.get(5)?,
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (seq, fields, record_hash) in entries {
        let mut hasher = Sha256::new();
        let number = seq.to_string();
        let parts = [prev.as_str(), number.as_str()].into_iter();
        for part in parts
            .chain(fields.iter().map(String::as_str))
            .chain(record_hash.as_deref())
        {
            hasher.update(part.as_bytes());
            hasher.update([0u8]);
        }
        let hash = hex::encode(hasher.finalize());
        conn.execute(
            "UPDATE audit SET prev_hash = ?2, hash = ?3 WHERE seq = ?1",
            rusqlite::params![seq, prev, hash],
        )
        .unwrap();
        conn.execute(
            "UPDATE meta SET value = ?1 WHERE key = 'audit_head'",
            [format!("{seq}:{hash}")],
        )
        .unwrap();
        prev = hash;
    }
}

/// The entry after the office's head when it made batch `seq`.
fn batch_made_at(office: &Office, seq: u64) -> i64 {
    office
        .raw_db()
        .query_row(
            "SELECT seq FROM audit WHERE action = 'batch.create' AND subject = ?1",
            [seq.to_string()],
            |r| r.get(0),
        )
        .unwrap()
}

/// A chain rewritten behind linea's back, hashed again so that it verifies, then grown past
/// what central saw: its entries no longer hold as many as before with another last one, yet
/// the next batch names an entry central knows with another hash.
#[test]
fn an_audit_chain_rewritten_then_extended_raises_an_alert_at_central() {
    let office = Office::with_calls(3);
    let stick = office.stick("stick");
    office.round_trip(&stick);
    rewrite_audit_entry(&office, 2);
    let verified = office.run(&["audit", "verify"]).ok();
    assert!(
        verified.stdout.starts_with("Audit chain intact: "),
        "{verified:?}"
    );
    office.add_calls(1, 9);
    office.sync(&stick).ok();
    let imported = office.central_sync(&stick).ok();
    assert!(imported.stdout.contains("batch 2"), "{imported:?}");
    let raised = alerts(&office);
    assert_eq!(raised.len(), 1, "{raised:?}");
    assert!(
        raised[0].contains(" audit: office pe-lima's audit chain has another entry ")
            && raised[0]
                .ends_with("in batch 2 than in batch 1: the chain was rewritten up to there"),
        "{raised:?}"
    );
}

/// Every batch but the first names the entry where the one before stood, as it stood; an
/// honest office's batches raise no alert whatever order they come in, with one missing.
#[test]
fn an_honest_office_raises_no_audit_alert_in_any_order_or_with_a_gap() {
    let office = Office::with_calls(3);
    let forge = Forge::new(&office);
    let mut files = vec![office.batch_file(&forge, 1)];
    for seq in 2..=4 {
        office.add_calls(1, seq);
        files.push(office.batch_file(&forge, seq));
    }
    let manifests: Vec<Manifest> = files.iter().map(|f| forge.open(f).0).collect();
    assert_eq!(manifests[0].audit_prev, None);
    for pair in manifests.windows(2) {
        assert!(pair[1].audit_prev.is_some(), "{:?}", pair[1]);
        assert_eq!(
            pair[1].audit_prev, pair[0].audit_head,
            "batch {}",
            pair[1].seq
        );
    }
    // Batch 3, then 1, then 4 while 2 is still missing, then 2.
    for index in [2, 0, 3, 1] {
        let run = office.import(&files[index]).ok();
        assert_eq!(alerts(&office), Vec::<String>::new(), "{run:?}");
    }
}

/// linea records a chain cut behind its back in the chain itself (`audit.cut`) and goes on
/// from there; the entries before the cut are as central saw them: no alert at central, and
/// the office's own check reports the cut.
#[test]
fn an_audit_chain_cut_after_what_central_saw_raises_no_alert_at_central() {
    let office = Office::with_calls(3);
    let stick = office.stick("stick");
    office.round_trip(&stick);
    let deleted = office
        .raw_db()
        .execute(
            "DELETE FROM audit WHERE seq > ?1",
            [batch_made_at(&office, 1)],
        )
        .unwrap();
    assert!(deleted > 0);
    office.add_calls(1, 9);
    office.sync(&stick).ok();
    let imported = office.central_sync(&stick).ok();
    assert!(imported.stdout.contains("batch 2"), "{imported:?}");
    assert_eq!(alerts(&office), Vec::<String>::new());
    let line = office.run(&["audit", "verify"]).fails(1);
    assert!(line.contains("deleted or rewritten before entry"), "{line}");
}
