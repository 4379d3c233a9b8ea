//! Free space on the bank's filesystem, checked before every write.
//!
//! sled cannot take a write back: once a transaction is applied it lives in
//! sled's memory, and if the flush then fails (ENOSPC) sled refuses every
//! later operation until the process restarts. So a write is refused
//! *before* sled sees it when the filesystem has less than a reserve left:
//! the refusal leaves no trace, and writes resume by themselves once space
//! is freed. The reserve covers what sled may write beyond the records
//! themselves (a new 512 KiB log segment, segments rewritten by its cleaner,
//! a snapshot of the page table) and what others write to the same disk
//! between the check and the flush.

use std::path::Path;

/// The smallest default reserve.
pub const MIN_RESERVE: u64 = 64 << 20;
/// The largest default reserve: 1 % of a large disk is more than sled needs.
pub const MAX_DEFAULT_RESERVE: u64 = 1 << 30;

/// What the filesystem holding the bank has left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Space {
    /// Bytes an unprivileged user may still write (statvfs `f_bavail`).
    pub available: u64,
    /// Size of the filesystem in bytes.
    pub total: u64,
}

/// Reads the free space of the filesystem holding `path`.
pub fn space(path: &Path) -> std::io::Result<Space> {
    let s = nix::sys::statvfs::statvfs(path).map_err(std::io::Error::from)?;
    let unit = s.fragment_size() as u64;
    Ok(Space { available: s.blocks_available() as u64 * unit, total: s.blocks() as u64 * unit })
}

/// The reserve kept free: the one configured, else the larger of 64 MiB and
/// 1 % of the filesystem, at most 1 GiB.
pub fn reserve(configured: Option<u64>, total: u64) -> u64 {
    configured.unwrap_or_else(|| (total / 100).clamp(MIN_RESERVE, MAX_DEFAULT_RESERVE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_reserve_is_64_mib_to_1_gib() {
        assert_eq!(reserve(None, 1 << 30), 64 << 20, "1 GiB disk: 64 MiB");
        assert_eq!(reserve(None, 10 << 30), 107_374_182, "10 GiB disk: 1 %");
        assert_eq!(reserve(None, 1 << 40), 1 << 30, "1 TiB disk: at most 1 GiB");
        assert_eq!(reserve(Some(0), 1 << 40), 0, "configured: as configured");
    }
}
