//! What central checks of a batch file before any of it reaches its store (EXCHANGE.md,
//! "Importing a batch"): the recipients it is sealed to, its decryption to a clean end, its
//! strict parsing, the signature of the office's pinned and not revoked key, the trusted
//! comment and recipient, and the records against the model's rules.
//!
//! Everything a check needs from the store is read once, into a [`Checker`], so that a
//! second thread can open and check the next batch while the store writes the current one
//! (`central::sync`). An import changes none of it: offices, keys, revocations, central's
//! identity, recipients and code lists change only between syncs.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};

use super::backup::{refuse_recipient_count, refuse_two_recipients};
use super::registry::names;
use crate::exchange::age_header::{self, Stanzas};
use crate::exchange::batch::{self, Manifest, Parsed, Rejection, Rule, reject};
use crate::keys::{AgeIdentity, PublicSigningKey};
use crate::model::{CodeExtensions, ValidationError};
use crate::store::{CentralStore, StoreError};

/// A batch whose file was opened and checked, and the first of its records the model's rules
/// refuse, if any (the import refuses it in its turn, after the batch's sequence rules).
#[derive(Debug)]
pub struct Checked {
    pub parsed: Parsed,
    pub invalid: Option<(usize, ValidationError)>,
}

/// What checking batches needs from central's store, read once.
pub struct Checker {
    /// Why a batch sealed to two X25519 recipients is refused now, if it is.
    two_recipients: Result<Option<String>, Rejection>,
    identity: Result<AgeIdentity, Rejection>,
    /// Each office's pinned key (none until registered) and the keys revoked, with when.
    offices: Result<HashMap<String, OfficeKeys>, Rejection>,
    own_recipient: Result<String, Rejection>,
    codes: Arc<CodeExtensions>,
}

struct OfficeKeys {
    current: Option<String>,
    revoked: Vec<(String, String)>,
}

impl Checker {
    /// Reads what checking needs; what cannot be read refuses the batches that need it, as
    /// it would have when read for each.
    pub fn of(store: &CentralStore) -> Checker {
        Checker {
            two_recipients: refuse_two_recipients(store).map_err(store_rejection),
            identity: import_identity(store),
            offices: office_keys(store).map_err(store_rejection),
            own_recipient: store
                .setting(names::IMPORT_RECIPIENT)
                .map_err(store_rejection)
                .and_then(|own| {
                    own.ok_or_else(|| reject(Rule::Store, "central's import recipient is missing"))
                }),
            codes: store.code_extensions(),
        }
    }

    /// Decrypts, parses and verifies a batch against this central and the sender's pinned
    /// key, then checks its records against the model's rules.
    pub fn check(&self, bytes: &[u8]) -> Result<Checked, Rejection> {
        let parsed = self.open(bytes)?;
        // A signed batch is still input; a day's grace for the clocks of offices.
        let now = Utc::now() + TimeDelta::days(1);
        let invalid = first_invalid(&parsed, &self.codes, now);
        Ok(Checked { parsed, invalid })
    }

    fn open(&self, bytes: &[u8]) -> Result<Parsed, Rejection> {
        self.check_recipients(age_header::scan(bytes)?)?;
        let identity = self.identity.as_ref().map_err(Clone::clone)?;
        let inner = batch::open(bytes, identity)?;
        let unverified = batch::parse(&inner)?;
        // Copied into what the signature covers: gone before the records are parsed.
        drop(inner);
        let manifest = &unverified.manifest;
        let office = &manifest.office_id;
        let offices = self.offices.as_ref().map_err(Clone::clone)?;
        let keys = offices.get(office);
        let key = keys.and_then(|k| k.current.as_deref()).ok_or_else(|| {
            reject(
                Rule::Signer,
                format!("office '{office}' is not registered here (unknown signer); register its enrollment file first"),
            )
        })?;
        let revoked = keys.map(|k| k.revoked.as_slice()).unwrap_or_default();
        refuse_revoked(manifest, key, revoked)?;
        let key =
            PublicSigningKey::from_base64(key).map_err(|e| reject(Rule::Signer, e.to_string()))?;
        let own = self.own_recipient.as_ref().map_err(Clone::clone)?;
        unverified.verify(&key, own)
    }

