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
//! Shared holds overlap, so alone they could keep an exclusive request waiting for ever. A
//! second file is the turnstile: an exclusive request takes it first and keeps it while it
//! waits for the lock file; a shared request passes through it (takes it shared, only while
//! it takes the lock file). So once a process waits to change the keys, no new shared hold
//! begins: it goes next.
//!
//! Within a process a [`StoreLock`] counts its holds, so nested ones share one lock, and one
//! taken exclusive while the store is held shared lets the shared hold go while it waits,
//! and takes it back after through the turnstile like any other (see
//! `Store::exclusively`). A process that must wait says so through its thread's notice (the
//! desk on its message line, the command line on stderr) and gives up after [`WAIT_LIMIT`],
//! saying so.

use std::cell::RefCell;
use std::fs::{File, OpenOptions, TryLockError};
use std::io;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::StoreError;

pub const LOCK_FILE: &str = "linea.lock";

/// Where a process that must have the store to itself waits its turn (see above).
pub const TURNSTILE_FILE: &str = "linea.turnstile";

/// How long a process waits for another before it gives up: far longer than rotating the
/// key of a large store, a purge step or importing the largest batch.
pub const WAIT_LIMIT: Duration = Duration::from_secs(600);

/// Shorter waits pass without a word.
pub(super) const QUIET: Duration = Duration::from_millis(500);

/// What a process is waiting for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// Another linea is changing the store's keys (an operator added or removed), or
    /// waits to.
    KeyChange,
    /// Another linea is writing to the store (a save, a sync, an import, a purge step).
    Writer,
    /// This linea waits to change the store's keys until the others using the store (a
    /// desk, a command, reading or writing) let it go.
    InUse,
}

impl std::fmt::Display for Wait {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Wait::KeyChange => {
                "waiting for another linea to finish changing this store's keys (an operator added or removed)…"
            }
            Wait::Writer => "waiting for another linea to finish writing to this store…",
            Wait::InUse => {
                "waiting for another linea on this store (a desk or a command) to let it go, to change its keys…"
            }
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
    turnstile: File,
    shared: usize,
    exclusive: usize,
    /// What this process has of the lock file. Shared holds counted with nothing had: one
    /// that could not be taken back after an exclusive one; the next hold takes it.
    had: Option<Kind>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Shared,
    Exclusive,
}

/// A shared hold on the store: what is read and written meanwhile is under one key.
pub struct Hold(StoreLock);

/// The store to itself, for changing its keys.
pub(crate) struct Exclusive(StoreLock);

