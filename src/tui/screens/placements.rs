//! Affidi: the placements the operator may see, the reviews due this
//! month in evidence, a placement's plan, reviews and closing; a review and
//! the closing recorded in a form (every field in sight, the core's
//! problems next to them), the closing confirmed before it is sent.

use ratatui::crossterm::event::{KeyCode, KeyEvent, MouseEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Wrap};
use ratatui::Frame;

use super::families::kind_short;
use super::revised::{landing, Landing};
use super::{Ctx, Outcome, Screen, ScreenId, ServiceNames, Tag, View};
use crate::access::{link_denial, Denial, LinkSide};
use crate::api::{Cursor, Event, PlacementFilter, Principal, Reply, Request, Revised};
use crate::model::dates::format_date;
use crate::model::{Placement, PlacementCode};
use crate::present;
use crate::tui::keys::{self, code, label, plain, Binding, Hint, Nav, NAV};
use crate::tui::source::CallError;
use crate::tui::text::{texts, T};
use crate::tui::widgets::doc;
use crate::tui::widgets::list::{loading_more, near_end, scrolled, Pointer, Selection, TableView};
use crate::tui::widgets::placement_forms::{
    closing_form, closing_of, closing_question, court_form, court_of, extension_form, extension_of, review_form,
    review_of, title, Sheet, SheetStep, Sx,
};

texts!(Tx {
    Title => "Affidi", "Placements";
    Code => "Codice", "Code";
    Child => "Minore", "Child";
    Family => "Famiglia", "Family";
    Kind => "Tipo", "Kind";
    Start => "Inizio", "Start";
    NextReview => "Prossima verifica", "Next review";
    NextReviewShort => "Verifica", "Review";
    State => "Stato", "State";
    Ongoing => "in corso", "ongoing";
    Closed => "chiuso", "closed";
    All => "tutti", "all";
    DueFilter => "verifiche del mese", "reviews this month";
    Shown => "mostrati", "showing";
    Review => "verifica", "review";
    Close => "chiudi", "close";
    None => "Nessun affido.", "No placements.";
    NoneDue => "Nessuna verifica prevista questo mese.", "No review due this month.";
    NotNow => "non è possibile: l'affido è chiuso", "is not possible: the placement is closed";
    ReviewNotYourService => "la verifica spetta ai due servizi dell'affido, non al tuo",
        "a review is for the placement's two services, not yours";
    CloseNotYourService => "l'affido lo chiude il servizio del minore, non il tuo",
        "the placement is closed by the child's service, not yours";
    ReviewNotYourRole => "il tuo ruolo non consente di registrare verifiche", "your role does not allow recording reviews";
    CloseNotYourRole => "il tuo ruolo non consente di chiudere un affido", "your role does not allow closing a placement";
    Reviewed => "Verifica registrata:", "Review recorded:";
    ClosedOk => "Affido chiuso:", "Placement closed:";
    Extend => "proroga", "extension";
    Court => "relazione al Tribunale", "court report";
    Extended => "Proroga registrata:", "Extension recorded:";
    CourtOk => "Relazione al Tribunale registrata:", "Court report recorded:";
});

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    Nav(Nav),
    Open,
    Back,
    Due,
    Review,
    Close,
    Extend,
    Court,
    Reload,
}

const LIST_KEYS: &[Binding<Act>] = &[
    Binding { keys: &[code(KeyCode::Enter)], shown: "Enter", label: label!(T::Open), action: Act::Open, bar: true },
    Binding { keys: &[plain('d')], shown: "d", label: |l| Tx::DueFilter.get(l), action: Act::Due, bar: true },
    Binding { keys: &[plain('v')], shown: "v", label: |l| Tx::Review.get(l), action: Act::Review, bar: true },
    Binding { keys: &[plain('x')], shown: "x", label: |l| Tx::Close.get(l), action: Act::Close, bar: true },
    Binding { keys: &[plain('r')], shown: "r", label: label!(T::Reload), action: Act::Reload, bar: false },
];

