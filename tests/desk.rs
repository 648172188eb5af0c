//! Key scripts through the real application state: what an operator does at the desk, and
//! what the store holds afterwards.

mod common;

use common::tui::{COLOR, Desk, ROSA_PHONE, ROSA_PHONE_OTHER_WAYS, now};
use linea::model::{CaseFields, Lang};
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
    // The emergency path: a warm transfer recorded with its time and whom it went to, a
    // name typed; pressed again on the same target, it is not recorded twice.
    desk.press("ctrl-t");
    desk.type_text("Comisaría Huepetuhe");
    desk.press("enter ctrl-t");
    desk.type_text("Comisaría Huepetuhe");
    desk.press("enter");
    assert!(
        desk.screen().contains("Ya registrado a las"),
        "{}",
        desk.screen()
    );
    // The checklist: location and minors present ticked, the list closed.
    desk.press("ctrl-a enter down down down enter esc");
    assert!(
        desk.screen().contains("[x] Ubicación [ ] Peligro ahora"),
        "{}",
        desk.screen()
    );
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
    assert_eq!(
        f.emergency_actions[0].target.as_deref(),
        Some("Comisaría Huepetuhe")
    );
    assert_eq!(f.emergency_checklist, ["LOCATION", "MINORS_PRESENT"]);
    assert!(f.outcomes.contains(&"WARM_TRANSFER".to_string()));
    assert_eq!(call.started_at(), now());
    assert_eq!(call.meta.author, "ana");
    assert!(call.possible_victim, "a minor with labour exploitation");
    assert!(
        store.drafts().unwrap().is_empty(),
        "the draft is gone once saved"
    );
}

/// Half a call typed: reason, name, and a line of notes, with the cursor in the notes.
fn half_typed_call(desk: &mut Desk) {
    desk.press("f3");
    desk.type_text("family");
    desk.press("enter");
    desk.type_text("report of");
    desk.press("enter tab");
    desk.type_text("Ana Ramos");
    for _ in 0..15 {
        desk.press("tab");
    }
    desk.type_text("Vio a dos menores en el bar");
}

#[test]
fn locking_with_a_half_typed_form_brings_it_back_exactly_after_unlocking() {
    let mut desk = Desk::unlocked(Lang::En, COLOR);
    half_typed_call(&mut desk);
    let before = desk.screen();
    assert!(before.contains("Vio a dos menores en el bar"), "{before}");

    desk.press("ctrl-l");
    let locked = desk.screen();
    assert!(desk.app.is_locked());
    assert!(
        desk.app.store().is_none(),
        "the store is closed while locked"
    );
    for secret in ["Ana Ramos", "Vio a dos", "Family member", "Report of"] {
        assert!(
            !locked.contains(secret),
            "{secret} still on the locked screen:\n{locked}"
        );
    }

    desk.unlock();
    assert_eq!(
        desk.screen(),
        before,
        "the form comes back as it was, cursor field included"
    );
    // And typing goes on where it stopped.
    desk.type_text(", de noche.");
    assert!(
        desk.screen()
            .contains("Vio a dos menores en el bar, de noche.")
    );
}

#[test]
fn a_crash_mid_form_loses_nothing_the_draft_comes_back_on_the_next_start() {
    let mut desk = Desk::unlocked(Lang::En, COLOR);
    half_typed_call(&mut desk);
    // The draft is written within a second of the last change, without saving the call.
    desk.tick_after_draft_delay();
    let before = desk.screen();
    let common::tui::Desk { office, app, .. } = desk;
    // A crash: nothing is cleaned up, nothing more is written.
    std::mem::forget(app);

    let mut desk = Desk::on(office, Lang::En, COLOR, 80, 24);
    desk.unlock();
    let after = desk.screen();
    assert!(
        after.contains("The call you were typing is back"),
        "{after}"
    );
    let strip = |s: &str| s.lines().skip(1).take(20).collect::<Vec<_>>().join("\n");
    assert_eq!(
        strip(&after),
        strip(&before),
        "the same form, the same field focused"
    );
    assert_eq!(
        desk.store().call_count().unwrap(),
        3,
        "the half call was not saved as a call"
    );
}

