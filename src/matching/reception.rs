//! Matching a need to reception services: the same unit of children, hard
//! rules of their own (what the service is for, ages, sex, equipment, a
//! vacancy) and a score from the criteria that apply to a service
//! (distance from the child and from the family of origin, territory,
//! languages, how fresh the declaration is). docs/matching.md works cases.

use time::Date;

use super::facts::{bit, distance, mask_of, Mask, Member, Point, Unit};
use super::rules::{deci_km, Judgement};
use super::score::{Criterion, CriterionKind, Fact, Scale, Scored};
use crate::api::{Exclusion, HardRule};
use crate::model::reception::{equipment_for, serves};
use crate::model::*;

/// A reception service as matching sees it.
#[derive(Debug, Clone)]
pub struct ServiceFacts {
    pub code: ServiceCode,
    pub kind: ServiceKind,
    pub active: bool,
    pub comune: ComuneCode,
    pub point: Option<Point>,
    pub ages: AgeRange,
    pub sex: SexPreference,
    pub equipment: Mask,
    pub languages: Vec<String>,
    pub licensed: u16,
    /// The latest declaration: places and day.
    pub declared: Option<(u16, Date)>,
    /// Children of accepted proposals waiting to start here.
    pub held: u16,
    /// Active placements here: children and start.
    pub placed: Vec<(u8, Date)>,
}

impl ServiceFacts {
    /// None for a service that is not a reception service.
    pub fn of(s: &Service, comuni: &Comuni) -> Option<ServiceFacts> {
        let r = s.details.reception.as_ref().filter(|_| s.details.kind.is_reception())?;
        Some(ServiceFacts {
            code: s.code,
            kind: s.details.kind,
            active: s.details.active,
            comune: r.comune,
            point: Point::of(comuni, r.comune),
            ages: r.ages,
            sex: r.sex,
            equipment: mask_of(r.equipment.iter().copied()),
            languages: r.languages.iter().map(|l| crate::model::languages::canonical_name(l).into_owned()).collect(),
            licensed: r.licence.places,
            declared: s.vacancy.as_ref().map(|v| (v.places, v.declared_on)),
            held: 0,
            placed: Vec::new(),
        })
    }

    /// Children in placements recorded in banca that are still going on.
    pub fn occupied(&self) -> u16 {
        self.placed.iter().map(|(n, _)| *n as u16).sum()
    }

    /// The places free now: those declared, less the children placed here
    /// since the declaration and those of accepted proposals; never more
    /// than the licensed places not occupied by placements in banca.
    pub fn free_places(&self) -> u16 {
        let Some((declared, on)) = self.declared else { return 0 };
        let since: u16 = self.placed.iter().filter(|(_, start)| *start >= on).map(|(n, _)| *n as u16).sum();
        let free = declared.saturating_sub(since).saturating_sub(self.held);
        free.min(self.licensed.saturating_sub(self.occupied()))
    }

    pub fn declared_days(&self, today: Date) -> Option<u32> {
        self.declared.map(|(_, on)| (today - on).whole_days().max(0) as u32)
    }
}

/// The verdict on one service, as `rules::judge` gives it for a family.
pub fn judge_service(unit: &Unit, s: &ServiceFacts, all: bool) -> Judgement {
    let mut out = Vec::new();
    let distance_km = rules(unit, s, &mut |e| {
        out.push(e);
        !all
    });
    Judgement { exclusions: out, distance_km: distance_km.unwrap_or_else(|| distance(unit.point, s.point)) }
}

/// The first rule a service fails, or its distance from the child.
pub fn check_service(unit: &Unit, s: &ServiceFacts) -> Result<Option<f64>, HardRule> {
    let mut first = None;
    match rules(unit, s, &mut |e| {
        first = Some(e.rule());
        true
    }) {
        Some(d) => Ok(d),
        None => Err(first.unwrap_or(HardRule::Status)),
    }
}

/// The rules in order; `fail` takes each failure and says whether to stop.
/// None when stopped, else the distance from the child's comune.
fn rules(unit: &Unit, s: &ServiceFacts, fail: &mut dyn FnMut(Exclusion) -> bool) -> Option<Option<f64>> {
    macro_rules! fail {
        ($e:expr) => {
            if fail($e) {
                return None;
            }
        };
    }
    if !s.active {
        fail!(Exclusion::ServiceInactive);
    }
    if !serves(s.kind, unit.kind) {
        fail!(Exclusion::ServiceKind { service: s.kind, kind: unit.kind });
    }
    if let Some(m) = unit.members.iter().find(|m| !s.ages.contains(m.age_months)) {
        fail!(Exclusion::Age { need: m.code, age_months: m.age_months, range: s.ages });
    }
    let mut missing: Vec<Equipment> = SpecialNeed::ALL
        .iter()
        .filter(|n| unit.special_needs & bit(**n) != 0)
        .filter_map(|n| equipment_for(*n))
        .filter(|e| s.equipment & bit(*e) == 0)
        .collect();
    missing.dedup();
    if !missing.is_empty() {
        fail!(Exclusion::Equipment { missing });
    }
    let misfit = |m: &Member| match (s.sex, m.sex) {
        (SexPreference::Female, Some(Sex::Male)) => Some(Sex::Male),
        (SexPreference::Male, Some(Sex::Female)) => Some(Sex::Female),
        _ => None,
    };
    if let Some((m, sex)) = unit.members.iter().find_map(|m| misfit(m).map(|sex| (m, sex))) {
        fail!(Exclusion::Sex { need: m.code, sex, preference: s.sex });
    }
    let free = s.free_places();
    if free < unit.places() as u16 {
        fail!(Exclusion::NoVacancy { free, needed: unit.places(), declared_on: s.declared.map(|d| d.1) });
    }
    Some(distance(unit.point, s.point))
}

