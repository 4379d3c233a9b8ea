//! The matching rules of practice, each on a bank worked out by hand: the
//! families, the child (a recorded need or a profile asked by phone), the
//! expected order and the rule that excludes each of the others.
//! The bank's day is 23/11/2026 (`common::NOW`).

mod common;

use std::collections::BTreeSet;

use banca::api::{ChildProfile, FamilyRanking, Fit, NeedRanking, ProfileChild, ProfileRanking, Reply, Request, Within};
use banca::matching::{CriterionKind, Exclusion, Fact, HardRule};
use banca::model::*;
use common::*;
use time::macros::date;

fn rank(fx: &Fixture, need: NeedCode) -> NeedRanking {
    match fx.ok(ANNA, Request::MatchNeed { need, limit: 100, why_not: None, hosts: banca::api::Hosts::Families }) {
        Reply::NeedMatches(r) => *r,
        other => panic!("expected NeedMatches, got {other:?}"),
    }
}

fn why_not(fx: &Fixture, need: NeedCode, family: FamilyCode) -> Vec<Exclusion> {
    match fx
        .ok(ANNA, Request::MatchNeed { need, limit: 100, why_not: Some(family), hosts: banca::api::Hosts::Families })
    {
        Reply::NeedMatches(r) => r.why_not.expect("a verdict").exclusions,
        other => panic!("expected NeedMatches, got {other:?}"),
    }
}

fn available(fx: &Fixture, user: &str, profile: ChildProfile) -> ProfileRanking {
    match fx.ok(user, Request::Available { profile, limit: 100 }) {
        Reply::ProfileMatches(r) => *r,
        other => panic!("expected ProfileMatches, got {other:?}"),
    }
}

fn needs_for(fx: &Fixture, family: FamilyCode) -> FamilyRanking {
    match fx.ok(ANNA, Request::MatchFamily { family, limit: 100 }) {
        Reply::FamilyMatches(r) => *r,
        other => panic!("expected FamilyMatches, got {other:?}"),
    }
}

/// An approved family of S-001 in `comune`: residential and respite,
/// children 0–10, two places, siblings welcome, full time, italiano,
/// trained, approved 10/01/2025, confirmed 01/10/2026, at most 30 km.
fn family_in(comune: ComuneCode, tweak: impl FnOnce(&mut AvailabilityProfile)) -> FamilyInput {
    let mut f = family_input();
    f.profile.comune = comune;
    f.profile.status = FamilyStatus::Approved;
    f.profile.approved_on = Some(date!(2025 - 01 - 10));
    tweak(&mut f.profile);
    f
}

/// A boy of six by phone, for tempo libero, no comune, no place.
fn boy_of_six() -> ChildProfile {
    ChildProfile {
        children: vec![ProfileChild { age_months: 72, sex: Some(Sex::Male) }],
        kind: PlacementKind::Respite,
        emergency: false,
        time_slots: BTreeSet::new(),
        special_needs: BTreeSet::new(),
        languages: vec![],
        start: None,
        comune: None,
        within: None,
    }
}

fn codes(candidates: &[banca::api::Candidate]) -> Vec<FamilyCode> {
    candidates.iter().map(|c| c.family.code).collect()
}

fn lallio() -> ComuneCode {
    comune("016123")
}
fn treviolo() -> ComuneCode {
    comune("016220")
}
fn curno() -> ComuneCode {
    comune("016089")
}
fn milano() -> ComuneCode {
    comune("015146")
}
fn zanica() -> ComuneCode {
    comune("016245")
}

// ---------------------------------------------------------------------------
// The phone call: a profile, the same rules and score as a recorded need.

