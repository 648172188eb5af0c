//! `linea setting` and `linea retention`: the office's own policy, and applying it.

use super::args::{RetentionCommand, SettingCommand};
use super::context::Context;
use super::output::{Out, counted, write_line};
use crate::error::Error;
use crate::store::{OfficeSetting, Opened};

pub fn setting(ctx: &Context, command: SettingCommand, out: Out<'_>) -> Result<(), Error> {
    match command {
        SettingCommand::Get { name } => {
            // The name is checked before the passphrase is asked for.
            let setting = OfficeSetting::from_name(&name)?;
            let store = ctx.open()?;
            let explicit = store.setting(setting.name())?.is_some();
            let value = store.office_setting(setting)?;
            write_line(
                out,
                &format!("{} = {}", setting.name(), shown(setting, value, explicit)),
            )
        }
        SettingCommand::Set { name, value } => {
            let setting = OfficeSetting::from_name(&name)?;
            setting.parse(&value)?;
            let mut store = ctx.open()?;
            let value = store.set_office_setting(setting, &value)?;
            write_line(
                out,
                &format!("{} = {}", setting.name(), shown(setting, value, true)),
            )
        }
    }
}

/// A value as the lead reads it, saying what "not set" means for this setting.
fn shown(setting: OfficeSetting, value: Option<u64>, explicit: bool) -> String {
    let unit = match setting {
        OfficeSetting::AutolockMinutes => "minutes",
        OfficeSetting::RetentionDays | OfficeSetting::ReceiptWarningDays => "days",
    };
    match (value, explicit) {
        (Some(n), true) => format!("{n} {unit}"),
        (Some(n), false) => format!("{n} {unit} (the default)"),
        (None, _) => match setting {
            OfficeSetting::RetentionDays => "off (records of closed cases are kept)".into(),
            _ => "not set (the operator's --autolock, 5 minutes unless given)".into(),
        },
    }
}

pub fn retention(ctx: &Context, command: RetentionCommand, out: Out<'_>) -> Result<(), Error> {
    let RetentionCommand::Run { dry_run } = command;
    let Opened::Office(mut store) = ctx.open()? else {
        return Err(Error::Usage(
            "central keeps every record: retention is for office stores".into(),
        ));
    };
    let Some(report) = store.run_retention(dry_run)? else {
        return write_line(
            out,
            "Retention is off: nothing is purged. The office lead sets it with `linea setting set retention_days DAYS`.",
        );
    };
    let verb = if dry_run { "Would purge" } else { "Purged" };
    write_line(
        out,
        &format!(
            "{verb} {} older than {} that central has: {}, {}, {}.",
            counted(report.cases, "closed case", "closed cases"),
            counted(report.days, "day", "days"),
            counted(report.calls, "call", "calls"),
            counted(report.referrals, "referral", "referrals"),
            counted(report.people, "person", "people")
        ),
    )?;
    if dry_run {
        write_line(out, "Dry run: nothing was purged.")?;
    }
    Ok(())
}
