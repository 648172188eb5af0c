//! Keys, keymaps and the checker behind `linea keymap check`.
//!
//! The default keymap (`keymaps/default.toml`) is built into the program. A user's keymap is an
//! overlay over it: `extends = "default"`, then one table per context listing only the keys that
//! change, `"none"` to unbind one. Every problem in a file is reported with its line and column,
//! so an operator's lead can fix all of them in one pass; the program never falls back to the
//! default silently, and never rewrites the user's file.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

use super::action::{ACTIONS, Action, Context};

const DEFAULT_FILE: &str = "keymaps/default.toml";
const DEFAULT_TEXT: &str = include_str!("../../keymaps/default.toml");

const CTRL: KeyModifiers = KeyModifiers::CONTROL;
const ALT: KeyModifiers = KeyModifiers::ALT;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;

/// Modifier prefixes as keymaps spell them, in the order names are printed.
const MODIFIERS: [(&str, &str, KeyModifiers); 3] = [
    ("ctrl-", "Ctrl-", CTRL),
    ("alt-", "Alt-", ALT),
    ("shift-", "Shift-", SHIFT),
];

/// Keys with a name: (name in keymaps, label in the key bar, code). F1–F12 are handled apart.
const NAMED: [(&str, &str, KeyCode); 15] = [
    ("tab", "Tab", KeyCode::Tab),
    ("enter", "Enter", KeyCode::Enter),
    ("esc", "Esc", KeyCode::Esc),
    ("backspace", "Backspace", KeyCode::Backspace),
    ("delete", "Delete", KeyCode::Delete),
    ("insert", "Insert", KeyCode::Insert),
    ("up", "Up", KeyCode::Up),
    ("down", "Down", KeyCode::Down),
    ("left", "Left", KeyCode::Left),
    ("right", "Right", KeyCode::Right),
    ("home", "Home", KeyCode::Home),
    ("end", "End", KeyCode::End),
    ("pgup", "PgUp", KeyCode::PageUp),
    ("pgdn", "PgDn", KeyCode::PageDown),
    ("space", "Space", KeyCode::Char(' ')),
];

/// Names people write from other programs, only to suggest ours.
const ALIASES: [(&str, &str); 9] = [
    ("escape", "esc"),
    ("return", "enter"),
    ("del", "delete"),
    ("ins", "insert"),
    ("pageup", "pgup"),
    ("pagedown", "pgdn"),
    ("pgdown", "pgdn"),
    ("backtab", "shift-tab"),
    ("bs", "backspace"),
];

/// One key press as keymaps see it: a key code and the ctrl, alt and shift modifiers.
///
/// Characters are matched as typed: `J` is the character J, whether or not the terminal also
/// reports shift, and there is no `shift-j`. Ctrl and a letter is always the lowercase letter,
/// because terminals send ctrl-shift-g and ctrl-g as the same byte. Shift-tab is one key
/// (crossterm's `BackTab`), with or without the shift the terminal may add.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    code: KeyCode,
    modifiers: KeyModifiers,
}

