//! One record screen for every kind: the list, loaded page by page (status
//! filter, order, text filter; the selection stays on its record when the
//! list reorders), a record's card (a `present` document), and the form for
//! a new record or a change (the core's refusals next to their fields, a
//! conflict shown against what is stored now). A kind gives only what is
//! its own (`RecordUi`): families, needs and services are thin.
//!
//! Keys are offered only where legal: `n` to who may create, `e` (and a
//! kind's keys) only on a record the operator may change. A new record is
//! named on the status line and the next Enter opens it.

mod kind;

pub use kind::{Own, OwnKeys, RecordUi};

use std::collections::{BTreeSet, VecDeque};

use ratatui::crossterm::event::{KeyCode, KeyEvent, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use super::{Ctx, Notice, Outcome, Screen, ScreenId, ServiceNames, Tag, View};
use crate::api::{BankError, Cursor, Event, Page, Principal, Reply};
use crate::i18n::format_timestamp;
use crate::model::fold::fold;
use crate::tui::keys::{self, code, label, plain, Binding, Hint, Key, Nav, NAV};
use crate::tui::source::CallError;
use crate::tui::text::{texts, T};
use crate::tui::widgets::doc;
use crate::tui::widgets::form::{assignment_fields, EditStep, Editor, Form, Fx, Step};
use crate::tui::widgets::list::{edit_line, loading_more, near_end, scrolled, LineKey, Pointer, Selection, TableView};

texts!(Rx {
    AllStatuses => "tutti gli stati", "every status";
    SortedBy => "ordine", "sorted by";
    FilterPrompt => "Filtro", "Filter";
    StatusFilter => "stato", "status";
    EnterOpens => "Invio lo apre", "Enter opens it";
    StillSaving => "salvataggio in corso: attendere la risposta", "saving: wait for the answer";
    Filters => "filtri", "filters";
});

/// Why the screen asked (a kind's own tags are other words).
const LIST: Tag = "list";
const PAGE: Tag = "page";
const RECORD: Tag = "record";
const EDIT: Tag = "edit";
const SAVE: Tag = "save";
const CONFLICT: Tag = "conflict";
const ROW: Tag = "row";
const NAMES: Tag = "names";

/// What a key of the record screen does; `Own`: the kind's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act<A> {
    Open,
    Back,
    Filter,
    Status,
    Sort,
    Query,
    New,
    Edit,
    Reload,
    Own(A),
}

const ENTER: &[Key] = &[code(KeyCode::Enter)];
const ESC: &[Key] = &[code(KeyCode::Esc)];
const F: &[Key] = &[plain('f')];
const S: &[Key] = &[plain('s')];
const O: &[Key] = &[plain('o')];
const QUERY: &[Key] = &[plain('F')];
const N: &[Key] = &[plain('n')];
const E: &[Key] = &[plain('e')];
const R: &[Key] = &[plain('r')];

fn bind<A: Copy>(keys: &'static [Key], shown: &'static str, label: keys::Label, action: A, bar: bool) -> Binding<A> {
    Binding { keys, shown, label, action, bar }
}

fn own<A: Copy>(bindings: &[Binding<A>]) -> impl Iterator<Item = Binding<Act<A>>> + '_ {
    bindings.iter().map(|b| Binding {
        keys: b.keys,
        shown: b.shown,
        label: b.label,
        action: Act::Own(b.action),
        bar: b.bar,
    })
}

enum Mode<R> {
    List,
    /// The record, scrolled by so many lines.
    Detail {
        record: Box<R>,
        scroll: u16,
    },
    /// The filters the core applies (`F`): applied with the form's save key.
    Query(Box<Form>),
    /// A new record or a change: kept while the operator is elsewhere.
    Form {
        editor: Box<Editor>,
        /// The record edited (what the form does not show is sent back as it was).
        base: Option<Box<R>>,
        /// A kind's own form (`Own::Form`), saved by `RecordUi::save_own`;
        /// `None`: the record's form.
        purpose: Option<Tag>,
    },
}

pub struct RecordScreen<K: RecordUi> {
    /// The kind's own state (a service's operators…).
    pub kind: K,
    loaded: bool,
    /// Who uses the screen, as last activated: which keys are legal.
    who: Option<Principal>,
    /// The role may create these records: `n` is offered.
    may_create: bool,
    /// The pages loaded so far, in code order.
    rows: Vec<K::Record>,
    /// Where the next page starts, while the server has more.
    more: Option<Cursor>,
    /// Each row's text for the `f` filter, folded once rather than at every
    /// keystroke; emptied whenever `rows` change.
    hay: Vec<String>,
    /// Indexes of `rows` shown, in order.
    shown: Vec<usize>,
    sel: Selection,
    /// The status filter, an index of `K::statuses`.
    status: Option<usize>,
    /// The order, an index of `K::sorts`.
    sort: usize,
    filter: String,
    editing_filter: bool,
    mode: Mode<K::Record>,
    /// Where the table was last drawn: the mouse's rows and the keys' page
    /// height. Layout, not data: drawing records it and changes nothing else.
    list_area: Rect,
    /// The screen's whole area as last laid out (the card's frame).
    area: Rect,
    /// Records changed while their card or form was shown: their rows are asked again on Esc.
    changed_rows: Vec<K::Code>,
    /// Rows asked again, in the order asked (replies come in that order).
    rows_asked: VecDeque<K::Code>,
    /// A change seen while another screen was shown: reload when shown.
    stale: bool,
    /// The bank's services, for a new record of a caller of no service.
    names: ServiceNames,
    /// The saved change that met a newer revision: who and when, while the record is fetched.
    conflict: Option<(String, String)>,
    /// Own changes sent and not answered yet.
    saving: usize,
    /// The last own change answered (code, revision): the screen asks for it
    /// itself, so the event it raises asks nothing more.
    own: Option<(String, u64)>,
    /// The kind's change tags in flight (`Own::Change`), answered like a save.
    changing: Vec<Tag>,
    /// A record just created, named on the status line: the next Enter
    /// opens it (any other key forgets it).
    created: Option<K::Code>,
    /// The filters' form last applied, while its list is on the way: a
    /// refusal of the core opens it again with the problems by their fields.
    query_sent: Option<Box<Form>>,
    /// The filters' form is open again because the core refused what it sent.
    query_refused: bool,
}

