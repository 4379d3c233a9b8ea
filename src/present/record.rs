//! The records as documents: a family, a need, a proposal, a placement.

use std::collections::BTreeMap;

use crate::api::{FamilyView, NeedView, Revised};
use crate::i18n::{catalogue, comune_label, format_timestamp, Lang};
use crate::model::dates::format_date;
use crate::model::*;

use super::doc::{Block, Doc, Fields, Span, Tone};
use super::labels::L;

/// A family's card: its head, the identity where the reader may see it,
/// its availability, who created and changed it.
pub fn family(v: &FamilyView, lang: Lang) -> Doc {
    let p = &v.profile;
    let t = |l: L| l.get(lang);
    let mut doc = Doc::new();
    doc.title(head(
        &v.code.to_string(),
        &[p.status.label(lang).to_string(), comune_label(&p.comune.to_string())],
        v.revision,
        lang,
    ));
    let mut head = Fields::new(0);
    head.add(t(L::Service), format!("{} {}", v.contact.service, v.contact.service_name));
    head.add(t(L::Contacts), join_nonempty(&[&v.contact.phone, &v.contact.email]));
    head.add(t(L::Referent), format!("{} ({})", v.contact.referent_name, v.contact.referent));
    if let Some(on_call) = &v.contact.on_call {
        // Whom another service calls after hours about this record.
        head.add(t(L::OnCall), super::directory::on_call_text(on_call));
    }
    // Where the pathway goes next, in sight without scrolling to it.
    if let Some(next) = v.pathway.as_ref().and_then(|p| p.next_steps.first()) {
        head.add_spans(t(L::NextStep), vec![Span::new(super::care::step_choices(&[*next], lang), Tone::Strong)]);
    }
    doc.fields(head);
    doc.blank();
    match &v.private {
        Some(private) => {
            doc.heading(t(L::FamilyIdentity));
            let (id, mut b) = (&private.identity, Fields::new(2));
            let adults: Vec<String> = id
                .adults
                .iter()
                .map(|a| match a.birth_year {
                    Adult::UNKNOWN_YEAR => a.name.clone(),
                    year => format!("{} ({year})", a.name),
                })
                .collect();
            b.add(t(L::Adults), adults.join(", "));
            b.add(t(L::Address), id.address.clone());
            b.add(t(L::Phone), id.phone.clone());
            b.add(t(L::Email), id.email.clone());
            let years: Vec<String> = private.children_birth_years.iter().map(|y| y.to_string()).collect();
            b.add(t(L::ChildrenBorn), years.join(", "));
            b.add(t(L::Pets), private.pets.clone());
            b.add_lines(t(L::Notes), private.notes.clone());
            doc.fields(b);
        }
        None => {
            doc.line(0, Span::new(t(L::FamilyIdentityReserved), Tone::Dim));
        }
    }
    doc.blank();
    doc.heading(t(L::Availability));
    let mut b = Fields::new(2);
    if p.availability_known {
        b.add(t(L::Kinds), list_labels(p.kinds.iter().map(|k| k.label(lang)), lang));
        b.add(t(L::Ages), p.ages.describe(lang));
        b.add(t(L::Sex), p.sex_preference.label(lang));
        b.add(t(L::MaxChildren), p.max_children.to_string());
        b.add(t(L::Siblings), yes_no(p.siblings_accepted, lang));
        b.add(t(L::SpecialNeeds), list_labels(p.special_needs_accepted.iter().map(|k| k.label(lang)), lang));
        b.add(t(L::Languages), crate::model::languages::labels(&p.languages, lang));
        b.add(t(L::Time), list_labels(p.time_slots.iter().map(|k| k.label(lang)), lang));
    } else {
        // Nothing that reads as assessed before the family has said it.
        let unknown = || Span::new(super::care::not_yet_known(lang), Tone::Dim);
        for label in [
            L::Kinds,
            L::Ages,
            L::Sex,
            L::MaxChildren,
            L::Siblings,
            L::SpecialNeeds,
            L::Languages,
            L::Time,
            L::MaxDistance,
        ] {
            b.add_spans(t(label), vec![unknown()]);
        }
    }
    if p.availability_known {
        b.add(
            t(L::MaxDistance),
            p.max_distance_km.map(|km| format!("{km} km")).unwrap_or_else(|| t(L::NoLimit).into()),
        );
    }
    let hh = &p.household;
    b.add(t(L::Household), household(hh.adults.into(), hh.spare_rooms.into(), lang));
    b.add(t(L::TrainingCompleted), opt_date(p.training_completed_on));
    b.add(t(L::ApprovedOn), opt_date(p.approved_on));
    b.add(t(L::ReviewOn), opt_date(p.review_on));
    let confirmed = match p.confirmed_on {
        Some(d) if v.stale => {
            vec![Span::plain(format_date(d)), Span::new(format!("  ⚠ {}", t(L::ToConfirmAgain)), Tone::Warning)]
        }
        Some(d) => vec![Span::plain(format_date(d))],
        None => vec![Span::new(t(L::NeverConfirmed), Tone::Warning)],
    };
    b.add_spans(t(L::ConfirmedOn), confirmed);
    b.add(t(L::AvailablePeriod), period_text(p.available_from, p.available_until, lang));
    doc.fields(b);
    if let Some(pathway) = &v.pathway {
        super::care::pathway_section(&mut doc, pathway, p.status, lang);
    }
    if let Some(support) = &v.support {
        super::care::support_section(&mut doc, support, lang);
    }
    doc.extend(meta_footer(&v.meta, lang));
    doc
}

