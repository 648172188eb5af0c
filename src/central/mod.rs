//! Central: its own store and keys, and the registry of the offices it enrolled.

pub mod backup;
pub mod callers;
mod check;
mod csv;
pub mod export;
pub mod figures;
pub mod import;
pub mod pack;
pub mod public;
pub mod registry;
pub mod report;
pub mod status;
pub mod sync;

pub use registry::{CentralSetup, enroll, init_central, register, revoke};
