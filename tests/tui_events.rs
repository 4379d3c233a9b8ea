//! Changes another operator makes reach an open interface as the server
//! pushes them: the events the bank commits, filtered by the access table
//! for the interface's user, fed to the message loop, every request they
//! lead to answered by the real core. A record moved alongside another
//! (a proposal started by a placement) is seen as a direct edit is, and
//! the services of a proposal hear of its withdrawal and of its start.

mod common;

use std::sync::{Arc, Mutex};

use banca::api::{Event, Principal, Reply, Request};
use banca::bank::{Actor, Bank, Committed};
use banca::i18n::Lang;
use banca::model::{FamilyCode, NeedCode, ProposalCode, ProposalStatus};
use banca::tui::{draw_to_string, view_for, App, CallError, Effect, Live, Msg, Replied, ScreenId, Theme, To};
use common::core_source::CoreSource;
use common::tui::line_with;
use common::*;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// One operator's interface on the real core, fed the events the bank commits.
struct Loop {
    app: App,
    bank: Arc<Bank>,
    who: Principal,
    /// What the bank committed since the last `push`.
    committed: Arc<Mutex<Vec<Committed>>>,
}

impl Loop {
    fn new(bank: &Arc<Bank>, user: &str) -> Loop {
        let committed = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&committed);
        bank.on_change(move |c: &Committed| sink.lock().unwrap().push(c.clone()));
        let Ok(Reply::Whoami(who)) = ask(bank, user, Request::Whoami) else { panic!("whoami") };
        let mut source = CoreSource { bank: bank.clone(), actor: Actor::new(user.to_string()) };
        let view = view_for(&mut source, Lang::It, Theme::plain(), NOW.date()).expect("whoami");
        let (app, effects) = App::new(view, "/srv/banca/bank".into());
        let mut l = Loop { app, bank: bank.clone(), who, committed };
        l.settle(effects);
        l
    }

    fn press(&mut self, keys: &str) {
        for c in keys.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    fn key(&mut self, code: KeyCode) {
        let effects = self.app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        self.settle(effects);
    }

    /// Forgets what was committed so far (the interface has read it).
    fn caught_up(&mut self) {
        self.committed.lock().unwrap().clear();
    }

    /// The events committed since, as the server pushes them to this user
    /// (only those the access table lets it hear), handed to the loop; the
    /// requests they lead to, answered, with who asked.
    fn push(&mut self) -> Vec<To> {
        let events: Vec<Event> = std::mem::take(&mut *self.committed.lock().unwrap())
            .into_iter()
            .filter(|c| banca::access::hears(&self.who, &c.event, c.involved))
            .map(|c| c.event)
            .collect();
        assert!(!events.is_empty(), "the change is heard");
        let mut effects = Vec::new();
        for ev in events {
            effects.extend(self.app.update(Msg::Live(Live::Changed(ev))));
        }
        let asked = effects
            .iter()
            .filter_map(|e| match e {
                Effect::Send { to, .. } => Some(*to),
                Effect::Quit => None,
            })
            .collect();
        self.settle(effects);
        asked
    }

    fn settle(&mut self, effects: Vec<Effect>) {
        let mut pending = effects;
        while !pending.is_empty() {
            let Effect::Send { id, request, .. } = pending.remove(0) else { continue };
            let result = self.bank.handle(&Actor::new(self.who.user.clone()), request).map_err(CallError::Bank);
            pending.extend(self.app.update(Msg::Replied(Replied { id, result, connected: true })));
        }
    }

    fn frame(&mut self) -> String {
        draw_to_string(&mut self.app, 120, 40)
    }
}

fn revision(fx: &Fixture, code: ProposalCode) -> u64 {
    match fx.ok(CARLA, Request::ProposalGet { code }) {
        Reply::Proposal(p) => p.revision,
        other => panic!("expected a proposal, got {other:?}"),
    }
}

/// The status line: the frame's last line but the help bar.
fn status_line(frame: &str) -> String {
    let lines: Vec<&str> = frame.lines().collect();
    lines[lines.len() - 2].trim().to_string()
}

#[test]
fn a_placement_started_by_another_operator_shows_on_the_proposal_open_with_one_request() {
    let fx = tui_fixture();
    // Bruno's proposal to Anna's family, accepted by Anna.
    let code = ProposalCode::parse("P-2026-0001").expect("code");
    let base_revision = revision(&fx, code);
    let to = ProposalStatus::Accepted;
    fx.saved(ANNA, Request::ProposalStep { code, base_revision, to, note: String::new() });
    let mut anna = Loop::new(&fx.bank, ANNA);
    // Newest first: P-0003 (declined), then P-0001.
    anna.press("5j");
    anna.key(KeyCode::Enter);
    let frame = anna.frame();
    assert!(frame.contains("P-2026-0001  accettata"), "{frame}");
    assert!(frame.contains(" d rifiuta"), "an accepted proposal may still be declined:\n{frame}");
    anna.caught_up();

    let plan = banca::model::FosterPlan {
        start: NOW.date(),
        expected_end: None,
        duration_months: None,
        contact: banca::model::OriginContact { frequency: banca::model::ContactFrequency::Monthly, supervised: true },
        contact_notes: String::new(),
        review_dates: vec![],
        commitments: "scuola".into(),
        relationship: Some(banca::model::Relationship::NonKin),
    };
    let base_revision = revision(&fx, code);
    fx.saved(BRUNO, Request::PlacementStart { proposal: code, base_revision, plan });

    let asked = anna.push();
    assert_eq!(
        asked.iter().filter(|to| **to == To::Screen(ScreenId::Proposals)).count(),
        1,
        "the card open is asked for once: {asked:?}"
    );
    assert_eq!(asked.iter().filter(|to| **to == To::App).count(), 1, "and the proposal once for the notice");
    let frame = anna.frame();
    assert!(frame.contains("P-2026-0001  avviata"), "{frame}");
    assert!(!frame.contains(" d rifiuta") && !frame.contains(" a accetta"), "no step is left to her:\n{frame}");
    assert_eq!(status_line(&frame), "Affido avviato dalla proposta: P-2026-0001 (bruno)");
}

