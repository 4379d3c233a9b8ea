//! A form: one field per line (label, value, the error under it), of a few
//! kinds (text, number, date gg/mm/aaaa, choice, set of choices, yes/no,
//! comune with suggestions). Each input is named by the typed field the
//! core names in its problems (`model::Field::ApprovedOn`), which also gives
//! its label, so the core's refusals land next to the field they are about. Values are kept as the operator typed them;
//! the screen turns them into a request.
//!
//! `Editor` wraps a form with what editing a stored record needs: the
//! revision it started from, the question before discarding, and the
//! conflict view when someone else saved first.

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use crate::i18n::{describe_reason, Lang};
use crate::model::dates::{format_date, parse_date, parse_date_or_word};
use crate::model::fold::{fold, is_subsequence};
use crate::model::{ComuneCode, Comuni, Field, FieldRef, Problem, ServiceCode};
use crate::tui::keys::{code, ctrl, label, plain, Binding, Hint, Key};
use crate::tui::screens::View;
use crate::tui::text::{texts, T};
use crate::tui::theme::Theme;
use crate::tui::widgets::line_editor::{LineEditor, LineKey};

texts!(Fx {
    Save => "salva", "save";
    Next => "campo", "field";
    Change => "cambia, sposta", "change, move";
    Toggle => "segna", "tick";
    Cancel => "annulla", "cancel";
    Pick => "scegli", "pick";
    BadDate => "non è una data valida (gg/mm/aaaa, oggi, ieri, domani)", "is not a valid date (dd/mm/yyyy, today, yesterday, tomorrow)";
    BadNumber => "non è un numero", "is not a number";
    DigitsOnly => "non è una cifra: qui solo numeri", "is not a digit: numbers only here";
    UnknownComune => "comune non trovato", "comune not found";
    Ambiguous => "più comuni con questo nome: sceglierne uno dall'elenco", "several comuni have this name: pick one from the list";
    Required => "obbligatorio", "required";
    Yes => "sì", "yes";
    No => "no", "no";
    None => "—", "—";
    ToFix => "Da correggere:", "To fix:";
    Discard => "Scartare le modifiche non salvate? (s/n)", "Discard the unsaved changes? (y/n)";
    ConflictTitle => "Qualcun altro ha salvato questo record mentre lo modificavi.", "Someone else saved this record while you were editing it.";
    ConflictBy => "modificato da", "changed by";
    ConflictNone => "nessun campo del modulo è cambiato", "no field of the form changed";
    ConflictKeys => "a: riapplica le tue modifiche sopra le loro · r: prendi le loro (scarta le tue) · Esc: torna al modulo", "a: re-apply your changes on top of theirs · r: take theirs (discard yours) · Esc: back to the form";
    Reapply => "riapplica", "re-apply";
    TakeTheirs => "prendi le loro", "take theirs";
    ReloadAsk => "Scartare le tue modifiche e prendere la versione salvata? (s/n)", "Discard your changes and take the saved version? (y/n)";
    Yours => "tue", "yours";
});

/// What a field holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Text(String),
    /// Digits; empty for none.
    Number(String),
    /// As typed; empty for none.
    Date(String),
    /// One of `options` (labels).
    Choice {
        options: Vec<String>,
        index: usize,
    },
    /// Some of `options`; `cursor` is the highlighted one.
    Multi {
        options: Vec<String>,
        on: Vec<bool>,
        cursor: usize,
    },
    YesNo(bool),
    /// What is typed, the comune it names once picked or resolved, and the best few matches.
    Comune {
        text: String,
        code: Option<ComuneCode>,
        suggestions: Vec<(ComuneCode, String)>,
        pick: usize,
    },
}

/// One line of a form: the field it edits and what is typed or picked.
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    /// The core's name for it (`Field::ApprovedOn`): problems are matched on it.
    pub field: FieldRef,
    pub label: String,
    pub kind: Kind,
    pub required: bool,
    pub error: Option<String>,
    /// The value shown on entering the field is a default the first
    /// character typed replaces (numbers, dates, a range's bounds).
    pub replaced_on_entry: bool,
}

impl Input {
    fn new(field: impl Into<FieldRef>, lang: Lang, kind: Kind) -> Input {
        let field = field.into();
        let replaced_on_entry = matches!(kind, Kind::Number(_) | Kind::Date(_));
        Input { field, label: field.label(lang), kind, required: false, error: None, replaced_on_entry }
    }

    pub fn text(field: impl Into<FieldRef>, lang: Lang, value: &str) -> Input {
        Input::new(field, lang, Kind::Text(value.into()))
    }

    pub fn number(field: impl Into<FieldRef>, lang: Lang, value: Option<u64>) -> Input {
        Input::new(field, lang, Kind::Number(value.map(|n| n.to_string()).unwrap_or_default()))
    }

    pub fn date(field: impl Into<FieldRef>, lang: Lang, value: Option<time::Date>) -> Input {
        Input::new(field, lang, Kind::Date(value.map(crate::model::dates::format_date).unwrap_or_default()))
    }

    pub fn choice(field: impl Into<FieldRef>, lang: Lang, options: Vec<String>, index: usize) -> Input {
        Input::new(field, lang, Kind::Choice { options, index })
    }

    pub fn multi(field: impl Into<FieldRef>, lang: Lang, options: Vec<String>, on: Vec<bool>) -> Input {
        Input::new(field, lang, Kind::Multi { options, on, cursor: 0 })
    }

    pub fn yes_no(field: impl Into<FieldRef>, lang: Lang, value: bool) -> Input {
        Input::new(field, lang, Kind::YesNo(value))
    }

