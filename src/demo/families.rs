//! Foster families: who they are, what they offer, and where they stand in
//! the assessment, with dates that tell a consistent story.

use std::collections::{BTreeMap, BTreeSet};

use rand::Rng;
use time::{Date, OffsetDateTime};

use crate::model::dates::add_months;
use crate::model::*;

use super::calendar::{add_days, day_between, workday, Calendar};
use super::directory::{Desk, Directory};
use super::names::{self, pick, pick_ref, weighted};
use super::{stamp_update, Made};

/// Days back from today when families of each status were first recorded.
const HISTORY: i64 = 36_500;

const STATUSES: &[(FamilyStatus, u32)] = &[
    (FamilyStatus::Approved, 60),
    (FamilyStatus::UnderAssessment, 10),
    (FamilyStatus::Enquiring, 10),
    (FamilyStatus::Suspended, 8),
    (FamilyStatus::Withdrawn, 7),
    (FamilyStatus::NotApproved, 5),
];

/// What a family offers: kinds of affido, when, for which ages.
struct Mix {
    kinds: &'static [PlacementKind],
    slots: &'static [TimeSlot],
    ages: &'static [AgeRange],
}

const fn years(from: u16, to: u16) -> AgeRange {
    AgeRange { min_months: from * 12, max_months: to * 12 + 11 }
}

use PlacementKind as K;
use TimeSlot as T;

const MIXES: &[(Mix, u32)] = &[
    (
        Mix {
            kinds: &[K::Residential],
            slots: &[T::FullTime],
            ages: &[years(0, 3), years(0, 6), years(3, 10), years(6, 14), years(11, 17), years(0, 17)],
        },
        25,
    ),
    (
        Mix {
            kinds: &[K::Residential, K::Respite],
            slots: &[T::FullTime, T::Weekends, T::Holidays],
            ages: &[years(0, 6), years(3, 10), years(6, 14), years(0, 17)],
        },
        11,
    ),
    (
        Mix {
            kinds: &[K::Residential, K::Emergency],
            slots: &[T::FullTime, T::OnCall],
            ages: &[years(0, 3), years(0, 6), years(0, 10)],
        },
        5,
    ),
    (
        Mix {
            kinds: &[K::Emergency],
            slots: &[T::FullTime, T::OnCall],
            ages: &[AgeRange { min_months: 0, max_months: 24 }, years(0, 6)],
        },
        2,
    ),
    (
        Mix {
            kinds: &[K::Daytime],
            slots: &[T::Weekdays, T::Afternoons],
            ages: &[years(3, 10), years(6, 14), years(11, 17)],
        },
        12,
    ),
    (
        Mix {
            kinds: &[K::Daytime, K::Respite],
            slots: &[T::Afternoons, T::Weekends, T::Holidays],
            ages: &[years(3, 10), years(6, 14)],
        },
        10,
    ),
    (
        Mix {
            kinds: &[K::Respite],
            slots: &[T::Weekends, T::Holidays],
            ages: &[years(3, 10), years(6, 14), years(0, 17)],
        },
        7,
    ),
    (
        Mix {
            kinds: &[K::LightSupport],
            slots: &[T::Afternoons, T::Weekends],
            ages: &[years(3, 10), years(6, 14), years(11, 17), years(0, 17)],
        },
        9,
    ),
    (
        Mix {
            kinds: &[K::LightSupport, K::Daytime],
            slots: &[T::Weekdays, T::Afternoons],
            ages: &[years(6, 14), years(11, 17)],
        },
        7,
    ),
    (Mix { kinds: &[K::Residential, K::ParentAndChild], slots: &[T::FullTime], ages: &[years(0, 3), years(0, 6)] }, 3),
    (Mix { kinds: &[K::YoungAdult], slots: &[T::FullTime], ages: &[years(17, 21)] }, 2),
    (Mix { kinds: &[K::Residential, K::YoungAdult], slots: &[T::FullTime], ages: &[years(14, 21)] }, 2),
    (Mix { kinds: &[K::LightSupport, K::YoungAdult], slots: &[T::Afternoons, T::Weekends], ages: &[years(16, 21)] }, 2),
    (
        Mix {
            kinds: &[K::Residential, K::Daytime, K::Respite],
            slots: &[T::FullTime, T::Weekdays, T::Weekends, T::Holidays],
            ages: &[years(0, 17), years(6, 14)],
        },
        3,
    ),
];

const LANGUAGES: &[(&str, u32)] = &[
    ("inglese", 40),
    ("francese", 18),
    ("spagnolo", 14),
    ("arabo", 8),
    ("rumeno", 7),
    ("albanese", 6),
    ("ucraino", 4),
    ("cinese", 3),
    ("russo", 3),
    // Some families come from where the unaccompanied minors do.
    ("bengalese", 2),
    ("tigrino", 1),
];

