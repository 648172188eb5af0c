//! One saved call, to read it out or add to it: the same fields as the form, read-only;
//! Enter opens the form at the field under the marker.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use uuid::Uuid;

use super::call_form::form_from_fields;
use super::{Env, Input, Nav, Place, ReferralFrom, Screen};
use crate::central::callers;
use crate::model::validate::is_non_substantive;
use crate::model::{Call, CaseFields, Referral, codes, text::inert};
use crate::store::{ReferralFilter, SameCaller};
use crate::tui::action::{Action, Context};
use crate::tui::ui::{Message, Ui};
use crate::tui::widgets::form::{Form, TextMode, fit};
use crate::tui::widgets::picker::{PickItem, PickMode, Picked, Picker};

pub struct CallView {
    call: Call,
    /// The referrals made from it, newest first, each with its status.
    referrals: Vec<Referral>,
    form: Form,
    zone: chrono::FixedOffset,
    /// A call without a case: start one from it, or attach it to an open one.
    case_picker: Option<Picker>,
    /// Read at central, which opens the case an office made but never makes one.
    central: bool,
    /// At central: the other calls from the same number, at any office, oldest first.
    same_caller: Vec<SameCaller>,
}

/// Calls from the same number the view lists at most; the command line lists them all.
const SAME_CALLER_SHOWN: usize = 3;

/// The pick-list value that means "a new case from this call".
const NEW_CASE: &str = "new";

impl CallView {
    pub fn load(id: Uuid, env: &mut Env) -> Option<CallView> {
        let filter = ReferralFilter {
            call_id: Some(id),
            ..ReferralFilter::default()
        };
        let central = env.store.is_central();
        let found = env.store.call(id).and_then(|call| {
            let same_caller = if central {
                callers::same_caller(env.store.as_central()?, id)?
            } else {
                Vec::new()
            };
            Ok((env.store.list_referrals(&filter, 50)?, call, same_caller))
        });
        match found {
            Ok((referrals, call, same_caller)) => Some(CallView {
                form: form_from_fields(&call.fields).read_only(),
                zone: env.store.zone(),
                call,
                referrals,
                case_picker: None,
                central,
                same_caller,
            }),
            Err(e) => {
                env.message = Some(Message::error(e.to_string()));
                None
            }
        }
    }
}

impl CallView {
    /// Whether the case key leads anywhere: to the call's case, or to start one.
    fn case_possible(&self) -> bool {
        self.call.fields.case_id.is_some()
            || !(self.central || is_non_substantive(&self.call.fields.reason))
    }
}

impl Screen for CallView {
    fn title(&self, ui: &Ui) -> String {
        ui.t("screen-call")
    }

    fn contexts(&self) -> Vec<Context> {
        if self.case_picker.is_some() {
            vec![Context::Dialog]
        } else {
            vec![Context::List]
        }
    }

    fn text_mode(&self) -> TextMode {
        if self.case_picker.is_some() {
            TextMode::Line
        } else {
            TextMode::None
        }
    }

    fn key_bar(&self) -> Vec<Action> {
        if self.case_picker.is_some() {
            return vec![Action::Confirm, Action::Back];
        }
        let mut actions = vec![Action::Open, Action::NewReferral];
        if self.case_possible() {
            actions.push(Action::Case);
        }
        actions.extend([Action::Back, Action::Home, Action::Help]);
        actions
    }

