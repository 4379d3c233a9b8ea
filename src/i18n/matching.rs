//! Matching in words: hard rules, exclusions, criteria and refusals of
//! proposals and placements, in the operator's language.

use super::Lang;
use crate::api::Refusal;
use crate::api::{Criterion, CriterionKind, Exclusion, Fact, HardRule};
use crate::model::age::describe_age;

fn km(deci_km: u32) -> String {
    if deci_km >= 1000 {
        format!("{} km", (deci_km + 5) / 10)
    } else {
        format!("{},{} km", deci_km / 10, deci_km % 10)
    }
}

/// "1 mese", "7 mesi"; "1 month", "7 months".
fn in_months(n: u32, lang: Lang) -> String {
    match (n, lang) {
        (0, Lang::It) => "meno di un mese".into(),
        (0, Lang::En) => "less than a month".into(),
        (1, Lang::It) => "1 mese".into(),
        (n, Lang::It) => format!("{n} mesi"),
        (1, Lang::En) => "1 month".into(),
        (n, Lang::En) => format!("{n} months"),
    }
}

fn km_en(deci_km: u32) -> String {
    km(deci_km).replace(',', ".")
}

/// Short name of a hard rule, as in the exclusion summary.
pub fn hard_rule_label(rule: HardRule, lang: Lang) -> &'static str {
    use HardRule::*;
    match rule {
        Status => lang.pick("non idonea o sospesa", "not approved or suspended"),
        Kind => lang.pick("tipo di affido non accolto", "kind of placement not accepted"),
        Emergency => lang.pick("non disponibile al pronto intervento", "no emergencies"),
        Age => lang.pick("età fuori dalla fascia", "age outside the range"),
        Capacity => lang.pick("posti liberi insufficienti", "not enough free places"),
        Siblings => lang.pick("fratelli non accolti", "siblings not accepted"),
        SpecialNeeds => lang.pick("bisogni particolari non accolti", "special needs not accepted"),
        Sex => lang.pick("preferenza di sesso", "sex preference"),
        Distance => lang.pick("oltre la distanza massima", "beyond the maximum distance"),
    }
}

/// One exclusion as a full sentence.
pub fn describe_exclusion(e: &Exclusion, lang: Lang) -> String {
    let it = lang == Lang::It;
    match e {
        Exclusion::Status { status } => {
            if it {
                format!("la famiglia è «{}»: solo le famiglie idonee sono candidate", status.label(lang))
            } else {
                format!("the family is \"{}\": only approved families are candidates", status.label(lang))
            }
        }
        Exclusion::Kind { kind } => {
            if it {
                format!("non accoglie questo tipo di affido: {}", kind.label(lang))
            } else {
                format!("does not accept {} placements", kind.label(lang))
            }
        }
        Exclusion::Emergency => lang
            .pick(
                "non è disponibile al pronto intervento (né tipo «pronto intervento» né fascia «su chiamata»)",
                "does not take emergencies (neither the emergency kind nor the on-call slot)",
            )
            .into(),
        Exclusion::Age { need, age_months, range } => {
            if it {
                format!(
                    "{need} ha {}, fuori dalla fascia della famiglia ({})",
                    describe_age(*age_months, lang),
                    range.describe(lang)
                )
            } else {
                format!(
                    "{need} is {} old, outside the family's range ({})",
                    describe_age(*age_months, lang),
                    range.describe(lang)
                )
            }
        }
        Exclusion::Capacity { free, needed } => {
            if it {
                format!("ha {free} posti liberi, ne servono {needed}")
            } else {
                format!("has {free} free places, {needed} needed")
            }
        }
        Exclusion::Siblings { children } => {
            if it {
                format!("non accoglie fratelli ({children} bambini da collocare insieme)")
            } else {
                format!("does not accept siblings ({children} children to be placed together)")
            }
        }
        Exclusion::SpecialNeeds { missing } => {
            let list: Vec<&str> = missing.iter().map(|s| s.label(lang)).collect();
            if it {
                format!("non accoglie: {}", list.join(", "))
            } else {
                format!("does not accept: {}", list.join(", "))
            }
        }
        Exclusion::Sex { need, sex, preference } => {
            if it {
                format!("preferisce {}; {need} è {}", preference.label(lang), sex.label(lang))
            } else {
                format!("prefers {}; {need} is {}", preference.label(lang), sex.label(lang))
            }
        }
        Exclusion::Distance { deci_km, max_km } => {
            if it {
                format!("dista {} dal bambino, oltre i {max_km} km che la famiglia indica", km(*deci_km))
            } else {
                format!("is {} from the child, beyond the family's {max_km} km", km_en(*deci_km))
            }
        }
    }
}

