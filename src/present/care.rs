//! The pathway and care of families as documents: a family's pathway and
//! support log (parts of its card), what is due, the network's events,
//! the recruitment figures.

use crate::api::{Due, DueItem, DueList, EventView, PathwayView, RecruitmentFigures, SourceRow};
use crate::i18n::{catalogue, comune_label, Lang};
use crate::model::dates::format_date;
use crate::model::*;

use super::doc::{Doc, Fields, Span, Tone};

catalogue!(
    /// The words of the pathway, the reminders, the events and the figures.
    CareWords {
        Pathway => "Percorso", "Pathway";
        CameThrough => "Arrivata tramite", "Came through";
        Unknown => "non indicato", "not given";
        Assessors => "Valutatori", "Assessors";
        SocialWorker => "assistente sociale", "social worker";
        Psychologist => "psicologo/a", "psychologist";
        NoSteps => "nessun passo registrato (famiglia registrata prima dei percorsi)",
            "no step recorded (family recorded before pathways)";
        NextSteps => "Prossimi passi", "Next steps";
        PathwayEnded => "percorso concluso", "pathway ended";
        Because => "motivo", "reason";
        SupportLog => "Diario di sostegno", "Support log";
        NoSupport => "nessuna voce", "no entry";
        NotYetKnown => "non ancora noto", "not yet known";
        Due => "Scadenze", "Due";
        DueUntil => "fino al", "until";
        NothingDue => "Niente in scadenza.", "Nothing due.";
        Overdue => "SCADUTA", "OVERDUE";
        Truncated => "(elenco troncato: restringere i giorni)", "(list cut short: ask for fewer days)";
        DueRevision => "revisione dell'idoneità", "approval review";
        DueIdle => "percorso fermo: ultimo passo il {date}", "pathway idle: last step on {date}";
        DueWaiting => "idonea dal {date}, mai proposta", "approved since {date}, never proposed";
        DueReview => "verifica prevista", "planned review";
        DueCourt => "relazione al Tribunale", "court report";
        DueEnd => "fine prevista dell'affido", "placement's expected end";
        DueEndByLaw => "24 mesi dall'avvio (nessuna fine prevista)", "24 months from the start (no expected end)";
        Event => "Incontro", "Event";
        Kind => "Tipo", "Kind";
        When => "Quando", "When";
        Where => "Dove", "Where";
        RunBy => "Organizzato da", "Run by";
        Coordination => "Coordinamento provinciale", "Provincial coordination";
        With => "con", "with";
        Attended => "Famiglie presenti", "Families attended";
        OursAttended => "Le nostre famiglie", "Our families";
        Notes => "Note", "Notes";
        NoEvents => "Nessun incontro.", "No events.";
        Recruitment => "Reclutamento", "Recruitment";
        AllServices => "tutti i servizi", "all services";
        Since => "primi contatti dal", "first contacts since";
        Source => "Provenienza", "Source";
        Enquiries => "Contatti", "Enquiries";
        InProgress => "In corso", "In progress";
        Approved => "Idonee", "Approved";
        NotApproved => "Non idonee", "Not approved";
        Withdrawn => "Ritirate", "Withdrawn";
        Conversion => "Conversione", "Conversion";
        Total => "Totale", "Total";
        DaysToApproval => "Dal primo contatto all'idoneità", "From first contact to approval";
        DaysSpread => "mediana {median} giorni (metà tra {low} e {high}), su {n} famiglie",
            "median {median} days (half between {low} and {high}), over {n} families";
        NoneApproved => "nessuna famiglia ancora idonea", "no family approved yet";
        OnlyRecorded => "Contano le famiglie il cui primo contatto è registrato in banca.",
            "Only families whose first contact is recorded in the bank count.";
    }
);

type W = CareWords;

