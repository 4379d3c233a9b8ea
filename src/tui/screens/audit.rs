//! Registro: the audit log, newest first, for administrators and the
//! coordination: who did what to which record, and when. Filtered by a
//! record's code (asked of the core) or by a user; `v` verifies the chain.

use ratatui::crossterm::event::{KeyCode, KeyEvent, MouseEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Wrap};
use ratatui::Frame;

use super::{Ctx, Outcome, Screen, ScreenId, Tag, View};
use crate::api::AuditEntry;
use crate::api::{BankError, Cursor, Reply, Request};
use crate::i18n::{chain_break_text, format_timestamp};
use crate::model::fold::fold;
use crate::model::{RecordCode, Role};
use crate::tui::keys::{self, code, label, plain, Binding, Hint, Nav, NAV};
use crate::tui::source::CallError;
use crate::tui::text::{texts, T};
use crate::tui::widgets::list::{edit_line, loading_more, near_end, text_cell, LineKey, Pointer, Selection, TableView};

texts!(Tx {
    Title => "Registro delle operazioni", "Audit log";
    Seq => "N.", "No.";
    When => "Quando", "When";
    Who => "Chi", "Who";
    Action => "Azione", "Action";
    Record => "Scheda", "Record";
    Fields => "Campi", "Fields";
    FilterPrompt => "Filtro (utente o codice)", "Filter (user or code)";
    Verify => "verifica", "verify";
    Intact => "Registro integro:", "Audit log intact:";
    Verified => "voci verificate.", "entries verified.";
    Altered => "REGISTRO ALTERATO:", "AUDIT LOG ALTERED:";
    Reserved => "Il registro delle operazioni è riservato all'amministrazione e al coordinamento provinciale.", "The audit log is reserved for administrators and the provincial coordination.";
    None => "Nessuna voce.", "No entries.";
});

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    Open,
    Filter,
    Verify,
    Reload,
}

const KEYS: &[Binding<Act>] = &[
    Binding { keys: &[code(KeyCode::Enter)], shown: "Enter", label: label!(T::Open), action: Act::Open, bar: true },
    Binding { keys: &[plain('f')], shown: "f", label: label!(T::Filter), action: Act::Filter, bar: true },
    Binding { keys: &[plain('v')], shown: "v", label: |l| Tx::Verify.get(l), action: Act::Verify, bar: true },
    Binding { keys: &[plain('r')], shown: "r", label: label!(T::Reload), action: Act::Reload, bar: false },
];

/// How many entries a page asks for: the newest first, older ones as the operator scrolls.
const LIMIT: usize = 1000;

pub struct Audit {
    loaded: bool,
    /// Not an administrator nor the coordination: nothing is asked.
    reserved: bool,
    entries: Vec<AuditEntry>,
    /// Where the next (older) page starts, while the server has more.
    more: Option<Cursor>,
    /// Indexes of `entries` shown (the user filter is applied here).
    shown: Vec<usize>,
    sel: Selection,
    filter: String,
    editing: bool,
    list_area: Rect,
    /// A change seen while another screen was shown: reload when shown.
    stale: bool,
}

/// Why the screen asked.
const LIST: Tag = "list";
const PAGE: Tag = "page";
const VERIFY: Tag = "verify";

impl Audit {
    pub fn new() -> Audit {
        Audit {
            loaded: false,
            reserved: false,
            entries: Vec::new(),
            more: None,
            shown: Vec::new(),
            sel: Selection::default(),
            filter: String::new(),
            editing: false,
            list_area: Rect::default(),
            stale: false,
        }
    }

    /// The filter as a record code, which the core filters on.
    fn record_filter(&self) -> Option<String> {
        let f = self.filter.trim();
        let istat = f.len() == 6 && f.bytes().all(|b| b.is_ascii_digit());
        (RecordCode::parse(f).is_some() || istat).then(|| f.to_uppercase())
    }