/// Name of a criterion.
pub fn criterion_label(kind: CriterionKind, lang: Lang) -> &'static str {
    use CriterionKind::*;
    match kind {
        Distance => lang.pick("distanza dal bambino", "distance from the child"),
        OriginDistance => lang.pick("distanza dalla famiglia d'origine", "distance from the family of origin"),
        SameArea => lang.pick("stesso territorio", "same area"),
        Language => lang.pick("lingua", "language"),
        Experience => lang.pick("esperienza", "experience"),
        Waiting => lang.pick("attesa", "waiting"),
        Freshness => lang.pick("disponibilità aggiornata", "availability up to date"),
    }
}

/// The fact behind a criterion, in words.
pub fn describe_fact(fact: &Fact, lang: Lang) -> String {
    let it = lang == Lang::It;
    let k = |d: &u32| if it { km(*d) } else { km_en(*d) };
    match fact {
        Fact::Km { deci_km } => k(deci_km),
        Fact::UnknownDistance => lang
            .pick("distanza sconosciuta (comune senza coordinate)", "distance unknown (comune without coordinates)")
            .into(),
        Fact::OriginKm { deci_km, frequency } => {
            if it {
                format!("{}, incontri: {}", k(deci_km), frequency.label(lang))
            } else {
                format!("{}, {} contact", k(deci_km), frequency.label(lang))
            }
        }
        Fact::SameDistrict { name } => {
            if it {
                format!("stesso presidio ({name})")
            } else {
                format!("same district ({name})")
            }
        }
        Fact::SameAmbit { name } => {
            if it {
                format!("stesso ambito ({name})")
            } else {
                format!("same ambit ({name})")
            }
        }
        Fact::OtherAmbit => lang.pick("altro ambito", "another ambit").into(),
        Fact::AreaUnknown => lang.pick("ambito non registrato", "ambit not registered").into(),
        Fact::SharedLanguage { language } => {
            if it {
                format!("parla {language}")
            } else {
                format!("speaks {language}")
            }
        }
        Fact::NoSharedLanguage { wanted } => {
            if it {
                format!("non parla {}", wanted.join(" né "))
            } else {
                format!("speaks none of {}", wanted.join(", "))
            }
        }
        Fact::Experience { similar, kind, trained } => {
            let training = match (trained, it) {
                (true, true) => "con formazione",
                (false, true) => "senza formazione",
                (true, false) => "with training",
                (false, false) => "without training",
            };
            if it {
                let what = if *similar == 1 { "affido precedente" } else { "affidi precedenti" };
                format!("{similar} {what} ({}), {training}", kind.label(lang))
            } else {
                let what = if *similar == 1 { "earlier placement" } else { "earlier placements" };
                format!("{similar} {what} ({}), {training}", kind.label(lang))
            }
        }
        Fact::Waiting { months, since_placement } => match (it, since_placement) {
            (true, false) => format!("attende da {} dall'idoneità", in_months(*months, lang)),
            (true, true) => format!("{} dall'ultimo affido", in_months(*months, lang)),
            (false, false) => format!("waiting {} since approval", in_months(*months, lang)),
            (false, true) => format!("{} since the last placement", in_months(*months, lang)),
        },
        Fact::NotApprovedYet => lang.pick("data di idoneità non indicata", "no approval date").into(),
        Fact::Fresh { months } => {
            if it {
                format!("confermata {} fa", in_months(*months, lang))
            } else {
                format!("confirmed {} ago", in_months(*months, lang))
            }
        }
        Fact::Ageing { months } => {
            if it {
                format!("confermata {} fa: da riconfermare presto", in_months(*months, lang))
            } else {
                format!("confirmed {} ago: to be confirmed soon", in_months(*months, lang))
            }
        }
        Fact::Stale { months: Some(m) } => {
            if it {
                format!("DA RICONFERMARE: ultima conferma {} fa", in_months(*m, lang))
            } else {
                format!("STALE: last confirmed {} ago", in_months(*m, lang))
            }
        }
        Fact::Stale { months: None } => lang.pick("DA RICONFERMARE: mai confermata", "STALE: never confirmed").into(),
    }
}

