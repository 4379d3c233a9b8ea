//! Matching in words: hard rules, exclusions, criteria and refusals of
//! proposals and placements, in the operator's language.

use super::{catalogue, Lang};
use crate::api::Refusal;
use crate::api::{Criterion, CriterionKind, Exclusion, Fact, HardRule};
use crate::model::age::describe_age;
use crate::model::dates::format_date;

fn km(deci_km: u32) -> String {
    if deci_km >= 1000 {
        format!("{} km", (deci_km + 5) / 10)
    } else {
        format!("{},{} km", deci_km / 10, deci_km % 10)
    }
}

/// "1 mese", "7 mesi"; "1 month", "7 months".
fn in_months(n: u32, lang: Lang) -> String {
    match n {
        0 => W::LessThanAMonth.get(lang).into(),
        1 => W::OneMonth.get(lang).into(),
        n => W::Months.fill(lang, &[("n", &n)]),
    }
}

fn km_en(deci_km: u32) -> String {
    km(deci_km).replace(',', ".")
}

catalogue!(
    /// Matching's words: hard rules, exclusions, criteria, facts, refusals.
    MatchingWords {
        LessThanAMonth => "meno di un mese", "less than a month";
        OneMonth => "1 mese", "1 month";
        Months => "{n} mesi", "{n} months";
        // Hard rules.
        RuleStatus => "non idonea o sospesa", "not approved or suspended";
        RuleKind => "tipo di affido non accolto", "kind of placement not accepted";
        RuleEmergency => "non disponibile al pronto intervento", "no emergencies";
        RuleAge => "età fuori dalla fascia", "age outside the range";
        RuleCapacity => "posti liberi insufficienti", "not enough free places";
        RuleSiblings => "fratelli non accolti", "siblings not accepted";
        RuleSpecialNeeds => "bisogni particolari non accolti", "special needs not accepted";
        RuleSex => "preferenza di sesso", "sex preference";
        RuleTimeSlots => "tempi non offerti", "times not offered";
        RuleAvailability => "non disponibile alla data di inizio", "not available on the start date";
        RuleDistance => "oltre la distanza massima", "beyond the maximum distance";
        // Exclusions.
        ExStatus => "la famiglia è «{status}»: solo le famiglie idonee sono candidate",
            "the family is \"{status}\": only approved families are candidates";
        ExKind => "non accoglie questo tipo di affido: {kind}", "does not accept {kind} placements";
        ExEmergency => "non è disponibile al pronto intervento (né tipo «pronto intervento» né fascia «su chiamata»)",
            "does not take emergencies (neither the emergency kind nor the on-call slot)";
        ExAge => "{need} ha {age}, fuori dalla fascia della famiglia ({range})",
            "{need} is {age} old, outside the family's range ({range})";
        ExCapacity => "ha {free} posti liberi, ne servono {needed}", "has {free} free places, {needed} needed";
        ExSiblings => "non accoglie fratelli ({children} bambini da collocare insieme)",
            "does not accept siblings ({children} children to be placed together)";
        ExSpecialNeeds => "non accoglie: {list}", "does not accept: {list}";
        ExSex => "preferisce {preference}; {need} è {sex}", "prefers {preference}; {need} is {sex}";
        ExTimeSlots => "non offre: {list}", "does not offer: {list}";
        ExAvailableFrom => "disponibile dal {from}, l'inizio è il {start}", "available from {from}, the start is {start}";
        ExAvailableUntil => "disponibile fino al {until}, l'inizio è il {start}", "available until {until}, the start is {start}";
        TheChild => "il bambino", "the child";
        ExDistance => "dista {distance} dal bambino, oltre i {max} km che la famiglia indica",
            "is {distance} from the child, beyond the family's {max} km";
        // Criteria.
        CrDistance => "distanza dal bambino", "distance from the child";
        CrOriginDistance => "distanza dalla famiglia d'origine", "distance from the family of origin";
        CrSameArea => "stesso territorio", "same area";
        CrLanguage => "lingua", "language";
        CrExperience => "esperienza", "experience";
        CrWaiting => "attesa", "waiting";
        CrFreshness => "disponibilità aggiornata", "availability up to date";
        CrDeclared => "posti dichiarati di recente", "vacancies declared lately";
        // Facts.
        UnknownDistance => "distanza sconosciuta (comune senza coordinate)", "distance unknown (comune without coordinates)";
        OriginKm => "{distance}, incontri: {frequency}", "{distance}, {frequency} contact";
        SameComune => "stesso comune", "same comune";
        SameDistrict => "stesso presidio ({name})", "same district ({name})";
        SameAmbit => "stesso ambito ({name})", "same ambit ({name})";
        OtherAmbit => "altro ambito", "another ambit";
        AreaUnknown => "ambito non registrato", "ambit not registered";
        SharedLanguage => "parla {language}", "speaks {language}";
        NoSharedLanguage => "non parla {languages}", "speaks none of {languages}";
        LanguagesJoin => " né ", ", ";
        WithTraining => "con formazione", "with training";
        WithoutTraining => "senza formazione", "without training";
        WithGroups => "{training}, {groups} incontri di gruppo di sostegno nell'ultimo anno",
            "{training}, {groups} support group meetings in the last year";
        OneEarlier => "{n} affido precedente ({kind}), {training}", "{n} earlier placement ({kind}), {training}";
        ManyEarlier => "{n} affidi precedenti ({kind}), {training}", "{n} earlier placements ({kind}), {training}";
        WaitingSinceApproval => "attende da {time} dall'idoneità", "waiting {time} since approval";
        SinceLastPlacement => "{time} dall'ultimo affido", "{time} since the last placement";
        NotApprovedYet => "data di idoneità non indicata", "no approval date";
        Fresh => "confermata {time} fa", "confirmed {time} ago";
        Ageing => "confermata {time} fa: da riconfermare presto", "confirmed {time} ago: to be confirmed soon";
        Stale => "DA RICONFERMARE: ultima conferma {time} fa", "STALE: last confirmed {time} ago";
        StaleNever => "DA RICONFERMARE: mai confermata", "STALE: never confirmed";
        DeclaredToday => "posti dichiarati oggi", "vacancies declared today";
        DeclaredDays => "posti dichiarati {days} giorni fa", "vacancies declared {days} days ago";
        DeclaredStale => "DA VERIFICARE: posti dichiarati {days} giorni fa", "TO CHECK: vacancies declared {days} days ago";
        ExServiceInactive => "il servizio non è attivo", "the service is not active";
        ExServiceKind => "un servizio «{service}» non accoglie per «{kind}»", "a \"{service}\" does not take children for \"{kind}\"";
        ExEquipment => "non attrezzato per: {list}", "not equipped for: {list}";
        ExNoVacancy => "{free} posti liberi per {needed} bambini (dichiarati il {on})", "{free} vacant places for {needed} children (declared on {on})";
        ExNoVacancyNever => "nessun posto libero dichiarato", "no vacancies ever declared";
        ExAgeService => "{need} ha {age}, fuori dalle età accolte dal servizio ({range})",
            "{need} is {age} old, outside the ages the service takes ({range})";
        ExSexService => "il servizio accoglie {preference}; {need} è {sex}", "the service takes {preference}; {need} is {sex}";
        ServiceNotCandidate => "{service} non può accogliere questo bisogno:\n{lines}", "{service} cannot take this need:\n{lines}";
        // Refusals.
        AlreadyIn => "{code} è già «{status}».", "{code} is already \"{status}\".";
        CannotBecome => "{code} è «{from}»: non può passare a «{to}».", "{code} is \"{from}\": it cannot become \"{to}\".";
        StartWithPlacement => "Per avviare {code} apri l'affido: `banca placement start {code} --start GG/MM/AAAA`.",
            "To start {code}, open the placement: `banca placement start {code} --start DD/MM/YYYY`.";
        NeedClosed => "{need} è chiusa: non si abbina più.", "{need} is closed: it is no longer matched.";
        NeedAlreadyMatched => "{need} è già abbinata: {proposal} è stata accettata. Ritirala prima di proporre o accettare un'altra famiglia.",
            "{need} is already matched: {proposal} was accepted. Withdraw it before proposing or accepting another family.";
        AlreadyProposed => "C'è già una proposta a questa famiglia o a questo servizio per questo bisogno: {proposal} ({status}).",
            "There is already a proposal to this family or service for this need: {proposal} ({status}).";
        NotCandidate => "{family} non è candidabile per questo bisogno:\n{lines}", "{family} is not a candidate for this need:\n{lines}";
        NoFreePlaces => "{family} ha {free} posti liberi e ne servono {needed}: i posti sono già presi da {held}. Nulla è stato salvato.",
            "{family} has {free} free places and {needed} are needed: the places are taken by {held}. Nothing was saved.";
        PlacementClosed => "L'affido {code} è chiuso: non si modifica più.", "Placement {code} is closed: it can no longer be changed.";
    }
);