/// A family's availability period: "dal 01/03/2026 al 31/08/2026", "dal
/// 01/03/2026", "fino al 31/08/2026", or "nessun limite".
pub fn period_text(from: Option<time::Date>, until: Option<time::Date>, lang: Lang) -> String {
    let t = |l: L| l.get(lang);
    match (from, until) {
        (Some(f), Some(u)) => format!("{} {} {} {}", t(L::FromDay), format_date(f), t(L::UntilDay), format_date(u)),
        (Some(f), None) => format!("{} {}", t(L::FromDay), format_date(f)),
        (None, Some(u)) => format!("{} {}", t(L::UntilDayAlone), format_date(u)),
        (None, None) => t(L::NoLimit).to_string(),
    }
}

/// A need's legal basis in a few words, with the court and decree or the
/// date of the art. 403 order.
pub fn legal_text(legal: &LegalBasis, lang: Lang) -> String {
    let t = |l: L| l.get(lang);
    match legal {
        LegalBasis::Consensual => t(L::Consensual).to_string(),
        LegalBasis::Judicial { court, decree } => format!("{} — {court}, {decree}", t(L::Judicial)),
        LegalBasis::Art403 { ordered_on } => {
            format!("{} — {} {}", t(L::Art403), t(L::OrderedOn), format_date(*ordered_on))
        }
    }
}

/// A need's card: the child's identity only for its own service.
pub fn need(v: &NeedView, lang: Lang) -> Doc {
    let p = &v.placement;
    let t = |l: L| l.get(lang);
    let mut doc = Doc::new();
    doc.title(head(
        &v.code.to_string(),
        &[
            p.status.label(lang).to_string(),
            format!("{}, {}", crate::model::age::describe_age(v.age_months, lang), p.sex.label(lang)),
            comune_label(&p.comune.to_string()),
        ],
        v.revision,
        lang,
    ));
    let mut head = Fields::new(0);
    head.add(t(L::Service), format!("{} {}", v.contact.service, v.contact.service_name));
    head.add(t(L::Referent), format!("{} ({})", v.contact.referent_name, v.contact.referent));
    if let Some(on_call) = &v.contact.on_call {
        // Whom another service calls after hours about this record.
        head.add(t(L::OnCall), super::directory::on_call_text(on_call));
    }
    doc.fields(head);
    doc.blank();
    match &v.identity {
        Some(id) => {
            doc.heading(t(L::ChildIdentity));
            let mut b = Fields::new(2);
            b.add(t(L::Name), format!("{} {}", id.given_name, id.family_name));
            b.add(t(L::BornOn), format_date(id.birth_date));
            b.add(t(L::FiscalCode), id.fiscal_code.clone().unwrap_or_default());
            b.add(t(L::Address), id.address.clone());
            doc.fields(b);
        }
        None => {
            doc.line(0, Span::new(t(L::ChildIdentityReserved), Tone::Dim));
        }
    }
    doc.blank();
    doc.heading(t(L::NeedSection));
    let mut b = Fields::new(2);
    b.add(t(L::Kind), p.kind.label(lang));
    b.add(t(L::LegalBasis), legal_text(&p.legal, lang));
    b.add_spans(t(L::Urgency), vec![urgency_span(v, lang)]);
    b.add(t(L::Siblings), p.siblings.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", "));
    b.add(t(L::DesiredStart), opt_date(p.desired_start));
    b.add(t(L::ExpectedDuration), p.duration_months.map(|m| format!("{m} {}", t(L::Months))).unwrap_or_default());
    b.add(t(L::TimeNeeded), list_labels(p.time_slots.iter().map(|k| k.label(lang)), lang));
    b.add(t(L::SpecialNeeds), list_labels(p.special_needs.iter().map(|k| k.label(lang)), lang));
    b.add(t(L::Languages), crate::model::languages::labels(&p.languages, lang));
    b.add_lines(t(L::CulturalNotes), p.cultural_notes.clone());
    b.add(t(L::OriginIn), p.origin_comune.map(|c| comune_label(&c.to_string())).unwrap_or_default());
    b.add(t(L::Contact), contact_text(&p.contact, lang));
    b.add(t(L::SchoolIn), p.school_comune.map(|c| comune_label(&c.to_string())).unwrap_or_default());
    if let Some(r) = p.closing_reason {
        b.add(t(L::ClosedBecause), r.label(lang));
    }
    b.add_lines(t(L::Notes), p.notes.clone());
    doc.fields(b);
    doc.extend(meta_footer(&v.meta, lang));
    doc
}