/// "A family near Dalmine for a 6-year-old boy, weekends only?"
///
/// | family | comune (km from Dalmine) | differs from the base | verdict |
/// |---|---|---|---|
/// | 1 | Dalmine (0)    | full time            | 1st: 85 |
/// | 2 | Lallio (2,3)   | weekends, holidays   | 2nd: 83 |
/// | 3 | Stezzano (3,6) | weekdays, afternoons | out: time slots (weekends) |
/// | 4 | Bergamo (7,0)  | full time            | not looked at: beyond 5 km |
/// | 5 | Treviolo (2,7) | girls only           | out: sex |
/// | 6 | Curno (4,4)    | children 0–3         | out: age |
///
/// Scores (weights: distance 30, same area 10, experience 15, waiting 10,
/// freshness 10; no origin nor language criterion for a profile: 75 in all):
/// 1: 30 + 10 (presidio Dalmine) + 4,5 (trained, no placement) + 9,17
///    (22 of 24 months waited) + 10 (confirmed 1 month ago) = 63,67 / 75 = 84,9 → 85;
/// 2: 30 × (1 − 2,32/60) = 28,84, the rest the same: 62,51 / 75 = 83,3 → 83.
#[test]
fn the_phone_call_finds_the_families_near_dalmine_free_at_weekends() {
    let fx = fixture();
    let f1 = fx.create_family(ANNA, family_in(dalmine(), |_| {}));
    let f2 = fx.create_family(
        ANNA,
        family_in(lallio(), |p| p.time_slots = BTreeSet::from([TimeSlot::Weekends, TimeSlot::Holidays])),
    );
    let f3 = fx.create_family(
        ANNA,
        family_in(stezzano(), |p| p.time_slots = BTreeSet::from([TimeSlot::Weekdays, TimeSlot::Afternoons])),
    );
    let _f4 = fx.create_family(ANNA, family_in(bergamo(), |_| {}));
    let f5 = fx.create_family(ANNA, family_in(treviolo(), |p| p.sex_preference = SexPreference::Female));
    let f6 = fx.create_family(ANNA, family_in(curno(), |p| p.ages = AgeRange { min_months: 0, max_months: 47 }));
    let audit_before = fx.audit_len();

    let mut call = boy_of_six();
    call.time_slots = BTreeSet::from([TimeSlot::Weekends]);
    call.comune = Some(dalmine());
    call.within = Some(Within::Km(5));
    let r = available(&fx, ANNA, call.clone());
    assert_eq!(codes(&r.candidates), [f1, f2]);
    assert_eq!(r.candidates.iter().map(|c| c.score).collect::<Vec<_>>(), [85, 83]);
    assert_eq!((r.considered, r.candidates_total), (5, 2), "Bergamo, 7 km away, is not looked at");
    assert_eq!(r.excluded, vec![(HardRule::Age, 1), (HardRule::Sex, 1), (HardRule::TimeSlots, 1)]);
    assert_eq!(r.profile, call, "the reply says what was asked");

    // What made the second fit, on its card.
    assert_eq!(
        r.candidates[1].fit,
        Fit {
            ages: AgeRange { min_months: 0, max_months: 131 },
            kinds: BTreeSet::from([PlacementKind::Respite]),
            time_slots: BTreeSet::from([TimeSlot::Weekends, TimeSlot::Holidays]),
            languages: vec!["italiano".into()],
            special_needs: BTreeSet::new(),
        }
    );
    let kinds: Vec<CriterionKind> = r.candidates[0].criteria.iter().map(|c| c.kind).collect();
    use CriterionKind::*;
    assert_eq!(kinds, [Distance, SameArea, Experience, Waiting, Freshness]);

    // Nothing stored, nothing audited: a profile is nobody.
    assert_eq!(fx.audit_len(), audit_before);
    assert!(
        matches!(fx.ok(ANNA, Request::NeedList { filter: Default::default() }), Reply::Needs(p) if p.items.is_empty())
    );

    // The same answer as a recorded need would get, for each family out.
    let mut n = need_input();
    n.placement.kind = PlacementKind::Respite;
    n.placement.languages = vec![];
    n.placement.contact.frequency = ContactFrequency::None;
    let need = fx.create_need(ANNA, n);
    assert_eq!(
        why_not(&fx, need, f5),
        vec![Exclusion::Sex { need: Some(need), sex: Sex::Male, preference: SexPreference::Female }]
    );
    assert_eq!(
        why_not(&fx, need, f6),
        vec![Exclusion::Age { need: Some(need), age_months: 90, range: AgeRange { min_months: 0, max_months: 47 } }]
    );
    let _ = f3;
}

