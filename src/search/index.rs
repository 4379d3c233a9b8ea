//! The search index: one entry per family, need, comune, service and
//! operator, with its label folded once. Kept by the bank in memory and
//! updated under its write lock after every commit.
//!
//! Laid out for the scan: what it reads of every entry (filters, whose
//! label, the set of bytes in each key, the ids of its words) packed in one
//! vector, the folded keys one after the other in one string, and what a
//! hit shows apart. Each word of a query must match the entry somewhere, in
//! any order: as one of its words (judged once per search against the
//! vocabulary of every word, spelling confusions and one wrong letter
//! forgiven), as the comune it names, or with its characters in the key in
//! order (what the fuzzy matcher requires). The cheapest tests come first
//! and most entries stop at them. An entry's class (exact code, exact word,
//! prefix, sound, one wrong letter, fuzzy) comes next; only then, and only
//! if it could still enter the best `limit`, is it scored by SkimMatcherV2.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::fold::{fold_char, is_subsequence};
use super::query::{Query, Word};
use super::score::{bound, is_char_subsequence, mask_of, pattern, places, Places, Scorer};
use super::sound::sound;
use super::vocabulary::{
    bare, heard_words, judge, Heard, Hearing, Quality, Vocabulary, EXACT, EXACT_CODE, FUZZY, NONE, PREFIX, SOUND,
};
use crate::access::{self, Operation, Subject};
use crate::api::Principal;
pub use crate::api::{Hit, HitKind, SearchResult};
use crate::model::*;

/// A folded key: where it lies in `SearchIndex::keys`, its bytes as a set,
/// the places of its characters (what bounds a score), where the ids of its
/// words lie in `SearchIndex::word_ids`.
#[derive(Debug, Clone, Copy, Default)]
struct Key {
    start: u32,
    len: u32,
    mask: u64,
    places: Places,
    words: Span,
}

/// A stretch of one of the index's strings: a folded code in `keys`, or
/// text shown in `texts`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Span {
    start: u32,
    len: u32,
}

/// Whose identity a private label shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Audience {
    Family,
    Child,
}

/// The label with names only some may see (reference adults, the child).
#[derive(Debug, Clone, Copy)]
struct Private {
    key: Key,
    audience: Audience,
    owner: ServiceCode,
}

/// What the scan reads of an entry.
#[derive(Debug, Clone, Copy)]
struct Slot {
    kind: HitKind,
    /// The code's first 16 bytes, big-endian, in two halves: ordered as the
    /// codes are (up to them); a `u128`'s alignment would pad every slot.
    code_order: [u64; 2],
    /// The code folded (in `keys`): a query equal to it is an exact match.
    /// The same bytes as `public` when the label is the code.
    code_key: Span,
    /// What anyone who may see the record finds it by: its code, a comune's or service's name.
    public: Key,
    private: Option<Private>,
    service: Option<ServiceCode>,
    status: Option<Status>,
    comune: Option<ComuneCode>,
}

/// A family's or need's status token, as its place among them: one byte
/// in every slot rather than a 16-byte `&str`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Status(u8);

impl Status {
    fn tokens() -> &'static [&'static str] {
        static TOKENS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
        TOKENS.get_or_init(|| {
            let mut all: Vec<&'static str> = FamilyStatus::ALL.iter().map(|s| s.token()).collect();
            for s in NeedStatus::ALL {
                if !all.contains(&s.token()) {
                    all.push(s.token());
                }
            }
            all
        })
    }

    /// The status of `token`, one of a family's or a need's.
    fn of(token: &'static str) -> Status {
        let at = Status::tokens().iter().position(|t| *t == token).expect("a family or need status");
        Status(at as u8)
    }

    fn token(self) -> &'static str {
        Status::tokens()[self.0 as usize]
    }
}

/// What a hit shows of an entry, in `SearchIndex::texts`: one string for
/// every entry rather than four of its own (a family's public label is its code: the same span).
#[derive(Debug, Clone, Copy)]
struct Shown {
    code: Span,
    public: Span,
    private: Option<Span>,
    /// The service's name, a comune's region, an operator's role: shown after the label.
    detail: Span,
}

/// A recent search of a user, so a query typed on searches only what the
/// one it extends found, and so does a query shortened again (backspace):
/// each user keeps the chain of queries typed, each extending the one
/// before it. Forgotten at every change of the bank.
struct Last {
    query: Query,
    generation: u64,
    matches: Arc<[u32]>,
}

/// The longest chain of searches kept for a user.
const CHAIN: usize = 32;

#[derive(Default)]
pub struct SearchIndex {
    slots: Vec<Slot>,
    shown: Vec<Shown>,
    /// Every key, folded, one after the other; a replaced entry's old keys
    /// stay until they are half of it.
    keys: String,
    /// What hits show, unfolded, one after the other; replaced entries' text
    /// stays until the keys are compacted.
    texts: String,
    garbage: usize,
    /// Every key's words (letters only), each once: what a query's words are judged against.
    vocabulary: Vocabulary,
    /// The ids of each key's words, one key after the other.
    word_ids: Vec<u32>,
    by_code: Codes,
    generation: u64,
    last: Mutex<HashMap<String, Vec<Last>>>,
}

/// Where each code's entry is: a code of up to 16 bytes (all but long
/// user names) by its bytes as one number, with no string of its own.
/// After a whole build those entries are found by a binary search of
/// their places sorted by code (4 bytes an entry, the number read from
/// the slot); entries added since are in a table until the next build.
#[derive(Default)]
struct Codes {
    /// Places of short-coded entries, ordered by their slots' `code_order`.
    sorted: Vec<u32>,
    /// Keyed by two halves rather than a `u128`, whose alignment would double the table.
    short: HashMap<(u64, u64), u32>,
    long: HashMap<String, u32>,
}

