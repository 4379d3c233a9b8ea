//! The record screen (families, needs, services) driven through its
//! message loop with no server and no worker: keys and change events in,
//! the requests they ask for out, the core's answers given back as
//! messages. Covers issue 13's interaction fixes on these screens: a new
//! record is named and Enter opens it, `e` is offered only where the
//! operator may change the record, opening a form clears a stale refusal,
//! and the selection follows its record when the list reorders.

mod common;

use std::sync::Arc;

use banca::api::{Change, Event, Reply, Request};
use banca::bank::{Actor, Bank};
use banca::i18n::Lang;
use banca::model::{FamilyCode, NeedCode, RecordKind, ServiceCode, Urgency};
use banca::tui::{draw_to_string, view_for, App, CallError, Effect, Live, Msg, Replied, Theme};
use common::core_source::CoreSource;
use common::tui::requests;
use common::*;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

struct Loop {
    app: App,
    bank: Arc<Bank>,
    user: String,
}

impl Loop {
    /// The interface of `user`, with the first screen's requests answered.
    fn new(bank: &Arc<Bank>, user: &str, lang: Lang) -> Loop {
        let mut source = CoreSource { bank: bank.clone(), actor: Actor::new(user.to_string()) };
        let view = view_for(&mut source, lang, Theme::plain(), NOW.date()).expect("whoami");
        let (app, effects) = App::new(view, "/srv/banca/bank".into());
        let mut l = Loop { app, bank: bank.clone(), user: user.into() };
        l.settle(effects);
        l
    }

    fn key_event(&mut self, ev: KeyEvent) -> Vec<Effect> {
        self.app.update(Msg::Key(ev))
    }

    fn key(&mut self, code: KeyCode) -> Vec<Effect> {
        self.key_event(KeyEvent::new(code, KeyModifiers::NONE))
    }

    /// Types `text`, answering what each key asks for.
    fn type_in(&mut self, text: &str) {
        for c in text.chars() {
            let effects = self.key(KeyCode::Char(c));
            self.settle(effects);
        }
    }

    /// Presses a key and answers what it asks for.
    fn press(&mut self, code: KeyCode) {
        let effects = self.key(code);
        self.settle(effects);
    }

    /// The core's answer to one effect, given back as a message.
    fn answer(&mut self, effect: &Effect) -> Vec<Effect> {
        let Effect::Send { id, request, .. } = effect else { return Vec::new() };
        let result = self.bank.handle(&Actor::new(self.user.clone()), request.clone()).map_err(CallError::Bank);
        self.app.update(Msg::Replied(Replied { id: *id, result, connected: true }))
    }

    /// Answers the effects and every request they lead to.
    fn settle(&mut self, effects: Vec<Effect>) {
        let mut pending = effects;
        while !pending.is_empty() {
            let effect = pending.remove(0);
            pending.extend(self.answer(&effect));
        }
    }

    /// Another operator's change, heard live; answered.
    fn changed(&mut self, kind: RecordKind, code: String, revision: u64) {
        let by = "elena".to_string();
        let effects = self.app.update(Msg::Live(Live::Changed(Event::Changed(Change { kind, code, revision, by }))));
        self.settle(effects);
    }

    fn frame(&mut self) -> String {
        draw_to_string(&mut self.app, 120, 40)
    }
}

/// The help bar: the frame's last line.
fn help_bar(frame: &str) -> String {
    frame.lines().last().unwrap_or_default().to_string()
}

