//! Key slots: the age files beside a store that unwrap its key.
//!
//! ```text
//! DIR/keys/store.key.age         the store key, to every operator and to central's recovery key
//! DIR/keys/store.key.next.age    only while the key is being rotated
//! DIR/keys/operators/NAME.age    an operator's X25519 identity, under their passphrase (scrypt)
//! DIR/keys/operators/NAME.duress  if they set one: a marker under their duress passphrase
//! ```
//! Every file is a standard age v1 file: `age -d` with the passphrase opens a slot, and
//! `age -d -i` with that identity (or central's recovery identity) opens the store key.

use std::fs;
use std::io::{self, Read, Write};
use std::iter;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use age::secrecy::ExposeSecret;
use rand::Rng;
use zeroize::Zeroizing;

use super::{KeyError, Passphrase, StoreKey};
use crate::platform;

/// The scrypt work factor (log2 of N) for passphrase slots.
pub struct WorkFactor;

impl WorkFactor {
    /// About a second on the 2-core reference machine (0.6 s at 18, 1.3 s at 19).
    pub const SHIPPED: u8 = 19;
    /// A slot asking for more is refused before scrypt runs: 2^21 would take 4 s and 2 GiB.
    pub const LIMIT: u8 = 20;
    /// Tests set this to lower the work factor of the slots they make. Only debug builds
    /// (what `cargo test` runs) read it: a release build always uses [`Self::SHIPPED`].
    pub const TEST_ENV: &'static str = "LINEA_TEST_KDF_WORK_FACTOR";

    /// The work factor for a new slot: the shipped one, or in a debug build a lower one a
    /// test asked for.
    pub fn for_new_slots() -> u8 {
        let debug_build = cfg!(debug_assertions);
        let requested = debug_build
            .then(|| std::env::var(Self::TEST_ENV).ok())
            .flatten();
        Self::chosen(debug_build, requested.as_deref())
    }

    /// The rule [`Self::for_new_slots`] follows, apart from the build and the environment.
    fn chosen(debug_build: bool, requested: Option<&str>) -> u8 {
        requested
            .filter(|_| debug_build)
            .and_then(|value| value.parse::<u8>().ok())
            .filter(|log_n| (1..=Self::SHIPPED).contains(log_n))
            .unwrap_or(Self::SHIPPED)
    }
}

/// An age X25519 identity: an operator's key inside their slot, or central's recovery key.
pub struct AgeIdentity(age::x25519::Identity);

impl std::fmt::Debug for AgeIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AgeIdentity({}, <redacted>)", self.recipient())
    }
}

pub type OperatorIdentity = AgeIdentity;
pub type RecoveryIdentity = AgeIdentity;

impl AgeIdentity {
    pub fn generate() -> AgeIdentity {
        AgeIdentity(age::x25519::Identity::generate())
    }

    /// A copy, for an open store that must read its key file again after another linea
    /// rotated the key; explicit so copies are easy to find. Both wipe the key when dropped.
    pub fn duplicate(&self) -> AgeIdentity {
        AgeIdentity(self.0.clone())
    }

    /// The public recipient, `age1…`.
    pub fn recipient(&self) -> String {
        self.0.to_public().to_string()
    }

    /// A standard age identity file: comment lines, then `AGE-SECRET-KEY-1…`.
    pub fn to_file_text(&self, comments: &[&str]) -> Zeroizing<String> {
        let mut text = Zeroizing::new(String::new());
        for line in comments {
            text.push_str("# ");
            text.push_str(line);
            text.push('\n');
        }
        text.push_str("# public key: ");
        text.push_str(&self.recipient());
        text.push('\n');
        text.push_str(self.0.to_string().expose_secret());
        text.push('\n');
        text
    }

    /// Reads an identity file as `age-keygen` writes it (one key; comments and blank lines).
    pub fn from_file_text(text: &str) -> Option<AgeIdentity> {
        let mut keys = text
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'));
        let key = keys.next()?;
        if keys.next().is_some() {
            return None;
        }
        age::x25519::Identity::from_str(key).ok().map(AgeIdentity)
    }

