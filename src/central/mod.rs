//! Central: its own store and keys, and the registry of the offices it enrolled.

pub mod import;
pub mod registry;
pub mod sync;

pub use registry::{CentralSetup, enroll, init_central, register};
