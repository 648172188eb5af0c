//! What travels between offices and central: office kits and enrollment files now; batches,
//! receipts and reference packs (EXCHANGE.md) build on the same signed envelope.

pub mod age_header;
pub mod batch;
pub mod enrollment;
pub mod file;
pub mod mail;
pub mod pack;
pub mod rejection;
pub mod signed;
pub mod stick;
pub mod sync;

use std::path::PathBuf;

use crate::keys::KeyError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    #[error("{path}: {reason}")]
    Rejected { path: PathBuf, reason: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl ExchangeError {
    pub(crate) fn rejected(path: impl Into<PathBuf>, reason: impl Into<String>) -> ExchangeError {
        ExchangeError::Rejected {
            path: path.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> ExchangeError {
        let path = path.into();
        move |source| ExchangeError::Io { path, source }
    }
}
