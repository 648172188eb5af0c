//! The README's "Keys per call", replayed against the application: the keys it gives from
//! home save the call it says, in the number of keys it says, within the goals.

mod common;

use common::tui::{COLOR, Desk};
use linea::model::{CallFields, Lang};
use linea::store::CallFilter;

const README: &str = include_str!("../README.md");

/// (what, keys said, the sequence) of each line of the section's block.
fn sequences() -> Vec<(String, usize, Vec<String>)> {
    let section = README
        .split("### Keys per call")
        .nth(1)
        .expect("README has a Keys per call section");
    let block = section
        .split("```text\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a text block in the section");
    block
        .lines()
        .map(|line| {
            let (what, keys) = line.split_once(": ").expect("WHAT (N keys): KEYS");
            let said = what
                .rsplit_once('(')
                .and_then(|(_, n)| n.split_whitespace().next())
                .and_then(|n| n.parse().ok())
                .expect("the count in parentheses");
            let name = what.split(" (").next().unwrap_or(what).to_owned();
            (
                name,
                said,
                keys.split_whitespace().map(str::to_owned).collect(),
            )
        })
        .collect()
}

/// Presses one tmux key name on the desk; `"…"` is free text.
fn replay(desk: &mut Desk, key: &str, free_text: &str) {
    match key {
        "\"…\"" => desk.type_text(free_text),
        "Enter" | "Tab" | "Escape" | "BTab" | "Space" => desk.press(&key.to_lowercase()),
        _ if key.starts_with("C-") => desk.press(&format!("ctrl-{}", &key[2..])),
        _ if key.starts_with('F') && key.len() > 1 => desk.press(&key.to_lowercase()),
        _ => desk.type_text(key),
    }
}

fn last_call(desk: &Desk) -> CallFields {
    let store = desk.store();
    let page = store.list_calls(&CallFilter::default(), None, 1).unwrap();
    page.calls[0].fields.clone()
}

#[test]
fn the_readme_s_keys_per_call_save_each_call_within_its_goal() {
    let sequences = sequences();
    assert_eq!(sequences.len(), 3, "{sequences:?}");
    for (what, said, keys) in sequences {
        let counted = keys.iter().filter(|k| *k != "\"…\"").count();
        assert_eq!(counted, said, "{what}: the README's count");
        let mut desk = Desk::unlocked(Lang::Es, COLOR);
        for key in &keys {
            replay(
                &mut desk,
                key,
                "Pregunta cómo denunciar una oferta de trabajo falsa.",
            );
        }
        let call = last_call(&desk);
        match what.as_str() {
            "silent call" => {
                assert!(counted <= 4, "{what}: {counted} keys");
                assert_eq!(call.reason, "NS_SILENT");
                assert!(call.caller_name.is_none() && call.caller_place.is_none());
                // Saved, and the operator is home again.
                assert!(desk.screen().contains("Llamada en silencio: guardada."));
                assert!(desk.screen().contains("| Inicio |"), "{}", desk.screen());
            }
            "routine information call" => {
                assert!(counted <= 12, "{what}: {counted} keys");
                assert_eq!(call.reason, "GENERAL_INFO");
                assert_eq!(call.caller_type, "FAMILY");
                assert_eq!(call.caller_place.unwrap().as_str(), "080000");
                assert_eq!(call.information_given, ["HOW_TO_REPORT"]);
                assert_eq!(call.outcomes, ["INFO_GIVEN"]);
                assert!(call.notes.starts_with("Pregunta cómo denunciar"));
            }
            "u1 emergency with a PNP referral" => {
                assert!(counted <= 30, "{what}: {counted} keys");
                assert_eq!(call.urgency, "U1_EMERGENCY");
                assert_eq!(call.reason, "CRISIS");
                assert_eq!(call.caller_place.as_ref().unwrap().as_str(), "170204");
                // Ended by the last save, not by F4 while the caller was on the line.
                assert!(call.ended_at.is_some());
                let [report] = call.emergency_actions.as_slice() else {
                    panic!("one report to the police: {:?}", call.emergency_actions);
                };
                assert_eq!(report.outcome, "LE_REPORTED");
                assert!(report.target.as_deref().unwrap().contains("105"));
                let store = desk.store();
                let referrals = store.list_referrals(&Default::default(), 10).unwrap();
                let [referral] = referrals.as_slice() else {
                    panic!("one referral: {referrals:?}");
                };
                assert_eq!(referral.fields.target_type, "PNP_TRAFFICKING");
                assert!(referral.fields.institution.starts_with("DIRCTPTIM"));
                assert_eq!(referral.fields.reason, "CRIMINAL_REPORT");
                assert_eq!(referral.fields.sharing_basis, "CONSENT");
                // The call's screen lists it, with its status.
                assert!(desk.screen().contains("Derivación  Enviada  DIRCTPTIM"));
            }
            other => panic!("a sequence the test does not know: {other}"),
        }
    }
}

#[test]
fn every_call_saved_at_once_is_three_keys_and_asks_nothing_personal() {
    for (at, reason) in [
        "NS_SILENT",
        "NS_HANGUP",
        "NS_PRANK",
        "NS_WRONG_NUMBER",
        "NS_TEST",
    ]
    .iter()
    .enumerate()
    {
        let mut desk = Desk::unlocked(Lang::En, COLOR);
        desk.press("ctrl-n");
        desk.type_text(&(at + 1).to_string());
        desk.press("enter");
        let call = last_call(&desk);
        assert_eq!(call.reason, *reason);
        assert_eq!(call.caller_type, "UNKNOWN");
        assert!(call.ended_at.is_some());
        assert!(desk.store().drafts().unwrap().is_empty(), "no draft left");
    }
}

#[test]
fn esc_on_the_template_menu_leaves_the_blank_form() {
    let mut desk = Desk::unlocked(Lang::En, COLOR);
    desk.press("ctrl-n esc");
    let screen = desk.screen();
    assert!(screen.contains("New call"), "{screen}");
    assert!(!screen.contains("Call templates"), "{screen}");
    // Typing goes to the form now: who is calling.
    desk.type_text("family");
    desk.press("enter");
    assert!(
        desk.screen()
            .contains("Caller                 Family member"),
        "{}",
        desk.screen()
    );
}
