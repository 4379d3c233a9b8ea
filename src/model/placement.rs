//! A placement (affido): the started match, its foster plan, its reviews
//! (verifiche) and how it ended (esito).

use serde::{Deserialize, Serialize};
use time::Date;

use super::codes::{FamilyCode, NeedCode, PlacementCode, ProposalCode, ServiceCode};
use super::fields::Field;
use super::meta::{Context, Meta};
use super::need::OriginContact;
use super::problem::{Problems, Reason};
use super::vocabulary::{PlacementKind, PlacementOutcome};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    pub code: PlacementCode,
    pub proposal: ProposalCode,
    /// The children placed: the need proposed first, then its siblings.
    pub needs: Vec<NeedCode>,
    pub family: FamilyCode,
    pub need_service: ServiceCode,
    pub family_service: ServiceCode,
    pub kind: PlacementKind,
    pub plan: FosterPlan,
    pub reviews: Vec<Review>,
    pub closing: Option<Closing>,
    pub meta: Meta,
}

/// The essentials of the progetto di affido.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FosterPlan {
    pub start: Date,
    pub expected_end: Option<Date>,
    /// Duration agreed in the plan (months), when there is one.
    pub duration_months: Option<u16>,
    /// Contact with the family of origin.
    pub contact: OriginContact,
    pub contact_notes: String,
    /// Planned reviews (verifiche).
    pub review_dates: Vec<Date>,
    /// Commitments of the family, the services and the family of origin.
    pub commitments: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub date: Date,
    pub note: String,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closing {
    pub date: Date,
    pub outcome: PlacementOutcome,
    pub note: String,
    pub by: String,
}

use super::limits;
pub use super::limits::{MAX_PLAN_TEXT, MAX_REVIEW_DATES};

impl Placement {
    pub fn is_active(&self) -> bool {
        self.closing.is_none()
    }

    pub fn places(&self) -> u8 {
        self.needs.len().min(u8::MAX as usize) as u8
    }

    /// The next planned review not held yet: the planned dates in order,
    /// one for each review recorded. It may be past (overdue): a review
    /// missed stays due until one is recorded.
    pub fn next_review(&self) -> Option<Date> {
        let mut planned = self.plan.review_dates.clone();
        planned.sort();
        planned.get(self.reviews.len()).copied()
    }

    /// The next review is due by the end of `today`'s month (overdue included).
    pub fn review_due(&self, today: Date) -> bool {
        let end_of_month = (today.year(), today.month());
        self.is_active() && self.next_review().is_some_and(|d| (d.year(), d.month()) <= end_of_month)
    }
}

impl FosterPlan {
    pub fn validate(&self, cx: &Context) -> Problems {
        let mut p = Problems::new();
        // A placement under way may be recorded late, or planned a little ahead.
        p.check_date(Field::PlanStart, self.start, limits::PLACEMENT_START, cx.today);
        if let Some(end) = self.expected_end {
            if end <= self.start {
                p.push(Field::PlanExpectedEnd, Reason::NotAfter { other_field: Field::PlanStart });
            } else {
                p.check_date(Field::PlanExpectedEnd, end, limits::PLACEMENT_PLANNED, cx.today);
            }
        }
        if let Some(m) = self.duration_months {
            p.check_range(Field::PlanDurationMonths, m as i64, 1, 300);
        }
        p.limit_text(Field::PlanContactNotes, &self.contact_notes, MAX_PLAN_TEXT);
        p.limit_text(Field::PlanCommitments, &self.commitments, MAX_PLAN_TEXT);
        p.limit_count(Field::PlanReviewDates, self.review_dates.len(), MAX_REVIEW_DATES);
        for (i, d) in self.review_dates.iter().enumerate().take(MAX_REVIEW_DATES) {
            if *d < self.start {
                p.push(Field::PlanReviewDates.at(i), Reason::NotAfter { other_field: Field::PlanStart });
            } else {
                p.check_date(Field::PlanReviewDates.at(i), *d, limits::PLACEMENT_PLANNED, cx.today);
            }
        }
        p
    }
}

impl Review {
    pub fn validate(&self, cx: &Context, start: Date) -> Problems {
        let mut p = Problems::new();
        if self.date < start {
            p.push(Field::ReviewDate, Reason::NotAfter { other_field: Field::PlanStart });
        } else {
            p.check_date(Field::ReviewDate, self.date, limits::PLACEMENT_EVENT, cx.today);
        }
        p.require_text(Field::ReviewNote, &self.note, MAX_PLAN_TEXT);
        p
    }
}

impl Closing {
    pub fn validate(&self, cx: &Context, start: Date) -> Problems {
        let mut p = Problems::new();
        if self.date < start {
            p.push(Field::ClosingDate, Reason::NotAfter { other_field: Field::PlanStart });
        } else {
            p.check_date(Field::ClosingDate, self.date, limits::PLACEMENT_EVENT, cx.today);
        }
        p.limit_text(Field::ClosingNote, &self.note, MAX_PLAN_TEXT);
        p
    }
}
