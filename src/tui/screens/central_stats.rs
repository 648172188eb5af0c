//! Central's figures (F7 at central): every office's figures for a period, or one office's,
//! as the rows [`crate::central::figures::rows`] lays out, the same as `linea central stats`
//! prints. Counted when the screen opens or the period changes; the screen scrolls.

use chrono::{FixedOffset, NaiveDate};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::{Env, Input, Nav, Place, Screen};
use crate::central::figures::{Figure, figures, rows};
use crate::i18n::figures::{Row, bar_text, pad};
use crate::model::text::inert;
use crate::store::{Period, Preset, Scope};
use crate::tui::action::{Action, Context};
use crate::tui::ui::{Message, Ui};
use crate::tui::widgets::call_filter::{FROM_DAY, TO_DAY, typed_day};
use crate::tui::widgets::form::{FieldKind, FieldSpec, Form, FormEvent, TextMode, fit};

const PRESET: FieldSpec = FieldSpec::new("preset", FieldKind::Choice).labelled("stats-preset");
const OFFICE: FieldSpec =
    FieldSpec::new("office", FieldKind::Text { max: 40 }).labelled("central-office");
const PERIOD_FIELDS: &[FieldSpec] = &[PRESET, FROM_DAY, TO_DAY, OFFICE];

/// Columns of a bar row on screen: indent, label, count; the bar takes the rest.
const INDENT: usize = 2;
const LABEL_WIDTH: usize = 40;
const COUNT_WIDTH: usize = 7;

pub struct CentralStats {
    scope: Scope,
    /// What the header says of the scope: every office, or which one.
    scope_line: String,
    rows: Vec<Row>,
    zone: FixedOffset,
    today: NaiveDate,
    scroll: usize,
    page_height: usize,
    editing: Option<Form>,
    /// Counted again on the next tick, once "counting…" is on screen.
    counting: bool,
}

impl CentralStats {
    /// Every office, the last weeks up to today, counted.
    pub fn load(env: &mut Env) -> CentralStats {
        let zone = env.store.zone();
        let today = env.now.with_timezone(&zone).date_naive();
        let period = Period::chosen(None, None, today, zone).unwrap_or(Period {
            from: env.now,
            to: env.now,
        });
        let mut screen = CentralStats {
            scope: Scope {
                period,
                office: None,
            },
            scope_line: String::new(),
            rows: Vec::new(),
            zone,
            today,
            scroll: 0,
            page_height: 10,
            editing: None,
            counting: false,
        };
        screen.reload(env);
        screen
    }

    fn reload(&mut self, env: &mut Env) {
        match figures(env.store, &self.scope) {
            Ok(figures) => {
                let i18n = &env.ui.i18n;
                self.scope_line = match &figures.office {
                    Some(office) => {
                        let label = figures.label(Figure::CallsByOffice, office, i18n);
                        i18n.t_args("central-stats-office", &[("office", inert(&label).into())])
                    }
                    None => i18n.t("central-stats-all-offices"),
                };
                self.rows = rows(&figures, i18n);
            }
            Err(e) => env.message = Some(Message::error(e.to_string())),
        }
    }

    fn scroll_to(&mut self, target: isize) {
        let last = self.rows.len().saturating_sub(self.page_height);
        self.scroll = (target.max(0) as usize).min(last);
    }

    fn open_dialog(&mut self, ui: &Ui) {
        let mut form = Form::new(PERIOD_FIELDS);
        form.set_options(Preset::ALL.map(|p| ui.t(p.message_id())).to_vec());
        form.set_text("from", &self.scope.period.first_day(self.zone).to_string());
        form.set_text("to", &self.scope.period.last_day(self.zone).to_string());
        form.set_text("office", self.scope.office.as_deref().unwrap_or(""));
        self.editing = Some(form);
    }

