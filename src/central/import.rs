//! Importing batches at central (EXCHANGE.md, "Importing a batch"), each in one transaction:
//! size cap before decrypting, decryption to a clean end, strict parsing, the signature of
//! the office's pinned (and not revoked) key, the trusted comment and recipient, the sequence
//! rules (an old batch is a no-op, a fork or a broken chain is refused and raises an alert
//! once, a gap is imported and listed), and records by version (never older over newer; the
//! same version with other content is kept as a conflict).

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::registry::names;
use crate::exchange::ExchangeError;
use crate::exchange::batch::{self, Parsed, Rejection, reject};
use crate::keys::{AgeIdentity, PublicSigningKey};
use crate::model::Record;
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
    /// Records written that name a record central has not received yet: it travels in a
    /// batch of this office still missing, and arrives when the gap is filled.
    pub awaiting_missing: usize,
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
    let bytes = read_batch(path)?;
    let parsed = open_and_check(store, &bytes).map_err(|r| refused(path, r))?;
    let shared = &*store;
    let outcome = shared.with_references_checked_by_caller(|| {
        shared.import(dry_run, |tx| import_parsed(shared, tx, &parsed, path))
    });
    match outcome {
        Err(ImportError::Refused(refusal))
            if refusal.rejection.rule == "fork" || refusal.rejection.rule == "chain" =>
        {
            // Refused, but central must know: the alert outlives the rolled-back import, and
            // is raised once however often the file comes back on a stick.
            if !dry_run {
                store.raise_alert(
                    &parsed.manifest.office_id,
                    parsed.manifest.seq,
                    refusal.rejection.rule,
                    &parsed.manifest_hash,
                    &refusal.rejection.detail,
                )?;
            }
            Err(ImportError::Refused(refusal))
        }
        other => other,
    }
}

/// Imports batch files in order: for real, each in its own transaction (a refused file holds
/// back none of the others). A dry run previews them as one run: one transaction, rolled back
/// at the end, in which each file sees the ones before it as imported (batch 2 updating what
/// batch 1 brought); a refused file's part is undone at once, as its import would write
/// nothing.
pub fn import_files(
    store: &mut Store,
    paths: &[PathBuf],
    dry_run: bool,
) -> Result<Vec<Result<ImportReport, Refusal>>, ImportError> {
    let results = if dry_run {
        preview_files(store, paths)
    } else {
        paths
            .iter()
            .map(|path| as_result(import_file(store, path, false)))
            .collect()
    };
    store.end_exchange();
    results
}

/// What importing `paths` would do, as one run, written nowhere.
fn preview_files(
    store: &Store,
    paths: &[PathBuf],
) -> Result<Vec<Result<ImportReport, Refusal>>, ImportError> {
    store.with_references_checked_by_caller(|| {
        store.import(true, |tx| {
            let mut results = Vec::with_capacity(paths.len());
            for path in paths {
                let previewed = store.within_savepoint(|| {
                    let bytes = read_batch(path)?;
                    let parsed = open_and_check(store, &bytes).map_err(|r| refused(path, r))?;
                    import_parsed(store, tx, &parsed, path)
                });
                results.push(as_result(previewed)?);
            }
            Ok(results)
        })
    })
}

/// A refusal is a result; anything else (the store, the disk) stops the run.
fn as_result(
    outcome: Result<ImportReport, ImportError>,
) -> Result<Result<ImportReport, Refusal>, ImportError> {
    match outcome {
        Ok(report) => Ok(Ok(report)),
        Err(ImportError::Refused(refusal)) => Ok(Err(refusal)),
        Err(other) => Err(other),
    }
}

fn refused(path: &Path, rejection: Rejection) -> ImportError {
    ImportError::Refused(Refusal {
        file: path.to_owned(),
        rejection,
    })
}

