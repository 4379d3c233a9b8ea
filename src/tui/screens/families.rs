//! Famiglie: the table of families the operator may see (filter, sort),
//! the record of one (identity only where allowed), "confirmed today" in
//! one key, and the needs a family could serve.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Wrap};
use ratatui::Frame;

use super::{Ctx, Local, Outcome, Screen, ScreenId, View};
use crate::bank::{FamilyFilter, FamilyView, Reply, Request};
use crate::cli::family::render_family;
use crate::i18n::{comune_label, Lang};
use crate::model::dates::format_date;
use crate::model::{FamilyCode, FamilyInput, FamilyStatus, PlacementKind};
use crate::protocol::Event;
use crate::search::fold::fold;
use crate::tui::keys::{self, code, label, plain, Binding, Hint, Nav, NAV};
use crate::tui::text::{texts, T};
use crate::tui::widgets::list::{Selection, TableView};
use crate::tui::widgets::text::document;

texts!(Tx {
    Title => "Famiglie", "Families";
    Code => "Codice", "Code";
    Comune => "Comune", "Comune";
    Status => "Stato", "Status";
    Kinds => "Tipi", "Kinds";
    Ages => "Età", "Ages";
    Free => "Posti", "Places";
    Confirmed => "Confermata", "Confirmed";
    AllStatuses => "tutti gli stati", "every status";
    SortedBy => "ordine", "sorted by";
    FilterPrompt => "Filtro", "Filter";
    ConfirmToday => "confermata oggi", "confirmed today";
    ConfirmedToday => "Disponibilità confermata oggi:", "Availability confirmed today:";
    NotYours => "si può confermare solo una famiglia del proprio servizio", "only a family of your own service can be confirmed";
    NeedsFor => "richieste adatte", "suitable needs";
    StatusFilter => "stato", "status";
    None => "Nessuna famiglia.", "No families.";
});

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sort {
    Code,
    Comune,
    Status,
    Free,
    Confirmed,
}

impl Sort {
    const ALL: [Sort; 5] = [Sort::Code, Sort::Comune, Sort::Status, Sort::Free, Sort::Confirmed];

    fn label(self, lang: Lang) -> &'static str {
        match self {
            Sort::Code => Tx::Code.get(lang),
            Sort::Comune => Tx::Comune.get(lang),
            Sort::Status => Tx::Status.get(lang),
            Sort::Free => Tx::Free.get(lang),
            Sort::Confirmed => Tx::Confirmed.get(lang),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    Nav(Nav),
    Open,
    Back,
    Filter,
    Status,
    Sort,
    ConfirmToday,
    Match,
    Reload,
}

const LIST_KEYS: &[Binding<Act>] = &[
    Binding { keys: &[code(KeyCode::Enter)], shown: "Enter", label: label!(T::Open), action: Act::Open, bar: true },
    Binding { keys: &[plain('f')], shown: "f", label: label!(T::Filter), action: Act::Filter, bar: true },
    Binding { keys: &[plain('s')], shown: "s", label: |l| Tx::StatusFilter.get(l), action: Act::Status, bar: true },
    Binding { keys: &[plain('o')], shown: "o", label: label!(T::Sort), action: Act::Sort, bar: true },
    Binding {
        keys: &[plain('c')],
        shown: "c",
        label: |l| Tx::ConfirmToday.get(l),
        action: Act::ConfirmToday,
        bar: true,
    },
    Binding { keys: &[plain('m')], shown: "m", label: |l| Tx::NeedsFor.get(l), action: Act::Match, bar: false },
    Binding { keys: &[plain('r')], shown: "r", label: label!(T::Reload), action: Act::Reload, bar: false },
];

const DETAIL_KEYS: &[Binding<Act>] = &[
    Binding { keys: &[code(KeyCode::Esc)], shown: "Esc", label: label!(T::Back), action: Act::Back, bar: true },
    Binding {
        keys: &[plain('c')],
        shown: "c",
        label: |l| Tx::ConfirmToday.get(l),
        action: Act::ConfirmToday,
        bar: true,
    },
    Binding { keys: &[plain('m')], shown: "m", label: |l| Tx::NeedsFor.get(l), action: Act::Match, bar: true },
    Binding { keys: &[plain('r')], shown: "r", label: label!(T::Reload), action: Act::Reload, bar: false },
];

enum Mode {
    List,
    /// The record, scrolled by so many lines.
    Detail {
        view: Box<FamilyView>,
        scroll: u16,
    },
}

pub struct Families {
    loaded: bool,
    rows: Vec<FamilyView>,
    /// Indexes of `rows` shown, in order.
    shown: Vec<usize>,
    sel: Selection,
    status: Option<FamilyStatus>,
    sort: Sort,
    filter: String,
    editing_filter: bool,
    mode: Mode,
    list_area: Rect,
}

impl Families {
    pub fn new() -> Families {
        Families {
            loaded: false,
            rows: Vec::new(),
            shown: Vec::new(),
            sel: Selection::default(),
            status: None,
            sort: Sort::Code,
            filter: String::new(),
            editing_filter: false,
            mode: Mode::List,
            list_area: Rect::default(),
        }
    }

