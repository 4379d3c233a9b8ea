//! The application: the screens, the popups above them, the lines around
//! them (who is working, the tabs, the status, the keys) and where every
//! key, click, reply and server event goes: `update` takes a message and
//! gives back effects (requests to send, quitting) and never waits for the
//! server; `view` draws the state.

use std::collections::HashMap;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Tabs};
use ratatui::Frame;

use super::help::HelpPopup;
use super::keys::{self, code, ctrl, label, plain, Binding, Hint};
use super::screens::{cares, Ctx, Notice, Outcome, Screen, ScreenId, Tag, View};
use super::search::SearchPopup;
use super::source::{CallError, Live};
use super::text::T;
use super::worker::Replied;
use crate::api::{Event, Reply, Request};
use crate::model::{plain, PlacementCode, ProposalCode, ProposalStatus, StepCause};

/// The smallest terminal the screens are laid out for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Global {
    Screen(usize),
    Search,
    Help,
    Quit,
}

/// The help's name for the digits that switch screens, by how many screens there are.
const DIGITS_SHOWN: [&str; 10] = ["1", "1-2", "1-3", "1-4", "1-5", "1-6", "1-7", "1-8", "1-9", "1-0"];

/// The key of the figures, the one screen past the ten digits.
const STATISTICS_KEY: char = '%';

/// The application's own keys, after the screen's.
const GLOBAL: &[Binding<Global>] = &[
    Binding { keys: &[plain('/')], shown: "/", label: label!(T::Search), action: Global::Search, bar: true },
    // Handled in `App::key` (h/l are ←/→, which move between panes): listed for the help only.
    Binding { keys: &[], shown: "←→ hl", label: label!(T::Pane), action: Global::Help, bar: false },
    Binding {
        keys: &[plain('?'), code(KeyCode::F(1))],
        shown: "? F1",
        label: label!(T::Help),
        action: Global::Help,
        bar: true,
    },
    Binding { keys: &[plain('q'), ctrl('c')], shown: "q", label: label!(T::Quit), action: Global::Quit, bar: true },
];

/// Keys that work even while a text field has the keys.
const ALWAYS: &[Binding<Global>] = &[
    Binding { keys: &[code(KeyCode::F(1))], shown: "F1", label: label!(T::Help), action: Global::Help, bar: true },
    Binding { keys: &[ctrl('c')], shown: "^C", label: label!(T::Quit), action: Global::Quit, bar: true },
];

enum Popup {
    Help(HelpPopup),
    Search(SearchPopup),
    ConfirmQuit,
}

/// Everything the interface reacts to. (Each message is moved once, from
/// the channel to `update`, never stored in numbers: its size does not matter.)
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    /// The terminal's new size (columns, rows).
    Resize(u16, u16),
    /// The answer to a request sent as `Effect::Send`.
    Replied(Replied),
    /// What the server pushed, or what happened to it.
    Live(Live),
    /// Text pasted into the terminal (bracketed paste): one message
    /// however long, for the entry that has the keys.
    Paste(String),
    /// Time passed (the loop's wait ended with nothing to do).
    Tick,
}

impl From<Live> for Msg {
    fn from(l: Live) -> Self {
        Msg::Live(l)
    }
}

impl From<Replied> for Msg {
    fn from(r: Replied) -> Self {
        Msg::Replied(r)
    }
}

/// Who asked for a request: its reply goes back there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum To {
    Screen(ScreenId),
    Search,
    App,
}

/// What the interface asks the world to do after a message (moved once, to the worker).
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Ask the server; the answer comes back as `Msg::Replied` with `id`.
    Send {
        id: u64,
        to: To,
        tag: Tag,
        request: Request,
    },
    Quit,
}

/// A request sent and not answered yet.
#[derive(Debug, Clone, Copy)]
struct Asked {
    to: To,
    tag: Tag,
    newest_only: bool,
}

/// The application's own requests.
const SERVICE_NAME: Tag = "service-name";
const INBOX: Tag = "inbox";
const CLOSED: Tag = "closed";
const FOUND: Tag = "found";

