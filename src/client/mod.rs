//! The client side of the socket: every CLI command (and the TUI) talks to
//! the bank's server through this. When no server answers, one is started
//! in the background, detached, and exits on its own when idle.

mod spawn;

use std::collections::VecDeque;
use std::io::BufReader;
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::time::Duration;

use crate::bank::{BankError, Reply, Request, Response};
use crate::protocol::{
    self, BusyScope, ClientMsg, Event, FrameError, Hello, ServerMsg, Welcome, MAX_FRAME, MAX_SERVER_FRAME, PROTOCOL,
    VERSION,
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
}

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("no server answers on {socket}")]
    NoServer { socket: PathBuf },
    #[error("permission denied on {socket}")]
    PermissionDenied { socket: PathBuf },
    /// The server we started could not start; its own words.
    #[error("{0}")]
    ServerFailed(String),
    #[error("server is banca {server}, this client {client}: restart the server")]
    Mismatch { server: String, client: String },
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
}

impl Client {
    pub fn connect(target: Target) -> Result<Client, ClientError> {
        let stream = match UnixStream::connect(&target.socket) {
            Ok(s) => s,
            // A server is there but this user may not reach it: say so, do not start another.
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                return Err(ClientError::PermissionDenied { socket: target.socket.clone() })
            }
            Err(_) if target.spawn => spawn::start_server(&target)?,
            Err(_) => return Err(ClientError::NoServer { socket: target.socket.clone() }),
        };
        Client::handshake(target, stream)
    }

    fn handshake(target: Target, stream: UnixStream) -> Result<Client, ClientError> {
        let lost = |_| ClientError::Lost { write_unknown: false };
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
        match welcome {
            Welcome::Ok { version, user } => Ok(Client {
                target,
                reader,
                writer,
                next_id: 1,
                user,
                server_version: version,
                events: VecDeque::new(),
            }),
            Welcome::Mismatch { version, .. } => Err(ClientError::Mismatch { server: version, client: VERSION.into() }),
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
    /// was lost is sent once more on a new connection; a write never is:
    /// its outcome is unknown and the caller must say so.
    pub fn call(&mut self, request: Request) -> Result<Response, ClientError> {
        // The server closes a connection left idle (and not following
        // events): found out before sending, a new one is made, so that a
        // save after a long pause is sent rather than reported as uncertain.
        if self.closed_by_server() {
            self.reconnect()?;
        }
        match self.exchange(request.clone()) {
            Err(ClientError::Lost { .. }) if request.is_read() => {
                self.reconnect()?;
                self.exchange(request)
            }
            Err(ClientError::Lost { .. }) => Err(ClientError::Lost { write_unknown: true }),
            other => other,
        }
    }

    /// An import: the lines go ahead in chunks, the request carries the last ones.
    pub fn import(&mut self, lines: Vec<String>) -> Result<Response, ClientError> {
        let mut chunks = protocol::chunk_lines(lines);
        let last = chunks.pop().unwrap_or_default();
        for lines in chunks {
            self.send(&ClientMsg::ImportLines { lines }).map_err(|_| ClientError::Lost { write_unknown: true })?;
        }
        self.exchange(Request::Import { lines: last }).map_err(|e| match e {
            ClientError::Lost { .. } => ClientError::Lost { write_unknown: true },
            other => other,
        })
    }

    /// Asks the server to stop and waits until it has let go of the bank;
    /// false when it refused (only its owner or an admin may stop it).
    pub fn stop(&mut self) -> Result<bool, ClientError> {
        self.send(&ClientMsg::Stop).map_err(|_| ClientError::Lost { write_unknown: false })?;
        loop {
            match self.receive()? {
                ServerMsg::Stopping { accepted: false } => return Ok(false),
                ServerMsg::Stopping { accepted: true } => break,
                other => {
                    self.keep_event(other);
                }
            }
        }
        // The server closes every connection, then flushes and exits.
        while self.receive().is_ok() {}
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while self.target.socket.exists() && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(true)
    }

    /// From now on the server pushes an event after every committed change
    /// this user may see; refused unless the user is an active operator.
    pub fn subscribe(&mut self) -> Result<(), ClientError> {
        self.send(&ClientMsg::Subscribe).map_err(|_| ClientError::Lost { write_unknown: false })?;
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
            let _ = self.reader.get_ref().set_read_timeout(None);
            match got {
                Ok(msg) => {
                    self.keep_event(msg);
                }
                Err(ClientError::Lost { .. }) if self.events.is_empty() => {}
                Err(e) => return Err(e),
            }
        }
        Ok(self.events.drain(..).collect())
    }

    /// Waits as long as it takes for the next events (for a thread that
    /// only listens); an error means the server went away.
    pub fn wait_events(&mut self) -> Result<Vec<Event>, ClientError> {
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
        self.send(&ClientMsg::Call { id, request: Box::new(request) })
            .map_err(|_| ClientError::Lost { write_unknown: false })?;
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
            ServerMsg::Lagged => self.events.push_back(Event::lagged()),
            other => return Some(other),
        }
        None
    }

    fn send(&mut self, msg: &ClientMsg) -> Result<(), FrameError> {
        protocol::write_frame(&mut self.writer, msg, MAX_FRAME)
    }

    fn receive(&mut self) -> Result<ServerMsg, ClientError> {
        protocol::read_frame(&mut self.reader, MAX_SERVER_FRAME).map_err(|e| match e {
            FrameError::Closed | FrameError::Io(_) => ClientError::Lost { write_unknown: false },
            other => ClientError::Protocol(other.to_string()),
        })
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
