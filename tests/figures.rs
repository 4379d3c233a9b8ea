//! Figures for the coordination, worked by hand on a year of a small bank
//! (the fixture's services S-001 Dalmine and S-002 Bergamo, a clock moved
//! from 12/01/2026 to 23/11/2026): three families, three children, two
//! proposals, one placement started and ended. Every expected value is
//! counted in the comments from the story, never by the code under test.
//!
//! The story:
//! - 12/01 anna (S-001) records families F1 and F2 (first contact), and the
//!   need N1 (a boy born 15/05/2019, Dalmine, residential, consensual);
//!   bruno (S-002) records family F3 (Bergamo).
//! - 02/03 F1 is approved (49 days after its first contact); anna records
//!   N2 (a girl born 01/02/2011, Dalmine, weekends, judicial, MSNA).
//! - 11/05 F3 is approved (119 days); F2 withdraws; bruno records N3 (a boy
//!   born 10/01/2024, Bergamo, residential, art. 403 of 11/05).
//! - 01/06 bruno proposes F1 (S-001) for N3; anna proposes F1 for N1.
//! - 03/06 anna accepts the proposal for N3 (2 days); 05/06 bruno starts
//!   the placement (non-kin): N3 is closed, placement started.
//! - 10/06 anna declines the proposal for N1 (9 days).
//! - 20/07 anna closes N1: return home.
//! - 01/10 the placement ends: return home.
//! - 23/11 today.

mod common;

use banca::api::*;
use banca::bank::{Bank, BankConfig};
use banca::model::*;
use common::*;
use time::macros::{date, datetime};
use time::Duration;

/// The bank at the end of the story, its clock at 23/11/2026, with
/// `small_cell` as its threshold.
fn story(small_cell: u32) -> Fixture {
    let clock = StepClock::new(datetime!(2026-01-12 09:00 UTC));
    let dir = tempfile::tempdir().unwrap();
    let config = BankConfig { small_cell, cache_bytes: 4 * 1024 * 1024, ..BankConfig::default() };
    let bank = Bank::open(&dir.path().join("bank"), config, true, clock.clone()).unwrap();
    let fx = Fixture::seeded(dir, bank);
    let day = |d: time::Date| {
        let now = clock.now().date();
        clock.advance(Duration::days((d - now).whole_days()));
    };
    use banca::model::clock::Clock;

    // 12/01
    let f1 = fx.create_family(ANNA, family_of_january());
    let f2 = fx.create_family(ANNA, family_of_january());
    let mut in_bergamo = family_of_january();
    in_bergamo.profile.comune = bergamo();
    let f3 = fx.create_family(BRUNO, in_bergamo);
    let n1 = fx.create_need(ANNA, need_input());

    // 02/03
    day(date!(2026 - 03 - 02));
    approve_today(&fx, ANNA, f1, clock.now().date());
    let mut girl = need_input();
    girl.identity.given_name = "Bimba".into();
    girl.identity.birth_date = date!(2011 - 02 - 01);
    girl.placement.sex = Sex::Female;
    girl.placement.kind = PlacementKind::Respite;
    girl.placement.legal = LegalBasis::Judicial { court: "TM Brescia".into(), decree: "12/2026".into() };
    girl.placement.special_needs = [SpecialNeed::UnaccompaniedMinor].into();
    let n2 = fx.create_need(ANNA, girl);

    // 11/05
    day(date!(2026 - 05 - 11));
    approve_today(&fx, BRUNO, f3, clock.now().date());
    step(&fx, ANNA, f2, StepKind::Withdrawal, clock.now().date());
    let mut toddler = need_in(S2, BRUNO);
    toddler.service = None;
    toddler.referent = None;
    toddler.identity.birth_date = date!(2024 - 01 - 10);
    toddler.placement.legal = LegalBasis::Art403 { ordered_on: date!(2026 - 05 - 11) };
    let n3 = fx.create_need(BRUNO, toddler);

    // 01/06
    day(date!(2026 - 06 - 01));
    let p3 = proposal(&fx.saved(BRUNO, Request::ProposalCreate { need: n3, family: f1, note: String::new() }));
    let p1 = proposal(&fx.saved(ANNA, Request::ProposalCreate { need: n1, family: f1, note: String::new() }));

    // 03/06, 05/06
    day(date!(2026 - 06 - 03));
    let to = ProposalStatus::Accepted;
    fx.saved(ANNA, Request::ProposalStep { code: p3, base_revision: 1, to, note: String::new() });
    day(date!(2026 - 06 - 05));
    let plan = FosterPlan {
        start: date!(2026 - 06 - 05),
        expected_end: None,
        duration_months: Some(12),
        contact: OriginContact { frequency: ContactFrequency::Monthly, supervised: false },
        contact_notes: String::new(),
        review_dates: vec![],
        commitments: String::new(),
        relationship: Some(Relationship::NonKin),
    };
    let started = fx.saved(BRUNO, Request::PlacementStart { proposal: p3, base_revision: 2, plan });
    let placement = PlacementCode::parse(&started.code).unwrap();

    // 10/06
    day(date!(2026 - 06 - 10));
    let to = ProposalStatus::Declined;
    fx.saved(ANNA, Request::ProposalStep { code: p1, base_revision: 1, to, note: "non ora".into() });

    // 20/07
    day(date!(2026 - 07 - 20));
    let (base_revision, mut input) = fx.need_as_input(n1);
    input.placement.status = NeedStatus::Closed;
    input.placement.closing_reason = Some(ClosingReason::ReturnHome);
    fx.saved(ANNA, Request::NeedUpdate { code: n1, base_revision, input });

    // 01/10
    day(date!(2026 - 10 - 01));
    let close = Request::PlacementClose {
        code: placement,
        base_revision: 1,
        date: date!(2026 - 10 - 01),
        outcome: PlacementOutcome::ReturnHome,
        note: String::new(),
    };
    fx.saved(BRUNO, close);

    day(date!(2026 - 11 - 23));
    let _ = n2;
    fx
}