const DETAIL_KEYS: &[Binding<Act>] = &[
    Binding { keys: &[code(KeyCode::Esc)], shown: "Esc", label: label!(T::Back), action: Act::Back, bar: true },
    Binding { keys: &[plain('v')], shown: "v", label: |l| Tx::Review.get(l), action: Act::Review, bar: true },
    Binding { keys: &[plain('x')], shown: "x", label: |l| Tx::Close.get(l), action: Act::Close, bar: true },
    Binding { keys: &[plain('p')], shown: "p", label: |l| Tx::Extend.get(l), action: Act::Extend, bar: true },
    Binding { keys: &[plain('t')], shown: "t", label: |l| Tx::Court.get(l), action: Act::Court, bar: true },
    Binding { keys: &[plain('r')], shown: "r", label: label!(T::Reload), action: Act::Reload, bar: false },
];

/// A change to a placement, filled in a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Review,
    Close,
    Extend,
    Court,
}

enum Mode {
    List,
    Detail { placement: Box<Revised<Placement>>, scroll: u16 },
}

pub struct Placements {
    loaded: bool,
    rows: Vec<Revised<Placement>>,
    /// Indexes of `rows` shown.
    shown: Vec<usize>,
    /// Which page comes next: the ongoing placements are listed first.
    next: NextPage,
    due_only: bool,
    today: Option<time::Date>,
    sel: Selection,
    mode: Mode,
    services: ServiceNames,
    /// Where the list is laid out now (`place`): for clicks.
    list_area: Rect,
    /// Whether the page asked for is of ongoing placements (else closed ones).
    page_ongoing: bool,
    /// A change seen while the list was hidden: reload it when it shows.
    stale: bool,
    /// A review or a closing being filled in, then sent on the placement's
    /// revision as stored now (asked for first), until the core answers.
    sheet: Option<Sheet<(PlacementCode, Change)>>,
    /// The placement the highlight stays on while the list comes page by
    /// page (a placement just closed moves to the closed ones, further down).
    follow: Option<PlacementCode>,
    /// Who uses the screen: `v` and `x` are offered only to whom the core lets do them.
    who: Option<Principal>,
}

/// Why the screen asked.
const LIST: Tag = "list";
const PAGE: Tag = "page";
const RECORD: Tag = "record";
const NAMES: Tag = "names";
const WRITE_BASE: Tag = "write-base";
const WRITE: Tag = "write";

impl Default for Placements {
    fn default() -> Self {
        Placements::new()
    }
}

/// The ongoing placements first (newest first), then the closed ones: each
/// a list of pages, so what still needs care is on top however many there are.
#[derive(Debug, Clone, PartialEq, Eq)]
enum NextPage {
    Ongoing(Cursor),
    FirstClosed,
    Closed(Cursor),
    Done,
}

impl NextPage {
    /// What comes after a page of ongoing (`true`) or closed placements.
    fn after(ongoing: bool, next: Option<Cursor>) -> NextPage {
        match (ongoing, next) {
            (true, Some(c)) => NextPage::Ongoing(c),
            (true, None) => NextPage::FirstClosed,
            (false, Some(c)) => NextPage::Closed(c),
            (false, None) => NextPage::Done,
        }
    }
}

/// The next review of an ongoing placement falls in `today`'s month, or is overdue.
fn due_this_month(p: &Placement, today: time::Date) -> bool {
    p.review_due(today) || p.review_overdue(today)
}

impl Placements {
    pub fn new() -> Placements {
        Placements {
            loaded: false,
            rows: Vec::new(),
            shown: Vec::new(),
            next: NextPage::Done,
            due_only: false,
            today: None,
            sel: Selection::default(),
            mode: Mode::List,
            services: ServiceNames::default(),
            list_area: Rect::default(),
            page_ongoing: true,
            stale: false,
            sheet: None,
            follow: None,
            who: None,
        }
    }

    /// Asks for the first page (and the services' names, once).
    fn load(&mut self, ctx: &mut Ctx) {
        self.today = Some(ctx.view.today);
        self.who = Some(ctx.view.who.clone());
        self.stale = false;
        if !self.services.complete && self.services.names.is_empty() {
            ctx.send(NAMES, ServiceNames::request());
        }
        // Ongoing first, newest first: what still needs care on top.
        let filter = PlacementFilter { active: Some(true), ..PlacementFilter::default() };
        ctx.latest(LIST, Request::PlacementList { filter });
    }

