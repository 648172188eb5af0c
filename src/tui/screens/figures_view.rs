//! What the office's statistics (F7) and central's figures share: rows of figures laid out
//! by [`crate::i18n::figures`] under a header, scrolled, counted on the tick after
//! "counting…" is on screen, and a dialog (Ctrl-F) that picks a ready-made period or takes
//! the days typed. Each screen says what it counts and what its dialog asks besides.

use chrono::{FixedOffset, NaiveDate};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::{Env, Input, Nav};
use crate::i18n::figures::{Row, bar_text, pad};
use crate::model::text::inert;
use crate::store::{Period, Preset};
use crate::tui::action::{Action, Context};
use crate::tui::ui::{Message, Ui};
use crate::tui::widgets::call_filter::{FROM_DAY, TO_DAY, typed_day};
use crate::tui::widgets::form::{FieldKind, FieldSpec, Form, FormEvent, TextMode, fit};

/// A ready-made period first (one pick counts it), else the days typed.
pub const PRESET: FieldSpec = FieldSpec::new("preset", FieldKind::Choice).labelled("stats-preset");
/// The dialog's fields every figures screen has: the preset and the days.
pub const PERIOD_FIELDS: [FieldSpec; 3] = [PRESET, FROM_DAY, TO_DAY];

/// Columns of a bar row on screen: indent, label, count; the bar takes the rest.
const INDENT: usize = 2;
const LABEL_WIDTH: usize = 40;
const COUNT_WIDTH: usize = 7;

/// What a key did on a figures screen, for the screen to finish.
pub enum Step {
    Done(Nav),
    /// The operator asked for the dialog: the screen opens it with its own values.
    OpenDialog,
    /// The dialog was confirmed: the screen reads it ([`FiguresView::typed_period`]) and
    /// counts.
    Apply,
}

pub struct FiguresView {
    pub period: Period,
    pub zone: FixedOffset,
    today: NaiveDate,
    /// The figures laid out, in the operator's language (laid out once, drawn often).
    rows: Vec<Row>,
    scroll: usize,
    /// Rows of figures on screen: set when drawing.
    page_height: usize,
    fields: &'static [FieldSpec],
    dialog: Option<Form>,
    /// The figures are to be counted again on the next tick, after "counting…" is on
    /// screen: a period of years at a million calls takes seconds.
    counting: bool,
}

impl FiguresView {
    /// The last weeks up to today; `fields` are the dialog's, [`PERIOD_FIELDS`] first.
    pub fn new(env: &Env, fields: &'static [FieldSpec]) -> FiguresView {
        let zone = env.store.zone();
        let today = env.now.with_timezone(&zone).date_naive();
        let period = Period::chosen(None, None, today, zone).unwrap_or(Period {
            from: env.now,
            to: env.now,
        });
        FiguresView {
            period,
            zone,
            today,
            rows: Vec::new(),
            scroll: 0,
            page_height: 10,
            fields,
            dialog: None,
            counting: false,
        }
    }

    pub fn show(&mut self, rows: Vec<Row>) {
        self.rows = rows;
    }

    /// Opens the dialog on the period shown, with the screen's own fields' texts.
    pub fn open_dialog(&mut self, ui: &Ui, texts: &[(&str, &str)]) {
        let mut form = Form::new(self.fields);
        form.set_options(Preset::ALL.map(|p| ui.t(p.message_id())).to_vec());
        form.set_text("from", &self.period.first_day(self.zone).to_string());
        form.set_text("to", &self.period.last_day(self.zone).to_string());
        for (id, text) in texts {
            form.set_text(id, text);
        }
        self.dialog = Some(form);
    }

    /// The dialog's text in field `id`.
    pub fn typed(&self, id: &str) -> &str {
        self.dialog.as_ref().map_or("", |form| form.text(id))
    }

    /// The period typed in the dialog; a bad date is said and gives none. No first day is
    /// everything up to the last; no last day is today.
    pub fn typed_period(&self, env: &mut Env) -> Option<Period> {
        let (first, last) = match (
            typed_day(self.typed("from"), env.ui),
            typed_day(self.typed("to"), env.ui),
        ) {
            (Ok(first), Ok(last)) => (first, last.unwrap_or(self.today)),
            (Err(e), _) | (_, Err(e)) => {
                env.message = Some(Message::error(e));
                return None;
            }
        };
        let first = match first {
            Some(first) => first,
            None => first_call_day(env).unwrap_or(last).min(last),
        };
        let period = Period::local_days(first, last, self.zone);
        if period.is_none() {
            env.message = Some(Message::error(env.ui.t("stats-bad-period")));
        }
        period
    }

    /// Shows `period` from now on: the dialog closes, and the figures are counted on the
    /// next tick (the old ones are not the new period's).
    pub fn count(&mut self, period: Period) {
        self.period = period;
        self.dialog = None;
        self.rows.clear();
        self.scroll = 0;
        self.counting = true;
    }

    /// Records may have changed meanwhile (a sync, another operator): counted again.
    pub fn recount(&mut self) {
        self.counting = true;
    }

