//! Central's registry of offices: enrolled (a kit was issued), then registered (the office's
//! signing key is pinned), perhaps revoked (that key is refused from then on), and registered
//! again with a new key after a new kit.

use rusqlite::{OptionalExtension, Row, params};

use super::CentralStore;
use crate::store::{StoreError, audit, timestamp};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Office {
    pub id: String,
    pub name: String,
    pub enrolled_at: String,
    pub registered: bool,
    /// When the registered key was revoked (RFC 3339, UTC); its batches are refused.
    pub revoked_at: Option<String>,
}

/// An office's columns, with the revocation of its current key if any.
const OFFICE_COLUMNS: &str = "SELECT o.id, o.name, o.enrolled_at, o.public_key, r.revoked_at
     FROM offices o
     LEFT JOIN revoked_keys r ON r.office_id = o.id AND r.public_key = o.public_key";

fn office_from_row(row: &Row<'_>) -> rusqlite::Result<Office> {
    Ok(Office {
        id: row.get(0)?,
        name: row.get(1)?,
        enrolled_at: row.get(2)?,
        registered: row.get::<_, Option<String>>(3)?.is_some(),
        revoked_at: row.get(4)?,
    })
}

impl CentralStore {
    pub fn offices(&self) -> Result<Vec<Office>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!("{OFFICE_COLUMNS} ORDER BY o.id"))
            .map_err(StoreError::sqlite("offices"))?;
        let rows = stmt
            .query_map([], office_from_row)
            .map_err(StoreError::sqlite("offices"))?;
        rows.collect::<Result<_, _>>()
            .map_err(StoreError::sqlite("offices"))
    }

    pub fn office(&self, id: &str) -> Result<Option<Office>, StoreError> {
        self.conn
            .query_row(
                &format!("{OFFICE_COLUMNS} WHERE o.id = ?1"),
                [id],
                office_from_row,
            )
            .optional()
            .map_err(StoreError::sqlite("offices"))
    }

    /// The office's pinned minisign public key, once registered.
    pub fn office_key(&self, id: &str) -> Result<Option<String>, StoreError> {
        let key: Option<Option<String>> = self
            .conn
            .query_row(
                "SELECT public_key FROM offices WHERE id = ?1",
                [id],
                |row| row.get(0),
            )
            .optional()
            .map_err(StoreError::sqlite("offices"))?;
        Ok(key.flatten())
    }

    /// The office's age recipient for receipts and packs, once registered.
    pub fn office_recipient(&self, id: &str) -> Result<Option<String>, StoreError> {
        let recipient: Option<Option<String>> = self
            .conn
            .query_row("SELECT recipient FROM offices WHERE id = ?1", [id], |row| {
                row.get(0)
            })
            .optional()
            .map_err(StoreError::sqlite("offices"))?;
        Ok(recipient.flatten())
    }

    /// Records that a kit was issued to an office (again, if it has not registered yet or its
    /// key was revoked).
    pub fn enroll_office(&mut self, id: &str, name: &str) -> Result<(), StoreError> {
        let operator = self.operator.clone();
        let tx = self.tx()?;
        tx.execute(
            "INSERT INTO offices (id, name, enrolled_at, enrolled_by) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name,
                enrolled_at = excluded.enrolled_at, enrolled_by = excluded.enrolled_by
             WHERE offices.public_key IS NULL OR EXISTS (
                SELECT 1 FROM revoked_keys r
                WHERE r.office_id = offices.id AND r.public_key = offices.public_key)",
            params![id, name, timestamp(chrono::Utc::now()), operator],
        )
        .map_err(StoreError::sqlite("enroll office"))?;
        audit::append(&tx, &operator, "office.enroll", id)?;
        tx.commit().map_err(StoreError::sqlite("enroll office"))
    }

    /// Pins an office's signing key.
    pub fn register_office(
        &mut self,
        id: &str,
        public_key: &str,
        recipient: &str,
    ) -> Result<(), StoreError> {
        let operator = self.operator.clone();
        let tx = self.tx()?;
        let changed = tx
            .execute(
                "UPDATE offices SET public_key = ?2, registered_at = ?3, recipient = ?4
                 WHERE id = ?1 AND public_key IS NULL",
                params![id, public_key, timestamp(chrono::Utc::now()), recipient],
            )
            .map_err(StoreError::sqlite("register office"))?;
        if changed != 1 {
            return Err(StoreError::Conflict(format!(
                "office '{id}' is not enrolled, or already registered"
            )));
        }
        audit::append(&tx, &operator, "office.register", id)?;
        tx.commit().map_err(StoreError::sqlite("register office"))
    }

    /// Revokes an office's registered key: from now on its batches are refused. Returns when.
    pub fn revoke_office(&mut self, id: &str) -> Result<String, StoreError> {
        let office = self.office(id)?.ok_or_else(|| StoreError::NotFound {
            kind: "office",
            id: id.to_owned(),
        })?;
        if let Some(at) = office.revoked_at {
            return Err(StoreError::Conflict(format!(
                "office '{id}''s key was already revoked on {}",
                at.get(..10).unwrap_or(&at)
            )));
        }
        let Some(key) = self.office_key(id)? else {
            return Err(StoreError::Conflict(format!(
                "office '{id}' has no registered key to revoke (it was enrolled, never registered)"
            )));
        };
        let now = timestamp(chrono::Utc::now());
        let operator = self.operator.clone();
        let tx = self.tx()?;
        tx.execute(
            "INSERT INTO revoked_keys (office_id, public_key, revoked_at, revoked_by)
             VALUES (?1, ?2, ?3, ?4)",
            params![id, key, now, operator],
        )
        .map_err(StoreError::sqlite("revoke office"))?;
        audit::append(&tx, &operator, "office.revoke", id)?;
        tx.commit().map_err(StoreError::sqlite("revoke office"))?;
        Ok(now)
    }

    /// Every key of an office that was revoked, with when: (public key, revoked at).
    pub fn revoked_keys(&self, id: &str) -> Result<Vec<(String, String)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT public_key, revoked_at FROM revoked_keys WHERE office_id = ?1
                 ORDER BY revoked_at",
            )
            .map_err(StoreError::sqlite("revoked keys"))?;
        let rows = stmt
            .query_map([id], |row| Ok((row.get(0)?, row.get(1)?)))
            .map_err(StoreError::sqlite("revoked keys"))?;
        rows.collect::<Result<_, _>>()
            .map_err(StoreError::sqlite("revoked keys"))
    }

    /// Pins a new key for an office whose key was revoked, in one transaction: the batches
    /// of the revoked installation are set aside (kept in `retired_batches`), since the new
    /// installation numbers its batches from 1 again.
    pub fn reregister_office(
        &mut self,
        id: &str,
        public_key: &str,
        recipient: &str,
    ) -> Result<(), StoreError> {
        let now = timestamp(chrono::Utc::now());
        let operator = self.operator.clone();
        let tx = self.tx()?;
        tx.execute(
            "INSERT INTO retired_batches (office_id, public_key, seq, manifest_hash, prev_hash,
                                          record_count, created_at, imported_at, retired_at)
             SELECT b.office_id, o.public_key, b.seq, b.manifest_hash, b.prev_hash,
                    b.record_count, b.created_at, b.imported_at, ?2
             FROM batches b JOIN offices o ON o.id = b.office_id
             WHERE b.office_id = ?1",
            params![id, now],
        )
        .map_err(StoreError::sqlite("register office"))?;
        tx.execute("DELETE FROM batches WHERE office_id = ?1", [id])
            .map_err(StoreError::sqlite("register office"))?;
        let changed = tx
            .execute(
                "UPDATE offices SET public_key = ?2, registered_at = ?3, recipient = ?4
                 WHERE id = ?1 AND EXISTS (
                    SELECT 1 FROM revoked_keys r
                    WHERE r.office_id = offices.id AND r.public_key = offices.public_key)",
                params![id, public_key, now, recipient],
            )
            .map_err(StoreError::sqlite("register office"))?;
        if changed != 1 {
            return Err(StoreError::Conflict(format!(
                "office '{id}' has a key that was not revoked; revoke it first"
            )));
        }
        audit::append(&tx, &operator, "office.register", id)?;
        tx.commit().map_err(StoreError::sqlite("register office"))
    }
}
