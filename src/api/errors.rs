//! What can go wrong with a request, typed: sentences are made at the
//! edge (`i18n`), in the operator's language.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{ChainBreak, Exclusion};
use crate::model::*;

/// Why a step of a proposal or placement cannot be taken now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    ProposalTransition {
        code: ProposalCode,
        from: ProposalStatus,
        to: ProposalStatus,
    },
    /// A placement starts with `PlacementStart`, not with a step.
    StartWithPlacement {
        code: ProposalCode,
    },
    NeedClosed {
        need: NeedCode,
    },
    NeedAlreadyMatched {
        need: NeedCode,
        proposal: ProposalCode,
    },
    AlreadyProposed {
        proposal: ProposalCode,
        status: ProposalStatus,
    },
    NotCandidate {
        family: FamilyCode,
        exclusions: Vec<Exclusion>,
    },
    /// The reception service fails a hard rule for the child (a vacancy among them).
    ServiceNotCandidate {
        service: ServiceCode,
        exclusions: Vec<Exclusion>,
    },
    /// Accepting would exceed the family's places; `held_by` names what holds them.
    NoFreePlaces {
        family: FamilyCode,
        free: u8,
        needed: u8,
        held_by: Vec<String>,
    },
    PlacementClosed {
        code: PlacementCode,
    },
}

/// A problem found on one line of an import file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineProblem {
    pub line: usize,
    pub problem: LineFault,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineFault {
    /// Not JSON, or not a record banca knows.
    Unreadable(String),
    /// The first line is not a banca export header of a supported version.
    BadHeader,
    Invalid(Vec<Problem>),
    DuplicateRecord(String),
    AuditChain(ChainBreak),
    /// The closing line is missing or counts other lines than the file has: the file was cut short.
    Truncated {
        expected: u64,
        found: u64,
    },
    /// Lines after the closing line.
    AfterEnd,
    /// The line's bytes are not UTF-8.
    NotUtf8,
    /// The line is longer than any line banca writes (`MAX_LINE_BYTES`).
    TooLong {
        max: usize,
    },
    /// An empty line: banca writes none.
    Blank,
    /// The last line has no newline: the file was cut short or edited.
    NoFinalNewline,
    /// A key banca does not write (a misspelt one), as a dotted path.
    UnknownKey {
        key: String,
    },
    /// A key banca always writes is missing (no default fills it in).
    MissingKey {
        key: String,
    },
    /// Same keys and values, but not written as banca writes them
    /// (spacing, key order, escapes): the file was edited.
    NotCanonical,
    /// A record at revision 0: every stored record has revision 1 or more.
    RevisionZero,
    /// A line of this kind out of the export's order of kinds.
    Misplaced {
        kind: String,
    },
    /// A record whose key is lower than the one before it.
    OutOfOrder {
        record: String,
    },
    /// An export of an older version, which has no digest to prove it whole.
    Undigested {
        version: u32,
    },
    /// An export of a newer banca.
    UnsupportedVersion {
        version: u32,
        supported: u32,
    },
    /// The header names a store format this banca does not know.
    StoreFormat {
        found: u32,
        supported: u32,
    },
    /// The closing line's digest does not match the lines before it: a
    /// line was changed, added, removed or moved.
    DigestMismatch,
    /// A code beyond its series' counter (0: no counter line): no bank has
    /// one, since numbering goes on from the counter.
    BeyondCounter {
        series: String,
        counter: u32,
    },
    /// No active administrator in the whole file (reported at its last
    /// line): no export lacks one, and nobody could run the restored bank.
    NoAdministrator,
    /// The record could not be stored readably (over the codec's limit).
    Unstorable {
        reason: String,
    },
}

/// What can go wrong with a request. Sentences are made at the edge
/// (`i18n::describe_error`), in the operator's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum BankError {
    #[error("invalid input: {0:?}")]
    Invalid(Vec<Problem>),
    #[error("{code} was changed by {changed_by} at {changed_at} (revision {current}, yours {based_on})")]
    Conflict { code: String, based_on: u64, current: u64, changed_by: String, changed_at: OffsetDateTime },
    #[error("{code} not found")]
    NotFound { code: String },
    #[error("not allowed: {action}")]
    Forbidden { action: String },
    #[error("user {user} is not an operator of this bank")]
    UnknownUser { user: String },
    #[error("operator {user} is deactivated")]
    InactiveUser { user: String },
    #[error("the bank has no operators yet: the server's user runs `banca init --admin USER`")]
    NotInitialized,
    #[error("the bank already has operators")]
    AlreadyInitialized,
    #[error("the bank is not empty")]
    NotEmpty,
    /// `init` and `import` into an empty bank: the server's own user (or root) only.
    #[error("only the server's own user (or root) may {action}")]
    ServerUserOnly { action: String },
    #[error("refused: {0:?}")]
    Refused(Refusal),
    #[error("the import file has {} problems", .0.len())]
    ImportRejected(Vec<LineProblem>),
    #[error("the audit log is broken: {0}")]
    AuditBroken(ChainBreak),
    #[error("storage: {0}")]
    Storage(String),
    /// A record read on the way did not decode. The bank sets it aside in
    /// the quarantine; a read is then answered again without it.
    #[error("record {record} in {tree} is damaged: {reason}")]
    Damaged { tree: String, record: String, key: String, reason: String },
    /// The record asked for is in quarantine: it did not decode, and waits for an administrator.
    #[error("{code} is in quarantine ({tree}) since {found_at}: {reason}")]
    Quarantined { code: String, tree: String, reason: String, found_at: OffsetDateTime },
    /// Refused before anything was written: the bank's disk has less than
    /// the reserve left. Writes resume by themselves once space is freed.
    #[error("the disk is full ({available} bytes free, {reserve} kept in reserve): nothing was saved")]
    DiskFull { available: u64, reserve: u64 },
    /// This write failed on disk, and the server stops so that it restarts
    /// on what the disk holds: the write whole or not at all (sled may have
    /// written it before the part that failed), which only the restart tells.
    #[error("the write failed on disk ({reason}): it may or may not have been saved")]
    WriteFailed { reason: String },
    /// Another write failed on disk a moment ago: the server is stopping
    /// (to restart on what the disk holds) and answers nothing more.
    #[error("the server is stopping after a failed write")]
    Halted,
    /// Too many heavy requests (lists, exports) at once: try again shortly.
    #[error("the server is busy with other heavy requests ({scope:?}): try again shortly")]
    Busy { scope: HeavyScope },
}

/// Whose heavy requests reached their cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HeavyScope {
    /// The caller's own requests: `limit` are under way.
    User { limit: u32 },
    /// Everyone's: `limit` are under way.
    Server { limit: u32 },
}

impl BankError {
    pub fn invalid(field: impl Into<FieldRef>, reason: Reason) -> BankError {
        BankError::Invalid(vec![Problem::new(field, reason)])
    }
}
