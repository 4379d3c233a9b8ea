//! The answers of matching: candidates best first, with why the others fell.

use serde::{Deserialize, Serialize};

use super::{Criterion, Exclusion, FamilyView, HardRule, NeedView};
use crate::model::*;

/// Families for a need: the candidates, best first, and why the others fell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedRanking {
    pub need: NeedView,
    /// The children placed together: the need, then its open siblings.
    pub group: Vec<NeedCode>,
    /// Families looked at.
    pub considered: u32,
    /// Families that failed a hard rule, by the first rule they failed.
    pub excluded: Vec<(HardRule, u32)>,
    /// How many passed every hard rule (more than `candidates` when limited).
    pub candidates_total: u32,
    pub candidates: Vec<Candidate>,
    pub why_not: Option<Verdict>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    /// 1 for the best.
    pub rank: u32,
    /// The shared view: never the family's identity here.
    pub family: FamilyView,
    pub score: u8,
    pub criteria: Vec<Criterion>,
    pub free_places: u8,
    /// An active proposal of this family for this need, if any.
    pub proposed: Option<(ProposalCode, ProposalStatus)>,
}

/// The answer to "why not this family?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub family: FamilyCode,
    /// Every hard rule it fails; empty when it is a candidate.
    pub exclusions: Vec<Exclusion>,
    /// Its place among the candidates, when it is one.
    pub rank: Option<u32>,
    pub score: Option<u8>,
    pub criteria: Vec<Criterion>,
}

/// Needs for a family: the open needs it could take, best first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FamilyRanking {
    pub family: FamilyView,
    pub free_places: u8,
    pub considered: u32,
    pub excluded: Vec<(HardRule, u32)>,
    pub candidates_total: u32,
    pub needs: Vec<NeedCandidate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedCandidate {
    pub rank: u32,
    /// The shared view: never the child's identity here.
    pub need: NeedView,
    pub group: Vec<NeedCode>,
    pub score: u8,
    pub criteria: Vec<Criterion>,
}
