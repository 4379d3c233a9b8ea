//! Reception services as documents: their rankings for a need or a child
//! described on the phone, the directory (mappatura) as a list and as the
//! public CSV of the coordination's site.

use crate::api::{DirectoryEntry, HardRule, Places, ServiceCandidate, ServiceRanking};
use crate::i18n::{catalogue, comune_label, describe_criterion, hard_rule_label, Lang};
use crate::model::dates::format_date;
use crate::model::*;

use super::doc::{Block, Doc, Fields, Span, Tone};

catalogue!(
    /// What the reception services' documents say.
    ReceptionWords {
        Services => "Servizi d'accoglienza", "Reception services";
        NoCandidates => "Nessun servizio d'accoglienza con un posto per questo bisogno.",
            "No reception service has a place for this need.";
        Considered => "Servizi d'accoglienza esaminati: {considered} · con un posto: {total}",
            "Reception services considered: {considered} · with a place: {total}";
        Excluded => "Esclusi, per la prima regola non rispettata:", "Excluded, by the first rule failed:";
        RuleInactive => "non attivo", "not active";
        RuleKind => "tipo di servizio non adatto", "kind of service does not fit";
        RuleEquipment => "non attrezzato per i bisogni", "not equipped for the needs";
        RuleVacancy => "senza posti liberi", "no vacant places";
        OneFree => "1 posto libero", "1 vacant place";
        ManyFree => "{n} posti liberi", "{n} vacant places";
        PlacesOf => "{free} liberi su {licensed} autorizzati · {occupied} occupati in banca",
            "{free} vacant of {licensed} licensed · {occupied} occupied in banca";
        DeclaredOn => "dichiarati il {date}", "declared on {date}";
        Held => "{n} impegnati da proposte accettate", "{n} held by accepted proposals";
        NeverDeclared => "posti liberi mai dichiarati", "vacancies never declared";
        ToCheck => "DA VERIFICARE: dichiarazione di oltre {days} giorni", "TO CHECK: declared over {days} days ago";
        Phone => "tel.", "tel.";
        OnCall => "reperibilità", "on call";
        ManagedBy => "ente gestore", "managed by";
        Ages => "età", "ages";
        Equipped => "attrezzato per", "equipped for";
        AlreadyProposed => "già proposto", "already proposed";
        PlacesFor => "Posti per:", "Places for:";
        Inactive => "non attivo", "not active";
        NoEntries => "Nessun servizio corrisponde.", "No service matches.";
    }
);

/// The rule a reception service failed, in the words that fit a service.
fn rule_label(rule: HardRule, lang: Lang) -> String {
    let w = match rule {
        HardRule::Status => ReceptionWords::RuleInactive,
        HardRule::Kind => ReceptionWords::RuleKind,
        HardRule::SpecialNeeds => ReceptionWords::RuleEquipment,
        HardRule::Capacity => ReceptionWords::RuleVacancy,
        other => return hard_rule_label(other, lang).to_string(),
    };
    w.get(lang).to_string()
}

/// "2 posti liberi".
pub fn free_places(n: u16, lang: Lang) -> String {
    match n {
        1 => ReceptionWords::OneFree.get(lang).to_string(),
        n => ReceptionWords::ManyFree.fill(lang, &[("n", &n)]),
    }
}