/// `family_input` as entered on 12/01: no training yet, availability confirmed that day.
fn family_of_january() -> FamilyInput {
    let mut f = family_input();
    f.profile.training_completed_on = None;
    f.profile.confirmed_on = Some(date!(2026 - 01 - 12));
    f
}

fn proposal(saved: &Saved) -> ProposalCode {
    ProposalCode::parse(&saved.code).unwrap()
}

fn step(fx: &Fixture, user: &str, code: FamilyCode, kind: StepKind, date: time::Date) {
    let base_revision = fx.family(user, code).revision;
    let step = StepInput {
        kind,
        date,
        by: String::new(),
        note: String::new(),
        reason: kind.needs_reason().then_some(StepReason::FamilyCircumstances),
        event: None,
        assessors: (kind == StepKind::AssessmentStart)
            .then(|| Assessors { social_worker: "Rita Rota".into(), psychologist: "Marco Bassi".into() }),
    };
    fx.saved(user, Request::FamilyStep { code, base_revision, step });
}

fn approve_today(fx: &Fixture, user: &str, code: FamilyCode, date: time::Date) {
    use StepKind::*;
    for kind in [AssessmentStart, Interview, HomeVisit, Report, Approval] {
        step(fx, user, code, kind, date);
    }
}

fn figures(fx: &Fixture, user: &str, query: FiguresQuery) -> Figures {
    match fx.ok(user, Request::Figures { query }) {
        Reply::Figures(f) => *f,
        other => panic!("not figures: {other:?}"),
    }
}

fn province(at: Option<time::Date>) -> FiguresQuery {
    FiguresQuery { territory: Some(Territory::Province), ..FiguresQuery::at(at) }
}

/// The first area's cell of a row.
fn cell(f: &Figures, i: Indicator, g: Group, k: RowKey) -> Cell {
    f.cell(i, g, k).unwrap_or_else(|| panic!("no row {g:?} {k:?} in {i:?}"))
}