    fn take_first_page(&mut self, page: crate::api::Page<Revised<Placement>>, ctx: &mut Ctx) {
        let keep = self.follow.or_else(|| self.selected().map(|p| p.record.code));
        self.follow = keep;
        self.rows = page.items;
        self.next = NextPage::after(true, page.next);
        self.loaded = true;
        self.arrange(keep);
        // The ongoing ones fit one page: the closed ones follow at once.
        if self.next == NextPage::FirstClosed {
            self.next_page(ctx);
        }
    }

    /// Whether the list shown goes on on the server. Only ongoing placements
    /// have reviews due: the closed ones are not fetched for that view.
    fn has_more(&self) -> bool {
        match self.next {
            NextPage::Done => false,
            NextPage::Ongoing(_) => true,
            NextPage::FirstClosed | NextPage::Closed(_) => !self.due_only,
        }
    }

    /// The next page: more ongoing placements, or the closed ones.
    fn next_page(&mut self, ctx: &mut Ctx) {
        let (ongoing, after) = match &self.next {
            NextPage::Ongoing(c) => (true, Some(c.clone())),
            NextPage::FirstClosed => (false, None),
            NextPage::Closed(c) => (false, Some(c.clone())),
            NextPage::Done => return,
        };
        let filter = PlacementFilter { active: Some(ongoing), after, ..PlacementFilter::default() };
        self.page_ongoing = ongoing;
        ctx.latest(PAGE, Request::PlacementList { filter });
    }

    fn take_next_page(&mut self, page: crate::api::Page<Revised<Placement>>) {
        let keep = self.follow.or_else(|| self.selected().map(|p| p.record.code));
        let known: std::collections::BTreeSet<PlacementCode> = self.rows.iter().map(|r| r.record.code).collect();
        self.rows.extend(page.items.into_iter().filter(|r| !known.contains(&r.record.code)));
        self.next = NextPage::after(self.page_ongoing, page.next);
        self.arrange(keep);
        if self.next == NextPage::Done {
            self.follow = None;
        }
    }

    fn arrange(&mut self, keep: Option<PlacementCode>) {
        let today = self.today.unwrap_or(time::Date::MIN);
        let due = self.due_only;
        self.shown = (0..self.rows.len()).filter(|&i| !due || due_this_month(&self.rows[i].record, today)).collect();
        let found = keep.and_then(|c| self.shown.iter().position(|&i| self.rows[i].record.code == c));
        if found.is_some() {
            self.follow = None;
        }
        self.sel.select(found.unwrap_or(self.sel.selected), self.shown.len());
    }

    fn selected(&self) -> Option<&Revised<Placement>> {
        self.shown.get(self.sel.selected).map(|&i| &self.rows[i])
    }

    fn current(&self) -> Option<PlacementCode> {
        self.current_record().map(|p| p.record.code)
    }

    /// Asks for a record, to show it.
    fn open_record(&mut self, code: PlacementCode, ctx: &mut Ctx) {
        ctx.latest(RECORD, Request::PlacementGet { code });
    }

    fn show_record(&mut self, p: Revised<Placement>) {
        let code = p.record.code;
        let scroll = match &self.mode {
            Mode::Detail { placement, scroll } if placement.record.code == code => *scroll,
            _ => 0,
        };
        if let Some(i) = self.shown.iter().position(|&i| self.rows[i].record.code == code) {
            self.sel.select(i, self.shown.len());
        }
        if let Some(i) = self.rows.iter().position(|r| r.record.code == code) {
            self.rows[i] = p.clone();
        }
        self.mode = Mode::Detail { placement: Box::new(p), scroll };
    }

    fn refresh(&mut self, code: PlacementCode, ctx: &mut Ctx) {
        self.load(ctx);
        if let Mode::Detail { placement, .. } = &self.mode {
            if placement.record.code == code {
                self.open_record(code, ctx);
            }
        }
    }

