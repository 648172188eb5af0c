//! Styles: named ANSI colours only, and none at all under `NO_COLOR`, where the selection
//! is reverse video with a `>` marker (reverse video carries meaning without colour).

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

use super::terminal::Caps;

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    caps: Caps,
}

impl Theme {
    pub fn new(caps: Caps) -> Theme {
        Theme { caps }
    }

    pub fn caps(&self) -> Caps {
        self.caps
    }

    fn color(&self, style: Style, color: Color) -> Style {
        if self.caps.color {
            style.fg(color)
        } else {
            style
        }
    }

    pub fn plain(&self) -> Style {
        Style::default()
    }

    pub fn title(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }

    pub fn label(&self) -> Style {
        self.color(Style::default(), Color::Cyan)
    }

    pub fn dim(&self) -> Style {
        if self.caps.color {
            Style::default().fg(Color::DarkGray)
        } else {
            Style::default()
        }
    }

    /// The selected row or focused field.
    pub fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }

    pub fn error(&self) -> Style {
        self.color(Style::default().add_modifier(Modifier::BOLD), Color::Red)
    }

    pub fn success(&self) -> Style {
        self.color(Style::default(), Color::Green)
    }

    /// U1 and U2 calls, overdue referrals: what needs attention first.
    pub fn urgent(&self) -> Style {
        self.color(Style::default().add_modifier(Modifier::BOLD), Color::Red)
    }

    pub fn warning(&self) -> Style {
        self.color(Style::default(), Color::Yellow)
    }

    pub fn key(&self) -> Style {
        self.color(Style::default().add_modifier(Modifier::BOLD), Color::Yellow)
    }

    pub fn border(&self) -> border::Set<'static> {
        if self.caps.unicode {
            border::PLAIN
        } else {
            ASCII_BORDER
        }
    }

    /// The marker before a selected row: always there, so selection shows without colour.
    pub fn marker(&self) -> &'static str {
        ">"
    }

    pub fn ellipsis(&self) -> &'static str {
        if self.caps.unicode { "…" } else { "..." }
    }
}

const ASCII_BORDER: border::Set<'static> = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};
