//! The score: a weighted share of what the criteria that apply to the need
//! could give, 0–100, with one explanation line per criterion.

use serde::{Deserialize, Serialize};
use time::Date;

use super::config::MatchingConfig;
use super::facts::{distance, Areas, FamilyFacts, Unit};
use super::rules::deci_km;
pub use crate::api::{Criterion, CriterionKind, Fact};
use crate::model::dates::months_between;
use crate::model::family::stale_since;
use crate::model::*;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scored {
    pub score: u8,
    pub criteria: Vec<Criterion>,
}

/// Everything the score depends on besides the pair.
pub struct Scale<'a> {
    pub config: &'a MatchingConfig,
    pub areas: &'a Areas,
    pub today: Date,
    pub stale_after_months: u32,
}

/// Scores a family that passed the hard rules.
pub fn score(unit: &Unit, f: &FamilyFacts, distance_km: Option<f64>, scale: &Scale) -> Scored {
    scored::<true>(unit, f, distance_km, scale)
}

/// The score `score` gives, without the explanation: what a ranking
/// computes for every candidate before explaining the few it shows.
pub fn score_value(unit: &Unit, f: &FamilyFacts, distance_km: Option<f64>, scale: &Scale) -> u8 {
    scored::<false>(unit, f, distance_km, scale).score
}

/// One criterion that applies: its kind, weight, share (0..=1) and, when explained, its fact.
type Part = (CriterionKind, u16, f64, Option<Fact>);

