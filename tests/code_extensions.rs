//! Code-list extensions end to end: central adds `RONDAS` ("Rondas campesinas") to
//! `referral_target_type` in its reference pack, the office applies the pack, and the code
//! is then offered by the desk's pick list, saved from the desk and from `linea referral
//! add`, labelled in Spanish and English (French falls back to Spanish), and imported by
//! central. Hostile: an extension of a list whose codes drive the program's rules, or one
//! changing a built-in code, is refused at `pack build` and at the office with its reason; a
//! later pack leaving a code out retires it (old records keep the label, new ones may not
//! use it).

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{TimeDelta, Utc};
use common::exchange::{Forge, OFFICE_ID, assert_refused, set_aside};
use common::tui::{COLOR, Desk, seed_calls};
use common::{Office, Run};
use linea::exchange::mail::Mail;
use linea::exchange::pack::{CodeExtension, Pack, PackContent, applied_content};
use linea::model::codes::{INFO_TOPIC, REFERRAL_TARGET_TYPE};
use linea::model::{Extension, Lang};
use uuid::Uuid;

/// The districts of the province of Tambopata, as INEI's table has them (a few columns).
const DISTRICTS: &str = "\
inei,departamento,provincia,distrito
170101,MADRE DE DIOS,TAMBOPATA,TAMBOPATA
170102,MADRE DE DIOS,TAMBOPATA,INAMBARI
";

/// An institution of the added type, for the province the seeded tip call came from.
const DIRECTORY: &str = "\
id,name,target_type,coverage,phone,hours,last_verified
RONDAS_TAMBOPATA,Central de Rondas Campesinas de Tambopata,RONDAS,1701,(082) 57-4000,,
CEM_TAMBOPATA,CEM Tambopata,MIMP_CEM,170101,100,,
";

/// A type of institution with Spanish and English labels, and a topic with a Spanish one
/// only.
const CODES: &str = "\
list,code,en,es,fr
referral_target_type,RONDAS,Peasant patrols,Rondas campesinas,
info_topic,RONDAS_INFO,,Qué hacen las rondas campesinas,
";

/// A folder of pack sources with `codes` as its codes.csv.
fn sources(office: &Office, name: &str, codes: &str) -> PathBuf {
    let dir = office.root.path().join(name);
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("ubigeo_distrito.csv"), DISTRICTS).unwrap();
    fs::write(dir.join("directory.csv"), DIRECTORY).unwrap();
    fs::write(dir.join("codes.csv"), codes).unwrap();
    dir
}

fn build(office: &Office, dir: &Path) -> Run {
    office.central(&["central", "pack", "build", "--from", dir.to_str().unwrap()])
}

