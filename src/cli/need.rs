//! `banca need add|edit|show|list`.

use clap::{Args, Subcommand};

use crate::api::{NeedFilter, NeedView, Reply, Request};
use crate::model::*;
use crate::present::{self, lists};

use super::family::saved;
use super::parse::{need_code, split_list, FlagErrors};
use super::session::{print_json, unexpected, CliResult, Session};
use crate::i18n::catalogue;
use crate::model::RecordKind;

catalogue!(
    /// What the need commands say.
    NeedWords {
        ConsensualOrJudicial => "consensuale, giudiziale o art403", "consensual, judicial or art403";
        OrderedOnRequired => "obbligatoria con --legal art403 (la data del provvedimento)",
            "required with --legal art403 (the date of the order)";
        Required => "obbligatorio", "required";
        YouMayNotRead => "non puoi leggere l'identità di questo minore, né cambiarla",
            "you may not read this child's identity, nor change it";
        NoNeeds => "Nessuna richiesta.", "No needs.";
    }
);

#[derive(Subcommand, Debug)]
pub enum NeedCommand {
    /// Registra la richiesta di affido per un minore
    Add(NeedFields),
    /// Modifica una richiesta: solo i campi indicati cambiano
    Edit {
        code: String,
        /// Revisione letta (da `need show`): se nel frattempo è cambiata, la modifica è rifiutata
        #[arg(long, allow_negative_numbers = true, value_parser = crate::cli::parse::whole::<u64>)]
        revision: Option<u64>,
        #[command(flatten)]
        fields: NeedFields,
    },
    /// Mostra una richiesta (l'identità del minore solo al suo servizio; ogni lettura è registrata)
    Show {
        code: String,
        /// Amministratore: legge l'identità del minore in emergenza, con il motivo (resta nel registro)
        #[arg(long, value_name = "MOTIVO")]
        emergency: Option<String>,
    },
    /// Elenca le richieste (vista pseudonima)
    List(NeedListArgs),
}

#[derive(Args, Debug, Default)]
pub struct NeedFields {
    /// Servizio titolare, es. S-001 (per un operatore: il proprio)
    #[arg(long)]
    service: Option<String>,
    /// Operatore referente (nome utente; default: chi registra)
    #[arg(long)]
    referent: Option<String>,
    /// Nome del minore
    #[arg(long)]
    given_name: Option<String>,
    /// Cognome del minore
    #[arg(long)]
    family_name: Option<String>,
    /// Data di nascita (gg/mm/aaaa)
    #[arg(long, value_name = "DATA")]
    birth_date: Option<String>,
    /// Codice fiscale (facoltativo; "" per toglierlo)
    #[arg(long)]
    fiscal_code: Option<String>,
    /// Indirizzo attuale del minore
    #[arg(long)]
    address: Option<String>,
    /// f, m
    #[arg(long)]
    sex: Option<String>,
    /// Altre richieste da abbinare insieme (fratelli), es. R-2026-0003,R-2026-0004 ("" per nessuna)
    #[arg(long, value_name = "CODICI")]
    siblings: Option<String>,
    /// residenziale, diurno, tempo_libero, pronto_intervento, affido_leggero, genitore_bambino, neomaggiorenni
    #[arg(long)]
    kind: Option<String>,
    /// consensuale, giudiziale (con --court e --decree) o art403 (collocamento d'urgenza, con --ordered-on)
    #[arg(long)]
    legal: Option<String>,
    /// Tribunale (affido giudiziale)
    #[arg(long)]
    court: Option<String>,
    /// Riferimento del decreto (affido giudiziale)
    #[arg(long)]
    decree: Option<String>,
    /// Data del provvedimento dell'autorità pubblica (art. 403 c.c., gg/mm/aaaa)
    #[arg(long, value_name = "DATA")]
    ordered_on: Option<String>,
    /// Pronto intervento: famiglia necessaria entro (gg/mm/aaaa); "" per ordinaria
    #[arg(long, value_name = "DATA")]
    emergency_by: Option<String>,
    /// Inizio desiderato (gg/mm/aaaa)
    #[arg(long, value_name = "DATA")]
    desired_start: Option<String>,
    /// Durata prevista in mesi
    #[arg(long, value_name = "MESI", allow_negative_numbers = true)]
    duration_months: Option<String>,
    /// Tempi richiesti: tempo_pieno, feriali, pomeriggi, weekend, vacanze, su_chiamata ("" per nessuno)
    #[arg(long, value_name = "TEMPI")]
    slots: Option<String>,
    /// disabilita, malattia_cronica, difficolta_comportamentali, trauma, neonato, msna, genitore_con_bambino
    #[arg(long)]
    special_needs: Option<String>,
    /// Lingue parlate dal minore, separate da virgole (arabo, rumeno…); nessuna se omesso
    #[arg(long)]
    languages: Option<String>,
    /// Note culturali o religiose
    #[arg(long)]
    cultural_notes: Option<String>,
    /// Comune dove vive il minore
    #[arg(long)]
    comune: Option<String>,
    /// Comune della famiglia d'origine ("" se non noto)
    #[arg(long)]
    origin_comune: Option<String>,
    /// Frequenza degli incontri con la famiglia d'origine: nessuno, settimanale, quindicinale, mensile, occasionale, da_definire
    #[arg(long)]
    contact: Option<String>,
    /// Incontri facilitati / spazio neutro: sì/no
    #[arg(long, value_name = "SÌ/NO")]
    supervised: Option<String>,
    /// Comune della scuola ("" se nessuno)
    #[arg(long)]
    school_comune: Option<String>,
    /// aperta, in_abbinamento, abbinata, chiusa
    #[arg(long)]
    status: Option<String>,
    /// Motivo di chiusura: affido_avviato, altra_soluzione, rientro_in_famiglia, annullata
    #[arg(long)]
    closing_reason: Option<String>,
    #[arg(long)]
    notes: Option<String>,
}

