//! Exact counts made by the core (`Request::Count`), and the proposal
//! card's data (`Request::ProposalView`), through the real `Bank` core as
//! each role asks: a count is the size of the whole list the caller may
//! see, never a page's length; a card carries shared views only.

mod common;

use banca::api::{BankError, Counted, FamilyFilter, ProposalFilter, Reply, Request};
use banca::i18n::Lang;
use banca::model::{FamilyStatus, ProposalCode, ProposalStatus, Role, Urgency};
use banca::tui::draw_to_string;
use common::tui::app;
use common::*;
use time::macros::date;

/// Approved families of S-001 with a place free: more than a list's page
/// on the dashboard (200).
const FREE: u64 = 230;

fn count(fx: &Fixture, user: &str, of: Counted) -> u64 {
    match fx.ok(user, Request::Count { of }) {
        Reply::Count(n) => n,
        other => panic!("expected Count, got {other:?}"),
    }
}

/// The fixture and `FREE` approved families of S-001 with a place each, 2
/// approved families of S-002 whose one place an accepted proposal holds,
/// and 3 of S-001 still being assessed.
fn bank_of_free_families() -> Fixture {
    let fx = fixture();
    let approved = |places: u8| {
        let mut f = family_input();
        f.profile.status = FamilyStatus::Approved;
        f.profile.approved_on = Some(date!(2025 - 02 - 01));
        f.profile.max_children = places;
        f
    };
    for _ in 0..FREE {
        fx.create_family(ANNA, approved(1));
    }
    for _ in 0..3 {
        fx.create_family(ANNA, family_input());
    }
    for _ in 0..2 {
        let family = fx.create_family(BRUNO, approved(1));
        let need = fx.create_need(ANNA, need_input());
        let saved = fx.saved(ANNA, Request::ProposalCreate { need, family, note: String::new() });
        let code = ProposalCode::parse(&saved.code).expect("a proposal code");
        let to = ProposalStatus::Accepted;
        fx.saved(BRUNO, Request::ProposalStep { code, base_revision: saved.revision, to, note: String::new() });
    }
    fx
}

#[test]
fn available_families_are_counted_whole_and_the_dashboard_shows_the_figure() {
    let fx = bank_of_free_families();
    let available =
        FamilyFilter { status: Some(FamilyStatus::Approved), free_places: Some(true), ..Default::default() };
    // Every role counts the same families: lists carry every family's shared view.
    for user in [ANNA, BRUNO, CARLA, DARIO, ADMIN] {
        assert_eq!(count(&fx, user, Counted::Families(available.clone())), FREE, "{user}");
    }
    let full = FamilyFilter { free_places: Some(false), ..available.clone() };
    assert_eq!(count(&fx, CARLA, Counted::Families(full)), 2);
    let all = FamilyFilter::default();
    assert_eq!(count(&fx, CARLA, Counted::Families(all)), FREE + 3 + 2);
    // A filter only the records answer (the referent) is counted over them: the same figures.
    let mine = FamilyFilter { referent: Some(ANNA.into()), ..Default::default() };
    assert_eq!(count(&fx, CARLA, Counted::Families(mine)), FREE + 3);
    let mine = FamilyFilter { referent: Some(ANNA.into()), ..available.clone() };
    assert_eq!(count(&fx, CARLA, Counted::Families(mine)), FREE);
    // Confirmed on 01/10/2026: none is to be confirmed again on 23/11/2026.
    let fresh = FamilyFilter { stale: Some(false), ..available.clone() };
    assert_eq!(count(&fx, CARLA, Counted::Families(fresh)), FREE);
    let stale = FamilyFilter { stale: Some(true), ..Default::default() };
    assert_eq!(count(&fx, CARLA, Counted::Families(stale)), 0);
    // A page's limit does not cap a count.
    let limited = FamilyFilter { limit: Some(10), ..available.clone() };
    assert_eq!(count(&fx, CARLA, Counted::Families(limited)), FREE);
    // The list keeps only families with a place before its cap: its first 200 all have one.
    let page = FamilyFilter { limit: Some(200), ..available };
    match fx.ok(CARLA, Request::FamilyList { filter: page }) {
        Reply::Families(p) => {
            assert_eq!(p.len(), 200);
            assert!(p.iter().all(|f| f.free_places == Some(1)), "every family listed has its place");
        }
        other => panic!("expected Families, got {other:?}"),
    }
    // The coordination's dashboard: the figure, not the length of a capped list.
    let mut app = app(&fx.bank, CARLA, Lang::It);
    let frame = draw_to_string(&mut app, 120, 40);
    assert!(frame.contains("Famiglie disponibili (230)"), "{frame}");
}

