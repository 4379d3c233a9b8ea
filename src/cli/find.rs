//! `banca find`: one search over the whole bank, best first, the matched
//! characters highlighted; and `banca show`: any record by its code.

use std::io::IsTerminal;

use clap::Args;
use unicode_width::UnicodeWidthStr;

use crate::api::{BankError, Reply, Request};
use crate::api::{Hit, SearchResult};
use crate::i18n::{describe_reason, Lang};
use crate::model::*;
use crate::present::search::{context, kind_word};

use super::admin::ComuneArgs;
use super::session::{print_json, unexpected, CliResult, Failure, Session, Settings};
use super::table::{wrap, WIDTH};
use crate::i18n::catalogue;

catalogue!(
    /// What the find command says.
    FindWords {
        TypeSomeTextOr => "Scrivere un testo o un filtro da cercare (es. kind:famiglia).",
            "Type some text or a filter to search for (e.g. kind:family).";
        AtLeast1 => "almeno 1", "at least 1";
        NoResults => "«{query}»: nessun risultato", "\"{query}\": no results";
        OneResult => "1 risultato", "1 result";
        Results => "{n} risultati", "{n} results";
        FirstShown => "mostrato il primo", "the first shown";
        FirstNShown => "mostrati i primi {n}", "the first {n} shown";
        UnknownCode => "«{code}»: nessuna scheda ha questo codice. Codici: famiglia F-2026-0001, richiesta R-2026-0001, \
                        proposta P-2026-0001, affido A-2026-0001, servizio S-001, comune (codice ISTAT, es. 016091), \
                        operatore (nome utente). Per cercare per nome: `banca find`.",
            "\"{code}\": no record has this code. Codes: family F-2026-0001, need R-2026-0001, proposal P-2026-0001, \
             placement A-2026-0001, service S-001, comune (ISTAT code, e.g. 016091), operator (user name). To search by \
             name: `banca find`.";
    }
);

#[derive(Args, Debug)]
pub struct FindArgs {
    /// Testo e filtri, es. «rossi kind:famiglia stato:idonea servizio:S-003 comune:dalmine»
    #[arg(value_name = "RICERCA", required = true, num_args = 1..)]
    query: Vec<String>,
    /// Quanti risultati mostrare (i migliori)
    #[arg(long, value_name = "N", default_value_t = 20, allow_negative_numbers = true, value_parser = crate::cli::parse::at_least_one)]
    limit: usize,
}

pub fn find(s: &Session, args: FindArgs) -> CliResult {
    let query = args.query.join(" ");
    if query.trim().is_empty() {
        return Err(Failure::User(FindWords::TypeSomeTextOr.get(s.lang).into()));
    }
    if args.limit == 0 {
        return Err(Failure::User(format!("--limit: {}", FindWords::AtLeast1.get(s.lang))));
    }
    let result = match s.request(Request::Search { query: query.clone(), limit: args.limit })? {
        Ok(Reply::Found(r)) => r,
        Ok(other) => return Err(unexpected(other)),
        // A filter it does not know: the sentence alone, there is no flag to name.
        Err(BankError::Invalid(problems)) if problems.iter().all(|p| p.field.field() == Field::Query) => {
            let lines: Vec<String> = problems.iter().map(|p| describe_reason(&p.reason, s.lang)).collect();
            return Err(Failure::User(lines.join("\n")));
        }
        Err(e) => return Err(Failure::from_bank(&e, s.lang)),
    };
    if s.json {
        print_json(&result)?;
    } else if !result.hits.is_empty() {
        // On a terminal, 80 columns; in a pipe, one line per hit for grep.
        let terminal = std::io::stdout().is_terminal();
        let colour = terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        // Raw: render_hits neutralises the hits itself, around its own highlighting.
        print!("{}", render_hits(&result, s.lang, colour, terminal.then_some(WIDTH)));
    }
    if result.hits.is_empty() {
        return Err(Failure::User(FindWords::NoResults.fill(s.lang, &[("query", &query.trim())])));
    }
    Ok(())
}

