//! `banca family enquiry|step|support`, `banca due`, `banca recruitment`:
//! a family's pathway from the first call, its support log, what is due
//! and the recruitment figures.

use clap::Args;

use crate::api::{FamilyView, Reply, Request};
use crate::model::*;
use crate::present;

use super::parse::{family_code, today, FlagErrors};
use super::session::{print_json, unexpected, CliResult, Session};
use crate::i18n::catalogue;

catalogue!(
    /// What the pathway commands say.
    PathwayWords {
        Required => "obbligatorio", "required";
        NameOrContact => "almeno un nome (--name)", "at least one name (--name)";
        NowStatus => "Ora", "Now";
        NextSteps => "Prossimi passi", "Next steps";
        PathwayEnded => "percorso concluso", "pathway ended";
        HiddenPathway => "il percorso di questa famiglia è visibile al suo servizio e al coordinamento",
            "this family's pathway is visible to its service and the coordination";
        WhichStep => "quale passo? Possibili ora:", "which step? Possible now:";
        NotAnEvent => "non è il codice di un incontro (es. E-2026-0001)", "is not an event's code (e.g. E-2026-0001)";
        EnquiryIsAdd => "il primo contatto si registra con banca family enquiry", "a first contact is recorded with banca family enquiry";
        CompleteWith => "Si completa la famiglia con: banca family edit {code} (--adult \"Nome Cognome,anno\", --kinds, --ages, --max-children, --time…)",
            "Complete the family with: banca family edit {code} (--adult \"Name Surname,year\", --kinds, --ages, --max-children, --time…)";
    }
);

type W = PathwayWords;

#[derive(Args, Debug)]
pub struct EnquiryArgs {
    /// Nome e cognome di chi ha chiamato (ripetibile: la coppia)
    #[arg(long = "name", value_name = "NOME COGNOME")]
    names: Vec<String>,
    /// Telefono (o --email)
    #[arg(long)]
    phone: Option<String>,
    /// E-mail (o --phone)
    #[arg(long)]
    email: Option<String>,
    /// Comune di residenza (nome o codice ISTAT)
    #[arg(long)]
    comune: Option<String>,
    /// Data del primo contatto (gg/mm/aaaa; default oggi)
    #[arg(long, value_name = "DATA")]
    date: Option<String>,
    /// Come è arrivata: serata_informativa, campagna, passaparola, altra_famiglia, segnalazione, associazione, web, altro
    #[arg(long, value_name = "PROVENIENZA")]
    source: Option<String>,
    /// Dettaglio della provenienza (quale campagna, quale famiglia)
    #[arg(long, value_name = "TESTO")]
    source_note: Option<String>,
    /// La serata informativa in cui è stata incontrata, es. E-2026-0001
    #[arg(long, value_name = "INCONTRO")]
    event: Option<String>,
    /// Nota del primo contatto
    #[arg(long, value_name = "TESTO")]
    note: Option<String>,
    /// Servizio (amministratore e coordinamento; per un operatore: il proprio)
    #[arg(long, value_name = "SERVIZIO")]
    service: Option<String>,
}

#[derive(Args, Debug)]
pub struct StepArgs {
    /// Codice della famiglia, es. F-2026-0001
    #[arg(value_name = "FAMIGLIA")]
    code: String,
    /// Il passo: informazione, formazione, avvio_valutazione, colloquio, visita_domiciliare, relazione, idoneita, non_idoneita, sospensione, riattivazione, ritiro, revisione (senza: mostra i passi possibili ora)
    #[arg(value_name = "PASSO")]
    step: Option<String>,
    /// Data del passo (gg/mm/aaaa; default oggi)
    #[arg(long, value_name = "DATA")]
    date: Option<String>,
    /// Chi l'ha svolto (default: chi registra)
    #[arg(long, value_name = "CHI")]
    by: Option<String>,
    /// Nota del passo
    #[arg(long, value_name = "TESTO")]
    note: Option<String>,
    /// Motivo (per non_idoneita, sospensione, ritiro): motivi_familiari, salute, trasferimento, scelta_adottiva, non_pronta, contesto_non_adeguato, pausa_dopo_affido, irreperibile, decisione_servizio, altro
    #[arg(long, value_name = "MOTIVO")]
    reason: Option<String>,
    /// L'incontro della rete frequentato (serata, corso), es. E-2026-0002
    #[arg(long, value_name = "INCONTRO")]
    event: Option<String>,
    /// Avvio della valutazione: l'assistente sociale valutatore
    #[arg(long, value_name = "NOME")]
    social_worker: Option<String>,
    /// Avvio della valutazione: lo psicologo valutatore
    #[arg(long, value_name = "NOME")]
    psychologist: Option<String>,
    /// Revisione letta (da `family show`)
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = crate::cli::parse::whole::<u64>)]
    revision: Option<u64>,
}

