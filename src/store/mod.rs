//! The encrypted store: one folder holding a SQLCipher database and the key slots that open it.
//!
//! ```text
//! DIR/linea.db (+ -wal, -shm)   SQLCipher 4, raw 256-bit key, WAL, synchronous=FULL
//! DIR/keys/…                    see `keys::slots`
//! DIR/linea.lock                see `lock`: several linea processes on one store
//! DIR/linea.turnstile           see `lock`: where a key change waits its turn
//! ```
//! Everything the TUI and the CLI do with records goes through the store; nothing else
//! writes SQL.
//!
//! One store type per role, over one shared database layer:
//!
//! - [`Store`] (this folder's top): unlocking, the lock and the keys, operators, audit,
//!   settings, the backup recipient, integrity, and the reads both roles make (calls,
//!   cases, referrals, search, figures, code lists).
//! - [`OfficeStore`] (`office/`): what only an office does — logging calls, cases, people and
//!   referrals, drafts, batches out and receipts and packs in, retention.
//! - [`CentralStore`] (`central/`): what only central does — importing batches, the
//!   registry of offices, conflicts, outcomes, figures across offices, packs, repeat callers.
//!
//! Both deref to [`Store`]. A store is opened as the role it was made for
//! ([`OfficeStore::open`], [`CentralStore::open`]), or as either ([`Opened::open`]) by what
//! serves both (the desk, operators, audit, settings). An office logs a call:
//!
//! ```no_run
//! # fn log_a_call(office: &mut linea::store::OfficeStore, fields: linea::model::CallFields) {
//! let _ = office.add_call(fields);
//! # }
//! ```
//!
//! and central cannot, nor open a case or refer: it has no such method (E0599).
//!
//! ```compile_fail,E0599
//! # fn log_a_call(central: &mut linea::store::CentralStore, fields: linea::model::CallFields) {
//! let _ = central.add_call(fields);
//! # }
//! ```

mod audit;
mod backup;
mod calls;
mod cases;
mod central;
mod changes;
mod codes;
mod exchange_shared;
mod figures;
mod lock;
pub mod meta;
mod office;
mod open;
mod operators;
mod phone_keys;
mod referrals;
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
use crate::platform::FileIdentity;
use lock::{StoreLock, WAIT_LIMIT};

pub use audit::{AuditBreak, AuditEntry, AuditSummary};
pub use backup::BackupRecipient;
pub use calls::{CallCursor, CallFilter, CallPage, write_calls};
pub use central::{
    ACKNOWLEDGED_STATUSES, ACTED_STATUSES, BatchAudit, CallGroup, CentralStore, Conflict,
    FUNNEL_CLOSED_STATUSES, FunnelSteps, ImportTx, ImportedBatch, Office, PoliceReport,
    REFERRED_STATUSES, ReferralGroup, SameCaller, Scope,
};
pub use lock::{Hold, LOCK_FILE, Wait, on_wait};
pub use office::{BatchStart, Draft, OfficeStore, OutboxBatch, ReadAhead, RetentionReport};
pub use open::open_db;
pub use operators::{LeadConfirmation, Operator, Role};
pub use referrals::ReferralFilter;
pub use settings::OfficeSetting;
pub use stats::{
    Count, DEFAULT_WEEKS, Funnel, INVESTIGATION_STATUSES, PLACE_ABROAD, PLACE_UNKNOWN,
    POLICE_TARGET_PREFIX, Period, Preset, Stats, WeekCounts,
};

