//! The sync screen (F9) driven with keys through the real application: a folder typed or a
//! mounted stick picked, the sync run tick by tick, the stick holding the batch afterwards,
//! and the screen saying what went and what came back. Snapshots at 80x24 in Spanish and
//! English, with the temporary folders shown as [STICK] and [MEDIA].

mod common;

use std::path::{Path, PathBuf};

use common::Office;
use common::exchange::batch_files;
use common::tui::{ASCII, COLOR, Desk, NO_COLOR, now};
use linea::model::Lang;
use linea::store::Clock;
use ratatui::style::Color;

const LANGS: [Lang; 2] = [Lang::Es, Lang::En];

/// At home with no mounted media offered (the machine's own /media would vary).
fn at_home(lang: Lang) -> Desk {
    let mut desk = Desk::unlocked(lang, COLOR);
    desk.app.set_media_roots(Vec::new());
    desk
}

fn stick_of(desk: &Desk) -> PathBuf {
    desk.office.root.path().join("stick")
}

/// Ticks until the sync has finished (each tick is one step of it).
fn run_to_the_end(desk: &mut Desk) {
    for _ in 0..50 {
        desk.tick();
        let screen = desk.screen();
        if !screen.contains("Syncing...") && !screen.contains("Sincronizando...") {
            return;
        }
    }
    panic!("the sync did not finish:\n{}", desk.screen());
}

/// The figure the gauge shows, like "25%".
fn percent(screen: &str) -> Option<String> {
    let line = screen.lines().find(|l| l.contains('%'))?;
    let end = line.find('%')?;
    let digits: String = line[..end]
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect();
    Some(format!("{}%", digits.chars().rev().collect::<String>()))
}

/// The screen with the test's temporary folders named.
fn shown(desk: &mut Desk, names: &[(&Path, &str)]) -> String {
    let mut screen = desk.screen();
    for (path, name) in names {
        screen = screen.replace(&path.display().to_string(), name);
    }
    screen
}

#[test]
fn f9_with_a_typed_folder_puts_the_batch_on_the_stick_and_says_so() {
    let mut desk = at_home(Lang::En);
    let stick = stick_of(&desk);
    desk.press("f9");
    assert!(
        desk.screen().contains("type the stick's folder below"),
        "{}",
        desk.screen()
    );
    desk.type_text(&stick.display().to_string());
    desk.press("enter");
    // Nothing has run yet: the sync starts on the next tick, with the screen saying so.
    assert!(desk.screen().contains("Syncing..."), "{}", desk.screen());
    assert!(batch_files(&stick).is_empty());
    run_to_the_end(&mut desk);
    assert_eq!(batch_files(&stick).len(), 1, "one batch on the stick");
    let screen = desk.screen();
    assert!(screen.contains("Sync done"), "{screen}");
    assert!(screen.contains("New batch no. 1"), "{screen}");
    assert!(
        screen.contains("Batch 1 is on the stick for central"),
        "{screen}"
    );
    assert!(screen.contains("Nothing new from central"), "{screen}");
    let store = desk.store();
    assert_eq!(store.outbox(true).unwrap().len(), 1);
    assert_eq!(store.unbatched_change_count().unwrap(), 0);
}

#[test]
fn the_gauge_moves_phase_by_phase() {
    let mut desk = at_home(Lang::En);
    let stick = stick_of(&desk);
    desk.press("f9");
    desk.type_text(&stick.display().to_string());
    desk.press("enter");
    let mut phases = Vec::new();
    for _ in 0..50 {
        let screen = desk.screen();
        if let Some(percent) = percent(&screen) {
            phases.push(percent);
        }
        if screen.contains("Sync done") {
            break;
        }
        desk.tick();
    }
    phases.dedup();
    assert_eq!(phases, ["0%", "25%", "50%", "85%"], "{phases:?}");
}

#[test]
fn a_mounted_stick_is_offered_and_picked_with_enter() {
    let mut desk = at_home(Lang::En);
    let media = desk.office.root.path().join("media");
    std::fs::create_dir_all(media.join("KINGSTON")).unwrap();
    std::fs::create_dir_all(media.join("SANDISK")).unwrap();
    desk.app.set_media_roots(vec![media.clone()]);
    desk.press("f9 down enter");
    run_to_the_end(&mut desk);
    assert!(batch_files(&media.join("KINGSTON")).is_empty());
    assert_eq!(batch_files(&media.join("SANDISK")).len(), 1);
}

