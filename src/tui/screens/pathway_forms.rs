//! The forms of a family's pathway on the Famiglie screen: a first contact
//! with only what is known (`i`), the next step of the pathway offered by
//! name (`p`), an entry of the support log (`d`). Each becomes one request;
//! the core's refusals come back next to their fields.

use time::Date;

use crate::api::{FamilyView, Request};
use crate::i18n::Lang;
use crate::model::{
    Assessors, EnquiryInput, EnquirySource, EventCode, FamilyCode, Field, Problem, Reason, StepInput, StepKind,
    StepReason, SupportEntry, SupportKind,
};
use crate::tui::screens::Tag;
use crate::tui::text::texts;
use crate::tui::widgets::form::{options, Form, Input};

texts!(Wx {
    EnquiryTitle => "Primo contatto: solo ciò che si sa (^S salva)", "First contact: only what is known (^S saves)";
    StepTitle => "Passo del percorso di {code} (^S salva)", "Pathway step of {code} (^S saves)";
    SupportTitle => "Diario di sostegno di {code} (^S salva)", "Support log of {code} (^S saves)";
    EnquiryDate => "data del primo contatto", "date of the first contact";
    SecondName => "altro adulto (nome e cognome)", "other adult (name and surname)";
    FirstName => "chi ha chiamato (nome e cognome)", "who called (name and surname)";
    SourceUnknown => "— non indicata —", "— not given —";
    NoReason => "— nessuno —", "— none —";
    EventCode => "incontro della rete (E-2026-0001)", "network event (E-2026-0001)";
    ByMe => "chi l'ha svolto (vuoto: io)", "done by (empty: me)";
});

/// A first contact: names, a phone or an e-mail, the comune; the rest if known.
pub fn enquiry_form(today: Date, lang: Lang) -> Form {
    let sources: Vec<String> =
        std::iter::once(Wx::SourceUnknown.get(lang).to_string()).chain(options!(EnquirySource, lang)).collect();
    Form::new(
        Wx::EnquiryTitle.get(lang).to_string(),
        vec![
            Input::text(Field::AdultName.at(0), lang, "").labelled(Wx::FirstName.get(lang)).required(),
            Input::text(Field::AdultName.at(1), lang, "").labelled(Wx::SecondName.get(lang)),
            Input::text(Field::IdentityPhone, lang, ""),
            Input::text(Field::IdentityEmail, lang, ""),
            Input::comune(Field::ProfileComune, lang, None).required(),
            Input::choice(Field::PathwaySource, lang, sources, 0),
            Input::text(Field::PathwaySourceNote, lang, ""),
            Input::text(Field::StepEvent, lang, "").labelled(Wx::EventCode.get(lang)),
            Input::date(Field::StepDate, lang, Some(today)).labelled(Wx::EnquiryDate.get(lang)).required(),
            Input::text(Field::StepNote, lang, ""),
        ],
    )
}

/// The steps the family may take now, the expected one first (as the
/// core offers them), each with what a command would type.
pub fn step_form(code: FamilyCode, next: &[StepKind], today: Date, lang: Lang) -> Form {
    let steps: Vec<String> = next.iter().map(|s| s.named(lang)).collect();
    let reasons: Vec<String> =
        std::iter::once(Wx::NoReason.get(lang).to_string()).chain(options!(StepReason, lang)).collect();
    Form::new(
        Wx::StepTitle.fill(lang, &[("code", &code)]),
        vec![
            Input::choice(Field::StepKind, lang, steps, 0),
            Input::date(Field::StepDate, lang, Some(today)).required(),
            Input::text(Field::StepBy, lang, "").labelled(Wx::ByMe.get(lang)),
            Input::text(Field::StepNote, lang, ""),
            Input::choice(Field::StepReason, lang, reasons, 0),
            Input::text(Field::StepEvent, lang, "").labelled(Wx::EventCode.get(lang)),
            Input::text(Field::AssessorSocialWorker, lang, ""),
            Input::text(Field::AssessorPsychologist, lang, ""),
        ],
    )
}

