//! A call being logged (F3) or added to: a running timer, every field of the taxonomy in one
//! form, the emergency path first when urgency is U1, and a draft in the store within a
//! second of every change, so nothing typed is lost.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Env, Input, Nav, OpenCall, Place, ReferralFrom, Screen, refused};
use crate::model::templates::{self, CallTemplate};
use crate::model::validate::is_non_substantive;
use crate::model::{
    CallField as F, CallFields, EMERGENCY_CHECKS, EmergencyAction, Place as ModelPlace, directory,
    flagging,
};
use crate::model::{codes, phone};
use crate::store::{CallFilter, StoreError};
use crate::tui::action::{Action, Context};
use crate::tui::ui::{Message, Ui};
use crate::tui::widgets::form::{
    FieldKind, FieldSpec, FieldValue, Form, FormEvent, FormSnapshot, TextMode, fit, typed_text,
    wrap,
};
use crate::tui::widgets::picker::{PickItem, PickMode, Picked, Picker};

/// The call form, in the order a call unfolds. Ids are the record's field names; labels
/// are the messages `field-ID`.
pub const CALL_FIELDS: &[FieldSpec] = &[
    FieldSpec::code(F::Channel.name(), &codes::CONTACT_CHANNEL),
    FieldSpec::code(F::CallerType.name(), &codes::CALLER_TYPE),
    FieldSpec::code(F::Reason.name(), &codes::CONTACT_REASON),
    FieldSpec::code(F::Urgency.name(), &codes::URGENCY),
    FieldSpec::new(F::CallerName.name(), FieldKind::Text { max: 200 }).personal(),
    FieldSpec::new(F::CallerPhone.name(), FieldKind::Text { max: 40 }).personal(),
    FieldSpec::new(F::CallerPlace.name(), FieldKind::Place),
    FieldSpec::code(F::Language.name(), &codes::LANGUAGE),
    FieldSpec::new(F::RecruitmentPlace.name(), FieldKind::Place).personal(),
    FieldSpec::new(F::ExploitationPlace.name(), FieldKind::Place).personal(),
    FieldSpec::codes(F::ExploitationTypes.name(), &codes::EXPLOITATION_TYPE).personal(),
    FieldSpec::codes(F::MeansOfControl.name(), &codes::MEANS_OF_CONTROL).personal(),
    FieldSpec::new(F::Indicators.name(), FieldKind::Answers(&codes::INDICATOR)).personal(),
    FieldSpec::new(F::AgeYears.name(), FieldKind::Number { max_digits: 3 }).personal(),
    FieldSpec::code(F::AgeBand.name(), &codes::AGE_BAND).personal(),
    FieldSpec::code(F::Gender.name(), &codes::GENDER).personal(),
    FieldSpec::new(F::Citizenship.name(), FieldKind::Countries).personal(),
    FieldSpec::codes(F::InformationGiven.name(), &codes::INFO_TOPIC),
    FieldSpec::codes(F::Outcomes.name(), &codes::CALL_OUTCOME),
    FieldSpec::new(F::Notes.name(), FieldKind::Notes { max: 20_000 }),
];

/// A new call, or a change to a saved one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
enum Mode {
    New,
    Edit {
        id: Uuid,
        version: u32,
        ended_at: Option<DateTime<Utc>>,
        /// Saved by F4 while the caller is still on the line: the timer runs on, and saving
        /// stamps the call's end.
        #[serde(default)]
        on_line: bool,
    },
}

/// What a draft holds: enough to put the operator back exactly where they were.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Draft {
    mode: Mode,
    started_at: DateTime<Utc>,
    form: FormSnapshot,
    emergency_actions: Vec<EmergencyAction>,
    #[serde(default)]
    emergency_checklist: Vec<String>,
    #[serde(default)]
    case_id: Option<Uuid>,
    #[serde(default)]
    proposed: BTreeSet<F>,
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
    /// What the operator made sure of in an emergency (Ctrl-A), and its list while open.
    checklist: Vec<String>,
    checklist_menu: Option<Picker>,
    /// The case the call goes into: a saved call's, or an earlier call's the operator chose.
    case_id: Option<Uuid>,
    /// On a new call, the earlier calls from the number typed.
    earlier: Option<Earlier>,
    zone: FixedOffset,
    /// A change not yet in the draft, and when it was made.
    dirty_since: Option<Instant>,
    /// Anything typed since the form opened (or a draft brought back): leaving asks first.
    touched: bool,
    confirm_discard: bool,
    /// The menu of call templates (Ctrl-N), open until one is chosen.
    templates: Option<Picker>,
    /// From an information template: a pick made in one of [`templates::ASKED`] moves on
    /// to the next of them rather than to the next field.
    asking: bool,
    /// Whom a transfer (Ctrl-T) or a report to the police (Ctrl-P) went to, being chosen:
    /// the outcome and the list of the directory's institutions for the caller's place.
    target: Option<(&'static str, Picker)>,
    /// Fields the form filled in (the urgency a reason suggests, the age band of an age),
    /// which follow what suggested them until the operator sets them.
    proposed: BTreeSet<F>,
}