/// The candidate services, best first, each with its explanation.
pub fn service_entries(doc: &mut Doc, candidates: &[ServiceCandidate], stale_days: Option<u16>, lang: Lang) {
    for c in candidates {
        let s = &c.service;
        let mut head = vec![
            Span::new(format!("{:>2}. {}  {}/100", c.rank, s.code, c.score), Tone::Strong),
            Span::plain(s.name.clone()),
            Span::plain(s.kind.label(lang)),
        ];
        if let Some(comune) = s.comune {
            head.push(Span::plain(comune_label(&comune.to_string())));
        }
        if let Some(d) = c.deci_km {
            head.push(Span::plain(crate::i18n::describe_fact(&crate::api::Fact::Km { deci_km: d }, lang)));
        }
        head.push(Span::new(free_places(c.free_places, lang), Tone::Ok));
        // Whom it takes: a service for boys only is not a girl's, whatever the question said.
        if let Some(r) = &s.reception {
            head.push(Span::plain(format!("{} {}", ReceptionWords::Ages.get(lang), r.ages.describe(lang))));
            if r.sex != SexPreference::Any {
                head.push(Span::plain(r.sex.label(lang)));
            }
        }
        doc.push(Block::Flow { first: 0, next: 4, parts: head });
        contacts(doc, s, lang);
        if c.stale {
            let days = stale_days.unwrap_or(7);
            doc.line(
                4,
                Span::new(format!("⚠ {}", ReceptionWords::ToCheck.fill(lang, &[("days", &days)])), Tone::Warning),
            );
        }
        if let Some((code, status)) = c.proposed {
            doc.line(
                4,
                Span::plain(format!("▸ {} {code} ({})", ReceptionWords::AlreadyProposed.get(lang), status.label(lang))),
            );
        }
        for k in &c.criteria {
            let tone = if k.raised() { Tone::Ok } else { Tone::Warning };
            doc.push(Block::Line {
                indent: 4,
                hang: Some(12),
                spans: vec![Span::new(describe_criterion(k, lang), tone)],
            });
        }
        doc.blank();
    }
}

/// Phone, on call, managing body: whom to call, on one or two lines.
fn contacts(doc: &mut Doc, s: &DirectoryEntry, lang: Lang) {
    let mut parts = Vec::new();
    if !s.phone.is_empty() {
        parts.push(Span::plain(format!("{} {}", ReceptionWords::Phone.get(lang), s.phone)));
    }
    if let Some(c) = &s.on_call {
        parts.push(Span::plain(format!("{} {} {} ({})", ReceptionWords::OnCall.get(lang), c.name, c.phone, c.hours)));
    }
    if let Some(r) = &s.reception {
        if !r.managing_body.name.is_empty() {
            parts.push(Span::plain(format!("{} {}", ReceptionWords::ManagedBy.get(lang), r.managing_body.name)));
        }
    }
    if !parts.is_empty() {
        doc.push(Block::Flow { first: 4, next: 4, parts });
    }
}

/// How many were looked at, and why the others fell.
pub fn service_summary(r: &ServiceRanking, lang: Lang) -> Doc {
    let mut doc = Doc::new();
    let head = ReceptionWords::Considered.fill(lang, &[("considered", &r.considered), ("total", &r.candidates_total)]);
    doc.line(0, Span::plain(head));
    let excluded: Vec<&(HardRule, u32)> = r.excluded.iter().filter(|(_, n)| *n > 0).collect();
    if !excluded.is_empty() {
        doc.line(0, Span::plain(ReceptionWords::Excluded.get(lang)));
        let digits = excluded.iter().map(|(_, n)| n.to_string().len()).max().unwrap_or(1);
        let mut rows = Fields::new(2);
        for (rule, n) in excluded {
            rows.add(&rule_label(*rule, lang), format!("{n:>digits$}"));
        }
        doc.fields(rows);
    }
    doc
}

/// The summary in one line, for a status bar: "18 esaminati, 2 con un
/// posto · esclusi: tipo 12, età 3, senza posti liberi 1".
pub fn summary_line(r: &ServiceRanking, lang: Lang) -> String {
    let mut s = ReceptionWords::Considered.fill(lang, &[("considered", &r.considered), ("total", &r.candidates_total)]);
    let excluded: Vec<String> =
        r.excluded.iter().filter(|(_, n)| *n > 0).map(|(rule, n)| format!("{} {n}", rule_label(*rule, lang))).collect();
    if !excluded.is_empty() {
        s.push_str(&format!(" · {}", excluded.join(", ")));
    }
    s
}

