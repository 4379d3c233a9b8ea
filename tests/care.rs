//! The care of placements and families through the core: a formal review
//! meets a planned date and a contact note does not, overdue reviews apart
//! from this month's, kinship on every placement, extensions and court
//! reports; what is due for a service; the recruitment figures. Every
//! expected value below is worked by hand. Today is 23/11/2026.

mod common;

use banca::api::*;
use banca::model::*;
use common::*;
use time::macros::date;
use time::Date;

/// Anna's (S-001) child placed with Bruno's (S-002) family from 01/09/2026,
/// reviews planned on 01/10/2026 and 28/11/2026, no end given.
fn placed(fx: &Fixture) -> (PlacementCode, FamilyCode, NeedCode) {
    let mut family = family_in(S2, BRUNO);
    family.profile.status = FamilyStatus::Approved;
    family.profile.approved_on = Some(date!(2025 - 02 - 01));
    let family = fx.create_family(BRUNO, family);
    let need = fx.create_need(ANNA, need_input());
    let saved = fx.saved(ANNA, Request::ProposalCreate { need, family, note: String::new() });
    let proposal = ProposalCode::parse(&saved.code).unwrap();
    fx.saved(
        BRUNO,
        Request::ProposalStep { code: proposal, base_revision: 1, to: ProposalStatus::Accepted, note: String::new() },
    );
    let plan = FosterPlan {
        start: date!(2026 - 09 - 01),
        expected_end: None,
        duration_months: None,
        contact: OriginContact { frequency: ContactFrequency::Monthly, supervised: false },
        contact_notes: String::new(),
        review_dates: vec![date!(2026 - 10 - 01), date!(2026 - 11 - 28)],
        commitments: String::new(),
        relationship: Some(Relationship::Kinship),
    };
    let saved = fx.saved(ANNA, Request::PlacementStart { proposal, base_revision: 2, plan });
    (PlacementCode::parse(&saved.code).unwrap(), family, need)
}

fn placement(fx: &Fixture, code: PlacementCode) -> Revised<Placement> {
    match fx.ok(ANNA, Request::PlacementGet { code }) {
        Reply::Placement(p) => p,
        other => panic!("{other:?}"),
    }
}

fn review(fx: &Fixture, user: &str, code: PlacementCode, date: Date, kind: ReviewKind) {
    let base_revision = placement(fx, code).revision;
    fx.saved(user, Request::PlacementReview { code, base_revision, date, note: "sentiti tutti".into(), kind });
}

