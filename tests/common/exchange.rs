//! Helpers for the exchange tests: both stores through the library, central's database raw,
//! a digest of central's logical contents, sticks, and hostile batches and mail made with the
//! exchange's own building blocks (so a refusal proves the rule, not a slip in the test).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use linea::central::import::import_identity;
use linea::central::registry::names as central_names;
use linea::exchange::batch::{self, Manifest, ManifestEntry};
use linea::exchange::enrollment::names as office_names;
use linea::exchange::mail::{self, Mail};
use linea::keys::{AgeIdentity, KeyDir, Passphrase, SigningKey, StoreKey};
use linea::model::Record;
use linea::store::{CentralStore, OfficeStore};
use sha2::{Digest, Sha256};

use super::{Office, PASSPHRASE, Run, linea};

pub const OFFICE_ID: &str = linea::demo::OFFICE_ID;
/// The demo central's only operator.
pub const CENTRAL_OPERATOR: &str = linea::demo::CENTRAL_LEAD;

/// Central's tables an import may change: the records and the exchange's bookkeeping of
/// what arrived. Alerts are not here: a refused fork or broken chain must add one.
pub const CENTRAL_TABLES: &[&str] = &[
    "calls",
    "cases",
    "people",
    "referrals",
    "referral_status",
    "batches",
    "conflicts",
    "outcomes",
];

fn passphrase() -> Passphrase {
    Passphrase::new(PASSPHRASE.into())
}

impl Office {
    /// The office store, unlocked as its lead.
    pub fn office_store(&self) -> OfficeStore {
        OfficeStore::open(&self.dir(), "ana", &passphrase()).expect("open the office store")
    }

    /// Central's store, unlocked as its operator.
    pub fn central_store(&self) -> CentralStore {
        CentralStore::open(&self.central_dir(), CENTRAL_OPERATOR, &passphrase())
            .expect("open central's store")
    }

    /// Central's raw store key, read with the recovery identity.
    pub fn central_store_key(&self) -> StoreKey {
        let recovery = AgeIdentity::read_recovery_file(&self.recovery_file()).unwrap();
        let keys = KeyDir::of_store(&self.central_dir());
        keys.read_store_key(&keys.store_key_path(), &recovery)
            .unwrap()
    }

    /// A plain SQLCipher connection to central's database, keyed by hand.
    pub fn central_raw_db(&self) -> rusqlite::Connection {
        let key = self.central_store_key();
        let conn = rusqlite::Connection::open(self.central_dir().join("linea.db")).unwrap();
        conn.execute_batch(&format!("PRAGMA key = \"x'{}'\"", &*key.reveal_hex()))
            .unwrap();
        conn
    }

    /// A digest of central's logical contents: every row of [`CENTRAL_TABLES`].
    pub fn central_digest(&self) -> String {
        table_digest(&self.central_raw_db(), CENTRAL_TABLES)
    }

    /// `linea --store CENTRAL --operator central ARGS`.
    pub fn central(&self, args: &[&str]) -> Run {
        let dir = self.central_dir();
        let mut all = vec![
            "--store",
            dir.to_str().unwrap(),
            "--operator",
            CENTRAL_OPERATOR,
        ];
        all.extend_from_slice(args);
        linea(&all, "", &[])
    }

    /// `linea central register FILE`, with the office key's fingerprint as the office lead
    /// would read it out (the one the file carries).
    pub fn register(&self, enrollment: &Path) -> Run {
        let fingerprint = linea::exchange::enrollment::Enrollment::read(enrollment)
            .map(|e| e.fingerprint())
            .unwrap_or_default();
        let file = enrollment.to_str().unwrap();
        self.central(&["central", "register", file, "--fingerprint", &fingerprint])
    }

    /// A stick's mount point inside the test's folder (not made yet).
    pub fn stick(&self, name: &str) -> PathBuf {
        self.root.path().join(name)
    }