#[test]
fn a_wrong_passphrase_is_refused_and_the_next_try_waits() {
    let mut desk = Desk::new(Lang::En, COLOR, 80, 24);
    desk.type_text("not the passphrase");
    desk.press("enter");
    desk.app.tick();
    let screen = desk.screen();
    assert!(desk.app.is_locked());
    assert!(screen.contains("Wrong passphrase for ana"), "{screen}");
    assert!(screen.contains("Wait 1 s before trying again"), "{screen}");
    // Keys are ignored while waiting.
    desk.type_text("x");
    assert!(
        !desk.screen().contains("Passphrase             *"),
        "typing waits too"
    );
}

#[test]
fn quitting_with_a_call_half_typed_asks_and_keeps_the_draft() {
    let mut desk = Desk::unlocked(Lang::En, COLOR);
    half_typed_call(&mut desk);
    desk.press("f10");
    assert!(desk.screen().contains("Quit?"), "{}", desk.screen());
    assert!(!desk.app.should_quit());
    desk.press("esc");
    assert!(!desk.app.should_quit());
    desk.press("f10 enter");
    assert!(desk.app.should_quit());
    let drafts = desk.store().drafts().unwrap();
    assert_eq!(drafts.len(), 1, "the half-typed call is kept as a draft");
    assert!(drafts[0].body.contains("Vio a dos menores en el bar"));
}

#[test]
fn names_are_masked_in_the_list_until_revealed_on_the_selected_row() {
    let mut desk = Desk::unlocked(Lang::En, COLOR);
    desk.press("f5");
    let list = desk.screen();
    assert!(!list.contains("Rosa Quispe"), "{list}");
    // Neither the initials nor the length of a name show, and a number only its end.
    let row = list.lines().find(|l| l.contains(" U2 ")).unwrap();
    assert!(
        row.contains(" *****21 ") && row.ends_with(" *****"),
        "{row}"
    );
    assert!(!list.contains("R***"), "{list}");
    desk.press("down ctrl-r");
    let revealed = desk.screen();
    // At 80 columns the name is cut after its first words; the number is whole.
    assert!(
        revealed.contains("+51 987 654 321 Rosa Quispe"),
        "{revealed}"
    );
    assert!(
        !revealed.contains("Luz Apaza") && !revealed.contains("(01) 234-5678"),
        "only the selected row is revealed"
    );
    desk.press("down");
    let hidden = desk.screen();
    assert!(
        !hidden.contains("Rosa Quispe") && !hidden.contains("987 654"),
        "moving hides it again"
    );
}

#[test]
fn control_characters_from_a_record_are_shown_inert() {
    let desk = Desk::unlocked(Lang::En, COLOR);
    let mut store = desk.store();
    store.set_clock(linea::store::Clock::Fixed(now()));
    store
        .add_call(linea::model::CallFields {
            channel: "PHONE".into(),
            caller_type: "FAMILY".into(),
            reason: "TIP".into(),
            caller_name: Some("Eve\u{1b}[2J\u{7}".into()),
            ..Default::default()
        })
        .unwrap();
    drop(store);
    let mut desk = desk;
    desk.press("f5");
    desk.press("ctrl-r");
    let screen = desk.screen();
    assert!(screen.contains("Eve\\u{1b}[2J"), "{screen}");
    let buffer = desk.buffer();
    assert!(
        buffer
            .content()
            .iter()
            .all(|cell| !cell.symbol().contains('\u{1b}')),
        "an escape character reached the screen"
    );
}

#[test]
fn saving_without_a_reason_says_so_in_the_operators_language_and_goes_to_the_field() {
    let mut desk = Desk::unlocked(Lang::Es, COLOR);
    desk.press("f3");
    desk.type_text("famil");
    desk.press("enter f2");
    let screen = desk.screen();
    assert!(
        screen.contains("Falta Motivo para poder guardar."),
        "{screen}"
    );
    assert!(
        screen.contains(">Motivo"),
        "the cursor goes to the missing field:\n{screen}"
    );
    assert_eq!(desk.store().call_count().unwrap(), 3);
}