fn due(fx: &Fixture, user: &str, days: u16) -> Vec<(Due, Date, bool, String)> {
    match fx.ok(user, Request::Due { service: None, days }) {
        Reply::Due(list) => list.items.into_iter().map(|i| (i.what, i.on, i.overdue, i.record)).collect(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_contact_note_does_not_meet_a_planned_review_and_a_formal_review_does() {
    let fx = fixture();
    let (code, _, _) = placed(&fx);
    let p = placement(&fx, code).record;
    assert_eq!(p.next_review(), Some(date!(2026 - 10 - 01)));
    assert!(p.review_overdue(date!(2026 - 11 - 23)), "missed since 01/10");
    assert!(!p.review_due(date!(2026 - 11 - 23)), "overdue is apart from this month's");

    // A phone call on the first days: a contact note, the planned review stays due.
    review(&fx, BRUNO, code, date!(2026 - 09 - 03), ReviewKind::Contact);
    assert_eq!(placement(&fx, code).record.next_review(), Some(date!(2026 - 10 - 01)));
    // The formal review meets it: the next one is this month's.
    review(&fx, ANNA, code, date!(2026 - 10 - 03), ReviewKind::Formal);
    let p = placement(&fx, code).record;
    assert_eq!(p.next_review(), Some(date!(2026 - 11 - 28)));
    assert!(!p.review_overdue(date!(2026 - 11 - 23)));
    assert!(p.review_due(date!(2026 - 11 - 23)));
    let kinds: Vec<ReviewKind> = p.reviews.iter().map(|r| r.kind).collect();
    assert_eq!(kinds, [ReviewKind::Contact, ReviewKind::Formal]);
}

#[test]
fn every_new_plan_says_kinship_or_non_kin() {
    let fx = fixture();
    let (code, _, _) = placed(&fx);
    assert_eq!(placement(&fx, code).record.plan.relationship, Some(Relationship::Kinship));
    let current = placement(&fx, code);
    let plan = FosterPlan { relationship: None, ..current.record.plan };
    assert_eq!(
        fx.invalid(ANNA, Request::PlacementPlan { code, base_revision: current.revision, plan }),
        [Problem::new(Field::PlanRelationship, Reason::Required)]
    );
}

#[test]
fn an_extension_moves_the_end_past_the_24_months_and_says_who_decided() {
    let fx = fixture();
    let (code, _, _) = placed(&fx);
    // No end in the plan: the 24 months of law, from 01/09/2026.
    assert_eq!(placement(&fx, code).record.horizon(), (date!(2028 - 09 - 01), true));
    let extend = |until: Date, base_revision| Request::PlacementExtend {
        code,
        base_revision,
        decided_on: date!(2026 - 11 - 20),
        until,
        decided_by: Decider::Court,
        note: "Decreto TM Brescia 123/2026".into(),
    };
    let base = placement(&fx, code).revision;
    assert_eq!(
        fx.invalid(ANNA, extend(date!(2028 - 08 - 01), base)),
        [Problem::new(Field::ExtensionUntil, Reason::NotAfter { other_field: Field::PlanExpectedEnd })]
    );
    // The family's service does not decide it: the child's service records it.
    assert!(matches!(fx.handle(BRUNO, extend(date!(2029 - 08 - 31), base)), Err(BankError::Forbidden { .. })));
    fx.saved(ANNA, extend(date!(2029 - 08 - 31), base));
    let p = placement(&fx, code).record;
    assert_eq!(p.horizon(), (date!(2029 - 08 - 31), false));
    assert_eq!(p.extensions[0].decided_by, Decider::Court);
    assert_eq!(p.extensions[0].by, ANNA);
}

#[test]
fn a_court_report_is_due_until_it_is_marked_sent() {
    let fx = fixture();
    let (code, _, _) = placed(&fx);
    let report = |due_on, sent_on, base_revision| Request::PlacementCourtReport {
        code,
        base_revision,
        due_on,
        sent_on,
        note: String::new(),
    };
    fx.saved(ANNA, report(date!(2026 - 11 - 25), None, placement(&fx, code).revision));
    fx.saved(ANNA, report(date!(2027 - 05 - 25), None, placement(&fx, code).revision));
    let pending: Vec<Date> = placement(&fx, code).record.reports_pending().map(|r| r.due_on).collect();
    assert_eq!(pending, [date!(2026 - 11 - 25), date!(2027 - 05 - 25)]);
    fx.saved(ANNA, report(date!(2026 - 11 - 25), Some(date!(2026 - 11 - 23)), placement(&fx, code).revision));
    let p = placement(&fx, code).record;
    assert_eq!(p.court_reports.len(), 2, "marked sent, not added");
    assert_eq!(p.court_reports[0].sent_on, Some(date!(2026 - 11 - 23)));
    assert_eq!(p.reports_pending().map(|r| r.due_on).collect::<Vec<_>>(), [date!(2027 - 05 - 25)]);
}

/// Anna's service this week (to 30/11/2026): overdue first, then by date.
#[test]
fn what_is_due_for_my_service_comes_overdue_first_and_marked() {
    let fx = fixture();
    let (code, _, _) = placed(&fx);
    let a = code.to_string();
    // An approved family of Anna's whose idoneità is revised on 27/11, and
    // which was never proposed nor heard since its approval (28/02/2026: due 29/05).
    let mut approved = family_input();
    approved.profile.status = FamilyStatus::Approved;
    approved.profile.approved_on = Some(date!(2026 - 02 - 28));
    approved.profile.confirmed_on = Some(date!(2026 - 02 - 28));
    approved.profile.review_on = Some(date!(2026 - 11 - 27));
    let revised = fx.create_family(ANNA, approved).to_string();
    // An enquiry met on 01/10 with no step since (due after six weeks: 12/11),
    // and one met on 20/11 (not due until 01/01/2027).
    let enquiry = |date| enquiry_of("Lia Verdi", date);
    let idle = fx.saved(ANNA, Request::FamilyEnquiry { input: enquiry(date!(2026 - 10 - 01)) }).code;
    fx.saved(ANNA, Request::FamilyEnquiry { input: enquiry(date!(2026 - 11 - 20)) });
    // A court report due on 25/11.
    let base_revision = placement(&fx, code).revision;
    fx.saved(
        ANNA,
        Request::PlacementCourtReport {
            code,
            base_revision,
            due_on: date!(2026 - 11 - 25),
            sent_on: None,
            note: String::new(),
        },
    );

    use Due::*;
    assert_eq!(
        due(&fx, ANNA, 7),
        [
            (WaitingSinceApproval { approved_on: date!(2026 - 02 - 28) }, date!(2026 - 05 - 29), true, revised.clone()),
            (Review, date!(2026 - 10 - 01), true, a.clone()),
            (IdlePathway { last_step: date!(2026 - 10 - 01) }, date!(2026 - 11 - 12), true, idle),
            (CourtReport, date!(2026 - 11 - 25), false, a.clone()),
            (ApprovalRevision, date!(2026 - 11 - 27), false, revised),
        ]
    );
    // Bruno's service follows the family: the review is its too, the court report is not.
    // (Its family, approved in 2025, was placed since: it is not waiting.)
    assert_eq!(due(&fx, BRUNO, 7), [(Review, date!(2026 - 10 - 01), true, a.clone())]);
    // Once the review is held, this month's shows and the overdue one is gone.
    review(&fx, ANNA, code, date!(2026 - 10 - 03), ReviewKind::Formal);
    let month = due(&fx, BRUNO, 30);
    assert_eq!(month, [(Review, date!(2026 - 11 - 28), false, a.clone())]);
    // A reader or another role asks for a service it may read whole, or is refused.
    assert!(matches!(fx.handle(DARIO, Request::Due { service: None, days: 7 }), Err(BankError::Forbidden { .. })));
    assert!(matches!(fx.handle(BRUNO, Request::Due { service: Some(S1), days: 7 }), Err(BankError::Forbidden { .. })));
    assert_eq!(due(&fx, CARLA, 7).len(), 5, "the coordination, every service");
}

#[test]
fn recruitment_figures_count_enquiries_by_source_conversion_and_time_to_approval() {
    let fx = fixture();
    let enquire = |user: &str, date: Date, source: Option<EnquirySource>| {
        let input = EnquiryInput { source, ..enquiry_of("Nome Cognome", date) };
        FamilyCode::parse(&fx.saved(user, Request::FamilyEnquiry { input }).code).unwrap()
    };
    let approve = |code: FamilyCode| {
        let (rev, mut input) = fx.family_as_input(code);
        input.identity.adults[0].birth_year = 1980;
        input.profile.kinds = [PlacementKind::Respite].into();
        fx.saved(ANNA, Request::FamilyUpdate { code, base_revision: rev, input });
        fx.approve(ANNA, code);
    };
    use EnquirySource::*;
    // Three from the evening (one approved after 100 days, one withdrawn),
    // one by word of mouth (approved after 200 days), one of unknown source.
    let e1 = enquire(ANNA, date!(2026 - 08 - 15), Some(InformationEvening));
    let e2 = enquire(ANNA, date!(2026 - 11 - 01), Some(InformationEvening));
    enquire(ANNA, date!(2026 - 11 - 10), Some(InformationEvening));
    let w = enquire(ANNA, date!(2026 - 05 - 07), Some(WordOfMouth));
    enquire(ANNA, date!(2026 - 11 - 20), None);
    // Bruno's, not Anna's service's.
    enquire(BRUNO, date!(2026 - 11 - 20), Some(Campaign));
    approve(e1); // 15/08 → 23/11: 100 days
    approve(w); // 07/05 → 23/11: 200 days
    fx.take_step(ANNA, e2, StepKind::Withdrawal);

    let figures = match fx.ok(ANNA, Request::Recruitment { service: None, since: None }) {
        Reply::Recruitment(f) => f,
        other => panic!("{other:?}"),
    };
    let row = |source, enquiries, in_progress, approved, withdrawn| SourceRow {
        source,
        enquiries,
        in_progress,
        approved,
        not_approved: 0,
        withdrawn,
    };
    assert_eq!(
        figures.by_source,
        [row(Some(InformationEvening), 3, 1, 1, 1), row(Some(WordOfMouth), 1, 0, 1, 0), row(None, 1, 1, 0, 0)]
    );
    assert_eq!(figures.total, row(None, 5, 2, 2, 1));
    assert_eq!(figures.by_source[0].conversion_percent(), Some(33));
    assert_eq!(figures.total.conversion_percent(), Some(40));
    assert_eq!(
        figures.days_to_approval,
        Some(Spread { count: 2, median: 100, lower_quartile: 100, upper_quartile: 100 }),
        "of 100 and 200 days, the lower middle"
    );
    // The coordination sees the whole bank; since a date, only the later enquiries.
    match fx.ok(CARLA, Request::Recruitment { service: None, since: Some(date!(2026 - 11 - 01)) }) {
        Reply::Recruitment(f) => assert_eq!(f.total.enquiries, 4),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        fx.handle(BRUNO, Request::Recruitment { service: Some(S1), since: None }),
        Err(BankError::Forbidden { .. })
    ));
}

#[test]
fn contact_notes_are_counted_apart_and_never_take_a_formal_review_s_place() {
    let fx = fixture();
    let (code, _, _) = placed(&fx);
    for _ in 0..banca::model::limits::MAX_CONTACT_NOTES {
        review(&fx, BRUNO, code, date!(2026 - 11 - 20), ReviewKind::Contact);
    }
    let base_revision = placement(&fx, code).revision;
    let note = |kind| Request::PlacementReview {
        code,
        base_revision,
        date: date!(2026 - 11 - 21),
        note: "telefonata".into(),
        kind,
    };
    assert_eq!(
        fx.invalid(BRUNO, note(ReviewKind::Contact)),
        [Problem::new(Field::ReviewKind, Reason::TooMany { max: 20 })]
    );
    fx.saved(ANNA, note(ReviewKind::Formal));
    assert_eq!(placement(&fx, code).record.next_review(), Some(date!(2026 - 11 - 28)));
}

#[test]
fn an_extension_and_a_court_report_are_dated_within_the_placement_and_a_report_due_is_not_doubled() {
    let fx = fixture();
    let (code, _, _) = placed(&fx);
    let base_revision = placement(&fx, code).revision;
    let extension = Request::PlacementExtend {
        code,
        base_revision,
        decided_on: date!(2026 - 08 - 01),
        until: date!(2029 - 08 - 31),
        decided_by: Decider::Court,
        note: String::new(),
    };
    assert_eq!(
        fx.invalid(ANNA, extension),
        [Problem::new(Field::ExtensionDecidedOn, Reason::NotAfter { other_field: Field::PlanStart })]
    );
    let report = |sent_on, base_revision| Request::PlacementCourtReport {
        code,
        base_revision,
        due_on: date!(2027 - 03 - 01),
        sent_on,
        note: String::new(),
    };
    assert_eq!(
        fx.invalid(ANNA, report(Some(date!(2026 - 08 - 01)), base_revision)),
        [Problem::new(Field::CourtReportSent, Reason::NotAfter { other_field: Field::PlanStart })]
    );
    fx.saved(ANNA, report(None, base_revision));
    assert_eq!(
        fx.invalid(ANNA, report(None, base_revision + 1)),
        [Problem::new(Field::CourtReportDue, Reason::Duplicate { value: "01/03/2027".into() })]
    );
}

#[test]
fn the_thresholds_of_the_reminders_come_from_the_configuration() {
    // A service that calls idle enquiries after two weeks and revises idoneità every three years.
    let config = banca::bank::BankConfig {
        care: banca::bank::CareConfig { idle_weeks: 2, revision_months: 36, ..Default::default() },
        ..Default::default()
    };
    let dir = tempfile::tempdir().unwrap();
    let bank = banca::bank::Bank::open(
        &dir.path().join("bank"),
        config,
        true,
        std::sync::Arc::new(banca::bank::FixedClock(NOW)),
    )
    .unwrap();
    let fx = Fixture::seeded(dir, bank);
    let input = enquiry_of("Lia Verdi", date!(2026 - 11 - 01));
    let idle = fx.saved(ANNA, Request::FamilyEnquiry { input }).code;
    assert_eq!(
        due(&fx, ANNA, 7),
        [(Due::IdlePathway { last_step: date!(2026 - 11 - 01) }, date!(2026 - 11 - 15), true, idle.clone())]
    );
    let code = FamilyCode::parse(&idle).unwrap();
    let (rev, mut input) = fx.family_as_input(code);
    input.identity.adults[0].birth_year = 1980;
    input.profile.kinds = [PlacementKind::Respite].into();
    fx.saved(ANNA, Request::FamilyUpdate { code, base_revision: rev, input });
    fx.approve(ANNA, code);
    assert_eq!(fx.family(ANNA, code).profile.review_on, Some(date!(2029 - 11 - 23)), "three years on");
}
