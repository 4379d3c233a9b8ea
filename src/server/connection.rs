//! One client: who it is (from the kernel), the handshake, then calls
//! answered in order. Replies and events leave through one writer thread
//! fed by a bounded queue.

use std::io::BufReader;
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::Arc;
use std::time::Duration;

use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use nix::sys::socket::{getsockopt, sockopt::PeerCredentials};

use crate::bank::{Actor, Bank, BankError, Reply, Request};
use crate::protocol::{
    self, ClientMsg, FrameError, Hello, ServerMsg, Welcome, MAX_FRAME, MAX_SERVER_FRAME, PROTOCOL, VERSION,
};

use super::fanout::{Fanout, Subscriber};

/// A client must say hello within this time.
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);
/// Once a frame has started, the rest must follow within this time.
const FRAME_TIMEOUT: Duration = Duration::from_secs(30);
/// Outgoing messages queued per client before events are dropped.
const QUEUE: usize = 256;
/// How long the writer may take to flush what is queued once the client leaves.
const WRITER_GRACE: Duration = Duration::from_secs(2);
/// An import staged over several frames may not exceed this.
const MAX_IMPORT_BYTES: usize = 2 << 30;

pub struct Shared {
    pub bank: Arc<Bank>,
    pub fanout: Arc<Fanout>,
    pub shutdown: Arc<AtomicBool>,
    pub bank_path: String,
    /// The uid the server runs as: it may stop its own server.
    pub owner: u32,
}

pub fn serve_client(stream: UnixStream, shared: &Shared) {
    let peer = match getsockopt(&stream, PeerCredentials) {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!("no peer credentials: {e}");
            return;
        }
    };
    let uid = peer.uid();
    match session(stream, shared, uid) {
        Ok(()) => tracing::debug!(uid, "client left"),
        Err(e) => tracing::info!(uid, "connection closed: {e}"),
    }
}

fn session(stream: UnixStream, shared: &Shared, uid: u32) -> Result<(), FrameError> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream.try_clone()?;
    stream.set_read_timeout(Some(HELLO_TIMEOUT))?;
    let hello: Hello = protocol::read_frame(&mut reader, MAX_FRAME)?;
    let user = nix::unistd::User::from_uid(uid.into()).ok().flatten().map(|u| u.name);
    let welcome = match &user {
        _ if hello.protocol != PROTOCOL => Welcome::Mismatch { protocol: PROTOCOL, version: VERSION.into() },
        _ if hello.bank != shared.bank_path => Welcome::OtherBank { bank: shared.bank_path.clone() },
        None => Welcome::NoUser { uid },
        Some(user) => Welcome::Ok { version: VERSION.into(), user: user.clone() },
    };
    protocol::write_frame(&mut writer, &welcome, MAX_SERVER_FRAME)?;
    let Welcome::Ok { user, .. } = welcome else {
        return Err(FrameError::Garbled(format!("handshake refused: {welcome:?}")));
    };
    tracing::info!(%user, uid, client = %crate::model::plain::log_escape(&hello.version), "client connected");
    let actor = if uid == shared.owner || uid == 0 { Actor::server_user(user) } else { Actor::new(user) };

    let (queue, outgoing) = sync_channel::<ServerMsg>(QUEUE);
    let lagged = Arc::new(AtomicBool::new(false));
    let writer_lagged = lagged.clone();
    let writer_thread = std::thread::spawn(move || write_loop(writer, outgoing, writer_lagged));

    let mut staged: Vec<String> = Vec::new();
    let mut staged_bytes = 0usize;
    let result = loop {
        // Frames already read ahead into the buffer are not on the socket
        // any more: poll only when the buffer is empty.
        if reader.buffer().is_empty() && !wait_readable(&stream, shared)? {
            break Ok(());
        }
        if shared.shutdown.load(Ordering::SeqCst) {
            break Ok(());
        }
        stream.set_read_timeout(Some(FRAME_TIMEOUT))?;
        let msg: ClientMsg = match protocol::read_frame(&mut reader, MAX_FRAME) {
            Ok(m) => m,
            Err(FrameError::Closed) => break Ok(()),
            Err(e) => break Err(e),
        };
        match msg {
            ClientMsg::Subscribe => shared.fanout.add(Subscriber { queue: queue.clone(), lagged: lagged.clone() }),
            // An import only goes into an empty bank: on any other, the
            // lines are not kept (the call will be refused), so no client
            // can make a live server hold them.
            ClientMsg::ImportLines { .. } if !shared.bank.store().is_empty() => {}
            ClientMsg::ImportLines { lines } => {
                staged_bytes += lines.iter().map(String::len).sum::<usize>();
                if staged_bytes > MAX_IMPORT_BYTES {
                    break Err(FrameError::TooLarge(staged_bytes));
                }
                staged.extend(lines);
            }
            ClientMsg::Stop => {
                let allowed = uid == shared.owner || is_admin(&shared.bank, &actor);
                if allowed {
                    tracing::info!(user = %actor.user, "stop requested");
                    shared.shutdown.store(true, Ordering::SeqCst);
                }
                let _ = queue.send(ServerMsg::Stopping { accepted: allowed });
            }
            ClientMsg::Call { id, mut request } => {
                if let Request::Import { lines } = request.as_mut() {
                    staged.append(lines);
                    *lines = std::mem::take(&mut staged);
                    staged_bytes = 0;
                }
                let response = shared.bank.handle(&actor, *request);
                if let Err(BankError::Storage(e)) = &response {
                    tracing::error!(user = %actor.user, "storage error: {e}");
                }
                if send_reply(&queue, id, response).is_err() {
                    break Ok(());
                }
            }
        }
    };
    // The fanout holds a sender too: without removing it the writer would
    // wait for more events forever and keep the server from stopping.
    shared.fanout.remove(&lagged);
    drop(queue);
    let waited = std::time::Instant::now();
    while !writer_thread.is_finished() && waited.elapsed() < WRITER_GRACE {
        std::thread::sleep(Duration::from_millis(20));
    }
    if !writer_thread.is_finished() {
        // A client that stopped reading leaves the writer blocked on a full socket.
        let _ = stream.shutdown(std::net::Shutdown::Both);
    }
    let _ = writer_thread.join();
    result
}

