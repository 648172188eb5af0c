//! The USB exchange at 100,000 calls (`cargo bench --bench exchange`), and at a million too
//! with `LINEA_BENCH_MILLION=1` (about 15 minutes more, most of it making the demo), or at
//! the sizes given: `cargo bench --bench exchange -- 20000 300000`.
//!
//! For each size, on a demo office made with `linea demo`'s code, central's first pack
//! applied as every real office has it (so its batches carry callers' phone hashes), key
//! slots at a cheap work factor (the KDF is not what is measured):
//!
//! - **export**: the office's first sync onto an empty stick folder, every record since the
//!   start: batches made (change log, records, manifest, signature, zstd) and written
//!   (padded, age-encrypted, fsynced, read back);
//! - **import**: central's sync of that stick: every batch decrypted, verified and imported,
//!   the receipt and pack written;
//! - **peak memory** of each (VmHWM of a child process that does only that, store opened
//!   included), which must not grow with the size: batches are capped;
//! - **a month's sync** after that first one: the office applies central's receipt, logs
//!   [`MONTH_CALLS`] calls and moves [`MONTH_REFERRAL_CHANGES`] referrals on, then syncs
//!   (export), and central syncs that stick (import), each timed on its own;
//! - **baselines** over the same rows (the tables the records come from: calls, cases,
//!   people, referrals, referral_status), measured in the same run: `sqlite3 -json | zstd -3
//!   | age -r CENTRAL` on a plain (decrypted) copy of the office database, and the same
//!   pipeline fed by a dump of the rows read through SQLCipher (the `sqlite3` CLI cannot open
//!   it), as JSON lines.
//!
//! The first export and its baselines run [`RUNS`] times, interleaved, and so does the
//! import: the machine is shared, and its speed moves by a third from one minute to the
//! next. Each run's export is set against the pipeline measured right after it, and the
//! tables give the median run.
//!
//! Figures go to stdout as Markdown for BENCHMARKS.md, ending with issue 11's goals.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use linea::central::sync::central_sync;
use linea::exchange::enrollment::names;
use linea::exchange::sync::{OfficeSync, Phase};
use linea::keys::{KeyDir, Passphrase};
use linea::store::{CentralStore, OfficeStore, open_db};
use serde_json::{Value, json};

/// scrypt at 2^10 for the demo's key slots: unlocking is not what is measured here.
const WORK_FACTOR: u8 = 10;
/// A typical office's month (issue 11): calls logged, and referral statuses changed.
const MONTH_CALLS: u32 = 1_000;
const MONTH_REFERRAL_CHANGES: usize = 50;
/// Runs of the first export (each with its baselines) and of the import, at each size.
const RUNS: usize = 3;
/// The tables the exchange's records are read from.
const TABLES: [&str; 5] = ["cases", "calls", "people", "referrals", "referral_status"];

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if args.first().map(String::as_str) == Some("child") {
        child(&args[1..]);
        return;
    }
    let mut sizes: Vec<u32> = args.iter().filter_map(|a| a.parse().ok()).collect();
    if sizes.is_empty() {
        sizes.push(100_000);
        if std::env::var_os("LINEA_BENCH_MILLION").is_some() {
            sizes.push(1_000_000);
        }
    }
    let tools = ["sqlite3", "zstd", "age"];
    if let Some(missing) = tools.iter().find(|tool| !on_path(tool)) {
        eprintln!(
            "the baselines need {missing}: apt-get install -y sqlite3 zstd age (skipping them)"
        );
    }
    let mut rows = Vec::new();
    for size in sizes {
        rows.push(measure(size));
    }
    print_tables(&rows);
}

/// What one size measured.
struct Figures {
    calls: u32,
    cases: u64,
    referrals: u64,
    statuses: u64,
    /// The median run's figures.
    export: Value,
    import: Value,
    open_kb: u64,
    stick_bytes: u64,
    files: usize,
    baseline_plain: Option<Baseline>,
    baseline_cipher: Option<Baseline>,
    /// Each run's export time over the plain pipeline's, in the order they ran.
    ratios: Vec<f64>,
    import_secs: Vec<f64>,
    month_export: Value,
    month_import: Value,
}

