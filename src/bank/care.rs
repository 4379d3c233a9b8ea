//! What is due for a service (the reminders of the dashboard and of
//! `banca due`) and the recruitment figures, computed from the records.

use time::{Date, Duration};

use crate::access::{Operation, Subject};
use crate::model::limits::{MAX_DUE_DAYS, MAX_DUE_ITEMS};
use crate::model::*;
use crate::store::TreeId;

use super::index::FAMILY;
use super::*;

impl Bank {
    pub(super) fn due(&self, who: &Principal, service: Option<ServiceCode>, days: u16) -> Response {
        let service = service.or(who.service);
        // Reminders name families: whoever reads their identity may list them.
        self.require(who, Operation::ReadIdentity, Subject::Family, service, "due.list")?;
        let mut problems = Problems::new();
        problems.check_range(Field::Days, i64::from(days), 0, i64::from(MAX_DUE_DAYS));
        finish(problems)?;
        let today = self.today();
        let until = today + Duration::days(i64::from(days));
        let mut items = Vec::new();
        let mut families = |f: Family| {
            if service.is_none_or(|s| s == f.service) {
                items.extend(self.family_due(&f, today, until));
            }
        };
        match service {
            Some(s) => {
                for key in self.index_keys_after(TreeId::IdxService, FAMILY, &s.key(), None) {
                    if let Some((_, f)) = self.store.get::<Family>(TreeId::Families, &key?)? {
                        families(f);
                    }
                }
            }
            None => {
                for item in self.store.iter::<Family>(TreeId::Families) {
                    families(item?.1);
                }
            }
        }
        for item in self.store.iter::<Placement>(TreeId::Placements) {
            let (_, p) = item?;
            if p.is_active() {
                items.extend(placement_due(&p, service, today, until, self.config.care.end_notice_days));
            }
        }
        // Overdue first, then by date, then by record.
        items.sort_by(|a, b| (!a.overdue, a.on, &a.record).cmp(&(!b.overdue, b.on, &b.record)));
        let truncated = items.len() > MAX_DUE_ITEMS;
        items.truncate(MAX_DUE_ITEMS);
        Ok(Reply::Due(DueList { today, until, items, truncated }))
    }

    fn family_due(&self, f: &Family, today: Date, until: Date) -> Vec<DueItem> {
        let item =
            |what, on: Date| DueItem { what, on, overdue: on < today, record: f.code.to_string(), service: f.service };
        let mut out = Vec::new();
        let p = &f.profile;
        match p.status {
            FamilyStatus::Approved | FamilyStatus::Suspended => {
                if let Some(on) = p.review_on.filter(|d| *d <= until) {
                    out.push(item(Due::ApprovalRevision, on));
                }
            }
            FamilyStatus::Enquiring | FamilyStatus::UnderAssessment => {
                let last = f.pathway.last_step_on().unwrap_or(f.meta.created_at.date());
                let on = last + Duration::weeks(i64::from(self.config.care.idle_weeks));
                if on <= until {
                    out.push(item(Due::IdlePathway { last_step: last }, on));
                }
            }
            _ => {}
        }
        if p.status == FamilyStatus::Approved {
            if let Some(approved_on) = p.approved_on {
                // Due three months after the approval, or after the family
                // was last heard (its availability confirmed): a call moves it on.
                let heard = p.confirmed_on.map_or(approved_on, |c| c.max(approved_on));
                let on = heard + Duration::days(i64::from(self.config.care.waiting_days));
                if on <= until && !self.index().proposed_since(f.code, approved_on) {
                    out.push(item(Due::WaitingSinceApproval { approved_on }, on));
                }
            }
        }
        out
    }

    pub(super) fn recruitment(&self, who: &Principal, service: Option<ServiceCode>, since: Option<Date>) -> Response {
        let service = service.or(who.service);
        // Figures over families: whoever may read them whole, the service's own or the coordination.
        self.require(who, Operation::ReadIdentity, Subject::Family, service, "recruitment.read")?;
        let mut rows: Vec<SourceRow> = EnquirySource::ALL.iter().map(|s| SourceRow::empty(Some(*s))).collect();
        rows.push(SourceRow::empty(None));
        let mut total = SourceRow::empty(None);
        let mut days = Vec::new();
        for item in self.store.iter::<Family>(TreeId::Families) {
            let (_, f) = item?;
            if service.is_some_and(|s| s != f.service) {
                continue;
            }
            // Only families whose first contact is on record count.
            let Some(first) = f.pathway.enquiry_on() else { continue };
            if since.is_some_and(|d| first < d) {
                continue;
            }
            let at = f.pathway.source.map_or(rows.len() - 1, |s| s as usize);
            let approved = f.pathway.approved_on();
            for row in [&mut rows[at], &mut total] {
                row.enquiries += 1;
                match f.profile.status {
                    FamilyStatus::Enquiring | FamilyStatus::UnderAssessment => row.in_progress += 1,
                    FamilyStatus::NotApproved => row.not_approved += 1,
                    FamilyStatus::Withdrawn if approved.is_none() => row.withdrawn += 1,
                    _ => {}
                }
                if approved.is_some() {
                    row.approved += 1;
                }
            }
            if let Some(a) = approved {
                days.push((a - first).whole_days().max(0) as u32);
            }
        }
        rows.retain(|r| r.enquiries > 0);
        Ok(Reply::Recruitment(Box::new(RecruitmentFigures {
            service,
            since,
            today: self.today(),
            by_source: rows,
            total,
            days_to_approval: Spread::of(days),
        })))
    }
}

/// What a placement has due for `service` (both of its services when `None`).
fn placement_due(
    p: &Placement,
    service: Option<ServiceCode>,
    today: Date,
    until: Date,
    notice_days: u16,
) -> Vec<DueItem> {
    let item = |what, on: Date, s: ServiceCode| DueItem {
        what,
        on,
        overdue: on < today,
        record: p.code.to_string(),
        service: s,
    };
    // Reviews are both services'; the court and the end are the child's service's.
    let both = service.is_none_or(|s| s == p.need_service || s == p.family_service);
    let child = service.is_none_or(|s| s == p.need_service);
    let mut out = Vec::new();
    if both {
        if let Some(on) = p.next_review().filter(|d| *d <= until) {
            out.push(item(Due::Review, on, service.unwrap_or(p.need_service)));
        }
    }
    if child {
        for r in p.reports_pending().filter(|r| r.due_on <= until) {
            out.push(item(Due::CourtReport, r.due_on, p.need_service));
        }
        let (end, by_law) = p.horizon();
        if end - Duration::days(i64::from(notice_days)) <= until {
            out.push(item(Due::ExpectedEnd { by_law }, end, p.need_service));
        }
    }
    out
}
