//! A placement's plan, review and closing as forms (the same widget as a
//! family's or a need's record), instead of chains of one-field prompts:
//! every field in sight, Tab between them, the core's problems next to the
//! field they name (`plan.start`, `review.note`, `closing.date`), nothing
//! typed lost on a refusal. The screens open these and send what `*_of`
//! gives back.

use time::Date;

use crate::i18n::Lang;
use crate::model::dates::{format_date, parse_date_or_word};
use crate::model::{ContactFrequency, FosterPlan, OriginContact, PlacementOutcome};
use crate::tui::widgets::form::{options, Field, Form};

/// The plan of a placement: `plan` as it is (or a proposal's draft).
pub fn plan_form(title: String, plan: &FosterPlan, lang: Lang) -> Form {
    let freqs = options!(ContactFrequency, lang);
    let freq = ContactFrequency::ALL.iter().position(|&f| f == plan.contact.frequency).unwrap_or(0);
    let reviews = plan.review_dates.iter().map(|d| format_date(*d)).collect::<Vec<_>>().join(", ");
    Form::new(
        title,
        vec![
            Field::date("plan.start", lang, Some(plan.start)).required(),
            Field::date("plan.expected_end", lang, plan.expected_end),
            Field::number("plan.duration_months", lang, plan.duration_months.map(u64::from)),
            Field::choice("plan.contact", lang, freqs, freq),
            Field::yes_no("plan.contact", lang, plan.contact.supervised).labelled(supervised(lang)),
            Field::text("plan.contact_notes", lang, &plan.contact_notes),
            Field::text("plan.review_dates", lang, &reviews).labelled(reviews_label(lang)),
            Field::text("plan.commitments", lang, &plan.commitments),
        ],
    )
}

/// The plan the form says, once every field reads (`today` for `oggi`);
/// `None` with the errors set on the fields that do not.
pub fn plan_of(form: &mut Form, lang: Lang, today: Date) -> Option<FosterPlan> {
    let mut bad = !form.check_all(lang, today).is_empty();
    // Planned reviews: dates separated by commas, each read like a date field.
    let mut review_dates = Vec::new();
    if let Some(field) = form.fields.iter_mut().find(|f| f.path == "plan.review_dates") {
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
    let text = |path: &str| form.field(path).map(|f| f.as_text().to_string()).unwrap_or_default();
    Some(FosterPlan {
        start: form.field("plan.start").and_then(Field::as_date)?,
        expected_end: form.field("plan.expected_end").and_then(Field::as_date),
        duration_months: form
            .field("plan.duration_months")
            .and_then(Field::as_number)
            .map(|n| n.min(u64::from(u16::MAX)) as u16),
        contact: OriginContact {
            frequency: ContactFrequency::ALL[form.field("plan.contact").map_or(0, Field::as_index)],
            supervised: form.nth("plan.contact", 1).is_some_and(Field::as_bool),
        },
        contact_notes: text("plan.contact_notes"),
        review_dates,
        commitments: text("plan.commitments"),
    })
}

/// A review: its date (today, to change) and what it found.
pub fn review_form(title: String, today: Date, lang: Lang) -> Form {
    Form::new(
        title,
        vec![Field::date("review.date", lang, Some(today)).required(), Field::text("review.note", lang, "").required()],
    )
}

/// The review's date and note, once they read; `None` with the errors on the fields.
pub fn review_of(form: &mut Form, lang: Lang, today: Date) -> Option<(Date, String)> {
    if !checked(form, lang, today) {
        return None;
    }
    let date = form.field("review.date").and_then(Field::as_date)?;
    Some((date, form.field("review.note").map(|f| f.as_text().to_string()).unwrap_or_default()))
}

/// A closing: its date (today, to change), the outcome, a note.
pub fn closing_form(title: String, today: Date, lang: Lang) -> Form {
    Form::new(
        title,
        vec![
            Field::date("closing.date", lang, Some(today)).required(),
            Field::choice("closing.outcome", lang, options!(PlacementOutcome, lang), 0),
            Field::text("closing.note", lang, ""),
        ],
    )
}

/// The closing's date, outcome and note, once they read; `None` with the errors on the fields.
pub fn closing_of(form: &mut Form, lang: Lang, today: Date) -> Option<(Date, PlacementOutcome, String)> {
    if !checked(form, lang, today) {
        return None;
    }
    let date = form.field("closing.date").and_then(Field::as_date)?;
    let outcome = PlacementOutcome::ALL[form.field("closing.outcome").map_or(0, Field::as_index)];
    Some((date, outcome, form.field("closing.note").map(|f| f.as_text().to_string()).unwrap_or_default()))
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
    lang.pick("incontri facilitati", "supervised contact")
}

fn reviews_label(lang: Lang) -> &'static str {
    lang.pick("verifiche previste (date, separate da virgola)", "planned reviews (dates, comma separated)")
}

fn not_a_date(lang: Lang) -> &'static str {
    lang.pick(
        "non è una data valida (gg/mm/aaaa, oggi, ieri, domani)",
        "is not a valid date (dd/mm/yyyy, today, yesterday, tomorrow)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
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
        }
    }

    #[test]
    fn a_plan_typed_in_its_form_comes_back_whole() {
        let mut form = plan_form("Piano".into(), &draft(), Lang::It);
        // The start offered is replaced by what is typed.
        typed(&mut form, "domani");
        tab(&mut form, 2);
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
        tab(&mut form, 6);
        typed(&mut form, "30/12/2026, poi");
        assert_eq!(plan_of(&mut form, Lang::It, TODAY), None);
        let field = &form.fields[form.focus];
        assert_eq!(field.path, "plan.review_dates");
        assert!(field.error.as_deref().unwrap_or_default().contains("«poi» non è una data valida"), "{field:?}");
    }

    #[test]
    fn a_review_needs_its_note_and_a_closing_takes_its_outcome() {
        let mut form = review_form("Verifica".into(), TODAY, Lang::It);
        assert_eq!(review_of(&mut form, Lang::It, TODAY), None, "the note is required");
        assert_eq!(form.focus, 1);
        typed(&mut form, "Inserimento sereno.");
        assert_eq!(review_of(&mut form, Lang::It, TODAY), Some((TODAY, "Inserimento sereno.".into())));

        let mut form = closing_form("Chiusura".into(), TODAY, Lang::It);
        typed(&mut form, "ieri");
        tab(&mut form, 1);
        form.key(&KeyEvent::new(KeyCode::Right, KeyModifiers::NONE), Lang::It, TODAY);
        let (date, outcome, note) = closing_of(&mut form, Lang::It, TODAY).expect("reads");
        assert_eq!((date, outcome, note.as_str()), (date!(2026 - 11 - 22), PlacementOutcome::ALL[1], ""));
    }
}
