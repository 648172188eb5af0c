//! The phone keys a store holds: those central made (and rotates by pack), or those an
//! office's last pack gave it, to hash callers' numbers for central ([`crate::keys::phone`]).

use rusqlite::{OptionalExtension, Transaction};

use super::{Store, StoreError, audit, meta};
use crate::keys::PhoneKeys;

/// Where a store keeps its phone keys: all central made, or those an office's last pack gave.
const PHONE_KEYS: &str = "phone_keys";

impl Store {
    /// The phone keys this store holds; none in an office no pack gave any yet.
    pub fn phone_keys(&self) -> Result<PhoneKeys, StoreError> {
        let text: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT value FROM secrets WHERE name = ?1",
                [PHONE_KEYS],
                |row| row.get(0),
            )
            .optional()
            .map_err(StoreError::sqlite("secrets"))?;
        let Some(text) = text.map(zeroize::Zeroizing::new) else {
            return Ok(PhoneKeys::default());
        };
        std::str::from_utf8(&text)
            .ok()
            .and_then(PhoneKeys::from_text)
            .ok_or_else(|| StoreError::Damaged("the phone keys are unreadable".into()))
    }

    /// Keeps `keys` as this store's phone keys, with an audit entry naming their ids, and
    /// what the role does with them besides (`also`) in the same transaction.
    pub(super) fn keep_phone_keys(
        &mut self,
        keys: &PhoneKeys,
        also: impl FnOnce(&Transaction<'_>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let operator = self.operator.clone();
        let tx = self.tx()?;
        meta::set_secret(&tx, PHONE_KEYS, keys.to_text().as_bytes())?;
        also(&tx)?;
        audit::append(&tx, &operator, "phone-keys.change", &keys.ids().join(","))?;
        tx.commit().map_err(StoreError::sqlite("secrets"))
    }
}
