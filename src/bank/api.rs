//! The one API of the bank: every operation is a `Request`; the answer is a
//! `Reply` or a `BankError`. Shared by the core, the CLI and (next) the
//! socket protocol, so everything here is plain serde data.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::matching::{Criterion, Exclusion, HardRule};
use crate::model::*;
use crate::store::audit::{AuditEntry, ChainBreak};

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
    NeedList {
        filter: NeedFilter,
    },

    /// Candidate families for a need, best first; with `why_not`, the
    /// verdict on one family too.
    MatchNeed {
        need: NeedCode,
        limit: usize,
        why_not: Option<FamilyCode>,
    },
    /// Open needs a family could take, best first.
    MatchFamily {
        family: FamilyCode,
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
    PlacementReview {
        code: PlacementCode,
        base_revision: u64,
        date: time::Date,
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
                | EmergencyRead { .. }
                | NeedGet { .. }
                | NeedList { .. }
                | MatchNeed { .. }
                | MatchFamily { .. }
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
                | ServiceList { .. }
                | OperatorList { .. }
                | FamilyList { .. }
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
            | AuditList { after, .. } => *after = next,
            _ => {}
        }
        self
    }
}

impl Reply {
    /// Where the next page starts, when this is a page of a list with more after it.
    pub fn next_page(&self) -> Option<&Cursor> {
        use Reply::*;
        match self {
            Ambits(p) => p.next.as_ref(),
            Services(p) => p.next.as_ref(),
            Operators(p) => p.next.as_ref(),
            Families(p) => p.next.as_ref(),
            Needs(p) => p.next.as_ref(),
            Proposals(p) => p.next.as_ref(),
            Placements(p) => p.next.as_ref(),
            Audit(p) => p.next.as_ref(),
            _ => None,
        }
    }
}

/// Where the next page of a list starts: just after this key, in the
/// list's own order (the last record the previous page looked at). Opaque
/// to clients, which send back what they were given; the bank only ever
/// uses it as the bound of a range, so no value can do harm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor(Vec<u8>);

impl Cursor {
    pub(crate) fn at(key: &[u8]) -> Cursor {
        Cursor(key.to_vec())
    }

    pub(crate) fn key(&self) -> &[u8] {
        &self.0
    }
}

/// One page of a list, in the list's order (key order; newest first for
/// proposals, placements and the audit log), and where the next one starts
/// (`None`: this was the last). A page may hold fewer records than asked,
/// even none, and still have a next one: the bank stops after so many
/// records looked at or so many bytes built. No total: counting the
/// matches would mean walking the whole list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<Cursor>,
}

impl<T> Page<T> {
    /// A whole list in one page (tests, in-process callers).
    pub fn whole(items: Vec<T>) -> Page<T> {
        Page { items, next: None }
    }
}

/// A page reads as its records.
impl<T> std::ops::Deref for Page<T> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        &self.items
    }
}

impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a Page<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

pub type Response = Result<Reply, BankError>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reply {
    Whoami(Principal),
    Info(BankInfo),
    /// A write landed: the record's code and its new revision, and what changed.
    Saved(Saved),
    Ambit(Revised<Ambit>),
    Ambits(Page<Revised<Ambit>>),
    Service(Revised<Service>),
    Services(Page<Revised<Service>>),
    Operator(Revised<Operator>),
    Operators(Page<Revised<Operator>>),
    Family(FamilyView),
    Families(Page<FamilyView>),
    Need(NeedView),
    Needs(Page<NeedView>),
    NeedMatches(Box<NeedRanking>),
    FamilyMatches(Box<FamilyRanking>),
    Proposal(Revised<Proposal>),
    Proposals(Page<Revised<Proposal>>),
    ProposalView(Box<ProposalView>),
    Placement(Revised<Placement>),
    Placements(Page<Revised<Placement>>),
    /// The answer to `Count`: exact, not a page's length.
    Count(u64),
    Found(crate::search::SearchResult),
    Export {
        lines: Vec<String>,
    },
    Imported(ImportSummary),
    Audit(Page<AuditEntry>),
    AuditVerified {
        entries: u64,
        /// Which hash version each run of entries used, oldest first.
        hash_segments: Vec<crate::store::audit::HashSegment>,
    },
    Doctor(Box<super::doctor::DoctorReport>),
    Quarantine(Vec<super::doctor::QuarantinedRaw>),
}