const PETS: &[(&str, u32)] = &[
    ("", 60),
    ("un cane", 14),
    ("un gatto", 10),
    ("due gatti", 5),
    ("un cane e un gatto", 6),
    ("un coniglio", 3),
    ("pesci rossi", 2),
];

const NOTES: &[&str] = &[
    "Disponibili a incontri con la famiglia d'origine in spazio neutro.",
    "Esperienza precedente di affido diurno con il servizio.",
    "Casa con giardino, vicina alla scuola primaria.",
    "Preferiscono un affido nel proprio comune, per non cambiare scuola al minore.",
    "Uno dei due adulti lavora su turni: disponibilità variabile nei fine settimana.",
    "Partecipano al gruppo di sostegno delle famiglie affidatarie.",
    "Automuniti, disponibili per accompagnamenti a scuola e alle terapie.",
    "Hanno già accolto un neomaggiorenne fino all'autonomia.",
    "Figli ormai grandi, coinvolti nel progetto di accoglienza.",
    "Disponibilità da rivalutare dopo il trasloco previsto in estate.",
];

const MAIL_DOMAINS: &[&str] = &["example.com", "example.net", "example.org", "mail.example.com", "posta.example.net"];

const APPROVED_FIELDS: &[&str] = &[
    "profile.approved_on",
    "profile.confirmed_on",
    "profile.review_on",
    "profile.status",
    "profile.training_completed_on",
];
const ASSESSMENT_FIELDS: &[&str] = &["profile.confirmed_on", "profile.status", "profile.training_completed_on"];
const STATUS_FIELDS: &[&str] = &["profile.status"];

/// A family before it has a code: when it was recorded, by whom, in what status.
struct Plan {
    created: OffsetDateTime,
    status: FamilyStatus,
    desk: usize,
}

pub(super) fn generate(rng: &mut impl Rng, n: usize, cal: &Calendar, dir: &Directory) -> Vec<Made<Family>> {
    let desks: Vec<(usize, u32)> = dir.desks.iter().enumerate().map(|(i, d)| (i, d.family_weight)).collect();
    let mut plans: Vec<Plan> = (0..n)
        .map(|_| {
            let status = *weighted(rng, STATUSES);
            Plan { created: created_at(rng, cal, status), status, desk: *weighted(rng, &desks) }
        })
        .collect();
    // Codes are numbered in creation order within each year.
    plans.sort_by_key(|p| p.created);
    let mut numbers: BTreeMap<i32, u32> = BTreeMap::new();
    plans
        .iter()
        .map(|p| {
            let number = numbers.entry(p.created.year()).or_insert(0);
            *number += 1;
            let code = FamilyCode::new(p.created.year() as u16, *number);
            family(rng, cal, &dir.desks[p.desk], p, code)
        })
        .collect()
}

/// Families still enquiring came forward recently; approved ones a while ago.
fn created_at(rng: &mut impl Rng, cal: &Calendar, status: FamilyStatus) -> OffsetDateTime {
    let (newest, oldest) = match status {
        FamilyStatus::Enquiring => (0, 300),
        FamilyStatus::UnderAssessment => (20, 540),
        FamilyStatus::Approved | FamilyStatus::Suspended => (120, HISTORY),
        FamilyStatus::Withdrawn | FamilyStatus::NotApproved => (90, HISTORY),
    };
    let day = workday(day_between(rng, cal.days_ago(oldest), cal.days_ago(newest))).max(cal.first_day());
    cal.office_hours(rng, day)
}