    pub fn comune(field: impl Into<FieldRef>, lang: Lang, code: Option<ComuneCode>) -> Input {
        let text = code.and_then(|c| Comuni::embedded().get(c)).map(|c| c.label()).unwrap_or_default();
        Input::new(field, lang, Kind::Comune { text, code, suggestions: Vec::new(), pick: 0 })
    }

    /// Another label than the field's own (two inputs of one field).
    pub fn labelled(mut self, label: &str) -> Input {
        self.label = label.into();
        self
    }

    /// A text the first character typed replaces, as a number's (a
    /// range's bound, which may carry a unit: `6m`).
    pub fn replaced_on_entry(mut self) -> Input {
        self.replaced_on_entry = true;
        self
    }

    pub fn required(mut self) -> Input {
        self.required = true;
        self
    }

    /// The value as shown and compared (a conflict lists what differs).
    pub fn shown(&self, lang: Lang) -> String {
        match &self.kind {
            Kind::Text(s) | Kind::Number(s) | Kind::Date(s) => s.clone(),
            Kind::Choice { options, index } => options.get(*index).cloned().unwrap_or_default(),
            Kind::Multi { options, on, .. } => {
                let picked: Vec<&str> = options.iter().zip(on).filter(|(_, &o)| o).map(|(s, _)| s.as_str()).collect();
                if picked.is_empty() {
                    Fx::None.get(lang).into()
                } else {
                    picked.join(", ")
                }
            }
            Kind::YesNo(b) => if *b { Fx::Yes } else { Fx::No }.get(lang).into(),
            Kind::Comune { text, .. } => text.clone(),
        }
    }

    /// Typed into: text, numbers, dates and comuni.
    pub fn is_typed(&self) -> bool {
        matches!(self.kind, Kind::Text(_) | Kind::Number(_) | Kind::Date(_) | Kind::Comune { .. })
    }

    pub fn as_text(&self) -> &str {
        match &self.kind {
            Kind::Text(s) | Kind::Number(s) | Kind::Date(s) => s.trim(),
            Kind::Comune { text, .. } => text.trim(),
            _ => "",
        }
    }

    pub fn as_date(&self) -> Option<time::Date> {
        parse_date(self.as_text())
    }

    pub fn as_number(&self) -> Option<u64> {
        self.as_text().parse().ok()
    }

    pub fn as_index(&self) -> usize {
        match &self.kind {
            Kind::Choice { index, .. } => *index,
            _ => 0,
        }
    }

    pub fn as_set(&self) -> Vec<usize> {
        match &self.kind {
            Kind::Multi { on, .. } => on.iter().enumerate().filter(|(_, &o)| o).map(|(i, _)| i).collect(),
            _ => Vec::new(),
        }
    }

    pub fn as_bool(&self) -> bool {
        matches!(self.kind, Kind::YesNo(true))
    }

    pub fn as_comune(&self) -> Option<ComuneCode> {
        match &self.kind {
            Kind::Comune { code, .. } => *code,
            _ => None,
        }
    }

    /// The local check made when the operator leaves the field: the value
    /// parses (the core checks the rest on save). Resolves a typed comune,
    /// and a date's word (`oggi`, `ieri`, `domani`) to the date it means
    /// on `today`, the bank's day.
    pub fn check(&mut self, lang: Lang, today: time::Date) {
        self.error = None;
        let empty = self.as_text().is_empty();
        let typed = self.is_typed();
        let problem = match &mut self.kind {
            Kind::Date(s) if !s.trim().is_empty() => match parse_date_or_word(s, today) {
                Some(d) => {
                    *s = format_date(d);
                    None
                }
                None => Some(format!("«{}» {}", s.trim(), Fx::BadDate.get(lang))),
            },
            Kind::Number(s) if !s.trim().is_empty() && s.trim().parse::<u64>().is_err() => {
                Some(format!("«{}» {}", s.trim(), Fx::BadNumber.get(lang)))
            }
            Kind::Comune { text, code, suggestions, .. } if code.is_none() && !text.trim().is_empty() => {
                suggestions.clear();
                match Comuni::embedded().resolve(text) {
                    Ok(c) => {
                        *code = Some(c.code);
                        *text = c.label();
                        None
                    }
                    Err(crate::model::comune::ComuneLookupError::Ambiguous { .. }) => {
                        Some(Fx::Ambiguous.get(lang).into())
                    }
                    Err(_) => Some(format!("«{}»: {}", text.trim(), Fx::UnknownComune.get(lang))),
                }
            }
            _ if self.required && empty && typed => Some(Fx::Required.get(lang).into()),
            _ => None,
        };
        self.error = problem.map(|p| format!("{}: {p}", self.label));
    }

    /// Copies the value of `other` (the same field in another form).
    fn take_value(&mut self, other: &Input) {
        self.kind = other.kind.clone();
        if let Kind::Comune { suggestions, .. } = &mut self.kind {
            suggestions.clear();
        }
    }
}

/// The best few comuni for what is typed: names starting with it first,
/// then containing it, then with its letters in order; bigger towns first.
/// Whose record it is, for a caller of no service (administration,
/// coordination: the core wants both named): the service, picked among
/// those of the bank, and the referent's user name. Empty for an operator,
/// whose records are their own service's. `names`: the bank's services.
pub fn assignment_fields(view: &View, names: &crate::tui::screens::ServiceNames) -> Vec<Input> {
    if view.who.service.is_some() {
        return Vec::new();
    }
    let lang = view.lang;
    let options = names.names.iter().map(|(code, name)| format!("{code} {name}")).collect();
    vec![Input::choice(Field::Service, lang, options, 0).required(), Input::text(Field::Referent, lang, "").required()]
}

/// The service and referent `assignment_fields` picked, if the form has them.
pub fn assignment(form: &Form) -> (Option<ServiceCode>, Option<String>) {
    let service =
        form.field(Field::Service).and_then(|f| f.shown(Lang::It).split(' ').next().and_then(ServiceCode::parse));
    let referent = form.field(Field::Referent).map(|f| f.as_text().trim().to_string()).filter(|r| !r.is_empty());
    (service, referent)
}

