//! A call being logged (F3) or added to: a running timer, every field of the taxonomy in one
//! form, the emergency path first when urgency is U1, and a draft in the store within a
//! second of every change, so nothing typed is lost.

use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Env, Input, Nav, Place, Screen, refused};
use crate::model::codes;
use crate::model::validate::is_non_substantive;
use crate::model::{CallFields, EmergencyAction, Place as ModelPlace, directory, flagging};
use crate::store::StoreError;
use crate::tui::action::{Action, Context};
use crate::tui::ui::{Message, Ui};
use crate::tui::widgets::form::{
    FieldKind, FieldSpec, FieldValue, Form, FormEvent, FormSnapshot, TextMode, fit, wrap,
};

/// The call form, in the order a call unfolds. Ids are the record's field names; labels
/// are the messages `field-ID`.
pub const CALL_FIELDS: &[FieldSpec] = &[
    FieldSpec::code("channel", &codes::CONTACT_CHANNEL),
    FieldSpec::code("caller_type", &codes::CALLER_TYPE),
    FieldSpec::code("reason", &codes::CONTACT_REASON),
    FieldSpec::code("urgency", &codes::URGENCY),
    FieldSpec::new("caller_name", FieldKind::Text { max: 200 }).personal(),
    FieldSpec::new("caller_phone", FieldKind::Text { max: 40 }).personal(),
    FieldSpec::new("caller_place", FieldKind::Place),
    FieldSpec::code("language", &codes::LANGUAGE),
    FieldSpec::new("recruitment_place", FieldKind::Place).personal(),
    FieldSpec::new("exploitation_place", FieldKind::Place).personal(),
    FieldSpec::codes("exploitation_types", &codes::EXPLOITATION_TYPE).personal(),
    FieldSpec::codes("means_of_control", &codes::MEANS_OF_CONTROL).personal(),
    FieldSpec::new("indicators", FieldKind::Answers(&codes::INDICATOR)).personal(),
    FieldSpec::new("age_years", FieldKind::Number { max_digits: 3 }).personal(),
    FieldSpec::code("age_band", &codes::AGE_BAND).personal(),
    FieldSpec::code("gender", &codes::GENDER).personal(),
    FieldSpec::new("citizenship", FieldKind::Countries).personal(),
    FieldSpec::codes("information_given", &codes::INFO_TOPIC),
    FieldSpec::codes("outcomes", &codes::CALL_OUTCOME),
    FieldSpec::new("notes", FieldKind::Notes { max: 20_000 }),
];

/// A new call, or a change to a saved one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
enum Mode {
    New,
    Edit {
        id: Uuid,
        version: u32,
        ended_at: Option<DateTime<Utc>>,
    },
}

/// What a draft holds: enough to put the operator back exactly where they were.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Draft {
    mode: Mode,
    started_at: DateTime<Utc>,
    form: FormSnapshot,
    emergency_actions: Vec<EmergencyAction>,
}

pub const DRAFT_KIND: &str = "call";
/// A call the operator discarded: kept, to bring back, until the end of its day.
pub const DISCARDED_KIND: &str = "call-discarded";

pub struct CallForm {
    form: Form,
    draft_id: String,
    mode: Mode,
    started_at: DateTime<Utc>,
    emergency_actions: Vec<EmergencyAction>,
    now: DateTime<Utc>,
    zone: FixedOffset,
    /// A change not yet in the draft, and when it was made.
    dirty_since: Option<Instant>,
    /// Anything typed since the form opened (or a draft brought back): leaving asks first.
    touched: bool,
    confirm_discard: bool,
}

/// Drafts are written at most this often while the operator types, and always within a second.
const DRAFT_EVERY: Duration = Duration::from_millis(300);