#[test]
fn proposals_are_counted_as_each_role_may_list_them() {
    let fx = bank_of_free_families();
    let third = fx.saved(ADMIN, Request::ServiceCreate { input: service_input("Servizio Terzo", BERGAMO_AMBIT) });
    let service = banca::model::ServiceCode::parse(&third.code);
    let input = operator_input("Terza Operatrice", Role::Operator, service);
    fx.saved(ADMIN, Request::OperatorCreate { user: "fo_terza".into(), input });
    let all = || Counted::Proposals(ProposalFilter::default());
    // Both proposals link S-001's needs to S-002's families.
    for user in [ANNA, BRUNO, CARLA, DARIO, ADMIN] {
        assert_eq!(count(&fx, user, all()), 2, "{user}");
    }
    assert_eq!(count(&fx, "fo_terza", all()), 0, "a third service sees no proposal, not even counted");
    let accepted = Counted::Proposals(ProposalFilter { status: Some(ProposalStatus::Accepted), ..Default::default() });
    assert_eq!(count(&fx, CARLA, accepted), 2);
}

#[test]
fn the_proposal_card_carries_shared_views_and_both_services_contacts_for_whoever_may_read_it() {
    let fx = tui_fixture();
    // P-2026-0001: S-002's need (the child Noa) proposed to S-001's family of Alba Prova.
    let code = ProposalCode::parse("P-2026-0001").expect("a code");
    for user in [ANNA, BRUNO, CARLA, DARIO, ADMIN] {
        let card = match fx.ok(user, Request::ProposalView { code }) {
            Reply::ProposalView(card) => card,
            other => panic!("expected ProposalView, got {other:?}"),
        };
        assert_eq!(card.record.code, code, "{user}");
        assert_eq!(card.needs.len(), 1, "{user}");
        let need = &card.needs[0];
        assert!(need.identity.is_none(), "{user} gets no child's identity on a card");
        assert!(
            card.family.as_ref().expect("a family").private.is_none(),
            "{user} gets no family's private part on a card"
        );
        // A boy born on 15/05/2019, seen on 23/11/2026: seven years, counted to the end of last month.
        assert_eq!((need.age_months, need.placement.urgency), (89, Urgency::Ordinary), "{user}");
        let need_side = card.need_contact().expect("the child's service");
        assert_eq!((need_side.service, need_side.service_name.as_str()), (S2, S2_NAME), "{user}");
        assert_eq!(
            (
                card.family_contact().expect("a family").service,
                card.family_contact().expect("a family").service_name.as_str()
            ),
            (S1, S1_NAME)
        );
        assert_eq!(card.family.as_ref().expect("a family").free_places, Some(2), "{user}");
        let json = serde_json::to_string(&card).expect("json");
        for identity in ["Noa", "Esempio", "Alba Prova", "Via delle Prove", "famiglia.esempio@example.org"] {
            assert!(!json.contains(identity), "{user} was sent {identity}: {json}");
        }
    }
    let third = fx.saved(ADMIN, Request::ServiceCreate { input: service_input("Servizio Terzo", BERGAMO_AMBIT) });
    let service = banca::model::ServiceCode::parse(&third.code);
    let input = operator_input("Terza Operatrice", Role::Operator, service);
    fx.saved(ADMIN, Request::OperatorCreate { user: "fo_terza".into(), input });
    match fx.err("fo_terza", Request::ProposalView { code }) {
        BankError::Forbidden { .. } => {}
        other => panic!("a third service must be refused, got {other:?}"),
    }
}