/// One line per hit, then how many there are. Matched characters in bold
/// reverse video when `highlight`; within `width`, a hit's context goes on
/// a second line when the first would be too long.
pub fn render_hits(r: &SearchResult, lang: Lang, highlight: bool, width: Option<usize>) -> String {
    let kind_width = r.hits.iter().map(|h| kind_word(h.kind, lang).width()).max().unwrap_or(0);
    let code_width = r.hits.iter().map(|h| h.code.width()).max().unwrap_or(0);
    let column = kind_width + 2 + code_width + 2;
    let mut out = String::new();
    for hit in &r.hits {
        let (code, rest) = split_label(hit);
        let kind = kind_word(hit.kind, lang);
        let context = plain::neutralise(&context(hit, lang).join(" · ")).into_owned();
        out.push_str(&format!("{kind}{}  ", " ".repeat(kind_width - kind.width())));
        out.push_str(&paint(&code, highlight));
        let code_plain: String = code.iter().map(|(c, _)| c).collect();
        let rest_plain: String = rest.iter().map(|(c, _)| c).collect();
        out.push_str(&" ".repeat(code_width.saturating_sub(code_plain.width()) + 2));
        out.push_str(&paint(&rest, highlight));
        let used = column + rest_plain.width();
        if context.is_empty() {
            // Nothing more on the line.
        } else if rest.is_empty() {
            out.push_str(&context);
        } else if width.is_none_or(|w| used + 2 + context.width() <= w) {
            out.push_str("  ");
            out.push_str(&context);
        } else {
            out.push('\n');
            out.push_str(&" ".repeat(column));
            out.push_str(&context);
        }
        let trimmed = out.trim_end_matches(' ').len();
        out.truncate(trimmed);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&summary(r.total, r.hits.len(), lang));
    out
}

/// "3 risultati", "120 risultati (mostrati i primi 20)".
fn summary(total: u32, shown: usize, lang: Lang) -> String {
    let all = match total {
        1 => FindWords::OneResult.get(lang).to_string(),
        n => FindWords::Results.fill(lang, &[("n", &n)]),
    };
    if shown as u64 >= u64::from(total) {
        return format!("{all}\n");
    }
    let part = match shown {
        1 => FindWords::FirstShown.get(lang).to_string(),
        n => FindWords::FirstNShown.fill(lang, &[("n", &n)]),
    };
    format!("{all} ({part})\n")
}

/// The label's characters, each with whether it matched, split into the
/// code (shown in its own column) and the rest (names, a comune's name…).
type Marked = Vec<(char, bool)>;

fn split_label(hit: &Hit) -> (Marked, Marked) {
    let chars: Marked = hit.label.chars().enumerate().map(|(i, c)| (c, hit.matched.contains(&(i as u32)))).collect();
    let n = hit.code.chars().count();
    let trim = |part: &[(char, bool)]| {
        let start = part.iter().position(|(c, _)| !c.is_whitespace()).unwrap_or(part.len());
        let end = part.iter().rposition(|(c, _)| !c.is_whitespace()).map_or(start, |e| e + 1);
        part[start..end.max(start)].to_vec()
    };
    let (code, rest) = if hit.label.starts_with(&hit.code) {
        (chars[..n].to_vec(), trim(&chars[n..]))
    } else if hit.label.ends_with(&hit.code) {
        let cut = chars.len() - n;
        (chars[cut..].to_vec(), trim(&chars[..cut]))
    } else {
        (hit.code.chars().map(|c| (c, false)).collect(), chars)
    };
    (neutralised(code), neutralised(rest))
}

/// Each character as the terminal may show it (ESC → ␛, a line break → ` ↵ `),
/// keeping whether it matched.
fn neutralised(marked: Marked) -> Marked {
    let mut out = Marked::with_capacity(marked.len());
    for (c, matched) in marked {
        let mut buf = [0u8; 4];
        out.extend(plain::neutralise(c.encode_utf8(&mut buf)).chars().map(|n| (n, matched)));
    }
    out
}

/// The characters, the matched ones in bold reverse video.
fn paint(chars: &[(char, bool)], highlight: bool) -> String {
    let mut out = String::new();
    let mut on = false;
    for &(c, matched) in chars {
        let want = highlight && matched;
        if want != on {
            out.push_str(if want { "\x1b[1;7m" } else { "\x1b[0m" });
            on = want;
        }
        out.push(c);
    }
    if on {
        out.push_str("\x1b[0m");
    }
    out
}

