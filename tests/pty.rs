//! The real binary on a pseudo-terminal, as an operator's terminal receives it: unlock, log a
//! call, save, quit, and the terminal is back in cooked mode; under `NO_COLOR` not one colour
//! code reaches the terminal; a wrong passphrase says so and F10 still quits.
//!
//! Each test runs `sh -c SCRIPT` on an 80x24 pty: the shell makes the terminal sane and of the
//! design size, runs linea, then writes linea's exit status and `stty` output to files. What
//! linea writes is read into a small screen model (cursor moves, clears, printed text), so the
//! waits match what is on screen in whatever order ratatui sends the cells.

mod common;

use std::fmt;
use std::fs;
use std::io::{ErrorKind, Write};
use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

use common::{FAST_WORK_FACTOR, Office, PASSPHRASE};
use expectrl::Session;
use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession;
use linea::keys::Passphrase;
use linea::store::{CallFilter, OfficeStore};

/// Generous for a loaded machine; every wait returns as soon as its text is on screen.
const TIMEOUT: Duration = Duration::from_secs(10);
const COLS: usize = 80;
const ROWS: usize = 24;

/// Keys as xterm sends them (crossterm reads the Linux console's `ESC [ [ A` forms too).
const F2: &str = "\x1bOQ";
const F3: &str = "\x1bOR";
const F10: &str = "\x1b[21~";
const ENTER: &str = "\r";

/// A sane terminal of the design size, linea, then what linea left behind. Paths come in
/// through the environment, so no quoting can go wrong.
const SCRIPT: &str = r#"stty sane cols 80 rows 24 || exit 97
stty -g > "$PTY_OUT/before"
"$PTY_LINEA" --store "$PTY_STORE" --operator ana
echo $? > "$PTY_OUT/status"
stty -g > "$PTY_OUT/after"
stty -a > "$PTY_OUT/stty-a"
"#;

#[test]
fn a_call_logged_on_a_real_terminal_is_saved_and_the_terminal_is_given_back_cooked() {
    let office = Office::new();
    let mut linea = Linea::start(&office, &[]);
    linea.wait_for("Passphrase");
    linea.send(PASSPHRASE);
    linea.send(ENTER);
    linea.wait_for("calls today");

    linea.send(F3);
    linea.wait_for("Caller");
    linea.send("family");
    linea.wait_for("Family member");
    linea.send(ENTER);
    linea.send("general");
    linea.wait_for("General information about trafficking");
    linea.send(ENTER);
    linea.send(F2);
    linea.wait_for("Call saved.");
    linea.send(F10);
    let ended = linea.wait_exit();

    ended.assert_clean();
    // The detector used under NO_COLOR does find colours when they are there.
    assert!(
        !colour_sgrs(&linea.raw).is_empty(),
        "with colours on, some colour codes are expected"
    );
    let store =
        OfficeStore::open(&office.dir(), "ana", &Passphrase::new(PASSPHRASE.into())).unwrap();
    let page = store.list_calls(&CallFilter::default(), None, 10).unwrap();
    assert_eq!(page.calls.len(), 1, "one call in the store");
    let call = &page.calls[0];
    assert_eq!(call.fields.caller_type, "FAMILY");
    assert_eq!(call.fields.reason, "GENERAL_INFO");
    assert_eq!(call.meta.author, "ana");
}

#[test]
fn no_colour_code_reaches_the_terminal_under_no_color() {
    let office = Office::new();
    let mut linea = Linea::start(&office, &[("NO_COLOR", "1")]);
    linea.wait_for("Passphrase");
    linea.send(PASSPHRASE);
    linea.send(ENTER);
    let home_from = linea.raw.len();
    linea.wait_for("calls today");
    // A few idle redraws of Home (the loop redraws every 250 ms).
    linea.pump_for(Duration::from_millis(600));
    let home = linea.raw[home_from..].to_vec();
    linea.send(F10);
    let ended = linea.wait_exit();
    ended.assert_clean();

    // From the first byte to the last, Home included.
    let colours = colour_sgrs(&linea.raw);
    assert!(
        colours.is_empty(),
        "colour codes under NO_COLOR (offset, sequence): {colours:?}"
    );
    // What styling is left: resets and attributes. The title bar is reverse video.
    let home_sgrs = distinct(&all_sgrs(&home));
    assert!(
        home_sgrs.iter().any(|s| s == "ESC[7m"),
        "reverse video on Home: {home_sgrs:?}"
    );
    eprintln!(
        "NO_COLOR: {} bytes in all, {} after unlocking; SGRs after unlocking: {home_sgrs:?}",
        linea.raw.len(),
        home.len(),
    );
}

