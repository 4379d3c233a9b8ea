//! A family's pathway through the core: the first contact with only what
//! is known, every step and status (legal and refused, the next step
//! named), the network's events and their attendance, the support log,
//! and who sees what of them. Today is 23/11/2026 (`common::NOW`).

mod common;

use banca::api::*;
use banca::i18n::{describe_error, Lang};
use banca::model::*;
use common::*;
use time::macros::date;
use time::Date;

fn enquiry(names: &[&str]) -> EnquiryInput {
    EnquiryInput {
        service: None,
        names: names.iter().map(|n| n.to_string()).collect(),
        phone: "035 555 0101".into(),
        email: String::new(),
        comune: dalmine(),
        date: date!(2026 - 11 - 20),
        source: Some(EnquirySource::InformationEvening),
        source_note: "serata di novembre".into(),
        event: None,
        note: "Chiamano dopo la serata.".into(),
    }
}

fn enquire(fx: &Fixture, user: &str, input: EnquiryInput) -> FamilyCode {
    let saved = fx.saved(user, Request::FamilyEnquiry { input });
    FamilyCode::parse(&saved.code).expect("a family code")
}

fn step(kind: StepKind, date: Date) -> StepInput {
    StepInput { kind, date, by: String::new(), note: String::new(), reason: None, event: None, assessors: None }
}

fn take(fx: &Fixture, user: &str, code: FamilyCode, input: StepInput) -> Response {
    let base_revision = fx.family(CARLA, code).revision;
    fx.handle(user, Request::FamilyStep { code, base_revision, step: input })
}

fn took(fx: &Fixture, user: &str, code: FamilyCode, input: StepInput) {
    let what = format!("{:?}", input.kind);
    if let Err(e) = take(fx, user, code, input) {
        panic!("{what}: {e:?}");
    }
}