/// The calls that came before from the caller's number, as the store found them when the
/// number was typed.
struct Earlier {
    /// The number as [`phone::normalise`] gives it: typing it another way looks nothing up.
    number: String,
    count: u64,
    /// The case of the latest of them, if it has one.
    latest_case: Option<Uuid>,
}

/// A template as the menu and help list it: "1 Silent call (saved at once)". The number
/// comes first: typing it is the quickest way to the template.
pub fn template_label(at: usize, template: &CallTemplate, ui: &Ui) -> String {
    let label = template.label(ui.i18n.lang());
    let label = if template.saved_at_once {
        ui.i18n
            .t_args("template-saved-at-once", &[("template", label.into())])
    } else {
        label.to_owned()
    };
    format!("{} {label}", at + 1)
}

/// The urgency of a new call until its reason suggests another or the operator sets one.
const DEFAULT_URGENCY: &str = "U4_ROUTINE";

/// Drafts are written at most this often while the operator types, and always within a second.
const DRAFT_EVERY: Duration = Duration::from_millis(300);

impl CallForm {
    pub fn new_call(env: &mut Env) -> CallForm {
        let mut form = Form::new(CALL_FIELDS);
        form.set_one(F::Channel, Some("PHONE"));
        form.set_one(F::Urgency, Some(DEFAULT_URGENCY));
        form.focus_on(F::CallerType);
        CallForm {
            form,
            draft_id: format!("call-{}", crate::model::new_id()),
            mode: Mode::New,
            started_at: env.now,
            emergency_actions: Vec::new(),
            checklist: Vec::new(),
            checklist_menu: None,
            case_id: None,
            earlier: None,
            zone: env.store.zone(),
            dirty_since: None,
            touched: false,
            confirm_discard: false,
            proposed: BTreeSet::from([F::Urgency]),
            templates: None,
            asking: false,
            target: None,
        }
    }

    /// A new call that starts from the menu of templates: one of the calls saved at once is
    /// saved when chosen; another fills its codes and leaves the rest to the operator.
    pub fn from_template(env: &mut Env) -> CallForm {
        let mut screen = CallForm::new_call(env);
        let items = env
            .ui
            .reference
            .templates
            .iter()
            .enumerate()
            .map(|(at, template)| {
                PickItem::new(template.id.clone(), template_label(at, template, env.ui))
            })
            .collect();
        screen.templates = Some(Picker::new(
            env.ui.t("template-title"),
            items,
            PickMode::One,
            "",
        ));
        screen
    }

    fn template_input(&mut self, input: Input, env: &mut Env) -> Nav {
        let Some(menu) = self.templates.as_mut() else {
            return Nav::Stay;
        };
        match input {
            Input::Edit(edit) => menu.edit(edit),
            // Esc: the blank form, for a call no template fits.
            Input::Action(Action::Back) => self.templates = None,
            Input::Action(Action::Confirm) => {
                let templates = Arc::clone(&env.ui.reference.templates);
                if let Picked::One(id) = menu.confirm()
                    && let Some(template) = templates.iter().find(|t| t.id == id)
                {
                    self.templates = None;
                    return self.apply(template, env);
                }
            }
            Input::Action(action) => {
                menu.navigate(action);
            }
        }
        Nav::Stay
    }

    fn apply(&mut self, template: &CallTemplate, env: &mut Env) -> Nav {
        self.form = form_from_fields(&template.fields());
        if template.caller_type.is_none() {
            self.form.set_one("caller_type", None);
        }
        self.changed();
        if !template.saved_at_once {
            self.form.focus_on(templates::ASKED[0]);
            self.asking = true;
            return Nav::Stay;
        }
        let mut fields = self.fields();
        fields.ended_at = Some(env.now);
        match env
            .store
            .as_office_mut()
            .and_then(|office| office.add_call(fields))
        {
            Ok(_) => {
                self.dirty_since = None;
                self.touched = false;
                let label = template.label(env.ui.i18n.lang());
                env.message = Some(Message::success(
                    env.ui
                        .i18n
                        .t_args("template-saved", &[("template", label.into())]),
                ));
                Nav::Pop
            }
            Err(error) => refused(&mut self.form, error, env),
        }
    }

