//! The directory (F8): information scripts to read out to a caller, and the institutions to
//! refer to, in the operator's language. The selected row's details show below the list;
//! Enter reads a script (or an institution's details) in full. The filter (a place, a type
//! of institution) lists the institutions serving that place, most local first, as a
//! referral would suggest them.
//!
//! Scripts come first: they are few and always the same, while the institutions grow into
//! the hundreds once central's reference packs bring local services. Both come from the
//! applied reference pack when there is one, the built-in directory otherwise.

use std::sync::Arc;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::{Env, Input, Nav, Place, Screen};
use crate::model::codes;
use crate::model::directory::{self, Coverage, Institution, Script};
use crate::model::text::inert;
use crate::tui::action::{Action, Context};
use crate::tui::ui::Ui;
use crate::tui::widgets::form::{
    FieldKind, FieldSpec, Form, FormEvent, TextMode, fit, place_label, place_short, wrap,
};
use crate::tui::widgets::scroll::keep_in_view;

const FILTER_FIELDS: &[FieldSpec] = &[
    FieldSpec::new("place", FieldKind::Place).labelled("directory-place"),
    FieldSpec::code("type", &codes::REFERRAL_TARGET_TYPE).labelled("directory-type"),
];

/// Columns of an institution's row, after its name (which takes the rest).
const TYPE_WIDTH: usize = 22;
const COVERAGE_WIDTH: usize = 10;
const PHONE_WIDTH: usize = 11;

/// What the institutions are narrowed to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Filter {
    /// A ubigeo or a country code, as the place picker gives it.
    place: Option<String>,
    target_type: Option<String>,
}

impl Filter {
    fn institutions<'a>(&self, directory: &'a directory::Directory) -> Vec<&'a Institution> {
        let target_type = self.target_type.as_deref();
        match self.place.as_deref().map(str::parse::<crate::model::Place>) {
            Some(Ok(place)) => directory.suggest(Some(&place), target_type),
            // No place: the whole directory in its own order, local entries included.
            _ => directory
                .institutions()
                .iter()
                .filter(|i| target_type.is_none_or(|t| i.target_type == t))
                .collect(),
        }
    }
}

/// A row owns its script or institution (a copy of the directory's entry), so the list
/// needs no borrow of the directory.
#[derive(Debug, Clone)]
enum Row {
    ScriptsHeading,
    Script(Script),
    InstitutionsHeading(usize),
    Institution(Institution),
    /// No institution passes the filter.
    NoInstitution,
}

impl Row {
    fn selectable(&self) -> bool {
        matches!(self, Row::Script(_) | Row::Institution(_))
    }
}

pub struct Directory {
    /// The directory the screen was opened with: the applied pack's, or the built-in one.
    directory: Arc<directory::Directory>,
    filter: Filter,
    rows: Vec<Row>,
    selected: usize,
    top: usize,
    page_height: usize,
    /// The selected row opened to read in full, and how far it is scrolled.
    reading: Option<usize>,
    editing_filter: Option<Form>,
}

impl Directory {
    /// The directory of the applied reference pack (or the built-in one), unfiltered.
    pub fn load(env: &mut Env) -> Directory {
        let mut screen = Directory {
            directory: Arc::clone(&env.ui.reference.directory),
            filter: Filter::default(),
            rows: Vec::new(),
            selected: 0,
            top: 0,
            page_height: 10,
            reading: None,
            editing_filter: None,
        };
        screen.rebuild();
        screen
    }

    /// The directory narrowed to the institutions serving `place`, most local first.
    pub fn at(place: &crate::model::Place, env: &mut Env) -> Directory {
        let mut screen = Directory::load(env);
        screen.filter.place = Some(place.as_str().to_owned());
        screen.rebuild();
        screen
    }

