//! The words of the live event stream (`banca watch`).

use super::Lang;
use crate::protocol::EventKind;

/// What an event is about, as one word.
pub fn event_kind_label(kind: EventKind, lang: Lang) -> &'static str {
    match kind {
        EventKind::Family => lang.pick("famiglia", "family"),
        EventKind::Need => lang.pick("richiesta", "need"),
        EventKind::Proposal => lang.pick("proposta", "proposal"),
        EventKind::Placement => lang.pick("affido", "placement"),
        EventKind::Service => lang.pick("servizio", "service"),
        EventKind::Operator => lang.pick("operatore", "operator"),
        EventKind::Ambit => lang.pick("ambito", "ambit"),
        EventKind::Bank => lang.pick("banca", "bank"),
        EventKind::Lagged => lang.pick("persi", "missed"),
    }
}

/// The rest of an event's line: its revision and who made the change.
pub fn event_revision(revision: u64, lang: Lang) -> String {
    match revision {
        0 => lang.pick("di riflesso", "alongside").to_string(),
        n => format!("{} {n}", lang.pick("rev.", "rev")),
    }
}

/// Said in place of the events a slow reader missed.
pub fn events_missed(lang: Lang) -> &'static str {
    lang.pick(
        "alcune modifiche non sono arrivate (lettura troppo lenta): rileggere ciò che serve",
        "some changes were missed (reading too slowly): read again what matters",
    )
}
