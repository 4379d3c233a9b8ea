//! Names of fields as operators know them.

use super::{catalogue, Lang};
use crate::model::FieldRef;

catalogue!(
    /// How an audit entry's reason is introduced.
    FieldWords {
        Reason => "motivo: {reason}", "reason: {reason}";
    }
);

/// A field named by its path (an audit entry's, a form's): "fascia d'età"
/// for `profile.ages`, "nome dell'adulto n. 2" for `identity.adults[1].name`;
/// a path the table does not hold is shown as it is.
pub fn field_label(field: &str, lang: Lang) -> String {
    match FieldRef::parse(field) {
        Some(f) => f.label(lang),
        None => field.to_string(),
    }
}

/// The names of fields live with them, in `model::fields`.
pub use crate::model::fields::strip_indices;

/// An audit entry's fields as an operator reads them: field names in
/// words, or the reason an administrator gave (an emergency read) or the
/// store found (a quarantine).
pub fn audit_fields(entry: &crate::api::AuditEntry, lang: Lang) -> Vec<String> {
    use crate::api::AuditAction;
    match entry.action {
        AuditAction::EmergencyRead | AuditAction::Quarantine => {
            entry.fields.iter().map(|r| FieldWords::Reason.fill(lang, &[("reason", r)])).collect()
        }
        // A proposal's step names the state it reached (a token): the reader's word for it.
        AuditAction::ProposalStep => entry
            .fields
            .iter()
            .map(|f| match crate::model::ProposalStatus::parse(f) {
                Some(status) => status.label(lang).to_string(),
                None => field_label(f, lang),
            })
            .collect(),
        _ => entry.fields.iter().map(|f| field_label(f, lang)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{AuditAction, AuditEntry};

    fn step(fields: &[&str]) -> AuditEntry {
        AuditEntry {
            seq: 7,
            at: time::macros::datetime!(2026-12-06 13:00 UTC),
            actor: "anna".into(),
            action: AuditAction::ProposalStep,
            record: "P-2026-0003".into(),
            fields: fields.iter().map(|f| f.to_string()).collect(),
        }
    }

    #[test]
    fn a_proposal_step_in_the_audit_log_is_named_in_the_readers_language() {
        assert_eq!(audit_fields(&step(&["accepted"]), Lang::It), ["accettata"]);
        assert_eq!(audit_fields(&step(&["declined"]), Lang::It), ["rifiutata"]);
        assert_eq!(audit_fields(&step(&["started"]), Lang::En), ["started (placement opened)"]);
    }
}
