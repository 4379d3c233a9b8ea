//! What a kind of record gives the generic record screen: only what is its
//! own (requests, columns, card, form, extra keys and texts). Everything
//! else (paging, filter, sort, selection, refresh on a change, the form's
//! save and conflict) is `RecordScreen`'s, written once.

use ratatui::layout::Constraint;
use ratatui::widgets::Cell;

use crate::api::{Page, Principal, Reply, Request};
use crate::i18n::Lang;
use crate::model::Problem;
use crate::present::Doc;
use crate::tui::keys::Binding;
use crate::tui::screens::{Ctx, Outcome, ScreenId, Tag, View};
use crate::tui::source::CallError;
use crate::tui::theme::Theme;
use crate::tui::widgets::form::Form;

/// A kind's own keys, placed around the record screen's `n`/`e` in the
/// list and in the card (the help shows them in this order).
#[derive(Clone, Copy)]
pub struct OwnKeys<A: Copy + 'static> {
    pub before_edit: &'static [Binding<A>],
    pub after_edit: &'static [Binding<A>],
}

impl<A: Copy + 'static> OwnKeys<A> {
    pub const NONE: OwnKeys<A> = OwnKeys { before_edit: &[], after_edit: &[] };
}

/// What a kind's own key, or a reply to its own request, asks of the screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Own {
    Done,
    /// Leave the screen (open a record elsewhere, go to matching).
    Outcome(Outcome),
    /// A read; its answer comes back to `RecordUi::answer` with the tag.
    Ask(Tag, Request),
    /// A change of a record of this kind, answered by `Reply::Saved`: like
    /// the form's save, it is counted as this interface's own (its event
    /// asks nothing more) and the record shown is asked again; the answer
    /// also goes to `RecordUi::answer`.
    Change(Tag, Request),
    /// A form of the kind's own (a step, a first contact) on the record
    /// shown (`code`, `revision`), or a new one: saved by
    /// `RecordUi::save_own` with this purpose, answered like the record's form.
    Form {
        form: Box<Form>,
        code: Option<String>,
        revision: u64,
        purpose: Tag,
    },
}

/// One kind of record on the record screen. Its tags (`Own::Ask`) must not
/// be the screen's own: "list", "page", "record", "edit", "save",
/// "conflict", "row", "names".
pub trait RecordUi {
    /// The record's code (`FamilyCode`…).
    type Code: Copy + Eq + Ord + std::fmt::Display;
    /// A record as lists and the card show it.
    type Record: Clone;
    /// The kind's own keys' actions.
    type Act: Copy + PartialEq + 'static;

    const SCREEN: ScreenId;
    /// A short list (the directory's): the selected record's card is shown
    /// under it, the list as tall as it needs (at most half the screen).
    const PREVIEW: bool = false;

    /// The list's title ("Famiglie").
    fn title(lang: Lang) -> &'static str;
    /// Shown in place of an empty list ("Nessuna famiglia.").
    fn empty(lang: Lang) -> &'static str;
    /// Said when `e` is pressed on a record the operator may not change.
    fn not_editable(lang: Lang) -> &'static str;

    fn parse(code: &str) -> Option<Self::Code>;
    fn code(record: &Self::Record) -> Self::Code;
    fn revision(record: &Self::Record) -> u64;

    /// The first page of the list, with the status filter (an index of `statuses`).
    fn list(status: Option<usize>) -> Request;
    /// The first page of the list with the status filter and the kind's
    /// own filters (`query_form`); none of its own: `list`.
    fn list_with(&self, status: Option<usize>) -> Request {
        Self::list(status)
    }
    fn get(code: Self::Code) -> Request;
    /// A record asked again for its list row only (a change heard while the
    /// list is shown): by default the same as `get`; a need's asks for its
    /// shared view, so no identity read goes on record for a row.
    fn row(code: Self::Code) -> Request {
        Self::get(code)
    }
    fn page(reply: Reply) -> Option<Page<Self::Record>>;
    /// The first page's answer as it came, before `page` takes its rows:
    /// for what a kind says of the whole answer (how many were looked at).
    fn listed(&mut self, _reply: &Reply, _ctx: &mut Ctx) {}
    fn one(reply: Reply) -> Option<Self::Record>;
    /// What a list row keeps of a record (the private part stays in the card).
    fn shared(record: Self::Record) -> Self::Record {
        record
    }

