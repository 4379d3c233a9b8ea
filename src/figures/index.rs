//! The figures' own index: every family, need, proposal and placement
//! ever recorded, as the few dated facts the indicators count. The bank
//! keeps it in step with the store as it keeps the matching index, so a
//! report reads memory only.

use std::collections::HashMap;

use time::Date;

use crate::api::{DeclineClass, HostClass, LegalClass, Origin};
use crate::model::vocabulary::{ClosingReason, LegalBasis, PlacementKind, PlacementOutcome, Sex, SpecialNeed};
use crate::model::*;

/// A family: where it lives, whose it is and the turns of its pathway.
#[derive(Debug, Clone)]
pub struct FamilyFigure {
    pub service: ServiceCode,
    pub comune: ComuneCode,
    /// The first day banca knows of it: its first contact, else its creation.
    pub known_from: Date,
    /// The status from `known_from` when no step moves it (a family
    /// recorded before pathways, whole).
    pub first_status: FamilyStatus,
    /// The steps that move the pathway, in date order.
    pub steps: Box<[(Date, StepKind)]>,
    /// Its status now, and the day of its last step: from that day on the
    /// status is the record's own (a pathway entered out of order, or a
    /// status set before pathways, never makes today's figure differ from
    /// the lists').
    pub status_now: FamilyStatus,
    pub settled_on: Date,
    pub max_children: u8,
    /// The kinds of placement offered, one bit each (`PlacementKind` order).
    pub kinds: u8,
    pub confirmed_on: Option<Date>,
    pub availability_known: bool,
}

impl FamilyFigure {
    pub fn of(f: &Family) -> FamilyFigure {
        let steps: Vec<(Date, StepKind)> = f.pathway.steps.iter().map(|s| (s.date, s.kind)).collect();
        let created = f.meta.created_at.date();
        let (known_from, first_status) = match steps.first() {
            Some((d, StepKind::Enquiry)) => (*d, FamilyStatus::Enquiring),
            // No first contact recorded: the profile as it was entered, from its creation.
            _ => (created.min(steps.first().map_or(created, |s| s.0)), f.profile.status),
        };
        let replayed = !steps.is_empty() && matches!(steps.first(), Some((_, StepKind::Enquiry)));
        FamilyFigure {
            service: f.service,
            comune: f.profile.comune,
            known_from,
            first_status,
            status_now: f.profile.status,
            settled_on: steps.last().map_or(known_from, |s| s.0).max(known_from),
            steps: if replayed { steps.into_boxed_slice() } else { Box::new([]) },
            max_children: f.profile.max_children,
            kinds: f.profile.kinds.iter().fold(0u8, |m, k| m | kind_bit(*k)),
            confirmed_on: f.profile.confirmed_on,
            availability_known: f.pathway.availability_known,
        }
    }

    /// Its status at the end of `day`; `None` when banca did not know it yet.
    pub fn status_at(&self, day: Date) -> Option<FamilyStatus> {
        if self.known_from > day {
            return None;
        }
        if day >= self.settled_on {
            return Some(self.status_now);
        }
        let mut status = self.first_status;
        for (date, step) in self.steps.iter().skip(1) {
            if *date > day {
                break;
            }
            if let Some(next) = step.leads_to(status) {
                status = next;
            }
        }
        Some(status)
    }

    /// The first idoneità, and the latest one on or before `day`.
    pub fn approvals(&self, day: Date) -> (Option<Date>, Option<Date>) {
        let mut it = self.steps.iter().filter(|(_, k)| *k == StepKind::Approval).map(|(d, _)| *d);
        let first = it.next();
        let latest = self.steps.iter().rev().find(|(d, k)| *k == StepKind::Approval && *d <= day).map(|(d, _)| *d);
        (first, latest)
    }

    pub fn offers(&self, kind: PlacementKind) -> bool {
        self.kinds & kind_bit(kind) != 0
    }

    pub fn stale_at(&self, day: Date, stale_after_months: u32) -> bool {
        self.availability_known && family::stale_since(self.confirmed_on, day, stale_after_months)
    }
}

pub fn kind_bit(kind: PlacementKind) -> u8 {
    1u8 << (PlacementKind::ALL.iter().position(|k| *k == kind).unwrap_or(0) as u32)
}

/// A child's need: who it is as a class, where it lives, when it was
/// recorded and closed.
#[derive(Debug, Clone)]
pub struct NeedFigure {
    pub service: ServiceCode,
    pub comune: ComuneCode,
    pub recorded: Date,
    pub birth: Date,
    pub sex: Sex,
    pub kind: PlacementKind,
    pub emergency: bool,
    pub legal: LegalClass,
    pub origin: Origin,
    /// Closed, why, and the day of its last change (the closing's day
    /// unless it was edited after; a placement's start says it better).
    pub closed: Option<(Date, ClosingReason)>,
}

