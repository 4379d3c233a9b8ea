//! Turning what an operator typed into typed values. Problems are
//! collected and reported together, each naming the flag.

use time::Date;

use crate::i18n::Lang;
use crate::model::comune::ComuneLookupError;
use crate::model::{ComuneCode, Comuni, FamilyCode, NeedCode, PlacementCode, ProposalCode, ServiceCode};

use super::session::Failure;
use crate::i18n::catalogue;

catalogue!(
    /// What the CLI says about the values of flags.
    ParseWords {
        CannotBeNegative => "non può essere negativo", "cannot be negative";
        NumberTooLarge => "numero troppo grande", "number too large";
        NotAValidNumber => "non è un numero valido", "not a valid number";
        MustBeAtLeast => "deve essere almeno 1", "must be at least 1";
        InvalidInputNothingWas => "Dati non validi, nulla è stato salvato:", "Invalid input, nothing was saved:";
        InvalidInput => "Dati non validi:", "Invalid input:";
        NotAValidDate => "data non valida: scrivere gg/mm/aaaa (es. 23/11/2026), oggi, ieri o domani", "not a valid date: write dd/mm/yyyy (e.g. 23/11/2026), today, yesterday or tomorrow";
        Perhaps => "forse:", "perhaps:";
        AnswerYesOrNo => "rispondere sì o no", "answer yes or no";
        UnknownValuePossibleValues => "valore sconosciuto; valori possibili", "unknown value; possible values";
        AServiceCodeLike => "codice servizio come S-001", "a service code like S-001";
        AFamilyCodeLike => "codice famiglia come F-2026-0001", "a family code like F-2026-0001";
        Required => "obbligatorio", "required";
        ANeedCodeLike => "codice richiesta come R-2026-0001", "a need code like R-2026-0001";
        AProposalCodeLike => "codice proposta come P-2026-0001", "a proposal code like P-2026-0001";
        APlacementCodeLike => "codice affido come A-2026-0001", "a placement code like A-2026-0001";
        NoComuneCalled => "nessun comune si chiama «{input}»", "no comune is called \"{input}\"";
        SeveralComuni => "«{input}» indica più comuni, aggiungere la provincia: {candidates}",
            "\"{input}\" names several comuni, add the province: {candidates}";
    }
);

/// Why a number typed for a flag of whole numbers cannot be read: a
/// negative one is named as such (no count, revision or limit is below zero).
fn number_problem(input: &str, lang: Lang) -> &'static str {
    match input.trim().parse::<i128>() {
        Ok(n) if n < 0 => ParseWords::CannotBeNegative.get(lang),
        Ok(_) => ParseWords::NumberTooLarge.get(lang),
        Err(_) => ParseWords::NotAValidNumber.get(lang),
    }
}

/// The language of messages given while the command line is parsed, before
/// the configuration is read whole: `--lang`, else the configuration's.
static PARSE_LANG: std::sync::OnceLock<Lang> = std::sync::OnceLock::new();

pub fn set_parse_lang(lang: Lang) {
    let _ = PARSE_LANG.set(lang);
}

/// Value parser of typed numeric flags (`--limit`, `--revision`…): clap
/// takes `-1` for a value (`allow_negative_numbers`) and this refuses it in
/// the operator's language; clap's message names the flag.
pub fn whole<T: std::str::FromStr>(input: &str) -> Result<T, String> {
    let lang = PARSE_LANG.get().copied().unwrap_or_default();
    input.trim().parse().map_err(|_| number_problem(input, lang).to_string())
}

/// A count of things to show: a whole number of at least 1 (0 would show
/// nothing and read as "there are none").
pub fn at_least_one(input: &str) -> Result<usize, String> {
    let lang = PARSE_LANG.get().copied().unwrap_or_default();
    match whole::<usize>(input)? {
        0 => Err(ParseWords::MustBeAtLeast.get(lang).to_string()),
        n => Ok(n),
    }
}

