//! One client: who it is (from the kernel), the handshake, then calls
//! answered in order. Replies and events leave through one writer thread
//! fed by a bounded queue.
//!
//! Before the handshake a client is nobody: its hello must be small
//! (`MAX_HELLO`) and complete within one deadline. After it, a connection
//! that neither calls nor follows events is closed when idle.

use std::io::{BufReader, Read};
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::Arc;
use std::time::{Duration, Instant};

use nix::poll::{poll, PollFd, PollFlags, PollTimeout};

use crate::api::{BankError, Reply, Request, Response};
use crate::bank::{Actor, Bank, Restore};
use crate::protocol::{
    self, ClientMsg, FrameError, Hello, ServerMsg, Welcome, MAX_FRAME, MAX_HELLO, MAX_SERVER_FRAME, PROTOCOL, VERSION,
};

use super::fanout::{Fanout, Subscriber};
use super::registry::{Connections, Ticket};

/// Once a frame has started, the whole of it must arrive within this time.
const FRAME_TIMEOUT: Duration = Duration::from_secs(30);
/// Outgoing messages queued per client before events are dropped. The
/// queue's slots are allocated up front: each holds a box, not a message.
const QUEUE: usize = 256;
/// Read-ahead buffer of a connection: frames are small but for imports,
/// which bypass it.
const READ_BUFFER: usize = 4 << 10;
/// How long the writer may take to flush what is queued once the client leaves.
const WRITER_GRACE: Duration = Duration::from_secs(2);
/// Stack of a connection's writer thread: it only encodes frames and writes.
pub const WRITER_STACK: usize = 256 << 10;
/// How much of a client's version string the log keeps.
const LOGGED_VERSION: usize = 40;

pub struct Shared {
    pub bank: Arc<Bank>,
    pub fanout: Arc<Fanout>,
    pub connections: Arc<Connections>,
    pub shutdown: Arc<AtomicBool>,
    /// Places for heavy requests (lists, exports): see `admission`.
    pub heavy: Arc<super::admission::Admission>,
    /// Room for decoding clients' frames, server-wide: see `frame_budget`.
    pub frames: Arc<super::frame_budget::FrameBudget>,
    pub bank_path: String,
    /// The uid the server runs as: it may stop its own server.
    pub owner: u32,
}

/// Serves one admitted connection until it ends; `uid` is the kernel's word.
pub fn serve_client(stream: Arc<UnixStream>, uid: u32, ticket: &Ticket, shared: &Shared) {
    match session(stream, shared, uid, ticket) {
        Ok(()) => tracing::debug!(uid, "client left"),
        Err(e) => tracing::info!(uid, "connection closed: {e}"),
    }
}

/// Reads from the stream, but never past `deadline`, however the bytes trickle in.
struct Deadline<'a> {
    stream: &'a UnixStream,
    deadline: Instant,
}

impl Read for Deadline<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(std::io::Error::new(std::io::ErrorKind::TimedOut, "deadline passed"));
        }
        self.stream.set_read_timeout(Some(left))?;
        match (&mut &*self.stream).read(buf) {
            // The socket's timeout is the deadline: say so, not "os error 11".
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                Err(std::io::Error::new(std::io::ErrorKind::TimedOut, "handshake deadline passed"))
            }
            other => other,
        }
    }
}

/// The handshake, within one deadline: the hello read straight from the
/// socket (no buffer reads ahead of it), the welcome written back.
fn handshake(stream: &UnixStream, shared: &Shared, uid: u32) -> Result<(Welcome, Hello), FrameError> {
    let deadline = Instant::now() + shared.connections.limits().handshake;
    let hello: Hello = protocol::read_frame(&mut Deadline { stream, deadline }, MAX_HELLO)?;
    let user = nix::unistd::User::from_uid(uid.into()).ok().flatten().map(|u| u.name);
    let welcome = match &user {
        _ if hello.protocol != PROTOCOL => Welcome::Mismatch { protocol: PROTOCOL, version: VERSION.into() },
        _ if hello.bank != shared.bank_path => Welcome::OtherBank { bank: shared.bank_path.clone() },
        None => Welcome::NoUser { uid },
        Some(user) => Welcome::Ok { version: VERSION.into(), user: user.clone() },
    };
    stream.set_write_timeout(Some(deadline.saturating_duration_since(Instant::now()).max(Duration::from_millis(1))))?;
    protocol::write_frame(&mut &*stream, &welcome, MAX_SERVER_FRAME)?;
    stream.set_write_timeout(None)?;
    Ok((welcome, hello))
}

