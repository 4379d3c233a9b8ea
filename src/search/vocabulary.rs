//! The words of the index's keys (letters only: names, comuni, services),
//! each once, with how it sounds. A query's word is judged against each of
//! them once per search; a key then only looks up the judgements of its
//! own words: how well a name matches costs the same at a million records
//! as at a thousand.

use std::collections::HashMap;

use super::query::Word;
use super::sound::{near_prefix, sound};

/// How well a query's word matches a word of a key, best first.
pub type Quality = u8;
/// The whole query is the record's code.
pub const EXACT_CODE: Quality = 0;
/// The word is one of the key's words, or the comune it names is the record's.
pub const EXACT: Quality = 1;
/// The word starts the key or one of its words.
pub const PREFIX: Quality = 2;
/// The word starts one of the key's words as it sounds (spelling confusions forgiven).
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
    let whole = key_sound.len() == typed.len();
    match near_prefix(typed.as_bytes(), key_sound.as_bytes()) {
        Some(agree) if agree == typed.len() => Heard { quality: SOUND, agree: agree.min(255) as u8, whole },
        Some(agree) if word.typos > 0 => Heard { quality: TYPO, agree: agree.min(255) as u8, whole },
        _ => Heard::NOT,
    }
}

/// The words of a folded key a query's word may be heard in: its runs of
/// letters (a run with a digit, a code's part, is not a name).
pub fn words_of(key: &str) -> impl Iterator<Item = (usize, &str)> {
    key.split(|c: char| !c.is_alphanumeric())
        .scan(0usize, |at, w| {
            let start = *at;
            *at += w.chars().count() + 1;
            Some((start, w))
        })
        .filter(|(_, w)| !w.is_empty() && w.chars().all(char::is_alphabetic))
}

#[derive(Default)]
pub struct Vocabulary {
    ids: HashMap<Box<str>, u32>,
    words: Vec<Box<str>>,
    sounds: Vec<Box<str>>,
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

    /// `word`'s judgement of every word, by id; empty for a word without a sound.
    pub fn hear(&self, word: &Word) -> Vec<Heard> {
        if word.sound.is_none() {
            return Vec::new();
        }
        self.words.iter().zip(&self.sounds).map(|(w, s)| judge(word, w, s)).collect()
    }

    pub fn shrink_to_fit(&mut self) {
        self.ids.shrink_to_fit();
        self.words.shrink_to_fit();
        self.sounds.shrink_to_fit();
    }
}
