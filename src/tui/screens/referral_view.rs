//! One referral and its history. Enter records a new status with a note; NO_RESPONSE asks
//! for escalation. At central, Enter records an outcome instead: it goes back to the office
//! that made the referral with its next pack, and the referral itself stays as the office
//! sent it.

use chrono::FixedOffset;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use uuid::Uuid;

use super::{Env, Input, Nav, Place, ReferralFrom, Screen};
use crate::model::{Outcome, Place as ModelPlace, Referral, codes, next_statuses, text::inert};
use crate::tui::action::{Action, Context};
use crate::tui::ui::{Message, Ui};
use crate::tui::widgets::form::{FieldKind, FieldSpec, Form, FormEvent, TextMode, fit, wrap};

const STATUS_FIELDS: &[FieldSpec] = &[
    FieldSpec::code("status", &codes::REFERRAL_STATUS).labelled("referral-status"),
    FieldSpec::new("note", FieldKind::Notes { max: 20_000 }).labelled("referral-note"),
];

pub struct ReferralView {
    referral: Referral,
    zone: FixedOffset,
    now: chrono::DateTime<chrono::Utc>,
    status: Option<Form>,
    scroll: usize,
    /// Central's store: outcomes are recorded, not statuses.
    central: bool,
    outcomes: Vec<Outcome>,
    /// The caller's place, from the referral's call: where to escalate.
    place: Option<ModelPlace>,
}

impl ReferralView {
    pub fn load(id: Uuid, env: &mut Env) -> Option<ReferralView> {
        let central = env.store.is_central();
        let outcomes = if central {
            env.store
                .as_central()
                .and_then(|central| central.referral_outcomes(id))
        } else {
            Ok(Vec::new())
        };
        match env.store.referral(id).and_then(|r| Ok((r, outcomes?))) {
            Ok((referral, outcomes)) => Some(ReferralView {
                place: referral
                    .fields
                    .call_id
                    .and_then(|call| env.store.call(call).ok())
                    .and_then(|call| call.fields.caller_place),
                referral,
                zone: env.store.zone(),
                now: env.now,
                status: None,
                scroll: 0,
                central,
                outcomes,
            }),
            Err(e) => {
                env.message = Some(Message::error(e.to_string()));
                None
            }
        }
    }

    fn save_status(&mut self, env: &mut Env) {
        let Some(form) = self.status.as_ref() else {
            return;
        };
        let Some(status) = form.one("status").map(str::to_owned) else {
            env.message = Some(Message::error(env.ui.i18n.t_args(
                "error-missing",
                &[
                    ("field", env.ui.t("field-referral-status").into()),
                    ("detail", "".into()),
                ],
            )));
            return;
        };
        let note = form.text("note").to_owned();
        if self.central {
            self.save_outcome(&status, &note, env);
            return;
        }
        match env
            .store
            .as_office_mut()
            .and_then(|office| office.set_referral_status(self.referral.meta.id, &status, &note))
        {
            Ok(referral) => {
                self.referral = referral;
                self.status = None;
                // After NO_RESPONSE the screen itself says where to escalate.
                env.message = Some(Message::success(env.ui.t("referral-status-saved")));
            }
            Err(e) => env.message = Some(Message::error(e.to_string())),
        }
    }
}

impl ReferralView {
    /// The status form, offering only the statuses the lifecycle allows from the current one
    /// (central records any outcome it hears of).
    fn open_status(&mut self, env: &mut Env) {
        let mut form = Form::new(STATUS_FIELDS);
        if !self.central {
            let next = next_statuses(self.referral.status());
            if next.is_empty() {
                env.message = Some(Message::error(env.ui.t("referral-final")));
                return;
            }
            form.offer_codes("status", next);
        }
        self.status = Some(form);
    }

    fn save_outcome(&mut self, status: &str, note: &str, env: &mut Env) {
        let id = self.referral.meta.id;
        match env
            .store
            .as_central_mut()
            .and_then(|central| central.record_outcome(id, status, note))
        {
            Ok(outcome) => {
                self.outcomes.push(outcome);
                self.status = None;
                env.message = Some(Message::success(env.ui.t("central-outcome-saved")));
            }
            Err(e) => env.message = Some(Message::error(e.to_string())),
        }
    }

