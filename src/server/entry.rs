//! The binary's commands that work on a bank in this process, one entry
//! each: `banca serve`, and `banca import` into a new bank with no server.
//! The CLI parses their arguments and prints their outcome; the work, and
//! every type of the bank and the server it needs, is here.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::api::{ImportSummary, RestoreFailure, ServeFailure};
use crate::bank::BankConfig;
use crate::config::ConfigFile;

use super::admission::HeavyLimits;
use super::Limits;

/// Records a page of a list holds at most, unless `--page-size` says otherwise.
pub use crate::bank::PAGE_SIZE;

/// `banca serve`'s options, as the CLI checked them (every count at least 1).
#[derive(Debug, Clone)]
pub struct ServeCommand {
    pub db: PathBuf,
    pub socket: PathBuf,
    /// Exit this long after the last client left.
    pub idle_exit: Option<Duration>,
    pub group: Option<String>,
    /// Create the bank folder if missing.
    pub create: bool,
    pub max_connections: usize,
    pub max_per_user: usize,
    pub max_heavy: usize,
    pub max_heavy_per_user: usize,
    pub page_size: usize,
    /// A connection without requests is closed after this long (`None`: the default).
    pub idle_timeout: Option<Duration>,
    /// `--disk-reserve-mb`, over the configuration file's.
    pub disk_reserve_mb: Option<u64>,
}

/// Runs the server in this process until it is stopped. `ready` gets where
/// the log goes once the socket answers.
pub fn serve(command: ServeCommand, config: &ConfigFile, ready: impl FnOnce(&str)) -> Result<(), ServeFailure> {
    // Everything the server creates (bank files, log) is its user's only.
    nix::sys::stat::umask(nix::sys::stat::Mode::from_bits_truncate(0o077));
    let defaults = Limits::default();
    let limits = Limits {
        per_user: command.max_per_user,
        total: command.max_connections,
        idle: command.idle_timeout.unwrap_or(defaults.idle),
        ..defaults
    };
    let heavy = HeavyLimits { per_user: command.max_heavy_per_user, total: command.max_heavy, ..Default::default() };
    let mut bank = bank_config(config);
    bank.page_size = command.page_size;
    if let Some(mb) = command.disk_reserve_mb {
        bank.disk_reserve = Some(mb * 1024 * 1024);
    }
    super::init_logging();
    let options = super::ServeOptions {
        db: command.db,
        socket: command.socket,
        idle_exit: command.idle_exit,
        group: command.group,
        create: command.create,
        bank,
        limits,
        heavy,
    };
    super::serve(&options, || ready(&super::log_location()))
}

/// `banca import FILE` with no server and no bank yet: the file's bytes
/// (`chunks`, as read) restored into a new bank at `bank`, owned by the
/// caller as an auto-started server would own it (`server::restore`).
pub fn restore_new_bank(
    bank: &Path,
    config: &ConfigFile,
    file: &Path,
    chunks: impl IntoIterator<Item = std::io::Result<Vec<u8>>>,
) -> Result<ImportSummary, RestoreFailure> {
    let user = super::user_name(nix::unistd::geteuid().as_raw());
    super::restore::restore_new_bank(bank, bank_config(config), &user, file, chunks)
}

/// The bank's configuration: the file's settings over the defaults.
fn bank_config(config: &ConfigFile) -> BankConfig {
    let defaults = BankConfig::default();
    BankConfig {
        stale_after_months: config.stale_after_months.unwrap_or(defaults.stale_after_months),
        small_cell: config.small_cell.unwrap_or(defaults.small_cell),
        cache_bytes: config.cache_mb.map(|mb| mb * 1024 * 1024).unwrap_or(defaults.cache_bytes),
        matching: config.matching.clone().unwrap_or_default(),
        care: config.care.unwrap_or_default(),
        disk_reserve: config.disk_reserve_mb.map(|mb| mb * 1024 * 1024),
        ..defaults
    }
}
