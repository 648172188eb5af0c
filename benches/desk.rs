//! The operator's screen at 1,000,000 calls (`cargo bench --bench desk`, or
//! `cargo bench --bench desk -- 100000` for another size):
//!
//! - a key handled and the frame drawn, p50 and p99: scrolling the calls list, typing in
//!   the notes of a new call, opening a call from the list;
//! - statistics: opening F7 (the last twelve weeks), the whole history, and `Store::stats`
//!   alone for both periods;
//! - the first frame after unlocking, the passphrase KDF apart;
//! - bytes sent to the terminal per character typed in a form (the crossterm backend over a
//!   counting writer: what an SSH link would carry);
//! - the peak resident memory of the real program on a pseudo-terminal, walked through the
//!   calls list, search, statistics and a new call.

use std::cell::Cell;
use std::io::{self, Write};
use std::rc::Rc;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use linea::i18n::I18n;
use linea::keys::{KeyDir, Passphrase, WorkFactor};
use linea::model::Lang;
use linea::store::{Clock, OfficeStore, Period};
use linea::tui::keymap::Keymap;
use linea::tui::terminal::Caps;
use linea::tui::theme::Theme;
use linea::tui::ui::Ui;
use linea::tui::{App, Options};
use ratatui::Terminal;
use ratatui::backend::{Backend, CrosstermBackend, TestBackend};

fn main() {
    let size: u32 = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let demo_dir = dir.path().join("demo");
    eprintln!("making a demo office with {size} calls...");
    drop(linea::demo::create(&demo_dir, size, 1, WorkFactor::for_new_slots()).expect("demo"));
    let office = demo_dir.join("office");
    let passphrase = Passphrase::new(linea::demo::PASSPHRASE.into());
    let identity = KeyDir::of_store(&office)
        .open_slot(linea::demo::OFFICE_LEAD, &passphrase)
        .expect("slot");

    // First frame after unlocking: everything but the KDF.
    let start = Instant::now();
    let store = OfficeStore::open_with_identity(&office, linea::demo::OFFICE_LEAD, &identity)
        .expect("unlock");
    let mut app = App::with_store(ui(), options(&office), store);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    terminal.draw(|f| app.render(f)).expect("draw");
    let first_frame = start.elapsed();

    println!("| {size} calls | p50 | p99 | max |");
    println!("|---|---:|---:|---:|");
    press(&mut app, &mut terminal, "f5");
    let scrolling = timed(&mut app, &mut terminal, &vec![key(KeyCode::Down); 3000]);
    report("scrolling the calls list (Down, 3,000 rows)", &scrolling);
    press(&mut app, &mut terminal, "esc esc f3");
    for _ in 0..19 {
        press(&mut app, &mut terminal, "tab");
    }
    let typing: Vec<KeyEvent> = "Vio a dos menores en el bar de la carretera. "
        .chars()
        .cycle()
        .take(2000)
        .map(|c| key(KeyCode::Char(c)))
        .collect();
    report(
        "typing in the notes of a new call (2,000 keys)",
        &timed(&mut app, &mut terminal, &typing),
    );
    // Leave the form (discarding it), open the list, then open and close calls.
    press(&mut app, &mut terminal, "esc enter f5");
    let mut opening = Vec::new();
    for _ in 0..300 {
        opening.extend(timed(&mut app, &mut terminal, &[key(KeyCode::Enter)]));
        timed(
            &mut app,
            &mut terminal,
            &[key(KeyCode::Esc), key(KeyCode::Down)],
        );
    }
    report("opening a call from the list (Enter, 300 times)", &opening);
    // Search (F6): each character typed runs the search and draws the results; names
    // (synthetic surnames), the start of a word, words of the notes, one exact name.
    press(&mut app, &mut terminal, "esc f6");
    let mut searching = Vec::new();
    for query in [
        "quispe",
        "mamani flor",
        "juar",
        "huam",
        "trata",
        "bar",
        "ficticio-00042",
        "rosa condori",
        "apaza",
        "ccori luis",
        "menores",
        "campamento",
    ] {
        for c in query.chars() {
            searching.extend(timed(&mut app, &mut terminal, &[key(KeyCode::Char(c))]));
        }
        for _ in query.chars() {
            timed(&mut app, &mut terminal, &[key(KeyCode::Backspace)]);
        }
    }
    report(
        "search: a character typed, results drawn (p95 in the text)",
        &searching,
    );
    let mut sorted = searching.clone();
    sorted.sort();
    let p95 = sorted[(sorted.len() - 1) * 95 / 100];
    println!("| search p95 | {:.2} ms | | |", ms(p95));
    press(&mut app, &mut terminal, "esc");
    // Statistics (F7): the last twelve weeks counted and the first frame drawn; scrolling
    // the figures; then the whole history, counted on the tick after F2 in the period dialog.
    let mut opening_stats = Vec::new();
    for _ in 0..20 {
        opening_stats.extend(timed(&mut app, &mut terminal, &[key(KeyCode::F(7))]));
        press(&mut app, &mut terminal, "esc");
    }
    report(
        "opening statistics, last 12 weeks (F7, 20 times)",
        &opening_stats,
    );
    press(&mut app, &mut terminal, "f7");
    let paging = [key(KeyCode::PageDown), key(KeyCode::PageUp)].repeat(200);
    report(
        "scrolling statistics (PgDn, PgUp, 400 keys)",
        &timed(&mut app, &mut terminal, &paging),
    );
    press(&mut app, &mut terminal, "ctrl-f");
    for _ in 0..10 {
        press(&mut app, &mut terminal, "backspace");
    }
    for c in "2000-01-01".chars() {
        app.handle_key(key(KeyCode::Char(c)));
    }
    press(&mut app, &mut terminal, "f2");
    let start = Instant::now();
    app.tick();
    terminal.draw(|f| app.render(f)).ok();
    report(
        "statistics over the whole history (the tick after F2, once)",
        &[start.elapsed()],
    );
    press(&mut app, &mut terminal, "esc");
    report_store_stats(&office, &identity);
    press(&mut app, &mut terminal, "f5");
    // Saving: a minimal call typed, then F2 timed (validation, full-durability commit, the
    // saved call drawn).
    press(&mut app, &mut terminal, "esc");
    let mut saving = Vec::new();
    for _ in 0..100 {
        press(&mut app, &mut terminal, "f3");
        for c in "family".chars() {
            app.handle_key(key(KeyCode::Char(c)));
        }
        press(&mut app, &mut terminal, "enter");
        for c in "general".chars() {
            app.handle_key(key(KeyCode::Char(c)));
        }
        press(&mut app, &mut terminal, "enter");
        saving.extend(timed(&mut app, &mut terminal, &[key(KeyCode::F(2))]));
        press(&mut app, &mut terminal, "esc");
    }
    report("saving a call (F2, synchronous=FULL, 100 calls)", &saving);
    println!();
    println!(
        "First frame after unlocking (KDF apart): {:.1} ms",
        ms(first_frame)
    );
    println!(
        "Bytes sent to the terminal per character typed in the notes: {:.1}",
        bytes_per_character(&office, &identity)
    );
    let (unlocking, walking) = peak_resident_kb(&office);
    println!(
        "Peak resident memory of the program: {:.1} MB unlocking (the KDF's own), then {:.1} MB \
         in use (calls list, search, statistics, a new call)",
        unlocking as f64 / 1024.0,
        walking as f64 / 1024.0
    );
}

