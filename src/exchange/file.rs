//! Reading a file someone else wrote (a batch, receipt or pack on a stick, a kit or an
//! enrollment file handed over): one way for every reader. The file is opened without
//! following a link and without blocking (a pipe or a device named like a batch would hang
//! the sync), checked after opening to be a regular file within the reader's cap, and read
//! no further than that cap should it grow meanwhile: a 5 GB file is refused by its size,
//! never read.

use std::fs;
use std::io::Read;
use std::path::Path;

use super::rejection::{Rejection, Rule, reject};
use crate::platform;

/// Reads the regular file at `path`, of `cap` bytes at most.
pub fn read(path: &Path, cap: u64) -> Result<Vec<u8>, Rejection> {
    let file = platform::open_untrusted(path).map_err(|e| not_opened(path, &e))?;
    let metadata = file.metadata().map_err(|e| unreadable(&e))?;
    if !metadata.is_file() {
        return Err(not_regular(&metadata.file_type()));
    }
    if metadata.len() > cap {
        return Err(over(metadata.len(), cap));
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| unreadable(&e))?;
    if bytes.len() as u64 > cap {
        return Err(over(bytes.len() as u64, cap));
    }
    Ok(bytes)
}

fn over(size: u64, cap: u64) -> Rejection {
    reject(Rule::Size, format!("{size} bytes is over the cap of {cap}"))
}

fn unreadable(error: &std::io::Error) -> Rejection {
    reject(Rule::Unreadable, format!("cannot be read: {error}"))
}

/// Why a file did not open: a link or a special file is refused for what it is (a link is
/// what opening without following one fails on), anything else is unreadable.
fn not_opened(path: &Path, error: &std::io::Error) -> Rejection {
    match fs::symlink_metadata(path) {
        Ok(metadata) if !metadata.is_file() => not_regular(&metadata.file_type()),
        _ => unreadable(error),
    }
}

fn not_regular(kind: &fs::FileType) -> Rejection {
    let what = if kind.is_symlink() {
        "a link (links are never followed)"
    } else if kind.is_dir() {
        "a folder"
    } else {
        "a special file (a pipe, socket or device)"
    };
    reject(Rule::File, format!("not a regular file but {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_within_its_cap_is_read_and_anything_else_is_refused_by_rule() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("b-file.age");
        fs::write(&file, b"hola").unwrap();
        assert_eq!(read(&file, 4).unwrap(), b"hola");
        let refused = read(&file, 3).unwrap_err();
        assert_eq!(refused.rule, Rule::Size, "{refused}");

        let folder = dir.path().join("b-folder.age");
        fs::create_dir(&folder).unwrap();
        let refused = read(&folder, 100).unwrap_err();
        assert_eq!(refused.rule, Rule::File, "{refused}");
        assert!(refused.detail.contains("a folder"), "{refused}");

        let missing = read(&dir.path().join("b-gone.age"), 100).unwrap_err();
        assert_eq!(missing.rule, Rule::Unreadable, "{missing}");
    }

    #[cfg(unix)]
    #[test]
    fn links_are_not_followed_and_pipes_do_not_block() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("secret");
        fs::write(&target, b"not for the stick").unwrap();
        let link = dir.path().join("b-link.age");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let refused = read(&link, 100).unwrap_err();
        assert_eq!(refused.rule, Rule::File, "{refused}");
        assert!(refused.detail.contains("link"), "{refused}");

        // Opening a pipe for reading blocks until a writer comes, without O_NONBLOCK.
        let pipe = dir.path().join("b-pipe.age");
        rustix::fs::mknodat(
            rustix::fs::CWD,
            &pipe,
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
            0,
        )
        .unwrap();
        let refused = read(&pipe, 100).unwrap_err();
        assert_eq!(refused.rule, Rule::File, "{refused}");
        assert!(refused.detail.contains("special file"), "{refused}");
    }
}
