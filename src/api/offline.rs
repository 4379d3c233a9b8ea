//! What can go wrong with the work the binary does on a bank in its own
//! process (serving it, opening it, restoring into a new one), typed as the
//! edge's words need it: `i18n` and the CLI translate these without
//! knowing the server or the store, which convert their errors into them
//! (`From`). Never on the wire: a client hears of them only as the words a
//! failed server printed.

use std::path::PathBuf;

use super::BankError;

/// Why a bank's folder could not be opened or written (the store's errors).
/// The English texts are the sentences shown.
#[derive(Debug, thiserror::Error)]
pub enum OpenFailure {
    #[error("the bank at {path} is open in another process — is `banca serve` running?")]
    Locked { path: PathBuf },
    #[error("there is no bank at {path}: create one with `banca init` or `banca demo`")]
    NoBank { path: PathBuf },
    #[error("{path} is not a banca bank")]
    NotABank { path: PathBuf },
    #[error("the bank at {path} has format {found}, newer than this banca ({supported}): update banca")]
    NewerFormat { path: PathBuf, found: u32, supported: u32 },
    #[error("an import into {path} did not finish: delete the folder and import again")]
    IncompleteImport { path: PathBuf },
    /// `key` as operators know it (a code).
    #[error("record {key} in {tree} is damaged: {reason}")]
    Corrupt { tree: String, key: String, reason: String },
    #[error("record {key} in {tree} cannot be stored, nothing was saved: {reason}")]
    Unstorable { tree: String, key: String, reason: String },
    #[error("the disk holding {path} is full ({available} bytes free, {reserve} kept in reserve): nothing was saved")]
    DiskFull { path: PathBuf, available: u64, reserve: u64 },
    #[error("writing to {path} failed ({reason}): it may or may not be on disk")]
    WriteFailed { path: PathBuf, reason: String },
    #[error("the bank at {path} stopped after a failed write: {reason}")]
    Halted { path: PathBuf, reason: String },
    /// The database engine's own error, as it words it.
    #[error("storage error: {0}")]
    Storage(String),
    #[error("file error on {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

impl OpenFailure {
    /// A fault of banca or of the machine (not a bank busy, missing or full).
    pub fn is_fault(&self) -> bool {
        matches!(self, OpenFailure::Storage(_) | OpenFailure::Io { .. } | OpenFailure::Corrupt { .. })
    }
}

/// Why `banca serve` would not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeFailure {
    #[error(transparent)]
    Open(#[from] OpenFailure),
    #[error("a server is already answering on {socket}")]
    AlreadyServing { socket: PathBuf },
    /// A shared server's socket folder does not exist (the administrator makes it).
    #[error("the socket folder {dir} does not exist")]
    SocketFolderMissing { dir: PathBuf, user: String, group: String },
    /// The socket folder would let someone else replace the socket, or
    /// keep the operators out.
    #[error("refusing the socket folder {}: {problem:?}", .found.dir.display())]
    SocketFolderUnsafe { found: Box<FolderFound>, problem: FolderProblem },
    /// The server runs without the operators' group, so it cannot hand them the socket.
    #[error("the server runs as {user} without the group {group}")]
    NotInGroup { user: String, group: String },
    /// The bank belongs to another user than the server's.
    #[error("the bank {path} belongs to {owner}, the server runs as {user}")]
    BankNotOwned { path: PathBuf, owner: String, user: String },
    /// The server's user cannot reach the bank's folder.
    #[error("the server, running as {user}, cannot reach the bank {path}")]
    BankUnreachable { path: PathBuf, user: String },
    #[error("no Unix group called {0}")]
    UnknownGroup(String),
    /// A file or folder the server needs is closed to its user (`user`).
    #[error("{path}: {source}")]
    PermissionDenied { path: PathBuf, user: String, source: std::io::Error },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

/// What is wrong with the socket's folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FolderProblem {
    Symlink,
    NotAFolder,
    /// Not owned by the server's user.
    NotOwner,
    /// Group or others may write it: they could replace the socket.
    WritableByOthers,
    /// The operators' group cannot enter it (another group, or no x bit).
    GroupCannotEnter,
}

/// The socket's folder as found, for the error's sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderFound {
    pub dir: PathBuf,
    pub owner: String,
    pub group: String,
    pub mode: u32,
    /// The user the server runs as, and the operators' group (a shared server).
    pub server_user: String,
    pub operators: Option<String>,
}

/// Why a restore into a new bank, with no server, did not happen (nothing
/// was left at the bank's path).
#[derive(Debug, thiserror::Error)]
pub enum RestoreFailure {
    #[error(transparent)]
    Bank(#[from] BankError),
    #[error(transparent)]
    Open(#[from] OpenFailure),
    /// The file could not be read, or the staging folder not made or renamed.
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    /// Something appeared at the bank's path while the restore ran.
    #[error("{path} appeared while the restore ran: nothing was restored")]
    Appeared { path: PathBuf },
}
