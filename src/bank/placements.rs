//! Placements (affidi): opened from an accepted proposal, followed with
//! reviews, closed with an outcome. Opening closes the children's needs
//! and withdraws the other proposals still pending for them; the family's
//! free places follow the placements that are ongoing.

use time::Date;

use crate::access::{LinkSide, Operation, Subject};
use crate::model::*;
use crate::store::audit::AuditAction;
use crate::store::TreeId;

use super::proposals::NeedMove;
use super::write::{Stored, WriteSet};
use super::*;

impl Stored for Placement {
    const KIND: RecordKind = RecordKind::Placement;

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

    /// Matching counts the places it takes while it is ongoing.
    fn matched(&self, index: &mut crate::matching::MatchIndex, _: &Comuni) {
        index.upsert_placement(self);
    }

    fn counted(&self, index: &mut crate::figures::FigureIndex) {
        index.upsert_placement(self);
    }

    fn involved(&self) -> Involved {
        Involved::Link { need: self.need_service, family: self.family_service }
    }
}

impl Bank {
    pub(super) fn start_placement(&self, who: &Principal, code: ProposalCode, base: u64, plan: FosterPlan) -> Response {
        let _w = self.write_lock();
        let may = |old: &Proposal| {
            self.require(who, Operation::Update, Subject::Need, Some(old.need_service), "placement.start")
        };
        let (revision, old) = self.load_for_update(&code.key(), &code.to_string(), base, may)?;
        if old.status != ProposalStatus::Accepted {
            return Err(BankError::Refused(Refusal::ProposalTransition {
                code,
                from: old.status,
                to: ProposalStatus::Started,
            }));
        }
        finish(plan.validate_new(&self.context(), old.family.is_some()))?;
        let (_, first) = self
            .store
            .get::<Need>(TreeId::Needs, &old.need().key())?
            .ok_or_else(|| BankError::NotFound { code: old.need().to_string() })?;

        let now = self.clock.now();
        let year = now.year() as u16;
        // The children's needs close: the placement has started.
        let mut moves = Vec::new();
        for need in &old.needs {
            let Some((revision, n)) = self.store.get::<Need>(TreeId::Needs, &need.key())? else { continue };
            if n.placement.status == NeedStatus::Closed {
                // Closed by its service meanwhile (e.g. another solution): no placement, and its reason stays.
                return Err(BankError::Refused(Refusal::NeedClosed { need: *need }));
            }
            let mut new = n.clone();
            new.placement.status = NeedStatus::Closed;
            new.placement.closing_reason = Some(ClosingReason::PlacementStarted);
            moves.push(NeedMove { revision, old: n, new });
        }
        // Other proposals still pending for these children are withdrawn.
        let mut others = Vec::new();
        {
            let index = self.index();
            for need in &old.needs {
                for (p, _, _) in index.active_proposals_of_need(*need) {
                    if p != code && !others.iter().any(|(c, _, _): &(ProposalCode, u64, Proposal)| *c == p) {
                        let (rev, record) = self.load_proposal(p)?;
                        others.push((p, rev, record));
                    }
                }
            }
        }
        // Places counted since the acceptance; a proposal made for the family meanwhile may not fit.
        let except: Vec<ProposalCode> = others.iter().map(|(c, _, _)| *c).chain([code]).collect();
        let no_place_left = match old.family {
            Some(family) => {
                let free = self.index().family(family).map_or(0, |f| f.free_places());
                Some(self.no_place_left(family, free, &except)?)
            }
            None => None,
        };
        let written = self.commit_numbered(&format!("A/{year}"), |number| {
            let placement = Placement {
                code: PlacementCode::new(year, number),
                proposal: code,
                needs: old.needs.clone(),
                family: old.family,
                need_service: old.need_service,
                family_service: old.family_service,
                kind: first.placement.kind,
                plan: plan.clone(),
                reviews: vec![],
                closing: None,
                meta: Meta::new(now, &who.user),
                extensions: vec![],
                court_reports: vec![],
            };
            let placement_code = placement.code;
            let through = placement_code.to_string();
            let mut started = old.clone();
            started.status = ProposalStatus::Started;
            started.placement = Some(placement.code);
            started.steps.push(ProposalStep::by_operator(ProposalStatus::Started, now, &who.user, through.clone()));
            let mut set = WriteSet::new(now, &who.user);
            set.create(placement);
            set.step(revision, old.clone(), started, AuditAction::ProposalStep, &["started"]);
            for (_, rev, record) in &others {
                let mut withdrawn = record.clone();
                withdrawn.status = ProposalStatus::Withdrawn;
                withdrawn.steps.push(ProposalStep {
                    status: ProposalStatus::Withdrawn,
                    at: now,
                    by: who.user.clone(),
                    note: String::new(),
                    cause: Some(StepCause::PlacedElsewhere { proposal: code, placement: placement_code }),
                });
                set.step(*rev, record.clone(), withdrawn, AuditAction::ProposalStep, &["withdrawn"]);
            }
            for m in &moves {
                m.stage(&mut set, &through);
            }
            if let Some(left) = &no_place_left {
                left.stage(&mut set, PlaceTaker::Placement(placement_code));
            }
            set
        })?;
        Ok(written.saved())
    }

