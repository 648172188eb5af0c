//! Widgets every screen shares.

pub mod form;
pub mod keybar;
pub mod picker;
pub mod text;
