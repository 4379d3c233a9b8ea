//! The CLI's catalogues, listed for the completeness test
//! (`i18n::catalogue`): each command's words live in its own file.

use crate::i18n::Catalogue;

/// Every catalogue of the CLI.
pub const CATALOGUES: &[Catalogue] = &[
    super::MainWords::CATALOGUE,
    super::admin::AdminWords::CATALOGUE,
    super::available::AvailableWords::CATALOGUE,
    super::session::SessionWords::CATALOGUE,
    super::doctor::DoctorWords::CATALOGUE,
    super::directory::DirectoryWords::CATALOGUE,
    super::family::FamilyWords::CATALOGUE,
    super::pathway::PathwayWords::CATALOGUE,
    super::event::EventWords::CATALOGUE,
    super::find::FindWords::CATALOGUE,
    super::history::HistoryWords::CATALOGUE,
    super::language::LanguageWords::CATALOGUE,
    super::need::NeedWords::CATALOGUE,
    super::parse::ParseWords::CATALOGUE,
    super::placement::PlacementWords::CATALOGUE,
    super::proposal::ProposalWords::CATALOGUE,
    super::watch::WatchWords::CATALOGUE,
];
