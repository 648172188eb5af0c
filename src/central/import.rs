//! Importing batches at central (EXCHANGE.md, "Importing a batch"), each in one transaction:
//! size cap before decrypting, decryption to a clean end, strict parsing, the signature of
//! the office's pinned key, the trusted comment and recipient, the sequence rules (an old
//! batch is a no-op, a fork or a broken chain is refused and raises an alert, a gap is
//! imported and listed), and records by version (never older over newer; the same version
//! with other content is kept as a conflict).

use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::registry::names;
use crate::exchange::ExchangeError;
use crate::exchange::batch::{self, Parsed, Rejection, reject};
use crate::keys::{AgeIdentity, PublicSigningKey};
use crate::model::{Record, validate};
use crate::store::{ImportTx, Store, StoreError, StoreKind};

/// What importing one batch did (or, on a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub file: PathBuf,
    pub office_id: String,
    pub seq: u64,
    /// The batch was imported before: nothing to do.
    pub already_imported: bool,
    pub new: usize,
    pub updated: usize,
    /// Records not newer than central's copy, with the same content.
    pub unchanged: usize,
    /// Older versions than central's: ignored.
    pub older: usize,
    /// The same version with other content: kept apart, shown, never overwriting.
    pub conflicts: usize,
    /// Sequence numbers of this office still missing below the newest one.
    pub missing: Vec<u64>,
}

/// A refused file: which, why (the rule), and what was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub file: PathBuf,
    pub rejection: Rejection,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: refused ({})", self.file.display(), self.rejection)
    }
}

