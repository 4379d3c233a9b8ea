//! The audit log of a demo bank: what a real bank would have recorded
//! while its records were written, chained in time order.

use time::OffsetDateTime;

use crate::model::{Family, Need};
use crate::store::audit::{AuditAction, AuditEntry};

use super::directory::Directory;
use super::Made;

/// One write to the bank, before it is chained.
struct Event<'a> {
    at: OffsetDateTime,
    actor: &'a str,
    action: AuditAction,
    record: String,
    fields: &'static [&'static str],
}

/// Init for the administrator, a Create per record at its creation, an
/// Update per record changed since, all in time order.
pub(super) fn chain<'a>(
    dir: &'a Directory,
    families: &'a [Made<Family>],
    needs: &'a [Made<Need>],
    writes: &'a [super::links::Write],
) -> Vec<AuditEntry> {
    let mut events: Vec<Event> = Vec::with_capacity(dir.created.len() + 2 * (families.len() + needs.len()));
    for (i, (at, record)) in dir.created.iter().enumerate() {
        // The first administrator is made by `banca init`.
        let action = if i == 0 { AuditAction::Init } else { AuditAction::Create };
        events.push(Event { at: *at, actor: &dir.admin, action, record: record.clone(), fields: &[] });
    }
    for f in families {
        record_events(&mut events, &f.record.meta, f.record.code.to_string(), f.update);
    }
    for n in needs {
        record_events(&mut events, &n.record.meta, n.record.code.to_string(), n.update);
    }
    for w in writes {
        events.push(Event { at: w.at, actor: &w.actor, action: w.action, record: w.record.clone(), fields: w.fields });
    }
    // Stable: at equal times, creations (pushed first) stay before updates.
    events.sort_by_key(|e| e.at);
    let mut out: Vec<AuditEntry> = Vec::with_capacity(events.len());
    for e in events {
        let prev = out.last().map(|p| (p.seq, p.hash));
        let fields = e.fields.iter().map(|f| f.to_string()).collect();
        out.push(AuditEntry::chained(prev, e.at, e.actor, e.action, &e.record, fields));
    }
    out
}

fn record_events<'a>(
    events: &mut Vec<Event<'a>>,
    meta: &'a crate::model::Meta,
    code: String,
    update: &'static [&'static str],
) {
    if !update.is_empty() {
        events.push(Event {
            at: meta.created_at,
            actor: &meta.created_by,
            action: AuditAction::Create,
            record: code.clone(),
            fields: &[],
        });
        events.push(Event {
            at: meta.updated_at,
            actor: &meta.updated_by,
            action: AuditAction::Update,
            record: code,
            fields: update,
        });
    } else {
        events.push(Event {
            at: meta.created_at,
            actor: &meta.created_by,
            action: AuditAction::Create,
            record: code,
            fields: &[],
        });
    }
}
