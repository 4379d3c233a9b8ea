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
        Slots => "TEMPI", "TIMES";
        Serv => "SERV.", "SERV.";
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

/// The families' table, fitting 80 columns: the comune's name cut short,
/// kinds, time slots and status abbreviated, places as free/maximum, the
/// distance in km when the list was asked near a comune (`near`), ⚠ on
/// the status of an availability to confirm again.
pub fn family_header(lang: Lang, near: bool) -> Vec<&'static str> {
    let t = |h: Head| h.get(lang);
    let mut header = vec![t(Head::Code), "COMUNE"];
    if near {
        header.push("KM");
    }
    header.extend([t(Head::Status), t(Head::Kinds), t(Head::Ages), t(Head::Slots), t(Head::Places), t(Head::Serv)]);
    header
}

/// A family's row under `family_header`.
pub fn family_row(f: &FamilyView, lang: Lang, near: bool) -> Vec<String> {
    let p = &f.profile;
    let comune = comune_name(p.comune);
    let kinds: Vec<&str> = p.kinds.iter().map(|&k| kind_short(k, lang)).collect();
    let slots: Vec<&str> = p.time_slots.iter().map(|&t| slot_short(t, lang)).collect();
    let status = status_short(p.status, lang);
    let mut row = vec![f.code.to_string(), cut(&comune, COMUNE_WIDTH)];
    if near {
        row.push(f.distance_m.map_or_else(|| "—".into(), |m| km(m, lang)));
    }
    // A first contact that has not said what it offers: "?", never a default.
    let known = |text: String| if p.availability_known { text } else { "?".to_string() };
    row.extend([
        if f.stale { format!("{status}⚠") } else { status.to_string() },
        known(short_list(&kinds, 7)),
        known(p.ages.to_input()),
        known(short_list(&slots, 8)),
        known(places(f)),
        f.contact.service.to_string(),
    ]);
    row
}

/// A comune's name without its province ("Dalmine"), for tight places.
pub fn comune_name(code: ComuneCode) -> String {
    match Comuni::embedded_label(code) {
        Some(label) => label.rsplit_once(" (").map_or(label.clone(), |(name, _)| name.to_string()),
        None => code.to_string(),
    }
}

/// Display columns a comune's name takes at most in the families' table.
const COMUNE_WIDTH: usize = 10;

/// `text` within `width` characters, cut with "…".
pub fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width - 1).collect();
    out.push('…');
    out
}

/// Items joined by commas within `width` characters, the rest counted:
/// "RES,PI+2"; none: "—".
pub fn short_list(items: &[&str], width: usize) -> String {
    if items.is_empty() {
        return "—".into();
    }
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        let rest = items.len() - i - 1;
        let sep = if out.is_empty() { "" } else { "," };
        let tail = if rest > 0 { format!("+{rest}").len() } else { 0 };
        if out.len() + sep.len() + item.len() + tail > width {
            let left = items.len() - i;
            return if out.is_empty() { format!("{}+{}", item, left - 1) } else { format!("{out}+{left}") };
        }
        out.push_str(sep);
        out.push_str(item);
    }
    out
}

/// Free places over the family's maximum ("1/2"); the maximum alone when the load is unknown.
pub fn places(f: &FamilyView) -> String {
    let max = f.profile.max_children;
    f.free_places.map_or_else(|| max.to_string(), |n| format!("{n}/{max}"))
}

/// A distance in km: one decimal under 10 km, whole above ("4,3", "12").
pub fn km(metres: u32, lang: Lang) -> String {
    let km = f64::from(metres) / 1000.0;
    let text = if km < 9.95 { format!("{km:.1}") } else { format!("{km:.0}") };
    match lang {
        Lang::It => text.replace('.', ","),
        Lang::En => text,
    }
}

catalogue!(
    /// Kinds of placement in a few letters, for tables (the record says them whole).
    KindShort {
        Residential => "RES", "RES";
        Daytime => "DIU", "DAY";
        Respite => "TL", "RSP";
        Emergency => "PI", "EMG";
        LightSupport => "LEG", "LGT";
        ParentAndChild => "GB", "P+C";
        YoungAdult => "NEO", "YA";
    }
);

/// A kind of placement in a few letters.
pub fn kind_short(kind: PlacementKind, lang: Lang) -> &'static str {
    use PlacementKind::*;
    let short = match kind {
        Residential => KindShort::Residential,
        Daytime => KindShort::Daytime,
        Respite => KindShort::Respite,
        Emergency => KindShort::Emergency,
        LightSupport => KindShort::LightSupport,
        ParentAndChild => KindShort::ParentAndChild,
        YoungAdult => KindShort::YoungAdult,
    };
    short.get(lang)
}

catalogue!(
    /// Time slots in a few letters, for tables.
    SlotShort {
        FullTime => "TP", "FT";
        Weekdays => "FER", "WD";
        Afternoons => "POM", "PM";
        Weekends => "WE", "WE";
        Holidays => "VAC", "HOL";
        OnCall => "SC", "OC";
    }
);

/// A time slot in a few letters.
pub fn slot_short(slot: TimeSlot, lang: Lang) -> &'static str {
    let short = match slot {
        TimeSlot::FullTime => SlotShort::FullTime,
        TimeSlot::Weekdays => SlotShort::Weekdays,
        TimeSlot::Afternoons => SlotShort::Afternoons,
        TimeSlot::Weekends => SlotShort::Weekends,
        TimeSlot::Holidays => SlotShort::Holidays,
        TimeSlot::OnCall => SlotShort::OnCall,
    };
    short.get(lang)
}

catalogue!(
    /// A family's status in at most seven letters, for tables.
    StatusShort {
        Enquiring => "interes", "enquir.";
        UnderAssessment => "valutaz", "assess.";
        Approved => "idonea", "approv.";
        Suspended => "sospesa", "susp.";
        Withdrawn => "ritir.", "withdr.";
        NotApproved => "non id.", "not ap.";
    }
);

/// A family's status in a few letters.
pub fn status_short(status: FamilyStatus, lang: Lang) -> &'static str {
    let short = match status {
        FamilyStatus::Enquiring => StatusShort::Enquiring,
        FamilyStatus::UnderAssessment => StatusShort::UnderAssessment,
        FamilyStatus::Approved => StatusShort::Approved,
        FamilyStatus::Suspended => StatusShort::Suspended,
        FamilyStatus::Withdrawn => StatusShort::Withdrawn,
        FamilyStatus::NotApproved => StatusShort::NotApproved,
    };
    short.get(lang)
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
        p.host_code(),
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
        p.host_code(),
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
