//! Figures for the coordination: the indicators the core counts for a
//! date and a period over a territory, as typed tables (the edge gives
//! them words), with the classes of the Ministry's annual survey of
//! children living away from their family of origin.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::model::vocabulary::{ClosingReason, PlacementKind, PlacementOutcome, Sex};
use crate::model::{ComuneCode, FamilyStatus, Relationship, ServiceCode, ServiceKind};

/// Where the figures are counted. A family counts where it lives, a child
/// where it lives (the need's comune), a placement where its child lived;
/// `Service`: the service's own families, children and placements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Territory {
    Province,
    /// An ambito, by name.
    Ambit(String),
    /// A presidio of an ambito.
    District {
        ambit: String,
        name: String,
    },
    Comune(ComuneCode),
    Service(ServiceCode),
}

/// What to count: the date stocks are counted at, the period flows are
/// counted over (both ends included), where, and for whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiguresQuery {
    /// Default: today.
    pub at: Option<Date>,
    /// Default: 1 January of `at`'s year.
    pub from: Option<Date>,
    /// Default: 31 December of `from`'s year.
    pub to: Option<Date>,
    /// Default: the caller's service, or the province for the coordination.
    pub territory: Option<Territory>,
    /// Only these tables (none: every one).
    pub only: Vec<Indicator>,
    /// The figures leave the service (a file, a document for the minutes):
    /// small cells are hidden whoever asks.
    pub leaving: bool,
}

impl FiguresQuery {
    pub fn at(at: Option<Date>) -> FiguresQuery {
        FiguresQuery { at, from: None, to: None, territory: None, only: vec![], leaving: false }
    }
}

/// The default threshold under which a cell leaving its service is hidden.
pub const DEFAULT_SMALL_CELL: u32 = 3;

/// The most months a series spans (a period longer than that is refused).
pub const MAX_SERIES_MONTHS: usize = 120;

/// One indicator: what is counted. Order is the report's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Indicator {
    /// Families known at the date, by stage of their pathway.
    FamiliesByStage,
    /// Idonee with a free place at the date, by kind of placement offered.
    FamiliesAvailable,
    /// Places: offered by the idonee, taken, free; profiles to confirm.
    FamilyPlaces,
    /// Days from the first contact to idoneità, for families approved in the period.
    EnquiryToApproval,
    /// Idonee at the date never placed since their approval, and for how long.
    WaitingSinceApproval,
    /// Needs open at the date, by kind of placement.
    NeedsOpenByKind,
    NeedsOpenByUrgency,
    NeedsOpenByAge,
    NeedsOpenBySex,
    /// How long the needs open at the date have waited.
    NeedsWaiting,
    /// Needs recorded in the period, and those closed in it by reason.
    NeedsClosed,
    /// Children in placement at the date, by each class of the survey.
    PlacementsInCourse,
    /// Children whose placement started in the period.
    PlacementsStarted,
    /// Children whose placement ended in the period, with the outcome.
    PlacementsEnded,
    /// Proposals made, accepted, declined (with reasons), time to an answer.
    Proposals,
    /// Families lent to and borrowed from other services, per service.
    Reciprocity,
    /// Reception services: licensed places, occupied, declared free.
    ReceptionPlaces,
    /// Month by month over the period.
    Monthly,
}

impl Indicator {
    pub const ALL: [Indicator; 18] = [
        Indicator::FamiliesByStage,
        Indicator::FamiliesAvailable,
        Indicator::FamilyPlaces,
        Indicator::EnquiryToApproval,
        Indicator::WaitingSinceApproval,
        Indicator::NeedsOpenByKind,
        Indicator::NeedsOpenByUrgency,
        Indicator::NeedsOpenByAge,
        Indicator::NeedsOpenBySex,
        Indicator::NeedsWaiting,
        Indicator::NeedsClosed,
        Indicator::PlacementsInCourse,
        Indicator::PlacementsStarted,
        Indicator::PlacementsEnded,
        Indicator::Proposals,
        Indicator::Reciprocity,
        Indicator::ReceptionPlaces,
        Indicator::Monthly,
    ];

    /// The tables the Region's annual survey asks for.
    pub const ANNUAL: [Indicator; 6] = [
        Indicator::PlacementsInCourse,
        Indicator::PlacementsStarted,
        Indicator::PlacementsEnded,
        Indicator::NeedsOpenByAge,
        Indicator::NeedsClosed,
        Indicator::FamiliesByStage,
    ];

