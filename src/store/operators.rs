//! Operators and the store key: adding, removing (which rotates the key), changing a
//! passphrase, and recovering a store with central's recovery key.
//!
//! Rotation survives a crash at any point, because exactly one key opens the database at
//! every moment and the opener can tell which:
//! 1. The removal is committed with `rotation_pending` set.
//! 2. The new key is written to `store.key.next.age` for the remaining operators.
//! 3. `PRAGMA rekey` re-encrypts every page in one transaction, between two checkpoints
//!    that empty the write-ahead log, so no page under the old key stays in it (another
//!    program reading the database meanwhile fails the rotation, which stays pending).
//! 4. The new key is confirmed by opening the database with it on a second connection.
//! 5. `store.key.next.age` is renamed over `store.key.age`, `rotation_pending` cleared, and
//!    the removed operator's slot deleted.
//!
//! On unlock, a `next` file that opens the database means a crash between 3 and 5 (finish
//! the rename); one that does not means a crash before 3 (discard it and rotate again).
//!
//! Rotating, finishing an interrupted rotation, adding an operator (the slot is written
//! before the row) and removing orphan slots hold the store exclusive (see `lock`): two
//! rotations never overlap, and no process takes a slot just written for an orphan. Other
//! processes see the key file change and read the new key with their operator's key.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use zeroize::Zeroizing;

use super::lock::StoreLock;
use super::{DB_FILE, Store, StoreError, audit, meta, open_db, timestamp};
use crate::keys::{
    AgeIdentity, KeyDir, KeyError, Passphrase, RecoveryIdentity, StoreKey, WorkFactor,
};
use crate::platform;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The office lead: manages operators and runs the sync.
    Lead,
    Operator,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Lead => "lead",
            Role::Operator => "operator",
        }
    }
}

/// Proof that the office lead confirmed, with their passphrase, something only the lead may
/// allow (sharing a person's data without consent). Only [`Store::confirm_as_lead`] makes one.
#[derive(Debug)]
pub struct LeadConfirmation {
    lead: String,
}

