//! Central's sync with a stick (`linea central sync DIR`): import every batch on it, then
//! leave each registered office (its key not revoked) its receipt and its reference pack.

use std::path::Path;

use chrono::{TimeDelta, Utc};

use super::callers;
use super::import::{ImportError, ImportReport, Refusal, import_in_order};
use super::registry::names;
use crate::exchange::ExchangeError;
use crate::exchange::batch::sha256_hex;
use crate::exchange::mail::{self, Mail, Receipt};
use crate::exchange::pack::{Pack, PackContent};
use crate::exchange::stick::Stick;
use crate::keys::SigningKey;
use crate::store::{CentralStore, StoreError};

/// How long an office accepts a receipt or pack after central issued it.
const VALID_FOR: TimeDelta = TimeDelta::days(180);

#[derive(Debug, Default)]
pub struct CentralSyncReport {
    pub imported: Vec<ImportReport>,
    /// Batches refused, each set aside (or saying why it could not be).
    pub refused: Vec<Refusal>,
    /// (office, receipt version) written.
    pub receipts: Vec<(String, u64)>,
    pub packs: Vec<(String, u64)>,
}

/// Imports every batch on the stick at `dir` and leaves each office its receipt and pack. A
/// refused batch does not stop the others; it is set aside in `linea/refused/`, so the next
/// sync does not meet it again (the office writes its good batches again at every sync).
pub fn central_sync(
    store: &mut CentralStore,
    dir: &Path,
) -> Result<CentralSyncReport, ImportError> {
    let stick = Stick::at(dir);
    stick.prepare()?;
    let mut report = CentralSyncReport::default();
    let batches = stick.to_central();
    let files = Stick::files(&batches).map_err(ExchangeError::io(&batches))?;
    import_in_order(store, files, |path, outcome| {
        match outcome {
            Ok(imported) => report.imported.push(imported),
            Err(ImportError::Refused(mut refusal)) => {
                refusal.set_aside = stick.set_aside(path, refusal.rejection.rule);
                report.refused.push(refusal);
            }
            Err(other) => return Err(other),
        }
        Ok(())
    })?;
    store.end_exchange();
    let key = SigningKey::from_secret_bytes(&store.secret(names::SIGNING_KEY)?)
        .map_err(ExchangeError::from)?;
    for office in store.offices()? {
        // A revoked office's computer may be in other hands: it gets nothing more.
        if office.revoked_at.is_some() {
            continue;
        }
        let Some(recipient) = store.office_recipient(&office.id)? else {
            continue;
        };
        if let Some(receipt) = receipt_for(store, &office.id)? {
            let version = receipt.version;
            deliver(
                store,
                &stick,
                &office.id,
                Mail::Receipt(receipt),
                &key,
                &recipient,
            )?;
            report.receipts.push((office.id.clone(), version));
        }
        let pack = pack_for(store, &office.id)?;
        let version = pack.version;
        deliver(
            store,
            &stick,
            &office.id,
            Mail::Pack(Box::new(pack)),
            &key,
            &recipient,
        )?;
        report.packs.push((office.id.clone(), version));
    }
    Ok(report)
}

/// Writes a receipt or pack for an office, replacing the copies central left before.
fn deliver(
    store: &mut CentralStore,
    stick: &Stick,
    office: &str,
    mail: Mail,
    key: &SigningKey,
    recipient: &str,
) -> Result<(), ImportError> {
    let dir = stick.to_office();
    let kind = mail.kind();
    let sealed = mail::seal(&mail, key, recipient)
        .map_err(|r| ExchangeError::rejected(&dir, r.to_string()))?;
    let earlier: Vec<String> = store
        .stick_files()?
        .into_iter()
        .filter(|(_, k, o, _)| k == kind && o == office)
        .map(|(name, ..)| name)
        .collect();
    let prefix = if kind == "receipt" { "r" } else { "p" };
    let name = Stick::write(&dir, prefix, &sealed).map_err(ExchangeError::io(&dir))?;
    store.stick_file_written(&name, kind, office, 0)?;
    for name in earlier {
        Stick::remove(&dir, &name);
        store.stick_file_removed(&name)?;
    }
    Ok(())
}

/// A content's version: the same content keeps its number (a second sync changes nothing
/// at the office), new content gets the next one.
fn versioned(store: &mut CentralStore, name: &str, content: &str) -> Result<u64, StoreError> {
    let hash = sha256_hex(content.as_bytes());
    let (version, last_hash) = match store.setting(name)? {
        Some(value) => match value.split_once(':') {
            Some((v, h)) => (v.parse().unwrap_or(0), h.to_owned()),
            None => (0, String::new()),
        },
        None => (0, String::new()),
    };
    if last_hash == hash {
        return Ok(version);
    }
    let next = version + 1;
    store.set_setting(name, &format!("{next}:{hash}"))?;
    Ok(next)
}

fn receipt_for(store: &mut CentralStore, office: &str) -> Result<Option<Receipt>, StoreError> {
    let batches = store.imported_batches(office)?;
    if batches.is_empty() {
        return Ok(None);
    }
    let mut highest_contiguous = 0;
    while batches.iter().any(|b| b.seq == highest_contiguous + 1) {
        highest_contiguous += 1;
    }
    let received: Vec<u64> = batches
        .iter()
        .map(|b| b.seq)
        .filter(|seq| *seq > highest_contiguous)
        .collect();
    let coverage = format!("{highest_contiguous}:{received:?}");
    let version = versioned(store, &format!("receipt_sent:{office}"), &coverage)?;
    let issued_at = Utc::now();
    Ok(Some(Receipt {
        office_id: office.to_owned(),
        version,
        highest_contiguous,
        received,
        manifests: batches
            .iter()
            .map(|b| (b.seq, b.manifest_hash.clone()))
            .collect(),
        issued_at,
        expires_at: issued_at + VALID_FOR,
    }))
}

fn pack_for(store: &mut CentralStore, office: &str) -> Result<Pack, StoreError> {
    let mut content: PackContent = match store.latest_pack()? {
        Some(value) => serde_json::from_value(value)
            .map_err(|e| StoreError::Damaged(format!("the latest pack cannot be read: {e}")))?,
        None => PackContent::default(),
    };
    let outcomes = store.outcomes_for(office)?;
    content.phone_keys = callers::for_pack(store)?;
    // Taken now, not when the content was built: a backup recipient set or cleared since
    // reaches every office with its next pack.
    let backup_recipient = store.backup_recipient()?.map(|b| b.recipient);
    // Without a backup recipient the key is what it was before packs carried one, so an
    // upgraded central does not send every office a new version of the same pack.
    let key = match &backup_recipient {
        None => serde_json::to_string(&(&content, &outcomes)),
        Some(backup) => serde_json::to_string(&(&content, &outcomes, backup)),
    }
    .map_err(|e| StoreError::Damaged(e.to_string()))?;
    let version = versioned(store, &format!("pack_sent:{office}"), &key)?;
    let issued_at = Utc::now();
    Ok(Pack {
        office_id: office.to_owned(),
        version,
        issued_at,
        expires_at: issued_at + VALID_FOR,
        content,
        outcomes,
        backup_recipient,
    })
}
