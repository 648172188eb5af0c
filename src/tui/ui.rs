//! What every screen draws with: the messages in the operator's language, the styles the
//! terminal can show, the active keymap, and the reference (directory, place names) of the
//! pack the office applied.

use std::sync::Arc;

use ratatui::buffer::Buffer;
use unicode_width::UnicodeWidthStr;

use super::action::{Action, Context};
use super::keymap::{Key, Keymap};
use super::theme::Theme;
use crate::i18n::I18n;
use crate::model::ValidationError;
use crate::model::directory::Directory;
use crate::model::places::PlaceNames;
use crate::model::templates::{self, CallTemplate};
use crate::model::text::{inert, needs_escape};
use crate::store::{Opened, StoreError};

pub struct Ui {
    pub i18n: I18n,
    pub theme: Theme,
    pub keymap: Keymap,
    /// Loaded when a store is unlocked; the built-in directory before that.
    pub reference: Reference,
}

/// What central's reference pack gives the screens: the directory routing and the F8
/// screen use, the names place pickers and labels show, and the call templates. Without a
/// pack: the built-in directory, places of Peru and templates.
#[derive(Debug, Clone)]
pub struct Reference {
    /// Shared: screens keep the one they were opened with, whatever a later sync brings.
    pub directory: Arc<Directory>,
    pub places: Arc<PlaceNames>,
    pub templates: Arc<Vec<CallTemplate>>,
}

impl Default for Reference {
    fn default() -> Reference {
        Reference {
            directory: Arc::default(),
            places: Arc::default(),
            templates: Arc::new(templates::with_pack(Vec::new())),
        }
    }
}

impl Reference {
    /// The reference of the pack an office's `store` applied last, or the built-in one
    /// (central applies no packs: it builds them).
    pub fn of_store(store: &Opened) -> Result<Reference, StoreError> {
        let Opened::Office(office) = store else {
            return Ok(Reference::default());
        };
        Ok(match crate::exchange::pack::applied_content(office)? {
            Some((_, content)) => Reference {
                directory: Arc::new(content.directory()),
                places: Arc::new(content.place_names()),
                templates: Arc::new(templates::with_pack(content.templates())),
            },
            None => Reference::default(),
        })
    }
}

impl Ui {
    pub fn t(&self, id: &str) -> String {
        self.i18n.t(id)
    }

    /// The short label of an action, for the key bar and help.
    pub fn action_label(&self, action: Action) -> String {
        self.i18n.t(&format!("action-{}", action.name()))
    }

    pub fn action_help(&self, action: Action) -> String {
        self.i18n.t(&format!("action-{}-help", action.name()))
    }

    /// A refused record, in the operator's language, naming the field by its label.
    pub fn validation_message(&self, error: &ValidationError) -> String {
        let field = self.i18n.t(&format!("field-{}", error.field()));
        let (id, extra) = match error {
            ValidationError::Missing { .. } => ("error-missing", String::new()),
            ValidationError::UnknownCode { code, .. } => ("error-unknown-code", code.clone()),
            ValidationError::PersonalDataOnNonSubstantive { .. } => {
                ("error-personal-data", String::new())
            }
            ValidationError::InFuture { .. } => ("error-future", String::new()),
            ValidationError::BeforeCall { .. } => ("error-before-call", String::new()),
            ValidationError::NoSharingBasis => ("error-missing", String::new()),
            ValidationError::Invalid { message, .. } => ("error-invalid", message.clone()),
        };
        self.i18n
            .t_args(id, &[("field", field.into()), ("detail", extra.into())])
    }

    /// A store error in the operator's language when it is about the store itself (its
    /// folder, its disk, another linea); others as the store words them.
    pub fn store_error(&self, error: &StoreError) -> String {
        let id = match error {
            StoreError::Moved => "store-moved",
            StoreError::DiskFull => "store-disk-full",
            StoreError::ReadOnly => "store-read-only",
            StoreError::Busy => "store-busy",
            other => return other.to_string(),
        };
        self.t(id)
    }

