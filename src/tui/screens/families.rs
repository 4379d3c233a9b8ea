//! Famiglie: the table of families the operator may see (filter, sort),
//! the record of one (identity only where allowed), "confirmed today" in
//! one key, and the needs a family could serve. The list, card and form
//! are the record screen's (`record`); this is what is a family's own.

use std::collections::BTreeSet;

use ratatui::layout::Constraint;
use ratatui::text::Line;
use ratatui::widgets::Cell;

use super::record::{Own, OwnKeys, RecordScreen, RecordUi};
use super::{Ctx, Outcome, ScreenId, Tag, View};
use crate::access::{allowed, Operation, Subject};
use crate::api::{FamilyFilter, FamilySort, FamilyView, Near, Page, Principal, Reply, Request};
use crate::i18n::{comune_label, Lang};
use crate::model::dates::format_date;
use crate::model::fold::fold;
use crate::model::{
    Adult, AgeRange, AvailabilityProfile, FamilyCode, FamilyIdentity, FamilyInput, FamilyStatus, Field, Household,
    PlacementKind, Problem, Reason, Sex, SexPreference, SpecialNeed, TimeSlot,
};
use crate::present::{self, Doc, Span as DocSpan};
use crate::tui::keys::{plain, Binding};
use crate::tui::source::CallError;
use crate::tui::text::texts;
use crate::tui::theme::Theme;
use crate::tui::widgets::form::{assignment, options, Form, Input};

texts!(Tx {
    Title => "Famiglie", "Families";
    Code => "Codice", "Code";
    Comune => "Comune", "Comune";
    Status => "Stato", "Status";
    Kinds => "Tipi", "Kinds";
    Ages => "Età", "Ages";
    Free => "Posti", "Places";
    Confirmed => "Confermata", "Confirmed";
    ConfirmToday => "confermata oggi", "confirmed today";
    ConfirmedToday => "Disponibilità confermata oggi:", "Availability confirmed today:";
    NotYours => "si può confermare solo una famiglia del proprio servizio", "only a family of your own service can be confirmed";
    NeedsFor => "richieste adatte", "suitable needs";
    None => "Nessuna famiglia.", "No families.";
    NotEditable => "si può modificare solo una famiglia del proprio servizio", "only a family of your own service can be edited";
    Slots => "Tempi", "Times";
    Km => "Km", "Km";
    Distance => "Distanza", "Distance";
});

texts!(Qtx {
    Title => "Filtri delle famiglie (^S applica, Esc torna)", "Families' filters (^S applies, Esc goes back)";
    AgeYears => "età del minore (anni)", "child's age (years)";
    AgeMonths => "oppure in mesi (es. 8, 30)", "or in months (e.g. 8, 30)";
    Sex => "sesso del minore", "child's sex";
    Slots => "tempi offerti (tutti questi)", "time slots offered (all of these)";
    Kind => "tipo di affido accolto", "kind of placement taken";
    KindFromSlots => "dai tempi (weekend: tempo libero…)", "from the times (weekends: respite…)";
    AnyKind => "ogni tipo", "any kind";
    Free => "posti liberi, almeno", "free places, at least";
    Near => "vicino al comune", "near the comune";
    Km => "entro km", "within km";
    District => "presidio", "district";
    Ambit => "ambito", "ambit";
    Order => "ordine", "order";
    ByCode => "codice", "code";
    ByDistance => "distanza dal comune", "distance from the comune";
    AnySex => "indifferente", "either";
    Years => "{n} anni", "{n} years";
    Months => "{n} mesi", "{n} months";
    Free1 => "≥{n} posti", "≥{n} places";
    Within => "≤{km} km da {comune}", "≤{km} km from {comune}";
    From => "da {comune}", "from {comune}";
    Nearest => "per distanza", "by distance";
});

texts!(Ftx {
    NewTitle => "Nuova famiglia", "New family";
    EditTitle => "Modifica famiglia", "Edit family";
    AgeMin => "età minima (anni, o 6m)", "minimum age (years, or 6m)";
    AgeMax => "età massima (anni, o 24m)", "maximum age (years, or 24m)";
    ChildrenYears => "figli nati nel (es. 2012, 2016)", "children born in (e.g. 2012, 2016)";
    Languages => "lingue (separate da virgola)", "languages (comma separated)";
});

/// The families' screen: the record screen on families.
pub type Families = RecordScreen<FamilyRecords>;

/// What is a family's own on the record screen: the filters the core
/// applies to the list (`F`), the status aside (`s`).
#[derive(Debug, Default)]
pub struct FamilyRecords {
    pub filter: FamilyFilter,
    /// The filters the core last answered: what Esc on a refused form goes back to.
    accepted: FamilyFilter,
}

/// A family's own keys: confirmed today, the needs it could serve, a first
/// contact, a step of its pathway, an entry of its support log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    ConfirmToday,
    Match,
    Enquiry,
    Step,
    Support,
}

