//! A placement's plan, review and closing as forms, driven through the
//! message loop with no server: keys in, the requests the effects ask for
//! asserted, each answered by the real core in process and given back as a
//! message. And the view as a pure function of the state: drawn twice, the
//! same frame; a long list scrolled by keys keeps its highlight in sight.

mod common;

use std::sync::Arc;

use banca::api::{Reply, Request};
use banca::bank::{Actor, Bank};
use banca::i18n::Lang;
use banca::model::{PlacementCode, PlacementOutcome};
use banca::tui::{draw_to_string, frame_to_string, view_for, App, CallError, Effect, Msg, Replied, Theme};
use common::core_source::CoreSource;
use common::tui::{line_with, requests};
use common::*;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Modifier;
use time::macros::date;

/// The placement of the fixture: Anna's service's, ongoing, started on 02/11/2026.
fn placement() -> PlacementCode {
    PlacementCode::new(2026, 1)
}

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

    fn key(&mut self, ev: KeyEvent) -> Vec<Effect> {
        self.app.update(Msg::Key(ev))
    }

    /// Keys typed one by one; every request they lead to answered.
    fn press(&mut self, text: &str) {
        for c in text.chars() {
            let effects = self.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
            self.settle(effects);
        }
    }

    fn code(&mut self, code: KeyCode, times: usize) {
        for _ in 0..times {
            let effects = self.key(KeyEvent::new(code, KeyModifiers::NONE));
            self.settle(effects);
        }
    }

    /// Ctrl-S, and the requests it sends (not answered yet).
    fn save(&mut self) -> Vec<Effect> {
        self.key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL))
    }

    /// The core's answer to one effect, given back as a message: the effects that follow.
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

    fn frame(&mut self) -> String {
        draw_to_string(&mut self.app, 80, 24)
    }
}

fn revision(bank: &Arc<Bank>) -> u64 {
    match bank.handle(&Actor::new(ANNA.to_string()), Request::PlacementGet { code: placement() }) {
        Ok(Reply::Placement(p)) => p.revision,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_review_filled_in_its_form_and_saved_sends_the_typed_date_and_note() {
    let fx = tui_fixture();
    let before = revision(&fx.bank);
    let mut anna = Loop::new(&fx.bank, ANNA);
    anna.press("6v");
    let frame = anna.frame();
    assert!(frame.contains("Verifica di A-2026-0001"), "{frame}");
    assert!(line_with(&frame, "data della verifica").contains("23/11/2026"), "today, to change:\n{frame}");
    // The date offered is replaced by what is typed; Tab to the note.
    anna.press("20/11/2026");
    anna.code(KeyCode::Tab, 1);
    anna.press("inserimento sereno");
    // Saved: the placement as stored now is read first, then the review goes on its revision.
    let effects = anna.save();
    assert_eq!(requests(&effects), vec![Request::PlacementGet { code: placement() }]);
    let effects = anna.answer(&effects[0]);
    assert_eq!(
        requests(&effects),
        vec![Request::PlacementReview {
            code: placement(),
            base_revision: before,
            date: date!(2026 - 11 - 20),
            note: "inserimento sereno".into(),
            kind: banca::model::ReviewKind::Formal,
        }]
    );
    anna.settle(effects);
    let frame = anna.frame();
    assert!(frame.contains("Verifica registrata: A-2026-0001"), "{frame}");
    assert!(!frame.contains("Verifica di A-2026-0001"), "the form is closed:\n{frame}");
}

#[test]
fn a_refused_closing_keeps_what_was_typed_and_shows_the_problem_next_to_its_field() {
    let fx = tui_fixture();
    let mut anna = Loop::new(&fx.bank, ANNA);
    anna.press("6x");
    // A day before the placement started, the second outcome, a note.
    anna.press("01/11/2026");
    anna.code(KeyCode::Tab, 1);
    anna.code(KeyCode::Right, 1);
    anna.code(KeyCode::Tab, 1);
    anna.press("rientro anticipato");
    // Nothing is sent before the closing is confirmed; `n` sends nothing.
    assert!(requests(&anna.save()).is_empty());
    let frame = anna.frame();
    let outcome = PlacementOutcome::ALL[1].label(Lang::It);
    assert!(frame.contains("Chiudere l'affido A-2026-0001 · 01/11/2026 · affido preadottivo"), "{frame}");
    assert!(requests(&anna.key(KeyEvent::new(KeyCode::Char('n'), KeyModifiers::NONE))).is_empty());
    assert!(requests(&anna.save()).is_empty());
    // `s`: sent, and refused by the core.
    let effects = anna.key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::NONE));
    assert_eq!(requests(&effects), vec![Request::PlacementGet { code: placement() }]);
    let effects = anna.answer(&effects[0]);
    assert!(
        matches!(requests(&effects).as_slice(), [Request::PlacementClose { date, .. }] if *date == date!(2026 - 11 - 01))
    );
    anna.settle(effects);
    let frame = anna.frame();
    // The form stays, as typed, the problem under the date.
    assert!(frame.contains("Chiusura di A-2026-0001"), "{frame}");
    assert!(line_with(&frame, "data di chiusura*").contains("01/11/2026"), "{frame}");
    assert!(line_with(&frame, "esito ").contains(outcome), "{frame}");
    assert!(line_with(&frame, "nota di chiusura").contains("rientro anticipato"), "{frame}");
    let lines: Vec<&str> = frame.lines().collect();
    let at = lines.iter().position(|l| l.contains("data di chiusura*")).expect("the date's line");
    assert!(lines[at + 1].contains("✗ data di chiusura:"), "the problem next to its field:\n{frame}");
    assert!(line_with(&frame, "Da correggere:").contains("data di chiusura"), "{frame}");
    match fx.ok(ANNA, Request::PlacementGet { code: placement() }) {
        Reply::Placement(p) => assert!(p.record.is_active(), "still ongoing"),
        other => panic!("{other:?}"),
    }
    // Fixed in place and sent again: closed.
    anna.code(KeyCode::Backspace, 10);
    anna.press("20/11/2026");
    let effects = anna.save();
    anna.settle(effects);
    anna.press("s");
    assert!(anna.frame().contains("Affido chiuso: A-2026-0001"));
    // A closed placement takes no review nor closing: not offered, refused aloud.
    let frame = anna.frame();
    assert!(!frame.contains(" v verifica") && !frame.contains(" x chiudi"), "{frame}");
    anna.press("x");
    assert!(anna.frame().contains("x: A-2026-0001 non è possibile: l'affido è chiuso"));
}