impl StoreLock {
    /// Opens (creating if needed) the lock files of the store in `dir`. These are the first
    /// files an unlock writes, so a folder linea may not write in is reported here.
    pub fn open(dir: &Path) -> Result<StoreLock, StoreError> {
        let open = |name: &str| {
            let path = dir.join(name);
            OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(|e| match e.kind() {
                    io::ErrorKind::PermissionDenied => StoreError::ReadOnly,
                    _ => StoreError::io(&path)(e),
                })
        };
        Ok(StoreLock(Arc::new(Mutex::new(State {
            file: open(LOCK_FILE)?,
            turnstile: open(TURNSTILE_FILE)?,
            shared: 0,
            exclusive: 0,
            had: None,
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
        if state.had.is_none() {
            state.acquire(Kind::Shared)?;
        }
        state.shared += 1;
        Ok(Hold(self.clone()))
    }

    pub fn exclusive(&self) -> Result<Exclusive, StoreError> {
        let mut state = self.state();
        if state.had != Some(Kind::Exclusive) {
            // Our own shared hold would keep us waiting for ever. Should the wait fail, the
            // next hold takes it back.
            state.release();
            state.acquire(Kind::Exclusive)?;
        }
        state.exclusive += 1;
        Ok(Exclusive(self.clone()))
    }

    /// Whether this process holds the store shared (an exclusive hold aside).
    pub fn is_shared(&self) -> bool {
        self.state().shared > 0
    }
}

impl Drop for Hold {
    fn drop(&mut self) {
        let mut state = self.0.state();
        state.shared -= 1;
        if state.shared == 0 && state.exclusive == 0 {
            state.release();
        }
    }
}

impl Drop for Exclusive {
    fn drop(&mut self) {
        let mut state = self.0.state();
        state.exclusive -= 1;
        if state.exclusive == 0 {
            state.release();
            if state.shared > 0 {
                // Back to the shared hold the caller still has, through the turnstile: a
                // process waiting to change the keys goes first, so the caller must catch
                // up after (see `Store::exclusively`). Should it fail, the next hold retries.
                let _ = state.acquire(Kind::Shared);
            }
        }
    }
}

impl State {
    fn release(&mut self) {
        if self.had.take().is_some() {
            let _ = self.file.unlock();
        }
    }

    /// Takes the lock file as `kind`, waiting for others as long as [`WAIT_LIMIT`] and
    /// saying so once the wait lasts.
    fn acquire(&mut self, kind: Kind) -> Result<(), StoreError> {
        let started = Instant::now();
        let mut told = false;
        let mut queued = false;
        let taken = loop {
            match self.try_acquire(kind, &mut queued) {
                Ok(true) => break Ok(()),
                Ok(false) => {}
                Err(e) => break Err(e),
            }
            let waited = started.elapsed();
            if waited >= WAIT_LIMIT {
                break Err(StoreError::Busy);
            }
            if !told && waited >= QUIET {
                told = true;
                notify(match kind {
                    Kind::Shared => Wait::KeyChange,
                    Kind::Exclusive => Wait::InUse,
                });
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        if queued {
            let _ = self.turnstile.unlock();
        }
        if taken.is_ok() {
            self.had = Some(kind);
        }
        taken
    }

    /// One try: an exclusive request first queues (takes the turnstile, and keeps it until
    /// it is done waiting); a shared one passes through the turnstile while it tries.
    fn try_acquire(&self, kind: Kind, queued: &mut bool) -> Result<bool, StoreError> {
        match kind {
            Kind::Exclusive => {
                *queued = *queued || try_lock(&self.turnstile, TURNSTILE_FILE, Kind::Exclusive)?;
                Ok(*queued && try_lock(&self.file, LOCK_FILE, Kind::Exclusive)?)
            }
            Kind::Shared => {
                if !try_lock(&self.turnstile, TURNSTILE_FILE, Kind::Shared)? {
                    return Ok(false);
                }
                let taken = try_lock(&self.file, LOCK_FILE, Kind::Shared);
                let _ = self.turnstile.unlock();
                taken
            }
        }
    }
}

fn try_lock(file: &File, name: &str, kind: Kind) -> Result<bool, StoreError> {
    let tried = match kind {
        Kind::Shared => file.try_lock_shared(),
        Kind::Exclusive => file.try_lock(),
    };
    match tried {
        Ok(()) => Ok(true),
        Err(TryLockError::WouldBlock) => Ok(false),
        Err(TryLockError::Error(e)) => Err(StoreError::io(name)(e)),
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

    #[test]
    fn once_a_process_waits_to_change_the_keys_new_holds_wait_behind_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_owned();
        // A desk or a command at work.
        let working = StoreLock::open(&path).unwrap();
        let hold = working.shared().unwrap();
        let order = Arc::new(Mutex::new(Vec::new()));
        // Each other process says when it waits (`Some`) and when it has the lock (`None`).
        let (said, heard) = mpsc::channel();
        let process = |name: &'static str, kind: Kind| {
            let (path, order, said) = (path.clone(), order.clone(), said.clone());
            std::thread::spawn(move || {
                let told = said.clone();
                on_wait(move |wait| told.send((name, Some(wait))).unwrap());
                let lock = StoreLock::open(&path).unwrap();
                let held = match kind {
                    Kind::Shared => lock.shared().map(drop),
                    Kind::Exclusive => lock.exclusive().map(drop),
                };
                order.lock().unwrap().push(name);
                said.send((name, None)).unwrap();
                held.unwrap();
            })
        };
        let remover = process("remover", Kind::Exclusive);
        assert_eq!(heard.recv().unwrap(), ("remover", Some(Wait::InUse)));
        // Another command starts meanwhile: it waits its turn instead of overlapping.
        let newcomer = process("newcomer", Kind::Shared);
        assert_eq!(heard.recv().unwrap(), ("newcomer", Some(Wait::KeyChange)));
        drop(hold);
        remover.join().unwrap();
        newcomer.join().unwrap();
        assert_eq!(*order.lock().unwrap(), ["remover", "newcomer"]);
    }

    #[test]
    fn going_back_to_shared_lets_a_waiting_key_change_go_first_and_says_so() {
        use std::cell::Cell;
        use std::rc::Rc;

        let dir = tempfile::tempdir().unwrap();
        let lock = StoreLock::open(dir.path()).unwrap();
        let hold = lock.shared().unwrap();
        let exclusive = lock.exclusive().unwrap();
        let (queued, heard_queued) = mpsc::channel();
        let (told, heard_told) = mpsc::channel();
        let path = dir.path().to_owned();
        let other = std::thread::spawn(move || {
            on_wait(move |wait| queued.send(wait).unwrap());
            let lock = StoreLock::open(&path).unwrap();
            let exclusive = lock.exclusive().unwrap();
            // It has the store until the first process has said it waits for it.
            let _ = heard_told.recv();
            drop(exclusive);
        });
        assert_eq!(heard_queued.recv().unwrap(), Wait::InUse);
        let waited = Rc::new(Cell::new(None));
        let said = waited.clone();
        on_wait(move |wait| {
            said.set(Some(wait));
            told.send(()).unwrap();
        });
        drop(exclusive);
        let shared_again =
            is_free(dir.path(), Kind::Shared) && !is_free(dir.path(), Kind::Exclusive);
        drop(hold);
        // Lets the other go, should it be still waiting to be told.
        on_wait(|_| {});
        other.join().unwrap();
        assert_eq!(waited.get(), Some(Wait::KeyChange));
        assert!(shared_again);
    }
}