    /// `linea sync STICK` at the office.
    pub fn sync(&self, stick: &Path) -> Run {
        self.run(&["sync", stick.to_str().unwrap()])
    }

    /// `linea central sync STICK`.
    pub fn central_sync(&self, stick: &Path) -> Run {
        self.central(&["central", "sync", stick.to_str().unwrap()])
    }

    /// `linea central import FILE`.
    pub fn import(&self, file: &Path) -> Run {
        self.central(&["central", "import", file.to_str().unwrap()])
    }

    /// Adds `count` synthetic calls (with their cases and referrals) at the office.
    pub fn add_calls(&self, count: u32, seed: u64) {
        let mut store = self.office_store();
        linea::demo::fill(&mut store, count, seed).expect("add calls");
    }

    /// Office sync, central sync, office sync: one full round trip through `stick`.
    pub fn round_trip(&self, stick: &Path) {
        self.sync(stick).ok();
        self.central_sync(stick).ok();
        self.sync(stick).ok();
    }

    /// A folder for files the tests keep or forge.
    pub fn held(&self) -> PathBuf {
        let dir = self.root.path().join("held");
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Runs an office sync onto a fresh stick and keeps a copy of batch `seq` from it
    /// (every batch without a receipt is written at each sync).
    pub fn batch_file(&self, forge: &Forge, seq: u64) -> PathBuf {
        static STICKS: AtomicUsize = AtomicUsize::new(0);
        let n = STICKS.fetch_add(1, Ordering::SeqCst);
        let stick = self.stick(&format!("scratch-{n}"));
        self.sync(&stick).ok();
        let found = batch_files(&stick)
            .into_iter()
            .find(|file| forge.open(file).0.seq == seq)
            .unwrap_or_else(|| panic!("no batch {seq} on {}", stick.display()));
        let kept = self.held().join(format!("batch-{seq}-{n}.age"));
        fs::copy(&found, &kept).unwrap();
        kept
    }
}

/// SHA-256 over every row of `tables`, in primary-key order, each value with its type.
pub fn table_digest(conn: &rusqlite::Connection, tables: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for table in tables {
        hasher.update(format!("table {table}\n").as_bytes());
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY rowid"))
            .unwrap();
        let columns = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for column in 0..columns {
                let value = row.get_ref(column).unwrap();
                hasher.update(format!("{value:?}\x1f").as_bytes());
            }
            hasher.update(b"\x1e");
        }
    }
    hex::encode(hasher.finalize())
}

/// Row counts of central's record tables, for messages.
pub fn row_counts(conn: &rusqlite::Connection) -> BTreeMap<String, i64> {
    CENTRAL_TABLES
        .iter()
        .map(|table| {
            let count = conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
                    row.get(0)
                })
                .unwrap();
            (table.to_string(), count)
        })
        .collect()
}

pub fn to_central(stick: &Path) -> PathBuf {
    stick.join("linea").join("to-central")
}

pub fn to_office(stick: &Path) -> PathBuf {
    stick.join("linea").join("to-office")
}

/// Where a sync sets aside the files it refused.
pub fn refused_dir(stick: &Path) -> PathBuf {
    stick.join("linea").join("refused")
}

/// Whether `file`, refused, was moved from its folder into the stick's `linea/refused/`.
pub fn set_aside(stick: &Path, file: &Path) -> bool {
    !file.exists() && refused_dir(stick).join(file.file_name().unwrap()).exists()
}

/// Finished files in a stick folder whose names start with `prefix` (temporaries skipped).
pub fn finished(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with(prefix) && name.ends_with(".age")
        })
        .collect();
    files.sort();
    files
}

/// The finished batches on a stick.
pub fn batch_files(stick: &Path) -> Vec<PathBuf> {
    finished(&to_central(stick), "b-")
}

