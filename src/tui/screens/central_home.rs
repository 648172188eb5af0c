//! Central's home: where each office stands (last batch, when it was imported, batches
//! missing, alerts, conflicts, a revoked key, silence), the same figures as `linea central
//! status`. From here F5
//! lists the imported calls and Enter (or the follow-up key) the imported referrals.

use chrono::{DateTime, Datelike, FixedOffset, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Env, Input, Nav, Place, Screen};
use crate::central::status::{OfficeStatus, office_statuses};
use crate::model::text::inert;
use crate::tui::action::{Action, Context};
use crate::tui::ui::{Message, Ui};
use crate::tui::widgets::form::fit;

#[derive(Default)]
pub struct CentralHome {
    name: String,
    operator: String,
    today: String,
    offices: Vec<OfficeStatus>,
    calls: u64,
    zone: Option<FixedOffset>,
    /// The first office row shown (tens of offices do not fit 80x24).
    top: usize,
    page: usize,
}

/// Column widths of the offices table: 80 columns with the two-space indent, the state
/// taking the last nine.
const OFFICE: usize = 10;
const NAME: usize = 19;
const LAST: usize = 4;
const IMPORTED: usize = 16;
const MISSING: usize = 7;
const ALERTS: usize = 7;

impl CentralHome {
    pub fn load(env: &mut Env) -> CentralHome {
        let mut home = CentralHome::default();
        home.reload(env);
        home
    }

    fn reload(&mut self, env: &mut Env) {
        let store = &*env.store;
        let result = (|| -> Result<(), crate::store::StoreError> {
            self.name = store.setting("office_name")?.unwrap_or_default();
            self.offices = office_statuses(store.as_central()?, env.now)?;
            self.calls = store.call_count()?;
            Ok(())
        })();
        if let Err(e) = result {
            env.message = Some(Message::error(e.to_string()));
        }
        self.operator = store.operator().to_owned();
        let zone = store.zone();
        let local = env.now.with_timezone(&zone);
        self.today = format!(
            "{} {:04}-{:02}-{:02} {}",
            env.ui.t(&format!(
                "weekday-{}",
                local.weekday().num_days_from_monday()
            )),
            local.year(),
            local.month(),
            local.day(),
            local.format("%H:%M")
        );
        self.zone = Some(zone);
    }

    fn row(&self, office: &OfficeStatus, ui: &Ui, zone: FixedOffset) -> Line<'static> {
        let theme = &ui.theme;
        let imported = office
            .last_import_at()
            .map(|t| local_time(t, zone))
            .unwrap_or_else(|| "-".into());
        let missing = if office.missing.is_empty() {
            "-".to_owned()
        } else {
            crate::central::status::gap_list(&office.missing).replace(' ', "")
        };
        let (state, style) = if office.revoked_at.is_some() {
            (ui.t("central-state-revoked"), theme.urgent())
        } else if !office.registered {
            (ui.t("central-state-unregistered"), theme.warning())
        } else if office.overdue {
            (ui.t("central-state-overdue"), theme.urgent())
        } else if !office.alerts.is_empty() || !office.missing.is_empty() || office.conflicts > 0 {
            (ui.t("central-state-check"), theme.warning())
        } else {
            (ui.t("central-state-ok"), theme.plain())
        };
        let text = format!(
            "  {:<OFFICE$} {:<NAME$} {:>LAST$} {:<IMPORTED$} {:<MISSING$} {:>ALERTS$} {}",
            fit(&office.office, OFFICE),
            fit(&inert(&office.name), NAME),
            office
                .last_batch
                .map_or_else(|| "-".into(), |s| s.to_string()),
            imported,
            fit(&missing, MISSING),
            office.alerts.len(),
            state
        );
        Line::from(Span::styled(text, style))
    }
}

fn local_time(at: DateTime<Utc>, zone: FixedOffset) -> String {
    at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string()
}