use MatchingWords as W;

/// Short name of a hard rule, as in the exclusion summary.
pub fn hard_rule_label(rule: HardRule, lang: Lang) -> &'static str {
    let words = match rule {
        HardRule::Status => W::RuleStatus,
        HardRule::Kind => W::RuleKind,
        HardRule::Emergency => W::RuleEmergency,
        HardRule::Age => W::RuleAge,
        HardRule::Capacity => W::RuleCapacity,
        HardRule::Siblings => W::RuleSiblings,
        HardRule::SpecialNeeds => W::RuleSpecialNeeds,
        HardRule::Sex => W::RuleSex,
        HardRule::TimeSlots => W::RuleTimeSlots,
        HardRule::Availability => W::RuleAvailability,
        HardRule::Distance => W::RuleDistance,
    };
    words.get(lang)
}

/// A distance as the language writes it: "3,1 km", "3.1 km".
fn distance(deci_km: u32, lang: Lang) -> String {
    match lang {
        Lang::It => km(deci_km),
        Lang::En => km_en(deci_km),
    }
}

/// The child an exclusion speaks of: its need's code, or for a profile "the child".
fn child(need: &Option<crate::model::NeedCode>, lang: Lang) -> String {
    need.map_or_else(|| W::TheChild.get(lang).to_string(), |n| n.to_string())
}

