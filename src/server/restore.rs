//! A restore into a new bank, done where the server would do it: in a
//! staging folder beside the bank (`<bank>.restore-<pid>`, owner-only),
//! through the core's own restore, checked by opening it again, and renamed
//! to the bank's path only then, and only if nothing took that path
//! meanwhile. A restore that fails removes its staging folder: the bank's
//! path is never created, never half-written.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::api::{BankError, ImportSummary, Reply};
use crate::bank::{Actor, Bank, BankConfig, SystemClock};
use crate::store::StoreError;

/// Why the restore did not happen: a type of `api`, worded at the edge.
pub use crate::api::RestoreFailure;

impl From<StoreError> for RestoreFailure {
    fn from(e: StoreError) -> Self {
        RestoreFailure::Open(e.into())
    }
}

/// sled's page cache while a restore is built.
const STAGING_CACHE: u64 = 8 << 20;

/// Where a restore into `bank` is built.
pub fn staging_path(bank: &Path) -> PathBuf {
    let name = bank.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "bank".into());
    bank.with_file_name(format!("{name}.restore-{}", std::process::id()))
}

/// Restores the file's bytes (`chunks`, as read) into a new bank at
/// `bank`, which must not exist, as the Unix user `user` (the caller, who
/// will own the bank as an auto-started server would).
pub fn restore_new_bank(
    bank: &Path,
    config: BankConfig,
    user: &str,
    source: &Path,
    chunks: impl IntoIterator<Item = std::io::Result<Vec<u8>>>,
) -> Result<ImportSummary, RestoreFailure> {
    // A restore writes in key order and reads nothing back: a small page
    // cache does (sled holds several times its cache in memory).
    let config = BankConfig { cache_bytes: config.cache_bytes.min(STAGING_CACHE), ..config };
    let staging = staging_path(bank);
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| RestoreFailure::Io { path, source }
    };
    // A folder of this name is a restore of a process that had our pid and died.
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(io(&staging))?;
    }
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(&staging).map_err(io(&staging))?;
    }
    let built = build(&staging, config, user, source, chunks).and_then(|summary| {
        rename_into_place(&staging, bank)?;
        Ok(summary)
    });
    if built.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    built
}

fn build(
    staging: &Path,
    config: BankConfig,
    user: &str,
    source: &Path,
    chunks: impl IntoIterator<Item = std::io::Result<Vec<u8>>>,
) -> Result<ImportSummary, RestoreFailure> {
    let bank = Bank::open(staging, config.clone(), true, Arc::new(SystemClock::new()))?;
    let mut restore = bank.begin_restore(&Actor::server_user(user))?;
    for chunk in chunks {
        let bytes = chunk.map_err(|e| RestoreFailure::Io { path: source.to_path_buf(), source: e })?;
        restore.feed(&bytes);
        if restore.settled() {
            break;
        }
    }
    let summary = match restore.finish_for_closing()? {
        Reply::Imported(summary) => summary,
        other => return Err(BankError::Storage(format!("unexpected reply to a restore: {other:?}")).into()),
    };
    bank.store().flush()?;
    drop(bank);
    // Proof that it opens as the server will open it: a bank, of this format,
    // with no import left unfinished. (Every record was proved readable as it
    // was written.)
    let options =
        crate::store::OpenOptions { create: false, cache_bytes: config.cache_bytes, disk_reserve: config.disk_reserve };
    drop(crate::store::Store::open(staging, &options)?);
    Ok(summary)
}

/// Renames the whole staging folder to the bank's path, never over
/// anything already there (RENAME_NOREPLACE), then makes the rename durable.
fn rename_into_place(staging: &Path, bank: &Path) -> Result<(), RestoreFailure> {
    use nix::fcntl::{renameat2, RenameFlags, AT_FDCWD};
    let appeared = || RestoreFailure::Appeared { path: bank.to_path_buf() };
    match renameat2(AT_FDCWD, staging, AT_FDCWD, bank, RenameFlags::RENAME_NOREPLACE) {
        Ok(()) => {}
        Err(nix::errno::Errno::EEXIST) => return Err(appeared()),
        // A file system without RENAME_NOREPLACE: look, then rename.
        Err(nix::errno::Errno::EINVAL) if !bank.exists() => {
            std::fs::rename(staging, bank).map_err(|source| RestoreFailure::Io { path: bank.to_path_buf(), source })?
        }
        Err(nix::errno::Errno::EINVAL) => return Err(appeared()),
        Err(e) => return Err(RestoreFailure::Io { path: bank.to_path_buf(), source: e.into() }),
    }
    if let Some(parent) = bank.parent() {
        if let Ok(dir) = std::fs::File::open(parent) {
            let _ = dir.sync_all();
        }
    }
    Ok(())
}