fn refused(fx: &Fixture, user: &str, code: FamilyCode, input: StepInput) -> Vec<Problem> {
    match take(fx, user, code, input) {
        Err(BankError::Invalid(p)) => p,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn assessors() -> Assessors {
    Assessors { social_worker: "Rita Rota".into(), psychologist: "dott. Marco Bassi".into() }
}

fn tokens(steps: &[&str]) -> Vec<String> {
    steps.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_first_contact_takes_names_a_phone_and_a_comune_and_shows_the_rest_as_not_yet_known() {
    let fx = fixture();
    let code = enquire(&fx, ANNA, enquiry(&["Anna Rota", "Marco Bassi"]));
    let view = fx.family(ANNA, code);
    assert_eq!(view.profile.status, FamilyStatus::Enquiring);
    assert!(!view.profile.availability_known, "nothing it offers is known yet");
    let private = view.private.as_ref().expect("its own service sees who they are");
    let names: Vec<&str> = private.identity.adults.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Anna Rota", "Marco Bassi"]);
    assert!(private.identity.adults.iter().all(|a| a.birth_year == Adult::UNKNOWN_YEAR), "no year invented");
    let pathway = view.pathway.as_ref().expect("its service sees the pathway");
    assert_eq!(pathway.pathway.source, Some(EnquirySource::InformationEvening));
    assert_eq!(pathway.pathway.steps.len(), 1);
    let first = &pathway.pathway.steps[0];
    assert_eq!(
        (first.kind, first.date, first.by.as_str()),
        (StepKind::Enquiry, date!(2026 - 11 - 20), "Anna Operatrice")
    );
    assert_eq!(
        pathway.next_steps,
        [StepKind::Information, StepKind::Training, StepKind::AssessmentStart, StepKind::Withdrawal]
    );

    // The card says "non ancora noto" where a default would read as assessed.
    let card = banca::present::family(&view, Lang::It).words().join(" ");
    assert!(card.contains("non ancora noto"), "{card}");
    assert!(!card.contains("0–17"), "no age range that reads as assessed: {card}");
}

#[test]
fn a_first_contact_needs_a_name_a_way_to_reach_them_and_a_comune() {
    let fx = fixture();
    let mut input = enquiry(&[" "]);
    input.phone.clear();
    input.comune = ComuneCode::from_u32(999_999);
    input.date = date!(2026 - 12 - 01);
    let problems = fx.invalid(ANNA, Request::FamilyEnquiry { input });
    let fields: Vec<String> = problems.iter().map(|p| p.field.to_string()).collect();
    assert_eq!(fields, ["identity.adults", "identity.adults[0].name", "identity.phone", "profile.comune", "step.date"]);
    // An e-mail alone is enough.
    let mut input = enquiry(&["Sara Neri"]);
    input.phone.clear();
    input.email = "sara.neri@example.org".into();
    enquire(&fx, ANNA, input);
    // An event that does not exist, or is not an information evening, is named.
    let mut input = enquiry(&["Sara Neri"]);
    input.event = Some(EventCode::new(2026, 9));
    assert_eq!(
        fx.invalid(ANNA, Request::FamilyEnquiry { input }),
        [Problem::new(Field::StepEvent, Reason::UnknownCode { code: "E-2026-0009".into() })]
    );
}

#[test]
fn an_enquiry_is_walked_to_idonea_step_by_step_each_stage_asking_what_it_needs() {
    let fx = fixture();
    let code = enquire(&fx, ANNA, enquiry(&["Anna Rota", "Marco Bassi"]));
    took(&fx, ANNA, code, step(StepKind::Information, date!(2026 - 11 - 21)));
    took(&fx, ANNA, code, step(StepKind::Training, date!(2026 - 11 - 22)));
    assert_eq!(fx.family(ANNA, code).profile.training_completed_on, Some(date!(2026 - 11 - 22)));

    // The assessment names its assessors, and needs the first adult's year.
    assert_eq!(
        refused(&fx, ANNA, code, step(StepKind::AssessmentStart, date!(2026 - 11 - 23))),
        [Problem::new(Field::Assessors, Reason::RequiredWhen { condition: "step=assessment_start".into() })]
    );
    let start = StepInput { assessors: Some(assessors()), ..step(StepKind::AssessmentStart, date!(2026 - 11 - 23)) };
    assert_eq!(refused(&fx, ANNA, code, start.clone()), [Problem::new(Field::AdultBirthYear.at(0), Reason::Required)]);
    let (revision, mut input) = fx.family_as_input(code);
    input.identity.adults[0].birth_year = 1984;
    fx.saved(ANNA, Request::FamilyUpdate { code, base_revision: revision, input });
    took(&fx, ANNA, code, start);
    assert_eq!(fx.family(ANNA, code).profile.status, FamilyStatus::UnderAssessment);

    // Idoneità comes after interviews, a home visit and the report, in that order of need.
    let waits = |missing: &str| {
        vec![Problem::new(Field::StepKind, Reason::StepWaitsFor { step: "approval".into(), missing: missing.into() })]
    };
    assert_eq!(refused(&fx, ANNA, code, step(StepKind::Approval, date!(2026 - 11 - 23))), waits("interview"));
    took(&fx, ANNA, code, step(StepKind::Interview, date!(2026 - 11 - 23)));
    assert_eq!(refused(&fx, ANNA, code, step(StepKind::Approval, date!(2026 - 11 - 23))), waits("home_visit"));
    took(&fx, ANNA, code, step(StepKind::HomeVisit, date!(2026 - 11 - 23)));
    assert_eq!(refused(&fx, ANNA, code, step(StepKind::Approval, date!(2026 - 11 - 23))), waits("report"));
    took(&fx, ANNA, code, step(StepKind::Report, date!(2026 - 11 - 23)));
    assert_eq!(fx.family(ANNA, code).pathway.unwrap().next_steps[0], StepKind::Approval);

    // An approved family says what it offers.
    assert_eq!(
        refused(&fx, ANNA, code, step(StepKind::Approval, date!(2026 - 11 - 23))),
        [Problem::new(Field::ProfileKinds, Reason::RequiredWhen { condition: "status=approved".into() })]
    );
    let (revision, mut input) = fx.family_as_input(code);
    input.profile.kinds = [PlacementKind::Residential].into();
    input.profile.ages = AgeRange { min_months: 36, max_months: 10 * 12 + 11 };
    fx.saved(ANNA, Request::FamilyUpdate { code, base_revision: revision, input });
    assert!(fx.family(ANNA, code).profile.availability_known);
    took(&fx, ANNA, code, step(StepKind::Approval, date!(2026 - 11 - 23)));

    let view = fx.family(ANNA, code);
    assert_eq!(view.profile.status, FamilyStatus::Approved);
    assert_eq!(view.profile.approved_on, Some(date!(2026 - 11 - 23)));
    assert_eq!(view.profile.review_on, Some(date!(2028 - 11 - 23)), "revised two years on");
    let pathway = view.pathway.unwrap();
    let kinds: Vec<StepKind> = pathway.pathway.steps.iter().map(|s| s.kind).collect();
    use StepKind::*;
    assert_eq!(kinds, [Enquiry, Information, Training, AssessmentStart, Interview, HomeVisit, Report, Approval]);
    assert_eq!(pathway.pathway.assessors, assessors());
    assert_eq!(pathway.next_steps, [Revision, Suspension, NotApproved, Withdrawal]);
}

/// Every step from every status, worked by hand from practice: the status
/// it leads to, or refused.
#[test]
fn every_step_from_every_status_is_legal_or_refused_as_practice_has_it() {
    use FamilyStatus::*;
    use StepKind::*;
    let after = |step: StepKind, from: FamilyStatus| -> Option<FamilyStatus> {
        match (step, from) {
            (Information, Enquiring) => Some(Enquiring),
            (Training, Enquiring) => Some(Enquiring),
            (Training, UnderAssessment) => Some(UnderAssessment),
            (AssessmentStart, Enquiring) => Some(UnderAssessment),
            (Interview | HomeVisit | Report, UnderAssessment) => Some(UnderAssessment),
            (Approval, UnderAssessment) => Some(Approved),
            (StepKind::NotApproved, UnderAssessment | Approved | Suspended) => Some(FamilyStatus::NotApproved),
            (Suspension, Approved) => Some(Suspended),
            (Resumption, Suspended) => Some(Approved),
            (Withdrawal, Enquiring | UnderAssessment | Approved | Suspended) => Some(Withdrawn),
            (Revision, Approved) => Some(Approved),
            (Revision, Suspended) => Some(Suspended),
            _ => None,
        }
    };
    let statuses = [Enquiring, UnderAssessment, Approved, Suspended, Withdrawn, FamilyStatus::NotApproved];
    let steps = [
        Information,
        Training,
        AssessmentStart,
        Interview,
        HomeVisit,
        Report,
        Approval,
        StepKind::NotApproved,
        Suspension,
        Resumption,
        Withdrawal,
        Revision,
    ];
    let fx = fixture();
    let mut checked = 0;
    for from in statuses {
        for kind in steps {
            // A family in `from`, with an assessment whose report is done.
            let mut input = family_input();
            input.profile.status = from;
            if matches!(from, Approved | Suspended) {
                input.profile.approved_on = Some(date!(2025 - 02 - 01));
            }
            let code = fx.create_family(ANNA, input);
            if from == UnderAssessment {
                for k in [Interview, HomeVisit, Report] {
                    took(&fx, ANNA, code, step(k, date!(2026 - 11 - 20)));
                }
            }
            let mut s = step(kind, date!(2026 - 11 - 23));
            if kind.needs_reason() {
                s.reason = Some(StepReason::FamilyCircumstances);
            }
            if kind == AssessmentStart {
                s.assessors = Some(assessors());
            }
            let response = take(&fx, ANNA, code, s);
            match (after(kind, from), response) {
                (Some(to), Ok(_)) => assert_eq!(fx.family(ANNA, code).profile.status, to, "{kind:?} from {from:?}"),
                (None, Err(BankError::Invalid(p))) => {
                    assert_eq!(p.len(), 1, "{kind:?} from {from:?}: {p:?}");
                    assert!(
                        matches!(&p[0].reason, Reason::StepNotAllowed { step, status, .. }
                            if *step == kind.token() && *status == from.token()),
                        "{kind:?} from {from:?}: {p:?}"
                    );
                }
                (expected, got) => panic!("{kind:?} from {from:?}: expected {expected:?}, got {got:?}"),
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 72);
}

#[test]
fn a_refused_step_names_the_steps_possible_now_in_words_and_as_typed() {
    let fx = fixture();
    let code = enquire(&fx, ANNA, enquiry(&["Anna Rota"]));
    let problems = refused(&fx, ANNA, code, step(StepKind::Approval, date!(2026 - 11 - 23)));
    assert_eq!(
        problems,
        [Problem::new(
            Field::StepKind,
            Reason::StepNotAllowed {
                step: "approval".into(),
                status: "enquiring".into(),
                next: tokens(&["information", "training", "assessment_start", "withdrawal"]),
            }
        )]
    );
    let it = describe_error(&BankError::Invalid(problems.clone()), Lang::It);
    assert!(
        it.contains("«idoneità» non è un passo possibile per una famiglia «interessata»; possibili ora: incontro informativo (informazione), corso di formazione (formazione), avvio della valutazione (avvio_valutazione), ritiro (ritiro)"),
        "{it}"
    );
    let en = describe_error(&BankError::Invalid(problems), Lang::En);
    assert!(en.contains("possible now: information meeting (information), training course (training), assessment start (assessment_start), withdrawal (withdrawal)"), "{en}");

    // A closed pathway says so.
    let mut s = step(StepKind::Withdrawal, date!(2026 - 11 - 23));
    s.reason = Some(StepReason::MovedAway);
    took(&fx, ANNA, code, s);
    let problems = refused(&fx, ANNA, code, step(StepKind::Information, date!(2026 - 11 - 23)));
    let it = describe_error(&BankError::Invalid(problems), Lang::It);
    assert!(it.contains("il percorso di una famiglia «ritirata» è concluso"), "{it}");
}

#[test]
fn the_status_moves_only_by_a_step_and_the_form_is_told_which() {
    let fx = fixture();
    let code = fx.create_family(ANNA, family_input());
    let (revision, mut input) = fx.family_as_input(code);
    input.profile.status = FamilyStatus::UnderAssessment;
    assert_eq!(
        fx.invalid(ANNA, Request::FamilyUpdate { code, base_revision: revision, input }),
        [Problem::new(
            Field::FamilyStatus,
            Reason::StatusByStep {
                from: "enquiring".into(),
                to: "under_assessment".into(),
                next: tokens(&["information", "training", "assessment_start", "withdrawal"]),
            }
        )]
    );
}

#[test]
fn closing_and_suspending_say_why_from_the_vocabulary() {
    let fx = fixture();
    let mut input = family_input();
    input.profile.status = FamilyStatus::Approved;
    input.profile.approved_on = Some(date!(2025 - 02 - 01));
    let code = fx.create_family(ANNA, input);
    assert_eq!(
        refused(&fx, ANNA, code, step(StepKind::Suspension, date!(2026 - 11 - 23))),
        [Problem::new(Field::StepReason, Reason::RequiredWhen { condition: "step=suspension".into() })]
    );
    let mut s = step(StepKind::Suspension, date!(2026 - 11 - 23));
    s.reason = Some(StepReason::Rested);
    s.note = "Dopo l'affido di Teo, una pausa di sei mesi.".into();
    took(&fx, ANNA, code, s);
    let view = fx.family(ANNA, code);
    assert_eq!(view.profile.status, FamilyStatus::Suspended);
    let last = view.pathway.unwrap().pathway.steps.pop().unwrap();
    assert_eq!(
        (last.reason, last.note.as_str()),
        (Some(StepReason::Rested), "Dopo l'affido di Teo, una pausa di sei mesi.")
    );
    // A reason where none belongs is refused too.
    let mut s = step(StepKind::Resumption, date!(2026 - 11 - 23));
    s.reason = Some(StepReason::Other);
    assert_eq!(
        refused(&fx, ANNA, code, s),
        [Problem::new(Field::StepReason, Reason::NotExpected { condition: "step=resumption".into() })]
    );
}

#[test]
fn only_the_family_s_service_takes_its_steps_and_keeps_its_support_log() {
    let fx = fixture();
    let code = enquire(&fx, ANNA, enquiry(&["Anna Rota"]));
    assert!(matches!(
        take(&fx, BRUNO, code, step(StepKind::Information, date!(2026 - 11 - 23))),
        Err(BankError::Forbidden { .. })
    ));
    assert!(matches!(
        take(&fx, CARLA, code, step(StepKind::Information, date!(2026 - 11 - 23))),
        Err(BankError::Forbidden { .. })
    ));
    let entry = SupportEntry {
        kind: SupportKind::Contact,
        date: date!(2026 - 11 - 22),
        note: "Telefonata: chiedono del corso.".into(),
        event: None,
        recorded_by: "someone-else".into(),
    };
    let base_revision = fx.family(ANNA, code).revision;
    fx.saved(ANNA, Request::FamilySupport { code, base_revision, entry });

    let own = fx.family(ANNA, code);
    let log = own.support.expect("its own service reads the support log");
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].recorded_by, ANNA, "who recorded it comes from the kernel, not the request");
    // The coordination sees the pathway, not the support log; another service neither.
    let coordination = fx.family(CARLA, code);
    assert!(coordination.pathway.is_some());
    assert!(coordination.support.is_none());
    let other = fx.family(BRUNO, code);
    assert!(other.pathway.is_none());
    assert!(other.support.is_none());
    let admin = fx.family(ADMIN, code);
    assert!(admin.pathway.is_none() && admin.support.is_none());
}

fn event(kind: EventKind, title: &str, date: Date) -> EventInput {
    EventInput {
        kind,
        title: title.into(),
        association: String::new(),
        date,
        until: None,
        comune: dalmine(),
        place: "Sala civica".into(),
        notes: String::new(),
    }
}

fn create_event(fx: &Fixture, user: &str, input: EventInput) -> EventCode {
    let saved = fx.saved(user, Request::EventCreate { input });
    EventCode::parse(&saved.code).expect("an event code")
}

fn event_view(fx: &Fixture, user: &str, code: EventCode) -> EventView {
    match fx.ok(user, Request::EventGet { code }) {
        Reply::Event(v) => v,
        other => panic!("expected an event, got {other:?}"),
    }
}

#[test]
fn an_event_shows_every_service_its_count_and_each_service_its_own_families() {
    let fx = fixture();
    let evening = create_event(&fx, ANNA, event(EventKind::InformationEvening, "Serata affido", date!(2026 - 11 - 12)));
    assert_eq!(evening.to_string(), "E-2026-0001");
    let course = create_event(&fx, CARLA, event(EventKind::TrainingCourse, "Corso base", date!(2026 - 11 - 14)));
    // Two of S-001's families and one of S-002's came to the evening.
    let mut input = enquiry(&["Anna Rota"]);
    input.event = Some(evening);
    let a = enquire(&fx, ANNA, input.clone());
    input.names = vec!["Lia Verdi".into()];
    let b = enquire(&fx, ANNA, input.clone());
    input.names = vec!["Ugo Blu".into()];
    let c = enquire(&fx, BRUNO, input);
    // One of them then attended the course: its training is on record.
    let mut s = step(StepKind::Training, date!(2026 - 11 - 20));
    s.event = Some(course);
    took(&fx, ANNA, a, s);
    // An event of another kind is named for what it is not.
    let mut s = step(StepKind::Information, date!(2026 - 11 - 20));
    s.event = Some(course);
    assert_eq!(
        refused(&fx, ANNA, b, s),
        [Problem::new(Field::StepEvent, Reason::EventKindMismatch { expected: "information_evening".into() })]
    );

    let names = |v: &EventView| v.ours.iter().map(|x| (x.family, x.names.clone())).collect::<Vec<_>>();
    let seen_by_anna = event_view(&fx, ANNA, evening);
    assert_eq!(seen_by_anna.attended, 3);
    assert_eq!(names(&seen_by_anna), [(a, "Anna Rota".to_string()), (b, "Lia Verdi".to_string())]);
    let seen_by_bruno = event_view(&fx, BRUNO, evening);
    assert_eq!(seen_by_bruno.attended, 3);
    assert_eq!(names(&seen_by_bruno), [(c, "Ugo Blu".to_string())]);
    assert_eq!(event_view(&fx, CARLA, evening).ours.len(), 3, "the coordination sees all");
    assert!(event_view(&fx, DARIO, evening).ours.is_empty(), "a reader sees the count only");
    assert_eq!(event_view(&fx, DARIO, evening).attended, 3);
    assert_eq!(event_view(&fx, ANNA, course).attended, 1);
    assert_eq!(event_view(&fx, ANNA, course).organiser, None, "the coordination's own course");

    // Another service may not change S-001's evening; the list has both, newest first.
    let base_revision = seen_by_anna.revision;
    assert!(matches!(
        fx.handle(
            BRUNO,
            Request::EventUpdate {
                code: evening,
                base_revision,
                input: event(EventKind::InformationEvening, "X", date!(2026 - 11 - 12))
            }
        ),
        Err(BankError::Forbidden { .. })
    ));
    match fx.ok(DARIO, Request::EventList { kind: None, from: None, after: None, limit: None }) {
        Reply::Events(page) => assert_eq!(page.items.iter().map(|e| e.code).collect::<Vec<_>>(), [course, evening]),
        other => panic!("{other:?}"),
    }
}

#[test]
fn support_group_meetings_feed_the_experience_criterion_and_it_says_so() {
    let fx = fixture();
    let group = create_event(&fx, ANNA, event(EventKind::SupportGroup, "Gruppo famiglie", date!(2026 - 10 - 08)));
    let mut input = family_input();
    input.profile.status = FamilyStatus::Approved;
    input.profile.approved_on = Some(date!(2025 - 02 - 01));
    input.profile.training_completed_on = None;
    let family = fx.create_family(ANNA, input);
    for (day, event) in
        [(date!(2026 - 09 - 10), None), (date!(2026 - 10 - 08), Some(group)), (date!(2026 - 11 - 12), None)]
    {
        let entry = SupportEntry {
            kind: SupportKind::Group,
            date: day,
            note: "incontro del gruppo".into(),
            event,
            recorded_by: String::new(),
        };
        let base_revision = fx.family(ANNA, family).revision;
        fx.saved(ANNA, Request::FamilySupport { code: family, base_revision, entry });
    }
    let need = fx.create_need(ANNA, need_input());
    let ranking =
        match fx.ok(ANNA, Request::MatchNeed { need, limit: 10, why_not: None, hosts: banca::api::Hosts::Families }) {
            Reply::NeedMatches(r) => r,
            other => panic!("{other:?}"),
        };
    let candidate = ranking.candidates.iter().find(|c| c.family.code == family).expect("a candidate");
    let experience =
        candidate.criteria.iter().find(|c| c.kind == CriterionKind::Experience).expect("the experience criterion");
    assert!(matches!(experience.fact, Fact::Experience { groups: 3, trained: false, .. }), "{:?}", experience.fact);
    let text = banca::i18n::describe_fact(&experience.fact, Lang::It);
    assert!(text.contains("3 incontri di gruppo di sostegno nell'ultimo anno"), "{text}");
    assert_eq!(event_view(&fx, BRUNO, group).attended, 1);
}

#[test]
fn a_step_is_not_dated_before_the_pathway_s_last_turn_nor_at_an_event_still_to_come() {
    let fx = fixture();
    let code = enquire(&fx, ANNA, enquiry(&["Anna Rota"]));
    // Before the first contact (20/11/2026).
    assert_eq!(
        refused(&fx, ANNA, code, step(StepKind::Information, date!(2026 - 11 - 19))),
        [Problem::new(
            Field::StepDate,
            Reason::DateOutOfRange { earliest: DateLimit::On(date!(2026 - 11 - 20)), latest: DateLimit::Today }
        )]
    );
    // A course that begins next week cannot have been attended.
    let course = create_event(&fx, ANNA, event(EventKind::TrainingCourse, "Corso", date!(2026 - 11 - 30)));
    let mut s = step(StepKind::Training, date!(2026 - 11 - 23));
    s.event = Some(course);
    assert_eq!(
        refused(&fx, ANNA, code, s),
        [Problem::new(Field::StepEvent, Reason::EventNotYetHeld { on: date!(2026 - 11 - 30) })]
    );
}

#[test]
fn the_approval_s_dates_are_the_step_s_until_the_family_is_approved() {
    let fx = fixture();
    let code = fx.create_family(ANNA, family_input());
    let (revision, mut input) = fx.family_as_input(code);
    input.profile.approved_on = Some(date!(2026 - 11 - 20));
    input.profile.review_on = Some(date!(2028 - 11 - 20));
    let by_step = Reason::SetByStep { step: "approval".into() };
    assert_eq!(
        fx.invalid(ANNA, Request::FamilyUpdate { code, base_revision: revision, input }),
        [Problem::new(Field::ApprovedOn, by_step.clone()), Problem::new(Field::ReviewOn, by_step)]
    );
}

#[test]
fn an_event_attended_keeps_its_kind() {
    let fx = fixture();
    let evening = create_event(&fx, ANNA, event(EventKind::InformationEvening, "Serata", date!(2026 - 11 - 12)));
    let mut input = enquiry(&["Anna Rota"]);
    input.event = Some(evening);
    enquire(&fx, ANNA, input);
    let base_revision = event_view(&fx, ANNA, evening).revision;
    let changed = event(EventKind::SupportGroup, "Serata", date!(2026 - 11 - 12));
    assert_eq!(
        fx.invalid(ANNA, Request::EventUpdate { code: evening, base_revision, input: changed }),
        [Problem::new(Field::EventKind, Reason::EventAttended { families: 1 })]
    );
}
