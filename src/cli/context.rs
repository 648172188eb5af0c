//! What every command needs: which store, who is working, and their passphrase.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::error::Error;
use crate::keys::{KeyDir, MIN_PASSPHRASE_CHARS, Passphrase, WorkFactor};
use crate::model::Lang;
use crate::store::{CentralStore, LeadConfirmation, OfficeStore, Opened, Role, Store};

pub const PASSPHRASE_ENV: &str = "LINEA_PASSPHRASE";
pub const NEW_PASSPHRASE_ENV: &str = "LINEA_NEW_PASSPHRASE";
pub const LEAD_PASSPHRASE_ENV: &str = "LINEA_LEAD_PASSPHRASE";

pub struct Context {
    pub store_dir: PathBuf,
    pub operator: Option<String>,
    pub passphrase_file: Option<PathBuf>,
    pub lang: Lang,
}

/// The platform's data folder, e.g. `~/.local/share/linea` on Linux.
pub fn default_store_dir() -> Result<PathBuf, Error> {
    directories::ProjectDirs::from("org", "linea", "linea")
        .map(|dirs| dirs.data_dir().to_owned())
        .ok_or_else(|| {
            Error::Usage("cannot find a home folder for the store; pass --store DIR".into())
        })
}

impl Context {
    /// Who is working: `--operator`, else the only operator of the store.
    pub fn operator(&self) -> Result<String, Error> {
        if let Some(name) = &self.operator {
            return Ok(name.clone());
        }
        let names = KeyDir::of_store(&self.store_dir).operator_names()?;
        match names.as_slice() {
            [only] => Ok(only.clone()),
            [] => Err(crate::store::StoreError::NoStore {
                dir: self.store_dir.clone(),
            }
            .into()),
            several => Err(Error::Usage(format!(
                "who is working? pass --operator NAME (or set LINEA_OPERATOR); operators: {}",
                several.join(", ")
            ))),
        }
    }

    /// The operator named for a new store (`init`, `central init`): required.
    pub fn new_operator(&self) -> Result<String, Error> {
        let name = self.operator.clone().ok_or_else(|| {
            Error::Usage("name the first operator, the office lead: --operator NAME".into())
        })?;
        crate::store::check_operator_name(&name)?;
        Ok(name)
    }

    /// The working operator's passphrase: from --passphrase-file, LINEA_PASSPHRASE, or typed.
    pub fn passphrase(&self, operator: &str) -> Result<Passphrase, Error> {
        if let Some(path) = &self.passphrase_file {
            return read_passphrase_file(path);
        }
        if let Some(passphrase) = env_passphrase(PASSPHRASE_ENV) {
            return Ok(passphrase);
        }
        prompt(&format!("Passphrase for {operator}: "))
    }

    /// Unlocks the store as the working operator, whichever role it was made for.
    pub fn open(&self) -> Result<Opened, Error> {
        let (operator, passphrase) = self.credentials()?;
        let mut store = Opened::open(&self.store_dir, &operator, &passphrase)?;
        // One command is one piece of work: all it reads and writes is under one key.
        store.hold_while_open()?;
        Ok(store)
    }

    /// Unlocks an office's store; central's is refused, saying so.
    pub fn open_office(&self) -> Result<OfficeStore, Error> {
        Ok(self.open()?.into_office()?)
    }

    /// Unlocks central's store; an office's is refused, saying so.
    pub fn open_central(&self) -> Result<CentralStore, Error> {
        Ok(self.open()?.into_central()?)
    }

    /// Who is working and their passphrase, once there is a store to open.
    pub fn credentials(&self) -> Result<(String, Passphrase), Error> {
        if !crate::store::exists(&self.store_dir) {
            return Err(crate::store::StoreError::NoStore {
                dir: self.store_dir.clone(),
            }
            .into());
        }
        let operator = self.operator()?;
        let passphrase = self.passphrase(&operator)?;
        Ok((operator, passphrase))
    }