#[test]
fn a_presidio_or_an_ambito_keeps_the_families_of_its_comuni_and_an_unknown_name_is_refused() {
    let fx = fixture();
    let in_dalmine = fx.create_family(ANNA, family_in(dalmine(), |_| {}));
    let in_stezzano = fx.create_family(ANNA, family_in(stezzano(), |_| {}));
    let in_zanica = fx.create_family(ANNA, family_in(zanica(), |_| {}));
    let in_bergamo = fx.create_family(ANNA, family_in(bergamo(), |_| {}));
    let in_gorle = fx.create_family(ANNA, family_in(gorle(), |_| {}));

    let within = |w: Within| {
        let mut p = boy_of_six();
        p.comune = Some(dalmine());
        p.within = Some(w);
        let mut got = codes(&available(&fx, ANNA, p).candidates);
        got.sort();
        got
    };
    // The presidio of Zanica (Azzano San Paolo, Comun Nuovo, Stezzano, Urgnano, Zanica), any case.
    assert_eq!(within(Within::District("ZANICA".into())), [in_stezzano, in_zanica]);
    // The ambito of Bergamo, as typed in lower case.
    assert_eq!(within(Within::Ambit("bergamo".into())), [in_bergamo, in_gorle]);
    assert_eq!(within(Within::Ambit("Dalmine".into())), [in_dalmine, in_stezzano, in_zanica]);

    let mut p = boy_of_six();
    p.within = Some(Within::Ambit("Valle Nessuna".into()));
    let problems = fx.invalid(ANNA, Request::Available { profile: p, limit: 10 });
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].reason, Reason::UnknownAmbit { name: "Valle Nessuna".into() });

    // A radius needs the comune it is measured from.
    let mut p = boy_of_six();
    p.within = Some(Within::Km(5));
    let problems = fx.invalid(ANNA, Request::Available { profile: p, limit: 10 });
    assert_eq!(problems[0].field.field(), Field::Near);
}

#[test]
fn every_role_that_may_match_may_ask_by_profile_and_sees_shared_views_only() {
    let fx = fixture();
    let family = fx.create_family(ANNA, family_in(dalmine(), |_| {}));
    for user in [ANNA, BRUNO, CARLA, DARIO, ADMIN] {
        let r = available(&fx, user, boy_of_six());
        assert_eq!(codes(&r.candidates), [family], "{user}");
        let c = &r.candidates[0];
        assert!(c.family.private.is_none(), "{user} sees no identity");
        let json = serde_json::to_string(&r).unwrap();
        assert!(!json.contains("Giulia Esempio") && !json.contains("Via delle Prove"), "{user}: {json}");
    }
}

// ---------------------------------------------------------------------------
// Infants: from the birth date (under 24 months), never from a tag.

#[test]
fn a_child_under_two_is_an_infant_by_its_birth_date_whatever_its_tags() {
    let fx = fixture();
    let takes_infants = fx.create_family(
        ANNA,
        family_in(dalmine(), |p| p.special_needs_accepted = BTreeSet::from([SpecialNeed::Infant])),
    );
    let no_infants = fx.create_family(ANNA, family_in(lallio(), |_| {}));

    // Eight months old (born 10/03/2026), no tag: only the family that takes infants.
    let mut baby = need_input();
    baby.identity.birth_date = date!(2026 - 03 - 10);
    let baby = fx.create_need(ANNA, baby);
    let r = rank(&fx, baby);
    assert_eq!(codes(&r.candidates), [takes_infants]);
    assert_eq!(r.excluded, vec![(HardRule::SpecialNeeds, 1)]);
    assert_eq!(why_not(&fx, baby, no_infants), vec![Exclusion::SpecialNeeds { missing: vec![SpecialNeed::Infant] }]);
    assert_eq!(r.candidates[0].fit.special_needs, BTreeSet::from([SpecialNeed::Infant]));

    // By phone: "8m" is an infant too; 24 months is not.
    let mut p = boy_of_six();
    p.children[0].age_months = 8;
    assert_eq!(codes(&available(&fx, ANNA, p.clone()).candidates), [takes_infants]);
    p.children[0].age_months = 24;
    assert_eq!(codes(&available(&fx, ANNA, p).candidates), [takes_infants, no_infants]);
}