fn family(rng: &mut impl Rng, cal: &Calendar, desk: &Desk, plan: &Plan, code: FamilyCode) -> Made<Family> {
    let created_day = plan.created.date();
    let dates = Dates::for_status(rng, cal, plan.status, created_day);
    let stamped = stamp_update(rng, cal, plan.created, dates.updated);
    let (updated, update) = if dates.fields.is_empty() || stamped == plan.created {
        (plan.created, &[][..])
    } else {
        (stamped, dates.fields)
    };
    let year = updated.year();
    let adults = adults(rng, year);
    let comune = if rng.gen_bool(0.85) { desk.home.pick(rng) } else { desk.around.pick(rng) };
    let mix = weighted(rng, MIXES);
    let siblings_accepted = !mix.kinds.contains(&K::ParentAndChild) && rng.gen_bool(0.3);
    let max_children = match (mix.kinds.contains(&K::ParentAndChild), siblings_accepted) {
        (true, _) => 1,
        (false, true) => *weighted(rng, &[(2, 70), (3, 30)]),
        (false, false) => *weighted(rng, &[(1, 75), (2, 25)]),
    };
    let ages = pick(rng, mix.ages);
    let profile = AvailabilityProfile {
        comune,
        household: household(rng, &adults, year),
        kinds: mix.kinds.iter().copied().collect(),
        ages,
        sex_preference: *weighted(
            rng,
            &[(SexPreference::Any, 80), (SexPreference::Female, 12), (SexPreference::Male, 8)],
        ),
        max_children,
        siblings_accepted,
        special_needs_accepted: special_needs_accepted(rng, mix, ages),
        languages: languages(rng),
        time_slots: mix.slots.iter().copied().collect(),
        max_distance_km: rng.gen_bool(0.45).then(|| 5 * rng.gen_range(2..=12)),
        training_completed_on: dates.training,
        status: plan.status,
        approved_on: dates.approved,
        review_on: dates.review,
        confirmed_on: dates.confirmed,
        notes: if rng.gen_bool(0.25) { pick(rng, NOTES).to_string() } else { String::new() },
        // Drawn later, from a stream of their own (`practice`).
        available_from: None,
        available_until: None,
    };
    let identity = identity(rng, adults, desk.province);
    let referent = pick_ref(rng, &desk.staff).clone();
    let creator = if rng.gen_bool(0.75) { referent.clone() } else { pick_ref(rng, &desk.staff).clone() };
    let mut meta = Meta::new(plan.created, &creator);
    if !update.is_empty() {
        meta = meta.touched(updated, &referent);
    }
    let record = Family {
        code,
        service: desk.service.code,
        referent,
        identity,
        profile,
        meta,
        pathway: Pathway::before_pathways(),
        support: vec![],
    };
    Made { record, update }
}

/// The assessment dates of a family, and the day of its last change. Every
/// date is between the day the family was recorded and today.
struct Dates {
    updated: Date,
    training: Option<Date>,
    approved: Option<Date>,
    review: Option<Date>,
    confirmed: Option<Date>,
    /// What the last change touched.
    fields: &'static [&'static str],
}

impl Dates {
    fn for_status(rng: &mut impl Rng, cal: &Calendar, status: FamilyStatus, created: Date) -> Dates {
        let today = cal.today();
        let fit = |d: Date| workday(d.min(today)).max(created);
        let none = Dates {
            updated: created,
            training: None,
            approved: None,
            review: None,
            confirmed: Some(created),
            fields: &[],
        };
        match status {
            FamilyStatus::Enquiring => none,
            FamilyStatus::UnderAssessment => {
                let updated = fit(add_days(created, rng.gen_range(10..=150)));
                let training = rng.gen_bool(0.5).then(|| day_between(rng, created, updated));
                let fields = if training.is_some() { ASSESSMENT_FIELDS } else { &ASSESSMENT_FIELDS[..2] };
                Dates { updated, training, confirmed: Some(updated), fields, ..none }
            }
            FamilyStatus::Approved | FamilyStatus::Suspended => {
                let approved = fit(add_days(created, rng.gen_range(60..=270)));
                let training = fit(add_days(approved, -rng.gen_range(14..=90)));
                // Most families confirm within six months; some are overdue (stale).
                let ago = if rng.gen_bool(0.75) { rng.gen_range(7..=180) } else { rng.gen_range(181..=365) };
                let confirmed = fit(add_days(today, -ago).max(approved));
                Dates {
                    updated: confirmed,
                    training: Some(training),
                    approved: Some(approved),
                    review: Some(review_after(approved, confirmed)),
                    confirmed: Some(confirmed),
                    fields: APPROVED_FIELDS,
                }
            }
            FamilyStatus::Withdrawn if rng.gen_bool(0.5) => {
                let approved = fit(add_days(created, rng.gen_range(60..=270)));
                let confirmed = fit(day_between(rng, approved, add_days(approved, 400)));
                let updated = fit(day_between(rng, confirmed, add_days(confirmed, 300)));
                Dates {
                    updated,
                    training: Some(fit(add_days(approved, -rng.gen_range(14..=90)))),
                    approved: Some(approved),
                    review: Some(add_months(approved, 24)),
                    confirmed: Some(confirmed),
                    fields: STATUS_FIELDS,
                }
            }
            FamilyStatus::Withdrawn => {
                Dates { updated: fit(add_days(created, rng.gen_range(14..=200))), fields: STATUS_FIELDS, ..none }
            }
            FamilyStatus::NotApproved => {
                let training = rng.gen_bool(0.7).then(|| fit(add_days(created, rng.gen_range(14..=90))));
                let updated = fit(add_days(created, rng.gen_range(60..=240))).max(training.unwrap_or(created));
                let fields = if training.is_some() { &ASSESSMENT_FIELDS[1..] } else { STATUS_FIELDS };
                Dates { updated, training, fields, ..none }
            }
        }
    }
}

