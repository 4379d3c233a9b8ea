//! Richieste: the table of needs the operator may see (status filter, sort,
//! text filter), the record through the CLI's renderer (the child's identity
//! only for its own service: the core decides), new and changed needs in a
//! form, and `m` to rank the families for one.

use ratatui::crossterm::event::{KeyCode, KeyEvent, MouseEvent};
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Wrap};
use ratatui::Frame;

use super::families::kind_short;
use super::{Ctx, Outcome, Screen, ScreenId, ServiceNames, Tag, View};
use crate::api::{BankError, Cursor, NeedFilter, NeedView, Reply, Request};
use crate::i18n::{comune_label, format_timestamp, Lang};
use crate::model::age::describe_age;
use crate::model::dates::format_date;
use crate::model::fold::fold;
use crate::model::{
    ChildIdentity, ClosingReason, ContactFrequency, LegalBasis, NeedCode, NeedInput, NeedStatus, OriginContact,
    PlacementKind, PlacementNeed, Sex, SpecialNeed, Urgency,
};
use crate::present::{self, record::urgency_text};
use crate::protocol::Event;
use crate::tui::keys::{self, code, label, plain, Binding, Hint, Nav, NAV};
use crate::tui::source::CallError;
use crate::tui::text::{texts, T};
use crate::tui::widgets::doc;
use crate::tui::widgets::form::{assignment, assignment_fields, options, EditStep, Editor, Field, Form, Fx};
use crate::tui::widgets::list::{edit_line, loading_more, near_end, scrolled, LineKey, Pointer, Selection, TableView};

texts!(Tx {
    Title => "Richieste", "Needs";
    Code => "Codice", "Code";
    Comune => "Comune", "Comune";
    Age => "Età", "Age";
    Kind => "Tipo", "Kind";
    Urgency => "Urgenza", "Urgency";
    Status => "Stato", "Status";
    Service => "Servizio", "Service";
    Since => "Dal", "Since";
    AllStatuses => "tutti gli stati", "every status";
    SortedBy => "ordine", "sorted by";
    FilterPrompt => "Filtro", "Filter";
    StatusFilter => "stato", "status";
    Families => "famiglie adatte", "suitable families";
    None => "Nessuna richiesta.", "No needs.";
    NotEditable => "si può modificare solo una richiesta del proprio servizio", "only a need of your own service can be edited";
});

texts!(Ftx {
    NewTitle => "Nuova richiesta", "New need";
    EditTitle => "Modifica richiesta", "Edit need";
    Ordinary => "ordinaria", "ordinary";
    Emergency => "pronto intervento", "emergency";
    NeededBy => "pronto intervento: entro il", "emergency: needed by";
    Consensual => "consensuale", "consensual";
    Judicial => "giudiziale", "judicial";
    Supervised => "incontri facilitati", "supervised contact";
    Languages => "lingue (separate da virgola)", "languages (comma separated)";
});

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sort {
    Code,
    Urgency,
    Comune,
    Status,
}

impl Sort {
    const ALL: [Sort; 4] = [Sort::Code, Sort::Urgency, Sort::Comune, Sort::Status];

