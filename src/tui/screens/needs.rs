//! Richieste: the table of needs the operator may see (status filter, sort,
//! text filter), the record (the child's identity only for its own service:
//! the core decides), new and changed needs in a form, and `m` to rank the
//! families for one. The list, card and form are the record screen's
//! (`record`); this is what is a need's own.

use ratatui::layout::Constraint;
use ratatui::text::Line;
use ratatui::widgets::Cell;

use super::families::kind_short;
use super::record::{Own, OwnKeys, RecordScreen, RecordUi};
use super::{Ctx, Outcome, ScreenId, View};
use crate::access::{allowed, Operation, Subject};
use crate::api::{NeedFilter, NeedView, Page, Principal, Reply, Request};
use crate::i18n::{comune_label, Lang};
use crate::model::age::describe_age;
use crate::model::dates::format_date;
use crate::model::fold::fold;
use crate::model::{
    ChildIdentity, ClosingReason, ContactFrequency, Field, LegalBasis, NeedCode, NeedInput, NeedStatus, OriginContact,
    PlacementKind, PlacementNeed, Sex, SpecialNeed, TimeSlot, Urgency,
};
use crate::present::{self, record::urgency_text, Doc};
use crate::tui::keys::{plain, Binding};
use crate::tui::text::texts;
use crate::tui::theme::Theme;
use crate::tui::widgets::form::{assignment, options, Form, Input};

texts!(Tx {
    Title => "Richieste", "Needs";
    ClosedNoMatch => "richiesta chiusa: non si abbina più", "need closed: no longer matched";
    Code => "Codice", "Code";
    Comune => "Comune", "Comune";
    Age => "Età", "Age";
    Kind => "Tipo", "Kind";
    Urgency => "Urgenza", "Urgency";
    Status => "Stato", "Status";
    Service => "Servizio", "Service";
    Since => "Dal", "Since";
    Families => "famiglie adatte", "suitable families";
    None => "Nessuna richiesta.", "No needs.";
    NotEditable => "si può modificare solo una richiesta del proprio servizio", "only a need of your own service can be edited";
});

texts!(Ftx {
    NewTitle => "Nuova richiesta", "New need";
    EditTitle => "Modifica richiesta", "Edit need";
    Ordinary => "ordinaria", "ordinary";
    Emergency => "pronto intervento", "emergency";
    NeededBy => "pronto intervento: entro il", "emergency: needed by";
    Consensual => "consensuale", "consensual";
    Judicial => "giudiziale", "judicial";
    Art403 => "art. 403 c.c. (collocamento d'urgenza)", "art. 403 c.c. (emergency protective placement)";
    OrderedOnRequired => "obbligatoria con l'art. 403 (la data del provvedimento)", "required with art. 403 (the date of the order)";
    Supervised => "incontri facilitati", "supervised contact";
    Languages => "lingue (separate da virgola)", "languages (comma separated)";
});

/// The needs' screen: the record screen on needs.
pub type Needs = RecordScreen<NeedRecords>;

/// What is a need's own on the record screen.
#[derive(Debug, Default)]
pub struct NeedRecords;

/// A need's own key: the families that could serve it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Match,
}

const MATCH_LIST: &[Binding<Act>] =
    &[Binding { keys: &[plain('m')], shown: "m", label: |l| Tx::Families.get(l), action: Act::Match, bar: false }];
const MATCH_CARD: &[Binding<Act>] =
    &[Binding { keys: &[plain('m')], shown: "m", label: |l| Tx::Families.get(l), action: Act::Match, bar: true }];

/// The orders of the list.
const SORTS: [Tx; 4] = [Tx::Code, Tx::Urgency, Tx::Comune, Tx::Status];

impl RecordUi for NeedRecords {
    type Code = NeedCode;
    type Record = NeedView;
    type Act = Act;

    const SCREEN: ScreenId = ScreenId::Needs;

