//! Central's backup recipient (`linea central backup-recipient`): a second custodian's age
//! recipient that every office encrypts its batches to as well, so they stay readable if
//! central's import identity is lost. Kits carry it from when it is set, and so does each
//! office's next pack (`central::sync`); a cleared one leaves the next packs without it.

use age::x25519::Recipient;

use super::registry::{names, require_central};
use crate::keys::slots::parse_recipient;
use crate::store::{BackupRecipient, Store, StoreError};

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
pub fn set(store: &mut Store, recipient: &Recipient) -> Result<String, BackupError> {
    require_central(store)?;
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
pub fn clear(store: &mut Store) -> Result<bool, BackupError> {
    require_central(store)?;
    Ok(store.set_backup_recipient(None)?)
}

/// The backup recipient central hands out, if any.
pub fn current(store: &Store) -> Result<Option<BackupRecipient>, BackupError> {
    require_central(store)?;
    Ok(store.backup_recipient()?)
}