impl Key {
    /// A key from a code and modifiers, normalised as the type's documentation says.
    pub fn new(code: KeyCode, modifiers: KeyModifiers) -> Key {
        // Super, hyper and meta never reach us without the kitty protocol, which we do not use.
        let mut modifiers = modifiers & (CTRL | ALT | SHIFT);
        let code = match code {
            KeyCode::BackTab => {
                modifiers.remove(SHIFT);
                KeyCode::BackTab
            }
            KeyCode::Tab if modifiers.contains(SHIFT) => {
                modifiers.remove(SHIFT);
                KeyCode::BackTab
            }
            KeyCode::Char(c) => {
                modifiers.remove(SHIFT);
                if modifiers.contains(CTRL) {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            other => other,
        };
        Key { code, modifiers }
    }

    pub fn from_event(event: &KeyEvent) -> Key {
        Key::new(event.code, event.modifiers)
    }

    pub fn code(&self) -> KeyCode {
        self.code
    }

    pub fn modifiers(&self) -> KeyModifiers {
        self.modifiers
    }

    /// Parses a key name as keymaps write it: `f2`, `ctrl-g`, `shift-tab`, `pgdn`, `j`, `G`, `/`.
    /// Names are lowercase; only a single character stands for itself.
    pub fn parse(name: &str) -> Result<Key, String> {
        let (modifiers, base) = split_modifiers(name);
        let lowercase = lowercase_spelling(name, modifiers, base);
        if lowercase != name {
            return Err(format!("key names are lowercase: write '{lowercase}'"));
        }
        let code = parse_base(name, base)?;
        if let KeyCode::Char(c) = code
            && modifiers.contains(SHIFT)
        {
            return Err(shift_on_character(name, modifiers, c));
        }
        Ok(Key::new(code, modifiers))
    }

    /// The name keymap files use for this key, such as `ctrl-g` or `shift-tab`.
    pub fn name(&self) -> String {
        let mut name = String::new();
        for (prefix, _, modifier) in MODIFIERS {
            if self.modifiers.contains(modifier) {
                name.push_str(prefix);
            }
        }
        match self.code {
            KeyCode::Char(' ') => name.push_str("space"),
            KeyCode::Char(c) => name.push(c),
            KeyCode::F(n) => name.push_str(&format!("f{n}")),
            KeyCode::BackTab => name.push_str("shift-tab"),
            code => match NAMED.iter().find(|(_, _, named)| *named == code) {
                Some((named, _, _)) => name.push_str(named),
                // Only keys typed at the terminal get here (media keys and the like), never
                // keys from a keymap; they need a name only for debugging.
                None => name.push_str(&format!("{code:?}").to_lowercase()),
            },
        }
        name
    }

    /// A character typed without ctrl or alt, space included: text fields take these.
    pub fn is_printable(&self) -> bool {
        matches!(self.code, KeyCode::Char(_)) && !self.modifiers.intersects(CTRL | ALT)
    }

    /// Why terminals cannot deliver this key as itself, if they cannot (helix #6184, #6137,
    /// #6551; atuin #1577). Such keys are refused in keymaps rather than bound to nothing.
    pub fn undeliverable(&self) -> Option<&'static str> {
        let ctrl = self.modifiers.contains(CTRL);
        let alt = self.modifiers.contains(ALT);
        match self.code {
            KeyCode::Char(c) if ctrl => match c {
                's' => Some("it is flow control in many terminals (it freezes the screen)"),
                'q' => Some("it is flow control in many terminals (it unfreezes the screen)"),
                'z' => Some("it suspends the program in many terminals"),
                'h' => Some("terminals send it as backspace"),
                'i' => Some("terminals send it as tab"),
                'm' => Some("terminals send it as enter"),
                '[' => Some("terminals send it as esc"),
                'j' => Some("terminals send it as a newline, which many treat as enter"),
                '0'..='9' => {
                    Some("most terminals send nothing, or another key, for ctrl and a digit")
                }
                'a'..='z' | ' ' => None,
                _ => {
                    Some("most terminals send nothing, or another key, for ctrl and this character")
                }
            },
            // Esc [ and Esc O begin the sequences of arrows and function keys.
            KeyCode::Char('[' | 'O') if alt => {
                Some("terminals begin the codes of other keys with it")
            }
            KeyCode::Enter
            | KeyCode::Tab
            | KeyCode::BackTab
            | KeyCode::Backspace
            | KeyCode::Esc
                if ctrl || self.modifiers.contains(SHIFT) =>
            {
                Some("most terminals send it without its ctrl- or shift-")
            }
            _ => None,
        }
    }

    /// F1, F10 and F11 alone: GNOME and MATE terminals keep them for help, the menu and full
    /// screen, so the program never sees them there.
    fn taken_by_desktop_terminals(&self) -> bool {
        self.modifiers.is_empty() && matches!(self.code, KeyCode::F(1 | 10 | 11))
    }
}

/// As the key bar shows it, in plain ASCII: `F1`, `Ctrl-G`, `Alt-X`, `Shift-Tab`, `PgDn`, `j`.
impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (_, label, modifier) in MODIFIERS {
            if self.modifiers.contains(modifier) {
                f.write_str(label)?;
            }
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            // With ctrl or alt a letter reads as on the keycap; alt-X needs its shift spelt out
            // to differ from alt-x.
            KeyCode::Char(c) if self.modifiers.intersects(CTRL | ALT) => {
                if c.is_uppercase() {
                    write!(f, "Shift-{c}")
                } else {
                    write!(f, "{}", c.to_uppercase())
                }
            }
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "F{n}"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            code => match NAMED.iter().find(|(_, _, named)| *named == code) {
                Some((_, label, _)) => f.write_str(label),
                None => write!(f, "{code:?}"),
            },
        }
    }
}

/// Takes the modifier prefixes off a key name, in any order and any case (so that a wrongly
/// cased name can be reported with its right spelling).
fn split_modifiers(name: &str) -> (KeyModifiers, &str) {
    let mut modifiers = KeyModifiers::NONE;
    let mut rest = name;
    'strip: loop {
        for (prefix, _, modifier) in MODIFIERS {
            // `ctrl--` is ctrl and the minus key; a bare `ctrl-` has no key after it.
            if rest.len() > prefix.len()
                && rest.is_char_boundary(prefix.len())
                && rest[..prefix.len()].eq_ignore_ascii_case(prefix)
            {
                modifiers |= modifier;
                rest = &rest[prefix.len()..];
                continue 'strip;
            }
        }
        return (modifiers, rest);
    }
}

/// How the name should be spelt: lowercase, except a lone character, which stands for itself
/// unless ctrl makes its case meaningless.
fn lowercase_spelling(name: &str, modifiers: KeyModifiers, base: &str) -> String {
    let prefixes = name[..name.len() - base.len()].to_ascii_lowercase();
    let single_char = base.chars().count() == 1;
    if single_char && !modifiers.contains(CTRL) {
        format!("{prefixes}{base}")
    } else {
        format!("{prefixes}{}", base.to_lowercase())
    }
}