#[test]
fn a_plan_the_core_refuses_stays_in_its_form_with_the_problem_on_its_field() {
    let fx = tui_fixture();
    // P-2026-0001, accepted by Anna's service: Bruno's service starts it.
    let code = banca::model::ProposalCode::new(2026, 1);
    let base_revision = match fx.ok(ANNA, Request::ProposalGet { code }) {
        Reply::Proposal(p) => p.revision,
        other => panic!("{other:?}"),
    };
    let to = banca::model::ProposalStatus::Accepted;
    fx.ok(ANNA, Request::ProposalStep { code, base_revision, to, note: String::new() });
    let mut bruno = Loop::new(&fx.bank, BRUNO);
    bruno.press("5uj");
    bruno.press("s");
    // An expected end before the start: the form reads it, the core refuses it.
    bruno.code(KeyCode::Tab, 1);
    bruno.code(KeyCode::Right, 1);
    bruno.code(KeyCode::Tab, 1);
    bruno.press("01/01/2026");
    bruno.code(KeyCode::Tab, 6);
    bruno.press("scuola e sport");
    let effects = bruno.save();
    assert_eq!(requests(&effects), vec![Request::ProposalGet { code }]);
    let effects = bruno.answer(&effects[0]);
    assert!(matches!(requests(&effects).as_slice(), [Request::PlacementStart { .. }]), "{effects:?}");
    bruno.settle(effects);
    let frame = bruno.frame();
    assert!(frame.contains("Piano dell'affido da P-2026-0001"), "{frame}");
    let lines: Vec<&str> = frame.lines().collect();
    let at = lines.iter().position(|l| l.contains("fine prevista")).expect("the end's line");
    assert!(lines[at].contains("01/01/2026") && lines[at + 1].contains("✗ fine prevista"), "{frame}");
    assert!(line_with(&frame, "impegni").contains("scuola e sport"), "nothing typed is lost:\n{frame}");
}

