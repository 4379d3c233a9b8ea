//! `banca doctor`: the whole bank checked, check by check, with counts;
//! `--repair` mends what can be mended; `--export-quarantine FILE` writes
//! the quarantined records for an administrator to inspect.
//!
//! Exit codes (besides the usual 1–4): 0 every check passed and the
//! quarantine is empty; 5 findings that `--repair` mends are still there;
//! 6 what needs an administrator — records in quarantine, or a broken
//! audit chain.

use std::path::PathBuf;

use clap::Args;

use crate::api::{DoctorReport, Reply, Request};
use crate::i18n::{chain_break_text, format_timestamp, Lang};

use super::admin::write_private_atomically;
use super::session::{print_json, unexpected, CliResult, Failure, Session};

/// Findings `--repair` mends are still there.
pub const EXIT_REPAIRABLE: u8 = 5;
/// Records in quarantine or a broken audit chain: an administrator's turn.
pub const EXIT_ATTENTION: u8 = 6;

#[derive(Args, Debug)]
pub struct DoctorArgs {
    /// Ripara: ricostruisce indici e contatori, mette in quarantena i record che non si leggono
    #[arg(long, conflicts_with = "export_quarantine")]
    repair: bool,
    /// Scrive i record in quarantena (byte grezzi in esadecimale) in FILE, leggibile solo dal proprietario
    #[arg(long, value_name = "FILE")]
    export_quarantine: Option<PathBuf>,
}

pub fn run(s: &Session, args: DoctorArgs) -> CliResult {
    if let Some(file) = args.export_quarantine {
        return export_quarantine(s, &file);
    }
    let report = match s.call(Request::Doctor { repair: args.repair })? {
        Reply::Doctor(r) => r,
        other => return Err(unexpected(other)),
    };
    if s.json {
        print_json(&report)?;
    } else {
        out!("{}", render(&report, s.lang));
    }
    verdict(&report, s.lang)
}

/// The exit code the report calls for, with its one-line reason.
fn verdict(r: &DoctorReport, lang: Lang) -> CliResult {
    if r.repairable() {
        Err(Failure::Findings {
            code: EXIT_REPAIRABLE,
            message: lang
                .pick(
                    "banca doctor: problemi riparabili: `banca doctor --repair` (amministratore).",
                    "banca doctor: repairable problems: `banca doctor --repair` (administrator).",
                )
                .into(),
        })
    } else if r.needs_attention() {
        Err(Failure::Findings {
            code: EXIT_ATTENTION,
            message: lang
                .pick(
                    "banca doctor: serve un amministratore: record in quarantena o registro alterato.",
                    "banca doctor: an administrator is needed: records in quarantine or audit log altered.",
                )
                .into(),
        })
    } else {
        Ok(())
    }
}

