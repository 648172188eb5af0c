//! The store's promises, checked from outside: no plaintext on disk, the right passphrase
//! or nothing, failing closed, key slots that stop working when an operator is removed,
//! and an audit chain that names the entry someone altered and the record someone changed,
//! deleted or added behind linea's back.

mod common;

use std::fs;

use common::{Office, digest_tree, files_under, linea};
use linea::keys::{AgeIdentity, KeyDir, Passphrase, StoreKey};
use linea::model::{CallFields, CaseFields, PersonFields, ReferralFields};
use linea::store::{CentralStore, OfficeStore, Opened, open_db};

/// A store opens as the role it was made for: central's store opened as an office's (to log
/// calls) and an office's opened as central's are each refused in one line saying whose
/// store it is, in the library and on the command line; what serves both opens either.
#[test]
fn a_store_opens_only_as_the_role_it_was_made_for() {
    let office = Office::new();
    let passphrase = Passphrase::new(common::PASSPHRASE.into());
    let central_dir = office.central_dir();
    let central = linea::demo::CENTRAL_LEAD;

    let line = OfficeStore::open(&central_dir, central, &passphrase)
        .unwrap_err()
        .to_string();
    assert_eq!(line.lines().count(), 1, "{line}");
    assert!(
        line.contains("this is central's store") && line.contains("logged at an office"),
        "{line}"
    );
    let line = CentralStore::open(&office.dir(), "ana", &passphrase)
        .unwrap_err()
        .to_string();
    assert_eq!(line.lines().count(), 1, "{line}");
    assert!(
        line.contains("this is an office store") && line.contains("central's store"),
        "{line}"
    );

    assert!(matches!(
        Opened::open(&central_dir, central, &passphrase).unwrap(),
        Opened::Central(_)
    ));
    assert!(matches!(
        Opened::open(&office.dir(), "ana", &passphrase).unwrap(),
        Opened::Office(_)
    ));

    let line = office.run(&["central", "offices"]).fails(2);
    assert!(line.contains("this is an office store"), "{line}");
}

