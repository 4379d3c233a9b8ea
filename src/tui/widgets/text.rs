//! Lines of text: labels with matched characters, fields and their values.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::tui::theme::Theme;

/// `label` with the characters at `matched` (positions in characters) emphasised.
pub fn highlighted(label: &str, matched: &[u32], base: Style, theme: Theme) -> Line<'static> {
    let mut spans: Vec<Span> = Vec::new();
    let mut run = String::new();
    let mut run_matched = false;
    for (i, c) in label.chars().enumerate() {
        let m = matched.contains(&(i as u32));
        if m != run_matched && !run.is_empty() {
            let style = if run_matched { base.patch(theme.matched()) } else { base };
            spans.push(Span::styled(std::mem::take(&mut run), style));
        }
        run_matched = m;
        run.push(c);
    }
    if !run.is_empty() {
        let style = if run_matched { base.patch(theme.matched()) } else { base };
        spans.push(Span::styled(run, style));
    }
    Line::from(spans)
}

/// Turns text rendered for the CLI (lines, two-space indents) into lines,
/// with section titles (unindented lines after an empty one) in bold.
pub fn document(text: &str, theme: Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let mut after_blank = true;
    for (i, line) in text.lines().enumerate() {
        let title = i == 0 || (after_blank && !line.starts_with(' ') && !line.is_empty());
        out.push(if title { Line::styled(line.to_string(), theme.title()) } else { Line::raw(line.to_string()) });
        after_blank = line.trim().is_empty();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matched_characters_are_their_own_spans() {
        let line = highlighted("Rossi Anna", &[0, 1, 2], Style::default(), Theme::plain());
        let texts: Vec<&str> = line.spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(texts, ["Ros", "si Anna"]);
        assert_eq!(line.spans[0].style, Theme::plain().matched());
    }
}
