//! One form widget for any list of fields. A form is data: a slice of [`FieldSpec`]s (the
//! call form, the unlock form, the filter form…) and the values typed into them. The
//! widget moves the focus, edits text, opens pick lists, and draws every field the same way.

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use serde::{Deserialize, Serialize};

use super::picker::{PickItem, PickMode, Picked, Picker};
use super::text::{Edit, TextInput, wrapped};
use crate::model::codes::CodeList;
use crate::model::places::{PlaceKind, PlaceNames};
pub use crate::model::text::fit;
use crate::model::text::inert;
use crate::model::{CallFields, countries, places};
use crate::tui::action::{Action, Context, Input};
use crate::tui::ui::Ui;

#[derive(Debug, Clone, Copy)]
pub enum FieldKind {
    /// One line of text.
    Text { max: usize },
    /// One line, shown as asterisks.
    Secret { max: usize },
    /// Several lines, with normal cursor keys (Enter starts a new line).
    Notes { max: usize },
    /// Digits only.
    Number { max_digits: usize },
    /// One code from a list.
    Code(&'static CodeList),
    /// Any codes from a list.
    Codes(&'static CodeList),
    /// An answer (yes, no, unknown) per code of a list: the indicator checklist.
    Answers(&'static CodeList),
    /// A place of Peru (a department, or a province or district the applied reference pack
    /// names) or a country.
    Place,
    /// Countries.
    Countries,
    /// One of the options the screen gives (operator names).
    Choice,
    /// One of the options the screen gives, or any text typed (institution names).
    Suggest,
}

/// A field: its key in the form's values, its label (the message `field-LABEL`), its kind.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    pub id: &'static str,
    pub label: &'static str,
    pub kind: FieldKind,
    /// Personal data or the situation of a person: hidden on non-substantive calls.
    pub personal: bool,
}

impl FieldSpec {
    /// A field labelled by its id, not personal.
    pub const fn new(id: &'static str, kind: FieldKind) -> FieldSpec {
        FieldSpec {
            id,
            label: id,
            kind,
            personal: false,
        }
    }

    /// One code of `list`.
    pub const fn code(id: &'static str, list: &'static CodeList) -> FieldSpec {
        FieldSpec::new(id, FieldKind::Code(list))
    }

    /// Any number of codes of `list`.
    pub const fn codes(id: &'static str, list: &'static CodeList) -> FieldSpec {
        FieldSpec::new(id, FieldKind::Codes(list))
    }

    /// Shown under the message `field-LABEL` instead of its id's.
    pub const fn labelled(self, label: &'static str) -> FieldSpec {
        FieldSpec { label, ..self }
    }

    /// Personal data: hidden on non-substantive calls.
    pub const fn personal(self) -> FieldSpec {
        FieldSpec {
            personal: true,
            ..self
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FieldValue {
    Text(TextInput),
    One(Option<String>),
    Many(Vec<String>),
    Answers(BTreeMap<String, String>),
}

impl FieldValue {
    fn empty(kind: FieldKind) -> FieldValue {
        match kind {
            FieldKind::Text { .. }
            | FieldKind::Secret { .. }
            | FieldKind::Notes { .. }
            | FieldKind::Number { .. } => FieldValue::Text(TextInput::default()),
            FieldKind::Code(_) | FieldKind::Place | FieldKind::Choice | FieldKind::Suggest => {
                FieldValue::One(None)
            }
            FieldKind::Codes(_) | FieldKind::Countries => FieldValue::Many(Vec::new()),
            FieldKind::Answers(_) => FieldValue::Answers(BTreeMap::new()),
        }
    }
}

/// How the focused field wants keys: printable keys and editing keys go to it first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextMode {
    None,
    Line,
    Lines,
}

/// What the form did with a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormEvent {
    Nothing,
    /// A value changed (save a draft).
    Changed,
    /// The focus moved past the last field.
    PastEnd,
}

/// The values of a form and where the operator is in it.
#[derive(Debug, Clone)]
pub struct Form {
    specs: &'static [FieldSpec],
    values: BTreeMap<String, FieldValue>,
    focus: usize,
    hide_personal: bool,
    picker: Option<Picker>,
    options: Vec<String>,
    /// The only codes some `Code` fields offer, by field id (a referral's next statuses).
    offered: BTreeMap<&'static str, &'static [&'static str]>,
    /// The first row drawn, so the focus stays in view.
    scroll: usize,
    /// How the last drawing went: the columns notes wrap at (up and down move through
    /// these rows), the rows shown, and the rows the focused field took.
    wrap_width: usize,
    height: usize,
    focus_rows: usize,
    /// Rows of a focused field taller than the view skipped while reading it.
    reading: usize,
    /// Shown to be read (a saved call): no text cursor, long notes read from their start.
    read_only: bool,
}

/// What a form looks like in a draft: plain values and the focused field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormSnapshot {
    pub values: BTreeMap<String, FieldValue>,
    pub focus: String,
}

impl Form {
    pub fn new(specs: &'static [FieldSpec]) -> Form {
        let values = specs
            .iter()
            .map(|spec| (spec.id.to_owned(), FieldValue::empty(spec.kind)))
            .collect();
        Form {
            specs,
            values,
            focus: 0,
            hide_personal: false,
            picker: None,
            options: Vec::new(),
            offered: BTreeMap::new(),
            scroll: 0,
            // Until drawn, notes move by their lines.
            wrap_width: usize::MAX,
            height: 0,
            focus_rows: 0,
            reading: 0,
            read_only: false,
        }
    }

    /// The form shown to be read, not typed in.
    pub fn read_only(self) -> Form {
        Form {
            read_only: true,
            ..self
        }
    }

    /// The options of `Choice` fields.
    pub fn set_options(&mut self, options: Vec<String>) {
        self.options = options;
    }

    /// Limits the list of the `Code` field `id` to `codes`, in its list's order.
    pub fn offer_codes(&mut self, id: impl AsRef<str>, codes: &'static [&'static str]) {
        if let Some(spec) = self.specs.iter().find(|spec| spec.id == id.as_ref()) {
            self.offered.insert(spec.id, codes);
        }
    }

    pub fn specs(&self) -> &'static [FieldSpec] {
        self.specs
    }

    pub fn snapshot(&self) -> FormSnapshot {
        FormSnapshot {
            values: self.values.clone(),
            focus: self.specs[self.focus].id.to_owned(),
        }
    }

    pub fn restore(&mut self, snapshot: FormSnapshot) {
        for (id, value) in snapshot.values {
            if let Some(slot) = self.values.get_mut(&id)
                && std::mem::discriminant(slot) == std::mem::discriminant(&value)
            {
                *slot = value;
            }
        }
        self.focus_on(&snapshot.focus);
    }

    pub fn focus_on(&mut self, id: impl AsRef<str>) {
        let id = id.as_ref();
        if let Some(index) = self.specs.iter().position(|s| s.id == id) {
            self.set_focus(index);
        }
    }

    fn set_focus(&mut self, index: usize) {
        self.focus = index;
        self.reading = 0;
    }

    pub fn focused(&self) -> &'static FieldSpec {
        &self.specs[self.focus]
    }

