//! Follow-up (ctrl-u): open referrals due within a day or overdue, today's U1 and U2 first,
//! then by deadline; each with its caller (masked until revealed), place, reason, the
//! institution and the phone to call it on, and how late it is. Those without an answer
//! say where to escalate. At central: every imported referral, newest first, with the
//! office that made it.

use chrono::{DateTime, FixedOffset, TimeDelta, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, HighlightSpacing, Paragraph, Row, Table, TableState};
use unicode_width::UnicodeWidthStr;

use super::calls::{name_cell, phone_cell};
use super::referral_view::escalation_hint;
use super::{Env, Input, Nav, Place, Screen};
use crate::model::{Call, Referral, codes};
use crate::store::ReferralFilter;
use crate::tui::action::{Action, Context};
use crate::tui::ui::{Message, Ui};
use crate::tui::widgets::form::{fit, place_label, wrap};
use crate::tui::widgets::scroll::keep_in_view;

/// More than an office follows up in a week; the list says when there are more.
const SHOWN: u32 = 500;

/// Lines a referral takes on the desk's list.
const ROW_HEIGHT: u16 = 2;

/// A referral due and the call it came from (none for a referral made from a case).
struct Due {
    referral: Referral,
    call: Option<Call>,
}

pub struct FollowUp {
    rows: Vec<Due>,
    selected: usize,
    top: usize,
    revealed: bool,
    zone: FixedOffset,
    now: DateTime<Utc>,
    page: usize,
    central: bool,
}

/// The filter of referrals to follow up at `now`: due within a day, today's urgent first.
pub fn due_filter(now: DateTime<Utc>, zone: FixedOffset) -> ReferralFilter {
    ReferralFilter::follow_up(now + TimeDelta::days(1), now, zone)
}

impl FollowUp {
    pub fn load(env: &mut Env) -> FollowUp {
        let mut screen = FollowUp {
            rows: Vec::new(),
            selected: 0,
            top: 0,
            revealed: false,
            zone: env.store.zone(),
            now: env.now,
            page: 10,
            central: env.store.is_central(),
        };
        screen.reload(env);
        screen
    }

    fn reload(&mut self, env: &mut Env) {
        self.now = env.now;
        let filter = if self.central {
            ReferralFilter::default()
        } else {
            due_filter(env.now, self.zone)
        };
        match env.store.list_referrals(&filter, SHOWN) {
            Ok(referrals) => {
                self.rows = referrals
                    .into_iter()
                    .map(|referral| Due {
                        call: referral
                            .fields
                            .call_id
                            .and_then(|id| env.store.call(id).ok()),
                        referral,
                    })
                    .collect();
            }
            Err(e) => env.message = Some(Message::error(e.to_string())),
        }
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
    }

    fn move_to(&mut self, target: isize) {
        let target = target.clamp(0, self.rows.len().saturating_sub(1) as isize) as usize;
        if target != self.selected {
            self.revealed = false;
        }
        self.selected = target;
    }

    /// How late a referral is ("3 d", "today"), or the time it falls due.
    fn lateness(&self, referral: &Referral, ui: &Ui) -> String {
        match referral.fields.due_at {
            Some(due) if due <= self.now => ui.i18n.t_args(
                "follow-up-days",
                &[("days", (self.now - due).num_days().into())],
            ),
            Some(due) => due.with_timezone(&self.zone).format("%H:%M").to_string(),
            None => String::new(),
        }
    }

