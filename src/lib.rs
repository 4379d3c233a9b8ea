//! banca — the shared bank of foster families of a province's foster
//! services (Banca Provinciale Famiglie Affidatarie).
//!
//! Layers, each on those before it (tests/layers.rs keeps it so): `model`
//! (plain types, validation, `RecordKind`) → `api` (the wire's types) →
//! `store` (sled, codec, indexes, audit), `access`, `matching`, `search` →
//! `bank` (every operation as a `Request`) → `server`; clients (`cli`,
//! `tui`) speak `api` through `protocol` and `client`, and only the
//! binary's dispatcher (`cli/mod.rs`) starts what runs a bank in process
//! (`server::entry`, `demo`) or the interface.

pub mod access;
pub mod api;
pub mod bank;
pub mod cli;
pub mod client;
pub mod config;
#[cfg(feature = "demo")]
pub mod demo;
pub mod figures;
pub mod i18n;
pub mod logging;
pub mod matching;
pub mod model;
pub mod present;
pub mod protocol;
pub mod search;
pub mod server;
pub mod store;
pub mod tui;

/// Every catalogue of words, layer by layer (`model::catalogue`): the
/// completeness test in `i18n::catalogue` reads them all.
pub fn catalogues() -> Vec<&'static i18n::Catalogue> {
    [
        model::catalogue::CATALOGUES,
        api::CATALOGUES,
        i18n::catalogue::CATALOGUES,
        present::CATALOGUES,
        cli::words::CATALOGUES,
        tui::text::CATALOGUES,
    ]
    .into_iter()
    .flatten()
    .collect()
}