#[test]
fn the_screen_locks_itself_when_idle() {
    let office = common::Office::new();
    let ui = linea::tui::ui::Ui {
        i18n: linea::i18n::I18n::new(Lang::En),
        theme: linea::tui::theme::Theme::new(COLOR),
        keymap: linea::tui::keymap::Keymap::builtin(),
        reference: Default::default(),
    };
    let store = linea::store::OfficeStore::open(
        &office.dir(),
        "ana",
        &linea::keys::Passphrase::new(common::PASSPHRASE.into()),
    )
    .unwrap();
    let mut app = linea::tui::App::with_store(
        ui,
        linea::tui::Options {
            store_dir: office.dir(),
            operator: Some("ana".into()),
            hint: None,
            autolock: std::time::Duration::ZERO,
            keymap_problems: Vec::new(),
            clock: linea::store::Clock::Fixed(now()),
        },
        store,
    );
    assert!(!app.is_locked());
    app.tick();
    assert!(app.is_locked(), "idle past the auto-lock time");
    assert!(app.wipe, "the terminal is to be wiped");
}

#[test]
fn a_broken_keymap_shows_its_problems_and_offers_the_default() {
    let office = common::Office::new();
    let problems = linea::tui::keymap::check_text(
        "mine.toml",
        "extends = \"default\"\n[form]\n\"j\" = \"next-field\"\n",
        linea::tui::keymap::KeymapKind::Overlay,
    )
    .1;
    assert!(!problems.is_empty());
    let mut desk = Desk::on(office, Lang::En, COLOR, 80, 24);
    desk.app = linea::tui::App::new(
        linea::tui::ui::Ui {
            i18n: linea::i18n::I18n::new(Lang::En),
            theme: linea::tui::theme::Theme::new(COLOR),
            keymap: linea::tui::keymap::Keymap::builtin(),
            reference: Default::default(),
        },
        linea::tui::Options {
            store_dir: desk.office.dir(),
            operator: Some("ana".into()),
            hint: None,
            autolock: std::time::Duration::from_secs(300),
            keymap_problems: problems,
            clock: linea::store::Clock::Fixed(now()),
        },
    );
    let screen = desk.screen();
    assert!(screen.contains("The keymap file has problems"), "{screen}");
    assert!(screen.contains("mine.toml:3:1"), "{screen}");
    desk.press("enter");
    assert!(
        desk.screen().contains("Who is working?"),
        "continues with the default keymap"
    );
}

/// Rosa Quispe's number typed four ways in search (F6): her call each time, its number
/// masked until revealed.
#[test]
fn search_finds_a_caller_by_phone_typed_any_way() {
    let mut desk = Desk::unlocked(Lang::Es, COLOR);
    desk.press("f6");
    for typed in std::iter::once(ROSA_PHONE).chain(ROSA_PHONE_OTHER_WAYS) {
        desk.type_text(typed);
        let screen = desk.screen();
        assert!(screen.contains("1 llamada encontrada"), "{typed}: {screen}");
        assert!(screen.contains("Rosa Quispe"), "{screen}");
        assert!(!screen.contains("Luz Apaza"), "{screen}");
        let row = screen.lines().find(|l| l.contains("Rosa Quispe")).unwrap();
        assert!(row.contains("*****21"), "masked: {row}");
        for _ in typed.chars() {
            desk.press("backspace");
        }
    }
    desk.type_text("0987654321");
    desk.press("ctrl-r");
    let screen = desk.screen();
    assert!(screen.contains(ROSA_PHONE), "revealed: {screen}");
}

