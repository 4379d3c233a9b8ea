//! `banca match`: the candidate families for a need, or the open needs a
//! family could take, best first, each with the lines that explain its score.

use crate::model::plain::neutralise as one_line;
use clap::Args;

use crate::api::{Contact, FamilyRanking, FamilyView, NeedRanking, NeedView, Reply, Request, Verdict};
use crate::api::{Criterion, CriterionKind, Fact, HardRule};
use crate::i18n::{comune_label, describe_criterion, describe_exclusion, describe_fact, hard_rule_label, Lang};
use crate::model::age::describe_age;
use crate::model::dates::format_date;
use crate::model::*;

use super::parse::{need_code, FlagErrors};
use super::session::{print_json, unexpected, CliResult, Session};
use super::table::{flow, flow_hanging, hanging, Block, WIDTH};

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
}

pub fn run(s: &Session, args: MatchArgs) -> CliResult {
    match (&args.need, &args.family) {
        (Some(need), _) => match_need(s, need, args.limit, args.why_not.as_deref()),
        (None, Some(family)) => match_family(s, family, args.limit),
        // clap requires one of the two.
        (None, None) => Ok(()),
    }
}

fn match_need(s: &Session, need: &str, limit: usize, why_not: Option<&str>) -> CliResult {
    let need = need_code(need, s.lang)?;
    let mut errs = FlagErrors::new(s.lang);
    let why_not = why_not.and_then(|f| errs.family_code("why-not", f));
    errs.finish()?;
    let ranking = match s.call(Request::MatchNeed { need, limit, why_not })? {
        Reply::NeedMatches(r) => r,
        other => return Err(unexpected(other)),
    };
    if s.json {
        return print_json(&ranking);
    }
    out!("{}", render_need_ranking(&ranking, s.lang));
    Ok(())
}

fn match_family(s: &Session, family: &str, limit: usize) -> CliResult {
    let mut errs = FlagErrors::new(s.lang);
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
    out!("{}", render_family_ranking(&ranking, s.lang));
    Ok(())
}

pub fn render_need_ranking(r: &NeedRanking, lang: Lang) -> String {
    let t = |it, en| lang.pick(it, en);
    let mut out = need_header(&r.need, lang);
    let mut b = Block::default();
    b.add(t("Servizio", "Service"), contact_line(&r.need.contact));
    b.add(t("Referente", "Referent"), referent(&r.need.contact));
    if r.group.len() > 1 {
        let codes: Vec<String> = r.group.iter().map(|c| c.to_string()).collect();
        b.add(
            t("Fratelli", "Siblings"),
            format!("{} ({})", codes.join(", "), t("da collocare insieme", "to be placed together")),
        );
    }
    let p = &r.need.placement;
    if let Urgency::Emergency { needed_by } = p.urgency {
        b.add(
            t("Urgenza", "Urgency"),
            format!("{} {}", t("pronto intervento entro il", "emergency by"), format_date(needed_by)),
        );
    }
    if !p.special_needs.is_empty() {
        let labels: Vec<&str> = p.special_needs.iter().map(|n| n.label(lang)).collect();
        b.add(t("Bisogni speciali", "Special needs"), labels.join(", "));
    }
    if p.status != NeedStatus::Open {
        b.add(t("Stato", "Status"), p.status.label(lang));
    }
    out.push_str(&b.render_wrapped(0, WIDTH));
    out.push('\n');

    if r.candidates.is_empty() {
        out.push_str(t("Nessuna famiglia candidata.\n\n", "No candidate families.\n\n"));
    }
    for c in &r.candidates {
        let f = &c.family;
        let mut head =
            vec![format!("{:>2}. {}  {}/100", c.rank, f.code, c.score), comune_label(&f.profile.comune.to_string())];
        head.extend(distance(&c.criteria, lang));
        head.push(places(c.free_places, lang));
        out.push_str(&flow_hanging(&head, 0, 4, WIDTH));
        out.push_str(&contact_lines(&f.contact, lang));
        if f.stale {
            out.push_str(&format!("    ⚠ {}\n", stale_text(f, lang)));
        }
        if let Some((code, status)) = c.proposed {
            out.push_str(&format!(
                "    ▸ {} {code} ({})\n",
                t("Già proposta:", "Already proposed:"),
                status.label(lang)
            ));
        }
        out.push_str(&criteria_lines(&c.criteria, lang));
        out.push('\n');
    }
    out.push_str(&summary(r.considered, r.candidates_total, r.candidates.len(), &r.excluded, Side::Families, lang));
    if let Some(v) = &r.why_not {
        out.push('\n');
        out.push_str(&render_verdict(v, r.candidates_total, lang));
    }
    out
}

