//! The words of the live event stream (`banca watch`).

use super::{catalogue, Lang};
use crate::api::Event;

catalogue!(
    /// The words of `banca watch`'s lines.
    EventWords {
        Bank => "banca", "bank";
        Lagged => "persi", "missed";
        // A change of the whole bank (a restore, a repair) has no revision of its own.
        Whole => "tutta", "whole";
        Revision => "rev. {n}", "rev {n}";
        Missed => "alcune modifiche non sono arrivate (lettura troppo lenta): rileggere ciò che serve",
            "some changes were missed (reading too slowly): read again what matters";
    }
);

/// What an event is about, as one word.
pub fn event_label(event: &Event, lang: Lang) -> &'static str {
    match event {
        Event::Changed(c) => c.kind.name(lang),
        Event::Bank { .. } => EventWords::Bank.get(lang),
        Event::Lagged => EventWords::Lagged.get(lang),
    }
}

/// The rest of an event's line: its revision and who made the change.
pub fn event_revision(revision: u64, lang: Lang) -> String {
    match revision {
        0 => EventWords::Whole.get(lang).to_string(),
        n => EventWords::Revision.fill(lang, &[("n", &n)]),
    }
}

/// Said in place of the events a slow reader missed.
pub fn events_missed(lang: Lang) -> &'static str {
    EventWords::Missed.get(lang)
}