const CONFIRM_KEY: Binding<Act> = Binding {
    keys: &[plain('c')],
    shown: "c",
    label: |l| Tx::ConfirmToday.get(l),
    action: Act::ConfirmToday,
    bar: true,
};
const ENQUIRY_KEY: Binding<Act> =
    Binding { keys: &[plain('i')], shown: "i", label: |l| Ptx::Enquiry.get(l), action: Act::Enquiry, bar: true };
const STEP_KEY: Binding<Act> =
    Binding { keys: &[plain('p')], shown: "p", label: |l| Ptx::Step.get(l), action: Act::Step, bar: true };
const SUPPORT_KEY: Binding<Act> =
    Binding { keys: &[plain('d')], shown: "d", label: |l| Ptx::Support.get(l), action: Act::Support, bar: false };
const CONFIRM: &[Binding<Act>] = &[CONFIRM_KEY];
const MATCH_LIST: &[Binding<Act>] = &[
    ENQUIRY_KEY,
    Binding { keys: &[plain('m')], shown: "m", label: |l| Tx::NeedsFor.get(l), action: Act::Match, bar: false },
];
const MATCH_CARD: &[Binding<Act>] = &[
    STEP_KEY,
    Binding { keys: &[plain('m')], shown: "m", label: |l| Tx::NeedsFor.get(l), action: Act::Match, bar: true },
    SUPPORT_KEY,
];

/// The purposes of the family's own forms.
const ENQUIRY: Tag = "enquiry";
const STEP: Tag = "step";
const SUPPORT: Tag = "support";

texts!(Ptx {
    Enquiry => "primo contatto", "first contact";
    Step => "passo del percorso", "pathway step";
    Support => "diario", "support log";
    EnquiryTitle => "Primo contatto: solo ciò che si sa", "First contact: only what is known";
    StepTitle => "Passo del percorso di", "Pathway step of";
    SupportTitle => "Diario di sostegno di", "Support log of";
    EnquiryDate => "data del primo contatto", "date of the first contact";
    SourceUnknown => "— non indicata —", "— not given —";
    NoReason => "— nessuno (solo per sospensione, ritiro, non idoneità) —", "— none (suspension, withdrawal, not approved only) —";
    EventCode => "incontro della rete (es. E-2026-0001)", "network event (e.g. E-2026-0001)";
    NotAnEvent => "non è il codice di un incontro (E-2026-0001)", "is not an event's code (E-2026-0001)";
    NoStep => "il percorso è concluso: nessun passo possibile", "the pathway has ended: no step possible";
    NotYoursStep => "solo il servizio della famiglia registra i passi e il diario", "only the family's service records its steps and support log";
});

/// Why the screen asked: the record before confirming it, and the confirmation.
const CONFIRMING: Tag = "confirm";
const CONFIRMED: Tag = "confirmed";

/// The order the list is shown in when `now` replaces `before`: the
/// core's distance order is shown as such, and leaving it goes back to the
/// codes' (the core's pages come by code again; rows sorted by distance
/// would put later pages out of place).
fn order_of(now: &FamilyFilter, before: &FamilyFilter) -> Option<usize> {
    match (now.sort, before.sort) {
        (FamilySort::Distance, _) => Some(BY_DISTANCE),
        (_, FamilySort::Distance) => Some(0),
        _ => None,
    }
}

/// The orders of the list.
const SORTS: [Tx; 6] = [Tx::Code, Tx::Comune, Tx::Status, Tx::Free, Tx::Confirmed, Tx::Distance];
/// The distance's place among `SORTS`.
const BY_DISTANCE: usize = 5;

impl RecordUi for FamilyRecords {
    type Code = FamilyCode;
    type Record = FamilyView;
    type Act = Act;

    const SCREEN: ScreenId = ScreenId::Families;

