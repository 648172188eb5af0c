//! Follow-up (ctrl-u): open referrals due within a day or overdue, the oldest deadline first;
//! those without an answer are marked for escalation. At central: every imported referral,
//! newest first, with the office that made it.

use chrono::{DateTime, FixedOffset, TimeDelta, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Env, Input, Nav, Place, Screen};
use crate::model::{Referral, codes, text::inert};
use crate::store::{ReferralFilter, StoreKind};
use crate::tui::action::{Action, Context};
use crate::tui::ui::{Message, Ui};
use crate::tui::widgets::form::fit;

/// More than an office follows up in a week; the list says when there are more.
const SHOWN: u32 = 500;

pub struct FollowUp {
    rows: Vec<Referral>,
    selected: usize,
    top: usize,
    zone: FixedOffset,
    now: DateTime<Utc>,
    page: usize,
    central: bool,
}

impl FollowUp {
    pub fn load(env: &mut Env) -> FollowUp {
        let mut screen = FollowUp {
            rows: Vec::new(),
            selected: 0,
            top: 0,
            zone: env.store.zone(),
            now: env.now,
            page: 10,
            central: env.store.kind() == StoreKind::Central,
        };
        screen.reload(env);
        screen
    }

    fn reload(&mut self, env: &mut Env) {
        self.now = env.now;
        let filter = if self.central {
            ReferralFilter::default()
        } else {
            ReferralFilter {
                due_by: Some(env.now + TimeDelta::days(1)),
                ..ReferralFilter::default()
            }
        };
        match env.store.list_referrals(&filter, SHOWN) {
            Ok(rows) => self.rows = rows,
            Err(e) => env.message = Some(Message::error(e.to_string())),
        }
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
    }

    fn move_to(&mut self, target: isize) {
        self.selected = target.clamp(0, self.rows.len().saturating_sub(1) as isize) as usize;
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
        vec![Action::Open, Action::Back, Action::Home, Action::Help]
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
            Action::Open => {
                if let Some(referral) = self.rows.get(self.selected) {
                    return Nav::Push(Place::Referral(referral.meta.id));
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
        let width = area.width as usize;
        let count = if self.central {
            "central-referrals-count"
        } else {
            "follow-up-count"
        };
        let mut lines = vec![Line::from(Span::styled(
            ui.i18n.t_args(count, &[("count", self.rows.len().into())]),
            theme.label(),
        ))];
        self.page = (area.height as usize).saturating_sub(1).max(1);
        if self.selected < self.top {
            self.top = self.selected;
        }
        if self.selected >= self.top + self.page {
            self.top = self.selected + 1 - self.page;
        }
        for (index, referral) in self.rows.iter().enumerate().skip(self.top).take(self.page) {
            let chosen = index == self.selected;
            let overdue = referral.fields.due_at.is_some_and(|d| d <= self.now);
            let escalate = referral.status() == "NO_RESPONSE";
            let mark = if self.central {
                referral.meta.office_id.clone()
            } else if escalate {
                ui.t("follow-up-escalate")
            } else if overdue {
                ui.t("home-overdue")
            } else {
                ui.t("home-due")
            };
            // Central lists by when the office logged the referral; the desk by when it is due.
            let when = if self.central {
                Some(referral.meta.created_at)
            } else {
                referral.fields.due_at
            };
            let due = when
                .map(|d| {
                    d.with_timezone(&self.zone)
                        .format("%m-%d %H:%M")
                        .to_string()
                })
                .unwrap_or_default();
            let text = format!(
                "{} {due:<11} {:<10} {:<16} {}",
                if chosen { theme.marker() } else { " " },
                fit(&mark, 10),
                fit(
                    &ui.i18n.label(&codes::REFERRAL_STATUS, referral.status()),
                    16
                ),
                inert(&referral.fields.institution)
            );
            let style = if chosen {
                theme.selected()
            } else if self.central && !referral.is_open() {
                theme.plain()
            } else if overdue || escalate {
                theme.urgent()
            } else {
                theme.warning()
            };
            lines.push(Line::from(Span::styled(fit(&text, width), style)));
        }
        frame.render_widget(Paragraph::new(lines), area);
    }
}
