//! The bank's side of matching: keeping the in-memory index in step with
//! the store, and answering rankings with the views the caller may see.

use std::sync::{RwLockReadGuard, RwLockWriteGuard};

use crate::access::{Operation, Subject};
use crate::matching::{judge, score, MatchIndex, Place, Scale, Tally, Unit};
use crate::model::*;
use crate::store::{StoreError, TreeId};

use super::families::ContactCache;
use super::write::{take_in, Stored};
use super::*;

impl Bank {
    pub(super) fn index(&self) -> RwLockReadGuard<'_, MatchIndex> {
        self.matching.read().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn index_mut(&self) -> RwLockWriteGuard<'_, MatchIndex> {
        self.matching.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Reads the whole bank, once, into fresh matching and search indexes
    /// (at open, after an import).
    pub(super) fn rebuild_index(&self) -> Result<(), StoreError> {
        let mut indexes = super::write::Indexes::default();
        // A record that does not decode is set aside (`damage.rs`), never fatal.
        let mut aside = super::damage::Aside::default();
        indexes.search.add_comuni(self.comuni);
        let comuni = self.comuni;
        // As a write hands each record (`write::Stored`); proposals and
        // placements before families, whose free places they make.
        macro_rules! take_all {
            ($from:expr, $ty:ty) => {
                for item in $from.iter::<$ty>(TreeId::of(<$ty as Stored>::KIND)) {
                    let Some((_, record)) = aside.keep(item)? else { continue };
                    take_in(&record, &mut indexes, comuni);
                }
            };
        }
        take_all!(self.store, Ambit);
        take_all!(self.store, Service);
        take_all!(self.store, Operator);
        // Read once, without leaving the whole bank in sled's cache (`store::cache`).
        let mut once = self.store.read_once();
        take_all!(once, Proposal);
        take_all!(once, Placement);
        take_all!(once, Family);
        take_all!(once, Need);
        once.finish();
        self.set_aside(aside);
        let super::write::Indexes { mut matching, mut search, mut figures } = indexes;
        matching.shrink_to_fit();
        search.shrink_to_fit();
        figures.shrink_to_fit();
        *self.index_mut() = matching;
        *self.search_mut() = search;
        *self.figures_mut() = figures;
        Ok(())
    }

    pub(super) fn search_mut(&self) -> RwLockWriteGuard<'_, crate::search::SearchIndex> {
        self.search.write().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn scale<'a>(&'a self, index: &'a MatchIndex) -> Scale<'a> {
        Scale {
            config: &self.config.matching,
            areas: index.areas(),
            today: self.today(),
            stale_after_months: self.config.stale_after_months,
        }
    }