    fn rebuild(&mut self) {
        let institutions = self.filter.institutions(&self.directory);
        let mut rows = vec![Row::ScriptsHeading];
        rows.extend(scripts_in_topic_order(&self.directory).map(|s| Row::Script(s.clone())));
        rows.push(Row::InstitutionsHeading(institutions.len()));
        if institutions.is_empty() {
            rows.push(Row::NoInstitution);
        }
        rows.extend(
            institutions
                .into_iter()
                .map(|institution| Row::Institution(institution.clone())),
        );
        self.rows = rows;
        self.top = 0;
        self.selected = 0;
        self.move_by(1);
    }

    /// Moves the selection by `delta` rows, onto the nearest script or institution.
    fn move_by(&mut self, delta: isize) {
        let last = self.rows.len().saturating_sub(1) as isize;
        let target = (self.selected as isize + delta).clamp(0, last) as usize;
        let forward = delta >= 0;
        self.selected = self
            .nearest_selectable(target, forward)
            .or_else(|| self.nearest_selectable(target, !forward))
            .unwrap_or(self.selected);
    }

    fn nearest_selectable(&self, from: usize, forward: bool) -> Option<usize> {
        if forward {
            (from..self.rows.len()).find(|&i| self.rows[i].selectable())
        } else {
            (0..=from.min(self.rows.len().saturating_sub(1)))
                .rev()
                .find(|&i| self.rows.get(i).is_some_and(Row::selectable))
        }
    }

    fn first_institution(&self) -> Option<usize> {
        self.rows
            .iter()
            .position(|row| matches!(row, Row::Institution(_)))
    }

    fn open_filter(&mut self) {
        let mut form = Form::new(FILTER_FIELDS);
        form.set_one("place", self.filter.place.as_deref());
        form.set_one("type", self.filter.target_type.as_deref());
        self.editing_filter = Some(form);
    }

    fn apply_filter(&mut self) {
        let Some(form) = self.editing_filter.take() else {
            return;
        };
        self.filter = Filter {
            place: form.one("place").map(str::to_owned),
            target_type: form.one("type").map(str::to_owned),
        };
        self.rebuild();
        // The filter is about institutions: show them.
        if let Some(first) = self.first_institution() {
            self.selected = first;
        }
    }

    /// Keys while the filter form is open.
    fn handle_filter(&mut self, input: Input, ui: &Ui) {
        let Some(form) = self.editing_filter.as_mut() else {
            return;
        };
        let picker_moves = |form: &mut Form, by: isize| {
            if let Some(picker) = form.picker_mut() {
                picker.move_by(by);
            }
        };
        match input {
            Input::Edit(edit) => {
                form.edit(edit, ui);
            }
            Input::Action(Action::Back) => {
                if !form.close_picker() {
                    self.editing_filter = None;
                }
            }
            Input::Action(Action::Confirm) => {
                form.picker_confirm();
            }
            Input::Action(Action::MoveUp) => picker_moves(form, -1),
            Input::Action(Action::MoveDown) => picker_moves(form, 1),
            Input::Action(Action::PageUp) => picker_moves(form, -10),
            Input::Action(Action::PageDown) => picker_moves(form, 10),
            Input::Action(Action::First) => form.picker_mut().into_iter().for_each(|p| p.first()),
            Input::Action(Action::Last) => form.picker_mut().into_iter().for_each(|p| p.last()),
            Input::Action(Action::NextField) => {
                if form.next_field() == FormEvent::PastEnd {
                    self.apply_filter();
                }
            }
            Input::Action(Action::PrevField) => form.prev_field(),
            Input::Action(Action::Save) => self.apply_filter(),
            Input::Action(_) => {}
        }
    }

    /// Keys while a row is open to read.
    fn handle_reading(&mut self, action: Action) {
        let Some(scroll) = self.reading.as_mut() else {
            return;
        };
        let page = self.page_height as isize;
        let by = match action {
            Action::MoveDown => 1,
            Action::MoveUp => -1,
            Action::PageDown => page,
            Action::PageUp => -page,
            Action::First => -10_000,
            Action::Last => 10_000,
            Action::Back | Action::Open => {
                self.reading = None;
                return;
            }
            _ => 0,
        };
        // Clamped to the text's length when drawn.
        *scroll = (*scroll as isize + by).max(0) as usize;
    }

