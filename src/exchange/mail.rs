//! What central sends an office: receipts (which batches arrived) and reference packs,
//! each signed by central's key and encrypted to the office, so a stick says nothing of
//! which office it serves.
//!
//! ```text
//! age( "linea-receipt/1\n" + signed JSON )      r-<random>.age
//! age( "linea-pack/1\n" + signed JSON )         p-<random>.age
//! ```

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::batch::{Rejection, Rule, decrypt, encrypt, reject};
use super::pack::Pack;
use super::signed;
use crate::keys::{AgeIdentity, PublicSigningKey, SigningKey};

/// A receipt or pack at most.
pub const MAX_MAIL: usize = 32 * 1024 * 1024;

/// Central's word that batches arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    pub office_id: String,
    /// Grows with every receipt central issues to this office.
    pub version: u64,
    /// Every batch up to this one arrived.
    pub highest_contiguous: u64,
    /// Batches above it that arrived too (after a gap).
    pub received: Vec<u64>,
    /// The manifest hash of every batch that arrived, by number: the office takes a batch as
    /// delivered only if central has that very batch (a store restored from an old copy makes
    /// other batches under numbers central already has).
    pub manifests: BTreeMap<u64, String>,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl Receipt {
    /// Every sequence number the receipt covers.
    pub fn covered(&self) -> Vec<u64> {
        (1..=self.highest_contiguous)
            .chain(self.received.iter().copied())
            .collect()
    }
}

/// A file from central, opened and verified.
#[derive(Debug, Clone, PartialEq)]
pub enum Mail {
    Receipt(Receipt),
    Pack(Box<Pack>),
}

impl Mail {
    pub fn kind(&self) -> &'static str {
        match self {
            Mail::Receipt(_) => "receipt",
            Mail::Pack(_) => "pack",
        }
    }
}

fn header(kind: &str) -> String {
    format!("linea-{kind}/1\n")
}

/// Signs a receipt or pack with central's key and encrypts it to the office.
pub fn seal(mail: &Mail, key: &SigningKey, office_recipient: &str) -> Result<Vec<u8>, Rejection> {
    let kind = mail.kind();
    let body = match mail {
        Mail::Receipt(receipt) => signed::seal(kind, receipt, key),
        Mail::Pack(pack) => signed::seal(kind, pack.as_ref(), key),
    }
    .map_err(|e| reject(Rule::Format, e.to_string()))?;
    let mut plaintext = header(kind).into_bytes();
    plaintext.extend_from_slice(&body);
    encrypt(&plaintext, &[office_recipient.to_owned()])
}

/// Opens a file from the stick: `None` when it is for another office (not encrypted to
/// this one); an error when it is ours but not right.
pub fn open(
    file: &[u8],
    identity: &AgeIdentity,
    central_key: &PublicSigningKey,
) -> Result<Option<Mail>, Rejection> {
    if file.len() > MAX_MAIL {
        return Err(reject(Rule::Size, "too big for a receipt or a pack"));
    }
    let plaintext = match decrypt(file, identity, MAX_MAIL) {
        Ok(plaintext) => plaintext,
        Err(rejection) if rejection.rule == Rule::Recipient => return Ok(None),
        Err(rejection) => return Err(rejection),
    };
    let not_central = |rejection: Rejection| match rejection.rule {
        Rule::Signature => reject(
            Rule::Signature,
            "not signed by the central this office was set up for",
        ),
        _ => rejection,
    };
    if let Some(body) = plaintext.strip_prefix(header("receipt").as_bytes()) {
        let receipt = signed::from_bytes(body, "receipt")?
            .check::<Receipt>(central_key)
            .map_err(not_central)?;
        return Ok(Some(Mail::Receipt(receipt)));
    }
    if let Some(body) = plaintext.strip_prefix(header("pack").as_bytes()) {
        let pack = signed::from_bytes(body, "pack")?
            .check::<Pack>(central_key)
            .map_err(not_central)?;
        return Ok(Some(Mail::Pack(Box::new(pack))));
    }
    Err(reject(Rule::Format, "neither a receipt nor a pack"))
}
