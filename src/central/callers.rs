//! Repeat callers at central (README, "Repeat callers"): the phone keys it hands offices in
//! their packs, their rotation, and the other calls from a call's number.

use std::collections::HashMap;

use uuid::Uuid;

use crate::keys::PhoneKeys;
use crate::store::{CentralStore, Role, SameCaller, StoreError};

/// How many of central's newest keys a pack carries: offices hash each number under both,
/// so a number seen before a rotation and after it links through the key they share.
pub const KEYS_IN_A_PACK: usize = 2;

/// Central's phone keys, the first made if it has none yet (a central set up before keys).
pub fn keys(store: &mut CentralStore) -> Result<PhoneKeys, StoreError> {
    let mut keys = store.phone_keys()?;
    if keys.is_empty() {
        keys.rotate();
        store.set_phone_keys(&keys)?;
    }
    Ok(keys)
}

/// Makes a new phone key; each office hashes under it from its next pack on. Returns its id.
pub fn rotate(store: &mut CentralStore) -> Result<String, StoreError> {
    if store.role() != Role::Lead {
        return Err(StoreError::Forbidden(format!(
            "only central's lead can make a phone key; '{}' is an operator",
            store.operator()
        )));
    }
    let mut keys = keys(store)?;
    let id = keys.rotate().id().to_owned();
    store.set_phone_keys(&keys)?;
    Ok(id)
}

/// The keys a pack carries.
pub fn for_pack(store: &mut CentralStore) -> Result<PhoneKeys, StoreError> {
    Ok(keys(store)?.newest(KEYS_IN_A_PACK))
}

/// The other calls from call `id`'s number, at any office, oldest first.
pub fn same_caller(store: &CentralStore, id: Uuid) -> Result<Vec<SameCaller>, StoreError> {
    store.same_caller(id)
}

/// For each of `ids` that has any, how many other calls came from its number.
pub fn same_caller_counts(
    store: &CentralStore,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, usize>, StoreError> {
    store.same_caller_counts(ids)
}
