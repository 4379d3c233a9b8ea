//! The search index: one entry per family, need, comune, service and
//! operator, with its label folded once. Kept by the bank in memory and
//! updated under its write lock after every commit.

use std::collections::HashMap;
use std::sync::Mutex;

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use serde::{Deserialize, Serialize};

use super::fold::{fold, is_subsequence};
use super::query::{HitKind, Query};
use crate::access::{self, Operation, Subject};
use crate::bank::Principal;
use crate::model::*;

/// A text shown in a hit, with its key: one folded character per character.
#[derive(Debug, Clone)]
struct Label {
    text: String,
    key: String,
}

impl Label {
    fn new(text: String) -> Label {
        let key = fold(&text);
        Label { text, key }
    }
}

/// Whose identity a private label shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Audience {
    Family,
    Child,
}

#[derive(Debug, Clone)]
struct Entry {
    kind: HitKind,
    code: String,
    code_key: String,
    /// What anyone who may see the record finds it by: its code, a comune's or service's name.
    public: Label,
    /// The same with names only some may see (reference adults, the child).
    private: Option<(Label, Audience, ServiceCode)>,
    service: Option<ServiceCode>,
    status: Option<&'static str>,
    comune: Option<ComuneCode>,
    /// The service's name, a comune's region, an operator's role: shown after the label.
    detail: String,
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

/// The last search of each user, so a query typed on searches only what the
/// one before it found. Forgotten at every change of the bank.
struct Last {
    query: Query,
    generation: u64,
    matches: Vec<u32>,
}

#[derive(Default)]
pub struct SearchIndex {
    entries: Vec<Entry>,
    by_code: HashMap<String, usize>,
    generation: u64,
    last: Mutex<HashMap<String, Last>>,
}

/// Above this many candidates the scan is split over two threads.
const PARALLEL_FROM: usize = 40_000;

impl SearchIndex {
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn upsert(&mut self, e: Entry) {
        self.generation += 1;
        match self.by_code.get(&e.code) {
            Some(i) => self.entries[*i] = e,
            None => {
                self.by_code.insert(e.code.clone(), self.entries.len());
                self.entries.push(e);
            }
        }
    }

    pub fn add_comuni(&mut self, comuni: &Comuni) {
        for c in comuni.iter() {
            let code = c.code.to_string();
            self.upsert(Entry {
                kind: HitKind::Comune,
                code_key: code.clone(),
                public: Label::new(format!("{} ({}) {}", c.name, c.province, code)),
                code,
                private: None,
                service: None,
                status: None,
                comune: Some(c.code),
                detail: c.region.clone(),
            });
        }
    }

    pub fn upsert_family(&mut self, f: &Family) {
        let code = f.code.to_string();
        let names: Vec<&str> = f.identity.adults.iter().map(|a| a.name.as_str()).collect();
        self.upsert(Entry {
            kind: HitKind::Family,
            code_key: fold(&code),
            public: Label::new(code.clone()),
            private: Some((Label::new(format!("{code} {}", names.join(", "))), Audience::Family, f.service)),
            code,
            service: Some(f.service),
            status: Some(f.profile.status.token()),
            comune: Some(f.profile.comune),
            detail: String::new(),
        });
    }

    pub fn upsert_need(&mut self, n: &Need) {
        let code = n.code.to_string();
        let id = &n.identity;
        self.upsert(Entry {
            kind: HitKind::Need,
            code_key: fold(&code),
            public: Label::new(code.clone()),
            private: Some((
                Label::new(format!("{code} {} {}", id.given_name, id.family_name)),
                Audience::Child,
                n.service,
            )),
            code,
            service: Some(n.service),
            status: Some(n.placement.status.token()),
            comune: Some(n.placement.comune),
            detail: String::new(),
        });
    }

    pub fn upsert_service(&mut self, s: &Service) {
        let code = s.code.to_string();
        self.upsert(Entry {
            kind: HitKind::Service,
            code_key: fold(&code),
            public: Label::new(format!("{code} {}", s.details.name)),
            code,
            private: None,
            service: Some(s.code),
            status: None,
            comune: None,
            detail: s.details.phone.clone(),
        });
    }

    pub fn upsert_operator(&mut self, o: &Operator) {
        self.upsert(Entry {
            kind: HitKind::Operator,
            code_key: fold(&o.user),
            public: Label::new(format!("{} {}", o.user, o.details.display_name)),
            code: o.user.clone(),
            private: None,
            service: o.details.service,
            status: None,
            comune: None,
            detail: o.details.role.token().to_string(),
        });
    }

