//! The terminal interface: `banca` with no command. A client of the server
//! like every command, drawing what the server says and sending it the
//! operator's requests; the server's events keep it live.

mod app;
mod help;
pub mod keys;
pub mod log;
pub mod screens;
mod search;
pub mod source;
mod terminal;
pub mod text;
pub mod theme;
pub mod widgets;
pub mod worker;

use std::sync::mpsc;
use std::time::Duration;

use ratatui::crossterm::event::{self, Event as TermEvent};

pub use app::{App, Effect, Msg, To, MIN_HEIGHT, MIN_WIDTH};
pub use screens::{ScreenId, Tag, View};
pub use source::{CallError, Delayed, Live, ServerSource, Source};
pub use theme::Theme;
pub use worker::{Job, Replied, Worker};

use crate::api::{Reply, Request};
use crate::client::Target;
use crate::i18n::Lang;

/// How the interface was asked to run.
#[derive(Debug, Clone)]
pub struct TuiOptions {
    pub target: Target,
    pub lang: Lang,
    pub mouse: bool,
    /// The bank's folder, shown on the top line.
    pub bank_label: String,
}

#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    /// The sentence to show (the server could not be reached, the user is not an operator…).
    #[error("{0}")]
    Refused(String),
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
}

/// The view of the operator the server says we are (asked once, before the interface starts).
pub fn view_for(source: &mut dyn Source, lang: Lang, theme: Theme, today: time::Date) -> Result<View, CallError> {
    let who = match source.call(Request::Whoami)? {
        Reply::Whoami(p) => p,
        other => return Err(CallError::Link { message: format!("{other:?}"), write_unknown: false }),
    };
    Ok(View { lang, theme, who, today })
}

/// How long the loop waits with nothing to do before a `Tick`.
const TICK: Duration = Duration::from_secs(30);

