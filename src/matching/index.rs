//! The matching index: every family and open need as compact facts, with
//! the load proposals and placements put on each family. The bank builds it
//! when it opens and updates it under its write lock after every commit,
//! so rankings and capacity checks always see the committed bank.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use time::Date;

use super::facts::{Areas, FamilyFacts, Load, NeedFacts, Unit};
use super::rules::{judge, HardRule};
use super::score::{score, Scale, Scored};
use crate::model::*;

#[derive(Debug, Clone)]
struct ProposalFacts {
    family: FamilyCode,
    needs: Vec<NeedCode>,
    status: ProposalStatus,
}

#[derive(Debug, Clone)]
struct PlacementFacts {
    places: u8,
    kind: PlacementKind,
    start: Date,
    end: Option<Date>,
}

#[derive(Default)]
pub struct MatchIndex {
    families: BTreeMap<FamilyCode, FamilyFacts>,
    /// Needs not closed.
    needs: BTreeMap<NeedCode, NeedFacts>,
    proposals: HashMap<ProposalCode, ProposalFacts>,
    placements: HashMap<PlacementCode, PlacementFacts>,
    proposals_of_family: HashMap<FamilyCode, BTreeSet<ProposalCode>>,
    placements_of_family: HashMap<FamilyCode, BTreeSet<PlacementCode>>,
    proposals_of_need: HashMap<NeedCode, BTreeSet<ProposalCode>>,
    areas: Areas,
}

/// One candidate family, scored.
#[derive(Debug, Clone)]
pub struct RankedFamily {
    pub code: FamilyCode,
    pub scored: Scored,
    pub distance_km: Option<f64>,
    pub free_places: u8,
}

/// One need (with its siblings) a family could take, scored.
#[derive(Debug, Clone)]
pub struct RankedNeed {
    pub unit: Unit,
    pub scored: Scored,
    pub distance_km: Option<f64>,
}

/// How a ranking went: how many were looked at, and why the others fell.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub considered: u32,
    pub excluded: BTreeMap<HardRule, u32>,
}

impl MatchIndex {
    pub fn set_areas(&mut self, areas: Areas) {
        self.areas = areas;
    }

    pub fn areas(&self) -> &Areas {
        &self.areas
    }

    pub fn family(&self, code: FamilyCode) -> Option<&FamilyFacts> {
        self.families.get(&code)
    }

    pub fn need(&self, code: NeedCode) -> Option<&NeedFacts> {
        self.needs.get(&code)
    }

    pub fn families_len(&self) -> usize {
        self.families.len()
    }

    pub fn upsert_family(&mut self, f: &Family, comuni: &Comuni) {
        let load = self.load_of(f.code);
        self.families.insert(f.code, FamilyFacts::of(f, comuni, load));
    }

    pub fn upsert_need(&mut self, n: &Need, comuni: &Comuni) {
        if n.placement.status == NeedStatus::Closed {
            self.needs.remove(&n.code);
        } else {
            self.needs.insert(n.code, NeedFacts::of(n, comuni));
        }
    }

    pub fn upsert_proposal(&mut self, p: &Proposal) {
        for n in &p.needs {
            self.proposals_of_need.entry(*n).or_default().insert(p.code);
        }
        self.proposals_of_family.entry(p.family).or_default().insert(p.code);
        self.proposals.insert(p.code, ProposalFacts { family: p.family, needs: p.needs.clone(), status: p.status });
        self.refresh_load(p.family);
    }

    pub fn upsert_placement(&mut self, p: &Placement) {
        self.placements_of_family.entry(p.family).or_default().insert(p.code);
        self.placements.insert(
            p.code,
            PlacementFacts {
                places: p.places(),
                kind: p.kind,
                start: p.plan.start,
                end: p.closing.as_ref().map(|c| c.date),
            },
        );
        self.refresh_load(p.family);
    }

    fn refresh_load(&mut self, family: FamilyCode) {
        let load = self.load_of(family);
        if let Some(f) = self.families.get_mut(&family) {
            f.load = load;
        }
    }