/// One exclusion as a full sentence.
pub fn describe_exclusion(e: &Exclusion, lang: Lang) -> String {
    match e {
        Exclusion::Status { status } => W::ExStatus.fill(lang, &[("status", &status.label(lang))]),
        Exclusion::Kind { kind } => W::ExKind.fill(lang, &[("kind", &kind.label(lang))]),
        Exclusion::Emergency => W::ExEmergency.get(lang).into(),
        Exclusion::Age { need, age_months, range } => W::ExAge.fill(
            lang,
            &[
                ("need", &child(need, lang)),
                ("age", &describe_age(*age_months, lang)),
                ("range", &range.describe(lang)),
            ],
        ),
        Exclusion::Capacity { free, needed } => W::ExCapacity.fill(lang, &[("free", free), ("needed", needed)]),
        Exclusion::Siblings { children } => W::ExSiblings.fill(lang, &[("children", children)]),
        Exclusion::SpecialNeeds { missing } => {
            let list: Vec<&str> = missing.iter().map(|s| s.label(lang)).collect();
            W::ExSpecialNeeds.fill(lang, &[("list", &list.join(", "))])
        }
        Exclusion::Sex { need, sex, preference } => W::ExSex.fill(
            lang,
            &[("preference", &preference.label(lang)), ("need", &child(need, lang)), ("sex", &sex.label(lang))],
        ),
        Exclusion::TimeSlots { missing } => {
            let list: Vec<&str> = missing.iter().map(|s| s.label(lang)).collect();
            W::ExTimeSlots.fill(lang, &[("list", &list.join(", "))])
        }
        Exclusion::Availability { start, from, until } => match (from, until) {
            (Some(from), _) if from > start => {
                W::ExAvailableFrom.fill(lang, &[("from", &format_date(*from)), ("start", &format_date(*start))])
            }
            _ => W::ExAvailableUntil
                .fill(lang, &[("until", &until.map(format_date).unwrap_or_default()), ("start", &format_date(*start))]),
        },
        Exclusion::Distance { deci_km, max_km } => {
            W::ExDistance.fill(lang, &[("distance", &distance(*deci_km, lang)), ("max", max_km)])
        }
        Exclusion::ServiceInactive => W::ExServiceInactive.get(lang).into(),
        Exclusion::ServiceKind { service, kind } => {
            W::ExServiceKind.fill(lang, &[("service", &service.label(lang)), ("kind", &kind.label(lang))])
        }
        Exclusion::Equipment { missing } => {
            let list: Vec<&str> = missing.iter().map(|s| s.label(lang)).collect();
            W::ExEquipment.fill(lang, &[("list", &list.join(", "))])
        }
        Exclusion::NoVacancy { free, needed, declared_on: Some(on) } => {
            W::ExNoVacancy.fill(lang, &[("free", free), ("needed", needed), ("on", &format_date(*on))])
        }
        Exclusion::NoVacancy { declared_on: None, .. } => W::ExNoVacancyNever.get(lang).into(),
    }
}

