//! A placement's plan, review and closing as forms (the same widget as a
//! family's or a need's record), instead of chains of one-field prompts:
//! every field in sight, Tab between them, the core's problems next to the
//! field they name (`plan.start`, `review.note`, `closing.date`), nothing
//! typed lost on a refusal. The screens open these in a `Sheet` and send
//! what `*_of` gives back.

use ratatui::crossterm::event::{KeyCode, KeyEvent, MouseEvent};
use ratatui::layout::Rect;
use ratatui::Frame;
use time::Date;

use crate::api::BankError;
use crate::i18n::Lang;
use crate::model::dates::{format_date, parse_date_or_word};
use crate::model::{
    ContactFrequency, Decider, Field, FosterPlan, OriginContact, PlacementOutcome, Relationship, ReviewKind,
};
use crate::tui::keys::Hint;
use crate::tui::screens::{Ctx, View};
use crate::tui::source::CallError;
use crate::tui::text::texts;
use crate::tui::widgets::form::{options, EditStep, Editor, Form, Fx, Input};

texts!(Sx {
    Plan => "Piano dell'affido da", "Placement plan from";
    Review => "Verifica di", "Review of";
    Closing => "Chiusura di", "Closing of";
    Extension => "Proroga di", "Extension of";
    Court => "Relazione al Tribunale per", "Court report for";
    AskClose => "Chiudere l'affido", "Close placement";
    YesNo => "(s/n)", "(y/n)";
    Sending => "invio…", "sending…";
    Supervised => "incontri facilitati", "supervised contact";
    ReviewsLabel => "verifiche (date separate da ,)", "planned reviews (dates, comma)";
    Contact => "incontri famiglia d'origine", "contact with family of origin";
    ToBeSaid => "— da indicare —", "— to be given —";
    NotADate => "non è una data valida (gg/mm/aaaa, oggi, ieri, domani)",
        "is not a valid date (dd/mm/yyyy, today, yesterday, tomorrow)";
});

/// The title of a plan's, a review's or a closing's form, naming its record.
pub fn title(what: Sx, code: &str, lang: Lang) -> String {
    format!("{} {code}", what.get(lang))
}

/// The question before a closing is sent: which placement, on which day, how it ended.
pub fn closing_question(code: &str, date: Date, outcome: PlacementOutcome, lang: Lang) -> String {
    let yes_no = Sx::YesNo.get(lang);
    format!("{} {code} · {} · {}? {yes_no}", Sx::AskClose.get(lang), format_date(date), outcome.label(lang))
}

/// A form that sends one change (a plan, a review, a closing): the form
/// widget with its question before discarding, an optional confirmation
/// before sending, and the core's refusal put back next to its fields.
/// `W` says what the form is for (which record).
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet<W> {
    pub editor: Editor,
    pub what: W,
    /// Asked before sending (a closing), until answered.
    confirm: Option<String>,
    /// Sent and not answered yet: keys wait, nothing is sent twice.
    sending: bool,
}

/// What a key did to a sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetStep {
    Stay,
    /// Not a key of the form: the screen's or the application's.
    Ignored,
    /// Save asked: the screen reads the form (and may ask to confirm).
    Save,
    /// Confirmed: send it.
    Send,
    /// Leave the form (nothing to keep, or the operator said so).
    Close,
}

impl<W> Sheet<W> {
    pub fn new(form: Form, what: W) -> Sheet<W> {
        Sheet { editor: Editor::new(form, None, 0), what, confirm: None, sending: false }
    }

    /// A question to answer before the change goes (s/y sends it).
    pub fn ask(&mut self, question: String) {
        self.confirm = Some(question);
    }

    /// The change went: keys wait for its answer.
    pub fn sent(&mut self) {
        self.sending = true;
    }

    pub fn is_sending(&self) -> bool {
        self.sending
    }

    /// A text field has the keys, or a question waits for its answer (no
    /// letter may switch screens under it).
    pub fn captures_text(&self) -> bool {
        self.confirm.is_some() || (!self.sending && self.editor.captures_text())
    }

    pub fn unsaved(&self) -> bool {
        self.editor.unsaved()
    }

    pub fn hints(&self) -> Vec<Hint> {
        if self.confirm.is_some() {
            Vec::new()
        } else {
            self.editor.hints()
        }
    }

    /// Pasted text for the focused field (not while a question waits or the sheet is being sent).
    pub fn paste(&mut self, text: &str, lang: Lang) -> bool {
        self.confirm.is_none() && !self.sending && self.editor.paste(text, lang)
    }

