//! `linea central export` through the real binary, on a central that imported an office's
//! calls and a victim recorded with her name, phone and a note: the file holds none of
//! them, nor an id or a date; no combination of quasi-identifiers is under k; its first
//! line says what was suppressed; k under 11 and an office's store are refused.

mod common;

use std::collections::HashMap;
use std::fs;

use common::Office;
use linea::model::PersonFields;
use linea::store::CallFilter;

const NAME: &str = "Rosa Quispe Mamani";
const PHONE: &str = "987 654 321";
const NOTE: &str = "Vive en el jirón Los Pinos 123";

/// Whether `text` holds something shaped like a record id (8 hex digits, a dash, 4 more).
fn has_uuid(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.windows(13).any(|w| {
        w[..8].iter().all(u8::is_ascii_hexdigit)
            && w[8] == b'-'
            && w[9..].iter().all(u8::is_ascii_hexdigit)
    })
}

/// Whether `text` holds a date like 2026-03-14.
fn has_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.windows(10).any(|w| {
        w[..4].iter().all(u8::is_ascii_digit)
            && w[4] == b'-'
            && w[5..7].iter().all(u8::is_ascii_digit)
            && w[7] == b'-'
            && w[8..].iter().all(u8::is_ascii_digit)
    })
}

#[test]
fn the_public_export_names_no_one_and_no_combination_is_under_k() {
    let office = Office::with_calls(2000);
    {
        let mut store = office.office_store();
        let case = store.list_cases(false, 1).unwrap().remove(0);
        store
            .add_person(
                case.meta.id,
                PersonFields {
                    role: "VICTIM".into(),
                    name: Some(NAME.into()),
                    phone: Some(PHONE.into()),
                    age_years: Some(16),
                    gender: Some("F".into()),
                    citizenship: vec!["PE".into()],
                    notes: NOTE.into(),
                    ..PersonFields::default()
                },
            )
            .unwrap();
    }
    let stick = office.stick("stick");
    office.round_trip(&stick);
    let file = office.held().join("public.csv");
    let out = file.to_str().unwrap();
    let run = office
        .central(&[
            "central",
            "export",
            "--from",
            "2000-01-01",
            "--to",
            "2100-12-31",
            "--k",
            "11",
            "--out",
            out,
        ])
        .ok();
    let text = fs::read_to_string(&file).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("# k=11; "), "{header}");
    assert!(header.contains("; suppressed: "), "{header}");
    assert!(
        run.stdout.contains(header),
        "the command shows the header too"
    );
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("yearOfRegistration,gender,ageBroad,")
    );
    let rows: Vec<&str> = lines.collect();
    assert!(
        rows.len() > 100,
        "presumed victims exported: {}",
        rows.len()
    );

    // Nothing that names or reaches a person, and nothing that dates a call.
    let central = office.central_store();
    let mut private: Vec<String> = vec![NAME.into(), "Rosa".into(), PHONE.into(), NOTE.into()];
    let calls = central
        .list_calls(&CallFilter::default(), None, 5000)
        .unwrap()
        .calls;
    assert!(calls.len() >= 2000);
    for call in &calls {
        private.extend(call.fields.caller_name.clone());
        private.extend(call.fields.caller_phone.clone());
        private.push(call.meta.id.to_string());
        if !call.fields.notes.is_empty() {
            private.push(call.fields.notes.clone());
        }
    }
    for secret in &private {
        assert!(
            !text.contains(secret.as_str()),
            "the export holds {secret:?}"
        );
    }
    assert!(!has_uuid(&text), "an id in the export");
    assert!(!has_date(&text), "a date in the export");
    assert!(!text.contains("pe-lima"), "an office id in the export");

    // Every combination of the quasi-identifiers (year to exploitation types) is shared by
    // at least 11 rows.
    let mut groups: HashMap<String, usize> = HashMap::new();
    for row in &rows {
        let fields: Vec<&str> = row.split(',').collect();
        assert_eq!(fields.len(), 12, "{row}");
        *groups.entry(fields[..8].join(",")).or_default() += 1;
    }
    for (combination, count) in &groups {
        assert!(*count >= 11, "{count} rows with {combination}");
    }
}

#[test]
fn k_under_11_and_an_office_store_are_refused_in_one_line() {
    let office = Office::new();
    let file = office.held().join("public.csv");
    let out = file.to_str().unwrap();
    let line = office
        .central(&[
            "central",
            "export",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--k",
            "5",
            "--out",
            out,
        ])
        .fails(2);
    assert!(line.contains("--k 5") && line.contains("11"), "{line}");
    let line = office
        .run(&[
            "central",
            "export",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--out",
            out,
        ])
        .fails(2);
    assert!(line.contains("central"), "{line}");
    assert!(!file.exists(), "nothing is written when refused");
}