/// `Store::stats` alone, as `linea stats` runs it, on a second connection to the office: the
/// last twelve weeks and the whole history, 20 times each.
fn report_store_stats(office: &std::path::Path, identity: &linea::keys::AgeIdentity) {
    let store = OfficeStore::open_with_identity(office, linea::demo::OFFICE_LEAD, identity)
        .expect("unlock");
    let zone = store.zone();
    let today = store.now().with_timezone(&zone).date_naive();
    let first = store.first_call_day().expect("first call").unwrap_or(today);
    for (name, period) in [
        (
            "Store::stats, last 12 weeks (20 times)",
            Period::weeks_ending(today, 12, zone),
        ),
        (
            "Store::stats, whole history (20 times)",
            Period::local_days(first, today, zone),
        ),
    ] {
        let period = period.expect("period");
        let times: Vec<Duration> = (0..20)
            .map(|_| {
                let start = Instant::now();
                store.stats(&period).expect("stats");
                start.elapsed()
            })
            .collect();
        report(name, &times);
    }
}

/// Runs the real binary on an 80x24 pseudo-terminal over the office, walks it through the
/// screens an operator uses, and reads its peak resident set (VmHWM): once unlocked (scrypt
/// takes its memory then, and gives it back), and, that peak reset, at the end of the walk.
fn peak_resident_kb(office: &std::path::Path) -> (u64, u64) {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_linea"));
    command
        .args(["--store"])
        .arg(office)
        .args(["--operator", linea::demo::OFFICE_LEAD])
        .env("TERM", "xterm")
        .env("LANG", "en_US.UTF-8")
        .env_remove("NO_COLOR");
    let mut session = expectrl::Session::spawn(command).expect("linea on a pty");
    let pid = session.get_process().pid().as_raw();
    let peak = || {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|rest| {
                rest.trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<u64>()
                    .ok()
            })
            .expect("VmHWM")
    };
    let unlock = format!("{}\r", linea::demo::PASSPHRASE);
    let mut walk: Vec<(String, Duration)> = vec![("\x1b[15~".into(), Duration::from_secs(1))]; // F5
    walk.extend((0..300).map(|_| ("\x1b[B".to_owned(), Duration::from_millis(5))));
    walk.push(("\x1b".into(), Duration::from_millis(300)));
    walk.push(("\x1b[17~".into(), Duration::from_millis(300))); // F6, search
    walk.extend(
        "quispe flor"
            .chars()
            .map(|c| (c.to_string(), Duration::from_millis(50))),
    );
    walk.push(("\x1b".into(), Duration::from_millis(300)));
    walk.push(("\x1b[18~".into(), Duration::from_secs(5))); // F7, statistics
    walk.push(("\x1b".into(), Duration::from_millis(300)));
    walk.push(("\x1bOR".into(), Duration::from_millis(500))); // F3, a new call
    walk.extend(
        "family"
            .chars()
            .map(|c| (c.to_string(), Duration::from_millis(20))),
    );
    walk.push(("\r".into(), Duration::from_secs(1)));

    // The terminal is read all along, or the program would block writing to it.
    let mut send = |keys: &str, pause: Duration| {
        session
            .write_all(keys.as_bytes())
            .expect("write to the pty");
        let until = Instant::now() + pause;
        let mut buf = [0u8; 8192];
        while Instant::now() < until {
            match session.try_read(&mut buf) {
                Ok(n) if n > 0 => {}
                _ => std::thread::sleep(Duration::from_millis(2)),
            }
        }
    };
    send("", Duration::from_secs(1)); // the unlock screen drawn
    send(&unlock, Duration::from_secs(8));
    let unlocking = peak();
    // Linux: 5 resets the peak resident set to the current one.
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5").expect("reset VmHWM");
    for (keys, pause) in &walk {
        send(keys, *pause);
    }
    let walking = peak();
    // Quit: Esc out of the form (its draft is kept), then F10.
    send("\x1b\x1b[21~", Duration::from_millis(500));
    (unlocking, walking)
}

