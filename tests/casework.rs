//! Casework by keys: a referral from a call, its statuses with notes, the lead's
//! confirmation for an exception, a case opened from a call with a person and a timeline,
//! the follow-up list, and search.

mod common;

use common::tui::{COLOR, Desk};
use linea::model::Lang;

/// Opens the seeded U2 tip call (the second row of the calls list).
fn open_tip_call(desk: &mut Desk) {
    desk.press("f5 down enter");
    assert!(
        desk.screen().contains("Started 2026-11-28 08:00"),
        "{}",
        desk.screen()
    );
}

#[test]
fn a_referral_from_a_call_goes_through_its_statuses_with_notes() {
    let mut desk = Desk::unlocked(Lang::En, COLOR);
    open_tip_call(&mut desk);
    desk.press("f4");
    desk.type_text("anti-trafficking");
    desk.press("enter");
    // The institution: suggested for the type, chosen from the list.
    desk.type_text("dirctptim");
    desk.press("enter");
    desk.type_text("criminal");
    desk.press("enter");
    // Consent is the default basis; sent now; by phone; a reference.
    desk.press("tab tab tab");
    desk.type_text("OF-2026-118");
    desk.press("f2");
    let screen = desk.screen();
    assert!(screen.contains("Referral saved."), "{screen}");
    assert!(screen.contains("DIRCTPTIM"), "{screen}");

    for (status, note) in [
        ("acknowledged", "Oficio recibido"),
        ("accepted", "Abren investigación"),
    ] {
        desk.press("enter");
        desk.type_text(status);
        desk.press("enter");
        desk.type_text(note);
        desk.press("f2");
        assert!(
            desk.screen().contains("Status recorded."),
            "{}",
            desk.screen()
        );
    }

    let store = desk.store();
    let referrals = store
        .list_referrals(&linea::store::ReferralFilter::default(), 10)
        .unwrap();
    assert_eq!(referrals.len(), 1);
    let referral = &referrals[0];
    assert_eq!(referral.fields.target_type, "PNP_TRAFFICKING");
    assert!(referral.fields.institution.contains("DIRCTPTIM"));
    assert_eq!(referral.fields.reason, "CRIMINAL_REPORT");
    assert_eq!(referral.fields.sharing_basis, "CONSENT");
    assert_eq!(referral.fields.reference.as_deref(), Some("OF-2026-118"));
    let history: Vec<(&str, &str)> = referral
        .history
        .iter()
        .map(|h| (h.status.as_str(), h.note.as_str()))
        .collect();
    assert_eq!(
        history,
        vec![
            ("SENT", ""),
            ("ACKNOWLEDGED", "Oficio recibido"),
            ("ACCEPTED", "Abren investigación")
        ]
    );
    assert_eq!(referral.history[1].at, common::tui::now());
}

#[test]
fn an_exception_to_consent_is_refused_without_the_leads_confirmation() {
    let mut desk = Desk::unlocked(Lang::En, COLOR);
    open_tip_call(&mut desk);
    desk.press("f4");
    desk.type_text("special protection");
    desk.press("enter");
    desk.type_text("UPE Madre de Dios");
    desk.press("enter");
    desk.type_text("additional");
    desk.press("enter");
    desk.press("backspace");
    desk.type_text("minor");
    desk.press("enter f2");
    assert!(
        desk.screen().contains("The office lead confirms"),
        "{}",
        desk.screen()
    );
    // Walking away from the question saves nothing.
    desk.press("esc f2");
    desk.type_text("not the lead's passphrase");
    desk.press("enter");
    desk.tick();
    assert!(
        desk.screen().contains("not the office lead's passphrase"),
        "{}",
        desk.screen()
    );
    assert!(
        desk.store()
            .list_referrals(&Default::default(), 10)
            .unwrap()
            .is_empty()
    );
    // The lead's passphrase confirms it.
    desk.type_text(common::PASSPHRASE);
    desk.press("enter");
    desk.tick();
    assert!(
        desk.screen().contains("Referral saved."),
        "{}",
        desk.screen()
    );
    let referrals = desk
        .store()
        .list_referrals(&Default::default(), 10)
        .unwrap();
    assert_eq!(referrals[0].fields.sharing_basis, "MINOR_PROTECTION");
    assert_eq!(referrals[0].fields.confirmed_by.as_deref(), Some("ana"));
}