impl NeedFigure {
    pub fn of(n: &Need) -> NeedFigure {
        let p = &n.placement;
        let legal = match p.legal {
            LegalBasis::Consensual => LegalClass::Consensual,
            LegalBasis::Judicial { .. } => LegalClass::Judicial,
            LegalBasis::Art403 { .. } => LegalClass::Art403,
        };
        let born_abroad = n
            .identity
            .fiscal_code
            .as_deref()
            .is_some_and(|cf| cf.trim().chars().nth(11).is_some_and(|c| c.eq_ignore_ascii_case(&'z')));
        let origin = if p.special_needs.contains(&SpecialNeed::UnaccompaniedMinor) {
            Origin::Unaccompanied
        } else if born_abroad {
            Origin::Foreign
        } else {
            Origin::Italian
        };
        let closed = match (p.status, p.closing_reason) {
            (NeedStatus::Closed, Some(r)) => Some((n.meta.updated_at.date(), r)),
            (NeedStatus::Closed, None) => Some((n.meta.updated_at.date(), ClosingReason::Cancelled)),
            _ => None,
        };
        NeedFigure {
            service: n.service,
            comune: p.comune,
            recorded: n.meta.created_at.date(),
            birth: n.identity.birth_date,
            sex: p.sex,
            kind: p.kind,
            emergency: p.is_emergency(),
            legal,
            origin,
            closed,
        }
    }

    /// Whole years of age on `day`.
    pub fn years_at(&self, day: Date) -> u32 {
        dates::months_between(self.birth, day) / 12
    }
}

/// A proposal: its sides, when it was made, answered and ended.
#[derive(Debug, Clone)]
pub struct ProposalFigure {
    pub need: NeedCode,
    pub children: u8,
    pub family: Option<FamilyCode>,
    pub need_service: ServiceCode,
    pub family_service: ServiceCode,
    pub made: Date,
    /// The first acceptance or decline: the host's answer.
    pub answered: Option<(Date, ProposalStatus)>,
    pub accepted: Option<Date>,
    /// Declined, withdrawn or started, and when.
    pub ended: Option<(Date, ProposalStatus, Option<DeclineClass>)>,
}

impl ProposalFigure {
    pub fn of(p: &Proposal) -> ProposalFigure {
        let made = p.meta.created_at.date();
        let answered = p
            .steps
            .iter()
            .find(|s| matches!(s.status, ProposalStatus::Accepted | ProposalStatus::Declined))
            .map(|s| (s.at.date(), s.status));
        let accepted = p.steps.iter().find(|s| s.status == ProposalStatus::Accepted).map(|s| s.at.date());
        let ended = p
            .steps
            .iter()
            .find(|s| {
                matches!(s.status, ProposalStatus::Declined | ProposalStatus::Withdrawn | ProposalStatus::Started)
            })
            .map(|s| {
                let why = match (s.status, s.cause) {
                    (ProposalStatus::Declined, _) => Some(DeclineClass::ByHost),
                    (ProposalStatus::Withdrawn, None) => Some(DeclineClass::ByChildService),
                    (ProposalStatus::Withdrawn, Some(StepCause::NeedClosed { .. })) => Some(DeclineClass::NeedClosed),
                    (ProposalStatus::Withdrawn, Some(StepCause::PlacedElsewhere { .. })) => {
                        Some(DeclineClass::PlacedElsewhere)
                    }
                    (ProposalStatus::Withdrawn, Some(StepCause::NoPlaceLeft { .. })) => Some(DeclineClass::NoPlaceLeft),
                    _ => None,
                };
                (s.at.date(), s.status, why)
            });
        ProposalFigure {
            need: p.need(),
            children: p.places(),
            family: p.family,
            need_service: p.need_service,
            family_service: p.family_service,
            made,
            answered,
            accepted,
            ended,
        }
    }

    /// Accepted and holding its places at the end of `day`.
    pub fn holds_on(&self, day: Date) -> bool {
        self.accepted.is_some_and(|a| a <= day) && self.ended.is_none_or(|(d, _, _)| d > day)
    }
}

/// A placement: its children, its host, its start and its end.
#[derive(Debug, Clone)]
pub struct PlacementFigure {
    pub proposal: ProposalCode,
    pub needs: Box<[NeedCode]>,
    pub family: Option<FamilyCode>,
    pub need_service: ServiceCode,
    pub family_service: ServiceCode,
    pub kind: PlacementKind,
    pub relationship: Option<Relationship>,
    pub start: Date,
    pub end: Option<(Date, PlacementOutcome)>,
}

impl PlacementFigure {
    pub fn of(p: &Placement) -> PlacementFigure {
        PlacementFigure {
            proposal: p.proposal,
            needs: p.needs.clone().into_boxed_slice(),
            family: p.family,
            need_service: p.need_service,
            family_service: p.family_service,
            kind: p.kind,
            relationship: p.plan.relationship,
            start: p.plan.start,
            end: p.closing.as_ref().map(|c| (c.date, c.outcome)),
        }
    }

