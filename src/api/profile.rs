//! Asking by profile: the child a caller describes on the phone, never
//! recorded, and the candidate families the bank would rank for it.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use time::Date;

use super::{Candidate, HardRule};
use crate::model::limits::{DESIRED_START, MAX_AMBIT_NAME, MAX_DISTANCE_KM, MAX_PLACED_TOGETHER};
use crate::model::*;

/// One child of a profile: an age, never a birth date or a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileChild {
    pub age_months: u32,
    /// None: not said (any sex preference of a family then fits).
    pub sex: Option<Sex>,
}

/// Where the families are to be looked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Within {
    /// Within this many kilometres of the profile's comune.
    Km(u16),
    /// In a comune of the presidio (district) of this name.
    District(String),
    /// In a comune of the ambito of this name.
    Ambit(String),
}

/// A child described by profile: what a recorded need says for matching,
/// without an identity. Several children are siblings placed together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildProfile {
    pub children: Vec<ProfileChild>,
    pub kind: PlacementKind,
    pub emergency: bool,
    /// Empty: no constraint of time.
    pub time_slots: BTreeSet<TimeSlot>,
    pub special_needs: BTreeSet<SpecialNeed>,
    pub languages: Vec<String>,
    /// The desired start (None: today).
    pub start: Option<Date>,
    /// The child's comune, for distance and territory.
    pub comune: Option<ComuneCode>,
    pub within: Option<Within>,
}

/// Families for a profile: the same candidates as `NeedRanking`, for a
/// child that is described rather than recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileRanking {
    pub profile: ChildProfile,
    /// Families looked at (those in the place asked, when one is).
    pub considered: u32,
    /// Families that failed a hard rule, by the first rule they failed.
    pub excluded: Vec<(HardRule, u32)>,
    pub candidates_total: u32,
    pub candidates: Vec<Candidate>,
}

/// The kind a phone call means when it names only times: weekends and
/// holidays are tempo libero, weekdays and afternoons day care (the CLI's
/// `available` without `--kind`, and the interface's "from the times").
pub fn kind_from_slots(slots: &BTreeSet<TimeSlot>) -> PlacementKind {
    use TimeSlot::*;
    if !slots.is_empty() && slots.iter().all(|s| matches!(s, Weekends | Holidays)) {
        PlacementKind::Respite
    } else if !slots.is_empty() && slots.iter().all(|s| matches!(s, Weekdays | Afternoons)) {
        PlacementKind::Daytime
    } else {
        PlacementKind::Residential
    }
}

impl ChildProfile {
    /// What can be said of a profile without the bank's index: counts,
    /// ages, languages of the vocabulary, the radius, names and the start
    /// date in their bounds. Checked before any lock is taken, so a
    /// hostile profile costs nothing to the others.
    pub fn problems(&self, today: Date) -> Problems {
        let mut p = Problems::new();
        if self.children.is_empty() || self.children.len() > MAX_PLACED_TOGETHER {
            p.push(Field::ChildAge, Reason::OutOfRange { min: 1, max: MAX_PLACED_TOGETHER as i64 });
        }
        if self.children.iter().any(|c| c.age_months > u32::from(crate::model::age::MAX_AGE_MONTHS)) {
            p.push(Field::ChildAge, Reason::AgeAboveLimit);
        }
        crate::model::languages::check_list(&mut p, Field::PlacementLanguages, &self.languages, &[]);
        match &self.within {
            Some(Within::Km(km)) => p.check_range(Field::WithinKm, i64::from(*km), 1, i64::from(MAX_DISTANCE_KM)),
            Some(Within::District(name)) => p.require_text(Field::WithinDistrict, name, MAX_AMBIT_NAME),
            Some(Within::Ambit(name)) => p.require_text(Field::WithinAmbit, name, MAX_AMBIT_NAME),
            None => {}
        }
        if let Some(start) = self.start {
            p.check_date(Field::DesiredStart, start, DESIRED_START, today);
        }
        p
    }
}