#[test]
fn the_familys_service_is_told_of_a_withdrawal_and_the_notice_replaces_the_new_proposal_one() {
    let fx = tui_fixture();
    let mut anna = Loop::new(&fx.bank, ANNA);
    anna.press("5");
    anna.caught_up();
    let need = NeedCode::parse("R-2026-0005").expect("need");
    let family = FamilyCode::parse("F-2026-0002").expect("family");
    let saved = fx.saved(BRUNO, Request::ProposalCreate { need, family, note: "prova".into() });
    anna.push();
    let frame = anna.frame();
    assert_eq!(status_line(&frame), "Nuova proposta in arrivo: P-2026-0004 (bruno)");
    assert!(line_with(&frame, "P-2026-0004").contains("proposta"), "{frame}");

    let code = ProposalCode::parse(&saved.code).expect("code");
    let note = "il minore rientra in famiglia".to_string();
    fx.saved(BRUNO, Request::ProposalStep { code, base_revision: saved.revision, to: ProposalStatus::Withdrawn, note });
    anna.push();
    let frame = anna.frame();
    assert_eq!(status_line(&frame), "Proposta ritirata: P-2026-0004 (bruno)");
    assert!(line_with(&frame, "P-2026-0004").contains("ritirata"), "{frame}");
}

#[test]
fn the_operator_who_starts_a_placement_hears_no_notice_of_his_own_step() {
    let fx = tui_fixture();
    let code = ProposalCode::parse("P-2026-0001").expect("code");
    let base_revision = revision(&fx, code);
    fx.saved(ANNA, Request::ProposalStep { code, base_revision, to: ProposalStatus::Accepted, note: String::new() });
    let mut bruno = Loop::new(&fx.bank, BRUNO);
    // His outbox.
    bruno.press("5u");
    bruno.caught_up();
    let plan = banca::model::FosterPlan {
        start: NOW.date(),
        expected_end: None,
        duration_months: None,
        contact: banca::model::OriginContact { frequency: banca::model::ContactFrequency::Monthly, supervised: false },
        contact_notes: String::new(),
        review_dates: vec![],
        commitments: String::new(),
        relationship: Some(banca::model::Relationship::NonKin),
    };
    let base_revision = revision(&fx, code);
    fx.saved(BRUNO, Request::PlacementStart { proposal: code, base_revision, plan });
    let asked = bruno.push();
    assert!(!asked.contains(&To::App), "no notice asked for of his own step: {asked:?}");
    let frame = bruno.frame();
    assert!(!frame.contains("Affido avviato dalla proposta"), "{frame}");
    assert!(line_with(&frame, "P-2026-0001").contains("avviata"), "his list follows:\n{frame}");
}

#[test]
fn a_need_card_open_follows_a_proposal_made_and_withdrawn_elsewhere() {
    let fx = tui_fixture();
    let need = NeedCode::parse("R-2026-0005").expect("need");
    let mut bruno = Loop::new(&fx.bank, BRUNO);
    let effects = bruno.app.open("R-2026-0005");
    bruno.settle(effects);
    let frame = bruno.frame();
    assert!(frame.contains("R-2026-0005  aperta  ·  7 anni, M  ·  Bergamo (BG)  ·  revisione 3"), "{frame}");
    bruno.caught_up();

    // From the command line, on the same need: a proposal, then its withdrawal.
    let family = FamilyCode::parse("F-2026-0002").expect("family");
    let saved = fx.saved(BRUNO, Request::ProposalCreate { need, family, note: "prova".into() });
    let code = ProposalCode::parse(&saved.code).expect("code");
    let note = "ci ripensiamo".to_string();
    fx.saved(BRUNO, Request::ProposalStep { code, base_revision: saved.revision, to: ProposalStatus::Withdrawn, note });

    let asked = bruno.push();
    // Both changes come before any answer: the card is asked for once.
    assert_eq!(asked, [To::Screen(ScreenId::Needs)]);
    let frame = bruno.frame();
    assert!(
        frame.contains("R-2026-0005  aperta  ·  7 anni, M  ·  Bergamo (BG)  ·  revisione 5"),
        "moved to matching and back:\n{frame}"
    );
}