    /// Reads central's recovery identity from the file written by `linea central init`.
    pub fn read_recovery_file(path: &Path) -> Result<RecoveryIdentity, KeyError> {
        let text = Zeroizing::new(fs::read_to_string(path).map_err(KeyError::io(path))?);
        AgeIdentity::from_file_text(&text).ok_or_else(|| KeyError::BadRecoveryIdentity {
            path: path.to_owned(),
        })
    }

    pub(crate) fn as_age(&self) -> &age::x25519::Identity {
        &self.0
    }
}

/// Checks that `text` is an age X25519 recipient (`age1…`).
pub fn parse_recipient(text: &str) -> Option<age::x25519::Recipient> {
    age::x25519::Recipient::from_str(text.trim()).ok()
}

/// The `keys/` folder of a store.
#[derive(Debug, Clone)]
pub struct KeyDir {
    root: PathBuf,
}

impl KeyDir {
    pub fn of_store(store_dir: &Path) -> KeyDir {
        KeyDir {
            root: store_dir.join("keys"),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn operators_dir(&self) -> PathBuf {
        self.root.join("operators")
    }

    pub fn slot_path(&self, operator: &str) -> PathBuf {
        self.operators_dir().join(format!("{operator}.age"))
    }

    /// An operator's duress file: typed at unlock, its passphrase wipes every slot.
    pub fn duress_path(&self, operator: &str) -> PathBuf {
        self.operators_dir().join(format!("{operator}.duress"))
    }

    /// Sets an operator's duress passphrase, at the work factor of their slot so that
    /// trying it costs the same. The caller checks it opens no slot.
    pub fn write_duress(
        &self,
        operator: &str,
        duress: &Passphrase,
        work_factor: u8,
    ) -> Result<(), KeyError> {
        let mut recipient = age::scrypt::Recipient::new(duress.to_age_secret());
        recipient.set_work_factor(work_factor.clamp(1, WorkFactor::LIMIT));
        let path = self.duress_path(operator);
        let sealed = seal(&recipient, DURESS_MARKER, &path)?;
        platform::write_atomically(&path, &sealed).map_err(KeyError::io(&path))
    }

    /// Whether `passphrase` is the operator's duress passphrase. A duress file that cannot
    /// be read counts as none: it never stands in the way of unlocking.
    pub fn is_duress(&self, operator: &str, passphrase: &Passphrase) -> bool {
        let Ok(sealed) = fs::read(self.duress_path(operator)) else {
            return false;
        };
        let mut identity = age::scrypt::Identity::new(passphrase.to_age_secret());
        identity.set_max_work_factor(WorkFactor::LIMIT);
        age::decrypt(&identity, &sealed).is_ok_and(|plaintext| plaintext == DURESS_MARKER)
    }

    /// Removes an operator's duress passphrase, if they had one.
    pub fn remove_duress(&self, operator: &str) -> Result<(), KeyError> {
        let path = self.duress_path(operator);
        match fs::remove_file(&path) {
            Ok(()) => platform::sync_dir(&self.operators_dir()).map_err(KeyError::io(&path)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(KeyError::io(&path)(e)),
        }
    }

    pub fn store_key_path(&self) -> PathBuf {
        self.root.join("store.key.age")
    }

    /// The store key being rotated in; see `store::operators` for the protocol.
    pub fn next_store_key_path(&self) -> PathBuf {
        self.root.join("store.key.next.age")
    }

    pub fn create(&self) -> Result<(), KeyError> {
        let dir = self.operators_dir();
        fs::create_dir_all(&dir).map_err(KeyError::io(&dir))
    }

    /// The operators that have a slot file, sorted.
    pub fn operator_names(&self) -> Result<Vec<String>, KeyError> {
        let dir = self.operators_dir();
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(KeyError::io(&dir)(e)),
        };
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry.map_err(KeyError::io(&dir))?;
            let file_name = entry.file_name();
            let Some(name) = file_name.to_str().and_then(|n| n.strip_suffix(".age")) else {
                continue;
            };
            if crate::model::operator_name_is_valid(name) {
                names.push(name.to_owned());
            }
        }
        names.sort();
        Ok(names)
    }

    /// Writes an operator's slot: their identity, encrypted to their passphrase with scrypt
    /// at `work_factor` (normally [`WorkFactor::for_new_slots`]).
    pub fn write_slot(
        &self,
        operator: &str,
        identity: &OperatorIdentity,
        passphrase: &Passphrase,
        work_factor: u8,
    ) -> Result<(), KeyError> {
        let mut recipient = age::scrypt::Recipient::new(passphrase.to_age_secret());
        recipient.set_work_factor(work_factor.clamp(1, WorkFactor::LIMIT));
        let comments = [&*format!("linea operator slot: {operator}")];
        let plaintext = identity.to_file_text(&comments);
        let path = self.slot_path(operator);
        let sealed = seal(&recipient, plaintext.as_bytes(), &path)?;
        platform::write_atomically(&path, &sealed).map_err(KeyError::io(&path))
    }

    /// Opens an operator's slot with their passphrase.
    pub fn open_slot(
        &self,
        operator: &str,
        passphrase: &Passphrase,
    ) -> Result<OperatorIdentity, KeyError> {
        let path = self.slot_path(operator);
        let sealed = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(KeyError::UnknownOperator {
                    operator: operator.to_owned(),
                    known: self.operator_names()?.join(", "),
                });
            }
            Err(e) => return Err(KeyError::io(&path)(e)),
        };
        let mut identity = age::scrypt::Identity::new(passphrase.to_age_secret());
        identity.set_max_work_factor(WorkFactor::LIMIT);
        let plaintext = match age::decrypt(&identity, &sealed) {
            Ok(plaintext) => Zeroizing::new(plaintext),
            Err(age::DecryptError::DecryptionFailed) => {
                return Err(KeyError::WrongPassphrase {
                    operator: operator.to_owned(),
                });
            }
            Err(age::DecryptError::ExcessiveWork { required, .. }) => {
                return Err(KeyError::ExcessiveWork {
                    path,
                    required,
                    limit: WorkFactor::LIMIT,
                });
            }
            Err(e) => {
                return Err(KeyError::Malformed {
                    path,
                    reason: e.to_string(),
                });
            }
        };
        std::str::from_utf8(&plaintext)
            .ok()
            .and_then(AgeIdentity::from_file_text)
            .ok_or_else(|| KeyError::Malformed {
                path,
                reason: "the slot does not hold an age identity".into(),
            })
    }

    /// The scrypt work factor (log2 of N) an operator's slot asks for, read from its age
    /// header without decrypting: `None` when there is no slot or it has no scrypt stanza.
    pub fn slot_work_factor(&self, operator: &str) -> Result<Option<u8>, KeyError> {
        let path = self.slot_path(operator);
        let mut header = Vec::new();
        match fs::File::open(&path) {
            // The header is a few lines; a slot's whole header fits in this.
            Ok(file) => file
                .take(1024)
                .read_to_end(&mut header)
                .map_err(KeyError::io(&path))?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(KeyError::io(&path)(e)),
        };
        Ok(scrypt_work_factor(&header))
    }

    /// Removes an operator's slot file, if there is one (not their duress file: see
    /// [`KeyDir::remove_duress`]).
    pub fn remove_slot(&self, operator: &str) -> Result<(), KeyError> {
        let path = self.slot_path(operator);
        match fs::remove_file(&path) {
            Ok(()) => platform::sync_dir(&self.operators_dir()).map_err(KeyError::io(&path)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(KeyError::io(&path)(e)),
        }
    }

    /// Destroys every operator's slot, for when the computer is about to be seized: each
    /// is overwritten with random bytes, flushed and removed, so no passphrase (and no copy
    /// of the file made from now on) opens the store. Each is then replaced by a decoy at the
    /// same work factor: a new identity the store key was never sealed to, under a random
    /// passphrase nobody knows, so the unlock screen looks as before and takes every
    /// passphrase as wrong. Central's recovery stanza in the store key is left:
    /// `linea recover` opens the store again. Returns how many slots were destroyed.
    pub fn wipe_slots(&self) -> Result<usize, KeyError> {
        let operators = self.operator_names()?;
        let mut work_factors = Vec::with_capacity(operators.len());
        // Every slot goes first: the decoys' KDF takes a second each.
        for operator in &operators {
            work_factors.push(self.slot_work_factor(operator)?);
            let path = self.slot_path(operator);
            overwrite(&path).map_err(KeyError::io(&path))?;
            self.remove_slot(operator)?;
            let duress = self.duress_path(operator);
            if duress.exists() {
                overwrite(&duress).map_err(KeyError::io(&duress))?;
                self.remove_duress(operator)?;
            }
        }
        for (operator, work_factor) in operators.iter().zip(work_factors) {
            let mut random = Zeroizing::new([0u8; 32]);
            rand::rng().fill_bytes(&mut *random);
            let nobody_knows = Passphrase::new(hex::encode(*random));
            self.write_slot(
                operator,
                &AgeIdentity::generate(),
                &nobody_knows,
                work_factor.unwrap_or(WorkFactor::SHIPPED),
            )?;
        }
        Ok(operators.len())
    }

    /// Writes the store key to `path`, readable by each of `recipients` (`age1…`), and
    /// returns the file's bytes (an open store compares them to see whether another linea
    /// has written the file since).
    pub fn write_store_key(
        &self,
        path: &Path,
        key: &StoreKey,
        recipients: &[String],
    ) -> Result<Vec<u8>, KeyError> {
        let parsed: Vec<age::x25519::Recipient> = recipients
            .iter()
            .map(|text| {
                parse_recipient(text).ok_or_else(|| KeyError::Malformed {
                    path: path.to_owned(),
                    reason: format!("'{text}' is not an age recipient"),
                })
            })
            .collect::<Result<_, _>>()?;
        let encryptor =
            age::Encryptor::with_recipients(parsed.iter().map(|r| r as &dyn age::Recipient))
                .map_err(|e| KeyError::Malformed {
                    path: path.to_owned(),
                    reason: e.to_string(),
                })?;
        let mut sealed = Vec::new();
        let mut writer = encryptor
            .wrap_output(&mut sealed)
            .map_err(KeyError::io(path))?;
        let mut plaintext = key.reveal_hex();
        plaintext.push('\n');
        writer
            .write_all(plaintext.as_bytes())
            .and_then(|()| writer.finish().map(|_| ()))
            .map_err(KeyError::io(path))?;
        platform::write_atomically(path, &sealed).map_err(KeyError::io(path))?;
        Ok(sealed)
    }

    /// Reads the store key at `path` with an operator's or the recovery identity.
    pub fn read_store_key(
        &self,
        path: &Path,
        identity: &AgeIdentity,
    ) -> Result<StoreKey, KeyError> {
        let sealed = fs::read(path).map_err(KeyError::io(path))?;
        open_store_key(path, &sealed, identity)
    }
}

