//! Draws a `present::Doc` as lines for a ratatui `Paragraph`: titles and
//! headings bold, each span styled by what it means (the theme decides
//! the colour, and with NO_COLOR the words and signs such as ⚠ still
//! carry it), rows aligned, long lines wrapped at `width` under their own
//! column. Every text shows a control character as its picture.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::model::plain;
use crate::present::{self, Block, Doc, Tone};
use crate::tui::theme::Theme;

/// The lines of `doc`, wrapped to `width` columns (0: not wrapped).
pub fn lines(doc: &Doc, theme: Theme, width: u16) -> Vec<Line<'static>> {
    let width = if width == 0 { usize::MAX } else { usize::from(width) };
    let mut out = Vec::new();
    for block in &doc.blocks {
        match block {
            Block::Title(spans) => {
                let body = styled(spans, theme).into_iter().map(|(t, s)| (t, theme.title().patch(s))).collect();
                wrapped(&mut out, String::new(), body, 0, width);
            }
            Block::Heading { text, indent } => {
                let body = vec![(plain::neutralise(text).into_owned(), theme.title())];
                wrapped(&mut out, pad(usize::from(*indent)), body, usize::from(*indent), width);
            }
            Block::Blank => out.push(Line::raw("")),
            Block::Fields { indent, rows, .. } => {
                let indent = usize::from(*indent);
                let label_width = rows.iter().map(|r| shown(&r.label).width()).max().unwrap_or(0);
                let column = indent + label_width + 2;
                for r in rows {
                    let label = shown(&r.label);
                    let head = format!("{}{label}{}", pad(indent), pad(label_width - label.width() + 2));
                    if r.multiline {
                        let text: String = r.value.iter().map(|s| s.text.as_str()).collect();
                        let text = plain::neutralise_lines(&text);
                        for (i, l) in text.trim_end().lines().enumerate() {
                            let prefix = if i == 0 { head.clone() } else { pad(column) };
                            wrapped(&mut out, prefix, vec![(l.to_string(), theme.normal())], column, width);
                        }
                    } else {
                        wrapped(&mut out, head, styled(&r.value, theme), column, width);
                    }
                }
            }
            Block::Line { indent, hang, spans } => {
                let indent = usize::from(*indent);
                let cont = hang.map_or(indent, usize::from);
                wrapped(&mut out, pad(indent), styled(spans, theme), cont, width);
            }
            Block::Flow { first, next, parts } => {
                let mut body = Vec::new();
                for part in parts.iter().filter(|p| !p.text.trim().is_empty()) {
                    if !body.is_empty() {
                        body.push((" · ".to_string(), theme.normal()));
                    }
                    body.extend(styled(std::slice::from_ref(part), theme));
                }
                if !body.is_empty() {
                    wrapped(&mut out, pad(usize::from(*first)), body, usize::from(*next), width);
                }
            }
            Block::Text { indent, text } => {
                let indent = usize::from(*indent);
                for l in plain::neutralise_lines(text).lines() {
                    wrapped(&mut out, pad(indent), vec![(l.to_string(), theme.normal())], indent, width);
                }
            }
            Block::Table { header, rows } => table(&mut out, header, rows, theme),
        }
    }
    out
}

/// The style a tone takes in `theme`.
pub fn style(tone: Tone, theme: Theme) -> Style {
    match tone {
        Tone::Plain => theme.normal(),
        Tone::Strong => theme.title(),
        Tone::Dim => theme.dim(),
        Tone::Ok => theme.ok(),
        Tone::Warning => theme.warning(),
        Tone::Danger => theme.error(),
        Tone::Matched => theme.matched(),
    }
}

fn styled(spans: &[present::Span], theme: Theme) -> Vec<(String, Style)> {
    spans.iter().map(|s| (shown(&s.text), style(s.tone, theme))).collect()
}

/// A text on one line as the terminal may show it (ESC → ␛, a line break → ` ↵ `).
fn shown(text: &str) -> String {
    plain::neutralise(text).into_owned()
}

fn pad(n: usize) -> String {
    " ".repeat(n)
}

/// `prefix` then `body`, word by word; a word that would pass `width`
/// starts a new line `cont` columns in. A word longer than a line stays
/// whole (the paragraph breaks it).
fn wrapped(out: &mut Vec<Line<'static>>, prefix: String, body: Vec<(String, Style)>, cont: usize, width: usize) {
    let mut used = prefix.width();
    let mut line: Vec<Span<'static>> = vec![Span::raw(prefix)];
    let mut words_on_line = 0usize;
    for (text, style) in body {
        for piece in pieces(&text) {
            let w = piece.width();
            if piece.starts_with(' ') {
                line.push(Span::styled(piece.to_string(), style));
                used += w;
                continue;
            }
            if words_on_line > 0 && used + w > width {
                trim_end(&mut line);
                out.push(Line::from(std::mem::take(&mut line)));
                line.push(Span::raw(pad(cont)));
                used = cont;
                words_on_line = 0;
            }
            line.push(Span::styled(piece.to_string(), style));
            used += w;
            words_on_line += 1;
        }
    }
    trim_end(&mut line);
    out.push(Line::from(line));
}