/// Approvals are reviewed every two years: the first review after the last confirmation.
fn review_after(approved: Date, confirmed: Date) -> Date {
    let mut months = 24;
    while add_months(approved, months) <= confirmed && months < 24 * 50 {
        months += 24;
    }
    add_months(approved, months)
}

/// One or two reference adults aged 25–70 in `year`.
fn adults(rng: &mut impl Rng, year: i32) -> Vec<Adult> {
    let age: i32 = rng.gen_range(28..=62);
    let couple = rng.gen_bool(0.78);
    let female = if couple { rng.gen_bool(0.95) } else { rng.gen_bool(0.75) };
    let mut out = vec![adult(rng, female, year - age)];
    if couple {
        let partner_female = if rng.gen_bool(0.04) { female } else { !female };
        let partner_age = (age + rng.gen_range(-3..=6)).clamp(25, 70);
        out.push(adult(rng, partner_female, year - partner_age));
    }
    out
}

fn adult(rng: &mut impl Rng, female: bool, birth_year: i32) -> Adult {
    let name = format!("{} {}", names::given_name(rng, female, false), names::surname(rng));
    Adult { name, birth_year: birth_year as u16 }
}

fn household(rng: &mut impl Rng, adults: &[Adult], year: i32) -> Household {
    let parent = adults.iter().map(|a| i32::from(a.birth_year)).max().unwrap_or(year - 40);
    let count = *weighted(rng, &[(0, 35), (1, 25), (2, 28), (3, 12)]);
    // Children born when the parent was 24–46, not after `year`, at most 40 years ago.
    let (lo, hi) = ((parent + 24).max(year - 40), (parent + 46).min(year));
    let mut children: Vec<u16> =
        if lo > hi { vec![] } else { (0..count).map(|_| rng.gen_range(lo..=hi) as u16).collect() };
    children.sort_unstable();
    let grandparent = u8::from(rng.gen_bool(0.05));
    Household {
        adults: adults.len() as u8 + grandparent,
        children_birth_years: children,
        pets: weighted(rng, PETS).to_string(),
        spare_rooms: *weighted(rng, &[(0, 10), (1, 55), (2, 27), (3, 8)]),
    }
}

/// A third of families accept some special needs, among those their offer fits.
fn special_needs_accepted(rng: &mut impl Rng, mix: &Mix, ages: AgeRange) -> BTreeSet<SpecialNeed> {
    let mut out = BTreeSet::new();
    if mix.kinds.contains(&K::ParentAndChild) {
        out.insert(SpecialNeed::ParentWithChild);
    }
    if !rng.gen_bool(0.35) {
        return out;
    }
    let mut candidates =
        vec![SpecialNeed::Disability, SpecialNeed::ChronicIllness, SpecialNeed::Behavioural, SpecialNeed::Trauma];
    if ages.min_months < 24 {
        candidates.push(SpecialNeed::Infant);
    }
    if ages.max_months >= 14 * 12 && mix.kinds.iter().any(|k| matches!(k, K::Residential | K::YoungAdult)) {
        candidates.push(SpecialNeed::UnaccompaniedMinor);
    }
    for _ in 0..rng.gen_range(1..=2) {
        out.insert(pick(rng, &candidates));
    }
    out
}

/// Italian always; a third of families speak another language too.
fn languages(rng: &mut impl Rng) -> Vec<String> {
    let mut out = vec!["italiano".to_string()];
    if rng.gen_bool(0.3) {
        for _ in 0..rng.gen_range(1..=2) {
            let l = *weighted(rng, LANGUAGES);
            if !out.iter().any(|o| o == l) {
                out.push(l.to_string());
            }
        }
    }
    out
}

fn identity(rng: &mut impl Rng, adults: Vec<Adult>, province: &str) -> FamilyIdentity {
    let phone = if rng.gen_bool(0.7) {
        names::mobile(rng)
    } else {
        names::landline(rng, if province == "MI" { "02" } else { "035" })
    };
    let email = match adults.first() {
        Some(a) if rng.gen_bool(0.85) => {
            let (given, surname) = a.name.split_once(' ').unwrap_or((&a.name, ""));
            let mut email = String::with_capacity(48);
            names::push_ascii_word(&mut email, given);
            email.push('.');
            names::push_ascii_word(&mut email, surname);
            if rng.gen_bool(0.4) {
                let yy = a.birth_year % 100;
                email.push(char::from(b'0' + (yy / 10) as u8));
                email.push(char::from(b'0' + (yy % 10) as u8));
            }
            email.push('@');
            email.push_str(pick(rng, MAIL_DOMAINS));
            email
        }
        _ => String::new(),
    };
    FamilyIdentity { adults, address: names::street_address(rng), phone, email }
}
