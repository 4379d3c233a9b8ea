//! The interface's message loop driven by hand, with no server and no
//! worker: messages in (keys, replies, change events), effects out. The
//! replies are the real core's answers to the requests the effects ask
//! for, given back as messages when the test says so: what the screen
//! shows while a request is in flight, how many requests a change costs,
//! and that a search typed fast keeps only its newest query.

mod common;

use std::sync::Arc;

use banca::api::{Change, Event, FamilyFilter, FamilyView, Reply, Request};
use banca::bank::{Actor, Bank};
use banca::i18n::Lang;
use banca::model::RecordKind;
use banca::tui::{draw_to_string, view_for, App, CallError, Effect, Live, Msg, Replied, ScreenId, Theme, To};
use common::core_source::CoreSource;
use common::*;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

struct Loop {
    app: App,
    bank: Arc<Bank>,
    user: String,
}

impl Loop {
    /// The interface of `user`, with the first screen's requests answered.
    fn new(bank: &Arc<Bank>, user: &str) -> Loop {
        let mut source = CoreSource { bank: bank.clone(), actor: Actor::new(user.to_string()) };
        let view = view_for(&mut source, Lang::It, Theme::plain(), NOW.date()).expect("whoami");
        let (app, effects) = App::new(view, "/srv/banca/bank".into());
        let mut l = Loop { app, bank: bank.clone(), user: user.into() };
        l.settle(effects);
        l
    }

    fn key(&mut self, code: KeyCode) -> Vec<Effect> {
        self.app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    fn char(&mut self, c: char) -> Vec<Effect> {
        self.key(KeyCode::Char(c))
    }

    /// The core's answer to one effect, given back as a message.
    fn answer(&mut self, effect: &Effect) -> Vec<Effect> {
        let Effect::Send { id, request, .. } = effect else { return Vec::new() };
        let result = self.bank.handle(&Actor::new(self.user.clone()), request.clone()).map_err(CallError::Bank);
        self.app.update(Msg::Replied(Replied { id: *id, result, connected: true }))
    }

    /// Answers the effects and every request they lead to; how many were sent.
    fn settle(&mut self, effects: Vec<Effect>) -> usize {
        let mut pending = effects;
        let mut sent = 0;
        while !pending.is_empty() {
            let effect = pending.remove(0);
            if matches!(effect, Effect::Send { .. }) {
                sent += 1;
            }
            pending.extend(self.answer(&effect));
        }
        sent
    }

    fn frame(&mut self) -> String {
        draw_to_string(&mut self.app, 120, 40)
    }
}

/// The requests among the effects, with who asked.
fn requests(effects: &[Effect]) -> Vec<(To, Request)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send { to, request, .. } => Some((*to, request.clone())),
            Effect::Quit => None,
        })
        .collect()
}

fn families(bank: &Arc<Bank>, user: &str) -> Vec<FamilyView> {
    match ask(bank, user, Request::FamilyList { filter: FamilyFilter::default() }) {
        Ok(Reply::Families(page)) => page.items,
        other => panic!("families: {other:?}"),
    }
}

fn family_changed(f: &FamilyView, revision: u64, by: &str) -> Msg {
    Msg::Live(Live::Changed(Event::Changed(Change {
        kind: RecordKind::Family,
        code: f.code.to_string(),
        revision,
        by: by.into(),
    })))
}

#[test]
fn a_screen_number_is_one_request_and_its_reply_is_drawn_when_it_comes() {
    let fx = tui_fixture();
    let mut ui = Loop::new(&fx.bank, ANNA);
    let effects = ui.char('2');
    assert_eq!(
        requests(&effects),
        vec![(To::Screen(ScreenId::Families), Request::FamilyList { filter: FamilyFilter::default() })]
    );
    assert_eq!(ui.app.current(), ScreenId::Families, "the screen changes at once");
    let first = &families(&fx.bank, ANNA)[0];
    let waiting = ui.frame();
    assert!(waiting.contains("caricamento…") && !waiting.contains(&first.code.to_string()), "{waiting}");
    assert!(ui.answer(&effects[0]).is_empty());
    let shown = ui.frame();
    assert!(shown.contains(&first.code.to_string()) && !shown.contains("caricamento…"), "{shown}");
}

#[test]
fn a_change_to_a_family_not_shown_sends_nothing_and_to_the_one_shown_one_request() {
    let fx = tui_fixture();
    let mut ui = Loop::new(&fx.bank, ANNA);
    let effects = ui.char('2');
    ui.settle(effects);
    let effects = ui.key(KeyCode::Enter);
    let list = families(&fx.bank, ANNA);
    let (open, other) = (&list[0], &list[1]);
    assert_eq!(requests(&effects), vec![(To::Screen(ScreenId::Families), Request::FamilyGet { code: open.code })]);
    ui.settle(effects);
    assert!(ui.frame().contains(&format!("Famiglie {}", open.code)));

    let effects = ui.app.update(family_changed(other, other.revision + 1, BRUNO));
    assert_eq!(requests(&effects), vec![], "another family than the one shown: nothing asked");
    let effects = ui.app.update(family_changed(open, open.revision + 1, BRUNO));
    assert_eq!(requests(&effects), vec![(To::Screen(ScreenId::Families), Request::FamilyGet { code: open.code })]);
    // Back on the list, the family changed meanwhile is asked for: once.
    ui.settle(effects);
    let effects = ui.key(KeyCode::Esc);
    assert_eq!(requests(&effects), vec![(To::Screen(ScreenId::Families), Request::FamilyGet { code: other.code })]);
}