    fn title(lang: Lang) -> &'static str {
        Tx::Title.get(lang)
    }

    fn empty(lang: Lang) -> &'static str {
        Tx::None.get(lang)
    }

    fn not_editable(lang: Lang) -> &'static str {
        Tx::NotEditable.get(lang)
    }

    fn parse(code: &str) -> Option<FamilyCode> {
        FamilyCode::parse(code)
    }

    fn code(record: &FamilyView) -> FamilyCode {
        record.code
    }

    fn revision(record: &FamilyView) -> u64 {
        record.revision
    }

    fn list(status: Option<usize>) -> Request {
        let status = status.and_then(|i| FamilyStatus::ALL.get(i).copied());
        Request::FamilyList { filter: FamilyFilter { status, ..FamilyFilter::default() } }
    }

    fn list_with(&self, status: Option<usize>) -> Request {
        let status = status.and_then(|i| FamilyStatus::ALL.get(i).copied());
        Request::FamilyList { filter: FamilyFilter { status, ..self.filter.clone() } }
    }

    fn get(code: FamilyCode) -> Request {
        Request::FamilyGet { code }
    }

    fn page(reply: Reply) -> Option<Page<FamilyView>> {
        match reply {
            Reply::Families(page) => Some(page),
            _ => None,
        }
    }

    fn one(reply: Reply) -> Option<FamilyView> {
        match reply {
            Reply::Family(view) => Some(view),
            _ => None,
        }
    }

    fn shared(record: FamilyView) -> FamilyView {
        shared(record)
    }

    fn statuses(lang: Lang) -> Vec<&'static str> {
        FamilyStatus::ALL.iter().map(|s| s.label(lang)).collect()
    }

    fn status_of(record: &FamilyView) -> Option<usize> {
        FamilyStatus::ALL.iter().position(|&s| s == record.profile.status)
    }

    fn sorts(lang: Lang) -> Vec<&'static str> {
        SORTS.iter().map(|t| t.get(lang)).collect()
    }

    fn sort(rows: &[FamilyView], shown: &mut [usize], sort: usize) {
        match SORTS.get(sort) {
            Some(Tx::Comune) => {
                shown.sort_by_cached_key(|&i| (comune_label(&rows[i].profile.comune.to_string()), rows[i].code))
            }
            Some(Tx::Status) => shown.sort_by_key(|&i| (rows[i].profile.status.token(), rows[i].code)),
            Some(Tx::Free) => shown.sort_by_key(|&i| (std::cmp::Reverse(rows[i].free_places), rows[i].code)),
            Some(Tx::Confirmed) => shown.sort_by_key(|&i| (rows[i].profile.confirmed_on, rows[i].code)),
            // As the core orders it: nearest first, no distance last, then by code.
            Some(Tx::Distance) => shown.sort_by_key(|&i| (rows[i].distance_m.unwrap_or(u32::MAX), rows[i].code)),
            _ => shown.sort_by_key(|&i| rows[i].code),
        }
    }

    fn filter_text(record: &FamilyView) -> String {
        filter_text(record)
    }

    fn columns(lang: Lang, width: u16) -> (Vec<&'static str>, Vec<Constraint>) {
        columns(lang, width, false)
    }

    fn cells(f: &FamilyView, lang: Lang, width: u16, theme: Theme) -> Vec<Cell<'static>> {
        cells(f, lang, width, theme, false)
    }

    fn columns_now(&self, lang: Lang, width: u16) -> (Vec<&'static str>, Vec<Constraint>) {
        columns(lang, width, self.filter.near.is_some())
    }

    fn cells_now(&self, f: &FamilyView, lang: Lang, width: u16, theme: Theme) -> Vec<Cell<'static>> {
        cells(f, lang, width, theme, self.filter.near.is_some())
    }

    fn query_form(&self, lang: Lang) -> Option<Form> {
        Some(query_form(&self.filter, lang))
    }

    fn take_query(&mut self, form: &Form) -> Result<Option<usize>, Vec<Problem>> {
        let filter = query_of(form, &self.filter)?;
        let order = order_of(&filter, &self.filter);
        self.filter = filter;
        Ok(order)
    }

    fn query_accepted(&mut self) {
        self.accepted = self.filter.clone();
    }

    fn query_abandoned(&mut self) -> Option<usize> {
        let back = self.accepted.clone();
        let order = order_of(&back, &self.filter);
        self.filter = back;
        order
    }

    fn query_summary(&self, lang: Lang) -> Option<String> {
        query_summary(&self.filter, lang)
    }

    /// The family's card, with its free places under the title.
    fn document(&self, family: &FamilyView, lang: Lang) -> Doc {
        let mut card = present::family(family, lang);
        // Places of a family that has not said what it offers are not known either.
        if let Some(free) = family.free_places.filter(|_| family.profile.availability_known) {
            card.blocks.insert(
                1,
                present::Block::Line {
                    indent: 0,
                    hang: None,
                    spans: vec![DocSpan::plain(format!("{}: {free}", Tx::Free.get(lang)))],
                },
            );
        }
        card
    }

    fn may_create(view: &View) -> bool {
        super::may_create(view, Subject::Family)
    }

    /// Its own service's operators: the form shows the identity, which only they read and write.
    fn may_edit(who: &Principal, family: &FamilyView) -> bool {
        let owner = Some(family.contact.service);
        allowed(who, Operation::Update, Subject::Family, owner)
            && allowed(who, Operation::ReadIdentity, Subject::Family, owner)
    }

    fn whole(family: &FamilyView) -> bool {
        family.private.is_some()
    }

    fn assigned() -> bool {
        true
    }

    fn form(family: Option<&FamilyView>, lang: Lang) -> Form {
        family_form(family, lang)
    }

    fn save(form: &Form, base: Option<&FamilyView>, code: Option<FamilyCode>, revision: u64, _: time::Date) -> Request {
        let input = family_input(form, base);
        match code {
            Some(code) => Request::FamilyUpdate { code, base_revision: revision, input },
            None => Request::FamilyCreate { input },
        }
    }

    fn own_keys(detail: bool) -> OwnKeys<Act> {
        OwnKeys { before_edit: CONFIRM, after_edit: if detail { MATCH_CARD } else { MATCH_LIST } }
    }

    fn legal(act: Act, who: &Principal, on: Option<&FamilyView>) -> bool {
        match act {
            Act::ConfirmToday => on.is_some_and(|f| Self::may_edit(who, f)),
            Act::Match => on.is_some(),
            Act::Enquiry => who.service.is_some() && allowed(who, Operation::Create, Subject::Family, who.service),
            // The card's record carries the pathway where the operator may change it.
            Act::Step => on.is_some_and(|f| {
                Self::may_edit(who, f) && f.pathway.as_ref().is_some_and(|p| !p.next_steps.is_empty())
            }),
            Act::Support => on.is_some_and(|f| Self::may_edit(who, f) && f.support.is_some()),
        }
    }

    fn save_own(
        purpose: Tag,
        form: &Form,
        base: Option<&FamilyView>,
        code: Option<FamilyCode>,
        revision: u64,
        today: time::Date,
    ) -> Result<Request, Vec<Problem>> {
        super::pathway_forms::request(purpose, form, base, code, revision, today)
    }

    fn act(&mut self, act: Act, on: Option<&FamilyView>, ctx: &mut Ctx) -> Own {
        let lang = ctx.view.lang;
        if act == Act::Enquiry {
            let form = super::pathway_forms::enquiry_form(ctx.view.today, lang);
            return Own::Form { form: Box::new(form), code: None, revision: 0, purpose: ENQUIRY };
        }
        let Some(family) = on else { return Own::Done };
        match act {
            Act::Step | Act::Support if !Self::may_edit(&ctx.view.who, family) => {
                ctx.error(format!("{}: {}", family.code, Ptx::NotYoursStep.get(lang)));
                return Own::Done;
            }
            Act::Step => {
                let Some(pathway) = family.pathway.as_ref().filter(|p| !p.next_steps.is_empty()) else {
                    ctx.error(format!("{}: {}", family.code, Ptx::NoStep.get(lang)));
                    return Own::Done;
                };
                let form = super::pathway_forms::step_form(family.code, &pathway.next_steps, ctx.view.today, lang);
                let code = Some(family.code.to_string());
                return Own::Form { form: Box::new(form), code, revision: family.revision, purpose: STEP };
            }
            Act::Support => {
                let form = super::pathway_forms::support_form(family.code, ctx.view.today, lang);
                let code = Some(family.code.to_string());
                return Own::Form { form: Box::new(form), code, revision: family.revision, purpose: SUPPORT };
            }
            _ => {}
        }
        match act {
            Act::Match => Own::Outcome(Outcome::Match(family.code.to_string())),
            Act::ConfirmToday if !Self::may_edit(&ctx.view.who, family) => {
                ctx.error(format!("{}: {}", family.code, ctx.view.t_local(Tx::NotYours)));
                Own::Done
            }
            // The whole record (identity included) is what an update sends back: asked for first.
            Act::ConfirmToday => Own::Ask(CONFIRMING, Request::FamilyGet { code: family.code }),
            Act::Enquiry | Act::Step | Act::Support => Own::Done,
        }
    }

    /// The availability confirmed as of today: one key, one revision.
    fn answer(&mut self, tag: Tag, result: Result<Reply, CallError>, ctx: &mut Ctx) -> Own {
        let Some(reply) = ctx.ok(result) else { return Own::Done };
        match (tag, reply) {
            (CONFIRMING, Reply::Family(view)) => {
                let code = view.code;
                if view.private.is_none() {
                    ctx.error(format!("{code}: {}", ctx.view.t_local(Tx::NotYours)));
                    return Own::Done;
                }
                let mut input = view.as_input();
                input.profile.confirmed_on = Some(ctx.view.today);
                Own::Change(CONFIRMED, Request::FamilyUpdate { code, base_revision: view.revision, input })
            }
            (CONFIRMED, Reply::Saved(saved)) => {
                ctx.info(format!("{} {} (rev. {})", ctx.view.t_local(Tx::ConfirmedToday), saved.code, saved.revision));
                Own::Done
            }
            _ => Own::Done,
        }
    }
}

