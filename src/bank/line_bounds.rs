//! The bounds of each record line of an import (`model::bounds`): the same
//! limits as the forms, applied to whole stored records, so that no restore
//! can write a record the codec could not read back. `backup` calls
//! `Bounded::bounds` on every line it parses and `merge`s the result.

use crate::model::limits::{
    MAX_AUDIT_FIELDS, MAX_AUDIT_RECORD, MAX_NOTES, MAX_QUARANTINE_KEY, MAX_QUARANTINE_RAW, MAX_QUARANTINE_TREE,
    MAX_USER,
};
use crate::model::{Bounded, Field, Problem, Problems, Reason};
use crate::store::audit::AuditEntry;
use crate::store::quarantine::Quarantined;

use super::backup::ExportLine;

impl Bounded for ExportLine {
    fn bounds(&self) -> Problems {
        match self {
            ExportLine::Header { .. } | ExportLine::End { .. } | ExportLine::Counter { .. } => Problems::new(),
            ExportLine::Ambit { record, .. } => record.bounds(),
            ExportLine::Service { record, .. } => record.bounds(),
            ExportLine::Operator { record, .. } => record.bounds(),
            ExportLine::Family { record, .. } => record.bounds(),
            ExportLine::Need { record, .. } => record.bounds(),
            ExportLine::Proposal { record, .. } => record.bounds(),
            ExportLine::Placement { record, .. } => record.bounds(),
            ExportLine::Event { record, .. } => record.bounds(),
            ExportLine::Audit { record } => audit_bounds(record),
            ExportLine::Quarantined { record, raw } => quarantine_bounds(record, raw),
        }
    }
}

/// An audit entry's texts and how many fields it names.
fn audit_bounds(e: &AuditEntry) -> Problems {
    let mut p = Problems::new();
    p.limit_text(Field::Actor, &e.actor, MAX_USER);
    p.limit_text(Field::Record, &e.record, MAX_AUDIT_RECORD);
    p.limit_count(Field::AuditFields, e.fields.len(), MAX_AUDIT_FIELDS);
    for (i, f) in e.fields.iter().enumerate().take(MAX_AUDIT_FIELDS) {
        // A field's name, or a reason an operator wrote: notes' length.
        if f.chars().count() > MAX_NOTES {
            p.push(Field::AuditFields.at(i), Reason::TooLong { max: MAX_NOTES });
        }
    }
    p
}

/// A quarantined record's description; its raw bytes are kept outside the
/// codec, so their bound only keeps a line (and the quarantine) finite.
fn quarantine_bounds(q: &Quarantined, raw_hex: &str) -> Problems {
    let mut p = Problems::new();
    p.limit_text(Field::Tree, &q.tree, MAX_QUARANTINE_TREE);
    p.limit_count(Field::Key, q.key.len(), MAX_QUARANTINE_KEY);
    p.limit_text(Field::Record, &q.record, MAX_AUDIT_RECORD);
    p.limit_text(Field::Reason, &q.reason, MAX_NOTES);
    p.limit_text(Field::FoundBy, &q.found_by, MAX_USER);
    if raw_hex.len() / 2 > MAX_QUARANTINE_RAW {
        p.push(Field::Raw, Reason::TooLong { max: MAX_QUARANTINE_RAW });
    }
    p
}

/// A line's problems with its bounds added, each reported once (validation
/// already names some of the same).
pub(super) fn merge(mut problems: Vec<Problem>, bounds: Problems) -> Vec<Problem> {
    for b in bounds.into_vec() {
        if !problems.contains(&b) {
            problems.push(b);
        }
    }
    problems
}
