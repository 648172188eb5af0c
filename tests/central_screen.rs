//! `linea` on central's store: its home shows the offices (as `central status` does), F5
//! the imported calls, Enter the imported referrals; on a referral Enter records an outcome
//! for the office instead of changing the referral. Snapshots at 80x24 in es and en.

mod common;

use common::Office;
use common::exchange::{Forge, OFFICE_ID, batch_files, listing, manifest_hash};
use common::tui::{COLOR, Desk, now, seed_calls};
use linea::central::import::import_file;
use linea::central::sync::central_sync;
use linea::exchange::batch::{self, Manifest};
use linea::exchange::sync::office_sync;
use linea::model::{Lang, Record, ReferralFields};
use linea::store::{CallFilter, Clock, ReferralFilter};

const LANGS: [Lang; 2] = [Lang::Es, Lang::En];

/// The demo office with its three calls and a referral of the tip, synced to central (all
/// at the tests' fixed "now"), and the app on central's store, unlocked, at its home.
fn central_desk(lang: Lang) -> Desk {
    let office = Office::new();
    seed_calls(&office);
    let stick = office.stick("stick");
    {
        let mut store = office.office_store();
        store.set_clock(Clock::Fixed(now()));
        let tip = store
            .list_calls(&CallFilter::default(), None, 10)
            .unwrap()
            .calls
            .into_iter()
            .find(|c| c.fields.reason == "TIP")
            .unwrap();
        store
            .add_referral(
                ReferralFields {
                    call_id: Some(tip.meta.id),
                    target_type: "PNP_TRAFFICKING".into(),
                    institution: "DIRCTPTIM".into(),
                    reason: "CRIMINAL_REPORT".into(),
                    sharing_basis: "CONSENT".into(),
                    sent_at: Some(now()),
                    ..ReferralFields::default()
                },
                None,
            )
            .unwrap();
        office_sync(&mut store, &stick).unwrap();
    }
    {
        let mut central = office.central_store();
        central.set_clock(Clock::Fixed(now()));
        central_sync(&mut central, &stick).unwrap();
    }
    let mut desk = Desk::on_central(office, lang, COLOR);
    desk.unlock();
    desk
}

#[test]
fn central_home_shows_each_office_as_central_status_does() {
    let mut desk = central_desk(Lang::En);
    let screen = desk.screen();
    assert!(screen.contains("| Central |"), "{screen}");
    assert!(screen.contains("1 office, 0 overdue"), "{screen}");
    let row = screen
        .lines()
        .find(|l| l.contains("pe-lima"))
        .unwrap_or_else(|| panic!("no row for the office:\n{screen}"));
    for column in ["Oficina Lima", "2026-11-28 10:00", " ok"] {
        assert!(row.contains(column), "{column} missing: {row}");
    }
    assert!(screen.contains("3 calls imported"), "{screen}");
    // The same figures as the command line's.
    let status = desk.office.central(&["central", "status", "--json"]).ok();
    let json: serde_json::Value = serde_json::from_str(&status.stdout).unwrap();
    assert_eq!(json[0]["office"], "pe-lima");
    assert_eq!(json[0]["last_batch"], 1);
    assert_eq!(json[0]["overdue"], false);
}

#[test]
fn f5_lists_the_imported_calls() {
    let mut desk = central_desk(Lang::En);
    desk.press("f5");
    let screen = desk.screen();
    // At 80 columns the place is cut to leave room for the phone.
    assert!(screen.contains("Madre de D~"), "{screen}");
    assert!(screen.contains("Silent call"), "{screen}");
}

#[test]
fn on_a_referral_enter_records_an_outcome_for_the_office() {
    let mut desk = central_desk(Lang::En);
    desk.press("enter");
    assert!(desk.screen().contains("DIRCTPTIM"), "{}", desk.screen());
    assert!(desk.screen().contains("pe-lima"), "{}", desk.screen());
    desk.press("enter enter");
    desk.type_text("accepted");
    desk.press("enter");
    desk.type_text("Fiscalía abrió carpeta");
    desk.press("f2");
    let screen = desk.screen();
    assert!(screen.contains("Outcome recorded"), "{screen}");
    assert!(screen.contains("central: Fiscalía abrió"), "{screen}");

    let central = desk.office.central_store();
    let outcomes = central.outcomes_for("pe-lima").unwrap();
    assert_eq!(outcomes.len(), 1);
    assert_eq!(outcomes[0].status, "ACCEPTED");
    // The referral stays as the office sent it: the outcome travels, the office applies it.
    let referral = &central
        .list_referrals(&ReferralFilter::default(), 10)
        .unwrap()[0];
    assert_eq!(referral.history.len(), 1);
    drop(central);
    let stick = desk.office.stick("stick");
    {
        let mut central = desk.office.central_store();
        central_sync(&mut central, &stick).unwrap();
    }
    let mut office = desk.office.office_store();
    let report = office_sync(&mut office, &stick).unwrap();
    assert_eq!(report.outcomes_applied, 1);
    let at_office = office.referral(referral.meta.id).unwrap();
    assert_eq!(at_office.status(), "ACCEPTED");
}

/// The key bar, the screen's last line.
fn key_bar(desk: &mut Desk) -> String {
    desk.screen().lines().last().unwrap_or_default().to_owned()
}

