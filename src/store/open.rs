//! Opening the SQLCipher database: keying, the pragmas that keep it safe, failing closed,
//! and living beside other connections (see `lock`).

use std::fs;
use std::path::Path;
use std::sync::Once;
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use zeroize::Zeroizing;

use super::StoreError;
use super::lock::{QUIET, WAIT_LIMIT, Wait, notify};
use crate::keys::StoreKey;
use crate::platform::FileIdentity;

/// What a plaintext SQLite file starts with; an encrypted one never does.
const PLAINTEXT_HEADER: &[u8] = b"SQLite format 3\0";

/// SQLite reports itself initialised before SQLCipher has finished its own set-up (its
/// random masks), so a thread opening a database in that moment finds no cipher and fails
/// at `PRAGMA key`. The first connection of the process is made alone, before any other.
fn initialise_sqlcipher() {
    static READY: Once = Once::new();
    READY.call_once(|| {
        // Opening runs the whole initialisation; the connection itself is not needed, and
        // a failure here shows again, with its reason, when the real database is opened.
        drop(Connection::open_in_memory());
    });
}

/// Opens (or with `create`, creates) the database at `path` with `key`.
///
/// Fails closed: SQLCipher silently treats a database as plaintext when keying is skipped,
/// so the codec is checked first, the key is checked by reading, and a new file is checked
/// for the plaintext header after its first write.
///
/// Write transactions begin IMMEDIATE, so a writer waits for another instead of failing
/// when a read turns into a write; waits that last are told (see `lock::on_wait`). A commit
/// to a database file no longer at `path` (its folder deleted, moved or replaced meanwhile)
/// is refused: it would be lost.
pub fn open_db(path: &Path, key: &StoreKey, create: bool) -> Result<Connection, StoreError> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    } else if !path.exists() {
        return Err(StoreError::NoStore {
            dir: path.parent().unwrap_or(path).to_owned(),
        });
    }
    initialise_sqlcipher();
    let mut conn = Connection::open_with_flags(path, flags).map_err(StoreError::sqlite("open"))?;
    wait_while_busy(&mut conn).map_err(StoreError::sqlite("busy handler"))?;
    conn.set_transaction_behavior(TransactionBehavior::Immediate);
    // Before anything else: SQLCipher logs to stderr by default, and stderr may be a log file.
    conn.query_row("PRAGMA cipher_log_level = NONE", [], |_| Ok(()))
        .map_err(StoreError::sqlite("cipher_log_level"))?;
    let version: Option<String> = conn
        .query_row("PRAGMA cipher_version", [], |row| row.get(0))
        .ok();
    if version.as_deref().unwrap_or("").is_empty() {
        return Err(StoreError::NoEncryption);
    }
    let statement = Zeroizing::new(format!("PRAGMA key = \"x'{}'\"", &*key.reveal_hex()));
    conn.execute_batch(&statement)
        .map_err(StoreError::sqlite("key"))?;
    conn.execute_batch("PRAGMA cipher_memory_security = ON")
        .map_err(StoreError::sqlite("cipher_memory_security"))?;
    if let Err(e) = conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(())) {
        return Err(match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => StoreError::WrongKey {
                path: path.to_owned(),
            },
            // The first read makes the log's index (`-shm`); SQLite says only "I/O error"
            // when the disk has no room for it.
            Some(rusqlite::ErrorCode::SystemIoFailure) if nearly_full(path) => StoreError::DiskFull,
            _ => StoreError::sqlite("read")(e),
        });
    }
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
        .map_err(StoreError::sqlite("journal_mode"))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Config(format!(
            "the database refused write-ahead logging (journal mode {mode})"
        )));
    }
    conn.execute_batch(
        "PRAGMA synchronous = FULL;
         PRAGMA secure_delete = ON;
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;",
    )
    .map_err(StoreError::sqlite("pragmas"))?;
    // Importing and exporting a batch use some twenty statements per record; with fewer
    // cached, each would be parsed again for every record (and every parse allocates
    // locked memory under cipher_memory_security).
    conn.set_prepared_statement_cache_capacity(64);
    if create {
        check_encrypted_on_disk(path)?;
    }
    refuse_commits_elsewhere(&mut conn, path)?;
    Ok(conn)
}

/// Waits while another connection writes, saying so after a moment, for at most
/// [`WAIT_LIMIT`]; then the statement fails with "busy".
pub(super) fn wait_while_busy(conn: &mut Connection) -> rusqlite::Result<()> {
    let mut started = Instant::now();
    conn.busy_handler(Some(move |attempt: i32| {
        if attempt == 0 {
            started = Instant::now();
        }
        let waited = started.elapsed();
        if waited >= WAIT_LIMIT {
            return false;
        }
        // Short at first: most writes take milliseconds.
        let pause = [1, 2, 5, 10, 15, 20]
            .get(attempt as usize)
            .copied()
            .unwrap_or(25);
        let pause = Duration::from_millis(pause);
        if waited < QUIET && waited + pause >= QUIET {
            notify(Wait::Writer);
        }
        std::thread::sleep(pause);
        true
    }))
}

/// Turns every commit into a rollback once `path` names another file than the one opened:
/// the commit hook runs before anything of the transaction reaches the disk.
fn refuse_commits_elsewhere(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let opened = FileIdentity::of(path).map_err(StoreError::io(path))?;
    let path = path.to_owned();
    conn.commit_hook(Some(move || FileIdentity::of(&path).ok() != Some(opened)))
        .map_err(StoreError::sqlite("commit hook"))
}

/// Whether the disk that holds `path` has less than a mebibyte left.
fn nearly_full(path: &Path) -> bool {
    let dir = path.parent().unwrap_or(path);
    crate::platform::free_space(dir).is_some_and(|free| free < 1024 * 1024)
}

