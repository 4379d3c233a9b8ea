//! Keys offered only where the core would take them, driven through the
//! message loop with no server: each operator's interface in process on the
//! real core (the child's service, the family's, the coordination), keys
//! in, the help bar and the requests asserted. A key pressed anyway is
//! refused at once, with the real reason, and sends nothing.

mod common;

use std::sync::Arc;

use banca::api::{AuditEntry, Reply, Request};
use banca::bank::{Actor, Bank};
use banca::i18n::Lang;
use banca::model::{ClosingReason, FamilyCode, NeedCode, NeedStatus, ProposalCode, ProposalStatus};
use banca::store::audit::AuditAction;
use banca::tui::{draw_to_string, view_for, App, CallError, Effect, Msg, Replied, Theme};
use common::core_source::CoreSource;
use common::tui::{line_with, requests};
use common::*;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The interface of one operator, its effects answered only when the test says.
struct Loop {
    app: App,
    bank: Arc<Bank>,
    user: String,
}

impl Loop {
    fn new(bank: &Arc<Bank>, user: &str) -> Loop {
        let mut source = CoreSource { bank: bank.clone(), actor: Actor::new(user.to_string()) };
        let view = view_for(&mut source, Lang::It, Theme::plain(), NOW.date()).expect("whoami");
        let (app, effects) = App::new(view, "/srv/banca/bank".into());
        let mut l = Loop { app, bank: bank.clone(), user: user.into() };
        l.settle(effects);
        l
    }

