//! `banca placement start|plan|review|close|show|list`: affidi, from an
//! accepted proposal to their outcome.

use clap::{Args, Subcommand};

use crate::api::{NeedFilter, PlacementFilter, Reply, Request, Revised};
use crate::i18n::Lang;
use crate::model::*;
use crate::present::{self, lists, Doc};

use super::parse::{placement_code, proposal_code, FlagErrors};
use super::proposal::service_names;
use super::session::{print_json, unexpected, CliResult, Session};
use crate::i18n::catalogue;
use crate::model::RecordKind;

catalogue!(
    /// What the placement commands say.
    PlacementWords {
        RequiredThePlacementS => "obbligatorio: la data di inizio dell'affido", "required: the placement's start date";
        Placement => "Affido", "Placement";
        Started => "avviato", "started";
        ProposalStarted => "Proposta avviata:", "Proposal started:";
        NeedsClosedPlacementStarted => "Richieste chiuse (affido avviato):", "Needs closed (placement started):";
        OtherProposalsWithdrawn => "Altre proposte ritirate:", "Other proposals withdrawn:";
        RequiredTheDateOf => "obbligatorio: la data della verifica", "required: the date of the review";
        RequiredNewEnd => "obbligatorio: la nuova fine prevista", "required: the new expected end";
        RequiredDecider => "obbligatorio: chi ha deciso (tribunale, servizio)", "required: who decided (court, service)";
        RequiredDue => "obbligatorio: la scadenza della relazione", "required: the report's due date";
        RequiredTheClosingDate => "obbligatorio: la data di chiusura", "required: the closing date";
        RequiredPossibleValues => "obbligatorio; valori possibili", "required; possible values";
        NothingChanged => "nessuna modifica", "nothing changed";
        Saved => "Salvato:", "Saved:";
        NoPlacements => "Nessun affido.", "No placements.";
        Reviews => "verifiche", "reviews";
        Closing => "chiusura", "closing";
        Plan => "progetto", "plan";
    }
);

#[derive(Subcommand, Debug)]
pub enum PlacementCommand {
    /// Avvia l'affido di una proposta accettata (servizio del minore)
    Start {
        /// Proposta accettata, es. P-2026-0001
        #[arg(value_name = "PROPOSTA")]
        proposal: String,
        #[command(flatten)]
        plan: PlanFields,
    },
    /// Modifica il progetto di affido: solo i campi indicati cambiano
    Plan {
        /// Codice dell'affido, es. A-2026-0001
        #[arg(value_name = "AFFIDO")]
        code: String,
        /// Revisione letta (da `placement show`): se nel frattempo è cambiata, la modifica è rifiutata
        #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = crate::cli::parse::whole::<u64>)]
        revision: Option<u64>,
        #[command(flatten)]
        plan: PlanFields,
    },
    /// Registra una verifica formale (soddisfa la prossima verifica prevista) o, con --contact, una nota di contatto
    Review {
        /// Codice dell'affido, es. A-2026-0001
        #[arg(value_name = "AFFIDO")]
        code: String,
        /// Una nota di contatto (telefonata, incontro): non conta come verifica prevista
        #[arg(long)]
        contact: bool,
        /// Data della verifica (gg/mm/aaaa, o "oggi")
        #[arg(long, value_name = "DATA")]
        date: Option<String>,
        /// Com'è andata (obbligatoria)
        #[arg(long, value_name = "TESTO")]
        note: Option<String>,
        /// Revisione letta (da `placement show`)
        #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = crate::cli::parse::whole::<u64>)]
        revision: Option<u64>,
    },
    /// Registra una proroga oltre la fine prevista, con la sua decisione (servizio del minore)
    Extend {
        /// Codice dell'affido, es. A-2026-0001
        #[arg(value_name = "AFFIDO")]
        code: String,
        /// Nuova fine prevista (gg/mm/aaaa)
        #[arg(long, value_name = "DATA")]
        until: Option<String>,
        /// Chi ha deciso: tribunale, servizio
        #[arg(long = "decided-by", value_name = "CHI")]
        decided_by: Option<String>,
        /// Data della decisione (gg/mm/aaaa, o "oggi")
        #[arg(long = "decided-on", value_name = "DATA")]
        decided_on: Option<String>,
        /// Nota (es. estremi del decreto)
        #[arg(long, value_name = "TESTO")]
        note: Option<String>,
        /// Revisione letta (da `placement show`)
        #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = crate::cli::parse::whole::<u64>)]
        revision: Option<u64>,
    },
    /// Relazione al Tribunale per i minorenni: da inviare entro --due, o inviata (--sent)
    CourtReport {
        /// Codice dell'affido, es. A-2026-0001
        #[arg(value_name = "AFFIDO")]
        code: String,
        /// Scadenza della relazione (gg/mm/aaaa)
        #[arg(long, value_name = "DATA")]
        due: Option<String>,
        /// Inviata il (gg/mm/aaaa, o "oggi"): segna inviata la relazione con quella scadenza
        #[arg(long, value_name = "DATA")]
        sent: Option<String>,
        /// Nota
        #[arg(long, value_name = "TESTO")]
        note: Option<String>,
        /// Revisione letta (da `placement show`)
        #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = crate::cli::parse::whole::<u64>)]
        revision: Option<u64>,
    },
    /// Chiude l'affido con il suo esito
    Close {
        /// Codice dell'affido, es. A-2026-0001
        #[arg(value_name = "AFFIDO")]
        code: String,
        /// Data di chiusura (gg/mm/aaaa, o "oggi")
        #[arg(long, value_name = "DATA")]
        date: Option<String>,
        /// Esito: rientro_famiglia_origine, adozione, altra_famiglia, comunita, autonomia, interruzione_anticipata, altro
        #[arg(long, value_name = "ESITO")]
        outcome: Option<String>,
        /// Nota di chiusura (facoltativa)
        #[arg(long, value_name = "TESTO")]
        note: Option<String>,
        /// Revisione letta (da `placement show`)
        #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = crate::cli::parse::whole::<u64>)]
        revision: Option<u64>,
    },
    /// Mostra un affido: progetto, verifiche, esito
    Show {
        #[arg(value_name = "AFFIDO")]
        code: String,
    },
    /// Elenca gli affidi
    List(PlacementListArgs),
}