#[derive(Args, Debug)]
pub struct NeedListArgs {
    /// Solo le richieste in questo stato: aperta, in_abbinamento, abbinata, chiusa
    #[arg(long)]
    status: Option<String>,
    /// Solo le richieste di questo tipo di affido
    #[arg(long)]
    kind: Option<String>,
    /// Solo le richieste di questo servizio (es. S-001)
    #[arg(long)]
    service: Option<String>,
    /// Solo le richieste di questo comune (nome o codice ISTAT)
    #[arg(long)]
    comune: Option<String>,
    /// Solo le richieste di questo referente (nome utente)
    #[arg(long)]
    referent: Option<String>,
    /// Solo pronto intervento
    #[arg(long)]
    emergency: bool,
    /// Quante mostrare al massimo
    #[arg(long, allow_negative_numbers = true, value_parser = crate::cli::parse::at_least_one)]
    limit: Option<usize>,
}

pub fn run(s: &Session, command: NeedCommand) -> CliResult {
    match command {
        NeedCommand::Add(fields) => add(s, fields),
        NeedCommand::Edit { code, revision, fields } => edit(s, &code, revision, fields),
        NeedCommand::Show { code, emergency: None } => show(s, &code),
        NeedCommand::Show { code, emergency: Some(reason) } => emergency_show(s, &code, reason),
        NeedCommand::List(args) => list(s, args),
    }
}

fn add(s: &Session, fields: NeedFields) -> CliResult {
    let mut errs = FlagErrors::new(s.lang);
    for (flag, present) in [
        ("given-name", fields.given_name.is_some()),
        ("family-name", fields.family_name.is_some()),
        ("birth-date", fields.birth_date.is_some()),
        ("sex", fields.sex.is_some()),
        ("kind", fields.kind.is_some()),
        ("comune", fields.comune.is_some()),
    ] {
        if !present {
            errs.push(flag, NeedWords::Required.get(s.lang));
        }
    }
    let mut input = NeedInput {
        service: None,
        referent: None,
        identity: ChildIdentity {
            given_name: String::new(),
            family_name: String::new(),
            birth_date: super::parse::today(),
            fiscal_code: None,
            address: String::new(),
        },
        placement: PlacementNeed {
            sex: Sex::Female,
            siblings: vec![],
            kind: PlacementKind::Residential,
            legal: LegalBasis::Consensual,
            urgency: Urgency::Ordinary,
            desired_start: None,
            duration_months: None,
            special_needs: Default::default(),
            languages: Vec::new(),
            cultural_notes: String::new(),
            comune: ComuneCode::from_u32(0),
            origin_comune: None,
            contact: OriginContact { frequency: ContactFrequency::ToBeDefined, supervised: false },
            school_comune: None,
            status: NeedStatus::Open,
            closing_reason: None,
            notes: String::new(),
            time_slots: Default::default(),
        },
    };
    fields.apply(&mut input, &mut errs);
    errs.finish()?;
    saved(s, s.call(Request::NeedCreate { input })?)
}

