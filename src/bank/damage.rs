//! Damage contained, never contagious: a record that no longer decodes is
//! set aside in the quarantine (`store::quarantine`) wherever it is met —
//! while the bank opens, or by any request later — and the bank goes on
//! with everything else.

use crate::store::quarantine::{Damage, Outcome, RECORD_TREES};
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

    /// A record of the trees scanned while the bank opens: `None` when it
    /// did not decode, and has been set aside. Other errors stay errors.
    pub(super) fn sound<T>(&self, item: Result<(u64, T), StoreError>) -> Result<Option<(u64, T)>, StoreError> {
        match item {
            Ok(record) => Ok(Some(record)),
            Err(StoreError::Corrupt { tree, raw_key, reason, .. }) if is_record_tree(tree) => {
                let id = TreeId::from_name(tree).expect("a record tree");
                self.quarantine_logged(id, &raw_key, &reason, SERVER_ACTOR);
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// A record a request found damaged (`BankError::Damaged`): set aside,
    /// and the in-memory indexes rebuilt without it. False when it could
    /// not be (not a record tree, or the store failed).
    fn set_aside_damaged(&self, tree: &str, key_hex: &str, reason: &str) -> bool {
        let (Some(id), Ok(key)) = (TreeId::from_name(tree), hex::decode(key_hex)) else { return false };
        if !RECORD_TREES.contains(&id) || !self.quarantine_logged(id, &key, reason, SERVER_ACTOR) {
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
            listener(&Change {
                kind: ChangeKind::Bank,
                code: "*".into(),
                revision: 0,
                by: SERVER_ACTOR.into(),
                involved: Involved::Nobody,
            });
        }
        true
    }

    /// Moves one value to the quarantine, with one line in the server's
    /// log. True when it is no longer in its tree (moved now, or gone).
    pub(super) fn quarantine_logged(&self, tree: TreeId, key: &[u8], reason: &str, actor: &str) -> bool {
        let label = crate::store::quarantine::record_label(tree, key);
        let raw = match self.store.tree(tree).get(key) {
            Ok(Some(raw)) => raw,
            Ok(None) => return true,
            Err(e) => {
                tracing::error!(record = %label, tree = tree.name(), "damaged record could not be read raw: {e}");
                return false;
            }
        };
        let kind = match tree {
            TreeId::Families => Some(FAMILY),
            TreeId::Needs => Some(NEED),
            _ => None,
        };
        let damage = Damage { tree, key, raw: &raw, reason };
        match self.store.quarantine(&damage, kind, self.clock.now(), actor) {
            Ok(Outcome::Moved { index_entries }) => {
                tracing::error!(
                    record = %label,
                    tree = tree.name(),
                    index_entries,
                    "record quarantined: it does not decode ({reason}); the bank goes on without it"
                );
                true
            }
            Ok(Outcome::Changed) => {
                tracing::warn!(record = %label, tree = tree.name(), "damaged record was rewritten meanwhile: left");
                false
            }
            Err(e) => {
                tracing::error!(record = %label, tree = tree.name(), "damaged record could not be quarantined: {e}");
                false
            }
        }
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

fn is_record_tree(name: &str) -> bool {
    RECORD_TREES.iter().any(|t| t.name() == name)
}

/// Requests that may be answered again after a damaged record was set
/// aside: reads, and the export (which writes its audit entry last).
fn answerable_again(request: &Request) -> bool {
    request.is_read() || matches!(request, Request::Export)
}
