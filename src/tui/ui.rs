//! What every screen draws with: the messages in the operator's language, the styles the
//! terminal can show, the active keymap, and the reference (directory, place names) of the
//! pack the office applied.

use std::sync::Arc;

use super::action::{Action, Context};
use super::keymap::{Key, Keymap};
use super::theme::Theme;
use crate::i18n::I18n;
use crate::model::ValidationError;
use crate::model::directory::Directory;
use crate::model::places::PlaceNames;
use crate::store::{Store, StoreError};

pub struct Ui {
    pub i18n: I18n,
    pub theme: Theme,
    pub keymap: Keymap,
    /// Loaded when a store is unlocked; the built-in directory before that.
    pub reference: Reference,
}

/// What central's reference pack gives the screens: the directory routing and the F8
/// screen use, and the names place pickers and labels show. Without a pack: the built-in
/// directory and departments only.
#[derive(Debug, Clone, Default)]
pub struct Reference {
    /// Shared: screens keep the one they were opened with, whatever a later sync brings.
    pub directory: Arc<Directory>,
    pub places: Arc<PlaceNames>,
}

impl Reference {
    /// The reference of the pack `store` applied last, or the built-in one.
    pub fn of_store(store: &Store) -> Result<Reference, StoreError> {
        Ok(match crate::exchange::pack::applied_content(store)? {
            Some((_, content)) => Reference {
                directory: Arc::new(content.directory()),
                places: Arc::new(content.place_names()),
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

/// A one-line message under the screen.
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
            text: text.into(),
            kind: MessageKind::Info,
        }
    }

    pub fn success(text: impl Into<String>) -> Message {
        Message {
            text: text.into(),
            kind: MessageKind::Success,
        }
    }

    pub fn error(text: impl Into<String>) -> Message {
        Message {
            text: text.into(),
            kind: MessageKind::Error,
        }
    }
}
