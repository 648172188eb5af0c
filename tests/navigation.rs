//! Navigation an operator can predict, and nothing lost: Esc goes back one screen and stops
//! at home, one key goes home from anywhere, Enter and Esc never discard an unsaved call,
//! a discarded call comes back the same day (and is gone the next), and every key bar fits
//! 80 columns with its most used keys.

mod common;

use chrono::TimeDelta;
use common::tui::{ASCII, COLOR, Desk, NO_COLOR, now};
use linea::model::Lang;
use linea::store::Clock;

/// The screen's name, from its title line (" linea | NAME | office | operator").
fn screen_name(desk: &mut Desk) -> String {
    let screen = desk.screen();
    let title = screen.lines().next().unwrap_or_default();
    title.split(" | ").nth(1).unwrap_or_default().to_owned()
}

fn key_bar(desk: &mut Desk) -> String {
    desk.screen().lines().last().unwrap_or_default().to_owned()
}

/// A new call with a reason and a note typed, its draft written.
fn typed_call(desk: &mut Desk) {
    desk.press("f3");
    desk.type_text("family");
    desk.press("enter");
    desk.type_text("report of");
    desk.press("enter");
    desk.tick_after_draft_delay();
}

fn call_kinds(desk: &Desk) -> Vec<String> {
    desk.store()
        .drafts()
        .unwrap()
        .into_iter()
        .map(|d| d.kind)
        .collect()
}

#[test]
fn esc_then_enter_on_an_unsaved_call_keeps_it() {
    let mut desk = Desk::unlocked(Lang::En, COLOR);
    desk.press("f3");
    desk.type_text("family");
    desk.press("enter");
    desk.tick_after_draft_delay();
    for keys in ["esc enter", "esc esc"] {
        desk.press(keys);
        let screen = desk.screen();
        assert!(screen.contains("| New call"), "{keys}: {screen}");
        assert!(screen.contains("Family member"), "{keys}: {screen}");
    }
    assert_eq!(desk.store().call_count().unwrap(), 3, "nothing saved");
    assert_eq!(call_kinds(&desk), ["call"], "the draft is still there");
}

#[test]
fn a_discarded_call_comes_back_the_same_day_and_is_gone_the_next() {
    let mut desk = Desk::unlocked(Lang::En, COLOR);
    typed_call(&mut desk);
    desk.press("esc ctrl-d");
    let home = desk.screen();
    assert_eq!(screen_name(&mut desk), "Home");
    assert!(
        home.contains("Call discarded. Ctrl-Y on home brings it back"),
        "{home}"
    );
    assert!(
        home.contains("1 call discarded today: Ctrl-Y brings it back"),
        "{home}"
    );
    assert!(key_bar(&mut desk).contains("Ctrl-Y Bring back"));
    assert_eq!(call_kinds(&desk), ["call-discarded"]);

    desk.press("ctrl-y");
    let back = desk.screen();
    assert!(back.contains("| New call"), "{back}");
    assert!(back.contains("Family member"), "{back}");
    desk.tick_after_draft_delay();
    assert_eq!(call_kinds(&desk), ["call"], "brought back, a draft again");

    desk.press("esc ctrl-d");
    desk.app.set_clock(Clock::Fixed(now() + TimeDelta::days(1)));
    desk.press("f5 esc");
    let next_day = desk.screen();
    assert!(!next_day.contains("discarded"), "{next_day}");
    assert!(call_kinds(&desk).is_empty(), "purged after its day");
    desk.press("ctrl-y");
    assert_eq!(screen_name(&mut desk), "Home", "nothing to bring back");
}

#[test]
fn home_from_a_call_being_typed_keeps_it_to_bring_back() {
    let mut desk = Desk::unlocked(Lang::En, COLOR);
    typed_call(&mut desk);
    desk.press("f12");
    let home = desk.screen();
    assert_eq!(screen_name(&mut desk), "Home");
    assert!(
        home.contains("1 call not saved: Ctrl-Y brings it back"),
        "{home}"
    );
    desk.press("ctrl-y");
    assert!(desk.screen().contains("Family member"), "{}", desk.screen());
    desk.press("f2");
    assert_eq!(
        desk.store().call_count().unwrap(),
        4,
        "saved once brought back"
    );
    assert!(call_kinds(&desk).is_empty());
}