/// A family's pathway: how it came, its assessors, each step, the next ones.
pub fn pathway_section(doc: &mut Doc, view: &PathwayView, status: FamilyStatus, lang: Lang) {
    let p = &view.pathway;
    doc.blank();
    doc.heading(W::Pathway.get(lang));
    let mut b = Fields::new(2);
    let source = match (p.source, p.source_note.is_empty()) {
        (Some(s), true) => s.label(lang).to_string(),
        (Some(s), false) => format!("{} — {}", s.label(lang), p.source_note),
        (None, false) => p.source_note.clone(),
        (None, true) => W::Unknown.get(lang).to_string(),
    };
    b.add(W::CameThrough.get(lang), source);
    let a = &p.assessors;
    if !a.social_worker.is_empty() || !a.psychologist.is_empty() {
        b.add(
            W::Assessors.get(lang),
            format!(
                "{} ({}), {} ({})",
                a.social_worker,
                W::SocialWorker.get(lang),
                a.psychologist,
                W::Psychologist.get(lang)
            ),
        );
    }
    doc.fields(b);
    if p.steps.is_empty() {
        doc.line(2, Span::new(W::NoSteps.get(lang), Tone::Dim));
    }
    for s in &p.steps {
        let mut text = format!("{}  {}", format_date(s.date), s.kind.label(lang));
        if let Some(r) = s.reason {
            text.push_str(&format!(" ({}: {})", W::Because.get(lang), r.label(lang)));
        }
        if let Some(e) = s.event {
            text.push_str(&format!(" · {e}"));
        }
        // Who did it, as recorded; the operator who recorded it when nobody was named.
        let by = if s.by.is_empty() { &s.recorded_by } else { &s.by };
        text.push_str(&format!(" — {by}"));
        doc.line(2, Span::plain(text));
        if !s.note.is_empty() {
            doc.text(14, s.note.clone());
        }
    }
    let next = if view.next_steps.is_empty() {
        Span::new(format!("{} ({})", W::PathwayEnded.get(lang), status.label(lang)), Tone::Dim)
    } else {
        Span::new(step_choices(&view.next_steps, lang), Tone::Strong)
    };
    let mut b = Fields::new(2);
    b.add_spans(W::NextSteps.get(lang), vec![next]);
    doc.fields(b);
}

/// "colloquio di valutazione (colloquio), ritiro (ritiro)": what each step
/// is and what to type for it.
pub fn step_choices(steps: &[StepKind], lang: Lang) -> String {
    steps.iter().map(|s| s.named(lang)).collect::<Vec<_>>().join(", ")
}

/// The support log, newest first.
pub fn support_section(doc: &mut Doc, entries: &[SupportEntry], lang: Lang) {
    doc.blank();
    doc.heading(W::SupportLog.get(lang));
    if entries.is_empty() {
        doc.line(2, Span::new(W::NoSupport.get(lang), Tone::Dim));
    }
    for e in entries.iter().rev() {
        let event = e.event.map(|c| format!(" · {c}")).unwrap_or_default();
        doc.line(2, Span::plain(format!("{}  {}{event} — {}", format_date(e.date), e.kind.label(lang), e.recorded_by)));
        doc.text(14, e.note.clone());
    }
}

/// "non ancora noto", for the availability of a family that has not said.
pub fn not_yet_known(lang: Lang) -> &'static str {
    W::NotYetKnown.get(lang)
}

/// What is due, overdue first and marked.
pub fn due(list: &DueList, lang: Lang) -> Doc {
    let mut doc = Doc::new();
    doc.title(vec![
        Span::new(W::Due.get(lang), Tone::Strong),
        Span::plain(format!("  {} {}", W::DueUntil.get(lang), format_date(list.until))),
    ]);
    if list.items.is_empty() {
        doc.line(0, Span::new(W::NothingDue.get(lang), Tone::Dim));
    }
    for item in &list.items {
        doc.line(0, due_span(item, lang));
    }
    if list.truncated {
        doc.line(0, Span::new(W::Truncated.get(lang), Tone::Warning));
    }
    doc
}

/// One reminder on one line: "12/01/2027  F-2026-0004  revisione dell'idoneità".
pub fn due_span(item: &DueItem, lang: Lang) -> Span {
    let mark = if item.overdue { format!("  {}", W::Overdue.get(lang)) } else { String::new() };
    let text = format!("{}  {:<12} {}{mark}", format_date(item.on), item.record, due_what(&item.what, lang));
    Span::new(text, if item.overdue { Tone::Warning } else { Tone::Plain })
}

pub fn due_what(what: &Due, lang: Lang) -> String {
    match what {
        Due::ApprovalRevision => W::DueRevision.get(lang).into(),
        Due::IdlePathway { last_step } => W::DueIdle.fill(lang, &[("date", &format_date(*last_step))]),
        Due::WaitingSinceApproval { approved_on } => W::DueWaiting.fill(lang, &[("date", &format_date(*approved_on))]),
        Due::Review => W::DueReview.get(lang).into(),
        Due::CourtReport => W::DueCourt.get(lang).into(),
        Due::ExpectedEnd { by_law: false } => W::DueEnd.get(lang).into(),
        Due::ExpectedEnd { by_law: true } => W::DueEndByLaw.get(lang).into(),
    }
}