pub fn suggest_comuni(typed: &str, limit: usize) -> Vec<(ComuneCode, String)> {
    let needle = fold(typed.trim());
    if needle.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<(u8, std::cmp::Reverse<u32>, &crate::model::Comune)> = Comuni::embedded()
        .iter()
        .filter_map(|c| {
            let key = fold(&c.name);
            let rank = if key.starts_with(&needle) {
                0
            } else if key.contains(&needle) {
                1
            } else if is_subsequence(needle.as_bytes(), key.as_bytes()) {
                2
            } else {
                return None;
            };
            Some((rank, std::cmp::Reverse(c.population.unwrap_or(0)), c))
        })
        .collect();
    hits.sort_by(|a, b| (a.0, a.1, &a.2.name).cmp(&(b.0, b.1, &b.2.name)));
    hits.into_iter().take(limit).map(|(_, _, c)| (c.code, c.label())).collect()
}

/// What a key did to the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Stay,
    Save,
    /// Esc: the screen leaves (after asking, when something changed).
    Cancel,
    Ignored,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    Next,
    Prev,
    Up,
    Down,
    Left,
    Right,
    Space,
    Enter,
    Save,
    Cancel,
}

/// The form's keys, declared once: dispatch, help bar and `?` popup.
const KEYS: &[Binding<Act>] = &[
    Binding {
        keys: &[ctrl('s'), code(KeyCode::F(2))],
        shown: "^S F2",
        label: |l| Fx::Save.get(l),
        action: Act::Save,
        bar: true,
    },
    Binding {
        keys: &[code(KeyCode::Tab)], shown: "Tab ↑↓", label: |l| Fx::Next.get(l), action: Act::Next, bar: true
    },
    Binding {
        keys: &[Key(KeyCode::BackTab, KeyModifiers::SHIFT)],
        shown: "",
        label: |l| Fx::Next.get(l),
        action: Act::Prev,
        bar: false,
    },
    Binding { keys: &[code(KeyCode::Up)], shown: "", label: |l| Fx::Next.get(l), action: Act::Up, bar: false },
    Binding { keys: &[code(KeyCode::Down)], shown: "", label: |l| Fx::Next.get(l), action: Act::Down, bar: false },
    Binding {
        keys: &[code(KeyCode::Left)], shown: "←→", label: |l| Fx::Change.get(l), action: Act::Left, bar: true
    },
    Binding { keys: &[code(KeyCode::Right)], shown: "", label: |l| Fx::Change.get(l), action: Act::Right, bar: false },
    Binding { keys: &[plain(' ')], shown: "Space", label: |l| Fx::Toggle.get(l), action: Act::Space, bar: false },
    Binding {
        keys: &[code(KeyCode::Enter)],
        shown: "Enter",
        label: |l| Fx::Pick.get(l),
        action: Act::Enter,
        bar: false,
    },
    Binding { keys: &[code(KeyCode::Esc)], shown: "Esc", label: label!(T::Back), action: Act::Cancel, bar: true },
];

#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub title: String,
    pub fields: Vec<Input>,
    pub focus: usize,
    /// Problems that name no field of the form: shown on top.
    pub top: Vec<String>,
    pub changed: bool,
    /// The first line shown, kept by `place` and `follow` (never by drawing).
    scroll: usize,
    /// Where typing goes in the focused field, in characters; `None` at its end.
    caret: Option<usize>,
    /// The focused field was just entered: no key has reached it yet.
    fresh: bool,
    /// Where the form is laid out (the screen's area now), and how many
    /// lines (a conflict's) sit above its fields: for scrolling and clicks.
    area: Rect,
    above: usize,
}

impl Form {
    pub fn new(title: String, fields: Vec<Input>) -> Form {
        Form {
            title,
            fields,
            focus: 0,
            top: Vec::new(),
            changed: false,
            scroll: 0,
            caret: None,
            fresh: true,
            area: Rect::default(),
            above: 0,
        }
    }

    pub fn hints() -> Vec<Hint> {
        crate::tui::keys::hints(KEYS)
    }

    /// The input of `field` (the first, when two share it).
    pub fn field(&self, field: impl Into<FieldRef>) -> Option<&Input> {
        self.nth(field, 0)
    }

    pub fn field_mut(&mut self, field: impl Into<FieldRef>) -> Option<&mut Input> {
        let field = field.into();
        self.fields.iter_mut().find(|f| f.field == field)
    }

    /// The n-th input of `field` (two inputs may share one: ages' bounds).
    pub fn nth(&self, field: impl Into<FieldRef>, n: usize) -> Option<&Input> {
        let field = field.into();
        self.fields.iter().filter(|f| f.field == field).nth(n)
    }

    pub fn focused_is_typed(&self) -> bool {
        self.fields.get(self.focus).is_some_and(Input::is_typed)
    }

    /// The focus goes to field `i`: typing starts at the end of its value,
    /// and a number or date already there is replaced by the first
    /// character typed (a move first keeps it).
    pub fn enter(&mut self, i: usize) {
        self.focus = i;
        self.caret = None;
        self.fresh = true;
    }

    /// Runs every local check; the labels of the fields that fail.
    pub fn check_all(&mut self, lang: Lang, today: time::Date) -> Vec<String> {
        self.fields.iter_mut().for_each(|f| f.check(lang, today));
        self.fields.iter().filter(|f| f.error.is_some()).map(|f| f.label.clone()).collect()
    }