#[test]
fn a_new_service_is_named_on_the_status_line_and_enter_opens_it() {
    let fx = tui_fixture();
    let mut ui = Loop::new(&fx.bank, ADMIN, Lang::It);
    ui.type_in("7");
    assert!(help_bar(&ui.frame()).contains(" n nuovo"), "{}", ui.frame());
    ui.type_in("n");
    ui.type_in("Servizio Affidi Prova");
    // Kind, then the ambiti it covers.
    ui.press(KeyCode::Tab);
    ui.press(KeyCode::Tab);
    ui.type_in("Dalmine");
    let save = ui.key_event(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    assert!(matches!(&requests(&save)[..], [Request::ServiceCreate { .. }]), "{save:?}");
    ui.settle(save);
    let frame = ui.frame();
    assert!(frame.contains("Salvato: S-003 · Invio lo apre"), "{frame}");
    assert!(frame.contains("Servizio Affidi Prova"), "listed:\n{frame}");
    let open = ui.key(KeyCode::Enter);
    assert_eq!(requests(&open), vec![Request::ServiceGet { code: ServiceCode(3) }]);
    ui.settle(open);
    let frame = ui.frame();
    assert!(frame.contains("Servizi S-003"), "the card of the new service:\n{frame}");
    assert!(frame.contains("Esc indietro"), "{frame}");
}

#[test]
fn after_a_new_family_enter_opens_it_even_where_the_list_does_not_show_it() {
    let fx = tui_fixture();
    let mut ui = Loop::new(&fx.bank, ANNA, Lang::En);
    // Suspended families only: the new one (enquiring) is not among them.
    ui.type_in("2ssss");
    let frame = ui.frame();
    assert!(frame.contains("status: suspended"), "{frame}");
    ui.type_in("n");
    ui.type_in("Giulia Nuova");
    ui.press(KeyCode::Tab);
    ui.type_in("1979");
    for _ in 0..6 {
        ui.press(KeyCode::Tab);
    }
    ui.type_in("dalm");
    ui.press(KeyCode::Enter);
    let save = ui.key_event(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    ui.settle(save);
    let frame = ui.frame();
    assert!(frame.contains("Saved: F-2026-0006 · Enter opens it"), "{frame}");
    assert!(!frame.lines().any(|l| l.starts_with("│F-2026-0006")), "not among the suspended families:\n{frame}");
    let open = ui.key(KeyCode::Enter);
    assert_eq!(requests(&open), vec![Request::FamilyGet { code: FamilyCode::new(2026, 6) }]);
    ui.settle(open);
    assert!(ui.frame().contains("Giulia Nuova (1979)"), "{}", ui.frame());
}

#[test]
fn edit_is_offered_only_on_records_the_operator_may_change() {
    let fx = tui_fixture();
    // Bruno on Anna's family: neither e nor c is offered, in the bar or in `?`.
    let mut bruno = Loop::new(&fx.bank, BRUNO, Lang::It);
    bruno.type_in("2");
    let frame = bruno.frame();
    assert!(line_with(&frame, "F-2026-0001").contains("Dalmine"), "{frame}");
    let bar = help_bar(&frame);
    assert!(!bar.contains(" e modifica") && !bar.contains("confermata oggi"), "{bar}");
    assert!(bar.contains(" n nuovo"), "{bar}");
    bruno.type_in("?");
    let popup = bruno.frame();
    assert!(!popup.contains("modifica") && popup.contains("nuovo"), "{popup}");
    bruno.press(KeyCode::Esc);
    // Pressed anyway: refused at once, nothing asked.
    let effects = bruno.key(KeyCode::Char('e'));
    assert_eq!(requests(&effects), vec![]);
    assert!(bruno.frame().contains("F-2026-0001: si può modificare solo una famiglia del proprio servizio"));
    // His own family (F-2026-0004): both are offered, on the list and on the card.
    bruno.type_in("jjj");
    let bar = help_bar(&bruno.frame());
    assert!(bar.contains(" c confermata oggi") && bar.contains(" e modifica"), "{bar}");
    bruno.press(KeyCode::Enter);
    let frame = bruno.frame();
    assert!(frame.contains("Famiglie F-2026-0004"), "{frame}");
    assert!(help_bar(&frame).contains(" e modifica"), "{frame}");

    // The administrator writes no family's identity: not offered `e` on any family, nor `c`.
    let mut admin = Loop::new(&fx.bank, ADMIN, Lang::It);
    admin.type_in("2");
    let bar = help_bar(&admin.frame());
    assert!(!bar.contains(" e modifica") && !bar.contains("confermata oggi"), "{bar}");
    // The coordination reads every need and changes none.
    let mut carla = Loop::new(&fx.bank, CARLA, Lang::It);
    carla.type_in("3");
    let bar = help_bar(&carla.frame());
    assert!(!bar.contains(" e modifica") && !bar.contains(" n nuovo"), "{bar}");
    // Services: the administrator's to create and change, an operator's to read.
    admin.type_in("7");
    let bar = help_bar(&admin.frame());
    assert!(bar.contains(" n nuovo") && bar.contains(" e modifica"), "{bar}");
    let mut anna = Loop::new(&fx.bank, ANNA, Lang::It);
    anna.type_in("7");
    let bar = help_bar(&anna.frame());
    assert!(!bar.contains(" n nuovo") && !bar.contains(" e modifica"), "{bar}");
}

#[test]
fn opening_a_form_clears_a_refusal_left_on_the_status_line() {
    let fx = tui_fixture();
    let mut bruno = Loop::new(&fx.bank, BRUNO, Lang::It);
    bruno.type_in("2e");
    let refusal = "si può modificare solo una famiglia del proprio servizio";
    assert!(bruno.frame().contains(refusal));
    // His own family: the form opens, and the refusal about another family is gone.
    bruno.type_in("jjj");
    let edit = bruno.key(KeyCode::Char('e'));
    assert_eq!(requests(&edit), vec![Request::FamilyGet { code: FamilyCode::new(2026, 4) }]);
    bruno.settle(edit);
    let frame = bruno.frame();
    assert!(frame.contains("Modifica famiglia F-2026-0004"), "{frame}");
    assert!(!frame.contains(refusal), "{frame}");
    // The same for a new record.
    bruno.press(KeyCode::Esc);
    bruno.press(KeyCode::Esc);
    bruno.type_in("kkke");
    assert!(bruno.frame().contains(refusal));
    bruno.type_in("n");
    let frame = bruno.frame();
    assert!(frame.contains("Nuova famiglia") && !frame.contains(refusal), "{frame}");
}

#[test]
fn the_selection_follows_its_family_when_the_list_reorders() {
    let fx = tui_fixture();
    let mut ui = Loop::new(&fx.bank, ANNA, Lang::It);
    // By date confirmed: F-2026-0002 (10/01/2025) first, F-2026-0001 (selected) next.
    ui.type_in("2oooo");
    let frame = ui.frame();
    assert!(frame.contains("ordine: confermata"), "{frame}");
    let at = |frame: &str, code: &str| frame.find(code).unwrap_or(usize::MAX);
    assert!(at(&frame, "F-2026-0002") < at(&frame, "F-2026-0001"), "{frame}");
    assert!(frame.contains(" 2/5 "), "F-2026-0001 stayed selected through the sort:\n{frame}");
    // F-2026-0002 is confirmed today elsewhere: it moves after F-2026-0001.
    let code = FamilyCode::new(2026, 2);
    let (revision, mut input) = fx.family_as_input(code);
    input.profile.confirmed_on = Some(NOW.date());
    let saved = fx.saved(ANNA, Request::FamilyUpdate { code, base_revision: revision, input });
    ui.changed(RecordKind::Family, saved.code, saved.revision);
    let frame = ui.frame();
    assert!(at(&frame, "F-2026-0001") < at(&frame, "F-2026-0002"), "reordered:\n{frame}");
    assert!(frame.contains(" 1/5 "), "{frame}");
    let open = ui.key(KeyCode::Enter);
    assert_eq!(requests(&open), vec![Request::FamilyGet { code: FamilyCode::new(2026, 1) }], "the same family");
}

#[test]
fn the_selection_follows_its_need_when_the_list_reorders() {
    let fx = tui_fixture();
    let mut ui = Loop::new(&fx.bank, ANNA, Lang::It);
    // By urgency: the emergency R-2026-0002 first, then the ordinary ones by code.
    ui.type_in("3o");
    let frame = ui.frame();
    let at = |frame: &str, code: &str| frame.find(code).unwrap_or(usize::MAX);
    assert!(at(&frame, "R-2026-0002") < at(&frame, "R-2026-0001"), "{frame}");
    // R-2026-0001 stayed selected through the sort (second now); R-2026-0003 next.
    assert!(frame.contains(" 2/5 "), "{frame}");
    ui.type_in("j");
    // R-2026-0005 becomes an emergency: it comes second, before R-2026-0003.
    let code = NeedCode::new(2026, 5);
    let (revision, mut input) = fx.need_as_input(code);
    input.placement.urgency = Urgency::Emergency { needed_by: time::macros::date!(2026 - 12 - 01) };
    let saved = fx.saved(BRUNO, Request::NeedUpdate { code, base_revision: revision, input });
    ui.changed(RecordKind::Need, saved.code, saved.revision);
    let frame = ui.frame();
    assert!(at(&frame, "R-2026-0005") < at(&frame, "R-2026-0003"), "reordered:\n{frame}");
    assert!(frame.contains(" 4/5 "), "{frame}");
    let open = ui.key(KeyCode::Enter);
    assert_eq!(requests(&open), vec![Request::NeedGet { code: NeedCode::new(2026, 3) }], "the same need");
}

#[test]
fn the_selection_follows_its_service_when_the_list_reorders() {
    let fx = tui_fixture();
    let mut ui = Loop::new(&fx.bank, ANNA, Lang::En);
    // By name: Bergamo's (S-002) first, then Dalmine's (S-001), selected.
    ui.type_in("7oj");
    let frame = ui.frame();
    assert!(frame.contains("sorted by: name"), "{frame}");
    let at = |frame: &str, code: &str| frame.find(&format!("{code}  ")).unwrap_or(usize::MAX);
    assert!(at(&frame, "S-002") < at(&frame, "S-001"), "{frame}");
    // S-002 is renamed: it moves after S-001.
    let Reply::Service(s2) = fx.ok(ADMIN, Request::ServiceGet { code: S2 }) else { panic!("S-002") };
    let mut input = s2.record.details.clone();
    input.name = "Zeta Servizio Affidi di Bergamo".into();
    let saved = fx.saved(ADMIN, Request::ServiceUpdate { code: S2, base_revision: s2.revision, input });
    ui.changed(RecordKind::Service, saved.code, saved.revision);
    let frame = ui.frame();
    assert!(at(&frame, "S-001") < at(&frame, "S-002"), "reordered:\n{frame}");
    let open = ui.key(KeyCode::Enter);
    assert_eq!(requests(&open), vec![Request::ServiceGet { code: S1 }], "the same service");
}

/// The line of `frame` that holds `needle`.
fn line_with<'a>(frame: &'a str, needle: &str) -> &'a str {
    frame.lines().find(|l| l.contains(needle)).unwrap_or_default()
}

