//! The encrypted store: one folder holding a SQLCipher database and the key slots that open it.
//!
//! ```text
//! DIR/linea.db (+ -wal, -shm)   SQLCipher 4, raw 256-bit key, WAL, synchronous=FULL
//! DIR/keys/…                    see `keys::slots`
//! ```
//! Everything the TUI and the CLI do with records goes through [`Store`]; nothing else
//! writes SQL.

mod audit;
mod backup;
mod calls;
mod cases;
mod central;
mod changes;
mod codes;
mod delivery;
mod drafts;
mod exchange;
pub mod meta;
mod offices;
mod open;
mod operators;
mod referrals;
mod retention;
mod rows;
pub mod schema;
mod settings;
mod stats;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use rusqlite::Connection;

use crate::keys::{AgeIdentity, KeyDir, KeyError, Passphrase, StoreKey};
use crate::model::{self, CodeExtensions, ValidationError};

pub use audit::{AuditBreak, AuditEntry, AuditSummary};
pub use backup::BackupRecipient;
pub use calls::{CallCursor, CallFilter, CallPage, write_calls};
pub use central::Conflict;
pub use changes::Change;
pub use drafts::Draft;
pub use exchange::{BatchStart, ImportTx, ImportedBatch, OutboxBatch};
pub use offices::Office;
pub use open::open_db;
pub use operators::{LeadConfirmation, Operator, Role};
pub use referrals::ReferralFilter;
pub use retention::RetentionReport;
pub use settings::OfficeSetting;
pub use stats::{
    Count, DEFAULT_WEEKS, Funnel, INVESTIGATION_STATUSES, PLACE_ABROAD, PLACE_UNKNOWN,
    POLICE_TARGET_PREFIX, Period, Stats, WeekCounts,
};

pub const DB_FILE: &str = "linea.db";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "no linea store in {dir}: pass --store DIR (or set LINEA_STORE), or make one with `linea init --kit KIT` or `linea demo`"
    )]
    NoStore { dir: PathBuf },
    #[error("{dir} already holds a linea store; choose another folder or remove it first")]
    AlreadyExists { dir: PathBuf },
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error(
        "the store key does not open {path}: the key file and the database do not belong together; restore both from the same backup"
    )]
    WrongKey { path: PathBuf },
    #[error(
        "this linea was built without SQLCipher encryption; refusing to write records in plaintext"
    )]
    NoEncryption,
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error("no {kind} with id {id} in this store")]
    NotFound { kind: &'static str, id: String },
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Conflict(String),
    #[error("the store is damaged: {0}; restore it from a backup")]
    Damaged(String),
    #[error("{0}")]
    Config(String),
    #[error("database error while {context}: {source}")]
    Sqlite {
        context: &'static str,
        source: rusqlite::Error,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl StoreError {
    pub(crate) fn sqlite(context: &'static str) -> impl FnOnce(rusqlite::Error) -> StoreError {
        move |source| StoreError::Sqlite { context, source }
    }

    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> StoreError {
        let path = path.into();
        move |source| StoreError::Io { path, source }
    }
}

/// Whether a store is an office's or central's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreKind {
    Office,
    Central,
}

impl StoreKind {
    fn as_str(self) -> &'static str {
        match self {
            StoreKind::Office => "office",
            StoreKind::Central => "central",
        }
    }
}

/// Everything needed to make a new store.
pub struct NewStore<'a> {
    pub dir: &'a Path,
    pub kind: StoreKind,
    /// The office's id; central uses "central".
    pub office_id: &'a str,
    pub office_name: &'a str,
    /// The first operator, who becomes the lead.
    pub lead: &'a str,
    pub passphrase: &'a Passphrase,
    /// scrypt work factor for the lead's slot: [`crate::keys::WorkFactor::for_new_slots`].
    pub work_factor: u8,
    /// Central's recovery recipient (`age1…`): it can always open this store.
    pub recovery_recipient: &'a str,
    /// An office: the backup recipient its kit carried, if any (see `backup`).
    pub backup_recipient: Option<&'a str>,
    pub settings: Vec<(&'a str, String)>,
    pub secrets: Vec<(&'a str, &'a [u8])>,
}

