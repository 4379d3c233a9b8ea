//! The one line editor every text entry uses: form fields, the one-line
//! prompts, the search popup, list filters and the services' finder.
//!
//! The editing itself is `tui-input`'s (backend-agnostic: no ratatui or
//! crossterm of its own), so this module only maps our keys to its
//! requests, bounds what is kept, and draws the visible part of the line.
//! Keys: ←/→ and Home/End (also ^A/^E) move, ^←/^→ move by word,
//! Backspace/Delete remove a character, ^W, ^Backspace and ^Delete a word,
//! ^U the whole line, ^K up to the end.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Style;
use ratatui::text::Span;
use tui_input::{Input, InputRequest};
use unicode_width::UnicodeWidthChar;

use crate::i18n::Lang;
use crate::tui::text::texts;

texts!(Lx {
    PasteCut => "incollati {kept} caratteri su {offered}: il resto non entra", "pasted {kept} characters of {offered}: the rest does not fit";
    Full => "al massimo {max} caratteri: il resto non entra", "at most {max} characters: the rest does not fit";
});

/// No entry keeps more characters than the longest any record allows (a
/// note, a plan's text): what comes beyond — a megabyte pasted — is not
/// kept, so each keystroke stays cheap. Shorter limits are named by the
/// core's checks ("troppo lungo").
pub const MAX_TYPED: usize = crate::model::limits::MAX_NOTES;

/// What a paste kept of what the entry takes of it (characters): less
/// than offered when the line was full before the paste's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pasted {
    pub kept: usize,
    pub offered: usize,
}

impl Pasted {
    /// Something went in.
    pub fn changed(self) -> bool {
        self.kept > 0
    }

    /// Part of it did not fit.
    pub fn is_cut(self) -> bool {
        self.kept < self.offered
    }

    /// What to say of a cut paste ("incollati 4 000 caratteri su 6 000: il
    /// resto non entra"), none when it all went in.
    pub fn cut_note(self, lang: Lang) -> Option<String> {
        self.is_cut().then(|| {
            let (kept, offered) = (grouped(self.kept, lang), grouped(self.offered, lang));
            Lx::PasteCut.get(lang).replace("{kept}", &kept).replace("{offered}", &offered)
        })
    }
}

/// What to say when typing stops at the entry's limit.
pub fn full_note(max: usize, lang: Lang) -> String {
    Lx::Full.get(lang).replace("{max}", &grouped(max, lang))
}

/// A count with its thousands apart: "4 000" (Italian), "4,000" (English).
pub fn grouped(n: usize, lang: Lang) -> String {
    let sep = match lang {
        Lang::It => ' ',
        Lang::En => ',',
    };
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// What a key did to the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKey {
    /// The text changed.
    Edited,
    /// Only the cursor moved.
    Moved,
    /// Enter or Esc: typing ends (the caller decides what they mean).
    Finished(KeyCode),
    /// Not a key for the line (or one it had to refuse: a full line, a
    /// character the field does not take).
    Ignored,
}

/// One line of text and where typing goes in it.
#[derive(Debug, Clone)]
pub struct LineEditor {
    input: Input,
    /// The next character typed replaces the whole text (a pre-filled
    /// value just entered, as in a spreadsheet); any move keeps it.
    replace: bool,
    /// The most characters kept (`MAX_TYPED` unless bounded lower).
    max: usize,
}

/// The same text, cursor and pending replacement.
impl PartialEq for LineEditor {
    fn eq(&self, other: &Self) -> bool {
        (self.value(), self.cursor(), self.replace) == (other.value(), other.cursor(), other.replace)
    }
}

impl Eq for LineEditor {}

impl Default for LineEditor {
    fn default() -> Self {
        LineEditor::new("")
    }
}

impl LineEditor {
    /// The text, with the cursor at its end.
    pub fn new(text: &str) -> LineEditor {
        // Cut by bytes, copied at once (not a character at a time): this runs on every key.
        // No more bytes than the limit: no more characters either, nothing to count.
        let kept = if text.len() <= MAX_TYPED {
            text
        } else {
            text.char_indices().nth(MAX_TYPED).map_or(text, |(end, _)| &text[..end])
        };
        LineEditor { input: Input::new(kept.to_string()), replace: false, max: MAX_TYPED }
    }