#[test]
fn a_save_pressed_twice_while_the_first_is_on_its_way_sends_one_request() {
    let fx = tui_fixture();
    let mut ui = Loop::new(&fx.bank, ADMIN, Lang::It);
    ui.type_in("7n");
    ui.type_in("Servizio Affidi Doppio");
    ui.press(KeyCode::Tab);
    ui.press(KeyCode::Tab);
    ui.type_in("Dalmine");
    let ctrl_s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
    let first = ui.key_event(ctrl_s);
    assert!(matches!(&requests(&first)[..], [Request::ServiceCreate { .. }]), "{first:?}");
    // The answer has not come yet: the second press asks for nothing.
    let second = ui.key_event(ctrl_s);
    assert_eq!(requests(&second), vec![], "a second create while the first is on its way");
    assert!(ui.frame().contains("salvataggio in corso"), "{}", ui.frame());
    ui.settle(first);
    let frame = ui.frame();
    assert!(frame.contains("Salvato: S-003"), "{frame}");
    assert!(!frame.contains("S-004"), "one service, not two:\n{frame}");
}

#[test]
fn a_code_pasted_into_the_lists_filter_narrows_the_list() {
    let fx = tui_fixture();
    let mut ui = Loop::new(&fx.bank, ANNA, Lang::It);
    ui.type_in("2f");
    let effects = ui.app.update(Msg::Paste("F-2026-0002\n".into()));
    ui.settle(effects);
    let frame = ui.frame();
    assert!(frame.contains("Filtro: F-2026-0002"), "{frame}");
    assert!(frame.contains("F-2026-0002"), "{frame}");
    assert!(!frame.contains("F-2026-0001"), "filtered out:\n{frame}");
}

