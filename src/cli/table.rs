//! Plain aligned tables and label/value blocks for the terminal.

use unicode_width::UnicodeWidthStr;

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
        self.rows.push(cells);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn render(&self) -> String {
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.width()).collect();
        for r in &self.rows {
            for (i, c) in r.iter().enumerate() {
                if i < widths.len() {
                    widths[i] = widths[i].max(c.width());
                }
            }
        }
        let mut out = String::new();
        let line = |cells: &[String], out: &mut String| {
            let last = cells.len().saturating_sub(1);
            for (i, c) in cells.iter().enumerate() {
                out.push_str(c);
                if i < last {
                    out.push_str(&" ".repeat(widths[i].saturating_sub(c.width()) + 2));
                }
            }
            out.push('\n');
        };
        line(&self.header, &mut out);
        for r in &self.rows {
            line(r, &mut out);
        }
        out
    }
}

/// Label/value lines with the values aligned.
#[derive(Default)]
pub struct Block {
    lines: Vec<(String, String)>,
}

impl Block {
    pub fn add(&mut self, label: &str, value: impl Into<String>) {
        let value = value.into();
        if !value.trim().is_empty() {
            self.lines.push((label.to_string(), value));
        }
    }

    pub fn render(&self, indent: usize) -> String {
        let width = self.lines.iter().map(|(l, _)| l.width()).max().unwrap_or(0);
        let mut out = String::new();
        for (l, v) in &self.lines {
            out.push_str(&" ".repeat(indent));
            out.push_str(l);
            out.push_str(&" ".repeat(width - l.width() + 2));
            out.push_str(v);
            out.push('\n');
        }
        out
    }
}
