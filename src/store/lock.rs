//! Several linea processes on one store are normal: two operators, a desk beside `linea call
//! list`, a sync beside the desk. A lock file in the store folder keeps apart what must not
//! overlap:
//!
//! - shared: opening the store, each write transaction, each event the desk handles, and a
//!   whole command of the command line, so that all they read and write is under one key;
//! - exclusive: whatever changes the keys — rotating the store key and finishing a rotation a
//!   crash interrupted, adding an operator (the slot is written before its row), removing
//!   orphan slots.
//!
//! Within a process a [`StoreLock`] counts its holds, so nested ones share one lock, and one
//! taken exclusive while the store is held shared lets the shared hold go while it waits.
//! A process that must wait says so through its thread's notice (the desk on its message
//! line, the command line on stderr) and gives up after [`WAIT_LIMIT`], saying so.

use std::cell::RefCell;
use std::fs::{File, OpenOptions, TryLockError};
use std::io;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::StoreError;

pub const LOCK_FILE: &str = "linea.lock";

/// How long a process waits for another before it gives up: far longer than rotating the
/// key of a large store, a purge step or importing the largest batch.
pub const WAIT_LIMIT: Duration = Duration::from_secs(600);

/// Shorter waits pass without a word.
pub(super) const QUIET: Duration = Duration::from_millis(500);

/// What a process is waiting for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// Another linea is changing the store's keys (an operator added or removed).
    KeyChange,
    /// Another linea is writing to the store (a save, a sync, an import, a purge step).
    Writer,
}

impl std::fmt::Display for Wait {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Wait::KeyChange => {
                "waiting for another linea to finish changing this store's keys (an operator added or removed)…"
            }
            Wait::Writer => "waiting for another linea to finish writing to this store…",
        })
    }
}

/// How a thread tells its user that it waits.
type Notice = Box<dyn Fn(Wait)>;

thread_local! {
    static NOTICE: RefCell<Option<Notice>> = const { RefCell::new(None) };
}

/// Sets how this thread tells its user that it is waiting for another linea. Per thread,
/// because SQLite's busy handler runs on the thread that waits.
pub fn on_wait(notice: impl Fn(Wait) + 'static) {
    NOTICE.with(|slot| *slot.borrow_mut() = Some(Box::new(notice)));
}

pub(super) fn notify(wait: Wait) {
    NOTICE.with(|slot| {
        if let Some(notice) = &*slot.borrow() {
            notice(wait);
        }
    });
}

/// The store folder's lock, as one process holds it.
#[derive(Clone)]
pub(crate) struct StoreLock(Arc<Mutex<State>>);

struct State {
    file: File,
    shared: usize,
    exclusive: usize,
}

#[derive(Clone, Copy)]
enum Kind {
    Shared,
    Exclusive,
}

/// A shared hold on the store: what is read and written meanwhile is under one key.
pub struct Hold(StoreLock);

/// The store to itself, for changing its keys.
pub(crate) struct Exclusive(StoreLock);

impl StoreLock {
    /// Opens (creating if needed) the lock file of the store in `dir`. This is the first
    /// file an unlock writes, so a folder linea may not write in is reported here.
    pub fn open(dir: &Path) -> Result<StoreLock, StoreError> {
        let path = dir.join(LOCK_FILE);
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| match e.kind() {
                io::ErrorKind::PermissionDenied => StoreError::ReadOnly,
                _ => StoreError::io(&path)(e),
            })?;
        Ok(StoreLock(Arc::new(Mutex::new(State {
            file,
            shared: 0,
            exclusive: 0,
        }))))
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while holding the mutex leaves counts that are still right.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn shared(&self) -> Result<Hold, StoreError> {
        let mut state = self.state();
        if state.shared == 0 && state.exclusive == 0 {
            acquire(&state.file, Kind::Shared)?;
        }
        state.shared += 1;
        Ok(Hold(self.clone()))
    }