fn session(stream: Arc<UnixStream>, shared: &Shared, uid: u32, ticket: &Ticket) -> Result<(), FrameError> {
    let (welcome, hello) = handshake(&stream, shared, uid)?;
    let Welcome::Ok { user, .. } = welcome else {
        return Err(FrameError::Garbled(format!("handshake refused: {welcome:?}")));
    };
    ticket.named(&user);
    let mut version: String = hello.version.chars().take(LOGGED_VERSION).collect();
    if version.len() < hello.version.len() {
        version.push('…');
    }
    tracing::info!(%user, uid, client = %crate::model::plain::log_escape(&version), "client connected");
    let actor = if uid == shared.owner || uid == 0 { Actor::server_user(user) } else { Actor::new(user) };

    let (queue, outgoing) = sync_channel::<Box<ServerMsg>>(QUEUE);
    // One credit per export chunk not yet written: the writer gives them back.
    let (credits, spent) = sync_channel::<()>(protocol::EXPORT_CHUNKS_IN_FLIGHT);
    let lagged = Arc::new(AtomicBool::new(false));
    let writer_lagged = lagged.clone();
    let writer_stream = stream.clone();
    let written = Arc::new(Written::default());
    let writer_written = written.clone();
    let writer_thread = std::thread::Builder::new()
        .name("banca-writer".into())
        .stack_size(WRITER_STACK)
        .spawn(move || write_loop(&writer_stream, outgoing, writer_lagged, spent, &writer_written))?;
    let out = Outgoing { queue: &queue, credits: &credits };

    let mut reader = BufReader::with_capacity(READ_BUFFER, Timed { stream: &stream, deadline: None });
    // A restore under way: its bytes are checked and written as they come.
    let mut restore: Option<Result<Restore<'_>, BankError>> = None;
    let mut subscribed = false;
    let mut wrote_failure = false;
    // Replies queued so far; the writer counts those it has written.
    let mut replies: u64 = 0;
    let idle = idle_time(shared.connections.limits().idle, is_active_operator(&shared.bank, &actor));
    let result = loop {
        // Frames already read ahead into the buffer are not on the socket
        // any more: wait only when the buffer is empty.
        if reader.buffer().is_empty() {
            match wait_readable(&stream, (!subscribed).then_some(idle))? {
                Waited::Readable => {}
                Waited::Idle => {
                    tracing::info!(user = %actor.user, "idle for {idle:?}: closed");
                    break Ok(());
                }
            }
        }
        if shared.shutdown.load(Ordering::SeqCst) {
            break Ok(());
        }
        reader.get_mut().deadline = Some(Instant::now() + FRAME_TIMEOUT);
        // The frame's room is held until its message has been handled (the
        // end of this turn of the loop): decoded values live that long.
        let msg = protocol::read_frame_reserving(&mut reader, MAX_FRAME, |len| {
            shared.frames.reserve(len, super::frame_budget::WAIT).ok_or(FrameError::NoRoom { len })
        });
        reader.get_mut().deadline = None;
        let (msg, _room): (ClientMsg, _) = match msg {
            Ok(m) => m,
            Err(FrameError::Closed) => break Ok(()),
            Err(e @ FrameError::NoRoom { .. }) => {
                tracing::warn!(user = %actor.user, "{e}: connection closed");
                break Err(e);
            }
            Err(e) => break Err(e),
        };
        match msg {
            ClientMsg::Subscribe => {
                let answer = match shared.bank.handle(&actor, Request::Whoami) {
                    Ok(_) => {
                        if !subscribed {
                            let user = actor.user.clone();
                            shared.fanout.add(Subscriber { user, queue: queue.clone(), lagged: lagged.clone() });
                            subscribed = true;
                        }
                        Ok(())
                    }
                    Err(e) => Err(e),
                };
                if queue.send(Box::new(ServerMsg::Subscription(answer))).is_err() {
                    break Ok(());
                }
            }
            // An import only goes into an empty bank: on any other, the
            // bytes are not kept (the call will be refused), so no client
            // can make a live server hold them.
            ClientMsg::ImportBytes { bytes } => {
                if let Ok(r) = restore.get_or_insert_with(|| shared.bank.begin_restore(&actor)) {
                    r.feed(&bytes);
                }
            }
            ClientMsg::Stop => {
                let allowed = uid == shared.owner || is_admin(&shared.bank, &actor);
                if allowed {
                    tracing::info!(user = %actor.user, "stop requested");
                    shared.shutdown.store(true, Ordering::SeqCst);
                }
                let _ = queue.send(Box::new(ServerMsg::Stopping { accepted: allowed }));
            }
            ClientMsg::Call { id, request } => {
                // Anything but the import's own end abandons it (and its writer lock).
                let under_way = restore.take();
                // A heavy answer is built only with a place, and holds it
                // until written: what the server holds for heavy requests
                // is bounded by the places, however the clients read.
                let permit = match request.is_heavy().then(|| shared.heavy.acquire(&actor.user)) {
                    Some(Err(scope)) => {
                        tracing::info!(user = %actor.user, ?scope, "heavy request refused: busy");
                        if out.reply(id, Err(BankError::Busy { scope })).is_err() {
                            break Ok(());
                        }
                        replies += 1;
                        continue;
                    }
                    Some(Ok(permit)) => Some(permit),
                    None => None,
                };
                let response = match (*request, under_way) {
                    (Request::Import { lines }, Some(Ok(mut r))) => {
                        for l in &lines {
                            r.feed(l.as_bytes());
                            r.feed(b"\n");
                        }
                        shared.bank.finish_restore(r)
                    }
                    (Request::Import { .. }, Some(Err(e))) => Err(e),
                    (Request::Export, _) => match export(shared, &actor, id, &out) {
                        Ok(response) => response,
                        Err(Gone) => break Ok(()),
                    },
                    (request, _) => shared.bank.handle(&actor, request),
                };
                if let Err(BankError::Storage(e)) = &response {
                    tracing::error!(user = %actor.user, "storage error: {e}");
                }
                // This write failed on disk: its author is told, then the
                // server stops (below, once the reply has left).
                let failed = matches!(response, Err(BankError::WriteFailed { .. }));
                let gone = out.reply(id, response).is_err();
                if failed {
                    wrote_failure = true;
                }
                if gone || failed {
                    break Ok(());
                }
                replies += 1;
                if let Some(permit) = permit {
                    if !written.wait_for(replies, Instant::now() + FRAME_TIMEOUT) {
                        break Err(FrameError::Io(std::io::ErrorKind::TimedOut.into()));
                    }
                    drop(permit);
                }
            }
        }
    };
    // The fanout holds a sender too: without removing it the writer would
    // wait for more events forever and keep the server from stopping.
    shared.fanout.remove(&lagged);
    drop(queue);
    let waited = Instant::now();
    while !writer_thread.is_finished() && waited.elapsed() < WRITER_GRACE {
        std::thread::sleep(Duration::from_millis(20));
    }
    if !writer_thread.is_finished() {
        // A client that stopped reading leaves the writer blocked on a full socket.
        let _ = stream.shutdown(std::net::Shutdown::Both);
    }
    let _ = writer_thread.join();
    if wrote_failure {
        super::halt(&shared.bank);
    }
    result
}

