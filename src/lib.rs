//! linea: a call and referral log for anti-human-trafficking hotlines.
//!
//! Data flows one way: `cli` → `central` → `exchange` → `store` → `keys` → `model`.

pub mod central;
pub mod cli;
pub mod demo;
pub mod error;
pub mod exchange;
pub mod i18n;
pub mod keys;
pub mod model;
pub mod platform;
pub mod store;
pub mod tui;
