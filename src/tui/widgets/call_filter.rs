//! The dialog that filters calls by dates, reason, urgency, place and the caller's phone:
//! the calls list and the search screen share it.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Clear};

use super::form::{FieldKind, FieldSpec, Form, FormEvent, TextMode, place_label};
use crate::model::{codes, phone};
use crate::store::CallFilter;
use crate::tui::action::{Action, Context, Input};
use crate::tui::ui::Ui;

/// The first and last day of a period, typed as YYYY-MM-DD (read with [`typed_day`]); the
/// statistics' period dialog asks for the same two.
pub const FROM_DAY: FieldSpec =
    FieldSpec::new("from", FieldKind::Text { max: 10 }).labelled("filter-from");
pub const TO_DAY: FieldSpec =
    FieldSpec::new("to", FieldKind::Text { max: 10 }).labelled("filter-to");

/// A day typed as YYYY-MM-DD; empty is `None` (no bound, or the default).
pub fn typed_day(text: &str, ui: &Ui) -> Result<Option<NaiveDate>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| {
            ui.i18n
                .t_args("filter-bad-date", &[("text", text.to_owned().into())])
        })
}

const FIELDS: &[FieldSpec] = &[
    FROM_DAY,
    TO_DAY,
    FieldSpec::code("reason", &codes::CONTACT_REASON),
    FieldSpec::code("urgency", &codes::URGENCY),
    FieldSpec::new("place", FieldKind::Place).labelled("caller_place"),
    FieldSpec::new("phone", FieldKind::Text { max: 40 }).labelled("caller_phone"),
];

/// What the operator did in the dialog.
pub enum FilterEvent {
    Stay,
    Apply(CallFilter),
    Close,
    /// A date that is not one; the message says so in the operator's language.
    Refused(String),
}

pub struct FilterDialog {
    form: Form,
    zone: FixedOffset,
}

impl FilterDialog {
    /// The dialog showing `filter`.
    pub fn open(filter: &CallFilter, zone: FixedOffset) -> FilterDialog {
        let mut form = Form::new(FIELDS);
        let day = |t: Option<DateTime<Utc>>, back: i64| {
            t.map(|t| {
                (t - TimeDelta::days(back))
                    .with_timezone(&zone)
                    .format("%Y-%m-%d")
                    .to_string()
            })
            .unwrap_or_default()
        };
        form.set_text("from", &day(filter.from, 0));
        form.set_text("to", &day(filter.to, 1));
        form.set_one("reason", filter.reason.as_deref());
        form.set_one("urgency", filter.urgency.as_deref());
        form.set_one(
            "place",
            filter.place.as_deref().map(picker_place).as_deref(),
        );
        form.set_text("phone", filter.phone.as_deref().unwrap_or(""));
        FilterDialog { form, zone }
    }

    pub fn contexts(&self) -> Vec<Context> {
        if self.form.picker_open() {
            vec![Context::Dialog]
        } else {
            vec![Context::Form]
        }
    }

    pub fn text_mode(&self) -> TextMode {
        self.form.text_mode()
    }

    pub fn key_bar(&self) -> Vec<Action> {
        if self.form.picker_open() {
            vec![Action::Confirm, Action::Back]
        } else {
            vec![Action::Save, Action::NextField, Action::Back]
        }
    }

    pub fn handle(&mut self, input: Input, ui: &Ui) -> FilterEvent {
        if self.form.picker_open() {
            self.form.picker_input(input, ui);
            return FilterEvent::Stay;
        }
        match input {
            Input::Edit(edit) => {
                self.form.edit(edit, ui);
                FilterEvent::Stay
            }
            Input::Action(Action::Back) => FilterEvent::Close,
            Input::Action(Action::NextField) if self.form.next_field() == FormEvent::PastEnd => {
                self.filter(ui)
            }
            Input::Action(Action::PrevField) => {
                self.form.prev_field();
                FilterEvent::Stay
            }
            Input::Action(Action::Save) => self.filter(ui),
            Input::Action(_) => FilterEvent::Stay,
        }
    }

    fn filter(&self, ui: &Ui) -> FilterEvent {
        // The office's midnight starting the day typed.
        let day = |id: &str| -> Result<Option<DateTime<Utc>>, String> {
            let Some(date) = typed_day(self.form.text(id), ui)? else {
                return Ok(None);
            };
            date.and_hms_opt(0, 0, 0)
                .and_then(|t| t.and_local_timezone(self.zone).single())
                .map(|t| Some(t.with_timezone(&Utc)))
                .ok_or_else(|| {
                    ui.i18n
                        .t_args("filter-bad-date", &[("text", date.to_string().into())])
                })
        };
        let (from, to) = match (day("from"), day("to")) {
            (Ok(from), Ok(to)) => (from, to.map(|t| t + TimeDelta::days(1))),
            (Err(e), _) | (_, Err(e)) => return FilterEvent::Refused(e),
        };
        // A department (DD0000) filters by its two digits; a finer ubigeo or a country exactly.
        let place = self
            .form
            .one("place")
            .map(|p| p.strip_suffix("0000").unwrap_or(p).to_owned());
        FilterEvent::Apply(CallFilter {
            from,
            to,
            reason: self.form.one("reason").map(str::to_owned),
            urgency: self.form.one("urgency").map(str::to_owned),
            place,
            case_id: None,
            phone: Some(self.form.text("phone").trim().to_owned()).filter(|p| !p.is_empty()),
        })
    }

    /// Draws the dialog over the top of `area`.
    pub fn render(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let height = (FIELDS.len() as u16 + 2).min(area.height);
        // Full width, so the list's own marker does not show beside the dialog's.
        let popup = Rect {
            y: area.y + 1,
            height,
            ..area
        };
        frame.render_widget(Clear, popup);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_set(ui.theme.border())
            .title(Span::styled(
                format!(" {} ", ui.t("filter-title")),
                ui.theme.title(),
            ));
        let inner = block.inner(popup);
        frame.render_widget(block, popup);
        self.form.render(frame, inner, ui, true);
        self.form.render_picker(frame, area, ui);
    }
}

/// The place as the picker knows it: a department filtered by its two digits is DD0000.
fn picker_place(place: &str) -> String {
    if place.len() == 2 {
        format!("{place}0000")
    } else {
        place.to_owned()
    }
}

/// The filter in a few words: "from 2026-11-01, Tip, U2, Madre de Dios".
pub fn summary(filter: &CallFilter, zone: FixedOffset, ui: &Ui) -> String {
    let day = |t: DateTime<Utc>| t.with_timezone(&zone).format("%Y-%m-%d").to_string();
    let mut parts = Vec::new();
    if let Some(from) = filter.from {
        parts.push(format!("{} {}", ui.t("filter-from"), day(from)));
    }
    if let Some(to) = filter.to {
        parts.push(format!(
            "{} {}",
            ui.t("filter-to"),
            day(to - TimeDelta::days(1))
        ));
    }
    if let Some(reason) = &filter.reason {
        parts.push(ui.i18n.label(&codes::CONTACT_REASON, reason));
    }
    if let Some(urgency) = &filter.urgency {
        parts.push(urgency[..2].to_owned());
    }
    if let Some(place) = &filter.place {
        parts.push(place_label(&picker_place(place), ui));
    }
    if let Some(phone) = &filter.phone {
        // On screen for as long as the list is: masked like the rows' numbers.
        parts.push(phone::masked(phone));
    }
    if parts.is_empty() {
        ui.t("filter-none")
    } else {
        parts.join(", ")
    }
}
