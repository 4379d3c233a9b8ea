//! What the bank refuses and how it says so: every validation rule names
//! the field and the reason, so the operator can be told in their language
//! exactly what to fix; every problem of a submission is reported at once;
//! and sibling groups stay whole and symmetric.

mod common;

use banca::api::{BankError, Reply, Request};
use banca::model::fiscal_code;
use banca::model::*;
use common::*;
use time::macros::date;

/// One rule: what is wrong, how to make the input wrong that way, and the
/// one problem the bank must report.
struct Case<T> {
    what: &'static str,
    tweak: Box<dyn Fn(&mut T)>,
    field: &'static str,
    reason: Reason,
}

/// `case` for one kind of input, so that the closures know their argument's type.
macro_rules! case_for {
    ($name:ident, $t:ty) => {
        fn $name(
            what: &'static str,
            tweak: impl Fn(&mut $t) + 'static,
            field: &'static str,
            reason: Reason,
        ) -> Case<$t> {
            Case { what, tweak: Box::new(tweak), field, reason }
        }
    };
}

case_for!(family_case, FamilyInput);
case_for!(need_case, NeedInput);
case_for!(ambit_case, AmbitInput);
case_for!(service_case, ServiceInput);
case_for!(operator_case, (String, OperatorInput));

/// Submits every case and collects those whose answer is not exactly the one expected problem.
fn check_cases<T: Clone>(
    fx: &Fixture,
    user: &str,
    base: impl Fn() -> T,
    request: impl Fn(T) -> Request,
    cases: Vec<Case<T>>,
) {
    let mut wrong = Vec::new();
    for c in &cases {
        let mut input = base();
        (c.tweak)(&mut input);
        let expected = vec![Problem::new(wire(c.field), c.reason.clone())];
        match fx.handle(user, request(input)) {
            Err(BankError::Invalid(problems)) if problems == expected => {}
            other => wrong.push(format!("{}:\n    expected {expected:?}\n    got      {other:?}", c.what)),
        }
    }
    assert!(wrong.is_empty(), "{} of {} rules answered wrongly:\n{}", wrong.len(), cases.len(), wrong.join("\n"));
}

/// The field a problem names by its path on the wire (`identity.adults[1].name`).
fn wire(path: &str) -> FieldRef {
    FieldRef::parse(path).unwrap_or_else(|| panic!("no field has the path {path}"))
}

fn long(n: usize) -> String {
    "x".repeat(n)
}

/// As many languages as a list may hold, all of the vocabulary, the first
/// written `MAX_LANGUAGE` characters long ("lingua" then spaces: the
/// vocabulary folds them).
fn languages_at_max() -> Vec<String> {
    let first = format!("lingua{}dei segni italiana", " ".repeat(limits::MAX_LANGUAGE - 24));
    assert_eq!(first.chars().count(), limits::MAX_LANGUAGE);
    let others = languages::Language::all().skip(1).take(limits::MAX_LANGUAGES - 1).map(|l| l.name().to_string());
    std::iter::once(first).chain(others).collect()
}

fn range(min: i64, max: i64) -> Reason {
    Reason::OutOfRange { min, max }
}

fn when(condition: &str) -> Reason {
    Reason::RequiredWhen { condition: condition.into() }
}

/// The window of approval, training and confirmation dates: 1990 to today.
fn since_1990_until_today() -> Reason {
    Reason::DateOutOfRange { earliest: DateLimit::On(date!(1990 - 01 - 01)), latest: DateLimit::Today }
}

/// A window between two dates (today is 23/11/2026).
fn between(earliest: time::Date, latest: time::Date) -> Reason {
    Reason::DateOutOfRange { earliest: DateLimit::On(earliest), latest: DateLimit::On(latest) }
}

fn too_long(max: usize) -> Reason {
    Reason::TooLong { max }
}

fn unknown_comune(code: &str) -> Reason {
    Reason::UnknownComune { code: code.into() }
}

const NOWHERE: &str = "999999";

// ------------------------------------------------------------------ families

