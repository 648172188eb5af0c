//! Store benchmarks at 100,000 and 1,000,000 synthetic calls (`cargo bench --bench store`,
//! or `cargo bench --bench store -- 20000` for other sizes):
//!
//! - insert throughput of the store's own statements in SQLCipher against the same schema
//!   in plain SQLite (WAL, synchronous=FULL, 5,000 calls a transaction), and the ratio;
//! - the demo generator filling a real store (validation, audit chain, change log, cases
//!   and referrals);
//! - unlock time, split into the passphrase KDF (scrypt at the shipped work factor) and the
//!   rest (the key file, SQLCipher keying, checks, the audit entry);
//! - the statistics' daily totals built for a store made before them (schema version 12,
//!   once, at the first unlock after the upgrade), the rest of unlocking apart.
//!
//! Figures go to stdout as a Markdown table for BENCHMARKS.md.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::Utc;
use linea::demo::SyntheticCalls;
use linea::keys::{KeyDir, Passphrase, StoreKey, WorkFactor};
use linea::model::{Call, RecordMeta, validate};
use linea::store::{OfficeStore, open_db, schema, write_calls};

const CHUNK: usize = 5_000;

fn main() {
    let sizes: Vec<u32> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![100_000, 1_000_000]
    } else {
        sizes
    };
    println!(
        "| calls | SQLCipher inserts/s | plain SQLite inserts/s | ratio | demo fill | KDF | unlock rest | statistics' totals built |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for size in sizes {
        let dir = tempfile::tempdir().expect("temp dir");
        let (cipher, plain) = insert_throughput(dir.path(), size);
        let (fill, kdf, rest, totals) = demo_and_unlock(dir.path(), size);
        println!(
            "| {size} | {:.0} | {:.0} | {:.2} | {:.1} s | {:.0} ms | {:.1} ms | {:.1} s |",
            f64::from(size) / cipher.as_secs_f64(),
            f64::from(size) / plain.as_secs_f64(),
            cipher.as_secs_f64() / plain.as_secs_f64(),
            fill.as_secs_f64(),
            kdf.as_secs_f64() * 1000.0,
            rest.as_secs_f64() * 1000.0,
            totals.as_secs_f64(),
        );
    }
}

/// The same calls written with the store's statements into SQLCipher and into plain SQLite.
fn insert_throughput(dir: &Path, size: u32) -> (Duration, Duration) {
    let key = StoreKey::generate();
    let mut cipher = open_db(&dir.join("cipher.db"), &key, true).expect("sqlcipher db");
    schema::migrate(&mut cipher).expect("schema");
    let mut plain = rusqlite::Connection::open(dir.join("plain.db")).expect("plain db");
    plain
        .execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA secure_delete = ON;
             PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;",
        )
        .expect("pragmas");
    schema::migrate(&mut plain).expect("schema");

    let mut source = SyntheticCalls::new(size, 1);
    let now = Utc::now();
    let (mut in_cipher, mut in_plain) = (Duration::ZERO, Duration::ZERO);
    loop {
        let chunk = source.next_chunk(CHUNK);
        if chunk.is_empty() {
            break;
        }
        let calls: Vec<Call> = chunk
            .into_iter()
            .map(|fields| {
                let fields = validate::call(fields, now).expect("valid synthetic call");
                Call::new(RecordMeta::new("pe-lima", "ana", now), fields)
            })
            .collect();
        let start = Instant::now();
        write_calls(&mut cipher, &calls).expect("write sqlcipher");
        in_cipher += start.elapsed();
        let start = Instant::now();
        write_calls(&mut plain, &calls).expect("write plain");
        in_plain += start.elapsed();
    }
    (in_cipher, in_plain)
}

/// Fills a real office through the demo generator, then unlocks it at the shipped KDF cost;
/// then takes its statistics' totals away (as a store of schema version 11 was) and unlocks
/// it again, which builds them.
fn demo_and_unlock(dir: &Path, size: u32) -> (Duration, Duration, Duration, Duration) {
    let demo_dir = dir.join("demo");
    let start = Instant::now();
    let demo = linea::demo::create(&demo_dir, size, 1, WorkFactor::SHIPPED).expect("demo");
    let fill = start.elapsed();
    drop(demo);
    let passphrase = Passphrase::new(linea::demo::PASSPHRASE.into());
    let office = demo_dir.join("office");
    let start = Instant::now();
    let identity = KeyDir::of_store(&office)
        .open_slot(linea::demo::OFFICE_LEAD, &passphrase)
        .expect("slot");
    let kdf = start.elapsed();
    let start = Instant::now();
    let store = OfficeStore::open_with_identity(&office, linea::demo::OFFICE_LEAD, &identity)
        .expect("unlock");
    let rest = start.elapsed();
    assert_eq!(store.call_count().expect("count"), u64::from(size));
    drop(store);
    let keys = KeyDir::of_store(&office);
    let key = keys
        .read_store_key(&keys.store_key_path(), &identity)
        .expect("store key");
    open_db(&office.join("linea.db"), &key, false)
        .expect("raw db")
        .execute_batch(
            "DROP TABLE call_figures; DROP TABLE referral_figures;
             DROP TABLE case_funnel;
             PRAGMA user_version = 11;",
        )
        .expect("back to version 11");
    let start = Instant::now();
    let store = OfficeStore::open_with_identity(&office, linea::demo::OFFICE_LEAD, &identity)
        .expect("unlock");
    let totals = start.elapsed().saturating_sub(rest);
    drop(store);
    (fill, kdf, rest, totals)
}
