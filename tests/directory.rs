//! The directory (F8) driven through the real application: scripts read in the operator's
//! language, the filter routing a place to its institutions most local first, and the
//! screen as the operator sees it at 80x24 in Spanish and English.

mod common;

use common::tui::{COLOR, Desk};
use linea::model::directory::{self, Coverage};
use linea::model::places::{self, PlaceKind, PlaceNames};
use linea::model::{Lang, Place};
use linea::tui::widgets::form::wrap;

const LANGS: [Lang; 2] = [Lang::Es, Lang::En];

/// Unlocked as ana, at home, then F8.
fn at_directory(lang: Lang) -> Desk {
    let mut desk = Desk::unlocked(lang, COLOR);
    desk.press("f8");
    desk
}

/// The rows of the screen, trimmed.
fn rows(desk: &mut Desk) -> Vec<String> {
    desk.screen().lines().map(str::to_owned).collect()
}

/// The first row showing `text`, if any.
fn row_of(desk: &mut Desk, text: &str) -> Option<usize> {
    rows(desk).iter().position(|row| row.contains(text))
}

/// The lines a script shows at full width, as the reading view wraps it.
fn script_lines(topic: &str, lang: Lang) -> Vec<String> {
    let script = directory::script(topic).unwrap_or_else(|| panic!("no script {topic}"));
    wrap(script.text(lang), 80)
}

/// The directory with a place and a type chosen in its filter: a district of Lima, and
/// the specialised trafficking prosecutors.
fn filtered_to_lima_prosecutors(lang: Lang) -> Desk {
    let mut desk = at_directory(lang);
    desk.press("ctrl-f");
    // A district the built-in list does not name is typed as its ubigeo.
    desk.type_text("150101");
    desk.press("enter");
    desk.type_text("fistrap");
    desk.press("enter f2");
    desk
}

#[test]
fn f8_opens_the_directory_with_scripts_then_institutions() {
    let mut desk = at_directory(Lang::Es);
    let screen = desk.screen();
    assert!(screen.contains("Directorio"), "{screen}");
    let scripts = row_of(&mut desk, "Guiones para leer").expect("scripts heading");
    let institutions = row_of(&mut desk, "Instituciones (").expect("institutions heading");
    assert!(scripts < institutions, "{screen}");
    // The first script is selected, and its start shows in the panel below.
    assert!(screen.contains("> Qué es la trata de personas"), "{screen}");
    assert!(screen.contains("Enter: leer todo"), "{screen}");
}

#[test]
fn enter_reads_a_script_in_the_operator_s_language_and_esc_goes_back() {
    for lang in LANGS {
        let mut desk = at_directory(lang);
        // The third topic of the list (in `info_topic` order): how to report.
        desk.press("down down enter");
        let screen = desk.screen();
        for line in script_lines("HOW_TO_REPORT", lang) {
            assert!(
                screen.contains(&line),
                "{lang}: missing {line:?} in\n{screen}"
            );
        }
        // The other language's text is not there.
        let other = if lang == Lang::Es { Lang::En } else { Lang::Es };
        assert!(!screen.contains(&script_lines("HOW_TO_REPORT", other)[0]));
        desk.press("esc");
        let screen = desk.screen();
        assert!(screen.contains("> "), "{lang}: back in the list\n{screen}");
        desk.press("esc");
        assert!(row_of(&mut desk, "Instituciones (").is_none());
        assert!(row_of(&mut desk, "Institutions (").is_none());
    }
}

#[test]
fn enter_on_an_institution_shows_its_details_and_no_invented_phone() {
    let mut desk = at_directory(Lang::En);
    // Past the scripts, onto the first institution: the police emergency line.
    desk.press(&"down ".repeat(directory::SCRIPTS.len()));
    desk.press("enter");
    let screen = desk.screen();
    assert!(screen.contains("Central de Emergencias 105"), "{screen}");
    assert!(screen.contains("Phone: 105"), "{screen}");
    assert!(screen.contains("Coverage: National"), "{screen}");
    assert!(screen.contains("Hours: —"), "{screen}");
    assert!(screen.contains("Not verified"), "{screen}");
}