    fn title(lang: Lang) -> &'static str {
        Tx::Title.get(lang)
    }

    fn empty(lang: Lang) -> &'static str {
        Tx::None.get(lang)
    }

    fn not_editable(lang: Lang) -> &'static str {
        Tx::NotEditable.get(lang)
    }

    fn parse(code: &str) -> Option<NeedCode> {
        NeedCode::parse(code)
    }

    fn code(record: &NeedView) -> NeedCode {
        record.code
    }

    fn revision(record: &NeedView) -> u64 {
        record.revision
    }

    fn list(status: Option<usize>) -> Request {
        let status = status.and_then(|i| NeedStatus::ALL.get(i).copied());
        Request::NeedList { filter: NeedFilter { status, ..NeedFilter::default() } }
    }

    fn get(code: NeedCode) -> Request {
        Request::NeedGet { code }
    }

    fn row(code: NeedCode) -> Request {
        Request::NeedShared { code }
    }

    fn page(reply: Reply) -> Option<Page<NeedView>> {
        match reply {
            Reply::Needs(page) => Some(page),
            _ => None,
        }
    }

    fn one(reply: Reply) -> Option<NeedView> {
        match reply {
            Reply::Need(view) => Some(view),
            _ => None,
        }
    }

    fn shared(record: NeedView) -> NeedView {
        shared(record)
    }

    fn statuses(lang: Lang) -> Vec<&'static str> {
        NeedStatus::ALL.iter().map(|s| s.label(lang)).collect()
    }

    fn status_of(record: &NeedView) -> Option<usize> {
        NeedStatus::ALL.iter().position(|&s| s == record.placement.status)
    }

    fn sorts(lang: Lang) -> Vec<&'static str> {
        SORTS.iter().map(|t| t.get(lang)).collect()
    }

    fn sort(rows: &[NeedView], shown: &mut [usize], sort: usize) {
        // Every emergency first (by its deadline; those entered as the kind, with none, after), then the others.
        let urgency =
            |n: &NeedView| (!n.placement.is_emergency(), n.placement.needed_by().is_none(), n.placement.needed_by());
        match SORTS.get(sort) {
            Some(Tx::Urgency) => shown.sort_by_key(|&i| (urgency(&rows[i]), rows[i].code)),
            Some(Tx::Comune) => {
                shown.sort_by_cached_key(|&i| (comune_label(&rows[i].placement.comune.to_string()), rows[i].code))
            }
            Some(Tx::Status) => shown.sort_by_key(|&i| (rows[i].placement.status.token(), rows[i].code)),
            _ => shown.sort_by_key(|&i| rows[i].code),
        }
    }

    fn filter_text(record: &NeedView) -> String {
        filter_text(record)
    }

    fn columns(lang: Lang, width: u16) -> (Vec<&'static str>, Vec<Constraint>) {
        let wide = width >= 100;
        let header = [Tx::Code, Tx::Comune, Tx::Age, Tx::Kind, Tx::Urgency, Tx::Status, Tx::Service, Tx::Since];
        let widths = vec![
            Constraint::Length(11),
            Constraint::Fill(2),
            Constraint::Length(if wide { 9 } else { 7 }),
            Constraint::Length(4),
            Constraint::Length(if wide { 18 } else { 8 }),
            Constraint::Length(if wide { 15 } else { 9 }),
            Constraint::Length(5),
            Constraint::Length(10),
        ];
        (header.iter().map(|t| t.get(lang)).collect(), widths)
    }

    fn cells(n: &NeedView, lang: Lang, width: u16, theme: Theme) -> Vec<Cell<'static>> {
        let wide = width >= 100;
        let p = &n.placement;
        let urgency = match p.needed_by() {
            // Narrow: "PI 12/01", or "PI ✗12/01" once passed ("scaduta").
            Some(by) if !wide => format!("PI{}{}", if n.overdue { "✗" } else { " " }, &format_date(by)[..5]),
            None if !wide && p.is_emergency() => "PI".to_string(),
            None if !wide => "—".to_string(),
            None if !p.is_emergency() => urgency_text(&p.urgency, lang),
            _ => present::lists::urgency_cell(n, lang),
        };
        let urgent = p.is_emergency();
        vec![
            Cell::from(n.code.to_string()),
            Cell::from(comune_label(&p.comune.to_string())),
            Cell::from(describe_age(n.age_months, lang)),
            Cell::from(kind_short(p.kind, lang)),
            Cell::from(if urgent { Line::styled(urgency, theme.warning()) } else { Line::raw(urgency) }),
            Cell::from(p.status.label(lang)),
            Cell::from(n.contact.service.to_string()),
            Cell::from(format_date(n.meta.created_at.date())),
        ]
    }

    fn document(&self, need: &NeedView, lang: Lang) -> Doc {
        present::need(need, lang)
    }

    fn may_create(view: &View) -> bool {
        super::may_create(view, Subject::Need)
    }

    /// Its own service's operators: the form shows the child's identity, which only they read and write.
    fn may_edit(who: &Principal, need: &NeedView) -> bool {
        let owner = Some(need.contact.service);
        allowed(who, Operation::Update, Subject::Need, owner)
            && allowed(who, Operation::ReadIdentity, Subject::Need, owner)
    }

    fn whole(need: &NeedView) -> bool {
        need.identity.is_some()
    }

    fn assigned() -> bool {
        true
    }

    fn form(need: Option<&NeedView>, lang: Lang) -> Form {
        need_form(need, lang)
    }

    /// An order under art. 403 c.c. is recorded with its date, never
    /// today's by default (as the CLI's --ordered-on).
    fn check(form: &mut Form, lang: Lang) -> Vec<String> {
        let art403 = form.field(Field::Legal).map_or(0, Input::as_index) == 2;
        let Some(ordered_on) = form.field_mut(Field::OrderedOn) else { return Vec::new() };
        if art403 && ordered_on.as_date().is_none() && ordered_on.error.is_none() {
            ordered_on.error = Some(format!("{}: {}", ordered_on.label, Ftx::OrderedOnRequired.get(lang)));
            return vec![ordered_on.label.clone()];
        }
        Vec::new()
    }

    fn save(form: &Form, base: Option<&NeedView>, code: Option<NeedCode>, revision: u64, today: time::Date) -> Request {
        let input = need_input(form, base, today);
        match code {
            Some(code) => Request::NeedUpdate { code, base_revision: revision, input },
            None => Request::NeedCreate { input },
        }
    }

    fn own_keys(detail: bool) -> OwnKeys<Act> {
        OwnKeys { before_edit: &[], after_edit: if detail { MATCH_CARD } else { MATCH_LIST } }
    }

    /// The core matches open needs only: `m` is not offered on a closed one.
    fn legal(_act: Act, _who: &Principal, on: Option<&NeedView>) -> bool {
        on.is_some_and(|n| n.placement.status != NeedStatus::Closed)
    }

    fn act(&mut self, act: Act, on: Option<&NeedView>, ctx: &mut Ctx) -> Own {
        match (act, on) {
            (Act::Match, Some(need)) if need.placement.status == NeedStatus::Closed => {
                ctx.error(format!("{}: {}", need.code, Tx::ClosedNoMatch.get(ctx.view.lang)));
                Own::Done
            }
            (Act::Match, Some(need)) => Own::Outcome(Outcome::Match(need.code.to_string())),
            (Act::Match, None) => Own::Done,
        }
    }
}