pub struct App {
    view: View,
    /// The bank's folder, as the top line shows it.
    bank: String,
    service_name: String,
    screens: Vec<Box<dyn Screen>>,
    /// The screens offered as tabs (digits 1..N), as the operator's role allows.
    tabs: Vec<ScreenId>,
    current: usize,
    popup: Option<Popup>,
    notice: Option<Notice>,
    connected: bool,
    quit: bool,
    /// The terminal's size, as last told (`Msg::Resize`): what `layout` lays out.
    size: Rect,
    /// Something changed since the last frame.
    dirty: bool,
    next_id: u64,
    in_flight: HashMap<u64, Asked>,
    /// Reads waiting for the one of the same asker and tag in flight; a
    /// newer one replaces the older, and the reply to the one in flight
    /// is then dropped: only the newest is ever shown.
    queued: Vec<(To, Tag, Request)>,
    /// Proposals announced by an event, waiting for their record: (code, by whom).
    inbox: Vec<(String, String)>,
    /// The effects of the message being handled.
    out: Vec<Effect>,
}

impl App {
    /// The interface on its first screen, and the requests that fill it.
    pub fn new(view: View, bank: String) -> (App, Vec<Effect>) {
        let screens = super::screens::all(&view);
        let tabs = ScreenId::offered(&view);
        let mut app = App {
            view,
            bank,
            service_name: String::new(),
            screens,
            tabs,
            current: 0,
            popup: None,
            notice: None,
            connected: true,
            quit: false,
            size: Rect::new(0, 0, MIN_WIDTH, MIN_HEIGHT),
            dirty: true,
            next_id: 1,
            in_flight: HashMap::new(),
            queued: Vec::new(),
            inbox: Vec::new(),
            out: Vec::new(),
        };
        if let Some(code) = app.view.who.service {
            app.dispatch(To::App, SERVICE_NAME, Request::ServiceGet { code }, false);
        }
        app.with_screen(0, |s, ctx| s.activate(ctx));
        let effects = std::mem::take(&mut app.out);
        (app, effects)
    }