/// The caller as the bank knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub user: String,
    pub display_name: String,
    pub role: Role,
    pub service: Option<ServiceCode>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    pub code: String,
    pub revision: u64,
    /// Changed field paths; empty when nothing changed (and nothing was written).
    pub changed: Vec<String>,
    /// Other records the same transaction changed (e.g. siblings kept in one group).
    pub also_changed: Vec<String>,
}

/// A record with the revision it is stored at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revised<T> {
    pub revision: u64,
    pub record: T,
}

/// Whom to call about a record: its service and referent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub service: ServiceCode,
    pub service_name: String,
    pub phone: String,
    pub email: String,
    pub referent: String,
    pub referent_name: String,
}

/// A proposal as its card shows it. Everything here is what every service
/// may see of the records named (docs/privacy.md): the children and the
/// family through their shared views, whoever asks — the child's own
/// service opens the need for the identity, on record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalView {
    pub revision: u64,
    pub record: Proposal,
    /// Each need of the proposal, in its order (the first proposed, then
    /// siblings): age, sex, kind, urgency and deadline, special needs,
    /// languages, the child's service and referent to call. `identity` is
    /// always `None`.
    pub needs: Vec<NeedView>,
    /// The family's shared profile, places left, its service and referent to
    /// call. `private` is always `None`.
    pub family: FamilyView,
}

impl ProposalView {
    /// The child's service, whom the family's service calls.
    pub fn need_contact(&self) -> Option<&Contact> {
        self.needs.first().map(|n| &n.contact)
    }

    /// The family's service, whom the child's service calls.
    pub fn family_contact(&self) -> &Contact {
        &self.family.contact
    }
}

/// A family as the caller may see it: the shared profile for everyone,
/// the private part only for its own service and the coordination (and an
/// administrator's emergency read).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FamilyView {
    pub code: FamilyCode,
    pub revision: u64,
    pub contact: Contact,
    /// Identity, contacts, free text, pets and the household's own children.
    pub private: Option<FamilyPrivate>,
    pub profile: SharedProfile,
    /// Availability unconfirmed for longer than the configured period.
    pub stale: bool,
    /// Places left: the maximum less ongoing placements and accepted
    /// proposals (in lists and the record; not in rankings, which carry their own).
    #[serde(default)]
    pub free_places: Option<u8>,
    pub meta: Meta,
}

/// What identifies a family, or could: who they are and how to reach them,
/// and the parts of the profile that tell a household apart (free text,
/// pets, their own children's birth years).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FamilyPrivate {
    pub identity: FamilyIdentity,
    pub children_birth_years: Vec<u16>,
    pub pets: String,
    pub notes: String,
}

/// The availability profile every service sees: what a family can offer,
/// nothing that tells who they are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedProfile {
    pub comune: ComuneCode,
    pub household: SharedHousehold,
    pub kinds: std::collections::BTreeSet<PlacementKind>,
    pub ages: AgeRange,
    pub sex_preference: SexPreference,
    pub max_children: u8,
    pub siblings_accepted: bool,
    pub special_needs_accepted: std::collections::BTreeSet<SpecialNeed>,
    pub languages: Vec<String>,
    pub time_slots: std::collections::BTreeSet<TimeSlot>,
    pub max_distance_km: Option<u16>,
    pub training_completed_on: Option<time::Date>,
    pub status: FamilyStatus,
    pub approved_on: Option<time::Date>,
    pub review_on: Option<time::Date>,
    pub confirmed_on: Option<time::Date>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedHousehold {
    pub adults: u8,
    pub spare_rooms: u8,
}

