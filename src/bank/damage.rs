//! Damage contained, never contagious: a record that no longer decodes is
//! set aside in the quarantine (`store::quarantine`) wherever it is met —
//! while the bank opens, or by any request later — and the bank goes on
//! with everything else.

use crate::store::quarantine::{record_label, Damage, Outcome, RECORD_TREES};
use crate::store::{StoreError, TreeId};

use super::index::{FAMILY, NEED};
use super::*;

/// Who the audit log names when the server itself sets a record aside.
pub const SERVER_ACTOR: &str = "(server)";

/// Records set aside while answering one request, at most: a bank damaged
/// beyond that is answered with the error, and `banca doctor` takes over.
const MAX_SET_ASIDE_PER_REQUEST: usize = 16;

impl Bank {
    /// `dispatch`, with damage contained: a record found damaged on the way
    /// is set aside, and a read is answered again without it (a write is
    /// not run twice: its author gets the error, and may try again). A
    /// record asked for that is in quarantine is told as such.
    pub(super) fn dispatch_contained(&self, actor: &Actor, request: Request) -> Response {
        let mut set_aside = 0;
        let mut request = request;
        loop {
            let again = (set_aside < MAX_SET_ASIDE_PER_REQUEST && answerable_again(&request)).then(|| request.clone());
            let response = self.dispatch(actor, request);
            match &response {
                Err(BankError::Damaged { tree, key, reason, record }) => {
                    if !self.set_aside_damaged(tree, key, reason) {
                        // Not set aside (an audit entry, a failing store): a storage error as it is.
                        return Err(BankError::Storage(format!("record {record} in {tree} is damaged: {reason}")));
                    }
                    match again {
                        Some(again) => {
                            set_aside += 1;
                            request = again;
                        }
                        None => return response,
                    }
                }
                Err(BankError::NotFound { code }) => return self.quarantined_instead(code).unwrap_or(response),
                _ => return response,
            }
        }
    }

    /// Sets aside, in one go, what a scan met (the index rebuild, as the
    /// bank opens): the scan itself is never stopped by a damaged record.
    pub(super) fn set_aside(&self, aside: Aside) {
        if !aside.0.is_empty() {
            self.quarantine_logged(aside.0, SERVER_ACTOR);
        }
    }

    /// A record a request found damaged (`BankError::Damaged`): set aside,
    /// and the in-memory indexes rebuilt without it. False when it could
    /// not be (not a record tree, or the store failed).
    fn set_aside_damaged(&self, tree: &str, key_hex: &str, reason: &str) -> bool {
        let (Some(id), Ok(key)) = (TreeId::from_name(tree), hex::decode(key_hex)) else { return false };
        if !RECORD_TREES.contains(&id) || !self.quarantine_logged(vec![(id, key, reason.to_string())], SERVER_ACTOR)[0]
        {
            return false;
        }
        // The record may be in the matching and search indexes: rebuild them
        // as every write does its part, under the writer's lock.
        let _w = self.write_lock();
        if let Err(e) = self.rebuild_index() {
            tracing::error!("indexes after setting a record aside: {e}");
        }
        // Open screens reload: a record left the lists.
        if let Some(listener) = self.listener.get() {
            listener(&self.bank_changed(SERVER_ACTOR));
        }
        true
    }

    /// Moves damaged values to the quarantine, with one line each in the
    /// server's log. For each, true when it is no longer in its tree (moved
    /// now, or gone meanwhile).
    pub(super) fn quarantine_logged(&self, found: Vec<(TreeId, Vec<u8>, String)>, actor: &str) -> Vec<bool> {
        let mut gone = vec![false; found.len()];
        let mut damages = Vec::new();
        let mut at = Vec::new();
        for (i, (tree, key, reason)) in found.into_iter().enumerate() {
            match self.store.tree(tree).get(&key) {
                Ok(Some(raw)) => {
                    let index_kind = match tree {
                        TreeId::Families => Some(FAMILY),
                        TreeId::Needs => Some(NEED),
                        _ => None,
                    };
                    damages.push(Damage { tree, key, raw: raw.to_vec(), reason, index_kind });
                    at.push(i);
                }
                Ok(None) => gone[i] = true,
                Err(e) => tracing::error!(record = %record_label(tree, &key), "damaged record unreadable raw: {e}"),
            }
        }
        if damages.is_empty() {
            return gone;
        }
        match self.store.quarantine(&damages, self.clock.now(), actor) {
            Ok(outcomes) => {
                for ((d, outcome), i) in damages.iter().zip(outcomes).zip(at) {
                    let record = record_label(d.tree, &d.key);
                    match outcome {
                        Outcome::Moved { index_entries } => {
                            gone[i] = true;
                            tracing::error!(
                                %record,
                                tree = d.tree.name(),
                                index_entries,
                                "record quarantined: it does not decode ({}); the bank goes on without it",
                                d.reason
                            );
                        }
                        Outcome::Changed => {
                            tracing::warn!(%record, tree = d.tree.name(), "damaged record rewritten meanwhile: left")
                        }
                    }
                }
            }
            Err(e) => {
                for d in &damages {
                    let record = record_label(d.tree, &d.key);
                    tracing::error!(%record, tree = d.tree.name(), "damaged record could not be quarantined: {e}");
                }
            }
        }
        gone
    }

    /// `Quarantined` for a code that is in quarantine.
    fn quarantined_instead(&self, code: &str) -> Option<Response> {
        match self.store.quarantined_record(code) {
            Ok(Some(q)) => Some(Err(BankError::Quarantined {
                code: q.record,
                tree: q.tree,
                reason: q.reason,
                found_at: q.found_at,
            })),
            Ok(None) => None,
            Err(e) => {
                tracing::error!("quarantine unreadable: {e}");
                None
            }
        }
    }
}

/// Damaged records met by a scan, set aside together once it is over
/// (`Bank::set_aside`): the index trees are searched once for all of them.
#[derive(Default)]
pub(super) struct Aside(Vec<(TreeId, Vec<u8>, String)>);

impl Aside {
    /// A record of a scan, or `None` when it does not decode: then it is
    /// noted to be set aside. Other errors stay errors.
    pub(super) fn keep<T>(&mut self, item: Result<(u64, T), StoreError>) -> Result<Option<(u64, T)>, StoreError> {
        match item {
            Ok(record) => Ok(Some(record)),
            Err(StoreError::Corrupt { tree, raw_key, reason, .. }) if is_record_tree(tree) => {
                let id = TreeId::from_name(tree).expect("a record tree");
                self.0.push((id, raw_key, reason));
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }
}

fn is_record_tree(name: &str) -> bool {
    RECORD_TREES.iter().any(|t| t.name() == name)
}

/// Requests that may be answered again after a damaged record was set
/// aside: reads, and the export (which writes its audit entry last).
fn answerable_again(request: &Request) -> bool {
    request.is_read() || matches!(request, Request::Export)
}