    /// Handles one message; what it asks of the world comes back, in order.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Key(k) => self.key(k),
            Msg::Mouse(m) => self.mouse(m),
            Msg::Paste(text) => self.paste(&text),
            Msg::Resize(width, height) => {
                self.dirty = true;
                self.size = Rect::new(0, 0, width, height);
                let body = layout(self.size).body;
                self.screens[self.current].place(body, &self.view);
                if let Some(Popup::Search(search)) = &mut self.popup {
                    search.place(body);
                }
            }
            Msg::Replied(r) => self.replied(r),
            Msg::Live(l) => self.live(l),
            Msg::Tick => {}
        }
        if self.quit && !self.out.contains(&Effect::Quit) {
            self.out.push(Effect::Quit);
        }
        std::mem::take(&mut self.out)
    }

    pub fn user(&self) -> &str {
        &self.view.who.user
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// Whether a frame must be drawn; reading it clears it.
    pub fn take_dirty(&mut self) -> bool {
        std::mem::take(&mut self.dirty)
    }

    pub fn current(&self) -> ScreenId {
        self.screens[self.current].id()
    }

    /// Requests sent and not answered yet.
    pub fn in_flight(&self) -> usize {
        self.in_flight.len()
    }

    /// Whether `to` waits for an answer.
    fn busy(&self, to: To) -> bool {
        self.in_flight.values().any(|a| a.to == to) || self.queued.iter().any(|(t, ..)| *t == to)
    }

    /// Sends a request. One whose newest answer only matters (a search, a
    /// list) and whose twin (same asker, same tag) is in flight waits
    /// instead, in place of any older one.
    fn dispatch(&mut self, to: To, tag: Tag, request: Request, newest_only: bool) {
        if newest_only && self.in_flight.values().any(|a| a.newest_only && a.to == to && a.tag == tag) {
            self.queued.retain(|(t, g, _)| !(*t == to && *g == tag));
            self.queued.push((to, tag, request));
            return;
        }
        let id = self.next_id;
        self.next_id += 1;
        self.in_flight.insert(id, Asked { to, tag, newest_only });
        self.out.push(Effect::Send { id, to, tag, request });
    }

    fn replied(&mut self, replied: Replied) {
        let Some(asked) = self.in_flight.remove(&replied.id) else { return };
        self.dirty = true;
        self.connected = replied.connected;
        if asked.newest_only {
            if let Some(i) = self.queued.iter().position(|(t, g, _)| *t == asked.to && *g == asked.tag) {
                // A newer one of the same kind waits: this answer is already old.
                let (to, tag, request) = self.queued.remove(i);
                return self.dispatch(to, tag, request, true);
            }
        }
        match asked.to {
            To::Screen(id) => {
                let outcome = self.with_screen(id.index(), |s, ctx| s.reply(asked.tag, replied.result, ctx));
                self.follow(outcome);
            }
            To::Search => {
                if let Some(Popup::Search(search)) = &mut self.popup {
                    search.reply(replied.result, self.view.lang);
                }
            }
            To::App => self.app_reply(asked.tag, replied.result),
        }
    }

    fn app_reply(&mut self, tag: Tag, result: Result<Reply, CallError>) {
        match (tag, result) {
            (SERVICE_NAME, Ok(Reply::Service(s))) => self.service_name = s.record.details.name.clone(),
            (INBOX, Ok(Reply::Proposal(p))) => {
                let code = p.record.code.to_string();
                let by = self.inbox.iter().position(|(c, _)| *c == code).map(|i| self.inbox.remove(i).1);
                let by = by.unwrap_or_default();
                let service = self.view.who.service;
                let family_side = service == Some(p.record.family_service);
                let need_side = service == Some(p.record.need_service);
                let cause = p.record.last_step().and_then(|s| s.cause);
                if let (ProposalStatus::Withdrawn, Some(cause @ StepCause::NoPlaceLeft { .. })) =
                    (p.record.status, cause)
                {
                    // The race for the last place: both sides read why, in one sentence.
                    if family_side || need_side {
                        let cause = crate::present::record::step_cause(&cause, self.view.lang);
                        let text = T::WithdrawnNoPlace.fill(self.view.lang, &[("code", &code), ("cause", &cause)]);
                        self.notice = Some(Notice::Info(text));
                    }
                } else if let Some(text) = inbox_notice(p.record.status, family_side, need_side) {
                    // One status line: this notice replaces any older one, about this proposal or not.
                    self.notice = Some(Notice::Info(format!("{} {code} ({by})", self.view.t(text))));
                }
            }
            (CLOSED, Ok(Reply::Placement(p))) => {
                let code = p.record.code.to_string();
                let by = self.inbox.iter().position(|(c, _)| *c == code).map(|i| self.inbox.remove(i).1);
                let by = by.unwrap_or_default();
                let service = self.view.who.service;
                let mine = service == Some(p.record.family_service) || service == Some(p.record.need_service);
                // The change heard was its closing (made by whoever closed it), not a later one.
                let closed_now = p.record.closing.as_ref().is_some_and(|c| c.by == by);
                if mine && closed_now {
                    self.notice = Some(Notice::Info(format!("{} {code} ({by})", self.view.t(T::PlacementClosed))));
                }
            }
            _ => {}
        }
    }

    /// Gives a message to a screen, laid out first in the area the terminal gives it now.
    fn with_screen<R>(&mut self, index: usize, f: impl FnOnce(&mut dyn Screen, &mut Ctx) -> R) -> R {
        let mut sent = Vec::new();
        self.screens[index].place(layout(self.size).body, &self.view);
        let mut ctx = Ctx { view: &self.view, notice: &mut self.notice, sent: &mut sent };
        let r = f(self.screens[index].as_mut(), &mut ctx);
        let to = To::Screen(self.screens[index].id());
        for sent in sent {
            self.dispatch(to, sent.tag, sent.request, sent.newest_only);
        }
        r
    }

    pub fn goto(&mut self, id: ScreenId) {
        self.current = id.index();
        self.with_screen(self.current, |s, ctx| s.activate(ctx));
    }

    /// Opens a record by its code on its screen: the requests that show it.
    pub fn open(&mut self, code: &str) -> Vec<Effect> {
        self.dirty = true;
        self.show(code);
        std::mem::take(&mut self.out)
    }

    /// Goes to a record's screen and asks for the record.
    fn show(&mut self, code: &str) {
        let Some(id) = ScreenId::for_code(code) else {
            self.notice = Some(Notice::Error(format!("{code}: {}", self.view.t(T::NotFound))));
            return;
        };
        self.current = id.index();
        let code = code.to_string();
        let opened = self.with_screen(self.current, |s, ctx| {
            s.activate(ctx);
            s.open(&code, ctx)
        });
        if !opened && self.notice.is_none() {
            self.notice = Some(Notice::Error(format!("{code}: {}", self.view.t(T::NotFound))));
        }
    }

    /// Where a screen's answer to a key or a reply leads.
    fn follow(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Open(code) => self.show(&code),
            Outcome::Match(code) => {
                self.current = ScreenId::Matching.index();
                self.with_screen(self.current, |s, ctx| {
                    s.activate(ctx);
                    s.open(&code, ctx)
                });
            }
            Outcome::Done | Outcome::Ignored => {}
        }
    }

    /// The keys shown now: the popup's, or the screen's then the application's.
    pub fn hints(&self) -> Vec<Hint> {
        match &self.popup {
            Some(Popup::Help(_)) => HelpPopup::hints(),
            Some(Popup::Search(_)) => SearchPopup::hints(),
            Some(Popup::ConfirmQuit) => Vec::new(),
            None => {
                let screen = &self.screens[self.current];
                let mut h = screen.hints();
                // While a field takes the letters, only these work everywhere.
                h.extend(if screen.captures_text() { keys::hints(ALWAYS) } else { self.global_hints(GLOBAL) });
                h
            }
        }
    }

    fn key(&mut self, ev: KeyEvent) {
        self.dirty = true;
        if ev.kind == ratatui::crossterm::event::KeyEventKind::Release {
            return;
        }
        // Esc then a key typed quickly reaches us as Alt+key through tmux or
        // screen (they wait for escape sequences). No key of ours uses Alt: take it as both.
        if let (KeyCode::Char(c), KeyModifiers::ALT) = (ev.code, ev.modifiers) {
            self.key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
            return self.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
        // Behind "terminal too small" nothing is seen: only quitting (and
        // its question, said on that screen) acts; other keys would change
        // what cannot be watched.
        if self.too_small() && !matches!(self.popup, Some(Popup::ConfirmQuit)) {
            let quit = matches!((ev.code, ev.modifiers), (KeyCode::Char('q'), KeyModifiers::NONE))
                || keys::action(ALWAYS, &ev) == Some(Global::Quit);
            if quit {
                self.global(Global::Quit);
            }
            return;
        }
        match self.popup.take() {
            Some(Popup::Help(mut help)) => {
                if !help.key(&ev) {
                    self.popup = Some(Popup::Help(help));
                }
                return;
            }
            Some(Popup::ConfirmQuit) => {
                let yes =
                    matches!(ev.code, KeyCode::Char(c) if c.eq_ignore_ascii_case(&'s') || c.eq_ignore_ascii_case(&'y'));
                if yes {
                    self.quit = true;
                }
                return;
            }
            Some(Popup::Search(mut search)) => {
                search.place(layout(self.size).body);
                let step = search.key(&ev);
                if let Some(query) = search.take_query() {
                    let request = Request::Search { query, limit: super::search::LIMIT };
                    self.dispatch(To::Search, FOUND, request, true);
                }
                match step {
                    super::search::Step::Stay => self.popup = Some(Popup::Search(search)),
                    super::search::Step::Close => self.forget(To::Search),
                    super::search::Step::Open(code) => {
                        self.forget(To::Search);
                        self.show(&code)
                    }
                }
                return;
            }
            None => {}
        }
        let captures = self.screens[self.current].captures_text();
        if captures {
            if let Some(g) = keys::action(ALWAYS, &ev) {
                return self.global(g);
            }
        }
        // h and l are ← and → (vi keys), like j and k are ↓ and ↑.
        let ev = match (ev.code, ev.modifiers, captures) {
            (KeyCode::Char('h'), KeyModifiers::NONE, false) => KeyEvent::new(KeyCode::Left, KeyModifiers::NONE),
            (KeyCode::Char('l'), KeyModifiers::NONE, false) => KeyEvent::new(KeyCode::Right, KeyModifiers::NONE),
            _ => ev,
        };
        let mut outcome = self.with_screen(self.current, |s, ctx| s.key(&ev, ctx));
        // ← and → a screen has no use for move between its panes, as Shift-Tab and Tab.
        if outcome == Outcome::Ignored && matches!(ev.code, KeyCode::Left | KeyCode::Right) && !captures {
            let pane = if ev.code == KeyCode::Left {
                KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)
            } else {
                KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE)
            };
            outcome = self.with_screen(self.current, |s, ctx| s.key(&pane, ctx));
        }
        match outcome {
            Outcome::Ignored if !captures => {
                if let Some(i) = self.digit(&ev) {
                    self.global(Global::Screen(i));
                } else if let Some(g) = keys::action(GLOBAL, &ev) {
                    self.global(g);
                } else if ev.code == KeyCode::Char('c') && ev.modifiers.contains(KeyModifiers::CONTROL) {
                    self.global(Global::Quit);
                }
            }
            other => self.follow(other),
        }
    }

    /// Answers `to` no longer wants (a popup closed): dropped when they come.
    fn forget(&mut self, to: To) {
        self.in_flight.retain(|_, a| a.to != to);
        self.queued.retain(|(t, ..)| *t != to);
    }

    fn global(&mut self, g: Global) {
        match g {
            Global::Screen(i) => {
                self.current = i;
                self.with_screen(i, |s, ctx| s.activate(ctx));
            }
            Global::Search => {
                let mut search = SearchPopup::default();
                search.place(layout(self.size).body);
                self.popup = Some(Popup::Search(search));
            }
            Global::Help => {
                let screen = self.screens[self.current].hints();
                self.popup = Some(Popup::Help(HelpPopup::new(
                    self.screens[self.current].id().title(self.view.lang),
                    screen,
                    self.global_hints(GLOBAL),
                )))
            }
            Global::Quit => {
                if self.screens.iter().any(|s| s.unsaved()) {
                    self.popup = Some(Popup::ConfirmQuit);
                } else {
                    self.quit = true;
                }
            }
        }
    }

    /// Whether the terminal is under the size the screens need.
    fn too_small(&self) -> bool {
        self.size.width < MIN_WIDTH || self.size.height < MIN_HEIGHT
    }

    /// A paste goes to the screen's entry that has the keys, at once; in a
    /// popup, over a screen too small to see, or where nothing takes text,
    /// it is dropped rather than taken as a burst of commands.
    fn paste(&mut self, text: &str) {
        self.dirty = true;
        if self.popup.is_some() || self.too_small() || !self.screens[self.current].captures_text() {
            return;
        }
        let outcome = self.with_screen(self.current, |s, ctx| s.paste(text, ctx));
        self.follow(outcome);
    }

    fn mouse(&mut self, ev: MouseEvent) {
        if self.popup.is_some() || self.too_small() {
            return;
        }
        if ev.kind == MouseEventKind::Down(MouseButton::Left) && ev.row == layout(self.size).tabs.y {
            if let Some(i) = self.tab_at(ev.column) {
                self.dirty = true;
                return self.global(Global::Screen(i));
            }
        }
        let outcome = self.with_screen(self.current, |s, ctx| s.mouse(&ev, ctx));
        if outcome != Outcome::Ignored {
            self.dirty = true;
        }
        self.follow(outcome);
    }

    /// Which hidden screens have changes not shown yet.
    fn stale(&self) -> Vec<bool> {
        self.screens.iter().enumerate().map(|(i, s)| i != self.current && s.is_stale()).collect()
    }

    /// The screen a digit opens: 1 to N over the tabs this operator is
    /// offered, 0 the tenth (as on the keyboard's row of digits).
    fn digit(&self, ev: &KeyEvent) -> Option<usize> {
        if ev.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) {
            return None;
        }
        let KeyCode::Char(c) = ev.code else { return None };
        if c == STATISTICS_KEY {
            return self.tabs.iter().find(|id| **id == ScreenId::Statistics).map(|id| id.index());
        }
        let n = match c.to_digit(10)? as usize {
            0 => 10,
            n => n,
        };
        self.tabs.iter().filter(|id| **id != ScreenId::Statistics).nth(n - 1).map(|id| id.index())
    }

    /// The application's keys, the digits named for as many screens as there are tabs.
    fn global_hints(&self, bindings: &[Binding<Global>]) -> Vec<Hint> {
        let mut h = keys::hints(bindings);
        let digits = self.tabs.iter().filter(|id| **id != ScreenId::Statistics).count();
        let shown = DIGITS_SHOWN[digits.clamp(1, DIGITS_SHOWN.len()) - 1];
        h.insert(1.min(h.len()), Hint { shown, label: label!(T::Screens), bar: true });
        h
    }

    /// Which tab is under column `x`, measured as `view` lays them out.
    fn tab_at(&self, x: u16) -> Option<usize> {
        let tabs = layout(self.size).tabs;
        let mut left = tabs.x;
        let titles = tab_titles(&self.view, &self.tabs, self.current, &self.stale(), tabs.width);
        for (title, id) in titles.iter().zip(&self.tabs) {
            let width = title.chars().count() as u16 + 3;
            if x >= left && x < left + width {
                return Some(id.index());
            }
            left += width;
        }
        None
    }

    /// The screen shown is near the end of a list the server has more of,
    /// no popup covers it and nothing of it is in flight: `load_more` asks
    /// for the next page.
    pub fn wants_more(&self) -> bool {
        self.popup.is_none()
            && self.connected
            && !self.busy(To::Screen(self.current()))
            && self.screens[self.current].wants_more()
    }

    /// Asks for the next page of the list shown.
    pub fn load_more(&mut self) -> Vec<Effect> {
        self.dirty = true;
        self.with_screen(self.current, |s, ctx| s.load_more(ctx));
        std::mem::take(&mut self.out)
    }

    /// What the server pushed, or what happened to it. A change reaches
    /// only the screens it touches (`screens::cares`): the one shown asks
    /// again for what it shows of it, the others turn stale and reload
    /// when shown.
    fn live(&mut self, live: Live) {
        self.dirty = true;
        match live {
            Live::Changed(ev) => {
                self.notify_inbox(&ev);
                for i in 0..self.screens.len() {
                    if !cares(&ev, self.screens[i].id()) {
                        continue;
                    }
                    if i == self.current {
                        self.with_screen(i, |s, ctx| s.changed(&ev, ctx));
                    } else {
                        self.screens[i].mark_stale();
                    }
                }
            }
            Live::Lagged => {
                self.notice = Some(Notice::Info(self.view.t(T::Lagged).to_string()));
                self.reload_all();
            }
            Live::Lost => {
                self.connected = false;
                self.notice = Some(Notice::Error(self.view.t(T::Disconnected).to_string()));
            }
            Live::Back => {
                self.connected = true;
                self.notice = Some(Notice::Info(self.view.t(T::Reconnected).to_string()));
                self.reload_all();
            }
        }
    }

    /// Events may have been missed: the screen shown reloads, the others when shown.
    fn reload_all(&mut self) {
        for i in 0..self.screens.len() {
            if i != self.current {
                self.screens[i].mark_stale();
            }
        }
        self.with_screen(self.current, |s, ctx| s.reload(ctx));
    }

    /// A proposal someone else made may wait for my service, one my
    /// service made may have been answered, one to my service withdrawn, a
    /// placement started from one of either side: its record says (one
    /// `ProposalGet` per proposal changed by someone else, also alongside
    /// another record, as a placement start moves its proposal); a
    /// placement closed by someone else, on either side, likewise.
    fn notify_inbox(&mut self, ev: &Event) {
        let Some(ev) = ev.change() else { return };
        if ev.by == self.view.who.user {
            return;
        }
        let request = match ev.kind {
            crate::model::RecordKind::Proposal => {
                ProposalCode::parse(&ev.code).map(|code| (INBOX, Request::ProposalGet { code }))
            }
            // A placement of either side closed by someone else (its record says whether it
            // closed); one just started (its first revision) is not: its proposal's notice says it.
            crate::model::RecordKind::Placement if ev.revision > 1 => {
                PlacementCode::parse(&ev.code).map(|code| (CLOSED, Request::PlacementGet { code }))
            }
            _ => None,
        };
        let Some((tag, request)) = request else { return };
        // One entry per record: a read refused (a placement of other services) leaves none behind twice.
        self.inbox.retain(|(c, _)| *c != ev.code);
        self.inbox.push((ev.code.clone(), ev.by.clone()));
        self.dispatch(To::App, tag, request, false);
    }

    /// Draws the whole interface as it is (a pure function of the state:
    /// drawing twice gives the same frame), then scrubs the frame: whatever
    /// a record, an error or the server carried, no control, bidirectional
    /// control or zero-width space reaches the terminal (`widgets::text::scrub`).
    pub fn view(&self, frame: &mut Frame) {
        self.render_screens(frame);
        super::widgets::text::scrub(frame.buffer_mut());
    }

    fn render_screens(&self, frame: &mut Frame) {
        let area = frame.area();
        let theme = self.view.theme;
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            let mut text = format!("{}\n({}×{})", self.view.t(T::TooSmall), area.width, area.height);
            if matches!(self.popup, Some(Popup::ConfirmQuit)) {
                text = format!("{text}\n\n{}", self.view.t(T::QuitUnsaved));
            }
            frame.render_widget(Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: true }), area);
            return;
        }
        let Areas { top, tabs, body, status, bar } = layout(area);
        frame.render_widget(self.top_line(top.width), top);
        let titles: Vec<Line> = tab_titles(&self.view, &self.tabs, self.current, &self.stale(), tabs.width)
            .into_iter()
            .map(Line::from)
            .collect();
        let selected = self.tabs.iter().position(|id| id.index() == self.current);
        let tabs_widget =
            Tabs::new(titles).select(selected).highlight_style(theme.tab_active()).divider("│").padding(" ", " ");
        frame.render_widget(tabs_widget, tabs);
        self.screens[self.current].render(frame, body, &self.view);
        let status_line = match &self.notice {
            Some(Notice::Info(t)) => Line::styled(t.clone(), theme.ok()),
            Some(Notice::Error(t)) => Line::styled(t.clone(), theme.error()),
            None if self.busy(To::Screen(self.current())) || self.busy(To::Search) => {
                Line::styled(self.view.t(T::Loading), theme.dim())
            }
            None => Line::raw(""),
        };
        frame.render_widget(Paragraph::new(status_line), status);
        frame.render_widget(Paragraph::new(help_bar(&self.hints(), &self.view, bar.width)), bar);
        match &self.popup {
            Some(Popup::Help(help)) => help.render(frame, body, &self.view),
            Some(Popup::Search(search)) => search.render(frame, body, &self.view),
            Some(Popup::ConfirmQuit) => super::help::confirm(frame, body, self.view.t(T::QuitUnsaved), &self.view),
            None => {}
        }
    }

    /// Who, where, and whether the server answers; the bank's folder and
    /// the service's name only when they fit, the connection always.
    fn top_line(&self, width: u16) -> Line<'static> {
        let theme = self.view.theme;
        let who = &self.view.who;
        let role = who.role.label(self.view.lang);
        // The coordination's role already says where it stands; anyone else
        // without a service (an administrator) is said to have none.
        let service_code = match who.service {
            Some(c) => c.to_string(),
            None if who.role == crate::model::Role::Coordinator => String::new(),
            None => self.view.t(T::NoService).to_string(),
        };
        let link = if self.connected {
            Span::styled(format!("● {}", self.view.t(T::Connected)), theme.ok())
        } else {
            Span::styled(format!("○ {}", self.view.t(T::Disconnected)), theme.error())
        };
        let person = format!("{} ({})", plain::neutralise(&who.display_name), who.user);
        let with_name = if self.service_name.is_empty() {
            service_code.clone()
        } else {
            format!("{service_code} {}", plain::neutralise(&self.service_name))
        };
        let fixed = 8 + person.chars().count() + role.chars().count() + link.content.chars().count() + 9;
        let room = usize::from(width).saturating_sub(fixed);
        let mut middle = vec![with_name.clone(), role.to_string(), self.bank.clone()];
        if middle.iter().map(|m| m.chars().count() + 3).sum::<usize>() > room + role.len() + 3 {
            middle = vec![with_name.clone(), role.to_string()];
        }
        if middle.iter().map(|m| m.chars().count() + 3).sum::<usize>() > room + role.len() + 3 {
            middle = vec![service_code, role.to_string()];
        }
        let mut spans = vec![
            Span::styled(" banca ", theme.tab_active()),
            Span::raw(" "),
            Span::styled(person, theme.title()),
            Span::raw(" · "),
        ];
        for m in middle.into_iter().filter(|m| !m.is_empty()) {
            spans.push(Span::raw(format!("{m} · ")));
        }
        spans.push(link);
        Line::from(spans)
    }
}

