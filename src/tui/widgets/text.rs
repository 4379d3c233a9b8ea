//! Lines of text: labels with matched characters, fields and their values.

use ratatui::buffer::Buffer;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::model::plain;
use crate::tui::theme::Theme;

/// `label` with the characters at `matched` (positions in characters)
/// emphasised; a control character shows as its picture (ESC → ␛).
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
        let mut buf = [0u8; 4];
        run.push_str(&plain::neutralise(c.encode_utf8(&mut buf)));
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
    let text = plain::neutralise_lines(text);
    for (i, line) in text.lines().enumerate() {
        let line = plain::neutralise(line);
        let title = i == 0 || (after_blank && !line.starts_with(' ') && !line.is_empty());
        out.push(if title { Line::styled(line.to_string(), theme.title()) } else { Line::raw(line.to_string()) });
        after_blank = line.trim().is_empty();
    }
    out
}

/// Takes out of every cell of a drawn frame the characters a terminal
/// would act on: C0 and C1 controls (ratatui appends zero-width ones such
/// as ESC to the previous cell, and writes them out), bidirectional
/// controls, zero-width spaces. A cell left empty shows �. The last guard:
/// texts drawn through `document` and `highlighted` are already neutralised
/// into visible pictures; anything else a screen draws is made inert here.
pub fn scrub(buffer: &mut Buffer) {
    let area = buffer.area;
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let cell = &mut buffer[(x, y)];
            let symbol = cell.symbol();
            if !symbol.contains(hostile) {
                continue;
            }
            let kept: String = symbol.chars().filter(|c| !hostile(*c)).collect();
            cell.set_symbol(if kept.is_empty() { "\u{FFFD}" } else { &kept });
        }
    }
}

fn hostile(c: char) -> bool {
    plain::is_control(c) || plain::is_bidi_control(c) || matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scrubbed_frame_holds_no_control_bidi_or_zero_width_space() {
        let area = ratatui::layout::Rect::new(0, 0, 20, 1);
        let mut buffer = Buffer::empty(area);
        let hostile_line = Line::raw("Ma\u{1b}]0;x\u{7}\u{202E}ria\r\n\u{200B}!");
        ratatui::widgets::Widget::render(&hostile_line, area, &mut buffer);
        scrub(&mut buffer);
        let shown: String = (0..20).map(|x| buffer[(x, 0)].symbol().to_string()).collect();
        // ratatui (0.30) drops C0 controls itself (ESC, BEL; CR LF leaves two blank cells);
        // the bidi control and the zero-width space join a neighbour, and the scrub takes them out.
        assert_eq!(shown.trim_end(), "Ma]0;xria  !");
    }

    #[test]
    fn documents_and_labels_show_controls_as_pictures_and_keep_rows_whole() {
        let lines = document("F-2026-0001  Mario\u{1b}[2J\n  Note  uno\r\n", Theme::plain());
        let texts: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        assert_eq!(texts, ["F-2026-0001  Mario␛[2J", "  Note  uno"]);
        let label = highlighted("Ro\u{202E}s\nsi", &[0], Style::default(), Theme::plain());
        assert_eq!(label.to_string(), "Ro\u{FFFD}s ↵ si");
    }

    #[test]
    fn matched_characters_are_their_own_spans() {
        let line = highlighted("Rossi Anna", &[0, 1, 2], Style::default(), Theme::plain());
        let texts: Vec<&str> = line.spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(texts, ["Ros", "si Anna"]);
        assert_eq!(line.spans[0].style, Theme::plain().matched());
    }
}
