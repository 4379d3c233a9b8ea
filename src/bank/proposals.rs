//! Proposals (abbinamenti) between services: the child's service proposes
//! a family; the family's service reviews, accepts or declines; the child's
//! service may withdraw. Need statuses follow the proposals: in abbinamento
//! while one is pending, abbinata once one is accepted, aperta again when
//! none is left.

use crate::access::{Operation, Subject};
use crate::matching::{judge_except, score, HardRule, Host};
use crate::model::proposal::MAX_STEP_NOTE;
use crate::model::*;
use crate::store::audit::AuditAction;
use crate::store::TreeId;

use super::write::{Stored, WriteSet};
use super::*;

impl Stored for Proposal {
    const KIND: RecordKind = RecordKind::Proposal;

    fn key(&self) -> Vec<u8> {
        self.code.key().to_vec()
    }

    fn code(&self) -> String {
        self.code.to_string()
    }

    fn meta(&self) -> &Meta {
        &self.meta
    }

    fn meta_mut(&mut self) -> &mut Meta {
        &mut self.meta
    }

    /// Matching counts the places it holds and the needs it waits on.
    fn matched(&self, index: &mut crate::matching::MatchIndex, _: &Comuni) {
        index.upsert_proposal(self);
    }

    fn counted(&self, index: &mut crate::figures::FigureIndex) {
        index.upsert_proposal(self);
    }

    fn involved(&self) -> Involved {
        Involved::Link { need: self.need_service, family: self.family_service }
    }
}

/// A need whose status the same transaction moves.
pub(super) struct NeedMove {
    pub revision: u64,
    pub old: Need,
    pub new: Need,
}

impl NeedMove {
    /// Stages the moved need. Its record names the proposal or placement
    /// `through` which it changed, not the user (`WriteSet::update_through`).
    pub(super) fn stage(&self, set: &mut WriteSet, through: &str) {
        set.update_through(self.revision, self.old.clone(), self.new.clone(), through);
    }
}

/// The pending proposals of a family that no longer fit once its places
/// are taken, read before the change and withdrawn in its transaction
/// (the race for the last place): each with its needs moved back.
pub(super) struct NoPlaceLeft {
    family: FamilyCode,
    withdrawn: Vec<(u64, Proposal)>,
    /// Each moved need with the withdrawn proposal that held it.
    moves: Vec<(NeedMove, ProposalCode)>,
}

impl NoPlaceLeft {
    /// Stages the withdrawals, each step naming what took the places.
    pub(super) fn stage(&self, set: &mut WriteSet, by: PlaceTaker) {
        for (revision, old) in &self.withdrawn {
            let mut new = old.clone();
            new.status = ProposalStatus::Withdrawn;
            new.steps.push(ProposalStep {
                status: ProposalStatus::Withdrawn,
                at: set.now,
                // The step names what took the places, not who: the operator
                // who started a placement may be of a third service.
                by: by.code(),
                note: String::new(),
                cause: Some(StepCause::NoPlaceLeft { family: self.family, by }),
            });
            set.step_through(*revision, old.clone(), new, AuditAction::ProposalStep, &["withdrawn"], &by.code());
        }
        for (m, through) in &self.moves {
            m.stage(set, &through.to_string());
        }
    }
}

/// What a need's status becomes given the statuses of its active proposals.
pub(super) fn status_from_proposals(current: NeedStatus, active: &[ProposalStatus]) -> NeedStatus {
    if current == NeedStatus::Closed {
        return current;
    }
    if active.contains(&ProposalStatus::Accepted) {
        NeedStatus::Matched
    } else if !active.is_empty() {
        NeedStatus::Matching
    } else {
        NeedStatus::Open
    }
}

impl Bank {
    pub(super) fn create_proposal(
        &self,
        who: &Principal,
        need: NeedCode,
        family: FamilyCode,
        note: String,
    ) -> Response {
        self.propose(who, need, Host::Family(family), note)
    }

    /// The child's service proposes a need (with its open siblings) to a
    /// reception service that passes every hard rule, a vacancy included.
    pub(super) fn propose_service(
        &self,
        who: &Principal,
        need: NeedCode,
        service: ServiceCode,
        note: String,
    ) -> Response {
        self.propose(who, need, Host::Service(service), note)
    }

