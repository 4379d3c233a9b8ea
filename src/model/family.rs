//! A foster family (famiglia affidataria): its identity, seen by its own
//! service and the coordination, and its availability profile, shared
//! across the bank.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use time::Date;

use super::age::{AgeRange, MAX_AGE_MONTHS};
use super::codes::{FamilyCode, ServiceCode};
use super::comune::ComuneCode;
use super::fields::Field;
use super::meta::{Context, Meta};
use super::pathway::{Pathway, SupportEntry};
use super::problem::{Problems, Reason};
use super::vocabulary::{FamilyStatus, PlacementKind, SexPreference, SpecialNeed, TimeSlot};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Family {
    pub code: FamilyCode,
    pub service: ServiceCode,
    /// Unix user name of the referent operator.
    pub referent: String,
    pub identity: FamilyIdentity,
    pub profile: AvailabilityProfile,
    pub meta: Meta,
    /// From the first contact to idoneità and after (its service's and the
    /// coordination's). Exports before version 7 have none: read as a
    /// family recorded whole, before pathways.
    #[serde(default = "Pathway::before_pathways")]
    pub pathway: Pathway,
    /// What the service did to support the family (its service's only).
    #[serde(default)]
    pub support: Vec<SupportEntry>,
}

/// What an operator submits to create or change a family.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FamilyInput {
    /// Required for admin and coordination; operators create in their own service.
    pub service: Option<ServiceCode>,
    /// Defaults to the operator creating the record.
    pub referent: Option<String>,
    pub identity: FamilyIdentity,
    pub profile: AvailabilityProfile,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FamilyIdentity {
    pub adults: Vec<Adult>,
    /// Street and number; the comune is the profile's.
    pub address: String,
    pub phone: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adult {
    pub name: String,
    /// `UNKNOWN_YEAR` when not given (allowed for every adult but the first).
    pub birth_year: u16,
}

impl Adult {
    /// The birth year of an adult whose year was left empty.
    pub const UNKNOWN_YEAR: u16 = 0;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AvailabilityProfile {
    pub comune: ComuneCode,
    pub household: Household,
    pub kinds: BTreeSet<PlacementKind>,
    pub ages: AgeRange,
    pub sex_preference: SexPreference,
    pub max_children: u8,
    pub siblings_accepted: bool,
    pub special_needs_accepted: BTreeSet<SpecialNeed>,
    /// Lower-case language names, e.g. "italiano", "arabo".
    pub languages: Vec<String>,
    pub time_slots: BTreeSet<TimeSlot>,
    pub max_distance_km: Option<u16>,
    pub training_completed_on: Option<Date>,
    pub status: FamilyStatus,
    pub approved_on: Option<Date>,
    pub review_on: Option<Date>,
    pub confirmed_on: Option<Date>,
    pub notes: String,
    /// The period the family is available in (either end open). Absent
    /// from exports before version 6, read as open.
    #[serde(default)]
    pub available_from: Option<Date>,
    #[serde(default)]
    pub available_until: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Household {
    pub adults: u8,
    pub children_birth_years: Vec<u16>,
    pub pets: String,
    pub spare_rooms: u8,
}

impl Family {
    /// Its availability is to be confirmed again: only once it has said what
    /// it offers (a first contact has nothing to confirm yet).
    pub fn is_stale(&self, today: Date, stale_after_months: u32) -> bool {
        self.pathway.availability_known && self.profile.is_stale(today, stale_after_months)
    }
}

impl AvailabilityProfile {
    /// A profile unconfirmed for longer than the configured period is stale:
    /// shown and flagged, never hidden.
    pub fn is_stale(&self, today: Date, stale_after_months: u32) -> bool {
        stale_since(self.confirmed_on, today, stale_after_months)
    }
}

/// Availability last confirmed on `confirmed_on` (never: `None`) is to be
/// confirmed again from `stale_after_months` on: stale on the very day those
/// months are over (the one boundary of the flag and of matching's freshness).
pub fn stale_since(confirmed_on: Option<Date>, today: Date, stale_after_months: u32) -> bool {
    match confirmed_on {
        Some(d) => super::dates::add_months(d, stale_after_months) <= today,
        None => true,
    }
}

use super::limits::{self, MAX_NAME};
pub use super::limits::{MAX_ADDRESS, MAX_ADULTS, MAX_CHILDREN, MAX_LANGUAGE, MAX_LANGUAGES, MAX_NOTES};

impl FamilyInput {
    /// Every intrinsic problem at once; references to other records are the bank's to check.
    pub fn validate(&self, cx: &Context) -> Problems {
        self.validate_since(cx, None)
    }

    /// `validate` for a change of a family whose profile was `before`: a
    /// date sent again unchanged is not aged out by a window that moves
    /// with today (an overdue review stays as it was).
    pub fn validate_since(&self, cx: &Context, before: Option<&AvailabilityProfile>) -> Problems {
        let mut p = Problems::new();
        if let Some(r) = &self.referent {
            // A Unix user name: the bank then checks it names an operator.
            p.limit_text(Field::Referent, r, super::operator::MAX_USER);
        }
        let year = cx.today.year();
        let id = &self.identity;
        if id.adults.is_empty() {
            p.push(Field::Adults, Reason::Required);
        }
        p.limit_count(Field::Adults, id.adults.len(), MAX_ADULTS);
        let household = usize::from(self.profile.household.adults);
        if household >= 1 && id.adults.len() <= MAX_ADULTS && id.adults.len() > household {
            p.push(Field::Adults, Reason::TooManyFor { other_field: Field::HouseholdAdults, max: household });
        }
        let (youngest, oldest) = limits::ADULT_AGE_YEARS;
        for (i, a) in id.adults.iter().enumerate().take(MAX_ADULTS) {
            p.require_text(Field::AdultName.at(i), &a.name, MAX_NAME);
            let field = Field::AdultBirthYear.at(i);
            // The first adult's year is required from the assessment on; the
            // others' (and an enquiring family's, or one that left before
            // it) may be left empty (0, `Adult::UNKNOWN_YEAR`): a first
            // contact records what is known.
            let assessed = matches!(
                self.profile.status,
                FamilyStatus::UnderAssessment | FamilyStatus::Approved | FamilyStatus::Suspended
            );
            if a.birth_year == Adult::UNKNOWN_YEAR && i == 0 && assessed {
                p.push(field, Reason::Required);
            } else if a.birth_year != Adult::UNKNOWN_YEAR {
                p.check_range(field, a.birth_year as i64, (year - oldest) as i64, (year - youngest) as i64);
            }
        }
        p.limit_text(Field::IdentityAddress, &id.address, MAX_ADDRESS);
        p.check_phone(Field::IdentityPhone, &id.phone);
        p.check_email(Field::IdentityEmail, &id.email);

        let pr = &self.profile;
        if cx.comuni.get(pr.comune).is_none() {
            p.push(Field::ProfileComune, Reason::UnknownComune { code: pr.comune.to_string() });
        }
        p.check_range(Field::HouseholdAdults, pr.household.adults as i64, 1, limits::MAX_HOUSEHOLD_ADULTS);
        p.limit_count(Field::ChildrenBirthYears, pr.household.children_birth_years.len(), MAX_CHILDREN);
        let (youngest, oldest) = limits::HOUSEHOLD_CHILD_AGE_YEARS;
        for (i, y) in pr.household.children_birth_years.iter().enumerate().take(MAX_CHILDREN) {
            // Grown-up children still count in the household: only a year that
            // cannot be (in the future, or beyond any parent's life) is refused.
            p.check_range(Field::ChildrenBirthYears.at(i), *y as i64, (year - oldest) as i64, (year - youngest) as i64);
        }
        p.limit_text(Field::Pets, &pr.household.pets, limits::MAX_PETS);
        p.check_range(Field::SpareRooms, pr.household.spare_rooms as i64, 0, 20);
        if pr.kinds.is_empty() && pr.status == FamilyStatus::Approved {
            p.push(Field::ProfileKinds, Reason::RequiredWhen { condition: "status=approved".into() });
        }
        if pr.ages.min_months > pr.ages.max_months {
            p.push(
                Field::Ages,
                Reason::AgeRangeInverted { min_months: pr.ages.min_months, max_months: pr.ages.max_months },
            );
        }
        if pr.ages.max_months > MAX_AGE_MONTHS {
            p.push(Field::Ages, Reason::AgeAboveLimit);
        }
        p.check_range(Field::MaxChildren, pr.max_children as i64, 1, 10);
        let stored = before.map(|b| b.languages.as_slice()).unwrap_or_default();
        super::languages::check_list(&mut p, Field::ProfileLanguages, &pr.languages, stored);
        if let Some(km) = pr.max_distance_km {
            p.check_range(Field::MaxDistance, km as i64, 1, i64::from(super::limits::MAX_DISTANCE_KM));
        }
        for (field, date, was, window) in [
            (
                Field::TrainingCompletedOn,
                pr.training_completed_on,
                before.and_then(|b| b.training_completed_on),
                limits::TRAINING_COMPLETED_ON,
            ),
            (Field::ApprovedOn, pr.approved_on, before.and_then(|b| b.approved_on), limits::APPROVED_ON),
            (Field::ReviewOn, pr.review_on, before.and_then(|b| b.review_on), limits::REVIEW_ON),
            (Field::ConfirmedOn, pr.confirmed_on, before.and_then(|b| b.confirmed_on), limits::CONFIRMED_ON),
            (Field::AvailableFrom, pr.available_from, before.and_then(|b| b.available_from), limits::AVAILABLE_PERIOD),
            (
                Field::AvailableUntil,
                pr.available_until,
                before.and_then(|b| b.available_until),
                limits::AVAILABLE_PERIOD,
            ),
        ] {
            p.check_date_since(field, date, was, window, cx.today);
        }
        if pr.status == FamilyStatus::Approved && pr.approved_on.is_none() {
            p.push(Field::ApprovedOn, Reason::RequiredWhen { condition: "status=approved".into() });
        }
        if let (Some(approved), Some(review)) = (pr.approved_on, pr.review_on) {
            if review <= approved {
                p.push(Field::ReviewOn, Reason::NotAfter { other_field: Field::ApprovedOn });
            }
        }
        if let (Some(from), Some(until)) = (pr.available_from, pr.available_until) {
            if until < from {
                p.push(Field::AvailableUntil, Reason::Before { other_field: Field::AvailableFrom });
            }
        }
        p.limit_text(Field::ProfileNotes, &pr.notes, MAX_NOTES);
        p
    }
}
