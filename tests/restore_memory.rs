//! Export and restore in flat memory, counted rather than timed.
//!
//! A counting allocator measures the most bytes held at once (by every
//! thread) while a bank is exported: the export goes record by record to
//! its file, so the peak is a fraction of a megabyte whether the bank has
//! 1 000 families or 4 000. The restore is counted the same way, and what
//! the restore itself holds (`Restore::held`: the line being read, the
//! sibling references waiting for their need) never exceeds one line,
//! while the store's own page cache is sled's (bounded by its cache size,
//! figures in docs/performance.md).

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use banca::api::{Reply, Request};
use banca::bank::{Actor, Bank, BankConfig, FixedClock, MAX_LINE_BYTES};
use banca::demo::DemoOptions;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call goes straight to the system allocator; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The most bytes held at once while `f` ran, above what was held when it began.
fn peak_during<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let r = f();
    (r, PEAK.load(Ordering::Relaxed).saturating_sub(base))
}

const ADMIN: &str = "amministratore";
const MIB: usize = 1 << 20;

fn open(path: &Path) -> Bank {
    let clock = Arc::new(FixedClock(DemoOptions::default().now));
    let config = BankConfig { cache_bytes: 2 * MIB as u64, ..BankConfig::default() };
    Bank::open(path, config, true, clock).expect("bank opens")
}

struct Measured {
    file_bytes: usize,
    export_peak: usize,
    restore_peak: usize,
    most_held: usize,
}

/// A demo bank of `families` exported (counted) to a file on disk, then
/// the file restored (counted) into a new bank, read in chunks as a server
/// receives them.
fn measure(families: usize) -> Measured {
    let dir = tempfile::tempdir().unwrap();
    let options = DemoOptions { families, needs: families / 5, admin_user: ADMIN.into(), ..DemoOptions::default() };
    let source = open(&dir.path().join("source"));
    let lines = banca::demo::generate_lines(&options);
    match source.handle(&Actor::server_user(ADMIN), Request::Import { lines }) {
        Ok(Reply::Imported(_)) => {}
        other => panic!("demo import: {other:?}"),
    }
    // sled's pages are read in once first: what its cache holds is bounded by
    // its own setting (tests/cache_shedding.rs); this counts what the export
    // itself holds.
    source.export_into(&Actor::new(ADMIN), &mut std::io::sink()).expect("a first export");
    let path = dir.path().join("export.jsonl");
    let mut file = std::fs::File::create(&path).unwrap();
    let (exported, export_peak) = peak_during(|| source.export_into(&Actor::new(ADMIN), &mut file));
    exported.expect("export");
    drop(source);

    let target = open(&dir.path().join("target"));
    let mut restore = target.begin_restore(&Actor::server_user(ADMIN)).expect("an empty bank");
    let mut reader = std::fs::File::open(&path).unwrap();
    let mut most_held = 0;
    let ((), restore_peak) = peak_during(|| {
        let mut chunk = vec![0u8; 64 << 10];
        loop {
            let n = reader.read(&mut chunk).unwrap();
            if n == 0 {
                break;
            }
            restore.feed(&chunk[..n]);
            most_held = most_held.max(restore.held());
        }
    });
    match restore.finish() {
        Ok(Reply::Imported(summary)) => assert_eq!(summary.families, families as u64),
        other => panic!("restore: {other:?}"),
    }
    Measured { file_bytes: std::fs::metadata(&path).unwrap().len() as usize, export_peak, restore_peak, most_held }
}

#[test]
fn export_and_restore_memory_does_not_grow_with_the_bank() {
    let small = measure(1_000);
    let large = measure(4_000);
    for (name, m) in [("1 000 families", &small), ("4 000 families", &large)] {
        println!(
            "{name}: file {:.1} MiB; export peak {:.2} MiB; restore peak {:.2} MiB, of which the restore's own {:.3} MiB",
            m.file_bytes as f64 / MIB as f64,
            m.export_peak as f64 / MIB as f64,
            m.restore_peak as f64 / MIB as f64,
            m.most_held as f64 / MIB as f64,
        );
    }
    assert!(large.file_bytes > 7 * MIB, "the large export is {} bytes", large.file_bytes);
    for m in [&small, &large] {
        // The export: a record at a time, straight to the file.
        assert!(m.export_peak < 2 * MIB, "export held {} bytes at once", m.export_peak);
        // The restore: one line at a time (none is longer than MAX_LINE_BYTES).
        assert!(m.most_held <= MAX_LINE_BYTES, "the restore held {} bytes", m.most_held);
        assert!(m.most_held < 64 << 10, "the restore held {} bytes for lines of a few KiB", m.most_held);
    }
    assert!(large.export_peak < small.export_peak + MIB, "export: {} then {}", small.export_peak, large.export_peak);
}
