//! Who may see and change what. The one table of the product's visibility
//! rules; the bank asks it before every read and write.
//!
//! - admin: runs the bank (services, operators, ambiti, backups), writes
//!   every record's shared part; never reads a child's or a family's
//!   identity in an ordinary read, list, search or ranking. An emergency
//!   read with a reason (`emergency_read`) is the only way, audited as such.
//! - coordinator: every family's identity and all shared views; no child's
//!   identity, not even in an emergency; no writes to families and needs.
//! - operator: read/write its own service's families and needs, identity
//!   included; the shared view of everyone else's.
//! - reader: shared views only.
//! - reception (a reception service's operator): shared views; its own
//!   service's vacancies; the proposals to its service and the placements
//!   in it (answering, reviewing). Nothing else.
//! - proposals and placements: the two services involved (operators and
//!   readers), the coordination and administrators (`follows_link`).
//! - live events: as the record they are about (`hears`).
//!
//! docs/privacy.md lists, field by field, what each role sees.

use crate::api::{Event, Principal};
use crate::model::{RecordKind, Role, ServiceCode};

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    ReadShared,
    ReadIdentity,
    Create,
    Update,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Family,
    Need,
    /// Services, operators and ambiti.
    Directory,
    AuditLog,
    Backup,
    /// The network's events: everyone sees them; a service runs its own,
    /// the coordination any.
    Event,
    /// A reception service's declared vacancies: its own operators, the
    /// coordination (told on the phone), administrators.
    Vacancy,
    /// Answering for a reception service: the proposals to it, the reviews
    /// of its placements. Its own operators and administrators.
    Reception,
}

/// Is `who` allowed `op` on a record of `subject` owned by `owner`?
pub fn allowed(who: &Principal, op: Operation, subject: Subject, owner: Option<ServiceCode>) -> bool {
    use Operation::*;
    use Subject::*;
    let own = owner.is_some() && who.service == owner;
    match who.role {
        // Running the bank is not reading people: identities stay with their services.
        Role::Admin => !matches!((subject, op), (Family | Need, ReadIdentity)),
        Role::Coordinator => matches!(
            (subject, op),
            (Family | Need | Directory | AuditLog, ReadShared) | (Family, ReadIdentity) | (Event | Vacancy, _)
        ),
        Role::Operator => match (subject, op) {
            (Family | Need | Directory | Event, ReadShared) => true,
            (Family | Need, ReadIdentity | Create | Update) => own,
            (Event, Create | Update) => own,
            _ => false,
        },
        Role::Reader => matches!((subject, op), (Family | Need | Directory | Event, ReadShared)),
        Role::Reception => match (subject, op) {
            (Family | Need | Directory | Event, ReadShared) => true,
            (Vacancy | Reception, Update) => own,
            _ => false,
        },
    }
}

/// Why a change was refused: the role never may make it, or it may but
/// the record is another service's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denial {
    Role,
    Service,
}

/// Is `who` refused `op` on a record of `subject` owned by `owner`, and why?
/// Derived from `allowed`: a refusal the role would not meet on its own
/// service's records is the service's.
pub fn denial(who: &Principal, op: Operation, subject: Subject, owner: Option<ServiceCode>) -> Option<Denial> {
    if allowed(who, op, subject, owner) {
        None
    } else if who.service.is_some() && allowed(who, op, subject, who.service) {
        Some(Denial::Service)
    } else {
        Some(Denial::Role)
    }
}

/// Which side of a proposal or placement may take a step on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkSide {
    /// The child's service: proposing, withdrawing, starting, planning, closing.
    NeedService,
    /// The family's service (or the reception service proposed):
    /// reviewing a proposal, accepting, declining.
    FamilyService,
    /// Either service: a placement's reviews.
    Either,
}

