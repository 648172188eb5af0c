//! Keys: the store key and the slots that unwrap it, the signing keys, and secret types.
//!
//! A store is opened with a random 256-bit key. That key is kept in one age file,
//! `keys/store.key.age`, with one recipient stanza per operator and one for central's recovery
//! key. Each operator holds an age X25519 identity in their own slot file,
//! `keys/operators/NAME.age`, encrypted to their passphrase with scrypt. The two layers let the
//! office lead remove an operator and rotate the store key without knowing anyone's passphrase.

pub mod phone;
mod secret;
pub mod signing;
pub mod slots;

pub use phone::{PhoneKey, PhoneKeys};
pub use secret::{MIN_PASSPHRASE_CHARS, Passphrase, StoreKey};
pub use signing::{PublicSigningKey, SignatureCheck, SigningKey};
pub use slots::{AgeIdentity, KeyDir, OperatorIdentity, RecoveryIdentity, WorkFactor};

use std::path::PathBuf;

/// What can go wrong with keys; each message says what to do next.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(
        "wrong passphrase for operator '{operator}'; try again; if it is forgotten, the office lead can remove you and add you again"
    )]
    WrongPassphrase { operator: String },
    #[error(
        "the key slot {path} asks for scrypt work factor {required}, above the limit of {limit}; it was not made by linea: restore the slot from a backup"
    )]
    ExcessiveWork {
        path: PathBuf,
        required: u8,
        limit: u8,
    },
    #[error("no operator '{operator}' in this store; operators: {known}")]
    UnknownOperator { operator: String, known: String },
    #[error(
        "the key file {path} is damaged or not a linea key file ({reason}); restore it from a backup or recover the store with central's recovery key"
    )]
    Malformed { path: PathBuf, reason: String },
    #[error("{path}: the store key could not be opened with this key ({reason})")]
    NotARecipient { path: PathBuf, reason: String },
    #[error("the recovery identity in {path} is not an age X25519 identity (AGE-SECRET-KEY-1…)")]
    BadRecoveryIdentity { path: PathBuf },
    #[error("signature check failed: {0}")]
    Signature(String),
    #[error("the public key '{0}' is not a minisign public key")]
    BadPublicKey(String),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl KeyError {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> KeyError {
        let path = path.into();
        move |source| KeyError::Io { path, source }
    }
}
