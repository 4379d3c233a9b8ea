//! The application: the screens, the popups above them, the lines around
//! them (who is working, the tabs, the status, the keys) and where every
//! key, click and server event goes. It only changes state; `render` draws it.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Tabs};
use ratatui::Frame;

use super::help::HelpPopup;
use super::keys::{self, code, ctrl, label, plain, Binding, Hint, Key};
use super::screens::{Ctx, Notice, Outcome, Screen, ScreenId, View};
use super::search::SearchPopup;
use super::source::{Live, Source};
use super::text::T;
use crate::api::{Reply, Request};
use crate::model::{plain, ProposalCode, ProposalStatus};
use crate::protocol::Event;

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

const DIGITS: [Key; 8] =
    [plain('1'), plain('2'), plain('3'), plain('4'), plain('5'), plain('6'), plain('7'), plain('8')];

/// The application's own keys, after the screen's.
const GLOBAL: &[Binding<Global>] = &[
    Binding { keys: &[plain('/')], shown: "/", label: label!(T::Search), action: Global::Search, bar: true },
    Binding { keys: &[DIGITS[0]], shown: "1-8", label: label!(T::Screens), action: Global::Screen(0), bar: true },
    Binding { keys: &[DIGITS[1]], shown: "", label: label!(T::Screens), action: Global::Screen(1), bar: false },
    Binding { keys: &[DIGITS[2]], shown: "", label: label!(T::Screens), action: Global::Screen(2), bar: false },
    Binding { keys: &[DIGITS[3]], shown: "", label: label!(T::Screens), action: Global::Screen(3), bar: false },
    Binding { keys: &[DIGITS[4]], shown: "", label: label!(T::Screens), action: Global::Screen(4), bar: false },
    Binding { keys: &[DIGITS[5]], shown: "", label: label!(T::Screens), action: Global::Screen(5), bar: false },
    Binding { keys: &[DIGITS[6]], shown: "", label: label!(T::Screens), action: Global::Screen(6), bar: false },
    Binding { keys: &[DIGITS[7]], shown: "", label: label!(T::Screens), action: Global::Screen(7), bar: false },
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

pub struct App {
    source: Box<dyn Source>,
    view: View,
    /// The bank's folder, as the top line shows it.
    bank: String,
    service_name: String,
    screens: Vec<Box<dyn Screen>>,
    current: usize,
    popup: Option<Popup>,
    notice: Option<Notice>,
    connected: bool,
    quit: bool,
    /// Where the tabs were drawn, for clicks.
    tabs_area: Rect,
    /// Something changed since the last frame.
    dirty: bool,
}

impl App {
    pub fn new(mut source: Box<dyn Source>, view: View, bank: String) -> App {
        let service_name = match view.who.service {
            Some(code) => match source.call(Request::ServiceGet { code }) {
                Ok(Reply::Service(s)) => s.record.details.name.clone(),
                _ => String::new(),
            },
            None => String::new(),
        };
        let screens = super::screens::all(&view);
        let mut app = App {
            source,
            view,
            bank,
            service_name,
            screens,
            current: 0,
            popup: None,
            notice: None,
            connected: true,
            quit: false,
            tabs_area: Rect::default(),
            dirty: true,
        };
        app.with_screen(0, |s, ctx| s.activate(ctx));
        app
    }

    /// The terminal was resized: draw again.
    pub fn redraw(&mut self) {
        self.dirty = true;
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

    fn with_screen<R>(&mut self, index: usize, f: impl FnOnce(&mut dyn Screen, &mut Ctx) -> R) -> R {
        let mut ctx = Ctx { source: self.source.as_mut(), view: &self.view, notice: &mut self.notice };
        let r = f(self.screens[index].as_mut(), &mut ctx);
        self.connected = self.source.connected();
        r
    }

    pub fn goto(&mut self, id: ScreenId) {
        self.current = id.index();
        self.with_screen(self.current, |s, ctx| s.activate(ctx));
    }

    /// Opens a record by its code on its screen.
    pub fn open(&mut self, code: &str) {
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
                h.extend(keys::hints(if screen.captures_text() { ALWAYS } else { GLOBAL }));
                h
            }
        }
    }

    pub fn key(&mut self, ev: KeyEvent) {
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
                let mut ctx = Ctx { source: self.source.as_mut(), view: &self.view, notice: &mut self.notice };
                match search.key(&ev, &mut ctx) {
                    super::search::Step::Stay => self.popup = Some(Popup::Search(search)),
                    super::search::Step::Close => {}
                    super::search::Step::Open(code) => self.open(&code),
                }
                self.connected = self.source.connected();
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
            Outcome::Done => {}
            Outcome::Open(code) => self.open(&code),
            Outcome::Match(code) => {
                self.current = ScreenId::Matching.index();
                self.with_screen(self.current, |s, ctx| {
                    s.activate(ctx);
                    s.open(&code, ctx)
                });
            }
            Outcome::Ignored if !captures => {
                if let Some(g) = keys::action(GLOBAL, &ev) {
                    self.global(g);
                } else if ev.code == KeyCode::Char('c') && ev.modifiers.contains(KeyModifiers::CONTROL) {
                    self.global(Global::Quit);
                }
            }
            Outcome::Ignored => {}
        }
    }

    fn global(&mut self, g: Global) {
        match g {
            Global::Screen(i) => {
                self.current = i;
                self.with_screen(i, |s, ctx| s.activate(ctx));
            }
            Global::Search => self.popup = Some(Popup::Search(SearchPopup::default())),
            Global::Help => {
                let screen = self.screens[self.current].hints();
                self.popup = Some(Popup::Help(HelpPopup::new(
                    self.screens[self.current].id().title(self.view.lang),
                    screen,
                    keys::hints(GLOBAL),
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

    pub fn mouse(&mut self, ev: MouseEvent) {
        if self.popup.is_some() {
            return;
        }
        if ev.kind == MouseEventKind::Down(MouseButton::Left) && ev.row == self.tabs_area.y {
            if let Some(i) = self.tab_at(ev.column) {
                self.dirty = true;
                return self.global(Global::Screen(i));
            }
        }
        let outcome = self.with_screen(self.current, |s, ctx| s.mouse(&ev, ctx));
        if outcome != Outcome::Ignored {
            self.dirty = true;
        }
        if let Outcome::Open(code) = outcome {
            self.open(&code);
        }
    }

    /// Which tab is under column `x`, measured as `render_tabs` lays them out.
    fn tab_at(&self, x: u16) -> Option<usize> {
        let mut left = self.tabs_area.x;
        for (i, title) in tab_titles(&self.view, self.current, self.tabs_area.width).iter().enumerate() {
            let width = title.chars().count() as u16 + 3;
            if x >= left && x < left + width {
                return Some(i);
            }
            left += width;
        }
        None
    }

    /// The screen shown is near the end of a list the server has more of
    /// (and no popup covers it): `load_more` should run before the next wait.
    pub fn wants_more(&self) -> bool {
        self.popup.is_none() && self.connected && self.screens[self.current].wants_more()
    }

    /// Fetches the next page of the list shown: one round trip.
    pub fn load_more(&mut self) {
        self.dirty = true;
        self.with_screen(self.current, |s, ctx| s.load_more(ctx));
    }

    /// What the server pushed, or what happened to it.
    pub fn live(&mut self, live: Live) {
        self.dirty = true;
        match live {
            Live::Changed(ev) => {
                self.notify_inbox(&ev);
                for i in 0..self.screens.len() {
                    self.with_screen(i, |s, ctx| s.changed(&ev, ctx));
                }
            }
            Live::Lagged => {
                self.notice = Some(Notice::Info(self.view.t(T::Lagged).to_string()));
                self.with_screen(self.current, |s, ctx| s.reload(ctx));
            }
            Live::Lost => {
                self.connected = false;
                self.notice = Some(Notice::Error(self.view.t(T::Disconnected).to_string()));
            }
            Live::Back => {
                self.connected = true;
                self.notice = Some(Notice::Info(self.view.t(T::Reconnected).to_string()));
                self.with_screen(self.current, |s, ctx| s.reload(ctx));
            }
        }
    }

    /// A proposal someone else made that waits for my service: say so.
    fn notify_inbox(&mut self, ev: &Event) {
        let Some(ev) = ev.change() else { return };
        if ev.kind != crate::model::RecordKind::Proposal || ev.by == self.view.who.user || ev.revision != 1 {
            return;
        }
        let Some(code) = ProposalCode::parse(&ev.code) else { return };
        if let Ok(Reply::Proposal(p)) = self.source.call(Request::ProposalGet { code }) {
            let mine = self.view.who.service == Some(p.record.family_service);
            if mine && p.record.status == ProposalStatus::Proposed {
                self.notice = Some(Notice::Info(format!("{} {} ({})", self.view.t(T::NewProposal), ev.code, ev.by)));
            }
        }
    }

    /// Draws the whole interface, then scrubs the frame: whatever a record,
    /// an error or the server carried, no control, bidirectional control or
    /// zero-width space reaches the terminal (`widgets::text::scrub`).
    pub fn render(&mut self, frame: &mut Frame) {
        self.render_screens(frame);
        super::widgets::text::scrub(frame.buffer_mut());
    }

    fn render_screens(&mut self, frame: &mut Frame) {
        let area = frame.area();
        let theme = self.view.theme;
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            let text = format!("{}\n({}×{})", self.view.t(T::TooSmall), area.width, area.height);
            frame.render_widget(Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: true }), area);
            return;
        }
        let [top, tabs, body, status, bar] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(area);
        frame.render_widget(self.top_line(top.width), top);
        self.tabs_area = tabs;
        let titles: Vec<Line> = tab_titles(&self.view, self.current, tabs.width).into_iter().map(Line::from).collect();
        let tabs_widget =
            Tabs::new(titles).select(self.current).highlight_style(theme.tab_active()).divider("│").padding(" ", " ");
        frame.render_widget(tabs_widget, tabs);
        self.screens[self.current].render(frame, body, &self.view);
        let status_line = match &self.notice {
            Some(Notice::Info(t)) => Line::styled(t.clone(), theme.ok()),
            Some(Notice::Error(t)) => Line::styled(t.clone(), theme.error()),
            None => Line::raw(""),
        };
        frame.render_widget(Paragraph::new(status_line), status);
        frame.render_widget(Paragraph::new(help_bar(&self.hints(), &self.view, bar.width)), bar);
        match &mut self.popup {
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
        let service_code = who.service.map_or_else(|| self.view.t(T::Coordinator).to_string(), |c| c.to_string());
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
        for m in middle {
            spans.push(Span::raw(format!("{m} · ")));
        }
        spans.push(link);
        Line::from(spans)
    }
}

/// The tabs' titles: whole when they fit, else the current one whole and the others cut short.
fn tab_titles(view: &View, current: usize, width: u16) -> Vec<String> {
    let full: Vec<String> = ScreenId::ALL.iter().enumerate().map(|(i, id)| tab_title(i, *id, view)).collect();
    let total: usize = full.iter().map(|t| t.chars().count() + 3).sum();
    if total <= usize::from(width) {
        return full;
    }
    full.into_iter().enumerate().map(|(i, t)| if i == current { t } else { t.chars().take(6).collect() }).collect()
}

fn tab_title(i: usize, id: ScreenId, view: &View) -> String {
    format!("{} {}", i + 1, id.title(view.lang))
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