    /// Whether to count now (once per [`FiguresView::count`] or `recount`).
    pub fn due(&mut self) -> bool {
        std::mem::take(&mut self.counting)
    }

    /// Says the figures were counted, unless something else is said: a message also tells
    /// the app the screen changed, so it is drawn at once.
    pub fn say_counted(env: &mut Env) {
        if env.message.is_none() {
            env.message = Some(Message::info(env.ui.t("stats-counted")));
        }
    }

    pub fn handle(&mut self, input: Input, env: &mut Env) -> Step {
        if self.dialog.is_some() {
            return self.handle_dialog(input, env);
        }
        let Input::Action(action) = input else {
            return Step::Done(Nav::Stay);
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
            Action::Filter => return Step::OpenDialog,
            Action::Back => return Step::Done(Nav::Pop),
            _ => {}
        }
        Step::Done(Nav::Stay)
    }

    fn scroll_to(&mut self, target: isize) {
        let last = self.rows.len().saturating_sub(self.page_height);
        self.scroll = (target.max(0) as usize).min(last);
    }

    fn handle_dialog(&mut self, input: Input, env: &mut Env) -> Step {
        let Some(form) = self.dialog.as_mut() else {
            return Step::Done(Nav::Stay);
        };
        if form.picker_open() {
            let on_preset = form.focused().id == PRESET.id;
            if form.picker_input(input, env.ui) == FormEvent::Changed && on_preset {
                return self.fill_preset(env);
            }
            return Step::Done(Nav::Stay);
        }
        match input {
            Input::Edit(edit) => {
                form.edit(edit, env.ui);
            }
            Input::Action(Action::Choose) => form.open_picker("", env.ui),
            Input::Action(Action::Back) => self.dialog = None,
            Input::Action(Action::NextField) => {
                if form.next_field() == FormEvent::PastEnd {
                    return Step::Apply;
                }
            }
            Input::Action(Action::PrevField) => form.prev_field(),
            Input::Action(Action::Save) => return Step::Apply,
            Input::Action(_) => {}
        }
        Step::Done(Nav::Stay)
    }

    /// Fills the days of the preset picked; one pick counts it.
    fn fill_preset(&mut self, env: &mut Env) -> Step {
        let picked = self
            .dialog
            .as_ref()
            .and_then(|form| form.one("preset"))
            .map(str::to_owned);
        let Some(preset) = Preset::ALL
            .into_iter()
            .find(|p| picked.as_deref() == Some(env.ui.t(p.message_id()).as_str()))
        else {
            return Step::Done(Nav::Stay);
        };
        let first_call = match preset {
            Preset::Everything => first_call_day(env),
            _ => None,
        };
        let (first, last) = preset.days(self.today, first_call);
        if let Some(form) = self.dialog.as_mut() {
            form.set_text("from", &first.to_string());
            form.set_text("to", &last.to_string());
        }
        Step::Apply
    }

    pub fn contexts(&self) -> Vec<Context> {
        match &self.dialog {
            Some(form) if form.picker_open() => vec![Context::Dialog],
            Some(_) => vec![Context::Form],
            None => vec![Context::List],
        }
    }

    pub fn key_hints(&self, ui: &Ui) -> Vec<(String, String)> {
        self.dialog
            .as_ref()
            .map_or_else(Vec::new, |form| form.key_hints(ui))
    }

    pub fn enter_opens_list(&self) -> bool {
        self.dialog.as_ref().is_some_and(Form::on_list)
    }

    pub fn text_mode(&self) -> TextMode {
        self.dialog.as_ref().map_or(TextMode::None, Form::text_mode)
    }

    pub fn key_bar(&self) -> Vec<Action> {
        match &self.dialog {
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

    /// `header` on the first line (what is counted, and the period), then the rows from
    /// where the screen is scrolled, and the dialog over them when open.
    pub fn render(&mut self, frame: &mut Frame, area: Rect, ui: &Ui, header: &str) {
        let width = area.width as usize;
        let mut lines = vec![Line::from(Span::styled(
            fit(header, width),
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

    /// The header's period: "from … to …".
    pub fn period_text(&self, ui: &Ui) -> String {
        ui.i18n.t_args(
            "stats-period",
            &[
                ("from", self.period.first_day(self.zone).to_string().into()),
                ("to", self.period.last_day(self.zone).to_string().into()),
            ],
        )
    }

    fn render_dialog(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let Some(form) = self.dialog.as_mut() else {
            return;
        };
        let popup = Rect {
            x: area.x,
            y: area.y + 1,
            width: area.width,
            height: (self.fields.len() as u16 + 2).min(area.height.saturating_sub(1)),
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

/// The first call's day, for a period of everything; an error is said, and none given.
fn first_call_day(env: &mut Env) -> Option<NaiveDate> {
    env.store.first_call_day().unwrap_or_else(|e| {
        env.message = Some(Message::error(e.to_string()));
        None
    })
}

/// The rows as the screen draws them: labels cut to their column, bars in the rest; labels
/// that came from elsewhere (offices' names, a pack's codes) made inert.
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