    fn load(&mut self, ctx: &mut Ctx) {
        if self.reserved {
            return;
        }
        self.stale = false;
        let request = Request::AuditList { record: self.record_filter(), limit: LIMIT, after: None };
        ctx.latest(LIST, request);
    }

    /// The next (older) page of entries.
    fn next_page(&mut self, ctx: &mut Ctx) {
        let Some(after) = self.more.clone() else { return };
        let request = Request::AuditList { record: self.record_filter(), limit: LIMIT, after: Some(after) };
        ctx.latest(PAGE, request);
    }

    /// A user filter narrows the entries loaded; the list then grows only by explicit moves.
    fn user_filtered(&self) -> bool {
        self.record_filter().is_none() && !self.filter.trim().is_empty()
    }

    /// Applies the user filter (anything that is not a record code).
    fn arrange(&mut self) {
        let user = if self.record_filter().is_some() { String::new() } else { fold(self.filter.trim()) };
        self.shown = (0..self.entries.len())
            .filter(|&i| user.is_empty() || fold(&self.entries[i].actor).contains(&user))
            .collect();
        self.sel.clamp(self.shown.len());
    }

    /// The chain checked by the core, entry by entry.
    fn verified(&mut self, result: Result<Reply, CallError>, ctx: &mut Ctx) {
        let lang = ctx.view.lang;
        match result {
            Ok(Reply::AuditVerified { entries, .. }) => {
                ctx.info(format!("{} {entries} {}", Tx::Intact.get(lang), Tx::Verified.get(lang)))
            }
            Ok(_) => {}
            Err(CallError::Bank(BankError::AuditBroken(b))) => {
                ctx.error(format!("{} {}", Tx::Altered.get(lang), chain_break_text(&b, lang)))
            }
            Err(e) => ctx.error(e.message(lang)),
        }
    }

    fn act(&mut self, act: Act, ctx: &mut Ctx) -> Outcome {
        match act {
            Act::Open => {
                let record = self.shown.get(self.sel.selected).map(|&i| self.entries[i].record.clone());
                if let Some(record) = record.filter(|r| ScreenId::for_code(r).is_some()) {
                    return Outcome::Open(record);
                }
            }
            Act::Filter => self.editing = true,
            Act::Verify => ctx.send(VERIFY, Request::AuditVerify),
            Act::Reload => self.load(ctx),
        }
        Outcome::Done
    }
}

impl Default for Audit {
    fn default() -> Self {
        Audit::new()
    }
}

impl Screen for Audit {
    fn id(&self) -> ScreenId {
        ScreenId::Audit
    }

    fn hints(&self) -> Vec<Hint> {
        if self.reserved {
            return Vec::new();
        }
        let mut h = keys::nav_hints();
        h.extend(keys::hints(KEYS));
        h
    }

    fn activate(&mut self, ctx: &mut Ctx) {
        self.reserved = !matches!(ctx.view.who.role, Role::Admin | Role::Coordinator);
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
        if tag == VERIFY {
            self.verified(result, ctx);
            return Outcome::Done;
        }
        match (tag, ctx.ok(result)) {
            (LIST, Some(Reply::Audit(page))) => {
                self.entries = page.items;
                self.more = page.next;
                self.loaded = true;
                self.arrange();
            }
            (PAGE, Some(Reply::Audit(page))) => {
                self.entries.extend(page.items);
                self.more = page.next;
                self.arrange();
            }
            _ => {}
        }
        Outcome::Done
    }

    fn key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> Outcome {
        if self.reserved {
            return Outcome::Ignored;
        }
        if self.editing {
            match ev.code {
                KeyCode::Enter => {
                    self.editing = false;
                    self.sel = Selection { height: self.sel.height, ..Selection::default() };
                    self.load(ctx);
                }
                KeyCode::Esc => {
                    self.editing = false;
                    self.filter.clear();
                    self.load(ctx);
                }
                _ => {
                    if edit_line(&mut self.filter, ev) == LineKey::Ignored {
                        return Outcome::Ignored;
                    }
                }
            }
            return Outcome::Done;
        }
        if let Some(n) = keys::action(NAV, ev) {
            self.sel.nav(n, self.shown.len());
            let at_end = self.sel.selected + 1 >= self.shown.len();
            if at_end && self.user_filtered() && matches!(n, Nav::Down | Nav::PageDown | Nav::End) {
                self.next_page(ctx);
            }
            return Outcome::Done;
        }
        if ev.code == KeyCode::Esc && !self.filter.is_empty() {
            self.filter.clear();
            self.load(ctx);
            return Outcome::Done;
        }
        match keys::action(KEYS, ev) {
            Some(a) => self.act(a, ctx),
            None => Outcome::Ignored,
        }
    }

