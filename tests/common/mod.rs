//! Helpers shared by the integration tests: a demo office made in-process, and the real
//! `linea` binary run against it.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use linea::keys::{AgeIdentity, KeyDir, StoreKey};
use sha2::{Digest, Sha256};

pub const PASSPHRASE: &str = linea::demo::PASSPHRASE;
/// scrypt at 2^4 instead of 2^19: the explicit test setting, never used outside tests.
pub const FAST_WORK_FACTOR: u8 = 4;

pub mod exchange;
pub mod tui;

/// A demo central and office in a temporary folder.
pub struct Office {
    pub root: tempfile::TempDir,
}

impl Office {
    /// A demo with `calls` synthetic calls (seed 7).
    pub fn with_calls(calls: u32) -> Office {
        let root = tempfile::tempdir().expect("temp dir");
        let demo = linea::demo::create(&root.path().join("demo"), calls, 7, FAST_WORK_FACTOR)
            .expect("demo");
        drop(demo);
        Office { root }
    }

    pub fn new() -> Office {
        Office::with_calls(0)
    }

    /// The demo `linea demo` makes, with no calls: its office has applied central's first
    /// pack, the demo's directory of local services.
    pub fn with_directory() -> Office {
        let root = tempfile::tempdir().expect("temp dir");
        let demo =
            linea::demo::create_with_directory(&root.path().join("demo"), 0, 7, FAST_WORK_FACTOR)
                .expect("demo");
        drop(demo);
        Office { root }
    }

    pub fn dir(&self) -> PathBuf {
        self.root.path().join("demo").join("office")
    }

    pub fn central_dir(&self) -> PathBuf {
        self.root.path().join("demo").join("central")
    }

    pub fn recovery_file(&self) -> PathBuf {
        self.root.path().join("demo").join("central-recovery.txt")
    }

    /// `linea --store OFFICE --operator ana ARGS` with the passphrase in the environment.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, "", &[])
    }

    pub fn run_stdin(&self, args: &[&str], stdin: &str) -> Run {
        self.run_with(args, stdin, &[])
    }

    pub fn run_with(&self, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Run {
        let dir = self.dir();
        let mut all = vec!["--store", dir.to_str().unwrap(), "--operator", "ana"];
        all.extend_from_slice(args);
        linea(&all, stdin, env)
    }

    /// `linea recover` with central's recovery identity: ana is the lead again, with a new
    /// passphrase. Returns how many calls she then lists with it.
    pub fn recover_and_count_calls(&self) -> usize {
        let passphrase = "ana's passphrase after the recovery";
        let recovery = self.recovery_file();
        let args = ["recover", "--recovery-identity", recovery.to_str().unwrap()];
        self.run_with(&args, "", &[("LINEA_NEW_PASSPHRASE", passphrase)])
            .ok();
        let listed = self
            .run_with(
                &["call", "list", "--json"],
                "",
                &[("LINEA_PASSPHRASE", passphrase)],
            )
            .ok();
        listed.stdout.lines().count()
    }

    /// The raw store key, read with central's recovery identity.
    pub fn store_key(&self) -> StoreKey {
        let recovery = AgeIdentity::read_recovery_file(&self.recovery_file()).unwrap();
        let keys = KeyDir::of_store(&self.dir());
        keys.read_store_key(&keys.store_key_path(), &recovery)
            .unwrap()
    }

    /// A plain rusqlite connection to the office database, keyed by hand as SQLCipher 4
    /// documents: `PRAGMA key = "x'…'"`.
    pub fn raw_db(&self) -> rusqlite::Connection {
        let key = self.store_key();
        let conn = rusqlite::Connection::open(self.dir().join("linea.db")).unwrap();
        conn.execute_batch(&format!("PRAGMA key = \"x'{}'\"", &*key.reveal_hex()))
            .unwrap();
        conn
    }
}

/// What a run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    pub fn ok(self) -> Run {
        assert_eq!(self.code, 0, "expected success: {self:?}");
        self
    }

    /// Asserts the exit status and one line on stderr, and returns that line.
    pub fn fails(self, code: i32) -> String {
        assert_eq!(self.code, code, "expected exit {code}: {self:?}");
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "expected one line on stderr: {self:?}");
        assert!(lines[0].starts_with("linea: "), "{self:?}");
        lines[0].to_owned()
    }
}

/// Runs the real binary with the passphrase and the fast work factor in its environment.
pub fn linea(args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Run {
    let mut command = linea_command(args);
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("run linea");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    Run::from(child.wait_with_output().expect("wait for linea"))
}

/// The real binary with the passphrase and the fast work factor in its environment, its
/// standard streams piped, not started yet.
pub fn linea_command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_linea"));
    command
        .args(args)
        .env_remove("LINEA_STORE")
        .env_remove("LINEA_OPERATOR")
        .env_remove("LINEA_NEW_PASSPHRASE")
        .env("LINEA_PASSPHRASE", PASSPHRASE)
        .env("LINEA_TEST_KDF_WORK_FACTOR", FAST_WORK_FACTOR.to_string())
        .env("LANG", "en_US.UTF-8")
        // Files a command writes by default (kits, enrollments) never land in the project.
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// A standard tool (`age`, `age-keygen`, `minisign`), or a clear failure saying how to get
/// it: the interoperability tests run in CI, where a missing tool must not pass silently.
pub fn tool(name: &str) -> Command {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {name}"))
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(
        found,
        "the interop tests need `{name}`: apt-get install -y age minisign"
    );
    Command::new(name)
}

/// Every file under `dir` with the SHA-256 of its contents.
pub fn digest_tree(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut digests = BTreeMap::new();
    for path in files_under(dir) {
        let bytes = fs::read(&path).unwrap();
        digests.insert(path, hex::encode(Sha256::digest(&bytes)));
    }
    digests
}

pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(next) = pending.pop() {
        for entry in fs::read_dir(&next).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Counts rows of a table through the library, unlocking as the demo lead.
pub fn call_count(office: &Office) -> u64 {
    let store = linea::store::OfficeStore::open(
        &office.dir(),
        "ana",
        &linea::keys::Passphrase::new(PASSPHRASE.into()),
    )
    .unwrap();
    store.call_count().unwrap()
}
