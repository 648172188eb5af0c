//! The one error type the command line and the TUI see, and the exit status each maps to.

use std::path::PathBuf;

use crate::exchange::ExchangeError;
use crate::keys::KeyError;
use crate::store::StoreError;

/// Exit status: the operation failed (wrong passphrase, rejected input, damaged file…).
pub const EXIT_FAILED: u8 = 1;
/// Exit status: the command line or the configuration is wrong.
pub const EXIT_USAGE: u8 = 2;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line, the environment or a setting is wrong.
    #[error("{0}")]
    Usage(String),
    /// Input was read but refused.
    #[error("{0}")]
    Input(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error(transparent)]
    Exchange(#[from] ExchangeError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Error {
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io { path, source }
    }

    /// 2 for usage and configuration errors, 1 for everything that failed on the way.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) => EXIT_USAGE,
            Error::Store(e) | Error::Exchange(ExchangeError::Store(e)) => store_exit_code(e),
            Error::Key(e) | Error::Exchange(ExchangeError::Key(e)) => key_exit_code(e),
            Error::Input(_) | Error::Exchange(_) | Error::Io { .. } => EXIT_FAILED,
        }
    }
}

fn store_exit_code(error: &StoreError) -> u8 {
    match error {
        StoreError::NoStore { .. } | StoreError::Config(_) | StoreError::AlreadyExists { .. } => {
            EXIT_USAGE
        }
        StoreError::Key(e) => key_exit_code(e),
        _ => EXIT_FAILED,
    }
}

fn key_exit_code(error: &KeyError) -> u8 {
    match error {
        KeyError::UnknownOperator { .. } => EXIT_USAGE,
        _ => EXIT_FAILED,
    }
}
