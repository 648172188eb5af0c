//! Synthetic calls shaped like a Peruvian hotline's: mostly information, some silent or
//! prank calls, about one in a hundred referred to the police, places weighted towards
//! Lima and the trafficking corridors (Madre de Dios, Loreto, Cusco, Puno). Every name and
//! number is obviously invented.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::model::{CallFields, Place};

pub type Weighted<T> = &'static [(T, u32)];

fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: Weighted<T>) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut roll = rng.random_range(0..total);
    for (item, weight) in items {
        if roll < *weight {
            return *item;
        }
        roll -= weight;
    }
    items[items.len() - 1].0
}

/// Reasons, per thousand calls.
const REASONS: Weighted<&str> = &[
    ("GENERAL_INFO", 290),
    ("JOB_OFFER_CHECK", 120),
    ("TIP", 95),
    ("SERVICE_REQUEST", 45),
    ("CRISIS", 15),
    ("MISSING_PERSON", 30),
    ("SMUGGLING", 15),
    ("LABOUR_ABUSE", 60),
    ("RELATED_VIOLENCE", 50),
    ("TRAINING_REQUEST", 25),
    ("FOLLOW_UP", 40),
    ("FEEDBACK_COMPLAINT", 10),
    ("OUT_OF_SCOPE", 55),
    ("NS_SILENT", 45),
    ("NS_HANGUP", 50),
    ("NS_PRANK", 25),
    ("NS_WRONG_NUMBER", 20),
    ("NS_TEST", 3),
    ("NS_ABUSIVE", 7),
];

const CHANNELS: Weighted<&str> = &[
    ("PHONE", 800),
    ("WHATSAPP", 110),
    ("IN_PERSON", 30),
    ("EMAIL", 20),
    ("SOCIAL", 20),
    ("INST_REFERRAL", 15),
    ("CHAT", 5),
];

const CALLER_TYPES: Weighted<&str> = &[
    ("COMMUNITY", 250),
    ("FAMILY", 200),
    ("VICTIM_SELF", 120),
    ("ANONYMOUS", 110),
    ("FRIEND", 80),
    ("NGO_SERVICE", 40),
    ("EDUCATOR", 35),
    ("HEALTH_WORKER", 20),
    ("POLICE", 20),
    ("GOV_OFFICIAL", 20),
    ("PARTNER", 25),
    ("MEDIA_RESEARCH", 25),
    ("EMPLOYER_BUSINESS", 15),
    ("LABOUR_INSPECTOR", 5),
    ("OTHER", 15),
];

/// Districts (INEI ubigeo), weighted as calls to a Peruvian hotline come in.
pub const PLACES: Weighted<&str> = &[
    ("150101", 60), // Lima
    ("150132", 70), // San Juan de Lurigancho
    ("150110", 40), // Comas
    ("150142", 40), // Villa El Salvador
    ("150135", 40), // San Martín de Porres
    ("150115", 30), // La Victoria
    ("070101", 35), // Callao
    ("170101", 45), // Tambopata (Puerto Maldonado)
    ("170102", 25), // Inambari
    ("170104", 15), // Laberinto
    ("170204", 15), // Huepetuhe
    ("160101", 45), // Iquitos
    ("160108", 20), // Punchana
    ("160113", 15), // San Juan Bautista
    ("080101", 40), // Cusco
    ("080108", 15), // Wanchaq
    ("080601", 10), // Sicuani
    ("210101", 30), // Puno
    ("211101", 30), // Juliaca
    ("211002", 15), // Ananea (La Rinconada)
    ("040101", 35), // Arequipa
    ("200101", 30), // Piura
    ("200601", 15), // Sullana
    ("130101", 30), // Trujillo
    ("120101", 25), // Huancayo
    ("250101", 20), // Callería (Pucallpa)
    ("140101", 20), // Chiclayo
    ("220901", 15), // Tarapoto
    ("050101", 15), // Ayacucho
    ("060101", 10), // Cajamarca
    ("100101", 10), // Huánuco
    ("230101", 15), // Tacna
    ("240101", 15), // Tumbes
];

