//! Proposte: the inbox (proposals of the service's families) and the outbox
//! (proposals for its needs), a proposal's steps, and the steps the
//! operator may take: under review, accept, decline, withdraw, start the
//! placement with its plan.

use ratatui::crossterm::event::{KeyCode, KeyEvent, MouseEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Wrap};
use ratatui::Frame;

use super::revised::{landing, Landing};
use super::{Ctx, Outcome, Screen, ScreenId, ServiceNames, Tag, View};
use crate::access::{link_denial, Denial, LinkSide};
use crate::api::{Cursor, Direction, Event, ProposalFilter, ProposalView, Reply, Request, Revised};
use crate::model::dates::format_date;
use crate::model::{ContactFrequency, FosterPlan, OriginContact, Proposal, ProposalCode, ProposalSide, ProposalStatus};
use crate::present::{self, record::status_word};
use crate::tui::keys::{self, code, label, plain, Binding, Hint, Nav, NAV};
use crate::tui::source::CallError;
use crate::tui::text::{texts, T};
use crate::tui::widgets::doc;
use crate::tui::widgets::list::{loading_more, near_end, scrolled, Pointer, Selection, TableView};
use crate::tui::widgets::placement_forms::{plan_form, plan_of, title, Sheet, SheetStep, Sx};
use crate::tui::widgets::prompt::{Prompt, Step};

texts!(Tx {
    Title => "Proposte", "Proposals";
    Inbox => "In arrivo", "Inbox";
    Outbox => "Inviate", "Outbox";
    InboxHint => "proposte delle nostre famiglie", "proposals of our families";
    InboxHintReception => "proposte al nostro servizio", "proposals to our service";
    OutboxHint => "proposte per le nostre richieste", "proposals for our needs";
    Code => "Codice", "Code";
    Needs => "Richiesta", "Need";
    Family => "Famiglia", "Family";
    Status => "Stato", "Status";
    Date => "Data", "Date";
    Other => "Altro servizio", "Other service";
    Switch => "arrivo/inviate", "inbox/outbox";
    Review => "in valutazione", "under review";
    Accept => "accetta", "accept";
    Decline => "rifiuta", "decline";
    Withdraw => "ritira", "withdraw";
    Start => "avvia affido", "start placement";
    Match => "abbinamento", "matching";
    OpenNeed => "apri richiesta", "open need";
    None => "Nessuna proposta.", "No proposals.";
    AskAccept => "Accettare", "Accept";
    AskDecline => "Rifiutare", "Decline";
    NoteOptional => "Nota facoltativa:", "Optional note:";
    ReasonMandatory => "Motivo del rifiuto (obbligatorio):", "Reason for declining (required):";
    NotYourService => "spetta all'altro servizio, non al tuo:", "is for the other service, not yours:";
    NotYourRole => "il tuo ruolo non lo consente:", "your role does not allow it:";
    NotNow => "non è possibile ora per", "is not possible now for";
    AskWithdraw => "Motivo del ritiro di", "Reason for withdrawing";
    ReasonRequired => "Il motivo è obbligatorio: scrivilo e premi Invio (Esc annulla).", "A reason is required: type it and press Enter (Esc cancels).";
    Stepped => "Proposta aggiornata:", "Proposal updated:";
    Started => "Affido avviato:", "Placement started:";
    EnterOpens => "Invio lo apre", "Enter opens it";
});

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    Nav(Nav),
    Open,
    Back,
    OpenNeed,
    Switch,
    Inbox,
    Outbox,
    Step(ProposalStatus),
    Start,
    Match,
    Reload,
}

const LIST_KEYS: &[Binding<Act>] = &[
    Binding { keys: &[code(KeyCode::Enter)], shown: "Enter", label: label!(T::Open), action: Act::Open, bar: true },
    Binding {
        keys: &[code(KeyCode::Tab), code(KeyCode::BackTab)],
        shown: "Tab i u",
        label: |l| Tx::Switch.get(l),
        action: Act::Switch,
        bar: true,
    },
    Binding { keys: &[plain('i')], shown: "", label: |l| Tx::Inbox.get(l), action: Act::Inbox, bar: false },
    Binding { keys: &[plain('u')], shown: "", label: |l| Tx::Outbox.get(l), action: Act::Outbox, bar: false },
    Binding { keys: &[plain('r')], shown: "r", label: label!(T::Reload), action: Act::Reload, bar: false },
];

