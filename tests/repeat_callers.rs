//! Repeat callers matched without their numbers (README, "Repeat callers"): offices send a
//! call's number as keyed hashes under central's phone keys, in clear only when a referral
//! names the call; central links the calls from one number across offices and key rotations.

mod common;

use std::path::Path;

use chrono::Utc;
use common::exchange::{Forge, batch_files};
use common::tui::{COLOR, Desk};
use common::{Office, PASSPHRASE};
use linea::central::sync::central_sync;
use linea::exchange::pack::applied_content;
use linea::exchange::sync::office_sync;
use linea::keys::Passphrase;
use linea::model::{CallFields, Lang, Record, ReferralFields};
use linea::store::{CentralStore, OfficeStore};
use uuid::Uuid;

const CUSCO: &str = "pe-cusco";

/// The demo's office (pe-lima) and a second one (pe-cusco), both registered at central.
struct Offices {
    demo: Office,
    cusco: std::path::PathBuf,
    stick: std::path::PathBuf,
}

impl Offices {
    fn new() -> Offices {
        let demo = Office::new();
        let cusco = demo.second_office(CUSCO);
        let stick = demo.stick("stick");
        Offices { demo, cusco, stick }
    }

    fn lima(&self) -> OfficeStore {
        self.demo.office_store()
    }

    fn cusco(&self) -> OfficeStore {
        OfficeStore::open(&self.cusco, "rosa", &Passphrase::new(PASSPHRASE.into())).unwrap()
    }

    fn central(&self) -> CentralStore {
        self.demo.central_store()
    }

    /// Both offices sync, central syncs, and both offices sync again to apply their packs.
    fn round_trip(&self) {
        self.offices_sync();
        central_sync(&mut self.central(), &self.stick).unwrap();
        self.offices_sync();
    }

    fn offices_sync(&self) {
        for mut store in [self.lima(), self.cusco()] {
            let report = office_sync(&mut store, &self.stick).unwrap();
            assert!(report.refused.is_empty(), "{report:?}");
        }
    }

    fn rotate(&self) -> String {
        let run = self.demo.central(&["central", "phone-key", "rotate"]).ok();
        run.stdout
    }

    /// The other calls central links to `call`, by id.
    fn same_caller(&self, call: Uuid) -> Vec<Uuid> {
        let central = self.central();
        linea::central::callers::same_caller(&central, call)
            .unwrap()
            .into_iter()
            .map(|c| c.call_id)
            .collect()
    }
}

/// A call from `number` (as typed), with no referral.
fn call(store: &mut OfficeStore, number: &str) -> Uuid {
    store
        .add_call(CallFields {
            channel: "PHONE".into(),
            caller_type: "FAMILY".into(),
            reason: "TIP".into(),
            urgency: "U4_ROUTINE".into(),
            caller_phone: Some(number.into()),
            ..CallFields::default()
        })
        .unwrap()
        .meta
        .id
}

fn refer(store: &mut OfficeStore, call: Uuid) {
    store
        .add_referral(
            ReferralFields {
                call_id: Some(call),
                target_type: "PNP_TRAFFICKING".into(),
                institution: "DIRCTPTIM".into(),
                reason: "CRIMINAL_REPORT".into(),
                sharing_basis: "CONSENT".into(),
                sent_at: Some(Utc::now()),
                ..ReferralFields::default()
            },
            None,
        )
        .unwrap();
}

/// Every call line in the batches on the stick, as the batch carries it, by id; and every
/// batch's decrypted payload as text.
fn calls_on_stick(demo: &Office, stick: &Path) -> (Vec<(Uuid, CallFields)>, String) {
    let forge = Forge::new(demo);
    let mut calls = Vec::new();
    let mut text = String::new();
    for file in batch_files(stick) {
        let (manifest, lines) = forge.open(&file);
        text.push_str(&serde_json::to_string(&manifest).unwrap());
        for line in lines {
            text.push_str(&line);
            if let Ok(Record::Call { meta, fields }) = serde_json::from_str::<Record>(&line) {
                calls.push((meta.id, *fields));
            }
        }
    }
    (calls, text)
}