impl<K: RecordUi + Default> RecordScreen<K> {
    pub fn new() -> RecordScreen<K> {
        RecordScreen::with(K::default())
    }
}

impl<K: RecordUi + Default> Default for RecordScreen<K> {
    fn default() -> Self {
        RecordScreen::new()
    }
}

impl<K: RecordUi> RecordScreen<K> {
    pub fn with(kind: K) -> RecordScreen<K> {
        RecordScreen {
            kind,
            loaded: false,
            who: None,
            may_create: false,
            rows: Vec::new(),
            more: None,
            hay: Vec::new(),
            shown: Vec::new(),
            sel: Selection::default(),
            status: None,
            sort: 0,
            filter: String::new(),
            editing_filter: false,
            mode: Mode::List,
            list_area: Rect::default(),
            area: Rect::default(),
            changed_rows: Vec::new(),
            rows_asked: VecDeque::new(),
            stale: false,
            names: ServiceNames::default(),
            conflict: None,
            saving: 0,
            own: None,
            changing: Vec::new(),
            created: None,
            query_sent: None,
            query_refused: false,
        }
    }

    /// The list is shown (not a card or a form).
    pub fn in_list(&self) -> bool {
        matches!(self.mode, Mode::List) && !self.editing_filter
    }

    /// The records loaded so far, in code order.
    pub fn rows(&self) -> &[K::Record] {
        &self.rows
    }

    /// The record the keys act on: the card's, or the list's selected one.
    pub fn current(&self) -> Option<&K::Record> {
        match &self.mode {
            Mode::Detail { record, .. } => Some(record),
            Mode::List => self.selected(),
            Mode::Form { .. } | Mode::Query(_) => None,
        }
    }

    fn learn(&mut self, view: &View) {
        self.may_create = K::may_create(view);
        self.who = Some(view.who.clone());
    }

    /// Asks for the first page of the list.
    fn load(&mut self, ctx: &mut Ctx) {
        self.stale = false;
        self.changed_rows.clear();
        ctx.latest(LIST, self.kind.list_with(self.status));
    }

    /// Asks for the next page, after the rows loaded.
    fn next_page(&mut self, ctx: &mut Ctx) {
        let Some(after) = self.more.clone() else { return };
        ctx.latest(PAGE, self.kind.list_with(self.status).page_after(Some(after)));
    }

    /// A page came: the first replaces the rows, a next one extends them.
    fn take_page(&mut self, page: Page<K::Record>, first: bool) {
        let selected = self.selected().map(K::code);
        if first {
            self.rows = page.items.into_iter().map(K::shared).collect();
            self.loaded = true;
        } else {
            // Events add only records before the cursor (`within_loaded`): none is here twice.
            let known: BTreeSet<K::Code> = self.rows.iter().map(K::code).collect();
            self.rows.extend(page.items.into_iter().filter(|r| !known.contains(&K::code(r))).map(K::shared));
        }
        self.more = page.next;
        self.hay.clear();
        // A record just created is selected as soon as its row is in.
        self.arrange(self.created.or(selected));
    }

    /// Whether what is shown of a record (its card, or else its row) is
    /// already at `revision` or later.
    fn shows_revision(&self, code: K::Code, revision: u64) -> bool {
        match &self.mode {
            Mode::Detail { record, .. } if K::code(record) == code => K::revision(record) >= revision,
            _ => self.rows.iter().find(|r| K::code(r) == code).is_some_and(|r| K::revision(r) >= revision),
        }
    }

    /// Whether a record belongs among the rows loaded: all of them are, or
    /// its code comes before the next page (later ones come with their page).
    fn within_loaded(&self, code: K::Code) -> bool {
        self.more.is_none() || self.rows.iter().any(|r| K::code(r) >= code)
    }

    /// The kind's own filters are set: which records the list keeps, and
    /// what its rows show of them (a distance), only the list's answer says.
    fn filtered(&self) -> bool {
        self.kind.query_summary(crate::i18n::Lang::It).is_some()
    }

    fn selected(&self) -> Option<&K::Record> {
        self.shown.get(self.sel.selected).map(|&i| &self.rows[i])
    }

    /// Filters and sorts `rows` into `shown`, keeping `keep` selected.
    fn arrange(&mut self, keep: Option<K::Code>) {
        let needle = fold(self.filter.trim());
        let words: Vec<&str> = needle.split_whitespace().collect();
        if !words.is_empty() && self.hay.len() != self.rows.len() {
            self.hay = self.rows.iter().map(K::filter_text).collect();
        }
        let hay = &self.hay;
        self.shown = (0..self.rows.len()).filter(|&i| words.iter().all(|w| hay[i].contains(w))).collect();
        K::sort(&self.rows, &mut self.shown, self.sort);
        self.sel.height = self.page_rows();
        let at = keep
            .and_then(|c| self.shown.iter().position(|&i| K::code(&self.rows[i]) == c))
            .unwrap_or(self.sel.selected);
        self.sel.select(at, self.shown.len());
    }

