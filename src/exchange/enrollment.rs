//! Enrollment (EXCHANGE.md): central's office kit, and the office's signed answer.
//!
//! 1. `central enroll` writes a kit: the office's id and name, central's public keys and
//!    the backup recipient if central set one, signed by central.
//! 2. `init` makes the office store from the kit once the lead has confirmed central's
//!    fingerprint as central reads it out by phone, and writes an enrollment file signed by
//!    the new office key; the lead reads that key's fingerprint back on the same call.
//! 3. `central register` pins that key to the office once central has confirmed it too.
//!
//! Kits and enrollment files hold no secret: a copy is as good as the original. The two
//! fingerprints, spoken between people who know each other, are what tie them to a central
//! and to an office.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::rejection::{Rejection, Rule, reject};
use super::{ExchangeError, signed};
use crate::keys::{AgeIdentity, Passphrase, PublicSigningKey, SigningKey, slots};
use crate::model::{self, text};
use crate::platform;
use crate::store::{NewStore, OfficeStore, Opened, Store, StoreKind};

pub const KIT_KIND: &str = "office-kit";
pub const ENROLLMENT_KIND: &str = "enrollment";

/// Names of settings and secrets in an office store.
pub mod names {
    pub const OFFICE_SIGNING_KEY: &str = "office_signing_key";
    /// The office's age identity: receipts and packs from central are encrypted to it.
    pub const OFFICE_EXCHANGE_IDENTITY: &str = "office_exchange_identity";
    pub const CENTRAL_SIGNING_KEY: &str = "central_signing_key";
    pub const CENTRAL_IMPORT_RECIPIENT: &str = "central_import_recipient";
    pub const CENTRAL_FINGERPRINT: &str = "central_fingerprint";
}

/// What central gives an office to set it up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficeKit {
    pub office_id: String,
    pub office_name: String,
    /// Batches are encrypted to this age recipient.
    pub import_recipient: String,
    /// Central's offline recovery key: it can always open the office's store.
    pub recovery_recipient: String,
    /// Central's minisign key: receipts and reference packs must carry its signature.
    pub central_signing_key: String,
    pub issued_at: DateTime<Utc>,
    /// A second custodian's age recipient that batches are encrypted to as well (EXCHANGE.md,
    /// "Batch"). Left out when there is none, so such a kit reads as kits always did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_recipient: Option<String>,
}

/// What an office sends back: its signing key, for central to pin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enrollment {
    pub office_id: String,
    pub office_name: String,
    pub office_signing_key: String,
    /// The age recipient central encrypts receipts and packs to.
    pub office_recipient: String,
    /// The central this office was set up for.
    pub central_fingerprint: String,
    pub created_at: DateTime<Utc>,
}

/// Central's fingerprint: a short digest of its three public keys, read out by phone.
pub fn central_fingerprint(signing_key: &str, import: &str, recovery: &str) -> String {
    fingerprint(&format!(
        "linea central\n{signing_key}\n{import}\n{recovery}\n"
    ))
}

/// An office key's fingerprint: a short digest of the office id and the office's two public
/// keys, read out by phone to central when it registers the enrollment.
pub fn office_fingerprint(office_id: &str, signing_key: &str, recipient: &str) -> String {
    fingerprint(&format!(
        "linea office\n{office_id}\n{signing_key}\n{recipient}\n"
    ))
}

/// 80 bits of SHA-256 as five groups of four hexadecimal characters, `3F2A-…`: digits and
/// six letters, easy to read out and to type.
fn fingerprint(text: &str) -> String {
    let hex = hex::encode_upper(&Sha256::digest(text)[..10]);
    hex.as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// Whether a fingerprint typed as read out by phone is `actual`: spaces, dashes and case
/// do not count; anything else does.
pub fn fingerprints_match(typed: &str, actual: &str) -> bool {
    let plain = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect()
    };
    plain(typed) == plain(actual)
}

impl OfficeKit {
    pub fn fingerprint(&self) -> String {
        central_fingerprint(
            &self.central_signing_key,
            &self.import_recipient,
            &self.recovery_recipient,
        )
    }

    /// Checks the fingerprint the lead was given by phone against the kit's: a kit signed by
    /// any other central is refused here, whatever its text says.
    pub fn confirm(&self, path: &Path, typed: &str) -> Result<(), ExchangeError> {
        let actual = self.fingerprint();
        if fingerprints_match(typed, &actual) {
            return Ok(());
        }
        Err(ExchangeError::rejected(
            path,
            format!(
                "central's fingerprint in this kit is {actual}, not the one read out by phone ({}): this kit is not from your central; do not use it and call central",
                text::inert(typed.trim())
            ),
        ))
    }

