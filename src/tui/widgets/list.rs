//! A scrolling selection over rows drawn on demand: only the rows on screen
//! are ever built, so a list of 100 000 families scrolls as fast as one of ten.

use ratatui::crossterm::event::{KeyCode, KeyEvent, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Row, Table};
use ratatui::Frame;

use crate::tui::keys::Nav;
use crate::tui::theme::Theme;

/// Which row is selected and which is at the top of the window. Kept
/// while handling messages (keys, replies, a resize: `fit`); drawing only
/// reads it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Selection {
    pub selected: usize,
    pub offset: usize,
    /// Rows that fit in the table as laid out now (a page).
    pub height: usize,
}

/// The rows a table drawn in `area` shows: borders and header take three lines.
pub fn table_rows(area: Rect) -> usize {
    usize::from(area.height.saturating_sub(3)).max(1)
}

impl Selection {
    /// The table is laid out in `area` (a resize, or the screen shown):
    /// a page is what fits, and the selection stays in the window.
    pub fn fit(&mut self, area: Rect, len: usize) {
        self.height = table_rows(area);
        self.clamp(len);
    }

    /// The first row shown in a window of `rows` over `len` rows: the
    /// offset kept, moved just enough for the selection to be in sight
    /// (a pure function: the same for drawing and for clicks).
    pub fn window(&self, rows: usize, len: usize) -> usize {
        let rows = rows.max(1);
        let offset = if self.selected < self.offset {
            self.selected
        } else if self.selected >= self.offset + rows {
            self.selected + 1 - rows
        } else {
            self.offset
        };
        offset.min(len.saturating_sub(rows))
    }

    /// Moves; true when the selection changed.
    pub fn nav(&mut self, nav: Nav, len: usize) -> bool {
        if len == 0 {
            return false;
        }
        let page = self.height.max(1);
        let before = self.selected;
        self.selected = match nav {
            Nav::Up => self.selected.saturating_sub(1),
            Nav::Down => (self.selected + 1).min(len - 1),
            Nav::PageUp => self.selected.saturating_sub(page),
            Nav::PageDown => (self.selected + page).min(len - 1),
            Nav::Home => 0,
            Nav::End => len - 1,
        };
        self.keep_visible(len);
        before != self.selected
    }

    /// After the list changed length: the selection stays in it.
    pub fn clamp(&mut self, len: usize) {
        self.selected = self.selected.min(len.saturating_sub(1));
        self.keep_visible(len);
    }

    /// Selects `index` and scrolls to it.
    pub fn select(&mut self, index: usize, len: usize) {
        self.selected = index;
        self.clamp(len);
    }

    /// The wheel: scrolls the window by `rows` (negative up), the selection follows when it leaves it.
    pub fn scroll(&mut self, rows: isize, len: usize) {
        let max_offset = len.saturating_sub(self.height.max(1));
        self.offset = (self.offset as isize + rows).clamp(0, max_offset as isize) as usize;
        let last = (self.offset + self.height.max(1)).saturating_sub(1);
        self.selected = self.selected.clamp(self.offset, last.min(len.saturating_sub(1)));
    }

    /// The row at `y` of a list drawn in `area` (with borders and a header), if any.
    pub fn row_at(&self, area: Rect, y: u16, header: bool, len: usize) -> Option<usize> {
        let top = area.y + 1 + u16::from(header);
        if y < top || y >= area.y + area.height.saturating_sub(1) {
            return None;
        }
        let rows = usize::from(area.height.saturating_sub(2 + u16::from(header))).max(1);
        let index = self.window(rows, len) + usize::from(y - top);
        (index < len).then_some(index)
    }

    fn keep_visible(&mut self, len: usize) {
        let h = self.height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + h {
            self.offset = self.selected + 1 - h;
        }
        self.offset = self.offset.min(len.saturating_sub(h));
    }
}

/// Whether the selection is within a window's height of the last of `len`
/// rows: time to fetch the next page of a list, if there is one.
pub fn near_end(sel: &Selection, len: usize) -> bool {
    sel.selected + sel.height.max(1) >= len
}

/// "loading more…" over the bottom border of a table drawn in `area`:
/// the list goes on on the server and comes as the operator scrolls.
pub fn loading_more(frame: &mut Frame, area: Rect, theme: Theme, text: &str) {
    if area.height < 2 || area.width < 4 {
        return;
    }
    let text = format!(" {text} ");
    let width = (unicode_width::UnicodeWidthStr::width(text.as_str()) as u16).min(area.width - 2);
    let line = Rect { x: area.x + 1, y: area.y + area.height - 1, width, height: 1 };
    frame.render_widget(ratatui::widgets::Paragraph::new(text).style(theme.dim()), line);
}

/// What the mouse did to a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pointer {
    /// Not on a row, or not a click or the wheel.
    Ignored,
    /// The wheel scrolled the window.
    Scrolled,
    /// A click selected another row.
    Selected,
    /// A click on the row already selected: open it.
    Open,
}

