//! The indicators, counted from the figures' index for one area at a
//! time, every table with the same rows whatever the data (zeros too), so
//! areas sit side by side and a report reads the same every time.

use std::collections::{BTreeMap, HashSet};

use time::{Date, Month};

use super::index::{FamilyFigure, FigureIndex, NeedFigure, PlacementFigure, ProposalFigure};
use crate::api::*;
use crate::model::vocabulary::{ClosingReason, PlacementKind, PlacementOutcome, Sex};
use crate::model::*;

/// An area as the counting sees it: every record, those of some comuni,
/// or those of one service.
#[derive(Debug, Clone)]
pub enum Scope {
    All,
    Comuni(HashSet<ComuneCode>),
    Service(ServiceCode),
}

impl Scope {
    fn family(&self, service: ServiceCode, comune: ComuneCode) -> bool {
        match self {
            Scope::All => true,
            Scope::Comuni(c) => c.contains(&comune),
            Scope::Service(s) => *s == service,
        }
    }

    fn need(&self, n: &NeedFigure) -> bool {
        self.family(n.service, n.comune)
    }

    /// A link (proposal, placement) counts where its child lives, or for
    /// a service on either side of it.
    fn link(&self, child: Option<&NeedFigure>, sides: [ServiceCode; 2]) -> bool {
        match self {
            Scope::All => true,
            Scope::Comuni(c) => child.is_some_and(|n| c.contains(&n.comune)),
            Scope::Service(s) => sides.contains(s),
        }
    }

    /// A placement counts for the child's service (the survey counts the
    /// children a service has placed), or where the child lives.
    fn placement(&self, child: Option<&NeedFigure>, p: &PlacementFigure) -> bool {
        match self {
            Scope::Service(s) => p.need_service == *s,
            _ => self.link(child, [p.need_service, p.family_service]),
        }
    }
}

/// A reception service's places as the bank knows them today.
#[derive(Debug, Clone)]
pub struct ReceptionFigure {
    pub code: ServiceCode,
    pub kind: ServiceKind,
    pub comune: ComuneCode,
    pub licensed: u16,
    pub occupied: u16,
    pub free: u16,
    pub declared: bool,
    pub stale: bool,
}

/// What a figure is before the caller's rights are applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Val {
    N(u64),
    /// Days, over `base` records.
    Days(Option<u32>, u64),
    Signed(i64),
}

pub type Rows = Vec<(Group, RowKey, Val)>;

/// What one area's counting needs besides the index.
pub struct Counting<'a> {
    pub index: &'a FigureIndex,
    pub reception: &'a [ReceptionFigure],
    pub at: Date,
    pub from: Date,
    pub to: Date,
    pub stale_after_months: u32,
}

