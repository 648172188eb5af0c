//! The screens of an unlocked store. Each owns its state, handles what the operator asks,
//! and draws itself; the app routes keys and keeps the stack. A screen never builds another:
//! it names the [`Place`] to go to, and [`open`] here makes the screen for it.

pub mod call_form;
pub mod call_view;
pub mod calls;
pub mod case_view;
pub mod central_home;
pub mod central_stats;
pub mod directory;
mod figures_view;
pub mod first_run;
pub mod follow_up;
pub mod help;
pub mod home;
pub mod person_form;
pub mod referral_form;
pub mod referral_view;
pub mod search;
pub mod stats;
pub mod sync;
pub mod unlock;

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use uuid::Uuid;

use super::action::{Action, Context};
use super::ui::{Message, Ui};
use super::widgets::form::{Form, TextMode};
use crate::store::{CallFilter, Opened, StoreError};

pub use super::action::Input;

/// Where to go after a key.
pub enum Nav {
    Stay,
    /// Opens a place on top of this screen.
    Push(Place),
    Pop,
    /// Opens a place instead of this screen (a saved form shows its record); when the place
    /// cannot be opened, this screen goes all the same.
    Replace(Place),
}

/// What a screen works with while handling a key or a tick.
pub struct Env<'a> {
    pub store: &'a mut Opened,
    pub ui: &'a Ui,
    pub now: DateTime<Utc>,
    pub message: Option<Message>,
    /// Set when a new reference pack was applied (by a sync): the app reloads it.
    pub reference_changed: bool,
    /// Where the sync screen looks for mounted sticks.
    pub media_roots: &'a [std::path::PathBuf],
}

/// Where the operator is or goes, without any record content: what survives a lock, and
/// every "go to" of a screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Home,
    Calls(CallFilter),
    CallView(Uuid),
    CallForm {
        draft_id: String,
    },
    Case(Uuid),
    Referral(Uuid),
    FollowUp,
    /// The search screen, empty: a query can be a name, so it is not kept.
    Search,
    Directory,
    /// The directory narrowed to a place: the caller's, when F8 is pressed during a call.
    DirectoryAt(crate::model::Place),
    Stats,
    /// The sync screen, at its start: a sync's report is not kept over a lock.
    Sync,
    /// A saved call's form, to add to it, the cursor on `focus`.
    CallEdit {
        id: Uuid,
        focus: &'static str,
    },
    /// A new referral (F4) from a call or a case.
    NewReferral(ReferralFrom),
    /// A new person in a case.
    NewPerson(Uuid),
}

/// What a new referral comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReferralFrom {
    /// A call, and its case if it has one.
    Call(Uuid),
    /// A call still on the line (saved open by F4): the referral, once saved, goes back to
    /// its form.
    CallOnLine(Uuid),
    /// A case, with the caller's place that suggests the institutions, if known.
    Case {
        id: Uuid,
        place: Option<crate::model::Place>,
    },
}

/// A call still on the line, wherever the operator is: its timer shows on every screen,
/// and the directory starts on its caller's place.
pub struct OpenCall {
    pub started_at: DateTime<Utc>,
    pub place: Option<crate::model::Place>,
}

impl OpenCall {
    /// How long the call has lasted: "03:12".
    pub fn elapsed(&self, now: DateTime<Utc>) -> String {
        let seconds = (now - self.started_at).num_seconds().max(0);
        format!("{:02}:{:02}", seconds / 60, seconds % 60)
    }
}

pub trait Screen {
    fn title(&self, ui: &Ui) -> String;

    /// The keymap contexts in force now (a pick list open makes a form a dialog).
    fn contexts(&self) -> Vec<Context>;

    /// Whether printable and editing keys go to the screen before the keymap.
    fn text_mode(&self) -> TextMode {
        TextMode::None
    }

    /// The actions the key bar shows, most useful first.
    fn key_bar(&self) -> Vec<Action>;

    /// (key, what it does) shown in the key bar before its actions, for keys that are no
    /// action of their own here (Enter in notes, Enter in a list of marks).
    fn key_hints(&self, _ui: &Ui) -> Vec<(String, String)> {
        Vec::new()
    }

    /// Whether Enter (the action `choose`) opens a list here; where it does not, it moves
    /// to the next field.
    fn enter_opens_list(&self) -> bool {
        false
    }

    fn handle(&mut self, input: Input, env: &mut Env) -> Nav;