    fn handle(&mut self, input: Input, env: &mut Env) -> Nav {
        if let Some(picker) = self.case_picker.as_mut() {
            match input {
                Input::Edit(edit) => picker.edit(edit),
                Input::Action(Action::MoveUp) => picker.move_by(-1),
                Input::Action(Action::MoveDown) => picker.move_by(1),
                Input::Action(Action::Back) => self.case_picker = None,
                Input::Action(Action::Confirm) => {
                    if let Picked::One(choice) = picker.confirm() {
                        self.case_picker = None;
                        return self.open_case(&choice, env);
                    }
                }
                Input::Action(_) => {}
            }
            return Nav::Stay;
        }
        match input {
            Input::Action(Action::NewReferral) => {
                return Nav::Push(Place::NewReferral(ReferralFrom::Call(self.call.meta.id)));
            }
            Input::Action(Action::Case) => match self.call.fields.case_id {
                Some(id) => return Nav::Push(Place::Case(id)),
                // Central opens the case an office made, never one of its own.
                None if self.central => {
                    env.message = Some(Message::info(env.ui.t("central-read-only")));
                }
                None if is_non_substantive(&self.call.fields.reason) => {
                    env.message = Some(Message::error(env.ui.t("case-not-for-non-substantive")));
                }
                None => self.case_picker = Some(case_choices(env)),
            },
            // Notes longer than the screen are read through before the marker moves on.
            Input::Action(action @ (Action::MoveDown | Action::PageDown)) => {
                let rows = if action == Action::PageDown { 10 } else { 1 };
                if !self.form.read_on(rows) {
                    self.form.next_field();
                }
            }
            Input::Action(action @ (Action::MoveUp | Action::PageUp)) => {
                let rows = if action == Action::PageUp { 10 } else { 1 };
                if !self.form.read_on(-rows) {
                    self.form.prev_field();
                }
            }
            Input::Action(Action::Back) => return Nav::Pop,
            Input::Action(Action::Open) => {
                return Nav::Replace(Place::CallEdit {
                    id: self.call.meta.id,
                    focus: self.form.focused().id,
                });
            }
            _ => {}
        }
        Nav::Stay
    }

    fn resume(&mut self, env: &mut Env) {
        if let Some(fresh) = CallView::load(self.call.meta.id, env) {
            let focus = self.form.focused().id;
            *self = fresh;
            self.form.focus_on(focus);
        }
    }

    fn place(&self) -> Place {
        Place::CallView(self.call.meta.id)
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let theme = &ui.theme;
        let call = &self.call;
        let started = call
            .started_at()
            .with_timezone(&self.zone)
            .format("%Y-%m-%d %H:%M");
        let ended = call
            .fields
            .ended_at
            .map(|t| t.with_timezone(&self.zone).format("%H:%M").to_string())
            .unwrap_or_else(|| "-".to_owned());
        let mut lines = vec![Line::from(Span::styled(
            fit(
                &ui.i18n.t_args(
                    "call-header",
                    &[
                        ("started", started.to_string().into()),
                        ("ended", ended.into()),
                        ("author", call.meta.author.clone().into()),
                        ("version", call.meta.version.into()),
                    ],
                ),
                area.width as usize,
            ),
            theme.dim(),
        ))];
        if call.possible_victim {
            lines.push(Line::from(Span::styled(
                ui.t("flag-possible-victim"),
                theme.warning(),
            )));
        }
        let width = area.width as usize;
        for action in &call.fields.emergency_actions {
            let what = format!(
                "{} {}",
                action.at.with_timezone(&self.zone).format("%H:%M"),
                ui.i18n.label(&codes::CALL_OUTCOME, &action.outcome)
            );
            let line = match &action.target {
                Some(target) => format!("{what}: {}", inert(target)),
                None => what,
            };
            lines.push(Line::from(Span::styled(fit(&line, width), theme.warning())));
        }
        if !call.fields.emergency_checklist.is_empty() {
            let checks = call
                .fields
                .emergency_checklist
                .iter()
                .map(|check| ui.t(&format!("check-{check}")))
                .collect::<Vec<_>>()
                .join(", ");
            let line = format!("{}: {checks}", ui.t("emergency-checklist"));
            lines.push(Line::from(Span::styled(fit(&line, width), theme.warning())));
        }
        for referral in &self.referrals {
            let line = format!(
                "{}  {}  {}",
                ui.t("case-referral"),
                ui.i18n.label(&codes::REFERRAL_STATUS, referral.status()),
                inert(&referral.fields.institution)
            );
            lines.push(Line::from(Span::styled(fit(&line, width), theme.label())));
        }
        if !self.same_caller.is_empty() {
            let count = self.same_caller.len();
            let heading = ui
                .i18n
                .t_args("central-same-caller", &[("count", count.into())]);
            lines.push(Line::from(Span::styled(
                fit(&heading, width),
                theme.warning(),
            )));
            for other in self.same_caller.iter().take(SAME_CALLER_SHOWN) {
                let line = format!(
                    "  {}  {}  {}",
                    other
                        .started_at
                        .with_timezone(&self.zone)
                        .format("%Y-%m-%d %H:%M"),
                    inert(&other.office_id),
                    ui.i18n.label(&codes::CONTACT_REASON, &other.reason)
                );
                lines.push(Line::from(Span::styled(fit(&line, width), theme.label())));
            }
            if count > SAME_CALLER_SHOWN {
                let more = ui.i18n.t_args(
                    "central-same-caller-more",
                    &[("count", (count - SAME_CALLER_SHOWN).into())],
                );
                lines.push(Line::from(Span::styled(fit(&more, width), theme.dim())));
            }
        }
        let height = (lines.len() as u16).min(area.height);
        frame.render_widget(Paragraph::new(lines), Rect { height, ..area });
        let body = Rect {
            y: area.y + height,
            height: area.height - height,
            ..area
        };
        self.form.render(frame, body, ui, true);
        if let Some(picker) = &self.case_picker {
            picker.render(frame, area, ui);
        }
    }
}