#[test]
fn a_need_row_asked_again_after_a_change_reads_no_identity() {
    let fx = tui_fixture();
    let mut ui = Loop::new(&fx.bank, ANNA, Lang::It);
    ui.type_in("3");
    let code = NeedCode::new(2026, 3);
    let reads_by_anna = || {
        let audit = fx
            .bank
            .handle(&Actor::new(ADMIN), Request::AuditList { record: Some(code.to_string()), limit: 100, after: None });
        let Ok(Reply::Audit(page)) = audit else { panic!("{audit:?}") };
        page.items.iter().filter(|e| e.actor == ANNA && e.action == banca::api::AuditAction::ReadIdentity).count()
    };
    // A colleague edits a need of Anna's service while her list shows it.
    let (revision, mut input) = fx.need_as_input(code);
    input.placement.notes = "Nota aggiornata".into();
    let saved = fx.saved(ANNA, Request::NeedUpdate { code, base_revision: revision, input });
    let before = reads_by_anna();
    let live = Event::Changed(Change {
        kind: RecordKind::Need,
        code: saved.code.clone(),
        revision: saved.revision,
        by: "elena".into(),
    });
    let effects = ui.app.update(Msg::Live(Live::Changed(live)));
    // Only the row: the shared view, not the record with the child's identity.
    assert_eq!(requests(&effects), vec![Request::NeedShared { code }]);
    ui.settle(effects);
    assert_eq!(reads_by_anna(), before, "no identity read on record for a list's row");
}

