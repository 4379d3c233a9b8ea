//! Servizi: the directory. The services (kind, ambiti, contacts, their
//! operators), the ambiti with their presidi and comuni, and "who covers
//! comune X": the ambito and presidio it belongs to and the services of
//! that ambito, found by typing a few letters of the comune's name.

use std::collections::HashMap;

use ratatui::crossterm::event::{KeyCode, KeyEvent, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Wrap};
use ratatui::Frame;

use super::{Ctx, Outcome, Screen, ScreenId, Tag, View};
use crate::api::{Reply, Request};
use crate::i18n::{comune_label, Lang};
use crate::model::comune::normalize;
use crate::model::fold::{fold, is_subsequence};
use crate::model::{Ambit, ComuneCode, Comuni, Operator, Service, ServiceCode};
use crate::tui::help::centered;
use crate::tui::keys::{self, code, label, plain, Binding, Hint, Nav, NAV};
use crate::tui::source::CallError;
use crate::tui::text::{texts, T};
use crate::tui::theme::Theme;
use crate::tui::widgets::line_editor::{edit_at_end, LineKey};
use crate::tui::widgets::list::{text_cell, Selection, TableView};

texts!(Tx {
    Services => "Servizi", "Services";
    Ambits => "Ambiti", "Ambits";
    Code => "Codice", "Code";
    Name => "Nome", "Name";
    Kind => "Tipo", "Kind";
    Phone => "Telefono", "Phone";
    Email => "E-mail", "E-mail";
    Address => "Indirizzo", "Address";
    Notes => "Note", "Notes";
    Inactive => "non attivo", "inactive";
    Operators => "Operatori", "Operators";
    Comuni => "Comuni", "Comuni";
    Districts => "Presidi", "Districts";
    District => "Presidio", "District";
    NoDistrict => "Senza presidio", "No district";
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
});

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    Toggle,
    Cover,
    Back,
    Reload,
}

