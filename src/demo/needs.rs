//! Needs (richieste): one child each, some in sibling groups, some urgent,
//! some unaccompanied minors, with ages, kinds and legal bases that agree.

use std::collections::{BTreeMap, BTreeSet};

use rand::Rng;
use time::{Date, OffsetDateTime};

use crate::model::dates::months_between;
use crate::model::*;

use super::calendar::{add_days, day_between, workday, Calendar};
use super::directory::{Desk, Directory};
use super::names::{self, pick, pick_ref, weighted};
use super::{stamp_update, Made};

const HISTORY: i64 = 36_500;

/// Share of single needs and groups that start a sibling group; groups of
/// 2–3 then hold about 15% of the children.
const GROUP_START: f64 = 0.07;
const EMERGENCY: f64 = 0.10;
/// Unaccompanied foreign minors (MSNA) among single needs.
const UNACCOMPANIED: f64 = 0.04;
/// Children whose family speaks another language at home.
const BACKGROUND_ABROAD: f64 = 0.18;

const ORDINARY_STATUSES: &[(NeedStatus, u32)] =
    &[(NeedStatus::Open, 42), (NeedStatus::Matching, 22), (NeedStatus::Matched, 14), (NeedStatus::Closed, 22)];
/// Emergencies and sibling groups are current cases: never closed.
const CURRENT_STATUSES: &[(NeedStatus, u32)] =
    &[(NeedStatus::Open, 55), (NeedStatus::Matching, 30), (NeedStatus::Matched, 15)];

const CLOSING_REASONS: &[(ClosingReason, u32)] = &[
    (ClosingReason::PlacementStarted, 45),
    (ClosingReason::OtherSolution, 22),
    (ClosingReason::ReturnHome, 20),
    (ClosingReason::Cancelled, 13),
];

/// Ages in whole years at the last change, with weights: mostly children, a few young adults.
const AGES: &[((u16, u16), u32)] =
    &[((0, 2), 15), ((3, 5), 15), ((6, 10), 25), ((11, 14), 22), ((15, 17), 18), ((18, 20), 5)];
const UNACCOMPANIED_AGES: &[(u16, u32)] = &[(14, 10), (15, 25), (16, 35), (17, 30)];
const UNACCOMPANIED_LANGUAGES: &[(&str, u32)] = &[("arabo", 35), ("albanese", 25), ("bengalese", 20), ("tigrino", 20)];
const HOME_LANGUAGES: &[(&str, u32)] =
    &[("rumeno", 30), ("arabo", 30), ("albanese", 20), ("ucraino", 10), ("spagnolo", 6), ("cinese", 4)];

const CONTACTS: &[(ContactFrequency, u32)] = &[
    (ContactFrequency::Weekly, 20),
    (ContactFrequency::Fortnightly, 25),
    (ContactFrequency::Monthly, 25),
    (ContactFrequency::Occasional, 10),
    (ContactFrequency::ToBeDefined, 12),
    (ContactFrequency::None, 8),
];

const NOTES: &[&str] = &[
    "Frequenta regolarmente la scuola; buon rapporto con i compagni.",
    "Necessita di accompagnamento alle terapie settimanali.",
    "Incontri con la madre in spazio neutro il martedì pomeriggio.",
    "Da preferire una famiglia vicina alla scuola attuale.",
    "Segue un percorso presso la neuropsichiatria infantile.",
    "Pratica sport due volte a settimana: importante mantenere l'attività.",
    "Rientro in famiglia previsto entro un anno, se il progetto procede.",
    "Buon legame con i nonni materni, da preservare.",
];

const CHILD_FIELDS: &[&str] = &["placement.notes"];
const STATUS_FIELDS: &[&str] = &["placement.status"];
const CLOSED_FIELDS: &[&str] = &["placement.closing_reason", "placement.status"];
const SIBLING_FIELDS: &[&str] = &["placement.siblings"];
const SIBLING_STATUS_FIELDS: &[&str] = &["placement.siblings", "placement.status"];

/// One case: a child, or a group of siblings recorded together.
struct Unit {
    created: OffsetDateTime,
    status: NeedStatus,
    size: usize,
    emergency: bool,
    unaccompanied: bool,
    desk: usize,
}

/// What siblings share: their family of origin, their case worker, their court case.
struct Case<'a> {
    desk: &'a Desk,
    unit: &'a Unit,
    referent: String,
    creator: String,
    comune: ComuneCode,
    origin_comune: Option<ComuneCode>,
    contact: OriginContact,
    surname: &'static str,
    /// Language spoken at home, when not Italian.
    language: Option<&'static str>,
    /// The kind asked for the whole group (groups only).
    group_kind: Option<PlacementKind>,
    group_legal: Option<LegalBasis>,
}