/// Runs the interface until the operator quits: keys, replies and events
/// arrive on one channel as messages; the app's effects go to the worker
/// that owns the connection. Nothing here waits for the server.
pub fn run(options: TuiOptions) -> Result<(), TuiError> {
    let lang = options.lang;
    let mut source =
        ServerSource::connect(options.target.clone(), lang).map_err(|e| TuiError::Refused(e.message(lang)))?;
    let view = view_for(
        &mut source,
        lang,
        Theme::from_env(),
        crate::model::clock::Clock::now(&crate::model::clock::SystemClock).date(),
    )
    .map_err(|e| TuiError::Refused(e.message(lang)))?;
    let (tx, rx) = mpsc::channel::<Msg>();
    source.listen(tx.clone());
    let worker = Worker::spawn(Box::new(source), tx.clone());
    let (mut app, effects) = App::new(view, options.bank_label.clone());
    perform(&worker, effects);
    let mut guard = terminal::TerminalGuard::enter(options.mouse)?;
    // The screens are laid out for the terminal as it is from the first key.
    let size = guard.terminal.size()?;
    perform(&worker, app.update(Msg::Resize(size.width, size.height)));
    std::thread::spawn(move || loop {
        let msg = match event::read() {
            Ok(TermEvent::Key(k)) => Msg::Key(k),
            Ok(TermEvent::Mouse(m)) => Msg::Mouse(m),
            Ok(TermEvent::Resize(width, height)) => Msg::Resize(width, height),
            // One message for the whole paste, not a key per character.
            Ok(TermEvent::Paste(text)) => Msg::Paste(text),
            Ok(_) => continue,
            Err(_) => return,
        };
        if tx.send(msg).is_err() {
            return;
        }
    });
    tracing::info!(user = %app.user(), "interface started");
    loop {
        if app.take_dirty() {
            guard.terminal.draw(|f| app.view(f))?;
        }
        if app.should_quit() {
            break;
        }
        // A list the operator scrolled near the end of grows by a page:
        // asked for, not waited for (one at a time: `wants_more` is false
        // while the screen waits for an answer).
        if app.wants_more() {
            let effects = app.load_more();
            perform(&worker, effects);
        }
        // Everything waiting is handled before the next frame: one frame per batch.
        let first = match rx.recv_timeout(TICK) {
            Ok(msg) => msg,
            Err(mpsc::RecvTimeoutError::Timeout) => Msg::Tick,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        for msg in std::iter::once(first).chain(std::iter::from_fn(|| rx.try_recv().ok())) {
            let effects = app.update(msg);
            perform(&worker, effects);
            if app.should_quit() {
                break;
            }
        }
    }
    drop(guard);
    Ok(())
}

/// Hands the requests to the worker. A worker gone (it never ends on its
/// own) leaves the requests unanswered: the screens keep saying "loading".
fn perform(worker: &Worker, effects: Vec<Effect>) {
    for effect in effects {
        match effect {
            Effect::Send { id, request, .. } => {
                worker.send(Job { id, request });
            }
            Effect::Quit => {}
        }
    }
}

/// The app driven in this thread against a source answered at once: each
/// request an effect asks for is answered before the next message, until
/// nothing is left in flight. For tests and benchmarks; it counts requests.
pub struct InProcess {
    pub app: App,
    source: Box<dyn Source>,
    /// Requests answered so far.
    pub requests: usize,
}

impl InProcess {
    pub fn new(source: Box<dyn Source>, view: View, bank: String) -> InProcess {
        let (app, effects) = App::new(view, bank);
        let mut driven = InProcess { app, source, requests: 0 };
        driven.settle(effects);
        driven
    }

    /// One message, then every reply it leads to.
    pub fn update(&mut self, msg: Msg) {
        let effects = self.app.update(msg);
        self.settle(effects);
    }

    pub fn key(&mut self, key: ratatui::crossterm::event::KeyEvent) {
        self.update(Msg::Key(key));
    }

    pub fn mouse(&mut self, ev: ratatui::crossterm::event::MouseEvent) {
        self.update(Msg::Mouse(ev));
    }

    pub fn live(&mut self, live: Live) {
        self.update(Msg::Live(live));
    }

    /// The next page of the list shown, as the loop asks for it between keys.
    pub fn load_more(&mut self) {
        let effects = self.app.load_more();
        self.settle(effects);
    }

    /// Opens a record by its code on its screen.
    pub fn open(&mut self, code: &str) {
        let effects = self.app.open(code);
        self.settle(effects);
    }

    fn settle(&mut self, effects: Vec<Effect>) {
        let mut pending: std::collections::VecDeque<Effect> = effects.into();
        while let Some(effect) = pending.pop_front() {
            if let Effect::Send { id, request, .. } = effect {
                self.requests += 1;
                let result = self.source.call(request);
                let connected = self.source.connected();
                pending.extend(self.app.update(Msg::Replied(Replied { id, result, connected })));
            }
        }
    }
}

impl std::ops::Deref for InProcess {
    type Target = App;
    fn deref(&self) -> &App {
        &self.app
    }
}

impl std::ops::DerefMut for InProcess {
    fn deref_mut(&mut self) -> &mut App {
        &mut self.app
    }
}

/// The app told the terminal is `width`×`height` (a resize), then drawn
/// on a test backend as text (tests, benchmarks).
pub fn draw_to_string(app: &mut App, width: u16, height: u16) -> String {
    // A resize asks nothing of the server.
    let _ = app.update(Msg::Resize(width, height));
    frame_to_string(app, width, height)
}

/// The app drawn as it is on a test backend of `width`×`height`, as text:
/// nothing in the app changes.
pub fn frame_to_string(app: &App, width: u16, height: u16) -> String {
    let backend = ratatui::backend::TestBackend::new(width, height);
    let mut terminal = ratatui::Terminal::new(backend).expect("test backend");
    let _ = terminal.draw(|f| app.view(f));
    let buffer = terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..buffer.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buffer[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
            line.push_str(sym);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
