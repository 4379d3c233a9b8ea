//! `banca propose`, `banca proposal show|review|accept|decline|withdraw`
//! and `banca proposals`: abbinamenti between services.

use std::collections::BTreeMap;

use clap::{Args, Subcommand};

use crate::api::{BankError, Direction, ProposalFilter, Reply, Request, Revised, Saved};
use crate::i18n::Lang;
use crate::model::*;
use crate::present::{self, lists, Doc};

use super::parse::{family_code, need_code, proposal_code, FlagErrors};
use super::session::{print_json, unexpected, CliResult, Failure, Session};
use crate::i18n::catalogue;
use crate::model::RecordKind;

catalogue!(
    /// What the proposal commands say.
    ProposalWords {
        Proposal => "Proposta", "Proposal";
        SiblingsProposedTogether => "Fratelli proposti insieme:", "Siblings proposed together:";
        NowMatching => "Ora in abbinamento:", "Now matching:";
        RequiredTheReasonStays => "obbligatorio: il motivo resta nella storia della proposta e l'altro servizio lo legge",
            "required: the reason stays in the proposal's history for the other service to read";
        NextForTheChild => "Prossimo passo, per il servizio del minore:", "Next, for the child's service:";
        DdMmYyyy => "GG/MM/AAAA", "DD/MM/YYYY";
        AlsoUpdated => "Aggiornate anche:", "Also updated:";
        WithdrawnNoPlace => "Ritirate perché la famiglia non ha più posti (i loro servizi lo sanno):",
            "Withdrawn as the family has no place left (their services are told):";
        YouBelongToNo => "non appartieni a un servizio: indicare quale con --service S-…",
            "you belong to no service: name one with --service S-…";
        NoProposals => "Nessuna proposta.", "No proposals.";
        InTheInbox => "È nella posta in entrata del servizio della famiglia: {service}.",
            "It is in the inbox of the family's service: {service}.";
        InTheServiceInbox => "È nella posta in entrata del servizio d'accoglienza: {service}.",
            "It is in the inbox of the reception service: {service}.";
        ChildService => "il servizio del minore", "the child's service";
        FamilyService => "il servizio della famiglia", "the family's service";
        ToReview => "prendere in esame", "review";
        ToAccept => "accettare", "accept";
        ToDecline => "rifiutare", "decline";
        ToWithdraw => "ritirare", "withdraw";
        ToMove => "far avanzare", "move";
        OnlySide => "{code}: solo {who}{named} può {verb} la proposta.", "{code}: only {who}{named} may {verb} the proposal.";
        TooManyAtOnce => "al più {max} famiglie in un comando (ne sono state indicate {given})",
            "at most {max} families in one command ({given} given)";
        SomeNotSent => "proposte inviate: {sent} su {asked}; non inviate: {families}",
            "{sent} of {asked} proposals sent; not sent: {families}";
    }
);

#[derive(Args, Debug)]
pub struct ProposeArgs {
    /// Richiesta del minore, es. R-2026-0012 (i fratelli da collocare insieme seguono)
    #[arg(value_name = "RICHIESTA")]
    need: String,
    /// Famiglia proposta, es. F-2026-0031; più famiglie (pronto intervento): una proposta ciascuna,
    /// inviate una per una, e una famiglia rifiutata non ferma le altre
    #[arg(value_name = "FAMIGLIA", required_unless_present = "service", conflicts_with = "service", num_args = 1..)]
    families: Vec<String>,
    /// Invece di una famiglia: il servizio d'accoglienza proposto, es. S-041 (comunità, pronto intervento…)
    #[arg(long, value_name = "SERVIZIO")]
    service: Option<String>,
    /// Nota per il servizio della famiglia (o del servizio d'accoglienza)
    #[arg(long, value_name = "TESTO")]
    note: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum ProposalCommand {
    /// Mostra una proposta con tutti i suoi passaggi
    Show {
        #[arg(value_name = "PROPOSTA")]
        code: String,
    },
    /// Il servizio della famiglia prende in esame la proposta (in valutazione)
    Review(StepArgs),
    /// Il servizio della famiglia accetta: i posti della famiglia sono impegnati
    Accept(StepArgs),
    /// Il servizio della famiglia rifiuta, con il motivo (--reason)
    Decline(ReasonArgs),
    /// Il servizio del minore ritira la proposta, con il motivo (--reason)
    Withdraw(ReasonArgs),
}

#[derive(Args, Debug)]
pub struct StepArgs {
    /// Codice della proposta, es. P-2026-0001
    #[arg(value_name = "PROPOSTA")]
    code: String,
    /// Nota per l'altro servizio
    #[arg(long, value_name = "TESTO")]
    note: Option<String>,
    /// Revisione letta (da `proposal show`): se nel frattempo è cambiata, il passaggio è rifiutato
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = crate::cli::parse::whole::<u64>)]
    revision: Option<u64>,
}

