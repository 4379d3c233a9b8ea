//! `banca serve`: one process owns the bank and serves every client over a
//! Unix socket, like tmux. Identity comes from the socket's peer
//! credentials; every request goes to `Bank::handle`.

pub mod admission;
mod connection;
pub mod entry;
mod fanout;
pub mod frame_budget;
mod registry;
pub mod restore;
mod socket;

pub use crate::api::{FolderFound, FolderProblem};
pub use socket::user_name;

use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use nix::poll::{poll, PollFd, PollFlags, PollTimeout};

use crate::api::{Principal, RecordKind, Reply, Request};
use crate::bank::{Actor, Bank, BankConfig, Committed, SystemClock};
use crate::protocol::{self, BusyScope, Welcome, MAX_SERVER_FRAME};
use crate::store::StoreError;

use connection::Shared;
use fanout::Fanout;
use registry::Connections;

pub use registry::Limits;

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
    /// Connection caps and timeouts.
    pub limits: Limits,
    /// How many heavy requests (lists, exports) run at once.
    pub heavy: admission::HeavyLimits,
}

/// Why `banca serve` would not start: a type of `api`, so that the edge
/// words it without knowing the server.
pub use crate::api::ServeFailure;

impl From<StoreError> for ServeFailure {
    fn from(e: StoreError) -> Self {
        ServeFailure::Open(e.into())
    }
}

impl ServeFailure {
    /// A file or folder refused: a refusal names the server's user, whose access is to be fixed.
    fn io(path: &Path, source: std::io::Error) -> ServeFailure {
        let path = path.to_path_buf();
        if source.kind() == std::io::ErrorKind::PermissionDenied {
            let user = user_name(nix::unistd::geteuid().as_raw());
            return ServeFailure::PermissionDenied { path, user, source };
        }
        ServeFailure::Io { path, source }
    }
}

