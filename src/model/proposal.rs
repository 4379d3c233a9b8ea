//! A proposal (abbinamento): the child's service proposes one family for a
//! need (with the siblings placed together); the family's service answers.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::codes::{FamilyCode, NeedCode, PlacementCode, ProposalCode, ServiceCode};
use super::meta::Meta;
use super::vocabulary::ProposalStatus;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub code: ProposalCode,
    /// The need proposed first, then the siblings placed with it.
    pub needs: Vec<NeedCode>,
    pub family: FamilyCode,
    /// The child's service: its inbox is the outbox of the proposal.
    pub need_service: ServiceCode,
    /// The family's service: the proposal lands in its inbox.
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalStep {
    pub status: ProposalStatus,
    pub at: OffsetDateTime,
    pub by: String,
    /// The note of the proposal, or the reason of a decline or withdrawal.
    pub note: String,
}

impl Proposal {
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