/// The form of a family: what the operator sets of the profile, and the identity.
pub fn family_form(v: Option<&FamilyView>, lang: Lang) -> Form {
    let whole = v.map_or_else(blank_profile, |v| v.profile.with_private(v.private.as_ref()));
    let p = &whole;
    let id = v.and_then(|v| v.private.as_ref()).map(|p| p.identity.clone()).unwrap_or_default();
    let adult = |i: usize| id.adults.get(i);
    // A family that has not said what it offers: its ages and places start
    // empty, not from values that would read as assessed (left empty, they
    // stay unknown).
    let known = v.is_none_or(|v| v.profile.availability_known);
    let ages = if known { p.ages.to_input() } else { "-".to_string() };
    let (min, max) = ages.split_once('-').unwrap_or(("0", "17"));
    let position = |all: &[FamilyStatus], s| all.iter().position(|&x| x == s).unwrap_or(0);
    let fields = vec![
        Input::text(Field::AdultName.at(0), lang, adult(0).map_or("", |a| a.name.as_str())).required(),
        // Asked from the assessment on (the core says so, by this field): a
        // first contact's year may be unknown.
        Input::number(
            Field::AdultBirthYear.at(0),
            lang,
            adult(0).filter(|a| a.birth_year != Adult::UNKNOWN_YEAR).map(|a| u64::from(a.birth_year)),
        ),
        Input::text(Field::AdultName.at(1), lang, adult(1).map_or("", |a| a.name.as_str())),
        // An adult's year left empty is stored as `Adult::UNKNOWN_YEAR`, and shown empty again.
        Input::number(
            Field::AdultBirthYear.at(1),
            lang,
            adult(1).filter(|a| a.birth_year != Adult::UNKNOWN_YEAR).map(|a| u64::from(a.birth_year)),
        ),
        Input::text(Field::IdentityAddress, lang, &id.address),
        Input::text(Field::IdentityPhone, lang, &id.phone),
        Input::text(Field::IdentityEmail, lang, &id.email),
        Input::comune(Field::ProfileComune, lang, v.map(|v| v.profile.comune)).required(),
    ];
    let mut fields = fields;
    // A new family may be entered as assessed before the bank; after that
    // the status moves with a step of the pathway (`p` on the card).
    if v.is_none() {
        fields.push(Input::choice(
            Field::FamilyStatus,
            lang,
            options!(FamilyStatus, lang),
            position(FamilyStatus::ALL, p.status),
        ));
    }
    fields.extend([
        Input::multi(
            Field::ProfileKinds,
            lang,
            options!(PlacementKind, lang),
            PlacementKind::ALL.iter().map(|k| p.kinds.contains(k)).collect(),
        ),
        Input::text(Field::Ages, lang, min).labelled(Ftx::AgeMin.get(lang)).replaced_on_entry(),
        Input::text(Field::Ages, lang, max).labelled(Ftx::AgeMax.get(lang)).replaced_on_entry(),
        Input::choice(
            Field::SexPreference,
            lang,
            options!(SexPreference, lang),
            SexPreference::ALL.iter().position(|&s| s == p.sex_preference).unwrap_or(0),
        ),
        Input::number(Field::MaxChildren, lang, known.then_some(u64::from(p.max_children))),
        Input::yes_no(Field::SiblingsAccepted, lang, p.siblings_accepted),
        Input::multi(
            Field::SpecialNeedsAccepted,
            lang,
            options!(SpecialNeed, lang),
            SpecialNeed::ALL.iter().map(|k| p.special_needs_accepted.contains(k)).collect(),
        ),
        Input::text(Field::ProfileLanguages, lang, &p.languages.join(", ")).labelled(Ftx::Languages.get(lang)),
        Input::multi(
            Field::TimeSlots,
            lang,
            options!(TimeSlot, lang),
            TimeSlot::ALL.iter().map(|k| p.time_slots.contains(k)).collect(),
        ),
        Input::number(Field::MaxDistance, lang, p.max_distance_km.map(u64::from)),
        Input::date(Field::TrainingCompletedOn, lang, p.training_completed_on),
        Input::date(Field::ApprovedOn, lang, p.approved_on),
        Input::date(Field::ReviewOn, lang, p.review_on),
        Input::date(Field::ConfirmedOn, lang, p.confirmed_on),
        Input::date(Field::AvailableFrom, lang, p.available_from),
        Input::date(Field::AvailableUntil, lang, p.available_until),
        Input::number(Field::HouseholdAdults, lang, v.map(|v| u64::from(v.profile.household.adults))),
        Input::text(Field::ChildrenBirthYears, lang, &years(&p.household.children_birth_years))
            .labelled(Ftx::ChildrenYears.get(lang)),
        Input::text(Field::Pets, lang, &p.household.pets),
        Input::number(Field::SpareRooms, lang, Some(u64::from(p.household.spare_rooms))),
        Input::text(Field::ProfileNotes, lang, &p.notes),
    ]);
    let title = match v {
        Some(v) => format!("{} {}", Ftx::EditTitle.get(lang), v.code),
        None => Ftx::NewTitle.get(lang).to_string(),
    };
    Form::new(title, fields)
}