impl Codes {
    fn short(code: &str) -> Option<(u64, u64)> {
        let n = code_order(code);
        (code.len() <= 16 && !code.as_bytes().contains(&0)).then_some(((n >> 64) as u64, n as u64))
    }

    fn get(&self, code: &str, slots: &[Slot]) -> Option<usize> {
        match Codes::short(code) {
            Some((high, low)) => self
                .sorted
                .binary_search_by(|at| slots[*at as usize].code_order.cmp(&[high, low]))
                .ok()
                .map(|i| &self.sorted[i])
                .or_else(|| self.short.get(&(high, low))),
            None => self.long.get(code),
        }
        .map(|i| *i as usize)
    }

    /// Moves the table of short codes into the sorted places.
    fn sort(&mut self, slots: &[Slot]) {
        self.sorted.extend(self.short.drain().map(|(_, at)| at));
        self.sorted.sort_unstable_by_key(|at| slots[*at as usize].code_order);
        self.sorted.shrink_to_fit();
        self.short = HashMap::new();
    }

    fn insert(&mut self, code: &str, at: usize) {
        let at = u32::try_from(at).expect("under 4 billion entries");
        match Codes::short(code) {
            Some(n) => self.short.insert(n, at),
            None => self.long.insert(code.to_string(), at),
        };
    }
}

/// Adds the words of a folded `key` to `vocabulary` and their ids, each
/// once, to the end of `ids`: where they lie there.
fn add_words(vocabulary: &mut Vocabulary, ids: &mut Vec<u32>, key: &str) -> Span {
    let start = u32::try_from(ids.len()).expect("under 4 billion words");
    for (_, word) in heard_words(key) {
        let id = vocabulary.id(&bare(word));
        if !ids[start as usize..].contains(&id) {
            ids.push(id);
        }
    }
    Span { start, len: ids.len() as u32 - start }
}

/// A code's first 16 bytes, big-endian: ordered as the codes are (up to them).
fn code_order(code: &str) -> u128 {
    let mut first = [0u8; 16];
    let n = code.len().min(16);
    first[..n].copy_from_slice(&code.as_bytes()[..n]);
    u128::from_be_bytes(first)
}

/// A `u128` as its high and low halves (ordered as the number is).
fn halves(n: u128) -> [u64; 2] {
    [(n >> 64) as u64, n as u64]
}

/// The class of a match whose worst word is of `quality`: up to a prefix,
/// by kind too (a family whose surname starts with the query ranks above a
/// comune that does); below, by score alone.
fn class_of(quality: Quality, kind: HitKind) -> u8 {
    if quality <= PREFIX {
        quality * 8 + kind as u8
    } else {
        quality * 8
    }
}

/// The class of every entry when the query has no text: ordered by kind and code.
const UNSCORED: u8 = FUZZY * 8;

/// Each thread scans at least this many candidates: below twice as many, one thread does it all.
const PER_THREAD: usize = 8_000;
/// At most this many threads for one search.
const MAX_THREADS: usize = 8;

/// Characters that start a word: a query found right after one is a prefix match.
const WORD_BREAKS: &[u8] = b" -(,.'";

