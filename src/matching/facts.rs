//! What matching needs to know of families and needs: compact copies of
//! the records, kept in memory so one need is ranked against a whole
//! province in milliseconds.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use time::Date;

use crate::model::comune::EARTH_RADIUS_KM;
use crate::model::*;

/// A set of vocabulary terms as bits (vocabularies have under 16 terms).
pub type Mask = u16;

pub fn bit<T: Copy + Into<usize>>(t: T) -> Mask {
    1 << t.into()
}

macro_rules! as_index {
    ($($t:ty),*) => {$(
        impl From<$t> for usize {
            fn from(v: $t) -> usize { v as usize }
        }
    )*};
}
as_index!(PlacementKind, SpecialNeed, TimeSlot, Equipment);

pub fn mask_of<T: Copy + Into<usize>>(items: impl IntoIterator<Item = T>) -> Mask {
    items.into_iter().fold(0, |m, t| m | bit(t))
}

/// A comune's seat, ready for the haversine formula.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    lat: f64,
    lon: f64,
    cos_lat: f64,
}

impl Point {
    pub fn of(comuni: &Comuni, code: ComuneCode) -> Option<Point> {
        let c = comuni.get(code)?.coords?;
        let lat = c.lat.to_radians();
        Some(Point { lat, lon: c.lon.to_radians(), cos_lat: lat.cos() })
    }

    /// Same great-circle distance as `Comuni::distance_km`.
    pub fn km(self, other: Point) -> f64 {
        let h = ((other.lat - self.lat) / 2.0).sin().powi(2)
            + self.cos_lat * other.cos_lat * ((other.lon - self.lon) / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
    }
}

pub fn distance(a: Option<Point>, b: Option<Point>) -> Option<f64> {
    Some(a?.km(b?))
}

/// A family as matching sees it: its availability profile and its load.
#[derive(Debug, Clone)]
pub struct FamilyFacts {
    pub code: FamilyCode,
    pub service: ServiceCode,
    pub status: FamilyStatus,
    pub comune: ComuneCode,
    pub point: Option<Point>,
    pub kinds: Mask,
    pub ages: AgeRange,
    pub sex_preference: SexPreference,
    pub max_children: u8,
    pub siblings_accepted: bool,
    pub special_needs: Mask,
    pub emergencies: bool,
    /// The times the family offers (`TimeSlot` bits).
    pub time_slots: Mask,
    /// The period the family is available in (either end open).
    pub available_from: Option<Date>,
    pub available_until: Option<Date>,
    /// Shared with every family speaking them ([`Languages`]): no string of its own.
    pub languages: Box<[Arc<str>]>,
    pub max_distance_km: Option<u16>,
    pub trained: bool,
    /// Whether the family has said what it offers (a first contact may not have).
    pub availability_known: bool,
    /// Support group meetings attended in the twelve months before the
    /// family was last saved (its support log).
    pub groups: u16,
    pub approved_on: Option<Date>,
    pub confirmed_on: Option<Date>,
    pub load: Load,
}

/// What the family's proposals and placements take and have taught.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Load {
    /// Places taken by active placements and accepted proposals.
    pub held: u8,
    /// Placements (ongoing or ended), by kind.
    pub placements_by_kind: [u16; 8],
    /// The latest start or end of a placement.
    pub last_placement: Option<Date>,
}

impl FamilyFacts {
    pub fn of(f: &Family, comuni: &Comuni, load: Load, languages: &mut Languages) -> FamilyFacts {
        let p = &f.profile;
        FamilyFacts {
            code: f.code,
            service: f.service,
            status: p.status,
            comune: p.comune,
            point: Point::of(comuni, p.comune),
            kinds: mask_of(p.kinds.iter().copied()),
            ages: p.ages,
            sex_preference: p.sex_preference,
            max_children: p.max_children,
            siblings_accepted: p.siblings_accepted,
            special_needs: mask_of(p.special_needs_accepted.iter().copied()),
            emergencies: p.kinds.contains(&PlacementKind::Emergency) || p.time_slots.contains(&TimeSlot::OnCall),
            time_slots: mask_of(p.time_slots.iter().copied()),
            available_from: p.available_from,
            available_until: p.available_until,
            languages: p
                .languages
                .iter()
                .map(|l| languages.intern(&crate::model::languages::canonical_name(l)))
                .collect(),
            max_distance_km: p.max_distance_km,
            trained: p.training_completed_on.is_some()
                || f.pathway.steps.iter().any(|s| s.kind == crate::model::StepKind::Training),
            groups: groups_in_last_year(f),
            availability_known: f.pathway.availability_known,
            approved_on: p.approved_on,
            confirmed_on: p.confirmed_on,
            load,
        }
    }

    pub fn free_places(&self) -> u8 {
        self.max_children.saturating_sub(self.load.held)
    }
}