/// An unlocked store, and who unlocked it.
pub struct Store {
    conn: Connection,
    dir: PathBuf,
    keys: KeyDir,
    key: StoreKey,
    operator: String,
    role: Role,
    kind: StoreKind,
    office_id: String,
    zone: FixedOffset,
    clock: Clock,
    /// The code-list extensions in force, loaded at open (see `codes`).
    codes: Arc<CodeExtensions>,
}

/// Where the store's "now" comes from: the system clock, or a fixed instant for tests and
/// for generating history (the demo). Audit entries always carry the real time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clock {
    #[default]
    System,
    Fixed(DateTime<Utc>),
}

impl Clock {
    pub fn now(self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(at) => at,
        }
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("dir", &self.dir)
            .field("operator", &self.operator)
            .field("kind", &self.kind)
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

/// Instants are stored as RFC 3339 UTC text with microseconds, so text order is time order.
pub fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub(crate) fn parse_timestamp(text: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| StoreError::Damaged(format!("'{text}' is not a timestamp")))
}

/// Lima: UTC-5 all year, no daylight saving since 1994.
pub const DEFAULT_UTC_OFFSET_MINUTES: i32 = -300;

/// Whether `dir` holds a store (without opening it).
pub fn exists(dir: &Path) -> bool {
    dir.join(DB_FILE).exists()
}

impl Store {
    /// Makes a new store in `new.dir` (created if needed, which must not hold a store), with
    /// its first operator as the lead. On any failure nothing of it is left behind.
    pub fn create(new: NewStore<'_>) -> Result<Store, StoreError> {
        check_operator_name(new.lead)?;
        if crate::keys::slots::parse_recipient(new.recovery_recipient).is_none() {
            return Err(StoreError::Config(format!(
                "'{}' is not an age recipient for the recovery key",
                new.recovery_recipient
            )));
        }
        let keys = KeyDir::of_store(new.dir);
        if exists(new.dir) || keys.root().exists() {
            return Err(StoreError::AlreadyExists {
                dir: new.dir.to_owned(),
            });
        }
        let made_dir = !new.dir.exists();
        fs::create_dir_all(new.dir).map_err(StoreError::io(new.dir))?;
        match Store::build(&new, &keys) {
            Ok(store) => Ok(store),
            Err(e) => {
                open::remove_db_files(&new.dir.join(DB_FILE));
                let _ = fs::remove_dir_all(keys.root());
                if made_dir {
                    let _ = fs::remove_dir(new.dir);
                }
                Err(e)
            }
        }
    }

    fn build(new: &NewStore<'_>, keys: &KeyDir) -> Result<Store, StoreError> {
        keys.create()?;
        let lead = AgeIdentity::generate();
        keys.write_slot(new.lead, &lead, new.passphrase, new.work_factor)?;
        let key = StoreKey::generate();
        keys.write_store_key(
            &keys.store_key_path(),
            &key,
            &[lead.recipient(), new.recovery_recipient.to_owned()],
        )?;
        let db_path = new.dir.join(DB_FILE);
        let mut conn = open_db(&db_path, &key, true)?;
        schema::migrate(&mut conn)?;
        let now = timestamp(Utc::now());
        let tx = conn.transaction().map_err(StoreError::sqlite("create"))?;
        let facts = [
            ("kind", new.kind.as_str().to_owned()),
            ("office_id", new.office_id.to_owned()),
            ("office_name", new.office_name.to_owned()),
            ("created_at", now.clone()),
            ("recovery_recipient", new.recovery_recipient.to_owned()),
            ("utc_offset_minutes", DEFAULT_UTC_OFFSET_MINUTES.to_string()),
            (
                "code_lists_version",
                model::codes::CODE_LISTS_VERSION.to_string(),
            ),
        ];
        for (name, value) in facts.iter().chain(new.settings.iter()) {
            meta::set(&tx, name, value)?;
        }
        for (name, value) in &new.secrets {
            meta::set_secret(&tx, name, value)?;
        }
        if let Some(recipient) = new.backup_recipient {
            backup::insert(&tx, recipient, "kit", &now)?;
        }
        operators::insert(&tx, new.lead, Role::Lead, &lead.recipient(), new.lead, &now)?;
        audit::append(&tx, new.lead, "store.create", new.office_id)?;
        tx.commit().map_err(StoreError::sqlite("create"))?;
        Store::from_parts(conn, new.dir, key, new.lead)
    }