/// A demo office (with the desk's three seeded calls) that applied central's pack with the
/// extensions.
fn office_with_extensions() -> Office {
    let office = Office::new();
    seed_calls(&office);
    let built = build(&office, &sources(&office, "pack", CODES)).ok();
    assert!(
        built.stdout.contains("2 code-list extensions."),
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

/// A call logged with `linea call add`, for referrals made with `linea referral add`.
fn cli_call(office: &Office) -> String {
    office
        .run_stdin(
            &["call", "add"],
            r#"{"channel":"PHONE","caller_type":"FAMILY","reason":"TIP","started_at":"2026-11-02T15:00:00Z"}"#,
        )
        .ok()
        .stdout
        .trim()
        .to_owned()
}

fn referral_json(call: &str, target_type: &str) -> String {
    format!(
        r#"{{"call_id":"{call}","target_type":"{target_type}","institution":"Central de Rondas Campesinas de Tambopata","reason":"CRIMINAL_REPORT","sharing_basis":"CONSENT"}}"#
    )
}

/// `linea referral show ID --lang LANG`.
fn show(office: &Office, id: &str, lang: &str) -> String {
    office
        .run(&["referral", "show", id, "--lang", lang])
        .ok()
        .stdout
}

/// Opens the seeded U2 tip call from Tambopata (the second row of the calls list).
fn open_tip_call(desk: &mut Desk) {
    desk.press("f5 down enter");
    assert!(
        desk.screen().contains("2026-11-28 08:00"),
        "{}",
        desk.screen()
    );
}

#[test]
fn an_extension_from_central_is_offered_saved_and_labelled_at_the_office() {
    let office = office_with_extensions();
    let store = office.office_store();
    let extensions = store.code_extensions();
    assert!(extensions.accepts(&REFERRAL_TARGET_TYPE, "RONDAS"));
    assert!(extensions.accepts(&INFO_TOPIC, "RONDAS_INFO"));
    drop(store);

    // At the desk, in Spanish: the type's pick list offers it by its label.
    let mut desk = Desk::on(office, Lang::Es, COLOR, 100, 30);
    desk.unlock();
    // The directory (F8) names the institution's type by its label.
    desk.press("f8");
    let screen = desk.screen();
    let row = screen
        .lines()
        .find(|line| line.contains("Central de Rondas"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(row.contains("Rondas campesinas"), "{screen}");
    desk.press("esc");
    open_tip_call(&mut desk);
    desk.press("f4");
    desk.type_text("rondas");
    let screen = desk.screen();
    assert!(screen.contains("Rondas campesinas"), "{screen}");
    desk.press("enter");
    // The pack's institution of that type is suggested.
    desk.type_text("central");
    assert!(
        desk.screen()
            .contains("Central de Rondas Campesinas de Tambopata"),
        "{}",
        desk.screen()
    );
    desk.press("enter");
    desk.type_text("denuncia");
    desk.press("enter f2");
    let screen = desk.screen();
    assert!(screen.contains("Derivación guardada."), "{screen}");
    assert!(screen.contains("Rondas campesinas"), "{screen}");
    assert!(
        !screen.contains("RONDAS"),
        "the label, not the code: {screen}"
    );
    let store = desk.store();
    let saved = store.list_referrals(&Default::default(), 10).unwrap();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].fields.target_type, "RONDAS");
    drop(store);

    // In English: the English label, in the pick list and on the saved referral.
    let mut desk = Desk::on(desk.office, Lang::En, COLOR, 100, 30);
    desk.unlock();
    open_tip_call(&mut desk);
    desk.press("f4");
    desk.type_text("patrol");
    assert!(
        desk.screen().contains("Peasant patrols"),
        "{}",
        desk.screen()
    );
    desk.press("enter");
    desk.type_text("central");
    desk.press("enter");
    desk.type_text("criminal");
    desk.press("enter f2");
    let screen = desk.screen();
    assert!(screen.contains("Referral saved."), "{screen}");
    assert!(screen.contains("Peasant patrols"), "{screen}");
    // The call form's topics: the added one, with no English label, in Spanish.
    desk.press("esc esc esc f3");
    let mut found = false;
    for _ in 0..40 {
        if desk.screen().contains(">Information given") {
            found = true;
            break;
        }
        desk.press("tab");
    }
    assert!(found, "no information field: {}", desk.screen());
    desk.type_text("rondas");
    assert!(
        desk.screen().contains("Qué hacen las rondas campesinas"),
        "{}",
        desk.screen()
    );
    let office = desk.office;

    // With `linea referral add`, and shown in each language.
    let call = cli_call(&office);
    let id = office
        .run_stdin(&["referral", "add"], &referral_json(&call, "RONDAS"))
        .ok()
        .stdout
        .trim()
        .to_owned();
    assert!(
        show(&office, &id, "es").contains("target_type    Rondas campesinas (RONDAS)"),
        "{}",
        show(&office, &id, "es")
    );
    assert!(show(&office, &id, "en").contains("target_type    Peasant patrols (RONDAS)"));
    assert!(show(&office, &id, "fr").contains("target_type    Rondas campesinas (RONDAS)"));

    // A typo is refused, and the error lists the added code among the valid ones.
    let line = office
        .run_stdin(&["referral", "add"], &referral_json(&call, "RONDA"))
        .fails(1);
    assert!(
        line.contains("unknown code 'RONDA'") && line.contains(", OTHER, RONDAS"),
        "{line}"
    );
}

#[test]
fn central_imports_records_that_use_an_extension_it_published() {
    let office = office_with_extensions();
    let call = cli_call(&office);
    let id = office
        .run_stdin(&["referral", "add"], &referral_json(&call, "RONDAS"))
        .ok()
        .stdout
        .trim()
        .to_owned();
    let id = Uuid::parse_str(&id).unwrap();
    // Central's store checks a record as its import does, with the codes it published.
    let referral = office.office_store().referral(id).unwrap();
    let record = linea::model::Record::Referral {
        meta: referral.meta,
        fields: referral.fields,
        history: referral.history,
    };
    let central = office.central_store();
    assert_eq!(central.check_record(&record, Utc::now()), Ok(()));
    drop(central);

    let stick = office.stick("stick");
    office.sync(&stick).ok();
    let imported = office.central_sync(&stick).ok();
    assert!(!imported.stdout.contains("refused"), "{imported:?}");
    assert!(!imported.stderr.contains("refused"), "{imported:?}");
    let at_central = office.central_store().referral(id).unwrap();
    assert_eq!(at_central.fields.target_type, "RONDAS");
}

#[test]
fn pack_build_refuses_an_extension_of_a_closed_list_or_of_a_built_in_code() {
    let office = Office::new();
    let cases = [
        (
            "list,code,en,es,fr\nurgency,U5_LATER,Later,Más adelante,\n",
            "codes.csv:2: urgency takes no codes from reference packs: its codes set follow-up deadlines and escalation; lists that do: contact_channel, caller_type,",
        ),
        (
            "list,code,en,es,fr\nreferral_status,ARCHIVED,Archived,Archivada,\n",
            "codes.csv:2: referral_status takes no codes from reference packs: its codes drive follow-up, escalation and closing;",
        ),
        (
            "list,code,en,es,fr\nreferral_target_type,SHELTER,Hotel,Hotel,\n",
            "codes.csv:2: SHELTER is a built-in code of referral_target_type ('Hogar de refugio temporal / Centro de Acogida Residencial (CAR)'); a pack may add codes, never change what one means",
        ),
    ];
    for (n, (codes, reason)) in cases.into_iter().enumerate() {
        let dir = sources(&office, &format!("hostile-{n}"), codes);
        let line = build(&office, &dir).fails(1);
        let expected = format!("linea: {}/{reason}", dir.display());
        assert!(line.starts_with(&expected), "{line}\nexpected {expected}");
        assert!(line.ends_with("; no pack was built"), "{line}");
    }
    let central = office.central_store();
    assert_eq!(central.latest_pack().unwrap(), None, "nothing was saved");
    assert!(central.code_extensions().is_empty());
}

/// A pack as central would sign it for the demo office.
fn pack(version: u64, content: PackContent) -> Mail {
    let now = Utc::now();
    Mail::Pack(Box::new(Pack {
        office_id: OFFICE_ID.into(),
        version,
        issued_at: now - TimeDelta::days(1),
        expires_at: now + TimeDelta::days(30),
        content,
        outcomes: Vec::new(),
        backup_recipient: None,
    }))
}

fn applied(office: &Office) -> (u64, PackContent) {
    applied_content(&office.office_store())
        .unwrap()
        .expect("a pack is applied")
}

#[test]
fn an_office_refuses_a_pack_extending_a_closed_list_or_changing_a_built_in_code() {
    let office = office_with_extensions();
    let forge = Forge::new(&office);
    let stick = office.stick("stick");
    let before = applied(&office);
    let extensions_before = office.office_store().code_extensions();
    let cases = [
        (
            CodeExtension {
                list: "contact_reason".into(),
                code: "NS_NOISE".into(),
                es: "Ruido".into(),
                en: String::new(),
                fr: String::new(),
            },
            "contact_reason takes no codes from reference packs: its codes decide which calls are non-substantive",
        ),
        (
            CodeExtension {
                list: "referral_target_type".into(),
                code: "PNP_STATION".into(),
                es: "Serenazgo".into(),
                en: String::new(),
                fr: String::new(),
            },
            "PNP_STATION is a built-in code of referral_target_type",
        ),
    ];
    for (n, (extension, reason)) in cases.into_iter().enumerate() {
        let mut content = before.1.clone();
        content.code_lists.push(extension);
        let file = forge.mail(
            &stick,
            &format!("p-{n}.age"),
            &pack(10 + n as u64, content),
            &forge.central_key,
        );
        let line = assert_refused(office.sync(&stick), &file, &["content"]);
        assert!(line.contains(reason), "{line}\nexpected {reason}");
        assert!(set_aside(&stick, &file), "{line}");
        assert_eq!(applied(&office), before, "{line}");
        assert_eq!(office.office_store().code_extensions(), extensions_before);
    }
}

#[test]
fn a_later_pack_without_the_code_retires_it_and_old_records_keep_their_label() {
    let office = office_with_extensions();
    let call = cli_call(&office);
    let id = office
        .run_stdin(&["referral", "add"], &referral_json(&call, "RONDAS"))
        .ok()
        .stdout
        .trim()
        .to_owned();
    // Central's next pack no longer has the extensions (nor the institution of that type).
    let forge = Forge::new(&office);
    let stick = office.stick("stick");
    let (_, mut content) = applied(&office);
    content.code_lists.clear();
    content
        .directory
        .retain(|entry| entry.target_type != "RONDAS");
    forge.mail(&stick, "p-next.age", &pack(20, content), &forge.central_key);
    office.sync(&stick).ok();

    let extensions = office.office_store().code_extensions();
    assert!(!extensions.accepts(&REFERRAL_TARGET_TYPE, "RONDAS"));
    assert!(
        !extensions
            .active_codes(&REFERRAL_TARGET_TYPE)
            .any(|code| code == "RONDAS")
    );
    let line = office
        .run_stdin(&["referral", "add"], &referral_json(&call, "RONDAS"))
        .fails(1);
    assert!(line.contains("unknown code 'RONDAS'"), "{line}");
    assert!(show(&office, &id, "es").contains("Rondas campesinas (RONDAS)"));
}

#[test]
fn the_store_keeps_checks_and_retires_extensions_and_central_accepts_all_it_published() {
    let office = Office::new();
    let rondas = Extension::new(
        "referral_target_type",
        "RONDAS",
        "Rondas campesinas",
        "Peasant patrols",
        "",
    );
    let mut store = office.office_store();
    assert!(
        store
            .set_code_extensions(std::slice::from_ref(&rondas))
            .unwrap()
    );
    // The same extensions again: nothing changes.
    assert!(
        !store
            .set_code_extensions(std::slice::from_ref(&rondas))
            .unwrap()
    );
    // One bad entry refuses them all, with the reason.
    let error = store
        .set_code_extensions(&[
            Extension::new("info_topic", "RONDAS_INFO", "Rondas", "", ""),
            Extension::new("urgency", "U5_LATER", "Más adelante", "", ""),
        ])
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("code-list extension 2: urgency takes no codes from reference packs:")
            && error.ends_with("; nothing was changed"),
        "{error}"
    );
    assert!(!store.code_extensions().accepts(&INFO_TOPIC, "RONDAS_INFO"));
    drop(store);
    // Loaded when the store is opened.
    let mut store = office.office_store();
    assert!(
        store
            .code_extensions()
            .accepts(&REFERRAL_TARGET_TYPE, "RONDAS")
    );
    // Left out by the next pack: retired, labelled still.
    assert!(store.set_code_extensions(&[]).unwrap());
    let extensions = store.code_extensions();
    assert!(!extensions.accepts(&REFERRAL_TARGET_TYPE, "RONDAS"));
    assert_eq!(
        extensions.label(&REFERRAL_TARGET_TYPE, "RONDAS", Lang::En),
        Some("Peasant patrols")
    );
    drop(store);

    // Central accepts every code it ever published: an office may still use one until the
    // pack that retires it arrives there.
    let mut central = office.central_store();
    central.set_code_extensions(&[rondas]).unwrap();
    central.set_code_extensions(&[]).unwrap();
    drop(central);
    assert!(
        office
            .central_store()
            .code_extensions()
            .accepts(&REFERRAL_TARGET_TYPE, "RONDAS")
    );
}

#[test]
fn a_store_made_before_extensions_is_upgraded_when_opened() {
    let office = office_with_extensions();
    // As a store of schema version 4 was (version 5 made the table of extensions, version 6
    // the backup recipient's, version 8 the audit's record hashes, version 9 what batches
    // said of audit chains, version 10 calls' phones, version 11 central's links between
    // calls from one number, version 12 the statistics' totals; a migration appended later
    // needs its own tables or columns dropped too).
    office
        .raw_db()
        .execute_batch(
            "DROP TABLE code_extensions; DROP TABLE backup_recipient;
             DROP INDEX calls_by_phone; ALTER TABLE calls DROP COLUMN phone;
             ALTER TABLE audit DROP COLUMN record_hash;
             ALTER TABLE batches DROP COLUMN audit_entries;
             ALTER TABLE batches DROP COLUMN audit_hash;
             ALTER TABLE batches DROP COLUMN audit_prev_entries;
             ALTER TABLE batches DROP COLUMN audit_prev_hash;
             DROP TABLE phone_hashes; DROP TABLE call_callers;
             DROP TABLE call_figures; DROP TABLE referral_figures;
             DROP TABLE case_funnel;
             PRAGMA user_version = 4;",
        )
        .unwrap();
    let store = office.office_store();
    // The extensions of the pack it had applied are in force again.
    assert!(
        store
            .code_extensions()
            .accepts(&REFERRAL_TARGET_TYPE, "RONDAS")
    );
}