#[derive(Args, Debug, Default, Clone)]
pub struct PlanFields {
    /// Inizio dell'affido (gg/mm/aaaa, o "oggi"; obbligatorio all'avvio)
    #[arg(long, value_name = "DATA")]
    start: Option<String>,
    /// Fine prevista (gg/mm/aaaa; "" per nessuna)
    #[arg(long, value_name = "DATA")]
    expected_end: Option<String>,
    /// Durata prevista dal progetto, in mesi ("" per nessuna; all'avvio: quella della richiesta)
    #[arg(long, value_name = "MESI", allow_negative_numbers = true)]
    duration_months: Option<String>,
    /// Incontri con la famiglia d'origine: nessuno, settimanale, quindicinale, mensile, occasionale, da_definire (all'avvio: quelli della richiesta)
    #[arg(long, value_name = "FREQUENZA")]
    contact: Option<String>,
    /// Incontri facilitati / spazio neutro (da solo vale sì; oppure sì/no)
    #[arg(long, value_name = "SÌ/NO", num_args = 0..=1, default_missing_value = "sì")]
    supervised: Option<String>,
    /// Note sugli incontri: dove, con chi, chi accompagna
    #[arg(long, value_name = "TESTO")]
    contact_notes: Option<String>,
    /// Verifica prevista (gg/mm/aaaa); ripetibile; in modifica sostituisce tutte ("" per nessuna)
    #[arg(long = "review-on", value_name = "DATA")]
    review_on: Vec<String>,
    /// Impegni della famiglia, dei servizi e della famiglia d'origine
    #[arg(long, value_name = "TESTO")]
    commitments: Option<String>,
    /// Affido intrafamiliare (con parenti) o eterofamiliare (obbligatorio all'avvio)
    #[arg(long, value_name = "intrafamiliare|eterofamiliare")]
    relationship: Option<String>,
}

#[derive(Args, Debug)]
pub struct PlacementListArgs {
    /// Affidi in cui il servizio è quello del minore o della famiglia
    #[arg(long, value_name = "SERVIZIO")]
    service: Option<String>,
    /// Solo gli affidi di questa richiesta
    #[arg(long, value_name = "RICHIESTA")]
    need: Option<String>,
    /// Solo gli affidi di questa famiglia
    #[arg(long, value_name = "FAMIGLIA")]
    family: Option<String>,
    /// Solo gli affidi in corso
    #[arg(long, conflicts_with = "closed")]
    active: bool,
    /// Solo gli affidi chiusi
    #[arg(long)]
    closed: bool,
    /// Quanti mostrare (i più recenti)
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = crate::cli::parse::at_least_one)]
    limit: Option<usize>,
}