#[derive(Args, Debug)]
pub struct ReasonArgs {
    /// Codice della proposta, es. P-2026-0001
    #[arg(value_name = "PROPOSTA")]
    code: String,
    /// Motivo (obbligatorio): l'altro servizio lo legge nella storia della proposta
    #[arg(long, visible_alias = "note", value_name = "MOTIVO")]
    reason: Option<String>,
    /// Revisione letta (da `proposal show`): se nel frattempo è cambiata, il passaggio è rifiutato
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = crate::cli::parse::whole::<u64>)]
    revision: Option<u64>,
}

#[derive(Args, Debug)]
pub struct ProposalListArgs {
    /// Posta in entrata: proposte arrivate per le famiglie del servizio
    #[arg(long, conflicts_with = "outbox")]
    inbox: bool,
    /// Posta in uscita: proposte inviate per i minori del servizio
    #[arg(long)]
    outbox: bool,
    /// Servizio, es. S-001 (per un operatore: il proprio)
    #[arg(long, value_name = "SERVIZIO")]
    service: Option<String>,
    /// proposta, in_valutazione, accettata, avviata, rifiutata, ritirata
    #[arg(long, value_name = "STATO")]
    status: Option<String>,
    /// Solo le proposte in corso (proposta, in valutazione, accettata)
    #[arg(long)]
    active: bool,
    /// Solo le proposte per questa richiesta
    #[arg(long, value_name = "RICHIESTA")]
    need: Option<String>,
    /// Solo le proposte per questa famiglia
    #[arg(long, value_name = "FAMIGLIA")]
    family: Option<String>,
    /// Quante mostrare (le più recenti)
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = crate::cli::parse::at_least_one)]
    limit: Option<usize>,
}

/// How many families one `banca propose` may name (an emergency's round of calls).
const MAX_PROPOSED_AT_ONCE: usize = 20;

