//! `linea keymap check FILE` and `linea keymap show`: the keymap checker and the keys in use,
//! without opening a store.

use std::io::Write;
use std::path::Path;

use super::args::KeymapCommand;
use super::output::{counted, write_line};
use crate::error::Error;
use crate::tui::keymap::{self, Keymap, KeymapKind};

pub fn run(
    command: KeymapCommand,
    keymap_file: Option<&Path>,
    out: &mut dyn Write,
) -> Result<(), Error> {
    match command {
        KeymapCommand::Check { file } => check(&file, out),
        KeymapCommand::Show => show(keymap_file, out),
    }
}

/// Prints every problem of an overlay, one per line as FILE:LINE:COLUMN: message. Text that
/// is not UTF-8 is one such problem (exit status 2, as for any).
fn check(file: &Path, out: &mut dyn Write) -> Result<(), Error> {
    let bytes = std::fs::read(file).map_err(Error::io(file))?;
    let name = file.display().to_string();
    let problems = match keymap::utf8_text(&name, bytes) {
        Ok(text) => keymap::check_text(&name, &text, KeymapKind::Overlay).1,
        Err(problem) => vec![problem],
    };
    for problem in &problems {
        write_line(out, &problem.to_string())?;
    }
    match problems.len() {
        0 => write_line(out, &format!("{name}: no problems")),
        n => Err(Error::Usage(format!(
            "{name}: {} in the keymap",
            counted(n as u64, "problem", "problems")
        ))),
    }
}

/// Prints the built-in keymap, or `--keymap FILE` applied over it.
fn show(keymap_file: Option<&Path>, out: &mut dyn Write) -> Result<(), Error> {
    let keymap = match keymap_file {
        None => Keymap::builtin(),
        Some(path) => keymap::load(path).map_err(|problems| {
            let first = problems
                .first()
                .map(ToString::to_string)
                .unwrap_or_default();
            match problems.len() {
                0 | 1 => Error::Usage(first),
                n => Error::Usage(format!(
                    "{first} (and {} more; linea keymap check {} lists them)",
                    n - 1,
                    path.display()
                )),
            }
        })?,
    };
    keymap::show(&keymap)
        .lines()
        .try_for_each(|line| write_line(out, line))
}
