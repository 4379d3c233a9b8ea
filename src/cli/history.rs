//! `banca history F-…|R-…|S-…`: the proposals and placements of a family,
//! a need or a service, newest first.

use crate::api::{PlacementFilter, ProposalFilter, Reply, Request};
use crate::model::plain::neutralise as one_line;
use crate::model::RecordCode;

use super::placement::placement_table;
use super::proposal::proposal_table;
use super::session::{print_json, unexpected, CliResult, Failure, Session};
use crate::i18n::catalogue;
use crate::model::RecordKind;

catalogue!(
    /// What the history command says.
    HistoryWords {
        AProposalSSteps => "i passaggi di una proposta sono in", "a proposal's steps are in";
        APlacementSHistory => "la storia di un affido è in", "a placement's history is in";
        TheCodeOfA => "codice di una famiglia (F-2026-0001), di una richiesta (R-2026-0001) o di un servizio (S-001)",
            "the code of a family (F-2026-0001), a need (R-2026-0001) or a service (S-001)";
        HistoryOf => "Storia di", "History of";
        Placements => "Affidi", "Placements";
        None => "nessuno", "none";
        Proposals => "Proposte", "Proposals";
        NoneFeminine => "nessuna", "none";
    }
);

pub fn run(s: &Session, code: &str) -> CliResult {
    let (mut proposals, mut placements) = (ProposalFilter::default(), PlacementFilter::default());
    let what = match RecordCode::parse(code) {
        Some(RecordCode::Family(f)) => {
            proposals.family = Some(f);
            placements.family = Some(f);
            (f.to_string(), RecordKind::Family.name(s.lang))
        }
        Some(RecordCode::Need(n)) => {
            proposals.need = Some(n);
            placements.need = Some(n);
            (n.to_string(), RecordKind::Need.name(s.lang))
        }
        Some(RecordCode::Service(c)) => {
            proposals.service = Some(c);
            placements.service = Some(c);
            (c.to_string(), RecordKind::Service.name(s.lang))
        }
        Some(RecordCode::Proposal(p)) => {
            return Err(Failure::User(format!(
                "{p}: {} `banca proposal show {p}`",
                HistoryWords::AProposalSSteps.get(s.lang)
            )))
        }
        Some(RecordCode::Placement(a)) => {
            return Err(Failure::User(format!(
                "{a}: {} `banca placement show {a}`",
                HistoryWords::APlacementSHistory.get(s.lang)
            )))
        }
        Some(RecordCode::Event(e)) => {
            return Err(Failure::User(format!("{e}: `banca event show {e}`")));
        }
        None => return Err(Failure::User(format!("«{code}»: {}", HistoryWords::TheCodeOfA.get(s.lang)))),
    };
    // One record's history, whole: its counts come first. Gathered page by
    // page; a service's is the longest, a few thousand rows.
    let mut list = Vec::new();
    s.pages(Request::ProposalList { filter: proposals }, |reply| match reply {
        Reply::Proposals(p) => Ok({
            list.extend(p);
            true
        }),
        other => Err(unexpected(other)),
    })?;
    let proposals = list;
    let mut list = Vec::new();
    s.pages(Request::PlacementList { filter: placements }, |reply| match reply {
        Reply::Placements(p) => Ok({
            list.extend(p);
            true
        }),
        other => Err(unexpected(other)),
    })?;
    let placements = list;
    if s.json {
        return print_json(&serde_json::json!({ "proposals": proposals, "placements": placements }));
    }
    outln!("{} {} ({})", HistoryWords::HistoryOf.get(s.lang), what.0, one_line(what.1));
    outln!("\n{} ({})", HistoryWords::Placements.get(s.lang), placements.len());
    if placements.is_empty() {
        outln!("  {}", HistoryWords::None.get(s.lang));
    } else {
        super::print::print(&placement_table(&placements, s.lang));
    }
    outln!("\n{} ({})", HistoryWords::Proposals.get(s.lang), proposals.len());
    if proposals.is_empty() {
        outln!("  {}", HistoryWords::NoneFeminine.get(s.lang));
    } else {
        super::print::print(&proposal_table(&proposals, s.lang));
    }
    Ok(())
}
