//! Central's keys and its registry of offices: enroll (write a kit), register (pin the
//! office's signing key from its enrollment file), revoke (refuse that key from then on; the
//! office is enrolled and registered again with a new one).

use std::path::{Path, PathBuf};

use chrono::Utc;

use crate::exchange::ExchangeError;
use crate::exchange::enrollment::{Enrollment, OfficeKit, central_fingerprint};
use crate::keys::{AgeIdentity, Passphrase, SigningKey};
use crate::model;
use crate::platform;
use crate::store::{CentralStore, NewStore, Opened, Store, StoreError, StoreKind};

/// Names of central's settings and secrets.
pub mod names {
    pub const SIGNING_KEY: &str = "central_signing_key";
    pub const SIGNING_PUBLIC_KEY: &str = "central_signing_public_key";
    pub const IMPORT_IDENTITY: &str = "import_identity";
    pub const IMPORT_RECIPIENT: &str = "import_recipient";
    pub const FINGERPRINT: &str = "central_fingerprint";
}

/// What `central init` made.
#[derive(Debug)]
pub struct CentralSetup {
    pub store: CentralStore,
    pub fingerprint: String,
    pub recovery_file: PathBuf,
}

/// Makes central's store and keys. The recovery identity is written once to
/// `recovery_out` for offline safekeeping and is not kept anywhere else.
pub fn init_central(
    dir: &Path,
    lead: &str,
    passphrase: &Passphrase,
    work_factor: u8,
    recovery_out: &Path,
) -> Result<CentralSetup, ExchangeError> {
    let recovery = AgeIdentity::generate();
    let import = AgeIdentity::generate();
    let signing = SigningKey::generate()?;
    let fingerprint = central_fingerprint(
        signing.public().as_base64(),
        &import.recipient(),
        &recovery.recipient(),
    );
    let created = Utc::now().format("%Y-%m-%d").to_string();
    let recovery_text = recovery.to_file_text(&[
        "linea: central's RECOVERY identity. It opens every office store.",
        "Keep it offline (printed, or on a stick in a safe). linea keeps no other copy.",
        &format!("created: {created}; central fingerprint: {fingerprint}"),
    ]);
    platform::write_new(recovery_out, recovery_text.as_bytes()).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            ExchangeError::rejected(
                recovery_out,
                "already exists; choose a new file for the recovery identity",
            )
        } else {
            ExchangeError::io(recovery_out)(e)
        }
    })?;
    let import_text = import.to_file_text(&["linea: central's import identity"]);
    let store = Store::create(NewStore {
        dir,
        kind: StoreKind::Central,
        office_id: "central",
        office_name: "Central",
        lead,
        passphrase,
        work_factor,
        recovery_recipient: &recovery.recipient(),
        backup_recipient: None,
        settings: vec![
            (
                names::SIGNING_PUBLIC_KEY,
                signing.public().as_base64().to_owned(),
            ),
            (names::IMPORT_RECIPIENT, import.recipient()),
            (names::FINGERPRINT, fingerprint.clone()),
        ],
        secrets: vec![
            (names::SIGNING_KEY, signing.reveal_secret_bytes()),
            (names::IMPORT_IDENTITY, import_text.as_bytes()),
        ],
    })
    .and_then(Opened::into_central);
    match store {
        Ok(store) => Ok(CentralSetup {
            store,
            fingerprint,
            recovery_file: recovery_out.to_owned(),
        }),
        Err(e) => {
            // Without the store the recovery identity recovers nothing: take it back.
            let _ = std::fs::remove_file(recovery_out);
            Err(e.into())
        }
    }
}

