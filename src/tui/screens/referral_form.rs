//! A referral (F4) from the call or case on screen: the institution suggested by the
//! caller's place and the type needed, the basis for sharing (an exception to consent
//! needs the office lead's passphrase on screen), when and how it was sent.

use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use uuid::Uuid;

use super::{Env, Input, Nav, Place, ReferralFrom, Screen, refused};
use crate::keys::Passphrase;
use crate::model::directory::Directory;
use crate::model::{
    Place as ModelPlace, ReferralField as F, ReferralFields, codes, flagging, is_exception,
};
use crate::tui::action::{Action, Context};
use crate::tui::ui::{Message, Ui};
use crate::tui::widgets::form::{FieldKind, FieldSpec, Form, FormEvent, TextMode, fit, wrap};

const FIELDS: &[FieldSpec] = &[
    FieldSpec::code(F::TargetType.name(), &codes::REFERRAL_TARGET_TYPE),
    FieldSpec::new(F::Institution.name(), FieldKind::Suggest),
    FieldSpec::code(F::Reason.name(), &codes::REFERRAL_REASON).labelled("referral_reason"),
    FieldSpec::code(F::SharingBasis.name(), &codes::SHARING_BASIS),
    FieldSpec::new(F::SentAt.name(), FieldKind::Text { max: 16 }),
    FieldSpec::code(F::Method.name(), &codes::REFERRAL_METHOD),
    FieldSpec::new(F::Reference.name(), FieldKind::Text { max: 200 }),
    FieldSpec::new(F::DueAt.name(), FieldKind::Text { max: 16 }),
    FieldSpec::new(F::Notes.name(), FieldKind::Notes { max: 20_000 }),
];

const LEAD_FIELDS: &[FieldSpec] =
    &[FieldSpec::new("passphrase", FieldKind::Secret { max: 200 }).labelled("lead-passphrase")];

const TIME_FORMAT: &str = "%Y-%m-%d %H:%M";

pub struct ReferralForm {
    form: Form,
    call_id: Option<Uuid>,
    case_id: Option<Uuid>,
    place: Option<ModelPlace>,
    zone: FixedOffset,
    /// The lead's passphrase being typed, when the basis is an exception.
    lead: Option<Form>,
    /// The lead's passphrase is checked on the next tick (scrypt takes a second).
    checking: Option<Passphrase>,
    /// Saved, it goes back to the call still on the line rather than to the referral.
    back_to_call: bool,
}

impl ReferralForm {
    /// A referral from a call (and its case, if it has one); from a call still on the line,
    /// saving it goes back to the call's form.
    pub fn for_call(call: &crate::model::Call, on_line: bool, env: &Env) -> ReferralForm {
        let mut screen = ReferralForm::new(
            Some(call.meta.id),
            call.fields.case_id,
            call.fields.caller_place.clone(),
            env,
        );
        let basis = flagging::proposed_sharing_basis(&call.fields);
        screen.form.set_one(F::SharingBasis, Some(basis));
        screen.back_to_call = on_line;
        screen
    }

    /// A referral from a case; the place is that of its first call, if known.
    pub fn for_case(case_id: Uuid, place: Option<ModelPlace>, env: &Env) -> ReferralForm {
        ReferralForm::new(None, Some(case_id), place, env)
    }

    fn new(
        call_id: Option<Uuid>,
        case_id: Option<Uuid>,
        place: Option<ModelPlace>,
        env: &Env,
    ) -> ReferralForm {
        let zone = env.store.zone();
        let mut form = Form::new(FIELDS);
        form.set_text(
            F::SentAt,
            &env.now.with_timezone(&zone).format(TIME_FORMAT).to_string(),
        );
        form.set_one(F::Method, Some("PHONE"));
        form.set_one(F::SharingBasis, Some("CONSENT"));
        let mut screen = ReferralForm {
            form,
            call_id,
            case_id,
            place,
            zone,
            lead: None,
            checking: None,
            back_to_call: false,
        };
        screen.suggest(&env.ui.reference.directory);
        screen
    }

