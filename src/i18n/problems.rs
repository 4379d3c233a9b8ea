//! Validation problems in plain words.

use super::{comune_label, Lang};
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

fn reason_text(r: &Reason, lang: Lang) -> String {
    use Reason::*;
    let it = lang == Lang::It;
    match r {
        Required => lang.pick("obbligatorio", "required").into(),
        TooLong { max } => {
            if it {
                format!("troppo lungo (al massimo {max} caratteri)")
            } else {
                format!("too long (at most {max} characters)")
            }
        }
        OutOfRange { min, max } => {
            if it {
                format!("deve essere tra {min} e {max}")
            } else {
                format!("must be between {min} and {max}")
            }
        }
        UnknownComune { code } => {
            if it {
                format!("comune sconosciuto ({code})")
            } else {
                format!("unknown comune ({code})")
            }
        }
        AgeRangeInverted { min_months, max_months } => {
            let min = crate::model::age::describe_bound(*min_months, lang);
            let max = crate::model::age::describe_bound(*max_months, lang);
            if it {
                format!("il minimo ({min}) supera il massimo ({max})")
            } else {
                format!("the minimum ({min}) is above the maximum ({max})")
            }
        }
        AgeAboveLimit => lang
            .pick(
                "oltre i 21 anni: la banca accompagna minori e neomaggiorenni fino a 21 anni",
                "over 21: the bank serves children and young adults up to 21",
            )
            .into(),
        InTheFuture => lang.pick("la data è nel futuro", "the date is in the future").into(),
        NotAfter { other_field } => {
            if it {
                format!("deve essere successiva a «{}»", other_field.label(lang))
            } else {
                format!("must come after \"{}\"", other_field.label(lang))
            }
        }
        RequiredWhen { condition } => {
            if it {
                format!("obbligatorio quando {}", condition_text(condition, lang))
            } else {
                format!("required when {}", condition_text(condition, lang))
            }
        }
        NotExpected { condition } => {
            if it {
                format!("non previsto quando {}", condition_text(condition, lang))
            } else {
                format!("not expected when {}", condition_text(condition, lang))
            }
        }
        InvalidEmail => lang.pick("indirizzo e-mail non valido", "not a valid e-mail address").into(),
        InvalidPhone => lang
            .pick("numero di telefono non valido (da 6 a 15 cifre)", "not a valid phone number (6 to 15 digits)")
            .into(),
        InvalidUserName => lang
            .pick(
                "nome utente Unix non valido (minuscole, cifre, punto, trattino, underscore)",
                "not a valid Unix user name (lower case, digits, dot, dash, underscore)",
            )
            .into(),
        FiscalCode { problem } => fiscal_code_text(problem, lang).into(),
        Duplicate { value } => {
            if it {
                format!("«{value}» è già presente")
            } else {
                format!("\"{value}\" already exists")
            }
        }
        UnknownCode { code } => {
            if it {
                format!("{code} non esiste")
            } else {
                format!("{code} does not exist")
            }
        }
        SiblingIsSelf => {
            lang.pick("una richiesta non può essere sorella di sé stessa", "a need cannot be its own sibling").into()
        }
        SiblingOtherService { code } => {
            if it {
                format!("{code} è di un altro servizio: i fratelli sono seguiti dallo stesso servizio")
            } else {
                format!("{code} belongs to another service: siblings are followed by one service")
            }
        }
        SiblingClosed { code } => {
            if it {
                format!("{code} è chiusa")
            } else {
                format!("{code} is closed")
            }
        }
        UnknownService { code } => {
            if it {
                format!("il servizio {code} non esiste o non è attivo")
            } else {
                format!("service {code} does not exist or is not active")
            }
        }
        UnknownAmbit { name } => {
            if it {
                format!("l'ambito «{name}» non esiste")
            } else {
                format!("ambit \"{name}\" does not exist")
            }
        }
        UnknownOperator { user } => {
            if it {
                format!("l'operatore {user} non esiste")
            } else {
                format!("operator {user} does not exist")
            }
        }
        ReferentNotInService { user, service } => {
            if it {
                format!("{user} non è un operatore del servizio {service}")
            } else {
                format!("{user} is not an operator of service {service}")
            }
        }
        ReferentInactive { user } => {
            if it {
                format!("l'operatore {user} è disattivato")
            } else {
                format!("operator {user} is deactivated")
            }
        }
        StatusTransition { from, to } => {
            let (from, to) = (status_label(from, lang), status_label(to, lang));
            if it {
                format!("non si passa da «{from}» a «{to}»")
            } else {
                format!("cannot go from \"{from}\" to \"{to}\"")
            }
        }
        ComuneInOtherAmbit { comune, ambit } => {
            if it {
                format!("{} fa già parte dell'ambito {ambit}", comune_label(comune))
            } else {
                format!("{} already belongs to ambit {ambit}", comune_label(comune))
            }
        }
        ComuneNotInAmbit { comune } => {
            if it {
                format!("{} non è tra i comuni dell'ambito", comune_label(comune))
            } else {
                format!("{} is not one of the ambit's comuni", comune_label(comune))
            }
        }
        ComuneInTwoDistricts { comune } => {
            if it {
                format!("{} è in due presidi", comune_label(comune))
            } else {
                format!("{} is in two districts", comune_label(comune))
            }
        }
        AgeOutsideKind { age } => {
            if it {
                format!("non adatto a un minore di {age}: «neomaggiorenni» dai 17 anni, dopo i 18 solo «neomaggiorenni» o «genitore-bambino»")
            } else {
                format!("does not fit a child aged {age}: \"young adult\" from 17, after 18 only \"young adult\" or \"parent and child\"")
            }
        }
        InfantTooOld => {
            lang.pick("«neonato» vale solo sotto i 24 mesi", "\"infant\" applies under 24 months only").into()
        }
        LastAdmin => lang
            .pick(
                "è l'ultimo amministratore attivo: nominarne prima un altro",
                "this is the last active administrator: appoint another one first",
            )
            .into(),
        UnknownFilter { name } => {
            if it {
                format!("filtro «{name}:» sconosciuto; filtri possibili: kind:, stato:, servizio:, comune:")
            } else {
                format!("unknown filter \"{name}:\"; filters: kind:, status:, service:, comune:")
            }
        }
        ControlCharacter { code } => {
            if it {
                format!("contiene un carattere di controllo ({code}): solo testo semplice, a capo solo nelle note")
            } else {
                format!("contains a control character ({code}): plain text only, line breaks only in notes")
            }
        }
        BidiControl { code } => {
            if it {
                format!("contiene un controllo di direzione del testo ({code}), che cambierebbe ciò che si legge")
            } else {
                format!("contains a text-direction control ({code}) that would change what is read")
            }
        }
        InvisibleOnly => lang
            .pick(
                "contiene solo caratteri invisibili: scrivere un testo leggibile",
                "holds only invisible characters: write readable text",
            )
            .into(),
        TooMany { max } => {
            if it {
                format!("troppi elementi (al massimo {max})")
            } else {
                format!("too many items (at most {max})")
            }
        }
        TooManyFor { other_field, max } => {
            let other = other_field.label(lang);
            if it {
                format!("troppi elementi (al massimo {max}, quanti ne dice «{other}»)")
            } else {
                format!("too many items (at most {max}, as \"{other}\" says)")
            }
        }
        DateOutOfRange { earliest, latest } => {
            let (from, to) = (date_limit(*earliest, lang), date_limit(*latest, lang));
            if it {
                format!("deve essere tra {from} e {to}")
            } else {
                format!("must be between {from} and {to}")
            }
        }
        FiscalCodeMismatch { part, expected } => fiscal_mismatch_text(part, expected, lang),
        UnknownBirthplace { code } => {
            if it {
                format!("il luogo di nascita {code} non è né un comune né uno stato estero")
            } else {
                format!("birthplace {code} is neither a comune nor a foreign state")
            }
        }
        BirthplaceCeased { code, place, ceased_on } => {
            let on = crate::model::dates::format_date(*ceased_on);
            if it {
                format!("il luogo di nascita {code} ({place}) non esisteva più alla data di nascita (cessato il {on})")
            } else {
                format!("birthplace {code} ({place}) no longer existed on the birth date (ceased on {on})")
            }
        }
        BadFilterValue { filter, value } => {
            if it {
                format!("«{filter}:{value}»: valore sconosciuto (es. kind:famiglia, stato:idonea, servizio:S-003)")
            } else {
                format!("\"{filter}:{value}\": unknown value (e.g. kind:family, status:approved, service:S-003)")
            }
        }
    }
}

