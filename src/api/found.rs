//! What a search finds: the best hits, each with what may be shown of it.

use serde::{Deserialize, Serialize};

use crate::model::comune::normalize;
use crate::model::*;

/// What search finds: records of four kinds, and comuni (reference data,
/// not records of the bank).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HitKind {
    Family,
    Need,
    Comune,
    Service,
    Operator,
}

impl HitKind {
    pub const ALL: [HitKind; 5] =
        [HitKind::Family, HitKind::Need, HitKind::Comune, HitKind::Service, HitKind::Operator];

    /// The kind of record a hit is, when it is one.
    pub fn record(self) -> Option<RecordKind> {
        match self {
            HitKind::Family => Some(RecordKind::Family),
            HitKind::Need => Some(RecordKind::Need),
            HitKind::Service => Some(RecordKind::Service),
            HitKind::Operator => Some(RecordKind::Operator),
            HitKind::Comune => None,
        }
    }

    /// One hit of this kind, as operators call it.
    pub fn name(self, lang: Lang) -> &'static str {
        self.record().map_or("comune", |k| k.name(lang))
    }

    /// Reads `kind:` of a query: a record kind's names in either language,
    /// singular or plural, or its code letter; and the words operators use
    /// for a need's child or a female operator.
    pub fn parse(s: &str) -> Option<HitKind> {
        let word = normalize(s);
        let names = |k: RecordKind| {
            [k.name(Lang::It), k.name(Lang::En), k.plural(Lang::It), k.plural(Lang::En)].into_iter().map(normalize)
        };
        let found = HitKind::ALL.into_iter().find(|h| match h.record() {
            Some(k) => {
                names(k).any(|n| n == word) || k.prefix().is_some_and(|p| word == p.to_ascii_lowercase().to_string())
            }
            None => word == "comune" || word == "comuni",
        });
        found.or(match word.as_str() {
            "bisogno" | "bisogni" | "minore" | "minori" => Some(HitKind::Need),
            "operatrice" | "operatrici" => Some(HitKind::Operator),
            _ => None,
        })
    }
}

/// One record found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hit {
    pub kind: HitKind,
    pub code: String,
    /// The text matched and shown, names only where the caller may see them.
    pub label: String,
    /// Positions (in characters) of `label` that matched, for highlighting.
    pub matched: Vec<u32>,
    pub comune: Option<ComuneCode>,
    /// English token of the status, for families and needs.
    pub status: Option<String>,
    pub service: Option<ServiceCode>,
    pub detail: String,
    /// True when the label shows identity (reference adults, a child's name).
    pub identity: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResult {
    pub hits: Vec<Hit>,
    /// Every record that matched (hits are the best `limit` of them).
    pub total: u32,
    /// The search went through the previous one's matches only.
    pub narrowed: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kind_filter_takes_each_kind_by_its_names_in_either_language_and_its_letter() {
        let cases = [
            (HitKind::Family, &["famiglia", "Famiglie", "family", "families", "f"][..]),
            (HitKind::Need, &["richiesta", "richieste", "need", "needs", "r", "bisogno", "minori"][..]),
            (HitKind::Service, &["servizio", "servizi", "service", "services", "S"][..]),
            (HitKind::Operator, &["operatore", "operatori", "operatrice", "operator", "operators"][..]),
            (HitKind::Comune, &["comune", "comuni"][..]),
        ];
        for (kind, words) in cases {
            for word in words {
                assert_eq!(HitKind::parse(word), Some(kind), "{word}");
            }
        }
        for word in ["proposta", "p", "affido", "a", "ambito", "x", ""] {
            assert_eq!(HitKind::parse(word), None, "{word}: not something search finds");
        }
        assert_eq!(HitKind::Need.name(Lang::It), "richiesta");
        assert_eq!(HitKind::Comune.name(Lang::En), "comune");
    }
}
