//! Setting up and looking after stores: `init`, `operator`, `audit`, `recover`, `central`.

use std::io::{self, BufRead, IsTerminal};
use std::path::PathBuf;

use super::args::{
    AuditCommand, CentralCommand, InitArgs, OfficesCommand, OperatorCommand, RecoverArgs,
};
use super::context::{Context, work_factor};
use super::output::{Out, table, write_line};
use crate::central;
use crate::error::Error;
use crate::exchange::enrollment::{self, Enrollment};
use crate::keys::{AgeIdentity, KeyDir, WorkFactor};
use crate::model::text::inert;
use crate::store::{Opened, Store};

pub fn init(ctx: &Context, args: InitArgs, out: Out<'_>) -> Result<(), Error> {
    let lead = ctx.new_operator()?;
    // Check the kit before asking for a passphrase. Central's fingerprint comes first, in a
    // fixed format, before any text the kit carries: its text cannot pose as the fingerprint.
    let kit = enrollment::OfficeKit::read(&args.kit)?;
    write_line(
        out,
        &format!("Central's fingerprint: {}", kit.fingerprint()),
    )?;
    let confirmed = given_or_typed(
        args.fingerprint,
        "Type central's fingerprint as central reads it out by phone: ",
        "central's fingerprint is needed: pass --fingerprint FP as central reads it out by phone, or run linea init in a terminal to type it",
    )?;
    kit.confirm(&args.kit, &confirmed)?;
    write_line(
        out,
        &format!(
            "It matches. The kit is for office {} ({}).",
            inert(&kit.office_name),
            kit.office_id
        ),
    )?;
    let enrollment_out = args
        .enrollment_out
        .unwrap_or_else(|| PathBuf::from(format!("{}.enrollment.json", kit.office_id)));
    let passphrase = ctx.new_passphrase(args.new_passphrase_file.as_deref(), &lead, true)?;
    let setup = enrollment::init_office(
        &ctx.store_dir,
        &args.kit,
        &confirmed,
        &lead,
        &passphrase,
        work_factor(),
        &enrollment_out,
    )?;
    write_line(
        out,
        &format!(
            "Office {} ({}) is set up in {}, with {lead} as the office lead.",
            inert(&setup.office_name),
            setup.office_id,
            ctx.store_dir.display()
        ),
    )?;
    write_line(
        out,
        &format!(
            "Your office key's fingerprint: {}",
            setup.office_fingerprint
        ),
    )?;
    write_line(
        out,
        "Read it out to central on this call: central types it to register your office.",
    )?;
    write_line(
        out,
        &format!(
            "Enrollment file for central: {} (take it to central: `linea central register FILE`).",
            enrollment_out.display()
        ),
    )
}

/// A confirmation (a fingerprint read out by phone, a word): as given on the command line,
/// else typed at the terminal. A script that gives none gets `missing` (exit 2): nothing
/// goes on unconfirmed.
fn given_or_typed(given: Option<String>, prompt: &str, missing: &str) -> Result<String, Error> {
    if let Some(given) = given {
        return Ok(given);
    }
    let stdin = io::stdin();
    if !stdin.is_terminal() {
        return Err(Error::Usage(missing.into()));
    }
    eprint!("{prompt}");
    let mut typed = String::new();
    match stdin.lock().read_line(&mut typed) {
        Ok(n) if n > 0 => Ok(typed),
        _ => Err(Error::Usage(missing.into())),
    }
}

