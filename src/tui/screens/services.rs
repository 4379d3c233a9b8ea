//! Servizi: the directory. The services (kind, ambiti, contacts, their
//! operators) on the record screen (`record`: list, card, and the form an
//! administrator creates and changes them with); the ambiti with their
//! presidi and comuni (`a`); and "who covers comune X" (`c`): the ambito
//! and presidio it belongs to and the services of that ambito, found by
//! typing a few letters of the comune's name.

use std::collections::HashMap;

use ratatui::crossterm::event::{KeyCode, KeyEvent, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Wrap};
use ratatui::Frame;

use super::record::{Own, RecordScreen, RecordUi};
use super::{Ctx, Outcome, Screen, ScreenId, Tag, View};
use crate::access::{allowed, Operation, Subject};
use crate::api::{Event, Page, Principal, Reply, Request, Revised};
use crate::i18n::{comune_label, Lang};
use crate::model::comune::normalize;
use crate::model::fold::{fold, is_subsequence};
use crate::model::{
    AgeRange, Ambit, ComuneCode, Comuni, Equipment, Field, LegalNature, OnCall, Operator, ReceptionProfile, Service,
    ServiceCode, ServiceInput, ServiceKind, SexPreference,
};
use crate::present::{self, Doc};
use crate::tui::help::centered;
use crate::tui::keys::{self, code, label, plain, Binding, Hint, NAV};
use crate::tui::source::CallError;
use crate::tui::text::{texts, T};
use crate::tui::theme::Theme;
use crate::tui::widgets::doc;
use crate::tui::widgets::form::{options, Form, Input};
use crate::tui::widgets::line_editor::{edit_at_end, LineKey};
use crate::tui::widgets::list::{text_cell, Selection, TableView};

texts!(Tx {
    Services => "Servizi", "Services";
    Ambits => "Ambiti", "Ambits";
    Code => "Codice", "Code";
    Name => "Nome", "Name";
    Kind => "Tipo", "Kind";
    Phone => "Telefono", "Phone";
    Comuni => "Comuni", "Comuni";
    Districts => "Presidi", "Districts";
    District => "Presidio", "District";
    ShowAmbits => "ambiti/servizi", "ambits/services";
    Covers => "chi copre un comune", "who covers a comune";
    CoverPrompt => "Comune (nome o codice ISTAT)", "Comune (name or ISTAT code)";
    CoverTitle => "Chi copre", "Who covers";
    Ambit => "Ambito", "Ambit";
    NoAmbit => "Nessun ambito della banca comprende questo comune.", "No ambit of the bank includes this comune.";
    NoServices => "Nessun servizio registrato per questo ambito.", "No service is registered for this ambit.";
    NoMatch => "nessun comune corrisponde", "no comune matches";
    None => "Nessun servizio.", "No services.";
    NoAmbits => "Nessun ambito.", "No ambits.";
    NotEditable => "solo l'amministrazione modifica i servizi", "only administrators change services";
});

texts!(Ftx {
    NewTitle => "Nuovo servizio", "New service";
    EditTitle => "Modifica servizio", "Edit service";
    AmbitNames => "ambiti (separati da virgola)", "ambits (comma separated)";
    Active => "attivo", "active";
    ReceptionComune => "comune della struttura (accoglienza)", "comune of the premises (reception)";
});

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    Toggle,
    Cover,
    Back,
    Reload,
}

/// The directory's own keys over the services' list.
const LIST_KEYS: &[Binding<Act>] = &[
    Binding { keys: &[plain('c')], shown: "c", label: |l| Tx::Covers.get(l), action: Act::Cover, bar: true },
    Binding { keys: &[plain('a')], shown: "a", label: |l| Tx::ShowAmbits.get(l), action: Act::Toggle, bar: true },
];

const AMBIT_KEYS: &[Binding<Act>] = &[
    Binding { keys: &[plain('c')], shown: "c", label: |l| Tx::Covers.get(l), action: Act::Cover, bar: true },
    Binding { keys: &[plain('a')], shown: "a", label: |l| Tx::ShowAmbits.get(l), action: Act::Toggle, bar: true },
    Binding { keys: &[plain('r')], shown: "r", label: label!(T::Reload), action: Act::Reload, bar: false },
];