impl CallForm {
    pub fn new_call(env: &mut Env) -> CallForm {
        let mut form = Form::new(CALL_FIELDS);
        form.set_one("channel", Some("PHONE"));
        form.set_one("urgency", Some("U4_ROUTINE"));
        form.focus_on("caller_type");
        CallForm {
            form,
            draft_id: format!("call-{}", crate::model::new_id()),
            mode: Mode::New,
            started_at: env.now,
            emergency_actions: Vec::new(),
            now: env.now,
            zone: env.store.zone(),
            dirty_since: None,
            touched: false,
            confirm_discard: false,
        }
    }

    /// The form for adding to a saved call.
    pub fn edit(call: &crate::model::Call, focus: &str, env: &Env) -> CallForm {
        let mut form = form_from_fields(&call.fields);
        form.focus_on(focus);
        let mut screen = CallForm {
            form,
            draft_id: format!("edit-{}", call.meta.id),
            mode: Mode::Edit {
                id: call.meta.id,
                version: call.meta.version,
                ended_at: call.fields.ended_at,
            },
            started_at: call.started_at(),
            emergency_actions: call.fields.emergency_actions.clone(),
            now: env.now,
            zone: env.store.zone(),
            dirty_since: None,
            touched: false,
            confirm_discard: false,
        };
        screen.update_visibility();
        screen
    }

    /// Puts a draft back on screen exactly as it was.
    pub fn from_draft(draft_id: &str, env: &mut Env) -> Option<CallForm> {
        let stored = match env.store.draft(draft_id) {
            Ok(Some(stored)) => stored,
            Ok(None) => return None,
            Err(e) => {
                env.message = Some(Message::error(e.to_string()));
                return None;
            }
        };
        let draft: Draft = serde_json::from_str(&stored.body).ok()?;
        let mut form = Form::new(CALL_FIELDS);
        form.restore(draft.form);
        let mut screen = CallForm {
            form,
            draft_id: draft_id.to_owned(),
            mode: draft.mode,
            started_at: draft.started_at,
            emergency_actions: draft.emergency_actions,
            now: env.now,
            zone: env.store.zone(),
            // A discarded call brought back is a draft again at the next tick.
            dirty_since: (stored.kind == DISCARDED_KIND).then(Instant::now),
            touched: true,
            confirm_discard: false,
        };
        screen.update_visibility();
        Some(screen)
    }

    fn update_visibility(&mut self) {
        let reason = self.form.one("reason").unwrap_or("");
        self.form.set_hide_personal(is_non_substantive(reason));
    }

    fn changed(&mut self) {
        self.update_visibility();
        self.touched = true;
        if self.dirty_since.is_none() {
            self.dirty_since = Some(Instant::now());
        }
    }

    /// The focus moved: the draft follows (the cursor field comes back after a crash), but
    /// moving alone is not typing anything.
    fn moved(&mut self) {
        if self.touched && self.dirty_since.is_none() {
            self.dirty_since = Some(Instant::now());
        }
    }

    fn save_draft(&mut self, env: &mut Env) {
        self.keep_draft(DRAFT_KIND, env);
    }

    /// Writes the form as a draft of `kind`; says whether it was written.
    fn keep_draft(&mut self, kind: &str, env: &mut Env) -> bool {
        let draft = Draft {
            mode: self.mode.clone(),
            started_at: self.started_at,
            form: self.form.snapshot(),
            emergency_actions: self.emergency_actions.clone(),
        };
        let result = serde_json::to_string(&draft)
            .map_err(|e| StoreError::Damaged(e.to_string()))
            .and_then(|body| env.store.save_draft(&self.draft_id, kind, &body));
        match result {
            Ok(()) => {
                self.dirty_since = None;
                true
            }
            Err(e) => {
                env.message = Some(Message::error(env.ui.store_error(&e)));
                false
            }
        }
    }

    /// Discards the call, only on its own key: it is kept aside, and home brings it back
    /// until the end of the day. A discard the store refuses leaves the form on screen.
    fn discard(&mut self, env: &mut Env) -> Nav {
        self.confirm_discard = false;
        if !self.keep_draft(DISCARDED_KIND, env) {
            return Nav::Stay;
        }
        self.touched = false;
        let key = env
            .ui
            .key_for(&[Context::List], Action::BringBack)
            .map(|k| k.to_string())
            .unwrap_or_default();
        env.message = Some(Message::info(
            env.ui.i18n.t_args("call-discarded", &[("key", key.into())]),
        ));
        Nav::Pop
    }

