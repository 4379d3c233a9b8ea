//! banca — the shared bank of foster families of a province's foster
//! services (Banca Provinciale Famiglie Affidatarie).
//!
//! Layers: `model` (plain types, validation) → `store` (sled, codec,
//! indexes, audit) → `bank` (every operation as a `Request`, with `access`
//! deciding who sees what) → `cli` (a client of the bank).

pub mod access;
pub mod bank;
pub mod cli;
pub mod client;
pub mod config;
#[cfg(feature = "demo")]
pub mod demo;
pub mod i18n;
pub mod matching;
pub mod model;
pub mod protocol;
pub mod search;
pub mod server;
pub mod store;
pub mod tui;