/// Marker strings in every free-text and identifying field of calls, cases, people and
/// referrals must never be found in any file of the store folder.
#[test]
fn no_plaintext_on_disk_before_or_after_a_checkpoint() {
    let office = Office::new();
    let mut store = OfficeStore::open(
        &office.dir(),
        "ana",
        &Passphrase::new(common::PASSPHRASE.into()),
    )
    .unwrap();
    let call = store
        .add_call(CallFields {
            channel: "PHONE".into(),
            caller_type: "FAMILY".into(),
            reason: "TIP".into(),
            caller_name: Some("MARKERNAMEQX".into()),
            caller_phone: Some("911 222 333".into()),
            notes: "MARKERNOTESQX vive en el jirón MARKERSTREETQX".into(),
            ..CallFields::default()
        })
        .unwrap();
    let case = store
        .add_case(CaseFields {
            title: "MARKERTITLEQX".into(),
            notes: "MARKERCASEQX".into(),
            opened_from_call: Some(call.meta.id),
            ..CaseFields::default()
        })
        .unwrap();
    store
        .add_person(
            case.meta.id,
            PersonFields {
                role: "SUSPECT".into(),
                name: Some("MARKERSUSPECTQX".into()),
                alias: Some("MARKERALIASQX".into()),
                phone: Some("944 555 666".into()),
                notes: "MARKERPERSONQX".into(),
                ..PersonFields::default()
            },
        )
        .unwrap();
    store
        .add_referral(
            ReferralFields {
                call_id: Some(call.meta.id),
                target_type: "PNP_STATION".into(),
                institution: "MARKERINSTQX".into(),
                reason: "CRIMINAL_REPORT".into(),
                sharing_basis: "CONSENT".into(),
                reference: Some("MARKERREFQX".into()),
                notes: "MARKERREFNOTESQX".into(),
                ..ReferralFields::default()
            },
            None,
        )
        .unwrap();
    store
        .save_draft("draft-1", "call", r#"{"notes":"MARKERDRAFTQX"}"#)
        .unwrap();
    let markers = [
        "MARKERNAMEQX",
        "911 222 333",
        "MARKERNOTESQX",
        "MARKERSTREETQX",
        "MARKERTITLEQX",
        "MARKERCASEQX",
        "MARKERSUSPECTQX",
        "MARKERALIASQX",
        "944 555 666",
        "MARKERPERSONQX",
        "MARKERINSTQX",
        "MARKERREFQX",
        "MARKERREFNOTESQX",
        "MARKERDRAFTQX",
    ];
    let check = |moment: &str| {
        for file in files_under(&office.dir()) {
            let bytes = fs::read(&file).unwrap();
            for marker in markers {
                assert!(
                    !bytes.windows(marker.len()).any(|w| w == marker.as_bytes()),
                    "{marker} found in plaintext in {} ({moment})",
                    file.display()
                );
            }
        }
    };
    // The records are still in the write-ahead log, not yet in the database file.
    let wal = office.dir().join("linea.db-wal");
    assert!(fs::metadata(&wal).unwrap().len() > 0);
    check("before the checkpoint");
    store.checkpoint().unwrap();
    check("after the checkpoint");
    drop(store);
    check("after closing");
    // And the markers are really in there, for whoever holds the key.
    let shown = office
        .run(&["call", "show", &call.meta.id.to_string()])
        .ok();
    assert!(shown.stdout.contains("MARKERNAMEQX"));
}

#[test]
fn a_wrong_passphrase_says_so_exits_1_and_changes_no_file() {
    let office = Office::new();
    let before = digest_tree(&office.dir());
    let line = office
        .run_with(
            &["call", "list"],
            "",
            &[("LINEA_PASSPHRASE", "not the passphrase")],
        )
        .fails(1);
    assert!(
        line.contains("wrong passphrase for operator 'ana'"),
        "{line}"
    );
    assert_eq!(
        digest_tree(&office.dir()),
        before,
        "a failed unlock changed the store"
    );
}

#[test]
fn a_passphrase_file_works_like_the_environment() {
    let office = Office::new();
    let file = office.root.path().join("pass.txt");
    fs::write(&file, format!("{}\n", common::PASSPHRASE)).unwrap();
    let dir = office.dir();
    let run = || {
        linea(
            &[
                "--store",
                dir.to_str().unwrap(),
                "--operator",
                "luis",
                "--passphrase-file",
                file.to_str().unwrap(),
                "call",
                "list",
            ],
            "",
            &[("LINEA_PASSPHRASE", "")],
        )
    };
    #[cfg(unix)]
    {
        // Readable by others: it works, with one line of warning.
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&file, fs::Permissions::from_mode(0o644)).unwrap();
        let warned = run().ok();
        assert_eq!(warned.stderr.lines().count(), 1, "{warned:?}");
        assert!(
            warned.stderr.starts_with(&format!(
                "linea: warning: other users can read the passphrase file {} (mode 644); make it private: chmod 600",
                file.display()
            )),
            "{warned:?}"
        );
        fs::set_permissions(&file, fs::Permissions::from_mode(0o600)).unwrap();
    }
    let run = run().ok();
    assert_eq!(run.stderr, "", "{run:?}");
}

#[test]
fn an_empty_or_malformed_key_never_leaves_a_database_behind() {
    let dir = tempfile::tempdir().unwrap();
    let keys = KeyDir::of_store(dir.path());
    keys.create().unwrap();
    let recovery = AgeIdentity::generate();
    for bad in ["", "zz", "0123", &"g".repeat(64)] {
        // A key file that decrypts fine but does not hold a 256-bit key.
        let recipient: age::x25519::Recipient = recovery.recipient().parse().unwrap();
        let sealed = age::encrypt(&recipient, bad.as_bytes()).unwrap();
        fs::write(keys.store_key_path(), sealed).unwrap();
        let err = keys
            .read_store_key(&keys.store_key_path(), &recovery)
            .unwrap_err();
        assert!(err.to_string().contains("256-bit key"), "{err}");
    }
    assert!(StoreKey::from_hex("").is_none());
    assert!(!dir.path().join("linea.db").exists());

    // Opening (not creating) with any key never makes a database file.
    let db = dir.path().join("linea.db");
    assert!(open_db(&db, &StoreKey::generate(), false).is_err());
    assert!(!db.exists());
}

#[test]
fn a_store_that_cannot_be_created_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("office");
    let result = linea::store::Store::create(linea::store::NewStore {
        dir: &target,
        kind: linea::store::StoreKind::Office,
        office_id: "pe-cusco",
        office_name: "Cusco",
        lead: "ana",
        passphrase: &Passphrase::new("a good long passphrase".into()),
        work_factor: 4,
        recovery_recipient: "not-a-recipient",
        backup_recipient: None,
        settings: Vec::new(),
        secrets: Vec::new(),
    });
    assert!(result.is_err());
    assert!(!target.exists());
}