/// `banca propose R-… F-… [F-…]`: one proposal per family, each its own
/// request (and transaction): each family's service answers on its own,
/// and a family that cannot be proposed (not a candidate, already
/// proposed) must not keep the others from being asked. Every code is read
/// before anything is sent, so a typo sends nothing.
pub fn propose(s: &Session, args: ProposeArgs) -> CliResult {
    let need = need_code(&args.need, s.lang)?;
    if let Some(service) = &args.service {
        let service = super::parse::service_code(service, s.lang)?;
        let note = args.note.map(|n| n.trim().to_string()).unwrap_or_default();
        let saved = match s.call(Request::ProposeService { need, service, note })? {
            Reply::Saved(saved) => saved,
            other => return Err(unexpected(other)),
        };
        if s.json {
            return print_json(&saved);
        }
        let code = proposal_code(&saved.code, s.lang)?;
        let proposal = get(s, code)?.record;
        let name = service_name(s, service);
        outln!("{} {}: {} → {}", ProposalWords::Proposal.get(s.lang), proposal.code, need, service);
        outln!("{}", ProposalWords::InTheServiceInbox.fill(s.lang, &[("service", &name)]));
        if !saved.also_changed.is_empty() {
            outln!("{} {}", ProposalWords::NowMatching.get(s.lang), saved.also_changed.join(", "));
        }
        return Ok(());
    }
    if args.families.len() > MAX_PROPOSED_AT_ONCE {
        let (max, given) = (MAX_PROPOSED_AT_ONCE, args.families.len());
        return Err(Failure::User(ProposalWords::TooManyAtOnce.fill(s.lang, &[("max", &max), ("given", &given)])));
    }
    let mut families: Vec<FamilyCode> = Vec::with_capacity(args.families.len());
    for f in &args.families {
        let code = family_code(f, s.lang)?;
        if !families.contains(&code) {
            families.push(code);
        }
    }
    let note = args.note.map(|n| n.trim().to_string()).unwrap_or_default();
    if let [family] = families[..] {
        let saved = match s.call(Request::ProposalCreate { need, family, note })? {
            Reply::Saved(saved) => saved,
            other => return Err(unexpected(other)),
        };
        return if s.json { print_json(&saved) } else { proposed(s, need, family, &saved) };
    }
    // Each family's outcome, in the order asked: what `--json` prints.
    let mut outcomes = Vec::with_capacity(families.len());
    let mut sent = 0;
    let mut refused = Vec::new();
    for family in &families {
        let said = match s.request(Request::ProposalCreate { need, family: *family, note: note.clone() }) {
            Ok(Ok(Reply::Saved(saved))) => {
                sent += 1;
                if !s.json {
                    // The proposal is made: a card that cannot be read back does not stop the others.
                    if let Err(e) = proposed(s, need, *family, &saved) {
                        errln!("{family}: {}", e.message());
                    }
                }
                outcomes.push(serde_json::json!({ "family": family.to_string(), "saved": saved }));
                continue;
            }
            Ok(Ok(other)) => unexpected(other).message().to_string(),
            Ok(Err(e)) => Failure::from_bank(&e, s.lang).message().to_string(),
            // The server is not answering: whether this one was saved is said by the message.
            Err(e) => e.message().to_string(),
        };
        errln!("{family}: {said}");
        outcomes.push(serde_json::json!({ "family": family.to_string(), "refused": said }));
        refused.push(family.to_string());
    }
    if s.json {
        print_json(&outcomes)?;
    }
    if refused.is_empty() {
        return Ok(());
    }
    let (asked, refused) = (families.len(), refused.join(", "));
    let summary =
        ProposalWords::SomeNotSent.fill(s.lang, &[("sent", &sent), ("asked", &asked), ("families", &refused)]);
    Err(Failure::User(summary))
}

/// What a proposal just made says: where it went, who comes with the child.
fn proposed(s: &Session, need: NeedCode, family: FamilyCode, saved: &Saved) -> CliResult {
    let code = proposal_code(&saved.code, s.lang)?;
    let proposal = get(s, code)?.record;
    let service = service_name(s, proposal.family_service);
    outln!("{} {}: {} → {}", ProposalWords::Proposal.get(s.lang), proposal.code, need, family);
    outln!("{}", ProposalWords::InTheInbox.fill(s.lang, &[("service", &service)]));
    if proposal.needs.len() > 1 {
        let codes: Vec<String> = proposal.needs.iter().map(|c| c.to_string()).collect();
        outln!("{} {}", ProposalWords::SiblingsProposedTogether.get(s.lang), codes.join(", "));
    }
    if !saved.also_changed.is_empty() {
        let now = ProposalWords::NowMatching.get(s.lang);
        outln!("{now} {}", saved.also_changed.join(", "));
    }
    Ok(())
}