fn n(f: &Figures, i: Indicator, g: Group, k: RowKey) -> u64 {
    match cell(f, i, g, k) {
        Cell::Count(n) => n,
        other => panic!("{i:?} {g:?} {k:?}: {other:?}, not a count"),
    }
}

fn days(f: &Figures, i: Indicator, m: Measure) -> Option<u32> {
    match cell(f, i, Group::Time, RowKey::Measure(m)) {
        Cell::Days(d) => d,
        other => panic!("{i:?} {m:?}: {other:?}, not days"),
    }
}

#[test]
fn the_families_indicators_follow_each_pathway_step_by_its_date() {
    let fx = story(1);
    let f = figures(&fx, CARLA, province(None));
    assert_eq!((f.at, f.from, f.to), (date!(2026 - 11 - 23), date!(2026 - 01 - 01), date!(2026 - 12 - 31)));
    use FamilyStatus::*;
    let stage = |s| n(&f, Indicator::FamiliesByStage, Group::All, RowKey::Stage(s));
    assert_eq!(n(&f, Indicator::FamiliesByStage, Group::All, RowKey::Total), 3);
    assert_eq!((stage(Enquiring), stage(UnderAssessment), stage(Approved), stage(Withdrawn)), (0, 0, 2, 1));
    // F1 (placement ended 01/10: both places free again) and F3, each offering residential and weekends;
    // both confirmed last on their approval (02/03, 11/05), over 6 months ago: to confirm.
    let avail = |k| n(&f, Indicator::FamiliesAvailable, Group::Kind, RowKey::Kind(k));
    assert_eq!(n(&f, Indicator::FamiliesAvailable, Group::All, RowKey::Total), 2);
    assert_eq!(
        (avail(PlacementKind::Residential), avail(PlacementKind::Respite), avail(PlacementKind::Daytime)),
        (2, 2, 0)
    );
    let places = |m| n(&f, Indicator::FamilyPlaces, Group::Places, RowKey::Measure(m));
    assert_eq!(
        (
            places(Measure::PlacesOffered),
            places(Measure::PlacesTaken),
            places(Measure::PlacesFree),
            places(Measure::StaleProfiles)
        ),
        (4, 0, 4, 2)
    );
    // 49 and 119 days: the median of two is the first (nearest rank), the 90th the second.
    assert_eq!(n(&f, Indicator::EnquiryToApproval, Group::Time, RowKey::Measure(Measure::Counted)), 2);
    assert_eq!(days(&f, Indicator::EnquiryToApproval, Measure::MedianDays), Some(49));
    assert_eq!(days(&f, Indicator::EnquiryToApproval, Measure::P90Days), Some(119));
    // F1 was placed after its approval; F3 has waited since 11/05: 196 days.
    assert_eq!(n(&f, Indicator::WaitingSinceApproval, Group::Time, RowKey::Measure(Measure::Counted)), 1);
    assert_eq!(days(&f, Indicator::WaitingSinceApproval, Measure::MedianDays), Some(196));
    assert_eq!(n(&f, Indicator::WaitingSinceApproval, Group::Time, RowKey::Measure(Measure::Over90Days)), 1);

    // On 30/04 only F1 was approved; F3 was under assessment… no: it had had its first contact only.
    let april = figures(&fx, CARLA, province(Some(date!(2026 - 04 - 30))));
    let stage = |s| n(&april, Indicator::FamiliesByStage, Group::All, RowKey::Stage(s));
    assert_eq!((stage(Enquiring), stage(Approved), stage(Withdrawn)), (2, 1, 0));
    // On 30/06 F1 had one of its two places taken by N3: still available, one place free.
    let june = figures(&fx, CARLA, province(Some(date!(2026 - 06 - 30))));
    let places = |m| n(&june, Indicator::FamilyPlaces, Group::Places, RowKey::Measure(m));
    assert_eq!((places(Measure::PlacesOffered), places(Measure::PlacesTaken), places(Measure::PlacesFree)), (4, 1, 3));
    assert_eq!(n(&june, Indicator::FamiliesAvailable, Group::All, RowKey::Total), 2);
}