impl SearchIndex {
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Gives back what growing one entry at a time reserved beyond the
    /// entries (up to half of each vector and string): after a whole build.
    pub fn shrink_to_fit(&mut self) {
        self.slots.shrink_to_fit();
        self.shown.shrink_to_fit();
        self.keys.shrink_to_fit();
        self.texts.shrink_to_fit();
        self.word_ids.shrink_to_fit();
        self.vocabulary.shrink_to_fit();
        self.by_code.sort(&self.slots);
        self.by_code.long.shrink_to_fit();
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    fn key(&self, k: Key) -> &str {
        &self.keys[k.start as usize..(k.start + k.len) as usize]
    }

    fn ids(&self, k: Key) -> &[u32] {
        &self.word_ids[k.words.start as usize..(k.words.start + k.words.len) as usize]
    }

    fn code_key(&self, s: Span) -> &str {
        &self.keys[s.start as usize..(s.start + s.len) as usize]
    }

    fn text(&self, s: Span) -> &str {
        &self.texts[s.start as usize..(s.start + s.len) as usize]
    }

    /// Appends shown text to `texts`.
    fn add_text(&mut self, text: &str) -> Span {
        if self.texts.len() + text.len() > u32::MAX as usize {
            self.compact();
        }
        let start = u32::try_from(self.texts.len()).expect("shown text under 4 GiB");
        self.texts.push_str(text);
        Span { start, len: text.len() as u32 }
    }

    /// Folds `text` onto the end of `keys`, with the ids of its words.
    fn add_key(&mut self, text: &str) -> Key {
        let code = self.add_code_key(text);
        let key = &self.keys[code.start as usize..];
        let words = add_words(&mut self.vocabulary, &mut self.word_ids, key);
        Key { start: code.start, len: code.len, mask: mask_of(key.as_bytes()), places: places(key), words }
    }

    /// Folds a code onto the end of `keys`: only ever compared whole, so
    /// without words for the vocabulary.
    fn add_code_key(&mut self, text: &str) -> Span {
        if self.keys.len() + 4 * text.len() > u32::MAX as usize {
            self.compact();
        }
        let start = self.keys.len();
        self.keys.extend(text.chars().map(fold_char));
        let len = (self.keys.len() - start) as u32;
        Span { start: u32::try_from(start).expect("search keys under 4 GiB"), len }
    }

    fn upsert(&mut self, code: &str, slot: Slot, shown: Shown) {
        self.generation += 1;
        // Every chain of searches is of the bank before: none would be narrowed again.
        self.last.get_mut().unwrap_or_else(|p| p.into_inner()).clear();
        match self.by_code.get(code, &self.slots) {
            Some(i) => {
                let old = &self.slots[i];
                self.garbage += (old.code_key.len + old.public.len + old.private.map_or(0, |p| p.key.len)) as usize;
                self.slots[i] = slot;
                self.shown[i] = shown;
                if self.garbage > 1 << 20 && self.garbage > self.keys.len() / 2 {
                    self.compact();
                }
            }
            None => {
                self.by_code.insert(code, self.slots.len());
                self.slots.push(slot);
                self.shown.push(shown);
            }
        }
    }

    /// Copies the keys and texts in use into new strings, without the
    /// replaced ones; a span two fields shared stays shared.
    fn compact(&mut self) {
        fn copy(from: &str, to: &mut String, start: &mut u32, len: u32) {
            let at = to.len() as u32;
            to.push_str(&from[*start as usize..(*start + len) as usize]);
            *start = at;
        }
        let (old_keys, old_texts) = (std::mem::take(&mut self.keys), std::mem::take(&mut self.texts));
        let old_ids = std::mem::take(&mut self.word_ids);
        let mut keys = String::with_capacity(old_keys.len() - self.garbage.min(old_keys.len()));
        let mut texts = String::with_capacity(old_texts.len());
        // The words of the keys in use only: a replaced name's words go with it.
        let mut vocabulary = Vocabulary::default();
        let mut ids = Vec::with_capacity(old_ids.len());
        let mut copy_key = |key: &mut Key, keys: &mut String| {
            copy(&old_keys, keys, &mut key.start, key.len);
            key.words = add_words(&mut vocabulary, &mut ids, &keys[key.start as usize..(key.start + key.len) as usize]);
        };
        for (s, t) in self.slots.iter_mut().zip(&mut self.shown) {
            let code_is_public = s.code_key == Span { start: s.public.start, len: s.public.len };
            copy_key(&mut s.public, &mut keys);
            if code_is_public {
                s.code_key.start = s.public.start;
            } else {
                copy(&old_keys, &mut keys, &mut s.code_key.start, s.code_key.len);
            }
            if let Some(p) = &mut s.private {
                copy_key(&mut p.key, &mut keys);
            }
            let public_is_code = t.public == t.code;
            copy(&old_texts, &mut texts, &mut t.code.start, t.code.len);
            if public_is_code {
                t.public = t.code;
            } else {
                copy(&old_texts, &mut texts, &mut t.public.start, t.public.len);
            }
            if let Some(p) = &mut t.private {
                copy(&old_texts, &mut texts, &mut p.start, p.len);
            }
            copy(&old_texts, &mut texts, &mut t.detail.start, t.detail.len);
        }
        self.keys = keys;
        self.texts = texts;
        self.word_ids = ids;
        self.vocabulary = vocabulary;
        self.garbage = 0;
    }

    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        kind: HitKind,
        code: String,
        code_key: &str,
        public: String,
        private: Option<(String, Audience, ServiceCode)>,
        service: Option<ServiceCode>,
        status: Option<&'static str>,
        comune: Option<ComuneCode>,
        detail: String,
    ) {
        let public_key = self.add_key(&public);
        // A family's or need's label is its code: its folded code is the same bytes.
        let code_key = if code_key == public {
            Span { start: public_key.start, len: public_key.len }
        } else {
            self.add_code_key(code_key)
        };
        let (private, private_text) = match private {
            Some((text, audience, owner)) => {
                (Some(Private { key: self.add_key(&text), audience, owner }), Some(self.add_text(&text)))
            }
            None => (None, None),
        };
        let code_text = self.add_text(&code);
        let public_text = if public == code { code_text } else { self.add_text(&public) };
        let detail = self.add_text(&detail);
        self.upsert(
            &code,
            Slot {
                kind,
                code_order: halves(code_order(&code)),
                code_key,
                public: public_key,
                private,
                service,
                status: status.map(Status::of),
                comune,
            },
            Shown { code: code_text, public: public_text, private: private_text, detail },
        );
    }

    pub fn add_comuni(&mut self, comuni: &Comuni) {
        for c in comuni.iter() {
            let code = c.code.to_string();
            let label = format!("{} ({}) {}", c.name, c.province, code);
            self.add(HitKind::Comune, code.clone(), &code, label, None, None, None, Some(c.code), c.region.clone());
        }
    }

    pub fn upsert_family(&mut self, f: &Family) {
        let code = f.code.to_string();
        let names: Vec<&str> = f.identity.adults.iter().map(|a| a.name.as_str()).collect();
        let private = format!("{code} {}", names.join(", "));
        self.add(
            HitKind::Family,
            code.clone(),
            &code,
            code.clone(),
            Some((private, Audience::Family, f.service)),
            Some(f.service),
            Some(f.profile.status.token()),
            Some(f.profile.comune),
            String::new(),
        );
    }

    pub fn upsert_need(&mut self, n: &Need) {
        let code = n.code.to_string();
        let id = &n.identity;
        let private = format!("{code} {} {}", id.given_name, id.family_name);
        self.add(
            HitKind::Need,
            code.clone(),
            &code,
            code.clone(),
            Some((private, Audience::Child, n.service)),
            Some(n.service),
            Some(n.placement.status.token()),
            Some(n.placement.comune),
            String::new(),
        );
    }