    /// A proposal of a need (with its open siblings) to a family, or to a
    /// reception service: the same checks, each host judged by its own rules.
    fn propose(&self, who: &Principal, need: NeedCode, host: Host, note: String) -> Response {
        let _w = self.write_lock();
        let (_, n) = self
            .store
            .get::<Need>(TreeId::Needs, &need.key())?
            .ok_or_else(|| BankError::NotFound { code: need.to_string() })?;
        self.require(who, Operation::Update, Subject::Need, Some(n.service), "proposal.create")?;
        let host_service = match host {
            Host::Family(family) => {
                self.store
                    .get::<Family>(TreeId::Families, &family.key())?
                    .ok_or_else(|| BankError::NotFound { code: family.to_string() })?
                    .1
                    .service
            }
            Host::Service(service) => {
                if self.store.get::<Service>(TreeId::Services, &service.key())?.is_none() {
                    return Err(BankError::NotFound { code: service.to_string() });
                }
                service
            }
        };
        if n.placement.status == NeedStatus::Closed {
            return Err(BankError::Refused(Refusal::NeedClosed { need }));
        }
        let mut problems = Problems::new();
        problems.limit_text(Field::Note, &note, MAX_STEP_NOTE);
        finish(problems)?;

        let (unit, score) = {
            let index = self.index();
            let facts = index.need(need).ok_or_else(|| BankError::NotFound { code: need.to_string() })?;
            let scale = self.scale(&index);
            let unit = index.unit(facts, scale.today);
            for member in unit.codes() {
                for (p, proposed, status) in index.active_proposals_of_need(member) {
                    if proposed == host {
                        return Err(BankError::Refused(Refusal::AlreadyProposed { proposal: p, status }));
                    }
                    if status == ProposalStatus::Accepted {
                        return Err(BankError::Refused(Refusal::NeedAlreadyMatched { need: member, proposal: p }));
                    }
                }
            }
            let score = match host {
                Host::Family(family) => {
                    let ff = index.family(family).ok_or_else(|| BankError::NotFound { code: family.to_string() })?;
                    // Several proposals may wait on one family: places count when one is accepted.
                    let j = judge_except(&unit, ff, HardRule::Capacity);
                    if !j.exclusions.is_empty() {
                        return Err(BankError::Refused(Refusal::NotCandidate { family, exclusions: j.exclusions }));
                    }
                    score(&unit, ff, j.distance_km, &scale).score
                }
                Host::Service(service) => {
                    let sf = index
                        .service(service)
                        .ok_or_else(|| BankError::invalid(Field::Service, Reason::NotReception))?;
                    // A community's places count at once: a proposal waits on a vacancy.
                    let j = crate::matching::judge_service(&unit, sf, true);
                    if !j.exclusions.is_empty() {
                        return Err(BankError::Refused(Refusal::ServiceNotCandidate {
                            service,
                            exclusions: j.exclusions,
                        }));
                    }
                    crate::matching::score_service(&unit, sf, j.distance_km, &scale).score
                }
            };
            (unit, score)
        };

        let now = self.clock.now();
        let year = now.year() as u16;
        let moves = self.need_moves(&unit.codes(), &[], ProposalStatus::Proposed)?;
        let written = self.commit_numbered(&format!("P/{year}"), |number| {
            let proposal = Proposal {
                code: ProposalCode::new(year, number),
                needs: unit.codes(),
                family: match host {
                    Host::Family(family) => Some(family),
                    Host::Service(_) => None,
                },
                need_service: n.service,
                family_service: host_service,
                status: ProposalStatus::Proposed,
                steps: vec![ProposalStep::by_operator(
                    ProposalStatus::Proposed,
                    now,
                    &who.user,
                    note.trim().to_string(),
                )],
                placement: None,
                score: Some(score),
                meta: Meta::new(now, &who.user),
            };
            let through = proposal.code.to_string();
            let mut set = WriteSet::new(now, &who.user);
            set.create(proposal);
            for m in &moves {
                m.stage(&mut set, &through);
            }
            set
        })?;
        Ok(written.saved())
    }