/// Tagged "neonato" at 23 months (born 10/12/2024), the child turns two:
/// two months later (24/01/2027, 25 months) the tag no longer makes it an
/// infant, and the family that takes no infants fits again.
#[test]
fn a_tagged_infant_who_turns_two_is_no_longer_screened_as_one() {
    let clock = StepClock::new(NOW);
    let fx = fixture_with_clock(clock.clone());
    let takes_infants = fx.create_family(
        ANNA,
        family_in(dalmine(), |p| p.special_needs_accepted = BTreeSet::from([SpecialNeed::Infant])),
    );
    let no_infants = fx.create_family(ANNA, family_in(lallio(), |_| {}));
    let mut n = need_input();
    n.identity.birth_date = date!(2024 - 12 - 10);
    n.placement.special_needs = BTreeSet::from([SpecialNeed::Infant]);
    let need = fx.create_need(ANNA, n);
    assert_eq!(codes(&rank(&fx, need).candidates), [takes_infants]);
    clock.advance(time::Duration::days(62));
    assert_eq!(codes(&rank(&fx, need).candidates), [takes_infants, no_infants]);
}

// ---------------------------------------------------------------------------
// Time slots: every slot named must be offered; full time covers the day
// and the year (weekdays, afternoons, weekends, holidays), not on call.

/// | family | offers | asked weekdays + afternoons | asked on call (emergency) |
/// |---|---|---|---|
/// | Dalmine  | full time                     | fits     | out: on call |
/// | Lallio   | weekdays, afternoons          | fits     | out: on call |
/// | Treviolo | afternoons                    | out: weekdays | out: on call |
/// | Curno    | full time, on call            | fits     | fits |
#[test]
fn every_time_slot_named_must_be_offered_and_full_time_covers_all_but_on_call() {
    let fx = fixture();
    let with = |c: ComuneCode, slots: &[TimeSlot]| {
        let slots: BTreeSet<TimeSlot> = slots.iter().copied().collect();
        fx.create_family(
            ANNA,
            family_in(c, |p| {
                p.time_slots = slots;
                p.kinds = BTreeSet::from([PlacementKind::Daytime, PlacementKind::Residential]);
            }),
        )
    };
    let full = with(dalmine(), &[TimeSlot::FullTime]);
    let weekdays = with(lallio(), &[TimeSlot::Weekdays, TimeSlot::Afternoons]);
    let afternoons = with(treviolo(), &[TimeSlot::Afternoons]);
    let on_call = with(curno(), &[TimeSlot::FullTime, TimeSlot::OnCall]);

    let mut p = boy_of_six();
    p.kind = PlacementKind::Daytime;
    p.comune = Some(dalmine());
    p.time_slots = BTreeSet::from([TimeSlot::Weekdays, TimeSlot::Afternoons]);
    let r = available(&fx, ANNA, p.clone());
    // By distance: Dalmine 0, Lallio 2,3, Curno 4,4 km.
    assert_eq!(codes(&r.candidates), [full, weekdays, on_call]);
    assert_eq!(r.excluded, vec![(HardRule::TimeSlots, 1)]);
    let _ = afternoons;

    p.time_slots = BTreeSet::from([TimeSlot::OnCall]);
    let r = available(&fx, ANNA, p);
    assert_eq!(codes(&r.candidates), [on_call]);
    assert_eq!(r.excluded, vec![(HardRule::TimeSlots, 3)]);
    assert_eq!(
        banca::i18n::describe_exclusion(
            &Exclusion::TimeSlots { missing: vec![TimeSlot::Weekends] },
            banca::i18n::Lang::It
        ),
        "non offre: weekend"
    );
}