const COVER_KEYS: &[Binding<Act>] = &[
    Binding { keys: &[code(KeyCode::Esc)], shown: "Esc", label: label!(T::Back), action: Act::Back, bar: true },
    Binding { keys: &[plain('c')], shown: "c", label: |l| Tx::Covers.get(l), action: Act::Cover, bar: true },
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PromptAct {
    Pick,
    Cancel,
    Up,
    Down,
}

const PROMPT_KEYS: &[Binding<PromptAct>] = &[
    Binding {
        keys: &[code(KeyCode::Enter)],
        shown: "Enter",
        label: label!(T::Open),
        action: PromptAct::Pick,
        bar: true,
    },
    Binding { keys: &[code(KeyCode::Esc)], shown: "Esc", label: label!(T::Back), action: PromptAct::Cancel, bar: true },
    Binding { keys: &[code(KeyCode::Up)], shown: "↑↓", label: label!(T::Move), action: PromptAct::Up, bar: true },
    Binding { keys: &[code(KeyCode::Down)], shown: "", label: label!(T::Move), action: PromptAct::Down, bar: false },
];

/// Suggestions shown under the comune being typed.
const SUGGESTIONS: usize = 8;

/// The comune being typed, and the comuni it could be.
#[derive(Default)]
struct Prompt {
    text: String,
    candidates: Vec<ComuneCode>,
    selected: usize,
}

/// Why the screen asked (the record screen's tags are other words).
const AMBITS: Tag = "ambits";
const OPERATORS: Tag = "operators";
const OPERATOR: Tag = "operator";

/// What is a service's own on the record screen: its operators, read
/// when its card is first shown.
#[derive(Debug, Default)]
pub struct ServiceRecords {
    operators: HashMap<ServiceCode, Vec<Operator>>,
    /// The service whose operators are coming, with those come so far.
    coming: Option<(ServiceCode, Vec<Operator>)>,
}

impl ServiceRecords {
    /// Its active operators, as the card names them: "Anna Operatrice (anna, operatore)".
    fn operator_names(&self, code: ServiceCode, lang: Lang) -> Vec<String> {
        let Some(ops) = self.operators.get(&code) else { return Vec::new() };
        ops.iter()
            .filter(|o| o.details.active)
            .map(|o| format!("{} ({}, {})", o.details.display_name, o.user, o.details.role.label(lang)))
            .collect()
    }
}

impl RecordUi for ServiceRecords {
    type Code = ServiceCode;
    type Record = Revised<Service>;
    type Act = ();

    const SCREEN: ScreenId = ScreenId::Services;
    const PREVIEW: bool = true;

    fn title(lang: Lang) -> &'static str {
        Tx::Services.get(lang)
    }

    fn empty(lang: Lang) -> &'static str {
        Tx::None.get(lang)
    }

    fn not_editable(lang: Lang) -> &'static str {
        Tx::NotEditable.get(lang)
    }

    fn parse(code: &str) -> Option<ServiceCode> {
        ServiceCode::parse(code)
    }

    fn code(record: &Revised<Service>) -> ServiceCode {
        record.record.code
    }

    fn revision(record: &Revised<Service>) -> u64 {
        record.revision
    }

    fn list(_status: Option<usize>) -> Request {
        Request::ServiceList { after: None, limit: None }
    }

    fn get(code: ServiceCode) -> Request {
        Request::ServiceGet { code }
    }

    fn page(reply: Reply) -> Option<Page<Revised<Service>>> {
        match reply {
            Reply::Services(page) => Some(page),
            _ => None,
        }
    }

    fn one(reply: Reply) -> Option<Revised<Service>> {
        match reply {
            Reply::Service(service) => Some(service),
            _ => None,
        }
    }

    fn sorts(lang: Lang) -> Vec<&'static str> {
        vec![Tx::Code.get(lang), Tx::Name.get(lang)]
    }

    fn sort(rows: &[Revised<Service>], shown: &mut [usize], sort: usize) {
        match sort {
            1 => shown.sort_by_cached_key(|&i| (fold(&rows[i].record.details.name), rows[i].record.code)),
            _ => shown.sort_by_key(|&i| rows[i].record.code),
        }
    }

    /// What the `f` filter looks in: code, name, kind and ambiti, folded.
    fn filter_text(s: &Revised<Service>) -> String {
        let d = &s.record.details;
        fold(&format!("{} {} {} {}", s.record.code, d.name, d.kind.token_it(), d.ambits.join(" ")))
    }

    fn columns(lang: Lang, width: u16) -> (Vec<&'static str>, Vec<Constraint>) {
        let header = [Tx::Code, Tx::Name, Tx::Kind, Tx::Phone, Tx::Ambits];
        let widths = vec![
            Constraint::Length(6),
            Constraint::Fill(3),
            Constraint::Length(if width >= 100 { 26 } else { 12 }),
            Constraint::Length(14),
            Constraint::Fill(2),
        ];
        (header.iter().map(|t| t.get(lang)).collect(), widths)
    }

    fn cells(s: &Revised<Service>, lang: Lang, width: u16, _theme: Theme) -> Vec<Cell<'static>> {
        let d = &s.record.details;
        let kind = if width >= 100 { d.kind.label(lang).to_string() } else { d.kind.token_it().replace('_', " ") };
        vec![
            Cell::from(s.record.code.to_string()),
            text_cell(&d.name),
            Cell::from(kind),
            text_cell(&d.phone),
            text_cell(&d.ambits.join(", ")),
        ]
    }

    fn document(&self, s: &Revised<Service>, lang: Lang) -> Doc {
        present::service(s, &self.operator_names(s.record.code, lang), lang)
    }

    /// Its operators, if not read yet (one service at a time).
    fn shown(&mut self, s: &Revised<Service>, ctx: &mut Ctx) {
        let code = s.record.code;
        if self.operators.contains_key(&code) || self.coming.as_ref().is_some_and(|(c, _)| *c == code) {
            return;
        }
        self.coming = Some((code, Vec::new()));
        ctx.send(OPERATORS, Request::OperatorList { service: Some(code), after: None, limit: None });
    }

    fn may_create(view: &View) -> bool {
        allowed(&view.who, Operation::Create, Subject::Directory, None)
    }

    fn may_edit(who: &Principal, _s: &Revised<Service>) -> bool {
        allowed(who, Operation::Update, Subject::Directory, None)
    }

    fn whole(_s: &Revised<Service>) -> bool {
        true
    }

    fn form(s: Option<&Revised<Service>>, lang: Lang) -> Form {
        service_form(s, lang)
    }

    fn save(
        form: &Form,
        _: Option<&Revised<Service>>,
        code: Option<ServiceCode>,
        revision: u64,
        _: time::Date,
    ) -> Request {
        let input = service_input(form);
        match code {
            Some(code) => Request::ServiceUpdate { code, base_revision: revision, input },
            None => Request::ServiceCreate { input },
        }
    }

    /// A page of a service's operators. Not everyone may list operators:
    /// the service then shows without them.
    fn answer(&mut self, tag: Tag, result: Result<Reply, CallError>, ctx: &mut Ctx) -> Own {
        if tag != OPERATORS {
            return Own::Done;
        }
        let Some((code, mut ops)) = self.coming.take() else { return Own::Done };
        if let Ok(Reply::Operators(page)) = result {
            let next = page.next.clone();
            ops.extend(page.into_iter().map(|r| r.record));
            match next {
                Some(next) => {
                    let request = Request::OperatorList { service: Some(code), after: None, limit: None };
                    self.coming = Some((code, ops));
                    ctx.send(OPERATORS, request.page_after(Some(next)));
                }
                None => {
                    self.operators.insert(code, ops);
                }
            }
        }
        Own::Done
    }
}