fn parse_base(name: &str, base: &str) -> Result<KeyCode, String> {
    let mut chars = base.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return match c {
            ' ' => Err("write 'space' for the space bar".to_string()),
            c if c.is_control() => Err(format!(
                "unknown key {name:?}; see keymaps/README.md for key names"
            )),
            c => Ok(KeyCode::Char(c)),
        };
    }
    if let Some((_, _, code)) = NAMED.iter().find(|(named, _, _)| *named == base) {
        return Ok(*code);
    }
    if let Some(digits) = base.strip_prefix('f')
        && !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
    {
        return match digits.parse::<u8>() {
            Ok(n @ 1..=12) if !digits.starts_with('0') => Ok(KeyCode::F(n)),
            _ => Err(format!(
                "unknown key '{name}'; function keys go from f1 to f12"
            )),
        };
    }
    // `cmd-x`, `ctl-x`: a prefix that is not a modifier.
    if let Some((prefix, _)) = base.split_once('-') {
        let modifiers = MODIFIERS.map(|(modifier, _, _)| modifier.trim_end_matches('-'));
        return Err(if modifiers.contains(&prefix) {
            format!("'{name}' has no key after its last '-'")
        } else if let Some(modifier) = did_you_mean(prefix, modifiers) {
            format!("unknown modifier '{prefix}-'; did you mean '{modifier}-'?")
        } else {
            format!("unknown modifier '{prefix}-'; the modifiers are ctrl-, alt- and shift-")
        });
    }
    let known = ALIASES
        .iter()
        .find(|(alias, _)| *alias == base)
        .map(|(_, ours)| *ours);
    let names = NAMED.iter().map(|(named, _, _)| *named);
    match known.or_else(|| did_you_mean(base, names)) {
        Some(ours) => Err(format!(
            "unknown key '{name}'; did you mean '{}{ours}'?",
            &name[..name.len() - base.len()]
        )),
        None => Err(format!(
            "unknown key '{name}'; see keymaps/README.md for key names"
        )),
    }
}

/// Shift cannot be bound on characters: the terminal sends the shifted character instead.
fn shift_on_character(name: &str, modifiers: KeyModifiers, c: char) -> String {
    let upper: String = c.to_uppercase().collect();
    if modifiers.contains(CTRL) {
        format!(
            "terminals send '{name}' as '{}'; drop 'shift-'",
            name.replacen("shift-", "", 1)
        )
    } else if c != ' ' && upper.chars().count() == 1 && upper != c.to_string() {
        let typed = name.replacen("shift-", "", 1);
        let typed = format!("{}{upper}", &typed[..typed.len() - c.len_utf8()]);
        format!("characters are written as typed: write '{typed}', not '{name}'")
    } else {
        format!("characters are written as typed, without 'shift-': '{name}' cannot be bound")
    }
}

/// The closest candidate, if it is close enough to be what the writer meant.
fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(word, candidate), candidate))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

/// Which keys do what, per context, in the order of the files that made it. There is no empty
/// keymap to fall back on: start from `builtin()` or `load()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    bindings: BTreeMap<Context, Vec<(Key, Action)>>,
}

impl Keymap {
    /// The built-in default keymap.
    pub fn builtin() -> Keymap {
        // A unit test proves the built-in file has no problems. Were one to slip in anyway, the
        // keys that did parse still work, which beats refusing to start.
        check_text(DEFAULT_FILE, DEFAULT_TEXT, KeymapKind::Default).0
    }

    /// What a key does on a screen that is in `contexts`: the first of them that binds the key
    /// wins, then `global`.
    pub fn resolve(&self, contexts: &[Context], key: &Key) -> Option<Action> {
        contexts
            .iter()
            .chain(std::iter::once(&Context::Global))
            .find_map(|context| {
                self.bindings
                    .get(context)?
                    .iter()
                    .find(|(bound, _)| bound == key)
                    .map(|(_, action)| *action)
            })
    }

    /// The keys for an action in one context, in file order (the first is the one to show).
    pub fn keys_for(&self, context: Context, action: Action) -> Vec<Key> {
        self.bindings(context)
            .into_iter()
            .filter(|(_, bound)| *bound == action)
            .map(|(key, _)| key)
            .collect()
    }

    /// Every key of a context and its action, in file order.
    pub fn bindings(&self, context: Context) -> Vec<(Key, Action)> {
        self.bindings.get(&context).cloned().unwrap_or_default()
    }

    /// Applies one table's bindings (distinct keys, in file order) to a context: a key bound
    /// there already changes in place, or is unbound with `None`; a new key goes at the end.
    /// One pass over each list, however many keys there are.
    fn bind_all(&mut self, context: Context, changes: Vec<(Key, Option<Action>)>) {
        let mut pending: HashMap<Key, Option<Action>> = changes.iter().copied().collect();
        let list = self.bindings.entry(context).or_default();
        list.retain_mut(|(key, action)| match pending.remove(key) {
            Some(Some(new)) => {
                *action = new;
                true
            }
            Some(None) => false,
            None => true,
        });
        list.extend(
            changes
                .into_iter()
                .filter(|(key, _)| pending.contains_key(key))
                .filter_map(|(key, action)| Some((key, action?))),
        );
    }
}

/// One thing wrong in a keymap file, where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// Which kind of file is checked: the built-in default, or a user's overlay over it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeymapKind {
    Default,
    Overlay,
}

/// Reads a user's keymap and applies it over the default; every problem if it has any.
pub fn load(path: &Path) -> Result<Keymap, Vec<Problem>> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        vec![Problem {
            file: file.clone(),
            line: 1,
            column: 1,
            message: format!("cannot read the keymap: {e}"),
        }]
    })?;
    let text = utf8_text(&file, bytes).map_err(|problem| vec![problem])?;
    match check_text(&file, &text, KeymapKind::Overlay) {
        (keymap, problems) if problems.is_empty() => Ok(keymap),
        (_, problems) => Err(problems),
    }
}