/// The steps, the same in the list (on the highlighted row) and in the record.
const STEP_KEYS: &[Binding<Act>] = &[
    Binding {
        keys: &[plain('v')],
        shown: "v",
        label: |l| Tx::Review.get(l),
        action: Act::Step(ProposalStatus::UnderReview),
        bar: true,
    },
    Binding {
        keys: &[plain('a')],
        shown: "a",
        label: |l| Tx::Accept.get(l),
        action: Act::Step(ProposalStatus::Accepted),
        bar: true,
    },
    Binding {
        keys: &[plain('d')],
        shown: "d",
        label: |l| Tx::Decline.get(l),
        action: Act::Step(ProposalStatus::Declined),
        bar: true,
    },
    Binding {
        keys: &[plain('w')],
        shown: "w",
        label: |l| Tx::Withdraw.get(l),
        action: Act::Step(ProposalStatus::Withdrawn),
        bar: true,
    },
    Binding { keys: &[plain('s')], shown: "s", label: |l| Tx::Start.get(l), action: Act::Start, bar: true },
    Binding { keys: &[plain('m')], shown: "m", label: |l| Tx::Match.get(l), action: Act::Match, bar: false },
];

const DETAIL_KEYS: &[Binding<Act>] = &[
    Binding { keys: &[code(KeyCode::Esc)], shown: "Esc", label: label!(T::Back), action: Act::Back, bar: true },
    Binding { keys: &[plain('n')], shown: "n", label: |l| Tx::OpenNeed.get(l), action: Act::OpenNeed, bar: true },
    Binding { keys: &[plain('r')], shown: "r", label: label!(T::Reload), action: Act::Reload, bar: false },
];

/// What the open popup asks for: a step's note or reason, one line.
enum Ask {
    Reason(ProposalCode, ProposalStatus, Prompt),
}

enum Mode {
    List,
    Detail { proposal: Box<Revised<Proposal>>, scroll: u16 },
}

pub struct Proposals {
    loaded: bool,
    direction: Direction,
    /// The pages loaded so far, newest first.
    rows: Vec<Revised<Proposal>>,
    /// Where the next page starts, while the server has more.
    more: Option<Cursor>,
    sel: Selection,
    mode: Mode,
    ask: Option<Ask>,
    /// The step on its way, as asked: the popup again if the core refuses it.
    asked: Option<Ask>,
    services: ServiceNames,
    /// The open proposal's card: the children's shared profiles, urgency
    /// and deadline, both services' contacts (`Request::ProposalView`).
    card: Option<Box<ProposalView>>,
    /// Who uses the screen: which side's steps the help offers (as the core decides).
    who: Option<crate::api::Principal>,
    /// Where the list is laid out now (`place`): for clicks.
    list_area: Rect,
    /// A change seen while the list was hidden: reload it when it shows.
    stale: bool,
    /// A step waiting for the proposal's current revision, then for its
    /// answer: which proposal, to which status, with what note.
    stepping: Option<(ProposalCode, ProposalStatus, String)>,
    /// The placement just started, named on the status line: the next
    /// Enter opens it (any other key forgets it).
    created: Option<String>,
    /// The proposal whose plan waits for its need (which says how long and
    /// how the child keeps in touch: the plan starts from it).
    planning: Option<ProposalCode>,
    /// The plan being filled in, then sent on the proposal as stored now
    /// (asked for first), until the core answers.
    sheet: Option<Sheet<ProposalCode>>,
}

/// Why the screen asked.
const LIST: Tag = "list";
const PAGE: Tag = "page";
const CARD: Tag = "card";
const NAMES: Tag = "names";
const STEP_BASE: Tag = "step-base";
const STEP: Tag = "step";
const PLAN_NEED: Tag = "plan-need";
const START_BASE: Tag = "start-base";
const START: Tag = "start";

impl Default for Proposals {
    fn default() -> Self {
        Proposals::new()
    }
}

impl Proposals {
    pub fn new() -> Proposals {
        Proposals {
            loaded: false,
            direction: Direction::Inbox,
            rows: Vec::new(),
            more: None,
            sel: Selection::default(),
            mode: Mode::List,
            ask: None,
            asked: None,
            services: ServiceNames::default(),
            card: None,
            who: None,
            list_area: Rect::default(),
            stale: false,
            stepping: None,
            created: None,
            planning: None,
            sheet: None,
        }
    }

