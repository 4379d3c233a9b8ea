//! Incontri: the network's information evenings, training courses and
//! support groups on the record screen: the list (newest first, `s` by
//! kind), the card (who runs it, how many families came, the service's
//! own by name), the form a service or the coordination creates and
//! changes them with; `R` says the recruitment figures in one line.

use ratatui::layout::Constraint;
use ratatui::widgets::Cell;

use super::record::{Own, OwnKeys, RecordScreen, RecordUi};
use super::{Ctx, ScreenId, Tag, View};
use crate::access::{allowed, Operation, Subject};
use crate::api::{EventView, Page, Principal, Reply, Request};
use crate::i18n::{comune_label, Lang};
use crate::model::dates::format_date;
use crate::model::fold::fold;
use crate::model::{EventCode, EventInput, EventKind, Field};
use crate::present::Doc;
use crate::tui::keys::{plain, Binding};
use crate::tui::source::CallError;
use crate::tui::text::texts;
use crate::tui::theme::Theme;
use crate::tui::widgets::form::{options, Form, Input};
use crate::tui::widgets::list::text_cell;

texts!(Ex {
    Title => "Incontri della rete", "Network events";
    None => "Nessun incontro.", "No events.";
    NotEditable => "un incontro lo modifica il servizio che lo organizza (o il coordinamento)",
        "an event is changed by the service that runs it (or the coordination)";
    Code => "Codice", "Code";
    When => "Quando", "When";
    Kind => "Tipo", "Kind";
    Name => "Titolo", "Title";
    Came => "Presenti", "Came";
    ByDate => "data", "date";
    NewTitle => "Nuovo incontro della rete", "New network event";
    EditTitle => "Modifica incontro", "Edit event";
    Recruitment => "reclutamento", "recruitment";
    Figures => "Reclutamento: {n} contatti · {approved} idonee ({conversion}) · {progress} in corso · {left} usciti · {days}",
        "Recruitment: {n} enquiries · {approved} approved ({conversion}) · {progress} in progress · {left} left · {days}";
    MedianDays => "idonee in {median} gg (mediana)", "approved in {median} days (median)";
    NoDays => "nessuna ancora idonea", "none approved yet";
});

/// The events' screen: the record screen on the network's events.
pub type Events = RecordScreen<EventRecords>;

#[derive(Debug, Default)]
pub struct EventRecords;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Recruitment,
}

const RECRUITMENT: &[Binding<Act>] = &[Binding {
    keys: &[plain('R')],
    shown: "R",
    label: |l| Ex::Recruitment.get(l),
    action: Act::Recruitment,
    bar: true,
}];

const FIGURES: Tag = "figures";

impl RecordUi for EventRecords {
    type Code = EventCode;
    type Record = EventView;
    type Act = Act;

    const SCREEN: ScreenId = ScreenId::Events;