    /// Institutions for the place and the type chosen, most local first, from the applied
    /// reference pack's directory (or the built-in one).
    fn suggest(&mut self, directory: &Directory) {
        let target = self.form.one(F::TargetType);
        let options = directory
            .suggest(self.place.as_ref(), target)
            .into_iter()
            .map(|institution| institution.name.to_string())
            .collect();
        self.form.set_options(options);
    }

    fn parse_time(&self, id: F, env: &mut Env) -> Result<Option<DateTime<Utc>>, ()> {
        let text = self.form.text(id).trim();
        if text.is_empty() {
            return Ok(None);
        }
        match NaiveDateTime::parse_from_str(text, TIME_FORMAT)
            .ok()
            .and_then(|t| t.and_local_timezone(self.zone).single())
        {
            Some(t) => Ok(Some(t.with_timezone(&Utc))),
            None => {
                env.message = Some(Message::error(
                    env.ui
                        .i18n
                        .t_args("referral-bad-time", &[("text", text.to_owned().into())]),
                ));
                Err(())
            }
        }
    }

    fn fields(&self, env: &mut Env) -> Option<ReferralFields> {
        let sent_at = self.parse_time(F::SentAt, env).ok()?;
        let due_at = self.parse_time(F::DueAt, env).ok()?;
        let one = |id: F| self.form.one(id).map(str::to_owned);
        Some(ReferralFields {
            call_id: self.call_id,
            case_id: self.case_id,
            target_type: one(F::TargetType).unwrap_or_default(),
            institution: one(F::Institution).unwrap_or_default(),
            reason: one(F::Reason).unwrap_or_default(),
            sharing_basis: one(F::SharingBasis).unwrap_or_default(),
            sent_at,
            method: one(F::Method),
            reference: Some(self.form.text(F::Reference).trim().to_owned())
                .filter(|r| !r.is_empty()),
            due_at,
            notes: self.form.text(F::Notes).to_owned(),
            ..ReferralFields::default()
        })
    }

    fn save(
        &mut self,
        confirmation: Option<&crate::store::LeadConfirmation>,
        env: &mut Env,
    ) -> Nav {
        let Some(fields) = self.fields(env) else {
            return Nav::Stay;
        };
        if is_exception(&fields.sharing_basis) && confirmation.is_none() {
            self.lead = Some(Form::new(LEAD_FIELDS));
            return Nav::Stay;
        }
        match env
            .store
            .as_office_mut()
            .and_then(|office| office.add_referral(fields, confirmation))
        {
            Ok(referral) => {
                env.message = Some(Message::success(env.ui.t("referral-saved")));
                if self.back_to_call {
                    Nav::Pop
                } else {
                    Nav::Replace(Place::Referral(referral.meta.id))
                }
            }
            Err(error) => refused(&mut self.form, error, env),
        }
    }
}

impl Screen for ReferralForm {
    fn title(&self, ui: &Ui) -> String {
        ui.t("screen-new-referral")
    }

    fn contexts(&self) -> Vec<Context> {
        match &self.lead {
            Some(_) => vec![Context::Form],
            None if self.form.picker_open() => vec![Context::Dialog],
            None => vec![Context::Form],
        }
    }

    fn text_mode(&self) -> TextMode {
        match &self.lead {
            Some(lead) => lead.text_mode(),
            None => self.form.text_mode(),
        }
    }

    fn key_bar(&self) -> Vec<Action> {
        if self.lead.is_some() {
            return vec![Action::NextField, Action::Back];
        }
        let mut actions = self.form.key_bar();
        if !self.form.picker_open() {
            actions.extend([Action::Back, Action::Help]);
        }
        actions
    }

    fn key_hints(&self, ui: &Ui) -> Vec<(String, String)> {
        match self.lead {
            Some(_) => Vec::new(),
            None => self.form.key_hints(ui),
        }
    }

    fn enter_opens_list(&self) -> bool {
        self.lead.is_none() && self.form.on_list()
    }

