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
use crate::i18n::catalogue;

catalogue!(
    /// What `banca doctor` reports.
    DoctorWords {
        Repairable => "banca doctor: problemi riparabili: `banca doctor --repair` (amministratore).",
            "banca doctor: repairable problems: `banca doctor --repair` (administrator).";
        NeedsAdministrator => "banca doctor: serve un amministratore: record in quarantena o registro alterato.",
            "banca doctor: an administrator is needed: records in quarantine or audit log altered.";
        BankCheckAndRepair => "Controllo e riparazione della banca", "Bank check and repair";
        BankCheckNothingChanged => "Controllo della banca (nessuna modifica)", "Bank check (nothing changed)";
        Records => "Record", "Records";
        Examined => "esaminati", "examined";
        Damaged => "danneggiati", "damaged";
        Quarantined => " — messo in quarantena", " — quarantined";
        Indexes => "Indici", "Indexes";
        EntriesExamined => "voci esaminate", "entries examined";
        Missing => "mancanti", "missing";
        Stale => "superflue", "stale";
        Repaired => "riparate", "repaired";
        MissingOne => "manca", "missing";
        StaleOne => "superflua", "stale";
        Counters => "Contatori", "Counters";
        SeriesExamined => "serie esaminate", "series examined";
        Behind => "indietro", "behind";
        Raised => "rialzati", "raised";
        Counter => "contatore", "counter";
        HighestCodeInUse => "codice più alto in uso", "highest code in use";
        AuditLog => "Registro", "Audit log";
        EntriesIntact => "voci, integro", "entries, intact";
        Altered => "ALTERATO", "ALTERED";
        NeverRepaired => "(non si ripara: è una prova)", "(never repaired: it is evidence)";
        Quarantine => "Quarantena", "Quarantine";
        RecordsWord => "record", "records";
        Since => "dal", "since";
        By => "da", "by";
        Bytes => "byte", "bytes";
        QuarantineFromBackup => "  I record in quarantena non si ricostruiscono dal registro (che ne conserva solo i nomi dei campi \
                 cambiati): si recuperano dall'ultimo backup; `banca doctor --export-quarantine FILE` li scrive per \
                 esaminarli.", "  Quarantined records cannot be rebuilt from the audit log (it keeps only the names of changed \
                 fields): recover them from the last backup; `banca doctor --export-quarantine FILE` writes them \
                 out for inspection.";
        Wrote => "Scritti", "Wrote";
        QuarantinedRecordsTo => "record in quarantena in", "quarantined records to";
        Families => "famiglie", "families";
        Needs => "richieste", "needs";
        Services => "servizi", "services";
        Operators => "operatori", "operators";
        Ambits => "ambiti", "ambits";
        Proposals => "abbinamenti", "proposals";
        Placements => "affidi", "placements";
        TheFileMayHold => "Il file può contenere dati personali: leggibile solo da te; cancellalo dopo l'esame.",
            "The file may hold personal data: readable by you only; delete it once inspected.";
    }
);

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
        Err(Failure::Findings { code: EXIT_REPAIRABLE, message: DoctorWords::Repairable.get(lang).into() })
    } else if r.needs_attention() {
        Err(Failure::Findings { code: EXIT_ATTENTION, message: DoctorWords::NeedsAdministrator.get(lang).into() })
    } else {
        Ok(())
    }
}