    fn label(self, lang: Lang) -> &'static str {
        match self {
            Sort::Code => Tx::Code.get(lang),
            Sort::Urgency => Tx::Urgency.get(lang),
            Sort::Comune => Tx::Comune.get(lang),
            Sort::Status => Tx::Status.get(lang),
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
    Match,
    Reload,
    New,
    Edit,
}

const LIST_KEYS: &[Binding<Act>] = &[
    Binding { keys: &[code(KeyCode::Enter)], shown: "Enter", label: label!(T::Open), action: Act::Open, bar: true },
    Binding { keys: &[plain('f')], shown: "f", label: label!(T::Filter), action: Act::Filter, bar: true },
    Binding { keys: &[plain('s')], shown: "s", label: |l| Tx::StatusFilter.get(l), action: Act::Status, bar: true },
    Binding { keys: &[plain('o')], shown: "o", label: label!(T::Sort), action: Act::Sort, bar: true },
    Binding { keys: &[plain('n')], shown: "n", label: label!(T::New), action: Act::New, bar: true },
    Binding { keys: &[plain('e')], shown: "e", label: label!(T::Edit), action: Act::Edit, bar: true },
    Binding { keys: &[plain('m')], shown: "m", label: |l| Tx::Families.get(l), action: Act::Match, bar: false },
    Binding { keys: &[plain('r')], shown: "r", label: label!(T::Reload), action: Act::Reload, bar: false },
];

const DETAIL_KEYS: &[Binding<Act>] = &[
    Binding { keys: &[code(KeyCode::Esc)], shown: "Esc", label: label!(T::Back), action: Act::Back, bar: true },
    Binding { keys: &[plain('e')], shown: "e", label: label!(T::Edit), action: Act::Edit, bar: true },
    Binding { keys: &[plain('m')], shown: "m", label: |l| Tx::Families.get(l), action: Act::Match, bar: true },
    Binding { keys: &[plain('r')], shown: "r", label: label!(T::Reload), action: Act::Reload, bar: false },
];

enum Mode {
    List,
    Detail {
        view: Box<NeedView>,
        scroll: u16,
    },
    /// A new need or a change: kept while the operator is elsewhere.
    Form {
        editor: Box<Editor>,
        base: Option<Box<NeedView>>,
    },
}

pub struct Needs {
    loaded: bool,
    /// The role may create these records: `n` is offered (see `screens::may_create`).
    may_create: bool,
    rows: Vec<NeedView>,
    /// Where the next page starts, while the server has more.
    more: Option<Cursor>,
    /// Each row's text for the `f` filter, folded once rather than at every
    /// keystroke; emptied whenever `rows` change.
    hay: Vec<String>,
    shown: Vec<usize>,
    sel: Selection,
    status: Option<NeedStatus>,
    sort: Sort,
    filter: String,
    editing_filter: bool,
    mode: Mode,
    list_area: Rect,
    /// Needs changed while the list was hidden: their rows are asked again when it shows.
    changed_rows: Vec<NeedCode>,
    /// Rows asked again, in the order asked (replies come in that order).
    rows_asked: std::collections::VecDeque<NeedCode>,
    /// A change seen while another screen was shown: reload when shown.
    stale: bool,
    /// The bank's services, for a coordinator's new need.
    names: ServiceNames,
    /// The saved change that met a newer revision: who and when, while the record is fetched.
    conflict: Option<(String, String)>,
    /// Own changes sent and not answered yet.
    saving: usize,
    /// The last own change answered (code, revision): the screen asks for it
    /// itself, so the event it raises asks nothing more.
    own: Option<(String, u64)>,
}

/// Why the screen asked.
const LIST: Tag = "list";
const PAGE: Tag = "page";
const RECORD: Tag = "record";
const EDIT: Tag = "edit";
const SAVE: Tag = "save";
const CONFLICT: Tag = "conflict";
const ROW: Tag = "row";
const NAMES: Tag = "names";

impl Needs {
    pub fn new() -> Needs {
        Needs {
            loaded: false,
            may_create: false,
            rows: Vec::new(),
            more: None,
            hay: Vec::new(),
            shown: Vec::new(),
            sel: Selection::default(),
            status: None,
            sort: Sort::Code,
            filter: String::new(),
            editing_filter: false,
            mode: Mode::List,
            list_area: Rect::default(),
            changed_rows: Vec::new(),
            rows_asked: Default::default(),
            stale: false,
            names: ServiceNames::default(),
            conflict: None,
            saving: 0,
            own: None,
        }
    }

    /// Asks for the first page of the list.
    fn load(&mut self, ctx: &mut Ctx) {
        self.stale = false;
        self.changed_rows.clear();
        let filter = NeedFilter { status: self.status, ..NeedFilter::default() };
        ctx.latest(LIST, Request::NeedList { filter });
    }

    /// Asks for the next page, after the rows loaded.
    fn next_page(&mut self, ctx: &mut Ctx) {
        let Some(after) = self.more.clone() else { return };
        let filter = NeedFilter { status: self.status, after: Some(after), ..NeedFilter::default() };
        ctx.latest(PAGE, Request::NeedList { filter });
    }

    /// A page came: the first replaces the rows, a next one extends them.
    /// Lists show the shared view: the child's identity stays in the record.
    fn take_page(&mut self, page: crate::api::Page<NeedView>, first: bool) {
        let selected = self.selected().map(|n| n.code);
        if first {
            self.rows = page.items.into_iter().map(shared).collect();
            self.loaded = true;
        } else {
            // Events add only needs before the cursor (`within_loaded`): none is here twice.
            let known: std::collections::BTreeSet<NeedCode> = self.rows.iter().map(|r| r.code).collect();
            self.rows.extend(page.items.into_iter().filter(|r| !known.contains(&r.code)).map(shared));
        }
        self.more = page.next;
        self.hay.clear();
        self.arrange(selected);
    }