/// A need's urgency as read: "ordinaria", "pronto intervento" (entered as
/// the kind, no date), "pronto intervento entro il 12/01/2027", and
/// "· scaduta" once that date has passed with the child still waiting
/// (`NeedView::overdue`, computed by the bank when read).
pub fn urgency_of(v: &NeedView, lang: Lang) -> String {
    let p = &v.placement;
    let text = match p.needed_by() {
        Some(_) => urgency_text(&p.urgency, lang),
        None if p.is_emergency() => L::Emergency.get(lang).into(),
        None => L::Ordinary.get(lang).into(),
    };
    if v.overdue {
        format!("{text} · {}", L::NeedOverdue.get(lang))
    } else {
        text
    }
}

/// `urgency_of` as a span: an emergency stands out.
pub fn urgency_span(v: &NeedView, lang: Lang) -> Span {
    let text = urgency_of(v, lang);
    if v.placement.is_emergency() {
        Span::new(text, Tone::Warning)
    } else {
        Span::plain(text)
    }
}

/// "ordinaria", or "pronto intervento entro il 12/01/2027".
pub fn urgency_text(u: &Urgency, lang: Lang) -> String {
    match u {
        Urgency::Ordinary => L::Ordinary.get(lang).into(),
        Urgency::Emergency { needed_by } => format!("{} {}", L::EmergencyBy.get(lang), format_date(*needed_by)),
    }
}

/// A proposal's card and the steps it went through.
pub fn proposal(v: &Revised<Proposal>, names: &BTreeMap<ServiceCode, String>, lang: Lang) -> Doc {
    proposal_with(v, names, lang, |_| {})
}