/// `banca show CODE`: a family, need, proposal, placement or service by its
/// code, a comune by its ISTAT code, an operator by user name (and an
/// ambito by name, as conflict messages name it), each in the view of its
/// own `show` command.
pub fn show(settings: &Settings, code: &str) -> CliResult {
    let code = code.trim();
    let lang = settings.lang;
    if let Some(istat) = ComuneCode::parse(code) {
        // Comuni are public and need no server.
        if Comuni::embedded().get(istat).is_none() {
            return Err(unknown(code, lang));
        }
        return super::admin::comune(settings, ComuneArgs { query: code.to_string(), to: None });
    }
    let s = Session::open(settings, false)?;
    match RecordCode::parse(code) {
        Some(RecordCode::Family(_)) => return super::family::show(&s, code),
        Some(RecordCode::Need(_)) => return super::need::show(&s, code),
        Some(RecordCode::Proposal(_)) => return super::proposal::show(&s, code),
        Some(RecordCode::Placement(_)) => return super::placement::show(&s, code),
        Some(RecordCode::Service(_)) => return super::directory::show_service(&s, code),
        Some(RecordCode::Event(_)) => return super::event::show(&s, code),
        None => {}
    }
    if crate::model::operator::is_valid_user_name(code) {
        match s.request(Request::OperatorGet { user: code.to_string() })? {
            Ok(Reply::Operator(r)) => return super::directory::print_operator(&s, &r),
            Ok(other) => return Err(unexpected(other)),
            Err(BankError::NotFound { .. }) => {}
            Err(e) => return Err(Failure::from_bank(&e, lang)),
        }
    }
    match s.request(Request::AmbitGet { name: code.to_string() })? {
        Ok(Reply::Ambit(r)) => super::directory::print_ambit(&s, &r),
        Ok(other) => Err(unexpected(other)),
        Err(BankError::NotFound { .. }) => Err(unknown(code, lang)),
        Err(e) => Err(Failure::from_bank(&e, lang)),
    }
}

fn unknown(code: &str, lang: Lang) -> Failure {
    let text = FindWords::UnknownCode.fill(lang, &[("code", &code)]);
    Failure::User(wrap(&text, 0, WIDTH).trim_end().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::HitKind;

    fn hit(kind: HitKind, code: &str, label: &str, matched: &[u32]) -> Hit {
        Hit {
            kind,
            code: code.into(),
            label: label.into(),
            matched: matched.to_vec(),
            comune: ComuneCode::parse("016091"),
            status: Some("approved".into()),
            service: Some(ServiceCode(1)),
            detail: String::new(),
            identity: false,
        }
    }

    #[test]
    fn the_code_has_its_column_and_the_matched_characters_are_highlighted() {
        let family = hit(HitKind::Family, "F-2026-0042", "F-2026-0042 Mario Rossi", &[18, 19, 20, 21]);
        let comune = Hit {
            status: None,
            service: None,
            detail: "Lombardia".into(),
            ..hit(HitKind::Comune, "016162", "Osio Sotto (BG) 016162", &[0, 1, 2, 3])
        };
        let r = SearchResult { hits: vec![family, comune], total: 5, narrowed: false };
        let plain = render_hits(&r, Lang::It, false, Some(WIDTH));
        assert_eq!(
            plain,
            "famiglia  F-2026-0042  Mario Rossi  Dalmine (BG) · idonea · S-001\n\
             comune    016162       Osio Sotto (BG)  Lombardia\n\
             \n5 risultati (mostrati i primi 2)\n"
        );
        let bold = render_hits(&r, Lang::En, true, Some(WIDTH));
        assert!(bold.contains("Mario \x1b[1;7mRoss\x1b[0mi  Dalmine (BG) · approved"), "{bold:?}");
        assert!(bold.contains("\x1b[1;7mOsio\x1b[0m Sotto (BG)"), "{bold:?}");
        assert!(bold.ends_with("5 results (the first 2 shown)\n"));
    }

    #[test]
    fn a_long_line_puts_its_context_underneath() {
        let long = "F-2026-0042 Mariangela Esposito Bevilacqua, Giovanbattista Esposito Bevilacqua";
        let r = SearchResult { hits: vec![hit(HitKind::Family, "F-2026-0042", long, &[])], total: 1, narrowed: false };
        let out = render_hits(&r, Lang::It, false, Some(WIDTH));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[1], format!("{}Dalmine (BG) · idonea · S-001", " ".repeat(23)));
        assert_eq!(lines[3], "1 risultato");
        // In a pipe, one line whatever its length.
        let out = render_hits(&r, Lang::It, false, None);
        assert!(out.starts_with(&format!("famiglia  F-2026-0042  {}  Dalmine (BG)", &long[12..])), "{out}");
        assert_eq!(out.lines().count(), 3);
    }
}
