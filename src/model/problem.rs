//! Validation problems: each names the field and the reason; the sentence
//! is made at the edge (`i18n`), in the operator's language.

use serde::{Deserialize, Serialize};

use super::fields::{Field, FieldRef};
use super::limits::{DateWindow, Edge};
pub use super::limits::{MAX_EMAIL, MAX_PHONE};
use super::plain;

/// One thing wrong with what was submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The field, with its index in a list: on the wire its dotted path,
    /// e.g. `profile.ages` or `identity.adults[1].name`.
    pub field: FieldRef,
    pub reason: Reason,
}

/// Why a field was refused. Values are carried as text so that the
/// message can quote them as the operator typed or will recognise them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    Required,
    TooLong {
        max: usize,
    },
    OutOfRange {
        min: i64,
        max: i64,
    },
    UnknownComune {
        code: String,
    },
    AgeRangeInverted {
        min_months: u16,
        max_months: u16,
    },
    AgeAboveLimit,
    InTheFuture,
    NotAfter {
        other_field: Field,
    },
    /// Earlier than another date of the record (the same day is fine).
    Before {
        other_field: Field,
    },
    RequiredWhen {
        condition: String,
    },
    NotExpected {
        condition: String,
    },
    InvalidEmail,
    InvalidPhone,
    InvalidUserName,
    FiscalCode {
        problem: String,
    },
    Duplicate {
        value: String,
    },
    UnknownCode {
        code: String,
    },
    SiblingIsSelf,
    SiblingOtherService {
        code: String,
    },
    SiblingClosed {
        code: String,
    },
    UnknownService {
        code: String,
    },
    UnknownAmbit {
        name: String,
    },
    /// No ambito of the bank has a presidio of this name.
    UnknownDistrict {
        name: String,
    },
    UnknownOperator {
        user: String,
    },
    ReferentNotInService {
        user: String,
        service: String,
    },
    ReferentInactive {
        user: String,
    },
    StatusTransition {
        from: String,
        to: String,
    },
    /// A family's status changes only by a step of its pathway; `next` are
    /// the steps it may take (tokens), the expected one first.
    StatusByStep {
        from: String,
        to: String,
        next: Vec<String>,
    },
    /// A step the family cannot take from its status; `next` as above.
    StepNotAllowed {
        step: String,
        status: String,
        next: Vec<String>,
    },
    /// A step that waits for another (the report for the interviews).
    StepWaitsFor {
        step: String,
        missing: String,
    },
    /// An event of another kind than the step or entry names (a support
    /// group for a training step).
    EventKindMismatch {
        expected: String,
    },
    /// An event attended before it was held (it begins on `on`).
    EventNotYetHeld {
        on: time::Date,
    },
    /// A date the pathway sets by its step, not by hand (`step`: its token).
    SetByStep {
        step: String,
    },
    /// An event's kind changed while families attended it as what it was.
    EventAttended {
        families: u32,
    },
    /// More vacant places declared than the service is licensed for.
    OverLicensed {
        places: u16,
        licensed: u16,
    },
    /// The service named is not a reception service (or, for a profile,
    /// a foster service or association given one).
    NotReception,
    /// Said of a placement in a reception service, where it does not apply
    /// (kinship or non-kin).
    NotForReception,
    ComuneInOtherAmbit {
        comune: String,
        ambit: String,
    },
    ComuneNotInAmbit {
        comune: String,
    },
    ComuneInTwoDistricts {
        comune: String,
    },
    /// The child's age (in months: worded at the edge) does not fit the placement's kind.
    AgeOutsideKind {
        age_months: u32,
    },
    InfantTooOld,
    LastAdmin,
    /// A search filter banca does not know (`colore:`).
    UnknownFilter {
        name: String,
    },
    /// A search filter's value names nothing (`stato:felice`).
    BadFilterValue {
        filter: String,
        value: String,
    },
    /// A control character (ESC, NUL, a line break in a one-line field…), named as `U+001B`.
    ControlCharacter {
        code: String,
    },
    /// A bidirectional control (U+202E…): it would change what the reader sees.
    BidiControl {
        code: String,
    },
    /// Only spaces and invisible characters (U+200B…): the value looks empty.
    InvisibleOnly,
    /// More items than the list may hold.
    TooMany {
        max: usize,
    },
    /// More items than another field allows (adults named beyond the household's).
    TooManyFor {
        other_field: Field,
        max: usize,
    },
    /// A date outside the window its field allows (`limits.rs`).
    DateOutOfRange {
        earliest: DateLimit,
        latest: DateLimit,
    },
    /// A fiscal code that disagrees with the record: `part` is `surname`,
    /// `name`, `birth_date` or `sex`; `expected` what the record says,
    /// e.g. `ROSSI (RSS)`, `03/05/2015`, `F`.
    FiscalCodeMismatch {
        part: String,
        expected: String,
    },
    /// The fiscal code's birthplace (`Z999`) is neither a comune, past or
    /// present, nor a foreign state.
    UnknownBirthplace {
        code: String,
    },
    /// The fiscal code's birthplace had ceased before the birth date.
    BirthplaceCeased {
        code: String,
        place: String,
        ceased_on: time::Date,
    },
    /// A pronto intervento's deadline already past when entered (an old
    /// one sent again unchanged stays: it is marked overdue instead).
    DeadlinePassed {
        on: time::Date,
    },
    /// A language the vocabulary (`model::languages`) does not know, as
    /// typed, with the canonical names of the closest few (maybe none).
    UnknownLanguage {
        given: String,
        suggestions: Vec<String>,
    },
    /// A search with more different words than `max` (filters aside).
    TooManyWords {
        max: usize,
    },
}

