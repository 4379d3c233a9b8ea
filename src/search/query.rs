//! What an operator types in the search box: free text and filters
//! (`kind:famiglia stato:idonea servizio:S-003 comune:dalmine`), in Italian
//! or English. The free text is words, each matched on its own, in any
//! order; a comune's name among other words also names the comune.

use super::fold::fold_bare;
use super::sound::{sound, TYPO_FROM};
use crate::model::comune::normalize;
use crate::model::*;

pub use crate::api::HitKind;

/// A parsed query. `text` is folded (its words one space apart); filters
/// narrow what it is matched against.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub text: String,
    /// The words of `text`: a record matches when each one matches somewhere.
    pub words: Vec<Word>,
    pub kind: Option<HitKind>,
    /// English status tokens the `stato:` value names (of families or needs).
    pub statuses: Option<Vec<&'static str>>,
    pub service: Option<ServiceCode>,
    pub comuni: Option<Vec<ComuneCode>>,
}

impl Query {
    pub fn has_filters(&self) -> bool {
        self.kind.is_some() || self.statuses.is_some() || self.service.is_some() || self.comuni.is_some()
    }

    /// Same filters, and text that goes on from `earlier`'s (or is the same).
    pub fn follows(&self, earlier: &Query) -> bool {
        self.text.starts_with(&earlier.text)
            && self.kind == earlier.kind
            && self.statuses == earlier.statuses
            && self.service == earlier.service
            && self.comuni == earlier.comuni
    }

    /// Same filters, and text that goes on from `earlier`'s, each of its
    /// words matching no more than the word it extends: its hits can only shrink.
    pub fn narrows(&self, earlier: &Query) -> bool {
        !earlier.text.is_empty()
            && self.follows(earlier)
            && earlier.words.len() <= self.words.len()
            && earlier.words.iter().zip(&self.words).all(|(before, now)| now.extends(before))
    }
}

/// One word of the free text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Word {
    /// Folded.
    pub text: String,
    /// How it sounds (`sound::sound`), for a word of letters only: what the
    /// names of the bank are matched against, spelling confusions forgiven.
    pub sound: Option<String>,
    /// Wrong letters forgiven: one from `TYPO_FROM` letters of sound on.
    pub typos: u8,
    /// The comuni the word names (alone or with the words around it) when
    /// other words or filters come with it: a record in one of them matches
    /// the word, as well as a record whose text does ("Brembate" is a comune
    /// and a surname: both are found).
    pub comuni: Option<Vec<ComuneCode>>,
}

impl Word {
    fn new(text: &str) -> Word {
        let text = fold_bare(text);
        // A word of silent letters only ("h") sounds like nothing: it would match every name.
        let sound = text.chars().all(char::is_alphabetic).then(|| sound(&text)).filter(|s| !s.is_empty());
        let typos = u8::from(sound.as_ref().is_some_and(|s| s.chars().count() >= TYPO_FROM));
        Word { text, sound, typos, comuni: None }
    }

    /// Does every record this word matches also match `before`, which it extends as typed?
    fn extends(&self, before: &Word) -> bool {
        self.text.starts_with(&before.text)
            && match (&self.sound, &before.sound) {
                (Some(now), Some(then)) => now.starts_with(then.as_str()),
                (None, _) => true,
                (Some(_), None) => false,
            }
            && self.typos <= before.typos
            && self.comuni == before.comuni
    }
}

/// The longest comune name of several words to look for.
const COMUNE_WORDS: usize = 6;
/// The shortest comune name a word names: Re (VB) and Ne (GE) are words
/// of names and of other words far more often than the comuni.
const COMUNE_LETTERS: usize = 3;

/// Marks the words that name a comune ("dalmine", "ponte san pietro": the
/// longest name from each word on), unless they are the whole text and
/// there is no filter: then the operator is looking for the comune itself.
fn name_comuni(words: &mut [Word], typed: &[&str], filtered: bool, comuni: &Comuni) {
    let mut at = 0;
    while at < words.len() {
        let longest = (at + 1..=words.len().min(at + COMUNE_WORDS)).rev().find_map(|end| {
            let name = normalize(&typed[at..end].join(" "));
            if name.chars().filter(|c| c.is_alphabetic()).count() < COMUNE_LETTERS {
                return None;
            }
            let found: Vec<ComuneCode> = comuni.named(&name).collect();
            (!found.is_empty()).then_some((end, found))
        });
        match longest {
            Some((end, found)) if filtered || end - at < words.len() => {
                for word in &mut words[at..end] {
                    word.comuni = Some(found.clone());
                }
                at = end;
            }
            _ => at += 1,
        }
    }
}

pub use crate::model::limits::{MAX_QUERY, MAX_QUERY_WORDS};