/// A keymap file's bytes as text. Bytes that are not UTF-8 are a problem, placed at the
/// first of them.
pub fn utf8_text(file: &str, bytes: Vec<u8>) -> Result<String, Problem> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let text = std::str::from_utf8(&e.as_bytes()[..valid]).unwrap_or_default();
        let (line, column) = Places::of(text, [valid]).get(valid);
        Problem {
            file: file.to_string(),
            line,
            column,
            message: "not UTF-8 text: linea reads keymaps as UTF-8; save the file as UTF-8".into(),
        }
    })
}

/// Checks a keymap's text and builds the keymap from the entries that are right. `file` is
/// the name problems carry. An overlay is applied over the built-in default.
pub fn check_text(file: &str, text: &str, kind: KeymapKind) -> (Keymap, Vec<Problem>) {
    let mut checker = Checker {
        text,
        found: Vec::new(),
    };
    let mut keymap = match kind {
        KeymapKind::Default => Keymap {
            bindings: BTreeMap::new(),
        },
        KeymapKind::Overlay => Keymap::builtin(),
    };
    let (document, errors) = DeTable::parse_recoverable(text);
    let mut whole_keymap = Vec::new();
    if errors.is_empty() {
        checker.document(document.get_ref(), kind, &mut keymap);
        whole_keymap = missing_essentials(&keymap);
    } else {
        // What a broken file would bind is guesswork: report the syntax and stop there.
        for error in errors {
            checker.syntax(&error);
        }
    }
    // Problems in file order; the ones about the whole keymap come last.
    let mut found = checker.found;
    found.sort_by_key(|f| f.at);
    let places = Places::of(
        text,
        found.iter().flat_map(|f| [Some(f.at), f.see]).flatten(),
    );
    let mut problems: Vec<Problem> = found
        .into_iter()
        .map(|f| {
            let (line, column) = places.get(f.at);
            let message = match f.see {
                Some(see) => format!("{} on line {}", f.message, places.get(see).0),
                None => f.message,
            };
            Problem {
                file: file.to_string(),
                line,
                column,
                message,
            }
        })
        .collect();
    problems.extend(whole_keymap.into_iter().map(|message| Problem {
        file: file.to_string(),
        line: 1,
        column: 1,
        message,
    }));
    (keymap, problems)
}

type Entry<'i> = (&'i Spanned<DeString<'i>>, &'i Spanned<DeValue<'i>>);

/// A table's entries in file order (the parser's map may be sorted by name).
fn in_file_order<'i>(table: &'i DeTable<'i>) -> Vec<Entry<'i>> {
    let mut entries: Vec<Entry<'i>> = table.iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    entries
}

/// One problem as found: its byte offset, and perhaps another offset its message points to
/// (" on line N" is added once lines are counted, for all problems in one pass).
struct Found {
    at: usize,
    message: String,
    see: Option<usize>,
}

/// Collects problems.
struct Checker<'t> {
    text: &'t str,
    found: Vec<Found>,
}