    fn load(&mut self, ctx: &mut Ctx) {
        let filter = FamilyFilter { status: self.status, ..FamilyFilter::default() };
        if let Some(Reply::Families(rows)) = ctx.call(Request::FamilyList { filter }) {
            let selected = self.selected().map(|f| f.code);
            self.rows = rows;
            self.loaded = true;
            self.arrange(selected);
        }
    }

    fn selected(&self) -> Option<&FamilyView> {
        self.shown.get(self.sel.selected).map(|&i| &self.rows[i])
    }

    /// Filters and sorts `rows` into `shown`, keeping `keep` selected.
    fn arrange(&mut self, keep: Option<FamilyCode>) {
        let needle = fold(self.filter.trim());
        let words: Vec<&str> = needle.split_whitespace().collect();
        self.shown = (0..self.rows.len())
            .filter(|&i| {
                if words.is_empty() {
                    return true;
                }
                let f = &self.rows[i];
                let hay = fold(&format!(
                    "{} {} {} {}",
                    f.code,
                    comune_label(&f.profile.comune.to_string()),
                    f.contact.service,
                    f.profile.kinds.iter().map(|k| k.token_it()).collect::<Vec<_>>().join(" ")
                ));
                words.iter().all(|w| hay.contains(w))
            })
            .collect();
        let rows = &self.rows;
        match self.sort {
            Sort::Code => self.shown.sort_by_key(|&i| rows[i].code),
            Sort::Comune => {
                self.shown.sort_by_cached_key(|&i| (comune_label(&rows[i].profile.comune.to_string()), rows[i].code))
            }
            Sort::Status => self.shown.sort_by_key(|&i| (rows[i].profile.status.token(), rows[i].code)),
            Sort::Free => self.shown.sort_by_key(|&i| (std::cmp::Reverse(rows[i].free_places), rows[i].code)),
            Sort::Confirmed => self.shown.sort_by_key(|&i| (rows[i].profile.confirmed_on, rows[i].code)),
        }
        let at =
            keep.and_then(|c| self.shown.iter().position(|&i| self.rows[i].code == c)).unwrap_or(self.sel.selected);
        self.sel.select(at, self.shown.len());
    }

