//! Cruscotto: what needs the operator's attention today, in six panes: the
//! service's open needs (emergencies first), families available now,
//! proposals waiting for an answer and those sent, what is due this month
//! (revisions of idoneità, idle pathways, families waiting, reviews, court
//! reports, expected ends: overdue first and marked), profiles going
//! stale. The coordination sees the whole province's. Enter opens the
//! record on its screen.

use ratatui::crossterm::event::{KeyCode, KeyEvent, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use super::families::kind_short;
use super::{Ctx, Outcome, Screen, ScreenId, Tag, View};
use crate::api::{
    Counted, Direction, DueItem, Event, FamilyFilter, FamilyView, NeedFilter, NeedView, PlacementFilter,
    ProposalFilter, Reply, Request,
};
use crate::i18n::{comune_label, Lang};
use crate::model::dates::format_date;
use crate::model::{FamilyStatus, NeedStatus, Placement, Proposal, ProposalStatus};
use crate::tui::keys::{self, code, label, plain, Binding, Hint, Key, NAV};
use crate::tui::source::CallError;
use crate::tui::text::{texts, T};
use crate::tui::theme::Theme;
use crate::tui::widgets::list::Selection;

texts!(Tx {
    Needs => "Richieste aperte", "Open needs";
    Families => "Famiglie disponibili", "Families available";
    Inbox => "Proposte da valutare", "Proposals to answer";
    Outbox => "Proposte inviate", "Proposals sent";
    Accepted => "Proposte accettate da avviare", "Accepted, to be started";
    Reviews => "Scadenze del mese", "Due this month";
    Stale => "Profili da riconfermare", "Profiles to confirm";
    By => "entro", "by";
    Overdue => "scaduta", "overdue";
    Places => "posti", "places";
    Place => "posto", "place";
    Review => "verifica", "review";
    Confirmed => "conf.", "conf.";
    Never => "mai", "never";
    NextPane => "riquadro successivo", "next pane";
    Nothing => "niente", "nothing";
});

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    Open,
    NextPane,
    PrevPane,
    Reload,
}

const KEYS: &[Binding<Act>] = &[
    Binding { keys: &[code(KeyCode::Enter)], shown: "Enter", label: label!(T::Open), action: Act::Open, bar: true },
    Binding {
        keys: &[code(KeyCode::Tab)],
        shown: "Tab S-Tab",
        label: |l| Tx::NextPane.get(l),
        action: Act::NextPane,
        bar: true,
    },
    Binding {
        keys: &[Key(KeyCode::BackTab, ratatui::crossterm::event::KeyModifiers::SHIFT)],
        shown: "",
        label: label!(T::Pane),
        action: Act::PrevPane,
        bar: false,
    },
    Binding { keys: &[plain('r')], shown: "r", label: label!(T::Reload), action: Act::Reload, bar: false },
];

/// The panes, in the order Tab visits them (left to right, top to bottom).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Needs,
    Inbox,
    Families,
    Outbox,
    Reviews,
    Stale,
}

const KINDS: [Kind; 6] = [Kind::Needs, Kind::Inbox, Kind::Families, Kind::Outbox, Kind::Reviews, Kind::Stale];

/// Lists are bounded: the dashboard points at work, the screens list it all.
const LIMIT: usize = 200;

/// One line of a pane: the record it opens and what it says about it.
#[derive(Debug, Clone)]
struct Item {
    code: String,
    text: String,
    /// Emphasised: an emergency, a review overdue.
    warn: bool,
}

#[derive(Default)]
struct Pane {
    items: Vec<Item>,
    /// How many there are, counted by the core: the pane may list fewer (`LIMIT`).
    count: u64,
    sel: Selection,
    area: Rect,
    /// What the pane's requests brought so far, while some are in flight.
    gathered: Gathered,
    /// Replies still to come before the pane is filled.
    waiting: usize,
    /// Asked again while its requests were in flight: asked once more when they are in.
    again: bool,
}

