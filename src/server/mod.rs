//! `banca serve`: one process owns the bank and serves every client over a
//! Unix socket, like tmux. Identity comes from the socket's peer
//! credentials; every request goes to `Bank::handle`.

mod connection;
mod fanout;
pub mod log;
mod socket;

pub use socket::{user_name, FolderFound, FolderProblem};

use std::os::fd::AsFd;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use nix::poll::{poll, PollFd, PollFlags, PollTimeout};

use crate::bank::{Bank, BankConfig, SystemClock};
use crate::protocol::Event;
use crate::store::StoreError;

use connection::Shared;
use fanout::Fanout;

pub struct ServeOptions {
    pub db: PathBuf,
    pub socket: PathBuf,
    /// Exit this long after the last client left (auto-started servers).
    pub idle_exit: Option<Duration>,
    /// Operators' group allowed on the socket (shared servers).
    pub group: Option<String>,
    /// Create the bank folder if missing.
    pub create: bool,
    pub bank: BankConfig,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("a server is already answering on {socket}")]
    AlreadyServing { socket: PathBuf },
    /// A shared server's socket folder does not exist (the administrator makes it).
    #[error("the socket folder {dir} does not exist")]
    SocketFolderMissing { dir: PathBuf, user: String, group: String },
    /// The socket folder would let someone else replace the socket, or
    /// keep the operators out.
    #[error("refusing the socket folder {}: {problem:?}", .found.dir.display())]
    SocketFolderUnsafe { found: Box<FolderFound>, problem: FolderProblem },
    /// The server runs without the operators' group, so it cannot hand them the socket.
    #[error("the server runs as {user} without the group {group}")]
    NotInGroup { user: String, group: String },
    /// The bank belongs to another user than the server's.
    #[error("the bank {path} belongs to {owner}, the server runs as {user}")]
    BankNotOwned { path: PathBuf, owner: String, user: String },
    /// The server's user cannot reach the bank's folder.
    #[error("the server, running as {user}, cannot reach the bank {path}")]
    BankUnreachable { path: PathBuf, user: String },
    #[error("no Unix group called {0}")]
    UnknownGroup(String),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

impl ServeError {
    fn io(path: &Path, source: std::io::Error) -> ServeError {
        ServeError::Io { path: path.to_path_buf(), source }
    }
}

/// Runs until SIGTERM/SIGINT, a `Stop` from the owner or an admin, or the
/// idle timeout. `ready` is called once the socket accepts connections.
pub fn serve(opts: &ServeOptions, ready: impl FnOnce()) -> Result<(), ServeError> {
    let group = match &opts.group {
        Some(name) => Some((
            nix::unistd::Group::from_name(name)
                .ok()
                .flatten()
                .ok_or_else(|| ServeError::UnknownGroup(name.clone()))?
                .gid,
            name.as_str(),
        )),
        None => None,
    };
    let bank_path = crate::config::canonical_bank_path(&opts.db);
    check_bank_owner(&bank_path)?;
    let bank = Bank::open(&bank_path, opts.bank.clone(), opts.create, Arc::new(SystemClock::new()))
        .map_err(|e| refused_bank(e, &bank_path))?;
    let bank = Arc::new(bank);
    let listener = socket::bind(&opts.socket, group)?;
    listener.set_nonblocking(true).map_err(|e| ServeError::io(&opts.socket, e))?;

    let shutdown = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(signal, shutdown.clone()).map_err(|e| ServeError::io(&opts.socket, e))?;
    }
    let fanout = Arc::new(Fanout::default());
    let events = fanout.clone();
    bank.on_change(move |c| {
        events.publish(Event { kind: c.kind.to_string(), code: c.code.clone(), revision: c.revision, by: c.by.clone() })
    });
    let shared = Arc::new(Shared {
        bank: bank.clone(),
        fanout,
        shutdown: shutdown.clone(),
        bank_path: bank_path.display().to_string(),
        owner: nix::unistd::getuid().as_raw(),
    });
    tracing::info!(bank = %bank_path.display(), socket = %opts.socket.display(), "serving");
    ready();

    let active = Arc::new(AtomicUsize::new(0));
    let mut idle_since = Instant::now();
    let mut clients = Vec::new();
    while !shutdown.load(Ordering::SeqCst) {
        if let Some(limit) = opts.idle_exit {
            if active.load(Ordering::SeqCst) > 0 {
                idle_since = Instant::now();
            } else if idle_since.elapsed() >= limit {
                tracing::info!("no clients for {limit:?}: exiting");
                break;
            }
        }
        let mut fds = [PollFd::new(listener.as_fd(), PollFlags::POLLIN)];
        if !matches!(poll(&mut fds, PollTimeout::from(200u16)), Ok(n) if n > 0) {
            continue;
        }
        match listener.accept() {
            Ok((stream, _)) => {
                // The listener is non-blocking; each client is served blocking.
                let _ = stream.set_nonblocking(false);
                let (shared, active) = (shared.clone(), active.clone());
                active.fetch_add(1, Ordering::SeqCst);
                clients.push(std::thread::spawn(move || {
                    connection::serve_client(stream, &shared);
                    active.fetch_sub(1, Ordering::SeqCst);
                }));
                clients.retain(|c: &std::thread::JoinHandle<()>| !c.is_finished());
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => tracing::warn!("accept: {e}"),
        }
    }

    // Stop accepting, let requests in flight finish, flush, leave. The
    // socket goes last: while it exists, the bank is still held.
    shutdown.store(true, Ordering::SeqCst);
    for c in clients {
        let _ = c.join();
    }
    bank.store().flush()?;
    // Let go of the bank (its locks) before the socket disappears, so that
    // whoever waits for the socket to go may open the bank at once.
    drop(shared);
    match Arc::try_unwrap(bank) {
        Ok(bank) => drop(bank),
        Err(_) => tracing::warn!("the bank is still referenced at shutdown"),
    }
    drop(listener);
    let _ = std::fs::remove_file(&opts.socket);
    tracing::info!("stopped");
    Ok(())
}