pub fn run(s: &Session, command: PlacementCommand) -> CliResult {
    match command {
        PlacementCommand::Start { proposal, plan } => start(s, &proposal, plan),
        PlacementCommand::Plan { code, revision, plan } => replan(s, &code, revision, plan),
        PlacementCommand::Review { code, contact, date, note, revision } => {
            let kind = if contact { ReviewKind::Contact } else { ReviewKind::Formal };
            review(s, &code, kind, date, note, revision)
        }
        PlacementCommand::Extend { code, until, decided_by, decided_on, note, revision } => {
            extend(s, &code, until, decided_by, decided_on, note, revision)
        }
        PlacementCommand::CourtReport { code, due, sent, note, revision } => {
            court_report(s, &code, due, sent, note, revision)
        }
        PlacementCommand::Close { code, date, outcome, note, revision } => {
            close(s, &code, date, outcome, note, revision)
        }
        PlacementCommand::Show { code } => show(s, &code),
        PlacementCommand::List(args) => list(s, args),
    }
}

impl PlanFields {
    /// Writes every given flag into `plan`; problems go to `errs`.
    fn apply(self, plan: &mut FosterPlan, errs: &mut FlagErrors) {
        let lang = errs.lang();
        if let Some(v) = self.start {
            if let Some(d) = errs.date("start", &v) {
                plan.start = d;
            }
        }
        if let Some(v) = self.expected_end {
            if let Some(d) = errs.opt_date("expected-end", &v) {
                plan.expected_end = d;
            }
        }
        if let Some(v) = self.duration_months {
            if v.trim().is_empty() {
                plan.duration_months = None;
            } else if let Some(n) = errs.number("duration-months", &v) {
                plan.duration_months = Some(n);
            }
        }
        if let Some(v) = self.contact {
            if let Some(x) = errs.term("contact", &v, ContactFrequency::parse, ContactFrequency::choices(lang)) {
                plan.contact.frequency = x;
            }
        }
        if let Some(v) = self.supervised {
            if let Some(b) = errs.yes_no("supervised", &v) {
                plan.contact.supervised = b;
            }
        }
        if let Some(v) = self.contact_notes {
            plan.contact_notes = v.trim().to_string();
        }
        if !self.review_on.is_empty() {
            let mut dates: Vec<time::Date> = self
                .review_on
                .iter()
                .filter(|v| !v.trim().is_empty())
                .filter_map(|v| errs.date("review-on", v))
                .collect();
            dates.sort();
            dates.dedup();
            plan.review_dates = dates;
        }
        if let Some(v) = self.commitments {
            plan.commitments = v.trim().to_string();
        }
        if let Some(v) = self.relationship {
            if let Some(r) = errs.term("relationship", &v, Relationship::parse, Relationship::choices(lang)) {
                plan.relationship = Some(r);
            }
        }
    }
}

fn start(s: &Session, proposal: &str, fields: PlanFields) -> CliResult {
    let code = proposal_code(proposal, s.lang)?;
    let mut errs = FlagErrors::new(s.lang);
    if fields.start.is_none() {
        errs.push("start", PlacementWords::RequiredThePlacementS.get(s.lang));
    }
    // Kinship or non-kin: required with a family, not for a community (the core says which).
    let mut plan = FosterPlan {
        start: super::parse::today(),
        expected_end: None,
        duration_months: None,
        contact: OriginContact { frequency: ContactFrequency::ToBeDefined, supervised: false },
        contact_notes: String::new(),
        review_dates: vec![],
        commitments: String::new(),
        relationship: None,
    };
    // The flags are checked before anything is read.
    fields.clone().apply(&mut plan.clone(), &mut errs);
    errs.finish()?;
    let proposal = super::proposal::get(s, code)?;
    // The plan starts from what the need asked for: contact and duration.
    if let Some(need) = shared_need(s, &proposal.record) {
        plan.contact = need.placement.contact;
        plan.duration_months = need.placement.duration_months;
    }
    fields.apply(&mut plan, &mut FlagErrors::new(s.lang));
    let saved = match s.call(Request::PlacementStart { proposal: code, base_revision: proposal.revision, plan })? {
        Reply::Saved(saved) => saved,
        other => return Err(unexpected(other)),
    };
    if s.json {
        return print_json(&saved);
    }
    let p = &proposal.record;
    outln!(
        "{} {} {}: {} → {}",
        PlacementWords::Placement.get(s.lang),
        saved.code,
        PlacementWords::Started.get(s.lang),
        p.needs.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", "),
        p.host_code()
    );
    let needs: Vec<&String> =
        saved.also_changed.iter().filter(|c| RecordKind::of_code(c) == Some(RecordKind::Need)).collect();
    let others: Vec<&String> =
        saved.also_changed.iter().filter(|c| c.starts_with('P') && **c != code.to_string()).collect();
    outln!("{} {}", PlacementWords::ProposalStarted.get(s.lang), code);
    if !needs.is_empty() {
        let list: Vec<&str> = needs.iter().map(|c| c.as_str()).collect();
        outln!("{} {}", PlacementWords::NeedsClosedPlacementStarted.get(s.lang), list.join(", "));
    }
    if !others.is_empty() {
        let list: Vec<&str> = others.iter().map(|c| c.as_str()).collect();
        outln!("{} {}", PlacementWords::OtherProposalsWithdrawn.get(s.lang), list.join(", "));
    }
    Ok(())
}