impl Checker<'_> {
    fn problem(&mut self, at: usize, message: String) {
        self.found.push(Found {
            at,
            message,
            see: None,
        });
    }

    fn syntax(&mut self, error: &toml::de::Error) {
        let span = error.span().unwrap_or(0..0);
        let message = match error.message() {
            // The parser's words for a key written twice in one table.
            "duplicate key" => format!(
                "'{}' appears twice in the same table",
                self.text
                    .get(span.clone())
                    .unwrap_or_default()
                    .trim_matches(['"', '\''])
            ),
            message => format!("not valid TOML: {message}"),
        };
        self.problem(span.start, message);
    }

    fn document(&mut self, document: &DeTable<'_>, kind: KeymapKind, keymap: &mut Keymap) {
        let extends = document.iter().find(|(key, _)| key.get_ref() == "extends");
        match (kind, extends) {
            (KeymapKind::Overlay, None) => self.problem(
                0,
                "a keymap starts with extends = \"default\" and lists only its changes".into(),
            ),
            (KeymapKind::Overlay, Some((_, value))) => {
                if value.get_ref().as_str() != Some("default") {
                    self.problem(
                        value.span().start,
                        "only \"default\" can be extended: write extends = \"default\"".into(),
                    );
                }
            }
            (KeymapKind::Default, Some((key, _))) => self.problem(
                key.span().start,
                "the default keymap extends nothing".into(),
            ),
            (KeymapKind::Default, None) => {}
        }
        for (name, value) in in_file_order(document) {
            if name.get_ref() == "extends" {
                continue;
            }
            let Some(context) = self.context(name) else {
                continue;
            };
            match value.get_ref() {
                DeValue::Table(table) => self.context_table(context, table, kind, keymap),
                _ => self.problem(
                    name.span().start,
                    format!(
                        "'{context}' must be a table: [{context}], then \"key\" = \"action\" lines"
                    ),
                ),
            }
        }
    }

    fn context(&mut self, name: &Spanned<DeString<'_>>) -> Option<Context> {
        let context = Context::from_name(name.get_ref());
        if context.is_none() {
            let names = Context::ALL.map(Context::name);
            let name_text = name.get_ref();
            let message = if Key::parse(name_text).is_ok() {
                format!(
                    "'{name_text}' is outside any table: put it under a context such as [global]"
                )
            } else if let Some(known) = did_you_mean(name_text, names) {
                format!("unknown context '{name_text}'; did you mean '{known}'?")
            } else {
                format!(
                    "unknown context '{name_text}'; the contexts are {}",
                    names.join(", ")
                )
            };
            self.problem(name.span().start, message);
        }
        context
    }

    fn context_table(
        &mut self,
        context: Context,
        table: &DeTable<'_>,
        kind: KeymapKind,
        keymap: &mut Keymap,
    ) {
        // Keys already bound in this table, to catch one key spelt two ways (alt-ctrl-x and
        // ctrl-alt-x); the parser already refuses the same spelling twice.
        let mut seen: HashMap<Key, (String, usize)> = HashMap::new();
        let mut changes = Vec::new();
        for (name, value) in in_file_order(table) {
            let key = self.key(context, name);
            let action = self.action(context, value, kind);
            let (Some(key), Some(action)) = (key, action) else {
                continue;
            };
            if let Some((first, at)) = seen.get(&key) {
                self.found.push(Found {
                    at: name.span().start,
                    message: format!(
                        "'{}' is bound twice in [{context}]: it is '{first}'",
                        name.get_ref()
                    ),
                    see: Some(*at),
                });
                continue;
            }
            seen.insert(key, (name.get_ref().to_string(), name.span().start));
            changes.push((key, action));
        }
        keymap.bind_all(context, changes);
    }

    /// The key of an entry, if it is a key this context can bind.
    fn key(&mut self, context: Context, name: &Spanned<DeString<'_>>) -> Option<Key> {
        let at = name.span().start;
        let text = name.get_ref();
        if text == "extends" {
            self.problem(
                at,
                "extends = \"default\" belongs at the top, before any [table]".into(),
            );
            return None;
        }
        let key = match Key::parse(text) {
            Ok(key) => key,
            Err(message) => {
                self.problem(at, message);
                return None;
            }
        };
        if let Some(reason) = key.undeliverable() {
            self.problem(at, format!("'{text}' cannot be used: {reason}"));
            return None;
        }
        // [global] keys apply in forms and dialogs too.
        if key.is_printable() && (context.takes_text() || context == Context::Global) {
            let place = match context {
                Context::Global => "in forms, where [global] keys apply too".to_string(),
                _ => format!("in [{context}]"),
            };
            let fix = "bind it in [list] or use a ctrl- key";
            self.problem(
                at,
                format!("'{text}' is typed into text fields {place}; {fix}"),
            );
            return None;
        }
        Some(key)
    }

    /// The action of an entry: `Some(None)` for "none", `None` if it is wrong.
    fn action(
        &mut self,
        context: Context,
        value: &Spanned<DeValue<'_>>,
        kind: KeymapKind,
    ) -> Option<Option<Action>> {
        let at = value.span().start;
        let Some(name) = value.get_ref().as_str() else {
            self.problem(
                at,
                "bind a key to an action name in quotes, like \"save\", or to \"none\"".into(),
            );
            return None;
        };
        if name == "none" {
            if kind == KeymapKind::Default {
                self.problem(
                    at,
                    "\"none\" unbinds a default key; the default itself has none to unbind".into(),
                );
                return None;
            }
            return Some(None);
        }
        let Some(action) = Action::from_name(name) else {
            let names = ACTIONS.iter().map(|spec| spec.name).chain(["none"]);
            let message = match did_you_mean(name, names) {
                Some(known) => format!("unknown action '{name}'; did you mean '{known}'?"),
                None => format!("unknown action '{name}'; keymaps/README.md lists the actions"),
            };
            self.problem(at, message);
            return None;
        };
        let contexts = action.spec().contexts;
        if !contexts.contains(&context) {
            let names: Vec<&str> = contexts.iter().map(|c| c.name()).collect();
            self.problem(
                at,
                format!(
                    "'{name}' means nothing in [{context}]; it belongs in: {}",
                    names.join(", ")
                ),
            );
            return None;
        }
        Some(Some(action))
    }
}

/// Help, back, save and quit each need a key the operator can press, or they could be stuck.
fn missing_essentials(keymap: &Keymap) -> Vec<String> {
    let mut messages = Vec::new();
    for action in Action::ESSENTIAL {
        let contexts = action.spec().contexts;
        let keys: Vec<Key> = contexts
            .iter()
            .flat_map(|context| keymap.keys_for(*context, action))
            .collect();
        let where_: Vec<String> = contexts.iter().map(|c| format!("[{c}]")).collect();
        if keys.is_empty() {
            messages.push(format!(
                "the keymap leaves '{}' without a key in {}",
                action.name(),
                where_.join(", ")
            ));
        } else if keys.iter().all(Key::taken_by_desktop_terminals) {
            let names: Vec<String> = keys.iter().map(Key::name).collect();
            let taken = "which GNOME and MATE terminals keep for themselves";
            let fix = "it also needs a key that GNOME Terminal does not take";
            messages.push(format!(
                "'{}' is bound only to {}, {taken}; {fix}",
                action.name(),
                names.join(" and ")
            ));
        }
    }
    messages
}

/// 1-based lines and columns (in characters) of byte offsets into a text, all counted in
/// one pass over it: a file with many problems takes no longer per problem than one with few.
struct Places {
    sorted: Vec<(usize, (usize, usize))>,
}