// ---------------------------------------------------------------------------
// Day care: the way to the family counts from the school when it is nearer.

/// A child living in Bergamo who goes to school in Dalmine; a family in
/// Dalmine that goes at most 5 km. Day care (diurno): 0 km, from the
/// school, a candidate. Residential: 7,0 km from the child's home, out.
#[test]
fn for_day_care_the_school_comune_counts_when_nearer_than_home() {
    let fx = fixture();
    let family = fx.create_family(
        ANNA,
        family_in(dalmine(), |p| {
            p.kinds = BTreeSet::from([PlacementKind::Daytime, PlacementKind::Residential]);
            p.max_distance_km = Some(5);
        }),
    );
    let need = |kind: PlacementKind| {
        let mut n = need_input();
        n.placement.kind = kind;
        n.placement.comune = bergamo();
        n.placement.school_comune = Some(dalmine());
        fx.create_need(ANNA, n)
    };
    let day_care = need(PlacementKind::Daytime);
    let r = rank(&fx, day_care);
    assert_eq!(codes(&r.candidates), [family]);
    let d = r.candidates[0].criteria.iter().find(|c| c.kind == CriterionKind::Distance).unwrap();
    assert_eq!(d.fact, Fact::Km { deci_km: 0 });

    let residential = need(PlacementKind::Residential);
    assert_eq!(why_not(&fx, residential, family), vec![Exclusion::Distance { deci_km: 70, max_km: 5 }]);
}

// ---------------------------------------------------------------------------
// Territory: the same comune is the same territory, registered or not.

/// Milano is in no ambito of the bank. A family in Milano itself gets the
/// whole "same area" ("stesso comune": 100 × 10/75 = 13,3 points); one in
/// Bergamo, none ("ambito non registrato").
#[test]
fn the_same_comune_is_the_same_territory_whatever_the_ambiti() {
    let fx = fixture();
    let in_milano = fx.create_family(ANNA, family_in(milano(), |p| p.max_distance_km = None));
    let in_bergamo = fx.create_family(ANNA, family_in(bergamo(), |p| p.max_distance_km = None));
    let mut p = boy_of_six();
    p.comune = Some(milano());
    let r = available(&fx, ANNA, p);
    assert_eq!(codes(&r.candidates), [in_milano, in_bergamo]);
    let area = |i: usize| {
        let c = r.candidates[i].criteria.iter().find(|c| c.kind == CriterionKind::SameArea).unwrap();
        (c.fact.clone(), c.earned_tenths)
    };
    assert_eq!(area(0), (Fact::SameComune, 133));
    assert_eq!(area(1), (Fact::AreaUnknown, 0));
}

// ---------------------------------------------------------------------------
// A family's view: urgent needs first, then by score.

