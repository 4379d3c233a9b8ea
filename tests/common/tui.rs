//! The interface driven in tests: an `InProcess` on the real core as one of the
//! fixture's operators, keys pressed, frames drawn as text.

use std::sync::Arc;

use banca::api::Request;
use banca::bank::{Actor, Bank};
use banca::i18n::Lang;
use banca::tui::{draw_to_string, view_for, Effect, InProcess, Theme};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::core_source::CoreSource;
use super::NOW;

/// The sizes every screen is snapshotted at: the smallest usable, and a roomy one.
pub const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

pub fn app(bank: &Arc<Bank>, user: &str, lang: Lang) -> InProcess {
    let mut source = CoreSource { bank: bank.clone(), actor: Actor::new(user.to_string()) };
    let view = view_for(&mut source, lang, Theme::plain(), NOW.date()).expect("whoami");
    InProcess::new(Box::new(source), view, "/srv/banca/bank".into())
}

/// Types `keys`, one character each.
pub fn press(app: &mut InProcess, keys: &str) {
    for c in keys.chars() {
        app.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
}

pub fn key(app: &mut InProcess, code: KeyCode) {
    app.key(KeyEvent::new(code, KeyModifiers::NONE));
}

pub fn keys(app: &mut InProcess, code: KeyCode, times: usize) {
    for _ in 0..times {
        key(app, code);
    }
}

/// What `keys` lead to, drawn at both sizes in both languages, each named
/// by its suffix (`it_80x24`…) for the caller's snapshot.
pub fn frames(bank: &Arc<Bank>, user: &str, keys: impl Fn(&mut InProcess)) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for lang in [Lang::It, Lang::En] {
        for (w, h) in SIZES {
            let mut app = app(bank, user, lang);
            keys(&mut app);
            let lang_name = if lang == Lang::It { "it" } else { "en" };
            out.push((format!("{lang_name}_{w}x{h}"), draw_to_string(&mut app, w, h)));
        }
    }
    out
}

/// The line of a frame that holds `needle`.
pub fn line_with<'a>(frame: &'a str, needle: &str) -> &'a str {
    frame.lines().find(|l| l.contains(needle)).unwrap_or_else(|| panic!("no line with {needle}:\n{frame}"))
}

/// The requests among a message's effects, in the order asked.
pub fn requests(effects: &[Effect]) -> Vec<Request> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send { request, .. } => Some(request.clone()),
            Effect::Quit => None,
        })
        .collect()
}
