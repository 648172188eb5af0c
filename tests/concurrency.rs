//! Several linea processes on one store are normal use: two operators, a desk open beside
//! `linea call list`, the lead removing an operator while others work. None of it may lose
//! or lock the store: rotations never overlap, writers wait for each other, a desk catches up
//! with a rotated key (or locks, if its own operator was removed), and a save into a store
//! folder that is no longer there is refused, not reported saved.

mod common;

use std::fs;
use std::io::{BufRead, BufReader};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use common::tui::{COLOR, Desk};
use common::{FAST_WORK_FACTOR, Office, PASSPHRASE};
use linea::keys::{AgeIdentity, KeyDir, Passphrase, StoreKey};
use linea::model::Lang;
use linea::store::{OfficeSetting, OfficeStore, Wait, on_wait, open_db};

const NEW_PASSPHRASE: (&str, &str) = ("LINEA_NEW_PASSPHRASE", PASSPHRASE);

fn passphrase() -> Passphrase {
    Passphrase::new(PASSPHRASE.into())
}

/// The store as the processes left it: central's recovery identity opens it (read with
/// nothing repaired first), then every operator with a slot, and it holds `calls` calls.
fn assert_store_whole(office: &Office, calls: u64, round: usize) {
    let conn = open_db(&office.dir().join("linea.db"), &office.store_key(), false)
        .unwrap_or_else(|e| panic!("round {round}: the recovery identity opens nothing: {e}"));
    let counted: u64 = conn
        .query_row("SELECT count(*) FROM calls", [], |row| row.get(0))
        .unwrap();
    assert_eq!(
        counted, calls,
        "round {round}: calls through the recovery key"
    );
    drop(conn);
    let names = KeyDir::of_store(&office.dir()).operator_names().unwrap();
    assert!(
        names.contains(&"ana".to_owned()),
        "round {round}: {names:?}"
    );
    for name in names {
        let store = OfficeStore::open(&office.dir(), &name, &passphrase())
            .unwrap_or_else(|e| panic!("round {round}: {name}'s slot opens nothing: {e}"));
        assert_eq!(store.call_count().unwrap(), calls, "round {round}, {name}");
    }
}

#[test]
fn operators_removed_and_added_while_another_process_opens_the_store_lose_nothing() {
    let office = Office::with_calls(12);
    for round in 0..20 {
        let rotating = AtomicBool::new(true);
        thread::scope(|scope| {
            // Another operator's `call list`, again and again, as long as the lead works.
            let opener = scope.spawn(|| {
                let mut opened = 0;
                while rotating.load(Ordering::Relaxed) || opened == 0 {
                    office.run(&["call", "list", "--limit", "1"]).ok();
                    opened += 1;
                }
            });
            office.run(&["operator", "remove", "luis"]).ok();
            office
                .run_with(&["operator", "add", "luis"], "", &[NEW_PASSPHRASE])
                .ok();
            rotating.store(false, Ordering::Relaxed);
            opener.join().unwrap();
        });
        assert_store_whole(&office, 12, round);
    }
}

#[test]
fn writers_in_parallel_all_succeed_even_beside_a_long_transaction() {
    let office = Office::new();
    let minimal = r#"{"channel":"PHONE","caller_type":"FAMILY","reason":"TIP"}"#;
    let long_write_done = AtomicBool::new(false);
    thread::scope(|scope| {
        // A long write elsewhere (as a purge step or a batch import is): the others wait.
        scope.spawn(|| {
            let conn = office.raw_db();
            // IMMEDIATE takes the write lock at once, and keeps it until the end.
            conn.execute_batch("BEGIN IMMEDIATE").unwrap();
            thread::sleep(Duration::from_millis(800));
            conn.execute_batch("ROLLBACK").unwrap();
            long_write_done.store(true, Ordering::Relaxed);
        });
        let writers: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    for _ in 0..6 {
                        office.run_stdin(&["call", "add"], minimal).ok();
                    }
                })
            })
            .collect();
        for writer in writers {
            writer.join().unwrap();
        }
    });
    assert!(long_write_done.load(Ordering::Relaxed));
    assert_eq!(common::call_count(&office), 24);
}

#[test]
fn an_operator_removal_waiting_for_a_reader_says_so_truthfully_then_goes_on() {
    let office = Office::new();
    // Another linea reading the store (a desk at work, a `call list`).
    let reader = fs::File::open(office.dir().join(linea::store::LOCK_FILE)).unwrap();
    reader.lock_shared().unwrap();
    let dir = office.dir();
    let mut removal = common::linea_command(&[
        "--store",
        dir.to_str().unwrap(),
        "--operator",
        "ana",
        "operator",
        "remove",
        "luis",
    ])
    .spawn()
    .unwrap();
    let mut stderr = BufReader::new(removal.stderr.take().unwrap());
    let mut said = String::new();
    stderr.read_line(&mut said).unwrap();
    reader.unlock().unwrap();
    let output = removal.wait_with_output().unwrap();
    assert!(
        said.starts_with("linea: waiting for another linea on this store"),
        "{said}"
    );
    assert!(!said.contains("writing"), "nobody was writing: {said}");
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        KeyDir::of_store(&dir).operator_names().unwrap(),
        vec!["ana".to_owned()]
    );
}