    /// Rows that fit in the table as last drawn (borders and header take three lines).
    fn page_rows(&self) -> usize {
        usize::from(self.list_area.height.saturating_sub(3)).max(1)
    }

    /// The selection's window fitted to the table as last drawn, as drawing
    /// fits it: keys, clicks and drawing agree on which rows are shown.
    fn fit(&mut self) {
        self.sel.height = self.page_rows();
        self.sel.clamp(self.shown.len());
    }

    fn legal(&self, act: Act<K::Act>) -> bool {
        let Some(who) = &self.who else { return true };
        match act {
            Act::New => self.may_create,
            Act::Edit => self.current().is_some_and(|r| K::may_edit(who, r)),
            Act::Own(a) => K::legal(a, who, self.current()),
            _ => true,
        }
    }

    /// The list's keys, or the card's, in the order the help shows them.
    fn bindings(&self) -> Vec<Binding<Act<K::Act>>> {
        let detail = matches!(self.mode, Mode::Detail { .. });
        let own_keys = K::own_keys(detail);
        let mut v = Vec::new();
        if detail {
            v.push(bind(ESC, "Esc", label!(T::Back), Act::Back, true));
        } else {
            v.push(bind(ENTER, "Enter", label!(T::Open), Act::Open, true));
            v.push(bind(F, "f", label!(T::Filter), Act::Filter, true));
            if !K::statuses(crate::i18n::Lang::It).is_empty() {
                v.push(bind(S, "s", |l| Rx::StatusFilter.get(l), Act::Status, true));
            }
            if K::sorts(crate::i18n::Lang::It).len() > 1 {
                v.push(bind(O, "o", label!(T::Sort), Act::Sort, true));
            }
            if self.kind.query_form(crate::i18n::Lang::It).is_some() {
                v.push(bind(QUERY, "F", |l| Rx::Filters.get(l), Act::Query, true));
            }
        }
        v.extend(own(own_keys.before_edit));
        if !detail {
            v.push(bind(N, "n", label!(T::New), Act::New, true));
        }
        v.push(bind(E, "e", label!(T::Edit), Act::Edit, true));
        v.extend(own(own_keys.after_edit));
        v.push(bind(R, "r", label!(T::Reload), Act::Reload, false));
        v
    }

    fn act(&mut self, act: Act<K::Act>, ctx: &mut Ctx) -> Outcome {
        match act {
            Act::Open => {
                if let Some(code) = self.selected().map(K::code) {
                    self.open_record(code, ctx);
                }
            }
            Act::Back => {
                self.mode = Mode::List;
                // Rows changed while the record was shown are asked again now
                // (a list filtered by the core: the list, which alone knows what it keeps).
                let changed = std::mem::take(&mut self.changed_rows);
                if !self.filtered() {
                    for code in changed {
                        self.refresh_one(code, ctx);
                    }
                } else if !changed.is_empty() {
                    self.load(ctx);
                }
            }
            Act::Filter => self.editing_filter = true,
            Act::Status => {
                let count = K::statuses(ctx.view.lang).len();
                self.status = match self.status {
                    None => Some(0),
                    Some(i) => (i + 1 < count).then_some(i + 1),
                };
                self.sel = Selection { height: self.sel.height, ..Selection::default() };
                self.load(ctx);
            }
            Act::Sort => {
                self.sort = (self.sort + 1) % K::sorts(ctx.view.lang).len().max(1);
                let keep = self.selected().map(K::code);
                self.arrange(keep);
            }
            Act::Query => {
                if let Some(form) = self.kind.query_form(ctx.view.lang) {
                    *ctx.notice = None;
                    self.mode = Mode::Query(Box::new(form));
                }
            }
            Act::New if !self.may_create => {
                ctx.error(format!("n ({}): {}", T::New.get(ctx.view.lang), T::NotForRole.get(ctx.view.lang)));
            }
            Act::New => {
                // A caller of no service picks the service among the bank's: asked for first.
                if K::assigned() && ctx.view.who.service.is_none() && !self.names.complete {
                    self.names = ServiceNames::default();
                    ctx.send(NAMES, ServiceNames::request());
                } else {
                    self.new_form(ctx);
                }
            }
            Act::Edit => self.edit(ctx),
            Act::Reload => match &self.mode {
                Mode::Detail { record, .. } => {
                    let code = K::code(record);
                    self.open_record(code, ctx);
                }
                Mode::List => self.load(ctx),
                Mode::Form { .. } | Mode::Query(_) => {}
            },
            Act::Own(a) => {
                let on = match &self.mode {
                    Mode::Detail { record, .. } => Some(record.as_ref()),
                    Mode::List => self.shown.get(self.sel.selected).map(|&i| &self.rows[i]),
                    Mode::Form { .. } | Mode::Query(_) => None,
                };
                let step = self.kind.act(a, on, ctx);
                return self.follow(step, ctx);
            }
        }
        Outcome::Done
    }

    /// The card previewed under the list follows the selection: what it needs is asked for.
    fn preview(&mut self, ctx: &mut Ctx) {
        if !K::PREVIEW || !matches!(self.mode, Mode::List) {
            return;
        }
        if let Some(&i) = self.shown.get(self.sel.selected) {
            self.kind.shown(&self.rows[i], ctx);
        }
    }

