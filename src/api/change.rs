//! What the server pushes to subscribers: a committed change of one record
//! (which record, not what it says), or that everything must be read again.

use serde::{Deserialize, Serialize};

use crate::model::RecordKind;

/// A committed change of one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub kind: RecordKind,
    pub code: String,
    /// The new revision, also of a record changed as a side effect of
    /// another's change (a need moved by a proposal, a proposal started by
    /// a placement): screens react to it as to a direct edit.
    pub revision: u64,
    /// The Unix user who made the change.
    pub by: String,
}

/// One event of the live stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    /// One record changed.
    Changed(Change),
    /// The whole bank changed at once (an import, a repair): whatever is
    /// shown must be read again.
    Bank { by: String },
    /// Events were dropped because this client read too slowly (made by the
    /// client on `ServerMsg::Lagged`): whatever is shown must be read again.
    Lagged,
}

impl Event {
    /// The record changed, when the event is about one.
    pub fn change(&self) -> Option<&Change> {
        match self {
            Event::Changed(c) => Some(c),
            Event::Bank { .. } | Event::Lagged => None,
        }
    }

    /// The kind of record changed, when the event is about one.
    pub fn kind(&self) -> Option<RecordKind> {
        self.change().map(|c| c.kind)
    }

    /// Everything shown must be read again: the bank changed as a whole, or events were missed.
    pub fn rereads_all(&self) -> bool {
        !matches!(self, Event::Changed(_))
    }
}