/// Enrolls an office and writes its kit to `out`. A kit may be issued again until the
/// office registers.
pub fn enroll(
    store: &mut CentralStore,
    office_id: &str,
    office_name: &str,
    out: &Path,
) -> Result<(OfficeKit, String), ExchangeError> {
    if !model::office_id_is_valid(office_id) || office_id == "central" {
        return Err(StoreError::Config(format!(
            "'{office_id}' is not a valid office id: use lowercase letters, digits and '-', starting with a letter (e.g. pe-cusco)"
        ))
        .into());
    }
    let office_name = office_name.trim();
    // The name is shown at the office before its lead sets it up: plain text on one line.
    if office_name.is_empty()
        || office_name.chars().count() > 100
        || office_name.chars().any(char::is_control)
    {
        return Err(StoreError::Config(
            "the office name must be 1 to 100 characters on one line, without control characters"
                .into(),
        )
        .into());
    }
    if store
        .office(office_id)?
        .is_some_and(|o| o.registered && o.revoked_at.is_none())
    {
        return Err(StoreError::Conflict(format!(
            "office '{office_id}' is already registered; it has its store and keys (if they were lost or stolen, revoke its key first: `linea central offices revoke {office_id}`)"
        ))
        .into());
    }
    if out.exists() {
        return Err(ExchangeError::rejected(
            out,
            "already exists; choose another file for the kit",
        ));
    }
    let signing = SigningKey::from_secret_bytes(&store.secret(names::SIGNING_KEY)?)?;
    let kit = OfficeKit {
        office_id: office_id.to_owned(),
        office_name: office_name.to_owned(),
        import_recipient: required(store, names::IMPORT_RECIPIENT)?,
        recovery_recipient: required(store, "recovery_recipient")?,
        central_signing_key: signing.public().as_base64().to_owned(),
        issued_at: Utc::now(),
        backup_recipient: store.backup_recipient()?.map(|b| b.recipient),
    };
    kit.write(out, &signing)?;
    if let Err(e) = store.enroll_office(office_id, office_name) {
        let _ = std::fs::remove_file(out);
        return Err(e.into());
    }
    let fingerprint = kit.fingerprint();
    Ok((kit, fingerprint))
}

fn required(store: &CentralStore, name: &str) -> Result<String, ExchangeError> {
    store
        .setting(name)?
        .ok_or_else(|| StoreError::Damaged(format!("the setting '{name}' is missing")).into())
}

/// Pins an office's signing key from its enrollment file. `confirmed` is the office key's
/// fingerprint as the office lead read it out by phone: nothing is pinned unless the file's
/// is the same.
pub fn register(
    store: &mut CentralStore,
    path: &Path,
    confirmed: &str,
) -> Result<Enrollment, ExchangeError> {
    let enrollment = Enrollment::read(path)?;
    enrollment.confirm(path, confirmed)?;
    let own = required(store, names::FINGERPRINT)?;
    if enrollment.central_fingerprint != own {
        return Err(ExchangeError::rejected(
            path,
            format!(
                "this enrollment was made for another central (fingerprint {}, ours is {own})",
                crate::model::text::inert(&enrollment.central_fingerprint)
            ),
        ));
    }
    let Some(office) = store.office(&enrollment.office_id)? else {
        return Err(ExchangeError::rejected(
            path,
            format!(
                "office '{}' was never enrolled here; enroll it first with `linea central enroll`",
                enrollment.office_id
            ),
        ));
    };
    let revoked = store.revoked_keys(&office.id)?;
    if let Some((_, at)) = revoked
        .iter()
        .find(|(key, _)| *key == enrollment.office_signing_key)
    {
        return Err(ExchangeError::rejected(
            path,
            format!(
                "this enrollment carries office '{}''s key revoked on {}; the office must be set up again from a new kit (`linea central enroll`)",
                office.id,
                at.get(..10).unwrap_or(at)
            ),
        ));
    }
    match (store.office_key(&office.id)?, &office.revoked_at) {
        (Some(key), None) if key == enrollment.office_signing_key => Ok(enrollment),
        (Some(_), None) => Err(ExchangeError::rejected(
            path,
            format!(
                "office '{}' is already registered with another key; if it was set up again, revoke its old key first (`linea central offices revoke {}`), then enroll and register it",
                office.id, office.id
            ),
        )),
        (Some(_), Some(revoked_at)) => {
            // A kit issued before the revocation may be the one that was lost with the
            // office's computer: only an enrollment made after a new kit is taken.
            if office.enrolled_at <= *revoked_at {
                return Err(ExchangeError::rejected(
                    path,
                    format!(
                        "office '{}''s key was revoked on {}; enroll it again first (`linea central enroll`), and register the enrollment made from that new kit",
                        office.id,
                        revoked_at.get(..10).unwrap_or(revoked_at)
                    ),
                ));
            }
            store.reregister_office(
                &office.id,
                &enrollment.office_signing_key,
                &enrollment.office_recipient,
            )?;
            Ok(enrollment)
        }
        (None, _) => {
            store.register_office(
                &office.id,
                &enrollment.office_signing_key,
                &enrollment.office_recipient,
            )?;
            Ok(enrollment)
        }
    }
}

/// Revokes an office's registered key; returns when (RFC 3339).
pub fn revoke(store: &mut CentralStore, office_id: &str) -> Result<String, ExchangeError> {
    Ok(store.revoke_office(office_id)?)
}
