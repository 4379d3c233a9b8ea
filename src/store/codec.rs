//! The one place that knows how records are encoded on disk.
//!
//! A stored value is an envelope: one format tag byte, the record revision
//! (u64, big-endian), then the bincode 2 body of the record's versioned
//! enum (`V1(..)`). Versions are append-only: when a record type changes,
//! the old struct is frozen under its version, a `V2` is added, and
//! `upgrade` migrates. Decoding is strict: leftover bytes are an error.

use bincode::config::{Configuration, Limit, LittleEndian, Varint};
use serde::{Deserialize, Serialize};

use crate::model::{Ambit, Family, Need, NetworkEvent, Operator, Placement, Proposal, Service};
use crate::store::audit::AuditEntry;

/// Tag of the envelope layout itself.
pub const ENVELOPE_TAG: u8 = 0xB1;
const HEADER: usize = 1 + 8;
/// No record comes near this; a larger length is corruption, not data.
const MAX_BODY: usize = 1 << 20;

type Config = Configuration<LittleEndian, Varint, Limit<MAX_BODY>>;

fn config() -> Config {
    bincode::config::standard().with_limit::<MAX_BODY>()
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CodecError {
    #[error("value too short for a record envelope ({0} bytes)")]
    Truncated(usize),
    #[error("unknown envelope tag {0:#04x}: written by a newer banca or not a banca record")]
    UnknownTag(u8),
    #[error("record body does not decode: {0}")]
    Body(String),
    #[error("{0} bytes left over after the record body")]
    TrailingBytes(usize),
    #[error("the record's body would be {len} bytes, over the {max}-byte limit of a readable record")]
    TooLarge { len: usize, max: usize },
}

/// A record kind with its versioned on-disk form.
pub trait Versioned: Sized {
    /// What is decoded: the enum of every version.
    type Stored: for<'de> Deserialize<'de>;
    /// What is encoded: the current version, borrowed.
    type Current<'a>: Serialize
    where
        Self: 'a;
    fn current(&self) -> Self::Current<'_>;
    fn upgrade(stored: Self::Stored) -> Self;
}

macro_rules! versioned {
    ($ty:ty, $stored:ident, $current:ident) => {
        /// Every version this record kind has had, oldest first.
        #[derive(Deserialize)]
        pub enum $stored {
            V1($ty),
        }

        #[derive(Serialize)]
        pub enum $current<'a> {
            V1(&'a $ty),
        }

        impl Versioned for $ty {
            type Stored = $stored;
            type Current<'a> = $current<'a>;
            fn current(&self) -> $current<'_> {
                $current::V1(self)
            }
            fn upgrade(stored: $stored) -> Self {
                match stored {
                    $stored::V1(v) => v,
                }
            }
        }
    };
}

versioned!(Operator, StoredOperator, CurrentOperator);
versioned!(Ambit, StoredAmbit, CurrentAmbit);
versioned!(NetworkEvent, StoredNetworkEvent, CurrentNetworkEvent);

/// Every version an audit entry has had, oldest first.
#[derive(Deserialize)]
pub enum StoredAuditEntry {
    /// Before hash versions: hashed over these fields' bincode bytes.
    V1(AuditEntryV1),
    /// With the hash version it was hashed with.
    V2(AuditEntry),
}

#[derive(Serialize)]
pub enum CurrentAuditEntry<'a> {
    /// Never written again; here so that `V2` has its index in
    /// `StoredAuditEntry`, which is what bincode writes.
    V1(()),
    V2(&'a AuditEntry),
}

/// An audit entry as format version 1 stored it. Frozen: never change it.
#[derive(Deserialize)]
pub struct AuditEntryV1 {
    seq: u64,
    at: time::OffsetDateTime,
    actor: String,
    action: crate::store::audit::AuditAction,
    record: String,
    fields: Vec<String>,
    prev_hash: [u8; 32],
    hash: [u8; 32],
}

impl Versioned for AuditEntry {
    type Stored = StoredAuditEntry;
    type Current<'a> = CurrentAuditEntry<'a>;
    fn current(&self) -> CurrentAuditEntry<'_> {
        CurrentAuditEntry::V2(self)
    }
    fn upgrade(stored: StoredAuditEntry) -> Self {
        match stored {
            StoredAuditEntry::V1(v) => AuditEntry {
                seq: v.seq,
                at: v.at,
                actor: v.actor,
                action: v.action,
                record: v.record,
                fields: v.fields,
                prev_hash: v.prev_hash,
                hash: v.hash,
                hash_version: crate::store::audit::HashVersion::Bincode,
            },
            StoredAuditEntry::V2(v) => v,
        }
    }
}

