//! Scoring a key against the query with fuzzy-matcher's SkimMatcherV2, and
//! what the scan knows before scoring: which bytes a key holds, whether the
//! query can match it at all, and how high its score can go.
//!
//! Every score is the one a fresh `SkimMatcherV2::default()` gives for the
//! whole key. A matcher reused as is may not: fuzzy-matcher 0.3.7 keeps its
//! score matrix between calls and its consecutive-match bonus reads cells
//! the call did not write, left by the key scored before, so the same key
//! could score differently after another key, in a narrowed search or on
//! the other thread (about 0.3 % of matches in a test of random keys). Its
//! own remedy, `use_cache(false)`, panics (it empties the matrix while
//! still borrowing it), and a new matcher per key costs half as much again
//! as the match. So `Scorer` first matches "a" against "a": the matrix
//! shrinks to 2 × 2 cells, all of them in the first row of the next call's
//! matrix (which every call resets) or reset by it, and the rest of that
//! matrix is new. The tests below check it against a fresh matcher.

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;

/// The set of bytes in a key (or a query) as 64 bits: one per letter and
/// digit, the other bytes sharing the rest. A key can match a query only if
/// its set holds the query's.
pub fn mask_of(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0, |m, &b| m | 1 << bit(b))
}

fn bit(b: u8) -> u32 {
    match b {
        b'a'..=b'z' => u32::from(b - b'a'),
        b'0'..=b'9' => 26 + u32::from(b - b'0'),
        _ => 36 + u32::from(b % 28),
    }
}

/// Is `needle` in `hay` in order, character by character? What
/// SkimMatcherV2 requires of a match (`hay` and `needle` are folded, so
/// without upper case, and its comparison is then plain equality). For an
/// ASCII needle the bytes say it; `fold::is_subsequence` is that test.
pub fn is_char_subsequence(needle: &str, hay: &str) -> bool {
    let mut it = hay.chars();
    needle.chars().all(|n| it.any(|h| h == n))
}

/// SkimMatcherV2 with the default scores, as fresh at every call.
#[derive(Default)]
pub struct Scorer(SkimMatcherV2);

impl Scorer {
    /// Leaves the cached matrix 4 cells long: see the module's notes.
    fn forget(&self) {
        let _ = self.0.fuzzy_match("a", "a");
    }

    /// The score of `text` in `key`, which holds it in order (the caller
    /// checked), computed on the part of the key that can change it: from
    /// the character before the first place the query's first character
    /// matches, to the last place its last character does. The matrix is
    /// filled from its first match to the right, each column from the ones
    /// before it; a column's bonus depends on its character and the one
    /// before (kept), the doubled bonus of the first column only matters
    /// when a match starts there (then nothing is cut); the score is the
    /// best of the last row, where the columns cut could only say "no match".
    pub fn score(&self, key: &str, text: &str) -> i64 {
        let (Some(first), Some(last)) = (text.chars().next(), text.chars().next_back()) else { return 0 };
        let from = key.find(first).map_or(0, |i| key[..i].chars().next_back().map_or(0, |c| i - c.len_utf8()));
        let to = key.rfind(last).map_or(key.len(), |i| i + last.len_utf8()).max(from);
        self.forget();
        self.0.fuzzy_match(&key[from..to], text).unwrap_or(i64::MIN)
    }

    /// The matched characters of `text` in `key`, for highlighting.
    pub fn positions(&self, key: &str, text: &str) -> Vec<u32> {
        self.forget();
        self.0.fuzzy_indices(key, text).map(|(_, idx)| idx.into_iter().map(|i| i as u32).collect()).unwrap_or_default()
    }
}

/// Where a key's characters stand, for `bound`: the bytes (as in
/// `mask_of`, the first of each character) of the characters at the head
/// of a word (after a space, a bracket, a slash) and of those after
/// punctuation (or upper case after lower case). The key's first character
/// is in neither, unless it stands so elsewhere too.
#[derive(Debug, Clone, Copy, Default)]
pub struct Places {
    heads: u64,
    breaks: u64,
}

pub fn places(key: &str) -> Places {
    let mut places = Places::default();
    let mut chars = key.chars();
    let Some(mut prev) = chars.next() else { return places };
    for c in chars {
        let b = char_bit(c);
        match place_bonus(prev, c) {
            8 => places.heads |= b,
            6 | 7 => places.breaks |= b,
            _ => {}
        }
        prev = c;
    }
    places
}

/// The query's characters with their bits, for `bound`.
pub fn pattern(text: &str) -> Vec<(char, u64)> {
    text.chars().map(|c| (c, char_bit(c))).collect()
}

fn char_bit(c: char) -> u64 {
    let mut buf = [0; 4];
    1 << bit(c.encode_utf8(&mut buf).as_bytes()[0])
}

