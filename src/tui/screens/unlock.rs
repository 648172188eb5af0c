//! Unlock: the operator picks their name and types their passphrase (masked). A wrong
//! passphrase says so, and each failure makes the next try wait a little longer.

use std::time::{Duration, Instant};

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{Input, Place};
use crate::keys::Passphrase;
use crate::model::text::inert;
use crate::tui::action::{Action, Context};
use crate::tui::ui::Ui;
use crate::tui::widgets::form::{FieldKind, FieldSpec, Form, FormEvent, TextMode};

const FIELDS: &[FieldSpec] = &[
    FieldSpec::new("operator", FieldKind::Choice).labelled("unlock-operator"),
    FieldSpec::new("passphrase", FieldKind::Secret { max: 200 }).labelled("unlock-passphrase"),
];

/// What the app should do after a key on this screen.
pub enum UnlockEvent {
    Nothing,
    /// Try to unlock with these (on the next tick, after "Opening…" is on screen).
    Submit,
}

pub struct Unlock {
    form: Form,
    failures: u32,
    wait_until: Option<Instant>,
    pending: bool,
    /// Where to return after unlocking (empty after a fresh start).
    pub resume: Vec<Place>,
    error: Option<String>,
    store_label: String,
    hint: Option<String>,
    /// The wipe key was pressed once: a second press wipes, any other key cancels.
    confirm_wipe: bool,
    /// The wipe is confirmed: it runs on the next tick, once the question is off screen.
    wipe_pending: bool,
}

impl Unlock {
    pub fn new(
        operators: Vec<String>,
        preselect: Option<&str>,
        resume: Vec<Place>,
        store_label: String,
        hint: Option<String>,
    ) -> Unlock {
        let mut form = Form::new(FIELDS);
        let chosen = preselect
            .filter(|name| operators.iter().any(|o| o == name))
            .map(str::to_owned)
            .or_else(|| operators.first().cloned());
        form.set_options(operators);
        form.set_one("operator", chosen.as_deref());
        form.focus_on("passphrase");
        Unlock {
            form,
            failures: 0,
            wait_until: None,
            pending: false,
            resume,
            error: None,
            store_label,
            hint,
            confirm_wipe: false,
            wipe_pending: false,
        }
    }

    pub fn contexts(&self) -> Vec<Context> {
        if self.form.picker_open() {
            vec![Context::Dialog]
        } else {
            vec![Context::Locked, Context::Form]
        }
    }

    pub fn text_mode(&self) -> TextMode {
        self.form.text_mode()
    }

    pub fn key_bar(&self) -> Vec<Action> {
        vec![Action::Help, Action::NextField, Action::Quit]
    }

    pub fn waiting(&self) -> Option<Duration> {
        self.wait_until
            .and_then(|until| until.checked_duration_since(Instant::now()))
    }

    pub fn pending(&self) -> bool {
        self.pending
    }

    pub fn handle(&mut self, input: Input, ui: &Ui) -> UnlockEvent {
        if self.pending {
            return UnlockEvent::Nothing;
        }
        // Even while a wrong passphrase makes the next try wait: a wipe cannot wait.
        if std::mem::take(&mut self.confirm_wipe) {
            self.wipe_pending = input == Input::Action(Action::Wipe);
            return UnlockEvent::Nothing;
        }
        if input == Input::Action(Action::Wipe) {
            self.confirm_wipe = true;
            return UnlockEvent::Nothing;
        }
        if self.waiting().is_some() {
            return UnlockEvent::Nothing;
        }
        if self.form.picker_open() {
            self.form.picker_input(input, ui);
            return UnlockEvent::Nothing;
        }
        match input {
            Input::Edit(edit) => {
                self.form.edit(edit, ui);
                UnlockEvent::Nothing
            }
            Input::Action(Action::NextField) | Input::Action(Action::Save) => {
                if self.form.focused().id == "operator" {
                    self.form.next_field();
                    return UnlockEvent::Nothing;
                }
                if self.form.one("operator").is_none() {
                    self.form.focus_on("operator");
                    return UnlockEvent::Nothing;
                }
                if self.form.next_field() == FormEvent::PastEnd
                    && !self.form.text("passphrase").is_empty()
                {
                    self.pending = true;
                    self.error = None;
                    return UnlockEvent::Submit;
                }
                UnlockEvent::Nothing
            }
            Input::Action(Action::PrevField) => {
                self.form.prev_field();
                UnlockEvent::Nothing
            }
            _ => UnlockEvent::Nothing,
        }
    }