/// A proposal as format version 1 stored it. Frozen: never change it.
#[derive(Deserialize)]
pub struct ProposalV1 {
    code: crate::model::ProposalCode,
    needs: Vec<crate::model::NeedCode>,
    family: crate::model::FamilyCode,
    need_service: crate::model::ServiceCode,
    family_service: crate::model::ServiceCode,
    status: crate::model::vocabulary::ProposalStatus,
    steps: Vec<ProposalStepV1>,
    placement: Option<crate::model::PlacementCode>,
    score: Option<u8>,
    meta: crate::model::Meta,
}

/// A proposal's step as format version 1 stored it. Frozen: never change it.
#[derive(Deserialize)]
pub struct ProposalStepV1 {
    status: crate::model::vocabulary::ProposalStatus,
    at: time::OffsetDateTime,
    by: String,
    note: String,
}

/// Before steps had a cause: a step the bank took said why in its note.
impl From<ProposalV1> for Proposal {
    fn from(v: ProposalV1) -> Self {
        Proposal {
            code: v.code,
            needs: v.needs,
            family: Some(v.family),
            need_service: v.need_service,
            family_service: v.family_service,
            status: v.status,
            // Their notes stay as written: the reason of a step the bank took is in them.
            steps: v
                .steps
                .into_iter()
                .map(|s| crate::model::ProposalStep { status: s.status, at: s.at, by: s.by, note: s.note, cause: None })
                .collect(),
            placement: v.placement,
            score: v.score,
            meta: v.meta,
        }
    }
}

/// Kinds whose version 2 only added fields: `V1` decodes the frozen
/// struct and `upgrade` fills the new fields with their "nothing named"
/// value.
macro_rules! versioned_v2 {
    ($ty:ty, $v1:ty, $stored:ident, $current:ident, $why:literal) => {
        /// Every version this record kind has had, oldest first.
        #[derive(Deserialize)]
        pub enum $stored {
            V1($v1),
            #[doc = $why]
            V2($ty),
        }

        #[derive(Serialize)]
        pub enum $current<'a> {
            /// Never written again; here so that `V2` has its index in
            /// the stored enum, which is what bincode writes.
            V1(()),
            V2(&'a $ty),
        }

        impl Versioned for $ty {
            type Stored = $stored;
            type Current<'a> = $current<'a>;
            fn current(&self) -> $current<'_> {
                $current::V2(self)
            }
            fn upgrade(stored: $stored) -> Self {
                match stored {
                    $stored::V1(v) => v.into(),
                    $stored::V2(v) => v,
                }
            }
        }
    };
}

/// A record kind at version 3: as `versioned_v2!`, with two frozen versions
/// upgraded (`From`) to the current one.
macro_rules! versioned_v3 {
    ($ty:ty, $v1:ty, $v2:ty, $stored:ident, $current:ident, $why2:literal, $why3:literal) => {
        /// Every version this record kind has had, oldest first. Decoded
        /// once and upgraded at once: the size of the old variants does not matter.
        #[allow(clippy::large_enum_variant)]
        #[derive(Deserialize)]
        pub enum $stored {
            V1($v1),
            #[doc = $why2]
            V2($v2),
            #[doc = $why3]
            V3($ty),
        }

        #[derive(Serialize)]
        pub enum $current<'a> {
            /// Never written again; here so that `V3` has its index in
            /// the stored enum, which is what bincode writes.
            V1(()),
            V2(()),
            V3(&'a $ty),
        }

        impl Versioned for $ty {
            type Stored = $stored;
            type Current<'a> = $current<'a>;
            fn current(&self) -> $current<'_> {
                $current::V3(self)
            }
            fn upgrade(stored: $stored) -> Self {
                match stored {
                    $stored::V1(v) => v.into(),
                    $stored::V2(v) => v.into(),
                    $stored::V3(v) => v,
                }
            }
        }
    };
}

versioned_v3!(
    Proposal,
    ProposalV1,
    v2::Proposal,
    StoredProposal,
    CurrentProposal,
    "Each step with its cause (`None` for an operator's step).",
    "To a family or to a reception service."
);
versioned_v3!(
    Placement,
    v1::Placement,
    v2::Placement,
    StoredPlacement,
    CurrentPlacement,
    "With kinship or non-kin, review kinds (formal or contact), extensions and court reports.",
    "With a family or in a reception service."
);
versioned_v3!(
    Service,
    v1::Service,
    v2::Service,
    StoredService,
    CurrentService,
    "With the on-call contact.",
    "With a reception service's profile and its declared vacancies."
);
versioned_v3!(
    Family,
    v1::Family,
    v2::Family,
    StoredFamily,
    CurrentFamily,
    "With the availability period (from, until).",
    "With its pathway and support log."
);