    /// The record the form holds now; personal fields are left out of non-substantive calls.
    fn fields(&self) -> CallFields {
        let f = &self.form;
        let reason = f.one("reason").unwrap_or("").to_owned();
        let personal = !is_non_substantive(&reason);
        let text =
            |id: &str| Some(f.text(id).trim().to_owned()).filter(|t| !t.is_empty() && personal);
        let place = |id: &str| f.one(id).and_then(|p| p.parse::<ModelPlace>().ok());
        let personal_place = |id: &str| place(id).filter(|_| personal);
        let list = |id: &str| f.many(id).to_vec();
        let personal_list = |id: &str| if personal { list(id) } else { Vec::new() };
        let one = |id: &str| f.one(id).map(str::to_owned);
        let personal_one = |id: &str| one(id).filter(|_| personal);
        CallFields {
            started_at: Some(self.started_at),
            ended_at: match &self.mode {
                Mode::New => None,
                Mode::Edit { ended_at, .. } => *ended_at,
            },
            channel: one("channel").unwrap_or_default(),
            caller_type: one("caller_type").unwrap_or_default(),
            reason,
            urgency: one("urgency").unwrap_or_default(),
            caller_name: text("caller_name"),
            caller_phone: text("caller_phone"),
            caller_place: place("caller_place"),
            language: one("language"),
            recruitment_place: personal_place("recruitment_place"),
            exploitation_place: personal_place("exploitation_place"),
            exploitation_types: personal_list("exploitation_types"),
            means_of_control: personal_list("means_of_control"),
            indicators: if personal {
                f.answers("indicators")
            } else {
                Default::default()
            },
            age_years: text("age_years").and_then(|a| a.parse().ok()),
            age_band: personal_one("age_band"),
            gender: personal_one("gender"),
            citizenship: personal_list("citizenship"),
            information_given: list("information_given"),
            outcomes: list("outcomes"),
            notes: f.text("notes").to_owned(),
            emergency_actions: self.emergency_actions.clone(),
            ..CallFields::default()
        }
    }

    fn save(&mut self, env: &mut Env) -> Nav {
        let mut fields = self.fields();
        let result = match &self.mode {
            Mode::New => {
                fields.ended_at = Some(env.now);
                env.store.add_call(fields)
            }
            Mode::Edit { id, version, .. } => env.store.update_call(*id, fields, *version),
        };
        match result {
            Ok(call) => {
                if let Err(e) = env.store.delete_draft(&self.draft_id) {
                    env.message = Some(Message::error(e.to_string()));
                } else {
                    env.message = Some(Message::success(env.ui.t("call-saved")));
                }
                self.dirty_since = None;
                self.touched = false;
                Nav::Replace(Place::CallView(call.meta.id))
            }
            Err(error) => refused(&mut self.form, error, env),
        }
    }

    fn record_emergency(&mut self, outcome: &str, env: &mut Env) {
        self.emergency_actions.push(EmergencyAction {
            outcome: outcome.to_owned(),
            at: env.now,
        });
        let mut outcomes = self.form.many("outcomes").to_vec();
        if !outcomes.iter().any(|o| o == outcome) {
            outcomes.push(outcome.to_owned());
            self.form.set("outcomes", FieldValue::Many(outcomes));
        }
        env.message = Some(Message::success(
            env.ui.i18n.t_args(
                "emergency-recorded",
                &[
                    (
                        "what",
                        env.ui.i18n.label(&codes::CALL_OUTCOME, outcome).into(),
                    ),
                    (
                        "time",
                        env.now
                            .with_timezone(&env.store.zone())
                            .format("%H:%M")
                            .to_string()
                            .into(),
                    ),
                ],
            ),
        ));
        self.changed();
    }

    fn emergency(&self) -> bool {
        self.form.one("urgency") == Some("U1_EMERGENCY")
    }

