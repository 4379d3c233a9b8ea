//! The hard rules: a family that fails one is not a candidate. Checked in
//! this order, cheapest and most common first; "why not" lists them all.

use super::facts::{FamilyFacts, Mask, Member, Unit};
pub use crate::api::{Exclusion, HardRule};
use crate::model::*;

/// The slots a family covers: those it names, and with full time every
/// time of the day and the year (weekdays, afternoons, weekends, holidays);
/// on call (emergencies) only when named.
pub fn offered_slots(named: Mask) -> Mask {
    use super::facts::bit;
    if named & bit(TimeSlot::FullTime) != 0 {
        named | bit(TimeSlot::Weekdays) | bit(TimeSlot::Afternoons) | bit(TimeSlot::Weekends) | bit(TimeSlot::Holidays)
    } else {
        named
    }
}

pub fn deci_km(km: f64) -> u32 {
    (km * 10.0).round() as u32
}

/// The verdict on one family for one unit.
pub struct Judgement {
    pub exclusions: Vec<Exclusion>,
    /// Between the family and the child's comune (or the school's, for day
    /// care, when nearer), when both are known.
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

/// The first rule a family fails for a unit, or the distance between them
/// when it is a candidate: `judge(unit, f, false)` without building the
/// exclusion, for rankings that look at every family.
pub fn check(unit: &Unit, f: &FamilyFacts) -> Result<Option<f64>, HardRule> {
    let mut first = First(None);
    match rules(unit, f, &mut first) {
        Some(distance_km) => Ok(distance_km),
        None => Err(first.0.unwrap_or(HardRule::Status)),
    }
}

/// The rules a family fails for any unit led by a need of this kind, before
/// the unit is built: the first three, which look only at the first need.
/// Gives what `check` gives when it fails one of them.
pub fn check_kind(kind: PlacementKind, emergency: bool, f: &FamilyFacts) -> Result<(), HardRule> {
    if f.status != FamilyStatus::Approved {
        Err(HardRule::Status)
    } else if f.kinds & super::facts::bit(kind) == 0 {
        Err(HardRule::Kind)
    } else if emergency && !f.emergencies {
        Err(HardRule::Emergency)
    } else {
        Ok(())
    }
}

fn judge_rules(unit: &Unit, f: &FamilyFacts, all: bool, skip: Option<HardRule>) -> Judgement {
    let mut sink = Collect { out: Vec::new(), all, skip };
    let distance_km = rules(unit, f, &mut sink).unwrap_or(None);
    Judgement { exclusions: sink.out, distance_km }
}

/// Where the rules report a failure: the verdict collects the exclusions,
/// a ranking only wants the first rule.
trait Sink {
    /// Takes a failure; true to stop checking.
    fn fail(&mut self, rule: HardRule, exclusion: impl FnOnce() -> Exclusion) -> bool;
}

struct Collect {
    out: Vec<Exclusion>,
    all: bool,
    skip: Option<HardRule>,
}

impl Sink for Collect {
    fn fail(&mut self, rule: HardRule, exclusion: impl FnOnce() -> Exclusion) -> bool {
        if Some(rule) == self.skip {
            return false;
        }
        self.out.push(exclusion());
        !self.all
    }
}

struct First(Option<HardRule>);

impl Sink for First {
    fn fail(&mut self, rule: HardRule, _: impl FnOnce() -> Exclusion) -> bool {
        self.0 = Some(rule);
        true
    }
}

/// The rules in order, each failure told to `sink`: None when it stopped
/// the check, else the distance between the family and the child's comune.
fn rules(unit: &Unit, f: &FamilyFacts, sink: &mut impl Sink) -> Option<Option<f64>> {
    macro_rules! fail {
        ($rule:expr, $e:expr) => {
            if sink.fail($rule, || $e) {
                return None;
            }
        };
    }
    if f.status != FamilyStatus::Approved {
        fail!(HardRule::Status, Exclusion::Status { status: f.status });
    }
    if f.kinds & super::facts::bit(unit.kind) == 0 {
        fail!(HardRule::Kind, Exclusion::Kind { kind: unit.kind });
    }
    if unit.emergency && !f.emergencies {
        fail!(HardRule::Emergency, Exclusion::Emergency);
    }
    if let Some(m) = unit.members.iter().find(|m| !f.ages.contains(m.age_months)) {
        fail!(HardRule::Age, Exclusion::Age { need: m.code, age_months: m.age_months, range: f.ages });
    }
    let needed = unit.places();
    let free = f.free_places();
    if free < needed {
        fail!(HardRule::Capacity, Exclusion::Capacity { free, needed });
    }
    if needed > 1 && !f.siblings_accepted {
        fail!(HardRule::Siblings, Exclusion::Siblings { children: needed });
    }
    let missing: Mask = unit.special_needs & !f.special_needs;
    if missing != 0 {
        fail!(
            HardRule::SpecialNeeds,
            Exclusion::SpecialNeeds {
                missing: SpecialNeed::ALL.iter().copied().filter(|s| missing & super::facts::bit(*s) != 0).collect(),
            }
        );
    }
    // A child whose sex a profile does not say fits any preference.
    let misfit = |m: &Member| match (f.sex_preference, m.sex) {
        (SexPreference::Female, Some(Sex::Male)) => Some(Sex::Male),
        (SexPreference::Male, Some(Sex::Female)) => Some(Sex::Female),
        _ => None,
    };
    if let Some((m, sex)) = unit.members.iter().find_map(|m| misfit(m).map(|sex| (m, sex))) {
        fail!(HardRule::Sex, Exclusion::Sex { need: m.code, sex, preference: f.sex_preference });
    }
    let missing_slots = unit.time_slots & !offered_slots(f.time_slots);
    if missing_slots != 0 {
        fail!(
            HardRule::TimeSlots,
            Exclusion::TimeSlots {
                missing: TimeSlot::ALL.iter().copied().filter(|s| missing_slots & super::facts::bit(*s) != 0).collect(),
            }
        );
    }
    let start = unit.start;
    if f.available_from.is_some_and(|from| from > start) || f.available_until.is_some_and(|until| until < start) {
        fail!(
            HardRule::Availability,
            Exclusion::Availability { start, from: f.available_from, until: f.available_until }
        );
    }
    let distance_km = unit.distance_to(f.point);
    if let (Some(km), Some(max)) = (distance_km, f.max_distance_km) {
        if km > max as f64 {
            fail!(HardRule::Distance, Exclusion::Distance { deci_km: deci_km(km), max_km: max });
        }
    }
    Some(distance_km)
}
