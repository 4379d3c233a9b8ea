//! Mappatura: every service of the network on one screen, by kind (`s`),
//! with contacts; reception services with their places (free, licensed,
//! occupied, declared when, ⚠ when stale). `F` asks "who has a place for
//! this child?" (ages, sex, kind, comune): the list becomes the reception
//! services with a place, best first, each card with its explanation.
//! `v` declares a reception service's vacancies (its own operators, the
//! coordination, administrators).

use ratatui::layout::Constraint;
use ratatui::widgets::Cell;

use super::record::{Own, OwnKeys, RecordScreen, RecordUi};
use super::{Ctx, ScreenId, Tag, View};
use crate::access::{allowed, Operation, Subject};
use crate::api::{
    ChildProfile, Criterion, DirectoryEntry, DirectoryFilter, Page, Principal, ProfileChild, Reply, Request,
};
use crate::i18n::{comune_label, Lang};
use crate::model::fold::fold;
use crate::model::{
    ComuneCode, Field, PlacementKind, Problem, Reason, ServiceCode, ServiceKind, Sex, SpecialNeed, VacancyInput,
};
use crate::present::{Block, Doc, Span, Tone};
use crate::tui::keys::{plain, Binding};
use crate::tui::text::texts;
use crate::tui::theme::Theme;
use crate::tui::widgets::form::{options, Form, Input};
use crate::tui::widgets::list::text_cell;

texts!(Mx {
    Title => "Mappatura dei servizi", "Service directory";
    None => "Nessun servizio.", "No services.";
    NotEditable => "i dati della mappatura li cambia l'amministrazione (Servizi); i posti liberi: v",
        "the directory's data are changed by administrators (Services); vacant places: v";
    Code => "Codice", "Code";
    Name => "Nome", "Name";
    Kind => "Tipo", "Kind";
    Where => "Comune / ambito", "Comune / ambit";
    Free => "Liberi", "Free";
    Score => "Punti", "Score";
    ByName => "nome", "name";
    ByFree => "posti liberi", "vacant places";
    ByScore => "punteggio", "score";
    Vacancies => "posti liberi", "vacancies";
    VacancyTitle => "Posti liberi di", "Vacant places of";
    NotReception => "non è un servizio d'accoglienza", "not a reception service";
    NotYours => "i posti li dichiara il servizio stesso (o il coordinamento)",
        "vacancies are declared by the service itself (or the coordination)";
    QueryTitle => "Chi ha un posto per…", "Who has a place for…";
    AgeYears => "età (anni)", "age (years)";
    AnySex => "indifferente", "any";
    Sex => "sesso", "sex";
    KindOf => "tipo di accoglienza", "kind of placement";
    Needs => "bisogni speciali", "special needs";
    Near => "comune del bambino", "child's comune";
    PlaceFor => "posto per {age} anni{sex} · {kind}", "a place for {age} years{sex} · {kind}";
    Ranked => "{n}. {score}/100", "{n}. {score}/100";
    Why => "Perché", "Why";
});

/// The directory screen.
pub type Mappatura = RecordScreen<DirectoryRecords>;

/// One row: a service as the directory shows it, and, when the list answers
/// "who has a place for…", its place in that ranking.
#[derive(Debug, Clone)]
pub struct Row {
    pub entry: DirectoryEntry,
    pub ranked: Option<Ranked>,
}

#[derive(Debug, Clone)]
pub struct Ranked {
    pub rank: u32,
    pub score: u8,
    pub criteria: Vec<Criterion>,
}

/// The question "who has a place for this child?", when asked.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlaceQuery {
    pub age_years: Option<u32>,
    pub sex: Option<Sex>,
    pub kind: Option<PlacementKind>,
    pub needs: Vec<SpecialNeed>,
    pub near: Option<ComuneCode>,
}

impl PlaceQuery {
    /// A question is asked: an age is given (no profile built to tell, as a row is drawn).
    fn asked(&self) -> bool {
        self.age_years.is_some()
    }

