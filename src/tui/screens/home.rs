//! Home: today's calls, open cases, referrals due or overdue, and the state of the office's
//! data, at a glance.

use chrono::{DateTime, Datelike, FixedOffset, TimeDelta, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};
use unicode_width::UnicodeWidthStr;

use super::{Env, Input, Nav, Place, Screen, call_form, follow_up};
use crate::model::{Call, Referral, codes, followup};
use crate::store::{CallFilter, OfficeSetting};
use crate::tui::action::{Action, Context};
use crate::tui::ui::{Message, Ui};
use crate::tui::widgets::form::{caller_place_short, fit, wrap};

/// What home shows, read from the store.
#[derive(Default)]
pub struct Home {
    office: String,
    operator: String,
    today: String,
    calls_today: Vec<Call>,
    calls_today_count: u64,
    open_cases: u64,
    due: Vec<Referral>,
    due_count: u64,
    overdue_count: u64,
    unsent_changes: u64,
    /// When central's newest receipt was applied here.
    last_receipt: Option<DateTime<Utc>>,
    /// When the oldest batch still without a receipt was made.
    oldest_waiting: Option<DateTime<Utc>>,
    /// Days a batch may wait for its receipt before home warns.
    warn_after: Option<u64>,
    /// Calls left unsaved (their drafts), newest first.
    unsaved: Vec<String>,
    /// Calls discarded today, newest first.
    discarded: Vec<String>,
    zone: Option<FixedOffset>,
    now: Option<DateTime<Utc>>,
}

/// Rows of each list on home, so everything fits 80x24.
const SHOWN: u32 = 5;

impl Home {
    pub fn load(env: &mut Env) -> Home {
        let mut home = Home::default();
        home.reload(env);
        home
    }

    fn reload(&mut self, env: &mut Env) {
        let store = &*env.store;
        let zone = store.zone();
        let from = followup::start_of_local_day(env.now, zone);
        let today = CallFilter {
            from: Some(from),
            to: Some(from + TimeDelta::days(1)),
            ..CallFilter::default()
        };
        let result = (|| -> Result<(), crate::store::StoreError> {
            self.office = store.setting("office_name")?.unwrap_or_default();
            self.calls_today = store.list_calls(&today, None, SHOWN)?.calls;
            self.calls_today_count = store.count_calls(&today)?;
            self.open_cases = store.open_case_count()?;
            self.due = store.list_referrals(&follow_up::due_filter(env.now, zone), SHOWN)?;
            self.due_count = store.count_referrals_due(env.now + TimeDelta::days(1))?;
            self.overdue_count = store.count_referrals_due(env.now)?;
            let office = store.as_office()?;
            self.unsent_changes = office.unbatched_change_count()?;
            self.last_receipt = office.last_receipt_applied_at()?;
            self.oldest_waiting = office.oldest_unacknowledged_batch()?;
            self.warn_after = store.office_setting(OfficeSetting::ReceiptWarningDays)?;
            Ok(())
        })();
        let read = result.and_then(|()| self.read_drafts(env, from));
        if let Err(e) = read {
            env.message = Some(Message::error(e.to_string()));
        }
        self.operator = env.store.operator().to_owned();
        let local = env.now.with_timezone(&zone);
        self.today = format!(
            "{} {:02}-{:02}-{:02} {}",
            weekday(local.weekday().num_days_from_monday(), env.ui),
            local.year(),
            local.month(),
            local.day(),
            local.format("%H:%M")
        );
        self.zone = Some(zone);
        self.now = Some(env.now);
    }
}

impl Home {
    /// The calls to bring back; those discarded before today are gone for good first.
    fn read_drafts(
        &mut self,
        env: &mut Env,
        today: DateTime<Utc>,
    ) -> Result<(), crate::store::StoreError> {
        env.store
            .as_office_mut()
            .and_then(|office| office.purge_drafts(call_form::DISCARDED_KIND, today))?;
        let drafts = env.store.as_office().and_then(|office| office.drafts())?;
        let of_kind = |kind: &str| {
            drafts
                .iter()
                .filter(|d| d.kind == kind)
                .map(|d| d.id.clone())
                .collect()
        };
        self.unsaved = of_kind(call_form::DRAFT_KIND);
        self.discarded = of_kind(call_form::DISCARDED_KIND);
        Ok(())
    }

