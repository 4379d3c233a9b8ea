//! A need (richiesta di affido) for one child: the child's identity, seen by
//! the child's own service only, and the placement need, shared under a
//! pseudonymous code.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use time::Date;

use super::age::MAX_AGE_MONTHS;
use super::codes::{NeedCode, ServiceCode};
use super::comune::ComuneCode;
use super::dates::months_between;
use super::fields::Field;
use super::fiscal_code;
use super::limits::{self, MAX_ADDRESS, MAX_CHILD_NAME, MAX_COURT, MAX_DECREE};
use super::meta::{Context, Meta};
use super::problem::{Problems, Reason};
use super::vocabulary::{
    ClosingReason, ContactFrequency, LegalBasis, NeedStatus, PlacementKind, Sex, SpecialNeed, TimeSlot, Urgency,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Need {
    pub code: NeedCode,
    pub service: ServiceCode,
    pub referent: String,
    pub identity: ChildIdentity,
    pub placement: PlacementNeed,
    pub meta: Meta,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedInput {
    pub service: Option<ServiceCode>,
    pub referent: Option<String>,
    pub identity: ChildIdentity,
    pub placement: PlacementNeed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildIdentity {
    pub given_name: String,
    pub family_name: String,
    pub birth_date: Date,
    pub fiscal_code: Option<String>,
    pub address: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacementNeed {
    pub sex: Sex,
    /// Other needs of the same service, to be placed together with this one.
    pub siblings: Vec<NeedCode>,
    pub kind: PlacementKind,
    pub legal: LegalBasis,
    pub urgency: Urgency,
    pub desired_start: Option<Date>,
    pub duration_months: Option<u16>,
    pub special_needs: BTreeSet<SpecialNeed>,
    pub languages: Vec<String>,
    pub cultural_notes: String,
    /// Where the child lives now.
    pub comune: ComuneCode,
    /// Where the family of origin lives (contact visits).
    pub origin_comune: Option<ComuneCode>,
    pub contact: OriginContact,
    pub school_comune: Option<ComuneCode>,
    pub status: NeedStatus,
    pub closing_reason: Option<ClosingReason>,
    pub notes: String,
    /// When the child needs the family (day care on weekdays, weekends
    /// only…); empty: the need names none. Absent from exports before
    /// version 6, read as empty.
    #[serde(default)]
    pub time_slots: BTreeSet<TimeSlot>,
}

/// Contact with the family of origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OriginContact {
    pub frequency: ContactFrequency,
    /// Incontri facilitati / spazio neutro.
    pub supervised: bool,
}

impl ChildIdentity {
    pub fn age_months(&self, today: Date) -> u32 {
        months_between(self.birth_date, today)
    }

    /// The age as other services see it: whole months counted from the
    /// birth month to the month before this one, so it never changes on a
    /// day that would give the birth date away (one month under at most).
    pub fn shared_age_months(&self, today: Date) -> u32 {
        let months = |d: Date| d.year() * 12 + u8::from(d.month()) as i32;
        (months(today) - months(self.birth_date) - 1).max(0) as u32
    }
}

pub use super::limits::{MAX_CULTURAL_NOTES, MAX_FISCAL_CODE, MAX_SIBLINGS};

impl NeedInput {
    pub fn validate(&self, cx: &Context) -> Problems {
        self.validate_since(cx, None)
    }

    /// `validate` for a change of a need whose placement need was `before`:
    /// a date sent again unchanged is not aged out by a window that moves
    /// with today (a desired start long past stays as it was).
    pub fn validate_since(&self, cx: &Context, before: Option<&PlacementNeed>) -> Problems {
        let mut p = Problems::new();
        if let Some(r) = &self.referent {
            p.limit_text(Field::Referent, r, super::operator::MAX_USER);
        }
        let id = &self.identity;
        p.require_text(Field::GivenName, &id.given_name, MAX_CHILD_NAME);
        p.require_text(Field::FamilyName, &id.family_name, MAX_CHILD_NAME);
        p.limit_text(Field::IdentityAddress, &id.address, MAX_ADDRESS);
        let age = id.age_months(cx.today);
        // A closed need is history: the child may have grown past every limit since.
        let open = self.placement.status != NeedStatus::Closed;
        if id.birth_date > cx.today {
            p.push(Field::BirthDate, Reason::InTheFuture);
        } else if open && age > MAX_AGE_MONTHS as u32 {
            p.push(Field::BirthDate, Reason::AgeAboveLimit);
        } else {
            p.check_date(Field::BirthDate, id.birth_date, limits::CHILD_BIRTH_DATE, cx.today);
        }
        // Spaces are forgiven in a fiscal code; a control character is refused as such first.
        let fiscal_code = id.fiscal_code.as_deref().filter(|cf| p.limit_text(Field::FiscalCode, cf, MAX_FISCAL_CODE));
        if let Some(cf) = fiscal_code {
            let person = fiscal_code::Person {
                surname: &id.family_name,
                name: &id.given_name,
                birth_date: id.birth_date,
                female: self.placement.sex == Sex::Female,
            };
            for reason in fiscal_code::check_person(cf, &person, cx.comuni) {
                p.push(Field::FiscalCode, reason);
            }
        }

        let pl = &self.placement;
        match (pl.kind, age >= 18 * 12) {
            _ if !open => {}
            (PlacementKind::YoungAdult, false) if age < 17 * 12 => {
                p.push(Field::PlacementKind, Reason::AgeOutsideKind { age_months: age })
            }
            (k, true) if k != PlacementKind::YoungAdult && k != PlacementKind::ParentAndChild => {
                p.push(Field::PlacementKind, Reason::AgeOutsideKind { age_months: age })
            }
            _ => {}
        }
        if open && pl.special_needs.contains(&SpecialNeed::Infant) && age >= 24 {
            p.push(Field::SpecialNeeds, Reason::InfantTooOld);
        }
        match &pl.legal {
            LegalBasis::Judicial { court, decree } => {
                p.require_text(Field::Court, court, MAX_COURT);
                p.require_text(Field::Decree, decree, MAX_DECREE);
            }
            LegalBasis::Art403 { ordered_on } => {
                let was = before.and_then(|b| match b.legal {
                    LegalBasis::Art403 { ordered_on } => Some(ordered_on),
                    _ => None,
                });
                if *ordered_on > cx.today {
                    p.push(Field::OrderedOn, Reason::InTheFuture);
                } else {
                    p.check_date_since(Field::OrderedOn, Some(*ordered_on), was, limits::ORDERED_ON, cx.today);
                }
            }
            LegalBasis::Consensual => {}
        }
        p.check_date_since(
            Field::DesiredStart,
            pl.desired_start,
            before.and_then(|b| b.desired_start),
            limits::DESIRED_START,
            cx.today,
        );
        if let Urgency::Emergency { needed_by } = pl.urgency {
            let was = before.and_then(|b| match b.urgency {
                Urgency::Emergency { needed_by } => Some(needed_by),
                Urgency::Ordinary => None,
            });
            p.check_date_since(Field::Urgency, Some(needed_by), was, limits::NEEDED_BY, cx.today);
        }
        if let Some(d) = pl.duration_months {
            p.check_range(Field::DurationMonths, d as i64, 1, 240);
        }
        p.limit_count(Field::Siblings, pl.siblings.len(), MAX_SIBLINGS);
        let mut seen = BTreeSet::new();
        for s in &pl.siblings {
            if !seen.insert(*s) {
                p.push(Field::Siblings, Reason::Duplicate { value: s.to_string() });
            }
        }
        let stored = before.map(|b| b.languages.as_slice()).unwrap_or_default();
        super::languages::check_list(&mut p, Field::PlacementLanguages, &pl.languages, stored);
        p.limit_text(Field::CulturalNotes, &pl.cultural_notes, MAX_CULTURAL_NOTES);
        for (field, comune) in [
            (Field::PlacementComune, Some(pl.comune)),
            (Field::OriginComune, pl.origin_comune),
            (Field::SchoolComune, pl.school_comune),
        ] {
            if let Some(c) = comune {
                if cx.comuni.get(c).is_none() {
                    p.push(field, Reason::UnknownComune { code: c.to_string() });
                }
            }
        }
        match (pl.status, pl.closing_reason) {
            (NeedStatus::Closed, None) => {
                p.push(Field::ClosingReason, Reason::RequiredWhen { condition: "status=closed".into() })
            }
            (s, Some(_)) if s != NeedStatus::Closed => {
                p.push(Field::ClosingReason, Reason::NotExpected { condition: "status!=closed".into() })
            }
            _ => {}
        }
        p.limit_text(Field::PlacementNotes, &pl.notes, limits::MAX_NOTES);
        p
    }
}