impl SharedProfile {
    pub fn of(p: &AvailabilityProfile) -> SharedProfile {
        SharedProfile {
            comune: p.comune,
            household: SharedHousehold { adults: p.household.adults, spare_rooms: p.household.spare_rooms },
            kinds: p.kinds.clone(),
            ages: p.ages,
            sex_preference: p.sex_preference,
            max_children: p.max_children,
            siblings_accepted: p.siblings_accepted,
            special_needs_accepted: p.special_needs_accepted.clone(),
            languages: p.languages.clone(),
            time_slots: p.time_slots.clone(),
            max_distance_km: p.max_distance_km,
            training_completed_on: p.training_completed_on,
            status: p.status,
            approved_on: p.approved_on,
            review_on: p.review_on,
            confirmed_on: p.confirmed_on,
        }
    }

    /// The whole profile again, with the private part where it is known
    /// (empty where it is not: the bank keeps the stored one then).
    pub fn with_private(&self, private: Option<&FamilyPrivate>) -> AvailabilityProfile {
        AvailabilityProfile {
            comune: self.comune,
            household: Household {
                adults: self.household.adults,
                children_birth_years: private.map(|p| p.children_birth_years.clone()).unwrap_or_default(),
                pets: private.map(|p| p.pets.clone()).unwrap_or_default(),
                spare_rooms: self.household.spare_rooms,
            },
            kinds: self.kinds.clone(),
            ages: self.ages,
            sex_preference: self.sex_preference,
            max_children: self.max_children,
            siblings_accepted: self.siblings_accepted,
            special_needs_accepted: self.special_needs_accepted.clone(),
            languages: self.languages.clone(),
            time_slots: self.time_slots.clone(),
            max_distance_km: self.max_distance_km,
            training_completed_on: self.training_completed_on,
            status: self.status,
            approved_on: self.approved_on,
            review_on: self.review_on,
            confirmed_on: self.confirmed_on,
            notes: private.map(|p| p.notes.clone()).unwrap_or_default(),
        }
    }
}

impl FamilyPrivate {
    pub fn of(f: &Family) -> FamilyPrivate {
        FamilyPrivate {
            identity: f.identity.clone(),
            children_birth_years: f.profile.household.children_birth_years.clone(),
            pets: f.profile.household.pets.clone(),
            notes: f.profile.notes.clone(),
        }
    }
}

impl FamilyView {
    /// The family as input for an update: everything the caller sees. A
    /// caller who does not see the private part sends it empty, and the
    /// bank keeps the stored one.
    pub fn as_input(&self) -> FamilyInput {
        FamilyInput {
            service: Some(self.contact.service),
            referent: Some(self.contact.referent.clone()),
            identity: self.private.as_ref().map(|p| p.identity.clone()).unwrap_or_default(),
            profile: self.profile.with_private(self.private.as_ref()),
        }
    }
}

impl FamilyInput {
    /// Nothing of the private part: what a caller who may not read it sends.
    pub fn private_is_empty(&self) -> bool {
        let h = &self.profile.household;
        self.identity == FamilyIdentity::default()
            && h.children_birth_years.is_empty()
            && h.pets.is_empty()
            && self.profile.notes.is_empty()
    }
}

/// A need as the caller may see it: the child's identity only for its own
/// service (and an administrator's emergency read); everyone sees the age,
/// never the birth date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedView {
    pub code: NeedCode,
    pub revision: u64,
    pub contact: Contact,
    pub identity: Option<ChildIdentity>,
    pub age_months: u32,
    pub placement: PlacementNeed,
    pub meta: Meta,
}

impl NeedView {
    /// The need as input for an update. A caller who does not see the
    /// child's identity sends it blank, and the bank keeps the stored one.
    pub fn as_input(&self) -> NeedInput {
        NeedInput {
            service: Some(self.contact.service),
            referent: Some(self.contact.referent.clone()),
            identity: self.identity.clone().unwrap_or_else(hidden_child_identity),
            placement: self.placement.clone(),
        }
    }
}

/// The child's identity as sent by a caller who may not read it: no names,
/// no fiscal code, no address, and the earliest date for a birth date (no
/// child's): anything else would be a change of what the caller cannot see.
pub fn hidden_child_identity() -> ChildIdentity {
    ChildIdentity {
        given_name: String::new(),
        family_name: String::new(),
        birth_date: time::Date::MIN,
        fiscal_code: None,
        address: String::new(),
    }
}

