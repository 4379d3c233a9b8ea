//! The families' list filters of the phone call (a child's age and sex,
//! time slots, free places, near a comune, a presidio or an ambito),
//! resolved once per request and then applied to each family, on its
//! record (lists) or on its matching facts (counts, the distance order).
//!
//! The distance order pages like any list: its cursor is the distance
//! (metres, big-endian) followed by the family's code key, so a page
//! starts just after the last family the previous one looked at, and a
//! family created in between lands on one side of the cursor only. A
//! family whose comune changes between two pages is measured again: it
//! may show twice (moved farther) or not at all (moved nearer), as a
//! list by comune would; the interface keeps a family once by its code.

use std::collections::HashSet;

use crate::matching::{mask_of, offered_slots, FamilyFacts};
use crate::model::comune::{distance_km, normalize};
use crate::model::limits::{MAX_AMBIT_NAME, MAX_DISTANCE_KM};
use crate::model::*;
use crate::store::TreeId;

use super::paging::{decoded, Order, Pager};
use super::*;

/// A filter resolved against the bank: the comune distances are measured
/// from, and the comuni a presidio or an ambito holds.
pub(super) struct FamilyQuery<'f> {
    filter: &'f FamilyFilter,
    comuni: &'static Comuni,
    origin: Option<&'static Comune>,
    /// The comuni of the presidio and/or ambito asked (both: those of both).
    within: Option<HashSet<ComuneCode>>,
}

impl<'f> FamilyQuery<'f> {
    /// The families' free places are needed to answer (free, at least N free).
    pub(super) fn counts_places(&self) -> bool {
        self.filter.free_places.is_some() || self.filter.min_free.is_some()
    }

    /// Whether the matching facts answer every filter (else the records are read).
    pub(super) fn facts_suffice(&self) -> bool {
        self.filter.referent.is_none()
    }

    /// Every time slot asked is offered, as matching reads a family's
    /// slots (full time covers all but on call).
    fn offers(&self, named: u16) -> bool {
        let asked = mask_of(self.filter.time_slots.iter().copied());
        offered_slots(named) & asked == asked
    }

    /// Metres from the comune asked near to `comune`, when both are placed on the map.
    pub(super) fn distance_m(&self, comune: ComuneCode) -> Option<u32> {
        let km = distance_km(self.origin?, self.comuni.get(comune)?)?;
        Some((km * 1000.0).round() as u32)
    }

    /// The filters a family's comune, ages, sex preference and free places
    /// answer, whether read from the record or from the facts.
    fn keeps_profile(&self, comune: ComuneCode, ages: AgeRange, pref: SexPreference, free: Option<u8>) -> bool {
        let f = self.filter;
        f.age_months.is_none_or(|a| ages.contains(a))
            && f.sex.is_none_or(|s| sex_fits(pref, s))
            && f.free_places.is_none_or(|want| free.is_none_or(|n| n > 0) == want)
            && f.min_free.is_none_or(|n| free.is_none_or(|free| free >= n))
            && self.within.as_ref().is_none_or(|w| w.contains(&comune))
            && self.near_enough(comune)
    }

    /// Within the radius asked; with no radius, every family is near enough.
    fn near_enough(&self, comune: ComuneCode) -> bool {
        match self.filter.near.and_then(|n| n.km) {
            Some(km) => self.distance_m(comune).is_some_and(|m| m <= u32::from(km) * 1000),
            None => true,
        }
    }

    /// Every filter but the referent, on the matching facts.
    pub(super) fn keeps_facts(&self, x: &FamilyFacts, today: Date, stale_after: u32) -> bool {
        let f = self.filter;
        let kind = f.kind.map(|k| crate::matching::mask_of([k]));
        f.status.is_none_or(|s| x.status == s)
            && f.stale.is_none_or(|s| {
                (x.availability_known && crate::model::family::stale_since(x.confirmed_on, today, stale_after)) == s
            })
            && kind.is_none_or(|m| x.kinds & m != 0)
            && f.service.is_none_or(|s| x.service == s)
            && f.comune.is_none_or(|c| x.comune == c)
            && self.offers(x.time_slots)
            && self.keeps_profile(x.comune, x.ages, x.sex_preference, Some(x.free_places()))
    }

    /// Every filter on the record; `free`: its places free now, when the
    /// matching index knows it (a family it does not hold counts as free).
    pub(super) fn keeps_record(&self, x: &Family, free: Option<u8>, today: Date, stale_after: u32) -> bool {
        let (f, p) = (self.filter, &x.profile);
        f.status.is_none_or(|s| p.status == s)
            && f.kind.is_none_or(|k| p.kinds.contains(&k))
            && f.service.is_none_or(|s| x.service == s)
            && f.comune.is_none_or(|c| p.comune == c)
            && f.referent.as_ref().is_none_or(|r| &x.referent == r)
            && f.stale.is_none_or(|s| x.is_stale(today, stale_after) == s)
            && self.offers(mask_of(p.time_slots.iter().copied()))
            && self.keeps_profile(p.comune, p.ages, p.sex_preference, free)
    }
}

/// A family preferring `pref` takes a child of sex `sex`.
fn sex_fits(pref: SexPreference, sex: Sex) -> bool {
    match pref {
        SexPreference::Any => true,
        SexPreference::Female => sex == Sex::Female,
        SexPreference::Male => sex == Sex::Male,
    }
}

/// The cursor key of a family in the distance order: the distance in
/// metres (none: last), big-endian, then the family's code key.
fn distance_key(distance_m: Option<u32>, code: FamilyCode) -> [u8; 10] {
    let mut key = [0u8; 10];
    key[..4].copy_from_slice(&distance_m.unwrap_or(u32::MAX).to_be_bytes());
    key[4..].copy_from_slice(&code.key());
    key
}

