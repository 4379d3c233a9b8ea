//! The Famiglie list's filters of the phone call ("a family near Dalmine
//! for a 6-year-old boy, weekends, within 5 km"), worked out by hand on a
//! few families in Dalmine (016091), Stezzano (016207, 3.6 km away) and
//! Bergamo (016024, 7.0 km away), through the real `Bank` core: which
//! families each filter keeps and which rule drops the others, the
//! distance order, its pages and its exact count.

mod common;

use std::collections::BTreeSet;

use banca::api::{Counted, FamilyFilter, FamilySort, FamilyView, Near, Reply, Request};
use banca::model::*;
use common::*;
use time::macros::date;

/// An approved family of the caller's service in `comune`, taking `ages`
/// (years), preferring `sex`, offering `slots`, with `places`.
fn approved(comune: ComuneCode, ages: (u16, u16), sex: SexPreference, slots: &[TimeSlot], places: u8) -> FamilyInput {
    let mut f = family_input();
    f.profile.comune = comune;
    f.profile.status = FamilyStatus::Approved;
    f.profile.approved_on = Some(date!(2025 - 02 - 01));
    f.profile.ages = AgeRange { min_months: ages.0 * 12, max_months: ages.1 * 12 + 11 };
    f.profile.sex_preference = sex;
    f.profile.time_slots = slots.iter().copied().collect();
    f.profile.max_children = places;
    f
}

/// The families of the phone call, by what each one shows.
struct Call {
    fx: Fixture,
    /// Dalmine, 3–10, any sex, weekends: fits.
    dalmine: FamilyCode,
    /// Stezzano, 0–10, boys, weekends and holidays: fits, 3.6 km.
    stezzano: FamilyCode,
    /// Bergamo, 6–14, any sex, weekends: fits but 7.0 km away.
    bergamo: FamilyCode,
    /// Dalmine, 0–5: too young a range for a 6-year-old.
    infants: FamilyCode,
    /// Stezzano, girls only.
    girls: FamilyCode,
    /// Dalmine, weekdays only.
    weekdays: FamilyCode,
    /// Stezzano, one place, held by an accepted proposal: none free.
    full: FamilyCode,
}

fn call() -> Call {
    use SexPreference::{Any, Female, Male};
    use TimeSlot::{Holidays, Weekdays, Weekends};
    let fx = fixture();
    let dalmine = fx.create_family(ANNA, approved(common::dalmine(), (3, 10), Any, &[Weekends], 2));
    let stezzano = fx.create_family(ANNA, approved(common::stezzano(), (0, 10), Male, &[Weekends, Holidays], 1));
    let bergamo = fx.create_family(ANNA, approved(common::bergamo(), (6, 14), Any, &[Weekends], 2));
    let infants = fx.create_family(ANNA, approved(common::dalmine(), (0, 5), Any, &[Weekends], 2));
    let girls = fx.create_family(ANNA, approved(common::stezzano(), (0, 17), Female, &[Weekends], 2));
    let weekdays = fx.create_family(ANNA, approved(common::dalmine(), (0, 17), Any, &[Weekdays], 2));
    let full = fx.create_family(BRUNO, approved(common::stezzano(), (0, 17), Any, &[Weekends], 1));
    let need = fx.create_need(ANNA, need_input());
    let saved = fx.saved(ANNA, Request::ProposalCreate { need, family: full, note: String::new() });
    let code = ProposalCode::parse(&saved.code).expect("a proposal code");
    let to = ProposalStatus::Accepted;
    fx.saved(BRUNO, Request::ProposalStep { code, base_revision: saved.revision, to, note: String::new() });
    Call { fx, dalmine, stezzano, bergamo, infants, girls, weekdays, full }
}

/// The phone call's filter: a boy of six, weekends, a place free, near Dalmine.
fn phone_call(km: Option<u16>) -> FamilyFilter {
    FamilyFilter {
        age_months: Some(6 * 12),
        sex: Some(Sex::Male),
        time_slots: BTreeSet::from([TimeSlot::Weekends]),
        min_free: Some(1),
        near: Some(Near { comune: dalmine(), km }),
        sort: FamilySort::Distance,
        ..FamilyFilter::default()
    }
}