/// One family in Dalmine (full time, on call). Needs, in the order made:
/// 1 ordinary in Dalmine (highest score), 2 an emergency in Bergamo by
/// 25/11/2026, 3 ordinary in Bergamo starting 26/11/2026 (within 7 days:
/// urgent), 4 ordinary in Bergamo starting 10/01/2027, 5 ordinary in
/// Bergamo that should have started on 10/11/2026 (past, the child still
/// waiting: urgent).
/// Order: 2, 3, 5 (urgent; the same score, by code), then 1, 4 (by score).
#[test]
fn in_a_familys_view_urgent_needs_come_first_then_by_score() {
    let fx = fixture();
    let family = fx.create_family(
        ANNA,
        family_in(dalmine(), |p| p.time_slots = BTreeSet::from([TimeSlot::FullTime, TimeSlot::OnCall])),
    );
    let mut ordinary = need_input();
    ordinary.placement.languages = vec![];
    let near = fx.create_need(ANNA, ordinary.clone());
    let mut e = ordinary.clone();
    e.placement.comune = bergamo();
    e.placement.urgency = Urgency::Emergency { needed_by: date!(2026 - 11 - 25) };
    let emergency = fx.create_need(ANNA, e);
    let mut soon = ordinary.clone();
    soon.placement.comune = bergamo();
    soon.placement.desired_start = Some(date!(2026 - 11 - 26));
    let soon = fx.create_need(ANNA, soon);
    let mut later = ordinary.clone();
    later.placement.comune = bergamo();
    later.placement.desired_start = Some(date!(2027 - 01 - 10));
    let later = fx.create_need(ANNA, later);
    let mut overdue = ordinary.clone();
    overdue.placement.comune = bergamo();
    overdue.placement.desired_start = Some(date!(2026 - 11 - 10));
    let overdue = fx.create_need(ANNA, overdue);

    let r = needs_for(&fx, family);
    let order: Vec<NeedCode> = r.needs.iter().map(|n| n.need.code).collect();
    assert_eq!(order, [emergency, soon, overdue, near, later]);
    let scores: Vec<u8> = r.needs.iter().map(|n| n.score).collect();
    assert!(scores[3] > scores[0], "the first urgent need scores below the ordinary one: {scores:?}");
}

// ---------------------------------------------------------------------------
// The stale boundary: at exactly the configured months (6), stale.

/// Confirmed on 23/05/2026, exactly 6 months before 23/11/2026: flagged
/// stale and 0 freshness points. On 24/05/2026, 5 months: not stale,
/// "ageing": a third of the criterion (1 − (5 − 3) / 3). A profile with no
/// comune is scored on experience 15, waiting 10 and freshness 10 only, so
/// freshness is worth 100 × 10/35 = 28,6 points and a third of it 9,5.
#[test]
fn at_exactly_the_configured_months_a_profile_is_stale_in_flag_and_score() {
    let fx = fixture();
    let on_the_day = fx.create_family(ANNA, family_in(dalmine(), |p| p.confirmed_on = Some(date!(2026 - 05 - 23))));
    let day_after = fx.create_family(ANNA, family_in(lallio(), |p| p.confirmed_on = Some(date!(2026 - 05 - 24))));
    let r = available(&fx, ANNA, boy_of_six());
    let freshness = |code: FamilyCode| {
        let c = r.candidates.iter().find(|c| c.family.code == code).unwrap();
        let f = c.criteria.iter().find(|k| k.kind == CriterionKind::Freshness).unwrap();
        (c.family.stale, f.fact.clone(), f.earned_tenths)
    };
    assert_eq!(freshness(on_the_day), (true, Fact::Stale { months: Some(6) }, 0));
    assert_eq!(freshness(day_after), (false, Fact::Ageing { months: 5 }, 95));
    assert_eq!(fx.families(ANNA, banca::api::FamilyFilter { stale: Some(true), ..Default::default() }), [on_the_day]);
}

// ---------------------------------------------------------------------------
// Recorded needs name time slots too; a family's availability period.

