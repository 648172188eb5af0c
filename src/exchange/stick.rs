//! The stick: two folders, random file names, atomic writes.
//!
//! ```text
//! DIR/linea/to-central/   b-<random>.age   batches, from any office
//! DIR/linea/to-office/    r-<random>.age   receipts   p-<random>.age   reference packs
//! DIR/linea/refused/      files a sync refused, set aside so the next sync does not meet them
//! ```
//! A file is written under a temporary name (ending `.tmp`, which every reader skips),
//! flushed, renamed, the folder flushed, and read back to compare. Sticks lie about
//! flushing; only central's receipt proves delivery. A write that fails (a full stick)
//! removes its temporary file.
//!
//! Readers take only names of the shape their folder's writers give (`b-…` in to-central,
//! `r-…` and `p-…` in to-office): the computers a stick visits leave their own files on it
//! (`Thumbs.db`, `desktop.ini`, macOS's `._` twins), and those are nobody's batch, so they
//! are passed over without a word rather than refused at every sync. What has such a name is
//! read through [`super::file::read`], which refuses links, folders and special files.
//!
//! The folders themselves must be folders, not links: a link would send a sync's reads,
//! writes and removals to wherever it points.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rand::Rng;

use super::ExchangeError;
use super::batch::sha256_hex;
use super::rejection::Rule;
use crate::platform;

pub const TEMP_SUFFIX: &str = ".tmp";
/// The name prefix of a batch; of a receipt; of a reference pack.
pub const BATCH_PREFIX: &str = "b";
pub const RECEIPT_PREFIX: &str = "r";
pub const PACK_PREFIX: &str = "p";
/// The extension every exchange file has.
const EXTENSION: &str = ".age";
const LINEA: &str = "linea";
const TO_CENTRAL: &str = "to-central";
const TO_OFFICE: &str = "to-office";
const REFUSED: &str = "refused";

/// The linea folders of a stick mounted at a directory.
#[derive(Debug, Clone)]
pub struct Stick {
    root: PathBuf,
}

impl Stick {
    pub fn at(dir: &Path) -> Stick {
        Stick {
            root: dir.join(LINEA),
        }
    }

    pub fn to_central(&self) -> PathBuf {
        self.root.join(TO_CENTRAL)
    }

    pub fn to_office(&self) -> PathBuf {
        self.root.join(TO_OFFICE)
    }

    /// Where refused files are set aside.
    fn refused(&self) -> PathBuf {
        self.root.join(REFUSED)
    }

    /// Makes the folders if the stick has none yet; refuses folders that are links (the
    /// stick's own folder, `DIR`, is the operator's choice and may be one).
    pub fn prepare(&self) -> Result<(), ExchangeError> {
        if let Some(dir) = self.root.parent() {
            fs::create_dir_all(dir).map_err(|e| ExchangeError::io(dir)(full_stick(e)))?;
        }
        for dir in [self.root.clone(), self.to_central(), self.to_office()] {
            folder(&dir)?;
        }
        Ok(())
    }

    /// Moves a refused file into `linea/refused/`, so that the next sync does not meet it
    /// again (nothing is deleted: whoever looks after the stick can look at it), and says
    /// so for the line that reports it. A file refused because this store could not take it
    /// stays where it is: `None`.
    pub fn set_aside(&self, path: &Path, rule: Rule) -> Option<String> {
        if !rule.blames_the_file() {
            return None;
        }
        Some(match self.move_to_refused(path) {
            Ok(()) => format!("set aside in {LINEA}/{REFUSED}/"),
            Err(e) => format!("it could not be set aside ({e}); remove it from the stick"),
        })
    }

    fn move_to_refused(&self, path: &Path) -> Result<(), ExchangeError> {
        let dir = self.refused();
        folder(&dir)?;
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        // A file of that name set aside before stays too.
        let mut target = dir.join(&*name);
        let mut n = 1;
        while fs::symlink_metadata(&target).is_ok() {
            n += 1;
            target = dir.join(format!("{name}.{n}"));
        }
        platform::rename_durably(path, &target).map_err(ExchangeError::io(path))
    }

    /// The finished exchange files in one of the stick's folders, by name: only names its
    /// writers give (see [`exchange_name`]); temporary files, hidden files and whatever else
    /// is there are skipped. Whatever has such a name is listed, file or not: the reader
    /// refuses what is not a regular file. A folder other than the stick's two has none.
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
            if exchange_name(name, prefixes) {
                files.push(entry.path());
            }
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
    /// checks it by reading it back. Returns the name. On failure nothing is left behind; a
    /// full stick says so.
    pub fn write(dir: &Path, prefix: &str, bytes: &[u8]) -> io::Result<String> {
        let mut random = [0u8; 12];
        rand::rng().fill_bytes(&mut random);
        let name = format!("{prefix}-{}.age", hex::encode(random));
        let path = dir.join(&name);
        let temp = Temporary(dir.join(format!(".{name}{TEMP_SUFFIX}")));
        platform::write_new(&temp.0, bytes).map_err(full_stick)?;
        platform::rename_durably(&temp.0, &path).map_err(full_stick)?;
        let back = super::file::read(&path, bytes.len() as u64);
        if !back.is_ok_and(|back| sha256_hex(&back) == sha256_hex(bytes)) {
            let _ = fs::remove_file(&path);
            return Err(io::Error::other(format!(
                "{} reads back different from what was written: the stick is failing",
                path.display()
            )));
        }
        Ok(name)
    }