    fn act(&mut self, act: Act, ctx: &mut Ctx) -> Outcome {
        match act {
            Act::Nav(n) => {
                self.sel.nav(n, self.shown.len());
            }
            Act::Open => {
                if let Some(code) = self.selected().map(|f| f.code) {
                    self.open_record(code, ctx);
                }
            }
            Act::Back => self.mode = Mode::List,
            Act::Filter => self.editing_filter = true,
            Act::Status => {
                let all = FamilyStatus::ALL;
                self.status = match self.status {
                    None => Some(all[0]),
                    Some(s) => all.iter().position(|&x| x == s).and_then(|i| all.get(i + 1)).copied(),
                };
                self.sel = Selection { height: self.sel.height, ..Selection::default() };
                self.load(ctx);
            }
            Act::Sort => {
                let i = Sort::ALL.iter().position(|&s| s == self.sort).unwrap_or(0);
                self.sort = Sort::ALL[(i + 1) % Sort::ALL.len()];
                let keep = self.selected().map(|f| f.code);
                self.arrange(keep);
            }
            Act::ConfirmToday => self.confirm_today(ctx),
            Act::Match => {
                let code = match &self.mode {
                    Mode::Detail { view, .. } => Some(view.code),
                    Mode::List => self.selected().map(|f| f.code),
                };
                if let Some(code) = code {
                    return Outcome::Match(code.to_string());
                }
            }
            Act::Reload => match &self.mode {
                Mode::Detail { view, .. } => {
                    let code = view.code;
                    self.open_record(code, ctx);
                }
                Mode::List => self.load(ctx),
            },
        }
        Outcome::Done
    }

    fn open_record(&mut self, code: FamilyCode, ctx: &mut Ctx) -> bool {
        match ctx.call(Request::FamilyGet { code }) {
            Some(Reply::Family(view)) => {
                let scroll = match &self.mode {
                    Mode::Detail { view: old, scroll } if old.code == code => *scroll,
                    _ => 0,
                };
                if let Some(i) = self.shown.iter().position(|&i| self.rows[i].code == code) {
                    self.sel.select(i, self.shown.len());
                }
                self.mode = Mode::Detail { view: Box::new(view), scroll };
                true
            }
            _ => false,
        }
    }

    /// The availability confirmed as of today: one key, one revision.
    fn confirm_today(&mut self, ctx: &mut Ctx) {
        let code = match &self.mode {
            Mode::Detail { view, .. } => view.code,
            Mode::List => match self.selected() {
                Some(f) => f.code,
                None => return,
            },
        };
        // The whole record (identity included) is what an update sends back.
        let Some(Reply::Family(view)) = ctx.call(Request::FamilyGet { code }) else { return };
        let Some(identity) = view.identity.clone() else {
            ctx.error(format!("{code}: {}", ctx.view.t_local(Tx::NotYours)));
            return;
        };
        let mut profile = view.profile.clone();
        profile.confirmed_on = Some(ctx.view.today);
        let input = FamilyInput {
            service: Some(view.contact.service),
            referent: Some(view.contact.referent.clone()),
            identity,
            profile,
        };
        if let Some(Reply::Saved(saved)) = ctx.call(Request::FamilyUpdate { code, base_revision: view.revision, input })
        {
            ctx.info(format!("{} {} (rev. {})", ctx.view.t_local(Tx::ConfirmedToday), saved.code, saved.revision));
            self.refresh_one(code, ctx);
        }
    }

    /// One family changed: its row (and its record, if open) shows the new revision.
    fn refresh_one(&mut self, code: FamilyCode, ctx: &mut Ctx) {
        let fresh = match ctx.source.call(Request::FamilyGet { code }) {
            Ok(Reply::Family(v)) => Some(v),
            _ => None,
        };
        let keep = self.selected().map(|f| f.code);
        let pos = self.rows.iter().position(|f| f.code == code);
        match (fresh, pos) {
            (Some(v), _) if self.status.is_some_and(|s| s != v.profile.status) => {
                if let Some(p) = pos {
                    self.rows.remove(p);
                }
            }
            (Some(v), Some(p)) => self.rows[p] = shared(v),
            (Some(v), None) => self.rows.push(shared(v)),
            (None, Some(p)) => {
                self.rows.remove(p);
            }
            (None, None) => {}
        }
        self.arrange(keep);
        if let Mode::Detail { view, .. } = &self.mode {
            if view.code == code {
                self.open_record(code, ctx);
            }
        }
    }