    /// Asks for the first page (and the services' names, once).
    fn load(&mut self, ctx: &mut Ctx) {
        self.stale = false;
        if !self.services.complete && self.services.names.is_empty() {
            ctx.send(NAMES, ServiceNames::request());
        }
        let filter = ProposalFilter { direction: Some(self.direction), ..ProposalFilter::default() };
        // The newest first (the server's order): what came in last is what needs an answer.
        ctx.latest(LIST, Request::ProposalList { filter });
    }

    fn take_first_page(&mut self, page: crate::api::Page<Revised<Proposal>>) {
        let keep = self.selected().map(|p| p.record.code);
        self.rows = page.items;
        self.more = page.next;
        self.loaded = true;
        let at = keep.and_then(|c| self.rows.iter().position(|p| p.record.code == c)).unwrap_or(self.sel.selected);
        self.sel.select(at, self.rows.len());
    }

    /// Asks for the next (older) page, after the rows loaded.
    fn next_page(&mut self, ctx: &mut Ctx) {
        let Some(after) = self.more.clone() else { return };
        let filter =
            ProposalFilter { direction: Some(self.direction), after: Some(after), ..ProposalFilter::default() };
        ctx.latest(PAGE, Request::ProposalList { filter });
    }

    fn selected(&self) -> Option<&Revised<Proposal>> {
        self.rows.get(self.sel.selected)
    }

    /// The proposal the keys act on: the open record, or the highlighted row.
    fn current(&self) -> Option<&Revised<Proposal>> {
        match &self.mode {
            Mode::Detail { proposal, .. } => Some(proposal),
            Mode::List => self.selected(),
        }
    }

    /// Asks for a record with its card, to show it: one request, the card
    /// carries the record.
    fn open_record(&mut self, code: ProposalCode, ctx: &mut Ctx) {
        ctx.latest(CARD, Request::ProposalView { code });
    }

    fn show_record(&mut self, p: Revised<Proposal>) {
        let code = p.record.code;
        let scroll = match &self.mode {
            Mode::Detail { proposal, scroll } if proposal.record.code == code => *scroll,
            _ => 0,
        };
        if let Some(i) = self.rows.iter().position(|r| r.record.code == code) {
            self.sel.select(i, self.rows.len());
            self.rows[i] = p.clone();
        }
        self.mode = Mode::Detail { proposal: Box::new(p), scroll };
    }

    fn set_direction(&mut self, d: Direction, ctx: &mut Ctx) {
        if self.direction != d {
            self.direction = d;
            self.sel = Selection { height: self.sel.height, ..Selection::default() };
        }
        self.load(ctx);
    }

    fn act(&mut self, act: Act, ctx: &mut Ctx) -> Outcome {
        let lang = ctx.view.lang;
        match act {
            Act::Nav(n) => {
                self.sel.nav(n, self.rows.len());
            }
            Act::Open => {
                if let Some(code) = self.selected().map(|p| p.record.code) {
                    self.open_record(code, ctx);
                }
            }
            Act::OpenNeed => {
                if let Mode::Detail { proposal, .. } = &self.mode {
                    return Outcome::Open(proposal.record.need().to_string());
                }
            }
            Act::Back => {
                self.mode = Mode::List;
                if self.stale {
                    self.load(ctx);
                }
            }
            Act::Switch => {
                let d = if self.direction == Direction::Inbox { Direction::Outbox } else { Direction::Inbox };
                self.set_direction(d, ctx);
            }
            Act::Inbox => self.set_direction(Direction::Inbox, ctx),
            Act::Outbox => self.set_direction(Direction::Outbox, ctx),
            Act::Step(to) => {
                let Some(code) = self.current().map(|p| p.record.code) else { return Outcome::Done };
                // Accepting commits the family's places, declining closes the
                // proposal: both are confirmed, accepting with an optional note,
                // declining with its required reason.
                let question = match to {
                    ProposalStatus::Accepted => {
                        Some(format!("{} {code}? {}", Tx::AskAccept.get(lang), Tx::NoteOptional.get(lang)))
                    }
                    ProposalStatus::Declined => {
                        Some(format!("{} {code}? {}", Tx::AskDecline.get(lang), Tx::ReasonMandatory.get(lang)))
                    }
                    ProposalStatus::Withdrawn => Some(format!("{} {code}:", Tx::AskWithdraw.get(lang))),
                    _ => None,
                };
                match question {
                    Some(question) => {
                        let prompt = Prompt::new(question, "").bounded(crate::model::limits::MAX_STEP_NOTE);
                        self.ask = Some(Ask::Reason(code, to, prompt));
                    }
                    None => self.step(code, to, String::new(), ctx),
                }
            }
            Act::Start => {
                let Some(code) = self.current().map(|p| p.record.code) else { return Outcome::Done };
                // The need says how long and how the child keeps in touch: the plan starts from
                // it, read in the shared view (as on the card): no child's identity is read for a plan.
                self.planning = Some(code);
                ctx.send(PLAN_NEED, Request::ProposalView { code });
            }
            Act::Match => {
                if let Some(p) = self.current() {
                    return Outcome::Match(p.record.need().to_string());
                }
            }
            Act::Reload => {
                self.load(ctx);
                if let Mode::Detail { proposal, .. } = &self.mode {
                    let code = proposal.record.code;
                    self.open_record(code, ctx);
                }
            }
        }
        Outcome::Done
    }

