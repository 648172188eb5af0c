//! Help (F1): every key of the screen it was opened from and the global ones, generated from
//! the active keymap, with what each does.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::call_form::template_label;
use crate::tui::action::{ACTIONS, Action, Context};
use crate::tui::ui::Ui;
use crate::tui::widgets::form::{fit, wrap};

pub struct Help {
    contexts: Vec<Context>,
    scroll: usize,
}

impl Help {
    /// Help for a screen in `contexts`.
    pub fn new(contexts: Vec<Context>) -> Help {
        Help {
            contexts,
            scroll: 0,
        }
    }

    pub fn scroll_by(&mut self, delta: isize) {
        self.scroll = (self.scroll as isize + delta).max(0) as usize;
    }

    pub fn lines(&self, ui: &Ui) -> Vec<(String, String, String)> {
        let mut rows = Vec::new();
        let mut contexts = self.contexts.clone();
        contexts.push(Context::Global);
        for context in contexts {
            for spec in ACTIONS {
                if !spec.contexts.contains(&context) {
                    continue;
                }
                let keys: Vec<String> = ui
                    .keymap
                    .keys_for(context, spec.action)
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                if keys.is_empty() {
                    continue;
                }
                rows.push((
                    keys.join(", "),
                    ui.action_label(spec.action),
                    ui.action_help(spec.action),
                ));
            }
        }
        rows.dedup();
        rows
    }

    pub fn render(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let theme = &ui.theme;
        let width = area.width as usize;
        let dim = |text: String| Line::from(Span::styled(text, theme.dim()));
        let mut lines: Vec<Line> = wrap(&ui.t("help-intro"), width)
            .into_iter()
            .map(dim)
            .collect();
        // What a key does is read in full: long texts go on under it, not cut.
        let help_width = width.saturating_sub(34);
        for (keys, label, help) in self.lines(ui) {
            let mut help = wrap(&help, help_width).into_iter();
            lines.push(Line::from(vec![
                Span::styled(format!("{:<18}", fit(&keys, 17)), theme.key()),
                Span::styled(format!("{:<16}", fit(&label, 15)), theme.label()),
                Span::raw(help.next().unwrap_or_default()),
            ]));
            lines.extend(help.map(|more| Line::from(format!("{:34}{more}", ""))));
        }
        lines.extend(wrap(&ui.t("help-text-keys"), width).into_iter().map(dim));
        let key = ui
            .key_for(&[Context::Global], Action::CallTemplate)
            .map(|key| key.to_string())
            .unwrap_or_default();
        let heading = ui.i18n.t_args("help-templates", &[("key", key.into())]);
        lines.push(Line::from(Span::styled(heading, theme.label())));
        lines.extend(
            ui.reference
                .templates
                .iter()
                .enumerate()
                .map(|(at, template)| {
                    Line::from(format!("  {}", template_label(at, template, ui)))
                }),
        );
        let max_scroll = lines.len().saturating_sub(area.height as usize);
        self.scroll = self.scroll.min(max_scroll);
        let shown: Vec<Line> = lines.into_iter().skip(self.scroll).collect();
        frame.render_widget(Paragraph::new(shown), area);
    }
}