    pub(super) fn replan_placement(
        &self,
        who: &Principal,
        code: PlacementCode,
        base: u64,
        plan: FosterPlan,
    ) -> Response {
        self.change_placement(who, code, base, LinkSide::NeedService, "placement.plan", |p, cx| {
            finish(plan.validate_new(cx, p.family.is_some()))?;
            p.plan = plan.clone();
            Ok(())
        })
    }

    pub(super) fn review_placement(
        &self,
        who: &Principal,
        code: PlacementCode,
        base: u64,
        date: Date,
        note: String,
        kind: ReviewKind,
    ) -> Response {
        self.change_placement(who, code, base, LinkSide::Either, "placement.review", |p, cx| {
            let review = Review { date, note: note.trim().to_string(), by: who.user.clone(), kind };
            let mut problems = review.validate(cx, p.plan.start);
            // One review more than a placement may hold is refused, by count;
            // contact notes are counted apart and never take a review's place.
            let (limit, max) = match kind {
                ReviewKind::Formal => (Field::Reviews, crate::model::limits::MAX_REVIEWS),
                ReviewKind::Contact => (Field::ReviewKind, crate::model::limits::MAX_CONTACT_NOTES),
            };
            let held = p.reviews.iter().filter(|r| r.kind == kind).count();
            problems.limit_count(limit, held + 1, max);
            finish(problems)?;
            p.reviews.push(review);
            p.reviews.sort_by_key(|r| r.date);
            Ok(())
        })
    }

    /// An extension past the expected end (or the 24 months of law): the
    /// child's service records the decision, the court's or its own.
    pub(super) fn extend_placement(
        &self,
        who: &Principal,
        code: PlacementCode,
        base: u64,
        extension: Extension,
    ) -> Response {
        self.change_placement(who, code, base, LinkSide::NeedService, "placement.extend", |p, cx| {
            let extension = Extension { note: extension.note.trim().to_string(), by: who.user.clone(), ..extension };
            let mut problems = extension.validate(cx, p.plan.start, p.horizon().0);
            problems.limit_count(Field::Extensions, p.extensions.len() + 1, crate::model::limits::MAX_EXTENSIONS);
            finish(problems)?;
            p.extensions.push(extension);
            Ok(())
        })
    }

    /// A report due to the court, or sent: one due on `due_on` that is
    /// pending is marked sent; otherwise a new one is added (sent or not).
    pub(super) fn court_report(
        &self,
        who: &Principal,
        code: PlacementCode,
        base: u64,
        report: CourtReport,
    ) -> Response {
        self.change_placement(who, code, base, LinkSide::NeedService, "placement.court_report", |p, cx| {
            let report = CourtReport { note: report.note.trim().to_string(), by: who.user.clone(), ..report };
            finish(report.validate(cx, p.plan.start))?;
            let pending = p.court_reports.iter_mut().find(|r| r.due_on == report.due_on && r.sent_on.is_none());
            match (pending, report.sent_on) {
                (Some(r), Some(sent)) => {
                    r.sent_on = Some(sent);
                    if !report.note.is_empty() {
                        r.note = report.note;
                    }
                }
                _ => {
                    let mut problems = Problems::new();
                    if report.sent_on.is_none() && p.court_reports.iter().any(|r| r.due_on == report.due_on) {
                        let value = crate::model::dates::format_date(report.due_on);
                        problems.push(Field::CourtReportDue, Reason::Duplicate { value });
                    }
                    let count = p.court_reports.len() + 1;
                    problems.limit_count(Field::CourtReports, count, crate::model::limits::MAX_COURT_REPORTS);
                    finish(problems)?;
                    let at = p.court_reports.partition_point(|r| r.due_on <= report.due_on);
                    p.court_reports.insert(at, report);
                }
            }
            Ok(())
        })
    }