fn need_header(n: &NeedView, lang: Lang) -> String {
    let p = &n.placement;
    flow(
        &[
            n.code.to_string(),
            format!("{}, {}", describe_age(n.age_months, lang), p.sex.label(lang)),
            comune_label(&p.comune.to_string()),
            p.kind.label(lang).to_string(),
        ],
        0,
        WIDTH,
    )
}

pub(crate) fn render_verdict(v: &Verdict, total: u32, lang: Lang) -> String {
    let it = lang == Lang::It;
    let mut out = String::new();
    match (v.rank, v.score) {
        (Some(rank), Some(score)) => {
            out.push_str(&if it {
                format!("{} è candidata: {rank}ª su {total}, punteggio {score}/100.\n", v.family)
            } else {
                format!("{} is a candidate: number {rank} of {total}, score {score}/100.\n", v.family)
            });
            out.push_str(&criteria_lines(&v.criteria, lang));
        }
        _ if v.exclusions.is_empty() => {
            out.push_str(&if it {
                format!("{}: non valutata dall'abbinamento.\n", v.family)
            } else {
                format!("{}: not assessed by matching.\n", v.family)
            });
        }
        _ => {
            out.push_str(&if it {
                format!("{} non è candidata:\n", v.family)
            } else {
                format!("{} is not a candidate:\n", v.family)
            });
            for e in &v.exclusions {
                out.push_str(&hanging(&format!("  - {}", describe_exclusion(e, lang)), 4, WIDTH));
            }
        }
    }
    out
}

pub fn render_family_ranking(r: &FamilyRanking, lang: Lang) -> String {
    let t = |it, en| lang.pick(it, en);
    let f = &r.family;
    let p = &f.profile;
    let mut out = flow(
        &[
            f.code.to_string(),
            p.status.label(lang).to_string(),
            comune_label(&p.comune.to_string()),
            p.ages.describe(lang),
            places(r.free_places, lang),
        ],
        0,
        WIDTH,
    );
    let mut b = Block::default();
    b.add(t("Servizio", "Service"), contact_line(&f.contact));
    let kinds: Vec<&str> = p.kinds.iter().map(|k| k.label(lang)).collect();
    b.add(t("Tipi di affido", "Kinds"), kinds.join(", "));
    if f.stale {
        b.add("⚠", stale_text(f, lang));
    }
    out.push_str(&b.render_wrapped(0, WIDTH));
    out.push('\n');

    if r.needs.is_empty() {
        out.push_str(t("Nessuna richiesta aperta compatibile.\n\n", "No open need fits.\n\n"));
    }
    for c in &r.needs {
        let n = &c.need;
        let np = &n.placement;
        let mut head = vec![
            format!("{:>2}. {}  {}/100", c.rank, n.code, c.score),
            format!("{}, {}", describe_age(n.age_months, lang), np.sex.label(lang)),
            comune_label(&np.comune.to_string()),
        ];
        head.extend(distance(&c.criteria, lang));
        head.push(np.kind.label(lang).to_string());
        if let Urgency::Emergency { needed_by } = np.urgency {
            head.push(format!("{} {}", t("pronto intervento entro il", "emergency by"), format_date(needed_by)));
        }
        out.push_str(&flow_hanging(&head, 0, 4, WIDTH));
        if c.group.len() > 1 {
            let codes: Vec<String> = c.group.iter().map(|c| c.to_string()).collect();
            out.push_str(&format!(
                "    {} {}\n",
                t("Fratelli da collocare insieme:", "Siblings placed together:"),
                codes.join(", ")
            ));
        }
        out.push_str(&contact_lines(&n.contact, lang));
        out.push_str(&criteria_lines(&c.criteria, lang));
        out.push('\n');
    }
    out.push_str(&summary(r.considered, r.candidates_total, r.needs.len(), &r.excluded, Side::Needs, lang));
    out
}

#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Side {
    Families,
    Needs,
}