#[test]
fn a_key_change_while_another_program_reads_the_database_fails_cleanly_and_is_done_later() {
    let office = Office::with_calls(3);
    let old_key = office.store_key();
    // Another program in the middle of reading the database (a backup tool, sqlcipher):
    // the write-ahead log, where pages under the old key are, cannot be emptied.
    let reader = office.raw_db();
    reader.execute_batch("BEGIN").unwrap();
    let counted: u64 = reader
        .query_row("SELECT count(*) FROM calls", [], |row| row.get(0))
        .unwrap();
    assert_eq!(counted, 3);
    let line = office.run(&["operator", "remove", "luis"]).fails(1);
    assert!(
        line.contains("another program has the store's database open"),
        "{line}"
    );
    // Meanwhile the store opens as it is.
    office.run(&["call", "list"]).ok();
    drop(reader);
    // The next unlock replaces the key: luis's old key opens nothing.
    office.run(&["call", "list"]).ok();
    let db = office.dir().join("linea.db");
    assert!(open_db(&db, &old_key, false).is_err());
    assert_eq!(
        KeyDir::of_store(&office.dir()).operator_names().unwrap(),
        vec!["ana".to_owned()]
    );
    assert_store_whole(&office, 3, 0);
}

/// Half a call typed at the desk: caller, reason, name.
fn type_half_a_call(desk: &mut Desk, name: &str) {
    desk.press("f3");
    desk.type_text("family");
    desk.press("enter");
    desk.type_text("report of");
    desk.press("enter tab");
    desk.type_text(name);
}

/// An office with a third operator, rosa, beside ana (the lead) and luis.
fn office_with_rosa() -> Office {
    let office = Office::with_calls(3);
    let mut store = OfficeStore::open(&office.dir(), "ana", &passphrase()).unwrap();
    store
        .add_operator("rosa", &passphrase(), FAST_WORK_FACTOR)
        .unwrap();
    office
}

#[test]
fn a_desk_open_while_the_lead_removes_another_operator_keeps_listing_and_saving() {
    let office = office_with_rosa();
    let mut desk = Desk::on_as(office, "luis", Lang::En, COLOR);
    desk.unlock();
    type_half_a_call(&mut desk, "Nilda Quispe");
    desk.office.run(&["operator", "remove", "rosa"]).ok();
    desk.tick();
    desk.type_text(" Mamani");
    desk.press("f2");
    let screen = desk.screen();
    assert!(screen.contains("Call saved"), "{screen}");
    desk.press("f5");
    let screen = desk.screen();
    assert!(!screen.contains("No calls match"), "{screen}");
    assert!(screen.contains("Report of a po"), "{screen}");
    assert!(!desk.app.is_locked());
    let store = OfficeStore::open(&desk.office.dir(), "luis", &passphrase()).unwrap();
    assert_eq!(store.call_count().unwrap(), 4);
    assert!(
        store.drafts().unwrap().is_empty(),
        "the draft went with the save"
    );
}

#[test]
fn a_desk_whose_operator_is_removed_locks_saying_why_and_the_draft_comes_back_with_them() {
    let office = Office::new();
    let mut desk = Desk::on_as(office, "luis", Lang::En, COLOR);
    desk.unlock();
    type_half_a_call(&mut desk, "Nilda Quispe");
    desk.tick_after_draft_delay();
    desk.office.run(&["operator", "remove", "luis"]).ok();
    desk.tick();
    assert!(desk.app.is_locked(), "{}", desk.screen());
    assert!(desk.app.store().is_none(), "the store is closed");
    let screen = desk.screen();
    assert!(screen.contains("luis has been removed"), "{screen}");
    assert!(
        !screen.contains("Nilda"),
        "nothing of the call stays on screen: {screen}"
    );

    let Desk { office, .. } = desk;
    office
        .run_with(&["operator", "add", "luis"], "", &[NEW_PASSPHRASE])
        .ok();
    let mut desk = Desk::on_as(office, "luis", Lang::En, COLOR);
    desk.unlock();
    let screen = desk.screen();
    assert!(screen.contains("Nilda Quispe"), "{screen}");
}

/// Another linea replacing the store key (as removing an operator does), caught half-way:
/// it has the store to itself, the database is under the new key and the key file says so.
/// Dropping the file it returns lets the store go.
fn key_change_under_way(office: &Office) -> fs::File {
    let lock = fs::File::open(office.dir().join(linea::store::LOCK_FILE)).unwrap();
    lock.lock().unwrap();
    let key = StoreKey::generate();
    let rekey = format!("PRAGMA rekey = \"x'{}'\"", &*key.reveal_hex());
    office.raw_db().execute_batch(&rekey).unwrap();
    let keys = KeyDir::of_store(&office.dir());
    let ana = keys.open_slot("ana", &passphrase()).unwrap();
    let recovery = AgeIdentity::read_recovery_file(&office.recovery_file()).unwrap();
    keys.write_store_key(
        &keys.store_key_path(),
        &key,
        &[ana.recipient(), recovery.recipient()],
    )
    .unwrap();
    lock
}

