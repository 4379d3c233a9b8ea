//! The matching index: every family and open need as compact facts, with
//! the load proposals and placements put on each family. The bank builds it
//! when it opens and updates it under its write lock after every commit,
//! so rankings and capacity checks always see the committed bank.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet};

use time::Date;

use super::facts::{Areas, FamilyFacts, Languages, Load, NeedFacts, Point, Unit};
use super::fit::{fit, Fit};
use super::reception::{check_service, is_stale, score_service, ServiceFacts};
use super::rules::{check, check_kind, HardRule};
use super::score::{score, score_value, Scale, Scored};
use crate::model::comune::normalize;
use crate::model::*;

#[derive(Debug, Clone)]
struct ProposalFacts {
    /// The family, or the reception service, proposed.
    host: Host,
    needs: Vec<NeedCode>,
    status: ProposalStatus,
    proposed_on: Date,
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
    /// Every family, in one vector a ranking runs through; `family_at` finds one by code.
    families: Vec<FamilyFacts>,
    /// A `u32` rather than a `usize`: 4 bytes less a family, times the table's slack.
    family_at: HashMap<FamilyCode, u32>,
    /// Needs not closed.
    needs: BTreeMap<NeedCode, NeedFacts>,
    proposals: HashMap<ProposalCode, ProposalFacts>,
    placements: HashMap<PlacementCode, PlacementFacts>,
    proposals_of_family: HashMap<FamilyCode, BTreeSet<ProposalCode>>,
    placements_of_family: HashMap<FamilyCode, BTreeSet<PlacementCode>>,
    proposals_of_need: HashMap<NeedCode, BTreeSet<ProposalCode>>,
    areas: Areas,
    /// Every ambito, by its key: the areas are made from them all, so one
    /// saved ambito is taken in without reading the others again.
    ambits: BTreeMap<String, Ambit>,
    languages: Languages,
    /// Who attended each of the network's events (a family's pathway and
    /// support log name them), in code order: an event shows its count from here.
    attendees: HashMap<EventCode, Vec<FamilyCode>>,
    /// The reception services, with the places their links hold.
    services: BTreeMap<ServiceCode, ServiceFacts>,
    proposals_of_service: HashMap<ServiceCode, BTreeSet<ProposalCode>>,
    placements_of_service: HashMap<ServiceCode, BTreeSet<PlacementCode>>,
}

/// One candidate reception service, scored.
#[derive(Debug, Clone)]
pub struct RankedService {
    pub code: ServiceCode,
    pub scored: Scored,
    pub distance_km: Option<f64>,
    pub free_places: u16,
    pub stale: bool,
}

/// A family's place in `MatchIndex::families`.
fn family_number(at: usize) -> u32 {
    u32::try_from(at).expect("under 4 billion families")
}

/// Where families are looked for, resolved from `api::Within`.
#[derive(Debug, Clone)]
pub enum Place {
    /// Within `km` of a comune's seat (families without coordinates are out).
    Around { point: Point, km: f64 },
    /// In one of these comuni (a presidio's or an ambito's).
    Comuni(HashSet<ComuneCode>),
}

impl Place {
    pub fn holds(&self, f: &FamilyFacts) -> bool {
        self.holds_comune(f.comune, f.point)
    }

    /// A comune with its seat: in the place?
    pub fn holds_comune(&self, comune: ComuneCode, point: Option<Point>) -> bool {
        match self {
            Place::Around { point: centre, km } => point.is_some_and(|p| centre.km(p) <= *km),
            Place::Comuni(comuni) => comuni.contains(&comune),
        }
    }
}

/// Where a proposal would place the children: a family or a reception service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    Family(FamilyCode),
    Service(ServiceCode),
}

/// One candidate family, scored.
#[derive(Debug, Clone)]
pub struct RankedFamily {
    pub code: FamilyCode,
    pub scored: Scored,
    pub distance_km: Option<f64>,
    pub free_places: u8,
    pub fit: Fit,
}

/// One need (with its siblings) a family could take, scored.
#[derive(Debug, Clone)]
pub struct RankedNeed {
    pub unit: Unit,
    pub scored: Scored,
    pub distance_km: Option<f64>,
    /// Urgent needs come first in a family's view (`NeedFacts::is_urgent`).
    pub urgent: bool,
}

/// Where a need stands in a family's view: urgent ones first, then by score.
fn need_rank(urgent: bool, score: u8) -> u16 {
    (urgent as u16) << 8 | score as u16
}

/// How a ranking went: how many were looked at, and why the others fell.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub considered: u32,
    pub excluded: BTreeMap<HardRule, u32>,
}