    pub fn set_hide_personal(&mut self, hide: bool) {
        self.hide_personal = hide;
        if !self.is_visible(self.focus) {
            self.next_field();
        }
    }

    fn is_visible(&self, index: usize) -> bool {
        !(self.hide_personal && self.specs[index].personal)
    }

    pub fn is_hidden(&self, id: impl AsRef<str>) -> bool {
        let id = id.as_ref();
        self.hide_personal && self.specs.iter().any(|s| s.id == id && s.personal)
    }

    // Reading and writing values.

    pub fn text(&self, id: impl AsRef<str>) -> &str {
        let id = id.as_ref();
        match self.values.get(id) {
            Some(FieldValue::Text(input)) => input.text(),
            _ => "",
        }
    }

    pub fn one(&self, id: impl AsRef<str>) -> Option<&str> {
        let id = id.as_ref();
        match self.values.get(id) {
            Some(FieldValue::One(value)) => value.as_deref(),
            _ => None,
        }
    }

    pub fn many(&self, id: impl AsRef<str>) -> &[String] {
        let id = id.as_ref();
        match self.values.get(id) {
            Some(FieldValue::Many(values)) => values,
            _ => &[],
        }
    }

    pub fn answers(&self, id: impl AsRef<str>) -> BTreeMap<String, String> {
        let id = id.as_ref();
        match self.values.get(id) {
            Some(FieldValue::Answers(answers)) => answers.clone(),
            _ => BTreeMap::new(),
        }
    }