#[derive(Args, Debug)]
pub struct SupportArgs {
    /// Codice della famiglia, es. F-2026-0001
    #[arg(value_name = "FAMIGLIA")]
    code: String,
    /// contatto, visita, supervisione, gruppo, altro
    #[arg(long, value_name = "TIPO")]
    kind: Option<String>,
    /// Data (gg/mm/aaaa; default oggi)
    #[arg(long, value_name = "DATA")]
    date: Option<String>,
    /// Cosa è successo (obbligatoria)
    #[arg(long, value_name = "TESTO")]
    note: Option<String>,
    /// L'incontro del gruppo di sostegno, es. E-2026-0003
    #[arg(long, value_name = "INCONTRO")]
    event: Option<String>,
    /// Revisione letta (da `family show`)
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = crate::cli::parse::whole::<u64>)]
    revision: Option<u64>,
}

#[derive(Args, Debug)]
pub struct DueArgs {
    /// Quanti giorni avanti guardare (default 7; 31 per il mese)
    #[arg(long, value_name = "GIORNI", default_value_t = 7, value_parser = clap::value_parser!(u16).range(0..=366))]
    days: u16,
    /// Il mese: come --days 31
    #[arg(long, conflicts_with = "days")]
    month: bool,
    /// Servizio (coordinamento; per un operatore: il proprio)
    #[arg(long, value_name = "SERVIZIO")]
    service: Option<String>,
}

#[derive(Args, Debug)]
pub struct RecruitmentArgs {
    /// Servizio (coordinamento: senza, tutti i servizi; per un operatore: il proprio)
    #[arg(long, value_name = "SERVIZIO")]
    service: Option<String>,
    /// Solo i primi contatti da questa data (gg/mm/aaaa)
    #[arg(long, value_name = "DATA")]
    since: Option<String>,
}

fn event_code(errs: &mut FlagErrors, flag: &str, input: &str) -> Option<EventCode> {
    let code = EventCode::parse(input);
    if code.is_none() {
        errs.push(flag, format!("«{}»: {}", super::parse::echoed(input), W::NotAnEvent.get(errs.lang())));
    }
    code
}

pub fn enquiry(s: &Session, args: EnquiryArgs) -> CliResult {
    let mut errs = FlagErrors::new(s.lang);
    let names: Vec<String> = args.names.iter().flat_map(|n| split_names(n)).collect();
    if names.is_empty() {
        errs.push("name", W::NameOrContact.get(s.lang));
    }
    let comune = match &args.comune {
        Some(v) => errs.comune("comune", v),
        None => {
            errs.push("comune", W::Required.get(s.lang));
            None
        }
    };
    let date = match &args.date {
        Some(d) => errs.date("date", d),
        None => Some(today()),
    };
    let source = args
        .source
        .as_deref()
        .and_then(|v| errs.term("source", v, EnquirySource::parse, EnquirySource::choices(s.lang)));
    let event = args.event.as_deref().and_then(|v| event_code(&mut errs, "event", v));
    let service = args.service.as_deref().and_then(|v| errs.service("service", v));
    errs.finish()?;
    let (Some(comune), Some(date)) = (comune, date) else { return Ok(()) };
    let input = EnquiryInput {
        service,
        names,
        phone: args.phone.unwrap_or_default().trim().to_string(),
        email: args.email.unwrap_or_default().trim().to_string(),
        comune,
        date,
        source,
        source_note: args.source_note.unwrap_or_default(),
        event,
        note: args.note.unwrap_or_default(),
    };
    super::family::saved(s, s.call(Request::FamilyEnquiry { input })?)
}

/// "Anna Rota e Marco Bassi" or "Anna Rota, Marco Bassi": each a name.
fn split_names(input: &str) -> Vec<String> {
    input
        .split([',', ';'])
        .flat_map(|part| part.split(" e "))
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(String::from)
        .collect()
}

fn family(s: &Session, code: FamilyCode) -> CliResult<FamilyView> {
    match s.call(Request::FamilyGet { code })? {
        Reply::Family(v) => Ok(v),
        other => Err(unexpected(other)),
    }
}