/// An exclusion of a reception service, in the words that fit a service.
pub fn describe_service_exclusion(e: &Exclusion, lang: Lang) -> String {
    match e {
        Exclusion::Age { need, age_months, range } => W::ExAgeService.fill(
            lang,
            &[
                ("need", &child(need, lang)),
                ("age", &describe_age(*age_months, lang)),
                ("range", &range.describe(lang)),
            ],
        ),
        Exclusion::Sex { need, sex, preference } => W::ExSexService.fill(
            lang,
            &[("preference", &preference.label(lang)), ("need", &child(need, lang)), ("sex", &sex.label(lang))],
        ),
        other => describe_exclusion(other, lang),
    }
}

/// Name of a criterion.
pub fn criterion_label(kind: CriterionKind, lang: Lang) -> &'static str {
    let words = match kind {
        CriterionKind::Distance => W::CrDistance,
        CriterionKind::OriginDistance => W::CrOriginDistance,
        CriterionKind::SameArea => W::CrSameArea,
        CriterionKind::Language => W::CrLanguage,
        CriterionKind::Experience => W::CrExperience,
        CriterionKind::Waiting => W::CrWaiting,
        CriterionKind::Freshness => W::CrFreshness,
        CriterionKind::Declared => W::CrDeclared,
    };
    words.get(lang)
}