    fn filter_summary(&self, ui: &Ui) -> String {
        let mut parts = Vec::new();
        if let Some(place) = &self.filter.place {
            parts.push(place_label(place, ui));
        }
        if let Some(target_type) = &self.filter.target_type {
            parts.push(ui.i18n.label(&codes::REFERRAL_TARGET_TYPE, target_type));
        }
        if parts.is_empty() {
            ui.t("directory-filter-none")
        } else {
            parts.join(", ")
        }
    }

    /// Keeps the selection in view, with the heading above it when it is the first row of
    /// its part.
    fn scroll_to_selection(&mut self) {
        let height = self.page_height.max(1);
        self.top = keep_in_view(self.selected, self.top, height);
        let heading_above = self
            .selected
            .checked_sub(1)
            .and_then(|i| self.rows.get(i))
            .is_some_and(|row| !row.selectable());
        if heading_above && self.top == self.selected && height > 1 {
            self.top -= 1;
        }
    }

    fn render_list(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let theme = &ui.theme;
        let width = area.width as usize;
        self.page_height = area.height as usize;
        self.scroll_to_selection();
        let lines: Vec<Line> = self
            .rows
            .iter()
            .enumerate()
            .skip(self.top)
            .take(self.page_height)
            .map(|(index, row)| {
                let chosen = index == self.selected;
                let marker = if chosen { theme.marker() } else { " " };
                let (text, style) = match row {
                    Row::ScriptsHeading => (ui.t("directory-scripts"), theme.title()),
                    Row::InstitutionsHeading(count) => {
                        (institutions_heading(*count, width, ui), theme.title())
                    }
                    Row::NoInstitution => (format!("  {}", ui.t("directory-none")), theme.dim()),
                    Row::Script(script) => (
                        format!("{marker} {}", topic_label(script, ui)),
                        theme.plain(),
                    ),
                    Row::Institution(institution) => (
                        format!("{marker} {}", institution_columns(institution, width, ui)),
                        theme.plain(),
                    ),
                };
                let style = if chosen { theme.selected() } else { style };
                Line::from(Span::styled(fit(&text, width), style))
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), area);
    }

    /// The selected row's details under the list, cut to fit, with the key to read it all.
    fn render_panel(&self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let theme = &ui.theme;
        let block = Block::default()
            .borders(Borders::TOP)
            .border_set(theme.border());
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let Some(row) = self.rows.get(self.selected) else {
            return;
        };
        let mut lines = detail_lines(row, inner.width as usize, ui);
        let room = inner.height as usize;
        if lines.len() > room && room > 0 {
            lines.truncate(room - 1);
            let key = ui
                .key_for(&[Context::List], Action::Open)
                .map(|key| key.to_string())
                .unwrap_or_default();
            lines.push(Line::from(Span::styled(
                ui.i18n
                    .t_args("directory-read-more", &[("key", key.into())]),
                theme.dim(),
            )));
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }

    fn render_reading(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        self.page_height = area.height as usize;
        let Some(row) = self.rows.get(self.selected) else {
            return;
        };
        let lines = detail_lines(row, area.width as usize, ui);
        let max_scroll = lines.len().saturating_sub(area.height as usize);
        let scroll = self.reading.unwrap_or(0).min(max_scroll);
        self.reading = Some(scroll);
        let shown: Vec<Line> = lines.into_iter().skip(scroll).collect();
        frame.render_widget(Paragraph::new(shown), area);
    }

    fn render_filter(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let theme = &ui.theme;
        let Some(form) = self.editing_filter.as_mut() else {
            return;
        };
        let height = (FILTER_FIELDS.len() as u16 + 2).min(area.height);
        // Full width, so the list's own marker does not show beside the dialog's.
        let popup = Rect {
            x: area.x,
            y: area.y + 1,
            width: area.width,
            height,
        };
        frame.render_widget(Clear, popup);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_set(theme.border())
            .title(Span::styled(
                format!(" {} ", ui.t("directory-filter")),
                theme.title(),
            ));
        let inner = block.inner(popup);
        frame.render_widget(block, popup);
        form.render(frame, inner, ui, true);
        form.render_picker(frame, area, ui);
    }
}

impl Screen for Directory {
    fn title(&self, ui: &Ui) -> String {
        ui.t("screen-directory")
    }