    /// A batch is sealed to central's import key and the backup recipient, and to nobody
    /// else (EXCHANGE.md, "Batch"). age's X25519 stanzas do not say whose they are: they are
    /// counted ([`refuse_recipient_count`]), and a stanza of any other type is refused, but
    /// for the one of a random `…-grease` type the age crate adds to every file.
    fn check_recipients(&self, stanzas: Stanzas) -> Result<(), Rejection> {
        if stanzas.other > 0 || stanzas.grease > 1 {
            return Err(reject(
                Rule::Recipient,
                "sealed to a recipient that is not an age X25519 key; batches go to central's import key and its backup recipient only",
            ));
        }
        let two = || self.two_recipients.clone();
        match refuse_recipient_count(stanzas.x25519, two)? {
            Some(reason) => Err(reject(Rule::Recipient, reason)),
            None => Ok(()),
        }
    }
}

/// The first record of a batch the model's rules refuse, by its number (from 1).
fn first_invalid(
    parsed: &Parsed,
    codes: &CodeExtensions,
    now: DateTime<Utc>,
) -> Option<(usize, ValidationError)> {
    parsed
        .records
        .iter()
        .zip(1..)
        .find_map(|((_, record), number)| {
            crate::model::validate::record(record, codes, now)
                .err()
                .map(|e| (number, e))
        })
}

/// Decrypts, parses and verifies one batch against this central, as an import would.
pub fn open_and_check(store: &CentralStore, bytes: &[u8]) -> Result<Parsed, Rejection> {
    Checker::of(store)
        .check(bytes)
        .map(|checked| checked.parsed)
}

fn office_keys(store: &CentralStore) -> Result<HashMap<String, OfficeKeys>, StoreError> {
    let mut keys = HashMap::new();
    for office in store.offices()? {
        let current = store.office_key(&office.id)?;
        let revoked = store.revoked_keys(&office.id)?;
        keys.insert(office.id, OfficeKeys { current, revoked });
    }
    Ok(keys)
}

fn store_rejection(e: StoreError) -> Rejection {
    reject(Rule::Store, e.to_string())
}

/// A revoked key signs nothing central accepts: neither the office's current key once
/// revoked, nor a key revoked before the office registered a new one.
fn refuse_revoked(
    manifest: &Manifest,
    current: &str,
    revoked: &[(String, String)],
) -> Result<(), Rejection> {
    let office = &manifest.office_id;
    for (key, at) in revoked {
        let day = at.get(..10).unwrap_or(at);
        if key == current {
            return Err(reject(
                Rule::Signer,
                format!(
                    "office {office}'s key was revoked on {day}; its batches are no longer accepted (enroll and register the office again)"
                ),
            ));
        }
        let signed_with_it =
            PublicSigningKey::from_base64(key).is_ok_and(|k| k.key_id() == manifest.office_key_id);
        if signed_with_it {
            return Err(reject(
                Rule::Signer,
                format!(
                    "signed with office {office}'s key {} revoked on {day}; the office registered a new key since",
                    manifest.office_key_id
                ),
            ));
        }
    }
    Ok(())
}

/// Central's import identity, from its store.
pub fn import_identity(store: &CentralStore) -> Result<AgeIdentity, Rejection> {
    let text = store
        .secret(names::IMPORT_IDENTITY)
        .map_err(store_rejection)?;
    std::str::from_utf8(&text)
        .ok()
        .and_then(AgeIdentity::from_file_text)
        .ok_or_else(|| reject(Rule::Store, "central's import identity is unreadable"))
}
