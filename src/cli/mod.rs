//! The command line: parse, run, and turn the outcome into an exit status.

mod admin;
pub mod args;
mod context;
mod output;
mod records;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

use crate::demo;
use crate::error::{EXIT_USAGE, Error};
use crate::model::Lang;
use crate::store::CallFilter;
use args::{Cli, Command};
pub use context::{Context, MIN_PASSPHRASE_CHARS, NEW_PASSPHRASE_ENV, PASSPHRASE_ENV};
use output::{Out, write_line};

/// Runs linea with the process's arguments and returns its exit status.
pub fn main() -> ExitCode {
    crate::platform::harden_process();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(EXIT_USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let result = run(cli, &mut out).and_then(|()| out.flush().map_err(output::stdout_error));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that stops early (`linea call list | head`) is not a failure.
        Err(Error::Io { source, .. }) if source.kind() == io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("linea: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

fn run(cli: Cli, out: Out<'_>) -> Result<(), Error> {
    let store_dir = match cli.store {
        Some(dir) => dir,
        None => context::default_store_dir()?,
    };
    let ctx = Context {
        store_dir,
        operator: cli.operator,
        passphrase_file: cli.passphrase_file,
        lang: cli.lang.unwrap_or_else(Lang::from_env),
    };
    match cli.command {
        None => overview(&ctx, out),
        Some(Command::Demo(args)) => demo_command(args, out),
        Some(Command::Init(args)) => admin::init(&ctx, args, out),
        Some(Command::Operator(command)) => admin::operator(&ctx, command, out),
        Some(Command::Call(command)) => records::call(&ctx, command, out),
        Some(Command::Referral(command)) => records::referral(&ctx, command, out),
        Some(Command::Case(command)) => records::case(&ctx, command, out),
        Some(Command::Audit(command)) => admin::audit(&ctx, command, out),
        Some(Command::Recover(args)) => admin::recover(&ctx, args, out),
        Some(Command::Central(command)) => admin::central(&ctx, command, out),
    }
}

/// Without a command: the office at a glance (the operator's screen will take its place).
fn overview(ctx: &Context, out: Out<'_>) -> Result<(), Error> {
    let store = ctx.open()?;
    summarise(&store, out)
}

fn summarise(store: &crate::store::Store, out: Out<'_>) -> Result<(), Error> {
    let page = store.list_calls(&CallFilter::default(), None, 15)?;
    let due = store.list_referrals(
        &crate::store::ReferralFilter {
            due_by: Some(chrono::Utc::now()),
            ..Default::default()
        },
        1000,
    )?;
    write_line(
        out,
        &format!(
            "{} ({}): {} calls; {} referrals due or overdue. Latest calls:",
            store.setting("office_name")?.unwrap_or_default(),
            store.office_id(),
            store.call_count()?,
            due.len()
        ),
    )?;
    let rows: Vec<Vec<String>> = page
        .calls
        .iter()
        .map(|call| {
            vec![
                output::local_time(call.started_at(), store.zone()),
                call.fields.urgency.clone(),
                call.fields.reason.clone(),
                call.fields
                    .caller_place
                    .as_ref()
                    .map(|p| p.to_string())
                    .unwrap_or_default(),
                call.meta.id.to_string(),
            ]
        })
        .collect();
    output::table(out, &["STARTED", "URGENCY", "REASON", "PLACE", "ID"], &rows)
}

fn demo_command(args: args::DemoArgs, out: Out<'_>) -> Result<(), Error> {
    let dir = match args.dir {
        Some(dir) => dir,
        None => tempfile::Builder::new()
            .prefix("linea-demo-")
            .tempdir()
            .map_err(Error::io(std::env::temp_dir()))?
            .keep(),
    };
    let demo = demo::create(&dir, args.calls, args.seed, context::work_factor())?;
    write_line(out, &format!("Demo ready in {}", dir.display()))?;
    write_line(
        out,
        &format!(
            "  office store:   {}  (operators: {} [lead], {})",
            demo.office_dir.display(),
            demo::OFFICE_LEAD,
            demo::OFFICE_OPERATOR
        ),
    )?;
    write_line(
        out,
        &format!(
            "  central store:  {}  (operator: {})",
            demo.central_dir.display(),
            demo::CENTRAL_LEAD
        ),
    )?;
    write_line(
        out,
        &format!("  passphrase:     {}  (every operator)", demo::PASSPHRASE),
    )?;
    write_line(
        out,
        &format!(
            "  {} calls, {} cases, {} referrals, all synthetic",
            demo.calls, demo.cases, demo.referrals
        ),
    )?;
    write_line(out, "")?;
    summarise(&demo.office, out)?;
    write_line(out, "")?;
    write_line(
        out,
        &format!(
            "Try: LINEA_PASSPHRASE='{}' linea --store {} --operator {} call list",
            demo::PASSPHRASE,
            demo.office_dir.display(),
            demo::OFFICE_LEAD
        ),
    )?;
    Ok(())
}
