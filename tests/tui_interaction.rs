//! The interaction fixes of issue 13, through the real `Bank` core on the
//! synthetic bank of `tui_fixture`: keys offered and taken only where
//! their action is legal, and the proposer told what became of its proposal.

mod common;

use banca::api::{Change, Event, Reply, Request};
use banca::i18n::Lang;
use banca::model::RecordKind;
use banca::model::{
    ClosingReason, NeedCode, NeedStatus, PlacementCode, PlacementOutcome, ProposalCode, ProposalStatus,
};
use banca::tui::{draw_to_string, Live, ScreenId};
use common::tui::*;
use common::*;
use ratatui::crossterm::event::KeyCode;

#[test]
fn a_step_the_proposal_cannot_take_is_neither_offered_nor_taken() {
    let fx = tui_fixture();
    let mut bruno = app(&fx.bank, BRUNO, Lang::It);
    // Outbox, newest first: P-0003 (declined), then P-0001.
    press(&mut bruno, "5uj");
    let frame = draw_to_string(&mut bruno, 120, 40);
    assert!(line_with(&frame, "P-2026-0001").contains("proposta"), "{frame}");
    assert!(frame.contains(" w ritira"), "the proposer may withdraw:\n{frame}");
    assert!(!frame.contains("avvia affido"), "not start before it is accepted:\n{frame}");
    assert!(!frame.contains(" a accetta"), "nor accept for the family's service:\n{frame}");

    // `s` anyway: refused at once, no plan asked for.
    press(&mut bruno, "s");
    let frame = draw_to_string(&mut bruno, 120, 40);
    assert!(frame.contains("s (avvia affido) non è possibile ora per P-2026-0001 (proposta)"), "{frame}");
    assert!(!frame.contains("Inizio dell'affido"), "{frame}");

    // The family's service may accept or decline, not withdraw.
    let mut anna = app(&fx.bank, ANNA, Lang::It);
    press(&mut anna, "5j");
    let frame = draw_to_string(&mut anna, 120, 40);
    assert!(line_with(&frame, "P-2026-0001").contains("proposta"), "{frame}");
    assert!(frame.contains(" a accetta") && frame.contains(" d rifiuta"), "{frame}");
    assert!(!frame.contains(" w ritira"), "{frame}");
    press(&mut anna, "w");
    let frame = draw_to_string(&mut anna, 120, 40);
    // The reason is the side, not the state: withdrawing is the child's service's.
    assert!(frame.contains("w (ritira) spetta all'altro servizio, non al tuo: P-2026-0001"), "{frame}");
    assert!(!frame.contains("Motivo del ritiro"), "{frame}");

    // On a declined proposal nothing is left to decide.
    press(&mut anna, "k");
    let frame = draw_to_string(&mut anna, 120, 40);
    assert!(line_with(&frame, "P-2026-0003").contains("rifiutata"), "{frame}");
    assert!(!frame.contains(" d rifiuta") && !frame.contains(" a accetta"), "{frame}");
    press(&mut anna, "d");
    assert!(!draw_to_string(&mut anna, 120, 40).contains("Rifiutare P-2026-0003?"), "no decline asked for");
}

/// Anna's service takes `to` on P-0001 in the core; Bruno's interface hears of it.
fn answered(fx: &Fixture, to: ProposalStatus, who: &str, note: &str) -> Event {
    // P-2026-0001: Bruno's service proposed Anna's family for its need; still "proposta".
    let code = ProposalCode::new(2026, 1);
    let Reply::Proposal(p) = fx.ok(who, Request::ProposalGet { code }) else { panic!("proposal") };
    let saved = fx.saved(who, Request::ProposalStep { code, base_revision: p.revision, to, note: note.into() });
    Event::Changed(Change { kind: RecordKind::Proposal, code: saved.code, revision: saved.revision, by: who.into() })
}

