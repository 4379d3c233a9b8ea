//! Every operation of the product, as one `Request`.

use serde::{Deserialize, Serialize};

use super::{Counted, Cursor, FamilyFilter, NeedFilter, PlacementFilter, ProposalFilter};
use crate::model::*;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Request {
    /// Who the bank takes the caller for.
    Whoami,
    /// Figures of the bank: counts, size on disk.
    Info,
    /// Makes `admin` (the caller when `None`) the first administrator of a
    /// new bank and seeds the Ambito di Dalmine. Only the server's own Unix
    /// user (or root) may.
    Init {
        admin: Option<String>,
    },

    AmbitSave {
        input: AmbitInput,
        base_revision: Option<u64>,
    },
    AmbitGet {
        name: String,
    },
    AmbitList {
        after: Option<Cursor>,
        limit: Option<usize>,
    },

    ServiceCreate {
        input: ServiceInput,
    },
    ServiceUpdate {
        code: ServiceCode,
        base_revision: u64,
        input: ServiceInput,
    },
    ServiceGet {
        code: ServiceCode,
    },
    ServiceList {
        after: Option<Cursor>,
        limit: Option<usize>,
    },

    OperatorCreate {
        user: String,
        input: OperatorInput,
    },
    OperatorUpdate {
        user: String,
        base_revision: u64,
        input: OperatorInput,
    },
    OperatorGet {
        user: String,
    },
    OperatorList {
        service: Option<ServiceCode>,
        after: Option<Cursor>,
        limit: Option<usize>,
    },

    FamilyCreate {
        input: FamilyInput,
    },
    FamilyUpdate {
        code: FamilyCode,
        base_revision: u64,
        input: FamilyInput,
    },
    FamilyGet {
        code: FamilyCode,
    },
    FamilyList {
        filter: FamilyFilter,
    },
    /// A first contact: a family recorded with only what is known
    /// (status interessata, availability "not yet known").
    FamilyEnquiry {
        input: EnquiryInput,
    },
    /// A step of a family's pathway; the family's status follows from it.
    FamilyStep {
        code: FamilyCode,
        base_revision: u64,
        step: StepInput,
    },
    /// An entry of a family's support log (`recorded_by` is the caller's).
    FamilySupport {
        code: FamilyCode,
        base_revision: u64,
        entry: SupportEntry,
    },
    /// Everything due for a service up to `days` from today: revisions of
    /// idoneità, idle pathways, families waiting, reviews, court reports,
    /// expected ends. The caller's service when `service` is `None`.
    Due {
        service: Option<ServiceCode>,
        days: u16,
    },
    /// Enquiries by source, conversion to idoneità and time to it.
    Recruitment {
        service: Option<ServiceCode>,
        since: Option<time::Date>,
    },

    EventCreate {
        input: EventInput,
    },
    EventUpdate {
        code: EventCode,
        base_revision: u64,
        input: EventInput,
    },
    EventGet {
        code: EventCode,
    },
    /// Newest first; of one kind, from a day on.
    EventList {
        kind: Option<EventKind>,
        from: Option<time::Date>,
        after: Option<Cursor>,
        limit: Option<usize>,
    },

    /// An administrator reads a family's or a child's identity (`F-…` or
    /// `R-…`) in an emergency, giving the reason: the one way an
    /// administrator ever sees one, audited with the reason.
    EmergencyRead {
        code: String,
        reason: String,
    },

    NeedCreate {
        input: NeedInput,
    },
    NeedUpdate {
        code: NeedCode,
        base_revision: u64,
        input: NeedInput,
    },
    NeedGet {
        code: NeedCode,
    },
    /// A need's shared view only, for a list's row: no identity, so no
    /// identity read on record (`NeedGet` shows and records it where allowed).
    NeedShared {
        code: NeedCode,
    },
    NeedList {
        filter: NeedFilter,
    },

    /// Candidate families for a need, best first; with `why_not`, the
    /// verdict on one family too.
    MatchNeed {
        need: NeedCode,
        limit: usize,
        why_not: Option<FamilyCode>,
        /// Families, reception services or both (`limit` each).
        hosts: super::Hosts,
    },
    /// Reception services with a place for a child described by profile
    /// ("who has a place tonight for a 15-year-old boy"); nothing stored.
    Places {
        profile: super::ChildProfile,
        limit: usize,
    },
    /// The directory (mappatura): every service, reception services with
    /// their places; public data only.
    Directory {
        filter: super::DirectoryFilter,
    },
    /// Figures for the coordination: indicators at a date and over a
    /// period, for a territory (and the province beside it).
    Figures {
        query: super::FiguresQuery,
    },
    /// A reception service declares its vacant places.
    VacancyDeclare {
        service: ServiceCode,
        input: crate::model::VacancyInput,
    },
    /// The child's service proposes a need (with its siblings) to a reception service.
    ProposeService {
        need: NeedCode,
        service: ServiceCode,
        note: String,
    },
    /// Open needs a family could take, best first.
    MatchFamily {
        family: FamilyCode,
        limit: usize,
    },
    /// Candidate families for a child described by profile (the phone
    /// call), ranked as a recorded need would be; nothing is stored.
    Available {
        profile: super::ChildProfile,
        limit: usize,
    },

    /// The child's service proposes a family for a need (and its siblings).
    ProposalCreate {
        need: NeedCode,
        family: FamilyCode,
        note: String,
    },
    /// A step of a proposal: under review, accepted, declined (family's
    /// service) or withdrawn (child's service). Started comes with `PlacementStart`.
    ProposalStep {
        code: ProposalCode,
        base_revision: u64,
        to: ProposalStatus,
        note: String,
    },
    ProposalGet {
        code: ProposalCode,
    },
    /// A proposal with what its card shows: each child's shared profile
    /// (never an identity), the family's shared profile, both services'
    /// contacts. Whoever may read the proposal may read this.
    ProposalView {
        code: ProposalCode,
    },
    ProposalList {
        filter: ProposalFilter,
    },

    /// Opens the placement of an accepted proposal.
    PlacementStart {
        proposal: ProposalCode,
        base_revision: u64,
        plan: FosterPlan,
    },
    PlacementPlan {
        code: PlacementCode,
        base_revision: u64,
        plan: FosterPlan,
    },
    /// A formal review (meets the next planned date) or a contact note.
    PlacementReview {
        code: PlacementCode,
        base_revision: u64,
        date: time::Date,
        note: String,
        kind: ReviewKind,
    },
    /// An extension past the expected end, with its decision.
    PlacementExtend {
        code: PlacementCode,
        base_revision: u64,
        decided_on: time::Date,
        until: time::Date,
        decided_by: Decider,
        note: String,
    },
    /// A report due to the court (`sent_on` `None`), or one sent: the
    /// report due on `due_on` is marked sent, or added already sent.
    PlacementCourtReport {
        code: PlacementCode,
        base_revision: u64,
        due_on: time::Date,
        sent_on: Option<time::Date>,
        note: String,
    },
    PlacementClose {
        code: PlacementCode,
        base_revision: u64,
        date: time::Date,
        outcome: PlacementOutcome,
        note: String,
    },
    PlacementGet {
        code: PlacementCode,
    },
    PlacementList {
        filter: PlacementFilter,
    },
    /// How many records the same list would give, all its pages together:
    /// the same access rules and filters (`limit` and `after` aside).
    Count {
        of: Counted,
    },

    /// Quick lookup over every record the caller may find: free text and
    /// filters (`kind:famiglia stato:idonea servizio:S-003 comune:dalmine`).
    Search {
        query: String,
        limit: usize,
    },

    /// A consistent snapshot of the whole bank as JSON Lines.
    Export,
    /// Restores an export into an empty bank: all or nothing. Only the
    /// server's own Unix user (or root) may.
    Import {
        lines: Vec<String>,
    },

    /// Checks the whole bank (records, indexes, counters, audit chain,
    /// quarantine); with `repair`, rebuilds what can be rebuilt and sets
    /// aside what cannot. Administrators and the server's own user only.
    Doctor {
        repair: bool,
    },
    /// Every quarantined record with its raw bytes, for an administrator to inspect.
    QuarantineExport,

    /// Newest first; `limit` is the page's size.
    AuditList {
        record: Option<String>,
        limit: usize,
        after: Option<Cursor>,
    },
    AuditVerify,
}