    /// What home offers to bring back, with the key that does it.
    fn draft_lines(&self, ui: &Ui) -> Vec<Line<'static>> {
        let key = ui
            .key_for(&[Context::List], Action::BringBack)
            .map(|k| k.to_string())
            .unwrap_or_default();
        [
            ("home-drafts", self.unsaved.len()),
            ("home-discarded", self.discarded.len()),
        ]
        .into_iter()
        .filter(|(_, count)| *count > 0)
        .map(|(id, count)| {
            Line::from(Span::styled(
                ui.i18n
                    .t_args(id, &[("count", count.into()), ("key", key.clone().into())]),
                ui.theme.warning(),
            ))
        })
        .collect()
    }

    /// Referrals due or overdue: when, late or not, status, institution.
    fn due_table(&self, ui: &Ui, zone: FixedOffset, now: DateTime<Utc>) -> Listing {
        let theme = &ui.theme;
        let label = ui.i18n.t_args(
            "home-referrals-due",
            &[
                ("count", self.due_count.into()),
                ("overdue", self.overdue_count.into()),
            ],
        );
        let rows = self
            .due
            .iter()
            .map(|referral| {
                let late = referral.fields.due_at.is_some_and(|d| d <= now);
                let due = referral
                    .fields
                    .due_at
                    .map(|d| d.with_timezone(&zone).format("%m-%d %H:%M").to_string())
                    .unwrap_or_default();
                let mark = ui.t(if late { "home-overdue" } else { "home-due" });
                let status = ui.i18n.label(&codes::REFERRAL_STATUS, referral.status());
                let institution = crate::model::text::inert(&referral.fields.institution);
                let style = if late {
                    theme.urgent()
                } else {
                    theme.warning()
                };
                (vec![due, mark, status, institution], style)
            })
            .collect();
        Listing {
            label,
            rows,
            widths: vec![
                Constraint::Length(11),
                Constraint::Min(0),
                Constraint::Max(22),
                Constraint::Fill(1),
            ],
        }
    }

    /// Today's calls: time, urgency, reason, place.
    fn calls_table(&self, ui: &Ui, zone: FixedOffset) -> Listing {
        let theme = &ui.theme;
        let label = ui.i18n.t_args(
            "home-calls-today",
            &[("count", self.calls_today_count.into())],
        );
        let rows = self
            .calls_today
            .iter()
            .map(|call| {
                let urgent = call.fields.is_urgent();
                let place = caller_place_short(&call.fields, ui);
                let style = if urgent {
                    theme.urgent()
                } else {
                    theme.plain()
                };
                (
                    vec![
                        call.started_at()
                            .with_timezone(&zone)
                            .format("%H:%M")
                            .to_string(),
                        call.fields.urgency.chars().take(2).collect(),
                        ui.i18n.label(&codes::CONTACT_REASON, &call.fields.reason),
                        place,
                    ],
                    style,
                )
            })
            .collect();
        Listing {
            label,
            rows,
            widths: vec![
                Constraint::Length(5),
                Constraint::Length(2),
                Constraint::Fill(2),
                Constraint::Fill(1),
            ],
        }
    }
}

/// A list on home: its heading, and rows of cells in columns that share the width.
struct Listing {
    label: String,
    rows: Vec<(Vec<String>, Style)>,
    widths: Vec<Constraint>,
}

impl Listing {
    /// Lines it takes: the heading and a line a row.
    fn height(&self) -> u16 {
        1 + self.rows.len() as u16
    }