#[test]
fn the_proposer_is_told_when_its_proposal_is_accepted() {
    let fx = tui_fixture();
    let mut bruno = app(&fx.bank, BRUNO, Lang::It);
    let mut anna = app(&fx.bank, ANNA, Lang::It);
    press(&mut bruno, "2");
    let accepted = answered(&fx, ProposalStatus::Accepted, ANNA, "");
    bruno.live(Live::Changed(accepted.clone()));
    let frame = draw_to_string(&mut bruno, 120, 40);
    assert!(frame.contains("Proposta accettata: P-2026-0001 (anna)"), "{frame}");
    // Anna took the step herself: nothing to tell her.
    anna.live(Live::Changed(accepted));
    let frame = draw_to_string(&mut anna, 120, 40);
    assert!(!frame.contains("Proposta accettata"), "{frame}");
}

#[test]
fn the_proposer_is_told_when_its_proposal_is_withdrawn_by_a_colleague() {
    let fx = tui_fixture();
    let mut bruno = app(&fx.bank, BRUNO, Lang::It);
    // The coordination withdraws it (any other operator would do): Bruno's service proposed it.
    bruno.live(Live::Changed(answered(&fx, ProposalStatus::Withdrawn, ADMIN, "richiesta annullata")));
    let frame = draw_to_string(&mut bruno, 120, 40);
    assert!(frame.contains("Proposta ritirata: P-2026-0001 (admin)"), "{frame}");
}

#[test]
fn the_proposer_is_told_when_its_proposal_is_declined() {
    let fx = tui_fixture();
    let mut bruno = app(&fx.bank, BRUNO, Lang::En);
    bruno.live(Live::Changed(answered(&fx, ProposalStatus::Declined, ANNA, "troppo lontano")));
    let frame = draw_to_string(&mut bruno, 120, 40);
    assert!(frame.contains("Proposal declined: P-2026-0001 (anna)"), "{frame}");
}

/// A-2026-0001 (Anna's need, Bruno's family) closed by `user`: the event the others hear.
fn closed_placement(fx: &Fixture, user: &str) -> Event {
    let code = PlacementCode::new(2026, 1);
    let Reply::Placement(p) = fx.ok(user, Request::PlacementGet { code }) else { panic!("placement") };
    let request = Request::PlacementClose {
        code,
        base_revision: p.revision,
        date: NOW.date(),
        outcome: PlacementOutcome::ReturnHome,
        note: "rientro in famiglia".into(),
    };
    let saved = fx.saved(user, request);
    Event::Changed(Change { kind: RecordKind::Placement, code: saved.code, revision: saved.revision, by: user.into() })
}

#[test]
fn both_services_are_told_when_a_placement_is_closed_but_not_who_closed_it() {
    let fx = tui_fixture();
    let mut anna = app(&fx.bank, ANNA, Lang::It);
    let mut bruno = app(&fx.bank, BRUNO, Lang::En);
    // A review is no closing: nothing said.
    let code = PlacementCode::new(2026, 1);
    let Reply::Placement(p) = fx.ok(ANNA, Request::PlacementGet { code }) else { panic!("placement") };
    let request = Request::PlacementReview {
        code,
        base_revision: p.revision,
        date: NOW.date(),
        note: "sereno".into(),
        kind: banca::model::ReviewKind::Formal,
    };
    let saved = fx.saved(ANNA, request);
    bruno.live(Live::Changed(Event::Changed(Change {
        kind: RecordKind::Placement,
        code: saved.code,
        revision: saved.revision,
        by: ANNA.into(),
    })));
    assert!(!draw_to_string(&mut bruno, 120, 40).contains("Placement closed"));

    let closed = closed_placement(&fx, ANNA);
    bruno.live(Live::Changed(closed.clone()));
    let frame = draw_to_string(&mut bruno, 120, 40);
    assert!(frame.contains("Placement closed: A-2026-0001 (anna)"), "the family's side hears it:\n{frame}");
    anna.live(Live::Changed(closed));
    let frame = draw_to_string(&mut anna, 120, 40);
    assert!(!frame.contains("Affido chiuso"), "not the one who closed it:\n{frame}");
}