#[test]
fn a_case_from_a_call_gathers_people_and_a_timeline() {
    let mut desk = Desk::unlocked(Lang::En, COLOR);
    open_tip_call(&mut desk);
    desk.press("ctrl-k enter");
    let screen = desk.screen();
    assert!(screen.contains("Case status: Active"), "{screen}");
    assert!(
        screen.contains("Call  Report of a possible trafficking"),
        "{screen}"
    );
    desk.press("ctrl-a");
    desk.type_text("victim");
    desk.press("enter");
    desk.type_text("Rosa");
    desk.press("tab tab tab");
    desk.type_text("15");
    desk.press("f2");
    let screen = desk.screen();
    assert!(screen.contains("Person recorded in the case."), "{screen}");
    assert!(screen.contains("Victim, Rosa, 15 years"), "{screen}");
    // A referral from the case shows in its timeline.
    desk.press("f4");
    desk.type_text("shelter");
    desk.press("enter");
    desk.type_text("Hogar");
    desk.press("enter");
    desk.type_text("additional");
    desk.press("enter f2");
    desk.press("esc");
    assert!(
        desk.screen().contains("Referral  Sent  Hogar"),
        "{}",
        desk.screen()
    );
    // The call now belongs to the case.
    let store = desk.store();
    let cases = store.list_cases(true, 10).unwrap();
    assert_eq!(cases.len(), 1);
    assert_eq!(store.people(cases[0].meta.id).unwrap().len(), 1);
}

#[test]
fn follow_up_lists_overdue_referrals_first_and_search_finds_by_name_without_accents() {
    let mut desk = Desk::unlocked(Lang::En, COLOR);
    open_tip_call(&mut desk);
    desk.press("f4");
    desk.type_text("police station");
    desk.press("enter");
    desk.type_text("Comisaría Mazuko");
    desk.press("enter");
    desk.type_text("criminal");
    desk.press("enter tab");
    desk.press("ctrl-u");
    let screen = desk.screen();
    assert!(
        !screen.contains("Comisaría Mazuko"),
        "nothing saved, nothing due: {screen}"
    );
    desk.press("esc f2 ctrl-u");
    let screen = desk.screen();
    assert!(screen.contains("1 referral due or overdue"), "{screen}");
    assert!(screen.contains("Comisaría Mazuko"), "{screen}");

    desk.press("f6");
    desk.type_text("QUISPE");
    let screen = desk.screen();
    assert!(screen.contains("Rosa Quispe"), "{screen}");
    assert!(!screen.contains("Luz Apaza"), "{screen}");
    desk.press("enter");
    assert!(
        desk.screen().contains("Started 2026-11-28 08:00"),
        "{}",
        desk.screen()
    );
}

/// Words typed to pick from lists, in the operator's language.
fn word(lang: Lang, en: &'static str, es: &'static str) -> &'static str {
    if lang == Lang::En { en } else { es }
}

/// The U2 tip call open, in `lang`.
fn at_tip_call(lang: Lang) -> Desk {
    let mut desk = Desk::unlocked(lang, COLOR);
    desk.press("f5 down enter");
    desk
}

fn at_referral_form(lang: Lang) -> Desk {
    let mut desk = at_tip_call(lang);
    desk.press("f4");
    desk.type_text(word(lang, "anti-trafficking", "trata de personas"));
    desk.press("enter");
    desk
}

fn at_referral(lang: Lang) -> Desk {
    let mut desk = at_referral_form(lang);
    desk.type_text("dirctptim");
    desk.press("enter");
    desk.type_text(word(lang, "criminal", "denuncia"));
    desk.press("enter f2");
    desk
}

fn at_case(lang: Lang) -> Desk {
    let mut desk = at_tip_call(lang);
    desk.press("ctrl-k enter ctrl-a");
    desk.type_text(word(lang, "victim", "victima"));
    desk.press("enter");
    desk.type_text("Rosa");
    desk.press("f2");
    desk
}

/// Every casework screen, in Spanish and English, as the operator sees it.
#[test]
fn casework_screens_at_80x24() {
    for lang in [Lang::Es, Lang::En] {
        let screens: Vec<(&str, Desk)> = vec![
            ("referral_form", at_referral_form(lang)),
            ("referral_exception", {
                let mut desk = at_referral_form(lang);
                desk.press("tab tab");
                desk.type_text(word(lang, "minor", "menor"));
                desk.press("enter f2");
                desk
            }),
            ("referral", at_referral(lang)),
            ("referral_status", {
                let mut desk = at_referral(lang);
                desk.press("enter");
                desk
            }),
            ("follow_up", {
                let mut desk = at_referral(lang);
                desk.press("ctrl-u");
                desk
            }),
            ("case", at_case(lang)),
            ("person_form", {
                let mut desk = at_tip_call(lang);
                desk.press("ctrl-k enter ctrl-a");
                desk
            }),
            ("case_choice", {
                let mut desk = at_tip_call(lang);
                desk.press("ctrl-k");
                desk
            }),
            ("search", {
                let mut desk = Desk::unlocked(lang, COLOR);
                desk.press("f6");
                desk.type_text("quispe");
                desk
            }),
        ];
        for (name, mut desk) in screens {
            insta::assert_snapshot!(format!("{name}_{lang}"), desk.screen());
        }
    }
}
