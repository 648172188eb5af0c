//! Central's registry of offices: enrolled (a kit was issued), then registered (the office's
//! signing key is pinned).

use rusqlite::{OptionalExtension, Row, params};

use super::{Store, StoreError, audit, timestamp};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Office {
    pub id: String,
    pub name: String,
    pub enrolled_at: String,
    pub registered: bool,
}

fn office_from_row(row: &Row<'_>) -> rusqlite::Result<Office> {
    Ok(Office {
        id: row.get(0)?,
        name: row.get(1)?,
        enrolled_at: row.get(2)?,
        registered: row.get::<_, Option<String>>(3)?.is_some(),
    })
}

impl Store {
    pub fn offices(&self) -> Result<Vec<Office>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, name, enrolled_at, public_key FROM offices ORDER BY id")
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
                "SELECT id, name, enrolled_at, public_key FROM offices WHERE id = ?1",
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

    /// Records that a kit was issued to an office (again, if it has not registered yet).
    pub fn enroll_office(&mut self, id: &str, name: &str) -> Result<(), StoreError> {
        let operator = self.operator.clone();
        let tx = self.tx()?;
        tx.execute(
            "INSERT INTO offices (id, name, enrolled_at, enrolled_by) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name,
                enrolled_at = excluded.enrolled_at, enrolled_by = excluded.enrolled_by
             WHERE public_key IS NULL",
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
}