impl Tally {
    /// From counts indexed by rule (`HardRule as usize`); rules nobody failed are left out.
    fn of(considered: u32, excluded: [u32; HardRule::ALL.len()]) -> Tally {
        let excluded = HardRule::ALL.iter().zip(excluded).filter(|(_, n)| *n > 0).map(|(r, n)| (*r, n)).collect();
        Tally { considered, excluded }
    }
}

/// The best candidates of a ranking, and how it went for all of them.
#[derive(Debug, Clone)]
pub struct Ranking<T> {
    /// The best `limit` candidates, best first: score descending, then code ascending.
    pub top: Vec<T>,
    /// How many passed every hard rule (the candidates, `top` or not).
    pub total: u32,
    pub tally: Tally,
    /// The place (1 for the best) among all candidates of the one asked
    /// about, when it is a candidate.
    pub focus_rank: Option<u32>,
}

/// A candidate met during a ranking: its score, its code (for ties) and
/// what is needed to explain it later. Ordered worst first, so that a
/// max-heap of them keeps the worst of the best on top.
struct Seen<K, T> {
    /// The score, or for needs the urgency above it (`need_rank`).
    score: u16,
    code: K,
    item: T,
}

impl<K: Ord, T> Ord for Seen<K, T> {
    fn cmp(&self, other: &Self) -> Ordering {
        other.score.cmp(&self.score).then_with(|| self.code.cmp(&other.code))
    }
}

impl<K: Ord, T> PartialOrd for Seen<K, T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<K: Ord, T> PartialEq for Seen<K, T> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl<K: Ord, T> Eq for Seen<K, T> {}

/// Keeps the best `limit` of the candidates it is shown, without sorting them all.
struct Best<K, T> {
    limit: usize,
    heap: BinaryHeap<Seen<K, T>>,
}

impl<K: Ord, T> Best<K, T> {
    fn new(limit: usize) -> Self {
        Best { limit, heap: BinaryHeap::new() }
    }

    fn offer(&mut self, score: u16, code: K, item: T) {
        if self.heap.len() < self.limit {
            self.heap.push(Seen { score, code, item });
        } else if let Some(mut worst) = self.heap.peek_mut() {
            let seen = Seen { score, code, item };
            if seen < *worst {
                *worst = seen;
            }
        }
    }

    /// Best first.
    fn into_sorted(self) -> Vec<Seen<K, T>> {
        self.heap.into_sorted_vec()
    }
}

impl MatchIndex {
    pub fn set_areas(&mut self, areas: Areas) {
        self.areas = areas;
    }

    /// Every ambito of the bank ("same ambito", "same district").
    pub fn set_ambits(&mut self, ambits: Vec<Ambit>) {
        self.ambits = ambits.into_iter().map(|a| (a.details.key(), a)).collect();
        self.areas = Areas::new(&self.ambits.values().cloned().collect::<Vec<_>>());
    }

    /// One ambito saved, the others as they were.
    pub fn upsert_ambit(&mut self, ambit: &Ambit) {
        let mut ambits: Vec<Ambit> = std::mem::take(&mut self.ambits).into_values().collect();
        ambits.retain(|a| a.details.key() != ambit.details.key());
        ambits.push(ambit.clone());
        self.set_ambits(ambits);
    }

    /// The comuni of the ambito named `name` (any case and accents, as
    /// ambiti are stored), or None when the bank has none of that name.
    pub fn ambit_comuni(&self, name: &str) -> Option<HashSet<ComuneCode>> {
        let a = self.ambits.get(&normalize(name))?;
        let mut comuni: HashSet<ComuneCode> = a.details.comuni.iter().copied().collect();
        comuni.extend(a.details.districts.iter().flat_map(|d| d.comuni.iter().copied()));
        Some(comuni)
    }

    /// The comuni of every presidio named `name` (matched as ambiti are),
    /// or None when no ambito has one.
    pub fn district_comuni(&self, name: &str) -> Option<HashSet<ComuneCode>> {
        let key = normalize(name);
        let mut found = None;
        for d in self.ambits.values().flat_map(|a| &a.details.districts).filter(|d| normalize(&d.name) == key) {
            found.get_or_insert_with(HashSet::new).extend(d.comuni.iter().copied());
        }
        found
    }

    pub fn areas(&self) -> &Areas {
        &self.areas
    }

    pub fn family(&self, code: FamilyCode) -> Option<&FamilyFacts> {
        self.family_at.get(&code).map(|i| &self.families[*i as usize])
    }

    pub fn need(&self, code: NeedCode) -> Option<&NeedFacts> {
        self.needs.get(&code)
    }

