//! What sled keeps in memory after the whole bank is read once, counted
//! by this test binary's own allocator (every thread: sled frees evicted
//! pages on whichever thread collects them). Its only test, so nothing
//! else allocates beside it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

use banca::model::Family;
use banca::store::{OpenOptions, Store, StoreError, TreeId};

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        System.alloc(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size as isize - layout.size() as isize, Ordering::Relaxed);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Records of about the size of a family's, under keys of a family code's size.
const RECORDS: u32 = 60_000;
const RECORD_BYTES: usize = 300;
const CACHE: u64 = 1 << 20;

fn open(path: &std::path::Path, create: bool) -> Store {
    Store::open(path, &OpenOptions { create, cache_bytes: CACHE, disk_reserve: Some(0) }).expect("opens")
}

/// Bytes held after reading every record of the families' tree with
/// `read`, which returns how many it read.
fn held_after(path: &std::path::Path, read: impl Fn(&Store) -> usize) -> (isize, usize) {
    let store = open(path, false);
    let before = LIVE.load(Ordering::Relaxed);
    let records = read(&store);
    let held = LIVE.load(Ordering::Relaxed) - before;
    drop(store);
    (held, records)
}

#[test]
fn a_whole_read_through_read_once_leaves_sled_holding_little_more_than_its_cache() {
    let dir = tempfile::TempDir::new().expect("a temporary folder");
    let path = dir.path().join("bank");
    {
        // Bytes, not records: what sled keeps of a page does not depend on what it holds.
        let store = open(&path, true);
        let tree = store.tree(TreeId::Families);
        for i in 0..RECORDS {
            let value: Vec<u8> = (0..RECORD_BYTES).map(|b| (b as u32 ^ i) as u8).collect();
            tree.insert(format!("F-{:08}", i).as_bytes(), value).expect("written");
        }
        store.flush().expect("flushed");
    }

    let (plain, records) = held_after(&path, |store| {
        store.tree(TreeId::Families).iter().filter(|kv| kv.as_ref().expect("read").1.len() == RECORD_BYTES).count()
    });
    // These bytes are no family: every one is read, and refused as corrupt.
    let (shed, records_once) = held_after(&path, |store| {
        let mut once = store.read_once();
        let n = once.iter::<Family>(TreeId::Families).filter(|r| matches!(r, Err(StoreError::Corrupt { .. }))).count();
        once.finish();
        n
    });
    let mib = |b: isize| b as f64 / (1 << 20) as f64;
    println!(
        "{records} records of {RECORD_BYTES} bytes read with a {} MiB cache: sled holds {:.2} MiB more after a plain read, {:.2} MiB through read_once",
        CACHE >> 20,
        mib(plain),
        mib(shed)
    );
    assert_eq!((records, records_once), (RECORDS as usize, RECORDS as usize));
    // A plain read leaves every page it read; read_once, its cache and its sample's pages.
    assert!(plain > 16 << 20, "a plain read held {plain} bytes: has sled's cache changed?");
    assert!(shed < 6 << 20, "read_once held {shed} bytes (a plain read {plain})");
}