    /// Removes a file this store wrote earlier, or one it applied, if it is still there.
    /// What cannot be removed (a read-only stick, a folder put in its place) is left: a stale
    /// copy is harmless (central imports a batch once, an office applies a receipt or pack
    /// once and refuses older ones), and housekeeping must not stop every later sync.
    pub fn remove(dir: &Path, name: &str) {
        if fs::remove_file(dir.join(name)).is_ok() {
            let _ = platform::sync_dir(dir);
        }
    }
}

/// Makes `dir` if it is not there; refuses it if it is a link or not a folder.
fn folder(dir: &Path) -> Result<(), ExchangeError> {
    let refused = |what: &str| {
        ExchangeError::rejected(
            dir,
            format!("{what}; linea uses only a real folder here: remove it, or use another stick"),
        )
    };
    match fs::symlink_metadata(dir) {
        Ok(metadata) if metadata.file_type().is_symlink() => Err(refused(
            "is a link to another place, which linea never follows",
        )),
        Ok(metadata) if !metadata.is_dir() => Err(refused("is not a folder")),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => match fs::create_dir(dir) {
            Ok(()) => Ok(()),
            // Made meanwhile by someone else: checked again.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => folder(dir),
            Err(e) => Err(ExchangeError::io(dir)(full_stick(e))),
        },
        Err(e) => Err(ExchangeError::io(dir)(e)),
    }
}

/// A temporary file of this process, removed when dropped unless it was renamed.
struct Temporary(PathBuf);

impl Drop for Temporary {
    fn drop(&mut self) {
        // Gone once renamed; otherwise what a failed write left.
        let _ = fs::remove_file(&self.0);
    }
}

/// A write that failed for want of space says so, in words.
fn full_stick(error: io::Error) -> io::Error {
    if error.kind() == io::ErrorKind::StorageFull {
        io::Error::new(
            io::ErrorKind::StorageFull,
            "the stick is full; nothing half-written was left on it: free some space or use another stick",
        )
    } else {
        error
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
        Stick::remove(&stick.to_central(), &a);
        Stick::remove(&stick.to_central(), &a);
        assert_eq!(Stick::files(&stick.to_central()).unwrap().len(), 1);
    }

    /// What a write that fails half-way (ENOSPC) meets, without a full disk to fill (the
    /// integration test fills a tmpfs where it may mount one): its temporary file goes, and a
    /// full stick is named as such.
    #[test]
    fn a_failed_write_leaves_no_temporary_and_a_full_stick_says_so() {
        let dir = tempfile::tempdir().unwrap();
        {
            let temp = Temporary(dir.path().join(".b-x.age.tmp"));
            fs::write(&temp.0, b"half a batch").unwrap();
        }
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
        let full = full_stick(io::Error::from(io::ErrorKind::StorageFull));
        assert_eq!(full.kind(), io::ErrorKind::StorageFull);
        assert!(full.to_string().starts_with("the stick is full"), "{full}");
        let other = full_stick(io::Error::from(io::ErrorKind::PermissionDenied));
        assert_eq!(other.kind(), io::ErrorKind::PermissionDenied);
    }

    #[test]
    fn refused_files_are_moved_aside_under_a_free_name_and_linked_folders_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let stick = Stick::at(dir.path());
        stick.prepare().unwrap();
        for round in 1..=2 {
            let file = stick.to_office().join("r-bad.age");
            fs::write(&file, format!("bad {round}")).unwrap();
            let note = stick.set_aside(&file, Rule::Signature).unwrap();
            assert_eq!(note, "set aside in linea/refused/");
            assert!(!file.exists());
        }
        let aside = dir.path().join("linea/refused");
        assert_eq!(fs::read(aside.join("r-bad.age")).unwrap(), b"bad 1");
        assert_eq!(fs::read(aside.join("r-bad.age.2")).unwrap(), b"bad 2");
        // Not the file's fault: it stays.
        let kept = stick.to_office().join("r-kept.age");
        fs::write(&kept, b"x").unwrap();
        assert_eq!(stick.set_aside(&kept, Rule::Store), None);
        assert!(kept.exists());

        #[cfg(unix)]
        {
            let elsewhere = tempfile::tempdir().unwrap();
            let linked = tempfile::tempdir().unwrap();
            std::os::unix::fs::symlink(elsewhere.path(), linked.path().join("linea")).unwrap();
            let refused = Stick::at(linked.path()).prepare().unwrap_err();
            assert!(refused.to_string().contains("is a link"), "{refused}");
            assert_eq!(fs::read_dir(elsewhere.path()).unwrap().count(), 0);
        }
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
            for junk_dir in ["System Volume Information", ".Trashes"] {
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

        // Hand-named files of the right shape are read (and judged on their content), and so
        // is anything else of that name (the reader refuses what is not a regular file).
        fs::write(stick.to_central().join("b-forged.age"), b"x").unwrap();
        fs::write(stick.to_central().join("B-UPPER_CASE-1.AGE"), b"x").unwrap();
        fs::create_dir(stick.to_central().join("b-folder.age")).unwrap();
        assert_eq!(stick.batches().unwrap().len(), 4);
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