/// Reads a batch file, refusing one over the size cap before reading it (and reading no
/// more than the cap, should it grow meanwhile).
pub fn read_batch(path: &Path) -> Result<Vec<u8>, ImportError> {
    let over = |size: u64| {
        refused(
            path,
            reject(
                "size",
                format!("{size} bytes is over the cap of {}", batch::MAX_FILE),
            ),
        )
    };
    let file = fs::File::open(path).map_err(ExchangeError::io(path))?;
    let size = file.metadata().map_err(ExchangeError::io(path))?.len();
    if size > batch::MAX_FILE {
        return Err(over(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(batch::MAX_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(ExchangeError::io(path))?;
    if bytes.len() as u64 > batch::MAX_FILE {
        return Err(over(bytes.len() as u64));
    }
    Ok(bytes)
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
    refuse_revoked(store, &parsed, &key)?;
    let key = PublicSigningKey::from_base64(&key).map_err(|e| reject("signer", e.to_string()))?;
    let own = store
        .setting(names::IMPORT_RECIPIENT)
        .map_err(|e| reject("store", e.to_string()))?
        .ok_or_else(|| reject("store", "central's import recipient is missing"))?;
    batch::verify(&parsed, &key, &own)?;
    Ok(parsed)
}

/// A revoked key signs nothing central accepts: neither the office's current key once
/// revoked, nor a key revoked before the office registered a new one.
fn refuse_revoked(store: &Store, parsed: &Parsed, current: &str) -> Result<(), Rejection> {
    let office = &parsed.manifest.office_id;
    let revoked = store
        .revoked_keys(office)
        .map_err(|e| reject("store", e.to_string()))?;
    for (key, at) in &revoked {
        let day = at.get(..10).unwrap_or(at);
        if key == current {
            return Err(reject(
                "signer",
                format!(
                    "office {office}'s key was revoked on {day}; its batches are no longer accepted (enroll and register the office again)"
                ),
            ));
        }
        let signed_with_it = PublicSigningKey::from_base64(key)
            .is_ok_and(|k| k.key_id() == parsed.manifest.office_key_id);
        if signed_with_it {
            return Err(reject(
                "signer",
                format!(
                    "signed with office {office}'s key {} revoked on {day}; the office registered a new key since",
                    parsed.manifest.office_key_id
                ),
            ));
        }
    }
    Ok(())
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
    store: &Store,
    tx: &ImportTx<'_>,
    parsed: &Parsed,
    path: &Path,
) -> Result<ImportReport, ImportError> {
    let mut report = ImportReport {
        file: path.to_owned(),
        office_id: parsed.manifest.office_id.clone(),
        seq: parsed.manifest.seq,
        ..ImportReport::default()
    };
    apply_batch(store, tx, parsed, &mut report).map_err(|e| match e {
        ImportError::Refused(refusal) => refused(path, refusal.rejection),
        other => other,
    })?;
    Ok(report)
}

fn apply_batch(
    store: &Store,
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
    // While a batch before this one is missing, a record may name one that travels in it.
    let gap_before = (1..seq).any(|s| !known.iter().any(|b| b.seq == s));
    // Records are checked by the model's rules too: a signed batch is still input.
    let now = chrono::Utc::now() + chrono::TimeDelta::days(1);
    for ((line, record), number) in parsed.records.iter().zip(1..) {
        store
            .check_record(record, now)
            .map_err(|e| refusal("record", format!("record {number}: {e}")))?;
        let incoming_hash = batch::sha256_hex(line.as_bytes());
        let meta = record.meta();
        let stored = tx.stored(record.kind(), meta.id)?;
        let newer = stored
            .as_ref()
            .is_none_or(|s| s.meta().version < meta.version && s.meta().office_id == *office);
        if newer && references_wait(store, record, number, office, gap_before)? {
            report.awaiting_missing += 1;
        }
        match stored {
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

/// Checks what a record about to be written names, as foreign keys would, with the gap's
/// allowance (see `Store::with_references_checked_by_caller` for why SQLite does not): each
/// must be here and of the same office, or, while a batch of this office before this one is
/// missing, may be absent (it travels in the missing batch). Returns whether one is absent.
fn references_wait(
    store: &Store,
    record: &Record,
    number: usize,
    office: &str,
    gap_before: bool,
) -> Result<bool, ImportError> {
    let mut waits = false;
    for (kind, id) in record.references() {
        match store.record_office(kind, id)? {
            Some(owner) if owner == office => {}
            Some(owner) => {
                return Err(refusal(
                    "record",
                    format!(
                        "record {number} names {kind} {id} of office {owner}; an office's records name only its own"
                    ),
                ));
            }
            None if gap_before => waits = true,
            None => {
                return Err(refusal(
                    "record",
                    format!(
                        "record {number} names {kind} {id}, which central never received, and no earlier batch of office {office} is missing"
                    ),
                ));
            }
        }
    }
    Ok(waits)
}

/// A record the store cannot write is refused with the record's number, not a database
/// error.
fn store_refusal(number: usize, error: StoreError) -> ImportError {
    refusal(
        "record",
        format!("record {number} cannot be stored: {error}"),
    )
}

/// Sequence numbers missing below the newest batch received.
fn missing(batches: &[crate::store::ImportedBatch]) -> Vec<u64> {
    let newest = batches.iter().map(|b| b.seq).max().unwrap_or(0);
    (1..newest)
        .filter(|seq| !batches.iter().any(|b| b.seq == *seq))
        .collect()
}