    pub(super) fn step_proposal(
        &self,
        who: &Principal,
        code: ProposalCode,
        base: u64,
        to: ProposalStatus,
        note: String,
    ) -> Response {
        // The one rule of who takes which step (`access::link_denial`), as the keys offered follow it.
        let may = |old: &Proposal| {
            let side = match to.taken_by() {
                ProposalSide::NeedService => crate::access::LinkSide::NeedService,
                ProposalSide::FamilyService => crate::access::LinkSide::FamilyService,
            };
            match crate::access::link_denial(who, side, old.need_service, old.family_service, old.family.is_none()) {
                None => Ok(()),
                Some(_) => Err(BankError::Forbidden { action: format!("proposal.{}", to.token()) }),
            }
        };
        let stepped = self.update_record(who, &code.key(), &code.to_string(), base, may, |old: &Proposal, also| {
            if to == ProposalStatus::Started && old.status.can_become(to) {
                return Err(BankError::Refused(Refusal::StartWithPlacement { code }));
            }
            if !old.status.can_become(to) {
                return Err(BankError::Refused(Refusal::ProposalTransition { code, from: old.status, to }));
            }
            if matches!(to, ProposalStatus::UnderReview | ProposalStatus::Accepted) {
                // A need its service has closed goes no further; the proposal may still be declined or withdrawn.
                for need in &old.needs {
                    let closed = self.store.get::<Need>(TreeId::Needs, &need.key())?;
                    if closed.is_some_and(|(_, n)| n.placement.status == NeedStatus::Closed) {
                        return Err(BankError::Refused(Refusal::NeedClosed { need: *need }));
                    }
                }
            }
            let mut problems = Problems::new();
            if to.needs_reason() {
                // The other service reads the reason in its history.
                problems.require_text(Field::Note, &note, MAX_STEP_NOTE);
            } else {
                problems.limit_text(Field::Note, &note, MAX_STEP_NOTE);
            }
            finish(problems)?;
            if to == ProposalStatus::Accepted {
                self.check_acceptance(old)?;
            }

            let mut new = old.clone();
            new.status = to;
            new.steps.push(ProposalStep::by_operator(to, also.now, &who.user, note.trim().to_string()));
            also.record_as_step(AuditAction::ProposalStep, &[to.token()]);
            for m in self.need_moves(&old.needs, &[code], to)? {
                m.stage(also, &code.to_string());
            }
            if let (ProposalStatus::Accepted, Some(family)) = (to, old.family) {
                // Its places are taken now: the family's other pending proposals that no longer fit are withdrawn.
                let free = self.index().family(family).map_or(0, |f| f.free_places());
                let left = self.no_place_left(family, free.saturating_sub(old.places()), &[code])?;
                left.stage(also, PlaceTaker::Proposal(code));
            }
            Ok(new)
        });
        match stepped {
            // Read after the conflict, under no lock: the acceptance that won has committed.
            Err(conflict @ BankError::Conflict { .. }) if to == ProposalStatus::Accepted => {
                self.lost_the_race(code, &may)?;
                Err(conflict)
            }
            other => other,
        }
    }

    /// An acceptance that comes just after another one took the family's
    /// last place, which withdrew this proposal in its transaction: the
    /// service is told that no place is left and what holds it, rather
    /// than that the proposal changed meanwhile (it reads why on its card too).
    fn lost_the_race(
        &self,
        code: ProposalCode,
        may: &dyn Fn(&Proposal) -> Result<(), BankError>,
    ) -> Result<(), BankError> {
        let Some((_, current)) = self.store.get::<Proposal>(TreeId::Proposals, &code.key())? else {
            return Ok(());
        };
        let withdrawn_for_places = current.status == ProposalStatus::Withdrawn
            && current.last_step().is_some_and(|s| matches!(s.cause, Some(StepCause::NoPlaceLeft { .. })));
        if withdrawn_for_places {
            may(&current)?;
            self.check_acceptance(&current)?;
        }
        Ok(())
    }