#[test]
fn central_offers_only_what_it_can_do_and_refuses_the_rest() {
    let mut desk = central_desk(Lang::En);
    let bar = key_bar(&mut desk);
    assert!(!bar.contains("F3"), "{bar}");
    assert!(bar.contains("F9 Sync"), "{bar}");
    desk.press("f3");
    assert!(
        desk.screen()
            .contains("Central reads what the offices recorded"),
        "{}",
        desk.screen()
    );
    assert!(desk.screen().contains("| Central |"), "still at home");
    // On an imported call: no case started, nothing added to it.
    desk.press("f5 down enter");
    assert!(desk.screen().contains("| Call |"), "{}", desk.screen());
    let bar = key_bar(&mut desk);
    for refused in ["F3", "F4", "Ctrl-K", "Enter"] {
        assert!(!bar.contains(refused), "{refused} offered: {bar}");
    }
    for key in ["ctrl-k", "enter", "f4"] {
        desk.press(key);
        let screen = desk.screen();
        assert!(
            screen.contains("Central reads what the offices"),
            "{key}: {screen}"
        );
        assert!(screen.contains("| Call |"), "{key}: {screen}");
    }
}

#[test]
fn f9_at_central_imports_the_stick_and_leaves_each_office_its_receipt_and_pack() {
    let mut desk = central_desk(Lang::En);
    desk.app.set_media_roots(Vec::new());
    let stick = desk.office.stick("stick");
    // A call the office logged since: batch 2 waits on the stick.
    {
        let mut store = desk.office.office_store();
        store.set_clock(Clock::Fixed(now()));
        let mut call = store
            .list_calls(&CallFilter::default(), None, 1)
            .unwrap()
            .calls
            .remove(0);
        call.fields.notes = "Called back later".into();
        store
            .update_call(call.meta.id, call.fields, call.meta.version)
            .unwrap();
        office_sync(&mut store, &stick).unwrap();
    }
    desk.press("f9");
    desk.type_text(&stick.display().to_string());
    desk.press("enter");
    desk.tick();
    let screen = desk.screen();
    assert!(screen.contains("Sync done"), "{screen}");
    assert!(
        screen.contains(&format!("Office {OFFICE_ID} batch 2: 0 new, 1 updated")),
        "{screen}"
    );
    assert!(
        screen.contains(&format!("Receipt left for {OFFICE_ID}")),
        "{screen}"
    );
    let central = desk.office.central_store();
    assert_eq!(central.imported_batches(OFFICE_ID).unwrap().len(), 2);
    insta::assert_snapshot!(
        "central_sync_report_en",
        screen.replace(&stick.display().to_string(), "[STICK]")
    );
}

#[test]
fn central_home_shows_a_revoked_key_and_the_conflicts_kept() {
    let mut desk = central_desk(Lang::En);
    let office = &desk.office;
    let forge = Forge::new(office);
    // The office's batch 1 is still on the stick (no receipt applied yet); its first call
    // comes again at the same version with other notes: a conflict.
    let file = batch_files(&office.stick("stick")).remove(0);
    let (manifest, lines) = forge.open(&file);
    let mut call = lines
        .iter()
        .map(|l| serde_json::from_str::<Record>(l).unwrap())
        .find(|r| matches!(r, Record::Call { .. }))
        .unwrap();
    if let Record::Call { fields, .. } = &mut call {
        fields.notes = "otra versión, mismo número".into();
    }
    let changed = vec![batch::record_line(&call).unwrap()];
    let next = Manifest {
        seq: 2,
        prev_manifest: manifest_hash(&manifest),
        ..listing(&manifest, &changed)
    };
    let path = forge.batch("conflict.age", &next, &changed);
    {
        let mut central = office.central_store();
        central.set_clock(Clock::Fixed(now()));
        assert_eq!(
            import_file(&mut central, &path, false).unwrap().conflicts,
            1
        );
        linea::central::revoke(&mut central, OFFICE_ID).unwrap();
    }
    // Back from the calls, home reads the offices again.
    desk.press("f5 esc");
    let screen = desk.screen();
    let row = screen
        .lines()
        .find(|l| l.contains("pe-lima"))
        .unwrap_or_else(|| panic!("no row for the office:\n{screen}"));
    assert!(row.trim_end().ends_with("REVOKED"), "{row}");
    assert!(
        screen.contains("1 conflict kept apart (linea central conflicts)"),
        "{screen}"
    );
    insta::assert_snapshot!("central_home_revoked_and_conflict_en", screen);
}

#[test]
fn snapshots_of_central() {
    for lang in LANGS {
        let mut desk = central_desk(lang);
        insta::assert_snapshot!(format!("central_home_{lang}"), desk.screen());
        desk.press("enter");
        insta::assert_snapshot!(format!("central_referrals_{lang}"), desk.screen());
        desk.press("enter enter");
        insta::assert_snapshot!(format!("central_outcome_form_{lang}"), desk.screen());
    }
}

#[test]
fn snapshots_of_centrals_figures() {
    for lang in [Lang::Es, Lang::En] {
        let mut desk = central_desk(lang);
        desk.press("f7");
        desk.tick();
        insta::assert_snapshot!(format!("central_stats_{lang}"), desk.screen());
    }
}