    fn contexts(&self) -> Vec<Context> {
        match &self.editing_filter {
            Some(form) if form.picker_open() => vec![Context::Dialog],
            Some(_) => vec![Context::Form],
            None => vec![Context::List],
        }
    }

    fn text_mode(&self) -> TextMode {
        self.editing_filter
            .as_ref()
            .map_or(TextMode::None, Form::text_mode)
    }

    fn key_bar(&self) -> Vec<Action> {
        match &self.editing_filter {
            Some(form) if form.picker_open() => vec![Action::Confirm, Action::Back],
            Some(_) => vec![Action::Save, Action::NextField, Action::Back],
            None if self.reading.is_some() => {
                vec![Action::PageDown, Action::Back, Action::Home, Action::Help]
            }
            None => vec![
                Action::Open,
                Action::Filter,
                Action::Back,
                Action::Home,
                Action::Help,
            ],
        }
    }

    fn handle(&mut self, input: Input, env: &mut Env) -> Nav {
        if self.editing_filter.is_some() {
            self.handle_filter(input, env.ui);
            return Nav::Stay;
        }
        let Input::Action(action) = input else {
            return Nav::Stay;
        };
        if self.reading.is_some() {
            self.handle_reading(action);
            return Nav::Stay;
        }
        let page = self.page_height.max(1) as isize;
        match action {
            Action::MoveUp => self.move_by(-1),
            Action::MoveDown => self.move_by(1),
            Action::PageUp => self.move_by(-page),
            Action::PageDown => self.move_by(page),
            Action::First => self.move_by(-(self.rows.len() as isize)),
            Action::Last => self.move_by(self.rows.len() as isize),
            Action::Open => self.reading = Some(0),
            Action::Filter => self.open_filter(),
            Action::Back => return Nav::Pop,
            _ => {}
        }
        Nav::Stay
    }

    /// `screens::Place` has no directory yet; after a lock the operator comes back home.
    fn place(&self) -> Place {
        Place::Directory
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        if self.reading.is_some() {
            self.render_reading(frame, area, ui);
            return;
        }
        let theme = &ui.theme;
        let width = area.width as usize;
        let summary = Line::from(vec![
            Span::styled(format!("{}: ", ui.t("directory-filter")), theme.label()),
            Span::raw(fit(&self.filter_summary(ui), width.saturating_sub(12))),
        ]);
        frame.render_widget(Paragraph::new(summary), Rect { height: 1, ..area });
        // Below the list, the selected row's details: a third of the screen, 4 to 8 rows.
        let panel_height = (area.height / 3)
            .clamp(4, 8)
            .min(area.height.saturating_sub(2));
        let list = Rect {
            y: area.y + 1,
            height: area.height.saturating_sub(1 + panel_height),
            ..area
        };
        let panel = Rect {
            y: list.y + list.height,
            height: panel_height,
            ..area
        };
        self.render_list(frame, list, ui);
        self.render_panel(frame, panel, ui);
        self.render_filter(frame, area, ui);
    }
}

/// The scripts in the order of the `info_topic` list, as the call form offers the topics:
/// the built-in topics, then those the reference pack adds, in the pack's order.
fn scripts_in_topic_order(directory: &directory::Directory) -> impl Iterator<Item = &Script> {
    let built_in = codes::INFO_TOPIC
        .entries
        .iter()
        .filter_map(|entry| directory.script(entry.code));
    let added = directory
        .scripts()
        .iter()
        .filter(|script| codes::INFO_TOPIC.get(&script.topic).is_none());
    built_in.chain(added)
}

fn topic_label(script: &Script, ui: &Ui) -> String {
    ui.i18n.label(&codes::INFO_TOPIC, &script.topic)
}

/// "—" where the terminal can draw it.
fn dash(ui: &Ui) -> &'static str {
    if ui.theme.caps().unicode { "—" } else { "-" }
}

