//! Pieces every screen draws with.

pub mod form;
pub mod line_editor;
pub mod list;
pub mod prompt;
pub mod text;
