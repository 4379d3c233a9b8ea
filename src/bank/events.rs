//! The network's events: information evenings, training courses, support
//! groups. Everyone sees an event and how many families attended it; a
//! service sees which of its own (the coordination, all of them).

use crate::access::{allowed, Operation, Subject};
use crate::model::*;
use crate::store::TreeId;

use super::write::{Stored, WriteSet};
use super::*;

impl Stored for NetworkEvent {
    const KIND: RecordKind = RecordKind::Event;

    fn key(&self) -> Vec<u8> {
        self.code.key().to_vec()
    }

    fn code(&self) -> String {
        self.code.to_string()
    }

    fn meta(&self) -> &Meta {
        &self.meta
    }

    fn meta_mut(&mut self) -> &mut Meta {
        &mut self.meta
    }

    fn involved(&self) -> Involved {
        Involved::Nobody
    }
}

impl Bank {
    pub(super) fn create_event(&self, who: &Principal, input: EventInput) -> Response {
        let _w = self.write_lock();
        // An operator's event is its service's; the coordination's has none.
        let organiser = who.service;
        self.require(who, Operation::Create, Subject::Event, organiser, "event.create")?;
        finish(input.validate(&self.context()))?;
        let now = self.clock.now();
        let year = now.year() as u16;
        let written = self.commit_numbered(&format!("E/{year}"), |number| {
            let mut set = WriteSet::new(now, &who.user);
            set.create(NetworkEvent {
                code: EventCode::new(year, number),
                organiser,
                details: trimmed(&input),
                meta: Meta::new(now, &who.user),
            });
            set
        })?;
        Ok(written.saved())
    }

    pub(super) fn update_event(&self, who: &Principal, code: EventCode, base: u64, input: EventInput) -> Response {
        let may = |old: &NetworkEvent| {
            let owner = old.organiser;
            if owner.is_none() && who.service.is_some() {
                // The coordination's events are the coordination's to change.
                return Err(BankError::Forbidden { action: "event.update".into() });
            }
            self.require(who, Operation::Update, Subject::Event, owner, "event.update")
        };
        self.update_record(who, &code.key(), &code.to_string(), base, may, |old: &NetworkEvent, _| {
            let mut problems = input.validate(&self.context());
            let attended = self.index().attendees(code).count() as u32;
            if input.kind != old.details.kind && attended > 0 {
                problems.push(Field::EventKind, Reason::EventAttended { families: attended });
            }
            finish(problems)?;
            Ok(NetworkEvent { details: trimmed(&input), ..old.clone() })
        })
    }

    pub(super) fn get_event(&self, who: &Principal, code: EventCode) -> Response {
        self.require(who, Operation::ReadShared, Subject::Event, None, "event.read")?;
        let (revision, event) = self
            .store
            .get::<NetworkEvent>(TreeId::Events, &code.key())?
            .ok_or_else(|| BankError::NotFound { code: code.to_string() })?;
        Ok(Reply::Event(self.event_view(who, revision, event, true)?))
    }

    pub(super) fn list_events(
        &self,
        who: &Principal,
        kind: Option<EventKind>,
        from: Option<time::Date>,
        after: Option<Cursor>,
        limit: Option<usize>,
    ) -> Response {
        self.require(who, Operation::ReadShared, Subject::Event, None, "event.list")?;
        let mut page = super::paging::Pager::new(&self.config, limit);
        let keep = |e: &NetworkEvent| {
            kind.is_none_or(|k| e.details.kind == k)
                && from.is_none_or(|d| e.details.until.unwrap_or(e.details.date) >= d)
        };
        // Newest first: the next evening and the last course on top.
        let mut full = false;
        for kv in self.entries_after(TreeId::Events, after.as_ref(), super::paging::Order::Down) {
            let (k, revision, record) = super::paging::decoded::<NetworkEvent>(TreeId::Events, kv)?;
            // A list shows counts: the families' names are the card's (no record read per attendee).
            let build = keep(&record).then_some(move || self.event_view(who, revision, record, false));
            if !page.look_with(k, build)? {
                full = true;
                break;
            }
        }
        Ok(Reply::Events(page.page(full)))
    }

    /// The event as `who` may see it; `names`: its own families by name (the card).
    fn event_view(
        &self,
        who: &Principal,
        revision: u64,
        event: NetworkEvent,
        names: bool,
    ) -> Result<EventView, BankError> {
        let attendees: Vec<FamilyCode> = self.index().attendees(event.code).collect();
        let mut ours = Vec::new();
        for code in attendees.iter().filter(|_| names) {
            let Some((_, f)) = self.store.get::<Family>(TreeId::Families, &code.key())? else { continue };
            if !allowed(who, Operation::ReadIdentity, Subject::Family, Some(f.service)) {
                continue;
            }
            let names = f.identity.adults.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join(", ");
            ours.push(Attendee { family: f.code, names, status: f.profile.status });
            if ours.len() >= crate::model::limits::MAX_EVENT_ATTENDEES_SHOWN {
                break;
            }
        }
        let organiser_name = match event.organiser {
            Some(s) => {
                self.store.get::<Service>(TreeId::Services, &s.key())?.map(|(_, s)| s.details.name).unwrap_or_default()
            }
            None => String::new(),
        };
        Ok(EventView {
            code: event.code,
            revision,
            organiser: event.organiser,
            organiser_name,
            details: event.details,
            attended: attendees.len().min(u32::MAX as usize) as u32,
            ours,
            meta: event.meta,
        })
    }
}

fn trimmed(input: &EventInput) -> EventInput {
    EventInput {
        title: input.title.trim().to_string(),
        association: input.association.trim().to_string(),
        place: input.place.trim().to_string(),
        notes: input.notes.trim().to_string(),
        ..input.clone()
    }
}