/// A ranking of reception services under its heading.
pub fn service_ranking(r: &ServiceRanking, stale_days: Option<u16>, lang: Lang) -> Doc {
    let mut doc = Doc::new();
    doc.line(0, Span::new(ReceptionWords::Services.get(lang), Tone::Strong));
    if r.candidates.is_empty() {
        doc.line(0, Span::new(ReceptionWords::NoCandidates.get(lang), Tone::Dim));
        doc.blank();
    }
    service_entries(&mut doc, &r.candidates, stale_days, lang);
    doc.extend(service_summary(r, lang));
    doc
}

/// `banca places`: the child as described, then the services with a place.
pub fn places_ranking(profile: &crate::api::ChildProfile, r: &ServiceRanking, lang: Lang) -> Doc {
    let mut doc = Doc::new();
    let children: Vec<String> = profile
        .children
        .iter()
        .map(|c| match c.sex {
            Some(sex) => format!("{}, {}", crate::model::age::describe_age(c.age_months, lang), sex.label(lang)),
            None => crate::model::age::describe_age(c.age_months, lang),
        })
        .collect();
    let mut head = vec![
        Span::new(format!("{} {}", ReceptionWords::PlacesFor.get(lang), children.join(" + ")), Tone::Strong),
        Span::plain(profile.kind.label(lang)),
    ];
    if let Some(c) = profile.comune {
        head.push(Span::plain(comune_label(&c.to_string())));
    }
    doc.push(Block::Flow { first: 0, next: 0, parts: head });
    doc.blank();
    doc.extend(service_ranking(r, None, lang));
    doc
}

/// "2 liberi su 10 autorizzati · 3 occupati in banca · dichiarati il 01/12/2026".
pub fn places_line(p: &Places, lang: Lang) -> String {
    let mut s =
        ReceptionWords::PlacesOf.fill(lang, &[("free", &p.free), ("licensed", &p.licensed), ("occupied", &p.occupied)]);
    if p.held > 0 {
        s.push_str(&format!(" · {}", ReceptionWords::Held.fill(lang, &[("n", &p.held)])));
    }
    match p.declared_on {
        Some(d) => s.push_str(&format!(" · {}", ReceptionWords::DeclaredOn.fill(lang, &[("date", &format_date(d))]))),
        None => s.push_str(&format!(" · {}", ReceptionWords::NeverDeclared.get(lang))),
    }
    s
}

/// The directory (mappatura): each service on a few lines, by kind.
pub fn directory(entries: &[DirectoryEntry], lang: Lang) -> Doc {
    let mut doc = Doc::new();
    if entries.is_empty() {
        doc.line(0, Span::new(ReceptionWords::NoEntries.get(lang), Tone::Dim));
        return doc;
    }
    let mut kind = None;
    for e in entries {
        if kind != Some(e.kind) {
            if kind.is_some() {
                doc.blank();
            }
            doc.line(0, Span::new(e.kind.label(lang), Tone::Strong));
            kind = Some(e.kind);
        }
        let mut head = vec![Span::new(e.code.to_string(), Tone::Strong), Span::plain(e.name.clone())];
        match e.comune {
            Some(c) => head.push(Span::plain(comune_label(&c.to_string()))),
            None if !e.ambits.is_empty() => head.push(Span::plain(e.ambits.join(", "))),
            None => {}
        }
        if !e.active {
            head.push(Span::new(ReceptionWords::Inactive.get(lang), Tone::Dim));
        }
        doc.push(Block::Flow { first: 2, next: 6, parts: head });
        contacts(&mut doc, e, lang);
        if let Some(p) = &e.places {
            let tone = if p.stale { Tone::Warning } else { Tone::Plain };
            let mut line = places_line(p, lang);
            if p.stale && p.declared_on.is_some() {
                line = format!("⚠ {line}");
            }
            doc.line(4, Span::new(line, tone));
        }
        if let Some(r) = &e.reception {
            let mut parts = vec![Span::plain(format!("{} {}", ReceptionWords::Ages.get(lang), r.ages.describe(lang)))];
            if r.sex != SexPreference::Any {
                parts.push(Span::plain(r.sex.label(lang)));
            }
            if !r.equipment.is_empty() {
                let list: Vec<&str> = r.equipment.iter().map(|x| x.label(lang)).collect();
                parts.push(Span::plain(format!("{} {}", ReceptionWords::Equipped.get(lang), list.join(", "))));
            }
            doc.push(Block::Flow { first: 4, next: 4, parts });
        }
    }
    doc
}