#[test]
fn a_desk_opening_while_another_linea_changes_the_keys_waits_before_reading_anything() {
    let office = Office::new();
    let mut store = OfficeStore::open(&office.dir(), "ana", &passphrase()).unwrap();
    store
        .set_office_setting(OfficeSetting::AutolockMinutes, "2")
        .unwrap();
    let key_change = key_change_under_way(&office);
    // The other linea finishes once the desk has said it waits for it.
    let (told, heard) = mpsc::channel();
    on_wait(move |wait| told.send(wait).unwrap());
    let other = thread::spawn(move || {
        let wait = heard.recv().ok();
        drop(key_change);
        wait
    });
    let mut desk = Desk::with_store(office, store, Lang::En, COLOR);
    on_wait(|_| {});
    assert_eq!(other.join().unwrap(), Some(Wait::KeyChange));
    let screen = desk.screen();
    assert!(desk.app.message().is_none(), "{screen}");
    assert_eq!(
        desk.app.autolock(),
        Duration::from_secs(120),
        "the lead's auto-lock holds"
    );
    assert!(screen.contains("Home"), "{screen}");
}

#[test]
fn a_desk_that_cannot_catch_up_with_its_store_leaves_it_alone_and_says_why() {
    let mut desk = Desk::unlocked(Lang::En, COLOR);
    let key_file = KeyDir::of_store(&desk.office.dir()).store_key_path();
    let aside = key_file.with_extension("aside");
    // A key file taken away (a backup restored half-way): whether another linea changed
    // the key cannot be known, so nothing is read with the one in memory.
    fs::rename(&key_file, &aside).unwrap();
    desk.press("f5");
    let screen = desk.screen();
    assert!(screen.contains("store.key.age: No such file"), "{screen}");
    assert!(screen.starts_with(" linea | Home |"), "{screen}");
    fs::rename(&aside, &key_file).unwrap();
    desk.press("f5");
    let screen = desk.screen();
    assert!(screen.starts_with(" linea | Calls |"), "{screen}");
}

#[test]
fn after_a_lock_out_the_unlock_screen_asks_who_is_working_and_takes_a_name_typed() {
    let office = office_with_rosa();
    let mut desk = Desk::on_as(office, "luis", Lang::En, COLOR);
    desk.unlock();
    desk.office.run(&["operator", "remove", "luis"]).ok();
    desk.tick();
    assert!(desk.app.is_locked(), "{}", desk.screen());
    let screen = desk.screen();
    assert!(
        screen
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .contains(
                "The draft saved a moment before is kept (the last keys typed may be missing)"
            ),
        "{screen}"
    );
    let field = screen.lines().find(|l| l.contains("Operator")).unwrap();
    assert!(!field.contains("ana"), "nobody else is chosen: {screen}");
    // The next to work types their name, picks it, then their passphrase.
    desk.type_text("rosa");
    desk.press("enter");
    let screen = desk.screen();
    let field = screen.lines().find(|l| l.contains("Operator")).unwrap();
    assert!(field.contains("rosa"), "{screen}");
    desk.unlock();
    assert_eq!(desk.app.store().unwrap().operator(), "rosa");
}

/// Unix only: Windows refuses to move or delete a folder whose files are open.
#[cfg(unix)]
#[test]
fn a_store_folder_moved_or_replaced_under_the_desk_refuses_the_save_and_keeps_the_call() {
    /// Copies a folder and what is in it (the store's files, its keys).
    fn copy_folder(from: &std::path::Path, to: &std::path::Path) {
        fs::create_dir(to).unwrap();
        for entry in fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy_folder(&entry.path(), &target);
            } else {
                fs::copy(entry.path(), target).unwrap();
            }
        }
    }

    let mut desk = Desk::unlocked(Lang::En, COLOR);
    let dir = desk.office.dir();
    let aside = dir.with_file_name("office-aside");
    let before = desk.store().call_count().unwrap();
    type_half_a_call(&mut desk, "Nilda Quispe");

    fs::rename(&dir, &aside).unwrap();
    desk.press("f2");
    let screen = desk.screen();
    assert!(!screen.contains("Call saved"), "{screen}");
    assert!(screen.contains("store folder is gone"), "{screen}");
    assert!(
        screen.contains("Nilda Quispe"),
        "the call stays on screen: {screen}"
    );

    // A copy put in its place (a backup restored) is another store: still refused.
    copy_folder(&aside, &dir);
    desk.press("f2");
    let screen = desk.screen();
    assert!(screen.contains("store folder is gone"), "{screen}");
    assert!(screen.contains("Nilda Quispe"), "{screen}");
    fs::remove_dir_all(&dir).unwrap();

    // The folder put back: the call is saved, once.
    fs::rename(&aside, &dir).unwrap();
    desk.press("f2");
    let screen = desk.screen();
    assert!(screen.contains("Call saved"), "{screen}");
    assert_eq!(desk.store().call_count().unwrap(), before + 1);
}