    /// The best `limit` records for `query` that `who` may find, best first:
    /// exact codes, then prefixes, then by fuzzy score; ties by code.
    pub fn search(&self, who: &Principal, query: &Query, limit: usize) -> SearchResult {
        let earlier = {
            let last = self.last.lock().unwrap_or_else(|p| p.into_inner());
            last.get(&who.user)
                .filter(|l| l.generation == self.generation && query.narrows(&l.query))
                .map(|l| l.matches.clone())
        };
        let narrowed = earlier.is_some();
        let n = earlier.as_ref().map_or(self.entries.len(), Vec::len);
        let pick = |i: usize| earlier.as_ref().map_or(i as u32, |m| m[i]);
        let mut found = if n >= PARALLEL_FROM {
            std::thread::scope(|s| {
                let other = s.spawn(|| self.scan(who, query, (0..n / 2).map(pick)));
                let mut mine = self.scan(who, query, (n / 2..n).map(pick));
                let mut theirs = other.join().unwrap_or_default();
                theirs.append(&mut mine);
                theirs
            })
        } else {
            self.scan(who, query, (0..n).map(pick))
        };
        let total = found.len() as u32;
        if !query.text.is_empty() {
            let mut matches: Vec<u32> = found.iter().map(|m| m.index).collect();
            matches.sort_unstable();
            let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
            last.insert(who.user.clone(), Last { query: query.clone(), generation: self.generation, matches });
        }

        let order = |a: &Found, b: &Found| {
            a.class.cmp(&b.class).then(b.score.cmp(&a.score)).then_with(|| {
                let (ea, eb) = (&self.entries[a.index as usize], &self.entries[b.index as usize]);
                ea.kind.cmp(&eb.kind).then(ea.code.cmp(&eb.code))
            })
        };
        if found.len() > limit && limit > 0 {
            found.select_nth_unstable_by(limit - 1, order);
            found.truncate(limit);
        }
        found.truncate(limit);
        found.sort_by(order);
        let matcher = SkimMatcherV2::default();
        let hits = found
            .into_iter()
            .map(|m| {
                let e = &self.entries[m.index as usize];
                let (label, identity) = self.label_for(who, e);
                let matched = if query.text.is_empty() {
                    vec![]
                } else {
                    matcher
                        .fuzzy_indices(&label.key, &query.text)
                        .map(|(_, idx)| idx.into_iter().map(|i| i as u32).collect())
                        .unwrap_or_default()
                };
                Hit {
                    kind: e.kind,
                    code: e.code.clone(),
                    label: label.text.clone(),
                    matched,
                    comune: e.comune,
                    status: e.status.map(str::to_string),
                    service: e.service,
                    detail: e.detail.clone(),
                    identity,
                }
            })
            .collect();
        SearchResult { hits, total, narrowed }
    }

    /// The label `who` may see: with names only when allowed.
    fn label_for<'a>(&self, who: &Principal, e: &'a Entry) -> (&'a Label, bool) {
        match &e.private {
            Some((label, audience, owner)) => {
                let subject = match audience {
                    Audience::Family => Subject::Family,
                    Audience::Child => Subject::Need,
                };
                if access::allowed(who, Operation::ReadIdentity, subject, Some(*owner)) {
                    (label, true)
                } else {
                    (&e.public, false)
                }
            }
            None => (&e.public, false),
        }
    }

    fn scan(&self, who: &Principal, query: &Query, candidates: impl Iterator<Item = u32>) -> Vec<Found> {
        let matcher = SkimMatcherV2::default();
        let text = query.text.as_bytes();
        let mut out = Vec::new();
        for index in candidates {
            let e = &self.entries[index as usize];
            if !passes_filters(e, query) {
                continue;
            }
            if text.is_empty() {
                out.push(Found { index, class: 2, score: 0 });
                continue;
            }
            let (label, _) = self.label_for(who, e);
            if !is_subsequence(text, label.key.as_bytes()) {
                continue;
            }
            let Some(score) = matcher.fuzzy_match(&label.key, &query.text) else { continue };
            let class = if e.code_key == query.text {
                0
            } else if label.key.starts_with(&query.text)
                || label.key.split([' ', '-', '(', ',', '.', '\'']).any(|w| w.starts_with(&query.text))
            {
                1
            } else {
                2
            };
            out.push(Found { index, class, score });
        }
        out
    }
}

struct Found {
    index: u32,
    /// 0 exact code, 1 prefix of the label or of one of its words, 2 fuzzy.
    class: u8,
    score: i64,
}

fn passes_filters(e: &Entry, q: &Query) -> bool {
    q.kind.is_none_or(|k| e.kind == k)
        && q.statuses.as_ref().is_none_or(|s| e.status.is_some_and(|t| s.contains(&t)))
        && q.service.is_none_or(|s| e.service == Some(s))
        && q.comuni.as_ref().is_none_or(|c| e.kind != HitKind::Comune && e.comune.is_some_and(|x| c.contains(&x)))
}