const EXPLOITATION: Weighted<&str> = &[
    ("SEXUAL", 450),
    ("LABOUR", 380),
    ("BEGGING", 40),
    ("SERVITUDE", 50),
    ("FORCED_CRIME", 30),
    ("CHILD_LABOUR", 30),
    ("UNKNOWN", 20),
];

const INDICATORS: &[&str] = &[
    "IND_DECEIVED",
    "IND_CANNOT_LEAVE",
    "IND_DOCS_HELD",
    "IND_DEBT",
    "IND_UNPAID",
    "IND_VIOLENCE",
    "IND_THREATS",
    "IND_ISOLATED",
    "IND_EXCESS_HOURS",
    "IND_BAD_CONDITIONS",
    "IND_VULNERABILITY",
    "IND_CONTROLLED_COMMS",
];

const FIRST_NAMES: &[&str] = &[
    "Ana", "Rosa", "Luz", "Carmen", "Flor", "Juana", "Maribel", "Yesenia", "Luis", "Jorge",
    "Wilber", "Edwin", "Percy", "Juan", "Elmer", "Nilda",
];
const SURNAMES: &[&str] = &[
    "Quispe", "Mamani", "Huamán", "Condori", "Flores", "Rojas", "Chávez", "Torres", "Vargas",
    "Ramos", "Ccori", "Apaza",
];

/// A generator of synthetic calls, reproducible from its seed.
pub struct Synth {
    rng: ChaCha8Rng,
    serial: u64,
}

impl Synth {
    pub fn new(rng: ChaCha8Rng) -> Synth {
        Synth { rng, serial: 0 }
    }

    pub fn rng(&mut self) -> &mut ChaCha8Rng {
        &mut self.rng
    }

    /// A name that cannot be mistaken for a real person's.
    pub fn name(&mut self) -> String {
        let first = FIRST_NAMES[self.rng.random_range(0..FIRST_NAMES.len())];
        let surname = SURNAMES[self.rng.random_range(0..SURNAMES.len())];
        self.serial += 1;
        format!("{first} {surname} FICTICIO-{:05}", self.serial)
    }

    fn phone(&mut self) -> String {
        format!("900 000 {:03}", self.rng.random_range(0..1000))
    }

    fn place(&mut self) -> Place {
        Place::Ubigeo(pick(&mut self.rng, PLACES).to_owned())
    }