pub(super) fn generate(rng: &mut impl Rng, n: usize, cal: &Calendar, dir: &Directory) -> Vec<Made<Need>> {
    let desks: Vec<(usize, u32)> =
        dir.desks.iter().enumerate().filter(|(_, d)| d.need_weight > 0).map(|(i, d)| (i, d.need_weight)).collect();
    // The inter-district service takes in most unaccompanied minors.
    let inter_district = dir.desks.iter().position(|d| d.service.details.kind == ServiceKind::InterDistrict);
    let mut units = Vec::new();
    let mut left = n;
    while left > 0 {
        let unit = plan_unit(rng, cal, left, &desks, inter_district);
        left -= unit.size;
        units.push(unit);
    }
    units.sort_by_key(|u| u.created);
    let mut numbers: BTreeMap<i32, u32> = BTreeMap::new();
    let mut out = Vec::with_capacity(n);
    for unit in &units {
        let number = numbers.entry(unit.created.year()).or_insert(0);
        let codes: Vec<NeedCode> =
            (1..=unit.size as u32).map(|i| NeedCode::new(unit.created.year() as u16, *number + i)).collect();
        *number += unit.size as u32;
        let case = open_case(rng, &dir.desks[unit.desk], unit);
        for i in 0..unit.size {
            out.push(child_need(rng, cal, &case, &codes, i));
        }
    }
    out
}

fn plan_unit(
    rng: &mut impl Rng,
    cal: &Calendar,
    left: usize,
    desks: &[(usize, u32)],
    inter_district: Option<usize>,
) -> Unit {
    let size = if left >= 2 && rng.gen_bool(GROUP_START) { (*weighted(rng, &[(2, 70), (3, 30)])).min(left) } else { 1 };
    let emergency = rng.gen_bool(EMERGENCY);
    let unaccompanied = size == 1 && rng.gen_bool(UNACCOMPANIED);
    let status = *weighted(rng, if emergency || size > 1 { CURRENT_STATUSES } else { ORDINARY_STATUSES });
    let desk = match inter_district {
        Some(i) if unaccompanied && rng.gen_bool(0.6) => i,
        _ => *weighted(rng, desks),
    };
    Unit { created: created_at(rng, cal, status, emergency), status, size, emergency, unaccompanied, desk }
}

/// Emergencies came in over the last weeks; closed needs any time.
fn created_at(rng: &mut impl Rng, cal: &Calendar, status: NeedStatus, emergency: bool) -> OffsetDateTime {
    let (newest, oldest) = match (status, emergency) {
        (_, true) => (0, 28),
        (NeedStatus::Open, _) => (0, 240),
        (NeedStatus::Matching, _) => (10, 300),
        (NeedStatus::Matched, _) => (30, 540),
        (NeedStatus::Closed, _) => (60, HISTORY),
    };
    let day = workday(day_between(rng, cal.days_ago(oldest), cal.days_ago(newest))).max(cal.first_day());
    cal.office_hours(rng, day)
}

fn open_case<'a>(rng: &mut impl Rng, desk: &'a Desk, unit: &'a Unit) -> Case<'a> {
    let referent = pick_ref(rng, &desk.staff).clone();
    let creator = if rng.gen_bool(0.75) { referent.clone() } else { pick_ref(rng, &desk.staff).clone() };
    let comune = desk.home.pick(rng);
    let language = if unit.unaccompanied {
        Some(*weighted(rng, UNACCOMPANIED_LANGUAGES))
    } else {
        rng.gen_bool(BACKGROUND_ABROAD).then(|| *weighted(rng, HOME_LANGUAGES))
    };
    let origin_comune = match unit.unaccompanied {
        true => None,
        false if rng.gen_bool(0.8) => Some(if rng.gen_bool(0.6) { comune } else { desk.around.pick(rng) }),
        false => None,
    };
    let contact = if unit.unaccompanied {
        OriginContact { frequency: ContactFrequency::None, supervised: false }
    } else {
        let frequency = *weighted(rng, CONTACTS);
        let regular =
            matches!(frequency, ContactFrequency::Weekly | ContactFrequency::Fortnightly | ContactFrequency::Monthly);
        OriginContact { frequency, supervised: regular && rng.gen_bool(0.4) }
    };
    let surname = match language {
        Some(l) => names::foreign_child(rng, false, Some(l)).1,
        None => names::surname(rng),
    };
    let (group_kind, group_legal) = if unit.size > 1 {
        let kind = if unit.emergency {
            PlacementKind::Emergency
        } else {
            *weighted(
                rng,
                &[(PlacementKind::Residential, 85), (PlacementKind::Daytime, 10), (PlacementKind::Respite, 5)],
            )
        };
        (Some(kind), Some(legal_basis(rng, kind, false, desk.province, unit.created)))
    } else {
        (None, None)
    };
    Case { desk, unit, referent, creator, comune, origin_comune, contact, surname, language, group_kind, group_legal }
}