/// A day-care need in Dalmine for weekday afternoons (`time_slots`):
/// the family offering afternoons only lacks weekdays; the full-time one fits.
#[test]
fn a_recorded_need_naming_time_slots_excludes_the_families_that_do_not_offer_them() {
    let fx = fixture();
    let day_care = |p: &mut AvailabilityProfile| p.kinds = BTreeSet::from([PlacementKind::Daytime]);
    let full_time = fx.create_family(ANNA, family_in(dalmine(), day_care));
    let afternoons = fx.create_family(
        ANNA,
        family_in(lallio(), |p| {
            day_care(p);
            p.time_slots = BTreeSet::from([TimeSlot::Afternoons]);
        }),
    );
    let mut n = need_input();
    n.placement.kind = PlacementKind::Daytime;
    n.placement.time_slots = BTreeSet::from([TimeSlot::Weekdays, TimeSlot::Afternoons]);
    let need = fx.create_need(ANNA, n);
    let r = rank(&fx, need);
    assert_eq!(codes(&r.candidates), [full_time]);
    assert_eq!(r.excluded, vec![(HardRule::TimeSlots, 1)]);
    assert_eq!(why_not(&fx, need, afternoons), vec![Exclusion::TimeSlots { missing: vec![TimeSlot::Weekdays] }]);
}

/// Today is 23/11/2026. Families: available from 01/12/2026, until
/// 31/12/2026, always. A need with no desired start (today): the first is
/// out (not yet available). Starting 15/01/2027: the second is out (no
/// longer available).
#[test]
fn the_availability_period_is_checked_against_the_desired_start_or_today() {
    let fx = fixture();
    let from_december =
        fx.create_family(ANNA, family_in(dalmine(), |p| p.available_from = Some(date!(2026 - 12 - 01))));
    let until_december =
        fx.create_family(ANNA, family_in(lallio(), |p| p.available_until = Some(date!(2026 - 12 - 31))));
    let always = fx.create_family(ANNA, family_in(treviolo(), |_| {}));

    let now = fx.create_need(ANNA, need_input());
    assert_eq!(codes(&rank(&fx, now).candidates), [until_december, always]);
    assert_eq!(
        why_not(&fx, now, from_december),
        vec![Exclusion::Availability { start: date!(2026 - 11 - 23), from: Some(date!(2026 - 12 - 01)), until: None }]
    );

    let mut n = need_input();
    n.placement.desired_start = Some(date!(2027 - 01 - 15));
    let january = fx.create_need(ANNA, n);
    let r = rank(&fx, january);
    assert_eq!(codes(&r.candidates), [from_december, always]);
    assert_eq!(r.excluded, vec![(HardRule::Availability, 1)]);

    // By phone, the same.
    let mut p = boy_of_six();
    p.start = Some(date!(2027 - 01 - 15));
    let mut got = codes(&available(&fx, ANNA, p).candidates);
    got.sort();
    assert_eq!(got, [from_december, always]);
    assert_eq!(
        banca::i18n::describe_exclusion(
            &Exclusion::Availability { start: date!(2027 - 01 - 15), from: None, until: Some(date!(2026 - 12 - 31)) },
            banca::i18n::Lang::It
        ),
        "disponibile fino al 31/12/2026, l'inizio è il 15/01/2027"
    );
}

/// A profile's languages come from the vocabulary: "arabic" is arabo; an
/// unknown word is refused with suggestions.
#[test]
fn a_profiles_languages_are_the_vocabularys() {
    let fx = fixture();
    let speaks_arabic = fx.create_family(ANNA, family_in(dalmine(), |p| p.languages = vec!["arabo".into()]));
    let italian_only = fx.create_family(ANNA, family_in(lallio(), |_| {}));
    let mut p = boy_of_six();
    p.languages = vec!["Arabic".into()];
    let r = available(&fx, ANNA, p.clone());
    assert_eq!(codes(&r.candidates), [speaks_arabic, italian_only]);
    assert_eq!(r.candidates[0].fit.languages, ["arabo"]);
    let language = r.candidates[0].criteria.iter().find(|c| c.kind == CriterionKind::Language).unwrap();
    assert_eq!(language.fact, Fact::SharedLanguage { language: "arabo".into() });

    p.languages = vec!["klingon".into()];
    let problems = fx.invalid(ANNA, Request::Available { profile: p, limit: 10 });
    assert_eq!(problems[0].field.field(), Field::PlacementLanguages);
    assert!(matches!(problems[0].reason, Reason::UnknownLanguage { .. }), "{problems:?}");
}