#[test]
fn end_on_a_card_shows_its_last_lines_not_an_empty_frame() {
    let fx = tui_fixture();
    let mut ui = Loop::new(&fx.bank, ANNA, Lang::It);
    ui.type_in("2");
    ui.press(KeyCode::Enter);
    let frame = draw_to_string(&mut ui.app, 80, 24);
    assert!(!frame.contains("modificata il"), "a card longer than the frame:\n{frame}");
    ui.press(KeyCode::End);
    let frame = draw_to_string(&mut ui.app, 80, 24);
    assert!(frame.contains("modificata il"), "the card's footer in sight after End:\n{frame}");
    ui.press(KeyCode::Home);
    let frame = draw_to_string(&mut ui.app, 80, 24);
    assert!(frame.contains("F-2026-0001"), "{frame}");
}

#[test]
fn match_is_not_offered_on_a_closed_need_and_refused_at_once_if_pressed() {
    let fx = tui_fixture();
    let mut ui = Loop::new(&fx.bank, ANNA, Lang::It);
    // R-2026-0001, first by code, is closed (its child placed).
    ui.type_in("3");
    ui.press(KeyCode::Enter);
    let frame = ui.frame();
    assert!(frame.contains("R-2026-0001"), "{frame}");
    assert!(!help_bar(&frame).contains(" m "), "no matching for a closed need: {}", help_bar(&frame));
    let pressed = ui.key(KeyCode::Char('m'));
    assert_eq!(requests(&pressed), vec![], "nothing asked of the core");
    ui.settle(pressed);
    let frame = ui.frame();
    assert!(frame.contains("R-2026-0001: richiesta chiusa: non si abbina più"), "{frame}");
    assert!(frame.contains("Richieste R-2026-0001"), "still on its card:\n{frame}");
}