/// Operators A (ana) and B (luis); remove B. B's old slot, kept aside, opens nothing;
/// A's still does; so does central's recovery identity.
#[test]
fn removing_an_operator_rotates_the_key_so_their_old_slot_opens_nothing() {
    let office = Office::new();
    let keys = KeyDir::of_store(&office.dir());
    let passphrase = Passphrase::new(common::PASSPHRASE.into());
    let kept_aside = office.root.path().join("luis-slot-copy.age");
    fs::copy(keys.slot_path("luis"), &kept_aside).unwrap();
    let old_key_file = fs::read(keys.store_key_path()).unwrap();
    let luis_before = keys.open_slot("luis", &passphrase).unwrap();
    let old_key = keys
        .read_store_key(&keys.store_key_path(), &luis_before)
        .unwrap();

    let run = office.run(&["operator", "remove", "luis"]).ok();
    assert!(run.stdout.contains("Removed operator luis"), "{run:?}");
    assert!(!keys.slot_path("luis").exists());

    // B's identity, from the slot kept aside, is no recipient of the new key file...
    fs::copy(&kept_aside, keys.slot_path("luis")).unwrap();
    let luis = keys.open_slot("luis", &passphrase).unwrap();
    fs::remove_file(keys.slot_path("luis")).unwrap();
    assert!(keys.read_store_key(&keys.store_key_path(), &luis).is_err());
    // ...and the key B could read before (from an old copy of the key file) opens nothing.
    let db = office.dir().join("linea.db");
    assert!(open_db(&db, &old_key, false).is_err());
    let old_copy = office.root.path().join("old-store-key.age");
    fs::write(&old_copy, old_key_file).unwrap();
    let via_copy = keys.read_store_key(&old_copy, &luis).unwrap();
    assert!(open_db(&db, &via_copy, false).is_err());

    // A still opens the store; so does central's recovery identity.
    office.run(&["call", "list"]).ok();
    let key = office.store_key();
    assert!(open_db(&db, &key, false).is_ok());
    let line = linea(
        &[
            "--store",
            office.dir().to_str().unwrap(),
            "--operator",
            "luis",
            "call",
            "list",
        ],
        "",
        &[],
    )
    .fails(2);
    assert!(line.contains("no operator 'luis'"), "{line}");
}

#[test]
fn operators_are_managed_by_the_lead_only() {
    let office = Office::new();
    let run = office
        .run_with(
            &["operator", "add", "rosa"],
            "",
            &[("LINEA_NEW_PASSPHRASE", "rosa's own passphrase")],
        )
        .ok();
    assert!(run.stdout.contains("Added operator rosa"));
    let listed = office.run(&["operator", "list"]).ok().stdout;
    assert!(
        listed.contains("rosa") && listed.contains("lead"),
        "{listed}"
    );
    let dir = office.dir();
    let as_luis = |args: &[&str]| {
        let mut all = vec!["--store", dir.to_str().unwrap(), "--operator", "luis"];
        all.extend_from_slice(args);
        linea(
            &all,
            "",
            &[("LINEA_NEW_PASSPHRASE", "another long passphrase")],
        )
    };
    let line = as_luis(&["operator", "remove", "rosa"]).fails(1);
    assert!(line.contains("only the office lead"), "{line}");
    let line = as_luis(&["operator", "add", "eve"]).fails(1);
    assert!(line.contains("only the office lead"), "{line}");
    let line = office
        .run_with(
            &["operator", "add", "pat"],
            "",
            &[("LINEA_NEW_PASSPHRASE", "short")],
        )
        .fails(1);
    assert!(line.contains("too short"), "{line}");
    let line = office.run(&["operator", "add", "Bad Name"]).fails(2);
    assert!(line.contains("not a valid operator name"), "{line}");

    // luis changes his passphrase; the old one stops working.
    as_luis(&["operator", "passwd"]).ok();
    let run = linea(
        &[
            "--store",
            dir.to_str().unwrap(),
            "--operator",
            "luis",
            "call",
            "list",
        ],
        "",
        &[],
    );
    assert_eq!(run.code, 1, "{run:?}");
    let run = linea(
        &[
            "--store",
            dir.to_str().unwrap(),
            "--operator",
            "luis",
            "call",
            "list",
        ],
        "",
        &[("LINEA_PASSPHRASE", "another long passphrase")],
    );
    assert_eq!(run.code, 0, "{run:?}");
}