    /// The name and passphrase to try; the passphrase is wiped from the form.
    pub fn take_credentials(&mut self) -> (String, Passphrase) {
        let operator = self.form.one("operator").unwrap_or_default().to_owned();
        let secret = self.form.take_secret("passphrase");
        (operator, Passphrase::new(secret.to_string()))
    }

    /// Nobody chosen and the name to type first: after the one working was locked out,
    /// the next one to type must not be typing into someone else's passphrase.
    pub fn ask_who(&mut self) {
        self.form.set_one("operator", None);
        self.form.focus_on("operator");
    }

    /// Whether a confirmed wipe waits for its tick; taking it empties the passphrase field,
    /// so that after the wipe the screen is as before, with nothing that says what happened.
    pub fn take_wipe(&mut self) -> bool {
        if !std::mem::take(&mut self.wipe_pending) {
            return false;
        }
        drop(self.form.take_secret("passphrase"));
        self.form.focus_on("passphrase");
        true
    }

    /// Something the operator must know before unlocking (why the screen locked).
    pub fn tell(&mut self, text: String) {
        self.error = Some(text);
    }

    /// A failed try: say why, and wait longer each time (1, 2, 4… seconds, at most 30).
    pub fn failed(&mut self, reason: String) {
        self.pending = false;
        self.failures += 1;
        let seconds = 1u64 << (self.failures - 1).min(5);
        self.wait_until = Some(Instant::now() + Duration::from_secs(seconds.min(30)));
        self.error = Some(reason);
        self.form.focus_on("passphrase");
    }

    pub fn render(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let theme = &ui.theme;
        let mut lines = vec![
            Line::from(Span::styled(ui.t("unlock-title"), theme.title())),
            Line::from(Span::styled(inert(&self.store_label), theme.dim())),
            Line::from(""),
        ];
        if let Some(hint) = &self.hint {
            lines.push(Line::from(Span::styled(hint.clone(), theme.warning())));
            lines.push(Line::from(""));
        }
        let top = lines.len() as u16;
        frame.render_widget(Paragraph::new(lines), area);
        let form_area = Rect {
            y: area.y + top,
            height: 2.min(area.height.saturating_sub(top)),
            ..area
        };
        self.form.render(frame, form_area, ui, !self.pending);
        let mut notes = Vec::new();
        if self.pending {
            notes.push(Line::from(Span::styled(
                ui.t("unlock-opening"),
                theme.label(),
            )));
        }
        if let Some(error) = &self.error {
            notes.push(Line::from(Span::styled(inert(error), theme.error())));
        }
        if self.confirm_wipe {
            let key = ui
                .key_for(&[Context::Locked], Action::Wipe)
                .map(|k| k.to_string())
                .unwrap_or_default();
            notes.push(Line::from(Span::styled(
                ui.i18n
                    .t_args("unlock-wipe-confirm", &[("key", key.into())]),
                theme.urgent(),
            )));
        }
        if let Some(wait) = self.waiting() {
            notes.push(Line::from(Span::styled(
                ui.i18n
                    .t_args("unlock-wait", &[("seconds", (wait.as_secs() + 1).into())]),
                theme.warning(),
            )));
        }
        let notes_area = Rect {
            y: form_area.y + form_area.height + 1,
            height: area.height.saturating_sub(top + 3),
            ..area
        };
        if notes_area.y < area.y + area.height {
            frame.render_widget(Paragraph::new(notes).wrap(Wrap { trim: true }), notes_area);
        }
        self.form.render_picker(frame, area, ui);
    }
}
