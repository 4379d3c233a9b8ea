//! The operator's language: each vocabulary term and record kind has a
//! label in each. Sentences are made at the edge (`i18n`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    It,
    En,
}

impl Lang {
    /// Accepts `it`, `en`, and locale strings such as `en_GB.UTF-8`.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("it") {
            Some(Lang::It)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// Picks the text for this language. On its way out: every text is a
    /// key of a catalogue (`model::catalogue`, docs/architecture.md "Words");
    /// the last callers are in files other parts of issue 13 are rewriting.
    pub fn pick<'a>(self, it: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::It => it,
            Lang::En => en,
        }
    }
}
