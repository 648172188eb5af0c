//! Central's store ([`CentralStore`]): what only central does with the shared layer, one
//! job a file: imports and what central sends back (`exchange`), the registry of offices
//! (`offices`), figures across offices (`figures`), repeat callers (`callers`), the backup
//! recipient (`backup`); and here, central's bookkeeping around an import: alerts raised once,
//! conflicts listed, who owns a record an incoming one names, and the two scopes an import
//! runs in (foreign keys checked by the importer, and savepoints for a dry run over several
//! files).

mod backup;
mod callers;
mod exchange;
mod figures;
mod offices;

use std::ops::{Deref, DerefMut};

use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use uuid::Uuid;

use super::{Store, StoreError, timestamp};

pub use callers::SameCaller;
pub use exchange::{BatchAudit, ImportTx, ImportedBatch};
pub use figures::{
    ACKNOWLEDGED_STATUSES, ACTED_STATUSES, CallGroup, FUNNEL_CLOSED_STATUSES, FunnelSteps,
    PoliceReport, REFERRED_STATUSES, ReferralGroup, Scope,
};
pub use offices::Office;

/// An unlocked central store: the shared database layer ([`Store`]) and what only central
/// does with it — importing offices' batches, the registry of offices, conflicts, outcomes,
/// figures across offices and packs. An office's store is a [`super::OfficeStore`].
#[derive(Debug)]
pub struct CentralStore(pub(super) Store);

impl Deref for CentralStore {
    type Target = Store;

    fn deref(&self) -> &Store {
        &self.0
    }
}

impl DerefMut for CentralStore {
    fn deref_mut(&mut self) -> &mut Store {
        &mut self.0
    }
}

/// A record that arrived at the version central has, with other content: central's copy was
/// kept, and the other is kept beside it (EXCHANGE.md, import rule 7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    pub office: String,
    pub kind: String,
    pub record_id: String,
    pub version: u32,
    /// When central imported the batch that carried it (RFC 3339, UTC).
    pub imported_at: String,
    /// The number of that batch.
    pub batch: u64,
    /// A newer version arrived since: it replaced both, and the conflict is history.
    pub settled: bool,
}

/// The version central holds now of a conflict's record (`c`).
const CURRENT_VERSION: &str = "CASE c.kind
        WHEN 'call' THEN (SELECT version FROM calls WHERE id = c.record_id)
        WHEN 'case' THEN (SELECT version FROM cases WHERE id = c.record_id)
        WHEN 'person' THEN (SELECT version FROM people WHERE id = c.record_id)
        WHEN 'referral' THEN (SELECT version FROM referrals WHERE id = c.record_id)
    END";

impl CentralStore {
    /// Raises an alert about an office's batch unless the same one (office, batch number,
    /// kind, manifest) was raised before: a refused file left on a stick comes back at every
    /// sync. Returns whether it is new.
    pub fn raise_alert(
        &mut self,
        office_id: &str,
        seq: u64,
        kind: &str,
        manifest_hash: &str,
        detail: &str,
    ) -> Result<bool, StoreError> {
        let added = self
            .conn
            .execute(
                "INSERT INTO alerts (office_id, seq, kind, manifest_hash, detail, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT DO NOTHING",
                params![
                    office_id,
                    // SQLite's integers are signed; a number past them is past any real one.
                    seq.min(i64::MAX as u64),
                    kind,
                    manifest_hash,
                    detail,
                    timestamp(self.now())
                ],
            )
            .map_err(StoreError::sqlite("alerts"))?;
        Ok(added == 1)
    }

