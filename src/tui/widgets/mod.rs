//! Pieces every screen draws with.

pub mod list;
pub mod text;
pub mod form;
