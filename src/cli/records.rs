//! `linea call …`, `linea referral …`, `linea case …`: records in and out, for scripts,
//! bulk entry and tests.

use std::io::Read;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta, Utc};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::args::{CallCommand, CallFilterArgs, CaseCommand, ReferralCommand};
use super::context::Context;
use super::output::{self, Out, coded, coded_all, local_time, place, table, write_line};
use crate::error::Error;
use crate::model::phone::normalise;
use crate::model::text::{inert, inert_lines};
use crate::model::{
    Call, CallFields, CaseFields, CodeExtensions, Lang, PersonFields, Referral, ReferralFields,
    codes, is_exception,
};
use crate::store::{CallFilter, ReferralFilter, Store};

/// Standard input larger than this is not a batch of records someone typed or generated.
const MAX_INPUT: u64 = 1 << 30;
const PAGE: u32 = 1000;

/// Reads every JSON object from standard input (one object, or JSON Lines).
fn read_objects<T: DeserializeOwned>(what: &str) -> Result<Vec<T>, Error> {
    let mut text = String::new();
    std::io::stdin()
        .take(MAX_INPUT)
        .read_to_string(&mut text)
        .map_err(|e| Error::Input(format!("cannot read standard input: {e}")))?;
    let mut objects = Vec::new();
    for (index, item) in serde_json::Deserializer::from_str(&text)
        .into_iter::<T>()
        .enumerate()
    {
        let object = item.map_err(|e| {
            Error::Input(format!(
                "standard input, {what} {} (line {}, column {}): {}; nothing was saved",
                index + 1,
                e.line(),
                e.column(),
                strip_position(&e.to_string())
            ))
        })?;
        objects.push(object);
    }
    if objects.is_empty() {
        return Err(Error::Input(format!(
            "no {what} on standard input: give one JSON object, or one per line"
        )));
    }
    Ok(objects)
}

/// serde_json appends " at line L column C"; the message above already says where.
fn strip_position(message: &str) -> &str {
    message
        .rfind(" at line ")
        .map(|at| &message[..at])
        .unwrap_or(message)
}

fn parse_id(text: &str) -> Result<Uuid, Error> {
    Uuid::parse_str(text.trim())
        .map_err(|_| Error::Usage(format!("'{text}' is not a record id (a UUID)")))
}

fn check_filter_code(
    option: &str,
    value: &Option<String>,
    list: &codes::CodeList,
) -> Result<(), Error> {
    match value {
        Some(code) if !list.accepts(code) => Err(Error::Usage(format!(
            "{option}: unknown code '{code}'; valid codes: {}",
            list.active_codes().collect::<Vec<_>>().join(", ")
        ))),
        _ => Ok(()),
    }
}

fn local_midnight(option: &str, text: &str, zone: FixedOffset) -> Result<DateTime<Utc>, Error> {
    let day = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| Error::Usage(format!("{option}: '{text}' is not a date like 2026-11-28")))?;
    day.and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(zone).single())
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| Error::Usage(format!("{option}: '{text}' is out of range")))
}

fn call_filter(args: &CallFilterArgs, zone: FixedOffset) -> Result<CallFilter, Error> {
    check_filter_code("--reason", &args.reason, &codes::CONTACT_REASON)?;
    check_filter_code("--urgency", &args.urgency, &codes::URGENCY)?;
    if let Some(place) = &args.place
        && (place.is_empty() || place.len() > 6 || !place.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(Error::Usage(format!(
            "--place: '{place}' is not a ubigeo or its start (digits, e.g. 17 or 170101)"
        )));
    }
    if let Some(phone) = &args.phone
        && normalise(phone).is_none()
    {
        return Err(Error::Usage(format!(
            "--phone: '{}' has no digit; give the caller's number, e.g. 987654321",
            inert(phone)
        )));
    }
    Ok(CallFilter {
        from: args
            .from
            .as_deref()
            .map(|d| local_midnight("--from", d, zone))
            .transpose()?,
        to: args
            .to
            .as_deref()
            .map(|d| local_midnight("--to", d, zone).map(|t| t + TimeDelta::days(1)))
            .transpose()?,
        reason: args.reason.clone(),
        urgency: args.urgency.clone(),
        place: args.place.clone(),
        case_id: None,
        phone: args.phone.clone(),
    })
}