/// Families as format version 2 stored them. Frozen: never change them.
pub mod v2 {
    use serde::Deserialize;

    use crate::model::vocabulary::{PlacementKind, ProposalStatus, ServiceKind};
    use crate::model::{
        AvailabilityProfile, Closing, CourtReport, Extension, FamilyCode, FamilyIdentity, FosterPlan, Meta, NeedCode,
        OnCall, Pathway, PlacementCode, ProposalCode, ProposalStep, Review, ServiceCode,
    };

    /// A proposal as format version 2 stored it, always to a family. Frozen.
    #[derive(Deserialize)]
    pub struct Proposal {
        code: ProposalCode,
        needs: Vec<NeedCode>,
        family: FamilyCode,
        need_service: ServiceCode,
        family_service: ServiceCode,
        status: ProposalStatus,
        steps: Vec<ProposalStep>,
        placement: Option<PlacementCode>,
        score: Option<u8>,
        meta: Meta,
    }

    impl From<Proposal> for crate::model::Proposal {
        fn from(v: Proposal) -> Self {
            crate::model::Proposal {
                code: v.code,
                needs: v.needs,
                family: Some(v.family),
                need_service: v.need_service,
                family_service: v.family_service,
                status: v.status,
                steps: v.steps,
                placement: v.placement,
                score: v.score,
                meta: v.meta,
            }
        }
    }

    /// A placement as format version 2 stored it, always with a family. Frozen.
    #[derive(Deserialize)]
    pub struct Placement {
        code: PlacementCode,
        proposal: ProposalCode,
        needs: Vec<NeedCode>,
        family: FamilyCode,
        need_service: ServiceCode,
        family_service: ServiceCode,
        kind: PlacementKind,
        plan: FosterPlan,
        reviews: Vec<Review>,
        closing: Option<Closing>,
        meta: Meta,
        extensions: Vec<Extension>,
        court_reports: Vec<CourtReport>,
    }

    impl From<Placement> for crate::model::Placement {
        fn from(v: Placement) -> Self {
            crate::model::Placement {
                code: v.code,
                proposal: v.proposal,
                needs: v.needs,
                family: Some(v.family),
                need_service: v.need_service,
                family_service: v.family_service,
                kind: v.kind,
                plan: v.plan,
                reviews: v.reviews,
                closing: v.closing,
                meta: v.meta,
                extensions: v.extensions,
                court_reports: v.court_reports,
            }
        }
    }

    /// A service as format version 2 stored it: no reception profile. Frozen.
    #[derive(Deserialize)]
    pub struct Service {
        code: ServiceCode,
        details: ServiceInput,
        meta: Meta,
    }

    #[derive(Deserialize)]
    pub struct ServiceInput {
        name: String,
        kind: ServiceKind,
        ambits: Vec<String>,
        address: String,
        phone: String,
        email: String,
        notes: String,
        active: bool,
        on_call: Option<OnCall>,
    }

    impl From<Service> for crate::model::Service {
        fn from(v: Service) -> Self {
            let d = v.details;
            crate::model::Service {
                code: v.code,
                details: crate::model::ServiceInput {
                    name: d.name,
                    kind: d.kind,
                    ambits: d.ambits,
                    address: d.address,
                    phone: d.phone,
                    email: d.email,
                    notes: d.notes,
                    active: d.active,
                    on_call: d.on_call,
                    reception: None,
                },
                meta: v.meta,
                vacancy: None,
            }
        }
    }

    #[derive(Deserialize)]
    pub struct Family {
        code: FamilyCode,
        service: ServiceCode,
        referent: String,
        identity: FamilyIdentity,
        profile: AvailabilityProfile,
        meta: Meta,
    }

    impl From<Family> for crate::model::Family {
        fn from(v: Family) -> Self {
            crate::model::Family {
                code: v.code,
                service: v.service,
                referent: v.referent,
                identity: v.identity,
                profile: v.profile,
                meta: v.meta,
                pathway: Pathway::before_pathways(),
                support: Vec::new(),
            }
        }
    }
}
versioned_v2!(Need, v1::Need, StoredNeed, CurrentNeed, "With the time slots a need names.");

/// Families, needs, services and placements as format version 1 stored them. Frozen:
/// never change them. (`LegalBasis` gained `Art403` at the end, which
/// leaves the bytes of the variants before it as they were.)
pub mod v1 {
    use serde::Deserialize;
    use std::collections::BTreeSet;
    use time::Date;