/// "2012, 2016": the children's birth years as typed in the form.
fn years(years: &[u16]) -> String {
    years.iter().map(u16::to_string).collect::<Vec<_>>().join(", ")
}

fn blank_profile() -> AvailabilityProfile {
    AvailabilityProfile {
        comune: crate::model::ComuneCode::from_u32(0),
        household: Household { adults: 1, ..Household::default() },
        kinds: Default::default(),
        ages: AgeRange::ANY,
        sex_preference: SexPreference::Any,
        max_children: 1,
        siblings_accepted: false,
        special_needs_accepted: Default::default(),
        languages: Vec::new(),
        time_slots: Default::default(),
        max_distance_km: None,
        training_completed_on: None,
        status: FamilyStatus::Enquiring,
        approved_on: None,
        review_on: None,
        confirmed_on: None,
        notes: String::new(),
        available_from: None,
        available_until: None,
    }
}

/// What the form says, as the core's input; what it does not show comes from `base`.
pub fn family_input(form: &Form, base: Option<&FamilyView>) -> FamilyInput {
    let text = |field: Field| form.field(field).map(|f| f.as_text().to_string()).unwrap_or_default();
    let number = |field: Field| form.field(field).and_then(Input::as_number);
    let date = |field: Field| form.field(field).and_then(Input::as_date);
    let set = |field: Field| form.field(field).map(Input::as_set).unwrap_or_default();
    let mut adults = Vec::new();
    for i in 0..2 {
        let name = form.field(Field::AdultName.at(i)).map(|f| f.as_text().to_string()).unwrap_or_default();
        let year = form.field(Field::AdultBirthYear.at(i)).and_then(Input::as_number);
        if !name.is_empty() || year.is_some() {
            adults.push(Adult { name, birth_year: year.map_or(0, |y| y.min(u64::from(u16::MAX)) as u16) });
        }
    }
    let mut profile = base.map_or_else(blank_profile, |b| b.profile.with_private(b.private.as_ref()));
    profile.household.adults =
        number(Field::HouseholdAdults).map_or(adults.len().max(1), |n| n as usize).min(255) as u8;
    // Years the core cannot read are sent as 0, so its range check names the field.
    profile.household.children_birth_years = text(Field::ChildrenBirthYears)
        .split([',', ' '])
        .filter(|y| !y.trim().is_empty())
        .map(|y| y.trim().parse::<u16>().unwrap_or(0))
        .collect();
    profile.household.pets = text(Field::Pets);
    profile.household.spare_rooms = number(Field::SpareRooms).map_or(0, |n| n.min(255) as u8);
    if let Some(c) = form.field(Field::ProfileComune).and_then(Input::as_comune) {
        profile.comune = c;
    }
    if let Some(status) = form.field(Field::FamilyStatus) {
        profile.status = FamilyStatus::ALL[status.as_index()];
    }
    profile.kinds = set(Field::ProfileKinds).into_iter().map(|i| PlacementKind::ALL[i]).collect();
    let bound = |n: usize| form.nth(Field::Ages, n).map(|f| f.as_text().to_string()).unwrap_or_default();
    if let Some(ages) = AgeRange::parse(&format!("{}-{}", bound(0), bound(1))) {
        profile.ages = ages;
    }
    profile.sex_preference = SexPreference::ALL[form.field(Field::SexPreference).map_or(0, Input::as_index)];
    // Left empty, the family keeps what it had (1 for a new one): empty is not "0 children".
    profile.max_children = number(Field::MaxChildren).map_or(profile.max_children, |n| n.min(255) as u8);
    profile.siblings_accepted = form.field(Field::SiblingsAccepted).is_some_and(Input::as_bool);
    profile.special_needs_accepted =
        set(Field::SpecialNeedsAccepted).into_iter().map(|i| SpecialNeed::ALL[i]).collect();
    profile.languages =
        text(Field::ProfileLanguages).split(',').map(|l| l.trim().to_lowercase()).filter(|l| !l.is_empty()).collect();
    profile.time_slots = set(Field::TimeSlots).into_iter().map(|i| TimeSlot::ALL[i]).collect();
    profile.max_distance_km = number(Field::MaxDistance).map(|n| n.min(u64::from(u16::MAX)) as u16);
    profile.training_completed_on = date(Field::TrainingCompletedOn);
    profile.approved_on = date(Field::ApprovedOn);
    profile.review_on = date(Field::ReviewOn);
    profile.confirmed_on = date(Field::ConfirmedOn);
    profile.available_from = date(Field::AvailableFrom);
    profile.available_until = date(Field::AvailableUntil);
    profile.notes = text(Field::ProfileNotes);
    FamilyInput {
        service: base.map(|b| b.contact.service).or(assignment(form).0),
        referent: base.map(|b| b.contact.referent.clone()).or(assignment(form).1),
        identity: FamilyIdentity {
            adults,
            address: text(Field::IdentityAddress),
            phone: text(Field::IdentityPhone),
            email: text(Field::IdentityEmail),
        },
        profile,
    }
}