    /// Does what the kind asked for.
    fn follow(&mut self, step: Own, ctx: &mut Ctx) -> Outcome {
        match step {
            Own::Done => {}
            Own::Outcome(o) => return o,
            Own::Ask(tag, request) => ctx.send(tag, request),
            Own::Change(tag, request) => {
                self.saving += 1;
                self.changing.push(tag);
                ctx.send(tag, request);
            }
            Own::Form { form, code, revision, purpose } => {
                let base = self.current().cloned();
                *ctx.notice = None;
                let editor = Box::new(Editor::new(*form, code, revision));
                self.mode = Mode::Form { editor, base: base.map(Box::new), purpose: Some(purpose) };
            }
        }
        Outcome::Done
    }

    /// The filters' form applied: the list asked again with them, from its
    /// first record; what the kind refuses stays in the form, by its field.
    fn apply_query(&mut self, ctx: &mut Ctx) {
        let lang = ctx.view.lang;
        let Mode::Query(form) = &mut self.mode else { return };
        let bad = form.check_all(lang, ctx.view.today);
        if !bad.is_empty() {
            ctx.error(format!("{} {}", Fx::ToFix.get(lang), bad.join(", ")));
            return;
        }
        match self.kind.take_query(form) {
            Ok(order) => {
                if let Some(order) = order {
                    self.sort = order;
                }
                let Mode::Query(form) = std::mem::replace(&mut self.mode, Mode::List) else { return };
                self.query_sent = Some(form);
                self.query_refused = false;
                self.sel = Selection { height: self.sel.height, ..Selection::default() };
                self.load(ctx);
            }
            Err(problems) => {
                form.set_problems(&problems, lang);
                let labels: Vec<String> = problems.iter().map(|p| p.field.label(lang)).collect();
                ctx.error(format!("{} {}", Fx::ToFix.get(lang), labels.join(", ")));
            }
        }
    }

    /// A form opens: what the status line said (a refusal, "Salvato: …")
    /// is about something else now.
    fn open_form(&mut self, editor: Editor, base: Option<K::Record>, ctx: &mut Ctx) {
        *ctx.notice = None;
        self.mode = Mode::Form { editor: Box::new(editor), base: base.map(Box::new), purpose: None };
    }

    fn new_form(&mut self, ctx: &mut Ctx) {
        let mut form = K::form(None, ctx.view.lang);
        if K::assigned() {
            form.fields.splice(0..0, assignment_fields(ctx.view, &self.names));
        }
        self.open_form(Editor::new(form, None, 0), None, ctx);
    }

    /// Asks for the record as stored now, to edit it; refused at once where
    /// the operator may not change it.
    fn edit(&mut self, ctx: &mut Ctx) {
        let Some(record) = self.current() else { return };
        let code = K::code(record);
        if !self.legal(Act::Edit) {
            ctx.error(format!("{code}: {}", K::not_editable(ctx.view.lang)));
            return;
        }
        ctx.send(EDIT, K::get(code));
    }

    /// The form on the record as stored now.
    fn edit_form(&mut self, record: K::Record, ctx: &mut Ctx) {
        let code = K::code(&record);
        if !K::whole(&record) {
            ctx.error(format!("{code}: {}", K::not_editable(ctx.view.lang)));
            return;
        }
        let form = K::form(Some(&record), ctx.view.lang);
        let editor = Editor::new(form, Some(code.to_string()), K::revision(&record));
        self.open_form(editor, Some(record), ctx);
    }

    /// Sends the form; the core's refusals go next to their fields, a
    /// conflict opens the comparison with what is stored now.
    fn save(&mut self, ctx: &mut Ctx) {
        let lang = ctx.view.lang;
        let today = ctx.view.today;
        // One save at a time: a second press while the first is on its way
        // would create the record twice (or meet itself as a conflict).
        if self.saving > 0 {
            ctx.info(Rx::StillSaving.get(lang));
            return;
        }
        let Mode::Form { editor, base, purpose } = &mut self.mode else { return };
        let mut bad = editor.form.check_all(lang, today);
        bad.extend(K::check(&mut editor.form, lang));
        if !bad.is_empty() {
            if let Some(i) = editor.form.fields.iter().position(|f| f.error.is_some()) {
                editor.form.enter(i);
            }
            ctx.error(format!("{} {}", Fx::ToFix.get(lang), bad.join(", ")));
            return;
        }
        let code = editor.code.as_deref().and_then(K::parse);
        let request = match purpose {
            Some(p) => match K::save_own(p, &editor.form, base.as_deref(), code, editor.base_revision, today) {
                Ok(request) => request,
                Err(problems) => {
                    editor.form.set_problems(&problems, lang);
                    let labels: Vec<String> = problems.iter().map(|p| p.field.label(lang)).collect();
                    ctx.error(format!("{} {}", Fx::ToFix.get(lang), labels.join(", ")));
                    return;
                }
            },
            None => K::save(&editor.form, base.as_deref(), code, editor.base_revision, today),
        };
        self.saving += 1;
        ctx.send(SAVE, request);
    }