fn name_width(width: usize) -> usize {
    width
        .saturating_sub(2 + TYPE_WIDTH + 1 + COVERAGE_WIDTH + 1 + PHONE_WIDTH + 1)
        .max(10)
}

/// The heading of the institutions, with the names of the columns above theirs.
fn institutions_heading(count: usize, width: usize, ui: &Ui) -> String {
    let title = ui
        .i18n
        .t_args("directory-institutions", &[("count", count.into())]);
    format!(
        "  {:<name$} {:<type_$} {:<coverage$} {}",
        fit(&title, name_width(width)),
        fit(&ui.t("directory-column-type"), TYPE_WIDTH),
        fit(&ui.t("directory-column-coverage"), COVERAGE_WIDTH),
        ui.t("directory-column-phone"),
        name = name_width(width),
        type_ = TYPE_WIDTH,
        coverage = COVERAGE_WIDTH,
    )
}

/// Name, type, area and phone, each cut to its column.
fn institution_columns(institution: &Institution, width: usize, ui: &Ui) -> String {
    format!(
        "{:<name$} {:<type_$} {:<coverage_w$} {}",
        fit(&inert(&institution.name), name_width(width)),
        fit(&type_label(institution, ui), TYPE_WIDTH),
        fit(&area_short(&institution.coverage, ui), COVERAGE_WIDTH),
        fit(&or_dash(&institution.phone, ui), PHONE_WIDTH),
        name = name_width(width),
        type_ = TYPE_WIDTH,
        coverage_w = COVERAGE_WIDTH,
    )
}

/// Where an institution serves, in a column: "Nacional", the department, or the
/// province's or district's own name when the applied pack gives it.
fn area_short(coverage: &Coverage, ui: &Ui) -> String {
    let code = coverage.ubigeo().unwrap_or_default();
    match coverage {
        Coverage::National => ui.t("directory-national"),
        Coverage::Country(country) => place_short(country, ui),
        Coverage::Department(_) => place_short(&code, ui),
        Coverage::Province(_) | Coverage::District(_) => match ui.reference.places.name(&code) {
            Some(name) => inert(name),
            None => place_short(&code, ui),
        },
    }
}

fn type_label(institution: &Institution, ui: &Ui) -> String {
    ui.i18n
        .label(&codes::REFERRAL_TARGET_TYPE, &institution.target_type)
}

fn or_dash(value: &str, ui: &Ui) -> String {
    if value.is_empty() {
        dash(ui).to_owned()
    } else {
        inert(value)
    }
}

/// Where an institution serves, in words: "Nacional", "provincia de Lima (Lima)".
fn coverage_label(coverage: &Coverage, ui: &Ui) -> String {
    let level = match coverage {
        Coverage::National => return ui.t("directory-national"),
        Coverage::Country(code) => return place_label(code, ui),
        Coverage::Department(_) => "directory-department",
        Coverage::Province(_) => "directory-province",
        Coverage::District(_) => "directory-district",
    };
    let place = coverage
        .ubigeo()
        .map(|code| place_label(&code, ui))
        .unwrap_or_default();
    ui.i18n.t_args(
        "directory-area",
        &[("place", place.into()), ("level", ui.t(level).into())],
    )
}

/// Everything about a row, wrapped to `width`: the panel shows the start, reading all of it.
fn detail_lines(row: &Row, width: usize, ui: &Ui) -> Vec<Line<'static>> {
    let theme = &ui.theme;
    let text = |text: String| Line::from(text);
    let bold = |text: String| Line::from(Span::styled(text, theme.title()));
    match row {
        Row::Script(script) => {
            let mut lines: Vec<Line> = wrap(&topic_label(script, ui), width)
                .into_iter()
                .map(bold)
                .collect();
            lines.extend(
                wrap(script.text(ui.i18n.lang()), width)
                    .into_iter()
                    .map(text),
            );
            lines
        }
        Row::Institution(institution) => institution_details(institution, width, ui),
        _ => Vec::new(),
    }
}

