//! The `?` popup: every key of the screen shown, then the application's,
//! from the same declarations that drive them. And the yes/no question.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

use super::keys::{code, label, plain, Binding, Hint};
use super::screens::View;
use super::text::T;

pub struct HelpPopup {
    title: String,
    screen: Vec<Hint>,
    global: Vec<Hint>,
    scroll: u16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    Close,
    Up,
    Down,
}

const KEYS: &[Binding<Act>] = &[
    Binding {
        keys: &[code(KeyCode::Esc), plain('?'), plain('q'), code(KeyCode::F(1))],
        shown: "Esc ?",
        label: label!(T::Back),
        action: Act::Close,
        bar: true,
    },
    Binding {
        keys: &[code(KeyCode::Up), plain('k')], shown: "↑↓", label: label!(T::Move), action: Act::Up, bar: true
    },
    Binding {
        keys: &[code(KeyCode::Down), plain('j')],
        shown: "",
        label: label!(T::Move),
        action: Act::Down,
        bar: false,
    },
];

impl HelpPopup {
    pub fn new(title: &str, screen: Vec<Hint>, global: Vec<Hint>) -> HelpPopup {
        HelpPopup { title: title.to_string(), screen, global, scroll: 0 }
    }

    pub fn hints() -> Vec<Hint> {
        super::keys::hints(KEYS)
    }

    /// True when the popup closes.
    pub fn key(&mut self, ev: &KeyEvent) -> bool {
        match super::keys::action(KEYS, ev) {
            Some(Act::Close) => true,
            Some(Act::Up) => {
                self.scroll = self.scroll.saturating_sub(1);
                false
            }
            Some(Act::Down) => {
                self.scroll = self.scroll.saturating_add(1);
                false
            }
            None => false,
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let theme = view.theme;
        let entries = |hints: &[Hint]| {
            let mut seen: Vec<&str> = Vec::new();
            let mut out = Vec::new();
            for h in hints.iter().filter(|h| !h.shown.is_empty()) {
                if !seen.contains(&h.shown) {
                    seen.push(h.shown);
                    out.push((h.shown, (h.label)(view.lang)));
                }
            }
            out
        };
        let (screen, global) = (entries(&self.screen), entries(&self.global));
        // Everything fits in one column on a tall terminal; on a short one
        // the keys go two by two, so nothing hides below the popup's edge.
        let one_column = screen.len() + global.len() + 7 <= usize::from(area.height);
        let width: u16 = if one_column { 60 } else { 76 };
        let cell = |(keys, text): (&str, &str)| {
            vec![Span::styled(format!("  {keys:<10} "), theme.key()), Span::raw(format!("{text:<23}"))]
        };
        let rows = |entries: &[(&'static str, &'static str)]| -> Vec<Line<'static>> {
            if one_column {
                entries.iter().map(|&e| Line::from(cell(e))).collect()
            } else {
                entries
                    .chunks(2)
                    .map(|pair| Line::from(pair.iter().flat_map(|&e| cell(e)).collect::<Vec<_>>()))
                    .collect()
            }
        };
        let mut lines = vec![Line::styled(self.title.clone(), theme.title())];
        lines.extend(rows(&screen));
        lines.push(Line::raw(""));
        lines.push(Line::styled(view.t(T::HelpGlobal), theme.title()));
        lines.extend(rows(&global));
        lines.push(Line::raw(""));
        lines.push(Line::styled(view.t(T::HelpClose), theme.dim()));
        let height = (lines.len() as u16 + 2).min(area.height);
        let rect = centered(area, width.min(area.width), height);
        frame.render_widget(Clear, rect);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border_focused())
            .title(Span::styled(format!(" {} ", view.t(T::HelpTitle)), theme.title()));
        frame.render_widget(Paragraph::new(lines).block(block).scroll((self.scroll, 0)), rect);
    }
}

/// A question in the middle of `area`.
pub fn confirm(frame: &mut Frame, area: Rect, question: &str, view: &View) {
    let width = (question.chars().count() as u16 + 4).clamp(30, area.width.min(70));
    let rect = centered(area, width, 5);
    frame.render_widget(Clear, rect);
    let block = Block::default().borders(Borders::ALL).border_style(view.theme.border_focused());
    frame.render_widget(Paragraph::new(question.to_string()).wrap(Wrap { trim: true }).block(block), rect);
}

pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(height.min(area.height))]).flex(Flex::Center).areas(area);
    let [h] = Layout::horizontal([Constraint::Length(width.min(area.width))]).flex(Flex::Center).areas(v);
    h
}
