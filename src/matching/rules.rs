//! The hard rules: a family that fails one is not a candidate. Checked in
//! this order, cheapest and most common first; "why not" lists them all.

use serde::{Deserialize, Serialize};

use super::facts::{distance, FamilyFacts, Mask, Unit};
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
    Distance,
}

impl HardRule {
    pub const ALL: [HardRule; 9] = [
        HardRule::Status,
        HardRule::Kind,
        HardRule::Emergency,
        HardRule::Age,
        HardRule::Capacity,
        HardRule::Siblings,
        HardRule::SpecialNeeds,
        HardRule::Sex,
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
    Age {
        need: NeedCode,
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
        need: NeedCode,
        sex: Sex,
        preference: SexPreference,
    },
    /// Tenths of a kilometre, so the figure prints as measured.
    Distance {
        deci_km: u32,
        max_km: u16,
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
            Exclusion::Distance { .. } => HardRule::Distance,
        }
    }
}

pub fn deci_km(km: f64) -> u32 {
    (km * 10.0).round() as u32
}

/// The verdict on one family for one unit.
pub struct Judgement {
    pub exclusions: Vec<Exclusion>,
    /// Between the family and the child's comune, when both are known.
    pub distance_km: Option<f64>,
}

/// Checks the rules in order; with `all` false it stops at the first failure.
pub fn judge(unit: &Unit, f: &FamilyFacts, all: bool) -> Judgement {
    judge_rules(unit, f, all, None)
}

/// As `judge`, leaving out the capacity rule (a proposal is not refused
/// for capacity: only accepting one that would exceed it is).
pub fn judge_except(unit: &Unit, f: &FamilyFacts, skip: HardRule) -> Judgement {
    judge_rules(unit, f, true, Some(skip))
}

fn judge_rules(unit: &Unit, f: &FamilyFacts, all: bool, skip: Option<HardRule>) -> Judgement {
    let mut out = Vec::new();
    macro_rules! fail {
        ($e:expr) => {{
            let e = $e;
            if Some(e.rule()) != skip {
                out.push(e);
                if !all {
                    return Judgement { exclusions: out, distance_km: None };
                }
            }
        }};
    }
    if f.status != FamilyStatus::Approved {
        fail!(Exclusion::Status { status: f.status });
    }
    if f.kinds & super::facts::bit(unit.kind) == 0 {
        fail!(Exclusion::Kind { kind: unit.kind });
    }
    if unit.emergency && !f.emergencies {
        fail!(Exclusion::Emergency);
    }
    for m in &unit.members {
        if !f.ages.contains(m.age_months) {
            fail!(Exclusion::Age { need: m.code, age_months: m.age_months, range: f.ages });
            break;
        }
    }
    let needed = unit.places();
    if f.free_places() < needed {
        fail!(Exclusion::Capacity { free: f.free_places(), needed });
    }
    if needed > 1 && !f.siblings_accepted {
        fail!(Exclusion::Siblings { children: needed });
    }
    let missing: Mask = unit.special_needs & !f.special_needs;
    if missing != 0 {
        let missing = SpecialNeed::ALL.iter().copied().filter(|s| missing & super::facts::bit(*s) != 0).collect();
        fail!(Exclusion::SpecialNeeds { missing });
    }
    for m in &unit.members {
        let fits = match f.sex_preference {
            SexPreference::Any => true,
            SexPreference::Female => m.sex == Sex::Female,
            SexPreference::Male => m.sex == Sex::Male,
        };
        if !fits {
            fail!(Exclusion::Sex { need: m.code, sex: m.sex, preference: f.sex_preference });
            break;
        }
    }
    let distance_km = distance(unit.point, f.point);
    if let (Some(km), Some(max)) = (distance_km, f.max_distance_km) {
        if km > max as f64 {
            fail!(Exclusion::Distance { deci_km: deci_km(km), max_km: max });
        }
    }
    Judgement { exclusions: out, distance_km }
}