    /// The name it is asked for by (`banca report families-available`).
    pub fn token(self) -> &'static str {
        match self {
            Indicator::FamiliesByStage => "families-by-stage",
            Indicator::FamiliesAvailable => "families-available",
            Indicator::FamilyPlaces => "family-places",
            Indicator::EnquiryToApproval => "enquiry-to-approval",
            Indicator::WaitingSinceApproval => "waiting-since-approval",
            Indicator::NeedsOpenByKind => "needs-by-kind",
            Indicator::NeedsOpenByUrgency => "needs-by-urgency",
            Indicator::NeedsOpenByAge => "needs-by-age",
            Indicator::NeedsOpenBySex => "needs-by-sex",
            Indicator::NeedsWaiting => "needs-waiting",
            Indicator::NeedsClosed => "needs-closed",
            Indicator::PlacementsInCourse => "placements-in-course",
            Indicator::PlacementsStarted => "placements-started",
            Indicator::PlacementsEnded => "placements-ended",
            Indicator::Proposals => "proposals",
            Indicator::Reciprocity => "reciprocity",
            Indicator::ReceptionPlaces => "reception-places",
            Indicator::Monthly => "monthly",
        }
    }

    pub fn parse(token: &str) -> Option<Indicator> {
        Indicator::ALL.into_iter().find(|i| i.token() == token.trim())
    }

    /// Counts children (needs, placements, proposals): hidden when small
    /// wherever they leave the children's service. Family figures are the
    /// coordination's to see whole.
    pub fn counts_children(self) -> bool {
        !matches!(
            self,
            Indicator::FamiliesByStage
                | Indicator::FamiliesAvailable
                | Indicator::FamilyPlaces
                | Indicator::EnquiryToApproval
                | Indicator::WaitingSinceApproval
        )
    }
}

/// Age at the date counted (stocks) or at the event (flows): the survey's classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgeClass {
    From0To2,
    From3To5,
    From6To10,
    From11To14,
    From15To17,
    /// 18–21: young adults still placed (prosieguo amministrativo).
    Over17,
}

impl AgeClass {
    pub const ALL: [AgeClass; 6] = [
        AgeClass::From0To2,
        AgeClass::From3To5,
        AgeClass::From6To10,
        AgeClass::From11To14,
        AgeClass::From15To17,
        AgeClass::Over17,
    ];

    pub fn of_years(years: u32) -> AgeClass {
        match years {
            0..=2 => AgeClass::From0To2,
            3..=5 => AgeClass::From3To5,
            6..=10 => AgeClass::From6To10,
            11..=14 => AgeClass::From11To14,
            15..=17 => AgeClass::From15To17,
            _ => AgeClass::Over17,
        }
    }
}

/// How long a placement has lasted (at the date) or lasted (when it ended).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DurationClass {
    UnderOneYear,
    OneToTwo,
    TwoToFour,
    OverFour,
}

impl DurationClass {
    pub const ALL: [DurationClass; 4] =
        [DurationClass::UnderOneYear, DurationClass::OneToTwo, DurationClass::TwoToFour, DurationClass::OverFour];

    /// Whole months lasted: under 12, 12–23, 24–47, 48 and over.
    pub fn of_months(months: u32) -> DurationClass {
        match months {
            0..=11 => DurationClass::UnderOneYear,
            12..=23 => DurationClass::OneToTwo,
            24..=47 => DurationClass::TwoToFour,
            _ => DurationClass::OverFour,
        }
    }
}

/// The legal basis of a placement, as the survey classes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalClass {
    Consensual,
    Judicial,
    Art403,
}

/// Who the child is placed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HostClass {
    /// A foster family, kin or not (`Relationship`).
    Family(Option<Relationship>),
    /// A reception service, by its kind.
    Service(ServiceKind),
}

/// Foreign and unaccompanied children. banca records no citizenship: a
/// child counts as foreign when born abroad (its fiscal code names a
/// foreign state) or unaccompanied (MSNA).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Not known to be foreign.
    Italian,
    /// Born abroad, accompanied.
    Foreign,
    /// Unaccompanied foreign minor.
    Unaccompanied,
}

/// A measure of a table that is not a breakdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Places the idonee offer (their maximum of children).
    PlacesOffered,
    /// Taken by placements in course and accepted proposals.
    PlacesTaken,
    PlacesFree,
    /// Idonee whose availability is to be confirmed.
    StaleProfiles,
    /// How many the times below are taken over.
    Counted,
    MedianDays,
    P90Days,
    /// Waiting over 90 days.
    Over90Days,
    /// Needs recorded in the period.
    Recorded,
    Made,
    Accepted,
    Declined,
    Withdrawn,
    /// Still without an answer at the end of the period.
    Pending,
    /// Median days from a proposal to its answer.
    MedianDaysToAnswer,
    /// A decline, with its reason (the operator's words are not counted).
    DeclinedBecause(DeclineClass),
    Licensed,
    Occupied,
    DeclaredFree,
    /// Declared over `vacancy_stale_days` ago.
    DeclaredStale,
    Services,
    /// Families of this service in placement with another service's children.
    Lent,
    /// This service's children placed with another service's families.
    Borrowed,
    /// Lent minus borrowed.
    Balance,
}