    /// One key: the effects it leads to, not answered yet.
    fn key(&mut self, code: KeyCode) -> Vec<Effect> {
        self.app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    /// Keys typed one by one; every request they lead to answered.
    fn press(&mut self, text: &str) {
        for c in text.chars() {
            let effects = self.key(KeyCode::Char(c));
            self.settle(effects);
        }
    }

    fn code(&mut self, code: KeyCode) {
        let effects = self.key(code);
        self.settle(effects);
    }

    fn answer(&mut self, effect: &Effect) -> Vec<Effect> {
        let Effect::Send { id, request, .. } = effect else { return Vec::new() };
        let result = self.bank.handle(&Actor::new(self.user.clone()), request.clone()).map_err(CallError::Bank);
        self.app.update(Msg::Replied(Replied { id: *id, result, connected: true }))
    }

    fn settle(&mut self, effects: Vec<Effect>) {
        let mut pending = effects;
        while !pending.is_empty() {
            let effect = pending.remove(0);
            pending.extend(self.answer(&effect));
        }
    }

    /// Wide enough for the whole help bar.
    fn frame(&mut self) -> String {
        draw_to_string(&mut self.app, 160, 40)
    }

    /// The help bar: the last line of the frame.
    fn bar(&mut self) -> String {
        self.frame().lines().last().unwrap_or_default().to_string()
    }
}

/// P-2026-0001 (Bruno's child, Anna's family) accepted by Anna's service.
fn accept_first_proposal(fx: &Fixture) -> ProposalCode {
    let code = ProposalCode::new(2026, 1);
    let base_revision = match fx.ok(ANNA, Request::ProposalGet { code }) {
        Reply::Proposal(p) => p.revision,
        other => panic!("{other:?}"),
    };
    fx.ok(ANNA, Request::ProposalStep { code, base_revision, to: ProposalStatus::Accepted, note: String::new() });
    code
}

fn audit(fx: &Fixture) -> Vec<AuditEntry> {
    match fx.ok(ADMIN, Request::AuditList { record: None, limit: 1000, after: None }) {
        Reply::Audit(entries) => entries.items,
        other => panic!("expected Audit, got {other:?}"),
    }
}

#[test]
fn the_family_service_is_offered_the_review_of_a_placement_but_not_its_closing() {
    let fx = tui_fixture();
    // A-2026-0001: Anna's child, Bruno's family.
    let mut bruno = Loop::new(&fx.bank, BRUNO);
    bruno.press("6");
    let bar = bruno.bar();
    assert!(bar.contains("v verifica"), "{bar}");
    assert!(!bar.contains("x chiudi"), "{bar}");
    // Pressed anyway: refused at once, the service named, no form, nothing asked of the core.
    assert!(requests(&bruno.key(KeyCode::Char('x'))).is_empty());
    let frame = bruno.frame();
    assert!(frame.contains("x: A-2026-0001 l'affido lo chiude il servizio del minore, non il tuo"), "{frame}");
    assert!(!frame.contains("Chiusura di A-2026-0001"), "{frame}");
    // The same in the placement's record.
    bruno.code(KeyCode::Enter);
    let bar = bruno.bar();
    assert!(bar.contains("v verifica") && !bar.contains("x chiudi"), "{bar}");
    // `?` lists the same keys.
    bruno.press("?");
    let help = bruno.frame();
    assert!(help.contains("verifica") && !help.contains("chiudi"), "{help}");
    bruno.code(KeyCode::Esc);
    // The review is his to record.
    bruno.press("v");
    assert!(bruno.frame().contains("Verifica di A-2026-0001"));
}

#[test]
fn the_child_service_is_offered_both_and_the_coordination_neither() {
    let fx = tui_fixture();
    let mut anna = Loop::new(&fx.bank, ANNA);
    anna.press("6");
    let bar = anna.bar();
    assert!(bar.contains("v verifica") && bar.contains("x chiudi"), "{bar}");

    let mut carla = Loop::new(&fx.bank, CARLA);
    carla.press("6");
    let frame = carla.frame();
    assert!(frame.contains("A-2026-0001"), "the coordination sees the placement:\n{frame}");
    let bar = carla.bar();
    assert!(!bar.contains("v verifica") && !bar.contains("x chiudi"), "{bar}");
    assert!(requests(&carla.key(KeyCode::Char('v'))).is_empty());
    let frame = carla.frame();
    assert!(frame.contains("v: A-2026-0001 il tuo ruolo non consente di registrare verifiche"), "{frame}");
    assert!(!frame.contains("Verifica di A-2026-0001"), "{frame}");
}

#[test]
fn propose_is_offered_only_for_a_need_of_ones_own_service_and_refused_with_the_reason() {
    let fx = tui_fixture();
    // R-2026-0003 (Rea) is Anna's.
    let mut anna = Loop::new(&fx.bank, ANNA);
    anna.press("4c");
    anna.press("R-2026-0003");
    anna.code(KeyCode::Enter);
    let bar = anna.bar();
    assert!(bar.contains("p proponi") && bar.contains("w perché non"), "{bar}");

    // Bruno looks at it: no `p`; pressed anyway, the service is the reason, no note asked.
    let mut bruno = Loop::new(&fx.bank, BRUNO);
    bruno.press("4c");
    bruno.press("R-2026-0003");
    bruno.code(KeyCode::Enter);
    let bar = bruno.bar();
    assert!(!bar.contains("p proponi") && bar.contains("w perché non"), "{bar}");
    assert!(requests(&bruno.key(KeyCode::Char('p'))).is_empty());
    let frame = bruno.frame();
    assert!(frame.contains("p: per questa richiesta propone il servizio del minore, non il tuo"), "{frame}");
    assert!(!frame.contains("Nota per la proposta"), "nothing asked:\n{frame}");

    // The coordination: the role is the reason.
    let mut carla = Loop::new(&fx.bank, CARLA);
    carla.press("4c");
    carla.press("R-2026-0003");
    carla.code(KeyCode::Enter);
    assert!(!carla.bar().contains("p proponi"));
    assert!(requests(&carla.key(KeyCode::Char('p'))).is_empty());
    let frame = carla.frame();
    assert!(frame.contains("p: il tuo ruolo non consente di proporre famiglie"), "{frame}");
}

#[test]
fn a_decline_asks_for_its_required_reason_and_refuses_an_empty_one_in_place() {
    let fx = tui_fixture();
    // P-2026-0001 waits in Anna's inbox.
    let mut anna = Loop::new(&fx.bank, ANNA);
    anna.press("5j");
    anna.code(KeyCode::Enter);
    anna.press("d");
    let frame = anna.frame();
    assert!(frame.contains("Rifiutare P-2026-0001? Motivo del rifiuto (obbligatorio)"), "{frame}");
    // Enter on nothing (or blanks): said in place, the dialog stays, nothing sent.
    anna.press("  ");
    assert!(requests(&anna.key(KeyCode::Enter)).is_empty());
    let frame = anna.frame();
    assert!(frame.contains("Il motivo è obbligatorio"), "{frame}");
    assert!(frame.contains("Rifiutare P-2026-0001? Motivo del rifiuto (obbligatorio)"), "still open:\n{frame}");
    // The dialog's keys on the help bar, not the list's.
    let bar = anna.bar();
    assert!(bar.contains("Enter conferma") && bar.contains("Esc annulla"), "{bar}");
    assert!(!bar.contains("d rifiuta"), "{bar}");
    // A reason: once typed, "required" is no longer said; the step goes with it.
    anna.press("nessun posto libero");
    assert!(!anna.frame().contains("Il motivo è obbligatorio"), "{}", anna.frame());
    anna.code(KeyCode::Enter);
    let Reply::Proposal(p) = fx.ok(ANNA, Request::ProposalGet { code: ProposalCode::new(2026, 1) }) else {
        panic!("proposal")
    };
    let last = p.record.steps.last().expect("a step");
    assert_eq!((last.status, last.note.trim()), (ProposalStatus::Declined, "nessun posto libero"));
}

#[test]
fn a_decline_refused_by_the_core_stays_open_with_its_reason_and_the_problem() {
    let fx = tui_fixture();
    let code = ProposalCode::new(2026, 1);
    let mut anna = Loop::new(&fx.bank, ANNA);
    anna.press("5j");
    anna.code(KeyCode::Enter);
    anna.press("d");
    anna.press("famiglia al completo");
    // Meanwhile Bruno's service withdraws it: the decline can no longer go.
    let Reply::Proposal(p) = fx.ok(BRUNO, Request::ProposalGet { code }) else { panic!("proposal") };
    fx.ok(
        BRUNO,
        Request::ProposalStep {
            code,
            base_revision: p.revision,
            to: ProposalStatus::Withdrawn,
            note: "ritirata".into(),
        },
    );
    anna.code(KeyCode::Enter);
    let frame = anna.frame();
    assert!(frame.contains("Rifiutare P-2026-0001?"), "the dialog stays:\n{frame}");
    assert!(frame.contains("famiglia al completo"), "with the reason typed:\n{frame}");
    assert!(frame.contains("✗ P-2026-0001 è «ritirata»"), "and the problem shown in it:\n{frame}");
    // Esc closes it; nothing was declined.
    anna.code(KeyCode::Esc);
    assert!(!anna.frame().contains("Rifiutare P-2026-0001?"));
    let Reply::Proposal(p) = fx.ok(ANNA, Request::ProposalGet { code }) else { panic!("proposal") };
    assert_eq!(p.record.steps.last().expect("a step").status, ProposalStatus::Withdrawn);
}

#[test]
fn starting_a_placement_prefills_the_plan_without_reading_the_childs_identity() {
    let fx = tui_fixture();
    let code = accept_first_proposal(&fx);
    let reads_before = audit(&fx).iter().filter(|e| e.action == AuditAction::ReadIdentity).count();
    let mut bruno = Loop::new(&fx.bank, BRUNO);
    bruno.press("5uj");
    assert!(line_with(&bruno.frame(), "P-2026-0001").contains("accettata"));
    // `s` asks for the shared view (the card's), not the child's record.
    let effects = bruno.key(KeyCode::Char('s'));
    assert_eq!(requests(&effects), vec![Request::ProposalView { code }]);
    bruno.settle(effects);
    let frame = bruno.frame();
    assert!(frame.contains("Piano dell'affido da P-2026-0001"), "{frame}");
    bruno.code(KeyCode::Esc);
    let reads: Vec<AuditEntry> = audit(&fx).into_iter().filter(|e| e.action == AuditAction::ReadIdentity).collect();
    assert_eq!(reads.len(), reads_before, "no identity read for a plan: {reads:?}");
    assert!(!reads.iter().any(|e| e.actor == BRUNO && e.record == "R-2026-0004"), "{reads:?}");
}

#[test]
fn after_a_why_not_propose_acts_on_the_family_asked_about_and_names_it() {
    let fx = tui_fixture();
    let mut anna = Loop::new(&fx.bank, ANNA);
    anna.press("4c");
    anna.press("R-2026-0003");
    anna.code(KeyCode::Enter);
    let frame = anna.frame();
    // F-2026-0001 is the first candidate; the highlight moves off it.
    assert!(frame.contains("F-2026-0001") && frame.contains("F-2026-0004"), "{frame}");
    anna.press("j");
    // Why not F-2026-0001? The answer shows, and the highlight follows the family asked about.
    anna.press("w");
    anna.press("2026-0001");
    anna.code(KeyCode::Enter);
    // `j` now scrolls the explanation, not the list.
    anna.press("j");
    anna.press("p");
    let frame = anna.frame();
    assert!(frame.contains("F-2026-0001 → R-2026-0003"), "the dialog names the family:\n{frame}");
    anna.press("vicina");
    let effects = anna.key(KeyCode::Enter);
    assert_eq!(
        requests(&effects),
        vec![Request::ProposalCreate {
            need: NeedCode::new(2026, 3),
            family: FamilyCode::new(2026, 1),
            note: "vicina".into()
        }]
    );
}

#[test]
fn a_proposals_note_is_bounded_aloud_and_kept_when_the_core_refuses_the_proposal() {
    let fx = tui_fixture();
    let mut anna = Loop::new(&fx.bank, ANNA);
    anna.press("4c");
    anna.press("R-2026-0003");
    anna.code(KeyCode::Enter);
    anna.press("p");
    let bar = anna.bar();
    assert!(bar.contains("Enter conferma") && bar.contains("Esc annulla") && !bar.contains("p proponi"), "{bar}");
    assert!(anna.app.update(Msg::Paste("v".repeat(6000))).is_empty());
    let frame = anna.frame();
    assert!(frame.contains("incollati 2 000 caratteri su 6 000: il resto non entra"), "{frame}");
    // The need is closed meanwhile: the core refuses the proposal.
    let code = NeedCode::new(2026, 3);
    let (revision, mut input) = fx.need_as_input(code);
    input.placement.status = NeedStatus::Closed;
    input.placement.closing_reason = Some(ClosingReason::Cancelled);
    fx.saved(ANNA, Request::NeedUpdate { code, base_revision: revision, input });
    anna.code(KeyCode::Enter);
    let frame = anna.frame();
    assert!(frame.contains("→ R-2026-0003"), "the dialog stays:\n{frame}");
    assert!(frame.contains("vvvvvvvvvv"), "with the note typed:\n{frame}");
    assert!(frame.contains("✗ R-2026-0003 è chiusa"), "and the problem in it:\n{frame}");
}
