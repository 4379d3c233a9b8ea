//! A foster family (famiglia affidataria): its identity, seen by its own
//! service and the coordination, and its availability profile, shared
//! across the bank.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use time::Date;

use super::age::{AgeRange, MAX_AGE_MONTHS};
use super::codes::{FamilyCode, ServiceCode};
use super::comune::ComuneCode;
use super::meta::{Context, Meta};
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
    pub birth_year: u16,
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
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Household {
    pub adults: u8,
    pub children_birth_years: Vec<u16>,
    pub pets: String,
    pub spare_rooms: u8,
}

impl AvailabilityProfile {
    /// A profile unconfirmed for longer than the configured period is stale:
    /// shown and flagged, never hidden.
    pub fn is_stale(&self, today: Date, stale_after_months: u32) -> bool {
        match self.confirmed_on {
            Some(d) => super::dates::add_months(d, stale_after_months) < today,
            None => true,
        }
    }
}

pub const MAX_NOTES: usize = 4000;
const MAX_NAME: usize = 120;
/// Street and number.
pub const MAX_ADDRESS: usize = 200;
/// A language's name.
pub const MAX_LANGUAGE: usize = 40;
/// Languages spoken by a family, or by a child.
pub const MAX_LANGUAGES: usize = 20;
/// Adults named in a family's identity (the household counts up to 10).
pub const MAX_ADULTS: usize = 10;
/// The household's own children.
pub const MAX_CHILDREN: usize = 20;

impl FamilyInput {
    /// Every intrinsic problem at once; references to other records are the bank's to check.
    pub fn validate(&self, cx: &Context) -> Problems {
        let mut p = Problems::new();
        if let Some(r) = &self.referent {
            // A Unix user name: the bank then checks it names an operator.
            p.limit_text("referent", r, super::operator::MAX_USER);
        }
        let year = cx.today.year();
        let id = &self.identity;
        if id.adults.is_empty() {
            p.push("identity.adults", Reason::Required);
        }
        p.limit_count("identity.adults", id.adults.len(), MAX_ADULTS);
        for (i, a) in id.adults.iter().enumerate() {
            p.require_text(&format!("identity.adults[{i}].name"), &a.name, MAX_NAME);
            p.check_range(
                &format!("identity.adults[{i}].birth_year"),
                a.birth_year as i64,
                (year - 110) as i64,
                (year - 18) as i64,
            );
        }
        p.limit_text("identity.address", &id.address, MAX_ADDRESS);
        p.check_phone("identity.phone", &id.phone);
        p.check_email("identity.email", &id.email);

        let pr = &self.profile;
        if cx.comuni.get(pr.comune).is_none() {
            p.push("profile.comune", Reason::UnknownComune { code: pr.comune.to_string() });
        }
        p.check_range("profile.household.adults", pr.household.adults as i64, 1, 10);
        p.limit_count("profile.household.children_birth_years", pr.household.children_birth_years.len(), MAX_CHILDREN);
        for (i, y) in pr.household.children_birth_years.iter().enumerate() {
            // Grown-up children still count in the household: only a year that
            // cannot be (in the future, or beyond any parent's life) is refused.
            p.check_range(
                &format!("profile.household.children_birth_years[{i}]"),
                *y as i64,
                (year - 90) as i64,
                year as i64,
            );
        }
        p.limit_text("profile.household.pets", &pr.household.pets, 200);
        p.check_range("profile.household.spare_rooms", pr.household.spare_rooms as i64, 0, 20);
        if pr.kinds.is_empty() && pr.status == FamilyStatus::Approved {
            p.push("profile.kinds", Reason::RequiredWhen { condition: "status=approved".into() });
        }
        if pr.ages.min_months > pr.ages.max_months {
            p.push(
                "profile.ages",
                Reason::AgeRangeInverted { min_months: pr.ages.min_months, max_months: pr.ages.max_months },
            );
        }
        if pr.ages.max_months > MAX_AGE_MONTHS {
            p.push("profile.ages", Reason::AgeAboveLimit);
        }
        p.check_range("profile.max_children", pr.max_children as i64, 1, 10);
        p.limit_count("profile.languages", pr.languages.len(), MAX_LANGUAGES);
        for (i, l) in pr.languages.iter().enumerate() {
            p.require_text(&format!("profile.languages[{i}]"), l, MAX_LANGUAGE);
        }
        if let Some(km) = pr.max_distance_km {
            p.check_range("profile.max_distance_km", km as i64, 1, 1500);
        }
        for (field, date) in [
            ("profile.training_completed_on", pr.training_completed_on),
            ("profile.approved_on", pr.approved_on),
            ("profile.confirmed_on", pr.confirmed_on),
        ] {
            if date.is_some_and(|d| d > cx.today) {
                p.push(field, Reason::InTheFuture);
            }
        }
        if pr.status == FamilyStatus::Approved && pr.approved_on.is_none() {
            p.push("profile.approved_on", Reason::RequiredWhen { condition: "status=approved".into() });
        }
        if let (Some(approved), Some(review)) = (pr.approved_on, pr.review_on) {
            if review <= approved {
                p.push("profile.review_on", Reason::NotAfter { other_field: "profile.approved_on".into() });
            }
        }
        p.limit_text("profile.notes", &pr.notes, MAX_NOTES);
        p
    }
}