    /// After a pick in `field`: on to the next field the template asks for, if it was one.
    fn ask_after(&mut self, field: &str) {
        let next = templates::ASKED
            .iter()
            .position(|asked| *asked == field)
            .and_then(|at| templates::ASKED.get(at + 1));
        if let Some(next) = next.filter(|_| self.asking && !self.form.picker_open()) {
            self.form.focus_on(next);
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
                on_line: false,
            },
            started_at: call.started_at(),
            emergency_actions: call.fields.emergency_actions.clone(),
            checklist: call.fields.emergency_checklist.clone(),
            checklist_menu: None,
            case_id: call.fields.case_id,
            earlier: None,
            zone: env.store.zone(),
            dirty_since: None,
            touched: false,
            confirm_discard: false,
            templates: None,
            asking: false,
            proposed: BTreeSet::new(),
            target: None,
        };
        screen.update_visibility();
        screen
    }

    /// Puts a draft back on screen exactly as it was.
    pub fn from_draft(draft_id: &str, env: &mut Env) -> Option<CallForm> {
        let stored = match env
            .store
            .as_office()
            .and_then(|office| office.draft(draft_id))
        {
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
            checklist: draft.emergency_checklist,
            checklist_menu: None,
            case_id: draft.case_id,
            earlier: None,
            zone: env.store.zone(),
            // A discarded call brought back is a draft again at the next tick.
            dirty_since: (stored.kind == DISCARDED_KIND).then(Instant::now),
            touched: true,
            confirm_discard: false,
            templates: None,
            asking: false,
            proposed: draft.proposed,
            target: None,
        };
        screen.update_visibility();
        screen.look_up_caller(env);
        Some(screen)
    }

    fn update_visibility(&mut self) {
        let reason = self.form.one(F::Reason).unwrap_or("");
        self.form.set_hide_personal(is_non_substantive(reason));
    }

    /// On a new call, counts the earlier calls from the number typed, once per number.
    fn look_up_caller(&mut self, env: &mut Env) {
        let typed = self.form.text("caller_phone");
        let number = match self.mode {
            Mode::New if !self.form.is_hidden("caller_phone") => phone::normalise(typed),
            _ => None,
        };
        let Some(number) = number else {
            self.earlier = None;
            return;
        };
        if self.earlier.as_ref().is_some_and(|e| e.number == number) {
            return;
        }
        let filter = CallFilter {
            phone: Some(number.clone()),
            ..CallFilter::default()
        };
        let found = env.store.count_calls(&filter).and_then(|count| {
            let latest = env.store.list_calls(&filter, None, 1)?;
            Ok((count, latest.calls.first().and_then(|c| c.fields.case_id)))
        });
        match found {
            Ok((count, latest_case)) => {
                self.earlier = Some(Earlier {
                    number,
                    count,
                    latest_case,
                });
            }
            Err(e) => env.message = Some(Message::error(env.ui.store_error(&e))),
        }
    }

    /// The earlier calls from the number typed, when there are any.
    fn earlier_calls(&self) -> Option<&Earlier> {
        self.earlier.as_ref().filter(|e| e.count > 0)
    }

    /// The case the operator may put this call in: the latest earlier call's, if not yet.
    fn joinable_case(&self) -> Option<Uuid> {
        self.earlier_calls()
            .and_then(|e| e.latest_case)
            .filter(|case| self.case_id != Some(*case))
    }

    fn show_earlier_calls(&self) -> Nav {
        let Some(earlier) = self.earlier_calls() else {
            return Nav::Stay;
        };
        let filter = CallFilter {
            phone: Some(earlier.number.clone()),
            ..CallFilter::default()
        };
        Nav::Push(Place::Calls(filter))
    }

    fn join_case(&mut self, env: &mut Env) {
        if self.earlier_calls().is_none() {
            return;
        }
        match self.joinable_case() {
            Some(case) => {
                self.case_id = Some(case);
                env.message = Some(Message::success(env.ui.t("call-joined-case")));
                self.changed();
            }
            None if self.case_id.is_none() => {
                env.message = Some(Message::info(env.ui.t("call-earlier-no-case")));
            }
            None => {}
        }
    }

    /// The line under the timer that says the caller called before, and the keys for it.
    fn earlier_line(&self, ui: &Ui) -> Option<String> {
        let key = |action| {
            ui.key_for(&[Context::Form], action)
                .map(|k| k.to_string())
                .unwrap_or_default()
        };
        let see = key(Action::EarlierCalls);
        if self.mode == Mode::New && self.case_id.is_some() {
            return Some(
                ui.i18n
                    .t_args("call-in-earlier-case", &[("see", see.into())]),
            );
        }
        let earlier = self.earlier_calls()?;
        let count = ("count", earlier.count.into());
        Some(match self.joinable_case() {
            Some(_) => ui.i18n.t_args(
                "call-earlier-case",
                &[
                    count,
                    ("see", see.into()),
                    ("join", key(Action::JoinCase).into()),
                ],
            ),
            None => ui
                .i18n
                .t_args("call-earlier", &[count, ("see", see.into())]),
        })
    }

    /// The operator changed `field`: it is theirs now, and what it suggests is proposed.
    fn changed_by_operator(&mut self, field: &str, env: &mut Env) {
        if let Some(field) = F::from_name(field) {
            self.proposed.remove(&field);
        }
        let urgency = self.form.one(F::Urgency).map(str::to_owned);
        let reason = self.form.one(F::Reason).unwrap_or_default();
        let age = self.form.text(F::AgeYears).parse::<u8>().ok();
        self.propose(
            F::Urgency,
            flagging::suggested_urgency(reason).or(Some(DEFAULT_URGENCY)),
        );
        self.propose(F::AgeBand, age.map(flagging::age_band_of));
        if let Some(now) = self.form.one(F::Urgency)
            && urgency.as_deref() != Some(now)
        {
            env.message = Some(Message::info(env.ui.i18n.t_args(
                "call-urgency-proposed",
                &[("urgency", env.ui.i18n.label(&codes::URGENCY, now).into())],
            )));
        }
        self.changed();
    }

    /// Sets a field the operator left empty, or one the form proposed before.
    fn propose(&mut self, field: F, value: Option<&str>) {
        if self.form.one(field).is_some() && !self.proposed.contains(&field) {
            return;
        }
        self.form.set_one(field, value);
        if value.is_some() {
            self.proposed.insert(field);
        } else {
            self.proposed.remove(&field);
        }
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
            emergency_checklist: self.checklist.clone(),
            case_id: self.case_id,
            proposed: self.proposed.clone(),
        };
        let result = serde_json::to_string(&draft)
            .map_err(|e| StoreError::Damaged(e.to_string()))
            .and_then(|body| {
                env.store
                    .as_office_mut()
                    .and_then(|office| office.save_draft(&self.draft_id, kind, &body))
            });
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
        let base = CallFields {
            started_at: Some(self.started_at),
            ended_at: match &self.mode {
                Mode::New => None,
                Mode::Edit { ended_at, .. } => *ended_at,
            },
            emergency_actions: self.emergency_actions.clone(),
            emergency_checklist: self.checklist.clone(),
            case_id: self.case_id,
            ..CallFields::default()
        };
        fields_from_form(&self.form, base)
    }

    /// Whether the caller is still on the line: a new call, or one F4 saved open.
    fn on_line(&self) -> bool {
        matches!(self.mode, Mode::New | Mode::Edit { on_line: true, .. })
    }

    /// Stores the form: a new call, or a change to a saved one, where what the form does
    /// not show (its case, transit places…) stays as saved. `ending` stamps the end of a
    /// call still on the line.
    fn store(&self, ending: bool, env: &mut Env) -> Result<crate::model::Call, StoreError> {
        let mut fields = self.fields();
        if ending && self.on_line() {
            fields.ended_at = Some(env.now);
        }
        match &self.mode {
            Mode::New => env
                .store
                .as_office_mut()
                .and_then(|office| office.add_call(fields)),
            Mode::Edit { id, version, .. } => env.store.call(*id).and_then(|saved| {
                let fields = fields_from_form(
                    &self.form,
                    CallFields {
                        started_at: fields.started_at,
                        ended_at: fields.ended_at,
                        emergency_actions: fields.emergency_actions,
                        emergency_checklist: fields.emergency_checklist,
                        ..saved.fields
                    },
                );
                env.store
                    .as_office_mut()
                    .and_then(|office| office.update_call(*id, fields, *version))
            }),
        }
    }

    fn save(&mut self, env: &mut Env) -> Nav {
        match self.store(true, env) {
            Ok(call) => {
                if let Err(e) = env
                    .store
                    .as_office_mut()
                    .and_then(|office| office.delete_draft(&self.draft_id))
                {
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

    /// F4: the call is saved as it stands, still open while the caller is on the line, and
    /// the referral form opens on it; saving the referral comes back here, the timer running.
    fn refer(&mut self, env: &mut Env) -> Nav {
        let on_line = self.on_line();
        match self.store(false, env) {
            Ok(call) => {
                if let Err(e) = env
                    .store
                    .as_office_mut()
                    .and_then(|office| office.delete_draft(&self.draft_id))
                {
                    env.message = Some(Message::error(e.to_string()));
                }
                let id = call.meta.id;
                self.mode = Mode::Edit {
                    id,
                    version: call.meta.version,
                    ended_at: call.fields.ended_at,
                    on_line,
                };
                self.draft_id = format!("edit-{id}");
                self.case_id = call.fields.case_id;
                self.earlier = None;
                self.dirty_since = None;
                self.touched = false;
                let from = if on_line {
                    ReferralFrom::CallOnLine(id)
                } else {
                    ReferralFrom::Call(id)
                };
                Nav::Push(Place::NewReferral(from))
            }
            Err(error) => refused(&mut self.form, error, env),
        }
    }

    /// Ctrl-T or Ctrl-P: whom, from the directory's institutions for the caller's place
    /// (only the police for a report to them), most local first, or a name typed.
    fn ask_target(&mut self, outcome: &'static str, env: &Env) {
        let place = self.fields().caller_place;
        let police = outcome == "LE_REPORTED";
        let items = env
            .ui
            .reference
            .directory
            .suggest(place.as_ref(), None)
            .into_iter()
            .filter(|i| !police || i.target_type.starts_with("PNP"))
            .map(|i| {
                let label = format!("{} {}", i.name, i.phone);
                PickItem::new(i.name.to_string(), label.trim_end())
            })
            .collect();
        let title = env.ui.i18n.t_args(
            "emergency-target-title",
            &[(
                "what",
                env.ui.i18n.label(&codes::CALL_OUTCOME, outcome).into(),
            )],
        );
        let menu = Picker::new(title, items, PickMode::One, "").accepting_typed(typed_text);
        self.target = Some((outcome, menu));
    }

    /// Ctrl-A during an emergency: the checklist, Enter ticking an item or clearing it.
    fn open_checklist(&mut self, ui: &Ui) {
        let items = EMERGENCY_CHECKS
            .iter()
            .map(|check| PickItem::new(*check, ui.t(&format!("check-{check}"))))
            .collect();
        let mode = PickMode::Many(self.checklist.clone());
        self.checklist_menu = Some(Picker::new(ui.t("emergency-checklist"), items, mode, ""));
    }

    fn checklist_input(&mut self, input: Input) {
        let Some(menu) = self.checklist_menu.as_mut() else {
            return;
        };
        match input {
            Input::Edit(edit) => menu.edit(edit),
            Input::Action(Action::Back) => self.checklist_menu = None,
            Input::Action(Action::Confirm) => {
                if menu.confirm() == Picked::Changed
                    && let PickMode::Many(ticked) = &menu.mode
                {
                    self.checklist = ticked.clone();
                    self.changed();
                }
            }
            Input::Action(action) => {
                menu.navigate(action);
            }
        }
    }

    fn target_input(&mut self, input: Input, env: &mut Env) {
        let Some((outcome, menu)) = self.target.as_mut() else {
            return;
        };
        match input {
            Input::Edit(edit) => menu.edit(edit),
            Input::Action(Action::Back) => self.target = None,
            Input::Action(Action::Confirm) => {
                if let Picked::One(target) = menu.confirm() {
                    let outcome = *outcome;
                    self.target = None;
                    self.record_emergency(outcome, target, env);
                }
            }
            Input::Action(action) => {
                menu.navigate(action);
            }
        }
    }

    /// Records a step taken, once per outcome and target: a second press says when it was.
    fn record_emergency(&mut self, outcome: &str, target: String, env: &mut Env) {
        let what = env.ui.i18n.label(&codes::CALL_OUTCOME, outcome);
        let time = |at: DateTime<Utc>| at.with_timezone(&self.zone).format("%H:%M").to_string();
        if let Some(done) = self
            .emergency_actions
            .iter()
            .find(|a| a.outcome == outcome && a.target.as_ref() == Some(&target))
        {
            env.message = Some(Message::info(env.ui.i18n.t_args(
                "emergency-already",
                &[
                    ("what", what.into()),
                    ("target", target.clone().into()),
                    ("time", time(done.at).into()),
                ],
            )));
            return;
        }
        self.emergency_actions.push(EmergencyAction {
            outcome: outcome.to_owned(),
            at: env.now,
            target: Some(target.clone()),
        });
        let mut outcomes = self.form.many(F::Outcomes).to_vec();
        if !outcomes.iter().any(|o| o == outcome) {
            outcomes.push(outcome.to_owned());
            self.form.set(F::Outcomes, FieldValue::Many(outcomes));
        }
        env.message = Some(Message::success(env.ui.i18n.t_args(
            "emergency-recorded",
            &[
                ("what", what.into()),
                ("target", target.into()),
                ("time", time(env.now).into()),
            ],
        )));
        self.changed();
    }

    fn emergency(&self) -> bool {
        self.form.one(F::Urgency) == Some("U1_EMERGENCY")
    }
}

/// The fields `form` shows, over `base`; personal fields are left out of non-substantive
/// calls. The inverse of [`form_from_fields`] for every field of [`CALL_FIELDS`].
pub fn fields_from_form(f: &Form, base: CallFields) -> CallFields {
    let reason = f.one(F::Reason).unwrap_or("").to_owned();
    let personal = !is_non_substantive(&reason);
    let text = |id: F| Some(f.text(id).trim().to_owned()).filter(|t| !t.is_empty() && personal);
    let place = |id: F| f.one(id).and_then(|p| p.parse::<ModelPlace>().ok());
    let personal_place = |id: F| place(id).filter(|_| personal);
    let list = |id: F| f.many(id).to_vec();
    let personal_list = |id: F| if personal { list(id) } else { Vec::new() };
    let one = |id: F| f.one(id).map(str::to_owned);
    let personal_one = |id: F| one(id).filter(|_| personal);
    CallFields {
        channel: one(F::Channel).unwrap_or_default(),
        caller_type: one(F::CallerType).unwrap_or_default(),
        reason,
        urgency: one(F::Urgency).unwrap_or_default(),
        caller_name: text(F::CallerName),
        caller_phone: text(F::CallerPhone),
        caller_place: place(F::CallerPlace),
        language: one(F::Language),
        recruitment_place: personal_place(F::RecruitmentPlace),
        exploitation_place: personal_place(F::ExploitationPlace),
        exploitation_types: personal_list(F::ExploitationTypes),
        means_of_control: personal_list(F::MeansOfControl),
        indicators: if personal {
            f.answers(F::Indicators)
        } else {
            Default::default()
        },
        age_years: text(F::AgeYears).and_then(|a| a.parse().ok()),
        age_band: personal_one(F::AgeBand),
        gender: personal_one(F::Gender),
        citizenship: personal_list(F::Citizenship),
        information_given: list(F::InformationGiven),
        outcomes: list(F::Outcomes),
        notes: f.text(F::Notes).to_owned(),
        ..base
    }
}

/// A form showing a saved call's fields.
pub fn form_from_fields(fields: &CallFields) -> Form {
    let mut form = Form::new(CALL_FIELDS);
    let one = |form: &mut Form, id: F, value: Option<&str>| form.set_one(id, value);
    one(&mut form, F::Channel, Some(&fields.channel));
    one(&mut form, F::CallerType, Some(&fields.caller_type));
    one(&mut form, F::Reason, Some(&fields.reason));
    one(&mut form, F::Urgency, Some(&fields.urgency));
    form.set_text(F::CallerName, fields.caller_name.as_deref().unwrap_or(""));
    form.set_text(F::CallerPhone, fields.caller_phone.as_deref().unwrap_or(""));
    one(
        &mut form,
        F::CallerPlace,
        fields.caller_place.as_ref().map(ModelPlace::as_str),
    );
    one(&mut form, F::Language, fields.language.as_deref());
    one(
        &mut form,
        F::RecruitmentPlace,
        fields.recruitment_place.as_ref().map(ModelPlace::as_str),
    );
    one(
        &mut form,
        F::ExploitationPlace,
        fields.exploitation_place.as_ref().map(ModelPlace::as_str),
    );
    form.set(
        F::ExploitationTypes,
        FieldValue::Many(fields.exploitation_types.clone()),
    );
    form.set(
        F::MeansOfControl,
        FieldValue::Many(fields.means_of_control.clone()),
    );
    form.set(
        F::Indicators,
        FieldValue::Answers(fields.indicators.clone()),
    );
    form.set_text(
        F::AgeYears,
        &fields.age_years.map(|a| a.to_string()).unwrap_or_default(),
    );
    one(&mut form, F::AgeBand, fields.age_band.as_deref());
    one(&mut form, F::Gender, fields.gender.as_deref());
    form.set(F::Citizenship, FieldValue::Many(fields.citizenship.clone()));
    form.set(
        F::InformationGiven,
        FieldValue::Many(fields.information_given.clone()),
    );
    form.set(F::Outcomes, FieldValue::Many(fields.outcomes.clone()));
    form.set_text(F::Notes, &fields.notes);
    form.set_hide_personal(is_non_substantive(&fields.reason));
    form.focus_on(F::Channel);
    form
}

impl Screen for CallForm {
    fn title(&self, ui: &Ui) -> String {
        // The timer beside it is the app's, on every screen while the call is open.
        match self.mode {
            Mode::Edit { on_line: false, .. } => ui.t("screen-edit-call"),
            _ => ui.t("screen-new-call"),
        }
    }

    fn contexts(&self) -> Vec<Context> {
        if self.confirm_discard
            || self.form.picker_open()
            || self.templates.is_some()
            || self.target.is_some()
            || self.checklist_menu.is_some()
        {
            vec![Context::Dialog]
        } else {
            vec![Context::Form]
        }
    }

    fn text_mode(&self) -> TextMode {
        if self.confirm_discard {
            TextMode::None
        } else if self.templates.is_some() || self.target.is_some() || self.checklist_menu.is_some()
        {
            // Typing filters the menu, whatever field is under it (Enter chooses).
            TextMode::Line
        } else {
            self.form.text_mode()
        }
    }

    fn key_bar(&self) -> Vec<Action> {
        if self.confirm_discard {
            return vec![Action::Back, Action::Discard, Action::Home];
        }
        if self.templates.is_some() || self.target.is_some() || self.checklist_menu.is_some() {
            return vec![Action::Confirm, Action::Back];
        }
        let mut actions = self.form.key_bar();
        if self.form.picker_open() {
            return actions;
        }
        if self.earlier_calls().is_some() {
            actions.push(Action::EarlierCalls);
        }
        if self.joinable_case().is_some() {
            actions.push(Action::JoinCase);
        }
        if self.emergency() {
            // What an emergency needs, and the way back and to help: Tab is known to all,
            // the checklist's key is on its own line, and nobody quits during a U1 call.
            actions.retain(|action| *action != Action::NextField);
            actions.extend([
                Action::NewReferral,
                Action::RecordTransfer,
                Action::RecordPoliceReport,
                Action::Back,
                Action::Help,
            ]);
        } else {
            actions.extend([Action::Back, Action::Help, Action::Quit]);
        }
        actions
    }

    fn key_hints(&self, ui: &Ui) -> Vec<(String, String)> {
        if self.confirm_discard
            || self.templates.is_some()
            || self.target.is_some()
            || self.checklist_menu.is_some()
        {
            return Vec::new();
        }
        self.form.key_hints(ui)
    }

    fn enter_opens_list(&self) -> bool {
        !self.confirm_discard && self.form.on_list()
    }

    fn handle(&mut self, input: Input, env: &mut Env) -> Nav {
        if self.templates.is_some() {
            return self.template_input(input, env);
        }
        if self.target.is_some() {
            self.target_input(input, env);
            return Nav::Stay;
        }
        if self.checklist_menu.is_some() {
            self.checklist_input(input);
            return Nav::Stay;
        }
        if self.confirm_discard {
            // Enter and Esc, the keys pressed most, keep the call.
            match input {
                Input::Action(Action::Discard) => return self.discard(env),
                Input::Action(Action::Confirm | Action::Back) => self.confirm_discard = false,
                _ => {}
            }
            return Nav::Stay;
        }
        let field = self.form.focused().id;
        if self.form.picker_open() {
            let field = self.form.focused().id;
            if self.form.picker_input(input, env.ui) == FormEvent::Changed {
                self.changed_by_operator(field, env);
                self.look_up_caller(env);
                self.ask_after(field);
            }
            return Nav::Stay;
        }
        match input {
            Input::Edit(edit) => {
                if self.form.edit(edit, env.ui) == FormEvent::Changed {
                    self.changed_by_operator(field, env);
                    self.look_up_caller(env);
                }
            }
            Input::Action(Action::EarlierCalls) => return self.show_earlier_calls(),
            Input::Action(Action::JoinCase) => self.join_case(env),
            Input::Action(Action::Save) => return self.save(env),
            Input::Action(Action::Choose) => self.form.open_picker("", env.ui),
            Input::Action(Action::NextField) => {
                self.form.next_field();
                self.moved();
            }
            Input::Action(Action::PrevField) => {
                self.form.prev_field();
                self.moved();
            }
            Input::Action(Action::NewReferral) => return self.refer(env),
            Input::Action(Action::EmergencyChecklist) if self.emergency() => {
                self.open_checklist(env.ui)
            }
            Input::Action(Action::RecordTransfer) => self.ask_target("WARM_TRANSFER", env),
            Input::Action(Action::RecordPoliceReport) => self.ask_target("LE_REPORTED", env),
            Input::Action(Action::Back) => {
                if self.unsaved() {
                    self.confirm_discard = true;
                } else if self.on_line() {
                    // Saved by F4 but not ended: F2 ends it, home keeps it to come back to.
                    let key = env
                        .ui
                        .key_for(&[Context::Form], Action::Save)
                        .map(|k| k.to_string())
                        .unwrap_or_default();
                    env.message = Some(Message::info(
                        env.ui
                            .i18n
                            .t_args("call-still-open", &[("key", key.into())]),
                    ));
                } else {
                    return Nav::Pop;
                }
            }
            Input::Action(_) => {}
        }
        Nav::Stay
    }

    fn tick(&mut self, env: &mut Env) -> Nav {
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

    fn open_call(&self) -> Option<OpenCall> {
        self.on_line().then(|| OpenCall {
            started_at: self.started_at,
            place: self
                .form
                .one(F::CallerPlace)
                .and_then(|p| p.parse::<ModelPlace>().ok()),
        })
    }

    fn leave(&mut self, env: &mut Env) {
        // A call saved open by F4 is kept as a draft even untouched: home brings it back.
        if self.dirty_since.is_some() || matches!(self.mode, Mode::Edit { on_line: true, .. }) {
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
            // "TITLE: phone name | phone name", cut to the width.
            let numbers = |title: &str, contacts: Vec<(&str, &str)>| {
                let contacts: Vec<String> = contacts
                    .iter()
                    .map(|(name, phone)| format!("{phone} {name}"))
                    .collect();
                let text = format!("{}: {}", ui.t(title), contacts.join(" | "));
                Line::from(Span::styled(
                    fit(&text, area.width as usize),
                    theme.urgent(),
                ))
            };
            let national = directory::EMERGENCY_CONTACTS
                .iter()
                .filter(|(_, phone)| !phone.is_empty())
                .map(|(name, phone)| (*name, *phone))
                .collect();
            top.push(numbers("emergency-title", national));
            let local: Vec<(&str, &str)> = fields
                .caller_place
                .as_ref()
                .map(|place| ui.reference.directory.local_emergency(place))
                .unwrap_or_default()
                .iter()
                .map(|i| (i.name.as_ref(), i.phone.as_ref()))
                .collect();
            if !local.is_empty() {
                top.push(numbers("emergency-local", local));
            }
            let checks = EMERGENCY_CHECKS
                .iter()
                .map(|check| {
                    let mark = if self.checklist.iter().any(|c| c == check) {
                        "[x]"
                    } else {
                        "[ ]"
                    };
                    format!("{mark} {}", ui.t(&format!("check-{check}")))
                })
                .collect::<Vec<_>>()
                .join(" ");
            let key = ui
                .key_for(&[Context::Form], Action::EmergencyChecklist)
                .map(|k| format!("{k} "))
                .unwrap_or_default();
            top.push(Line::from(Span::styled(
                fit(&format!("{key}{checks}"), area.width as usize),
                theme.warning(),
            )));
            let done = if self.emergency_actions.is_empty() {
                ui.t("emergency-none-yet")
            } else {
                self.emergency_actions
                    .iter()
                    .map(|a| {
                        let at = a.at.with_timezone(&self.zone).format("%H:%M");
                        let what = ui.i18n.label(&codes::CALL_OUTCOME, &a.outcome);
                        match &a.target {
                            Some(target) => format!("{at} {what}: {target}"),
                            None => format!("{at} {what}"),
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            top.push(Line::from(Span::styled(
                fit(&done, area.width as usize),
                theme.warning(),
            )));
        }
        if let Some(line) = self.earlier_line(ui) {
            top.push(Line::from(Span::styled(
                fit(&line, area.width as usize),
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
        if let Some(menu) = &self.templates {
            menu.render(frame, area, ui);
        }
        if let Some((_, menu)) = &self.target {
            menu.render(frame, area, ui);
        }
        if let Some(menu) = &self.checklist_menu {
            menu.render(frame, area, ui);
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_of_the_form_goes_from_the_record_to_the_form_and_back_unchanged() {
        let record = CallFields {
            channel: "PHONE".into(),
            caller_type: "FAMILY".into(),
            reason: "TIP".into(),
            urgency: "U3_PRIORITY".into(),
            caller_name: Some("Rosa Quispe".into()),
            caller_phone: Some("984 000 111".into()),
            caller_place: Some("170000".parse().unwrap()),
            language: Some("QUE".into()),
            recruitment_place: Some("210000".parse().unwrap()),
            exploitation_place: Some("VE".parse().unwrap()),
            exploitation_types: vec!["LABOUR".into(), "SEXUAL".into()],
            means_of_control: vec!["DEBT".into()],
            indicators: [("IND_DECEIVED".into(), "YES".into())].into(),
            age_years: Some(15),
            age_band: Some("A14_17".into()),
            gender: Some("F".into()),
            citizenship: vec!["PE".into(), "BO".into()],
            information_given: vec!["HOW_TO_REPORT".into()],
            outcomes: vec!["INFO_PROVIDED".into()],
            notes: "Primera línea\nsegunda, con 漢字.".into(),
            ..CallFields::default()
        };
        let json = serde_json::to_value(&record).unwrap();
        for spec in CALL_FIELDS {
            let field = F::from_name(spec.id).expect("every field of the form is a call field");
            assert!(
                json.get(field.name()).is_some(),
                "{field:?} is set in the test"
            );
        }
        let back = fields_from_form(&form_from_fields(&record), CallFields::default());
        assert_eq!(back, record);
    }
}
