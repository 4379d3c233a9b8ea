//! The wire's own types: every operation as a `Request`, its `Reply` or
//! `BankError`, the views a caller may see, the caller (`Principal`) and
//! the live `Event`s. Shared by the core, the server and every client, so
//! everything here is plain serde data, and imports nothing but `model`:
//! the wire does not change when storage or an engine does.

mod audit;
mod care;
mod change;
mod doctor;
mod errors;
mod explain;
mod figures;
mod filters;
mod found;
mod offline;
mod page;
mod principal;
mod profile;
mod ranking;
mod reception;
mod reply;
mod request;
mod views;

pub use audit::{AuditAction, AuditEntry, ChainBreak, HashSegment, HashVersion, CATALOGUES};
pub use care::{Attendee, Due, DueItem, DueList, EventView, PathwayView, RecruitmentFigures, SourceRow, Spread};
pub use change::{Change, Event};
pub use doctor::*;
pub use errors::{BankError, HeavyScope, LineFault, LineProblem, Refusal};
pub use explain::{Criterion, CriterionKind, Exclusion, Fact, HardRule};
pub use figures::{
    AgeClass, Cell, ComuneFigure, DeclineClass, DurationClass, Figures, FiguresQuery, Group, HostClass, Indicator,
    LegalClass, Measure, Origin, Row, RowKey, Series, Table, Territory, DEFAULT_SMALL_CELL, MAX_SERIES_MONTHS,
};
pub use filters::{Counted, Direction, FamilyFilter, FamilySort, Near, NeedFilter, PlacementFilter, ProposalFilter};
pub use found::{Hit, HitKind, SearchResult};
pub use offline::{FolderFound, FolderProblem, OpenFailure, RestoreFailure, ServeFailure};
pub use page::{Cursor, Page};
pub use principal::Principal;
pub use profile::{kind_from_slots, ChildProfile, ProfileChild, ProfileRanking, Within};
pub use ranking::{Candidate, FamilyRanking, Fit, NeedCandidate, NeedRanking, Verdict};
pub use reception::{
    DirectoryEntry, DirectoryFilter, Hosts, Places, ServiceCandidate, ServiceRanking, MAX_DIRECTORY_ENTRIES,
    MAX_SERVICE_CANDIDATES,
};
pub use reply::{BankInfo, ImportSummary, Imported, Reply, Response, Revised, Saved};
pub use request::Request;
pub use views::{
    hidden_child_identity, Contact, FamilyPrivate, FamilyView, NeedView, ProposalView, SharedHousehold, SharedProfile,
};

/// Every kind of record, named once (`model::RecordKind`).
pub use crate::model::RecordKind;