    fn elapsed(&self) -> String {
        let seconds = (self.now - self.started_at).num_seconds().max(0);
        format!("{:02}:{:02}", seconds / 60, seconds % 60)
    }
}

/// A form showing a saved call's fields.
pub fn form_from_fields(fields: &CallFields) -> Form {
    let mut form = Form::new(CALL_FIELDS);
    let one = |form: &mut Form, id: &str, value: Option<&str>| form.set_one(id, value);
    one(&mut form, "channel", Some(&fields.channel));
    one(&mut form, "caller_type", Some(&fields.caller_type));
    one(&mut form, "reason", Some(&fields.reason));
    one(&mut form, "urgency", Some(&fields.urgency));
    form.set_text("caller_name", fields.caller_name.as_deref().unwrap_or(""));
    form.set_text("caller_phone", fields.caller_phone.as_deref().unwrap_or(""));
    one(
        &mut form,
        "caller_place",
        fields.caller_place.as_ref().map(ModelPlace::as_str),
    );
    one(&mut form, "language", fields.language.as_deref());
    one(
        &mut form,
        "recruitment_place",
        fields.recruitment_place.as_ref().map(ModelPlace::as_str),
    );
    one(
        &mut form,
        "exploitation_place",
        fields.exploitation_place.as_ref().map(ModelPlace::as_str),
    );
    form.set(
        "exploitation_types",
        FieldValue::Many(fields.exploitation_types.clone()),
    );
    form.set(
        "means_of_control",
        FieldValue::Many(fields.means_of_control.clone()),
    );
    form.set("indicators", FieldValue::Answers(fields.indicators.clone()));
    form.set_text(
        "age_years",
        &fields.age_years.map(|a| a.to_string()).unwrap_or_default(),
    );
    one(&mut form, "age_band", fields.age_band.as_deref());
    one(&mut form, "gender", fields.gender.as_deref());
    form.set("citizenship", FieldValue::Many(fields.citizenship.clone()));
    form.set(
        "information_given",
        FieldValue::Many(fields.information_given.clone()),
    );
    form.set("outcomes", FieldValue::Many(fields.outcomes.clone()));
    form.set_text("notes", &fields.notes);
    form.set_hide_personal(is_non_substantive(&fields.reason));
    form.focus_on("channel");
    form
}

impl Screen for CallForm {
    fn title(&self, ui: &Ui) -> String {
        match self.mode {
            // The timer runs while the caller is on the line: a new call.
            Mode::New => format!("{}  {}", ui.t("screen-new-call"), self.elapsed()),
            Mode::Edit { .. } => ui.t("screen-edit-call"),
        }
    }

    fn contexts(&self) -> Vec<Context> {
        if self.confirm_discard || self.form.picker_open() {
            vec![Context::Dialog]
        } else {
            vec![Context::Form]
        }
    }

    fn text_mode(&self) -> TextMode {
        if self.confirm_discard {
            TextMode::None
        } else {
            self.form.text_mode()
        }
    }

    fn key_bar(&self) -> Vec<Action> {
        if self.confirm_discard {
            return vec![Action::Back, Action::Discard, Action::Home];
        }
        if self.form.picker_open() {
            return vec![Action::Confirm, Action::Back];
        }
        let mut actions = vec![Action::Save, Action::NextField];
        if self.emergency() {
            actions.extend([Action::RecordTransfer, Action::RecordPoliceReport]);
        }
        actions.extend([Action::Back, Action::Help, Action::Quit]);
        actions
    }