    /// The same line, keeping no more than `max` characters (the core's
    /// limit of the text it asks, when lower than `MAX_TYPED`).
    pub fn bounded(self, max: usize) -> LineEditor {
        let max = max.min(MAX_TYPED);
        let cursor = self.cursor().min(max);
        let kept: String = self.value().chars().take(max).collect();
        LineEditor { input: Input::new(kept).with_cursor(cursor), replace: self.replace, max }
    }

    /// The most characters this line keeps.
    pub fn max(&self) -> usize {
        self.max
    }

    /// Whether the line holds as much as it keeps.
    pub fn is_full(&self) -> bool {
        self.len() >= self.max
    }

    /// The text with the cursor `at` characters in (clamped to the end).
    pub fn at(text: &str, at: usize) -> LineEditor {
        let editor = LineEditor::new(text);
        let len = editor.len();
        LineEditor { input: editor.input.with_cursor(at.min(len)), replace: false, max: MAX_TYPED }
    }

    /// The first character typed replaces the text (nothing to replace when empty).
    pub fn replacing(mut self) -> LineEditor {
        self.replace = !self.input.value().is_empty();
        self
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    /// The cursor, in characters from the start.
    pub fn cursor(&self) -> usize {
        self.input.cursor()
    }

    /// Whether the next character typed replaces the whole text.
    pub fn will_replace(&self) -> bool {
        self.replace
    }

    pub fn len(&self) -> usize {
        self.input.value().chars().count()
    }

    pub fn is_empty(&self) -> bool {
        self.input.value().is_empty()
    }

    pub fn clear(&mut self) {
        *self = LineEditor::new("").bounded(self.max);
    }

    /// A key, any character accepted.
    pub fn key(&mut self, ev: &KeyEvent) -> LineKey {
        self.key_taking(ev, |_| true)
    }

    /// A key; only the characters `takes` accepts are typed (digits in a number).
    pub fn key_taking(&mut self, ev: &KeyEvent, takes: impl Fn(char) -> bool) -> LineKey {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let alt = ev.modifiers.contains(KeyModifiers::ALT);
        let request = match ev.code {
            KeyCode::Enter | KeyCode::Esc => return LineKey::Finished(ev.code),
            KeyCode::Char(c) if !ctrl && !alt => return self.insert(c, &takes),
            KeyCode::Char('a') if ctrl => InputRequest::GoToStart,
            KeyCode::Char('e') if ctrl => InputRequest::GoToEnd,
            KeyCode::Char('w') if ctrl => InputRequest::DeletePrevWord,
            KeyCode::Char('u') if ctrl => InputRequest::DeleteLine,
            KeyCode::Char('k') if ctrl => InputRequest::DeleteTillEnd,
            // Terminals send ^Backspace as ^H.
            KeyCode::Char('h') if ctrl => InputRequest::DeletePrevWord,
            KeyCode::Backspace if ctrl || alt => InputRequest::DeletePrevWord,
            KeyCode::Backspace if self.replace => InputRequest::DeleteLine,
            KeyCode::Backspace => InputRequest::DeletePrevChar,
            KeyCode::Delete if ctrl || alt => InputRequest::DeleteNextWord,
            KeyCode::Delete => InputRequest::DeleteNextChar,
            KeyCode::Left if ctrl || alt => InputRequest::GoToPrevWord,
            KeyCode::Right if ctrl || alt => InputRequest::GoToNextWord,
            KeyCode::Left => InputRequest::GoToPrevChar,
            KeyCode::Right => InputRequest::GoToNextChar,
            KeyCode::Home => InputRequest::GoToStart,
            KeyCode::End => InputRequest::GoToEnd,
            _ => return LineKey::Ignored,
        };
        self.replace = false;
        match self.input.handle(request) {
            Some(changed) if changed.value => LineKey::Edited,
            Some(_) => LineKey::Moved,
            None => LineKey::Ignored,
        }
    }

    /// Text pasted at the cursor, all at once (one edit, however long):
    /// what the entry takes of it, on one line (control characters become
    /// spaces), up to the line's limit in all: how much was kept of what
    /// it takes, so a cut can be said.
    pub fn paste(&mut self, text: &str, takes: impl Fn(char) -> bool) -> Pasted {
        let taken = || text.chars().map(|c| if c.is_control() { ' ' } else { c }).filter(|&c| takes(c));
        let offered = taken().count();
        if offered == 0 {
            return Pasted { kept: 0, offered };
        }
        if std::mem::take(&mut self.replace) {
            self.input = Input::default();
        }
        let room = self.max.saturating_sub(self.len());
        let kept: String = taken().take(room).collect();
        let pasted = Pasted { kept: kept.chars().count(), offered };
        if pasted.changed() {
            self.splice(&kept);
        }
        pasted
    }

    /// `text` put in at the cursor, the cursor after it: one copy of the line.
    fn splice(&mut self, text: &str) {
        let at = self.cursor();
        let value = self.value();
        let split = value.char_indices().nth(at).map_or(value.len(), |(i, _)| i);
        let mut joined = String::with_capacity(value.len() + text.len());
        joined.push_str(&value[..split]);
        joined.push_str(text);
        joined.push_str(&value[split..]);
        self.input = Input::new(joined).with_cursor(at + text.chars().count());
    }

    fn insert(&mut self, c: char, takes: &impl Fn(char) -> bool) -> LineKey {
        if !takes(c) {
            return LineKey::Ignored;
        }
        if std::mem::take(&mut self.replace) {
            self.input.handle(InputRequest::DeleteLine);
        }
        if self.is_full() {
            return LineKey::Ignored;
        }
        self.splice(c.encode_utf8(&mut [0; 4]));
        LineKey::Edited
    }

    /// The part of the line that fits `width` columns, the cursor kept in
    /// sight (wide characters count two columns): the text before the
    /// cursor, the character under it in `caret` style (a block at the
    /// end), the rest. A value about to be replaced is shown all in `caret`.
    pub fn spans(&self, width: usize, style: Style, caret: Style) -> Vec<Span<'static>> {
        let chars: Vec<char> = self.value().chars().collect();
        let at = self.cursor().min(chars.len());
        let col = |c: &char| c.width().unwrap_or(0);
        let width = width.max(2);
        let (start, _) = first_shown(&chars, at, width);
        let mut room = width;
        let mut take = |range: &[char]| -> String {
            let mut s = String::new();
            for c in range {
                let w = col(c);
                if w > room {
                    room = 0;
                    break;
                }
                room -= w;
                s.push(*c);
            }
            s
        };
        if self.replace {
            return vec![Span::styled(take(&chars[start..]), caret)];
        }
        let before = take(&chars[start..at]);
        let mut spans = vec![Span::styled(before, style)];
        match chars.get(at) {
            Some(c) => {
                let under = take(std::slice::from_ref(c));
                let after = take(&chars[at + 1..]);
                spans.push(Span::styled(under, caret));
                spans.push(Span::styled(after, style));
            }
            None => spans.push(Span::styled("█", caret)),
        }
        spans
    }