fn edit(s: &Session, code: &str, revision: Option<u64>, fields: NeedFields) -> CliResult {
    let code = need_code(code, s.lang)?;
    let view = match s.call(Request::NeedGet { code })? {
        Reply::Need(v) => v,
        other => return Err(unexpected(other)),
    };
    // Without the child's identity (an administrator) it goes blank, and the bank keeps the stored one.
    let mut input = view.as_input();
    let mut errs = FlagErrors::new(s.lang);
    if view.identity.is_none() {
        for flag in fields.identity_flags() {
            errs.push(flag, NeedWords::YouMayNotRead.get(s.lang));
        }
    }
    fields.apply(&mut input, &mut errs);
    errs.finish()?;
    let base_revision = revision.unwrap_or(view.revision);
    saved(s, s.call(Request::NeedUpdate { code, base_revision, input })?)
}

impl NeedFields {
    /// The flags given that set the child's identity.
    fn identity_flags(&self) -> Vec<&'static str> {
        [
            ("given-name", self.given_name.is_some()),
            ("family-name", self.family_name.is_some()),
            ("birth-date", self.birth_date.is_some()),
            ("fiscal-code", self.fiscal_code.is_some()),
            ("address", self.address.is_some()),
        ]
        .into_iter()
        .filter_map(|(flag, given)| given.then_some(flag))
        .collect()
    }

    fn apply(self, input: &mut NeedInput, errs: &mut FlagErrors) {
        let lang = errs.lang();
        if let Some(v) = self.service {
            input.service = errs.service("service", &v);
        }
        if let Some(v) = self.referent {
            input.referent = Some(v.trim().to_string());
        }
        let id = &mut input.identity;
        if let Some(v) = self.given_name {
            id.given_name = v.trim().to_string();
        }
        if let Some(v) = self.family_name {
            id.family_name = v.trim().to_string();
        }
        if let Some(v) = self.birth_date {
            if let Some(d) = errs.date("birth-date", &v) {
                id.birth_date = d;
            }
        }
        if let Some(v) = self.fiscal_code {
            id.fiscal_code = (!v.trim().is_empty()).then(|| v.trim().to_string());
        }
        if let Some(v) = self.address {
            id.address = v.trim().to_string();
        }
        let p = &mut input.placement;
        if let Some(v) = self.sex {
            if let Some(x) = errs.term("sex", &v, Sex::parse, Sex::choices(lang)) {
                p.sex = x;
            }
        }
        if let Some(v) = self.siblings {
            p.siblings = split_list(&v).iter().filter_map(|c| errs.need_code("siblings", c)).collect();
        }
        if let Some(v) = self.kind {
            if let Some(x) = errs.term("kind", &v, PlacementKind::parse, PlacementKind::choices(lang)) {
                p.kind = x;
            }
        }
        let (court, decree) = match &p.legal {
            LegalBasis::Judicial { court, decree } => (court.clone(), decree.clone()),
            _ => (String::new(), String::new()),
        };
        let was_ordered_on = match p.legal {
            LegalBasis::Art403 { ordered_on } => Some(ordered_on),
            _ => None,
        };
        #[derive(PartialEq)]
        enum Basis {
            Consensual,
            Judicial,
            Art403,
        }
        let current = match p.legal {
            LegalBasis::Consensual => Basis::Consensual,
            LegalBasis::Judicial { .. } => Basis::Judicial,
            LegalBasis::Art403 { .. } => Basis::Art403,
        };
        let basis = match self.legal.as_deref().map(|v| v.trim().to_lowercase()) {
            Some(v) if ["giudiziale", "judicial"].contains(&v.as_str()) => Basis::Judicial,
            Some(v) if ["consensuale", "consensual"].contains(&v.as_str()) => Basis::Consensual,
            Some(v) if ["art403", "art.403", "art. 403", "art_403", "403"].contains(&v.as_str()) => Basis::Art403,
            Some(v) => {
                errs.push("legal", format!("«{v}»: {}", NeedWords::ConsensualOrJudicial.get(lang)));
                current
            }
            // A court or a decree makes it judicial, an order's date art. 403, as typed.
            None if self.ordered_on.is_some() => Basis::Art403,
            None if self.court.is_some() || self.decree.is_some() => Basis::Judicial,
            None => current,
        };
        let ordered_on = self.ordered_on.and_then(|v| errs.date("ordered-on", &v));
        p.legal = match basis {
            Basis::Judicial => LegalBasis::Judicial {
                court: self.court.map(|c| c.trim().to_string()).unwrap_or(court),
                decree: self.decree.map(|d| d.trim().to_string()).unwrap_or(decree),
            },
            Basis::Art403 => match ordered_on.or(was_ordered_on) {
                Some(ordered_on) => LegalBasis::Art403 { ordered_on },
                None => {
                    errs.push("ordered-on", NeedWords::OrderedOnRequired.get(lang));
                    p.legal.clone()
                }
            },
            Basis::Consensual => LegalBasis::Consensual,
        };
        if let Some(v) = self.emergency_by {
            if let Some(d) = errs.opt_date("emergency-by", &v) {
                p.urgency = match d {
                    Some(needed_by) => Urgency::Emergency { needed_by },
                    None => Urgency::Ordinary,
                };
            }
        }
        if let Some(v) = self.desired_start {
            if let Some(d) = errs.opt_date("desired-start", &v) {
                p.desired_start = d;
            }
        }
        if let Some(v) = self.duration_months {
            if v.trim().is_empty() {
                p.duration_months = None;
            } else if let Some(n) = errs.number("duration-months", &v) {
                p.duration_months = Some(n);
            }
        }
        if let Some(v) = self.slots {
            if let Some(x) = errs.terms("slots", &v, TimeSlot::parse, TimeSlot::choices(lang)) {
                p.time_slots = x;
            }
        }
        if let Some(v) = self.special_needs {
            if let Some(x) = errs.terms("special-needs", &v, SpecialNeed::parse, SpecialNeed::choices(lang)) {
                p.special_needs = x;
            }
        }
        if let Some(v) = self.languages {
            p.languages = split_list(&v);
        }
        if let Some(v) = self.cultural_notes {
            p.cultural_notes = v.trim().to_string();
        }
        if let Some(v) = self.comune {
            if let Some(c) = errs.comune("comune", &v) {
                p.comune = c;
            }
        }
        if let Some(v) = self.origin_comune {
            if let Some(c) = errs.opt_comune("origin-comune", &v) {
                p.origin_comune = c;
            }
        }
        if let Some(v) = self.school_comune {
            if let Some(c) = errs.opt_comune("school-comune", &v) {
                p.school_comune = c;
            }
        }
        if let Some(v) = self.contact {
            if let Some(x) = errs.term("contact", &v, ContactFrequency::parse, ContactFrequency::choices(lang)) {
                p.contact.frequency = x;
            }
        }
        if let Some(v) = self.supervised {
            if let Some(b) = errs.yes_no("supervised", &v) {
                p.contact.supervised = b;
            }
        }
        if let Some(v) = self.status {
            if let Some(x) = errs.term("status", &v, NeedStatus::parse, NeedStatus::choices(lang)) {
                p.status = x;
            }
        }
        if let Some(v) = self.closing_reason {
            p.closing_reason = if v.trim().is_empty() {
                None
            } else {
                errs.term("closing-reason", &v, ClosingReason::parse, ClosingReason::choices(lang))
            };
        }
        if let Some(v) = self.notes {
            p.notes = v.trim().to_string();
        }
    }
}

