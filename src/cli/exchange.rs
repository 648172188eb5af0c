//! `linea sync` and central's exchange commands.

use std::path::Path;

use super::args::{
    BackupRecipientCommand, CentralCommand, IdentityCommand, PackCommand, PhoneKeyCommand,
};
use super::context::Context;
use super::output::{self, Out, counted, table, write_line};
use crate::central::backup::{self, BackupError};
use crate::central::callers;
use crate::central::import::{ImportError, ImportReport, import_files, open_and_check, read_batch};
use crate::central::pack::{self, PackBuildError};
use crate::central::registry::names;
use crate::central::status::{OfficeStatus, gap_list, office_statuses};
use crate::central::sync::central_sync;
use crate::error::Error;
use crate::exchange::sync::office_sync as sync_office;
use crate::platform;
use crate::store::{BackupRecipient, CentralStore, OfficeSetting, Opened};

impl From<ImportError> for Error {
    fn from(e: ImportError) -> Error {
        match e {
            ImportError::Refused(refusal) => Error::Input(refusal.to_string()),
            ImportError::Exchange(e) => e.into(),
            ImportError::Store(e) => e.into(),
        }
    }
}

impl From<BackupError> for Error {
    fn from(e: BackupError) -> Error {
        match e {
            BackupError::Store(e) => e.into(),
            refused => Error::Input(refused.to_string()),
        }
    }
}

pub fn office_sync(ctx: &Context, dir: &Path, out: Out<'_>) -> Result<(), Error> {
    let Opened::Office(mut store) = ctx.open()? else {
        return Err(Error::Usage(
            "this is central's store: central syncs with `linea central sync DIR`".into(),
        ));
    };
    let report = sync_office(&mut store, dir)?;
    for version in &report.receipts_applied {
        write_line(out, &format!("Applied central's receipt {version}."))?;
    }
    for version in &report.packs_applied {
        write_line(out, &format!("Applied reference pack {version}."))?;
    }
    if report.outcomes_applied > 0 {
        write_line(
            out,
            &format!(
                "{} referral outcomes from central added to their history.",
                report.outcomes_applied
            ),
        )?;
    }
    for seq in &report.batches_made {
        write_line(out, &format!("Made batch {seq}."))?;
    }
    let written = report
        .batches_written
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>();
    if written.is_empty() {
        write_line(
            out,
            "Nothing waits for central: every batch has its receipt.",
        )?;
    } else {
        write_line(
            out,
            &format!(
                "Wrote {} for central ({}); they stay until central's receipt comes back.",
                counted(written.len() as u64, "batch", "batches"),
                written.join(", ")
            ),
        )?;
    }
    if let Some(purged) = &report.purged
        && purged.cases > 0
    {
        write_line(
            out,
            &format!(
                "Retention: purged {} central has, with {}, older than {}.",
                counted(purged.cases, "closed case", "closed cases"),
                counted(purged.records(), "record", "records"),
                counted(purged.days, "day", "days")
            ),
        )?;
    }
    let warn_after = store
        .office_setting(OfficeSetting::ReceiptWarningDays)?
        .and_then(|d| i64::try_from(d).ok());
    if let Some(days) = report.oldest_wait_days
        && warn_after.is_some_and(|limit| days > limit)
    {
        write_line(
            out,
            &format!(
                "WARNING: a batch has waited {days} days for central's receipt; take a stick to central."
            ),
        )?;
    }
    if report.refused.is_empty() {
        return Ok(());
    }
    for line in &report.refused[1..] {
        output::warn(line);
    }
    Err(Error::Input(report.refused[0].clone()))
}

