//! Reference packs end to end: built at central from its files (a small directory, a script,
//! and INEI's real ubigeo table, tests/data/peru-districts.csv), carried by `central sync` and
//! `sync`, and used by the desk: referral routing down to the district, the directory screen
//! (F8), and place pickers that know provinces and districts by name. Hostile `pack build` inputs are
//! refused whole; an office refuses a pack whose content breaks the rules, an older one, or
//! an expired one, and keeps the directory it had.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{TimeDelta, Utc};
use common::Office;
use common::exchange::{Forge, assert_refused, set_aside, to_office};
use common::tui::{COLOR, Desk, seed_calls};
use linea::exchange::mail::Mail;
use linea::exchange::pack::{DirectoryEntry, Pack, PackContent, applied_content};
use linea::model::{Lang, Place};

/// INEI's district table: its codes and names, as `tools/gen-ubigeo.py` takes them from the
/// shared data set (a test's temporary folder gets a copy).
const UBIGEO_DISTRITO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/peru-districts.csv");

/// One service at each level for a caller in Tambopata (district 170101, province 1701,
/// department 17 Madre de Dios), and a national line.
const DIRECTORY: &str = "\
id,name,target_type,coverage,phone,hours,last_verified
LINEA_100_PACK,Línea 100 (paquete),MIMP_CEM,national,100,24 h,2024-05-02
DIRCTPTIM_MDD,DEPTRATA Madre de Dios,PNP_TRAFFICKING,17,(082) 57-1000,24 h,2024-05-02
FISCALIA_TAMBOPATA,Fiscalía Provincial de Tambopata,MP_PROSECUTOR_OTHER,1701,(082) 57-2000,L-V 08:00-16:30,2024-05-02
CEM_TAMBOPATA,CEM Tambopata,MIMP_CEM,170101,(082) 57-3000; 100,L-V 08:00-16:00,2024-05-02
";

/// In the order a call in 170101 must get them: district, province, department, national.
const ROUTED: [&str; 4] = [
    "CEM_TAMBOPATA",
    "FISCALIA_TAMBOPATA",
    "DIRCTPTIM_MDD",
    "LINEA_100_PACK",
];

const SCRIPT_ES: &str = "Texto del paquete: si alguien está en peligro, llame al 105.";

/// A folder of pack sources under the test's root, with the real ubigeo table.
fn sources(office: &Office, name: &str, directory: &str) -> PathBuf {
    let dir = office.root.path().join(name);
    fs::create_dir_all(dir.join("scripts")).unwrap();
    fs::write(dir.join("directory.csv"), directory).unwrap();
    fs::write(dir.join("scripts").join("HOW_TO_REPORT.es.txt"), SCRIPT_ES).unwrap();
    fs::copy(UBIGEO_DISTRITO, dir.join("ubigeo_distrito.csv")).unwrap();
    dir
}

fn build(office: &Office, dir: &Path) -> common::Run {
    office.central(&["central", "pack", "build", "--from", dir.to_str().unwrap()])
}

/// A demo office (with the desk's three seeded calls) whose pack from central is applied.
fn office_with_pack() -> Office {
    let office = Office::new();
    seed_calls(&office);
    let built = build(&office, &sources(&office, "pack", DIRECTORY)).ok();
    assert!(
        built.stdout.contains(
            "Built reference pack 1: 4 institutions, 1 scripts (1 topics), 25 departments, 196 provinces, 1892 districts, 0 code-list extensions."
        ),
        "{built:?}"
    );
    let stick = office.stick("stick");
    office.central_sync(&stick).ok();
    let applied = office.sync(&stick).ok();
    assert!(
        applied.stdout.contains("Applied reference pack 1."),
        "{applied:?}"
    );
    office
}

fn applied(office: &Office) -> (u64, PackContent) {
    applied_content(&office.office_store())
        .unwrap()
        .expect("a pack is applied")
}

fn place(code: &str) -> Place {
    code.parse().unwrap()
}

