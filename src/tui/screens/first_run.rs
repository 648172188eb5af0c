//! First run, when there is no store yet: set the office up from central's kit (central's
//! fingerprint shown first, and typed as central reads it out by phone; then the new office
//! key's fingerprint to read back), or open the demo.

use std::path::PathBuf;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Input;
use crate::exchange::enrollment::{OfficeKit, fingerprints_match};
use crate::keys::Passphrase;
use crate::model::text::inert;
use crate::store::OfficeStore;
use crate::tui::action::{Action, Context};
use crate::tui::ui::Ui;
use crate::tui::widgets::form::{FieldKind, FieldSpec, Form, FormEvent, TextMode, fit, wrap};

const KIT_FIELDS: &[FieldSpec] = &[
    FieldSpec::new("kit", FieldKind::Text { max: 400 }).labelled("setup-kit-file"),
    FieldSpec::new("operator", FieldKind::Text { max: 32 }).labelled("setup-operator"),
    FieldSpec::new("passphrase", FieldKind::Secret { max: 200 }).labelled("setup-passphrase"),
    FieldSpec::new("again", FieldKind::Secret { max: 200 }).labelled("setup-passphrase-again"),
];

const FINGERPRINT_FIELDS: &[FieldSpec] =
    &[FieldSpec::new("fingerprint", FieldKind::Text { max: 60 }).labelled("setup-fingerprint")];

/// Work too slow to do between two keys: the app runs it on the next tick.
pub enum SetupJob {
    Demo,
    Office {
        kit: PathBuf,
        /// Central's fingerprint as typed by the lead.
        fingerprint: String,
        operator: String,
        passphrase: Passphrase,
    },
    /// The office is set up and its key's fingerprint was shown: open its store.
    Open {
        store: Box<OfficeStore>,
        file: PathBuf,
    },
}

enum Step {
    Menu(usize),
    Kit(Form),
    /// Central's fingerprint shown; the one central reads out typed in `typed`.
    Confirm {
        form: Box<Form>,
        kit: Box<OfficeKit>,
        typed: Form,
    },
    Working,
    /// Set up: the office key's fingerprint, to read out to central on the same call.
    Done {
        store: Box<OfficeStore>,
        office: String,
        fingerprint: String,
        file: PathBuf,
    },
}

pub struct FirstRun {
    step: Step,
    store_label: String,
    error: Option<String>,
}

impl FirstRun {
    pub fn new(store_label: String) -> FirstRun {
        FirstRun {
            step: Step::Menu(0),
            store_label,
            error: None,
        }
    }

    pub fn contexts(&self) -> Vec<Context> {
        match &self.step {
            Step::Menu(_) => vec![Context::List],
            Step::Kit(_) | Step::Confirm { .. } => vec![Context::Form],
            Step::Working | Step::Done { .. } => vec![Context::Dialog],
        }
    }

    pub fn text_mode(&self) -> TextMode {
        match &self.step {
            Step::Kit(form) | Step::Confirm { typed: form, .. } => form.text_mode(),
            _ => TextMode::None,
        }
    }

    pub fn key_bar(&self) -> Vec<Action> {
        match &self.step {
            Step::Menu(_) => vec![Action::Help, Action::Open, Action::Quit],
            Step::Kit(_) | Step::Confirm { .. } => {
                vec![Action::NextField, Action::Back, Action::Quit]
            }
            Step::Working => Vec::new(),
            Step::Done { .. } => vec![Action::Confirm],
        }
    }

    pub fn failed(&mut self, reason: String) {
        self.error = Some(reason);
        self.step = Step::Menu(0);
    }

    /// The office was set up: show its key's fingerprint before opening it.
    pub fn done(&mut self, store: OfficeStore, office: String, fingerprint: String, file: PathBuf) {
        self.error = None;
        self.step = Step::Done {
            store: Box::new(store),
            office,
            fingerprint,
            file,
        };
    }

    pub fn handle(&mut self, input: Input, ui: &Ui) -> Option<SetupJob> {
        if let (Step::Done { .. }, Input::Action(Action::Confirm)) = (&self.step, &input)
            && let Step::Done { store, file, .. } = std::mem::replace(&mut self.step, Step::Working)
        {
            return Some(SetupJob::Open { store, file });
        }
        match &mut self.step {
            Step::Menu(selected) => match input {
                Input::Action(Action::MoveUp) | Input::Action(Action::First) => *selected = 0,
                Input::Action(Action::MoveDown) | Input::Action(Action::Last) => *selected = 1,
                Input::Action(Action::Open) => {
                    self.error = None;
                    if *selected == 1 {
                        self.step = Step::Working;
                        return Some(SetupJob::Demo);
                    }
                    self.step = Step::Kit(Form::new(KIT_FIELDS));
                }
                _ => {}
            },
            Step::Kit(form) => match input {
                Input::Edit(edit) => {
                    form.edit(edit, ui);
                }
                Input::Action(Action::PrevField) => form.prev_field(),
                Input::Action(Action::Back) => self.step = Step::Menu(0),
                Input::Action(Action::NextField) | Input::Action(Action::Save)
                    if form.next_field() == FormEvent::PastEnd =>
                {
                    self.check_kit(ui);
                }
                _ => {}
            },
            Step::Confirm { form, kit, typed } => match input {
                Input::Edit(edit) => {
                    typed.edit(edit, ui);
                }
                Input::Action(Action::Back) => self.step = Step::Menu(0),
                Input::Action(Action::NextField) | Input::Action(Action::Save) => {
                    let fingerprint = typed.text("fingerprint").trim().to_owned();
                    if !fingerprints_match(&fingerprint, &kit.fingerprint()) {
                        self.error = Some(ui.t("setup-fingerprint-wrong"));
                        return None;
                    }
                    self.error = None;
                    let operator = form.text("operator").trim().to_owned();
                    let kit = PathBuf::from(form.text("kit").trim());
                    let passphrase = Passphrase::new(form.take_secret("passphrase").to_string());
                    form.take_secret("again");
                    self.step = Step::Working;
                    return Some(SetupJob::Office {
                        kit,
                        fingerprint,
                        operator,
                        passphrase,
                    });
                }
                _ => {}
            },
            Step::Working | Step::Done { .. } => {}
        }
        None
    }