    pub fn key(&mut self, ev: &KeyEvent, lang: Lang, today: Date) -> SheetStep {
        if self.sending {
            return SheetStep::Stay;
        }
        if self.confirm.take().is_some() {
            let yes = matches!(ev.code, KeyCode::Char(c) if matches!(c.to_ascii_lowercase(), 's' | 'y'));
            return if yes { SheetStep::Send } else { SheetStep::Stay };
        }
        match self.editor.key(ev, lang, today) {
            EditStep::Stay => SheetStep::Stay,
            EditStep::Ignored => SheetStep::Ignored,
            EditStep::Save => SheetStep::Save,
            EditStep::Close => SheetStep::Close,
        }
    }

    pub fn mouse(&mut self, ev: &MouseEvent, lang: Lang, today: Date) -> bool {
        self.confirm.is_none() && !self.sending && self.editor.mouse(ev, lang, today)
    }

    /// The local checks failed (`*_of` gave nothing): the status line names the fields.
    pub fn to_fix(&mut self, ctx: &mut Ctx) {
        let lang = ctx.view.lang;
        let labels: Vec<String> =
            self.editor.form.fields.iter().filter(|f| f.error.is_some()).map(|f| f.label.clone()).collect();
        ctx.error(format!("{} {}", Fx::ToFix.get(lang), labels.join(", ")));
    }

