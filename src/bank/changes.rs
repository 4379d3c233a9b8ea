//! What the bank tells its listener after each committed change: the kind
//! of record, its code and revision, who changed it, and the services the
//! record belongs to, so that whoever fans the change out can filter it by
//! the access table (`access::hears`). A change carries no identity.

use serde::{Deserialize, Serialize};

use crate::model::*;
use crate::store::TreeId;

use super::{Actor, Bank, Reply, Request};

/// The kind of record a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Family,
    Need,
    Proposal,
    Placement,
    Service,
    Operator,
    Ambit,
    /// The whole bank (an import).
    Bank,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Family => "family",
            ChangeKind::Need => "need",
            ChangeKind::Proposal => "proposal",
            ChangeKind::Placement => "placement",
            ChangeKind::Service => "service",
            ChangeKind::Operator => "operator",
            ChangeKind::Ambit => "ambit",
            ChangeKind::Bank => "bank",
        }
    }
}

impl std::fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The services a changed record belongs to, as the access table needs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Involved {
    /// Directory records and the bank as a whole: nobody's own.
    Nobody,
    /// A family or a need: the service that holds it.
    Service(ServiceCode),
    /// A proposal or a placement: the child's service and the family's.
    Link { need: ServiceCode, family: ServiceCode },
    /// The record could not be read back: only who follows everything hears of it.
    Unknown,
}

/// A committed change of one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    pub code: String,
    /// The new revision; 0 when the record was changed as a side effect (siblings).
    pub revision: u64,
    pub by: String,
    pub involved: Involved,
}

impl Bank {
    /// Tells the listener (if any) of what a successful write changed.
    pub(super) fn notify(&self, actor: &Actor, kind: ChangeKind, reply: &Reply) {
        let Some(listener) = self.listener.get() else { return };
        let change = |kind, code: &str, revision| Change {
            kind,
            code: code.to_string(),
            revision,
            by: actor.user.clone(),
            involved: self.involved(kind, code),
        };
        match reply {
            Reply::Saved(s) if s.revision == 1 || !s.changed.is_empty() || !s.also_changed.is_empty() => {
                let primary = change(kind, &s.code, s.revision);
                listener(&primary);
                for code in &s.also_changed {
                    let mut side = change(kind_of_code(code), code, 0);
                    // A need or family moved by a proposal or placement is
                    // heard only where the link is: a third service must not
                    // learn, from the moment and the author, who took the step.
                    let by_link = matches!(kind, ChangeKind::Proposal | ChangeKind::Placement);
                    if by_link && matches!(side.kind, ChangeKind::Need | ChangeKind::Family) {
                        side.involved = primary.involved;
                    }
                    listener(&side);
                }
            }
            Reply::Imported(_) => listener(&change(kind, "*", 0)),
            Reply::Doctor(r) if r.changed() => listener(&change(kind, "*", 0)),
            _ => {}
        }
    }

    /// Reads back the services a just-changed record belongs to.
    fn involved(&self, kind: ChangeKind, code: &str) -> Involved {
        let found = match (kind, RecordCode::parse(code)) {
            (ChangeKind::Service | ChangeKind::Operator | ChangeKind::Ambit | ChangeKind::Bank, _) => {
                return Involved::Nobody
            }
            (ChangeKind::Family, Some(RecordCode::Family(c))) => self
                .store
                .get::<Family>(TreeId::Families, &c.key())
                .map(|r| r.map(|(_, f)| Involved::Service(f.service))),
            (ChangeKind::Need, Some(RecordCode::Need(c))) => {
                self.store.get::<Need>(TreeId::Needs, &c.key()).map(|r| r.map(|(_, n)| Involved::Service(n.service)))
            }
            (ChangeKind::Proposal, Some(RecordCode::Proposal(c))) => self
                .store
                .get::<Proposal>(TreeId::Proposals, &c.key())
                .map(|r| r.map(|(_, p)| Involved::Link { need: p.need_service, family: p.family_service })),
            (ChangeKind::Placement, Some(RecordCode::Placement(c))) => self
                .store
                .get::<Placement>(TreeId::Placements, &c.key())
                .map(|r| r.map(|(_, p)| Involved::Link { need: p.need_service, family: p.family_service })),
            _ => Ok(None),
        };
        match found {
            Ok(Some(involved)) => involved,
            Ok(None) => Involved::Unknown,
            Err(e) => {
                tracing::error!(code, "services of a changed record: {e}");
                Involved::Unknown
            }
        }
    }
}

/// The kind of record a write request changes; `None` for reads.
pub(super) fn changed_kind(request: &Request) -> Option<ChangeKind> {
    use Request::*;
    match request {
        Init { .. } | OperatorCreate { .. } | OperatorUpdate { .. } => Some(ChangeKind::Operator),
        Import { .. } | Doctor { repair: true } => Some(ChangeKind::Bank),
        AmbitSave { .. } => Some(ChangeKind::Ambit),
        ServiceCreate { .. } | ServiceUpdate { .. } => Some(ChangeKind::Service),
        FamilyCreate { .. } | FamilyUpdate { .. } => Some(ChangeKind::Family),
        NeedCreate { .. } | NeedUpdate { .. } => Some(ChangeKind::Need),
        ProposalCreate { .. } | ProposalStep { .. } => Some(ChangeKind::Proposal),
        PlacementStart { .. } | PlacementPlan { .. } | PlacementReview { .. } | PlacementClose { .. } => {
            Some(ChangeKind::Placement)
        }
        _ => None,
    }
}

/// The kind of record a code names, for records changed alongside.
fn kind_of_code(code: &str) -> ChangeKind {
    match RecordCode::parse(code) {
        Some(RecordCode::Family(_)) => ChangeKind::Family,
        Some(RecordCode::Need(_)) => ChangeKind::Need,
        Some(RecordCode::Proposal(_)) => ChangeKind::Proposal,
        Some(RecordCode::Placement(_)) => ChangeKind::Placement,
        Some(RecordCode::Service(_)) => ChangeKind::Service,
        None => ChangeKind::Bank,
    }
}
