//! Follow-up: with the store's clock set by the test, a referral becomes due exactly when
//! the urgency of its call says (U1 the same day, U2 24 h, U3 72 h, U4 5 working days).

mod common;

use chrono::{DateTime, TimeDelta, Utc};
use common::{Office, PASSPHRASE};
use linea::keys::Passphrase;
use linea::model::{CallFields, ReferralFields};
use linea::store::{Clock, ReferralFilter, Store};

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

/// A call of `urgency` at `started`, referred ten minutes later; the referral's id.
fn referred(store: &mut Store, urgency: &str, started: DateTime<Utc>) -> uuid::Uuid {
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

fn due_at(store: &mut Store, now: DateTime<Utc>) -> Vec<uuid::Uuid> {
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
    let mut store = Store::open(&office.dir(), "ana", &Passphrase::new(PASSPHRASE.into())).unwrap();
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