#[test]
fn every_rule_of_a_family_names_its_field_and_reason() {
    let fx = fixture();
    let future = date!(2026 - 12 - 01);
    let cases: Vec<Case<FamilyInput>> = vec![
        family_case(
            "a family has at least one adult",
            |f| f.identity.adults.clear(),
            "identity.adults",
            Reason::Required,
        ),
        family_case(
            "an adult has a name",
            |f| f.identity.adults[0].name = "  ".into(),
            "identity.adults[0].name",
            Reason::Required,
        ),
        family_case(
            "an adult's name fits 120 characters",
            |f| f.identity.adults[0].name = long(121),
            "identity.adults[0].name",
            too_long(120),
        ),
        family_case(
            "an adult is at least 18",
            |f| f.identity.adults[1].birth_year = 2009,
            "identity.adults[1].birth_year",
            range(1916, 2008),
        ),
        family_case(
            "an adult is at most 110",
            |f| f.identity.adults[1].birth_year = 1915,
            "identity.adults[1].birth_year",
            range(1916, 2008),
        ),
        family_case(
            "the address fits 200 characters",
            |f| f.identity.address = long(201),
            "identity.address",
            too_long(200),
        ),
        family_case(
            "a phone number has only digits and separators",
            |f| f.identity.phone = "035 12A 4567".into(),
            "identity.phone",
            Reason::InvalidPhone,
        ),
        family_case(
            "a phone number has at least 6 digits",
            |f| f.identity.phone = "035 12".into(),
            "identity.phone",
            Reason::InvalidPhone,
        ),
        family_case(
            "a phone number has at most 15 digits",
            |f| f.identity.phone = "0351234567890123".into(),
            "identity.phone",
            Reason::InvalidPhone,
        ),
        family_case(
            "a plus only starts a phone number",
            |f| f.identity.phone = "035+1234567".into(),
            "identity.phone",
            Reason::InvalidPhone,
        ),
        family_case(
            "an e-mail has a domain",
            |f| f.identity.email = "famiglia@".into(),
            "identity.email",
            Reason::InvalidEmail,
        ),
        family_case(
            "an e-mail has a dotted domain",
            |f| f.identity.email = "famiglia@localhost".into(),
            "identity.email",
            Reason::InvalidEmail,
        ),
        family_case(
            "an e-mail has no spaces",
            |f| f.identity.email = "fami glia@example.org".into(),
            "identity.email",
            Reason::InvalidEmail,
        ),
        family_case(
            "an e-mail has one @",
            |f| f.identity.email = "a@b@example.org".into(),
            "identity.email",
            Reason::InvalidEmail,
        ),
        family_case(
            "the comune exists",
            |f| f.profile.comune = comune(NOWHERE),
            "profile.comune",
            unknown_comune(NOWHERE),
        ),
        family_case(
            "a household has an adult",
            |f| f.profile.household.adults = 0,
            "profile.household.adults",
            range(1, 10),
        ),
        family_case(
            "a household has at most 10 adults",
            |f| f.profile.household.adults = 11,
            "profile.household.adults",
            range(1, 10),
        ),
        family_case(
            "a child of the household is born within 90 years",
            |f| f.profile.household.children_birth_years = vec![2015, 1935],
            "profile.household.children_birth_years[1]",
            range(1936, 2026),
        ),
        family_case(
            "a child of the household is born",
            |f| f.profile.household.children_birth_years = vec![2027],
            "profile.household.children_birth_years[0]",
            range(1936, 2026),
        ),
        family_case(
            "pets fit 200 characters",
            |f| f.profile.household.pets = long(201),
            "profile.household.pets",
            too_long(200),
        ),
        family_case(
            "at most 20 spare rooms",
            |f| f.profile.household.spare_rooms = 21,
            "profile.household.spare_rooms",
            range(0, 20),
        ),
        family_case(
            "an approved family accepts some kind of placement",
            |f| {
                f.profile.kinds.clear();
                f.profile.status = FamilyStatus::Approved;
                f.profile.approved_on = Some(date!(2026 - 06 - 01));
            },
            "profile.kinds",
            when("status=approved"),
        ),
        family_case(
            "an age range in years is not upside down",
            |f| f.profile.ages = AgeRange { min_months: 120, max_months: 47 },
            "profile.ages",
            Reason::AgeRangeInverted { min_months: 120, max_months: 47 },
        ),
        family_case(
            "an age range in months is not upside down",
            |f| f.profile.ages = AgeRange { min_months: 18, max_months: 6 },
            "profile.ages",
            Reason::AgeRangeInverted { min_months: 18, max_months: 6 },
        ),
        family_case(
            "an age range stops at 21 years",
            |f| f.profile.ages = AgeRange { min_months: 0, max_months: 22 * 12 },
            "profile.ages",
            Reason::AgeAboveLimit,
        ),
        family_case(
            "a family takes at least one child",
            |f| f.profile.max_children = 0,
            "profile.max_children",
            range(1, 10),
        ),
        family_case(
            "a family takes at most 10 children",
            |f| f.profile.max_children = 11,
            "profile.max_children",
            range(1, 10),
        ),
        family_case(
            "a language is not blank",
            |f| f.profile.languages = vec!["italiano".into(), " ".into()],
            "profile.languages[1]",
            Reason::Required,
        ),
        family_case(
            "a language fits 40 characters",
            |f| f.profile.languages = vec![long(41)],
            "profile.languages[0]",
            too_long(40),
        ),
        family_case(
            "a language is one the vocabulary knows, and a slip gets the closest",
            |f| f.profile.languages = vec!["italiano".into(), "Arabbo".into()],
            "profile.languages[1]",
            Reason::UnknownLanguage { given: "Arabbo".into(), suggestions: vec!["arabo".into()] },
        ),
        family_case(
            "a language nothing resembles gets no suggestion",
            |f| f.profile.languages = vec!["klingon".into()],
            "profile.languages[0]",
            Reason::UnknownLanguage { given: "klingon".into(), suggestions: vec![] },
        ),
        family_case(
            "a distance is at least 1 km",
            |f| f.profile.max_distance_km = Some(0),
            "profile.max_distance_km",
            range(1, 1500),
        ),
        family_case(
            "a distance is at most 1500 km",
            |f| f.profile.max_distance_km = Some(1501),
            "profile.max_distance_km",
            range(1, 1500),
        ),
        family_case(
            "training is not completed in the future",
            move |f| f.profile.training_completed_on = Some(future),
            "profile.training_completed_on",
            since_1990_until_today(),
        ),
        family_case(
            "approval is not in the future",
            move |f| f.profile.approved_on = Some(future),
            "profile.approved_on",
            since_1990_until_today(),
        ),
        family_case(
            "approval is not before 1990",
            |f| f.profile.approved_on = Some(date!(1989 - 12 - 31)),
            "profile.approved_on",
            since_1990_until_today(),
        ),
        family_case(
            "training is not completed in 1900",
            |f| f.profile.training_completed_on = Some(date!(1900 - 01 - 01)),
            "profile.training_completed_on",
            since_1990_until_today(),
        ),
        family_case(
            "a review is at most a year overdue",
            |f| f.profile.review_on = Some(date!(2025 - 11 - 22)),
            "profile.review_on",
            between(date!(2025 - 11 - 23), date!(2031 - 11 - 23)),
        ),
        family_case(
            "a review is at most five years ahead",
            |f| f.profile.review_on = Some(date!(2031 - 11 - 24)),
            "profile.review_on",
            between(date!(2025 - 11 - 23), date!(2031 - 11 - 23)),
        ),
        family_case(
            "no more adults named than the household holds",
            |f| {
                f.profile.household.adults = 1;
                f.identity.adults = vec![f.identity.adults[0].clone(); 2];
            },
            "identity.adults",
            Reason::TooManyFor { other_field: Field::HouseholdAdults, max: 1 },
        ),
        family_case(
            "at most ten adults named",
            |f| {
                f.profile.household.adults = 10;
                f.identity.adults = vec![f.identity.adults[0].clone(); 11];
            },
            "identity.adults",
            Reason::TooMany { max: 10 },
        ),
        family_case(
            "the first adult's birth year is required from the assessment on",
            |f| {
                f.identity.adults[0].birth_year = 0;
                f.profile.status = FamilyStatus::UnderAssessment;
            },
            "identity.adults[0].birth_year",
            Reason::Required,
        ),
        family_case(
            "availability is not confirmed in the future",
            move |f| f.profile.confirmed_on = Some(future),
            "profile.confirmed_on",
            since_1990_until_today(),
        ),
        family_case(
            "an approved family has an approval date",
            |f| f.profile.status = FamilyStatus::Approved,
            "profile.approved_on",
            when("status=approved"),
        ),
        family_case(
            "the review comes after the approval",
            |f| {
                f.profile.approved_on = Some(date!(2026 - 01 - 10));
                f.profile.review_on = Some(date!(2026 - 01 - 10));
            },
            "profile.review_on",
            Reason::NotAfter { other_field: Field::ApprovedOn },
        ),
        family_case(
            "the availability ends no earlier than it starts",
            |f| {
                f.profile.available_from = Some(date!(2027 - 03 - 01));
                f.profile.available_until = Some(date!(2027 - 02 - 28));
            },
            "profile.available_until",
            Reason::Before { other_field: Field::AvailableFrom },
        ),
        family_case(
            "the availability starts at most two years back",
            |f| f.profile.available_from = Some(date!(2024 - 11 - 22)),
            "profile.available_from",
            between(date!(2024 - 11 - 23), date!(2031 - 11 - 23)),
        ),
        family_case(
            "the availability ends at most five years ahead",
            |f| f.profile.available_until = Some(date!(2031 - 11 - 24)),
            "profile.available_until",
            between(date!(2024 - 11 - 23), date!(2031 - 11 - 23)),
        ),
        family_case("notes fit 4000 characters", |f| f.profile.notes = long(4001), "profile.notes", too_long(4000)),
        family_case(
            "the referent works in the family's service",
            |f| f.referent = Some(BRUNO.into()),
            "referent",
            Reason::ReferentNotInService { user: BRUNO.into(), service: "S-001".into() },
        ),
        family_case(
            "the referent is an operator of the bank",
            |f| f.referent = Some("nessuno".into()),
            "referent",
            Reason::UnknownOperator { user: "nessuno".into() },
        ),
    ];
    check_cases(&fx, ANNA, family_input, |input| Request::FamilyCreate { input }, cases);
}

#[test]
fn a_valid_family_passes_with_every_optional_part_filled_or_empty() {
    let fx = fixture();
    let mut full = family_input();
    full.identity.phone = "+39 035/123.45-67".into();
    full.profile.status = FamilyStatus::Approved;
    full.profile.approved_on = Some(date!(2026 - 01 - 10));
    full.profile.review_on = Some(date!(2027 - 01 - 10));
    full.profile.confirmed_on = Some(date!(2026 - 11 - 23));
    full.profile.ages = AgeRange { min_months: 0, max_months: 21 * 12 + 11 };
    fx.create_family(ANNA, full);
    let mut bare = family_input();
    bare.identity.phone.clear();
    bare.identity.email.clear();
    bare.profile.kinds.clear();
    bare.profile.max_distance_km = None;
    bare.profile.training_completed_on = None;
    bare.profile.confirmed_on = None;
    fx.create_family(ANNA, bare);
}

#[test]
fn a_family_names_a_service_that_exists_and_is_active() {
    let fx = fixture();
    let problems = fx.invalid(ADMIN, Request::FamilyCreate { input: family_in(ServiceCode(99), ANNA) });
    assert!(
        problems.contains(&Problem::new(Field::Service, Reason::UnknownService { code: "S-099".into() })),
        "{problems:?}"
    );

    let problems = fx
        .invalid(ADMIN, Request::FamilyCreate { input: FamilyInput { referent: Some(ANNA.into()), ..family_input() } });
    assert_eq!(problems, vec![Problem::new(Field::Service, Reason::Required)], "admin belongs to no service");

    let mut closed = service_input(S2_NAME, BERGAMO_AMBIT);
    closed.active = false;
    fx.saved(ADMIN, Request::ServiceUpdate { code: S2, base_revision: 1, input: closed });
    let problems = fx.invalid(ADMIN, Request::FamilyCreate { input: family_in(S2, BRUNO) });
    assert!(
        problems.contains(&Problem::new(Field::Service, Reason::UnknownService { code: "S-002".into() })),
        "{problems:?}"
    );
}

#[test]
fn a_deactivated_operator_cannot_be_a_referent() {
    let fx = fixture();
    let mut elena = operator_input("Elena Operatrice", Role::Operator, Some(S1));
    fx.saved(ADMIN, Request::OperatorCreate { user: "elena".into(), input: elena.clone() });
    elena.active = false;
    fx.saved(ADMIN, Request::OperatorUpdate { user: "elena".into(), base_revision: 1, input: elena });
    let input = FamilyInput { referent: Some("elena".into()), ..family_input() };
    assert_eq!(
        fx.invalid(ANNA, Request::FamilyCreate { input }),
        vec![Problem::new(Field::Referent, Reason::ReferentInactive { user: "elena".into() })]
    );
}