    pub(super) fn match_need(
        &self,
        who: &Principal,
        code: NeedCode,
        limit: usize,
        why_not: Option<FamilyCode>,
        hosts: Hosts,
    ) -> Response {
        let (revision, need) = self
            .store
            .get::<Need>(TreeId::Needs, &code.key())?
            .ok_or_else(|| BankError::NotFound { code: code.to_string() })?;
        self.require(who, Operation::ReadShared, Subject::Need, Some(need.service), "match")?;
        if need.placement.status == NeedStatus::Closed {
            return Err(BankError::Refused(Refusal::NeedClosed { need: code }));
        }
        if let Some(f) = why_not {
            if self.store.get::<Family>(TreeId::Families, &f.key())?.is_none() {
                return Err(BankError::NotFound { code: f.to_string() });
            }
        }
        let index = self.index();
        let facts = index.need(code).ok_or_else(|| BankError::NotFound { code: code.to_string() })?;
        let scale = self.scale(&index);
        let unit = index.unit(facts, scale.today);
        let services =
            if hosts.services() { Some(self.rank_services(&index, &unit, &scale, limit, None)?) } else { None };
        let ranking = if hosts.families() || why_not.is_some() {
            index.rank_families(&unit, &scale, if hosts.families() { limit } else { 0 }, why_not, None)
        } else {
            crate::matching::Ranking { top: Vec::new(), total: 0, tally: Tally::default(), focus_rank: None }
        };
        let active = index.active_proposals_of_need(code);

        let verdict = why_not.and_then(|f| {
            let facts = index.family(f)?;
            let j = judge(&unit, facts, true);
            let scored = j.exclusions.is_empty().then(|| score(&unit, facts, j.distance_km, &scale));
            Some(Verdict {
                family: f,
                exclusions: j.exclusions,
                rank: ranking.focus_rank,
                score: scored.as_ref().map(|s| s.score),
                criteria: scored.map(|s| s.criteria).unwrap_or_default(),
            })
        });
        let mut contacts = ContactCache::default();
        let mut candidates = Vec::new();
        for (i, r) in ranking.top.iter().enumerate() {
            let Some((rev, family)) = self.store.get::<Family>(TreeId::Families, &r.code.key())? else { continue };
            let contact = contacts.get(self, family.service, &family.referent)?;
            candidates.push(Candidate {
                rank: i as u32 + 1,
                family: candidate_view(self.shared_family_view(rev, family, contact), r),
                score: r.scored.score,
                criteria: r.scored.criteria.clone(),
                free_places: r.free_places,
                proposed: active
                    .iter()
                    .find(|(_, f, _)| *f == crate::matching::Host::Family(r.code))
                    .map(|(p, _, s)| (*p, *s)),
                fit: r.fit.clone(),
            });
        }
        let group = unit.codes();
        drop(index);
        let contact = contacts.get(self, need.service, &need.referent)?;
        let view = self.shared_need_view(revision, need, contact);
        Ok(Reply::NeedMatches(Box::new(NeedRanking {
            need: view,
            group,
            considered: ranking.tally.considered,
            excluded: excluded(&ranking.tally),
            candidates_total: ranking.total,
            candidates,
            why_not: verdict,
            hosts,
            services,
        })))
    }

    /// Candidate families for a child described by profile: the same hard
    /// rules and score as a recorded need, in the place asked, storing
    /// nothing. The profile carries no identity, so nothing is audited:
    /// the reply holds the families' shared views only, as `match_need`'s.
    pub(super) fn available(&self, who: &Principal, profile: ChildProfile, limit: usize) -> Response {
        self.require(who, Operation::ReadShared, Subject::Family, None, "available")?;
        let problems = profile.problems(self.today());
        if !problems.is_empty() {
            return Err(BankError::Invalid(problems.into_vec()));
        }
        let index = self.index();
        let place = self.profile_place(&index, &profile)?;
        let scale = self.scale(&index);
        let unit = Unit::of_profile(&profile, self.comuni, scale.today);
        let ranking = index.rank_families(&unit, &scale, limit, None, place.as_ref());
        drop(index);
        let mut contacts = ContactCache::default();
        let mut candidates = Vec::new();
        for (i, r) in ranking.top.into_iter().enumerate() {
            let Some((rev, family)) = self.store.get::<Family>(TreeId::Families, &r.code.key())? else { continue };
            let contact = contacts.get(self, family.service, &family.referent)?;
            candidates.push(Candidate {
                rank: i as u32 + 1,
                family: candidate_view(self.shared_family_view(rev, family, contact), &r),
                score: r.scored.score,
                criteria: r.scored.criteria,
                free_places: r.free_places,
                proposed: None,
                fit: r.fit,
            });
        }
        Ok(Reply::ProfileMatches(Box::new(ProfileRanking {
            profile,
            considered: ranking.tally.considered,
            excluded: excluded(&ranking.tally),
            candidates_total: ranking.total,
            candidates,
        })))
    }