impl NeedInput {
    /// The hidden identity: what a caller who may not read the identity sends.
    pub fn identity_is_blank(&self) -> bool {
        self.identity == hidden_child_identity()
    }
}

/// Families for a need: the candidates, best first, and why the others fell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedRanking {
    pub need: NeedView,
    /// The children placed together: the need, then its open siblings.
    pub group: Vec<NeedCode>,
    /// Families looked at.
    pub considered: u32,
    /// Families that failed a hard rule, by the first rule they failed.
    pub excluded: Vec<(HardRule, u32)>,
    /// How many passed every hard rule (more than `candidates` when limited).
    pub candidates_total: u32,
    pub candidates: Vec<Candidate>,
    pub why_not: Option<Verdict>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    /// 1 for the best.
    pub rank: u32,
    /// The shared view: never the family's identity here.
    pub family: FamilyView,
    pub score: u8,
    pub criteria: Vec<Criterion>,
    pub free_places: u8,
    /// An active proposal of this family for this need, if any.
    pub proposed: Option<(ProposalCode, ProposalStatus)>,
}

/// The answer to "why not this family?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub family: FamilyCode,
    /// Every hard rule it fails; empty when it is a candidate.
    pub exclusions: Vec<Exclusion>,
    /// Its place among the candidates, when it is one.
    pub rank: Option<u32>,
    pub score: Option<u8>,
    pub criteria: Vec<Criterion>,
}

/// Needs for a family: the open needs it could take, best first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FamilyRanking {
    pub family: FamilyView,
    pub free_places: u8,
    pub considered: u32,
    pub excluded: Vec<(HardRule, u32)>,
    pub candidates_total: u32,
    pub needs: Vec<NeedCandidate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedCandidate {
    pub rank: u32,
    /// The shared view: never the child's identity here.
    pub need: NeedView,
    pub group: Vec<NeedCode>,
    pub score: u8,
    pub criteria: Vec<Criterion>,
}

/// Which proposals to list. With no service, an operator sees its own
/// service's; the coordination and administrators see every service's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalFilter {
    pub service: Option<ServiceCode>,
    /// Inbox: proposals for the service's families; outbox: for its needs; none: both.
    pub direction: Option<Direction>,
    pub status: Option<ProposalStatus>,
    /// Only proposed, under review and accepted (true) or only ended ones (false).
    pub active: Option<bool>,
    pub need: Option<NeedCode>,
    pub family: Option<FamilyCode>,
    /// The page's size (at most the server's page size).
    pub limit: Option<usize>,
    /// The previous page's `next`; none: the first page.
    pub after: Option<Cursor>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Inbox,
    Outbox,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacementFilter {
    /// Placements where the service is the child's or the family's.
    pub service: Option<ServiceCode>,
    pub need: Option<NeedCode>,
    pub family: Option<FamilyCode>,
    /// Ongoing (true) or closed (false).
    pub active: Option<bool>,
    /// The page's size (at most the server's page size).
    pub limit: Option<usize>,
    /// The previous page's `next`; none: the first page.
    pub after: Option<Cursor>,
}

/// Why a step of a proposal or placement cannot be taken now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    ProposalTransition {
        code: ProposalCode,
        from: ProposalStatus,
        to: ProposalStatus,
    },
    /// A placement starts with `PlacementStart`, not with a step.
    StartWithPlacement {
        code: ProposalCode,
    },
    NeedClosed {
        need: NeedCode,
    },
    NeedAlreadyMatched {
        need: NeedCode,
        proposal: ProposalCode,
    },
    AlreadyProposed {
        proposal: ProposalCode,
        status: ProposalStatus,
    },
    NotCandidate {
        family: FamilyCode,
        exclusions: Vec<Exclusion>,
    },
    /// Accepting would exceed the family's places; `held_by` names what holds them.
    NoFreePlaces {
        family: FamilyCode,
        free: u8,
        needed: u8,
        held_by: Vec<String>,
    },
    PlacementClosed {
        code: PlacementCode,
    },
}