    /// Under way at the end of `day`.
    pub fn in_course_on(&self, day: Date) -> bool {
        self.start <= day && self.end.is_none_or(|(d, _)| d > day)
    }

    pub fn host(&self, services: &HashMap<ServiceCode, ServiceKind>) -> HostClass {
        match self.family {
            Some(_) => HostClass::Family(self.relationship),
            None => HostClass::Service(
                services.get(&self.family_service).copied().unwrap_or(ServiceKind::ResidentialCommunity),
            ),
        }
    }
}

/// Everything the figures count, by code.
#[derive(Default)]
pub struct FigureIndex {
    pub families: HashMap<FamilyCode, FamilyFigure>,
    pub needs: HashMap<NeedCode, NeedFigure>,
    pub proposals: HashMap<ProposalCode, ProposalFigure>,
    pub placements: HashMap<PlacementCode, PlacementFigure>,
    /// Every service's kind (a placement in a reception service is classed by it).
    pub services: HashMap<ServiceCode, ServiceKind>,
    /// Each family's placements and proposals, for the places they take.
    pub placements_of_family: HashMap<FamilyCode, Vec<PlacementCode>>,
    pub proposals_of_family: HashMap<FamilyCode, Vec<ProposalCode>>,
    /// The placement each child was placed by (its start closes the need).
    pub placement_of_need: HashMap<NeedCode, PlacementCode>,
}

impl FigureIndex {
    pub fn upsert_family(&mut self, f: &Family) {
        self.families.insert(f.code, FamilyFigure::of(f));
    }

    pub fn upsert_need(&mut self, n: &Need) {
        self.needs.insert(n.code, NeedFigure::of(n));
    }

    pub fn upsert_service(&mut self, s: &Service) {
        self.services.insert(s.code, s.details.kind);
    }

    pub fn upsert_proposal(&mut self, p: &Proposal) {
        let code = p.code;
        let fig = ProposalFigure::of(p);
        if let Some(f) = fig.family {
            let list = self.proposals_of_family.entry(f).or_default();
            if !list.contains(&code) {
                list.push(code);
            }
        }
        self.proposals.insert(code, fig);
    }

    pub fn upsert_placement(&mut self, p: &Placement) {
        let code = p.code;
        let fig = PlacementFigure::of(p);
        if let Some(f) = fig.family {
            let list = self.placements_of_family.entry(f).or_default();
            if !list.contains(&code) {
                list.push(code);
            }
        }
        for n in fig.needs.iter() {
            self.placement_of_need.insert(*n, code);
        }
        self.placements.insert(code, fig);
    }

    /// The day a need was closed: its placement's start when a placement
    /// closed it, else the day of its last change.
    pub fn closed_on(&self, code: NeedCode, need: &NeedFigure) -> Option<(Date, ClosingReason)> {
        let (day, reason) = need.closed?;
        let started = (reason == ClosingReason::PlacementStarted)
            .then(|| self.placement_of_need.get(&code).and_then(|p| self.placements.get(p)).map(|p| p.start))
            .flatten();
        Some((started.unwrap_or(day), reason))
    }

    /// Children a family has in placement, or promised by accepted
    /// proposals, at the end of `day`.
    pub fn held_on(&self, family: FamilyCode, day: Date) -> u32 {
        let placed: u32 = self
            .placements_of_family
            .get(&family)
            .into_iter()
            .flatten()
            .filter_map(|c| self.placements.get(c))
            .filter(|p| p.in_course_on(day) || self.placed_ahead(p, day))
            .map(|p| p.needs.len() as u32)
            .sum();
        let promised: u32 = self
            .proposals_of_family
            .get(&family)
            .into_iter()
            .flatten()
            .filter_map(|c| self.proposals.get(c))
            .filter(|p| p.holds_on(day))
            .map(|p| u32::from(p.children))
            .sum();
        placed + promised
    }

    /// A placement recorded by `day` to start later: its places are taken
    /// from the day its proposal started it.
    fn placed_ahead(&self, p: &PlacementFigure, day: Date) -> bool {
        p.start > day
            && self
                .proposals
                .get(&p.proposal)
                .and_then(|x| x.ended)
                .is_some_and(|(d, status, _)| status == ProposalStatus::Started && d <= day)
    }

    /// A placement started by `family` after `since`, up to `day`.
    pub fn placed_since(&self, family: FamilyCode, since: Date, day: Date) -> bool {
        self.placements_of_family
            .get(&family)
            .into_iter()
            .flatten()
            .filter_map(|c| self.placements.get(c))
            .any(|p| p.start >= since && p.start <= day)
    }

    pub fn shrink_to_fit(&mut self) {
        self.families.shrink_to_fit();
        self.needs.shrink_to_fit();
        self.proposals.shrink_to_fit();
        self.placements.shrink_to_fit();
        self.placements_of_family.shrink_to_fit();
        self.proposals_of_family.shrink_to_fit();
        self.placement_of_need.shrink_to_fit();
    }
}