/// The socket, read with a deadline for the whole frame when one is set.
struct Timed<'a> {
    stream: &'a UnixStream,
    deadline: Option<Instant>,
}

impl Read for Timed<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self.deadline {
            Some(deadline) => Deadline { stream: self.stream, deadline }.read(buf),
            None => {
                self.stream.set_read_timeout(None)?;
                (&mut &*self.stream).read(buf)
            }
        }
    }
}

enum Waited {
    Readable,
    /// Nothing came for the idle time.
    Idle,
}

/// Waits until the client sends something (or its connection is closed
/// from our side: the server stopping, its operator deactivated), or until
/// `idle` has passed without a byte.
fn wait_readable(stream: &UnixStream, idle: Option<Duration>) -> Result<Waited, FrameError> {
    let until = idle.map(|d| Instant::now() + d);
    loop {
        let timeout = match until {
            // poll takes milliseconds up to about 24 days.
            Some(t) => PollTimeout::try_from(t.saturating_duration_since(Instant::now())).unwrap_or(PollTimeout::MAX),
            None => PollTimeout::NONE,
        };
        let mut fds = [PollFd::new(stream.as_fd(), PollFlags::POLLIN)];
        match poll(&mut fds, timeout) {
            Ok(0) if until.is_some_and(|t| Instant::now() >= t) => return Ok(Waited::Idle),
            Ok(0) => continue,
            Ok(_) => return Ok(Waited::Readable),
            Err(nix::errno::Errno::EINTR) => continue,
            Err(e) => return Err(FrameError::Io(e.into())),
        }
    }
}