fn views(fx: &Fixture, user: &str, filter: FamilyFilter) -> Vec<FamilyView> {
    match fx.ok(user, Request::FamilyList { filter }) {
        Reply::Families(page) => {
            assert!(page.next.is_none(), "one page holds these few");
            page.items
        }
        other => panic!("expected Families, got {other:?}"),
    }
}

fn count(fx: &Fixture, user: &str, filter: FamilyFilter) -> u64 {
    match fx.ok(user, Request::Count { of: Counted::Families(filter) }) {
        Reply::Count(n) => n,
        other => panic!("expected Count, got {other:?}"),
    }
}

#[test]
fn the_phone_call_finds_the_families_that_fit_nearest_first() {
    let c = call();
    // Within 5 km: Dalmine itself (0 m), then Stezzano (3 556 m). Bergamo is
    // 7 031 m away; the others fail the age, the sex, the time or the places.
    let found = views(&c.fx, BRUNO, phone_call(Some(5)));
    let got: Vec<(FamilyCode, Option<u32>)> = found.iter().map(|f| (f.code, f.distance_m)).collect();
    assert_eq!(got, vec![(c.dalmine, Some(0)), (c.stezzano, Some(3556))]);
    assert!(found.iter().all(|f| f.private.is_none()), "lists carry the shared view only");
    assert_eq!(count(&c.fx, BRUNO, phone_call(Some(5))), 2);
    // No radius: every distance, the farthest last.
    let all = views(&c.fx, CARLA, phone_call(None));
    let got: Vec<(FamilyCode, Option<u32>)> = all.iter().map(|f| (f.code, f.distance_m)).collect();
    assert_eq!(got, vec![(c.dalmine, Some(0)), (c.stezzano, Some(3556)), (c.bergamo, Some(7031))]);
    assert_eq!(count(&c.fx, CARLA, phone_call(None)), 3);
}

#[test]
fn each_filter_drops_the_family_it_is_about() {
    let c = call();
    let by_code = |filter: FamilyFilter| c.fx.families(ANNA, filter);
    let every = vec![c.dalmine, c.stezzano, c.bergamo, c.infants, c.girls, c.weekdays, c.full];
    assert_eq!(by_code(FamilyFilter::default()), every);
    // Age six: the 0–5 family falls.
    let six = FamilyFilter { age_months: Some(72), ..Default::default() };
    assert_eq!(by_code(six.clone()), vec![c.dalmine, c.stezzano, c.bergamo, c.girls, c.weekdays, c.full]);
    // Eight months: only the ranges from 0 take it.
    let baby = FamilyFilter { age_months: Some(8), ..Default::default() };
    assert_eq!(by_code(baby), vec![c.stezzano, c.infants, c.girls, c.weekdays, c.full]);
    // A boy: the girls-only family falls; a girl: the boys-only one.
    let boy = FamilyFilter { sex: Some(Sex::Male), ..Default::default() };
    assert_eq!(by_code(boy), vec![c.dalmine, c.stezzano, c.bergamo, c.infants, c.weekdays, c.full]);
    let girl = FamilyFilter { sex: Some(Sex::Female), ..Default::default() };
    assert_eq!(by_code(girl), vec![c.dalmine, c.bergamo, c.infants, c.girls, c.weekdays, c.full]);
    // Weekends: the weekday family falls; weekends and holidays: only Stezzano offers both.
    let weekends = FamilyFilter { time_slots: BTreeSet::from([TimeSlot::Weekends]), ..Default::default() };
    assert_eq!(by_code(weekends), vec![c.dalmine, c.stezzano, c.bergamo, c.infants, c.girls, c.full]);
    let both = BTreeSet::from([TimeSlot::Weekends, TimeSlot::Holidays]);
    assert_eq!(by_code(FamilyFilter { time_slots: both, ..Default::default() }), vec![c.stezzano]);
    // A place free: the full family falls; two free: only those with two places and none held.
    let one = FamilyFilter { min_free: Some(1), ..Default::default() };
    assert_eq!(by_code(one), vec![c.dalmine, c.stezzano, c.bergamo, c.infants, c.girls, c.weekdays]);
    let two = FamilyFilter { min_free: Some(2), ..Default::default() };
    assert_eq!(by_code(two.clone()), vec![c.dalmine, c.bergamo, c.infants, c.girls, c.weekdays]);
    // Within 5 km of Dalmine, in code order: Bergamo falls.
    let near = FamilyFilter { near: Some(Near { comune: dalmine(), km: Some(5) }), ..Default::default() };
    assert_eq!(by_code(near), vec![c.dalmine, c.stezzano, c.infants, c.girls, c.weekdays, c.full]);
    // The counts agree with the lists, the slots counted over the records.
    assert_eq!(count(&c.fx, ANNA, six), 6);
    assert_eq!(count(&c.fx, ANNA, two), 5);
    let slots_and_two =
        FamilyFilter { time_slots: BTreeSet::from([TimeSlot::Weekends]), min_free: Some(2), ..Default::default() };
    assert_eq!(count(&c.fx, ANNA, slots_and_two), 4);
}