#[test]
fn a_submission_with_several_problems_reports_them_all_at_once() {
    let fx = fixture();
    let mut input = family_input();
    input.identity.adults.clear();
    input.identity.phone = "telefono".into();
    input.profile.ages = AgeRange { min_months: 120, max_months: 47 };
    input.profile.comune = comune(NOWHERE);
    input.referent = Some(BRUNO.into());
    let problems = fx.invalid(ANNA, Request::FamilyCreate { input });
    let expected = [
        Problem::new(Field::Adults, Reason::Required),
        Problem::new(Field::IdentityPhone, Reason::InvalidPhone),
        Problem::new(Field::Ages, Reason::AgeRangeInverted { min_months: 120, max_months: 47 }),
        Problem::new(Field::ProfileComune, unknown_comune(NOWHERE)),
        Problem::new(Field::Referent, Reason::ReferentNotInService { user: BRUNO.into(), service: "S-001".into() }),
    ];
    for p in &expected {
        assert!(problems.contains(p), "{p:?} missing from {problems:?}");
    }
    assert_eq!(problems.len(), expected.len(), "{problems:?}");
}

fn set_family_status(fx: &Fixture, code: FamilyCode, status: FamilyStatus) -> Result<(), Vec<Problem>> {
    let (rev, mut input) = fx.family_as_input(code);
    input.profile.status = status;
    match fx.handle(ANNA, Request::FamilyUpdate { code, base_revision: rev, input }) {
        Ok(_) => Ok(()),
        Err(BankError::Invalid(p)) => Err(p),
        Err(e) => panic!("{e:?}"),
    }
}

#[test]
fn a_family_goes_through_assessment_before_approval_and_does_not_come_back_once_withdrawn() {
    use StepKind::*;
    let fx = fixture();
    let code = fx.create_family(ANNA, family_input());
    // The form's status does not move it: the refusal names the steps possible now.
    assert_eq!(
        set_family_status(&fx, code, FamilyStatus::Approved),
        Err(vec![
            Problem::new(Field::ApprovedOn, Reason::RequiredWhen { condition: "status=approved".into() }),
            Problem::new(
                Field::FamilyStatus,
                by_step("enquiring", "approved", &["information", "training", "assessment_start", "withdrawal"])
            )
        ])
    );
    for step in [AssessmentStart, Interview, HomeVisit, Report, Approval, Suspension, Resumption, Withdrawal] {
        fx.take_step(ANNA, code, step);
    }
    assert_eq!(
        set_family_status(&fx, code, FamilyStatus::Approved),
        Err(vec![Problem::new(Field::FamilyStatus, by_step("withdrawn", "approved", &[]))])
    );
    assert_eq!(fx.family(ANNA, code).profile.status, FamilyStatus::Withdrawn);

    let other = fx.create_family(ANNA, family_input());
    for step in [AssessmentStart, Interview, HomeVisit, Report, StepKind::NotApproved] {
        fx.take_step(ANNA, other, step);
    }
    assert_eq!(fx.family(ANNA, other).profile.status, FamilyStatus::NotApproved);
    assert_eq!(
        set_family_status(&fx, other, FamilyStatus::UnderAssessment),
        Err(vec![Problem::new(Field::FamilyStatus, by_step("not_approved", "under_assessment", &[]))])
    );
}

fn transition(from: &str, to: &str) -> Reason {
    Reason::StatusTransition { from: from.into(), to: to.into() }
}

fn by_step(from: &str, to: &str, next: &[&str]) -> Reason {
    Reason::StatusByStep { from: from.into(), to: to.into(), next: next.iter().map(|s| s.to_string()).collect() }
}

// ------------------------------------------------------------------ needs

/// A synthetic fiscal code matching `need_input()`'s boy born 15/05/2019 in Dalmine.
fn boys_fiscal_code() -> String {
    fiscal_code::synthesize("Esempio", "Bimbo", 2019, 5, 15, false, "D245")
}

