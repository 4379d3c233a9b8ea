//! A placement (affido): the started match, its foster plan, its reviews
//! (verifiche) and how it ended (esito).

use serde::{Deserialize, Serialize};
use time::Date;

use super::codes::{FamilyCode, NeedCode, PlacementCode, ProposalCode, ServiceCode};
use super::fields::Field;
use super::meta::{Context, Meta};
use super::need::OriginContact;
use super::problem::{Problems, Reason};
use super::vocabulary::{fold_token, PlacementKind, PlacementOutcome};
use super::Lang;

vocabulary! {
    /// With relatives or with another family: on every placement.
    pub enum Relationship {
        Kinship => ("kinship", "intrafamiliare", "intrafamiliare (parenti)", "kinship (relatives)"),
        NonKin => ("non_kin", "eterofamiliare", "eterofamiliare", "non-kin"),
    }
}

vocabulary! {
    /// A formal review (verifica) meets a planned date; a contact note does not.
    pub enum ReviewKind {
        Formal => ("formal", "verifica", "verifica", "formal review"),
        Contact => ("contact", "contatto", "nota di contatto", "contact note"),
    }
}

vocabulary! {
    /// Who decided an extension (proroga).
    pub enum Decider {
        Court => ("court", "tribunale", "Tribunale per i minorenni", "juvenile court"),
        Service => ("service", "servizio", "servizio (affido consensuale)", "service (consensual placement)"),
    }
}

/// Law 184/1983 art. 4: a placement lasts at most 24 months unless extended.
pub const HORIZON_MONTHS: u32 = 24;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    pub code: PlacementCode,
    pub proposal: ProposalCode,
    /// The children placed: the need proposed first, then its siblings.
    pub needs: Vec<NeedCode>,
    /// The foster family; none for a placement in a reception service,
    /// which `family_service` then names.
    pub family: Option<FamilyCode>,
    pub need_service: ServiceCode,
    /// The family's service, or the reception service the child is in.
    pub family_service: ServiceCode,
    pub kind: PlacementKind,
    pub plan: FosterPlan,
    pub reviews: Vec<Review>,
    pub closing: Option<Closing>,
    pub meta: Meta,
    /// Extensions past the expected end, oldest first (none in exports before version 7).
    #[serde(default)]
    pub extensions: Vec<Extension>,
    /// Reports due to the juvenile court, by due date.
    #[serde(default)]
    pub court_reports: Vec<CourtReport>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub decided_on: Date,
    /// The new expected end.
    pub until: Date,
    pub decided_by: Decider,
    pub note: String,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourtReport {
    pub due_on: Date,
    pub sent_on: Option<Date>,
    pub note: String,
    pub by: String,
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
    /// Kinship or non-kin: required of every plan saved from format 3 on
    /// (older placements read `None`, "not recorded").
    #[serde(default)]
    pub relationship: Option<Relationship>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub date: Date,
    pub note: String,
    pub by: String,
    /// Every review before version 7 met a planned date: formal.
    #[serde(default = "ReviewKind::formal")]
    pub kind: ReviewKind,
}