/// The work factor of the scrypt stanza in an age header (`-> scrypt SALT LOG_N`).
fn scrypt_work_factor(header: &[u8]) -> Option<u8> {
    let mut lines = header.split(|b| *b == b'\n');
    if lines.next()? != b"age-encryption.org/v1" {
        return None;
    }
    lines
        .take_while(|line| !line.starts_with(b"---"))
        .filter_map(|line| std::str::from_utf8(line).ok())
        .find_map(|line| match line.split(' ').collect::<Vec<_>>()[..] {
            ["->", "scrypt", _salt, log_n] => log_n.parse().ok(),
            _ => None,
        })
}

/// The store key in `sealed`, the bytes of the key file at `path`.
pub fn open_store_key(
    path: &Path,
    sealed: &[u8],
    identity: &AgeIdentity,
) -> Result<StoreKey, KeyError> {
    let plaintext = match age::decrypt(identity.as_age(), sealed) {
        Ok(plaintext) => Zeroizing::new(plaintext),
        Err(age::DecryptError::NoMatchingKeys) => {
            return Err(KeyError::NotARecipient {
                path: path.to_owned(),
                reason: "this key is not one of its recipients".into(),
            });
        }
        Err(e) => {
            return Err(KeyError::Malformed {
                path: path.to_owned(),
                reason: e.to_string(),
            });
        }
    };
    std::str::from_utf8(&plaintext)
        .ok()
        .and_then(StoreKey::from_hex)
        .ok_or_else(|| KeyError::Malformed {
            path: path.to_owned(),
            reason: "it does not hold a 256-bit key in hexadecimal".into(),
        })
}

