//! Repeat callers: which calls came from the same number, across offices and periods, found
//! at central without the number itself (README, "Repeat callers").
//!
//! A call reaches central with its number in clear (it has a referral) or as keyed hashes,
//! one a phone key ([`crate::keys::phone`]). Central gives every (key, hash) it meets a
//! caller number, and every call with a number its caller: a call whose hashes belong to two
//! callers proves them one, and they are merged. A number central holds in clear is hashed
//! under every key it has made, so it links the calls hashed under each.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};
use uuid::Uuid;

use super::CentralStore;
use crate::keys::PhoneKeys;
use crate::model::PhoneHash;
use crate::store::StoreError;

/// Another call from the same number, as central lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SameCaller {
    pub call_id: Uuid,
    pub office_id: String,
    pub started_at: DateTime<Utc>,
    pub reason: String,
}

impl CentralStore {
    /// Keeps `keys` as central's phone keys, with an audit entry naming their ids. Every
    /// number central holds in clear is hashed under each of them, in the same transaction:
    /// calls hashed under a new key link to the calls that number came with.
    pub fn set_phone_keys(&mut self, keys: &PhoneKeys) -> Result<(), StoreError> {
        self.keep_phone_keys(keys, |tx| link_clear_numbers(tx, keys))
    }

    /// For each of `ids` that has any, how many other calls came from its number.
    pub fn same_caller_counts(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, usize>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT COUNT(*) - 1 FROM call_callers
                 WHERE caller = (SELECT caller FROM call_callers WHERE call_id = ?1)",
            )
            .map_err(StoreError::sqlite("callers"))?;
        let mut counts = HashMap::new();
        for id in ids {
            let others: i64 = stmt
                .query_row([id.to_string()], |row| row.get(0))
                .map_err(StoreError::sqlite("callers"))?;
            if let Ok(others @ 1..) = usize::try_from(others) {
                counts.insert(*id, others);
            }
        }
        Ok(counts)
    }

    /// The other calls from the same number as call `id`, oldest first (none when its number
    /// never reached central, in clear or hashed).
    pub fn same_caller(&self, id: Uuid) -> Result<Vec<SameCaller>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT c.id, c.office_id, c.started_at, c.reason
                 FROM call_callers this
                 JOIN call_callers other ON other.caller = this.caller AND other.call_id != this.call_id
                 JOIN calls c ON c.id = other.call_id
                 WHERE this.call_id = ?1
                 ORDER BY c.started_at, c.id",
            )
            .map_err(StoreError::sqlite("callers"))?;
        let rows = stmt
            .query_map([id.to_string()], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                ))
            })
            .map_err(StoreError::sqlite("callers"))?;
        let mut calls = Vec::new();
        for row in rows {
            let (call_id, office_id, started_at, reason) =
                row.map_err(StoreError::sqlite("callers"))?;
            calls.push(SameCaller {
                call_id: Uuid::parse_str(&call_id)
                    .map_err(|_| StoreError::Damaged(format!("call '{call_id}' has a bad id")))?,
                office_id,
                started_at: crate::store::parse_timestamp(&started_at)?,
                reason,
            });
        }
        Ok(calls)
    }
}

/// Hashes every number central holds in clear under each of `keys`.
fn link_clear_numbers(tx: &Transaction<'_>, keys: &PhoneKeys) -> Result<(), StoreError> {
    let numbers: Vec<(String, String)> = tx
        .prepare("SELECT id, phone FROM calls WHERE phone IS NOT NULL")
        .and_then(|mut stmt| {
            stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect()
        })
        .map_err(StoreError::sqlite("calls"))?;
    for (call_id, number) in &numbers {
        link(tx, call_id, &keys.hashes(number))?;
    }
    Ok(())
}

/// Gives call `call_id` the caller its `hashes` belong to, merging the callers they prove
/// one, or a new caller; a call without hashes has none.
pub(super) fn link(
    tx: &Transaction<'_>,
    call_id: &str,
    hashes: &[PhoneHash],
) -> Result<(), StoreError> {
    let sql = StoreError::sqlite("callers");
    if hashes.is_empty() {
        tx.prepare_cached("DELETE FROM call_callers WHERE call_id = ?1")
            .and_then(|mut stmt| stmt.execute([call_id]))
            .map_err(sql)?;
        return Ok(());
    }
    let mut callers = Vec::new();
    for h in hashes {
        let caller: Option<i64> = tx
            .prepare_cached("SELECT caller FROM phone_hashes WHERE key_id = ?1 AND hash = ?2")
            .and_then(|mut stmt| stmt.query_row([&h.key, &h.hash], |row| row.get(0)))
            .optional()
            .map_err(StoreError::sqlite("callers"))?;
        callers.extend(caller);
    }
    callers.sort_unstable();
    callers.dedup();
    let caller = match callers.first() {
        Some(first) => *first,
        None => tx
            .prepare_cached("SELECT COALESCE(MAX(caller), 0) + 1 FROM phone_hashes")
            .and_then(|mut stmt| stmt.query_row([], |row| row.get(0)))
            .map_err(StoreError::sqlite("callers"))?,
    };
    for merged in callers.iter().skip(1) {
        for table in ["phone_hashes", "call_callers"] {
            tx.execute(
                &format!("UPDATE {table} SET caller = ?1 WHERE caller = ?2"),
                [caller, *merged],
            )
            .map_err(StoreError::sqlite("callers"))?;
        }
    }
    for h in hashes {
        tx.prepare_cached(
            "INSERT INTO phone_hashes (key_id, hash, caller) VALUES (?1, ?2, ?3)
             ON CONFLICT DO NOTHING",
        )
        .and_then(|mut stmt| stmt.execute(params![h.key, h.hash, caller]))
        .map_err(StoreError::sqlite("callers"))?;
    }
    tx.prepare_cached(
        "INSERT INTO call_callers (call_id, caller) VALUES (?1, ?2)
         ON CONFLICT (call_id) DO UPDATE SET caller = excluded.caller",
    )
    .and_then(|mut stmt| stmt.execute(params![call_id, caller]))
    .map_err(StoreError::sqlite("callers"))?;
    Ok(())
}