#[test]
fn every_rule_of_a_need_names_its_field_and_reason() {
    let fx = fixture();
    let existing = fx.create_need(ANNA, need_input());
    let cf = boys_fiscal_code();
    let fiscal = |problem: &str| Reason::FiscalCode { problem: problem.into() };
    let age = |age_months: u32| Reason::AgeOutsideKind { age_months };
    let judicial = |court: &str, decree: &str| LegalBasis::Judicial { court: court.into(), decree: decree.into() };
    let cases: Vec<Case<NeedInput>> = vec![
        need_case(
            "a child has a given name",
            |n| n.identity.given_name = " ".into(),
            "identity.given_name",
            Reason::Required,
        ),
        need_case(
            "a given name fits 80 characters",
            |n| n.identity.given_name = long(81),
            "identity.given_name",
            too_long(80),
        ),
        need_case(
            "a child has a family name",
            |n| n.identity.family_name.clear(),
            "identity.family_name",
            Reason::Required,
        ),
        need_case(
            "a family name fits 80 characters",
            |n| n.identity.family_name = long(81),
            "identity.family_name",
            too_long(80),
        ),
        need_case(
            "the address fits 200 characters",
            |n| n.identity.address = long(201),
            "identity.address",
            too_long(200),
        ),
        need_case(
            "a child is born already",
            |n| n.identity.birth_date = date!(2026 - 11 - 24),
            "identity.birth_date",
            Reason::InTheFuture,
        ),
        need_case(
            "the bank deals with young people up to 21",
            |n| {
                n.identity.birth_date = date!(2004 - 11 - 22);
                n.placement.kind = PlacementKind::YoungAdult;
            },
            "identity.birth_date",
            Reason::AgeAboveLimit,
        ),
        {
            let cf = cf.clone();
            need_case(
                "a fiscal code agrees with the surname",
                move |n| {
                    n.identity.fiscal_code = Some(cf.clone());
                    n.identity.family_name = "Rossi".into();
                },
                "identity.fiscal_code",
                Reason::FiscalCodeMismatch { part: "surname".into(), expected: "ROSSI (RSS)".into() },
            )
        },
        {
            let cf = cf.clone();
            need_case(
                "a fiscal code agrees with the given name",
                move |n| {
                    n.identity.fiscal_code = Some(cf.clone());
                    n.identity.given_name = "Luca".into();
                },
                "identity.fiscal_code",
                Reason::FiscalCodeMismatch { part: "name".into(), expected: "LUCA (LCU)".into() },
            )
        },
        need_case(
            "a fiscal code's birthplace is a comune or a foreign state",
            |n| n.identity.fiscal_code = Some(fiscal_code::synthesize("Esempio", "Bimbo", 2019, 5, 15, false, "Z999")),
            "identity.fiscal_code",
            Reason::UnknownBirthplace { code: "Z999".into() },
        ),
        need_case(
            "a fiscal code's birthplace existed on the birth date",
            |n| n.identity.fiscal_code = Some(fiscal_code::synthesize("Esempio", "Bimbo", 2019, 5, 15, false, "Z118")),
            "identity.fiscal_code",
            Reason::BirthplaceCeased {
                code: "Z118".into(),
                place: "Jugoslavia".into(),
                ceased_on: date!(2003 - 02 - 04),
            },
        ),
        need_case(
            "a desired start is at most a year back",
            |n| n.placement.desired_start = Some(date!(2025 - 11 - 22)),
            "placement.desired_start",
            between(date!(2025 - 11 - 23), date!(2028 - 11 - 23)),
        ),
        need_case(
            "a desired start is at most two years ahead",
            |n| n.placement.desired_start = Some(date!(2028 - 11 - 24)),
            "placement.desired_start",
            between(date!(2025 - 11 - 23), date!(2028 - 11 - 23)),
        ),
        need_case(
            "a fiscal code has 16 characters",
            |n| n.identity.fiscal_code = Some("SMPBMB19E15".into()),
            "identity.fiscal_code",
            fiscal("Length"),
        ),
        need_case(
            "a fiscal code has letters and digits in their places",
            |n| n.identity.fiscal_code = Some("1234567890123456".into()),
            "identity.fiscal_code",
            fiscal("Pattern"),
        ),
        {
            let cf = cf.clone();
            need_case(
                "a fiscal code's last character checks the others",
                move |n| {
                    let mut bad = cf.clone();
                    let last = bad.pop().unwrap();
                    bad.push(if last == 'A' { 'B' } else { 'A' });
                    n.identity.fiscal_code = Some(bad);
                },
                "identity.fiscal_code",
                fiscal("CheckCharacter"),
            )
        },
        {
            let cf = cf.clone();
            need_case(
                "a fiscal code agrees with the birth date",
                move |n| {
                    n.identity.fiscal_code = Some(cf.clone());
                    n.identity.birth_date = date!(2019 - 05 - 16);
                },
                "identity.fiscal_code",
                Reason::FiscalCodeMismatch { part: "birth_date".into(), expected: "16/05/2019".into() },
            )
        },
        {
            let cf = cf.clone();
            need_case(
                "a fiscal code agrees with the sex",
                move |n| {
                    n.identity.fiscal_code = Some(cf.clone());
                    n.placement.sex = Sex::Female;
                },
                "identity.fiscal_code",
                Reason::FiscalCodeMismatch { part: "sex".into(), expected: "F".into() },
            )
        },
        need_case(
            "a young-adult placement is for 17 and over",
            |n| n.placement.kind = PlacementKind::YoungAdult,
            "placement.kind",
            age(7 * 12 + 6),
        ),
        need_case(
            "an adult of 19 needs a young-adult placement",
            |n| n.identity.birth_date = date!(2007 - 05 - 15),
            "placement.kind",
            age(19 * 12 + 6),
        ),
        need_case(
            "an infant is under two",
            |n| {
                n.placement.special_needs.insert(SpecialNeed::Infant);
            },
            "placement.special_needs",
            Reason::InfantTooOld,
        ),
        need_case(
            "a judicial placement names the court",
            move |n| n.placement.legal = judicial(" ", "V.G. 1/2026"),
            "placement.legal.court",
            Reason::Required,
        ),
        need_case(
            "a judicial placement names the decree",
            move |n| n.placement.legal = judicial("Tribunale per i minorenni di Brescia", ""),
            "placement.legal.decree",
            Reason::Required,
        ),
        need_case(
            "a duration is at least a month",
            |n| n.placement.duration_months = Some(0),
            "placement.duration_months",
            range(1, 240),
        ),
        need_case(
            "a duration is at most 20 years",
            |n| n.placement.duration_months = Some(241),
            "placement.duration_months",
            range(1, 240),
        ),
        need_case(
            "a sibling is named once",
            move |n| n.placement.siblings = vec![existing, existing],
            "placement.siblings",
            Reason::Duplicate { value: "R-2026-0001".into() },
        ),
        need_case(
            "a language is not blank",
            |n| n.placement.languages = vec!["".into()],
            "placement.languages[0]",
            Reason::Required,
        ),
        need_case(
            "a child's language is one the vocabulary knows",
            |n| n.placement.languages = vec!["rumenno".into()],
            "placement.languages[0]",
            Reason::UnknownLanguage { given: "rumenno".into(), suggestions: vec!["rumeno".into()] },
        ),
        need_case(
            "a nationality is not a language: the languages spoken there are suggested",
            |n| n.placement.languages = vec!["marocchino".into()],
            "placement.languages[0]",
            Reason::UnknownLanguage {
                given: "marocchino".into(),
                suggestions: vec!["arabo".into(), "berbero".into(), "tashelhit".into(), "tarifit".into()],
            },
        ),
        need_case(
            "a language fits 40 characters",
            |n| n.placement.languages = vec![long(41)],
            "placement.languages[0]",
            too_long(40),
        ),
        need_case(
            "cultural notes fit 1000 characters",
            |n| n.placement.cultural_notes = long(1001),
            "placement.cultural_notes",
            too_long(1000),
        ),
        need_case(
            "the child's comune exists",
            |n| n.placement.comune = comune(NOWHERE),
            "placement.comune",
            unknown_comune(NOWHERE),
        ),
        need_case(
            "the family of origin's comune exists",
            |n| n.placement.origin_comune = Some(comune(NOWHERE)),
            "placement.origin_comune",
            unknown_comune(NOWHERE),
        ),
        need_case(
            "the school's comune exists",
            |n| n.placement.school_comune = Some(comune(NOWHERE)),
            "placement.school_comune",
            unknown_comune(NOWHERE),
        ),
        need_case(
            "a closed need says why",
            |n| n.placement.status = NeedStatus::Closed,
            "placement.closing_reason",
            when("status=closed"),
        ),
        need_case(
            "an open need has no closing reason",
            |n| n.placement.closing_reason = Some(ClosingReason::Cancelled),
            "placement.closing_reason",
            Reason::NotExpected { condition: "status!=closed".into() },
        ),
        need_case(
            "an art. 403 order is not dated in the future",
            |n| n.placement.legal = LegalBasis::Art403 { ordered_on: date!(2026 - 11 - 24) },
            "placement.legal.ordered_on",
            Reason::InTheFuture,
        ),
        need_case(
            "an art. 403 order is at most two years old",
            |n| n.placement.legal = LegalBasis::Art403 { ordered_on: date!(2024 - 11 - 22) },
            "placement.legal.ordered_on",
            Reason::DateOutOfRange { earliest: DateLimit::On(date!(2024 - 11 - 23)), latest: DateLimit::Today },
        ),
        need_case("notes fit 4000 characters", |n| n.placement.notes = long(4001), "placement.notes", too_long(4000)),
        need_case(
            "the referent works in the need's service",
            |n| n.referent = Some(BRUNO.into()),
            "referent",
            Reason::ReferentNotInService { user: BRUNO.into(), service: "S-001".into() },
        ),
        need_case(
            "a sibling exists",
            |n| n.placement.siblings = vec![NeedCode::new(2026, 77)],
            "placement.siblings",
            Reason::UnknownCode { code: "R-2026-0077".into() },
        ),
    ];
    check_cases(&fx, ANNA, need_input, |input| Request::NeedCreate { input }, cases);
}

#[test]
fn a_valid_need_passes_with_a_matching_fiscal_code_and_the_kinds_for_its_age() {
    let fx = fixture();
    let mut n = need_input();
    n.identity.fiscal_code = Some(boys_fiscal_code().to_lowercase());
    n.placement.legal =
        LegalBasis::Judicial { court: "Tribunale per i minorenni di Brescia".into(), decree: "V.G. 1/2026".into() };
    n.placement.urgency = Urgency::Emergency { needed_by: date!(2026 - 11 - 30) };
    let code = fx.create_need(ANNA, n);
    assert_eq!(fx.need(ANNA, code).identity.unwrap().fiscal_code, Some(boys_fiscal_code()), "stored upper-case");

    let mut young_adult = need_input();
    young_adult.identity.birth_date = date!(2008 - 01 - 01);
    young_adult.placement.kind = PlacementKind::YoungAdult;
    fx.create_need(ANNA, young_adult);
    let mut nearly = need_input();
    nearly.identity.birth_date = date!(2009 - 06 - 01);
    nearly.placement.kind = PlacementKind::YoungAdult;
    fx.create_need(ANNA, nearly);
    let mut mother = need_input();
    mother.identity.birth_date = date!(2007 - 01 - 01);
    mother.placement.kind = PlacementKind::ParentAndChild;
    fx.create_need(ANNA, mother);
    let mut infant = need_input();
    infant.identity.birth_date = date!(2025 - 12 - 01);
    infant.placement.special_needs.insert(SpecialNeed::Infant);
    fx.create_need(ANNA, infant);
}

#[test]
fn an_age_that_does_not_fit_the_kind_is_worded_in_the_readers_language() {
    let fx = fixture();
    let mut adult = need_input();
    adult.identity.birth_date = date!(2007 - 05 - 15);
    let problems = fx.invalid(ANNA, Request::NeedCreate { input: adult });
    assert_eq!(problems, vec![Problem::new(Field::PlacementKind, Reason::AgeOutsideKind { age_months: 234 })]);
    assert_eq!(
        banca::i18n::describe_problem(&problems[0], Lang::En),
        "kind of placement: does not fit a child aged 19 years: \"young adult\" from 17, \
         after 18 only \"young adult\" or \"parent and child\""
    );
    assert_eq!(
        banca::i18n::describe_problem(&problems[0], Lang::It),
        "tipo di affido: non adatto a un minore di 19 anni: «neomaggiorenni» dai 17 anni, \
         dopo i 18 solo «neomaggiorenni» o «genitore-bambino»"
    );

    let mut toddler = need_input();
    toddler.identity.birth_date = date!(2025 - 05 - 15);
    toddler.placement.kind = PlacementKind::YoungAdult;
    let problems = fx.invalid(ANNA, Request::NeedCreate { input: toddler });
    assert_eq!(problems, vec![Problem::new(Field::PlacementKind, Reason::AgeOutsideKind { age_months: 18 })]);
    assert!(
        banca::i18n::describe_reason(&problems[0].reason, Lang::En).starts_with("does not fit a child aged 18 months:")
    );
    assert!(
        banca::i18n::describe_reason(&problems[0].reason, Lang::It).starts_with("non adatto a un minore di 18 mesi:")
    );
}