    /// Checks a profile and resolves where its families are to be looked for.
    pub(super) fn profile_place(&self, index: &MatchIndex, p: &ChildProfile) -> Result<Option<Place>, BankError> {
        // The checks that need no index were made before it was taken.
        let mut problems = Problems::new();
        let point = match p.comune {
            Some(c) if self.comuni.get(c).is_none() => {
                problems.push(Field::Near, Reason::UnknownComune { code: c.to_string() });
                None
            }
            Some(c) => crate::matching::Point::of(self.comuni, c),
            None => None,
        };
        let place = match &p.within {
            None => None,
            Some(Within::Km(km)) => match (p.comune, point) {
                (None, _) => {
                    problems.push(Field::Near, Reason::RequiredWhen { condition: "within=km".into() });
                    None
                }
                (Some(_), None) => {
                    // A comune with no place on the map: no distance can be measured from it.
                    problems.push(Field::WithinKm, Reason::NotExpected { condition: "comune=unplaced".into() });
                    None
                }
                (Some(_), Some(point)) => Some(Place::Around { point, km: *km as f64 }),
            },
            Some(Within::District(name)) => index.district_comuni(name).map(Place::Comuni).or_else(|| {
                problems.push(Field::WithinDistrict, Reason::UnknownDistrict { name: name.clone() });
                None
            }),
            Some(Within::Ambit(name)) => index.ambit_comuni(name).map(Place::Comuni).or_else(|| {
                problems.push(Field::WithinAmbit, Reason::UnknownAmbit { name: name.clone() });
                None
            }),
        };
        if problems.is_empty() {
            Ok(place)
        } else {
            Err(BankError::Invalid(problems.into_vec()))
        }
    }

    pub(super) fn match_family(&self, who: &Principal, code: FamilyCode, limit: usize) -> Response {
        let (revision, family) = self
            .store
            .get::<Family>(TreeId::Families, &code.key())?
            .ok_or_else(|| BankError::NotFound { code: code.to_string() })?;
        self.require(who, Operation::ReadShared, Subject::Family, Some(family.service), "match")?;
        let index = self.index();
        let facts = index.family(code).ok_or_else(|| BankError::NotFound { code: code.to_string() })?;
        let free_places = facts.free_places();
        let scale = self.scale(&index);
        let ranking = index.rank_needs(facts, &scale, limit);
        drop(index);
        let mut needs = Vec::new();
        let mut contacts = ContactCache::default();
        for (i, r) in ranking.top.into_iter().enumerate() {
            // A family's ranking holds recorded needs only: each unit has its first need.
            let Some(code) = r.unit.need else { continue };
            let Some((rev, need)) = self.store.get::<Need>(TreeId::Needs, &code.key())? else { continue };
            let contact = contacts.get(self, need.service, &need.referent)?;
            needs.push(NeedCandidate {
                rank: i as u32 + 1,
                need: self.shared_need_view(rev, need, contact),
                group: r.unit.codes(),
                score: r.scored.score,
                criteria: r.scored.criteria,
            });
        }
        let contact = self.contact(family.service, &family.referent)?;
        Ok(Reply::FamilyMatches(Box::new(FamilyRanking {
            family: self.shared_family_view(revision, family, contact),
            free_places,
            considered: ranking.tally.considered,
            excluded: excluded(&ranking.tally),
            candidates_total: ranking.total,
            needs,
        })))
    }
}

fn excluded(tally: &Tally) -> Vec<(crate::matching::HardRule, u32)> {
    tally.excluded.iter().map(|(r, n)| (*r, *n)).collect()
}

/// A candidate's family as a list shows it: its free places and its
/// distance from the child in metres, as `FamilyView` carries them in lists
/// (the ranking's own `free_places` and criteria say the same).
fn candidate_view(mut view: FamilyView, r: &crate::matching::RankedFamily) -> FamilyView {
    view.free_places = Some(r.free_places);
    view.distance_m = r.distance_km.map(|km| (km * 1000.0).round() as u32);
    view
}