    /// One call that started at `started_at`.
    pub fn call(&mut self, started_at: DateTime<Utc>) -> CallFields {
        let reason = pick(&mut self.rng, REASONS);
        let channel = pick(&mut self.rng, CHANNELS);
        let minutes = self.rng.random_range(1..25);
        let mut call = CallFields {
            started_at: Some(started_at),
            ended_at: Some(started_at + TimeDelta::minutes(minutes)),
            channel: channel.into(),
            reason: reason.into(),
            caller_type: "UNKNOWN".into(),
            urgency: "U4_ROUTINE".into(),
            ..CallFields::default()
        };
        if reason.starts_with("NS_") {
            call.ended_at = Some(started_at + TimeDelta::seconds(self.rng.random_range(5..90)));
            call.outcomes = vec!["NO_ACTION".into()];
            if self.rng.random_bool(0.3) {
                call.caller_place = Some(self.place());
            }
            return call;
        }
        call.caller_type = pick(&mut self.rng, CALLER_TYPES).into();
        call.caller_place = Some(self.place());
        call.language = Some(
            if self.rng.random_bool(0.92) {
                "SPA"
            } else {
                "QUE"
            }
            .into(),
        );
        if self.rng.random_bool(0.55) {
            call.caller_name = Some(self.name());
        }
        if self.rng.random_bool(0.6) {
            call.caller_phone = Some(self.phone());
        }
        call.information_given = match reason {
            "JOB_OFFER_CHECK" => vec!["JOB_OFFER_VERIFY".into(), "SAFE_MIGRATION".into()],
            "SMUGGLING" => vec!["SMUGGLING_INFO".into()],
            "MISSING_PERSON" => vec!["MISSING_PERSON_STEPS".into()],
            "LABOUR_ABUSE" => vec!["LABOUR_RIGHTS".into()],
            _ => vec!["TIP_DEFINITION".into(), "HOW_TO_REPORT".into()],
        };
        call.outcomes = vec!["INFO_GIVEN".into()];
        call.notes = format!(
            "Llamada de demostración: datos sintéticos, {} orientado/a sobre {}.",
            match call.caller_type.as_str() {
                "VICTIM_SELF" => "la persona",
                "FAMILY" => "el familiar",
                _ => "quien llama",
            },
            crate::model::codes::CONTACT_REASON
                .label(reason, crate::model::Lang::Es)
                .unwrap_or(reason)
                .to_lowercase()
        );
        if matches!(
            reason,
            "TIP" | "CRISIS" | "SERVICE_REQUEST" | "MISSING_PERSON"
        ) {
            self.situation(&mut call);
        }
        call.urgency = match reason {
            "CRISIS" if self.rng.random_bool(0.7) => "U1_EMERGENCY",
            "CRISIS" | "MISSING_PERSON" => "U2_URGENT",
            "TIP" | "SERVICE_REQUEST" if self.rng.random_bool(0.25) => "U2_URGENT",
            "TIP" | "SERVICE_REQUEST" | "SMUGGLING" => "U3_PRIORITY",
            _ => "U4_ROUTINE",
        }
        .into();
        call
    }

    /// What a caller reports of a possible trafficking situation.
    fn situation(&mut self, call: &mut CallFields) {
        let kind = pick(&mut self.rng, EXPLOITATION);
        call.exploitation_types = vec![kind.into()];
        if kind == "SEXUAL" && self.rng.random_bool(0.6) {
            call.sexual_exploitation_types = vec!["PROSTITUTION".into()];
            call.context_tags = vec!["CTX_BAR_CANTINA".into()];
        }
        if kind == "LABOUR" {
            let (sector, tag) = match self.rng.random_range(0..4) {
                0 => ("B", "CTX_GOLD_MINING"),
                1 => ("A", "CTX_LOGGING"),
                2 => ("T", "CTX_DOMESTIC"),
                _ => ("C", "CTX_BRICK_KILN"),
            };
            call.labour_sectors = vec![sector.into()];
            call.context_tags = vec![tag.into()];
        }
        call.exploitation_place = Some(self.place());
        if self.rng.random_bool(0.5) {
            call.recruitment_place = Some(self.place());
            call.recruitment_method = Some("JOB_OFFER_FALSE".into());
        }
        let mut indicators = BTreeMap::new();
        for _ in 0..self.rng.random_range(0..5) {
            let code = INDICATORS[self.rng.random_range(0..INDICATORS.len())];
            let answer = if self.rng.random_bool(0.75) {
                "YES"
            } else {
                "UNKNOWN"
            };
            indicators.insert(code.to_owned(), answer.to_owned());
        }
        call.indicators = indicators;
        if self.rng.random_bool(0.3) {
            call.age_years = Some(self.rng.random_range(13..17));
        } else if self.rng.random_bool(0.6) {
            call.age_years = Some(self.rng.random_range(18..45));
        } else {
            call.age_band = Some("ADULT_UNSPEC".into());
        }
        call.gender = Some(if self.rng.random_bool(0.7) { "F" } else { "M" }.into());
        call.citizenship = vec![
            if self.rng.random_bool(0.8) {
                "PE"
            } else {
                "VE"
            }
            .into(),
        ];
    }
}