    fn render_detail(&self, frame: &mut Frame, area: Rect, view: &View, family: &FamilyView, scroll: u16) {
        let theme = view.theme;
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border_focused())
            .title(Span::styled(format!(" {} {} ", Tx::Title.get(view.lang), family.code), theme.title()));
        let mut lines = document(&render_family(family, view.lang), theme);
        if let Some(free) = family.free_places {
            lines.insert(1, Line::raw(format!("{}: {free}", Tx::Free.get(view.lang))));
        }
        frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }).scroll((scroll, 0)), area);
    }
}

/// A kind of placement in a few letters, for tables (the record says it whole).
pub fn kind_short(kind: PlacementKind, lang: Lang) -> &'static str {
    use PlacementKind::*;
    let (it, en) = match kind {
        Residential => ("RES", "RES"),
        Daytime => ("DIU", "DAY"),
        Respite => ("TL", "RSP"),
        Emergency => ("PI", "EMG"),
        LightSupport => ("LEG", "LGT"),
        ParentAndChild => ("GB", "P+C"),
        YoungAdult => ("NEO", "YA"),
    };
    lang.pick(it, en)
}

/// Lists show the shared view: identity stays in the record.
fn shared(mut v: FamilyView) -> FamilyView {
    v.identity = None;
    v
}

impl Default for Families {
    fn default() -> Self {
        Families::new()
    }
}

impl Local for Tx {
    fn text(self, lang: Lang) -> &'static str {
        self.get(lang)
    }
}

impl Screen for Families {
    fn id(&self) -> ScreenId {
        ScreenId::Families
    }

    fn hints(&self) -> Vec<Hint> {
        match self.mode {
            Mode::List => {
                let mut h = keys::nav_hints();
                h.extend(keys::hints(LIST_KEYS));
                h
            }
            Mode::Detail { .. } => {
                let mut h = keys::hints(DETAIL_KEYS);
                h.extend(keys::nav_hints());
                h
            }
        }
    }

    fn activate(&mut self, ctx: &mut Ctx) {
        if !self.loaded {
            self.load(ctx);
        }
    }

    fn reload(&mut self, ctx: &mut Ctx) {
        self.load(ctx);
        if let Mode::Detail { view, .. } = &self.mode {
            let code = view.code;
            self.open_record(code, ctx);
        }
    }

    fn key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> Outcome {
        if self.editing_filter {
            match ev.code {
                KeyCode::Enter | KeyCode::Esc => self.editing_filter = false,
                KeyCode::Backspace => {
                    self.filter.pop();
                }
                KeyCode::Char(c) if !ev.modifiers.contains(KeyModifiers::CONTROL) => self.filter.push(c),
                _ => return Outcome::Ignored,
            }
            self.arrange(None);
            return Outcome::Done;
        }
        match &mut self.mode {
            Mode::List => {
                if let Some(n) = keys::action(NAV, ev) {
                    return self.act(Act::Nav(n), ctx);
                }
                if ev.code == KeyCode::Esc && !self.filter.is_empty() {
                    self.filter.clear();
                    self.arrange(None);
                    return Outcome::Done;
                }
                match keys::action(LIST_KEYS, ev) {
                    Some(a) => self.act(a, ctx),
                    None => Outcome::Ignored,
                }
            }
            Mode::Detail { scroll, .. } => {
                if let Some(n) = keys::action(NAV, ev) {
                    *scroll = match n {
                        Nav::Up => scroll.saturating_sub(1),
                        Nav::Down => scroll.saturating_add(1),
                        Nav::PageUp => scroll.saturating_sub(10),
                        Nav::PageDown => scroll.saturating_add(10),
                        Nav::Home => 0,
                        Nav::End => 200,
                    };
                    return Outcome::Done;
                }
                match keys::action(DETAIL_KEYS, ev) {
                    Some(a) => self.act(a, ctx),
                    None => Outcome::Ignored,
                }
            }
        }
    }