    pub fn set(&mut self, id: impl AsRef<str>, value: FieldValue) {
        let id = id.as_ref();
        if let Some(slot) = self.values.get_mut(id) {
            *slot = value;
        }
    }

    /// Takes the text of a field, overwriting it in memory (for passphrases).
    pub fn take_secret(&mut self, id: impl AsRef<str>) -> zeroize::Zeroizing<String> {
        let id = id.as_ref();
        match self.values.get_mut(id) {
            Some(FieldValue::Text(input)) => {
                let secret = zeroize::Zeroizing::new(input.text().to_owned());
                input.wipe();
                secret
            }
            _ => zeroize::Zeroizing::new(String::new()),
        }
    }

    pub fn set_text(&mut self, id: impl AsRef<str>, text: &str) {
        let id = id.as_ref();
        self.set(id, FieldValue::Text(TextInput::new(text)));
    }

    pub fn set_one(&mut self, id: impl AsRef<str>, value: Option<&str>) {
        let id = id.as_ref();
        self.set(id, FieldValue::One(value.map(str::to_owned)));
    }

    pub fn is_empty(&self) -> bool {
        self.values.iter().all(|(_, value)| match value {
            FieldValue::Text(input) => input.is_empty(),
            FieldValue::One(value) => value.is_none(),
            FieldValue::Many(values) => values.is_empty(),
            FieldValue::Answers(answers) => answers.is_empty(),
        })
    }

    // Keys.

    pub fn picker_open(&self) -> bool {
        self.picker.is_some()
    }

    pub fn text_mode(&self) -> TextMode {
        if self.picker.is_some() {
            return TextMode::Line;
        }
        match self.focused().kind {
            FieldKind::Notes { .. } => TextMode::Lines,
            // Pick fields take typing too: it opens their list, already filtered.
            _ => TextMode::Line,
        }
    }

    pub fn next_field(&mut self) -> FormEvent {
        let mut index = self.focus;
        loop {
            if index + 1 >= self.specs.len() {
                return FormEvent::PastEnd;
            }
            index += 1;
            if self.is_visible(index) {
                self.set_focus(index);
                return FormEvent::Nothing;
            }
        }
    }

    pub fn prev_field(&mut self) {
        let mut index = self.focus;
        while index > 0 {
            index -= 1;
            if self.is_visible(index) {
                self.set_focus(index);
                return;
            }
        }
    }

    /// A printable or editing key for the focused field (or its open list).
    pub fn edit(&mut self, edit: Edit, ui: &Ui) -> FormEvent {
        if let Some(picker) = self.picker.as_mut() {
            picker.edit(edit);
            return FormEvent::Nothing;
        }
        let spec = *self.focused();
        match spec.kind {
            FieldKind::Text { max } | FieldKind::Secret { max } => {
                self.edit_text(spec.id, edit, false, max)
            }
            FieldKind::Notes { .. } if matches!(edit, Edit::Up | Edit::Down) => {
                let delta = if edit == Edit::Up { -1 } else { 1 };
                let width = self.wrap_width;
                let moved = match self.values.get_mut(spec.id) {
                    Some(FieldValue::Text(input)) => input.move_rows(delta, width),
                    _ => false,
                };
                // Past the first or the last row, the arrows go on to the fields around.
                if !moved && delta < 0 {
                    self.prev_field();
                } else if !moved {
                    self.next_field();
                }
                FormEvent::Nothing
            }
            FieldKind::Notes { max } => self.edit_text(spec.id, edit, true, max),
            FieldKind::Number { max_digits } => match edit {
                Edit::Char(c) if !c.is_ascii_digit() => FormEvent::Nothing,
                _ => self.edit_text(spec.id, edit, false, max_digits),
            },
            _ => {
                match edit {
                    Edit::Char(c) => {
                        let typed = if c == ' ' {
                            String::new()
                        } else {
                            c.to_string()
                        };
                        self.open_picker(&typed, ui);
                    }
                    Edit::Backspace | Edit::Delete => {
                        let empty = FieldValue::empty(spec.kind);
                        if self.values.get(spec.id) != Some(&empty) {
                            self.set(spec.id, empty);
                            return FormEvent::Changed;
                        }
                    }
                    _ => {}
                }
                FormEvent::Nothing
            }
        }
    }