impl CallView {
    /// Starts a case from this call, or attaches the call to the chosen case, and shows it.
    fn open_case(&mut self, choice: &str, env: &mut Env) -> Nav {
        let result = if choice == NEW_CASE {
            // A title the operator recognises, without names: when and why it started.
            let started = self.call.started_at().with_timezone(&self.zone);
            let title = format!(
                "{} {}",
                started.format("%Y-%m-%d"),
                env.ui
                    .i18n
                    .label(&codes::CONTACT_REASON, &self.call.fields.reason)
            );
            env.store
                .as_office_mut()
                .and_then(|office| {
                    office.add_case(CaseFields {
                        title: crate::tui::widgets::form::fit(&title, 120),
                        opened_from_call: Some(self.call.meta.id),
                        ..CaseFields::default()
                    })
                })
                .map(|case| case.meta.id)
        } else {
            Uuid::parse_str(choice)
                .map_err(|_| crate::store::StoreError::Damaged("a case id".into()))
                .and_then(|case_id| {
                    let mut fields = self.call.fields.clone();
                    fields.case_id = Some(case_id);
                    env.store
                        .as_office_mut()?
                        .update_call(self.call.meta.id, fields, self.call.meta.version)
                        .map(|_| case_id)
                })
        };
        match result {
            Ok(case_id) => Nav::Replace(Place::Case(case_id)),
            Err(e) => {
                env.message = Some(Message::error(e.to_string()));
                Nav::Stay
            }
        }
    }
}

/// "A new case from this call", then the open cases, newest first.
fn case_choices(env: &mut Env) -> Picker {
    let mut items = vec![PickItem::new(NEW_CASE, env.ui.t("case-new-from-call"))];
    match env.store.list_cases(true, 200) {
        Ok(cases) => items.extend(cases.into_iter().map(|case| {
            let title = if case.fields.title.is_empty() {
                env.ui.t("case-untitled")
            } else {
                crate::model::text::inert(&case.fields.title)
            };
            let opened = case.meta.created_at.with_timezone(&env.store.zone());
            PickItem::new(
                case.meta.id.to_string(),
                format!("{title} ({})", opened.format("%Y-%m-%d")),
            )
        })),
        Err(e) => env.message = Some(Message::error(e.to_string())),
    }
    Picker::new(env.ui.t("case-choose"), items, PickMode::One, "")
}
