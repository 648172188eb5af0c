//! Central's figures (F7 at central): every office's figures for a period, or one office's,
//! as the rows [`crate::central::figures::rows`] lays out, the same as `linea central stats`
//! prints. Counted when the screen opens or the period changes; the screen scrolls
//! ([`FiguresView`]), and its dialog also asks for an office.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::figures_view::{FiguresView, PRESET, Step};
use super::{Env, Input, Nav, Place, Screen};
use crate::central::figures::{Figure, figures, rows};
use crate::model::text::inert;
use crate::store::Scope;
use crate::tui::action::{Action, Context};
use crate::tui::ui::{Message, Ui};
use crate::tui::widgets::call_filter::{FROM_DAY, TO_DAY};
use crate::tui::widgets::form::{FieldKind, FieldSpec, TextMode};

const OFFICE: FieldSpec =
    FieldSpec::new("office", FieldKind::Text { max: 40 }).labelled("central-office");
const FIELDS: &[FieldSpec] = &[PRESET, FROM_DAY, TO_DAY, OFFICE];

pub struct CentralStats {
    view: FiguresView,
    /// Every office, or the one asked for.
    office: Option<String>,
    /// What the header says of it.
    office_line: String,
}

impl CentralStats {
    /// Every office, the last weeks up to today, counted.
    pub fn load(env: &mut Env) -> CentralStats {
        let mut screen = CentralStats {
            view: FiguresView::new(env, FIELDS),
            office: None,
            office_line: String::new(),
        };
        screen.reload(env);
        screen
    }

    fn reload(&mut self, env: &mut Env) {
        let scope = Scope {
            period: self.view.period,
            office: self.office.clone(),
        };
        match env
            .store
            .as_central()
            .and_then(|central| figures(central, &scope))
        {
            Ok(figures) => {
                let i18n = &env.ui.i18n;
                self.office_line = match &figures.office {
                    Some(office) => {
                        let label = figures.label(Figure::CallsByOffice, office, i18n);
                        i18n.t_args("central-stats-office", &[("office", inert(&label).into())])
                    }
                    None => i18n.t("central-stats-all-offices"),
                };
                self.view.show(rows(&figures, i18n));
            }
            Err(e) => env.message = Some(Message::error(e.to_string())),
        }
    }

    /// Counts the period and office typed; a bad date or an unknown office leaves the dialog
    /// open, saying why.
    fn apply(&mut self, env: &mut Env) {
        let office = self.view.typed("office").trim().to_owned();
        let office = (!office.is_empty()).then_some(office);
        if let Some(id) = &office
            && !matches!(
                env.store
                    .as_central()
                    .and_then(|central| central.office(id)),
                Ok(Some(_))
            )
        {
            env.message = Some(Message::error(env.ui.i18n.t_args(
                "central-stats-unknown-office",
                &[("office", inert(id).into())],
            )));
            return;
        }
        if let Some(period) = self.view.typed_period(env) {
            self.office = office;
            self.view.count(period);
        }
    }
}

impl Screen for CentralStats {
    fn title(&self, ui: &Ui) -> String {
        ui.t("central-stats-title")
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
            Step::OpenDialog => {
                let office = self.office.clone().unwrap_or_default();
                self.view.open_dialog(env.ui, &[("office", &office)]);
            }
            Step::Apply => self.apply(env),
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
        // A sync may have imported batches meanwhile.
        self.view.recount();
    }

    fn place(&self) -> Place {
        Place::Stats
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let header = format!("{}  {}", self.office_line, self.view.period_text(ui));
        self.view.render(frame, area, ui, &header);
    }
}