    fn render(self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let [heading, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
        frame.render_widget(
            Paragraph::new(Span::styled(self.label, ui.theme.label())),
            heading,
        );
        let [_, body] =
            Layout::horizontal([Constraint::Length(2), Constraint::Fill(1)]).areas(body);
        // The widths the table will give: each cell is fitted to its own, cut with an
        // ellipsis rather than in mid-letter.
        let widths = |constraints: Vec<Constraint>| -> Vec<usize> {
            Layout::horizontal(constraints)
                .spacing(COLUMN_SPACING)
                .split(body)
                .iter()
                .map(|r| r.width as usize)
                .collect()
        };
        let mut constraints = self.widths;
        // A column at its content's width: as wide as its widest cell.
        for (column, constraint) in constraints.iter_mut().enumerate() {
            if *constraint == Constraint::Min(0) {
                let widest = self
                    .rows
                    .iter()
                    .map(|(cells, _)| cells[column].width())
                    .max()
                    .unwrap_or(0);
                *constraint = Constraint::Length(widest as u16);
            }
        }
        let fitted = widths(constraints.clone());
        let rows = self.rows.into_iter().map(|(cells, style)| {
            Row::new(
                cells
                    .iter()
                    .zip(&fitted)
                    .map(|(text, width)| Cell::from(fit(text, *width))),
            )
            .style(style)
        });
        frame.render_widget(
            Table::new(rows, constraints).column_spacing(COLUMN_SPACING),
            body,
        );
    }
}

/// Spaces between home's columns.
const COLUMN_SPACING: u16 = 2;

impl Home {
    /// Days since central's last receipt, and a warning when a batch has waited too long
    /// for its own: the stick has not gone to central, or came back without a receipt.
    fn delivery_lines(&self, ui: &Ui, now: DateTime<Utc>, width: usize) -> Vec<Line<'static>> {
        let theme = &ui.theme;
        let mut lines = vec![match self.last_receipt {
            Some(at) => Line::from(ui.i18n.t_args(
                "home-last-receipt",
                &[("days", (now - at).num_days().max(0).into())],
            )),
            None => Line::from(Span::styled(ui.t("home-no-receipt"), theme.dim())),
        }];
        let waited = self.oldest_waiting.map(|at| (now - at).num_days());
        if let (Some(days), Some(limit)) = (waited, self.warn_after)
            && days > i64::try_from(limit).unwrap_or(i64::MAX)
        {
            let key = ui
                .key_for(&[Context::List], Action::Sync)
                .map(|k| k.to_string())
                .unwrap_or_default();
            let text = ui.i18n.t_args(
                "home-receipt-overdue",
                &[("days", days.into()), ("key", key.into())],
            );
            for line in wrap(&text, width) {
                lines.push(Line::from(Span::styled(line, theme.urgent())));
            }
        }
        lines
    }
}

fn weekday(day: u32, ui: &Ui) -> String {
    ui.t(&format!("weekday-{day}"))
}

impl Screen for Home {
    fn title(&self, ui: &Ui) -> String {
        ui.t("screen-home")
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::List]
    }

    fn key_bar(&self) -> Vec<Action> {
        let mut actions = vec![Action::NewCall];
        if !self.unsaved.is_empty() || !self.discarded.is_empty() {
            actions.push(Action::BringBack);
        }
        actions.extend([
            Action::Calls,
            Action::Search,
            Action::Directory,
            Action::Stats,
            Action::Sync,
            Action::Help,
            Action::Quit,
        ]);
        actions
    }

    fn handle(&mut self, input: Input, _env: &mut Env) -> Nav {
        // Enter on home goes to what needs doing: the referrals due.
        match input {
            Input::Action(Action::Open) => Nav::Push(Place::FollowUp),
            // A call left unsaved first: the caller may still be on the line.
            Input::Action(Action::BringBack) => {
                match self.unsaved.first().or(self.discarded.first()) {
                    Some(draft_id) => Nav::Push(Place::CallForm {
                        draft_id: draft_id.clone(),
                    }),
                    None => Nav::Stay,
                }
            }
            _ => Nav::Stay,
        }
    }

    fn resume(&mut self, env: &mut Env) {
        self.reload(env);
    }

    fn place(&self) -> Place {
        Place::Home
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let theme = &ui.theme;
        let (Some(zone), Some(now)) = (self.zone, self.now) else {
            return;
        };
        let width = area.width as usize;
        let mut head = vec![Line::from(vec![
            Span::styled(fit(&self.office, width / 2), theme.title()),
            Span::raw(format!("  {}  {}", self.operator, self.today)),
        ])];
        // The bar has no room for it: the quickest way to log most calls is said here.
        if let Some(key) = ui.key_for(&[Context::Global], Action::CallTemplate) {
            let hint = ui
                .i18n
                .t_args("home-templates", &[("key", key.to_string().into())]);
            head.push(Line::from(Span::styled(fit(&hint, width), theme.dim())));
        }
        // What needs doing comes first: referrals due or overdue, then today's calls.
        let due = self.due_table(ui, zone, now);
        let calls = self.calls_table(ui, zone);
        let [head_area, due_area, calls_area, rest] = Layout::vertical([
            Constraint::Length(head.len() as u16 + 1),
            Constraint::Length(due.height() + 1),
            Constraint::Length(calls.height() + 1),
            Constraint::Fill(1),
        ])
        .areas(area);
        frame.render_widget(Paragraph::new(head), head_area);
        due.render(frame, due_area, ui);
        calls.render(frame, calls_area, ui);
        let mut lines = vec![
            Line::from(
                ui.i18n
                    .t_args("home-open-cases", &[("count", self.open_cases.into())]),
            ),
            Line::from(
                ui.i18n
                    .t_args("home-unsent", &[("count", self.unsent_changes.into())]),
            ),
        ];
        lines.extend(self.delivery_lines(ui, now, width));
        lines.extend(self.draft_lines(ui));
        frame.render_widget(Paragraph::new(lines), rest);
    }
}