/// A new call from Rosa Quispe's number: the form says at once that she called before,
/// lists her call on one key, and puts the new call in her case on another.
#[test]
fn a_new_call_from_a_known_number_shows_the_earlier_calls_and_joins_their_case() {
    let desk = Desk::unlocked(Lang::En, COLOR);
    let case = {
        let mut store = desk.store();
        let filter = CallFilter {
            phone: Some(ROSA_PHONE.into()),
            ..CallFilter::default()
        };
        let rosa = store.list_calls(&filter, None, 1).unwrap().calls[0].clone();
        store
            .add_case(CaseFields {
                title: "Hija en Mazuko".into(),
                opened_from_call: Some(rosa.meta.id),
                ..CaseFields::default()
            })
            .unwrap()
    };
    let mut desk = desk;
    desk.press("f3");
    desk.type_text("family");
    desk.press("enter");
    desk.type_text("report of");
    desk.press("enter tab tab");
    desk.type_text("0987 654 32");
    assert!(
        !desk.screen().contains("earlier call"),
        "a number not complete yet is no earlier caller: {}",
        desk.screen()
    );
    desk.type_text("1");
    let screen = desk.screen();
    assert!(
        screen.contains("1 earlier call from this number — Ctrl-B: see them; Ctrl-K: same case"),
        "{screen}"
    );
    desk.press("ctrl-b");
    let screen = desk.screen();
    assert!(
        screen.contains("Rosa Quispe") || screen.contains("*****21"),
        "{screen}"
    );
    assert!(
        !screen.contains("*****78"),
        "only that number's calls: {screen}"
    );
    desk.press("esc ctrl-k");
    let screen = desk.screen();
    assert!(
        screen.contains("In the case of an earlier call from this number"),
        "{screen}"
    );
    desk.press("f2");
    assert!(desk.screen().contains("Call saved"), "{}", desk.screen());
    let store = desk.store();
    let in_case = store
        .list_calls(
            &CallFilter {
                case_id: Some(case.meta.id),
                ..CallFilter::default()
            },
            None,
            10,
        )
        .unwrap();
    assert_eq!(in_case.calls.len(), 2, "Rosa's first call and the new one");
    assert_eq!(
        in_case.calls[0].fields.caller_phone.as_deref(),
        Some("0987 654 321")
    );
}

/// A note of two lines, the first far longer than a row, with accents and a wide character.
const LONG_NOTE: [&str; 2] = [
    "La señora llamó desde Tambopata: su hija de 15 años aceptó una oferta de trabajo en un \
     restaurante de Huepetuhe y no contesta desde hace tres días.",
    "Dice que el número del empleador está en un papel con 漢字 escritos.",
];

#[test]
fn a_long_note_of_several_lines_wraps_comes_back_after_a_crash_and_is_saved_whole() {
    let mut desk = Desk::unlocked(Lang::Es, COLOR);
    desk.press("f3");
    desk.type_text("famil");
    desk.press("enter");
    desk.type_text("informaci");
    desk.press("enter");
    // From the urgency to the notes, the last field.
    for _ in 0..16 {
        desk.press("tab");
    }
    desk.type_text(LONG_NOTE[0]);
    desk.press("enter");
    desk.type_text(LONG_NOTE[1]);
    desk.tick_after_draft_delay();
    let before = desk.screen();
    // Wrapped between words within the 55 columns beside the labels, nothing cut.
    for row in [
        "La señora llamó desde Tambopata: su hija de 15 años",
        "aceptó una oferta de trabajo en un restaurante de",
        "Huepetuhe y no contesta desde hace tres días.",
        "Dice que el número del empleador está en un papel con",
        "漢字 escritos.",
    ] {
        assert!(before.contains(row), "{row:?} in\n{before}");
    }
    // A crash: nothing is cleaned up, nothing more is written.
    let common::tui::Desk { office, app, .. } = desk;
    std::mem::forget(app);

    let mut desk = Desk::on(office, Lang::Es, COLOR, 80, 24);
    desk.unlock();
    let after = desk.screen();
    let rows = |s: &str| s.lines().skip(1).take(20).collect::<Vec<_>>().join("\n");
    assert_eq!(rows(&after), rows(&before), "the same note, the same rows");
    // The cursor is where it was, and up goes to the row above, at the same column.
    desk.type_text(" Fin.");
    desk.press("up up");
    desk.type_text("X");
    desk.press("f2");
    let saved = desk.screen();
    assert!(saved.contains("Llamada guardada"), "{saved}");

    let page = desk
        .store()
        .list_calls(&CallFilter::default(), None, 1)
        .unwrap();
    let notes = &page.calls[0].fields.notes;
    let typed = format!("{}\n{} Fin.", LONG_NOTE[0], LONG_NOTE[1]);
    // "漢字 escritos. Fin." is 19 columns; 19 columns into "Huepetuhe y no contesta…".
    assert_eq!(
        *notes,
        typed.replace("Huepetuhe y no cont", "Huepetuhe y no contX"),
        "{notes}"
    );
    // The call's screen shows the whole note once the marker is on it.
    for _ in 0..19 {
        desk.press("down");
    }
    let view = desk.screen();
    for row in [
        "La señora llamó desde Tambopata: su hija de 15 años",
        "Huepetuhe y no contXesta desde hace tres días.",
        "漢字 escritos. Fin.",
    ] {
        assert!(view.contains(row), "{row:?} in\n{view}");
    }
}