/// The `i`-th child of a case, coded `codes[i]`, listing the others as siblings.
fn child_need(rng: &mut impl Rng, cal: &Calendar, case: &Case, codes: &[NeedCode], i: usize) -> Made<Need> {
    let unit = case.unit;
    // Siblings are entered one after the other; each new one updates the earlier ones.
    let created = cal.later(unit.created, 2 * i as i64);
    let last_created = cal.later(unit.created, 2 * (codes.len() as i64 - 1));
    let (updated, update) = last_change(rng, cal, unit, created, last_created, i + 1 < codes.len());
    let at = updated.date();

    let female = if unit.unaccompanied { rng.gen_bool(0.15) } else { rng.gen_bool(0.5) };
    let birth_date = birth_date(rng, unit, codes.len(), at);
    let age = months_between(birth_date, at);
    let kind = case.group_kind.unwrap_or_else(|| kind_for(rng, unit, age));
    let legal = case
        .group_legal
        .clone()
        .unwrap_or_else(|| legal_basis(rng, kind, unit.unaccompanied, case.desk.province, unit.created));
    let (given, family_name) = child_name(rng, case, female);
    let fiscal_code = (!unit.unaccompanied && rng.gen_bool(0.5))
        .then(|| fiscal_code(rng, case, given, family_name, birth_date, female));
    let created_day = unit.created.date();
    let status = unit.status;
    let placement = PlacementNeed {
        sex: if female { Sex::Female } else { Sex::Male },
        siblings: codes.iter().copied().filter(|c| *c != codes[i]).collect(),
        kind,
        legal,
        urgency: if unit.emergency {
            Urgency::Emergency { needed_by: deadline(created_day, rng.gen_range(2..=21), status, cal.today()) }
        } else {
            Urgency::Ordinary
        },
        desired_start: (!unit.emergency && rng.gen_bool(0.55)).then(|| add_days(created_day, rng.gen_range(14..=120))),
        duration_months: duration(rng, kind),
        special_needs: special_needs(rng, unit, kind, age),
        languages: languages(rng, case.language, unit.unaccompanied),
        cultural_notes: cultural_note(rng, case.language),
        comune: case.comune,
        origin_comune: case.origin_comune,
        contact: case.contact,
        school_comune: school_comune(rng, case, age),
        status,
        closing_reason: (status == NeedStatus::Closed).then(|| *weighted(rng, CLOSING_REASONS)),
        notes: if rng.gen_bool(0.3) { pick(rng, NOTES).to_string() } else { String::new() },
        // Drawn later, from a stream of their own (`practice`).
        time_slots: Default::default(),
    };
    let address = if unit.unaccompanied {
        format!("c/o comunità di prima accoglienza, {}", names::street_address(rng))
    } else {
        names::street_address(rng)
    };
    let identity = ChildIdentity {
        given_name: given.to_string(),
        family_name: family_name.to_string(),
        birth_date,
        fiscal_code,
        address,
    };
    let mut meta = Meta::new(created, &case.creator);
    if !update.is_empty() {
        meta = meta.touched(updated, &case.referent);
    }
    let record = Need {
        code: codes[i],
        service: case.desk.service.code,
        referent: case.referent.clone(),
        identity,
        placement,
        meta,
    };
    Made { record, update }
}

