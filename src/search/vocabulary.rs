//! The words of the index's keys (letters only: names, comuni, services),
//! each once, with how it sounds. A query's word is judged against each of
//! them once per search; a key then only looks up the judgements of its
//! own words: how well a name matches costs the same at a million records
//! as at a thousand.

use std::borrow::Cow;
use std::collections::HashMap;

use super::fold::is_mark;
use super::query::Word;
use super::sound::{near_prefix, sound};

/// How well a query's word matches a word of a key, best first.
pub type Quality = u8;
/// The whole query is the record's code.
pub const EXACT_CODE: Quality = 0;
/// The word is one of the key's words.
pub const EXACT: Quality = 1;
/// The word starts the key or one of its words.
pub const PREFIX: Quality = 2;
/// The word starts one of the key's words as it sounds (spelling confusions
/// forgiven), or names the record's comune (the text may not hold it: below
/// a name that does).
pub const SOUND: Quality = 3;
/// Within one wrong letter of the start of one of the key's words, as it sounds.
pub const TYPO: Quality = 4;
/// Its letters are in the key in order, anywhere.
pub const FUZZY: Quality = 5;
/// It does not match.
pub const NONE: Quality = u8::MAX;

/// A query word's judgement of a vocabulary word: its quality and, for a
/// sound or typo, how many of its sounds agree before the first difference
/// and whether the word sounds as long as the one typed (the whole word, not
/// a longer one it starts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Heard {
    pub quality: Quality,
    pub agree: u8,
    pub whole: bool,
}

impl Heard {
    pub const NOT: Heard = Heard { quality: NONE, agree: 0, whole: false };

    /// The better of two: the higher quality, then the higher score.
    pub fn better(self, other: Heard) -> Heard {
        if (other.quality, -other.score()) < (self.quality, -self.score()) {
            other
        } else {
            self
        }
    }

    /// What a word heard by sound or with a wrong letter scores: more
    /// agreeing before the first wrong letter first, then the whole word.
    pub fn score(self) -> i64 {
        16 * i64::from(self.agree) + 8 * i64::from(self.whole)
    }
}

/// How `word` (of a query, with a sound) matches `key_word` (folded) and its sound.
pub fn judge(word: &Word, key_word: &str, key_sound: &str) -> Heard {
    let Some(typed) = &word.sound else { return Heard::NOT };
    if key_word == word.text {
        return Heard { quality: EXACT, ..Heard::NOT };
    }
    if key_word.starts_with(&word.text) {
        return Heard { quality: PREFIX, ..Heard::NOT };
    }
    let typed_len = typed.chars().count();
    let whole = key_sound.chars().count() == typed_len;
    match near_prefix(typed, key_sound) {
        Some(agree) if agree == typed_len => Heard { quality: SOUND, agree: agree.min(255) as u8, whole },
        Some(agree) if word.typos > 0 => Heard { quality: TYPO, agree: agree.min(255) as u8, whole },
        _ => Heard::NOT,
    }
}

/// The words of a folded key a query's word may be heard in: its runs of
/// letters (a run with a digit, a code's part, is not a name), each with
/// where it starts (in characters). A mark typed apart from its letter
/// (NFD) stays in the run: `bare` takes it off.
pub fn words_of(key: &str) -> impl Iterator<Item = (usize, &str)> {
    key.split(|c: char| !c.is_alphanumeric() && !is_mark(c))
        .scan(0usize, |at, w| {
            let start = *at;
            *at += w.chars().count() + 1;
            Some((start, w))
        })
        .filter(|(_, w)| w.chars().any(char::is_alphabetic) && w.chars().all(|c| c.is_alphabetic() || is_mark(c)))
}

/// The particles of surnames written apart or joined ("De Luca" and
/// "Deluca", "D'Angelo" and "Dangelo", "Della Valle" and "Dellavalle").
const PARTICLES: &[&str] = &[
    "d", "da", "dal", "dall", "dalla", "dalle", "dallo", "de", "degli", "dei", "del", "dell", "della", "delle",
    "dello", "der", "di", "du", "l", "la", "le", "li", "lo", "mac", "mc", "van", "von",
];