/// The records a pane is made of, page by page.
#[derive(Default)]
struct Gathered {
    needs: Vec<NeedView>,
    families: Vec<FamilyView>,
    proposals: Vec<Proposal>,
    placements: Vec<Placement>,
    due: Vec<DueItem>,
    /// How many there are, counted by the core (the sum of the pane's `Count`s).
    count: Option<u64>,
}

pub struct Dashboard {
    loaded: bool,
    panes: [Pane; 6],
    focus: usize,
    /// No service of one's own: the whole province's figures.
    province: bool,
    /// A change seen while another screen was shown: reload when shown.
    stale: bool,
}

/// Each pane's requests carry its name.
fn tag(kind: Kind) -> Tag {
    match kind {
        Kind::Needs => "needs",
        Kind::Inbox => "inbox",
        Kind::Families => "families",
        Kind::Outbox => "outbox",
        Kind::Reviews => "reviews",
        Kind::Stale => "stale",
    }
}

impl Dashboard {
    pub fn new() -> Dashboard {
        Dashboard { loaded: false, panes: Default::default(), focus: 0, province: false, stale: false }
    }

    fn load(&mut self, ctx: &mut Ctx) {
        for (i, kind) in KINDS.iter().enumerate() {
            self.load_pane(i, *kind, ctx);
        }
        self.loaded = true;
        self.stale = false;
    }

    /// Asks for what a pane is made of; while its requests are in flight,
    /// once more when they are in.
    fn load_pane(&mut self, i: usize, kind: Kind, ctx: &mut Ctx) {
        if self.panes[i].waiting > 0 {
            self.panes[i].again = true;
            return;
        }
        let requests = pane_requests(kind, ctx.view);
        let pane = &mut self.panes[i];
        pane.gathered = Gathered::default();
        pane.waiting = requests.len();
        for request in requests {
            ctx.send(tag(kind), request);
        }
    }

    /// A page for a pane: kept, the next page asked for where the pane
    /// needs every one, the pane filled when nothing more is to come.
    fn take(&mut self, kind: Kind, result: Result<Reply, CallError>, ctx: &mut Ctx) {
        let Some(i) = KINDS.iter().position(|&k| k == kind) else { return };
        let pane = &mut self.panes[i];
        pane.waiting = pane.waiting.saturating_sub(1);
        let reply = ctx.ok(result);
        let next = reply.as_ref().and_then(Reply::next_page).cloned();
        match reply {
            Some(Reply::Needs(page)) => pane.gathered.needs.extend(page.items),
            Some(Reply::Families(page)) => pane.gathered.families.extend(page.items),
            Some(Reply::Count(n)) => pane.gathered.count = Some(pane.gathered.count.unwrap_or(0) + n),
            // Every page of active proposals and ongoing placements: the pane must not miss one.
            Some(Reply::Proposals(page)) => {
                pane.gathered.proposals.extend(page.items.into_iter().map(|r| r.record));
                if let Some(next) = next {
                    pane.waiting += 1;
                    let filter = pane_proposals(kind, ctx.view.who.service);
                    ctx.send(tag(kind), Request::ProposalList { filter }.page_after(Some(next)));
                }
            }
            Some(Reply::Due(list)) => pane.gathered.due.extend(list.items),
            Some(Reply::Placements(page)) => {
                let today = ctx.view.today;
                pane.gathered.placements.extend(
                    page.items.into_iter().map(|r| r.record).filter(|p| p.review_due(today) || p.review_overdue(today)),
                );
                if let Some(next) = next {
                    pane.waiting += 1;
                    let filter = pane_placements(ctx.view.who.service);
                    ctx.send(tag(kind), Request::PlacementList { filter }.page_after(Some(next)));
                }
            }
            _ => {}
        }
        if pane.waiting > 0 {
            return;
        }
        let gathered = std::mem::take(&mut pane.gathered);
        let gathered_count = gathered.count;
        let items = pane_items(kind, gathered, ctx.view);
        // Panes whose list is capped take their figure from the core; the others list it all.
        let count = gathered_count.unwrap_or(items.len() as u64).max(items.len() as u64);
        pane.count = count;
        let keep = pane.items.get(pane.sel.selected).map(|it| it.code.clone());
        pane.items = items;
        let at = keep.and_then(|c| pane.items.iter().position(|it| it.code == c)).unwrap_or(pane.sel.selected);
        pane.sel.select(at, pane.items.len());
        if std::mem::take(&mut pane.again) {
            self.load_pane(i, kind, ctx);
        }
    }

