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

use std::sync::mpsc;
use std::time::Duration;

use ratatui::crossterm::event::{self, Event as TermEvent};

pub use app::{App, MIN_HEIGHT, MIN_WIDTH};
pub use screens::{ScreenId, View};
pub use source::{CallError, CoreSource, Live, ServerSource, Source};
pub use theme::Theme;

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

/// Everything the loop waits for.
enum Input {
    Term(TermEvent),
    Live(Live),
}

impl From<Live> for Input {
    fn from(l: Live) -> Self {
        Input::Live(l)
    }
}

/// The view of the operator the server says we are.
pub fn view_for(source: &mut dyn Source, lang: Lang, theme: Theme, today: time::Date) -> Result<View, CallError> {
    let who = match source.call(Request::Whoami)? {
        Reply::Whoami(p) => p,
        other => return Err(CallError::Link { message: format!("{other:?}"), write_unknown: false }),
    };
    Ok(View { lang, theme, who, today })
}

/// Runs the interface until the operator quits.
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
    let (tx, rx) = mpsc::channel::<Input>();
    source.listen(tx.clone());
    let mut app = App::new(Box::new(source), view, options.bank_label.clone());
    let mut guard = terminal::TerminalGuard::enter(options.mouse)?;
    std::thread::spawn(move || loop {
        match event::read() {
            Ok(ev) => {
                if tx.send(Input::Term(ev)).is_err() {
                    return;
                }
            }
            Err(_) => return,
        }
    });
    tracing::info!(user = %app_user(&app), "interface started");
    loop {
        if app.take_dirty() {
            guard.terminal.draw(|f| app.render(f))?;
        }
        if app.should_quit() {
            break;
        }
        // A list the operator scrolled near the end of grows by a page
        // between frames, keys first: the screen is drawn ("loading more…")
        // before each page, never frozen longer than one round trip.
        if app.wants_more() {
            match rx.try_recv() {
                Err(mpsc::TryRecvError::Empty) => {
                    app.load_more();
                    continue;
                }
                Err(mpsc::TryRecvError::Disconnected) => break,
                Ok(input) => {
                    handle(&mut app, input);
                    continue;
                }
            }
        }
        // Everything waiting is handled before the next frame: one frame per batch.
        let first = match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(input) => Some(input),
            Err(mpsc::RecvTimeoutError::Timeout) => None,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        for input in first.into_iter().chain(std::iter::from_fn(|| rx.try_recv().ok())) {
            handle(&mut app, input);
            if app.should_quit() {
                break;
            }
        }
    }
    drop(guard);
    Ok(())
}

fn handle(app: &mut App, input: Input) {
    match input {
        Input::Term(TermEvent::Key(k)) => app.key(k),
        Input::Term(TermEvent::Mouse(m)) => app.mouse(m),
        Input::Term(TermEvent::Resize(..)) => app.redraw(),
        Input::Term(_) => {}
        Input::Live(l) => app.live(l),
    }
}

fn app_user(app: &App) -> String {
    app.user().to_string()
}

/// Runs the app's loop for the given keys on a test backend (tests, benchmarks).
pub fn draw_to_string(app: &mut App, width: u16, height: u16) -> String {
    let backend = ratatui::backend::TestBackend::new(width, height);
    let mut terminal = ratatui::Terminal::new(backend).expect("test backend");
    let _ = terminal.draw(|f| app.render(f));
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
