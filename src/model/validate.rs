//! Validation: every record is checked here before the store writes it. Each error names the
//! field and, for a code, lists the valid codes, so the operator or script can fix it.
//!
//! Codes are checked against the built-in lists plus the extensions of the applied reference
//! pack (the `*_with` functions; the store passes its own). The plain functions know the
//! built-in lists only.

use chrono::{DateTime, Datelike, TimeDelta, Timelike, Utc};

use super::codes::{self, CodeList};
use super::phone::PhoneHash;
use super::{
    CallField as F, CallFields, CaseFields, CodeExtensions, PersonField as P, PersonFields, Record,
    ReferralField as R, ReferralFields, countries, flagging, next_statuses,
};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    #[error("{field} is required{hint}")]
    Missing { field: &'static str, hint: String },
    #[error("{field}: unknown code '{code}'; valid codes: {valid}")]
    UnknownCode {
        field: &'static str,
        code: String,
        valid: String,
    },
    #[error(
        "{field}: a non-substantive call ({reason}) records no personal data; leave {field} out"
    )]
    PersonalDataOnNonSubstantive { field: &'static str, reason: String },
    #[error("{field}: {when} is in the future; give the time it happened (UTC, RFC 3339)")]
    InFuture {
        field: &'static str,
        when: DateTime<Utc>,
    },
    #[error("{field}: {when} is before the call started ({call_started})")]
    BeforeCall {
        field: &'static str,
        when: DateTime<Utc>,
        call_started: DateTime<Utc>,
    },
    #[error(
        "sharing_basis is required: record CONSENT, or the exception that allows sharing without it (MINOR_PROTECTION, IMMINENT_DANGER, LEGAL_OBLIGATION)"
    )]
    NoSharingBasis,
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
}

impl ValidationError {
    /// The field the error is about, so a form can put the cursor there.
    pub fn field(&self) -> &'static str {
        match self {
            ValidationError::Missing { field, .. }
            | ValidationError::UnknownCode { field, .. }
            | ValidationError::PersonalDataOnNonSubstantive { field, .. }
            | ValidationError::InFuture { field, .. }
            | ValidationError::BeforeCall { field, .. }
            | ValidationError::Invalid { field, .. } => field,
            ValidationError::NoSharingBasis => "sharing_basis",
        }
    }
}

/// Clocks on office computers drift; a minute or two ahead is not "the future".
const CLOCK_SKEW: TimeDelta = TimeDelta::minutes(2);

pub const MAX_NAME: usize = 200;
pub const MAX_PHONE: usize = 40;
pub const MAX_NOTES: usize = 20_000;
pub const MAX_SHORT_TEXT: usize = 200;

/// Non-substantive reasons (silent, prank, wrong number…): no personal data, no case.
pub fn is_non_substantive(reason: &str) -> bool {
    reason.starts_with("NS_")
}

/// The lists codes are checked against: the built-in ones and the extensions in force.
#[derive(Clone, Copy)]
struct Lists<'a>(&'a CodeExtensions);

impl Lists<'_> {
    fn required_code(
        self,
        field: &'static str,
        value: &str,
        list: &CodeList,
    ) -> Result<String, ValidationError> {
        let value = value.trim();
        if value.is_empty() {
            return Err(ValidationError::Missing {
                field,
                hint: format!(" (one of: {})", self.valid_codes(list)),
            });
        }
        self.check_code(field, value, list)?;
        Ok(value.to_owned())
    }

    fn check_code(
        self,
        field: &'static str,
        value: &str,
        list: &CodeList,
    ) -> Result<(), ValidationError> {
        if self.0.accepts(list, value) {
            Ok(())
        } else {
            Err(ValidationError::UnknownCode {
                field,
                code: value.to_owned(),
                valid: self.valid_codes(list),
            })
        }
    }

    fn optional_code(
        self,
        field: &'static str,
        value: &Option<String>,
        list: &CodeList,
    ) -> Result<(), ValidationError> {
        match value {
            Some(code) => self.check_code(field, code, list),
            None => Ok(()),
        }
    }

    fn code_set(
        self,
        field: &'static str,
        values: &mut Vec<String>,
        list: &CodeList,
    ) -> Result<(), ValidationError> {
        for value in values.iter() {
            self.check_code(field, value, list)?;
        }
        values.sort();
        values.dedup();
        Ok(())
    }

    fn valid_codes(self, list: &CodeList) -> String {
        self.0.active_codes(list).collect::<Vec<_>>().join(", ")
    }
}

