//! What the bank answers: a `Reply`, or a `BankError`.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::*;
use crate::model::*;

pub type Response = Result<Reply, BankError>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reply {
    Whoami(Principal),
    Info(BankInfo),
    /// A write landed: the record's code and its new revision, and what changed.
    Saved(Saved),
    Ambit(Revised<Ambit>),
    Ambits(Page<Revised<Ambit>>),
    Service(Revised<Service>),
    Services(Page<Revised<Service>>),
    Operator(Revised<Operator>),
    Operators(Page<Revised<Operator>>),
    Family(FamilyView),
    Families(Page<FamilyView>),
    Need(NeedView),
    Needs(Page<NeedView>),
    NeedMatches(Box<NeedRanking>),
    FamilyMatches(Box<FamilyRanking>),
    ProfileMatches(Box<ProfileRanking>),
    Places(Box<super::ServiceRanking>),
    Directory(Vec<super::DirectoryEntry>),
    Figures(Box<super::Figures>),
    Proposal(Revised<Proposal>),
    Proposals(Page<Revised<Proposal>>),
    ProposalView(Box<ProposalView>),
    Due(DueList),
    Recruitment(Box<RecruitmentFigures>),
    Event(EventView),
    Events(Page<EventView>),
    Placement(Revised<Placement>),
    Placements(Page<Revised<Placement>>),
    /// The answer to `Count`: exact, not a page's length.
    Count(u64),
    Found(SearchResult),
    Export {
        lines: Vec<String>,
    },
    Imported(ImportSummary),
    Audit(Page<AuditEntry>),
    AuditVerified {
        entries: u64,
        /// Which hash version each run of entries used, oldest first.
        hash_segments: Vec<super::HashSegment>,
    },
    Doctor(Box<DoctorReport>),
    Quarantine(Vec<QuarantinedRaw>),
}

impl Reply {
    /// Where the next page starts, when this is a page of a list with more after it.
    pub fn next_page(&self) -> Option<&Cursor> {
        use Reply::*;
        match self {
            Ambits(p) => p.next.as_ref(),
            Services(p) => p.next.as_ref(),
            Operators(p) => p.next.as_ref(),
            Families(p) => p.next.as_ref(),
            Needs(p) => p.next.as_ref(),
            Proposals(p) => p.next.as_ref(),
            Placements(p) => p.next.as_ref(),
            Events(p) => p.next.as_ref(),
            Audit(p) => p.next.as_ref(),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    pub code: String,
    pub revision: u64,
    /// Changed field paths; empty when nothing changed (and nothing was written).
    pub changed: Vec<String>,
    /// Other records the same transaction changed (e.g. siblings kept in one group).
    pub also_changed: Vec<String>,
}

/// A record with the revision it is stored at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revised<T> {
    pub revision: u64,
    pub record: T,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankInfo {
    pub path: String,
    pub ambits: u64,
    pub services: u64,
    pub operators: u64,
    pub families: u64,
    pub needs: u64,
    pub proposals: u64,
    pub placements: u64,
    pub audit_entries: u64,
    pub size_on_disk: u64,
    /// Records set aside because they no longer decode (`banca doctor`).
    #[serde(default)]
    pub quarantined: u64,
    /// Who imported the bank's content (a backup or a demo), and when.
    pub imported: Option<Imported>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Imported {
    pub by: String,
    pub at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub ambits: u64,
    pub services: u64,
    pub operators: u64,
    pub families: u64,
    pub needs: u64,
    pub proposals: u64,
    pub placements: u64,
    pub audit_entries: u64,
    #[serde(default)]
    pub events: u64,
}
