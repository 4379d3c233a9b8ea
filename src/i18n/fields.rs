//! Names of fields as operators know them.

use super::{catalogue, Lang};
use crate::model::fields::FieldPath;

catalogue!(
    /// How a field is named beyond its label.
    FieldWords {
        Nth => "{label} n. {n}", "{label} n. {n}";
        Reason => "motivo: {reason}", "reason: {reason}";
    }
);

/// "fascia d'età" for `profile.ages`; an index is said as a number
/// (`identity.adults[1].name` → "nome dell'adulto n. 2").
pub fn field_label(field: &str, lang: Lang) -> String {
    let index = field.find('[').and_then(|i| field[i + 1..].split(']').next()).and_then(|n| n.parse::<usize>().ok());
    match FieldPath::of(field).and_then(|f| f.label(lang)) {
        Some(label) => match index {
            Some(i) => FieldWords::Nth.fill(lang, &[("label", &label), ("n", &(i + 1))]),
            None => label.to_string(),
        },
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
        _ => entry.fields.iter().map(|f| field_label(f, lang)).collect(),
    }
}

#[cfg(test)]
pub(crate) fn all_fields() -> impl Iterator<Item = &'static str> {
    crate::model::fields::FIELDS.iter().filter(|f| !f.it.is_empty()).map(|f| f.path)
}