/// The form of a service: what the directory says of it.
pub fn service_form(s: Option<&Revised<Service>>, lang: Lang) -> Form {
    let d = s.map(|s| &s.record.details);
    let text = |f: fn(&ServiceInput) -> &str| d.map_or("", f).to_string();
    let kind = d.and_then(|d| ServiceKind::ALL.iter().position(|&k| k == d.kind)).unwrap_or(0);
    let on_call = |f: fn(&OnCall) -> &str| d.and_then(|d| d.on_call.as_ref()).map_or("", f).to_string();
    let fields = vec![
        Input::text(Field::Name, lang, &text(|d| &d.name)).required(),
        Input::choice(Field::Kind, lang, options!(ServiceKind, lang), kind),
        Input::text(Field::Ambits, lang, &d.map(|d| d.ambits.join(", ")).unwrap_or_default())
            .labelled(Ftx::AmbitNames.get(lang)),
        Input::text(Field::Address, lang, &text(|d| &d.address)),
        Input::text(Field::Phone, lang, &text(|d| &d.phone)),
        Input::text(Field::Email, lang, &text(|d| &d.email)),
        Input::text(Field::OnCallName, lang, &on_call(|c| &c.name)),
        Input::text(Field::OnCallPhone, lang, &on_call(|c| &c.phone)),
        Input::text(Field::OnCallHours, lang, &on_call(|c| &c.hours)),
        Input::yes_no(Field::Active, lang, d.is_none_or(|d| d.active)).labelled(Ftx::Active.get(lang)),
        Input::text(Field::Notes, lang, &text(|d| &d.notes)),
    ];
    // A reception service's own part: read only when the kind is one.
    let r = d.and_then(|d| d.reception.as_ref());
    let position = |i: Option<usize>| i.unwrap_or(0);
    let mut fields = fields;
    fields.extend([
        Input::comune(Field::ReceptionComune, lang, r.map(|r| r.comune)).labelled(Ftx::ReceptionComune.get(lang)),
        Input::text(Field::ManagingBody, lang, r.map_or("", |r| r.managing_body.name.as_str())),
        Input::choice(
            Field::LegalNature,
            lang,
            options!(LegalNature, lang),
            position(r.and_then(|r| LegalNature::ALL.iter().position(|&n| n == r.managing_body.nature))),
        ),
        Input::number(Field::LicensedPlaces, lang, r.map(|r| u64::from(r.licence.places))),
        Input::text(Field::LicenceNumber, lang, r.map_or("", |r| r.licence.number.as_str())),
        Input::date(Field::LicenceDate, lang, r.and_then(|r| r.licence.date)),
        Input::text(Field::LicenceAuthority, lang, r.map_or("", |r| r.licence.authority.as_str())),
        Input::text(Field::ReceptionReferent, lang, r.map_or("", |r| r.referent.as_str())),
        Input::text(Field::ReceptionAges, lang, &r.map_or(AgeRange::ANY, |r| r.ages).to_input()),
        Input::choice(
            Field::ReceptionSex,
            lang,
            options!(SexPreference, lang),
            position(r.and_then(|r| SexPreference::ALL.iter().position(|&x| x == r.sex))),
        ),
        Input::multi(
            Field::Equipment,
            lang,
            options!(Equipment, lang),
            Equipment::ALL.iter().map(|e| r.is_some_and(|r| r.equipment.contains(e))).collect(),
        ),
        Input::text(Field::ReceptionLanguages, lang, &r.map(|r| r.languages.join(", ")).unwrap_or_default()),
    ]);
    let title = match s {
        Some(s) => format!("{} {}", Ftx::EditTitle.get(lang), s.record.code),
        None => Ftx::NewTitle.get(lang).to_string(),
    };
    Form::new(title, fields)
}