impl Counting<'_> {
    fn in_period(&self, d: Date) -> bool {
        d >= self.from && d <= self.to
    }

    /// Every table asked, for one area.
    pub fn tables(&self, scope: &Scope, only: &[Indicator]) -> Vec<(Indicator, Rows)> {
        Indicator::ALL
            .into_iter()
            .filter(|i| only.is_empty() || only.contains(i))
            .map(|i| (i, self.table(i, scope)))
            .collect()
    }

    fn table(&self, indicator: Indicator, scope: &Scope) -> Rows {
        match indicator {
            Indicator::FamiliesByStage => self.families_by_stage(scope),
            Indicator::FamiliesAvailable => self.families_available(scope),
            Indicator::FamilyPlaces => self.family_places(scope),
            Indicator::EnquiryToApproval => self.enquiry_to_approval(scope),
            Indicator::WaitingSinceApproval => self.waiting_since_approval(scope),
            Indicator::NeedsOpenByKind => self.needs_open(scope, Group::Kind),
            Indicator::NeedsOpenByUrgency => self.needs_open(scope, Group::Urgency),
            Indicator::NeedsOpenByAge => self.needs_open(scope, Group::Age),
            Indicator::NeedsOpenBySex => self.needs_open(scope, Group::Sex),
            Indicator::NeedsWaiting => self.needs_waiting(scope),
            Indicator::NeedsClosed => self.needs_closed(scope),
            Indicator::PlacementsInCourse => self.placements(scope, Flow::InCourse),
            Indicator::PlacementsStarted => self.placements(scope, Flow::Started),
            Indicator::PlacementsEnded => self.placements(scope, Flow::Ended),
            Indicator::Proposals => self.proposals(scope),
            Indicator::Reciprocity => self.reciprocity(scope),
            Indicator::ReceptionPlaces => self.reception_places(scope),
            Indicator::Monthly => self.monthly(scope),
        }
    }

    fn families_by_stage(&self, scope: &Scope) -> Rows {
        let mut by = BTreeMap::new();
        let mut total = 0;
        for f in self.index.families.values().filter(|f| scope.family(f.service, f.comune)) {
            if let Some(s) = f.status_at(self.at) {
                *by.entry(s).or_insert(0u64) += 1;
                total += 1;
            }
        }
        let mut rows = vec![(Group::All, RowKey::Total, Val::N(total))];
        rows.extend(
            FamilyStatus::ALL.iter().map(|s| (Group::All, RowKey::Stage(*s), Val::N(by.get(s).copied().unwrap_or(0)))),
        );
        rows
    }

    /// Idonee at `day` in the scope, each with its free places then.
    fn available_on<'b>(
        &'b self,
        scope: &'b Scope,
        day: Date,
    ) -> impl Iterator<Item = (FamilyCode, &'b FamilyFigure, u32)> + 'b {
        self.index
            .families
            .iter()
            .filter(move |(_, f)| scope.family(f.service, f.comune) && f.status_at(day) == Some(FamilyStatus::Approved))
            .map(move |(c, f)| (*c, f, u32::from(f.max_children).saturating_sub(self.index.held_on(*c, day))))
    }

    /// The needs of the scope open at the end of `day`.
    fn open_needs<'b>(&'b self, scope: &'b Scope, day: Date) -> impl Iterator<Item = &'b NeedFigure> + 'b {
        self.index.needs.iter().filter(move |(c, n)| scope.need(n) && self.open_on(**c, n, day)).map(|(_, n)| n)
    }

    /// The first child of a placement, whose comune places it.
    fn child_of(&self, p: &PlacementFigure) -> Option<&NeedFigure> {
        p.needs.first().and_then(|n| self.index.needs.get(n))
    }

    fn families_available(&self, scope: &Scope) -> Rows {
        let mut total = 0;
        let mut by = [0u64; 8];
        for (_, f, free) in self.available_on(scope, self.at) {
            if free == 0 {
                continue;
            }
            total += 1;
            for (i, k) in PlacementKind::ALL.iter().enumerate() {
                if f.offers(*k) {
                    by[i] += 1;
                }
            }
        }
        let mut rows = vec![(Group::All, RowKey::Total, Val::N(total))];
        rows.extend(PlacementKind::ALL.iter().enumerate().map(|(i, k)| (Group::Kind, RowKey::Kind(*k), Val::N(by[i]))));
        rows
    }

    fn family_places(&self, scope: &Scope) -> Rows {
        let (mut offered, mut taken, mut free, mut stale) = (0u64, 0u64, 0u64, 0u64);
        for (_, f, free_here) in self.available_on(scope, self.at) {
            offered += u64::from(f.max_children);
            free += u64::from(free_here);
            taken += u64::from(u32::from(f.max_children) - free_here);
            if f.stale_at(self.at, self.stale_after_months) {
                stale += 1;
            }
        }
        [
            (Measure::PlacesOffered, offered),
            (Measure::PlacesTaken, taken),
            (Measure::PlacesFree, free),
            (Measure::StaleProfiles, stale),
        ]
        .into_iter()
        .map(|(m, n)| (Group::Places, RowKey::Measure(m), Val::N(n)))
        .collect()
    }

    fn enquiry_to_approval(&self, scope: &Scope) -> Rows {
        let mut days = Vec::new();
        for f in self.index.families.values().filter(|f| scope.family(f.service, f.comune)) {
            let (Some(first), _) = f.approvals(self.to) else { continue };
            if self.in_period(first) && f.steps.first().is_some_and(|(_, k)| *k == StepKind::Enquiry) {
                days.push((first - f.known_from).whole_days().max(0) as u32);
            }
        }
        spread(days, false)
    }

    fn waiting_since_approval(&self, scope: &Scope) -> Rows {
        let mut days = Vec::new();
        for (code, f, _) in self.available_on(scope, self.at) {
            let (_, Some(latest)) = f.approvals(self.at) else { continue };
            if !self.index.placed_since(code, latest, self.at) {
                days.push((self.at - latest).whole_days().max(0) as u32);
            }
        }
        spread(days, true)
    }

    /// Open on `day`: recorded by then, not closed by then.
    fn open_on(&self, code: NeedCode, n: &NeedFigure, day: Date) -> bool {
        n.recorded <= day && self.index.closed_on(code, n).is_none_or(|(d, _)| d > day)
    }

    fn needs_open(&self, scope: &Scope, group: Group) -> Rows {
        let open: Vec<&NeedFigure> = self.open_needs(scope, self.at).collect();
        let mut rows = vec![(Group::All, RowKey::Total, Val::N(open.len() as u64))];
        let count = |f: &dyn Fn(&NeedFigure) -> bool| Val::N(open.iter().filter(|n| f(n)).count() as u64);
        match group {
            Group::Kind => {
                rows.extend(PlacementKind::ALL.iter().map(|k| (group, RowKey::Kind(*k), count(&|n| n.kind == *k))))
            }
            Group::Urgency => {
                rows.extend([true, false].map(|e| (group, RowKey::Emergency(e), count(&|n| n.emergency == e))))
            }
            Group::Age => rows.extend(
                AgeClass::ALL
                    .map(|a| (group, RowKey::Age(a), count(&|n| AgeClass::of_years(n.years_at(self.at)) == a))),
            ),
            _ => rows.extend(Sex::ALL.iter().map(|s| (group, RowKey::Sex(*s), count(&|n| n.sex == *s)))),
        }
        rows
    }

    fn needs_waiting(&self, scope: &Scope) -> Rows {
        let days: Vec<u32> =
            self.open_needs(scope, self.at).map(|n| (self.at - n.recorded).whole_days().max(0) as u32).collect();
        spread(days, true)
    }

    fn needs_closed(&self, scope: &Scope) -> Rows {
        let mut recorded = 0;
        let mut by = BTreeMap::new();
        let mut total = 0;
        for (code, n) in self.index.needs.iter().filter(|(_, n)| scope.need(n)) {
            if self.in_period(n.recorded) {
                recorded += 1;
            }
            if let Some((day, reason)) = self.index.closed_on(*code, n) {
                if self.in_period(day) {
                    *by.entry(reason).or_insert(0u64) += 1;
                    total += 1;
                }
            }
        }
        let mut rows = vec![(Group::All, RowKey::Measure(Measure::Recorded), Val::N(recorded))];
        rows.push((Group::All, RowKey::Total, Val::N(total)));
        rows.extend(
            ClosingReason::ALL
                .iter()
                .map(|r| (Group::Reason, RowKey::Closed(*r), Val::N(by.get(r).copied().unwrap_or(0)))),
        );
        rows
    }

    /// Children in placement: one row per class of each breakdown of the
    /// survey. The age is taken at the date (in course), at the start
    /// (started) or at the end (ended); so is the duration.
    fn placements(&self, scope: &Scope, flow: Flow) -> Rows {
        let mut tally: BTreeMap<(Group, RowKey), u64> = BTreeMap::new();
        let mut total = 0u64;
        for p in self.index.placements.values() {
            let child = self.child_of(p);
            if !scope.placement(child, p) {
                continue;
            }
            let (counted, on) = match flow {
                Flow::InCourse => (p.in_course_on(self.at), self.at),
                Flow::Started => (self.in_period(p.start), p.start),
                Flow::Ended => match p.end {
                    Some((d, _)) => (self.in_period(d), d),
                    None => (false, self.at),
                },
            };
            if !counted {
                continue;
            }
            let host = p.host(&self.index.services);
            let duration = DurationClass::of_months(dates::months_between(p.start, on));
            for n in p.needs.iter().filter_map(|n| self.index.needs.get(n)) {
                total += 1;
                let mut add = |g: Group, k: RowKey| *tally.entry((g, k)).or_insert(0) += 1;
                add(Group::Kind, RowKey::Kind(p.kind));
                add(Group::Host, RowKey::Host(host));
                add(Group::Legal, RowKey::Legal(n.legal));
                add(Group::Age, RowKey::Age(AgeClass::of_years(n.years_at(on))));
                add(Group::Sex, RowKey::Sex(n.sex));
                add(Group::Origin, RowKey::Origin(n.origin));
                if flow != Flow::Started {
                    add(Group::Duration, RowKey::Duration(duration));
                }
                if let (Flow::Ended, Some((_, outcome))) = (flow, p.end) {
                    add(Group::Outcome, RowKey::Outcome(outcome));
                }
            }
        }
        let mut keys: Vec<(Group, RowKey)> = vec![];
        keys.extend(PlacementKind::ALL.iter().map(|k| (Group::Kind, RowKey::Kind(*k))));
        keys.extend(host_classes().into_iter().map(|h| (Group::Host, RowKey::Host(h))));
        keys.extend(
            [LegalClass::Consensual, LegalClass::Judicial, LegalClass::Art403]
                .map(|l| (Group::Legal, RowKey::Legal(l))),
        );
        keys.extend(AgeClass::ALL.map(|a| (Group::Age, RowKey::Age(a))));
        keys.extend(Sex::ALL.iter().map(|s| (Group::Sex, RowKey::Sex(*s))));
        keys.extend(
            [Origin::Italian, Origin::Foreign, Origin::Unaccompanied].map(|o| (Group::Origin, RowKey::Origin(o))),
        );
        if flow != Flow::Started {
            keys.extend(DurationClass::ALL.map(|d| (Group::Duration, RowKey::Duration(d))));
        }
        if flow == Flow::Ended {
            keys.extend(PlacementOutcome::ALL.iter().map(|o| (Group::Outcome, RowKey::Outcome(*o))));
        }
        let mut rows = vec![(Group::All, RowKey::Total, Val::N(total))];
        rows.extend(keys.into_iter().map(|(g, k)| (g, k, Val::N(tally.get(&(g, k)).copied().unwrap_or(0)))));
        rows
    }

    fn proposals(&self, scope: &Scope) -> Rows {
        let (mut made, mut accepted, mut declined, mut withdrawn, mut pending) = (0u64, 0u64, 0u64, 0u64, 0u64);
        let mut why: BTreeMap<DeclineClass, u64> = BTreeMap::new();
        let mut answer_days = Vec::new();
        for p in self.index.proposals.values().filter(|p| self.proposal_in(scope, p)) {
            if !self.in_period(p.made) {
                continue;
            }
            made += 1;
            if let Some((d, status)) = p.answered.filter(|(d, _)| *d <= self.to) {
                answer_days.push((d - p.made).whole_days().max(0) as u32);
                if status == ProposalStatus::Accepted {
                    accepted += 1;
                }
            }
            match p.ended.filter(|(d, _, _)| *d <= self.to) {
                Some((_, ProposalStatus::Declined, c)) => {
                    declined += 1;
                    *why.entry(c.unwrap_or(DeclineClass::ByHost)).or_default() += 1;
                }
                Some((_, ProposalStatus::Withdrawn, c)) => {
                    withdrawn += 1;
                    *why.entry(c.unwrap_or(DeclineClass::ByChildService)).or_default() += 1;
                }
                Some(_) => {}
                None if p.answered.is_none_or(|(d, _)| d > self.to) => pending += 1,
                None => {}
            }
        }
        let mut rows: Rows = [
            (Measure::Made, made),
            (Measure::Accepted, accepted),
            (Measure::Declined, declined),
            (Measure::Withdrawn, withdrawn),
            (Measure::Pending, pending),
        ]
        .into_iter()
        .map(|(m, n)| (Group::All, RowKey::Measure(m), Val::N(n)))
        .collect();
        let base = answer_days.len() as u64;
        rows.push((
            Group::Time,
            RowKey::Measure(Measure::MedianDaysToAnswer),
            Val::Days(percentile(&mut answer_days, 50), base),
        ));
        rows.extend(
            [
                DeclineClass::ByHost,
                DeclineClass::ByChildService,
                DeclineClass::NeedClosed,
                DeclineClass::PlacedElsewhere,
                DeclineClass::NoPlaceLeft,
            ]
            .map(|c| {
                (Group::Reason, RowKey::Measure(Measure::DeclinedBecause(c)), Val::N(why.get(&c).copied().unwrap_or(0)))
            }),
        );
        rows
    }

    fn proposal_in(&self, scope: &Scope, p: &ProposalFigure) -> bool {
        scope.link(self.index.needs.get(&p.need), [p.need_service, p.family_service])
    }

    /// Per foster service: its families' children from other services
    /// (lent) and its children placed with other services' families
    /// (borrowed), over the placements started in the period.
    fn reciprocity(&self, scope: &Scope) -> Rows {
        let mut lent: BTreeMap<ServiceCode, u64> = BTreeMap::new();
        let mut borrowed: BTreeMap<ServiceCode, u64> = BTreeMap::new();
        for p in self.index.placements.values().filter(|p| p.family.is_some() && self.in_period(p.start)) {
            if p.need_service == p.family_service {
                continue;
            }
            let child = self.child_of(p);
            if !scope.link(child, [p.need_service, p.family_service]) {
                continue;
            }
            let n = p.needs.len() as u64;
            *lent.entry(p.family_service).or_default() += n;
            *borrowed.entry(p.need_service).or_default() += n;
        }
        let mut services: Vec<ServiceCode> = self
            .index
            .services
            .iter()
            .filter(|(c, k)| !k.is_reception() && !matches!(scope, Scope::Service(s) if s != *c))
            .map(|(c, _)| *c)
            .collect();
        services.sort();
        let total: u64 = lent.values().sum();
        let mut rows = vec![(Group::All, RowKey::Total, Val::N(total))];
        for s in services {
            let (l, b) = (lent.get(&s).copied().unwrap_or(0), borrowed.get(&s).copied().unwrap_or(0));
            rows.push((Group::Service, RowKey::Service(s, Measure::Lent), Val::N(l)));
            rows.push((Group::Service, RowKey::Service(s, Measure::Borrowed), Val::N(b)));
            rows.push((Group::Service, RowKey::Service(s, Measure::Balance), Val::Signed(l as i64 - b as i64)));
        }
        rows
    }

    fn reception_places(&self, scope: &Scope) -> Rows {
        let mut rows = Vec::new();
        let kinds = ServiceKind::reception_kinds();
        let inside: Vec<&ReceptionFigure> = self.reception.iter().filter(|r| scope.family(r.code, r.comune)).collect();
        let sum = |f: &dyn Fn(&ReceptionFigure) -> u64, of: &[&ReceptionFigure]| of.iter().map(|r| f(r)).sum::<u64>();
        let measures = |of: &[&ReceptionFigure]| {
            [
                (Measure::Services, of.len() as u64),
                (Measure::Licensed, sum(&|r| u64::from(r.licensed), of)),
                (Measure::Occupied, sum(&|r| u64::from(r.occupied), of)),
                (Measure::DeclaredFree, sum(&|r| if r.declared { u64::from(r.free) } else { 0 }, of)),
                (Measure::DeclaredStale, of.iter().filter(|r| r.stale).count() as u64),
            ]
        };
        for (m, n) in measures(&inside) {
            rows.push((Group::All, RowKey::Measure(m), Val::N(n)));
        }
        for k in kinds {
            let of: Vec<&ReceptionFigure> = inside.iter().copied().filter(|r| r.kind == k).collect();
            for (m, n) in
                measures(&of).into_iter().filter(|(m, _)| matches!(m, Measure::Licensed | Measure::DeclaredFree))
            {
                rows.push((Group::Kind, RowKey::ReceptionKind(k, m), Val::N(n)));
            }
        }
        rows
    }

    /// The months of the period up to the date's month.
    pub fn months(&self) -> Vec<(i32, Month)> {
        let mut out = Vec::new();
        let (mut y, mut m) = (self.from.year(), self.from.month());
        let last = self.to.min(self.at);
        while (y, m as u8) <= (last.year(), last.month() as u8) && out.len() < MAX_SERIES_MONTHS {
            out.push((y, m));
            if m == Month::December {
                y += 1;
            }
            m = m.next();
        }
        out
    }

    fn monthly(&self, scope: &Scope) -> Rows {
        let mut rows = Vec::new();
        for (y, m) in self.months() {
            let first = Date::from_calendar_date(y, m, 1).expect("a first of the month");
            let end = Date::from_calendar_date(y, m, m.length(y)).expect("a month's last day").min(self.at);
            let within = |d: Date| d >= first && d <= end;
            let key = RowKey::Month { year: y, month: m as u8 };
            for series in Series::ALL {
                let n = match series {
                    Series::FamiliesAvailable => {
                        self.available_on(scope, end).filter(|(_, _, free)| *free > 0).count() as u64
                    }
                    Series::NeedsOpen => self.open_needs(scope, end).count() as u64,
                    Series::NeedsRecorded => {
                        self.index.needs.values().filter(|n| scope.need(n) && within(n.recorded)).count() as u64
                    }
                    Series::PlacementsStarted | Series::PlacementsEnded | Series::PlacementsInCourse => self
                        .index
                        .placements
                        .values()
                        .filter(|p| scope.placement(self.child_of(p), p))
                        .filter(|p| match series {
                            Series::PlacementsStarted => within(p.start),
                            Series::PlacementsEnded => p.end.is_some_and(|(d, _)| within(d)),
                            _ => p.in_course_on(end),
                        })
                        .map(|p| p.needs.len() as u64)
                        .sum(),
                    Series::ProposalsMade => {
                        self.index.proposals.values().filter(|p| self.proposal_in(scope, p) && within(p.made)).count()
                            as u64
                    }
                };
                rows.push((Group::Month(series), key, Val::N(n)));
            }
        }
        rows
    }

    /// Families available and needs open per comune at the date.
    pub fn map(&self, scope: &Scope) -> BTreeMap<ComuneCode, (u64, u64)> {
        let mut out: BTreeMap<ComuneCode, (u64, u64)> = BTreeMap::new();
        for (_, f, free) in self.available_on(scope, self.at) {
            if free > 0 {
                out.entry(f.comune).or_default().0 += 1;
            }
        }
        for n in self.open_needs(scope, self.at) {
            out.entry(n.comune).or_default().1 += 1;
        }
        out
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    InCourse,
    Started,
    Ended,
}