#[test]
fn a_pack_built_at_central_routes_a_call_in_170101_district_then_province_department_national() {
    let office = office_with_pack();
    let (version, content) = applied(&office);
    assert_eq!(version, 1);
    let directory = content.directory();
    let ids = |found: Vec<&linea::model::directory::Institution>| -> Vec<String> {
        found.iter().map(|i| i.id.to_string()).collect()
    };
    assert_eq!(ids(directory.suggest(Some(&place("170101")), None)), ROUTED);
    // Another district of the province: no district service, the rest in order.
    assert_eq!(
        ids(directory.suggest(Some(&place("170102")), None)),
        ROUTED[1..]
    );
    // Elsewhere in Peru: only the national line.
    assert_eq!(
        ids(directory.suggest(Some(&place("150101")), None)),
        ["LINEA_100_PACK"]
    );
    // The type narrows every level.
    assert_eq!(
        ids(directory.suggest(Some(&place("170101")), Some("MIMP_CEM"))),
        ["CEM_TAMBOPATA", "LINEA_100_PACK"]
    );
    let names = content.place_names();
    assert_eq!(names.name("170101"), Some("Tambopata"));
    assert_eq!(names.name("170100"), Some("Tambopata"));
    assert_eq!(names.name("170102"), Some("Inambari"));
    assert_eq!(content.place_counts(), (25, 196, 1892));
}

#[test]
fn the_directory_screen_lists_the_pack_s_institutions_and_scripts() {
    let mut desk = Desk::on(office_with_pack(), Lang::Es, COLOR, 100, 30);
    desk.unlock();
    desk.press("f8");
    let screen = desk.screen();
    assert!(screen.contains("Instituciones (4)"), "{screen}");
    assert!(screen.contains("CEM Tambopata"), "{screen}");
    // The built-in directory is replaced, not added to.
    assert!(!screen.contains("Central de Emergencias 105"), "{screen}");
    // The pack's one script is the only one, and reads its own text.
    assert!(screen.contains("> Cómo reportar"), "{screen}");
    assert!(!screen.contains("Qué es la trata"), "{screen}");
    desk.press("enter");
    assert!(desk.screen().contains(SCRIPT_ES), "{}", desk.screen());
    // The district's service, in full, with its place by name and its check date.
    desk.press("esc end");
    desk.press("enter");
    let screen = desk.screen();
    assert!(screen.contains("CEM Tambopata"), "{screen}");
    assert!(
        screen.contains("Tambopata, Tambopata (Madre de Dios)"),
        "{screen}"
    );
    assert!(screen.contains("(082) 57-3000 / 100"), "{screen}");
    assert!(screen.contains("2024-05-02"), "{screen}");
}

#[test]
fn a_place_picker_finds_a_district_by_typing_its_name() {
    let mut desk = Desk::on(office_with_pack(), Lang::Es, COLOR, 100, 30);
    desk.unlock();
    desk.press("f8 ctrl-f");
    desk.type_text("tambopata");
    let screen = desk.screen();
    // The province first, then its district of the same name.
    assert!(
        screen.contains("Tambopata (provincia, Madre de Dios)"),
        "{screen}"
    );
    assert!(
        screen.contains("Tambopata, Tambopata (Madre de Dios)"),
        "{screen}"
    );
    desk.press("down enter f2");
    let screen = desk.screen();
    // The filter names the district, and its services come most local first.
    assert!(
        screen.contains("Filtro: Tambopata, Tambopata (Madre de Dios)"),
        "{screen}"
    );
    assert!(screen.contains("Instituciones (4)"), "{screen}");
    assert!(screen.contains("> CEM Tambopata"), "{screen}");
    let row = |desk: &mut Desk, text: &str| desk.screen().lines().position(|l| l.contains(text));
    let rows: Vec<Option<usize>> = [
        "CEM Tambopata",
        "Fiscalía Provincial",
        "DEPTRATA",
        "Línea 100 (paquete)",
    ]
    .iter()
    .map(|name| row(&mut desk, name))
    .collect();
    assert!(rows.iter().all(Option::is_some), "{}", desk.screen());
    assert!(rows.windows(2).all(|w| w[0] < w[1]), "{}", desk.screen());
}