#[test]
fn a_sibling_belongs_to_the_same_service_and_is_still_open() {
    let fx = fixture();
    let theirs = fx.create_need(BRUNO, need_in(S2, BRUNO));
    let mut closed = need_input();
    closed.placement.status = NeedStatus::Closed;
    closed.placement.closing_reason = Some(ClosingReason::ReturnHome);
    let closed = fx.create_need(ANNA, closed);

    let mut n = need_input();
    n.placement.siblings = vec![theirs, closed];
    assert_eq!(
        fx.invalid(ANNA, Request::NeedCreate { input: n }),
        vec![
            Problem::new(Field::Siblings, Reason::SiblingOtherService { code: theirs.to_string() }),
            Problem::new(Field::Siblings, Reason::SiblingClosed { code: closed.to_string() }),
        ]
    );
}

#[test]
fn a_need_cannot_be_its_own_sibling() {
    let fx = fixture();
    let code = fx.create_need(ANNA, need_input());
    let (rev, mut input) = fx.need_as_input(code);
    input.placement.siblings = vec![code];
    assert_eq!(
        fx.invalid(ANNA, Request::NeedUpdate { code, base_revision: rev, input }),
        vec![Problem::new(Field::Siblings, Reason::SiblingIsSelf)]
    );
}

fn set_need_status(fx: &Fixture, code: NeedCode, status: NeedStatus) -> Result<(), Vec<Problem>> {
    let (rev, mut input) = fx.need_as_input(code);
    input.placement.status = status;
    input.placement.closing_reason = (status == NeedStatus::Closed).then_some(ClosingReason::PlacementStarted);
    match fx.handle(ANNA, Request::NeedUpdate { code, base_revision: rev, input }) {
        Ok(_) => Ok(()),
        Err(BankError::Invalid(p)) => Err(p),
        Err(e) => panic!("{e:?}"),
    }
}

#[test]
fn a_need_is_matched_only_through_matching_and_never_reopened_once_closed() {
    use NeedStatus::*;
    let fx = fixture();
    let code = fx.create_need(ANNA, need_input());
    assert_eq!(
        set_need_status(&fx, code, Matched),
        Err(vec![Problem::new(Field::NeedStatus, transition("open", "matched"))])
    );
    for step in [Matching, Open, Matching, Matched, Matching, Matched, Closed] {
        set_need_status(&fx, code, step).unwrap_or_else(|p| panic!("{step:?}: {p:?}"));
    }
    assert_eq!(
        set_need_status(&fx, code, Open),
        Err(vec![Problem::new(Field::NeedStatus, transition("closed", "open"))])
    );
}

// ------------------------------------------------------------------ sibling groups

fn siblings_of(fx: &Fixture, code: NeedCode) -> Vec<NeedCode> {
    fx.need(ANNA, code).placement.siblings
}

fn set_siblings(fx: &Fixture, code: NeedCode, siblings: Vec<NeedCode>) -> Vec<String> {
    let (rev, mut input) = fx.need_as_input(code);
    input.placement.siblings = siblings;
    fx.saved(ANNA, Request::NeedUpdate { code, base_revision: rev, input }).also_changed
}

#[test]
fn naming_a_sibling_on_update_puts_both_and_their_siblings_in_one_group() {
    let fx = fixture();
    let r1 = fx.create_need(ANNA, need_input());
    let r2 = fx.create_need(ANNA, need_input());
    let r3 = fx.create_need(ANNA, need_input());
    assert_eq!(set_siblings(&fx, r2, vec![r1]), vec![r1.to_string()]);
    assert_eq!(siblings_of(&fx, r1), vec![r2]);
    assert_eq!(siblings_of(&fx, r2), vec![r1]);

    let mut also = set_siblings(&fx, r3, vec![r2]);
    also.sort();
    assert_eq!(also, vec![r1.to_string(), r2.to_string()]);
    assert_eq!(siblings_of(&fx, r1), vec![r2, r3]);
    assert_eq!(siblings_of(&fx, r2), vec![r1, r3]);
    assert_eq!(siblings_of(&fx, r3), vec![r1, r2]);

    set_siblings(&fx, r3, vec![]);
    assert_eq!(siblings_of(&fx, r1), vec![r2]);
    assert_eq!(siblings_of(&fx, r2), vec![r1]);
    assert_eq!(siblings_of(&fx, r3), vec![]);
}

#[test]
fn creating_a_need_with_a_sibling_joins_the_siblings_whole_group() {
    in_own_process("creating_a_need_with_a_sibling_joins_the_siblings_whole_group", || {
        let fx = fixture();
        let r1 = fx.create_need(ANNA, need_input());
        let r2 = fx.create_need(ANNA, need_input());
        set_siblings(&fx, r2, vec![r1]);

        let mut third = need_input();
        third.identity.given_name = "Terzo".into();
        third.placement.siblings = vec![r1];
        let saved = fx.saved(ANNA, Request::NeedCreate { input: third });
        let r3 = NeedCode::parse(&saved.code).unwrap();
        let mut also = saved.also_changed.clone();
        also.sort();
        assert_eq!(also, vec![r1.to_string(), r2.to_string()]);

        assert_eq!(siblings_of(&fx, r1), vec![r2, r3]);
        assert_eq!(siblings_of(&fx, r2), vec![r1, r3]);
        assert_eq!(siblings_of(&fx, r3), vec![r1, r2]);
    });
}

#[test]
fn removing_a_needs_siblings_removes_it_from_theirs() {
    in_own_process("removing_a_needs_siblings_removes_it_from_theirs", || {
        let fx = fixture();
        let r1 = fx.create_need(ANNA, need_input());
        let r2 = fx.create_need(ANNA, need_input());
        set_siblings(&fx, r2, vec![r1]);
        let mut third = need_input();
        third.placement.siblings = vec![r1];
        let r3 = fx.create_need(ANNA, third);

        let mut also = set_siblings(&fx, r3, vec![]);
        also.sort();
        assert_eq!(also, vec![r1.to_string(), r2.to_string()]);
        assert_eq!(siblings_of(&fx, r1), vec![r2]);
        assert_eq!(siblings_of(&fx, r2), vec![r1]);
        assert_eq!(siblings_of(&fx, r3), vec![]);
    });
}

// ------------------------------------------------------------------ ambiti

fn sesto() -> ComuneCode {
    comune("015209")
}

fn cinisello() -> ComuneCode {
    comune("015077")
}

fn new_ambit() -> AmbitInput {
    AmbitInput {
        name: "Nord Milano".into(),
        comuni: vec![sesto(), cinisello()],
        districts: vec![District { name: "Sesto".into(), comuni: vec![sesto()] }],
    }
}

#[test]
fn every_rule_of_an_ambit_names_its_field_and_reason() {
    let fx = fixture();
    let cases: Vec<Case<AmbitInput>> = vec![
        ambit_case("an ambit has a name", |a| a.name = " ".into(), "name", Reason::Required),
        ambit_case("a name fits 120 characters", |a| a.name = long(121), "name", too_long(120)),
        ambit_case(
            "an ambit has comuni",
            |a| {
                a.comuni.clear();
                a.districts.clear();
            },
            "comuni",
            Reason::Required,
        ),
        ambit_case("its comuni exist", |a| a.comuni.push(comune(NOWHERE)), "comuni", unknown_comune(NOWHERE)),
        ambit_case(
            "a comune is listed once",
            |a| a.comuni.push(sesto()),
            "comuni",
            Reason::Duplicate { value: "015209".into() },
        ),
        ambit_case(
            "a comune belongs to one ambit only",
            |a| a.comuni.push(dalmine()),
            "comuni",
            Reason::ComuneInOtherAmbit { comune: "016091".into(), ambit: DALMINE_AMBIT.into() },
        ),
        ambit_case("a presidio has a name", |a| a.districts[0].name.clear(), "districts[0].name", Reason::Required),
        ambit_case(
            "a presidio's comuni are the ambit's",
            |a| a.districts[0].comuni.push(comune("016198")),
            "districts[0].comuni",
            Reason::ComuneNotInAmbit { comune: "016198".into() },
        ),
        ambit_case(
            "a comune is in one presidio only",
            |a| a.districts.push(District { name: "Altro".into(), comuni: vec![sesto()] }),
            "districts[1].comuni",
            Reason::ComuneInTwoDistricts { comune: "015209".into() },
        ),
    ];
    check_cases(&fx, ADMIN, new_ambit, |input| Request::AmbitSave { input, base_revision: None }, cases);
    fx.saved(ADMIN, Request::AmbitSave { input: new_ambit(), base_revision: None });
}