    fn profile(&self) -> Option<ChildProfile> {
        let age = self.age_years?;
        let kind = self.kind.unwrap_or(PlacementKind::Emergency);
        Some(ChildProfile {
            children: vec![ProfileChild { age_months: age * 12, sex: self.sex }],
            kind,
            emergency: kind == PlacementKind::Emergency,
            time_slots: Default::default(),
            special_needs: self.needs.iter().copied().collect(),
            languages: vec![],
            start: None,
            comune: self.near,
            within: None,
        })
    }
}

#[derive(Debug, Default)]
pub struct DirectoryRecords {
    query: PlaceQuery,
    accepted: PlaceQuery,
    /// The place of each service in the answer to the question, kept for
    /// its card (a card read again by its code comes without it).
    ranked: std::collections::HashMap<ServiceCode, Ranked>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Vacancies,
}

const VACANCIES: &[Binding<Act>] =
    &[Binding { keys: &[plain('v')], shown: "v", label: |l| Mx::Vacancies.get(l), action: Act::Vacancies, bar: true }];

const VACANCY: Tag = "vacancy";
/// The question asked again for a card's "why".
const WHY: Tag = "why";

fn rows_of(entries: Vec<DirectoryEntry>) -> Vec<Row> {
    entries.into_iter().map(|entry| Row { entry, ranked: None }).collect()
}

/// May `who` declare this service's vacancies?
fn may_declare(who: &Principal, e: &DirectoryEntry) -> bool {
    e.kind.is_reception() && allowed(who, Operation::Update, Subject::Vacancy, Some(e.code))
}

impl RecordUi for DirectoryRecords {
    type Code = ServiceCode;
    type Record = Row;
    type Act = Act;

    const SCREEN: ScreenId = ScreenId::Mappatura;