#[test]
fn both_services_hear_a_placement_closed_by_the_coordination() {
    let fx = tui_fixture();
    let closed = closed_placement(&fx, ADMIN);
    let mut anna = app(&fx.bank, ANNA, Lang::It);
    anna.live(Live::Changed(closed.clone()));
    let frame = draw_to_string(&mut anna, 120, 40);
    assert!(frame.contains("Affido chiuso: A-2026-0001 (admin)"), "{frame}");
    let mut bruno = app(&fx.bank, BRUNO, Lang::En);
    bruno.live(Live::Changed(closed));
    let frame = draw_to_string(&mut bruno, 120, 40);
    assert!(frame.contains("Placement closed: A-2026-0001 (admin)"), "{frame}");
}

#[test]
fn a_need_closed_while_ranked_leaves_matching_without_an_error() {
    let fx = tui_fixture();
    let mut bruno = app(&fx.bank, BRUNO, Lang::It);
    press(&mut bruno, "4cR-2026-0004");
    key(&mut bruno, KeyCode::Enter);
    assert!(draw_to_string(&mut bruno, 120, 40).contains("R-2026-0004"));
    // The need is closed meanwhile (from another window, say).
    let code = NeedCode::new(2026, 4);
    let (revision, mut input) = fx.need_as_input(code);
    input.placement.status = NeedStatus::Closed;
    input.placement.closing_reason = Some(ClosingReason::Cancelled);
    let saved = fx.saved(BRUNO, Request::NeedUpdate { code, base_revision: revision, input });
    bruno.live(Live::Changed(Event::Changed(Change {
        kind: RecordKind::Need,
        code: saved.code,
        revision: saved.revision,
        by: BRUNO.into(),
    })));
    let frame = draw_to_string(&mut bruno, 120, 40);
    assert!(!frame.contains("non si abbina più"), "no error for someone else's success:\n{frame}");
    assert!(frame.contains("premi m"), "matching is empty again:\n{frame}");
}

#[test]
fn the_coordination_is_not_offered_a_new_record_it_may_not_save() {
    let fx = tui_fixture();
    let mut carla = app(&fx.bank, CARLA, Lang::It);
    for screen in ["2", "3"] {
        press(&mut carla, screen);
        let frame = draw_to_string(&mut carla, 120, 40);
        assert!(!frame.contains(" n nuovo"), "{frame}");
        press(&mut carla, "n");
        let frame = draw_to_string(&mut carla, 120, 40);
        assert!(frame.contains("n (nuovo): non consentito al tuo ruolo"), "refused before any form:\n{frame}");
        assert!(!frame.contains("Salva"), "no form opened:\n{frame}");
    }
    // An operator of a service is offered it.
    let mut anna = app(&fx.bank, ANNA, Lang::It);
    press(&mut anna, "2");
    assert!(draw_to_string(&mut anna, 120, 40).contains(" n nuovo"));
}

#[test]
fn the_proposal_card_shows_the_child_and_both_contacts_and_opens_the_need() {
    let fx = tui_fixture();
    let mut anna = app(&fx.bank, ANNA, Lang::It);
    // Inbox, newest first: P-0003, then P-0001 (for R-2026-0004, Bruno's need).
    press(&mut anna, "5j");
    key(&mut anna, KeyCode::Enter);
    let frame = draw_to_string(&mut anna, 120, 40);
    assert!(frame.contains("Minore di R-2026-0004"), "the child's shared profile:\n{frame}");
    assert!(frame.contains("Urgenza"), "{frame}");
    assert!(frame.contains("Servizio del minore") && frame.contains("Servizio della famiglia"), "{frame}");
    assert!(frame.contains(" n apri richiesta"), "{frame}");
    press(&mut anna, "n");
    assert_eq!(anna.current(), ScreenId::Needs);
    let frame = draw_to_string(&mut anna, 120, 40);
    assert!(frame.contains("R-2026-0004"), "{frame}");
}