/// The report as an administrator reads it: one section per check.
pub fn render(r: &DoctorReport, lang: Lang) -> String {
    let t = |w: DoctorWords| w.get(lang);
    let mut out = Vec::new();
    out.push(if r.repair {
        t(DoctorWords::BankCheckAndRepair).to_string()
    } else {
        t(DoctorWords::BankCheckNothingChanged).to_string()
    });

    let rec = &r.records;
    out.push(format!(
        "  {:<12} {} {}, {} {}",
        t(DoctorWords::Records),
        rec.examined,
        t(DoctorWords::Examined),
        rec.damaged.len(),
        t(DoctorWords::Damaged)
    ));
    for d in &rec.damaged {
        let done = if d.quarantined { t(DoctorWords::Quarantined) } else { "" };
        out.push(format!("      {} ({}): {}{done}", d.record, tree_label(&d.tree, lang), d.reason));
    }

    let idx = &r.indexes;
    let mut line = format!(
        "  {:<12} {} {}, {} {}, {} {}",
        t(DoctorWords::Indexes),
        idx.examined,
        t(DoctorWords::EntriesExamined),
        idx.missing,
        t(DoctorWords::Missing),
        idx.stale,
        t(DoctorWords::Stale)
    );
    if idx.repaired > 0 {
        line.push_str(&format!(" — {} {}", idx.repaired, t(DoctorWords::Repaired)));
    }
    out.push(line);
    for f in &idx.examples {
        let what = if f.missing { t(DoctorWords::MissingOne) } else { t(DoctorWords::StaleOne) };
        out.push(format!("      {} {} «{}»: {what}", f.index, f.record, f.value));
    }
    let shown = idx.examples.len() as u64;
    if idx.missing + idx.stale > shown {
        out.push(format!("      … (+{})", idx.missing + idx.stale - shown));
    }

    let c = &r.counters;
    let mut line = format!(
        "  {:<12} {} {}, {} {}",
        t(DoctorWords::Counters),
        c.examined,
        t(DoctorWords::SeriesExamined),
        c.behind.len(),
        t(DoctorWords::Behind)
    );
    if c.repaired > 0 {
        line.push_str(&format!(" — {} {}", c.repaired, t(DoctorWords::Raised)));
    }
    out.push(line);
    for b in &c.behind {
        out.push(format!(
            "      {}: {} {}, {} {}",
            b.series,
            t(DoctorWords::Counter),
            b.counter,
            t(DoctorWords::HighestCodeInUse),
            b.highest
        ));
    }

    let a = &r.audit;
    out.push(match &a.broken {
        None => format!("  {:<12} {} {}", t(DoctorWords::AuditLog), a.entries, t(DoctorWords::EntriesIntact)),
        Some(b) => format!(
            "  {:<12} {} {}: {}",
            t(DoctorWords::AuditLog),
            t(DoctorWords::Altered),
            t(DoctorWords::NeverRepaired),
            chain_break_text(b, lang)
        ),
    });

    out.push(format!("  {:<12} {} {}", t(DoctorWords::Quarantine), r.quarantine.len(), t(DoctorWords::RecordsWord)));
    for q in &r.quarantine {
        out.push(format!(
            "      {} ({}) {} {} {} {}, {} {}: {}",
            q.record,
            tree_label(&q.tree, lang),
            t(DoctorWords::Since),
            format_timestamp(q.found_at),
            t(DoctorWords::By),
            q.found_by,
            q.size,
            t(DoctorWords::Bytes),
            q.reason
        ));
    }
    if !r.quarantine.is_empty() {
        out.push(t(DoctorWords::QuarantineFromBackup).to_string());
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}

/// A tree's name as an administrator reads it.
pub fn tree_label(tree: &str, lang: Lang) -> String {
    let words = match tree {
        "families" => DoctorWords::Families,
        "needs" => DoctorWords::Needs,
        "services" => DoctorWords::Services,
        "operators" => DoctorWords::Operators,
        "ambits" => DoctorWords::Ambits,
        "proposals" => DoctorWords::Proposals,
        "placements" => DoctorWords::Placements,
        other => return other.to_string(),
    };
    words.get(lang).to_string()
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
        DoctorWords::Wrote.get(s.lang),
        records.len(),
        DoctorWords::QuarantinedRecordsTo.get(s.lang),
        file.display()
    );
    outln!("{}", DoctorWords::TheFileMayHold.get(s.lang));
    Ok(())
}