    fn title(lang: Lang) -> &'static str {
        Mx::Title.get(lang)
    }

    fn empty(lang: Lang) -> &'static str {
        Mx::None.get(lang)
    }

    fn not_editable(lang: Lang) -> &'static str {
        Mx::NotEditable.get(lang)
    }

    fn parse(code: &str) -> Option<ServiceCode> {
        ServiceCode::parse(code)
    }

    fn code(record: &Row) -> ServiceCode {
        record.entry.code
    }

    fn revision(_record: &Row) -> u64 {
        0
    }

    fn list(status: Option<usize>) -> Request {
        let kind = status.and_then(|i| ServiceKind::ALL.get(i).copied());
        Request::Directory { filter: DirectoryFilter { kind, ..DirectoryFilter::default() } }
    }

    /// With a question asked: the reception services with a place, best first.
    fn list_with(&self, status: Option<usize>) -> Request {
        match self.query.profile() {
            Some(profile) => Request::Places { profile, limit: crate::api::MAX_SERVICE_CANDIDATES },
            None => Self::list(status),
        }
    }

    fn get(code: ServiceCode) -> Request {
        Request::Directory {
            filter: DirectoryFilter { code: Some(code), inactive: true, ..DirectoryFilter::default() },
        }
    }

    fn page(reply: Reply) -> Option<Page<Row>> {
        match reply {
            Reply::Directory(entries) => Some(Page::whole(rows_of(entries))),
            Reply::Places(r) => Some(Page::whole(
                r.candidates
                    .into_iter()
                    .map(|c| Row {
                        entry: c.service,
                        ranked: Some(Ranked { rank: c.rank, score: c.score, criteria: c.criteria }),
                    })
                    .collect(),
            )),
            _ => None,
        }
    }

    /// The answer to the question, summed up on the status line: how many
    /// were looked at, how many have a place, why the others do not.
    fn listed(&mut self, reply: &Reply, ctx: &mut Ctx) {
        if let Reply::Places(r) = reply {
            ctx.info(crate::present::reception::summary_line(r, ctx.view.lang));
        }
    }

    fn one(reply: Reply) -> Option<Row> {
        match reply {
            Reply::Directory(entries) => rows_of(entries).into_iter().next(),
            _ => None,
        }
    }

    /// `s` shows one kind of service.
    fn statuses(lang: Lang) -> Vec<&'static str> {
        ServiceKind::ALL.iter().map(|k| k.label(lang)).collect()
    }

    fn status_of(record: &Row) -> Option<usize> {
        ServiceKind::ALL.iter().position(|&k| k == record.entry.kind)
    }

    fn sorts(lang: Lang) -> Vec<&'static str> {
        vec![Mx::Code.get(lang), Mx::ByName.get(lang), Mx::ByFree.get(lang), Mx::ByScore.get(lang)]
    }

    fn sort(rows: &[Row], shown: &mut [usize], sort: usize) {
        let free = |r: &Row| r.entry.places.as_ref().map_or(0, |p| p.free);
        match sort {
            1 => shown.sort_by_key(|&i| fold(&rows[i].entry.name)),
            2 => shown.sort_by_key(|&i| (std::cmp::Reverse(free(&rows[i])), rows[i].entry.code)),
            3 => shown.sort_by_key(|&i| (rows[i].ranked.as_ref().map_or(u32::MAX, |r| r.rank), rows[i].entry.code)),
            _ => shown.sort_by_key(|&i| rows[i].entry.code),
        }
    }

    /// The `f` filter looks in the name, the kind, the comune and the ambiti.
    fn filter_text(record: &Row) -> String {
        let e = &record.entry;
        let comune = e.comune.map(|c| comune_label(&c.to_string())).unwrap_or_default();
        fold(&format!(
            "{} {} {} {} {} {}",
            e.code,
            e.name,
            e.kind.label(Lang::It),
            e.kind.token(),
            comune,
            e.ambits.join(" ")
        ))
    }

    fn columns(lang: Lang, width: u16) -> (Vec<&'static str>, Vec<Constraint>) {
        let header = [Mx::Code, Mx::Name, Mx::Kind, Mx::Where, Mx::Free];
        let widths = vec![
            Constraint::Length(6),
            Constraint::Fill(2),
            Constraint::Length(if width >= 100 { 26 } else { 14 }),
            Constraint::Fill(1),
            Constraint::Length(7),
        ];
        (header.iter().map(|t| t.get(lang)).collect(), widths)
    }

    fn columns_now(&self, lang: Lang, width: u16) -> (Vec<&'static str>, Vec<Constraint>) {
        let (mut header, mut widths) = Self::columns(lang, width);
        if self.query.asked() {
            header.insert(0, Mx::Score.get(lang));
            widths.insert(0, Constraint::Length(5));
        }
        (header, widths)
    }

    fn cells(r: &Row, lang: Lang, width: u16, theme: Theme) -> Vec<Cell<'static>> {
        let e = &r.entry;
        let kind = if width >= 100 { e.kind.label(lang).to_string() } else { e.kind.typed(lang).replace('_', " ") };
        let place = match e.comune {
            Some(c) => comune_label(&c.to_string()),
            None => e.ambits.join(", "),
        };
        let free = match &e.places {
            Some(p) if p.stale => Cell::from(format!("{}⚠", p.free)).style(theme.warning()),
            Some(p) => Cell::from(p.free.to_string()),
            None => Cell::from("—"),
        };
        vec![Cell::from(e.code.to_string()), text_cell(&e.name), Cell::from(kind), text_cell(&place), free]
    }

    fn cells_now(&self, r: &Row, lang: Lang, width: u16, theme: Theme) -> Vec<Cell<'static>> {
        let mut cells = Self::cells(r, lang, width, theme);
        if self.query.asked() {
            cells.insert(0, Cell::from(r.ranked.as_ref().map_or(String::new(), |k| k.score.to_string())));
        }
        cells
    }

    fn query_form(&self, lang: Lang) -> Option<Form> {
        let q = &self.query;
        let mut sexes = vec![Mx::AnySex.get(lang).to_string()];
        sexes.extend(Sex::ALL.iter().map(|s| s.label(lang).to_string()));
        let sex = q.sex.and_then(|s| Sex::ALL.iter().position(|&x| x == s)).map_or(0, |i| i + 1);
        let kind =
            PlacementKind::ALL.iter().position(|&k| k == q.kind.unwrap_or(PlacementKind::Emergency)).unwrap_or(0);
        let fields = vec![
            Input::number(Field::ChildAge, lang, q.age_years.map(u64::from)).labelled(Mx::AgeYears.get(lang)),
            Input::choice(Field::Sex, lang, sexes, sex).labelled(Mx::Sex.get(lang)),
            Input::choice(Field::PlacementKind, lang, options!(PlacementKind, lang), kind)
                .labelled(Mx::KindOf.get(lang)),
            Input::multi(
                Field::SpecialNeeds,
                lang,
                options!(SpecialNeed, lang),
                SpecialNeed::ALL.iter().map(|n| q.needs.contains(n)).collect(),
            )
            .labelled(Mx::Needs.get(lang)),
            Input::comune(Field::Near, lang, q.near).labelled(Mx::Near.get(lang)),
        ];
        Some(Form::new(Mx::QueryTitle.get(lang).to_string(), fields))
    }

    /// An age empties the question (the whole directory again) when left
    /// empty; given, the core answers with the services in score order.
    fn take_query(&mut self, form: &Form) -> Result<Option<usize>, Vec<Problem>> {
        let age = form.field(Field::ChildAge).and_then(Input::as_number);
        if age.is_some_and(|a| a > 21) {
            return Err(vec![Problem::new(Field::ChildAge, Reason::OutOfRange { min: 0, max: 21 })]);
        }
        let sex = form.field(Field::Sex).map_or(0, Input::as_index);
        let kind = form.field(Field::PlacementKind).map_or(0, Input::as_index);
        self.query = PlaceQuery {
            age_years: age.map(|a| a as u32),
            sex: sex.checked_sub(1).and_then(|i| Sex::ALL.get(i).copied()),
            kind: PlacementKind::ALL.get(kind).copied(),
            needs: form
                .field(Field::SpecialNeeds)
                .map(|f| f.as_set().into_iter().filter_map(|i| SpecialNeed::ALL.get(i).copied()).collect())
                .unwrap_or_default(),
            near: form.field(Field::Near).and_then(Input::as_comune),
        };
        Ok(Some(if self.query.asked() { 3 } else { 0 }))
    }

    fn query_accepted(&mut self) {
        self.accepted = self.query.clone();
        self.ranked.clear();
    }

    fn query_abandoned(&mut self) -> Option<usize> {
        self.query = self.accepted.clone();
        Some(if self.query.asked() { 3 } else { 0 })
    }

    fn query_summary(&self, lang: Lang) -> Option<String> {
        let age = self.query.age_years?;
        let sex = self.query.sex.map(|s| format!(", {}", s.label(lang))).unwrap_or_default();
        let kind = self.query.kind.unwrap_or(PlacementKind::Emergency).label(lang);
        let mut s = Mx::PlaceFor.fill(lang, &[("age", &age), ("sex", &sex), ("kind", &kind)]);
        if let Some(c) = self.query.near {
            s.push_str(&format!(" · {}", comune_label(&c.to_string())));
        }
        Some(s)
    }

    /// A card opened with a question asked: the ranking again, for its "why".
    fn shown(&mut self, r: &Row, ctx: &mut Ctx) {
        if let (None, Some(profile)) = (&r.ranked, self.query.profile()) {
            if !self.ranked.contains_key(&r.entry.code) {
                ctx.send(WHY, Request::Places { profile, limit: crate::api::MAX_SERVICE_CANDIDATES });
            }
        }
    }

    fn answer(&mut self, tag: Tag, result: Result<Reply, crate::tui::source::CallError>, ctx: &mut Ctx) -> Own {
        if tag == WHY {
            if let Some(Reply::Places(r)) = ctx.ok(result) {
                self.ranked = r
                    .candidates
                    .into_iter()
                    .map(|c| (c.service.code, Ranked { rank: c.rank, score: c.score, criteria: c.criteria }))
                    .collect();
            }
        }
        Own::Done
    }

    /// The directory's card; with a question asked, the place in the ranking and why.
    fn document(&self, r: &Row, lang: Lang) -> Doc {
        let mut doc = crate::present::reception::directory(std::slice::from_ref(&r.entry), lang);
        let ranked = r.ranked.as_ref().or_else(|| self.query.profile().and(self.ranked.get(&r.entry.code)));
        if let Some(k) = ranked {
            doc.blank();
            doc.line(
                0,
                Span::new(
                    format!(
                        "{} · {}",
                        Mx::Why.get(lang),
                        Mx::Ranked.fill(lang, &[("n", &k.rank), ("score", &k.score)])
                    ),
                    Tone::Strong,
                ),
            );
            for c in &k.criteria {
                let tone = if c.raised() { Tone::Ok } else { Tone::Warning };
                doc.push(Block::Line {
                    indent: 2,
                    hang: Some(10),
                    spans: vec![Span::new(crate::i18n::describe_criterion(c, lang), tone)],
                });
            }
        }
        doc
    }

    fn may_create(_view: &View) -> bool {
        false
    }

    fn may_edit(_who: &Principal, _r: &Row) -> bool {
        false
    }

    fn whole(_r: &Row) -> bool {
        true
    }

    /// Never opened: the directory's records are changed on Servizi.
    fn form(_r: Option<&Row>, lang: Lang) -> Form {
        Form::new(Mx::Title.get(lang).to_string(), Vec::new())
    }

    fn save(
        _form: &Form,
        _base: Option<&Row>,
        code: Option<ServiceCode>,
        _revision: u64,
        _today: time::Date,
    ) -> Request {
        Request::Directory { filter: DirectoryFilter { code, ..DirectoryFilter::default() } }
    }

    fn save_own(
        purpose: Tag,
        form: &Form,
        _base: Option<&Row>,
        code: Option<ServiceCode>,
        _revision: u64,
        today: time::Date,
    ) -> Result<Request, Vec<Problem>> {
        let (Some(service), VACANCY) = (code, purpose) else { return Err(Vec::new()) };
        let Some(places) = form.field(Field::VacantPlaces).and_then(Input::as_number) else {
            return Err(vec![Problem::new(Field::VacantPlaces, Reason::Required)]);
        };
        let input = VacancyInput {
            places: u16::try_from(places).unwrap_or(u16::MAX),
            declared_on: form.field(Field::DeclaredOn).and_then(Input::as_date).unwrap_or(today),
            note: form.field(Field::VacancyNote).map(|f| f.as_text().trim().to_string()).unwrap_or_default(),
        };
        Ok(Request::VacancyDeclare { service, input })
    }

    fn own_keys(_detail: bool) -> OwnKeys<Act> {
        OwnKeys { before_edit: VACANCIES, after_edit: &[] }
    }

    fn legal(_act: Act, who: &Principal, on: Option<&Row>) -> bool {
        on.is_some_and(|r| may_declare(who, &r.entry))
    }

    fn act(&mut self, _act: Act, on: Option<&Row>, ctx: &mut Ctx) -> Own {
        let lang = ctx.view.lang;
        let Some(r) = on else { return Own::Done };
        let e = &r.entry;
        if !e.kind.is_reception() {
            ctx.error(format!("{}: {}", e.code, Mx::NotReception.get(lang)));
            return Own::Done;
        }
        if !may_declare(&ctx.view.who, e) {
            ctx.error(format!("{}: {}", e.code, Mx::NotYours.get(lang)));
            return Own::Done;
        }
        let now = e.places.as_ref().and_then(|p| p.declared).map(u64::from);
        let form = Form::new(
            format!("{} {} {}", Mx::VacancyTitle.get(lang), e.code, e.name),
            vec![
                Input::number(Field::VacantPlaces, lang, now).required().replaced_on_entry(),
                Input::date(Field::DeclaredOn, lang, Some(ctx.view.today)),
                Input::text(Field::VacancyNote, lang, ""),
            ],
        );
        Own::Form { form: Box::new(form), code: Some(e.code.to_string()), revision: 0, purpose: VACANCY }
    }
}
