//! The registry of everything an operator can ask for with a key. Keymaps bind keys to these
//! names; the help screen and the key bar are generated from it, so they cannot be wrong.
//! Each action's label and help text are translated (`action-NAME`, `action-NAME-help`).

use std::fmt;

/// What reaches a screen: a named action, or a key that edits text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Action(Action),
    Edit(super::widgets::text::Edit),
}

/// Where a key is looked up. A screen is in one or more contexts; `global` always applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    Global,
    /// Lists of records.
    List,
    /// Forms: a focused text field takes printable keys first.
    Form,
    /// Pop-ups: pick lists (with type-ahead text) and questions.
    Dialog,
    Help,
    /// The lock screen, over its form: the panic wipe.
    Locked,
}

impl Context {
    pub const ALL: [Context; 6] = [
        Context::Global,
        Context::List,
        Context::Form,
        Context::Dialog,
        Context::Help,
        Context::Locked,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::List => "list",
            Context::Form => "form",
            Context::Dialog => "dialog",
            Context::Help => "help",
            Context::Locked => "locked",
        }
    }

    pub fn from_name(name: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == name)
    }

    /// Contexts where typing goes into text, so printable keys cannot be bound.
    pub fn takes_text(self) -> bool {
        matches!(self, Context::Form | Context::Dialog | Context::Locked)
    }
}

impl fmt::Display for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    Help,
    Quit,
    Lock,
    Back,
    NewCall,
    CallTemplate,
    Calls,
    Save,
    NextField,
    PrevField,
    Choose,
    RecordTransfer,
    RecordPoliceReport,
    MoveUp,
    MoveDown,
    PageUp,
    PageDown,
    First,
    Last,
    Open,
    Reveal,
    Filter,
    Confirm,
    NewReferral,
    Search,
    Stats,
    Directory,
    FollowUp,
    Case,
    AddPerson,
    Sync,
    EarlierCalls,
    JoinCase,
    EmergencyChecklist,
    Home,
    Discard,
    BringBack,
    Wipe,
}

/// An action's name in keymaps, and the contexts where it means something.
pub struct ActionSpec {
    pub action: Action,
    pub name: &'static str,
    pub contexts: &'static [Context],
}

use Context::{Dialog, Form, Global, Help as HelpContext, List, Locked};