    /// Whether the keys may take `act` on the current proposal now: a step
    /// only where its status allows it and only by the side that takes it
    /// (the help bar offers exactly these; other keys are refused aloud).
    fn legal(&self, act: Act) -> bool {
        let Some(p) = self.current() else { return false };
        match act {
            Act::Step(to) => p.record.status.can_become(to) && self.denial(to).is_none(),
            Act::Start => {
                p.record.status.can_become(ProposalStatus::Started) && self.denial(ProposalStatus::Started).is_none()
            }
            _ => true,
        }
    }

    /// Why the operator may not take the step to `to` on the current
    /// proposal (its side, as the core decides), if it may not.
    fn denial(&self, to: ProposalStatus) -> Option<Denial> {
        let (who, p) = (self.who.as_ref()?, self.current()?);
        let side = match to.taken_by() {
            ProposalSide::NeedService => LinkSide::NeedService,
            ProposalSide::FamilyService => LinkSide::FamilyService,
        };
        link_denial(who, side, p.record.need_service, p.record.family_service, p.record.family.is_none())
    }

    /// A step on the proposal as stored now (its revision is asked for
    /// first); the core's refusal is the message.
    fn step(&mut self, code: ProposalCode, to: ProposalStatus, note: String, ctx: &mut Ctx) {
        self.stepping = Some((code, to, note));
        self.asked = None;
        ctx.send(STEP_BASE, Request::ProposalGet { code });
    }

    /// What is shown of a proposal after a change: the list (and its record, if open).
    fn refresh(&mut self, code: ProposalCode, ctx: &mut Ctx) {
        self.load(ctx);
        if let Mode::Detail { proposal, .. } = &self.mode {
            if proposal.record.code == code {
                self.open_record(code, ctx);
            }
        }
    }

    /// The plan's form for `proposal`: starting today, for as long and with
    /// the contact the need asks (when it came).
    fn open_plan(&mut self, proposal: ProposalCode, need: Option<&crate::api::NeedView>, ctx: &mut Ctx) {
        let lang = ctx.view.lang;
        let plan = FosterPlan {
            start: ctx.view.today,
            expected_end: None,
            duration_months: need.and_then(|n| n.placement.duration_months),
            contact: need.map_or(OriginContact { frequency: ContactFrequency::ToBeDefined, supervised: false }, |n| {
                n.placement.contact
            }),
            contact_notes: String::new(),
            review_dates: vec![],
            commitments: String::new(),
            relationship: None,
        };
        let form = plan_form(title(Sx::Plan, &proposal.to_string(), lang), &plan, lang);
        self.sheet = Some(Sheet::new(form, proposal));
        *ctx.notice = None;
    }

    /// A key while the plan's form is open: saved, the placement starts
    /// on the proposal as stored now (asked for first).
    fn sheet_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> Outcome {
        let Some(sheet) = &mut self.sheet else { return Outcome::Ignored };
        let (lang, today) = (ctx.view.lang, ctx.view.today);
        match sheet.key(ev, lang, today) {
            SheetStep::Stay => {}
            SheetStep::Ignored => return Outcome::Ignored,
            SheetStep::Close => self.sheet = None,
            SheetStep::Save | SheetStep::Send => match plan_of(&mut sheet.editor.form, lang, today) {
                Some(_) => {
                    sheet.sent();
                    ctx.send(START_BASE, Request::ProposalGet { code: sheet.what });
                }
                None => sheet.to_fix(ctx),
            },
        }
        Outcome::Done
    }