/// May `who` take a step of `side` on a link between these two services
/// (None), or why not? `to_reception`: the host is a reception service,
/// answered for by its own operators. The one rule for the core and for
/// the keys offered.
pub fn link_denial(
    who: &Principal,
    side: LinkSide,
    need_service: ServiceCode,
    family_service: ServiceCode,
    to_reception: bool,
) -> Option<Denial> {
    let host = if to_reception { Subject::Reception } else { Subject::Family };
    let need = || denial(who, Operation::Update, Subject::Need, Some(need_service));
    let family = || denial(who, Operation::Update, host, Some(family_service));
    match side {
        LinkSide::NeedService => need(),
        LinkSide::FamilyService => family(),
        LinkSide::Either => match (need(), family()) {
            (None, _) | (_, None) => None,
            (Some(Denial::Service), _) | (_, Some(Denial::Service)) => Some(Denial::Service),
            _ => Some(Denial::Role),
        },
    }
}

/// May `who` read the identity of a record of `subject` through an
/// emergency request (with a reason, audited as such)? Administrators
/// only; the coordination never reads a child's identity, and reads a
/// family's in the ordinary way.
pub fn emergency_read(who: &Principal, subject: Subject) -> bool {
    who.role == Role::Admin && matches!(subject, Subject::Family | Subject::Need)
}

/// May `who` follow a proposal or placement between these two services?
/// Its notes, reasons, plan and reviews are case work: only the two
/// services' own staff, the coordination and administrators read them.
pub fn follows_link(who: &Principal, need_service: ServiceCode, family_service: ServiceCode) -> bool {
    match who.role {
        Role::Admin | Role::Coordinator => true,
        Role::Operator | Role::Reader | Role::Reception => {
            who.service.is_some_and(|s| s == need_service || s == family_service)
        }
    }
}