    /// Whether what is shown of a need (its record, or else its row) is
    /// already at `revision` or later.
    fn shows_revision(&self, code: NeedCode, revision: u64) -> bool {
        match &self.mode {
            Mode::Detail { view, .. } if view.code == code => view.revision >= revision,
            _ => self.rows.iter().find(|r| r.code == code).is_some_and(|r| r.revision >= revision),
        }
    }

    /// Whether a need belongs among the rows loaded: all of them are, or
    /// its code comes before the next page (later ones come with their page).
    fn within_loaded(&self, code: NeedCode) -> bool {
        self.more.is_none() || self.rows.iter().any(|r| r.code >= code)
    }

    fn selected(&self) -> Option<&NeedView> {
        self.shown.get(self.sel.selected).map(|&i| &self.rows[i])
    }

    fn arrange(&mut self, keep: Option<NeedCode>) {
        let needle = fold(self.filter.trim());
        let words: Vec<&str> = needle.split_whitespace().collect();
        if !words.is_empty() && self.hay.len() != self.rows.len() {
            self.hay = self.rows.iter().map(filter_text).collect();
        }
        let hay = &self.hay;
        self.shown = (0..self.rows.len()).filter(|&i| words.iter().all(|w| hay[i].contains(w))).collect();
        let rows = &self.rows;
        let urgency = |n: &NeedView| match n.placement.urgency {
            Urgency::Emergency { needed_by } => (0, Some(needed_by)),
            Urgency::Ordinary => (1, None),
        };
        match self.sort {
            Sort::Code => self.shown.sort_by_key(|&i| rows[i].code),
            Sort::Urgency => self.shown.sort_by_key(|&i| (urgency(&rows[i]), rows[i].code)),
            Sort::Comune => {
                self.shown.sort_by_cached_key(|&i| (comune_label(&rows[i].placement.comune.to_string()), rows[i].code))
            }
            Sort::Status => self.shown.sort_by_key(|&i| (rows[i].placement.status.token(), rows[i].code)),
        }
        let at =
            keep.and_then(|c| self.shown.iter().position(|&i| self.rows[i].code == c)).unwrap_or(self.sel.selected);
        self.sel.select(at, self.shown.len());
    }

    fn current_code(&self) -> Option<NeedCode> {
        match &self.mode {
            Mode::Detail { view, .. } => Some(view.code),
            Mode::List => self.selected().map(|n| n.code),
            Mode::Form { .. } => None,
        }
    }

    fn act(&mut self, act: Act, ctx: &mut Ctx) -> Outcome {
        match act {
            Act::Nav(n) => {
                self.sel.nav(n, self.shown.len());
                // With a text filter the list does not grow by itself: each move past its end fetches a page.
                let at_end = self.sel.selected + 1 >= self.shown.len();
                if at_end && !self.filter.trim().is_empty() && matches!(n, Nav::Down | Nav::PageDown | Nav::End) {
                    self.next_page(ctx);
                }
            }
            Act::Open => {
                if let Some(code) = self.selected().map(|n| n.code) {
                    self.open_record(code, ctx);
                }
            }
            Act::Back => {
                self.mode = Mode::List;
                // Rows changed while the record was shown are asked again now.
                for code in std::mem::take(&mut self.changed_rows) {
                    self.refresh_one(code, ctx);
                }
            }
            Act::Filter => self.editing_filter = true,
            Act::Status => {
                let all = NeedStatus::ALL;
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
                let keep = self.selected().map(|n| n.code);
                self.arrange(keep);
            }
            Act::Match => {
                if let Some(code) = self.current_code() {
                    return Outcome::Match(code.to_string());
                }
            }
            Act::Reload => match &self.mode {
                Mode::Detail { view, .. } => {
                    let code = view.code;
                    self.open_record(code, ctx);
                }
                Mode::List => self.load(ctx),
                Mode::Form { .. } => {}
            },
            Act::New => {
                // A coordinator picks the service among the bank's: asked for first.
                if ctx.view.who.service.is_none() && !self.names.complete {
                    self.names = ServiceNames::default();
                    ctx.send(NAMES, ServiceNames::request());
                } else {
                    self.new_form(ctx);
                }
            }
            Act::Edit => self.edit(ctx),
        }
        Outcome::Done
    }

    fn new_form(&mut self, ctx: &mut Ctx) {
        let mut form = need_form(None, ctx.view.lang);
        form.fields.splice(0..0, assignment_fields(ctx.view, &self.names));
        self.mode = Mode::Form { editor: Box::new(Editor::new(form, None, 0)), base: None };
    }

    /// Asks for a record, to show it.
    fn open_record(&mut self, code: NeedCode, ctx: &mut Ctx) {
        ctx.latest(RECORD, Request::NeedGet { code });
    }