/// What the form says, as the core's input.
pub fn service_input(form: &Form) -> ServiceInput {
    let text = |field: Field| form.field(field).map(|f| f.as_text().trim().to_string()).unwrap_or_default();
    let mut input = ServiceInput {
        name: text(Field::Name),
        kind: ServiceKind::ALL[form.field(Field::Kind).map_or(0, Input::as_index)],
        ambits: text(Field::Ambits).split(',').map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect(),
        address: text(Field::Address),
        phone: text(Field::Phone),
        email: text(Field::Email),
        notes: form.field(Field::Notes).map(|f| f.as_text().to_string()).unwrap_or_default(),
        active: form.field(Field::Active).is_some_and(Input::as_bool),
        // Nothing typed in its three fields: no on-call contact.
        on_call: Some(OnCall {
            name: text(Field::OnCallName),
            phone: text(Field::OnCallPhone),
            hours: text(Field::OnCallHours),
        })
        .filter(|c| !(c.name.is_empty() && c.phone.is_empty() && c.hours.is_empty())),
        reception: None,
    };
    if input.kind.is_reception() {
        input.reception = Some(reception_input(form));
    }
    input
}

/// A reception service's part of the form, as the core's profile; what
/// does not parse is sent as typed for the core to name (an age range
/// that does not read keeps every age: the field says so when checked).
fn reception_input(form: &Form) -> ReceptionProfile {
    let text = |field: Field| form.field(field).map(|f| f.as_text().trim().to_string()).unwrap_or_default();
    let index = |field: Field| form.field(field).map_or(0, Input::as_index);
    let comune = form.field(Field::ReceptionComune).and_then(Input::as_comune).unwrap_or(ComuneCode::from_u32(0));
    let places = form.field(Field::LicensedPlaces).and_then(Input::as_number).unwrap_or(0);
    let mut r = ReceptionProfile::new(comune, u16::try_from(places).unwrap_or(u16::MAX));
    r.managing_body.name = text(Field::ManagingBody);
    r.managing_body.nature = LegalNature::ALL[index(Field::LegalNature).min(LegalNature::ALL.len() - 1)];
    r.licence.number = text(Field::LicenceNumber);
    r.licence.date = form.field(Field::LicenceDate).and_then(Input::as_date);
    r.licence.authority = text(Field::LicenceAuthority);
    r.referent = text(Field::ReceptionReferent);
    r.ages = AgeRange::parse(&text(Field::ReceptionAges)).unwrap_or(AgeRange::ANY);
    r.sex = SexPreference::ALL[index(Field::ReceptionSex).min(SexPreference::ALL.len() - 1)];
    r.equipment = form
        .field(Field::Equipment)
        .map(|f| f.as_set().into_iter().filter_map(|i| Equipment::ALL.get(i).copied()).collect())
        .unwrap_or_default();
    r.languages = split_commas(&text(Field::ReceptionLanguages));
    r
}