impl Selection {
    /// The wheel scrolls by three rows; a click selects a row of the table
    /// drawn in `area` (borders and a header), a second click opens it.
    pub fn pointer(&mut self, ev: &MouseEvent, area: Rect, len: usize) -> Pointer {
        match ev.kind {
            MouseEventKind::ScrollDown => self.scroll(3, len),
            MouseEventKind::ScrollUp => self.scroll(-3, len),
            MouseEventKind::Down(MouseButton::Left) => {
                return match self.row_at(area, ev.row, true, len) {
                    Some(i) if i == self.selected => Pointer::Open,
                    Some(i) => {
                        self.select(i, len);
                        Pointer::Selected
                    }
                    None => Pointer::Ignored,
                }
            }
            _ => return Pointer::Ignored,
        }
        Pointer::Scrolled
    }
}

/// A record's text scrolled by a move key (End goes far: the paragraph stops at its end).
pub fn scrolled(scroll: u16, nav: Nav) -> u16 {
    match nav {
        Nav::Up => scroll.saturating_sub(1),
        Nav::Down => scroll.saturating_add(1),
        Nav::PageUp => scroll.saturating_sub(10),
        Nav::PageDown => scroll.saturating_add(10),
        Nav::Home => 0,
        Nav::End => 200,
    }
}

/// A one-line text being typed (a filter): what a key did to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKey {
    /// A character added or removed.
    Edited,
    /// Enter or Esc: typing ends.
    Finished(KeyCode),
    /// Not a key for the line.
    Ignored,
}

/// A list's filter typed through the one line editor, at its end (word
/// and line deletes work; ← and → stay the screen's, to move between panes).
pub fn edit_line(text: &mut String, ev: &KeyEvent) -> LineKey {
    match super::line_editor::edit_at_end(text, ev) {
        super::line_editor::LineKey::Finished(code) => LineKey::Finished(code),
        super::line_editor::LineKey::Edited => LineKey::Edited,
        super::line_editor::LineKey::Moved | super::line_editor::LineKey::Ignored => LineKey::Ignored,
    }
}

/// A cell of record text: on one line, whatever the record carries
/// (a line break shows as ` ↵ `, ESC as ␛).
pub fn text_cell(text: &str) -> Cell<'static> {
    Cell::from(crate::model::plain::neutralise(text).into_owned())
}

/// A table of `len` rows of which only the visible ones are built by `row`.
pub struct TableView<'a> {
    pub title: String,
    pub header: Vec<&'a str>,
    pub widths: Vec<Constraint>,
    pub len: usize,
    pub focused: bool,
    /// Shown in the middle when there are no rows.
    pub empty: &'a str,
}

impl TableView<'_> {
    /// Draws the rows in sight of `sel` (which drawing does not change).
    pub fn render<'r>(
        &self,
        frame: &mut Frame,
        area: Rect,
        sel: &Selection,
        theme: Theme,
        mut row: impl FnMut(usize) -> Vec<Cell<'r>>,
    ) {
        let height = table_rows(area);
        let selected = sel.selected.min(self.len.saturating_sub(1));
        let offset = sel.window(height, self.len);
        let count = if self.len == 0 { String::new() } else { format!(" {}/{} ", selected + 1, self.len) };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(if self.focused { theme.border_focused() } else { theme.border() })
            .title(Line::from(Span::styled(format!(" {} ", self.title), theme.title())))
            .title_bottom(Line::from(count).right_aligned());
        let end = (offset + height).min(self.len);
        let rows: Vec<Row> = (offset..end)
            .map(|i| {
                let style = match (i == selected, self.focused) {
                    (true, true) => theme.selected(),
                    (true, false) => theme.selected_unfocused(),
                    _ => theme.normal(),
                };
                Row::new(row(i)).style(style)
            })
            .collect();
        if rows.is_empty() {
            // The sentence spans the table, not its first column.
            let inner = block.inner(area);
            frame.render_widget(block, area);
            let text = ratatui::widgets::Paragraph::new(self.empty.to_string()).style(theme.dim());
            frame.render_widget(text, inner);
            return;
        }
        let header = Row::new(self.header.iter().map(|h| Cell::from(h.to_string()))).style(theme.header());
        let table = Table::new(rows, self.widths.clone()).header(header).block(block).column_spacing(1);
        frame.render_widget(table, area);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_keeps_the_selection_in_the_window() {
        let mut s = Selection { height: 10, ..Default::default() };
        assert!(s.nav(Nav::PageDown, 100));
        assert_eq!((s.selected, s.offset), (10, 1));
        s.nav(Nav::End, 100);
        assert_eq!((s.selected, s.offset), (99, 90));
        s.nav(Nav::Home, 100);
        assert_eq!((s.selected, s.offset), (0, 0));
        assert!(!s.nav(Nav::Up, 100));
        s.scroll(50, 100);
        assert_eq!((s.selected, s.offset), (50, 50));
        s.clamp(20);
        assert_eq!((s.selected, s.offset), (19, 10));
    }

    #[test]
    fn the_window_drawn_keeps_the_selection_in_sight_without_changing_it() {
        let s = Selection { selected: 30, offset: 0, height: 10 };
        // Laid out for ten rows, drawn in five: the window moves, the selection does not.
        assert_eq!(s.window(5, 100), 26);
        assert_eq!(s.window(40, 100), 0);
        assert_eq!(s.window(40, 35), 0);
        let s = Selection { selected: 2, offset: 50, height: 10 };
        assert_eq!(s.window(10, 100), 2);
    }
}