pub fn central(ctx: &Context, command: CentralCommand, out: Out<'_>) -> Result<(), Error> {
    match command {
        CentralCommand::Sync { dir } => {
            let mut store = ctx.open_central()?;
            let report = central_sync(&mut store, &dir)?;
            for imported in &report.imported {
                write_import(out, imported)?;
            }
            for (office, version) in &report.receipts {
                write_line(out, &format!("Receipt {version} for {office} written."))?;
            }
            for (office, version) in &report.packs {
                write_line(out, &format!("Pack {version} for {office} written."))?;
            }
            refusals(report.refused.iter().map(ToString::to_string).collect())
        }
        CentralCommand::Import { files, dry_run } => {
            let mut store = ctx.open_central()?;
            let mut refused = Vec::new();
            for result in import_files(&mut store, &files, dry_run)? {
                match result {
                    Ok(report) => write_import(out, &report)?,
                    Err(refusal) => refused.push(refusal.to_string()),
                }
            }
            if dry_run {
                write_line(out, "Dry run: nothing was written.")?;
            }
            refusals(refused)
        }
        CentralCommand::Verify { file } => {
            let store = ctx.open_central()?;
            let parsed = check(&store, &file)?;
            write_line(
                out,
                &format!(
                    "{}: a good batch: office {}, number {}, {} records, signed by the office's registered key.",
                    file.display(),
                    parsed.manifest.office_id,
                    parsed.manifest.seq,
                    parsed.records.len()
                ),
            )
        }
        CentralCommand::Unpack { file, out: dir } => {
            let store = ctx.open_central()?;
            let parsed = check(&store, &file)?;
            std::fs::create_dir_all(&dir).map_err(Error::io(&dir))?;
            let payload = dir.join("payload");
            let signature = dir.join("payload.minisig");
            platform::write_new(&payload, &parsed.signed_bytes()).map_err(Error::io(&payload))?;
            platform::write_new(&signature, parsed.signature().as_bytes())
                .map_err(Error::io(&signature))?;
            let key = store
                .office_key(&parsed.manifest.office_id)?
                .unwrap_or_default();
            write_line(
                out,
                &format!("Wrote {} and {}.", payload.display(), signature.display()),
            )?;
            write_line(
                out,
                &format!(
                    "Check it with: minisign -V -m {} -P {key}",
                    payload.display()
                ),
            )
        }
        CentralCommand::Status { json } => status(ctx, json, out),
        CentralCommand::Conflicts { json } => conflicts(ctx, json, out),
        CentralCommand::Calls { same_caller, json } => {
            same_caller_calls(ctx, &same_caller, json, out)
        }
        CentralCommand::PhoneKey(PhoneKeyCommand::Rotate) => {
            let mut store = ctx.open_central()?;
            let id = callers::rotate(&mut store)?;
            write_line(
                out,
                &format!(
                    "Phone key {id} made. Each office hashes numbers under it from its next pack on (`linea central sync`, then `linea sync` at the office)."
                ),
            )
        }
        CentralCommand::Outcome {
            referral,
            status,
            note,
        } => {
            let id = uuid::Uuid::parse_str(referral.trim())
                .map_err(|_| Error::Usage(format!("'{referral}' is not a referral id (a UUID)")))?;
            let mut store = ctx.open_central()?;
            let outcome = store.record_outcome(id, &status, &note)?;
            write_line(
                out,
                &format!(
                    "Recorded {} for referral {id}; it goes to the office with its next pack.",
                    outcome.status
                ),
            )
        }
        CentralCommand::Identity(IdentityCommand::Export { out: file }) => {
            let store = ctx.open_central()?;
            let identity = store.secret(names::IMPORT_IDENTITY)?;
            platform::write_new(&file, &identity).map_err(|e| {
                if e.kind() == std::io::ErrorKind::AlreadyExists {
                    Error::Usage(format!(
                        "{} already exists; choose a new file",
                        file.display()
                    ))
                } else {
                    Error::io(&file)(e)
                }
            })?;
            write_line(
                out,
                &format!("CENTRAL'S IMPORT IDENTITY WRITTEN TO {}", file.display()),
            )?;
            write_line(
                out,
                "Whoever holds this file can read every batch every office sends. Keep it offline, for disaster recovery only.",
            )
        }
        CentralCommand::Pack(PackCommand::Build { from }) => pack_build(ctx, &from, out),
        CentralCommand::BackupRecipient(command) => backup_recipient(ctx, command, out),
        _ => Err(Error::Usage("not an exchange command".into())),
    }
}

