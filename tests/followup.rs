//! Follow-up: with the store's clock set by the test, a referral becomes due exactly when
//! the urgency of its call says (U1 the same day, U2 24 h, U3 72 h, U4 5 working days).

mod common;

use chrono::{DateTime, TimeDelta, Utc};
use common::tui::{Desk, NO_COLOR, now};
use common::{Office, PASSPHRASE};
use linea::keys::Passphrase;
use linea::model::{CallFields, Lang, ReferralFields};
use linea::store::{Clock, OfficeStore, ReferralFilter};

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

/// A call of `urgency` at `started`, referred ten minutes later; the referral's id.
fn referred(store: &mut OfficeStore, urgency: &str, started: DateTime<Utc>) -> uuid::Uuid {
    store.set_clock(Clock::Fixed(started + TimeDelta::minutes(30)));
    let call = store
        .add_call(CallFields {
            started_at: Some(started),
            channel: "PHONE".into(),
            caller_type: "FAMILY".into(),
            reason: "TIP".into(),
            urgency: urgency.into(),
            ..CallFields::default()
        })
        .unwrap();
    store
        .add_referral(
            ReferralFields {
                call_id: Some(call.meta.id),
                target_type: "PNP_TRAFFICKING".into(),
                institution: "DIRCTPTIM".into(),
                reason: "CRIMINAL_REPORT".into(),
                sharing_basis: "CONSENT".into(),
                sent_at: Some(started + TimeDelta::minutes(10)),
                ..ReferralFields::default()
            },
            None,
        )
        .unwrap()
        .meta
        .id
}

fn due_at(store: &mut OfficeStore, now: DateTime<Utc>) -> Vec<uuid::Uuid> {
    store.set_clock(Clock::Fixed(now));
    store
        .list_referrals(
            &ReferralFilter {
                due_by: Some(store.now()),
                ..ReferralFilter::default()
            },
            100,
        )
        .unwrap()
        .into_iter()
        .map(|r| r.meta.id)
        .collect()
}

#[test]
fn each_urgency_becomes_overdue_exactly_on_time() {
    let office = Office::new();
    let mut store =
        OfficeStore::open(&office.dir(), "ana", &Passphrase::new(PASSPHRASE.into())).unwrap();
    // Friday 27 November 2026, 09:50 in Lima; sent at 10:00 (15:00 UTC).
    let started = at("2026-11-27T14:50:00Z");
    let cases = [
        ("U1_EMERGENCY", at("2026-11-28T04:59:59Z")), // 23:59:59 the same day in Lima
        ("U2_URGENT", at("2026-11-28T15:00:00Z")),    // 24 hours
        ("U3_PRIORITY", at("2026-11-30T15:00:00Z")),  // 72 hours
        ("U4_ROUTINE", at("2026-12-04T15:00:00Z")),   // 5 working days: the next Friday
    ];
    for (urgency, due) in cases {
        let id = referred(&mut store, urgency, started);
        let just_before = due_at(&mut store, due - TimeDelta::seconds(1));
        assert!(!just_before.contains(&id), "{urgency}: due too early");
        let on_time = due_at(&mut store, due);
        assert!(on_time.contains(&id), "{urgency}: not due at {due}");
        store.set_clock(Clock::Fixed(due));
        store.set_referral_status(id, "COMPLETED", "done").unwrap();
        assert!(
            !due_at(&mut store, due + TimeDelta::days(30)).contains(&id),
            "closed referrals are never due"
        );
    }
}

/// A call of `urgency` from Huepetuhe at `started`, by a caller who gave a name and a phone,
/// referred to `institution` (a CEM) ten minutes later; the referral's id.
fn referred_from_huepetuhe(
    store: &mut OfficeStore,
    urgency: &str,
    started: DateTime<Utc>,
    institution: &str,
) -> uuid::Uuid {
    store.set_clock(Clock::Fixed(started + TimeDelta::minutes(30)));
    let call = store
        .add_call(CallFields {
            started_at: Some(started),
            channel: "PHONE".into(),
            caller_type: "FAMILY".into(),
            reason: "TIP".into(),
            urgency: urgency.into(),
            caller_name: Some("Rosa Quispe".into()),
            caller_phone: Some("987 654 321".into()),
            caller_place: Some("170204".parse().unwrap()),
            ..CallFields::default()
        })
        .unwrap();
    store
        .add_referral(
            ReferralFields {
                call_id: Some(call.meta.id),
                target_type: "MIMP_CEM".into(),
                institution: institution.into(),
                reason: "ADDITIONAL_SERVICES".into(),
                sharing_basis: "CONSENT".into(),
                sent_at: Some(started + TimeDelta::minutes(10)),
                ..ReferralFields::default()
            },
            None,
        )
        .unwrap()
        .meta
        .id
}

