//! Key bindings. Each view declares its keys once, as a list of `Binding`s:
//! the same list decides what a key does, fills the help bar at the bottom
//! and the `?` popup, so they cannot disagree.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::text::T;
use crate::i18n::Lang;

/// One key: a code and the modifiers that must be held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key(pub KeyCode, pub KeyModifiers);

pub const fn plain(c: char) -> Key {
    Key(KeyCode::Char(c), KeyModifiers::NONE)
}

pub const fn code(c: KeyCode) -> Key {
    Key(c, KeyModifiers::NONE)
}

pub const fn ctrl(c: char) -> Key {
    Key(KeyCode::Char(c), KeyModifiers::CONTROL)
}

impl Key {
    /// Does this key event press it? Shift is part of the character for
    /// letters (`N` is not `n`), so it is ignored for characters.
    pub fn matches(self, ev: &KeyEvent) -> bool {
        if ev.kind == KeyEventKind::Release {
            return false;
        }
        let mods = ev.modifiers - KeyModifiers::SHIFT;
        let want = self.1 - KeyModifiers::SHIFT;
        match (self.0, ev.code) {
            (KeyCode::Char(a), KeyCode::Char(b)) => a == b && mods == want,
            (KeyCode::BackTab, KeyCode::BackTab) => true,
            (a, b) => a == b && ev.modifiers == self.1,
        }
    }
}

/// What a text says: a key of some catalogue, in either language.
pub type Label = fn(Lang) -> &'static str;

/// One entry of a view's keys: the keys, how the help shows them, what they
/// do (a text), the action, and whether the bottom bar shows it (the popup
/// always does).
#[derive(Clone, Copy)]
pub struct Binding<A: Copy> {
    pub keys: &'static [Key],
    pub shown: &'static str,
    pub label: Label,
    pub action: A,
    pub bar: bool,
}

/// A binding as the help shows it.
#[derive(Clone, Copy)]
pub struct Hint {
    pub shown: &'static str,
    pub label: Label,
    pub bar: bool,
}

impl<A: Copy> Binding<A> {
    pub fn hint(&self) -> Hint {
        Hint { shown: self.shown, label: self.label, bar: self.bar }
    }
}

/// The action bound to this key event, if any.
pub fn action<A: Copy>(bindings: &[Binding<A>], ev: &KeyEvent) -> Option<A> {
    bindings.iter().find(|b| b.keys.iter().any(|k| k.matches(ev))).map(|b| b.action)
}

pub fn hints<A: Copy>(bindings: &[Binding<A>]) -> Vec<Hint> {
    bindings.iter().map(Binding::hint).collect()
}

/// The label of a text of the main catalogue, as a `Label`.
#[macro_export]
#[doc(hidden)]
macro_rules! tui_label {
    ($t:expr) => {
        |lang: $crate::i18n::Lang| $t.get(lang)
    };
}
pub use crate::tui_label as label;

/// Moving in a list: shared by every list and table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
}

pub const NAV: &[Binding<Nav>] = &[
    Binding {
        keys: &[code(KeyCode::Up), plain('k')],
        shown: "↑↓ jk",
        label: label!(T::Move),
        action: Nav::Up,
        bar: true,
    },
    Binding {
        keys: &[code(KeyCode::Down), plain('j')],
        shown: "",
        label: label!(T::Move),
        action: Nav::Down,
        bar: false,
    },
    Binding {
        keys: &[code(KeyCode::PageUp)],
        shown: "PgUp PgDn",
        label: label!(T::Page),
        action: Nav::PageUp,
        bar: false,
    },
    Binding { keys: &[code(KeyCode::PageDown)], shown: "", label: label!(T::Page), action: Nav::PageDown, bar: false },
    Binding {
        keys: &[code(KeyCode::Home)],
        shown: "Home End",
        label: label!(T::FirstLast),
        action: Nav::Home,
        bar: false,
    },
    Binding { keys: &[code(KeyCode::End)], shown: "", label: label!(T::FirstLast), action: Nav::End, bar: false },
];

/// Nav bindings as the help shows them: one line per pair.
pub fn nav_hints() -> Vec<Hint> {
    NAV.iter().filter(|b| !b.shown.is_empty()).map(Binding::hint).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_ignore_shift_but_not_control() {
        let ev = |c, m| KeyEvent::new(KeyCode::Char(c), m);
        assert!(plain('N').matches(&ev('N', KeyModifiers::SHIFT)));
        assert!(!plain('n').matches(&ev('N', KeyModifiers::SHIFT)));
        assert!(!plain('c').matches(&ev('c', KeyModifiers::CONTROL)));
        assert!(ctrl('c').matches(&ev('c', KeyModifiers::CONTROL)));
        assert_eq!(action(NAV, &ev('j', KeyModifiers::NONE)), Some(Nav::Down));
    }
}
