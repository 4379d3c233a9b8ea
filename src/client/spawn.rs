//! Starting a server in the background when none answers: detached from
//! the caller's terminal (its own session, no standard input or output),
//! reporting through a pipe only until it is ready or has failed.

use std::io::Read;
use std::os::unix::net::UnixStream;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{ClientError, Target};

pub fn start_server(target: &Target) -> Result<UnixStream, ClientError> {
    let exe = std::env::current_exe().map_err(|e| ClientError::ServerFailed(e.to_string()))?;
    let mut cmd = Command::new(exe);
    cmd.arg("--db").arg(&target.bank).arg("serve");
    // A bank's own socket goes unsaid, so that the server, like the client,
    // treats the bank as a personal one (no operators' group of a system file).
    if target.socket != crate::config::default_socket(&target.bank) {
        cmd.arg("--socket").arg(&target.socket);
    }
    cmd.arg("--idle-exit")
        .arg(format!("{}s", target.idle_exit.as_secs().max(1)))
        .arg("--detach")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if target.create {
        cmd.arg("--create");
    }
    // SAFETY: setsid is async-signal-safe and touches nothing of the parent.
    unsafe {
        cmd.pre_exec(|| nix::unistd::setsid().map(|_| ()).map_err(std::io::Error::from));
    }
    let mut child = cmd.spawn().map_err(|e| ClientError::ServerFailed(e.to_string()))?;
    // The server closes its end once it accepts connections, or dies trying.
    let mut said = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = pipe.read_to_string(&mut said);
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Ok(stream) = UnixStream::connect(&target.socket) {
            return Ok(stream);
        }
        if let Ok(Some(status)) = child.try_wait() {
            // Another client may have started a server at the same moment.
            if let Ok(stream) = UnixStream::connect(&target.socket) {
                return Ok(stream);
            }
            let said = said.trim();
            return Err(ClientError::ServerFailed(if said.is_empty() {
                format!("the server exited ({status})")
            } else {
                said.to_string()
            }));
        }
        if Instant::now() > deadline {
            return Err(ClientError::NoServer { socket: target.socket.clone(), shared: target.shared });
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