#[test]
fn a_crisis_suggests_an_emergency_an_age_its_band_and_a_minor_at_u1_is_referred_for_protection() {
    let mut desk = Desk::unlocked(Lang::En, COLOR);
    desk.press("f3");
    desk.type_text("victim");
    desk.press("enter");
    desk.type_text("crisis");
    desk.press("enter");
    let screen = desk.screen();
    assert!(
        screen.contains("Urgency from the reason: Emergency"),
        "{screen}"
    );
    assert!(screen.contains("Emergency: imminent danger"), "{screen}");
    // From the urgency to the age: typed, its band follows.
    for _ in 0..10 {
        desk.press("tab");
    }
    desk.type_text("15");
    assert!(desk.screen().contains("Age band               14–17"));
    desk.press("f2");
    let call = &desk
        .store()
        .list_calls(&CallFilter::default(), None, 1)
        .unwrap()
        .calls[0];
    assert_eq!(call.fields.urgency, "U1_EMERGENCY");
    assert_eq!(call.fields.age_band.as_deref(), Some("A14_17"));
    // A referral from it proposes sharing to protect a minor, which the lead confirms.
    desk.press("f4");
    let referral = desk.screen();
    assert!(
        referral.contains("Basis for sharing      Protection of a minor"),
        "{referral}"
    );
    assert!(referral.contains("office lead confirms it"), "{referral}");
}

#[test]
fn an_urgency_the_operator_chose_stays_whatever_the_reason_says() {
    let mut desk = Desk::unlocked(Lang::En, COLOR);
    desk.press("f3");
    desk.press("tab tab");
    desk.type_text("priority");
    desk.press("enter");
    desk.press("shift-tab shift-tab");
    desk.type_text("crisis");
    desk.press("enter");
    let screen = desk.screen();
    assert!(screen.contains("Priority: active exploitation"), "{screen}");
    assert!(!screen.contains("Urgency from the reason"), "{screen}");
}

#[test]
fn adding_to_a_saved_call_keeps_what_the_form_does_not_show() {
    let mut desk = Desk::unlocked(Lang::En, COLOR);
    // Rosa Quispe's tip, second newest, attached to a case and given a transit place.
    let mut store = desk.store();
    let page = store.list_calls(&CallFilter::default(), None, 2).unwrap();
    let call = page.calls[1].clone();
    let case = store
        .add_case(linea::model::CaseFields {
            title: "Rosa".into(),
            ..Default::default()
        })
        .unwrap();
    let mut fields = call.fields.clone();
    fields.case_id = Some(case.meta.id);
    fields.transit_places = vec!["PE".parse().unwrap()];
    store
        .update_call(call.meta.id, fields, call.meta.version)
        .unwrap();
    // Opened from the list, added to (the notes), saved.
    desk.press("f5 down enter");
    desk.press("enter");
    desk.press("f2");
    assert!(desk.screen().contains("Call saved"));
    let saved = desk.store().call(call.meta.id).unwrap();
    assert_eq!(saved.meta.version, call.meta.version + 2);
    assert_eq!(
        saved.fields.case_id,
        Some(case.meta.id),
        "still in its case"
    );
    assert_eq!(saved.fields.transit_places, vec!["PE".parse().unwrap()]);
}