pub fn operator(ctx: &Context, command: OperatorCommand, out: Out<'_>) -> Result<(), Error> {
    match command {
        OperatorCommand::Add {
            name,
            new_passphrase_file,
        } => {
            crate::store::check_operator_name(&name)?;
            let mut store = ctx.open()?;
            if store.role() != crate::store::Role::Lead {
                // Say so before asking the new operator to choose a passphrase.
                return Err(crate::store::StoreError::Forbidden(format!(
                    "only the office lead can add operators; '{}' is an operator",
                    store.operator()
                ))
                .into());
            }
            let passphrase = ctx.new_passphrase(new_passphrase_file.as_deref(), &name, false)?;
            store.add_operator(&name, &passphrase, work_factor())?;
            write_line(out, &format!("Added operator {name}."))
        }
        OperatorCommand::Remove { name } => {
            let mut store = ctx.open()?;
            store.remove_operator(&name)?;
            write_line(
                out,
                &format!(
                    "Removed operator {name}; the store key was replaced, so their old key slot opens nothing."
                ),
            )
        }
        OperatorCommand::List => {
            let store = ctx.open()?;
            let keys = KeyDir::of_store(store.dir());
            let mut weak = false;
            let mut rows = Vec::new();
            for o in store.operators()? {
                let slot = match keys.slot_work_factor(&o.name)? {
                    Some(log_n) if log_n < WorkFactor::SHIPPED => {
                        weak = true;
                        format!("2^{log_n} WEAK")
                    }
                    Some(log_n) => format!("2^{log_n}"),
                    None => "none".to_owned(),
                };
                rows.push(vec![
                    o.name,
                    o.role.as_str().to_owned(),
                    o.added_at.get(..10).unwrap_or_default().to_owned(),
                    o.added_by,
                    slot,
                ]);
            }
            table(out, &["NAME", "ROLE", "ADDED", "BY", "SLOT"], &rows)?;
            if weak {
                write_line(
                    out,
                    &format!(
                        "A WEAK slot takes less work than 2^{} to try a passphrase on, so a stolen copy falls faster to guessing: its operator runs `linea operator passwd` to make it again.",
                        WorkFactor::SHIPPED
                    ),
                )?;
            }
            Ok(())
        }
        OperatorCommand::Passwd {
            new_passphrase_file,
        } => {
            let operator = ctx.operator()?;
            let old = ctx.passphrase(&operator)?;
            let mut store = Opened::open(&ctx.store_dir, &operator, &old)?;
            let new = ctx.new_passphrase(new_passphrase_file.as_deref(), &operator, false)?;
            store.change_passphrase(&old, &new, work_factor())?;
            write_line(out, &format!("Passphrase changed for {operator}."))
        }
        OperatorCommand::Duress {
            new_passphrase_file,
            clear,
        } => {
            let store = ctx.open()?;
            let operator = store.operator().to_owned();
            if clear {
                store.clear_duress()?;
                return write_line(out, &format!("No duress passphrase for {operator} now."));
            }
            let duress = ctx.new_passphrase(new_passphrase_file.as_deref(), &operator, false)?;
            store.set_duress(&duress)?;
            write_line(
                out,
                &format!(
                    "Duress passphrase set for {operator}: typed at unlock, it wipes every operator's key."
                ),
            )
        }
    }
}

pub fn audit(ctx: &Context, command: AuditCommand, out: Out<'_>) -> Result<(), Error> {
    match command {
        AuditCommand::Verify => {
            // Checked before anything is written: opening the store as usual would add an
            // entry and move the head first.
            let (operator, passphrase) = ctx.credentials()?;
            match Store::verify_audit_at(&ctx.store_dir, &operator, &passphrase)? {
                Ok(summary) => write_line(
                    out,
                    &format!(
                        "Audit chain intact: {} entries; {} records as their latest entries left them.",
                        summary.entries, summary.records
                    ),
                ),
                Err(broken) => Err(Error::Input(format!(
                    "audit chain broken: {broken}; the store was tampered with or damaged"
                ))),
            }
        }
    }
}

pub fn recover(ctx: &Context, args: RecoverArgs, out: Out<'_>) -> Result<(), Error> {
    let lead = ctx.new_operator()?;
    let identity = AgeIdentity::read_recovery_file(&args.recovery_identity)?;
    let passphrase = ctx.new_passphrase(args.new_passphrase_file.as_deref(), &lead, true)?;
    let store = Store::recover(&ctx.store_dir, &identity, &lead, &passphrase, work_factor())?;
    write_line(
        out,
        &format!(
            "Recovered {}: {lead} is now the office lead, with the passphrase just given.",
            store.dir().display()
        ),
    )
}

/// The word typed to confirm a wipe.
const WIPE_WORD: &str = "WIPE";

/// The panic wipe. It says nothing when done: whoever looks at the screen learns nothing.
pub fn wipe(ctx: &Context, yes: bool) -> Result<(), Error> {
    if !yes {
        let typed = given_or_typed(
            None,
            &format!(
                "Every operator's key to {} will be destroyed; only central's recovery identity will open it. Type {WIPE_WORD} to go on: ",
                ctx.store_dir.display()
            ),
            "linea wipe asks to confirm at a terminal; in a script, give --yes",
        )?;
        if typed.trim() != WIPE_WORD {
            return Err(Error::Usage(format!(
                "nothing was wiped: type {WIPE_WORD} to confirm, or give --yes"
            )));
        }
    }
    Store::wipe(&ctx.store_dir)?;
    Ok(())
}