impl Places {
    fn of(text: &str, offsets: impl IntoIterator<Item = usize>) -> Places {
        let mut wanted: Vec<usize> = offsets.into_iter().collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut sorted = Vec::with_capacity(wanted.len());
        let (mut line, mut column) = (1, 1);
        let mut chars = text.char_indices().peekable();
        for at in wanted {
            while let Some((_, c)) = chars.next_if(|(i, _)| *i < at) {
                if c == '\n' {
                    line += 1;
                    column = 1;
                } else {
                    column += 1;
                }
            }
            sorted.push((at, (line, column)));
        }
        Places { sorted }
    }

    fn get(&self, at: usize) -> (usize, usize) {
        self.sorted
            .binary_search_by_key(&at, |(offset, _)| *offset)
            .map_or((1, 1), |index| self.sorted[index].1)
    }
}

/// Every context and its keys, aligned, for `linea keymap show`. The text is itself a complete
/// keymap in the default's format.
pub fn show(keymap: &Keymap) -> String {
    let mut out = String::new();
    for (i, context) in Context::ALL.into_iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&format!("[{context}]\n"));
        let names: Vec<(String, Action)> = keymap
            .bindings(context)
            .into_iter()
            .map(|(key, action)| (toml_key(&key.name()), action))
            .collect();
        let width = names
            .iter()
            .map(|(name, _)| name.chars().count())
            .max()
            .unwrap_or(0);
        for (name, action) in names {
            out.push_str(&format!("{name:width$} = \"{}\"\n", action.name()));
        }
    }
    out
}

