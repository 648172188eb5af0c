//! One saved call, to read it out or add to it: the same fields as the form, read-only;
//! Enter opens the form at the field under the marker.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use uuid::Uuid;

use super::call_form::{CallForm, form_from_fields};
use super::{Env, Input, Nav, Place, Screen};
use crate::model::{Call, codes};
use crate::tui::action::{Action, Context};
use crate::tui::ui::{Message, Ui};
use crate::tui::widgets::form::{Form, fit};

pub struct CallView {
    call: Call,
    form: Form,
    zone: chrono::FixedOffset,
}

impl CallView {
    pub fn load(id: Uuid, env: &mut Env) -> Option<CallView> {
        match env.store.call(id) {
            Ok(call) => Some(CallView {
                form: form_from_fields(&call.fields),
                zone: env.store.zone(),
                call,
            }),
            Err(e) => {
                env.message = Some(Message::error(e.to_string()));
                None
            }
        }
    }
}

impl Screen for CallView {
    fn title(&self, ui: &Ui) -> String {
        ui.t("screen-call")
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::List]
    }

    fn key_bar(&self) -> Vec<Action> {
        vec![Action::Help, Action::Open, Action::NewCall, Action::Back]
    }

    fn handle(&mut self, input: Input, env: &mut Env) -> Nav {
        match input {
            Input::Action(Action::MoveDown) | Input::Action(Action::PageDown) => {
                self.form.next_field();
            }
            Input::Action(Action::MoveUp) | Input::Action(Action::PageUp) => self.form.prev_field(),
            Input::Action(Action::Back) => return Nav::Pop,
            Input::Action(Action::Open) => {
                let focus = self.form.focused().id;
                return Nav::Replace(Box::new(CallForm::edit(&self.call, focus, env)));
            }
            _ => {}
        }
        Nav::Stay
    }

    fn resume(&mut self, env: &mut Env) {
        if let Some(fresh) = CallView::load(self.call.meta.id, env) {
            let focus = self.form.focused().id;
            *self = fresh;
            self.form.focus_on(focus);
        }
    }

    fn place(&self) -> Place {
        Place::CallView(self.call.meta.id)
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let theme = &ui.theme;
        let call = &self.call;
        let started = call
            .started_at()
            .with_timezone(&self.zone)
            .format("%Y-%m-%d %H:%M");
        let ended = call
            .fields
            .ended_at
            .map(|t| t.with_timezone(&self.zone).format("%H:%M").to_string())
            .unwrap_or_else(|| "-".to_owned());
        let mut lines = vec![Line::from(Span::styled(
            fit(
                &ui.i18n.t_args(
                    "call-header",
                    &[
                        ("started", started.to_string().into()),
                        ("ended", ended.into()),
                        ("author", call.meta.author.clone().into()),
                        ("version", call.meta.version.into()),
                    ],
                ),
                area.width as usize,
            ),
            theme.dim(),
        ))];
        if call.possible_victim {
            lines.push(Line::from(Span::styled(
                ui.t("flag-possible-victim"),
                theme.warning(),
            )));
        }
        for action in &call.fields.emergency_actions {
            lines.push(Line::from(Span::styled(
                format!(
                    "{} {}",
                    action.at.with_timezone(&self.zone).format("%H:%M"),
                    ui.i18n.label(&codes::CALL_OUTCOME, &action.outcome)
                ),
                theme.warning(),
            )));
        }
        let height = (lines.len() as u16).min(area.height);
        frame.render_widget(Paragraph::new(lines), Rect { height, ..area });
        let body = Rect {
            y: area.y + height,
            height: area.height - height,
            ..area
        };
        self.form.render(frame, body, ui, true);
    }
}
