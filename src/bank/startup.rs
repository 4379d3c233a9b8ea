//! Start-up: a bank answers as soon as its store is open. The in-memory
//! indexes (matching and search) are built afterwards, on the caller's
//! thread of choice (the server gives them one of their own); the requests
//! that need them wait until they are built, the others are answered at once.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};

use crate::store::StoreError;

use super::*;

/// Whether the indexes are built yet, and who waits for them.
#[derive(Default)]
pub(super) struct Readiness {
    /// Set once, when the indexes are built: the fast path of every request.
    ready: AtomicBool,
    state: Mutex<State>,
    changed: Condvar,
    /// Requests waiting for the indexes now.
    waiting: AtomicUsize,
}

#[derive(Default, Clone)]
enum State {
    #[default]
    Building,
    Ready,
    /// The build failed: the bank cannot answer what needs the indexes.
    Failed(String),
}

impl Readiness {
    fn set(&self, state: State) {
        let ready = matches!(state, State::Ready);
        *self.state.lock().unwrap_or_else(|p| p.into_inner()) = state;
        self.ready.store(ready, Ordering::Release);
        self.changed.notify_all();
    }

    fn wait(&self) -> Result<(), BankError> {
        if self.ready.load(Ordering::Acquire) {
            return Ok(());
        }
        self.waiting.fetch_add(1, Ordering::SeqCst);
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let outcome = loop {
            match &*state {
                State::Ready => break Ok(()),
                State::Failed(why) => break Err(BankError::Storage(why.clone())),
                State::Building => state = self.changed.wait(state).unwrap_or_else(|p| p.into_inner()),
            }
        };
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        outcome
    }
}

/// Marks the build failed when dropped, as it is only when the build unwinds.
struct FailedUnlessDone<'a>(&'a Readiness);

impl Drop for FailedUnlessDone<'_> {
    fn drop(&mut self) {
        self.0.set(State::Failed("the indexes could not be built".into()));
    }
}

impl Bank {
    /// Builds the indexes of a bank opened with [`Bank::open_starting`]
    /// and lets the requests waiting for them go. Holds the write lock
    /// throughout, so no write can slip between the records read and the
    /// indexes published.
    pub fn build_indexes(&self) -> Result<(), StoreError> {
        // A build that panics must not leave requests waiting for ever.
        let failed = FailedUnlessDone(&self.readiness);
        let built = {
            let _w = self.write_lock();
            self.rebuild_index().and_then(|()| self.remember_todays_reads())
        };
        match &built {
            Ok(()) => self.readiness.set(State::Ready),
            Err(e) => self.readiness.set(State::Failed(e.to_string())),
        }
        std::mem::forget(failed);
        built
    }

    /// True once the indexes are built.
    pub fn indexes_ready(&self) -> bool {
        self.readiness.ready.load(Ordering::Acquire)
    }

    /// How many requests are waiting for the indexes right now.
    pub fn waiting_for_indexes(&self) -> usize {
        self.readiness.waiting.load(Ordering::SeqCst)
    }

    /// Returns once the indexes are built; at once when they are.
    pub(super) fn await_indexes(&self) -> Result<(), BankError> {
        self.readiness.wait()
    }
}

/// Requests answered from the store alone, so at once while the indexes
/// build. Every other request waits for them: a family's view shows its
/// free places (matching index), rankings and search read their index,
/// and every write updates both.
pub(super) fn answers_without_indexes(request: &Request) -> bool {
    matches!(
        request,
        Request::Whoami
            | Request::Info
            | Request::AmbitGet { .. }
            | Request::AmbitList { .. }
            | Request::ServiceGet { .. }
            | Request::ServiceList { .. }
            | Request::OperatorGet { .. }
            | Request::OperatorList { .. }
            | Request::NeedGet { .. }
            | Request::NeedShared { .. }
            | Request::NeedList { .. }
            | Request::ProposalGet { .. }
            | Request::ProposalList { .. }
            | Request::PlacementGet { .. }
            | Request::PlacementList { .. }
            | Request::AuditList { .. }
            | Request::AuditVerify
            | Request::Export
    )
}