    /// Accepting takes places: refused when the family has not enough free
    /// ones, when a sibling's need is already matched elsewhere, or when the
    /// family no longer fits the need.
    fn check_acceptance(&self, p: &Proposal) -> Result<(), BankError> {
        let index = self.index();
        for need in &p.needs {
            for (other, _, status) in index.active_proposals_of_need(*need) {
                if other != p.code && status == ProposalStatus::Accepted {
                    return Err(BankError::Refused(Refusal::NeedAlreadyMatched { need: *need, proposal: other }));
                }
            }
        }
        let Some(family) = p.family else {
            // A reception service accepts with the places it has now, and while it still fits the child.
            let facts = index
                .service(p.family_service)
                .ok_or_else(|| BankError::invalid(Field::Service, Reason::NotReception))?;
            if let Some(need) = index.need(p.need()) {
                let unit = index.unit(need, self.today());
                let j = crate::matching::judge_service(&unit, facts, true);
                if !j.exclusions.is_empty() {
                    return Err(BankError::Refused(Refusal::ServiceNotCandidate {
                        service: p.family_service,
                        exclusions: j.exclusions,
                    }));
                }
            }
            return Ok(());
        };
        let facts = index.family(family).ok_or_else(|| BankError::NotFound { code: family.to_string() })?;
        let free = facts.free_places();
        if free < p.places() {
            let mut held_by: Vec<String> =
                index.accepted_proposals_of_family(family).iter().map(|c| c.to_string()).collect();
            held_by.extend(self.active_placements_of(family)?.iter().map(|c| c.to_string()));
            return Err(BankError::Refused(Refusal::NoFreePlaces { family, free, needed: p.places(), held_by }));
        }
        if let Some(need) = index.need(p.need()) {
            let unit = index.unit(need, self.today());
            let j = judge_except(&unit, facts, HardRule::Capacity);
            if !j.exclusions.is_empty() {
                return Err(BankError::Refused(Refusal::NotCandidate { family, exclusions: j.exclusions }));
            }
        }
        Ok(())
    }

    /// The family's pending proposals (but `except`) that need more places
    /// than the `free` ones it keeps after the change being made.
    pub(super) fn no_place_left(
        &self,
        family: FamilyCode,
        free: u8,
        except: &[ProposalCode],
    ) -> Result<NoPlaceLeft, BankError> {
        let losing: Vec<ProposalCode> = self
            .index()
            .pending_proposals_of_family(family)
            .into_iter()
            .filter(|(code, places)| !except.contains(code) && *places > free)
            .map(|(code, _)| code)
            .collect();
        let mut withdrawn = Vec::with_capacity(losing.len());
        let mut moves: Vec<(NeedMove, ProposalCode)> = Vec::new();
        for code in &losing {
            let (revision, proposal) = self.load_proposal(*code)?;
            let needs: Vec<NeedCode> =
                proposal.needs.iter().copied().filter(|n| !moves.iter().any(|(m, _)| m.old.code == *n)).collect();
            // A need still held by another live proposal stays in abbinamento.
            for m in self.need_moves(&needs, &losing, ProposalStatus::Withdrawn)? {
                moves.push((m, *code));
            }
            withdrawn.push((revision, proposal));
        }
        Ok(NoPlaceLeft { family, withdrawn, moves })
    }

    /// The needs of a proposal whose status changes when the proposals
    /// `changed` (none for a new proposal) all move to `to`: read now,
    /// written in the step's transaction.
    pub(super) fn need_moves(
        &self,
        needs: &[NeedCode],
        changed: &[ProposalCode],
        to: ProposalStatus,
    ) -> Result<Vec<NeedMove>, BankError> {
        let index = self.index();
        let mut moves = Vec::new();
        for code in needs {
            let Some((revision, old)) = self.store.get::<Need>(TreeId::Needs, &code.key())? else { continue };
            let mut active: Vec<ProposalStatus> = index
                .active_proposals_of_need(*code)
                .into_iter()
                .filter(|(p, _, _)| !changed.contains(p))
                .map(|(_, _, s)| s)
                .collect();
            if to.is_active() {
                active.push(to);
            }
            let status = status_from_proposals(old.placement.status, &active);
            if status != old.placement.status {
                let mut new = old.clone();
                new.placement.status = status;
                moves.push(NeedMove { revision, old, new });
            }
        }
        Ok(moves)
    }

    pub(super) fn load_proposal(&self, code: ProposalCode) -> Result<(u64, Proposal), BankError> {
        self.store
            .get::<Proposal>(TreeId::Proposals, &code.key())?
            .ok_or_else(|| BankError::NotFound { code: code.to_string() })
    }

