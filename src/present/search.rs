//! A search hit, in words: what kind of record it is, and where it stands.

use crate::api::{Hit, HitKind};
use crate::i18n::{comune_label, Lang};
use crate::model::*;

/// "famiglia", "richiesta", "comune"…
pub fn kind_word(kind: HitKind, lang: Lang) -> &'static str {
    match kind {
        HitKind::Family => RecordKind::Family.name(lang),
        HitKind::Need => RecordKind::Need.name(lang),
        HitKind::Comune => "comune",
        HitKind::Service => RecordKind::Service.name(lang),
        HitKind::Operator => RecordKind::Operator.name(lang),
    }
}

/// Where the record is, its status, its service and the detail the index
/// keeps (a service's phone, a comune's region, an operator's role), each
/// a part of its own, to show joined by " · ".
pub fn context(hit: &Hit, lang: Lang) -> Vec<String> {
    let mut parts = Vec::new();
    if hit.kind != HitKind::Comune {
        if let Some(c) = hit.comune {
            parts.push(comune_label(&c.to_string()));
        }
    }
    let status = hit.status.as_deref().and_then(|token| match hit.kind {
        HitKind::Family => FamilyStatus::parse(token).map(|s| s.label(lang)),
        HitKind::Need => NeedStatus::parse(token).map(|s| s.label(lang)),
        _ => None,
    });
    parts.extend(status.map(str::to_string));
    if hit.kind != HitKind::Service {
        parts.extend(hit.service.map(|s| s.to_string()));
    }
    let detail = match hit.kind {
        HitKind::Operator => Role::parse(&hit.detail).map_or(hit.detail.clone(), |r| r.label(lang).to_string()),
        _ => hit.detail.clone(),
    };
    if !detail.trim().is_empty() {
        parts.push(detail);
    }
    parts
}