    fn edit_text(&mut self, id: &str, edit: Edit, multiline: bool, max: usize) -> FormEvent {
        match self.values.get_mut(id) {
            Some(FieldValue::Text(input)) => {
                if input.apply(edit, multiline, max) {
                    FormEvent::Changed
                } else {
                    FormEvent::Nothing
                }
            }
            _ => FormEvent::Nothing,
        }
    }

    /// Opens the focused field's pick list, filtered by what was typed.
    pub fn open_picker(&mut self, typed: &str, ui: &Ui) {
        let spec = *self.focused();
        let title = label(&spec, ui);
        let (items, mode) = match spec.kind {
            FieldKind::Code(list) => {
                let mut items = code_items(list, ui);
                if let Some(offered) = self.offered.get(spec.id) {
                    items.retain(|item| offered.contains(&item.value.as_str()));
                }
                (items, PickMode::One)
            }
            FieldKind::Codes(list) => (
                code_items(list, ui),
                PickMode::Many(self.many(spec.id).to_vec()),
            ),
            FieldKind::Answers(list) => (
                code_items(list, ui),
                PickMode::Answers(self.answers(spec.id)),
            ),
            FieldKind::Place => (place_items(ui), PickMode::One),
            FieldKind::Countries => (
                country_items(ui),
                PickMode::Many(self.many(spec.id).to_vec()),
            ),
            FieldKind::Choice | FieldKind::Suggest => (
                self.options
                    .iter()
                    .map(|o| PickItem::new(o.clone(), o.clone()))
                    .collect(),
                PickMode::One,
            ),
            _ => return,
        };
        let picker = Picker::new(title, items, mode, typed);
        self.picker = Some(match spec.kind {
            FieldKind::Place => picker.accepting_typed(typed_ubigeo),
            FieldKind::Suggest => picker.accepting_typed(typed_text),
            _ => picker,
        });
    }

    /// Whether the focused field is chosen from a list (Enter opens it).
    pub fn on_list(&self) -> bool {
        self.is_list(self.focused())
    }

    fn is_list(&self, spec: &FieldSpec) -> bool {
        !matches!(
            spec.kind,
            FieldKind::Text { .. }
                | FieldKind::Secret { .. }
                | FieldKind::Notes { .. }
                | FieldKind::Number { .. }
        )
    }

    /// The key bar of a form: its list's keys while one is open; else help, save, Enter
    /// where it opens a list, the next field.
    pub fn key_bar(&self) -> Vec<Action> {
        if self.picker.is_some() {
            return vec![Action::Back];
        }
        let mut actions = vec![Action::Save];
        if self.on_list() {
            actions.push(Action::Choose);
        }
        actions.push(Action::NextField);
        actions
    }

    /// Keys the key bar names that are no action of the keymap: how the open list chooses
    /// (one, marks, answers), and Enter in notes.
    pub fn key_hints(&self, ui: &Ui) -> Vec<(String, String)> {
        if let Some(picker) = &self.picker {
            let label = match picker.mode {
                PickMode::One => "form-key-choose",
                PickMode::Many(_) => "form-key-mark",
                PickMode::Answers(_) => "form-key-answer",
            };
            return ui
                .key_for(&[Context::Dialog], Action::Confirm)
                .map(|key| (key.to_string(), ui.t(label)))
                .into_iter()
                .collect();
        }
        if matches!(self.focused().kind, FieldKind::Notes { .. }) {
            return vec![("Enter".to_owned(), ui.t("form-key-new-line"))];
        }
        Vec::new()
    }

    /// Reads on through a focused field taller than the view, `delta` rows down (or up);
    /// false when there is no more of it that way.
    pub fn read_on(&mut self, delta: isize) -> bool {
        let most = self.focus_rows.saturating_sub(self.height);
        let reading = self.reading.saturating_add_signed(delta).min(most);
        let moved = reading != self.reading;
        self.reading = reading;
        moved
    }

    pub fn picker_mut(&mut self) -> Option<&mut Picker> {
        self.picker.as_mut()
    }

    /// Enter in an open list: choose (and close), or mark and stay.
    pub fn picker_confirm(&mut self) -> FormEvent {
        let id = self.focused().id;
        let Some(picker) = self.picker.as_mut() else {
            return FormEvent::Nothing;
        };
        match picker.confirm() {
            Picked::One(value) => {
                self.picker = None;
                self.set(id, FieldValue::One(Some(value)));
                self.next_field();
                FormEvent::Changed
            }
            Picked::Changed => {
                let value = match &picker.mode {
                    PickMode::Many(chosen) => FieldValue::Many(chosen.clone()),
                    PickMode::Answers(answers) => FieldValue::Answers(answers.clone()),
                    PickMode::One => return FormEvent::Nothing,
                };
                self.set(id, value);
                FormEvent::Changed
            }
            Picked::Nothing => FormEvent::Nothing,
        }
    }