/// What the `f` filter looks in: code, comune, service, kind and status, folded.
fn filter_text(n: &NeedView) -> String {
    fold(&format!(
        "{} {} {} {} {}",
        n.code,
        comune_label(&n.placement.comune.to_string()),
        n.contact.service,
        n.placement.kind.token_it(),
        n.placement.status.token_it()
    ))
}

/// Lists show the shared view: identity stays in the record.
fn shared(mut v: NeedView) -> NeedView {
    v.identity = None;
    v
}

/// The form of a need: the child's identity and the placement need.
pub fn need_form(v: Option<&NeedView>, lang: Lang) -> Form {
    let id = v.and_then(|v| v.identity.as_ref());
    let p = v.map(|v| &v.placement);
    let text = |s: Option<&String>| s.map_or(String::new(), |s| s.clone());
    let pos = |all: &[String], label: Option<&str>| label.and_then(|l| all.iter().position(|a| a == l)).unwrap_or(0);
    let sexes = options!(Sex, lang);
    let kinds = options!(PlacementKind, lang);
    let freqs = options!(ContactFrequency, lang);
    let statuses = options!(NeedStatus, lang);
    let urgency = [Ftx::Ordinary, Ftx::Emergency].map(|t| t.get(lang).to_string()).to_vec();
    let legal = [Ftx::Consensual, Ftx::Judicial, Ftx::Art403].map(|t| t.get(lang).to_string()).to_vec();
    let needed_by = p.and_then(|p| match p.urgency {
        Urgency::Emergency { needed_by } => Some(needed_by),
        Urgency::Ordinary => None,
    });
    let (court, decree) = match p.map(|p| &p.legal) {
        Some(LegalBasis::Judicial { court, decree }) => (court.clone(), decree.clone()),
        _ => (String::new(), String::new()),
    };
    let ordered_on = p.and_then(|p| match p.legal {
        LegalBasis::Art403 { ordered_on } => Some(ordered_on),
        _ => None,
    });
    let legal_index = match p.map(|p| &p.legal) {
        Some(LegalBasis::Judicial { .. }) => 1,
        Some(LegalBasis::Art403 { .. }) => 2,
        _ => 0,
    };
    let fields = vec![
        Input::text(Field::GivenName, lang, &text(id.map(|i| &i.given_name))).required(),
        Input::text(Field::FamilyName, lang, &text(id.map(|i| &i.family_name))).required(),
        Input::date(Field::BirthDate, lang, id.map(|i| i.birth_date)).required(),
        Input::text(Field::FiscalCode, lang, &text(id.and_then(|i| i.fiscal_code.as_ref()))),
        Input::text(Field::IdentityAddress, lang, &text(id.map(|i| &i.address))),
        Input::comune(Field::PlacementComune, lang, p.map(|p| p.comune)).required(),
        Input::choice(Field::Sex, lang, sexes.clone(), pos(&sexes, p.map(|p| p.sex.label(lang)))),
        Input::choice(Field::PlacementKind, lang, kinds.clone(), pos(&kinds, p.map(|p| p.kind.label(lang)))),
        Input::choice(Field::Urgency, lang, urgency, usize::from(needed_by.is_some())),
        Input::date(Field::Urgency, lang, needed_by).labelled(Ftx::NeededBy.get(lang)),
        Input::choice(Field::Legal, lang, legal, legal_index),
        Input::text(Field::Court, lang, &court),
        Input::text(Field::Decree, lang, &decree),
        Input::date(Field::OrderedOn, lang, ordered_on),
        Input::date(Field::DesiredStart, lang, p.and_then(|p| p.desired_start)),
        Input::number(Field::DurationMonths, lang, p.and_then(|p| p.duration_months).map(u64::from)),
        Input::multi(
            Field::NeedTimeSlots,
            lang,
            options!(TimeSlot, lang),
            TimeSlot::ALL.iter().map(|s| p.is_some_and(|p| p.time_slots.contains(s))).collect(),
        ),
        Input::multi(
            Field::SpecialNeeds,
            lang,
            options!(SpecialNeed, lang),
            SpecialNeed::ALL.iter().map(|s| p.is_some_and(|p| p.special_needs.contains(s))).collect(),
        ),
        Input::text(Field::PlacementLanguages, lang, &p.map(|p| p.languages.join(", ")).unwrap_or_default())
            .labelled(Ftx::Languages.get(lang)),
        Input::text(Field::CulturalNotes, lang, &text(p.map(|p| &p.cultural_notes))),
        Input::comune(Field::OriginComune, lang, p.and_then(|p| p.origin_comune)),
        Input::choice(Field::Contact, lang, freqs.clone(), pos(&freqs, p.map(|p| p.contact.frequency.label(lang)))),
        Input::yes_no(Field::Contact, lang, p.is_some_and(|p| p.contact.supervised))
            .labelled(Ftx::Supervised.get(lang)),
        Input::comune(Field::SchoolComune, lang, p.and_then(|p| p.school_comune)),
        Input::choice(Field::NeedStatus, lang, statuses.clone(), pos(&statuses, p.map(|p| p.status.label(lang)))),
        // Closing a need (status chiusa) says why; "—" while it is open.
        Input::choice(
            Field::ClosingReason,
            lang,
            std::iter::once("—".to_string()).chain(options!(ClosingReason, lang)).collect(),
            p.and_then(|p| p.closing_reason)
                .and_then(|r| ClosingReason::ALL.iter().position(|&x| x == r))
                .map_or(0, |i| i + 1),
        ),
        Input::text(Field::PlacementNotes, lang, &text(p.map(|p| &p.notes))),
    ];
    let title = match v {
        Some(v) => format!("{} {}", Ftx::EditTitle.get(lang), v.code),
        None => Ftx::NewTitle.get(lang).to_string(),
    };
    Form::new(title, fields)
}