    /// The visible part of the line at this width, plain, for an entry
    /// that shows the terminal's own cursor (at `column`).
    pub fn visible(&self, width: usize) -> String {
        let mut spans = self.spans(width, Style::default(), Style::default());
        // At the end the last span is the block standing for the cursor.
        if !self.replace && self.cursor() >= self.len() {
            spans.pop();
        }
        spans.into_iter().map(|s| s.content.into_owned()).collect()
    }

    /// Where the terminal cursor goes, in columns from the start of the
    /// visible part drawn by `spans` at this width.
    pub fn column(&self, width: usize) -> usize {
        let chars: Vec<char> = self.value().chars().collect();
        let at = self.cursor().min(chars.len());
        let (_, used) = first_shown(&chars, at, width.max(2));
        used - 1
    }
}

/// The first character shown so that the text up to the cursor `at` and
/// one cell for the block fit `width` columns, and the columns they take.
/// Walked back from the cursor, so a keystroke in a long text costs the
/// width of the entry, not the length of the text.
fn first_shown(chars: &[char], at: usize, width: usize) -> (usize, usize) {
    let mut start = at;
    let mut used = 1;
    while start > 0 {
        let w = chars[start - 1].width().unwrap_or(0);
        if used + w > width {
            break;
        }
        used += w;
        start -= 1;
    }
    (start, used)
}