#[test]
fn esc_goes_back_one_screen_and_never_walks_the_same_screen_twice() {
    let mut desk = Desk::unlocked(Lang::En, COLOR);
    desk.press("f5 f6 f5 f6 f5 f6 f8 f7");
    assert_eq!(screen_name(&mut desk), "Statistics");
    let mut seen = Vec::new();
    for _ in 0..6 {
        desk.press("esc");
        seen.push(screen_name(&mut desk));
    }
    assert_eq!(
        seen,
        ["Directory", "Search", "Calls", "Home", "Home", "Home"],
        "back one screen at a time, stopping at home"
    );
    // A call opened from the list, its case and the call again: back to the list.
    desk.press("f5 enter");
    assert_eq!(screen_name(&mut desk), "Call");
    desk.press("f6 f5");
    assert_eq!(
        screen_name(&mut desk),
        "Calls",
        "back to the list, not a new one"
    );
    desk.press("esc");
    assert_eq!(screen_name(&mut desk), "Home");
}

#[test]
fn one_key_goes_home_from_anywhere_even_from_help() {
    let mut desk = Desk::unlocked(Lang::En, COLOR);
    desk.press("f5 enter f8 enter f1");
    assert_eq!(screen_name(&mut desk), "Help");
    desk.press("f12");
    assert_eq!(screen_name(&mut desk), "Home");
    desk.press("f7 ctrl-e");
    assert_eq!(screen_name(&mut desk), "Home");
}

#[test]
fn key_bars_fit_80_columns_with_their_most_used_keys() {
    for lang in [Lang::Es, Lang::En, Lang::Fr] {
        let mut desk = Desk::unlocked(lang, COLOR);
        let home = key_bar(&mut desk);
        for key in ["F3 ", "F5 ", "F6 ", "F7 ", "F8 ", "F9 ", "F1 "] {
            assert!(home.contains(key), "{lang:?} home lacks {key}: {home}");
        }
        // Every other screen ends its bar with help: when help shows, nothing was dropped.
        for keys in ["f5", "enter", "f6", "f8", "f7"] {
            desk.press(keys);
            let bar = key_bar(&mut desk);
            assert!(bar.chars().count() <= 80, "{lang:?} {keys}: {bar}");
            assert!(bar.contains("F1 "), "{lang:?} {keys} lacks help: {bar}");
            assert!(bar.contains("F12 "), "{lang:?} {keys} lacks home: {bar}");
        }
    }
}

#[test]
fn no_key_leaves_a_sync_while_it_runs() {
    let mut desk = Desk::unlocked(Lang::En, COLOR);
    desk.app.set_media_roots(Vec::new());
    let stick = desk.office.root.path().join("stick");
    desk.press("f9");
    desk.type_text(&stick.display().to_string());
    desk.press("enter");
    desk.tick();
    assert!(desk.screen().contains("Syncing..."), "{}", desk.screen());
    desk.press("f12 f5 esc");
    assert_eq!(screen_name(&mut desk), "Sync", "still syncing");
    for _ in 0..50 {
        desk.tick();
    }
    assert!(desk.screen().contains("Sync done"), "{}", desk.screen());
    desk.press("f12");
    assert_eq!(screen_name(&mut desk), "Home");
}

#[test]
fn a_referral_being_typed_is_not_left_behind_by_going_to_its_call_again() {
    let mut desk = Desk::unlocked(Lang::En, COLOR);
    desk.press("f5 enter f4");
    assert_eq!(screen_name(&mut desk), "New referral");
    desk.type_text("Comisar");
    desk.press("f5 enter");
    assert_eq!(screen_name(&mut desk), "Call");
    desk.press("esc esc");
    assert_eq!(
        screen_name(&mut desk),
        "New referral",
        "the form is still there"
    );
}

#[test]
fn snapshots_of_home_with_calls_to_bring_back() {
    for lang in [Lang::Es, Lang::En] {
        for (caps, suffix) in [(NO_COLOR, "no_color"), (ASCII, "ascii")] {
            let mut desk = Desk::unlocked(lang, caps);
            for leave in ["esc ctrl-d", "f12"] {
                desk.press("f3");
                desk.type_text("fam");
                desk.press("enter");
                desk.tick_after_draft_delay();
                desk.press(leave);
            }
            insta::assert_snapshot!(format!("home_bring_back_{suffix}_{lang}"), desk.screen());
        }
    }
}
