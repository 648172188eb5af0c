//! Retention at an office: the records of a closed case central has acknowledged, quiet for
//! longer than `retention_days`, are purged (case, people, calls and their search entries,
//! referrals and statuses, change-log rows), leaving nothing readable behind; an open case,
//! a case central has not acknowledged, and a recent one stay.

mod common;

use std::fs;

use chrono::{DateTime, TimeDelta, Utc};
use common::Office;
use linea::model::{CallFields, CaseFields, PersonFields, ReferralFields};
use linea::store::{Clock, OfficeSetting, OfficeStore, StoreError};
use uuid::Uuid;

/// A word that appears in one case's notes and nowhere else.
const MARKER: &str = "zqxretencionmarca";

/// The ids of one case's records.
struct CaseIds {
    case: Uuid,
    call: Uuid,
    person: Uuid,
    referral: Uuid,
}

/// A tip call at `at`, a case opened from it, a victim, a referral; the case then set to
/// `status`. Everything is dated `at`.
fn case_at(store: &mut OfficeStore, at: DateTime<Utc>, status: &str, notes: &str) -> CaseIds {
    store.set_clock(Clock::Fixed(at));
    let call = store
        .add_call(CallFields {
            started_at: Some(at - TimeDelta::minutes(30)),
            channel: "PHONE".into(),
            caller_type: "FAMILY".into(),
            reason: "TIP".into(),
            urgency: "U3_PRIORITY".into(),
            caller_name: Some("Nombre FICTICIO".into()),
            notes: notes.into(),
            ..CallFields::default()
        })
        .unwrap();
    let case = store
        .add_case(CaseFields {
            title: "Caso de prueba".into(),
            status: "ACTIVE".into(),
            opened_from_call: Some(call.meta.id),
            notes: notes.into(),
        })
        .unwrap();
    let person = store
        .add_person(
            case.meta.id,
            PersonFields {
                role: "VICTIM".into(),
                notes: notes.into(),
                ..PersonFields::default()
            },
        )
        .unwrap();
    let referral = store
        .add_referral(
            ReferralFields {
                call_id: Some(call.meta.id),
                case_id: Some(case.meta.id),
                target_type: "PNP_TRAFFICKING".into(),
                institution: "DIRCTPTIM".into(),
                reason: "CRIMINAL_REPORT".into(),
                sharing_basis: "CONSENT".into(),
                sent_at: Some(at - TimeDelta::minutes(10)),
                ..ReferralFields::default()
            },
            None,
        )
        .unwrap();
    store
        .set_referral_status(referral.meta.id, "COMPLETED", notes)
        .unwrap();
    if status != "ACTIVE" {
        store.set_case_status(case.meta.id, status).unwrap();
    }
    CaseIds {
        case: case.meta.id,
        call: call.meta.id,
        person: person.meta.id,
        referral: referral.meta.id,
    }
}

fn exists(store: &OfficeStore, ids: &CaseIds) -> [bool; 4] {
    let found = |r: Result<(), StoreError>| match r {
        Ok(()) => true,
        Err(StoreError::NotFound { .. }) => false,
        Err(e) => panic!("{e}"),
    };
    [
        found(store.case(ids.case).map(drop)),
        found(store.call(ids.call).map(drop)),
        found(store.person(ids.person).map(drop)),
        found(store.referral(ids.referral).map(drop)),
    ]
}

/// Every text and blob in every table of the office's database (decrypted) that holds `word`.
/// How a zstd frame begins.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