fn key_ids(fields: &CallFields) -> Vec<&str> {
    fields
        .caller_phone_hashes
        .iter()
        .map(|h| h.key.as_str())
        .collect()
}

#[test]
fn a_number_typed_two_ways_at_two_offices_matches_at_central() {
    let offices = Offices::new();
    offices.round_trip();
    let in_lima = call(&mut offices.lima(), "+51 987 654 321");
    let other_number = call(&mut offices.lima(), "+51 912 345 678");
    let in_cusco = call(&mut offices.cusco(), "0987-654-321");
    offices.round_trip();

    assert_eq!(offices.same_caller(in_lima), [in_cusco]);
    assert_eq!(offices.same_caller(in_cusco), [in_lima]);
    assert_eq!(offices.same_caller(other_number), Vec::<Uuid>::new());

    // The list central's lead reads: the office, the day, the reason, the call.
    let listed = offices
        .demo
        .central(&["central", "calls", "--same-caller", &in_lima.to_string()])
        .ok();
    assert!(listed.stdout.contains(CUSCO), "{listed:?}");
    assert!(listed.stdout.contains(&in_cusco.to_string()), "{listed:?}");
    assert!(listed.stdout.contains("TIP"), "{listed:?}");
    assert!(
        !listed.stdout.contains(&other_number.to_string()),
        "{listed:?}"
    );
    assert!(
        listed
            .stdout
            .contains("1 other call(s) from the same number."),
        "{listed:?}"
    );
    let json = offices
        .demo
        .central(&[
            "central",
            "calls",
            "--same-caller",
            &in_cusco.to_string(),
            "--json",
        ])
        .ok();
    let rows: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(rows[0]["call"], in_lima.to_string());
    assert_eq!(rows[0]["office"], linea::demo::OFFICE_ID);
}

#[test]
fn a_batch_carries_no_phone_in_clear_for_a_call_without_a_referral() {
    let offices = Offices::new();
    offices.round_trip();
    let mut lima = offices.lima();
    let unreferred = call(&mut lima, "987 654 321");
    let referred = call(&mut lima, "955 444 333");
    refer(&mut lima, referred);
    drop(lima);
    offices.offices_sync();

    let (calls, text) = calls_on_stick(&offices.demo, &offices.stick);
    let sent = |id: Uuid| &calls.iter().find(|(c, _)| *c == id).unwrap().1;
    assert_eq!(sent(unreferred).caller_phone, None);
    assert_eq!(key_ids(sent(unreferred)), ["1"]);
    assert!(!text.contains("987654321") && !text.contains("654 321"));
    // Central follows a referral up: that number travels.
    assert_eq!(sent(referred).caller_phone.as_deref(), Some("955 444 333"));

    central_sync(&mut offices.central(), &offices.stick).unwrap();
    let central = offices.central();
    assert_eq!(central.call(unreferred).unwrap().fields.caller_phone, None);
    assert_eq!(
        central
            .call(referred)
            .unwrap()
            .fields
            .caller_phone
            .as_deref(),
        Some("955 444 333")
    );
}

/// An office with no phone key yet (enrolled before central handed them out, or before its
/// first pack) still syncs: its calls go without their number. A call referred afterwards
/// goes again with it, and central takes it without a conflict and links it.
#[test]
fn without_a_key_an_office_sends_no_number_and_a_later_referral_sends_it() {
    let offices = Offices::new();
    assert!(offices.lima().phone_keys().unwrap().is_empty());
    let early = call(&mut offices.lima(), "987 654 321");
    offices.offices_sync();
    let (calls, text) = calls_on_stick(&offices.demo, &offices.stick);
    let sent = &calls.iter().find(|(c, _)| *c == early).unwrap().1;
    assert_eq!(sent.caller_phone, None);
    assert!(sent.caller_phone_hashes.is_empty());
    assert!(!text.contains("987654321") && !text.contains("654 321"));
    central_sync(&mut offices.central(), &offices.stick).unwrap();
    offices.offices_sync();
    assert_eq!(offices.lima().phone_keys().unwrap().ids(), ["1"]);
    // The key is among the store's secrets, not in the pack the office keeps.
    let (_, kept) = applied_content(&offices.lima()).unwrap().unwrap();
    assert!(kept.phone_keys.is_empty());

    // With the key: hashed, but nothing links it to the call sent without a number.
    let later = call(&mut offices.cusco(), "0987654321");
    offices.round_trip();
    assert_eq!(offices.same_caller(later), Vec::<Uuid>::new());

    refer(&mut offices.lima(), early);
    offices.offices_sync();
    let mut central = offices.central();
    let report = central_sync(&mut central, &offices.stick).unwrap();
    assert!(
        report.imported.iter().all(|r| r.conflicts == 0),
        "{report:?}"
    );
    assert_eq!(
        central.call(early).unwrap().fields.caller_phone.as_deref(),
        Some("987 654 321")
    );
    drop(central);
    assert_eq!(offices.same_caller(later), [early]);
}