/// The shared view of the proposal's first need, found in its service's
/// list so that no read of the child's identity is recorded for it.
fn shared_need(s: &Session, p: &Proposal) -> Option<crate::api::NeedView> {
    let first = *p.needs.first()?;
    let filter = NeedFilter { service: Some(p.need_service), ..NeedFilter::default() };
    let mut found = None;
    let _ = s.pages(Request::NeedList { filter }, |reply| {
        let Reply::Needs(needs) = reply else { return Ok(false) };
        found = needs.into_iter().find(|n| n.code == first);
        Ok(found.is_none())
    });
    found
}

fn get(s: &Session, code: PlacementCode) -> CliResult<Revised<Placement>> {
    match s.call(Request::PlacementGet { code })? {
        Reply::Placement(p) => Ok(p),
        other => Err(unexpected(other)),
    }
}

fn replan(s: &Session, code: &str, revision: Option<u64>, fields: PlanFields) -> CliResult {
    let code = placement_code(code, s.lang)?;
    let current = get(s, code)?;
    let mut plan = current.record.plan.clone();
    let mut errs = FlagErrors::new(s.lang);
    fields.apply(&mut plan, &mut errs);
    errs.finish()?;
    let base_revision = revision.unwrap_or(current.revision);
    changed(s, s.call(Request::PlacementPlan { code, base_revision, plan })?)
}

fn review(
    s: &Session,
    code: &str,
    kind: ReviewKind,
    date: Option<String>,
    note: Option<String>,
    revision: Option<u64>,
) -> CliResult {
    let code = placement_code(code, s.lang)?;
    let mut errs = FlagErrors::new(s.lang);
    let date = match date {
        Some(d) => errs.date("date", &d),
        None => {
            errs.push("date", PlacementWords::RequiredTheDateOf.get(s.lang));
            None
        }
    };
    let note = errs.text("note", note, true);
    errs.finish()?;
    let Some(date) = date else { return Ok(()) };
    let base_revision = match revision {
        Some(r) => r,
        None => get(s, code)?.revision,
    };
    changed(s, s.call(Request::PlacementReview { code, base_revision, date, note, kind })?)
}

fn extend(
    s: &Session,
    code: &str,
    until: Option<String>,
    decided_by: Option<String>,
    decided_on: Option<String>,
    note: Option<String>,
    revision: Option<u64>,
) -> CliResult {
    let code = placement_code(code, s.lang)?;
    let mut errs = FlagErrors::new(s.lang);
    let until = match until {
        Some(d) => errs.date("until", &d),
        None => {
            errs.push("until", PlacementWords::RequiredNewEnd.get(s.lang));
            None
        }
    };
    let decided_by = match decided_by {
        Some(v) => errs.term("decided-by", &v, Decider::parse, Decider::choices(s.lang)),
        None => {
            errs.push("decided-by", PlacementWords::RequiredDecider.get(s.lang));
            None
        }
    };
    let today = super::parse::today();
    let decided_on = match decided_on {
        Some(d) => errs.date("decided-on", &d),
        None => Some(today),
    };
    let note = errs.text("note", note, false);
    errs.finish()?;
    let (Some(until), Some(decided_by), Some(decided_on)) = (until, decided_by, decided_on) else { return Ok(()) };
    let base_revision = match revision {
        Some(r) => r,
        None => get(s, code)?.revision,
    };
    changed(s, s.call(Request::PlacementExtend { code, base_revision, decided_on, until, decided_by, note })?)
}

