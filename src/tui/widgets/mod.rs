//! Widgets every screen shares.

pub mod call_filter;
pub mod call_table;
pub mod form;
pub mod keybar;
pub mod picker;
pub mod scroll;
pub mod text;
