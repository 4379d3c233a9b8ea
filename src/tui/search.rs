//! The `/` popup: the search engine of the whole bank, a search per
//! keystroke (typing on narrows the last one in the core), the matched
//! characters highlighted, `Enter` opens the record on its screen.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph};
use ratatui::Frame;

use super::keys::{self, code, label, Binding, Hint, Nav};
use super::screens::View;
use super::source::CallError;
use super::text::T;
use super::widgets::line_editor::{LineEditor, LineKey};
use super::widgets::list::Selection;
use super::widgets::text::highlighted;
use crate::api::Reply;
use crate::api::SearchResult;
use crate::i18n::Lang;
use crate::present::search::{context, kind_word};

/// Hits asked for per keystroke: more than fit, few enough to be instant.
pub const LIMIT: usize = 100;

#[derive(Default)]
pub struct SearchPopup {
    pub input: LineEditor,
    result: Option<SearchResult>,
    sel: Selection,
    /// Why the core refused the query as typed (a filter not known yet, "stato:xyz").
    problem: Option<String>,
    /// What was typed and not yet asked for.
    typed: Option<String>,
}

pub enum Step {
    Stay,
    Close,
    Open(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    Open,
    Close,
    Nav(Nav),
}

const KEYS: &[Binding<Act>] = &[
    Binding { keys: &[code(KeyCode::Enter)], shown: "Enter", label: label!(T::Open), action: Act::Open, bar: true },
    Binding { keys: &[code(KeyCode::Esc)], shown: "Esc", label: label!(T::Back), action: Act::Close, bar: true },
    Binding {
        keys: &[code(KeyCode::Up)], shown: "↑↓", label: label!(T::Move), action: Act::Nav(Nav::Up), bar: true
    },
    Binding {
        keys: &[code(KeyCode::Down)],
        shown: "",
        label: label!(T::Move),
        action: Act::Nav(Nav::Down),
        bar: false,
    },
    Binding {
        keys: &[code(KeyCode::PageUp)],
        shown: "PgUp PgDn",
        label: label!(T::Page),
        action: Act::Nav(Nav::PageUp),
        bar: false,
    },
    Binding {
        keys: &[code(KeyCode::PageDown)],
        shown: "",
        label: label!(T::Page),
        action: Act::Nav(Nav::PageDown),
        bar: false,
    },
];

impl SearchPopup {
    pub fn hints() -> Vec<Hint> {
        keys::hints(KEYS)
    }

    pub fn key(&mut self, ev: &KeyEvent) -> Step {
        let len = self.result.as_ref().map_or(0, |r| r.hits.len());
        match keys::action(KEYS, ev) {
            Some(Act::Close) => return Step::Close,
            Some(Act::Open) => {
                return match self.result.as_ref().and_then(|r| r.hits.get(self.sel.selected)) {
                    Some(hit) => Step::Open(hit.code.clone()),
                    None => Step::Stay,
                }
            }
            Some(Act::Nav(n)) => {
                self.sel.nav(n, len);
                return Step::Stay;
            }
            None => {}
        }
        if self.input.key(ev) == LineKey::Edited {
            self.sel = Selection { height: self.sel.height, ..Selection::default() };
            if self.input.value().trim().is_empty() {
                self.result = None;
                self.problem = None;
                self.typed = None;
            } else {
                self.typed = Some(self.input.value().to_string());
            }
        }
        Step::Stay
    }

    /// The query to ask the core for, once per change of what is typed
    /// (the application keeps only the newest in flight).
    pub fn take_query(&mut self) -> Option<String> {
        self.typed.take()
    }

    /// The core's hits for the newest query asked. A half-typed filter
    /// ("stato:") is refused: the last hits stay, and the hint says why.
    pub fn reply(&mut self, result: Result<Reply, CallError>, lang: Lang) {
        if self.input.value().trim().is_empty() {
            return;
        }
        match result {
            Ok(Reply::Found(r)) => {
                self.result = Some(r);
                self.problem = None;
            }
            Ok(_) => {}
            Err(e) => self.problem = Some(e.message(lang)),
        }
    }