#[test]
fn a_presidio_or_an_ambito_keeps_the_families_of_its_comuni() {
    let c = call();
    let by_code = |filter: FamilyFilter| c.fx.families(BRUNO, filter);
    // Stezzano is in the presidio of Zanica, Dalmine in its own, both in the Ambito di Dalmine.
    let zanica = FamilyFilter { district: Some("zanica".into()), ..Default::default() };
    assert_eq!(by_code(zanica.clone()), vec![c.stezzano, c.girls, c.full]);
    assert_eq!(count(&c.fx, BRUNO, zanica), 3);
    let district = FamilyFilter { district: Some("Dalmine".into()), ..Default::default() };
    assert_eq!(by_code(district), vec![c.dalmine, c.infants, c.weekdays]);
    let ambit = FamilyFilter { ambit: Some("DALMINE".into()), ..Default::default() };
    assert_eq!(by_code(ambit), vec![c.dalmine, c.stezzano, c.infants, c.girls, c.weekdays, c.full]);
    let bergamo = FamilyFilter { ambit: Some("Bergamo".into()), ..Default::default() };
    assert_eq!(by_code(bergamo), vec![c.bergamo]);
    // A presidio within an ambito that has none of that name: none is that.
    let nowhere = FamilyFilter { ambit: Some("Bergamo".into()), district: Some("Zanica".into()), ..Default::default() };
    let problems = c.fx.invalid(BRUNO, Request::FamilyList { filter: nowhere });
    assert_eq!(problems[0].field, FieldRef::from(Field::WithinDistrict));
    assert_eq!(problems[0].reason, Reason::UnknownDistrict { name: "Zanica".into() });
    // A name as long as a hostile client makes it: refused by its length, not looked up.
    let long = FamilyFilter { district: Some("z".repeat(1_000_000)), ..Default::default() };
    let problems = c.fx.invalid(BRUNO, Request::FamilyList { filter: long });
    assert_eq!(problems[0].field, FieldRef::from(Field::WithinDistrict));
    assert!(matches!(problems[0].reason, Reason::TooLong { .. }), "{:?}", problems[0].reason);
    let unknown = FamilyFilter { ambit: Some("Atlantide".into()), ..Default::default() };
    let problems = c.fx.invalid(BRUNO, Request::FamilyList { filter: unknown });
    assert_eq!(problems[0].reason, Reason::UnknownAmbit { name: "Atlantide".into() });
}

