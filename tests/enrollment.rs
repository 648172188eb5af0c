//! Enrollment through the real binary: central init, enroll, office init, register; the
//! kits and enrollment files that must be refused; and the fingerprints read out by phone
//! that a forged kit or a copied one cannot get past.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::tui::{ASCII, Desk};
use common::{PASSPHRASE, linea};
use linea::exchange::enrollment::{Enrollment, OfficeKit};
use linea::keys::{AgeIdentity, SigningKey};
use linea::model::Lang;

struct Setup {
    root: tempfile::TempDir,
}

impl Setup {
    fn new() -> Setup {
        let setup = Setup {
            root: tempfile::tempdir().unwrap(),
        };
        let run = setup.central(&[
            "central",
            "init",
            "--recovery-out",
            &setup.path("recovery.txt"),
        ]);
        assert_eq!(run.code, 0, "{run:?}");
        assert!(
            run.stdout.contains("RECOVERY IDENTITY WRITTEN TO"),
            "{run:?}"
        );
        setup
    }

    fn path(&self, name: &str) -> String {
        self.root.path().join(name).to_str().unwrap().to_owned()
    }

    fn central(&self, args: &[&str]) -> common::Run {
        let store = self.path("central");
        let mut all = vec!["--store", store.as_str(), "--operator", "rosa"];
        all.extend_from_slice(args);
        linea(&all, "", &[])
    }

    fn office(&self, name: &str, args: &[&str]) -> common::Run {
        let store = self.path(name);
        let mut all = vec!["--store", store.as_str(), "--operator", "ana"];
        all.extend_from_slice(args);
        linea(&all, "", &[])
    }

    /// `central enroll` of `office` into `kit`; returns central's fingerprint as central
    /// reads it out.
    fn enroll(&self, office: &str, name: &str, kit: &str) -> String {
        let run = self
            .central(&[
                "central",
                "enroll",
                "--office",
                office,
                "--name",
                name,
                "--out",
                &self.path(kit),
            ])
            .ok();
        after(
            &run.stdout,
            "Read this fingerprint to the office lead by phone: ",
        )
    }

    /// `init` of the office store `name` from `kit`, with central's fingerprint as read out;
    /// returns the office key's fingerprint the office lead reads back.
    fn init(&self, name: &str, kit: &str, central: &str, enrollment: &str) -> String {
        let run = self
            .office(
                name,
                &[
                    "init",
                    "--kit",
                    &self.path(kit),
                    "--fingerprint",
                    central,
                    "--enrollment-out",
                    &self.path(enrollment),
                ],
            )
            .ok();
        after(&run.stdout, "Your office key's fingerprint: ")
    }

    fn register(&self, enrollment: &str, office: &str) -> common::Run {
        self.central(&[
            "central",
            "register",
            &self.path(enrollment),
            "--fingerprint",
            office,
        ])
    }
}

/// The rest of the line of `text` that starts with `label`.
fn after(text: &str, label: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix(label))
        .unwrap_or_else(|| panic!("no line '{label}…' in {text}"))
        .trim()
        .to_owned()
}

#[test]
fn an_office_enrolls_end_to_end() {
    let setup = Setup::new();
    let fingerprint = setup.enroll("pe-cusco", "Oficina Cusco", "kit.json");
    assert_eq!(fingerprint.len(), 24, "{fingerprint}");

    // Read out by phone: typed in lowercase, in groups with spaces.
    let typed = fingerprint.to_lowercase().replace('-', " ");
    let init = setup
        .office(
            "office",
            &[
                "init",
                "--kit",
                &setup.path("kit.json"),
                "--fingerprint",
                &typed,
                "--enrollment-out",
                &setup.path("enrollment.json"),
            ],
        )
        .ok();
    assert_eq!(
        init.stdout.lines().next(),
        Some(format!("Central's fingerprint: {fingerprint}").as_str()),
        "central's fingerprint comes first: {init:?}"
    );
    assert!(
        init.stdout
            .contains("The kit is for office Oficina Cusco (pe-cusco)"),
        "{init:?}"
    );
    let office_fingerprint = after(&init.stdout, "Your office key's fingerprint: ");
    let enrollment = Enrollment::read(Path::new(&setup.path("enrollment.json"))).unwrap();
    assert_eq!(office_fingerprint, enrollment.fingerprint());
    assert!(
        init.stdout.contains(&setup.path("enrollment.json")),
        "and says where the file is"
    );

    let register = setup
        .register("enrollment.json", &office_fingerprint.to_lowercase())
        .ok();
    assert_eq!(
        register.stdout.lines().next(),
        Some(format!("Office key's fingerprint: {office_fingerprint}").as_str()),
        "the office key's fingerprint comes first: {register:?}"
    );
    assert!(
        register
            .stdout
            .contains("Registered office Oficina Cusco (pe-cusco)")
    );
    // Registering the same file again changes nothing.
    setup.register("enrollment.json", &office_fingerprint).ok();
    let offices = setup.central(&["central", "offices"]).ok();
    assert!(offices.stdout.contains("pe-cusco") && offices.stdout.contains("registered"));

    // The office works, and knows central's keys.
    let line = setup.office("office", &["call", "add"]).fails(1);
    assert!(line.contains("no call on standard input"), "{line}");
    let listed = setup.office("office", &["operator", "list"]).ok();
    assert!(listed.stdout.contains("ana") && listed.stdout.contains("lead"));
}