/// The proposal with what its card shows: each child as every service may
/// see it (age, sex, kind, urgency and deadline, special needs), the
/// family's places, and whom to call on either side.
pub fn proposal_card(v: &crate::api::ProposalView, names: &BTreeMap<ServiceCode, String>, lang: Lang) -> Doc {
    let base = Revised { revision: v.revision, record: v.record.clone() };
    proposal_with(&base, names, lang, |doc| {
        let t = |l: L| l.get(lang);
        for n in &v.needs {
            let p = &n.placement;
            doc.blank();
            doc.heading(format!(
                "{}  ·  {}, {}  ·  {}",
                CardWords::ChildOf.fill(lang, &[("code", &n.code)]),
                crate::model::age::describe_age(n.age_months, lang),
                p.sex.label(lang),
                crate::i18n::comune_label(&p.comune.to_string())
            ));
            let mut b = Fields::wrapped(2);
            b.add(t(L::Kind), p.kind.label(lang));
            b.add_spans(t(L::Urgency), vec![urgency_span(n, lang)]);
            b.add(t(L::DesiredStart), p.desired_start.map(format_date).unwrap_or_default());
            let needs = p.special_needs.iter().map(|k| k.label(lang).to_string()).collect::<Vec<_>>();
            b.add(t(L::SpecialNeeds), needs.join(", "));
            b.add(t(L::Languages), crate::model::languages::labels(&p.languages, lang));
            doc.fields(b);
        }
        doc.blank();
        doc.heading(t(L::Contacts));
        let mut b = Fields::wrapped(2);
        if let Some(c) = v.need_contact() {
            contact_rows(&mut b, t(L::ChildService), c, lang);
        }
        if let Some(c) = v.family_contact() {
            contact_rows(&mut b, t(L::FamilyService), c, lang);
        }
        if let Some(free) = v.family.as_ref().and_then(|f| f.free_places) {
            b.add(CardWords::FreePlaces.get(lang), free.to_string());
        }
        if let Some(e) = &v.service {
            b.add(t(L::ReceptionService), e.name.clone());
            b.add(CardWords::Phone.get(lang), e.phone.clone());
            if let Some(c) = &e.on_call {
                b.add(CardWords::OnCall.get(lang), format!("{} {} ({})", c.name, c.phone, c.hours));
            }
            if let Some(places) = &e.places {
                b.add(CardWords::ServicePlaces.get(lang), places.free.to_string());
            }
        }
        doc.fields(b);
    })
}

catalogue!(
    /// The proposal card's own words (the rest are the documents' `L`).
    CardWords {
        ChildOf => "Minore di {code}", "Child of {code}";
        FreePlaces => "Posti liberi della famiglia", "Family's free places";
        OnCall => "  reperibilità", "  on call";
        ServicePlaces => "Posti liberi del servizio", "Service's vacant places";
        Phone => "  telefono", "  phone";
        Email => "  e-mail", "  e-mail";
        Referent => "  referente", "  referent";
    }
);

/// One side's service, its phone and e-mail, and the referent to ask for.
fn contact_rows(b: &mut Fields, side: &str, c: &crate::api::Contact, lang: Lang) {
    let t = |w: CardWords| w.get(lang);
    b.add(side, format!("{} {}", c.service, c.service_name));
    b.add(t(CardWords::Phone), c.phone.clone());
    b.add(t(CardWords::Email), c.email.clone());
    b.add(t(CardWords::Referent), format!("{} ({})", c.referent_name, c.referent));
    if let Some(on_call) = &c.on_call {
        b.add(L::OnCall.get(lang), super::directory::on_call_text(on_call));
    }
}

/// The proposal, with `card` (the card's sections) between its fields and its steps.
fn proposal_with(
    v: &Revised<Proposal>,
    names: &BTreeMap<ServiceCode, String>,
    lang: Lang,
    card: impl FnOnce(&mut Doc),
) -> Doc {
    let p = &v.record;
    let t = |l: L| l.get(lang);
    let mut doc = Doc::new();
    doc.title(head(&p.code.to_string(), &[p.status.label(lang).to_string()], v.revision, lang));
    let mut b = Fields::wrapped(0);
    let needs: Vec<String> = p.needs.iter().map(|c| c.to_string()).collect();
    b.add(if p.needs.len() > 1 { t(L::Needs) } else { t(L::Need) }, needs.join(", "));
    match p.family {
        Some(family) => {
            b.add(t(L::Family), family.to_string());
            b.add(t(L::ChildService), named(p.need_service, names));
            b.add(t(L::FamilyService), named(p.family_service, names));
        }
        None => {
            b.add(t(L::ReceptionService), named(p.family_service, names));
            b.add(t(L::ChildService), named(p.need_service, names));
        }
    }
    if let Some(score) = p.score {
        b.add(t(L::Score), format!("{score}/100 {}", t(L::WhenProposed)));
    }
    if let Some(a) = p.placement {
        b.add(t(L::Placement), a.to_string());
    }
    doc.fields(b);
    card(&mut doc);
    doc.blank();
    doc.heading(t(L::Steps));
    let width = p.steps.iter().map(|st| status_word(st.status, lang).chars().count()).max().unwrap_or(0);
    for st in &p.steps {
        doc.push(Block::Line {
            indent: 2,
            hang: None,
            spans: vec![
                Span::new(format_timestamp(st.at), Tone::Dim),
                Span::plain(format!("  {:<width$}  ", status_word(st.status, lang))),
                Span::plain(match st.cause {
                    // A step the bank took because of another record: said as the bank's.
                    Some(StepCause::NoPlaceLeft { .. }) => t(L::ByTheBank).to_string(),
                    _ => st.by.clone(),
                }),
            ],
        });
        if let Some(cause) = &st.cause {
            doc.text(20, step_cause(cause, lang));
        }
        if !st.note.is_empty() {
            doc.text(20, st.note.clone());
        }
    }
    doc
}