    /// Unlocks the store in `dir` as `operator` with their passphrase.
    pub fn open(dir: &Path, operator: &str, passphrase: &Passphrase) -> Result<Store, StoreError> {
        let identity = Store::identity(dir, operator, passphrase)?;
        Store::open_with_identity(dir, operator, &identity)
    }

    /// The operator's identity, from their slot in the store in `dir`.
    fn identity(
        dir: &Path,
        operator: &str,
        passphrase: &Passphrase,
    ) -> Result<AgeIdentity, StoreError> {
        if !exists(dir) {
            return Err(StoreError::NoStore {
                dir: dir.to_owned(),
            });
        }
        check_operator_name(operator)?;
        Ok(KeyDir::of_store(dir).open_slot(operator, passphrase)?)
    }

    /// Unlocks the store with an operator's identity already taken from their slot: all of
    /// unlocking but the passphrase KDF.
    pub fn open_with_identity(
        dir: &Path,
        operator: &str,
        identity: &AgeIdentity,
    ) -> Result<Store, StoreError> {
        let keys = KeyDir::of_store(dir);
        let (conn, key) = operators::unlock(dir, &keys, identity)?;
        let mut store = Store::from_parts(conn, dir, key, operator)?;
        store.finish_interrupted_work()?;
        store.audit("store.unlock", "")?;
        Ok(store)
    }

    fn from_parts(
        mut conn: Connection,
        dir: &Path,
        key: StoreKey,
        operator: &str,
    ) -> Result<Store, StoreError> {
        // A store made by an older linea gets the tables this one reads (a no-op when it is
        // up to date; a store from a newer linea is refused here, saying so).
        schema::migrate(&mut conn)?;
        let role = operators::role_of(&conn, operator)?.ok_or_else(|| {
            StoreError::Forbidden(format!(
                "operator '{operator}' has been removed from this store; ask the office lead"
            ))
        })?;
        let kind = match meta::require(&conn, "kind")?.as_str() {
            "central" => StoreKind::Central,
            _ => StoreKind::Office,
        };
        let office_id = meta::require(&conn, "office_id")?;
        let offset_minutes: i32 = meta::get(&conn, "utc_offset_minutes")?
            .and_then(|m| m.parse().ok())
            .unwrap_or(DEFAULT_UTC_OFFSET_MINUTES);
        let zone = FixedOffset::east_opt(offset_minutes * 60)
            .ok_or_else(|| StoreError::Damaged("the time zone offset is out of range".into()))?;
        let codes = Arc::new(codes::load(&conn, kind)?);
        Ok(Store {
            conn,
            dir: dir.to_owned(),
            keys: KeyDir::of_store(dir),
            key,
            operator: operator.to_owned(),
            role,
            kind,
            office_id,
            zone,
            clock: Clock::System,
            codes,
        })
    }

    /// Sets where "now" comes from for new records and status changes.
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn operator(&self) -> &str {
        &self.operator
    }

    pub fn role(&self) -> Role {
        self.role
    }

    pub fn kind(&self) -> StoreKind {
        self.kind
    }

    pub fn office_id(&self) -> &str {
        &self.office_id
    }

    /// The office's local time zone (a fixed offset; America/Lima by default).
    pub fn zone(&self) -> FixedOffset {
        self.zone
    }

    pub fn setting(&self, name: &str) -> Result<Option<String>, StoreError> {
        meta::get(&self.conn, name)
    }

