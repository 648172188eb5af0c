//! A pick list with type-ahead: typing narrows it, ignoring case and accents ("apurimac"
//! finds "Apurímac"); labels are in the operator's language, codes stay out of sight and
//! out of the match. What starts with the typed text comes first, then what has each typed
//! word at the start of one of its words, then the rest, each in the list's order.
//! One choice, several (Enter marks and unmarks), or an answer per item (the indicator
//! checklist: Enter cycles yes, no, unknown, not asked).

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::text::{Edit, TextInput};
use crate::model::text::{fold, inert};
use crate::tui::action::Action;
use crate::tui::ui::Ui;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickItem {
    pub value: String,
    pub label: String,
    search: String,
}

impl PickItem {
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> PickItem {
        let value = value.into();
        let label = label.into();
        let search = fold(&label);
        PickItem {
            value,
            label,
            search,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickMode {
    One,
    Many(Vec<String>),
    Answers(BTreeMap<String, String>),
}

/// What Enter did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Picked {
    /// A single choice was made: close the list.
    One(String),
    /// A mark or answer changed: the list stays open.
    Changed,
    Nothing,
}

const ANSWER_CYCLE: [&str; 3] = ["YES", "NO", "UNKNOWN"];

#[derive(Debug, Clone)]
pub struct Picker {
    title: String,
    items: Vec<PickItem>,
    filter: TextInput,
    visible: Vec<usize>,
    selected: usize,
    pub mode: PickMode,
    /// Offers what is typed as an item of its own when it is well-formed (a ubigeo typed
    /// in full, for places finer than the lists hold).
    accept_typed: Option<fn(&str) -> Option<PickItem>>,
    typed_item: Option<PickItem>,
}

impl Picker {
    pub fn new(title: String, items: Vec<PickItem>, mode: PickMode, typed: &str) -> Picker {
        let mut picker = Picker {
            title,
            items,
            filter: TextInput::new(typed),
            visible: Vec::new(),
            selected: 0,
            mode,
            accept_typed: None,
            typed_item: None,
        };
        picker.refilter();
        picker
    }

    /// Lets what is typed become a choice when `accept` recognises it.
    pub fn accepting_typed(mut self, accept: fn(&str) -> Option<PickItem>) -> Picker {
        self.accept_typed = Some(accept);
        self.refilter();
        self
    }

    pub fn filter_text(&self) -> &str {
        self.filter.text()
    }

    fn refilter(&mut self) {
        self.typed_item = self
            .accept_typed
            .and_then(|accept| accept(self.filter.text().trim()));
        let wanted = fold(self.filter.text());
        let words: Vec<&str> = words(&wanted).collect();
        let mut ranked: Vec<(u8, usize)> = self
            .items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| rank(&item.search, &words).map(|r| (r, i)))
            .collect();
        // Stable: the list's own order holds within a rank.
        ranked.sort_by_key(|(rank, _)| *rank);
        self.visible = ranked.into_iter().map(|(_, i)| i).collect();
        self.selected = 0;
    }

    pub fn edit(&mut self, edit: Edit) {
        if self.filter.apply(edit, false, 40) {
            self.refilter();
        }
    }

    /// How many rows the list shows: the matches, then what was typed, if it is accepted.
    fn row_count(&self) -> usize {
        self.visible.len() + usize::from(self.typed_item.is_some())
    }

    fn row(&self, position: usize) -> Option<&PickItem> {
        match self.visible.get(position) {
            Some(index) => Some(&self.items[*index]),
            None if position == self.visible.len() => self.typed_item.as_ref(),
            None => None,
        }
    }

    pub fn move_by(&mut self, delta: isize) {
        if self.row_count() == 0 {
            return;
        }
        let last = self.row_count() as isize - 1;
        self.selected = (self.selected as isize + delta).clamp(0, last) as usize;
    }

    /// Moves the highlight for a list action; false for any other action.
    pub fn navigate(&mut self, action: Action) -> bool {
        match action {
            Action::MoveUp => self.move_by(-1),
            Action::MoveDown => self.move_by(1),
            Action::PageUp => self.move_by(-10),
            Action::PageDown => self.move_by(10),
            Action::First => self.first(),
            Action::Last => self.last(),
            _ => return false,
        }
        true
    }

    pub fn first(&mut self) {
        self.selected = 0;
    }

    pub fn last(&mut self) {
        self.selected = self.row_count().saturating_sub(1);
    }

    pub fn current(&self) -> Option<&PickItem> {
        self.row(self.selected)
    }

    pub fn confirm(&mut self) -> Picked {
        let Some(value) = self.current().map(|item| item.value.clone()) else {
            return Picked::Nothing;
        };
        match &mut self.mode {
            PickMode::One => Picked::One(value),
            PickMode::Many(chosen) => {
                if let Some(at) = chosen.iter().position(|v| *v == value) {
                    chosen.remove(at);
                } else {
                    chosen.push(value);
                }
                Picked::Changed
            }
            PickMode::Answers(answers) => {
                let next = match answers.get(&value).map(String::as_str) {
                    None => Some(ANSWER_CYCLE[0]),
                    Some(current) => ANSWER_CYCLE
                        .iter()
                        .position(|a| *a == current)
                        .and_then(|i| ANSWER_CYCLE.get(i + 1))
                        .copied(),
                };
                match next {
                    Some(answer) => answers.insert(value, answer.to_owned()),
                    None => answers.remove(&value),
                };
                Picked::Changed
            }
        }
    }

    fn mark(&self, item: &PickItem, ui: &Ui) -> String {
        match &self.mode {
            PickMode::One => String::new(),
            PickMode::Many(chosen) => if chosen.contains(&item.value) {
                "[x] "
            } else {
                "[ ] "
            }
            .to_owned(),
            PickMode::Answers(answers) => match answers.get(&item.value).map(String::as_str) {
                Some("YES") => format!("[{}] ", ui.t("answer-yes-short")),
                Some("NO") => format!("[{}] ", ui.t("answer-no-short")),
                Some(_) => "[?] ".to_owned(),
                None => "[ ] ".to_owned(),
            },
        }
    }

    /// Draws the list over `area` (the screen body).
    pub fn render(&self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let width = area.width.saturating_sub(4).clamp(10, 72);
        // As tall as what it lists (plus the typing line and the border), within the body.
        let wanted = self.row_count().max(1) as u16 + 3;
        let height = wanted.min(area.height.saturating_sub(2)).clamp(4, 20);
        let popup = Rect {
            x: area.x + (area.width.saturating_sub(width)) / 2,
            y: area.y + 1,
            width: width.min(area.width),
            height: height.min(area.height),
        };
        frame.render_widget(Clear, popup);
        let theme = &ui.theme;
        let block = Block::default()
            .borders(Borders::ALL)
            .border_set(theme.border())
            .title(Span::styled(format!(" {} ", self.title), theme.title()));
        let inner = block.inner(popup);
        frame.render_widget(block, popup);
        if inner.height < 2 {
            return;
        }
        let typed = format!("{} {}", ui.t("picker-type-to-filter"), self.filter.text());
        let mut lines = vec![Line::from(Span::styled(typed, theme.label()))];
        let rows = inner.height as usize - 1;
        let top = self.selected.saturating_sub(rows.saturating_sub(1));
        for position in (top..self.row_count()).take(rows) {
            let Some(item) = self.row(position) else {
                break;
            };
            let chosen = position == self.selected;
            let text = format!(
                "{} {}{}",
                if chosen { theme.marker() } else { " " },
                self.mark(item, ui),
                inert(&item.label)
            );
            let style = if chosen {
                theme.selected()
            } else {
                theme.plain()
            };
            lines.push(Line::from(Span::styled(text, style)));
        }
        if self.visible.is_empty() {
            lines.push(Line::from(Span::styled(
                ui.t("picker-no-match"),
                theme.dim(),
            )));
        }
        frame.render_widget(Paragraph::new(lines), inner);
        let cursor_x = inner.x
            + (ui.t("picker-type-to-filter").chars().count() + 1 + self.filter.cursor()) as u16;
        if cursor_x < inner.x + inner.width {
            frame.set_cursor_position((cursor_x, inner.y));
        }
    }
}

/// Where an item whose folded label is `search` comes for the folded typed `words`: 0 when
/// the label's words start with them (the last typed word may be cut short), 1 when each
/// starts a word of the label, 2 when each is somewhere inside; `None` when one is missing.
fn rank(search: &str, typed: &[&str]) -> Option<u8> {
    if !typed.iter().all(|word| search.contains(word)) {
        return None;
    }
    let label: Vec<&str> = words(search).collect();
    let leading = typed.len() <= label.len()
        && typed.iter().zip(&label).enumerate().all(|(at, (t, l))| {
            if at + 1 == typed.len() {
                l.starts_with(t)
            } else {
                t == l
            }
        });
    if leading {
        Some(0)
    } else if typed
        .iter()
        .all(|word| label.iter().any(|l| l.starts_with(word)))
    {
        Some(1)
    } else {
        Some(2)
    }
}

/// The words of `text`: its runs of letters and digits.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn departments() -> Vec<PickItem> {
        vec![
            PickItem::new("030000", "Apurímac"),
            PickItem::new("080000", "Cusco"),
            PickItem::new("170000", "Madre de Dios"),
        ]
    }

    #[test]
    fn typing_narrows_ignoring_case_and_accents() {
        let mut picker = Picker::new("Place".into(), departments(), PickMode::One, "");
        for c in "APURIMAC".chars() {
            picker.edit(Edit::Char(c));
        }
        assert_eq!(picker.current().map(|i| i.value.as_str()), Some("030000"));
        assert_eq!(picker.confirm(), Picked::One("030000".into()));
        let mut picker = Picker::new("Place".into(), departments(), PickMode::One, "dios mad");
        assert_eq!(
            picker.current().map(|i| i.label.as_str()),
            Some("Madre de Dios")
        );
        picker.edit(Edit::Char('x'));
        assert_eq!(picker.current(), None);
        assert_eq!(picker.confirm(), Picked::Nothing);
    }

    #[test]
    fn matches_at_the_start_of_a_word_come_first_and_codes_never_match() {
        let items = vec![
            PickItem::new("VICTIM", "Presunta víctima"),
            PickItem::new("FAMILY", "Familiar o amigo"),
            PickItem::new("OTHER", "Otra persona de confianza"),
        ];
        let mut picker = Picker::new("T".into(), items.clone(), PickMode::One, "f");
        let order: Vec<&str> = picker
            .visible
            .iter()
            .map(|&i| items[i].value.as_str())
            .collect();
        // "Familiar" starts with f, "confianza" has f inside a word; "VICTIM" has no f at all
        // in its label and its code is not searched.
        assert_eq!(order, ["FAMILY", "OTHER"]);
        picker.edit(Edit::Char('a'));
        assert_eq!(picker.row_count(), 1);
        let picker = Picker::new("T".into(), items, PickMode::One, "other");
        assert_eq!(picker.current(), None);
    }

    #[test]
    fn marks_toggle_and_answers_cycle() {
        let mut picker = Picker::new("T".into(), departments(), PickMode::Many(vec![]), "");
        picker.move_by(1);
        picker.confirm();
        assert_eq!(picker.mode, PickMode::Many(vec!["080000".into()]));
        picker.confirm();
        assert_eq!(picker.mode, PickMode::Many(vec![]));

        let mut picker = Picker::new(
            "T".into(),
            departments(),
            PickMode::Answers(BTreeMap::new()),
            "",
        );
        let answers = |p: &Picker| match &p.mode {
            PickMode::Answers(a) => a.get("030000").cloned(),
            _ => None,
        };
        picker.confirm();
        assert_eq!(answers(&picker).as_deref(), Some("YES"));
        picker.confirm();
        assert_eq!(answers(&picker).as_deref(), Some("NO"));
        picker.confirm();
        assert_eq!(answers(&picker).as_deref(), Some("UNKNOWN"));
        picker.confirm();
        assert_eq!(answers(&picker), None);
    }
}