catalogue!(
    /// Why the bank moved a proposal on by itself (`StepCause`).
    StepWords {
        NeedClosed => "richiesta {need} chiusa: {reason}", "need {need} closed: {reason}";
        NeedClosedNoReason => "richiesta {need} chiusa", "need {need} closed";
        PlacedElsewhere => "affido avviato con {proposal} ({placement})", "placement started through {proposal} ({placement})";
        NoPlaceLeftPlacement => "la famiglia {family} non ha più posti (affido {placement})",
            "family {family} has no place left (placement {placement})";
        NoPlaceLeftProposal => "la famiglia {family} non ha più posti (proposta {proposal} accettata)",
            "family {family} has no place left (proposal {proposal} accepted)";
    }
);

/// "richiesta R-2026-0009 chiusa: rientro in famiglia", in the reader's language.
pub fn step_cause(cause: &StepCause, lang: Lang) -> String {
    match cause {
        StepCause::NeedClosed { need, reason: Some(reason) } => {
            StepWords::NeedClosed.fill(lang, &[("need", need), ("reason", &reason.label(lang))])
        }
        StepCause::NeedClosed { need, reason: None } => StepWords::NeedClosedNoReason.fill(lang, &[("need", need)]),
        StepCause::PlacedElsewhere { proposal, placement } => {
            StepWords::PlacedElsewhere.fill(lang, &[("proposal", proposal), ("placement", placement)])
        }
        StepCause::NoPlaceLeft { family, by: PlaceTaker::Placement(placement) } => {
            StepWords::NoPlaceLeftPlacement.fill(lang, &[("family", family), ("placement", placement)])
        }
        StepCause::NoPlaceLeft { family, by: PlaceTaker::Proposal(proposal) } => {
            StepWords::NoPlaceLeftProposal.fill(lang, &[("family", family), ("proposal", proposal)])
        }
    }
}

/// A proposal's status as one word of the command line ("in attesa", "accettata").
pub fn status_word(status: ProposalStatus, lang: Lang) -> String {
    match lang {
        Lang::It => status.token_it(),
        Lang::En => status.token(),
    }
    .replace('_', " ")
}

