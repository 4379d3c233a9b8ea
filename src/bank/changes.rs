//! What the bank tells its listener after each committed change: the event
//! the wire carries (kind of record, code, revision, who), and the services
//! the record belongs to, so that whoever fans the change out can filter it
//! by the access table (`access::hears`). A change carries no identity.

use crate::access::Involved;
use crate::model::*;

use super::write::SavedRecord;
use super::{Actor, Bank, Change, Event, Reply, Request};

/// A committed change and whom it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committed {
    pub event: Event,
    pub involved: Involved,
}

/// What a write request changes: records of one kind, or the whole bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Writes {
    Records(RecordKind),
    /// An import, a repair.
    Bank,
}

impl Bank {
    /// Tells the listener (if any) of what a successful write changed;
    /// `written` names the revision and the services of each record saved
    /// (`write::take_written`): a record moved alongside (a need moved by a
    /// proposal) is told with its own new revision, as a direct edit is.
    pub(super) fn notify(&self, actor: &Actor, writes: Writes, reply: &Reply, written: &[SavedRecord]) {
        let Some(listener) = self.listener.get() else { return };
        let change = |kind, code: &str, revision| Committed {
            event: Event::Changed(Change { kind, code: code.to_string(), revision, by: actor.user.clone() }),
            involved: saved(written, code).map_or(Involved::Unknown, |r| r.involved),
        };
        let kind = match writes {
            Writes::Records(kind) => kind,
            Writes::Bank => {
                if matches!(reply, Reply::Imported(_)) || matches!(reply, Reply::Doctor(r) if r.changed()) {
                    listener(&self.bank_changed(&actor.user));
                }
                return;
            }
        };
        let Reply::Saved(s) = reply else { return };
        if s.revision != 1 && s.changed.is_empty() && s.also_changed.is_empty() {
            return;
        }
        let primary = change(kind, &s.code, s.revision);
        listener(&primary);
        for code in &s.also_changed {
            let Some(side_kind) = RecordKind::of_code(code) else {
                listener(&self.bank_changed(&actor.user));
                continue;
            };
            let Some(revision) = saved(written, code).map(|r| r.revision) else {
                // Not handed by the write path: whoever shows it reads everything again.
                listener(&self.bank_changed(&actor.user));
                continue;
            };
            let mut side = change(side_kind, code, revision);
            // A need or family moved by a proposal or placement is heard
            // only where the link is: a third service must not learn, from
            // the moment and the author, who took the step.
            let by_link = matches!(kind, RecordKind::Proposal | RecordKind::Placement);
            if by_link && matches!(side_kind, RecordKind::Need | RecordKind::Family) {
                side.involved = moving_link(written, primary.involved, side.involved);
            }
            listener(&side);
        }
    }

    /// The whole bank changed (an import, a repair, a record set aside).
    pub(super) fn bank_changed(&self, by: &str) -> Committed {
        Committed { event: Event::Bank { by: by.to_string() }, involved: Involved::Nobody }
    }
}

/// The link through which a need or family (`own`: its service) moved:
/// the request's own record when it concerns that service, else the link
/// saved alongside that does (a proposal of another service withdrawn in
/// the same transaction, whose need goes back to open), so that the
/// need's service hears of it.
fn moving_link(written: &[SavedRecord], primary: Involved, own: Involved) -> Involved {
    let concerns = |link: Involved| match (own, link) {
        (Involved::Service(s), Involved::Link { need, family }) => s == need || s == family,
        _ => false,
    };
    if concerns(primary) {
        return primary;
    }
    written.iter().map(|r| r.involved).find(|l| concerns(*l)).unwrap_or(primary)
}

/// A just-saved record as the write path handed it (its last save, if
/// saved twice); a record it did not hand is heard only by who follows everything.
fn saved<'a>(written: &'a [SavedRecord], code: &str) -> Option<&'a SavedRecord> {
    written.iter().rev().find(|r| r.code == code)
}

/// What a write request changes; `None` for reads.
pub(super) fn writes(request: &Request) -> Option<Writes> {
    use Request::*;
    let kind = match request {
        Import { .. } | Doctor { repair: true } => return Some(Writes::Bank),
        Init { .. } | OperatorCreate { .. } | OperatorUpdate { .. } => RecordKind::Operator,
        AmbitSave { .. } => RecordKind::Ambit,
        ServiceCreate { .. } | ServiceUpdate { .. } => RecordKind::Service,
        FamilyCreate { .. } | FamilyUpdate { .. } => RecordKind::Family,
        NeedCreate { .. } | NeedUpdate { .. } => RecordKind::Need,
        ProposalCreate { .. } | ProposalStep { .. } => RecordKind::Proposal,
        PlacementStart { .. } | PlacementPlan { .. } | PlacementReview { .. } | PlacementClose { .. } => {
            RecordKind::Placement
        }
        _ => return None,
    };
    Some(Writes::Records(kind))
}