    /// The record came: it is shown (where it was scrolled, if it was already).
    fn show_record(&mut self, view: NeedView) {
        let code = view.code;
        let scroll = match &self.mode {
            Mode::Detail { view: old, scroll } if old.code == code => *scroll,
            _ => 0,
        };
        if let Some(i) = self.shown.iter().position(|&i| self.rows[i].code == code) {
            self.sel.select(i, self.shown.len());
        }
        if let Some(p) = self.rows.iter().position(|n| n.code == code) {
            self.rows[p] = shared(view.clone());
        }
        self.mode = Mode::Detail { view: Box::new(view), scroll };
    }

    /// Asks for the record as stored now, to edit it.
    fn edit(&mut self, ctx: &mut Ctx) {
        if let Some(code) = self.current_code() {
            ctx.send(EDIT, Request::NeedGet { code });
        }
    }

    /// The form on the record as stored now; only the need's own service may change it.
    fn edit_form(&mut self, view: NeedView, ctx: &mut Ctx) {
        let code = view.code;
        if view.identity.is_none() {
            ctx.error(format!("{code}: {}", ctx.view.t_local(Tx::NotEditable)));
            return;
        }
        let form = need_form(Some(&view), ctx.view.lang);
        let editor = Editor::new(form, Some(code.to_string()), view.revision);
        self.mode = Mode::Form { editor: Box::new(editor), base: Some(Box::new(view)) };
    }

    fn save(&mut self, ctx: &mut Ctx) {
        let lang = ctx.view.lang;
        let today = ctx.view.today;
        let Mode::Form { editor, base } = &mut self.mode else { return };
        let bad = editor.form.check_all(lang, today);
        if !bad.is_empty() {
            if let Some(i) = editor.form.fields.iter().position(|f| f.error.is_some()) {
                editor.form.enter(i);
            }
            ctx.error(format!("{} {}", Fx::ToFix.get(lang), bad.join(", ")));
            return;
        }
        let input = need_input(&editor.form, base.as_deref(), today);
        let request = match editor.code.as_deref().and_then(NeedCode::parse) {
            Some(code) => Request::NeedUpdate { code, base_revision: editor.base_revision, input },
            None => Request::NeedCreate { input },
        };
        self.saving += 1;
        ctx.send(SAVE, request);
    }

    /// The core's answer to the form: the record saved, or refusals next
    /// to their fields, or a conflict (the record as stored now is asked for).
    fn saved(&mut self, result: Result<Reply, CallError>, ctx: &mut Ctx) {
        let lang = ctx.view.lang;
        let Mode::Form { editor, .. } = &mut self.mode else { return };
        match result {
            Ok(Reply::Saved(saved)) => {
                ctx.info(format!("{} {}", ctx.view.t(T::Saved), saved.code));
                self.mode = Mode::List;
                self.load(ctx);
                if let Some(code) = NeedCode::parse(&saved.code) {
                    self.open_record(code, ctx);
                }
            }
            Ok(_) => {}
            Err(CallError::Bank(BankError::Invalid(problems))) => {
                editor.form.set_problems(&problems, lang);
                let labels: Vec<String> = problems.iter().map(|p| crate::i18n::field_label(&p.field, lang)).collect();
                ctx.error(format!("{} {}", Fx::ToFix.get(lang), labels.join(", ")));
            }
            Err(CallError::Bank(BankError::Conflict { code, changed_by, changed_at, .. })) => {
                let Some(ncode) = NeedCode::parse(&code) else { return };
                self.conflict = Some((changed_by, format_timestamp(changed_at)));
                ctx.send(CONFLICT, Request::NeedGet { code: ncode });
            }
            Err(e) => {
                let message = e.message(lang);
                editor.form.top = vec![message.clone()];
                ctx.error(message);
            }
        }
    }

    /// The record as stored now, next to what the operator typed.
    fn show_conflict(&mut self, now: NeedView, lang: Lang) {
        let Some((changed_by, changed_at)) = self.conflict.take() else { return };
        let Mode::Form { editor, base } = &mut self.mode else { return };
        let current = need_form(Some(&now), lang);
        editor.start_conflict(current, now.revision, changed_by, changed_at, lang);
        *base = Some(Box::new(now));
    }

    fn close_form(&mut self, ctx: &mut Ctx) {
        let code = match &self.mode {
            Mode::Form { editor, .. } => editor.code.as_deref().and_then(NeedCode::parse),
            _ => None,
        };
        self.mode = Mode::List;
        if let Some(code) = code {
            self.open_record(code, ctx);
        }
    }