    use crate::model::vocabulary::*;
    use crate::model::{
        AgeRange, ChildIdentity, Closing, ComuneCode, FamilyCode, FamilyIdentity, Household, Meta, NeedCode,
        OriginContact, PlacementCode, ProposalCode, ServiceCode,
    };

    #[derive(Deserialize)]
    pub struct Placement {
        code: PlacementCode,
        proposal: ProposalCode,
        needs: Vec<NeedCode>,
        family: FamilyCode,
        need_service: ServiceCode,
        family_service: ServiceCode,
        kind: PlacementKind,
        plan: FosterPlan,
        reviews: Vec<Review>,
        closing: Option<Closing>,
        meta: Meta,
    }

    #[derive(Deserialize)]
    pub struct FosterPlan {
        start: Date,
        expected_end: Option<Date>,
        duration_months: Option<u16>,
        contact: OriginContact,
        contact_notes: String,
        review_dates: Vec<Date>,
        commitments: String,
    }

    #[derive(Deserialize)]
    pub struct Review {
        date: Date,
        note: String,
        by: String,
    }

    impl From<Placement> for crate::model::Placement {
        fn from(v: Placement) -> Self {
            let p = v.plan;
            crate::model::Placement {
                code: v.code,
                proposal: v.proposal,
                needs: v.needs,
                family: Some(v.family),
                need_service: v.need_service,
                family_service: v.family_service,
                kind: v.kind,
                plan: crate::model::FosterPlan {
                    start: p.start,
                    expected_end: p.expected_end,
                    duration_months: p.duration_months,
                    contact: p.contact,
                    contact_notes: p.contact_notes,
                    review_dates: p.review_dates,
                    commitments: p.commitments,
                    relationship: None,
                },
                // Every review counted as formal then: each met a planned date.
                reviews: v
                    .reviews
                    .into_iter()
                    .map(|r| crate::model::Review {
                        date: r.date,
                        note: r.note,
                        by: r.by,
                        kind: crate::model::ReviewKind::Formal,
                    })
                    .collect(),
                closing: v.closing,
                meta: v.meta,
                extensions: Vec::new(),
                court_reports: Vec::new(),
            }
        }
    }

    #[derive(Deserialize)]
    pub struct Family {
        code: FamilyCode,
        service: ServiceCode,
        referent: String,
        identity: FamilyIdentity,
        profile: AvailabilityProfile,
        meta: Meta,
    }

    #[derive(Deserialize)]
    pub struct AvailabilityProfile {
        comune: ComuneCode,
        household: Household,
        kinds: BTreeSet<PlacementKind>,
        ages: AgeRange,
        sex_preference: SexPreference,
        max_children: u8,
        siblings_accepted: bool,
        special_needs_accepted: BTreeSet<SpecialNeed>,
        languages: Vec<String>,
        time_slots: BTreeSet<TimeSlot>,
        max_distance_km: Option<u16>,
        training_completed_on: Option<Date>,
        status: FamilyStatus,
        approved_on: Option<Date>,
        review_on: Option<Date>,
        confirmed_on: Option<Date>,
        notes: String,
    }

    impl From<Family> for crate::model::Family {
        fn from(v: Family) -> Self {
            let p = v.profile;
            crate::model::Family {
                code: v.code,
                service: v.service,
                referent: v.referent,
                identity: v.identity,
                profile: crate::model::AvailabilityProfile {
                    comune: p.comune,
                    household: p.household,
                    kinds: p.kinds,
                    ages: p.ages,
                    sex_preference: p.sex_preference,
                    max_children: p.max_children,
                    siblings_accepted: p.siblings_accepted,
                    special_needs_accepted: p.special_needs_accepted,
                    languages: p.languages,
                    time_slots: p.time_slots,
                    max_distance_km: p.max_distance_km,
                    training_completed_on: p.training_completed_on,
                    status: p.status,
                    approved_on: p.approved_on,
                    review_on: p.review_on,
                    confirmed_on: p.confirmed_on,
                    notes: p.notes,
                    available_from: None,
                    available_until: None,
                },
                meta: v.meta,
                pathway: crate::model::Pathway::before_pathways(),
                support: Vec::new(),
            }
        }
    }

    #[derive(Deserialize)]
    pub struct Need {
        code: NeedCode,
        service: ServiceCode,
        referent: String,
        identity: ChildIdentity,
        placement: PlacementNeed,
        meta: Meta,
    }

