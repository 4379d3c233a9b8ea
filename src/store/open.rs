//! Opening a bank folder safely: one process at a time, a clear word when
//! the folder is not a bank or is newer than this binary.

use std::fs::{self, File, OpenOptions as FsOpen};
use std::path::Path;

use nix::fcntl::{Flock, FlockArg};

use super::{meta_key, Store, StoreError, TreeId, STORE_FORMAT};

#[derive(Debug, Clone)]
pub struct OpenOptions {
    /// Create the bank when the folder is missing or empty.
    pub create: bool,
    /// sled's page cache, in bytes (sled's own default is 1 GiB).
    pub cache_bytes: u64,
    /// Free space to keep on the bank's filesystem (`None`: `space::reserve`'s default).
    pub disk_reserve: Option<u64>,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions { create: false, cache_bytes: 64 * 1024 * 1024, disk_reserve: None }
    }
}

const LOCK_FILE: &str = "banca.lock";

impl Store {
    pub fn open(path: &Path, opts: &OpenOptions) -> Result<Store, StoreError> {
        let io = |source| StoreError::Io { path: path.to_path_buf(), source };
        match fs::metadata(path) {
            Ok(m) if !m.is_dir() => return Err(StoreError::NotABank { path: path.to_path_buf() }),
            Ok(_) => {
                let names: Vec<String> = fs::read_dir(path)
                    .map_err(io)?
                    .filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect();
                let looks_like_bank = names.iter().any(|n| n == LOCK_FILE || n == "conf");
                if !names.is_empty() && !looks_like_bank {
                    return Err(StoreError::NotABank { path: path.to_path_buf() });
                }
                if names.is_empty() && !opts.create {
                    return Err(StoreError::NoBank { path: path.to_path_buf() });
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if !opts.create {
                    return Err(StoreError::NoBank { path: path.to_path_buf() });
                }
                fs::create_dir_all(path).map_err(io)?;
            }
            Err(e) => return Err(io(e)),
        }

        let lock_file =
            FsOpen::new().create(true).truncate(false).write(true).open(path.join(LOCK_FILE)).map_err(io)?;
        let lock = lock_exclusive(lock_file, path)?;

        let db = open_sled(path, opts)?;
        let trees = TreeId::ALL.iter().map(|t| db.open_tree(t.name())).collect::<Result<Vec<_>, _>>()?;
        let store = Store {
            db,
            trees,
            path: path.to_path_buf(),
            _lock: lock,
            disk_reserve: opts.disk_reserve,
            commit: std::sync::RwLock::new(()),
            failure: std::sync::OnceLock::new(),
            disk_full_warned: std::sync::atomic::AtomicU64::new(0),
        };
        store.check_marker(opts.create)?;
        // Whatever the folder was before (an existing 0755 folder, files
        // copied in with a loose umask): from now on the owner's only.
        make_private(path)?;
        Ok(store)
    }

    fn check_marker(&self, create: bool) -> Result<(), StoreError> {
        let meta = self.tree(TreeId::Meta);
        let path = self.path.to_path_buf();
        match meta.get(meta_key::MARKER)? {
            Some(v) if v.as_ref() == meta_key::MARKER_VALUE => {}
            Some(_) => return Err(StoreError::NotABank { path }),
            None if create && self.is_empty() => {
                meta.insert(meta_key::MARKER, meta_key::MARKER_VALUE)?;
                meta.insert(meta_key::FORMAT, &STORE_FORMAT.to_be_bytes())?;
                self.db.flush()?;
            }
            None if self.is_empty() => return Err(StoreError::NoBank { path }),
            None => return Err(StoreError::NotABank { path }),
        }
        let found =
            meta.get(meta_key::FORMAT)?.and_then(|v| v.as_ref().try_into().ok().map(u32::from_be_bytes)).unwrap_or(0);
        if found > STORE_FORMAT {
            return Err(StoreError::NewerFormat { path, found, supported: STORE_FORMAT });
        }
        if meta.contains_key(meta_key::IMPORTING)? {
            return Err(StoreError::IncompleteImport { path });
        }
        Ok(())
    }
}

/// Opens sled. We hold the bank's lock, so no other process has it: if
/// sled still finds its own file locked, a `Store` of this process that was
/// just dropped is being let go by sled's background threads. Wait for
/// them a little rather than report a lock nobody holds.
fn open_sled(path: &Path, opts: &OpenOptions) -> Result<sled::Db, StoreError> {
    discard_unfinished_snapshots(path)?;
    let config = sled::Config::new().path(path).cache_capacity(opts.cache_bytes).mode(sled::Mode::LowSpace);
    let mut waited = std::time::Duration::ZERO;
    loop {
        match config.open() {
            Err(sled::Error::Io(e)) if e.to_string().contains("could not acquire lock") && waited.as_secs() < 5 => {
                std::thread::sleep(std::time::Duration::from_millis(20));
                waited += std::time::Duration::from_millis(20);
            }
            other => return Ok(other?),
        }
    }
}

/// sled 0.34 writes a snapshot of its page table as it opens a bank, to
/// `snap.<lsn>.generating`, renamed `snap.<lsn>` once written and synced. A
/// write that fails (ENOSPC when the disk is full: the open that waits for
/// space meets it) leaves the `.generating` file behind, empty or cut short,
/// and sled's next open reads it as the newest snapshot: "Read corrupted
/// data at file offset None", for good (sled#1527). Such a file was never
/// used: sled goes on only once it is renamed, so nothing on disk depends on
/// it, and the next open rebuilds it from the previous snapshot and the log.
/// It goes, then, before sled looks; we hold the bank's lock, so no sled of
/// another process is writing it.
fn discard_unfinished_snapshots(path: &Path) -> Result<(), StoreError> {
    let io = |source| StoreError::Io { path: path.to_path_buf(), source };
    for entry in fs::read_dir(path).map_err(io)? {
        let entry = entry.map_err(io)?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("snap.") && name.ends_with(".generating") && entry.file_type().is_ok_and(|t| t.is_file()) {
            let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
            fs::remove_file(entry.path()).map_err(io)?;
            tracing::warn!(
                bank = %path.display(),
                file = %name,
                size,
                "removed a snapshot sled did not finish writing (a failed write, such as a full disk); sled rebuilds it from its log"
            );
        }
    }
    Ok(())
}

fn lock_exclusive(file: File, path: &Path) -> Result<Flock<File>, StoreError> {
    Flock::lock(file, FlockArg::LockExclusiveNonblock).map_err(|(_, errno)| {
        if errno == nix::errno::Errno::EWOULDBLOCK {
            StoreError::Locked { path: path.to_path_buf() }
        } else {
            StoreError::Io { path: path.to_path_buf(), source: errno.into() }
        }
    })
}

/// Children's data: the bank folder and its subfolders 0700, every file in
/// it 0600. Symbolic links are left alone (never followed).
pub fn make_private(folder: &Path) -> Result<(), StoreError> {
    use std::os::unix::fs::PermissionsExt;
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |source| StoreError::Io { path: p, source }
    };
    let set = |p: &Path, mode: u32, current: u32| -> Result<(), StoreError> {
        if current & 0o7777 != mode {
            fs::set_permissions(p, fs::Permissions::from_mode(mode)).map_err(io(p))?;
        }
        Ok(())
    };
    let meta = fs::symlink_metadata(folder).map_err(io(folder))?;
    set(folder, 0o700, meta.permissions().mode())?;
    for entry in fs::read_dir(folder).map_err(io(folder))? {
        let entry = entry.map_err(io(folder))?;
        let path = entry.path();
        let m = fs::symlink_metadata(&path).map_err(io(&path))?;
        if m.is_dir() {
            make_private(&path)?;
        } else if m.is_file() {
            set(&path, 0o600, m.permissions().mode())?;
        }
    }
    Ok(())
}