    fn act(&mut self, act: Act, ctx: &mut Ctx) -> Outcome {
        let lang = ctx.view.lang;
        match act {
            Act::Nav(n) => {
                // The operator moved: the highlight no longer waits for a placement to come.
                self.follow = None;
                self.sel.nav(n, self.shown.len());
            }
            Act::Open => {
                if let Some(code) = self.selected().map(|p| p.record.code) {
                    self.open_record(code, ctx);
                }
            }
            Act::Back => {
                self.mode = Mode::List;
                if self.stale {
                    self.load(ctx);
                }
            }
            Act::Due => {
                self.due_only = !self.due_only;
                let keep = self.selected().map(|p| p.record.code);
                self.arrange(keep);
            }
            Act::Review | Act::Close | Act::Extend | Act::Court => {
                let Some(code) = self.current() else { return Outcome::Done };
                if !self.legal(act) {
                    // Said at once, before anything is typed in vain: who may, else when.
                    let review = act == Act::Review;
                    let key = match act {
                        Act::Review => "v",
                        Act::Extend => "p",
                        Act::Court => "t",
                        _ => "x",
                    };
                    let why = match (self.denial(act), review) {
                        (Some(Denial::Service), true) => Tx::ReviewNotYourService,
                        (Some(Denial::Service), false) => Tx::CloseNotYourService,
                        (Some(Denial::Role), true) => Tx::ReviewNotYourRole,
                        (Some(Denial::Role), false) => Tx::CloseNotYourRole,
                        (None, _) => Tx::NotNow,
                    };
                    ctx.error(format!("{key}: {code} {}", why.get(lang)));
                    return Outcome::Done;
                }
                let today = ctx.view.today;
                let code_text = code.to_string();
                let sheet = match act {
                    Act::Review => Sheet::new(
                        review_form(title(Sx::Review, &code_text, lang), today, lang),
                        (code, Change::Review),
                    ),
                    Act::Extend => Sheet::new(
                        extension_form(title(Sx::Extension, &code_text, lang), today, lang),
                        (code, Change::Extend),
                    ),
                    Act::Court => {
                        Sheet::new(court_form(title(Sx::Court, &code_text, lang), lang), (code, Change::Court))
                    }
                    _ => Sheet::new(
                        closing_form(title(Sx::Closing, &code_text, lang), today, lang),
                        (code, Change::Close),
                    ),
                };
                self.sheet = Some(sheet);
                // What the status line said is about something else.
                *ctx.notice = None;
            }
            Act::Reload => {
                self.load(ctx);
                if let Some(code) = self.current().filter(|_| matches!(self.mode, Mode::Detail { .. })) {
                    self.open_record(code, ctx);
                }
            }
        }
        Outcome::Done
    }

    /// Whether a review or a closing may be recorded on the placement the
    /// keys act on: only while it is ongoing (the help offers exactly these).
    fn legal(&self, act: Act) -> bool {
        match act {
            Act::Review | Act::Close | Act::Extend | Act::Court => {
                self.current_record().is_some_and(|p| p.record.is_active()) && self.denial(act).is_none()
            }
            _ => true,
        }
    }

    /// Why the operator may not review or close the current placement (its
    /// services, as the core decides), if it may not.
    fn denial(&self, act: Act) -> Option<Denial> {
        // The child's service closes, extends and reports to the court; either reviews.
        let side = if act == Act::Review { LinkSide::Either } else { LinkSide::NeedService };
        let (who, p) = (self.who.as_ref()?, self.current_record()?);
        link_denial(who, side, p.record.need_service, p.record.family_service, p.record.family.is_none())
    }

    /// The placement the keys act on: the open record, or the highlighted row.
    fn current_record(&self) -> Option<&Revised<Placement>> {
        match &self.mode {
            Mode::Detail { placement, .. } => Some(placement),
            Mode::List => self.selected(),
        }
    }