    fn handle(&mut self, input: Input, env: &mut Env) -> Nav {
        if let Some(lead) = self.lead.as_mut() {
            match input {
                Input::Edit(edit) => {
                    lead.edit(edit, env.ui);
                }
                Input::Action(Action::NextField) | Input::Action(Action::Save) => {
                    let secret = lead.take_secret("passphrase");
                    if !secret.is_empty() {
                        self.checking = Some(Passphrase::new(secret.to_string()));
                        env.message = Some(Message::info(env.ui.t("referral-checking-lead")));
                    }
                }
                Input::Action(Action::Back) => self.lead = None,
                _ => {}
            }
            return Nav::Stay;
        }
        if self.form.picker_open() {
            if self.form.picker_input(input, env.ui) == FormEvent::Changed {
                // A new type of institution: new suggestions.
                self.suggest(&env.ui.reference.directory);
            }
            return Nav::Stay;
        }
        match input {
            Input::Edit(edit) => {
                self.form.edit(edit, env.ui);
            }
            Input::Action(Action::Save) => return self.save(None, env),
            Input::Action(Action::Choose) => self.form.open_picker("", env.ui),
            Input::Action(Action::NextField) => {
                if self.form.next_field() == FormEvent::PastEnd {
                    return self.save(None, env);
                }
            }
            Input::Action(Action::PrevField) => self.form.prev_field(),
            Input::Action(Action::Back) => return Nav::Pop,
            Input::Action(_) => {}
        }
        Nav::Stay
    }

    /// The lead's passphrase is checked here, after "Checking…" is on screen.
    fn tick(&mut self, env: &mut Env) -> Nav {
        let Some(passphrase) = self.checking.take() else {
            return Nav::Stay;
        };
        match env.store.confirm_as_lead(&passphrase) {
            Ok(confirmation) => {
                self.lead = None;
                self.save(Some(&confirmation), env)
            }
            Err(_) => {
                env.message = Some(Message::error(env.ui.t("referral-lead-refused")));
                self.lead = Some(Form::new(LEAD_FIELDS));
                Nav::Stay
            }
        }
    }

    fn unsaved(&self) -> bool {
        self.form.one(F::TargetType).is_some() || self.form.one(F::Institution).is_some()
    }

    fn filling_in(&self) -> bool {
        true
    }

    fn place(&self) -> Place {
        // What was typed is not kept across a lock (a new form comes back), nor is it
        // any other record's place: going to the call again finds the call, not this form.
        match (self.call_id, self.case_id) {
            (Some(id), _) if self.back_to_call => Place::NewReferral(ReferralFrom::CallOnLine(id)),
            (Some(id), _) => Place::NewReferral(ReferralFrom::Call(id)),
            (None, Some(id)) => Place::NewReferral(ReferralFrom::Case {
                id,
                place: self.place.clone(),
            }),
            (None, None) => Place::Home,
        }
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let theme = &ui.theme;
        let mut top = Vec::new();
        if let Some(basis) = self.form.one(F::SharingBasis)
            && is_exception(basis)
        {
            for line in wrap(&ui.t("referral-exception-note"), area.width as usize) {
                top.push(Line::from(Span::styled(line, theme.warning())));
            }
        }
        let height = (top.len() as u16).min(area.height);
        frame.render_widget(Paragraph::new(top), Rect { height, ..area });
        let body = Rect {
            y: area.y + height,
            height: area.height - height,
            ..area
        };
        self.form.render(frame, body, ui, self.lead.is_none());
        self.form.render_picker(frame, area, ui);
        if let Some(lead) = self.lead.as_mut() {
            let rows = Rect {
                y: area.y + area.height.saturating_sub(3),
                height: 3.min(area.height),
                ..area
            };
            frame.render_widget(ratatui::widgets::Clear, rows);
            let question = fit(&ui.t("referral-lead-question"), area.width as usize);
            frame.render_widget(
                Paragraph::new(Span::styled(question, theme.error())),
                Rect { height: 1, ..rows },
            );
            lead.render(
                frame,
                Rect {
                    y: rows.y + 1,
                    height: 1,
                    ..rows
                },
                ui,
                true,
            );
        }
    }
}
