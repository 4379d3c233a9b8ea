//! `banca event add|edit|show|list`: the network's information evenings,
//! training courses and support groups.

use clap::{Args, Subcommand};

use crate::api::{Reply, Request};
use crate::model::*;
use crate::present;

use super::parse::FlagErrors;
use super::session::{print_json, unexpected, CliResult, Session};
use crate::i18n::catalogue;

catalogue!(
    /// What the event commands say.
    EventWords {
        Required => "obbligatorio", "required";
        NotACode => "non è il codice di un incontro (es. E-2026-0001)", "is not an event's code (e.g. E-2026-0001)";
    }
);

#[derive(Subcommand, Debug)]
pub enum EventCommand {
    /// Registra un incontro della rete: serata informativa, corso, gruppo di sostegno
    Add(EventFields),
    /// Modifica un incontro: solo i campi indicati cambiano
    Edit {
        #[arg(value_name = "INCONTRO")]
        code: String,
        /// Revisione letta (da `event show`)
        #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = crate::cli::parse::whole::<u64>)]
        revision: Option<u64>,
        #[command(flatten)]
        fields: EventFields,
    },
    /// Mostra un incontro: chi lo organizza, quante famiglie, le proprie
    Show {
        #[arg(value_name = "INCONTRO")]
        code: String,
    },
    /// Elenca gli incontri, i più recenti prima
    List {
        /// Solo di questo tipo: serata_informativa, corso, gruppo
        #[arg(long, value_name = "TIPO")]
        kind: Option<String>,
        /// Solo da questa data in poi (gg/mm/aaaa, o "oggi")
        #[arg(long, value_name = "DATA")]
        from: Option<String>,
        /// Quanti mostrare al massimo
        #[arg(long, allow_negative_numbers = true, value_parser = crate::cli::parse::at_least_one)]
        limit: Option<usize>,
    },
}

#[derive(Args, Debug, Default)]
pub struct EventFields {
    /// serata_informativa, corso, gruppo
    #[arg(long, value_name = "TIPO")]
    kind: Option<String>,
    /// Titolo
    #[arg(long, value_name = "TESTO")]
    title: Option<String>,
    /// Data (gg/mm/aaaa); per un corso, il primo incontro
    #[arg(long, value_name = "DATA")]
    date: Option<String>,
    /// Ultimo incontro di un corso (gg/mm/aaaa; "" per nessuno)
    #[arg(long, value_name = "DATA")]
    until: Option<String>,
    /// Comune (nome o codice ISTAT)
    #[arg(long)]
    comune: Option<String>,
    /// Luogo: sala, indirizzo
    #[arg(long, value_name = "TESTO")]
    place: Option<String>,
    /// L'associazione che lo organizza con il servizio
    #[arg(long, value_name = "NOME")]
    association: Option<String>,
    /// Note
    #[arg(long, value_name = "TESTO")]
    notes: Option<String>,
}

pub fn run(s: &Session, command: EventCommand) -> CliResult {
    match command {
        EventCommand::Add(fields) => add(s, fields),
        EventCommand::Edit { code, revision, fields } => edit(s, &code, revision, fields),
        EventCommand::Show { code } => show(s, &code),
        EventCommand::List { kind, from, limit } => list(s, kind, from, limit),
    }
}

fn code_of(input: &str, lang: crate::i18n::Lang) -> CliResult<EventCode> {
    EventCode::parse(input).ok_or_else(|| {
        super::session::Failure::User(format!("«{}»: {}", super::parse::echoed(input), EventWords::NotACode.get(lang)))
    })
}

fn add(s: &Session, fields: EventFields) -> CliResult {
    let mut errs = FlagErrors::new(s.lang);
    for (flag, given) in [
        ("kind", fields.kind.is_some()),
        ("title", fields.title.is_some()),
        ("date", fields.date.is_some()),
        ("comune", fields.comune.is_some()),
    ] {
        if !given {
            errs.push(flag, EventWords::Required.get(s.lang));
        }
    }
    let mut input = EventInput {
        kind: EventKind::InformationEvening,
        title: String::new(),
        association: String::new(),
        date: super::parse::today(),
        until: None,
        comune: ComuneCode::from_u32(0),
        place: String::new(),
        notes: String::new(),
    };
    fields.apply(&mut input, &mut errs);
    errs.finish()?;
    super::family::saved(s, s.call(Request::EventCreate { input })?)
}

fn get(s: &Session, code: EventCode) -> CliResult<crate::api::EventView> {
    match s.call(Request::EventGet { code })? {
        Reply::Event(v) => Ok(v),
        other => Err(unexpected(other)),
    }
}

fn edit(s: &Session, code: &str, revision: Option<u64>, fields: EventFields) -> CliResult {
    let code = code_of(code, s.lang)?;
    let view = get(s, code)?;
    let mut input = view.details.clone();
    let mut errs = FlagErrors::new(s.lang);
    fields.apply(&mut input, &mut errs);
    errs.finish()?;
    let base_revision = revision.unwrap_or(view.revision);
    super::family::saved(s, s.call(Request::EventUpdate { code, base_revision, input })?)
}

pub fn show(s: &Session, code: &str) -> CliResult {
    let view = get(s, code_of(code, s.lang)?)?;
    if s.json {
        return print_json(&view);
    }
    super::print::print(&present::care::event(&view, s.lang));
    Ok(())
}

fn list(s: &Session, kind: Option<String>, from: Option<String>, limit: Option<usize>) -> CliResult {
    let mut errs = FlagErrors::for_read(s.lang);
    let kind = kind.as_deref().and_then(|v| errs.term("kind", v, EventKind::parse, EventKind::choices(s.lang)));
    let from = from.as_deref().and_then(|v| errs.date("from", v));
    errs.finish()?;
    let mut all = Vec::new();
    let wanted = limit.unwrap_or(usize::MAX);
    s.pages(Request::EventList { kind, from, after: None, limit }, |reply| match reply {
        Reply::Events(p) => {
            all.extend(p.items);
            Ok(all.len() < wanted)
        }
        other => Err(unexpected(other)),
    })?;
    all.truncate(wanted);
    if s.json {
        return print_json(&all);
    }
    super::print::print(&present::care::events(&all, s.lang));
    Ok(())
}

impl EventFields {
    fn apply(self, input: &mut EventInput, errs: &mut FlagErrors) {
        let lang = errs.lang();
        if let Some(v) = self.kind {
            if let Some(k) = errs.term("kind", &v, EventKind::parse, EventKind::choices(lang)) {
                input.kind = k;
            }
        }
        if let Some(v) = self.title {
            input.title = v;
        }
        if let Some(v) = self.date {
            if let Some(d) = errs.date("date", &v) {
                input.date = d;
            }
        }
        if let Some(v) = self.until {
            if let Some(d) = errs.opt_date("until", &v) {
                input.until = d;
            }
        }
        if let Some(v) = self.comune {
            if let Some(c) = errs.comune("comune", &v) {
                input.comune = c;
            }
        }
        if let Some(v) = self.place {
            input.place = v;
        }
        if let Some(v) = self.association {
            input.association = v;
        }
        if let Some(v) = self.notes {
            input.notes = v;
        }
    }
}