/// Why a proposal ended without a placement, as far as banca knows it
/// (the operator's own words are not counted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeclineClass {
    /// Declined by the family's (or the reception) service.
    ByHost,
    /// Withdrawn by the child's service.
    ByChildService,
    /// Withdrawn by the bank: the need was closed.
    NeedClosed,
    /// Withdrawn by the bank: the child was placed through another proposal.
    PlacedElsewhere,
    /// Withdrawn by the bank: the family's places were taken.
    NoPlaceLeft,
}

/// What a row counts: a total, a class of a breakdown, a measure, a
/// service or a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowKey {
    Total,
    Stage(FamilyStatus),
    Kind(PlacementKind),
    Emergency(bool),
    Age(AgeClass),
    Sex(Sex),
    Legal(LegalClass),
    Host(HostClass),
    Origin(Origin),
    Duration(DurationClass),
    Outcome(PlacementOutcome),
    Closed(ClosingReason),
    /// A measure of the reception services of one kind.
    ReceptionKind(ServiceKind, Measure),
    Service(ServiceCode, Measure),
    Month {
        year: i32,
        month: u8,
    },
    Measure(Measure),
}

/// One figure as the caller may see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cell {
    Count(u64),
    /// Under the threshold: 1 to threshold − 1, never said which.
    Small,
    /// Hidden although not small: with the total and the other cells of
    /// its breakdown it would give a small cell away.
    Hidden,
    /// Days (a median, a percentile); `None`: nothing to take it over.
    Days(Option<u32>),
    /// A signed balance (lent − borrowed).
    Signed(i64),
}

/// The monthly columns of `Indicator::Monthly`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Series {
    /// Idonee with a free place at the month's end.
    FamiliesAvailable,
    /// Needs open at the month's end.
    NeedsOpen,
    /// Needs recorded in the month.
    NeedsRecorded,
    /// Children whose placement started in the month.
    PlacementsStarted,
    PlacementsEnded,
    /// Children in placement at the month's end.
    PlacementsInCourse,
    ProposalsMade,
}

impl Series {
    pub const ALL: [Series; 7] = [
        Series::FamiliesAvailable,
        Series::NeedsOpen,
        Series::NeedsRecorded,
        Series::PlacementsStarted,
        Series::PlacementsEnded,
        Series::PlacementsInCourse,
        Series::ProposalsMade,
    ];
}

/// One row: its key, a group it belongs to within the table (a
/// breakdown's name, so a table can hold several), its cells (one per area).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    pub group: Group,
    pub key: RowKey,
    pub cells: Vec<Cell>,
}

/// Which breakdown of a table a row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    All,
    Kind,
    Urgency,
    Age,
    Sex,
    Legal,
    Host,
    Origin,
    Duration,
    Outcome,
    Reason,
    Places,
    Time,
    Service,
    Month(Series),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub indicator: Indicator,
    pub rows: Vec<Row>,
}

/// The figures asked for: one column per area (the territory asked, then
/// the province beside it when the territory is narrower).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub at: Date,
    pub from: Date,
    pub to: Date,
    pub areas: Vec<Territory>,
    /// Cells under it are `Cell::Small` wherever they leave their service.
    pub threshold: u32,
    pub tables: Vec<Table>,
    /// Families available and open needs per comune, for the map (the
    /// first area's; small counts hidden as in the tables).
    pub map: Vec<ComuneFigure>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComuneFigure {
    pub comune: ComuneCode,
    pub families_available: Cell,
    pub needs_open: Cell,
}

impl Figures {
    pub fn table(&self, indicator: Indicator) -> Option<&Table> {
        self.tables.iter().find(|t| t.indicator == indicator)
    }

    /// The first area's cell of a row, when the table has it.
    pub fn cell(&self, indicator: Indicator, group: Group, key: RowKey) -> Option<Cell> {
        self.table(indicator)?.rows.iter().find(|r| r.group == group && r.key == key)?.cells.first().copied()
    }
}

impl Cell {
    /// The exact count, when it may be seen.
    pub fn count(self) -> Option<u64> {
        match self {
            Cell::Count(n) => Some(n),
            _ => None,
        }
    }
}