#[test]
fn the_needs_indicators_count_what_was_open_at_the_date_and_what_closed_in_the_period() {
    let fx = story(1);
    let f = figures(&fx, CARLA, province(None));
    // Only N2 is open on 23/11: weekends, ordinary, 15 years old, a girl, waiting since 02/03 (266 days).
    assert_eq!(n(&f, Indicator::NeedsOpenByKind, Group::All, RowKey::Total), 1);
    assert_eq!(n(&f, Indicator::NeedsOpenByKind, Group::Kind, RowKey::Kind(PlacementKind::Respite)), 1);
    assert_eq!(n(&f, Indicator::NeedsOpenByKind, Group::Kind, RowKey::Kind(PlacementKind::Residential)), 0);
    assert_eq!(n(&f, Indicator::NeedsOpenByUrgency, Group::Urgency, RowKey::Emergency(false)), 1);
    assert_eq!(n(&f, Indicator::NeedsOpenByAge, Group::Age, RowKey::Age(AgeClass::From15To17)), 1);
    assert_eq!(n(&f, Indicator::NeedsOpenBySex, Group::Sex, RowKey::Sex(Sex::Female)), 1);
    assert_eq!(days(&f, Indicator::NeedsWaiting, Measure::MedianDays), Some(266));
    assert_eq!(n(&f, Indicator::NeedsWaiting, Group::Time, RowKey::Measure(Measure::Over90Days)), 1);
    // Three recorded in 2026; N3 closed by its placement (05/06), N1 by a return home (20/07).
    assert_eq!(n(&f, Indicator::NeedsClosed, Group::All, RowKey::Measure(Measure::Recorded)), 3);
    assert_eq!(n(&f, Indicator::NeedsClosed, Group::All, RowKey::Total), 2);
    let closed = |r| n(&f, Indicator::NeedsClosed, Group::Reason, RowKey::Closed(r));
    assert_eq!(
        (closed(ClosingReason::PlacementStarted), closed(ClosingReason::ReturnHome), closed(ClosingReason::Cancelled)),
        (1, 1, 0)
    );
    // On 31/05 all three were open: N1 7 years old, N2 15, N3 2 (class 0–2), waiting 139, 90 and 20 days.
    let may = figures(&fx, CARLA, province(Some(date!(2026 - 05 - 31))));
    assert_eq!(n(&may, Indicator::NeedsOpenByAge, Group::All, RowKey::Total), 3);
    let age = |a| n(&may, Indicator::NeedsOpenByAge, Group::Age, RowKey::Age(a));
    assert_eq!((age(AgeClass::From0To2), age(AgeClass::From6To10), age(AgeClass::From15To17)), (1, 1, 1));
    assert_eq!(days(&may, Indicator::NeedsWaiting, Measure::MedianDays), Some(90));
    assert_eq!(days(&may, Indicator::NeedsWaiting, Measure::P90Days), Some(139));
    assert_eq!(n(&may, Indicator::NeedsWaiting, Group::Time, RowKey::Measure(Measure::Over90Days)), 1);
}