fn measure(size: u32) -> Figures {
    let dir = tempfile::tempdir().expect("temp dir");
    let demo_dir = dir.path().join("demo");
    eprintln!("making a demo office with {size} calls...");
    let started = Instant::now();
    let demo = linea::demo::create_with_directory(&demo_dir, size, 1, WORK_FACTOR).expect("demo");
    let (cases, referrals) = (demo.cases, demo.referrals);
    let recipient = demo
        .office
        .setting(names::CENTRAL_IMPORT_RECIPIENT)
        .expect("setting")
        .expect("central's recipient");
    drop(demo);
    eprintln!("  made in {:.0} s", started.elapsed().as_secs_f64());
    let office = demo_dir.join("office");
    let central = demo_dir.join("central");
    let stick = dir.path().join("stick");

    // The plain copy for the literal sqlite3 baseline, outside any timing.
    let plain = dir.path().join("plain.db");
    let statuses = plain_copy(&office, &plain);

    let open_kb = run_child(&["open", path_str(&office)])["hwm_kb"]
        .as_u64()
        .unwrap_or(0);
    // Each run exports the office as the demo left it, and each import starts from central
    // as it was, with the stick as the export left it.
    let office_before = dir.path().join("office-before");
    let central_before = dir.path().join("central-before");
    let stick_made = dir.path().join("stick-made");
    copy_dir(&office, &office_before);
    copy_dir(&central, &central_before);
    let exe = std::env::current_exe().expect("this program");
    let mut runs = Vec::with_capacity(RUNS);
    for run in 1..=RUNS {
        if run > 1 {
            copy_dir(&office_before, &office);
        }
        let _ = fs::remove_dir_all(&stick);
        eprintln!("  export and baselines, run {run} of {RUNS}...");
        let export = run_child(&["export", path_str(&office), path_str(&stick)]);
        let plain_pipeline = baseline(
            &format!(
                "sqlite3 -json {} '{}'",
                path_str(&plain),
                TABLES
                    .iter()
                    .map(|t| format!("SELECT * FROM {t};"))
                    .collect::<String>()
            ),
            &recipient,
            &dir.path().join("plain-dump.age"),
        );
        let cipher_pipeline = baseline(
            &format!("{} child dump {}", path_str(&exe), path_str(&office)),
            &recipient,
            &dir.path().join("cipher-dump.age"),
        );
        runs.push((export, plain_pipeline, cipher_pipeline));
    }
    let (files, stick_bytes) = folder_size(&stick.join("linea").join("to-central"));
    let ratios: Vec<f64> = runs
        .iter()
        .filter_map(|(export, plain, _)| {
            plain.map(|plain| secs(&export["secs"]) / plain.time.as_secs_f64())
        })
        .collect();
    let baseline_plain = median_by(runs.iter().filter_map(|r| r.1), |b| b.time.as_secs_f64());
    let baseline_cipher = median_by(runs.iter().filter_map(|r| r.2), |b| b.time.as_secs_f64());
    let export =
        median_by(runs.into_iter().map(|r| r.0), |e| secs(&e["secs"])).expect("an export run");
    copy_dir(&stick, &stick_made);
    let mut imports = Vec::with_capacity(RUNS);
    for run in 1..=RUNS {
        if run > 1 {
            copy_dir(&central_before, &central);
            copy_dir(&stick_made, &stick);
        }
        eprintln!("  import, run {run} of {RUNS}...");
        imports.push(run_child(&["import", path_str(&central), path_str(&stick)]));
    }
    let import_secs: Vec<f64> = imports.iter().map(|i| secs(&i["secs"])).collect();
    let import = median_by(imports.into_iter(), |i| secs(&i["secs"])).expect("an import run");
    eprintln!("  a month's sync...");
    // The receipt applied and the stick's copies removed, outside the timing.
    run_child(&["export", path_str(&office), path_str(&stick)]);
    run_child(&["month", path_str(&office)]);
    let month_export = run_child(&["export", path_str(&office), path_str(&stick)]);
    let month_import = run_child(&["import", path_str(&central), path_str(&stick)]);
    Figures {
        calls: size,
        cases,
        referrals,
        statuses,
        export,
        import,
        open_kb,
        stick_bytes,
        files,
        baseline_plain,
        baseline_cipher,
        ratios,
        import_secs,
        month_export,
        month_import,
    }
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

fn on_path(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs this program as a child doing one measurement; returns what it printed.
fn run_child(args: &[&str]) -> Value {
    let exe = std::env::current_exe().expect("this program");
    let output = Command::new(exe)
        .arg("child")
        .args(args)
        .stderr(Stdio::inherit())
        .output()
        .expect("child");
    assert!(output.status.success(), "child {args:?} failed");
    serde_json::from_slice(&output.stdout).expect("the child's figures")
}

/// What a baseline pipeline took, and what it wrote.
#[derive(Debug, Clone, Copy)]
struct Baseline {
    time: Duration,
    cpu_secs: f64,
    bytes: u64,
}

/// The median of `items` by `key` (the upper one of an even count).
fn median_by<T>(items: impl Iterator<Item = T>, key: impl Fn(&T) -> f64) -> Option<T> {
    let mut items: Vec<T> = items.collect();
    items.sort_by(|a, b| key(a).total_cmp(&key(b)));
    let middle = items.len() / 2;
    items.into_iter().nth(middle)
}

/// Replaces `to` with a copy of the folder `from`.
fn copy_dir(from: &Path, to: &Path) {
    let _ = fs::remove_dir_all(to);
    let status = Command::new("cp")
        .arg("-a")
        .args([from, to])
        .status()
        .expect("cp");
    assert!(
        status.success(),
        "cp -a {} {}",
        from.display(),
        to.display()
    );
}

/// `source | zstd -3 | age -r RECIPIENT -o OUT`, timed; `None` without the tools.
fn baseline(source: &str, recipient: &str, out: &Path) -> Option<Baseline> {
    if !["sqlite3", "zstd", "age"].iter().all(|t| on_path(t)) {
        return None;
    }
    let pipeline = format!(
        "set -o pipefail; {source} | zstd -q -3 -T1 -c | age -r {recipient} -o {}",
        path_str(out)
    );
    let (started, cpu) = (Instant::now(), cpu_secs().children);
    let status = Command::new("bash")
        .args(["-c", &pipeline])
        .status()
        .expect("bash");
    let elapsed = started.elapsed();
    assert!(status.success(), "{pipeline} failed");
    Some(Baseline {
        time: elapsed,
        cpu_secs: cpu_secs().children - cpu,
        bytes: fs::metadata(out).map(|m| m.len()).unwrap_or(0),
    })
}

/// CPU time so far, in seconds: this process's (every thread), user and system, and its
/// waited-for children's. The machine is shared: CPU time moves less than wall time with
/// others' load.
struct Cpu {
    user: f64,
    sys: f64,
    children: f64,
}

impl Cpu {
    fn own(&self) -> f64 {
        self.user + self.sys
    }
}

fn cpu_secs() -> Cpu {
    // After the command's parenthesis: the state, then numbers from ppid (the 4th field)
    // on; utime, stime, cutime and cstime are the 14th to 17th, in ticks of USER_HZ (100 a
    // second on Linux).
    let stat = fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<f64> = stat
        .rsplit_once(')')
        .map(|(_, rest)| {
            rest.split_whitespace()
                .skip(1)
                .map(|f| f.parse().unwrap_or(0.0))
                .collect()
        })
        .unwrap_or_default();
    let tick = |field: usize| fields.get(field - 4).copied().unwrap_or(0.0) / 100.0;
    Cpu {
        user: tick(14),
        sys: tick(15),
        children: tick(16) + tick(17),
    }
}

/// The office's raw store key, through the lead's slot.
fn store_key(office: &Path) -> linea::keys::StoreKey {
    let keys = KeyDir::of_store(office);
    let identity = keys
        .open_slot(linea::demo::OFFICE_LEAD, &passphrase())
        .expect("slot");
    keys.read_store_key(&keys.store_key_path(), &identity)
        .expect("store key")
}

fn passphrase() -> Passphrase {
    Passphrase::new(linea::demo::PASSPHRASE.into())
}

/// Decrypts the office database into a plain SQLite file; returns how many statuses it has.
fn plain_copy(office: &Path, plain: &Path) -> u64 {
    let conn = open_db(&office.join("linea.db"), &store_key(office), false).expect("open db");
    // The store's connection may not create files; an empty file is an empty database.
    fs::File::create(plain).expect("plain copy");
    conn.execute("ATTACH DATABASE ?1 AS plain KEY ''", [path_str(plain)])
        .expect("attach");
    conn.query_row("SELECT sqlcipher_export('plain')", [], |_| Ok(()))
        .expect("export");
    conn.execute_batch("DETACH DATABASE plain").expect("detach");
    conn.query_row("SELECT count(*) FROM referral_status", [], |row| row.get(0))
        .expect("count")
}

fn folder_size(dir: &Path) -> (usize, u64) {
    let files: Vec<PathBuf> = fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    let bytes = files
        .iter()
        .filter_map(|f| fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    (files.len(), bytes)
}

/// The peak resident memory of this process so far, in KiB.
fn peak_kb() -> u64 {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// Starts this process's peak resident memory again from what it holds now (Linux's
/// `clear_refs`); where that is refused, the peak stays the process's whole.
fn reset_peak() {
    let _ = fs::write("/proc/self/clear_refs", "5");
}

/// One measurement, in this (child) process, its figures printed as JSON.
fn child(args: &[String]) {
    let arg = |n: usize| PathBuf::from(args.get(n).expect("child arguments"));
    let figures = match args.first().map(String::as_str) {
        Some("open") => {
            let store =
                OfficeStore::open(&arg(1), linea::demo::OFFICE_LEAD, &passphrase()).expect("open");
            drop(store);
            json!({})
        }
        Some("export") => export(&arg(1), &arg(2)),
        Some("import") => import(&arg(1), &arg(2)),
        Some("month") => {
            month(&arg(1));
            json!({})
        }
        Some("dump") => {
            dump(&arg(1));
            return;
        }
        other => panic!("unknown child {other:?}"),
    };
    let mut figures = figures;
    if figures.get("hwm_kb").is_none() {
        figures["hwm_kb"] = json!(peak_kb());
    }
    println!("{figures}");
}

/// The office's sync, phase by phase.
fn export(office: &Path, stick: &Path) -> Value {
    let mut store =
        OfficeStore::open(office, linea::demo::OFFICE_LEAD, &passphrase()).expect("open");
    // Unlocking with a real work factor (a `linea demo` office) peaks at hundreds of MiB in
    // scrypt: the export's own peak is read apart from it.
    let open_kb = peak_kb();
    reset_peak();
    let (started, cpu) = (Instant::now(), cpu_secs().own());
    let mut sync = OfficeSync::start(stick).expect("start");
    let (mut making, mut writing) = (Duration::ZERO, Duration::ZERO);
    loop {
        let phase = sync.phase();
        let step = Instant::now();
        let next = sync.step(&mut store).expect("sync");
        match phase {
            Phase::MakingBatches => making += step.elapsed(),
            Phase::WritingBatches => writing += step.elapsed(),
            _ => {}
        }
        if next == Phase::Done {
            break;
        }
    }
    let total = started.elapsed();
    let cpu = cpu_secs().own() - cpu;
    let export_kb = peak_kb();
    let report = sync.into_report();
    // After the peak was read: one payload at a time, as the outbox keeps them (compressed).
    let payload_bytes: usize = report
        .batches_made
        .iter()
        .map(|seq| store.outbox_payload(*seq).map(|p| p.len()).unwrap_or(0))
        .sum();
    json!({
        "secs": total.as_secs_f64(),
        "cpu_secs": cpu,
        "making_secs": making.as_secs_f64(),
        "writing_secs": writing.as_secs_f64(),
        "batches": report.batches_made.len(),
        "payload_bytes": payload_bytes,
        "hwm_kb": open_kb.max(export_kb),
        "export_hwm_kb": export_kb,
    })
}

/// A month of an office's work: [`MONTH_CALLS`] new calls, [`MONTH_REFERRAL_CHANGES`]
/// referrals moved to their next status.
fn month(office: &Path) {
    let mut store =
        OfficeStore::open(office, linea::demo::OFFICE_LEAD, &passphrase()).expect("open");
    let calls = linea::demo::SyntheticCalls::new(MONTH_CALLS, 11).next_chunk(MONTH_CALLS as usize);
    store.add_calls(calls).expect("calls");
    let open = store
        .list_referrals(
            &linea::store::ReferralFilter::default(),
            10 * MONTH_REFERRAL_CHANGES as u32,
        )
        .expect("referrals");
    let mut changed = 0;
    for referral in open {
        let Some(next) = linea::model::next_statuses(referral.status()).first() else {
            continue;
        };
        store
            .set_referral_status(referral.meta.id, next, "seguimiento del mes")
            .expect("status");
        changed += 1;
        if changed == MONTH_REFERRAL_CHANGES {
            break;
        }
    }
    assert_eq!(changed, MONTH_REFERRAL_CHANGES, "open referrals to move on");
}

/// Central's sync of the stick.
fn import(central: &Path, stick: &Path) -> Value {
    let mut store =
        CentralStore::open(central, linea::demo::CENTRAL_LEAD, &passphrase()).expect("open");
    let before = cpu_secs();
    let started = Instant::now();
    let report = central_sync(&mut store, stick).expect("central sync");
    let total = started.elapsed();
    let cpu = cpu_secs();
    assert!(report.refused.is_empty(), "refused: {:?}", report.refused);
    let per_batch: Vec<usize> = report
        .imported
        .iter()
        .map(|r| r.new + r.updated + r.unchanged + r.older + r.conflicts)
        .collect();
    json!({
        "secs": total.as_secs_f64(),
        "user_secs": cpu.user - before.user,
        "sys_secs": cpu.sys - before.sys,
        "batches": report.imported.len(),
        "records": per_batch.iter().sum::<usize>(),
        "largest_batch": per_batch.iter().max(),
        "smallest_batch": per_batch.iter().min(),
    })
}

/// The baseline's source through SQLCipher: every row of [`TABLES`] as a JSON line, read with
/// the store's key, to stdout.
fn dump(office: &Path) {
    let conn = open_db(&office.join("linea.db"), &store_key(office), false).expect("open db");
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    for table in TABLES {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table}"))
            .expect("select");
        let columns: Vec<String> = stmt.column_names().map(str::to_owned).collect();
        let mut rows = stmt.query([]).expect("query");
        while let Some(row) = rows.next().expect("row") {
            let mut object = serde_json::Map::new();
            for (i, column) in columns.iter().enumerate() {
                let value = match row.get_ref(i).expect("column") {
                    rusqlite::types::ValueRef::Null => Value::Null,
                    rusqlite::types::ValueRef::Integer(n) => json!(n),
                    rusqlite::types::ValueRef::Real(x) => json!(x),
                    rusqlite::types::ValueRef::Text(t) => json!(String::from_utf8_lossy(t)),
                    rusqlite::types::ValueRef::Blob(b) => json!(hex::encode(b)),
                };
                object.insert(column.clone(), value);
            }
            serde_json::to_writer(&mut out, &object).expect("write");
            out.write_all(b"\n").expect("write");
        }
    }
    out.flush().expect("flush");
}

fn secs(value: &Value) -> f64 {
    value.as_f64().unwrap_or(0.0)
}

fn mib(kb: &Value) -> f64 {
    kb.as_u64().unwrap_or(0) as f64 / 1024.0
}

fn print_tables(rows: &[Figures]) {
    println!(
        "| calls | records sent | batches (records each) | payload (compressed, in the outbox) | stick | export | peak memory | import | peak memory |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for f in rows {
        println!(
            "| {} | {} ({} calls, {} cases, {} referrals with {} statuses) | {} ({}-{}) | {:.1} MiB | {:.1} MiB in {} files | {:.1} s (making {:.1} s, writing {:.1} s) | {:.0} MiB | {:.1} s | {:.0} MiB |",
            f.calls,
            f.import["records"],
            f.calls,
            f.cases,
            f.referrals,
            f.statuses,
            f.import["batches"],
            f.import["smallest_batch"],
            f.import["largest_batch"],
            f.export["payload_bytes"].as_f64().unwrap_or(0.0) / 1024.0 / 1024.0,
            f.stick_bytes as f64 / 1024.0 / 1024.0,
            f.files,
            secs(&f.export["secs"]),
            secs(&f.export["making_secs"]),
            secs(&f.export["writing_secs"]),
            mib(&f.export["hwm_kb"]),
            secs(&f.import["secs"]),
            mib(&f.import["hwm_kb"]),
        );
    }
    println!();
    println!(
        "Import CPU time (both threads), user + system: {}",
        rows.iter()
            .map(|f| format!(
                "{:.1} + {:.1} s at {} calls",
                secs(&f.import["user_secs"]),
                secs(&f.import["sys_secs"]),
                f.calls
            ))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!();
    println!(
        "Peak memory of a child that only opens the office store: {}",
        rows.iter()
            .map(|f| format!("{:.0} MiB at {} calls", f.open_kb as f64 / 1024.0, f.calls))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!();
    println!(
        "A month's sync after the first ({MONTH_CALLS} calls logged, {MONTH_REFERRAL_CHANGES} referrals moved on):"
    );
    println!();
    println!("| calls in the store | records sent | office export | central import |");
    println!("|---:|---:|---:|---:|");
    for f in rows {
        println!(
            "| {} | {} | {:.2} s | {:.2} s |",
            f.calls,
            f.month_import["records"],
            secs(&f.month_export["secs"]),
            secs(&f.month_import["secs"]),
        );
    }
    println!();
    println!(
        "| calls | linea export | sqlite3 -json (plain copy) \\| zstd -3 \\| age | SQLCipher rows as JSON lines \\| zstd -3 \\| age |"
    );
    println!("|---:|---:|---:|---:|");
    for f in rows {
        let show = |b: &Option<Baseline>| match b {
            Some(b) => format!(
                "{:.2} s (CPU {:.2} s), {:.1} MiB",
                b.time.as_secs_f64(),
                b.cpu_secs,
                b.bytes as f64 / 1024.0 / 1024.0
            ),
            None => "not run".into(),
        };
        println!(
            "| {} | {:.2} s (CPU {:.2} s), {:.1} MiB | {} | {} |",
            f.calls,
            secs(&f.export["secs"]),
            secs(&f.export["cpu_secs"]),
            f.stick_bytes as f64 / 1024.0 / 1024.0,
            show(&f.baseline_plain),
            show(&f.baseline_cipher),
        );
    }
    print_goals(rows);
}

/// Issue 11's goals, one column per size: medians, with the runs' range.
fn print_goals(rows: &[Figures]) {
    println!();
    println!(
        "Issue 11's goals: the median of {RUNS} runs (each run's export set against the pipeline run right after it), with the runs' range:"
    );
    println!();
    let sizes: String = rows
        .iter()
        .map(|f| format!(" {} calls |", f.calls))
        .collect();
    println!("| measure |{sizes} goal |");
    println!("|---|{}---:|", "---:|".repeat(rows.len()));
    let row = |measure: &str, goal: &str, cell: &dyn Fn(&Figures) -> String| {
        let cells: String = rows.iter().map(|f| format!(" {} |", cell(f))).collect();
        println!("| {measure} |{cells} {goal} |");
    };
    row(
        "first export, linea / `sqlite3 -json \\| zstd -3 \\| age`",
        "≤ 1.0",
        &|f| spread(&f.ratios, ""),
    );
    row(
        "bytes on the stick, linea / that pipeline's",
        "≤ 1.15",
        &|f| match f.baseline_plain {
            Some(b) if b.bytes > 0 => format!("{:.2}", f.stick_bytes as f64 / b.bytes as f64),
            _ => "not run".into(),
        },
    );
    row("import of the first export", "≤ 30 s", &|f| {
        spread(&f.import_secs, " s")
    });
    row("peak memory, export / import", "≤ 200 MiB", &|f| {
        let export = f.export.get("export_hwm_kb").unwrap_or(&f.export["hwm_kb"]);
        format!("{:.0} / {:.0} MiB", mib(export), mib(&f.import["hwm_kb"]))
    });
    row("a month's sync, office / central", "≤ 1 s", &|f| {
        format!(
            "{:.2} / {:.2} s",
            secs(&f.month_export["secs"]),
            secs(&f.month_import["secs"])
        )
    });
}

/// "median (lowest–highest)" of `values`, each followed by `unit`.
fn spread(values: &[f64], unit: &str) -> String {
    let Some(median) = median_by(values.iter().copied(), |v| *v) else {
        return "not run".into();
    };
    let low = values.iter().copied().fold(f64::INFINITY, f64::min);
    let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    format!("{median:.2}{unit} ({low:.2}–{high:.2})")
}