/// An entry of the support log: a talk, a visit, supervision, a group.
pub fn support_form(code: FamilyCode, today: Date, lang: Lang) -> Form {
    Form::new(
        Wx::SupportTitle.fill(lang, &[("code", &code)]),
        vec![
            Input::choice(Field::SupportKind, lang, options!(SupportKind, lang), 0),
            Input::date(Field::SupportDate, lang, Some(today)).required(),
            Input::text(Field::SupportNote, lang, "").required(),
            Input::text(Field::SupportEvent, lang, "").labelled(Wx::EventCode.get(lang)),
        ],
    )
}

/// The request a pathway form says, or the problems to show before sending.
pub fn request(
    purpose: Tag,
    form: &Form,
    base: Option<&FamilyView>,
    code: Option<FamilyCode>,
    revision: u64,
    today: Date,
) -> Result<Request, Vec<Problem>> {
    let text = |field: Field| form.field(field).map(|f| f.as_text().trim().to_string()).unwrap_or_default();
    let index = |field: Field| form.field(field).map_or(0, |f| f.as_index());
    let mut problems = Vec::new();
    let mut event = |field: Field| {
        let typed = text(field);
        if typed.is_empty() {
            return None;
        }
        let code = EventCode::parse(&typed);
        if code.is_none() {
            problems.push(Problem::new(field, Reason::UnknownCode { code: typed }));
        }
        code
    };
    let request = match (purpose, code) {
        ("enquiry", _) => {
            let event = event(Field::StepEvent);
            let name = |i: usize| form.field(Field::AdultName.at(i)).map(|f| f.as_text().trim().to_string());
            let names = [name(0), name(1)].into_iter().flatten().filter(|n| !n.is_empty()).collect();
            let input = EnquiryInput {
                service: None,
                names,
                phone: text(Field::IdentityPhone),
                email: text(Field::IdentityEmail),
                comune: form
                    .field(Field::ProfileComune)
                    .and_then(|f| f.as_comune())
                    .unwrap_or(crate::model::ComuneCode::from_u32(0)),
                date: form.field(Field::StepDate).and_then(|f| f.as_date()).unwrap_or(today),
                source: index(Field::PathwaySource).checked_sub(1).and_then(|i| EnquirySource::ALL.get(i).copied()),
                source_note: text(Field::PathwaySourceNote),
                event,
                note: text(Field::StepNote),
            };
            Request::FamilyEnquiry { input }
        }
        ("step", Some(code)) => {
            let next = base.and_then(|b| b.pathway.as_ref()).map(|p| p.next_steps.clone()).unwrap_or_default();
            let Some(kind) = next.get(index(Field::StepKind)).copied() else {
                return Err(vec![Problem::new(Field::StepKind, Reason::Required)]);
            };
            let event = event(Field::StepEvent);
            let (social_worker, psychologist) = (text(Field::AssessorSocialWorker), text(Field::AssessorPsychologist));
            let named = !social_worker.is_empty() || !psychologist.is_empty();
            let step = StepInput {
                kind,
                date: form.field(Field::StepDate).and_then(|f| f.as_date()).unwrap_or(today),
                by: text(Field::StepBy),
                note: text(Field::StepNote),
                reason: index(Field::StepReason).checked_sub(1).and_then(|i| StepReason::ALL.get(i).copied()),
                event,
                // The start of the assessment asks for both; the core says so by name.
                assessors: (kind == StepKind::AssessmentStart || named)
                    .then_some(Assessors { social_worker, psychologist }),
            };
            Request::FamilyStep { code, base_revision: revision, step }
        }
        ("support", Some(code)) => {
            let event = event(Field::SupportEvent);
            let entry = SupportEntry {
                kind: SupportKind::ALL[index(Field::SupportKind).min(SupportKind::ALL.len() - 1)],
                date: form.field(Field::SupportDate).and_then(|f| f.as_date()).unwrap_or(today),
                note: text(Field::SupportNote),
                event,
                recorded_by: String::new(),
            };
            Request::FamilySupport { code, base_revision: revision, entry }
        }
        _ => return Err(vec![Problem::new(Field::StepKind, Reason::Required)]),
    };
    if problems.is_empty() {
        Ok(request)
    } else {
        Err(problems)
    }
}