    fn outcome_lines(&self, ui: &Ui, width: usize) -> Vec<Line<'static>> {
        let mut lines = vec![Line::from(Span::styled(
            format!(" {}", ui.t("central-outcomes")),
            ui.theme.title(),
        ))];
        if self.outcomes.is_empty() {
            lines.push(Line::from(Span::styled(
                format!("  {}", ui.t("central-no-outcomes")),
                ui.theme.dim(),
            )));
        }
        for outcome in &self.outcomes {
            let note = if outcome.note.is_empty() {
                String::new()
            } else {
                format!(": {}", inert(&outcome.note))
            };
            let text = format!(
                "{}  {}  {}{note}",
                outcome
                    .at
                    .with_timezone(&self.zone)
                    .format("%Y-%m-%d %H:%M"),
                ui.i18n.label(&codes::REFERRAL_STATUS, &outcome.status),
                outcome.author
            );
            for (n, line) in wrap(&text, width.saturating_sub(4)).into_iter().enumerate() {
                let indent = if n == 0 { "  " } else { "    " };
                lines.push(Line::from(format!("{indent}{line}")));
            }
        }
        lines
    }
}

/// After NO_RESPONSE: what to do, and the next institution for the caller's `place` with
/// its phone, from the directory the desk uses.
pub fn escalation_hint(referral: &Referral, place: Option<&ModelPlace>, ui: &Ui) -> String {
    let f = &referral.fields;
    let mut text = ui.t("referral-escalate");
    if let Some(next) = ui
        .reference
        .directory
        .escalation(place, &f.target_type, &f.institution)
    {
        text.push(' ');
        let (id, phone) = match next.phone.as_ref() {
            "" => ("referral-escalate-to-no-phone", String::new()),
            phone => ("referral-escalate-to", phone.to_owned()),
        };
        text.push_str(&ui.i18n.t_args(
            id,
            &[
                ("name", next.name.to_string().into()),
                ("phone", phone.into()),
            ],
        ));
    }
    text
}

impl Screen for ReferralView {
    fn title(&self, ui: &Ui) -> String {
        ui.t("screen-referral")
    }

    fn contexts(&self) -> Vec<Context> {
        match &self.status {
            Some(form) if form.picker_open() => vec![Context::Dialog],
            Some(_) => vec![Context::Form],
            None => vec![Context::List],
        }
    }

    fn text_mode(&self) -> TextMode {
        self.status.as_ref().map_or(TextMode::None, Form::text_mode)
    }

    fn key_bar(&self) -> Vec<Action> {
        match &self.status {
            Some(form) if form.picker_open() => vec![Action::Confirm, Action::Back],
            Some(_) => vec![Action::Save, Action::NextField, Action::Back],
            None if self.central => vec![Action::Open, Action::Back, Action::Home, Action::Help],
            None => vec![
                Action::Open,
                Action::NewReferral,
                Action::Back,
                Action::Home,
                Action::Help,
            ],
        }
    }

    fn enter_opens_list(&self) -> bool {
        self.status.as_ref().is_some_and(Form::on_list)
    }

    fn handle(&mut self, input: Input, env: &mut Env) -> Nav {
        if let Some(form) = self.status.as_mut() {
            if form.picker_open() {
                form.picker_input(input, env.ui);
                return Nav::Stay;
            }
            match input {
                Input::Edit(edit) => {
                    form.edit(edit, env.ui);
                }
                Input::Action(Action::Save) => self.save_status(env),
                Input::Action(Action::Choose) => form.open_picker("", env.ui),
                Input::Action(Action::NextField) => {
                    if form.next_field() == FormEvent::PastEnd {
                        self.save_status(env);
                    }
                }
                Input::Action(Action::PrevField) => form.prev_field(),
                Input::Action(Action::Back) => self.status = None,
                Input::Action(_) => {}
            }
            return Nav::Stay;
        }
        match input {
            Input::Action(Action::Open) => self.open_status(env),
            Input::Action(Action::MoveDown) | Input::Action(Action::PageDown) => self.scroll += 1,
            Input::Action(Action::MoveUp) | Input::Action(Action::PageUp) => {
                self.scroll = self.scroll.saturating_sub(1)
            }
            Input::Action(Action::NewReferral) => {
                let from = match (self.referral.fields.call_id, self.referral.fields.case_id) {
                    (Some(call), _) => ReferralFrom::Call(call),
                    (None, Some(id)) => ReferralFrom::Case { id, place: None },
                    (None, None) => return Nav::Stay,
                };
                return Nav::Push(Place::NewReferral(from));
            }
            Input::Action(Action::Back) => return Nav::Pop,
            _ => {}
        }
        Nav::Stay
    }

    fn resume(&mut self, env: &mut Env) {
        if let Some(fresh) = ReferralView::load(self.referral.meta.id, env) {
            *self = fresh;
        }
    }

