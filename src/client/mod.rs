//! The client side of the socket: every CLI command (and the TUI) talks to
//! the bank's server through this. When no server answers, one is started
//! in the background, detached, and exits on its own when idle.

mod spawn;
pub mod trust;

use std::collections::VecDeque;
use std::io::BufReader;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::api::{BankError, Event, Reply, Request, Response};
use crate::protocol::{
    self, BusyScope, ClientMsg, FrameError, Hello, ServerMsg, Welcome, MAX_FRAME, MAX_SERVER_FRAME, PROTOCOL, VERSION,
};

/// Which server to talk to, and whether to start one.
#[derive(Debug, Clone)]
pub struct Target {
    /// The bank's canonical path (what the handshake checks).
    pub bank: PathBuf,
    pub socket: PathBuf,
    /// Start a server when none answers.
    pub spawn: bool,
    /// The started server may create the bank (init, demo, import).
    pub create: bool,
    /// How long a started server waits after its last client.
    pub idle_exit: Duration,
    /// The Unix user the server must run as; `None`: the caller itself
    /// (a personal bank). Checked before anything is sent.
    pub server_user: Option<String>,
    /// A system server is configured: when it is down, only the
    /// administrator can start it.
    pub shared: bool,
    /// How long to wait for a reply: a stuck server never hangs the client.
    pub reply_timeout: Duration,
}

/// Connecting and the handshake never take longer than this.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// How long `stop` waits for a stopping server to let go of its bank (over
/// 10 s after a 1 000 000-family demo: docs/performance.md).
pub const STOP_WAIT: Duration = Duration::from_secs(60);
/// Long enough for an export or import of 100 000 families (seconds), finite.
pub const DEFAULT_REPLY_TIMEOUT: Duration = Duration::from_secs(120);

impl Target {
    /// The caller's own server of `bank` on `socket`, started by nobody.
    pub fn new(bank: PathBuf, socket: PathBuf) -> Target {
        Target {
            bank,
            socket,
            spawn: false,
            create: false,
            idle_exit: Duration::from_secs(15 * 60),
            server_user: None,
            shared: false,
            reply_timeout: DEFAULT_REPLY_TIMEOUT,
        }
    }
}

/// What the client was doing when its time ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Connect,
    Handshake,
    Reply,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum ClientError {
    #[error("no server answers on {socket}")]
    NoServer { socket: PathBuf, shared: bool },
    /// The server reached is not the one the client should trust; nothing was sent.
    #[error("refusing the server on {}: {:?}", .0.socket.display(), .0.why)]
    Untrusted(Box<trust::Untrusted>),
    #[error("the server on {socket} did not answer within {after:?} ({stage:?})")]
    TimedOut { socket: PathBuf, after: Duration, stage: Stage, write_unknown: bool },
    /// A change that never left this client: nothing was saved.
    #[error("the change was not sent: {0}")]
    NotSent(Box<ClientError>),
    #[error("permission denied on {socket}")]
    PermissionDenied { socket: PathBuf },
    /// The server we started could not start; its own words.
    #[error("{0}")]
    ServerFailed(String),
    #[error("server is banca {server}, this client {client}: restart the server")]
    Mismatch { server: String, client: String, shared: bool },
    #[error("the server on {socket} serves the bank {serves}, not {wanted}")]
    OtherBank { socket: PathBuf, serves: String, wanted: String },
    #[error("no user name for uid {0}")]
    NoUser(u32),
    /// Too many connections open (this user's, or the whole server's).
    #[error("the server has too many connections open: {0:?}")]
    Busy(BusyScope),
    /// Only an active operator may follow the bank's changes.
    #[error("subscription refused: {0}")]
    NotSubscribed(BankError),
    #[error("the connection to the server was lost")]
    Lost { write_unknown: bool },
    #[error("protocol error: {0}")]
    Protocol(String),
    /// What was to be sent could not be read (an import file).
    #[error("reading the file: {0}")]
    Source(String),
}

pub struct Client {
    target: Target,
    reader: BufReader<UnixStream>,
    writer: UnixStream,
    next_id: u64,
    /// Who the server says we are (from the kernel).
    pub user: String,
    pub server_version: String,
    events: VecDeque<Event>,
    /// A reply timed out halfway through a frame: the next call reconnects.
    broken: bool,
}

impl ClientError {
    /// The same failure, known to have happened before a change was sent.
    pub fn not_sent(self) -> ClientError {
        match self {
            already @ ClientError::NotSent(_) => already,
            other => ClientError::NotSent(Box::new(other)),
        }
    }
}