    /// The status filter's choices; none: no `s` key.
    fn statuses(_lang: Lang) -> Vec<&'static str> {
        Vec::new()
    }
    /// The record's status, as an index of `statuses`.
    fn status_of(_record: &Self::Record) -> Option<usize> {
        None
    }
    /// The orders of the list (the first is the code's); one: no `o` key.
    fn sorts(lang: Lang) -> Vec<&'static str>;
    /// Sorts `shown` (indexes of `rows`) by order `sort`.
    fn sort(rows: &[Self::Record], shown: &mut [usize], sort: usize);
    /// What the `f` filter looks in, folded.
    fn filter_text(record: &Self::Record) -> String;
    /// The table's header and column widths for a list `width` wide.
    fn columns(lang: Lang, width: u16) -> (Vec<&'static str>, Vec<Constraint>);
    fn cells(record: &Self::Record, lang: Lang, width: u16, theme: Theme) -> Vec<Cell<'static>>;
    /// `columns` as the kind's own filters make them (a distance column when near a comune).
    fn columns_now(&self, lang: Lang, width: u16) -> (Vec<&'static str>, Vec<Constraint>) {
        Self::columns(lang, width)
    }
    /// `cells` under `columns_now`.
    fn cells_now(&self, record: &Self::Record, lang: Lang, width: u16, theme: Theme) -> Vec<Cell<'static>> {
        Self::cells(record, lang, width, theme)
    }

    /// The form of the filters the core applies to the list (`F`), as set
    /// now; none: the kind has no such filters.
    fn query_form(&self, _lang: Lang) -> Option<Form> {
        None
    }
    /// The filters' form submitted: taken as the list's filters, or the
    /// problems to show next to its fields. `Some(order)`: the core now
    /// gives the list in that order (an index of `sorts`), shown as such.
    fn take_query(&mut self, _form: &Form) -> Result<Option<usize>, Vec<Problem>> {
        Ok(None)
    }
    /// The core answered the filters last taken: they are the ones to go back to.
    fn query_accepted(&mut self) {}
    /// The filters' form left with Esc after the core refused what it
    /// sent: the filters it last answered again (the order to show them in).
    fn query_abandoned(&mut self) -> Option<usize> {
        None
    }
    /// The kind's filters in a few words, beside the list's title; none: none set.
    fn query_summary(&self, _lang: Lang) -> Option<String> {
        None
    }

    /// The record's card.
    fn document(&self, record: &Self::Record, lang: Lang) -> Doc;
    /// A record's card is shown (opened, or previewed under the list): ask
    /// for what it needs besides the record (a service's operators).
    fn shown(&mut self, _record: &Self::Record, _ctx: &mut Ctx) {}

    /// May this operator create records of this kind (`n`)?
    fn may_create(view: &View) -> bool;
    /// May this operator change this record with the form (`e`)? The form
    /// shows the whole record: what the operator may not read cannot be edited.
    fn may_edit(who: &Principal, record: &Self::Record) -> bool;
    /// The record as read for the form carries all the form shows.
    fn whole(record: &Self::Record) -> bool;
    /// A caller of no service names the new record's service and referent:
    /// the bank's services are read before the form opens.
    fn assigned() -> bool {
        false
    }
    fn form(record: Option<&Self::Record>, lang: Lang) -> Form;
    /// What one field requires of another (a choice that needs a date),
    /// said on the field before anything is sent: the labels that fail.
    fn check(_form: &mut Form, _lang: Lang) -> Vec<String> {
        Vec::new()
    }
    /// The form as a create (no code) or an update request.
    fn save(
        form: &Form,
        base: Option<&Self::Record>,
        code: Option<Self::Code>,
        revision: u64,
        today: time::Date,
    ) -> Request;

    /// A kind's own form (`Own::Form`) as its request, or the problems to
    /// show on its fields before anything is sent.
    fn save_own(
        _purpose: Tag,
        _form: &Form,
        _base: Option<&Self::Record>,
        _code: Option<Self::Code>,
        _revision: u64,
        _today: time::Date,
    ) -> Result<Request, Vec<Problem>> {
        Err(Vec::new())
    }

    /// The kind's keys in the list (`detail`: false) or on the card.
    fn own_keys(_detail: bool) -> OwnKeys<Self::Act> {
        OwnKeys::NONE
    }
    /// Is the kind's key offered on this record (`None`: no record selected)?
    fn legal(_act: Self::Act, _who: &Principal, _on: Option<&Self::Record>) -> bool {
        true
    }
    /// The kind's key pressed on a record (the card's, or the list's selected one).
    fn act(&mut self, _act: Self::Act, _on: Option<&Self::Record>, _ctx: &mut Ctx) -> Own {
        Own::Done
    }
    /// The answer to a request the kind asked for.
    fn answer(&mut self, _tag: Tag, _result: Result<Reply, CallError>, _ctx: &mut Ctx) -> Own {
        Own::Done
    }
}