/// The follow-up screen at 80x24 without colour, on the demo's directory, where 19 old
/// referrals are overdue (the oldest without an answer) and a U1 call of this morning was
/// referred.
fn follow_up(lang: Lang) -> Desk {
    let office = Office::with_directory();
    {
        let mut store =
            OfficeStore::open(&office.dir(), "ana", &Passphrase::new(PASSPHRASE.into())).unwrap();
        let mut old = Vec::new();
        for days in 0..19 {
            let started = now() - TimeDelta::days(40 - days);
            old.push(referred_from_huepetuhe(
                &mut store,
                "U3_PRIORITY",
                started,
                "DEMO_CEM_17",
            ));
        }
        store.set_clock(Clock::Fixed(now() - TimeDelta::days(1)));
        store
            .set_referral_status(old[0], "NO_RESPONSE", "tres llamadas")
            .unwrap();
        referred_from_huepetuhe(
            &mut store,
            "U1_EMERGENCY",
            now() - TimeDelta::hours(2),
            "DEMO_CEM_17",
        );
    }
    let mut desk = Desk::on(office, lang, NO_COLOR, 80, 24);
    desk.unlock();
    desk.press("ctrl-u");
    desk
}

#[test]
fn todays_emergency_comes_before_old_overdue_referrals_with_its_context() {
    let mut desk = follow_up(Lang::En);
    let screen = desk.screen();
    let rows: Vec<&str> = screen.lines().collect();
    assert!(rows[1].contains("20 referrals"), "{screen}");
    assert!(
        rows[2].contains("Caller") && rows[3].contains("Phone"),
        "{screen}"
    );
    // The U1 of this morning first, due tonight; then the oldest overdue, 39 days late.
    assert!(
        rows[4].starts_with(">U1") && rows[4].contains("*****"),
        "{screen}"
    );
    assert!(
        rows[4].contains("Huepetuhe, Manu (Madre de Dios)"),
        "{screen}"
    );
    assert!(rows[5].contains("000-17-2"), "the CEM's phone: {screen}");
    assert!(
        rows[6].starts_with(" U3") && rows[6].contains(" d "),
        "{screen}"
    );
    assert!(!screen.contains("Rosa"), "names masked: {screen}");
    desk.press("ctrl-r");
    assert!(desk.screen().contains("Rosa Quispe"), "{}", desk.screen());
    desk.press("down");
    assert!(!desk.screen().contains("Rosa"), "{}", desk.screen());
}

#[test]
fn a_referral_without_an_answer_offers_the_next_institution_for_the_place() {
    let mut desk = follow_up(Lang::En);
    desk.press("down");
    let screen = desk.screen();
    assert!(
        screen.contains("Next for this place: Línea 100"),
        "the national line after the department's CEM: {screen}"
    );
    let hint = &screen[screen.find("No response").unwrap()..];
    assert!(
        hint.contains(" 100.") && !hint.contains('~'),
        "whole, not cut: {screen}"
    );
    // The referral's own screen says the same, and offers no way back to draft.
    desk.press("enter");
    let screen = desk.screen();
    let hint = &screen[screen.find("No response").unwrap()..];
    assert!(
        hint.contains("Línea 100") && hint.contains(" 100."),
        "{screen}"
    );
    desk.press("enter enter");
    let list = desk.screen();
    assert!(list.contains("Receipt acknowledged"), "{list}");
    assert!(
        !list.contains("Draft") && !list.contains("│  No response"),
        "{list}"
    );
}

#[test]
fn follow_up_at_80x24_without_colour() {
    for lang in [Lang::Es, Lang::En] {
        let mut desk = follow_up(lang);
        desk.press("down");
        insta::assert_snapshot!(format!("follow_up_{lang}"), desk.screen());
    }
}
