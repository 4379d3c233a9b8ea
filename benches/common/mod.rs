//! What the bench programs share.

use std::process::Command;

/// Runs a command (`banca stop`) when dropped: a bench stops the servers it started, even when it fails.
pub struct StopOnDrop(pub Command);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        let _ = self.0.output();
    }
}

/// A size or count from the environment, e.g. `BENCH_FAMILIES=10000`.
pub fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}