#[test]
fn a_wrong_passphrase_is_refused_on_screen_and_f10_still_quits_cleanly() {
    const WRONG: &str = "not the right one";
    let office = Office::new();
    let mut linea = Linea::start(&office, &[]);
    linea.wait_for("Passphrase");
    linea.send(WRONG);
    linea.send(ENTER);
    linea.wait_for("wrong passphrase");
    // Quitting is not held back by the wait after a failure.
    linea.send(F10);
    let ended = linea.wait_exit();

    ended.assert_clean();
    assert!(
        !contains(&linea.raw, WRONG.as_bytes()),
        "the typed passphrase reached the terminal"
    );
    assert_eq!(common::call_count(&office), 0);
}

/// linea under `sh -c SCRIPT` on a pty, and every byte it has written so far.
struct Linea {
    session: OsSession,
    /// The shell's pid: it leads its own session and process group, linea included.
    group: rustix::process::Pid,
    out: tempfile::TempDir,
    raw: Vec<u8>,
    eof: bool,
    exited: bool,
}

impl Linea {
    fn start(office: &Office, env: &[(&str, &str)]) -> Linea {
        let out = tempfile::tempdir().expect("temp dir");
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(SCRIPT)
            .env("PTY_LINEA", env!("CARGO_BIN_EXE_linea"))
            .env("PTY_STORE", office.dir())
            .env("PTY_OUT", out.path())
            .env("TERM", "linux")
            .env("LANG", "en_US.UTF-8")
            .env("LINEA_TEST_KDF_WORK_FACTOR", FAST_WORK_FACTOR.to_string())
            .current_dir(std::env::temp_dir());
        for var in [
            "NO_COLOR",
            "LC_ALL",
            "LC_CTYPE",
            "LC_MESSAGES",
            "LINEA_PASSPHRASE",
            "LINEA_NEW_PASSPHRASE",
            "LINEA_STORE",
            "LINEA_OPERATOR",
            "LINEA_KEYMAP",
            "LINEA_AUTOLOCK",
            "COLUMNS",
            "LINES",
        ] {
            command.env_remove(var);
        }
        for (key, value) in env {
            command.env(key, value);
        }
        let session = Session::spawn(command).expect("sh on a pty");
        let group = rustix::process::Pid::from_raw(session.get_process().pid().as_raw())
            .expect("a child pid");
        Linea {
            session,
            group,
            out,
            raw: Vec::new(),
            eof: false,
            exited: false,
        }
    }

    fn send(&mut self, keys: &str) {
        self.session
            .write_all(keys.as_bytes())
            .and_then(|()| self.session.flush())
            .expect("write to the pty");
    }

    /// Reads whatever the pty has now, without blocking.
    fn pump(&mut self) {
        let mut buf = [0u8; 8192];
        while !self.eof {
            match self.session.try_read(&mut buf) {
                Ok(0) => self.eof = true,
                Ok(n) => self.raw.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                // EIO once nothing holds the terminal open any more.
                Err(_) => self.eof = true,
            }
        }
    }

    fn pump_for(&mut self, time: Duration) {
        let until = Instant::now() + time;
        while Instant::now() < until {
            self.pump();
            sleep(Duration::from_millis(10));
        }
    }

    fn screen(&self) -> Screen {
        Screen::of(&self.raw)
    }

    /// Waits until `text` is on screen (ignoring case).
    fn wait_for(&mut self, text: &str) {
        let deadline = Instant::now() + TIMEOUT;
        let needle = text.to_lowercase();
        let mut seen = usize::MAX;
        loop {
            self.pump();
            if self.raw.len() != seen {
                seen = self.raw.len();
                if self.screen().to_string().to_lowercase().contains(&needle) {
                    return;
                }
            }
            if self.eof || Instant::now() > deadline {
                let when = if self.eof {
                    "before the end"
                } else {
                    "in time"
                };
                panic!(
                    "{text:?} not on screen {when}; the screen:\n{}",
                    self.screen()
                );
            }
            sleep(Duration::from_millis(10));
        }
    }