#[test]
fn the_same_app_drawn_twice_gives_the_same_frame() {
    let fx = tui_fixture();
    let mut anna = Loop::new(&fx.bank, ANNA);
    anna.press("6x");
    anna.press("oggi");
    anna.code(KeyCode::Tab, 2);
    anna.press("una nota");
    let _ = draw_to_string(&mut anna.app, 80, 24);
    // Drawing takes the app as it is (`&App`): nothing in it may change.
    let first = frame_to_string(&anna.app, 80, 24);
    let second = frame_to_string(&anna.app, 80, 24);
    assert_eq!(first, second);
    assert!(first.contains("una nota"), "{first}");
    // And on a list: the same twice, whatever size it was last laid out for.
    anna.code(KeyCode::Esc, 1);
    anna.press("s");
    let small = frame_to_string(&anna.app, 80, 24);
    let _ = frame_to_string(&anna.app, 120, 40);
    assert_eq!(small, frame_to_string(&anna.app, 80, 24));
}

/// The rows of a frame drawn in reverse video (the highlighted row, with the plain theme).
fn highlighted(app: &App, width: u16, height: u16) -> Vec<String> {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height)).expect("backend");
    terminal.draw(|f| app.view(f)).expect("drawn");
    let buffer = terminal.backend().buffer();
    (0..height)
        .filter(|&y| (1..width - 1).any(|x| buffer[(x, y)].modifier.contains(Modifier::REVERSED) && y > 2))
        .map(|y| (0..width).map(|x| buffer[(x, y)].symbol().to_string()).collect::<String>())
        .collect()
}

#[test]
fn a_long_list_scrolled_with_keys_keeps_the_highlighted_row_in_view() {
    let fx = tui_fixture();
    // Forty more entries in the audit log (72 in all, newest first).
    for _ in 0..40 {
        fx.create_family(ANNA, family_input());
    }
    let mut carla = Loop::new(&fx.bank, CARLA);
    let _ = draw_to_string(&mut carla.app, 80, 24);
    carla.press("0");
    // Down 30 rows: 16 fit at 80x24, the window follows the highlight.
    carla.press(&"j".repeat(30));
    let frame = frame_to_string(&carla.app, 80, 24);
    insta::assert_snapshot!("audit_scrolled_80x24", frame);
    let rows = highlighted(&carla.app, 80, 24);
    assert_eq!(rows.len(), 1, "{frame}");
    // The 31st entry, at the bottom of the window.
    assert!(rows[0].starts_with("│42  "), "the 31st entry, n. 42, is highlighted and in view: {rows:?}");
    assert!(frame.contains(" 31/72 "), "{frame}");
    // A page up (16 rows): the window follows, the highlight on top.
    carla.code(KeyCode::PageUp, 1);
    let rows = highlighted(&carla.app, 80, 24);
    assert!(rows[0].starts_with("│58  "), "{rows:?}");
    let frame = frame_to_string(&carla.app, 80, 24);
    let lines: Vec<&str> = frame.lines().collect();
    assert!(lines[5].starts_with("│58  "), "the first row shown:\n{frame}");
    carla.code(KeyCode::Home, 1);
    assert!(highlighted(&carla.app, 80, 24)[0].starts_with("│72  "));
}

#[test]
fn a_click_lands_on_the_row_drawn_under_it_after_scrolling() {
    let fx = tui_fixture();
    for _ in 0..40 {
        fx.create_family(ANNA, family_input());
    }
    let mut carla = Loop::new(&fx.bank, CARLA);
    let _ = draw_to_string(&mut carla.app, 80, 24);
    carla.press("0");
    carla.press(&"j".repeat(30));
    // Rows 16 to 31 are shown (n. 57 down to 42), the first on line 5: line 7 is the third.
    let frame = frame_to_string(&carla.app, 80, 24);
    assert!(frame.lines().nth(7).is_some_and(|l| l.starts_with("│55  ")), "{frame}");
    let click = ratatui::crossterm::event::MouseEvent {
        kind: ratatui::crossterm::event::MouseEventKind::Down(ratatui::crossterm::event::MouseButton::Left),
        column: 10,
        row: 7,
        modifiers: KeyModifiers::NONE,
    };
    let effects = carla.app.update(Msg::Mouse(click));
    carla.settle(effects);
    let frame = frame_to_string(&carla.app, 80, 24);
    assert!(frame.contains(" 18/72 "), "{frame}");
    assert!(highlighted(&carla.app, 80, 24)[0].starts_with("│55  "), "the row clicked is highlighted where it was");
}
