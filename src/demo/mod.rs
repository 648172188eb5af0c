//! `linea demo`: a central and an enrolled office full of synthetic, reproducible calls,
//! made through the same code paths as real ones (enrollment, validation, the store).

mod directory;
mod synth;

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeDelta, Utc};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::central;
use crate::error::Error;
use crate::exchange::{self, enrollment};
use crate::keys::Passphrase;
use crate::model::{CallFields, CaseFields, Place, ReferralFields};
use crate::store::{CentralStore, Clock, LeadConfirmation, OfficeStore};
use synth::Synth;

pub const PASSPHRASE: &str = "demo demo demo";
pub const OFFICE_ID: &str = "pe-lima";
pub const OFFICE_LEAD: &str = "ana";
pub const OFFICE_OPERATOR: &str = "luis";
pub const CENTRAL_LEAD: &str = "central";

/// Calls are saved this many to a transaction.
const CHUNK: usize = 5_000;
/// About a thousand calls a month, as the Peruvian hotline had.
const CALLS_PER_DAY: u32 = 33;

/// What `create` made.
pub struct Demo {
    pub office: OfficeStore,
    pub office_dir: PathBuf,
    pub central_dir: PathBuf,
    pub calls: u64,
    pub cases: u64,
    pub referrals: u64,
}

/// Makes the demo `linea demo` opens in `dir`, which must be new or empty: its office has
/// applied a first reference pack from central with the demo's directory of local services.
pub fn create_with_directory(
    dir: &Path,
    calls: u32,
    seed: u64,
    work_factor: u8,
) -> Result<Demo, Error> {
    make(dir, calls, seed, work_factor, true)
}

/// Makes the demo in `dir`, which must be new or empty, with no reference pack applied: the
/// office works with the built-in directory (what tests and benchmarks start from).
pub fn create(dir: &Path, calls: u32, seed: u64, work_factor: u8) -> Result<Demo, Error> {
    make(dir, calls, seed, work_factor, false)
}

fn make(
    dir: &Path,
    calls: u32,
    seed: u64,
    work_factor: u8,
    with_directory: bool,
) -> Result<Demo, Error> {
    if dir.exists() {
        let mut entries = fs::read_dir(dir).map_err(Error::io(dir))?;
        if entries.next().is_some() {
            return Err(Error::Usage(format!(
                "{} is not empty; give a new or empty folder for the demo",
                dir.display()
            )));
        }
    }
    fs::create_dir_all(dir).map_err(Error::io(dir))?;
    let passphrase = Passphrase::new(PASSPHRASE.into());
    let central_dir = dir.join("central");
    let office_dir = dir.join("office");
    let setup = central::init_central(
        &central_dir,
        CENTRAL_LEAD,
        &passphrase,
        work_factor,
        &dir.join("central-recovery.txt"),
    )?;
    let mut central_store = setup.store;
    let kit = dir.join("office-kit.json");
    let (_, central_fingerprint) =
        central::enroll(&mut central_store, OFFICE_ID, "Oficina Lima (demo)", &kit)?;
    let enrollment_file = dir.join("office-enrollment.json");
    // Both ends of the phone call are here: each fingerprint is the one the other side made.
    let office = enrollment::init_office(
        &office_dir,
        &kit,
        &central_fingerprint,
        OFFICE_LEAD,
        &passphrase,
        work_factor,
        &enrollment_file,
    )?;
    central::register(
        &mut central_store,
        &enrollment_file,
        &office.office_fingerprint,
    )?;
    let mut store = office.store;
    store.add_operator(OFFICE_OPERATOR, &passphrase, work_factor)?;
    if with_directory {
        send_directory(&mut central_store, &mut store, dir)?;
    }
    let (cases, referrals) = fill(&mut store, calls, seed)?;
    Ok(Demo {
        office: store,
        office_dir,
        central_dir,
        calls: u64::from(calls),
        cases,
        referrals,
    })
}

