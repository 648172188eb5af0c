//! The calls list (F5): newest first, filtered by dates, reason, urgency and place, read a
//! page at a time with keyset queries so it stays instant with a million calls. Names are
//! masked until revealed on the selected row.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::{Env, Input, Nav, Place, Screen, call_view::CallView};
use crate::model::{Call, codes, text::inert};
use crate::store::{CallCursor, CallFilter};
use crate::tui::action::{Action, Context};
use crate::tui::ui::{Message, Ui};
use crate::tui::widgets::form::{
    FieldKind, FieldSpec, Form, FormEvent, TextMode, fit, place_label, place_short,
};

const PAGE: u32 = 200;

const FILTER_FIELDS: &[FieldSpec] = &[
    FieldSpec {
        id: "from",
        label: "filter-from",
        kind: FieldKind::Text { max: 10 },
        personal: false,
    },
    FieldSpec {
        id: "to",
        label: "filter-to",
        kind: FieldKind::Text { max: 10 },
        personal: false,
    },
    FieldSpec {
        id: "reason",
        label: "reason",
        kind: FieldKind::Code(&codes::CONTACT_REASON),
        personal: false,
    },
    FieldSpec {
        id: "urgency",
        label: "urgency",
        kind: FieldKind::Code(&codes::URGENCY),
        personal: false,
    },
    FieldSpec {
        id: "place",
        label: "caller_place",
        kind: FieldKind::Place,
        personal: false,
    },
];

pub struct Calls {
    filter: CallFilter,
    rows: Vec<Call>,
    next: Option<CallCursor>,
    selected: usize,
    top: usize,
    revealed: bool,
    editing_filter: Option<Form>,
    zone: FixedOffset,
    page_height: usize,
}

impl Calls {
    pub fn load(filter: CallFilter, env: &mut Env) -> Calls {
        let mut calls = Calls {
            filter,
            rows: Vec::new(),
            next: None,
            selected: 0,
            top: 0,
            revealed: false,
            editing_filter: None,
            zone: env.store.zone(),
            page_height: 10,
        };
        calls.reload(env);
        calls
    }

    fn reload(&mut self, env: &mut Env) {
        self.rows.clear();
        self.next = None;
        self.selected = 0;
        self.top = 0;
        self.load_more(env, None);
    }

    fn load_more(&mut self, env: &mut Env, after: Option<CallCursor>) {
        match env.store.list_calls(&self.filter, after.as_ref(), PAGE) {
            Ok(page) => {
                self.rows.extend(page.calls);
                self.next = page.next;
            }
            Err(e) => env.message = Some(Message::error(e.to_string())),
        }
    }

    fn move_to(&mut self, target: isize, env: &mut Env) {
        let mut target = target.max(0) as usize;
        // Read the next page before the selection reaches the end of what is loaded.
        while target + self.page_height >= self.rows.len() {
            let Some(next) = self.next.take() else { break };
            self.load_more(env, Some(next));
        }
        target = target.min(self.rows.len().saturating_sub(1));
        if target != self.selected {
            self.revealed = false;
        }
        self.selected = target;
    }

    fn open_filter(&mut self) {
        let mut form = Form::new(FILTER_FIELDS);
        let day = |t: Option<DateTime<Utc>>, back: i64| {
            t.map(|t| {
                (t - TimeDelta::days(back))
                    .with_timezone(&self.zone)
                    .format("%Y-%m-%d")
                    .to_string()
            })
            .unwrap_or_default()
        };
        form.set_text("from", &day(self.filter.from, 0));
        form.set_text("to", &day(self.filter.to, 1));
        form.set_one("reason", self.filter.reason.as_deref());
        form.set_one("urgency", self.filter.urgency.as_deref());
        // The list filters a department by its two digits; the picker knows it as DD0000.
        let place = self.filter.place.as_ref().map(|p| {
            if p.len() == 2 {
                format!("{p}0000")
            } else {
                p.clone()
            }
        });
        form.set_one("place", place.as_deref());
        self.editing_filter = Some(form);
    }

