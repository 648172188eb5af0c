//! An office's sync with a stick (`linea sync DIR`, F9): apply central's receipts and packs
//! found on it, make a batch of what changed, and write every batch central has not yet
//! acknowledged.

use std::collections::HashSet;
use std::path::Path;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::ExchangeError;
use super::batch::{
    self, AuditHead, MAX_BATCH_BYTES, MAX_RECORDS, Manifest, ManifestEntry, Rejection, Rule,
};
use super::enrollment::names;
use super::file;
use super::mail::{self, Mail};
use super::pack::Pack;
use super::stick::{BATCH_PREFIX, Stick};
use crate::keys::slots::parse_recipient;
use crate::keys::{AgeIdentity, PhoneKeys, PublicSigningKey, SigningKey};
use crate::model::{Record, StatusChange, phone};
use crate::store::{BatchStart, OfficeStore, ReadAhead, RetentionReport, StoreError};

/// What a sync did, for the operator to read.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SyncReport {
    pub receipts_applied: Vec<u64>,
    pub packs_applied: Vec<u64>,
    pub outcomes_applied: usize,
    /// Files refused, each with its reason, and where it was set aside: the next sync does
    /// not meet them again.
    pub refused: Vec<String>,
    pub batches_made: Vec<u64>,
    pub batches_written: Vec<u64>,
    /// Batches still waiting for central's receipt, and how long the oldest has waited.
    pub waiting: usize,
    pub oldest_wait_days: Option<i64>,
    /// What retention purged at the end; `None` when the office keeps everything.
    pub purged: Option<RetentionReport>,
}

/// Runs an office sync with the stick at `dir`.
pub fn office_sync(store: &mut OfficeStore, dir: &Path) -> Result<SyncReport, ExchangeError> {
    let mut sync = OfficeSync::start(dir)?;
    while sync.step(store)? != Phase::Done {}
    Ok(sync.into_report())
}

/// Where a sync is. The steps are separate so a screen can draw its progress between
/// them; each leaves the store consistent, so stopping between two loses nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Reading and applying central's receipts and reference packs.
    ReadingMail,
    /// Making batches of what changed, one per step.
    MakingBatches,
    /// Writing every batch without a receipt to the stick.
    WritingBatches,
    /// Purging what central has and the retention period lets go.
    Retention,
    Done,
}

impl Phase {
    /// How far along the sync is at the start of this phase, from 0 to 1.
    pub fn progress(self) -> f64 {
        match self {
            Phase::ReadingMail => 0.0,
            Phase::MakingBatches => 0.25,
            Phase::WritingBatches => 0.5,
            Phase::Retention => 0.85,
            Phase::Done => 1.0,
        }
    }
}

/// An office sync done step by step (`office_sync` runs every step at once).
pub struct OfficeSync {
    stick: Stick,
    phase: Phase,
    report: SyncReport,
    /// The next batch's records, read while the last one was signed and compressed.
    ahead: ReadAhead<Prepared>,
}

impl OfficeSync {
    /// Readies the stick's folders.
    pub fn start(dir: &Path) -> Result<OfficeSync, ExchangeError> {
        let stick = Stick::at(dir);
        stick.prepare()?;
        Ok(OfficeSync {
            stick,
            phase: Phase::ReadingMail,
            report: SyncReport::default(),
            ahead: ReadAhead::new(),
        })
    }

    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// What the sync has done so far.
    pub fn report(&self) -> &SyncReport {
        &self.report
    }

    pub fn into_report(self) -> SyncReport {
        self.report
    }

    /// Does the next piece of work and returns the phase that comes next.
    pub fn step(&mut self, store: &mut OfficeStore) -> Result<Phase, ExchangeError> {
        self.phase = match self.phase {
            Phase::ReadingMail => {
                read_mail(store, &self.stick, &mut self.report)?;
                Phase::MakingBatches
            }
            Phase::MakingBatches => {
                let mut numbers = Numbers::of(store)?;
                let outgoing = |record| prepare(numbers.outgoing(record));
                match store.make_batch_ahead(
                    &mut self.ahead,
                    MAX_RECORDS,
                    MAX_BATCH_BYTES,
                    outgoing,
                    build,
                )? {
                    Some(made) => {
                        self.report.batches_made.push(made.seq);
                        Phase::MakingBatches
                    }
                    None => Phase::WritingBatches,
                }
            }
            Phase::WritingBatches => {
                write_batches(store, &self.stick, &mut self.report)?;
                Phase::Retention
            }
            Phase::Retention => {
                self.report.purged = store.run_retention(false)?;
                Phase::Done
            }
            Phase::Done => Phase::Done,
        };
        Ok(self.phase)
    }
}