/// What the directory shows over the services' list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pane {
    Services,
    Ambits,
}

pub struct Services {
    /// The services: list, card and form.
    records: RecordScreen<ServiceRecords>,
    pane: Pane,
    ambits: Vec<Revised<Ambit>>,
    ambit_sel: Selection,
    /// Where the ambiti's table was last drawn (mouse rows, page height).
    ambits_area: Rect,
    /// The ambiti's pages so far, while they come.
    gathering: Option<Vec<Revised<Ambit>>>,
    ambits_loaded: bool,
    /// "Who covers" this comune: answered from the ambiti and services as they are.
    cover: Option<ComuneCode>,
    prompt: Option<Prompt>,
    /// Folded comune names, built the first time one is typed.
    comuni: Vec<(String, ComuneCode)>,
}

impl Default for Services {
    fn default() -> Self {
        Services::new()
    }
}

impl Services {
    pub fn new() -> Services {
        Services {
            records: RecordScreen::new(),
            pane: Pane::Services,
            ambits: Vec::new(),
            ambit_sel: Selection::default(),
            ambits_area: Rect::default(),
            gathering: None,
            ambits_loaded: false,
            cover: None,
            prompt: None,
            comuni: Vec::new(),
        }
    }

    /// Asks for the province's ambiti: a few pages, every one kept.
    fn load_ambits(&mut self, ctx: &mut Ctx) {
        if self.gathering.is_some() {
            return;
        }
        self.gathering = Some(Vec::new());
        ctx.send(AMBITS, Request::AmbitList { after: None, limit: None });
    }

    /// A page of ambiti; shown when every page is in.
    fn take_ambits(&mut self, result: Result<Reply, CallError>, ctx: &mut Ctx) {
        let Some(mut gathered) = self.gathering.take() else { return };
        let Some(reply) = ctx.ok(result) else { return };
        let next = reply.next_page().cloned();
        let Reply::Ambits(page) = reply else { return };
        gathered.extend(page);
        if let Some(next) = next {
            self.gathering = Some(gathered);
            ctx.send(AMBITS, Request::AmbitList { after: None, limit: None }.page_after(Some(next)));
            return;
        }
        self.ambits = gathered;
        self.ambits_loaded = true;
        self.ambit_sel.clamp(self.ambits.len());
    }

    /// Asks who covers `comune`: the ambiti are read if they are not yet.
    fn cover(&mut self, comune: ComuneCode, ctx: &mut Ctx) {
        if !self.ambits_loaded {
            self.load_ambits(ctx);
        }
        self.cover = Some(comune);
    }

    /// Who covers `comune`: its ambito (and presidio) and that ambito's services.
    fn covering(&self, comune: ComuneCode) -> (Option<&Revised<Ambit>>, Vec<&Revised<Service>>) {
        let Some(ambit) = self.ambits.iter().find(|a| a.record.details.comuni.contains(&comune)) else {
            return (None, Vec::new());
        };
        let key = normalize(&ambit.record.details.name);
        let covers = |s: &&Revised<Service>| s.record.details.ambits.iter().any(|n| normalize(n) == key);
        (Some(ambit), self.records.rows().iter().filter(covers).collect())
    }

    /// Comuni whose name starts with, contains, or spells out what was typed.
    fn suggest(&mut self, text: &str) -> Vec<ComuneCode> {
        if self.comuni.is_empty() {
            self.comuni = Comuni::embedded().iter().map(|c| (fold(&c.name), c.code)).collect();
        }
        let needle = fold(text.trim());
        if needle.is_empty() {
            return Vec::new();
        }
        if let Some(code) = ComuneCode::parse(&needle) {
            return vec![code];
        }
        let mut ranked: Vec<(u8, usize, &str, ComuneCode)> = self
            .comuni
            .iter()
            .filter_map(|(name, code)| {
                let rank = if name.starts_with(&needle) {
                    0
                } else if name.contains(&needle) {
                    1
                } else if is_subsequence(needle.as_bytes(), name.as_bytes()) {
                    2
                } else {
                    return None;
                };
                Some((rank, name.len(), name.as_str(), *code))
            })
            .collect();
        ranked.sort();
        ranked.into_iter().take(SUGGESTIONS).map(|(_, _, _, c)| c).collect()
    }