pub(super) fn show(s: &Session, code: &str) -> CliResult {
    let code = need_code(code, s.lang)?;
    let view = match s.call(Request::NeedGet { code })? {
        Reply::Need(v) => v,
        other => return Err(unexpected(other)),
    };
    if s.json {
        return print_json(&view);
    }
    super::print::print(&present::need(&view, s.lang));
    Ok(())
}

/// `need show R-… --emergency "motivo"`: an administrator's emergency read.
fn emergency_show(s: &Session, code: &str, reason: String) -> CliResult {
    let code = need_code(code, s.lang)?;
    let view = match s.call(Request::EmergencyRead { code: code.to_string(), reason })? {
        Reply::Need(v) => v,
        other => return Err(unexpected(other)),
    };
    if s.json {
        return print_json(&view);
    }
    super::print::print(&present::need(&view, s.lang));
    Ok(())
}

fn list(s: &Session, args: NeedListArgs) -> CliResult {
    let mut errs = FlagErrors::for_read(s.lang);
    let filter = NeedFilter {
        status: args.status.and_then(|v| errs.term("status", &v, NeedStatus::parse, NeedStatus::choices(s.lang))),
        kind: args.kind.and_then(|v| errs.term("kind", &v, PlacementKind::parse, PlacementKind::choices(s.lang))),
        service: args.service.and_then(|v| errs.service("service", &v)),
        comune: args.comune.and_then(|v| errs.comune("comune", &v)),
        referent: args.referent,
        emergency: args.emergency.then_some(true),
        limit: args.limit,
        after: None,
    };
    errs.finish()?;
    if args.emergency {
        return list_emergencies(s, filter, args.limit);
    }
    let header = lists::need_header(s.lang);
    let row = |n: &NeedView| lists::need_row(n, s.lang);
    let items = |reply| match reply {
        Reply::Needs(page) => Ok(page),
        other => Err(unexpected(other)),
    };
    let counted = crate::api::Counted::Needs(filter.clone());
    let Some(rows) = s.stream_list(Request::NeedList { filter }, &header, args.limit, items, row)? else {
        return Ok(());
    };
    if rows == 0 {
        outln!("{}", NeedWords::NoNeeds.get(s.lang));
    } else {
        let total = s.shown_of(rows, args.limit, counted)?;
        outln!("{} {}", super::session::shown_count(rows, total, s.lang), RecordKind::Need.plural(s.lang));
    }
    Ok(())
}

