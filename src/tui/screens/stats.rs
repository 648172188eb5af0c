//! Statistics (F7): the office's figures for a period, as horizontal bars of `#` characters
//! with their labels and counts, laid out by [`crate::i18n::figures`]. The figures are
//! counted by the store when the screen opens or the period changes; drawing only lays out
//! what is already counted. The screen scrolls ([`FiguresView`]).

use ratatui::Frame;
use ratatui::layout::Rect;

use super::figures_view::{FiguresView, PERIOD_FIELDS, Step};
use super::{Env, Input, Nav, Place, Screen};
use crate::i18n::figures::rows;
use crate::tui::action::{Action, Context};
use crate::tui::ui::{Message, Ui};
use crate::tui::widgets::form::{FieldSpec, TextMode};

const FIELDS: &[FieldSpec] = &PERIOD_FIELDS;

pub struct Stats {
    view: FiguresView,
}

impl Stats {
    /// The last weeks up to today, counted.
    pub fn load(env: &mut Env) -> Stats {
        let mut stats = Stats {
            view: FiguresView::new(env, FIELDS),
        };
        stats.reload(env);
        stats
    }

    fn reload(&mut self, env: &mut Env) {
        match env.store.stats(&self.view.period) {
            Ok(figures) => self.view.show(rows(&figures, &env.ui.i18n)),
            Err(e) => env.message = Some(Message::error(e.to_string())),
        }
    }
}

impl Screen for Stats {
    fn title(&self, ui: &Ui) -> String {
        ui.t("screen-stats")
    }

    fn contexts(&self) -> Vec<Context> {
        self.view.contexts()
    }

    fn key_hints(&self, ui: &Ui) -> Vec<(String, String)> {
        self.view.key_hints(ui)
    }

    fn enter_opens_list(&self) -> bool {
        self.view.enter_opens_list()
    }

    fn text_mode(&self) -> TextMode {
        self.view.text_mode()
    }

    fn key_bar(&self) -> Vec<Action> {
        self.view.key_bar()
    }

    fn handle(&mut self, input: Input, env: &mut Env) -> Nav {
        match self.view.handle(input, env) {
            Step::Done(nav) => return nav,
            Step::OpenDialog => self.view.open_dialog(env.ui, &[]),
            Step::Apply => {
                if let Some(period) = self.view.typed_period(env) {
                    self.view.count(period);
                }
            }
        }
        Nav::Stay
    }

    fn tick(&mut self, env: &mut Env) -> Nav {
        if self.view.due() {
            self.reload(env);
            FiguresView::say_counted(env);
        }
        Nav::Stay
    }

    fn resume(&mut self, _env: &mut Env) {
        // Records may have changed meanwhile: the figures stay until counted again.
        self.view.recount();
    }

    /// The period is not kept: after a lock the screen counts the last weeks again.
    fn place(&self) -> Place {
        Place::Stats
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let header = self.view.period_text(ui);
        self.view.render(frame, area, ui, &header);
    }
}
