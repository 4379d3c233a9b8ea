//! The answers of matching: candidates best first, with why the others fell.

use std::collections::BTreeSet;

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
    /// Whom the ranking was asked for: families, reception services, both.
    #[serde(default)]
    pub hosts: super::Hosts,
    /// The reception services, when asked for (`hosts`).
    #[serde(default)]
    pub services: Option<super::ServiceRanking>,
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
    /// The facts of the family's profile that made it fit the child.
    pub fit: Fit,
}

/// What made a family fit the child, from its shared profile: shown on
/// the ranking card beside the score (free places are the candidate's own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fit {
    /// The family's age range, which holds every child's age.
    pub ages: AgeRange,
    /// The kinds accepted that this placement needs (its kind, and pronto
    /// intervento for an emergency).
    pub kinds: BTreeSet<PlacementKind>,
    /// The times the family offers (those asked for are among them).
    pub time_slots: BTreeSet<TimeSlot>,
    /// The languages it shares with the child (all it speaks when the child names none).
    pub languages: Vec<String>,
    /// The child's special needs it accepts (infancy among them for a child under 2).
    pub special_needs: BTreeSet<SpecialNeed>,
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
