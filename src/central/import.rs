//! Importing batches at central (EXCHANGE.md, "Importing a batch"), each in one transaction:
//! size cap before decrypting, decryption to a clean end, strict parsing, the signature of
//! the office's pinned (and not revoked) key, the trusted comment and recipient, the sequence
//! rules (an old batch is a no-op, a fork, a broken chain or a number far ahead is refused and
//! raises an alert once, a gap is imported and listed as ranges), and records by version
//! (never older over newer; the same version with other content is kept as a conflict). The
//! records are parsed only once the signature is good, and the office's audit head the batch
//! carries is compared with the one central keeps (an alert if the chain shrank or changed).

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::backup::refuse_batch_recipients;
use super::registry::names;
use super::status::{Gap, gaps};
use crate::exchange::ExchangeError;
use crate::exchange::age_header::{self, Stanzas};
use crate::exchange::batch::{self, Manifest, Parsed, Rejection, Rule, reject};
use crate::exchange::file;
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
    pub missing: Vec<Gap>,
}

/// A refused file: which, why (the rule), and what was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub file: PathBuf,
    pub rejection: Rejection,
    /// Where a sync set the file aside, or why it could not.
    pub set_aside: Option<String>,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: refused ({})", self.file.display(), self.rejection)?;
        match &self.set_aside {
            Some(note) => write!(f, "; {note}"),
            None => Ok(()),
        }
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
        Err(ImportError::Refused(refusal)) if alarms(refusal.rejection.rule) => {
            // Refused, but central must know: the alert outlives the rolled-back import, and
            // is raised once however often the file comes back on a stick.
            if !dry_run {
                store.raise_alert(
                    &parsed.manifest.office_id,
                    parsed.manifest.seq,
                    refusal.rejection.rule.name(),
                    &parsed.manifest_hash,
                    &refusal.rejection.detail,
                )?;
            }
            Err(ImportError::Refused(refusal))
        }
        other => other,
    }
}

/// Refusals of a well-signed batch that say something is wrong at the office: two batches
/// with one number, a broken chain, a number far ahead of any real one.
fn alarms(rule: Rule) -> bool {
    matches!(rule, Rule::Fork | Rule::Chain | Rule::Sequence)
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
        set_aside: None,
    })
}

/// Reads a batch file, refusing one over the size cap (or not a regular file) before reading
/// it.
pub fn read_batch(path: &Path) -> Result<Vec<u8>, ImportError> {
    file::read(path, batch::MAX_FILE).map_err(|r| refused(path, r))
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
            Rule::Store,
            "this is an office store; batches are imported at central",
        ));
    }
    check_recipients(store, age_header::scan(bytes)?)?;
    let identity = import_identity(store)?;
    let inner = batch::open(bytes, &identity)?;
    let unverified = batch::parse(&inner)?;
    let manifest = &unverified.manifest;
    let office = &manifest.office_id;
    let key = store
        .office_key(office)
        .map_err(store_rejection)?
        .ok_or_else(|| {
            reject(
                Rule::Signer,
                format!("office '{office}' is not registered here (unknown signer); register its enrollment file first"),
            )
        })?;
    refuse_revoked(store, manifest, &key)?;
    let key =
        PublicSigningKey::from_base64(&key).map_err(|e| reject(Rule::Signer, e.to_string()))?;
    let own = store
        .setting(names::IMPORT_RECIPIENT)
        .map_err(store_rejection)?
        .ok_or_else(|| reject(Rule::Store, "central's import recipient is missing"))?;
    unverified.verify(&key, &own)
}

/// A batch is sealed to central's import key and the backup recipient, and to nobody else
/// (EXCHANGE.md, "Batch"). age's X25519 stanzas do not say whose they are: they are counted
/// ([`refuse_batch_recipients`]), and a stanza of any other type is refused, but for the one
/// of a random `…-grease` type the age crate adds to every file.
fn check_recipients(store: &Store, stanzas: Stanzas) -> Result<(), Rejection> {
    if stanzas.other > 0 || stanzas.grease > 1 {
        return Err(reject(
            Rule::Recipient,
            "sealed to a recipient that is not an age X25519 key; batches go to central's import key and its backup recipient only",
        ));
    }
    match refuse_batch_recipients(store, stanzas.x25519).map_err(store_rejection)? {
        Some(reason) => Err(reject(Rule::Recipient, reason)),
        None => Ok(()),
    }
}

fn store_rejection(e: StoreError) -> Rejection {
    reject(Rule::Store, e.to_string())
}

