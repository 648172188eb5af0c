//! Key scripts through the real application state: what an operator does at the desk, and
//! what the store holds afterwards.

mod common;

use common::tui::{COLOR, Desk, now};
use linea::model::Lang;
use linea::store::CallFilter;

#[test]
fn a_call_logged_by_keys_alone_is_in_the_store_with_every_field_right() {
    let mut desk = Desk::unlocked(Lang::Es, COLOR);
    desk.press("f3");
    // Caller type, reason, urgency: type-ahead, accents and case ignored.
    desk.type_text("victima");
    desk.press("enter");
    desk.type_text("CRISIS");
    desk.press("enter");
    desk.type_text("emergencia");
    desk.press("enter");
    desk.type_text("Flor Condori");
    desk.press("tab");
    desk.type_text("900 000 222");
    desk.press("tab");
    desk.type_text("madre de dios");
    desk.press("enter");
    // Language: skip. Recruited in: Puno. Exploited in: a district by its ubigeo.
    desk.press("tab");
    desk.type_text("puno");
    desk.press("enter");
    desk.type_text("170204");
    desk.press("enter");
    // Exploitation: several marks, then Esc closes the list keeping them.
    desk.type_text("laboral");
    desk.press("enter esc tab");
    // Means of control: skip. Indicators: deceived yes, documents held no.
    desk.press("tab");
    desk.type_text("engan");
    desk.press("enter");
    for _ in 0..6 {
        desk.press("backspace");
    }
    desk.type_text("dni");
    desk.press("enter enter esc tab");
    desk.type_text("16");
    desk.press("tab tab");
    desk.type_text("femen");
    desk.press("enter");
    desk.type_text("venez");
    desk.press("enter esc tab");
    desk.type_text("cómo reportar");
    desk.press("enter esc tab tab");
    desk.type_text("Está en un campamento minero.");
    desk.press("enter");
    desk.type_text("Llamó desde un teléfono prestado.");
    // The emergency path: a warm transfer recorded with its time.
    desk.press("ctrl-t");
    desk.press("f2");
    let screen = desk.screen();
    assert!(screen.contains("Llamada guardada"), "{screen}");

    let store = desk.store();
    let page = store
        .list_calls(
            &CallFilter {
                reason: Some("CRISIS".into()),
                ..CallFilter::default()
            },
            None,
            10,
        )
        .unwrap();
    assert_eq!(page.calls.len(), 1);
    let call = &page.calls[0];
    let f = &call.fields;
    assert_eq!(f.channel, "PHONE");
    assert_eq!(f.caller_type, "VICTIM_SELF");
    assert_eq!(f.urgency, "U1_EMERGENCY");
    assert_eq!(f.caller_name.as_deref(), Some("Flor Condori"));
    assert_eq!(f.caller_phone.as_deref(), Some("900 000 222"));
    assert_eq!(f.caller_place.as_ref().map(|p| p.as_str()), Some("170000"));
    assert_eq!(
        f.recruitment_place.as_ref().map(|p| p.as_str()),
        Some("210000")
    );
    assert_eq!(
        f.exploitation_place.as_ref().map(|p| p.as_str()),
        Some("170204")
    );
    assert_eq!(f.exploitation_types, vec!["LABOUR".to_string()]);
    assert_eq!(
        f.indicators.get("IND_DECEIVED").map(String::as_str),
        Some("YES")
    );
    assert_eq!(
        f.indicators.get("IND_DOCS_HELD").map(String::as_str),
        Some("NO")
    );
    assert_eq!(f.age_years, Some(16));
    assert_eq!(f.gender.as_deref(), Some("F"));
    assert_eq!(f.citizenship, vec!["VE".to_string()]);
    assert_eq!(f.information_given, vec!["HOW_TO_REPORT".to_string()]);
    assert_eq!(
        f.notes,
        "Está en un campamento minero.\nLlamó desde un teléfono prestado."
    );
    assert_eq!(f.emergency_actions.len(), 1);
    assert_eq!(f.emergency_actions[0].outcome, "WARM_TRANSFER");
    assert_eq!(f.emergency_actions[0].at, now());
    assert!(f.outcomes.contains(&"WARM_TRANSFER".to_string()));
    assert_eq!(call.started_at(), now());
    assert_eq!(call.meta.author, "ana");
    assert!(call.possible_victim, "a minor with labour exploitation");
    assert!(
        store.drafts().unwrap().is_empty(),
        "the draft is gone once saved"
    );
}
