//! Rankings as documents: the candidates of a need (or the needs a family
//! could take), each with the lines that explain its score; how many were
//! looked at and why the others were left out; "why not this family?".

use crate::api::{
    Candidate, Contact, FamilyRanking, FamilyView, Fit, NeedCandidate, NeedRanking, ProfileRanking, Verdict, Within,
};
use crate::api::{Criterion, CriterionKind, Fact, HardRule};
use crate::i18n::{
    catalogue, comune_label, describe_criterion, describe_exclusion, describe_fact, hard_rule_label, Lang,
};
use crate::model::age::describe_age;
use crate::model::dates::format_date;
use crate::model::*;

use super::doc::{Block, Doc, Fields, Span, Tone};
use super::labels::L;

catalogue!(
    /// The sentences of rankings and verdicts.
    RankWords {
        Candidate => "{family} è candidata: {rank}ª su {total}, punteggio {score}/100.",
            "{family} is a candidate: number {rank} of {total}, score {score}/100.";
        NotAssessed => "{family}: non valutata dall'abbinamento.", "{family}: not assessed by matching.";
        NotCandidate => "{family} non è candidata:", "{family} is not a candidate:";
        FamiliesConsidered => "Famiglie esaminate: {considered} · candidate: {total}",
            "Families considered: {considered} · candidates: {total}";
        NeedsConsidered => "Richieste aperte esaminate: {considered} · compatibili: {total}",
            "Open needs considered: {considered} · fitting: {total}";
        OnlyFirstShown => "Mostrata solo la prima: --limit N per vederne di più.", "Only the first is shown: --limit N for more.";
        FirstShown => "Mostrate le prime {n}: --limit N per vederne di più.", "The first {n} are shown: --limit N for more.";
        Excluded => "Escluse, per la prima regola non rispettata:", "Excluded, by the first rule failed:";
        NotFitting => "Non compatibili, per la prima regola non rispettata:", "Not fitting, by the first rule failed:";
        OneFreePlace => "1 posto libero", "1 free place";
        FreePlaces => "{n} posti liberi", "{n} free places";
        Fits => "Adatta:", "Fits:";
        Accepts => "accoglie", "accepts";
        ByProfile => "Per profilo:", "By profile:";
        WithinKm => "entro {km} km", "within {km} km";
        InDistrict => "presidio {name}", "district {name}";
        InAmbit => "ambito {name}", "ambit {name}";
    }
);

/// Which way a ranking goes: families for a need, or needs for a family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Families for a need, from the command line (`--why-not F-…` is offered).
    Families,
    /// Families for a need on the screen (`w` is offered).
    FamiliesOnScreen,
    /// Families for a profile (there is no need to ask "why not" for).
    ProfileFamilies,
    Needs,
}

/// `banca match R-…`: the need, its candidates best first, the summary and
/// the verdict asked for with `--why-not`.
pub fn need_ranking(r: &NeedRanking, lang: Lang) -> Doc {
    let t = |l: L| l.get(lang);
    let mut doc = Doc::new();
    let n = &r.need;
    let p = &n.placement;
    doc.push(Block::Flow {
        first: 0,
        next: 0,
        parts: vec![
            Span::new(n.code.to_string(), Tone::Strong),
            Span::plain(format!("{}, {}", describe_age(n.age_months, lang), p.sex.label(lang))),
            Span::plain(comune_label(&p.comune.to_string())),
            Span::plain(p.kind.label(lang)),
        ],
    });
    let mut b = Fields::wrapped(0);
    b.add(t(L::Service), contact_line(&n.contact));
    b.add(t(L::Referent), referent(&n.contact));
    if r.group.len() > 1 {
        let codes: Vec<String> = r.group.iter().map(|c| c.to_string()).collect();
        b.add(t(L::Siblings), format!("{} ({})", codes.join(", "), t(L::ToBePlacedTogether)));
    }
    if p.is_emergency() {
        b.add_spans(t(L::Urgency), vec![super::record::urgency_span(n, lang)]);
    }
    if !p.special_needs.is_empty() {
        let labels: Vec<&str> = p.special_needs.iter().map(|n| n.label(lang)).collect();
        b.add(t(L::SpecialNeeds), labels.join(", "));
    }
    if p.status != NeedStatus::Open {
        b.add(t(L::Status), p.status.label(lang));
    }
    doc.fields(b);
    doc.blank();
    match (r.hosts, &r.services) {
        (crate::api::Hosts::Both, Some(services)) => {
            together(&mut doc, &r.candidates, &services.candidates, lang);
            doc.extend(summary(
                r.considered,
                r.candidates_total,
                r.candidates.len(),
                &r.excluded,
                Side::Families,
                lang,
            ));
            doc.extend(super::reception::service_summary(services, lang));
        }
        (crate::api::Hosts::Services, Some(services)) => {
            doc.extend(super::reception::service_ranking(services, None, lang));
        }
        _ => {
            if r.candidates.is_empty() {
                doc.line(0, Span::new(t(L::NoCandidateFamilies), Tone::Dim));
                doc.blank();
            }
            candidate_entries(&mut doc, &r.candidates, lang);
            doc.extend(summary(
                r.considered,
                r.candidates_total,
                r.candidates.len(),
                &r.excluded,
                Side::Families,
                lang,
            ));
        }
    }
    if let Some(v) = &r.why_not {
        doc.blank();
        doc.extend(verdict(v, r.candidates_total, lang));
    }
    doc
}

