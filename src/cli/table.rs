//! Plain aligned tables and label/value blocks for the terminal.
//!
//! Every cell and value is neutralised as it comes in: a record's own line
//! break never splits a row (it shows as ` ↵ `), and no control character
//! reaches the terminal. Multi-line texts (notes) keep their lines, each
//! indented under the value.

use unicode_width::UnicodeWidthStr;

use crate::model::plain::{neutralise, neutralise_lines};

/// Columns aligned on display width (accents, wide characters).
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&str]) -> Table {
        Table { header: header.iter().map(|h| h.to_string()).collect(), rows: Vec::new() }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells.into_iter().map(|c| neutralise(&c).into_owned()).collect());
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn render(&self) -> String {
        let widths = self.widths();
        let mut out = self.render_line(&self.header, &widths);
        out.push_str(&self.render_rows(&widths));
        out
    }

    /// Each column's width: the widest of its header and cells.
    fn widths(&self) -> Vec<usize> {
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.width()).collect();
        for r in &self.rows {
            for (i, c) in r.iter().enumerate() {
                if i < widths.len() {
                    widths[i] = widths[i].max(c.width());
                }
            }
        }
        widths
    }

    fn render_rows(&self, widths: &[usize]) -> String {
        self.rows.iter().map(|r| self.render_line(r, widths)).collect()
    }

    fn render_line(&self, cells: &[String], widths: &[usize]) -> String {
        let mut out = String::new();
        let last = cells.len().saturating_sub(1);
        for (i, c) in cells.iter().enumerate() {
            out.push_str(c);
            if i < last {
                let width = widths.get(i).copied().unwrap_or(0);
                out.push_str(&" ".repeat(width.saturating_sub(c.width()) + 2));
            }
        }
        out.push('\n');
        out
    }
}

/// A table printed page by page as a list streams in: the columns take
/// their widths from the header and the first rows, and keep them; a
/// later, wider cell pushes the rest of its own line along. A list of one
/// page prints exactly as a `Table`.
pub struct StreamTable {
    header: Vec<String>,
    widths: Option<Vec<usize>>,
    rows: usize,
}

impl StreamTable {
    pub fn new(header: &[&str]) -> StreamTable {
        StreamTable { header: header.iter().map(|h| h.to_string()).collect(), widths: None, rows: 0 }
    }

    /// Prints a page of rows (the first one with the header).
    pub fn print(&mut self, page: Table) {
        if !page.is_empty() {
            out!("{}", self.text(page));
        }
    }

    /// What `print` prints for a page: the widths are the first page's,
    /// and the header comes with it.
    fn text(&mut self, page: Table) -> String {
        let widths = self.widths.get_or_insert_with(|| page.widths()).clone();
        let mut text = if self.rows == 0 { page.render_line(&self.header, &widths) } else { String::new() };
        text.push_str(&page.render_rows(&widths));
        self.rows += page.rows.len();
        text
    }

    /// The header alone, as a `Table` without rows prints it.
    pub fn print_header(&mut self) {
        let page = self.page();
        out!("{}", page.render());
    }

    /// A page's table, to fill and then `print`.
    pub fn page(&self) -> Table {
        Table { header: self.header.clone(), rows: Vec::new() }
    }

    /// Rows printed so far.
    pub fn rows(&self) -> usize {
        self.rows
    }
}

/// Label/value lines with the values aligned.
#[derive(Default)]
pub struct Block {
    lines: Vec<(String, String)>,
}

impl Block {
    /// A one-line value: a line break in it shows as ` ↵ `.
    pub fn add(&mut self, label: &str, value: impl Into<String>) {
        let value = value.into();
        if !value.trim().is_empty() {
            self.lines.push((label.to_string(), neutralise(&value).into_owned()));
        }
    }

    /// A multi-line value (notes): its lines kept, each under the value column.
    pub fn add_lines(&mut self, label: &str, value: impl Into<String>) {
        let value = value.into();
        if !value.trim().is_empty() {
            self.lines.push((label.to_string(), neutralise_lines(&value).trim_end().to_string()));
        }
    }

    /// As `render`, values too long for `width` wrapped under themselves.
    pub fn render_wrapped(&self, indent: usize, width: usize) -> String {
        let label_width = self.lines.iter().map(|(l, _)| l.width()).max().unwrap_or(0);
        let column = indent + label_width + 2;
        let mut out = String::new();
        for (l, v) in &self.lines {
            let body = wrap(v, column, width);
            let body = body.strip_prefix(&" ".repeat(column)).unwrap_or(&body);
            out.push_str(&" ".repeat(indent));
            out.push_str(l);
            out.push_str(&" ".repeat(label_width - l.width() + 2));
            out.push_str(body);
        }
        out
    }

