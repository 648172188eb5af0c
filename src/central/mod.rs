//! Central: its own store and keys, and the registry of the offices it enrolled.

pub mod registry;

pub use registry::{CentralSetup, enroll, init_central, register};