fn tables_holding(office: &Office, word: &str) -> Vec<String> {
    let conn = office.raw_db();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut holding = Vec::new();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let columns = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for column in 0..columns {
                let bytes: Vec<u8> = match row.get_ref(column).unwrap() {
                    rusqlite::types::ValueRef::Text(t) => t.to_vec(),
                    // The outbox keeps batches compressed: what it holds is what they unpack to.
                    rusqlite::types::ValueRef::Blob(b) if b.starts_with(&ZSTD_MAGIC) => {
                        zstd::decode_all(b).unwrap()
                    }
                    rusqlite::types::ValueRef::Blob(b) => b.to_vec(),
                    _ => continue,
                };
                if contains(&bytes, word.as_bytes()) {
                    holding.push(table.clone());
                }
            }
        }
    }
    holding.sort();
    holding.dedup();
    holding
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn a_closed_acknowledged_old_case_is_purged_and_nothing_else() {
    let office = Office::new();
    let now = Utc::now();
    let long_ago = now - TimeDelta::days(400);
    let (purged, open, recent) = {
        let mut store = office.office_store();
        (
            case_at(
                &mut store,
                long_ago,
                "CLOSED",
                &format!("Nota {MARKER} de la víctima"),
            ),
            case_at(&mut store, long_ago, "ACTIVE", "caso abierto"),
            case_at(
                &mut store,
                now - TimeDelta::days(5),
                "CLOSED_REFERRED",
                "reciente",
            ),
        )
    };
    // Central gets everything and acknowledges it.
    let stick = office.stick("stick");
    office.round_trip(&stick);
    // A case as old, closed, but made after the last receipt: central does not have it.
    let unacknowledged = {
        let mut store = office.office_store();
        case_at(&mut store, long_ago, "CLOSED", "sin acuse")
    };
    // Before: in the records, the search index's own pages, and the acknowledged batch.
    let before = tables_holding(&office, MARKER);
    for table in ["calls", "cases", "people", "call_search_data", "outbox"] {
        assert!(before.contains(&table.to_owned()), "{table}: {before:?}");
    }

    // Retention off (the default): nothing goes.
    let run = office.run(&["retention", "run"]).ok();
    assert!(run.stdout.contains("Retention is off"), "{run:?}");

    office
        .run(&["setting", "set", "retention_days", "365"])
        .ok();
    let dry = office.run(&["retention", "run", "--dry-run"]).ok();
    assert!(
        dry.stdout
            .contains("Would purge 1 closed case older than 365 days that central has: 1 call, 1 referral, 1 person."),
        "{dry:?}"
    );
    assert_eq!(exists(&office.office_store(), &purged), [true; 4]);

    // The next sync purges at its end.
    let sync = office.sync(&stick).ok();
    assert!(
        sync.stdout.contains(
            "Retention: purged 1 closed case central has, with 4 records, older than 365 days."
        ),
        "{sync:?}"
    );

    let store = office.office_store();
    assert_eq!(
        exists(&store, &purged),
        [false; 4],
        "the old closed case is gone"
    );
    for (what, ids) in [
        ("open", &open),
        ("recent", &recent),
        ("unacknowledged", &unacknowledged),
    ] {
        assert_eq!(exists(&store, ids), [true; 4], "the {what} case stays");
    }
    let (found, _) = store
        .search_calls(MARKER, &Default::default(), None, 10)
        .unwrap();
    assert!(found.is_empty(), "search finds nothing of it");
    assert_eq!(store.verify_audit().unwrap().map(|_| ()), Ok(()));
    drop(store);
    assert_eq!(
        purge_entries(&office),
        ["1 cases, 4 records"],
        "one audit entry for the step, counts only"
    );
    let mut named = purged_records(&office);
    named.sort();
    let mut expected = [
        ("call.purge", purged.call),
        ("case.purge", purged.case),
        ("person.purge", purged.person),
        ("referral.purge", purged.referral),
    ]
    .map(|(action, id)| (action.to_owned(), id.to_string()));
    expected.sort();
    assert_eq!(named, expected, "one entry a record: its kind and id");
    // A purge is not a deletion behind linea's back.
    let run = office.run(&["audit", "verify"]).ok();
    assert!(run.stdout.starts_with("Audit chain intact: "), "{run:?}");

    // Nothing readable stays: not in any table (decrypted), nor in any file of the store.
    assert_eq!(tables_holding(&office, MARKER), Vec::<String>::new());
    for file in common::files_under(&office.dir()) {
        let bytes = fs::read(&file).unwrap();
        assert!(!contains(&bytes, MARKER.as_bytes()), "{}", file.display());
    }
    let wal = office.dir().join("linea.db-wal");
    assert!(
        fs::metadata(&wal).map(|m| m.len() == 0).unwrap_or(true),
        "the write-ahead log was checkpointed and emptied"
    );
    // Central keeps the records.
    let central = office.central_store();
    assert!(central.case(purged.case).is_ok());
}

#[test]
fn central_refuses_retention() {
    let office = Office::new();
    let run = office.central(&["retention", "run"]);
    let line = run.fails(2);
    assert!(line.contains("retention is for office stores"), "{line}");
}

#[test]
fn a_purge_of_nothing_changes_nothing() {
    let office = Office::new();
    let mut store = office.office_store();
    store
        .set_office_setting(OfficeSetting::RetentionDays, "30")
        .unwrap();
    let report = store.run_retention(false).unwrap().unwrap();
    assert_eq!(report.cases, 0);
    drop(store);
    assert!(purge_entries(&office).is_empty(), "no audit entry");
}

/// The subjects of the audit's `retention.purge` entries.
fn purge_entries(office: &Office) -> Vec<String> {
    office
        .raw_db()
        .prepare("SELECT subject FROM audit WHERE action = 'retention.purge' ORDER BY seq")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// The action and subject of each audit entry for a purged record.
fn purged_records(office: &Office) -> Vec<(String, String)> {
    office
        .raw_db()
        .prepare(
            "SELECT action, subject FROM audit
             WHERE action LIKE '%.purge' AND action != 'retention.purge' ORDER BY seq",
        )
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn a_large_purge_goes_in_steps_that_each_say_what_they_purged() {
    let office = Office::new();
    let long_ago = Utc::now() - TimeDelta::days(400);
    let cases: Vec<CaseIds> = {
        let mut store = office.office_store();
        (0..105)
            .map(|_| case_at(&mut store, long_ago, "CLOSED", "cerrado"))
            .collect()
    };
    office.round_trip(&office.stick("stick"));
    let mut store = office.office_store();
    store
        .set_office_setting(OfficeSetting::RetentionDays, "365")
        .unwrap();
    let report = store.run_retention(false).unwrap().unwrap();
    assert_eq!((report.cases, report.records()), (105, 420));
    assert!(cases.iter().all(|ids| exists(&store, ids) == [false; 4]));
    assert_eq!(store.verify_audit().unwrap().map(|_| ()), Ok(()));
    drop(store);
    // One transaction a step, so a desk open meanwhile waits for a step, not the purge.
    assert_eq!(
        purge_entries(&office),
        ["100 cases, 400 records", "5 cases, 20 records"]
    );
    assert_eq!(purged_records(&office).len(), 420);
}