    fn act(&mut self, act: Act, ctx: &mut Ctx) -> Outcome {
        match act {
            Act::Open => {
                let pane = &self.panes[self.focus];
                if let Some(item) = pane.items.get(pane.sel.selected) {
                    return Outcome::Open(item.code.clone());
                }
            }
            Act::NextPane => self.focus = (self.focus + 1) % KINDS.len(),
            Act::PrevPane => self.focus = (self.focus + KINDS.len() - 1) % KINDS.len(),
            Act::Reload => self.load(ctx),
        }
        Outcome::Done
    }

    fn title(&self, kind: Kind, lang: Lang) -> &'static str {
        match kind {
            Kind::Needs => Tx::Needs.get(lang),
            Kind::Families => Tx::Families.get(lang),
            Kind::Inbox => Tx::Inbox.get(lang),
            Kind::Outbox if self.province => Tx::Accepted.get(lang),
            Kind::Outbox => Tx::Outbox.get(lang),
            Kind::Reviews => Tx::Reviews.get(lang),
            Kind::Stale => Tx::Stale.get(lang),
        }
    }
}

/// Open needs of a service (every service's with none).
fn open_needs(service: Option<crate::model::ServiceCode>, status: NeedStatus) -> NeedFilter {
    NeedFilter { status: Some(status), service, ..NeedFilter::default() }
}

/// The requests a pane is made of.
fn pane_requests(kind: Kind, view: &View) -> Vec<Request> {
    let service = view.who.service;
    match kind {
        Kind::Needs => {
            // Still waiting for a family: open, or with a proposal under way.
            // Every emergency (few, one page) first, then the ordinary ones up to the limit.
            let mut out = Vec::new();
            for (emergency, limit) in [(true, None), (false, Some(LIMIT))] {
                for status in [NeedStatus::Open, NeedStatus::Matching] {
                    let filter = NeedFilter { emergency: Some(emergency), limit, ..open_needs(service, status) };
                    out.push(Request::NeedList { filter });
                }
            }
            // The figure: every waiting need, counted by the core.
            for status in [NeedStatus::Open, NeedStatus::Matching] {
                out.push(Request::Count { of: Counted::Needs(open_needs(service, status)) });
            }
            out
        }
        Kind::Families => {
            // The core keeps those with a place free before the cap, and counts them all.
            let filter = FamilyFilter {
                status: Some(FamilyStatus::Approved),
                service,
                free_places: Some(true),
                limit: Some(LIMIT),
                ..FamilyFilter::default()
            };
            let count = Request::Count { of: Counted::Families(FamilyFilter { limit: None, ..filter.clone() }) };
            vec![Request::FamilyList { filter }, count]
        }
        Kind::Stale => {
            let filter = FamilyFilter { stale: Some(true), service, limit: Some(LIMIT), ..FamilyFilter::default() };
            let count = Request::Count { of: Counted::Families(FamilyFilter { limit: None, ..filter.clone() }) };
            vec![Request::FamilyList { filter }, count]
        }
        Kind::Inbox | Kind::Outbox => vec![Request::ProposalList { filter: pane_proposals(kind, service) }],
        // Who reads its families whole sees all that is due; a reader, the reviews.
        Kind::Reviews if reads_due(view) => vec![Request::Due { service, days: days_to_month_end(view.today) }],
        Kind::Reviews => vec![Request::PlacementList { filter: pane_placements(service) }],
    }
}