#[test]
fn the_placements_are_classed_as_the_ministry_s_survey_asks() {
    let fx = story(1);
    let f = figures(&fx, CARLA, province(None));
    // Nobody in placement on 23/11; one started in 2026, one ended.
    assert_eq!(n(&f, Indicator::PlacementsInCourse, Group::All, RowKey::Total), 0);
    let started = |g, k| n(&f, Indicator::PlacementsStarted, g, k);
    assert_eq!(started(Group::All, RowKey::Total), 1);
    assert_eq!(started(Group::Kind, RowKey::Kind(PlacementKind::Residential)), 1);
    assert_eq!(started(Group::Host, RowKey::Host(HostClass::Family(Some(Relationship::NonKin)))), 1);
    assert_eq!(started(Group::Host, RowKey::Host(HostClass::Family(Some(Relationship::Kinship)))), 0);
    assert_eq!(started(Group::Legal, RowKey::Legal(LegalClass::Art403)), 1);
    assert_eq!(started(Group::Age, RowKey::Age(AgeClass::From0To2)), 1, "2 years old on 05/06");
    assert_eq!(started(Group::Sex, RowKey::Sex(Sex::Male)), 1);
    assert_eq!(started(Group::Origin, RowKey::Origin(Origin::Italian)), 1);
    let ended = |g, k| n(&f, Indicator::PlacementsEnded, g, k);
    assert_eq!(ended(Group::All, RowKey::Total), 1);
    assert_eq!(ended(Group::Outcome, RowKey::Outcome(PlacementOutcome::ReturnHome)), 1);
    assert_eq!(ended(Group::Duration, RowKey::Duration(DurationClass::UnderOneYear)), 1, "05/06 to 01/10");
    // On 30/09 the toddler was in placement: 2 years old, under a year, art. 403.
    let sept = figures(&fx, CARLA, province(Some(date!(2026 - 09 - 30))));
    let in_course = |g, k| n(&sept, Indicator::PlacementsInCourse, g, k);
    assert_eq!(in_course(Group::All, RowKey::Total), 1);
    assert_eq!(in_course(Group::Age, RowKey::Age(AgeClass::From0To2)), 1);
    assert_eq!(in_course(Group::Duration, RowKey::Duration(DurationClass::UnderOneYear)), 1);
    assert_eq!(in_course(Group::Legal, RowKey::Legal(LegalClass::Art403)), 1);
    assert_eq!(in_course(Group::Legal, RowKey::Legal(LegalClass::Consensual)), 0);
    // A year with nothing in it: 2025.
    let q = FiguresQuery {
        from: Some(date!(2025 - 01 - 01)),
        to: Some(date!(2025 - 12 - 31)),
        ..province(Some(date!(2025 - 12 - 31)))
    };
    let last_year = figures(&fx, CARLA, q);
    assert_eq!(n(&last_year, Indicator::PlacementsStarted, Group::All, RowKey::Total), 0);
    assert_eq!(n(&last_year, Indicator::FamiliesByStage, Group::All, RowKey::Total), 0, "no family known yet");
}

#[test]
fn the_network_counts_proposals_their_answers_and_the_services_reciprocity() {
    let fx = story(1);
    let f = figures(&fx, CARLA, province(None));
    let m = |x| n(&f, Indicator::Proposals, Group::All, RowKey::Measure(x));
    assert_eq!(
        (m(Measure::Made), m(Measure::Accepted), m(Measure::Declined), m(Measure::Withdrawn), m(Measure::Pending)),
        (2, 1, 1, 0, 0)
    );
    // Answers after 2 and 9 days: the median of two is the first.
    assert_eq!(
        cell(&f, Indicator::Proposals, Group::Time, RowKey::Measure(Measure::MedianDaysToAnswer)),
        Cell::Days(Some(2))
    );
    let because = |c| n(&f, Indicator::Proposals, Group::Reason, RowKey::Measure(Measure::DeclinedBecause(c)));
    assert_eq!((because(DeclineClass::ByHost), because(DeclineClass::NeedClosed)), (1, 0));
    // S-001 lent F1 to S-002's child.
    let r = |s, x| cell(&f, Indicator::Reciprocity, Group::Service, RowKey::Service(s, x));
    assert_eq!(r(S1, Measure::Lent), Cell::Count(1));
    assert_eq!(r(S1, Measure::Borrowed), Cell::Count(0));
    assert_eq!(r(S1, Measure::Balance), Cell::Signed(1));
    assert_eq!(r(S2, Measure::Borrowed), Cell::Count(1));
    assert_eq!(r(S2, Measure::Balance), Cell::Signed(-1));
    // The months, January to November: needs recorded in January, March and May; the placement in June to September.
    let month = |s, m: u8| n(&f, Indicator::Monthly, Group::Month(s), RowKey::Month { year: 2026, month: m });
    assert_eq!(
        (month(Series::NeedsRecorded, 1), month(Series::NeedsRecorded, 2), month(Series::NeedsRecorded, 3)),
        (1, 0, 1)
    );
    assert_eq!((month(Series::PlacementsStarted, 6), month(Series::PlacementsEnded, 10)), (1, 1));
    assert_eq!(
        (
            month(Series::PlacementsInCourse, 5),
            month(Series::PlacementsInCourse, 9),
            month(Series::PlacementsInCourse, 10)
        ),
        (0, 1, 0)
    );
    assert_eq!(
        (
            month(Series::FamiliesAvailable, 2),
            month(Series::FamiliesAvailable, 3),
            month(Series::FamiliesAvailable, 11)
        ),
        (0, 1, 2)
    );
    assert_eq!(month(Series::ProposalsMade, 6), 2);
    assert!(
        f.cell(Indicator::Monthly, Group::Month(Series::NeedsOpen), RowKey::Month { year: 2026, month: 12 }).is_none(),
        "no month past the date"
    );
    // The map: Dalmine has F1 and N2, Bergamo F3.
    let at = |c: ComuneCode| f.map.iter().find(|x| x.comune == c).map(|x| (x.families_available, x.needs_open));
    assert_eq!(at(dalmine()), Some((Cell::Count(1), Cell::Count(1))));
    assert_eq!(at(bergamo()), Some((Cell::Count(1), Cell::Count(0))));
}

