//! Full-text search over names and notes: accents and case ignored, filters combined,
//! paging stable.

mod common;

use common::{Office, PASSPHRASE};
use linea::keys::Passphrase;
use linea::model::{CallFields, Place};
use linea::store::{CallFilter, OfficeStore};

fn store(office: &Office) -> OfficeStore {
    OfficeStore::open(&office.dir(), "ana", &Passphrase::new(PASSPHRASE.into())).unwrap()
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

/// The same caller's number as four operators would type it.
const ONE_NUMBER_FOUR_WAYS: [&str; 4] = [
    "+51 987 654 321",
    "987-654-321",
    "0987654321",
    "51987654321",
];

fn call_from(name: &str, phone: &str) -> CallFields {
    CallFields {
        caller_phone: Some(phone.into()),
        ..call(name, "", "U4_ROUTINE", "170101")
    }
}

#[test]
fn a_phone_typed_four_ways_finds_the_same_calls() {
    let office = Office::new();
    let mut store = store(&office);
    store
        .add_calls(vec![
            call_from("Rosa Juárez", ONE_NUMBER_FOUR_WAYS[0]),
            call_from("Rosa Juárez", "+54 9 11 987 654 321"),
            call_from("Luis Quispe", "(01) 234-5678"),
            call_from("Rosa Juárez", ONE_NUMBER_FOUR_WAYS[2]),
            call("Carmen", "Llamó del 987654322", "U4_ROUTINE", "170101"),
        ])
        .unwrap();
    let by_search = |text: &str| -> Vec<String> {
        let (calls, _) = store
            .search_calls(text, &CallFilter::default(), None, 50)
            .unwrap();
        calls.into_iter().map(|c| c.meta.id.to_string()).collect()
    };
    let by_filter = |phone: &str| -> Vec<String> {
        let filter = CallFilter {
            phone: Some(phone.into()),
            ..CallFilter::default()
        };
        let page = store.list_calls(&filter, None, 50).unwrap();
        page.calls.iter().map(|c| c.meta.id.to_string()).collect()
    };
    let expected = by_search(ONE_NUMBER_FOUR_WAYS[0]);
    assert_eq!(expected.len(), 2, "the two calls from that number");
    for typed in ONE_NUMBER_FOUR_WAYS {
        assert_eq!(by_search(typed), expected, "search for {typed}");
        let mut listed = by_filter(typed);
        listed.sort();
        let mut wanted = expected.clone();
        wanted.sort();
        assert_eq!(listed, wanted, "list filtered by {typed}");
    }
    // Argentina's number ends the same way but is not the same number.
    assert_eq!(by_search("+54 9 11 987 654 321").len(), 1);
    assert_eq!(by_filter("01 234 5678").len(), 1);
    // A number no call came from is looked for in the notes, as words are.
    assert_eq!(by_search("987654322").len(), 1);
    assert!(by_search("999 999 999").is_empty());
    // Pages follow each other without repeating a call.
    let (first, next) = store
        .search_calls("987654321", &CallFilter::default(), None, 1)
        .unwrap();
    let (second, last) = store
        .search_calls("987654321", &CallFilter::default(), next, 1)
        .unwrap();
    assert_eq!(first.len() + second.len(), 2);
    assert_ne!(first[0].meta.id, second[0].meta.id);
    assert_eq!(last, None);
}

/// A call changed to another number is found by the new one only.
#[test]
fn a_changed_phone_is_found_by_its_new_number() {
    let office = Office::new();
    let mut store = store(&office);
    let call = store.add_call(call_from("Rosa", "987 654 321")).unwrap();
    let mut fields = call.fields.clone();
    fields.caller_phone = Some("+51 912 345 678".into());
    store.update_call(call.meta.id, fields, 1).unwrap();
    let found = |text: &str| {
        store
            .search_calls(text, &CallFilter::default(), None, 10)
            .unwrap()
            .0
            .len()
    };
    assert_eq!(found("912345678"), 1);
    assert_eq!(found("987654321"), 0);
}