    /// Fills the days of the preset picked, then counts.
    fn apply_preset(&mut self, env: &mut Env) {
        let Some(form) = self.editing.as_mut() else {
            return;
        };
        let picked = form.one("preset").map(str::to_owned);
        let Some(preset) = Preset::ALL
            .into_iter()
            .find(|p| picked.as_deref() == Some(env.ui.t(p.message_id()).as_str()))
        else {
            return;
        };
        let first_call = match preset {
            Preset::Everything => env.store.first_call_day().unwrap_or(None),
            _ => None,
        };
        let (first, last) = preset.days(self.today, first_call);
        form.set_text("from", &first.to_string());
        form.set_text("to", &last.to_string());
        self.apply(env);
    }

    /// Counts the period and office typed; a bad date or an unknown office leaves the dialog
    /// open, saying why.
    fn apply(&mut self, env: &mut Env) {
        let Some(form) = self.editing.as_ref() else {
            return;
        };
        let (first, last) = match (
            typed_day(form.text("from"), env.ui),
            typed_day(form.text("to"), env.ui),
        ) {
            (Ok(first), Ok(last)) => (first, last.unwrap_or(self.today)),
            (Err(e), _) | (_, Err(e)) => {
                env.message = Some(Message::error(e));
                return;
            }
        };
        let office = form.text("office").trim().to_owned();
        let office = (!office.is_empty()).then_some(office);
        if let Some(id) = &office
            && !matches!(env.store.office(id), Ok(Some(_)))
        {
            env.message = Some(Message::error(env.ui.i18n.t_args(
                "central-stats-unknown-office",
                &[("office", inert(id).into())],
            )));
            return;
        }
        let first = first.unwrap_or(last);
        let Some(period) = Period::local_days(first, last, self.zone) else {
            env.message = Some(Message::error(env.ui.t("stats-bad-period")));
            return;
        };
        self.scope = Scope { period, office };
        self.editing = None;
        self.rows.clear();
        self.scroll = 0;
        self.counting = true;
    }

    fn handle_dialog(&mut self, input: Input, env: &mut Env) {
        let Some(form) = self.editing.as_mut() else {
            return;
        };
        if form.picker_open() {
            let on_preset = form.focused().id == PRESET.id;
            if form.picker_input(input, env.ui) == FormEvent::Changed && on_preset {
                self.apply_preset(env);
            }
            return;
        }
        match input {
            Input::Edit(edit) => {
                form.edit(edit, env.ui);
            }
            Input::Action(Action::Choose) => form.open_picker("", env.ui),
            Input::Action(Action::Back) => self.editing = None,
            Input::Action(Action::NextField) => {
                if form.next_field() == FormEvent::PastEnd {
                    self.apply(env);
                }
            }
            Input::Action(Action::PrevField) => form.prev_field(),
            Input::Action(Action::Save) => self.apply(env),
            Input::Action(_) => {}
        }
    }

    fn render_dialog(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let Some(form) = self.editing.as_mut() else {
            return;
        };
        let popup = Rect {
            x: area.x,
            y: area.y + 1,
            width: area.width,
            height: (PERIOD_FIELDS.len() as u16 + 2).min(area.height.saturating_sub(1)),
        };
        frame.render_widget(Clear, popup);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_set(ui.theme.border())
            .title(Span::styled(
                format!(" {} ", ui.t("stats-period-title")),
                ui.theme.title(),
            ));
        let inner = block.inner(popup);
        frame.render_widget(block, popup);
        form.render(frame, inner, ui, true);
        form.render_picker(frame, area, ui);
    }
}

impl Screen for CentralStats {
    fn title(&self, ui: &Ui) -> String {
        ui.t("central-stats-title")
    }

    fn contexts(&self) -> Vec<Context> {
        match &self.editing {
            Some(form) if form.picker_open() => vec![Context::Dialog],
            Some(_) => vec![Context::Form],
            None => vec![Context::List],
        }
    }

    fn key_hints(&self, ui: &Ui) -> Vec<(String, String)> {
        self.editing
            .as_ref()
            .map_or_else(Vec::new, |form| form.key_hints(ui))
    }

    fn enter_opens_list(&self) -> bool {
        self.editing.as_ref().is_some_and(Form::on_list)
    }