    /// A service by its code and name; a reception service by its kind too
    /// ("comunità alloggio", "pronto intervento") and by its comune.
    pub fn upsert_service(&mut self, s: &Service) {
        let code = s.code.to_string();
        let reception = s.details.reception.as_ref().filter(|_| s.details.kind.is_reception());
        // Its comune and managing body in words too: "pronto Bergamo", "Argine Verde" find it.
        let label = match reception {
            Some(r) => {
                let comune = Comuni::embedded().get(r.comune).map(|c| c.name.as_str()).unwrap_or_default();
                let kind = s.details.kind.label(crate::model::Lang::It);
                format!("{code} {} · {kind} · {comune} · {}", s.details.name, r.managing_body.name)
            }
            None => format!("{code} {}", s.details.name),
        };
        let comune = reception.map(|r| r.comune);
        self.add(
            HitKind::Service,
            code.clone(),
            &code,
            label,
            None,
            Some(s.code),
            None,
            comune,
            s.details.phone.clone(),
        );
    }

    pub fn upsert_operator(&mut self, o: &Operator) {
        let label = format!("{} {}", o.user, o.details.display_name);
        let role = o.details.role.token().to_string();
        self.add(HitKind::Operator, o.user.clone(), &o.user, label, None, o.details.service, None, None, role);
    }

    /// Every entry's label as the most privileged reader sees it (names
    /// included), in the index's order: what the search bench gives fzf.
    pub fn labels(&self) -> impl Iterator<Item = &str> + '_ {
        self.shown.iter().map(|s| self.text(s.private.unwrap_or(s.public)))
    }

    /// The best `limit` records for `query` that `who` may find, best first:
    /// exact codes, then exact words, prefixes, sounds, one wrong letter,
    /// fuzzy (each by score); ties by kind and code.
    pub fn search(&self, who: &Principal, query: &Query, limit: usize) -> SearchResult {
        // The matches of the longest earlier query this one extends: this
        // one's are among them. The chain keeps the queries it extends
        // (typed before it, or again after a backspace) and no other.
        let earlier = {
            let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
            let chain = last.entry(who.user.clone()).or_default();
            chain.retain(|l| l.generation == self.generation);
            let typed_before = chain.iter().take_while(|l| query.follows(&l.query)).count();
            chain.truncate(typed_before);
            chain.iter().rev().find(|l| query.narrows(&l.query)).map(|l| l.matches.clone())
        };
        let narrowed = earlier.is_some();
        let terms = Terms::of(self, query);
        let n = earlier.as_ref().map_or(self.slots.len(), |m| m.len());
        let threads =
            (n / PER_THREAD).clamp(1, std::thread::available_parallelism().map_or(1, |t| t.get()).min(MAX_THREADS));
        let scan = |part: usize| {
            let (from, to) = (n * part / threads, n * (part + 1) / threads);
            match &earlier {
                Some(m) => self.scan(who, query, &terms, limit, m[from..to].iter().copied()),
                None => self.scan(who, query, &terms, limit, from as u32..to as u32),
            }
        };
        let parts: Vec<Part> = if threads > 1 {
            std::thread::scope(|s| {
                let scan = &scan;
                let others: Vec<_> = (1..threads).map(|t| s.spawn(move || scan(t))).collect();
                let mut parts = vec![scan(0)];
                parts.extend(others.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))));
                parts
            })
        } else {
            vec![scan(0)]
        };

        let total = parts.iter().map(|p| p.total).sum::<usize>() as u32;
        let mut found: Vec<Found> = Vec::with_capacity(limit * parts.len());
        let mut matches: Vec<u32> = Vec::with_capacity(parts.iter().map(|p| p.matches.len()).sum());
        for part in parts {
            found.extend(part.top.items);
            // The parts are in the candidates' order: the matches stay sorted.
            matches.extend(part.matches);
        }
        if !query.text.is_empty() {
            let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
            let chain = last.entry(who.user.clone()).or_default();
            // The same query again (spaces aside) finds the same: kept once.
            if chain.last().is_none_or(|l| l.query != *query) {
                chain.push(Last { query: query.clone(), generation: self.generation, matches: matches.into() });
                // Bounded: the shortest queries go first (their matches are the most, and the
                // least worth keeping: about as many as a scan of everything).
                let mut kept: usize = chain.iter().map(|l| l.matches.len()).sum();
                while chain.len() > CHAIN || (chain.len() > 1 && kept > 2 * self.slots.len() + 1024) {
                    kept -= chain.remove(0).matches.len();
                }
            }
        }
        found.sort_by(|a, b| self.order(a, b));
        found.truncate(limit);

        let scorer = Scorer::default();
        let hits = found
            .into_iter()
            .map(|m| {
                let (s, shown) = (&self.slots[m.index as usize], &self.shown[m.index as usize]);
                let (key, identity) = self.key_for(who, s);
                let label = self.text(if identity { shown.private.unwrap_or(shown.public) } else { shown.public });
                let matched = if query.text.is_empty() { vec![] } else { terms.positions(self, &scorer, key, s) };
                Hit {
                    kind: s.kind,
                    code: self.text(shown.code).to_string(),
                    label: label.to_string(),
                    matched,
                    comune: s.comune,
                    status: s.status.map(|t| t.token().to_string()),
                    service: s.service,
                    detail: self.text(shown.detail).to_string(),
                    identity,
                }
            })
            .collect();
        SearchResult { hits, total, narrowed }
    }

    /// The key `who` may search: with names only when allowed (and then true).
    fn key_for(&self, who: &Principal, s: &Slot) -> (Key, bool) {
        match &s.private {
            Some(p) => {
                let subject = match p.audience {
                    Audience::Family => Subject::Family,
                    Audience::Child => Subject::Need,
                };
                if access::allowed(who, Operation::ReadIdentity, subject, Some(p.owner)) {
                    (p.key, true)
                } else {
                    (s.public, false)
                }
            }
            None => (s.public, false),
        }
    }

    /// Best first: class (exact codes, then prefixes, each records before
    /// comuni, services and operators; then fuzzy), score (higher first), kind, code.
    fn order(&self, a: &Found, b: &Found) -> Ordering {
        a.class.cmp(&b.class).then(b.score.cmp(&a.score)).then_with(|| self.tie(a.index, b.index))
    }

    fn tie(&self, a: u32, b: u32) -> Ordering {
        let (a, b) = (a as usize, b as usize);
        let (sa, sb) = (&self.slots[a], &self.slots[b]);
        sa.kind
            .cmp(&sb.kind)
            .then(sa.code_order.cmp(&sb.code_order))
            .then_with(|| self.text(self.shown[a].code).cmp(self.text(self.shown[b].code)))
    }

    fn scan(
        &self,
        who: &Principal,
        query: &Query,
        terms: &Terms,
        limit: usize,
        candidates: impl Iterator<Item = u32>,
    ) -> Part {
        let scorer = Scorer::default();
        let mut part = Part { total: 0, matches: Vec::new(), top: Top { limit, items: Vec::new(), bar: None } };
        let mut judged: Vec<Judged> = Vec::with_capacity(terms.terms.len());
        for index in candidates {
            let s = &self.slots[index as usize];
            if !passes_filters(s, query) {
                continue;
            }
            if terms.terms.is_empty() {
                part.total += 1;
                part.top.offer(self, index, UNSCORED, || 0, || 0);
                continue;
            }
            let (key, _) = self.key_for(who, s);
            let Some(class) = terms.judge(self, key, s, &mut judged) else { continue };
            part.total += 1;
            part.matches.push(index);
            if limit == 0 {
                continue;
            }
            let hay = self.key(key);
            let class = if self.code_key(s.code_key) == query.text {
                class_of(EXACT_CODE, s.kind)
            } else {
                class_of(class, s.kind)
            };
            part.top.offer(
                self,
                index,
                class,
                || terms.score(&scorer, hay, &judged),
                || terms.bound(hay, key.places, &judged),
            );
        }
        part
    }
}