    pub(super) fn get_proposal(&self, who: &Principal, code: ProposalCode) -> Response {
        let (revision, record) = self.load_proposal(code)?;
        if !crate::access::follows_link(who, record.need_service, record.family_service) {
            return Err(BankError::Forbidden { action: "proposal.read".into() });
        }
        Ok(Reply::Proposal(Revised { revision, record }))
    }

    /// The proposal with its card's data: only the shared views of its
    /// needs and family, whoever asks (a reader, the coordination, either service).
    pub(super) fn view_proposal(&self, who: &Principal, code: ProposalCode) -> Response {
        let (revision, record) = self.load_proposal(code)?;
        if !crate::access::follows_link(who, record.need_service, record.family_service) {
            return Err(BankError::Forbidden { action: "proposal.read".into() });
        }
        let mut needs = Vec::with_capacity(record.needs.len());
        for code in &record.needs {
            let (revision, need) = self
                .store
                .get::<Need>(TreeId::Needs, &code.key())?
                .ok_or_else(|| BankError::NotFound { code: code.to_string() })?;
            let contact = self.contact(need.service, &need.referent)?;
            needs.push(self.shared_need_view(revision, need, contact));
        }
        let (family, service) = match record.family {
            Some(code) => {
                let (family_revision, family) = self
                    .store
                    .get::<Family>(TreeId::Families, &code.key())?
                    .ok_or_else(|| BankError::NotFound { code: code.to_string() })?;
                let contact = self.contact(family.service, &family.referent)?;
                let mut family = self.shared_family_view(family_revision, family, contact);
                family.free_places = self.index().family(family.code).map(|f| f.free_places());
                (Some(family), None)
            }
            None => (None, Some(self.directory_entry_of(record.family_service)?)),
        };
        Ok(Reply::ProposalView(Box::new(ProposalView { revision, record, needs, family, service })))
    }

    pub(super) fn list_proposals(&self, who: &Principal, filter: &ProposalFilter) -> Response {
        let mut page = super::paging::Pager::new(&self.config, filter.limit);
        let full = self.walk_proposals(who, filter, &mut page)?;
        Ok(Reply::Proposals(page.page(full)))
    }

    /// How many proposals `list_proposals` would give over all its pages.
    pub(super) fn count_proposals(&self, who: &Principal, filter: &ProposalFilter) -> Result<u64, BankError> {
        let mut count = super::paging::Pager::counting();
        self.walk_proposals(who, filter, &mut count)?;
        Ok(count.kept())
    }

    /// The proposals the caller may list that `filter` keeps, into `page`;
    /// true when the page filled before the end.
    fn walk_proposals(
        &self,
        who: &Principal,
        filter: &ProposalFilter,
        page: &mut super::paging::Pager<Revised<Proposal>>,
    ) -> Result<bool, BankError> {
        self.require(who, Operation::ReadShared, Subject::Need, None, "proposal.list")?;
        // An operator's default is its own service; the coordination sees all.
        let service = filter.service.or(match who.role {
            Role::Operator | Role::Reception => who.service,
            _ => None,
        });
        let keep = |p: &Proposal| {
            let by_service = match (service, filter.direction) {
                (None, _) => true,
                (Some(s), Some(Direction::Inbox)) => p.family_service == s,
                (Some(s), Some(Direction::Outbox)) => p.need_service == s,
                (Some(s), None) => p.family_service == s || p.need_service == s,
            };
            by_service
                && crate::access::follows_link(who, p.need_service, p.family_service)
                && filter.status.is_none_or(|s| p.status == s)
                && filter.active.is_none_or(|a| p.status.is_active() == a)
                && filter.need.is_none_or(|n| p.needs.contains(&n))
                && filter.family.is_none_or(|f| p.family == Some(f))
        };
        // Newest first: what an inbox shows on top.
        for kv in self.entries_after(TreeId::Proposals, filter.after.as_ref(), super::paging::Order::Down) {
            let (k, revision, record) = super::paging::decoded::<Proposal>(TreeId::Proposals, kv)?;
            let build = keep(&record).then_some(move || Ok::<_, BankError>(Revised { revision, record }));
            if !page.look_with(k, build)? {
                return Ok(true);
            }
        }
        Ok(false)
    }
}