    /// The core's answer to the form: the record saved, or refusals next
    /// to their fields, or a conflict (the record as stored now is asked for).
    fn saved(&mut self, result: Result<Reply, CallError>, ctx: &mut Ctx) {
        let lang = ctx.view.lang;
        let Mode::Form { editor, purpose, .. } = &mut self.mode else {
            // The form was left while its save was on the way: what was saved is still said.
            if let Ok(Reply::Saved(saved)) = result {
                ctx.info(format!("{} {}", ctx.view.t(T::Saved), saved.code));
                self.load(ctx);
            }
            return;
        };
        let new = editor.code.is_none();
        match result {
            Ok(Reply::Saved(saved)) => {
                let code = K::parse(&saved.code);
                self.mode = Mode::List;
                self.load(ctx);
                if new {
                    // Named, and selected in the list as soon as it comes: Enter opens it.
                    ctx.info(format!("{} {} · {}", ctx.view.t(T::Saved), saved.code, Rx::EnterOpens.get(lang)));
                    self.created = code;
                } else {
                    ctx.info(format!("{} {}", ctx.view.t(T::Saved), saved.code));
                    if let Some(code) = code {
                        self.open_record(code, ctx);
                    }
                }
            }
            Ok(_) => {}
            Err(CallError::Bank(BankError::Invalid(problems))) => {
                editor.form.set_problems(&problems, lang);
                let labels: Vec<String> = problems.iter().map(|p| p.field.label(lang)).collect();
                ctx.error(format!("{} {}", Fx::ToFix.get(lang), labels.join(", ")));
            }
            Err(CallError::Bank(BankError::Conflict { code, changed_by, changed_at, .. })) if purpose.is_none() => {
                let Some(code) = K::parse(&code) else { return };
                self.conflict = Some((changed_by, format_timestamp(changed_at)));
                ctx.send(CONFLICT, K::get(code));
            }
            Err(e) => {
                let message = e.message(lang);
                editor.form.top = vec![message.clone()];
                ctx.error(message);
            }
        }
    }

    /// The record as stored now, next to what the operator typed.
    fn show_conflict(&mut self, now: K::Record, lang: crate::i18n::Lang) {
        let Some((changed_by, changed_at)) = self.conflict.take() else { return };
        let Mode::Form { editor, base, purpose: None } = &mut self.mode else { return };
        let current = K::form(Some(&now), lang);
        editor.start_conflict(current, K::revision(&now), changed_by, changed_at, lang);
        *base = Some(Box::new(now));
    }

    /// Leaves the form: back to the record it edited, or to the list.
    fn close_form(&mut self, ctx: &mut Ctx) {
        let code = match &self.mode {
            Mode::Form { editor, .. } => editor.code.as_deref().and_then(K::parse),
            _ => None,
        };
        self.mode = Mode::List;
        if let Some(code) = code {
            self.open_record(code, ctx);
        }
    }

    /// Asks for a record, to show it.
    fn open_record(&mut self, code: K::Code, ctx: &mut Ctx) {
        ctx.latest(RECORD, K::get(code));
    }

    /// The record came: it is shown (where it was scrolled, if it was already).
    fn show_record(&mut self, record: K::Record, ctx: &mut Ctx) {
        let code = K::code(&record);
        let scroll = match &self.mode {
            Mode::Detail { record: old, scroll } if K::code(old) == code => *scroll,
            _ => 0,
        };
        if let Some(i) = self.shown.iter().position(|&i| K::code(&self.rows[i]) == code) {
            self.sel.height = self.page_rows();
            self.sel.select(i, self.shown.len());
        }
        if let Some(p) = self.rows.iter().position(|r| K::code(r) == code) {
            self.rows[p] = K::shared(record.clone());
        }
        self.kind.shown(&record, ctx);
        self.mode = Mode::Detail { record: Box::new(record), scroll };
    }

    /// Asks for one record again, for its row (and its card, if open: only
    /// then the whole record, since only then is it shown).
    fn refresh_one(&mut self, code: K::Code, ctx: &mut Ctx) {
        self.rows_asked.push_back(code);
        let card = matches!(&self.mode, Mode::Detail { record, .. } if K::code(record) == code);
        ctx.send(ROW, if card { K::get(code) } else { K::row(code) });
    }

    /// One record as it is now (`None`: gone or no longer visible): its
    /// row and its card, if open, show it.
    fn take_row(&mut self, code: K::Code, fresh: Option<K::Record>) {
        let keep = self.selected().map(K::code);
        self.hay.clear();
        let pos = self.rows.iter().position(|r| K::code(r) == code);
        match (fresh, pos) {
            (Some(r), _) if self.status.is_some() && K::status_of(&r) != self.status => {
                if let Some(p) = pos {
                    self.rows.remove(p);
                }
            }
            (Some(r), Some(p)) => self.rows[p] = K::shared(r),
            (Some(r), None) if self.within_loaded(code) => self.rows.push(K::shared(r)),
            (Some(_), None) => {}
            (None, Some(p)) => {
                self.rows.remove(p);
            }
            (None, None) => {}
        }
        self.arrange(keep);
    }

