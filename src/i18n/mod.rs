//! The operator's language. Italian by default, English on request.

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

    /// Picks the text for this language.
    pub fn pick<'a>(self, it: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::It => it,
            Lang::En => en,
        }
    }
}

mod errors;
mod fields;
mod problems;

pub use errors::{chain_break as chain_break_text, describe_error, describe_store_error};
pub use fields::field_label;
pub use problems::{describe_problem, describe_reason};

/// `23/11/2026 10:42`, in the bank's local time.
pub fn format_timestamp(at: time::OffsetDateTime) -> String {
    format!(
        "{} {:02}:{:02}",
        crate::model::dates::format_date(at.date()),
        at.hour(),
        at.minute()
    )
}

/// A comune code as the operator knows it: "Dalmine (BG)", or the code if unknown.
pub fn comune_label(code: &str) -> String {
    crate::model::ComuneCode::parse(code)
        .and_then(|c| crate::model::Comuni::embedded().get(c))
        .map(|c| c.label())
        .unwrap_or_else(|| code.to_string())
}
