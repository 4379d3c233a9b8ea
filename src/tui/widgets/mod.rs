//! Pieces every screen draws with.

pub mod doc;
pub mod form;
pub mod line_editor;
pub mod list;
pub mod placement_forms;
pub mod prompt;
pub mod text;