#[test]
fn a_referral_from_a_call_in_tambopata_suggests_the_district_s_service_first() {
    let mut desk = Desk::on(office_with_pack(), Lang::En, COLOR, 100, 30);
    desk.unlock();
    // The seeded tip call from 170101, then a referral with its institution list open.
    desk.press("f5 down enter");
    assert!(
        desk.screen()
            .contains("Tambopata, Tambopata (Madre de Dios)"),
        "the call shows its district by name: {}",
        desk.screen()
    );
    desk.press("f4 tab");
    desk.type_text(" ");
    let screen = desk.screen();
    let row = |text: &str| screen.lines().position(|l| l.contains(text));
    let rows: Vec<Option<usize>> = [
        "CEM Tambopata",
        "Fiscalía Provincial",
        "DEPTRATA",
        "Línea 100 (paquete)",
    ]
    .map(row)
    .to_vec();
    assert!(rows.iter().all(Option::is_some), "{screen}");
    assert!(rows.windows(2).all(|w| w[0] < w[1]), "{screen}");
    assert!(!screen.contains("DIRCTPTIM –"), "{screen}");
}

#[test]
fn without_a_pack_the_desk_keeps_the_built_in_directory_and_every_place() {
    let office = Office::new();
    assert!(applied_content(&office.office_store()).unwrap().is_none());
    let mut desk = Desk::on(office, Lang::Es, COLOR, 100, 30);
    desk.unlock();
    desk.press("f8");
    assert!(desk.screen().contains("Central de Emergencias 105"));
    desk.press("ctrl-f");
    desk.type_text("inamb");
    let screen = desk.screen();
    assert!(
        screen.contains("> Inambari, Tambopata (Madre de Dios)"),
        "{screen}"
    );
}

/// Spoils a folder of pack sources.
type Spoil = Box<dyn Fn(&Path)>;