    fn handle(&mut self, input: Input, env: &mut Env) -> Nav {
        if self.confirm_discard {
            // Enter and Esc, the keys pressed most, keep the call.
            match input {
                Input::Action(Action::Discard) => return self.discard(env),
                Input::Action(Action::Confirm | Action::Back) => self.confirm_discard = false,
                _ => {}
            }
            return Nav::Stay;
        }
        if self.form.picker_open() {
            if self.form.picker_input(input, env.ui) == FormEvent::Changed {
                self.changed();
            }
            return Nav::Stay;
        }
        match input {
            Input::Edit(edit) => {
                if self.form.edit(edit, env.ui) == FormEvent::Changed {
                    self.changed();
                }
            }
            Input::Action(Action::Save) => return self.save(env),
            Input::Action(Action::NextField) => {
                self.form.next_field();
                self.moved();
            }
            Input::Action(Action::PrevField) => {
                self.form.prev_field();
                self.moved();
            }
            Input::Action(Action::RecordTransfer) => self.record_emergency("WARM_TRANSFER", env),
            Input::Action(Action::RecordPoliceReport) => self.record_emergency("LE_REPORTED", env),
            Input::Action(Action::Back) => {
                if self.unsaved() {
                    self.confirm_discard = true;
                } else {
                    return Nav::Pop;
                }
            }
            Input::Action(_) => {}
        }
        Nav::Stay
    }

    fn tick(&mut self, env: &mut Env) -> Nav {
        self.now = env.now;
        if self
            .dirty_since
            .is_some_and(|since| since.elapsed() >= DRAFT_EVERY)
        {
            self.save_draft(env);
        }
        Nav::Stay
    }

    fn unsaved(&self) -> bool {
        self.touched
    }

    fn leave(&mut self, env: &mut Env) {
        if self.dirty_since.is_some() {
            self.save_draft(env);
        }
    }

    fn filling_in(&self) -> bool {
        true
    }

    fn place(&self) -> Place {
        Place::CallForm {
            draft_id: self.draft_id.clone(),
        }
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let theme = &ui.theme;
        let fields = self.fields();
        let mut top: Vec<Line> = Vec::new();
        if self.emergency() {
            let contacts = directory::EMERGENCY_CONTACTS
                .iter()
                .filter(|(_, phone)| !phone.is_empty())
                .map(|(name, phone)| format!("{phone} {name}"))
                .collect::<Vec<_>>()
                .join(" | ");
            top.push(Line::from(Span::styled(
                fit(
                    &format!("{}: {contacts}", ui.t("emergency-title")),
                    area.width as usize,
                ),
                theme.urgent(),
            )));
            let done = if self.emergency_actions.is_empty() {
                ui.t("emergency-none-yet")
            } else {
                self.emergency_actions
                    .iter()
                    .map(|a| {
                        let at = a.at.with_timezone(&self.zone).format("%H:%M");
                        format!("{at} {}", ui.i18n.label(&codes::CALL_OUTCOME, &a.outcome))
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            top.push(Line::from(Span::styled(
                fit(&done, area.width as usize),
                theme.warning(),
            )));
        }
        if flagging::possible_victim(&fields) {
            top.push(Line::from(Span::styled(
                ui.t("flag-possible-victim"),
                theme.warning(),
            )));
        }
        let height = top.len() as u16;
        frame.render_widget(
            Paragraph::new(top),
            Rect {
                height: height.min(area.height),
                ..area
            },
        );
        let body = Rect {
            y: area.y + height.min(area.height),
            height: area.height.saturating_sub(height),
            ..area
        };
        self.form.render(frame, body, ui, !self.confirm_discard);
        self.form.render_picker(frame, area, ui);
        if self.confirm_discard {
            let key = |action| {
                ui.key_for(&[Context::Dialog], action)
                    .map(|k| k.to_string())
                    .unwrap_or_default()
            };
            let text = ui.i18n.t_args(
                "call-discard-question",
                &[
                    ("discard", key(Action::Discard).into()),
                    ("home", key(Action::Home).into()),
                ],
            );
            let lines: Vec<Line> = wrap(&text, body.width as usize)
                .into_iter()
                .map(|l| Line::from(Span::styled(l, theme.error())))
                .collect();
            let height = (lines.len() as u16).min(body.height);
            let question = Rect {
                y: body.y + body.height - height,
                height,
                ..body
            };
            frame.render_widget(Clear, question);
            frame.render_widget(Paragraph::new(lines), question);
        }
    }
}