    /// Every family, in no order (counts made without reading records).
    pub fn families(&self) -> impl Iterator<Item = &FamilyFacts> {
        self.families.iter()
    }

    pub fn families_len(&self) -> usize {
        self.families.len()
    }

    /// Gives back what growing one record at a time reserved beyond the
    /// records (up to half of each vector and table): after a whole build.
    pub fn shrink_to_fit(&mut self) {
        self.families.shrink_to_fit();
        self.family_at.shrink_to_fit();
        self.proposals.shrink_to_fit();
        self.placements.shrink_to_fit();
        self.proposals_of_family.shrink_to_fit();
        self.placements_of_family.shrink_to_fit();
        self.proposals_of_need.shrink_to_fit();
        self.proposals_of_service.shrink_to_fit();
        self.placements_of_service.shrink_to_fit();
        for list in self.attendees.values_mut() {
            list.shrink_to_fit();
        }
        self.attendees.shrink_to_fit();
    }

    /// The families that attended `event`, all services together.
    pub fn attendees(&self, event: EventCode) -> impl Iterator<Item = FamilyCode> + '_ {
        self.attendees.get(&event).into_iter().flatten().copied()
    }

    /// Whether the family was proposed for a child, or placed, on or after `day`.
    pub fn proposed_since(&self, family: FamilyCode, day: Date) -> bool {
        let proposed = self
            .proposals_of_family
            .get(&family)
            .into_iter()
            .flatten()
            .any(|c| self.proposals.get(c).is_some_and(|p| p.proposed_on >= day));
        proposed
            || self
                .placements_of_family
                .get(&family)
                .into_iter()
                .flatten()
                .any(|c| self.placements.get(c).is_some_and(|p| p.start >= day || p.end.is_none_or(|e| e >= day)))
    }

    fn upsert_attendance(&mut self, f: &Family) {
        let mut events: Vec<EventCode> =
            f.pathway.steps.iter().filter_map(|s| s.event).chain(f.support.iter().filter_map(|e| e.event)).collect();
        events.sort();
        events.dedup();
        // A family seen before may have left an event: looked for in every
        // event's list (a few hundred), so no map of each family's events
        // costs memory for every family.
        if self.family_at.contains_key(&f.code) {
            for (event, list) in self.attendees.iter_mut() {
                if events.binary_search(event).is_err() {
                    if let Ok(i) = list.binary_search(&f.code) {
                        list.remove(i);
                    }
                }
            }
        }
        for e in events {
            let list = self.attendees.entry(e).or_default();
            if let Err(i) = list.binary_search(&f.code) {
                list.insert(i, f.code);
            }
        }
    }

    pub fn upsert_family(&mut self, f: &Family, comuni: &Comuni) {
        self.upsert_attendance(f);
        let facts = FamilyFacts::of(f, comuni, self.load_of(f.code), &mut self.languages);
        match self.family_at.get(&f.code) {
            Some(i) => self.families[*i as usize] = facts,
            None => {
                self.family_at.insert(f.code, family_number(self.families.len()));
                self.families.push(facts);
            }
        }
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
        let proposed_on = p.meta.created_at.date();
        self.proposals.insert(
            p.code,
            ProposalFacts {
                host: p.family.map_or(Host::Service(p.family_service), Host::Family),
                needs: p.needs.clone(),
                status: p.status,
                proposed_on,
            },
        );
        match p.family {
            Some(family) => {
                self.proposals_of_family.entry(family).or_default().insert(p.code);
                self.refresh_load(family);
            }
            None => {
                self.proposals_of_service.entry(p.family_service).or_default().insert(p.code);
                self.refresh_service_load(p.family_service);
            }
        }
    }

    /// A service saved: a reception service's facts, with the places its
    /// links hold (a service that is not one, or no longer, is left out).
    pub fn upsert_service(&mut self, s: &Service, comuni: &Comuni) {
        match ServiceFacts::of(s, comuni) {
            Some(facts) => {
                self.services.insert(s.code, facts);
                self.refresh_service_load(s.code);
            }
            None => {
                self.services.remove(&s.code);
            }
        }
    }

    pub fn service(&self, code: ServiceCode) -> Option<&ServiceFacts> {
        self.services.get(&code)
    }

    /// Every reception service, in code order.
    pub fn services(&self) -> impl Iterator<Item = &ServiceFacts> {
        self.services.values()
    }

    fn refresh_service_load(&mut self, service: ServiceCode) {
        let mut held = 0u16;
        for code in self.proposals_of_service.get(&service).into_iter().flatten() {
            if let Some(p) = self.proposals.get(code).filter(|p| p.status == ProposalStatus::Accepted) {
                held = held.saturating_add(p.needs.len() as u16);
            }
        }
        let placed: Vec<(u8, Date)> = self
            .placements_of_service
            .get(&service)
            .into_iter()
            .flatten()
            .filter_map(|c| self.placements.get(c))
            .filter(|p| p.end.is_none())
            .map(|p| (p.places, p.start))
            .collect();
        if let Some(s) = self.services.get_mut(&service) {
            s.held = held;
            s.placed = placed;
        }
    }

    /// The best `limit` reception services for a unit, best first (ties by
    /// code), with how many there are and why the others fell. With
    /// `place`, only the services in it.
    pub fn rank_services(
        &self,
        unit: &Unit,
        scale: &Scale,
        limit: usize,
        place: Option<&Place>,
    ) -> (Vec<RankedService>, u32, Tally) {
        let mut excluded = [0u32; HardRule::ALL.len()];
        let mut best = Best::new(limit);
        let (mut total, mut considered) = (0u32, 0u32);
        for s in self.services.values() {
            if place.is_some_and(|p| !p.holds_comune(s.comune, s.point)) {
                continue;
            }
            considered += 1;
            match check_service(unit, s) {
                Err(rule) => excluded[rule as usize] += 1,
                Ok(distance_km) => {
                    total += 1;
                    let scored = score_service(unit, s, distance_km, scale);
                    best.offer(scored.score as u16, s.code, (scored, distance_km));
                }
            }
        }
        let top = best
            .into_sorted()
            .into_iter()
            .filter_map(|seen| {
                let s = self.services.get(&seen.code)?;
                let (scored, distance_km) = seen.item;
                Some(RankedService {
                    code: s.code,
                    scored,
                    distance_km,
                    free_places: s.free_places(),
                    stale: is_stale(s, scale),
                })
            })
            .collect();
        (top, total, Tally::of(considered, excluded))
    }

    pub fn upsert_placement(&mut self, p: &Placement) {
        let Some(family) = p.family else {
            self.placements_of_service.entry(p.family_service).or_default().insert(p.code);
            self.placements.insert(
                p.code,
                PlacementFacts {
                    places: p.places(),
                    kind: p.kind,
                    start: p.plan.start,
                    end: p.closing.as_ref().map(|c| c.date),
                },
            );
            self.refresh_service_load(p.family_service);
            return;
        };
        self.placements_of_family.entry(family).or_default().insert(p.code);
        self.placements.insert(
            p.code,
            PlacementFacts {
                places: p.places(),
                kind: p.kind,
                start: p.plan.start,
                end: p.closing.as_ref().map(|c| c.date),
            },
        );
        self.refresh_load(family);
    }

    fn refresh_load(&mut self, family: FamilyCode) {
        let load = self.load_of(family);
        if let Some(i) = self.family_at.get(&family) {
            self.families[*i as usize].load = load;
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

    /// Active proposals (proposed, under review, accepted) naming this
    /// need: each with its family (none: to the reception service named).
    pub fn active_proposals_of_need(&self, need: NeedCode) -> Vec<(ProposalCode, Host, ProposalStatus)> {
        self.proposals_of_need
            .get(&need)
            .into_iter()
            .flatten()
            .filter_map(|c| self.proposals.get(c).map(|p| (*c, p)))
            .filter(|(_, p)| p.status.is_active())
            .map(|(c, p)| (c, p.host, p.status))
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

    /// Proposals still waiting for the family's answer (proposed, under
    /// review), each with the places it would take: those a race for the
    /// last place may leave without room.
    pub fn pending_proposals_of_family(&self, family: FamilyCode) -> Vec<(ProposalCode, u8)> {
        self.proposals_of_family
            .get(&family)
            .into_iter()
            .flatten()
            .filter_map(|c| self.proposals.get(c).map(|p| (*c, p)))
            .filter(|(_, p)| matches!(p.status, ProposalStatus::Proposed | ProposalStatus::UnderReview))
            .map(|(c, p)| (c, p.needs.len().min(u8::MAX as usize) as u8))
            .collect()
    }

    /// The unit of a need on `today`: the need and its siblings still open.
    pub fn unit(&self, need: &NeedFacts, today: Date) -> Unit {
        Unit::of(need, need.siblings.iter().filter_map(|c| self.needs.get(c)), today)
    }

    /// The best `limit` candidate families for a unit, best first (ties
    /// by code), with how many there are in all and why the others fell;
    /// with `focus`, where that family ranks. With `place`, only the
    /// families in it are looked at. Every family is checked and scored,
    /// but only the ones returned are explained.
    pub fn rank_families(
        &self,
        unit: &Unit,
        scale: &Scale,
        limit: usize,
        focus: Option<FamilyCode>,
        place: Option<&Place>,
    ) -> Ranking<RankedFamily> {
        let focus = focus.and_then(|code| {
            let f = self.family(code).filter(|f| place.is_none_or(|p| p.holds(f)))?;
            let distance_km = check(unit, f).ok()?;
            Some((score_value(unit, f, distance_km, scale), code))
        });
        let mut excluded = [0u32; HardRule::ALL.len()];
        let mut best = Best::new(limit);
        let mut total = 0u32;
        let mut ahead = 0u32;
        let mut considered = 0u32;
        for (i, f) in self.families.iter().enumerate() {
            if place.is_some_and(|p| !p.holds(f)) {
                continue;
            }
            considered += 1;
            match check(unit, f) {
                Err(rule) => excluded[rule as usize] += 1,
                Ok(distance_km) => {
                    total += 1;
                    let score = score_value(unit, f, distance_km, scale);
                    // Ranked before the focus: a higher score, or the same and a lower code.
                    if focus.is_some_and(|(s, code)| score > s || (score == s && f.code < code)) {
                        ahead += 1;
                    }
                    best.offer(score as u16, f.code, (i, distance_km));
                }
            }
        }
        let top = best
            .into_sorted()
            .into_iter()
            .map(|seen| {
                let (i, distance_km) = seen.item;
                let f = &self.families[i];
                let scored = score(unit, f, distance_km, scale);
                debug_assert_eq!(scored.score as u16, seen.score, "the score of {} explained differs", f.code);
                RankedFamily { code: f.code, scored, distance_km, free_places: f.free_places(), fit: fit(unit, f) }
            })
            .collect();
        Ranking { top, total, tally: Tally::of(considered, excluded), focus_rank: focus.map(|_| ahead + 1) }
    }

    /// The best `limit` open needs (each as a unit with its siblings) the
    /// family could take, urgent ones first, then by score (ties by code),
    /// with how many there are in all. A sibling group appears once, under its first open need.
    pub fn rank_needs(&self, family: &FamilyFacts, scale: &Scale, limit: usize) -> Ranking<RankedNeed> {
        let mut considered = 0u32;
        let mut excluded = [0u32; HardRule::ALL.len()];
        let mut best = Best::new(limit);
        let mut total = 0u32;
        for n in self.needs.values() {
            if !n.is_open() {
                continue;
            }
            let led_by_earlier =
                n.siblings.iter().any(|s| *s < n.code && self.needs.get(s).is_some_and(|s| s.is_open()));
            if led_by_earlier {
                continue;
            }
            considered += 1;
            // The rules on the first need alone, before building the unit.
            if let Err(rule) = check_kind(n.kind, n.emergency, family) {
                excluded[rule as usize] += 1;
                continue;
            }
            let unit = self.unit(n, scale.today);
            match check(&unit, family) {
                Err(rule) => excluded[rule as usize] += 1,
                Ok(distance_km) => {
                    total += 1;
                    let urgent = n.is_urgent(scale.today);
                    let score = score_value(&unit, family, distance_km, scale);
                    best.offer(need_rank(urgent, score), n.code, (unit, distance_km, urgent));
                }
            }
        }
        let top = best
            .into_sorted()
            .into_iter()
            .map(|seen| {
                let (unit, distance_km, urgent) = seen.item;
                let scored = score(&unit, family, distance_km, scale);
                debug_assert_eq!(
                    need_rank(urgent, scored.score),
                    seen.score,
                    "the score of {:?} explained differs",
                    unit.need
                );
                RankedNeed { unit, scored, distance_km, urgent }
            })
            .collect();
        Ranking { top, total, tally: Tally::of(considered, excluded), focus_rank: None }
    }
}

#[cfg(test)]
mod tests {
    //! The rankings against the obvious way of making them: judge every
    //! family, score the candidates, sort them all.

    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;
    use time::macros::{date, datetime};

    use super::*;
    use crate::matching::facts::{mask_of, Point};
    use crate::matching::{judge, MatchingConfig};

    const TODAY: Date = date!(2026 - 03 - 16);

    fn comuni() -> Vec<ComuneCode> {
        // Dalmine, Stezzano, Bergamo, Gorle (BG), Milano; and one with no coordinates.
        ["016091", "016207", "016024", "016115", "015146"]
            .iter()
            .map(|c| ComuneCode::parse(c).expect("an ISTAT code"))
            .chain([ComuneCode::from_u32(999_999)])
            .collect()
    }

    fn areas(c: &[ComuneCode]) -> Areas {
        let meta = Meta::new(datetime!(2026-01-01 0:00 UTC), "admin");
        let ambit = |name: &str, comuni: Vec<ComuneCode>, districts: Vec<District>| Ambit {
            details: AmbitInput { name: name.into(), comuni, districts },
            meta: meta.clone(),
        };
        Areas::new(&[
            ambit("Dalmine", vec![c[0], c[1]], vec![District { name: "Dalmine".into(), comuni: vec![c[0]] }]),
            ambit("Bergamo", vec![c[2], c[3]], vec![]),
        ])
    }

    fn some_date(rng: &mut ChaCha8Rng) -> Option<Date> {
        rng.gen_bool(0.8).then(|| TODAY - time::Duration::days(rng.gen_range(0..1500)))
    }

    const LANGUAGES: &[&str] = &["italiano", "arabo", "francese"];

    #[test]
    fn a_saved_ambito_moves_its_comuni_and_leaves_the_others_as_they_were() {
        let c = comuni();
        let meta = Meta::new(datetime!(2026-01-01 0:00 UTC), "admin");
        let ambit = |name: &str, comuni: Vec<ComuneCode>| Ambit {
            details: AmbitInput { name: name.into(), comuni, districts: vec![] },
            meta: meta.clone(),
        };
        let mut index = MatchIndex::default();
        index.set_ambits(vec![ambit("Dalmine", vec![c[0], c[1]]), ambit("Bergamo", vec![c[2], c[3]])]);
        let same = |index: &MatchIndex, a: ComuneCode, b: ComuneCode| {
            let areas = index.areas();
            areas.area(a).zip(areas.area(b)).is_some_and(|(x, y)| x.ambit == y.ambit)
        };
        assert!(same(&index, c[0], c[1]) && same(&index, c[2], c[3]) && !same(&index, c[1], c[2]));

        // Stezzano leaves Dalmine for Bergamo, saved under another spelling of the name.
        index.upsert_ambit(&ambit("Dalmine", vec![c[0]]));
        index.upsert_ambit(&ambit("BERGAMO", vec![c[1], c[2], c[3]]));
        assert!(same(&index, c[1], c[2]) && same(&index, c[2], c[3]) && !same(&index, c[0], c[1]));
        assert_eq!(index.areas().area(c[4]), None, "Milano is in no ambito of the bank");
        let names: Vec<&str> =
            [c[0], c[2]].iter().map(|x| index.areas().ambit_name(index.areas().area(*x).unwrap())).collect();
        assert_eq!(names, vec!["Dalmine", "BERGAMO"]);
    }

    fn languages(rng: &mut ChaCha8Rng) -> Vec<String> {
        LANGUAGES.iter().filter(|_| rng.gen_bool(0.4)).map(|l| l.to_string()).collect()
    }

    fn family(rng: &mut ChaCha8Rng, i: u32, comuni: &[ComuneCode]) -> FamilyFacts {
        let comune = comuni[rng.gen_range(0..comuni.len())];
        let min = rng.gen_range(0..60);
        let mut load = Load { held: rng.gen_range(0..2), ..Load::default() };
        load.placements_by_kind[rng.gen_range(0..PlacementKind::ALL.len())] = rng.gen_range(0..3);
        load.last_placement = some_date(rng);
        FamilyFacts {
            // Few distinct profiles, so that scores tie and the code decides.
            code: FamilyCode::new(2025, i),
            service: ServiceCode(rng.gen_range(1..4)),
            status: if rng.gen_bool(0.7) {
                FamilyStatus::Approved
            } else {
                FamilyStatus::ALL[rng.gen_range(0..FamilyStatus::ALL.len())]
            },
            comune,
            point: Point::of(Comuni::embedded(), comune),
            kinds: mask_of(PlacementKind::ALL.iter().copied().filter(|_| rng.gen_bool(0.6))),
            ages: AgeRange { min_months: min, max_months: min + rng.gen_range(12..200) },
            sex_preference: SexPreference::ALL[rng.gen_range(0..SexPreference::ALL.len())],
            max_children: rng.gen_range(1..4),
            siblings_accepted: rng.gen_bool(0.6),
            special_needs: mask_of(SpecialNeed::ALL.iter().copied().filter(|_| rng.gen_bool(0.5))),
            emergencies: rng.gen_bool(0.5),
            time_slots: mask_of(TimeSlot::ALL.iter().copied().filter(|_| rng.gen_bool(0.5))),
            available_from: rng.gen_bool(0.2).then(|| TODAY + time::Duration::days(rng.gen_range(-90..90))),
            available_until: rng.gen_bool(0.2).then(|| TODAY + time::Duration::days(rng.gen_range(-30..365))),
            languages: languages(rng).into_iter().map(std::sync::Arc::from).collect(),
            max_distance_km: rng.gen_bool(0.7).then(|| rng.gen_range(3..60)),
            trained: rng.gen_bool(0.5),
            groups: 0,
            availability_known: true,
            approved_on: some_date(rng),
            confirmed_on: some_date(rng),
            load,
        }
    }

    fn need(rng: &mut ChaCha8Rng, i: u32, comuni: &[ComuneCode]) -> NeedFacts {
        let comune = comuni[rng.gen_range(0..comuni.len())];
        let origin = rng.gen_bool(0.6).then(|| comuni[rng.gen_range(0..comuni.len())]);
        let kind = PlacementKind::ALL[rng.gen_range(0..PlacementKind::ALL.len())];
        NeedFacts {
            code: NeedCode::new(2025, i),
            service: ServiceCode(rng.gen_range(1..4)),
            status: [NeedStatus::Open, NeedStatus::Matching, NeedStatus::Matched][rng.gen_range(0..3)],
            birth_date: TODAY - time::Duration::days(rng.gen_range(0..6000)),
            sex: Sex::ALL[rng.gen_range(0..Sex::ALL.len())],
            special_needs: mask_of(SpecialNeed::ALL.iter().copied().filter(|_| rng.gen_bool(0.15))),
            kind,
            emergency: kind == PlacementKind::Emergency || rng.gen_bool(0.1),
            comune,
            point: Point::of(Comuni::embedded(), comune),
            origin_comune: origin,
            origin_point: origin.and_then(|c| Point::of(Comuni::embedded(), c)),
            school_point: rng
                .gen_bool(0.3)
                .then(|| comuni[rng.gen_range(0..comuni.len())])
                .filter(|_| crate::matching::counts_school(kind))
                .and_then(|c| Point::of(Comuni::embedded(), c)),
            contact: ContactFrequency::ALL[rng.gen_range(0..ContactFrequency::ALL.len())],
            languages: languages(rng),
            siblings: vec![],
            time_slots: mask_of(TimeSlot::ALL.iter().copied().filter(|_| rng.gen_bool(0.15))),
            desired_start: rng.gen_bool(0.5).then(|| TODAY + time::Duration::days(rng.gen_range(-30..120))),
        }
    }

    fn index(seed: u64, families: u32, needs: u32) -> MatchIndex {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let c = comuni();
        let mut index = MatchIndex::default();
        index.set_areas(areas(&c));
        // Not in code order: a ranking must not depend on the order families came in.
        let mut numbers: Vec<u32> = (1..=families).collect();
        numbers.reverse();
        numbers.swap(0, families as usize / 2);
        for i in numbers {
            let f = family(&mut rng, i, &c);
            index.family_at.insert(f.code, family_number(index.families.len()));
            index.families.push(f);
        }
        for i in 1..=needs {
            let n = need(&mut rng, i, &c);
            index.needs.insert(n.code, n);
        }
        // Some sibling groups of two and three.
        let codes: Vec<NeedCode> = index.needs.keys().copied().collect();
        for group in codes.chunks(7).map(|c| &c[..rng.gen_range(1..4).min(c.len())]) {
            for code in group {
                let siblings = group.iter().copied().filter(|s| s != code).collect();
                if let Some(n) = index.needs.get_mut(code) {
                    n.siblings = siblings;
                }
            }
        }
        index
    }

    fn scale<'a>(index: &'a MatchIndex, config: &'a MatchingConfig) -> Scale<'a> {
        Scale { config, areas: index.areas(), today: TODAY, stale_after_months: 6 }
    }

    /// Every candidate family in the place, best first, and the tally: the obvious way.
    fn naive_families(
        index: &MatchIndex,
        unit: &Unit,
        scale: &Scale,
        place: Option<&Place>,
    ) -> (Vec<(FamilyCode, Scored)>, Tally) {
        let mut tally = Tally::default();
        let mut out = Vec::new();
        for f in index.families.iter().filter(|f| place.is_none_or(|p| p.holds(f))) {
            tally.considered += 1;
            let j = judge(unit, f, false);
            match j.exclusions.first() {
                Some(e) => *tally.excluded.entry(e.rule()).or_default() += 1,
                None => out.push((f.code, score(unit, f, j.distance_km, scale))),
            }
        }
        out.sort_by(|a, b| b.1.score.cmp(&a.1.score).then(a.0.cmp(&b.0)));
        (out, tally)
    }

    #[test]
    fn ranking_families_keeps_the_best_as_sorting_them_all_would() {
        let index = index(1, 600, 120);
        let config = MatchingConfig::default();
        let scale = scale(&index, &config);
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let mut ties = 0;
        let c = comuni();
        let dalmine = Point::of(Comuni::embedded(), c[0]).expect("Dalmine has coordinates");
        let places = [
            None,
            Some(Place::Around { point: dalmine, km: 5.0 }),
            Some(Place::Comuni([c[2], c[3]].into_iter().collect())),
        ];
        for (i, n) in index.needs.values().enumerate() {
            let unit = index.unit(n, TODAY);
            let place = places[i % places.len()].as_ref();
            let (all, tally) = naive_families(&index, &unit, &scale, place);
            ties += all.windows(2).filter(|w| w[0].1.score == w[1].1.score).count();
            for limit in [0, 1, 3, 10, all.len(), usize::MAX] {
                let focus = FamilyCode::new(2025, rng.gen_range(1..=600));
                let r = index.rank_families(&unit, &scale, limit, Some(focus), place);
                let got: Vec<(FamilyCode, Scored)> = r.top.iter().map(|f| (f.code, f.scored.clone())).collect();
                assert_eq!(got, all[..limit.min(all.len())], "{}: the best {limit}", n.code);
                assert_eq!(r.total as usize, all.len(), "{}: every candidate is counted", n.code);
                assert_eq!((r.tally.considered, &r.tally.excluded), (tally.considered, &tally.excluded));
                let position = all.iter().position(|(c, _)| *c == focus).map(|p| p as u32 + 1);
                assert_eq!(r.focus_rank, position, "{}: the place of {focus}", n.code);
                for f in &r.top {
                    let facts = index.family(f.code).expect("a family of the index");
                    assert_eq!(f.free_places, facts.free_places());
                }
            }
        }
        assert!(ties > 100, "the sample must have ties for the code to break ({ties})");
    }

    #[test]
    fn ranking_needs_keeps_the_best_as_sorting_them_all_would() {
        let index = index(2, 150, 400);
        let config = MatchingConfig::default();
        let scale = scale(&index, &config);
        for f in &index.families {
            let mut tally = Tally::default();
            let mut all = Vec::new();
            for n in index.needs.values() {
                let led = n.siblings.iter().any(|s| *s < n.code && index.needs.get(s).is_some_and(|s| s.is_open()));
                if !n.is_open() || led {
                    continue;
                }
                tally.considered += 1;
                let unit = index.unit(n, TODAY);
                let j = judge(&unit, f, false);
                match j.exclusions.first() {
                    Some(e) => *tally.excluded.entry(e.rule()).or_default() += 1,
                    None => all.push((n.is_urgent(TODAY), unit.codes(), score(&unit, f, j.distance_km, &scale))),
                }
            }
            // Urgent first, then by score, then by code.
            all.sort_by(|a, b| b.0.cmp(&a.0).then(b.2.score.cmp(&a.2.score)).then(a.1[0].cmp(&b.1[0])));
            let all: Vec<(Vec<NeedCode>, Scored)> = all.into_iter().map(|(_, codes, s)| (codes, s)).collect();
            for limit in [0, 1, 10, usize::MAX] {
                let r = index.rank_needs(f, &scale, limit);
                let got: Vec<(Vec<NeedCode>, Scored)> =
                    r.top.iter().map(|n| (n.unit.codes(), n.scored.clone())).collect();
                assert_eq!(got, all[..limit.min(all.len())], "{}: the best {limit}", f.code);
                assert_eq!(r.total as usize, all.len());
                assert_eq!((r.tally.considered, &r.tally.excluded), (tally.considered, &tally.excluded));
            }
        }
    }

    #[test]
    fn the_quick_checks_agree_with_the_full_verdict() {
        let index = index(3, 300, 150);
        let config = MatchingConfig::default();
        let scale = scale(&index, &config);
        for n in index.needs.values() {
            let unit = index.unit(n, TODAY);
            for f in &index.families {
                let j = judge(&unit, f, false);
                let first = j.exclusions.first().map(|e| e.rule());
                assert_eq!(check(&unit, f).err(), first, "{} for {}", f.code, n.code);
                if let Err(rule) = check_kind(unit.kind, unit.emergency, f) {
                    assert_eq!(Some(rule), first, "{} for {}", f.code, n.code);
                }
                if first.is_none() {
                    let full = score(&unit, f, j.distance_km, &scale);
                    assert_eq!(score_value(&unit, f, j.distance_km, &scale), full.score);
                    assert_eq!(check(&unit, f), Ok(j.distance_km));
                }
            }
        }
    }
}