/// The directory as the CSV the coordination publishes: one row per
/// service, public data only (no child, no family, no operator).
pub fn directory_csv(entries: &[DirectoryEntry], lang: Lang) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let head: &[&str] = match lang {
        Lang::It => &[
            "codice",
            "nome",
            "tipo",
            "attivo",
            "ambiti",
            "comune",
            "indirizzo",
            "telefono",
            "email",
            "reperibilita",
            "referente",
            "ente_gestore",
            "natura_ente",
            "autorizzazione_numero",
            "autorizzazione_data",
            "autorizzazione_autorita",
            "posti_autorizzati",
            "posti_occupati",
            "posti_liberi",
            "dichiarati_il",
            "eta",
            "sesso",
            "attrezzato_per",
            "lingue",
        ],
        Lang::En => &[
            "code",
            "name",
            "kind",
            "active",
            "ambits",
            "comune",
            "address",
            "phone",
            "email",
            "on_call",
            "referent",
            "managing_body",
            "legal_nature",
            "licence_number",
            "licence_date",
            "licence_authority",
            "licensed_places",
            "occupied_places",
            "vacant_places",
            "declared_on",
            "ages",
            "sex",
            "equipped_for",
            "languages",
        ],
    };
    let _ = w.write_record(head);
    for e in entries {
        let r = e.reception.as_ref();
        let p = e.places.as_ref();
        let on_call = e.on_call.as_ref().map(|c| format!("{} {} ({})", c.name, c.phone, c.hours)).unwrap_or_default();
        let n = |v: Option<u16>| v.map(|v| v.to_string()).unwrap_or_default();
        let row = [
            e.code.to_string(),
            e.name.clone(),
            e.kind.label(lang).to_string(),
            if e.active { "1" } else { "0" }.to_string(),
            e.ambits.join("; "),
            e.comune.map(|c| comune_label(&c.to_string())).unwrap_or_default(),
            e.address.clone(),
            e.phone.clone(),
            e.email.clone(),
            on_call,
            r.map(|r| r.referent.clone()).unwrap_or_default(),
            r.map(|r| r.managing_body.name.clone()).unwrap_or_default(),
            r.map(|r| r.managing_body.nature.label(lang).to_string()).unwrap_or_default(),
            r.map(|r| r.licence.number.clone()).unwrap_or_default(),
            r.and_then(|r| r.licence.date).map(format_date).unwrap_or_default(),
            r.map(|r| r.licence.authority.clone()).unwrap_or_default(),
            n(p.map(|p| p.licensed)),
            n(p.map(|p| p.occupied)),
            n(p.map(|p| p.free)),
            p.and_then(|p| p.declared_on).map(format_date).unwrap_or_default(),
            r.map(|r| r.ages.describe(lang)).unwrap_or_default(),
            r.map(|r| r.sex.label(lang).to_string()).unwrap_or_default(),
            r.map(|r| r.equipment.iter().map(|x| x.label(lang)).collect::<Vec<_>>().join("; ")).unwrap_or_default(),
            r.map(|r| r.languages.join("; ")).unwrap_or_default(),
        ];
        let row: Vec<String> = row.iter().map(|c| cell(c)).collect();
        let _ = w.write_record(&row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// A cell a spreadsheet shows as text: control characters neutralised,
/// and a leading `=`, `+`, `-`, `@` quoted (OWASP's advice) so nothing a
/// service is named or called becomes a formula on the coordination's site.
pub(crate) fn cell(text: &str) -> String {
    let plain = crate::model::plain::neutralise(text).into_owned();
    let formula = matches!(plain.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r'));
    if formula {
        format!("'{plain}")
    } else {
        plain
    }
}
