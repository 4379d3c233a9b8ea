//! Reading the whole bank once (the index build at start-up) without
//! leaving it in memory.
//!
//! sled 0.34 counts a page against its cache only late: every read of a
//! page is queued in one of 256 shards (by page id) in blocks of 64, and a
//! shard's queue is counted — and the shard evicted down to its share of
//! the cache — only when a block fills. After one pass over every record,
//! up to 256 × 63 pages just read (the whole of a 100 000-family bank)
//! stay resident, uncounted, whatever the cache size. So a whole read
//! here keeps a small sample of the keys it has read and, every
//! [`SHED_EVERY`] records and at the end, reads that sample over and over:
//! every shard holding a sampled page fills its blocks, counts what it
//! queued and evicts down to its share, and what stays uncounted is the
//! sample's own pages, which fit in the cache. Shedding as the read goes,
//! rather than once at its end, lets the next pages read reuse the memory
//! of the pages evicted, instead of leaving it in holes between what the
//! caller keeps (the indexes), where it cannot be given back.

use sled::IVec;

use super::{decode_at, Store, StoreError, TreeId, Versioned};

/// Records read between two sheddings, at first; then an eighth of what
/// was read before, so that a bank of a million records sheds about 25
/// times rather than 60 (what a shedding leaves to the next grows with
/// the bank, but stays a small part of its indexes).
const SHED_EVERY: usize = 20_000;
/// Keys kept in the sample: about two pages per shard, few enough for
/// their pages to stay in a small cache.
const SAMPLE_KEYS: usize = 512;
/// Reads of the sample per shard in one shedding: past a block of 64,
/// with room for shards the sample reaches less often (those that miss
/// one shedding are counted at the next).
const READS_PER_SHARD: usize = 80;
/// sled's LRU shards (`lru.rs`, `N_SHARDS`).
const SHARDS: usize = 256;

/// One pass over whole trees, shedding sled's cache as it goes
/// ([`Store::read_once`]).
pub struct ReadOnce<'a> {
    store: &'a Store,
    /// Every `stride`-th record read, at most `SAMPLE_KEYS` of them.
    sample: Vec<(TreeId, IVec)>,
    stride: usize,
    read: usize,
    /// Records read when the next shedding is due.
    shed_at: usize,
}

impl Store {
    /// Starts a pass over whole trees that leaves no more of them in
    /// memory than sled's cache: read them with [`ReadOnce::iter`], then
    /// call [`ReadOnce::finish`].
    pub fn read_once(&self) -> ReadOnce<'_> {
        ReadOnce { store: self, sample: Vec::with_capacity(SAMPLE_KEYS), stride: 1, read: 0, shed_at: SHED_EVERY }
    }
}

impl<'a> ReadOnce<'a> {
    /// Every record of a tree, in key order, as [`Store::iter`].
    pub fn iter<'s, T: Versioned>(
        &'s mut self,
        id: TreeId,
    ) -> impl Iterator<Item = Result<(u64, T), StoreError>> + use<'s, 'a, T> {
        let tree = self.store.tree(id).clone();
        tree.iter().map(move |kv| {
            let (k, v) = kv?;
            self.note(id, &k);
            decode_at(id, &k, &v)
        })
    }

    fn note(&mut self, id: TreeId, key: &IVec) {
        if self.read % self.stride == 0 {
            if self.sample.len() == SAMPLE_KEYS {
                // Keep every other key, and sample half as often: still spread over all read.
                let mut i = 0;
                self.sample.retain(|_| {
                    i += 1;
                    i % 2 == 1
                });
                self.stride *= 2;
            }
            if self.read % self.stride == 0 {
                self.sample.push((id, key.clone()));
            }
        }
        self.read += 1;
        if self.read == self.shed_at {
            self.shed();
            self.shed_at += SHED_EVERY.max(self.read / 8);
        }
    }

    /// Reads the sample until every shard it reaches has counted its
    /// queue, so that sled evicts what it holds over its cache.
    fn shed(&self) {
        if self.sample.is_empty() {
            return;
        }
        let rounds = (READS_PER_SHARD * SHARDS).div_ceil(self.sample.len());
        for _ in 0..rounds {
            for (id, key) in &self.sample {
                // A read error here is the next real read's to report.
                let _ = self.store.tree(*id).get(key);
            }
        }
    }

    /// Ends the pass: sheds what was read since the last shedding.
    pub fn finish(self) {
        self.shed();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_stays_bounded_and_spread_over_everything_read() {
        let dir = tempfile::TempDir::new().expect("a folder");
        let store = Store::open(
            &dir.path().join("bank"),
            &super::super::OpenOptions { create: true, cache_bytes: 1 << 20, disk_reserve: Some(0) },
        )
        .expect("a store");
        let tree = store.tree(TreeId::Ambits);
        for i in 0..5_000u32 {
            tree.insert(format!("k{i:05}"), &i.to_be_bytes()[..]).expect("inserted");
        }
        let mut once = store.read_once();
        let keys: usize = once.tree_keys(TreeId::Ambits);
        assert_eq!(keys, 5_000);
        assert!(once.sample.len() <= SAMPLE_KEYS);
        assert!(once.sample.len() >= SAMPLE_KEYS / 2, "{} keys sampled", once.sample.len());
        let first = once.sample.first().map(|(_, k)| k.to_vec());
        let last = once.sample.last().map(|(_, k)| k.to_vec());
        assert_eq!(first.as_deref(), Some(&b"k00000"[..]));
        assert!(last.as_deref() > Some(&b"k04900"[..]), "the sample reaches the end of what was read");
        once.finish();
    }

    impl ReadOnce<'_> {
        /// Reads a tree whose values are not records: counts its keys.
        fn tree_keys(&mut self, id: TreeId) -> usize {
            let tree = self.store.tree(id).clone();
            let mut n = 0;
            for kv in tree.iter() {
                let (k, _) = kv.expect("a key");
                self.note(id, &k);
                n += 1;
            }
            n
        }
    }
}