#[test]
fn an_ambit_is_created_once_and_then_updated_from_its_revision() {
    let fx = fixture();
    let mut same = new_ambit();
    fx.saved(ADMIN, Request::AmbitSave { input: same.clone(), base_revision: None });
    same.name = "NORD milano".into();
    assert_eq!(
        fx.invalid(ADMIN, Request::AmbitSave { input: same.clone(), base_revision: None }),
        vec![Problem::new(Field::Name, Reason::Duplicate { value: "NORD milano".into() })]
    );
    same.districts.clear();
    assert!(matches!(
        fx.err(ADMIN, Request::AmbitSave { input: same.clone(), base_revision: Some(7) }),
        BankError::Conflict { current: 1, .. }
    ));
    assert_eq!(fx.saved(ADMIN, Request::AmbitSave { input: same, base_revision: Some(1) }).revision, 2);
    let mut missing = new_ambit();
    missing.name = "Ambito Inesistente".into();
    assert!(matches!(
        fx.err(ADMIN, Request::AmbitSave { input: missing, base_revision: Some(1) }),
        BankError::NotFound { .. }
    ));
}

// ------------------------------------------------------------------ services

#[test]
fn every_rule_of_a_service_names_its_field_and_reason() {
    let fx = fixture();
    let base = || service_input("Associazione Famiglie per l'Accoglienza", DALMINE_AMBIT);
    let cases: Vec<Case<ServiceInput>> = vec![
        service_case("a service has a name", |s| s.name.clear(), "name", Reason::Required),
        service_case("a name fits 120 characters", |s| s.name = long(121), "name", too_long(120)),
        service_case("the address fits 200 characters", |s| s.address = long(201), "address", too_long(200)),
        service_case("the phone is a phone number", |s| s.phone = "chiamare".into(), "phone", Reason::InvalidPhone),
        service_case("the e-mail is an address", |s| s.email = "affidi".into(), "email", Reason::InvalidEmail),
        service_case("notes fit 4000 characters", |s| s.notes = long(4001), "notes", too_long(4000)),
        service_case(
            "the on-call phone is a phone number",
            |s| s.on_call = Some(on_call("Marta Reperibile", "035 RIPETI", "")),
            "on_call.phone",
            Reason::InvalidPhone,
        ),
        service_case(
            "an on-call contact has a phone",
            |s| s.on_call = Some(on_call("Marta Reperibile", " ", "sempre")),
            "on_call.phone",
            Reason::Required,
        ),
        service_case(
            "an on-call contact names whom to ask for",
            |s| s.on_call = Some(on_call("", "035 0123456", "")),
            "on_call.name",
            Reason::Required,
        ),
        service_case(
            "on-call hours fit 120 characters",
            |s| s.on_call = Some(on_call("Marta Reperibile", "035 0123456", &long(121))),
            "on_call.hours",
            too_long(120),
        ),
        service_case(
            "two services do not share a name, whatever the case and accents",
            |s| s.name = "servizio affidi àmbito di DALMINE".into(),
            "name",
            Reason::Duplicate { value: "servizio affidi àmbito di DALMINE".into() },
        ),
        service_case(
            "a service covers ambiti that exist",
            |s| s.ambits = vec![DALMINE_AMBIT.into(), "Atlantide".into()],
            "ambits",
            Reason::UnknownAmbit { name: "Atlantide".into() },
        ),
    ];
    check_cases(&fx, ADMIN, base, |input| Request::ServiceCreate { input }, cases);
    // A service keeps its own name on update; ambiti are found in any case.
    let mut s1 = service_input(S1_NAME, "dalmine");
    s1.phone = "035 000 0002".into();
    fx.saved(ADMIN, Request::ServiceUpdate { code: S1, base_revision: 1, input: s1 });
    assert_eq!(fx.saved(ADMIN, Request::ServiceCreate { input: base() }).code, "S-003");
}

fn on_call(name: &str, phone: &str, hours: &str) -> OnCall {
    OnCall { name: name.into(), phone: phone.into(), hours: hours.into() }
}

#[test]
fn the_new_facts_pass_when_well_formed() {
    let fx = fixture();
    // A period of one day, open at either end, or none.
    for (from, until) in [
        (Some(date!(2026 - 12 - 01)), Some(date!(2026 - 12 - 01))),
        (Some(date!(2025 - 01 - 01)), None),
        (None, Some(date!(2027 - 06 - 30))),
    ] {
        let mut f = family_input();
        (f.profile.available_from, f.profile.available_until) = (from, until);
        fx.create_family(ANNA, f);
    }
    // An art. 403 order of today, a need naming its slots.
    let mut n = need_input();
    n.placement.legal = LegalBasis::Art403 { ordered_on: date!(2026 - 11 - 23) };
    n.placement.time_slots = [TimeSlot::Weekends, TimeSlot::Holidays].into();
    let code = fx.create_need(ANNA, n);
    assert_eq!(fx.need(ANNA, code).placement.legal, LegalBasis::Art403 { ordered_on: date!(2026 - 11 - 23) });
    // An on-call contact without hours.
    let mut s = service_input("Servizio Reperibile", DALMINE_AMBIT);
    s.on_call = Some(on_call("Marta Reperibile", "+39 035 0123456", ""));
    fx.saved(ADMIN, Request::ServiceCreate { input: s });
}

// ------------------------------------------------------------------ operators

#[test]
fn every_rule_of_an_operator_names_its_field_and_reason() {
    let fx = fixture();
    let base = || ("zeno".to_string(), operator_input("Zeno Operatore", Role::Operator, Some(S1)));
    let cases: Vec<Case<(String, OperatorInput)>> = vec![
        operator_case("a user name is lower case", |(u, _)| *u = "Zeno".into(), "user", Reason::InvalidUserName),
        operator_case(
            "a user name starts with a letter",
            |(u, _)| *u = "1zeno".into(),
            "user",
            Reason::InvalidUserName,
        ),
        operator_case("a user name has no spaces", |(u, _)| *u = "zeno rossi".into(), "user", Reason::InvalidUserName),
        operator_case("a user name fits 32 characters", |(u, _)| *u = "z".repeat(33), "user", Reason::InvalidUserName),
        operator_case("a user name is not empty", |(u, _)| u.clear(), "user", Reason::InvalidUserName),
        operator_case(
            "a user is not already an operator",
            |(u, _)| *u = ANNA.into(),
            "user",
            Reason::Duplicate { value: ANNA.into() },
        ),
        operator_case(
            "an operator has a name to show",
            |(_, o)| o.display_name = "  ".into(),
            "display_name",
            Reason::Required,
        ),
        operator_case("a name fits 120 characters", |(_, o)| o.display_name = long(121), "display_name", too_long(120)),
        operator_case("an operator works for a service", |(_, o)| o.service = None, "service", when("role=operator")),
        operator_case(
            "an administrator belongs to no service",
            |(_, o)| o.role = Role::Admin,
            "service",
            Reason::NotExpected { condition: "role=admin".into() },
        ),
        operator_case(
            "the coordination belongs to no service",
            |(_, o)| o.role = Role::Coordinator,
            "service",
            Reason::NotExpected { condition: "role=coordinator".into() },
        ),
        operator_case(
            "the service exists",
            |(_, o)| o.service = Some(ServiceCode(99)),
            "service",
            Reason::UnknownService { code: "S-099".into() },
        ),
    ];
    check_cases(&fx, ADMIN, base, |(user, input)| Request::OperatorCreate { user, input }, cases);
    for user in ["zeno", "_svc", "z.rossi-2"] {
        fx.saved(ADMIN, Request::OperatorCreate { user: user.into(), input: base().1 });
    }
}