/// One explanation line: `+ 27/30 distanza dal bambino: 3,1 km`.
pub fn describe_criterion(c: &Criterion, lang: Lang) -> String {
    let sign = if c.raised() { '+' } else { '-' };
    format!(
        "{sign} {:>2}/{:<2} {}: {}",
        (c.earned_tenths + 5) / 10,
        (c.max_tenths + 5) / 10,
        criterion_label(c.kind, lang),
        describe_fact(&c.fact, lang)
    )
}

pub fn describe_refusal(r: &Refusal, lang: Lang) -> String {
    let it = lang == Lang::It;
    match r {
        Refusal::ProposalTransition { code, from, to } if from == to => {
            if it {
                format!("{code} è già «{}».", from.label(lang))
            } else {
                format!("{code} is already \"{}\".", from.label(lang))
            }
        }
        Refusal::ProposalTransition { code, from, to } => {
            if it {
                format!("{code} è «{}»: non può passare a «{}».", from.label(lang), to.label(lang))
            } else {
                format!("{code} is \"{}\": it cannot become \"{}\".", from.label(lang), to.label(lang))
            }
        }
        Refusal::StartWithPlacement { code } => {
            if it {
                format!("Per avviare {code} apri l'affido: `banca placement start {code} --start GG/MM/AAAA`.")
            } else {
                format!("To start {code}, open the placement: `banca placement start {code} --start DD/MM/YYYY`.")
            }
        }
        Refusal::NeedClosed { need } => {
            if it {
                format!("{need} è chiusa: non si abbina più.")
            } else {
                format!("{need} is closed: it is no longer matched.")
            }
        }
        Refusal::NeedAlreadyMatched { need, proposal } => {
            if it {
                format!("{need} è già abbinata: {proposal} è stata accettata. Ritirala prima di proporre o accettare un'altra famiglia.")
            } else {
                format!("{need} is already matched: {proposal} was accepted. Withdraw it before proposing or accepting another family.")
            }
        }
        Refusal::AlreadyProposed { proposal, status } => {
            if it {
                format!("Questa famiglia è già proposta per questo bisogno: {proposal} ({}).", status.label(lang))
            } else {
                format!("This family is already proposed for this need: {proposal} ({}).", status.label(lang))
            }
        }
        Refusal::NotCandidate { family, exclusions } => {
            let lines: Vec<String> =
                exclusions.iter().map(|e| format!("  - {}", describe_exclusion(e, lang))).collect();
            if it {
                format!("{family} non è candidabile per questo bisogno:\n{}", lines.join("\n"))
            } else {
                format!("{family} is not a candidate for this need:\n{}", lines.join("\n"))
            }
        }
        Refusal::NoFreePlaces { family, free, needed, held_by } => {
            let held = if held_by.is_empty() { "-".to_string() } else { held_by.join(", ") };
            if it {
                format!("{family} ha {free} posti liberi e ne servono {needed}: i posti sono già presi da {held}. Nulla è stato salvato.")
            } else {
                format!("{family} has {free} free places and {needed} are needed: the places are taken by {held}. Nothing was saved.")
            }
        }
        Refusal::PlacementClosed { code } => {
            if it {
                format!("L'affido {code} è chiuso: non si modifica più.")
            } else {
                format!("Placement {code} is closed: it can no longer be changed.")
            }
        }
    }
}
