//! The audit log as it travels: who did what to which record, and when.
//! The store keeps the chain (`store::audit`, with its hashes); a client
//! sees the entries and, from a check, where the chain breaks.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::model::catalogue::{catalogue, Catalogue};
use crate::model::Lang;

/// What an entry records. Part of the chain's hashed bytes (by variant
/// index): append new variants, never reorder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    Init,
    Create,
    Update,
    ReadIdentity,
    /// An administrator read an identity in an emergency; the field carries the reason.
    EmergencyRead,
    Export,
    /// A step of a proposal (the field names its new state).
    ProposalStep,
    /// A record that no longer decodes was set aside (the field gives why).
    Quarantine,
    /// `banca doctor --repair` rebuilt index entries or counters (the fields name them).
    Repair,
    /// A reception service declared its vacant places (the fields name what changed).
    VacancyDeclared,
}

catalogue!(
    /// What an entry records, as the log shows it.
    ActionWords {
        Init => "creazione banca", "bank created";
        Create => "creazione", "create";
        Update => "modifica", "update";
        ReadIdentity => "lettura identità", "identity read";
        EmergencyRead => "lettura d'emergenza", "emergency read";
        Export => "esportazione", "export";
        ProposalStep => "passo dell'abbinamento", "proposal step";
        Quarantine => "messo in quarantena", "quarantined";
        Repair => "riparazione", "repair";
        VacancyDeclared => "posti liberi dichiarati", "vacancies declared";
    }
);

impl AuditAction {
    pub fn label(self, lang: Lang) -> &'static str {
        let words = match self {
            AuditAction::Init => ActionWords::Init,
            AuditAction::Create => ActionWords::Create,
            AuditAction::Update => ActionWords::Update,
            AuditAction::ReadIdentity => ActionWords::ReadIdentity,
            AuditAction::EmergencyRead => ActionWords::EmergencyRead,
            AuditAction::Export => ActionWords::Export,
            AuditAction::ProposalStep => ActionWords::ProposalStep,
            AuditAction::Quarantine => ActionWords::Quarantine,
            AuditAction::Repair => ActionWords::Repair,
            AuditAction::VacancyDeclared => ActionWords::VacancyDeclared,
        };
        words.get(lang)
    }
}

/// The catalogues of the wire's words.
pub const CATALOGUES: &[Catalogue] = &[ActionWords::CATALOGUE];

/// One entry of the log, newest first in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: u64,
    pub at: OffsetDateTime,
    /// Unix user name of the operator.
    pub actor: String,
    pub action: AuditAction,
    /// Code or key of the record concerned (`F-2026-0042`, `S-003`, an operator's user name).
    pub record: String,
    /// Names of the changed fields (dotted paths), for updates; the reason
    /// of an emergency read or a quarantine; `search` for a name shown in search hits.
    pub fields: Vec<String>,
}

/// Where the chain breaks, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum ChainBreak {
    #[error("entry {seq} was altered: its hash does not match its content")]
    Altered { seq: u64 },
    #[error("entry {expected} is missing (next found: {found})")]
    Missing { expected: u64, found: u64 },
    #[error("entry at position {position} carries number {seq}: entries were moved")]
    Reordered { position: u64, seq: u64 },
    #[error("entry {seq} does not follow the entry before it")]
    BrokenLink { seq: u64 },
    #[error(
        "the log ends at entry {found} but the bank recorded {expected} entries: entries were removed from the end"
    )]
    Truncated { expected: u64, found: u64 },
    #[error("entry {seq} does not decode: {reason}")]
    Unreadable { seq: u64, reason: String },
}

/// How an entry's hash was taken. Stored with the entry as one number; a
/// number this banca does not know makes the entry unreadable, not altered.
/// An entry that says nothing of its hash predates hash versions: `Bincode`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum HashVersion {
    /// SHA-256 of the bincode 2 bytes of the entry's fields (banks before hash versions).
    #[default]
    Bincode = 0,
    /// SHA-256 of the canonical encoding, version 1.
    Canonical1 = 1,
}

impl HashVersion {
    /// What new entries are hashed with.
    pub const CURRENT: HashVersion = HashVersion::Canonical1;

    pub fn number(self) -> u8 {
        self as u8
    }
}

impl From<HashVersion> for u8 {
    fn from(v: HashVersion) -> u8 {
        v.number()
    }
}

impl TryFrom<u8> for HashVersion {
    type Error = String;
    fn try_from(n: u8) -> Result<Self, String> {
        match n {
            0 => Ok(HashVersion::Bincode),
            1 => Ok(HashVersion::Canonical1),
            n => Err(format!("audit hash version {n} is unknown to this banca (written by a newer one?)")),
        }
    }
}

/// A run of consecutive entries hashed with the same version: an old bank's
/// chain starts with entries hashed over bincode's bytes (version 0), and
/// goes on with the canonical encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HashSegment {
    pub version: HashVersion,
    pub first: u64,
    pub last: u64,
}
