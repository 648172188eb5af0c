//! The real binary on a terminal, where another linea or the terminal itself gets in its way:
//! a wait for another linea that lasts is said on screen; a terminal that goes away (its
//! window closed, the connection dropped) without SIGHUP reaching linea — ignored, as
//! `nohup` or some terminal hosts leave it — is noticed: linea locks (drafts saved, the store
//! closed) and ends, instead of spinning on a dead terminal for ever, unlocked.
//!
//! linea runs under `script`, which gives it a pseudo-terminal; killing `script` closes the
//! terminal's other end, as a closing terminal window does.
#![cfg(unix)]

mod common;

use std::fs;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::sleep;
use std::time::{Duration, Instant};

use common::{FAST_WORK_FACTOR, Office, PASSPHRASE, tool};

/// Generous for a loaded machine; every wait ends as soon as what it waits for is there.
const DEADLINE: Duration = Duration::from_secs(20);

/// linea under `script`, its process id (the shell's, which `exec`s it), and all it wrote.
struct Hosted {
    script: Child,
    pid: u32,
    written: Arc<Mutex<Vec<u8>>>,
}

impl Hosted {
    fn start(office: &Office, out: &tempfile::TempDir) -> Hosted {
        let pid_file = out.path().join("pid");
        let inner = r#"stty sane cols 80 rows 24; trap '' HUP; echo $$ > "$HUP_PID"; exec "$HUP_LINEA" --store "$HUP_STORE" --operator ana"#;
        let mut script = tool("script")
            .arg("-qfc")
            .arg(inner)
            .arg("/dev/null")
            .env("HUP_PID", &pid_file)
            .env("HUP_LINEA", env!("CARGO_BIN_EXE_linea"))
            .env("HUP_STORE", office.dir())
            .env("TERM", "linux")
            .env("LANG", "en_US.UTF-8")
            .env("LINEA_TEST_KDF_WORK_FACTOR", FAST_WORK_FACTOR.to_string())
            .env_remove("LINEA_PASSPHRASE")
            .current_dir(std::env::temp_dir())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("script");
        let written = Arc::new(Mutex::new(Vec::new()));
        let mut screen = script.stdout.take().expect("script's output");
        let into = written.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = screen.read(&mut buf) {
                into.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        let pid = wait_for("linea to start", || {
            fs::read_to_string(&pid_file)
                .ok()
                .and_then(|text| text.trim().parse().ok())
        });
        Hosted {
            script,
            pid,
            written,
        }
    }

    /// Whether linea has written `text` (in one piece, as a line written at once is).
    fn wrote(&self, text: &str) -> bool {
        let written = self.written.lock().unwrap();
        written.windows(text.len()).any(|w| w == text.as_bytes())
    }

    fn unlock(&mut self, office: &Office) {
        // Typed before linea's raw mode, Enter would arrive as a line feed.
        wait_for("the unlock screen", || {
            self.wrote("Passphrase").then_some(())
        });
        let before = unlocks(office);
        self.type_keys(&format!("{PASSPHRASE}\r"));
        wait_for("the unlock", || (unlocks(office) > before).then_some(()));
    }

    fn type_keys(&mut self, keys: &str) {
        let stdin = self.script.stdin.as_mut().expect("script's input");
        stdin.write_all(keys.as_bytes()).unwrap();
        stdin.flush().unwrap();
    }

    fn running(&self) -> bool {
        // Once `script` is gone, linea is no child of this test: its state tells.
        let stat = PathBuf::from(format!("/proc/{}/stat", self.pid));
        fs::read_to_string(stat)
            .ok()
            .and_then(|stat| {
                let state = stat
                    .rsplit(')')
                    .next()?
                    .split_whitespace()
                    .next()?
                    .to_owned();
                Some(state != "Z" && state != "X")
            })
            .unwrap_or(false)
    }
}

/// Should the test fail, nothing is left running.
impl Drop for Hosted {
    fn drop(&mut self) {
        let _ = self.script.kill();
        let _ = self.script.wait();
        if self.running()
            && let Some(pid) = rustix::process::Pid::from_raw(self.pid as i32)
        {
            let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
        }
    }
}

fn wait_for<T>(what: &str, mut found: impl FnMut() -> Option<T>) -> T {
    let until = Instant::now() + DEADLINE;
    loop {
        if let Some(value) = found() {
            return value;
        }
        assert!(Instant::now() < until, "waited too long for {what}");
        sleep(Duration::from_millis(20));
    }
}

fn unlocks(office: &Office) -> u64 {
    office
        .raw_db()
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'store.unlock'",
            [],
            |row| row.get(0),
        )
        .unwrap()
}

fn draft_holds(office: &Office, text: &str) -> bool {
    office
        .raw_db()
        .query_row(
            "SELECT count(*) FROM drafts WHERE instr(body, ?1) > 0",
            [text],
            |row| row.get::<_, u64>(0),
        )
        .unwrap()
        > 0
}

#[test]
fn a_terminal_that_goes_away_without_sighup_ends_linea_with_the_draft_kept() {
    let office = Office::new();
    let out = tempfile::tempdir().unwrap();
    let mut linea = Hosted::start(&office, &out);
    linea.unlock(&office);
    // F3, a caller type, a reason, a name: the call's draft is written as it is typed.
    linea.type_keys("\x1bOR");
    linea.type_keys("family\rreport of\r\tNilda Quispe");
    wait_for("the draft", || {
        draft_holds(&office, "Nilda Quispe").then_some(())
    });

    // The terminal goes away; SIGHUP is ignored.
    linea.script.kill().unwrap();
    linea.script.wait().unwrap();
    wait_for("linea to end", || (!linea.running()).then_some(()));

    assert!(draft_holds(&office, "Nilda Quispe"));
    let store = linea::store::OfficeStore::open(
        &office.dir(),
        "ana",
        &linea::keys::Passphrase::new(PASSPHRASE.into()),
    )
    .unwrap();
    assert_eq!(store.drafts().unwrap().len(), 1);
}

#[test]
fn a_wait_for_another_linea_that_lasts_is_said_on_screen() {
    let office = Office::new();
    let out = tempfile::tempdir().unwrap();
    let mut linea = Hosted::start(&office, &out);
    linea.unlock(&office);
    // Another linea holds the store to itself, as while it rotates the key.
    let other = fs::File::open(office.dir().join(linea::store::LOCK_FILE)).unwrap();
    other.lock().unwrap();
    wait_for("the wait on screen", || {
        linea
            .wrote("Waiting for another linea to finish changing this store's keys")
            .then_some(())
    });
    other.unlock().unwrap();
    // Then it goes on: a call typed is in its draft.
    linea.type_keys("\x1bOR");
    linea.type_keys("family\rreport of\r\tNilda Quispe");
    wait_for("the draft", || {
        draft_holds(&office, "Nilda Quispe").then_some(())
    });
}
