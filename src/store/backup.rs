//! The optional backup recipient (EXCHANGE.md, "Batch"): an age recipient held by a second
//! custodian, to which offices encrypt every batch besides central's import recipient, so
//! the batches stay readable if central's import identity is lost.
//!
//! Central's lead sets or clears it; kits and reference packs carry it, signed by central;
//! an office keeps the one its kit or its newest pack gave it. One at most.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

use super::{Store, StoreError, audit, meta, timestamp};
use crate::keys::slots::parse_recipient;

/// The backup recipient in force, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupRecipient {
    /// An age X25519 recipient (`age1…`).
    pub recipient: String,
    /// When it was set here (RFC 3339, UTC).
    pub set_at: String,
    /// Central: the operator who set it. An office: "kit" or "pack N".
    pub source: String,
}

/// When the backup recipient was last cleared (RFC 3339, UTC).
const CLEARED_AT: &str = "backup_recipient_cleared_at";

impl Store {
    /// When the backup recipient was last cleared, if ever: central still takes batches
    /// sealed to it for a while (`central::backup`).
    pub fn backup_cleared_at(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        meta::get(&self.conn, CLEARED_AT)?
            .map(|at| super::parse_timestamp(&at))
            .transpose()
    }

    pub fn backup_recipient(&self) -> Result<Option<BackupRecipient>, StoreError> {
        self.conn
            .query_row(
                "SELECT recipient, set_at, source FROM backup_recipient",
                [],
                |row| {
                    Ok(BackupRecipient {
                        recipient: row.get(0)?,
                        set_at: row.get(1)?,
                        source: row.get(2)?,
                    })
                },
            )
            .optional()
            .map_err(StoreError::sqlite("backup recipient"))
    }

    /// Writes the new recipient (or none) with an audit entry, unless it is the one in force:
    /// the same pack or setting again changes nothing and audits nothing.
    pub(super) fn replace_backup(
        &mut self,
        recipient: Option<&str>,
        source: &str,
        action: &str,
    ) -> Result<bool, StoreError> {
        let recipient = recipient.map(canonical).transpose()?;
        let current = self.backup_recipient()?.map(|b| b.recipient);
        if current == recipient {
            return Ok(false);
        }
        let now = timestamp(self.now());
        let operator = self.operator.clone();
        let tx = self.tx()?;
        tx.execute("DELETE FROM backup_recipient", [])
            .map_err(StoreError::sqlite("backup recipient"))?;
        match &recipient {
            Some(recipient) => insert(&tx, recipient, source, &now)?,
            None => meta::set(&tx, CLEARED_AT, &now)?,
        }
        // A public key, so the chain can say which one.
        audit::append(
            &tx,
            &operator,
            action,
            recipient.as_deref().unwrap_or_default(),
        )?;
        tx.commit()
            .map_err(StoreError::sqlite("backup recipient"))?;
        Ok(true)
    }
}

/// The recipient as age writes it, so the same key always compares equal.
fn canonical(text: &str) -> Result<String, StoreError> {
    parse_recipient(text)
        .map(|r| r.to_string())
        .ok_or_else(|| StoreError::Config(format!("'{text}' is not an age recipient")))
}

/// Stores the backup recipient inside the caller's transaction (a new office store takes its
/// kit's with everything else, or nothing).
pub(super) fn insert(
    tx: &Transaction<'_>,
    recipient: &str,
    source: &str,
    at: &str,
) -> Result<(), StoreError> {
    let recipient = canonical(recipient)?;
    tx.execute(
        "INSERT INTO backup_recipient (only, recipient, set_at, source) VALUES (1, ?1, ?2, ?3)",
        params![recipient, at, source],
    )
    .map_err(StoreError::sqlite("backup recipient"))?;
    Ok(())
}