/// Central builds the demo's directory into a reference pack from its files
/// (`central-sources/`) and a first sync carries it to the office on a stick (`stick/`), as
/// a real office gets its first pack.
fn send_directory(
    central_store: &mut CentralStore,
    office: &mut OfficeStore,
    dir: &Path,
) -> Result<(), Error> {
    let sources = dir.join("central-sources");
    fs::create_dir_all(&sources).map_err(Error::io(&sources))?;
    let file = sources.join(central::pack::DIRECTORY_FILE);
    fs::write(&file, directory::csv()).map_err(Error::io(&file))?;
    central::pack::build(central_store, &sources).map_err(|e| match e {
        central::pack::PackBuildError::Refused(reason) => Error::Input(reason),
        central::pack::PackBuildError::Store(e) => Error::Store(e),
    })?;
    let stick = dir.join("stick");
    central::sync::central_sync(central_store, &stick)?;
    exchange::sync::office_sync(office, &stick)?;
    Ok(())
}

/// Synthetic calls, oldest first, spread over the months before now; reproducible from the
/// seed (for the same day).
pub struct SyntheticCalls {
    synth: Synth,
    starts: Vec<DateTime<Utc>>,
    position: usize,
    end: DateTime<Utc>,
}

impl SyntheticCalls {
    pub fn new(count: u32, seed: u64) -> SyntheticCalls {
        let mut synth = Synth::new(ChaCha8Rng::seed_from_u64(seed));
        // Calls last up to 25 minutes, and every one has ended by now.
        let end = Utc::now() - TimeDelta::minutes(30);
        let span_days = i64::from((count / CALLS_PER_DAY).clamp(30, 3650));
        let span = TimeDelta::days(span_days).num_seconds();
        let mut offsets: Vec<i64> = (0..count)
            .map(|_| synth.rng().random_range(0..span))
            .collect();
        offsets.sort_unstable_by(|a, b| b.cmp(a));
        let starts = offsets
            .into_iter()
            .map(|back| end - TimeDelta::seconds(back))
            .collect();
        SyntheticCalls {
            synth,
            starts,
            position: 0,
            end,
        }
    }

    /// The next `size` calls (fewer at the end, none when all are out).
    pub fn next_chunk(&mut self, size: usize) -> Vec<CallFields> {
        let stop = (self.position + size).min(self.starts.len());
        let chunk: Vec<CallFields> = self.starts[self.position..stop]
            .iter()
            .map(|at| self.synth.call(*at))
            .collect();
        self.position = stop;
        chunk
    }
}

/// Adds `count` synthetic calls ending now, with their cases and referrals.
pub fn fill(store: &mut OfficeStore, count: u32, seed: u64) -> Result<(u64, u64), Error> {
    let mut calls = SyntheticCalls::new(count, seed);
    let end = calls.end;
    // The demo's lead confirms, once, the referrals made without consent (for minors and in
    // emergencies), as a lead would on screen.
    let confirmation = store.confirm_as_lead(&Passphrase::new(PASSPHRASE.into()))?;
    // Synthetic history goes in fast; full durability returns before the store is used.
    store.set_bulk_load(true)?;
    let mut cases = 0;
    let mut referrals = 0;
    loop {
        let fields = calls.next_chunk(CHUNK);
        let Some(last) = fields.last().and_then(|f| f.started_at) else {
            break;
        };
        store.set_clock(Clock::Fixed(last + TimeDelta::minutes(30)));
        let saved = store.add_calls(fields)?;
        for call in saved {
            if let Some(referral) = plan_referral(&mut calls.synth, &call.fields) {
                let (case, referral) =
                    refer(store, &mut calls.synth, &call, referral, end, &confirmation)?;
                cases += u64::from(case);
                referrals += u64::from(referral);
            }
        }
    }
    store.set_clock(Clock::System);
    store.set_bulk_load(false)?;
    store.checkpoint()?;
    Ok((cases, referrals))
}