/// Kinds of placement in a few letters, for tables: the lists' own.
pub use crate::present::lists::kind_short;

/// The table's header and widths; `near`: with the distance from the comune asked.
/// Under 100 columns the status is short (⚠ on it, no date of confirmation)
/// and the ages as typed, so that time slots and places fit at 80.
fn columns(lang: Lang, width: u16, near: bool) -> (Vec<&'static str>, Vec<Constraint>) {
    let wide = width >= 100;
    let mut header = vec![Tx::Code.get(lang), Tx::Comune.get(lang)];
    let mut widths = vec![Constraint::Length(11), Constraint::Fill(2)];
    if near {
        header.push(Tx::Km.get(lang));
        widths.push(Constraint::Length(4));
    }
    header.extend([Tx::Status, Tx::Kinds, Tx::Ages, Tx::Slots, Tx::Free].map(|t| t.get(lang)));
    widths.extend([
        Constraint::Length(if wide { 16 } else { 8 }),
        Constraint::Fill(1),
        Constraint::Length(if wide { 12 } else { 6 }),
        Constraint::Length(8),
        Constraint::Length(5),
    ]);
    if wide {
        header.push(Tx::Confirmed.get(lang));
        widths.push(Constraint::Length(12));
    }
    (header, widths)
}

/// A family's row under `columns`.
fn cells(f: &FamilyView, lang: Lang, width: u16, theme: Theme, near: bool) -> Vec<Cell<'static>> {
    use crate::present::lists::{km, places, short_list, slot_short, status_short};
    let wide = width >= 100;
    let p = &f.profile;
    let kinds: Vec<&str> = p.kinds.iter().map(|&k| kind_short(k, lang)).collect();
    let slots: Vec<&str> = p.time_slots.iter().map(|&t| slot_short(t, lang)).collect();
    let confirmed = p.confirmed_on.map(format_date).unwrap_or_else(|| "—".into());
    let confirmed = if f.stale { format!("{confirmed} ⚠") } else { confirmed };
    let mut row = vec![Cell::from(f.code.to_string()), Cell::from(comune_label(&p.comune.to_string()))];
    if near {
        row.push(Cell::from(f.distance_m.map_or_else(|| "—".into(), |m| km(m, lang))));
    }
    let status = match (wide, f.stale) {
        (true, _) => Line::raw(p.status.label(lang)),
        (false, true) => Line::styled(format!("{}⚠", status_short(p.status, lang)), theme.warning()),
        (false, false) => Line::raw(status_short(p.status, lang)),
    };
    // A first contact that has not said what it offers: "?", never a default.
    let known = |text: String| if p.availability_known { text } else { "?".to_string() };
    row.extend([
        Cell::from(status),
        Cell::from(known(kinds.join(","))),
        Cell::from(known(if wide { p.ages.describe(lang) } else { p.ages.to_input() })),
        Cell::from(known(short_list(&slots, 8))),
        Cell::from(known(places(f))),
    ]);
    if wide {
        row.push(Cell::from(if f.stale { Line::styled(confirmed, theme.warning()) } else { Line::raw(confirmed) }));
    }
    row
}