fn check_encrypted_on_disk(path: &Path) -> Result<(), StoreError> {
    let header = fs::read(path).map_err(StoreError::io(path))?;
    if header.starts_with(PLAINTEXT_HEADER) {
        return Err(StoreError::NoEncryption);
    }
    Ok(())
}

/// Removes a database and its companions, as after a failed creation.
pub fn remove_db_files(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = fs::remove_file(Path::new(&name));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_database_is_encrypted_and_refuses_another_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("linea.db");
        let key = StoreKey::generate();
        let conn = open_db(&path, &key, true).unwrap();
        conn.execute_batch("CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('marker-juarez');")
            .unwrap();
        drop(conn);
        let bytes = fs::read(&path).unwrap();
        assert!(!bytes.starts_with(PLAINTEXT_HEADER));
        let other = StoreKey::generate();
        assert!(matches!(
            open_db(&path, &other, false),
            Err(StoreError::WrongKey { .. })
        ));
        let conn = open_db(&path, &key, false).unwrap();
        let x: String = conn.query_row("SELECT x FROM t", [], |r| r.get(0)).unwrap();
        assert_eq!(x, "marker-juarez");
    }

    #[test]
    fn opening_a_missing_database_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("linea.db");
        assert!(matches!(
            open_db(&path, &StoreKey::generate(), false),
            Err(StoreError::NoStore { .. })
        ));
        assert!(!path.exists());
    }

    fn saving(conn: &Connection) -> Result<usize, StoreError> {
        conn.execute("INSERT INTO t VALUES (randomblob(100000))", [])
            .map_err(StoreError::sqlite("save"))
    }

    #[test]
    fn a_full_disk_and_a_read_only_database_are_said_plainly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("linea.db");
        let key = StoreKey::generate();
        let conn = open_db(&path, &key, true).unwrap();
        conn.execute_batch("CREATE TABLE t (x BLOB)").unwrap();
        // A database allowed no more pages fails as a full disk does.
        let pages: i64 = conn
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .unwrap();
        conn.execute_batch(&format!("PRAGMA max_page_count = {pages}"))
            .unwrap();
        let full = saving(&conn).unwrap_err();
        assert!(matches!(full, StoreError::DiskFull), "{full:?}");
        assert!(
            full.to_string()
                .contains("disk that holds the store is full")
        );
        drop(conn);

        let conn = open_db(&path, &key, false).unwrap();
        conn.execute_batch("PRAGMA query_only = ON").unwrap();
        let read_only = saving(&conn).unwrap_err();
        assert!(matches!(read_only, StoreError::ReadOnly), "{read_only:?}");
        assert!(read_only.to_string().contains("may not write"));
    }

    #[test]
    fn no_commit_reaches_a_database_file_deleted_or_replaced_since_it_was_opened() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("linea.db");
        let key = StoreKey::generate();
        let conn = open_db(&path, &key, true).unwrap();
        conn.execute_batch("CREATE TABLE t (x BLOB)").unwrap();
        let aside = dir.path().join("aside.db");
        fs::rename(&path, &aside).unwrap();
        let moved = saving(&conn).unwrap_err();
        assert!(matches!(moved, StoreError::Moved), "{moved:?}");
        // A copy in its place is another file.
        fs::copy(&aside, &path).unwrap();
        assert!(matches!(saving(&conn), Err(StoreError::Moved)));
        fs::remove_file(&path).unwrap();
        fs::rename(&aside, &path).unwrap();
        saving(&conn).unwrap();
    }

    #[test]
    fn a_write_waits_for_another_writer_and_says_so_when_it_lasts() {
        use std::sync::mpsc;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("linea.db");
        let key = StoreKey::generate();
        let conn = open_db(&path, &key, true).unwrap();
        conn.execute_batch("CREATE TABLE t (x BLOB)").unwrap();
        let other = open_db(&path, &key, false).unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
        let (told, heard) = mpsc::channel();
        super::super::on_wait(move |wait| told.send(wait).unwrap());
        // The other writer finishes once this one has said it waits.
        let other = std::thread::spawn(move || {
            let wait = heard.recv().unwrap();
            other.execute_batch("COMMIT").unwrap();
            wait
        });
        saving(&conn).unwrap();
        assert_eq!(other.join().unwrap(), Wait::Writer);
    }

    #[test]
    fn disk_errors_from_files_beside_the_database_are_said_plainly() {
        use std::io::{Error, ErrorKind};
        let full = StoreError::io("keys/store.key.age")(Error::from(ErrorKind::StorageFull));
        assert!(matches!(full, StoreError::DiskFull), "{full:?}");
        let read_only = StoreError::io("linea.lock")(Error::from(ErrorKind::ReadOnlyFilesystem));
        assert!(matches!(read_only, StoreError::ReadOnly), "{read_only:?}");
        let key = StoreError::from(crate::keys::KeyError::Io {
            path: "keys/operators/ana.age".into(),
            source: Error::from(ErrorKind::StorageFull),
        });
        assert!(matches!(key, StoreError::DiskFull), "{key:?}");
    }

    #[test]
    fn memory_security_is_on_and_logging_is_off() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open_db(&dir.path().join("linea.db"), &StoreKey::generate(), true).unwrap();
        let level: String = conn
            .query_row("PRAGMA cipher_log_level", [], |r| r.get(0))
            .unwrap();
        assert_eq!(level, "NONE");
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let sync: i64 = conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap();
        assert_eq!(sync, 2, "synchronous=FULL");
        let secure: i64 = conn
            .query_row("PRAGMA secure_delete", [], |r| r.get(0))
            .unwrap();
        assert_eq!(secure, 1);
    }
}
