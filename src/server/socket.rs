//! The socket's folder and file. The folder belongs to the server's user
//! and nobody else may write it, so nobody can rename, delete or replace
//! the socket: a personal folder 0700; a shared one 0750 with the operators'
//! group, who may enter it and open the socket (0660) but change nothing.
//! Stale sockets are replaced, a live server is never displaced.

use std::fs;
use std::io;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::Path;

use nix::unistd::Gid;

use super::{FolderFound, FolderProblem, ServeFailure};

/// Binds the socket in a folder that passes `check_folder`.
pub fn bind(socket: &Path, group: Option<(Gid, &str)>) -> Result<UnixListener, ServeFailure> {
    let dir = socket.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    prepare_dir(dir, group)?;
    if fs::symlink_metadata(socket).is_ok() {
        match UnixStream::connect(socket) {
            Ok(_) => return Err(ServeFailure::AlreadyServing { socket: socket.to_path_buf() }),
            // Nobody answers: a server died and left its socket behind.
            Err(_) => fs::remove_file(socket).map_err(|e| ServeFailure::io(socket, e))?,
        }
    }
    let listener = UnixListener::bind(socket).map_err(|e| ServeFailure::io(socket, e))?;
    let mode = if group.is_some() { 0o660 } else { 0o600 };
    fs::set_permissions(socket, fs::Permissions::from_mode(mode)).map_err(|e| ServeFailure::io(socket, e))?;
    if let Some((gid, name)) = group {
        nix::unistd::chown(socket, None, Some(gid)).map_err(|e| match e {
            // The server's process is not in the operators' group.
            nix::errno::Errno::EPERM => {
                let _ = fs::remove_file(socket);
                ServeFailure::NotInGroup { user: user_name(nix::unistd::geteuid().as_raw()), group: name.to_string() }
            }
            other => ServeFailure::io(socket, other.into()),
        })?;
    }
    Ok(listener)
}

fn prepare_dir(dir: &Path, group: Option<(Gid, &str)>) -> Result<(), ServeFailure> {
    let me = nix::unistd::geteuid().as_raw();
    match fs::symlink_metadata(dir) {
        // A shared folder is the administrator's to make (systemd's
        // RuntimeDirectory or contrib/banca-serve): say how.
        Err(e) if e.kind() == io::ErrorKind::NotFound && group.is_some() => Err(ServeFailure::SocketFolderMissing {
            dir: dir.to_path_buf(),
            user: user_name(me),
            group: group.map(|(_, n)| n.to_string()).unwrap_or_default(),
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            fs::create_dir_all(dir).map_err(|e| ServeFailure::io(dir, e))?;
            fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).map_err(|e| ServeFailure::io(dir, e))
        }
        Err(e) => Err(ServeFailure::io(dir, e)),
        Ok(m) => {
            let found = FolderFound {
                dir: dir.to_path_buf(),
                owner: user_name(m.uid()),
                group: group_name(m.gid()),
                mode: m.mode() & 0o7777,
                server_user: user_name(me),
                operators: group.map(|(_, n)| n.to_string()),
            };
            let unsafe_folder = |problem| ServeFailure::SocketFolderUnsafe { found: Box::new(found.clone()), problem };
            if let Some(problem) = check_folder(&m, me, group.map(|(gid, _)| gid.as_raw())) {
                return Err(unsafe_folder(problem));
            }
            // The personal runtime folder is ours alone: tighten what a
            // umask left readable.
            if group.is_none() && m.mode() & 0o077 != 0 && dir.starts_with(crate::config::runtime_dir()) {
                fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).map_err(|e| ServeFailure::io(dir, e))?;
            }
            Ok(())
        }
    }
}

/// The folder's first problem for a server running as `me` with the
/// operators' group `group` (a shared server), if any.
pub fn check_folder(m: &fs::Metadata, me: u32, group: Option<u32>) -> Option<FolderProblem> {
    if m.file_type().is_symlink() {
        Some(FolderProblem::Symlink)
    } else if !m.is_dir() {
        Some(FolderProblem::NotAFolder)
    } else if m.uid() != me {
        Some(FolderProblem::NotOwner)
    } else if m.mode() & 0o022 != 0 {
        Some(FolderProblem::WritableByOthers)
    } else if group.is_some_and(|gid| !((m.gid() == gid && m.mode() & 0o010 != 0) || m.mode() & 0o001 != 0)) {
        Some(FolderProblem::GroupCannotEnter)
    } else {
        None
    }
}

pub fn user_name(uid: u32) -> String {
    nix::unistd::User::from_uid(uid.into()).ok().flatten().map(|u| u.name).unwrap_or_else(|| uid.to_string())
}

pub fn group_name(gid: u32) -> String {
    nix::unistd::Group::from_gid(gid.into()).ok().flatten().map(|g| g.name).unwrap_or_else(|| gid.to_string())
}