impl LeadConfirmation {
    pub fn lead(&self) -> &str {
        &self.lead
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operator {
    pub name: String,
    pub role: Role,
    pub added_at: String,
    pub added_by: String,
}

pub(super) fn insert(
    tx: &Transaction<'_>,
    name: &str,
    role: Role,
    recipient: &str,
    added_by: &str,
    at: &str,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO operators (name, role, recipient, added_at, added_by)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![name, role.as_str(), recipient, at, added_by],
    )
    .map_err(StoreError::sqlite("add operator"))?;
    Ok(())
}

pub(super) fn role_of(conn: &Connection, name: &str) -> Result<Option<Role>, StoreError> {
    let role: Option<String> = conn
        .query_row(
            "SELECT role FROM operators WHERE name = ?1",
            [name],
            |row| row.get(0),
        )
        .optional()
        .map_err(StoreError::sqlite("operators"))?;
    Ok(role.map(|r| {
        if r == "lead" {
            Role::Lead
        } else {
            Role::Operator
        }
    }))
}

fn recipients(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn
        .prepare("SELECT recipient FROM operators ORDER BY name")
        .map_err(StoreError::sqlite("operators"))?;
    let mut all: Vec<String> = stmt
        .query_map([], |row| row.get(0))
        .map_err(StoreError::sqlite("operators"))?
        .collect::<Result<_, _>>()
        .map_err(StoreError::sqlite("operators"))?;
    all.push(meta::require(conn, "recovery_recipient")?);
    Ok(all)
}

/// Room a rekey needs on the disk beyond the pages themselves (the log's index, key files).
const REKEY_SPARE: u64 = 1024 * 1024;

/// How long a rotation waits for another program to finish reading the database.
const LOG_WAIT: Duration = Duration::from_secs(2);

/// The database opened with its key, and the bytes of the key file the key came from.
pub(super) struct Opened {
    pub conn: Connection,
    pub key: StoreKey,
    pub key_file: Vec<u8>,
}

fn read_key(path: &Path, identity: &AgeIdentity) -> Result<(StoreKey, Vec<u8>), StoreError> {
    let sealed = std::fs::read(path).map_err(StoreError::io(path))?;
    let key = crate::keys::slots::open_store_key(path, &sealed, identity)?;
    Ok((key, sealed))
}

/// Opens the database with the key of the key file, held shared; `None` when an interrupted
/// rotation left a `next` key file, which only [`open_repairing`] may settle.
pub(super) fn open_current(
    dir: &Path,
    keys: &KeyDir,
    identity: &AgeIdentity,
) -> Result<Option<Opened>, StoreError> {
    if keys.next_store_key_path().exists() {
        return Ok(None);
    }
    let (key, key_file) = read_key(&keys.store_key_path(), identity)?;
    let conn = open_db(&dir.join(DB_FILE), &key, false)?;
    Ok(Some(Opened {
        conn,
        key,
        key_file,
    }))
}

/// Finds the key that opens the database, finishing or discarding an interrupted rotation.
/// Only while holding the store exclusive.
pub(super) fn open_repairing(
    dir: &Path,
    keys: &KeyDir,
    identity: &AgeIdentity,
) -> Result<Opened, StoreError> {
    let db = dir.join(DB_FILE);
    let current = keys.store_key_path();
    let next = keys.next_store_key_path();
    let (key, key_file) = read_key(&current, identity)?;
    match open_db(&db, &key, false) {
        Ok(conn) => {
            if next.exists() {
                // A rotation stopped before the rekey: the old key is still the key.
                std::fs::remove_file(&next).map_err(StoreError::io(&next))?;
            }
            Ok(Opened {
                conn,
                key,
                key_file,
            })
        }
        Err(StoreError::WrongKey { .. }) if next.exists() => {
            let (key, key_file) = read_key(&next, identity)?;
            let conn = open_db(&db, &key, false)?;
            platform::rename_durably(&next, &current).map_err(StoreError::io(&current))?;
            Ok(Opened {
                conn,
                key,
                key_file,
            })
        }
        Err(e) => Err(e),
    }
}

impl Store {
    /// The operators, lead first.
    pub fn operators(&self) -> Result<Vec<Operator>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT name, role, added_at, added_by FROM operators
                 ORDER BY role = 'lead' DESC, name",
            )
            .map_err(StoreError::sqlite("operators"))?;
        let rows = stmt
            .query_map([], |row| {
                let role: String = row.get(1)?;
                Ok(Operator {
                    name: row.get(0)?,
                    role: if role == "lead" {
                        Role::Lead
                    } else {
                        Role::Operator
                    },
                    added_at: row.get(2)?,
                    added_by: row.get(3)?,
                })
            })
            .map_err(StoreError::sqlite("operators"))?;
        rows.collect::<Result<_, _>>()
            .map_err(StoreError::sqlite("operators"))
    }

    /// The office lead's name.
    pub fn lead_name(&self) -> Result<String, StoreError> {
        self.conn
            .query_row(
                "SELECT name FROM operators WHERE role = 'lead'",
                [],
                |row| row.get(0),
            )
            .map_err(StoreError::sqlite("operators"))
    }

    /// Checks the lead's passphrase against their key slot (whoever is working) and returns
    /// the proof of their confirmation.
    pub fn confirm_as_lead(&self, passphrase: &Passphrase) -> Result<LeadConfirmation, StoreError> {
        let lead = self.lead_name()?;
        self.keys.open_slot(&lead, passphrase)?;
        Ok(LeadConfirmation { lead })
    }

    /// Adds an operator with their own passphrase. Only the lead may.
    pub fn add_operator(
        &mut self,
        name: &str,
        passphrase: &Passphrase,
        work_factor: u8,
    ) -> Result<(), StoreError> {
        self.require_lead("add operators")?;
        super::check_operator_name(name)?;
        self.exclusively(|store| {
            if role_of(&store.conn, name)?.is_some() {
                return Err(StoreError::Conflict(format!(
                    "there is already an operator '{name}'"
                )));
            }
            let identity = AgeIdentity::generate();
            store
                .keys
                .write_slot(name, &identity, passphrase, work_factor)?;
            let mut all = recipients(&store.conn)?;
            all.push(identity.recipient());
            // The slot and the key file come first: a crash before the row is written
            // leaves an orphan slot that the next unlock removes.
            store.key_file =
                store
                    .keys
                    .write_store_key(&store.keys.store_key_path(), &store.key, &all)?;
            let lead = store.operator.clone();
            let tx = store.tx()?;
            insert(
                &tx,
                name,
                Role::Operator,
                &identity.recipient(),
                &lead,
                &timestamp(chrono::Utc::now()),
            )?;
            audit::append(&tx, &lead, "operator.add", name)?;
            tx.commit().map_err(StoreError::sqlite("add operator"))
        })
    }

    /// Removes an operator and rotates the store key, so their old slot opens nothing.
    pub fn remove_operator(&mut self, name: &str) -> Result<(), StoreError> {
        self.require_lead("remove operators")?;
        self.exclusively(|store| {
            match role_of(&store.conn, name)? {
                None => {
                    return Err(StoreError::NotFound {
                        kind: "operator",
                        id: name.to_owned(),
                    });
                }
                Some(super::Role::Lead) => {
                    return Err(StoreError::Forbidden(format!(
                        "'{name}' is the office lead and cannot be removed; central can recover the store for a new lead"
                    )));
                }
                Some(super::Role::Operator) => {}
            }
            let lead = store.operator.clone();
            let tx = store.tx()?;
            tx.execute("DELETE FROM operators WHERE name = ?1", [name])
                .map_err(StoreError::sqlite("remove operator"))?;
            meta::set(&tx, "rotation_pending", "1")?;
            audit::append(&tx, &lead, "operator.remove", name)?;
            tx.commit().map_err(StoreError::sqlite("remove operator"))?;
            store.rotate_key()?;
            store.remove_orphan_slots()
        })
    }

    /// Changes the unlocking operator's passphrase.
    pub fn change_passphrase(
        &mut self,
        old: &Passphrase,
        new: &Passphrase,
        work_factor: u8,
    ) -> Result<(), StoreError> {
        let name = self.operator.clone();
        let identity = self.keys.open_slot(&name, old)?;
        if self.keys.is_duress(&name, new) {
            return Err(StoreError::Forbidden(
                "that is your duress passphrase: a passphrase cannot be both; choose another"
                    .into(),
            ));
        }
        self.keys.write_slot(&name, &identity, new, work_factor)?;
        self.audit("operator.passwd", &name)
    }

    /// Sets the unlocking operator's duress passphrase: typed at unlock, it wipes every
    /// operator's slot ([`Store::wipe`]) and is refused like a wrong one. It may not open any
    /// operator's slot (each is tried: a second each). Not audited: the chain would say so.
    pub fn set_duress(&self, duress: &Passphrase) -> Result<(), StoreError> {
        for name in self.keys.operator_names()? {
            if self.keys.open_slot(&name, duress).is_ok() {
                return Err(StoreError::Forbidden(
                    "a duress passphrase cannot be an operator's real passphrase; choose another"
                        .into(),
                ));
            }
        }
        let work_factor = self
            .keys
            .slot_work_factor(&self.operator)?
            .unwrap_or(WorkFactor::SHIPPED);
        Ok(self
            .keys
            .write_duress(&self.operator, duress, work_factor)?)
    }

    /// Removes the unlocking operator's duress passphrase.
    pub fn clear_duress(&self) -> Result<(), StoreError> {
        Ok(self.keys.remove_duress(&self.operator)?)
    }

    /// Replaces the store key; see the module documentation for the crash-safe order.
    /// Holding the store exclusive.
    fn rotate_key(&mut self) -> Result<(), StoreError> {
        let rotated = self.rekey();
        if rotated.is_err() {
            // The connection may be left half-way (a full disk stops a rekey part-way):
            // take the key the files and the database agree on, as an unlock would; the
            // rotation stays pending and the next unlock tries it again.
            if let Ok(opened) = open_repairing(&self.dir, &self.keys, &self.identity) {
                self.conn = opened.conn;
                self.key = opened.key;
                self.key_file = opened.key_file;
            }
        }
        rotated
    }

    fn rekey(&mut self) -> Result<(), StoreError> {
        let db = self.dir.join(DB_FILE);
        self.empty_log()?;
        // Every page goes through the write-ahead log. SQLCipher ignores a commit that
        // fails (a full disk) and goes on under the new key, so the room is made sure of
        // first.
        let size = std::fs::metadata(&db).map_err(StoreError::io(&db))?.len();
        if platform::free_space(&self.dir).is_some_and(|free| free < size + size / 8 + REKEY_SPARE)
        {
            return Err(StoreError::DiskFull);
        }
        let new_key = StoreKey::generate();
        let next = self.keys.next_store_key_path();
        let key_file = self
            .keys
            .write_store_key(&next, &new_key, &recipients(&self.conn)?)?;
        let statement = Zeroizing::new(format!("PRAGMA rekey = \"x'{}'\"", &*new_key.reveal_hex()));
        self.conn
            .execute_batch(&statement)
            .map_err(StoreError::sqlite("rekey"))?;
        // No page under the old key may stay behind in the write-ahead log.
        self.empty_log()?;
        let confirm = open_db(&db, &new_key, false)?;
        meta::require(&confirm, "office_id")?;
        drop(confirm);
        let current = self.keys.store_key_path();
        platform::rename_durably(&next, &current).map_err(StoreError::io(&current))?;
        self.key = new_key;
        self.key_file = key_file;
        let operator = self.operator.clone();
        let tx = self.tx()?;
        meta::set(&tx, "rotation_pending", "0")?;
        audit::append(&tx, &operator, "store.rekey", "")?;
        tx.commit().map_err(StoreError::sqlite("rekey"))
    }

    /// Empties the write-ahead log, where pages under the old key would stay otherwise.
    /// Another program in the middle of reading the database keeps it from being emptied
    /// (linea's own readers are kept out by the exclusive hold): after a short wait, that
    /// fails the rotation, which stays pending for the next unlock.
    fn empty_log(&mut self) -> Result<(), StoreError> {
        self.conn
            .busy_timeout(LOG_WAIT)
            .map_err(StoreError::sqlite("busy timeout"))?;
        let emptied = self.try_checkpoint();
        super::open::wait_while_busy(&mut self.conn).map_err(StoreError::sqlite("busy handler"))?;
        match emptied? {
            true => Ok(()),
            false => Err(StoreError::DatabaseInUse),
        }
    }

    /// Slot files of operators no longer in the store: a removal or an addition cut short.
    fn orphan_slots(&self) -> Result<Vec<String>, StoreError> {
        let mut orphans = Vec::new();
        for name in self.keys.operator_names()? {
            if role_of(&self.conn, &name)?.is_none() {
                orphans.push(name);
            }
        }
        Ok(orphans)
    }

    /// Holding the store exclusive: no slot is being written for an operator about to be added.
    fn remove_orphan_slots(&self) -> Result<(), StoreError> {
        for name in self.orphan_slots()? {
            // The duress file first: a crash in between leaves an orphan slot, seen again.
            self.keys.remove_duress(&name)?;
            self.keys.remove_slot(&name)?;
        }
        Ok(())
    }

    /// Whether a crash left a rotation or an orphan slot for the next unlock to finish.
    pub(super) fn interrupted_work(&self) -> Result<bool, StoreError> {
        Ok(
            meta::get(&self.conn, "rotation_pending")?.as_deref() == Some("1")
                || !self.orphan_slots()?.is_empty(),
        )
    }

    /// After a crash: completes a rotation and removes orphan slots. Holding the store
    /// exclusive.
    pub(super) fn finish_interrupted_work(&mut self) -> Result<(), StoreError> {
        if meta::get(&self.conn, "rotation_pending")?.as_deref() == Some("1") {
            self.rotate_key()?;
        }
        self.remove_orphan_slots()
    }

    /// The panic wipe: destroys every operator's key slot of the store in `dir`, leaving
    /// central's recovery stanza ([`KeyDir::wipe_slots`]). It needs no passphrase and waits
    /// for no other linea: a screen already unlocked keeps its key until it locks. Returns
    /// how many slots were destroyed.
    pub fn wipe(dir: &Path) -> Result<usize, StoreError> {
        if !super::exists(dir) {
            return Err(StoreError::NoStore {
                dir: dir.to_owned(),
            });
        }
        Ok(KeyDir::of_store(dir).wipe_slots()?)
    }

    /// Opens a store with central's recovery identity and gives it a lead again: `lead` gets
    /// a new slot and passphrase (replacing any slot they had) and becomes the office lead.
    pub fn recover(
        dir: &Path,
        recovery: &RecoveryIdentity,
        lead: &str,
        passphrase: &Passphrase,
        work_factor: u8,
    ) -> Result<Store, StoreError> {
        if !super::exists(dir) {
            return Err(StoreError::NoStore {
                dir: dir.to_owned(),
            });
        }
        super::check_operator_name(lead)?;
        let keys = KeyDir::of_store(dir);
        let lock = StoreLock::open(dir)?;
        let _exclusive = lock.exclusive()?;
        let Opened { mut conn, key, .. } =
            open_repairing(dir, &keys, recovery).map_err(|e| match e {
                StoreError::Key(KeyError::NotARecipient { .. }) => StoreError::Forbidden(
                    "this recovery identity is not the one this store was made for".into(),
                ),
                other => other,
            })?;
        let identity = AgeIdentity::generate();
        keys.write_slot(lead, &identity, passphrase, work_factor)?;
        let now = timestamp(chrono::Utc::now());
        let tx = conn.transaction().map_err(StoreError::sqlite("recover"))?;
        tx.execute(
            "UPDATE operators SET role = 'operator' WHERE role = 'lead'",
            [],
        )
        .map_err(StoreError::sqlite("recover"))?;
        tx.execute("DELETE FROM operators WHERE name = ?1", [lead])
            .map_err(StoreError::sqlite("recover"))?;
        insert(
            &tx,
            lead,
            Role::Lead,
            &identity.recipient(),
            "recovery",
            &now,
        )?;
        audit::append(&tx, "recovery", "store.recover", lead)?;
        tx.commit().map_err(StoreError::sqlite("recover"))?;
        let key_file = keys.write_store_key(&keys.store_key_path(), &key, &recipients(&conn)?)?;
        let opened = Opened {
            conn,
            key,
            key_file,
        };
        let mut store = Store::from_parts(opened, dir, identity, &lock, lead)?;
        store.finish_interrupted_work()?;
        Ok(store)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{NewStore, OfficeStore, Opened, StoreKind};

    const FAST: u8 = 4;

    fn new_store(dir: &Path, recovery: &AgeIdentity) -> OfficeStore {
        Store::create(NewStore {
            dir,
            kind: StoreKind::Office,
            office_id: "pe-cusco",
            office_name: "Cusco",
            lead: "ana",
            passphrase: &Passphrase::new("ana's passphrase".into()),
            work_factor: FAST,
            recovery_recipient: &recovery.recipient(),
            backup_recipient: None,
            settings: Vec::new(),
            secrets: Vec::new(),
        })
        .and_then(Opened::into_office)
        .unwrap()
    }

    fn ana() -> Passphrase {
        Passphrase::new("ana's passphrase".into())
    }

    #[test]
    fn a_crash_before_the_rekey_leaves_the_old_key_and_the_rotation_is_redone() {
        let dir = tempfile::tempdir().unwrap();
        let recovery = AgeIdentity::generate();
        let mut store = new_store(dir.path(), &recovery);
        store
            .add_operator("luis", &Passphrase::new("luis's passphrase".into()), FAST)
            .unwrap();
        // Crash after step 2: the row is gone, a next key exists, the database is unchanged.
        let tx = store.tx().unwrap();
        tx.execute("DELETE FROM operators WHERE name = 'luis'", [])
            .unwrap();
        meta::set(&tx, "rotation_pending", "1").unwrap();
        tx.commit().unwrap();
        let keys = KeyDir::of_store(dir.path());
        keys.write_store_key(
            &keys.next_store_key_path(),
            &StoreKey::generate(),
            &recipients(&store.conn).unwrap(),
        )
        .unwrap();
        let old_key_file = std::fs::read(keys.store_key_path()).unwrap();
        drop(store);

        let store = Store::open(dir.path(), "ana", &ana()).unwrap();
        assert!(!keys.next_store_key_path().exists());
        assert_ne!(std::fs::read(keys.store_key_path()).unwrap(), old_key_file);
        assert_eq!(
            store.setting("rotation_pending").unwrap().as_deref(),
            Some("0")
        );
        assert!(!keys.slot_path("luis").exists());
    }

    #[test]
    fn a_crash_after_the_rekey_is_finished_by_the_next_unlock() {
        let dir = tempfile::tempdir().unwrap();
        let recovery = AgeIdentity::generate();
        let store = new_store(dir.path(), &recovery);
        // Crash after step 3: database under the new key, new key only in the next file.
        let new_key = StoreKey::generate();
        let keys = KeyDir::of_store(dir.path());
        keys.write_store_key(
            &keys.next_store_key_path(),
            &new_key,
            &recipients(&store.conn).unwrap(),
        )
        .unwrap();
        let rekey = format!("PRAGMA rekey = \"x'{}'\"", &*new_key.reveal_hex());
        store.conn.execute_batch(&rekey).unwrap();
        drop(store);

        let store = Store::open(dir.path(), "ana", &ana()).unwrap();
        assert!(!keys.next_store_key_path().exists());
        let key = keys
            .read_store_key(&keys.store_key_path(), &recovery)
            .unwrap();
        assert_eq!(*key.reveal_hex(), *new_key.reveal_hex());
        drop(store);
        // And the recovery key still opens it.
        let conn = open_db(&dir.path().join(DB_FILE), &key, false).unwrap();
        assert_eq!(meta::require(&conn, "office_id").unwrap(), "pe-cusco");
    }

    #[test]
    fn only_the_lead_manages_operators_and_the_lead_stays() {
        let dir = tempfile::tempdir().unwrap();
        let recovery = AgeIdentity::generate();
        let mut store = new_store(dir.path(), &recovery);
        let luis = Passphrase::new("luis's passphrase".into());
        store.add_operator("luis", &luis, FAST).unwrap();
        drop(store);
        let mut as_luis = Store::open(dir.path(), "luis", &luis).unwrap();
        let err = as_luis
            .add_operator("eve", &Passphrase::new("eve's passphrase".into()), FAST)
            .unwrap_err();
        assert!(err.to_string().contains("only the office lead"), "{err}");
        assert!(as_luis.remove_operator("ana").is_err());
        drop(as_luis);
        let mut store = Store::open(dir.path(), "ana", &ana()).unwrap();
        let err = store.remove_operator("ana").unwrap_err();
        assert!(err.to_string().contains("cannot be removed"), "{err}");
    }

    #[test]
    fn a_command_going_back_to_its_hold_catches_up_with_a_removal_that_went_first() {
        use crate::store::{Wait, on_wait};
        use std::sync::mpsc;

        let dir = tempfile::tempdir().unwrap();
        let recovery = AgeIdentity::generate();
        let mut store = new_store(dir.path(), &recovery);
        store
            .add_operator("luis", &Passphrase::new("luis's passphrase".into()), FAST)
            .unwrap();
        // ana's `operator add rosa` on one terminal, her `operator remove luis` on another.
        store.hold_while_open().unwrap();
        let mut other = Store::open(dir.path(), "ana", &ana()).unwrap();
        // A long write elsewhere (a purge step, an import) keeps the addition in the middle.
        let writer = open_db(&dir.path().join(DB_FILE), &store.key, false).unwrap();
        writer.execute_batch("BEGIN IMMEDIATE").unwrap();
        let (said, heard) = mpsc::channel();
        let told = said.clone();
        let adding = std::thread::spawn(move || {
            on_wait(move |wait| told.send(("adding", wait)).unwrap());
            store
                .add_operator("rosa", &Passphrase::new("rosa's passphrase".into()), FAST)
                .unwrap();
            store
        });
        assert_eq!(heard.recv().unwrap(), ("adding", Wait::Writer));
        let removing = std::thread::spawn(move || {
            on_wait(move |wait| said.send(("removing", wait)).unwrap());
            other.remove_operator("luis")
        });
        assert_eq!(heard.recv().unwrap(), ("removing", Wait::InUse));
        writer.execute_batch("ROLLBACK").unwrap();
        let store = adding.join().unwrap();
        removing.join().unwrap().unwrap();
        // The removal went between the addition and the rest of the command, which reads
        // the store as it is now, under the key the removal put in.
        let names: Vec<_> = store
            .operators()
            .unwrap()
            .into_iter()
            .map(|o| o.name)
            .collect();
        assert_eq!(names, ["ana", "rosa"]);
    }

    #[test]
    fn after_a_wipe_no_passphrase_opens_the_store_and_recovery_restores_it() {
        let dir = tempfile::tempdir().unwrap();
        let recovery = AgeIdentity::generate();
        let mut store = new_store(dir.path(), &recovery);
        let call = store
            .add_call(crate::model::CallFields {
                channel: "PHONE".into(),
                caller_type: "FAMILY".into(),
                reason: "TIP".into(),
                notes: "kept through the wipe".into(),
                ..Default::default()
            })
            .unwrap();
        drop(store);
        let keys = KeyDir::of_store(dir.path());
        let slot_before = std::fs::read(keys.slot_path("ana")).unwrap();

        assert_eq!(Store::wipe(dir.path()).unwrap(), 1);
        // The unlock screen still lists ana, and takes her passphrase as wrong.
        assert_eq!(keys.operator_names().unwrap(), vec!["ana".to_owned()]);
        let slot_after = std::fs::read(keys.slot_path("ana")).unwrap();
        assert_ne!(slot_before, slot_after);
        let err = Store::open(dir.path(), "ana", &ana()).unwrap_err();
        assert!(err.to_string().contains("wrong passphrase"), "{err}");

        let rosa = Passphrase::new("rosa's passphrase".into());
        let store = Store::recover(dir.path(), &recovery, "rosa", &rosa, FAST).unwrap();
        assert_eq!(
            store.call(call.meta.id).unwrap().fields.notes,
            "kept through the wipe"
        );
    }

    #[test]
    fn recovery_gives_the_store_a_new_lead() {
        let dir = tempfile::tempdir().unwrap();
        let recovery = AgeIdentity::generate();
        drop(new_store(dir.path(), &recovery));
        let rosa = Passphrase::new("rosa's passphrase".into());
        let store = Store::recover(dir.path(), &recovery, "rosa", &rosa, FAST).unwrap();
        assert_eq!(store.role(), Role::Lead);
        drop(store);
        let store = Store::open(dir.path(), "rosa", &rosa).unwrap();
        let roles: Vec<_> = store
            .operators()
            .unwrap()
            .into_iter()
            .map(|o| (o.name, o.role))
            .collect();
        assert_eq!(
            roles,
            vec![("rosa".into(), Role::Lead), ("ana".into(), Role::Operator)]
        );
        let stranger = AgeIdentity::generate();
        let err = Store::recover(dir.path(), &stranger, "eve", &rosa, FAST).unwrap_err();
        assert!(err.to_string().contains("not the one"), "{err}");
    }
}
