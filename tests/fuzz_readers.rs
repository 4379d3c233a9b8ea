//! The readers of untrusted bytes under property-based fuzzing: the
//! socket's frame decoder and the CSV reader of ambiti (the JSONL import
//! reader: tests/restore_mutations.rs). None may panic; the decoder refuses
//! a length over its cap before allocating, and what it allocates stays
//! bounded by the frame.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::io::Read;

use banca::api::Request;
use banca::bank::ambits_from_csv;
use banca::model::Comuni;
use banca::protocol::{read_frame, ClientMsg, FrameError, Hello, MAX_FRAME};
use proptest::prelude::*;

// ------------------------------------------------------------------ allocation, per thread

/// Counts the bytes each thread holds, and its peak, so one test measures
/// its own decoding while others run beside it.
struct Counting;

thread_local! {
    static LIVE: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

fn grew(by: usize) {
    let _ = LIVE.try_with(|l| {
        let now = l.get().saturating_add(by);
        l.set(now);
        let _ = PEAK.try_with(|p| p.set(p.get().max(now)));
    });
}

fn shrank(by: usize) {
    let _ = LIVE.try_with(|l| l.set(l.get().saturating_sub(by)));
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        shrank(layout.size());
        System.dealloc(ptr, layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        System.alloc_zeroed(layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Old and new blocks may coexist for a moment: count both.
        grew(new_size);
        shrank(layout.size());
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The most `f` held at once, beyond what the thread held before.
fn peak_of<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let start = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(start));
    let r = f();
    (r, PEAK.with(Cell::get) - start)
}

const MIB: usize = 1 << 20;

/// What a decoded frame may cost beyond its own bytes: serde preallocates
/// at most 1 MiB per collection it is told about, and a value takes more
/// room in memory than on the wire (an empty string: 1 byte there, 24 here).
fn decode_bound(frame: usize) -> usize {
    frame * 64 + 4 * MIB
}

// ------------------------------------------------------------------ the frame decoder

/// A reader that fails the test if asked for more than the length prefix.
struct OnlyThePrefix([u8; 4], usize);

impl Read for OnlyThePrefix {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        assert!(self.1 < 4, "the decoder read the body of a frame it should have refused");
        let n = buf.len().min(4 - self.1);
        buf[..n].copy_from_slice(&self.0[self.1..self.1 + n]);
        self.1 += n;
        Ok(n)
    }
}

#[test]
fn a_length_over_the_cap_is_refused_before_the_body_is_read_or_allocated() {
    for len in [MAX_FRAME as u32 + 1, u32::MAX] {
        let (result, peak) = peak_of(|| read_frame::<ClientMsg>(&mut OnlyThePrefix(len.to_be_bytes(), 0), MAX_FRAME));
        assert!(matches!(result, Err(FrameError::TooLarge { len: n, .. }) if n == len as usize), "{result:?}");
        assert!(peak < 1024, "{peak} bytes allocated to refuse a frame");
    }
}

#[test]
fn the_worst_frame_within_the_cap_costs_a_bounded_multiple_of_its_size() {
    // Many empty strings: the densest way to make the decoder build values.
    let lines = vec![String::new(); MAX_FRAME - 16];
    let mut frame = Vec::new();
    let call = ClientMsg::Call { id: 1, request: Box::new(Request::Import { lines }) };
    banca::protocol::write_frame(&mut frame, &call, MAX_FRAME).unwrap();
    let (result, peak) = peak_of(|| read_frame::<ClientMsg>(&mut frame.as_slice(), MAX_FRAME));
    assert!(result.is_ok());
    println!("a frame of {} bytes decoded with a peak of {} bytes ({}×)", frame.len(), peak, peak / frame.len());
    assert!(peak <= decode_bound(frame.len()), "{peak} bytes for a {}-byte frame", frame.len());
}

/// A frame: a length prefix (sometimes honest, sometimes not) and a body.
fn frames() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..512),
        proptest::collection::vec(any::<u8>(), 0..2048).prop_map(|body| {
            let mut f = (body.len() as u32).to_be_bytes().to_vec();
            f.extend(body);
            f
        }),
        // Valid messages with their bytes flipped: deep into the decoder.
        (any::<u64>(), "[a-z]{0,12}", proptest::collection::vec((any::<usize>(), any::<u8>()), 0..6)).prop_map(
            |(id, word, flips)| {
                let request = Request::Search { query: word.clone(), limit: 10 };
                let msg = ClientMsg::Call { id, request: Box::new(request) };
                let mut f = Vec::new();
                banca::protocol::write_frame(&mut f, &msg, MAX_FRAME).unwrap();
                for (at, byte) in flips {
                    let at = at % f.len();
                    f[at] ^= byte;
                }
                f
            }
        ),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn the_frame_decoder_never_panics_and_stays_within_its_bound(bytes in frames()) {
        let (_, peak) = peak_of(|| read_frame::<ClientMsg>(&mut bytes.as_slice(), MAX_FRAME));
        prop_assert!(peak <= decode_bound(bytes.len()), "{} bytes for {} bytes of input", peak, bytes.len());
        let (_, peak) = peak_of(|| read_frame::<Hello>(&mut bytes.as_slice(), MAX_FRAME));
        prop_assert!(peak <= decode_bound(bytes.len()));
    }
}

// (The JSONL import reader: tests/restore_mutations.rs.)

// ------------------------------------------------------------------ the CSV reader of ambiti

fn csv_texts() -> impl Strategy<Value = String> {
    let row = (
        prop_oneof!["[0-9]{6}", Just("016086".to_string()), Just("016150".to_string()), "\\PC{0,8}"],
        "\\PC{0,10}",
        prop_oneof![Just("Dalmine".to_string()), "\\PC{0,12}"],
        prop_oneof![Just(String::new()), "\\PC{0,12}"],
    )
        .prop_map(|(a, b, c, d)| format!("{a},{b},{c},{d}"));
    prop_oneof![
        "\\PC{0,200}",
        any::<Vec<u8>>().prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        proptest::collection::vec(row, 0..8)
            .prop_map(|rows| format!("istat,comune,ambito,presidio\n{}", rows.join("\n"))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn the_ambiti_csv_reader_never_panics(text in csv_texts()) {
        if let Ok(ambits) = ambits_from_csv(&text, Comuni::embedded()) {
            // Every comune it keeps is one of Italy's.
            for a in &ambits {
                for c in &a.comuni {
                    prop_assert!(Comuni::embedded().get(*c).is_some());
                }
            }
        }
    }
}
