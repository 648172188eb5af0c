//! Repeat callers: which calls came from the same number, across offices and periods, found
//! at central without the number itself (README, "Repeat callers").
//!
//! A call reaches central with its number in clear (it has a referral) or as keyed hashes,
//! one a phone key ([`crate::keys::phone`]). Central gives every (key, hash) it meets a
//! caller number, and every call with a number its caller: a call whose hashes belong to two
//! callers proves them one, and they are merged. A number central holds in clear is hashed
//! under every key it has made, so it links the calls hashed under each.

use std::collections::{BTreeMap, BTreeSet, HashMap};

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
    let mut links = Links::default();
    for (call_id, number) in numbers {
        links.push(call_id, keys.hashes(&number));
    }
    links.write(tx)
}

/// Calls to give their callers, in the order they came, written together
/// ([`Links::write`]).
#[derive(Debug, Default)]
pub(crate) struct Links(Vec<(String, Vec<PhoneHash>)>);

impl Links {
    /// Call `call_id` is to have the caller its `hashes` belong to; none when it has none.
    pub fn push(&mut self, call_id: String, hashes: Vec<PhoneHash>) {
        self.0.push((call_id, hashes));
    }

    /// Gives each call the caller its hashes belong to, merging the callers they prove one,
    /// or a new caller, as if the calls were linked one by one in order.
    ///
    /// The hashes are random, so their table is read and written in the hashes' order, each
    /// once: linked call by call, nearly every lookup and insert missed the page cache at a
    /// million calls, and linking took two fifths of an import's page reads and writes.
    pub fn write(self, tx: &Transaction<'_>) -> Result<(), StoreError> {
        let sql = || StoreError::sqlite("callers");
        let hashes: BTreeSet<&PhoneHash> = self.0.iter().flat_map(|(_, hashes)| hashes).collect();
        let mut known: BTreeMap<&PhoneHash, Known> = BTreeMap::new();
        {
            let mut lookup = tx
                .prepare_cached("SELECT caller FROM phone_hashes WHERE key_id = ?1 AND hash = ?2")
                .map_err(sql())?;
            for hash in hashes {
                let caller: Option<i64> = lookup
                    .query_row([&hash.key, &hash.hash], |row| row.get(0))
                    .optional()
                    .map_err(sql())?;
                known.insert(hash, caller.map_or(Known::Absent, Known::Stored));
            }
        }
        let mut next_caller: i64 = tx
            .prepare_cached("SELECT COALESCE(MAX(caller), 0) + 1 FROM phone_hashes")
            .and_then(|mut stmt| stmt.query_row([], |row| row.get(0)))
            .map_err(sql())?;
        let mut callers_of_calls: Vec<(&str, Option<i64>)> = Vec::with_capacity(self.0.len());
        for (call_id, hashes) in &self.0 {
            if hashes.is_empty() {
                callers_of_calls.push((call_id, None));
                continue;
            }
            let mut callers: Vec<i64> = hashes
                .iter()
                .filter_map(|h| known.get(h).and_then(Known::caller))
                .collect();
            callers.sort_unstable();
            callers.dedup();
            let caller = callers.first().copied().unwrap_or_else(|| {
                next_caller += 1;
                next_caller - 1
            });
            for &merged in callers.iter().skip(1) {
                merge(tx, merged, caller)?;
                for known in known.values_mut() {
                    known.merge(merged, caller);
                }
                for (_, linked) in callers_of_calls.iter_mut() {
                    if *linked == Some(merged) {
                        *linked = Some(caller);
                    }
                }
            }
            for hash in hashes {
                if let Some(known) = known.get_mut(hash)
                    && known.caller().is_none()
                {
                    *known = Known::New(caller);
                }
            }
            callers_of_calls.push((call_id, Some(caller)));
        }
        let mut insert = tx
            .prepare_cached("INSERT INTO phone_hashes (key_id, hash, caller) VALUES (?1, ?2, ?3)")
            .map_err(sql())?;
        for (hash, known) in &known {
            if let Known::New(caller) = known {
                insert
                    .execute(params![hash.key, hash.hash, caller])
                    .map_err(sql())?;
            }
        }
        let mut unlink = tx
            .prepare_cached("DELETE FROM call_callers WHERE call_id = ?1")
            .map_err(sql())?;
        let mut link = tx
            .prepare_cached(
                "INSERT INTO call_callers (call_id, caller) VALUES (?1, ?2)
                 ON CONFLICT (call_id) DO UPDATE SET caller = excluded.caller",
            )
            .map_err(sql())?;
        for (call_id, caller) in callers_of_calls {
            match caller {
                Some(caller) => link.execute(params![call_id, caller]),
                None => unlink.execute([call_id]),
            }
            .map_err(sql())?;
        }
        Ok(())
    }
}