    /// Asks for one need again, for its row (and its record, if open).
    fn refresh_one(&mut self, code: NeedCode, ctx: &mut Ctx) {
        self.rows_asked.push_back(code);
        ctx.send(ROW, Request::NeedGet { code });
    }

    /// One need as it is now (`None`: gone or no longer visible): its row
    /// and its record, if open, show it.
    fn take_row(&mut self, code: NeedCode, fresh: Option<NeedView>) {
        let keep = self.selected().map(|n| n.code);
        self.hay.clear();
        let pos = self.rows.iter().position(|n| n.code == code);
        match (fresh, pos) {
            (Some(v), _) if self.status.is_some_and(|s| s != v.placement.status) => {
                if let Some(p) = pos {
                    self.rows.remove(p);
                }
            }
            (Some(v), Some(p)) => self.rows[p] = shared(v),
            (Some(v), None) if self.within_loaded(code) => self.rows.push(shared(v)),
            (Some(_), None) => {}
            (None, Some(p)) => {
                self.rows.remove(p);
            }
            (None, None) => {}
        }
        self.arrange(keep);
    }

    fn render_detail(&self, frame: &mut Frame, area: Rect, view: &View, need: &NeedView, scroll: u16) {
        let theme = view.theme;
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border_focused())
            .title(Span::styled(format!(" {} {} ", Tx::Title.get(view.lang), need.code), theme.title()));
        let lines = doc::lines(&present::need(need, view.lang), theme, area.width.saturating_sub(2));
        frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }).scroll((scroll, 0)), area);
    }
}

/// What the `f` filter looks in: code, comune, service, kind and status, folded.
fn filter_text(n: &NeedView) -> String {
    fold(&format!(
        "{} {} {} {} {}",
        n.code,
        comune_label(&n.placement.comune.to_string()),
        n.contact.service,
        n.placement.kind.token_it(),
        n.placement.status.token_it()
    ))
}

/// Lists show the shared view: identity stays in the record.
fn shared(mut v: NeedView) -> NeedView {
    v.identity = None;
    v
}

/// The form of a need: the child's identity and the placement need.
pub fn need_form(v: Option<&NeedView>, lang: Lang) -> Form {
    let id = v.and_then(|v| v.identity.as_ref());
    let p = v.map(|v| &v.placement);
    let text = |s: Option<&String>| s.map_or(String::new(), |s| s.clone());
    let pos = |all: &[String], label: Option<&str>| label.and_then(|l| all.iter().position(|a| a == l)).unwrap_or(0);
    let sexes = options!(Sex, lang);
    let kinds = options!(PlacementKind, lang);
    let freqs = options!(ContactFrequency, lang);
    let statuses = options!(NeedStatus, lang);
    let urgency = [Ftx::Ordinary, Ftx::Emergency].map(|t| t.get(lang).to_string()).to_vec();
    let legal = [Ftx::Consensual, Ftx::Judicial].map(|t| t.get(lang).to_string()).to_vec();
    let needed_by = p.and_then(|p| match p.urgency {
        Urgency::Emergency { needed_by } => Some(needed_by),
        Urgency::Ordinary => None,
    });
    let (court, decree) = match p.map(|p| &p.legal) {
        Some(LegalBasis::Judicial { court, decree }) => (court.clone(), decree.clone()),
        _ => (String::new(), String::new()),
    };
    let fields = vec![
        Field::text("identity.given_name", lang, &text(id.map(|i| &i.given_name))).required(),
        Field::text("identity.family_name", lang, &text(id.map(|i| &i.family_name))).required(),
        Field::date("identity.birth_date", lang, id.map(|i| i.birth_date)).required(),
        Field::text("identity.fiscal_code", lang, &text(id.and_then(|i| i.fiscal_code.as_ref()))),
        Field::text("identity.address", lang, &text(id.map(|i| &i.address))),
        Field::comune("placement.comune", lang, p.map(|p| p.comune)).required(),
        Field::choice("placement.sex", lang, sexes.clone(), pos(&sexes, p.map(|p| p.sex.label(lang)))),
        Field::choice("placement.kind", lang, kinds.clone(), pos(&kinds, p.map(|p| p.kind.label(lang)))),
        Field::choice("placement.urgency", lang, urgency, usize::from(needed_by.is_some())),
        Field::date("placement.urgency", lang, needed_by).labelled(Ftx::NeededBy.get(lang)),
        Field::choice("placement.legal", lang, legal, usize::from(!court.is_empty() || !decree.is_empty())),
        Field::text("placement.legal.court", lang, &court),
        Field::text("placement.legal.decree", lang, &decree),
        Field::date("placement.desired_start", lang, p.and_then(|p| p.desired_start)),
        Field::number("placement.duration_months", lang, p.and_then(|p| p.duration_months).map(u64::from)),
        Field::multi(
            "placement.special_needs",
            lang,
            options!(SpecialNeed, lang),
            SpecialNeed::ALL.iter().map(|s| p.is_some_and(|p| p.special_needs.contains(s))).collect(),
        ),
        Field::text("placement.languages", lang, &p.map(|p| p.languages.join(", ")).unwrap_or_default())
            .labelled(Ftx::Languages.get(lang)),
        Field::text("placement.cultural_notes", lang, &text(p.map(|p| &p.cultural_notes))),
        Field::comune("placement.origin_comune", lang, p.and_then(|p| p.origin_comune)),
        Field::choice(
            "placement.contact",
            lang,
            freqs.clone(),
            pos(&freqs, p.map(|p| p.contact.frequency.label(lang))),
        ),
        Field::yes_no("placement.contact", lang, p.is_some_and(|p| p.contact.supervised))
            .labelled(Ftx::Supervised.get(lang)),
        Field::comune("placement.school_comune", lang, p.and_then(|p| p.school_comune)),
        Field::choice("placement.status", lang, statuses.clone(), pos(&statuses, p.map(|p| p.status.label(lang)))),
        // Closing a need (status chiusa) says why; "—" while it is open.
        Field::choice(
            "placement.closing_reason",
            lang,
            std::iter::once("—".to_string()).chain(options!(ClosingReason, lang)).collect(),
            p.and_then(|p| p.closing_reason)
                .and_then(|r| ClosingReason::ALL.iter().position(|&x| x == r))
                .map_or(0, |i| i + 1),
        ),
        Field::text("placement.notes", lang, &text(p.map(|p| &p.notes))),
    ];
    let title = match v {
        Some(v) => format!("{} {}", Ftx::EditTitle.get(lang), v.code),
        None => Ftx::NewTitle.get(lang).to_string(),
    };
    Form::new(title, fields)
}

