//! Lists as table rows: each list's header and one row per record, the
//! same for a page streamed by the CLI and for a whole table.

use crate::api::{AuditEntry, FamilyView, NeedView, Revised};
use crate::i18n::{catalogue, comune_label, format_timestamp, Lang};
use crate::model::age::describe_age;
use crate::model::dates::format_date;
use crate::model::*;

use super::doc::{Block, Doc};
use super::record::{status_word, yes_no};

catalogue!(
    /// The headers of the lists' columns.
    Head {
        Code => "CODICE", "CODE";
        Status => "STATO", "STATUS";
        Kinds => "TIPI", "KINDS";
        Ages => "ETÀ", "AGES";
        Places => "POSTI", "PLACES";
        Service => "SERVIZIO", "SERVICE";
        Confirmed => "CONFERMATA", "CONFIRMED";
        Age => "ETÀ", "AGE";
        Sex => "SESSO", "SEX";
        Kind => "TIPO", "KIND";
        Urgency => "URGENZA", "URGENCY";
        Need => "RICHIESTA", "NEED";
        Family => "FAMIGLIA", "FAMILY";
        Services => "SERVIZI", "SERVICES";
        Since => "DAL", "SINCE";
        Start => "INIZIO", "START";
        End => "FINE", "END";
        Name => "NOME", "NAME";
        Phone => "TELEFONO", "PHONE";
        Ambits => "AMBITI", "AMBITS";
        User => "UTENTE", "USER";
        Role => "RUOLO", "ROLE";
        Active => "ATTIVO", "ACTIVE";
        Ambit => "AMBITO", "AMBIT";
        Districts => "PRESIDI", "DISTRICTS";
        When => "QUANDO", "WHEN";
        Who => "CHI", "WHO";
        Action => "AZIONE", "ACTION";
        Fields => "CAMPI", "FIELDS";
    }
);

catalogue!(
    /// The words inside the lists' cells.
    ListWords {
        By => "entro {date}", "by {date}";
        OverdueSince => "scaduta {date}", "overdue {date}";
        Emergency => "pronto intervento", "emergency";
        Ongoing => "in corso", "ongoing";
        Inactive => "{name} (non attivo)", "{name} (inactive)";
    }
);

/// A whole list as a document: its header and its rows.
pub fn table(header: &[&str], rows: Vec<Vec<String>>) -> Doc {
    let mut doc = Doc::new();
    doc.push(Block::Table { header: header.iter().map(|h| h.to_string()).collect(), rows });
    doc
}

pub fn family_header(lang: Lang) -> [&'static str; 8] {
    let t = |h: Head| h.get(lang);
    [
        t(Head::Code),
        "COMUNE",
        t(Head::Status),
        t(Head::Kinds),
        t(Head::Ages),
        t(Head::Places),
        t(Head::Service),
        t(Head::Confirmed),
    ]
}

/// A family: where, how far along, what it takes; ⚠ beside an availability to confirm again.
pub fn family_row(f: &FamilyView, lang: Lang) -> Vec<String> {
    let p = &f.profile;
    let kinds: Vec<&str> = p.kinds.iter().map(|k| k.token_it()).collect();
    let confirmed = p.confirmed_on.map(format_date).unwrap_or_else(|| "—".into());
    vec![
        f.code.to_string(),
        comune_label(&p.comune.to_string()),
        p.status.label(lang).to_string(),
        kinds.join(","),
        p.ages.describe(lang),
        p.max_children.to_string(),
        f.contact.service.to_string(),
        if f.stale { format!("{confirmed} ⚠") } else { confirmed },
    ]
}

pub fn need_header(lang: Lang) -> [&'static str; 8] {
    let t = |h: Head| h.get(lang);
    [
        t(Head::Code),
        t(Head::Age),
        t(Head::Sex),
        "COMUNE",
        t(Head::Kind),
        t(Head::Urgency),
        t(Head::Status),
        t(Head::Service),
    ]
}

/// A need as others see it: age, sex, comune, what is needed and by when
/// (a deadline passed: "scaduta").
pub fn need_row(n: &NeedView, lang: Lang) -> Vec<String> {
    let p = &n.placement;
    let urgency = urgency_cell(n, lang);
    vec![
        n.code.to_string(),
        describe_age(n.age_months, lang),
        p.sex.label(lang).to_string(),
        comune_label(&p.comune.to_string()),
        p.kind.label(lang).to_string(),
        urgency,
        p.status.label(lang).to_string(),
        n.contact.service.to_string(),
    ]
}