/// How many emergencies `need list --emergency` gathers to put in order.
const MAX_EMERGENCIES: usize = 10_000;

/// `need list --emergency`: the pronto intervento still to place (a closed
/// one only when `--status` asks for it), the nearest deadline first, then
/// those with none, by code — what an operator reads top down at 6 pm.
fn list_emergencies(s: &Session, filter: NeedFilter, limit: Option<usize>) -> CliResult {
    let keep_closed = filter.status.is_some();
    let mut all: Vec<NeedView> = Vec::new();
    s.pages(Request::NeedList { filter: NeedFilter { limit: None, ..filter } }, |reply| match reply {
        Reply::Needs(page) => {
            let open = page.items.into_iter().filter(|n| keep_closed || n.placement.status != NeedStatus::Closed);
            all.extend(open);
            Ok(all.len() < MAX_EMERGENCIES)
        }
        other => Err(unexpected(other)),
    })?;
    let deadline = |n: &NeedView| match n.placement.urgency {
        Urgency::Emergency { needed_by } => Some(needed_by),
        Urgency::Ordinary => None,
    };
    all.sort_by_key(|n| (deadline(n).is_none(), deadline(n), n.code));
    let total = all.len() as u64;
    all.truncate(limit.unwrap_or(usize::MAX));
    if s.json {
        return print_json(&all);
    }
    if all.is_empty() {
        outln!("{}", NeedWords::NoNeeds.get(s.lang));
        return Ok(());
    }
    let mut table = super::table::StreamTable::new(&lists::need_header(s.lang));
    let mut rows = table.page();
    for n in &all {
        rows.row(lists::need_row(n, s.lang));
    }
    table.print(rows);
    let shown = super::session::shown_count(all.len(), Some(total), s.lang);
    outln!("{shown} {}", RecordKind::Need.plural(s.lang));
    Ok(())
}