fn condition_text(condition: &str, lang: Lang) -> String {
    let known: &[(&str, &str, &str)] = &[
        ("status=approved", "lo stato è «idonea»", "the status is \"approved\""),
        ("status=closed", "la richiesta è chiusa", "the need is closed"),
        ("status!=closed", "la richiesta non è chiusa", "the need is not closed"),
        ("role=operator", "il ruolo è «operatore»", "the role is \"operator\""),
        ("role=admin", "il ruolo è «amministratore»", "the role is \"administrator\""),
        ("role=coordinator", "il ruolo è «coordinamento»", "the role is \"coordinator\""),
        (
            "identity=hidden",
            "non puoi leggere l'identità di questo record: lasciala vuota e resta com'è",
            "you may not read this record's identity: leave it empty and it stays as it is",
        ),
    ];
    known
        .iter()
        .find(|(c, _, _)| *c == condition)
        .map(|(_, it, en)| lang.pick(it, en).to_string())
        .unwrap_or_else(|| condition.to_string())
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
        crate::model::DateLimit::Today => lang.pick("oggi", "today").into(),
        crate::model::DateLimit::On(d) => crate::model::dates::format_date(d),
    }
}

/// "le lettere del cognome non corrispondono a ROSSI (RSS)".
fn fiscal_mismatch_text(part: &str, expected: &str, lang: Lang) -> String {
    let it = lang == Lang::It;
    match (part, it) {
        ("surname", true) => format!("le lettere del cognome non corrispondono a {expected}"),
        ("surname", false) => format!("the surname's letters do not match {expected}"),
        ("name", true) => format!("le lettere del nome non corrispondono a {expected}"),
        ("name", false) => format!("the name's letters do not match {expected}"),
        ("birth_date", true) => format!("non corrisponde alla data di nascita {expected}"),
        ("birth_date", false) => format!("does not match the birth date {expected}"),
        ("sex", true) => format!("non corrisponde al sesso {expected}"),
        ("sex", false) => format!("does not match the sex {expected}"),
        (other, true) => format!("non corrisponde a {other} {expected}"),
        (other, false) => format!("does not match {other} {expected}"),
    }
}

fn fiscal_code_text(problem: &str, lang: Lang) -> &'static str {
    match problem {
        "Length" => lang.pick("il codice fiscale ha 16 caratteri", "a fiscal code has 16 characters"),
        "Pattern" => lang.pick("formato del codice fiscale non valido", "not the pattern of a fiscal code"),
        "CheckCharacter" => {
            lang.pick("carattere di controllo errato: controllare il codice", "wrong check character: check the code")
        }
        "BirthDateMismatch" => lang.pick("non corrisponde alla data di nascita", "does not match the birth date"),
        "SexMismatch" => lang.pick("non corrisponde al sesso", "does not match the sex"),
        _ => lang.pick("codice fiscale non valido", "not a valid fiscal code"),
    }
}
