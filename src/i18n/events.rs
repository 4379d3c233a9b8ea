//! The words of the live event stream (`banca watch`).

use super::Lang;
use crate::api::Event;

/// What an event is about, as one word.
pub fn event_label(event: &Event, lang: Lang) -> &'static str {
    match event {
        Event::Changed(c) => c.kind.name(lang),
        Event::Bank { .. } => lang.pick("banca", "bank"),
        Event::Lagged => lang.pick("persi", "missed"),
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