/// May `who` hear, live, of this committed change? As it may read the
/// record: the shared view of families, needs and the directory is
/// everyone's; a proposal or placement only its two services' (and the
/// coordination's and administrators'). A change whose services could not
/// be read back is heard only by who follows everything.
pub fn hears(who: &Principal, event: &Event, involved: Involved) -> bool {
    use RecordKind::*;
    let directory = || allowed(who, Operation::ReadShared, Subject::Directory, None);
    let Some(kind) = event.kind() else { return directory() };
    match (kind, involved) {
        (Family, Involved::Service(owner)) => allowed(who, Operation::ReadShared, Subject::Family, Some(owner)),
        (Need, Involved::Service(owner)) => allowed(who, Operation::ReadShared, Subject::Need, Some(owner)),
        // A need or family moved by a step of a link is heard where the link is.
        (Proposal | Placement | Need | Family, Involved::Link { need, family }) => follows_link(who, need, family),
        (Service | Operator | Ambit | Event, _) => directory(),
        _ => matches!(who.role, Role::Admin | Role::Coordinator),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Change;
    use crate::model::ServiceCode;

    const S1: ServiceCode = ServiceCode(1);
    const S2: ServiceCode = ServiceCode(2);
    const S3: ServiceCode = ServiceCode(3);

    fn who(role: Role, service: Option<ServiceCode>) -> Principal {
        Principal { user: "chi".into(), display_name: "Chi".into(), role, service }
    }

    fn change(kind: RecordKind, involved: Involved) -> (Event, Involved) {
        (Event::Changed(Change { kind, code: "X-1".into(), revision: 1, by: "altro".into() }), involved)
    }

    fn bank_changed() -> (Event, Involved) {
        (Event::Bank { by: "altro".into() }, Involved::Nobody)
    }

    fn hears(who: &Principal, (event, involved): &(Event, Involved)) -> bool {
        super::hears(who, event, *involved)
    }

    #[test]
    fn proposals_and_placements_are_heard_only_by_their_two_services_and_who_follows_everything() {
        for kind in [RecordKind::Proposal, RecordKind::Placement] {
            let link = change(kind, Involved::Link { need: S1, family: S2 });
            for role in [Role::Operator, Role::Reader] {
                assert!(hears(&who(role, Some(S1)), &link), "{role:?} of the child's service, {kind}");
                assert!(hears(&who(role, Some(S2)), &link), "{role:?} of the family's service, {kind}");
                assert!(!hears(&who(role, Some(S3)), &link), "{role:?} of a third service, {kind}");
                assert!(!hears(&who(role, None), &link), "{role:?} of no service, {kind}");
            }
            assert!(hears(&who(Role::Coordinator, None), &link));
            assert!(hears(&who(Role::Admin, None), &link));
        }
    }

    #[test]
    fn a_need_or_family_moved_by_a_link_is_heard_only_where_the_link_is() {
        for kind in [RecordKind::Need, RecordKind::Family] {
            let moved = change(kind, Involved::Link { need: S1, family: S2 });
            assert!(hears(&who(Role::Operator, Some(S1)), &moved), "{kind}");
            assert!(hears(&who(Role::Operator, Some(S2)), &moved), "{kind}");
            assert!(!hears(&who(Role::Operator, Some(S3)), &moved), "a third service, {kind}");
            assert!(!hears(&who(Role::Reader, Some(S3)), &moved), "a third service's reader, {kind}");
        }
    }

    #[test]
    fn shared_records_and_the_directory_are_heard_by_every_role() {
        let changes = [
            change(RecordKind::Family, Involved::Service(S1)),
            change(RecordKind::Need, Involved::Service(S1)),
            change(RecordKind::Service, Involved::Nobody),
            change(RecordKind::Operator, Involved::Nobody),
            change(RecordKind::Ambit, Involved::Nobody),
            bank_changed(),
        ];
        for role in [Role::Admin, Role::Coordinator, Role::Operator, Role::Reader] {
            for c in &changes {
                assert!(hears(&who(role, Some(S3)), c), "{role:?} of S-003 hears of {:?}", c.0);
            }
        }
    }

    #[test]
    fn a_change_whose_services_are_unknown_is_heard_only_by_the_coordination_and_administrators() {
        for kind in [RecordKind::Family, RecordKind::Need, RecordKind::Proposal, RecordKind::Placement] {
            let lost = change(kind, Involved::Unknown);
            assert!(!hears(&who(Role::Operator, Some(S1)), &lost), "{kind}");
            assert!(!hears(&who(Role::Reader, Some(S1)), &lost), "{kind}");
            assert!(hears(&who(Role::Coordinator, None), &lost), "{kind}");
            assert!(hears(&who(Role::Admin, None), &lost), "{kind}");
        }
        // A proposal that claims a single service is malformed: not widened to its service.
        let odd = change(RecordKind::Proposal, Involved::Service(S1));
        assert!(!hears(&who(Role::Operator, Some(S1)), &odd));
    }

    #[test]
    fn a_step_of_a_link_is_refused_for_the_service_to_operators_and_for_the_role_to_the_others() {
        use LinkSide::*;
        let (need, family) = (S1, S2);
        let denied = |role, service, side| link_denial(&who(role, service), side, need, family, false);
        // The child's service: its own steps and the reviews.
        assert_eq!(denied(Role::Operator, Some(S1), NeedService), None);
        assert_eq!(denied(Role::Operator, Some(S1), Either), None);
        assert_eq!(denied(Role::Operator, Some(S1), FamilyService), Some(Denial::Service));
        // The family's service: its own steps and the reviews, not the closing.
        assert_eq!(denied(Role::Operator, Some(S2), FamilyService), None);
        assert_eq!(denied(Role::Operator, Some(S2), Either), None);
        assert_eq!(denied(Role::Operator, Some(S2), NeedService), Some(Denial::Service));
        // A third service: the service is the reason; a reader's or the coordination's, the role.
        assert_eq!(denied(Role::Operator, Some(S3), Either), Some(Denial::Service));
        for side in [NeedService, FamilyService, Either] {
            assert_eq!(denied(Role::Reader, Some(S1), side), Some(Denial::Role), "{side:?}");
            assert_eq!(denied(Role::Coordinator, None, side), Some(Denial::Role), "{side:?}");
            assert_eq!(denied(Role::Admin, None, side), None, "{side:?}");
        }
    }
}
