//! Central's backup recipient (`linea central backup-recipient`): a second custodian's age
//! recipient that every office encrypts its batches to as well, so they stay readable if
//! central's import identity is lost. Kits carry it from when it is set, and so does each
//! office's next pack (`central::sync`); a cleared one leaves the next packs without it.
//!
//! Batches must be sealed to central's import key and to the backup recipient, if one is set,
//! and to nobody else ([`refuse_recipient_count`]). age's recipient stanzas do not say whose
//! they are, so central counts them: two while a backup is set (one from an office that has
//! not had the pack with it yet), one otherwise. Just after the backup is cleared, offices
//! still seal to it until their next pack arrives, so two stay accepted for
//! [`CLEARED_GRACE_DAYS`]; after that such a batch is refused, and it heals itself: central's
//! next pack stops the office sealing to the old backup, and the office's next sync writes the
//! batch again to central alone.

use age::x25519::Recipient;
use chrono::TimeDelta;

use super::registry::names;
use crate::keys::slots::parse_recipient;
use crate::store::{BackupRecipient, CentralStore, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(
        "'{0}' is not an age recipient: give the public key age-keygen printed (age1…); nothing was changed"
    )]
    NotARecipient(String),
    #[error(
        "that is central's own import recipient: the backup must be another key, held by a second custodian; nothing was changed"
    )]
    OwnImportRecipient,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Reads a recipient as given on the command line (checked before any store is opened).
pub fn parse(text: &str) -> Result<Recipient, BackupError> {
    parse_recipient(text).ok_or_else(|| BackupError::NotARecipient(text.trim().to_owned()))
}

/// Sets the backup recipient; returns it as stored.
pub fn set(store: &mut CentralStore, recipient: &Recipient) -> Result<String, BackupError> {
    let recipient = recipient.to_string();
    let own = store
        .setting(names::IMPORT_RECIPIENT)?
        .and_then(|own| parse_recipient(&own));
    if own.is_some_and(|own| own.to_string() == recipient) {
        return Err(BackupError::OwnImportRecipient);
    }
    store.set_backup_recipient(Some(&recipient))?;
    Ok(recipient)
}

/// Clears the backup recipient; returns whether there was one.
pub fn clear(store: &mut CentralStore) -> Result<bool, BackupError> {
    Ok(store.set_backup_recipient(None)?)
}

/// The backup recipient central hands out, if any.
pub fn current(store: &CentralStore) -> Result<Option<BackupRecipient>, BackupError> {
    Ok(store.backup_recipient()?)
}

/// How long after the backup recipient is cleared central still takes batches sealed to two
/// recipients: a stick that left before the clearing, and offices that have not had a pack
/// since, bring such batches for a while.
pub const CLEARED_GRACE_DAYS: i64 = 30;

/// Why a batch sealed to `count` X25519 recipients is refused now, if it is (see the
/// module's documentation); `two` says it for two, from the store ([`refuse_two_recipients`]),
/// and is asked only then.
pub fn refuse_recipient_count<E>(
    count: usize,
    two: impl FnOnce() -> Result<Option<String>, E>,
) -> Result<Option<String>, E> {
    match count {
        0 | 1 => Ok(None),
        2 => two(),
        _ => Ok(Some(format!(
            "sealed to {count} recipients; batches go to central's import key and its backup recipient only"
        ))),
    }
}

/// Why a batch sealed to two X25519 recipients is refused now, if it is: while a backup
/// recipient is set, or for [`CLEARED_GRACE_DAYS`] after it was cleared, it is not.
pub fn refuse_two_recipients(store: &CentralStore) -> Result<Option<String>, StoreError> {
    if store.backup_recipient()?.is_some() {
        return Ok(None);
    }
    Ok(match store.backup_cleared_at()? {
        Some(at) if store.now() - at <= TimeDelta::days(CLEARED_GRACE_DAYS) => None,
        Some(at) => Some(format!(
            "sealed to 2 recipients, but central's backup recipient was cleared on {}: the office's next sync takes central's newest pack and writes the batch again to central alone",
            at.format("%Y-%m-%d")
        )),
        None => Some(
            "sealed to 2 recipients, but central has no backup recipient: batches go to central's import key only".into(),
        ),
    })
}
