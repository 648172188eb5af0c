//! The stick: two folders, random file names, atomic writes.
//!
//! ```text
//! DIR/linea/to-central/   b-<random>.age   batches, from any office
//! DIR/linea/to-office/    r-<random>.age   receipts   p-<random>.age   reference packs
//! ```
//! A file is written under a temporary name (ending `.tmp`, which every reader skips),
//! flushed, renamed, the folder flushed, and read back to compare. Sticks lie about
//! flushing; only central's receipt proves delivery.
//!
//! Readers take only names of the shape their folder's writers give (`b-…` in to-central,
//! `r-…` and `p-…` in to-office): the computers a stick visits leave their own files on it
//! (`Thumbs.db`, `desktop.ini`, macOS's `._` twins), and those are nobody's batch, so they
//! are passed over without a word rather than refused at every sync.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rand::Rng;

use super::batch::sha256_hex;
use crate::platform;

pub const TEMP_SUFFIX: &str = ".tmp";
/// The name prefix of a batch; of a receipt; of a reference pack.
pub const BATCH_PREFIX: &str = "b";
pub const RECEIPT_PREFIX: &str = "r";
pub const PACK_PREFIX: &str = "p";
/// The extension every exchange file has.
const EXTENSION: &str = ".age";
const TO_CENTRAL: &str = "to-central";
const TO_OFFICE: &str = "to-office";

/// The linea folders of a stick mounted at a directory.
#[derive(Debug, Clone)]
pub struct Stick {
    root: PathBuf,
}

impl Stick {
    pub fn at(dir: &Path) -> Stick {
        Stick {
            root: dir.join("linea"),
        }
    }

    pub fn to_central(&self) -> PathBuf {
        self.root.join(TO_CENTRAL)
    }

    pub fn to_office(&self) -> PathBuf {
        self.root.join(TO_OFFICE)
    }

    /// Makes the folders if the stick has none yet.
    pub fn prepare(&self) -> io::Result<()> {
        fs::create_dir_all(self.to_central())?;
        fs::create_dir_all(self.to_office())
    }

    /// The finished exchange files in one of the stick's folders, by name: only names its
    /// writers give (see [`exchange_name`]); temporary files, hidden files, folders and
    /// whatever else is there are skipped. A folder other than the stick's two has none.
    pub fn files(dir: &Path) -> io::Result<Vec<PathBuf>> {
        let prefixes: &[&str] = match dir.file_name().and_then(|n| n.to_str()) {
            Some(TO_CENTRAL) => &[BATCH_PREFIX],
            Some(TO_OFFICE) => &[RECEIPT_PREFIX, PACK_PREFIX],
            _ => &[],
        };
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let mut files = Vec::new();
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name();
            // A name that is not UTF-8 is no name a writer gave.
            let Some(name) = name.to_str() else {
                continue;
            };
            if !exchange_name(name, prefixes) || !entry.file_type()?.is_file() {
                continue;
            }
            files.push(entry.path());
        }
        files.sort();
        Ok(files)
    }

    /// The batches on the stick (its to-central folder).
    pub fn batches(&self) -> io::Result<Vec<PathBuf>> {
        Stick::files(&self.to_central())
    }

    /// The receipts and reference packs on the stick (its to-office folder).
    pub fn mail(&self) -> io::Result<Vec<PathBuf>> {
        Stick::files(&self.to_office())
    }

    /// Writes `bytes` to a new random name `PREFIX-<random>.age` in `dir`, atomically, and
    /// checks it by reading it back. Returns the name.
    pub fn write(dir: &Path, prefix: &str, bytes: &[u8]) -> io::Result<String> {
        let mut random = [0u8; 12];
        rand::rng().fill_bytes(&mut random);
        let name = format!("{prefix}-{}.age", hex::encode(random));
        let path = dir.join(&name);
        let temp = dir.join(format!(".{name}{TEMP_SUFFIX}"));
        platform::write_new(&temp, bytes)?;
        platform::rename_durably(&temp, &path)?;
        let back = fs::read(&path)?;
        if sha256_hex(&back) != sha256_hex(bytes) {
            let _ = fs::remove_file(&path);
            return Err(io::Error::other(format!(
                "{} reads back different from what was written: the stick is failing",
                path.display()
            )));
        }
        Ok(name)
    }

    /// Removes a file this store wrote earlier, if it is still there.
    pub fn remove(dir: &Path, name: &str) -> io::Result<()> {
        match fs::remove_file(dir.join(name)) {
            Ok(()) => platform::sync_dir(dir),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
        }
    }
}