    fn prompt_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> Outcome {
        let Some(mut prompt) = self.prompt.take() else { return Outcome::Ignored };
        match keys::action(PROMPT_KEYS, ev) {
            Some(PromptAct::Pick) => {
                if let Some(&code) = prompt.candidates.get(prompt.selected) {
                    self.cover(code, ctx);
                    return Outcome::Done;
                }
            }
            Some(PromptAct::Cancel) => return Outcome::Done,
            Some(PromptAct::Up) => prompt.selected = prompt.selected.saturating_sub(1),
            Some(PromptAct::Down) => {
                prompt.selected = (prompt.selected + 1).min(prompt.candidates.len().saturating_sub(1))
            }
            None => {
                if edit_at_end(&mut prompt.text, ev) == LineKey::Edited {
                    prompt.candidates = self.suggest(&prompt.text);
                    prompt.selected = 0;
                }
            }
        }
        self.prompt = Some(prompt);
        Outcome::Done
    }

    fn act(&mut self, act: Act, ctx: &mut Ctx) -> Outcome {
        match act {
            Act::Toggle => {
                self.pane = match self.pane {
                    Pane::Services => Pane::Ambits,
                    Pane::Ambits => Pane::Services,
                };
                if self.pane == Pane::Ambits && !self.ambits_loaded {
                    self.load_ambits(ctx);
                }
            }
            Act::Cover => {
                self.prompt = Some(Prompt::default());
                // Read while the comune is typed.
                if !self.ambits_loaded {
                    self.load_ambits(ctx);
                }
            }
            Act::Back => self.cover = None,
            Act::Reload => {
                self.ambits_loaded = false;
                self.load_ambits(ctx);
            }
        }
        Outcome::Done
    }

    /// The ambiti's keys: moving in their table, and the directory's own.
    fn ambit_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> Outcome {
        if let Some(n) = keys::action(NAV, ev) {
            self.ambit_sel.height = usize::from(self.ambits_area.height.saturating_sub(3)).max(1);
            self.ambit_sel.nav(n, self.ambits.len());
            return Outcome::Done;
        }
        match keys::action(AMBIT_KEYS, ev) {
            Some(a) => self.act(a, ctx),
            None => Outcome::Ignored,
        }
    }

    /// The ambiti's table as tall as it needs (at most half), the selected one's card below.
    fn ambits_layout(&self, area: Rect) -> [Rect; 2] {
        let height = (self.ambits.len() as u16 + 3).clamp(5, area.height / 2);
        Layout::vertical([Constraint::Length(height), Constraint::Min(3)]).areas(area)
    }