/// The bank must be the server's user's (root may serve any): otherwise
/// the likely mistake is a wrong owner, named with its fix rather than a
/// bare "Permission denied". The bank's own files are made private by the
/// store when it opens (folder 0700, files 0600).
fn check_bank_owner(bank: &Path) -> Result<(), ServeError> {
    use std::os::unix::fs::MetadataExt;
    let me = nix::unistd::geteuid();
    let user = socket::user_name(me.as_raw());
    match std::fs::metadata(bank) {
        Ok(m) if !me.is_root() && m.uid() != me.as_raw() => {
            Err(ServeError::BankNotOwned { path: bank.to_path_buf(), owner: socket::user_name(m.uid()), user })
        }
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            Err(ServeError::BankUnreachable { path: bank.to_path_buf(), user })
        }
        _ => Ok(()),
    }
}

/// A file of the bank the server may not read or make private: a wrong
/// owner (the bank copied or created as root), named with its fix.
fn refused_bank(e: StoreError, bank: &Path) -> ServeError {
    use std::os::unix::fs::MetadataExt;
    match e {
        StoreError::Io { path, source } if source.kind() == std::io::ErrorKind::PermissionDenied => {
            let user = socket::user_name(nix::unistd::geteuid().as_raw());
            // The fix is on the whole bank folder, whichever file refused.
            match std::fs::symlink_metadata(&path) {
                Ok(m) => ServeError::BankNotOwned { path: bank.to_path_buf(), owner: socket::user_name(m.uid()), user },
                Err(_) => ServeError::BankUnreachable { path: bank.to_path_buf(), user },
            }
        }
        other => ServeError::Store(other),
    }
}

/// Where the log goes, for the operator's information.
pub fn log_location() -> String {
    if std::env::var_os("JOURNAL_STREAM").is_some() {
        "journald".into()
    } else {
        log_dir().join("server.log").display().to_string()
    }
}

pub fn log_dir() -> PathBuf {
    directories::ProjectDirs::from("it", "banca", "banca")
        .and_then(|d| d.state_dir().map(Path::to_path_buf))
        .unwrap_or_else(crate::config::runtime_dir)
}

/// Logs to journald's stderr under systemd, else to a file in the XDG state folder.
pub fn init_logging() {
    use tracing_subscriber::fmt;
    let under_systemd = std::env::var_os("JOURNAL_STREAM").is_some();
    let file = (!under_systemd).then(log_file).flatten();
    let builder = fmt().with_ansi(false).with_target(false);
    let _ = match file {
        Some(f) => builder.with_writer(log::EscapingWriter(std::sync::Mutex::new(f))).try_init(),
        None => builder.with_writer(log::EscapingWriter(std::io::stderr)).without_time().try_init(),
    };
}

/// The log names operators and records: readable by the server's user only
/// (folder 0700, file 0600, whatever they were); administrators read it
/// through sudo or the journal.
fn log_file() -> Option<std::fs::File> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let dir = log_dir();
    std::fs::create_dir_all(&dir).ok()?;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).ok()?;
    let path = dir.join("server.log");
    let file = std::fs::OpenOptions::new().create(true).append(true).mode(0o600).open(&path).ok()?;
    file.set_permissions(std::fs::Permissions::from_mode(0o600)).ok()?;
    Some(file)
}