/// The candidate families of a ranking, best first, each with whom to
/// call, what made it fit and the lines that explain its score.
fn candidate_entries(doc: &mut Doc, candidates: &[Candidate], lang: Lang) {
    let t = |l: L| l.get(lang);
    for c in candidates {
        let f = &c.family;
        let mut head = vec![
            Span::new(format!("{:>2}. {}  {}/100", c.rank, f.code, c.score), Tone::Strong),
            Span::plain(comune_label(&f.profile.comune.to_string())),
        ];
        head.extend(distance(&c.criteria, lang).map(Span::plain));
        head.push(Span::plain(places(c.free_places, lang)));
        doc.push(Block::Flow { first: 0, next: 4, parts: head });
        contact_lines(doc, &f.contact, lang);
        doc.push(Block::Flow { first: 4, next: 6, parts: fit_spans(&c.fit, lang) });
        if f.stale {
            doc.line(4, Span::new(format!("⚠ {}", stale_text(f, lang)), Tone::Warning));
        }
        if let Some((code, status)) = c.proposed {
            doc.line(4, Span::plain(format!("▸ {} {code} ({})", t(L::AlreadyProposed), status.label(lang))));
        }
        criteria(doc, &c.criteria, 4, lang);
        doc.blank();
    }
}

/// Families and reception services in one list, by score (a family first
/// on a tie), numbered in that order.
fn together(doc: &mut Doc, families: &[Candidate], services: &[crate::api::ServiceCandidate], lang: Lang) {
    let (mut f, mut s) = (families.iter().peekable(), services.iter().peekable());
    let mut rank = 0;
    loop {
        let family_next = match (f.peek(), s.peek()) {
            (Some(a), Some(b)) => a.score >= b.score,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        rank += 1;
        if family_next {
            let mut c = f.next().expect("peeked").clone();
            c.rank = rank;
            candidate_entries(doc, std::slice::from_ref(&c), lang);
        } else {
            let mut c = s.next().expect("peeked").clone();
            c.rank = rank;
            super::reception::service_entries(doc, std::slice::from_ref(&c), None, lang);
        }
    }
}

/// "Adatta: 3-10 anni · residenziale · weekend, vacanze · arabo · trauma":
/// the facts of the family's profile that made it fit, each one part.
pub fn fit_spans(fit: &Fit, lang: Lang) -> Vec<Span> {
    let join = |items: Vec<&str>| items.join(", ");
    let mut parts = vec![format!("{} {}", RankWords::Fits.get(lang), fit.ages.describe(lang))];
    if !fit.kinds.is_empty() {
        parts.push(join(fit.kinds.iter().map(|k| k.label(lang)).collect()));
    }
    if !fit.time_slots.is_empty() {
        parts.push(join(fit.time_slots.iter().map(|s| s.label(lang)).collect()));
    }
    if !fit.languages.is_empty() {
        parts.push(crate::model::languages::labels(&fit.languages, lang));
    }
    if !fit.special_needs.is_empty() {
        parts.push(format!(
            "{} {}",
            RankWords::Accepts.get(lang),
            join(fit.special_needs.iter().map(|n| n.label(lang)).collect())
        ));
    }
    parts.into_iter().map(Span::plain).collect()
}

/// `banca available`: the child as described, its candidate families best
/// first (printed as `banca match R-…` prints them) and the summary.
pub fn profile_ranking(r: &ProfileRanking, lang: Lang) -> Doc {
    let t = |l: L| l.get(lang);
    let p = &r.profile;
    let mut doc = Doc::new();
    let children: Vec<String> = p
        .children
        .iter()
        .map(|c| match c.sex {
            Some(sex) => format!("{}, {}", describe_age(c.age_months, lang), sex.label(lang)),
            None => describe_age(c.age_months, lang),
        })
        .collect();
    let who = format!("{} {}", RankWords::ByProfile.get(lang), children.join(" + "));
    let mut head = vec![Span::new(who, Tone::Strong)];
    head.push(Span::plain(p.kind.label(lang)));
    if let Some(c) = p.comune {
        head.push(Span::plain(comune_label(&c.to_string())));
    }
    match &p.within {
        Some(Within::Km(km)) => head.push(Span::plain(RankWords::WithinKm.fill(lang, &[("km", km)]))),
        Some(Within::District(name)) => head.push(Span::plain(RankWords::InDistrict.fill(lang, &[("name", name)]))),
        Some(Within::Ambit(name)) => head.push(Span::plain(RankWords::InAmbit.fill(lang, &[("name", name)]))),
        None => {}
    }
    doc.push(Block::Flow { first: 0, next: 0, parts: head });
    let mut b = Fields::wrapped(0);
    if p.emergency {
        b.add_spans(t(L::Urgency), vec![Span::new(PlacementKind::Emergency.label(lang), Tone::Warning)]);
    }
    if !p.time_slots.is_empty() {
        let labels: Vec<&str> = p.time_slots.iter().map(|s| s.label(lang)).collect();
        b.add(t(L::TimeNeeded), labels.join(", "));
    }
    if !p.special_needs.is_empty() {
        let labels: Vec<&str> = p.special_needs.iter().map(|n| n.label(lang)).collect();
        b.add(t(L::SpecialNeeds), labels.join(", "));
    }
    if !p.languages.is_empty() {
        b.add(t(L::Languages), crate::model::languages::labels(&p.languages, lang));
    }
    if let Some(d) = p.start {
        b.add(t(L::DesiredStart), format_date(d));
    }
    doc.fields(b);
    doc.blank();
    if r.candidates.is_empty() {
        doc.line(0, Span::new(t(L::NoCandidateFamilies), Tone::Dim));
        doc.blank();
    }
    candidate_entries(&mut doc, &r.candidates, lang);
    doc.extend(summary(r.considered, r.candidates_total, r.candidates.len(), &r.excluded, Side::ProfileFamilies, lang));
    doc
}

/// `banca match --family F-…`: the family, the open needs it could take.
pub fn family_ranking(r: &FamilyRanking, lang: Lang) -> Doc {
    let t = |l: L| l.get(lang);
    let f = &r.family;
    let p = &f.profile;
    let mut doc = Doc::new();
    doc.push(Block::Flow {
        first: 0,
        next: 0,
        parts: vec![
            Span::new(f.code.to_string(), Tone::Strong),
            Span::plain(p.status.label(lang)),
            Span::plain(comune_label(&p.comune.to_string())),
            Span::plain(p.ages.describe(lang)),
            Span::plain(places(r.free_places, lang)),
        ],
    });
    let mut b = Fields::wrapped(0);
    b.add(t(L::Service), contact_line(&f.contact));
    let kinds: Vec<&str> = p.kinds.iter().map(|k| k.label(lang)).collect();
    b.add(t(L::Kinds), kinds.join(", "));
    if f.stale {
        b.add_spans("⚠", vec![Span::new(stale_text(f, lang), Tone::Warning)]);
    }
    doc.fields(b);
    doc.blank();
    if r.needs.is_empty() {
        doc.line(0, Span::new(t(L::NoNeedFits), Tone::Dim));
        doc.blank();
    }
    for c in &r.needs {
        let n = &c.need;
        let np = &n.placement;
        let mut head = vec![
            Span::new(format!("{:>2}. {}  {}/100", c.rank, n.code, c.score), Tone::Strong),
            Span::plain(format!("{}, {}", describe_age(n.age_months, lang), np.sex.label(lang))),
            Span::plain(comune_label(&np.comune.to_string())),
        ];
        head.extend(distance(&c.criteria, lang).map(Span::plain));
        head.push(Span::plain(np.kind.label(lang)));
        if np.is_emergency() {
            head.push(super::record::urgency_span(n, lang));
        }
        doc.push(Block::Flow { first: 0, next: 4, parts: head });
        if c.group.len() > 1 {
            let codes: Vec<String> = c.group.iter().map(|c| c.to_string()).collect();
            doc.line(4, Span::plain(format!("{} {}", t(L::SiblingsPlacedTogether), codes.join(", "))));
        }
        contact_lines(&mut doc, &n.contact, lang);
        criteria(&mut doc, &c.criteria, 4, lang);
        doc.blank();
    }
    doc.extend(summary(r.considered, r.candidates_total, r.needs.len(), &r.excluded, Side::Needs, lang));
    doc
}

/// The highlighted candidate family of a ranking, as the interface shows
/// it beside the list: its rank and score, where it is, whom to call, and
/// the explanation of its score.
pub fn family_candidate(c: &Candidate, lang: Lang) -> Doc {
    let f = &c.family;
    let mut doc = Doc::new();
    doc.title(vec![Span::plain(format!("{}. {}  {}/100", c.rank, f.code, c.score))]);
    let mut facts = vec![comune_label(&f.profile.comune.to_string())];
    facts.extend(distance(&c.criteria, lang));
    facts.push(places(c.free_places, lang));
    doc.line(0, Span::plain(facts.join(" · ")));
    doc.line(0, Span::plain(contact_line(&f.contact)));
    // Whom to call now: the service's phone, and after hours its on-call contact.
    if !f.contact.phone.is_empty() {
        doc.line(0, Span::plain(format!("{} {}", L::PhoneWord.get(lang), f.contact.phone)));
    }
    if let Some(line) = on_call_line(&f.contact, lang) {
        doc.line(0, line);
    }
    doc.push(Block::Flow { first: 0, next: 2, parts: fit_spans(&c.fit, lang) });
    if f.stale {
        doc.line(0, Span::new(format!("⚠ {}", stale_text(f, lang)), Tone::Warning));
    }
    if let Some((code, status)) = c.proposed {
        doc.line(0, Span::plain(format!("▸ {} {code} ({})", L::AlreadyProposed.get(lang), status.label(lang))));
    }
    criteria(&mut doc, &c.criteria, 0, lang);
    doc
}

/// The highlighted need of a family's ranking, as `family_candidate`.
pub fn need_candidate(c: &NeedCandidate, lang: Lang) -> Doc {
    let n = &c.need;
    let p = &n.placement;
    let mut doc = Doc::new();
    doc.title(vec![Span::plain(format!("{}. {}  {}/100", c.rank, n.code, c.score))]);
    doc.line(
        0,
        Span::plain(format!(
            "{}, {} · {} · {}",
            describe_age(n.age_months, lang),
            p.sex.label(lang),
            comune_label(&p.comune.to_string()),
            p.kind.label(lang)
        )),
    );
    doc.line(0, Span::plain(contact_line(&n.contact)));
    if c.group.len() > 1 {
        let codes: Vec<String> = c.group.iter().map(|c| c.to_string()).collect();
        doc.line(0, Span::plain(codes.join(", ")));
    }
    criteria(&mut doc, &c.criteria, 0, lang);
    doc
}

/// "Why not this family?": its place and score, or every rule it fails.
pub fn verdict(v: &Verdict, total: u32, lang: Lang) -> Doc {
    let mut doc = Doc::new();
    match (v.rank, v.score) {
        (Some(rank), Some(score)) => {
            let text = RankWords::Candidate
                .fill(lang, &[("family", &v.family), ("rank", &rank), ("total", &total), ("score", &score)]);
            doc.line(0, Span::new(text, Tone::Ok));
            criteria(&mut doc, &v.criteria, 4, lang);
        }
        _ if v.exclusions.is_empty() => {
            let text = RankWords::NotAssessed.fill(lang, &[("family", &v.family)]);
            doc.line(0, Span::plain(text));
        }
        _ => {
            let text = RankWords::NotCandidate.fill(lang, &[("family", &v.family)]);
            doc.line(0, Span::new(text, Tone::Danger));
            for e in &v.exclusions {
                doc.push(Block::Line {
                    indent: 2,
                    hang: Some(4),
                    spans: vec![Span::new(format!("- {}", describe_exclusion(e, lang)), Tone::Warning)],
                });
            }
        }
    }
    doc
}

/// How many were looked at, how many fit, and why the others did not.
pub fn summary(considered: u32, total: u32, shown: usize, excluded: &[(HardRule, u32)], side: Side, lang: Lang) -> Doc {
    let mut doc = Doc::new();
    let head = match side {
        Side::Families | Side::FamiliesOnScreen | Side::ProfileFamilies => RankWords::FamiliesConsidered,
        Side::Needs => RankWords::NeedsConsidered,
    };
    let head = head.fill(lang, &[("considered", &considered), ("total", &total)]);
    doc.line(0, Span::plain(head));
    if (shown as u32) < total {
        let more = match shown {
            1 => RankWords::OnlyFirstShown.get(lang).to_string(),
            n => RankWords::FirstShown.fill(lang, &[("n", &n)]),
        };
        doc.line(0, Span::new(more, Tone::Dim));
    }
    let excluded: Vec<&(HardRule, u32)> = excluded.iter().filter(|(_, n)| *n > 0).collect();
    if !excluded.is_empty() {
        let head = match side {
            Side::Needs => RankWords::NotFitting.get(lang),
            _ => RankWords::Excluded.get(lang),
        };
        doc.line(0, Span::plain(head));
        let digits = excluded.iter().map(|(_, n)| n.to_string().len()).max().unwrap_or(1);
        let mut rows = Fields::new(2);
        for (rule, n) in excluded {
            rows.add(hard_rule_label(*rule, lang), format!("{n:>digits$}"));
        }
        doc.fields(rows);
    }
    let hint = match side {
        Side::Families => Some(L::WhyNotHint),
        Side::FamiliesOnScreen => Some(L::WhyNotKeyHint),
        _ => None,
    };
    if let Some(hint) = hint.filter(|_| total == 0) {
        doc.line(0, Span::new(hint.get(lang), Tone::Dim));
    }
    doc
}

/// One line per criterion, `indent` columns in: those that raised the
/// score in favour, the others to look at; a long one continues under its text.
fn criteria(doc: &mut Doc, criteria: &[Criterion], indent: u16, lang: Lang) {
    for c in criteria {
        let tone = if c.raised() { Tone::Ok } else { Tone::Warning };
        doc.push(Block::Line {
            indent,
            hang: Some(indent + 8),
            spans: vec![Span::new(describe_criterion(c, lang), tone)],
        });
    }
}

/// "3,1 km" from the distance criterion, when there is one.
pub fn distance(criteria: &[Criterion], lang: Lang) -> Option<String> {
    let c = criteria.iter().find(|c| c.kind == CriterionKind::Distance)?;
    match &c.fact {
        f @ Fact::Km { .. } => Some(describe_fact(f, lang)),
        _ => Some(L::DistanceUnknown.get(lang).to_string()),
    }
}

/// "2 posti liberi".
pub fn places(free: u8, lang: Lang) -> String {
    match free {
        1 => RankWords::OneFreePlace.get(lang).into(),
        n => RankWords::FreePlaces.fill(lang, &[("n", &n)]),
    }
}

/// Since when the family's availability waits to be confirmed again.
pub fn stale_text(f: &FamilyView, lang: Lang) -> String {
    match f.profile.confirmed_on {
        Some(d) => format!("{} {}", L::StaleSince.get(lang), format_date(d)),
        None => L::StaleNever.get(lang).into(),
    }
}

fn referent(c: &Contact) -> String {
    if c.referent_name.is_empty() {
        c.referent.clone()
    } else {
        format!("{} ({})", c.referent_name, c.referent)
    }
}

/// "S-001 Servizio Affidi Ambito di Dalmine".
pub fn contact_line(c: &Contact) -> String {
    format!("{} {}", c.service, c.service_name).trim().to_string()
}

/// Whom to call: the service on one line, the referent and the service's
/// phone on the next.
fn contact_lines(doc: &mut Doc, c: &Contact, lang: Lang) {
    doc.push(Block::Flow { first: 4, next: 4, parts: vec![Span::plain(contact_line(c))] });
    let mut parts = vec![Span::plain(format!("{} {}", L::ReferentWord.get(lang), referent(c)))];
    if !c.phone.is_empty() {
        parts.push(Span::plain(format!("{} {}", L::PhoneWord.get(lang), c.phone)));
    }
    doc.push(Block::Flow { first: 4, next: 4, parts });
    if let Some(line) = on_call_line(c, lang) {
        doc.push(Block::Flow { first: 4, next: 4, parts: vec![line] });
    }
}

/// Whom to call at the service after hours, when it says:
/// "reperibilità: Marta Rossi · 035 123456 · lun-ven 17-9".
pub fn on_call_line(c: &Contact, lang: Lang) -> Option<Span> {
    let on_call = c.on_call.as_ref()?;
    let text = super::directory::on_call_text(on_call);
    Some(Span::new(format!("{}: {text}", L::OnCall.get(lang).to_lowercase()), Tone::Strong))
}