    /// The core's problems, each next to the field it names (or on top).
    pub fn set_problems(&mut self, problems: &[Problem], lang: Lang) {
        self.top.clear();
        for f in &mut self.fields {
            f.error = None;
        }
        for p in problems {
            let text = format!("{}: {}", p.field.label(lang), describe_reason(&p.reason, lang));
            // The form's input for this problem: the same field, else the
            // closest whole it is part of (the longest path that holds it):
            // a court's refusal goes to the court, not to the choice of
            // consensual/judicial above it.
            let input = self
                .fields
                .iter_mut()
                .filter(|f| p.field.is_within(f.field))
                .min_by_key(|f| std::cmp::Reverse(f.field.to_string().len()));
            match input {
                Some(f) => f.error = Some(text),
                None => self.top.push(text),
            }
        }
        if let Some(i) = self.fields.iter().position(|f| f.error.is_some()) {
            self.enter(i);
        }
        self.follow(lang);
    }

    fn move_focus(&mut self, forward: bool, lang: Lang, today: time::Date) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.check(lang, today);
        }
        let n = self.fields.len().max(1);
        self.enter(if forward { (self.focus + 1) % n } else { (self.focus + n - 1) % n });
    }

    /// A key; `today` is the bank's day, for the words of a date field.
    /// The focused field stays in sight.
    pub fn key(&mut self, ev: &KeyEvent, lang: Lang, today: time::Date) -> Step {
        let step = self.take_key(ev, lang, today);
        self.follow(lang);
        step
    }

    fn take_key(&mut self, ev: &KeyEvent, lang: Lang, today: time::Date) -> Step {
        if ev.kind == KeyEventKind::Release {
            return Step::Ignored;
        }
        let Some(field) = self.fields.get_mut(self.focus) else { return Step::Ignored };
        let act = crate::tui::keys::action(KEYS, ev);
        // A comune with suggestions open: ↑/↓ pick among them, Enter takes one.
        if let Kind::Comune { text, code, suggestions, pick } = &mut field.kind {
            if !suggestions.is_empty() {
                match act {
                    Some(Act::Up) => {
                        *pick = pick.saturating_sub(1);
                        return Step::Stay;
                    }
                    Some(Act::Down) => {
                        *pick = (*pick + 1).min(suggestions.len() - 1);
                        return Step::Stay;
                    }
                    Some(Act::Enter) => {
                        let (c, l) = suggestions[(*pick).min(suggestions.len() - 1)].clone();
                        *code = Some(c);
                        *text = l;
                        suggestions.clear();
                        field.error = None;
                        self.changed = true;
                        return Step::Stay;
                    }
                    _ => {}
                }
            }
        }
        match act {
            Some(Act::Save) => return Step::Save,
            Some(Act::Cancel) => return Step::Cancel,
            Some(Act::Next | Act::Down) => {
                self.move_focus(true, lang, today);
                return Step::Stay;
            }
            Some(Act::Enter) => {
                self.move_focus(true, lang, today);
                return Step::Stay;
            }
            Some(Act::Prev | Act::Up) => {
                self.move_focus(false, lang, today);
                return Step::Stay;
            }
            _ => {}
        }
        // A letter in a number is refused aloud, on the field's error line.
        if let (Kind::Number(_), KeyCode::Char(c)) = (&field.kind, ev.code) {
            if !c.is_ascii_digit() && !ev.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) {
                field.error = Some(format!("{}: «{c}» {}", field.label, Fx::DigitsOnly.get(lang)));
                return Step::Stay;
            }
        }
        // A typed field: the line editor has the key (moves, edits).
        if field.is_typed() {
            let replaces = field.replaced_on_entry;
            let edit = |e: &mut LineEditor, takes: &dyn Fn(char) -> bool| e.key_taking(ev, takes);
            return match typed(&mut field.kind, replaces, &mut self.caret, &mut self.fresh, edit) {
                LineKey::Edited => {
                    // What was said about the old value no longer holds.
                    field.error = None;
                    self.changed = true;
                    Step::Stay
                }
                LineKey::Moved => Step::Stay,
                LineKey::Finished(_) | LineKey::Ignored => Step::Ignored,
            };
        }
        let changed = match (&mut field.kind, act) {
            (Kind::Choice { options, index }, Some(Act::Right | Act::Space)) => {
                *index = (*index + 1) % options.len().max(1);
                true
            }
            (Kind::Choice { options, index }, Some(Act::Left)) => {
                let n = options.len().max(1);
                *index = (*index + n - 1) % n;
                true
            }
            (Kind::Multi { options, cursor, .. }, Some(Act::Right)) => {
                *cursor = (*cursor + 1).min(options.len().saturating_sub(1));
                return Step::Stay;
            }
            (Kind::Multi { cursor, .. }, Some(Act::Left)) => {
                *cursor = cursor.saturating_sub(1);
                return Step::Stay;
            }
            (Kind::Multi { on, cursor, .. }, Some(Act::Space)) => {
                if let Some(o) = on.get_mut(*cursor) {
                    *o = !*o;
                }
                true
            }
            (Kind::YesNo(b), Some(Act::Left | Act::Right | Act::Space)) => {
                *b = !*b;
                true
            }
            _ => false,
        };
        if changed {
            self.changed = true;
            Step::Stay
        } else {
            Step::Ignored
        }
    }

    /// Text pasted into the focused field, taken at once (a bracketed
    /// paste: one message, however long): on one line, up to the longest
    /// text a record keeps; a number keeps the digits and says aloud that
    /// it refused the rest. False when the focused field takes no text.
    pub fn paste(&mut self, text: &str, lang: Lang) -> bool {
        let Some(field) = self.fields.get_mut(self.focus) else { return false };
        if !field.is_typed() {
            return false;
        }
        let refused = match field.kind {
            Kind::Number(_) => text.trim().chars().find(|c| !c.is_ascii_digit()),
            _ => None,
        };
        let replaces = field.replaced_on_entry;
        let mut pasted = None;
        let edit = |e: &mut LineEditor, takes: &dyn Fn(char) -> bool| {
            let p = e.paste(text, takes);
            pasted = Some(p);
            if p.changed() {
                LineKey::Edited
            } else {
                LineKey::Ignored
            }
        };
        if typed(&mut field.kind, replaces, &mut self.caret, &mut self.fresh, edit) == LineKey::Edited {
            field.error = None;
            self.changed = true;
        }
        // What did not fit is said on the field's line, not lost in silence.
        if let Some(note) = pasted.and_then(|p| p.cut_note(lang)) {
            field.error = Some(format!("{}: {note}", field.label));
        }
        if let Some(c) = refused {
            field.error = Some(format!("{}: «{c}» {}", field.label, Fx::DigitsOnly.get(lang)));
        }
        self.follow(lang);
        true
    }

    /// The lines of the form, and the line of the focused field.
    fn lines(&self, theme: Theme, lang: Lang, width: u16) -> (Vec<Line<'static>>, usize, Vec<Option<usize>>) {
        let label_w = if width >= 100 { 36 } else { 34 };
        let mut lines = Vec::new();
        for t in &self.top {
            lines.push(Line::styled(format!("✗ {t}"), theme.error()));
        }
        let mut focus_line = 0;
        let mut owners: Vec<Option<usize>> = vec![None; lines.len()];
        for (i, f) in self.fields.iter().enumerate() {
            let focused = i == self.focus;
            if focused {
                focus_line = lines.len();
            }
            let mark = if f.required { "*" } else { "" };
            let label: String = format!("{}{mark}", f.label).chars().take(label_w - 1).collect();
            let label_style = if focused { theme.selected() } else { theme.dim() };
            let mut spans = vec![Span::styled(format!("{label:<w$}", w = label_w - 1), label_style), Span::raw(" ")];
            let value_style = if f.error.is_some() { theme.error() } else { theme.normal() };
            match &f.kind {
                Kind::Choice { .. } if focused => {
                    spans.push(Span::styled(format!("‹ {} ›", f.shown(lang)), theme.key()))
                }
                Kind::Multi { .. } if focused => spans.push(Span::styled(f.shown(lang), theme.key())),
                _ => {
                    let shown = f.shown(lang);
                    let shown = if shown.is_empty() && !focused { "·".to_string() } else { shown };
                    if focused && f.is_typed() {
                        // The line editor draws the caret; a value the next key replaces shows all selected.
                        let mut editor = LineEditor::at(&shown, self.caret.unwrap_or(usize::MAX));
                        let picked = matches!(f.kind, Kind::Comune { code: Some(_), .. });
                        if picked || (self.fresh && f.replaced_on_entry) {
                            editor = editor.replacing();
                        }
                        let room = usize::from(width.saturating_sub(2)).saturating_sub(label_w).max(2);
                        spans.extend(editor.spans(room, value_style, theme.selected()));
                    } else {
                        spans.push(Span::styled(shown, value_style));
                    }
                }
            }
            lines.push(Line::from(spans));
            if focused {
                // Every option with its tick; ←→ move among them, Space ticks.
                if let Kind::Multi { on, options, cursor } = &f.kind {
                    for (j, (o, &ticked)) in options.iter().zip(on).enumerate() {
                        let tick = if ticked { "[x]" } else { "[ ]" };
                        let style = if j == *cursor { theme.selected() } else { theme.normal() };
                        lines.push(Line::from(vec![
                            Span::raw(format!("{:w$}", "", w = label_w)),
                            Span::styled(format!("{tick} {o}"), style),
                        ]));
                    }
                }
                if let Kind::Comune { suggestions, pick, .. } = &f.kind {
                    for (j, (_, l)) in suggestions.iter().enumerate() {
                        let style = if j == *pick { theme.selected() } else { theme.normal() };
                        lines.push(Line::from(vec![
                            Span::raw(format!("{:w$}", "", w = label_w)),
                            Span::styled(format!(" {l} "), style),
                        ]));
                    }
                }
            }
            if let Some(e) = &f.error {
                lines.push(Line::styled(format!("{:w$}✗ {e}", "", w = label_w.min(4)), theme.error()));
            }
            owners.resize(lines.len(), Some(i));
        }
        (lines, focus_line, owners)
    }

    /// Lays the form out in `area` with `above` lines over its fields (a
    /// conflict's): called while handling a message (a resize, before a
    /// key or a click), so drawing changes nothing.
    pub fn place(&mut self, area: Rect, above: usize, lang: Lang) {
        self.area = area;
        self.above = above;
        self.follow(lang);
    }

    /// The focused field and what hangs under it (options, suggestions,
    /// error) come into sight: after a move, a key, a refusal.
    pub fn follow(&mut self, lang: Lang) {
        let (_, focus, owners) = self.lines(Theme::plain(), lang, self.area.width);
        self.scroll = self.first_line(self.area, self.above, focus, &owners);
    }

    /// The first line shown in `area`: the one kept, moved just enough for
    /// the focused field and what hangs under it to be in sight.
    fn first_line(&self, area: Rect, above: usize, focus: usize, owners: &[Option<usize>]) -> usize {
        let height = usize::from(area.height.saturating_sub(2)).saturating_sub(above).max(1);
        let tail = owners.iter().rposition(|o| *o == Some(self.focus)).unwrap_or(focus).max(focus);
        if focus < self.scroll {
            focus
        } else if tail >= self.scroll + height {
            (tail + 1).saturating_sub(height).min(focus)
        } else {
            self.scroll
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, view: &View, above: Vec<Line<'static>>) {
        let theme: Theme = view.theme;
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border_focused())
            .title(Span::styled(format!(" {} ", self.title), theme.title()));
        let (lines, focus, owners) = self.lines(theme, view.lang, area.width);
        let scroll = self.first_line(area, above.len(), focus, &owners);
        let mut shown = above;
        shown.extend(lines.into_iter().skip(scroll));
        frame.render_widget(Paragraph::new(shown).block(block), area);
    }

    /// A click: the field on that line takes the focus (the one left is checked,
    /// as with Tab). False when nothing was there. The lines are laid out
    /// as `render` lays them in the area `place` gave.
    pub fn click(&mut self, column: u16, row: u16, lang: Lang, today: time::Date) -> bool {
        let area = self.area;
        let inside = column > area.x && column + 1 < area.x + area.width && row > area.y;
        let (_, focus, owners) = self.lines(Theme::plain(), lang, area.width);
        let scroll = self.first_line(area, self.above, focus, &owners);
        let line = usize::from(row.saturating_sub(area.y + 1));
        let field = line.checked_sub(self.above).and_then(|l| owners.get(l + scroll)).copied().flatten();
        let Some(i) = field.filter(|_| inside) else { return false };
        if i != self.focus {
            if let Some(f) = self.fields.get_mut(self.focus) {
                f.check(lang, today);
            }
            self.enter(i);
            self.follow(lang);
        }
        true
    }

    /// The wheel moves from field to field.
    pub fn wheel(&mut self, down: bool, lang: Lang, today: time::Date) {
        self.move_focus(down, lang, today);
        self.follow(lang);
    }
}

