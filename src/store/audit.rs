//! The audit chain: who unlocked, created, changed, exported, imported or purged what.
//! Ids and actions only, never content. Each entry's hash covers the previous entry's hash,
//! and the head (last sequence number and hash) is kept in `meta`, so editing, deleting or
//! truncating entries is detected.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use sha2::{Digest, Sha256};

use super::{StoreError, meta, timestamp};

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One entry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub operator: String,
    pub action: String,
    pub subject: String,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEntry {
    fn expected_hash(&self) -> String {
        entry_hash(
            &self.prev_hash,
            self.seq,
            &self.at,
            &self.operator,
            &self.action,
            &self.subject,
        )
    }
}

fn entry_hash(
    prev: &str,
    seq: i64,
    at: &str,
    operator: &str,
    action: &str,
    subject: &str,
) -> String {
    let mut hasher = Sha256::new();
    for part in [prev, &seq.to_string(), at, operator, action, subject] {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    hex::encode(hasher.finalize())
}

/// Appends an entry inside the caller's transaction, so it commits with the change it records.
pub fn append(
    tx: &Transaction<'_>,
    operator: &str,
    action: &str,
    subject: &str,
) -> Result<(), StoreError> {
    let last: Option<(i64, String)> = tx
        .query_row(
            "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()
        .map_err(StoreError::sqlite("audit"))?;
    let (seq, prev) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_owned()),
    };
    let at = timestamp(chrono::Utc::now());
    let hash = entry_hash(&prev, seq, &at, operator, action, subject);
    tx.execute(
        "INSERT INTO audit (seq, at, operator, action, subject, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![seq, at, operator, action, subject, prev, hash],
    )
    .map_err(StoreError::sqlite("audit"))?;
    meta::set(tx, "audit_head", &format!("{seq}:{hash}"))
}

/// Where the chain breaks, in words an auditor can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuditBreak {
    #[error("audit entry {seq} ({at}, {operator}, {action}) has been altered")]
    Altered {
        seq: i64,
        at: String,
        operator: String,
        action: String,
    },
    #[error("audit entry {seq} is missing: it was deleted")]
    Missing { seq: i64 },
    #[error(
        "audit entries after {last_present} are missing: the chain ends at entry {last_present} but entry {expected} was written"
    )]
    Truncated { last_present: i64, expected: i64 },
    #[error("the audit chain's head record is missing or damaged")]
    HeadDamaged,
}

/// Checks the whole chain; returns how many entries it holds.
pub fn verify(conn: &Connection) -> Result<Result<u64, AuditBreak>, StoreError> {
    let mut stmt = conn
        .prepare(
            "SELECT seq, at, operator, action, subject, prev_hash, hash FROM audit ORDER BY seq",
        )
        .map_err(StoreError::sqlite("audit"))?;
    let entries = stmt
        .query_map([], |row| {
            Ok(AuditEntry {
                seq: row.get(0)?,
                at: row.get(1)?,
                operator: row.get(2)?,
                action: row.get(3)?,
                subject: row.get(4)?,
                prev_hash: row.get(5)?,
                hash: row.get(6)?,
            })
        })
        .map_err(StoreError::sqlite("audit"))?;
    let mut prev_hash = GENESIS.to_owned();
    let mut expected_seq = 1;
    let mut count = 0;
    for entry in entries {
        let entry = entry.map_err(StoreError::sqlite("audit"))?;
        if entry.seq != expected_seq {
            return Ok(Err(AuditBreak::Missing { seq: expected_seq }));
        }
        if entry.prev_hash != prev_hash {
            // The entry before this one was replaced or its hash rewritten.
            return Ok(Err(altered(conn, entry.seq - 1)?));
        }
        if entry.hash != entry.expected_hash() {
            return Ok(Err(AuditBreak::Altered {
                seq: entry.seq,
                at: entry.at,
                operator: entry.operator,
                action: entry.action,
            }));
        }
        prev_hash = entry.hash;
        expected_seq += 1;
        count += 1;
    }
    let head = meta::get(conn, "audit_head")?;
    let last_present = expected_seq - 1;
    match head.as_deref().and_then(parse_head) {
        Some((seq, hash)) if seq == last_present && hash == prev_hash => Ok(Ok(count)),
        Some((seq, _)) if seq > last_present => Ok(Err(AuditBreak::Truncated {
            last_present,
            expected: seq,
        })),
        None if count == 0 => Ok(Ok(0)),
        _ => Ok(Err(AuditBreak::HeadDamaged)),
    }
}

