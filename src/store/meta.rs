//! Small named settings and facts about a store, and the secrets kept inside it.

use rusqlite::{Connection, OptionalExtension, params};
use zeroize::Zeroizing;

use super::StoreError;

pub fn get(conn: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |row| {
        row.get(0)
    })
    .optional()
    .map_err(StoreError::sqlite("meta"))
}

pub fn set(conn: &Connection, key: &str, value: &str) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )
    .map_err(StoreError::sqlite("meta"))?;
    Ok(())
}

pub fn delete(conn: &Connection, key: &str) -> Result<(), StoreError> {
    conn.execute("DELETE FROM meta WHERE key = ?1", [key])
        .map_err(StoreError::sqlite("meta"))?;
    Ok(())
}

/// A value the store cannot work without.
pub fn require(conn: &Connection, key: &str) -> Result<String, StoreError> {
    get(conn, key)?.ok_or_else(|| StoreError::Damaged(format!("the setting '{key}' is missing")))
}

pub fn get_secret(conn: &Connection, name: &str) -> Result<Zeroizing<Vec<u8>>, StoreError> {
    conn.query_row("SELECT value FROM secrets WHERE name = ?1", [name], |row| {
        row.get::<_, Vec<u8>>(0)
    })
    .optional()
    .map_err(StoreError::sqlite("secrets"))?
    .map(Zeroizing::new)
    .ok_or_else(|| StoreError::Damaged(format!("the secret '{name}' is missing")))
}

pub fn set_secret(conn: &Connection, name: &str, value: &[u8]) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO secrets (name, value) VALUES (?1, ?2)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        params![name, value],
    )
    .map_err(StoreError::sqlite("secrets"))?;
    Ok(())
}