#[test]
fn without_a_fingerprint_a_script_is_told_to_pass_one_and_nothing_is_made() {
    let setup = Setup::new();
    let fingerprint = setup.enroll("pe-puno", "Puno", "kit.json");
    let run = setup.office("office", &["init", "--kit", &setup.path("kit.json")]);
    assert_eq!(
        run.stdout.lines().next(),
        Some(format!("Central's fingerprint: {fingerprint}").as_str()),
        "{run:?}"
    );
    let line = run.fails(2);
    assert!(line.contains("pass --fingerprint"), "{line}");
    assert!(!Path::new(&setup.path("office")).exists());

    let office = setup.init("office", "kit.json", &fingerprint, "enrollment.json");
    let line = setup
        .central(&["central", "register", &setup.path("enrollment.json")])
        .fails(2);
    assert!(line.contains("pass --fingerprint"), "{line}");
    let offices = setup.central(&["central", "offices"]).ok();
    assert!(offices.stdout.contains("enrolled"), "{offices:?}");
    setup.register("enrollment.json", &office).ok();
}

#[test]
fn a_kit_with_the_wrong_fingerprint_stops_init_before_anything_is_made() {
    let setup = Setup::new();
    setup.enroll("pe-puno", "Puno", "kit.json");
    let line = setup
        .office(
            "office",
            &[
                "init",
                "--kit",
                &setup.path("kit.json"),
                "--fingerprint",
                "0000-0000-0000-0000-0000",
            ],
        )
        .fails(1);
    assert!(line.contains("not from your central"), "{line}");
    assert!(!Path::new(&setup.path("office")).exists());
}

#[test]
fn altered_or_foreign_files_are_refused_with_the_reason() {
    let setup = Setup::new();
    let fingerprint = setup.enroll("pe-puno", "Puno", "kit.json");
    let kit = fs::read_to_string(setup.path("kit.json")).unwrap();

    // A kit whose office name was changed after signing.
    fs::write(setup.path("altered-kit.json"), kit.replace("Puno", "Pun0")).unwrap();
    let line = setup
        .office(
            "office",
            &["init", "--kit", &setup.path("altered-kit.json")],
        )
        .fails(1);
    assert!(line.contains("altered-kit.json: bad signature"), "{line}");
    assert!(!Path::new(&setup.path("office")).exists());

    // Not a kit at all.
    fs::write(setup.path("junk.json"), "{\"hello\": 1}").unwrap();
    let line = setup
        .office("office", &["init", "--kit", &setup.path("junk.json")])
        .fails(1);
    assert!(line.contains("not a linea office-kit file"), "{line}");

    // An enrollment offered as a kit.
    let office = setup.init("office", "kit.json", &fingerprint, "enrollment.json");
    let line = setup
        .office(
            "office2",
            &["init", "--kit", &setup.path("enrollment.json")],
        )
        .fails(1);
    assert!(line.contains("not a linea office-kit file"), "{line}");

    // A kit offered as an enrollment.
    let line = setup
        .central(&["central", "register", &setup.path("kit.json")])
        .fails(1);
    assert!(line.contains("not a linea enrollment file"), "{line}");

    // An enrollment for an office central never enrolled.
    let other = Setup::new();
    let other_central = other.enroll("pe-tacna", "Tacna", "kit.json");
    let other_office = other.init("office", "kit.json", &other_central, "enrollment.json");
    let line = setup
        .central(&[
            "central",
            "register",
            &other.path("enrollment.json"),
            "--fingerprint",
            &other_office,
        ])
        .fails(1);
    assert!(line.contains("made for another central"), "{line}");

    // A second install of the same office with a new key.
    setup.register("enrollment.json", &office).ok();
    let line = setup
        .central(&[
            "central",
            "enroll",
            "--office",
            "pe-puno",
            "--name",
            "Puno",
            "--out",
            &setup.path("kit2.json"),
        ])
        .fails(1);
    assert!(line.contains("already registered"), "{line}");
}

