//! The interface logs to a file in the XDG state folder (next to the
//! server's log), never to the screen it draws on.

use std::path::Path;

/// Starts logging to `tui.log`; nothing is logged when the file cannot be opened.
pub fn to_file(_bank: &Path) -> Option<()> {
    let dir = crate::config::log_dir();
    std::fs::create_dir_all(&dir).ok()?;
    let file = std::fs::OpenOptions::new().create(true).append(true).open(dir.join("tui.log")).ok()?;
    tracing_subscriber::fmt()
        .with_ansi(false)
        .with_target(false)
        .with_writer(crate::logging::EscapingWriter(std::sync::Mutex::new(file)))
        .try_init()
        .ok()
}