/// What central knows of a hash while linking a batch's calls.
#[derive(Debug, Clone, Copy)]
enum Known {
    /// Not in the table, nor given a caller yet.
    Absent,
    Stored(i64),
    /// Given a caller by this batch: written at the end.
    New(i64),
}

impl Known {
    fn caller(&self) -> Option<i64> {
        match self {
            Known::Stored(caller) | Known::New(caller) => Some(*caller),
            Known::Absent => None,
        }
    }

    fn merge(&mut self, merged: i64, into: i64) {
        match self {
            Known::Stored(caller) | Known::New(caller) if *caller == merged => *caller = into,
            _ => {}
        }
    }
}

/// Makes caller `merged` one with `into`, in what the store holds.
fn merge(tx: &Transaction<'_>, merged: i64, into: i64) -> Result<(), StoreError> {
    for table in ["phone_hashes", "call_callers"] {
        tx.execute(
            &format!("UPDATE {table} SET caller = ?1 WHERE caller = ?2"),
            [into, merged],
        )
        .map_err(StoreError::sqlite("callers"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use super::*;

    fn hash(n: u8) -> PhoneHash {
        PhoneHash {
            key: "k1".into(),
            hash: format!("{n:064x}"),
        }
    }

    fn link(conn: &mut Connection, calls: &[(&str, &[u8])]) {
        let tx = conn.transaction().unwrap();
        let mut links = Links::default();
        for (call, hashes) in calls {
            links.push(call.to_string(), hashes.iter().map(|n| hash(*n)).collect());
        }
        links.write(&tx).unwrap();
        tx.commit().unwrap();
    }

    fn caller(conn: &Connection, call: &str) -> Option<i64> {
        conn.query_row(
            "SELECT caller FROM call_callers WHERE call_id = ?1",
            [call],
            |row| row.get(0),
        )
        .optional()
        .unwrap()
    }

    #[test]
    fn a_batch_links_its_calls_as_one_by_one_merging_callers_within_it_and_with_those_before() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::store::schema::migrate(&mut conn).unwrap();
        link(&mut conn, &[("d", &[3]), ("f", &[4])]);
        let (d, f) = (caller(&conn, "d").unwrap(), caller(&conn, "f").unwrap());
        assert_ne!(d, f, "two numbers, two callers");

        link(
            &mut conn,
            &[
                ("a", &[1]),
                ("b", &[2]),
                ("c", &[1, 2]),
                ("e", &[]),
                ("g", &[3, 4]),
                ("h", &[3]),
                ("i", &[9]),
            ],
        );
        let a = caller(&conn, "a").unwrap();
        assert_eq!(
            caller(&conn, "b"),
            Some(a),
            "c proved a's and b's numbers one caller"
        );
        assert_eq!(caller(&conn, "c"), Some(a));
        assert_eq!(
            caller(&conn, "e"),
            None,
            "a call without a number has no caller"
        );
        let merged = d.min(f);
        for call in ["d", "f", "g", "h"] {
            assert_eq!(caller(&conn, call), Some(merged), "{call}");
        }
        let i = caller(&conn, "i").unwrap();
        assert!(![a, merged].contains(&i), "a new number, a new caller");
        let hashed: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM phone_hashes WHERE caller IN (?1, ?2, ?3)",
                [a, merged, i],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(hashed, 5, "every hash is kept once, under its caller");

        link(&mut conn, &[("c", &[])]);
        assert_eq!(
            caller(&conn, "c"),
            None,
            "sent again without hashes: unlinked"
        );
    }
}
