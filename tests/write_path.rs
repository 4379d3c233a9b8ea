//! The one write path every record kind goes through (src/bank/write.rs),
//! through real requests: a saved record is found and ranked with its new
//! values at once, without being read back from the store; a write based
//! on an old revision is refused as a conflict on every kind; and a
//! refused write leaves the store, the indexes and the audit log as they
//! were; whom a change concerns is known from the records written.
//!
//! The child is anna's (S-001, Dalmine), the family bruno's (S-002,
//! Bergamo), as in tests/proposals.rs. All names are synthetic.

mod common;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use banca::api::{BankError, Change, Event, NeedRanking, Reply, Request, Response, Saved};
use banca::bank::{Actor, Committed, Involved};
use banca::matching::HardRule;
use banca::model::*;
use banca::store::{reads_here, TreeId};
use common::*;
use time::macros::date;

// ---------------------------------------------------------------------------
// Helpers

/// An approved family in `comune`: residential and daytime, children 0–10, two places.
fn approved_family(comune: ComuneCode) -> FamilyInput {
    let mut f = family_input();
    f.profile.comune = comune;
    f.profile.status = FamilyStatus::Approved;
    f.profile.approved_on = Some(date!(2025 - 02 - 01));
    f.profile.kinds = BTreeSet::from([PlacementKind::Residential, PlacementKind::Daytime]);
    f.profile.max_distance_km = None;
    f
}

fn ranking(fx: &Fixture, need: NeedCode, why_not: Option<FamilyCode>) -> NeedRanking {
    match fx.ok(ANNA, Request::MatchNeed { need, limit: 20, why_not, hosts: banca::api::Hosts::Families }) {
        Reply::NeedMatches(r) => *r,
        other => panic!("expected NeedMatches, got {other:?}"),
    }
}

/// The families ranked for `need`, best first, with their scores.
fn ranked(fx: &Fixture, need: NeedCode) -> Vec<(FamilyCode, u8)> {
    ranking(fx, need, None).candidates.iter().map(|c| (c.family.code, c.score)).collect()
}

/// The codes search finds for `user`.
fn found(fx: &Fixture, user: &str, query: &str) -> Vec<String> {
    match fx.ok(user, Request::Search { query: query.into(), limit: 20 }) {
        Reply::Found(r) => r.hits.into_iter().map(|h| h.code).collect(),
        other => panic!("expected Found, got {other:?}"),
    }
}

/// `bank.handle` on this thread, so that `reads_here` counts what it read.
fn handle_here(fx: &Fixture, user: &str, request: Request) -> Response {
    fx.bank.handle(&Actor::new(user), request)
}

fn saved(response: Response) -> Saved {
    match response {
        Ok(Reply::Saved(s)) => s,
        other => panic!("expected Saved, got {other:?}"),
    }
}

/// The conflict a write was refused with: (code, based on, current, changed by).
fn conflict(response: Response) -> (String, u64, u64, String) {
    match response {
        Err(BankError::Conflict { code, based_on, current, changed_by, .. }) => (code, based_on, current, changed_by),
        other => panic!("expected a conflict, got {other:?}"),
    }
}

fn proposal_code(s: &Saved) -> ProposalCode {
    ProposalCode::parse(&s.code).expect("a proposal code")
}

