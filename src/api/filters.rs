//! Which records a list request asks for, and from where its page starts.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::Cursor;
use crate::model::*;

/// Which proposals to list. With no service, an operator sees its own
/// service's; the coordination and administrators see every service's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalFilter {
    pub service: Option<ServiceCode>,
    /// Inbox: proposals for the service's families; outbox: for its needs; none: both.
    pub direction: Option<Direction>,
    pub status: Option<ProposalStatus>,
    /// Only proposed, under review and accepted (true) or only ended ones (false).
    pub active: Option<bool>,
    pub need: Option<NeedCode>,
    pub family: Option<FamilyCode>,
    /// The page's size (at most the server's page size).
    pub limit: Option<usize>,
    /// The previous page's `next`; none: the first page.
    pub after: Option<Cursor>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Inbox,
    Outbox,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacementFilter {
    /// Placements where the service is the child's or the family's.
    pub service: Option<ServiceCode>,
    pub need: Option<NeedCode>,
    pub family: Option<FamilyCode>,
    /// Ongoing (true) or closed (false).
    pub active: Option<bool>,
    /// The page's size (at most the server's page size).
    pub limit: Option<usize>,
    /// The previous page's `next`; none: the first page.
    pub after: Option<Cursor>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FamilyFilter {
    pub status: Option<FamilyStatus>,
    pub kind: Option<PlacementKind>,
    pub service: Option<ServiceCode>,
    pub comune: Option<ComuneCode>,
    pub referent: Option<String>,
    pub stale: Option<bool>,
    /// Only families with a place free now (true: approved families whose
    /// ongoing placements and accepted proposals leave room) or with none (false).
    #[serde(default)]
    pub free_places: Option<bool>,
    /// Only families whose age range takes a child of this age, in months.
    #[serde(default)]
    pub age_months: Option<u32>,
    /// Only families offering every one of these time slots (empty: any).
    #[serde(default)]
    pub time_slots: BTreeSet<TimeSlot>,
    /// Only families whose sex preference takes a child of this sex.
    #[serde(default)]
    pub sex: Option<Sex>,
    /// Only families with at least so many places free now.
    #[serde(default)]
    pub min_free: Option<u8>,
    /// Distance from a comune: shown on each family, and a limit when it has `km`.
    #[serde(default)]
    pub near: Option<Near>,
    /// Only families living in this presidio (district), by name as
    /// registered in its ambito (case and accents folded).
    #[serde(default)]
    pub district: Option<String>,
    /// Only families living in this ambito, by name (as `AmbitGet` takes it).
    #[serde(default)]
    pub ambit: Option<String>,
    /// The list's order; by distance needs `near`.
    #[serde(default)]
    pub sort: FamilySort,
    /// The page's size (at most the server's page size).
    pub limit: Option<usize>,
    /// The previous page's `next`; none: the first page.
    pub after: Option<Cursor>,
}

/// Families near a comune: each family's distance is the great-circle
/// distance between the seats of the two comuni, as matching measures it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Near {
    pub comune: ComuneCode,
    /// Only families within so many km (none: every distance, shown).
    pub km: Option<u16>,
}

/// The order of a families' list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FamilySort {
    /// By code (the oldest first).
    #[default]
    Code,
    /// Nearest to `FamilyFilter::near` first, then by code; families whose
    /// comune has no coordinates come last.
    Distance,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedFilter {
    pub status: Option<NeedStatus>,
    pub kind: Option<PlacementKind>,
    pub service: Option<ServiceCode>,
    pub comune: Option<ComuneCode>,
    pub referent: Option<String>,
    /// Only pronto intervento needs, entered as the kind or as the urgency
    /// (`PlacementNeed::is_emergency`); `Some(false)`: only the others.
    pub emergency: Option<bool>,
    /// The page's size (at most the server's page size).
    pub limit: Option<usize>,
    /// The previous page's `next`; none: the first page.
    pub after: Option<Cursor>,
}

/// The list a `Count` counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Counted {
    Families(FamilyFilter),
    Needs(NeedFilter),
    Proposals(ProposalFilter),
    Placements(PlacementFilter),
}