fn ui() -> Ui {
    Ui {
        i18n: I18n::new(Lang::En),
        theme: Theme::new(Caps {
            color: true,
            unicode: true,
        }),
        keymap: Keymap::builtin(),
        reference: Default::default(),
    }
}

fn options(office: &std::path::Path) -> Options {
    Options {
        store_dir: office.to_owned(),
        operator: Some(linea::demo::OFFICE_LEAD.into()),
        hint: None,
        autolock: Duration::from_secs(3600),
        keymap_problems: Vec::new(),
        clock: Clock::System,
    }
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn press<B: Backend>(app: &mut App, terminal: &mut Terminal<B>, names: &str) {
    for name in names.split_whitespace() {
        let key = linea::tui::keymap::Key::parse(name).expect("key name");
        app.handle_key(KeyEvent::new(key.code(), key.modifiers()));
        terminal.draw(|f| app.render(f)).ok();
    }
}

/// Each key handled and the frame drawn, timed.
fn timed<B: Backend>(
    app: &mut App,
    terminal: &mut Terminal<B>,
    keys: &[KeyEvent],
) -> Vec<Duration> {
    keys.iter()
        .map(|event| {
            let start = Instant::now();
            app.handle_key(*event);
            terminal.draw(|f| app.render(f)).ok();
            start.elapsed()
        })
        .collect()
}

fn report(what: &str, durations: &[Duration]) {
    let mut sorted = durations.to_vec();
    sorted.sort();
    let at = |q: f64| sorted[((sorted.len() - 1) as f64 * q) as usize];
    println!(
        "| {what} | {:.2} ms | {:.2} ms | {:.2} ms |",
        ms(at(0.5)),
        ms(at(0.99)),
        ms(sorted[sorted.len() - 1])
    );
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// A writer that only counts, into a cell the benchmark reads.
struct Counter(Rc<Cell<usize>>);

impl Write for Counter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.set(self.0.get() + bytes.len());
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn bytes_per_character(office: &std::path::Path, identity: &linea::keys::AgeIdentity) -> f64 {
    let store = OfficeStore::open_with_identity(office, linea::demo::OFFICE_LEAD, identity)
        .expect("unlock");
    let mut app = App::with_store(ui(), options(office), store);
    let sent = Rc::new(Cell::new(0));
    let mut terminal = Terminal::with_options(
        CrosstermBackend::new(Counter(sent.clone())),
        ratatui::TerminalOptions {
            viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, 80, 24)),
        },
    )
    .expect("terminal");
    press(&mut app, &mut terminal, "f3");
    for _ in 0..19 {
        press(&mut app, &mut terminal, "tab");
    }
    let before = sent.get();
    let text = "Vio a dos menores en el bar.";
    for c in text.chars() {
        app.handle_key(key(KeyCode::Char(c)));
        terminal.draw(|f| app.render(f)).ok();
    }
    (sent.get() - before) as f64 / text.chars().count() as f64
}