#[test]
fn a_distance_order_needs_a_comune_to_measure_from() {
    let c = call();
    let filter = FamilyFilter { sort: FamilySort::Distance, ..Default::default() };
    let problems = c.fx.invalid(ANNA, Request::FamilyList { filter: filter.clone() });
    assert_eq!(problems[0].field, FieldRef::from(Field::Near));
    assert_eq!(problems[0].reason, Reason::RequiredWhen { condition: "sort=distance".into() });
    let problems = c.fx.invalid(ANNA, Request::Count { of: Counted::Families(filter) });
    assert_eq!(problems[0].field, FieldRef::from(Field::Near));
    let zero = FamilyFilter { near: Some(Near { comune: dalmine(), km: Some(0) }), ..Default::default() };
    assert_eq!(c.fx.invalid(ANNA, Request::FamilyList { filter: zero })[0].field, FieldRef::from(Field::WithinKm));
    // Sovizzo (VI) has no coordinates in the ISTAT list: no radius nor order
    // can be measured from it, and that is said rather than answered empty.
    let sovizzo = comune("024128");
    let unplaced = FamilyFilter { near: Some(Near { comune: sovizzo, km: Some(5) }), ..Default::default() };
    let problems = c.fx.invalid(ANNA, Request::FamilyList { filter: unplaced });
    assert_eq!(problems[0].field, FieldRef::from(Field::WithinKm));
    assert_eq!(problems[0].reason, Reason::NotExpected { condition: "comune=unplaced".into() });
    let sorted = FamilyFilter {
        near: Some(Near { comune: sovizzo, km: None }),
        sort: FamilySort::Distance,
        ..Default::default()
    };
    assert_eq!(c.fx.invalid(ANNA, Request::FamilyList { filter: sorted })[0].field, FieldRef::from(Field::WithinKm));
}

#[test]
fn the_distance_order_pages_without_repeating_or_skipping() {
    let fx = fixture();
    // Nine families in each of Bergamo, Stezzano and Dalmine, created in
    // that order: nearest first means the reverse of the codes' order by comune.
    let mut made = Vec::new();
    for comune in [bergamo(), stezzano(), dalmine()] {
        for _ in 0..9 {
            made.push((comune, fx.create_family(ANNA, approved(comune, (0, 17), SexPreference::Any, &[], 1))));
        }
    }
    let of = |c: ComuneCode| made.iter().filter(|(x, _)| *x == c).map(|(_, f)| *f).collect::<Vec<_>>();
    let expected: Vec<FamilyCode> = [of(dalmine()), of(stezzano()), of(bergamo())].concat();
    let near = Some(Near { comune: dalmine(), km: None });
    let filter = FamilyFilter { near, sort: FamilySort::Distance, limit: Some(4), ..Default::default() };
    assert_eq!(count(&fx, DARIO, filter.clone()), 27);
    let mut seen = Vec::new();
    let mut after = None;
    let mut pages = 0;
    let mut added = None;
    loop {
        let page = match fx.ok(DARIO, Request::FamilyList { filter: FamilyFilter { after, ..filter.clone() } }) {
            Reply::Families(page) => page,
            other => panic!("expected Families, got {other:?}"),
        };
        pages += 1;
        assert!(page.items.len() <= 4);
        seen.extend(page.items.iter().map(|f| (f.code, f.distance_m)));
        // A family saved in Dalmine between pages sorts before the cursor: it does not come again.
        if pages == 4 && added.is_none() {
            added = Some(fx.create_family(ANNA, approved(dalmine(), (0, 17), SexPreference::Any, &[], 1)));
        }
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    let codes: Vec<FamilyCode> = seen.iter().map(|(c, _)| *c).collect();
    assert_eq!(codes, expected, "every family once, nearest first, then by code");
    assert_eq!(pages, 7);
    let distances: Vec<u32> = seen.iter().map(|(_, d)| d.expect("both comuni have coordinates")).collect();
    assert_eq!(distances[..9], [0; 9]);
    assert_eq!(distances[9..18], [3556; 9]);
    assert_eq!(distances[18..], [7031; 9]);
    assert_eq!(count(&fx, DARIO, filter.clone()), 28, "the one added since counts");

    // Pages of one: each looks at 20 at most, so only the nearest 20 after
    // the cursor are put in order each time; the order is the same.
    let one = FamilyFilter { limit: Some(1), ..filter };
    let (mut codes, mut after) = (Vec::new(), None);
    loop {
        let page = match fx.ok(DARIO, Request::FamilyList { filter: FamilyFilter { after, ..one.clone() } }) {
            Reply::Families(page) => page,
            other => panic!("expected Families, got {other:?}"),
        };
        codes.extend(page.items.iter().map(|f| f.code));
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    let mut expected = [of(dalmine()), vec![added.expect("added")], of(stezzano()), of(bergamo())].concat();
    expected.truncate(28);
    assert_eq!(codes, expected);
}