    /// A key, in the form, the filter, the list or the card.
    fn take_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> Outcome {
        if let Mode::Query(form) = &mut self.mode {
            return match form.key(ev, ctx.view.lang, ctx.view.today) {
                Step::Stay => Outcome::Done,
                Step::Ignored => Outcome::Ignored,
                Step::Save => {
                    self.apply_query(ctx);
                    Outcome::Done
                }
                Step::Cancel => {
                    self.mode = Mode::List;
                    // "Da correggere: …" was about the form just left.
                    *ctx.notice = None;
                    if std::mem::take(&mut self.query_refused) {
                        // Left after a refusal: the filters the core last answered, not the refused ones.
                        if let Some(order) = self.kind.query_abandoned() {
                            self.sort = order;
                        }
                        self.sel = Selection { height: self.sel.height, ..Selection::default() };
                        self.load(ctx);
                    }
                    Outcome::Done
                }
            };
        }
        if let Mode::Form { editor, .. } = &mut self.mode {
            return match editor.key(ev, ctx.view.lang, ctx.view.today) {
                EditStep::Stay => {
                    to_fix_follows(editor, ctx);
                    Outcome::Done
                }
                EditStep::Ignored => Outcome::Ignored,
                EditStep::Save => {
                    self.save(ctx);
                    Outcome::Done
                }
                EditStep::Close => {
                    self.close_form(ctx);
                    Outcome::Done
                }
            };
        }
        if let Some(created) = self.created.take() {
            if ev.code == KeyCode::Enter && !self.editing_filter {
                self.open_record(created, ctx);
                return Outcome::Done;
            }
        }
        if self.editing_filter {
            let keep = self.selected().map(K::code);
            match edit_line(&mut self.filter, ev) {
                LineKey::Finished(_) => self.editing_filter = false,
                LineKey::Edited => {}
                LineKey::Ignored => return Outcome::Ignored,
            }
            self.arrange(keep);
            return Outcome::Done;
        }
        self.fit();
        if let Some(n) = keys::action(NAV, ev) {
            match &mut self.mode {
                Mode::Detail { record, scroll } => {
                    // No further than the card's last line at the bottom of its frame (End included).
                    let width = self.area.width.saturating_sub(2);
                    let lines = doc::lines(&self.kind.document(record, ctx.view.lang), ctx.view.theme, width).len();
                    let last = lines.saturating_sub(usize::from(self.area.height.saturating_sub(2)));
                    *scroll = scrolled(*scroll, n).min(u16::try_from(last).unwrap_or(u16::MAX));
                }
                _ => {
                    self.sel.nav(n, self.shown.len());
                    // With a text filter the list does not grow by itself: each move past its end fetches a page.
                    let at_end = self.sel.selected + 1 >= self.shown.len();
                    let onward = matches!(n, Nav::Down | Nav::PageDown | Nav::End);
                    if at_end && onward && !self.filter.trim().is_empty() {
                        self.next_page(ctx);
                    }
                }
            }
            return Outcome::Done;
        }
        if matches!(self.mode, Mode::List) && ev.code == KeyCode::Esc && !self.filter.is_empty() {
            let keep = self.selected().map(K::code);
            self.filter.clear();
            self.arrange(keep);
            return Outcome::Done;
        }
        match keys::action(&self.bindings(), ev) {
            Some(a) => self.act(a, ctx),
            None => Outcome::Ignored,
        }
    }

    /// Draws the list or the card; changes nothing.
    fn draw(&self, frame: &mut Frame, area: Rect, view: &View) {
        match &self.mode {
            Mode::Detail { record, scroll } => self.draw_card(frame, area, view, record, *scroll),
            Mode::List => self.draw_list(frame, area, view),
            Mode::Form { .. } | Mode::Query(_) => {}
        }
    }

    fn draw_card(&self, frame: &mut Frame, area: Rect, view: &View, record: &K::Record, scroll: u16) {
        let theme = view.theme;
        let title = format!(" {} {} ", K::title(view.lang), K::code(record));
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border_focused())
            .title(Span::styled(title, theme.title()));
        let lines = doc::lines(&self.kind.document(record, view.lang), theme, area.width.saturating_sub(2));
        frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }).scroll((scroll, 0)), area);
    }

    /// Where the list's parts go in `area`: the filter line, the table and
    /// (services) the selected record's card; one layout for drawing,
    /// clicks and page heights.
    fn layout(&self, area: Rect) -> (Rect, Rect, Option<Rect>) {
        let [bar, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
        if !K::PREVIEW {
            return (bar, list, None);
        }
        // The list as tall as it needs (at most half), the selected record's card below.
        let height = (self.shown.len() as u16 + 3).clamp(5, area.height / 2);
        let [top, card] = Layout::vertical([Constraint::Length(height), Constraint::Min(3)]).areas(list);
        (bar, top, Some(card))
    }

    fn draw_list(&self, frame: &mut Frame, area: Rect, view: &View) {
        let (lang, theme) = (view.lang, view.theme);
        let (bar, list, card) = self.layout(area);
        if let Some(card) = card {
            let lines = match self.selected() {
                Some(r) => doc::lines(&self.kind.document(r, lang), theme, card.width.saturating_sub(2)),
                None => Vec::new(),
            };
            let block = Block::default().borders(Borders::ALL).border_style(theme.border());
            frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), card);
        }
        let mut spans = Vec::new();
        let statuses = K::statuses(lang);
        if !statuses.is_empty() {
            let status = self.status.and_then(|i| statuses.get(i).copied()).unwrap_or(Rx::AllStatuses.get(lang));
            spans.push(Span::styled(format!("{}: ", Rx::StatusFilter.get(lang)), theme.dim()));
            spans.push(Span::raw(format!("{status}  ")));
        }
        let sorts = K::sorts(lang);
        if sorts.len() > 1 {
            spans.push(Span::styled(format!("{}: ", Rx::SortedBy.get(lang)), theme.dim()));
            spans.push(Span::raw(format!("{}  ", sorts.get(self.sort).copied().unwrap_or_default().to_lowercase())));
        }
        spans.push(Span::styled(format!("{}: ", Rx::FilterPrompt.get(lang)), theme.dim()));
        spans.push(Span::raw(self.filter.clone()));
        if self.editing_filter {
            spans.push(Span::styled("█", theme.key()));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), bar);
        let (header, widths) = self.kind.columns_now(lang, list.width);
        let title = match self.kind.query_summary(lang) {
            Some(summary) => format!("{} · {summary}", K::title(lang)),
            None => K::title(lang).to_string(),
        };
        let table = TableView {
            title,
            header,
            widths,
            len: self.shown.len(),
            focused: true,
            empty: if self.loaded { K::empty(lang) } else { T::Loading.get(lang) },
        };
        let cells = |i: usize| self.kind.cells_now(&self.rows[self.shown[i]], lang, list.width, theme);
        table.render(frame, list, &self.sel, theme, cells);
        if self.more.is_some() {
            loading_more(frame, list, theme, T::LoadingMore.get(lang));
        }
    }
}