const LIST_KEYS: &[Binding<Act>] = &[
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum List {
    Services,
    Ambits,
}

/// The answer to "who covers this comune".
struct Cover {
    comune: ComuneCode,
    ambit: Option<Ambit>,
    services: Vec<Service>,
}

/// The comune being typed, and the comuni it could be.
#[derive(Default)]
struct Prompt {
    text: String,
    candidates: Vec<ComuneCode>,
    selected: usize,
}

pub struct Services {
    loaded: bool,
    services: Vec<Service>,
    ambits: Vec<Ambit>,
    /// Operators of each service, read when the service is first shown.
    operators: HashMap<ServiceCode, Vec<Operator>>,
    list: List,
    sel: Selection,
    ambit_sel: Selection,
    cover: Option<Cover>,
    prompt: Option<Prompt>,
    /// Folded comune names, built the first time one is typed.
    comuni: Vec<(String, ComuneCode)>,
    list_area: Rect,
    /// The services' and ambits' pages so far, while they come.
    gathering: Option<(Vec<Service>, Vec<Ambit>)>,
    /// Replies still to come before the lists are whole.
    waiting: usize,
    /// Asked again while the lists were coming: asked once more when they are in.
    again: bool,
    /// The service whose operators are coming, with those come so far.
    ops: Option<(ServiceCode, Vec<Operator>)>,
    /// The service whose operators are wanted next.
    ops_next: Option<ServiceCode>,
    /// A service to select once the lists are in (opened by its code or an operator's).
    select_when_loaded: Option<ServiceCode>,
    /// A change seen while another screen was shown: reload when shown.
    stale: bool,
}

/// Why the screen asked.
const SERVICES: Tag = "services";
const AMBITS: Tag = "ambits";
const OPERATORS: Tag = "operators";
const OPERATOR: Tag = "operator";

impl Services {
    pub fn new() -> Services {
        Services {
            loaded: false,
            services: Vec::new(),
            ambits: Vec::new(),
            operators: HashMap::new(),
            list: List::Services,
            sel: Selection::default(),
            ambit_sel: Selection::default(),
            cover: None,
            prompt: None,
            comuni: Vec::new(),
            list_area: Rect::default(),
            gathering: None,
            waiting: 0,
            again: false,
            ops: None,
            ops_next: None,
            select_when_loaded: None,
            stale: false,
        }
    }

    /// Asks for the province's services and ambits: a few pages, every one kept.
    fn load(&mut self, ctx: &mut Ctx) {
        self.stale = false;
        if self.gathering.is_some() {
            self.again = true;
            return;
        }
        self.gathering = Some((Vec::new(), Vec::new()));
        self.waiting = 2;
        ctx.send(SERVICES, Request::ServiceList { after: None, limit: None });
        ctx.send(AMBITS, Request::AmbitList { after: None, limit: None });
    }

    /// A page of services or ambits; the lists are shown when every page is in.
    fn take_page(&mut self, tag: Tag, result: Result<Reply, CallError>, ctx: &mut Ctx) {
        let Some((services, ambits)) = self.gathering.as_mut() else { return };
        self.waiting = self.waiting.saturating_sub(1);
        let reply = ctx.ok(result);
        let next = reply.as_ref().and_then(Reply::next_page).cloned();
        let mut whole = true;
        match reply {
            Some(Reply::Services(list)) => services.extend(list.into_iter().map(|r| r.record)),
            Some(Reply::Ambits(list)) => ambits.extend(list.into_iter().map(|r| r.record)),
            _ => whole = false,
        }
        if let Some(next) = next {
            self.waiting += 1;
            let first = if tag == SERVICES {
                Request::ServiceList { after: None, limit: None }
            } else {
                Request::AmbitList { after: None, limit: None }
            };
            ctx.send(tag, first.page_after(Some(next)));
        }
        if !whole {
            // What was shown stays: a list half read is not shown.
            self.gathering = None;
            self.waiting = 0;
        }
        if self.waiting > 0 {
            return;
        }
        if let Some((services, ambits)) = self.gathering.take() {
            self.services = services;
            self.ambits = ambits;
        }
        self.operators.clear();
        self.loaded = true;
        self.sel.clamp(self.services.len());
        self.ambit_sel.clamp(self.ambits.len());
        if let Some(code) = self.select_when_loaded.take() {
            self.select_service(code, ctx);
        }
        self.load_operators(ctx);
        if std::mem::take(&mut self.again) {
            self.load(ctx);
        }
    }

    /// Asks for the operators of the selected service, if not read yet
    /// (one service at a time; the last one wanted comes next).
    fn load_operators(&mut self, ctx: &mut Ctx) {
        let Some(code) = self.services.get(self.sel.selected).map(|s| s.code) else { return };
        if self.operators.contains_key(&code) || self.ops.as_ref().is_some_and(|(c, _)| *c == code) {
            return;
        }
        if self.ops.is_some() {
            self.ops_next = Some(code);
            return;
        }
        self.ops = Some((code, Vec::new()));
        ctx.send(OPERATORS, Request::OperatorList { service: Some(code), after: None, limit: None });
    }

    /// A page of a service's operators. Not everyone may list operators:
    /// the service then shows without them.
    fn take_operators(&mut self, result: Result<Reply, CallError>, ctx: &mut Ctx) {
        let Some((code, mut ops)) = self.ops.take() else { return };
        if let Ok(Reply::Operators(page)) = result {
            let next = page.next.clone();
            ops.extend(page.into_iter().map(|r| r.record));
            match next {
                Some(next) => {
                    let request = Request::OperatorList { service: Some(code), after: None, limit: None };
                    self.ops = Some((code, ops));
                    ctx.send(OPERATORS, request.page_after(Some(next)));
                    return;
                }
                None => {
                    self.operators.insert(code, ops);
                }
            }
        }
        if self.ops_next.take().is_some() {
            self.load_operators(ctx);
        }
    }

    fn select_service(&mut self, code: ServiceCode, ctx: &mut Ctx) -> bool {
        if !self.loaded {
            self.select_when_loaded = Some(code);
            return true;
        }
        let Some(i) = self.services.iter().position(|s| s.code == code) else { return false };
        self.list = List::Services;
        self.cover = None;
        self.sel.select(i, self.services.len());
        self.load_operators(ctx);
        true
    }

    /// Who covers `comune`: its ambito (and presidio) and that ambito's services.
    fn cover(&mut self, comune: ComuneCode) {
        let ambit = self.ambits.iter().find(|a| a.details.comuni.contains(&comune)).cloned();
        let services = match &ambit {
            Some(a) => {
                let key = normalize(&a.details.name);
                self.services.iter().filter(|s| s.details.ambits.iter().any(|n| normalize(n) == key)).cloned().collect()
            }
            None => Vec::new(),
        };
        self.cover = Some(Cover { comune, ambit, services });
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

    fn prompt_key(&mut self, ev: &KeyEvent) -> Outcome {
        let Some(mut prompt) = self.prompt.take() else { return Outcome::Ignored };
        match keys::action(PROMPT_KEYS, ev) {
            Some(PromptAct::Pick) => {
                if let Some(&code) = prompt.candidates.get(prompt.selected) {
                    self.cover(code);
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
                self.list = match self.list {
                    List::Services => List::Ambits,
                    List::Ambits => List::Services,
                }
            }
            Act::Cover => self.prompt = Some(Prompt::default()),
            Act::Back => self.cover = None,
            Act::Reload => self.load(ctx),
        }
        Outcome::Done
    }

    fn service_lines(&self, s: &Service, lang: Lang, theme: Theme) -> Vec<Line<'static>> {
        let d = &s.details;
        let field = |label: Tx, value: String| {
            let value = crate::model::plain::neutralise(&value).into_owned();
            Line::from(vec![Span::styled(format!("{}: ", label.get(lang)), theme.dim()), Span::raw(value)])
        };
        let mut title = format!("{}  {}", s.code, crate::model::plain::neutralise(&d.name));
        if !d.active {
            title.push_str(&format!(" ({})", Tx::Inactive.get(lang)));
        }
        let mut lines = vec![Line::styled(title, theme.title())];
        lines.push(field(Tx::Kind, d.kind.label(lang).to_string()));
        lines.push(field(Tx::Ambits, d.ambits.join(", ")));
        lines.push(field(Tx::Phone, d.phone.clone()));
        lines.push(field(Tx::Email, d.email.clone()));
        if !d.address.is_empty() {
            lines.push(field(Tx::Address, d.address.clone()));
        }
        if let Some(ops) = self.operators.get(&s.code) {
            let names: Vec<String> = ops
                .iter()
                .filter(|o| o.details.active)
                .map(|o| format!("{} ({}, {})", o.details.display_name, o.user, o.details.role.label(lang)))
                .collect();
            lines.push(field(Tx::Operators, names.join("; ")));
        }
        if !d.notes.is_empty() {
            lines.push(field(Tx::Notes, d.notes.clone()));
        }
        lines
    }

    fn ambit_lines(a: &Ambit, lang: Lang, theme: Theme) -> Vec<Line<'static>> {
        let d = &a.details;
        let names = |codes: &mut dyn Iterator<Item = &ComuneCode>| -> String {
            codes.map(|c| short_comune(*c)).collect::<Vec<_>>().join(", ")
        };
        let mut lines = vec![Line::styled(
            format!("{} · {} {}", crate::model::plain::neutralise(&d.name), d.comuni.len(), Tx::Comuni.get(lang)),
            theme.title(),
        )];
        for district in &d.districts {
            lines.push(Line::from(vec![
                Span::styled(
                    format!("{} {}: ", Tx::District.get(lang), crate::model::plain::neutralise(&district.name)),
                    theme.dim(),
                ),
                Span::raw(names(&mut district.comuni.iter())),
            ]));
        }
        let outside = names(&mut d.comuni.iter().filter(|c| d.district_of(**c).is_none()));
        if !outside.is_empty() {
            let label = if d.districts.is_empty() { Tx::Comuni } else { Tx::NoDistrict };
            lines.push(Line::from(vec![
                Span::styled(format!("{}: ", label.get(lang)), theme.dim()),
                Span::raw(outside),
            ]));
        }
        lines
    }

    fn render_cover(&self, frame: &mut Frame, area: Rect, cover: &Cover, view: &View) {
        let (lang, theme) = (view.lang, view.theme);
        let title = format!(" {} {} ", Tx::CoverTitle.get(lang), comune_label(&cover.comune.to_string()));
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border_focused())
            .title(Span::styled(title, theme.title()));
        let mut lines = Vec::new();
        match &cover.ambit {
            None => lines.push(Line::raw(Tx::NoAmbit.get(lang))),
            Some(a) => {
                let mut head = vec![
                    Span::styled(format!("{}: ", Tx::Ambit.get(lang)), theme.dim()),
                    Span::styled(a.details.name.clone(), theme.title()),
                ];
                if let Some(d) = a.details.district_of(cover.comune) {
                    head.push(Span::styled(format!("  {}: ", Tx::District.get(lang)), theme.dim()));
                    head.push(Span::styled(d.name.clone(), theme.title()));
                }
                lines.push(Line::from(head));
                lines.push(Line::raw(""));
                if cover.services.is_empty() {
                    lines.push(Line::raw(Tx::NoServices.get(lang)));
                }
                for s in &cover.services {
                    lines.extend(self.service_lines(s, lang, theme));
                    lines.push(Line::raw(""));
                }
                lines.extend(Self::ambit_lines(a, lang, theme));
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

/// "Dalmine" (the province is the same for the whole list).
fn short_comune(code: ComuneCode) -> String {
    Comuni::embedded().get(code).map(|c| c.name.clone()).unwrap_or_else(|| code.to_string())
}

impl Default for Services {
    fn default() -> Self {
        Services::new()
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
        let mut h = keys::nav_hints();
        h.extend(keys::hints(LIST_KEYS));
        h
    }

    fn activate(&mut self, ctx: &mut Ctx) {
        if (!self.loaded && self.gathering.is_none()) || self.stale {
            self.load(ctx);
        }
    }

    fn reload(&mut self, ctx: &mut Ctx) {
        self.load(ctx);
    }

    fn is_stale(&self) -> bool {
        self.stale && self.loaded
    }

    fn mark_stale(&mut self) {
        self.stale = true;
    }

    fn reply(&mut self, tag: Tag, result: Result<Reply, CallError>, ctx: &mut Ctx) -> Outcome {
        match tag {
            SERVICES | AMBITS => self.take_page(tag, result, ctx),
            OPERATORS => self.take_operators(result, ctx),
            OPERATOR => match result {
                Ok(Reply::Operator(op)) => match op.record.details.service {
                    Some(s) => {
                        self.select_service(s, ctx);
                    }
                    None => ctx.error(format!("{}: {}", op.record.user, ctx.view.t(T::NotFound))),
                },
                Err(e) => ctx.error(e.message(ctx.view.lang)),
                Ok(_) => {}
            },
            _ => {}
        }
        Outcome::Done
    }

    fn key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> Outcome {
        if self.prompt.is_some() {
            return self.prompt_key(ev);
        }
        if self.cover.is_some() {
            return match keys::action(COVER_KEYS, ev) {
                Some(a) => self.act(a, ctx),
                None => Outcome::Ignored,
            };
        }
        if let Some(n) = keys::action(NAV, ev) {
            self.nav(n, ctx);
            return Outcome::Done;
        }
        match keys::action(LIST_KEYS, ev) {
            Some(a) => self.act(a, ctx),
            None => Outcome::Ignored,
        }
    }

    fn mouse(&mut self, ev: &MouseEvent, ctx: &mut Ctx) -> Outcome {
        if self.prompt.is_some() || self.cover.is_some() {
            return Outcome::Ignored;
        }
        match ev.kind {
            MouseEventKind::ScrollDown => self.nav(Nav::Down, ctx),
            MouseEventKind::ScrollUp => self.nav(Nav::Up, ctx),
            MouseEventKind::Down(MouseButton::Left) => {
                let (sel, len) = match self.list {
                    List::Services => (&mut self.sel, self.services.len()),
                    List::Ambits => (&mut self.ambit_sel, self.ambits.len()),
                };
                match sel.row_at(self.list_area, ev.row, true, len) {
                    Some(i) => sel.select(i, len),
                    None => return Outcome::Ignored,
                }
                self.load_operators(ctx);
            }
            _ => return Outcome::Ignored,
        }
        Outcome::Done
    }

    /// A service, an operator or an ambit changed (`cares`): the lists are read again.
    fn changed(&mut self, _ev: &crate::protocol::Event, ctx: &mut Ctx) {
        if self.loaded {
            self.load(ctx);
        }
    }

    fn open(&mut self, code: &str, ctx: &mut Ctx) -> bool {
        let code = code.trim();
        if let Some(s) = ServiceCode::parse(code) {
            return self.select_service(s, ctx);
        }
        if let Some(comune) = ComuneCode::parse(code) {
            if Comuni::embedded().get(comune).is_none() {
                return false;
            }
            self.cover(comune);
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
        self.prompt.is_some()
    }

    /// Laid out as `render` lays it out (kept small: the record screen replaces this one).
    fn place(&mut self, area: Rect, _view: &View) {
        let (list, _) = self.split(area);
        self.list_area = list;
        self.sel.fit(list, self.services.len());
        self.ambit_sel.fit(list, self.ambits.len());
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let (lang, theme) = (view.lang, view.theme);
        if let Some(cover) = &self.cover {
            self.render_cover(frame, area, cover, view);
        } else {
            let (list, detail) = self.split(area);
            let detail_lines = match self.list {
                List::Services => self.render_services(frame, list, view),
                List::Ambits => self.render_ambits(frame, list, view),
            };
            let block = Block::default().borders(Borders::ALL).border_style(theme.border());
            frame.render_widget(Paragraph::new(detail_lines).block(block).wrap(Wrap { trim: false }), detail);
        }
        if let Some(prompt) = &self.prompt {
            self.render_prompt(frame, area, prompt, view);
        }
        let _ = lang;
    }
}

impl Services {
    /// The list as tall as it needs (at most half), the record below.
    fn split(&self, area: Rect) -> (Rect, Rect) {
        let rows = match self.list {
            List::Services => self.services.len(),
            List::Ambits => self.ambits.len(),
        } as u16;
        let list_height = (rows + 3).clamp(5, area.height / 2);
        let [list, detail] = Layout::vertical([Constraint::Length(list_height), Constraint::Min(3)]).areas(area);
        (list, detail)
    }

    fn nav(&mut self, n: Nav, ctx: &mut Ctx) {
        match self.list {
            List::Services => {
                self.sel.nav(n, self.services.len());
                self.load_operators(ctx);
            }
            List::Ambits => {
                self.ambit_sel.nav(n, self.ambits.len());
            }
        }
    }

    /// The services' table; the selected one's record, as lines.
    fn render_services(&self, frame: &mut Frame, area: Rect, view: &View) -> Vec<Line<'static>> {
        let (lang, theme) = (view.lang, view.theme);
        let header = [Tx::Code, Tx::Name, Tx::Kind, Tx::Phone, Tx::Ambits].map(|t| t.get(lang));
        let table = TableView {
            title: Tx::Services.get(lang).to_string(),
            header: header.to_vec(),
            widths: vec![
                Constraint::Length(6),
                Constraint::Fill(3),
                Constraint::Length(if area.width >= 100 { 26 } else { 12 }),
                Constraint::Length(14),
                Constraint::Fill(2),
            ],
            len: self.services.len(),
            focused: true,
            empty: if self.loaded { Tx::None.get(lang) } else { T::Loading.get(lang) },
        };
        let services = &self.services;
        let wide = area.width >= 100;
        table.render(frame, area, &self.sel, theme, |i| {
            let d = &services[i].details;
            let kind = if wide { d.kind.label(lang).to_string() } else { d.kind.token_it().replace('_', " ") };
            vec![
                Cell::from(services[i].code.to_string()),
                text_cell(&d.name),
                Cell::from(kind),
                text_cell(&d.phone),
                text_cell(&d.ambits.join(", ")),
            ]
        });
        match self.services.get(self.sel.selected) {
            Some(s) => self.service_lines(s, lang, theme),
            None => Vec::new(),
        }
    }

    fn render_ambits(&self, frame: &mut Frame, area: Rect, view: &View) -> Vec<Line<'static>> {
        let (lang, theme) = (view.lang, view.theme);
        let header = [Tx::Ambit, Tx::Comuni, Tx::Districts].map(|t| t.get(lang));
        let table = TableView {
            title: Tx::Ambits.get(lang).to_string(),
            header: header.to_vec(),
            widths: vec![Constraint::Fill(2), Constraint::Length(7), Constraint::Fill(3)],
            len: self.ambits.len(),
            focused: true,
            empty: if self.loaded { Tx::NoAmbits.get(lang) } else { T::Loading.get(lang) },
        };
        let ambits = &self.ambits;
        table.render(frame, area, &self.ambit_sel, theme, |i| {
            let d = &ambits[i].details;
            let districts: Vec<&str> = d.districts.iter().map(|x| x.name.as_str()).collect();
            vec![text_cell(&d.name), Cell::from(d.comuni.len().to_string()), text_cell(&districts.join(", "))]
        });
        match self.ambits.get(self.ambit_sel.selected) {
            Some(a) => Self::ambit_lines(a, lang, theme),
            None => Vec::new(),
        }
    }
}