#[test]
fn the_highlight_stays_on_its_proposal_when_a_new_one_comes_first() {
    let fx = tui_fixture();
    let mut anna = app(&fx.bank, ANNA, Lang::It);
    // Inbox, newest first: P-0003, then P-0001, highlighted.
    press(&mut anna, "5j");
    let need = NeedCode::new(2026, 5);
    let family = banca::model::FamilyCode::new(2026, 2);
    let saved = fx.saved(BRUNO, Request::ProposalCreate { need, family, note: "prova".into() });
    anna.live(Live::Changed(Event::Changed(Change {
        kind: RecordKind::Proposal,
        code: saved.code,
        revision: 1,
        by: BRUNO.into(),
    })));
    let frame = draw_to_string(&mut anna, 120, 40);
    assert!(frame.contains("P-2026-0004"), "the new one is listed first:\n{frame}");
    // The next key acts on the proposal that was highlighted, not on the row.
    press(&mut anna, "a");
    let frame = draw_to_string(&mut anna, 120, 40);
    assert!(frame.contains("Accettare P-2026-0001?"), "{frame}");
}

#[test]
fn the_losing_service_is_told_in_one_sentence_when_the_last_place_is_taken() {
    let fx = tui_fixture();
    // A family of bruno's with one place, proposed by anna (R-2026-0003) and by bruno (R-2026-0005).
    let mut f = family_input();
    f.profile.comune = bergamo();
    f.profile.status = banca::model::FamilyStatus::Approved;
    f.profile.approved_on = Some(time::macros::date!(2025 - 02 - 01));
    f.profile.kinds = std::collections::BTreeSet::from([banca::model::PlacementKind::Residential]);
    f.profile.max_children = 1;
    f.profile.max_distance_km = None;
    let family = fx.create_family(BRUNO, f);
    let propose = |user: &str, need: u32| {
        let need = NeedCode::new(2026, need);
        let saved = fx.saved(user, Request::ProposalCreate { need, family, note: String::new() });
        ProposalCode::parse(&saved.code).unwrap()
    };
    let (anna_p, bruno_p) = (propose(ANNA, 3), propose(BRUNO, 5));
    let Reply::Proposal(p) = fx.ok(BRUNO, Request::ProposalGet { code: bruno_p }) else { panic!("proposal") };
    let step = Request::ProposalStep {
        code: bruno_p,
        base_revision: p.revision,
        to: ProposalStatus::Accepted,
        note: String::new(),
    };
    let saved = fx.saved(BRUNO, step);
    assert!(saved.also_changed.contains(&anna_p.to_string()), "{saved:?}");

    // Anna hears her proposal changed (by bruno, alongside his acceptance): the notice says why.
    let Reply::Proposal(p) = fx.ok(ANNA, Request::ProposalGet { code: anna_p }) else { panic!("proposal") };
    let heard = Event::Changed(Change {
        kind: RecordKind::Proposal,
        code: anna_p.to_string(),
        revision: p.revision,
        by: BRUNO.into(),
    });
    let mut anna = app(&fx.bank, ANNA, Lang::It);
    anna.live(Live::Changed(heard.clone()));
    let frame = draw_to_string(&mut anna, 120, 40);
    let said = format!(
        "La proposta {anna_p} è stata ritirata: la famiglia {family} non ha più posti (proposta {bruno_p} accettata)"
    );
    assert!(frame.contains(&said), "{frame}");
    let mut anna = app(&fx.bank, ANNA, Lang::En);
    anna.live(Live::Changed(heard));
    let frame = draw_to_string(&mut anna, 120, 40);
    let said =
        format!("Proposal {anna_p} was withdrawn: family {family} has no place left (proposal {bruno_p} accepted)");
    assert!(frame.contains(&said), "{frame}");
}