    /// A key while a popup asks something.
    fn answer(&mut self, ask: Ask, ev: &KeyEvent, ctx: &mut Ctx) {
        let lang = ctx.view.lang;
        match ask {
            Ask::Reason(code, to, mut prompt) => match prompt.key(ev) {
                Step::Stay => self.ask = Some(Ask::Reason(code, to, prompt)),
                Step::Cancel => {}
                // The core requires a reason to withdraw or decline: asked again in place.
                // Said in the popup, gone as soon as the reason is being typed.
                Step::Done(text) if text.trim().is_empty() && to.needs_reason() => {
                    prompt.say(Tx::ReasonRequired.get(lang));
                    self.ask = Some(Ask::Reason(code, to, prompt));
                }
                Step::Done(text) => {
                    self.step(code, to, text, ctx);
                    self.asked = Some(Ask::Reason(code, to, prompt));
                }
            },
        }
    }

    fn render_detail(&self, frame: &mut Frame, area: Rect, view: &View, p: &Revised<Proposal>, scroll: u16) {
        let theme = view.theme;
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border_focused())
            .title(Span::styled(format!(" {} {} ", Tx::Title.get(view.lang), p.record.code), theme.title()));
        // The card once it came for this revision; the record alone meanwhile.
        let document = match self.card.as_deref() {
            Some(card) if card.record.code == p.record.code && card.revision == p.revision => {
                present::proposal_card(card, &self.services.names, view.lang)
            }
            _ => present::proposal(p, &self.services.names, view.lang),
        };
        let lines = doc::lines(&document, theme, area.width.saturating_sub(2));
        frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }).scroll((scroll, 0)), area);
    }
}