impl Request {
    /// A read changes nothing the operator asked for, so a client may send
    /// it again after a lost connection. (Reading a child's identity writes
    /// an audit entry; reading twice is recorded twice, which is right: an
    /// emergency read too.)
    pub fn is_read(&self) -> bool {
        use Request::*;
        matches!(
            self,
            Whoami
                | Info
                | AmbitGet { .. }
                | AmbitList { .. }
                | ServiceGet { .. }
                | ServiceList { .. }
                | OperatorGet { .. }
                | OperatorList { .. }
                | FamilyGet { .. }
                | FamilyList { .. }
                | Due { .. }
                | Recruitment { .. }
                | EventGet { .. }
                | EventList { .. }
                | EmergencyRead { .. }
                | NeedGet { .. }
                | NeedShared { .. }
                | NeedList { .. }
                | MatchNeed { .. }
                | MatchFamily { .. }
                | Available { .. }
                | Places { .. }
                | Directory { .. }
                | Figures { .. }
                | ProposalGet { .. }
                | ProposalView { .. }
                | ProposalList { .. }
                | PlacementGet { .. }
                | PlacementList { .. }
                | Count { .. }
                | Search { .. }
                | AuditList { .. }
                | AuditVerify
                | Doctor { repair: false }
                | QuarantineExport
        )
    }

    /// Requests whose answer the server builds from many records, or
    /// which hold a whole bank in memory: every list page, the export and
    /// import, the audit chain's check. The server admits only so many at
    /// once (see `server::admission`).
    pub fn is_heavy(&self) -> bool {
        use Request::*;
        matches!(
            self,
            AmbitList { .. }
                | Directory { .. }
                | Figures { .. }
                | ServiceList { .. }
                | OperatorList { .. }
                | FamilyList { .. }
                | Due { .. }
                | Recruitment { .. }
                | EventList { .. }
                | NeedList { .. }
                | ProposalList { .. }
                | PlacementList { .. }
                | Count { .. }
                | AuditList { .. }
                | AuditVerify
                | Export
                | Import { .. }
        )
    }
}

impl Request {
    /// The same list request for the page starting after `next` (any other
    /// request comes back as it was).
    pub fn page_after(mut self, next: Option<Cursor>) -> Request {
        use Request::*;
        match &mut self {
            FamilyList { filter } => filter.after = next,
            NeedList { filter } => filter.after = next,
            ProposalList { filter } => filter.after = next,
            PlacementList { filter } => filter.after = next,
            AmbitList { after, .. }
            | ServiceList { after, .. }
            | OperatorList { after, .. }
            | EventList { after, .. }
            | AuditList { after, .. } => *after = next,
            _ => {}
        }
        self
    }
}
