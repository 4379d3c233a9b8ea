//! How matching explains itself: the hard rules a family fails, with the
//! facts that decided, and one scored criterion per line of the score.
//! The engine (`matching`) builds them; the wire carries them as they are.

use serde::{Deserialize, Serialize};

use crate::model::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HardRule {
    Status,
    Kind,
    Emergency,
    Age,
    Capacity,
    Siblings,
    SpecialNeeds,
    Sex,
    TimeSlots,
    Availability,
    Distance,
}

impl HardRule {
    pub const ALL: [HardRule; 11] = [
        HardRule::Status,
        HardRule::Kind,
        HardRule::Emergency,
        HardRule::Age,
        HardRule::Capacity,
        HardRule::Siblings,
        HardRule::SpecialNeeds,
        HardRule::Sex,
        HardRule::TimeSlots,
        HardRule::Availability,
        HardRule::Distance,
    ];
}

/// Why one family is not a candidate, with the facts that decided it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exclusion {
    /// Only approved (idonea) families are candidates.
    Status {
        status: FamilyStatus,
    },
    Kind {
        kind: PlacementKind,
    },
    /// Pronto intervento: the family does not take emergencies.
    Emergency,
    /// `need` is None for a child described by profile.
    Age {
        need: Option<NeedCode>,
        age_months: u32,
        range: AgeRange,
    },
    Capacity {
        free: u8,
        needed: u8,
    },
    Siblings {
        children: u8,
    },
    SpecialNeeds {
        missing: Vec<SpecialNeed>,
    },
    Sex {
        need: Option<NeedCode>,
        sex: Sex,
        preference: SexPreference,
    },
    /// The times the child needs that the family does not offer.
    TimeSlots {
        missing: Vec<TimeSlot>,
    },
    /// The family is not available on the desired start (or today).
    Availability {
        start: time::Date,
        from: Option<time::Date>,
        until: Option<time::Date>,
    },
    /// Tenths of a kilometre, so the figure prints as measured.
    Distance {
        deci_km: u32,
        max_km: u16,
    },
    /// A reception service: not active in the directory.
    ServiceInactive,
    /// A reception service of a kind that does not take this kind of placement.
    ServiceKind {
        service: ServiceKind,
        kind: PlacementKind,
    },
    /// A reception service not equipped for the child's special needs.
    Equipment {
        missing: Vec<Equipment>,
    },
    /// A reception service without the places: `declared_on` None when it
    /// never declared any.
    NoVacancy {
        free: u16,
        needed: u8,
        declared_on: Option<time::Date>,
    },
}

impl Exclusion {
    pub fn rule(&self) -> HardRule {
        match self {
            Exclusion::Status { .. } => HardRule::Status,
            Exclusion::Kind { .. } => HardRule::Kind,
            Exclusion::Emergency => HardRule::Emergency,
            Exclusion::Age { .. } => HardRule::Age,
            Exclusion::Capacity { .. } => HardRule::Capacity,
            Exclusion::Siblings { .. } => HardRule::Siblings,
            Exclusion::SpecialNeeds { .. } => HardRule::SpecialNeeds,
            Exclusion::Sex { .. } => HardRule::Sex,
            Exclusion::TimeSlots { .. } => HardRule::TimeSlots,
            Exclusion::Availability { .. } => HardRule::Availability,
            Exclusion::Distance { .. } => HardRule::Distance,
            Exclusion::ServiceInactive => HardRule::Status,
            Exclusion::ServiceKind { .. } => HardRule::Kind,
            Exclusion::Equipment { .. } => HardRule::SpecialNeeds,
            Exclusion::NoVacancy { .. } => HardRule::Capacity,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CriterionKind {
    Distance,
    OriginDistance,
    SameArea,
    Language,
    Experience,
    Waiting,
    Freshness,
    /// A reception service's declaration of vacancies, how recent.
    Declared,
}

/// The fact a criterion was scored on, for its explanation line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fact {
    Km {
        deci_km: u32,
    },
    /// Either comune has no coordinates: half the points, not none.
    UnknownDistance,
    OriginKm {
        deci_km: u32,
        frequency: ContactFrequency,
    },
    /// The child's own comune: the same territory whatever the ambiti registered.
    SameComune,
    SameDistrict {
        name: String,
    },
    SameAmbit {
        name: String,
    },
    OtherAmbit,
    /// The child's or the family's comune is in no registered ambito.
    AreaUnknown,
    SharedLanguage {
        language: String,
    },
    NoSharedLanguage {
        wanted: Vec<String>,
    },
    Experience {
        similar: u16,
        kind: PlacementKind,
        /// A training course completed (the profile's date or a pathway step).
        trained: bool,
        /// Support group meetings attended in the last twelve months.
        groups: u16,
    },
    Waiting {
        months: u32,
        since_placement: bool,
    },
    NotApprovedYet,
    Fresh {
        months: u32,
    },
    Ageing {
        months: u32,
    },
    Stale {
        months: Option<u32>,
    },
    /// A reception service's vacancies declared `days` ago (fresh, ageing or stale).
    Declared {
        days: u32,
        stale: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    pub kind: CriterionKind,
    pub fact: Fact,
    /// Points given, in tenths (of the 100 of the whole score).
    pub earned_tenths: u16,
    /// Points this criterion could give, in tenths.
    pub max_tenths: u16,
}

impl Criterion {
    /// Raised the score (at least half its points) or lowered it.
    pub fn raised(&self) -> bool {
        self.earned_tenths * 2 >= self.max_tenths
    }
}
