//! The command line: parse, run, and turn the outcome into an exit status.

mod admin;
pub mod args;
mod central_stats;
mod context;
mod exchange;
mod export;
mod keymap;
mod output;
mod records;
mod settings;
mod stats;

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;

use crate::demo;
use crate::error::{EXIT_USAGE, Error};
use crate::i18n::I18n;
use crate::model::Lang;
use crate::model::text::inert;
use crate::store::CallFilter;
use crate::store::Clock;
use crate::tui;
use args::{Cli, Command};
pub use context::{Context, NEW_PASSPHRASE_ENV, PASSPHRASE_ENV};
use output::{Out, write_line};

/// Runs linea with the process's arguments and returns its exit status.
pub fn main() -> ExitCode {
    crate::platform::harden_process();
    crate::store::on_wait(|wait| {
        let _ = writeln!(io::stderr(), "linea: {wait}");
    });
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() => {
            usage_error(e);
            return ExitCode::from(EXIT_USAGE);
        }
        // --help and --version.
        Err(e) => {
            let _ = e.print();
            return ExitCode::SUCCESS;
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
            output::warn(&e.to_string());
            ExitCode::from(e.exit_code())
        }
    }
}

/// clap's refusal of the command line, on stderr. clap quotes the arguments it refuses, so
/// its message is made again from the arguments made inert: the only line breaks left are
/// clap's own.
fn usage_error(error: clap::Error) {
    let args = std::env::args_os().map(|arg| inert(&arg.to_string_lossy()));
    match Cli::try_parse_from(args) {
        Err(again) => {
            for line in again.render().to_string().trim_end().lines() {
                eprintln!("{}", inert(line));
            }
        }
        // Made inert, the arguments parse (an argument that was not UTF-8): one line.
        Ok(_) => eprintln!("{}", inert(error.render().to_string().trim_end())),
    }
}

fn run(cli: Cli, out: Out<'_>) -> Result<(), Error> {
    let store_dir = match (cli.store, &cli.command) {
        (Some(dir), _) => dir,
        // Keymaps need no store, nor a home folder to look for one in.
        (None, Some(Command::Keymap(_))) => PathBuf::new(),
        (None, _) => context::default_store_dir()?,
    };
    let ctx = Context {
        store_dir,
        operator: cli.operator,
        passphrase_file: cli.passphrase_file,
        lang: cli.lang.unwrap_or_else(Lang::from_env),
    };
    let screen = ScreenOptions {
        keymap: cli.keymap.clone(),
        autolock_minutes: cli.autolock,
        ascii: cli.ascii,
    };
    match cli.command {
        None => open_screen(&ctx, &screen, None),
        Some(Command::Demo(args)) => demo_command(&ctx, &screen, args, out),
        Some(Command::Init(args)) => admin::init(&ctx, args, out),
        Some(Command::Operator(command)) => admin::operator(&ctx, command, out),
        Some(Command::Call(command)) => records::call(&ctx, command, out),
        Some(Command::Referral(command)) => records::referral(&ctx, command, out),
        Some(Command::Case(command)) => records::case(&ctx, command, out),
        Some(Command::Stats(args)) => stats::run(&ctx, args, out),
        Some(Command::Audit(command)) => admin::audit(&ctx, command, out),
        Some(Command::Recover(args)) => admin::recover(&ctx, args, out),
        Some(Command::Wipe { yes }) => admin::wipe(&ctx, yes),
        Some(Command::Central(command)) => admin::central(&ctx, command, out),
        Some(Command::Sync { dir }) => exchange::office_sync(&ctx, &dir, out),
        Some(Command::Setting(command)) => settings::setting(&ctx, command, out),
        Some(Command::Retention(command)) => settings::retention(&ctx, command, out),
        Some(Command::Keymap(command)) => keymap::run(command, cli.keymap.as_deref(), out),
    }
}

/// How the operator's screen is set up.
struct ScreenOptions {
    keymap: Option<PathBuf>,
    autolock_minutes: u64,
    ascii: bool,
}

/// Opens the operator's screen on the store (or the first-run screen if there is none).
fn open_screen(ctx: &Context, options: &ScreenOptions, hint: Option<String>) -> Result<(), Error> {
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        return Err(Error::Usage(
            "the operator's screen needs a terminal; for scripts use a command (see linea --help)"
                .into(),
        ));
    }
    let (keymap, keymap_problems) = match &options.keymap {
        Some(path) => match tui::keymap::load(path) {
            Ok(keymap) => (keymap, Vec::new()),
            Err(problems) => (tui::keymap::Keymap::builtin(), problems),
        },
        None => (tui::keymap::Keymap::builtin(), Vec::new()),
    };
    let ui = tui::ui::Ui {
        i18n: I18n::new(ctx.lang),
        theme: tui::theme::Theme::new(tui::terminal::Caps::from_env(options.ascii)),
        keymap,
        reference: Default::default(),
    };
    let mut app = tui::App::new(
        ui,
        tui::Options {
            store_dir: ctx.store_dir.clone(),
            operator: ctx.operator.clone(),
            hint,
            autolock: Duration::from_secs(options.autolock_minutes * 60),
            keymap_problems,
            clock: Clock::System,
        },
    );
    tui::run(&mut app).map_err(Error::io("the terminal"))
}

fn summarise(store: &crate::store::Store, lang: Lang, out: Out<'_>) -> Result<(), Error> {
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
                    .map(|p| output::place_name(p, lang))
                    .unwrap_or_default(),
                call.meta.id.to_string(),
            ]
        })
        .collect();
    output::table(out, &["STARTED", "URGENCY", "REASON", "PLACE", "ID"], &rows)
}

fn demo_command(
    ctx: &Context,
    screen: &ScreenOptions,
    args: args::DemoArgs,
    out: Out<'_>,
) -> Result<(), Error> {
    let dir = match args.dir {
        Some(dir) => dir,
        None => tempfile::Builder::new()
            .prefix("linea-demo-")
            .tempdir()
            .map_err(Error::io(std::env::temp_dir()))?
            .keep(),
    };
    let demo = demo::create_with_directory(&dir, args.calls, args.seed, context::work_factor())?;
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
    summarise(&demo.office, ctx.lang, out)?;
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
    let interactive = io::stdout().is_terminal() && io::stdin().is_terminal();
    if args.no_open || !interactive {
        return Ok(());
    }
    out.flush().map_err(output::stdout_error)?;
    drop(demo.office);
    let office = Context {
        store_dir: demo.office_dir.clone(),
        operator: Some(demo::OFFICE_LEAD.to_owned()),
        passphrase_file: None,
        lang: ctx.lang,
    };
    let hint = I18n::new(ctx.lang).t_args("demo-hint", &[("passphrase", demo::PASSPHRASE.into())]);
    open_screen(&office, screen, Some(hint))
}