/// Problems with flags, reported all at once.
pub struct FlagErrors {
    lang: Lang,
    items: Vec<String>,
    /// The command only reads: its refusal does not speak of saving.
    read: bool,
}

impl FlagErrors {
    pub fn new(lang: Lang) -> FlagErrors {
        FlagErrors { lang, items: Vec::new(), read: false }
    }

    /// For a command that only reads (a list, a ranking, the phone call).
    pub fn for_read(lang: Lang) -> FlagErrors {
        FlagErrors { lang, items: Vec::new(), read: true }
    }

    pub fn push(&mut self, flag: &str, message: impl AsRef<str>) {
        self.items.push(format!("  - --{flag}: {}", message.as_ref()));
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn finish(self) -> Result<(), Failure> {
        if self.items.is_empty() {
            return Ok(());
        }
        let head = if self.read { ParseWords::InvalidInput } else { ParseWords::InvalidInputNothingWas };
        Err(Failure::User(format!("{}\n{}", head.get(self.lang), self.items.join("\n"))))
    }

    /// A date as typed, or `oggi`/`ieri`/`domani` (and English), as the forms take them.
    pub fn date(&mut self, flag: &str, input: &str) -> Option<Date> {
        let today = today();
        let d = crate::model::dates::parse_date_or_word(input, today);
        if d.is_none() {
            let msg = ParseWords::NotAValidDate.get(self.lang);
            self.push(flag, format!("«{}»: {msg}", echoed(input)));
        }
        d
    }

    /// An optional date: empty text clears it.
    pub fn opt_date(&mut self, flag: &str, input: &str) -> Option<Option<Date>> {
        if input.trim().is_empty() {
            Some(None)
        } else {
            self.date(flag, input).map(Some)
        }
    }

    pub fn comune(&mut self, flag: &str, input: &str) -> Option<ComuneCode> {
        match Comuni::embedded().resolve(input) {
            Ok(c) => Some(c.code),
            Err(ComuneLookupError::NotFound { suggestions, .. }) => {
                let mut msg = ParseWords::NoComuneCalled.fill(self.lang, &[("input", &echoed(input))]);
                if !suggestions.is_empty() {
                    msg.push_str(&format!(" ({} {})", ParseWords::Perhaps.get(self.lang), suggestions.join(", ")));
                }
                self.push(flag, msg);
                None
            }
            Err(ComuneLookupError::Ambiguous { candidates, .. }) => {
                let msg = ParseWords::SeveralComuni
                    .fill(self.lang, &[("input", &echoed(input)), ("candidates", &candidates.join(", "))]);
                self.push(flag, msg);
                None
            }
        }
    }

    pub fn opt_comune(&mut self, flag: &str, input: &str) -> Option<Option<ComuneCode>> {
        if input.trim().is_empty() {
            Some(None)
        } else {
            self.comune(flag, input).map(Some)
        }
    }

    pub fn number<T: std::str::FromStr>(&mut self, flag: &str, input: &str) -> Option<T> {
        let v = input.trim().parse().ok();
        if v.is_none() {
            self.push(flag, format!("«{}»: {}", echoed(input), number_problem(input, self.lang)));
        }
        v
    }

    pub fn yes_no(&mut self, flag: &str, input: &str) -> Option<bool> {
        match input.trim().to_lowercase().as_str() {
            "si" | "sì" | "s" | "yes" | "y" | "true" | "1" => Some(true),
            "no" | "n" | "false" | "0" => Some(false),
            _ => {
                self.push(flag, ParseWords::AnswerYesOrNo.get(self.lang));
                None
            }
        }
    }

    /// One term of a vocabulary, by its Italian or English token.
    pub fn term<T: Copy>(
        &mut self,
        flag: &str,
        input: &str,
        parse: fn(&str) -> Option<T>,
        choices: String,
    ) -> Option<T> {
        let v = parse(input);
        if v.is_none() {
            let msg = ParseWords::UnknownValuePossibleValues.get(self.lang);
            self.push(flag, format!("«{}»: {msg}: {choices}", echoed(input)));
        }
        v
    }

    /// A comma-separated list of terms; empty text is the empty list.
    pub fn terms<T: Copy + Ord>(
        &mut self,
        flag: &str,
        input: &str,
        parse: fn(&str) -> Option<T>,
        choices: String,
    ) -> Option<std::collections::BTreeSet<T>> {
        let mut out = std::collections::BTreeSet::new();
        let mut ok = true;
        for part in split_list(input) {
            match self.term(flag, &part, parse, choices.clone()) {
                Some(v) => {
                    out.insert(v);
                }
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    pub fn service(&mut self, flag: &str, input: &str) -> Option<ServiceCode> {
        let v = ServiceCode::parse(input);
        if v.is_none() {
            self.push(flag, format!("«{}»: {}", echoed(input), ParseWords::AServiceCodeLike.get(self.lang)));
        }
        v
    }

    pub fn family_code(&mut self, flag: &str, input: &str) -> Option<FamilyCode> {
        let v = FamilyCode::parse(input);
        if v.is_none() {
            self.push(flag, format!("«{}»: {}", echoed(input), ParseWords::AFamilyCodeLike.get(self.lang)));
        }
        v
    }

    /// The text of a flag, trimmed (empty when the flag is missing); when
    /// `required`, missing or blank text is a problem naming the flag.
    pub fn text(&mut self, flag: &str, input: Option<String>, required: bool) -> String {
        let text = input.map(|t| t.trim().to_string()).unwrap_or_default();
        if required && text.is_empty() {
            self.push(flag, ParseWords::Required.get(self.lang));
        }
        text
    }

    pub fn need_code(&mut self, flag: &str, input: &str) -> Option<NeedCode> {
        let v = NeedCode::parse(input);
        if v.is_none() {
            self.push(flag, format!("«{input}»: {}", ParseWords::ANeedCodeLike.get(self.lang)));
        }
        v
    }
}

/// Splits `a, b,c` into trimmed, non-empty parts.
/// Today on this machine's clock, the day `oggi` means.
pub fn today() -> Date {
    crate::model::clock::Clock::now(&crate::model::clock::SystemClock::new()).date()
}

pub fn split_list(input: &str) -> Vec<String> {
    input.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

pub fn family_code(input: &str, lang: Lang) -> Result<FamilyCode, Failure> {
    FamilyCode::parse(input)
        .ok_or_else(|| Failure::User(format!("«{input}»: {}", ParseWords::AFamilyCodeLike.get(lang))))
}

pub fn need_code(input: &str, lang: Lang) -> Result<NeedCode, Failure> {
    NeedCode::parse(input).ok_or_else(|| Failure::User(format!("«{input}»: {}", ParseWords::ANeedCodeLike.get(lang))))
}

pub fn proposal_code(input: &str, lang: Lang) -> Result<ProposalCode, Failure> {
    ProposalCode::parse(input)
        .ok_or_else(|| Failure::User(format!("«{input}»: {}", ParseWords::AProposalCodeLike.get(lang))))
}

pub fn placement_code(input: &str, lang: Lang) -> Result<PlacementCode, Failure> {
    PlacementCode::parse(input)
        .ok_or_else(|| Failure::User(format!("«{input}»: {}", ParseWords::APlacementCodeLike.get(lang))))
}

pub fn service_code(input: &str, lang: Lang) -> Result<ServiceCode, Failure> {
    ServiceCode::parse(input)
        .ok_or_else(|| Failure::User(format!("«{input}»: {}", ParseWords::AServiceCodeLike.get(lang))))
}

/// What was typed, as a refusal quotes it: at most 60 characters (a flag
/// given a megabyte is not printed back whole).
pub fn echoed(input: &str) -> String {
    crate::present::lists::cut(input, 61)
}
