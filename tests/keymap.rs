//! `linea keymap check` and `linea keymap show` on a corpus of keymaps: every valid file passes,
//! every invalid one prints exactly the lines of its `.expected` file and exits 2. And the
//! action table of keymaps/README.md stays equal to the registry in the program.
//!
//! After changing a message on purpose, `LINEA_BLESS=1 cargo test --test keymap` rewrites the
//! `.expected` files; read the diff before committing it.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use linea::tui::action::ACTIONS;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn corpus() -> PathBuf {
    crate_dir().join("tests/keymaps")
}

/// Runs linea in `dir`, so that the paths it prints are the short relative ones we pass.
fn linea(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_linea"))
        .args(args)
        .current_dir(dir)
        .env_remove("LINEA_KEYMAP")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// The `.toml` files of a corpus folder, as paths relative to the corpus ("valid/vim.toml").
fn corpus_files(folder: &str) -> Vec<String> {
    let mut files: Vec<String> = fs::read_dir(corpus().join(folder))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".toml"))
        .map(|name| format!("{folder}/{name}"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no keymaps in {folder}");
    files
}

#[test]
fn valid_keymaps_have_no_problems() {
    for file in corpus_files("valid") {
        let run = linea(&corpus(), &["keymap", "check", &file]);
        assert_eq!(
            text(&run.stdout),
            format!("{file}: no problems\n"),
            "{}",
            text(&run.stderr)
        );
        assert_eq!(run.status.code(), Some(0), "{file}");
        let run = linea(&corpus(), &["--keymap", &file, "keymap", "show"]);
        assert_eq!(run.status.code(), Some(0), "{file}: {}", text(&run.stderr));
    }
}

#[test]
fn invalid_keymaps_print_every_problem_and_exit_2() {
    let bless = std::env::var_os("LINEA_BLESS").is_some();
    let mut wrong = Vec::new();
    for file in corpus_files("invalid") {
        let run = linea(&corpus(), &["keymap", "check", &file]);
        assert_eq!(run.status.code(), Some(2), "{file}");
        let stdout = text(&run.stdout);
        let lines = stdout.lines().count();
        assert!(lines > 0, "{file}: no problem printed");
        assert_eq!(
            text(&run.stderr),
            format!(
                "linea: {file}: {lines} {} in the keymap\n",
                if lines == 1 { "problem" } else { "problems" }
            )
        );
        let expected_path = corpus().join(file.replace(".toml", ".expected"));
        if bless {
            fs::write(&expected_path, &stdout).unwrap();
        }
        let expected = fs::read_to_string(&expected_path).unwrap_or_default();
        if stdout != expected {
            wrong.push(format!(
                "{file}\n--- expected\n{expected}--- printed\n{stdout}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_expected_file_has_its_keymap() {
    for entry in fs::read_dir(corpus().join("invalid")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "expected") {
            assert!(path.with_extension("toml").exists(), "{}", path.display());
        }
    }
}

#[test]
fn the_shipped_overlays_are_valid_and_the_corpus_has_vim_as_shipped() {
    let run = linea(&crate_dir(), &["keymap", "check", "keymaps/vim.toml"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stdout));
    assert_eq!(
        fs::read_to_string(crate_dir().join("keymaps/vim.toml")).unwrap(),
        fs::read_to_string(corpus().join("valid/vim.toml")).unwrap(),
        "tests/keymaps/valid/vim.toml is a copy of keymaps/vim.toml"
    );
}

/// The lines of one context in `linea keymap show`, without its header.
fn shown_context(shown: &str, context: &str) -> Vec<String> {
    shown
        .split("\n\n")
        .find(|block| block.starts_with(&format!("[{context}]\n")))
        .unwrap_or_else(|| panic!("no [{context}] in\n{shown}"))
        .lines()
        .skip(1)
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn show_lists_the_keys_in_use() {
    let run = linea(&corpus(), &["keymap", "show"]);
    assert_eq!(run.status.code(), Some(0));
    let shown = text(&run.stdout);
    let form = shown_context(&shown, "form");
    assert_eq!(form[0], "f2 = \"save\"");
    assert!(form.contains(&"ctrl-o = \"save\"".to_string()), "{form:?}");
    assert!(!shown_context(&shown, "list").contains(&"j = \"move-down\"".to_string()));

    let run = linea(&corpus(), &["--keymap", "valid/vim.toml", "keymap", "show"]);
    let shown = text(&run.stdout);
    let list = shown_context(&shown, "list");
    assert!(list.contains(&"j = \"move-down\"".to_string()), "{list:?}");
    assert!(
        list.contains(&"down = \"move-down\"".to_string()),
        "{list:?}"
    );

    // The environment variable works like --keymap.
    let run = Command::new(env!("CARGO_BIN_EXE_linea"))
        .args(["keymap", "show"])
        .current_dir(corpus())
        .env("LINEA_KEYMAP", "valid/vim.toml")
        .output()
        .unwrap();
    assert_eq!(text(&run.stdout), shown);
}

#[test]
fn show_refuses_a_broken_keymap() {
    let run = linea(
        &corpus(),
        &["--keymap", "invalid/unknown-key.toml", "keymap", "show"],
    );
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(text(&run.stdout), "");
    let stderr = text(&run.stderr);
    assert!(
        stderr.starts_with("linea: invalid/unknown-key.toml:4:1: unknown key 'pgdown'"),
        "{stderr}"
    );
    assert!(stderr.contains("3 more"), "{stderr}");
}

#[test]
fn check_of_a_missing_file_says_so() {
    let run = linea(&corpus(), &["keymap", "check", "no-such-keymap.toml"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(text(&run.stderr).contains("no-such-keymap.toml"));
}

/// The action names in the table under "## Actions" in keymaps/README.md, with their contexts.
fn readme_actions() -> Vec<(String, String)> {
    let readme = fs::read_to_string(crate_dir().join("keymaps/README.md")).unwrap();
    let (_, section) = readme.split_once("\n## Actions\n").unwrap();
    let section = section.split("\n## ").next().unwrap();
    section
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            // Rows are `| `name` | contexts | text |`: skip the header and the rule.
            let name = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            Some((name.to_string(), cells.get(2)?.to_string()))
        })
        .collect()
}

#[test]
fn the_readme_lists_every_action_and_no_other() {
    let documented = readme_actions();
    let in_readme: BTreeSet<&str> = documented.iter().map(|(name, _)| name.as_str()).collect();
    let registered: BTreeSet<&str> = ACTIONS.iter().map(|spec| spec.name).collect();
    assert_eq!(
        in_readme.len(),
        documented.len(),
        "an action twice in the README"
    );
    let missing: Vec<_> = registered.difference(&in_readme).collect();
    let unknown: Vec<_> = in_readme.difference(&registered).collect();
    assert!(missing.is_empty(), "not in keymaps/README.md: {missing:?}");
    assert!(unknown.is_empty(), "in keymaps/README.md only: {unknown:?}");
    for (name, contexts) in &documented {
        let spec = ACTIONS.iter().find(|spec| spec.name == name).unwrap();
        let registered: Vec<&str> = spec.contexts.iter().map(|c| c.name()).collect();
        assert_eq!(*contexts, registered.join(", "), "contexts of {name}");
    }
}
