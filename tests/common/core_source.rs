//! The interface's data from the real core in this process, as one
//! operator: what tests and benchmarks give the interface instead of a
//! server (`banca::tui::Source`). src/tui never names the bank; this file
//! is shared by tests/common (`mod core_source`) and benches/tui.rs (`#[path]`).

use std::sync::Arc;

use banca::api::{Reply, Request};
use banca::bank::{Actor, Bank};
use banca::tui::{CallError, Source};

/// A bank in this process, as an operator.
pub struct CoreSource {
    pub bank: Arc<Bank>,
    pub actor: Actor,
}

impl Source for CoreSource {
    fn call(&mut self, request: Request) -> Result<Reply, CallError> {
        self.bank.handle(&self.actor, request).map_err(CallError::Bank)
    }
}