/// Runs until SIGTERM/SIGINT, a `Stop` from the owner or an admin, or the
/// idle timeout. `ready` is called once the socket accepts connections.
pub fn serve(opts: &ServeOptions, ready: impl FnOnce()) -> Result<(), ServeFailure> {
    let group = match &opts.group {
        Some(name) => Some((
            nix::unistd::Group::from_name(name)
                .ok()
                .flatten()
                .ok_or_else(|| ServeFailure::UnknownGroup(name.clone()))?
                .gid,
            name.as_str(),
        )),
        None => None,
    };
    tune_allocator();
    let bank_path = crate::config::canonical_bank_path(&opts.db);
    check_bank_owner(&bank_path)?;
    // The store only: the indexes are built once the socket answers.
    let opening = Instant::now();
    let bank = open_when_space(&bank_path, opts)?;
    tracing::info!(took_ms = opening.elapsed().as_millis() as u64, "bank store opened");
    let bank = Arc::new(bank);
    let listener = socket::bind(&opts.socket, group)?;
    listener.set_nonblocking(true).map_err(|e| ServeFailure::io(&opts.socket, e))?;

    let shutdown = Arc::new(AtomicBool::new(false));
    let indexing = build_indexes(bank.clone(), shutdown.clone()).map_err(|e| ServeFailure::io(&opts.socket, e))?;
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(signal, shutdown.clone()).map_err(|e| ServeFailure::io(&opts.socket, e))?;
    }
    let fanout = Arc::new(Fanout::default());
    let limits = fit_to_open_files(opts.limits);
    let connections = Connections::new(limits);
    bank.on_change(change_listener(Arc::downgrade(&bank), fanout.clone(), connections.clone()));
    let shared = Arc::new(Shared {
        bank: bank.clone(),
        fanout,
        connections: connections.clone(),
        shutdown: shutdown.clone(),
        heavy: admission::Admission::new(opts.heavy),
        frames: Arc::new(frame_budget::FrameBudget::new(frame_budget::BUDGET)),
        bank_path: bank_path.display().to_string(),
        owner: nix::unistd::getuid().as_raw(),
    });
    tracing::info!(
        bank = %bank_path.display(),
        socket = %opts.socket.display(),
        per_user = limits.per_user,
        total = limits.total,
        heavy_per_user = opts.heavy.per_user,
        heavy_total = opts.heavy.total,
        page_size = opts.bank.page_size,
        "serving"
    );
    ready();

    let mut idle_since = Instant::now();
    let mut clients = Vec::new();
    let mut refused = Refusals::default();
    let mut peak = 0;
    while !shutdown.load(Ordering::SeqCst) {
        // A write failed with no author left to tell (a connection gone, the
        // identity reads' writer): its author's connection would have stopped the server by now.
        if bank.store().failure().is_some_and(|f| f.at.elapsed() >= HALT_GRACE) {
            halt(&bank);
        }
        // A finished thread keeps its stack until its handle is dropped.
        clients.retain(|c: &std::thread::JoinHandle<()>| !c.is_finished());
        peak = give_back_memory(peak, connections.count());
        if let Some(limit) = opts.idle_exit {
            if connections.count() > 0 {
                idle_since = Instant::now();
            } else if idle_since.elapsed() >= limit {
                tracing::info!("no clients for {limit:?}: exiting");
                break;
            }
        }
        let mut fds = [PollFd::new(listener.as_fd(), PollFlags::POLLIN)];
        if !matches!(poll(&mut fds, PollTimeout::from(200u16)), Ok(n) if n > 0) {
            refused.report();
            continue;
        }
        match listener.accept() {
            Ok((stream, _)) => {
                if let Some(client) = admit(stream, &shared, &mut refused) {
                    clients.push(client);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => {
                // Out of files or memory: wait a little rather than spin on a listener that stays readable.
                tracing::warn!("accept: {e}");
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }

    // Stop accepting, let requests in flight finish, flush, leave. The
    // socket goes last: while it exists, the bank is still held.
    shutdown.store(true, Ordering::SeqCst);
    connections.close_all(std::net::Shutdown::Read);
    let grace = Instant::now() + STOP_GRACE;
    while clients.iter().any(|c| !c.is_finished()) && Instant::now() < grace {
        std::thread::sleep(Duration::from_millis(20));
    }
    // A client that sends calls and never reads the answers blocks its
    // connection on a full socket: cut it.
    connections.close_all(std::net::Shutdown::Both);
    let grace = Instant::now() + STOP_GRACE;
    while clients.iter().any(|c| !c.is_finished()) && Instant::now() < grace {
        std::thread::sleep(Duration::from_millis(20));
    }
    // A request stuck in the store (sled retries a page it reads as
    // corrupted, forever) would hold the server up for good: leave it to
    // the exit, so that a supervisor can restart the server.
    for c in clients {
        if c.is_finished() {
            let _ = c.join();
        } else {
            tracing::warn!("a request did not end within {STOP_GRACE:?} of the stop: leaving it behind");
        }
    }
    // A build cut short by a stop still finishes: it holds the bank.
    let built = indexing.join().unwrap_or(Ok(()));
    bank.store().flush()?;
    // Let go of the bank (its locks) before the socket disappears, so that
    // whoever waits for the socket to go may open the bank at once.
    drop(shared);
    match Arc::try_unwrap(bank) {
        Ok(bank) => {
            drop(bank);
            refresh_store_snapshot(&bank_path);
        }
        Err(_) => tracing::warn!("the bank is still referenced at shutdown"),
    }
    drop(listener);
    let _ = std::fs::remove_file(&opts.socket);
    tracing::info!("stopped");
    built.map_err(ServeFailure::from)
}

/// Builds the bank's indexes on a thread of their own while the server
/// answers what needs none. A failed build stops the server (it exits
/// non-zero, and its supervisor restarts it), as a bank that failed to
/// open did before. The memory the build used for decoding goes back.
fn build_indexes(
    bank: Arc<Bank>,
    shutdown: Arc<AtomicBool>,
) -> std::io::Result<std::thread::JoinHandle<Result<(), StoreError>>> {
    std::thread::Builder::new().name("banca-index".into()).spawn(move || {
        let started = Instant::now();
        let built =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| bank.build_indexes())).unwrap_or_else(|_| {
                Err(StoreError::Io {
                    path: bank.store().path().to_path_buf(),
                    source: std::io::Error::other("the index build panicked"),
                })
            });
        match &built {
            Ok(()) => {
                trim_heap();
                tracing::info!(took_ms = started.elapsed().as_millis() as u64, "indexes built")
            }
            Err(e) => {
                tracing::error!("the indexes could not be built: {e}; stopping");
                shutdown.store(true, Ordering::SeqCst);
            }
        }
        built
    })
}

/// Opens the bank; while its disk is too full for sled to open it (sled
/// writes as it recovers), waits for space rather than exit: a supervisor
/// would give up after a few quick restarts, and the bank is to come back by
/// itself once space is freed. SIGTERM still ends the wait (no handler yet).
fn open_when_space(bank_path: &Path, opts: &ServeOptions) -> Result<Bank, ServeFailure> {
    let mut waiting = false;
    loop {
        match Bank::open_starting(bank_path, opts.bank.clone(), opts.create, Arc::new(SystemClock::new())) {
            Err(e) if out_of_space(&e) => {
                if !waiting {
                    tracing::warn!(
                        bank = %bank_path.display(),
                        "the disk holding the bank is full, and the bank cannot be opened: waiting for space (checked every {OPEN_RETRY:?})"
                    );
                    waiting = true;
                }
                std::thread::sleep(OPEN_RETRY);
            }
            Err(e) => return Err(refused_bank(e, bank_path)),
            Ok(bank) => {
                if waiting {
                    tracing::info!("space is back: the bank is open");
                }
                return Ok(bank);
            }
        }
    }
}

/// How often a server waiting for space tries to open its bank again.
const OPEN_RETRY: Duration = Duration::from_secs(2);

fn out_of_space(e: &StoreError) -> bool {
    let full =
        |e: &std::io::Error| e.kind() == std::io::ErrorKind::StorageFull || e.raw_os_error() == Some(libc::ENOSPC);
    e.io_error().is_some_and(full)
}

/// The bank must be the server's user's (root may serve any): otherwise
/// the likely mistake is a wrong owner, named with its fix rather than a
/// bare "Permission denied". The bank's own files are made private by the
/// store when it opens (folder 0700, files 0600).
fn check_bank_owner(bank: &Path) -> Result<(), ServeFailure> {
    use std::os::unix::fs::MetadataExt;
    let me = nix::unistd::geteuid();
    let user = socket::user_name(me.as_raw());
    match std::fs::metadata(bank) {
        Ok(m) if !me.is_root() && m.uid() != me.as_raw() => {
            Err(ServeFailure::BankNotOwned { path: bank.to_path_buf(), owner: socket::user_name(m.uid()), user })
        }
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            Err(ServeFailure::BankUnreachable { path: bank.to_path_buf(), user })
        }
        _ => Ok(()),
    }
}