fn institution_details(institution: &Institution, width: usize, ui: &Ui) -> Vec<Line<'static>> {
    let theme = &ui.theme;
    let field = |label: &str, value: String| {
        wrap(&format!("{}: {value}", ui.t(label)), width)
            .into_iter()
            .map(Line::from)
    };
    let mut lines: Vec<Line> = wrap(&inert(&institution.name), width)
        .into_iter()
        .map(|line| Line::from(Span::styled(line, theme.title())))
        .collect();
    lines.extend(field("directory-column-type", type_label(institution, ui)));
    lines.extend(field(
        "directory-column-coverage",
        coverage_label(&institution.coverage, ui),
    ));
    lines.extend(field(
        "directory-column-phone",
        or_dash(&institution.phone, ui),
    ));
    lines.extend(field("directory-hours", or_dash(&institution.hours, ui)));
    let built_in = directory::institution(&institution.id) == Some(institution);
    let verified = if institution.last_verified.is_empty() && built_in {
        ui.t("directory-never-verified")
    } else if institution.last_verified.is_empty() {
        ui.t("directory-not-verified-yet")
    } else {
        ui.i18n.t_args(
            "directory-verified",
            &[("date", inert(&institution.last_verified).into())],
        )
    };
    lines.extend(
        wrap(&verified, width)
            .into_iter()
            .map(|line| Line::from(Span::styled(line, theme.dim()))),
    );
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn screen() -> Directory {
        let mut screen = Directory {
            directory: Arc::default(),
            filter: Filter::default(),
            rows: Vec::new(),
            selected: 0,
            top: 0,
            page_height: 5,
            reading: None,
            editing_filter: None,
        };
        screen.rebuild();
        screen
    }

    #[test]
    fn the_selection_starts_on_the_first_script_and_skips_headings() {
        let mut screen = screen();
        assert!(matches!(screen.rows[screen.selected], Row::Script(_)));
        let scripts = directory::SCRIPTS.len();
        screen.move_by(scripts as isize - 1);
        assert!(matches!(screen.rows[screen.selected], Row::Script(_)));
        // Over the institutions' heading, onto the first institution.
        screen.move_by(1);
        assert!(matches!(screen.rows[screen.selected], Row::Institution(_)));
        screen.move_by(-1);
        assert!(matches!(screen.rows[screen.selected], Row::Script(_)));
        screen.move_by(-1000);
        assert_eq!(screen.selected, 1);
        screen.move_by(1000);
        assert_eq!(screen.selected, screen.rows.len() - 1);
    }

    #[test]
    fn a_filter_lists_the_institutions_serving_the_place_most_local_first() {
        let mut screen = screen();
        screen.filter = Filter {
            place: Some("150101".into()),
            target_type: Some("MP_FISTRAP".into()),
        };
        screen.rebuild();
        let ids: Vec<&str> = screen
            .rows
            .iter()
            .filter_map(|row| match row {
                Row::Institution(i) => Some(i.id.as_ref()),
                _ => None,
            })
            .collect();
        assert_eq!(ids, ["FISTRAP_LIMA", "FISTRAP"]);
    }

    #[test]
    fn a_filter_nothing_passes_says_so_and_keeps_the_scripts() {
        let mut screen = screen();
        screen.filter = Filter {
            place: None,
            target_type: Some("SHELTER".into()),
        };
        screen.rebuild();
        assert!(screen.rows.iter().any(|r| matches!(r, Row::NoInstitution)));
        assert!(screen.rows[screen.selected].selectable());
        screen.move_by(1000);
        assert!(matches!(screen.rows[screen.selected], Row::Script(_)));
    }

    #[test]
    fn the_heading_stays_above_the_first_row_of_its_part() {
        let mut screen = screen();
        screen.page_height = 4;
        let first = screen.first_institution().unwrap_or_default();
        screen.selected = first;
        screen.top = first;
        screen.scroll_to_selection();
        assert_eq!(screen.top, first - 1);
    }
}