/// A revoked key signs nothing central accepts: neither the office's current key once
/// revoked, nor a key revoked before the office registered a new one.
fn refuse_revoked(store: &Store, manifest: &Manifest, current: &str) -> Result<(), Rejection> {
    let office = &manifest.office_id;
    let revoked = store.revoked_keys(office).map_err(store_rejection)?;
    for (key, at) in &revoked {
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
pub fn import_identity(store: &Store) -> Result<AgeIdentity, Rejection> {
    let text = store
        .secret(names::IMPORT_IDENTITY)
        .map_err(store_rejection)?;
    std::str::from_utf8(&text)
        .ok()
        .and_then(AgeIdentity::from_file_text)
        .ok_or_else(|| reject(Rule::Store, "central's import identity is unreadable"))
}

/// How far past the last batch received from an office a batch may be numbered. A gap is
/// imported and listed, but a number far beyond any real one is refused with an alert: an
/// office numbers its batches one after the other and writes again every batch without a
/// receipt at each sync, so a gap is a few batches lost on the way, never a thousand.
pub const MAX_GAP: u64 = 1_000;

fn refusal(rule: Rule, detail: String) -> ImportError {
    refused(Path::new(""), reject(rule, detail))
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
        return Err(refusal(Rule::Sequence, "batch numbers start at 1".into()));
    }
    let known = tx.batches(office)?;
    let highest = known.iter().map(|b| b.seq).max().unwrap_or(0);
    if seq.saturating_sub(highest) > MAX_GAP {
        return Err(refusal(
            Rule::Sequence,
            format!(
                "batch {seq} of office {office} is more than {MAX_GAP} past the last received ({highest}); no office numbers so far ahead"
            ),
        ));
    }
    if let Some(same) = known.iter().find(|b| b.seq == seq) {
        if same.manifest_hash == parsed.manifest_hash {
            report.already_imported = true;
            report.missing = gaps(known.iter().map(|b| b.seq));
            return Ok(());
        }
        return Err(refusal(
            Rule::Fork,
            format!(
                "office {office} sent two different batches numbered {seq}: its store may have been restored from an old copy"
            ),
        ));
    }
    // The chain: this batch names the one before, and the one after (if here) names this.
    match known.iter().find(|b| b.seq + 1 == seq) {
        Some(previous) if previous.manifest_hash != manifest.prev_manifest => {
            return Err(refusal(
                Rule::Chain,
                format!(
                    "batch {seq} of office {office} does not follow batch {} received before",
                    seq - 1
                ),
            ));
        }
        None if seq == 1 && !manifest.prev_manifest.is_empty() => {
            return Err(refusal(
                Rule::Chain,
                "the first batch names a batch before it".into(),
            ));
        }
        _ => {}
    }
    if let Some(next) = known.iter().find(|b| b.seq == seq + 1)
        && next.prev_hash != parsed.manifest_hash
    {
        return Err(refusal(
            Rule::Chain,
            format!(
                "batch {seq} of office {office} is not the one batch {} follows",
                seq + 1
            ),
        ));
    }
    // While a batch before this one is missing, a record may name one that travels in it.
    // (Numbers are unique: all of 1..seq are here when seq - 1 of them are.)
    let gap_before = known.iter().filter(|b| b.seq < seq).count() as u64 != seq - 1;
    // Records are checked by the model's rules too: a signed batch is still input.
    let now = chrono::Utc::now() + chrono::TimeDelta::days(1);
    for ((line, record), number) in parsed.records.iter().zip(1..) {
        store
            .check_record(record, now)
            .map_err(|e| refusal(Rule::Record, format!("record {number}: {e}")))?;
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
                        Rule::Record,
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
                        .map_err(|r| refused(Path::new(""), r))?;
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
    check_audit_head(tx, parsed)?;
    report.missing = gaps(known.iter().map(|b| b.seq).chain([seq]));
    Ok(())
}

/// The meta key under which central keeps the newest audit head an office's key sent: a new
/// installation (a new key) starts a new chain.
fn audit_head_key(manifest: &Manifest) -> String {
    format!(
        "office_audit_head:{}:{}",
        manifest.office_id, manifest.office_key_id
    )
}

/// Compares the office's audit head the batch carries with the newest central keeps (as
/// "batch:entries:hash"), raising an alert if the chain shrank between two batches or holds
/// as many entries with another hash: entries were deleted, or the chain rewritten. Batches
/// may arrive out of order, so the comparison goes by batch number. The newest head is kept.
fn check_audit_head(tx: &ImportTx<'_>, parsed: &Parsed) -> Result<(), ImportError> {
    let manifest = &parsed.manifest;
    let key = audit_head_key(manifest);
    let kept = tx.setting(&key)?.and_then(|text| {
        let mut parts = text.splitn(3, ':');
        let seq: u64 = parts.next()?.parse().ok()?;
        let entries: u64 = parts.next()?.parse().ok()?;
        Some((seq, entries, parts.next()?.to_owned()))
    });
    let office = &manifest.office_id;
    let problem = match (&manifest.audit_head, &kept) {
        (_, None) => None,
        (None, Some((kept_seq, ..))) => (*kept_seq < manifest.seq).then(|| {
            format!(
                "office {office}'s batch {} carries no audit head, though its batch {kept_seq} did: its audit chain may have been damaged",
                manifest.seq
            )
        }),
        (Some(head), Some((kept_seq, kept_entries, kept_hash))) => {
            let incoming = (manifest.seq, head.entries, head.hash.as_str());
            let kept = (*kept_seq, *kept_entries, kept_hash.as_str());
            let (before, after) = if incoming.0 > kept.0 {
                (kept, incoming)
            } else {
                (incoming, kept)
            };
            if after.1 < before.1 {
                Some(format!(
                    "office {office}'s audit chain shrank from {} entries (batch {}) to {} (batch {}): entries were deleted",
                    before.1, before.0, after.1, after.0
                ))
            } else if after.1 == before.1 && after.2 != before.2 {
                Some(format!(
                    "office {office}'s audit chain holds {} entries in batches {} and {} with another last entry: the chain was rewritten",
                    after.1, before.0, after.0
                ))
            } else {
                None
            }
        }
    };
    if let Some(detail) = problem {
        tx.alert(
            office,
            manifest.seq,
            "audit",
            &parsed.manifest_hash,
            &detail,
        )?;
    }
    if let Some(head) = &manifest.audit_head
        && kept.is_none_or(|(kept_seq, ..)| manifest.seq > kept_seq)
    {
        tx.set_setting(
            &key,
            &format!("{}:{}:{}", manifest.seq, head.entries, head.hash),
        )?;
    }
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
                    Rule::Record,
                    format!(
                        "record {number} names {kind} {id} of office {owner}; an office's records name only its own"
                    ),
                ));
            }
            None if gap_before => waits = true,
            None => {
                return Err(refusal(
                    Rule::Record,
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
        Rule::Record,
        format!("record {number} cannot be stored: {error}"),
    )
}
