//! Heavy requests — list pages, exports, imports, the audit check — are
//! admitted a few at a time, per Unix user and overall, so that the memory
//! they build is bounded however many clients ask at once. A request over
//! the cap waits a little for a place, then is refused with
//! `BankError::Busy` (it/en: "il server è occupato con altre richieste
//! pesanti, riprova tra poco").
//!
//! A place is a [`HeavyPermit`]: whoever builds a heavy answer holds one
//! until that answer has left (its frames written to the client), and it
//! is given back when dropped. `connection.rs` takes one for every call
//! whose request `is_heavy()`; a path that streams an export itself takes
//! one with `Admission::acquire` before it starts and drops it after its
//! last frame.

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::api::HeavyScope;

/// How many heavy requests run at once, and how long one waits for a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeavyLimits {
    /// Heavy requests under way from one Unix user.
    pub per_user: usize,
    /// Heavy requests under way from everyone.
    pub total: usize,
    /// How long a request waits for a place before it is refused.
    pub wait: Duration,
}

impl Default for HeavyLimits {
    fn default() -> HeavyLimits {
        HeavyLimits { per_user: 4, total: 8, wait: Duration::from_secs(5) }
    }
}

#[derive(Default)]
struct Taken {
    total: usize,
    by_user: HashMap<String, usize>,
}

pub struct Admission {
    limits: HeavyLimits,
    taken: Mutex<Taken>,
    freed: Condvar,
}

/// A place among the heavy requests under way, given back when dropped.
pub struct HeavyPermit {
    admission: Arc<Admission>,
    user: String,
}

impl Admission {
    pub fn new(limits: HeavyLimits) -> Arc<Admission> {
        let limits = HeavyLimits { per_user: limits.per_user.max(1), total: limits.total.max(1), ..limits };
        Arc::new(Admission { limits, taken: Mutex::default(), freed: Condvar::new() })
    }

    pub fn limits(&self) -> HeavyLimits {
        self.limits
    }

    /// A place for one heavy request of `user`, waiting up to the limits'
    /// `wait` for one to be given back; or whose cap is full.
    pub fn acquire(self: &Arc<Self>, user: &str) -> Result<HeavyPermit, HeavyScope> {
        let deadline = Instant::now() + self.limits.wait;
        let mut taken = self.lock();
        loop {
            let mine = taken.by_user.get(user).copied().unwrap_or(0);
            let full = if mine >= self.limits.per_user {
                Some(HeavyScope::User { limit: self.limits.per_user as u32 })
            } else if taken.total >= self.limits.total {
                Some(HeavyScope::Server { limit: self.limits.total as u32 })
            } else {
                None
            };
            let Some(scope) = full else { break };
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(scope);
            }
            taken = self.freed.wait_timeout(taken, left).unwrap_or_else(|p| p.into_inner()).0;
        }
        taken.total += 1;
        *taken.by_user.entry(user.to_string()).or_default() += 1;
        Ok(HeavyPermit { admission: self.clone(), user: user.to_string() })
    }

    /// Heavy requests under way now, from everyone.
    pub fn under_way(&self) -> usize {
        self.lock().total
    }

    fn lock(&self) -> MutexGuard<'_, Taken> {
        self.taken.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Drop for HeavyPermit {
    fn drop(&mut self) {
        let mut taken = self.admission.lock();
        taken.total = taken.total.saturating_sub(1);
        if let Some(n) = taken.by_user.get_mut(&self.user) {
            *n -= 1;
            if *n == 0 {
                taken.by_user.remove(&self.user);
            }
        }
        drop(taken);
        self.admission.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(per_user: usize, total: usize) -> HeavyLimits {
        HeavyLimits { per_user, total, wait: Duration::from_millis(50) }
    }

    #[test]
    fn a_user_over_its_cap_is_refused_and_others_still_get_in() {
        let a = Admission::new(limits(2, 3));
        let first = a.acquire("anna").unwrap();
        let _second = a.acquire("anna").unwrap();
        assert_eq!(a.acquire("anna").err(), Some(HeavyScope::User { limit: 2 }));
        let _third = a.acquire("bruno").unwrap();
        assert_eq!(a.acquire("bruno").err(), Some(HeavyScope::Server { limit: 3 }));
        drop(first);
        assert!(a.acquire("bruno").is_ok(), "a place given back is taken again");
    }

    #[test]
    fn a_waiting_request_gets_the_place_given_back_within_its_wait() {
        let a = Admission::new(HeavyLimits { per_user: 1, total: 1, wait: Duration::from_secs(5) });
        let held = a.acquire("anna").unwrap();
        let waiter = {
            let a = a.clone();
            std::thread::spawn(move || a.acquire("anna").map(|_| ()))
        };
        std::thread::sleep(Duration::from_millis(50));
        drop(held);
        assert_eq!(waiter.join().unwrap(), Ok(()));
        assert_eq!(a.under_way(), 0);
    }
}