    /// Places held, experience and last placement, from the family's links.
    fn load_of(&self, family: FamilyCode) -> Load {
        let mut load = Load::default();
        for code in self.proposals_of_family.get(&family).into_iter().flatten() {
            if let Some(p) = self.proposals.get(code) {
                if p.status == ProposalStatus::Accepted {
                    load.held = load.held.saturating_add(p.needs.len() as u8);
                }
            }
        }
        for code in self.placements_of_family.get(&family).into_iter().flatten() {
            if let Some(p) = self.placements.get(code) {
                if p.end.is_none() {
                    load.held = load.held.saturating_add(p.places);
                }
                load.placements_by_kind[p.kind as usize] += 1;
                let latest = p.end.unwrap_or(p.start).max(p.start);
                load.last_placement = load.last_placement.max(Some(latest));
            }
        }
        load
    }

    /// Active proposals (proposed, under review, accepted) naming this need.
    pub fn active_proposals_of_need(&self, need: NeedCode) -> Vec<(ProposalCode, FamilyCode, ProposalStatus)> {
        self.proposals_of_need
            .get(&need)
            .into_iter()
            .flatten()
            .filter_map(|c| self.proposals.get(c).map(|p| (*c, p)))
            .filter(|(_, p)| p.status.is_active())
            .map(|(c, p)| (c, p.family, p.status))
            .collect()
    }

    /// Accepted proposals holding places in the family.
    pub fn accepted_proposals_of_family(&self, family: FamilyCode) -> Vec<ProposalCode> {
        self.proposals_of_family
            .get(&family)
            .into_iter()
            .flatten()
            .filter(|c| self.proposals.get(c).is_some_and(|p| p.status == ProposalStatus::Accepted))
            .copied()
            .collect()
    }

    /// The unit of a need on `today`: the need and its siblings still open.
    pub fn unit(&self, need: &NeedFacts, today: Date) -> Unit {
        Unit::of(need, need.siblings.iter().filter_map(|c| self.needs.get(c)), today)
    }

    /// Every candidate family for a unit, best first (ties by code).
    pub fn rank_families(&self, unit: &Unit, scale: &Scale) -> (Vec<RankedFamily>, Tally) {
        let mut tally = Tally::default();
        let mut out = Vec::new();
        for f in self.families.values() {
            tally.considered += 1;
            let j = judge(unit, f, false);
            if let Some(e) = j.exclusions.first() {
                *tally.excluded.entry(e.rule()).or_default() += 1;
                continue;
            }
            out.push(RankedFamily {
                code: f.code,
                scored: score(unit, f, j.distance_km, scale),
                distance_km: j.distance_km,
                free_places: f.free_places(),
            });
        }
        out.sort_by(|a, b| b.scored.score.cmp(&a.scored.score).then(a.code.cmp(&b.code)));
        (out, tally)
    }

    /// Every open need (as a unit with its siblings) the family could take,
    /// best first (ties by code). A sibling group appears once, under its
    /// first open need.
    pub fn rank_needs(&self, family: &FamilyFacts, scale: &Scale) -> (Vec<RankedNeed>, Tally) {
        let mut tally = Tally::default();
        let mut out = Vec::new();
        for n in self.needs.values() {
            if !n.is_open() {
                continue;
            }
            let led_by_earlier =
                n.siblings.iter().any(|s| *s < n.code && self.needs.get(s).is_some_and(|s| s.is_open()));
            if led_by_earlier {
                continue;
            }
            tally.considered += 1;
            let unit = Unit::of(n, n.siblings.iter().filter_map(|c| self.needs.get(c)), scale.today);
            let j = judge(&unit, family, false);
            if let Some(e) = j.exclusions.first() {
                *tally.excluded.entry(e.rule()).or_default() += 1;
                continue;
            }
            let scored = score(&unit, family, j.distance_km, scale);
            out.push(RankedNeed { unit, scored, distance_km: j.distance_km });
        }
        out.sort_by(|a, b| b.scored.score.cmp(&a.scored.score).then(a.unit.need.cmp(&b.unit.need)));
        (out, tally)
    }
}