/// A key typed into a text, number, date or comune field, through the one
/// line editor, at the caret (the end when `None`). `fresh`: the field was
/// just entered, so a value `replaced_on_entry` is replaced by the first
/// character typed.
fn typed(
    kind: &mut Kind,
    replaced_on_entry: bool,
    caret: &mut Option<usize>,
    fresh: &mut bool,
    edit: impl FnOnce(&mut LineEditor, &dyn Fn(char) -> bool) -> LineKey,
) -> LineKey {
    let replaces = replaced_on_entry && *fresh;
    let digits_only = matches!(kind, Kind::Number(_));
    let (text, mut comune) = match kind {
        Kind::Text(s) | Kind::Number(s) | Kind::Date(s) => (s, None),
        Kind::Comune { text, code, suggestions, pick } => (text, Some((code, suggestions, pick))),
        _ => return LineKey::Ignored,
    };
    // A picked comune is replaced by what is typed next.
    let picked = comune.as_ref().is_some_and(|(code, _, _)| code.is_some());
    let mut editor = LineEditor::at(text, caret.unwrap_or(usize::MAX));
    if replaces || picked {
        editor = editor.replacing();
    }
    let outcome = edit(&mut editor, &|c: char| !digits_only || c.is_ascii_digit());
    if matches!(outcome, LineKey::Edited | LineKey::Moved) {
        *fresh = false;
        let len = editor.len();
        *caret = (editor.cursor() < len).then_some(editor.cursor());
    }
    if outcome == LineKey::Edited {
        *text = editor.value().to_string();
        if let Some((code, suggestions, pick)) = comune.as_mut() {
            **code = None;
            **suggestions = suggest_comuni(text, 5);
            **pick = 0;
        }
    }
    outcome
}