/// The fact behind a criterion, in words.
pub fn describe_fact(fact: &Fact, lang: Lang) -> String {
    let k = |d: &u32| distance(*d, lang);
    let time = |months: &u32| in_months(*months, lang);
    match fact {
        Fact::Km { deci_km } => k(deci_km),
        Fact::UnknownDistance => W::UnknownDistance.get(lang).into(),
        Fact::OriginKm { deci_km, frequency } => {
            W::OriginKm.fill(lang, &[("distance", &k(deci_km)), ("frequency", &frequency.label(lang))])
        }
        Fact::SameComune => W::SameComune.get(lang).into(),
        Fact::SameDistrict { name } => W::SameDistrict.fill(lang, &[("name", name)]),
        Fact::SameAmbit { name } => W::SameAmbit.fill(lang, &[("name", name)]),
        Fact::OtherAmbit => W::OtherAmbit.get(lang).into(),
        Fact::AreaUnknown => W::AreaUnknown.get(lang).into(),
        Fact::SharedLanguage { language } => W::SharedLanguage.fill(lang, &[("language", language)]),
        Fact::NoSharedLanguage { wanted } => {
            W::NoSharedLanguage.fill(lang, &[("languages", &wanted.join(W::LanguagesJoin.get(lang)))])
        }
        Fact::Experience { similar, kind, trained, groups } => {
            let training = if *trained { W::WithTraining } else { W::WithoutTraining };
            let training = match groups {
                0 => training.get(lang).to_string(),
                n => W::WithGroups.fill(lang, &[("training", &training.get(lang)), ("groups", n)]),
            };
            let words = if *similar == 1 { W::OneEarlier } else { W::ManyEarlier };
            words.fill(lang, &[("n", similar), ("kind", &kind.label(lang)), ("training", &training)])
        }
        Fact::Waiting { months, since_placement: false } => {
            W::WaitingSinceApproval.fill(lang, &[("time", &time(months))])
        }
        Fact::Waiting { months, since_placement: true } => W::SinceLastPlacement.fill(lang, &[("time", &time(months))]),
        Fact::NotApprovedYet => W::NotApprovedYet.get(lang).into(),
        Fact::Fresh { months } => W::Fresh.fill(lang, &[("time", &time(months))]),
        Fact::Ageing { months } => W::Ageing.fill(lang, &[("time", &time(months))]),
        Fact::Stale { months: Some(m) } => W::Stale.fill(lang, &[("time", &time(m))]),
        Fact::Stale { months: None } => W::StaleNever.get(lang).into(),
        Fact::Declared { days, stale: true } => W::DeclaredStale.fill(lang, &[("days", days)]),
        Fact::Declared { days: 0, .. } => W::DeclaredToday.get(lang).into(),
        Fact::Declared { days, .. } => W::DeclaredDays.fill(lang, &[("days", days)]),
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
    match r {
        Refusal::ProposalTransition { code, from, to } if from == to => {
            W::AlreadyIn.fill(lang, &[("code", code), ("status", &from.label(lang))])
        }
        Refusal::ProposalTransition { code, from, to } => {
            W::CannotBecome.fill(lang, &[("code", code), ("from", &from.label(lang)), ("to", &to.label(lang))])
        }
        Refusal::StartWithPlacement { code } => W::StartWithPlacement.fill(lang, &[("code", code)]),
        Refusal::NeedClosed { need } => W::NeedClosed.fill(lang, &[("need", need)]),
        Refusal::NeedAlreadyMatched { need, proposal } => {
            W::NeedAlreadyMatched.fill(lang, &[("need", need), ("proposal", proposal)])
        }
        Refusal::AlreadyProposed { proposal, status } => {
            W::AlreadyProposed.fill(lang, &[("proposal", proposal), ("status", &status.label(lang))])
        }
        Refusal::NotCandidate { family, exclusions } => {
            let lines: Vec<String> =
                exclusions.iter().map(|e| format!("  - {}", describe_exclusion(e, lang))).collect();
            W::NotCandidate.fill(lang, &[("family", family), ("lines", &lines.join("\n"))])
        }
        Refusal::ServiceNotCandidate { service, exclusions } => {
            let lines: Vec<String> =
                exclusions.iter().map(|e| format!("  - {}", describe_service_exclusion(e, lang))).collect();
            W::ServiceNotCandidate.fill(lang, &[("service", service), ("lines", &lines.join("\n"))])
        }
        Refusal::NoFreePlaces { family, free, needed, held_by } => {
            let held = if held_by.is_empty() { "-".to_string() } else { held_by.join(", ") };
            W::NoFreePlaces.fill(lang, &[("family", family), ("free", free), ("needed", needed), ("held", &held)])
        }
        Refusal::PlacementClosed { code } => W::PlacementClosed.fill(lang, &[("code", code)]),
    }
}