/// A placement's card: its plan, its reviews, its closing.
pub fn placement(v: &Revised<Placement>, names: &BTreeMap<ServiceCode, String>, today: time::Date, lang: Lang) -> Doc {
    let p = &v.record;
    let t = |l: L| l.get(lang);
    let state = match &p.closing {
        None => t(L::Ongoing).to_string(),
        Some(c) => format!("{} {}", t(L::ClosedOn), format_date(c.date)),
    };
    let mut doc = Doc::new();
    doc.title(head(&p.code.to_string(), &[state, p.kind.label(lang).to_string()], v.revision, lang));
    let mut b = Fields::wrapped(0);
    let needs: Vec<String> = p.needs.iter().map(|c| c.to_string()).collect();
    b.add(if p.needs.len() > 1 { t(L::Children) } else { t(L::Child) }, needs.join(", "));
    match p.family {
        Some(family) => b.add(t(L::Family), family.to_string()),
        None => b.add(t(L::ReceptionService), named(p.family_service, names)),
    };
    b.add(t(L::Proposal), p.proposal.to_string());
    b.add(t(L::ChildService), named(p.need_service, names));
    if p.family.is_some() {
        b.add(t(L::FamilyService), named(p.family_service, names));
    }
    doc.fields(b);

    doc.blank();
    doc.heading(t(L::FosterPlan));
    let plan = &p.plan;
    let mut b = Fields::wrapped(2);
    b.add(t(L::Start), format_date(plan.start));
    let relationship = plan.relationship.map_or_else(|| t(L::NotRecorded).to_string(), |r| r.label(lang).to_string());
    b.add(t(L::Relationship), relationship);
    b.add(t(L::ExpectedEnd), plan.expected_end.map(format_date).unwrap_or_default());
    let (end, by_law) = p.horizon();
    let horizon = if by_law { format!("{} ({})", format_date(end), t(L::ByLaw)) } else { format_date(end) };
    if p.is_active() && (by_law || !p.extensions.is_empty()) {
        b.add_spans(t(L::RunsTo), vec![Span::new(horizon, if end < today { Tone::Danger } else { Tone::Plain })]);
    }
    b.add(t(L::Duration), plan.duration_months.map(|m| format!("{m} {}", t(L::Months))).unwrap_or_default());
    b.add(t(L::Contact), contact_text(&plan.contact, lang));
    let next = p.next_review().filter(|_| p.is_active());
    let mut reviews: Vec<Span> = Vec::new();
    for (i, d) in plan.review_dates.iter().enumerate() {
        let sep = if i > 0 { ", " } else { "" };
        if Some(*d) == next && *d < today {
            reviews.push(Span::new(format!("{sep}{} ({})", format_date(*d), t(L::Overdue)), Tone::Danger));
        } else if Some(*d) == next {
            reviews.push(Span::new(format!("{sep}{} ({})", format_date(*d), t(L::Next)), Tone::Strong));
        } else {
            reviews.push(Span::plain(format!("{sep}{}", format_date(*d))));
        }
    }
    b.add_spans(t(L::PlannedReviews), reviews);
    doc.fields(b);
    for (label, text) in [(t(L::ContactNotes), &plan.contact_notes), (t(L::Commitments), &plan.commitments)] {
        if !text.is_empty() {
            doc.push(Block::Heading { text: format!("{label}:"), indent: 2 });
            doc.text(4, text.clone());
        }
    }

    doc.blank();
    doc.heading(t(L::Reviews));
    if p.reviews.is_empty() {
        doc.line(2, Span::new(t(L::NoneYet), Tone::Dim));
    }
    for r in &p.reviews {
        doc.push(Block::Line {
            indent: 2,
            hang: None,
            spans: vec![
                Span::new(format_date(r.date), Tone::Strong),
                Span::plain(format!("  {}  {}", r.kind.label(lang), r.by)),
            ],
        });
        doc.text(4, r.note.clone());
    }
    if !p.extensions.is_empty() {
        doc.blank();
        doc.heading(t(L::Extensions));
        for e in &p.extensions {
            let text = format!(
                "{} {}  ·  {} {} ({})  ·  {}",
                t(L::UntilDayAlone),
                format_date(e.until),
                t(L::DecidedOn),
                format_date(e.decided_on),
                e.decided_by.label(lang),
                e.by
            );
            doc.line(2, Span::plain(text));
            if !e.note.is_empty() {
                doc.text(4, e.note.clone());
            }
        }
    }
    if !p.court_reports.is_empty() {
        doc.blank();
        doc.heading(t(L::CourtReports));
        for r in &p.court_reports {
            let (state, tone) = match r.sent_on {
                Some(sent) => (format!("{} {}", t(L::SentOn), format_date(sent)), Tone::Plain),
                None if r.due_on < today => (t(L::Overdue).to_string(), Tone::Danger),
                None => (t(L::ToSend).to_string(), Tone::Strong),
            };
            let spans =
                vec![Span::plain(format!("{} {}  ·  ", t(L::DueOn), format_date(r.due_on))), Span::new(state, tone)];
            doc.push(Block::Line { indent: 2, hang: None, spans });
            if !r.note.is_empty() {
                doc.text(4, r.note.clone());
            }
        }
    }
    if let Some(c) = &p.closing {
        doc.blank();
        doc.heading(t(L::Closing));
        let mut b = Fields::wrapped(2);
        b.add(t(L::Date), format_date(c.date));
        b.add(t(L::Outcome), c.outcome.label(lang));
        b.add(t(L::ClosedBy), c.by.clone());
        doc.fields(b);
        if !c.note.is_empty() {
            doc.text(4, c.note.clone());
        }
    }
    let m = &p.meta;
    doc.blank();
    doc.push(Block::Flow {
        first: 0,
        next: 0,
        parts: vec![
            Span::new(
                format!("{} {} {} {}", t(L::RecordedOn), format_timestamp(m.created_at), t(L::By), m.created_by),
                Tone::Dim,
            ),
            Span::new(
                format!(
                    "{} {} {} {}",
                    t(L::LastChangedOn),
                    format_timestamp(m.updated_at),
                    t(by(&m.updated_by)),
                    m.updated_by
                ),
                Tone::Dim,
            ),
        ],
    });
    doc
}