pub fn run(s: &Session, command: ProposalCommand) -> CliResult {
    let (code, revision, to, note) = match command {
        ProposalCommand::Show { code } => return show(s, &code),
        ProposalCommand::Review(a) => (a.code, a.revision, ProposalStatus::UnderReview, a.note),
        ProposalCommand::Accept(a) => (a.code, a.revision, ProposalStatus::Accepted, a.note),
        ProposalCommand::Decline(a) => (a.code, a.revision, ProposalStatus::Declined, reason(s, a.reason)?),
        ProposalCommand::Withdraw(a) => (a.code, a.revision, ProposalStatus::Withdrawn, reason(s, a.reason)?),
    };
    step(s, &code, revision, to, note.map(|n| n.trim().to_string()).unwrap_or_default())
}

/// Declining and withdrawing need a reason: the other service reads it.
fn reason(s: &Session, reason: Option<String>) -> CliResult<Option<String>> {
    let text = reason.map(|r| r.trim().to_string()).unwrap_or_default();
    if text.is_empty() {
        let mut errs = FlagErrors::new(s.lang);
        errs.push("reason", ProposalWords::RequiredTheReasonStays.get(s.lang));
        errs.finish()?;
    }
    Ok(Some(text))
}

/// Reads the proposal for its current revision, then sends the step.
fn step(s: &Session, code: &str, revision: Option<u64>, to: ProposalStatus, note: String) -> CliResult {
    let code = proposal_code(code, s.lang)?;
    let base_revision = match revision {
        Some(r) => r,
        None => get(s, code)?.revision,
    };
    let saved = match s.request(Request::ProposalStep { code, base_revision, to, note })? {
        Ok(Reply::Saved(saved)) => saved,
        Ok(other) => return Err(unexpected(other)),
        Err(BankError::Forbidden { .. }) => return Err(not_your_side(s, code, to)),
        Err(e) => return Err(Failure::from_bank(&e, s.lang)),
    };
    if s.json {
        return print_json(&saved);
    }
    outln!("{}: {} (rev. {})", saved.code, to.label(s.lang), saved.revision);
    also_changed(s, &saved);
    if to == ProposalStatus::Accepted {
        outln!(
            "{} `banca placement start {code} --start {}`",
            ProposalWords::NextForTheChild.get(s.lang),
            ProposalWords::DdMmYyyy.get(s.lang)
        );
    }
    Ok(())
}

/// Who may take a step, when the caller may not: "only the family's service (S-002 …) accepts".
fn not_your_side(s: &Session, code: ProposalCode, to: ProposalStatus) -> Failure {
    let service = get(s, code).ok().map(|p| match to.taken_by() {
        ProposalSide::NeedService => p.record.need_service,
        ProposalSide::FamilyService => p.record.family_service,
    });
    let named = service.map(|c| format!(" ({})", service_name(s, c))).unwrap_or_default();
    let who = match to.taken_by() {
        ProposalSide::NeedService => ProposalWords::ChildService,
        ProposalSide::FamilyService => ProposalWords::FamilyService,
    };
    let verb = match to {
        ProposalStatus::UnderReview => ProposalWords::ToReview,
        ProposalStatus::Accepted => ProposalWords::ToAccept,
        ProposalStatus::Declined => ProposalWords::ToDecline,
        ProposalStatus::Withdrawn => ProposalWords::ToWithdraw,
        _ => ProposalWords::ToMove,
    };
    let (who, verb) = (who.get(s.lang), verb.get(s.lang));
    Failure::User(
        ProposalWords::OnlySide.fill(s.lang, &[("code", &code), ("who", &who), ("named", &named), ("verb", &verb)]),
    )
}

/// Needs whose status moved with the proposal; and the other proposals
/// for the family withdrawn because its places are now taken (the race
/// for the last place), said in words: their services are told too.
fn also_changed(s: &Session, saved: &Saved) {
    if saved.also_changed.is_empty() {
        return;
    }
    outln!("{} {}", ProposalWords::AlsoUpdated.get(s.lang), saved.also_changed.join(", "));
    let withdrawn: Vec<String> = saved
        .also_changed
        .iter()
        .filter_map(|c| ProposalCode::parse(c))
        .filter_map(|code| get(s, code).ok())
        .filter(|p| p.record.last_step().is_some_and(|st| matches!(st.cause, Some(StepCause::NoPlaceLeft { .. }))))
        .map(|p| p.record.code.to_string())
        .collect();
    if !withdrawn.is_empty() {
        outln!("{} {}", ProposalWords::WithdrawnNoPlace.get(s.lang), withdrawn.join(", "));
    }
}