    fn mouse(&mut self, ev: &MouseEvent, ctx: &mut Ctx) -> Outcome {
        if self.reserved {
            return Outcome::Ignored;
        }
        match self.sel.pointer(ev, self.list_area, self.shown.len()) {
            Pointer::Open => self.act(Act::Open, ctx),
            Pointer::Scrolled | Pointer::Selected => Outcome::Done,
            Pointer::Ignored => Outcome::Ignored,
        }
    }

    fn changed(&mut self, _ev: &crate::api::Event, ctx: &mut Ctx) {
        // Every committed change writes an entry: read the newest again.
        if self.loaded && !self.reserved {
            self.load(ctx);
        }
    }

    fn captures_text(&self) -> bool {
        self.editing
    }

    fn wants_more(&self) -> bool {
        !self.reserved
            && !self.editing
            && self.more.is_some()
            && !self.user_filtered()
            && near_end(&self.sel, self.shown.len())
    }

    fn load_more(&mut self, ctx: &mut Ctx) {
        self.next_page(ctx);
    }

    /// Laid out as `render` lays it out: the filter's line, then the table.
    fn place(&mut self, area: Rect, _view: &View) {
        let [_, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
        self.list_area = list;
        self.sel.fit(list, self.shown.len());
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let lang = view.lang;
        let theme = view.theme;
        if self.reserved {
            let block = Block::default()
                .borders(Borders::ALL)
                .border_style(theme.border())
                .title(Span::styled(format!(" {} ", Tx::Title.get(lang)), theme.title()));
            let text = Paragraph::new(Tx::Reserved.get(lang)).block(block).wrap(Wrap { trim: true });
            frame.render_widget(text, area);
            return;
        }
        let [bar, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
        let mut spans = vec![
            Span::styled(format!("{}: ", Tx::FilterPrompt.get(lang)), theme.dim()),
            Span::raw(self.filter.clone()),
        ];
        if self.editing {
            spans.push(Span::styled("█", theme.key()));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), bar);
        let wide = list.width >= 100;
        let header = [Tx::Seq, Tx::When, Tx::Who, Tx::Action, Tx::Record, Tx::Fields].map(|t| t.get(lang));
        let table = TableView {
            title: Tx::Title.get(lang).to_string(),
            header: header.to_vec(),
            widths: vec![
                Constraint::Length(4),
                Constraint::Length(16),
                Constraint::Length(if wide { 12 } else { 10 }),
                Constraint::Length(if wide { 24 } else { 15 }),
                Constraint::Length(11),
                Constraint::Fill(1),
            ],
            len: self.shown.len(),
            focused: !self.editing,
            empty: if self.loaded { Tx::None.get(lang) } else { T::Loading.get(lang) },
        };
        let entries = &self.entries;
        let shown = &self.shown;
        table.render(frame, list, &self.sel, theme, |i| {
            let e = &entries[shown[i]];
            let fields: Vec<String> = crate::i18n::audit_fields(e, lang);
            vec![
                Cell::from(e.seq.to_string()),
                Cell::from(format_timestamp(e.at)),
                text_cell(&e.actor),
                Cell::from(e.action.label(lang)),
                text_cell(&e.record),
                text_cell(&fields.join(", ")),
            ]
        });
        if self.more.is_some() {
            loading_more(frame, list, theme, T::LoadingMore.get(lang));
        }
    }
}