/// The report as an administrator reads it: one section per check.
pub fn render(r: &DoctorReport, lang: Lang) -> String {
    let t = |it: &'static str, en: &'static str| lang.pick(it, en);
    let mut out = Vec::new();
    out.push(if r.repair {
        t("Controllo e riparazione della banca", "Bank check and repair").to_string()
    } else {
        t("Controllo della banca (nessuna modifica)", "Bank check (nothing changed)").to_string()
    });

    let rec = &r.records;
    out.push(format!(
        "  {:<12} {} {}, {} {}",
        t("Record", "Records"),
        rec.examined,
        t("esaminati", "examined"),
        rec.damaged.len(),
        t("danneggiati", "damaged")
    ));
    for d in &rec.damaged {
        let done = if d.quarantined { t(" — messo in quarantena", " — quarantined") } else { "" };
        out.push(format!("      {} ({}): {}{done}", d.record, tree_label(&d.tree, lang), d.reason));
    }

    let idx = &r.indexes;
    let mut line = format!(
        "  {:<12} {} {}, {} {}, {} {}",
        t("Indici", "Indexes"),
        idx.examined,
        t("voci esaminate", "entries examined"),
        idx.missing,
        t("mancanti", "missing"),
        idx.stale,
        t("superflue", "stale")
    );
    if idx.repaired > 0 {
        line.push_str(&format!(" — {} {}", idx.repaired, t("riparate", "repaired")));
    }
    out.push(line);
    for f in &idx.examples {
        let what = if f.missing { t("manca", "missing") } else { t("superflua", "stale") };
        out.push(format!("      {} {} «{}»: {what}", f.index, f.record, f.value));
    }
    let shown = idx.examples.len() as u64;
    if idx.missing + idx.stale > shown {
        out.push(format!("      … (+{})", idx.missing + idx.stale - shown));
    }

    let c = &r.counters;
    let mut line = format!(
        "  {:<12} {} {}, {} {}",
        t("Contatori", "Counters"),
        c.examined,
        t("serie esaminate", "series examined"),
        c.behind.len(),
        t("indietro", "behind")
    );
    if c.repaired > 0 {
        line.push_str(&format!(" — {} {}", c.repaired, t("rialzati", "raised")));
    }
    out.push(line);
    for b in &c.behind {
        out.push(format!(
            "      {}: {} {}, {} {}",
            b.series,
            t("contatore", "counter"),
            b.counter,
            t("codice più alto in uso", "highest code in use"),
            b.highest
        ));
    }

    let a = &r.audit;
    out.push(match &a.broken {
        None => format!("  {:<12} {} {}", t("Registro", "Audit log"), a.entries, t("voci, integro", "entries, intact")),
        Some(b) => format!(
            "  {:<12} {} {}: {}",
            t("Registro", "Audit log"),
            t("ALTERATO", "ALTERED"),
            t("(non si ripara: è una prova)", "(never repaired: it is evidence)"),
            chain_break_text(b, lang)
        ),
    });

    out.push(format!("  {:<12} {} {}", t("Quarantena", "Quarantine"), r.quarantine.len(), t("record", "records")));
    for q in &r.quarantine {
        out.push(format!(
            "      {} ({}) {} {} {} {}, {} {}: {}",
            q.record,
            tree_label(&q.tree, lang),
            t("dal", "since"),
            format_timestamp(q.found_at),
            t("da", "by"),
            q.found_by,
            q.size,
            t("byte", "bytes"),
            q.reason
        ));
    }
    if !r.quarantine.is_empty() {
        out.push(
            t(
                "  I record in quarantena non si ricostruiscono dal registro (che ne conserva solo i nomi dei campi \
                 cambiati): si recuperano dall'ultimo backup; `banca doctor --export-quarantine FILE` li scrive per \
                 esaminarli.",
                "  Quarantined records cannot be rebuilt from the audit log (it keeps only the names of changed \
                 fields): recover them from the last backup; `banca doctor --export-quarantine FILE` writes them \
                 out for inspection.",
            )
            .to_string(),
        );
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}

/// A tree's name as an administrator reads it.
pub fn tree_label(tree: &str, lang: Lang) -> String {
    let (it, en) = match tree {
        "families" => ("famiglie", "families"),
        "needs" => ("richieste", "needs"),
        "services" => ("servizi", "services"),
        "operators" => ("operatori", "operators"),
        "ambits" => ("ambiti", "ambits"),
        "proposals" => ("abbinamenti", "proposals"),
        "placements" => ("affidi", "placements"),
        other => return other.to_string(),
    };
    lang.pick(it, en).to_string()
}

/// Writes every quarantined record, one JSON object a line, owner-only.
fn export_quarantine(s: &Session, file: &std::path::Path) -> CliResult {
    let records = match s.call(Request::QuarantineExport)? {
        Reply::Quarantine(r) => r,
        other => return Err(unexpected(other)),
    };
    // One flat object a line: tree, key, record, reason, found_at, found_by, size, raw_hex.
    let line = |r: &crate::api::QuarantinedRaw| -> serde_json::Result<String> {
        let mut v = serde_json::to_value(&r.record)?;
        v["raw_hex"] = serde_json::Value::String(r.raw_hex.clone());
        Ok(crate::model::plain::inert_json(&serde_json::to_string(&v)?).into_owned())
    };
    let lines =
        records.iter().map(line).collect::<Result<Vec<_>, _>>().map_err(|e| Failure::Internal(e.to_string()))?;
    write_private_atomically(file, &lines).map_err(|e| Failure::User(format!("{}: {e}", file.display())))?;
    if s.json {
        return print_json(&serde_json::json!({ "file": file, "records": records.len() }));
    }
    outln!(
        "{} {} {} {}",
        s.t("Scritti", "Wrote"),
        records.len(),
        s.t("record in quarantena in", "quarantined records to"),
        file.display()
    );
    outln!(
        "{}",
        s.t(
            "Il file può contenere dati personali: leggibile solo da te; cancellalo dopo l'esame.",
            "The file may hold personal data: readable by you only; delete it once inspected."
        )
    );
    Ok(())
}
