//! Every screen as the operator sees it at 80x24, in Spanish and in English, with and
//! without colour; and the cell styles that carry meaning (selection, urgency), which a text
//! snapshot cannot show.

mod common;

use common::Office;
use common::tui::{ASCII, COLOR, Desk, NO_COLOR};
use linea::exchange::enrollment::OfficeKit;
use linea::model::Lang;
use linea::tui::terminal::Caps;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

const LANGS: [Lang; 2] = [Lang::Es, Lang::En];

/// A wrong passphrase, the same in every test.
const WRONG_PASSPHRASE: &str = "not the passphrase";

/// What the operator types to reach a reason or an urgency by type-ahead.
fn silent_call(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "silent",
        _ => "silencio",
    }
}

fn emergency(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "emergency",
        _ => "emergencia",
    }
}

fn name(screen: &str, lang: Lang) -> String {
    format!("{screen}_{lang}")
}

// How the operator gets to each screen.

/// The keys that lead to one screen, in a language and with the terminal's capabilities.
type Reach = fn(Lang, Caps) -> Desk;

fn at_unlock(lang: Lang, caps: Caps) -> Desk {
    Desk::new(lang, caps, 80, 24)
}

fn after_wrong_passphrase(lang: Lang, caps: Caps) -> Desk {
    let mut desk = Desk::new(lang, caps, 80, 24);
    desk.type_text(WRONG_PASSPHRASE);
    desk.press("enter");
    desk.app.tick();
    assert!(desk.app.is_locked());
    desk
}

/// The first run with central's kit read: its fingerprint to compare, by phone. The
/// fingerprint (of a central made for the test) is shown as [FINGERPRINT].
fn at_kit_fingerprint(lang: Lang, caps: Caps) -> (Desk, String) {
    let central = Office::new();
    let kit = central.root.path().join("demo").join("office-kit.json");
    let fingerprint = OfficeKit::read(&kit).expect("the demo's kit").fingerprint();
    let mut desk = Desk::first_run(lang, caps);
    desk.press("enter");
    desk.type_text(&kit.display().to_string());
    desk.press("tab");
    desk.type_text("maria");
    desk.press("tab");
    desk.type_text("una frase bastante larga");
    desk.press("tab");
    desk.type_text("una frase bastante larga");
    desk.press("enter");
    (desk, fingerprint)
}

fn at_home(lang: Lang, caps: Caps) -> Desk {
    Desk::unlocked(lang, caps)
}

fn at_new_call(lang: Lang, caps: Caps) -> Desk {
    let mut desk = Desk::unlocked(lang, caps);
    desk.press("f3");
    desk
}

fn at_pick_list(lang: Lang, caps: Caps) -> Desk {
    let mut desk = at_new_call(lang, caps);
    desk.type_text("fam");
    desk
}

fn at_emergency_with_transfer(lang: Lang, caps: Caps) -> Desk {
    let mut desk = at_new_call(lang, caps);
    // Caller type, reason: skipped; urgency: emergency.
    desk.press("tab tab");
    desk.type_text(emergency(lang));
    desk.press("enter");
    // To the first of the institutions serving the caller's place.
    desk.press("ctrl-t enter");
    desk
}

fn at_silent_call(lang: Lang, caps: Caps) -> Desk {
    let mut desk = at_new_call(lang, caps);
    desk.press("tab");
    desk.type_text(silent_call(lang));
    desk.press("enter");
    desk
}

/// A new call with something in it: the caller type chosen.
fn at_touched_call(lang: Lang, caps: Caps) -> Desk {
    let mut desk = at_new_call(lang, caps);
    desk.type_text("fam");
    desk.press("enter");
    desk
}

/// A new call whose caller's number (Rosa Quispe's, typed another way) called before.
fn at_call_from_a_known_number(lang: Lang, caps: Caps) -> Desk {
    let mut desk = at_new_call(lang, caps);
    // Caller type, reason, urgency, name: skipped.
    desk.press("tab tab tab tab");
    desk.type_text("0987654321");
    desk
}