#[test]
fn notes_longer_than_the_screen_are_read_from_their_start_to_their_end_on_the_call_s_screen() {
    let mut desk = Desk::unlocked(Lang::En, COLOR);
    let notes: Vec<String> = (1..=30).map(|n| format!("line {n} of the note")).collect();
    desk.store()
        .add_call(linea::model::CallFields {
            channel: "PHONE".into(),
            caller_type: "FAMILY".into(),
            reason: "GENERAL_INFO".into(),
            notes: notes.join("\n"),
            ..Default::default()
        })
        .unwrap();
    // The newest call, its marker moved down to the notes.
    desk.press("f5 enter");
    for _ in 0..19 {
        desk.press("down");
    }
    let screen = desk.screen();
    assert!(
        screen.contains(">Notes                  line 1 of the note"),
        "{screen}"
    );
    assert!(!screen.contains("line 30 of"), "{screen}");
    for _ in 0..15 {
        desk.press("down");
    }
    let screen = desk.screen();
    assert!(screen.contains("line 30 of the note"), "{screen}");
    assert!(!screen.contains("line 1 of"), "{screen}");
    // Back up through the note (30 rows, 20 on screen) to the field above it.
    for _ in 0..10 {
        desk.press("up");
    }
    assert!(desk.screen().contains(">Notes                  line 1 of"));
    desk.press("up");
    assert!(desk.screen().contains(">Outcome"), "{}", desk.screen());
}

#[test]
fn keys_on_the_too_small_notice_do_nothing_and_the_form_comes_back_from_its_top() {
    let mut desk = Desk::unlocked(Lang::Es, COLOR);
    desk.press("f3");
    let before = desk.screen();
    // A terminal just big enough scrolls the form to keep the focus in view…
    desk.terminal.backend_mut().resize(60, 16);
    desk.press("tab tab tab tab tab tab tab tab tab tab tab tab tab");
    let scrolled = desk.screen();
    let first_row = |screen: &str| screen.lines().nth(1).unwrap_or_default().to_owned();
    assert_ne!(first_row(&scrolled), first_row(&before), "{scrolled}");
    // …and one too small takes no keys: they would go unseen into the form.
    desk.terminal.backend_mut().resize(40, 12);
    desk.draw();
    desk.type_text("hola");
    desk.press("tab enter f2");
    let notice = desk.screen();
    assert!(notice.contains("40x12"), "{notice}");
    desk.terminal.backend_mut().resize(80, 24);
    let after = desk.screen();
    // The whole form fits again: from its first field, no blank rows, the focus kept.
    assert_eq!(
        first_row(&after).trim_start_matches('>').trim(),
        first_row(&before).trim_start_matches('>').trim(),
        "{after}"
    );
    assert_eq!(after.lines().count(), before.lines().count());
    assert_eq!(desk.store().call_count().unwrap(), 3);
}

/// The panic wipe from the lock screen: the key twice (once only asks, and another key
/// cancels without being typed), then the screen looks as before, the passphrase that opened
/// the store is wrong, and central's recovery identity brings back every call.
#[test]
fn the_wipe_key_twice_on_the_lock_screen_leaves_only_central_s_recovery() {
    let mut desk = Desk::new(Lang::En, COLOR, 80, 24);
    let before = desk.screen();
    desk.press("ctrl-x");
    assert!(
        desk.screen()
            .contains("again destroys every operator's key"),
        "{}",
        desk.screen()
    );
    desk.press("a");
    assert_eq!(
        desk.screen(),
        before,
        "any other key cancels, and is not typed"
    );
    desk.office.run(&["call", "list"]).ok();

    desk.press("ctrl-x ctrl-x");
    assert_eq!(
        desk.screen(),
        before,
        "the question is gone while the wipe runs"
    );
    desk.app.tick();
    assert_eq!(desk.screen(), before, "nothing says what happened");
    desk.type_text(common::PASSPHRASE);
    desk.press("enter");
    desk.app.tick();
    assert!(desk.app.is_locked());
    let screen = desk.screen();
    assert!(screen.contains("Wrong passphrase for ana"), "{screen}");

    let recovery =
        linea::keys::AgeIdentity::read_recovery_file(&desk.office.recovery_file()).unwrap();
    let new = linea::keys::Passphrase::new("a new passphrase".into());
    let store =
        linea::store::Store::recover(&desk.office.dir(), &recovery, "ana", &new, 4).unwrap();
    assert_eq!(
        store.call_count().unwrap(),
        3,
        "the three calls of the demo office"
    );
}