#[test]
fn syncing_again_uses_the_folder_just_synced_not_the_first_stick_offered() {
    let mut desk = at_home(Lang::En);
    let media = desk.office.root.path().join("media");
    std::fs::create_dir_all(media.join("KINGSTON")).unwrap();
    desk.app.set_media_roots(vec![media.clone()]);
    let stick = stick_of(&desk);
    desk.press("f9");
    desk.type_text(&stick.display().to_string());
    desk.press("enter");
    run_to_the_end(&mut desk);
    // The report says which key syncs again, and its key bar shows the same one.
    let report = desk.screen();
    assert!(report.contains("F9: sync again"), "{report}");
    let key_bar = report.lines().last().unwrap_or_default().to_owned();
    assert!(key_bar.contains("F9"), "{key_bar}");
    desk.press("f9 enter");
    run_to_the_end(&mut desk);
    assert!(desk.screen().contains("Sync done"), "{}", desk.screen());
    assert!(batch_files(&media.join("KINGSTON")).is_empty());
    assert_eq!(batch_files(&stick).len(), 1);
}

#[test]
fn a_second_sync_after_central_shows_what_came_back() {
    let mut desk = at_home(Lang::En);
    let stick = stick_of(&desk);
    desk.press("f9");
    desk.type_text(&stick.display().to_string());
    desk.press("enter");
    run_to_the_end(&mut desk);
    desk.office.central_sync(&stick).ok();
    // Again, from the report: enter goes back to the choice, the folder still typed.
    desk.press("enter enter");
    run_to_the_end(&mut desk);
    let screen = desk.screen();
    assert!(screen.contains("Receipt 1 applied"), "{screen}");
    assert!(screen.contains("Reference pack 1 applied"), "{screen}");
    assert!(
        screen.contains("Nothing waits for central: every batch has its receipt"),
        "{screen}"
    );
    // Home counts the days since that receipt.
    desk.press("esc");
    assert!(
        desk.screen().contains("Last receipt from central: today"),
        "{}",
        desk.screen()
    );
}

#[test]
fn a_folder_that_cannot_be_a_stick_stops_the_sync_with_the_reason() {
    let mut desk = at_home(Lang::En);
    let file = desk.office.root.path().join("not-a-folder");
    std::fs::write(&file, b"x").unwrap();
    desk.press("f9");
    desk.type_text(&file.display().to_string());
    desk.press("enter");
    run_to_the_end(&mut desk);
    let screen = desk.screen();
    assert!(screen.contains("The sync stopped"), "{screen}");
    assert!(screen.contains("not-a-folder"), "{screen}");
}

#[test]
fn home_warns_when_a_batch_has_waited_too_long_for_its_receipt() {
    let office = Office::new();
    common::tui::seed_calls(&office);
    let stick = office.root.path().join("stick");
    {
        // A batch made three weeks ago, never acknowledged.
        let mut store = office.office_store();
        store.set_clock(Clock::Fixed(now() - chrono::TimeDelta::days(21)));
        linea::exchange::sync::office_sync(&mut store, &stick).unwrap();
    }
    let mut desk = Desk::on(office, Lang::En, COLOR, 80, 24);
    desk.unlock();
    let screen = desk.screen();
    assert!(
        screen.contains("A batch has waited 21 days for central's receipt"),
        "{screen}"
    );
    assert!(screen.contains("take a stick to central (F9)"), "{screen}");
    assert!(screen.contains("No receipt from central yet"), "{screen}");
    // The lead gives batches longer: the warning goes.
    {
        let mut store = desk.store();
        store
            .set_office_setting(linea::store::OfficeSetting::ReceiptWarningDays, "30")
            .unwrap();
    }
    desk.press("f5 esc");
    assert!(!desk.screen().contains("has waited"), "{}", desk.screen());
}

// Snapshots.

#[test]
fn snapshot_choosing_a_typed_folder() {
    for lang in LANGS {
        let mut desk = at_home(lang);
        desk.press("f9");
        desk.type_text("/media/ana/USB");
        insta::assert_snapshot!(format!("sync_choose_{lang}"), desk.screen());
    }
}