    pub fn secret(&self, name: &str) -> Result<zeroize::Zeroizing<Vec<u8>>, StoreError> {
        meta::get_secret(&self.conn, name)
    }

    /// Writes a setting, with an audit entry naming it (never its value).
    pub fn set_setting(&mut self, name: &str, value: &str) -> Result<(), StoreError> {
        let operator = self.operator.clone();
        let tx = self.tx()?;
        meta::set(&tx, name, value)?;
        audit::append(&tx, &operator, "setting.change", name)?;
        tx.commit().map_err(StoreError::sqlite("setting"))
    }

    /// Records an action in the audit chain.
    pub fn audit(&mut self, action: &str, subject: &str) -> Result<(), StoreError> {
        let operator = self.operator.clone();
        let tx = self.tx()?;
        audit::append(&tx, &operator, action, subject)?;
        tx.commit().map_err(StoreError::sqlite("audit"))
    }

    /// Where the audit chain stands: entries written and the last one's hash (unchecked).
    pub fn audit_head(&self) -> Result<Option<(u64, String)>, StoreError> {
        audit::head(&self.conn)
    }

    /// Checks the audit chain end to end, and each record against its latest entry.
    pub fn verify_audit(&self) -> Result<Result<AuditSummary, AuditBreak>, StoreError> {
        audit::verify(&self.conn)
    }

    /// For loading synthetic history only (the demo): skip the per-commit flush to disk while
    /// `on`, and flush everything when turned off again.
    pub fn set_bulk_load(&mut self, on: bool) -> Result<(), StoreError> {
        let level = if on { "OFF" } else { "FULL" };
        self.conn
            .execute_batch(&format!("PRAGMA synchronous = {level}"))
            .map_err(StoreError::sqlite("synchronous"))
    }

    /// Moves everything in the write-ahead log into the database file and empties the log.
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(StoreError::sqlite("checkpoint"))
    }

    /// SQLite's and SQLCipher's own integrity checks; empty when all is well.
    pub fn integrity_problems(&self) -> Result<Vec<String>, StoreError> {
        let mut problems = Vec::new();
        for pragma in ["PRAGMA integrity_check", "PRAGMA cipher_integrity_check"] {
            let mut stmt = self
                .conn
                .prepare(pragma)
                .map_err(StoreError::sqlite("integrity check"))?;
            let rows = stmt
                .query_map([], |row| row.get::<_, String>(0))
                .map_err(StoreError::sqlite("integrity check"))?;
            for row in rows {
                let row = row.map_err(StoreError::sqlite("integrity check"))?;
                if row != "ok" {
                    problems.push(row);
                }
            }
        }
        Ok(problems)
    }

    fn tx(&mut self) -> Result<rusqlite::Transaction<'_>, StoreError> {
        self.conn
            .transaction()
            .map_err(StoreError::sqlite("begin transaction"))
    }

    /// Central's store holds what offices sent: a call or case written there would belong
    /// to no office and never reach one.
    fn require_office(&self) -> Result<(), StoreError> {
        match self.kind {
            StoreKind::Office => Ok(()),
            StoreKind::Central => Err(StoreError::Config(
                "this is central's store: calls, referrals and cases are logged at an office; central records outcomes (linea central outcome)".into(),
            )),
        }
    }

    fn require_lead(&self, what: &str) -> Result<(), StoreError> {
        match self.role {
            Role::Lead => Ok(()),
            Role::Operator => Err(StoreError::Forbidden(format!(
                "only the office lead can {what}; '{}' is an operator",
                self.operator
            ))),
        }
    }
}

/// Operator names become file names: refuse anything but plain ones, saying what is allowed.
pub fn check_operator_name(name: &str) -> Result<(), StoreError> {
    if model::operator_name_is_valid(name) {
        return Ok(());
    }
    Err(StoreError::Config(format!(
        "'{name}' is not a valid operator name: use 1 to 32 lowercase letters, digits, '-', '_' or '.', starting with a letter"
    )))
}
