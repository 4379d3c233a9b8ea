//! Records as a caller may see them: the shared part for everyone, the
//! identity only where the access rules allow it.

use serde::{Deserialize, Serialize};

use crate::model::*;

/// Whom to call about a record: its service and referent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub service: ServiceCode,
    pub service_name: String,
    pub phone: String,
    pub email: String,
    pub referent: String,
    pub referent_name: String,
    /// Whom to call at the service outside office hours: its public
    /// directory data, like its phone (none recorded: `None`).
    #[serde(default)]
    pub on_call: Option<OnCall>,
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
    /// proposals (in lists, the record and a ranking's candidates).
    #[serde(default)]
    pub free_places: Option<u8>,
    /// Metres from the comune a list was asked near (`FamilyFilter::near`),
    /// or from the child for a ranking's candidate, when both comuni have
    /// coordinates; none elsewhere.
    #[serde(default)]
    pub distance_m: Option<u32>,
    pub meta: Meta,
    /// The pathway with its next steps: the family's service and the coordination.
    #[serde(default)]
    pub pathway: Option<super::PathwayView>,
    /// The support log: the family's own service only.
    #[serde(default)]
    pub support: Option<Vec<SupportEntry>>,
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
    /// The availability period: part of what the family offers, shared.
    #[serde(default)]
    pub available_from: Option<time::Date>,
    #[serde(default)]
    pub available_until: Option<time::Date>,
    /// Whether the family has said what it offers; until then kinds, ages,
    /// places and times read "not yet known", whatever the fields hold.
    #[serde(default = "known")]
    pub availability_known: bool,
}

fn known() -> bool {
    true
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
            available_from: p.available_from,
            available_until: p.available_until,
            availability_known: true,
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
            available_from: self.available_from,
            available_until: self.available_until,
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
    /// Its pronto intervento deadline has passed and the child still waits
    /// ("scaduta"): computed by the bank when read, on its today, never stored
    /// (`PlacementNeed::is_overdue`).
    #[serde(default)]
    pub overdue: bool,
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
    /// call. `private` is always `None`. None for a proposal to a reception service.
    pub family: Option<FamilyView>,
    /// The reception service proposed, as the directory shows it.
    pub service: Option<super::DirectoryEntry>,
}

impl ProposalView {
    /// The child's service, whom the family's service calls.
    pub fn need_contact(&self) -> Option<&Contact> {
        self.needs.first().map(|n| &n.contact)
    }

    /// The family's service, whom the child's service calls (none for a
    /// proposal to a reception service: its directory entry says whom).
    pub fn family_contact(&self) -> Option<&Contact> {
        self.family.as_ref().map(|f| &f.contact)
    }
}