/// Support group meetings in the year up to the family's latest entry:
/// judged on the record alone, so the same family always ranks the same.
fn groups_in_last_year(f: &Family) -> u16 {
    let groups = || f.support.iter().filter(|e| e.kind == crate::model::SupportKind::Group);
    let Some(latest) = groups().map(|e| e.date).max() else { return 0 };
    let from = latest - time::Duration::days(365);
    groups().filter(|e| e.date > from).count().min(u16::MAX as usize) as u16
}

/// The languages families speak, each held once for all of them.
#[derive(Debug, Clone, Default)]
pub struct Languages(HashSet<Arc<str>>);

impl Languages {
    pub fn intern(&mut self, language: &str) -> Arc<str> {
        if let Some(l) = self.0.get(language) {
            return l.clone();
        }
        let l: Arc<str> = Arc::from(language);
        self.0.insert(l.clone());
        l
    }
}

/// An open need as matching sees it; the birth date stays inside the core.
#[derive(Debug, Clone)]
pub struct NeedFacts {
    pub code: NeedCode,
    pub service: ServiceCode,
    pub status: NeedStatus,
    pub birth_date: Date,
    pub sex: Sex,
    pub special_needs: Mask,
    pub kind: PlacementKind,
    pub emergency: bool,
    pub comune: ComuneCode,
    pub point: Option<Point>,
    pub origin_comune: Option<ComuneCode>,
    pub origin_point: Option<Point>,
    /// The school's comune, for the kinds where it counts (`counts_school`).
    pub school_point: Option<Point>,
    pub contact: ContactFrequency,
    pub languages: Vec<String>,
    pub siblings: Vec<NeedCode>,
    pub time_slots: Mask,
    pub desired_start: Option<Date>,
}

/// A need whose child is needed within this many days is urgent.
pub const URGENT_WITHIN_DAYS: i64 = 7;

impl NeedFacts {
    pub fn of(n: &Need, comuni: &Comuni) -> NeedFacts {
        let p = &n.placement;
        NeedFacts {
            code: n.code,
            service: n.service,
            status: p.status,
            birth_date: n.identity.birth_date,
            sex: p.sex,
            special_needs: mask_of(p.special_needs.iter().copied()),
            kind: p.kind,
            emergency: p.is_emergency(),
            comune: p.comune,
            point: Point::of(comuni, p.comune),
            origin_comune: p.origin_comune,
            origin_point: p.origin_comune.and_then(|c| Point::of(comuni, c)),
            school_point: p.school_comune.filter(|_| counts_school(p.kind)).and_then(|c| Point::of(comuni, c)),
            contact: p.contact.frequency,
            languages: p.languages.iter().map(|l| crate::model::languages::canonical_name(l).into_owned()).collect(),
            siblings: p.siblings.clone(),
            time_slots: mask_of(p.time_slots.iter().copied()),
            desired_start: p.desired_start,
        }
    }

    /// Urgent in a family's view of open needs: an emergency (by kind or
    /// urgency, whatever its deadline), or a desired start at most
    /// `URGENT_WITHIN_DAYS` ahead: a start already passed with the child
    /// still waiting is more urgent, not less.
    pub fn is_urgent(&self, today: Date) -> bool {
        let soon = today + time::Duration::days(URGENT_WITHIN_DAYS);
        self.emergency || self.desired_start.is_some_and(|d| d <= soon)
    }

    pub fn is_open(&self) -> bool {
        matches!(self.status, NeedStatus::Open | NeedStatus::Matching)
    }
}

/// One child of a unit: a recorded need, or a child described by profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// None for a child described by profile.
    pub code: Option<NeedCode>,
    pub age_months: u32,
    /// None when a profile does not say.
    pub sex: Option<Sex>,
}

/// Under this age (in months) a child is an infant: only families that
/// accept infants (`SpecialNeed::Infant`) take one.
pub const INFANT_UNDER_MONTHS: u32 = 24;

/// What is placed together: a need and the siblings still waiting with it,
/// or the children of a profile. The first need's kind, comune and family
/// of origin speak for the unit.
#[derive(Debug, Clone)]
pub struct Unit {
    /// The first need; None for a profile.
    pub need: Option<NeedCode>,
    pub members: Vec<Member>,
    /// The children's special needs, infancy from their ages (never from a tag).
    pub special_needs: Mask,
    pub kind: PlacementKind,
    pub emergency: bool,
    /// None for a profile that names no comune.
    pub comune: Option<ComuneCode>,
    pub point: Option<Point>,
    /// Where the child goes to school, counted for day care (`counts_school`).
    pub school_point: Option<Point>,
    pub origin_comune: Option<ComuneCode>,
    pub origin_point: Option<Point>,
    pub contact: ContactFrequency,
    pub languages: Vec<String>,
    /// The times the child needs a family for (none named: no constraint).
    pub time_slots: Mask,
    /// When the child needs the family from: the desired start, or today
    /// when none is given or it has passed (against the availability periods).
    pub start: Date,
}