/// "F-2026-0001  idonea  ·  Dalmine (BG)  ·  revisione 3": the code strong.
fn head(code: &str, facts: &[String], revision: u64, lang: Lang) -> Vec<Span> {
    let mut text = String::new();
    for f in facts {
        text.push_str(&format!("  {}", if text.is_empty() { "" } else { "·  " }));
        text.push_str(f);
    }
    let sep = if facts.is_empty() { "  " } else { "  ·  " };
    vec![Span::new(code, Tone::Strong), Span::plain(format!("{text}{sep}{} {revision}", L::RevisionWord.get(lang)))]
}

/// "Creata il … da …; modificata il … da …", after a blank line.
pub fn meta_footer(meta: &Meta, lang: Lang) -> Doc {
    let t = |l: L| l.get(lang);
    let mut doc = Doc::new();
    doc.blank();
    doc.line(
        0,
        Span::new(
            format!(
                "{} {} {} {}; {} {} {} {}",
                t(L::CreatedOn),
                format_timestamp(meta.created_at),
                t(L::By),
                meta.created_by,
                t(L::ChangedOn),
                format_timestamp(meta.updated_at),
                t(by(&meta.updated_by)),
                meta.updated_by
            ),
            Tone::Dim,
        ),
    );
    doc
}

/// How often the child meets the family of origin, and whether supervised.
fn contact_text(c: &OriginContact, lang: Lang) -> String {
    format!("{}{}", c.frequency.label(lang), if c.supervised { L::Supervised.get(lang) } else { "" })
}

/// "S-001 Servizio Affidi…", or the code alone when the name is not known.
pub fn named(code: ServiceCode, names: &BTreeMap<ServiceCode, String>) -> String {
    match names.get(&code) {
        Some(name) => format!("{code} {name}"),
        None => code.to_string(),
    }
}

pub fn opt_date(d: Option<time::Date>) -> String {
    d.map(format_date).unwrap_or_default()
}

pub fn yes_no(b: bool, lang: Lang) -> String {
    if b { L::Yes.get(lang) } else { L::No.get(lang) }.to_string()
}

/// Labels joined with commas, or "nessuno".
pub fn list_labels<'a>(labels: impl Iterator<Item = &'a str>, lang: Lang) -> String {
    let v: Vec<&str> = labels.collect();
    if v.is_empty() {
        L::NoneOf.get(lang).to_string()
    } else {
        v.join(", ")
    }
}

fn join_nonempty(parts: &[&str]) -> String {
    parts.iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join(" · ")
}

/// "by" a person, or "through" the record whose step changed this one (a
/// need moved by its proposal keeps the proposal's code as its last changer).
fn by(who: &str) -> L {
    match crate::model::RecordKind::of_code(who) {
        Some(_) => L::Through,
        None => L::By,
    }
}

/// "1 adulto, 0 stanze libere": each count with its word, one or many.
fn household(adults: u64, spare_rooms: u64, lang: Lang) -> String {
    let counted = |n: u64, one: L, many: L| format!("{n} {}", if n == 1 { one } else { many }.get(lang));
    format!("{}, {}", counted(adults, L::AdultWord, L::AdultsWord), counted(spare_rooms, L::SpareRoom, L::SpareRooms))
}

#[cfg(test)]
mod household_tests {
    use super::*;

    #[test]
    fn a_household_counts_in_the_singular_for_one() {
        assert_eq!(household(1, 0, Lang::It), "1 adulto, 0 stanze libere");
        assert_eq!(household(2, 1, Lang::It), "2 adulti, 1 stanza libera");
        assert_eq!(household(1, 0, Lang::En), "1 adult, 0 spare rooms");
        assert_eq!(household(3, 1, Lang::En), "3 adults, 1 spare room");
    }
}