/// The proposals of the inbox pane, or of the outbox one (for the
/// coordination: accepted proposals whose placement has not started).
fn pane_proposals(kind: Kind, service: Option<crate::model::ServiceCode>) -> ProposalFilter {
    match (kind, service) {
        (Kind::Inbox, _) => {
            let direction = service.map(|_| Direction::Inbox);
            ProposalFilter { direction, active: Some(true), service, ..Default::default() }
        }
        (_, Some(_)) => {
            ProposalFilter { direction: Some(Direction::Outbox), active: Some(true), service, ..Default::default() }
        }
        (_, None) => ProposalFilter { status: Some(ProposalStatus::Accepted), ..Default::default() },
    }
}

/// May the operator list what is due (it names families): its own
/// service's operators and the coordination.
fn reads_due(view: &View) -> bool {
    use crate::access::{allowed, Operation, Subject};
    allowed(&view.who, Operation::ReadIdentity, Subject::Family, view.who.service)
}

/// Days from `today` to the last of its month.
fn days_to_month_end(today: time::Date) -> u16 {
    let last = today.replace_day(today.month().length(today.year())).unwrap_or(today);
    (last - today).whole_days().clamp(0, 31) as u16
}

/// The ongoing placements, for the reviews due.
fn pane_placements(service: Option<crate::model::ServiceCode>) -> PlacementFilter {
    PlacementFilter { service, active: Some(true), ..Default::default() }
}

/// A pane's lines, from what its requests brought.
fn pane_items(kind: Kind, gathered: Gathered, view: &View) -> Vec<Item> {
    let lang = view.lang;
    let today = view.today;
    match kind {
        Kind::Needs => {
            // Every emergency first, however entered: by deadline, then those with none.
            let (mut list, mut ordinary): (Vec<NeedView>, Vec<NeedView>) =
                gathered.needs.into_iter().partition(|n| n.placement.is_emergency());
            list.sort_by_key(|n| (n.placement.needed_by().is_none(), n.placement.needed_by(), n.code));
            ordinary.sort_by_key(|n| n.code);
            ordinary.truncate(LIMIT);
            list.extend(ordinary);
            list.iter().map(|n| need_item(n, lang)).collect()
        }
        Kind::Families => gathered.families.iter().map(|f| family_item(f, lang)).collect(),
        Kind::Stale => gathered.families.iter().map(|f| stale_item(f, lang)).collect(),
        Kind::Inbox => gathered
            .proposals
            .iter()
            .filter(|p| matches!(p.status, ProposalStatus::Proposed | ProposalStatus::UnderReview))
            .map(|p| proposal_item(p, &p.host_code(), lang))
            .collect(),
        Kind::Outbox => match view.who.service {
            Some(_) => gathered
                .proposals
                .iter()
                .map(|p| proposal_item(p, &p.needs.first().map(|n| n.to_string()).unwrap_or_default(), lang))
                .collect(),
            None => gathered.proposals.iter().map(|p| proposal_item(p, &p.host_code(), lang)).collect(),
        },
        // The core's list, overdue first; a reader's reviews, overdue first too.
        Kind::Reviews if !gathered.due.is_empty() || gathered.placements.is_empty() => {
            gathered.due.iter().map(|d| due_item(d, lang)).collect()
        }
        Kind::Reviews => {
            let mut due: Vec<(bool, time::Date, Item)> = gathered
                .placements
                .iter()
                .filter_map(|p| {
                    let date = p.next_review()?;
                    Some((date >= today, date, review_item(p, date, today, lang)))
                })
                .collect();
            due.sort_by_key(|(later, d, _)| (*later, *d));
            due.into_iter().map(|(_, _, item)| item).collect()
        }
    }
}

