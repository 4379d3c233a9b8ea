//! Lists travel by pages: a page of records and where the next one starts.

use serde::{Deserialize, Serialize};

/// Where the next page of a list starts: just after this key, in the
/// list's own order (the last record the previous page looked at). Opaque
/// to clients, which send back what they were given; the bank only ever
/// uses it as the bound of a range, so no value can do harm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor(Vec<u8>);

impl Cursor {
    pub(crate) fn at(key: &[u8]) -> Cursor {
        Cursor(key.to_vec())
    }

    pub(crate) fn key(&self) -> &[u8] {
        &self.0
    }
}

/// One page of a list, in the list's order (key order; newest first for
/// proposals, placements and the audit log), and where the next one starts
/// (`None`: this was the last). A page may hold fewer records than asked,
/// even none, and still have a next one: the bank stops after so many
/// records looked at or so many bytes built. No total: counting the
/// matches would mean walking the whole list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<Cursor>,
}

impl<T> Page<T> {
    /// A whole list in one page (tests, in-process callers).
    pub fn whole(items: Vec<T>) -> Page<T> {
        Page { items, next: None }
    }
}

/// A page reads as its records.
impl<T> std::ops::Deref for Page<T> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        &self.items
    }
}

impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a Page<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}