/// Each hostile folder: (what is wrong, how to spoil the folder, the start of the one-line
/// reason after "linea: FOLDER/").
fn hostile_cases() -> Vec<(&'static str, Spoil, &'static str)> {
    let directory_row = |row: &'static str| -> Spoil {
        Box::new(move |dir: &Path| {
            fs::write(dir.join("directory.csv"), format!("{DIRECTORY}{row}\n")).unwrap()
        })
    };
    vec![
        (
            "an unknown target type",
            directory_row("X1,Comisaría X,POLICIA,170101,,,"),
            "directory.csv:6: unknown target type 'POLICIA'",
        ),
        (
            "a ubigeo of no department",
            directory_row("X1,Comisaría X,PNP_STATION,990101,,,"),
            "directory.csv:6: coverage '990101' is no ubigeo of Peru",
        ),
        (
            "a district INEI does not list",
            directory_row("X1,Comisaría X,PNP_STATION,170199,,,"),
            "directory.csv:6: coverage 170199 is no place of Peru linea or the pack knows",
        ),
        (
            "the same id twice",
            directory_row("CEM_TAMBOPATA,Otro,MIMP_CEM,17,,,"),
            "directory.csv:6: id CEM_TAMBOPATA twice (first at",
        ),
        (
            "an escape sequence in a name",
            directory_row("X1,Comisaría \u{1b}[2J,PNP_STATION,17,,,"),
            "directory.csv:6: the name has a control character",
        ),
        (
            "a phone that is no number",
            directory_row("X1,Comisaría X,PNP_STATION,17,llamar luego,,"),
            "directory.csv:6: phone 'llamar luego' is not a number",
        ),
        (
            "an unknown language",
            Box::new(|dir: &Path| {
                fs::write(dir.join("scripts").join("HOW_TO_REPORT.qu.txt"), "Willay").unwrap()
            }),
            "scripts/HOW_TO_REPORT.qu.txt: unknown language 'qu'",
        ),
        (
            "an unknown topic",
            Box::new(|dir: &Path| {
                fs::write(dir.join("scripts").join("WEATHER.es.txt"), "Lluvia").unwrap()
            }),
            "scripts/WEATHER.es.txt: unknown topic 'WEATHER'",
        ),
        (
            "a code that is not [A-Z0-9_]",
            Box::new(|dir: &Path| {
                fs::write(
                    dir.join("codes.csv"),
                    "list,code,en,es,fr\nreferral_target_type,rondas-campesinas,Patrols,Rondas,\n",
                )
                .unwrap()
            }),
            "codes.csv:2: code 'rondas-campesinas' is not [A-Z0-9_], 1 to 20 characters",
        ),
        (
            "a code longer than 20 characters",
            Box::new(|dir: &Path| {
                fs::write(
                    dir.join("codes.csv"),
                    "list,code,en,es,fr\nreferral_target_type,RONDAS_CAMPESINAS_DEL_SUR,P,R,\n",
                )
                .unwrap()
            }),
            "codes.csv:2: code 'RONDAS_CAMPESINAS_DEL_SUR' is not [A-Z0-9_]",
        ),
        (
            "an extension changing a built-in code's meaning",
            Box::new(|dir: &Path| {
                fs::write(
                    dir.join("codes.csv"),
                    "list,code,en,es,fr\nreferral_target_type,RONDAS,Patrols,Rondas campesinas,\nreferral_target_type,SHELTER,Hotel,Hotel,Hôtel\n",
                )
                .unwrap()
            }),
            "codes.csv:3: SHELTER is a built-in code of referral_target_type",
        ),
        (
            "a bad ubigeo in INEI's table",
            Box::new(|dir: &Path| {
                let mut table = fs::read_to_string(dir.join("ubigeo_distrito.csv")).unwrap();
                table.push_str("99010,NINGUNO,NINGUNO,NINGUNO\n");
                fs::write(dir.join("ubigeo_distrito.csv"), table).unwrap();
            }),
            "ubigeo_distrito.csv:1895: inei '99010' is not the ubigeo of a district",
        ),
        (
            "a template of an unknown reason",
            Box::new(|dir: &Path| {
                fs::write(
                    dir.join("templates.csv"),
                    "id,reason,caller_type,information_given,outcomes,saved_at_once,es,en,fr\nx,CHARLA,,,,no,Charla,,\n",
                )
                .unwrap()
            }),
            "templates.csv:2: unknown contact_reason 'CHARLA'",
        ),
        (
            "a template saved at once without who calls",
            Box::new(|dir: &Path| {
                fs::write(
                    dir.join("templates.csv"),
                    "id,reason,caller_type,information_given,outcomes,saved_at_once,es,en,fr\nx,NS_TEST,,,,yes,Prueba,,\n",
                )
                .unwrap()
            }),
            "templates.csv:2: a template saved at once must say who calls",
        ),
        (
            "no directory",
            Box::new(|dir: &Path| fs::remove_file(dir.join("directory.csv")).unwrap()),
            "directory.csv: missing",
        ),
        (
            "a directory in another layout",
            Box::new(|dir: &Path| {
                fs::write(dir.join("directory.csv"), "nombre,telefono\nCEM,100\n").unwrap()
            }),
            "directory.csv:1: the header must be id,name,target_type,coverage,phone,hours,last_verified",
        ),
        (
            "a quote never closed",
            directory_row("X1,\"Comisaría X,PNP_STATION,17,,,"),
            "directory.csv:6: a quoted field is never closed",
        ),
    ]
}

#[test]
fn a_pack_s_call_templates_are_offered_at_the_office_beside_or_instead_of_built_in_ones() {
    let office = Office::new();
    let dir = sources(&office, "templates", DIRECTORY);
    fs::write(
        dir.join("templates.csv"),
        "id,reason,caller_type,information_given,outcomes,saved_at_once,es,en,fr\n\
         prank,NS_PRANK,UNKNOWN,,,yes,Broma o insulto,Prank or insult,\n\
         school-talk,TRAINING_REQUEST,,SERVICES_AVAILABLE;HOW_TO_REPORT,INFO_GIVEN,no,Pedido de charla,,\n",
    )
    .unwrap();
    let built = build(&office, &dir).ok();
    assert!(built.stdout.contains("2 call templates."), "{built:?}");
    let stick = office.stick("stick");
    office.central_sync(&stick).ok();
    office.sync(&stick).ok();
    let mut desk = Desk::on(office, Lang::Es, COLOR, 100, 30);
    desk.unlock();
    desk.press("ctrl-n");
    let screen = desk.screen();
    assert!(
        screen.contains("3 Broma o insulto (se guarda al instante)"),
        "{screen}"
    );
    assert!(screen.contains("10 Pedido de charla"), "{screen}");
    desk.type_text("10");
    desk.press("enter");
    // Like a built-in information template: its codes, and who calls is asked first.
    let screen = desk.screen();
    assert!(screen.contains(">Quien llama"), "{screen}");
    assert!(
        screen.contains("Información brindada   Servicios disponibles"),
        "{screen}"
    );
}

