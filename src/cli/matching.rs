//! `banca match`: the candidate families for a need, or the open needs a
//! family could take, best first, each with the lines that explain its score.

use clap::Args;

use crate::api::{Hosts, Reply, Request};
use crate::i18n::Lang;
use crate::present;

use super::parse::{need_code, FlagErrors};
use super::session::{print_json, unexpected, CliResult, Session};

#[derive(Args, Debug)]
pub struct MatchArgs {
    /// Richiesta da abbinare, es. R-2026-0012
    #[arg(value_name = "RICHIESTA", required_unless_present = "family", conflicts_with = "family")]
    need: Option<String>,
    /// Al contrario: le richieste aperte che questa famiglia potrebbe accogliere
    #[arg(long, value_name = "FAMIGLIA")]
    family: Option<String>,
    /// Quante candidate mostrare
    #[arg(long, value_name = "N", default_value_t = 10, allow_negative_numbers = true, value_parser = crate::cli::parse::at_least_one)]
    limit: usize,
    /// Perché questa famiglia non è candidata (o in che posizione è)
    #[arg(long, value_name = "FAMIGLIA", conflicts_with = "family")]
    why_not: Option<String>,
    /// Chi mostrare: famiglie (predefinito), servizi (d'accoglienza) o insieme, in un'unica graduatoria
    #[arg(long = "with", value_name = "CHI", conflicts_with = "family")]
    with: Option<String>,
}

/// "famiglie", "servizi", "insieme" (or their English words).
fn parse_hosts(input: &str) -> Option<Hosts> {
    match crate::model::comune::normalize(input).as_str() {
        "famiglie" | "families" | "f" => Some(Hosts::Families),
        "servizi" | "services" | "comunita" | "s" => Some(Hosts::Services),
        "insieme" | "both" | "entrambi" | "tutti" | "all" => Some(Hosts::Both),
        _ => None,
    }
}

pub fn run(s: &Session, args: MatchArgs) -> CliResult {
    match (&args.need, &args.family) {
        (Some(need), _) => match_need(s, need, args.limit, args.why_not.as_deref(), args.with.as_deref()),
        (None, Some(family)) => match_family(s, family, args.limit),
        // clap requires one of the two.
        (None, None) => Ok(()),
    }
}

fn match_need(s: &Session, need: &str, limit: usize, why_not: Option<&str>, with: Option<&str>) -> CliResult {
    let need = need_code(need, s.lang)?;
    let mut errs = FlagErrors::for_read(s.lang);
    let why_not = why_not.and_then(|f| errs.family_code("why-not", f));
    let choices = match s.lang {
        Lang::It => "famiglie, servizi, insieme",
        Lang::En => "families, services, both",
    };
    let hosts = match with {
        Some(w) => errs.term("with", w, parse_hosts, choices.into()).unwrap_or_default(),
        None => Hosts::Families,
    };
    errs.finish()?;
    let ranking = match s.call(Request::MatchNeed { need, limit, why_not, hosts })? {
        Reply::NeedMatches(r) => r,
        other => return Err(unexpected(other)),
    };
    if s.json {
        return print_json(&ranking);
    }
    super::print::print(&present::need_ranking(&ranking, s.lang));
    Ok(())
}

fn match_family(s: &Session, family: &str, limit: usize) -> CliResult {
    let mut errs = FlagErrors::for_read(s.lang);
    let family = errs.family_code("family", family);
    errs.finish()?;
    let Some(family) = family else { return Ok(()) };
    let ranking = match s.call(Request::MatchFamily { family, limit })? {
        Reply::FamilyMatches(r) => r,
        other => return Err(unexpected(other)),
    };
    if s.json {
        return print_json(&ranking);
    }
    super::print::print(&present::family_ranking(&ranking, s.lang));
    Ok(())
}
