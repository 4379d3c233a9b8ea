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
}