/// The special needs of children of these ages: the tags, with infancy
/// from the ages alone.
fn with_infancy(tags: Mask, members: &[Member]) -> Mask {
    let infant = members.iter().any(|m| m.age_months < INFANT_UNDER_MONTHS);
    (tags & !bit(SpecialNeed::Infant)) | if infant { bit(SpecialNeed::Infant) } else { 0 }
}

impl Unit {
    /// The unit of `first` with `siblings` (those not closed), ages on `today`.
    pub fn of<'a>(first: &NeedFacts, siblings: impl IntoIterator<Item = &'a NeedFacts>, today: Date) -> Unit {
        let member = |n: &NeedFacts| Member {
            code: Some(n.code),
            age_months: crate::model::dates::months_between(n.birth_date, today),
            sex: Some(n.sex),
        };
        let mut members = vec![member(first)];
        let mut special_needs = first.special_needs;
        for s in siblings {
            if s.code != first.code && s.status != NeedStatus::Closed {
                members.push(member(s));
                special_needs |= s.special_needs;
            }
        }
        Unit {
            need: Some(first.code),
            special_needs: with_infancy(special_needs, &members),
            members,
            kind: first.kind,
            emergency: first.emergency,
            comune: Some(first.comune),
            point: first.point,
            school_point: first.school_point,
            origin_comune: first.origin_comune,
            origin_point: first.origin_point,
            contact: first.contact,
            languages: first.languages.clone(),
            time_slots: first.time_slots,
            start: first.desired_start.map_or(today, |d| d.max(today)),
        }
    }

    /// The unit of children described by profile: nothing recorded, no
    /// family of origin to visit.
    pub fn of_profile(p: &crate::api::ChildProfile, comuni: &Comuni, today: Date) -> Unit {
        let members: Vec<Member> =
            p.children.iter().map(|c| Member { code: None, age_months: c.age_months, sex: c.sex }).collect();
        Unit {
            need: None,
            special_needs: with_infancy(mask_of(p.special_needs.iter().copied()), &members),
            members,
            kind: p.kind,
            emergency: p.emergency,
            comune: p.comune,
            point: p.comune.and_then(|c| Point::of(comuni, c)),
            school_point: None,
            origin_comune: None,
            origin_point: None,
            contact: ContactFrequency::None,
            languages: p.languages.iter().map(|l| crate::model::languages::canonical_name(l).into_owned()).collect(),
            time_slots: mask_of(p.time_slots.iter().copied()),
            start: p.start.map_or(today, |d| d.max(today)),
        }
    }

    pub fn places(&self) -> u8 {
        self.members.len().min(u8::MAX as usize) as u8
    }

    /// The needs of the unit (none for a profile).
    pub fn codes(&self) -> Vec<NeedCode> {
        self.members.iter().filter_map(|m| m.code).collect()
    }

    /// The way to the family that counts: from the child's comune, or for
    /// day care from the school's when that is nearer (the family may take
    /// the child from either).
    pub fn distance_to(&self, family: Option<Point>) -> Option<f64> {
        let home = distance(self.point, family);
        match distance(self.school_point, family) {
            Some(school) => Some(home.map_or(school, |h| h.min(school))),
            None => home,
        }
    }
}

/// Whether the school's comune counts in distance: for the kinds where the
/// child keeps living at home and spends part of the day with the family.
pub fn counts_school(kind: PlacementKind) -> bool {
    matches!(kind, PlacementKind::Daytime | PlacementKind::LightSupport)
}

/// Which ambito and presidio each comune belongs to.
#[derive(Debug, Clone, Default)]
pub struct Areas {
    of: HashMap<ComuneCode, (u16, Option<u16>)>,
    ambits: Vec<String>,
    districts: Vec<String>,
}

/// Where a comune stands among the registered ambiti.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Area {
    pub ambit: u16,
    pub district: Option<u16>,
}

impl Areas {
    pub fn new(ambits: &[Ambit]) -> Areas {
        let mut areas = Areas::default();
        for a in ambits {
            let ai = areas.ambits.len() as u16;
            areas.ambits.push(a.details.name.clone());
            for c in &a.details.comuni {
                areas.of.insert(*c, (ai, None));
            }
            for d in &a.details.districts {
                let di = areas.districts.len() as u16;
                areas.districts.push(d.name.clone());
                for c in &d.comuni {
                    areas.of.insert(*c, (ai, Some(di)));
                }
            }
        }
        areas
    }

    pub fn area(&self, comune: ComuneCode) -> Option<Area> {
        self.of.get(&comune).map(|(ambit, district)| Area { ambit: *ambit, district: *district })
    }

    pub fn ambit_name(&self, a: Area) -> &str {
        &self.ambits[a.ambit as usize]
    }

    pub fn district_name(&self, d: u16) -> &str {
        &self.districts[d as usize]
    }
}