/// Where a connection's messages go: the writer's queue, and the credits
/// that keep an export's chunks from piling up in it.
struct Outgoing<'a> {
    queue: &'a std::sync::mpsc::SyncSender<Box<ServerMsg>>,
    credits: &'a std::sync::mpsc::SyncSender<()>,
}

impl Outgoing<'_> {
    fn reply(&self, id: u64, response: Response) -> Result<(), Gone> {
        self.queue.send(Box::new(ServerMsg::Reply { id, response: Box::new(response) })).map_err(|_| Gone)
    }

    /// Sends a chunk once fewer than `EXPORT_CHUNKS_IN_FLIGHT` are waiting to be written.
    fn chunk(&self, id: u64, lines: Vec<String>) -> Result<(), Gone> {
        self.credits.send(()).map_err(|_| Gone)?;
        self.queue.send(Box::new(ServerMsg::ExportLines { id, lines })).map_err(|_| Gone)
    }
}

/// An export, as a consistent snapshot: written whole to a spool file (no
/// name, owner-only, in the bank's folder: on disk, not in memory) under
/// the writer lock, which is then let go; the file then goes out in
/// chunks as fast as the client reads them. The reply carries the last lines.
fn export(shared: &Shared, actor: &Actor, id: u64, out: &Outgoing<'_>) -> Result<Response, Gone> {
    use std::io::{Seek, Write};
    let spooled = (|| -> Result<std::fs::File, BankError> {
        let io = |e: std::io::Error| BankError::Storage(format!("export spool: {e}"));
        let file = spool_file(shared.bank.store().path()).map_err(io)?;
        let mut w = std::io::BufWriter::with_capacity(64 << 10, file);
        shared.bank.export_into(actor, &mut w)?;
        w.flush().map_err(io)?;
        let mut file = w.into_inner().map_err(|e| io(e.into_error()))?;
        file.rewind().map_err(io)?;
        Ok(file)
    })();
    let file = match spooled {
        Ok(f) => f,
        Err(e) => return Ok(Err(e)),
    };
    let mut reader = std::io::BufReader::with_capacity(64 << 10, file);
    let mut ahead = protocol::read_line_chunk(&mut reader);
    loop {
        let chunk = match ahead {
            Ok(c) => c,
            Err(e) => return Ok(Err(BankError::Storage(format!("export spool: {e}")))),
        };
        ahead = protocol::read_line_chunk(&mut reader);
        if matches!(&ahead, Ok(next) if next.is_empty()) {
            return Ok(Ok(Reply::Export { lines: chunk }));
        }
        out.chunk(id, chunk)?;
    }
}

/// A file for a spooled export: without a name (O_TMPFILE), so it is gone
/// with the connection or the process whatever happens; where O_TMPFILE is
/// not supported, a private file removed at once.
fn spool_file(dir: &std::path::Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    let unnamed =
        std::fs::OpenOptions::new().read(true).write(true).custom_flags(libc::O_TMPFILE).mode(0o600).open(dir);
    match unnamed {
        Ok(f) => Ok(f),
        Err(_) => {
            let path = dir.join(format!(".export-{}-{:?}.spool", std::process::id(), std::thread::current().id()));
            let f = std::fs::OpenOptions::new().read(true).write(true).create_new(true).mode(0o600).open(&path)?;
            std::fs::remove_file(&path)?;
            Ok(f)
        }
    }
}

