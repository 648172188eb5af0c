//! Enrollment through the real binary: central init, enroll, office init, register; and
//! the kits and enrollment files that must be refused.

mod common;

use std::fs;
use std::path::Path;

use common::linea;

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
}

fn fingerprint_in(text: &str) -> String {
    text.lines()
        .find_map(|l| l.split("fingerprint").nth(1))
        .and_then(|rest| rest.split_whitespace().last())
        .unwrap()
        .to_owned()
}

#[test]
fn an_office_enrolls_end_to_end() {
    let setup = Setup::new();
    let enroll = setup
        .central(&[
            "central",
            "enroll",
            "--office",
            "pe-cusco",
            "--name",
            "Oficina Cusco",
            "--out",
            &setup.path("kit.json"),
        ])
        .ok();
    let fingerprint = fingerprint_in(&enroll.stdout);
    assert_eq!(fingerprint.len(), 24, "{enroll:?}");

    let init = setup
        .office(
            "office",
            &[
                "init",
                "--kit",
                &setup.path("kit.json"),
                "--fingerprint",
                &fingerprint.to_lowercase(),
                "--enrollment-out",
                &setup.path("enrollment.json"),
            ],
        )
        .ok();
    assert!(
        init.stdout.contains(&fingerprint),
        "init shows central's fingerprint: {init:?}"
    );
    assert!(
        init.stdout.contains(&setup.path("enrollment.json")),
        "and says where the file is"
    );

    let register = setup
        .central(&["central", "register", &setup.path("enrollment.json")])
        .ok();
    assert!(
        register
            .stdout
            .contains("Registered office Oficina Cusco (pe-cusco)")
    );
    // Registering the same file again changes nothing.
    setup
        .central(&["central", "register", &setup.path("enrollment.json")])
        .ok();
    let offices = setup.central(&["central", "offices"]).ok();
    assert!(offices.stdout.contains("pe-cusco") && offices.stdout.contains("registered"));

    // The office works, and knows central's keys.
    let line = setup.office("office", &["call", "add"]).fails(1);
    assert!(line.contains("no call on standard input"), "{line}");
    let listed = setup.office("office", &["operator", "list"]).ok();
    assert!(listed.stdout.contains("ana") && listed.stdout.contains("lead"));
}

#[test]
fn a_kit_with_the_wrong_fingerprint_stops_init_before_anything_is_made() {
    let setup = Setup::new();
    setup
        .central(&[
            "central",
            "enroll",
            "--office",
            "pe-puno",
            "--name",
            "Puno",
            "--out",
            &setup.path("kit.json"),
        ])
        .ok();
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
    setup
        .central(&[
            "central",
            "enroll",
            "--office",
            "pe-puno",
            "--name",
            "Puno",
            "--out",
            &setup.path("kit.json"),
        ])
        .ok();
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
    setup
        .office(
            "office",
            &[
                "init",
                "--kit",
                &setup.path("kit.json"),
                "--enrollment-out",
                &setup.path("enrollment.json"),
            ],
        )
        .ok();
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
    other
        .central(&[
            "central",
            "enroll",
            "--office",
            "pe-tacna",
            "--name",
            "Tacna",
            "--out",
            &other.path("kit.json"),
        ])
        .ok();
    other
        .office(
            "office",
            &[
                "init",
                "--kit",
                &other.path("kit.json"),
                "--enrollment-out",
                &other.path("enrollment.json"),
            ],
        )
        .ok();
    let line = setup
        .central(&["central", "register", &other.path("enrollment.json")])
        .fails(1);
    assert!(line.contains("made for another central"), "{line}");

    // A second install of the same office with a new key.
    setup
        .central(&["central", "register", &setup.path("enrollment.json")])
        .ok();
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
    setup
        .central(&[
            "central",
            "enroll",
            "--office",
            "pe-puno",
            "--name",
            "Puno",
            "--out",
            &setup.path("kit.json"),
        ])
        .ok();
    setup
        .office(
            "office",
            &[
                "init",
                "--kit",
                &setup.path("kit.json"),
                "--enrollment-out",
                &setup.path("enrollment.json"),
            ],
        )
        .ok();
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
