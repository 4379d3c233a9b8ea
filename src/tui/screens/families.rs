//! Famiglie: the table of families the operator may see (filter, sort),
//! the record of one (identity only where allowed), "confirmed today" in
//! one key, and the needs a family could serve.

use ratatui::crossterm::event::{KeyCode, KeyEvent, MouseEvent};
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Wrap};
use ratatui::Frame;

use super::{Ctx, Outcome, Screen, ScreenId, ServiceNames, Tag, View};
use crate::api::{BankError, Cursor, FamilyFilter, FamilyView, Reply, Request};
use crate::i18n::{comune_label, format_timestamp, Lang};
use crate::model::dates::format_date;
use crate::model::fold::fold;
use crate::model::{
    Adult, AgeRange, AvailabilityProfile, FamilyCode, FamilyIdentity, FamilyInput, FamilyStatus, Household,
    PlacementKind, SexPreference, SpecialNeed, TimeSlot,
};
use crate::present::{self, Span as DocSpan};
use crate::protocol::Event;
use crate::tui::keys::{self, code, label, plain, Binding, Hint, Nav, NAV};
use crate::tui::source::CallError;
use crate::tui::text::{texts, T};
use crate::tui::widgets::doc;
use crate::tui::widgets::form::{assignment, assignment_fields, options, EditStep, Editor, Field, Form, Fx};
use crate::tui::widgets::list::{edit_line, loading_more, near_end, scrolled, LineKey, Pointer, Selection, TableView};

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
    NotEditable => "si può modificare solo una famiglia del proprio servizio", "only a family of your own service can be edited";
});

