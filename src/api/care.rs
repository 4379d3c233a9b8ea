//! The wire's types of the families' pathway and care: what is due (the
//! reminders), the network's events as a caller may see them, and the
//! recruitment figures.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::model::*;

/// Everything due for the caller's service (or the one asked for) up to a
/// date: overdue first, then by date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueList {
    pub today: Date,
    /// The last day looked at (today plus the horizon asked for).
    pub until: Date,
    pub items: Vec<DueItem>,
    /// More were due than a list may hold.
    pub truncated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueItem {
    pub what: Due,
    /// The day it is (or was) due.
    pub on: Date,
    pub overdue: bool,
    /// The record to open: `F-…` or `A-…`.
    pub record: String,
    /// The service that must act.
    pub service: ServiceCode,
}

/// What is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Due {
    /// The idoneità's periodic revision.
    ApprovalRevision,
    /// An enquiry or assessment with no step since `last_step` (weeks).
    IdlePathway { last_step: Date },
    /// Approved since `approved_on`, never proposed for a child since, and
    /// not heard for three months (its availability not confirmed).
    WaitingSinceApproval { approved_on: Date },
    /// A placement's planned formal review.
    Review,
    /// A report due to the juvenile court.
    CourtReport,
    /// A placement's expected end (or the 24 months of law, `by_law`).
    ExpectedEnd { by_law: bool },
}

/// A network event as the caller may see it: every service sees the
/// event and how many families attended; a service sees which of its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    pub code: EventCode,
    pub revision: u64,
    /// `None`: the provincial coordination.
    pub organiser: Option<ServiceCode>,
    /// The service's name (empty for the coordination: worded at the edge).
    pub organiser_name: String,
    pub details: EventInput,
    /// Families that attended, all services together.
    pub attended: u32,
    /// The caller's own families among them (all for the coordination), on
    /// the event's card; a list carries the count only.
    pub ours: Vec<Attendee>,
    pub meta: Meta,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    pub family: FamilyCode,
    /// The adults' names.
    pub names: String,
    pub status: FamilyStatus,
}

/// Recruitment figures of a service (or the whole bank, for the coordination).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecruitmentFigures {
    pub service: Option<ServiceCode>,
    /// Enquiries first made on or after this day (all when `None`).
    pub since: Option<Date>,
    pub today: Date,
    /// One row per source, the unknown source last.
    pub by_source: Vec<SourceRow>,
    pub total: SourceRow,
    /// Days from the first contact to idoneità, over the families approved.
    pub days_to_approval: Option<Spread>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRow {
    pub source: Option<EnquirySource>,
    pub enquiries: u32,
    /// Still on the way: enquiring or under assessment.
    pub in_progress: u32,
    /// Approved (idonea, sospesa since, or through a revision).
    pub approved: u32,
    pub not_approved: u32,
    pub withdrawn: u32,
}

impl SourceRow {
    pub fn empty(source: Option<EnquirySource>) -> SourceRow {
        SourceRow { source, enquiries: 0, in_progress: 0, approved: 0, not_approved: 0, withdrawn: 0 }
    }

    /// Approved over the enquiries that reached a decision or left, in percent.
    pub fn conversion_percent(&self) -> Option<u32> {
        (self.enquiries > 0).then(|| (self.approved * 100 + self.enquiries / 2) / self.enquiries)
    }
}

/// Median and quartiles, in days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spread {
    pub count: u32,
    pub median: u32,
    pub lower_quartile: u32,
    pub upper_quartile: u32,
}

impl Spread {
    /// Of `values` (any order); `None` when there are none.
    pub fn of(mut values: Vec<u32>) -> Option<Spread> {
        if values.is_empty() {
            return None;
        }
        values.sort_unstable();
        let at = |q: usize| values[(values.len() - 1) * q / 4];
        Some(Spread { count: values.len() as u32, median: at(2), lower_quartile: at(1), upper_quartile: at(3) })
    }
}

/// A family's pathway as its service and the coordination see it, with
/// the steps it may take next (the expected one first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathwayView {
    pub pathway: Pathway,
    pub next_steps: Vec<StepKind>,
}