/// Waits until the client sends something; false when the server is stopping.
fn wait_readable(stream: &UnixStream, shared: &Shared) -> Result<bool, FrameError> {
    loop {
        if shared.shutdown.load(Ordering::SeqCst) {
            return Ok(false);
        }
        let mut fds = [PollFd::new(stream.as_fd(), PollFlags::POLLIN)];
        match poll(&mut fds, PollTimeout::from(200u16)) {
            Ok(0) => continue,
            Ok(_) => return Ok(true),
            Err(nix::errno::Errno::EINTR) => continue,
            Err(e) => return Err(FrameError::Io(e.into())),
        }
    }
}

/// Long exports go out in several frames; the reply carries the last lines.
fn send_reply(
    queue: &std::sync::mpsc::SyncSender<ServerMsg>,
    id: u64,
    response: crate::bank::Response,
) -> Result<(), Gone> {
    match response {
        Ok(Reply::Export { lines }) => {
            let mut chunks = protocol::chunk_lines(lines);
            let last = chunks.pop().unwrap_or_default();
            for lines in chunks {
                queue.send(ServerMsg::ExportLines { id, lines }).map_err(|_| Gone)?;
            }
            let response = Box::new(Ok(Reply::Export { lines: last }));
            queue.send(ServerMsg::Reply { id, response }).map_err(|_| Gone)
        }
        response => queue.send(ServerMsg::Reply { id, response: Box::new(response) }).map_err(|_| Gone),
    }
}

/// The client's writer has gone: stop serving it.
struct Gone;

fn write_loop(mut writer: UnixStream, outgoing: Receiver<ServerMsg>, lagged: Arc<AtomicBool>) {
    for msg in outgoing {
        let sent = match protocol::write_frame(&mut writer, &msg, MAX_SERVER_FRAME) {
            // Too large even for a server frame: the client gets an error it can show.
            Err(FrameError::TooLarge(n)) => match msg {
                ServerMsg::Reply { id, .. } => {
                    let response =
                        Box::new(Err(BankError::Storage(format!("reply of {n} bytes too large: narrow the request"))));
                    protocol::write_frame(&mut writer, &ServerMsg::Reply { id, response }, MAX_SERVER_FRAME)
                }
                _ => Ok(()),
            },
            other => other,
        };
        if sent.is_err() {
            return;
        }
        if lagged.swap(false, Ordering::Relaxed)
            && protocol::write_frame(&mut writer, &ServerMsg::Lagged, MAX_SERVER_FRAME).is_err()
        {
            return;
        }
    }
}

fn is_admin(bank: &Bank, actor: &Actor) -> bool {
    matches!(bank.handle(actor, Request::Whoami), Ok(Reply::Whoami(p)) if p.role == crate::model::Role::Admin)
}