/// What the form says, as the core's input; siblings come from `base`.
pub fn need_input(form: &Form, base: Option<&NeedView>, today: time::Date) -> NeedInput {
    let text = |path: &str| form.field(path).map(|f| f.as_text().to_string()).unwrap_or_default();
    let index = |path: &str| form.field(path).map_or(0, Field::as_index);
    let comune = |path: &str| form.field(path).and_then(Field::as_comune);
    let urgency = match (index("placement.urgency"), form.nth("placement.urgency", 1).and_then(Field::as_date)) {
        (1, Some(needed_by)) => Urgency::Emergency { needed_by },
        (1, None) => Urgency::Emergency { needed_by: today },
        _ => Urgency::Ordinary,
    };
    let legal = match index("placement.legal") {
        1 => LegalBasis::Judicial { court: text("placement.legal.court"), decree: text("placement.legal.decree") },
        _ => LegalBasis::Consensual,
    };
    let fiscal = text("identity.fiscal_code").to_uppercase();
    NeedInput {
        service: base.map(|b| b.contact.service).or(assignment(form).0),
        referent: base.map(|b| b.contact.referent.clone()).or(assignment(form).1),
        identity: ChildIdentity {
            given_name: text("identity.given_name"),
            family_name: text("identity.family_name"),
            birth_date: form.field("identity.birth_date").and_then(Field::as_date).unwrap_or(today),
            fiscal_code: (!fiscal.is_empty()).then_some(fiscal),
            address: text("identity.address"),
        },
        placement: PlacementNeed {
            sex: Sex::ALL[index("placement.sex")],
            siblings: base.map(|b| b.placement.siblings.clone()).unwrap_or_default(),
            kind: PlacementKind::ALL[index("placement.kind")],
            legal,
            urgency,
            desired_start: form.field("placement.desired_start").and_then(Field::as_date),
            duration_months: form
                .field("placement.duration_months")
                .and_then(Field::as_number)
                .map(|n| n.min(u64::from(u16::MAX)) as u16),
            special_needs: form
                .field("placement.special_needs")
                .map(Field::as_set)
                .unwrap_or_default()
                .into_iter()
                .map(|i| SpecialNeed::ALL[i])
                .collect(),
            languages: text("placement.languages")
                .split(',')
                .map(|l| l.trim().to_lowercase())
                .filter(|l| !l.is_empty())
                .collect(),
            cultural_notes: text("placement.cultural_notes"),
            comune: comune("placement.comune").unwrap_or(crate::model::ComuneCode::from_u32(0)),
            origin_comune: comune("placement.origin_comune"),
            contact: OriginContact {
                frequency: ContactFrequency::ALL[index("placement.contact")],
                supervised: form.nth("placement.contact", 1).is_some_and(Field::as_bool),
            },
            school_comune: comune("placement.school_comune"),
            status: NeedStatus::ALL[index("placement.status")],
            closing_reason: index("placement.closing_reason").checked_sub(1).map(|i| ClosingReason::ALL[i]),
            notes: text("placement.notes"),
        },
    }
}