/// Asserts a refusal through the real binary: exit 1, one line on stderr naming the file,
/// with one of `rules`. Returns the line.
pub fn assert_refused(run: Run, file: &Path, rules: &[&str]) -> String {
    let line = run.fails(1);
    let prefix = format!("linea: {}: refused (", file.display());
    assert!(
        line.starts_with(&prefix),
        "the reason must name the file and say it was refused: {line}"
    );
    let rule = line[prefix.len()..].split(':').next().unwrap_or_default();
    assert!(
        rules.contains(&rule),
        "expected the rule to be one of {rules:?}, got '{rule}': {line}"
    );
    line
}

/// The exchange's keys, read through the library as an insider (or a test) would hold them.
pub struct Forge {
    pub office_key: SigningKey,
    pub office_id: String,
    /// Central's import recipient (`age1…`), as the office's kit gave it.
    pub import_recipient: String,
    pub import_identity: AgeIdentity,
    pub central_key: SigningKey,
    /// The office's age recipient, to which central encrypts receipts and packs.
    pub office_recipient: String,
    held: PathBuf,
}

impl Forge {
    pub fn new(office: &Office) -> Forge {
        let office_store = office.office_store();
        let central = office.central_store();
        let office_key = SigningKey::from_secret_bytes(
            &office_store
                .secret(office_names::OFFICE_SIGNING_KEY)
                .unwrap(),
        )
        .unwrap();
        let import_recipient = office_store
            .setting(office_names::CENTRAL_IMPORT_RECIPIENT)
            .unwrap()
            .unwrap();
        assert_eq!(
            Some(import_recipient.clone()),
            central.setting(central_names::IMPORT_RECIPIENT).unwrap()
        );
        let central_key =
            SigningKey::from_secret_bytes(&central.secret(central_names::SIGNING_KEY).unwrap())
                .unwrap();
        Forge {
            office_key,
            office_id: office_store.office_id().to_owned(),
            import_recipient,
            import_identity: import_identity(&central).unwrap(),
            central_key,
            office_recipient: central.office_recipient(OFFICE_ID).unwrap().unwrap(),
            held: office.held(),
        }
    }

    /// Decrypts, parses and verifies a batch file the office made, with central's identity
    /// and the office's key: its manifest and its record lines.
    pub fn open(&self, file: &Path) -> (Manifest, Vec<String>) {
        let inner = batch::open(&fs::read(file).unwrap(), &self.import_identity)
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let parsed = batch::parse(&inner)
            .and_then(|batch| batch.verify(self.office_key.public(), &self.import_recipient))
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let lines = parsed
            .records
            .iter()
            .map(|(line, _)| line.clone())
            .collect();
        (parsed.manifest, lines)
    }

    /// Signs `manifest` and `lines` with the office's key, as the office would.
    pub fn payload(&self, manifest: &Manifest, lines: &[String]) -> Vec<u8> {
        batch::build_payload(manifest, lines, &self.office_key)
            .unwrap()
            .0
    }

    /// Seals a payload to central's import recipient.
    pub fn seal(&self, payload: &[u8]) -> Vec<u8> {
        batch::seal(payload, std::slice::from_ref(&self.import_recipient)).unwrap()
    }

    /// Writes bytes to a file of the test's folder and returns its path.
    pub fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.held.join(name);
        fs::write(&path, bytes).unwrap();
        path
    }

    /// A batch signed by the office's key and sealed to central, written as `name`.
    pub fn batch(&self, name: &str, manifest: &Manifest, lines: &[String]) -> PathBuf {
        self.write(name, &self.seal(&self.payload(manifest, lines)))
    }

    /// A receipt or pack signed by `key`, encrypted to the office, written into the stick's
    /// folder for the office.
    pub fn mail(&self, stick: &Path, name: &str, mail: &Mail, key: &SigningKey) -> PathBuf {
        let dir = to_office(stick);
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        fs::write(
            &path,
            mail::seal(mail, key, &self.office_recipient).unwrap(),
        )
        .unwrap();
        path
    }
}