/// The built-in lists alone.
fn built_in() -> Lists<'static> {
    Lists(CodeExtensions::none())
}

fn country_set(field: &'static str, values: &mut Vec<String>) -> Result<(), ValidationError> {
    for value in values.iter() {
        if countries::country(value).is_none() {
            return Err(ValidationError::Invalid {
                field,
                message: format!(
                    "'{value}' is not an ISO 3166-1 alpha-2 country code (e.g. PE, VE; ZZ unknown, XX stateless)"
                ),
            });
        }
    }
    values.sort();
    values.dedup();
    Ok(())
}

/// Trims a free-text field, drops it when empty, and enforces its length.
fn text(
    field: &'static str,
    value: &mut Option<String>,
    max: usize,
) -> Result<(), ValidationError> {
    if let Some(text) = value.as_mut() {
        *text = text.trim().to_owned();
        check_length(field, text, max)?;
        if text.is_empty() {
            *value = None;
        }
    }
    Ok(())
}

fn check_length(field: &'static str, text: &str, max: usize) -> Result<(), ValidationError> {
    if text.chars().count() > max {
        return Err(ValidationError::Invalid {
            field,
            message: format!("longer than {max} characters"),
        });
    }
    if text.contains('\0') {
        return Err(ValidationError::Invalid {
            field,
            message: "contains a NUL character".into(),
        });
    }
    Ok(())
}

fn phone(field: &'static str, value: &mut Option<String>) -> Result<(), ValidationError> {
    text(field, value, MAX_PHONE)?;
    if let Some(number) = value {
        let ok = number
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().#*".contains(c));
        if !ok || !number.chars().any(|c| c.is_ascii_digit()) {
            return Err(ValidationError::Invalid {
                field,
                message: format!("'{number}' is not a phone number (digits, spaces, + - ( ) only)"),
            });
        }
    }
    Ok(())
}

fn phone_hashes(field: &'static str, hashes: &[PhoneHash]) -> Result<(), ValidationError> {
    let message = if hashes.len() > super::phone::MAX_HASHES {
        format!(
            "{} hashes of one number; at most {}",
            hashes.len(),
            super::phone::MAX_HASHES
        )
    } else if let Some(bad) = hashes.iter().find(|h| !h.is_well_formed()) {
        format!(
            "'{}' under key '{}' is not a phone hash",
            super::text::inert(&bad.hash),
            super::text::inert(&bad.key)
        )
    } else {
        return Ok(());
    };
    Err(ValidationError::Invalid { field, message })
}

/// Nothing linea records happened before this year: a year 0000 or 1970 is a clock or a
/// script gone wrong.
const EARLIEST_YEAR: i32 = 2000;

/// An instant a record may carry: from 2000 on, and never a leap second (23:59:60, which
/// other programs reading the record may refuse or take for the next minute).
pub fn instant(field: &'static str, when: DateTime<Utc>) -> Result<(), ValidationError> {
    let message = if when.year() < EARLIEST_YEAR {
        format!("{when} is before {EARLIEST_YEAR}; give the time it happened (UTC, RFC 3339)")
    } else if when.nanosecond() >= 1_000_000_000 {
        format!("{when} is a leap second (:60); give the second before or after it (UTC, RFC 3339)")
    } else {
        return Ok(());
    };
    Err(ValidationError::Invalid { field, message })
}

