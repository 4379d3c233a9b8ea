//! The reception services on the wire: the directory (mappatura) entries,
//! public data only, and their rankings for a need or a described child.

use serde::{Deserialize, Serialize};
use time::Date;

use super::{Criterion, HardRule};
use crate::model::*;

/// Whom a need's ranking shows: families, reception services, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Hosts {
    #[default]
    Families,
    Services,
    Both,
}

impl Hosts {
    pub fn families(self) -> bool {
        matches!(self, Hosts::Families | Hosts::Both)
    }

    pub fn services(self) -> bool {
        matches!(self, Hosts::Services | Hosts::Both)
    }
}

/// A reception service's places, as the bank knows them today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Places {
    /// Licensed places (autorizzati).
    pub licensed: u16,
    /// Children in placements recorded in banca and still going on.
    pub occupied: u16,
    /// Children of accepted proposals waiting to start here.
    pub held: u16,
    /// The latest declaration: places, day (who declared stays inside the bank).
    pub declared: Option<u16>,
    pub declared_on: Option<Date>,
    /// Free now: declared, less the children placed or accepted since.
    pub free: u16,
    /// The declaration is older than the stale period (or there is none).
    pub stale: bool,
}

/// One service of the directory (mappatura): public data, nobody's case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryEntry {
    pub code: ServiceCode,
    pub name: String,
    pub kind: ServiceKind,
    pub active: bool,
    /// The ambiti a foster service covers; a reception service's, from its comune.
    pub ambits: Vec<String>,
    pub comune: Option<ComuneCode>,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub on_call: Option<OnCall>,
    pub reception: Option<ReceptionProfile>,
    pub places: Option<Places>,
}

/// The most services a ranking of reception services shows.
pub const MAX_SERVICE_CANDIDATES: usize = 200;

/// The most services the directory gives in one answer: a region's worth
/// many times over (a province has a few hundred).
pub const MAX_DIRECTORY_ENTRIES: usize = 10_000;

/// What the directory lists: every filter set must hold.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DirectoryFilter {
    /// One service only (its card).
    pub code: Option<ServiceCode>,
    pub kind: Option<ServiceKind>,
    /// Reception services only.
    pub reception: bool,
    /// Services of this ambito (name, any case).
    pub ambit: Option<String>,
    pub comune: Option<ComuneCode>,
    /// Reception services with a free place now.
    pub vacant: bool,
    /// Inactive services too.
    pub inactive: bool,
}

/// The reception services for a need or a described child: candidates
/// best first, and why the others fell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceRanking {
    pub considered: u32,
    pub excluded: Vec<(HardRule, u32)>,
    pub candidates_total: u32,
    pub candidates: Vec<ServiceCandidate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceCandidate {
    pub rank: u32,
    pub service: DirectoryEntry,
    pub score: u8,
    pub criteria: Vec<Criterion>,
    pub free_places: u16,
    /// The declaration of vacancies is stale: call before relying on it.
    pub stale: bool,
    /// From the child's comune, in tenths of a kilometre.
    pub deci_km: Option<u32>,
    /// An active proposal of the need to this service, if any.
    pub proposed: Option<(ProposalCode, ProposalStatus)>,
}
