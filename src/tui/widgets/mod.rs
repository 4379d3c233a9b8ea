//! Pieces every screen draws with.

pub mod doc;
pub mod form;
pub mod list;
pub mod prompt;
pub mod text;