/// Every action, in the order the help screen lists them.
pub const ACTIONS: &[ActionSpec] = &[
    ActionSpec {
        action: Action::Help,
        name: "help",
        contexts: &[Global],
    },
    ActionSpec {
        action: Action::Save,
        name: "save",
        contexts: &[Form],
    },
    ActionSpec {
        action: Action::NewCall,
        name: "new-call",
        contexts: &[Global],
    },
    ActionSpec {
        action: Action::CallTemplate,
        name: "call-template",
        contexts: &[Global],
    },
    ActionSpec {
        action: Action::Calls,
        name: "calls",
        contexts: &[Global],
    },
    ActionSpec {
        action: Action::Quit,
        name: "quit",
        contexts: &[Global],
    },
    ActionSpec {
        action: Action::Lock,
        name: "lock",
        contexts: &[Global],
    },
    ActionSpec {
        action: Action::Back,
        name: "back",
        contexts: &[Global],
    },
    ActionSpec {
        action: Action::Home,
        name: "home",
        contexts: &[Global],
    },
    ActionSpec {
        action: Action::NextField,
        name: "next-field",
        contexts: &[Form],
    },
    ActionSpec {
        action: Action::PrevField,
        name: "prev-field",
        contexts: &[Form],
    },
    ActionSpec {
        action: Action::Choose,
        name: "choose",
        contexts: &[Form],
    },
    ActionSpec {
        action: Action::RecordTransfer,
        name: "record-transfer",
        contexts: &[Form],
    },
    ActionSpec {
        action: Action::RecordPoliceReport,
        name: "record-police-report",
        contexts: &[Form],
    },
    ActionSpec {
        action: Action::EarlierCalls,
        name: "earlier-calls",
        contexts: &[Form],
    },
    ActionSpec {
        action: Action::JoinCase,
        name: "join-case",
        contexts: &[Form],
    },
    ActionSpec {
        action: Action::EmergencyChecklist,
        name: "emergency-checklist",
        contexts: &[Form],
    },
    ActionSpec {
        action: Action::MoveUp,
        name: "move-up",
        contexts: &[List, Dialog, HelpContext],
    },
    ActionSpec {
        action: Action::MoveDown,
        name: "move-down",
        contexts: &[List, Dialog, HelpContext],
    },
    ActionSpec {
        action: Action::PageUp,
        name: "page-up",
        contexts: &[List, Dialog, HelpContext],
    },
    ActionSpec {
        action: Action::PageDown,
        name: "page-down",
        contexts: &[List, Dialog, HelpContext],
    },
    ActionSpec {
        action: Action::First,
        name: "first",
        contexts: &[List, Dialog, HelpContext],
    },
    ActionSpec {
        action: Action::Last,
        name: "last",
        contexts: &[List, Dialog, HelpContext],
    },
    ActionSpec {
        action: Action::Open,
        name: "open",
        contexts: &[List],
    },
    ActionSpec {
        action: Action::Reveal,
        name: "reveal",
        contexts: &[List, Dialog],
    },
    ActionSpec {
        action: Action::Filter,
        name: "filter",
        contexts: &[List, Dialog],
    },
    ActionSpec {
        action: Action::NewReferral,
        name: "new-referral",
        contexts: &[Global],
    },
    ActionSpec {
        action: Action::Search,
        name: "search",
        contexts: &[Global],
    },
    ActionSpec {
        action: Action::Stats,
        name: "stats",
        contexts: &[Global],
    },
    ActionSpec {
        action: Action::Directory,
        name: "directory",
        contexts: &[Global],
    },
    ActionSpec {
        action: Action::FollowUp,
        name: "follow-up",
        contexts: &[Global],
    },
    ActionSpec {
        action: Action::Sync,
        name: "sync",
        contexts: &[Global],
    },
    ActionSpec {
        action: Action::Case,
        name: "case",
        contexts: &[List],
    },
    ActionSpec {
        action: Action::AddPerson,
        name: "add-person",
        contexts: &[List],
    },
    ActionSpec {
        action: Action::BringBack,
        name: "bring-back",
        contexts: &[List],
    },
    ActionSpec {
        action: Action::Confirm,
        name: "confirm",
        contexts: &[Dialog],
    },
    ActionSpec {
        action: Action::Discard,
        name: "discard",
        contexts: &[Dialog],
    },
    ActionSpec {
        action: Action::Wipe,
        name: "wipe",
        contexts: &[Locked],
    },
];

impl Action {
    pub fn spec(self) -> &'static ActionSpec {
        ACTIONS
            .iter()
            .find(|spec| spec.action == self)
            .unwrap_or(&ACTIONS[0])
    }

    pub fn name(self) -> &'static str {
        self.spec().name
    }

    pub fn from_name(name: &str) -> Option<Action> {
        ACTIONS.iter().find(|s| s.name == name).map(|s| s.action)
    }

    /// The actions a keymap must give a key, or the operator could be stuck.
    pub const ESSENTIAL: [Action; 4] = [Action::Help, Action::Back, Action::Save, Action::Quit];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_is_registered_once_with_a_kebab_case_name() {
        let mut names: Vec<&str> = ACTIONS.iter().map(|s| s.name).collect();
        let count = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), count, "duplicate action names");
        for spec in ACTIONS {
            assert!(
                spec.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-')
            );
            assert!(!spec.contexts.is_empty());
            assert_eq!(Action::from_name(spec.name), Some(spec.action));
            assert_eq!(spec.action.name(), spec.name);
        }
    }
}
