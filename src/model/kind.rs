//! The kinds of record of the bank, named once: each knows its code prefix,
//! its token on the wire and its names. The layers that own a tree or a
//! screen map a kind to it with one `match` (`store::TreeId::of`).

use serde::{Deserialize, Serialize};

use super::catalogue::catalogue;
use super::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordKind {
    Family,
    Need,
    Proposal,
    Placement,
    Service,
    Operator,
    Ambit,
    Event,
}

catalogue!(
    /// What operators call records of each kind, one and several.
    KindWords {
        Family => "famiglia", "family";
        Need => "richiesta", "need";
        Proposal => "proposta", "proposal";
        Placement => "affido", "placement";
        Service => "servizio", "service";
        Operator => "operatore", "operator";
        Ambit => "ambito", "ambit";
        Event => "incontro della rete", "network event";
        Families => "famiglie", "families";
        Needs => "richieste", "needs";
        Proposals => "proposte", "proposals";
        Placements => "affidi", "placements";
        Services => "servizi", "services";
        Operators => "operatori", "operators";
        Ambits => "ambiti", "ambits";
        Events => "incontri della rete", "network events";
    }
);

impl RecordKind {
    pub const ALL: [RecordKind; 8] = [
        RecordKind::Family,
        RecordKind::Need,
        RecordKind::Proposal,
        RecordKind::Placement,
        RecordKind::Service,
        RecordKind::Operator,
        RecordKind::Ambit,
        RecordKind::Event,
    ];

    /// The letter its codes start with (`F-2026-0042`); operators are named
    /// by their Unix user and ambiti by their name, so they have none.
    pub const fn prefix(self) -> Option<char> {
        match self {
            RecordKind::Family => Some('F'),
            RecordKind::Need => Some('R'),
            RecordKind::Proposal => Some('P'),
            RecordKind::Placement => Some('A'),
            RecordKind::Service => Some('S'),
            RecordKind::Event => Some('E'),
            RecordKind::Operator | RecordKind::Ambit => None,
        }
    }

    /// The prefix of a kind that has codes; a compile-time error for one that has none.
    pub const fn code_prefix(self) -> char {
        match self.prefix() {
            Some(p) => p,
            None => panic!("this kind of record has no code"),
        }
    }

    /// The English token (wire, JSON, logs): `family`.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Family => "family",
            RecordKind::Need => "need",
            RecordKind::Proposal => "proposal",
            RecordKind::Placement => "placement",
            RecordKind::Service => "service",
            RecordKind::Operator => "operator",
            RecordKind::Ambit => "ambit",
            RecordKind::Event => "event",
        }
    }

    /// One record of this kind, as operators call it.
    pub fn name(self, lang: Lang) -> &'static str {
        let word = match self {
            RecordKind::Family => KindWords::Family,
            RecordKind::Need => KindWords::Need,
            RecordKind::Proposal => KindWords::Proposal,
            RecordKind::Placement => KindWords::Placement,
            RecordKind::Service => KindWords::Service,
            RecordKind::Operator => KindWords::Operator,
            RecordKind::Ambit => KindWords::Ambit,
            RecordKind::Event => KindWords::Event,
        };
        word.get(lang)
    }

    /// Several records of this kind.
    pub fn plural(self, lang: Lang) -> &'static str {
        let word = match self {
            RecordKind::Family => KindWords::Families,
            RecordKind::Need => KindWords::Needs,
            RecordKind::Proposal => KindWords::Proposals,
            RecordKind::Placement => KindWords::Placements,
            RecordKind::Service => KindWords::Services,
            RecordKind::Operator => KindWords::Operators,
            RecordKind::Ambit => KindWords::Ambits,
            RecordKind::Event => KindWords::Events,
        };
        word.get(lang)
    }

    /// The kind a code names by its prefix (`F-…`, `S-…`), without checking the rest.
    pub fn of_code(code: &str) -> Option<RecordKind> {
        let mut chars = code.trim_start().chars();
        let letter = chars.next()?.to_ascii_uppercase();
        if chars.next() != Some('-') {
            return None;
        }
        RecordKind::ALL.into_iter().find(|k| k.prefix() == Some(letter))
    }
}

impl std::fmt::Display for RecordKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_with_codes_has_its_own_letter_and_is_found_from_a_code() {
        assert_eq!(RecordKind::of_code("F-2026-0042"), Some(RecordKind::Family));
        assert_eq!(RecordKind::of_code("r-2026-0017"), Some(RecordKind::Need));
        assert_eq!(RecordKind::of_code("P-2026-0003"), Some(RecordKind::Proposal));
        assert_eq!(RecordKind::of_code("A-2026-0002"), Some(RecordKind::Placement));
        assert_eq!(RecordKind::of_code("S-003"), Some(RecordKind::Service));
        assert_eq!(RecordKind::of_code("E-2026-0004"), Some(RecordKind::Event));
        assert_eq!(RecordKind::of_code("anna"), None);
        assert_eq!(RecordKind::of_code("Ambito di Dalmine"), None);
        let letters: std::collections::BTreeSet<char> = RecordKind::ALL.iter().filter_map(|k| k.prefix()).collect();
        assert_eq!(letters.len(), 6, "no two kinds share a letter");
    }

    #[test]
    fn kinds_travel_as_their_english_token() {
        assert_eq!(serde_json::to_string(&RecordKind::Placement).unwrap(), r#""placement""#);
        assert_eq!(RecordKind::Need.name(Lang::It), "richiesta");
        assert_eq!(RecordKind::Need.to_string(), "need");
    }
}
