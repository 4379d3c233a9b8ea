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
as_index!(PlacementKind, SpecialNeed);

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
    /// Shared with every family speaking them ([`Languages`]): no string of its own.
    pub languages: Box<[Arc<str>]>,
    pub max_distance_km: Option<u16>,
    pub trained: bool,
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
            languages: p
                .languages
                .iter()
                .map(|l| languages.intern(&crate::model::languages::canonical_name(l)))
                .collect(),
            max_distance_km: p.max_distance_km,
            trained: p.training_completed_on.is_some(),
            approved_on: p.approved_on,
            confirmed_on: p.confirmed_on,
            load,
        }
    }

    pub fn free_places(&self) -> u8 {
        self.max_children.saturating_sub(self.load.held)
    }
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
    pub contact: ContactFrequency,
    pub languages: Vec<String>,
    pub siblings: Vec<NeedCode>,
}

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
            emergency: p.kind == PlacementKind::Emergency || matches!(p.urgency, Urgency::Emergency { .. }),
            comune: p.comune,
            point: Point::of(comuni, p.comune),
            origin_comune: p.origin_comune,
            origin_point: p.origin_comune.and_then(|c| Point::of(comuni, c)),
            contact: p.contact.frequency,
            languages: p.languages.iter().map(|l| crate::model::languages::canonical_name(l).into_owned()).collect(),
            siblings: p.siblings.clone(),
        }
    }

    pub fn is_open(&self) -> bool {
        matches!(self.status, NeedStatus::Open | NeedStatus::Matching)
    }
}

/// One child of a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub code: NeedCode,
    pub age_months: u32,
    pub sex: Sex,
}

/// What is placed together: a need and the siblings still waiting with it.
/// The first need's kind, comune and family of origin speak for the unit.
#[derive(Debug, Clone)]
pub struct Unit {
    pub need: NeedCode,
    pub service: ServiceCode,
    pub members: Vec<Member>,
    pub special_needs: Mask,
    pub kind: PlacementKind,
    pub emergency: bool,
    pub comune: ComuneCode,
    pub point: Option<Point>,
    pub origin_comune: Option<ComuneCode>,
    pub origin_point: Option<Point>,
    pub contact: ContactFrequency,
    pub languages: Vec<String>,
}

impl Unit {
    /// The unit of `first` with `siblings` (those not closed), ages on `today`.
    pub fn of<'a>(first: &NeedFacts, siblings: impl IntoIterator<Item = &'a NeedFacts>, today: Date) -> Unit {
        let member = |n: &NeedFacts| Member {
            code: n.code,
            age_months: crate::model::dates::months_between(n.birth_date, today),
            sex: n.sex,
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
            need: first.code,
            service: first.service,
            members,
            special_needs,
            kind: first.kind,
            emergency: first.emergency,
            comune: first.comune,
            point: first.point,
            origin_comune: first.origin_comune,
            origin_point: first.origin_point,
            contact: first.contact,
            languages: first.languages.clone(),
        }
    }

    pub fn places(&self) -> u8 {
        self.members.len().min(u8::MAX as usize) as u8
    }

    pub fn codes(&self) -> Vec<NeedCode> {
        self.members.iter().map(|m| m.code).collect()
    }
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
