//! One search over the whole bank for quick lookups: codes, names (where
//! the caller may see them), comuni, services, operators; fuzzy, with
//! filters, permission-aware in the core.

pub use crate::model::fold;
mod index;
pub mod query;
mod score;
pub mod sound;
mod vocabulary;

pub use index::{Hit, SearchIndex, SearchResult};
pub use query::{parse, HitKind, Query, Word};
