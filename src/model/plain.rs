//! Plain text: the one place that knows which characters a stored text may
//! hold, and how to show a text that holds others anyway.
//!
//! Input (`check`): every text the bank stores is refused when it carries a
//! control character (C0 with NUL and ESC, DEL, C1, the Unicode line and
//! paragraph separators), a bidirectional control (embeddings, overrides,
//! isolates, marks), or nothing visible at all (only spaces and invisible
//! format characters such as U+200B). Newlines and tabs are allowed only in
//! the multi-line fields (`multi_line` in `model::fields`). Invisible characters
//! *inside* visible text stay allowed: the zero-width joiners shape emoji and
//! some scripts (Persian, Indic), and are harmless once the value shows
//! something.
//!
//! Output (`neutralise`, `neutralise_lines`, `inert_json`): whatever an older
//! record or a file still carries is made visible and inert before it reaches
//! a terminal, a log or a document.

use std::borrow::Cow;

/// What makes a text not plain. The first offending character is named
/// (as `U+001B`) so the operator can find it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// A control character: C0 (NUL, ESC…), DEL, C1, or a line break where
    /// the field is one line.
    Control { code: String },
    /// A bidirectional control: it reorders what the reader sees.
    Bidi { code: String },
    /// Only spaces and invisible characters: the value looks empty.
    InvisibleOnly,
}

/// `U+001B`.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// A character that steers a terminal or breaks a line.
pub fn is_control(c: char) -> bool {
    c.is_control() || c == '\u{2028}' || c == '\u{2029}'
}

/// Bidirectional controls: marks, embeddings, overrides, isolates.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that show nothing: zero-width space and joiners, word joiner,
/// byte-order mark, and the other default-ignorable code points of Unicode
/// (soft hyphen, Hangul fillers, variation selectors, tags…).
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200D}'
            | '\u{2060}'..='\u{2065}'
            | '\u{206A}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// Checks a text for one field. An empty or all-space value is plain
/// (whether it is required is the field's own rule).
pub fn check(value: &str, multi_line: bool) -> Result<(), Fault> {
    let mut visible = false;
    let mut invisible = false;
    for c in value.chars() {
        if multi_line && (c == '\n' || c == '\t') {
            continue;
        }
        if is_control(c) {
            return Err(Fault::Control { code: code_point(c) });
        }
        if is_bidi_control(c) {
            return Err(Fault::Bidi { code: code_point(c) });
        }
        if is_invisible(c) {
            invisible = true;
        } else if !c.is_whitespace() {
            visible = true;
        }
    }
    if invisible && !visible {
        return Err(Fault::InvisibleOnly);
    }
    Ok(())
}

/// Where a line break stood in a text shown on one line.
pub const LINE_BREAK: &str = " ↵ ";

/// Stands for a character that must not reach the screen as it is.
pub const REPLACEMENT: char = '\u{FFFD}';

/// A text made safe for one line of a terminal, a table cell, a list row
/// or a log line: line breaks become ` ↵ `, a tab a space, other C0
/// controls their control picture (ESC → ␛, NUL → ␀), DEL ␡, C1 controls
/// and bidirectional controls �, zero-width spaces and the byte-order mark
/// are dropped. Plain text comes back borrowed, untouched.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    neutralise_with(text, false)
}

/// As `neutralise`, keeping line breaks (`\r\n` and `\r` become `\n`):
/// for the multi-line texts shown in a block of their own, and for a
/// whole rendered output.
pub fn neutralise_lines(text: &str) -> Cow<'_, str> {
    neutralise_with(text, true)
}