fn at_search_by_phone(lang: Lang, caps: Caps) -> Desk {
    let mut desk = Desk::unlocked(lang, caps);
    desk.press("f6");
    desk.type_text("987-654-321");
    desk
}

/// A note far longer than a row, over two lines, with accents and a wide character.
fn at_long_note(lang: Lang, caps: Caps) -> Desk {
    let mut desk = at_new_call(lang, caps);
    // From the caller type to the notes, the last field.
    desk.press(&["tab"; 18].join(" "));
    desk.type_text(
        "La señora llamó desde Tambopata: su hija de 15 años aceptó una oferta de trabajo \
         en un restaurante de Huepetuhe y no contesta desde hace tres días.",
    );
    desk.press("enter");
    desk.type_text("Dice que el número del empleador está en un papel con 漢字 escritos.");
    desk
}

fn at_calls(lang: Lang, caps: Caps) -> Desk {
    let mut desk = Desk::unlocked(lang, caps);
    desk.press("f5");
    desk
}

fn row_of_rosa_quispe(lang: Lang, caps: Caps) -> Desk {
    // Newest first: the silent call, then Rosa Quispe's tip (U2), then Luz Apaza's question.
    let mut desk = at_calls(lang, caps);
    desk.press("down");
    desk
}

/// Presses `keys` on `desk`, for one more step.
fn then(mut desk: Desk, keys: &str) -> Desk {
    desk.press(keys);
    desk
}

fn at_first_run(lang: Lang, caps: Caps) -> Desk {
    Desk::first_run(lang, caps)
}

fn at_kit_form(lang: Lang, caps: Caps) -> Desk {
    then(Desk::first_run(lang, caps), "enter")
}

fn at_fingerprint(lang: Lang, caps: Caps) -> Desk {
    at_kit_fingerprint(lang, caps).0
}

fn at_help_from_home(lang: Lang, caps: Caps) -> Desk {
    then(at_home(lang, caps), "f1")
}

fn at_help_scrolled(lang: Lang, caps: Caps) -> Desk {
    then(at_home(lang, caps), "f1 pgdn")
}

fn at_help_from_the_form(lang: Lang, caps: Caps) -> Desk {
    then(at_new_call(lang, caps), "f1")
}

fn at_calls_filter(lang: Lang, caps: Caps) -> Desk {
    then(at_calls(lang, caps), "ctrl-f")
}

fn at_name_revealed(lang: Lang, caps: Caps) -> Desk {
    then(row_of_rosa_quispe(lang, caps), "ctrl-r")
}

fn at_call_opened(lang: Lang, caps: Caps) -> Desk {
    then(row_of_rosa_quispe(lang, caps), "enter")
}

fn at_call_being_added_to(lang: Lang, caps: Caps) -> Desk {
    then(row_of_rosa_quispe(lang, caps), "enter enter")
}

fn at_discard_question(lang: Lang, caps: Caps) -> Desk {
    then(at_touched_call(lang, caps), "esc")
}

fn at_quit_question(lang: Lang, caps: Caps) -> Desk {
    then(at_touched_call(lang, caps), "f10")
}

fn at_too_small(lang: Lang, caps: Caps) -> Desk {
    Desk::new(lang, caps, 40, 10)
}

/// Every screen, by the name of its snapshot.
const SCREENS: &[(&str, Reach)] = &[
    ("unlock", at_unlock),
    ("unlock_wrong_passphrase", after_wrong_passphrase),
    ("first_run", at_first_run),
    ("first_run_kit", at_kit_form),
    ("first_run_fingerprint", at_fingerprint),
    ("home", at_home),
    ("help_home", at_help_from_home),
    ("help_home_scrolled", at_help_scrolled),
    ("help_new_call", at_help_from_the_form),
    ("new_call", at_new_call),
    ("new_call_pick_list", at_pick_list),
    ("new_call_emergency", at_emergency_with_transfer),
    ("new_call_silent", at_silent_call),
    ("new_call_known_number", at_call_from_a_known_number),
    ("search_phone", at_search_by_phone),
    ("new_call_long_note", at_long_note),
    ("calls", at_calls),
    ("calls_filter", at_calls_filter),
    ("calls_revealed", at_name_revealed),
    ("call_opened", at_call_opened),
    ("call_edit", at_call_being_added_to),
    ("discard_question", at_discard_question),
    ("quit_question", at_quit_question),
    ("too_small", at_too_small),
];