    fn title(lang: Lang) -> &'static str {
        Ex::Title.get(lang)
    }

    fn empty(lang: Lang) -> &'static str {
        Ex::None.get(lang)
    }

    fn not_editable(lang: Lang) -> &'static str {
        Ex::NotEditable.get(lang)
    }

    fn parse(code: &str) -> Option<EventCode> {
        EventCode::parse(code)
    }

    fn code(record: &EventView) -> EventCode {
        record.code
    }

    fn revision(record: &EventView) -> u64 {
        record.revision
    }

    fn list(status: Option<usize>) -> Request {
        let kind = status.and_then(|i| EventKind::ALL.get(i).copied());
        Request::EventList { kind, from: None, after: None, limit: None }
    }

    fn get(code: EventCode) -> Request {
        Request::EventGet { code }
    }

    fn page(reply: Reply) -> Option<Page<EventView>> {
        match reply {
            Reply::Events(page) => Some(page),
            _ => None,
        }
    }

    fn one(reply: Reply) -> Option<EventView> {
        match reply {
            Reply::Event(view) => Some(view),
            _ => None,
        }
    }

    /// `s` shows one kind of event.
    fn statuses(lang: Lang) -> Vec<&'static str> {
        EventKind::ALL.iter().map(|k| k.label(lang)).collect()
    }

    fn status_of(record: &EventView) -> Option<usize> {
        EventKind::ALL.iter().position(|&k| k == record.details.kind)
    }

    fn sorts(lang: Lang) -> Vec<&'static str> {
        vec![Ex::Code.get(lang), Ex::ByDate.get(lang)]
    }

    /// Newest first, as the core gives them; or by the day they are held.
    fn sort(rows: &[EventView], shown: &mut [usize], sort: usize) {
        match sort {
            1 => shown.sort_by_key(|&i| (std::cmp::Reverse(rows[i].details.date), rows[i].code)),
            _ => shown.sort_by_key(|&i| std::cmp::Reverse(rows[i].code)),
        }
    }

    fn filter_text(record: &EventView) -> String {
        let d = &record.details;
        fold(&format!(
            "{} {} {} {} {} {}",
            record.code,
            d.title,
            d.kind.token_it(),
            comune_label(&d.comune.to_string()),
            record.organiser_name,
            d.association
        ))
    }

    fn columns(lang: Lang, width: u16) -> (Vec<&'static str>, Vec<Constraint>) {
        let header = [Ex::Code, Ex::When, Ex::Kind, Ex::Name, Ex::Came];
        let widths = vec![
            Constraint::Length(12),
            Constraint::Length(if width >= 100 { 23 } else { 10 }),
            Constraint::Length(if width >= 100 { 22 } else { 9 }),
            Constraint::Fill(1),
            Constraint::Length(8),
        ];
        (header.iter().map(|t| t.get(lang)).collect(), widths)
    }

    fn cells(e: &EventView, lang: Lang, width: u16, _theme: Theme) -> Vec<Cell<'static>> {
        let d = &e.details;
        let wide = width >= 100;
        let when = if wide { crate::present::care::when(d) } else { format_date(d.date) };
        let kind = if wide { d.kind.label(lang).to_string() } else { d.kind.token_it().replace('_', " ") };
        vec![
            Cell::from(e.code.to_string()),
            Cell::from(when),
            Cell::from(kind),
            text_cell(&d.title),
            Cell::from(e.attended.to_string()),
        ]
    }

    fn document(&self, e: &EventView, lang: Lang) -> Doc {
        crate::present::care::event(e, lang)
    }

    fn may_create(view: &View) -> bool {
        super::may_create(view, Subject::Event)
    }

    fn may_edit(who: &Principal, e: &EventView) -> bool {
        allowed(who, Operation::Update, Subject::Event, e.organiser)
    }

    fn whole(_e: &EventView) -> bool {
        true
    }

    fn form(e: Option<&EventView>, lang: Lang) -> Form {
        let d = e.map(|e| &e.details);
        let kind = d.and_then(|d| EventKind::ALL.iter().position(|&k| k == d.kind)).unwrap_or(0);
        let title = match e {
            Some(e) => format!("{} {}", Ex::EditTitle.get(lang), e.code),
            None => Ex::NewTitle.get(lang).to_string(),
        };
        Form::new(
            title,
            vec![
                Input::choice(Field::EventKind, lang, options!(EventKind, lang), kind),
                Input::text(Field::EventTitle, lang, d.map_or("", |d| d.title.as_str())).required(),
                Input::date(Field::EventDate, lang, d.map(|d| d.date)).required(),
                Input::date(Field::EventUntil, lang, d.and_then(|d| d.until)),
                Input::comune(Field::EventComune, lang, d.map(|d| d.comune)).required(),
                Input::text(Field::EventPlace, lang, d.map_or("", |d| d.place.as_str())),
                Input::text(Field::EventAssociation, lang, d.map_or("", |d| d.association.as_str())),
                Input::text(Field::EventNotes, lang, d.map_or("", |d| d.notes.as_str())),
            ],
        )
    }

    fn save(
        form: &Form,
        _base: Option<&EventView>,
        code: Option<EventCode>,
        revision: u64,
        today: time::Date,
    ) -> Request {
        let text = |field: Field| form.field(field).map(|f| f.as_text().trim().to_string()).unwrap_or_default();
        let input = EventInput {
            kind: EventKind::ALL
                [form.field(Field::EventKind).map_or(0, |f| f.as_index()).min(EventKind::ALL.len() - 1)],
            title: text(Field::EventTitle),
            association: text(Field::EventAssociation),
            date: form.field(Field::EventDate).and_then(|f| f.as_date()).unwrap_or(today),
            until: form.field(Field::EventUntil).and_then(|f| f.as_date()),
            comune: form
                .field(Field::EventComune)
                .and_then(|f| f.as_comune())
                .unwrap_or(crate::model::ComuneCode::from_u32(0)),
            place: text(Field::EventPlace),
            notes: text(Field::EventNotes),
        };
        match code {
            Some(code) => Request::EventUpdate { code, base_revision: revision, input },
            None => Request::EventCreate { input },
        }
    }

    fn own_keys(_detail: bool) -> OwnKeys<Act> {
        OwnKeys { before_edit: &[], after_edit: RECRUITMENT }
    }

    /// The figures count families: their own service's operators and the coordination.
    fn legal(_act: Act, who: &Principal, _on: Option<&EventView>) -> bool {
        allowed(who, Operation::ReadIdentity, Subject::Family, who.service)
    }

    fn act(&mut self, _act: Act, _on: Option<&EventView>, ctx: &mut Ctx) -> Own {
        Own::Ask(FIGURES, Request::Recruitment { service: ctx.view.who.service, since: None })
    }

    /// The figures in one line on the status bar (`banca recruitment` gives the table).
    fn answer(&mut self, tag: Tag, result: Result<Reply, CallError>, ctx: &mut Ctx) -> Own {
        let Some(Reply::Recruitment(f)) = ctx.ok(result) else { return Own::Done };
        if tag != FIGURES {
            return Own::Done;
        }
        let lang = ctx.view.lang;
        let t = &f.total;
        let conversion = t.conversion_percent().map_or_else(|| "—".to_string(), |p| format!("{p}%"));
        let days = match &f.days_to_approval {
            Some(s) => Ex::MedianDays.fill(lang, &[("median", &s.median)]),
            None => Ex::NoDays.get(lang).to_string(),
        };
        ctx.info(Ex::Figures.fill(
            lang,
            &[
                ("n", &t.enquiries),
                ("approved", &t.approved),
                ("conversion", &conversion),
                ("progress", &t.in_progress),
                ("left", &(t.withdrawn + t.not_approved)),
                ("days", &days),
            ],
        ));
        Own::Done
    }
}