    /// Waits for the shell (and so linea) to end, and reads what the script recorded.
    fn wait_exit(&mut self) -> Ended {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            self.pump();
            match self.session.get_process().status() {
                Ok(WaitStatus::StillAlive) => {}
                Ok(WaitStatus::Exited(_, code)) => {
                    self.exited = true;
                    self.pump();
                    assert_eq!(code, 0, "the shell around linea failed");
                    break;
                }
                Ok(other) => {
                    self.exited = true;
                    panic!("the shell around linea ended with {other:?}");
                }
                Err(e) => panic!("waiting for the shell: {e}"),
            }
            if Instant::now() > deadline {
                panic!("linea still running; the screen:\n{}", self.screen());
            }
            sleep(Duration::from_millis(10));
        }
        let read = |name: &str| {
            fs::read_to_string(self.out.path().join(name))
                .unwrap_or_else(|e| panic!("{name} from the script: {e}"))
        };
        Ended {
            status: read("status").trim().to_owned(),
            before: read("before").trim().to_owned(),
            after: read("after").trim().to_owned(),
            stty_a: read("stty-a"),
            tail: self.raw[self.raw.len().saturating_sub(200)..].to_vec(),
        }
    }
}

/// On failure (or early return) nothing is left running: the whole process group goes.
impl Drop for Linea {
    fn drop(&mut self) {
        if !self.exited {
            let _ = rustix::process::kill_process_group(self.group, rustix::process::Signal::KILL);
        }
    }
}

/// What the shell recorded once linea had ended.
struct Ended {
    /// linea's exit status.
    status: String,
    /// `stty -g` before and after linea.
    before: String,
    after: String,
    /// `stty -a` after linea.
    stty_a: String,
    /// The last bytes linea wrote.
    tail: Vec<u8>,
}

impl Ended {
    /// Exit 0, the terminal settings exactly as before and cooked, the main screen and the
    /// cursor back.
    fn assert_clean(&self) {
        assert_eq!(self.status, "0", "linea's exit status");
        let flags: Vec<&str> = self.stty_a.split_whitespace().collect();
        for flag in ["icanon", "echo", "isig", "iexten", "icrnl", "opost"] {
            assert!(
                flags.contains(&flag),
                "`{flag}` not set after linea:\n{}",
                self.stty_a
            );
        }
        assert_eq!(self.before, self.after, "stty -g before and after linea");
        assert!(
            contains(&self.tail, b"\x1b[?1049l"),
            "the alternate screen is left: {:?}",
            String::from_utf8_lossy(&self.tail)
        );
        assert!(
            contains(&self.tail, b"\x1b[?25h"),
            "the cursor is shown again: {:?}",
            String::from_utf8_lossy(&self.tail)
        );
    }
}

/// Just enough of a terminal to read the screen: cursor moves, clears, printed text.
struct Screen {
    cells: Vec<Vec<char>>,
    row: usize,
    col: usize,
}

