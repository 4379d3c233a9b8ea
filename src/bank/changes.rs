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
                let through = saved(written, code).and_then(|r| r.through.as_deref());
                side.involved = moving_link(written, primary.involved, side.involved, through);
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
/// the proposal it was moved `through` when that was saved alongside (a
/// proposal withdrawn in the same transaction, whose need goes back to
/// open: only its two services hear, never a third one that also had a
/// proposal withdrawn), else the request's own record when it concerns
/// that service, else the first link saved alongside that does.
fn moving_link(written: &[SavedRecord], primary: Involved, own: Involved, through: Option<&str>) -> Involved {
    let concerns = |link: Involved| match (own, link) {
        (Involved::Service(s), Involved::Link { need, family }) => s == need || s == family,
        _ => false,
    };
    if let Some(link) = through.and_then(|code| saved(written, code)).map(|r| r.involved).filter(|l| concerns(*l)) {
        return link;
    }
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
        FamilyCreate { .. } | FamilyUpdate { .. } | FamilyEnquiry { .. } | FamilyStep { .. } | FamilySupport { .. } => {
            RecordKind::Family
        }
        EventCreate { .. } | EventUpdate { .. } => RecordKind::Event,
        NeedCreate { .. } | NeedUpdate { .. } => RecordKind::Need,
        ProposalCreate { .. } | ProposalStep { .. } => RecordKind::Proposal,
        PlacementStart { .. }
        | PlacementPlan { .. }
        | PlacementReview { .. }
        | PlacementClose { .. }
        | PlacementExtend { .. }
        | PlacementCourtReport { .. } => RecordKind::Placement,
        _ => return None,
    };
    Some(Writes::Records(kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(code: &str, involved: Involved, through: Option<&str>) -> SavedRecord {
        SavedRecord { code: code.into(), revision: 2, involved, through: through.map(Into::into) }
    }

    /// S-001's child is placed with S-002's family F. In the same
    /// transaction S-001's other proposal (to S-003's family G) is withdrawn,
    /// and S-003's proposal P-3 of its child C for F, which no longer fits.
    /// C went back to open through P-3: S-003 and S-002 hear it, never
    /// S-001 (which would learn that C was competing for F).
    #[test]
    fn a_need_moved_by_the_race_is_heard_through_its_own_proposal_only() {
        let (s1, s2, s3) = (ServiceCode(1), ServiceCode(2), ServiceCode(3));
        let placement = Involved::Link { need: s1, family: s2 };
        let written = vec![
            record("A-2026-0001", placement, None),
            record("P-2026-0002", Involved::Link { need: s1, family: s3 }, None),
            record("P-2026-0003", Involved::Link { need: s3, family: s2 }, None),
            record("R-2026-0009", Involved::Service(s3), Some("P-2026-0003")),
        ];
        let heard_by = moving_link(&written, placement, Involved::Service(s3), Some("P-2026-0003"));
        assert_eq!(heard_by, Involved::Link { need: s3, family: s2 });
        // Without the proposal it moved through, the first link of its service is all there is.
        let guessed = moving_link(&written, placement, Involved::Service(s3), None);
        assert_eq!(guessed, Involved::Link { need: s1, family: s3 });
    }
}