/// Reads a query; a filter it does not know, a value that names nothing,
/// or more than `MAX_QUERY_WORDS` different words, is a problem on the field `query`.
pub fn parse(input: &str, comuni: &Comuni) -> Result<Query, Problem> {
    // A query is typed text like any other: control characters are refused,
    // not stripped, so what was searched is what the operator sees.
    let mut checked = crate::model::Problems::new();
    checked.limit_text(Field::Query, input, MAX_QUERY);
    if let Some(p) = checked.into_vec().into_iter().next() {
        return Err(p);
    }
    let mut q = Query::default();
    let mut words = Vec::new();
    for word in input.split_whitespace() {
        let Some((name, value)) = word.split_once(':') else {
            words.push(word);
            continue;
        };
        let bad = || {
            Problem::new(Field::Query, Reason::BadFilterValue { filter: name.to_string(), value: value.to_string() })
        };
        match normalize(name).as_str() {
            "kind" | "tipo" => q.kind = Some(HitKind::parse(value).ok_or_else(bad)?),
            "stato" | "status" => {
                let mut tokens: Vec<&'static str> = Vec::new();
                tokens.extend(FamilyStatus::parse(value).map(|s| s.token()));
                tokens.extend(NeedStatus::parse(value).map(|s| s.token()));
                if tokens.is_empty() {
                    return Err(bad());
                }
                q.statuses = Some(tokens);
            }
            "servizio" | "service" => q.service = Some(ServiceCode::parse(value).ok_or_else(bad)?),
            "comune" => {
                let wanted = normalize(&value.replace(['_', '+'], " "));
                let found: Vec<ComuneCode> = comuni
                    .iter()
                    .filter(|c| normalize(&c.name) == wanted || c.code.to_string() == wanted)
                    .map(|c| c.code)
                    .collect();
                if found.is_empty() {
                    return Err(Problem::new(Field::Query, Reason::UnknownComune { code: value.to_string() }));
                }
                q.comuni = Some(found);
            }
            _ => return Err(Problem::new(Field::Query, Reason::UnknownFilter { name: name.to_string() })),
        }
    }
    q.text = fold_bare(&words.join(" "));
    q.words = words.iter().map(|w| Word::new(w)).collect();
    let filtered = q.has_filters();
    name_comuni(&mut q.words, &words, filtered, comuni);
    q.words = different(std::mem::take(&mut q.words));
    if q.words.len() > MAX_QUERY_WORDS {
        return Err(Problem::new(Field::Query, Reason::TooManyWords { max: MAX_QUERY_WORDS }));
    }
    Ok(q)
}

/// The words once each: a word typed again asks nothing more of a record,
/// and each costs a pass over the whole vocabulary.
fn different(words: Vec<Word>) -> Vec<Word> {
    let mut kept: Vec<Word> = Vec::with_capacity(words.len());
    for w in words {
        if !kept.contains(&w) {
            kept.push(w);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_read_in_italian_or_english_with_free_text() {
        let comuni = Comuni::embedded();
        let q = parse("kind:famiglia  stato:idonea servizio:S-003 Rossì", comuni).unwrap();
        assert_eq!(q.text, "rossi");
        assert_eq!(q.kind, Some(HitKind::Family));
        assert_eq!(q.statuses, Some(vec!["approved"]));
        assert_eq!(q.service, Some(ServiceCode(3)));
        let osio = parse("comune:osio_sotto", comuni).unwrap();
        assert_eq!(osio.comuni.map(|c| c.len()), Some(1));
        assert_eq!(parse("colore:rosso", comuni).unwrap_err().field, "query");
        assert!(parse("stato:felice", comuni).is_err());
        assert!(parse("comune:atlantide", comuni).is_err());
    }

    #[test]
    fn a_longer_query_with_the_same_filters_narrows_the_last_one() {
        let comuni = Comuni::embedded();
        let a = parse("ros kind:famiglia", comuni).unwrap();
        let b = parse("ross kind:famiglia", comuni).unwrap();
        assert!(b.narrows(&a));
        assert!(!a.narrows(&b));
        assert!(!parse("ross", comuni).unwrap().narrows(&a), "filters changed");
    }

    #[test]
    fn words_are_kept_once_and_more_than_eight_different_ones_are_refused() {
        let comuni = Comuni::embedded();
        let texts = |q: &str| parse(q, comuni).unwrap().words.into_iter().map(|w| w.text).collect::<Vec<_>>();
        assert_eq!(texts("rossi Rossi anna ROSSÌ anna"), ["rossi", "anna"]);
        // A hundred one-letter words, the longest query there is: two different ones.
        let vowels = "a e ".repeat(50);
        assert_eq!(texts(vowels.trim()), ["a", "e"]);
        assert_eq!(texts("a b c d e f g h a b kind:famiglia").len(), 8);
        let nine = parse("a b c d e f g h i", comuni).unwrap_err();
        assert_eq!((nine.field.to_string().as_str(), nine.reason), ("query", Reason::TooManyWords { max: 8 }));
    }

    #[test]
    fn a_word_of_silent_letters_or_typed_with_its_accent_apart_has_the_sound_it_should() {
        let comuni = Comuni::embedded();
        let sound = |q: &str| parse(q, comuni).unwrap().words[0].sound.clone();
        assert_eq!(sound("h"), None);
        assert_eq!(sound("hh"), None);
        assert_eq!(sound("ha"), Some("a".to_string()));
        // NFD: the accent typed after its letter.
        assert_eq!(sound("nicolo\u{300}"), Some("nicolo".to_string()));
        assert_eq!(sound("Ștefan"), Some("stefan".to_string()));
    }

    #[test]
    fn comuni_of_fewer_than_three_letters_are_not_named_by_a_word() {
        let comuni = Comuni::embedded();
        let named = |q: &str| parse(q, comuni).unwrap().words.iter().map(|w| w.comuni.is_some()).collect::<Vec<_>>();
        assert_eq!(named("anna re"), [false, false]);
        assert_eq!(named("anna ne"), [false, false]);
        assert_eq!(named("anna dalmine"), [false, true]);
        // As a filter it is still the comune.
        assert_eq!(parse("anna comune:re", comuni).unwrap().comuni.map(|c| c.len()), Some(1));
    }
}