/// What the form says, as the core's input; siblings come from `base`.
pub fn need_input(form: &Form, base: Option<&NeedView>, today: time::Date) -> NeedInput {
    let text = |field: Field| form.field(field).map(|f| f.as_text().to_string()).unwrap_or_default();
    let index = |field: Field| form.field(field).map_or(0, Input::as_index);
    let comune = |field: Field| form.field(field).and_then(Input::as_comune);
    let urgency = match (index(Field::Urgency), form.nth(Field::Urgency, 1).and_then(Input::as_date)) {
        (1, Some(needed_by)) => Urgency::Emergency { needed_by },
        (1, None) => Urgency::Emergency { needed_by: today },
        _ => Urgency::Ordinary,
    };
    let legal = match index(Field::Legal) {
        1 => LegalBasis::Judicial { court: text(Field::Court), decree: text(Field::Decree) },
        // `check` has refused an order without its date before this is sent.
        2 => LegalBasis::Art403 { ordered_on: form.field(Field::OrderedOn).and_then(Input::as_date).unwrap_or(today) },
        _ => LegalBasis::Consensual,
    };
    let set = |field: Field| form.field(field).map(Input::as_set).unwrap_or_default();
    let fiscal = text(Field::FiscalCode).to_uppercase();
    NeedInput {
        service: base.map(|b| b.contact.service).or(assignment(form).0),
        referent: base.map(|b| b.contact.referent.clone()).or(assignment(form).1),
        identity: ChildIdentity {
            given_name: text(Field::GivenName),
            family_name: text(Field::FamilyName),
            birth_date: form.field(Field::BirthDate).and_then(Input::as_date).unwrap_or(today),
            fiscal_code: (!fiscal.is_empty()).then_some(fiscal),
            address: text(Field::IdentityAddress),
        },
        placement: PlacementNeed {
            sex: Sex::ALL[index(Field::Sex)],
            siblings: base.map(|b| b.placement.siblings.clone()).unwrap_or_default(),
            kind: PlacementKind::ALL[index(Field::PlacementKind)],
            legal,
            urgency,
            desired_start: form.field(Field::DesiredStart).and_then(Input::as_date),
            duration_months: form
                .field(Field::DurationMonths)
                .and_then(Input::as_number)
                .map(|n| n.min(u64::from(u16::MAX)) as u16),
            special_needs: form
                .field(Field::SpecialNeeds)
                .map(Input::as_set)
                .unwrap_or_default()
                .into_iter()
                .map(|i| SpecialNeed::ALL[i])
                .collect(),
            languages: text(Field::PlacementLanguages)
                .split(',')
                .map(|l| l.trim().to_lowercase())
                .filter(|l| !l.is_empty())
                .collect(),
            cultural_notes: text(Field::CulturalNotes),
            comune: comune(Field::PlacementComune).unwrap_or(crate::model::ComuneCode::from_u32(0)),
            origin_comune: comune(Field::OriginComune),
            contact: OriginContact {
                frequency: ContactFrequency::ALL[index(Field::Contact)],
                supervised: form.nth(Field::Contact, 1).is_some_and(Input::as_bool),
            },
            school_comune: comune(Field::SchoolComune),
            status: NeedStatus::ALL[index(Field::NeedStatus)],
            closing_reason: index(Field::ClosingReason).checked_sub(1).map(|i| ClosingReason::ALL[i]),
            notes: text(Field::PlacementNotes),
            time_slots: set(Field::NeedTimeSlots).into_iter().map(|i| TimeSlot::ALL[i]).collect(),
        },
    }
}