    /// A key while a form is open.
    fn sheet_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> Outcome {
        let Some(sheet) = &mut self.sheet else { return Outcome::Ignored };
        let (lang, today) = (ctx.view.lang, ctx.view.today);
        match sheet.key(ev, lang, today) {
            SheetStep::Stay => {}
            SheetStep::Ignored => return Outcome::Ignored,
            SheetStep::Close => self.sheet = None,
            SheetStep::Send => self.send(ctx),
            SheetStep::Save => {
                let (code, change) = sheet.what;
                match change {
                    Change::Review => match review_of(&mut sheet.editor.form, lang, today) {
                        Some(_) => self.send(ctx),
                        None => sheet.to_fix(ctx),
                    },
                    Change::Extend => match extension_of(&mut sheet.editor.form, lang, today) {
                        Some(_) => self.send(ctx),
                        None => sheet.to_fix(ctx),
                    },
                    Change::Court => match court_of(&mut sheet.editor.form, lang, today) {
                        Some(_) => self.send(ctx),
                        None => sheet.to_fix(ctx),
                    },
                    // A closing ends the placement: asked once more, with what it says.
                    Change::Close => match closing_of(&mut sheet.editor.form, lang, today) {
                        Some((date, outcome, _)) => sheet.ask(closing_question(&code.to_string(), date, outcome, lang)),
                        None => sheet.to_fix(ctx),
                    },
                }
            }
        }
        Outcome::Done
    }

    /// The form is sent on the placement as stored now: its revision is asked for first.
    fn send(&mut self, ctx: &mut Ctx) {
        let Some(sheet) = &mut self.sheet else { return };
        sheet.sent();
        ctx.send(WRITE_BASE, Request::PlacementGet { code: sheet.what.0 });
    }

    /// The request the form says, on `base_revision`.
    fn write_request(&mut self, base_revision: u64, ctx: &Ctx) -> Option<Request> {
        let sheet = self.sheet.as_mut()?;
        let (lang, today) = (ctx.view.lang, ctx.view.today);
        let (code, change) = sheet.what;
        let form = &mut sheet.editor.form;
        Some(match change {
            Change::Review => {
                let (date, note, kind) = review_of(form, lang, today)?;
                Request::PlacementReview { code, base_revision, date, note, kind }
            }
            Change::Close => {
                let (date, outcome, note) = closing_of(form, lang, today)?;
                Request::PlacementClose { code, base_revision, date, outcome, note }
            }
            Change::Extend => {
                let (until, decided_by, decided_on, note) = extension_of(form, lang, today)?;
                Request::PlacementExtend { code, base_revision, decided_on, until, decided_by, note }
            }
            Change::Court => {
                let (due_on, sent_on, note) = court_of(form, lang, today)?;
                Request::PlacementCourtReport { code, base_revision, due_on, sent_on, note }
            }
        })
    }
}