#[test]
fn typing_fast_keeps_one_search_in_flight_and_the_last_query_wins() {
    let fx = tui_fixture();
    let mut ui = Loop::new(&fx.bank, ANNA);
    assert!(requests(&ui.char('/')).is_empty());
    let first = ui.char('r');
    let search = |q: &str| vec![(To::Search, Request::Search { query: q.into(), limit: 100 })];
    assert_eq!(requests(&first), search("r"));
    assert_eq!(requests(&ui.char('o')), vec![], "one search in flight: the next waits");
    assert_eq!(requests(&ui.char('s')), vec![], "and the one after replaces it");
    assert_eq!(ui.app.in_flight(), 1);
    // The answer to "r" is already old: dropped, and "ros" goes out.
    let next = ui.answer(&first[0]);
    assert_eq!(requests(&next), search("ros"));
    assert!(ui.answer(&next[0]).is_empty());
    assert_eq!(ui.app.in_flight(), 0);
    let frame = ui.frame();
    assert!(frame.contains("/ ros"), "{frame}");
}

#[test]
fn a_hidden_screen_turns_stale_and_reloads_only_when_shown() {
    let fx = tui_fixture();
    let mut ui = Loop::new(&fx.bank, ANNA);
    let effects = ui.char('2');
    ui.settle(effects);
    let effects = ui.char('1');
    assert_eq!(requests(&effects), vec![], "the dashboard was loaded and nothing changed");
    // A family changed while the dashboard shows: its two family panes are read
    // again (each a list and its count) and what is due, the hidden list is not.
    let list = families(&fx.bank, ANNA);
    let effects = ui.app.update(family_changed(&list[0], list[0].revision + 1, BRUNO));
    let asked = requests(&effects);
    assert_eq!(asked.len(), 5, "{asked:?}");
    assert!(asked.iter().all(|(to, _)| *to == To::Screen(ScreenId::Dashboard)), "{asked:?}");
    ui.settle(effects);
    let frame = ui.frame();
    let tabs = frame.lines().nth(1).unwrap_or_default();
    assert!(tabs.contains("2 Fami") && tabs.contains('•'), "the tab says the list has changes not shown:\n{frame}");
    let effects = ui.char('2');
    assert_eq!(
        requests(&effects),
        vec![(To::Screen(ScreenId::Families), Request::FamilyList { filter: FamilyFilter::default() })]
    );
    ui.settle(effects);
    assert!(!ui.frame().contains('•'));
}

#[test]
fn the_saving_interface_does_not_reload_again_for_its_own_change() {
    let fx = tui_fixture();
    let mut ui = Loop::new(&fx.bank, ANNA);
    let effects = ui.char('2');
    ui.settle(effects);
    let effects = ui.key(KeyCode::Enter);
    ui.settle(effects);
    let open = families(&fx.bank, ANNA)[0].clone();
    // "Confirmed today": the record as stored, the update, the record again.
    let effects = ui.char('c');
    assert_eq!(ui.settle(effects), 3);
    let frame = ui.frame();
    assert!(frame.contains("Disponibilità confermata oggi:"), "{frame}");
    let effects = ui.app.update(family_changed(&open, open.revision + 1, ANNA));
    assert_eq!(requests(&effects), vec![], "the record shown is already at that revision");
}

#[test]
fn an_event_of_its_own_save_arriving_before_the_answer_asks_nothing() {
    let fx = tui_fixture();
    let mut ui = Loop::new(&fx.bank, ANNA);
    let effects = ui.char('2');
    ui.settle(effects);
    let effects = ui.key(KeyCode::Enter);
    ui.settle(effects);
    let open = families(&fx.bank, ANNA)[0].clone();
    // "Confirmed today": the record as stored is answered, the update is sent…
    let get = ui.char('c');
    let update = ui.answer(&get[0]);
    assert!(matches!(&requests(&update)[..], [(_, Request::FamilyUpdate { .. })]), "{update:?}");
    // …and the server's event for it comes before its answer: nothing is asked for it.
    let early = ui.app.update(family_changed(&open, open.revision + 1, ANNA));
    assert_eq!(requests(&early), vec![]);
    // The answer asks for the record once.
    let after = ui.answer(&update[0]);
    assert_eq!(requests(&after), vec![(To::Screen(ScreenId::Families), Request::FamilyGet { code: open.code })]);
}

#[test]
fn missed_events_reload_the_screen_shown_and_the_others_when_shown() {
    let fx = tui_fixture();
    let mut ui = Loop::new(&fx.bank, ANNA);
    for screen in ['3', '2'] {
        let effects = ui.char(screen);
        ui.settle(effects);
    }
    let effects = ui.app.update(Msg::Live(Live::Lagged));
    assert_eq!(
        requests(&effects),
        vec![(To::Screen(ScreenId::Families), Request::FamilyList { filter: FamilyFilter::default() })]
    );
    ui.settle(effects);
    let effects = ui.char('3');
    let asked = requests(&effects);
    assert!(
        matches!(&asked[..], [(To::Screen(ScreenId::Needs), Request::NeedList { .. })]),
        "the needs list, once: {asked:?}"
    );
}