fn plan(start: time::Date) -> FosterPlan {
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

// ---------------------------------------------------------------------------
// Tests

#[test]
fn a_saved_family_is_found_and_ranked_with_its_new_values_at_once_without_being_read_back() {
    let fx = fixture();
    let need = fx.create_need(ANNA, need_input());
    let family = fx.create_family(BRUNO, approved_family(bergamo()));
    assert_eq!(ranked(&fx, need).iter().map(|(f, _)| *f).collect::<Vec<_>>(), vec![family]);

    // Bruno renames the first adult and stops taking residential placements.
    let (base_revision, mut input) = fx.family_as_input(family);
    input.identity.adults[0].name = "Ottavia Quercioli".into();
    input.profile.kinds = BTreeSet::from([PlacementKind::Daytime]);
    let before = reads_here(TreeId::Families);
    let saved = saved(handle_here(&fx, BRUNO, Request::FamilyUpdate { code: family, base_revision, input }));
    assert_eq!(
        reads_here(TreeId::Families) - before,
        1,
        "the family is read once, to be changed; the indexes are handed the record written"
    );
    assert_eq!((saved.revision, saved.changed), (2, vec!["identity.adults".to_string(), "profile.kinds".to_string()]));

    assert_eq!(found(&fx, BRUNO, "Quercioli"), vec![family.to_string()], "found by its new name");
    assert!(!found(&fx, BRUNO, "Giulia").contains(&family.to_string()), "not by the old one");
    let r = ranking(&fx, need, Some(family));
    assert!(r.candidates.is_empty(), "a residential need no longer ranks it: {:?}", r.candidates);
    let rules: Vec<HardRule> = r.why_not.expect("a verdict").exclusions.iter().map(|e| e.rule()).collect();
    assert_eq!(rules, vec![HardRule::Kind]);
}

#[test]
fn a_sibling_group_written_in_one_transaction_is_ranked_together_at_once() {
    let fx = fixture();
    let family = fx.create_family(BRUNO, approved_family(bergamo()));
    let first = fx.create_need(ANNA, need_input());
    let mut sister = need_input();
    sister.identity.given_name = "Bimba".into();
    sister.placement.sex = Sex::Female;
    sister.placement.siblings = vec![first];

    let before = reads_here(TreeId::Needs);
    let saved = saved(handle_here(&fx, ANNA, Request::NeedCreate { input: sister }));
    // The sibling is read to check it and to join its group; neither need is read back.
    assert_eq!(reads_here(TreeId::Needs) - before, 2);
    let second = NeedCode::parse(&saved.code).expect("a need code");
    assert_eq!(saved.also_changed, vec![first.to_string()], "the sibling joined in the same write");

    assert_eq!(ranking(&fx, first, None).group, vec![first, second]);
    assert_eq!(ranking(&fx, second, None).group, vec![second, first]);
    let r = ranking(&fx, first, None);
    assert_eq!(r.candidates.iter().map(|c| c.family.code).collect::<Vec<_>>(), vec![family]);
    assert_eq!(fx.need(ANNA, first).revision, 2);
}

#[test]
fn a_write_on_an_old_revision_is_refused_as_a_conflict_on_every_kind() {
    let fx = fixture();

    let family = fx.create_family(BRUNO, approved_family(bergamo()));
    let (base, mut input) = fx.family_as_input(family);
    input.profile.household.pets = "due gatti".into();
    fx.saved(BRUNO, Request::FamilyUpdate { code: family, base_revision: base, input: input.clone() });
    input.profile.household.pets = "un cane".into();
    let refused = fx.handle(ADMIN, Request::FamilyUpdate { code: family, base_revision: base, input });
    assert_eq!(conflict(refused), (family.to_string(), 1, 2, BRUNO.to_string()));

    let need = fx.create_need(ANNA, need_input());
    let (base, mut input) = fx.need_as_input(need);
    input.placement.notes = "scuola a Dalmine".into();
    fx.saved(ANNA, Request::NeedUpdate { code: need, base_revision: base, input: input.clone() });
    input.placement.notes = "scuola a Stezzano".into();
    let refused = fx.handle(ANNA, Request::NeedUpdate { code: need, base_revision: base, input });
    assert_eq!(conflict(refused), (need.to_string(), 1, 2, ANNA.to_string()));

    let mut service = service_input(S1_NAME, DALMINE_AMBIT);
    service.phone = "035 000 0002".into();
    fx.saved(ADMIN, Request::ServiceUpdate { code: S1, base_revision: 1, input: service.clone() });
    service.phone = "035 000 0003".into();
    let refused = fx.handle(ADMIN, Request::ServiceUpdate { code: S1, base_revision: 1, input: service });
    assert_eq!(conflict(refused), ("S-001".to_string(), 1, 2, ADMIN.to_string()));

    let mut dario = operator_input("Dario Lettore", Role::Reader, Some(S1));
    dario.display_name = "Dario L.".into();
    fx.saved(ADMIN, Request::OperatorUpdate { user: DARIO.into(), base_revision: 1, input: dario.clone() });
    dario.display_name = "D. Lettore".into();
    let refused = fx.handle(ADMIN, Request::OperatorUpdate { user: DARIO.into(), base_revision: 1, input: dario });
    assert_eq!(conflict(refused), (DARIO.to_string(), 1, 2, ADMIN.to_string()));

    let mut ambit = bergamo_ambit();
    ambit.comuni.pop();
    fx.saved(ADMIN, Request::AmbitSave { input: ambit.clone(), base_revision: Some(1) });
    ambit.comuni.pop();
    let refused = fx.handle(ADMIN, Request::AmbitSave { input: ambit, base_revision: Some(1) });
    assert_eq!(conflict(refused), (BERGAMO_AMBIT.to_string(), 1, 2, ADMIN.to_string()));

    let proposal = proposal_code(&fx.saved(ANNA, Request::ProposalCreate { need, family, note: String::new() }));
    let step = |to, base_revision| Request::ProposalStep { code: proposal, base_revision, to, note: "visto".into() };
    fx.saved(BRUNO, step(ProposalStatus::UnderReview, 1));
    let refused = fx.handle(BRUNO, step(ProposalStatus::Declined, 1));
    assert_eq!(conflict(refused), (proposal.to_string(), 1, 2, BRUNO.to_string()));
    fx.saved(BRUNO, step(ProposalStatus::Accepted, 2));

    let start = |base_revision| Request::PlacementStart { proposal, base_revision, plan: plan(date!(2026 - 11 - 01)) };
    let refused = fx.handle(ANNA, start(2));
    assert_eq!(conflict(refused), (proposal.to_string(), 2, 3, BRUNO.to_string()));
    let placement = PlacementCode::parse(&fx.saved(ANNA, start(3)).code).expect("a placement code");
    let review = |base_revision, note: &str| Request::PlacementReview {
        code: placement,
        base_revision,
        date: date!(2026 - 11 - 20),
        note: note.into(),
        kind: banca::model::ReviewKind::Formal,
    };
    fx.saved(ANNA, review(1, "si ambienta bene"));
    let refused = fx.handle(BRUNO, review(1, "prima settimana"));
    assert_eq!(conflict(refused), (placement.to_string(), 1, 2, ANNA.to_string()));
}

#[test]
fn a_refused_write_leaves_the_store_the_indexes_and_the_audit_log_as_they_were() {
    let fx = fixture();
    let need = fx.create_need(ANNA, need_input());
    let family = fx.create_family(BRUNO, approved_family(bergamo()));
    let proposal = proposal_code(&fx.saved(ANNA, Request::ProposalCreate { need, family, note: String::new() }));
    let brunos_need = fx.create_need(BRUNO, need_in(S2, BRUNO));
    let ranked_before = ranked(&fx, need);
    let audit_before = fx.audit_len();
    let store_before = fx.snapshot();

    // Renamed, but with a referent who is nobody: invalid.
    let (base_revision, mut input) = fx.family_as_input(family);
    input.identity.adults[0].name = "Ottavia Quercioli".into();
    input.profile.kinds = BTreeSet::from([PlacementKind::Daytime]);
    input.referent = Some("nessuno".into());
    let refused = fx.handle(BRUNO, Request::FamilyUpdate { code: family, base_revision, input: input.clone() });
    assert!(matches!(refused, Err(BankError::Invalid(_))), "{refused:?}");
    // The same change by a reader: not allowed.
    input.referent = None;
    let refused = fx.handle(DARIO, Request::FamilyUpdate { code: family, base_revision, input: input.clone() });
    assert!(matches!(refused, Err(BankError::Forbidden { .. })), "{refused:?}");
    // On an old revision: a conflict.
    let refused = fx.handle(BRUNO, Request::FamilyUpdate { code: family, base_revision: 0, input });
    assert!(matches!(refused, Err(BankError::Conflict { .. })), "{refused:?}");
    // A new family with no adult: invalid, and no code is used up.
    let mut empty = approved_family(bergamo());
    empty.identity.adults.clear();
    assert!(matches!(fx.handle(BRUNO, Request::FamilyCreate { input: empty }), Err(BankError::Invalid(_))));
    // A need naming a sibling of another service: invalid, the sibling untouched.
    let mut sister = need_input();
    sister.placement.siblings = vec![brunos_need];
    assert!(matches!(fx.handle(ANNA, Request::NeedCreate { input: sister }), Err(BankError::Invalid(_))));
    // Declining without a reason: invalid, the need's status stays.
    let decline =
        Request::ProposalStep { code: proposal, base_revision: 1, to: ProposalStatus::Declined, note: " ".into() };
    assert!(matches!(fx.handle(BRUNO, decline), Err(BankError::Invalid(_))));

    assert!(fx.snapshot() == store_before, "no tree changed: records, index entries, counters, audit");
    assert_eq!(fx.audit_len(), audit_before);
    assert_eq!(found(&fx, BRUNO, "Quercioli"), Vec::<String>::new(), "search never saw the refused name");
    assert_eq!(ranked(&fx, need), ranked_before, "matching never saw the refused change");
    assert_eq!(fx.need(CARLA, need).placement.status, NeedStatus::Matching);
    assert_eq!(fx.create_family(BRUNO, approved_family(bergamo())).to_string(), "F-2026-0002");
}

#[test]
fn whom_a_change_concerns_comes_from_the_records_written_not_read_back() {
    let fx = fixture();
    let heard = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&heard);
    fx.bank.on_change(move |c: &Committed| sink.lock().unwrap().push(c.clone()));
    let need = fx.create_need(ANNA, need_input());
    let family = fx.create_family(BRUNO, approved_family(bergamo()));
    heard.lock().unwrap().clear();

    let (base_revision, mut input) = fx.family_as_input(family);
    input.profile.household.pets = "due gatti".into();
    let before = reads_here(TreeId::Families);
    saved(handle_here(&fx, BRUNO, Request::FamilyUpdate { code: family, base_revision, input }));
    assert_eq!(reads_here(TreeId::Families) - before, 1, "loaded once; neither the indexes nor the event read it back");
    let proposal = saved(handle_here(&fx, ANNA, Request::ProposalCreate { need, family, note: String::new() })).code;

    let change = |kind, code: String, revision, by: &str, involved| Committed {
        event: Event::Changed(Change { kind, code, revision, by: by.into() }),
        involved,
    };
    let link = Involved::Link { need: S1, family: S2 };
    assert_eq!(
        *heard.lock().unwrap(),
        vec![
            change(RecordKind::Family, family.to_string(), 2, BRUNO, Involved::Service(S2)),
            change(RecordKind::Proposal, proposal, 1, ANNA, link),
            // The need moved to "in abbinamento" is heard where the link
            // is, with its new revision, as a direct edit is.
            change(RecordKind::Need, need.to_string(), 2, ANNA, link),
        ]
    );
}