    /// A key while the pick list is open: typing filters, list keys move, Enter chooses or
    /// marks, Esc closes.
    pub fn picker_input(&mut self, input: Input, ui: &Ui) -> FormEvent {
        match input {
            Input::Edit(edit) => self.edit(edit, ui),
            Input::Action(Action::Confirm) => self.picker_confirm(),
            Input::Action(Action::Back) => {
                self.close_picker();
                FormEvent::Nothing
            }
            Input::Action(action) => {
                if let Some(picker) = self.picker.as_mut() {
                    picker.navigate(action);
                }
                FormEvent::Nothing
            }
        }
    }

    /// Esc in an open list: close it (marks made stay).
    pub fn close_picker(&mut self) -> bool {
        self.picker.take().is_some()
    }

    // Drawing.

    /// The value as one line for the operator.
    fn summary(&self, spec: &FieldSpec, ui: &Ui) -> String {
        match (spec.kind, self.values.get(spec.id)) {
            (FieldKind::Secret { .. }, Some(FieldValue::Text(input))) => {
                "*".repeat(input.text().chars().count())
            }
            (_, Some(FieldValue::Text(input))) => input.text().to_owned(),
            (FieldKind::Code(list), Some(FieldValue::One(Some(code)))) => ui.i18n.label(list, code),
            (FieldKind::Place, Some(FieldValue::One(Some(code)))) => place_label(code, ui),
            (_, Some(FieldValue::One(Some(value)))) => value.clone(),
            (FieldKind::Codes(list), Some(FieldValue::Many(codes))) => codes
                .iter()
                .map(|c| ui.i18n.label(list, c))
                .collect::<Vec<_>>()
                .join("; "),
            (FieldKind::Countries, Some(FieldValue::Many(codes))) => codes
                .iter()
                .map(|c| country_name(c, ui))
                .collect::<Vec<_>>()
                .join(", "),
            (FieldKind::Answers(_), Some(FieldValue::Answers(answers))) if !answers.is_empty() => {
                let count = |a: &str| answers.values().filter(|v| v.as_str() == a).count();
                ui.i18n.t_args(
                    "form-answers-summary",
                    &[
                        ("yes", count("YES").into()),
                        ("no", count("NO").into()),
                        ("unknown", count("UNKNOWN").into()),
                    ],
                )
            }
            _ => String::new(),
        }
    }

