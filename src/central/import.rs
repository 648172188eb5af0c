//! Importing batches at central (EXCHANGE.md, "Importing a batch"), each in one transaction:
//! size cap before decrypting, decryption to a clean end, strict parsing, the signature of
//! the office's pinned (and not revoked) key, the trusted comment and recipient, the sequence
//! rules (an old batch is a no-op, a fork, a broken chain or a number far ahead is refused and
//! raises an alert once, a gap is imported and listed as ranges), and records by version
//! (never older over newer; the same version with other content is kept as a conflict). The
//! records are parsed only once the signature is good, and what the batch says of the
//! office's audit chain is compared with what its other batches said (an alert if the chain
//! shrank or was rewritten). The file's own checks, up to its records against the model's
//! rules, are `central::check`'s, on a second thread during a sync.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::check::{Checked, Checker};
pub use super::check::{import_identity, open_and_check};
use super::status::{Gap, gaps};
use crate::exchange::ExchangeError;
use crate::exchange::batch::{self, AuditHead, Parsed, Rejection, Rule, reject};
use crate::exchange::file;
use crate::keys::PhoneKeys;
use crate::model::{PhoneHash, Record, phone};
use crate::store::{BatchAudit, CentralStore, ImportTx, StoreError};

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
    store: &mut CentralStore,
    path: &Path,
    dry_run: bool,
) -> Result<ImportReport, ImportError> {
    let checked = check_file(&Checker::of(store), path);
    import_checked(store, path, checked, dry_run)
}

/// Reads and checks a batch file ([`Checker::check`]); the store is not touched.
fn check_file(checker: &Checker, path: &Path) -> Result<Checked, ImportError> {
    let bytes = read_batch(path)?;
    checker.check(&bytes).map_err(|r| refused(path, r))
}