/// No score of the query (its `pattern`) in `key` (from `Scorer`) is higher than this.
///
/// From SkimMatcherV2's recurrences with the default scores (match 16, gap
/// −3 then −1; a character's bonus for its place: 8 at the head of a word,
/// 7 after punctuation, 6 for camel case, 0 inside a word, doubled for the
/// key's first character; 4 for following the previous match): a fresh
/// matrix gives the first character of the query 16 − 1 plus the bonus of
/// the place it matches, and each next one 16 plus the larger of 4 and its
/// place's bonus over the score of the characters before (the bonus carried
/// along a run of matches is at most the larger of 4 and the bonus of the
/// column it is carried into; the doubled one is written to column 0, which
/// no later row reads). So each character counts the best place the key
/// has for it. The case penalty only lowers a score, and keys and queries
/// are folded.
pub fn bound(key: &str, places: Places, pattern: &[(char, u64)]) -> i64 {
    let best = |b: u64| {
        if places.heads & b != 0 {
            8
        } else if places.breaks & b != 0 {
            7
        } else {
            0
        }
    };
    let Some((&(first, first_bit), rest)) = pattern.split_first() else { return 0 };
    let head = if key.starts_with(first) { 16 } else { best(first_bit) };
    15 + head + rest.iter().map(|&(_, b)| 16 + best(b).max(4)).sum::<i64>()
}

/// SkimMatcherV2's bonus for a character after `prev` (`'\0'` before the first).
fn place_bonus(prev: char, c: char) -> i64 {
    #[derive(PartialEq)]
    enum Type {
        Empty,
        HardSep,
        SoftSep,
        Number,
        Upper,
        Lower,
    }
    let of = |ch: char| match ch {
        '\0' => Type::Empty,
        ' ' | '/' | '\\' | '|' | '(' | ')' | '[' | ']' | '{' | '}' => Type::HardSep,
        '!'..='\'' | '*'..='.' | ':'..='@' | '^'..='`' | '~' => Type::SoftSep,
        '0'..='9' => Type::Number,
        'A'..='Z' => Type::Upper,
        _ => Type::Lower,
    };
    match (of(prev), of(c)) {
        (Type::Empty | Type::HardSep, _) => 8,
        (Type::SoftSep, _) => 7,
        (Type::Lower | Type::Number, Type::Upper) => 6,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::fold::{fold, is_subsequence};

    /// A few thousand keys and queries from an alphabet with every kind of
    /// character the bonuses tell apart.
    fn cases() -> Vec<(String, String)> {
        const KEY: &[char] = &['a', 'b', 'r', 's', 'o', ' ', '-', ',', '(', '/', '1', '0', 'è', 'ò', '\'', ':'];
        const QUERY: &[char] = &['a', 'b', 'r', 's', 'o', ' ', '-', '1', 'ò', '('];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut out = vec![
            ("f-2024-0012 giulia rossi, marco colombo".to_string(), "ross".to_string()),
            ("f-2024-0012 giulia rossi, marco colombo".to_string(), "f-2024-0012".to_string()),
            ("osio sotto (bg) 016154".to_string(), "osio".to_string()),
            (fold("Cantù (CO) 013041"), "cantu".to_string()),
        ];
        for _ in 0..20_000 {
            let key: String = (0..1 + next(40)).map(|_| KEY[next(KEY.len())]).collect();
            let text: String = (0..1 + next(6)).map(|_| QUERY[next(QUERY.len())]).collect();
            out.push((key, text));
        }
        out
    }

    #[test]
    fn scores_are_those_of_a_fresh_matcher_on_the_whole_key_and_never_above_the_bound() {
        let scorer = Scorer::default();
        let mut matched = 0;
        let mut bounds = Vec::new();
        for (key, text) in cases() {
            let fresh = SkimMatcherV2::default().fuzzy_match(&key, &text);
            let ours = is_char_subsequence(&text, &key);
            assert_eq!(fresh.is_some(), ours, "{key:?} {text:?}");
            if text.is_ascii() {
                assert_eq!(ours, is_subsequence(text.as_bytes(), key.as_bytes()), "{key:?} {text:?}");
            }
            if ours {
                assert_eq!(mask_of(key.as_bytes()) & mask_of(text.as_bytes()), mask_of(text.as_bytes()));
            }
            let Some(fresh) = fresh else { continue };
            matched += 1;
            assert_eq!(scorer.score(&key, &text), fresh, "{key:?} {text:?}");
            let positions = SkimMatcherV2::default().fuzzy_indices(&key, &text).map(|(_, p)| p);
            let positions: Vec<u32> = positions.unwrap_or_default().into_iter().map(|i| i as u32).collect();
            assert_eq!(scorer.positions(&key, &text), positions, "{key:?} {text:?}");
            let best = bound(&key, places(&key), &pattern(&text));
            assert!(fresh <= best, "{key:?} {text:?}: {fresh} > {best}");
            bounds.push((fresh, best));
        }
        assert!(matched > 2_000, "{matched} matches only");
        // The bound is what lets the scan skip scoring: it must often be the score itself.
        let exact = bounds.iter().filter(|(score, best)| score == best).count();
        assert!(exact * 4 > bounds.len(), "{exact} of {} bounds exact", bounds.len());
    }

    #[test]
    fn a_key_scores_the_same_whatever_was_scored_before() {
        let scorer = Scorer::default();
        let alone: Vec<i64> = ["bbbbb ", "xass", "ab ss"].iter().map(|k| Scorer::default().score(k, "bbb")).collect();
        let _ = scorer.score("-bbbasbs s", "bbbb");
        let after: Vec<i64> = ["bbbbb ", "xass", "ab ss"].iter().map(|k| scorer.score(k, "bbb")).collect();
        assert_eq!(alone, after);
    }
}