/// A query's words as the scan uses them, prepared once per search.
struct Terms {
    terms: Vec<Term>,
}

struct Term {
    word: Word,
    mask: u64,
    ascii: bool,
    /// Has a word break (a code, "f-2024"): a prefix of the whole key only.
    breaks: bool,
    pattern: Vec<(char, u64)>,
    comuni: Option<Vec<ComuneCode>>,
    /// The vocabulary's words it matches (none for a word without a sound).
    heard: Hearing,
}

/// How a word of the query matched an entry: what scores and highlights it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum How {
    /// Its characters are in the key, in order: SkimMatcherV2 scores them.
    Skimmed,
    /// By sound or with a wrong letter, in one of the key's words.
    Heard(Heard),
    /// Only by the comune it names, the entry's: ranked as a sound, scoring nothing.
    Comune,
}

/// A word's quality in an entry, and how it matched.
type Judged = (Quality, How);

impl Terms {
    fn of(index: &SearchIndex, query: &Query) -> Terms {
        let terms = query
            .words
            .iter()
            .map(|w| Term {
                mask: mask_of(w.text.as_bytes()),
                ascii: w.text.is_ascii(),
                breaks: w.text.bytes().any(|b| WORD_BREAKS.contains(&b)),
                pattern: pattern(&w.text),
                comuni: w.comuni.clone(),
                heard: index.vocabulary.hear(w),
                word: w.clone(),
            })
            .collect();
        Terms { terms }
    }

    /// The worst quality of the words in the entry's `key` (None: a word does
    /// not match); `judged` gets each word's quality and how it matched.
    fn judge(&self, index: &SearchIndex, key: Key, s: &Slot, judged: &mut Vec<Judged>) -> Option<Quality> {
        judged.clear();
        let mut worst = EXACT;
        for t in &self.terms {
            let one = t.judge(index, key, s)?;
            worst = worst.max(one.0);
            judged.push(one);
        }
        Some(worst)
    }

    /// The entry's score: each word's, summed (SkimMatcherV2's for a word in
    /// the key, agreement for a sound or a wrong letter, 0 for a comune named).
    fn score(&self, scorer: &Scorer, hay: &str, judged: &[Judged]) -> i64 {
        let each = self.terms.iter().zip(judged);
        each.map(|(t, &(_, how))| word_score(how, || scorer.score(hay, &t.word.text))).sum()
    }

    /// No score of the entry is higher: the score, with each skimmed word's bound in place of its score.
    fn bound(&self, hay: &str, places: Places, judged: &[Judged]) -> i64 {
        let each = self.terms.iter().zip(judged);
        each.map(|(t, &(_, how))| word_score(how, || bound(hay, places, &t.pattern))).sum()
    }

    /// The characters of the key that matched, for highlighting: each word's
    /// in order where its characters are in the key, the whole key word it
    /// was heard in otherwise.
    fn positions(&self, index: &SearchIndex, scorer: &Scorer, key: Key, s: &Slot) -> Vec<u32> {
        let hay = index.key(key);
        let mut judged = Vec::new();
        if self.judge(index, key, s, &mut judged).is_none() {
            return Vec::new();
        }
        let mut all = Vec::new();
        for (t, &(_, how)) in self.terms.iter().zip(&judged) {
            match how {
                How::Skimmed => all.extend(scorer.positions(hay, &t.word.text)),
                How::Heard(heard) => all.extend(heard_at(hay, scorer, &t.word, heard)),
                How::Comune => {}
            }
        }
        all.sort_unstable();
        all.dedup();
        all
    }
}

