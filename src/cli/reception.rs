//! `banca directory` (mappatura): every service of the network, reception
//! services with their places; `--csv` and `--json` give the public file
//! the coordination puts on its site.

use clap::Args;

use crate::api::{DirectoryFilter, Reply, Request};
use crate::model::*;
use crate::present;

use super::parse::FlagErrors;
use super::session::{print_json, unexpected, CliResult, Session};

#[derive(Args, Debug)]
pub struct DirectoryArgs {
    /// Solo un tipo: ambito, interdistrettuale, associazione, comunita_alloggio, pronto_intervento, …
    #[arg(long, value_name = "TIPO")]
    kind: Option<String>,
    /// Solo i servizi d'accoglienza
    #[arg(long)]
    reception: bool,
    /// Solo i servizi di questo ambito
    #[arg(long, value_name = "AMBITO")]
    ambit: Option<String>,
    /// Solo i servizi d'accoglienza in questo comune
    #[arg(long, value_name = "COMUNE")]
    comune: Option<String>,
    /// Solo i servizi d'accoglienza con un posto libero ora
    #[arg(long)]
    vacant: bool,
    /// Anche i servizi non attivi
    #[arg(long)]
    inactive: bool,
    /// In CSV (per un foglio di calcolo o il sito del coordinamento)
    #[arg(long, conflicts_with = "json")]
    csv: bool,
}

pub fn run_directory(s: &Session, args: DirectoryArgs) -> CliResult {
    let mut errs = FlagErrors::for_read(s.lang);
    let kind =
        args.kind.as_deref().and_then(|k| errs.term("kind", k, ServiceKind::parse, ServiceKind::choices(s.lang)));
    let comune = args.comune.as_deref().and_then(|c| errs.comune("comune", c));
    errs.finish()?;
    let filter = DirectoryFilter {
        code: None,
        kind,
        reception: args.reception,
        ambit: args.ambit,
        comune,
        vacant: args.vacant,
        inactive: args.inactive,
    };
    let entries = match s.call(Request::Directory { filter })? {
        Reply::Directory(entries) => entries,
        other => return Err(unexpected(other)),
    };
    if s.json {
        return print_json(&entries);
    }
    if args.csv {
        let csv = present::reception::directory_csv(&entries, s.lang);
        out!("{csv}");
        return Ok(());
    }
    super::print::print(&present::reception::directory(&entries, s.lang));
    Ok(())
}