/// What a duress file holds, under the duress passphrase.
const DURESS_MARKER: &[u8] = b"linea duress\n";

/// Writes random bytes over a file's content, in place, and flushes them to the disk.
fn overwrite(path: &Path) -> io::Result<()> {
    let mut file = fs::OpenOptions::new().write(true).open(path)?;
    let mut left = file.metadata()?.len();
    let mut chunk = [0u8; 4096];
    while left > 0 {
        rand::rng().fill_bytes(&mut chunk);
        let n = left.min(chunk.len() as u64) as usize;
        file.write_all(&chunk[..n])?;
        left -= n as u64;
    }
    file.sync_all()
}

fn seal(
    recipient: &dyn age::Recipient,
    plaintext: &[u8],
    path: &Path,
) -> Result<Vec<u8>, KeyError> {
    let encryptor = age::Encryptor::with_recipients(iter::once(recipient)).map_err(|e| {
        KeyError::Malformed {
            path: path.to_owned(),
            reason: e.to_string(),
        }
    })?;
    let mut sealed = Vec::new();
    let mut writer = encryptor
        .wrap_output(&mut sealed)
        .map_err(KeyError::io(path))?;
    writer
        .write_all(plaintext)
        .and_then(|()| writer.finish().map(|_| ()))
        .map_err(KeyError::io(path))?;
    Ok(sealed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAST: u8 = 4;

    #[test]
    fn slot_opens_with_its_passphrase_only() {
        let dir = tempfile::tempdir().unwrap();
        let keys = KeyDir::of_store(dir.path());
        keys.create().unwrap();
        let identity = AgeIdentity::generate();
        let right = Passphrase::new("plaza de armas 1821".into());
        keys.write_slot("ana", &identity, &right, FAST).unwrap();
        let opened = keys.open_slot("ana", &right).unwrap();
        assert_eq!(opened.recipient(), identity.recipient());
        let wrong = Passphrase::new("plaza de armas 1822".into());
        assert!(matches!(
            keys.open_slot("ana", &wrong),
            Err(KeyError::WrongPassphrase { .. })
        ));
        assert!(matches!(
            keys.open_slot("luis", &right),
            Err(KeyError::UnknownOperator { .. })
        ));
        assert_eq!(keys.operator_names().unwrap(), vec!["ana".to_string()]);
    }

    #[test]
    fn a_slot_s_work_factor_is_read_from_its_header_without_the_passphrase() {
        let dir = tempfile::tempdir().unwrap();
        let keys = KeyDir::of_store(dir.path());
        keys.create().unwrap();
        let passphrase = Passphrase::new("plaza de armas 1821".into());
        keys.write_slot("ana", &AgeIdentity::generate(), &passphrase, 6)
            .unwrap();
        assert_eq!(keys.slot_work_factor("ana").unwrap(), Some(6));
        assert_eq!(keys.slot_work_factor("luis").unwrap(), None);
        fs::write(keys.slot_path("eve"), b"not an age file\n-> scrypt x 2\n").unwrap();
        assert_eq!(keys.slot_work_factor("eve").unwrap(), None);
        // Another recipient type is no scrypt slot.
        let x25519 = age::encrypt(&AgeIdentity::generate().as_age().to_public(), b"k").unwrap();
        fs::write(keys.slot_path("eve"), x25519).unwrap();
        assert_eq!(keys.slot_work_factor("eve").unwrap(), None);
    }

    #[test]
    fn only_a_debug_build_takes_the_test_work_factor() {
        assert_eq!(WorkFactor::chosen(false, Some("1")), WorkFactor::SHIPPED);
        assert_eq!(WorkFactor::chosen(false, Some("4")), WorkFactor::SHIPPED);
        assert_eq!(WorkFactor::chosen(false, None), WorkFactor::SHIPPED);
        assert_eq!(WorkFactor::chosen(true, Some("4")), 4);
        assert_eq!(WorkFactor::chosen(true, None), WorkFactor::SHIPPED);
        // Never above the shipped one, never zero, never junk.
        for bad in ["0", "20", "40", "four", ""] {
            assert_eq!(
                WorkFactor::chosen(true, Some(bad)),
                WorkFactor::SHIPPED,
                "{bad}"
            );
        }
    }

    #[test]
    fn slot_above_the_work_factor_limit_is_refused_before_scrypt() {
        let dir = tempfile::tempdir().unwrap();
        let keys = KeyDir::of_store(dir.path());
        keys.create().unwrap();
        let passphrase = Passphrase::new("a long passphrase".into());
        let mut recipient = age::scrypt::Recipient::new(passphrase.to_age_secret());
        recipient.set_work_factor(10);
        let sealed = seal(&recipient, b"AGE-SECRET-KEY-1", Path::new("x")).unwrap();
        // Raise the stanza's work factor to 2^40, which would run for days and need
        // terabytes: refusing it at once proves scrypt never started.
        let text = String::from_utf8_lossy(&sealed).into_owned();
        let line_end = text.find(" 10\n").expect("scrypt stanza");
        let mut sealed = sealed.clone();
        sealed.splice(line_end..line_end + 4, b" 40\n".iter().copied());
        fs::write(keys.slot_path("eve"), sealed).unwrap();
        match keys.open_slot("eve", &passphrase) {
            Err(KeyError::ExcessiveWork {
                required, limit, ..
            }) => {
                assert_eq!(required, 40);
                assert_eq!(limit, WorkFactor::LIMIT);
            }
            other => panic!("expected ExcessiveWork, got {other:?}"),
        }
    }

    #[test]
    fn store_key_opens_for_each_recipient_and_nobody_else() {
        let dir = tempfile::tempdir().unwrap();
        let keys = KeyDir::of_store(dir.path());
        keys.create().unwrap();
        let ana = AgeIdentity::generate();
        let recovery = AgeIdentity::generate();
        let outsider = AgeIdentity::generate();
        let key = StoreKey::generate();
        let path = keys.store_key_path();
        keys.write_store_key(&path, &key, &[ana.recipient(), recovery.recipient()])
            .unwrap();
        for identity in [&ana, &recovery] {
            let read = keys.read_store_key(&path, identity).unwrap();
            assert_eq!(*read.reveal_hex(), *key.reveal_hex());
        }
        assert!(matches!(
            keys.read_store_key(&path, &outsider),
            Err(KeyError::NotARecipient { .. })
        ));
    }

    #[test]
    fn identity_file_text_round_trips_and_rejects_junk() {
        let identity = AgeIdentity::generate();
        let text = identity.to_file_text(&["central recovery"]);
        assert!(text.starts_with("# central recovery\n# public key: age1"));
        let back = AgeIdentity::from_file_text(&text).unwrap();
        assert_eq!(back.recipient(), identity.recipient());
        assert!(AgeIdentity::from_file_text("# nothing here\n").is_none());
        assert!(AgeIdentity::from_file_text("AGE-SECRET-KEY-1NOTAKEY").is_none());
    }
}
