//! A small popup that asks one line of text (a step's note or reason, a
//! code), typed through the one line editor. Anything longer is a form.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

use crate::i18n::Lang;
use crate::tui::help::centered;
use crate::tui::keys::Hint;
use crate::tui::screens::View;
use crate::tui::text::texts;
use crate::tui::widgets::line_editor::{full_note, LineEditor, LineKey, Pasted};

texts!(Tx {
    Confirm => "Invio conferma · Esc annulla", "Enter confirms · Esc cancels";
    ConfirmKey => "conferma", "confirm";
    CancelKey => "annulla", "cancel";
});

/// What the popup says under the line until the next edit.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Note {
    /// A problem with the answer (a reason required, the core's refusal).
    Said(String),
    /// A paste that did not all fit.
    Cut(Pasted),
    /// Typing stopped at the limit.
    Full,
}

/// What a key did to a popup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step<T> {
    Stay,
    Cancel,
    Done(T),
}

/// One line of text to type, under a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub question: String,
    pub line: LineEditor,
    note: Option<Note>,
}

impl Prompt {
    /// `initial` is there to complete (a code's prefix) or edit (a date):
    /// typing goes at its end.
    pub fn new(question: impl Into<String>, initial: impl Into<String>) -> Prompt {
        Prompt { question: question.into(), line: LineEditor::new(&initial.into()), note: None }
    }

    /// The answer kept within the core's limit for it (a step's note):
    /// what goes beyond is refused aloud, never sent to be refused there.
    pub fn bounded(mut self, max: usize) -> Prompt {
        self.line = self.line.bounded(max);
        self
    }

    /// A problem with the answer, shown in the popup until the next edit.
    pub fn say(&mut self, problem: impl Into<String>) {
        self.note = Some(Note::Said(problem.into()));
    }

    /// What the popup says under the line, if anything.
    pub fn note(&self, lang: Lang) -> Option<String> {
        match self.note.as_ref()? {
            Note::Said(text) => Some(text.clone()),
            Note::Cut(pasted) => pasted.cut_note(lang),
            Note::Full => Some(full_note(self.line.max(), lang)),
        }
    }

    /// Text pasted at the cursor, on one line: a cut is said.
    pub fn paste(&mut self, text: &str) {
        let pasted = self.line.paste(text, |_| true);
        if pasted.is_cut() {
            self.note = Some(Note::Cut(pasted));
        } else if pasted.changed() {
            self.note = None;
        }
    }

    /// The keys of the popup, for the help bar while it is open.
    pub fn hints() -> Vec<Hint> {
        vec![
            Hint { shown: "Enter", label: |l| Tx::ConfirmKey.get(l), bar: true },
            Hint { shown: "Esc", label: |l| Tx::CancelKey.get(l), bar: true },
        ]
    }

    pub fn text(&self) -> &str {
        self.line.value()
    }

    pub fn key(&mut self, ev: &KeyEvent) -> Step<String> {
        match self.line.key(ev) {
            LineKey::Finished(KeyCode::Esc) => Step::Cancel,
            LineKey::Finished(_) => Step::Done(self.text().trim().to_string()),
            LineKey::Edited => {
                // What was said of the old answer no longer holds.
                self.note = None;
                Step::Stay
            }
            LineKey::Ignored if matches!(ev.code, KeyCode::Char(_)) && self.line.is_full() => {
                self.note = Some(Note::Full);
                Step::Stay
            }
            _ => Step::Stay,
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let theme = view.theme;
        let width = area.width.saturating_sub(4).min(72);
        let inner = usize::from(width.saturating_sub(2)).max(1);
        let question_lines = self.question.chars().count().div_ceil(inner).max(1) as u16;
        let note = self.note(view.lang);
        let note_lines = note.as_ref().map_or(0, |n| n.chars().count().div_ceil(inner).max(1) as u16);
        let rect = centered(area, width, question_lines + 5 + note_lines);
        frame.render_widget(Clear, rect);
        let mut lines: Vec<Line> = vec![Line::raw(self.question.clone())];
        lines.push(Line::raw(""));
        // The cursor stays in sight, however long the answer.
        lines.push(Line::from(self.line.spans(inner.saturating_sub(1), theme.normal(), theme.key())));
        if let Some(note) = note {
            lines.push(Line::styled(format!("✗ {note}"), theme.error()));
        }
        lines.push(Line::styled(Tx::Confirm.get(view.lang), theme.dim()));
        let block = Block::default().borders(Borders::ALL).border_style(theme.border_focused());
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).block(block), rect);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use ratatui::crossterm::event::KeyModifiers;

    fn ev(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn a_prompt_collects_letters_and_digits_until_enter() {
        let mut p = Prompt::new("?", "");
        for c in "F-2026-0q".chars() {
            assert_eq!(p.key(&ev(KeyCode::Char(c))), Step::Stay);
        }
        p.key(&ev(KeyCode::Backspace));
        assert_eq!(p.key(&ev(KeyCode::Enter)), Step::Done("F-2026-0".into()));
        assert_eq!(p.key(&ev(KeyCode::Esc)), Step::Cancel);
    }

    #[test]
    fn a_bounded_prompt_says_when_typing_or_a_paste_hits_its_limit() {
        let mut p = Prompt::new("?", "").bounded(5);
        p.paste("abcdefgh");
        assert_eq!(p.text(), "abcde");
        assert_eq!(p.note(Lang::It).as_deref(), Some("incollati 5 caratteri su 8: il resto non entra"));
        p.key(&ev(KeyCode::Backspace));
        assert_eq!(p.note(Lang::It), None);
        p.key(&ev(KeyCode::Char('x')));
        p.key(&ev(KeyCode::Char('y')));
        assert_eq!(p.text(), "abcdx");
        assert_eq!(p.note(Lang::En).as_deref(), Some("at most 5 characters: the rest does not fit"));
    }
}
