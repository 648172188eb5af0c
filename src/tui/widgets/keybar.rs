//! The bottom bar: the screen's keys in plain ASCII ("F1 Help  F2 Save  Esc Back"), from
//! the active keymap, dropping the last ones when the terminal is narrow.

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
    let mut spans = Vec::new();
    let mut used = 0;
    for (key, label) in hints.iter().cloned().chain(entries(ui, contexts, actions)) {
        let width = key.chars().count() + 1 + label.chars().count() + 2;
        if used + width > area.width as usize + 2 {
            break;
        }
        spans.push(Span::styled(key, theme.key()));
        spans.push(Span::raw(format!(" {label}  ")));
        used += width;
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
