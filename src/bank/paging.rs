//! Lists by pages: each list request walks its tree (or index) in key order
//! from just after the cursor it was given, and stops when the page is full
//! — so many records kept, so many bytes built, or so many records looked
//! at — giving the key it stopped at as the next page's cursor.
//!
//! Key order keeps pages stable while others write: a record added or
//! removed between two pages is on one side of the cursor, so it never
//! makes another repeated or skipped.

use std::ops::Bound;

use crate::store::Bytes as IVec;
use serde::Serialize;

use crate::store::{StoreError, TreeId};

use super::{Bank, BankConfig, BankError, Cursor, Page};

/// Records a page may hold at most, whatever the client asks.
pub const PAGE_SIZE: usize = 1000;
/// Bytes a page may take on the wire, about: the page closes once past it.
pub const PAGE_BYTES: usize = 1 << 20;
/// Records looked at per record a page may hold: a filter that keeps few
/// records answers with a short page (maybe empty) and a cursor, rather
/// than walking a whole bank in one request.
const LOOKED_PER_RECORD: usize = 20;

/// Which way a list walks its keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Order {
    /// Smallest key first (codes: oldest first).
    Up,
    /// Newest first (proposals, placements, the audit log).
    Down,
}

/// A page being filled.
pub(super) struct Pager<T> {
    items: Vec<T>,
    size: usize,
    bytes: usize,
    max_bytes: usize,
    looked: usize,
    max_looked: usize,
    last: Option<IVec>,
    /// Counting (`Request::Count`): nothing is kept, the walk never stops early.
    counting: bool,
    kept: u64,
}

impl<T: Serialize> Pager<T> {
    /// A page of `asked` records, never more than the bank's page size.
    pub(super) fn new(config: &BankConfig, asked: Option<usize>) -> Pager<T> {
        let size = asked.unwrap_or(config.page_size).clamp(1, config.page_size.max(1));
        Pager {
            items: Vec::new(),
            size,
            bytes: 0,
            max_bytes: config.page_bytes.max(1),
            looked: 0,
            max_looked: size.saturating_mul(LOOKED_PER_RECORD),
            last: None,
            counting: false,
            kept: 0,
        }
    }

    /// A walk that only counts what it would keep, over the whole list.
    pub(super) fn counting() -> Pager<T> {
        Pager {
            items: Vec::new(),
            size: usize::MAX,
            bytes: 0,
            max_bytes: usize::MAX,
            looked: 0,
            max_looked: usize::MAX,
            last: None,
            counting: true,
            kept: 0,
        }
    }

    /// The most records the page will look at (a count: all of them).
    pub(super) fn most_looked(&self) -> usize {
        self.max_looked
    }

    /// The records kept (counted) so far.
    pub(super) fn kept(&self) -> u64 {
        self.kept
    }

    /// One record looked at, kept when `build` is some, which builds it
    /// only when the page holds records (a count builds none). False once
    /// the page is full.
    pub(super) fn look_with<E>(&mut self, key: IVec, build: Option<impl FnOnce() -> Result<T, E>>) -> Result<bool, E> {
        if self.counting {
            self.looked += 1;
            self.kept += u64::from(build.is_some());
            return Ok(true);
        }
        let item = match build {
            Some(build) => Some(build()?),
            None => None,
        };
        Ok(self.look(key, item))
    }

    /// One record looked at, under `key`, and kept when `item` is some.
    /// False once the page is full: look no further.
    pub(super) fn look(&mut self, key: IVec, item: Option<T>) -> bool {
        self.looked += 1;
        if self.counting {
            self.kept += u64::from(item.is_some());
            return true;
        }
        self.last = Some(key);
        if let Some(item) = item {
            self.kept += 1;
            self.bytes += encoded_len(&item);
            self.items.push(item);
        }
        self.items.len() < self.size && self.bytes < self.max_bytes && self.looked < self.max_looked
    }

    /// The records kept so far (to complete them before the page goes out).
    pub(super) fn items_mut(&mut self) -> &mut Vec<T> {
        &mut self.items
    }

    /// The page, stopped before the end: the next starts after the last key looked at.
    pub(super) fn stopped(self) -> Page<T> {
        Page { next: self.last.map(|k| Cursor::at(&k)), items: self.items }
    }

    /// The list's last page.
    pub(super) fn finished(self) -> Page<T> {
        Page { items: self.items, next: None }
    }

    /// The page: `stopped` when the walk ended early (`full`), else `finished`.
    pub(super) fn page(self, full: bool) -> Page<T> {
        if full {
            self.stopped()
        } else {
            self.finished()
        }
    }
}

/// The bytes `item` takes encoded, as a frame will carry it.
fn encoded_len<T: Serialize>(item: &T) -> usize {
    bincode::serde::encode_into_std_write(item, &mut std::io::sink(), bincode::config::standard()).unwrap_or(0)
}

type Entry = Result<(IVec, IVec), StoreError>;

impl Bank {
    /// A tree's records from just after `after`, in `order`, raw.
    pub(super) fn entries_after(
        &self,
        tree: TreeId,
        after: Option<&Cursor>,
        order: Order,
    ) -> Box<dyn Iterator<Item = Entry> + '_> {
        let t = self.store.tree(tree);
        let iter = match (after, order) {
            (None, _) => t.iter(),
            (Some(c), Order::Up) => t.range::<&[u8], _>((Bound::Excluded(c.key()), Bound::Unbounded)),
            (Some(c), Order::Down) => t.range::<&[u8], _>((Bound::Unbounded, Bound::Excluded(c.key()))),
        };
        let iter = iter.map(|kv| kv.map_err(StoreError::from));
        match order {
            Order::Up => Box::new(iter),
            Order::Down => Box::new(iter.rev()),
        }
    }

    /// Record keys under one value of an index, in key order, from just after `after`.
    pub(super) fn index_keys_after(
        &self,
        index: TreeId,
        kind: u8,
        value: &[u8],
        after: Option<&Cursor>,
    ) -> impl Iterator<Item = Result<IVec, StoreError>> + '_ {
        let prefix = crate::store::index_key_prefix(kind, value);
        let skip = prefix.len();
        let from = match after {
            Some(c) => Bound::Excluded([prefix.as_slice(), c.key()].concat()),
            None => Bound::Included(prefix.clone()),
        };
        self.store
            .tree(index)
            .range::<Vec<u8>, _>((from, Bound::Unbounded))
            .take_while(move |kv| kv.as_ref().map_or(true, |(k, _)| k.starts_with(&prefix)))
            .map(move |kv| {
                let (k, _) = kv?;
                Ok(k.subslice(skip, k.len() - skip))
            })
    }
}

/// A record of `tree` decoded, or the store's word on why not.
pub(super) fn decoded<T: crate::store::Versioned>(tree: TreeId, kv: Entry) -> Result<(IVec, u64, T), BankError> {
    let (k, v) = kv?;
    let (revision, record) = crate::store::decode_at(tree, &k, &v)?;
    Ok((k, revision, record))
}

impl Bank {
    /// `Request::Count`: the records the list would give over all its
    /// pages, through the same walk (so the same access rules and filters);
    /// none is built, and the walk does not stop at a page's size.
    pub(super) fn count(&self, who: &super::Principal, of: &super::Counted) -> Result<u64, BankError> {
        use super::Counted;
        match of {
            Counted::Families(filter) => self.count_families(who, filter),
            Counted::Needs(filter) => self.count_needs(who, filter),
            Counted::Proposals(filter) => self.count_proposals(who, filter),
            Counted::Placements(filter) => self.count_placements(who, filter),
        }
    }
}
