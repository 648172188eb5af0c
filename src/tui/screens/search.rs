//! Search (F6): type words, see the calls whose names or notes hold them (accents and case
//! ignored), or a phone number typed any way, combined with the list filters; Enter opens
//! the highlighted call. Phone numbers are masked until revealed on the selected row.

use chrono::FixedOffset;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Env, Input, Nav, Place, Screen, calls::phone_cell};
use crate::model::{Call, text::inert};
use crate::store::CallFilter;
use crate::tui::action::{Action, Context};
use crate::tui::ui::{Message, Ui};
use crate::tui::widgets::call_filter::{self, FilterDialog, FilterEvent};
use crate::tui::widgets::call_table::{self, CallRow, CallTable};
use crate::tui::widgets::form::{TextMode, fit};
use crate::tui::widgets::scroll::keep_in_view;
use crate::tui::widgets::text::{Edit, TextInput};

const PAGE: u32 = 100;

pub struct Search {
    query: TextInput,
    filter: CallFilter,
    editing_filter: Option<FilterDialog>,
    rows: Vec<Call>,
    next: Option<i64>,
    selected: usize,
    top: usize,
    revealed: bool,
    zone: FixedOffset,
    page: usize,
}

impl Search {
    pub fn new(env: &Env) -> Search {
        Search {
            query: TextInput::default(),
            filter: CallFilter::default(),
            editing_filter: None,
            rows: Vec::new(),
            next: None,
            selected: 0,
            top: 0,
            revealed: false,
            zone: env.store.zone(),
            page: 10,
        }
    }

    fn run(&mut self, env: &mut Env) {
        self.rows.clear();
        self.selected = 0;
        self.top = 0;
        self.revealed = false;
        self.next = None;
        self.more(env, None);
    }

    fn more(&mut self, env: &mut Env, after: Option<i64>) {
        match env
            .store
            .search_calls(self.query.text(), &self.filter, after, PAGE)
        {
            Ok((calls, next)) => {
                self.rows.extend(calls);
                self.next = next;
            }
            Err(e) => env.message = Some(Message::error(e.to_string())),
        }
    }

    fn move_to(&mut self, target: isize, env: &mut Env) {
        let target = target.max(0) as usize;
        while target + self.page >= self.rows.len() {
            let Some(next) = self.next.take() else { break };
            self.more(env, Some(next));
        }
        let target = target.min(self.rows.len().saturating_sub(1));
        if target != self.selected {
            self.revealed = false;
        }
        self.selected = target;
    }
}

impl Screen for Search {
    fn title(&self, ui: &Ui) -> String {
        ui.t("screen-search")
    }

    fn contexts(&self) -> Vec<Context> {
        match &self.editing_filter {
            Some(dialog) => dialog.contexts(),
            None => vec![Context::Dialog],
        }
    }

    fn text_mode(&self) -> TextMode {
        match &self.editing_filter {
            Some(dialog) => dialog.text_mode(),
            None => TextMode::Line,
        }
    }

    fn key_bar(&self) -> Vec<Action> {
        match &self.editing_filter {
            Some(dialog) => dialog.key_bar(),
            None => vec![
                Action::Confirm,
                Action::Filter,
                Action::Reveal,
                Action::Back,
                Action::Home,
                Action::Help,
            ],
        }
    }

    fn handle(&mut self, input: Input, env: &mut Env) -> Nav {
        if let Some(dialog) = self.editing_filter.as_mut() {
            match dialog.handle(input, env.ui) {
                FilterEvent::Stay => {}
                FilterEvent::Close => self.editing_filter = None,
                FilterEvent::Refused(message) => env.message = Some(Message::error(message)),
                FilterEvent::Apply(filter) => {
                    self.filter = filter;
                    self.editing_filter = None;
                    self.run(env);
                }
            }
            return Nav::Stay;
        }
        let at = self.selected as isize;
        let page = self.page as isize;
        match input {
            Input::Edit(edit) => {
                if self.query.apply(edit, false, 100) {
                    self.run(env);
                } else if matches!(edit, Edit::Home | Edit::End) {
                    // Home and End move in the typed words; the list keeps its place.
                }
            }
            Input::Action(Action::MoveUp) => self.move_to(at - 1, env),
            Input::Action(Action::MoveDown) => self.move_to(at + 1, env),
            Input::Action(Action::PageUp) => self.move_to(at - page, env),
            Input::Action(Action::PageDown) => self.move_to(at + page, env),
            Input::Action(Action::Confirm) => {
                if let Some(call) = self.rows.get(self.selected) {
                    return Nav::Push(Place::CallView(call.meta.id));
                }
            }
            Input::Action(Action::Filter) => {
                self.editing_filter = Some(FilterDialog::open(&self.filter, self.zone));
            }
            Input::Action(Action::Reveal) => self.revealed = !self.revealed,
            Input::Action(Action::Back) => return Nav::Pop,
            Input::Action(_) => {}
        }
        Nav::Stay
    }

    fn place(&self) -> Place {
        Place::Search
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let theme = &ui.theme;
        let width = area.width as usize;
        let prompt = format!("{} ", ui.t("search-prompt"));
        let mut lines = vec![Line::from(vec![
            Span::styled(prompt.clone(), theme.label()),
            Span::raw(self.query.text().to_owned()),
        ])];
        lines.push(Line::from(vec![
            Span::styled(format!("{}: ", ui.t("filter-title")), theme.label()),
            Span::raw(fit(
                &call_filter::summary(&self.filter, self.zone, ui),
                width.saturating_sub(12),
            )),
        ]));
        let summary = if self.query.text().trim().is_empty() {
            ui.t("search-hint")
        } else if self.rows.is_empty() {
            ui.t("search-none")
        } else {
            ui.i18n.t_args(
                "search-found",
                &[
                    ("count", self.rows.len().into()),
                    ("more", if self.next.is_some() { "+" } else { "" }.into()),
                ],
            )
        };
        lines.push(Line::from(Span::styled(fit(&summary, width), theme.dim())));
        let [top, list] =
            Layout::vertical([Constraint::Length(3), Constraint::Fill(1)]).areas(area);
        frame.render_widget(Paragraph::new(lines), top);
        self.page = call_table::page(list.height);
        self.top = keep_in_view(self.selected, self.top, self.page);
        if !self.rows.is_empty() {
            let rows = self
                .rows
                .iter()
                .enumerate()
                .skip(self.top)
                .take(self.page)
                .map(|(index, call)| {
                    let f = &call.fields;
                    CallRow {
                        call,
                        // A search by name shows the name it found: the operator typed it.
                        name: f.caller_name.as_deref().map(inert).unwrap_or_default(),
                        phone: phone_cell(
                            f.caller_phone.as_deref(),
                            index == self.selected && self.revealed,
                        ),
                    }
                })
                .collect();
            CallTable {
                rows,
                selected: self.selected.checked_sub(self.top),
                mark_urgent: false,
                zone: self.zone,
            }
            .render(frame, list, ui);
        }
        if let Some(dialog) = self.editing_filter.as_mut() {
            dialog.render(frame, area, ui);
            return;
        }
        let cursor = prompt.chars().count() + self.query.cursor();
        if cursor < width {
            frame.set_cursor_position((area.x + cursor as u16, area.y));
        }
    }
}