pub(super) fn get(s: &Session, code: ProposalCode) -> CliResult<Revised<Proposal>> {
    match s.call(Request::ProposalGet { code })? {
        Reply::Proposal(p) => Ok(p),
        other => Err(unexpected(other)),
    }
}

/// Code and name of every service, to name them in full.
pub(crate) fn service_names(s: &Session) -> BTreeMap<ServiceCode, String> {
    // The province's services: few, every page kept.
    let mut names = BTreeMap::new();
    let _ = s.pages(Request::ServiceList { after: None, limit: None }, |reply| {
        let Reply::Services(list) = reply else { return Ok(false) };
        names.extend(list.into_iter().map(|r| (r.record.code, r.record.details.name)));
        Ok(true)
    });
    names
}

fn service_name(s: &Session, code: ServiceCode) -> String {
    match s.call(Request::ServiceGet { code }) {
        Ok(Reply::Service(r)) => format!("{code} {}", r.record.details.name),
        _ => code.to_string(),
    }
}

pub(super) fn show(s: &Session, code: &str) -> CliResult {
    let code = proposal_code(code, s.lang)?;
    let p = match s.call(Request::ProposalView { code })? {
        Reply::ProposalView(p) => p,
        other => return Err(unexpected(other)),
    };
    if s.json {
        return print_json(&p);
    }
    super::print::print(&present::proposal_card(&p, &service_names(s), s.lang));
    Ok(())
}

pub fn list(s: &Session, args: ProposalListArgs) -> CliResult {
    let mut errs = FlagErrors::for_read(s.lang);
    let direction = match (args.inbox, args.outbox) {
        (true, _) => Some(Direction::Inbox),
        (_, true) => Some(Direction::Outbox),
        _ => None,
    };
    let filter = ProposalFilter {
        service: args.service.and_then(|v| errs.service("service", &v)),
        direction,
        status: args
            .status
            .and_then(|v| errs.term("status", &v, ProposalStatus::parse, ProposalStatus::choices(s.lang))),
        active: args.active.then_some(true),
        need: args.need.and_then(|v| errs.need_code("need", &v)),
        family: args.family.and_then(|v| errs.family_code("family", &v)),
        limit: args.limit,
        after: None,
    };
    errs.finish()?;
    if filter.direction.is_some() && filter.service.is_none() {
        // In and out are a service's: without one of their own, name it.
        if let Reply::Whoami(me) = s.call(Request::Whoami)? {
            if me.service.is_none() {
                let flag = if args.inbox { "--inbox" } else { "--outbox" };
                return Err(Failure::User(format!("{flag}: {}", ProposalWords::YouBelongToNo.get(s.lang))));
            }
        }
    }
    let items = |reply| match reply {
        Reply::Proposals(page) => Ok(page),
        other => Err(unexpected(other)),
    };
    let Some(rows) =
        s.stream_list(Request::ProposalList { filter }, &lists::proposal_header(s.lang), args.limit, items, |r| {
            lists::proposal_row(r, s.lang)
        })?
    else {
        return Ok(());
    };
    if rows == 0 {
        outln!("{}", ProposalWords::NoProposals.get(s.lang));
    } else {
        let word = if rows == 1 { RecordKind::Proposal.name(s.lang) } else { RecordKind::Proposal.plural(s.lang) };
        outln!("{rows} {word}");
    }
    Ok(())
}

/// One row a proposal: where it stands, between whom, since when.
pub fn proposal_table(proposals: &[Revised<Proposal>], lang: Lang) -> Doc {
    lists::table(&lists::proposal_header(lang), proposals.iter().map(|r| lists::proposal_row(r, lang)).collect())
}