/// A plausible instant (see [`instant`]) that is not in the future.
fn not_future(
    field: &'static str,
    when: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), ValidationError> {
    match when {
        Some(when) if when > now + CLOCK_SKEW => Err(ValidationError::InFuture { field, when }),
        Some(when) => instant(field, when),
        None => Ok(()),
    }
}

fn age(field: &'static str, age_years: Option<u8>) -> Result<(), ValidationError> {
    match age_years {
        Some(age) if age > 120 => Err(ValidationError::Invalid {
            field,
            message: format!("{age} is not a plausible age in years"),
        }),
        _ => Ok(()),
    }
}

/// Checks a call against the built-in lists and returns it completed (see [`call_with`]).
pub fn call(fields: CallFields, now: DateTime<Utc>) -> Result<CallFields, ValidationError> {
    call_with(fields, CodeExtensions::none(), now)
}

/// Checks a call against the built-in lists and `extensions`, and returns it completed:
/// defaults filled, codes sorted, urgency raised for minors at risk.
pub fn call_with(
    mut fields: CallFields,
    extensions: &CodeExtensions,
    now: DateTime<Utc>,
) -> Result<CallFields, ValidationError> {
    let lists = Lists(extensions);
    fields.channel =
        lists.required_code(F::Channel.name(), &fields.channel, &codes::CONTACT_CHANNEL)?;
    fields.caller_type = lists.required_code(
        F::CallerType.name(),
        &fields.caller_type,
        &codes::CALLER_TYPE,
    )?;
    fields.reason =
        lists.required_code(F::Reason.name(), &fields.reason, &codes::CONTACT_REASON)?;
    if fields.urgency.trim().is_empty() {
        fields.urgency = "U4_ROUTINE".into();
    }
    fields.urgency = lists.required_code(F::Urgency.name(), &fields.urgency, &codes::URGENCY)?;

    let started = fields.started_at.unwrap_or(now);
    not_future(F::StartedAt.name(), Some(started), now)?;
    fields.started_at = Some(started);
    not_future(F::EndedAt.name(), fields.ended_at, now)?;
    if let Some(ended) = fields.ended_at
        && ended < started
    {
        return Err(ValidationError::BeforeCall {
            field: F::EndedAt.name(),
            when: ended,
            call_started: started,
        });
    }

    text(F::CallerName.name(), &mut fields.caller_name, MAX_NAME)?;
    phone(F::CallerPhone.name(), &mut fields.caller_phone)?;
    phone_hashes(F::CallerPhoneHashes.name(), &fields.caller_phone_hashes)?;
    lists.optional_code(F::Language.name(), &fields.language, &codes::LANGUAGE)?;
    lists.optional_code(
        F::RecruitmentMethod.name(),
        &fields.recruitment_method,
        &codes::RECRUITMENT_METHOD,
    )?;
    lists.optional_code(
        F::RelationshipToTrafficker.name(),
        &fields.relationship_to_trafficker,
        &codes::RELATIONSHIP_TO_TRAFFICKER,
    )?;
    lists.code_set(
        F::ExploitationTypes.name(),
        &mut fields.exploitation_types,
        &codes::EXPLOITATION_TYPE,
    )?;
    lists.code_set(
        F::SexualExploitationTypes.name(),
        &mut fields.sexual_exploitation_types,
        &codes::SEXUAL_EXPLOITATION_TYPE,
    )?;
    lists.code_set(
        F::LabourSectors.name(),
        &mut fields.labour_sectors,
        &codes::LABOUR_SECTOR,
    )?;
    lists.code_set(
        F::ContextTags.name(),
        &mut fields.context_tags,
        &codes::CONTEXT_TAG,
    )?;
    lists.code_set(
        F::MeansOfControl.name(),
        &mut fields.means_of_control,
        &codes::MEANS_OF_CONTROL,
    )?;
    for (indicator, answer) in &fields.indicators {
        lists.check_code(F::Indicators.name(), indicator, &codes::INDICATOR)?;
        lists.check_code(F::Indicators.name(), answer, &codes::INDICATOR_ANSWER)?;
    }
    age(F::AgeYears.name(), fields.age_years)?;
    lists.optional_code(F::AgeBand.name(), &fields.age_band, &codes::AGE_BAND)?;
    lists.optional_code(F::Gender.name(), &fields.gender, &codes::GENDER)?;
    country_set(F::Citizenship.name(), &mut fields.citizenship)?;
    lists.optional_code(
        F::MigrationStatus.name(),
        &fields.migration_status,
        &codes::MIGRATION_STATUS,
    )?;
    lists.code_set(
        F::InformationGiven.name(),
        &mut fields.information_given,
        &codes::INFO_TOPIC,
    )?;
    lists.code_set(
        F::Outcomes.name(),
        &mut fields.outcomes,
        &codes::CALL_OUTCOME,
    )?;
    for check in &fields.emergency_checklist {
        if !super::EMERGENCY_CHECKS.contains(&check.as_str()) {
            return Err(ValidationError::UnknownCode {
                field: F::EmergencyChecklist.name(),
                code: check.clone(),
                valid: super::EMERGENCY_CHECKS.join(", "),
            });
        }
    }
    fields.emergency_checklist.sort();
    fields.emergency_checklist.dedup();
    for action in &mut fields.emergency_actions {
        text(F::EmergencyActions.name(), &mut action.target, MAX_NAME)?;
        if !super::EMERGENCY_OUTCOMES.contains(&action.outcome.as_str()) {
            return Err(ValidationError::UnknownCode {
                field: F::EmergencyActions.name(),
                code: action.outcome.clone(),
                valid: super::EMERGENCY_OUTCOMES.join(", "),
            });
        }
        not_future(F::EmergencyActions.name(), Some(action.at), now)?;
        if action.at < started {
            return Err(ValidationError::BeforeCall {
                field: F::EmergencyActions.name(),
                when: action.at,
                call_started: started,
            });
        }
        // An action taken is an outcome of the call.
        if !fields.outcomes.contains(&action.outcome) {
            fields.outcomes.push(action.outcome.clone());
        }
    }
    fields.outcomes.sort();
    check_length(F::Notes.name(), &fields.notes, MAX_NOTES)?;
    fields.notes = fields.notes.trim_end().to_owned();

    if is_non_substantive(&fields.reason)
        && let Some(field) = personal_field_present(&fields)
    {
        return Err(ValidationError::PersonalDataOnNonSubstantive {
            field,
            reason: fields.reason.clone(),
        });
    }

    if let Some(floor) = flagging::urgency_floor(&fields)
        && urgency_rank(&fields.urgency) > urgency_rank(floor)
    {
        fields.urgency = floor.to_owned();
    }
    Ok(fields)
}