impl ReviewKind {
    fn formal() -> ReviewKind {
        ReviewKind::Formal
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closing {
    pub date: Date,
    pub outcome: PlacementOutcome,
    pub note: String,
    pub by: String,
}

use super::limits;
pub use super::limits::{MAX_COURT_REPORTS, MAX_EXTENSIONS, MAX_PLAN_TEXT, MAX_REVIEW_DATES};

impl Placement {
    /// Where the children go, as a list names it: the family's code, or
    /// the reception service's.
    pub fn host_code(&self) -> String {
        self.family.map_or_else(|| self.family_service.to_string(), |f| f.to_string())
    }

    pub fn is_active(&self) -> bool {
        self.closing.is_none()
    }

    pub fn places(&self) -> u8 {
        self.needs.len().min(u8::MAX as usize) as u8
    }

    /// The next planned review not held yet: the planned dates in order,
    /// one for each formal review recorded (a contact note meets none). It
    /// may be past (overdue): a review missed stays due until one is held.
    pub fn next_review(&self) -> Option<Date> {
        let mut planned = self.plan.review_dates.clone();
        planned.sort();
        let held = self.reviews.iter().filter(|r| r.kind == ReviewKind::Formal).count();
        planned.get(held).copied()
    }

    /// The next review's date is past and no formal review met it.
    pub fn review_overdue(&self, today: Date) -> bool {
        self.is_active() && self.next_review().is_some_and(|d| d < today)
    }

    /// The next review falls in `today`'s month, from today on (an overdue
    /// one is `review_overdue`, apart).
    pub fn review_due(&self, today: Date) -> bool {
        self.is_active()
            && self.next_review().is_some_and(|d| d >= today && (d.year(), d.month()) == (today.year(), today.month()))
    }

    /// The end the placement now runs to: the last extension's, else the
    /// plan's (its date, or its start plus its duration).
    pub fn expected_end(&self) -> Option<Date> {
        self.extensions
            .iter()
            .map(|e| e.until)
            .max()
            .or(self.plan.expected_end)
            .or_else(|| self.plan.duration_months.map(|m| super::dates::add_months(self.plan.start, u32::from(m))))
    }

    /// The expected end, or the 24 months of law when the plan names none.
    pub fn horizon(&self) -> (Date, bool) {
        match self.expected_end() {
            Some(d) => (d, false),
            None => (super::dates::add_months(self.plan.start, HORIZON_MONTHS), true),
        }
    }

    /// Court reports not sent yet, earliest first.
    pub fn reports_pending(&self) -> impl Iterator<Item = &CourtReport> {
        self.court_reports.iter().filter(|r| r.sent_on.is_none())
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

impl FosterPlan {
    /// `validate` for a plan an operator saves now: kinship or non-kin is
    /// said on every placement (older ones, restored, may not say it).
    /// A new plan: with a family, kinship or non-kin must be said; in a
    /// reception service (`with_family` false) it does not apply.
    pub fn validate_new(&self, cx: &Context, with_family: bool) -> Problems {
        let mut p = self.validate(cx);
        match (with_family, self.relationship) {
            (true, None) => p.push(Field::PlanRelationship, Reason::Required),
            (false, Some(_)) => p.push(Field::PlanRelationship, Reason::NotForReception),
            _ => {}
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
        let max = match self.kind {
            ReviewKind::Formal => MAX_PLAN_TEXT,
            ReviewKind::Contact => limits::MAX_CONTACT_NOTE,
        };
        p.require_text(Field::ReviewNote, &self.note, max);
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

impl Extension {
    pub fn validate(&self, cx: &Context, start: Date, current_end: Date) -> Problems {
        let mut p = Problems::new();
        if self.decided_on < start {
            p.push(Field::ExtensionDecidedOn, Reason::NotAfter { other_field: Field::PlanStart });
        } else {
            p.check_date(Field::ExtensionDecidedOn, self.decided_on, limits::PLACEMENT_EVENT, cx.today);
        }
        if self.until <= current_end {
            p.push(Field::ExtensionUntil, Reason::NotAfter { other_field: Field::PlanExpectedEnd });
        } else {
            p.check_date(Field::ExtensionUntil, self.until, limits::PLACEMENT_PLANNED, cx.today);
        }
        p.limit_text(Field::ExtensionNote, &self.note, limits::MAX_FOLLOW_UP_NOTE);
        p
    }
}

impl CourtReport {
    pub fn validate(&self, cx: &Context, start: Date) -> Problems {
        let mut p = Problems::new();
        if self.due_on < start {
            p.push(Field::CourtReportDue, Reason::NotAfter { other_field: Field::PlanStart });
        } else {
            p.check_date(Field::CourtReportDue, self.due_on, limits::COURT_REPORT_DUE, cx.today);
        }
        if let Some(sent) = self.sent_on {
            if sent < start {
                p.push(Field::CourtReportSent, Reason::NotAfter { other_field: Field::PlanStart });
            } else {
                p.check_date(Field::CourtReportSent, sent, limits::PLACEMENT_EVENT, cx.today);
            }
        }
        p.limit_text(Field::CourtReportNote, &self.note, limits::MAX_FOLLOW_UP_NOTE);
        p
    }
}
