//! Prints a `present::Doc` on the terminal: plain text, aligned and
//! wrapped to 80 columns, no colour (readable with NO_COLOR, in a pipe, in
//! a file). Every text is neutralised on its way out: a record's line
//! break shows as ` ↵ ` inside a row, a control character as its picture.

use crate::model::plain::neutralise;
use crate::present::{Block, Doc, Span};

use super::table::{flow_hanging, hanging, wrap, Block as Rows, Table, WIDTH};

/// Prints `doc` on standard output.
pub fn print(doc: &Doc) {
    out!("{}", text(doc));
}

/// The text `print` prints.
pub fn text(doc: &Doc) -> String {
    let mut out = String::new();
    for block in &doc.blocks {
        match block {
            Block::Title(spans) => line(&mut out, 0, spans),
            Block::Heading { text, indent } => {
                out.push_str(&pad(*indent));
                out.push_str(&neutralise(text));
                out.push('\n');
            }
            Block::Blank => out.push('\n'),
            Block::Fields { indent, wrap, rows } => {
                let mut b = Rows::default();
                for r in rows {
                    let value = joined(&r.value);
                    if r.multiline {
                        b.add_lines(&r.label, value);
                    } else {
                        b.add(&r.label, value);
                    }
                }
                let indent = usize::from(*indent);
                out.push_str(&if *wrap { b.render_wrapped(indent, WIDTH) } else { b.render(indent) });
            }
            Block::Line { indent, hang: None, spans } => line(&mut out, *indent, spans),
            Block::Line { indent, hang: Some(hang), spans } => {
                let text = format!("{}{}", pad(*indent), neutralise(&joined(spans)));
                out.push_str(&hanging(&text, usize::from(*hang), WIDTH));
            }
            Block::Flow { first, next, parts } => {
                let parts: Vec<String> = parts.iter().map(|p| neutralise(&p.text).into_owned()).collect();
                out.push_str(&flow_hanging(&parts, usize::from(*first), usize::from(*next), WIDTH));
            }
            Block::Text { indent, text } => out.push_str(&wrap(text, usize::from(*indent), WIDTH)),
            Block::Table { header, rows } => {
                let header: Vec<&str> = header.iter().map(String::as_str).collect();
                let mut table = Table::new(&header);
                for r in rows {
                    table.row(r.clone());
                }
                out.push_str(&table.render());
            }
        }
    }
    out
}

/// One line of spans, `indent` columns in, kept on one line.
fn line(out: &mut String, indent: u16, spans: &[Span]) {
    out.push_str(&pad(indent));
    out.push_str(&neutralise(&joined(spans)));
    out.push('\n');
}

fn joined(spans: &[Span]) -> String {
    spans.iter().map(|s| s.text.as_str()).collect()
}

fn pad(n: u16) -> String {
    " ".repeat(usize::from(n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::{Fields, Tone};

    #[test]
    fn a_document_prints_as_aligned_text_without_colour() {
        let mut doc = Doc::new();
        doc.title(vec![Span::new("F-2026-0001", Tone::Strong), Span::plain("  idonea  ·  revisione 2")]);
        let mut f = Fields::new(0);
        f.add("Servizio", "S-001 Servizio Affidi");
        f.add("Vuoto", "");
        f.add_spans("Confermata il", vec![Span::plain("01/02/2026"), Span::new("  ⚠ da riconfermare", Tone::Warning)]);
        doc.fields(f);
        doc.blank();
        doc.heading("Disponibilità");
        let mut f = Fields::new(2);
        f.add_lines("Note", "prima riga\nseconda riga");
        doc.fields(f);
        assert_eq!(
            text(&doc),
            "F-2026-0001  idonea  ·  revisione 2\n\
             Servizio       S-001 Servizio Affidi\n\
             Confermata il  01/02/2026  ⚠ da riconfermare\n\
             \n\
             Disponibilità\n\
             \x20 Note  prima riga\n\
             \x20       seconda riga\n"
        );
    }

    #[test]
    fn hostile_text_prints_neutralised() {
        let mut doc = Doc::new();
        doc.title(vec![Span::plain("F-2026-0001  Ma\u{1b}[2Jria\u{0}")]);
        let mut f = Fields::new(2);
        f.add("Indirizzo", "Via \u{202E}Roma\n12");
        f.add_lines("Note", "uno\u{1b}]0;x\u{7}\ndue");
        doc.fields(f);
        doc.text(4, "nota \u{1b}[31mrossa");
        doc.push(Block::Flow { first: 0, next: 4, parts: vec![Span::plain("a\u{1b}b"), Span::plain("c")] });
        let printed = text(&doc);
        for c in printed.chars() {
            assert!(c == '\n' || !c.is_control(), "{c:?} printed raw in {printed:?}");
            assert_ne!(c, '\u{202E}', "bidi control printed raw");
        }
        assert!(printed.starts_with("F-2026-0001  Ma␛[2Jria␀\n"), "{printed}");
        assert!(printed.contains("  Indirizzo  Via \u{FFFD}Roma ↵ 12\n"), "{printed}");
        assert!(printed.contains("             due\n"), "{printed}");
    }

    #[test]
    fn a_hostile_family_prints_without_a_control_character() {
        let printed = text(&crate::present::family(&crate::present::tests::hostile_family(), crate::i18n::Lang::It));
        assert!(
            !printed.chars().any(|c| c != '\n' && (c.is_control() || crate::model::plain::is_bidi_control(c))),
            "{printed:?}"
        );
        assert!(printed.contains("  Adulti     Ma␛[2Jria␀ Rossi (1980)\n"), "{printed}");
        assert!(printed.contains("  Note       prima riga␛]0;titolo␇\n"), "{printed}");
    }
}
