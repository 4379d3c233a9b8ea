//! The directory as documents: a service, an operator, an ambito.

use crate::api::Revised;
use crate::i18n::{comune_label, Lang};
use crate::model::*;

use super::doc::{Doc, Fields, Span, Tone};
use super::labels::L;
use super::record::yes_no;

/// A service's card; `operators` ("Anna Operatrice (anna)"), when read, on a row of their own.
pub fn service(r: &Revised<Service>, operators: &[String], lang: Lang) -> Doc {
    let t = |l: L| l.get(lang);
    let d = &r.record.details;
    let mut doc = Doc::new();
    doc.title(vec![
        Span::new(r.record.code.to_string(), Tone::Strong),
        Span::plain(format!("  {}  ·  {} {}", d.name, t(L::RevisionWord), r.revision)),
    ]);
    let mut b = Fields::new(2);
    b.add(t(L::KindWord), d.kind.label(lang));
    b.add(t(L::Ambits), d.ambits.join(", "));
    b.add(t(L::Address), d.address.clone());
    b.add(t(L::Phone), d.phone.clone());
    b.add(t(L::Email), d.email.clone());
    b.add(t(L::OnCall), d.on_call.as_ref().map(on_call_text).unwrap_or_else(|| L::NoneOf.get(lang).to_string()));
    b.add(t(L::Active), yes_no(d.active, lang));
    b.add_lines(t(L::Notes), d.notes.clone());
    doc.fields(b);
    if let Some(rp) = &d.reception {
        doc.blank();
        doc.heading(t(L::ReceptionService));
        let f = |field: Field| field.label(lang);
        let mut b = Fields::new(2);
        b.add(f(Field::ReceptionComune), crate::i18n::comune_label(&rp.comune.to_string()));
        b.add(f(Field::ManagingBody), format!("{} ({})", rp.managing_body.name, rp.managing_body.nature.label(lang)));
        let date = rp.licence.date.map(crate::model::dates::format_date).unwrap_or_default();
        b.add(
            f(Field::LicenceNumber),
            format!("{} {date} {}", rp.licence.number, rp.licence.authority).trim().to_string(),
        );
        b.add(f(Field::LicensedPlaces), rp.licence.places.to_string());
        b.add(f(Field::ReceptionReferent), rp.referent.clone());
        b.add(f(Field::ReceptionAges), rp.ages.describe(lang));
        b.add(f(Field::ReceptionSex), rp.sex.label(lang));
        let equipped: Vec<&str> = rp.equipment.iter().map(|e| e.label(lang)).collect();
        b.add(f(Field::Equipment), equipped.join(", "));
        b.add(f(Field::ReceptionLanguages), rp.languages.join(", "));
        match &r.record.vacancy {
            Some(v) => {
                let mut text = format!("{} · {} ({})", v.places, crate::model::dates::format_date(v.declared_on), v.by);
                if !v.note.is_empty() {
                    text.push_str(&format!(" · {}", v.note));
                }
                b.add(t(L::LatestDeclaration), text);
            }
            None => b.add(t(L::LatestDeclaration), L::NoneOf.get(lang)),
        }
        doc.fields(b);
    }
    // Its own column: the names may be long, the card's labels short.
    let mut b = Fields::new(2);
    b.add(t(L::Operators), operators.join(", "));
    doc.fields(b);
    doc
}

/// Whom to call outside office hours, on one line: "Marta Rossi · 035 123456 · lun-ven 17-9".
pub fn on_call_text(c: &OnCall) -> String {
    [c.name.as_str(), c.phone.as_str(), c.hours.as_str()]
        .iter()
        .filter(|p| !p.trim().is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" · ")
}

/// An operator's card.
pub fn operator(r: &Revised<Operator>, lang: Lang) -> Doc {
    let t = |l: L| l.get(lang);
    let d = &r.record.details;
    let mut doc = Doc::new();
    doc.title(vec![
        Span::new(r.record.user.clone(), Tone::Strong),
        Span::plain(format!("  {}  ·  {} {}", d.display_name, t(L::RevisionWord), r.revision)),
    ]);
    let mut b = Fields::new(2);
    b.add(t(L::Role), d.role.label(lang));
    b.add(t(L::Service), d.service.map(|c| c.to_string()).unwrap_or_default());
    b.add(t(L::Active), yes_no(d.active, lang));
    doc.fields(b);
    doc
}

/// An ambito: its comuni by presidio, and those under none.
pub fn ambit(r: &Revised<Ambit>, lang: Lang) -> Doc {
    let t = |l: L| l.get(lang);
    let d = &r.record.details;
    let mut doc = Doc::new();
    doc.title(vec![
        Span::new(d.name.clone(), Tone::Strong),
        Span::plain(format!("  ·  {} {}  ·  {} {}", d.comuni.len(), t(L::ComuniWord), t(L::RevisionWord), r.revision)),
    ]);
    let mut b = Fields::new(2);
    for district in &d.districts {
        let names: Vec<String> = district.comuni.iter().map(|c| comune_name(*c)).collect();
        b.add(&format!("{} {}", t(L::District), district.name), names.join(", "));
    }
    let outside: Vec<String> =
        d.comuni.iter().filter(|c| d.district_of(**c).is_none()).map(|c| comune_name(*c)).collect();
    b.add(if d.districts.is_empty() { t(L::Comuni) } else { t(L::NoDistrict) }, outside.join(", "));
    doc.fields(b);
    doc
}

/// "Dalmine": a comune's name alone, the province being the ambito's.
fn comune_name(code: ComuneCode) -> String {
    Comuni::embedded().get(code).map(|c| c.name.clone()).unwrap_or_else(|| comune_label(&code.to_string()))
}