    /// The desk's columns: headers, widths, and the cells of each row shown.
    fn desk_table(
        &self,
        ui: &Ui,
        width: u16,
    ) -> (Vec<Constraint>, Row<'static>, Vec<Row<'static>>) {
        let shown: Vec<(usize, &Due)> = self
            .rows
            .iter()
            .enumerate()
            .skip(self.top)
            .take(self.page)
            .collect();
        let directory = &ui.reference.directory;
        let cells: Vec<[String; 7]> = shown
            .iter()
            .map(|(index, due)| {
                let revealed = *index == self.selected && self.revealed;
                let f = &due.referral.fields;
                let call = due.call.as_ref().map(|c| &c.fields);
                let institution = directory.find(&f.institution);
                let caller = match call {
                    Some(c) if c.caller_name.is_some() => {
                        name_cell(c.caller_name.as_deref(), revealed)
                    }
                    Some(c) => phone_cell(c.caller_phone.as_deref(), revealed),
                    None => String::new(),
                };
                [
                    call.map(|c| c.urgency.chars().take(2).collect())
                        .unwrap_or_default(),
                    self.lateness(&due.referral, ui),
                    caller,
                    call.and_then(|c| c.caller_place.as_ref())
                        .map(|p| place_label(p.as_str(), ui))
                        .unwrap_or_default(),
                    call.map(|c| ui.i18n.label(&codes::CONTACT_REASON, &c.reason))
                        .unwrap_or_default(),
                    institution.map_or_else(|| f.institution.clone(), |i| i.name.to_string()),
                    institution.map(|i| i.phone.to_string()).unwrap_or_default(),
                ]
            })
            .collect();
        let headers = [
            "column-urgency",
            "follow-up-column-late",
            "column-caller",
            "column-place",
            "column-reason",
            "follow-up-column-institution",
            "column-phone",
        ]
        .map(|id| ui.t(id));
        // Short columns as wide as their widest cell; the rest share what is left.
        let fitted = |column: usize, most: usize| {
            let widest = cells
                .iter()
                .map(|row| row[column].width())
                .chain([headers[column].width()])
                .max()
                .unwrap_or(0);
            Constraint::Length(widest.min(most) as u16)
        };
        // Place over reason, institution over its phone: two lines a referral, so that
        // names stay whole at 80 columns.
        let constraints = vec![
            fitted(0, 2),
            fitted(1, 8),
            fitted(2, 12),
            Constraint::Fill(1),
            Constraint::Fill(1),
        ];
        let widths: Vec<usize> = Layout::horizontal(constraints.clone())
            .spacing(1)
            .split(Rect::new(0, 0, width.saturating_sub(1), 1))
            .iter()
            .map(|r| r.width as usize)
            .collect();
        let cell = |column: usize, lines: &[&String]| -> Cell<'static> {
            let lines: Vec<Line> = lines
                .iter()
                .map(|text| Line::from(fit(text, widths[column])))
                .collect();
            Cell::from(lines)
        };
        let row = |t: &[String; 7]| -> Row<'static> {
            Row::new([
                cell(0, &[&t[0]]),
                cell(1, &[&t[1]]),
                cell(2, &[&t[2]]),
                cell(3, &[&t[3], &t[4]]),
                cell(4, &[&t[5], &t[6]]),
            ])
            .height(ROW_HEIGHT)
        };
        let header = row(&headers).style(ui.theme.dim());
        let rows = shown
            .iter()
            .zip(&cells)
            .map(|((index, due), texts)| {
                row(texts).style(self.row_style(*index, &due.referral, ui))
            })
            .collect();
        (constraints, header, rows)
    }

    /// Central's columns: when the office logged the referral, the office, its status and
    /// the institution.
    fn central_table(&self, ui: &Ui) -> (Vec<Constraint>, Row<'static>, Vec<Row<'static>>) {
        let header = Row::new(
            [
                "column-started",
                "follow-up-column-office",
                "field-referral-status",
                "follow-up-column-institution",
            ]
            .map(|id| ui.t(id)),
        )
        .style(ui.theme.dim());
        let rows = self
            .rows
            .iter()
            .enumerate()
            .skip(self.top)
            .take(self.page)
            .map(|(index, due)| {
                let r = &due.referral;
                Row::new([
                    r.meta
                        .created_at
                        .with_timezone(&self.zone)
                        .format("%m-%d %H:%M")
                        .to_string(),
                    r.meta.office_id.clone(),
                    ui.i18n.label(&codes::REFERRAL_STATUS, r.status()),
                    fit(&r.fields.institution, 80),
                ])
                .style(self.row_style(index, r, ui))
            })
            .collect();
        let constraints = vec![
            Constraint::Length(11),
            Constraint::Length(12),
            Constraint::Length(22),
            Constraint::Fill(1),
        ];
        (constraints, header, rows)
    }

    fn row_style(&self, index: usize, referral: &Referral, ui: &Ui) -> ratatui::style::Style {
        let theme = &ui.theme;
        let overdue = referral.fields.due_at.is_some_and(|d| d <= self.now);
        if index == self.selected {
            theme.selected()
        } else if self.central && !referral.is_open() {
            theme.plain()
        } else if overdue || referral.status() == "NO_RESPONSE" {
            theme.urgent()
        } else {
            theme.warning()
        }
    }
}