    pub fn exclusive(&self) -> Result<Exclusive, StoreError> {
        let mut state = self.state();
        if state.exclusive == 0 {
            if state.shared > 0 {
                // Our own shared hold would keep us waiting for ever.
                let _ = state.file.unlock();
            }
            if let Err(e) = acquire(&state.file, Kind::Exclusive) {
                if state.shared > 0 {
                    let _ = state.file.lock_shared();
                }
                return Err(e);
            }
        }
        state.exclusive += 1;
        Ok(Exclusive(self.clone()))
    }
}

impl Drop for Hold {
    fn drop(&mut self) {
        let mut state = self.0.state();
        state.shared -= 1;
        if state.shared == 0 && state.exclusive == 0 {
            let _ = state.file.unlock();
        }
    }
}

impl Drop for Exclusive {
    fn drop(&mut self) {
        let mut state = self.0.state();
        state.exclusive -= 1;
        if state.exclusive == 0 {
            let _ = state.file.unlock();
            if state.shared > 0 {
                // Back to the shared hold the caller still has; whoever changes the keys
                // meanwhile is caught by the next refresh.
                let _ = state.file.lock_shared();
            }
        }
    }
}

fn acquire(file: &File, kind: Kind) -> Result<(), StoreError> {
    let started = Instant::now();
    let mut told = false;
    loop {
        let tried = match kind {
            Kind::Shared => file.try_lock_shared(),
            Kind::Exclusive => file.try_lock(),
        };
        match tried {
            Ok(()) => return Ok(()),
            Err(TryLockError::WouldBlock) => {}
            Err(TryLockError::Error(e)) => {
                return Err(StoreError::io(LOCK_FILE)(e));
            }
        }
        let waited = started.elapsed();
        if waited >= WAIT_LIMIT {
            return Err(StoreError::Busy);
        }
        if !told && waited >= QUIET {
            told = true;
            notify(match kind {
                Kind::Shared => Wait::KeyChange,
                Kind::Exclusive => Wait::Writer,
            });
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use super::*;

    fn is_free(dir: &Path, kind: Kind) -> bool {
        let file = File::open(dir.join(LOCK_FILE)).unwrap();
        match kind {
            Kind::Shared => file.try_lock_shared(),
            Kind::Exclusive => file.try_lock(),
        }
        .is_ok()
    }

    #[test]
    fn nested_holds_share_one_lock_and_the_last_one_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let lock = StoreLock::open(dir.path()).unwrap();
        let outer = lock.shared().unwrap();
        let inner = lock.shared().unwrap();
        assert!(is_free(dir.path(), Kind::Shared));
        assert!(!is_free(dir.path(), Kind::Exclusive));
        drop(inner);
        assert!(!is_free(dir.path(), Kind::Exclusive));
        drop(outer);
        assert!(is_free(dir.path(), Kind::Exclusive));
    }

    #[test]
    fn exclusive_inside_a_shared_hold_goes_back_to_shared() {
        let dir = tempfile::tempdir().unwrap();
        let lock = StoreLock::open(dir.path()).unwrap();
        let hold = lock.shared().unwrap();
        let exclusive = lock.exclusive().unwrap();
        assert!(!is_free(dir.path(), Kind::Shared));
        // Holds taken meanwhile nest inside the exclusive one.
        drop(lock.shared().unwrap());
        assert!(!is_free(dir.path(), Kind::Shared));
        drop(exclusive);
        assert!(is_free(dir.path(), Kind::Shared));
        assert!(!is_free(dir.path(), Kind::Exclusive));
        drop(hold);
        assert!(is_free(dir.path(), Kind::Exclusive));
    }

    #[test]
    fn a_wait_that_lasts_is_told_and_ends_when_the_other_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let lock = StoreLock::open(dir.path()).unwrap();
        let other = File::open(dir.path().join(LOCK_FILE)).unwrap();
        other.lock().unwrap();
        let (told, heard) = mpsc::channel();
        on_wait(move |wait| told.send(wait).unwrap());
        // The other process lets go once this one has said it is waiting.
        let other = std::thread::spawn(move || {
            let wait = heard.recv().unwrap();
            other.unlock().unwrap();
            wait
        });
        let hold = lock.shared().unwrap();
        assert_eq!(other.join().unwrap(), Wait::KeyChange);
        assert!(!is_free(dir.path(), Kind::Exclusive));
        drop(hold);
    }
}