/// When a need last changed and what changed; `created` itself when it never did.
fn last_change(
    rng: &mut impl Rng,
    cal: &Calendar,
    unit: &Unit,
    created: OffsetDateTime,
    last_sibling: OffsetDateTime,
    has_later_sibling: bool,
) -> (OffsetDateTime, &'static [&'static str]) {
    let (days, fields) = match (unit.status, unit.emergency) {
        (NeedStatus::Open, true) if rng.gen_bool(0.5) => (Some(rng.gen_range(0..=3)), CHILD_FIELDS),
        (NeedStatus::Open, false) if rng.gen_bool(0.5) => (Some(rng.gen_range(1..=45)), CHILD_FIELDS),
        (NeedStatus::Open, _) => (None, CHILD_FIELDS),
        (NeedStatus::Matching, true) => (Some(rng.gen_range(1..=7)), STATUS_FIELDS),
        (NeedStatus::Matching, false) => (Some(rng.gen_range(5..=90)), STATUS_FIELDS),
        (NeedStatus::Matched, true) => (Some(rng.gen_range(3..=20)), STATUS_FIELDS),
        (NeedStatus::Matched, false) => (Some(rng.gen_range(20..=180)), STATUS_FIELDS),
        (NeedStatus::Closed, _) => (Some(rng.gen_range(30..=420)), CLOSED_FIELDS),
    };
    let changed = days.map(|d| stamp_update(rng, cal, unit.created, add_days(unit.created.date(), d)));
    if has_later_sibling {
        // The later sibling's record rewrote this one's sibling list.
        let linked = cal.later(last_sibling, 1);
        return match changed {
            Some(t) if t > linked => (t, if fields == CHILD_FIELDS { SIBLING_FIELDS } else { SIBLING_STATUS_FIELDS }),
            // Entered together right now: no time for a later change.
            _ if linked <= created => (created, &[]),
            _ => (linked, SIBLING_FIELDS),
        };
    }
    match changed {
        Some(t) if t > created => (t, fields),
        _ => (created, &[]),
    }
}

fn birth_date(rng: &mut impl Rng, unit: &Unit, group_size: usize, at: Date) -> Date {
    let years = if unit.unaccompanied {
        *weighted(rng, UNACCOMPANIED_AGES)
    } else if group_size > 1 || unit.emergency {
        // Siblings placed together, and emergencies, are children: under 17.
        rng.gen_range(0..=16)
    } else {
        let (lo, hi) = *weighted(rng, AGES);
        rng.gen_range(lo..=hi)
    };
    add_days(at, -(i64::from(years) * 365 + rng.gen_range(0..365)))
}

/// A kind of affido that fits the child's age in months.
fn kind_for(rng: &mut impl Rng, unit: &Unit, age: u32) -> PlacementKind {
    use PlacementKind::*;
    if unit.emergency {
        return if rng.gen_bool(0.8) { Emergency } else { Residential };
    }
    let years = age / 12;
    if years >= 18 {
        return *weighted(rng, &[(YoungAdult, 85), (ParentAndChild, 15)]);
    }
    if unit.unaccompanied {
        return if years >= 17 && rng.gen_bool(0.5) { YoungAdult } else { Residential };
    }
    let table: &[(PlacementKind, u32)] = match years {
        0..=2 => &[(Residential, 55), (ParentAndChild, 15), (Daytime, 10), (Respite, 5), (LightSupport, 15)],
        3..=13 => &[(Residential, 45), (Daytime, 25), (Respite, 12), (LightSupport, 18)],
        14..=16 => &[(Residential, 50), (Daytime, 15), (Respite, 12), (LightSupport, 23)],
        _ => &[(Residential, 40), (Daytime, 10), (Respite, 5), (LightSupport, 20), (YoungAdult, 25)],
    };
    *weighted(rng, table)
}

/// Light support is informal: never by court order. Otherwise mostly judicial.
fn legal_basis(
    rng: &mut impl Rng,
    kind: PlacementKind,
    unaccompanied: bool,
    province: &str,
    opened: OffsetDateTime,
) -> LegalBasis {
    let judicial = match kind {
        PlacementKind::LightSupport => false,
        _ => unaccompanied || rng.gen_bool(0.7),
    };
    if !judicial {
        return LegalBasis::Consensual;
    }
    // Bergamo falls under the juvenile court of Brescia.
    let court =
        if province == "MI" { "Tribunale per i minorenni di Milano" } else { "Tribunale per i minorenni di Brescia" };
    let year = opened.year() - i32::from(rng.gen_bool(0.4));
    LegalBasis::Judicial { court: court.to_string(), decree: format!("V.G. {}/{year}", rng.gen_range(100..=6999)) }
}

fn duration(rng: &mut impl Rng, kind: PlacementKind) -> Option<u16> {
    use PlacementKind::*;
    let choices: &[u16] = match kind {
        Residential => &[12, 18, 24, 24, 36],
        Emergency => &[3, 6],
        Daytime | Respite | LightSupport => &[6, 12, 12, 24],
        ParentAndChild => &[12, 18],
        YoungAdult => &[12, 24, 36],
    };
    rng.gen_bool(0.75).then(|| pick(rng, choices))
}