    /// The office lead's confirmation of an exception: from the lead's passphrase given
    /// apart (FILE or LINEA_LEAD_PASSPHRASE), or, when the lead is the one working, theirs.
    pub fn lead_confirmation(
        &self,
        store: &Store,
        file: Option<&Path>,
    ) -> Result<LeadConfirmation, Error> {
        let passphrase = if let Some(path) = file {
            read_passphrase_file(path)?
        } else if let Some(passphrase) = env_passphrase(LEAD_PASSPHRASE_ENV) {
            passphrase
        } else if store.role() == Role::Lead {
            self.passphrase(store.operator())?
        } else {
            return Err(Error::Input(format!(
                "sharing without consent needs the office lead's confirmation: the lead runs this, or gives their passphrase with --lead-passphrase-file or {LEAD_PASSPHRASE_ENV}; nothing was saved"
            )));
        };
        Ok(store.confirm_as_lead(&passphrase)?)
    }

    /// A new passphrase for `who`: from FILE, LINEA_NEW_PASSPHRASE, or typed twice. For a new
    /// store, the usual passphrase sources are accepted too.
    pub fn new_passphrase(
        &self,
        file: Option<&Path>,
        who: &str,
        for_new_store: bool,
    ) -> Result<Passphrase, Error> {
        let passphrase = if let Some(path) = file {
            read_passphrase_file(path)?
        } else if let Some(passphrase) = env_passphrase(NEW_PASSPHRASE_ENV) {
            passphrase
        } else if let (true, Some(path)) = (for_new_store, &self.passphrase_file) {
            read_passphrase_file(path)?
        } else if let (true, Some(passphrase)) = (for_new_store, env_passphrase(PASSPHRASE_ENV)) {
            passphrase
        } else {
            let first = prompt(&format!("New passphrase for {who}: "))?;
            check_strength(&first)?;
            let again = prompt("Type it again: ")?;
            if !first.same_as(&again) {
                return Err(Error::Input(
                    "the two passphrases differ; nothing was changed".into(),
                ));
            }
            first
        };
        check_strength(&passphrase)?;
        Ok(passphrase)
    }
}

/// The work factor for slots made now (lowered only by the explicit test setting).
pub fn work_factor() -> u8 {
    WorkFactor::for_new_slots()
}

fn check_strength(passphrase: &Passphrase) -> Result<(), Error> {
    if passphrase.char_count() < MIN_PASSPHRASE_CHARS {
        return Err(Error::Input(format!(
            "the new passphrase is too short: use at least {MIN_PASSPHRASE_CHARS} characters (a few words are easiest)"
        )));
    }
    Ok(())
}

fn env_passphrase(var: &str) -> Option<Passphrase> {
    std::env::var(var)
        .ok()
        .filter(|value| !value.is_empty())
        .map(Passphrase::new)
}

fn read_passphrase_file(path: &Path) -> Result<Passphrase, Error> {
    let cannot = |e: std::io::Error| {
        Error::Usage(format!(
            "cannot read the passphrase file {}: {e}",
            path.display()
        ))
    };
    let mut file = fs::File::open(path).map_err(cannot)?;
    warn_if_others_can_read(path, &file);
    let mut contents = Zeroizing::new(String::new());
    file.read_to_string(&mut contents).map_err(cannot)?;
    let passphrase = Passphrase::from_file_contents(contents);
    if passphrase.is_empty() {
        return Err(Error::Usage(format!(
            "the passphrase file {} is empty",
            path.display()
        )));
    }
    Ok(passphrase)
}

/// A passphrase in a file others can read is known to them: say so (it still works, so a
/// script does not stop in the middle of the night).
fn warn_if_others_can_read(path: &Path, file: &fs::File) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = file
            .metadata()
            .map_or(0, |m| m.permissions().mode() & 0o777);
        if mode & 0o044 != 0 {
            super::output::warn(&format!(
                "warning: other users can read the passphrase file {} (mode {mode:o}); make it private: chmod 600 {}",
                path.display(),
                path.display()
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = (path, file);
}

/// Asks on the terminal; the prompt names an operator as given, so it is made inert.
fn prompt(text: &str) -> Result<Passphrase, Error> {
    rpassword::prompt_password(crate::model::text::inert(text))
        .map(Passphrase::new)
        .map_err(|_| {
            Error::Usage(format!(
                "no passphrase: run linea in a terminal to type it, or give --passphrase-file FILE or {PASSPHRASE_ENV}"
            ))
        })
}