/// An event's card: what, when, where, who runs it, who came.
pub fn event(v: &EventView, lang: Lang) -> Doc {
    let d = &v.details;
    let mut doc = Doc::new();
    doc.title(vec![
        Span::new(v.code.to_string(), Tone::Strong),
        Span::plain(format!("  {}  ·  {}", d.kind.label(lang), d.title)),
    ]);
    let mut b = Fields::new(0);
    b.add(W::Kind.get(lang), d.kind.label(lang));
    b.add(W::When.get(lang), when(d));
    let place = if d.place.is_empty() {
        comune_label(&d.comune.to_string())
    } else {
        format!("{}, {}", d.place, comune_label(&d.comune.to_string()))
    };
    b.add(W::Where.get(lang), place);
    b.add(W::RunBy.get(lang), organiser(v, lang));
    b.add(W::Attended.get(lang), v.attended.to_string());
    if !v.ours.is_empty() {
        let ours: Vec<String> =
            v.ours.iter().map(|a| format!("{} {} ({})", a.family, a.names, a.status.label(lang))).collect();
        b.add_lines(W::OursAttended.get(lang), ours.join("\n"));
    }
    b.add_lines(W::Notes.get(lang), d.notes.clone());
    doc.fields(b);
    doc.extend(super::record::meta_footer(&v.meta, lang));
    doc
}

/// "12/03/2027" or "12/03/2027 – 30/04/2027".
pub fn when(d: &EventInput) -> String {
    match d.until {
        Some(u) if u != d.date => format!("{} – {}", format_date(d.date), format_date(u)),
        _ => format_date(d.date),
    }
}

pub fn organiser(v: &EventView, lang: Lang) -> String {
    let who = match v.organiser {
        Some(s) => format!("{s} {}", v.organiser_name),
        None => W::Coordination.get(lang).to_string(),
    };
    if v.details.association.is_empty() {
        who
    } else {
        format!("{who} {} {}", W::With.get(lang), v.details.association)
    }
}

/// The events as a list: one line each.
pub fn events(list: &[EventView], lang: Lang) -> Doc {
    let mut doc = Doc::new();
    if list.is_empty() {
        doc.line(0, Span::new(W::NoEvents.get(lang), Tone::Dim));
    }
    for v in list {
        let d = &v.details;
        doc.line(
            0,
            Span::plain(format!(
                "{}  {:<23}  {:<22}  {}  · {}: {}",
                v.code,
                when(d),
                d.kind.label(lang),
                d.title,
                W::Attended.get(lang).to_lowercase(),
                v.attended
            )),
        );
    }
    doc
}

/// The recruitment figures: by source, then the total and the time to approval.
pub fn recruitment(f: &RecruitmentFigures, lang: Lang) -> Doc {
    let mut doc = Doc::new();
    let whose = f.service.map_or_else(|| W::AllServices.get(lang).to_string(), |s| s.to_string());
    let since = f.since.map(|d| format!("  ·  {} {}", W::Since.get(lang), format_date(d))).unwrap_or_default();
    doc.title(vec![Span::new(W::Recruitment.get(lang), Tone::Strong), Span::plain(format!("  {whose}{since}"))]);
    let head = format!(
        "{:<32} {:>8} {:>8} {:>8} {:>10} {:>8} {:>11}",
        W::Source.get(lang),
        W::Enquiries.get(lang),
        W::InProgress.get(lang),
        W::Approved.get(lang),
        W::NotApproved.get(lang),
        W::Withdrawn.get(lang),
        W::Conversion.get(lang)
    );
    doc.line(0, Span::new(head, Tone::Strong));
    for row in &f.by_source {
        let name = row.source.map_or_else(|| W::Unknown.get(lang).to_string(), |s| s.label(lang).to_string());
        doc.line(0, Span::plain(source_line(&name, row)));
    }
    doc.line(0, Span::new(source_line(W::Total.get(lang), &f.total), Tone::Strong));
    doc.blank();
    let spread = match &f.days_to_approval {
        Some(s) => W::DaysSpread.fill(
            lang,
            &[("median", &s.median), ("low", &s.lower_quartile), ("high", &s.upper_quartile), ("n", &s.count)],
        ),
        None => W::NoneApproved.get(lang).to_string(),
    };
    let mut b = Fields::new(0);
    b.add(W::DaysToApproval.get(lang), spread);
    doc.fields(b);
    doc.line(0, Span::new(W::OnlyRecorded.get(lang), Tone::Dim));
    doc
}

fn source_line(name: &str, r: &SourceRow) -> String {
    let conversion = r.conversion_percent().map(|p| format!("{p}%")).unwrap_or_else(|| "—".into());
    let name: String = name.chars().take(32).collect();
    format!(
        "{name:<32} {:>8} {:>8} {:>8} {:>10} {:>8} {:>11}",
        r.enquiries, r.in_progress, r.approved, r.not_approved, r.withdrawn, conversion
    )
}