/// How many were looked at, how many fit, and why the others did not.
pub(crate) fn summary(
    considered: u32,
    total: u32,
    shown: usize,
    excluded: &[(HardRule, u32)],
    side: Side,
    lang: Lang,
) -> String {
    let it = lang == Lang::It;
    let mut out = match (side, it) {
        (Side::Families, true) => format!("Famiglie esaminate: {considered} · candidate: {total}"),
        (Side::Families, false) => format!("Families considered: {considered} · candidates: {total}"),
        (Side::Needs, true) => format!("Richieste aperte esaminate: {considered} · compatibili: {total}"),
        (Side::Needs, false) => format!("Open needs considered: {considered} · fitting: {total}"),
    };
    out.push('\n');
    if (shown as u32) < total {
        out.push_str(&match (side, it) {
            (_, true) if shown == 1 => "Mostrata solo la prima: --limit N per vederne di più.\n".to_string(),
            (_, true) => format!("Mostrate le prime {shown}: --limit N per vederne di più.\n"),
            (_, false) if shown == 1 => "Only the first is shown: --limit N for more.\n".to_string(),
            (_, false) => format!("The first {shown} are shown: --limit N for more.\n"),
        });
    }
    let excluded: Vec<&(HardRule, u32)> = excluded.iter().filter(|(_, n)| *n > 0).collect();
    if !excluded.is_empty() {
        let head = match (side, it) {
            (Side::Families, true) => "Escluse, per la prima regola non rispettata:",
            (Side::Families, false) => "Excluded, by the first rule failed:",
            (Side::Needs, true) => "Non compatibili, per la prima regola non rispettata:",
            (Side::Needs, false) => "Not fitting, by the first rule failed:",
        };
        out.push_str(head);
        out.push('\n');
        let width = excluded.iter().map(|(r, _)| hard_rule_label(*r, lang).chars().count()).max().unwrap_or(0);
        let digits = excluded.iter().map(|(_, n)| n.to_string().len()).max().unwrap_or(1);
        for (rule, n) in excluded {
            out.push_str(&format!("  {:<width$}  {n:>digits$}\n", hard_rule_label(*rule, lang)));
        }
    }
    if side == Side::Families && total == 0 {
        out.push_str(lang.pick(
            "Per una famiglia precisa: --why-not F-… spiega ogni regola che non rispetta.\n",
            "For one family: --why-not F-… explains every rule it fails.\n",
        ));
    }
    out
}

/// The explanation lines, indented under their candidate.
pub(crate) fn criteria_lines(criteria: &[Criterion], lang: Lang) -> String {
    // "    + 10/15 " stays; a long explanation continues under its text.
    criteria.iter().map(|c| hanging(&format!("    {}", describe_criterion(c, lang)), 12, WIDTH)).collect()
}

/// "3,1 km" from the distance criterion, when there is one.
pub(crate) fn distance(criteria: &[Criterion], lang: Lang) -> Option<String> {
    let c = criteria.iter().find(|c| c.kind == CriterionKind::Distance)?;
    match &c.fact {
        f @ Fact::Km { .. } => Some(describe_fact(f, lang)),
        _ => Some(lang.pick("distanza sconosciuta", "distance unknown").to_string()),
    }
}

pub(crate) fn places(free: u8, lang: Lang) -> String {
    match (free, lang) {
        (1, Lang::It) => "1 posto libero".into(),
        (n, Lang::It) => format!("{n} posti liberi"),
        (1, Lang::En) => "1 free place".into(),
        (n, Lang::En) => format!("{n} free places"),
    }
}

pub(crate) fn stale_text(f: &FamilyView, lang: Lang) -> String {
    match f.profile.confirmed_on {
        Some(d) => format!(
            "{} {}",
            lang.pick("DA RICONFERMARE: disponibilità non confermata dal", "STALE: availability not confirmed since"),
            format_date(d)
        ),
        None => {
            lang.pick("DA RICONFERMARE: disponibilità mai confermata", "STALE: availability never confirmed").into()
        }
    }
}

fn referent(c: &Contact) -> String {
    if c.referent_name.is_empty() {
        c.referent.clone()
    } else {
        format!("{} ({})", one_line(&c.referent_name), c.referent)
    }
}

/// "S-001 Servizio Affidi Ambito di Dalmine".
pub(crate) fn contact_line(c: &Contact) -> String {
    format!("{} {}", c.service, one_line(&c.service_name)).trim().to_string()
}

/// Whom to call: the service on one line, the referent and the service's
/// phone on the next.
fn contact_lines(c: &Contact, lang: Lang) -> String {
    let phone = if c.phone.is_empty() { String::new() } else { format!("{} {}", lang.pick("tel.", "phone"), c.phone) };
    let mut out = flow(&[contact_line(c)], 4, WIDTH);
    out.push_str(&flow(&[format!("{} {}", lang.pick("referente", "referent"), referent(c)), phone], 4, WIDTH));
    out
}