/// The form of the filters, as set now (empty: none).
fn query_form(f: &FamilyFilter, lang: Lang) -> Form {
    // An age as it was typed: whole years from 2 on, else months (30 stays 30 months).
    let in_years = |m: &u32| *m >= 24 && m % 12 == 0;
    let years = f.age_months.filter(in_years).map(|m| u64::from(m / 12));
    let months = f.age_months.filter(|m| !in_years(m)).map(u64::from);
    let mut sexes = vec![Qtx::AnySex.get(lang).to_string()];
    sexes.extend(Sex::ALL.iter().map(|s| s.label(lang).to_string()));
    let sex = f.sex.and_then(|s| Sex::ALL.iter().position(|&x| x == s)).map_or(0, |i| i + 1);
    let orders = vec![Qtx::ByCode.get(lang).to_string(), Qtx::ByDistance.get(lang).to_string()];
    let fields = vec![
        Input::number(Field::ChildAge, lang, years).labelled(Qtx::AgeYears.get(lang)),
        Input::number(Field::ChildAge, lang, months).labelled(Qtx::AgeMonths.get(lang)),
        Input::choice(Field::Sex, lang, sexes, sex).labelled(Qtx::Sex.get(lang)),
        Input::multi(
            Field::TimeSlots,
            lang,
            options!(TimeSlot, lang),
            TimeSlot::ALL.iter().map(|t| f.time_slots.contains(t)).collect(),
        )
        .labelled(Qtx::Slots.get(lang)),
        Input::choice(Field::PlacementKind, lang, kinds(lang), kind_index(f)).labelled(Qtx::Kind.get(lang)),
        Input::number(Field::MaxChildren, lang, f.min_free.map(u64::from)).labelled(Qtx::Free.get(lang)),
        Input::comune(Field::Near, lang, f.near.map(|n| n.comune)).labelled(Qtx::Near.get(lang)),
        Input::number(Field::WithinKm, lang, f.near.and_then(|n| n.km).map(u64::from)).labelled(Qtx::Km.get(lang)),
        Input::choice(Field::Status, lang, orders, usize::from(f.sort == FamilySort::Distance))
            .labelled(Qtx::Order.get(lang)),
        Input::text(Field::WithinDistrict, lang, f.district.as_deref().unwrap_or("")).labelled(Qtx::District.get(lang)),
        Input::text(Field::WithinAmbit, lang, f.ambit.as_deref().unwrap_or("")).labelled(Qtx::Ambit.get(lang)),
    ];
    Form::new(Qtx::Title.get(lang).to_string(), fields)
}

/// The kinds the filters' form offers: the kind the times mean (as `banca
/// available` and the profile), any kind, then each kind.
fn kinds(lang: Lang) -> Vec<String> {
    let mut out = vec![Qtx::KindFromSlots.get(lang).to_string(), Qtx::AnyKind.get(lang).to_string()];
    out.extend(PlacementKind::ALL.iter().map(|k| k.label(lang).to_string()));
    out
}

/// The kind choice showing `f`: its kind, else "any kind" when times are
/// asked (they would have meant a kind), else "from the times".
fn kind_index(f: &FamilyFilter) -> usize {
    match f.kind {
        Some(k) => PlacementKind::ALL.iter().position(|&x| x == k).map_or(0, |i| i + 2),
        None if !f.time_slots.is_empty() => 1,
        None => 0,
    }
}