/// One field someone else changed: its label, the value you started from, theirs.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub label: String,
    pub before: String,
    pub after: String,
    /// You changed it too.
    pub also_yours: bool,
}

/// Someone saved first: what they changed and the record as it is now.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub current: Form,
    pub revision: u64,
    pub by: String,
    pub at: String,
    pub changes: Vec<Change>,
}

/// A form editing a record (or a new one), with what saving needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Editor {
    pub form: Form,
    /// The form as it was loaded: what "changed" is measured against.
    pub original: Form,
    /// The record's code; none for a new one.
    pub code: Option<String>,
    pub base_revision: u64,
    pub conflict: Option<Conflict>,
    pub asking: Option<Question>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Question {
    Discard,
    TakeTheirs,
}

/// What the screen must do after a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditStep {
    Stay,
    Ignored,
    Save,
    /// Leave the form (nothing to keep, or the operator said so).
    Close,
}

const CONFLICT_KEYS: &[Binding<Act>] = &[
    Binding { keys: &[plain('a')], shown: "a", label: |l| Fx::Reapply.get(l), action: Act::Save, bar: true },
    Binding { keys: &[plain('r')], shown: "r", label: |l| Fx::TakeTheirs.get(l), action: Act::Enter, bar: true },
    Binding { keys: &[code(KeyCode::Esc)], shown: "Esc", label: label!(T::Back), action: Act::Cancel, bar: true },
];

impl Editor {
    pub fn new(form: Form, code: Option<String>, base_revision: u64) -> Editor {
        Editor { original: form.clone(), form, code, base_revision, conflict: None, asking: None }
    }

    pub fn unsaved(&self) -> bool {
        self.form.changed
    }

    pub fn captures_text(&self) -> bool {
        self.conflict.is_none() && self.asking.is_none() && self.form.focused_is_typed()
    }

    pub fn hints(&self) -> Vec<Hint> {
        if self.conflict.is_some() {
            crate::tui::keys::hints(CONFLICT_KEYS)
        } else {
            Form::hints()
        }
    }

    /// Fields the operator changed since loading.
    fn yours(&self) -> Vec<bool> {
        self.form.fields.iter().zip(&self.original.fields).map(|(a, b)| a.kind != b.kind).collect()
    }

    /// The save was refused on a stale revision: `current` is the record now.
    pub fn start_conflict(&mut self, current: Form, revision: u64, by: String, at: String, lang: Lang) {
        let yours = self.yours();
        let changes = self
            .original
            .fields
            .iter()
            .zip(&current.fields)
            .zip(yours)
            .filter(|((a, b), _)| a.kind != b.kind)
            .map(|((a, b), mine)| Change {
                label: a.label.clone(),
                before: a.shown(lang),
                after: b.shown(lang),
                also_yours: mine,
            })
            .collect();
        self.conflict = Some(Conflict { current, revision, by, at, changes });
    }