    /// Laid out over the screen's `area`: a page of hits is what fits.
    pub fn place(&mut self, area: Rect) {
        self.sel.height = usize::from(popup_layout(area).list.height).max(1);
        if let Some(result) = &self.result {
            self.sel.clamp(result.hits.len());
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let theme = view.theme;
        let PopupAreas { rect, input, hint, list, summary } = popup_layout(area);
        frame.render_widget(Clear, rect);
        frame.render_widget(self.block(view), rect);
        let room = usize::from(input.width.saturating_sub(2));
        let spans = vec![Span::styled("/ ", theme.key()), Span::raw(self.input.visible(room))];
        frame.render_widget(Paragraph::new(Line::from(spans)), input);
        frame.set_cursor_position((input.x + 2 + self.input.column(room) as u16, input.y));
        let hint_line = match &self.problem {
            Some(problem) => Line::styled(problem.clone(), theme.error()),
            None => Line::styled(view.t(T::SearchPrompt), theme.dim()),
        };
        frame.render_widget(Paragraph::new(hint_line), hint);
        let Some(result) = &self.result else { return };
        if result.hits.is_empty() {
            frame.render_widget(Paragraph::new(view.t(T::SearchNone)), list);
            return;
        }
        let len = result.hits.len();
        let selected = self.sel.selected.min(len - 1);
        let offset = self.sel.window(usize::from(list.height), len);
        let items: Vec<ListItem> = result
            .hits
            .iter()
            .map(|hit| {
                let mut line = Line::from(vec![
                    Span::styled(format!("{:<9} ", kind_word(hit.kind, view.lang)), theme.dim()),
                    Span::raw(format!("{:<12} ", hit.code)),
                ]);
                // A record's label starts with its code, already in its column.
                let (label, matched) = without_code(&hit.label, &hit.code, &hit.matched);
                line.spans.extend(highlighted(label, &matched, theme.normal(), theme).spans);
                let more = crate::model::plain::neutralise(&context(hit, view.lang).join(" · ")).into_owned();
                if !more.is_empty() {
                    line.spans.push(Span::styled(format!("  {more}"), theme.dim()));
                }
                ListItem::new(line)
            })
            .collect();
        // A state made for this frame: the window comes from the selection, not from the last frame.
        let mut state = ListState::default().with_selected(Some(selected)).with_offset(offset);
        frame.render_stateful_widget(List::new(items).highlight_style(theme.selected()), list, &mut state);
        let shown = result.hits.len();
        let text = if result.total as usize > shown {
            format!("{} {} {shown}", result.total, view.t(T::SearchMore))
        } else {
            format!("{} / {}", selected + 1, shown)
        };
        frame.render_widget(Paragraph::new(Line::styled(text, theme.dim()).right_aligned()), summary);
    }
}

impl SearchPopup {
    fn block(&self, view: &View) -> Block<'static> {
        Block::default()
            .borders(Borders::ALL)
            .border_style(view.theme.border_focused())
            .title(Span::styled(format!(" {} ", view.t(T::SearchTitle)), view.theme.title()))
    }
}

/// Where the popup's parts go over the screen's `area`.
struct PopupAreas {
    rect: Rect,
    input: Rect,
    hint: Rect,
    list: Rect,
    summary: Rect,
}

/// The popup's one layout: drawn in it, its page measured in it.
fn popup_layout(area: Rect) -> PopupAreas {
    let rect = area.inner(ratatui::layout::Margin { horizontal: 2, vertical: 0 });
    let inner = Block::default().borders(Borders::ALL).inner(rect);
    let [input, hint, list, summary] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Min(1), Constraint::Length(1)])
            .areas(inner);
    PopupAreas { rect, input, hint, list, summary }
}

/// `label` without a leading `code` (and its space), the matched positions shifted to match.
fn without_code<'a>(label: &'a str, code: &str, matched: &[u32]) -> (&'a str, Vec<u32>) {
    match label.strip_prefix(code).and_then(|rest| rest.strip_prefix(' ')) {
        Some(rest) => {
            let cut = code.chars().count() as u32 + 1;
            (rest, matched.iter().filter(|&&m| m >= cut).map(|m| m - cut).collect())
        }
        None => (label, matched.to_vec()),
    }
}

#[cfg(test)]
mod tests {
    use super::without_code;

    #[test]
    fn the_code_leaves_the_label_and_the_highlight_follows() {
        assert_eq!(without_code("F-2021-0009 Ada Rossi", "F-2021-0009", &[0, 16, 17]), ("Ada Rossi", vec![4, 5]));
        assert_eq!(without_code("Dalmine (BG) 016091", "016091", &[0]), ("Dalmine (BG) 016091", vec![0]));
    }
}