/// A connection to `socket`, waiting at most `within` while the server's
/// queue of new connections is full.
fn connect_within(socket: &Path, within: Duration) -> std::io::Result<UnixStream> {
    use nix::sys::socket::{connect, socket as new_socket, AddressFamily, SockFlag, SockType, UnixAddr};
    use std::os::fd::AsRawFd;
    let deadline = Instant::now() + within;
    let addr = UnixAddr::new(socket).map_err(std::io::Error::from)?;
    loop {
        let fd =
            new_socket(AddressFamily::Unix, SockType::Stream, SockFlag::SOCK_NONBLOCK | SockFlag::SOCK_CLOEXEC, None)
                .map_err(std::io::Error::from)?;
        match connect(fd.as_raw_fd(), &addr) {
            Ok(()) => {
                let stream = UnixStream::from(fd);
                stream.set_nonblocking(false)?;
                return Ok(stream);
            }
            // A Unix socket says EAGAIN when the listener's queue is full: wait a little.
            Err(nix::errno::Errno::EAGAIN) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10))
            }
            Err(nix::errno::Errno::EAGAIN) => return Err(std::io::ErrorKind::TimedOut.into()),
            Err(e) => return Err(e.into()),
        }
    }
}

impl Client {
    /// Connects, checks that the server is the genuine one (before sending
    /// anything), and says hello.
    pub fn connect(target: Target) -> Result<Client, ClientError> {
        let stream = match connect_within(&target.socket, HANDSHAKE_TIMEOUT) {
            Ok(s) => s,
            // A server is there but this user may not reach it: say so, do not start another.
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                return Err(ClientError::PermissionDenied { socket: target.socket.clone() })
            }
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {
                return Err(ClientError::TimedOut {
                    socket: target.socket.clone(),
                    after: HANDSHAKE_TIMEOUT,
                    stage: Stage::Connect,
                    write_unknown: false,
                })
            }
            Err(_) if target.spawn => spawn::start_server(&target)?,
            Err(_) => return Err(ClientError::NoServer { socket: target.socket.clone(), shared: target.shared }),
        };
        trust::check_server(&stream, &target.socket, target.server_user.as_deref()).map_err(ClientError::Untrusted)?;
        Client::handshake(target, stream)
    }

    fn handshake(target: Target, stream: UnixStream) -> Result<Client, ClientError> {
        let socket = target.socket.clone();
        let lost = |e: FrameError| {
            if is_timeout(&e) {
                let (after, stage) = (HANDSHAKE_TIMEOUT, Stage::Handshake);
                ClientError::TimedOut { socket: socket.clone(), after, stage, write_unknown: false }
            } else {
                ClientError::Lost { write_unknown: false }
            }
        };
        let deadline = |s: &UnixStream, d| s.set_read_timeout(Some(d)).and_then(|()| s.set_write_timeout(Some(d)));
        deadline(&stream, HANDSHAKE_TIMEOUT).map_err(|e| lost(FrameError::Io(e)))?;
        let mut writer = stream.try_clone().map_err(|e| lost(FrameError::Io(e)))?;
        let mut reader = BufReader::new(stream);
        let hello = Hello { protocol: PROTOCOL, version: VERSION.into(), bank: target.bank.display().to_string() };
        // A server over its connection cap answers Busy and closes without
        // reading: the hello may not go out, but the answer is there to read.
        let sent = protocol::write_frame(&mut writer, &hello, MAX_FRAME);
        let welcome = protocol::read_frame::<Welcome>(&mut reader, MAX_SERVER_FRAME);
        let welcome = match (sent, welcome) {
            (_, Ok(w)) => w,
            (Err(e), Err(_)) | (Ok(()), Err(e)) => return Err(lost(e)),
        };
        deadline(reader.get_ref(), target.reply_timeout).map_err(|e| lost(FrameError::Io(e)))?;
        match welcome {
            Welcome::Ok { version, user } => Ok(Client {
                target,
                reader,
                writer,
                next_id: 1,
                user,
                server_version: version,
                events: VecDeque::new(),
                broken: false,
            }),
            Welcome::Mismatch { version, .. } => {
                Err(ClientError::Mismatch { server: version, client: VERSION.into(), shared: target.shared })
            }
            Welcome::OtherBank { bank } => Err(ClientError::OtherBank {
                socket: target.socket.clone(),
                serves: bank,
                wanted: target.bank.display().to_string(),
            }),
            Welcome::NoUser { uid } => Err(ClientError::NoUser(uid)),
            Welcome::Busy { scope } => Err(ClientError::Busy(scope)),
        }
    }

    /// Sends a request and waits for its answer. A read whose connection
    /// was lost is sent once more on a new connection; a write never is.
    /// A write that could not be sent is `NotSent` (nothing was saved); one
    /// sent whose answer never came is `Lost`/`TimedOut` with
    /// `write_unknown` (its outcome is unknown), and the caller must say so.
    pub fn call(&mut self, request: Request) -> Result<Response, ClientError> {
        let read = request.is_read();
        // A link broken by a timeout, or one the server closed as idle (and
        // not following events), is replaced before sending: a save after a
        // long pause is then sent rather than reported as uncertain.
        if self.broken || self.closed_by_server() {
            self.reconnect().map_err(|e| if read { e } else { e.not_sent() })?;
        }
        match self.exchange(request.clone()) {
            Err(ClientError::Lost { .. } | ClientError::NotSent(_)) if read => {
                self.reconnect()?;
                self.exchange(request)
            }
            Err(e @ ClientError::NotSent(_)) => Err(e),
            Err(ClientError::Lost { .. }) => Err(ClientError::Lost { write_unknown: true }),
            Err(ClientError::TimedOut { socket, after, stage, .. }) => {
                Err(ClientError::TimedOut { socket, after, stage, write_unknown: !read })
            }
            other => other,
        }
    }

    /// Several requests at once (the interface's worker): every one is
    /// sent before any answer is read, and the answers, which the server
    /// gives in order, are read as they come: one round trip for all.
    /// What `call` promises holds for each: a read whose connection was
    /// lost is asked again on a new one, a write never is (`NotSent` when
    /// it did not leave, `write_unknown` when its answer never came).
    pub fn call_many(&mut self, requests: Vec<Request>) -> Vec<Result<Response, ClientError>> {
        // An export streams its lines and an import its bytes: those go one by one.
        if requests.len() < 2 || requests.iter().any(|r| matches!(r, Request::Export | Request::Import { .. })) {
            return requests.into_iter().map(|r| self.call(r)).collect();
        }
        if self.broken || self.closed_by_server() {
            if let Err(e) = self.reconnect() {
                return requests
                    .into_iter()
                    .map(|r| Err(if r.is_read() { e.clone() } else { e.clone().not_sent() }))
                    .collect();
            }
        }
        let first = self.next_id;
        let mut sent = 0;
        for request in &requests {
            let id = self.next_id;
            self.next_id += 1;
            if self.send(&ClientMsg::Call { id, request: Box::new(request.clone()) }).is_err() {
                break;
            }
            sent += 1;
        }
        let mut answers: Vec<Option<Result<Response, ClientError>>> = (0..requests.len()).map(|_| None).collect();
        let mut failure = None;
        let mut waiting = sent;
        while waiting > 0 {
            match self.receive() {
                Ok(ServerMsg::Reply { id, response }) if (first..first + sent as u64).contains(&id) => {
                    let at = (id - first) as usize;
                    if answers[at].is_none() {
                        waiting -= 1;
                    }
                    answers[at] = Some(Ok(*response));
                }
                Ok(other) => {
                    if let Some(other) = self.keep_event(other) {
                        failure = Some(ClientError::Protocol(format!("unexpected {other:?}")));
                        break;
                    }
                }
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
        }
        if failure.is_some() {
            // What came after a broken frame cannot be trusted: the next call reconnects.
            self.broken = true;
        }
        let mut out = Vec::with_capacity(requests.len());
        for (at, (request, answer)) in requests.into_iter().zip(answers).enumerate() {
            out.push(match (answer, &failure) {
                (Some(answer), _) => answer,
                // Not sent, or sent with no answer: a read is asked again.
                (None, _) if request.is_read() => self.call(request),
                (None, _) if at >= sent => Err(ClientError::Lost { write_unknown: false }.not_sent()),
                (None, Some(ClientError::TimedOut { socket, after, stage, .. })) => Err(ClientError::TimedOut {
                    socket: socket.clone(),
                    after: *after,
                    stage: *stage,
                    write_unknown: true,
                }),
                (None, _) => Err(ClientError::Lost { write_unknown: true }),
            });
        }
        out
    }

    /// An import: the file's bytes go ahead in chunks as they are read,
    /// and `Request::Import` ends it. The server checks and writes each
    /// chunk as it comes and keeps nothing unless the whole file is good;
    /// a chunk that cannot be read closes the connection, which abandons
    /// the import (nothing is kept).
    pub fn import(
        &mut self,
        chunks: impl IntoIterator<Item = std::io::Result<Vec<u8>>>,
    ) -> Result<Response, ClientError> {
        // As in `call`: a connection the server closed while the lines were
        // being prepared (a large demo takes a while) is replaced first.
        if self.broken || self.closed_by_server() {
            self.reconnect().map_err(ClientError::not_sent)?;
        }
        for chunk in chunks {
            let bytes = match chunk {
                Ok(b) => b,
                Err(e) => {
                    self.broken = true;
                    let _ = self.writer.shutdown(std::net::Shutdown::Both);
                    return Err(ClientError::NotSent(Box::new(ClientError::Source(e.to_string()))));
                }
            };
            self.send(&ClientMsg::ImportBytes { bytes }).map_err(|e| self.lost(e, false).not_sent())?;
        }
        self.exchange(Request::Import { lines: vec![] }).map_err(|e| match e {
            ClientError::NotSent(_) => e,
            ClientError::Lost { .. } => ClientError::Lost { write_unknown: true },
            ClientError::TimedOut { socket, after, stage, .. } => {
                ClientError::TimedOut { socket, after, stage, write_unknown: true }
            }
            other => other,
        })
    }

    /// An export, streamed: each chunk of lines goes to `sink` as it
    /// arrives, nothing is gathered. The reply's own lines too; the answer
    /// is then `Reply::Export` with no lines.
    pub fn export(&mut self, sink: &mut dyn FnMut(Vec<String>)) -> Result<Response, ClientError> {
        if self.broken || self.closed_by_server() {
            self.reconnect().map_err(ClientError::not_sent)?;
        }
        let id = self.next_id;
        self.next_id += 1;
        self.send(&ClientMsg::Call { id, request: Box::new(Request::Export) })
            .map_err(|e| self.lost(e, false).not_sent())?;
        loop {
            match self.receive()? {
                ServerMsg::Reply { id: got, response } if got == id => {
                    return Ok(match *response {
                        Ok(Reply::Export { lines }) => {
                            sink(lines);
                            Ok(Reply::Export { lines: vec![] })
                        }
                        other => other,
                    });
                }
                ServerMsg::ExportLines { id: got, lines } if got == id => sink(lines),
                other => {
                    if let Some(other) = self.keep_event(other) {
                        return Err(ClientError::Protocol(format!("unexpected {other:?}")));
                    }
                }
            }
        }
    }

    /// Asks the server to stop and waits until it has let go of the bank;
    /// false when it refused (only its owner or an admin may stop it).
    pub fn stop(&mut self) -> Result<bool, ClientError> {
        self.send(&ClientMsg::Stop).map_err(|e| self.lost(e, false))?;
        loop {
            match self.receive()? {
                ServerMsg::Stopping { accepted: false } => return Ok(false),
                ServerMsg::Stopping { accepted: true } => break,
                other => {
                    self.keep_event(other);
                }
            }
        }
        // The server closes every connection, then flushes, refreshes its
        // store's snapshot (seconds on a large bank) and removes its socket
        // last: until then the bank is still its own.
        while self.receive().is_ok() {}
        let deadline = std::time::Instant::now() + STOP_WAIT;
        while self.target.socket.exists() && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(true)
    }

    /// From now on the server pushes an event after every committed change
    /// this user may see; refused unless the user is an active operator.
    pub fn subscribe(&mut self) -> Result<(), ClientError> {
        self.send(&ClientMsg::Subscribe).map_err(|e| self.lost(e, false))?;
        loop {
            match self.receive()? {
                ServerMsg::Subscription(Ok(())) => return Ok(()),
                ServerMsg::Subscription(Err(e)) => return Err(ClientError::NotSubscribed(e)),
                other => {
                    if let Some(other) = self.keep_event(other) {
                        return Err(ClientError::Protocol(format!("unexpected {other:?}")));
                    }
                }
            }
        }
    }

    /// Events received so far (while waiting for replies, or within `wait`).
    pub fn events(&mut self, wait: Duration) -> Result<Vec<Event>, ClientError> {
        if self.events.is_empty() && !wait.is_zero() {
            self.reader
                .get_ref()
                .set_read_timeout(Some(wait))
                .map_err(|_| ClientError::Lost { write_unknown: false })?;
            let got = self.receive();
            let _ = self.reader.get_ref().set_read_timeout(Some(self.target.reply_timeout));
            match got {
                Ok(msg) => {
                    self.keep_event(msg);
                }
                // Nothing within `wait`: no events (a frame cut by the wait breaks the link).
                Err(ClientError::TimedOut { .. }) if self.events.is_empty() => self.broken = false,
                Err(ClientError::Lost { .. }) if self.events.is_empty() => {}
                Err(e) => return Err(e),
            }
        }
        Ok(self.events.drain(..).collect())
    }

    /// Waits as long as it takes for the next events (for a thread that
    /// only listens); an error means the server went away.
    pub fn wait_events(&mut self) -> Result<Vec<Event>, ClientError> {
        // A listener waits for as long as nothing changes: no reply timeout here.
        self.reader.get_ref().set_read_timeout(None).map_err(|_| ClientError::Lost { write_unknown: false })?;
        while self.events.is_empty() {
            let msg = self.receive()?;
            if let Some(other) = self.keep_event(msg) {
                return Err(ClientError::Protocol(format!("unexpected {other:?}")));
            }
        }
        Ok(self.events.drain(..).collect())
    }

    fn exchange(&mut self, request: Request) -> Result<Response, ClientError> {
        let id = self.next_id;
        self.next_id += 1;
        // Nothing of a failed write reached the server: it was not sent.
        self.send(&ClientMsg::Call { id, request: Box::new(request) }).map_err(|e| self.lost(e, false).not_sent())?;
        let mut export: Vec<String> = Vec::new();
        loop {
            match self.receive()? {
                ServerMsg::Reply { id: got, response } if got == id => {
                    return Ok(match *response {
                        Ok(Reply::Export { lines }) if !export.is_empty() => {
                            export.extend(lines);
                            Ok(Reply::Export { lines: export })
                        }
                        other => other,
                    });
                }
                ServerMsg::ExportLines { id: got, lines } if got == id => export.extend(lines),
                other => {
                    if let Some(other) = self.keep_event(other) {
                        return Err(ClientError::Protocol(format!("unexpected {other:?}")));
                    }
                }
            }
        }
    }

    /// Keeps an event (or the word that events were missed, as an event of
    /// kind `lagged`: the reader should resync); anything else is given back.
    fn keep_event(&mut self, msg: ServerMsg) -> Option<ServerMsg> {
        match msg {
            ServerMsg::Event(e) => self.events.push_back(e),
            ServerMsg::Lagged => self.events.push_back(Event::Lagged),
            other => return Some(other),
        }
        None
    }

    fn send(&mut self, msg: &ClientMsg) -> Result<(), FrameError> {
        protocol::write_frame(&mut self.writer, msg, MAX_FRAME)
    }

    fn receive(&mut self) -> Result<ServerMsg, ClientError> {
        protocol::read_frame(&mut self.reader, MAX_SERVER_FRAME).map_err(|e| match e {
            FrameError::Closed | FrameError::Io(_) => self.lost(e, false),
            other => ClientError::Protocol(other.to_string()),
        })
    }

    /// A failed read or write: a timeout (the link is then unusable, as a
    /// frame may be cut) or a lost connection.
    fn lost(&mut self, e: FrameError, write_unknown: bool) -> ClientError {
        if is_timeout(&e) {
            self.broken = true;
            let after = self.reader.get_ref().read_timeout().ok().flatten().unwrap_or(self.target.reply_timeout);
            ClientError::TimedOut { socket: self.target.socket.clone(), after, stage: Stage::Reply, write_unknown }
        } else {
            ClientError::Lost { write_unknown }
        }
    }

    /// True when the server has closed this connection: nothing buffered,
    /// and the socket reads as ended without waiting.
    fn closed_by_server(&self) -> bool {
        use nix::sys::socket::{recv, MsgFlags};
        use std::os::fd::AsRawFd;
        if !self.reader.buffer().is_empty() {
            return false;
        }
        let mut byte = [0u8; 1];
        let fd = self.reader.get_ref().as_raw_fd();
        matches!(
            recv(fd, &mut byte, MsgFlags::MSG_PEEK | MsgFlags::MSG_DONTWAIT),
            Ok(0) | Err(nix::errno::Errno::ECONNRESET)
        )
    }

    fn reconnect(&mut self) -> Result<(), ClientError> {
        let fresh = Client::connect(self.target.clone())?;
        *self = Client { events: std::mem::take(&mut self.events), ..fresh };
        Ok(())
    }
}

fn is_timeout(e: &FrameError) -> bool {
    matches!(e, FrameError::Io(io) if matches!(io.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut))
}
