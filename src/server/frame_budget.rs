//! What decoding clients' frames may hold at once, server-wide.
//!
//! A frame's body is read and decoded before anyone knows what it asks, and
//! bincode may build values many times the body's size (a frame of empty
//! strings: 24 bytes of `String` for each byte). Each connection's frame is
//! bounded (`protocol::MAX_FRAME`), but 512 connections at once would not
//! be. So every frame reserves its worst case — the body plus
//! `DECODE_FACTOR` times it — before its body is read, and gives it back
//! once its message has been handled. Over the budget a frame waits; after
//! `WAIT` its connection is closed (a client flooding the server, or a
//! server far too busy), never the server's memory grown.

use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

/// What decoding a frame may build, at most, per byte of body (measured:
/// about 50 for the densest frame; `tests/fuzz_readers.rs` bounds it at 64).
pub const DECODE_FACTOR: usize = 64;

/// The budget of every frame being decoded or handled at once: room for one
/// frame of the largest size and many small ones.
pub const BUDGET: usize = 160 << 20;

/// How long a frame waits for room before its connection is closed.
pub const WAIT: Duration = Duration::from_secs(10);

pub struct FrameBudget {
    used: Mutex<usize>,
    freed: Condvar,
    total: usize,
}

/// Room reserved for one frame; given back when dropped.
pub struct Reserved<'a> {
    budget: &'a FrameBudget,
    bytes: usize,
}

impl FrameBudget {
    pub fn new(total: usize) -> FrameBudget {
        FrameBudget { used: Mutex::new(0), freed: Condvar::new(), total }
    }

    /// What a frame of `len` body bytes reserves.
    pub fn cost(len: usize) -> usize {
        len.saturating_mul(DECODE_FACTOR + 1)
    }

    /// Reserves room for a frame of `len` bytes, waiting up to `wait`; `None`
    /// when there was none. A frame alone always fits (the budget is at
    /// least one frame of the largest size), so nothing waits for ever.
    pub fn reserve(&self, len: usize, wait: Duration) -> Option<Reserved<'_>> {
        let bytes = Self::cost(len).min(self.total);
        let deadline = Instant::now() + wait;
        let mut used = self.used.lock().unwrap_or_else(|p| p.into_inner());
        while *used + bytes > self.total {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            used = self.freed.wait_timeout(used, left).unwrap_or_else(|p| p.into_inner()).0;
        }
        *used += bytes;
        Some(Reserved { budget: self, bytes })
    }

    /// Bytes reserved now.
    pub fn used(&self) -> usize {
        *self.used.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Drop for Reserved<'_> {
    fn drop(&mut self) {
        let mut used = self.budget.used.lock().unwrap_or_else(|p| p.into_inner());
        *used -= self.bytes;
        self.budget.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_wait_for_room_and_get_it_back_when_others_are_done() {
        let budget = FrameBudget::new(1000);
        let a = budget.reserve(10, Duration::ZERO).expect("650 of 1000");
        assert_eq!(budget.used(), 650);
        // 650 more do not fit beside the first: refused after the wait.
        assert!(budget.reserve(10, Duration::from_millis(20)).is_none());
        assert!(budget.reserve(5, Duration::ZERO).is_some(), "325 fit, and go back at once");
        drop(a);
        assert_eq!(budget.used(), 0);
        // A frame larger than the whole budget takes all of it, alone.
        let all = budget.reserve(1 << 20, Duration::ZERO).expect("alone, it fits");
        assert_eq!(budget.used(), 1000);
        assert!(budget.reserve(1, Duration::ZERO).is_none());
        drop(all);
    }

    #[test]
    fn a_waiting_frame_goes_on_as_soon_as_room_is_given_back() {
        let budget = std::sync::Arc::new(FrameBudget::new(1000));
        let held = budget.reserve(10, Duration::ZERO).unwrap();
        let waiting = {
            let budget = budget.clone();
            std::thread::spawn(move || budget.reserve(10, Duration::from_secs(10)).is_some())
        };
        std::thread::sleep(Duration::from_millis(50));
        drop(held);
        assert!(waiting.join().unwrap());
    }
}