impl Screen {
    fn of(bytes: &[u8]) -> Screen {
        let mut screen = Screen {
            cells: vec![vec![' '; COLS]; ROWS],
            row: 0,
            col: 0,
        };
        let text = String::from_utf8_lossy(bytes);
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            match c {
                '\x1b' => match chars.next() {
                    Some('[') => {
                        let mut params = String::new();
                        for c in chars.by_ref() {
                            if ('\x40'..='\x7e').contains(&c) {
                                screen.csi(&params, c);
                                break;
                            }
                            params.push(c);
                        }
                    }
                    // OSC: up to BEL or ST.
                    Some(']') => {
                        while let Some(c) = chars.next() {
                            if c == '\x07' || (c == '\x1b' && chars.next().is_some()) {
                                break;
                            }
                        }
                    }
                    Some('(' | ')' | '#' | '%') => {
                        chars.next();
                    }
                    _ => {}
                },
                '\r' => screen.col = 0,
                '\n' => screen.row = (screen.row + 1).min(ROWS - 1),
                '\x08' => screen.col = screen.col.saturating_sub(1),
                c if c.is_control() => {}
                c => {
                    if screen.col < COLS {
                        screen.cells[screen.row][screen.col] = c;
                    }
                    screen.col += 1;
                }
            }
        }
        screen
    }

    fn csi(&mut self, params: &str, action: char) {
        let numbers: Vec<usize> = params
            .trim_start_matches(['?', '>', '='])
            .split(';')
            .map(|n| n.parse().unwrap_or(0))
            .collect();
        let arg = |i: usize| numbers.get(i).copied().unwrap_or(0).max(1);
        match action {
            'H' | 'f' => {
                self.row = (arg(0) - 1).min(ROWS - 1);
                self.col = (arg(1) - 1).min(COLS - 1);
            }
            'A' => self.row = self.row.saturating_sub(arg(0)),
            'B' => self.row = (self.row + arg(0)).min(ROWS - 1),
            'C' => self.col = (self.col + arg(0)).min(COLS - 1),
            'D' => self.col = self.col.saturating_sub(arg(0)),
            'G' => self.col = (arg(0) - 1).min(COLS - 1),
            'd' => self.row = (arg(0) - 1).min(ROWS - 1),
            'J' => match numbers.first().copied().unwrap_or(0) {
                0 => {
                    self.clear_line_from(self.row, self.col);
                    for row in self.row + 1..ROWS {
                        self.clear_line_from(row, 0);
                    }
                }
                1 => {
                    for row in 0..self.row {
                        self.clear_line_from(row, 0);
                    }
                    for col in 0..=self.col.min(COLS - 1) {
                        self.cells[self.row][col] = ' ';
                    }
                }
                2 => self.clear(),
                _ => {}
            },
            'K' => match numbers.first().copied().unwrap_or(0) {
                0 => self.clear_line_from(self.row, self.col),
                2 => self.clear_line_from(self.row, 0),
                _ => {}
            },
            // Entering or leaving the alternate screen: what was there is not ours to know.
            'h' | 'l' if params == "?1049" => self.clear(),
            _ => {}
        }
    }

    fn clear_line_from(&mut self, row: usize, col: usize) {
        for cell in self.cells[row].iter_mut().skip(col) {
            *cell = ' ';
        }
    }

    fn clear(&mut self) {
        for row in 0..ROWS {
            self.clear_line_from(row, 0);
        }
    }
}

impl fmt::Display for Screen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for row in &self.cells {
            let line: String = row.iter().collect();
            writeln!(f, "{}", line.trim_end())?;
        }
        Ok(())
    }
}

/// The parameters of every SGR sequence (`ESC [ … m`) in `bytes`, in order.
fn all_sgrs(bytes: &[u8]) -> Vec<String> {
    sgr_positions(bytes).into_iter().map(|(_, p)| p).collect()
}

fn sgr_positions(bytes: &[u8]) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == 0x1b && bytes[i + 1] == b'[' {
            let mut j = i + 2;
            while j < bytes.len() && (0x20..=0x3f).contains(&bytes[j]) {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b'm' {
                found.push((i, String::from_utf8_lossy(&bytes[i + 2..j]).into_owned()));
            }
            i = j;
        } else {
            i += 1;
        }
    }
    found
}

/// Whether SGR parameters set or reset a colour: 30–39 and 90–97 (foreground), 40–49 and
/// 100–107 (background), 58/59 (underline colour). 0, empty (reset) and attributes such as
/// 1 (bold) and 7 (reverse video) are not colours.
fn sets_colour(params: &str) -> bool {
    params.split(';').any(|param| {
        let head = param.split(':').next().unwrap_or("");
        matches!(
            head.parse::<u16>(),
            Ok(30..=39 | 40..=49 | 58 | 59 | 90..=97 | 100..=107)
        )
    }) && !params.starts_with('?')
}

/// Colour SGRs in `bytes`, as (offset, sequence).
fn colour_sgrs(bytes: &[u8]) -> Vec<(usize, String)> {
    sgr_positions(bytes)
        .into_iter()
        .filter(|(_, params)| sets_colour(params))
        .map(|(at, params)| (at, format!("ESC[{params}m")))
        .collect()
}

fn distinct(sgrs: &[String]) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for sgr in sgrs {
        let shown = format!("ESC[{sgr}m");
        if !seen.contains(&shown) {
            seen.push(shown);
        }
    }
    seen
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