impl<K: RecordUi> Screen for RecordScreen<K> {
    fn id(&self) -> ScreenId {
        K::SCREEN
    }

    fn hints(&self) -> Vec<Hint> {
        match &self.mode {
            Mode::Form { editor, .. } => editor.hints(),
            Mode::Query(_) => Form::hints(),
            Mode::List => {
                let mut h = keys::nav_hints();
                h.extend(self.bindings().iter().filter(|b| self.legal(b.action)).map(Binding::hint));
                h
            }
            Mode::Detail { .. } => {
                let mut h: Vec<Hint> =
                    self.bindings().iter().filter(|b| self.legal(b.action)).map(Binding::hint).collect();
                h.extend(keys::nav_hints());
                h
            }
        }
    }

    fn activate(&mut self, ctx: &mut Ctx) {
        self.learn(ctx.view);
        if !self.loaded || self.stale {
            self.reload(ctx);
        }
    }

    fn reload(&mut self, ctx: &mut Ctx) {
        self.load(ctx);
        if let Mode::Detail { record, .. } = &self.mode {
            let code = K::code(record);
            self.open_record(code, ctx);
        }
    }

    fn is_stale(&self) -> bool {
        self.stale && self.loaded
    }

    fn mark_stale(&mut self) {
        self.stale = true;
    }

    fn reply(&mut self, tag: Tag, result: Result<Reply, CallError>, ctx: &mut Ctx) -> Outcome {
        let change = self.changing.iter().position(|&t| t == tag);
        if tag == SAVE || change.is_some() {
            self.saving = self.saving.saturating_sub(1);
            if let Ok(Reply::Saved(saved)) = &result {
                self.own = Some((saved.code.clone(), saved.revision));
            }
        }
        if tag == SAVE {
            self.saved(result, ctx);
            return Outcome::Done;
        }
        if let Some(i) = change {
            self.changing.remove(i);
            let saved = match &result {
                Ok(Reply::Saved(s)) => K::parse(&s.code).map(|c| (c, s.revision)),
                _ => None,
            };
            let step = self.kind.answer(tag, result, ctx);
            if let Some((code, revision)) = saved {
                let card = matches!(&self.mode, Mode::Detail { record, .. } if K::code(record) == code);
                if self.filtered() && !card && !self.shows_revision(code, revision) {
                    self.load(ctx);
                } else if !self.shows_revision(code, revision) {
                    self.refresh_one(code, ctx);
                }
            }
            return self.follow(step, ctx);
        }
        if tag == ROW {
            let Some(code) = self.rows_asked.pop_front() else { return Outcome::Done };
            let fresh = result.ok().and_then(K::one);
            if let (Mode::Detail { record, .. }, Some(r)) = (&mut self.mode, &fresh) {
                if K::code(record) == code {
                    **record = r.clone();
                }
            }
            self.take_row(code, fresh);
            return Outcome::Done;
        }
        if ![LIST, PAGE, RECORD, EDIT, CONFLICT, NAMES].contains(&tag) {
            let step = self.kind.answer(tag, result, ctx);
            return self.follow(step, ctx);
        }
        if tag == LIST {
            match (self.query_sent.take(), &result) {
                (Some(mut form), Err(CallError::Bank(BankError::Invalid(problems)))) => {
                    // The core refused the filters (a presidio it does not know): back to their form.
                    let lang = ctx.view.lang;
                    form.set_problems(problems, lang);
                    let labels: Vec<String> = problems.iter().map(|p| p.field.label(lang)).collect();
                    ctx.error(format!("{} {}", Fx::ToFix.get(lang), labels.join(", ")));
                    self.mode = Mode::Query(form);
                    self.query_refused = true;
                    return Outcome::Done;
                }
                (Some(_), Ok(_)) => self.kind.query_accepted(),
                _ => {}
            }
        }
        let Some(reply) = ctx.ok(result) else { return Outcome::Done };
        match tag {
            LIST | PAGE => {
                if tag == LIST {
                    self.kind.listed(&reply, ctx);
                }
                if let Some(page) = K::page(reply) {
                    self.take_page(page, tag == LIST);
                    self.preview(ctx);
                }
            }
            RECORD => {
                if let Some(record) = K::one(reply) {
                    self.show_record(record, ctx);
                }
            }
            EDIT => {
                if let Some(record) = K::one(reply) {
                    self.edit_form(record, ctx);
                }
            }
            CONFLICT => {
                if let Some(now) = K::one(reply) {
                    self.show_conflict(now, ctx.view.lang);
                }
            }
            _ => match self.names.take(reply) {
                Some(next) => ctx.send(NAMES, next),
                None => self.new_form(ctx),
            },
        }
        Outcome::Done
    }

    fn key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> Outcome {
        let outcome = self.take_key(ev, ctx);
        self.preview(ctx);
        outcome
    }

    fn paste(&mut self, text: &str, ctx: &mut Ctx) -> Outcome {
        if self.editing_filter && matches!(self.mode, Mode::List) {
            // A code or a name pasted into the list's filter: on one line, no control characters.
            let keep = self.selected().map(K::code);
            let room = crate::model::limits::MAX_QUERY.saturating_sub(self.filter.chars().count());
            self.filter.extend(text.chars().map(|c| if c.is_control() { ' ' } else { c }).take(room));
            self.arrange(keep);
            return Outcome::Done;
        }
        if let Mode::Query(form) = &mut self.mode {
            return if form.focused_is_typed() && form.paste(text, ctx.view.lang) {
                Outcome::Done
            } else {
                Outcome::Ignored
            };
        }
        let Mode::Form { editor, .. } = &mut self.mode else { return Outcome::Ignored };
        if !editor.paste(text, ctx.view.lang) {
            return Outcome::Ignored;
        }
        to_fix_follows(editor, ctx);
        Outcome::Done
    }