/// The filters the form says, on `before` (its status, kind and the rest
/// the form does not show are kept); a radius or a distance order with no
/// comune is refused on the comune's field.
fn query_of(form: &Form, before: &FamilyFilter) -> Result<FamilyFilter, Vec<Problem>> {
    let number = |field: Field, n: usize| form.nth(field, n).and_then(Input::as_number);
    let text = |field: Field| form.field(field).map(|f| f.as_text().to_string()).filter(|t| !t.is_empty());
    let years = number(Field::ChildAge, 0).map(|y| y.saturating_mul(12));
    let months = number(Field::ChildAge, 1);
    let sex = form.field(Field::Sex).map_or(0, Input::as_index);
    let comune = form.field(Field::Near).and_then(Input::as_comune);
    let km = number(Field::WithinKm, 0).map(|k| k.min(u64::from(u16::MAX)) as u16);
    let sort =
        if form.field(Field::Status).map_or(0, Input::as_index) == 1 { FamilySort::Distance } else { FamilySort::Code };
    if years.is_some() && months.is_some() {
        // Two ages for one child: which one is meant is not for the screen to guess.
        return Err(vec![Problem {
            field: Field::ChildAge.into(),
            reason: Reason::NotExpected { condition: "age=years".into() },
        }]);
    }
    if comune.is_none() && (km.is_some() || sort == FamilySort::Distance) {
        let condition = if km.is_some() { "within=km" } else { "sort=distance" };
        return Err(vec![Problem {
            field: Field::Near.into(),
            reason: Reason::RequiredWhen { condition: condition.into() },
        }]);
    }
    let time_slots: BTreeSet<TimeSlot> = form
        .field(Field::TimeSlots)
        .map(Input::as_set)
        .unwrap_or_default()
        .into_iter()
        .map(|i| TimeSlot::ALL[i])
        .collect();
    let kind = match form.field(Field::PlacementKind).map_or(0, Input::as_index) {
        // The times of a phone call mean a kind (weekends: tempo libero); no times, no kind.
        0 => (!time_slots.is_empty()).then(|| crate::api::kind_from_slots(&time_slots)),
        1 => None,
        i => PlacementKind::ALL.get(i - 2).copied(),
    };
    Ok(FamilyFilter {
        age_months: months.or(years).map(|m| m.min(u64::from(u32::MAX)) as u32),
        sex: sex.checked_sub(1).and_then(|i| Sex::ALL.get(i).copied()),
        kind,
        time_slots,
        min_free: number(Field::MaxChildren, 0).filter(|n| *n > 0).map(|n| n.min(255) as u8),
        near: comune.map(|comune| Near { comune, km }),
        district: text(Field::WithinDistrict),
        ambit: text(Field::WithinAmbit),
        sort,
        limit: None,
        after: None,
        ..before.clone()
    })
}

/// The filters set, in a few words for the list's title: "6 anni · M · weekend · ≥1 posti · ≤5 km da Dalmine".
fn query_summary(f: &FamilyFilter, lang: Lang) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    if let Some(m) = f.age_months {
        let (word, n) = if m < 24 || m % 12 != 0 { (Qtx::Months, m) } else { (Qtx::Years, m / 12) };
        parts.push(word.fill(lang, &[("n", &n)]));
    }
    if let Some(sex) = f.sex {
        parts.push(sex.label(lang).to_string());
    }
    if !f.time_slots.is_empty() {
        parts.push(f.time_slots.iter().map(|t| t.label(lang)).collect::<Vec<_>>().join(", "));
    }
    // A kind the times already say (weekends: tempo libero) is not said twice.
    let implied = (!f.time_slots.is_empty()).then(|| crate::api::kind_from_slots(&f.time_slots));
    if let Some(kind) = f.kind.filter(|k| Some(*k) != implied) {
        parts.push(kind.label(lang).split(" (").next().unwrap_or_default().to_string());
    }
    if let Some(n) = f.min_free {
        parts.push(Qtx::Free1.fill(lang, &[("n", &n)]));
    }
    if let Some(near) = f.near {
        let comune = crate::present::lists::comune_name(near.comune);
        parts.push(match near.km {
            Some(km) => Qtx::Within.fill(lang, &[("km", &km), ("comune", &comune)]),
            None => Qtx::From.fill(lang, &[("comune", &comune)]),
        });
    }
    parts.extend(f.district.iter().cloned());
    parts.extend(f.ambit.iter().cloned());
    if f.sort == FamilySort::Distance {
        parts.push(Qtx::Nearest.get(lang).to_string());
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// What the `f` filter looks in: code, comune, service, kinds (and status), folded.
fn filter_text(f: &FamilyView) -> String {
    fold(&format!(
        "{} {} {} {}",
        f.code,
        comune_label(&f.profile.comune.to_string()),
        f.contact.service,
        f.profile.kinds.iter().map(|k| k.token_it()).collect::<Vec<_>>().join(" ")
    ))
}

/// Lists show the shared view: the private part stays in the record.
fn shared(mut v: FamilyView) -> FamilyView {
    v.private = None;
    v
}
