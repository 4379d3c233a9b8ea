//! Validation problems in plain words.

use super::{catalogue, comune_label, Lang};
use crate::model::{FamilyStatus, NeedStatus, Problem, Reason};

/// "fascia d'età: il minimo (12a) supera il massimo (6a)".
pub fn describe_problem(p: &Problem, lang: Lang) -> String {
    let field = p.field.label(lang);
    format!("{}: {}", crate::model::plain::neutralise(&field), describe_reason(&p.reason, lang))
}

/// The reason in words, on one line: a value it quotes (a duplicate, an
/// unknown filter) is shown neutralised, never as raw control characters.
pub fn describe_reason(r: &Reason, lang: Lang) -> String {
    let text = reason_text(r, lang);
    match crate::model::plain::neutralise(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(safe) => safe,
    }
}

catalogue!(
    /// Why a value was refused, one sentence per `Reason`.
    ReasonWords {
        Required => "obbligatorio", "required";
        TooLong => "troppo lungo (al massimo {max} caratteri)", "too long (at most {max} characters)";
        OutOfRange => "deve essere tra {min} e {max}", "must be between {min} and {max}";
        UnknownComune => "comune sconosciuto ({code})", "unknown comune ({code})";
        AgeRangeInverted => "il minimo ({min}) supera il massimo ({max})", "the minimum ({min}) is above the maximum ({max})";
        AgeAboveLimit => "oltre i 21 anni: la banca accompagna minori e neomaggiorenni fino a 21 anni",
            "over 21: the bank serves children and young adults up to 21";
        InTheFuture => "la data è nel futuro", "the date is in the future";
        NotAfter => "deve essere successiva a «{other}»", "must come after \"{other}\"";
        Before => "non può essere precedente a «{other}»", "must not come before \"{other}\"";
        RequiredWhen => "obbligatorio quando {condition}", "required when {condition}";
        NotExpected => "non previsto quando {condition}", "not expected when {condition}";
        InvalidEmail => "indirizzo e-mail non valido", "not a valid e-mail address";
        InvalidPhone => "numero di telefono non valido (da 6 a 15 cifre)", "not a valid phone number (6 to 15 digits)";
        InvalidUserName => "nome utente Unix non valido (minuscole, cifre, punto, trattino, underscore)",
            "not a valid Unix user name (lower case, digits, dot, dash, underscore)";
        Duplicate => "«{value}» è già presente", "\"{value}\" already exists";
        UnknownCode => "{code} non esiste", "{code} does not exist";
        SiblingIsSelf => "una richiesta non può essere sorella di sé stessa", "a need cannot be its own sibling";
        SiblingOtherService => "{code} è di un altro servizio: i fratelli sono seguiti dallo stesso servizio",
            "{code} belongs to another service: siblings are followed by one service";
        SiblingClosed => "{code} è chiusa", "{code} is closed";
        UnknownService => "il servizio {code} non esiste o non è attivo", "service {code} does not exist or is not active";
        UnknownAmbit => "l'ambito «{name}» non esiste", "ambit \"{name}\" does not exist";
        UnknownDistrict => "il presidio «{name}» non esiste", "district \"{name}\" does not exist";
        UnknownOperator => "l'operatore {user} non esiste", "operator {user} does not exist";
        ReferentNotInService => "{user} non è un operatore del servizio {service}", "{user} is not an operator of service {service}";
        ReferentInactive => "l'operatore {user} è disattivato", "operator {user} is deactivated";
        StatusTransition => "non si passa da «{from}» a «{to}»", "cannot go from \"{from}\" to \"{to}\"";
        StatusByStep => "da «{from}» a «{to}» si passa con un passo del percorso (banca family step); possibili ora: {next}",
            "from \"{from}\" to \"{to}\" goes by a step of the pathway (banca family step); possible now: {next}";
        StepNotAllowed => "«{step}» non è un passo possibile per una famiglia «{status}»; possibili ora: {next}",
            "\"{step}\" is not a step a family that is \"{status}\" can take; possible now: {next}";
        StepNotAllowedNone => "«{step}» non è possibile: il percorso di una famiglia «{status}» è concluso",
            "\"{step}\" is not possible: the pathway of a family that is \"{status}\" has ended";
        StepWaitsFor => "«{step}» viene dopo «{missing}»: registrare prima quel passo",
            "\"{step}\" comes after \"{missing}\": record that step first";
        EventKindMismatch => "l'incontro indicato è di un altro tipo: serve «{expected}»",
            "the event named is of another kind: it must be \"{expected}\"";
        EventNotYetHeld => "l'incontro si tiene il {on}: dopo questa data", "the event is held on {on}: after this date";
        SetByStep => "la fissa il passo «{step}» del percorso (banca family step)",
            "set by the pathway's step \"{step}\" (banca family step)";
        EventAttended => "{families} famiglie vi hanno partecipato come a questo tipo di incontro: il tipo resta",
            "{families} families attended it as this kind of event: the kind stays";
        OverLicensed => "{places} posti liberi sono più dei {licensed} autorizzati",
            "{places} vacant places are more than the {licensed} licensed";
        NotReception => "non è un servizio d'accoglienza (comunità, pronto intervento, alloggio, centro diurno, rete di famiglie)",
            "not a reception service (community, emergency shelter, flat, day centre, family network)";
        NotForReception => "non vale per un affido in un servizio d'accoglienza: lasciarlo vuoto",
            "does not apply to a placement in a reception service: leave it empty";
        ComuneInOtherAmbit => "{comune} fa già parte dell'ambito {ambit}", "{comune} already belongs to ambit {ambit}";
        ComuneNotInAmbit => "{comune} non è tra i comuni dell'ambito", "{comune} is not one of the ambit's comuni";
        ComuneInTwoDistricts => "{comune} è in due presidi", "{comune} is in two districts";
        AgeOutsideKind => "non adatto a un minore di {age}: «neomaggiorenni» dai 17 anni, dopo i 18 solo «neomaggiorenni» o «genitore-bambino»",
            "does not fit a child aged {age}: \"young adult\" from 17, after 18 only \"young adult\" or \"parent and child\"";
        InfantTooOld => "«neonato» vale solo sotto i 24 mesi", "\"infant\" applies under 24 months only";
        LastAdmin => "è l'ultimo amministratore attivo: nominarne prima un altro",
            "this is the last active administrator: appoint another one first";
        UnknownFilter => "filtro «{name}:» sconosciuto; filtri possibili: kind:, stato:, servizio:, comune:",
            "unknown filter \"{name}:\"; filters: kind:, status:, service:, comune:";
        ControlCharacter => "contiene un carattere di controllo ({code}): solo testo semplice, a capo solo nelle note",
            "contains a control character ({code}): plain text only, line breaks only in notes";
        BidiControl => "contiene un controllo di direzione del testo ({code}), che cambierebbe ciò che si legge",
            "contains a text-direction control ({code}) that would change what is read";
        InvisibleOnly => "contiene solo caratteri invisibili: scrivere un testo leggibile",
            "holds only invisible characters: write readable text";
        TooMany => "troppi elementi (al massimo {max})", "too many items (at most {max})";
        TooManyFor => "troppi elementi (al massimo {max}, quanti ne dice «{other}»)", "too many items (at most {max}, as \"{other}\" says)";
        DateOutOfRange => "deve essere tra {from} e {to}", "must be between {from} and {to}";
        UnknownBirthplace => "il luogo di nascita {code} non è né un comune né uno stato estero",
            "birthplace {code} is neither a comune nor a foreign state";
        BirthplaceCeased => "il luogo di nascita {code} ({place}) non esisteva più alla data di nascita (cessato il {on})",
            "birthplace {code} ({place}) no longer existed on the birth date (ceased on {on})";
        DeadlinePassed => "il {on} è già passato: un pronto intervento si chiede per oggi o per una data futura",
            "{on} has already passed: an emergency is asked for today or a later date";
        UnknownLanguage => "lingua sconosciuta: «{given}»; forse: {suggestions}", "unknown language: \"{given}\"; perhaps: {suggestions}";
        UnknownLanguageNoGuess => "lingua sconosciuta: «{given}»; scrivere il nome in italiano o in inglese (es. arabo, rumeno, inglese)",
            "unknown language: \"{given}\"; write its Italian or English name (e.g. arabo, rumeno, English)";
        TooManyWords => "troppe parole: al massimo {max} parole diverse, filtri esclusi",
            "too many words: at most {max} different words, filters aside";
        BadFilterValue => "«{filter}:{value}»: valore sconosciuto (es. kind:famiglia, stato:idonea, servizio:S-003)",
            "\"{filter}:{value}\": unknown value (e.g. kind:family, status:approved, service:S-003)";
        // The conditions a `RequiredWhen` or `NotExpected` names.
        WhenApproved => "lo stato è «idonea»", "the status is \"approved\"";
        WhenClosed => "la richiesta è chiusa", "the need is closed";
        WhenNotClosed => "la richiesta non è chiusa", "the need is not closed";
        WhenOperator => "il ruolo è «operatore»", "the role is \"operator\"";
        WhenAdmin => "il ruolo è «amministratore»", "the role is \"administrator\"";
        WhenCoordinator => "il ruolo è «coordinamento»", "the role is \"coordinator\"";
        WhenIdentityHidden => "non puoi leggere l'identità di questo record: lasciala vuota e resta com'è",
            "you may not read this record's identity: leave it empty and it stays as it is";
        WhenAgeInYears => "l'età è già in anni: scriverne una sola", "the age is already in years: give one only";
        WhenWithinKm => "si cerca entro una distanza in km", "a distance in km is asked";
        WhenComuneUnplaced => "il comune non ha coordinate sulla mappa: cercare per presidio o ambito",
            "the comune has no position on the map: ask by district or ambit";
        WhenStep => "il passo è «{step}»", "the step is \"{step}\"";
        WhenNoEmail => "non c'è un'e-mail: un recapito serve", "there is no e-mail: one way to reach them is needed";
        WhenSupportKind => "il sostegno è «{kind}»", "the support is \"{kind}\"";
        Today => "oggi", "today";
        // What a fiscal code fails.
        SurnameMismatch => "le lettere del cognome non corrispondono a {expected}", "the surname's letters do not match {expected}";
        NameMismatch => "le lettere del nome non corrispondono a {expected}", "the name's letters do not match {expected}";
        BirthDateMismatch => "non corrisponde alla data di nascita {expected}", "does not match the birth date {expected}";
        SexMismatch => "non corrisponde al sesso {expected}", "does not match the sex {expected}";
        OtherMismatch => "non corrisponde a {part} {expected}", "does not match {part} {expected}";
        FiscalLength => "il codice fiscale ha 16 caratteri", "a fiscal code has 16 characters";
        FiscalPattern => "formato del codice fiscale non valido", "not the pattern of a fiscal code";
        FiscalCheck => "carattere di controllo errato: controllare il codice", "wrong check character: check the code";
        FiscalBirthDate => "non corrisponde alla data di nascita", "does not match the birth date";
        FiscalSex => "non corrisponde al sesso", "does not match the sex";
        FiscalInvalid => "codice fiscale non valido", "not a valid fiscal code";
    }
);