    fn mouse(&mut self, ev: &MouseEvent, ctx: &mut Ctx) -> Outcome {
        if let Mode::Query(form) = &mut self.mode {
            let (lang, today) = (ctx.view.lang, ctx.view.today);
            let done = match ev.kind {
                MouseEventKind::Down(MouseButton::Left) => form.click(ev.column, ev.row, lang, today),
                MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                    form.wheel(ev.kind == MouseEventKind::ScrollDown, lang, today);
                    true
                }
                _ => false,
            };
            return if done { Outcome::Done } else { Outcome::Ignored };
        }
        if let Mode::Form { editor, .. } = &mut self.mode {
            return if editor.mouse(ev, ctx.view.lang, ctx.view.today) { Outcome::Done } else { Outcome::Ignored };
        }
        if !matches!(self.mode, Mode::List) {
            return Outcome::Ignored;
        }
        self.fit();
        let outcome = match self.sel.pointer(ev, self.list_area, self.shown.len()) {
            Pointer::Open => self.act(Act::Open, ctx),
            Pointer::Scrolled | Pointer::Selected => Outcome::Done,
            Pointer::Ignored => Outcome::Ignored,
        };
        self.preview(ctx);
        outcome
    }

    /// A record changed: asked again only if its card is open, or its row
    /// is in the list shown, and what is shown is older than the change.
    fn changed(&mut self, ev: &Event, ctx: &mut Ctx) {
        let Some(ch) = ev.change() else { return };
        let Some(code) = K::parse(&ch.code) else { return };
        if !self.loaded || self.shows_revision(code, ch.revision) || self.rows_asked.contains(&code) {
            return;
        }
        // This interface's own change: its answer asks for what is shown.
        let own = self.own.as_ref().is_some_and(|(c, r)| *c == ch.code && *r >= ch.revision);
        if ch.by == ctx.view.who.user && (self.saving > 0 || own) {
            return;
        }
        let in_list = self.rows.iter().any(|r| K::code(r) == code) || self.within_loaded(code);
        if self.filtered() {
            // Whether it is still kept, or now is: the list is asked again (a short one, being filtered).
            match &self.mode {
                Mode::Detail { record, .. } if K::code(record) == code => self.refresh_one(code, ctx),
                Mode::List => return self.load(ctx),
                _ => {}
            }
            if !self.changed_rows.contains(&code) {
                self.changed_rows.push(code);
            }
            return;
        }
        match &self.mode {
            Mode::Detail { record, .. } if K::code(record) == code => self.refresh_one(code, ctx),
            Mode::List if in_list => self.refresh_one(code, ctx),
            _ if in_list && !self.changed_rows.contains(&code) => self.changed_rows.push(code),
            _ => {}
        }
    }

    fn open(&mut self, code: &str, ctx: &mut Ctx) -> bool {
        self.learn(ctx.view);
        match K::parse(code) {
            Some(code) => {
                self.open_record(code, ctx);
                true
            }
            None => false,
        }
    }

    fn captures_text(&self) -> bool {
        match &self.mode {
            Mode::Form { editor, .. } => editor.captures_text(),
            Mode::Query(form) => form.focused_is_typed(),
            _ => self.editing_filter,
        }
    }

    fn wants_more(&self) -> bool {
        let sel = Selection { height: self.page_rows(), ..self.sel };
        matches!(self.mode, Mode::List)
            && self.more.is_some()
            && self.filter.trim().is_empty()
            && near_end(&sel, self.shown.len())
    }

    fn load_more(&mut self, ctx: &mut Ctx) {
        self.next_page(ctx);
    }

    fn unsaved(&self) -> bool {
        matches!(&self.mode, Mode::Form { editor, .. } if editor.unsaved())
    }

    fn place(&mut self, area: Rect, view: &View) {
        self.area = area;
        let (_, list, _) = self.layout(area);
        self.list_area = list;
        self.sel.fit(list, self.shown.len());
        if let Mode::Form { editor, .. } = &mut self.mode {
            editor.place(area, view.lang);
        }
        if let Mode::Query(form) = &mut self.mode {
            form.place(area, 0, view.lang);
        }
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        if let Mode::Form { editor, .. } = &self.mode {
            return editor.render(frame, area, view);
        }
        if let Mode::Query(form) = &self.mode {
            return form.render(frame, area, view, Vec::new());
        }
        self.draw(frame, area, view);
    }
}

/// "Da correggere: X" names what is still to fix in the form: a field
/// edited since drops out of it (its error went with the old value), and
/// the notice goes when nothing is left; the next save decides the rest.
fn to_fix_follows(editor: &Editor, ctx: &mut Ctx) {
    let prefix = Fx::ToFix.get(ctx.view.lang);
    if !matches!(ctx.notice.as_ref(), Some(Notice::Error(text)) if text.starts_with(prefix)) {
        return;
    }
    let form = &editor.form;
    let left: Vec<&str> = form.fields.iter().filter(|f| f.error.is_some()).map(|f| f.label.as_str()).collect();
    if left.is_empty() && form.top.is_empty() {
        *ctx.notice = None;
    } else if !left.is_empty() {
        *ctx.notice = Some(Notice::Error(format!("{prefix} {}", left.join(", "))));
    }
}
