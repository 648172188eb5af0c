//! An office's phone keys (from central's packs), and which calls send their number to
//! central in clear (those a referral names) instead of hashed under them.

use std::collections::HashSet;

use uuid::Uuid;

use super::OfficeStore;
use crate::keys::PhoneKeys;
use crate::store::StoreError;

impl OfficeStore {
    /// Keeps `keys`, from central's latest pack, as this office's phone keys, with an audit
    /// entry naming their ids.
    pub fn set_phone_keys(&mut self, keys: &PhoneKeys) -> Result<(), StoreError> {
        self.keep_phone_keys(keys, |_| Ok(()))
    }

    /// The calls a referral names: their numbers go to central in clear, as it needs them.
    pub fn referred_calls(&self) -> Result<HashSet<Uuid>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT DISTINCT call_id FROM referrals WHERE call_id IS NOT NULL")
            .map_err(StoreError::sqlite("referrals"))?;
        let ids = stmt
            .query_map([], |row| row.get::<_, String>(0))
            .map_err(StoreError::sqlite("referrals"))?;
        let mut referred = HashSet::new();
        for id in ids {
            let id = id.map_err(StoreError::sqlite("referrals"))?;
            if let Ok(id) = Uuid::parse_str(&id) {
                referred.insert(id);
            }
        }
        Ok(referred)
    }
}
