//! What a search finds: the best hits, each with what may be shown of it.

use serde::{Deserialize, Serialize};

use crate::model::comune::normalize;
use crate::model::*;

/// The kinds of record search finds.
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
    pub fn parse(s: &str) -> Option<HitKind> {
        Some(match normalize(s).as_str() {
            "famiglia" | "famiglie" | "family" | "families" | "f" => HitKind::Family,
            "richiesta" | "richieste" | "bisogno" | "bisogni" | "minore" | "minori" | "need" | "needs" | "r" => {
                HitKind::Need
            }
            "comune" | "comuni" => HitKind::Comune,
            "servizio" | "servizi" | "service" | "services" | "s" => HitKind::Service,
            "operatore" | "operatori" | "operatrice" | "operatrici" | "operator" | "operators" => HitKind::Operator,
            _ => return None,
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