pub fn call(ctx: &Context, command: CallCommand, out: Out<'_>) -> Result<(), Error> {
    match command {
        CallCommand::Add => {
            // Read and parse everything before asking for the passphrase: a typo in the
            // input should not cost an unlock.
            let calls: Vec<CallFields> = read_objects("call")?;
            let mut store = ctx.open_office()?;
            for call in store.add_calls(calls)? {
                write_line(out, &call.meta.id.to_string())?;
            }
            Ok(())
        }
        CallCommand::List {
            filter,
            limit,
            all,
            json,
        } => {
            let store = ctx.open()?;
            let filter = call_filter(&filter, store.zone())?;
            list_calls(
                &store,
                &filter,
                (!all).then_some(limit),
                json,
                ctx.lang,
                out,
            )
        }
        CallCommand::Show { id, json } => {
            let id = parse_id(&id)?;
            let store = ctx.open()?;
            let call = store.call(id)?;
            if json {
                output::write_json_pretty(out, &call)
            } else {
                show_call(&call, store.zone(), ctx.lang, &store.code_extensions(), out)
            }
        }
    }
}

fn list_calls(
    store: &Store,
    filter: &CallFilter,
    limit: Option<u32>,
    json: bool,
    lang: Lang,
    out: Out<'_>,
) -> Result<(), Error> {
    let mut left = limit;
    let mut after = None;
    let mut rows = Vec::new();
    loop {
        let want = left.map_or(PAGE, |l| l.min(PAGE));
        if want == 0 {
            break;
        }
        let page = store.list_calls(filter, after.as_ref(), want)?;
        for call in &page.calls {
            if json {
                output::write_json(out, call)?;
            } else {
                rows.push(call_row(call, store.zone(), lang));
            }
        }
        left = left.map(|l| l - page.calls.len() as u32);
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    if !json {
        table(
            out,
            &["STARTED", "URGENCY", "REASON", "CHANNEL", "PLACE", "ID"],
            &rows,
        )?;
    }
    Ok(())
}

fn call_row(call: &Call, zone: FixedOffset, lang: Lang) -> Vec<String> {
    let f = &call.fields;
    vec![
        local_time(call.started_at(), zone),
        f.urgency.clone(),
        f.reason.clone(),
        f.channel.clone(),
        f.caller_place
            .as_ref()
            .map(|p| output::place_name(p, lang))
            .unwrap_or_default(),
        call.meta.id.to_string(),
    ]
}

fn show_call(
    call: &Call,
    zone: FixedOffset,
    lang: Lang,
    codes_in_force: &CodeExtensions,
    out: Out<'_>,
) -> Result<(), Error> {
    let f = &call.fields;
    let mut lines: Vec<(&str, String)> = vec![
        ("id", call.meta.id.to_string()),
        (
            "recorded",
            format!(
                "{} by {} at {}, version {}",
                local_time(call.meta.created_at, zone),
                call.meta.author,
                call.meta.office_id,
                call.meta.version
            ),
        ),
        ("started", local_time(call.started_at(), zone)),
    ];
    if let Some(ended) = f.ended_at {
        lines.push(("ended", local_time(ended, zone)));
    }
    lines.push((
        "channel",
        coded(codes_in_force, &codes::CONTACT_CHANNEL, &f.channel, lang),
    ));
    lines.push((
        "caller_type",
        coded(codes_in_force, &codes::CALLER_TYPE, &f.caller_type, lang),
    ));
    lines.push((
        "reason",
        coded(codes_in_force, &codes::CONTACT_REASON, &f.reason, lang),
    ));
    lines.push((
        "urgency",
        coded(codes_in_force, &codes::URGENCY, &f.urgency, lang),
    ));
    let optional: [(&str, Option<String>); 9] = [
        ("caller_name", f.caller_name.clone()),
        ("caller_phone", f.caller_phone.clone()),
        (
            "caller_place",
            f.caller_place.as_ref().map(|p| place(p, lang)),
        ),
        ("case_id", f.case_id.map(|id| id.to_string())),
        (
            "recruitment_place",
            f.recruitment_place.as_ref().map(|p| place(p, lang)),
        ),
        (
            "exploitation_place",
            f.exploitation_place.as_ref().map(|p| place(p, lang)),
        ),
        ("age_years", f.age_years.map(|a| a.to_string())),
        (
            "age_band",
            f.age_band
                .as_deref()
                .map(|c| coded(codes_in_force, &codes::AGE_BAND, c, lang)),
        ),
        (
            "gender",
            f.gender
                .as_deref()
                .map(|c| coded(codes_in_force, &codes::GENDER, c, lang)),
        ),
    ];
    lines.extend(optional.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))));
    if !f.citizenship.is_empty() {
        lines.push(("citizenship", f.citizenship.join(", ")));
    }
    let sets: [(&str, &codes::CodeList, &Vec<String>); 4] = [
        (
            "exploitation_types",
            &codes::EXPLOITATION_TYPE,
            &f.exploitation_types,
        ),
        (
            "means_of_control",
            &codes::MEANS_OF_CONTROL,
            &f.means_of_control,
        ),
        (
            "information_given",
            &codes::INFO_TOPIC,
            &f.information_given,
        ),
        ("outcomes", &codes::CALL_OUTCOME, &f.outcomes),
    ];
    for (name, list, values) in sets {
        if !values.is_empty() {
            lines.push((name, coded_all(codes_in_force, list, values, lang)));
        }
    }
    if !f.indicators.is_empty() {
        let answered = f
            .indicators
            .iter()
            .map(|(code, answer)| {
                format!(
                    "{}: {answer}",
                    coded(codes_in_force, &codes::INDICATOR, code, lang)
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        lines.push(("indicators", answered));
    }
    lines.push(("majority_status", call.majority_status.to_owned()));
    lines.push((
        "possible_victim",
        if call.possible_victim { "yes" } else { "no" }.to_owned(),
    ));
    for (name, value) in lines {
        write_line(out, &format!("{name:<19} {value}"))?;
    }
    if !f.notes.is_empty() {
        write_line(out, "notes")?;
        for line in inert_lines(f.notes.trim_end_matches('\n')) {
            write_line(out, &format!("  {line}"))?;
        }
    }
    Ok(())
}

pub fn referral(ctx: &Context, command: ReferralCommand, out: Out<'_>) -> Result<(), Error> {
    match command {
        ReferralCommand::Add {
            lead_passphrase_file,
        } => {
            let mut referrals: Vec<ReferralFields> = read_objects("referral")?;
            if referrals.len() != 1 {
                return Err(Error::Input(format!(
                    "give one referral at a time ({} on standard input); nothing was saved",
                    referrals.len()
                )));
            }
            let fields = referrals.remove(0);
            let mut store = ctx.open_office()?;
            let confirmation = if is_exception(&fields.sharing_basis) {
                Some(ctx.lead_confirmation(&store, lead_passphrase_file.as_deref())?)
            } else {
                None
            };
            let referral = store.add_referral(fields, confirmation.as_ref())?;
            write_line(out, &referral.meta.id.to_string())
        }
        ReferralCommand::Status { id, status, note } => {
            let id = parse_id(&id)?;
            let mut store = ctx.open_office()?;
            let referral = store.set_referral_status(id, &status, &note)?;
            write_line(out, &format!("{} {}", referral.meta.id, referral.status()))
        }
        ReferralCommand::List { due, limit, json } => {
            let store = ctx.open()?;
            let now = Utc::now();
            let filter = if due {
                ReferralFilter::follow_up(now + TimeDelta::days(1), now, store.zone())
            } else {
                ReferralFilter::default()
            };
            let referrals = store.list_referrals(&filter, limit)?;
            if json {
                for referral in &referrals {
                    output::write_json(out, referral)?;
                }
                return Ok(());
            }
            let rows: Vec<Vec<String>> = referrals
                .iter()
                .map(|r| referral_row(r, store.zone(), now))
                .collect();
            table(
                out,
                &["DUE", "STATUS", "TARGET", "INSTITUTION", "ID"],
                &rows,
            )
        }
        ReferralCommand::Show { id, json } => {
            let id = parse_id(&id)?;
            let store = ctx.open()?;
            let referral = store.referral(id)?;
            if json {
                output::write_json_pretty(out, &referral)
            } else {
                show_referral(
                    &referral,
                    store.zone(),
                    ctx.lang,
                    &store.code_extensions(),
                    out,
                )
            }
        }
    }
}

fn referral_row(referral: &Referral, zone: FixedOffset, now: DateTime<Utc>) -> Vec<String> {
    let due = match referral.fields.due_at {
        Some(due) if referral.is_open() && due <= now => {
            format!("{} OVERDUE", local_time(due, zone))
        }
        Some(due) => local_time(due, zone),
        None => String::new(),
    };
    vec![
        due,
        referral.status().to_owned(),
        referral.fields.target_type.clone(),
        referral.fields.institution.clone(),
        referral.meta.id.to_string(),
    ]
}

fn show_referral(
    referral: &Referral,
    zone: FixedOffset,
    lang: Lang,
    codes_in_force: &CodeExtensions,
    out: Out<'_>,
) -> Result<(), Error> {
    let f = &referral.fields;
    let mut lines: Vec<(&str, String)> = vec![
        ("id", referral.meta.id.to_string()),
        (
            "status",
            coded(
                codes_in_force,
                &codes::REFERRAL_STATUS,
                referral.status(),
                lang,
            ),
        ),
        (
            "target_type",
            coded(
                codes_in_force,
                &codes::REFERRAL_TARGET_TYPE,
                &f.target_type,
                lang,
            ),
        ),
        ("institution", f.institution.clone()),
        (
            "reason",
            coded(codes_in_force, &codes::REFERRAL_REASON, &f.reason, lang),
        ),
        (
            "sharing_basis",
            coded(
                codes_in_force,
                &codes::SHARING_BASIS,
                &f.sharing_basis,
                lang,
            ),
        ),
    ];
    let optional: [(&str, Option<String>); 6] = [
        ("call_id", f.call_id.map(|id| id.to_string())),
        ("case_id", f.case_id.map(|id| id.to_string())),
        ("sent_at", f.sent_at.map(|t| local_time(t, zone))),
        (
            "method",
            f.method
                .as_deref()
                .map(|c| coded(codes_in_force, &codes::REFERRAL_METHOD, c, lang)),
        ),
        ("reference", f.reference.clone()),
        ("due_at", f.due_at.map(|t| local_time(t, zone))),
    ];
    lines.extend(optional.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))));
    for (name, value) in lines {
        write_line(out, &format!("{name:<14} {value}"))?;
    }
    write_line(out, "history")?;
    for change in &referral.history {
        let note = if change.note.is_empty() {
            String::new()
        } else {
            format!(": {}", change.note)
        };
        write_line(
            out,
            &format!(
                "  {}  {:<17} {}{note}",
                local_time(change.at, zone),
                change.status,
                change.author
            ),
        )?;
    }
    Ok(())
}

