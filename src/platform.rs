//! What differs between operating systems: file permissions, durable writes, core dumps.
//!
//! Linux is where linea is tested; Windows offices get the nearest safe equivalent.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Files created from now on are readable by their owner only, and the process never dumps
/// core (a core file would hold the store key and whatever records were on screen). On Linux
/// it is not dumpable either: no other process of the same user can attach a debugger to
/// it or read its memory (the kernel gives its /proc files to root).
pub fn harden_process() {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{DumpableBehavior, set_dumpable_behavior};
        let _ = set_dumpable_behavior(DumpableBehavior::NotDumpable);
    }
    #[cfg(unix)]
    {
        use rustix::fs::Mode;
        use rustix::process::{Resource, Rlimit, setrlimit, umask};
        umask(Mode::from_raw_mode(0o077));
        let _ = setrlimit(
            Resource::Core,
            Rlimit {
                current: Some(0),
                maximum: Some(0),
            },
        );
    }
}

/// Writes `bytes` to `path` so that a crash leaves either the old file or the new one whole:
/// a temporary file beside it, flushed to the disk, renamed over, and the folder flushed.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".linea-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    sync_dir(dir)
}

/// Creates a new file that must not exist yet, writes it and flushes it to the disk.
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        sync_dir(dir)?;
    }
    Ok(())
}

/// Opens a file someone else wrote, for reading, without following a link in its last
/// component and without blocking (on a pipe or a device). What was opened may still be
/// anything but a link: the caller checks it is a regular file.
pub fn open_untrusted(path: &Path) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use rustix::fs::OFlags;
        use std::os::unix::fs::OpenOptionsExt;
        // No controlling terminal either, should the file be one.
        let flags = OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::NOCTTY;
        options.custom_flags(flags.bits() as i32);
    }
    #[cfg(windows)]
    {
        use std::os::windows::fs::OpenOptionsExt;
        // FILE_FLAG_OPEN_REPARSE_POINT: the link itself is opened, and is then no regular file.
        options.custom_flags(0x0020_0000);
    }
    options.open(path)
}

/// Renames a file and makes the rename durable.
pub fn rename_durably(from: &Path, to: &Path) -> io::Result<()> {
    fs::rename(from, to)?;
    if let Some(dir) = to.parent().filter(|p| !p.as_os_str().is_empty()) {
        sync_dir(dir)?;
    }
    Ok(())
}

/// Flushes a folder's entries (new, renamed or removed files) to the disk.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        // Windows cannot open a folder as a file; NTFS journals renames itself.
        let _ = dir;
        Ok(())
    }
}

/// The bytes this user may still write on the disk that holds `path`; `None` where the
/// platform does not say.
pub fn free_space(path: &Path) -> Option<u64> {
    #[cfg(unix)]
    {
        rustix::fs::statvfs(path)
            .ok()
            .map(|disk| disk.f_bavail.saturating_mul(disk.f_frsize))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Which file a path names: another one after the file is deleted or replaced, or the path
/// is gone, even while a process still has the old one open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileIdentity {
    #[cfg(unix)]
    id: (u64, u64),
    #[cfg(not(unix))]
    id: Option<std::time::SystemTime>,
}

impl FileIdentity {
    pub fn of(path: &Path) -> io::Result<FileIdentity> {
        let metadata = fs::metadata(path)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Ok(FileIdentity {
                id: (metadata.dev(), metadata.ino()),
            })
        }
        #[cfg(not(unix))]
        {
            // Windows refuses to delete or rename a file that is open; a copy put in its
            // place later is a new file, made at another time.
            Ok(FileIdentity {
                id: metadata.created().ok(),
            })
        }
    }
}

/// Where the platform mounts removable media (USB sticks) for the user. Linux desktops mount
/// them under /media/USER or /run/media/USER, and people mount them by hand under /mnt;
/// macOS under /Volumes. Elsewhere (Windows drive letters) none: the operator types the
/// folder.
pub fn removable_media_roots() -> Vec<PathBuf> {
    #[cfg(unix)]
    {
        let mut roots = Vec::new();
        let user = std::env::var_os("USER")
            .or_else(|| std::env::var_os("LOGNAME"))
            .filter(|user| !user.is_empty());
        if let Some(user) = user {
            roots.push(Path::new("/media").join(&user));
            roots.push(Path::new("/run/media").join(&user));
        }
        roots.push(PathBuf::from("/mnt"));
        if cfg!(target_os = "macos") {
            roots.push(PathBuf::from("/Volumes"));
        }
        roots
    }
    #[cfg(not(unix))]
    {
        Vec::new()
    }
}

/// The folders directly under `roots` (each a mounted stick), in order; roots that do not
/// exist or cannot be read are skipped.
pub fn mounted_folders(roots: &[PathBuf]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for root in roots {
        let Ok(entries) = fs::read_dir(root) else {
            continue;
        };
        let mut here: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .map(|e| e.path())
            .collect();
        here.sort();
        found.extend(here);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_whole_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("slot.age");
        write_atomically(&path, b"first").unwrap();
        write_atomically(&path, b"second").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "a temporary file was left behind");
    }

    #[test]
    fn a_file_replaced_or_removed_is_another_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("linea.db");
        write_atomically(&path, b"first").unwrap();
        let first = FileIdentity::of(&path).unwrap();
        fs::write(&path, b"rewritten in place").unwrap();
        assert_eq!(FileIdentity::of(&path).unwrap(), first);
        // Kept open, as a database connection keeps it: the replacement is still another file.
        let _open = fs::File::open(&path).unwrap();
        write_atomically(&path, b"a copy put in its place").unwrap();
        assert_ne!(FileIdentity::of(&path).unwrap(), first);
        fs::remove_file(&path).unwrap();
        assert!(FileIdentity::of(&path).is_err());
    }

    #[test]
    fn write_new_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("recovery.txt");
        write_new(&path, b"one").unwrap();
        assert!(write_new(&path, b"two").is_err());
        assert_eq!(fs::read(&path).unwrap(), b"one");
    }

    #[test]
    fn mounted_folders_are_the_folders_under_the_roots() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("USB-B")).unwrap();
        fs::create_dir(dir.path().join("USB-A")).unwrap();
        fs::create_dir(dir.path().join(".hidden")).unwrap();
        fs::write(dir.path().join("file"), b"").unwrap();
        let roots = [dir.path().to_owned(), dir.path().join("missing")];
        assert_eq!(
            mounted_folders(&roots),
            vec![dir.path().join("USB-A"), dir.path().join("USB-B")]
        );
    }
}