#[test]
fn the_filter_routes_a_lima_district_to_its_own_prosecutor_first() {
    let mut desk = filtered_to_lima_prosecutors(Lang::Es);
    let screen = desk.screen();
    assert!(screen.contains("Lima, Lima (Lima)"), "{screen}");
    assert!(screen.contains("Instituciones (2)"), "{screen}");
    let local = row_of(&mut desk, "FISTRAP Lima").expect("the Lima office");
    let national = row_of(&mut desk, "FISTRAP – Fiscalías").expect("the national entry");
    assert!(local < national, "{screen}");
    // The filter selects the first institution.
    assert!(screen.contains("> FISTRAP Lima"), "{screen}");
}

#[test]
fn a_place_with_no_local_service_falls_back_to_national_ones() {
    let mut desk = at_directory(Lang::Es);
    desk.press("ctrl-f");
    desk.type_text("cusco");
    desk.press("enter f2");
    let screen = desk.screen();
    assert!(screen.contains("Filtro: Cusco"), "{screen}");
    let national = directory::suggest(None, None).len();
    assert_eq!(national, directory::INSTITUTIONS.len() - 1);
    assert!(
        screen.contains(&format!("Instituciones ({national})")),
        "{screen}"
    );
    desk.press("end");
    assert!(
        row_of(&mut desk, "FISTRAP Lima").is_none(),
        "{}",
        desk.screen()
    );
}

// Snapshots.

fn name(screen: &str, lang: Lang) -> String {
    format!("{screen}_{lang}")
}

#[test]
fn snapshot_of_the_directory() {
    for lang in LANGS {
        insta::assert_snapshot!(name("directory", lang), at_directory(lang).screen());
    }
}

#[test]
fn snapshot_of_a_script_being_read() {
    for lang in LANGS {
        let mut desk = at_directory(lang);
        desk.press("enter");
        insta::assert_snapshot!(name("directory_script", lang), desk.screen());
    }
}

#[test]
fn snapshot_of_the_directory_filtered() {
    for lang in LANGS {
        let mut desk = filtered_to_lima_prosecutors(lang);
        insta::assert_snapshot!(name("directory_filtered", lang), desk.screen());
    }
}

#[test]
fn snapshot_of_the_filter_form() {
    for lang in LANGS {
        let mut desk = at_directory(lang);
        desk.press("ctrl-f");
        insta::assert_snapshot!(name("directory_filter", lang), desk.screen());
    }
}

#[test]
fn the_demo_s_directory_gives_every_department_local_services_and_the_banner_their_numbers() {
    let office = common::Office::with_directory();
    let (_, content) = linea::exchange::pack::applied_content(&office.office_store())
        .unwrap()
        .expect("the demo's first pack");
    let directory = content.directory();
    let names = PlaceNames::default();
    for (digits, department) in places::departments() {
        // The department's first district stands for any caller there.
        let (district, _) = names
            .all()
            .into_iter()
            .find(|(code, _)| {
                code.starts_with(digits) && PlaceKind::of(code) == Some(PlaceKind::District)
            })
            .unwrap();
        let place: Place = district.parse().unwrap();
        for target_type in ["PNP_STATION", "MIMP_CEM", "MP_PROSECUTOR_OTHER", "SHELTER"] {
            let first = directory.suggest(Some(&place), Some(target_type))[0];
            assert!(
                first.coverage != Coverage::National && first.name.ends_with("(demo)"),
                "{department} {target_type}: {}",
                first.name
            );
        }
    }
    // A U1 call from Huepetuhe: the banner names its own comisaría and the department's CEM.
    let mut desk = Desk::on(office, Lang::Es, COLOR, 100, 30);
    desk.unlock();
    desk.press("f3 tab tab space");
    desk.type_text("emergencia");
    // Picking moves on to the name: the phone, then the place.
    desk.press("enter tab tab space");
    desk.type_text("huepe");
    desk.press("enter");
    let screen = desk.screen();
    assert!(
        screen.contains("Lugar de quien llama   Huepetuhe, Manu (Madre de Dios)"),
        "{screen}"
    );
    assert!(
        screen.contains("Cerca de quien llama: 000-170204 Comisaría PNP Huepetuhe (demo) | 000-17-2 CEM Madre de Dios (demo)"),
        "{screen}"
    );
}