fn court_report(
    s: &Session,
    code: &str,
    due: Option<String>,
    sent: Option<String>,
    note: Option<String>,
    revision: Option<u64>,
) -> CliResult {
    let code = placement_code(code, s.lang)?;
    let mut errs = FlagErrors::new(s.lang);
    let due_on = match due {
        Some(d) => errs.date("due", &d),
        None => {
            errs.push("due", PlacementWords::RequiredDue.get(s.lang));
            None
        }
    };
    let sent_on = match sent {
        Some(d) => errs.date("sent", &d).map(Some),
        None => Some(None),
    };
    let note = errs.text("note", note, false);
    errs.finish()?;
    let (Some(due_on), Some(sent_on)) = (due_on, sent_on) else { return Ok(()) };
    let base_revision = match revision {
        Some(r) => r,
        None => get(s, code)?.revision,
    };
    changed(s, s.call(Request::PlacementCourtReport { code, base_revision, due_on, sent_on, note })?)
}

fn close(
    s: &Session,
    code: &str,
    date: Option<String>,
    outcome: Option<String>,
    note: Option<String>,
    revision: Option<u64>,
) -> CliResult {
    let code = placement_code(code, s.lang)?;
    let mut errs = FlagErrors::new(s.lang);
    let date = match date {
        Some(d) => errs.date("date", &d),
        None => {
            errs.push("date", PlacementWords::RequiredTheClosingDate.get(s.lang));
            None
        }
    };
    let choices = PlacementOutcome::choices(s.lang);
    let outcome = match outcome {
        Some(o) => errs.term("outcome", &o, PlacementOutcome::parse, choices),
        None => {
            errs.push("outcome", format!("{}: {choices}", PlacementWords::RequiredPossibleValues.get(s.lang)));
            None
        }
    };
    let note = errs.text("note", note, false);
    errs.finish()?;
    let (Some(date), Some(outcome)) = (date, outcome) else { return Ok(()) };
    let base_revision = match revision {
        Some(r) => r,
        None => get(s, code)?.revision,
    };
    changed(s, s.call(Request::PlacementClose { code, base_revision, date, outcome, note })?)
}

/// "Salvato: A-2026-0001 (rev. 3): verifiche".
fn changed(s: &Session, reply: Reply) -> CliResult {
    let Reply::Saved(saved) = reply else {
        return Err(unexpected(reply));
    };
    if s.json {
        return print_json(&saved);
    }
    if saved.changed.is_empty() {
        outln!("{}: {} (rev. {})", saved.code, PlacementWords::NothingChanged.get(s.lang), saved.revision);
    } else {
        let fields: Vec<String> = saved.changed.iter().map(|f| placement_field(f, s.lang)).collect();
        outln!("{} {} (rev. {}): {}", PlacementWords::Saved.get(s.lang), saved.code, saved.revision, fields.join(", "));
    }
    Ok(())
}

/// Names of the parts of a placement a change can touch.
fn placement_field(field: &str, lang: Lang) -> String {
    let plain = crate::i18n::strip_indices(field);
    let words = match plain.as_str() {
        "reviews" => PlacementWords::Reviews,
        "closing" => PlacementWords::Closing,
        "plan" => PlacementWords::Plan,
        _ => return crate::i18n::field_label(field, lang),
    };
    words.get(lang).to_string()
}

pub(super) fn show(s: &Session, code: &str) -> CliResult {
    let code = placement_code(code, s.lang)?;
    let p = get(s, code)?;
    if s.json {
        return print_json(&p);
    }
    let today = super::parse::today();
    super::print::print(&present::placement(&p, &service_names(s), today, s.lang));
    Ok(())
}

fn list(s: &Session, args: PlacementListArgs) -> CliResult {
    let mut errs = FlagErrors::new(s.lang);
    let filter = PlacementFilter {
        service: args.service.and_then(|v| errs.service("service", &v)),
        need: args.need.and_then(|v| errs.need_code("need", &v)),
        family: args.family.and_then(|v| errs.family_code("family", &v)),
        active: match (args.active, args.closed) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        },
        limit: args.limit,
        after: None,
    };
    errs.finish()?;
    let items = |reply| match reply {
        Reply::Placements(page) => Ok(page),
        other => Err(unexpected(other)),
    };
    let Some(rows) =
        s.stream_list(Request::PlacementList { filter }, &lists::placement_header(s.lang), args.limit, items, |r| {
            lists::placement_row(r, s.lang)
        })?
    else {
        return Ok(());
    };
    if rows == 0 {
        outln!("{}", PlacementWords::NoPlacements.get(s.lang));
    } else {
        let word = if rows == 1 { RecordKind::Placement.name(s.lang) } else { RecordKind::Placement.plural(s.lang) };
        outln!("{rows} {word}");
    }
    Ok(())
}

/// One row a placement: who, between which services, from when to when.
pub fn placement_table(placements: &[Revised<Placement>], lang: Lang) -> Doc {
    lists::table(&lists::placement_header(lang), placements.iter().map(|r| lists::placement_row(r, lang)).collect())
}