    pub fn render(&self, indent: usize) -> String {
        let width = self.lines.iter().map(|(l, _)| l.width()).max().unwrap_or(0);
        let mut out = String::new();
        let column = " ".repeat(indent + width + 2);
        for (l, v) in &self.lines {
            out.push_str(&" ".repeat(indent));
            out.push_str(l);
            out.push_str(&" ".repeat(width - l.width() + 2));
            for (i, line) in v.lines().enumerate() {
                if i > 0 {
                    out.push_str(&column);
                }
                out.push_str(line);
                out.push('\n');
            }
        }
        out
    }
}

/// The width text is wrapped to: a terminal of 80 columns.
pub const WIDTH: usize = 80;

/// Greedy word wrap of `text` to `width` columns, every line indented by
/// `indent` spaces. Words longer than a line stay whole.
pub fn wrap(text: &str, indent: usize, width: usize) -> String {
    let text = neutralise_lines(text);
    let room = width.saturating_sub(indent).max(20);
    let pad = " ".repeat(indent);
    let mut out = String::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.width() + 1 + word.width() > room {
                out.push_str(&pad);
                out.push_str(&line);
                out.push('\n');
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(&line);
        }
        out.push('\n');
    }
    out
}

/// A line that may be too long for `width`: its first `hang` columns stay
/// as they are, the words that do not fit go on lines indented by `hang`.
pub fn hanging(line: &str, hang: usize, width: usize) -> String {
    let split = line.char_indices().nth(hang).map(|(i, _)| i);
    let (Some(split), true) = (split, line.width() > width) else {
        return format!("{line}\n");
    };
    let (head, rest) = line.split_at(split);
    let mut out = String::new();
    let mut current = head.to_string();
    let mut empty = true;
    for word in rest.split_whitespace() {
        if !empty && current.width() + 1 + word.width() > width {
            out.push_str(&current);
            out.push('\n');
            current = " ".repeat(hang);
            empty = true;
        }
        if !empty {
            current.push(' ');
        }
        current.push_str(word);
        empty = false;
    }
    out.push_str(&current);
    out.push('\n');
    out
}

/// Parts joined with " · ", starting a new line rather than going past
/// `width`: the first `first` columns in, the others `next`. Empty parts
/// are left out.
pub fn flow_hanging(parts: &[String], first: usize, next: usize, width: usize) -> String {
    let mut pad = " ".repeat(first);
    let mut out = String::new();
    let mut line = String::new();
    for part in parts.iter().filter(|p| !p.trim().is_empty()) {
        if !line.is_empty() && pad.len() + line.width() + 3 + part.width() > width {
            out.push_str(&pad);
            out.push_str(&line);
            out.push('\n');
            line.clear();
            pad = " ".repeat(next);
        }
        if !line.is_empty() {
            line.push_str(" · ");
        }
        line.push_str(part);
    }
    if !line.is_empty() {
        out.push_str(&pad);
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod stream_tests {
    use super::*;

    fn rows() -> Vec<Vec<String>> {
        vec![
            vec!["F-2026-0001".into(), "Dalmine (BG)".into(), "idonea".into()],
            vec!["F-2026-0002".into(), "Azzano San Paolo (BG)".into(), "sospesa".into()],
            vec!["F-2026-0003".into(), "Milano (MI)".into(), "non idonea".into()],
        ]
    }

    #[test]
    fn a_list_of_one_page_streams_as_the_whole_table_printed() {
        let header = ["CODICE", "COMUNE", "STATO"];
        let mut whole = Table::new(&header);
        let mut stream = StreamTable::new(&header);
        let mut page = stream.page();
        for r in rows() {
            whole.row(r.clone());
            page.row(r);
        }
        assert_eq!(stream.text(page), whole.render());
    }

    #[test]
    fn later_pages_keep_the_first_pages_widths() {
        let mut stream = StreamTable::new(&["CODICE", "COMUNE", "STATO"]);
        let rows = rows();
        let mut first = stream.page();
        first.row(rows[0].clone());
        let mut second = stream.page();
        second.row(rows[2].clone());
        let text = format!("{}{}", stream.text(first), stream.text(second));
        assert_eq!(
            text,
            "CODICE       COMUNE        STATO\n\
             F-2026-0001  Dalmine (BG)  idonea\n\
             F-2026-0003  Milano (MI)   non idonea\n"
        );
        assert_eq!(stream.rows(), 2);
    }
}