/// Scores a service that passed the hard rules, explained.
pub fn score_service(unit: &Unit, s: &ServiceFacts, distance_km: Option<f64>, scale: &Scale) -> Scored {
    let w = &scale.config.weights;
    let horizon = scale.config.distance_horizon_km as f64;
    let closeness = |km: f64| (1.0 - km / horizon).clamp(0.0, 1.0);
    let mut parts: Vec<(CriterionKind, u16, f64, Fact)> = Vec::with_capacity(5);
    let placed = unit.comune.is_some();
    if placed {
        parts.push(match distance_km {
            Some(km) => (CriterionKind::Distance, w.distance, closeness(km), Fact::Km { deci_km: deci_km(km) }),
            None => (CriterionKind::Distance, w.distance, 0.5, Fact::UnknownDistance),
        });
    }
    // The family of origin visits the child where it is, whatever the plan says of frequency.
    if unit.origin_comune.is_some() {
        parts.push(match distance(unit.origin_point, s.point) {
            Some(km) => (
                CriterionKind::OriginDistance,
                w.origin_distance,
                closeness(km),
                Fact::OriginKm { deci_km: deci_km(km), frequency: unit.contact },
            ),
            None => (CriterionKind::OriginDistance, w.origin_distance, 0.5, Fact::UnknownDistance),
        });
    }
    if placed {
        let child = unit.comune.and_then(|c| scale.areas.area(c));
        parts.push(match (child, scale.areas.area(s.comune)) {
            _ if unit.comune == Some(s.comune) => (CriterionKind::SameArea, w.same_area, 1.0, Fact::SameComune),
            (Some(a), Some(b)) if a.ambit == b.ambit => (
                CriterionKind::SameArea,
                w.same_area,
                1.0,
                Fact::SameAmbit { name: scale.areas.ambit_name(a).to_string() },
            ),
            (Some(_), Some(_)) => (CriterionKind::SameArea, w.same_area, 0.0, Fact::OtherAmbit),
            _ => (CriterionKind::SameArea, w.same_area, 0.0, Fact::AreaUnknown),
        });
    }
    if !unit.languages.is_empty() && !s.languages.is_empty() {
        parts.push(match unit.languages.iter().find(|l| s.languages.contains(l)) {
            Some(l) => (CriterionKind::Language, w.language, 1.0, Fact::SharedLanguage { language: l.clone() }),
            None => {
                (CriterionKind::Language, w.language, 0.0, Fact::NoSharedLanguage { wanted: unit.languages.clone() })
            }
        });
    }
    // A declaration is fresh for half the stale period, then loses its points
    // to nothing at the stale day: the flag and no points, together.
    let stale_days = scale.config.vacancy_stale_days as f64;
    let days = s.declared_days(scale.today).unwrap_or(u32::MAX);
    let stale = is_stale(s, scale);
    let share = if stale {
        0.0
    } else if days as f64 <= stale_days / 2.0 {
        1.0
    } else {
        (1.0 - (days as f64 - stale_days / 2.0) / (stale_days / 2.0)).clamp(0.0, 1.0)
    };
    parts.push((CriterionKind::Declared, w.freshness, share, Fact::Declared { days, stale }));

    let total: u32 = parts.iter().map(|p| p.1 as u32).sum();
    if total == 0 {
        return Scored { score: 0, criteria: Vec::new() };
    }
    let mut exact = 0.0;
    let mut criteria = Vec::with_capacity(parts.len());
    for (kind, weight, share, fact) in parts.into_iter().filter(|p| p.1 > 0) {
        let max = 100.0 * weight as f64 / total as f64;
        let earned = max * share.clamp(0.0, 1.0);
        exact += earned;
        criteria.push(Criterion {
            kind,
            fact,
            earned_tenths: (earned * 10.0).round() as u16,
            max_tenths: (max * 10.0).round() as u16,
        });
    }
    Scored { score: exact.round().clamp(0.0, 100.0) as u8, criteria }
}

/// Is the declaration of `s` stale on `today`?
pub fn is_stale(s: &ServiceFacts, scale: &Scale) -> bool {
    s.declared_days(scale.today).is_none_or(|d| d > scale.config.vacancy_stale_days as u32)
}