    /// A few times a second: drafts, timers, and work too slow for a key (checking a
    /// passphrase), which may end on another screen.
    fn tick(&mut self, _env: &mut Env) -> Nav {
        Nav::Stay
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, ui: &Ui);

    fn place(&self) -> Place;

    /// Something typed that is not a saved record yet (quitting and going back ask first).
    fn unsaved(&self) -> bool {
        false
    }

    /// A form being filled in: going to a screen below it opens that screen again on top
    /// rather than dropping the form.
    fn filling_in(&self) -> bool {
        false
    }

    /// The call this screen is taking while the caller is on the line.
    fn open_call(&self) -> Option<OpenCall> {
        None
    }

    /// Before the screen goes (lock, quit): keep what must survive, like the draft.
    fn leave(&mut self, _env: &mut Env) {}

    /// When it is on top again: read the store anew.
    fn resume(&mut self, _env: &mut Env) {}

    /// Working through ticks (a sync): the app redraws after each and does not lock.
    fn busy(&self) -> bool {
        false
    }
}

/// A form's save the store refused: a validation error puts the cursor on the field it
/// names; either way the reason is shown, and the form stays.
pub fn refused(form: &mut Form, error: StoreError, env: &mut Env) -> Nav {
    let message = match error {
        StoreError::Invalid(error) => {
            form.focus_on(error.field());
            env.ui.validation_message(&error)
        }
        other => env.ui.store_error(&other),
    };
    env.message = Some(Message::error(message));
    Nav::Stay
}

/// The screen for a place: where a screen asked to go, or where the operator was before a
/// lock. `None` (and the reason on the message line) when its record cannot be read.
pub fn open(place: &Place, env: &mut Env) -> Option<Box<dyn Screen>> {
    match place {
        // Central has no calls of its own to show: its home is the offices.
        Place::Home if env.store.is_central() => {
            Some(Box::new(central_home::CentralHome::load(env)))
        }
        Place::Home => Some(Box::new(home::Home::load(env))),
        Place::Calls(filter) => Some(Box::new(calls::Calls::load(filter.clone(), env))),
        Place::CallView(id) => call_view::CallView::load(*id, env).map(|s| Box::new(s) as _),
        Place::CallForm { draft_id } => {
            call_form::CallForm::from_draft(draft_id, env).map(|s| Box::new(s) as _)
        }
        Place::Case(id) => case_view::CaseView::load(*id, env).map(|s| Box::new(s) as _),
        Place::Referral(id) => {
            referral_view::ReferralView::load(*id, env).map(|s| Box::new(s) as _)
        }
        Place::FollowUp => Some(Box::new(follow_up::FollowUp::load(env))),
        Place::Search => Some(Box::new(search::Search::new(env))),
        Place::Directory => Some(Box::new(directory::Directory::load(env))),
        Place::DirectoryAt(place) => Some(Box::new(directory::Directory::at(place, env))),
        // Central's figures are across offices.
        Place::Stats if env.store.is_central() => {
            Some(Box::new(central_stats::CentralStats::load(env)))
        }
        Place::Stats => Some(Box::new(stats::Stats::load(env))),
        Place::Sync => {
            let roots = env.media_roots;
            Some(Box::new(sync::SyncScreen::new(env, roots)))
        }
        Place::CallEdit { id, focus } => {
            let call = read(env.store.call(*id), env)?;
            Some(Box::new(call_form::CallForm::edit(&call, focus, env)))
        }
        Place::NewReferral(ReferralFrom::Call(id)) => {
            let call = read(env.store.call(*id), env)?;
            Some(Box::new(referral_form::ReferralForm::for_call(
                &call, false, env,
            )))
        }
        Place::NewReferral(ReferralFrom::CallOnLine(id)) => {
            let call = read(env.store.call(*id), env)?;
            Some(Box::new(referral_form::ReferralForm::for_call(
                &call, true, env,
            )))
        }
        Place::NewReferral(ReferralFrom::Case { id, place }) => Some(Box::new(
            referral_form::ReferralForm::for_case(*id, place.clone(), env),
        )),
        Place::NewPerson(case_id) => Some(Box::new(person_form::PersonForm::new(*case_id))),
    }
}

/// A record read, or `None` with the reason on the message line.
fn read<T>(result: Result<T, StoreError>, env: &mut Env) -> Option<T> {
    result
        .map_err(|e| env.message = Some(Message::error(e.to_string())))
        .ok()
}