impl Term {
    /// How this word matches the entry's `key`, best first: an exact word or
    /// a prefix, a sound, the comune it names, a wrong letter, its letters in order.
    fn judge(&self, index: &SearchIndex, key: Key, s: &Slot) -> Option<Judged> {
        let heard = self.heard_in(index.ids(key));
        if heard.quality <= PREFIX {
            return Some((heard.quality, How::Skimmed));
        }
        let hay = index.key(key);
        let text = self.word.text.as_str();
        let subsequence = key.mask & self.mask == self.mask
            && is_subsequence(text.as_bytes(), hay.as_bytes())
            && (self.ascii || is_char_subsequence(text, hay));
        if subsequence && (hay.starts_with(text) || (!self.breaks && starts_a_word(hay, text))) {
            return Some((PREFIX, How::Skimmed));
        }
        if heard.quality == SOUND {
            return Some((SOUND, How::Heard(heard)));
        }
        if s.kind != HitKind::Comune && self.comuni.as_ref().is_some_and(|c| s.comune.is_some_and(|x| c.contains(&x))) {
            return Some((SOUND, How::Comune));
        }
        if heard.quality != NONE {
            return Some((heard.quality, How::Heard(heard)));
        }
        // A word that names a comune ("ponte san pietro") is that comune, or
        // a word of the text: its letters scattered in another name are noise.
        (subsequence && self.comuni.is_none()).then_some((FUZZY, How::Skimmed))
    }

    /// The best it was heard in among the key's words (`ids`).
    fn heard_in(&self, ids: &[u32]) -> Heard {
        if self.heard.is_empty() {
            return Heard::NOT;
        }
        ids.iter().fold(Heard::NOT, |best, &id| best.better(self.heard.of(id)))
    }
}

/// Where in `hay` a word heard as `heard` is: the letters typed where they
/// are in the key's word ("nicolo" in "Niccolò"), or all of it.
fn heard_at(hay: &str, scorer: &Scorer, word: &Word, heard: Heard) -> Vec<u32> {
    let found = heard_words(hay).into_iter().find(|(_, w)| {
        let w = bare(w);
        judge(word, &w, &sound(&w)) == heard
    });
    let Some((start, w)) = found else { return Vec::new() };
    let typed = scorer.positions(w, &word.text);
    if typed.is_empty() {
        (start as u32..(start + w.chars().count()) as u32).collect()
    } else {
        typed.into_iter().map(|i| start as u32 + i).collect()
    }
}

/// A word's score in an entry: `skim` (SkimMatcherV2's score or its bound)
/// for a word in the key, how much agrees for a sound or a wrong letter, 0
/// for a comune named.
fn word_score(how: How, skim: impl FnOnce() -> i64) -> i64 {
    match how {
        How::Skimmed => skim(),
        How::Heard(heard) => heard.score(),
        How::Comune => 0,
    }
}

/// Does `text` (no word break in it) start one of the words of `hay` after the first?
fn starts_a_word(hay: &str, text: &str) -> bool {
    let h = hay.as_bytes();
    hay.match_indices(text).any(|(i, _)| i > 0 && WORD_BREAKS.contains(&h[i - 1]))
}

/// What one thread found.
struct Part {
    total: usize,
    matches: Vec<u32>,
    top: Top,
}

#[derive(Debug, Clone, Copy)]
struct Found {
    index: u32,
    /// 0 exact code, 1 prefix of the label or of one of its words, 2 fuzzy.
    class: u8,
    score: i64,
}

/// The best `limit` seen so far, among at most twice as many; `bar` is one
/// of them with at least `limit` as good: a candidate not better than it
/// cannot be among the best, and is not scored when its class or the bound
/// of its score already says so.
struct Top {
    limit: usize,
    items: Vec<Found>,
    bar: Option<Found>,
}

impl Top {
    /// A candidate of `class`: `bound` is no lower than `score`, and cheaper.
    fn offer(
        &mut self,
        index: &SearchIndex,
        at: u32,
        class: u8,
        score: impl FnOnce() -> i64,
        bound: impl FnOnce() -> i64,
    ) {
        if self.limit == 0 {
            return;
        }
        if let Some(bar) = self.bar {
            match class.cmp(&bar.class) {
                Ordering::Greater => return,
                Ordering::Equal => {
                    let best = bound();
                    if best < bar.score || (best == bar.score && index.tie(at, bar.index) == Ordering::Greater) {
                        return;
                    }
                }
                Ordering::Less => {}
            }
        }
        let found = Found { index: at, class, score: score() };
        if let Some(bar) = self.bar {
            if index.order(&found, &bar) != Ordering::Less {
                return;
            }
        }
        self.items.push(found);
        if self.items.len() == 2 * self.limit {
            self.items.select_nth_unstable_by(self.limit - 1, |a, b| index.order(a, b));
            self.items.truncate(self.limit);
            self.bar = Some(self.items[self.limit - 1]);
        } else if self.bar.is_none() && self.items.len() == self.limit {
            self.bar = self.items.iter().copied().max_by(|a, b| index.order(a, b));
        }
    }
}