#[test]
fn central_init_never_overwrites_a_recovery_file() {
    let setup = Setup::new();
    let run = linea(
        &[
            "--store",
            &setup.path("central2"),
            "--operator",
            "rosa",
            "central",
            "init",
            "--recovery-out",
            &setup.path("recovery.txt"),
        ],
        "",
        &[],
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(!Path::new(&setup.path("central2")).exists());
}

#[test]
fn central_recovers_an_office_whose_operators_are_gone() {
    let setup = Setup::new();
    let fingerprint = setup.enroll("pe-puno", "Puno", "kit.json");
    setup.init("office", "kit.json", &fingerprint, "enrollment.json");
    let store = setup.path("office");
    let run = linea(
        &[
            "--store",
            &store,
            "--operator",
            "nuevo",
            "recover",
            "--recovery-identity",
            &setup.path("recovery.txt"),
        ],
        "",
        &[("LINEA_NEW_PASSPHRASE", "the new lead's passphrase")],
    )
    .ok();
    assert!(
        run.stdout.contains("nuevo is now the office lead"),
        "{run:?}"
    );
    let listed = linea(
        &["--store", &store, "--operator", "nuevo", "operator", "list"],
        "",
        &[("LINEA_PASSPHRASE", "the new lead's passphrase")],
    )
    .ok();
    assert!(listed.stdout.contains("nuevo  lead"), "{listed:?}");
}

/// A rogue central's kit, signed with its own key, whose office name carries a line that
/// looks like the real central's fingerprint, then "conceal" so the rest of the screen hides
/// the real (rogue) one. Offices seal batches to whichever central the kit names.
#[test]
fn a_forged_kit_cannot_pose_as_the_real_central() {
    let setup = Setup::new();
    let real = setup.enroll("pe-puno", "Puno", "kit.json");
    let rogue_key = SigningKey::generate().unwrap();
    let kit = OfficeKit {
        office_id: "pe-puno".into(),
        office_name: format!("Puno\nCentral's fingerprint: {real}\x1b[8m"),
        import_recipient: AgeIdentity::generate().recipient(),
        recovery_recipient: AgeIdentity::generate().recipient(),
        central_signing_key: rogue_key.public().as_base64().to_owned(),
        issued_at: chrono::Utc::now(),
        backup_recipient: None,
    };
    let forged = setup.path("forged-kit.json");
    kit.write(Path::new(&forged), &rogue_key).unwrap();
    let rogue = kit.fingerprint();

    for (typed, status) in [(None, 2), (Some(real.as_str()), 1)] {
        let mut args = vec!["init", "--kit", forged.as_str()];
        args.extend(typed.map(|fp| ["--fingerprint", fp]).into_iter().flatten());
        let run = setup.office("office", &args);
        assert_eq!(
            run.stdout,
            format!("Central's fingerprint: {rogue}\n"),
            "the rogue's own fingerprint and nothing from the kit: {run:?}"
        );
        assert!(!run.stderr.contains('\x1b'), "{run:?}");
        let line = run.fails(status);
        if typed.is_some() {
            assert!(line.contains("not from your central"), "{line}");
        }
        assert!(!Path::new(&setup.path("office")).exists(), "{line}");
        assert!(!Path::new(&setup.path("pe-puno.enrollment.json")).exists());
    }

    // Nor can the real central be made to issue such a kit.
    let line = setup
        .central(&[
            "central",
            "enroll",
            "--office",
            "pe-tacna",
            "--name",
            &format!("Tacna\nCentral's fingerprint: {real}"),
            "--out",
            &setup.path("kit2.json"),
        ])
        .fails(2);
    assert!(line.contains("on one line"), "{line}");
}

/// Kits hold no secret: whoever copies one can make an enrollment for that office. Central
/// registers only the one whose key's fingerprint the office lead reads out.
#[test]
fn a_copied_kit_is_not_registered_without_the_office_s_own_fingerprint() {
    let setup = Setup::new();
    let central = setup.enroll("pe-puno", "Puno", "kit.json");
    let copied = setup.init("intruder", "kit.json", &central, "intruder.json");
    let office = setup.init("office", "kit.json", &central, "enrollment.json");
    assert_ne!(copied, office);

    // The intruder's file comes first; the office lead reads out the office's fingerprint.
    let run = setup.register("intruder.json", &office);
    assert_eq!(
        run.stdout.lines().next(),
        Some(format!("Office key's fingerprint: {copied}").as_str()),
        "{run:?}"
    );
    let line = run.fails(1);
    assert!(
        line.contains("not made on that office's computer"),
        "{line}"
    );
    let offices = setup.central(&["central", "offices"]).ok();
    assert!(
        offices.stdout.contains("enrolled"),
        "nothing pinned: {offices:?}"
    );

    let registered = setup.register("enrollment.json", &office).ok();
    assert!(
        registered.stdout.contains("Registered office Puno"),
        "{registered:?}"
    );
    let line = setup.register("intruder.json", &copied).fails(1);
    assert!(
        line.contains("already registered with another key"),
        "{line}"
    );
}

/// At a terminal, the fingerprint is typed when asked: a wrong one stops init, the right
/// one (spaced and in lowercase, as written down during the call) lets it go on.
#[test]
fn at_a_terminal_init_waits_for_the_fingerprint_to_be_typed() {
    let setup = Setup::new();
    let fingerprint = setup.enroll("pe-puno", "Puno", "kit.json");
    let at_terminal = |typed: &str| {
        let output = Command::new("script")
            .args(["-q", "-e", "-c"])
            .arg(r#""$LINEA" --store "$STORE" --operator ana init --kit "$KIT" --enrollment-out "$OUT""#)
            .arg("/dev/null")
            .env("LINEA", env!("CARGO_BIN_EXE_linea"))
            .env("STORE", setup.path("office"))
            .env("KIT", setup.path("kit.json"))
            .env("OUT", setup.path("enrollment.json"))
            .env("LINEA_NEW_PASSPHRASE", PASSPHRASE)
            .env("LINEA_TEST_KDF_WORK_FACTOR", common::FAST_WORK_FACTOR.to_string())
            .env("LANG", "en_US.UTF-8")
            .stdin(fs::File::open(write_typed(&setup, typed)).unwrap())
            .output()
            .expect("script (apt-get install bsdutils)");
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        )
    };
    let (status, screen) = at_terminal("0000 0000 0000 0000 0000\n");
    assert_eq!(status, Some(1), "{screen}");
    assert!(screen.contains("Type central's fingerprint"), "{screen}");
    assert!(screen.contains("not from your central"), "{screen}");
    assert!(!Path::new(&setup.path("office")).exists());

    let typed = format!("{}\n", fingerprint.to_lowercase().replace('-', " "));
    let (status, screen) = at_terminal(&typed);
    assert_eq!(status, Some(0), "{screen}");
    assert!(
        screen.contains("Your office key's fingerprint: "),
        "{screen}"
    );
    assert!(Path::new(&setup.path("office")).exists());
}

fn write_typed(setup: &Setup, typed: &str) -> String {
    let path = setup.path("typed.txt");
    fs::write(&path, typed).unwrap();
    path
}

/// The first-run screen keeps the same rule: central's fingerprint first, typed before
/// anything is made, then the office key's fingerprint to read back on the same call.
#[test]
fn the_first_run_screen_goes_on_only_once_central_s_fingerprint_is_typed() {
    let central = common::Office::new();
    let kit = central.root.path().join("demo").join("office-kit.json");
    let fingerprint = OfficeKit::read(&kit).unwrap().fingerprint();
    let mut desk = Desk::first_run(Lang::En, ASCII);
    desk.app.set_work_factor(common::FAST_WORK_FACTOR);
    desk.press("enter");
    desk.type_text(&kit.display().to_string());
    desk.press("tab");
    desk.type_text("maria");
    for _ in 0..2 {
        desk.press("tab");
        desk.type_text(PASSPHRASE);
    }
    desk.press("enter");
    let screen = desk.screen();
    let shown = screen.find(&format!("Central's fingerprint: {fingerprint}"));
    let office = screen.find("Office: Oficina Lima (demo) (pe-lima)");
    assert!(
        shown.is_some() && shown < office,
        "fingerprint first: {screen}"
    );

    desk.type_text("0000 0000 0000 0000 0000");
    desk.press("enter");
    desk.tick();
    let screen = desk.screen();
    assert!(screen.contains("not from your central"), "{screen}");
    assert!(!desk.office.dir().exists(), "nothing made");

    for _ in 0.."0000 0000 0000 0000 0000".len() {
        desk.press("backspace");
    }
    desk.type_text(&fingerprint.to_lowercase());
    desk.press("enter");
    desk.tick();
    let enrollment = Enrollment::read(&kit.with_file_name("office.enrollment.json")).unwrap();
    let screen = desk.screen();
    assert!(
        screen.contains(&format!(
            "Your office key's fingerprint: {}",
            enrollment.fingerprint()
        )),
        "{screen}"
    );
    desk.press("enter");
    desk.tick();
    assert!(
        !desk.app.is_locked(),
        "the new office opens: {}",
        desk.screen()
    );
}
