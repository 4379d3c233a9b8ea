//! `banca report`: the coordination's figures as a table, CSV, JSON or a
//! Markdown document for the minutes; `banca report annual --year 2026`
//! the tables of the Region's annual survey.

use clap::Args;
use time::{Date, Month};

use crate::api::{FiguresQuery, Indicator, Reply, Request, Territory};
use crate::present;

use super::parse::FlagErrors;
use super::session::{print_json, unexpected, CliResult, Session};

#[derive(Args, Debug, Default)]
pub struct ReportArgs {
    /// Cosa: tutto (senza), annual (rilevazione annuale), families, needs, placements, network, monthly,
    /// o un indicatore: families-by-stage, families-available, family-places, enquiry-to-approval,
    /// waiting-since-approval, needs-by-kind, needs-by-urgency, needs-by-age, needs-by-sex, needs-waiting,
    /// needs-closed, placements-in-course, placements-started, placements-ended, proposals, reciprocity,
    /// reception-places
    #[arg(value_name = "COSA")]
    what: Option<String>,
    /// Data a cui contare (gg/mm/aaaa; senza: oggi; con --year: il 31/12 di quell'anno)
    #[arg(long, value_name = "DATA")]
    at: Option<String>,
    /// Inizio del periodo (senza: 1° gennaio dell'anno della data)
    #[arg(long, value_name = "DATA")]
    from: Option<String>,
    /// Fine del periodo (senza: 31 dicembre)
    #[arg(long, value_name = "DATA")]
    to: Option<String>,
    /// Un anno intero: dal 1/1 al 31/12, contato al 31/12
    #[arg(long, value_name = "ANNO", value_parser = crate::cli::parse::whole::<i32>)]
    year: Option<i32>,
    /// Solo un ambito (per nome)
    #[arg(long, value_name = "AMBITO", conflicts_with_all = ["comune", "service"])]
    ambit: Option<String>,
    /// Solo un presidio dell'ambito (--ambit)
    #[arg(long, value_name = "PRESIDIO", requires = "ambit")]
    district: Option<String>,
    /// Solo un comune (nome o codice ISTAT)
    #[arg(long, value_name = "COMUNE", conflicts_with = "service")]
    comune: Option<String>,
    /// Solo un servizio (le sue famiglie, i suoi bambini)
    #[arg(long, value_name = "SERVIZIO")]
    service: Option<String>,
    /// Tutta la provincia (un operatore vede di norma il suo servizio accanto alla provincia)
    #[arg(long, conflicts_with_all = ["ambit", "comune", "service"])]
    province: bool,
    /// In CSV, una riga per cella (per un foglio di calcolo)
    #[arg(long, conflicts_with_all = ["json", "markdown"])]
    csv: bool,
    /// Un documento Markdown da allegare al verbale del coordinamento
    #[arg(long, conflicts_with = "json")]
    markdown: bool,
}

/// The indicators a name asks for; `None` for a name that is none.
fn indicators(what: &str) -> Option<Vec<Indicator>> {
    use Indicator::*;
    let group: &[Indicator] = match what.trim().to_lowercase().as_str() {
        "annual" | "annuale" => &Indicator::ANNUAL,
        "families" | "famiglie" => {
            &[FamiliesByStage, FamiliesAvailable, FamilyPlaces, EnquiryToApproval, WaitingSinceApproval]
        }
        "needs" | "richieste" => {
            &[NeedsOpenByKind, NeedsOpenByUrgency, NeedsOpenByAge, NeedsOpenBySex, NeedsWaiting, NeedsClosed]
        }
        "placements" | "affidi" => &[PlacementsInCourse, PlacementsStarted, PlacementsEnded],
        "network" | "rete" => &[Proposals, Reciprocity, ReceptionPlaces],
        "monthly" | "mensile" => &[Monthly],
        other => return Indicator::parse(other).map(|i| vec![i]),
    };
    Some(group.to_vec())
}

pub fn run_report(s: &Session, args: ReportArgs) -> CliResult {
    let mut errs = FlagErrors::for_read(s.lang);
    let what = args.what.as_deref().unwrap_or("");
    let annual = matches!(what.trim(), "annual" | "annuale");
    let only = if what.trim().is_empty() {
        vec![]
    } else {
        indicators(what).unwrap_or_else(|| {
            let names: Vec<&str> = Indicator::ALL.iter().map(|i| i.token()).collect();
            let message = match s.lang {
                crate::model::Lang::It => format!(
                    "«{}»: indicatore sconosciuto; uno di annual, families, needs, placements, network, monthly, {}",
                    super::parse::echoed(what),
                    names.join(", ")
                ),
                crate::model::Lang::En => format!(
                    "\"{}\": unknown indicator; one of annual, families, needs, placements, network, monthly, {}",
                    super::parse::echoed(what),
                    names.join(", ")
                ),
            };
            errs.push("COSA", message);
            vec![]
        })
    };
    let mut at = args.at.as_deref().and_then(|d| errs.date("at", d));
    let mut from = args.from.as_deref().and_then(|d| errs.date("from", d));
    let mut to = args.to.as_deref().and_then(|d| errs.date("to", d));
    if let Some(y) = args.year {
        match (Date::from_calendar_date(y, Month::January, 1), Date::from_calendar_date(y, Month::December, 31)) {
            (Ok(first), Ok(last)) => {
                from = from.or(Some(first));
                to = to.or(Some(last));
                at = at.or(Some(last));
            }
            _ => errs.push("year", format!("{y}")),
        }
    }
    let comune = args.comune.as_deref().and_then(|c| errs.comune("comune", c));
    let service = args.service.as_deref().and_then(|c| errs.service("service", c));
    errs.finish()?;
    let territory = match (args.ambit, args.district, comune, service, args.province) {
        (Some(ambit), Some(name), ..) => Some(Territory::District { ambit, name }),
        (Some(ambit), None, ..) => Some(Territory::Ambit(ambit)),
        (_, _, Some(c), ..) => Some(Territory::Comune(c)),
        (_, _, _, Some(s), _) => Some(Territory::Service(s)),
        (.., true) => Some(Territory::Province),
        _ => None,
    };
    // Whatever goes to a file or another program leaves the service.
    let leaving = args.csv || args.markdown || s.json;
    let query = FiguresQuery { at, from, to, territory, only, leaving };
    let figures = match s.call(Request::Figures { query })? {
        Reply::Figures(f) => f,
        other => return Err(unexpected(other)),
    };
    if s.json {
        return print_json(&figures);
    }
    if args.csv {
        out!("{}", present::figures::csv(&figures, s.lang));
        return Ok(());
    }
    if args.markdown {
        out!("{}", present::figures::markdown(&figures, annual, s.lang));
        return Ok(());
    }
    super::print::print(&present::figures::report(&figures, annual, s.lang));
    Ok(())
}
