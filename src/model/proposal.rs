//! A proposal (abbinamento): the child's service proposes one family for a
//! need (with the siblings placed together); the family's service answers.

use serde::{Deserialize, Serialize, Serializer};
use time::OffsetDateTime;

use super::codes::{FamilyCode, NeedCode, PlacementCode, ProposalCode, ServiceCode};
use super::meta::Meta;
use super::vocabulary::{ClosingReason, ProposalStatus};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub code: ProposalCode,
    /// The need proposed first, then the siblings placed with it.
    pub needs: Vec<NeedCode>,
    /// The family proposed; none when the proposal is to a reception
    /// service, which `family_service` then names.
    pub family: Option<FamilyCode>,
    /// The child's service: its inbox is the outbox of the proposal.
    pub need_service: ServiceCode,
    /// The family's service, or the reception service proposed: the
    /// proposal lands in its inbox.
    pub family_service: ServiceCode,
    pub status: ProposalStatus,
    /// Every step, oldest first: who, when, and what they wrote.
    pub steps: Vec<ProposalStep>,
    /// Set once the placement has started.
    pub placement: Option<PlacementCode>,
    /// The score the family had when proposed, for the record.
    pub score: Option<u8>,
    pub meta: Meta,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ProposalStep {
    pub status: ProposalStatus,
    pub at: OffsetDateTime,
    pub by: String,
    /// What the operator wrote: the note of the proposal, or the reason of
    /// a decline or withdrawal. A step the bank took by itself before
    /// `cause` existed says why here, in Italian, and keeps it.
    pub note: String,
    /// Why the bank took this step by itself, worded by whoever reads it
    /// (`None` for a step an operator took). Absent from the JSON of a step
    /// without one, so exports from before it read and re-export unchanged.
    #[serde(default)]
    pub cause: Option<StepCause>,
}

/// Why the bank moved a proposal on by itself, as a consequence of another change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepCause {
    /// Withdrawn because its need was closed, for the closing's reason.
    NeedClosed { need: NeedCode, reason: Option<ClosingReason> },
    /// Withdrawn because the need's placement started through another proposal.
    PlacedElsewhere { proposal: ProposalCode, placement: PlacementCode },
    /// Withdrawn because the family's places were taken `by` another
    /// proposal's acceptance or placement: its free places fell below the
    /// children this proposal needs.
    NoPlaceLeft { family: FamilyCode, by: PlaceTaker },
}

/// What took a family's last places.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceTaker {
    /// A proposal accepted (its places are held until its placement starts).
    Proposal(ProposalCode),
    /// A placement started.
    Placement(PlacementCode),
}

impl PlaceTaker {
    /// Its code, as a step taken by the bank names it ("P-2026-0001").
    pub fn code(self) -> String {
        match self {
            PlaceTaker::Proposal(c) => c.to_string(),
            PlaceTaker::Placement(c) => c.to_string(),
        }
    }
}

/// Field by field as derived, except that JSON (and any human-readable
/// form) leaves out a cause that is absent; the stored form always has it.
impl Serialize for ProposalStep {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let omit = s.is_human_readable() && self.cause.is_none();
        let mut out = s.serialize_struct("ProposalStep", if omit { 4 } else { 5 })?;
        out.serialize_field("status", &self.status)?;
        out.serialize_field("at", &self.at)?;
        out.serialize_field("by", &self.by)?;
        out.serialize_field("note", &self.note)?;
        if omit {
            out.skip_field("cause")?;
        } else {
            out.serialize_field("cause", &self.cause)?;
        }
        out.end()
    }
}

impl ProposalStep {
    /// A step an operator took, with what they wrote.
    pub fn by_operator(status: ProposalStatus, at: OffsetDateTime, by: &str, note: String) -> ProposalStep {
        ProposalStep { status, at, by: by.to_string(), note, cause: None }
    }
}

impl Proposal {
    /// Where the children go, as a list names it: the family's code, or
    /// the reception service's.
    pub fn host_code(&self) -> String {
        self.family.map_or_else(|| self.family_service.to_string(), |f| f.to_string())
    }

    pub fn need(&self) -> NeedCode {
        self.needs[0]
    }

    /// Places the proposal takes in the family once accepted: one per child.
    pub fn places(&self) -> u8 {
        self.needs.len().min(u8::MAX as usize) as u8
    }

    /// The step that put the proposal in its current state.
    pub fn last_step(&self) -> Option<&ProposalStep> {
        self.steps.last()
    }
}

pub use super::limits::MAX_STEP_NOTE;
