//! Full-text search over names and notes: accents and case ignored, filters combined,
//! paging stable.

mod common;

use common::{Office, PASSPHRASE};
use linea::keys::Passphrase;
use linea::model::{CallFields, Place};
use linea::store::{CallFilter, Store};

fn store(office: &Office) -> Store {
    Store::open(&office.dir(), "ana", &Passphrase::new(PASSPHRASE.into())).unwrap()
}

fn call(name: &str, notes: &str, urgency: &str, place: &str) -> CallFields {
    CallFields {
        channel: "PHONE".into(),
        caller_type: "FAMILY".into(),
        reason: "TIP".into(),
        urgency: urgency.into(),
        caller_name: Some(name.into()),
        caller_place: Some(place.parse::<Place>().unwrap()),
        notes: notes.into(),
        ..CallFields::default()
    }
}

#[test]
fn search_ignores_accents_and_case_and_matches_word_starts() {
    let office = Office::new();
    let mut store = store(&office);
    store
        .add_calls(vec![
            call(
                "Rosa Juárez",
                "Trabaja en un bar de Mazuko",
                "U2_URGENT",
                "170101",
            ),
            call(
                "Luis Quispe",
                "Oferta de trabajo en Lima",
                "U4_ROUTINE",
                "150101",
            ),
            call(
                "JUAREZ, Carmen",
                "Vive en Puerto Maldonado",
                "U3_PRIORITY",
                "170101",
            ),
        ])
        .unwrap();
    let names = |text: &str, filter: &CallFilter| -> Vec<String> {
        store
            .search_calls(text, filter, None, 50)
            .unwrap()
            .0
            .into_iter()
            .map(|c| c.fields.caller_name.unwrap())
            .collect()
    };
    let all = CallFilter::default();
    assert_eq!(names("juarez", &all), vec!["JUAREZ, Carmen", "Rosa Juárez"]);
    assert_eq!(names("JUÁREZ", &all), names("juarez", &all));
    assert_eq!(
        names("juar", &all).len(),
        2,
        "a word matches the start of longer ones"
    );
    assert_eq!(
        names("mazuko rosa", &all),
        vec!["Rosa Juárez"],
        "every word must match"
    );
    assert_eq!(names("trabaj", &all).len(), 2, "notes are searched too");
    assert_eq!(
        names("rosa JUÁRE", &all),
        vec!["Rosa Juárez"],
        "a long word being typed matches the words it starts, accents and case aside"
    );
    assert_eq!(names("puerto maldon", &all), vec!["JUAREZ, Carmen"]);
    assert!(names("nadie", &all).is_empty());
    assert!(
        names("  \"*( ", &all).is_empty(),
        "punctuation alone finds nothing, and fails nothing"
    );
    let urgent = CallFilter {
        urgency: Some("U2_URGENT".into()),
        ..CallFilter::default()
    };
    assert_eq!(
        names("juarez", &urgent),
        vec!["Rosa Juárez"],
        "filters combine"
    );
    let lima = CallFilter {
        place: Some("15".into()),
        ..CallFilter::default()
    };
    assert_eq!(names("trabajo", &lima), vec!["Luis Quispe"]);
}

#[test]
fn search_pages_are_stable_and_complete() {
    let office = Office::new();
    let mut store = store(&office);
    let calls: Vec<CallFields> = (0..25)
        .map(|i| call(&format!("Persona {i} Mamani"), "", "U4_ROUTINE", "210101"))
        .collect();
    store.add_calls(calls).unwrap();
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let (page, next) = store
            .search_calls("mamani", &CallFilter::default(), after, 10)
            .unwrap();
        assert!(page.len() <= 10);
        seen.extend(page.into_iter().map(|c| c.meta.id));
        match next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    let count = seen.len();
    seen.sort();
    seen.dedup();
    assert_eq!((count, seen.len()), (25, 25), "every call once, none twice");
}

#[test]
fn an_edited_call_is_found_by_its_new_words_only() {
    let office = Office::new();
    let mut store = store(&office);
    let saved = store
        .add_call(call("Ana", "primera versión", "U4_ROUTINE", "150101"))
        .unwrap();
    let mut fields = saved.fields.clone();
    fields.notes = "segunda versión".into();
    store
        .update_call(saved.meta.id, fields, saved.meta.version)
        .unwrap();
    let found = |text: &str| {
        store
            .search_calls(text, &CallFilter::default(), None, 5)
            .unwrap()
            .0
            .len()
    };
    assert_eq!(found("segunda"), 1);
    assert_eq!(found("primera"), 0);
}