#[test]
fn operator_list_flags_a_slot_below_the_shipped_work_factor() {
    let office = Office::new();
    // The demo's slots are made at the tests' fast 2^4. Give luis's header the shipped
    // 2^19: the list reads the header only, never the passphrase.
    let keys = KeyDir::of_store(&office.dir());
    let mut sealed = fs::read(keys.slot_path("luis")).unwrap();
    let text = String::from_utf8_lossy(&sealed).into_owned();
    let at = text.find(" 4\n").expect("scrypt stanza with work factor 4");
    sealed.splice(at..at + 3, b" 19\n".iter().copied());
    fs::write(keys.slot_path("luis"), sealed).unwrap();

    let run = office.run(&["operator", "list"]).ok();
    let row = |name: &str| {
        run.stdout
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no row for {name}: {run:?}"))
            .to_owned()
    };
    assert!(row("NAME").ends_with("SLOT"), "{run:?}");
    assert!(row("ana").ends_with("2^4 WEAK"), "{run:?}");
    assert!(row("luis").ends_with("2^19"), "{run:?}");
    assert!(
        run.stdout
            .contains("its operator runs `linea operator passwd`"),
        "{run:?}"
    );
}

#[test]
fn a_slot_asking_for_too_much_work_is_refused_at_once() {
    let office = Office::new();
    let keys = KeyDir::of_store(&office.dir());
    let mut sealed = fs::read(keys.slot_path("luis")).unwrap();
    let text = String::from_utf8_lossy(&sealed).into_owned();
    let at = text.find(" 4\n").expect("scrypt stanza with work factor 4");
    sealed.splice(at..at + 3, b" 40\n".iter().copied());
    fs::write(keys.slot_path("luis"), sealed).unwrap();
    let dir = office.dir();
    let line = linea(
        &[
            "--store",
            dir.to_str().unwrap(),
            "--operator",
            "luis",
            "call",
            "list",
        ],
        "",
        &[],
    )
    .fails(1);
    assert!(
        line.contains("work factor 40, above the limit of 20"),
        "{line}"
    );
}

#[test]
fn editing_or_deleting_an_audit_entry_is_caught_and_named() {
    let office = Office::with_calls(20);
    let run = office.run(&["audit", "verify"]).ok();
    assert!(run.stdout.starts_with("Audit chain intact: "), "{run:?}");

    let conn = office.raw_db();
    conn.execute("UPDATE audit SET operator = 'eve' WHERE seq = 12", [])
        .unwrap();
    drop(conn);
    let line = office.run(&["audit", "verify"]).fails(1);
    assert!(
        line.contains("audit entry 12 ") && line.contains("altered"),
        "{line}"
    );

    let office = Office::with_calls(20);
    let conn = office.raw_db();
    conn.execute("DELETE FROM audit WHERE seq = 7", []).unwrap();
    drop(conn);
    let line = office.run(&["audit", "verify"]).fails(1);
    assert!(line.contains("audit entry 7 is missing"), "{line}");
}

/// `audit verify` checks before it writes anything, so a deleted tail is reported; and an
/// ordinary unlock records the cut instead of moving the head past it.
#[test]
fn a_deleted_tail_of_the_audit_chain_is_reported_even_after_an_unlock() {
    let office = Office::with_calls(20);
    let conn = office.raw_db();
    let last: i64 = conn
        .query_row("SELECT max(seq) FROM audit", [], |r| r.get(0))
        .unwrap();
    conn.execute("DELETE FROM audit WHERE seq > ?1", [last - 3])
        .unwrap();
    drop(conn);
    let line = office.run(&["audit", "verify"]).fails(1);
    assert!(
        line.contains(&format!(
            "audit entries after {} are missing: the chain ends at entry {} but entry {last} was written",
            last - 3,
            last - 3
        )),
        "{line}"
    );

    office.run(&["call", "list"]).ok();
    let line = office.run(&["audit", "verify"]).fails(1);
    assert!(
        line.contains(&format!(
            "audit entries were deleted or rewritten before entry {}",
            last - 2
        )) && line.contains(&format!(
            "the head named entry {last}, the chain ended at entry {}",
            last - 3
        )),
        "{line}"
    );
}