pub fn case(ctx: &Context, command: CaseCommand, out: Out<'_>) -> Result<(), Error> {
    match command {
        CaseCommand::Add => {
            let mut cases: Vec<CaseFields> = read_objects("case")?;
            if cases.len() != 1 {
                return Err(Error::Input(
                    "give one case at a time; nothing was saved".into(),
                ));
            }
            let mut store = ctx.open_office()?;
            let case = store.add_case(cases.remove(0))?;
            write_line(out, &case.meta.id.to_string())
        }
        CaseCommand::AddPerson { case_id } => {
            let case_id = parse_id(&case_id)?;
            let mut people: Vec<PersonFields> = read_objects("person")?;
            if people.len() != 1 {
                return Err(Error::Input(
                    "give one person at a time; nothing was saved".into(),
                ));
            }
            let mut store = ctx.open_office()?;
            let person = store.add_person(case_id, people.remove(0))?;
            write_line(out, &person.meta.id.to_string())
        }
        CaseCommand::Show { id, json } => {
            let id = parse_id(&id)?;
            let store = ctx.open()?;
            let case = store.case(id)?;
            let people = store.people(id)?;
            let calls = store
                .list_calls(
                    &CallFilter {
                        case_id: Some(id),
                        ..CallFilter::default()
                    },
                    None,
                    PAGE,
                )?
                .calls;
            let referrals = store.list_referrals(
                &ReferralFilter {
                    case_id: Some(id),
                    ..ReferralFilter::default()
                },
                PAGE,
            )?;
            if json {
                return output::write_json_pretty(
                    out,
                    &serde_json::json!({
                        "case": case,
                        "people": people,
                        "calls": calls.iter().map(|c| c.meta.id).collect::<Vec<_>>(),
                        "referrals": referrals.iter().map(|r| r.meta.id).collect::<Vec<_>>(),
                    }),
                );
            }
            let zone = store.zone();
            write_line(out, &format!("{:<10} {}", "id", case.meta.id))?;
            write_line(out, &format!("{:<10} {}", "title", case.fields.title))?;
            write_line(
                out,
                &format!(
                    "{:<10} {}",
                    "status",
                    coded(
                        &store.code_extensions(),
                        &codes::CASE_STATUS,
                        &case.fields.status,
                        ctx.lang
                    )
                ),
            )?;
            write_line(out, &format!("people ({})", people.len()))?;
            for person in &people {
                write_line(
                    out,
                    &format!(
                        "  {}  {}  {}",
                        person.fields.role,
                        person.fields.name.as_deref().unwrap_or_default(),
                        person.meta.id
                    ),
                )?;
            }
            write_line(out, &format!("calls ({})", calls.len()))?;
            for call in &calls {
                write_line(
                    out,
                    &format!(
                        "  {}  {}  {}",
                        local_time(call.started_at(), zone),
                        call.fields.reason,
                        call.meta.id
                    ),
                )?;
            }
            write_line(out, &format!("referrals ({})", referrals.len()))?;
            for referral in &referrals {
                write_line(
                    out,
                    &format!(
                        "  {}  {}  {}",
                        referral.status(),
                        referral.fields.institution,
                        referral.meta.id
                    ),
                )?;
            }
            Ok(())
        }
    }
}
