//! A person in a case (ctrl-a on a case): a victim, a suspect, a witness… only what the
//! caller knows.

use ratatui::Frame;
use ratatui::layout::Rect;
use uuid::Uuid;

use super::{Env, Input, Nav, Place, Screen, refused};
use crate::model::{PersonField as F, PersonFields, codes};
use crate::tui::action::{Action, Context};
use crate::tui::ui::{Message, Ui};
use crate::tui::widgets::form::{FieldKind, FieldSpec, Form, FormEvent, TextMode};

const FIELDS: &[FieldSpec] = &[
    FieldSpec::code(F::Role.name(), &codes::PERSON_ROLE),
    FieldSpec::new(F::Name.name(), FieldKind::Text { max: 200 }).labelled("person-name"),
    FieldSpec::new(F::Alias.name(), FieldKind::Text { max: 200 }),
    FieldSpec::new(F::Phone.name(), FieldKind::Text { max: 40 }),
    FieldSpec::new(F::AgeYears.name(), FieldKind::Number { max_digits: 3 }),
    FieldSpec::code(F::AgeBand.name(), &codes::AGE_BAND),
    FieldSpec::code(F::Gender.name(), &codes::GENDER),
    FieldSpec::new(F::Citizenship.name(), FieldKind::Countries),
    FieldSpec::code(F::MigrationStatus.name(), &codes::MIGRATION_STATUS),
    FieldSpec::code(F::TraffickingStatus.name(), &codes::TRAFFICKING_STATUS),
    FieldSpec::new(F::Notes.name(), FieldKind::Notes { max: 20_000 }),
];

pub struct PersonForm {
    case_id: Uuid,
    form: Form,
}

impl PersonForm {
    pub fn new(case_id: Uuid) -> PersonForm {
        PersonForm {
            case_id,
            form: Form::new(FIELDS),
        }
    }

    fn save(&mut self, env: &mut Env) -> Nav {
        let f = &self.form;
        let text = |id: F| Some(f.text(id).trim().to_owned()).filter(|t| !t.is_empty());
        let fields = PersonFields {
            role: f.one(F::Role).unwrap_or_default().to_owned(),
            name: text(F::Name),
            alias: text(F::Alias),
            phone: text(F::Phone),
            age_years: text(F::AgeYears).and_then(|a| a.parse().ok()),
            age_band: f.one(F::AgeBand).map(str::to_owned),
            gender: f.one(F::Gender).map(str::to_owned),
            citizenship: f.many(F::Citizenship).to_vec(),
            migration_status: f.one(F::MigrationStatus).map(str::to_owned),
            trafficking_status: f.one(F::TraffickingStatus).map(str::to_owned),
            notes: f.text(F::Notes).to_owned(),
        };
        match env
            .store
            .as_office_mut()
            .and_then(|office| office.add_person(self.case_id, fields))
        {
            Ok(_) => {
                env.message = Some(Message::success(env.ui.t("person-saved")));
                Nav::Pop
            }
            Err(error) => refused(&mut self.form, error, env),
        }
    }
}

impl Screen for PersonForm {
    fn title(&self, ui: &Ui) -> String {
        ui.t("screen-person")
    }

    fn contexts(&self) -> Vec<Context> {
        if self.form.picker_open() {
            vec![Context::Dialog]
        } else {
            vec![Context::Form]
        }
    }

    fn text_mode(&self) -> TextMode {
        self.form.text_mode()
    }

    fn key_bar(&self) -> Vec<Action> {
        let mut actions = self.form.key_bar();
        if !self.form.picker_open() {
            actions.extend([Action::Back, Action::Help]);
        }
        actions
    }

    fn key_hints(&self, ui: &Ui) -> Vec<(String, String)> {
        self.form.key_hints(ui)
    }

    fn enter_opens_list(&self) -> bool {
        self.form.on_list()
    }

    fn handle(&mut self, input: Input, env: &mut Env) -> Nav {
        if self.form.picker_open() {
            self.form.picker_input(input, env.ui);
            return Nav::Stay;
        }
        match input {
            Input::Edit(edit) => {
                self.form.edit(edit, env.ui);
            }
            Input::Action(Action::Save) => return self.save(env),
            Input::Action(Action::Choose) => self.form.open_picker("", env.ui),
            Input::Action(Action::NextField) => {
                if self.form.next_field() == FormEvent::PastEnd {
                    return self.save(env);
                }
            }
            Input::Action(Action::PrevField) => self.form.prev_field(),
            Input::Action(Action::Back) => return Nav::Pop,
            Input::Action(_) => {}
        }
        Nav::Stay
    }

    fn unsaved(&self) -> bool {
        !self.form.is_empty()
    }

    fn filling_in(&self) -> bool {
        true
    }

    fn place(&self) -> Place {
        Place::NewPerson(self.case_id)
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        self.form.render(frame, area, ui, true);
        self.form.render_picker(frame, area, ui);
    }
}
