//! Calls as a table, as the calls list (F5) and search (F6) show them: when, urgency,
//! reason, place, phone, caller, under column headers, in columns that share the
//! terminal's width.

use chrono::FixedOffset;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Cell, HighlightSpacing, Row, Table, TableState};

use crate::model::{Call, codes};
use crate::tui::ui::Ui;
use crate::tui::widgets::form::{caller_place_short, fit};

/// A call's row: the call, and its caller's name and phone as the screen shows them
/// (masked or not).
pub struct CallRow<'a> {
    pub call: &'a Call,
    pub name: String,
    pub phone: String,
}

/// How the rows look.
pub struct CallTable<'a> {
    pub rows: Vec<CallRow<'a>>,
    /// The selected row, counted among `rows`.
    pub selected: Option<usize>,
    /// U1 and U2 rows in the urgent style.
    pub mark_urgent: bool,
    pub zone: FixedOffset,
}

/// Rows a table of `height` lines shows under its header.
pub fn page(height: u16) -> usize {
    usize::from(height.saturating_sub(1)).max(1)
}

impl CallTable<'_> {
    pub fn render(self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let theme = &ui.theme;
        let constraints = [
            Constraint::Length(16),
            Constraint::Length(2),
            // At 80 columns: 15 for the reason, 11 for the place, 15 for the caller.
            Constraint::Fill(4),
            Constraint::Fill(3),
            Constraint::Length(15),
            Constraint::Fill(4),
        ];
        let marker = theme.marker();
        let [_, cells] = Layout::horizontal([
            Constraint::Length(marker.chars().count() as u16),
            Constraint::Fill(1),
        ])
        .areas(area);
        // Each cell fitted to its column, cut with an ellipsis rather than mid-letter.
        let widths: Vec<usize> = Layout::horizontal(constraints)
            .spacing(1)
            .split(cells)
            .iter()
            .map(|r| usize::from(r.width))
            .collect();
        let row = |texts: [String; 6]| {
            Row::new(
                texts
                    .iter()
                    .zip(&widths)
                    .map(|(text, width)| Cell::from(fit(text, *width))),
            )
        };
        let header = row([
            "column-started",
            "column-urgency",
            "column-reason",
            "column-place",
            "column-phone",
            "column-caller",
        ]
        .map(|id| ui.t(id)))
        .style(theme.dim());
        let rows = self.rows.into_iter().map(|shown| {
            let f = &shown.call.fields;
            let urgent = f.is_urgent();
            let style = if self.mark_urgent && urgent {
                theme.urgent()
            } else {
                theme.plain()
            };
            row([
                shown
                    .call
                    .started_at()
                    .with_timezone(&self.zone)
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
                f.urgency.chars().take(2).collect(),
                ui.i18n.label(&codes::CONTACT_REASON, &f.reason),
                caller_place_short(f, ui),
                shown.phone,
                shown.name,
            ])
            .style(style)
        });
        let mut state = TableState::default().with_selected(self.selected);
        let table = Table::new(rows, constraints)
            .header(header)
            .column_spacing(1)
            .highlight_symbol(marker)
            .highlight_spacing(HighlightSpacing::Always)
            .row_highlight_style(theme.selected());
        frame.render_stateful_widget(table, area, &mut state);
    }
}