pub const DB_FILE: &str = "linea.db";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the disk that holds the store is full: free some space on it, then try again")]
    DiskFull,
    #[error(
        "linea may not write in the store folder (a read-only disk, or the folder's permissions): make it writable, then try again"
    )]
    ReadOnly,
    #[error(
        "the store's database cannot be opened: check that its folder is there and that linea may write in it, then try again"
    )]
    CannotOpen,
    #[error(
        "the store folder was deleted, moved or replaced while linea was open: nothing was saved; put the folder back, then save again"
    )]
    Moved,
    #[error("operator '{operator}' has been removed from this store; ask the office lead")]
    Removed { operator: String },
    #[error(
        "another linea has kept the store busy for {} minutes: let it finish or close it, then try again",
        WAIT_LIMIT.as_secs() / 60
    )]
    Busy,
    #[error(
        "another program has the store's database open (a backup or a database tool), so the store key could not be replaced: close that program, and the next unlock replaces it"
    )]
    DatabaseInUse,
    #[error(
        "no linea store in {dir}: pass --store DIR (or set LINEA_STORE), or make one with `linea init --kit KIT` or `linea demo`"
    )]
    NoStore { dir: PathBuf },
    #[error("{dir} already holds a linea store; choose another folder or remove it first")]
    AlreadyExists { dir: PathBuf },
    #[error(transparent)]
    Key(KeyError),
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
    /// A database error, named plainly when the user can do something about it.
    pub(crate) fn sqlite(context: &'static str) -> impl FnOnce(rusqlite::Error) -> StoreError {
        use rusqlite::{ErrorCode, ffi};
        move |source| {
            let Some(&ffi::Error {
                code,
                extended_code,
            }) = source.sqlite_error()
            else {
                return StoreError::Sqlite { context, source };
            };
            match (code, extended_code) {
                // The commit hook refused (see `open`), or SQLite noticed by itself.
                (_, ffi::SQLITE_CONSTRAINT_COMMITHOOK | ffi::SQLITE_READONLY_DBMOVED) => {
                    StoreError::Moved
                }
                (ErrorCode::DiskFull, _) => StoreError::DiskFull,
                (ErrorCode::ReadOnly, _) => StoreError::ReadOnly,
                (ErrorCode::CannotOpen, _) => StoreError::CannotOpen,
                // Only once the busy handler has waited its limit.
                (_, ffi::SQLITE_BUSY) => StoreError::Busy,
                _ => StoreError::Sqlite { context, source },
            }
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> StoreError {
        let path = path.into();
        move |source| match source.kind() {
            std::io::ErrorKind::StorageFull => StoreError::DiskFull,
            std::io::ErrorKind::ReadOnlyFilesystem => StoreError::ReadOnly,
            _ => StoreError::Io { path, source },
        }
    }
}

impl From<KeyError> for StoreError {
    /// Key files are written beside the database: a full or read-only disk reads the same.
    fn from(error: KeyError) -> StoreError {
        match error {
            KeyError::Io { path, source } => StoreError::io(path)(source),
            other => StoreError::Key(other),
        }
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
    /// The key file as it was read; another linea that rewrites it (rotating the key,
    /// adding an operator) makes it differ.
    key_file: Vec<u8>,
    /// The unlocking operator's own key, to read the key file again after another linea
    /// rotated the store key; wiped with the store when it locks.
    identity: AgeIdentity,
    /// Which file the database was when opened (see `Store::refresh`).
    db_file: FileIdentity,
    lock: StoreLock,
    /// A hold for as long as the store stays open, when asked for (see `hold_while_open`).
    held: Option<Hold>,
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
            .field("identity", &self.identity)
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

/// A store unlocked as whichever role it was made for: for what serves both (the desk,
/// operators, audit, settings, backups). Derefs to the shared [`Store`].
#[derive(Debug)]
pub enum Opened {
    Office(OfficeStore),
    Central(CentralStore),
}

impl Opened {
    /// Unlocks the store in `dir` as `operator` with their passphrase.
    pub fn open(dir: &Path, operator: &str, passphrase: &Passphrase) -> Result<Opened, StoreError> {
        Store::open(dir, operator, passphrase).map(Opened::of)
    }

    fn of(store: Store) -> Opened {
        match store.kind {
            StoreKind::Office => Opened::Office(OfficeStore(store)),
            StoreKind::Central => Opened::Central(CentralStore(store)),
        }
    }

    pub fn is_central(&self) -> bool {
        matches!(self, Opened::Central(_))
    }

    /// The office's store, or the error saying this is central's.
    pub fn as_office(&self) -> Result<&OfficeStore, StoreError> {
        match self {
            Opened::Office(office) => Ok(office),
            Opened::Central(_) => Err(not_an_office()),
        }
    }

    pub fn as_office_mut(&mut self) -> Result<&mut OfficeStore, StoreError> {
        match self {
            Opened::Office(office) => Ok(office),
            Opened::Central(_) => Err(not_an_office()),
        }
    }

    /// Central's store, or the error saying this is an office's.
    pub fn as_central(&self) -> Result<&CentralStore, StoreError> {
        match self {
            Opened::Central(central) => Ok(central),
            Opened::Office(_) => Err(not_central()),
        }
    }

    pub fn as_central_mut(&mut self) -> Result<&mut CentralStore, StoreError> {
        match self {
            Opened::Central(central) => Ok(central),
            Opened::Office(_) => Err(not_central()),
        }
    }

    pub fn into_office(self) -> Result<OfficeStore, StoreError> {
        match self {
            Opened::Office(office) => Ok(office),
            Opened::Central(_) => Err(not_an_office()),
        }
    }

    pub fn into_central(self) -> Result<CentralStore, StoreError> {
        match self {
            Opened::Central(central) => Ok(central),
            Opened::Office(_) => Err(not_central()),
        }
    }
}

/// Central's store holds what offices sent: a call or case written there would belong to no
/// office and never reach one.
fn not_an_office() -> StoreError {
    StoreError::Config(
        "this is central's store: calls, referrals and cases are logged at an office; central records outcomes (linea central outcome)".into(),
    )
}

fn not_central() -> StoreError {
    StoreError::Config(
        "this is an office store; central commands need central's store (--store)".into(),
    )
}

impl From<OfficeStore> for Opened {
    fn from(office: OfficeStore) -> Opened {
        Opened::Office(office)
    }
}

impl From<CentralStore> for Opened {
    fn from(central: CentralStore) -> Opened {
        Opened::Central(central)
    }
}

impl std::ops::Deref for Opened {
    type Target = Store;

    fn deref(&self) -> &Store {
        match self {
            Opened::Office(office) => office,
            Opened::Central(central) => central,
        }
    }
}

impl std::ops::DerefMut for Opened {
    fn deref_mut(&mut self) -> &mut Store {
        match self {
            Opened::Office(office) => office,
            Opened::Central(central) => central,
        }
    }
}

impl OfficeStore {
    /// Unlocks the office store in `dir`; central's store is refused, saying so.
    pub fn open(
        dir: &Path,
        operator: &str,
        passphrase: &Passphrase,
    ) -> Result<OfficeStore, StoreError> {
        Opened::open(dir, operator, passphrase)?.into_office()
    }

    /// Unlocks the office store with an operator's identity already taken from their slot:
    /// all of unlocking but the passphrase KDF.
    pub fn open_with_identity(
        dir: &Path,
        operator: &str,
        identity: &AgeIdentity,
    ) -> Result<OfficeStore, StoreError> {
        Opened::of(Store::open_with_identity(dir, operator, identity)?).into_office()
    }
}

impl CentralStore {
    /// Unlocks central's store in `dir`; an office's store is refused, saying so.
    pub fn open(
        dir: &Path,
        operator: &str,
        passphrase: &Passphrase,
    ) -> Result<CentralStore, StoreError> {
        Opened::open(dir, operator, passphrase)?.into_central()
    }
}

impl Store {
    /// Makes a new store in `new.dir` (created if needed, which must not hold a store), with
    /// its first operator as the lead. On any failure nothing of it is left behind.
    pub fn create(new: NewStore<'_>) -> Result<Opened, StoreError> {
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
            Ok(store) => Ok(Opened::of(store)),
            Err(e) => {
                open::remove_db_files(&new.dir.join(DB_FILE));
                let _ = fs::remove_dir_all(keys.root());
                let _ = fs::remove_file(new.dir.join(LOCK_FILE));
                let _ = fs::remove_file(new.dir.join(lock::TURNSTILE_FILE));
                if made_dir {
                    let _ = fs::remove_dir(new.dir);
                }
                Err(e)
            }
        }
    }

    fn build(new: &NewStore<'_>, keys: &KeyDir) -> Result<Store, StoreError> {
        let lock = StoreLock::open(new.dir)?;
        // Nobody opens it half-made.
        let _exclusive = lock.exclusive()?;
        keys.create()?;
        let lead = AgeIdentity::generate();
        keys.write_slot(new.lead, &lead, new.passphrase, new.work_factor)?;
        let key = StoreKey::generate();
        let key_file = keys.write_store_key(
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
        let opened = operators::Opened {
            conn,
            key,
            key_file,
        };
        Store::from_parts(opened, new.dir, lead, &lock, new.lead)
    }

    /// Unlocks the store in `dir` as `operator` with their passphrase.
    fn open(dir: &Path, operator: &str, passphrase: &Passphrase) -> Result<Store, StoreError> {
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
        let keys = KeyDir::of_store(dir);
        match keys.open_slot(operator, passphrase) {
            // The duress passphrase wipes every slot, and is refused like any wrong one.
            Err(wrong @ KeyError::WrongPassphrase { .. })
                if keys.is_duress(operator, passphrase) =>
            {
                keys.wipe_slots()?;
                Err(wrong.into())
            }
            opened => Ok(opened?),
        }
    }

    /// Unlocks the store with an operator's identity already taken from their slot: all of
    /// unlocking but the passphrase KDF.
    ///
    /// Held shared, as long as nothing is left to finish; work a crash interrupted (a key
    /// rotation, an orphan slot) is finished holding the store exclusive.
    fn open_with_identity(
        dir: &Path,
        operator: &str,
        identity: &AgeIdentity,
    ) -> Result<Store, StoreError> {
        let lock = StoreLock::open(dir)?;
        let opened = {
            let _shared = lock.shared()?;
            Store::open_as_it_is(dir, operator, identity, &lock)?
        };
        let mut store = match opened {
            Some(store) => store,
            None => {
                let _exclusive = lock.exclusive()?;
                let keys = KeyDir::of_store(dir);
                let opened = operators::open_repairing(dir, &keys, identity)?;
                let mut store =
                    Store::from_parts(opened, dir, identity.duplicate(), &lock, operator)?;
                match store.finish_interrupted_work() {
                    // A rotation needs room for a copy of every page, and the write-ahead
                    // log to itself: until it has them, the store opens as it is, and the
                    // next unlock tries again.
                    Err(StoreError::DiskFull | StoreError::DatabaseInUse) => {}
                    finished => finished?,
                }
                store
            }
        };
        store.audit("store.unlock", "")?;
        Ok(store)
    }

    /// The store opened with the key of its key file, or `None` when a crash left work to
    /// finish first.
    fn open_as_it_is(
        dir: &Path,
        operator: &str,
        identity: &AgeIdentity,
        lock: &StoreLock,
    ) -> Result<Option<Store>, StoreError> {
        let keys = KeyDir::of_store(dir);
        let Some(opened) = operators::open_current(dir, &keys, identity)? else {
            return Ok(None);
        };
        let store = Store::from_parts(opened, dir, identity.duplicate(), lock, operator)?;
        Ok((!store.interrupted_work()?).then_some(store))
    }

    fn from_parts(
        opened: operators::Opened,
        dir: &Path,
        identity: AgeIdentity,
        lock: &StoreLock,
        operator: &str,
    ) -> Result<Store, StoreError> {
        let operators::Opened {
            mut conn,
            key,
            key_file,
        } = opened;
        // A store made by an older linea gets the tables this one reads (a no-op when it is
        // up to date; a store from a newer linea is refused here, saying so).
        schema::migrate(&mut conn)?;
        let role = operators::role_of(&conn, operator)?.ok_or_else(|| StoreError::Removed {
            operator: operator.to_owned(),
        })?;
        let kind = match meta::require(&conn, "kind")?.as_str() {
            "central" => StoreKind::Central,
            _ => StoreKind::Office,
        };
        let office_id = meta::require(&conn, "office_id")?;
        let zone = figures::zone(&conn)?;
        let codes = Arc::new(codes::load(&conn, kind)?);
        let db_path = dir.join(DB_FILE);
        let db_file = FileIdentity::of(&db_path).map_err(StoreError::io(&db_path))?;
        Ok(Store {
            conn,
            dir: dir.to_owned(),
            keys: KeyDir::of_store(dir),
            key,
            key_file,
            identity,
            db_file,
            lock: lock.clone(),
            held: None,
            operator: operator.to_owned(),
            role,
            kind,
            office_id,
            zone,
            clock: Clock::System,
            codes,
        })
    }

    /// Holds the store (shared) while the caller works: no other linea changes its keys
    /// meanwhile. First catches up with what others changed since (see `refresh`). The desk
    /// holds it for each event, the command line for a whole command, and every write
    /// transaction for itself.
    pub fn hold(&mut self) -> Result<Hold, StoreError> {
        let hold = self.lock.shared()?;
        self.refresh()?;
        Ok(hold)
    }

    /// For the desk to go on reading a store whose folder was deleted, moved or replaced
    /// since it was opened (`hold` says `Moved`), so that a call being typed is not cut
    /// short: a hold on the lock file that went with the database, with nothing caught up
    /// with. Every save is refused all the same (see `open`).
    pub fn hold_moved(&mut self) -> Result<Hold, StoreError> {
        self.lock.shared()
    }

    /// Holds the store until it is closed, as a command of the command line does: what it
    /// reads and writes is all under one key. Taking the store exclusive (removing an
    /// operator) lets this hold go for that while.
    pub fn hold_while_open(&mut self) -> Result<(), StoreError> {
        let hold = self.hold()?;
        self.held = Some(hold);
        Ok(())
    }

    /// Runs `work` with the store to itself (see `lock`), caught up with what another linea
    /// changed while this one waited. A shared hold the caller has (a command's) is let go
    /// meanwhile and taken back after, behind any other linea waiting to change the keys:
    /// the store catches up again then, so nothing after uses a key replaced in between.
    fn exclusively<T>(
        &mut self,
        work: impl FnOnce(&mut Store) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let done = self.lock.exclusive().and_then(|_exclusive| {
            self.refresh()?;
            work(self)
        });
        let caught_up = match self.lock.is_shared() {
            true => self.hold().map(drop),
            false => Ok(()),
        };
        let value = done?;
        caught_up?;
        Ok(value)
    }

    /// Catches up with what another linea changed: a store key rotated (an operator was
    /// removed) is read again from the key file with this operator's own key, and the
    /// database reopened with it; a removed operator, or a database file that is no longer
    /// the one opened (its folder deleted, moved or replaced), is an error.
    fn refresh(&mut self) -> Result<(), StoreError> {
        let db_path = self.dir.join(DB_FILE);
        if FileIdentity::of(&db_path).ok() != Some(self.db_file) {
            return Err(StoreError::Moved);
        }
        let path = self.keys.store_key_path();
        let sealed = fs::read(&path).map_err(StoreError::io(&path))?;
        if sealed == self.key_file {
            return Ok(());
        }
        let key = match crate::keys::slots::open_store_key(&path, &sealed, &self.identity) {
            Ok(key) => key,
            Err(KeyError::NotARecipient { .. }) => return Err(self.removed()),
            Err(e) => return Err(e.into()),
        };
        if !key.same_as(&self.key) {
            self.conn = open_db(&db_path, &key, false)?;
            self.key = key;
        }
        self.role =
            operators::role_of(&self.conn, &self.operator)?.ok_or_else(|| self.removed())?;
        self.key_file = sealed;
        Ok(())
    }

    fn removed(&self) -> StoreError {
        StoreError::Removed {
            operator: self.operator.clone(),
        }
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

    /// Checks the audit chain end to end, then the records against it.
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

    /// Moves everything in the write-ahead log into the database file and empties the log,
    /// as far as other connections reading it allow.
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        self.try_checkpoint().map(drop)
    }

    /// As `checkpoint`, saying whether the log is empty now: a connection in the middle of
    /// reading keeps it from being emptied.
    fn try_checkpoint(&self) -> Result<bool, StoreError> {
        let busy: i64 = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| row.get(0))
            .map_err(StoreError::sqlite("checkpoint"))?;
        Ok(busy == 0)
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

    /// Begins a write transaction, holding the store until it ends. IMMEDIATE (see `open`):
    /// it waits for other writers before reading anything it writes from.
    fn tx(&mut self) -> Result<WriteTx<'_>, StoreError> {
        let hold = self.hold()?;
        let tx = self
            .conn
            .transaction()
            .map_err(StoreError::sqlite("begin transaction"))?;
        Ok(WriteTx { tx, _hold: hold })
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

/// A write transaction and the hold on the store it needs (released after it ends).
struct WriteTx<'a> {
    tx: rusqlite::Transaction<'a>,
    _hold: Hold,
}

impl<'a> std::ops::Deref for WriteTx<'a> {
    type Target = rusqlite::Transaction<'a>;

    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl WriteTx<'_> {
    fn commit(self) -> rusqlite::Result<()> {
        self.tx.commit()
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