    /// Draws the fields in `area`, the focused one marked, and places the text cursor.
    pub fn render(&mut self, frame: &mut Frame, area: Rect, ui: &Ui, focused: bool) {
        let theme = &ui.theme;
        let label_width = 22.min(area.width as usize / 3);
        let value_width = (area.width as usize).saturating_sub(label_width + 3);
        // Rows: one per field, more for notes.
        let mut rows: Vec<(usize, Line)> = Vec::new();
        let mut cursor = None;
        for (index, spec) in self.specs.iter().enumerate() {
            if !self.is_visible(index) {
                continue;
            }
            let is_focus = focused && index == self.focus;
            let marker = if is_focus { theme.marker() } else { " " };
            let label = fit(&label(spec, ui), label_width);
            let label_style = if is_focus {
                theme.selected()
            } else {
                theme.label()
            };
            let text = self.summary(spec, ui);
            let is_notes = matches!(spec.kind, FieldKind::Notes { .. });
            let notes = match (is_notes, self.values.get(spec.id)) {
                (true, Some(FieldValue::Text(input))) => Some(input.layout(value_width)),
                _ => None,
            };
            let notes_cursor = notes.as_ref().map(|layout| layout.cursor);
            let lines: Vec<String> = if is_notes {
                let mut lines = notes.map_or_else(|| wrapped(&text, value_width), |l| l.rows);
                lines.resize(lines.len().max(3), String::new());
                lines
            } else {
                vec![inert(&text)]
            };
            for (n, line_text) in lines.iter().enumerate() {
                let (prefix, label_span) = if n == 0 {
                    (
                        marker,
                        Span::styled(format!("{label:<label_width$}"), label_style),
                    )
                } else {
                    (" ", Span::raw(" ".repeat(label_width)))
                };
                let shown = if is_notes {
                    line_text.clone()
                } else {
                    // Only text being typed shows its end, where the cursor is.
                    fit_tail(
                        line_text,
                        value_width,
                        is_focus && !self.read_only && !self.is_list(spec),
                    )
                };
                rows.push((
                    index,
                    Line::from(vec![
                        Span::styled(
                            prefix.to_owned(),
                            if is_focus {
                                theme.selected()
                            } else {
                                theme.plain()
                            },
                        ),
                        label_span,
                        Span::raw(" "),
                        Span::styled(shown, theme.plain()),
                    ]),
                ));
            }
            if is_focus && self.picker.is_none() && !self.read_only {
                cursor = match notes_cursor {
                    Some((row, column)) => Some((row, 1 + label_width + 1 + column)),
                    None => self.cursor_in_field(spec, label_width, value_width),
                };
            }
        }
        self.wrap_width = value_width;
        // Keep the focused field in view: all of it if it fits, else the cursor's row, or
        // (reading) from where the reader is.
        let height = area.height as usize;
        let first_focus_row = rows.iter().position(|(i, _)| *i == self.focus).unwrap_or(0);
        let last_focus_row = rows
            .iter()
            .rposition(|(i, _)| *i == self.focus)
            .unwrap_or(0);
        // A new size (the terminal resized) shows the form from its top again, scrolled
        // only as far as the focus needs.
        if height != self.height {
            self.scroll = 0;
        }
        self.height = height;
        self.focus_rows = last_focus_row + 1 - first_focus_row;
        let (top, bottom) = if self.focus_rows <= height {
            (first_focus_row, last_focus_row)
        } else if let Some((row, _)) = cursor {
            (first_focus_row + row, first_focus_row + row)
        } else {
            self.reading = self.reading.min(self.focus_rows - height);
            let top = first_focus_row + self.reading;
            (top, top + height - 1)
        };
        if top < self.scroll {
            self.scroll = top;
        }
        if bottom >= self.scroll + height {
            self.scroll = bottom + 1 - height.max(1);
        }
        // Never blank rows below the last field while rows above are hidden.
        self.scroll = self.scroll.min(rows.len().saturating_sub(height));
        let visible: Vec<Line> = rows
            .into_iter()
            .skip(self.scroll)
            .take(height)
            .map(|(_, line)| line)
            .collect();
        frame.render_widget(Paragraph::new(visible), area);
        if let Some((row, column)) = cursor {
            let y = first_focus_row + row;
            if y >= self.scroll && y < self.scroll + height && column < area.width as usize {
                frame.set_cursor_position((
                    area.x + column as u16,
                    area.y + (y - self.scroll) as u16,
                ));
            }
        }
    }

    /// Draws the open pick list, if any, over `area` (usually more room than the form has).
    pub fn render_picker(&self, frame: &mut Frame, area: Rect, ui: &Ui) {
        if let Some(picker) = &self.picker {
            picker.render(frame, area, ui);
        }
    }

    /// (row within the field, column in the area) of the text cursor.
    fn cursor_in_field(
        &self,
        spec: &FieldSpec,
        label_width: usize,
        value_width: usize,
    ) -> Option<(usize, usize)> {
        let Some(FieldValue::Text(input)) = self.values.get(spec.id) else {
            return None;
        };
        // Columns as drawn: a character shown as an escape takes the escape's width.
        let (line, column) = input.line_and_column();
        let text = input.text().split('\n').nth(line).unwrap_or_default();
        let before: String = text.chars().take(column).collect();
        let column = inert(&before).chars().count();
        let line_len = inert(text).chars().count();
        // Long lines are shown by their end while typing (see fit_tail).
        let shift = line_len.saturating_sub(value_width.saturating_sub(1));
        Some((line, 1 + label_width + 1 + column.saturating_sub(shift)))
    }
}

/// A field's label: the message `field-LABEL`.
pub fn label(spec: &FieldSpec, ui: &Ui) -> String {
    ui.t(&format!("field-{}", spec.label))
}

/// The codes new input may use, with their labels: the built-in ones, then those the
/// applied reference pack adds to the list (the store's, via `I18n`).
fn code_items(list: &CodeList, ui: &Ui) -> Vec<PickItem> {
    ui.i18n
        .active_codes(list)
        .map(|code| PickItem::new(code, ui.i18n.label(list, code)))
        .collect()
}