fn needs_work(c: char) -> bool {
    is_control(c) || is_bidi_control(c) || matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

fn neutralise_with(text: &str, keep_lines: bool) -> Cow<'_, str> {
    let Some(first) = text.find(|c: char| needs_work(c) && !(keep_lines && c == '\n')) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(&text[..first]);
    let mut chars = text[first..].chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\u{2028}' | '\u{2029}' if keep_lines => out.push('\n'),
            '\r' if keep_lines => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => out.push_str(LINE_BREAK),
            '\t' => out.push(' '),
            '\u{0}'..='\u{1F}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or(REPLACEMENT)),
            '\u{7F}' => out.push('\u{2421}'),
            '\u{200B}' | '\u{2060}' | '\u{FEFF}' => {}
            c if is_control(c) || is_bidi_control(c) => out.push(REPLACEMENT),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// JSON text whose characters a terminal could act on (DEL, C1 controls,
/// bidirectional controls, line and paragraph separators, zero-width and
/// other invisible characters) written as `\uXXXX` escapes. serde_json
/// already escapes C0 controls. The value a script decodes is exactly the
/// stored one; only the bytes on the screen change. Such characters can
/// only stand inside JSON strings, where the escape means the same. (Line
/// breaks and tabs outside strings are the JSON's own layout, and serde_json
/// escapes them inside strings: they stay.)
pub fn inert_json(json: &str) -> Cow<'_, str> {
    let risky = |c: char| !matches!(c, '\n' | '\r' | '\t') && (is_control(c) || is_bidi_control(c) || is_invisible(c));
    if !json.contains(risky) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if risky(c) {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{:04x}", u));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A text for a log line: neutralised, then quoted with `"` and `\`
/// escaped, so no value can end its field or forge a line.
pub fn log_escape(text: &str) -> String {
    let plain = neutralise(text);
    let mut out = String::with_capacity(plain.len() + 2);
    out.push('"');
    for c in plain.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_passes_and_comes_back_borrowed() {
        for ok in ["Mario Rossi", "Nguyễn Thị Lan", "Željko", "عائشة", "👨‍👩‍👧", "via Roma 3/b", ""]
        {
            assert_eq!(check(ok, false), Ok(()), "{ok:?}");
            assert!(matches!(neutralise(ok), Cow::Borrowed(_)), "{ok:?}");
        }
        assert_eq!(check("prima riga\nseconda\triga", true), Ok(()));
    }

    #[test]
    fn controls_bidi_and_invisible_values_are_refused_with_the_character_named() {
        let control = |c: &str| Err(Fault::Control { code: c.into() });
        let bidi = |c: &str| Err(Fault::Bidi { code: c.into() });
        assert_eq!(check("\u{1b}]0;pwned\u{7}", false), control("U+001B"));
        assert_eq!(check("a\u{1b}[2J", true), control("U+001B"));
        assert_eq!(check("Ma\0rio", false), control("U+0000"));
        assert_eq!(check("riga\nriga", false), control("U+000A"));
        assert_eq!(check("a\tb", false), control("U+0009"));
        assert_eq!(check("a\r\nb", true), control("U+000D"));
        assert_eq!(check("a\u{7f}", false), control("U+007F"));
        assert_eq!(check("a\u{9b}2J", false), control("U+009B"));
        assert_eq!(check("a\u{2028}b", true), control("U+2028"));
        assert_eq!(check("Mario \u{202E}issoR", false), bidi("U+202E"));
        assert_eq!(check("\u{2066}x", false), bidi("U+2066"));
        assert_eq!(check("x\u{200F}", false), bidi("U+200F"));
        assert_eq!(check("\u{61C}", false), bidi("U+061C"));
        assert_eq!(check("\u{200B}\u{200B}", false), Err(Fault::InvisibleOnly));
        assert_eq!(check(" \u{FEFF} \u{2060}\n", true), Err(Fault::InvisibleOnly));
        assert_eq!(check("\u{3164}", false), Err(Fault::InvisibleOnly));
        // Inside visible text an invisible character is allowed.
        assert_eq!(check("Ma\u{200B}rio", false), Ok(()));
    }

    #[test]
    fn the_neutraliser_makes_every_hostile_character_visible_and_inert() {
        assert_eq!(neutralise("\u{1b}]0;pwned\u{7}"), "␛]0;pwned␇");
        assert_eq!(neutralise("\u{1b}[2JMario"), "␛[2JMario");
        assert_eq!(neutralise("Ma\0rio"), "Ma␀rio");
        assert_eq!(neutralise("prima\nseconda\r\nterza\rquarta"), "prima ↵ seconda ↵ terza ↵ quarta");
        assert_eq!(neutralise("a\tb\u{7f}c\u{9b}d"), "a b␡c\u{FFFD}d");
        assert_eq!(neutralise("Mario \u{202E}issoR"), "Mario \u{FFFD}issoR");
        assert_eq!(neutralise("\u{2067}x\u{2069}\u{200E}"), "\u{FFFD}x\u{FFFD}\u{FFFD}");
        assert_eq!(neutralise("Ma\u{200B}rio\u{FEFF}"), "Mario");
        assert_eq!(neutralise("a\u{2028}b"), "a ↵ b");
        // Joiners shape emoji: kept.
        assert_eq!(neutralise("👨‍👩‍👧"), "👨‍👩‍👧");
        assert_eq!(neutralise_lines("uno\ndue\r\ntre\rquattro\u{1b}[2J"), "uno\ndue\ntre\nquattro␛[2J");
        assert_eq!(neutralise_lines("uno\ndue"), "uno\ndue");
    }

    #[test]
    fn json_keeps_the_value_and_escapes_what_a_terminal_would_act_on() {
        let value = "Mario \u{202E}issoR\u{9b}\u{200B}\u{7f}";
        let json = serde_json::to_string(value).unwrap();
        let inert = inert_json(&json);
        assert_eq!(inert, r#""Mario \u202eissoR\u009b\u200b\u007f""#);
        assert_eq!(serde_json::from_str::<String>(&inert).unwrap(), value);
        assert!(matches!(inert_json(r#"{"a":"b"}"#), Cow::Borrowed(_)));
        let pretty =
            serde_json::to_string_pretty(&serde_json::json!({ "name": value, "notes": "a\nb\u{1b}" })).unwrap();
        let inert = inert_json(&pretty);
        assert_eq!(serde_json::from_str::<serde_json::Value>(&inert).unwrap()["name"], value);
        assert!(inert.contains('\n') && !inert.contains(['\u{1b}', '\u{202E}', '\u{9b}']), "{inert}");
        let astral = serde_json::to_string("x\u{E0041}").unwrap();
        assert_eq!(inert_json(&astral), r#""x\udb40\udc41""#);
    }

    #[test]
    fn log_values_are_quoted_and_cannot_forge_a_line() {
        assert_eq!(log_escape("0.1.0"), r#""0.1.0""#);
        assert_eq!(
            log_escape("1\nINFO banca: forged \"x\" \\ \u{1b}[31m"),
            r#""1 ↵ INFO banca: forged \"x\" \\ ␛[31m""#
        );
    }
}