    /// The ambiti's table, and the selected one's card under it.
    fn render_ambits(&self, frame: &mut Frame, area: Rect, view: &View) {
        let (lang, theme) = (view.lang, view.theme);
        let [list, card] = self.ambits_layout(area);
        let header = [Tx::Ambit, Tx::Comuni, Tx::Districts].map(|t| t.get(lang));
        let table = TableView {
            title: Tx::Ambits.get(lang).to_string(),
            header: header.to_vec(),
            widths: vec![Constraint::Fill(2), Constraint::Length(7), Constraint::Fill(3)],
            len: self.ambits.len(),
            focused: true,
            empty: if self.ambits_loaded { Tx::NoAmbits.get(lang) } else { T::Loading.get(lang) },
        };
        table.render(frame, list, &self.ambit_sel, theme, |i| {
            let d = &self.ambits[i].record.details;
            let districts: Vec<&str> = d.districts.iter().map(|x| x.name.as_str()).collect();
            vec![text_cell(&d.name), Cell::from(d.comuni.len().to_string()), text_cell(&districts.join(", "))]
        });
        let lines = match self.ambits.get(self.ambit_sel.selected) {
            Some(a) => doc::lines(&present::ambit(a, lang), theme, card.width.saturating_sub(2)),
            None => Vec::new(),
        };
        let block = Block::default().borders(Borders::ALL).border_style(theme.border());
        frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), card);
    }

    /// The comune's ambito and presidio, the cards of the services covering it, and the ambito's.
    fn render_cover(&self, frame: &mut Frame, area: Rect, comune: ComuneCode, view: &View) {
        let (lang, theme) = (view.lang, view.theme);
        let title = format!(" {} {} ", Tx::CoverTitle.get(lang), comune_label(&comune.to_string()));
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border_focused())
            .title(Span::styled(title, theme.title()));
        let width = area.width.saturating_sub(2);
        let mut lines = Vec::new();
        let (ambit, services) = self.covering(comune);
        match ambit {
            None if !self.ambits_loaded => lines.push(Line::raw(T::Loading.get(lang))),
            None => lines.push(Line::raw(Tx::NoAmbit.get(lang))),
            Some(a) => {
                let d = &a.record.details;
                let mut head = vec![
                    Span::styled(format!("{}: ", Tx::Ambit.get(lang)), theme.dim()),
                    Span::styled(d.name.clone(), theme.title()),
                ];
                if let Some(district) = d.district_of(comune) {
                    head.push(Span::styled(format!("  {}: ", Tx::District.get(lang)), theme.dim()));
                    head.push(Span::styled(district.name.clone(), theme.title()));
                }
                lines.push(Line::from(head));
                lines.push(Line::raw(""));
                if services.is_empty() {
                    lines.push(Line::raw(Tx::NoServices.get(lang)));
                }
                for s in services {
                    lines.extend(doc::lines(&self.records.kind.document(s, lang), theme, width));
                    lines.push(Line::raw(""));
                }
                lines.extend(doc::lines(&present::ambit(a, lang), theme, width));
            }
        }
        frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
    }

    fn render_prompt(&self, frame: &mut Frame, area: Rect, prompt: &Prompt, view: &View) {
        let (lang, theme) = (view.lang, view.theme);
        let rect = centered(area, 52, SUGGESTIONS as u16 + 4);
        frame.render_widget(Clear, rect);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border_focused())
            .title(Span::styled(format!(" {} ", Tx::Covers.get(lang)), theme.title()));
        let mut lines = vec![Line::from(vec![
            Span::styled(format!("{}: ", Tx::CoverPrompt.get(lang)), theme.dim()),
            Span::raw(prompt.text.clone()),
            Span::styled("█", theme.key()),
        ])];
        if prompt.candidates.is_empty() && !prompt.text.trim().is_empty() {
            lines.push(Line::styled(Tx::NoMatch.get(lang), theme.dim()));
        }
        for (i, code) in prompt.candidates.iter().enumerate() {
            let text = format!("{} {}", comune_label(&code.to_string()), code);
            let style = if i == prompt.selected { theme.selected() } else { theme.normal() };
            lines.push(Line::styled(text, style));
        }
        frame.render_widget(Paragraph::new(lines).block(block), rect);
    }
}

impl Screen for Services {
    fn id(&self) -> ScreenId {
        ScreenId::Services
    }

    fn hints(&self) -> Vec<Hint> {
        if self.prompt.is_some() {
            return keys::hints(PROMPT_KEYS);
        }
        if self.cover.is_some() {
            return keys::hints(COVER_KEYS);
        }
        if self.pane == Pane::Ambits {
            let mut h = keys::nav_hints();
            h.extend(keys::hints(AMBIT_KEYS));
            return h;
        }
        let mut h = self.records.hints();
        if self.records.in_list() {
            // The directory's own keys first, right after moving: the bar keeps them on a narrow terminal.
            let at = keys::nav_hints().len().min(h.len());
            h.splice(at..at, keys::hints(LIST_KEYS));
        }
        h
    }

    fn activate(&mut self, ctx: &mut Ctx) {
        self.records.activate(ctx);
        // The ambiti shown, or answering "who covers", changed while hidden.
        if !self.ambits_loaded && (self.pane == Pane::Ambits || self.cover.is_some()) {
            self.load_ambits(ctx);
        }
    }

    fn reload(&mut self, ctx: &mut Ctx) {
        self.records.reload(ctx);
        if self.ambits_loaded {
            self.load_ambits(ctx);
        }
    }

    fn is_stale(&self) -> bool {
        self.records.is_stale()
    }

    fn mark_stale(&mut self) {
        self.records.mark_stale();
        // The ambiti are read again when next shown or asked about.
        self.ambits_loaded = false;
    }

    fn reply(&mut self, tag: Tag, result: Result<Reply, CallError>, ctx: &mut Ctx) -> Outcome {
        match tag {
            AMBITS => self.take_ambits(result, ctx),
            OPERATOR => match result {
                Ok(Reply::Operator(op)) => match op.record.details.service {
                    Some(s) => {
                        self.records.open(&s.to_string(), ctx);
                    }
                    None => ctx.error(format!("{}: {}", op.record.user, ctx.view.t(T::NotFound))),
                },
                Err(e) => ctx.error(e.message(ctx.view.lang)),
                Ok(_) => {}
            },
            _ => return self.records.reply(tag, result, ctx),
        }
        Outcome::Done
    }