#[test]
fn a_territory_counts_its_own_records_and_the_province_stands_beside_it() {
    let fx = story(1);
    let dalmine_ambit =
        FiguresQuery { territory: Some(Territory::Ambit(DALMINE_AMBIT.into())), ..FiguresQuery::at(None) };
    let f = figures(&fx, CARLA, dalmine_ambit);
    assert_eq!(f.areas, vec![Territory::Ambit(DALMINE_AMBIT.into()), Territory::Province]);
    let row = |i, g, k| f.table(i).unwrap().rows.iter().find(|r| r.group == g && r.key == k).unwrap().cells.clone();
    // F1 and F2 live in Dalmine, F3 in Bergamo.
    assert_eq!(row(Indicator::FamiliesByStage, Group::All, RowKey::Total), vec![Cell::Count(2), Cell::Count(3)]);
    assert_eq!(
        row(Indicator::NeedsClosed, Group::All, RowKey::Measure(Measure::Recorded)),
        vec![Cell::Count(2), Cell::Count(3)]
    );
    // An unknown ambito is refused by name.
    let err = fx.err(
        CARLA,
        Request::Figures {
            query: FiguresQuery { territory: Some(Territory::Ambit("Atlantide".into())), ..FiguresQuery::at(None) },
        },
    );
    assert!(format!("{err:?}").contains("Atlantide"), "{err:?}");
    // A period the wrong way round is refused.
    let q =
        FiguresQuery { from: Some(date!(2026 - 12 - 01)), to: Some(date!(2026 - 01 - 01)), ..FiguresQuery::at(None) };
    let problems = fx.invalid(CARLA, Request::Figures { query: q });
    assert_eq!(problems[0].field, "report.to");
}

