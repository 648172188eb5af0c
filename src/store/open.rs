//! Opening the SQLCipher database: keying, the pragmas that keep it safe, and failing closed.

use std::fs;
use std::path::Path;
use std::sync::Once;

use rusqlite::{Connection, OpenFlags};
use zeroize::Zeroizing;

use super::StoreError;
use crate::keys::StoreKey;

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
    let conn = Connection::open_with_flags(path, flags).map_err(StoreError::sqlite("open"))?;
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
         PRAGMA temp_store = MEMORY;
         PRAGMA busy_timeout = 5000;",
    )
    .map_err(StoreError::sqlite("pragmas"))?;
    // Importing and exporting a batch use some twenty statements per record; with fewer
    // cached, each would be parsed again for every record (and every parse allocates
    // locked memory under cipher_memory_security).
    conn.set_prepared_statement_cache_capacity(64);
    if create {
        check_encrypted_on_disk(path)?;
    }
    Ok(conn)
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