impl Bank {
    /// `filter` checked and resolved: a distance order needs a comune to
    /// measure from; a comune, presidio or ambito named must exist.
    pub(super) fn family_query<'f>(&self, filter: &'f FamilyFilter) -> Result<FamilyQuery<'f>, BankError> {
        // Names are bounded before anything is looked up (they come back in a refusal).
        let mut names = Problems::new();
        if let Some(a) = &filter.ambit {
            names.require_text(Field::WithinAmbit, a, MAX_AMBIT_NAME);
        }
        if let Some(d) = &filter.district {
            names.require_text(Field::WithinDistrict, d, MAX_AMBIT_NAME);
        }
        if !names.is_empty() {
            return Err(BankError::Invalid(names.into_vec()));
        }
        let origin = match filter.near {
            Some(near) => Some(self.comuni.get(near.comune).ok_or_else(|| {
                BankError::invalid(Field::Near, Reason::UnknownComune { code: near.comune.to_string() })
            })?),
            None if filter.sort == FamilySort::Distance => {
                return Err(BankError::invalid(Field::Near, Reason::RequiredWhen { condition: "sort=distance".into() }))
            }
            None => None,
        };
        if let Some(km) = filter.near.and_then(|n| n.km) {
            if !(1..=MAX_DISTANCE_KM).contains(&km) {
                return Err(BankError::invalid(
                    Field::WithinKm,
                    Reason::OutOfRange { min: 1, max: i64::from(MAX_DISTANCE_KM) },
                ));
            }
        }
        // A comune with no place on the map: no distance can be measured
        // from it, so a radius or a distance order is refused, not answered empty.
        let asks_distance = filter.near.and_then(|n| n.km).is_some() || filter.sort == FamilySort::Distance;
        if asks_distance && origin.is_some_and(|o| o.coords.is_none()) {
            return Err(BankError::invalid(
                Field::WithinKm,
                Reason::NotExpected { condition: "comune=unplaced".into() },
            ));
        }
        let within = self.comuni_within(filter.ambit.as_deref(), filter.district.as_deref())?;
        Ok(FamilyQuery { filter, comuni: self.comuni, origin, within })
    }

    /// The comuni of an ambito and/or a presidio, by name; none asked: none.
    fn comuni_within(
        &self,
        ambit: Option<&str>,
        district: Option<&str>,
    ) -> Result<Option<HashSet<ComuneCode>>, BankError> {
        let ambits: Vec<Ambit> = match ambit {
            None if district.is_none() => return Ok(None),
            Some(name) => {
                let found = self.store.get::<Ambit>(TreeId::Ambits, normalize(name).as_bytes())?;
                let (_, ambit) = found.ok_or_else(|| {
                    BankError::invalid(Field::WithinAmbit, Reason::UnknownAmbit { name: name.into() })
                })?;
                vec![ambit]
            }
            None => {
                let all = self.entries_after(TreeId::Ambits, None, Order::Up);
                all.map(|kv| decoded::<Ambit>(TreeId::Ambits, kv).map(|(_, _, a)| a)).collect::<Result<_, _>>()?
            }
        };
        let Some(name) = district else {
            let a = &ambits[0].details;
            return Ok(Some(a.comuni.iter().chain(a.districts.iter().flat_map(|d| &d.comuni)).copied().collect()));
        };
        // A presidio's name, as its ambito spells it; the same name in two ambiti: both.
        let key = normalize(name);
        let districts: Vec<&District> =
            ambits.iter().flat_map(|a| &a.details.districts).filter(|d| normalize(&d.name) == key).collect();
        if districts.is_empty() {
            return Err(BankError::invalid(Field::WithinDistrict, Reason::UnknownDistrict { name: name.into() }));
        }
        Ok(Some(districts.into_iter().flat_map(|d| d.comuni.iter().copied()).collect()))
    }

    /// The families `query` keeps, nearest first, into `page`, from just
    /// after the filter's cursor; true when the page filled before the end.
    /// The facts choose and order the candidates (no record read); each
    /// candidate's record is read for the filters the facts cannot answer
    /// and for its view.
    pub(super) fn walk_families_by_distance(
        &self,
        query: &FamilyQuery<'_>,
        mut look: impl FnMut(&mut Pager<FamilyView>, IVecKey, Option<(u64, Family)>) -> Result<bool, BankError>,
        page: &mut Pager<FamilyView>,
    ) -> Result<bool, BankError> {
        let (today, stale_after) = (self.today(), self.config.stale_after_months);
        let after = query.filter.after.as_ref().map(|c| c.key());
        let mut order: Vec<([u8; 10], FamilyCode)> = {
            let index = self.index();
            index
                .families()
                .filter(|x| query.keeps_facts(x, today, stale_after))
                .map(|x| (distance_key(query.distance_m(x.comune), x.code), x.code))
                .filter(|(key, _)| after.is_none_or(|a| key.as_slice() > a))
                .collect()
        };
        // A page looks at so many at most: only the nearest of them are put in order.
        let most = page.most_looked();
        if order.len() > most {
            order.select_nth_unstable(most);
            order.truncate(most);
        }
        order.sort_unstable();
        for (key, code) in order {
            let found = self.store.get::<Family>(TreeId::Families, &code.key())?;
            if !look(page, IVecKey::from(&key[..]), found)? {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// A key as the pager keeps it.
pub(super) type IVecKey = crate::store::Bytes;