fn reason_text(r: &Reason, lang: Lang) -> String {
    use ReasonWords as W;
    let plain = |w: W| w.get(lang).to_string();
    match r {
        Reason::Required => plain(W::Required),
        Reason::TooLong { max } => W::TooLong.fill(lang, &[("max", max)]),
        Reason::OutOfRange { min, max } => W::OutOfRange.fill(lang, &[("min", min), ("max", max)]),
        Reason::UnknownComune { code } => W::UnknownComune.fill(lang, &[("code", code)]),
        Reason::AgeRangeInverted { min_months, max_months } => {
            let min = crate::model::age::describe_bound(*min_months, lang);
            let max = crate::model::age::describe_bound(*max_months, lang);
            W::AgeRangeInverted.fill(lang, &[("min", &min), ("max", &max)])
        }
        Reason::AgeAboveLimit => plain(W::AgeAboveLimit),
        Reason::InTheFuture => plain(W::InTheFuture),
        Reason::NotAfter { other_field } => W::NotAfter.fill(lang, &[("other", &other_field.label(lang))]),
        Reason::Before { other_field } => W::Before.fill(lang, &[("other", &other_field.label(lang))]),
        Reason::RequiredWhen { condition } => {
            W::RequiredWhen.fill(lang, &[("condition", &condition_text(condition, lang))])
        }
        Reason::NotExpected { condition } => {
            W::NotExpected.fill(lang, &[("condition", &condition_text(condition, lang))])
        }
        Reason::InvalidEmail => plain(W::InvalidEmail),
        Reason::InvalidPhone => plain(W::InvalidPhone),
        Reason::InvalidUserName => plain(W::InvalidUserName),
        Reason::FiscalCode { problem } => fiscal_code_text(problem, lang).into(),
        Reason::Duplicate { value } => W::Duplicate.fill(lang, &[("value", value)]),
        Reason::UnknownCode { code } => W::UnknownCode.fill(lang, &[("code", code)]),
        Reason::SiblingIsSelf => plain(W::SiblingIsSelf),
        Reason::SiblingOtherService { code } => W::SiblingOtherService.fill(lang, &[("code", code)]),
        Reason::SiblingClosed { code } => W::SiblingClosed.fill(lang, &[("code", code)]),
        Reason::UnknownService { code } => W::UnknownService.fill(lang, &[("code", code)]),
        Reason::UnknownAmbit { name } => W::UnknownAmbit.fill(lang, &[("name", name)]),
        Reason::UnknownDistrict { name } => W::UnknownDistrict.fill(lang, &[("name", name)]),
        Reason::UnknownOperator { user } => W::UnknownOperator.fill(lang, &[("user", user)]),
        Reason::ReferentNotInService { user, service } => {
            W::ReferentNotInService.fill(lang, &[("user", user), ("service", service)])
        }
        Reason::ReferentInactive { user } => W::ReferentInactive.fill(lang, &[("user", user)]),
        Reason::StatusTransition { from, to } => {
            W::StatusTransition.fill(lang, &[("from", &status_label(from, lang)), ("to", &status_label(to, lang))])
        }
        Reason::StatusByStep { from, to, next } => W::StatusByStep.fill(
            lang,
            &[("from", &status_label(from, lang)), ("to", &status_label(to, lang)), ("next", &steps_text(next, lang))],
        ),
        Reason::StepNotAllowed { step, status, next } if next.is_empty() => W::StepNotAllowedNone
            .fill(lang, &[("step", &step_label(step, lang)), ("status", &status_label(status, lang))]),
        Reason::StepNotAllowed { step, status, next } => W::StepNotAllowed.fill(
            lang,
            &[
                ("step", &step_label(step, lang)),
                ("status", &status_label(status, lang)),
                ("next", &steps_text(next, lang)),
            ],
        ),
        Reason::StepWaitsFor { step, missing } => {
            W::StepWaitsFor.fill(lang, &[("step", &step_label(step, lang)), ("missing", &step_label(missing, lang))])
        }
        Reason::EventKindMismatch { expected } => {
            let kind = crate::model::EventKind::parse(expected).map_or(expected.as_str(), |k| k.label(lang));
            W::EventKindMismatch.fill(lang, &[("expected", &kind)])
        }
        Reason::EventNotYetHeld { on } => {
            W::EventNotYetHeld.fill(lang, &[("on", &crate::model::dates::format_date(*on))])
        }
        Reason::SetByStep { step } => W::SetByStep.fill(lang, &[("step", &step_label(step, lang))]),
        Reason::EventAttended { families } => W::EventAttended.fill(lang, &[("families", families)]),
        Reason::OverLicensed { places, licensed } => {
            W::OverLicensed.fill(lang, &[("places", places), ("licensed", licensed)])
        }
        Reason::NotReception => plain(W::NotReception),
        Reason::NotForReception => plain(W::NotForReception),
        Reason::ComuneInOtherAmbit { comune, ambit } => {
            W::ComuneInOtherAmbit.fill(lang, &[("comune", &comune_label(comune)), ("ambit", ambit)])
        }
        Reason::ComuneNotInAmbit { comune } => W::ComuneNotInAmbit.fill(lang, &[("comune", &comune_label(comune))]),
        Reason::ComuneInTwoDistricts { comune } => {
            W::ComuneInTwoDistricts.fill(lang, &[("comune", &comune_label(comune))])
        }
        Reason::AgeOutsideKind { age_months } => {
            W::AgeOutsideKind.fill(lang, &[("age", &crate::model::age::describe_age(*age_months, lang))])
        }
        Reason::InfantTooOld => plain(W::InfantTooOld),
        Reason::LastAdmin => plain(W::LastAdmin),
        Reason::UnknownFilter { name } => W::UnknownFilter.fill(lang, &[("name", name)]),
        Reason::ControlCharacter { code } => W::ControlCharacter.fill(lang, &[("code", code)]),
        Reason::BidiControl { code } => W::BidiControl.fill(lang, &[("code", code)]),
        Reason::InvisibleOnly => plain(W::InvisibleOnly),
        Reason::TooMany { max } => W::TooMany.fill(lang, &[("max", max)]),
        Reason::TooManyFor { other_field, max } => {
            W::TooManyFor.fill(lang, &[("max", max), ("other", &other_field.label(lang))])
        }
        Reason::DateOutOfRange { earliest, latest } => {
            W::DateOutOfRange.fill(lang, &[("from", &date_limit(*earliest, lang)), ("to", &date_limit(*latest, lang))])
        }
        Reason::FiscalCodeMismatch { part, expected } => fiscal_mismatch_text(part, expected, lang),
        Reason::UnknownBirthplace { code } => W::UnknownBirthplace.fill(lang, &[("code", code)]),
        Reason::BirthplaceCeased { code, place, ceased_on } => W::BirthplaceCeased
            .fill(lang, &[("code", code), ("place", place), ("on", &crate::model::dates::format_date(*ceased_on))]),
        Reason::UnknownLanguage { given, suggestions } => unknown_language_text(given, suggestions, lang),
        Reason::TooManyWords { max } => W::TooManyWords.fill(lang, &[("max", max)]),
        Reason::BadFilterValue { filter, value } => {
            W::BadFilterValue.fill(lang, &[("filter", filter), ("value", value)])
        }
        Reason::DeadlinePassed { on } => {
            W::DeadlinePassed.fill(lang, &[("on", &crate::model::dates::format_date(*on))])
        }
    }
}

