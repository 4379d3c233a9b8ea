//! Names of fields as operators know them.

use super::Lang;
use crate::model::FieldRef;

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
            entry.fields.iter().map(|r| format!("{} {r}", lang.pick("motivo:", "reason:"))).collect()
        }
        _ => entry.fields.iter().map(|f| field_label(f, lang)).collect(),
    }
}
