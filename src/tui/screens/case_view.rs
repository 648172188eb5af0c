//! A case: one situation over time. Its status, the people in it (only what callers knew),
//! and one timeline of its calls, referrals and their status changes.

use chrono::{DateTime, FixedOffset, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use uuid::Uuid;

use super::{Env, Input, Nav, Place, ReferralFrom, Screen};
use crate::model::{Case, Person, codes, text::inert};
use crate::store::{CallFilter, ReferralFilter};
use crate::tui::action::{Action, Context};
use crate::tui::ui::{Message, Ui};
use crate::tui::widgets::form::{caller_place_short, fit};
use crate::tui::widgets::picker::{PickItem, PickMode, Picked, Picker};
use crate::tui::widgets::scroll::keep_in_view;

/// What a row of the case opens.
#[derive(Clone, Copy)]
enum Target {
    Status,
    Nothing,
    Call(Uuid),
    Referral(Uuid),
}

struct Row {
    text: String,
    target: Target,
    urgent: bool,
}

pub struct CaseView {
    case: Case,
    rows: Vec<Row>,
    selected: usize,
    top: usize,
    status_picker: Option<Picker>,
    /// The caller's place of the case's first call, for referral suggestions.
    place: Option<crate::model::Place>,
}

impl CaseView {
    pub fn load(id: Uuid, env: &mut Env) -> Option<CaseView> {
        match build(id, env) {
            Ok(view) => Some(view),
            Err(e) => {
                env.message = Some(Message::error(e.to_string()));
                None
            }
        }
    }
}

fn build(id: Uuid, env: &mut Env) -> Result<CaseView, crate::store::StoreError> {
    let store = &*env.store;
    let ui = env.ui;
    let zone = store.zone();
    let case = store.case(id)?;
    let people = store.people(id)?;
    let calls = store
        .list_calls(
            &CallFilter {
                case_id: Some(id),
                ..CallFilter::default()
            },
            None,
            200,
        )?
        .calls;
    let mut referrals = store.list_referrals(
        &ReferralFilter {
            case_id: Some(id),
            ..ReferralFilter::default()
        },
        200,
    )?;
    for call in &calls {
        for referral in store.list_referrals(
            &ReferralFilter {
                call_id: Some(call.meta.id),
                ..ReferralFilter::default()
            },
            200,
        )? {
            if !referrals.iter().any(|r| r.meta.id == referral.meta.id) {
                referrals.push(referral);
            }
        }
    }
    let mut rows = vec![Row {
        text: format!(
            "{}: {}",
            ui.t("field-case-status"),
            ui.i18n.label(&codes::CASE_STATUS, &case.fields.status)
        ),
        target: Target::Status,
        urgent: false,
    }];
    rows.push(Row {
        text: ui
            .i18n
            .t_args("case-people", &[("count", people.len().into())]),
        target: Target::Nothing,
        urgent: false,
    });
    for person in &people {
        rows.push(Row {
            text: format!("  {}", person_line(person, ui)),
            target: Target::Nothing,
            urgent: false,
        });
    }
    rows.push(Row {
        text: ui.t("case-timeline"),
        target: Target::Nothing,
        urgent: false,
    });
    let mut timeline: Vec<(DateTime<Utc>, Row)> = Vec::new();
    for call in &calls {
        let place = caller_place_short(&call.fields, ui);
        timeline.push((
            call.started_at(),
            Row {
                text: format!(
                    "{}  {}  {}",
                    ui.t("case-call"),
                    ui.i18n.label(&codes::CONTACT_REASON, &call.fields.reason),
                    place
                ),
                target: Target::Call(call.meta.id),
                urgent: call.fields.is_urgent(),
            },
        ));
    }
    for referral in &referrals {
        for change in &referral.history {
            timeline.push((
                change.at,
                Row {
                    text: format!(
                        "{}  {}  {}",
                        ui.t("case-referral"),
                        ui.i18n.label(&codes::REFERRAL_STATUS, &change.status),
                        inert(&referral.fields.institution)
                    ),
                    target: Target::Referral(referral.meta.id),
                    urgent: change.status == "NO_RESPONSE",
                },
            ));
        }
    }
    timeline.sort_by_key(|(at, _)| *at);
    for (at, mut row) in timeline {
        row.text = format!("  {}  {}", local(at, zone), row.text);
        rows.push(row);
    }
    let place = calls.last().and_then(|c| c.fields.caller_place.clone());
    Ok(CaseView {
        case,
        rows,
        selected: 0,
        top: 0,
        status_picker: None,
        place,
    })
}

fn local(at: DateTime<Utc>, zone: FixedOffset) -> String {
    at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string()
}

fn person_line(person: &Person, ui: &Ui) -> String {
    let f = &person.fields;
    let mut parts = vec![ui.i18n.label(&codes::PERSON_ROLE, &f.role)];
    if let Some(name) = &f.name {
        parts.push(inert(name));
    }
    if let Some(age) = f.age_years {
        parts.push(ui.i18n.t_args("case-age", &[("years", age.into())]));
    } else if let Some(band) = &f.age_band {
        parts.push(ui.i18n.label(&codes::AGE_BAND, band));
    }
    if let Some(gender) = &f.gender {
        parts.push(ui.i18n.label(&codes::GENDER, gender));
    }
    parts.join(", ")
}

impl Screen for CaseView {
    fn title(&self, ui: &Ui) -> String {
        format!(
            "{}: {}",
            ui.t("screen-case"),
            inert(&self.case.fields.title)
        )
    }

    fn contexts(&self) -> Vec<Context> {
        if self.status_picker.is_some() {
            vec![Context::Dialog]
        } else {
            vec![Context::List]
        }
    }

    fn text_mode(&self) -> crate::tui::widgets::form::TextMode {
        if self.status_picker.is_some() {
            crate::tui::widgets::form::TextMode::Line
        } else {
            crate::tui::widgets::form::TextMode::None
        }
    }

    fn key_bar(&self) -> Vec<Action> {
        if self.status_picker.is_some() {
            return vec![Action::Confirm, Action::Back];
        }
        vec![
            Action::Open,
            Action::NewReferral,
            Action::AddPerson,
            Action::Back,
            Action::Home,
            Action::Help,
        ]
    }

    fn handle(&mut self, input: Input, env: &mut Env) -> Nav {
        if let Some(picker) = self.status_picker.as_mut() {
            match input {
                Input::Edit(edit) => picker.edit(edit),
                Input::Action(Action::MoveUp) => picker.move_by(-1),
                Input::Action(Action::MoveDown) => picker.move_by(1),
                Input::Action(Action::Back) => self.status_picker = None,
                Input::Action(Action::Confirm) => {
                    if let Picked::One(status) = picker.confirm() {
                        self.status_picker = None;
                        match env
                            .store
                            .as_office_mut()
                            .and_then(|office| office.set_case_status(self.case.meta.id, &status))
                        {
                            Ok(_) => self.resume(env),
                            Err(e) => env.message = Some(Message::error(e.to_string())),
                        }
                    }
                }
                Input::Action(_) => {}
            }
            return Nav::Stay;
        }
        let Input::Action(action) = input else {
            return Nav::Stay;
        };
        let last = self.rows.len().saturating_sub(1) as isize;
        let at = self.selected as isize;
        match action {
            Action::MoveUp => self.selected = (at - 1).clamp(0, last) as usize,
            Action::MoveDown => self.selected = (at + 1).clamp(0, last) as usize,
            Action::PageUp => self.selected = (at - 10).clamp(0, last) as usize,
            Action::PageDown => self.selected = (at + 10).clamp(0, last) as usize,
            Action::First => self.selected = 0,
            Action::Last => self.selected = last.max(0) as usize,
            Action::Open => match self.rows.get(self.selected).map(|r| r.target) {
                // The case is the office's: central reads it as imported.
                Some(Target::Status) if env.store.is_central() => {
                    env.message = Some(Message::info(env.ui.t("central-read-only")));
                }
                Some(Target::Status) => {
                    let items = codes::CASE_STATUS
                        .active_codes()
                        .map(|c| PickItem::new(c, env.ui.i18n.label(&codes::CASE_STATUS, c)))
                        .collect();
                    self.status_picker = Some(Picker::new(
                        env.ui.t("field-case-status"),
                        items,
                        PickMode::One,
                        "",
                    ));
                }
                Some(Target::Call(id)) => return Nav::Push(Place::CallView(id)),
                Some(Target::Referral(id)) => return Nav::Push(Place::Referral(id)),
                _ => {}
            },
            Action::NewReferral => {
                return Nav::Push(Place::NewReferral(ReferralFrom::Case {
                    id: self.case.meta.id,
                    place: self.place.clone(),
                }));
            }
            Action::AddPerson => return Nav::Push(Place::NewPerson(self.case.meta.id)),
            Action::Back => return Nav::Pop,
            _ => {}
        }
        Nav::Stay
    }

    fn resume(&mut self, env: &mut Env) {
        let selected = self.selected;
        if let Some(fresh) = CaseView::load(self.case.meta.id, env) {
            *self = fresh;
            self.selected = selected.min(self.rows.len().saturating_sub(1));
        }
    }

    fn place(&self) -> Place {
        Place::Case(self.case.meta.id)
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let theme = &ui.theme;
        let width = area.width as usize;
        let height = area.height as usize;
        self.top = keep_in_view(self.selected, self.top, height);
        let lines: Vec<Line> = self
            .rows
            .iter()
            .enumerate()
            .skip(self.top)
            .take(height)
            .map(|(index, row)| {
                let chosen = index == self.selected;
                let style = if chosen {
                    theme.selected()
                } else if row.urgent {
                    theme.urgent()
                } else if matches!(row.target, Target::Nothing) && !row.text.starts_with(' ') {
                    theme.label()
                } else {
                    theme.plain()
                };
                let text = format!("{}{}", if chosen { theme.marker() } else { " " }, row.text);
                Line::from(Span::styled(fit(&text, width), style))
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), area);
        if let Some(picker) = &self.status_picker {
            picker.render(frame, area, ui);
        }
    }
}