pub fn central(ctx: &Context, command: CentralCommand, out: Out<'_>) -> Result<(), Error> {
    match command {
        CentralCommand::Init {
            recovery_out,
            new_passphrase_file,
        } => {
            let lead = ctx.new_operator()?;
            let recovery_out =
                recovery_out.unwrap_or_else(|| PathBuf::from("linea-central-recovery.txt"));
            if recovery_out.exists() {
                return Err(Error::Usage(format!(
                    "{} already exists; choose a new file with --recovery-out",
                    recovery_out.display()
                )));
            }
            let passphrase = ctx.new_passphrase(new_passphrase_file.as_deref(), &lead, true)?;
            let setup = central::init_central(
                &ctx.store_dir,
                &lead,
                &passphrase,
                work_factor(),
                &recovery_out,
            )?;
            write_line(
                out,
                &format!(
                    "Central is set up in {}, with {lead} as its lead.",
                    ctx.store_dir.display()
                ),
            )?;
            write_line(
                out,
                &format!("Central's fingerprint: {}", setup.fingerprint),
            )?;
            write_line(out, "")?;
            write_line(
                out,
                &format!(
                    "RECOVERY IDENTITY WRITTEN TO {}",
                    setup.recovery_file.display()
                ),
            )?;
            write_line(
                out,
                "It opens every office store. Print it or copy it to offline media, lock it away, and delete this file. linea keeps no copy.",
            )
        }
        CentralCommand::Enroll {
            office,
            name,
            out: kit_out,
        } => {
            let mut store = ctx.open_central()?;
            let (kit, fingerprint) = central::enroll(&mut store, &office, &name, &kit_out)?;
            write_line(
                out,
                &format!(
                    "Kit for {} ({}) written to {}.",
                    kit.office_name,
                    kit.office_id,
                    kit_out.display()
                ),
            )?;
            write_line(
                out,
                &format!("Read this fingerprint to the office lead by phone: {fingerprint}"),
            )?;
            write_line(
                out,
                "On the same call the lead reads back the office key's fingerprint: `linea central register FILE` asks for it.",
            )
        }
        CentralCommand::Register { file, fingerprint } => {
            // The fingerprint first, in a fixed format, before any text the file carries.
            let enrollment = Enrollment::read(&file)?;
            write_line(
                out,
                &format!("Office key's fingerprint: {}", enrollment.fingerprint()),
            )?;
            let confirmed = given_or_typed(
                fingerprint,
                "Type the office key's fingerprint as the office lead reads it out by phone: ",
                "the office key's fingerprint is needed: pass --fingerprint FP as the office lead reads it out by phone, or run this in a terminal to type it",
            )?;
            enrollment.confirm(&file, &confirmed)?;
            let mut store = ctx.open_central()?;
            let enrollment = central::register(&mut store, &file, &confirmed)?;
            write_line(
                out,
                &format!(
                    "Registered office {} ({}); its batches will now be accepted.",
                    inert(&enrollment.office_name),
                    enrollment.office_id
                ),
            )
        }
        CentralCommand::Sync { .. }
        | CentralCommand::Import { .. }
        | CentralCommand::Verify { .. }
        | CentralCommand::Unpack { .. }
        | CentralCommand::Status { .. }
        | CentralCommand::Conflicts { .. }
        | CentralCommand::Calls { .. }
        | CentralCommand::PhoneKey(_)
        | CentralCommand::Outcome { .. }
        | CentralCommand::Identity(_)
        | CentralCommand::Pack(_)
        | CentralCommand::BackupRecipient(_) => super::exchange::central(ctx, command, out),
        CentralCommand::Offices { command } => offices(ctx, command, out),
        CentralCommand::Export {
            from,
            to,
            k,
            out: file,
        } => super::export::public_export(ctx, &from, &to, k, &file, out),
        CentralCommand::Stats(args) => super::central_stats::stats(ctx, args, out),
        CentralCommand::Report(args) => super::central_stats::report(ctx, args, out),
    }
}

fn offices(ctx: &Context, command: Option<OfficesCommand>, out: Out<'_>) -> Result<(), Error> {
    match command.unwrap_or(OfficesCommand::List) {
        OfficesCommand::List => {
            let store = ctx.open_central()?;
            let rows: Vec<Vec<String>> = store
                .offices()?
                .into_iter()
                .map(|o| {
                    let state = match (&o.revoked_at, o.registered) {
                        (Some(at), _) => format!("revoked {}", day(at)),
                        (None, true) => "registered".to_owned(),
                        (None, false) => "enrolled".to_owned(),
                    };
                    vec![o.id, o.name, day(&o.enrolled_at).to_owned(), state]
                })
                .collect();
            table(out, &["OFFICE", "NAME", "ENROLLED", "STATE"], &rows)
        }
        OfficesCommand::Revoke { office } => {
            let mut store = ctx.open_central()?;
            let at = central::revoke(&mut store, &office)?;
            write_line(
                out,
                &format!(
                    "Revoked the key of office {office} on {}: its batches are refused from now on, and it gets no more receipts or packs.",
                    day(&at)
                ),
            )?;
            write_line(
                out,
                &format!(
                    "To set it up again: `linea central enroll --office {office} ...` for a new kit, `linea init --kit KIT` at the office, then `linea central register FILE`."
                ),
            )
        }
    }
}

/// The day of an RFC 3339 timestamp.
fn day(at: &str) -> &str {
    at.get(..10).unwrap_or(at)
}