    #[derive(Deserialize)]
    pub struct PlacementNeed {
        sex: Sex,
        siblings: Vec<NeedCode>,
        kind: PlacementKind,
        legal: LegalBasis,
        urgency: Urgency,
        desired_start: Option<Date>,
        duration_months: Option<u16>,
        special_needs: BTreeSet<SpecialNeed>,
        languages: Vec<String>,
        cultural_notes: String,
        comune: ComuneCode,
        origin_comune: Option<ComuneCode>,
        contact: OriginContact,
        school_comune: Option<ComuneCode>,
        status: NeedStatus,
        closing_reason: Option<ClosingReason>,
        notes: String,
    }

    impl From<Need> for crate::model::Need {
        fn from(v: Need) -> Self {
            let p = v.placement;
            crate::model::Need {
                code: v.code,
                service: v.service,
                referent: v.referent,
                identity: v.identity,
                placement: crate::model::PlacementNeed {
                    sex: p.sex,
                    siblings: p.siblings,
                    kind: p.kind,
                    legal: p.legal,
                    urgency: p.urgency,
                    desired_start: p.desired_start,
                    duration_months: p.duration_months,
                    special_needs: p.special_needs,
                    languages: p.languages,
                    cultural_notes: p.cultural_notes,
                    comune: p.comune,
                    origin_comune: p.origin_comune,
                    contact: p.contact,
                    school_comune: p.school_comune,
                    status: p.status,
                    closing_reason: p.closing_reason,
                    notes: p.notes,
                    time_slots: BTreeSet::new(),
                },
                meta: v.meta,
            }
        }
    }

    #[derive(Deserialize)]
    pub struct Service {
        code: ServiceCode,
        details: ServiceInput,
        meta: Meta,
    }

    #[derive(Deserialize)]
    pub struct ServiceInput {
        name: String,
        kind: ServiceKind,
        ambits: Vec<String>,
        address: String,
        phone: String,
        email: String,
        notes: String,
        active: bool,
    }

    impl From<Service> for crate::model::Service {
        fn from(v: Service) -> Self {
            let d = v.details;
            crate::model::Service {
                code: v.code,
                details: crate::model::ServiceInput {
                    name: d.name,
                    kind: d.kind,
                    ambits: d.ambits,
                    address: d.address,
                    phone: d.phone,
                    email: d.email,
                    notes: d.notes,
                    active: d.active,
                    on_call: None,
                    reception: None,
                },
                meta: v.meta,
                vacancy: None,
            }
        }
    }
}

/// Encodes a record, and proves it can be read back: a body over the
/// decoder's limit, or one that does not decode to itself, is refused here,
/// before any transaction, so no input can write a record the bank could
/// never open again.
pub fn encode<T: Versioned>(revision: u64, record: &T) -> Result<Vec<u8>, CodecError> {
    let mut out = Vec::with_capacity(256);
    out.push(ENVELOPE_TAG);
    out.extend_from_slice(&revision.to_be_bytes());
    let body =
        bincode::serde::encode_to_vec(record.current(), config()).map_err(|e| CodecError::Body(e.to_string()))?;
    if body.len() > MAX_BODY {
        return Err(CodecError::TooLarge { len: body.len(), max: MAX_BODY });
    }
    out.extend_from_slice(&body);
    decode::<T>(&out)?;
    Ok(out)
}

pub fn decode<T: Versioned>(bytes: &[u8]) -> Result<(u64, T), CodecError> {
    let revision = revision_of(bytes)?;
    let body = &bytes[HEADER..];
    let (stored, used): (T::Stored, usize) =
        bincode::serde::decode_from_slice(body, config()).map_err(|e| CodecError::Body(e.to_string()))?;
    if used != body.len() {
        return Err(CodecError::TrailingBytes(body.len() - used));
    }
    Ok((revision, T::upgrade(stored)))
}

/// The revision, without decoding the body.
pub fn revision_of(bytes: &[u8]) -> Result<u64, CodecError> {
    if bytes.len() < HEADER {
        return Err(CodecError::Truncated(bytes.len()));
    }
    if bytes[0] != ENVELOPE_TAG {
        return Err(CodecError::UnknownTag(bytes[0]));
    }
    let mut rev = [0u8; 8];
    rev.copy_from_slice(&bytes[1..HEADER]);
    Ok(u64::from_be_bytes(rev))
}

/// Canonical bytes of a value for hashing (the audit chain): the body
/// encoding without envelope.
pub fn canonical_bytes<T: Serialize>(value: &T) -> Vec<u8> {
    bincode::serde::encode_to_vec(value, config()).expect("records encode infallibly")
}
