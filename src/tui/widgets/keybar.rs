//! The bottom bar: the screen's keys in plain ASCII ("F2 Save  Esc Back  F1 Help"), from
//! the active keymap, closer together and then dropping the last ones when the terminal is
//! narrow.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::action::{Action, Context};
use crate::tui::ui::Ui;

/// The (key, label) pairs shown for `actions` in `contexts`, in order; unbound ones left out.
pub fn entries(ui: &Ui, contexts: &[Context], actions: &[Action]) -> Vec<(String, String)> {
    actions
        .iter()
        .filter_map(|action| {
            ui.key_for(contexts, *action)
                .map(|key| (key.to_string(), ui.action_label(*action)))
        })
        .collect()
}

/// Draws the `hints` (keys that are no action of the keymap here), then the actions' keys.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    ui: &Ui,
    hints: &[(String, String)],
    contexts: &[Context],
    actions: &[Action],
) {
    let theme = &ui.theme;
    let entries: Vec<(String, String)> = hints
        .iter()
        .cloned()
        .chain(entries(ui, contexts, actions))
        .collect();
    let (count, gap) = fitting(&entries, area.width as usize);
    let mut spans = Vec::new();
    for (key, label) in entries.into_iter().take(count) {
        if !spans.is_empty() {
            spans.push(Span::raw(" ".repeat(gap)));
        }
        spans.push(Span::styled(key, theme.key()));
        spans.push(Span::raw(format!(" {label}")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// How many of the entries fit in `width` (the first ones: screens list their most used
/// keys first), and the spaces between them: two when all fit so, else one.
pub fn fitting(entries: &[(String, String)], width: usize) -> (usize, usize) {
    let widths: Vec<usize> = entries
        .iter()
        .map(|(key, label)| key.chars().count() + 1 + label.chars().count())
        .collect();
    let gap = if widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1) <= width {
        2
    } else {
        1
    };
    let mut used = 0;
    let mut count = 0;
    for entry in &widths {
        let needed = entry + if count == 0 { 0 } else { gap };
        if used + needed > width {
            break;
        }
        used += needed;
        count += 1;
    }
    (count, gap)
}

#[cfg(test)]
mod tests {
    use super::fitting;

    fn entries(labels: &[&str]) -> Vec<(String, String)> {
        labels
            .iter()
            .map(|l| ("F1".to_owned(), (*l).to_owned()))
            .collect()
    }

    #[test]
    fn two_spaces_apart_when_all_fit_then_one_then_the_last_ones_dropped() {
        // Each entry is "F1 abcd": 7 columns.
        let three = entries(&["abcd", "abcd", "abcd"]);
        assert_eq!(fitting(&three, 25), (3, 2));
        assert_eq!(fitting(&three, 24), (3, 1));
        assert_eq!(fitting(&three, 23), (3, 1));
        assert_eq!(fitting(&three, 22), (2, 1));
        assert_eq!(fitting(&three, 6), (0, 1));
    }
}