    /// Your changed fields on top of the current record, based on its revision.
    pub fn reapply(&mut self) {
        let Some(conflict) = self.conflict.take() else { return };
        let yours = self.yours();
        let mut merged = conflict.current.clone();
        for ((field, mine), changed) in merged.fields.iter_mut().zip(&self.form.fields).zip(yours) {
            if changed {
                field.take_value(mine);
            }
        }
        merged.focus = self.form.focus;
        merged.changed = true;
        self.original = conflict.current;
        self.form = merged;
        self.base_revision = conflict.revision;
    }

    fn take_theirs(&mut self) {
        let Some(conflict) = self.conflict.take() else { return };
        self.original = conflict.current.clone();
        self.form = conflict.current;
        self.base_revision = conflict.revision;
    }

    /// Pasted text reaches the focused field (not a question or a conflict being shown).
    pub fn paste(&mut self, text: &str, lang: Lang) -> bool {
        self.captures_text() && self.form.paste(text, lang)
    }

    /// Clicks and the wheel reach the form (not a question or a conflict being shown).
    pub fn mouse(&mut self, ev: &MouseEvent, lang: Lang, today: time::Date) -> bool {
        if self.asking.is_some() || self.conflict.is_some() {
            return false;
        }
        match ev.kind {
            MouseEventKind::Down(MouseButton::Left) => self.form.click(ev.column, ev.row, lang, today),
            MouseEventKind::ScrollDown => {
                self.form.wheel(true, lang, today);
                true
            }
            MouseEventKind::ScrollUp => {
                self.form.wheel(false, lang, today);
                true
            }
            _ => false,
        }
    }

    /// A key; `today` is the bank's day, for the words of a date field.
    pub fn key(&mut self, ev: &KeyEvent, lang: Lang, today: time::Date) -> EditStep {
        if let Some(q) = self.asking.take() {
            let yes = matches!(ev.code, KeyCode::Char(c) if matches!(c.to_ascii_lowercase(), 's' | 'y'));
            return match (q, yes) {
                (Question::Discard, true) => EditStep::Close,
                (Question::TakeTheirs, true) => {
                    self.take_theirs();
                    EditStep::Stay
                }
                _ => EditStep::Stay,
            };
        }
        if self.conflict.is_some() {
            return match crate::tui::keys::action(CONFLICT_KEYS, ev) {
                Some(Act::Save) => {
                    self.reapply();
                    EditStep::Save
                }
                Some(Act::Enter) => {
                    self.asking = Some(Question::TakeTheirs);
                    EditStep::Stay
                }
                Some(_) => {
                    self.conflict = None;
                    EditStep::Stay
                }
                None => EditStep::Ignored,
            };
        }
        match self.form.key(ev, lang, today) {
            Step::Stay => EditStep::Stay,
            Step::Ignored => EditStep::Ignored,
            Step::Save => EditStep::Save,
            Step::Cancel if self.form.changed => {
                self.asking = Some(Question::Discard);
                EditStep::Stay
            }
            Step::Cancel => EditStep::Close,
        }
    }

    /// Lays the form out in the screen's `area` (see `Form::place`).
    pub fn place(&mut self, area: Rect, lang: Lang) {
        let above = self.above(Theme::plain(), lang).len();
        self.form.place(area, above, lang);
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let lang = view.lang;
        self.form.render(frame, area, view, self.above(view.theme, lang));
        match self.asking {
            Some(Question::Discard) => crate::tui::help::confirm(frame, area, Fx::Discard.get(lang), view),
            Some(Question::TakeTheirs) => crate::tui::help::confirm(frame, area, Fx::ReloadAsk.get(lang), view),
            None => {}
        }
    }

    /// The lines over the fields: someone else's changes, while a conflict is shown.
    fn above(&self, theme: Theme, lang: Lang) -> Vec<Line<'static>> {
        let mut above = Vec::new();
        if let Some(c) = &self.conflict {
            above.push(Line::styled(Fx::ConflictTitle.get(lang), theme.warning()));
            above.push(Line::styled(
                format!("{} {} · {} · rev. {}", Fx::ConflictBy.get(lang), c.by, c.at, c.revision),
                theme.dim(),
            ));
            if c.changes.is_empty() {
                above.push(Line::raw(format!("  {}", Fx::ConflictNone.get(lang))));
            }
            for ch in &c.changes {
                let mut spans = vec![
                    Span::styled(format!("  {}: ", ch.label), theme.title()),
                    Span::raw(format!("{} → {}", ch.before, ch.after)),
                ];
                if ch.also_yours {
                    spans.push(Span::styled(format!("  ({} ≠)", Fx::Yours.get(lang)), theme.warning()));
                }
                above.push(Line::from(spans));
            }
            above.push(Line::styled(Fx::ConflictKeys.get(lang), theme.key()));
            above.push(Line::raw(""));
        }
        above
    }
}

/// Options of a vocabulary, as labels in the operator's language.
#[macro_export]
#[doc(hidden)]
macro_rules! tui_options {
    ($ty:ty, $lang:expr) => {
        <$ty>::ALL.iter().map(|v| v.label($lang).to_string()).collect::<Vec<String>>()
    };
}
pub use crate::tui_options as options;

#[cfg(test)]
mod tests {
    use super::*;