    /// The first key bound to `action` in any of `contexts` or globally.
    pub fn key_for(&self, contexts: &[Context], action: Action) -> Option<Key> {
        contexts
            .iter()
            .chain(std::iter::once(&Context::Global))
            .find_map(|context| self.keymap.keys_for(*context, action).into_iter().next())
    }
}

/// A one-line message under the screen, made inert: errors quote files and records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub kind: MessageKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    Info,
    Success,
    Error,
}

impl Message {
    pub fn info(text: impl Into<String>) -> Message {
        Message {
            text: inert(&text.into()),
            kind: MessageKind::Info,
        }
    }

    pub fn success(text: impl Into<String>) -> Message {
        Message {
            text: inert(&text.into()),
            kind: MessageKind::Success,
        }
    }

    pub fn error(text: impl Into<String>) -> Message {
        Message {
            text: inert(&text.into()),
            kind: MessageKind::Error,
        }
    }
}

/// The last guard before the terminal: a cell that still holds a character [`inert`] would
/// have escaped (text some screen drew without making it inert) shows U+FFFD instead, so the
/// character is never sent and the gap stays visible. Screens make their text inert first,
/// so that it is shown in full.
pub fn disarm(buffer: &mut Buffer) {
    for cell in &mut buffer.content {
        let symbol = cell.symbol();
        if symbol.chars().any(needs_escape) && inert(symbol) != symbol {
            cell.set_symbol(REPLACEMENT);
        }
    }
}

const REPLACEMENT: &str = "\u{fffd}";

/// For a terminal whose locale is not UTF-8: every cell that is not ASCII is transliterated
/// ("Ñuñoa" shows as "Nunoa", "—" as "-"), as many columns as the character took, so that
/// no byte the terminal would show as garbage is sent and the layout stays. What has no
/// transliteration shows as `?`.
pub fn ascii_only(buffer: &mut Buffer) {
    for cell in &mut buffer.content {
        let symbol = cell.symbol();
        if symbol.is_ascii() {
            continue;
        }
        let columns = symbol.width().max(1);
        let mut ascii: String = deunicode::deunicode_with_tofu(symbol, "?")
            .chars()
            .filter(|c| c.is_ascii_graphic() || *c == ' ')
            .take(columns)
            .collect();
        if ascii.trim().is_empty() {
            ascii = "?".to_owned();
        }
        while ascii.len() < columns {
            ascii.push(' ');
        }
        cell.set_symbol(&ascii);
    }
}

#[cfg(test)]
mod tests {
    use ratatui::layout::Rect;
    use ratatui::text::Line;
    use ratatui::widgets::Widget;

    use super::*;

    #[test]
    fn without_utf_8_every_cell_is_ascii_and_as_wide_as_before() {
        let mut buffer = Buffer::empty(Rect::new(0, 0, 30, 1));
        Line::from("Ñuñoa — Huepetuhe… 日本 ✓").render(buffer.area, &mut buffer);
        ascii_only(&mut buffer);
        let shown: String = buffer.content.iter().map(|cell| cell.symbol()).collect();
        assert!(shown.is_ascii(), "{shown}");
        assert!(shown.starts_with("Nunoa - Huepetuhe. "), "{shown}");
        // A wide character keeps its two columns.
        assert_eq!(buffer.content[19].symbol().width(), 2);
    }

    #[test]
    fn cells_holding_controls_or_invisible_characters_are_replaced_visibly() {
        let mut buffer = Buffer::empty(Rect::new(0, 0, 30, 1));
        // A line drawn as it is adds zero-width characters to the cell before them.
        Line::from("ab\u{202e}cd\u{200b}e ñ 👩\u{200d}💻 \u{9b}").render(buffer.area, &mut buffer);
        disarm(&mut buffer);
        let shown: String = buffer.content.iter().map(|cell| cell.symbol()).collect();
        assert!(
            !shown.chars().any(|c| needs_escape(c) && c != '\u{200d}'),
            "{shown:?}"
        );
        assert!(
            shown.starts_with("a\u{fffd}c\u{fffd}e ñ 👩\u{200d}💻"),
            "{shown:?}"
        );
    }
}