/// A line kept as a plain `String` with the cursor always at its end (the
/// list filters): the same keys, but no cursor to move.
pub fn edit_at_end(text: &mut String, ev: &KeyEvent) -> LineKey {
    let mut editor = LineEditor::new(text);
    let outcome = editor.key(ev);
    if outcome == LineKey::Edited {
        *text = editor.value().to_string();
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(e: &mut LineEditor, code: KeyCode, modifiers: KeyModifiers) -> LineKey {
        e.key(&KeyEvent::new(code, modifiers))
    }

    fn typed(e: &mut LineEditor, text: &str) {
        for c in text.chars() {
            key(e, KeyCode::Char(c), KeyModifiers::NONE);
        }
    }

    #[test]
    fn the_cursor_moves_and_words_are_deleted() {
        let mut e = LineEditor::new("");
        typed(&mut e, "via Roma 12");
        key(&mut e, KeyCode::Char('w'), KeyModifiers::CONTROL);
        assert_eq!(e.value(), "via Roma ");
        key(&mut e, KeyCode::Home, KeyModifiers::NONE);
        typed(&mut e, "in ");
        assert_eq!(e.value(), "in via Roma ");
        key(&mut e, KeyCode::End, KeyModifiers::NONE);
        key(&mut e, KeyCode::Left, KeyModifiers::CONTROL);
        key(&mut e, KeyCode::Delete, KeyModifiers::NONE);
        assert_eq!(e.value(), "in via oma ");
        key(&mut e, KeyCode::Char('u'), KeyModifiers::CONTROL);
        assert_eq!(e.value(), "");
    }

    #[test]
    fn a_prefilled_value_is_replaced_by_the_first_character_typed() {
        let mut e = LineEditor::new("0").replacing();
        typed(&mut e, "3");
        assert_eq!(e.value(), "3");
        typed(&mut e, "5");
        assert_eq!(e.value(), "35");
        // A move first keeps the value: typing goes where the cursor is.
        let mut e = LineEditor::new("12").replacing();
        key(&mut e, KeyCode::Left, KeyModifiers::NONE);
        typed(&mut e, "0");
        assert_eq!(e.value(), "102");
    }

    #[test]
    fn a_long_paste_keeps_no_more_than_the_longest_text_a_record_allows() {
        let mut e = LineEditor::new("");
        let megabyte = "x".repeat(1 << 20);
        assert_eq!(e.paste(&megabyte, |_| true), Pasted { kept: 4000, offered: 1 << 20 });
        assert_eq!(e.len(), 4000);
        assert!(!e.paste("more", |_| true).changed());
        assert_eq!(e.len(), 4000);
    }

    #[test]
    fn a_paste_goes_in_at_the_cursor_on_one_line_and_replaces_a_default() {
        let mut e = LineEditor::at("via  12", 4);
        assert!(e.paste("Roma\nnord", |_| true).changed());
        assert_eq!((e.value(), e.cursor()), ("via Roma nord 12", 13));
        let mut e = LineEditor::new("17").replacing();
        assert!(e.paste("1a0", |c| c.is_ascii_digit()).changed());
        assert_eq!(e.value(), "10");
        let mut e = LineEditor::new("17").replacing();
        assert!(!e.paste("abc", |c| c.is_ascii_digit()).changed(), "nothing taken: the default stays");
        assert_eq!(e.value(), "17");
    }

    #[test]
    fn a_bounded_line_keeps_its_limit_and_says_what_a_paste_lost() {
        let mut e = LineEditor::new("").bounded(2000);
        let pasted = e.paste(&"y".repeat(6000), |_| true);
        assert_eq!(e.len(), 2000);
        assert_eq!(
            pasted.cut_note(Lang::It).as_deref(),
            Some("incollati 2 000 caratteri su 6 000: il resto non entra")
        );
        assert_eq!(
            pasted.cut_note(Lang::En).as_deref(),
            Some("pasted 2,000 characters of 6,000: the rest does not fit")
        );
        assert_eq!(key(&mut e, KeyCode::Char('z'), KeyModifiers::NONE), LineKey::Ignored);
        let more = e.paste("ok", |_| true);
        assert_eq!(more.cut_note(Lang::It).as_deref(), Some("incollati 0 caratteri su 2: il resto non entra"));
        assert_eq!(grouped(1_234_567, Lang::It), "1 234 567");
        assert_eq!(grouped(999, Lang::En), "999");
    }

    #[test]
    fn wide_characters_take_two_columns_and_the_cursor_stays_in_sight() {
        let mut e = LineEditor::new("");
        typed(&mut e, "東京都の家族");
        // 12 columns of text and the block do not fit 8: the start scrolls away.
        let shown: String = e.spans(8, Style::default(), Style::default()).iter().map(|s| s.content.clone()).collect();
        assert_eq!(shown, "の家族█");
        assert_eq!(e.column(8), 6);
        key(&mut e, KeyCode::Home, KeyModifiers::NONE);
        let shown: String = e.spans(8, Style::default(), Style::default()).iter().map(|s| s.content.clone()).collect();
        assert_eq!(shown, "東京都の");
    }
}