    /// The core names a list item by its index: the problem lands on that
    /// item's field, in words, and the focus goes there; a field the form
    /// does not show is said on top.
    #[test]
    fn a_refusal_lands_on_the_field_it_names() {
        use crate::model::Reason;
        let mut form = Form::new(
            "t".into(),
            vec![
                Input::text(Field::AdultName.at(0), Lang::It, "Laura Bassi"),
                Input::text(Field::AdultName.at(1), Lang::It, ""),
                Input::text(Field::Legal, Lang::It, ""),
            ],
        );
        form.set_problems(
            &[
                Problem::new(Field::AdultName.at(1), Reason::Required),
                Problem::new(Field::Court, Reason::Required),
                Problem::new(Field::Needs, Reason::Required),
            ],
            Lang::It,
        );
        assert_eq!(form.fields[0].error, None);
        assert_eq!(form.fields[1].error.as_deref(), Some("nome dell'adulto n. 2: obbligatorio"));
        assert_eq!(form.fields[2].error.as_deref(), Some("tribunale: obbligatorio"));
        assert_eq!(form.top, vec!["richieste: obbligatorio".to_string()]);
        assert_eq!(form.focus, 1);
    }

    /// An input is found by its typed field, a list item by its index, and
    /// two inputs of one field by their order; each is labelled by its field.
    #[test]
    fn an_input_is_found_by_its_field_and_labelled_by_it() {
        let form = Form::new(
            "t".into(),
            vec![
                Input::text(Field::AdultName.at(0), Lang::En, "Laura Bassi"),
                Input::text(Field::AdultName.at(1), Lang::En, "Marco Bassi"),
                Input::text(Field::Ages, Lang::En, "3").labelled("minimum age"),
                Input::text(Field::Ages, Lang::En, "10"),
            ],
        );
        assert_eq!(form.field(Field::AdultName.at(1)).map(Input::as_text), Some("Marco Bassi"));
        assert_eq!(form.fields[1].label, "adult's name n. 2");
        assert_eq!(form.field(Field::AdultName), None, "the list's field is not one of its items");
        assert_eq!(form.field(Field::Ages).map(|f| f.label.as_str()), Some("minimum age"));
        assert_eq!(form.nth(Field::Ages, 1).map(Input::as_text), Some("10"));
        assert_eq!(form.fields[3].label, "age range");
        assert_eq!(form.field(Field::MaxChildren), None);
    }

    /// A part's refusal goes to the part's own input when the form has one,
    /// not to the input of the whole shown above it.
    #[test]
    fn a_refusal_goes_to_the_closest_input_that_holds_its_field() {
        use crate::model::Reason;
        let mut form = Form::new(
            "t".into(),
            vec![
                Input::choice(Field::Legal, Lang::It, vec!["consensuale".into(), "giudiziale".into()], 1),
                Input::text(Field::Court, Lang::It, ""),
                Input::text(Field::Decree, Lang::It, "12/2026"),
            ],
        );
        form.set_problems(&[Problem::new(Field::Court, Reason::Required)], Lang::It);
        assert_eq!(form.fields[0].error, None);
        assert_eq!(form.fields[1].error.as_deref(), Some("tribunale: obbligatorio"));
        assert_eq!(form.focus, 1);
        form.set_problems(&[Problem::new(Field::Legal, Reason::Required)], Lang::It);
        assert_eq!(form.fields[0].error.as_deref(), Some("base giuridica: obbligatorio"));
        assert_eq!(form.fields[1].error, None);
    }

    #[test]
    fn a_typo_is_fixed_in_the_middle_of_a_field() {
        let mut form = Form::new("t".into(), vec![Input::text(Field::ProfileNotes, Lang::It, "")]);
        let key = |form: &mut Form, code: KeyCode| {
            form.key(&KeyEvent::new(code, KeyModifiers::NONE), Lang::It, time::macros::date!(2026 - 01 - 01))
        };
        for c in "Giula Nuova".chars() {
            key(&mut form, KeyCode::Char(c));
        }
        // Back over " Nuova" and "a", then the missing "i".
        for _ in 0..7 {
            key(&mut form, KeyCode::Left);
        }
        key(&mut form, KeyCode::Char('i'));
        assert_eq!(form.fields[0].as_text(), "Giulia Nuova");
        key(&mut form, KeyCode::Home);
        key(&mut form, KeyCode::Delete);
        key(&mut form, KeyCode::Char('g'));
        key(&mut form, KeyCode::End);
        key(&mut form, KeyCode::Backspace);
        assert_eq!(form.fields[0].as_text(), "giulia Nuov");
        assert!(form.changed);
    }

    #[test]
    fn a_field_keeps_no_more_than_the_longest_text_a_record_allows() {
        let mut form = Form::new("t".into(), vec![Input::text(Field::ProfileNotes, Lang::It, "")]);
        // 4 000 characters of a note, then 10 more pasted: those are not kept.
        for _ in 0..4010 {
            form.key(
                &KeyEvent::new(KeyCode::Char('a'), KeyModifiers::NONE),
                Lang::It,
                time::macros::date!(2026 - 01 - 01),
            );
        }
        assert_eq!(form.fields[0].as_text().chars().count(), 4000);
        form.key(&KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE), Lang::It, time::macros::date!(2026 - 01 - 01));
        assert_eq!(form.fields[0].as_text().chars().count(), 3999);
    }

    #[test]
    fn dalm_suggests_dalmine_first() {
        let s = suggest_comuni("dalm", 5);
        assert_eq!(s.first().map(|(_, l)| l.as_str()), Some("Dalmine (BG)"));
    }

    #[test]
    fn a_wrong_date_names_the_field() {
        let mut f = Input::date(Field::ApprovedOn, Lang::It, None);
        f.kind = Kind::Date("31/02/2026".into());
        f.check(Lang::It, time::macros::date!(2026 - 01 - 01));
        let e = f.error.unwrap_or_default();
        assert!(e.contains("data di idoneità") && e.contains("31/02/2026"), "{e}");
    }
}