/// The manifest lines of record lines, as the office makes them.
pub fn entries(lines: &[String]) -> Vec<ManifestEntry> {
    lines
        .iter()
        .map(|line| {
            let record: Record = serde_json::from_str(line).unwrap();
            ManifestEntry {
                id: record.meta().id,
                kind: record.kind().to_owned(),
                version: record.meta().version,
                hash: Some(batch::sha256_hex(line.as_bytes())),
            }
        })
        .collect()
}

/// `manifest` listing exactly `lines`.
pub fn listing(manifest: &Manifest, lines: &[String]) -> Manifest {
    Manifest {
        record_count: lines.len(),
        records: entries(lines),
        ..manifest.clone()
    }
}

/// An inner payload put together by hand: magic, manifest line, `signature` (minisign text,
/// or nothing), records.
pub fn assemble(manifest: &Manifest, signature: &str, lines: &[String]) -> Vec<u8> {
    let mut payload = format!(
        "{}\n{}\n",
        batch::MAGIC,
        serde_json::to_string(manifest).unwrap()
    )
    .into_bytes();
    payload.extend_from_slice(signature.as_bytes());
    if !signature.is_empty() && !signature.ends_with('\n') {
        payload.push(b'\n');
    }
    for line in lines {
        payload.extend_from_slice(line.as_bytes());
        payload.push(b'\n');
    }
    payload
}

/// The bytes a batch signature covers: magic, manifest line, records.
pub fn signed_bytes(manifest: &Manifest, lines: &[String]) -> Vec<u8> {
    assemble(manifest, "", lines)
}

/// The hash of a manifest as central computes it.
pub fn manifest_hash(manifest: &Manifest) -> String {
    batch::sha256_hex(serde_json::to_string(manifest).unwrap().as_bytes())
}

impl Office {
    /// Enrolls and registers a second office at the demo central, made through the library
    /// as `central enroll`, `init` and `central register` make it; returns its store folder
    /// (lead "rosa", the demo passphrase).
    pub fn second_office(&self, id: &str) -> PathBuf {
        let dir = self.root.path().join(id);
        let kit = self.root.path().join(format!("{id}-kit.json"));
        let enrollment = self.root.path().join(format!("{id}-enrollment.json"));
        let mut central = self.central_store();
        let (_, fingerprint) =
            linea::central::enroll(&mut central, id, "Second office", &kit).unwrap();
        let office = linea::exchange::enrollment::init_office(
            &dir,
            &kit,
            &fingerprint,
            "rosa",
            &passphrase(),
            super::FAST_WORK_FACTOR,
            &enrollment,
        )
        .unwrap();
        linea::central::register(&mut central, &enrollment, &office.office_fingerprint).unwrap();
        dir
    }
}

/// The signing key of the office whose store is at `dir` (lead "rosa").
pub fn signing_key_of(dir: &Path) -> SigningKey {
    let store = OfficeStore::open(dir, "rosa", &passphrase()).unwrap();
    SigningKey::from_secret_bytes(&store.secret(office_names::OFFICE_SIGNING_KEY).unwrap()).unwrap()
}

/// Runs the real binary as `linea` does, but gives up after `limit`: `None` when it was
/// still running (it is killed).
pub fn linea_within(args: &[&str], limit: std::time::Duration) -> Option<Run> {
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_linea"))
        .args(args)
        .env_remove("LINEA_STORE")
        .env_remove("LINEA_OPERATOR")
        .env_remove("LINEA_NEW_PASSPHRASE")
        .env("LINEA_PASSPHRASE", PASSPHRASE)
        .env(
            "LINEA_TEST_KDF_WORK_FACTOR",
            super::FAST_WORK_FACTOR.to_string(),
        )
        .env("LANG", "en_US.UTF-8")
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run linea");
    let started = std::time::Instant::now();
    while started.elapsed() < limit {
        if child.try_wait().unwrap().is_some() {
            let output = child.wait_with_output().unwrap();
            return Some(Run {
                code: output.status.code().unwrap_or(-1),
                stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            });
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}