/// The list's place in the screen's area: a line of filters, then the table.
fn list_layout(area: Rect) -> Rect {
    let [_, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
    list
}

impl Screen for Placements {
    fn id(&self) -> ScreenId {
        ScreenId::Placements
    }

    fn hints(&self) -> Vec<Hint> {
        if let Some(sheet) = &self.sheet {
            return sheet.hints();
        }
        let offered = |bindings: &[Binding<Act>]| -> Vec<Hint> {
            bindings.iter().filter(|b| self.legal(b.action)).map(Binding::hint).collect()
        };
        match self.mode {
            Mode::List => {
                let mut h = keys::nav_hints();
                h.extend(offered(LIST_KEYS));
                h
            }
            Mode::Detail { .. } => {
                let mut h = offered(DETAIL_KEYS);
                h.extend(keys::nav_hints());
                h
            }
        }
    }

    fn activate(&mut self, ctx: &mut Ctx) {
        if !self.loaded || self.stale {
            self.reload(ctx);
        }
    }

    fn reload(&mut self, ctx: &mut Ctx) {
        self.act(Act::Reload, ctx);
    }

    fn is_stale(&self) -> bool {
        self.stale && self.loaded
    }

    fn mark_stale(&mut self) {
        self.stale = true;
    }

    fn reply(&mut self, tag: Tag, result: Result<Reply, CallError>, ctx: &mut Ctx) -> Outcome {
        let lang = ctx.view.lang;
        if matches!(tag, WRITE_BASE | WRITE) {
            // A refusal of a review or a closing goes back to its form: what was typed stays.
            if let (Err(e), Some(sheet)) = (&result, &mut self.sheet) {
                sheet.refused(e.clone(), ctx);
                return Outcome::Done;
            }
        }
        let Some(reply) = ctx.ok(result) else { return Outcome::Done };
        match (tag, reply) {
            (NAMES, reply) => {
                if let Some(next) = self.services.take(reply) {
                    ctx.send(NAMES, next);
                }
            }
            (LIST, Reply::Placements(page)) => self.take_first_page(page, ctx),
            (PAGE, Reply::Placements(page)) => self.take_next_page(page),
            (RECORD, Reply::Placement(p)) => self.show_record(p),
            (WRITE_BASE, Reply::Placement(p)) => {
                if let Some(request) = self.write_request(p.revision, ctx) {
                    ctx.send(WRITE, request);
                }
            }
            (WRITE, _) => {
                if let Some(sheet) = self.sheet.take() {
                    let (code, change) = sheet.what;
                    let done = match change {
                        Change::Review => Tx::Reviewed,
                        Change::Close => Tx::ClosedOk,
                        Change::Extend => Tx::Extended,
                        Change::Court => Tx::CourtOk,
                    };
                    ctx.info(format!("{} {code}", done.get(lang)));
                    self.refresh(code, ctx);
                }
            }
            _ => {}
        }
        Outcome::Done
    }

    fn paste(&mut self, text: &str, ctx: &mut Ctx) -> Outcome {
        let taken = self.sheet.as_mut().is_some_and(|sheet| sheet.paste(text, ctx.view.lang));
        if taken {
            Outcome::Done
        } else {
            Outcome::Ignored
        }
    }

    fn key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> Outcome {
        if self.sheet.is_some() {
            return self.sheet_key(ev, ctx);
        }
        match &mut self.mode {
            Mode::List => {
                if let Some(n) = keys::action(NAV, ev) {
                    return self.act(Act::Nav(n), ctx);
                }
                match keys::action(LIST_KEYS, ev) {
                    Some(a) => self.act(a, ctx),
                    None => Outcome::Ignored,
                }
            }
            Mode::Detail { scroll, .. } => {
                if let Some(n) = keys::action(NAV, ev) {
                    *scroll = scrolled(*scroll, n);
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
        if let Some(sheet) = &mut self.sheet {
            let used = sheet.mouse(ev, ctx.view.lang, ctx.view.today);
            return if used { Outcome::Done } else { Outcome::Ignored };
        }
        if !matches!(self.mode, Mode::List) {
            return Outcome::Ignored;
        }
        let len = self.shown.len();
        match self.sel.pointer(ev, self.list_area, len) {
            Pointer::Open => self.act(Act::Open, ctx),
            Pointer::Scrolled | Pointer::Selected => {
                self.follow = None;
                Outcome::Done
            }
            Pointer::Ignored => Outcome::Ignored,
        }
    }

    /// A placement changed: its record, if open, is asked again (the list
    /// when shown again); the list shown is asked again. Nothing when what
    /// is shown is already at that revision.
    fn changed(&mut self, ev: &Event, ctx: &mut Ctx) {
        let Some(ch) = ev.change() else { return };
        let Some(code) = PlacementCode::parse(&ch.code) else { return };
        let open = match &self.mode {
            Mode::Detail { placement, .. } => Some((&placement.record.code, placement.revision)),
            Mode::List => None,
        };
        let row = self.rows.iter().find(|r| r.record.code == code).map(|r| r.revision);
        match landing(&code, ch.revision, self.loaded, open, row) {
            Landing::Nowhere => {}
            Landing::Record => {
                self.stale = true;
                self.open_record(code, ctx);
            }
            Landing::Stale => self.stale = true,
            Landing::List => self.load(ctx),
        }
    }

    fn open(&mut self, code: &str, ctx: &mut Ctx) -> bool {
        if !self.loaded {
            self.load(ctx);
        }
        match PlacementCode::parse(code) {
            Some(code) => {
                self.open_record(code, ctx);
                true
            }
            None => false,
        }
    }

    fn captures_text(&self) -> bool {
        self.sheet.as_ref().is_some_and(Sheet::captures_text)
    }

    fn unsaved(&self) -> bool {
        self.sheet.as_ref().is_some_and(Sheet::unsaved)
    }

    fn wants_more(&self) -> bool {
        self.has_more()
            && matches!(self.mode, Mode::List)
            && self.sheet.is_none()
            && near_end(&self.sel, self.shown.len())
    }

    fn place(&mut self, area: Rect, view: &View) {
        if self.who.is_none() {
            self.who = Some(view.who.clone());
        }
        self.list_area = list_layout(area);
        self.sel.fit(self.list_area, self.shown.len());
        if let Some(sheet) = &mut self.sheet {
            sheet.editor.place(area, view.lang);
        }
    }

    fn load_more(&mut self, ctx: &mut Ctx) {
        self.next_page(ctx);
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let lang = view.lang;
        let theme = view.theme;
        let today = view.today;
        if let Some(sheet) = &self.sheet {
            return sheet.render(frame, area, view);
        }
        if let Mode::Detail { placement, scroll } = &self.mode {
            let block = Block::default()
                .borders(Borders::ALL)
                .border_style(theme.border_focused())
                .title(Span::styled(format!(" {} {} ", Tx::Title.get(lang), placement.record.code), theme.title()));
            let lines = doc::lines(
                &present::placement(placement, &self.services.names, today, lang),
                theme,
                area.width.saturating_sub(2),
            );
            frame.render_widget(
                Paragraph::new(lines).block(block).wrap(Wrap { trim: false }).scroll((*scroll, 0)),
                area,
            );
        } else {
            let [bar, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
            let which = if self.due_only { Tx::DueFilter } else { Tx::All };
            let spans = vec![
                Span::styled(format!("{}: ", Tx::Shown.get(lang)), theme.dim()),
                Span::raw(which.get(lang)),
                Span::styled(format!("   d: {}", Tx::DueFilter.get(lang)), theme.dim()),
            ];
            frame.render_widget(Paragraph::new(Line::from(spans)), bar);
            let wide = list.width >= 100;
            let next = if wide { Tx::NextReview } else { Tx::NextReviewShort };
            let header = [Tx::Code, Tx::Child, Tx::Family, Tx::Kind, Tx::Start, next, Tx::State].map(|t| t.get(lang));
            let empty = match (self.loaded, self.due_only) {
                (false, _) => T::Loading.get(lang),
                (true, true) => Tx::NoneDue.get(lang),
                (true, false) => Tx::None.get(lang),
            };
            let table = TableView {
                title: Tx::Title.get(lang).to_string(),
                header: header.to_vec(),
                widths: vec![
                    Constraint::Length(11),
                    Constraint::Length(if wide { 24 } else { 13 }),
                    Constraint::Length(11),
                    Constraint::Length(4),
                    Constraint::Length(10),
                    Constraint::Length(if wide { 18 } else { 12 }),
                    Constraint::Fill(1),
                ],
                len: self.shown.len(),
                focused: true,
                empty,
            };
            let rows = &self.rows;
            let shown = &self.shown;
            table.render(frame, list, &self.sel, theme, |i| {
                let p = &rows[shown[i]].record;
                let needs = match p.needs.as_slice() {
                    [one] => one.to_string(),
                    [first, rest @ ..] if !wide => format!("{first}+{}", rest.len()),
                    all => all.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(","),
                };
                let next = p.next_review().filter(|_| p.is_active());
                let next = match next {
                    // Overdue apart from this month's: ⚠ against ◆.
                    Some(d) if p.review_overdue(today) => Line::styled(format!("{} ⚠", format_date(d)), theme.error()),
                    Some(d) if due_this_month(p, today) => {
                        Line::styled(format!("{} ◆", format_date(d)), theme.warning())
                    }
                    Some(d) => Line::raw(format_date(d)),
                    None => Line::raw("—"),
                };
                let state = match &p.closing {
                    None => Line::raw(Tx::Ongoing.get(lang)),
                    Some(c) => {
                        Line::styled(format!("{}: {}", Tx::Closed.get(lang), c.outcome.label(lang)), theme.dim())
                    }
                };
                vec![
                    Cell::from(p.code.to_string()),
                    Cell::from(needs),
                    Cell::from(p.host_code()),
                    Cell::from(kind_short(p.kind, lang)),
                    Cell::from(format_date(p.plan.start)),
                    Cell::from(next),
                    Cell::from(state),
                ]
            });
            if self.has_more() {
                loading_more(frame, list, theme, T::LoadingMore.get(lang));
            }
        }
    }
}