    /// Reads the kit and checks the form before showing central's fingerprint.
    fn check_kit(&mut self, ui: &Ui) {
        let Step::Kit(form) = &mut self.step else {
            return;
        };
        let operator = form.text("operator").trim();
        if let Err(e) = crate::store::check_operator_name(operator) {
            self.error = Some(e.to_string());
            form.focus_on("operator");
            return;
        }
        let passphrase = form.text("passphrase");
        if passphrase.chars().count() < crate::keys::MIN_PASSPHRASE_CHARS {
            self.error = Some(ui.t("setup-passphrase-short"));
            form.focus_on("passphrase");
            return;
        }
        if passphrase != form.text("again") {
            self.error = Some(ui.t("setup-passphrase-differ"));
            form.focus_on("again");
            return;
        }
        match OfficeKit::read(&PathBuf::from(form.text("kit").trim())) {
            Ok(kit) => {
                self.error = None;
                let form = std::mem::replace(form, Form::new(KIT_FIELDS));
                self.step = Step::Confirm {
                    form: Box::new(form),
                    kit: Box::new(kit),
                    typed: Form::new(FINGERPRINT_FIELDS),
                };
            }
            Err(e) => {
                self.error = Some(e.to_string());
                form.focus_on("kit");
            }
        }
    }

    pub fn render(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let theme = &ui.theme;
        let width = area.width as usize;
        let title = match &self.step {
            Step::Done { office, .. } => ui
                .i18n
                .t_args("setup-done-office", &[("office", office.clone().into())]),
            _ => ui.t("setup-title"),
        };
        let mut lines = vec![
            Line::from(Span::styled(fit(&title, width), theme.title())),
            Line::from(Span::styled(fit(&self.store_label, width), theme.dim())),
            Line::from(""),
        ];
        let mut form_rows = 0;
        match &self.step {
            Step::Menu(selected) => {
                for (index, id) in ["setup-from-kit", "setup-demo"].iter().enumerate() {
                    let chosen = index == *selected;
                    lines.push(Line::from(Span::styled(
                        format!("{} {}", if chosen { theme.marker() } else { " " }, ui.t(id)),
                        if chosen {
                            theme.selected()
                        } else {
                            theme.plain()
                        },
                    )));
                }
            }
            Step::Kit(_) => {
                lines.extend(
                    wrap(&ui.t("setup-kit-intro"), width)
                        .into_iter()
                        .map(Line::from),
                );
                lines.push(Line::from(""));
                form_rows = KIT_FIELDS.len() as u16;
            }
            Step::Confirm { kit, .. } => {
                // Central's fingerprint first, before any text the kit carries.
                lines.push(Line::from(Span::styled(
                    ui.i18n.t_args(
                        "setup-fingerprint",
                        &[("fingerprint", kit.fingerprint().into())],
                    ),
                    theme.title(),
                )));
                lines.extend(
                    wrap(&ui.t("setup-fingerprint-type"), width)
                        .into_iter()
                        .map(Line::from),
                );
                lines.push(Line::from(""));
                lines.push(Line::from(fit(
                    &ui.i18n.t_args(
                        "setup-kit-office",
                        &[(
                            "office",
                            format!("{} ({})", inert(&kit.office_name), kit.office_id).into(),
                        )],
                    ),
                    width,
                )));
                lines.push(Line::from(""));
                form_rows = FINGERPRINT_FIELDS.len() as u16;
            }
            Step::Done {
                fingerprint, file, ..
            } => {
                lines.push(Line::from(Span::styled(
                    ui.i18n.t_args(
                        "setup-office-fingerprint",
                        &[("fingerprint", fingerprint.clone().into())],
                    ),
                    theme.title(),
                )));
                let read_out = ui.i18n.t_args(
                    "setup-office-fingerprint-read",
                    &[("file", file.display().to_string().into())],
                );
                lines.extend(wrap(&read_out, width).into_iter().map(Line::from));
            }
            Step::Working => lines.push(Line::from(Span::styled(
                ui.t("setup-working"),
                theme.label(),
            ))),
        }
        let top = (lines.len() as u16).min(area.height);
        frame.render_widget(
            Paragraph::new(lines),
            Rect {
                height: top,
                ..area
            },
        );
        let form_area = Rect {
            y: area.y + top,
            height: form_rows.min(area.height - top),
            ..area
        };
        if let Step::Kit(form) | Step::Confirm { typed: form, .. } = &mut self.step {
            form.render(frame, form_area, ui, true);
        }
        if let Some(error) = &self.error {
            let y = form_area.y + form_area.height + 1;
            if y < area.y + area.height {
                let line = Paragraph::new(Span::styled(fit(error, width), theme.error()));
                frame.render_widget(
                    line,
                    Rect {
                        y,
                        height: 1,
                        ..area
                    },
                );
            }
        }
    }
}