fn setting(store: &OfficeStore, name: &str) -> Result<String, ExchangeError> {
    store
        .setting(name)?
        .ok_or_else(|| StoreError::Damaged(format!("the setting '{name}' is missing")).into())
}

fn read_mail(
    store: &mut OfficeStore,
    stick: &Stick,
    report: &mut SyncReport,
) -> Result<(), ExchangeError> {
    let identity_text = store.secret(names::OFFICE_EXCHANGE_IDENTITY)?;
    let identity = std::str::from_utf8(&identity_text)
        .ok()
        .and_then(AgeIdentity::from_file_text)
        .ok_or_else(|| {
            StoreError::Damaged("the office's exchange identity is unreadable".into())
        })?;
    let central_key = PublicSigningKey::from_base64(&setting(store, names::CENTRAL_SIGNING_KEY)?)?;
    let dir = stick.to_office();
    for path in stick.mail().map_err(ExchangeError::io(&dir))? {
        let name = file_name(&path);
        let opened = file::read(&path, mail::MAX_MAIL as u64)
            .and_then(|bytes| mail::open(&bytes, &identity, &central_key));
        let applied = match opened {
            // For another office: left for it.
            Ok(None) => continue,
            Ok(Some(mail)) => apply(store, mail, report),
            Err(rejection) => Err(rejection),
        };
        match applied {
            Ok(()) => Stick::remove(&dir, &name),
            Err(rejection) => {
                let mut line = format!("{}: refused ({rejection})", path.display());
                if let Some(note) = stick.set_aside(&path, rejection.rule) {
                    line = format!("{line}; {note}");
                }
                report.refused.push(line);
            }
        }
    }
    Ok(())
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Applies a receipt or pack meant for this office: newer versions only, never expired ones.
fn apply(store: &mut OfficeStore, mail: Mail, report: &mut SyncReport) -> Result<(), Rejection> {
    let now = store.now();
    let office = store.office_id().to_owned();
    let kind = mail.kind();
    let (version, office_id, expires_at, body) = match &mail {
        Mail::Receipt(r) => (
            r.version,
            &r.office_id,
            r.expires_at,
            serde_json::to_string(r),
        ),
        Mail::Pack(p) => (
            p.version,
            &p.office_id,
            p.expires_at,
            serde_json::to_string(&without_keys(p)),
        ),
    };
    let body = body.map_err(|e| batch::reject(Rule::Format, e.to_string()))?;
    if *office_id != office {
        return Err(batch::reject(
            Rule::Office,
            format!("meant for office {office_id}, not {office}"),
        ));
    }
    let applied = store.inbox_version(kind).map_err(store_rejection)?;
    if version == applied {
        // The same receipt twice changes nothing.
        return Ok(());
    }
    if version < applied {
        return Err(batch::reject(
            Rule::Rollback,
            format!(
                "{kind} version {version} is older than the one applied ({applied}); kept the newer"
            ),
        ));
    }
    if expires_at < now {
        return Err(batch::reject(
            Rule::Expired,
            format!("this {kind} expired on {expires_at}; kept what was applied"),
        ));
    }
    match mail {
        Mail::Receipt(receipt) => {
            // A batch is delivered only if central holds that very batch; a receipt naming
            // other batches under this office's numbers is refused whole.
            let made = store.outbox_manifests().map_err(store_rejection)?;
            let (same, other): (Vec<u64>, Vec<u64>) = receipt
                .covered()
                .into_iter()
                .filter(|seq| made.contains_key(seq))
                .partition(|seq| receipt.manifests.get(seq) == made.get(seq));
            if !other.is_empty() {
                let numbers = other
                    .iter()
                    .map(u64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ");
                return Err(batch::reject(
                    Rule::Fork,
                    format!(
                        "central has another batch {numbers} from this office than the one made here: this store may have been restored from an old copy; nothing is taken as delivered, tell central"
                    ),
                ));
            }
            store.acknowledge_batches(&same).map_err(store_rejection)?;
            report.receipts_applied.push(version);
        }
        Mail::Pack(pack) => {
            // Checked before anything is applied: a bad pack leaves the desk as it was.
            pack.content
                .check()
                .map_err(|e| batch::reject(Rule::Content, e.to_string()))?;
            if pack
                .backup_recipient
                .as_deref()
                .is_some_and(|r| parse_recipient(r).is_none())
            {
                return Err(batch::reject(
                    Rule::Content,
                    "the backup recipient is not an age recipient",
                ));
            }
            // The store checks records against the pack's code-list extensions and the desk
            // offers them: handed over here, since the store does not read packs.
            let extensions: Vec<_> = pack
                .content
                .code_lists
                .iter()
                .map(super::pack::CodeExtension::extension)
                .collect();
            store
                .set_code_extensions(&extensions)
                .map_err(|e| match e {
                    StoreError::Config(reason) => batch::reject(Rule::Content, reason),
                    other => store_rejection(other),
                })?;
            if !pack.content.phone_keys.is_empty() {
                store
                    .set_phone_keys(&pack.content.phone_keys)
                    .map_err(store_rejection)?;
            }
            report.outcomes_applied += apply_outcomes(store, &pack)?;
            store
                .take_backup_recipient(pack.backup_recipient.as_deref(), version)
                .map_err(store_rejection)?;
            report.packs_applied.push(version);
        }
    }
    store
        .inbox_applied(kind, version, &body)
        .map_err(store_rejection)
}

/// A pack as the office keeps it once applied: its phone keys go to the store's secrets,
/// not into the inbox with the rest.
fn without_keys(pack: &Pack) -> Pack {
    let mut kept = pack.clone();
    kept.content.phone_keys = PhoneKeys::default();
    kept
}

fn apply_outcomes(store: &mut OfficeStore, pack: &Pack) -> Result<usize, Rejection> {
    // Every outcome is checked before any is applied: a pack is applied whole or not at all.
    for outcome in &pack.outcomes {
        crate::model::validate::status_change(&outcome.status, &outcome.note).map_err(|e| {
            batch::reject(
                Rule::Outcome,
                format!("the outcome for referral {}: {e}", outcome.referral_id),
            )
        })?;
    }
    let mut applied = 0;
    for outcome in &pack.outcomes {
        let change = StatusChange {
            status: outcome.status.clone(),
            at: outcome.at,
            author: format!("central:{}", outcome.author),
            note: outcome.note.clone(),
        };
        match store.append_status_from_central(outcome.referral_id, change) {
            Ok(true) => applied += 1,
            Ok(false) => {}
            // An outcome for a referral purged here under retention has nothing to update.
            Err(StoreError::NotFound { .. }) => {}
            Err(e) => return Err(store_rejection(e)),
        }
    }
    Ok(applied)
}

fn store_rejection(e: StoreError) -> Rejection {
    batch::reject(Rule::Store, e.to_string())
}

/// A record as a batch carries it: its line, and its manifest entry.
struct Prepared {
    entry: ManifestEntry,
    line: String,
}

/// What a batch carries of callers' numbers: the keys it hashes them under, and the calls
/// whose number goes in clear because a referral names them (README, "Repeat callers").
struct Numbers {
    keys: PhoneKeys,
    referred: HashSet<Uuid>,
}

impl Numbers {
    fn of(store: &OfficeStore) -> Result<Numbers, StoreError> {
        Ok(Numbers {
            keys: store.phone_keys()?,
            referred: store.referred_calls()?,
        })
    }

    /// A record as it leaves the office. A call a referral names keeps its number: central
    /// needs it to follow the referral up. Any other call's number is replaced by its hashes
    /// under the office's phone keys, or by nothing while no pack has brought a key.
    ///
    /// A referral travels before the call it names (it comes first in its unit), so a call
    /// referred since the batch began still goes with its number.
    fn outgoing(&mut self, mut record: Record) -> Record {
        match &mut record {
            Record::Referral { fields, .. } => self.referred.extend(fields.call_id),
            Record::Call { meta, fields } => {
                // Hashes are made here, never taken from the record (a call given as JSON
                // may carry some).
                fields.caller_phone_hashes = Vec::new();
                if !self.referred.contains(&meta.id) {
                    let number = fields.caller_phone.take();
                    fields.caller_phone_hashes = number
                        .as_deref()
                        .and_then(phone::normalise)
                        .map(|number| self.keys.hashes(&number))
                        .unwrap_or_default();
                }
            }
            _ => {}
        }
        record
    }
}

/// Turns a record into its line and manifest entry, and says what it adds to the batch.
fn prepare(record: Record) -> Result<(Prepared, usize), StoreError> {
    let line = batch::record_line(&record).map_err(|e| StoreError::Damaged(e.to_string()))?;
    let entry = ManifestEntry {
        id: record.meta().id,
        kind: record.kind().to_owned(),
        version: record.meta().version,
        hash: None,
    };
    let weight = batch::record_weight(&line);
    Ok((Prepared { entry, line }, weight))
}

/// A batch's payload as the outbox keeps it, and its manifest hash.
type Built = Result<(Vec<u8>, String), StoreError>;

/// Builds the signed payload of a batch: the manifest, the office's signature, the records.
/// What needs the store is done here; signing and compressing, by what is returned, on
/// another thread.
fn build(
    store: &OfficeStore,
    start: &BatchStart,
    records: Vec<Prepared>,
) -> Result<impl FnOnce() -> Built + Send + use<>, StoreError> {
    let key = SigningKey::from_secret_bytes(&store.secret(names::OFFICE_SIGNING_KEY)?)
        .map_err(|e| StoreError::Damaged(e.to_string()))?;
    let recipient = store
        .setting(names::CENTRAL_IMPORT_RECIPIENT)?
        .ok_or_else(|| StoreError::Damaged("central's import recipient is missing".into()))?;
    let record_count = records.len();
    let (entries, lines): (Vec<ManifestEntry>, Vec<String>) =
        records.into_iter().map(|p| (p.entry, p.line)).unzip();
    let manifest = Manifest {
        format: batch::MAGIC.to_owned(),
        office_id: store.office_id().to_owned(),
        office_key_id: key.public().key_id().to_owned(),
        recipient: batch::recipient_fingerprint(&recipient),
        seq: start.seq,
        prev_manifest: start.prev_manifest.clone(),
        created_at: crate::store::timestamp(store.now()),
        program: format!("linea {}", env!("CARGO_PKG_VERSION")),
        record_count,
        highest_receipt: store.inbox_version("receipt")?,
        records: entries,
        audit_head: start.audit_head.clone().map(AuditHead::from),
        audit_prev: start.audit_prev.clone().map(AuditHead::from),
    };
    // Kept compressed: a tenth of the size in the store, and compressed once however often
    // the batch is written again.
    Ok(move || {
        batch::build_compressed(&manifest, &lines, &key)
            .map_err(|e| StoreError::Damaged(e.to_string()))
    })
}

/// Who a batch is encrypted to: central's import recipient, and the backup recipient central
/// handed out, if any. Decided when the batch is written, not when it was made: a batch
/// still waiting for its receipt goes out to the recipients in force now.
fn batch_recipients(store: &OfficeStore) -> Result<Vec<String>, ExchangeError> {
    let mut recipients = vec![setting(store, names::CENTRAL_IMPORT_RECIPIENT)?];
    recipients.extend(store.backup_recipient()?.map(|b| b.recipient));
    Ok(recipients)
}

/// Removes copies of batches written before from the stick, and forgets them.
fn remove_copies<'a>(
    store: &mut OfficeStore,
    dir: &Path,
    copies: impl Iterator<Item = &'a (String, u64)>,
) -> Result<(), StoreError> {
    for (name, _) in copies {
        Stick::remove(dir, name);
        store.stick_file_removed(name)?;
    }
    Ok(())
}

/// Writes every batch central has not acknowledged, and removes the stick copies of
/// batches written before: those of acknowledged batches first, then each one as soon as its
/// fresh copy is written, so a stick short of room fills with no more than one copy of each.
fn write_batches(
    store: &mut OfficeStore,
    stick: &Stick,
    report: &mut SyncReport,
) -> Result<(), ExchangeError> {
    let dir = stick.to_central();
    let recipients = batch_recipients(store)?;
    let office = store.office_id().to_owned();
    let earlier: Vec<(String, u64)> = store
        .stick_files()?
        .into_iter()
        .filter(|(_, kind, _, _)| kind == "batch")
        .map(|(name, _, _, seq)| (name, seq))
        .collect();
    // One batch in memory at a time, whatever the number waiting.
    let waiting = store.outbox_waiting()?;
    remove_copies(
        store,
        &dir,
        earlier
            .iter()
            .filter(|(_, seq)| !waiting.iter().any(|(waiting, _)| waiting == seq)),
    )?;
    for (seq, _) in &waiting {
        let payload = store.outbox_payload(*seq)?;
        let sealed = batch::seal_kept(&payload, &recipients)
            .map_err(|r| ExchangeError::rejected(&dir, r.to_string()))?;
        drop(payload);
        let name = Stick::write(&dir, BATCH_PREFIX, &sealed).map_err(ExchangeError::io(&dir))?;
        store.stick_file_written(&name, "batch", &office, *seq)?;
        report.batches_written.push(*seq);
        remove_copies(store, &dir, earlier.iter().filter(|(_, s)| s == seq))?;
    }
    report.waiting = waiting.len();
    // The store's clock, like the batch's own `created_at`.
    let now = store.now();
    report.oldest_wait_days = waiting.first().and_then(|(_, created_at)| {
        DateTime::parse_from_rfc3339(created_at)
            .ok()
            .map(|t| (now - t.with_timezone(&Utc)).num_days())
    });
    Ok(())
}
