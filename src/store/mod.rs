//! The sled store: one tree per record kind, index trees, the audit tree
//! and a meta tree (format marker, code counters, audit head).
//!
//! Every change goes through [`Store::transact`]: one sled transaction over
//! all trees, flushed to disk before it returns.
//!
//! Nothing is shown that is not durable. sled makes a transaction visible in
//! its memory before the flush, and keeps it there if the flush fails; so a
//! write is refused before sled sees it when the disk is nearly full
//! (`space`), a reader waits for a flush in progress before answering
//! (`settled`), and a flush that fails leaves the store failed for good: it
//! takes and shows nothing more, and its process must restart on what is on
//! disk.

pub mod audit;
pub mod audit_hash;
mod cache;
pub mod codec;
mod open;
pub mod quarantine;
pub mod space;
mod tx;

use std::path::{Path, PathBuf};
use std::sync::{OnceLock, RwLock};
use std::time::Instant;

use sled::transaction::{TransactionError, TransactionalTree};
use sled::{IVec, Tree};

pub use cache::ReadOnce;
pub use codec::{CodecError, Versioned};
pub use open::OpenOptions;
pub(crate) use tx::{counter_key, index_prefix as index_key_prefix};
pub use tx::{StoreTx, TxAbort, TxResult};

use audit::{AuditEntry, ChainBreak, Verified};

/// Version of the store layout (trees, keys, meta). Bumped only with a migration.
pub const STORE_FORMAT: u32 = 1;

/// The trees, in the order transactions see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TreeId {
    Families,
    Needs,
    Services,
    Operators,
    Ambits,
    Proposals,
    Placements,
    IdxStatus,
    IdxService,
    IdxComune,
    IdxReferent,
    Audit,
    Meta,
    /// Records that no longer decode, set aside (`quarantine.rs`).
    Quarantine,
    /// The network's events (last: a tree's number is its place here).
    Events,
}

impl TreeId {
    pub const ALL: [TreeId; 15] = [
        TreeId::Families,
        TreeId::Needs,
        TreeId::Services,
        TreeId::Operators,
        TreeId::Ambits,
        TreeId::Proposals,
        TreeId::Placements,
        TreeId::IdxStatus,
        TreeId::IdxService,
        TreeId::IdxComune,
        TreeId::IdxReferent,
        TreeId::Audit,
        TreeId::Meta,
        TreeId::Quarantine,
        TreeId::Events,
    ];

    /// The tree that holds records of `kind`.
    pub fn of(kind: crate::model::RecordKind) -> TreeId {
        use crate::model::RecordKind;
        match kind {
            RecordKind::Family => TreeId::Families,
            RecordKind::Need => TreeId::Needs,
            RecordKind::Proposal => TreeId::Proposals,
            RecordKind::Placement => TreeId::Placements,
            RecordKind::Service => TreeId::Services,
            RecordKind::Operator => TreeId::Operators,
            RecordKind::Ambit => TreeId::Ambits,
            RecordKind::Event => TreeId::Events,
        }
    }

    /// The kind of record this tree holds; `None` for indexes, the audit log, meta and quarantine.
    pub fn kind(self) -> Option<crate::model::RecordKind> {
        crate::model::RecordKind::ALL.into_iter().find(|k| TreeId::of(*k) == self)
    }

    pub fn name(self) -> &'static str {
        match self {
            TreeId::Families => "families",
            TreeId::Needs => "needs",
            TreeId::Services => "services",
            TreeId::Operators => "operators",
            TreeId::Ambits => "ambits",
            TreeId::Proposals => "proposals",
            TreeId::Placements => "placements",
            TreeId::IdxStatus => "idx_status",
            TreeId::IdxService => "idx_service",
            TreeId::IdxComune => "idx_comune",
            TreeId::IdxReferent => "idx_referent",
            TreeId::Audit => "audit",
            TreeId::Meta => "meta",
            TreeId::Quarantine => "quarantine",
            TreeId::Events => "events",
        }
    }
}