    fn key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> Outcome {
        if self.prompt.is_some() {
            return self.prompt_key(ev, ctx);
        }
        if self.cover.is_some() {
            return match keys::action(COVER_KEYS, ev) {
                Some(a) => self.act(a, ctx),
                None => Outcome::Ignored,
            };
        }
        if self.pane == Pane::Ambits {
            return self.ambit_key(ev, ctx);
        }
        if self.records.in_list() {
            if let Some(a) = keys::action(LIST_KEYS, ev) {
                return self.act(a, ctx);
            }
        }
        self.records.key(ev, ctx)
    }

    fn mouse(&mut self, ev: &MouseEvent, ctx: &mut Ctx) -> Outcome {
        if self.prompt.is_some() || self.cover.is_some() {
            return Outcome::Ignored;
        }
        if self.pane == Pane::Services {
            return self.records.mouse(ev, ctx);
        }
        let len = self.ambits.len();
        self.ambit_sel.height = usize::from(self.ambits_area.height.saturating_sub(3)).max(1);
        match ev.kind {
            MouseEventKind::ScrollDown => self.ambit_sel.scroll(3, len),
            MouseEventKind::ScrollUp => self.ambit_sel.scroll(-3, len),
            MouseEventKind::Down(MouseButton::Left) => {
                match self.ambit_sel.row_at(self.ambits_area, ev.row, true, len) {
                    Some(i) => self.ambit_sel.select(i, len),
                    None => return Outcome::Ignored,
                }
            }
            _ => return Outcome::Ignored,
        }
        Outcome::Done
    }

    /// A service changed: the record screen asks for it again where shown.
    /// An operator: the services' operators are read again as their cards
    /// show. An ambito: the ambiti are read again.
    fn changed(&mut self, ev: &Event, ctx: &mut Ctx) {
        use crate::model::RecordKind;
        match ev.kind() {
            Some(RecordKind::Service) => self.records.changed(ev, ctx),
            Some(RecordKind::Operator) => {
                self.records.kind.operators.clear();
                if let Some(s) = self.records.current().cloned() {
                    if !self.records.in_list() {
                        self.records.kind.shown(&s, ctx);
                    }
                }
            }
            Some(RecordKind::Ambit) => {
                if self.ambits_loaded {
                    self.load_ambits(ctx);
                }
            }
            _ => self.reload(ctx),
        }
    }

    fn open(&mut self, code: &str, ctx: &mut Ctx) -> bool {
        let code = code.trim();
        self.cover = None;
        self.pane = Pane::Services;
        if ServiceCode::parse(code).is_some() {
            return self.records.open(code, ctx);
        }
        if let Some(comune) = ComuneCode::parse(code) {
            if Comuni::embedded().get(comune).is_none() {
                return false;
            }
            self.cover(comune, ctx);
            return true;
        }
        // An operator: their service, with them among its operators.
        if crate::model::operator::is_valid_user_name(code) {
            ctx.send(OPERATOR, Request::OperatorGet { user: code.to_string() });
            return true;
        }
        false
    }

    fn captures_text(&self) -> bool {
        self.prompt.is_some() || self.records.captures_text()
    }

    fn unsaved(&self) -> bool {
        self.records.unsaved()
    }

    fn wants_more(&self) -> bool {
        self.pane == Pane::Services && self.cover.is_none() && self.records.wants_more()
    }

    fn load_more(&mut self, ctx: &mut Ctx) {
        self.records.load_more(ctx);
    }

    fn place(&mut self, area: Rect, view: &View) {
        let [list, _] = self.ambits_layout(area);
        self.ambits_area = list;
        self.ambit_sel.fit(list, self.ambits.len());
        self.records.place(area, view);
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        if let Some(comune) = self.cover {
            self.render_cover(frame, area, comune, view);
        } else if self.pane == Pane::Ambits {
            self.render_ambits(frame, area, view);
        } else {
            self.records.render(frame, area, view);
        }
        if let Some(prompt) = &self.prompt {
            self.render_prompt(frame, area, prompt, view);
        }
    }
}

/// A comma-separated list, items trimmed, empty ones left out.
fn split_commas(text: &str) -> Vec<String> {
    text.split(',').map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect()
}
