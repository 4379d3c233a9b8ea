//! Pieces every screen draws with.

pub mod form;
pub mod list;
pub mod text;