    /// Every conflict kept, by office, then in the order they arrived.
    pub fn conflicts(&self) -> Result<Vec<Conflict>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT c.office_id, c.kind, c.record_id, c.version, c.at, c.seq,
                        coalesce({CURRENT_VERSION}, 0) > c.version
                 FROM conflicts c ORDER BY c.office_id, c.id"
            ))
            .map_err(StoreError::sqlite("conflicts"))?;
        let rows = stmt
            .query_map([], |row| {
                Ok(Conflict {
                    office: row.get(0)?,
                    kind: row.get(1)?,
                    record_id: row.get(2)?,
                    version: row.get(3)?,
                    imported_at: row.get(4)?,
                    batch: row.get(5)?,
                    settled: row.get(6)?,
                })
            })
            .map_err(StoreError::sqlite("conflicts"))?;
        rows.collect::<Result<_, _>>()
            .map_err(StoreError::sqlite("conflicts"))
    }

    /// How many of an office's conflicts are still open (no newer version arrived since).
    pub fn open_conflicts(&self, office_id: &str) -> Result<u64, StoreError> {
        self.conn
            .query_row(
                &format!(
                    "SELECT count(*) FROM conflicts c
                     WHERE c.office_id = ?1 AND coalesce({CURRENT_VERSION}, 0) <= c.version"
                ),
                [office_id],
                |row| row.get(0),
            )
            .map_err(StoreError::sqlite("conflicts"))
    }

    /// The office a stored record belongs to, or `None` when central does not have it.
    /// Read on the store's connection, so inside an import it sees what the import wrote.
    pub fn record_office(&self, kind: &str, id: Uuid) -> Result<Option<String>, StoreError> {
        let table = match kind {
            "call" => "calls",
            "case" => "cases",
            "person" => "people",
            "referral" => "referrals",
            _ => return Ok(None),
        };
        // Cached: an import asks this for every reference of every record.
        self.conn
            .prepare_cached(&format!("SELECT office_id FROM {table} WHERE id = ?1"))
            .and_then(|mut stmt| stmt.query_row([id.to_string()], |row| row.get(0)))
            .optional()
            .map_err(StoreError::sqlite("import"))
    }

    /// Runs `work` (a whole import, transaction included) with SQLite's foreign-key
    /// enforcement off, then turns it back on.
    ///
    /// Why: central imports a batch that follows a missing one (EXCHANGE.md, rule 6), and its
    /// records may name records only the missing batch carries. SQLite checks a foreign key
    /// at once or, deferred, at commit: never "when the gap is filled". The pragma cannot
    /// change inside a transaction, so it is set around it, on this connection only. The
    /// importer checks each reference itself instead (see `central::import`): what a record
    /// names must be here and of the same office, or be absent while a batch of that office
    /// before this one is missing. Filling the gap resolves them; what the database holds
    /// otherwise passes SQLite's own `foreign_key_check`.
    pub fn with_references_checked_by_caller<T, E>(
        &self,
        work: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        if !self.conn.is_autocommit() {
            return Err(StoreError::Config(
                "an import cannot begin inside another transaction".into(),
            )
            .into());
        }
        set_foreign_keys(&self.conn, false)?;
        // Back on whatever `work` did, so no later write skips the check by accident.
        let _restore = ForeignKeysBackOn(&self.conn);
        let value = work()?;
        set_foreign_keys(&self.conn, true)?;
        Ok(value)
    }

    /// Runs `work` inside a savepoint of the transaction in progress: what it wrote is undone
    /// if it fails, and kept (until the transaction ends) if it succeeds.
    pub fn within_savepoint<T, E>(&self, work: impl FnOnce() -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        self.conn
            .execute_batch("SAVEPOINT import_file")
            .map_err(StoreError::sqlite("savepoint"))?;
        match work() {
            Ok(value) => {
                self.conn
                    .execute_batch("RELEASE import_file")
                    .map_err(StoreError::sqlite("savepoint"))?;
                Ok(value)
            }
            Err(e) => {
                self.conn
                    .execute_batch("ROLLBACK TO import_file; RELEASE import_file")
                    .map_err(StoreError::sqlite("savepoint"))?;
                Err(e)
            }
        }
    }
}

fn set_foreign_keys(conn: &rusqlite::Connection, on: bool) -> Result<(), StoreError> {
    conn.pragma_update(None, "foreign_keys", on)
        .map_err(StoreError::sqlite("foreign_keys"))?;
    // The pragma is silently ignored in a transaction: make sure it took.
    let now: bool = conn
        .query_row("PRAGMA foreign_keys", [], |row| row.get(0))
        .map_err(StoreError::sqlite("foreign_keys"))?;
    if now != on {
        return Err(StoreError::Config(format!(
            "SQLite did not turn foreign keys {}",
            if on { "on" } else { "off" }
        )));
    }
    Ok(())
}

/// Turns foreign keys back on when an import ends early (an error, a panic).
struct ForeignKeysBackOn<'a>(&'a rusqlite::Connection);

impl Drop for ForeignKeysBackOn<'_> {
    fn drop(&mut self) {
        let _ = self.0.pragma_update(None, "foreign_keys", true);
    }
}