texts!(Ftx {
    NewTitle => "Nuova famiglia", "New family";
    EditTitle => "Modifica famiglia", "Edit family";
    AgeMin => "età minima (anni, o 6m)", "minimum age (years, or 6m)";
    AgeMax => "età massima (anni, o 24m)", "maximum age (years, or 24m)";
    ChildrenYears => "figli nati nel (es. 2012, 2016)", "children born in (e.g. 2012, 2016)";
    Languages => "lingue (separate da virgola)", "languages (comma separated)";
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
    New,
    Edit,
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
    Binding { keys: &[plain('n')], shown: "n", label: label!(T::New), action: Act::New, bar: true },
    Binding { keys: &[plain('e')], shown: "e", label: label!(T::Edit), action: Act::Edit, bar: true },
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
    Binding { keys: &[plain('e')], shown: "e", label: label!(T::Edit), action: Act::Edit, bar: true },
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
    /// A new family or a change: kept while the operator is elsewhere.
    Form {
        editor: Box<Editor>,
        /// The record edited (what the form does not show is sent back as it was).
        base: Option<Box<FamilyView>>,
    },
}

pub struct Families {
    loaded: bool,
    /// The role may create these records: `n` is offered (see `screens::may_create`).
    may_create: bool,
    /// The pages loaded so far, in code order.
    rows: Vec<FamilyView>,
    /// Where the next page starts, while the server has more.
    more: Option<Cursor>,
    /// Each row's text for the `f` filter, folded once rather than at every
    /// keystroke; emptied whenever `rows` change.
    hay: Vec<String>,
    /// Indexes of `rows` shown, in order.
    shown: Vec<usize>,
    sel: Selection,
    status: Option<FamilyStatus>,
    sort: Sort,
    filter: String,
    editing_filter: bool,
    mode: Mode,
    list_area: Rect,
    /// Families changed while the list was hidden: their rows are asked again when it shows.
    changed_rows: Vec<FamilyCode>,
    /// Rows asked again, in the order asked (replies come in that order).
    rows_asked: std::collections::VecDeque<FamilyCode>,
    /// A change seen while another screen was shown: reload when shown.
    stale: bool,
    /// The bank's services, for a coordinator's new family.
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
const CONFIRM: Tag = "confirm";
const CONFIRMED: Tag = "confirmed";
const SAVE: Tag = "save";
const CONFLICT: Tag = "conflict";
const ROW: Tag = "row";
const NAMES: Tag = "names";

impl Families {
    pub fn new() -> Families {
        Families {
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
        let filter = FamilyFilter { status: self.status, ..FamilyFilter::default() };
        ctx.latest(LIST, Request::FamilyList { filter });
    }

    /// Asks for the next page, after the rows loaded.
    fn next_page(&mut self, ctx: &mut Ctx) {
        let Some(after) = self.more.clone() else { return };
        let filter = FamilyFilter { status: self.status, after: Some(after), ..FamilyFilter::default() };
        ctx.latest(PAGE, Request::FamilyList { filter });
    }

    /// A page came: the first replaces the rows, a next one extends them.
    fn take_page(&mut self, page: crate::api::Page<FamilyView>, first: bool) {
        let selected = self.selected().map(|f| f.code);
        if first {
            self.rows = page.items;
            self.loaded = true;
        } else {
            // Events add only families before the cursor (`within_loaded`): none is here twice.
            let known: std::collections::BTreeSet<FamilyCode> = self.rows.iter().map(|r| r.code).collect();
            self.rows.extend(page.items.into_iter().filter(|r| !known.contains(&r.code)));
        }
        self.more = page.next;
        self.hay.clear();
        self.arrange(selected);
    }

    /// Whether what is shown of a family (its record, or else its row) is
    /// already at `revision` or later.
    fn shows_revision(&self, code: FamilyCode, revision: u64) -> bool {
        match &self.mode {
            Mode::Detail { view, .. } if view.code == code => view.revision >= revision,
            _ => self.rows.iter().find(|r| r.code == code).is_some_and(|r| r.revision >= revision),
        }
    }

    /// Whether a family belongs among the rows loaded: all of them are, or
    /// its code comes before the next page (later ones come with their page).
    fn within_loaded(&self, code: FamilyCode) -> bool {
        self.more.is_none() || self.rows.iter().any(|r| r.code >= code)
    }

    fn selected(&self) -> Option<&FamilyView> {
        self.shown.get(self.sel.selected).map(|&i| &self.rows[i])
    }

    /// Filters and sorts `rows` into `shown`, keeping `keep` selected.
    fn arrange(&mut self, keep: Option<FamilyCode>) {
        let needle = fold(self.filter.trim());
        let words: Vec<&str> = needle.split_whitespace().collect();
        if !words.is_empty() && self.hay.len() != self.rows.len() {
            self.hay = self.rows.iter().map(filter_text).collect();
        }
        let hay = &self.hay;
        self.shown = (0..self.rows.len()).filter(|&i| words.iter().all(|w| hay[i].contains(w))).collect();
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
                // With a text filter the list does not grow by itself: each move past its end fetches a page.
                let at_end = self.sel.selected + 1 >= self.shown.len();
                if at_end && !self.filter.trim().is_empty() && matches!(n, Nav::Down | Nav::PageDown | Nav::End) {
                    self.next_page(ctx);
                }
            }
            Act::Open => {
                if let Some(code) = self.selected().map(|f| f.code) {
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
            Act::Match => {
                let code = match &self.mode {
                    Mode::Detail { view, .. } => Some(view.code),
                    Mode::List => self.selected().map(|f| f.code),
                    Mode::Form { .. } => None,
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
                Mode::Form { .. } => {}
            },
        }
        Outcome::Done
    }

    fn current_code(&self) -> Option<FamilyCode> {
        match &self.mode {
            Mode::Detail { view, .. } => Some(view.code),
            Mode::List => self.selected().map(|f| f.code),
            Mode::Form { .. } => None,
        }
    }

    fn new_form(&mut self, ctx: &mut Ctx) {
        let mut form = family_form(None, ctx.view.lang);
        form.fields.splice(0..0, assignment_fields(ctx.view, &self.names));
        self.mode = Mode::Form { editor: Box::new(Editor::new(form, None, 0)), base: None };
    }

    /// Asks for the record as stored now, to edit it.
    fn edit(&mut self, ctx: &mut Ctx) {
        if let Some(code) = self.current_code() {
            ctx.send(EDIT, Request::FamilyGet { code });
        }
    }

    /// The form on the record as stored now; only the family's own service may change it.
    fn edit_form(&mut self, view: FamilyView, ctx: &mut Ctx) {
        let code = view.code;
        if view.private.is_none() {
            ctx.error(format!("{code}: {}", ctx.view.t_local(Tx::NotEditable)));
            return;
        }
        let form = family_form(Some(&view), ctx.view.lang);
        let editor = Editor::new(form, Some(code.to_string()), view.revision);
        self.mode = Mode::Form { editor: Box::new(editor), base: Some(Box::new(view)) };
    }

    /// Sends the form; the core's refusals go next to their fields, a
    /// conflict opens the comparison with what is stored now.
    fn save(&mut self, ctx: &mut Ctx) {
        let lang = ctx.view.lang;
        let Mode::Form { editor, base } = &mut self.mode else { return };
        let bad = editor.form.check_all(lang, ctx.view.today);
        if !bad.is_empty() {
            if let Some(i) = editor.form.fields.iter().position(|f| f.error.is_some()) {
                editor.form.enter(i);
            }
            ctx.error(format!("{} {}", Fx::ToFix.get(lang), bad.join(", ")));
            return;
        }
        let input = family_input(&editor.form, base.as_deref());
        let request = match editor.code.as_deref().and_then(FamilyCode::parse) {
            Some(code) => Request::FamilyUpdate { code, base_revision: editor.base_revision, input },
            None => Request::FamilyCreate { input },
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
                if let Some(code) = FamilyCode::parse(&saved.code) {
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
                let Some(fcode) = FamilyCode::parse(&code) else { return };
                self.conflict = Some((changed_by, format_timestamp(changed_at)));
                ctx.send(CONFLICT, Request::FamilyGet { code: fcode });
            }
            Err(e) => {
                let message = e.message(lang);
                editor.form.top = vec![message.clone()];
                ctx.error(message);
            }
        }
    }

    /// The record as stored now, next to what the operator typed.
    fn show_conflict(&mut self, now: FamilyView, lang: Lang) {
        let Some((changed_by, changed_at)) = self.conflict.take() else { return };
        let Mode::Form { editor, base } = &mut self.mode else { return };
        let current = family_form(Some(&now), lang);
        editor.start_conflict(current, now.revision, changed_by, changed_at, lang);
        *base = Some(Box::new(now));
    }

    /// Leaves the form: back to the record it edited, or to the list.
    fn close_form(&mut self, ctx: &mut Ctx) {
        let code = match &self.mode {
            Mode::Form { editor, .. } => editor.code.as_deref().and_then(FamilyCode::parse),
            _ => None,
        };
        self.mode = Mode::List;
        if let Some(code) = code {
            self.open_record(code, ctx);
        }
    }

    /// Asks for a record, to show it.
    fn open_record(&mut self, code: FamilyCode, ctx: &mut Ctx) {
        ctx.latest(RECORD, Request::FamilyGet { code });
    }

    /// The record came: it is shown (where it was scrolled, if it was already).
    fn show_record(&mut self, view: FamilyView) {
        let code = view.code;
        let scroll = match &self.mode {
            Mode::Detail { view: old, scroll } if old.code == code => *scroll,
            _ => 0,
        };
        if let Some(i) = self.shown.iter().position(|&i| self.rows[i].code == code) {
            self.sel.select(i, self.shown.len());
        }
        if let Some(p) = self.rows.iter().position(|f| f.code == code) {
            self.rows[p] = shared(view.clone());
        }
        self.mode = Mode::Detail { view: Box::new(view), scroll };
    }

    /// The availability confirmed as of today: one key, one revision. The
    /// whole record (identity included) is what an update sends back: asked for first.
    fn confirm_today(&mut self, ctx: &mut Ctx) {
        if let Some(code) = self.current_code() {
            ctx.send(CONFIRM, Request::FamilyGet { code });
        }
    }

    fn confirm_record(&mut self, view: FamilyView, ctx: &mut Ctx) {
        let code = view.code;
        if view.private.is_none() {
            ctx.error(format!("{code}: {}", ctx.view.t_local(Tx::NotYours)));
            return;
        }
        let mut input = view.as_input();
        input.profile.confirmed_on = Some(ctx.view.today);
        self.saving += 1;
        ctx.send(CONFIRMED, Request::FamilyUpdate { code, base_revision: view.revision, input });
    }

    /// Asks for one family again, for its row (and its record, if open).
    fn refresh_one(&mut self, code: FamilyCode, ctx: &mut Ctx) {
        self.rows_asked.push_back(code);
        ctx.send(ROW, Request::FamilyGet { code });
    }

    /// One family as it is now (`None`: gone or no longer visible): its
    /// row and its record, if open, show it.
    fn take_row(&mut self, code: FamilyCode, fresh: Option<FamilyView>) {
        let keep = self.selected().map(|f| f.code);
        self.hay.clear();
        let pos = self.rows.iter().position(|f| f.code == code);
        match (fresh, pos) {
            (Some(v), _) if self.status.is_some_and(|s| s != v.profile.status) => {
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

    fn render_detail(&self, frame: &mut Frame, area: Rect, view: &View, family: &FamilyView, scroll: u16) {
        let theme = view.theme;
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border_focused())
            .title(Span::styled(format!(" {} {} ", Tx::Title.get(view.lang), family.code), theme.title()));
        let mut card = present::family(family, view.lang);
        if let Some(free) = family.free_places {
            card.blocks.insert(
                1,
                present::Block::Line {
                    indent: 0,
                    hang: None,
                    spans: vec![DocSpan::plain(format!("{}: {free}", Tx::Free.get(view.lang)))],
                },
            );
        }
        let lines = doc::lines(&card, theme, area.width.saturating_sub(2));
        frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }).scroll((scroll, 0)), area);
    }
}

/// The form of a family: what the operator sets of the profile, and the identity.
pub fn family_form(v: Option<&FamilyView>, lang: Lang) -> Form {
    let whole = v.map_or_else(blank_profile, |v| v.profile.with_private(v.private.as_ref()));
    let p = &whole;
    let id = v.and_then(|v| v.private.as_ref()).map(|p| p.identity.clone()).unwrap_or_default();
    let adult = |i: usize| id.adults.get(i);
    let ages = p.ages.to_input();
    let (min, max) = ages.split_once('-').unwrap_or(("0", "17"));
    let position = |all: &[FamilyStatus], s| all.iter().position(|&x| x == s).unwrap_or(0);
    let fields = vec![
        Field::text("identity.adults[0].name", lang, adult(0).map_or("", |a| a.name.as_str())).required(),
        Field::number("identity.adults[0].birth_year", lang, adult(0).map(|a| u64::from(a.birth_year))).required(),
        Field::text("identity.adults[1].name", lang, adult(1).map_or("", |a| a.name.as_str())),
        // An adult's year left empty is stored as `Adult::UNKNOWN_YEAR`, and shown empty again.
        Field::number(
            "identity.adults[1].birth_year",
            lang,
            adult(1).filter(|a| a.birth_year != Adult::UNKNOWN_YEAR).map(|a| u64::from(a.birth_year)),
        ),
        Field::text("identity.address", lang, &id.address),
        Field::text("identity.phone", lang, &id.phone),
        Field::text("identity.email", lang, &id.email),
        Field::comune("profile.comune", lang, v.map(|v| v.profile.comune)).required(),
        Field::choice("profile.status", lang, options!(FamilyStatus, lang), position(FamilyStatus::ALL, p.status)),
        Field::multi(
            "profile.kinds",
            lang,
            options!(PlacementKind, lang),
            PlacementKind::ALL.iter().map(|k| p.kinds.contains(k)).collect(),
        ),
        Field::text("profile.ages", lang, min).labelled(Ftx::AgeMin.get(lang)),
        Field::text("profile.ages", lang, max).labelled(Ftx::AgeMax.get(lang)),
        Field::choice(
            "profile.sex_preference",
            lang,
            options!(SexPreference, lang),
            SexPreference::ALL.iter().position(|&s| s == p.sex_preference).unwrap_or(0),
        ),
        Field::number("profile.max_children", lang, Some(u64::from(p.max_children))),
        Field::yes_no("profile.siblings_accepted", lang, p.siblings_accepted),
        Field::multi(
            "profile.special_needs_accepted",
            lang,
            options!(SpecialNeed, lang),
            SpecialNeed::ALL.iter().map(|k| p.special_needs_accepted.contains(k)).collect(),
        ),
        Field::text("profile.languages", lang, &p.languages.join(", ")).labelled(Ftx::Languages.get(lang)),
        Field::multi(
            "profile.time_slots",
            lang,
            options!(TimeSlot, lang),
            TimeSlot::ALL.iter().map(|k| p.time_slots.contains(k)).collect(),
        ),
        Field::number("profile.max_distance_km", lang, p.max_distance_km.map(u64::from)),
        Field::date("profile.training_completed_on", lang, p.training_completed_on),
        Field::date("profile.approved_on", lang, p.approved_on),
        Field::date("profile.review_on", lang, p.review_on),
        Field::date("profile.confirmed_on", lang, p.confirmed_on),
        Field::number("profile.household.adults", lang, v.map(|v| u64::from(v.profile.household.adults))),
        Field::text("profile.household.children_birth_years", lang, &years(&p.household.children_birth_years))
            .labelled(Ftx::ChildrenYears.get(lang)),
        Field::text("profile.household.pets", lang, &p.household.pets),
        Field::number("profile.household.spare_rooms", lang, Some(u64::from(p.household.spare_rooms))),
        Field::text("profile.notes", lang, &p.notes),
    ];
    let title = match v {
        Some(v) => format!("{} {}", Ftx::EditTitle.get(lang), v.code),
        None => Ftx::NewTitle.get(lang).to_string(),
    };
    Form::new(title, fields)
}

/// "2012, 2016": the children's birth years as typed in the form.
fn years(years: &[u16]) -> String {
    years.iter().map(u16::to_string).collect::<Vec<_>>().join(", ")
}

fn blank_profile() -> AvailabilityProfile {
    AvailabilityProfile {
        comune: crate::model::ComuneCode::from_u32(0),
        household: Household { adults: 1, ..Household::default() },
        kinds: Default::default(),
        ages: AgeRange::ANY,
        sex_preference: SexPreference::Any,
        max_children: 1,
        siblings_accepted: false,
        special_needs_accepted: Default::default(),
        languages: Vec::new(),
        time_slots: Default::default(),
        max_distance_km: None,
        training_completed_on: None,
        status: FamilyStatus::Enquiring,
        approved_on: None,
        review_on: None,
        confirmed_on: None,
        notes: String::new(),
    }
}

/// What the form says, as the core's input; what it does not show comes from `base`.
pub fn family_input(form: &Form, base: Option<&FamilyView>) -> FamilyInput {
    let text = |path: &str| form.field(path).map(|f| f.as_text().to_string()).unwrap_or_default();
    let number = |path: &str| form.field(path).and_then(Field::as_number);
    let date = |path: &str| form.field(path).and_then(Field::as_date);
    let set = |path: &str| form.field(path).map(Field::as_set).unwrap_or_default();
    let mut adults = Vec::new();
    for i in 0..2 {
        let name = text(&format!("identity.adults[{i}].name"));
        let year = number(&format!("identity.adults[{i}].birth_year"));
        if !name.is_empty() || year.is_some() {
            adults.push(Adult { name, birth_year: year.map_or(0, |y| y.min(u64::from(u16::MAX)) as u16) });
        }
    }
    let mut profile = base.map_or_else(blank_profile, |b| b.profile.with_private(b.private.as_ref()));
    profile.household.adults =
        number("profile.household.adults").map_or(adults.len().max(1), |n| n as usize).min(255) as u8;
    // Years the core cannot read are sent as 0, so its range check names the field.
    profile.household.children_birth_years = text("profile.household.children_birth_years")
        .split([',', ' '])
        .filter(|y| !y.trim().is_empty())
        .map(|y| y.trim().parse::<u16>().unwrap_or(0))
        .collect();
    profile.household.pets = text("profile.household.pets");
    profile.household.spare_rooms = number("profile.household.spare_rooms").map_or(0, |n| n.min(255) as u8);
    if let Some(c) = form.field("profile.comune").and_then(Field::as_comune) {
        profile.comune = c;
    }
    profile.status = FamilyStatus::ALL[form.field("profile.status").map_or(0, Field::as_index)];
    profile.kinds = set("profile.kinds").into_iter().map(|i| PlacementKind::ALL[i]).collect();
    let bound = |n: usize| form.nth("profile.ages", n).map(|f| f.as_text().to_string()).unwrap_or_default();
    if let Some(ages) = AgeRange::parse(&format!("{}-{}", bound(0), bound(1))) {
        profile.ages = ages;
    }
    profile.sex_preference = SexPreference::ALL[form.field("profile.sex_preference").map_or(0, Field::as_index)];
    // Left empty, the family keeps what it had (1 for a new one): empty is not "0 children".
    profile.max_children = number("profile.max_children").map_or(profile.max_children, |n| n.min(255) as u8);
    profile.siblings_accepted = form.field("profile.siblings_accepted").is_some_and(Field::as_bool);
    profile.special_needs_accepted =
        set("profile.special_needs_accepted").into_iter().map(|i| SpecialNeed::ALL[i]).collect();
    profile.languages =
        text("profile.languages").split(',').map(|l| l.trim().to_lowercase()).filter(|l| !l.is_empty()).collect();
    profile.time_slots = set("profile.time_slots").into_iter().map(|i| TimeSlot::ALL[i]).collect();
    profile.max_distance_km = number("profile.max_distance_km").map(|n| n.min(u64::from(u16::MAX)) as u16);
    profile.training_completed_on = date("profile.training_completed_on");
    profile.approved_on = date("profile.approved_on");
    profile.review_on = date("profile.review_on");
    profile.confirmed_on = date("profile.confirmed_on");
    profile.notes = text("profile.notes");
    FamilyInput {
        service: base.map(|b| b.contact.service).or(assignment(form).0),
        referent: base.map(|b| b.contact.referent.clone()).or(assignment(form).1),
        identity: FamilyIdentity {
            adults,
            address: text("identity.address"),
            phone: text("identity.phone"),
            email: text("identity.email"),
        },
        profile,
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

/// What the `f` filter looks in: code, comune, service, kinds (and status), folded.
fn filter_text(f: &FamilyView) -> String {
    fold(&format!(
        "{} {} {} {}",
        f.code,
        comune_label(&f.profile.comune.to_string()),
        f.contact.service,
        f.profile.kinds.iter().map(|k| k.token_it()).collect::<Vec<_>>().join(" ")
    ))
}

/// Lists show the shared view: the private part stays in the record.
fn shared(mut v: FamilyView) -> FamilyView {
    v.private = None;
    v
}

impl Default for Families {
    fn default() -> Self {
        Families::new()
    }
}

impl Screen for Families {
    fn id(&self) -> ScreenId {
        ScreenId::Families
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
        self.may_create = super::may_create(ctx.view, crate::access::Subject::Family);
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
        if matches!(tag, SAVE | CONFIRMED) {
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
                Ok(Reply::Family(v)) => Some(v),
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
            (LIST, Reply::Families(page)) => self.take_page(page, true),
            (PAGE, Reply::Families(page)) => self.take_page(page, false),
            (RECORD, Reply::Family(view)) => self.show_record(view),
            (EDIT, Reply::Family(view)) => self.edit_form(view, ctx),
            (CONFIRM, Reply::Family(view)) => self.confirm_record(view, ctx),
            (CONFIRMED, Reply::Saved(saved)) => {
                ctx.info(format!("{} {} (rev. {})", ctx.view.t_local(Tx::ConfirmedToday), saved.code, saved.revision));
                if let Some(code) = FamilyCode::parse(&saved.code) {
                    if !self.shows_revision(code, saved.revision) {
                        self.refresh_one(code, ctx);
                    }
                }
            }
            (CONFLICT, Reply::Family(now)) => self.show_conflict(now, ctx.view.lang),
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

    /// A family changed: asked again only if its record is open, or its row
    /// is in the list shown, and what is shown is older than the change.
    fn changed(&mut self, ev: &Event, ctx: &mut Ctx) {
        let Some(ch) = ev.change() else { return };
        let Some(code) = FamilyCode::parse(&ch.code) else { return };
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
        self.may_create = super::may_create(ctx.view, crate::access::Subject::Family);
        match FamilyCode::parse(code) {
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
        table.render(frame, list, &self.sel, theme, |i| {
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
        if self.more.is_some() {
            loading_more(frame, list, theme, T::LoadingMore.get(lang));
        }
    }
}
