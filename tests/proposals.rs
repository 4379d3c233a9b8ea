//! Proposals (abbinamenti) and placements (affidi) through real requests:
//! every transition of the proposal's life, legal or not; who may take each
//! step; what a step needs (a reason, the current revision, free places);
//! how the needs follow; what starting and closing a placement do to the
//! family's places and experience; the audit trail; the lists each service
//! sees; and backups.
//!
//! Throughout, the child is anna's (S-001, Dalmine) and the family bruno's
//! (S-002, Bergamo) unless a test says otherwise, so the two sides of a
//! proposal are two different services.

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use banca::api::{
    AuditAction, AuditEntry, BankError, Direction, LineFault, LineProblem, PlacementFilter, ProposalFilter, Refusal,
    Reply, Request, Response, Revised, Saved,
};

use banca::matching::{CriterionKind, Exclusion, Fact, HardRule};
use banca::model::*;
use common::*;
use time::macros::date;
use time::Date;

use ProposalStatus::*;

// ---------------------------------------------------------------------------
// Helpers

/// An approved family of bruno's service in Bergamo: residential, children 0–10, `places` places.
fn bruno_family(fx: &Fixture, places: u8) -> FamilyCode {
    fx.create_family(BRUNO, family_with(bergamo(), places))
}

/// An approved family of anna's service in Dalmine.
fn anna_family(fx: &Fixture, places: u8) -> FamilyCode {
    fx.create_family(ANNA, family_with(dalmine(), places))
}

fn family_with(comune: ComuneCode, places: u8) -> FamilyInput {
    let mut f = family_input();
    f.profile.comune = comune;
    f.profile.status = FamilyStatus::Approved;
    f.profile.approved_on = Some(date!(2025 - 02 - 01));
    f.profile.kinds = BTreeSet::from([PlacementKind::Residential, PlacementKind::Daytime]);
    f.profile.max_children = places;
    f.profile.max_distance_km = None;
    f
}

/// A boy of seven in Dalmine, anna's.
fn anna_need(fx: &Fixture) -> NeedCode {
    fx.create_need(ANNA, need_input())
}

/// A boy of seven in Bergamo, bruno's.
fn bruno_need(fx: &Fixture) -> NeedCode {
    let mut n = need_input();
    n.placement.comune = bergamo();
    fx.create_need(BRUNO, n)
}

fn proposal_code(saved: &Saved) -> ProposalCode {
    ProposalCode::parse(&saved.code).expect("a proposal code")
}

fn placement_code(saved: &Saved) -> PlacementCode {
    PlacementCode::parse(&saved.code).expect("a placement code")
}

fn propose(fx: &Fixture, user: &str, need: NeedCode, family: FamilyCode) -> ProposalCode {
    proposal_code(&fx.saved(user, Request::ProposalCreate { need, family, note: "famiglia vicina alla scuola".into() }))
}

fn proposal(fx: &Fixture, code: ProposalCode) -> Revised<Proposal> {
    match fx.ok(CARLA, Request::ProposalGet { code }) {
        Reply::Proposal(p) => p,
        other => panic!("expected Proposal, got {other:?}"),
    }
}

fn placement(fx: &Fixture, code: PlacementCode) -> Revised<Placement> {
    match fx.ok(CARLA, Request::PlacementGet { code }) {
        Reply::Placement(p) => p,
        other => panic!("expected Placement, got {other:?}"),
    }
}

/// A step at the proposal's current revision.
fn step(fx: &Fixture, user: &str, code: ProposalCode, to: ProposalStatus, note: &str) -> Response {
    let base_revision = proposal(fx, code).revision;
    fx.handle(user, Request::ProposalStep { code, base_revision, to, note: note.into() })
}

fn plan(start: Date) -> FosterPlan {
    FosterPlan {
        start,
        expected_end: Some(date!(2028 - 11 - 01)),
        duration_months: Some(24),
        contact: OriginContact { frequency: ContactFrequency::Monthly, supervised: true },
        contact_notes: "incontri in spazio neutro".into(),
        review_dates: vec![date!(2027 - 06 - 01)],
        commitments: "scuola, sport, incontri".into(),
        relationship: Some(banca::model::Relationship::NonKin),
    }
}

/// Opens the placement of an accepted proposal, at its current revision.
fn start(fx: &Fixture, user: &str, code: ProposalCode, on: Date) -> Response {
    let base_revision = proposal(fx, code).revision;
    fx.handle(user, Request::PlacementStart { proposal: code, base_revision, plan: plan(on) })
}

fn started(fx: &Fixture, code: ProposalCode, on: Date) -> PlacementCode {
    match start(fx, ANNA, code, on) {
        Ok(Reply::Saved(s)) => placement_code(&s),
        other => panic!("the placement should start, got {other:?}"),
    }
}

fn review(fx: &Fixture, user: &str, code: PlacementCode, date: Date, note: &str) -> Response {
    let base_revision = placement(fx, code).revision;
    fx.handle(user, Request::PlacementReview { code, base_revision, date, note: note.into(), kind: ReviewKind::Formal })
}

fn close(fx: &Fixture, user: &str, code: PlacementCode, date: Date) -> Response {
    let base_revision = placement(fx, code).revision;
    fx.handle(
        user,
        Request::PlacementClose {
            code,
            base_revision,
            date,
            outcome: PlacementOutcome::ReturnHome,
            note: "rientro in famiglia".into(),
        },
    )
}

/// Proposed, then accepted by the family's service (through "under review").
fn accepted(fx: &Fixture, need: NeedCode, family: FamilyCode) -> ProposalCode {
    let p = propose(fx, ANNA, need, family);
    answer(fx, p, UnderReview);
    answer(fx, p, Accepted);
    p
}

/// The step by the side whose turn it is, which must succeed.
fn answer(fx: &Fixture, code: ProposalCode, to: ProposalStatus) -> Saved {
    let user = side_user(to);
    match step(fx, user, code, to, "motivo scritto") {
        Ok(Reply::Saved(s)) => s,
        other => panic!("{user}: {code} → {to:?} should succeed, got {other:?}"),
    }
}

/// Who takes a step into `to` for an anna-need/bruno-family proposal.
fn side_user(to: ProposalStatus) -> &'static str {
    match to.taken_by() {
        ProposalSide::NeedService => ANNA,
        ProposalSide::FamilyService => BRUNO,
    }
}

fn need_status(fx: &Fixture, need: NeedCode) -> NeedStatus {
    // The coordination reads the shared view: no identity, nothing audited.
    fx.need(CARLA, need).placement.status
}

fn proposals(fx: &Fixture, user: &str, filter: ProposalFilter) -> Vec<ProposalCode> {
    match fx.ok(user, Request::ProposalList { filter }) {
        Reply::Proposals(v) => v.into_iter().map(|p| p.record.code).collect(),
        other => panic!("expected Proposals, got {other:?}"),
    }
}

fn placements(fx: &Fixture, filter: PlacementFilter) -> Vec<PlacementCode> {
    match fx.ok(CARLA, Request::PlacementList { filter }) {
        Reply::Placements(v) => v.into_iter().map(|p| p.record.code).collect(),
        other => panic!("expected Placements, got {other:?}"),
    }
}

fn ranking(fx: &Fixture, need: NeedCode, why_not: Option<FamilyCode>) -> banca::api::NeedRanking {
    match fx.ok(ANNA, Request::MatchNeed { need, limit: 100, why_not, hosts: banca::api::Hosts::Families }) {
        Reply::NeedMatches(r) => *r,
        other => panic!("expected NeedMatches, got {other:?}"),
    }
}

fn audit(fx: &Fixture, record: &str) -> Vec<AuditEntry> {
    match fx.ok(CARLA, Request::AuditList { record: Some(record.into()), limit: 100, after: None }) {
        Reply::Audit(v) => v.items,
        other => panic!("expected Audit, got {other:?}"),
    }
}

