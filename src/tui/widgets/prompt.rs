//! A small popup that asks one line of text (a step's note or reason, a
//! code), typed through the one line editor. Anything longer is a form.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

use crate::tui::help::centered;
use crate::tui::screens::View;
use crate::tui::text::texts;
use crate::tui::widgets::line_editor::{LineEditor, LineKey};

texts!(Tx {
    Confirm => "Invio conferma · Esc annulla", "Enter confirms · Esc cancels";
});

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
}

impl Prompt {
    /// `initial` is there to complete (a code's prefix) or edit (a date):
    /// typing goes at its end.
    pub fn new(question: impl Into<String>, initial: impl Into<String>) -> Prompt {
        Prompt { question: question.into(), line: LineEditor::new(&initial.into()) }
    }

    pub fn text(&self) -> &str {
        self.line.value()
    }

    pub fn key(&mut self, ev: &KeyEvent) -> Step<String> {
        match self.line.key(ev) {
            LineKey::Finished(KeyCode::Esc) => Step::Cancel,
            LineKey::Finished(_) => Step::Done(self.text().trim().to_string()),
            _ => Step::Stay,
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let theme = view.theme;
        let width = area.width.saturating_sub(4).min(72);
        let inner = usize::from(width.saturating_sub(2)).max(1);
        let question_lines = self.question.chars().count().div_ceil(inner).max(1) as u16;
        let rect = centered(area, width, question_lines + 5);
        frame.render_widget(Clear, rect);
        let mut lines: Vec<Line> = vec![Line::raw(self.question.clone())];
        lines.push(Line::raw(""));
        // The cursor stays in sight, however long the answer.
        lines.push(Line::from(self.line.spans(inner.saturating_sub(1), theme.normal(), theme.key())));
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
}
