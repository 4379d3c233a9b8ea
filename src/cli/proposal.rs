//! `banca propose`, `banca proposal show|review|accept|decline|withdraw`
//! and `banca proposals`: abbinamenti between services.

use crate::model::plain::neutralise as one_line;
use std::collections::BTreeMap;

use clap::{Args, Subcommand};

use crate::bank::{BankError, Contact, Direction, ProposalFilter, ProposalView, Reply, Request, Revised, Saved};
use crate::i18n::{format_timestamp, Lang};
use crate::model::*;

use super::parse::{family_code, need_code, proposal_code, FlagErrors};
use super::session::{print_json, unexpected, CliResult, Failure, Session};
use super::table::{wrap, Block, Table, WIDTH};

#[derive(Args, Debug)]
pub struct ProposeArgs {
    /// Richiesta del minore, es. R-2026-0012 (i fratelli da collocare insieme seguono)
    #[arg(value_name = "RICHIESTA")]
    need: String,
    /// Famiglia proposta, es. F-2026-0031
    #[arg(value_name = "FAMIGLIA")]
    family: String,
    /// Nota per il servizio della famiglia
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

pub fn propose(s: &Session, args: ProposeArgs) -> CliResult {
    let need = need_code(&args.need, s.lang)?;
    let family = family_code(&args.family, s.lang)?;
    let note = args.note.map(|n| n.trim().to_string()).unwrap_or_default();
    let saved = match s.call(Request::ProposalCreate { need, family, note })? {
        Reply::Saved(saved) => saved,
        other => return Err(unexpected(other)),
    };
    if s.json {
        return print_json(&saved);
    }
    let code = proposal_code(&saved.code, s.lang)?;
    let proposal = get(s, code)?.record;
    let service = service_name(s, proposal.family_service);
    let it = s.lang == Lang::It;
    outln!("{} {}: {} → {}", s.t("Proposta", "Proposal"), proposal.code, need, family);
    outln!(
        "{}",
        if it {
            format!("È nella posta in entrata del servizio della famiglia: {service}.")
        } else {
            format!("It is in the inbox of the family's service: {service}.")
        }
    );
    if proposal.needs.len() > 1 {
        let codes: Vec<String> = proposal.needs.iter().map(|c| c.to_string()).collect();
        outln!("{} {}", s.t("Fratelli proposti insieme:", "Siblings proposed together:"), codes.join(", "));
    }
    if !saved.also_changed.is_empty() {
        let now = s.t("Ora in abbinamento:", "Now matching:");
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
        errs.push(
            "reason",
            s.t(
                "obbligatorio: il motivo resta nella storia della proposta e l'altro servizio lo legge",
                "required: the reason stays in the proposal's history for the other service to read",
            ),
        );
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
            s.t("Prossimo passo, per il servizio del minore:", "Next, for the child's service:"),
            s.t("GG/MM/AAAA", "DD/MM/YYYY")
        );
    }
    Ok(())
}

/// Who may take a step, when the caller may not: "only the family's service (S-002 …) accepts".
fn not_your_side(s: &Session, code: ProposalCode, to: ProposalStatus) -> Failure {
    let it = s.lang == Lang::It;
    let service = get(s, code).ok().map(|p| match to.taken_by() {
        ProposalSide::NeedService => p.record.need_service,
        ProposalSide::FamilyService => p.record.family_service,
    });
    let named = service.map(|c| format!(" ({})", service_name(s, c))).unwrap_or_default();
    let who = match (to.taken_by(), it) {
        (ProposalSide::NeedService, true) => "il servizio del minore",
        (ProposalSide::FamilyService, true) => "il servizio della famiglia",
        (ProposalSide::NeedService, false) => "the child's service",
        (ProposalSide::FamilyService, false) => "the family's service",
    };
    let verb = match (to, it) {
        (ProposalStatus::UnderReview, true) => "prendere in esame",
        (ProposalStatus::Accepted, true) => "accettare",
        (ProposalStatus::Declined, true) => "rifiutare",
        (ProposalStatus::Withdrawn, true) => "ritirare",
        (_, true) => "far avanzare",
        (ProposalStatus::UnderReview, false) => "review",
        (ProposalStatus::Accepted, false) => "accept",
        (ProposalStatus::Declined, false) => "decline",
        (ProposalStatus::Withdrawn, false) => "withdraw",
        (_, false) => "move",
    };
    Failure::User(if it {
        format!("{code}: solo {who}{named} può {verb} la proposta.")
    } else {
        format!("{code}: only {who}{named} may {verb} the proposal.")
    })
}

