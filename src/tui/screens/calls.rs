//! The calls list (F5): newest first, filtered by dates, reason, urgency and place, read a
//! page at a time with keyset queries so it stays instant with a million calls. Names and
//! phone numbers are masked until revealed on the selected row.

use std::collections::HashMap;

use chrono::FixedOffset;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use uuid::Uuid;

use super::{Env, Input, Nav, Place, Screen};
use crate::central::callers;
use crate::model::{Call, phone, text::inert};
use crate::store::{CallCursor, CallFilter};
use crate::tui::action::{Action, Context};
use crate::tui::ui::{Message, Ui};
use crate::tui::widgets::call_filter::{self, FilterDialog, FilterEvent};
use crate::tui::widgets::call_table::{self, CallRow, CallTable};
use crate::tui::widgets::form::{TextMode, fit};
use crate::tui::widgets::scroll::keep_in_view;

const PAGE: u32 = 200;

pub struct Calls {
    filter: CallFilter,
    rows: Vec<Call>,
    next: Option<CallCursor>,
    selected: usize,
    top: usize,
    revealed: bool,
    editing_filter: Option<FilterDialog>,
    zone: FixedOffset,
    page_height: usize,
    /// At central: how many other calls came from each loaded call's number, if any.
    same_caller: HashMap<Uuid, usize>,
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
            same_caller: HashMap::new(),
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
                if env.store.is_central() {
                    let ids: Vec<Uuid> = page.calls.iter().map(|c| c.meta.id).collect();
                    match env
                        .store
                        .as_central()
                        .and_then(|central| callers::same_caller_counts(central, &ids))
                    {
                        Ok(counts) => self.same_caller.extend(counts),
                        Err(e) => env.message = Some(Message::error(e.to_string())),
                    }
                }
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
}

/// What a masked name shows: the same whatever the name, so neither its length nor its
/// initials give it away.
const NAME_MASK: &str = "*****";

/// The caller's name in a row: masked unless revealed.
pub fn name_cell(name: Option<&str>, revealed: bool) -> String {
    match name {
        Some(name) if revealed => inert(name),
        Some(_) => NAME_MASK.to_owned(),
        None => String::new(),
    }
}

/// The caller's phone in a row of calls: masked (its last two digits only) unless revealed.
pub fn phone_cell(phone: Option<&str>, revealed: bool) -> String {
    match phone {
        Some(number) if revealed => inert(number),
        Some(number) => phone::masked(number),
        None => String::new(),
    }
}

impl Screen for Calls {
    fn title(&self, ui: &Ui) -> String {
        ui.t("screen-calls")
    }

    fn contexts(&self) -> Vec<Context> {
        match &self.editing_filter {
            Some(dialog) => dialog.contexts(),
            None => vec![Context::List],
        }
    }

    fn text_mode(&self) -> TextMode {
        self.editing_filter
            .as_ref()
            .map_or(TextMode::None, FilterDialog::text_mode)
    }

    fn key_bar(&self) -> Vec<Action> {
        match &self.editing_filter {
            Some(dialog) => dialog.key_bar(),
            None => vec![
                Action::Open,
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
                    self.reload(env);
                }
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
            Action::Filter => {
                self.editing_filter = Some(FilterDialog::open(&self.filter, self.zone));
            }
            Action::Open => {
                if let Some(call) = self.rows.get(self.selected) {
                    return Nav::Push(Place::CallView(call.meta.id));
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
        // A phone number is record content: it does not outlive a lock.
        Place::Calls(CallFilter {
            phone: None,
            ..self.filter.clone()
        })
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let theme = &ui.theme;
        let width = area.width as usize;
        let lines = vec![Line::from(vec![
            Span::styled(format!("{}: ", ui.t("filter-title")), theme.label()),
            Span::raw(fit(
                &call_filter::summary(&self.filter, self.zone, ui),
                width.saturating_sub(12),
            )),
        ])];
        let [top, list] =
            Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
        frame.render_widget(Paragraph::new(lines), top);
        self.page_height = call_table::page(list.height);
        self.top = keep_in_view(self.selected, self.top, self.page_height);
        let rows = self
            .rows
            .iter()
            .enumerate()
            .skip(self.top)
            .take(self.page_height)
            .map(|(index, call)| {
                let revealed = index == self.selected && self.revealed;
                let f = &call.fields;
                CallRow {
                    call,
                    name: name_cell(f.caller_name.as_deref(), revealed),
                    phone: match (&f.caller_phone, self.same_caller.get(&call.meta.id)) {
                        // Central holds no number of a call without a referral: it says
                        // how many others came from it instead.
                        (None, Some(others)) => ui
                            .i18n
                            .t_args("calls-same-number", &[("count", (*others).into())]),
                        _ => phone_cell(f.caller_phone.as_deref(), revealed),
                    },
                }
            })
            .collect();
        CallTable {
            rows,
            selected: self.selected.checked_sub(self.top),
            mark_urgent: true,
            zone: self.zone,
        }
        .render(frame, list, ui);
        if self.rows.is_empty() {
            let [_, empty] =
                Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(list);
            frame.render_widget(
                Paragraph::new(Span::styled(ui.t("calls-none"), theme.dim())),
                empty,
            );
        }
        if let Some(dialog) = self.editing_filter.as_mut() {
            dialog.render(frame, area, ui);
        }
    }
}