/// Where the parts of the interface go in a terminal of `area`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Areas {
    top: Rect,
    tabs: Rect,
    body: Rect,
    status: Rect,
    bar: Rect,
}

/// The one layout of the interface: `view` draws in it, and the screens
/// are placed in its body before they handle a message (pages, clicks).
/// What a service hears of a proposal someone else moved, by the side it
/// is on: the family's side of a new proposal and of one withdrawn, the
/// need's side of the answer, both of a placement started from it.
fn inbox_notice(status: ProposalStatus, family_side: bool, need_side: bool) -> Option<T> {
    match status {
        ProposalStatus::Proposed if family_side => Some(T::NewProposal),
        ProposalStatus::Withdrawn if family_side || need_side => Some(T::ProposalWithdrawn),
        ProposalStatus::Accepted if need_side => Some(T::ProposalAccepted),
        ProposalStatus::Declined if need_side => Some(T::ProposalDeclined),
        ProposalStatus::Started if family_side || need_side => Some(T::PlacementStarted),
        _ => None,
    }
}

fn layout(area: Rect) -> Areas {
    let [top, tabs, body, status, bar] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    Areas { top, tabs, body, status, bar }
}

/// The tabs' titles: whole when they fit, else the current one whole and
/// the others cut short; a screen with changes not shown yet (`stale`, by
/// screen index) is marked "•".
fn tab_titles(view: &View, tabs: &[ScreenId], current: usize, stale: &[bool], width: u16) -> Vec<String> {
    let full: Vec<String> = tabs.iter().enumerate().map(|(i, id)| tab_title(i, *id, view)).collect();
    let is_stale = |id: &ScreenId| stale.get(id.index()).copied().unwrap_or(false);
    let marks = tabs.iter().filter(|id| is_stale(id)).count();
    let total = |titles: &[String]| titles.iter().map(|t| t.chars().count() + 3).sum::<usize>() + marks;
    // Every tab in sight: the others cut to 6 characters ("2 Fami"), down
    // to their key and initial ("2 F") when even that does not fit.
    let mut titles = full.clone();
    for keep in [usize::MAX, 6, 5, 4, 3] {
        titles = full
            .iter()
            .zip(tabs)
            .map(|(t, id)| if id.index() != current { t.chars().take(keep).collect() } else { t.clone() })
            .collect();
        if total(&titles) <= usize::from(width) {
            break;
        }
    }
    titles.into_iter().zip(tabs).map(|(t, id)| if is_stale(id) { format!("{t}•") } else { t }).collect()
}

/// "1 Cruscotto" … "9 Incontri", "0 Registro": the digit that opens it;
/// "% Statistiche", past the digits.
fn tab_title(i: usize, id: ScreenId, view: &View) -> String {
    match id {
        ScreenId::Statistics => format!("{STATISTICS_KEY} {}", id.title(view.lang)),
        _ => format!("{} {}", (i + 1) % 10, id.title(view.lang)),
    }
}

/// The bottom line: the keys that work now, as many as fit.
fn help_bar(hints: &[Hint], view: &View, width: u16) -> Line<'static> {
    let theme = view.theme;
    let mut spans = Vec::new();
    let mut used = 0usize;
    for h in hints.iter().filter(|h| h.bar && !h.shown.is_empty()) {
        let text = (h.label)(view.lang);
        let len = h.shown.chars().count() + text.chars().count() + 3;
        if used + len > usize::from(width) {
            break;
        }
        spans.push(Span::styled(format!(" {}", h.shown), theme.key()));
        spans.push(Span::styled(format!(" {text} "), Style::default()));
        used += len;
    }
    Line::from(spans)
}