    fn filling_in(&self) -> bool {
        self.status.is_some()
    }

    fn place(&self) -> Place {
        Place::Referral(self.referral.meta.id)
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let theme = &ui.theme;
        let width = area.width as usize;
        let r = &self.referral;
        let f = &r.fields;
        let time = |t: chrono::DateTime<chrono::Utc>| {
            t.with_timezone(&self.zone)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        };
        let row = |label: &str, value: String| -> Line<'static> {
            Line::from(vec![
                Span::styled(format!(" {:<22} ", fit(&ui.t(label), 22)), theme.label()),
                Span::raw(fit(&value, width.saturating_sub(24))),
            ])
        };
        let overdue = r.is_open() && f.due_at.is_some_and(|d| d <= self.now);
        let mut lines = vec![
            row(
                "field-referral-status",
                ui.i18n.label(&codes::REFERRAL_STATUS, r.status()),
            ),
            row(
                "field-target_type",
                ui.i18n.label(&codes::REFERRAL_TARGET_TYPE, &f.target_type),
            ),
            row("field-institution", inert(&f.institution)),
            row(
                "field-referral_reason",
                ui.i18n.label(&codes::REFERRAL_REASON, &f.reason),
            ),
            row(
                "field-sharing_basis",
                ui.i18n.label(&codes::SHARING_BASIS, &f.sharing_basis),
            ),
        ];
        if let Some(lead) = &f.confirmed_by {
            lines.push(row("referral-confirmed-by", lead.clone()));
        }
        lines.push(row(
            "field-sent_at",
            f.sent_at.map(time).unwrap_or_default(),
        ));
        lines.push(row(
            "field-method",
            f.method
                .as_deref()
                .map(|m| ui.i18n.label(&codes::REFERRAL_METHOD, m))
                .unwrap_or_default(),
        ));
        lines.push(row(
            "field-reference",
            f.reference.as_deref().map(inert).unwrap_or_default(),
        ));
        let due = f.due_at.map(time).unwrap_or_default();
        lines.push(Line::from(vec![
            Span::styled(
                format!(" {:<22} ", fit(&ui.t("field-due_at"), 22)),
                theme.label(),
            ),
            Span::styled(
                if overdue {
                    format!("{due}  {}", ui.t("home-overdue"))
                } else {
                    due
                },
                if overdue {
                    theme.urgent()
                } else {
                    theme.plain()
                },
            ),
        ]));
        if r.status() == "NO_RESPONSE" {
            let hint = escalation_hint(r, self.place.as_ref(), ui);
            lines.extend(
                wrap(&hint, width.saturating_sub(2))
                    .into_iter()
                    .map(|line| Line::from(Span::styled(format!(" {line}"), theme.urgent()))),
            );
        }
        lines.push(Line::from(Span::styled(
            format!(" {}", ui.t("referral-history")),
            theme.title(),
        )));
        for change in &r.history {
            let note = if change.note.is_empty() {
                String::new()
            } else {
                format!(": {}", inert(&change.note))
            };
            for (n, line) in wrap(
                &format!(
                    "{}  {}  {}{note}",
                    time(change.at),
                    ui.i18n.label(&codes::REFERRAL_STATUS, &change.status),
                    change.author
                ),
                width.saturating_sub(2),
            )
            .into_iter()
            .enumerate()
            {
                lines.push(Line::from(format!(
                    "{}{line}",
                    if n == 0 { "  " } else { "    " }
                )));
            }
        }
        if self.central {
            lines.extend(self.outcome_lines(ui, width));
        }
        self.scroll = self.scroll.min(lines.len().saturating_sub(1));
        let shown: Vec<Line> = lines.into_iter().skip(self.scroll).collect();
        frame.render_widget(Paragraph::new(shown), area);
        if let Some(form) = self.status.as_mut() {
            let height = 5.min(area.height);
            let popup = Rect {
                y: area.y + area.height - height,
                height,
                ..area
            };
            frame.render_widget(Clear, popup);
            frame.render_widget(
                Paragraph::new(Span::styled(
                    ui.t(if self.central {
                        "central-outcome-title"
                    } else {
                        "referral-status-title"
                    }),
                    theme.title(),
                )),
                Rect { height: 1, ..popup },
            );
            form.render(
                frame,
                Rect {
                    y: popup.y + 1,
                    height: popup.height - 1,
                    ..popup
                },
                ui,
                true,
            );
            form.render_picker(frame, area, ui);
        }
    }
}
