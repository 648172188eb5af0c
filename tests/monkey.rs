//! A monkey at the desk: thousands of random keys on every screen, at random terminal sizes
//! from 1x1 to 120x40, never the save or quit keys. Nothing may panic, locking must always
//! give way to the right passphrase, under NO_COLOR no colour may ever show, and the store
//! must hold exactly what it held before: nothing is saved that the operator did not save.
//!
//! The seed changes from run to run and is printed on failure; `MONKEY_SEED=N` replays one.

mod common;

use std::collections::VecDeque;

use common::PASSPHRASE;
use common::tui::{ASCII, COLOR, Desk, NO_COLOR};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use linea::model::Lang;
use linea::store::CallFilter;
use linea::tui::app::{MIN_HEIGHT, MIN_WIDTH};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use ratatui::style::Color;

/// Keys pressed on the open store (and while locked).
const KEYS: usize = 30_000;
/// Keys pressed on first-run screens (which never get to set anything up).
const FIRST_RUN_KEYS: usize = 1_500;

/// Keys by their keymap names. Never F2 or Ctrl-O (save), F10 or Ctrl-C (quit).
const NAMED_KEYS: &[&str] = &[
    "enter",
    "enter",
    "esc",
    "esc",
    "esc",
    "tab",
    "shift-tab",
    "backspace",
    "delete",
    "up",
    "down",
    "left",
    "right",
    "home",
    "end",
    "pgup",
    "pgdn",
    "f1",
    "f3",
    "f5",
    "ctrl-f",
    "ctrl-r",
    "ctrl-t",
    "ctrl-p",
    "ctrl-h",
];

/// Keys that would try the passphrase typed so far: a wrong try makes the unlock screen wait
/// (1 s, 2 s, 4 s…), so while locked only the deliberate unlock presses them.
const SUBMITTING_KEYS: &[&str] = &["enter", "tab", "down"];

/// Letters an operator types, accents included, and the wide characters that come with
/// text pasted from a messaging app.
const CHARS: &[char] = &[
    'a', 'b', 'c', 'd', 'e', 'f', 'g', 'i', 'l', 'm', 'n', 'o', 'p', 'r', 's', 't', 'u', 'v', 'x',
    'z', 'A', 'Q', 'Z', 'é', 'á', 'í', 'ó', 'ú', 'ñ', 'Ñ', 'ü', '0', '1', '5', '7', '9', ' ', ' ',
    '-', '/', '.', ',', '😀', '漢',
];

/// One thing the monkey does.
#[derive(Debug, Clone)]
enum Move {
    Key(String),
    Char(char),
    Resize(u16, u16),
    Tick,
    Lock,
    Unlock,
}

/// Prints the seed, the terminal size and the last moves if the test fails.
struct Witness {
    seed: u64,
    size: (u16, u16),
    last: VecDeque<Move>,
}

impl Witness {
    fn saw(&mut self, step: Move) {
        if self.last.len() == 40 {
            self.last.pop_front();
        }
        self.last.push_back(step);
    }
}

impl Drop for Witness {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "monkey failed with seed {seed} at {w}x{h}; replay with MONKEY_SEED={seed}\nlast moves: {last:?}",
                seed = self.seed,
                w = self.size.0,
                h = self.size.1,
                last = self.last,
            );
        }
    }
}

fn seed() -> u64 {
    match std::env::var("MONKEY_SEED") {
        Ok(seed) => seed.parse().expect("MONKEY_SEED is a number"),
        Err(_) => rand::random(),
    }
}

/// A terminal size: often the design size, often about the smallest linea draws in, and
/// anything from 1x1 to 120x40.
fn size(rng: &mut ChaCha8Rng) -> (u16, u16) {
    match rng.random_range(0..10) {
        0..=3 => (80, 24),
        4..=6 => (rng.random_range(56..=66), rng.random_range(13..=19)),
        _ => (rng.random_range(1..=120), rng.random_range(1..=40)),
    }
}

fn next_move(rng: &mut ChaCha8Rng, locked: bool) -> Move {
    match rng.random_range(0..1000) {
        0..=9 => {
            let (width, height) = size(rng);
            Move::Resize(width, height)
        }
        10..=39 => Move::Tick,
        40..=44 => Move::Lock,
        45..=94 if locked => Move::Unlock,
        95..=499 => Move::Char(CHARS[rng.random_range(0..CHARS.len())]),
        _ => loop {
            let key = NAMED_KEYS[rng.random_range(0..NAMED_KEYS.len())];
            if !(locked && SUBMITTING_KEYS.contains(&key)) {
                break Move::Key(key.to_owned());
            }
        },
    }
}

