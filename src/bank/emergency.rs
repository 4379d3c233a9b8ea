//! The administrator's emergency read: the one way an administrator sees a
//! family's or a child's identity. It names the record and gives a reason;
//! the reason goes on record with the read, before the answer leaves, and
//! `banca audit` shows it. The coordination never reads a child's identity,
//! not even this way (it reads families' in the ordinary way).

use crate::access::{self, Subject};
use crate::model::*;
use crate::store::audit::AuditAction;

use super::*;

/// Long enough for a reason, short enough to stay one line of the log.
pub const MAX_REASON: usize = crate::model::limits::MAX_EMERGENCY_REASON;

impl Bank {
    pub(super) fn emergency_read(&self, who: &Principal, code: &str, reason: &str) -> Response {
        let record = RecordCode::parse(code.trim());
        let subject = match record {
            Some(RecordCode::Family(_)) => Subject::Family,
            _ => Subject::Need,
        };
        if !access::emergency_read(who, subject) {
            return Err(BankError::Forbidden { action: "emergency_read".into() });
        }
        let reason = reason.trim();
        let mut problems = Problems::new();
        problems.require_text(Field::Reason, reason, MAX_REASON);
        finish(problems)?;
        let (code, reply) = match record {
            Some(RecordCode::Family(c)) => (c.to_string(), Reply::Family(self.emergency_family(c)?)),
            Some(RecordCode::Need(c)) => (c.to_string(), Reply::Need(self.emergency_need(c)?)),
            _ => return Err(BankError::NotFound { code: code.trim().to_string() }),
        };
        let _w = self.write_lock();
        let now = self.clock.now();
        self.store.transact(|tx| {
            tx.audit::<BankError>(now, &who.user, AuditAction::EmergencyRead, &code, vec![reason.to_string()])?;
            Ok(())
        })?;
        Ok(reply)
    }
}