impl Screen for FollowUp {
    fn title(&self, ui: &Ui) -> String {
        if self.central {
            ui.t("screen-central-referrals")
        } else {
            ui.t("screen-follow-up")
        }
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::List]
    }

    fn key_bar(&self) -> Vec<Action> {
        if self.central {
            vec![Action::Open, Action::Back, Action::Home, Action::Help]
        } else {
            vec![
                Action::Open,
                Action::Reveal,
                Action::Back,
                Action::Home,
                Action::Help,
            ]
        }
    }

    fn handle(&mut self, input: Input, _env: &mut Env) -> Nav {
        let Input::Action(action) = input else {
            return Nav::Stay;
        };
        let at = self.selected as isize;
        let page = self.page as isize;
        match action {
            Action::MoveUp => self.move_to(at - 1),
            Action::MoveDown => self.move_to(at + 1),
            Action::PageUp => self.move_to(at - page),
            Action::PageDown => self.move_to(at + page),
            Action::First => self.move_to(0),
            Action::Last => self.move_to(self.rows.len() as isize),
            Action::Reveal if !self.central => self.revealed = !self.revealed,
            Action::Open => {
                if let Some(due) = self.rows.get(self.selected) {
                    return Nav::Push(Place::Referral(due.referral.meta.id));
                }
            }
            Action::Back => return Nav::Pop,
            _ => {}
        }
        Nav::Stay
    }

    fn resume(&mut self, env: &mut Env) {
        self.reload(env);
    }

    fn place(&self) -> Place {
        Place::FollowUp
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let theme = &ui.theme;
        let count = if self.central {
            "central-referrals-count"
        } else {
            "follow-up-count"
        };
        // The selected referral's escalation, under the list, whole.
        let hint: Vec<String> = self
            .rows
            .get(self.selected)
            .filter(|due| !self.central && due.referral.status() == "NO_RESPONSE")
            .map(|due| {
                let place = due
                    .call
                    .as_ref()
                    .and_then(|c| c.fields.caller_place.as_ref());
                wrap(
                    &escalation_hint(&due.referral, place, ui),
                    area.width.saturating_sub(1) as usize,
                )
            })
            .unwrap_or_default();
        let [top, list, bottom] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(hint.len() as u16),
        ])
        .areas(area);
        frame.render_widget(
            Paragraph::new(Span::styled(
                ui.i18n.t_args(count, &[("count", self.rows.len().into())]),
                theme.label(),
            )),
            top,
        );
        let height = if self.central { 1 } else { ROW_HEIGHT };
        self.page = (list.height.saturating_sub(height) / height).max(1) as usize;
        self.top = keep_in_view(self.selected, self.top, self.page);
        let (constraints, header, rows) = if self.central {
            self.central_table(ui)
        } else {
            self.desk_table(ui, list.width)
        };
        // Rows are drawn from `top`: the selection is counted from there.
        let mut state = TableState::default().with_selected(self.selected.checked_sub(self.top));
        let table = Table::new(rows, constraints)
            .header(header)
            .column_spacing(1)
            .highlight_symbol(theme.marker())
            .highlight_spacing(HighlightSpacing::Always)
            .row_highlight_style(theme.selected());
        frame.render_stateful_widget(table, list, &mut state);
        let lines: Vec<Line> = hint
            .into_iter()
            .map(|line| Line::from(Span::styled(format!(" {line}"), theme.urgent())))
            .collect();
        frame.render_widget(Paragraph::new(lines), bottom);
    }
}