/// The list's place in the screen's area: the inbox/outbox line, then the table.
fn list_layout(area: Rect) -> Rect {
    let [_, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
    list
}

impl Screen for Proposals {
    fn id(&self) -> ScreenId {
        ScreenId::Proposals
    }

    fn hints(&self) -> Vec<Hint> {
        if self.ask.is_some() {
            return Prompt::hints();
        }
        if let Some(sheet) = &self.sheet {
            return sheet.hints();
        }
        let steps: Vec<Hint> = STEP_KEYS.iter().filter(|b| self.legal(b.action)).map(Binding::hint).collect();
        match self.mode {
            Mode::List => {
                let mut h = keys::nav_hints();
                h.extend(keys::hints(LIST_KEYS));
                h.extend(steps);
                h
            }
            Mode::Detail { .. } => {
                let mut h = keys::hints(DETAIL_KEYS);
                h.extend(steps);
                h.extend(keys::nav_hints());
                h
            }
        }
    }

    fn activate(&mut self, ctx: &mut Ctx) {
        self.who = Some(ctx.view.who.clone());
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
        if tag == PLAN_NEED {
            // Without the need, the plan starts from nothing known.
            let Some(code) = self.planning.take() else { return Outcome::Done };
            let need = match &result {
                Ok(Reply::ProposalView(v)) => v.needs.first(),
                _ => None,
            };
            self.open_plan(code, need, ctx);
            return Outcome::Done;
        }
        if matches!(tag, START_BASE | START) {
            // A refusal of the start goes back to the plan's form: what was typed stays.
            if let (Err(e), Some(sheet)) = (&result, &mut self.sheet) {
                sheet.refused(e.clone(), ctx);
                return Outcome::Done;
            }
        }
        // A refused step that was asked in a popup: the popup again, with
        // what was typed and the problem (a reason too long, a conflict).
        if let (true, Err(e), None) = (matches!(tag, STEP_BASE | STEP), &result, &self.ask) {
            if let Some(Ask::Reason(code, to, mut prompt)) = self.asked.take() {
                prompt.say(e.message(lang));
                self.ask = Some(Ask::Reason(code, to, prompt));
                self.stepping = None;
                return Outcome::Done;
            }
        }
        // Any other refusal of a step is the message on the status line.
        let Some(reply) = ctx.ok(result) else {
            if matches!(tag, STEP_BASE | STEP) {
                self.stepping = None;
            }
            return Outcome::Done;
        };
        match (tag, reply) {
            (NAMES, reply) => {
                if let Some(next) = self.services.take(reply) {
                    ctx.send(NAMES, next);
                }
            }
            (LIST, Reply::Proposals(page)) => self.take_first_page(page),
            (PAGE, Reply::Proposals(page)) => {
                self.rows.extend(page.items);
                self.more = page.next;
                self.sel.clamp(self.rows.len());
            }
            (CARD, Reply::ProposalView(v)) => {
                self.show_record(Revised { revision: v.revision, record: v.record.clone() });
                self.card = Some(v);
            }
            (STEP_BASE, Reply::Proposal(p)) => {
                if let Some((code, to, note)) = self.stepping.clone() {
                    ctx.send(STEP, Request::ProposalStep { code, base_revision: p.revision, to, note });
                }
            }
            (STEP, _) => {
                self.asked = None;
                if let Some((code, to, _)) = self.stepping.take() {
                    ctx.info(format!("{} {code} → {}", Tx::Stepped.get(lang), to.label(lang)));
                    self.refresh(code, ctx);
                }
            }
            (START_BASE, Reply::Proposal(p)) => {
                let (lang, today) = (ctx.view.lang, ctx.view.today);
                if let Some(sheet) = &mut self.sheet {
                    if let Some(plan) = plan_of(&mut sheet.editor.form, lang, today) {
                        let request = Request::PlacementStart { proposal: sheet.what, base_revision: p.revision, plan };
                        ctx.send(START, request);
                    }
                }
            }
            (START, Reply::Saved(saved)) => {
                if let Some(code) = self.sheet.take().map(|s| s.what) {
                    let opens = Tx::EnterOpens.get(lang);
                    ctx.info(format!("{} {} ({code}) · {opens}", Tx::Started.get(lang), saved.code));
                    self.created = Some(saved.code);
                    self.refresh(code, ctx);
                }
            }
            _ => {}
        }
        Outcome::Done
    }

    fn paste(&mut self, text: &str, ctx: &mut Ctx) -> Outcome {
        // The note of a step being asked for takes it, on one line.
        if let Some(Ask::Reason(_, _, prompt)) = &mut self.ask {
            prompt.paste(text);
            return Outcome::Done;
        }
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
        if let Some(ask) = self.ask.take() {
            self.answer(ask, ev, ctx);
            return Outcome::Done;
        }
        if let Some(created) = self.created.take() {
            if ev.code == KeyCode::Enter {
                return Outcome::Open(created);
            }
        }
        if let Some(a) = keys::action(STEP_KEYS, ev) {
            if !self.legal(a) {
                // Said at once: nothing typed is lost to a step the core would refuse.
                if let Some(p) = self.current() {
                    let key = STEP_KEYS.iter().find(|b| b.action == a).map_or("", |b| b.shown);
                    let name = STEP_KEYS.iter().find(|b| b.action == a).map_or("", |b| (b.label)(ctx.view.lang));
                    let status = p.record.status.label(ctx.view.lang);
                    let to = match a {
                        Act::Step(to) => Some(to),
                        Act::Start => Some(ProposalStatus::Started),
                        _ => None,
                    };
                    let why = match to.and_then(|to| self.denial(to)) {
                        Some(Denial::Service) => Tx::NotYourService,
                        Some(Denial::Role) => Tx::NotYourRole,
                        None => Tx::NotNow,
                    };
                    let lang = ctx.view.lang;
                    ctx.error(format!("{key} ({name}) {} {} ({status})", why.get(lang), p.record.code));
                }
                return Outcome::Done;
            }
            return self.act(a, ctx);
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
        if !matches!(self.mode, Mode::List) || self.ask.is_some() {
            return Outcome::Ignored;
        }
        let len = self.rows.len();
        match self.sel.pointer(ev, self.list_area, len) {
            Pointer::Open => self.act(Act::Open, ctx),
            Pointer::Scrolled | Pointer::Selected => Outcome::Done,
            Pointer::Ignored => Outcome::Ignored,
        }
    }

    /// A proposal changed: its record, if open, is asked again (the list
    /// when shown again); the list shown is asked again. Nothing when what
    /// is shown is already at that revision.
    fn changed(&mut self, ev: &Event, ctx: &mut Ctx) {
        let Some(ch) = ev.change() else { return };
        let Some(code) = ProposalCode::parse(&ch.code) else { return };
        let open = match &self.mode {
            Mode::Detail { proposal, .. } => Some((&proposal.record.code, proposal.revision)),
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
        self.who = Some(ctx.view.who.clone());
        match ProposalCode::parse(code) {
            Some(code) => {
                self.open_record(code, ctx);
                true
            }
            None => false,
        }
    }

    fn captures_text(&self) -> bool {
        self.ask.is_some() || self.sheet.as_ref().is_some_and(Sheet::captures_text)
    }

    fn unsaved(&self) -> bool {
        self.sheet.as_ref().is_some_and(Sheet::unsaved)
    }

    fn place(&mut self, area: Rect, view: &View) {
        self.list_area = list_layout(area);
        self.sel.fit(self.list_area, self.rows.len());
        if let Some(sheet) = &mut self.sheet {
            sheet.editor.place(area, view.lang);
        }
    }

    fn wants_more(&self) -> bool {
        matches!(self.mode, Mode::List)
            && self.ask.is_none()
            && self.sheet.is_none()
            && self.more.is_some()
            && near_end(&self.sel, self.rows.len())
    }

    fn load_more(&mut self, ctx: &mut Ctx) {
        self.next_page(ctx);
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let lang = view.lang;
        let theme = view.theme;
        if let Some(sheet) = &self.sheet {
            return sheet.render(frame, area, view);
        }
        if let Mode::Detail { proposal, scroll } = &self.mode {
            self.render_detail(frame, area, view, proposal, *scroll);
        } else {
            let [bar, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
            let tab = |d: Direction, t: Tx| {
                let style = if self.direction == d { theme.tab_active() } else { theme.dim() };
                Span::styled(format!(" {} ", t.get(lang)), style)
            };
            let reception = view.who.role == crate::model::Role::Reception;
            let hint = match self.direction {
                Direction::Inbox if reception => Tx::InboxHintReception,
                Direction::Inbox => Tx::InboxHint,
                _ => Tx::OutboxHint,
            };
            let spans = vec![
                tab(Direction::Inbox, Tx::Inbox),
                Span::raw(" "),
                tab(Direction::Outbox, Tx::Outbox),
                Span::styled(format!("  {}", hint.get(lang)), theme.dim()),
            ];
            frame.render_widget(Paragraph::new(Line::from(spans)), bar);
            let wide = list.width >= 100;
            let header = [Tx::Code, Tx::Needs, Tx::Family, Tx::Status, Tx::Date, Tx::Other].map(|t| t.get(lang));
            let title = if self.direction == Direction::Inbox { Tx::Inbox } else { Tx::Outbox };
            let table = TableView {
                title: format!("{} · {}", Tx::Title.get(lang), title.get(lang)),
                header: header.to_vec(),
                widths: vec![
                    Constraint::Length(11),
                    Constraint::Length(if wide { 24 } else { 13 }),
                    Constraint::Length(11),
                    Constraint::Length(if wide { 16 } else { 14 }),
                    Constraint::Length(10),
                    Constraint::Fill(1),
                ],
                len: self.rows.len(),
                focused: true,
                empty: if self.loaded { Tx::None.get(lang) } else { T::Loading.get(lang) },
            };
            let rows = &self.rows;
            let names = &self.services.names;
            let inbox = self.direction == Direction::Inbox;
            table.render(frame, list, &self.sel, theme, |i| {
                let p = &rows[i].record;
                let needs = match p.needs.as_slice() {
                    [one] => one.to_string(),
                    [first, rest @ ..] if !wide => format!("{first}+{}", rest.len()),
                    all => all.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(","),
                };
                let date = p.last_step().map(|s| format_date(s.at.date())).unwrap_or_default();
                let other = if inbox { p.need_service } else { p.family_service };
                let other = match names.get(&other) {
                    Some(name) if wide => format!("{other} {name}"),
                    _ => other.to_string(),
                };
                let status = status_word(p.status, lang);
                let status = if p.status.is_active() {
                    Line::styled(status, theme.warning())
                } else {
                    Line::styled(status, theme.dim())
                };
                vec![
                    Cell::from(p.code.to_string()),
                    Cell::from(needs),
                    Cell::from(p.host_code()),
                    Cell::from(status),
                    Cell::from(date),
                    Cell::from(other),
                ]
            });
            if self.more.is_some() {
                loading_more(frame, list, theme, T::LoadingMore.get(lang));
            }
        }
        if let Some(Ask::Reason(_, _, prompt)) = &self.ask {
            prompt.render(frame, area, view);
        }
    }
}