pub fn step(s: &Session, args: StepArgs) -> CliResult {
    let code = family_code(&args.code, s.lang)?;
    let Some(typed) = args.step.as_deref() else {
        // No step named: say which are possible now.
        let view = family(s, code)?;
        return print_next(s, &view, true);
    };
    let mut errs = FlagErrors::new(s.lang);
    let steps: Vec<&str> = StepKind::ALL.iter().filter(|k| **k != StepKind::Enquiry).map(|k| k.typed(s.lang)).collect();
    let kind = match StepKind::parse(typed) {
        Some(StepKind::Enquiry) => {
            errs.push("step", W::EnquiryIsAdd.get(s.lang));
            None
        }
        _ => errs.term("step", typed, StepKind::parse, steps.join(", ")),
    };
    let date = match &args.date {
        Some(d) => errs.date("date", d),
        None => Some(today()),
    };
    let reason =
        args.reason.as_deref().and_then(|v| errs.term("reason", v, StepReason::parse, StepReason::choices(s.lang)));
    let event = args.event.as_deref().and_then(|v| event_code(&mut errs, "event", v));
    errs.finish()?;
    let (Some(kind), Some(date)) = (kind, date) else { return Ok(()) };
    let assessors = (args.social_worker.is_some() || args.psychologist.is_some()).then(|| Assessors {
        social_worker: args.social_worker.clone().unwrap_or_default(),
        psychologist: args.psychologist.clone().unwrap_or_default(),
    });
    let step = StepInput {
        kind,
        date,
        by: args.by.unwrap_or_default(),
        note: args.note.unwrap_or_default(),
        reason,
        event,
        assessors: match kind {
            // The core says by name what the assessment start needs.
            StepKind::AssessmentStart => Some(assessors.unwrap_or_default()),
            _ => assessors,
        },
    };
    let base_revision = match args.revision {
        Some(r) => r,
        None => family(s, code)?.revision,
    };
    // What a step asks of the family itself (the first adult's year, what it
    // offers) is set with `family edit`: the refusal says so.
    let reply = match s.request(Request::FamilyStep { code, base_revision, step })? {
        Ok(reply) => reply,
        Err(e) => {
            let mut failure = super::session::Failure::from_bank_flags(&e, s.lang, false, Field::flag);
            let of_family = matches!(&e, crate::api::BankError::Invalid(p)
                if p.iter().any(|p| !p.field.to_string().starts_with("step.") && !p.field.to_string().starts_with("pathway.")));
            if let (true, super::session::Failure::User(text)) = (of_family, &mut failure) {
                text.push('\n');
                text.push_str(&W::CompleteWith.fill(s.lang, &[("code", &code)]));
            }
            return Err(failure);
        }
    };
    if s.json {
        return super::family::saved(s, reply);
    }
    super::family::saved(s, reply)?;
    print_next(s, &family(s, code)?, false)
}

/// "Ora: in valutazione · Prossimi passi: colloquio (colloquio), …".
fn print_next(s: &Session, view: &FamilyView, asking: bool) -> CliResult {
    let Some(pathway) = &view.pathway else {
        return Err(super::session::Failure::User(W::HiddenPathway.get(s.lang).into()));
    };
    if s.json && asking {
        return print_json(&pathway.next_steps);
    }
    let status = view.profile.status.label(s.lang);
    let next = if pathway.next_steps.is_empty() {
        W::PathwayEnded.get(s.lang).to_string()
    } else {
        present::care::step_choices(&pathway.next_steps, s.lang)
    };
    if asking {
        outln!("{} {status}. {} {next}", format!("{}:", W::NowStatus.get(s.lang)), W::WhichStep.get(s.lang));
    } else {
        outln!("{}: {status} · {}: {next}", W::NowStatus.get(s.lang), W::NextSteps.get(s.lang));
    }
    Ok(())
}

pub fn support(s: &Session, args: SupportArgs) -> CliResult {
    let code = family_code(&args.code, s.lang)?;
    let mut errs = FlagErrors::new(s.lang);
    let kind = match &args.kind {
        Some(v) => errs.term("kind", v, SupportKind::parse, SupportKind::choices(s.lang)),
        None => Some(SupportKind::Contact),
    };
    let date = match &args.date {
        Some(d) => errs.date("date", d),
        None => Some(today()),
    };
    let note = errs.text("note", args.note, true);
    let event = args.event.as_deref().and_then(|v| event_code(&mut errs, "event", v));
    errs.finish()?;
    let (Some(kind), Some(date)) = (kind, date) else { return Ok(()) };
    let base_revision = match args.revision {
        Some(r) => r,
        None => family(s, code)?.revision,
    };
    let entry = SupportEntry { kind, date, note, event, recorded_by: String::new() };
    super::family::saved(s, s.call(Request::FamilySupport { code, base_revision, entry })?)
}

pub fn due(s: &Session, args: DueArgs) -> CliResult {
    let mut errs = FlagErrors::for_read(s.lang);
    let service = args.service.as_deref().and_then(|v| errs.service("service", v));
    errs.finish()?;
    let days = if args.month { 31 } else { args.days };
    match s.call(Request::Due { service, days })? {
        Reply::Due(list) if s.json => print_json(&list),
        Reply::Due(list) => {
            super::print::print(&present::care::due(&list, s.lang));
            Ok(())
        }
        other => Err(unexpected(other)),
    }
}

pub fn recruitment(s: &Session, args: RecruitmentArgs) -> CliResult {
    let mut errs = FlagErrors::for_read(s.lang);
    let service = args.service.as_deref().and_then(|v| errs.service("service", v));
    let since = args.since.as_deref().and_then(|v| errs.date("since", v));
    errs.finish()?;
    match s.call(Request::Recruitment { service, since })? {
        Reply::Recruitment(f) if s.json => print_json(&f),
        Reply::Recruitment(f) => {
            super::print::print(&present::care::recruitment(&f, s.lang));
            Ok(())
        }
        other => Err(unexpected(other)),
    }
}
