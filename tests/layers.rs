//! The CLI and the TUI do not import each other: what both need (the figures laid out for
//! people, the passphrase rule) lives in a lower layer. Two files of the CLI may name the
//! TUI, and only because they are about it: `cli/mod.rs`, the program's entry point, which
//! opens the desk, and `cli/keymap.rs`, the commands that check and show the desk's keymap.

use std::fs;
use std::path::{Path, PathBuf};

/// The files of `src/cli` allowed to name `crate::tui`, with why.
const CLI_MAY_NAME_TUI: &[&str] = &[
    "mod.rs",    // opens the desk: `linea` with no command
    "keymap.rs", // `linea keymap check|show`: the desk's keymap, checked without a terminal
];

fn rust_files(folder: &Path, files: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// The files under `src/FOLDER` that name `crate::OTHER` (as a path or in a `use
/// crate::{…}` group), relative to that folder.
fn naming(folder: &str, other: &str) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(folder);
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let path = format!("crate::{other}");
    let mut found: Vec<String> = files
        .iter()
        .filter(|file| {
            let text = fs::read_to_string(file).unwrap();
            let grouped = text.split("crate::{").skip(1).any(|rest| {
                let group = &rest[..rest.find('}').unwrap_or(rest.len())];
                group
                    .split(|c: char| !c.is_alphanumeric() && c != '_')
                    .any(|word| word == other)
            });
            let named = text.match_indices(&path).any(|(at, _)| {
                !text[at + path.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
            });
            named || grouped
        })
        .map(|file| {
            file.strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    found.sort();
    found
}

#[test]
fn the_tui_never_names_the_cli() {
    assert_eq!(naming("tui", "cli"), Vec::<String>::new());
}

#[test]
fn the_cli_names_the_tui_only_to_open_it_and_check_its_keymap() {
    let found = naming("cli", "tui");
    let stray: Vec<&String> = found
        .iter()
        .filter(|file| !CLI_MAY_NAME_TUI.contains(&file.as_str()))
        .collect();
    assert!(
        stray.is_empty(),
        "src/cli files naming crate::tui: {stray:?}"
    );
}