#[test]
fn after_a_key_rotation_old_and_new_hashes_still_link() {
    let offices = Offices::new();
    offices.round_trip();
    let before = call(&mut offices.lima(), "+51 987 654 321");
    offices.round_trip();

    assert!(offices.rotate().contains("Phone key 2 made"));
    offices.round_trip();
    assert_eq!(offices.cusco().phone_keys().unwrap().ids(), ["1", "2"]);
    let after_one = call(&mut offices.cusco(), "987654321");
    offices.round_trip();

    assert!(offices.rotate().contains("Phone key 3 made"));
    offices.round_trip();
    let after_two = call(&mut offices.lima(), "0987 654 321");
    let stranger = call(&mut offices.lima(), "987 654 320");
    offices.offices_sync();
    let (calls, _) = calls_on_stick(&offices.demo, &offices.stick);
    let sent = &calls.iter().find(|(c, _)| *c == after_two).unwrap().1;
    // The key before the last is no longer used.
    assert_eq!(key_ids(sent), ["2", "3"]);
    offices.round_trip();

    assert_eq!(offices.same_caller(before), [after_one, after_two]);
    assert_eq!(offices.same_caller(after_two), [before, after_one]);
    assert_eq!(offices.same_caller(stranger), Vec::<Uuid>::new());
}

/// A number central holds in clear (a referred call) is hashed under every key it makes,
/// so calls hashed only under a key made after it link to it.
#[test]
fn a_number_central_holds_in_clear_links_calls_hashed_under_later_keys() {
    let offices = Offices::new();
    offices.round_trip();
    let mut lima = offices.lima();
    let referred = call(&mut lima, "987 654 321");
    refer(&mut lima, referred);
    drop(lima);
    offices.round_trip();
    offices.rotate();
    offices.round_trip();
    offices.rotate();
    offices.round_trip();
    let hashed_under_2_and_3 = call(&mut offices.cusco(), "+51987654321");
    offices.round_trip();
    assert_eq!(offices.same_caller(referred), [hashed_under_2_and_3]);
}

/// Central's list of calls says how many other calls came from each one's number, and its
/// call view lists them with their office, day and reason.
#[test]
fn centrals_calls_and_call_view_show_the_other_calls_from_the_same_number() {
    let offices = Offices::new();
    offices.round_trip();
    call(&mut offices.lima(), "+51 987 654 321");
    call(&mut offices.cusco(), "987-654-321");
    offices.round_trip();
    let Offices { demo, .. } = offices;
    let mut desk = Desk::on_central(demo, Lang::En, COLOR);
    desk.unlock();
    desk.press("f5");
    // The list says, where it holds no number, how many other calls came from it.
    let list = desk.screen();
    assert_eq!(list.matches("1 more").count(), 2, "{list}");
    desk.press("enter");
    let screen = desk.screen();
    assert!(screen.contains("Same number: 1 other call"), "{screen}");
    let listed = screen
        .lines()
        .find(|l| l.contains("pe-lima") || l.contains(CUSCO))
        .unwrap_or_else(|| panic!("no other call listed:\n{screen}"));
    assert!(
        listed.contains("Report of a possible trafficking"),
        "{listed}"
    );
}