/// The break for entry `seq`, with when, who and what from what is left of it.
fn altered(conn: &Connection, seq: i64) -> Result<AuditBreak, StoreError> {
    let found = conn
        .query_row(
            "SELECT at, operator, action FROM audit WHERE seq = ?1",
            [seq],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()
        .map_err(StoreError::sqlite("audit"))?;
    Ok(match found {
        Some((at, operator, action)) => AuditBreak::Altered {
            seq,
            at,
            operator,
            action,
        },
        None => AuditBreak::Missing { seq },
    })
}

/// The head as kept (entries written, last hash), without checking the chain; `None`
/// before the first entry. What a batch tells central, so a shortened chain shows there.
pub fn head(conn: &Connection) -> Result<Option<(u64, String)>, StoreError> {
    let Some(text) = meta::get(conn, "audit_head")? else {
        return Ok(None);
    };
    parse_head(&text)
        .and_then(|(seq, hash)| Some((u64::try_from(seq).ok()?, hash)))
        .map(Some)
        .ok_or(StoreError::Damaged(
            "the audit chain's head record is damaged".into(),
        ))
}

fn parse_head(text: &str) -> Option<(i64, String)> {
    let (seq, hash) = text.split_once(':')?;
    Some((seq.parse().ok()?, hash.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: usize) -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::schema::migrate(&mut conn).unwrap();
        let tx = conn.transaction().unwrap();
        for i in 0..n {
            append(&tx, "ana", "call.create", &format!("id-{i}")).unwrap();
        }
        tx.commit().unwrap();
        conn
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert_eq!(verify(&chain(5)).unwrap(), Ok(5));
        assert_eq!(verify(&chain(0)).unwrap(), Ok(0));
    }

    #[test]
    fn an_edited_entry_is_named() {
        let conn = chain(5);
        conn.execute("UPDATE audit SET operator = 'eve' WHERE seq = 3", [])
            .unwrap();
        let broken = verify(&conn).unwrap().unwrap_err();
        assert!(
            matches!(broken, AuditBreak::Altered { seq: 3, .. }),
            "{broken}"
        );
        assert!(broken.to_string().starts_with("audit entry 3 "));
    }

    #[test]
    fn an_entry_rewritten_with_a_fresh_hash_is_caught_by_the_next_one() {
        let conn = chain(5);
        let fake = entry_hash("x", 3, "t", "eve", "call.create", "id-2");
        conn.execute(
            "UPDATE audit SET operator = 'eve', hash = ?1 WHERE seq = 3",
            [fake],
        )
        .unwrap();
        let broken = verify(&conn).unwrap().unwrap_err();
        assert!(
            matches!(broken, AuditBreak::Altered { seq: 3, .. }),
            "{broken}"
        );
    }

    #[test]
    fn deleted_entries_are_named_wherever_they_were() {
        let conn = chain(5);
        conn.execute("DELETE FROM audit WHERE seq = 2", []).unwrap();
        assert_eq!(verify(&conn).unwrap(), Err(AuditBreak::Missing { seq: 2 }));
        let conn = chain(5);
        conn.execute("DELETE FROM audit WHERE seq = 5", []).unwrap();
        assert_eq!(
            verify(&conn).unwrap(),
            Err(AuditBreak::Truncated {
                last_present: 4,
                expected: 5
            })
        );
        let conn = chain(5);
        conn.execute("DELETE FROM audit WHERE seq = 1", []).unwrap();
        assert_eq!(verify(&conn).unwrap(), Err(AuditBreak::Missing { seq: 1 }));
    }
}