/// Imports one batch file; on any failure nothing is written (alerts apart) and the
/// refusal names the file and the rule.
pub fn import_file(
    store: &mut Store,
    path: &Path,
    dry_run: bool,
) -> Result<ImportReport, ImportError> {
    let refused = |rejection: Rejection| {
        ImportError::Refused(Refusal {
            file: path.to_owned(),
            rejection,
        })
    };
    let size = fs::metadata(path).map_err(ExchangeError::io(path))?.len();
    if size > batch::MAX_FILE {
        return Err(refused(reject(
            "size",
            format!("{size} bytes is over the cap of {}", batch::MAX_FILE),
        )));
    }
    let bytes = fs::read(path).map_err(ExchangeError::io(path))?;
    let parsed = open_and_check(store, &bytes).map_err(refused)?;
    let mut report = ImportReport {
        file: path.to_owned(),
        office_id: parsed.manifest.office_id.clone(),
        seq: parsed.manifest.seq,
        ..ImportReport::default()
    };
    let outcome = store.import(dry_run, |tx| import_parsed(tx, &parsed, &mut report));
    match outcome {
        Ok(()) => Ok(report),
        Err(ImportError::Refused(refusal))
            if refusal.rejection.rule == "fork" || refusal.rejection.rule == "chain" =>
        {
            // Refused, but central must know: the alert outlives the rolled-back import.
            if !dry_run {
                store.import::<(), ImportError>(false, |tx| {
                    tx.alert(
                        &parsed.manifest.office_id,
                        refusal.rejection.rule,
                        &refusal.rejection.detail,
                    )?;
                    Ok(())
                })?;
            }
            Err(ImportError::Refused(Refusal {
                file: path.to_owned(),
                ..refusal
            }))
        }
        Err(ImportError::Refused(refusal)) => Err(ImportError::Refused(Refusal {
            file: path.to_owned(),
            ..refusal
        })),
        Err(other) => Err(other),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Refused(Refusal),
    #[error(transparent)]
    Exchange(#[from] ExchangeError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Decrypts, parses and verifies a batch against this central and the sender's pinned key.
pub fn open_and_check(store: &Store, bytes: &[u8]) -> Result<Parsed, Rejection> {
    if store.kind() != StoreKind::Central {
        return Err(reject(
            "store",
            "this is an office store; batches are imported at central",
        ));
    }
    let identity = import_identity(store)?;
    let inner = batch::open(bytes, &identity)?;
    let parsed = batch::parse(&inner)?;
    let office = &parsed.manifest.office_id;
    let key = store
        .office_key(office)
        .map_err(|e| reject("store", e.to_string()))?
        .ok_or_else(|| {
            reject(
                "signer",
                format!("office '{office}' is not registered here (unknown signer); register its enrollment file first"),
            )
        })?;
    let key = PublicSigningKey::from_base64(&key).map_err(|e| reject("signer", e.to_string()))?;
    let own = store
        .setting(names::IMPORT_RECIPIENT)
        .map_err(|e| reject("store", e.to_string()))?
        .ok_or_else(|| reject("store", "central's import recipient is missing"))?;
    batch::verify(&parsed, &key, &own)?;
    Ok(parsed)
}

/// Central's import identity, from its store.
pub fn import_identity(store: &Store) -> Result<AgeIdentity, Rejection> {
    let text = store
        .secret(names::IMPORT_IDENTITY)
        .map_err(|e| reject("store", e.to_string()))?;
    std::str::from_utf8(&text)
        .ok()
        .and_then(AgeIdentity::from_file_text)
        .ok_or_else(|| reject("store", "central's import identity is unreadable"))
}

/// How far past the last batch received from an office a batch may be numbered. A gap is
/// imported and listed, but a number far beyond any real one is refused: listing the gap would
/// not end (an office makes a few batches a day; every sync rewrites the ones still unreceipted).
pub const MAX_GAP: u64 = 10_000;

fn refusal(rule: &'static str, detail: String) -> ImportError {
    ImportError::Refused(Refusal {
        file: PathBuf::new(),
        rejection: reject(rule, detail),
    })
}

fn import_parsed(
    tx: &ImportTx<'_>,
    parsed: &Parsed,
    report: &mut ImportReport,
) -> Result<(), ImportError> {
    let manifest = &parsed.manifest;
    let office = &manifest.office_id;
    let seq = manifest.seq;
    if seq == 0 {
        return Err(refusal("sequence", "batch numbers start at 1".into()));
    }
    let known = tx.batches(office)?;
    let highest = known.iter().map(|b| b.seq).max().unwrap_or(0);
    if seq.saturating_sub(highest) > MAX_GAP {
        return Err(refusal(
            "sequence",
            format!(
                "batch {seq} of office {office} is more than {MAX_GAP} past the last received ({highest})"
            ),
        ));
    }
    if let Some(same) = known.iter().find(|b| b.seq == seq) {
        if same.manifest_hash == parsed.manifest_hash {
            report.already_imported = true;
            report.missing = missing(&known);
            return Ok(());
        }
        return Err(refusal(
            "fork",
            format!(
                "office {office} sent two different batches numbered {seq}: its store may have been restored from an old copy"
            ),
        ));
    }
    // The chain: this batch names the one before, and the one after (if here) names this.
    match known.iter().find(|b| b.seq + 1 == seq) {
        Some(previous) if previous.manifest_hash != manifest.prev_manifest => {
            return Err(refusal(
                "chain",
                format!(
                    "batch {seq} of office {office} does not follow batch {} received before",
                    seq - 1
                ),
            ));
        }
        None if seq == 1 && !manifest.prev_manifest.is_empty() => {
            return Err(refusal(
                "chain",
                "the first batch names a batch before it".into(),
            ));
        }
        _ => {}
    }
    if let Some(next) = known.iter().find(|b| b.seq == seq + 1)
        && next.prev_hash != parsed.manifest_hash
    {
        return Err(refusal(
            "chain",
            format!(
                "batch {seq} of office {office} is not the one batch {} follows",
                seq + 1
            ),
        ));
    }
    // Records are checked by the model's rules too: a signed batch is still input.
    let now = chrono::Utc::now() + chrono::TimeDelta::days(1);
    for ((line, record), number) in parsed.records.iter().zip(1..) {
        check_record(record, now)
            .map_err(|e| refusal("record", format!("record {number}: {e}")))?;
        let incoming_hash = batch::sha256_hex(line.as_bytes());
        let meta = record.meta();
        match tx.stored(record.kind(), meta.id)? {
            None => {
                tx.put(record, true).map_err(|e| store_refusal(number, e))?;
                report.new += 1;
            }
            Some(stored) => {
                let stored_meta = stored.meta();
                // An office's key signs for its own records only, never another's.
                if stored_meta.office_id != *office {
                    return Err(refusal(
                        "record",
                        format!(
                            "record {number} is {} {} of office {}; office {office} cannot change it",
                            record.kind(),
                            meta.id,
                            stored_meta.office_id
                        ),
                    ));
                }
                if stored_meta.version > meta.version {
                    report.older += 1;
                } else if stored_meta.version == meta.version {
                    let stored_hash = batch::record_line(&stored)
                        .map(|l| batch::sha256_hex(l.as_bytes()))
                        .map_err(|r| {
                            ImportError::Refused(Refusal {
                                file: PathBuf::new(),
                                rejection: r,
                            })
                        })?;
                    if stored_hash == incoming_hash {
                        report.unchanged += 1;
                    } else {
                        tx.conflict(office, record, &stored_hash, line, seq)?;
                        report.conflicts += 1;
                    }
                } else {
                    tx.put(record, false)
                        .map_err(|e| store_refusal(number, e))?;
                    report.updated += 1;
                }
            }
        }
    }
    tx.batch_imported(
        office,
        seq,
        &parsed.manifest_hash,
        &manifest.prev_manifest,
        parsed.records.len(),
        &manifest.created_at,
    )?;
    let mut all = known;
    all.push(crate::store::ImportedBatch {
        seq,
        manifest_hash: parsed.manifest_hash.clone(),
        prev_hash: manifest.prev_manifest.clone(),
        record_count: parsed.records.len() as u64,
        imported_at: String::new(),
    });
    report.missing = missing(&all);
    Ok(())
}

/// A record that breaks a foreign key (a call naming a case central never received) is
/// refused with the record's number, not a database error.
fn store_refusal(number: usize, error: StoreError) -> ImportError {
    refusal(
        "record",
        format!("record {number} cannot be stored: {error}"),
    )
}

fn check_record(record: &Record, now: chrono::DateTime<chrono::Utc>) -> Result<(), String> {
    match record {
        Record::Call { fields, .. } => validate::call((**fields).clone(), now).map(|_| ()),
        Record::Case { fields, .. } => validate::case(fields.clone()).map(|_| ()),
        Record::Person { fields, .. } => validate::person(fields.clone()).map(|_| ()),
        Record::Referral {
            fields, history, ..
        } => {
            for change in history {
                validate::status_change(&change.status, &change.note).map_err(|e| e.to_string())?;
            }
            // The call a referral names may have been purged at the office since: its own
            // dates are checked without it.
            validate::referral(fields.clone(), None, now).map(|_| ())
        }
    }
    .map_err(|e| e.to_string())
}

/// Sequence numbers missing below the newest batch received.
fn missing(batches: &[crate::store::ImportedBatch]) -> Vec<u64> {
    let newest = batches.iter().map(|b| b.seq).max().unwrap_or(0);
    (1..newest)
        .filter(|seq| !batches.iter().any(|b| b.seq == *seq))
        .collect()
}