fn special_needs(rng: &mut impl Rng, unit: &Unit, kind: PlacementKind, age: u32) -> BTreeSet<SpecialNeed> {
    let mut out = BTreeSet::new();
    if age < 24 && rng.gen_bool(0.6) {
        out.insert(SpecialNeed::Infant);
    }
    if kind == PlacementKind::ParentAndChild {
        out.insert(SpecialNeed::ParentWithChild);
    }
    if unit.unaccompanied {
        out.insert(SpecialNeed::UnaccompaniedMinor);
    }
    for (need, p) in [(SpecialNeed::Trauma, 0.12), (SpecialNeed::Disability, 0.05), (SpecialNeed::ChronicIllness, 0.04)]
    {
        if rng.gen_bool(p) {
            out.insert(need);
        }
    }
    if age >= 72 && rng.gen_bool(0.10) {
        out.insert(SpecialNeed::Behavioural);
    }
    out
}

/// The languages a need names: none for a child of an Italian family (every
/// family speaks Italian: naming it would tell matching nothing), the home
/// language for a child of a family from abroad, alone for most newly
/// arrived minors.
fn languages(rng: &mut impl Rng, home: Option<&str>, unaccompanied: bool) -> Vec<String> {
    match home {
        None => Vec::new(),
        // Newly arrived minors may not speak Italian yet.
        Some(l) if unaccompanied && rng.gen_bool(0.6) => vec![l.to_string()],
        Some(l) => vec!["italiano".to_string(), l.to_string()],
    }
}

fn cultural_note(rng: &mut impl Rng, home: Option<&str>) -> String {
    let notes: &[&str] = match home {
        None => return String::new(),
        Some("arabo" | "bengalese") => &[
            "Famiglia di origine musulmana: alimentazione senza carne di maiale.",
            "Desidera osservare il Ramadan con il supporto della famiglia affidataria.",
        ],
        Some("rumeno" | "ucraino") => &["La famiglia d'origine chiede di rispettare le festività ortodosse."],
        Some(_) => &[
            "Importante mantenere la lingua d'origine.",
            "Arrivato in Italia da pochi mesi: frequenta un corso di italiano L2.",
        ],
    };
    if rng.gen_bool(0.5) {
        pick(rng, notes).to_string()
    } else {
        String::new()
    }
}

/// Siblings usually share a surname; a half-sibling may not.
fn child_name(rng: &mut impl Rng, case: &Case, female: bool) -> (&'static str, &'static str) {
    let shared = case.unit.size == 1 || rng.gen_bool(0.85);
    match case.language {
        Some(l) => {
            let (given, surname, _) = names::foreign_child(rng, female, Some(l));
            (given, if shared { case.surname } else { surname })
        }
        None => (names::given_name(rng, female, true), if shared { case.surname } else { names::surname(rng) }),
    }
}

/// A synthetic fiscal code, born in the child's comune or at the provincial hospital.
fn fiscal_code(rng: &mut impl Rng, case: &Case, given: &str, surname: &str, birth: Date, female: bool) -> String {
    let born = Comuni::embedded().get(if rng.gen_bool(0.5) { case.comune } else { case.desk.capital });
    let cadastral = born.map_or("Z999", |c| c.cadastral.as_str());
    fiscal_code::synthesize(surname, given, birth.year(), birth.month().into(), birth.day(), female, cadastral)
}

/// School-age children go to school near home; some toddlers to the scuola dell'infanzia.
fn school_comune(rng: &mut impl Rng, case: &Case, age: u32) -> Option<ComuneCode> {
    let years = age / 12;
    let attends = match years {
        0..=2 => false,
        3..=5 => rng.gen_bool(0.5),
        6..=18 => true,
        _ => rng.gen_bool(0.2),
    };
    attends.then(|| if rng.gen_bool(0.75) { case.comune } else { case.desk.home.pick(rng) })
}

/// An emergency's deadline, `days` after it was entered; one still to place
/// is mostly due from today on, as a service's open emergencies are (one in
/// four is kept as drawn, and may be past: "scaduta" is shown too).
fn deadline(created: Date, days: i64, status: NeedStatus, today: Date) -> Date {
    let drawn = add_days(created, days);
    let open = matches!(status, NeedStatus::Open | NeedStatus::Matching);
    if open && days % 4 != 0 && drawn < today {
        add_days(today, days % 8)
    } else {
        drawn
    }
}