    fn text_mode(&self) -> TextMode {
        self.editing
            .as_ref()
            .map_or(TextMode::None, Form::text_mode)
    }

    fn key_bar(&self) -> Vec<Action> {
        match &self.editing {
            Some(form) if form.picker_open() => vec![Action::Confirm, Action::Back],
            Some(form) => form.key_bar().into_iter().chain([Action::Back]).collect(),
            None => vec![
                Action::Filter,
                Action::PageDown,
                Action::PageUp,
                Action::Back,
                Action::Home,
                Action::Help,
            ],
        }
    }

    fn handle(&mut self, input: Input, env: &mut Env) -> Nav {
        if self.editing.is_some() {
            self.handle_dialog(input, env);
            return Nav::Stay;
        }
        let Input::Action(action) = input else {
            return Nav::Stay;
        };
        let at = self.scroll as isize;
        let page = self.page_height as isize;
        match action {
            Action::MoveUp => self.scroll_to(at - 1),
            Action::MoveDown => self.scroll_to(at + 1),
            Action::PageUp => self.scroll_to(at - page),
            Action::PageDown => self.scroll_to(at + page),
            Action::First => self.scroll_to(0),
            Action::Last => self.scroll_to(isize::MAX),
            Action::Filter => self.open_dialog(env.ui),
            Action::Back => return Nav::Pop,
            _ => {}
        }
        Nav::Stay
    }

    fn tick(&mut self, env: &mut Env) -> Nav {
        if self.counting {
            self.counting = false;
            self.reload(env);
            if env.message.is_none() {
                env.message = Some(Message::info(env.ui.t("stats-counted")));
            }
        }
        Nav::Stay
    }

    fn resume(&mut self, _env: &mut Env) {
        // A sync may have imported batches meanwhile.
        self.counting = true;
    }

    fn place(&self) -> Place {
        Place::Stats
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let width = area.width as usize;
        let period = ui.i18n.t_args(
            "stats-period",
            &[
                (
                    "from",
                    self.scope.period.first_day(self.zone).to_string().into(),
                ),
                (
                    "to",
                    self.scope.period.last_day(self.zone).to_string().into(),
                ),
            ],
        );
        let mut lines = vec![Line::from(Span::styled(
            fit(&format!("{}  {period}", self.scope_line), width),
            ui.theme.label(),
        ))];
        if self.counting {
            lines.push(Line::from(Span::styled(
                ui.t("stats-counting"),
                ui.theme.dim(),
            )));
        }
        self.page_height = (area.height as usize).saturating_sub(1).max(1);
        self.scroll_to(self.scroll as isize);
        let end = (self.scroll + self.page_height).min(self.rows.len());
        lines.extend(screen_lines(&self.rows[self.scroll..end], width, ui));
        frame.render_widget(Paragraph::new(lines), area);
        self.render_dialog(frame, area, ui);
    }
}

/// The rows as the screen draws them: labels cut to their column, bars in the rest; text
/// that came from offices (their names) made inert.
fn screen_lines(rows: &[Row], width: usize, ui: &Ui) -> Vec<Line<'static>> {
    let room = width.saturating_sub(INDENT + LABEL_WIDTH + 1 + COUNT_WIDTH + 1 + 1);
    let indent = " ".repeat(INDENT);
    rows.iter()
        .map(|row| match row {
            Row::Title(title) => Line::from(Span::styled(fit(title, width), ui.theme.title())),
            Row::Bar {
                label,
                count,
                max,
                parts,
            } => Line::from(vec![
                Span::raw(format!(
                    "{indent}{} {count:>COUNT_WIDTH$} ",
                    pad(&inert(label), LABEL_WIDTH)
                )),
                Span::styled(bar_text(*count, *max, parts, room), ui.theme.label()),
            ]),
            Row::Note(note) => Line::from(Span::styled(
                fit(&format!("{indent}{note}"), width),
                ui.theme.dim(),
            )),
            Row::Blank => Line::from(""),
        })
        .collect()
}