/// Imports a batch file once checked, in its own transaction.
fn import_checked(
    store: &mut CentralStore,
    path: &Path,
    checked: Result<Checked, ImportError>,
    dry_run: bool,
) -> Result<ImportReport, ImportError> {
    let checked = checked?;
    let shared = &*store;
    let outcome = shared.with_references_checked_by_caller(|| {
        shared.import(dry_run, |tx| import_parsed(shared, tx, &checked, path))
    });
    match outcome {
        Err(ImportError::Refused(refusal)) if alarms(refusal.rejection.rule) => {
            let parsed = &checked.parsed;
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

/// Imports batch files in order, each in its own transaction (a refused file holds back
/// none of the others), while a second thread reads and checks the next file: decrypting,
/// decompressing, verifying and parsing a batch then costs no time of the writing one. It
/// runs one file ahead, no further, so memory holds two batches at most. `each` is given
/// every file's outcome in turn; an error it returns stops the run.
pub fn import_in_order(
    store: &mut CentralStore,
    paths: Vec<PathBuf>,
    mut each: impl FnMut(&Path, Result<ImportReport, ImportError>) -> Result<(), ImportError>,
) -> Result<(), ImportError> {
    let checker = Checker::of(store);
    std::thread::scope(|scope| {
        // No buffer: the checker hands a batch over only when the importer takes it.
        let (hand_over, checked) = std::sync::mpsc::sync_channel(0);
        let checker = &checker;
        scope.spawn(move || {
            for path in paths {
                let outcome = check_file(checker, &path);
                // The importer stopped: nothing more is wanted.
                if hand_over.send((path, outcome)).is_err() {
                    break;
                }
            }
        });
        for (path, outcome) in checked {
            each(&path, import_checked(store, &path, outcome, false))?;
            give_back_freed_memory();
        }
        Ok(())
    })
}

/// Returns to the system the memory a batch just imported held. The checking thread
/// allocated it, in an arena of its own that glibc would otherwise keep, fragmented, beside
/// the next batch's: at a million records the import's memory grew batch by batch past
/// 200 MiB.
fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory of the allocator's arenas; it touches no
    // allocation in use and takes no pointer.
    unsafe {
        libc::malloc_trim(0);
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
    store: &mut CentralStore,
    paths: &[PathBuf],
    dry_run: bool,
) -> Result<Vec<Result<ImportReport, Refusal>>, ImportError> {
    let results = if dry_run {
        preview_files(store, paths)
    } else {
        let mut results = Vec::with_capacity(paths.len());
        import_in_order(store, paths.to_vec(), |_, outcome| {
            results.push(as_result(outcome)?);
            Ok(())
        })
        .map(|()| results)
    };
    store.end_exchange();
    results
}

/// What importing `paths` would do, as one run, written nowhere.
fn preview_files(
    store: &CentralStore,
    paths: &[PathBuf],
) -> Result<Vec<Result<ImportReport, Refusal>>, ImportError> {
    let checker = Checker::of(store);
    store.with_references_checked_by_caller(|| {
        store.import(true, |tx| {
            let mut results = Vec::with_capacity(paths.len());
            for path in paths {
                let previewed = store.within_savepoint(|| {
                    let checked = check_file(&checker, path)?;
                    import_parsed(store, tx, &checked, path)
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

/// How far past the last batch received from an office a batch may be numbered. A gap is
/// imported and listed, but a number far beyond any real one is refused with an alert: an
/// office numbers its batches one after the other and writes again every batch without a
/// receipt at each sync, so a gap is a few batches lost on the way, never a thousand.
pub const MAX_GAP: u64 = 1_000;

fn refusal(rule: Rule, detail: String) -> ImportError {
    refused(Path::new(""), reject(rule, detail))
}

fn import_parsed(
    store: &CentralStore,
    tx: &ImportTx<'_>,
    checked: &Checked,
    path: &Path,
) -> Result<ImportReport, ImportError> {
    let parsed = &checked.parsed;
    let mut report = ImportReport {
        file: path.to_owned(),
        office_id: parsed.manifest.office_id.clone(),
        seq: parsed.manifest.seq,
        ..ImportReport::default()
    };
    apply_batch(store, tx, checked, &mut report).map_err(|e| match e {
        ImportError::Refused(refusal) => refused(path, refusal.rejection),
        other => other,
    })?;
    Ok(report)
}

fn apply_batch(
    store: &CentralStore,
    tx: &ImportTx<'_>,
    checked: &Checked,
    report: &mut ImportReport,
) -> Result<(), ImportError> {
    let parsed = &checked.parsed;
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
    let phone_keys = store.phone_keys()?;
    for ((line, record), number) in parsed.records.iter().zip(1..) {
        // Checked by the model's rules with the batch (a signed batch is still input), and
        // refused here, after the rules of its sequence.
        if let Some((invalid, e)) = &checked.invalid
            && *invalid == number
        {
            return Err(refusal(Rule::Record, format!("record {number}: {e}")));
        }
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
                link_caller(tx, record, &phone_keys);
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
                    if stored_hash == batch::sha256_hex(line.as_bytes()) {
                        report.unchanged += 1;
                    } else if let Some(number_given) = only_number_differs(&stored, record) {
                        // Sent again as a referral now names it, or under newer keys.
                        if number_given {
                            tx.put(record, false)
                                .map_err(|e| store_refusal(number, e))?;
                            let mut hashes = number_hashes(&stored, &phone_keys);
                            hashes.extend(number_hashes(record, &phone_keys));
                            link(tx, record, hashes);
                        }
                        report.unchanged += 1;
                    } else {
                        tx.conflict(office, record, &stored_hash, line, seq)?;
                        report.conflicts += 1;
                    }
                } else {
                    tx.put(record, false)
                        .map_err(|e| store_refusal(number, e))?;
                    link_caller(tx, record, &phone_keys);
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
    check_audit(tx, parsed)?;
    report.missing = gaps(known.iter().map(|b| b.seq).chain([seq]));
    Ok(())
}

/// Links a call to the other calls from its number (`store::callers`).
fn link_caller(tx: &ImportTx<'_>, record: &Record, keys: &PhoneKeys) {
    link(tx, record, number_hashes(record, keys))
}

/// (A hash given twice counts once: `store::central::callers::Links` reads each once.)
fn link(tx: &ImportTx<'_>, record: &Record, hashes: Vec<PhoneHash>) {
    if let Record::Call { meta, .. } = record {
        tx.link_caller(meta.id, hashes);
    }
}

/// The hashes a call's number is known by at central: those it came with, and, when it came
/// with the number itself, the number's hash under every key central made.
fn number_hashes(record: &Record, keys: &PhoneKeys) -> Vec<PhoneHash> {
    let Record::Call { fields, .. } = record else {
        return Vec::new();
    };
    let mut hashes = fields.caller_phone_hashes.clone();
    if let Some(number) = fields.caller_phone.as_deref().and_then(phone::normalise) {
        hashes.extend(keys.hashes(&number));
    }
    hashes
}

/// Whether a record central holds at the same version differs from the one received only
/// in the form of the caller's number: in clear, hashed under other keys, or absent (an
/// office sends a call again with its number once a referral names it). `Some(true)` when
/// the one received says more of the number (central keeps it), `Some(false)` when it says
/// no more, `None` when the records differ otherwise: a conflict.
fn only_number_differs(stored: &Record, received: &Record) -> Option<bool> {
    let (
        Record::Call {
            meta: stored_meta,
            fields: stored_fields,
        },
        Record::Call { meta, fields },
    ) = (stored, received)
    else {
        return None;
    };
    let without_number = |fields: &crate::model::CallFields| crate::model::CallFields {
        caller_phone: None,
        caller_phone_hashes: Vec::new(),
        ..fields.clone()
    };
    if stored_meta != meta || without_number(stored_fields) != without_number(fields) {
        return None;
    }
    let says_more = match (&stored_fields.caller_phone, &fields.caller_phone) {
        (None, Some(_)) => true,
        (Some(_), _) => false,
        (None, None) => fields
            .caller_phone_hashes
            .iter()
            .any(|h| !stored_fields.caller_phone_hashes.contains(h)),
    };
    Some(says_more)
}

/// Sets what the batch says of its office's audit chain against what the office's other
/// batches said (kept with each, so the order they arrive in does not matter), raises an
/// alert if they disagree, and keeps it with the batch.
fn check_audit(tx: &ImportTx<'_>, parsed: &Parsed) -> Result<(), ImportError> {
    let manifest = &parsed.manifest;
    let point = |p: &Option<AuditHead>| p.as_ref().map(|p| (p.entries, p.hash.clone()));
    let batch = BatchAudit {
        seq: manifest.seq,
        head: point(&manifest.audit_head),
        prev: point(&manifest.audit_prev),
    };
    let office = &manifest.office_id;
    if let Some(problem) = audit_problem(&batch, &tx.audit_kept(office)?) {
        tx.alert(
            office,
            manifest.seq,
            "audit",
            &parsed.manifest_hash,
            &format!("office {office}'s {problem}"),
        )?;
    }
    tx.keep_audit(office, &batch)?;
    Ok(())
}

/// What disagrees between what a batch says of its office's audit chain and what the
/// office's other batches said, if anything. A chain only grows, and its entries keep their
/// hashes:
/// - a head holds no fewer entries than the head of the batch before it;
/// - two batches that name the same entry give it the same hash. A head names its last
///   entry, and a batch also names the entry where the previous batch's head stood, hashed
///   as the chain holds it when the batch is made: so a chain rewritten, then extended, shows;
/// - that entry is the one the previous batch's head named, and an office that named one
///   goes on naming one (a store edited to steer or drop it shows);
/// - an office that sent a head goes on sending one.
///
/// Batches not here yet (a gap, one still on its way) are compared when they arrive; an
/// office registered again starts with no batches.
fn audit_problem(batch: &BatchAudit, kept: &[BatchAudit]) -> Option<String> {
    shrunk(batch, kept)
        .or_else(|| rewritten(batch, kept))
        .or_else(|| unlinked(batch, kept))
        .or_else(|| headless(batch, kept))
}

fn shrunk(batch: &BatchAudit, kept: &[BatchAudit]) -> Option<String> {
    let head = |b: &BatchAudit| Some((b.seq, b.head.as_ref()?.0));
    let this = head(batch)?;
    let before = kept
        .iter()
        .filter(|k| k.seq < batch.seq)
        .filter_map(head)
        .max();
    let after = kept
        .iter()
        .filter(|k| k.seq > batch.seq)
        .filter_map(head)
        .min();
    [before.map(|b| (b, this)), after.map(|a| (this, a))]
        .into_iter()
        .flatten()
        .find(|((_, earlier), (_, later))| later < earlier)
        .map(|((first, earlier), (second, later))| {
            format!(
                "audit chain shrank from {earlier} entries (batch {first}) to {later} (batch {second}): entries were deleted"
            )
        })
}

/// Every entry a batch names, as (count, hash).
fn points(batch: &BatchAudit) -> impl Iterator<Item = &(u64, String)> {
    batch.head.iter().chain(&batch.prev)
}

fn rewritten(batch: &BatchAudit, kept: &[BatchAudit]) -> Option<String> {
    points(batch).find_map(|(entries, hash)| {
        let other = kept
            .iter()
            .find(|k| points(k).any(|(e, h)| e == entries && h != hash))?;
        let (first, second) = if other.seq < batch.seq {
            (other.seq, batch.seq)
        } else {
            (batch.seq, other.seq)
        };
        Some(format!(
            "audit chain has another entry {entries} in batch {second} than in batch {first}: the chain was rewritten up to there"
        ))
    })
}

/// Each batch and the one just before it, where both are here.
fn unlinked(batch: &BatchAudit, kept: &[BatchAudit]) -> Option<String> {
    let at = |seq: u64| kept.iter().find(|k| k.seq == seq);
    let before = batch.seq.checked_sub(1).and_then(at);
    let after = batch.seq.checked_add(1).and_then(at);
    [before.map(|b| (b, batch)), after.map(|a| (batch, a))]
        .into_iter()
        .flatten()
        .find_map(|(before, after)| match (&before.head, &before.prev, &after.head, &after.prev) {
            (Some((ended, _)), _, _, Some((named, _))) if named != ended => Some(format!(
                "batch {} says its audit chain stood at entry {named} at batch {}, whose head said entry {ended}: the chain was rewritten",
                after.seq, before.seq
            )),
            (_, Some(_), Some(_), None) => Some(format!(
                "batch {} no longer says where its audit chain stood at batch {}, as batch {} did for the batch before it: the chain may have been rewritten",
                after.seq, before.seq, before.seq
            )),
            _ => None,
        })
}

fn headless(batch: &BatchAudit, kept: &[BatchAudit]) -> Option<String> {
    if batch.head.is_some() {
        return None;
    }
    let earlier = kept
        .iter()
        .filter(|k| k.seq < batch.seq && k.head.is_some())
        .map(|k| k.seq)
        .max()?;
    Some(format!(
        "batch {} carries no audit head, though its batch {earlier} did: its audit chain may have been damaged",
        batch.seq
    ))
}

/// Checks what a record about to be written names, as foreign keys would, with the gap's
/// allowance (see `CentralStore::with_references_checked_by_caller` for why SQLite does not): each
/// must be here and of the same office, or, while a batch of this office before this one is
/// missing, may be absent (it travels in the missing batch). Returns whether one is absent.
fn references_wait(
    store: &CentralStore,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn point(entries: u64, chain: &str) -> Option<(u64, String)> {
        Some((entries, format!("{chain}{entries}")))
    }

    /// Batch `seq` of an office whose chain gains ten entries between batches, its entries
    /// hashed as chain `chain` holds them (another chain, other hashes).
    fn batch(seq: u64, chain: &str) -> BatchAudit {
        BatchAudit {
            seq,
            head: point(10 * seq, chain),
            prev: (seq > 1).then(|| point(10 * (seq - 1), chain)).flatten(),
        }
    }

    /// Imports `batches` in this order; what each raised.
    fn arrive(batches: &[BatchAudit]) -> Vec<Option<String>> {
        let mut kept: Vec<BatchAudit> = Vec::new();
        batches
            .iter()
            .map(|b| {
                let problem = audit_problem(b, &kept);
                kept.push(b.clone());
                problem
            })
            .collect()
    }

    fn raised(batches: &[BatchAudit]) -> Vec<String> {
        arrive(batches).into_iter().flatten().collect()
    }

    #[test]
    fn an_honest_office_raises_nothing_in_any_order_or_with_a_gap() {
        let honest: Vec<BatchAudit> = [1, 2, 3, 5, 6].map(|seq| batch(seq, "h")).into();
        let mut orders = vec![honest.clone(), honest.iter().rev().cloned().collect()];
        orders.push([2, 0, 4, 1, 3].map(|i| honest[i].clone()).into());
        for order in orders {
            assert_eq!(raised(&order), Vec::<String>::new(), "{order:?}");
        }
    }

    /// Batches made before manifests carried these, and the first batch after an upgrade
    /// (its office had not noted a batch's head yet), name no previous entry.
    #[test]
    fn older_batches_and_a_first_batch_name_no_previous_entry_and_raise_nothing() {
        let old = |seq| BatchAudit {
            prev: None,
            ..batch(seq, "h")
        };
        let batches = [
            BatchAudit {
                seq: 1,
                head: None,
                prev: None,
            },
            old(2),
            old(3),
            batch(4, "h"),
        ];
        assert_eq!(raised(&batches), Vec::<String>::new());
        assert_eq!(
            raised(&[batch(4, "h"), old(3), old(2)]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_chain_rewritten_then_extended_raises_an_alert_whichever_batch_comes_first() {
        // The chain was rewritten after batch 2 was made: batch 3's entry 20 is another.
        let batches = [batch(1, "h"), batch(2, "h"), batch(3, "x")];
        let problems = arrive(&batches);
        assert_eq!(problems[..2], [None, None]);
        assert_eq!(
            problems[2].as_deref(),
            Some(
                "audit chain has another entry 20 in batch 3 than in batch 2: the chain was rewritten up to there"
            )
        );
        let problems = arrive(&[batch(3, "x"), batch(1, "h"), batch(2, "h")]);
        assert_eq!(problems[..2], [None, None]);
        assert!(
            problems[2]
                .as_deref()
                .is_some_and(|p| p.contains("rewritten")),
            "{problems:?}"
        );
    }

    /// linea records a chain cut behind its back (`audit.cut`) and goes on from there: the
    /// entries before the cut keep their hashes.
    #[test]
    fn a_chain_cut_after_what_central_saw_raises_nothing_and_before_it_an_alert() {
        let cut_after = BatchAudit {
            head: point(25, "cut"),
            ..batch(2, "h")
        };
        assert_eq!(raised(&[batch(1, "h"), cut_after]), Vec::<String>::new());
        let cut_before = BatchAudit {
            head: point(25, "cut"),
            prev: point(10, "cut"),
            seq: 2,
        };
        let raised = raised(&[batch(1, "h"), cut_before]);
        assert!(raised[0].contains("rewritten"), "{raised:?}");
    }

    /// An office's store edited to steer or drop the entry it names.
    #[test]
    fn a_batch_naming_another_entry_than_its_previous_head_or_none_raises_an_alert() {
        let steered = BatchAudit {
            prev: point(3, "h"),
            ..batch(2, "x")
        };
        let problems = raised(&[batch(1, "h"), steered.clone()]);
        assert!(
            problems[0].contains(
                "batch 2 says its audit chain stood at entry 3 at batch 1, whose head said entry 10"
            ),
            "{problems:?}"
        );
        assert_eq!(raised(&[steered, batch(1, "h")]).len(), 1);
        let dropped = BatchAudit {
            prev: None,
            ..batch(3, "x")
        };
        let problems = raised(&[batch(1, "h"), batch(2, "h"), dropped]);
        assert!(
            problems[0].contains("batch 3 no longer says where its audit chain stood at batch 2"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_shortened_chain_or_a_missing_head_raises_an_alert_in_either_order() {
        let short = BatchAudit {
            head: point(15, "h"),
            ..batch(3, "h")
        };
        for order in [
            [batch(2, "h"), short.clone()],
            [short.clone(), batch(2, "h")],
        ] {
            let problems = raised(&order);
            assert_eq!(
                problems,
                [
                    "audit chain shrank from 20 entries (batch 2) to 15 (batch 3): entries were deleted"
                ]
            );
        }
        let headless = BatchAudit {
            head: None,
            ..batch(3, "h")
        };
        let problems = raised(&[batch(2, "h"), headless]);
        assert!(
            problems[0].contains("batch 3 carries no audit head, though its batch 2 did"),
            "{problems:?}"
        );
    }
}