/// `central calls --same-caller ID`: the other calls from that call's number.
fn same_caller_calls(ctx: &Context, call: &str, json: bool, out: Out<'_>) -> Result<(), Error> {
    let id = uuid::Uuid::parse_str(call.trim())
        .map_err(|_| Error::Usage(format!("'{call}' is not a call id (a UUID)")))?;
    let store = ctx.open_central()?;
    // Named first, so that an unknown id is not taken for a number called once.
    store.call(id)?;
    let calls = callers::same_caller(&store, id)?;
    if json {
        let rows: Vec<serde_json::Value> = calls
            .iter()
            .map(|c| {
                serde_json::json!({
                    "call": c.call_id.to_string(),
                    "office": c.office_id,
                    "started_at": crate::store::timestamp(c.started_at),
                    "reason": c.reason,
                })
            })
            .collect();
        return write_line(out, &serde_json::Value::Array(rows).to_string());
    }
    if calls.is_empty() {
        return write_line(
            out,
            &format!(
                "No other call from the number of call {id} (or its number never reached central)."
            ),
        );
    }
    let zone = store.zone();
    for c in &calls {
        write_line(
            out,
            &format!(
                "{}  {}  {}  {}",
                c.office_id,
                c.started_at.with_timezone(&zone).format("%Y-%m-%d %H:%M"),
                c.reason,
                c.call_id
            ),
        )?;
    }
    write_line(
        out,
        &format!("{} other call(s) from the same number.", calls.len()),
    )
}

fn backup_recipient(
    ctx: &Context,
    command: BackupRecipientCommand,
    out: Out<'_>,
) -> Result<(), Error> {
    match command {
        BackupRecipientCommand::Set { recipient } => {
            // A mistyped key is refused before the passphrase is asked for.
            let recipient = backup::parse(&recipient)?;
            let mut store = ctx.open_central()?;
            let recipient = backup::set(&mut store, &recipient)?;
            write_line(out, &format!("Backup recipient set: {recipient}"))?;
            write_line(
                out,
                "Kits carry it from now on. Each office gets it with its next pack (`linea central sync`); from its next `linea sync` on, its batches are also encrypted to it.",
            )
        }
        BackupRecipientCommand::Clear => {
            let mut store = ctx.open_central()?;
            let message = if backup::clear(&mut store)? {
                "Backup recipient cleared. Each office stops encrypting its batches to it once its next pack arrives (`linea central sync`, then `linea sync` at the office)."
            } else {
                "There was no backup recipient; nothing changed."
            };
            write_line(out, message)
        }
        BackupRecipientCommand::Show => {
            let store = ctx.open_central()?;
            write_line(out, &backup_line(backup::current(&store)?.as_ref()))
        }
    }
}

/// One line on the backup recipient, for `backup-recipient show` and `central status`.
fn backup_line(backup: Option<&BackupRecipient>) -> String {
    match backup {
        Some(b) => format!(
            "Backup recipient: {} (set by {} on {}); batches are also encrypted to it.",
            b.recipient,
            b.source,
            b.set_at.get(..10).unwrap_or(&b.set_at)
        ),
        None => "No backup recipient: batches are encrypted to central's import key only.".into(),
    }
}

fn pack_build(ctx: &Context, dir: &Path, out: Out<'_>) -> Result<(), Error> {
    let Opened::Central(mut store) = ctx.open()? else {
        return Err(Error::Usage(
            "reference packs are built at central: this is an office's store".into(),
        ));
    };
    let built = match pack::build(&mut store, dir) {
        Ok(built) => built,
        Err(PackBuildError::Refused(reason)) => {
            return Err(Error::Input(format!("{reason}; no pack was built")));
        }
        Err(PackBuildError::Store(e)) => return Err(e.into()),
    };
    for note in &built.skipped {
        write_line(out, note)?;
    }
    let content = &built.content;
    let (departments, provinces, districts) = content.place_counts();
    let topics: std::collections::BTreeSet<&str> =
        content.scripts.iter().map(|s| s.topic.as_str()).collect();
    write_line(
        out,
        &format!(
            "Built reference pack {}: {} institutions, {} scripts ({} topics), {departments} departments, {provinces} provinces, {districts} districts, {} code-list extensions.",
            built.version,
            content.directory.len(),
            content.scripts.len(),
            topics.len(),
            content.code_lists.len()
        ),
    )?;
    if !content.templates.is_empty() {
        write_line(out, &format!("{} call templates.", content.templates.len()))?;
    }
    write_line(
        out,
        "The next `linea central sync` takes it to every office.",
    )
}

fn check(store: &CentralStore, file: &Path) -> Result<crate::exchange::batch::Parsed, Error> {
    let bytes = read_batch(file)?;
    open_and_check(store, &bytes)
        .map_err(|rejection| Error::Input(format!("{}: refused ({rejection})", file.display())))
}