/// Runs of spaces and runs of anything else, in order.
fn pieces(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut space = None;
    for (i, c) in text.char_indices() {
        let is_space = c == ' ';
        if space.is_some_and(|s| s != is_space) {
            out.push(&text[start..i]);
            start = i;
        }
        space = Some(is_space);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// Takes the spaces off the end of a line being broken.
fn trim_end(line: &mut Vec<Span<'static>>) {
    while let Some(last) = line.last() {
        let kept = last.content.trim_end_matches(' ').to_string();
        if kept.is_empty() && line.len() > 1 {
            line.pop();
        } else {
            if let Some(last) = line.last_mut() {
                last.content = kept.into();
            }
            break;
        }
    }
}

fn table(out: &mut Vec<Line<'static>>, header: &[String], rows: &[Vec<String>], theme: Theme) {
    let header: Vec<String> = header.iter().map(|h| shown(h)).collect();
    let rows: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| shown(c)).collect()).collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for r in &rows {
        for (i, c) in r.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(c.width());
            }
        }
    }
    let cells = |cells: &[String], style: Style| -> Line<'static> {
        let last = cells.len().saturating_sub(1);
        let spans: Vec<Span<'static>> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let gap = if i < last {
                    pad(widths.get(i).copied().unwrap_or(0).saturating_sub(c.width()) + 2)
                } else {
                    String::new()
                };
                Span::styled(format!("{c}{gap}"), style)
            })
            .collect();
        Line::from(spans)
    };
    out.push(cells(&header, theme.header()));
    for r in &rows {
        out.push(cells(r, theme.normal()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::{Fields, Span as DocSpan};
    use ratatui::style::Modifier;

    fn texts(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn titles_and_headings_are_bold_and_rows_aligned() {
        let mut doc = Doc::new();
        doc.title(vec![DocSpan::new("F-2026-0001", Tone::Strong), DocSpan::plain("  idonea")]);
        let mut f = Fields::new(2);
        f.add("Servizio", "S-001");
        f.add_spans(
            "Confermata il",
            vec![DocSpan::plain("01/02/2026"), DocSpan::new("  ⚠ da riconfermare", Tone::Warning)],
        );
        doc.blank();
        doc.heading("Disponibilità");
        doc.fields(f);
        let theme = Theme { color: true };
        let lines = lines(&doc, theme, 78);
        assert_eq!(
            texts(&lines),
            [
                "F-2026-0001  idonea",
                "",
                "Disponibilità",
                "  Servizio       S-001",
                "  Confermata il  01/02/2026  ⚠ da riconfermare"
            ]
        );
        assert!(lines[0].spans.iter().skip(1).all(|s| s.style.add_modifier.contains(Modifier::BOLD)));
        assert!(lines[2].spans.iter().skip(1).all(|s| s.style.add_modifier.contains(Modifier::BOLD)));
        assert!(!lines[3].spans.iter().any(|s| s.style.add_modifier.contains(Modifier::BOLD)));
        let warning = lines[4].spans.iter().find(|s| s.content.contains('⚠')).expect("the warning's span");
        assert_eq!(warning.style, theme.warning());
    }

    #[test]
    fn a_long_value_wraps_under_its_own_column() {
        let mut doc = Doc::new();
        let mut f = Fields::new(0);
        f.add("Note", "uno due tre quattro cinque");
        doc.fields(f);
        assert_eq!(
            texts(&lines(&doc, Theme::plain(), 16)),
            ["Note  uno due", "      tre", "      quattro", "      cinque"]
        );
    }

    #[test]
    fn hostile_text_is_drawn_as_pictures() {
        let mut doc = Doc::new();
        doc.title(vec![DocSpan::plain("Ma\u{1b}[2Jria\u{0}")]);
        let mut f = Fields::new(0);
        f.add("Via", "Roma\u{202E}\n12");
        f.add_lines("Note", "uno\u{1b}]0;x\u{7}\ndue");
        doc.fields(f);
        doc.text(2, "nota \u{1b}[31m");
        let drawn = texts(&lines(&doc, Theme::plain(), 0)).join("\n");
        assert!(!drawn.chars().any(|c| c != '\n' && (c.is_control() || c == '\u{202E}')), "{drawn:?}");
        assert!(drawn.contains("Ma␛[2Jria␀"), "{drawn}");
        assert!(drawn.contains("Roma\u{FFFD} ↵ 12"), "{drawn}");
    }

    #[test]
    fn a_hostile_family_is_drawn_without_a_control_character() {
        let card = crate::present::family(&crate::present::tests::hostile_family(), crate::i18n::Lang::It);
        let drawn = texts(&lines(&card, Theme { color: true }, 78));
        for line in &drawn {
            assert!(!line.chars().any(|c| c.is_control() || plain::is_bidi_control(c)), "{line:?}");
        }
        assert!(drawn.contains(&"  Adulti     Ma␛[2Jria␀ Rossi (1980)".to_string()), "{drawn:#?}");
        assert!(drawn.contains(&"Identità (visibile al servizio e al coordinamento)".to_string()), "{drawn:#?}");
    }
}