    /// The core refused: its problems next to the fields they name (what
    /// was typed stays), anything else on top of the form and on the status line.
    pub fn refused(&mut self, error: CallError, ctx: &mut Ctx) {
        let lang = ctx.view.lang;
        self.sending = false;
        match error {
            CallError::Bank(BankError::Invalid(problems)) => {
                self.editor.form.set_problems(&problems, lang);
                let labels: Vec<String> = problems.iter().map(|p| p.field.label(lang)).collect();
                ctx.error(format!("{} {}", Fx::ToFix.get(lang), labels.join(", ")));
            }
            other => {
                let message = other.message(lang);
                self.editor.form.top = vec![message.clone()];
                ctx.error(message);
            }
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        self.editor.render(frame, area, view);
        if let Some(question) = &self.confirm {
            crate::tui::help::confirm(frame, area, question, view);
        } else if self.sending {
            crate::tui::help::confirm(frame, area, Sx::Sending.get(view.lang), view);
        }
    }
}

/// The plan of a placement: `plan` as it is (or a proposal's draft).
pub fn plan_form(title: String, plan: &FosterPlan, lang: Lang) -> Form {
    let freqs = options!(ContactFrequency, lang);
    let freq = ContactFrequency::ALL.iter().position(|&f| f == plan.contact.frequency).unwrap_or(0);
    let reviews = plan.review_dates.iter().map(|d| format_date(*d)).collect::<Vec<_>>().join(", ");
    Form::new(
        title,
        vec![
            Input::date(Field::PlanStart, lang, Some(plan.start)).required(),
            Input::choice(Field::PlanRelationship, lang, relationships(lang), relationship_index(plan.relationship)),
            Input::date(Field::PlanExpectedEnd, lang, plan.expected_end),
            Input::number(Field::PlanDurationMonths, lang, plan.duration_months.map(u64::from)),
            Input::choice(Field::PlanContact, lang, freqs, freq).labelled(contact(lang)),
            Input::yes_no(Field::PlanContact, lang, plan.contact.supervised).labelled(supervised(lang)),
            Input::text(Field::PlanContactNotes, lang, &plan.contact_notes),
            Input::text(Field::PlanReviewDates, lang, &reviews).labelled(reviews_label(lang)),
            Input::text(Field::PlanCommitments, lang, &plan.commitments),
        ],
    )
}

/// The plan the form says, once every field reads (`today` for `oggi`);
/// `None` with the errors set on the fields that do not.
pub fn plan_of(form: &mut Form, lang: Lang, today: Date) -> Option<FosterPlan> {
    let mut bad = !form.check_all(lang, today).is_empty();
    // Planned reviews: dates separated by commas, each read like a date field.
    let mut review_dates = Vec::new();
    if let Some(field) = form.field_mut(Field::PlanReviewDates) {
        for typed in field.as_text().split(',').map(str::trim).filter(|t| !t.is_empty()) {
            match parse_date_or_word(typed, today) {
                Some(d) => review_dates.push(d),
                None => {
                    let label = field.label.clone();
                    field.error = Some(format!("{label}: «{typed}» {}", not_a_date(lang)));
                    bad = true;
                    break;
                }
            }
        }
    }
    if bad {
        if let Some(i) = form.fields.iter().position(|f| f.error.is_some()) {
            form.enter(i);
        }
        return None;
    }
    let text = |field: Field| form.field(field).map(|f| f.as_text().to_string()).unwrap_or_default();
    Some(FosterPlan {
        start: form.field(Field::PlanStart).and_then(Input::as_date)?,
        expected_end: form.field(Field::PlanExpectedEnd).and_then(Input::as_date),
        duration_months: form
            .field(Field::PlanDurationMonths)
            .and_then(Input::as_number)
            .map(|n| n.min(u64::from(u16::MAX)) as u16),
        contact: OriginContact {
            frequency: ContactFrequency::ALL[form.field(Field::PlanContact).map_or(0, Input::as_index)],
            supervised: form.nth(Field::PlanContact, 1).is_some_and(Input::as_bool),
        },
        contact_notes: text(Field::PlanContactNotes),
        review_dates,
        commitments: text(Field::PlanCommitments),
        // The first option is "to be given": the core refuses it by name.
        relationship: form
            .field(Field::PlanRelationship)
            .and_then(|f| f.as_index().checked_sub(1))
            .and_then(|i| Relationship::ALL.get(i).copied()),
    })
}

/// A review: its date (today, to change) and what it found.
/// "— to be given —", then kinship and non-kin.
fn relationships(lang: Lang) -> Vec<String> {
    std::iter::once(Sx::ToBeSaid.get(lang).to_string()).chain(options!(Relationship, lang)).collect()
}

fn relationship_index(r: Option<Relationship>) -> usize {
    r.and_then(|r| Relationship::ALL.iter().position(|x| *x == r)).map_or(0, |i| i + 1)
}

/// A formal review (it meets the next planned date) or a contact note.
pub fn review_form(title: String, today: Date, lang: Lang) -> Form {
    Form::new(
        title,
        vec![
            Input::date(Field::ReviewDate, lang, Some(today)).required(),
            Input::text(Field::ReviewNote, lang, "").required(),
            // A formal review unless told: only it meets the next planned date.
            Input::choice(Field::ReviewKind, lang, options!(ReviewKind, lang), 0),
        ],
    )
}

/// The review's date and note, once they read; `None` with the errors on the fields.
pub fn review_of(form: &mut Form, lang: Lang, today: Date) -> Option<(Date, String, ReviewKind)> {
    if !checked(form, lang, today) {
        return None;
    }
    let date = form.field(Field::ReviewDate).and_then(Input::as_date)?;
    let kind = ReviewKind::ALL[form.field(Field::ReviewKind).map_or(0, Input::as_index)];
    Some((date, form.field(Field::ReviewNote).map(|f| f.as_text().to_string()).unwrap_or_default(), kind))
}

/// An extension: the new end, who decided it and when (today, to change), a note.
pub fn extension_form(title: String, today: Date, lang: Lang) -> Form {
    Form::new(
        title,
        vec![
            Input::date(Field::ExtensionUntil, lang, None).required(),
            Input::choice(Field::ExtensionDecidedBy, lang, options!(Decider, lang), 0),
            Input::date(Field::ExtensionDecidedOn, lang, Some(today)).required(),
            Input::text(Field::ExtensionNote, lang, ""),
        ],
    )
}

/// The extension's new end, decider, day of the decision and note, once they read.
pub fn extension_of(form: &mut Form, lang: Lang, today: Date) -> Option<(Date, Decider, Date, String)> {
    if !checked(form, lang, today) {
        return None;
    }
    let until = form.field(Field::ExtensionUntil).and_then(Input::as_date)?;
    let decided_by = Decider::ALL[form.field(Field::ExtensionDecidedBy).map_or(0, Input::as_index)];
    let decided_on = form.field(Field::ExtensionDecidedOn).and_then(Input::as_date)?;
    let note = form.field(Field::ExtensionNote).map(|f| f.as_text().to_string()).unwrap_or_default();
    Some((until, decided_by, decided_on, note))
}

/// A report due to the court: its due date; the day it was sent, when it was.
pub fn court_form(title: String, lang: Lang) -> Form {
    Form::new(
        title,
        vec![
            Input::date(Field::CourtReportDue, lang, None).required(),
            Input::date(Field::CourtReportSent, lang, None),
            Input::text(Field::CourtReportNote, lang, ""),
        ],
    )
}

/// The report's due date, the day it was sent (if), the note, once they read.
pub fn court_of(form: &mut Form, lang: Lang, today: Date) -> Option<(Date, Option<Date>, String)> {
    if !checked(form, lang, today) {
        return None;
    }
    let due = form.field(Field::CourtReportDue).and_then(Input::as_date)?;
    let sent = form.field(Field::CourtReportSent).and_then(Input::as_date);
    let note = form.field(Field::CourtReportNote).map(|f| f.as_text().to_string()).unwrap_or_default();
    Some((due, sent, note))
}

/// A closing: its date (today, to change), the outcome, a note.
pub fn closing_form(title: String, today: Date, lang: Lang) -> Form {
    Form::new(
        title,
        vec![
            Input::date(Field::ClosingDate, lang, Some(today)).required(),
            Input::choice(Field::ClosingOutcome, lang, options!(PlacementOutcome, lang), 0),
            Input::text(Field::ClosingNote, lang, ""),
        ],
    )
}

/// The closing's date, outcome and note, once they read; `None` with the errors on the fields.
pub fn closing_of(form: &mut Form, lang: Lang, today: Date) -> Option<(Date, PlacementOutcome, String)> {
    if !checked(form, lang, today) {
        return None;
    }
    let date = form.field(Field::ClosingDate).and_then(Input::as_date)?;
    let outcome = PlacementOutcome::ALL[form.field(Field::ClosingOutcome).map_or(0, Input::as_index)];
    Some((date, outcome, form.field(Field::ClosingNote).map(|f| f.as_text().to_string()).unwrap_or_default()))
}

/// Every local check passed; else the focus is on the first field to fix.
fn checked(form: &mut Form, lang: Lang, today: Date) -> bool {
    if form.check_all(lang, today).is_empty() {
        return true;
    }
    if let Some(i) = form.fields.iter().position(|f| f.error.is_some()) {
        form.enter(i);
    }
    false
}

fn supervised(lang: Lang) -> &'static str {
    Sx::Supervised.get(lang)
}

