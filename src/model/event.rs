//! The network's events: information evenings, training courses and
//! support groups of foster families, run by a service (with an
//! association, maybe). Who attended is the families' own record (a step
//! of their pathway, an entry of their support log): the event knows
//! only its count.

use serde::{Deserialize, Serialize};
use time::Date;

use super::codes::{EventCode, ServiceCode};
use super::comune::ComuneCode;
use super::fields::Field;
use super::limits;
use super::meta::{Context, Meta};
use super::problem::{Problems, Reason};
use super::vocabulary::fold_token;
use super::Lang;

vocabulary! {
    pub enum EventKind {
        InformationEvening => ("information_evening", "serata_informativa", "serata informativa", "information evening"),
        TrainingCourse => ("training_course", "corso", "corso di formazione", "training course"),
        SupportGroup => ("support_group", "gruppo", "gruppo di sostegno", "support group"),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkEvent {
    pub code: EventCode,
    /// The service that runs it; `None`: the provincial coordination.
    pub organiser: Option<ServiceCode>,
    pub details: EventInput,
    pub meta: Meta,
}

/// What an operator submits to create or change an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventInput {
    pub kind: EventKind,
    pub title: String,
    /// The association running it with the service, if any.
    pub association: String,
    /// The first (or only) day.
    pub date: Date,
    /// The last day of a course held over several meetings.
    pub until: Option<Date>,
    pub comune: ComuneCode,
    /// Where: a hall, an address.
    pub place: String,
    pub notes: String,
}

impl EventInput {
    pub fn validate(&self, cx: &Context) -> Problems {
        let mut p = Problems::new();
        p.require_text(Field::EventTitle, &self.title, limits::MAX_NAME);
        p.limit_text(Field::EventAssociation, &self.association, limits::MAX_NAME);
        p.check_date(Field::EventDate, self.date, limits::EVENT_DATE, cx.today);
        if let Some(until) = self.until {
            if until < self.date {
                p.push(Field::EventUntil, Reason::Before { other_field: Field::EventDate });
            } else {
                p.check_date(Field::EventUntil, until, limits::EVENT_DATE, cx.today);
            }
        }
        if cx.comuni.get(self.comune).is_none() {
            p.push(Field::EventComune, Reason::UnknownComune { code: self.comune.to_string() });
        }
        p.limit_text(Field::EventPlace, &self.place, limits::MAX_ADDRESS);
        p.limit_text(Field::EventNotes, &self.notes, limits::MAX_NOTES);
        p
    }
}