#[test]
fn snapshot_choosing_a_mounted_stick() {
    for lang in LANGS {
        let mut desk = at_home(lang);
        let media = desk.office.root.path().join("media");
        std::fs::create_dir_all(media.join("KINGSTON")).unwrap();
        desk.app.set_media_roots(vec![media.clone()]);
        desk.press("f9");
        let screen = shown(&mut desk, &[(&media, "[MEDIA]")]);
        insta::assert_snapshot!(format!("sync_choose_mounted_{lang}"), screen);
    }
}

#[test]
fn snapshot_syncing() {
    for lang in LANGS {
        let mut desk = at_home(lang);
        let stick = stick_of(&desk);
        desk.press("f9");
        desk.type_text(&stick.display().to_string());
        desk.press("enter");
        desk.tick();
        desk.tick();
        let screen = shown(&mut desk, &[(&stick, "[STICK]")]);
        insta::assert_snapshot!(format!("sync_running_{lang}"), screen);
    }
}

#[test]
fn snapshot_the_report() {
    for lang in LANGS {
        let mut desk = at_home(lang);
        let stick = stick_of(&desk);
        desk.press("f9");
        desk.type_text(&stick.display().to_string());
        desk.press("enter");
        run_to_the_end(&mut desk);
        let screen = shown(&mut desk, &[(&stick, "[STICK]")]);
        insta::assert_snapshot!(format!("sync_report_{lang}"), screen);
    }
}

#[test]
fn snapshot_the_report_with_what_came_back() {
    for lang in LANGS {
        let mut desk = at_home(lang);
        let stick = stick_of(&desk);
        desk.press("f9");
        desk.type_text(&stick.display().to_string());
        desk.press("enter");
        run_to_the_end(&mut desk);
        desk.office.central_sync(&stick).ok();
        desk.press("enter enter");
        run_to_the_end(&mut desk);
        let screen = shown(&mut desk, &[(&stick, "[STICK]")]);
        insta::assert_snapshot!(format!("sync_report_back_{lang}"), screen);
    }
}

#[test]
fn without_colour_or_unicode_the_gauge_is_still_there() {
    for caps in [NO_COLOR, ASCII] {
        let mut desk = Desk::unlocked(Lang::En, caps);
        desk.app.set_media_roots(Vec::new());
        let stick = stick_of(&desk);
        desk.press("f9");
        desk.type_text(&stick.display().to_string());
        desk.press("enter");
        desk.tick();
        desk.tick();
        let screen = desk.screen();
        assert_eq!(percent(&screen).as_deref(), Some("25%"), "{screen}");
        if !caps.color {
            let buffer = desk.buffer();
            assert!(
                buffer
                    .content()
                    .iter()
                    .all(|cell| cell.fg == Color::Reset && cell.bg == Color::Reset),
                "no colour at all under NO_COLOR"
            );
        }
        if !caps.unicode {
            assert!(screen.contains("[####"), "{screen}");
            assert!(!screen.contains('█'), "{screen}");
        }
    }
}

#[test]
fn the_report_warns_of_a_long_wait_and_lists_refused_files() {
    let office = Office::new();
    common::tui::seed_calls(&office);
    let stick = office.root.path().join("stick");
    {
        let mut store = office.office_store();
        store.set_clock(Clock::Fixed(now() - chrono::TimeDelta::days(21)));
        linea::exchange::sync::office_sync(&mut store, &stick).unwrap();
    }
    let junk = common::exchange::to_office(&stick).join("r-junk.age");
    std::fs::write(&junk, b"not an age file").unwrap();
    let mut desk = Desk::on(office, Lang::En, COLOR, 80, 24);
    desk.unlock();
    desk.app.set_media_roots(Vec::new());
    desk.press("f9");
    desk.type_text(&stick.display().to_string());
    desk.press("enter");
    run_to_the_end(&mut desk);
    let screen = desk.screen();
    assert!(
        screen.contains("A batch has waited 21 days for central's receipt"),
        "{screen}"
    );
    assert!(
        screen.contains("1 file on the stick was refused"),
        "{screen}"
    );
    assert!(screen.contains("r-junk.age: refused"), "{screen}");
    assert!(
        common::exchange::set_aside(&stick, &junk),
        "a refused file is set aside"
    );
}