/// Short enough for the label's column at 80 columns.
fn reviews_label(lang: Lang) -> &'static str {
    Sx::ReviewsLabel.get(lang)
}

fn contact(lang: Lang) -> &'static str {
    Sx::Contact.get(lang)
}

fn not_a_date(lang: Lang) -> &'static str {
    Sx::NotADate.get(lang)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FieldRef;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 23);

    fn typed(form: &mut Form, text: &str) {
        for c in text.chars() {
            form.key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE), Lang::It, TODAY);
        }
    }

    fn tab(form: &mut Form, times: usize) {
        for _ in 0..times {
            form.key(&KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE), Lang::It, TODAY);
        }
    }

    fn draft() -> FosterPlan {
        FosterPlan {
            start: TODAY,
            expected_end: None,
            duration_months: None,
            contact: OriginContact { frequency: ContactFrequency::ALL[0], supervised: false },
            contact_notes: String::new(),
            review_dates: Vec::new(),
            commitments: String::new(),
            relationship: Some(crate::model::Relationship::NonKin),
        }
    }

    #[test]
    fn a_plan_typed_in_its_form_comes_back_whole() {
        let mut form = plan_form("Piano".into(), &draft(), Lang::It);
        // The start offered is replaced by what is typed.
        typed(&mut form, "domani");
        tab(&mut form, 3);
        typed(&mut form, "24");
        tab(&mut form, 4);
        typed(&mut form, "30/12/2026, oggi");
        tab(&mut form, 1);
        typed(&mut form, "scuola e sport");
        let plan = plan_of(&mut form, Lang::It, TODAY).expect("every field reads");
        assert_eq!(plan.start, date!(2026 - 11 - 24));
        assert_eq!(plan.duration_months, Some(24));
        assert_eq!(plan.review_dates, vec![date!(2026 - 12 - 30), TODAY]);
        assert_eq!(plan.commitments, "scuola e sport");
    }

    #[test]
    fn a_review_date_that_is_not_one_is_named_and_nothing_comes_back() {
        let mut form = plan_form("Piano".into(), &draft(), Lang::It);
        tab(&mut form, 7);
        typed(&mut form, "30/12/2026, poi");
        assert_eq!(plan_of(&mut form, Lang::It, TODAY), None);
        let field = &form.fields[form.focus];
        assert_eq!(field.field, FieldRef::from(Field::PlanReviewDates));
        assert!(field.error.as_deref().unwrap_or_default().contains("«poi» non è una data valida"), "{field:?}");
    }

    #[test]
    fn a_review_needs_its_note_and_a_closing_takes_its_outcome() {
        let mut form = review_form("Verifica".into(), TODAY, Lang::It);
        assert_eq!(review_of(&mut form, Lang::It, TODAY), None, "the note is required");
        assert_eq!(form.focus, 1);
        typed(&mut form, "Inserimento sereno.");
        assert_eq!(
            review_of(&mut form, Lang::It, TODAY),
            Some((TODAY, "Inserimento sereno.".into(), ReviewKind::Formal))
        );

        let mut form = closing_form("Chiusura".into(), TODAY, Lang::It);
        typed(&mut form, "ieri");
        tab(&mut form, 1);
        form.key(&KeyEvent::new(KeyCode::Right, KeyModifiers::NONE), Lang::It, TODAY);
        let (date, outcome, note) = closing_of(&mut form, Lang::It, TODAY).expect("reads");
        assert_eq!((date, outcome, note.as_str()), (date!(2026 - 11 - 22), PlacementOutcome::ALL[1], ""));
    }
}