/// Meta keys.
pub mod meta_key {
    pub const MARKER: &[u8] = b"banca";
    pub const MARKER_VALUE: &[u8] = b"banca famiglie affidatarie";
    pub const FORMAT: &[u8] = b"format";
    pub const AUDIT_HEAD: &[u8] = b"audit_head";
    pub const IMPORTING: &[u8] = b"importing";
    pub const RESTORED: &[u8] = b"restored";
    pub const COUNTER_PREFIX: &[u8] = b"counter/";
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the bank at {path} is open in another process — is `banca serve` running?")]
    Locked { path: PathBuf },
    #[error("there is no bank at {path}: create one with `banca init` or `banca demo`")]
    NoBank { path: PathBuf },
    #[error("{path} is not a banca bank")]
    NotABank { path: PathBuf },
    #[error("the bank at {path} has format {found}, newer than this banca ({supported}): update banca")]
    NewerFormat { path: PathBuf, found: u32, supported: u32 },
    #[error("an import into {path} did not finish: delete the folder and import again")]
    IncompleteImport { path: PathBuf },
    /// `key` as operators know it (a code), `raw_key` as stored: what the quarantine needs.
    #[error("record {key} in {tree} is damaged: {reason}")]
    Corrupt { tree: &'static str, key: String, raw_key: Vec<u8>, reason: String },
    #[error("record {key} in {tree} cannot be stored, nothing was saved: {reason}")]
    Unstorable { tree: &'static str, key: String, reason: String },
    /// Refused before anything was written: the disk has less than the reserve left.
    #[error("the disk holding {path} is full ({available} bytes free, {reserve} kept in reserve): nothing was saved")]
    DiskFull { path: PathBuf, available: u64, reserve: u64 },
    /// A write failed on disk, and the store takes nothing more
    /// (`Store::failure`). The disk may hold the write whole or not at all:
    /// sled may have written its bytes before the part that failed (the long
    /// run found both), and only reopening the bank tells.
    #[error("writing to {path} failed ({reason}): it may or may not be on disk")]
    WriteFailed { path: PathBuf, reason: String },
    /// An earlier write failed: the store answers nothing until reopened.
    #[error("the bank at {path} stopped after a failed write: {reason}")]
    Halted { path: PathBuf, reason: String },
    #[error("storage error: {0}")]
    Sled(#[from] sled::Error),
    #[error("file error on {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

/// The store's errors as the edge words them (`api::OpenFailure`): the
/// raw key, and sled's own error type, stay here.
impl From<StoreError> for crate::api::OpenFailure {
    fn from(e: StoreError) -> Self {
        use crate::api::OpenFailure as F;
        match e {
            StoreError::Locked { path } => F::Locked { path },
            StoreError::NoBank { path } => F::NoBank { path },
            StoreError::NotABank { path } => F::NotABank { path },
            StoreError::NewerFormat { path, found, supported } => F::NewerFormat { path, found, supported },
            StoreError::IncompleteImport { path } => F::IncompleteImport { path },
            StoreError::Corrupt { tree, key, reason, .. } => F::Corrupt { tree: tree.to_string(), key, reason },
            StoreError::Unstorable { tree, key, reason } => F::Unstorable { tree: tree.to_string(), key, reason },
            StoreError::DiskFull { path, available, reserve } => F::DiskFull { path, available, reserve },
            StoreError::WriteFailed { path, reason } => F::WriteFailed { path, reason },
            StoreError::Halted { path, reason } => F::Halted { path, reason },
            StoreError::Sled(e) => F::Storage(e.to_string()),
            StoreError::Io { path, source } => F::Io { path, source },
        }
    }
}

pub struct Store {
    db: sled::Db,
    trees: Vec<Tree>,
    path: PathBuf,
    /// Held for the store's life: one process per bank.
    _lock: nix::fcntl::Flock<std::fs::File>,
    /// Free space kept on the filesystem (`None`: `space::reserve`'s default).
    disk_reserve: Option<u64>,
    /// Held for writing from a transaction's start to the end of its flush:
    /// a reader takes it for reading to know that what it read is durable.
    commit: RwLock<()>,
    /// Why a write failed, and when: from then on the store is failed.
    failure: OnceLock<(String, Instant)>,
    /// When the log last said the disk was full (seconds since the epoch).
    disk_full_warned: std::sync::atomic::AtomicU64,
}

thread_local! {
    /// Did this thread commit a transaction since it last asked (`take_committed`)?
    static COMMITTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Records this thread has read with `Store::get`, tree by tree (`reads_here`).
    static READS: std::cell::Cell<[u64; TreeId::ALL.len()]> = const { std::cell::Cell::new([0; TreeId::ALL.len()]) };
}

/// How many records of `tree` this thread has read one by one
/// (`Store::get`) so far: what a request costs, for tests and benches.
pub fn reads_here(tree: TreeId) -> u64 {
    READS.get()[tree as usize]
}

/// True when this thread committed (and flushed) a transaction since the
/// last call: a request's own write is on disk even if a later one failed.
pub fn take_committed() -> bool {
    COMMITTED.replace(false)
}

/// Why a write failed, and when (see `Store::failure`).
#[derive(Debug, Clone)]
pub struct Failure {
    pub reason: String,
    pub at: Instant,
}

/// Keys and values as the store hands them out (cheap to clone, derefs to bytes).
pub type Bytes = sled::IVec;

/// Changes to one tree applied at once (`Store::apply`), outside a transaction.
#[derive(Default)]
pub struct Batch(sled::Batch);

impl Batch {
    pub fn insert(&mut self, key: impl AsRef<[u8]>, value: impl AsRef<[u8]>) {
        self.0.insert(key.as_ref(), value.as_ref());
    }

    pub fn remove(&mut self, key: impl AsRef<[u8]>) {
        self.0.remove(key.as_ref());
    }
}

/// The outcome of a transaction: the closure's own error, or the store's.
#[derive(Debug)]
pub enum TxError<E> {
    Aborted(E),
    Store(StoreError),
}

impl StoreError {
    /// The operating system's error underneath, if the disk said no.
    pub fn io_error(&self) -> Option<&std::io::Error> {
        match self {
            StoreError::Sled(sled::Error::Io(e)) | StoreError::Io { source: e, .. } => Some(e),
            _ => None,
        }
    }
}

impl Store {
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn tree(&self, id: TreeId) -> &Tree {
        &self.trees[id as usize]
    }

    /// Applies a batch to one tree atomically (not flushed: see `flush`).
    pub fn apply(&self, id: TreeId, batch: Batch) -> Result<(), StoreError> {
        Ok(self.tree(id).apply_batch(batch.0)?)
    }

    /// Removes one key of a tree (not flushed: see `flush`).
    pub fn remove(&self, id: TreeId, key: &[u8]) -> Result<(), StoreError> {
        self.tree(id).remove(key)?;
        Ok(())
    }

    /// Runs `f` as one transaction over every tree, then flushes: when this
    /// returns Ok the change is on disk. `f` may run more than once (sled
    /// retries on conflict), so it must not have outside effects. Inside `f`
    /// read only through the `StoreTx`: a plain read of the store waits on
    /// the lock the transaction holds, forever. Load what you need first.
    ///
    /// Refused with `DiskFull`, before sled sees anything, when the disk has
    /// less than the reserve left. A failed transaction or flush makes the
    /// store failed (`WriteFailed` here, `Halted` from then on); after a
    /// failed flush the write's fate is unknown until the bank is reopened.
    pub fn transact<R, E, F>(&self, f: F) -> Result<R, TxError<E>>
    where
        F: Fn(&StoreTx) -> TxResult<R, E>,
        E: From<StoreError>,
    {
        use sled::Transactional;
        self.check_writable().map_err(TxError::Store)?;
        let _commit = self.commit.write().unwrap_or_else(|p| p.into_inner());
        let result = self.trees.as_slice().transaction(|trees: &Vec<TransactionalTree>| f(&StoreTx::new(trees)));
        match result {
            Ok(r) => {
                self.db.flush().map_err(|e| TxError::Store(self.fail(e)))?;
                COMMITTED.set(true);
                Ok(r)
            }
            Err(TransactionError::Abort(e)) => Err(TxError::Aborted(e)),
            Err(TransactionError::Storage(e)) => Err(TxError::Store(self.fail(e))),
        }
    }

    /// May a write start now? Not when the store has failed, nor when the
    /// disk has less than the reserve left (then nothing is written, and
    /// writes resume by themselves once space is freed).
    pub fn check_writable(&self) -> Result<(), StoreError> {
        self.check_usable()?;
        let space = space::space(&self.path).map_err(|source| StoreError::Io { path: self.path.clone(), source })?;
        let reserve = space::reserve(self.disk_reserve, space.total);
        if space.available < reserve {
            self.warn_disk_full(space.available, reserve);
            return Err(StoreError::DiskFull { path: self.path.clone(), available: space.available, reserve });
        }
        Ok(())
    }

    /// Says in the log that writes are refused, at most once a minute (a
    /// line per refusal would fill the disk further).
    fn warn_disk_full(&self, available: u64, reserve: u64) {
        use std::sync::atomic::Ordering;
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let last = self.disk_full_warned.load(Ordering::Relaxed);
        if now >= last + 60
            && self.disk_full_warned.compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed).is_ok()
        {
            tracing::warn!(
                bank = %self.path.display(),
                "the disk is full ({} KiB free, under the reserve of {} KiB): writes are refused until space is freed",
                available >> 10,
                reserve >> 10
            );
        }
    }

    /// `Halted` once a write has failed.
    pub fn check_usable(&self) -> Result<(), StoreError> {
        match self.failure.get() {
            Some((reason, _)) => Err(StoreError::Halted { path: self.path.clone(), reason: reason.clone() }),
            None => Ok(()),
        }
    }

    /// Waits for a flush in progress; then `Halted` if a write has failed.
    /// Whoever read the store calls this before answering: what it read is
    /// then durable (a transaction is visible in sled's memory before its
    /// flush, and stays there if the flush fails).
    pub fn settled(&self) -> Result<(), StoreError> {
        drop(self.commit.read().unwrap_or_else(|p| p.into_inner()));
        self.check_usable()
    }

    /// Why a write failed and when, once one has: the process must then
    /// restart on what is on disk (sled keeps the failed write in memory and
    /// refuses every later one).
    pub fn failure(&self) -> Option<Failure> {
        self.failure.get().map(|(reason, at)| Failure { reason: reason.clone(), at: *at })
    }

    /// Marks the store failed (the first reason stays) and says so.
    fn fail(&self, e: sled::Error) -> StoreError {
        let reason = match e {
            // sled's copy of the system's error keeps only its kind readable.
            sled::Error::Io(e) => e.kind().to_string(),
            e => e.to_string(),
        };
        let _ = self.failure.set((reason.clone(), Instant::now()));
        StoreError::WriteFailed { path: self.path.clone(), reason }
    }

    pub fn get<T: Versioned>(&self, id: TreeId, key: &[u8]) -> Result<Option<(u64, T)>, StoreError> {
        let mut reads = READS.get();
        reads[id as usize] += 1;
        READS.set(reads);
        match self.tree(id).get(key)? {
            Some(v) => decode_at(id, key, &v).map(Some),
            None => Ok(None),
        }
    }

    /// Every record of a tree, in key order.
    pub fn iter<T: Versioned>(&self, id: TreeId) -> impl Iterator<Item = Result<(u64, T), StoreError>> + '_ {
        self.tree(id).iter().map(move |kv| {
            let (k, v) = kv?;
            decode_at(id, &k, &v)
        })
    }

    /// Record keys listed under one value of an index.
    pub fn index_keys(
        &self,
        index: TreeId,
        kind: u8,
        value: &[u8],
    ) -> impl Iterator<Item = Result<IVec, StoreError>> + '_ {
        let prefix = tx::index_prefix(kind, value);
        let skip = prefix.len();
        self.tree(index).scan_prefix(prefix).map(move |kv| {
            let (k, _) = kv?;
            Ok(k.subslice(skip, k.len() - skip))
        })
    }

    pub fn meta(&self, key: &[u8]) -> Result<Option<IVec>, StoreError> {
        Ok(self.tree(TreeId::Meta).get(key)?)
    }

    pub fn audit_head(&self) -> Result<Option<(u64, [u8; 32])>, StoreError> {
        Ok(self.meta(meta_key::AUDIT_HEAD)?.and_then(|v| tx::parse_head(&v)))
    }

    /// Walks the whole audit chain.
    pub fn verify_audit(&self) -> Result<Verified, ChainBreak> {
        let head = self.audit_head().map_err(|e| ChainBreak::Unreadable { seq: 0, reason: e.to_string() })?;
        let entries = self.tree(TreeId::Audit).iter().map(|kv| match kv {
            Ok((k, v)) => {
                let seq = k.as_ref().try_into().map(u64::from_be_bytes).unwrap_or(0);
                (seq, codec::decode::<AuditEntry>(&v).map(|(_, e)| e).map_err(|e| e.to_string()))
            }
            Err(e) => (0, Err(e.to_string())),
        });
        audit::verify(entries, head)
    }

    /// Bytes the bank takes on disk.
    pub fn size_on_disk(&self) -> Result<u64, StoreError> {
        Ok(self.db.size_on_disk()?)
    }

    /// True when no record, operator or audit entry exists yet.
    pub fn is_empty(&self) -> bool {
        TreeId::ALL.iter().filter(|t| **t != TreeId::Meta).all(|t| self.tree(*t).is_empty())
    }

    /// Flushes what was written outside `transact` (an import); a failure
    /// makes the store failed, as in `transact`.
    pub fn flush(&self) -> Result<(), StoreError> {
        self.check_usable()?;
        let _commit = self.commit.write().unwrap_or_else(|p| p.into_inner());
        self.db.flush().map_err(|e| self.fail(e))?;
        Ok(())
    }
}

/// A record encoded for `tree`, or why it cannot be stored.
pub(crate) fn encode_for<T: Versioned>(
    id: TreeId,
    key: &[u8],
    revision: u64,
    record: &T,
) -> Result<Vec<u8>, StoreError> {
    codec::encode(revision, record).map_err(|e| StoreError::Unstorable {
        tree: id.name(),
        key: String::from_utf8(key.to_vec()).unwrap_or_else(|_| hex::encode(key)),
        reason: e.to_string(),
    })
}

pub(crate) fn decode_at<T: Versioned>(id: TreeId, key: &[u8], bytes: &[u8]) -> Result<(u64, T), StoreError> {
    codec::decode(bytes).map_err(|e| StoreError::Corrupt {
        tree: id.name(),
        key: quarantine::record_label(id, key),
        raw_key: key.to_vec(),
        reason: e.to_string(),
    })
}
