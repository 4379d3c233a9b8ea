//! The one mechanism for words in two languages. A catalogue is an enum of
//! keys, each with its Italian and English text, declared with
//! `catalogue!`; a text may hold named placeholders (`{code}`), filled by
//! `fill`. Every catalogue is listed in its layer's `CATALOGUES`, and the
//! crate's `catalogues()` joins them, so one test (`i18n::catalogue`)
//! checks that no key lacks a language, no text is empty, and both
//! languages name the same placeholders.
//!
//! It lives in `model`, the bottom layer, because the model's own words
//! (record kinds, vocabularies, ages) use it too; the edge names it from
//! `i18n`.

use std::collections::BTreeSet;
use std::fmt::Display;

/// One catalogue as the completeness test reads it.
#[derive(Debug, Clone, Copy)]
pub struct Catalogue {
    /// Its module path and enum name (`banca::present::labels::L`).
    pub name: &'static str,
    /// Every key with its two texts.
    pub entries: fn() -> Vec<Entry>,
}

/// One key of a catalogue and its texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub key: &'static str,
    pub it: &'static str,
    pub en: &'static str,
}

/// Declares a catalogue: `catalogue!(Name { Key => "italiano", "English"; … })`.
/// The enum gets `ALL`, `get(lang)`, `fill(lang, args)` and `CATALOGUE`
/// (its line in the registry).
macro_rules! catalogue {
    ($(#[$meta:meta])* $name:ident { $($key:ident => $it:expr, $en:expr;)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($key),* }

        #[allow(dead_code)]
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$key),*];

            /// This catalogue, as the completeness test reads it.
            pub const CATALOGUE: $crate::model::catalogue::Catalogue = $crate::model::catalogue::Catalogue {
                name: concat!(module_path!(), "::", stringify!($name)),
                entries: || vec![$($crate::model::catalogue::Entry { key: stringify!($key), it: $it, en: $en }),*],
            };

            /// The text in `lang`, as written (placeholders unfilled).
            pub fn get(self, lang: $crate::model::Lang) -> &'static str {
                match (self, lang) {
                    $(($name::$key, $crate::model::Lang::It) => $it,
                      ($name::$key, $crate::model::Lang::En) => $en,)*
                }
            }

            /// The text in `lang` with its placeholders filled: `[("code", &code)]`.
            pub fn fill(self, lang: $crate::model::Lang, args: &[(&str, &dyn ::std::fmt::Display)]) -> String {
                $crate::model::catalogue::fill(self.get(lang), args)
            }
        }
    };
}
pub(crate) use catalogue;

/// Fills the placeholders of `text`: each `{name}` becomes the value given
/// for `name`. Braces around anything else are kept as written.
pub fn fill(text: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match placeholder_at(after) {
            Some(name) => {
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => out.push_str(&value.to_string()),
                    None => {
                        debug_assert!(false, "no value for {{{name}}} in {text:?}");
                        out.push_str(&rest[open..open + name.len() + 2]);
                    }
                }
                rest = &after[name.len() + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The names of the placeholders of `text`.
pub fn placeholders(text: &str) -> BTreeSet<&str> {
    let mut names = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        if let Some(name) = placeholder_at(rest) {
            names.insert(name);
            rest = &rest[name.len() + 1..];
        }
    }
    names
}

/// `code}…` → `code`: a name of lowercase letters, digits and `_`, closed by `}`.
fn placeholder_at(s: &str) -> Option<&str> {
    let end = s.find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))?;
    (end > 0 && s[end..].starts_with('}')).then(|| &s[..end])
}

/// The model's catalogues: record kinds, ages, the fields' labels and the
/// vocabularies' labels.
pub const CATALOGUES: &[Catalogue] = {
    use super::vocabulary::*;
    &[
        super::kind::KindWords::CATALOGUE,
        super::fields::Field::CATALOGUE,
        super::age::AgeWords::CATALOGUE,
        PlacementKind::CATALOGUE,
        SpecialNeed::CATALOGUE,
        super::reception::Equipment::CATALOGUE,
        super::reception::LegalNature::CATALOGUE,
        TimeSlot::CATALOGUE,
        Sex::CATALOGUE,
        SexPreference::CATALOGUE,
        FamilyStatus::CATALOGUE,
        NeedStatus::CATALOGUE,
        ClosingReason::CATALOGUE,
        ServiceKind::CATALOGUE,
        Role::CATALOGUE,
        ContactFrequency::CATALOGUE,
        ProposalStatus::CATALOGUE,
        PlacementOutcome::CATALOGUE,
        super::pathway::EnquirySource::CATALOGUE,
        super::pathway::StepKind::CATALOGUE,
        super::pathway::StepReason::CATALOGUE,
        super::pathway::SupportKind::CATALOGUE,
        super::event::EventKind::CATALOGUE,
        super::placement::Relationship::CATALOGUE,
        super::placement::ReviewKind::CATALOGUE,
        super::placement::Decider::CATALOGUE,
    ]
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;

    catalogue!(Sample {
        Plain => "ciao", "hello";
        Found => "{code} trovato in {n} righe", "{code} found in {n} rows";
    });

    #[test]
    fn placeholders_are_filled_by_name_in_either_order() {
        assert_eq!(Sample::Found.fill(Lang::It, &[("n", &3), ("code", &"F-1")]), "F-1 trovato in 3 righe");
        assert_eq!(Sample::Found.fill(Lang::En, &[("code", &"F-1"), ("n", &3)]), "F-1 found in 3 rows");
        assert_eq!(Sample::Plain.get(Lang::En), "hello");
    }

    #[test]
    fn braces_that_are_not_placeholders_stay() {
        assert_eq!(fill("{} {X} {a b} {", &[]), "{} {X} {a b} {");
        assert_eq!(placeholders("{a} {b_2} {} {C} {a}"), ["a", "b_2"].into());
    }

    #[test]
    fn a_catalogue_lists_its_keys_with_both_texts() {
        let entries = (Sample::CATALOGUE.entries)();
        assert_eq!(
            entries[1],
            Entry { key: "Found", it: "{code} trovato in {n} righe", en: "{code} found in {n} rows" }
        );
        assert!(Sample::CATALOGUE.name.ends_with("catalogue::tests::Sample"));
    }
}