/// A file of the bank the server may not read or make private: a wrong
/// owner (the bank copied or created as root), named with its fix.
fn refused_bank(e: StoreError, bank: &Path) -> ServeFailure {
    use std::os::unix::fs::MetadataExt;
    match e {
        StoreError::Io { path, source } if source.kind() == std::io::ErrorKind::PermissionDenied => {
            let user = socket::user_name(nix::unistd::geteuid().as_raw());
            // The fix is on the whole bank folder, whichever file refused.
            match std::fs::symlink_metadata(&path) {
                Ok(m) => {
                    ServeFailure::BankNotOwned { path: bank.to_path_buf(), owner: socket::user_name(m.uid()), user }
                }
                Err(_) => ServeFailure::BankUnreachable { path: bank.to_path_buf(), user },
            }
        }
        other => other.into(),
    }
}

/// The allocator, for a server of many short-lived threads: one arena (a
/// thread per connection would otherwise spread over up to 8 per core, and
/// each keeps the free memory at its top: 1 250 connections gone left 8 MiB
/// behind with 4 arenas, 0.7 MiB with one; small allocations stay per
/// thread in glibc's cache), and fixed thresholds so that large frames are
/// mapped and unmapped and free memory above 128 KiB goes back at once.
fn tune_allocator() {
    #[cfg(target_env = "gnu")]
    // SAFETY: mallopt only sets the allocator's parameters; called before the threads start.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 128 << 10);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 << 10);
    }
}