/// The score, and with `EXPLAIN` the criteria that make it. The same
/// arithmetic either way; without it no fact is built and nothing is allocated.
fn scored<const EXPLAIN: bool>(unit: &Unit, f: &FamilyFacts, distance_km: Option<f64>, scale: &Scale) -> Scored {
    macro_rules! fact {
        ($fact:expr) => {
            if EXPLAIN {
                Some($fact)
            } else {
                None
            }
        };
    }
    let w = &scale.config.weights;
    let horizon = scale.config.distance_horizon_km as f64;
    let closeness = |km: f64| (1.0 - km / horizon).clamp(0.0, 1.0);
    // (kind, weight, share 0..=1, fact), at most one per criterion kind.
    let mut parts: [Option<Part>; 7] = [const { None }; 7];
    let mut n = 0;
    let mut push = |part: Part| {
        parts[n] = Some(part);
        n += 1;
    };

    // A profile that names no comune has no distance nor territory to score.
    let placed = unit.comune.is_some();
    if placed {
        push(match distance_km {
            Some(km) => (CriterionKind::Distance, w.distance, closeness(km), fact!(Fact::Km { deci_km: deci_km(km) })),
            None => (CriterionKind::Distance, w.distance, 0.5, fact!(Fact::UnknownDistance)),
        });
    }

    // Contact visits make the way to the family of origin matter.
    if unit.contact != ContactFrequency::None && unit.origin_comune.is_some() {
        push(match distance(unit.origin_point, f.point) {
            Some(km) => (
                CriterionKind::OriginDistance,
                w.origin_distance,
                closeness(km),
                fact!(Fact::OriginKm { deci_km: deci_km(km), frequency: unit.contact }),
            ),
            None => (CriterionKind::OriginDistance, w.origin_distance, 0.5, fact!(Fact::UnknownDistance)),
        });
    }

    if placed {
        let child_area = unit.comune.and_then(|c| scale.areas.area(c));
        push(match (child_area, scale.areas.area(f.comune)) {
            (Some(a), Some(b)) if a.district.is_some() && a.district == b.district => {
                let name = fact!(scale.areas.district_name(a.district.unwrap_or_default()).to_string());
                (CriterionKind::SameArea, w.same_area, 1.0, name.map(|name| Fact::SameDistrict { name }))
            }
            // The same comune is the same territory, whatever the ambiti registered.
            _ if unit.comune == Some(f.comune) => (CriterionKind::SameArea, w.same_area, 1.0, fact!(Fact::SameComune)),
            (Some(a), Some(b)) if a.ambit == b.ambit => (
                CriterionKind::SameArea,
                w.same_area,
                0.6,
                fact!(Fact::SameAmbit { name: scale.areas.ambit_name(a).to_string() }),
            ),
            (Some(_), Some(_)) => (CriterionKind::SameArea, w.same_area, 0.0, fact!(Fact::OtherAmbit)),
            _ => (CriterionKind::SameArea, w.same_area, 0.0, fact!(Fact::AreaUnknown)),
        });
    }

    // Only when both sides name languages: a family that named none is not
    // known not to speak the child's language.
    if !unit.languages.is_empty() && !f.languages.is_empty() {
        push(match unit.languages.iter().find(|l| f.languages.iter().any(|s| **s == ***l)) {
            Some(l) => (CriterionKind::Language, w.language, 1.0, fact!(Fact::SharedLanguage { language: l.clone() })),
            None => (
                CriterionKind::Language,
                w.language,
                0.0,
                fact!(Fact::NoSharedLanguage { wanted: unit.languages.to_vec() }),
            ),
        });
    }

    let similar = f.load.placements_by_kind[unit.kind as usize];
    let full = scale.config.experience_full_placements as f64;
    let share = 0.7 * (similar as f64).min(full) / full + if f.trained { 0.3 } else { 0.0 };
    push((
        CriterionKind::Experience,
        w.experience,
        share,
        fact!(Fact::Experience { similar, kind: unit.kind, trained: f.trained, groups: f.groups }),
    ));

    let since = match (f.approved_on, f.load.last_placement) {
        (Some(a), Some(p)) if p > a => Some((p, true)),
        (Some(a), _) => Some((a, false)),
        (None, Some(p)) => Some((p, true)),
        (None, None) => None,
    };
    push(match since {
        Some((date, since_placement)) => {
            let months = months_between(date, scale.today);
            let share = (months as f64 / scale.config.waiting_full_months as f64).min(1.0);
            (CriterionKind::Waiting, w.waiting, share, fact!(Fact::Waiting { months, since_placement }))
        }
        None => (CriterionKind::Waiting, w.waiting, 0.0, fact!(Fact::NotApprovedYet)),
    });

    let stale_after = scale.stale_after_months;
    push(match f.confirmed_on {
        // The one stale boundary (`stale_since`): the flag and no points, together.
        Some(d) if stale_since(Some(d), scale.today, stale_after) => (
            CriterionKind::Freshness,
            w.freshness,
            0.0,
            fact!(Fact::Stale { months: Some(months_between(d, scale.today)) }),
        ),
        Some(d) => {
            let months = months_between(d, scale.today);
            let half = stale_after as f64 / 2.0;
            if (months as f64) <= half {
                (CriterionKind::Freshness, w.freshness, 1.0, fact!(Fact::Fresh { months }))
            } else {
                let share = (1.0 - (months as f64 - half) / half).clamp(0.0, 1.0);
                (CriterionKind::Freshness, w.freshness, share, fact!(Fact::Ageing { months }))
            }
        }
        None => (CriterionKind::Freshness, w.freshness, 0.0, fact!(Fact::Stale { months: None })),
    });

    let total_weight: u32 = parts.iter().flatten().map(|p| p.1 as u32).sum();
    if total_weight == 0 {
        return Scored { score: 0, criteria: Vec::new() };
    }
    let mut exact = 0.0;
    let mut criteria = Vec::with_capacity(if EXPLAIN { n } else { 0 });
    for (kind, weight, share, fact) in parts.into_iter().flatten().filter(|p| p.1 > 0) {
        let max = 100.0 * weight as f64 / total_weight as f64;
        let earned = max * share.clamp(0.0, 1.0);
        exact += earned;
        if let Some(fact) = fact {
            criteria.push(Criterion {
                kind,
                fact,
                earned_tenths: (earned * 10.0).round() as u16,
                max_tenths: (max * 10.0).round() as u16,
            });
        }
    }
    Scored { score: exact.round().clamp(0.0, 100.0) as u8, criteria }
}
