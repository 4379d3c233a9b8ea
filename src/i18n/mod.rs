//! The operator's language. Italian by default, English on request.

/// The language lives in `model` (its vocabularies have a label in each);
/// the edge names it from here.
pub use crate::model::Lang;

pub mod catalogue;
mod errors;
mod events;
mod fields;
mod matching;
mod problems;

pub(crate) use catalogue::catalogue;
pub use catalogue::{fill, Catalogue};
pub use errors::{chain_break as chain_break_text, describe_error, describe_open_failure};
pub use errors::{describe_client_error, describe_serve_failure};
pub use events::{event_label, event_revision, events_missed};
pub use fields::{audit_fields, field_label, strip_indices};
pub use matching::{
    criterion_label, describe_criterion, describe_exclusion, describe_fact, describe_refusal, hard_rule_label,
};
pub use problems::{describe_problem, describe_reason};

/// `23/11/2026 10:42`, in the bank's local time.
pub fn format_timestamp(at: time::OffsetDateTime) -> String {
    format!("{} {:02}:{:02}", crate::model::dates::format_date(at.date()), at.hour(), at.minute())
}

/// A comune code as the operator knows it: "Dalmine (BG)", or the code if unknown.
pub fn comune_label(code: &str) -> String {
    crate::model::ComuneCode::parse(code)
        .and_then(crate::model::Comuni::embedded_label)
        .unwrap_or_else(|| code.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Reason;

    #[test]
    fn a_field_named_by_its_path_reads_in_words() {
        assert_eq!(field_label("identity.adults[1].name", Lang::It), "nome dell'adulto n. 2");
        assert_eq!(field_label("profile.ages", Lang::En), "age range");
        assert_eq!(field_label("profile.languages[0]", Lang::It), "lingue n. 1");
        assert_eq!(field_label("not.a_field", Lang::It), "not.a_field");
    }

    #[test]
    fn every_reason_reads_in_both_languages() {
        let s = || "x".to_string();
        let reasons = vec![
            Reason::Required,
            Reason::TooLong { max: 3 },
            Reason::OutOfRange { min: 1, max: 2 },
            Reason::UnknownComune { code: s() },
            Reason::AgeRangeInverted { min_months: 144, max_months: 83 },
            Reason::AgeAboveLimit,
            Reason::InTheFuture,
            Reason::NotAfter { other_field: crate::model::Field::ApprovedOn },
            Reason::Before { other_field: crate::model::Field::AvailableFrom },
            Reason::RequiredWhen { condition: "status=approved".into() },
            Reason::NotExpected { condition: "status!=closed".into() },
            Reason::InvalidEmail,
            Reason::InvalidPhone,
            Reason::InvalidUserName,
            Reason::FiscalCode { problem: "CheckCharacter".into() },
            Reason::Duplicate { value: s() },
            Reason::UnknownCode { code: s() },
            Reason::SiblingIsSelf,
            Reason::SiblingOtherService { code: s() },
            Reason::SiblingClosed { code: s() },
            Reason::UnknownService { code: s() },
            Reason::UnknownAmbit { name: s() },
            Reason::UnknownDistrict { name: s() },
            Reason::UnknownOperator { user: s() },
            Reason::ReferentNotInService { user: s(), service: s() },
            Reason::ReferentInactive { user: s() },
            Reason::StatusTransition { from: "enquiring".into(), to: "approved".into() },
            Reason::ComuneInOtherAmbit { comune: "016091".into(), ambit: s() },
            Reason::ComuneNotInAmbit { comune: "016091".into() },
            Reason::ComuneInTwoDistricts { comune: "016091".into() },
            Reason::AgeOutsideKind { age_months: 204 },
            Reason::InfantTooOld,
            Reason::LastAdmin,
            Reason::ControlCharacter { code: "U+001B".into() },
            Reason::BidiControl { code: "U+202E".into() },
            Reason::InvisibleOnly,
            Reason::TooMany { max: 20 },
            Reason::TooManyFor { other_field: crate::model::Field::HouseholdAdults, max: 2 },
            Reason::DateOutOfRange {
                earliest: crate::model::DateLimit::On(time::macros::date!(1990 - 01 - 01)),
                latest: crate::model::DateLimit::Today,
            },
            Reason::FiscalCodeMismatch { part: "surname".into(), expected: "ROSSI (RSS)".into() },
            Reason::UnknownBirthplace { code: "Z999".into() },
            Reason::BirthplaceCeased {
                code: "Z118".into(),
                place: "Jugoslavia".into(),
                ceased_on: time::macros::date!(2003 - 02 - 04),
            },
            Reason::DeadlinePassed { on: time::macros::date!(2026 - 03 - 01) },
            Reason::UnknownLanguage { given: "arabbo".into(), suggestions: vec!["arabo".into()] },
            Reason::UnknownLanguage { given: "klingon".into(), suggestions: vec![] },
            Reason::TooManyWords { max: 8 },
        ];
        for r in &reasons {
            let (it, en) = (describe_reason(r, Lang::It), describe_reason(r, Lang::En));
            assert!(!it.is_empty() && !en.is_empty(), "{r:?}");
            assert!(!it.contains("status=") && !en.contains("status="), "condition left raw: {r:?}");
        }
        assert_eq!(
            describe_reason(&Reason::StatusTransition { from: "enquiring".into(), to: "approved".into() }, Lang::It),
            "non si passa da «interessata» a «idonea»"
        );
        assert_eq!(
            describe_problem(
                &crate::model::Problem::new(
                    crate::model::Field::ApprovedOn,
                    Reason::DateOutOfRange {
                        earliest: crate::model::DateLimit::On(time::macros::date!(1990 - 01 - 01)),
                        latest: crate::model::DateLimit::Today,
                    }
                ),
                Lang::It
            ),
            "data di idoneità: deve essere tra 01/01/1990 e oggi"
        );
        assert_eq!(
            describe_problem(
                &crate::model::Problem::new(
                    crate::model::Field::FiscalCode,
                    Reason::FiscalCodeMismatch { part: "surname".into(), expected: "ROSSI (RSS)".into() }
                ),
                Lang::It
            ),
            "codice fiscale: le lettere del cognome non corrispondono a ROSSI (RSS)"
        );
        let arabbo =
            Reason::UnknownLanguage { given: "arabbo".into(), suggestions: vec!["arabo".into(), "serbo".into()] };
        assert_eq!(describe_reason(&arabbo, Lang::It), "lingua sconosciuta: «arabbo»; forse: arabo, serbo");
        assert_eq!(
            describe_reason(&arabbo, Lang::En),
            "unknown language: \"arabbo\"; perhaps: arabo (Arabic), serbo (Serbian)"
        );
        assert!(
            describe_reason(&Reason::ComuneNotInAmbit { comune: "016091".into() }, Lang::En).contains("Dalmine (BG)")
        );
    }
}