/// Once the connections have fallen to half their peak (a flood gone),
/// returns the memory their threads freed to the system: the allocator
/// keeps it otherwise, scattered over its per-thread arenas. Gives the new peak.
fn give_back_memory(peak: usize, now: usize) -> usize {
    if peak >= now + 32 && now <= peak / 2 {
        trim_heap();
        tracing::debug!(peak, now, "memory of closed connections given back");
        return now;
    }
    peak.max(now)
}

/// sled writes down where its pages lie (its snapshot) only while it opens
/// a bank, and the next open replays everything written since: after a
/// large import or a long run, seconds before the next start can answer
/// (4.8 s instead of 1.1 s at 1 000 000 families, docs/performance.md).
/// Opening the bank once more as the server stops, the socket still held,
/// moves that work to the stop. A bank another process took meanwhile is left alone.
fn refresh_store_snapshot(bank: &Path) {
    let started = Instant::now();
    // No reserve check: nothing is written but sled's own snapshot.
    let opts = crate::store::OpenOptions { create: false, cache_bytes: 1 << 20, disk_reserve: Some(0) };
    match crate::store::Store::open(bank, &opts) {
        Ok(store) => {
            drop(store);
            tracing::info!(
                took_ms = started.elapsed().as_millis() as u64,
                "store snapshot refreshed for the next start"
            );
        }
        Err(e) => tracing::warn!("store snapshot not refreshed: {e}"),
    }
}

