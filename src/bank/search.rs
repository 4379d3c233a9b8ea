//! Search requests: the query parsed, the index asked with the caller's
//! rights, and every child's name shown put on record, once per operator,
//! record and day, by the writer of identity reads (`reads`): a search
//! never waits for the disk.

use crate::access::{Operation, Subject};
use crate::search::HitKind;

use super::*;

/// No client needs more at once; a list beyond it is a filter's job.
const MAX_HITS: usize = 500;

impl Bank {
    pub(super) fn search(&self, who: &Principal, query: &str, limit: usize) -> Response {
        self.require(who, Operation::ReadShared, Subject::Family, None, "search")?;
        let query = crate::search::parse(query, self.comuni).map_err(|p| BankError::Invalid(vec![p]))?;
        let result = self.search.read().unwrap_or_else(|p| p.into_inner()).search(who, &query, limit.min(MAX_HITS));
        // A child's name in a hit is a read of the child's identity: on record.
        let children: Vec<String> =
            result.hits.iter().filter(|h| h.kind == HitKind::Need && h.identity).map(|h| h.code.clone()).collect();
        if !children.is_empty() {
            self.reads.note(&who.user, &children, self.clock.now());
        }
        Ok(Reply::Found(result))
    }
}