    fn apply_filter(&mut self, env: &mut Env) {
        let Some(form) = self.editing_filter.as_ref() else {
            return;
        };
        let parse = |id: &str| -> Result<Option<DateTime<Utc>>, String> {
            let text = form.text(id).trim();
            if text.is_empty() {
                return Ok(None);
            }
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .and_then(|t| t.and_local_timezone(self.zone).single())
                .map(|t| Some(t.with_timezone(&Utc)))
                .ok_or_else(|| {
                    env.ui
                        .i18n
                        .t_args("filter-bad-date", &[("text", text.to_owned().into())])
                })
        };
        let (from, to) = match (parse("from"), parse("to")) {
            (Ok(from), Ok(to)) => (from, to.map(|t| t + TimeDelta::days(1))),
            (Err(e), _) | (_, Err(e)) => {
                env.message = Some(Message::error(e));
                return;
            }
        };
        // A department (DD0000) filters by its two digits; a finer ubigeo or a country exactly.
        let place = form
            .one("place")
            .map(|p| p.strip_suffix("0000").unwrap_or(p).to_owned());
        self.filter = CallFilter {
            from,
            to,
            reason: form.one("reason").map(str::to_owned),
            urgency: form.one("urgency").map(str::to_owned),
            place,
            case_id: None,
        };
        self.editing_filter = None;
        self.reload(env);
    }

