//! Reference packs: what operators tell callers and where they refer them, built at central
//! and applied at every office (EXCHANGE.md), and the outcomes central recorded for that
//! office's referrals.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use crate::model::Outcome;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pack {
    pub office_id: String,
    /// Grows with every pack central builds; an office refuses a lower one.
    pub version: u64,
    pub issued_at: DateTime<Utc>,
    /// After this an office refuses the pack: stale phone numbers send callers nowhere.
    pub expires_at: DateTime<Utc>,
    /// The reference content, the same for every office (empty until central builds one).
    #[serde(default)]
    pub content: serde_json::Value,
    pub outcomes: Vec<Outcome>,
}