/// A need's urgency in a list's cell: "entro 12/01/2027", "scaduta
/// 30/11/2026" once passed, "pronto intervento" when entered as the kind
/// with no date, nothing for an ordinary need.
pub fn urgency_cell(n: &NeedView, lang: Lang) -> String {
    let p = &n.placement;
    match p.needed_by() {
        Some(date) if n.overdue => ListWords::OverdueSince.fill(lang, &[("date", &format_date(date))]),
        Some(date) => ListWords::By.fill(lang, &[("date", &format_date(date))]),
        None if p.is_emergency() => ListWords::Emergency.get(lang).to_string(),
        None => String::new(),
    }
}

pub fn proposal_header(lang: Lang) -> [&'static str; 6] {
    let t = |h: Head| h.get(lang);
    [t(Head::Code), t(Head::Status), t(Head::Need), t(Head::Family), t(Head::Services), t(Head::Since)]
}

/// A proposal: where it stands, between whom, since when.
pub fn proposal_row(r: &Revised<Proposal>, lang: Lang) -> Vec<String> {
    let p = &r.record;
    let since = p.last_step().map(|st| format_date(st.at.date())).unwrap_or_default();
    vec![
        p.code.to_string(),
        status_word(p.status, lang),
        needs_cell(&p.needs),
        p.family.to_string(),
        format!("{}→{}", p.need_service, p.family_service),
        since,
    ]
}

pub fn placement_header(lang: Lang) -> [&'static str; 6] {
    let t = |h: Head| h.get(lang);
    [t(Head::Code), t(Head::Need), t(Head::Family), t(Head::Services), t(Head::Start), t(Head::End)]
}

/// A placement: who, between which services, from when to when.
pub fn placement_row(r: &Revised<Placement>, lang: Lang) -> Vec<String> {
    let p = &r.record;
    let end = match &p.closing {
        Some(c) => format_date(c.date),
        None => ListWords::Ongoing.get(lang).to_string(),
    };
    vec![
        p.code.to_string(),
        needs_cell(&p.needs),
        p.family.to_string(),
        format!("{}→{}", p.need_service, p.family_service),
        format_date(p.plan.start),
        end,
    ]
}

/// "R-2026-0001", or "R-2026-0001+2" for three siblings.
fn needs_cell(needs: &[NeedCode]) -> String {
    match needs {
        [] => String::new(),
        [one] => one.to_string(),
        [first, rest @ ..] => format!("{first}+{}", rest.len()),
    }
}

pub fn service_header(lang: Lang) -> [&'static str; 6] {
    let t = |h: Head| h.get(lang);
    [t(Head::Code), t(Head::Name), t(Head::Kind), t(Head::Phone), "E-MAIL", t(Head::Ambits)]
}

pub fn service_row(r: &Revised<Service>, lang: Lang) -> Vec<String> {
    let d = &r.record.details;
    let name = if d.active { d.name.clone() } else { ListWords::Inactive.fill(lang, &[("name", &d.name)]) };
    vec![
        r.record.code.to_string(),
        name,
        d.kind.label(lang).into(),
        d.phone.clone(),
        d.email.clone(),
        d.ambits.join(", "),
    ]
}

pub fn operator_header(lang: Lang) -> [&'static str; 5] {
    let t = |h: Head| h.get(lang);
    [t(Head::User), t(Head::Name), t(Head::Role), t(Head::Service), t(Head::Active)]
}

pub fn operator_row(r: &Revised<Operator>, lang: Lang) -> Vec<String> {
    let d = &r.record.details;
    vec![
        r.record.user.clone(),
        d.display_name.clone(),
        d.role.label(lang).into(),
        d.service.map(|c| c.to_string()).unwrap_or_default(),
        yes_no(d.active, lang),
    ]
}

pub fn ambit_header(lang: Lang) -> [&'static str; 3] {
    let t = |h: Head| h.get(lang);
    [t(Head::Ambit), "COMUNI", t(Head::Districts)]
}

pub fn ambit_row(r: &Revised<Ambit>) -> Vec<String> {
    let d = &r.record.details;
    let districts: Vec<&str> = d.districts.iter().map(|x| x.name.as_str()).collect();
    vec![d.name.clone(), d.comuni.len().to_string(), districts.join(", ")]
}

pub fn audit_header(lang: Lang) -> [&'static str; 6] {
    let t = |h: Head| h.get(lang);
    ["N.", t(Head::When), t(Head::Who), t(Head::Action), "RECORD", t(Head::Fields)]
}

/// An entry of the audit log: its number, when, who, what, on which record, which fields.
pub fn audit_row(e: &AuditEntry, lang: Lang) -> Vec<String> {
    vec![
        e.seq.to_string(),
        format_timestamp(e.at),
        e.actor.clone(),
        e.action.label(lang).into(),
        e.record.clone(),
        crate::i18n::audit_fields(e, lang).join(", "),
    ]
}