fn press(desk: &mut Desk, name: &str) {
    if name == "ctrl-h" {
        // What many terminals send for Backspace; not a name keymaps may bind.
        desk.key(KeyEvent::new(KeyCode::Char('h'), KeyModifiers::CONTROL));
    } else {
        desk.press(name);
    }
}

/// What an operator does at a locked screen whatever state it is in: enlarges a terminal
/// too small, closes help and the operator list, picks their name, clears what was typed, types the passphrase.
fn unlock(desk: &mut Desk) {
    // Keys do nothing on the "too small" notice: the operator enlarges the terminal first.
    let area = desk.terminal.backend().buffer().area;
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        desk.terminal.backend_mut().resize(80, 24);
        desk.draw();
    }
    desk.press("esc esc shift-tab");
    desk.type_text("ana");
    desk.press("enter end");
    for _ in 0..=200 {
        desk.app
            .handle_key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
    }
    desk.type_text(PASSPHRASE);
    desk.press("enter");
    desk.tick();
    assert!(
        !desk.app.is_locked(),
        "the right passphrase unlocks:\n{}",
        desk.screen()
    );
}

/// Does one move; ticks, locks and unlocks only when `ticking` (a first-run screen that
/// ticks would set an office up).
fn perform(desk: &mut Desk, step: Move, witness: &mut Witness, ticking: bool) {
    witness.saw(step.clone());
    let step_was_tick = matches!(step, Move::Tick);
    match step {
        Move::Key(name) => press(desk, &name),
        Move::Char(c) => desk.type_text(&c.to_string()),
        Move::Resize(width, height) => {
            witness.size = (width, height);
            desk.terminal.backend_mut().resize(width, height);
            desk.draw();
        }
        Move::Tick if ticking => desk.tick(),
        Move::Lock if ticking => desk.press("ctrl-l"),
        Move::Unlock if ticking => unlock(desk),
        Move::Tick | Move::Lock | Move::Unlock => desk.press("enter"),
    }
    assert!(!desk.app.should_quit(), "nothing quits without a quit key");
    if step_was_tick && !desk.app.ui.theme.caps().color {
        assert_no_colour(desk);
    }
}

/// Under NO_COLOR, not one cell of whatever the monkey reached has a colour.
fn assert_no_colour(desk: &mut Desk) {
    let buffer = desk.buffer();
    for cell in &buffer.content {
        assert!(
            cell.fg == Color::Reset && cell.bg == Color::Reset,
            "a colour under NO_COLOR:\n{}",
            desk.screen()
        );
    }
}

#[test]
fn random_keys_on_every_screen_never_panic_nor_save_anything() {
    let seed = seed();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut witness = Witness {
        seed,
        size: (80, 24),
        last: VecDeque::new(),
    };
    let lang = if rng.random_bool(0.5) {
        Lang::Es
    } else {
        Lang::En
    };
    let caps = if rng.random_bool(0.5) {
        COLOR
    } else {
        NO_COLOR
    };
    let mut desk = Desk::unlocked(lang, caps);
    let before = desk.store().call_count().expect("count calls");
    assert_eq!(before, 3);

    for _ in 0..KEYS {
        let step = next_move(&mut rng, desk.app.is_locked());
        perform(&mut desk, step, &mut witness, true);
    }
    if desk.app.is_locked() {
        unlock(&mut desk);
    }

    let store = desk.store();
    assert_eq!(
        store.call_count().expect("count calls"),
        before,
        "no call added"
    );
    let calls = store
        .list_calls(&CallFilter::default(), None, 10)
        .expect("list calls");
    assert!(
        calls.calls.iter().all(|call| call.meta.version == 1),
        "no call changed"
    );
}

#[test]
fn random_keys_on_the_first_run_screen_never_panic() {
    let seed = seed();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut witness = Witness {
        seed,
        size: (80, 24),
        last: VecDeque::new(),
    };
    // Setting up runs on a tick; without ticks, nothing is made. A new screen now and then,
    // as choosing the demo leaves the screen waiting for that tick.
    for _ in 0..5 {
        let lang = if rng.random_bool(0.5) {
            Lang::Es
        } else {
            Lang::En
        };
        let mut desk = Desk::first_run(lang, ASCII);
        for _ in 0..FIRST_RUN_KEYS / 5 {
            let step = next_move(&mut rng, false);
            perform(&mut desk, step, &mut witness, false);
        }
        assert!(!desk.office.dir().exists(), "nothing was set up");
    }
}