/// "lingua sconosciuta: «arabbo»; forse: arabo"; in English the
/// suggestions with their English names: "perhaps: arabo (Arabic)".
fn unknown_language_text(given: &str, suggestions: &[String], lang: Lang) -> String {
    if suggestions.is_empty() {
        return ReasonWords::UnknownLanguageNoGuess.fill(lang, &[("given", &given)]);
    }
    let named: Vec<String> = suggestions
        .iter()
        .map(|s| match (lang, crate::model::languages::canonical(s)) {
            (Lang::En, Some(l)) => format!("{} ({})", l.name(), l.english()),
            _ => s.clone(),
        })
        .collect();
    ReasonWords::UnknownLanguage.fill(lang, &[("given", &given), ("suggestions", &named.join(", "))])
}

fn condition_text(condition: &str, lang: Lang) -> String {
    let known = match condition {
        "status=approved" => ReasonWords::WhenApproved,
        "status=closed" => ReasonWords::WhenClosed,
        "status!=closed" => ReasonWords::WhenNotClosed,
        "role=operator" => ReasonWords::WhenOperator,
        "role=admin" => ReasonWords::WhenAdmin,
        "role=coordinator" => ReasonWords::WhenCoordinator,
        "identity=hidden" => ReasonWords::WhenIdentityHidden,
        "within=km" => ReasonWords::WhenWithinKm,
        "age=years" => ReasonWords::WhenAgeInYears,
        "comune=unplaced" => ReasonWords::WhenComuneUnplaced,
        "email=empty" => ReasonWords::WhenNoEmail,
        other => {
            if let Some(step) = other.strip_prefix("step=") {
                return ReasonWords::WhenStep.fill(lang, &[("step", &step_label(step, lang))]);
            }
            if let Some(kind) = other.strip_prefix("kind=") {
                let kind = crate::model::SupportKind::parse(kind).map_or(kind, |k| k.label(lang));
                return ReasonWords::WhenSupportKind.fill(lang, &[("kind", &kind)]);
            }
            return other.to_string();
        }
    };
    known.get(lang).to_string()
}