#[test]
fn the_last_administrator_can_be_neither_demoted_nor_deactivated() {
    let fx = fixture();
    let demoted = operator_input(ADMIN, Role::Coordinator, None);
    assert_eq!(
        fx.invalid(ADMIN, Request::OperatorUpdate { user: ADMIN.into(), base_revision: 1, input: demoted.clone() }),
        vec![Problem::new(Field::Role, Reason::LastAdmin)]
    );
    let mut off = operator_input(ADMIN, Role::Admin, None);
    off.active = false;
    assert_eq!(
        fx.invalid(ADMIN, Request::OperatorUpdate { user: ADMIN.into(), base_revision: 1, input: off }),
        vec![Problem::new(Field::Role, Reason::LastAdmin)]
    );
    // With a second administrator, the first may step down.
    fx.saved(ADMIN, Request::OperatorCreate { user: "gina".into(), input: operator_input("Gina", Role::Admin, None) });
    fx.saved(ADMIN, Request::OperatorUpdate { user: ADMIN.into(), base_revision: 1, input: demoted });
    match fx.ok(ADMIN, Request::Whoami) {
        Reply::Whoami(p) => assert_eq!(p.role, Role::Coordinator),
        other => panic!("{other:?}"),
    }
    // And now gina is the last one.
    assert_eq!(
        fx.invalid(
            "gina",
            Request::OperatorUpdate {
                user: "gina".into(),
                base_revision: 1,
                input: operator_input("Gina", Role::Reader, None)
            }
        ),
        vec![Problem::new(Field::Role, Reason::LastAdmin)]
    );
}

#[test]
fn a_bank_is_initialised_only_by_a_valid_user_name() {
    let (_dir, bank) = empty_bank();
    let bank = std::sync::Arc::new(bank);
    assert_eq!(
        ask_server_user(&bank, "Root User", Request::Init { admin: None }).unwrap_err(),
        BankError::Invalid(vec![Problem::new(Field::User, Reason::InvalidUserName)])
    );
    assert_eq!(ask(&bank, "root", Request::Whoami).unwrap_err(), BankError::NotInitialized);
}

// ------------------------------------------------------------------ bounds (issue 12)

#[test]
fn the_bricking_family_is_refused_naming_the_field_and_the_limit_and_nothing_is_saved() {
    let fx = fixture();
    let mut f = family_input();
    f.identity.adults = vec![Adult { name: "Anna Rossi".into(), birth_year: 1980 }; 8200];
    f.identity.email = format!("{}@example.org", "a".repeat(130_000));
    match fx.handle(ANNA, Request::FamilyCreate { input: f }) {
        Err(BankError::Invalid(problems)) => assert_eq!(
            problems,
            vec![
                Problem::new(Field::Adults, Reason::TooMany { max: 10 }),
                Problem::new(Field::IdentityEmail, Reason::TooLong { max: 254 }),
            ]
        ),
        other => panic!("expected a refusal, got {other:?}"),
    }
    match fx.handle(ANNA, Request::FamilyList { filter: Default::default() }) {
        Ok(Reply::Families(list)) => assert!(list.is_empty(), "nothing saved: {list:?}"),
        other => panic!("expected the list, got {other:?}"),
    }
}

#[test]
fn limits_hold_at_their_maximum_and_refuse_one_more() {
    let fx = fixture();
    let mut at_max = family_input();
    at_max.profile.household.adults = 10;
    at_max.identity.adults = vec![Adult { name: long(120), birth_year: 1980 }; 10];
    at_max.identity.email = format!("{}@example.org", "a".repeat(254 - "@example.org".len()));
    at_max.identity.address = long(200);
    at_max.profile.household.children_birth_years = vec![2010; 20];
    at_max.profile.languages = languages_at_max();
    at_max.profile.notes = long(4000);
    fx.create_family(ANNA, at_max.clone());

    let refused = |tweak: &dyn Fn(&mut FamilyInput), field: &str, reason: Reason| {
        let mut f = at_max.clone();
        tweak(&mut f);
        match fx.handle(ANNA, Request::FamilyCreate { input: f }) {
            Err(BankError::Invalid(problems)) => assert_eq!(problems, vec![Problem::new(wire(field), reason)]),
            other => panic!("{field}: expected a refusal, got {other:?}"),
        }
    };
    refused(&|f| f.identity.email.insert(0, 'a'), "identity.email", too_long(254));
    refused(&|f| f.identity.address.push('x'), "identity.address", too_long(200));
    refused(&|f| f.profile.notes.push('x'), "profile.notes", too_long(4000));
    refused(
        &|f| f.profile.household.children_birth_years.push(2010),
        "profile.household.children_birth_years",
        Reason::TooMany { max: 20 },
    );
    refused(&|f| f.profile.languages.push("arabo".into()), "profile.languages", Reason::TooMany { max: 20 });
    refused(&|f| f.identity.adults.push(f.identity.adults[0].clone()), "identity.adults", Reason::TooMany { max: 10 });
}

#[test]
fn a_second_adult_may_leave_the_birth_year_empty() {
    let fx = fixture();
    let mut f = family_input();
    assert_eq!((f.profile.household.adults, f.identity.adults.len()), (2, 2));
    f.identity.adults[1].birth_year = Adult::UNKNOWN_YEAR;
    fx.create_family(ANNA, f);
}

#[test]
fn dates_at_the_edges_of_their_windows_are_accepted() {
    let fx = fixture();
    let mut f = family_input();
    f.profile.status = FamilyStatus::Approved;
    f.profile.training_completed_on = Some(date!(1990 - 01 - 01));
    f.profile.approved_on = Some(date!(1990 - 01 - 01));
    f.profile.review_on = Some(date!(2031 - 11 - 23));
    f.profile.confirmed_on = Some(date!(2026 - 11 - 23));
    fx.create_family(ANNA, f);
    let mut n = need_input();
    n.placement.desired_start = Some(date!(2025 - 11 - 23));
    fx.create_need(ANNA, n);
    let mut n = need_input();
    n.placement.desired_start = Some(date!(2028 - 11 - 23));
    fx.create_need(ANNA, n);
}

