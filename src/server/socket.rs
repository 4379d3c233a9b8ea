//! The socket's folder and file: safe permissions, stale sockets replaced,
//! a live server never displaced.

use std::fs;
use std::io;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::Path;

use super::ServeError;

/// Binds the socket. A personal folder is 0700 and must be ours and not a
/// symlink; with an operators' group, folder 0770 and socket 0660 for it.
pub fn bind(socket: &Path, group: Option<nix::unistd::Gid>) -> Result<UnixListener, ServeError> {
    let dir = socket.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    prepare_dir(dir, group)?;
    if fs::symlink_metadata(socket).is_ok() {
        match UnixStream::connect(socket) {
            Ok(_) => return Err(ServeError::AlreadyServing { socket: socket.to_path_buf() }),
            // Nobody answers: a server died and left its socket behind.
            Err(_) => fs::remove_file(socket).map_err(|e| ServeError::io(socket, e))?,
        }
    }
    let listener = UnixListener::bind(socket).map_err(|e| ServeError::io(socket, e))?;
    let mode = if group.is_some() { 0o660 } else { 0o600 };
    fs::set_permissions(socket, fs::Permissions::from_mode(mode)).map_err(|e| ServeError::io(socket, e))?;
    if let Some(gid) = group {
        nix::unistd::chown(socket, None, Some(gid)).map_err(|e| ServeError::io(socket, e.into()))?;
    }
    Ok(listener)
}

fn prepare_dir(dir: &Path, group: Option<nix::unistd::Gid>) -> Result<(), ServeError> {
    let me = nix::unistd::getuid().as_raw();
    match fs::symlink_metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            fs::create_dir_all(dir).map_err(|e| ServeError::io(dir, e))?;
            let mode = if group.is_some() { 0o770 } else { 0o700 };
            fs::set_permissions(dir, fs::Permissions::from_mode(mode)).map_err(|e| ServeError::io(dir, e))?;
            if let Some(gid) = group {
                nix::unistd::chown(dir, None, Some(gid)).map_err(|e| ServeError::io(dir, e.into()))?;
            }
            Ok(())
        }
        Err(e) => Err(ServeError::io(dir, e)),
        Ok(m) if m.file_type().is_symlink() => Err(ServeError::UnsafeFolder { dir: dir.to_path_buf(), why: "symlink" }),
        Ok(m) if !m.is_dir() => Err(ServeError::UnsafeFolder { dir: dir.to_path_buf(), why: "not a folder" }),
        // A shared folder (e.g. /run/banca made by systemd) is the administrator's to set up.
        Ok(_) if group.is_some() => Ok(()),
        Ok(m) if m.uid() != me => {
            Err(ServeError::UnsafeFolder { dir: dir.to_path_buf(), why: "owned by someone else" })
        }
        Ok(m) if m.mode() & 0o077 != 0 && dir.starts_with(crate::config::runtime_dir()) => {
            Err(ServeError::UnsafeFolder { dir: dir.to_path_buf(), why: "open to other users" })
        }
        Ok(_) => Ok(()),
    }
}