/// A ubigeo typed in full, for a place the lists lack (a district created since).
fn typed_ubigeo(typed: &str) -> Option<PickItem> {
    match typed.parse::<crate::model::Place>() {
        Ok(crate::model::Place::Ubigeo(code)) => {
            let label = PlaceNames::default().label(&code, crate::model::Lang::Es);
            Some(PickItem::new(code, label))
        }
        _ => None,
    }
}

/// Whatever was typed, as a choice of its own (a name the suggestions lack).
pub fn typed_text(typed: &str) -> Option<PickItem> {
    (!typed.is_empty()).then(|| PickItem::new(typed, format!("\"{typed}\"")))
}

/// Departments of Peru, the countries callers most often are in, every province and
/// district (each province before its districts, found by typing their name: "huepe"),
/// then the other countries.
fn place_items(ui: &Ui) -> Vec<PickItem> {
    let names = &ui.reference.places;
    let all = names.all();
    let mut items: Vec<PickItem> = all
        .iter()
        .filter(|(code, _)| PlaceKind::of(code) == Some(PlaceKind::Department))
        .map(|(code, name)| PickItem::new(*code, format!("{name} ({})", ui.t("place-department"))))
        .collect();
    items.extend(quick_countries(ui));
    for (code, name) in all {
        let label = match PlaceKind::of(code) {
            Some(PlaceKind::Province) => format!(
                "{name} ({}, {})",
                ui.t("place-province"),
                places::department_name(&code[..2]).unwrap_or_default()
            ),
            Some(PlaceKind::District) => names.label(code, ui.i18n.lang()),
            _ => continue,
        };
        items.push(PickItem::new(code, label));
    }
    items.extend(other_countries(ui));
    items
}

/// The quick-pick countries first, in their order, then the others.
fn country_items(ui: &Ui) -> Vec<PickItem> {
    quick_countries(ui).chain(other_countries(ui)).collect()
}

fn quick_countries(ui: &Ui) -> impl Iterator<Item = PickItem> + '_ {
    countries::QUICK_PICK
        .iter()
        .filter_map(|code| countries::country(code))
        .map(|c| PickItem::new(c.alpha2, c.name(ui.i18n.lang())))
}

fn other_countries(ui: &Ui) -> impl Iterator<Item = PickItem> + '_ {
    countries::COUNTRIES
        .iter()
        .filter(|country| !countries::QUICK_PICK.contains(&country.alpha2))
        .map(|c| PickItem::new(c.alpha2, c.name(ui.i18n.lang())))
}

fn country_name(code: &str, ui: &Ui) -> String {
    countries::country(code)
        .map(|c| c.name(ui.i18n.lang()).to_owned())
        .unwrap_or_else(|| code.to_owned())
}

/// A place in few columns: its department's name, or its country's.
pub fn place_short(code: &str, ui: &Ui) -> String {
    if code.len() == 6 {
        places::department_name(&code[..2])
            .unwrap_or("?")
            .to_owned()
    } else {
        country_name(code, ui)
    }
}

/// Where a call came from, short ([`place_short`]); empty when nobody said.
pub fn caller_place_short(call: &CallFields, ui: &Ui) -> String {
    call.caller_place
        .as_ref()
        .map(|p| place_short(p.as_str(), ui))
        .unwrap_or_default()
}

/// A place as the operator knows it: "Huepetuhe, Manu (Madre de Dios)", the country's
/// name abroad.
pub fn place_label(code: &str, ui: &Ui) -> String {
    ui.reference.places.label(code, ui.i18n.lang())
}

/// Breaks `text` into lines of at most `width` columns, between words where it can (any
/// whitespace, line breaks included, is a place to break and shown as one space); each
/// line is made [`inert`].
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    wrapped(&words, width)
        .into_iter()
        .map(|line| line.trim_end().to_owned())
        .collect()
}