#[test]
fn a_pack_without_inei_s_table_routes_on_the_built_in_places() {
    let office = Office::new();
    let dir = sources(&office, "no-ubigeo", DIRECTORY);
    fs::remove_file(dir.join("ubigeo_distrito.csv")).unwrap();
    let built = build(&office, &dir).ok();
    assert!(built.stdout.contains("4 institutions"), "{built:?}");
}

#[test]
fn hostile_pack_sources_are_refused_whole_with_the_file_line_and_reason() {
    let office = Office::new();
    for (n, (what, spoil, reason)) in hostile_cases().into_iter().enumerate() {
        let dir = sources(&office, &format!("hostile-{n}"), DIRECTORY);
        spoil(&dir);
        let line = build(&office, &dir).fails(1);
        let expected = format!("linea: {}/{reason}", dir.display());
        assert!(
            line.starts_with(&expected),
            "{what}: {line}\nexpected {expected}"
        );
        assert!(line.ends_with("; no pack was built"), "{what}: {line}");
    }
    assert_eq!(
        office.central_store().latest_pack().unwrap(),
        None,
        "nothing was saved"
    );
    // A pack is central's to build.
    let dir = sources(&office, "at-the-office", DIRECTORY);
    let line = office
        .run(&["central", "pack", "build", "--from", dir.to_str().unwrap()])
        .fails(2);
    assert!(line.contains("built at central"), "{line}");
}

/// A pack as central would sign it for the demo office, with `content`.
fn pack(version: u64, expires_in: TimeDelta, content: PackContent) -> Mail {
    let now = Utc::now();
    Mail::Pack(Box::new(Pack {
        office_id: common::exchange::OFFICE_ID.into(),
        version,
        issued_at: now - TimeDelta::days(1),
        expires_at: now + expires_in,
        content,
        outcomes: Vec::new(),
        backup_recipient: None,
    }))
}

/// The applied content with one more institution, as a different pack would bring.
fn other_content(office: &Office) -> PackContent {
    let (_, mut content) = applied(office);
    content.directory.push(DirectoryEntry {
        id: "NUEVO".into(),
        name: "Servicio nuevo".into(),
        target_type: "HEALTH".into(),
        coverage: "17".into(),
        phones: Vec::new(),
        hours: String::new(),
        last_verified: String::new(),
    });
    content
}

#[test]
fn an_office_refuses_bad_older_or_expired_packs_and_keeps_its_directory() {
    let office = office_with_pack();
    let forge = Forge::new(&office);
    let stick = office.stick("stick");
    let before = applied(&office);
    let refused = |name: &str, mail: Mail, rule: &str| {
        let file = forge.mail(&stick, name, &mail, &forge.central_key);
        let line = assert_refused(office.sync(&stick), &file, &[rule]);
        assert!(set_aside(&stick, &file), "{line}");
        assert_eq!(applied(&office), before, "{line}");
        line
    };
    // Signed by central, but naming a target type no office knows.
    let mut bad = other_content(&office);
    bad.directory[0].target_type = "POLICIA".into();
    let line = refused("p-bad.age", pack(5, TimeDelta::days(30), bad), "content");
    assert!(line.contains("unknown target type 'POLICIA'"), "{line}");
    // An older version than the one applied (1 is applied; 0 is below it).
    refused(
        "p-old.age",
        pack(0, TimeDelta::days(30), other_content(&office)),
        "rollback",
    );
    // Expired.
    refused(
        "p-expired.age",
        pack(6, -TimeDelta::days(1), other_content(&office)),
        "expired",
    );
    // A good newer one is applied, and the desk's directory then has its new entry.
    let file = forge.mail(
        &stick,
        "p-new.age",
        &pack(7, TimeDelta::days(30), other_content(&office)),
        &forge.central_key,
    );
    office.sync(&stick).ok();
    assert!(!file.exists(), "an applied pack leaves the stick");
    let (version, content) = applied(&office);
    assert_eq!(version, 7);
    assert!(
        content
            .directory()
            .institutions()
            .iter()
            .any(|i| i.id == "NUEVO")
    );
    assert!(to_office(&stick).exists());
}