/// Needs whose status moved with the proposal.
fn also_changed(s: &Session, saved: &Saved) {
    if !saved.also_changed.is_empty() {
        outln!("{} {}", s.t("Aggiornate anche:", "Also updated:"), saved.also_changed.join(", "));
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
    out!("{}", render_proposal_card(&p, &service_names(s), s.lang));
    Ok(())
}

/// The proposal with what its card shows: each child as every service may
/// see it (age, sex, kind, urgency and deadline, special needs), the
/// family's places, and whom to call on either side.
pub fn render_proposal_card(v: &ProposalView, names: &BTreeMap<ServiceCode, String>, lang: Lang) -> String {
    let t = |it, en| lang.pick(it, en);
    let mut card = String::new();
    for n in &v.needs {
        let p = &n.placement;
        card.push_str(&format!(
            "\n{} {}  ·  {}, {}  ·  {}\n",
            t("Minore di", "Child of"),
            n.code,
            crate::model::age::describe_age(n.age_months, lang),
            p.sex.label(lang),
            crate::i18n::comune_label(&p.comune.to_string())
        ));
        let mut b = Block::default();
        b.add(t("Tipo di affido", "Kind"), p.kind.label(lang));
        b.add(t("Urgenza", "Urgency"), super::need::urgency_text(&p.urgency, lang));
        b.add(
            t("Inizio desiderato", "Desired start"),
            p.desired_start.map(crate::model::dates::format_date).unwrap_or_default(),
        );
        let needs = p.special_needs.iter().map(|k| k.label(lang).to_string()).collect::<Vec<_>>();
        b.add(t("Bisogni speciali", "Special needs"), needs.join(", "));
        b.add(t("Lingue", "Languages"), p.languages.join(", "));
        card.push_str(&b.render_wrapped(2, WIDTH));
    }
    card.push_str(&format!("\n{}\n", t("Contatti", "Contacts")));
    let mut b = Block::default();
    if let Some(c) = v.need_contact() {
        add_contact(&mut b, t("Servizio del minore", "Child's service"), c, lang);
    }
    add_contact(&mut b, t("Servizio della famiglia", "Family's service"), v.family_contact(), lang);
    if let Some(free) = v.family.free_places {
        b.add(t("Posti liberi della famiglia", "Family's free places"), free.to_string());
    }
    card.push_str(&b.render_wrapped(2, WIDTH));
    let base = Revised { revision: v.revision, record: v.record.clone() };
    render_proposal_with(&base, names, lang, &card)
}

/// One side's service, its phone and e-mail, and the referent to ask for.
fn add_contact(b: &mut Block, side: &str, c: &Contact, lang: Lang) {
    let t = |it, en| lang.pick(it, en);
    b.add(side, format!("{} {}", c.service, one_line(&c.service_name)));
    b.add(t("  telefono", "  phone"), one_line(&c.phone).into_owned());
    b.add(t("  e-mail", "  e-mail"), one_line(&c.email).into_owned());
    b.add(t("  referente", "  referent"), format!("{} ({})", one_line(&c.referent_name), c.referent));
}

/// "proposta", "in valutazione", "avviata": short enough for a table.
pub(crate) fn status_word(status: ProposalStatus, lang: Lang) -> String {
    match lang {
        Lang::It => status.token_it(),
        Lang::En => status.token(),
    }
    .replace('_', " ")
}

fn named(code: ServiceCode, names: &BTreeMap<ServiceCode, String>) -> String {
    match names.get(&code) {
        Some(name) => format!("{code} {name}"),
        None => code.to_string(),
    }
}

pub fn render_proposal(v: &Revised<Proposal>, names: &BTreeMap<ServiceCode, String>, lang: Lang) -> String {
    render_proposal_with(v, names, lang, "")
}

/// The proposal, with `card` (already rendered sections) before its steps.
fn render_proposal_with(
    v: &Revised<Proposal>,
    names: &BTreeMap<ServiceCode, String>,
    lang: Lang,
    card: &str,
) -> String {
    let p = &v.record;
    let t = |it, en| lang.pick(it, en);
    let mut out = format!("{}  {}  ·  {} {}\n", p.code, p.status.label(lang), t("revisione", "revision"), v.revision);
    let mut b = Block::default();
    let needs: Vec<String> = p.needs.iter().map(|c| c.to_string()).collect();
    b.add(if p.needs.len() > 1 { t("Richieste", "Needs") } else { t("Richiesta", "Need") }, needs.join(", "));
    b.add(t("Famiglia", "Family"), p.family.to_string());
    b.add(t("Servizio del minore", "Child's service"), named(p.need_service, names));
    b.add(t("Servizio della famiglia", "Family's service"), named(p.family_service, names));
    if let Some(score) = p.score {
        b.add(t("Punteggio", "Score"), format!("{score}/100 {}", t("alla proposta", "when proposed")));
    }
    if let Some(a) = p.placement {
        b.add(t("Affido", "Placement"), a.to_string());
    }
    out.push_str(&b.render_wrapped(0, WIDTH));
    out.push_str(card);
    out.push_str(&format!("\n{}\n", t("Passaggi", "Steps")));
    let width = p.steps.iter().map(|st| status_word(st.status, lang).chars().count()).max().unwrap_or(0);
    for st in &p.steps {
        out.push_str(&format!(
            "  {}  {:<width$}  {}\n",
            format_timestamp(st.at),
            status_word(st.status, lang),
            one_line(&st.by)
        ));
        if !st.note.is_empty() {
            out.push_str(&wrap(&st.note, 20, WIDTH));
        }
    }
    out
}

pub fn list(s: &Session, args: ProposalListArgs) -> CliResult {
    let mut errs = FlagErrors::new(s.lang);
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
                return Err(Failure::User(format!(
                    "{flag}: {}",
                    s.t(
                        "non appartieni a un servizio: indicare quale con --service S-…",
                        "you belong to no service: name one with --service S-…"
                    )
                )));
            }
        }
    }
    let items = |reply| match reply {
        Reply::Proposals(page) => Ok(page),
        other => Err(unexpected(other)),
    };
    let Some(rows) =
        s.stream_list(Request::ProposalList { filter }, &proposal_header(s.lang), args.limit, items, |r| {
            proposal_row(r, s.lang)
        })?
    else {
        return Ok(());
    };
    if rows == 0 {
        outln!("{}", s.t("Nessuna proposta.", "No proposals."));
    } else {
        let word = if rows == 1 { s.t("proposta", "proposal") } else { s.t("proposte", "proposals") };
        outln!("{rows} {word}");
    }
    Ok(())
}

/// One row a proposal: where it stands, between whom, since when.
pub fn proposal_table(proposals: &[Revised<Proposal>], lang: Lang) -> String {
    let mut table = Table::new(&proposal_header(lang));
    for r in proposals {
        table.row(proposal_row(r, lang));
    }
    table.render()
}

fn proposal_header(lang: Lang) -> [&'static str; 6] {
    let t = |it, en| lang.pick(it, en);
    [
        t("CODICE", "CODE"),
        t("STATO", "STATUS"),
        t("RICHIESTA", "NEED"),
        t("FAMIGLIA", "FAMILY"),
        t("SERVIZI", "SERVICES"),
        t("DAL", "SINCE"),
    ]
}

fn proposal_row(r: &Revised<Proposal>, lang: Lang) -> Vec<String> {
    let p = &r.record;
    let need = match p.needs.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        [first, rest @ ..] => format!("{first}+{}", rest.len()),
    };
    let since = p.last_step().map(|st| crate::model::dates::format_date(st.at.date())).unwrap_or_default();
    vec![
        p.code.to_string(),
        status_word(p.status, lang),
        need,
        p.family.to_string(),
        format!("{}→{}", p.need_service, p.family_service),
        since,
    ]
}