    fn masked(name: &str) -> String {
        name.split_whitespace()
            .map(|word| {
                let mut chars = word.chars();
                let first = chars.next().unwrap_or(' ');
                format!("{first}{}", "*".repeat(chars.count()))
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn filter_summary(&self, ui: &Ui) -> String {
        let mut parts = Vec::new();
        if let Some(from) = self.filter.from {
            parts.push(format!(
                "{} {}",
                ui.t("filter-from"),
                from.with_timezone(&self.zone).format("%Y-%m-%d")
            ));
        }
        if let Some(to) = self.filter.to {
            parts.push(format!(
                "{} {}",
                ui.t("filter-to"),
                (to - TimeDelta::days(1))
                    .with_timezone(&self.zone)
                    .format("%Y-%m-%d")
            ));
        }
        if let Some(reason) = &self.filter.reason {
            parts.push(ui.i18n.label(&codes::CONTACT_REASON, reason));
        }
        if let Some(urgency) = &self.filter.urgency {
            parts.push(urgency[..2].to_owned());
        }
        if let Some(place) = &self.filter.place {
            let code = if place.len() == 2 {
                format!("{place}0000")
            } else {
                place.clone()
            };
            parts.push(place_label(&code, ui));
        }
        if parts.is_empty() {
            ui.t("filter-none")
        } else {
            parts.join(", ")
        }
    }
}

impl Screen for Calls {
    fn title(&self, ui: &Ui) -> String {
        ui.t("screen-calls")
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
            None => vec![
                Action::Help,
                Action::Open,
                Action::Filter,
                Action::Reveal,
                Action::NewCall,
                Action::Back,
            ],
        }
    }

    fn handle(&mut self, input: Input, env: &mut Env) -> Nav {
        if let Some(form) = self.editing_filter.as_mut() {
            if form.picker_open() {
                form.picker_input(input, env.ui);
                return Nav::Stay;
            }
            match input {
                Input::Edit(edit) => {
                    form.edit(edit, env.ui);
                }
                Input::Action(Action::Back) => self.editing_filter = None,
                Input::Action(Action::NextField) => {
                    if form.next_field() == FormEvent::PastEnd {
                        self.apply_filter(env);
                    }
                }
                Input::Action(Action::PrevField) => form.prev_field(),
                Input::Action(Action::Save) => self.apply_filter(env),
                Input::Action(_) => {}
            }
            return Nav::Stay;
        }
        let Input::Action(action) = input else {
            return Nav::Stay;
        };
        let page = self.page_height as isize;
        let at = self.selected as isize;
        match action {
            Action::MoveUp => self.move_to(at - 1, env),
            Action::MoveDown => self.move_to(at + 1, env),
            Action::PageUp => self.move_to(at - page, env),
            Action::PageDown => self.move_to(at + page, env),
            Action::First => self.move_to(0, env),
            Action::Last => self.move_to(self.rows.len() as isize - 1, env),
            Action::Reveal => self.revealed = !self.revealed,
            Action::Back => return Nav::Pop,
            Action::Filter => self.open_filter(),
            Action::Open => {
                if let Some(call) = self.rows.get(self.selected)
                    && let Some(view) = CallView::load(call.meta.id, env)
                {
                    return Nav::Push(Box::new(view));
                }
            }
            _ => {}
        }
        Nav::Stay
    }

    fn resume(&mut self, env: &mut Env) {
        let selected = self.selected;
        self.reload(env);
        self.move_to(selected as isize, env);
    }

    fn place(&self) -> Place {
        Place::Calls(self.filter.clone())
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let theme = &ui.theme;
        let width = area.width as usize;
        let mut lines = vec![Line::from(vec![
            Span::styled(format!("{}: ", ui.t("filter-title")), theme.label()),
            Span::raw(fit(&self.filter_summary(ui), width.saturating_sub(12))),
        ])];
        let header = format!(
            "  {:<16} {:<2} {:<20} {:<14} {}",
            ui.t("column-started"),
            ui.t("column-urgency"),
            ui.t("column-reason"),
            ui.t("column-place"),
            ui.t("column-caller")
        );
        lines.push(Line::from(Span::styled(fit(&header, width), theme.dim())));
        self.page_height = (area.height as usize).saturating_sub(2).max(1);
        if self.selected < self.top {
            self.top = self.selected;
        }
        if self.selected >= self.top + self.page_height {
            self.top = self.selected + 1 - self.page_height;
        }
        if self.rows.is_empty() {
            lines.push(Line::from(Span::styled(ui.t("calls-none"), theme.dim())));
        }
        for (index, call) in self
            .rows
            .iter()
            .enumerate()
            .skip(self.top)
            .take(self.page_height)
        {
            let chosen = index == self.selected;
            let f = &call.fields;
            let name = f.caller_name.as_deref().map(inert).unwrap_or_default();
            let name = if chosen && self.revealed {
                name
            } else {
                Calls::masked(&name)
            };
            let place = f
                .caller_place
                .as_ref()
                .map(|p| place_short(p.as_str(), ui))
                .unwrap_or_default();
            let text = format!(
                "{} {:<16} {:<2} {:<20} {:<14} {}",
                if chosen { theme.marker() } else { " " },
                call.started_at()
                    .with_timezone(&self.zone)
                    .format("%Y-%m-%d %H:%M"),
                &f.urgency[..2],
                fit(&ui.i18n.label(&codes::CONTACT_REASON, &f.reason), 20),
                fit(&place, 14),
                name
            );
            let urgent = matches!(f.urgency.as_str(), "U1_EMERGENCY" | "U2_URGENT");
            let style = if chosen {
                theme.selected()
            } else if urgent {
                theme.urgent()
            } else {
                theme.plain()
            };
            lines.push(Line::from(Span::styled(fit(&text, width), style)));
        }
        frame.render_widget(Paragraph::new(lines), area);
        if let Some(form) = self.editing_filter.as_mut() {
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
                    format!(" {} ", ui.t("filter-title")),
                    theme.title(),
                ));
            let inner = block.inner(popup);
            frame.render_widget(block, popup);
            form.render(frame, inner, ui, true);
            form.render_picker(frame, area, ui);
        }
    }
}