/// The client's writer has gone: stop serving it.
struct Gone;

/// How many replies the writer has written, for a heavy call that keeps
/// its place until its answer has left (counted here, not by the ids a
/// client chooses).
#[derive(Default)]
struct Written {
    /// Replies written, and whether the writer has stopped.
    state: std::sync::Mutex<(u64, bool)>,
    changed: std::sync::Condvar,
}

impl Written {
    fn reply(&self) {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        s.0 += 1;
        self.changed.notify_all();
    }

    fn stopped(&self) {
        self.state.lock().unwrap_or_else(|p| p.into_inner()).1 = true;
        self.changed.notify_all();
    }

    /// Waits until `count` replies are written; false when the writer stopped or `deadline` passed first.
    fn wait_for(&self, count: u64, deadline: Instant) -> bool {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if s.0 >= count {
                return true;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if s.1 || left.is_zero() {
                return false;
            }
            s = self.changed.wait_timeout(s, left).unwrap_or_else(|p| p.into_inner()).0;
        }
    }
}

fn write_loop(
    stream: &UnixStream,
    outgoing: Receiver<Box<ServerMsg>>,
    lagged: Arc<AtomicBool>,
    spent: Receiver<()>,
    written: &Written,
) {
    write_all(stream, outgoing, lagged, spent, written);
    written.stopped();
}

fn write_all(
    stream: &UnixStream,
    outgoing: Receiver<Box<ServerMsg>>,
    lagged: Arc<AtomicBool>,
    spent: Receiver<()>,
    written: &Written,
) {
    let mut writer = stream;
    for msg in outgoing {
        let chunk = matches!(*msg, ServerMsg::ExportLines { .. });
        let is_reply = matches!(&*msg, ServerMsg::Reply { .. });
        let sent = match protocol::write_frame(&mut writer, &msg, MAX_SERVER_FRAME) {
            // A reply that cannot be sent as it is (too large, or a value the
            // codec cannot encode): its caller gets an error it can show,
            // never a silent wait.
            Err(e @ (FrameError::TooLarge { .. } | FrameError::Garbled(_))) => match *msg {
                ServerMsg::Reply { id, .. } => {
                    let reason = match e {
                        FrameError::TooLarge { len, .. } => {
                            format!("reply of {len} bytes too large: narrow the request")
                        }
                        other => {
                            tracing::error!("reply {id} could not be encoded: {other}");
                            format!("the reply could not be encoded: {other}")
                        }
                    };
                    let response = Box::new(Err(BankError::Storage(reason)));
                    protocol::write_frame(&mut writer, &ServerMsg::Reply { id, response }, MAX_SERVER_FRAME)
                }
                _ => Ok(()),
            },
            other => other,
        };
        if sent.is_err() {
            break;
        }
        if chunk {
            let _ = spent.try_recv();
        }
        if is_reply {
            written.reply();
        }
        if lagged.swap(false, Ordering::Relaxed)
            && protocol::write_frame(&mut writer, &ServerMsg::Lagged, MAX_SERVER_FRAME).is_err()
        {
            break;
        }
    }
    // Whatever ended the writer ends the connection: a client waiting for an
    // answer sees it closed instead of waiting forever.
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

/// Someone the bank does not know as an active operator (a group member
/// without an operator record, the server's user before `init`) may ask
/// and read the answer, but not hold a connection: a thirtieth of the idle
/// time (30 s of the default 15 min), so such accounts cannot fill the cap.
fn idle_time(idle: Duration, active_operator: bool) -> Duration {
    if active_operator {
        idle
    } else {
        (idle / 30).max(Duration::from_secs(1))
    }
}

fn is_active_operator(bank: &Bank, actor: &Actor) -> bool {
    matches!(bank.handle(actor, Request::Whoami), Ok(Reply::Whoami(_)))
}

fn is_admin(bank: &Bank, actor: &Actor) -> bool {
    matches!(bank.handle(actor, Request::Whoami), Ok(Reply::Whoami(p)) if p.role == crate::model::Role::Admin)
}