/// The words of a key a query's word is judged against: `words_of`, and
/// each particle joined to the word after it (across one space or
/// apostrophe), so a caller's "deluca" is the exact word of "De Luca".
/// Each with where it starts (in characters) and as written in the key.
pub fn heard_words(key: &str) -> Vec<(usize, &str)> {
    let mut all: Vec<(usize, &str)> = Vec::new();
    let mut before: Option<(usize, &str)> = None;
    for (at, word) in words_of(key) {
        if let Some((from, particle)) = before.filter(|(_, p)| PARTICLES.contains(&bare(p).as_ref())) {
            let start = offset(key, particle);
            let gap = &key[start + particle.len()..offset(key, word)];
            if gap == " " || gap == "'" {
                all.push((from, &key[start..offset(key, word) + word.len()]));
            }
        }
        all.push((at, word));
        before = Some((at, word));
    }
    all
}

/// Where `part`, a slice of `key`, starts in it (in bytes).
fn offset(key: &str, part: &str) -> usize {
    part.as_ptr() as usize - key.as_ptr() as usize
}

/// A word of a key as the vocabulary holds it: letters only (no mark typed
/// apart, no space or apostrophe of a joined particle).
pub fn bare(word: &str) -> Cow<'_, str> {
    let letter = |c: &char| c.is_alphabetic() && !is_mark(*c);
    if word.chars().all(|c| letter(&c)) {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(word.chars().filter(letter).collect())
    }
}

#[derive(Default)]
pub struct Vocabulary {
    ids: HashMap<Box<str>, u32>,
    words: Vec<Box<str>>,
    sounds: Vec<Box<str>>,
}

/// A query word's judgements of the vocabulary: only the words it matches,
/// by id, in order of id (a word matches few of them: nothing as long as
/// the vocabulary is made per word).
#[derive(Debug, Default)]
pub struct Hearing {
    heard: Vec<(u32, Heard)>,
    /// One bit per vocabulary word, set for those heard: the scan asks
    /// about every word of every entry, and most are not heard at all.
    bits: Vec<u64>,
}

impl Hearing {
    fn new(heard: Vec<(u32, Heard)>, words: usize) -> Hearing {
        let mut bits = vec![0u64; words.div_ceil(64)];
        for (id, _) in &heard {
            bits[*id as usize / 64] |= 1 << (id % 64);
        }
        Hearing { heard, bits }
    }

    /// How the word was heard in the vocabulary's word `id`.
    pub fn of(&self, id: u32) -> Heard {
        let set = self.bits.get(id as usize / 64).is_some_and(|b| b & (1 << (id % 64)) != 0);
        if !set {
            return Heard::NOT;
        }
        self.heard.binary_search_by_key(&id, |(i, _)| *i).map_or(Heard::NOT, |at| self.heard[at].1)
    }

    pub fn is_empty(&self) -> bool {
        self.heard.is_empty()
    }

    /// How many words it matches.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.heard.len()
    }
}

impl Vocabulary {
    /// The id of `word` (folded, letters only), added if new.
    pub fn id(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = u32::try_from(self.words.len()).expect("under 4 billion words");
        self.ids.insert(word.into(), id);
        self.words.push(word.into());
        self.sounds.push(sound(word).into());
        id
    }

    /// `word`'s judgement of every word it matches; none for a word without a sound.
    pub fn hear(&self, word: &Word) -> Hearing {
        if word.sound.is_none() {
            return Hearing::default();
        }
        let judged = self.words.iter().zip(&self.sounds).map(|(w, s)| judge(word, w, s));
        Hearing::new((0u32..).zip(judged).filter(|(_, h)| h.quality != NONE).collect(), self.words.len())
    }

    /// How many different words the keys hold.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.words.len()
    }

    #[cfg(test)]
    pub fn id_of(&self, word: &str) -> Option<u32> {
        self.ids.get(word).copied()
    }

    pub fn shrink_to_fit(&mut self) {
        self.ids.shrink_to_fit();
        self.words.shrink_to_fit();
        self.sounds.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn particles_are_heard_joined_to_the_next_word_too() {
        let words =
            |key: &str| heard_words(key).into_iter().map(|(at, w)| format!("{at}:{}", bare(w))).collect::<Vec<_>>();
        assert_eq!(words("f-2025-0001 de luca anna"), ["0:f", "12:de", "12:deluca", "15:luca", "20:anna"]);
        assert_eq!(words("d'angelo"), ["0:d", "0:dangelo", "2:angelo"]);
        assert_eq!(words("della valle, mario"), ["0:della", "0:dellavalle", "6:valle", "13:mario"]);
        // Not across a comma: "di" ends one name, "anna" starts the next.
        assert_eq!(words("rita di, anna"), ["0:rita", "5:di", "9:anna"]);
        // A mark typed apart (NFD) stays in its word, which the vocabulary holds bare.
        assert_eq!(words("s\u{326}tefan"), ["0:stefan"]);
    }
}