/// A key name as a TOML key: bare when TOML allows it, else quoted.
fn toml_key(name: &str) -> String {
    if name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return name.to_string();
    }
    let mut quoted = String::from("\"");
    for c in name.chars() {
        if matches!(c, '"' | '\\') {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: &str) -> Key {
        Key::parse(name).unwrap()
    }

    fn overlay(text: &str) -> (Keymap, Vec<String>) {
        let (keymap, problems) = check_text("k.toml", text, KeymapKind::Overlay);
        (keymap, problems.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn the_builtin_keymap_has_no_problems() {
        let (keymap, problems) = check_text(DEFAULT_FILE, DEFAULT_TEXT, KeymapKind::Default);
        assert_eq!(problems, vec![]);
        assert_eq!(keymap, Keymap::builtin());
        for action in Action::ESSENTIAL {
            let context = action.spec().contexts[0];
            assert!(!keymap.keys_for(context, action).is_empty(), "{action:?}");
        }
    }

    #[test]
    fn the_builtin_keymap_follows_the_design_table() {
        let keymap = Keymap::builtin();
        let names = |context, action| -> Vec<String> {
            keymap
                .keys_for(context, action)
                .iter()
                .map(Key::name)
                .collect()
        };
        assert_eq!(names(Context::Global, Action::Help), ["f1", "ctrl-g"]);
        assert_eq!(names(Context::Form, Action::Save), ["f2", "ctrl-o"]);
        assert_eq!(names(Context::Global, Action::Quit), ["f10", "ctrl-c"]);
        assert_eq!(names(Context::Global, Action::Back), ["esc"]);
        assert_eq!(names(Context::Form, Action::PrevField), ["shift-tab", "up"]);
        assert_eq!(names(Context::Dialog, Action::Confirm), ["enter"]);
    }

    #[test]
    fn key_names_round_trip_and_display_in_ascii() {
        for (name, label) in [
            ("f1", "F1"),
            ("f12", "F12"),
            ("ctrl-g", "Ctrl-G"),
            ("alt-x", "Alt-X"),
            ("alt-X", "Alt-Shift-X"),
            ("shift-tab", "Shift-Tab"),
            ("enter", "Enter"),
            ("esc", "Esc"),
            ("up", "Up"),
            ("pgdn", "PgDn"),
            ("pgup", "PgUp"),
            ("space", "Space"),
            ("ctrl-space", "Ctrl-Space"),
            ("j", "j"),
            ("G", "G"),
            ("/", "/"),
            ("?", "?"),
            ("-", "-"),
            ("ctrl--", "Ctrl--"),
            ("ctrl-alt-delete", "Ctrl-Alt-Delete"),
            ("shift-up", "Shift-Up"),
        ] {
            let key = key(name);
            assert_eq!(key.name(), name);
            assert_eq!(key.to_string(), label);
            assert!(key.to_string().is_ascii());
        }
        assert_eq!(key("alt-ctrl-x"), key("ctrl-alt-x"));
    }

    #[test]
    fn bad_key_names_say_how_to_write_them() {
        for (name, message) in [
            ("F1", "key names are lowercase: write 'f1'"),
            ("Ctrl-g", "key names are lowercase: write 'ctrl-g'"),
            ("ctrl-G", "key names are lowercase: write 'ctrl-g'"),
            ("Shift-Tab", "key names are lowercase: write 'shift-tab'"),
            ("PgDn", "key names are lowercase: write 'pgdn'"),
            (
                "shift-j",
                "characters are written as typed: write 'J', not 'shift-j'",
            ),
            (
                "alt-shift-j",
                "characters are written as typed: write 'alt-J', not 'alt-shift-j'",
            ),
            (
                "ctrl-shift-g",
                "terminals send 'ctrl-shift-g' as 'ctrl-g'; drop 'shift-'",
            ),
            ("pgdown", "unknown key 'pgdown'; did you mean 'pgdn'?"),
            (
                "ctrl-escape",
                "unknown key 'ctrl-escape'; did you mean 'ctrl-esc'?",
            ),
            ("ctl-g", "unknown modifier 'ctl-'; did you mean 'ctrl-'?"),
            ("f13", "unknown key 'f13'; function keys go from f1 to f12"),
            (
                "hyper-x",
                "unknown modifier 'hyper-'; the modifiers are ctrl-, alt- and shift-",
            ),
            ("ctrl-", "'ctrl-' has no key after its last '-'"),
            (" ", "write 'space' for the space bar"),
            (
                "zzz",
                "unknown key 'zzz'; see keymaps/README.md for key names",
            ),
        ] {
            assert_eq!(Key::parse(name), Err(message.to_string()), "{name}");
        }
        // Odd input gets an answer, never a panic.
        for name in [
            "", "-", "--", "f", "f0", "f01", "ñ-x", "ctrl-ñ", "shift-ß", "\t", "é",
        ] {
            let _ = Key::parse(name);
        }
    }

    #[test]
    fn events_are_normalised_as_documented() {
        use crossterm::event::KeyEvent;
        let event = |code, modifiers| Key::from_event(&KeyEvent::new(code, modifiers));
        // crossterm adds shift to uppercase characters; characters match as typed.
        assert_eq!(event(KeyCode::Char('G'), SHIFT), key("G"));
        assert_eq!(event(KeyCode::Char('?'), SHIFT), key("?"));
        assert_eq!(event(KeyCode::Char('g'), CTRL), key("ctrl-g"));
        assert_eq!(event(KeyCode::Char('G'), CTRL | SHIFT), key("ctrl-g"));
        assert_eq!(event(KeyCode::BackTab, SHIFT), key("shift-tab"));
        assert_eq!(
            event(KeyCode::BackTab, KeyModifiers::NONE),
            key("shift-tab")
        );
        assert_eq!(event(KeyCode::Tab, SHIFT), key("shift-tab"));
        assert_eq!(event(KeyCode::F(2), KeyModifiers::NONE), key("f2"));
        assert_eq!(event(KeyCode::Char(' '), KeyModifiers::NONE), key("space"));
        assert_eq!(event(KeyCode::Up, SHIFT), key("shift-up"));
        assert_eq!(
            event(KeyCode::Char('x'), ALT | KeyModifiers::SUPER),
            key("alt-x")
        );
        assert!(key("j").is_printable());
        assert!(key("space").is_printable());
        assert!(!key("ctrl-j").is_printable());
        assert!(!key("alt-j").is_printable());
        assert!(!key("f2").is_printable());
    }

    #[test]
    fn keys_terminals_cannot_deliver_are_refused() {
        for name in [
            "ctrl-s",
            "ctrl-q",
            "ctrl-z",
            "ctrl-h",
            "ctrl-i",
            "ctrl-m",
            "ctrl-[",
            "ctrl-j",
            "ctrl-0",
            "ctrl-9",
            "ctrl-/",
            "alt-[",
            "alt-O",
            "ctrl-enter",
            "shift-enter",
            "ctrl-tab",
            "ctrl-shift-tab",
            "ctrl-backspace",
        ] {
            assert!(key(name).undeliverable().is_some(), "{name}");
        }
        for name in [
            "ctrl-g",
            "ctrl-space",
            "alt-x",
            "alt-enter",
            "shift-tab",
            "f10",
            "ctrl-up",
        ] {
            assert_eq!(key(name).undeliverable(), None, "{name}");
        }
    }

    #[test]
    fn the_first_context_that_binds_a_key_wins_then_global() {
        let (keymap, problems) = overlay(
            r#"extends = "default"
[list]
"f5" = "filter"
"j" = "move-down"
"#,
        );
        assert_eq!(problems, Vec::<String>::new());
        let f5 = key("f5");
        assert_eq!(keymap.resolve(&[Context::List], &f5), Some(Action::Filter));
        assert_eq!(keymap.resolve(&[Context::Form], &f5), Some(Action::Calls));
        assert_eq!(
            keymap.resolve(&[Context::Dialog, Context::List], &key("down")),
            Some(Action::MoveDown)
        );
        assert_eq!(
            keymap.resolve(&[Context::List], &key("j")),
            Some(Action::MoveDown)
        );
        assert_eq!(keymap.resolve(&[Context::Form], &key("j")), None);
        assert_eq!(keymap.resolve(&[], &key("esc")), Some(Action::Back));
    }

    #[test]
    fn overlays_replace_in_place_add_at_the_end_and_unbind_with_none() {
        let (keymap, problems) = overlay(
            r#"extends = "default"
[global]
"f1" = "none"
"ctrl-x" = "quit"
"f5" = "new-call"
"#,
        );
        assert_eq!(problems, Vec::<String>::new());
        let names = |action| -> Vec<String> {
            keymap
                .keys_for(Context::Global, action)
                .iter()
                .map(Key::name)
                .collect()
        };
        assert_eq!(names(Action::Help), ["ctrl-g"]);
        assert_eq!(names(Action::Quit), ["f10", "ctrl-c", "ctrl-x"]);
        assert_eq!(names(Action::NewCall), ["f3", "f5"]);
        assert_eq!(names(Action::Calls), Vec::<String>::new());
        let order: Vec<String> = keymap
            .bindings(Context::Global)
            .iter()
            .map(|(k, _)| k.name())
            .collect();
        assert_eq!(
            order,
            [
                "ctrl-g", "f3", "ctrl-n", "f4", "f5", "f6", "f7", "f8", "ctrl-u", "f9", "f10",
                "ctrl-c", "ctrl-l", "esc", "f12", "ctrl-e", "ctrl-x"
            ]
        );
    }

    #[test]
    fn problems_carry_line_and_column_in_characters() {
        let (_, problems) = overlay("extends = 'default'\n[list]\n'ñ' = 'open', 'k' = 'sve'\n");
        assert_eq!(problems.len(), 1, "{problems:?}");
        // The parser stops at the comma: column 13 counts ñ as one character.
        assert!(
            problems[0].starts_with("k.toml:3:13: not valid TOML"),
            "{problems:?}"
        );
        let (_, problems) = overlay("extends = 'default'\n[list]\n'ñ' = 'sve'\n");
        assert_eq!(
            problems,
            ["k.toml:3:7: unknown action 'sve'; did you mean 'save'?"]
        );
    }

    #[test]
    fn every_problem_is_reported_in_file_order() {
        let (_, problems) = overlay(
            r#"[lst]
"j" = "move-down"
[form]
"j" = "next-field"
"ctrl-s" = "save"
"f2" = "open"
"#,
        );
        assert_eq!(
            problems,
            [
                "k.toml:1:1: a keymap starts with extends = \"default\" and lists only its changes",
                "k.toml:1:2: unknown context 'lst'; did you mean 'list'?",
                "k.toml:4:1: 'j' is typed into text fields in [form]; bind it in [list] or use a ctrl- key",
                "k.toml:5:1: 'ctrl-s' cannot be used: it is flow control in many terminals \
                 (it freezes the screen)",
                "k.toml:6:8: 'open' means nothing in [form]; it belongs in: list",
            ]
        );
    }

    #[test]
    fn show_prints_a_keymap_that_reads_back_the_same() {
        let keymap = check_text(
            "k.toml",
            include_str!("../../keymaps/vim.toml"),
            KeymapKind::Overlay,
        )
        .0;
        let text = show(&keymap);
        assert!(text.contains("[form]\nf2        = \"save\"\n"), "{text}");
        assert!(text.contains("\"/\"    = \"filter\"\n"), "{text}");
        let (again, problems) = check_text("show", &text, KeymapKind::Default);
        assert_eq!(problems, vec![]);
        assert_eq!(again, keymap);
    }

    #[test]
    fn line_and_column_count_characters() {
        let text = "ab\nñx\n";
        let places = Places::of(text, [text.len(), 5, 0, 3, 5]);
        assert_eq!(places.get(0), (1, 1));
        assert_eq!(places.get(3), (2, 1));
        assert_eq!(places.get(5), (2, 2));
        assert_eq!(places.get(text.len()), (3, 1));
    }

    /// Thousands of problems, each named at its own line, in file order, and a key bound
    /// twice pointing at the first: what one pass over the text must get right.
    #[test]
    fn every_one_of_many_problems_is_placed_on_its_line() {
        let count = 5_000;
        let mut text = String::from("extends = \"default\"\n[list]\n");
        for i in 0..count {
            let c = char::from_u32(0x4e00 + i).unwrap();
            text.push_str(&format!("\"{c}\" = \"sve\"\n"));
        }
        text.push_str("\"alt-ctrl-x\" = \"open\"\n\"ctrl-alt-x\" = \"open\"\n");
        let (_, problems) = check_text("k.toml", &text, KeymapKind::Overlay);
        let count = count as usize;
        assert_eq!(problems.len(), count + 1);
        for (i, problem) in problems[..count].iter().enumerate() {
            assert_eq!((problem.line, problem.column), (i + 3, 7), "{problem}");
            assert!(
                problem.message.starts_with("unknown action 'sve'"),
                "{problem}"
            );
        }
        let twice = &problems[count];
        assert_eq!(twice.line, count + 4, "{twice}");
        assert!(
            twice
                .message
                .ends_with(&format!("it is 'alt-ctrl-x' on line {}", count + 3)),
            "{twice}"
        );
    }

    /// Thousands of keys in one table are all bound, in file order, after the default's.
    #[test]
    fn a_table_of_many_keys_binds_each_once_in_file_order() {
        let count = 5_000;
        let mut text = String::from("extends = \"default\"\n[list]\n\"f5\" = \"none\"\n");
        let keys: Vec<char> = (0..count)
            .map(|i| char::from_u32(0x4e00 + i).unwrap())
            .collect();
        for c in &keys {
            text.push_str(&format!("\"{c}\" = \"open\"\n"));
        }
        let (keymap, problems) = check_text("k.toml", &text, KeymapKind::Overlay);
        assert_eq!(problems, vec![]);
        let builtin = Keymap::builtin().bindings(Context::List);
        let bound = keymap.bindings(Context::List);
        let added: Vec<Key> = bound[bound.len() - keys.len()..]
            .iter()
            .map(|(key, _)| *key)
            .collect();
        assert_eq!(
            added,
            keys.iter().map(|c| key(&c.to_string())).collect::<Vec<_>>()
        );
        assert!(bound.iter().all(|(k, _)| *k != key("f5")), "f5 unbound");
        assert_eq!(
            bound.len(),
            builtin.len() - usize::from(builtin.iter().any(|(k, _)| *k == key("f5"))) + keys.len()
        );
    }
}
