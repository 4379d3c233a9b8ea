//! Pieces every screen draws with.

pub mod list;
pub mod prompt;
pub mod text;