    /// Reads a kit and checks it as [`OfficeKit::from_bytes`] does.
    pub fn read(path: &Path) -> Result<OfficeKit, ExchangeError> {
        signed::read(path, OfficeKit::from_bytes)
    }

    /// Checks a kit is whole, well-formed and signed by the central it names.
    pub fn from_bytes(bytes: &[u8]) -> Result<OfficeKit, Rejection> {
        let kit = signed::from_bytes(bytes, KIT_KIND)?
            .check_self_signed(|kit: &OfficeKit| signer(&kit.central_signing_key))?;
        check_office_id(&kit.office_id)?;
        let recipients = [&kit.import_recipient, &kit.recovery_recipient]
            .into_iter()
            .chain(&kit.backup_recipient);
        for recipient in recipients {
            check_recipient(recipient)?;
        }
        Ok(kit)
    }

    pub fn write(&self, path: &Path, central_key: &SigningKey) -> Result<(), ExchangeError> {
        let bytes = signed::seal(KIT_KIND, self, central_key)?;
        platform::write_new(path, &bytes).map_err(ExchangeError::io(path))
    }
}

impl Enrollment {
    pub fn fingerprint(&self) -> String {
        office_fingerprint(
            &self.office_id,
            &self.office_signing_key,
            &self.office_recipient,
        )
    }

    /// Checks the office key's fingerprint the office lead read out by phone against this
    /// file's: anyone can make an enrollment from a copied kit, only the office knows its key.
    pub fn confirm(&self, path: &Path, typed: &str) -> Result<(), ExchangeError> {
        let actual = self.fingerprint();
        if fingerprints_match(typed, &actual) {
            return Ok(());
        }
        Err(ExchangeError::rejected(
            path,
            format!(
                "the office key's fingerprint in this enrollment is {actual}, not the one the office read out ({}): it was not made on that office's computer; nothing was registered",
                text::inert(typed.trim())
            ),
        ))
    }

    /// Reads an enrollment file and checks it as [`Enrollment::from_bytes`] does.
    pub fn read(path: &Path) -> Result<Enrollment, ExchangeError> {
        signed::read(path, Enrollment::from_bytes)
    }

    /// Checks an enrollment file is well-formed and signed with the key it carries.
    pub fn from_bytes(bytes: &[u8]) -> Result<Enrollment, Rejection> {
        let enrollment = signed::from_bytes(bytes, ENROLLMENT_KIND)?
            .check_self_signed(|enrollment: &Enrollment| signer(&enrollment.office_signing_key))?;
        check_office_id(&enrollment.office_id)?;
        check_recipient(&enrollment.office_recipient)?;
        Ok(enrollment)
    }
}

/// The signing key a kit or an enrollment file carries (and must be signed with).
fn signer(base64: &str) -> Result<PublicSigningKey, Rejection> {
    PublicSigningKey::from_base64(base64).map_err(|e| reject(Rule::Signer, e.to_string()))
}

fn check_office_id(id: &str) -> Result<(), Rejection> {
    if model::office_id_is_valid(id) {
        return Ok(());
    }
    Err(reject(
        Rule::Content,
        format!("'{}' is not a valid office id", text::inert(id)),
    ))
}

fn check_recipient(recipient: &str) -> Result<(), Rejection> {
    if slots::parse_recipient(recipient).is_some() {
        return Ok(());
    }
    Err(reject(
        Rule::Content,
        format!("'{}' is not an age recipient", text::inert(recipient)),
    ))
}

/// What `linea init` did, for the lead to read.
#[derive(Debug)]
pub struct OfficeSetup {
    pub store: OfficeStore,
    /// The new office key's fingerprint, for the lead to read out to central.
    pub office_fingerprint: String,
    pub office_id: String,
    pub office_name: String,
}