/// Like [`fit`], but a field being typed in shows its end, where the cursor is.
fn fit_tail(text: &str, width: usize, typing: bool) -> String {
    let count = text.chars().count();
    if !typing || count < width {
        return fit(text, width);
    }
    text.chars().skip(count + 1 - width).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::I18n;
    use crate::model::Lang;
    use crate::model::text::fold;
    use crate::tui::keymap::Keymap;
    use crate::tui::terminal::Caps;
    use crate::tui::theme::Theme;

    fn ui() -> Ui {
        Ui {
            i18n: I18n::new(Lang::Es),
            theme: Theme::new(Caps {
                color: false,
                unicode: true,
            }),
            keymap: Keymap::builtin(),
            reference: Default::default(),
        }
    }

    fn first_found(items: &[PickItem], typed: &str) -> Option<String> {
        let picker = Picker::new("Place".into(), items.to_vec(), PickMode::One, typed);
        picker.current().map(|item| item.value.clone())
    }

    #[test]
    fn every_district_is_found_by_typing_part_of_its_name() {
        let ui = ui();
        let items = place_items(&ui);
        assert_eq!(first_found(&items, "huepe").as_deref(), Some("170204"));
        assert_eq!(first_found(&items, "HUEPETUHE").as_deref(), Some("170204"));
        assert_eq!(
            first_found(&items, "jesus maria").as_deref(),
            Some("150113")
        );
        // What the list shows, as typing sees it: folded words.
        let shown = |text: &str| {
            fold(text)
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let labels: Vec<String> = items.iter().map(|item| shown(&item.label)).collect();
        let names = PlaceNames::default();
        for (at, item) in items.iter().enumerate() {
            if PlaceKind::of(&item.value) != Some(PlaceKind::District) {
                continue;
            }
            let code = item.value.as_str();
            let name = shown(names.name(code).unwrap_or_default());
            // The shortest start of its name no other entry starts with finds it first; a
            // name shared with other places does in full, with its province and department.
            let unique = (1..=name.len())
                .filter(|&end| name.is_char_boundary(end))
                .map(|end| &name[..end])
                .filter(|start| start.ends_with(char::is_alphanumeric))
                .find(|start| {
                    labels
                        .iter()
                        .enumerate()
                        .all(|(other, label)| other == at || !label.starts_with(start))
                });
            let typed = unique.map_or_else(|| labels[at].clone(), str::to_owned);
            assert_eq!(
                first_found(&items, &typed).as_deref(),
                Some(code),
                "typing {typed:?}"
            );
        }
    }

    #[test]
    fn fitted_and_wrapped_text_is_inert_and_ordinary_text_unchanged() {
        assert_eq!(fit("a\u{1b}[2J\nb\u{202e}", 40), "a\\u{1b}[2J\\nb\\u{202e}");
        assert_eq!(fit("a\u{1b}[2J", 6), "a\\u{1~");
        assert_eq!(fit("Juárez 👩\u{200d}💻", 40), "Juárez 👩\u{200d}💻");
        assert_eq!(
            wrap("uno\u{9b}2J dos\ntres\u{2028}cuatro", 40),
            ["uno\\u{9b}2J dos tres cuatro"]
        );
    }

    #[test]
    fn a_form_shown_small_then_large_again_shows_from_its_top() {
        use ratatui::Terminal;
        use ratatui::backend::TestBackend;
        const FIELDS: &[FieldSpec] = &[
            FieldSpec::new("a", FieldKind::Text { max: 10 }),
            FieldSpec::new("b", FieldKind::Text { max: 10 }),
            FieldSpec::new("c", FieldKind::Text { max: 10 }),
            FieldSpec::new("d", FieldKind::Text { max: 10 }),
            FieldSpec::new("e", FieldKind::Text { max: 10 }),
            FieldSpec::new("f", FieldKind::Text { max: 10 }),
        ];
        let ui = ui();
        let mut form = Form::new(FIELDS);
        for spec in FIELDS {
            form.set_text(spec.id, &format!("value-{}", spec.id));
        }
        form.focus_on("f");
        let rows_shown = |form: &mut Form, height: u16| {
            let mut terminal = Terminal::new(TestBackend::new(40, height)).unwrap();
            terminal
                .draw(|frame| form.render(frame, frame.area(), &ui, true))
                .unwrap();
            let buffer = terminal.backend().buffer().clone();
            (0..height)
                .map(|y| (0..40).map(|x| buffer[(x, y)].symbol()).collect::<String>())
                .collect::<Vec<_>>()
        };
        let small = rows_shown(&mut form, 2);
        assert!(small[1].contains("value-f"), "{small:?}");
        let large = rows_shown(&mut form, 10);
        assert!(large[0].contains("value-a"), "{large:?}");
        assert!(large[5].contains("value-f"), "{large:?}");
    }
}