/// Whether and where this call is referred: about one call in a hundred to the police. The
/// institution is one of the demo directory's, local to the caller where the demo has one.
fn plan_referral(synth: &mut Synth, call: &CallFields) -> Option<(&'static str, String)> {
    let serious = matches!(
        call.reason.as_str(),
        "TIP" | "CRISIS" | "MISSING_PERSON" | "SERVICE_REQUEST"
    );
    if !serious {
        return None;
    }
    let rng = synth.rng();
    let (target_type, national) = if rng.random_bool(0.055) {
        if call.urgency == "U1_EMERGENCY" {
            ("PNP_EMERGENCY", "PNP_105")
        } else if rng.random_bool(0.6) {
            ("PNP_TRAFFICKING", "DIRCTPTIM")
        } else {
            ("PNP_STATION", "PNP_105")
        }
    } else if rng.random_bool(0.06) {
        let minor = call.age_years.is_some_and(|age| age < 18);
        if minor {
            ("MIMP_UPE", "UPE")
        } else if call.exploitation_types.iter().any(|t| t == "LABOUR") {
            ("LABOUR_INSPECTION", "SUNAFIL_GEIT_TFI")
        } else if call.exploitation_types.iter().any(|t| t == "SEXUAL") {
            ("MP_FISTRAP", "FISTRAP")
        } else {
            ("SHELTER", "CEM")
        }
    } else {
        return None;
    };
    let local = match &call.caller_place {
        Some(Place::Ubigeo(district)) => directory::local_service(target_type, district),
        _ => None,
    };
    let institution = local
        .or_else(|| crate::model::directory::institution(national).map(|i| i.name.to_string()))?;
    Some((target_type, institution))
}

/// Opens a case for the call, refers it, and moves the referral on as time would have.
fn refer(
    store: &mut OfficeStore,
    synth: &mut Synth,
    call: &crate::model::Call,
    (target_type, institution): (&str, String),
    end: DateTime<Utc>,
    confirmation: &LeadConfirmation,
) -> Result<(bool, bool), Error> {
    let started = call.started_at();
    let at = |minutes: i64| (started + TimeDelta::minutes(minutes)).min(end);
    store.set_clock(Clock::Fixed(at(30)));
    let case = store.add_case(CaseFields {
        title: format!("Caso demo: {}", call.fields.exploitation_types.join(", ")),
        opened_from_call: Some(call.meta.id),
        ..CaseFields::default()
    })?;
    let minor = call.fields.age_years.is_some_and(|age| age < 18);
    let sharing_basis = if minor {
        "MINOR_PROTECTION"
    } else if call.fields.urgency == "U1_EMERGENCY" {
        "IMMINENT_DANGER"
    } else {
        "CONSENT"
    };
    let sent = at(40);
    store.set_clock(Clock::Fixed(sent));
    let reference = format!("DEMO-{:06}", synth.rng().random_range(0..1_000_000));
    let referral = store.add_referral(
        ReferralFields {
            call_id: Some(call.meta.id),
            case_id: Some(case.meta.id),
            target_type: target_type.into(),
            institution,
            reason: if target_type.starts_with("PNP") {
                "CRIMINAL_REPORT"
            } else {
                "ADDITIONAL_SERVICES"
            }
            .into(),
            sharing_basis: sharing_basis.into(),
            sent_at: Some(sent),
            method: Some("PHONE".into()),
            reference: Some(reference),
            ..ReferralFields::default()
        },
        Some(confirmation),
    )?;
    let age = end - sent;
    let mut steps: Vec<(i64, &str, &str)> = Vec::new();
    if age > TimeDelta::days(2) {
        steps.push((1, "ACKNOWLEDGED", "Recepción confirmada por teléfono."));
    }
    if age > TimeDelta::days(7) {
        steps.push((
            5,
            "IN_PROGRESS",
            "La institución informa que está atendiendo.",
        ));
    }
    if age > TimeDelta::days(30) {
        steps.push(if synth.rng().random_bool(0.8) {
            (25, "COMPLETED", "Atención concluida según la institución.")
        } else {
            (
                25,
                "NO_RESPONSE",
                "Sin respuesta tras tres llamadas de seguimiento.",
            )
        });
    }
    for (days, status, note) in steps {
        store.set_clock(Clock::Fixed((sent + TimeDelta::days(days)).min(end)));
        store.set_referral_status(referral.meta.id, status, note)?;
    }
    Ok((true, true))
}
