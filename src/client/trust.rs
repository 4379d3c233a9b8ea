//! Is the process at the other end of the socket the bank's genuine server?
//! Checked from the kernel's word (SO_PEERCRED) and the socket's folder,
//! before a single byte of a request is written: whoever could put a socket
//! in that folder could otherwise read what the operator sends.

use std::os::unix::fs::MetadataExt;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};

use nix::sys::socket::{getsockopt, sockopt::PeerCredentials};
use nix::unistd::{Uid, User};

/// Why the client would not talk to the server it reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Distrust {
    /// The socket's folder is a symbolic link: it may point anywhere.
    FolderIsSymlink,
    /// Users other than the folder's owner may write the folder (and so
    /// replace the socket).
    FolderWritableByOthers,
    /// The server's process does not run as the folder's owner.
    ServerNotFolderOwner,
    /// The folder's owner is not the user the server should run as.
    UnexpectedOwner,
    /// The configured server user does not exist on this machine.
    UnknownServerUser,
    /// The kernel did not say who the server is, or the folder cannot be read.
    Unverifiable(String),
}

/// What was expected and what was found, for the refusal's sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Untrusted {
    pub why: Distrust,
    pub socket: PathBuf,
    pub folder: PathBuf,
    /// The users the server may run as ("banca", or the caller).
    pub expected: Vec<String>,
    /// The user the server's process runs as.
    pub server: String,
    /// The folder's owner and mode, as found.
    pub folder_owner: String,
    pub folder_mode: u32,
}

/// The socket's folder ("." for a bare file name).
pub fn folder_of(socket: &Path) -> PathBuf {
    socket.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf()
}

/// A user's name with its uid, as the refusal shows it: "banca (uid 998)".
pub fn user_label(uid: u32) -> String {
    match User::from_uid(Uid::from_raw(uid)).ok().flatten() {
        Some(u) => format!("{} (uid {uid})", u.name),
        None => format!("uid {uid}"),
    }
}

/// Refuses unless the server's uid owns the socket's folder, nobody else
/// may write that folder, and its owner is `server_user` (or, without one,
/// the caller; root trusts a server of root's too).
pub fn check_server(stream: &UnixStream, socket: &Path, server_user: Option<&str>) -> Result<(), Box<Untrusted>> {
    let folder = folder_of(socket);
    let caller = nix::unistd::geteuid();
    let mut expected_uids: Vec<u32> = Vec::new();
    let mut expected: Vec<String> = Vec::new();
    let mut unknown_user = false;
    match server_user {
        Some(name) => match User::from_name(name).ok().flatten() {
            Some(u) => {
                expected_uids.push(u.uid.as_raw());
                expected.push(user_label(u.uid.as_raw()));
            }
            None => {
                unknown_user = true;
                expected.push(name.to_string());
            }
        },
        None => {
            expected_uids.push(caller.as_raw());
            expected.push(user_label(caller.as_raw()));
        }
    }
    if caller.is_root() && !expected_uids.contains(&0) {
        expected_uids.push(0);
        expected.push(user_label(0));
    }
    let mut refusal = Untrusted {
        why: Distrust::Unverifiable(String::new()),
        socket: socket.to_path_buf(),
        folder: folder.clone(),
        expected,
        server: String::from("?"),
        folder_owner: String::from("?"),
        folder_mode: 0,
    };
    let peer = match getsockopt(stream, PeerCredentials) {
        Ok(c) => c.uid(),
        Err(e) => {
            refusal.why = Distrust::Unverifiable(e.to_string());
            return Err(Box::new(refusal));
        }
    };
    refusal.server = user_label(peer);
    let meta = match std::fs::symlink_metadata(&folder) {
        Ok(m) => m,
        Err(e) => {
            refusal.why = Distrust::Unverifiable(format!("{}: {e}", folder.display()));
            return Err(Box::new(refusal));
        }
    };
    refusal.folder_owner = user_label(meta.uid());
    refusal.folder_mode = meta.mode() & 0o7777;
    let why = if meta.file_type().is_symlink() {
        Distrust::FolderIsSymlink
    } else if meta.mode() & 0o022 != 0 {
        Distrust::FolderWritableByOthers
    } else if meta.uid() != peer {
        Distrust::ServerNotFolderOwner
    } else if expected_uids.contains(&meta.uid()) {
        return Ok(());
    } else if unknown_user {
        Distrust::UnknownServerUser
    } else {
        Distrust::UnexpectedOwner
    };
    refusal.why = why;
    Err(Box::new(refusal))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::net::UnixListener;

    fn served(mode: u32) -> (tempfile::TempDir, PathBuf, UnixStream) {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("run");
        std::fs::create_dir(&folder).unwrap();
        let socket = folder.join("s.sock");
        let listener = UnixListener::bind(&socket).unwrap();
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(mode)).unwrap();
        let stream = UnixStream::connect(&socket).unwrap();
        drop(listener);
        (dir, socket, stream)
    }

    #[test]
    fn the_callers_own_server_in_its_own_private_folder_is_trusted() {
        let (_dir, socket, stream) = served(0o700);
        assert_eq!(check_server(&stream, &socket, None), Ok(()));
    }

    #[test]
    fn a_folder_others_may_write_is_refused_with_what_was_found() {
        let (_dir, socket, stream) = served(0o770);
        let refusal = check_server(&stream, &socket, None).unwrap_err();
        assert_eq!(refusal.why, Distrust::FolderWritableByOthers);
        assert_eq!(refusal.folder_mode, 0o770);
        assert_eq!(refusal.folder, socket.parent().unwrap());
    }
}