fn need_item(n: &NeedView, lang: Lang) -> Item {
    let age = crate::model::age::describe_age(n.age_months, lang);
    let kind = kind_short(n.placement.kind, lang);
    let comune = short_comune(&n.placement.comune.to_string());
    if !n.placement.is_emergency() {
        return Item { code: n.code.to_string(), text: format!("{} {kind}, {age} · {comune}", n.code), warn: false };
    }
    let text = match n.placement.needed_by() {
        Some(by) if n.overdue => format!("{} ⚠ {} {} {kind}", n.code, Tx::Overdue.get(lang), format_date(by)),
        Some(by) => format!("{} ⚠ {} {} {kind}", n.code, Tx::By.get(lang), format_date(by)),
        // Entered as the kind, with no date: marked all the same.
        None => format!("{} ⚠ {kind}, {age} · {comune}", n.code),
    };
    Item { code: n.code.to_string(), text, warn: true }
}

fn family_item(f: &FamilyView, lang: Lang) -> Item {
    let places = f.free_places.unwrap_or(f.profile.max_children);
    Item {
        code: f.code.to_string(),
        text: format!(
            "{} {places} {} · {}",
            f.code,
            if places == 1 { Tx::Place.get(lang) } else { Tx::Places.get(lang) },
            short_comune(&f.profile.comune.to_string())
        ),
        warn: false,
    }
}

fn stale_item(f: &FamilyView, lang: Lang) -> Item {
    let confirmed = f.profile.confirmed_on.map_or_else(|| Tx::Never.get(lang).to_string(), format_date);
    Item {
        code: f.code.to_string(),
        text: format!(
            "{} {} {confirmed} · {}",
            f.code,
            Tx::Confirmed.get(lang),
            short_comune(&f.profile.comune.to_string())
        ),
        warn: false,
    }
}

fn proposal_item(p: &Proposal, other: &str, lang: Lang) -> Item {
    Item { code: p.code.to_string(), text: format!("{} {other} {}", p.code, p.status.label(lang)), warn: false }
}

fn review_item(p: &Placement, date: time::Date, today: time::Date, lang: Lang) -> Item {
    let overdue = if date < today { format!(" ⚠ {}", Tx::Overdue.get(lang)) } else { String::new() };
    Item {
        code: p.code.to_string(),
        text: format!("{} {} {}{overdue}", p.code, Tx::Review.get(lang), format_date(date)),
        warn: date < today,
    }
}

/// "F-2026-0004 ⚠ 12/11/2026 percorso fermo…": overdue marked, then the date and what.
fn due_item(d: &DueItem, lang: Lang) -> Item {
    let mark = if d.overdue { "⚠ " } else { "" };
    let what = crate::present::care::due_what(&d.what, lang);
    Item { code: d.record.clone(), text: format!("{} {mark}{} {what}", d.record, format_date(d.on)), warn: d.overdue }
}

/// "Dalmine" without the province: panes are narrow.
fn short_comune(code: &str) -> String {
    let label = comune_label(code);
    match label.rsplit_once(" (") {
        Some((name, _)) => name.to_string(),
        None => label,
    }
}

impl Default for Dashboard {
    fn default() -> Self {
        Dashboard::new()
    }
}

impl Screen for Dashboard {
    fn id(&self) -> ScreenId {
        ScreenId::Dashboard
    }

    fn hints(&self) -> Vec<Hint> {
        let mut h = keys::nav_hints();
        h.extend(keys::hints(KEYS));
        h
    }