/// Whether `name` has the shape a writer gives: `PREFIX-RANDOM.age` with one of `prefixes`,
/// RANDOM letters, digits, `-` or `_`. The writer's RANDOM is 24 hex digits, but a file of
/// that shape named otherwise is still read, and refused with its reason if it is bad: the
/// shape says whose file it is, not whether it is genuine. Case is ignored, as on FAT sticks.
pub fn exchange_name(name: &str, prefixes: &[&str]) -> bool {
    let lower = name.to_ascii_lowercase();
    let Some(stem) = lower.strip_suffix(EXTENSION) else {
        return false;
    };
    prefixes.iter().any(|prefix| {
        stem.strip_prefix(prefix)
            .and_then(|rest| rest.strip_prefix('-'))
            .is_some_and(|random| {
                !random.is_empty()
                    && random
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_written_whole_under_random_names_and_temporaries_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let stick = Stick::at(dir.path());
        stick.prepare().unwrap();
        let a = Stick::write(&stick.to_central(), "b", b"one").unwrap();
        let b = Stick::write(&stick.to_central(), "b", b"two").unwrap();
        assert_ne!(a, b);
        fs::write(stick.to_central().join(".b-x.age.tmp"), b"half").unwrap();
        fs::write(stick.to_central().join("b-y.age.tmp"), b"half").unwrap();
        let files = Stick::files(&stick.to_central()).unwrap();
        assert_eq!(files.len(), 2);
        assert!(files.iter().all(|f| !f.to_string_lossy().ends_with(".tmp")));
        Stick::remove(&stick.to_central(), &a).unwrap();
        Stick::remove(&stick.to_central(), &a).unwrap();
        assert_eq!(Stick::files(&stick.to_central()).unwrap().len(), 1);
    }

    #[test]
    fn readers_take_only_their_writers_names_and_pass_over_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let stick = Stick::at(dir.path());
        stick.prepare().unwrap();
        let batch = Stick::write(&stick.to_central(), BATCH_PREFIX, b"batch").unwrap();
        let receipt = Stick::write(&stick.to_office(), RECEIPT_PREFIX, b"receipt").unwrap();
        let pack = Stick::write(&stick.to_office(), PACK_PREFIX, b"pack").unwrap();
        // What Windows, macOS and people leave on sticks, in both folders.
        for folder in [stick.to_central(), stick.to_office()] {
            for junk in [
                "Thumbs.db",
                "desktop.ini",
                ".DS_Store",
                "._b-0123456789abcdef01234567.age",
                "._r-0123456789abcdef01234567.age",
                "b-.age",
                "b-x.age.bak",
                "b-x (1).age",
                "copy of b-x.age",
                "bx.age",
                "notes.txt",
            ] {
                fs::write(folder.join(junk), b"not ours").unwrap();
            }
            for junk_dir in ["System Volume Information", ".Trashes", "b-folder.age"] {
                fs::create_dir(folder.join(junk_dir)).unwrap();
            }
        }
        // Another folder's kind is not this folder's.
        fs::write(stick.to_central().join("r-misplaced.age"), b"receipt").unwrap();
        fs::write(stick.to_office().join("b-misplaced.age"), b"batch").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let name = std::ffi::OsStr::from_bytes(b"b-\xff.age");
            fs::write(stick.to_central().join(name), b"not ours").unwrap();
        }

        let names = |files: Vec<PathBuf>| -> Vec<String> {
            files
                .iter()
                .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
                .collect()
        };
        assert_eq!(names(stick.batches().unwrap()), [batch]);
        let mut mail = vec![receipt, pack];
        mail.sort();
        assert_eq!(names(stick.mail().unwrap()), mail);

        // Hand-named files of the right shape are read (and judged on their content).
        fs::write(stick.to_central().join("b-forged.age"), b"x").unwrap();
        fs::write(stick.to_central().join("B-UPPER_CASE-1.AGE"), b"x").unwrap();
        assert_eq!(stick.batches().unwrap().len(), 3);
        // Any other folder holds no exchange files.
        assert!(Stick::files(dir.path()).unwrap().is_empty());
        assert!(Stick::files(&dir.path().join("linea")).unwrap().is_empty());
    }

    #[test]
    fn names_have_the_writers_shape() {
        let batch = [BATCH_PREFIX];
        assert!(exchange_name("b-0123456789abcdef01234567.age", &batch));
        assert!(exchange_name("b-forged.age", &batch));
        assert!(exchange_name("B-ABC.AGE", &batch));
        for name in [
            "b-.age",
            "b.age",
            "b-x.age.tmp",
            ".b-x.age.tmp",
            "._b-x.age",
            "b-x.txt",
            "b-x y.age",
            "b-x.y.age",
            "r-x.age",
            "Thumbs.db",
            "desktop.ini",
            "",
        ] {
            assert!(!exchange_name(name, &batch), "{name}");
        }
        assert!(exchange_name("r-x.age", &[RECEIPT_PREFIX, PACK_PREFIX]));
        assert!(exchange_name("p-x.age", &[RECEIPT_PREFIX, PACK_PREFIX]));
        assert!(!exchange_name("b-x.age", &[RECEIPT_PREFIX, PACK_PREFIX]));
        assert!(!exchange_name("b-x.age", &[]));
    }
}