#[test]
fn small_cells_are_hidden_wherever_a_figure_leaves_the_service_that_owns_its_children() {
    let fx = story(DEFAULT_SMALL_CELL);
    let row = |f: &Figures, i: Indicator, g: Group, k: RowKey| {
        f.table(i).unwrap().rows.iter().find(|r| r.group == g && r.key == k).unwrap().cells.clone()
    };
    use Cell::{Count, Small};
    // The coordination sees families whole, never a small count of children, nor one child's wait.
    let f = figures(&fx, CARLA, province(None));
    assert_eq!(f.threshold, 3);
    assert_eq!(f.areas, vec![Territory::Province]);
    assert_eq!(cell(&f, Indicator::FamiliesByStage, Group::All, RowKey::Stage(FamilyStatus::Approved)), Count(2));
    assert_eq!(cell(&f, Indicator::NeedsOpenByKind, Group::All, RowKey::Total), Small);
    assert_eq!(cell(&f, Indicator::NeedsWaiting, Group::Time, RowKey::Measure(Measure::MedianDays)), Small);
    assert_eq!(cell(&f, Indicator::NeedsOpenByKind, Group::Kind, RowKey::Kind(PlacementKind::Residential)), Count(0));
    assert_eq!(
        f.map.iter().find(|c| c.comune == dalmine()).map(|c| (c.families_available, c.needs_open)),
        Some((Count(1), Small))
    );

    // anna, S-001's operator: her service's figures whole, the province beside them hidden.
    let a = figures(&fx, ANNA, FiguresQuery::at(None));
    assert_eq!(a.areas, vec![Territory::Service(S1), Territory::Province]);
    assert_eq!(row(&a, Indicator::NeedsOpenByKind, Group::All, RowKey::Total), vec![Count(1), Small]);
    assert_eq!(
        row(&a, Indicator::FamiliesByStage, Group::All, RowKey::Stage(FamilyStatus::Approved)),
        vec![Count(1), Small]
    );
    assert_eq!(row(&a, Indicator::FamiliesByStage, Group::All, RowKey::Total), vec![Count(2), Count(3)]);
    // The same figures leaving in a file: her own column hidden too.
    let leaving = figures(&fx, ANNA, FiguresQuery { leaving: true, ..FiguresQuery::at(None) });
    assert_eq!(row(&leaving, Indicator::NeedsOpenByKind, Group::All, RowKey::Total), vec![Small, Small]);
    // bruno asking for S-001's figures: not his service's.
    let b = figures(&fx, BRUNO, FiguresQuery { territory: Some(Territory::Service(S1)), ..FiguresQuery::at(None) });
    assert_eq!(row(&b, Indicator::NeedsOpenByKind, Group::All, RowKey::Total), vec![Small, Small]);
    assert_eq!(
        row(&b, Indicator::FamiliesByStage, Group::All, RowKey::Stage(FamilyStatus::Approved)),
        vec![Small, Small]
    );
    // dario reads for S-001 but is no operator of it: the province, every small cell hidden.
    let d = figures(&fx, DARIO, FiguresQuery::at(None));
    assert_eq!(d.areas, vec![Territory::Province]);
    assert_eq!(cell(&d, Indicator::FamiliesByStage, Group::All, RowKey::Stage(FamilyStatus::Approved)), Small);
}

#[test]
fn the_report_reads_as_csv_and_as_markdown_for_the_minutes() {
    let fx = story(DEFAULT_SMALL_CELL);
    let only = vec![Indicator::NeedsOpenByKind, Indicator::FamiliesByStage];
    let f = figures(&fx, ANNA, FiguresQuery { only, leaving: true, ..FiguresQuery::at(None) });
    let csv = banca::present::figures::csv(&f, Lang::It);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "indicatore,titolo,gruppo,voce,territorio,valore,alla_data,periodo");
    assert!(lines.contains(
        &"needs-by-kind,\"Richieste aperte alla data, per tipo di affido\",,Totale,S-001,<3,23/11/2026,01/01/2026 - 31/12/2026"
    ), "{csv}");
    assert!(
        lines.contains(
            &"families-by-stage,Famiglie per fase del percorso,,Totale,Provincia,3,23/11/2026,01/01/2026 - 31/12/2026"
        ),
        "{csv}"
    );
    // One line per cell: (1 total + 7 kinds) + (1 total + 6 stages), two areas each, and the header.
    assert_eq!(lines.len(), 1 + (8 + 7) * 2);

    let md = banca::present::figures::markdown(&f, false, Lang::It);
    assert!(
        md.starts_with("# Statistiche della banca\n\nAlla data 23/11/2026 · periodo 01/01/2026 – 31/12/2026\n"),
        "{md}"
    );
    assert!(md.contains("\n## Richieste aperte alla data, per tipo di affido\n\n| per | voce | S-001 | Provincia |\n|---|---|---:|---:|\n|  | Totale | <3 | <3 |\n"), "{md}");
    assert!(md.contains("| tipo | residenziale | 0 | 0 |"), "{md}");
    let en = banca::present::figures::markdown(&f, false, Lang::En);
    assert!(en.contains("## Needs open at the date, by kind"), "{en}");
}