/// Any operator can derive the raw key: a record edited in the database directly no longer
/// matches the content hash its latest audit entry carries.
#[test]
fn a_record_edited_behind_linea_s_back_is_named_by_audit_verify() {
    let office = Office::with_calls(20);
    let run = office.run(&["audit", "verify"]).ok();
    assert!(
        run.stdout
            .contains("20 records as their latest entries left them"),
        "{run:?}"
    );
    let conn = office.raw_db();
    let id = first_call(&conn);
    conn.execute(
        "UPDATE calls SET body = json_set(body, '$.notes', 'nada que ver') WHERE id = ?1",
        [&id],
    )
    .unwrap();
    drop(conn);
    let line = office.run(&["audit", "verify"]).fails(1);
    assert!(
        line.contains(&format!("call {id} was changed outside linea")),
        "{line}"
    );
}

/// Deleting a call in the database directly leaves its latest audit entry without the purge
/// that retention would have written.
#[test]
fn a_call_deleted_behind_linea_s_back_is_named_by_audit_verify() {
    let office = Office::with_calls(20);
    let conn = office.raw_db();
    let id = first_call(&conn);
    conn.execute("DELETE FROM calls WHERE id = ?1", [&id])
        .unwrap();
    drop(conn);
    let line = office.run(&["audit", "verify"]).fails(1);
    assert!(
        line.contains(&format!(
            "call {id} was deleted outside linea: its latest audit entry"
        )),
        "{line}"
    );
}

/// Every call is saved with an entry naming it: one inserted in the database directly has none.
#[test]
fn a_call_inserted_behind_linea_s_back_is_named_by_audit_verify() {
    let office = Office::with_calls(20);
    let conn = office.raw_db();
    let id = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";
    conn.execute(
        "INSERT INTO calls (id, office_id, author, created_at, updated_at, version, started_at,
                            reason, urgency, place, case_id, body)
         SELECT ?1, office_id, author, created_at, updated_at, version, started_at,
                reason, urgency, place, NULL, body
         FROM calls LIMIT 1",
        [id],
    )
    .unwrap();
    drop(conn);
    let line = office.run(&["audit", "verify"]).fails(1);
    assert!(
        line.contains(&format!(
            "call {id} was added outside linea: no audit entry names it"
        )),
        "{line}"
    );
}