/// Makes an office store from a kit, and writes the signed enrollment file for central.
/// `confirmed` is central's fingerprint as central read it out by phone: nothing is made
/// unless the kit's is the same.
pub fn init_office(
    dir: &Path,
    kit_path: &Path,
    confirmed: &str,
    lead: &str,
    passphrase: &Passphrase,
    work_factor: u8,
    enrollment_out: &Path,
) -> Result<OfficeSetup, ExchangeError> {
    let kit = OfficeKit::read(kit_path)?;
    kit.confirm(kit_path, confirmed)?;
    if enrollment_out.exists() {
        return Err(ExchangeError::rejected(
            enrollment_out,
            "already exists; choose another file for the enrollment",
        ));
    }
    let out_dir = enrollment_out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !out_dir.is_dir() {
        return Err(ExchangeError::rejected(
            enrollment_out,
            "its folder does not exist; choose a file in an existing folder",
        ));
    }
    let signing = SigningKey::generate()?;
    let exchange = AgeIdentity::generate();
    let exchange_text = exchange.to_file_text(&["linea: this office's exchange identity"]);
    let fingerprint = kit.fingerprint();
    let store = Store::create(NewStore {
        dir,
        kind: StoreKind::Office,
        office_id: &kit.office_id,
        office_name: &kit.office_name,
        lead,
        passphrase,
        work_factor,
        recovery_recipient: &kit.recovery_recipient,
        backup_recipient: kit.backup_recipient.as_deref(),
        settings: vec![
            (names::CENTRAL_SIGNING_KEY, kit.central_signing_key.clone()),
            (
                names::CENTRAL_IMPORT_RECIPIENT,
                kit.import_recipient.clone(),
            ),
            (names::CENTRAL_FINGERPRINT, fingerprint.clone()),
        ],
        secrets: vec![
            (names::OFFICE_SIGNING_KEY, signing.reveal_secret_bytes()),
            (names::OFFICE_EXCHANGE_IDENTITY, exchange_text.as_bytes()),
        ],
    })
    .and_then(Opened::into_office)?;
    let enrollment = Enrollment {
        office_id: kit.office_id.clone(),
        office_name: kit.office_name.clone(),
        office_signing_key: signing.public().as_base64().to_owned(),
        office_recipient: exchange.recipient(),
        central_fingerprint: fingerprint,
        created_at: Utc::now(),
    };
    let bytes = signed::seal(ENROLLMENT_KIND, &enrollment, &signing)?;
    platform::write_new(enrollment_out, &bytes).map_err(ExchangeError::io(enrollment_out))?;
    Ok(OfficeSetup {
        store,
        office_fingerprint: enrollment.fingerprint(),
        office_id: kit.office_id,
        office_name: kit.office_name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_short_grouped_and_depend_on_every_key() {
        let a = central_fingerprint("RWQ1", "age1a", "age1b");
        assert_eq!(a.len(), 24);
        assert_eq!(a.matches('-').count(), 4);
        assert_ne!(a, central_fingerprint("RWQ2", "age1a", "age1b"));
        assert_ne!(a, central_fingerprint("RWQ1", "age1c", "age1b"));
        assert_ne!(a, central_fingerprint("RWQ1", "age1a", "age1c"));
    }

    #[test]
    fn office_fingerprints_depend_on_the_office_and_both_its_keys() {
        let a = office_fingerprint("pe-puno", "RWQ1", "age1a");
        assert_eq!(a.len(), 24);
        assert_ne!(a, office_fingerprint("pe-tacna", "RWQ1", "age1a"));
        assert_ne!(a, office_fingerprint("pe-puno", "RWQ2", "age1a"));
        assert_ne!(a, office_fingerprint("pe-puno", "RWQ1", "age1b"));
        assert_ne!(a, central_fingerprint("pe-puno", "RWQ1", "age1a"));
    }

    #[test]
    fn typed_fingerprints_ignore_spaces_dashes_and_case_only() {
        let actual = "3F2A-00B1-C4D5-E6F7-8899";
        assert!(fingerprints_match("3f2a 00b1 c4d5 e6f7 8899", actual));
        assert!(fingerprints_match(" 3F2A00B1-C4D5E6F7-8899\n", actual));
        assert!(!fingerprints_match("3F2A-00B1-C4D5-E6F7-889", actual));
        assert!(!fingerprints_match("3F2A.00B1.C4D5.E6F7.8899", actual));
        assert!(!fingerprints_match("", actual));
    }

    #[test]
    fn a_kit_without_a_backup_recipient_reads_and_writes_as_kits_did_before_it() {
        let before = r#"{"office_id":"pe-cusco","office_name":"Cusco","import_recipient":"age1a",
            "recovery_recipient":"age1b","central_signing_key":"RWQ1",
            "issued_at":"2026-11-28T15:00:00Z"}"#;
        let kit: OfficeKit = serde_json::from_str(before).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(kit.backup_recipient, None);
        let written = serde_json::to_string(&kit).unwrap_or_else(|e| panic!("{e}"));
        assert!(!written.contains("backup_recipient"), "{written}");
    }
}
