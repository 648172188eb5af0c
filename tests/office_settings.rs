//! `linea setting get|set`: known names only, values within bounds, changes by the office
//! lead only; and what a setting changes on the desk (the autolock ceiling).

mod common;

use common::{Office, PASSPHRASE, linea};

/// `linea --store OFFICE --operator luis ARGS`: the demo's operator who is not the lead.
fn as_operator(office: &Office, args: &[&str]) -> common::Run {
    let dir = office.dir();
    let mut all = vec!["--store", dir.to_str().unwrap(), "--operator", "luis"];
    all.extend_from_slice(args);
    linea(&all, "", &[("LINEA_PASSPHRASE", PASSPHRASE)])
}

#[test]
fn the_lead_sets_a_setting_and_anyone_reads_it() {
    let office = Office::new();
    let get = office.run(&["setting", "get", "retention_days"]).ok();
    assert_eq!(
        get.stdout,
        "retention_days = off (records of closed cases are kept)\n"
    );
    let get = office.run(&["setting", "get", "receipt_warning_days"]).ok();
    assert_eq!(get.stdout, "receipt_warning_days = 14 days (the default)\n");

    let set = office
        .run(&["setting", "set", "retention_days", "365"])
        .ok();
    assert_eq!(set.stdout, "retention_days = 365 days\n");
    let get = as_operator(&office, &["setting", "get", "retention_days"]).ok();
    assert_eq!(get.stdout, "retention_days = 365 days\n");

    office
        .run(&["setting", "set", "retention_days", "off"])
        .ok();
    let get = office.run(&["setting", "get", "retention_days"]).ok();
    assert!(get.stdout.contains("off"), "{get:?}");

    office
        .run(&["setting", "set", "autolock_minutes", "3"])
        .ok();
    let store = office.office_store();
    assert_eq!(
        store
            .office_setting(linea::store::OfficeSetting::AutolockMinutes)
            .unwrap(),
        Some(3)
    );
}

#[test]
fn only_the_lead_changes_settings() {
    let office = Office::new();
    let line = as_operator(&office, &["setting", "set", "retention_days", "365"]).fails(1);
    assert!(line.contains("only the office lead"), "{line}");
    let get = office.run(&["setting", "get", "retention_days"]).ok();
    assert!(get.stdout.contains("off"), "unchanged: {get:?}");
}

#[test]
fn unknown_names_and_bad_values_are_refused_with_what_is_allowed() {
    let office = Office::new();
    let line = office.run(&["setting", "set", "retention", "365"]).fails(2);
    assert_eq!(
        line,
        "linea: there is no office setting 'retention'; the settings are: retention_days, receipt_warning_days, autolock_minutes"
    );
    let line = office.run(&["setting", "get", "office_name"]).fails(2);
    assert!(line.contains("no office setting 'office_name'"), "{line}");
    for (name, value, allowed) in [
        ("retention_days", "7", "from 30 to 36500 or 'off'"),
        ("retention_days", "a year", "from 30 to 36500 or 'off'"),
        ("receipt_warning_days", "0", "from 1 to 365"),
        ("receipt_warning_days", "off", "from 1 to 365"),
        ("autolock_minutes", "1000", "from 1 to 240"),
    ] {
        let line = office.run(&["setting", "set", name, value]).fails(2);
        assert!(
            line.contains(&format!("'{value}' is not a value for {name}"))
                && line.contains(allowed),
            "{line}"
        );
    }
}

#[test]
fn autolock_minutes_shortens_the_desk_s_autolock() {
    use common::tui::{COLOR, Desk};
    use linea::model::Lang;
    let office = Office::new();
    office
        .run(&["setting", "set", "autolock_minutes", "1"])
        .ok();
    // The desk is started with 5 minutes; the lead's one minute is the longest allowed.
    let mut desk = Desk::on(office, Lang::En, COLOR, 80, 24);
    desk.unlock();
    assert!(!desk.app.is_locked());
    assert_eq!(desk.app.autolock(), std::time::Duration::from_secs(60));
}