fn first_call(conn: &rusqlite::Connection) -> String {
    conn.query_row(
        "SELECT id FROM calls ORDER BY started_at LIMIT 1",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

/// A store an older linea left is verified as it is: upgrading it first would write.
#[test]
fn audit_verify_does_not_upgrade_an_older_store() {
    let office = Office::new();
    // As a store of schema version 7 was (version 8 gave audit entries record hashes,
    // version 9 batches what they said of audit chains, version 10 calls their phones,
    // version 11 central's links between calls from one number, version 12 the
    // statistics' totals, version 13 the funnel's).
    office
        .raw_db()
        .execute_batch(
            "DROP INDEX calls_by_phone;
             ALTER TABLE calls DROP COLUMN phone;
             ALTER TABLE audit DROP COLUMN record_hash;
             ALTER TABLE batches DROP COLUMN audit_entries;
             ALTER TABLE batches DROP COLUMN audit_hash;
             ALTER TABLE batches DROP COLUMN audit_prev_entries;
             ALTER TABLE batches DROP COLUMN audit_prev_hash;
             DROP TABLE phone_hashes; DROP TABLE call_callers;
             DROP TABLE call_figures; DROP TABLE referral_figures;
             DROP TABLE case_funnel;
             PRAGMA user_version = 7;",
        )
        .unwrap();
    let run = office.run(&["audit", "verify"]).ok();
    assert!(run.stdout.starts_with("Audit chain intact: "), "{run:?}");
    let version: u32 = office
        .raw_db()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 7, "verify left the store as it was");
    // Any other command upgrades it.
    office.run(&["call", "list"]).ok();
    office.run(&["audit", "verify"]).ok();
}

/// The README's audit paragraph says what `audit verify` finds, and where it does not look.
#[test]
fn the_readme_says_what_audit_verify_detects() {
    let readme = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find("- **Audit**:").expect("an audit paragraph");
    let end = readme[start..]
        .find("\n- **")
        .map_or(readme.len(), |n| start + n);
    let paragraph = readme[start..end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for said in [
        "retention writes an entry for each record it purges",
        "checks before it writes anything",
        "read as it is, not upgraded",
        "the first altered or missing entry",
        "counts the others: changed",
        "deleted (it is gone and its latest entry with a hash is not a purge)",
        "added (no entry names it",
        "is checked for being added only",
        "Central imports records from batches without an entry for each, so there only the chain is checked",
    ] {
        assert!(paragraph.contains(said), "the README does not say {said:?}");
    }
}

#[test]
fn the_store_is_sqlcipher_4_with_safe_settings() {
    let office = Office::new();
    let conn = office.raw_db();
    let version: String = conn
        .query_row("PRAGMA cipher_version", [], |r| r.get(0))
        .unwrap();
    assert!(version.starts_with("4."), "{version}");
    let kind: String = conn
        .query_row("SELECT value FROM meta WHERE key = 'kind'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(kind, "office");
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

/// Another process of the same user can neither attach a debugger to linea nor read its
/// memory (the store key, records on screen): the kernel gives the /proc files of a process
/// that is not dumpable to root. Run as root, the test runs linea as `nobody`, so that the
/// files' owner still tells.
#[cfg(target_os = "linux")]
#[test]
fn another_process_of_the_same_user_cannot_attach_to_linea() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    use std::os::unix::process::CommandExt;
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let fifo = dir.path().join("keymap.toml");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    fs::set_permissions(&fifo, fs::Permissions::from_mode(0o666)).unwrap();

    // `keymap check` of a FIFO waits, past start-up, for something to write to it.
    let mut command = Command::new(env!("CARGO_BIN_EXE_linea"));
    command
        .args(["keymap", "check"])
        .arg(&fifo)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let user = match rustix::process::geteuid().as_raw() {
        0 => {
            command.uid(65534).gid(65534);
            65534
        }
        me => me,
    };
    let mut child = command.spawn().unwrap();
    let proc = std::path::PathBuf::from(format!("/proc/{}", child.id()));
    let waiting = || {
        let stat = fs::read_to_string(proc.join("stat")).unwrap_or_default();
        stat.rsplit(") ")
            .next()
            .is_some_and(|rest| rest.starts_with('S'))
    };
    let started = Instant::now();
    while !waiting() && started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(10));
    }
    let owner = fs::metadata(proc.join("mem")).map(|m| m.uid());
    drop(fs::OpenOptions::new().write(true).open(&fifo));
    child.wait().unwrap();
    assert_eq!(
        owner.unwrap(),
        0,
        "linea, running as {user}, is dumpable: its memory is open to that user"
    );
}

#[test]
fn files_of_the_store_are_private_to_their_owner() {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let kit_dir = dir.path();
        // Made through the real binary, whose umask is 077.
        let central = kit_dir.join("central");
        linea(
            &[
                "--store",
                central.to_str().unwrap(),
                "--operator",
                "rosa",
                "central",
                "init",
                "--recovery-out",
                kit_dir.join("recovery.txt").to_str().unwrap(),
            ],
            "",
            &[],
        )
        .ok();
        for file in files_under(&central)
            .into_iter()
            .chain([kit_dir.join("recovery.txt")])
        {
            let mode = fs::metadata(&file).unwrap().permissions().mode() & 0o777;
            assert_eq!(
                mode & 0o077,
                0,
                "{} is readable by others ({mode:o})",
                file.display()
            );
        }
    }
}

/// A store from before phones were searchable (schema version 9) finds its earlier calls by
/// phone once upgraded, and the upgrade reads as no change to them in the audit chain.
#[test]
fn calls_logged_before_phones_were_searchable_are_found_by_phone_after_the_upgrade() {
    let office = Office::new();
    let lines = [
        r#"{"channel":"PHONE","caller_type":"FAMILY","reason":"TIP","caller_phone":"+51 987 654 321"}"#,
        r#"{"channel":"PHONE","caller_type":"FAMILY","reason":"TIP","caller_phone":"(01) 234-5678"}"#,
    ]
    .join("\n");
    let ids = office.run_stdin(&["call", "add"], &lines).ok().stdout;
    // As a store of schema version 9 was: no phone beside the body (nor the links of
    // version 11, nor the statistics' totals of versions 12 and 13).
    office
        .raw_db()
        .execute_batch(
            "DROP INDEX calls_by_phone;
             ALTER TABLE calls DROP COLUMN phone;
             DROP TABLE phone_hashes; DROP TABLE call_callers;
             DROP TABLE call_figures; DROP TABLE referral_figures;
             DROP TABLE case_funnel;
             PRAGMA user_version = 9;",
        )
        .unwrap();
    let found = office
        .run(&["call", "list", "--phone", "0987-654-321"])
        .ok()
        .stdout;
    let first = ids.lines().next().unwrap();
    assert!(found.contains(first), "{found}");
    assert_eq!(found.lines().count(), 2, "{found}");
    let verify = office.run(&["audit", "verify"]).ok();
    assert!(
        verify.stdout.starts_with("Audit chain intact: "),
        "{verify:?}"
    );
}
