//! Views become documents: every record, ranking and list the CLI prints
//! and the interface draws is first a `Doc` of titles, label → value rows,
//! lines and tables, its spans marked with what they mean. The CLI prints
//! it (`cli::print`), the TUI draws it (`tui::widgets::doc`); nothing
//! parses text back to guess which line was a title.
//!
//! On the API's views and `i18n` only: never on the store, the engines,
//! the server, the CLI or the TUI.

pub mod care;
pub mod directory;
pub mod doc;
pub mod figures;
pub mod labels;
pub mod lists;
pub mod matching;
pub mod reception;
pub mod record;
pub mod search;
#[cfg(test)]
pub(crate) mod tests;

pub use directory::{ambit, operator, service};
pub use doc::{Block, Doc, Field, Fields, Span, Tone};
pub use matching::{
    family_candidate, family_ranking, fit_spans, need_candidate, need_ranking, profile_ranking, verdict,
};
pub use record::{family, need, placement, proposal, proposal_card};

/// Every catalogue of words of the documents.
pub const CATALOGUES: &[crate::i18n::Catalogue] = &[
    labels::L::CATALOGUE,
    lists::Head::CATALOGUE,
    lists::ListWords::CATALOGUE,
    lists::KindShort::CATALOGUE,
    lists::SlotShort::CATALOGUE,
    lists::StatusShort::CATALOGUE,
    record::CardWords::CATALOGUE,
    care::CareWords::CATALOGUE,
    record::StepWords::CATALOGUE,
    matching::RankWords::CATALOGUE,
    reception::ReceptionWords::CATALOGUE,
    figures::FigureWords::CATALOGUE,
];