#[test]
fn a_date_saved_earlier_is_not_aged_out_when_the_family_is_changed_later() {
    let clock = StepClock::new(NOW);
    let fx = fixture_with_clock(clock.clone());
    let mut f = family_input();
    f.profile.status = FamilyStatus::Approved;
    f.profile.approved_on = Some(date!(2025 - 01 - 10));
    f.profile.review_on = Some(date!(2027 - 01 - 10));
    let code = fx.create_family(ANNA, f.clone());
    // Two years on (22/11/2028), the review is long overdue: changing the phone still saves.
    clock.advance(time::Duration::days(730));
    f.identity.phone = "035 123456".into();
    assert!(fx.handle(ANNA, Request::FamilyUpdate { code, base_revision: 1, input: f.clone() }).is_ok());
    // Setting it anew to a date as old is refused.
    f.profile.review_on = Some(date!(2027 - 01 - 11));
    match fx.handle(ANNA, Request::FamilyUpdate { code, base_revision: 2, input: f }) {
        Err(BankError::Invalid(problems)) => {
            assert_eq!(
                problems,
                vec![Problem::new(Field::ReviewOn, between(date!(2027 - 11 - 22), date!(2033 - 11 - 22)))]
            )
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn real_shapes_of_fiscal_codes_are_accepted() {
    let fx = fixture();
    // Born abroad: Albania (Z100), Marocco (Z330).
    for place in ["Z100", "Z330"] {
        let mut n = need_input();
        n.identity.fiscal_code = Some(fiscal_code::synthesize("Esempio", "Bimbo", 2019, 5, 15, false, place));
        fx.create_need(ANNA, n);
    }
    // Omocodia: the last digit of the birthplace replaced by its letter (5 → R).
    let code = boys_fiscal_code();
    let mut omocodic = code[..14].to_string();
    omocodic.push('R');
    assert_eq!(&code[14..15], "5", "the synthetic code ends its birthplace with 5");
    let with_check = ('A'..='Z')
        .map(|c| format!("{omocodic}{c}"))
        .find(|c| fiscal_code::validate(c).is_ok())
        .expect("one check character fits");
    let mut n = need_input();
    n.identity.fiscal_code = Some(with_check);
    fx.create_need(ANNA, n);
}

/// What the bank answers `request`: saved, or the problems it names.
fn answer(fx: &Fixture, user: &str, request: Request) -> Result<(), Vec<Problem>> {
    match fx.handle(user, request) {
        Ok(_) => Ok(()),
        Err(BankError::Invalid(problems)) => Err(problems),
        Err(other) => panic!("expected saved or invalid, got {other:?}"),
    }
}

#[test]
fn a_needs_limits_hold_at_their_maximum_and_refuse_one_more() {
    let fx = fixture();
    let mut at_max = need_input();
    at_max.identity.given_name = long(80);
    at_max.identity.family_name = long(80);
    at_max.identity.address = long(200);
    at_max.placement.languages = languages_at_max();
    at_max.placement.cultural_notes = long(1000);
    at_max.placement.notes = long(4000);
    at_max.placement.legal = LegalBasis::Judicial { court: long(120), decree: long(60) };
    let create = |n: NeedInput| answer(&fx, ANNA, Request::NeedCreate { input: n });
    assert_eq!(create(at_max.clone()), Ok(()));
    let one_more = |tweak: fn(&mut NeedInput)| {
        let mut n = at_max.clone();
        tweak(&mut n);
        create(n)
    };
    let refused = |field: &str, reason| Err(vec![Problem::new(wire(field), reason)]);
    assert_eq!(one_more(|n| n.identity.given_name.push('x')), refused("identity.given_name", too_long(80)));
    assert_eq!(one_more(|n| n.identity.family_name.push('x')), refused("identity.family_name", too_long(80)));
    assert_eq!(one_more(|n| n.identity.address.push('x')), refused("identity.address", too_long(200)));
    assert_eq!(
        one_more(|n| n.placement.languages.push("arabo".into())),
        refused("placement.languages", Reason::TooMany { max: 20 })
    );
    assert_eq!(one_more(|n| n.placement.languages[0].push('x')), refused("placement.languages[0]", too_long(40)));
    assert_eq!(one_more(|n| n.placement.cultural_notes.push('x')), refused("placement.cultural_notes", too_long(1000)));
    assert_eq!(one_more(|n| n.placement.notes.push('x')), refused("placement.notes", too_long(4000)));
    assert_eq!(
        one_more(|n| n.placement.legal = LegalBasis::Judicial { court: long(121), decree: long(60) }),
        refused("placement.legal.court", too_long(120))
    );
    assert_eq!(
        one_more(|n| n.placement.legal = LegalBasis::Judicial { court: long(120), decree: long(61) }),
        refused("placement.legal.decree", too_long(60))
    );
}

#[test]
fn directory_limits_hold_at_their_maximum_and_refuse_one_more() {
    let fx = fixture();
    // A service: name, ambiti, notes.
    let mut service = service_input(&long(120), DALMINE_AMBIT);
    service.ambits = vec![DALMINE_AMBIT.to_string(); 50];
    service.notes = long(4000);
    assert_eq!(answer(&fx, ADMIN, Request::ServiceCreate { input: service.clone() }), Ok(()));
    let mut more = service.clone();
    more.name = format!("{}y", long(119));
    more.ambits.push(DALMINE_AMBIT.into());
    assert_eq!(
        answer(&fx, ADMIN, Request::ServiceCreate { input: more }),
        Err(vec![Problem::new(Field::Ambits, Reason::TooMany { max: 50 })])
    );
    // An operator's display name.
    let op = |name: String| Request::OperatorCreate {
        user: "bb_nome".into(),
        input: operator_input(&name, Role::Reader, Some(S1)),
    };
    assert_eq!(answer(&fx, ADMIN, op(long(121))), Err(vec![Problem::new(Field::DisplayName, too_long(120))]));
    assert_eq!(answer(&fx, ADMIN, op(long(120))), Ok(()));
    // An ambit's comuni: a thousand of them, outside the fixture's province.
    let far: Vec<ComuneCode> =
        Comuni::embedded().iter().filter(|c| c.province != "BG" && c.province != "MI").map(|c| c.code).collect();
    let ambit = |n: usize| AmbitInput { name: long(120), comuni: far[..n].to_vec(), districts: vec![] };
    assert_eq!(
        answer(&fx, ADMIN, Request::AmbitSave { input: ambit(1001), base_revision: None }),
        Err(vec![Problem::new(Field::Comuni, Reason::TooMany { max: 1000 })])
    );
    assert_eq!(answer(&fx, ADMIN, Request::AmbitSave { input: ambit(1000), base_revision: None }), Ok(()));
}

/// The needs of anna's service that `emergency` keeps, as its list gives them, and how many the core counts.
fn emergency_list(fx: &Fixture, emergency: bool) -> (Vec<NeedCode>, u64) {
    let filter = banca::api::NeedFilter { emergency: Some(emergency), service: Some(S1), ..Default::default() };
    let listed = match fx.ok(ANNA, Request::NeedList { filter: filter.clone() }) {
        Reply::Needs(page) => page.items.into_iter().map(|n| n.code).collect(),
        other => panic!("expected Needs, got {other:?}"),
    };
    let counted = match fx.ok(ANNA, Request::Count { of: banca::api::Counted::Needs(filter) }) {
        Reply::Count(n) => n,
        other => panic!("expected Count, got {other:?}"),
    };
    (listed, counted)
}

#[test]
fn a_pronto_intervento_is_one_thing_whether_entered_as_the_kind_or_as_the_urgency() {
    let fx = fixture();
    // R-1 ordinary; R-2 the kind only; R-3 the urgency only (by 30/11/2026); R-4 both.
    fx.create_need(ANNA, need_input());
    let mut kind = need_input();
    kind.placement.kind = PlacementKind::Emergency;
    fx.create_need(ANNA, kind.clone());
    let mut urgency = need_input();
    urgency.placement.urgency = Urgency::Emergency { needed_by: date!(2026 - 11 - 30) };
    fx.create_need(ANNA, urgency);
    kind.placement.urgency = Urgency::Emergency { needed_by: date!(2026 - 12 - 02) };
    fx.create_need(ANNA, kind);
    let code = |n| NeedCode::new(2026, n);
    assert_eq!(emergency_list(&fx, true), (vec![code(2), code(3), code(4)], 3));
    assert_eq!(emergency_list(&fx, false), (vec![code(1)], 1));
    // The list's cell says so for each, in the reader's language.
    let cells: Vec<String> =
        (1..=4).map(|n| banca::present::lists::urgency_cell(&fx.need(ANNA, code(n)), banca::i18n::Lang::It)).collect();
    assert_eq!(cells, ["", "pronto intervento", "entro 30/11/2026", "entro 02/12/2026"]);
}

#[test]
fn a_deadline_already_past_is_refused_at_entry_and_marked_overdue_when_it_passes() {
    // Today is 23/11/2026.
    let clock = StepClock::new(NOW);
    let fx = fixture_with_clock(clock.clone());
    let mut n = need_input();
    n.placement.urgency = Urgency::Emergency { needed_by: date!(2026 - 11 - 22) };
    let refused = |r| match r {
        Err(BankError::Invalid(problems)) => problems,
        other => panic!("expected a refusal, got {other:?}"),
    };
    let past = Problem::new(Field::Urgency, Reason::DeadlinePassed { on: date!(2026 - 11 - 22) });
    assert_eq!(refused(fx.handle(ANNA, Request::NeedCreate { input: n.clone() })), vec![past.clone()]);
    assert_eq!(
        banca::i18n::describe_problem(&past, banca::i18n::Lang::It),
        "urgenza: il 22/11/2026 è già passato: un pronto intervento si chiede per oggi o per una data futura"
    );
    // Today itself is still in time.
    n.placement.urgency = Urgency::Emergency { needed_by: date!(2026 - 11 - 23) };
    let code = fx.create_need(ANNA, n.clone());
    assert!(!fx.need(ANNA, code).overdue);

    // The next day it has passed: marked, not stored (the record is unchanged).
    clock.advance(time::Duration::days(1));
    let view = fx.need(ANNA, code);
    assert_eq!((view.overdue, view.revision), (true, 1));
    assert_eq!(banca::present::lists::urgency_cell(&view, banca::i18n::Lang::It), "scaduta 23/11/2026");
    assert_eq!(banca::present::lists::urgency_cell(&view, banca::i18n::Lang::En), "overdue 23/11/2026");
    assert_eq!(
        banca::present::record::urgency_of(&view, banca::i18n::Lang::It),
        "pronto intervento entro il 23/11/2026 · scaduta"
    );
    // Sent again unchanged with another change, it is kept; moved to another past day, refused.
    n.placement.notes = "in attesa di una famiglia".into();
    assert!(fx.handle(ANNA, Request::NeedUpdate { code, base_revision: 1, input: n.clone() }).is_ok());
    n.placement.urgency = Urgency::Emergency { needed_by: date!(2026 - 11 - 23) - time::Duration::days(1) };
    let past = Problem::new(Field::Urgency, Reason::DeadlinePassed { on: date!(2026 - 11 - 22) });
    assert_eq!(refused(fx.handle(ANNA, Request::NeedUpdate { code, base_revision: 2, input: n.clone() })), vec![past]);
    // Closed, a need is no longer overdue: nobody waits any more.
    n.placement.urgency = Urgency::Emergency { needed_by: date!(2026 - 11 - 23) };
    n.placement.status = NeedStatus::Closed;
    n.placement.closing_reason = Some(ClosingReason::OtherSolution);
    assert!(fx.handle(ANNA, Request::NeedUpdate { code, base_revision: 2, input: n }).is_ok());
    assert!(!fx.need(ANNA, code).overdue);
}