// Snapshots.

/// Snapshots the screen `reach` leads to, in colour, in Spanish and in English.
fn snapshot(screen: &str, reach: Reach) {
    for lang in LANGS {
        insta::assert_snapshot!(name(screen, lang), reach(lang, COLOR).screen());
    }
}

#[test]
fn unlock() {
    snapshot("unlock", at_unlock);
}

#[test]
fn unlock_after_a_wrong_passphrase() {
    snapshot("unlock_wrong_passphrase", after_wrong_passphrase);
}

#[test]
fn first_run() {
    snapshot("first_run", at_first_run);
}

#[test]
fn first_run_asking_for_central_s_kit() {
    snapshot("first_run_kit", at_kit_form);
}

#[test]
fn first_run_showing_central_s_fingerprint() {
    for lang in LANGS {
        let (mut desk, fingerprint) = at_kit_fingerprint(lang, COLOR);
        let screen = desk.screen();
        assert!(screen.contains(&fingerprint), "{screen}");
        insta::assert_snapshot!(
            name("first_run_fingerprint", lang),
            screen.replace(&fingerprint, "[FINGERPRINT]")
        );
    }
}

#[test]
fn home() {
    snapshot("home", at_home);
}

#[test]
fn help_from_home() {
    snapshot("help_home", at_help_from_home);
}

#[test]
fn help_scrolled_to_its_end() {
    snapshot("help_home_scrolled", at_help_scrolled);
}

#[test]
fn help_from_the_call_form() {
    snapshot("help_new_call", at_help_from_the_form);
}

#[test]
fn new_call_form() {
    snapshot("new_call", at_new_call);
}

#[test]
fn new_call_with_a_pick_list_open() {
    snapshot("new_call_pick_list", at_pick_list);
}

#[test]
fn new_call_in_an_emergency_with_a_warm_transfer_recorded() {
    snapshot("new_call_emergency", at_emergency_with_transfer);
}

#[test]
fn new_silent_call_hides_personal_fields() {
    snapshot("new_call_silent", at_silent_call);
}

#[test]
fn new_call_from_a_number_that_called_before() {
    snapshot("new_call_known_number", at_call_from_a_known_number);
}

#[test]
fn search_by_phone() {
    snapshot("search_phone", at_search_by_phone);
}

#[test]
fn new_call_with_a_long_note_wraps_it() {
    snapshot("new_call_long_note", at_long_note);
}

#[test]
fn calls_list() {
    snapshot("calls", at_calls);
}

#[test]
fn calls_list_with_the_filter_open() {
    snapshot("calls_filter", at_calls_filter);
}

#[test]
fn calls_list_with_a_name_revealed() {
    snapshot("calls_revealed", at_name_revealed);
}

#[test]
fn call_opened_from_the_list() {
    snapshot("call_opened", at_call_opened);
}

#[test]
fn saved_call_opened_for_adding_to_it() {
    snapshot("call_edit", at_call_being_added_to);
}

#[test]
fn discarding_a_new_call_asks_first() {
    snapshot("discard_question", at_discard_question);
}

#[test]
fn quitting_with_a_call_being_typed_asks_first() {
    for lang in LANGS {
        let mut desk = at_quit_question(lang, COLOR);
        assert!(!desk.app.should_quit());
        insta::assert_snapshot!(name("quit_question", lang), desk.screen());
    }
}

#[test]
fn too_small_terminal() {
    snapshot("too_small", at_too_small);
}

#[test]
fn pick_list_in_ascii() {
    for lang in LANGS {
        let mut desk = at_pick_list(lang, ASCII);
        let screen = desk.screen();
        assert!(
            screen.is_ascii(),
            "nothing but ASCII without UTF-8, accents transliterated:\n{screen}"
        );
        insta::assert_snapshot!(name("new_call_pick_list_ascii", lang), screen);
    }
}

