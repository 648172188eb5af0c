//! A large retention purge (`cargo bench --bench retention`: a demo office of 100,000 calls,
//! or `cargo bench --bench retention -- 20000` for other sizes).
//!
//! On a demo office (key slots at a cheap work factor: unlocking is not measured), every case
//! is closed and the closing sent to central and acknowledged by its receipt; a year later
//! one purge takes them all with their calls and referrals. Measured: the purge (its steps,
//! their audit entries, the checkpoint), then `audit verify` on what is left.
//!
//! Figures go to stdout as a Markdown table for BENCHMARKS.md.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use linea::central::sync::central_sync;
use linea::exchange::sync::office_sync;
use linea::keys::Passphrase;
use linea::store::{CentralStore, Clock, OfficeStore, RetentionReport};

/// scrypt at 2^10 for the demo's key slots: unlocking is not what is measured here.
const WORK_FACTOR: u8 = 10;

fn main() {
    let sizes: Vec<u32> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![100_000]
    } else {
        sizes
    };
    println!("| calls | cases purged | records purged | purge | audit verify after it |");
    println!("|---:|---:|---:|---:|---:|");
    for size in sizes {
        let (report, purge, verify) = measure(size);
        println!(
            "| {size} | {} | {} | {:.2} s | {:.2} s |",
            report.cases,
            report.records(),
            purge.as_secs_f64(),
            verify.as_secs_f64(),
        );
    }
}

fn measure(size: u32) -> (RetentionReport, Duration, Duration) {
    let dir = tempfile::tempdir().expect("temp dir");
    let demo_dir = dir.path().join("demo");
    eprintln!("making a demo office with {size} calls...");
    let demo = linea::demo::create(&demo_dir, size, 1, WORK_FACTOR).expect("demo");
    let mut office = demo.office;
    let mut central =
        CentralStore::open(&demo.central_dir, linea::demo::CENTRAL_LEAD, &passphrase())
            .expect("open central");
    eprintln!("  closing every case and syncing twice...");
    office.set_bulk_load(true).expect("bulk load");
    for case in office.list_cases(true, u32::MAX).expect("cases") {
        office
            .set_case_status(case.meta.id, "CLOSED")
            .expect("close case");
    }
    office.set_bulk_load(false).expect("bulk load off");
    let stick = dir.path().join("stick");
    round_trip(&mut office, &mut central, &stick);

    eprintln!("  purging...");
    office.set_clock(Clock::Fixed(Utc::now() + TimeDelta::days(400)));
    let started = Instant::now();
    let report = office.purge_closed_cases(365, false).expect("purge");
    let purge = started.elapsed();
    let started = Instant::now();
    let verified = office.verify_audit().expect("verify");
    let verify = started.elapsed();
    assert!(verified.is_ok(), "the audit chain broke: {verified:?}");
    (report, purge, verify)
}

/// The office's changes to central, and central's receipt back to the office.
fn round_trip(office: &mut OfficeStore, central: &mut CentralStore, stick: &Path) {
    office_sync(office, stick).expect("office sync");
    central_sync(central, stick).expect("central sync");
    let report = office_sync(office, stick).expect("office sync");
    assert!(
        !report.receipts_applied.is_empty(),
        "central's receipt came back"
    );
}

fn passphrase() -> Passphrase {
    Passphrase::new(linea::demo::PASSPHRASE.into())
}