    pub(super) fn close_placement(
        &self,
        who: &Principal,
        code: PlacementCode,
        base: u64,
        date: Date,
        outcome: PlacementOutcome,
        note: String,
    ) -> Response {
        self.change_placement(who, code, base, LinkSide::NeedService, "placement.close", |p, cx| {
            let closing = Closing { date, outcome, note: note.trim().to_string(), by: who.user.clone() };
            finish(closing.validate(cx, p.plan.start))?;
            p.closing = Some(closing);
            Ok(())
        })
    }

    /// One change of an ongoing placement, by the side allowed to make it.
    fn change_placement(
        &self,
        who: &Principal,
        code: PlacementCode,
        base: u64,
        side: LinkSide,
        action: &str,
        change: impl FnOnce(&mut Placement, &Context) -> Result<(), BankError>,
    ) -> Response {
        let may = |old: &Placement| match crate::access::link_denial(
            who,
            side,
            old.need_service,
            old.family_service,
            old.family.is_none(),
        ) {
            None => Ok(()),
            Some(_) => Err(BankError::Forbidden { action: action.to_string() }),
        };
        self.update_record(who, &code.key(), &code.to_string(), base, may, |old: &Placement, _| {
            if !old.is_active() {
                return Err(BankError::Refused(Refusal::PlacementClosed { code }));
            }
            let mut new = old.clone();
            change(&mut new, &self.context())?;
            Ok(new)
        })
    }

    fn load_placement(&self, code: PlacementCode) -> Result<(u64, Placement), BankError> {
        self.store
            .get::<Placement>(TreeId::Placements, &code.key())?
            .ok_or_else(|| BankError::NotFound { code: code.to_string() })
    }

    /// Ongoing placements of a family, read from the store.
    pub(super) fn active_placements_of(&self, family: FamilyCode) -> Result<Vec<PlacementCode>, BankError> {
        let mut out = Vec::new();
        for item in self.store.iter::<Placement>(TreeId::Placements) {
            let (_, p) = item?;
            if p.family == Some(family) && p.is_active() {
                out.push(p.code);
            }
        }
        Ok(out)
    }

    pub(super) fn get_placement(&self, who: &Principal, code: PlacementCode) -> Response {
        let (revision, record) = self.load_placement(code)?;
        if !crate::access::follows_link(who, record.need_service, record.family_service) {
            return Err(BankError::Forbidden { action: "placement.read".into() });
        }
        Ok(Reply::Placement(Revised { revision, record }))
    }

    pub(super) fn list_placements(&self, who: &Principal, filter: &PlacementFilter) -> Response {
        let mut page = super::paging::Pager::new(&self.config, filter.limit);
        let full = self.walk_placements(who, filter, &mut page)?;
        Ok(Reply::Placements(page.page(full)))
    }

    /// How many placements `list_placements` would give over all its pages.
    pub(super) fn count_placements(&self, who: &Principal, filter: &PlacementFilter) -> Result<u64, BankError> {
        let mut count = super::paging::Pager::counting();
        self.walk_placements(who, filter, &mut count)?;
        Ok(count.kept())
    }

    /// The placements the caller may list that `filter` keeps, into `page`;
    /// true when the page filled before the end.
    fn walk_placements(
        &self,
        who: &Principal,
        filter: &PlacementFilter,
        page: &mut super::paging::Pager<Revised<Placement>>,
    ) -> Result<bool, BankError> {
        self.require(who, Operation::ReadShared, Subject::Need, None, "placement.list")?;
        let keep = |p: &Placement| {
            crate::access::follows_link(who, p.need_service, p.family_service)
                && filter.service.is_none_or(|s| p.need_service == s || p.family_service == s)
                && filter.need.is_none_or(|n| p.needs.contains(&n))
                && filter.family.is_none_or(|f| p.family == Some(f))
                && filter.active.is_none_or(|a| p.is_active() == a)
        };
        // Newest first.
        for kv in self.entries_after(TreeId::Placements, filter.after.as_ref(), super::paging::Order::Down) {
            let (k, revision, record) = super::paging::decoded::<Placement>(TreeId::Placements, kv)?;
            let build = keep(&record).then_some(move || Ok::<_, BankError>(Revised { revision, record }));
            if !page.look_with(k, build)? {
                return Ok(true);
            }
        }
        Ok(false)
    }
}