/// A pathway step's label from its token.
fn step_label(token: &str, lang: Lang) -> String {
    crate::model::StepKind::parse(token).map_or(token, |s| s.label(lang)).to_string()
}

/// "colloquio di valutazione (colloquio), ritiro (ritiro)": each step
/// named (`StepKind::named`).
fn steps_text(tokens: &[String], lang: Lang) -> String {
    tokens
        .iter()
        .map(|t| crate::model::StepKind::parse(t).map_or_else(|| t.clone(), |s| s.named(lang)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn status_label(token: &str, lang: Lang) -> String {
    FamilyStatus::parse(token)
        .map(|s| s.label(lang))
        .or_else(|| NeedStatus::parse(token).map(|s| s.label(lang)))
        .unwrap_or(token)
        .to_string()
}

/// "01/01/1990", or "oggi".
fn date_limit(limit: crate::model::DateLimit, lang: Lang) -> String {
    match limit {
        crate::model::DateLimit::Today => ReasonWords::Today.get(lang).into(),
        crate::model::DateLimit::On(d) => crate::model::dates::format_date(d),
    }
}

/// "le lettere del cognome non corrispondono a ROSSI (RSS)".
fn fiscal_mismatch_text(part: &str, expected: &str, lang: Lang) -> String {
    let words = match part {
        "surname" => ReasonWords::SurnameMismatch,
        "name" => ReasonWords::NameMismatch,
        "birth_date" => ReasonWords::BirthDateMismatch,
        "sex" => ReasonWords::SexMismatch,
        other => return ReasonWords::OtherMismatch.fill(lang, &[("part", &other), ("expected", &expected)]),
    };
    words.fill(lang, &[("expected", &expected)])
}

fn fiscal_code_text(problem: &str, lang: Lang) -> &'static str {
    let words = match problem {
        "Length" => ReasonWords::FiscalLength,
        "Pattern" => ReasonWords::FiscalPattern,
        "CheckCharacter" => ReasonWords::FiscalCheck,
        "BirthDateMismatch" => ReasonWords::FiscalBirthDate,
        "SexMismatch" => ReasonWords::FiscalSex,
        _ => ReasonWords::FiscalInvalid,
    };
    words.get(lang)
}