impl Screen for CentralHome {
    fn title(&self, ui: &Ui) -> String {
        ui.t("screen-central")
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::List]
    }

    fn key_bar(&self) -> Vec<Action> {
        vec![
            Action::Sync,
            Action::FollowUp,
            Action::Calls,
            Action::Search,
            Action::Stats,
            Action::Help,
            Action::Quit,
        ]
    }

    fn handle(&mut self, input: Input, _env: &mut Env) -> Nav {
        let Input::Action(action) = input else {
            return Nav::Stay;
        };
        let last = self.offices.len().saturating_sub(1);
        match action {
            Action::Open => return Nav::Push(Place::FollowUp),
            Action::MoveDown => self.top = (self.top + 1).min(last),
            Action::MoveUp => self.top = self.top.saturating_sub(1),
            Action::PageDown => self.top = (self.top + self.page.max(1)).min(last),
            Action::PageUp => self.top = self.top.saturating_sub(self.page.max(1)),
            Action::First => self.top = 0,
            Action::Last => self.top = last,
            _ => {}
        }
        Nav::Stay
    }

    fn resume(&mut self, env: &mut Env) {
        self.reload(env);
    }

    fn place(&self) -> Place {
        Place::Home
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let theme = &ui.theme;
        let Some(zone) = self.zone else {
            return;
        };
        let width = area.width as usize;
        let overdue = self.offices.iter().filter(|o| o.overdue).count();
        let alerts: Vec<(String, String)> = self
            .offices
            .iter()
            .flat_map(|o| o.alerts.iter().map(|a| (o.office.clone(), a.clone())))
            .collect();
        let mut lines = vec![
            Line::from(vec![
                Span::styled(fit(&self.name, width / 2), theme.title()),
                Span::raw(format!("  {}  {}", self.operator, self.today)),
            ]),
            Line::from(""),
            Line::from(Span::styled(
                ui.i18n.t_args(
                    "central-offices",
                    &[
                        ("count", self.offices.len().into()),
                        ("overdue", overdue.into()),
                    ],
                ),
                theme.label(),
            )),
            Line::from(Span::styled(
                fit(
                    &format!(
                        "  {:<OFFICE$} {:<NAME$} {:>LAST$} {:<IMPORTED$} {:<MISSING$} {:>ALERTS$} {}",
                        fit(&ui.t("central-col-office"), OFFICE),
                        fit(&ui.t("central-col-name"), NAME),
                        fit(&ui.t("central-col-last"), LAST),
                        fit(&ui.t("central-col-imported"), IMPORTED),
                        fit(&ui.t("central-col-missing"), MISSING),
                        fit(&ui.t("central-col-alerts"), ALERTS),
                        ui.t("central-col-state")
                    ),
                    width,
                ),
                theme.dim(),
            )),
        ];
        let conflicts: u64 = self.offices.iter().map(|o| o.conflicts).sum();
        // Below the table: alerts (at most three lines), conflicts and the totals; the table
        // gets the rest.
        let shown_alerts = alerts.len().min(3);
        let footer = 2
            + usize::from(conflicts > 0)
            + if alerts.is_empty() {
                0
            } else {
                1 + shown_alerts
            };
        self.page = (area.height as usize)
            .saturating_sub(lines.len() + footer)
            .max(1);
        self.top = self.top.min(self.offices.len().saturating_sub(1));
        if self.offices.is_empty() {
            lines.push(Line::from(Span::styled(
                format!("  {}", ui.t("central-no-offices")),
                theme.dim(),
            )));
        }
        for office in self.offices.iter().skip(self.top).take(self.page) {
            let row = self.row(office, ui, zone);
            lines.push(row);
        }
        if !alerts.is_empty() {
            lines.push(Line::from(Span::styled(
                ui.i18n
                    .t_args("central-alerts", &[("count", alerts.len().into())]),
                theme.urgent(),
            )));
            for (office, alert) in alerts.iter().rev().take(shown_alerts) {
                lines.push(Line::from(fit(
                    &format!("  {office}  {}", inert(alert)),
                    width,
                )));
            }
        }
        if conflicts > 0 {
            lines.push(Line::from(Span::styled(
                fit(
                    &ui.i18n
                        .t_args("central-conflicts", &[("count", conflicts.into())]),
                    width,
                ),
                theme.warning(),
            )));
        }
        lines.push(Line::from(""));
        lines.push(Line::from(
            ui.i18n
                .t_args("central-calls", &[("count", self.calls.into())]),
        ));
        frame.render_widget(Paragraph::new(lines), area);
    }
}