    fn mouse(&mut self, ev: &MouseEvent, ctx: &mut Ctx) -> Outcome {
        if !matches!(self.mode, Mode::List) {
            return Outcome::Ignored;
        }
        match ev.kind {
            MouseEventKind::ScrollDown => self.sel.scroll(3, self.shown.len()),
            MouseEventKind::ScrollUp => self.sel.scroll(-3, self.shown.len()),
            MouseEventKind::Down(MouseButton::Left) => {
                match self.sel.row_at(self.list_area, ev.row, true, self.shown.len()) {
                    Some(i) if i == self.sel.selected => return self.act(Act::Open, ctx),
                    Some(i) => self.sel.select(i, self.shown.len()),
                    None => return Outcome::Ignored,
                }
            }
            _ => return Outcome::Ignored,
        }
        Outcome::Done
    }

    fn changed(&mut self, ev: &Event, ctx: &mut Ctx) {
        if ev.kind == "family" && self.loaded {
            if let Some(code) = FamilyCode::parse(&ev.code) {
                self.refresh_one(code, ctx);
            }
        }
    }

    fn open(&mut self, code: &str, ctx: &mut Ctx) -> bool {
        match FamilyCode::parse(code) {
            Some(code) => self.open_record(code, ctx),
            None => false,
        }
    }

    fn captures_text(&self) -> bool {
        self.editing_filter
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, view: &View) {
        if let Mode::Detail { view: family, scroll } = &self.mode {
            return self.render_detail(frame, area, view, family, *scroll);
        }
        let lang = view.lang;
        let theme = view.theme;
        let [bar, list] = ratatui::layout::Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
        let status = self.status.map_or(Tx::AllStatuses.get(lang), |s| s.label(lang));
        let mut spans = vec![
            Span::styled(format!("{}: ", Tx::StatusFilter.get(lang)), theme.dim()),
            Span::raw(status.to_string()),
            Span::styled(format!("  {}: ", Tx::SortedBy.get(lang)), theme.dim()),
            Span::raw(self.sort.label(lang).to_lowercase()),
            Span::styled(format!("  {}: ", Tx::FilterPrompt.get(lang)), theme.dim()),
            Span::raw(self.filter.clone()),
        ];
        if self.editing_filter {
            spans.push(Span::styled("█", theme.key()));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), bar);
        self.list_area = list;
        let header =
            [Tx::Code, Tx::Comune, Tx::Status, Tx::Kinds, Tx::Ages, Tx::Free, Tx::Confirmed].map(|t| t.get(lang));
        let table = TableView {
            title: Tx::Title.get(lang).to_string(),
            header: header.to_vec(),
            widths: vec![
                Constraint::Length(11),
                Constraint::Fill(2),
                Constraint::Length(if list.width >= 100 { 16 } else { 12 }),
                Constraint::Fill(1),
                Constraint::Length(10),
                Constraint::Length(5),
                Constraint::Length(12),
            ],
            len: self.shown.len(),
            focused: true,
            empty: if self.loaded { Tx::None.get(lang) } else { T::Loading.get(lang) },
        };
        let rows = &self.rows;
        let shown = &self.shown;
        table.render(frame, list, &mut self.sel, theme, |i| {
            let f = &rows[shown[i]];
            let p = &f.profile;
            let kinds: Vec<&str> = p.kinds.iter().map(|&k| kind_short(k, lang)).collect();
            let confirmed = p.confirmed_on.map(format_date).unwrap_or_else(|| "—".into());
            let confirmed = if f.stale { format!("{confirmed} ⚠") } else { confirmed };
            let free = f.free_places.map_or_else(|| p.max_children.to_string(), |n| format!("{n}/{}", p.max_children));
            vec![
                Cell::from(f.code.to_string()),
                Cell::from(comune_label(&p.comune.to_string())),
                Cell::from(p.status.label(lang)),
                Cell::from(kinds.join(",")),
                Cell::from(p.ages.describe(lang)),
                Cell::from(free),
                Cell::from(if f.stale { Line::styled(confirmed, theme.warning()) } else { Line::raw(confirmed) }),
            ]
        });
    }
}