fn write_import(out: Out<'_>, report: &ImportReport) -> Result<(), Error> {
    let what = if report.already_imported {
        "already imported: nothing to do".to_owned()
    } else {
        format!(
            "{} new, {} updated, {} unchanged, {} older (ignored), {} conflicting",
            report.new, report.updated, report.unchanged, report.older, report.conflicts
        )
    };
    write_line(
        out,
        &format!(
            "{}: office {} batch {}: {what}",
            report.file.display(),
            report.office_id,
            report.seq
        ),
    )?;
    if report.awaiting_missing > 0 {
        write_line(
            out,
            &format!(
                "  waiting for the missing batches: {} naming records not received yet",
                counted(report.awaiting_missing as u64, "record", "records")
            ),
        )?;
    }
    if !report.missing.is_empty() {
        write_line(
            out,
            &format!(
                "  still missing from {}: {} {}",
                report.office_id,
                match report.missing.as_slice() {
                    [gap] if gap.first == gap.last => "batch",
                    _ => "batches",
                },
                gap_list(&report.missing)
            ),
        )?;
    }
    Ok(())
}

/// One line per refused file on stderr; the first is the error (exit 1).
fn refusals(refused: Vec<String>) -> Result<(), Error> {
    let Some((first, rest)) = refused.split_first() else {
        return Ok(());
    };
    for line in rest {
        output::warn(line);
    }
    Err(Error::Input(first.clone()))
}

/// An office's row of `central status --json`.
#[derive(serde::Serialize)]
struct StatusJson<'a> {
    #[serde(flatten)]
    office: &'a OfficeStatus,
    /// The backup recipient the office's packs carry (the same for every office), if any.
    backup_recipient: Option<&'a str>,
}

fn status(ctx: &Context, json: bool, out: Out<'_>) -> Result<(), Error> {
    let store = ctx.open_central()?;
    let rows = office_statuses(&store, store.now())?;
    let backup = store.backup_recipient()?;
    if json {
        // The document stays an array of offices; each says what its packs carry.
        let rows: Vec<StatusJson<'_>> = rows
            .iter()
            .map(|office| StatusJson {
                office,
                backup_recipient: backup.as_ref().map(|b| b.recipient.as_str()),
            })
            .collect();
        return output::write_json_pretty(out, &rows);
    }
    let table_rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.office.clone(),
                r.last_batch
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| "-".into()),
                r.last_import
                    .as_deref()
                    .and_then(|t| t.get(..16))
                    .unwrap_or("-")
                    .replace('T', " "),
                if r.missing.is_empty() {
                    "-".into()
                } else {
                    gap_list(&r.missing).replace(' ', "")
                },
                r.alerts.len().to_string(),
                r.conflicts.to_string(),
                if let Some(at) = &r.revoked_at {
                    format!("REVOKED {}", at.get(..10).unwrap_or(at))
                } else if !r.registered {
                    "not registered".into()
                } else if r.overdue {
                    "OVERDUE".into()
                } else {
                    "ok".into()
                },
            ]
        })
        .collect();
    table(
        out,
        &[
            "OFFICE",
            "LAST BATCH",
            "IMPORTED",
            "MISSING",
            "ALERTS",
            "CONFLICTS",
            "STATE",
        ],
        &table_rows,
    )?;
    write_line(out, &backup_line(backup.as_ref()))?;
    for row in rows.iter().filter(|r| !r.alerts.is_empty()) {
        for alert in &row.alerts {
            write_line(out, &format!("ALERT {}: {alert}", row.office))?;
        }
    }
    Ok(())
}

fn conflicts(ctx: &Context, json: bool, out: Out<'_>) -> Result<(), Error> {
    let store = ctx.open_central()?;
    let conflicts = store.conflicts()?;
    if json {
        return output::write_json_pretty(out, &conflicts);
    }
    if conflicts.is_empty() {
        return write_line(
            out,
            "No conflicts: no record arrived twice at one version with other content.",
        );
    }
    let rows: Vec<Vec<String>> = conflicts
        .into_iter()
        .map(|c| {
            vec![
                c.office,
                c.kind,
                c.record_id,
                c.version.to_string(),
                c.imported_at
                    .get(..16)
                    .unwrap_or(&c.imported_at)
                    .replace('T', " "),
                c.batch.to_string(),
                if c.settled { "settled" } else { "open" }.to_owned(),
            ]
        })
        .collect();
    table(
        out,
        &[
            "OFFICE", "KIND", "ID", "VERSION", "IMPORTED", "BATCH", "STATE",
        ],
        &rows,
    )
}
