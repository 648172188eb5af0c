//! An office's store: the shared database layer ([`Store`]) and what only an office does
//! with it — logging calls, cases, people and referrals, drafts of forms being typed, the
//! office side of the exchange (batches out, receipts and packs in), and retention.
//! Central's store is a [`super::CentralStore`]: it has none of these, so nothing at central
//! can write a record that would belong to no office.

mod backup;
mod calls;
mod cases;
mod delivery;
mod drafts;
mod exchange;
mod phone_keys;
mod referrals;
mod retention;

use std::ops::{Deref, DerefMut};

use super::Store;

pub use drafts::Draft;
pub use exchange::{BatchStart, OutboxBatch, ReadAhead};
pub use retention::RetentionReport;

/// An unlocked office store.
#[derive(Debug)]
pub struct OfficeStore(pub(super) Store);

impl Deref for OfficeStore {
    type Target = Store;

    fn deref(&self) -> &Store {
        &self.0
    }
}

impl DerefMut for OfficeStore {
    fn deref_mut(&mut self) -> &mut Store {
        &mut self.0
    }
}