/// U1 is 1, U4 is 4: a lower rank is more urgent.
pub fn urgency_rank(code: &str) -> u8 {
    code.as_bytes().get(1).map(|d| d - b'0').unwrap_or(9)
}

/// The first field that holds personal data or the situation of a person.
fn personal_field_present(fields: &CallFields) -> Option<&'static str> {
    let checks: [(&'static str, bool); 16] = [
        (F::CallerName.name(), fields.caller_name.is_some()),
        (F::CallerPhone.name(), fields.caller_phone.is_some()),
        (F::CaseId.name(), fields.case_id.is_some()),
        (
            F::RecruitmentPlace.name(),
            fields.recruitment_place.is_some(),
        ),
        (F::TransitPlaces.name(), !fields.transit_places.is_empty()),
        (
            F::ExploitationPlace.name(),
            fields.exploitation_place.is_some(),
        ),
        (
            F::ExploitationTypes.name(),
            !fields.exploitation_types.is_empty(),
        ),
        (
            F::MeansOfControl.name(),
            !fields.means_of_control.is_empty(),
        ),
        (F::Indicators.name(), !fields.indicators.is_empty()),
        (F::AgeYears.name(), fields.age_years.is_some()),
        (F::AgeBand.name(), fields.age_band.is_some()),
        (F::Gender.name(), fields.gender.is_some()),
        (F::Citizenship.name(), !fields.citizenship.is_empty()),
        (F::MigrationStatus.name(), fields.migration_status.is_some()),
        (
            F::RelationshipToTrafficker.name(),
            fields.relationship_to_trafficker.is_some(),
        ),
        (
            F::RecruitmentMethod.name(),
            fields.recruitment_method.is_some(),
        ),
    ];
    checks
        .into_iter()
        .find(|(_, present)| *present)
        .map(|(field, _)| field)
}