/// Gives the allocator's free memory back to the system, holes inside
/// the heap included.
fn trim_heap() {
    #[cfg(target_env = "gnu")]
    // SAFETY: malloc_trim only releases free memory; it is thread-safe.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Exit code of a server stopped by a failed write (as the CLI's 4: a fault of the machine).
pub const EXIT_WRITE_FAILED: i32 = 4;

/// How long the author of a failed write has to be told, before the main
/// loop stops the server itself.
const HALT_GRACE: Duration = Duration::from_secs(3);

/// A write failed on disk. sled keeps it in its memory and refuses every
/// later write until the process restarts, so the server ends here, at
/// once and non-zero, with one line in its log: its supervisor (systemd,
/// banca-serve, the next client) starts it again on what the disk holds.
/// Meanwhile every other request is answered `Halted` (`Bank::handle`).
pub(crate) fn halt(bank: &Bank) -> ! {
    let reason = bank.store().failure().map(|f| f.reason).unwrap_or_default();
    tracing::error!(
        bank = %bank.store().path().display(),
        "a write to disk failed ({reason}); exiting with code {EXIT_WRITE_FAILED} so that the server restarts on the data on disk"
    );
    std::process::exit(EXIT_WRITE_FAILED)
}

/// How long requests in flight may take to finish once the server stops.
const STOP_GRACE: Duration = Duration::from_secs(5);

/// Stack of a connection's own thread: its calls run `Bank::handle`.
const CONNECTION_STACK: usize = 1 << 20;

/// Open files kept for the bank, the log and the listener, beyond one per connection.
const FILES_KEPT: u64 = 128;

/// Takes a new connection in, on a thread of its own, or refuses it at once
/// with `Welcome::Busy` when its user or the server is at the cap.
fn admit(stream: UnixStream, shared: &Arc<Shared>, refused: &mut Refusals) -> Option<std::thread::JoinHandle<()>> {
    use nix::sys::socket::{getsockopt, sockopt::PeerCredentials};
    let uid = match getsockopt(&stream, PeerCredentials) {
        Ok(c) => c.uid(),
        Err(e) => {
            tracing::warn!("no peer credentials: {e}");
            return None;
        }
    };
    let stream = Arc::new(stream);
    let ticket = match shared.connections.admit(uid, stream.clone()) {
        Ok(t) => t,
        Err(scope) => {
            refuse(&stream, scope);
            refused.count(uid, scope);
            return None;
        }
    };
    // The listener is non-blocking; each client is served blocking.
    let _ = stream.set_nonblocking(false);
    let shared = shared.clone();
    let spawned = std::thread::Builder::new()
        .name("banca-conn".into())
        .stack_size(CONNECTION_STACK)
        .spawn(move || connection::serve_client(stream, uid, &ticket, &shared));
    match spawned {
        Ok(handle) => Some(handle),
        Err(e) => {
            tracing::warn!(uid, "no thread for a new connection: {e}");
            None
        }
    }
}

/// Says Busy without waiting for anything: the answer fits the socket's
/// buffer, and the client reads it even if its hello could not be sent.
fn refuse(stream: &UnixStream, scope: BusyScope) {
    let _ = stream.set_nonblocking(true);
    let _ = protocol::write_frame(&mut &*stream, &Welcome::Busy { scope }, MAX_SERVER_FRAME);
}

/// Connections refused over the caps, logged once in a while rather than
/// one line each (a flood would fill the log).
#[derive(Default)]
struct Refusals {
    since: Option<Instant>,
    by_uid: std::collections::BTreeMap<u32, u64>,
    server_full: u64,
}

impl Refusals {
    fn count(&mut self, uid: u32, scope: BusyScope) {
        self.since.get_or_insert_with(Instant::now);
        match scope {
            BusyScope::User { .. } => *self.by_uid.entry(uid).or_default() += 1,
            BusyScope::Server { .. } => self.server_full += 1,
        }
        self.report();
    }

    /// Logs what was refused, at most every ten seconds.
    fn report(&mut self) {
        if self.since.is_none_or(|t| t.elapsed() < Duration::from_secs(10)) {
            return;
        }
        for (uid, n) in std::mem::take(&mut self.by_uid) {
            tracing::warn!(uid, refused = n, "connections refused: this user is at its cap");
        }
        if self.server_full > 0 {
            tracing::warn!(refused = self.server_full, "connections refused: the server is at its cap");
        }
        *self = Refusals::default();
    }
}

/// Lowers the total cap to what the process's open-file limit allows
/// (raising the soft limit to the hard one first, as a server should).
fn fit_to_open_files(mut limits: Limits) -> Limits {
    use nix::sys::resource::{getrlimit, setrlimit, Resource};
    if let Ok((soft, hard)) = getrlimit(Resource::RLIMIT_NOFILE) {
        let soft = if soft < hard && setrlimit(Resource::RLIMIT_NOFILE, hard, hard).is_ok() { hard } else { soft };
        let room = soft.saturating_sub(FILES_KEPT).max(1) as usize;
        if limits.total > room {
            tracing::warn!(limit = soft, "open-file limit: at most {room} connections instead of {}", limits.total);
            limits.total = room;
        }
    }
    limits.per_user = limits.per_user.min(limits.total).max(1);
    limits
}

/// What the server does with each committed change: an operator's change
/// closes that user's connections if it is no longer an active operator;
/// then the change goes to the subscribers allowed to hear of it.
fn change_listener(
    bank: Weak<Bank>,
    fanout: Arc<Fanout>,
    connections: Arc<Connections>,
) -> impl Fn(&Committed) + Send + Sync + 'static {
    move |change| {
        // The bank holds this listener: a strong reference would keep it open for ever.
        let Some(bank) = bank.upgrade() else { return };
        let principal = |user: &str| -> Option<Principal> {
            match bank.handle(&Actor::new(user), Request::Whoami) {
                Ok(Reply::Whoami(p)) => Some(p),
                _ => None,
            }
        };
        if let Some(operator) = change.event.change().filter(|c| c.kind == RecordKind::Operator) {
            let user = &operator.code;
            let closed = connections.close_unless(user, || principal(user).is_some());
            if closed > 0 {
                tracing::info!(user = %user, closed, "no longer an active operator: connections closed");
            }
        }
        fanout.publish(change, principal);
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
    crate::config::log_dir()
}

/// Logs to journald's stderr under systemd, else to a file in the XDG state folder.
pub fn init_logging() {
    use tracing_subscriber::fmt;
    let under_systemd = std::env::var_os("JOURNAL_STREAM").is_some();
    let file = (!under_systemd).then(log_file).flatten();
    let builder = fmt().with_ansi(false).with_target(false);
    let _ = match file {
        Some(f) => builder.with_writer(crate::logging::EscapingWriter(std::sync::Mutex::new(f))).try_init(),
        None => builder.with_writer(crate::logging::EscapingWriter(std::io::stderr)).without_time().try_init(),
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