/// The list a `Count` counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Counted {
    Families(FamilyFilter),
    Needs(NeedFilter),
    Proposals(ProposalFilter),
    Placements(PlacementFilter),
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FamilyFilter {
    pub status: Option<FamilyStatus>,
    pub kind: Option<PlacementKind>,
    pub service: Option<ServiceCode>,
    pub comune: Option<ComuneCode>,
    pub referent: Option<String>,
    pub stale: Option<bool>,
    /// Only families with a place free now (true: approved families whose
    /// ongoing placements and accepted proposals leave room) or with none (false).
    #[serde(default)]
    pub free_places: Option<bool>,
    /// The page's size (at most the server's page size).
    pub limit: Option<usize>,
    /// The previous page's `next`; none: the first page.
    pub after: Option<Cursor>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedFilter {
    pub status: Option<NeedStatus>,
    pub kind: Option<PlacementKind>,
    pub service: Option<ServiceCode>,
    pub comune: Option<ComuneCode>,
    pub referent: Option<String>,
    /// Only pronto intervento needs.
    pub emergency: Option<bool>,
    /// The page's size (at most the server's page size).
    pub limit: Option<usize>,
    /// The previous page's `next`; none: the first page.
    pub after: Option<Cursor>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankInfo {
    pub path: String,
    pub ambits: u64,
    pub services: u64,
    pub operators: u64,
    pub families: u64,
    pub needs: u64,
    pub proposals: u64,
    pub placements: u64,
    pub audit_entries: u64,
    pub size_on_disk: u64,
    /// Records set aside because they no longer decode (`banca doctor`).
    #[serde(default)]
    pub quarantined: u64,
    /// Who imported the bank's content (a backup or a demo), and when.
    pub imported: Option<Imported>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Imported {
    pub by: String,
    pub at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub ambits: u64,
    pub services: u64,
    pub operators: u64,
    pub families: u64,
    pub needs: u64,
    pub proposals: u64,
    pub placements: u64,
    pub audit_entries: u64,
}

/// A problem found on one line of an import file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineProblem {
    pub line: usize,
    pub problem: LineFault,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineFault {
    /// Not JSON, or not a record banca knows.
    Unreadable(String),
    /// The first line is not a banca export header of a supported version.
    BadHeader,
    Invalid(Vec<Problem>),
    DuplicateRecord(String),
    AuditChain(ChainBreak),
    /// The closing line is missing or counts other lines than the file has: the file was cut short.
    Truncated {
        expected: u64,
        found: u64,
    },
    /// Lines after the closing line.
    AfterEnd,
    /// The line's bytes are not UTF-8.
    NotUtf8,
    /// The line is longer than any line banca writes (`MAX_LINE_BYTES`).
    TooLong {
        max: usize,
    },
    /// An empty line: banca writes none.
    Blank,
    /// The last line has no newline: the file was cut short or edited.
    NoFinalNewline,
    /// A key banca does not write (a misspelt one), as a dotted path.
    UnknownKey {
        key: String,
    },
    /// A key banca always writes is missing (no default fills it in).
    MissingKey {
        key: String,
    },
    /// Same keys and values, but not written as banca writes them
    /// (spacing, key order, escapes): the file was edited.
    NotCanonical,
    /// A record at revision 0: every stored record has revision 1 or more.
    RevisionZero,
    /// A line of this kind out of the export's order of kinds.
    Misplaced {
        kind: String,
    },
    /// A record whose key is lower than the one before it.
    OutOfOrder {
        record: String,
    },
    /// An export of an older version, which has no digest to prove it whole.
    Undigested {
        version: u32,
    },
    /// An export of a newer banca.
    UnsupportedVersion {
        version: u32,
        supported: u32,
    },
    /// The header names a store format this banca does not know.
    StoreFormat {
        found: u32,
        supported: u32,
    },
    /// The closing line's digest does not match the lines before it: a
    /// line was changed, added, removed or moved.
    DigestMismatch,
    /// A code beyond its series' counter (0: no counter line): no bank has
    /// one, since numbering goes on from the counter.
    BeyondCounter {
        series: String,
        counter: u32,
    },
    /// No active administrator in the whole file (reported at its last
    /// line): no export lacks one, and nobody could run the restored bank.
    NoAdministrator,
    /// The record could not be stored readably (over the codec's limit).
    Unstorable {
        reason: String,
    },
}

/// What can go wrong with a request. Sentences are made at the edge
/// (`i18n::describe_error`), in the operator's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum BankError {
    #[error("invalid input: {0:?}")]
    Invalid(Vec<Problem>),
    #[error("{code} was changed by {changed_by} at {changed_at} (revision {current}, yours {based_on})")]
    Conflict { code: String, based_on: u64, current: u64, changed_by: String, changed_at: OffsetDateTime },
    #[error("{code} not found")]
    NotFound { code: String },
    #[error("not allowed: {action}")]
    Forbidden { action: String },
    #[error("user {user} is not an operator of this bank")]
    UnknownUser { user: String },
    #[error("operator {user} is deactivated")]
    InactiveUser { user: String },
    #[error("the bank has no operators yet: the server's user runs `banca init --admin USER`")]
    NotInitialized,
    #[error("the bank already has operators")]
    AlreadyInitialized,
    #[error("the bank is not empty")]
    NotEmpty,
    /// `init` and `import` into an empty bank: the server's own user (or root) only.
    #[error("only the server's own user (or root) may {action}")]
    ServerUserOnly { action: String },
    #[error("refused: {0:?}")]
    Refused(Refusal),
    #[error("the import file has {} problems", .0.len())]
    ImportRejected(Vec<LineProblem>),
    #[error("the audit log is broken: {0}")]
    AuditBroken(ChainBreak),
    #[error("storage: {0}")]
    Storage(String),
    /// A record read on the way did not decode. The bank sets it aside in
    /// the quarantine; a read is then answered again without it.
    #[error("record {record} in {tree} is damaged: {reason}")]
    Damaged { tree: String, record: String, key: String, reason: String },
    /// The record asked for is in quarantine: it did not decode, and waits for an administrator.
    #[error("{code} is in quarantine ({tree}) since {found_at}: {reason}")]
    Quarantined { code: String, tree: String, reason: String, found_at: OffsetDateTime },
    /// Refused before anything was written: the bank's disk has less than
    /// the reserve left. Writes resume by themselves once space is freed.
    #[error("the disk is full ({available} bytes free, {reserve} kept in reserve): nothing was saved")]
    DiskFull { available: u64, reserve: u64 },
    /// This write failed on disk, and the server stops so that it restarts
    /// on what the disk holds: the write whole or not at all (sled may have
    /// written it before the part that failed), which only the restart tells.
    #[error("the write failed on disk ({reason}): it may or may not have been saved")]
    WriteFailed { reason: String },
    /// Another write failed on disk a moment ago: the server is stopping
    /// (to restart on what the disk holds) and answers nothing more.
    #[error("the server is stopping after a failed write")]
    Halted,
    /// Too many heavy requests (lists, exports) at once: try again shortly.
    #[error("the server is busy with other heavy requests ({scope:?}): try again shortly")]
    Busy { scope: HeavyScope },
}

/// Whose heavy requests reached their cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HeavyScope {
    /// The caller's own requests: `limit` are under way.
    User { limit: u32 },
    /// Everyone's: `limit` are under way.
    Server { limit: u32 },
}

impl From<crate::store::StoreError> for BankError {
    fn from(e: crate::store::StoreError) -> Self {
        use crate::store::StoreError;
        match e {
            StoreError::Corrupt { tree, key, raw_key, reason } => {
                BankError::Damaged { tree: tree.to_string(), record: key, key: hex::encode(raw_key), reason }
            }
            StoreError::DiskFull { available, reserve, .. } => BankError::DiskFull { available, reserve },
            StoreError::WriteFailed { reason, .. } => BankError::WriteFailed { reason },
            StoreError::Halted { .. } => BankError::Halted,
            e => BankError::Storage(e.to_string()),
        }
    }
}

impl<E: Into<BankError>> From<crate::store::TxError<E>> for BankError {
    fn from(e: crate::store::TxError<E>) -> Self {
        match e {
            crate::store::TxError::Aborted(e) => e.into(),
            crate::store::TxError::Store(e) => e.into(),
        }
    }
}

impl BankError {
    pub fn invalid(field: &str, reason: Reason) -> BankError {
        BankError::Invalid(vec![Problem::new(field, reason)])
    }
}