/// Checks a referral against the built-in lists (see [`referral_with`]).
pub fn referral(
    fields: ReferralFields,
    call_started: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<ReferralFields, ValidationError> {
    referral_with(fields, CodeExtensions::none(), call_started, now)
}

/// Checks a referral against the built-in lists and `extensions`. `call_started` is when
/// the call it comes from started, if any.
pub fn referral_with(
    mut fields: ReferralFields,
    extensions: &CodeExtensions,
    call_started: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<ReferralFields, ValidationError> {
    let lists = Lists(extensions);
    if fields.call_id.is_none() && fields.case_id.is_none() {
        return Err(ValidationError::Missing {
            field: R::CallId.name(),
            hint: " (or case_id): a referral comes from a call or a case".into(),
        });
    }
    fields.target_type = lists.required_code(
        R::TargetType.name(),
        &fields.target_type,
        &codes::REFERRAL_TARGET_TYPE,
    )?;
    fields.institution = fields.institution.trim().to_owned();
    if fields.institution.is_empty() {
        return Err(ValidationError::Missing {
            field: R::Institution.name(),
            hint: " (the name of the unit or office referred to)".into(),
        });
    }
    check_length(R::Institution.name(), &fields.institution, MAX_SHORT_TEXT)?;
    fields.reason =
        lists.required_code(R::Reason.name(), &fields.reason, &codes::REFERRAL_REASON)?;
    if fields.sharing_basis.trim().is_empty() {
        return Err(ValidationError::NoSharingBasis);
    }
    fields.sharing_basis = lists.required_code(
        R::SharingBasis.name(),
        &fields.sharing_basis,
        &codes::SHARING_BASIS,
    )?;
    lists.optional_code(R::Method.name(), &fields.method, &codes::REFERRAL_METHOD)?;
    text(R::Reference.name(), &mut fields.reference, MAX_SHORT_TEXT)?;
    check_length(R::Notes.name(), &fields.notes, MAX_NOTES)?;
    fields.notes = fields.notes.trim_end().to_owned();

    not_future(R::SentAt.name(), fields.sent_at, now)?;
    // Screens give times to the minute: a referral sent in the minute the call began is not
    // before it.
    let call_started = call_started.map(|started| {
        started
            .with_second(0)
            .and_then(|t| t.with_nanosecond(0))
            .unwrap_or(started)
    });
    if let (Some(sent), Some(started)) = (fields.sent_at, call_started)
        && sent < started
    {
        return Err(ValidationError::BeforeCall {
            field: R::SentAt.name(),
            when: sent,
            call_started: started,
        });
    }
    if let Some(due) = fields.due_at {
        instant(R::DueAt.name(), due)?;
    }
    if let (Some(due), Some(started)) = (fields.due_at, call_started)
        && due < started
    {
        return Err(ValidationError::BeforeCall {
            field: R::DueAt.name(),
            when: due,
            call_started: started,
        });
    }
    let status = match fields.status.take() {
        Some(status) => lists.required_code(R::Status.name(), &status, &codes::REFERRAL_STATUS)?,
        None if fields.sent_at.is_some() => "SENT".to_owned(),
        None => "DRAFT".to_owned(),
    };
    fields.status = Some(status);
    Ok(fields)
}

/// Checks a referral status code and the note that goes with it.
pub fn status_change(status: &str, note: &str) -> Result<(), ValidationError> {
    // No pack extends referral_status: its codes drive follow-up.
    let lists = built_in();
    lists.check_code("status", status, &codes::REFERRAL_STATUS)?;
    check_length("note", note, MAX_NOTES)
}

/// Checks that a referral at `from` may become `to` (the lifecycle of [`next_statuses`]).
pub fn status_step(from: &str, to: &str) -> Result<(), ValidationError> {
    let next = next_statuses(from);
    if next.contains(&to) {
        return Ok(());
    }
    let message = if next.is_empty() {
        format!("the referral is {from}, which is final; make a new referral instead")
    } else {
        format!(
            "a referral that is {from} cannot become {to}; it can become {}",
            next.join(", ")
        )
    };
    Err(ValidationError::Invalid {
        field: "status",
        message,
    })
}

pub fn case(mut fields: CaseFields) -> Result<CaseFields, ValidationError> {
    // No pack extends case_status: its codes decide what is closed and purged.
    let lists = built_in();
    if fields.status.trim().is_empty() {
        fields.status = "ACTIVE".into();
    }
    fields.status = lists.required_code("status", &fields.status, &codes::CASE_STATUS)?;
    fields.title = fields.title.trim().to_owned();
    check_length("title", &fields.title, MAX_SHORT_TEXT)?;
    check_length("notes", &fields.notes, MAX_NOTES)?;
    Ok(fields)
}

/// Checks a person against the built-in lists (see [`person_with`]).
pub fn person(fields: PersonFields) -> Result<PersonFields, ValidationError> {
    person_with(fields, CodeExtensions::none())
}

/// Checks a person against the built-in lists and `extensions`.
pub fn person_with(
    mut fields: PersonFields,
    extensions: &CodeExtensions,
) -> Result<PersonFields, ValidationError> {
    let lists = Lists(extensions);
    fields.role = lists.required_code(P::Role.name(), &fields.role, &codes::PERSON_ROLE)?;
    text(P::Name.name(), &mut fields.name, MAX_NAME)?;
    text(P::Alias.name(), &mut fields.alias, MAX_NAME)?;
    phone(P::Phone.name(), &mut fields.phone)?;
    age(P::AgeYears.name(), fields.age_years)?;
    lists.optional_code(P::AgeBand.name(), &fields.age_band, &codes::AGE_BAND)?;
    lists.optional_code(P::Gender.name(), &fields.gender, &codes::GENDER)?;
    country_set(P::Citizenship.name(), &mut fields.citizenship)?;
    lists.optional_code(
        P::MigrationStatus.name(),
        &fields.migration_status,
        &codes::MIGRATION_STATUS,
    )?;
    lists.optional_code(
        P::TraffickingStatus.name(),
        &fields.trafficking_status,
        &codes::TRAFFICKING_STATUS,
    )?;
    check_length(P::Notes.name(), &fields.notes, MAX_NOTES)?;
    Ok(fields)
}

/// Checks a record as it arrives from elsewhere (central importing an office's batch): by
/// the rules of its kind, against the built-in lists and `extensions`, without the call a
/// referral names (it may have been purged at the office since).
pub fn record(
    record: &Record,
    extensions: &CodeExtensions,
    now: DateTime<Utc>,
) -> Result<(), ValidationError> {
    let meta = record.meta();
    instant("created_at", meta.created_at)?;
    instant("updated_at", meta.updated_at)?;
    match record {
        Record::Call { fields, .. } => call_with((**fields).clone(), extensions, now).map(|_| ()),
        Record::Case { fields, .. } => case(fields.clone()).map(|_| ()),
        Record::Person { fields, .. } => person_with(fields.clone(), extensions).map(|_| ()),
        Record::Referral {
            fields, history, ..
        } => {
            for change in history {
                status_change(&change.status, &change.note)?;
                instant("history", change.at)?;
            }
            referral_with(fields.clone(), extensions, None, now).map(|_| ())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-11-28T15:00:00Z".parse().unwrap()
    }

    fn minimal() -> CallFields {
        CallFields {
            channel: "PHONE".into(),
            caller_type: "FAMILY".into(),
            reason: "TIP".into(),
            ..CallFields::default()
        }
    }

    #[test]
    fn the_bare_minimum_is_a_valid_call() {
        let call = call(minimal(), now()).unwrap();
        assert_eq!(call.urgency, "U4_ROUTINE");
        assert_eq!(call.started_at, Some(now()));
    }

    #[test]
    fn a_missing_required_code_names_the_field_and_the_choices() {
        let err = call(
            CallFields {
                channel: String::new(),
                ..minimal()
            },
            now(),
        )
        .unwrap_err();
        let message = err.to_string();
        assert!(message.starts_with("channel is required"), "{message}");
        assert!(
            message.contains("PHONE") && message.contains("WHATSAPP"),
            "{message}"
        );
    }

    #[test]
    fn an_unknown_code_lists_the_valid_ones() {
        let err = call(
            CallFields {
                reason: "GOSSIP".into(),
                ..minimal()
            },
            now(),
        )
        .unwrap_err();
        let message = err.to_string();
        assert!(message.starts_with("reason: unknown code 'GOSSIP'; valid codes: CRISIS, TIP"));
    }

    #[test]
    fn personal_data_on_a_prank_call_is_refused() {
        let err = call(
            CallFields {
                reason: "NS_PRANK".into(),
                caller_phone: Some("987 654 321".into()),
                ..minimal()
            },
            now(),
        )
        .unwrap_err();
        assert_eq!(
            err,
            ValidationError::PersonalDataOnNonSubstantive {
                field: "caller_phone",
                reason: "NS_PRANK".into()
            }
        );
    }

    #[test]
    fn instants_before_2000_or_on_a_leap_second_are_refused() {
        // As JSON from the command line or a batch gives them.
        let at = |text: &str| -> DateTime<Utc> {
            serde_json::from_str(&format!("\"{text}\"")).unwrap_or_else(|e| panic!("{text}: {e}"))
        };
        for (text, says) in [
            ("0000-01-01T00:00:00Z", "is before 2000"),
            ("1999-12-31T23:59:59Z", "is before 2000"),
            ("2016-12-31T23:59:60Z", "is a leap second"),
        ] {
            let err = call(
                CallFields {
                    started_at: Some(at(text)),
                    ..minimal()
                },
                now(),
            )
            .unwrap_err();
            assert_eq!(err.field(), "started_at", "{text}");
            assert!(err.to_string().contains(says), "{text}: {err}");
            let err = referral(
                ReferralFields {
                    due_at: Some(at(text)),
                    ..referral_fields()
                },
                None,
                now(),
            )
            .unwrap_err();
            assert_eq!(err.field(), "due_at", "{text}: {err}");
        }
        assert!(instant("x", at("2000-01-01T00:00:00Z")).is_ok());
        assert!(instant("x", at("2016-12-31T23:59:59.999999Z")).is_ok());

        // A record central imports, whatever instant it carries.
        let meta = crate::model::RecordMeta::new("pe-puno", "ana", at("0000-01-01T00:00:00Z"));
        let record = Record::Case {
            meta,
            fields: CaseFields::default(),
        };
        let err = super::record(&record, CodeExtensions::none(), now()).unwrap_err();
        assert_eq!(err.field(), "created_at", "{err}");
    }

    #[test]
    fn future_dates_and_endings_before_the_start_are_refused() {
        let future = now() + TimeDelta::hours(1);
        let err = call(
            CallFields {
                started_at: Some(future),
                ..minimal()
            },
            now(),
        )
        .unwrap_err();
        assert!(matches!(
            err,
            ValidationError::InFuture {
                field: "started_at",
                ..
            }
        ));
        let err = call(
            CallFields {
                started_at: Some(now() - TimeDelta::hours(1)),
                ended_at: Some(now() - TimeDelta::hours(2)),
                ..minimal()
            },
            now(),
        )
        .unwrap_err();
        assert!(matches!(
            err,
            ValidationError::BeforeCall {
                field: "ended_at",
                ..
            }
        ));
    }

    #[test]
    fn a_minor_at_risk_raises_routine_urgency_to_urgent() {
        let fields = call(
            CallFields {
                age_band: Some("A14_17".into()),
                exploitation_types: vec!["SEXUAL".into()],
                ..minimal()
            },
            now(),
        )
        .unwrap();
        assert_eq!(fields.urgency, "U2_URGENT");
    }

    fn referral_fields() -> ReferralFields {
        ReferralFields {
            call_id: Some(uuid::Uuid::now_v7()),
            target_type: "PNP_TRAFFICKING".into(),
            institution: "DIRCTPTIM".into(),
            reason: "CRIMINAL_REPORT".into(),
            sharing_basis: "CONSENT".into(),
            ..ReferralFields::default()
        }
    }

    #[test]
    fn a_referral_needs_a_basis_for_sharing() {
        let err = referral(
            ReferralFields {
                sharing_basis: String::new(),
                ..referral_fields()
            },
            None,
            now(),
        )
        .unwrap_err();
        assert_eq!(err, ValidationError::NoSharingBasis);
        assert!(err.to_string().contains("CONSENT"));
    }

    #[test]
    fn an_extension_in_force_is_a_valid_code_and_listed_among_the_choices() {
        use crate::model::Extension;
        let extensions = CodeExtensions::new([Extension::new(
            "referral_target_type",
            "RONDAS",
            "Rondas campesinas",
            "",
            "",
        )]);
        let rondas = ReferralFields {
            target_type: "RONDAS".into(),
            ..referral_fields()
        };
        // The built-in lists alone do not know it.
        assert!(matches!(
            referral(rondas.clone(), None, now()),
            Err(ValidationError::UnknownCode {
                field: "target_type",
                ..
            })
        ));
        let ok = referral_with(rondas.clone(), &extensions, None, now()).unwrap();
        assert_eq!(ok.target_type, "RONDAS");
        let typo = ReferralFields {
            target_type: "RONDA".into(),
            ..referral_fields()
        };
        let message = referral_with(typo, &extensions, None, now())
            .unwrap_err()
            .to_string();
        assert!(message.ends_with(", OTHER, RONDAS"), "{message}");
        // As central checks what an office sent.
        let record = Record::Referral {
            meta: crate::model::RecordMeta::new("pe-cusco", "ana", now()),
            fields: rondas,
            history: Vec::new(),
        };
        assert_eq!(super::record(&record, &extensions, now()), Ok(()));
        assert!(super::record(&record, CodeExtensions::none(), now()).is_err());
    }

    #[test]
    fn a_referral_cannot_be_sent_before_its_call() {
        let started = now() - TimeDelta::hours(1);
        let err = referral(
            ReferralFields {
                sent_at: Some(started - TimeDelta::minutes(5)),
                ..referral_fields()
            },
            Some(started),
            now(),
        )
        .unwrap_err();
        assert!(matches!(
            err,
            ValidationError::BeforeCall {
                field: "sent_at",
                ..
            }
        ));
        let ok = referral(
            ReferralFields {
                sent_at: Some(started + TimeDelta::minutes(5)),
                ..referral_fields()
            },
            Some(started),
            now(),
        )
        .unwrap();
        assert_eq!(ok.status.as_deref(), Some("SENT"));
        // Typed to the minute, in the minute the call began: not before it.
        let began = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 28, 10, 32, 40).unwrap();
        let typed = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 28, 10, 32, 0).unwrap();
        let fields = ReferralFields {
            sent_at: Some(typed),
            ..referral_fields()
        };
        assert!(referral(fields.clone(), Some(began), now()).is_ok());
        let fields = ReferralFields {
            sent_at: Some(typed - TimeDelta::minutes(1)),
            ..fields
        };
        assert!(referral(fields, Some(began), now()).is_err());
    }
}