    fn activate(&mut self, ctx: &mut Ctx) {
        self.province = ctx.view.who.service.is_none();
        if !self.loaded || self.stale {
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
        if let Some(&kind) = KINDS.iter().find(|&&k| self::tag(k) == tag) {
            self.take(kind, result, ctx);
        }
        Outcome::Done
    }

    fn key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> Outcome {
        if let Some(n) = keys::action(NAV, ev) {
            let pane = &mut self.panes[self.focus];
            pane.sel.nav(n, pane.items.len());
            return Outcome::Done;
        }
        match keys::action(KEYS, ev) {
            Some(a) => self.act(a, ctx),
            None => Outcome::Ignored,
        }
    }

    fn mouse(&mut self, ev: &MouseEvent, _ctx: &mut Ctx) -> Outcome {
        let Some(i) = self.panes.iter().position(|p| contains(p.area, ev.column, ev.row)) else {
            return Outcome::Ignored;
        };
        let pane = &mut self.panes[i];
        let len = pane.items.len();
        match ev.kind {
            MouseEventKind::ScrollDown => pane.sel.scroll(1, len),
            MouseEventKind::ScrollUp => pane.sel.scroll(-1, len),
            MouseEventKind::Down(MouseButton::Left) => {
                self.focus = i;
                match pane.sel.row_at(pane.area, ev.row, false, len) {
                    Some(r) if r == pane.sel.selected => {
                        return Outcome::Open(pane.items[r].code.clone());
                    }
                    Some(r) => pane.sel.select(r, len),
                    None => {}
                }
            }
            _ => return Outcome::Ignored,
        }
        Outcome::Done
    }

    fn changed(&mut self, ev: &Event, ctx: &mut Ctx) {
        if !self.loaded {
            return;
        }
        // The lists are small: the panes the event touches are read again at once.
        let touched: &[Kind] = match ev.kind() {
            Some(crate::model::RecordKind::Family) => &[Kind::Families, Kind::Stale, Kind::Reviews],
            Some(crate::model::RecordKind::Need) => &[Kind::Needs],
            Some(crate::model::RecordKind::Proposal) => &[Kind::Inbox, Kind::Outbox, Kind::Reviews],
            Some(crate::model::RecordKind::Placement) => &[Kind::Reviews],
            _ => &[],
        };
        for kind in touched {
            if let Some(i) = KINDS.iter().position(|k| k == kind) {
                self.load_pane(i, *kind, ctx);
            }
        }
    }

    fn place(&mut self, area: Rect, _view: &View) {
        for (pane, area) in self.panes.iter_mut().zip(pane_areas(area)) {
            pane.area = area;
            pane.sel.height = pane_rows(area);
            pane.sel.clamp(pane.items.len());
        }
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let lang = view.lang;
        let theme = view.theme;
        for (i, (kind, area)) in KINDS.iter().zip(pane_areas(area)).enumerate() {
            // (The coordination sees every service's: its top line says "coordinamento".)
            let title = self.title(*kind, lang);
            let focused = i == self.focus;
            draw_pane(frame, area, &self.panes[i], title, focused, theme, lang);
        }
    }
}

/// The panes, two by row, in the order of `KINDS`: drawn there, clicked there.
fn pane_areas(area: Rect) -> Vec<Rect> {
    let rows = Layout::vertical([Constraint::Fill(1); 3]).split(area);
    (0..KINDS.len()).map(|i| Layout::horizontal([Constraint::Fill(1); 2]).split(rows[i / 2])[i % 2]).collect()
}

/// The items a pane drawn in `area` shows (inside its borders).
fn pane_rows(area: Rect) -> usize {
    usize::from(area.height.saturating_sub(2)).max(1)
}

fn contains(r: Rect, x: u16, y: u16) -> bool {
    x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height
}

fn draw_pane(frame: &mut Frame, area: Rect, pane: &Pane, title: &str, focused: bool, theme: Theme, lang: Lang) {
    let rows = pane_rows(area);
    let offset = pane.sel.window(rows, pane.items.len());
    let count = pane.count;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(if focused { theme.border_focused() } else { theme.border() })
        .title(Line::from(Span::styled(format!(" {title} ({count}) "), theme.title())));
    let end = (offset + rows).min(pane.items.len());
    let mut lines: Vec<Line> = (offset..end)
        .map(|i| {
            let item = &pane.items[i];
            let base = if item.warn { theme.warning() } else { theme.normal() };
            let style = match (i == pane.sel.selected, focused) {
                (true, true) => base.patch(theme.selected()),
                (true, false) => base.patch(theme.selected_unfocused()),
                _ => base,
            };
            Line::styled(item.text.clone(), style)
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::styled(Tx::Nothing.get(lang), theme.dim()));
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