fn refused(r: Response) -> Refusal {
    match r {
        Err(BankError::Refused(refusal)) => refusal,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn problems(r: Response) -> Vec<Problem> {
    match r {
        Err(BankError::Invalid(p)) => p,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

fn forbidden(r: Response) -> String {
    match r {
        Err(BankError::Forbidden { action }) => action,
        other => panic!("expected Forbidden, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// The state machine

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    /// `ProposalStep` to this state, by the side whose step it is.
    Step(ProposalStatus),
    /// `PlacementStart`, by the child's service.
    Start,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Becomes(ProposalStatus),
    /// Refused(ProposalTransition): not a step from here.
    Illegal,
    /// Refused(StartWithPlacement): the right step, the wrong request.
    UsePlacementStart,
}

use Action::*;
use Outcome::*;

/// Every state a proposal can be in, against every step and the start of a placement.
#[rustfmt::skip]
const TRANSITIONS: &[(ProposalStatus, Action, Outcome)] = &[
    (Proposed,    Step(Proposed),    Illegal),
    (Proposed,    Step(UnderReview), Becomes(UnderReview)),
    (Proposed,    Step(Accepted),    Becomes(Accepted)),
    (Proposed,    Step(Started),     Illegal),
    (Proposed,    Step(Declined),    Becomes(Declined)),
    (Proposed,    Step(Withdrawn),   Becomes(Withdrawn)),
    (Proposed,    Start,             Illegal),

    (UnderReview, Step(Proposed),    Illegal),
    (UnderReview, Step(UnderReview), Illegal),
    (UnderReview, Step(Accepted),    Becomes(Accepted)),
    (UnderReview, Step(Started),     Illegal),
    (UnderReview, Step(Declined),    Becomes(Declined)),
    (UnderReview, Step(Withdrawn),   Becomes(Withdrawn)),
    (UnderReview, Start,             Illegal),

    (Accepted,    Step(Proposed),    Illegal),
    (Accepted,    Step(UnderReview), Illegal),
    (Accepted,    Step(Accepted),    Illegal),
    (Accepted,    Step(Started),     UsePlacementStart),
    (Accepted,    Step(Declined),    Becomes(Declined)),
    (Accepted,    Step(Withdrawn),   Becomes(Withdrawn)),
    (Accepted,    Start,             Becomes(Started)),

    (Started,     Step(Proposed),    Illegal),
    (Started,     Step(UnderReview), Illegal),
    (Started,     Step(Accepted),    Illegal),
    (Started,     Step(Started),     Illegal),
    (Started,     Step(Declined),    Illegal),
    (Started,     Step(Withdrawn),   Illegal),
    (Started,     Start,             Illegal),

    (Declined,    Step(Proposed),    Illegal),
    (Declined,    Step(UnderReview), Illegal),
    (Declined,    Step(Accepted),    Illegal),
    (Declined,    Step(Started),     Illegal),
    (Declined,    Step(Declined),    Illegal),
    (Declined,    Step(Withdrawn),   Illegal),
    (Declined,    Start,             Illegal),

    (Withdrawn,   Step(Proposed),    Illegal),
    (Withdrawn,   Step(UnderReview), Illegal),
    (Withdrawn,   Step(Accepted),    Illegal),
    (Withdrawn,   Step(Started),     Illegal),
    (Withdrawn,   Step(Declined),    Illegal),
    (Withdrawn,   Step(Withdrawn),   Illegal),
    (Withdrawn,   Start,             Illegal),
];

/// A new proposal (for a new child) brought to `state` the ordinary way.
fn proposal_in(fx: &Fixture, family: FamilyCode, state: ProposalStatus) -> ProposalCode {
    let need = anna_need(fx);
    let p = propose(fx, ANNA, need, family);
    match state {
        Proposed => {}
        UnderReview => {
            answer(fx, p, UnderReview);
        }
        Accepted => {
            answer(fx, p, UnderReview);
            answer(fx, p, Accepted);
        }
        Started => {
            answer(fx, p, UnderReview);
            answer(fx, p, Accepted);
            started(fx, p, date!(2026 - 11 - 20));
        }
        Declined | Withdrawn => {
            answer(fx, p, state);
        }
    }
    assert_eq!(proposal(fx, p).record.status, state);
    p
}

#[test]
fn every_transition_of_a_proposal_is_taken_or_refused_as_the_table_says() {
    let fx = fixture();
    // Every row is checked: 6 states × (6 steps + start).
    assert_eq!(TRANSITIONS.len(), ProposalStatus::ALL.len() * (ProposalStatus::ALL.len() + 1));
    for from in ProposalStatus::ALL {
        for to in ProposalStatus::ALL {
            assert!(TRANSITIONS.iter().any(|(f, a, _)| f == from && *a == Step(*to)), "{from:?} → {to:?} missing");
        }
    }
    // A family per starting state, with room for every case.
    let families: Vec<(ProposalStatus, FamilyCode)> =
        ProposalStatus::ALL.iter().map(|s| (*s, bruno_family(&fx, 10))).collect();
    let family_for = |s: ProposalStatus| families.iter().find(|(f, _)| *f == s).unwrap().1;

    for (from, action, outcome) in TRANSITIONS {
        let case = format!("{from:?} + {action:?}");
        let p = proposal_in(&fx, family_for(*from), *from);
        let before = proposal(&fx, p);
        let (user, to, result) = match action {
            Step(to) => (side_user(*to), *to, step(&fx, side_user(*to), p, *to, "motivo scritto")),
            Start => (ANNA, Started, start(&fx, ANNA, p, date!(2026 - 11 - 20))),
        };
        match outcome {
            Becomes(state) => {
                assert!(matches!(result, Ok(Reply::Saved(_))), "{case}: {result:?}");
                let after = proposal(&fx, p);
                assert_eq!(after.record.status, *state, "{case}");
                assert_eq!(after.revision, before.revision + 1, "{case}");
                let last = after.record.last_step().unwrap();
                assert_eq!((last.status, last.by.as_str(), last.at), (*state, user, NOW), "{case}");
                assert_eq!(after.record.steps.len(), before.record.steps.len() + 1, "{case}");
                assert_eq!(after.record.placement.is_some(), *state == Started, "{case}");
            }
            Illegal => {
                assert_eq!(
                    result,
                    Err(BankError::Refused(Refusal::ProposalTransition { code: p, from: *from, to })),
                    "{case}"
                );
                assert_eq!(proposal(&fx, p), before, "{case}: nothing changed");
            }
            UsePlacementStart => {
                assert_eq!(result, Err(BankError::Refused(Refusal::StartWithPlacement { code: p })), "{case}");
                assert_eq!(proposal(&fx, p), before, "{case}: nothing changed");
            }
        }
    }
}

#[test]
fn each_side_takes_its_own_steps_and_nobody_else_may() {
    let fx = fixture();
    let family = bruno_family(&fx, 2);
    let need = anna_need(&fx);
    let create = |user: &str| fx.handle(user, Request::ProposalCreate { need, family, note: String::new() });
    for user in [BRUNO, CARLA, DARIO] {
        assert_eq!(forbidden(create(user)), "proposal.create", "{user}");
    }
    let p = proposal_code(&match create(ANNA) {
        Ok(Reply::Saved(s)) => s,
        other => panic!("anna proposes: {other:?}"),
    });

    // The family's service answers: under review, accepted, declined.
    for to in [UnderReview, Accepted] {
        for user in [ANNA, CARLA, DARIO] {
            assert_eq!(forbidden(step(&fx, user, p, to, "x")), format!("proposal.{}", to.token()), "{user}");
        }
        answer(&fx, p, to);
    }
    // The child's service opens the placement.
    for user in [BRUNO, CARLA, DARIO] {
        assert_eq!(forbidden(start(&fx, user, p, date!(2026 - 11 - 20))), "placement.start", "{user}");
    }
    let a = started(&fx, p, date!(2026 - 11 - 20));
    // Either service writes a review; the child's service changes the plan and closes.
    for user in [CARLA, DARIO] {
        assert_eq!(forbidden(review(&fx, user, a, date!(2026 - 11 - 22), "tutto bene")), "placement.review");
    }
    for user in [ANNA, BRUNO] {
        assert!(review(&fx, user, a, date!(2026 - 11 - 22), "tutto bene").is_ok(), "{user} reviews");
    }
    for user in [BRUNO, CARLA, DARIO] {
        let base_revision = placement(&fx, a).revision;
        let mut changed = plan(date!(2026 - 11 - 20));
        changed.commitments = "scuola e sport".into();
        let r = fx.handle(user, Request::PlacementPlan { code: a, base_revision, plan: changed });
        assert_eq!(forbidden(r), "placement.plan", "{user}");
        assert_eq!(forbidden(close(&fx, user, a, date!(2026 - 11 - 23))), "placement.close", "{user}");
    }
    assert!(close(&fx, ANNA, a, date!(2026 - 11 - 23)).is_ok());

    // Declining is the family's service's; withdrawing the child's service's.
    let need = anna_need(&fx);
    let p = propose(&fx, ANNA, need, family);
    for user in [ANNA, CARLA, DARIO] {
        assert_eq!(forbidden(step(&fx, user, p, Declined, "no")), "proposal.declined", "{user}");
    }
    answer(&fx, p, Declined);
    let p = propose(&fx, ANNA, need, family);
    for user in [BRUNO, CARLA, DARIO] {
        assert_eq!(forbidden(step(&fx, user, p, Withdrawn, "no")), "proposal.withdrawn", "{user}");
    }
    answer(&fx, p, Withdrawn);

    // Everyone may read them.
    for user in [ANNA, BRUNO, CARLA, DARIO] {
        assert!(fx.handle(user, Request::ProposalGet { code: p }).is_ok(), "{user} reads");
        assert!(fx.handle(user, Request::PlacementGet { code: a }).is_ok(), "{user} reads");
    }

    // The administrator may take either side.
    let p = propose(&fx, ADMIN, need, family);
    for to in [UnderReview, Accepted] {
        assert!(step(&fx, ADMIN, p, to, "").is_ok());
    }
    assert!(start(&fx, ADMIN, p, date!(2026 - 11 - 20)).is_ok());
}

#[test]
fn declining_or_withdrawing_needs_a_reason() {
    let fx = fixture();
    let family = bruno_family(&fx, 2);
    let need = anna_need(&fx);
    let p = propose(&fx, ANNA, need, family);
    let required = vec![Problem::new(Field::Note, Reason::Required)];
    for note in ["", "   "] {
        assert_eq!(problems(step(&fx, BRUNO, p, Declined, note)), required);
        assert_eq!(problems(step(&fx, ANNA, p, Withdrawn, note)), required);
    }
    // Other steps need no note, but none may be endless.
    let long = "x".repeat(2001);
    assert_eq!(
        problems(step(&fx, BRUNO, p, UnderReview, &long)),
        vec![Problem::new(Field::Note, Reason::TooLong { max: 2000 })]
    );
    let r = fx.handle(ANNA, Request::ProposalCreate { need: anna_need(&fx), family, note: long });
    assert_eq!(problems(r), vec![Problem::new(Field::Note, Reason::TooLong { max: 2000 })]);
    assert_eq!(proposal(&fx, p).revision, 1, "nothing was saved");

    assert!(step(&fx, BRUNO, p, Declined, "  la famiglia aspetta un bambino  ").is_ok());
    assert_eq!(proposal(&fx, p).record.last_step().unwrap().note, "la famiglia aspetta un bambino");
}

#[test]
fn a_step_on_an_old_revision_is_a_conflict() {
    let fx = fixture();
    let family = bruno_family(&fx, 2);
    let need = anna_need(&fx);
    let p = propose(&fx, ANNA, need, family);
    answer(&fx, p, UnderReview);
    let stale = |to: ProposalStatus, user: &str| {
        fx.handle(user, Request::ProposalStep { code: p, base_revision: 1, to, note: "motivo".into() })
    };
    for (to, user) in [(Accepted, BRUNO), (Declined, BRUNO), (Withdrawn, ANNA)] {
        match stale(to, user) {
            Err(BankError::Conflict { code, based_on, current, changed_by, changed_at }) => {
                assert_eq!((code.as_str(), based_on, current, changed_by.as_str()), ("P-2026-0001", 1, 2, BRUNO));
                assert_eq!(changed_at, NOW);
            }
            other => panic!("expected Conflict, got {other:?}"),
        }
    }
    answer(&fx, p, Accepted);
    let r =
        fx.handle(ANNA, Request::PlacementStart { proposal: p, base_revision: 2, plan: plan(date!(2026 - 11 - 20)) });
    assert!(matches!(r, Err(BankError::Conflict { current: 3, .. })), "{r:?}");
    let a = started(&fx, p, date!(2026 - 11 - 20));
    assert!(review(&fx, BRUNO, a, date!(2026 - 11 - 21), "primo mese").is_ok());
    let r = fx.handle(
        ANNA,
        Request::PlacementReview {
            code: a,
            base_revision: 1,
            date: date!(2026 - 11 - 22),
            note: "x".into(),
            kind: ReviewKind::Formal,
        },
    );
    assert!(matches!(r, Err(BankError::Conflict { current: 2, .. })), "{r:?}");
}

#[test]
fn accepting_beyond_the_free_places_is_refused_naming_what_holds_them() {
    let fx = fixture();
    let family = bruno_family(&fx, 1);
    let (n1, n2) = (anna_need(&fx), anna_need(&fx));
    // Several proposals may wait on one family: places count when one is accepted.
    let p1 = propose(&fx, ANNA, n1, family);
    let p2 = propose(&fx, ANNA, n2, family);
    answer(&fx, p1, Accepted);
    // The race for the last place: p2 no longer fits and is withdrawn by the acceptance.
    assert_eq!(proposal(&fx, p2).record.status, Withdrawn);
    let no_room = |held_by: &[String]| Refusal::NoFreePlaces { family, free: 0, needed: 1, held_by: held_by.to_vec() };

    // A full family may still be proposed: it may have a place by the time it answers.
    let n3 = anna_need(&fx);
    let p3 = propose(&fx, ANNA, n3, family);
    assert_eq!(refused(step(&fx, BRUNO, p3, Accepted, "")), no_room(&[p1.to_string()]));
    assert_eq!(proposal(&fx, p3).record.status, Proposed, "nothing was saved");
    assert_eq!(need_status(&fx, n3), NeedStatus::Matching);

    let a1 = started(&fx, p1, date!(2026 - 11 - 01));
    // Proposed after the acceptance, it is withdrawn when the placement takes the place for good.
    assert_eq!(proposal(&fx, p3).record.status, Withdrawn);
    let p2 = propose(&fx, ANNA, n2, family);
    assert_eq!(refused(step(&fx, BRUNO, p2, Accepted, "")), no_room(&[a1.to_string()]));
    // Under review is no promise of a place: that step is still allowed.
    answer(&fx, p2, UnderReview);

    // A sibling group needs as many places as children.
    let big = bruno_family(&fx, 2);
    let other = anna_need(&fx);
    answer(&fx, propose(&fx, ANNA, other, big), Accepted);
    let sister = anna_need(&fx);
    let mut b = need_input();
    b.placement.siblings = vec![sister];
    let brother = fx.create_need(ANNA, b);
    let group = propose(&fx, ANNA, sister, big);
    assert_eq!(proposal(&fx, group).record.needs, vec![sister, brother]);
    match refused(step(&fx, BRUNO, group, Accepted, "")) {
        Refusal::NoFreePlaces { family: f, free, needed, held_by } => {
            assert_eq!((f, free, needed, held_by.len()), (big, 1, 2, 1));
        }
        other => panic!("expected NoFreePlaces, got {other:?}"),
    }

    // The placement closes: the place is free again and the acceptance goes through.
    assert!(close(&fx, ANNA, a1, date!(2026 - 11 - 20)).is_ok());
    answer(&fx, p2, Accepted);
}

#[test]
fn the_need_status_follows_its_proposals() {
    let fx = fixture();
    let (f1, f2, f3) = (bruno_family(&fx, 2), bruno_family(&fx, 2), bruno_family(&fx, 2));
    let need = anna_need(&fx);
    assert_eq!(need_status(&fx, need), NeedStatus::Open);

    let created = fx.saved(ANNA, Request::ProposalCreate { need, family: f1, note: String::new() });
    assert_eq!(created.also_changed, vec![need.to_string()], "the need moves in the same transaction");
    let p1 = proposal_code(&created);
    assert_eq!(need_status(&fx, need), NeedStatus::Matching);
    let p2 = propose(&fx, ANNA, need, f2);
    // The same family twice is refused.
    let twice = fx.handle(ANNA, Request::ProposalCreate { need, family: f2, note: String::new() });
    assert_eq!(refused(twice), Refusal::AlreadyProposed { proposal: p2, status: Proposed });
    answer(&fx, p1, UnderReview);
    assert_eq!(need_status(&fx, need), NeedStatus::Matching);
    answer(&fx, p1, Accepted);
    assert_eq!(need_status(&fx, need), NeedStatus::Matched);

    // Matched: no other family may be proposed or accepted until it falls through.
    let again = fx.handle(ANNA, Request::ProposalCreate { need, family: f3, note: String::new() });
    assert_eq!(refused(again), Refusal::NeedAlreadyMatched { need, proposal: p1 });
    assert_eq!(refused(step(&fx, BRUNO, p2, Accepted, "")), Refusal::NeedAlreadyMatched { need, proposal: p1 });

    // The family changes its mind after accepting: another proposal still waits.
    assert!(step(&fx, BRUNO, p1, Declined, "la famiglia si trasferisce").is_ok());
    assert_eq!(need_status(&fx, need), NeedStatus::Matching);
    assert!(step(&fx, ANNA, p2, Withdrawn, "troppo lontano dalla scuola").is_ok());
    assert_eq!(need_status(&fx, need), NeedStatus::Open);

    // A family that declined may be proposed again; this time it starts.
    let p3 = accepted(&fx, need, f1);
    assert_eq!(need_status(&fx, need), NeedStatus::Matched);
    started(&fx, p3, date!(2026 - 11 - 20));
    let view = fx.need(CARLA, need);
    assert_eq!(view.placement.status, NeedStatus::Closed);
    assert_eq!(view.placement.closing_reason, Some(ClosingReason::PlacementStarted));
    // A closed need is matched no more.
    let r = fx.handle(ANNA, Request::MatchNeed { need, limit: 10, why_not: None, hosts: banca::api::Hosts::Families });
    assert_eq!(refused(r), Refusal::NeedClosed { need });
    let r = fx.handle(ANNA, Request::ProposalCreate { need, family: f3, note: String::new() });
    assert_eq!(refused(r), Refusal::NeedClosed { need });
}

#[test]
fn a_sibling_group_moves_together_and_is_placed_together() {
    let fx = fixture();
    let family = bruno_family(&fx, 2);
    let sister = anna_need(&fx);
    let mut b = need_input();
    b.placement.siblings = vec![sister];
    let brother = fx.create_need(ANNA, b);
    let p = propose(&fx, ANNA, sister, family);
    for n in [sister, brother] {
        assert_eq!(need_status(&fx, n), NeedStatus::Matching);
    }
    answer(&fx, p, Accepted);
    for n in [sister, brother] {
        assert_eq!(need_status(&fx, n), NeedStatus::Matched);
    }
    let a = started(&fx, p, date!(2026 - 11 - 20));
    let placed = placement(&fx, a).record;
    assert_eq!((placed.places(), placed.family, placed.needs), (2, Some(family), vec![sister, brother]));
    for n in [sister, brother] {
        let v = fx.need(CARLA, n);
        assert_eq!(
            (v.placement.status, v.placement.closing_reason),
            (NeedStatus::Closed, Some(ClosingReason::PlacementStarted))
        );
    }
}

#[test]
fn starting_a_placement_withdraws_the_other_proposals_for_the_child() {
    let fx = fixture();
    let (f1, f2, f3) = (bruno_family(&fx, 2), bruno_family(&fx, 2), anna_family(&fx, 2));
    let need = anna_need(&fx);
    // Three families proposed for one child; one accepts.
    let p1 = propose(&fx, ANNA, need, f1);
    let p2 = propose(&fx, ANNA, need, f2);
    answer(&fx, p2, UnderReview);
    let p3 = propose(&fx, ANNA, need, f3);
    answer(&fx, p1, Accepted);
    // Another child's proposal with the same family is not touched.
    let other_need = anna_need(&fx);
    let p4 = propose(&fx, ANNA, other_need, f2);

    let saved = match start(&fx, ANNA, p1, date!(2026 - 11 - 20)) {
        Ok(Reply::Saved(s)) => s,
        other => panic!("expected Saved, got {other:?}"),
    };
    let a = placement_code(&saved);
    assert_eq!(a.to_string(), "A-2026-0001");
    assert_eq!(saved.also_changed, vec![p1.to_string(), p2.to_string(), p3.to_string(), need.to_string()]);
    let p1r = proposal(&fx, p1).record;
    assert_eq!((p1r.status, p1r.placement), (Started, Some(a)));
    for p in [p2, p3] {
        let r = proposal(&fx, p).record;
        assert_eq!(r.status, Withdrawn);
        let last = r.last_step().unwrap();
        assert_eq!(last.by, ANNA);
        // Why, typed: each reader words it in their language.
        assert_eq!(last.note, "");
        assert_eq!(last.cause, Some(StepCause::PlacedElsewhere { proposal: p1, placement: a }));
    }
    assert_eq!(proposal(&fx, p4).record.status, Proposed);
    assert_eq!(need_status(&fx, other_need), NeedStatus::Matching);
    // The withdrawn ones hold nothing: both families still have their two places.
    let other = ranking(&fx, other_need, None);
    for f in [f2, f3] {
        let c = other.candidates.iter().find(|c| c.family.code == f).expect("still a candidate");
        assert_eq!(c.free_places, 2);
    }
    let c2 = other.candidates.iter().find(|c| c.family.code == f2).unwrap();
    assert_eq!(c2.proposed, Some((p4, Proposed)));
}

#[test]
fn the_race_for_the_last_place_withdraws_the_proposals_that_no_longer_fit() {
    let fx = fixture();
    // Bruno's family has two places. Three of anna's children are proposed:
    // n1 alone, n2 alone, and the siblings n3+n4 (two places).
    let family = bruno_family(&fx, 2);
    let (n1, n2) = (anna_need(&fx), anna_need(&fx));
    let n3 = anna_need(&fx);
    let mut b = need_input();
    b.placement.siblings = vec![n3];
    let n4 = fx.create_need(ANNA, b);
    let p1 = propose(&fx, ANNA, n1, family);
    let p2 = propose(&fx, ANNA, n2, family);
    let group = propose(&fx, ANNA, n3, family);
    assert_eq!(proposal(&fx, group).record.needs, vec![n3, n4]);
    // n2 is also proposed to another family: it keeps that proposal.
    let elsewhere = anna_family(&fx, 1);
    let p2_elsewhere = propose(&fx, ANNA, n2, elsewhere);

    // p1 accepted: one place left. The group (2 children) no longer fits; p2 (1) does.
    let saved = answer(&fx, p1, Accepted);
    assert_eq!(saved.also_changed, vec![n1.to_string(), group.to_string(), n3.to_string(), n4.to_string()]);
    let g = proposal(&fx, group).record;
    assert_eq!(g.status, Withdrawn);
    let last = g.last_step().unwrap();
    // Taken by the bank, named by what took the places: never an operator of a third service.
    assert_eq!((last.by.as_str(), last.note.as_str()), (p1.to_string().as_str(), ""));
    assert_eq!(last.cause, Some(StepCause::NoPlaceLeft { family, by: PlaceTaker::Proposal(p1) }));
    assert_eq!((need_status(&fx, n3), need_status(&fx, n4)), (NeedStatus::Open, NeedStatus::Open));
    assert_eq!(proposal(&fx, p2).record.status, Proposed);

    // p2 accepted: no place left, nothing else pending for this family.
    answer(&fx, p2, Accepted);
    // A proposal made now for the full family waits; the first placement to start withdraws it.
    let n5 = anna_need(&fx);
    let late = propose(&fx, ANNA, n5, family);
    let a1 = started(&fx, p1, date!(2026 - 11 - 01));
    let l = proposal(&fx, late).record;
    assert_eq!(l.status, Withdrawn);
    assert_eq!(l.last_step().unwrap().cause, Some(StepCause::NoPlaceLeft { family, by: PlaceTaker::Placement(a1) }));
    assert_eq!(need_status(&fx, n5), NeedStatus::Open);
    // p2's placement starts through the same rule as before: its other proposal is placed elsewhere.
    let a2 = started(&fx, p2, date!(2026 - 11 - 02));
    let e = proposal(&fx, p2_elsewhere).record;
    assert_eq!(e.last_step().unwrap().cause, Some(StepCause::PlacedElsewhere { proposal: p2, placement: a2 }));

    // Each withdrawal is a step of its own in the audit log (newest first), by the operator whose step caused it.
    let steps: Vec<(AuditAction, String, Vec<String>)> =
        audit(&fx, &group.to_string()).into_iter().map(|e| (e.action, e.actor, e.fields)).collect();
    assert_eq!(
        steps,
        vec![
            (AuditAction::ProposalStep, BRUNO.to_string(), vec!["withdrawn".to_string()]),
            (AuditAction::Create, ANNA.to_string(), vec![]),
        ]
    );
}

#[test]
fn a_withdrawal_for_lack_of_places_is_worded_on_the_proposal_card() {
    let cause = StepCause::NoPlaceLeft {
        family: FamilyCode::new(2026, 31),
        by: PlaceTaker::Placement(PlacementCode::new(2026, 4)),
    };
    assert_eq!(
        banca::present::record::step_cause(&cause, banca::i18n::Lang::It),
        "la famiglia F-2026-0031 non ha più posti (affido A-2026-0004)"
    );
    let cause = StepCause::NoPlaceLeft {
        family: FamilyCode::new(2026, 31),
        by: PlaceTaker::Proposal(ProposalCode::new(2026, 7)),
    };
    assert_eq!(
        banca::present::record::step_cause(&cause, banca::i18n::Lang::En),
        "family F-2026-0031 has no place left (proposal P-2026-0007 accepted)"
    );
}

#[test]
fn a_family_at_capacity_is_no_candidate_until_its_placement_closes() {
    let fx = fixture();
    let family = bruno_family(&fx, 1);
    let (placed, waiting) = (anna_need(&fx), anna_need(&fx));
    let before = ranking(&fx, waiting, None);
    assert!(before.candidates.iter().any(|c| c.family.code == family && c.free_places == 1));

    let p = accepted(&fx, placed, family);
    // An accepted proposal already holds the place.
    let r = ranking(&fx, waiting, Some(family));
    assert!(r.candidates.iter().all(|c| c.family.code != family));
    assert_eq!(r.why_not.unwrap().exclusions, vec![Exclusion::Capacity { free: 0, needed: 1 }]);
    assert_eq!(r.excluded, vec![(HardRule::Capacity, 1)]);

    let a = started(&fx, p, date!(2026 - 11 - 01));
    let r = ranking(&fx, waiting, Some(family));
    assert!(r.candidates.iter().all(|c| c.family.code != family));
    assert_eq!(r.why_not.unwrap().exclusions, vec![Exclusion::Capacity { free: 0, needed: 1 }]);
    match fx.ok(BRUNO, Request::MatchFamily { family, limit: 10 }) {
        Reply::FamilyMatches(m) => assert_eq!((m.free_places, m.needs.len()), (0, 0)),
        other => panic!("expected FamilyMatches, got {other:?}"),
    }

    assert!(close(&fx, ANNA, a, date!(2026 - 11 - 20)).is_ok());
    let r = ranking(&fx, waiting, Some(family));
    let c = r.candidates.iter().find(|c| c.family.code == family).expect("a candidate again");
    assert_eq!(c.free_places, 1);
    assert!(r.why_not.unwrap().exclusions.is_empty());
}

#[test]
fn a_closed_placement_counts_as_experience_of_its_kind() {
    let fx = fixture();
    let family = bruno_family(&fx, 2);
    let first = anna_need(&fx);
    let next = anna_need(&fx);
    let mut d = need_input();
    d.placement.kind = PlacementKind::Daytime;
    let daytime = fx.create_need(ANNA, d);
    let experience = |need| {
        let r = ranking(&fx, need, Some(family));
        let v = r.why_not.unwrap();
        let fact = |k| v.criteria.iter().find(|c| c.kind == k).map(|c| c.fact.clone()).unwrap();
        (fact(CriterionKind::Experience), fact(CriterionKind::Waiting))
    };
    let trained = true;
    assert_eq!(
        experience(next),
        (
            Fact::Experience { similar: 0, kind: PlacementKind::Residential, trained, groups: 0 },
            Fact::Waiting { months: 21, since_placement: false }
        )
    );

    let a = started(&fx, accepted(&fx, first, family), date!(2026 - 09 - 01));
    assert!(close(&fx, ANNA, a, date!(2026 - 11 - 20)).is_ok());
    assert_eq!(
        experience(next),
        (
            Fact::Experience { similar: 1, kind: PlacementKind::Residential, trained, groups: 0 },
            Fact::Waiting { months: 0, since_placement: true }
        )
    );
    // A residential placement is no experience of daytime ones.
    assert_eq!(
        experience(daytime).0,
        Fact::Experience { similar: 0, kind: PlacementKind::Daytime, trained, groups: 0 }
    );
}

#[test]
fn reviews_and_closing_are_checked_against_the_calendar_and_the_plan() {
    let fx = fixture();
    let family = bruno_family(&fx, 2);
    let p = accepted(&fx, anna_need(&fx), family);
    // A placement may be recorded a little ahead (three months), not more;
    // late, but not before 1990.
    let since_1990 = |latest| Reason::DateOutOfRange { earliest: DateLimit::On(date!(1990 - 01 - 01)), latest };
    assert_eq!(
        problems(start(&fx, ANNA, p, date!(2027 - 03 - 01))),
        vec![Problem::new(Field::PlanStart, since_1990(DateLimit::On(date!(2027 - 02 - 23))))]
    );
    assert_eq!(
        problems(start(&fx, ANNA, p, date!(1985 - 03 - 01))),
        vec![Problem::new(Field::PlanStart, since_1990(DateLimit::On(date!(2027 - 02 - 23))))]
    );
    let a = started(&fx, p, date!(2026 - 10 - 01));
    let not_after_start = Reason::NotAfter { other_field: Field::PlanStart };

    assert_eq!(
        problems(review(&fx, BRUNO, a, date!(2026 - 11 - 24), "domani")),
        vec![Problem::new(Field::ReviewDate, since_1990(DateLimit::Today))]
    );
    assert_eq!(
        problems(review(&fx, BRUNO, a, date!(2026 - 09 - 30), "prima")),
        vec![Problem::new(Field::ReviewDate, not_after_start.clone())]
    );
    assert_eq!(
        problems(review(&fx, BRUNO, a, date!(2026 - 11 - 01), "  ")),
        vec![Problem::new(Field::ReviewNote, Reason::Required)]
    );
    match review(&fx, BRUNO, a, date!(2026 - 11 - 01), "il bambino si è ambientato") {
        Ok(Reply::Saved(s)) => assert_eq!((s.revision, s.changed), (2, vec!["reviews".to_string()])),
        other => panic!("expected Saved, got {other:?}"),
    }

    assert_eq!(
        problems(close(&fx, ANNA, a, date!(2026 - 12 - 01))),
        vec![Problem::new(Field::ClosingDate, since_1990(DateLimit::Today))]
    );
    assert_eq!(
        problems(close(&fx, ANNA, a, date!(2026 - 09 - 15))),
        vec![Problem::new(Field::ClosingDate, not_after_start)]
    );
    assert!(placement(&fx, a).record.is_active(), "nothing was saved");
    assert!(close(&fx, ANNA, a, date!(2026 - 11 - 23)).is_ok());
    let closed = placement(&fx, a).record;
    let closing = closed.closing.expect("closed");
    assert_eq!(
        (closing.date, closing.outcome, closing.by.as_str()),
        (date!(2026 - 11 - 23), PlacementOutcome::ReturnHome, ANNA)
    );
    assert_eq!(closed.reviews.len(), 1);

    // A closed placement is history.
    assert_eq!(refused(review(&fx, BRUNO, a, date!(2026 - 11 - 23), "dopo")), Refusal::PlacementClosed { code: a });
    assert_eq!(refused(close(&fx, ANNA, a, date!(2026 - 11 - 23))), Refusal::PlacementClosed { code: a });
}

#[test]
fn every_step_is_in_the_audit_log() {
    let fx = fixture();
    let family = bruno_family(&fx, 2);
    let need = anna_need(&fx);
    let p = accepted(&fx, need, family);
    let a = started(&fx, p, date!(2026 - 11 - 01));
    assert!(review(&fx, BRUNO, a, date!(2026 - 11 - 15), "primo incontro").is_ok());
    assert!(close(&fx, ANNA, a, date!(2026 - 11 - 22)).is_ok());
    let declined = propose(&fx, ANNA, anna_need(&fx), family);
    answer(&fx, declined, Declined);

    let summary = |entries: Vec<AuditEntry>| -> Vec<(AuditAction, String, Vec<String>)> {
        entries.into_iter().map(|e| (e.action, e.actor, e.fields)).collect()
    };
    let s = |x: &str| x.to_string();
    // Newest first.
    assert_eq!(
        summary(audit(&fx, &p.to_string())),
        vec![
            (AuditAction::ProposalStep, s(ANNA), vec![s("started")]),
            (AuditAction::ProposalStep, s(BRUNO), vec![s("accepted")]),
            (AuditAction::ProposalStep, s(BRUNO), vec![s("under_review")]),
            (AuditAction::Create, s(ANNA), vec![]),
        ]
    );
    assert_eq!(
        summary(audit(&fx, &a.to_string())),
        vec![
            (AuditAction::Update, s(ANNA), vec![s("closing")]),
            (AuditAction::Update, s(BRUNO), vec![s("reviews")]),
            (AuditAction::Create, s(ANNA), vec![]),
        ]
    );
    assert_eq!(
        summary(audit(&fx, &declined.to_string())),
        vec![(AuditAction::ProposalStep, s(BRUNO), vec![s("declined")]), (AuditAction::Create, s(ANNA), vec![])]
    );
    // The need's status changes are on record too, by whoever moved it.
    let need_entries = summary(audit(&fx, &need.to_string()));
    let moves: Vec<(String, Vec<String>)> =
        need_entries.iter().filter(|e| e.0 == AuditAction::Update).map(|e| (e.1.clone(), e.2.clone())).collect();
    assert_eq!(
        moves,
        vec![
            (s(ANNA), vec![s("placement.closing_reason"), s("placement.status")]),
            (s(BRUNO), vec![s("placement.status")]),
            (s(ANNA), vec![s("placement.status")]),
        ]
    );
    assert!(fx.audit_verified(ADMIN) > FIXTURE_AUDIT_ENTRIES);
}

#[test]
fn declined_and_withdrawn_proposals_stay_visible_to_both_services_with_their_reasons() {
    let fx = fixture();
    let family = bruno_family(&fx, 2);
    let need = anna_need(&fx);
    let declined = propose(&fx, ANNA, need, family);
    assert!(step(&fx, BRUNO, declined, Declined, "la famiglia ha un lutto").is_ok());
    let withdrawn = propose(&fx, ANNA, need, family);
    assert!(step(&fx, ANNA, withdrawn, Withdrawn, "il bambino rientra a casa").is_ok());

    for user in [ANNA, BRUNO, CARLA] {
        let list = match fx.ok(user, Request::ProposalList { filter: ProposalFilter::default() }) {
            Reply::Proposals(v) => v,
            other => panic!("expected Proposals, got {other:?}"),
        };
        let seen: Vec<(ProposalCode, ProposalStatus, String)> =
            list.iter().map(|p| (p.record.code, p.record.status, p.record.last_step().unwrap().note.clone())).collect();
        assert_eq!(
            seen,
            vec![
                (withdrawn, Withdrawn, "il bambino rientra a casa".into()),
                (declined, Declined, "la famiglia ha un lutto".into()),
            ],
            "{user}"
        );
        let ended = ProposalFilter { active: Some(false), ..Default::default() };
        assert_eq!(proposals(&fx, user, ended), vec![withdrawn, declined], "{user}");
        let active = ProposalFilter { active: Some(true), ..Default::default() };
        assert!(proposals(&fx, user, active).is_empty(), "{user}");
    }
    // Their whole history stays: who proposed, who declined, when and why.
    let history = proposal(&fx, declined).record.steps;
    assert_eq!(
        history.iter().map(|s| (s.status, s.by.as_str(), s.note.as_str())).collect::<Vec<_>>(),
        vec![(Proposed, ANNA, "famiglia vicina alla scuola"), (Declined, BRUNO, "la famiglia ha un lutto")]
    );
}

/// P1: anna's child → bruno's family; P2: bruno's child → anna's family;
/// P3: anna's child → anna's family. All three start; A1 closes.
struct TwoWays {
    fx: Fixture,
    anna_child: NeedCode,
    bruno_child: NeedCode,
    anna_fam: FamilyCode,
    bruno_fam: FamilyCode,
    own_fam: FamilyCode,
    p: [ProposalCode; 3],
    a: [PlacementCode; 3],
}

fn two_ways() -> TwoWays {
    let fx = fixture();
    let (bruno_fam, anna_fam, own_fam) = (bruno_family(&fx, 2), anna_family(&fx, 2), anna_family(&fx, 2));
    let (anna_child, bruno_child, own_child) = (anna_need(&fx), bruno_need(&fx), anna_need(&fx));
    let p1 = accepted(&fx, anna_child, bruno_fam);
    let p2 = propose(&fx, BRUNO, bruno_child, anna_fam);
    assert!(step(&fx, ANNA, p2, Accepted, "").is_ok());
    let p3 = propose(&fx, ANNA, own_child, own_fam);
    assert!(step(&fx, ANNA, p3, Accepted, "").is_ok());
    let a1 = started(&fx, p1, date!(2026 - 10 - 01));
    let a2 = match fx
        .handle(BRUNO, Request::PlacementStart { proposal: p2, base_revision: 2, plan: plan(date!(2026 - 10 - 05)) })
    {
        Ok(Reply::Saved(s)) => placement_code(&s),
        other => panic!("bruno starts: {other:?}"),
    };
    let a3 = started(&fx, p3, date!(2026 - 10 - 10));
    assert!(review(&fx, BRUNO, a1, date!(2026 - 11 - 01), "bene").is_ok());
    assert!(close(&fx, ANNA, a1, date!(2026 - 11 - 20)).is_ok());
    TwoWays { fx, anna_child, bruno_child, anna_fam, bruno_fam, own_fam, p: [p1, p2, p3], a: [a1, a2, a3] }
}

#[test]
fn inbox_and_outbox_show_what_each_service_received_and_sent() {
    let t = two_ways();
    let fx = &t.fx;
    let [p1, p2, p3] = t.p;
    let f = |direction: Option<Direction>| ProposalFilter { direction, ..Default::default() };
    // Newest first. Anna's inbox: proposals for S-001's families; outbox: for S-001's children.
    assert_eq!(proposals(fx, ANNA, f(Some(Direction::Inbox))), vec![p3, p2]);
    assert_eq!(proposals(fx, ANNA, f(Some(Direction::Outbox))), vec![p3, p1]);
    assert_eq!(proposals(fx, ANNA, f(None)), vec![p3, p2, p1]);
    assert_eq!(proposals(fx, BRUNO, f(Some(Direction::Inbox))), vec![p1]);
    assert_eq!(proposals(fx, BRUNO, f(Some(Direction::Outbox))), vec![p2]);
    assert_eq!(proposals(fx, BRUNO, f(None)), vec![p2, p1]);
    // The coordination sees every service's, or one service's when it asks.
    assert_eq!(proposals(fx, CARLA, f(None)), vec![p3, p2, p1]);
    let s2_inbox = ProposalFilter { service: Some(S2), direction: Some(Direction::Inbox), ..Default::default() };
    assert_eq!(proposals(fx, CARLA, s2_inbox), vec![p1]);
    // Other filters.
    let by_need = ProposalFilter { need: Some(t.bruno_child), ..Default::default() };
    assert_eq!(proposals(fx, CARLA, by_need), vec![p2]);
    let by_family = ProposalFilter { family: Some(t.own_fam), ..Default::default() };
    assert_eq!(proposals(fx, CARLA, by_family), vec![p3]);
    let by_status = ProposalFilter { status: Some(Started), limit: Some(2), ..Default::default() };
    assert_eq!(proposals(fx, CARLA, by_status), vec![p3, p2]);
    let _ = (t.anna_child, t.anna_fam, t.bruno_fam);
}

#[test]
fn placements_are_listed_by_family_need_and_service() {
    let t = two_ways();
    let fx = &t.fx;
    let [a1, a2, a3] = t.a;
    let all = PlacementFilter::default();
    assert_eq!(placements(fx, all), vec![a3, a2, a1]);
    // A service sees the placements of its children and of its families.
    assert_eq!(placements(fx, PlacementFilter { service: Some(S2), ..Default::default() }), vec![a2, a1]);
    assert_eq!(placements(fx, PlacementFilter { service: Some(S1), ..Default::default() }), vec![a3, a2, a1]);
    assert_eq!(placements(fx, PlacementFilter { family: Some(t.anna_fam), ..Default::default() }), vec![a2]);
    assert_eq!(placements(fx, PlacementFilter { family: Some(t.bruno_fam), ..Default::default() }), vec![a1]);
    assert_eq!(placements(fx, PlacementFilter { need: Some(t.anna_child), ..Default::default() }), vec![a1]);
    assert_eq!(placements(fx, PlacementFilter { active: Some(true), ..Default::default() }), vec![a3, a2]);
    assert_eq!(placements(fx, PlacementFilter { active: Some(false), ..Default::default() }), vec![a1]);
    assert_eq!(placements(fx, PlacementFilter { limit: Some(1), ..Default::default() }), vec![a3]);
    let p = placement(fx, a2).record;
    assert_eq!((p.proposal, p.need_service, p.family_service, p.needs), (t.p[1], S2, S1, vec![t.bruno_child]));
}

#[test]
fn an_export_restores_proposals_and_placements_and_a_dangling_placement_is_refused() {
    let t = two_ways();
    // Something pending, declined and withdrawn too.
    let pending = propose(&t.fx, ANNA, anna_need(&t.fx), t.bruno_fam);
    answer(&t.fx, pending, UnderReview);
    let declined = propose(&t.fx, BRUNO, bruno_need(&t.fx), t.anna_fam);
    assert!(step(&t.fx, ANNA, declined, Declined, "nessun posto adatto").is_ok());

    let lines = match t.fx.ok(ADMIN, Request::Export) {
        Reply::Export { lines } => lines,
        other => panic!("expected Export, got {other:?}"),
    };
    let (dir, restored) = empty_bank();
    let restored = Fixture { dir, bank: Arc::new(restored) };
    match restored.as_server_user(ADMIN, Request::Import { lines: lines.clone() }).expect("imported") {
        Reply::Imported(summary) => assert_eq!((summary.proposals, summary.placements), (5, 3)),
        other => panic!("expected Imported, got {other:?}"),
    }
    let everything = |fx: &Fixture| {
        let p = match fx.ok(CARLA, Request::ProposalList { filter: ProposalFilter::default() }) {
            Reply::Proposals(v) => v,
            other => panic!("expected Proposals, got {other:?}"),
        };
        let a = match fx.ok(CARLA, Request::PlacementList { filter: PlacementFilter::default() }) {
            Reply::Placements(v) => v,
            other => panic!("expected Placements, got {other:?}"),
        };
        (p, a)
    };
    assert_eq!(everything(&restored), everything(&t.fx));
    // The restored bank knows what holds the places: the same rankings.
    let child = anna_need(&t.fx);
    let twin = anna_need(&restored);
    assert_eq!(child, twin, "numbering goes on after the restored codes");
    let shown = |fx: &Fixture| {
        let r = ranking(fx, child, None);
        r.candidates.iter().map(|c| (c.family.code, c.score, c.free_places)).collect::<Vec<_>>()
    };
    assert_eq!(shown(&restored), shown(&t.fx));
    // The restored bank goes on where the old one stopped.
    answer(&restored, pending, Accepted);

    // Importing again into a bank that is no longer empty is refused.
    assert_eq!(restored.err(ADMIN, Request::Import { lines: lines.clone() }), BankError::NotEmpty);

    // A placement naming a proposal the file does not have is refused, on its line.
    let mut forged = lines.clone();
    let line = forged.iter().position(|l| l.starts_with("{\"placement\"")).expect("a placement line");
    let mut v: serde_json::Value = serde_json::from_str(&forged[line]).unwrap();
    v["placement"]["record"]["proposal"] = serde_json::json!("P-2026-0099");
    forged[line] = serde_json::from_value::<banca::bank::ExportLine>(v).unwrap().to_json();
    reseal(&mut forged);
    let (dir, other) = empty_bank();
    let other = Fixture { dir, bank: Arc::new(other) };
    assert_eq!(
        other.as_server_user(ADMIN, Request::Import { lines: forged }).unwrap_err(),
        BankError::ImportRejected(vec![LineProblem {
            line: line + 1,
            problem: LineFault::Invalid(vec![Problem::new(
                Field::Proposal,
                Reason::UnknownCode { code: "P-2026-0099".into() }
            )]),
        }])
    );
    assert!(other.bank.store().is_empty(), "nothing was written");
}

/// The child's service closes a need (another solution was found) while a
/// family is still being proposed for it.
fn close_need(fx: &Fixture, need: NeedCode) {
    let (rev, mut input) = fx.need_as_input(need);
    input.placement.status = NeedStatus::Closed;
    input.placement.closing_reason = Some(ClosingReason::OtherSolution);
    fx.saved(ANNA, Request::NeedUpdate { code: need, base_revision: rev, input });
}

#[test]
fn a_need_closed_by_its_service_withdraws_its_pending_proposals_and_gives_the_place_back() {
    let fx = fixture();
    let family = bruno_family(&fx, 1);
    let need = anna_need(&fx);
    let pending = propose(&fx, ANNA, need, family);
    close_need(&fx, need);
    // Withdrawn with the service's reason: it leaves bruno's inbox, and no step goes further.
    let withdrawn = match fx.ok(BRUNO, Request::ProposalGet { code: pending }) {
        Reply::Proposal(p) => p.record,
        other => panic!("expected Proposal, got {other:?}"),
    };
    assert_eq!(withdrawn.status, Withdrawn);
    let last = withdrawn.steps.last().expect("a step");
    assert_eq!(last.by, ANNA);
    assert_eq!(last.note, "");
    assert_eq!(last.cause, Some(StepCause::NeedClosed { need, reason: Some(ClosingReason::OtherSolution) }));
    for to in [UnderReview, Accepted] {
        assert!(matches!(refused(step(&fx, BRUNO, pending, to, "")), Refusal::ProposalTransition { .. }));
    }

    // Accepted before the need closed: the place is given back at once, and no placement starts.
    let need = anna_need(&fx);
    let p = accepted(&fx, need, family);
    match fx.ok(BRUNO, Request::MatchFamily { family, limit: 10 }) {
        Reply::FamilyMatches(m) => assert_eq!(m.free_places, 0),
        other => panic!("expected FamilyMatches, got {other:?}"),
    }
    close_need(&fx, need);
    assert!(matches!(refused(start(&fx, ANNA, p, date!(2026 - 11 - 20))), Refusal::ProposalTransition { .. }));
    let view = fx.need(CARLA, need);
    assert_eq!(view.placement.closing_reason, Some(ClosingReason::OtherSolution), "the service's reason stays");
    assert!(placements(&fx, PlacementFilter::default()).is_empty());
    match fx.ok(BRUNO, Request::MatchFamily { family, limit: 10 }) {
        Reply::FamilyMatches(m) => assert_eq!(m.free_places, 1),
        other => panic!("expected FamilyMatches, got {other:?}"),
    }
}

/// The needs of anna's service with `status`, as its list gives them.
fn needs_with_status(fx: &Fixture, status: NeedStatus) -> Vec<NeedCode> {
    let filter = banca::api::NeedFilter { status: Some(status), ..Default::default() };
    match fx.ok(ANNA, Request::NeedList { filter }) {
        Reply::Needs(page) => page.items.iter().map(|n| n.code).collect(),
        other => panic!("expected Needs, got {other:?}"),
    }
}

#[test]
fn closing_one_sibling_gives_the_other_back_its_open_status_at_once() {
    let fx = fixture();
    let family = bruno_family(&fx, 2);
    let sister = anna_need(&fx);
    let mut b = need_input();
    b.placement.siblings = vec![sister];
    let brother = fx.create_need(ANNA, b);
    let p = accepted(&fx, sister, family);
    for n in [sister, brother] {
        assert_eq!(need_status(&fx, n), NeedStatus::Matched);
    }

    // The service finds another solution for the sister alone.
    let (rev, mut input) = fx.need_as_input(sister);
    input.placement.status = NeedStatus::Closed;
    input.placement.closing_reason = Some(ClosingReason::OtherSolution);
    let saved = fx.saved(ANNA, Request::NeedUpdate { code: sister, base_revision: rev, input });

    assert_eq!(saved.also_changed, vec![p.to_string(), brother.to_string()], "withdrawn, and the brother freed");
    assert_eq!(proposal(&fx, p).record.status, Withdrawn);
    let view = fx.need(CARLA, brother);
    assert_eq!(view.placement.status, NeedStatus::Open, "no active proposal holds the brother any more");
    assert_eq!(view.placement.siblings, vec![sister], "still the sister's brother");
    assert_eq!(needs_with_status(&fx, NeedStatus::Open), vec![brother]);
    assert!(needs_with_status(&fx, NeedStatus::Matched).is_empty());
    assert_eq!(needs_with_status(&fx, NeedStatus::Closed), vec![sister]);
    // The family's places are free again, and the brother may be proposed anew.
    match fx.ok(BRUNO, Request::MatchFamily { family, limit: 10 }) {
        Reply::FamilyMatches(m) => assert_eq!(m.free_places, 2),
        other => panic!("expected FamilyMatches, got {other:?}"),
    }
    let again = propose(&fx, ANNA, brother, family);
    assert_eq!(need_status(&fx, brother), NeedStatus::Matching);
    assert_eq!(proposal(&fx, again).record.needs, vec![brother]);
}

#[test]
fn a_sibling_let_go_and_freed_by_the_same_closing_is_written_once_with_both_changes() {
    let fx = fixture();
    let family = bruno_family(&fx, 2);
    let sister = anna_need(&fx);
    let mut b = need_input();
    b.placement.siblings = vec![sister];
    let brother = fx.create_need(ANNA, b);
    let p = accepted(&fx, sister, family);
    let before = fx.need(CARLA, brother).revision;

    // Closed, and no longer in a group with her brother, in one edit.
    let (rev, mut input) = fx.need_as_input(sister);
    input.placement.status = NeedStatus::Closed;
    input.placement.closing_reason = Some(ClosingReason::OtherSolution);
    input.placement.siblings = vec![];
    let saved = fx.saved(ANNA, Request::NeedUpdate { code: sister, base_revision: rev, input });

    assert_eq!(saved.also_changed, vec![brother.to_string(), p.to_string()]);
    let view = fx.need(CARLA, brother);
    assert_eq!((view.placement.status, view.placement.siblings.clone()), (NeedStatus::Open, vec![]));
    assert_eq!(view.revision, before + 1, "one write for both changes");
}

#[test]
fn a_family_that_does_not_fit_is_not_proposed_and_cannot_accept() {
    let fx = fixture();
    let family = bruno_family(&fx, 2);
    let need = anna_need(&fx);
    let mut girls = family_with(bergamo(), 2);
    girls.profile.sex_preference = SexPreference::Female;
    let girls_only = fx.create_family(BRUNO, girls);
    let r = fx.handle(ANNA, Request::ProposalCreate { need, family: girls_only, note: String::new() });
    assert_eq!(
        refused(r),
        Refusal::NotCandidate {
            family: girls_only,
            exclusions: vec![Exclusion::Sex { need: Some(need), sex: Sex::Male, preference: SexPreference::Female }],
        }
    );

    // Proposed while it fitted, suspended since: it cannot accept.
    let p = propose(&fx, ANNA, need, family);
    fx.take_step(BRUNO, family, StepKind::Suspension);
    assert_eq!(
        refused(step(&fx, BRUNO, p, Accepted, "")),
        Refusal::NotCandidate { family, exclusions: vec![Exclusion::Status { status: FamilyStatus::Suspended }] }
    );
    assert!(step(&fx, BRUNO, p, Declined, "famiglia sospesa").is_ok());
    assert_eq!(need_status(&fx, need), NeedStatus::Open);
}

#[test]
fn a_third_service_sees_neither_the_proposals_nor_the_placements_of_two_others() {
    let fx = fixture();
    let s3 = fx.saved(
        ADMIN,
        Request::ServiceCreate { input: service_input("Servizio Affidi Ambito di Seriate", BERGAMO_AMBIT) },
    );
    let s3 = ServiceCode::parse(&s3.code).expect("service code");
    fx.saved(
        ADMIN,
        Request::OperatorCreate {
            user: "elena".into(),
            input: operator_input("Elena Operatrice", Role::Operator, Some(s3)),
        },
    );
    let family = bruno_family(&fx, 1);
    let need = anna_need(&fx);
    let p = accepted(&fx, need, family);
    let a = started(&fx, p, date!(2026 - 11 - 20));

    assert_eq!(forbidden(fx.handle("elena", Request::ProposalGet { code: p })), "proposal.read");
    assert_eq!(forbidden(fx.handle("elena", Request::PlacementGet { code: a })), "placement.read");
    assert!(proposals(&fx, "elena", ProposalFilter::default()).is_empty());
    match fx.ok("elena", Request::PlacementList { filter: PlacementFilter::default() }) {
        Reply::Placements(list) => assert!(list.is_empty(), "{list:?}"),
        other => panic!("expected Placements, got {other:?}"),
    }
    // Both services involved, their reader and the coordination follow it.
    for user in [ANNA, BRUNO, DARIO, CARLA] {
        assert_eq!(proposals(&fx, user, ProposalFilter::default()), vec![p], "{user}");
        assert!(matches!(fx.ok(user, Request::PlacementGet { code: a }), Reply::Placement(_)), "{user}");
    }
}

#[test]
fn a_placement_holds_fifty_reviews_and_refuses_the_fifty_first() {
    let fx = fixture();
    let family = bruno_family(&fx, 2);
    let a = started(&fx, accepted(&fx, anna_need(&fx), family), date!(2026 - 10 - 01));
    for _ in 0..50 {
        assert!(review(&fx, BRUNO, a, date!(2026 - 11 - 01), "verifica").is_ok());
    }
    assert_eq!(
        problems(review(&fx, BRUNO, a, date!(2026 - 11 - 02), "una di troppo")),
        vec![Problem::new(Field::Reviews, Reason::TooMany { max: 50 })]
    );
    assert_eq!(placement(&fx, a).record.reviews.len(), 50);
}