/// One end of a date window, as a refusal names it: a date, or today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateLimit {
    Today,
    On(time::Date),
}

impl From<plain::Fault> for Reason {
    fn from(fault: plain::Fault) -> Reason {
        match fault {
            plain::Fault::Control { code } => Reason::ControlCharacter { code },
            plain::Fault::Bidi { code } => Reason::BidiControl { code },
            plain::Fault::InvisibleOnly => Reason::InvisibleOnly,
        }
    }
}

impl Problem {
    pub fn new(field: impl Into<FieldRef>, reason: Reason) -> Problem {
        Problem { field: field.into(), reason }
    }
}

/// Collects every problem of a submission, so the operator sees them all at once.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Problems(Vec<Problem>);

impl Problems {
    pub fn new() -> Problems {
        Problems(Vec::new())
    }

    pub fn push(&mut self, field: impl Into<FieldRef>, reason: Reason) {
        self.0.push(Problem::new(field, reason));
    }

    pub fn extend(&mut self, other: Problems) {
        self.0.extend(other.0);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_vec(self) -> Vec<Problem> {
        self.0
    }

    pub fn as_slice(&self) -> &[Problem] {
        &self.0
    }

    /// Required plain text of at most `max` characters: something visible,
    /// one line unless the field is multi-line (`Field::is_multi_line`).
    pub fn require_text(&mut self, field: impl Into<FieldRef>, value: &str, max: usize) {
        let field = field.into();
        if value.trim().is_empty() {
            self.push(field, Reason::Required);
        } else {
            self.limit_text(field, value, max);
        }
    }

    /// Optional plain text of at most `max` characters; true when it is.
    pub fn limit_text(&mut self, field: impl Into<FieldRef>, value: &str, max: usize) -> bool {
        let field = field.into();
        if value.chars().count() > max {
            self.push(field, Reason::TooLong { max });
            false
        } else {
            self.check_plain(field, value)
        }
    }

    /// Refuses control characters, bidirectional controls and invisible-only
    /// values; true when the text is plain.
    pub fn check_plain(&mut self, field: impl Into<FieldRef>, value: &str) -> bool {
        let field = field.into();
        match plain::check(value, field.is_multi_line()) {
            Ok(()) => true,
            Err(fault) => {
                self.push(field, Reason::from(fault));
                false
            }
        }
    }

    /// A list of at most `max` items.
    pub fn limit_count(&mut self, field: impl Into<FieldRef>, count: usize, max: usize) {
        if count > max {
            self.push(field, Reason::TooMany { max });
        }
    }

    /// A date inside its field's window, relative to `today`.
    pub fn check_date(&mut self, field: impl Into<FieldRef>, value: time::Date, window: DateWindow, today: time::Date) {
        let field = field.into();
        let (earliest, latest) = (window.earliest.resolve(today), window.latest.resolve(today));
        if value < earliest || value > latest {
            let limit = |edge: Edge, date| if edge == Edge::Today { DateLimit::Today } else { DateLimit::On(date) };
            self.push(
                field,
                Reason::DateOutOfRange {
                    earliest: limit(window.earliest, earliest),
                    latest: limit(window.latest, latest),
                },
            );
        }
    }

    /// `check_date` for an optional date that may have been saved earlier
    /// (`before`): sent again unchanged, it is not aged out by a window
    /// whose earliest edge moves with today.
    pub fn check_date_since(
        &mut self,
        field: impl Into<FieldRef>,
        value: Option<time::Date>,
        before: Option<time::Date>,
        window: DateWindow,
        today: time::Date,
    ) {
        let field = field.into();
        if let Some(d) = value {
            let window = if before == Some(d) { window.for_unchanged() } else { window };
            self.check_date(field, d, window, today);
        }
    }

    pub fn check_range(&mut self, field: impl Into<FieldRef>, value: i64, min: i64, max: i64) {
        if value < min || value > max {
            self.push(field, Reason::OutOfRange { min, max });
        }
    }

    /// An e-mail address an operator could write to: one `@`, a dotted domain, no spaces.
    pub fn check_email(&mut self, field: impl Into<FieldRef>, value: &str) {
        let field = field.into();
        if value.chars().count() > MAX_EMAIL {
            return self.push(field, Reason::TooLong { max: MAX_EMAIL });
        }
        if !self.check_plain(field, value) {
            return;
        }
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        let ok = match value.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !value.contains(char::is_whitespace)
            }
            None => false,
        };
        if !ok {
            self.push(field, Reason::InvalidEmail);
        }
    }

    /// A phone number as written in Italy: digits with optional `+`, spaces,
    /// dots, dashes, slashes; 6 to 15 digits.
    pub fn check_phone(&mut self, field: impl Into<FieldRef>, value: &str) {
        let field = field.into();
        if value.chars().count() > MAX_PHONE {
            return self.push(field, Reason::TooLong { max: MAX_PHONE });
        }
        if !self.check_plain(field, value) {
            return;
        }
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        let allowed =
            value.chars().enumerate().all(|(i, c)| c.is_ascii_digit() || " .-/".contains(c) || (c == '+' && i == 0));
        let digits = value.chars().filter(char::is_ascii_digit).count();
        if !allowed || !(6..=15).contains(&digits) {
            self.push(field, Reason::InvalidPhone);
        }
    }
}