impl Default for Needs {
    fn default() -> Self {
        Needs::new()
    }
}

impl Screen for Needs {
    fn id(&self) -> ScreenId {
        ScreenId::Needs
    }

    fn hints(&self) -> Vec<Hint> {
        match &self.mode {
            Mode::List => {
                let mut h = keys::nav_hints();
                let offered = LIST_KEYS.iter().filter(|b| b.action != Act::New || self.may_create);
                h.extend(offered.map(Binding::hint));
                h
            }
            Mode::Detail { .. } => {
                let mut h = keys::hints(DETAIL_KEYS);
                h.extend(keys::nav_hints());
                h
            }
            Mode::Form { editor, .. } => editor.hints(),
        }
    }

    fn activate(&mut self, ctx: &mut Ctx) {
        self.may_create = super::may_create(ctx.view, crate::access::Subject::Need);
        if !self.loaded || self.stale {
            self.reload(ctx);
        }
    }

    fn reload(&mut self, ctx: &mut Ctx) {
        self.load(ctx);
        if let Mode::Detail { view, .. } = &self.mode {
            let code = view.code;
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
        if tag == SAVE {
            self.saving = self.saving.saturating_sub(1);
            if let Ok(Reply::Saved(saved)) = &result {
                self.own = Some((saved.code.clone(), saved.revision));
            }
        }
        if tag == SAVE {
            self.saved(result, ctx);
            return Outcome::Done;
        }
        if tag == ROW {
            let Some(code) = self.rows_asked.pop_front() else { return Outcome::Done };
            let fresh = match result {
                Ok(Reply::Need(v)) => Some(v),
                _ => None,
            };
            if let (Mode::Detail { view, .. }, Some(v)) = (&mut self.mode, &fresh) {
                if view.code == code {
                    **view = v.clone();
                }
            }
            self.take_row(code, fresh);
            return Outcome::Done;
        }
        let Some(reply) = ctx.ok(result) else { return Outcome::Done };
        match (tag, reply) {
            (LIST, Reply::Needs(page)) => self.take_page(page, true),
            (PAGE, Reply::Needs(page)) => self.take_page(page, false),
            (RECORD, Reply::Need(view)) => self.show_record(view),
            (EDIT, Reply::Need(view)) => self.edit_form(view, ctx),
            (CONFLICT, Reply::Need(now)) => self.show_conflict(now, ctx.view.lang),
            (NAMES, reply) => match self.names.take(reply) {
                Some(next) => ctx.send(NAMES, next),
                None => self.new_form(ctx),
            },
            _ => {}
        }
        Outcome::Done
    }

    fn key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> Outcome {
        if let Mode::Form { editor, .. } = &mut self.mode {
            return match editor.key(ev, ctx.view.lang, ctx.view.today) {
                EditStep::Stay => Outcome::Done,
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
        if self.editing_filter {
            match edit_line(&mut self.filter, ev) {
                LineKey::Finished(_) => self.editing_filter = false,
                LineKey::Edited => {}
                LineKey::Ignored => return Outcome::Ignored,
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
                    Some(Act::New) if !self.may_create => {
                        ctx.error(format!("n ({}): {}", T::New.get(ctx.view.lang), T::NotForRole.get(ctx.view.lang)));
                        Outcome::Done
                    }
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
            Mode::Form { .. } => Outcome::Ignored,
        }
    }

    fn mouse(&mut self, ev: &MouseEvent, ctx: &mut Ctx) -> Outcome {
        if let Mode::Form { editor, .. } = &mut self.mode {
            return if editor.mouse(ev, ctx.view.lang, ctx.view.today) { Outcome::Done } else { Outcome::Ignored };
        }
        if !matches!(self.mode, Mode::List) {
            return Outcome::Ignored;
        }
        match self.sel.pointer(ev, self.list_area, self.shown.len()) {
            Pointer::Open => self.act(Act::Open, ctx),
            Pointer::Scrolled | Pointer::Selected => Outcome::Done,
            Pointer::Ignored => Outcome::Ignored,
        }
    }

    /// A need changed: asked again only if its record is open, or its row
    /// is in the list shown, and what is shown is older than the change.
    fn changed(&mut self, ev: &Event, ctx: &mut Ctx) {
        let Some(ch) = ev.change() else { return };
        let Some(code) = NeedCode::parse(&ch.code) else { return };
        if !self.loaded || self.shows_revision(code, ch.revision) || self.rows_asked.contains(&code) {
            return;
        }
        // This interface's own change: its answer asks for what is shown.
        let own = self.own.as_ref().is_some_and(|(c, r)| *c == ch.code && *r >= ch.revision);
        if ch.by == ctx.view.who.user && (self.saving > 0 || own) {
            return;
        }
        let in_list = self.rows.iter().any(|r| r.code == code) || self.within_loaded(code);
        match &self.mode {
            Mode::Detail { view, .. } if view.code == code => self.refresh_one(code, ctx),
            Mode::List if in_list => self.refresh_one(code, ctx),
            _ if in_list && !self.changed_rows.contains(&code) => self.changed_rows.push(code),
            _ => {}
        }
    }

    fn open(&mut self, code: &str, ctx: &mut Ctx) -> bool {
        self.may_create = super::may_create(ctx.view, crate::access::Subject::Need);
        match NeedCode::parse(code) {
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
            _ => self.editing_filter,
        }
    }

    fn wants_more(&self) -> bool {
        matches!(self.mode, Mode::List)
            && self.more.is_some()
            && self.filter.trim().is_empty()
            && near_end(&self.sel, self.shown.len())
    }

    fn load_more(&mut self, ctx: &mut Ctx) {
        self.next_page(ctx);
    }

    fn unsaved(&self) -> bool {
        matches!(&self.mode, Mode::Form { editor, .. } if editor.unsaved())
    }

    /// Laid out as `render` lays it out (kept small: the record screen replaces this one).
    fn place(&mut self, area: Rect, view: &View) {
        let [_, list] = ratatui::layout::Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
        self.list_area = list;
        self.sel.fit(list, self.shown.len());
        if let Mode::Form { editor, .. } = &mut self.mode {
            editor.place(area, view.lang);
        }
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        if let Mode::Form { editor, .. } = &self.mode {
            return editor.render(frame, area, view);
        }
        if let Mode::Detail { view: need, scroll } = &self.mode {
            return self.render_detail(frame, area, view, need, *scroll);
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
        let wide = list.width >= 100;
        let header = [Tx::Code, Tx::Comune, Tx::Age, Tx::Kind, Tx::Urgency, Tx::Status, Tx::Service, Tx::Since]
            .map(|t| t.get(lang));
        let table = TableView {
            title: Tx::Title.get(lang).to_string(),
            header: header.to_vec(),
            widths: vec![
                Constraint::Length(11),
                Constraint::Fill(2),
                Constraint::Length(if wide { 9 } else { 7 }),
                Constraint::Length(4),
                Constraint::Length(if wide { 16 } else { 8 }),
                Constraint::Length(if wide { 15 } else { 9 }),
                Constraint::Length(5),
                Constraint::Length(10),
            ],
            len: self.shown.len(),
            focused: true,
            empty: if self.loaded { Tx::None.get(lang) } else { T::Loading.get(lang) },
        };
        let rows = &self.rows;
        let shown = &self.shown;
        table.render(frame, list, &self.sel, theme, |i| {
            let n = &rows[shown[i]];
            let p = &n.placement;
            let urgency = match p.urgency {
                Urgency::Emergency { needed_by } if !wide => format!("PI {}", &format_date(needed_by)[..5]),
                Urgency::Ordinary if !wide => "—".to_string(),
                u => urgency_text(&u, lang),
            };
            let urgent = matches!(p.urgency, Urgency::Emergency { .. });
            vec![
                Cell::from(n.code.to_string()),
                Cell::from(comune_label(&p.comune.to_string())),
                Cell::from(describe_age(n.age_months, lang)),
                Cell::from(kind_short(p.kind, lang)),
                Cell::from(if urgent { Line::styled(urgency, theme.warning()) } else { Line::raw(urgency) }),
                Cell::from(p.status.label(lang)),
                Cell::from(n.contact.service.to_string()),
                Cell::from(format_date(n.meta.created_at.date())),
            ]
        });
        if self.more.is_some() {
            loading_more(frame, list, theme, T::LoadingMore.get(lang));
        }
    }
}