/// Family hosts kin, non-kin and not recorded, then each reception kind.
fn host_classes() -> Vec<HostClass> {
    let mut out = vec![
        HostClass::Family(Some(Relationship::Kinship)),
        HostClass::Family(Some(Relationship::NonKin)),
        HostClass::Family(None),
    ];
    out.extend(ServiceKind::reception_kinds().map(HostClass::Service));
    out
}

/// How many, the median and the 90th percentile; with `over_90`, how
/// many over 90 days too.
fn spread(mut days: Vec<u32>, over_90: bool) -> Rows {
    let base = days.len() as u64;
    let over = days.iter().filter(|d| **d > 90).count() as u64;
    let mut rows = vec![
        (Group::Time, RowKey::Measure(Measure::Counted), Val::N(base)),
        (Group::Time, RowKey::Measure(Measure::MedianDays), Val::Days(percentile(&mut days, 50), base)),
        (Group::Time, RowKey::Measure(Measure::P90Days), Val::Days(percentile(&mut days, 90), base)),
    ];
    if over_90 {
        rows.push((Group::Time, RowKey::Measure(Measure::Over90Days), Val::N(over)));
    }
    rows
}

/// The nearest-rank percentile: the smallest value with at least `p`% of
/// the values at or under it (the median of 1, 2, 3, 4 is 2).
pub fn percentile(days: &mut [u32], p: u32) -> Option<u32> {
    if days.is_empty() {
        return None;
    }
    days.sort_unstable();
    let rank = (days.len() as u64 * u64::from(p)).div_ceil(100).max(1) as usize;
    Some(days[rank - 1])
}