fn passes_filters(s: &Slot, q: &Query) -> bool {
    q.kind.is_none_or(|k| s.kind == k)
        && q.statuses.as_ref().is_none_or(|st| s.status.is_some_and(|t| st.contains(&t.token())))
        && q.service.is_none_or(|sv| s.service == Some(sv))
        && q.comuni.as_ref().is_none_or(|c| s.kind != HitKind::Comune && s.comune.is_some_and(|x| c.contains(&x)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use fuzzy_matcher::skim::SkimMatcherV2;
    use fuzzy_matcher::FuzzyMatcher;

    const SURNAMES: &[&str] = &["Rossi", "Colombo", "Brambilla", "Fumagalli", "Ricci", "Villa", "De Luca", "Rota"];
    const NAMES: &[&str] = &["Giulia", "Marco", "Niccolò", "Anna", "Luca", "Sara", "Rosa", "Fabio"];

    fn who(role: Role, service: Option<u32>) -> Principal {
        Principal { user: "u".into(), display_name: "U".into(), role, service: service.map(ServiceCode) }
    }

    /// Comuni, and thousands of families and needs with names drawn in turn.
    fn index(families: usize) -> SearchIndex {
        let mut index = SearchIndex::default();
        index.add_comuni(Comuni::embedded());
        let mut seed = 7u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for i in 0..families {
            let (kind, code, audience) = if i % 5 == 4 {
                (HitKind::Need, format!("R-{}-{:04}", 2020 + i % 6, i / 6), Audience::Child)
            } else {
                (HitKind::Family, format!("F-{}-{:04}", 2019 + i % 7, i / 7), Audience::Family)
            };
            let person = |next: &mut dyn FnMut(usize) -> usize| {
                format!("{} {}", NAMES[next(NAMES.len())], SURNAMES[next(SURNAMES.len())])
            };
            let private = format!("{code} {}, {}", person(&mut next), person(&mut next));
            let service = ServiceCode(1 + (i % 3) as u32);
            let status = Some(["approved", "enquiring", "open"][i % 3]);
            let shown = (code.clone(), code.clone());
            index.add(
                kind,
                shown.0,
                &code,
                shown.1,
                Some((private, audience, service)),
                Some(service),
                status,
                None,
                String::new(),
            );
        }
        index
    }

    /// The best `limit` the plain way: every word of the query judged
    /// against every word of every key (no vocabulary), every entry scored
    /// by a fresh matcher, all sorted.
    fn reference(index: &SearchIndex, who: &Principal, query: &Query, limit: usize) -> (Vec<String>, u32) {
        let mut all = Vec::new();
        'entries: for (i, s) in index.slots.iter().enumerate() {
            if !passes_filters(s, query) {
                continue;
            }
            let (key, _) = index.key_for(who, s);
            let hay = index.key(key);
            let (mut worst, mut score) = (EXACT, 0);
            for w in &query.words {
                let heard = heard_words(hay).into_iter().fold(Heard::NOT, |best, (_, kw)| {
                    let kw = bare(kw);
                    best.better(judge(w, &kw, &sound(&kw)))
                });
                let skim = SkimMatcherV2::default().fuzzy_match(hay, &w.text);
                let starts = hay.starts_with(&w.text)
                    || (!w.text.contains(['-', ' ', '(', ',', '.', '\''])
                        && hay.split([' ', '-', '(', ',', '.', '\'']).skip(1).any(|k| k.starts_with(&w.text)));
                let in_comune = s.kind != HitKind::Comune
                    && w.comuni.as_ref().is_some_and(|c| s.comune.is_some_and(|x| c.contains(&x)));
                let (quality, points) = if heard.quality <= PREFIX {
                    (heard.quality, skim.expect("a word of the key holds it"))
                } else if let Some(skim) = skim.filter(|_| starts) {
                    (PREFIX, skim)
                } else if heard.quality == SOUND {
                    (SOUND, heard.score())
                } else if in_comune {
                    (SOUND, 0)
                } else if heard.quality != NONE {
                    (heard.quality, heard.score())
                } else if let Some(skim) = skim.filter(|_| w.comuni.is_none()) {
                    (FUZZY, skim)
                } else {
                    continue 'entries;
                };
                worst = worst.max(quality);
                score += points;
            }
            let class = if query.words.is_empty() {
                UNSCORED
            } else if index.code_key(s.code_key) == query.text {
                class_of(EXACT_CODE, s.kind)
            } else {
                class_of(worst, s.kind)
            };
            all.push((class, -score, s.kind, index.text(index.shown[i].code).to_string()));
        }
        let total = all.len() as u32;
        all.sort();
        (all.into_iter().take(limit).map(|(_, _, _, code)| code).collect(), total)
    }

    #[test]
    fn entries_replaced_until_their_old_text_is_compacted_away_show_and_find_what_they_are_now() {
        let mut index = SearchIndex::default();
        let service = ServiceCode(1);
        let add = |index: &mut SearchIndex, i: usize, round: usize| {
            let code = format!("F-2025-{i:04}");
            let private = format!("{code} Anna Rossi{round}");
            let private = Some((private, Audience::Family, service));
            index.add(
                HitKind::Family,
                code.clone(),
                &code,
                code.clone(),
                private,
                Some(service),
                None,
                None,
                String::new(),
            );
        };
        // An operator's label is not their code, and their code is long: kept by text.
        let user = "a-very-long-operator-name".to_string();
        let label = format!("{user} Anna Operatrice");
        index.add(HitKind::Operator, user.clone(), &user, label.clone(), None, None, None, None, "operatore".into());
        // About 3 MiB of keys and as much text written in all.
        for round in 0..100 {
            for i in 0..1_000 {
                add(&mut index, i, round);
            }
        }
        assert!(index.keys.len() < 2 << 20, "the replaced keys were compacted away: {}", index.keys.len());
        assert!(index.texts.len() < 2 << 20, "the replaced texts were compacted away: {}", index.texts.len());
        assert_eq!(index.len(), 1_001);
        let labels: Vec<&str> = index.labels().collect();
        assert_eq!(labels[0], label);
        assert_eq!(labels[1], "F-2025-0000 Anna Rossi99");
        assert_eq!(labels[1_000], "F-2025-0999 Anna Rossi99");
        // The family's own service sees its names.
        let reader = who(Role::Operator, Some(1));
        let comuni = Comuni::embedded();
        for (q, code, shown) in [
            ("F-2025-0123", "F-2025-0123", "F-2025-0123 Anna Rossi99"),
            ("a-very-long-operator-name", user.as_str(), label.as_str()),
        ] {
            let r = index.search(&reader, &crate::search::parse(q, comuni).unwrap(), 1);
            assert_eq!((r.hits[0].code.as_str(), r.hits[0].label.as_str()), (code, shown), "{q}");
        }
        assert_eq!(
            index.search(&reader, &crate::search::parse("operatrice", comuni).unwrap(), 5).hits[0].detail,
            "operatore"
        );
    }

    /// A family of one adult, replacing any of the same code.
    fn put_family(index: &mut SearchIndex, code: &str, adult: &str) {
        let private = Some((format!("{code} {adult}"), Audience::Family, ServiceCode(1)));
        let family = (HitKind::Family, code.to_string(), code.to_string());
        index.add(family.0, family.1, code, family.2, private, Some(ServiceCode(1)), None, None, String::new());
    }

    /// A surname of letters only for each number (below 26⁴): "Cognomeaaaa", "Cognomebaaa"…
    fn surname(n: usize) -> String {
        let letter = |place: u32| (b'a' + (n / 26usize.pow(place) % 26) as u8) as char;
        format!("Cognome{}", (0..4).map(letter).collect::<String>())
    }

    #[test]
    fn the_words_of_replaced_names_leave_the_vocabulary_when_the_keys_are_compacted() {
        let mut index = SearchIndex::default();
        // 1 000 families, each renamed 60 times: about 3 MiB of keys written, 60 000 surnames.
        for round in 0..60 {
            for i in 0..1_000 {
                put_family(&mut index, &format!("F-2025-{i:04}"), &format!("Anna {}", surname(round * 1_000 + i)));
            }
        }
        // Compacted at least once: what is left is the words of the names now, and those of
        // the renames since (fewer than half the keys), not every surname ever written.
        assert!(index.vocabulary.len() < 35_000, "{} words kept", index.vocabulary.len());
        assert_eq!(index.vocabulary.id_of(&surname(0).to_lowercase()), None, "a name of the first round");
        let reader = who(Role::Operator, Some(1));
        let now = crate::search::parse(&surname(59_123), Comuni::embedded()).unwrap();
        assert_eq!(index.search(&reader, &now, 1).hits[0].code, "F-2025-0123", "the name now");
    }

    #[test]
    fn a_code_is_compared_whole_and_gives_the_vocabulary_no_words() {
        let mut index = SearchIndex::default();
        let user = "mario.rossi-bergamo".to_string();
        let label = format!("{user} Mario Rossi");
        index.add(HitKind::Operator, user.clone(), &user, label, None, None, None, None, "operatore".into());
        // The label's words only: mario, rossi, bergamo (once each).
        assert_eq!(index.word_ids.len(), 3);
        assert_eq!(index.vocabulary.len(), 3);
    }

    #[test]
    fn a_change_of_the_bank_forgets_every_users_searches_not_only_the_next_searchers() {
        let mut index = index(100);
        let comuni = Comuni::embedded();
        for user in ["anna", "bruno", "carla"] {
            let reader = Principal { user: user.into(), ..who(Role::Admin, None) };
            for q in ["r", "ro", "ros"] {
                index.search(&reader, &crate::search::parse(q, comuni).unwrap(), 5);
            }
        }
        assert_eq!(index.last.lock().unwrap().len(), 3);
        put_family(&mut index, "F-2025-9999", "Ugo Rota");
        assert!(index.last.lock().unwrap().is_empty(), "no user's chain outlives the change");
    }

    #[test]
    fn a_word_keeps_only_the_judgements_of_the_words_it_matches() {
        let index = index(2_000);
        let query = crate::search::parse("rossi", Comuni::embedded()).unwrap();
        let heard = index.vocabulary.hear(&query.words[0]);
        // Rossi, and the comuni it is heard in ("Rossiglione"…): a handful of thousands of words.
        assert!(index.vocabulary.len() > 5_000);
        assert!(!heard.is_empty() && heard.len() < 100, "{} judgements kept", heard.len());
        assert_eq!(heard.of(index.vocabulary.id_of("rossi").unwrap()).quality, EXACT);
        assert_eq!(heard.of(index.vocabulary.id_of("villa").unwrap()).quality, NONE);
    }

    #[test]
    fn the_best_are_those_of_scoring_and_sorting_everything_narrowed_or_not_on_any_number_of_threads() {
        // Comuni and 9 000 records: two threads or more.
        let index = index(9_000);
        let comuni = Comuni::embedded();
        let people = [who(Role::Admin, None), who(Role::Coordinator, None), who(Role::Operator, Some(2))];
        let typed = [
            "r",
            "ro",
            "ros",
            "rossi",
            "ros",
            "f",
            "f-",
            "f-202",
            "f-2024-0",
            "o",
            "os",
            "osio",
            "ni",
            "nicolo",
            "rosi",
            "ricci giulia",
            "kolombo",
            "bramblla",
            "fumagali",
            "de luca marco",
            "dl",
            "vila",
            "rotta",
        ];
        let filtered =
            ["kind:famiglia ri", "kind:famiglia ricc", "stato:idonea co", "servizio:S-002 lu", "stato:idonea"];
        for who in &people {
            let limits: &[usize] = if who.role == Role::Admin { &[0, 1, 20, 500] } else { &[1, 20] };
            for &limit in limits {
                for (i, q) in typed.iter().chain(&filtered).enumerate() {
                    let query = crate::search::parse(q, comuni).unwrap();
                    let r = index.search(who, &query, limit);
                    let codes: Vec<String> = r.hits.iter().map(|h| h.code.clone()).collect();
                    assert_eq!((codes, r.total), reference(&index, who, &query, limit), "{:?} {q:?} {limit}", who.role);
                    // Typed on, or back to a query typed before (the second "ros"); not when a
                    // word reaches the length that forgives a wrong letter ("rossi", "osio").
                    let narrowed = ["ro", "ros", "f-", "f-202", "f-2024-0", "os", "kind:famiglia ricc"];
                    assert_eq!(r.narrowed, i > 0 && narrowed.contains(q), "{q:?}");
                }
            }
        }
    }
}