#[test]
fn without_colour_the_text_is_the_same() {
    let screens: [(&str, Reach); 3] = [
        ("home", at_home),
        ("calls", at_calls),
        ("new_call", at_new_call),
    ];
    for lang in LANGS {
        for (screen, reach) in screens {
            let plain = reach(lang, NO_COLOR).screen();
            assert_eq!(
                plain,
                reach(lang, COLOR).screen(),
                "{screen} in {lang} differs without colour"
            );
            insta::assert_snapshot!(name(&format!("{screen}_no_color"), lang), plain);
        }
    }
}

// Cell styles.

/// The rows of the screen as text, to find a row by what it says.
fn rows(buffer: &Buffer) -> Vec<String> {
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect()
        })
        .collect()
}

/// The cells of row `y` that hold text (up to the last non-blank one).
fn text_cells(buffer: &Buffer, y: u16) -> Vec<(u16, u16)> {
    let row = &rows(buffer)[y as usize];
    let used = row.trim_end().chars().count() as u16;
    (0..used).map(|x| (x, y)).collect()
}

/// The calls list's selected row: the one starting with the marker.
fn selected_row(buffer: &Buffer) -> u16 {
    let rows = rows(buffer);
    let found: Vec<usize> = (1..rows.len() - 2)
        .filter(|y| rows[*y].starts_with('>'))
        .collect();
    assert_eq!(found.len(), 1, "one selected row:\n{}", rows.join("\n"));
    found[0] as u16
}

fn assert_reversed(buffer: &Buffer, y: u16) {
    for (x, y) in text_cells(buffer, y) {
        assert!(
            buffer[(x, y)].modifier.contains(Modifier::REVERSED),
            "cell {x},{y} of the selected row is not in reverse video"
        );
    }
}

#[test]
fn selected_call_is_in_reverse_video_and_the_urgent_one_in_red() {
    for lang in LANGS {
        let mut desk = at_calls(lang, COLOR);
        let buffer = desk.buffer();
        let selected = selected_row(&buffer);
        assert_reversed(&buffer, selected);
        let rows = rows(&buffer);
        let urgent = rows
            .iter()
            .position(|row| row.contains(" U2 "))
            .expect("the U2 call is listed") as u16;
        assert_ne!(urgent, selected, "the U2 call is not the selected one");
        for (x, y) in text_cells(&buffer, urgent) {
            assert_eq!(
                buffer[(x, y)].fg,
                Color::Red,
                "cell {x},{y} of the U2 row is not red: {}",
                rows[y as usize]
            );
        }
        // The oldest call, a routine one, at the bottom of the list.
        let routine = rows
            .iter()
            .rposition(|row| row.contains(" U4 "))
            .expect("a routine call is listed") as u16;
        assert_ne!(routine, selected);
        assert!(
            text_cells(&buffer, routine)
                .iter()
                .all(|cell| buffer[*cell].fg != Color::Red),
            "a routine call is not red"
        );
    }
}

#[test]
fn without_colour_no_cell_has_a_colour() {
    for lang in LANGS {
        for (screen, reach) in SCREENS {
            let buffer = reach(lang, NO_COLOR).buffer();
            for y in 0..buffer.area.height {
                for x in 0..buffer.area.width {
                    let cell = &buffer[(x, y)];
                    assert!(
                        cell.fg == Color::Reset && cell.bg == Color::Reset,
                        "{screen} in {lang}: cell {x},{y} ({:?}) has fg {:?} bg {:?}",
                        cell.symbol(),
                        cell.fg,
                        cell.bg
                    );
                }
            }
        }
    }
}

#[test]
fn without_colour_the_selected_call_is_marked_and_in_reverse_video() {
    for lang in LANGS {
        for mut desk in [at_calls(lang, NO_COLOR), row_of_rosa_quispe(lang, NO_COLOR)] {
            let buffer = desk.buffer();
            let selected = selected_row(&buffer);
            assert!(rows(&buffer)[selected as usize].starts_with('>'));
            assert_reversed(&buffer, selected);
        }
    }
}
