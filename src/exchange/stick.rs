//! The stick: two folders, random file names, atomic writes.
//!
//! ```text
//! DIR/linea/to-central/   b-<random>.age   batches, from any office
//! DIR/linea/to-office/    r-<random>.age   receipts   p-<random>.age   reference packs
//! ```
//! A file is written under a temporary name (ending `.tmp`, which every reader skips),
//! flushed, renamed, the folder flushed, and read back to compare. Sticks lie about
//! flushing; only central's receipt proves delivery.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rand::Rng;

use super::batch::sha256_hex;
use crate::platform;

pub const TEMP_SUFFIX: &str = ".tmp";

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
        self.root.join("to-central")
    }

    pub fn to_office(&self) -> PathBuf {
        self.root.join("to-office")
    }

    /// Makes the folders if the stick has none yet.
    pub fn prepare(&self) -> io::Result<()> {
        fs::create_dir_all(self.to_central())?;
        fs::create_dir_all(self.to_office())
    }

    /// The finished files in a folder (temporary ones skipped), by name.
    pub fn files(dir: &Path) -> io::Result<Vec<PathBuf>> {
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let mut files = Vec::new();
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(TEMP_SUFFIX) || name.starts_with('.') || !entry.file_type()?.is_file()
            {
                continue;
            }
            files.push(entry.path());
        }
        files.sort();
        Ok(files)
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
}
