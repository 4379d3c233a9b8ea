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
//! - proposals and placements: the two services involved (operators and
//!   readers), the coordination and administrators (`follows_link`).
//!
//! docs/privacy.md lists, field by field, what each role sees.

use crate::bank::Principal;
use crate::model::{Role, ServiceCode};

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
}

/// Is `who` allowed `op` on a record of `subject` owned by `owner`?
pub fn allowed(who: &Principal, op: Operation, subject: Subject, owner: Option<ServiceCode>) -> bool {
    use Operation::*;
    use Subject::*;
    let own = owner.is_some() && who.service == owner;
    match who.role {
        // Running the bank is not reading people: identities stay with their services.
        Role::Admin => !matches!((subject, op), (Family | Need, ReadIdentity)),
        Role::Coordinator => {
            matches!((subject, op), (Family | Need | Directory | AuditLog, ReadShared) | (Family, ReadIdentity))
        }
        Role::Operator => match (subject, op) {
            (Family | Need | Directory, ReadShared) => true,
            (Family | Need, ReadIdentity | Create | Update) => own,
            _ => false,
        },
        Role::Reader => matches!((subject, op), (Family | Need | Directory, ReadShared)),
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
        Role::Operator | Role::Reader => who.service.is_some_and(|s| s == need_service || s == family_service),
    }
}
