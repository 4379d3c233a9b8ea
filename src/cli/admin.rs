//! Bank-wide commands: init, demo, whoami, info, comune lookup, export,
//! import, audit.

use crate::model::plain::neutralise as one_line;
use std::io::Write;
use std::path::Path;

use clap::Args;

use crate::api::{HashSegment, HashVersion};
use crate::api::{Reply, Request, RestoreFailure};
use crate::i18n::{chain_break_text, format_timestamp};
use crate::model::comune::distance_km;

use super::parse::FlagErrors;
use super::session::{print_json, unexpected, CliResult, Failure, Session, Settings};
use super::table::Block;
use crate::i18n::catalogue;

catalogue!(
    /// What the administrator's commands say (init, operators, services, ambits, export, import, backup, restore, audit, demo).
    AdminWords {
        AppearedMeanwhile => "{path} è stata creata da altri mentre l'importazione era in corso: nulla è stato importato.",
            "{path} was created by someone else while the import ran: nothing was imported.";
        NoDemo => "banca demo: questa versione di banca non contiene il generatore di banche dimostrative (è compilata senza la funzione `demo`, come in produzione).",
            "banca demo: this build of banca has no demo bank generator (it was built without the `demo` feature, as for production).";
        Entry => "voce", "entry";
        Entries => "voci", "entries";
        OverTheBincodeCodec => "sui byte della codifica bincode", "over the bincode codec's bytes";
        OverTheCanonicalEncoding => "sulla codifica canonica", "over the canonical encoding";
        Version => "versione", "version";
        Families => "famiglie", "families";
        Needs => "richieste", "needs";
        Proposals => "abbinamenti", "proposals";
        Placements => "affidi", "placements";
        Services => "servizi", "services";
        Operators => "operatori", "operators";
        AuditEntries => "voci di registro", "audit entries";
        Events => "incontri", "events";
        NoServerRunning => "Nessun server in esecuzione.", "No server running.";
        ServerStopped => "Server fermato.", "Server stopped.";
        OnlyWhoeverStartedThe => "Solo chi ha avviato il server o un amministratore può fermarlo.",
            "Only whoever started the server or an administrator may stop it.";
        Comune => "Comune", "Comune";
        Region => "Regione", "Region";
        Population => "Abitanti", "Population";
        Coordinates => "Coordinate", "Coordinates";
        Unknown => "non note", "unknown";
        From => "da", "from";
        UnknownMissingCoordinates => "sconosciuta: coordinate mancanti", "unknown: missing coordinates";
        Distance => "Distanza", "Distance";
        IsAFolderNot => "è una cartella, non un file di esportazione", "is a folder, not an export file";
        ImportedInto => "Importato in", "Imported into";
        ImportFailedNothingWas => "Importazione non riuscita, nulla è stato scritto:",
            "Import failed, nothing was written:";
        BankCreatedAt => "Banca creata in", "Bank created at";
        Administrator => "Amministratore:", "Administrator:";
        AmbitoDiDalmineLoaded => "Ambito di Dalmine caricato. Prossimo passo: `banca service add --name ...`",
            "Ambito di Dalmine loaded. Next: `banca service add --name ...`";
        DemoBankCreatedAt => "Banca dimostrativa creata in", "Demo bank created at";
        SyntheticDataNoReal => "Dati sintetici: nessuna persona reale. Sei amministratore come",
            "Synthetic data: no real person. You are administrator as";
        TryBancaFamilyList => "— prova `banca family list --status idonea`.",
            "— try `banca family list --status idonea`.";
        Bank => "Banca", "Bank";
        Ambits => "Ambiti", "Ambits";
        ServicesHead => "Servizi", "Services";
        OperatorsHead => "Operatori", "Operators";
        FamiliesHead => "Famiglie", "Families";
        NeedsHead => "Richieste", "Needs";
        ProposalsHead => "Abbinamenti", "Proposals";
        PlacementsHead => "Affidi", "Placements";
        AuditEntriesHead => "Voci di registro", "Audit entries";
        SizeOnDisk => "Spazio su disco", "Size on disk";
        Imported => "Importata", "Imported";
        By => "da", "by";
        Exported => "Esportate", "Exported";
        LinesTo => "righe in", "lines to";
        TheFileHoldsChildren => "Il file contiene dati personali di minori: conservarlo cifrato e con accesso riservato.",
            "The file holds children's personal data: keep it encrypted and access-restricted.";
        QuarantinedRecordsExportedAs => "record in quarantena esportati come tali (non si leggono; `banca doctor`)",
            "quarantined records exported as such (they do not read; `banca doctor`)";
        AuditLogIntact => "Registro integro:", "Audit log intact:";
        EntriesVerified => "voci verificate.", "entries verified.";
        Hashes => "Impronte:", "Hashes:";
        AuditLogAltered => "REGISTRO ALTERATO:", "AUDIT LOG ALTERED:";
    }
);

#[derive(Args, Debug)]
// Without the `demo` feature the options are parsed only to be refused.
#[cfg_attr(not(feature = "demo"), allow(dead_code))]
pub struct DemoArgs {
    /// Quante famiglie generare
    #[arg(long, default_value_t = 300)]
    pub(super) families: usize,
    /// Quante richieste generare
    #[arg(long, default_value_t = 80)]
    pub(super) needs: usize,
    /// Seme: lo stesso seme dà la stessa banca
    #[arg(long, default_value_t = 1)]
    pub(super) seed: u64,
}

#[derive(Args, Debug)]
pub struct ComuneArgs {
    /// Nome (anche senza accenti) o codice ISTAT; "Nome (PR)" se il nome è ambiguo
    pub(super) query: String,
    /// Un secondo comune: stampa la distanza in linea d'aria
    #[arg(long)]
    pub(super) to: Option<String>,
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// Nome utente Unix del primo amministratore (default: chi esegue il comando)
    #[arg(long, value_name = "UTENTE")]
    admin: Option<String>,
}

#[derive(Args, Debug)]
pub struct AuditArgs {
    /// Verifica l'integrità dell'intero registro
    #[arg(long)]
    verify: bool,
    /// Solo le voci di un record (codice)
    #[arg(long)]
    record: Option<String>,
    /// Quante voci mostrare (le più recenti)
    #[arg(long, default_value_t = 50, allow_negative_numbers = true, value_parser = crate::cli::parse::at_least_one)]
    limit: usize,
}

pub fn init(settings: &Settings, args: InitArgs) -> CliResult {
    let s = Session::open(settings, true)?;
    let admin = match s.call(Request::Init { admin: args.admin })? {
        Reply::Saved(saved) => saved.code,
        other => return Err(unexpected(other)),
    };
    if s.json {
        return print_json(&serde_json::json!({ "bank": settings.db, "admin": admin }));
    }
    outln!(
        "{} {}\n{} {}",
        AdminWords::BankCreatedAt.get(s.lang),
        settings.db.display(),
        AdminWords::Administrator.get(s.lang),
        admin
    );
    outln!("{}", AdminWords::AmbitoDiDalmineLoaded.get(s.lang));
    Ok(())
}

/// `banca demo` in a build without the generator (`--no-default-features`):
/// says so, and touches no bank.
#[cfg(not(feature = "demo"))]
pub fn demo(settings: &Settings, _args: DemoArgs) -> CliResult {
    Err(Failure::User(AdminWords::NoDemo.get(settings.lang).to_string()))
}

/// `banca demo`: the generator's lines (`generate`, given the
/// administrator's user name) imported by the bank's server, which creates the bank.
#[cfg(feature = "demo")]
pub fn demo(settings: &Settings, args: DemoArgs, generate: fn(&DemoArgs, &str) -> Vec<String>) -> CliResult {
    let s = Session::open(settings, true)?;
    if !crate::model::operator::is_valid_user_name(&s.user()) {
        return Err(Failure::from_bank(
            &crate::api::BankError::invalid(crate::model::Field::User, crate::model::Reason::InvalidUserName),
            s.lang,
        ));
    }
    let started = std::time::Instant::now();
    let lines = generate(&args, &s.user());
    let summary = match s.import(lines)? {
        Reply::Imported(summary) => summary,
        other => return Err(unexpected(other)),
    };
    if s.json {
        return print_json(&summary);
    }
    outln!(
        "{} {} ({:.1} s): {}",
        AdminWords::DemoBankCreatedAt.get(s.lang),
        settings.db.display(),
        started.elapsed().as_secs_f64(),
        describe_summary(&summary, s.lang)
    );
    outln!(
        "{} {} {}",
        AdminWords::SyntheticDataNoReal.get(s.lang),
        s.user(),
        AdminWords::TryBancaFamilyList.get(s.lang)
    );
    Ok(())
}

/// "voci 1–120 sui byte della codifica bincode (versione 0)"
fn hash_segment_text(run: &HashSegment, lang: crate::i18n::Lang) -> String {
    let entries = if run.first == run.last {
        format!("{} {}", AdminWords::Entry.get(lang), run.first)
    } else {
        format!("{} {}–{}", AdminWords::Entries.get(lang), run.first, run.last)
    };
    let how = match run.version {
        HashVersion::Bincode => AdminWords::OverTheBincodeCodec.get(lang),
        HashVersion::Canonical1 => AdminWords::OverTheCanonicalEncoding.get(lang),
    };
    format!("{entries} {how} ({} {})", AdminWords::Version.get(lang), run.version.number())
}

/// "300 famiglie, 80 richieste, 40 abbinamenti, 20 affidi, 12 servizi, 42 operatori, 296 incontri, 770 voci di registro."
fn describe_summary(summary: &crate::api::ImportSummary, lang: crate::i18n::Lang) -> String {
    format!(
        "{} {}, {} {}, {} {}, {} {}, {} {}, {} {}, {} {}, {} {}.",
        summary.families,
        AdminWords::Families.get(lang),
        summary.needs,
        AdminWords::Needs.get(lang),
        summary.proposals,
        AdminWords::Proposals.get(lang),
        summary.placements,
        AdminWords::Placements.get(lang),
        summary.services,
        AdminWords::Services.get(lang),
        summary.operators,
        AdminWords::Operators.get(lang),
        summary.events,
        AdminWords::Events.get(lang),
        summary.audit_entries,
        AdminWords::AuditEntries.get(lang),
    )
}

/// `banca stop`: asks the bank's server to stop; nothing to do if none runs.
pub fn stop(settings: &Settings) -> CliResult {
    let lang = settings.lang;
    let quiet = Settings { spawn: false, ..settings.clone() };
    let s = match Session::open(&quiet, false) {
        Ok(s) => s,
        Err(Failure::Unavailable(_)) => {
            outln!("{}", AdminWords::NoServerRunning.get(lang));
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    if s.stop()? {
        outln!("{}", AdminWords::ServerStopped.get(lang));
        Ok(())
    } else {
        Err(Failure::User(AdminWords::OnlyWhoeverStartedThe.get(lang).into()))
    }
}

pub fn whoami(s: &Session) -> CliResult {
    let Reply::Whoami(p) = s.call(Request::Whoami)? else {
        return Err(Failure::Internal("whoami".into()));
    };
    if s.json {
        return print_json(&p);
    }
    let service = p.service.map(|c| format!(", {c}")).unwrap_or_default();
    outln!("{} ({}) — {}{service}", one_line(&p.display_name), p.user, p.role.label(s.lang));
    Ok(())
}

pub fn info(s: &Session) -> CliResult {
    let Reply::Info(i) = s.call(Request::Info)? else {
        return Err(Failure::Internal("info".into()));
    };
    if s.json {
        return print_json(&i);
    }
    let mut b = Block::default();
    b.add(AdminWords::Bank.get(s.lang), i.path.clone());
    b.add(AdminWords::Ambits.get(s.lang), i.ambits.to_string());
    b.add(AdminWords::ServicesHead.get(s.lang), i.services.to_string());
    b.add(AdminWords::OperatorsHead.get(s.lang), i.operators.to_string());
    b.add(AdminWords::FamiliesHead.get(s.lang), i.families.to_string());
    b.add(AdminWords::NeedsHead.get(s.lang), i.needs.to_string());
    b.add(AdminWords::ProposalsHead.get(s.lang), i.proposals.to_string());
    b.add(AdminWords::PlacementsHead.get(s.lang), i.placements.to_string());
    b.add(AdminWords::AuditEntriesHead.get(s.lang), i.audit_entries.to_string());
    b.add(AdminWords::SizeOnDisk.get(s.lang), format!("{:.1} MiB", i.size_on_disk as f64 / 1048576.0));
    if let Some(imp) = &i.imported {
        b.add(
            AdminWords::Imported.get(s.lang),
            format!("{} {}, {}", AdminWords::By.get(s.lang), imp.by, format_timestamp(imp.at)),
        );
    }
    out!("{}", b.render(0));
    Ok(())
}

pub fn comune(settings: &Settings, args: ComuneArgs) -> CliResult {
    let lang = settings.lang;
    let mut errs = FlagErrors::new(lang);
    let a = errs.comune("comune", &args.query);
    let b = args.to.as_deref().and_then(|q| errs.comune("to", q));
    errs.finish()?;
    let comuni = crate::model::Comuni::embedded();
    let Some(a) = a.and_then(|c| comuni.get(c)) else { return Ok(()) };
    let distance = b.and_then(|b| comuni.get(b)).map(|b| (b, distance_km(a, b)));
    if settings.json {
        return print_json(&serde_json::json!({
            "istat": a.code.to_string(), "name": a.name, "province": a.province, "region": a.region,
            "lat": a.coords.map(|c| c.lat), "lon": a.coords.map(|c| c.lon), "population": a.population,
            "distance_km": distance.as_ref().and_then(|(_, d)| *d),
        }));
    }
    let mut block = Block::default();
    block.add(AdminWords::Comune.get(lang), a.label());
    block.add("ISTAT", a.code.to_string());
    block.add(AdminWords::Region.get(lang), a.region.clone());
    block.add(AdminWords::Population.get(lang), a.population.map(|p| p.to_string()).unwrap_or_default());
    block.add(
        AdminWords::Coordinates.get(lang),
        a.coords
            .map(|c| format!("{:.4} N, {:.4} E", c.lat, c.lon))
            .unwrap_or_else(|| AdminWords::Unknown.get(lang).into()),
    );
    if let Some((b, d)) = distance {
        let text = match d {
            Some(km) => format!("{km:.1} km {} {}", AdminWords::From.get(lang), b.label()),
            None => format!("{} ({})", AdminWords::UnknownMissingCoordinates.get(lang), b.label()),
        };
        block.add(AdminWords::Distance.get(lang), text);
    }
    out!("{}", block.render(0));
    Ok(())
}

pub fn export(s: &Session, file: &Path) -> CliResult {
    let io = |e: std::io::Error| Failure::Internal(format!("{}: {e}", file.display()));
    let mut quarantined = Vec::new();
    if file == Path::new("-") {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        let mut failed = None;
        s.export(&mut |lines| {
            note_quarantined(s, &lines, &mut quarantined);
            write_lines(&mut out, &lines, &mut failed);
        })?;
        report_quarantined(s, &quarantined);
        return match failed {
            Some(e) => Err(io(e)),
            None => out.flush().map_err(io),
        };
    }
    let lines = export_privately(s, file, &mut |lines| note_quarantined(s, lines, &mut quarantined))
        .map_err(|e| e.into_failure(file))?;
    errln!("{} {} {} {}", AdminWords::Exported.get(s.lang), lines, AdminWords::LinesTo.get(s.lang), file.display());
    report_quarantined(s, &quarantined);
    errln!("{}", AdminWords::TheFileHoldsChildren.get(s.lang));
    Ok(())
}

/// An export carries the quarantined records as they were stored (a
/// restore puts them back in quarantine): noted as the lines pass by, so
/// they can be named, by code, never silently.
fn note_quarantined(s: &Session, lines: &[String], held: &mut Vec<String>) {
    for l in lines.iter().filter(|l| l.starts_with("{\"quarantined\":")) {
        if let Ok(QuarantinedLine { quarantined: QuarantinedBody { record } }) = serde_json::from_str(l) {
            held.push(format!("{} ({})", record.record, super::doctor::tree_label(&record.tree, s.lang)));
        }
    }
}

/// The part of an export's quarantine line the CLI names: `{"quarantined": {"record": …, "raw": …}}`.
#[derive(serde::Deserialize)]
struct QuarantinedLine {
    quarantined: QuarantinedBody,
}

#[derive(serde::Deserialize)]
struct QuarantinedBody {
    record: crate::api::Quarantined,
}

fn report_quarantined(s: &Session, held: &[String]) {
    if !held.is_empty() {
        errln!("{} {}: {}", held.len(), AdminWords::QuarantinedRecordsExportedAs.get(s.lang), held.join(", "));
    }
}

/// Writes beside the target and renames, so a crash never leaves half a
/// file; readable by the owner only (it may hold children's data).
pub(super) fn write_private_atomically(file: &Path, lines: &[String]) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let dir = file.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "export".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&tmp)?;
        let mut w = std::io::BufWriter::new(f);
        for l in lines {
            w.write_all(l.as_bytes())?;
            w.write_all(b"\n")?;
        }
        let f = w.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()?;
        std::fs::rename(&tmp, file)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Writes lines as they arrive; after a failed write the rest is skipped
/// (the export still runs to its end) and the first error kept.
fn write_lines(out: &mut impl Write, lines: &[String], failed: &mut Option<std::io::Error>) -> u64 {
    if failed.is_some() {
        return 0;
    }
    for l in lines {
        if let Err(e) = out.write_all(l.as_bytes()).and_then(|()| out.write_all(b"\n")) {
            *failed = Some(e);
            return 0;
        }
    }
    lines.len() as u64
}

/// Why an export to a file failed: the bank's answer or the file.
enum ExportFailure {
    Cli(Failure),
    Io(std::io::Error),
}

impl ExportFailure {
    fn into_failure(self, file: &Path) -> Failure {
        match self {
            ExportFailure::Cli(f) => f,
            ExportFailure::Io(e) => Failure::Internal(format!("{}: {e}", file.display())),
        }
    }
}

/// Streams the export beside the target and renames it into place once
/// whole, so a crash never leaves half a backup; readable by the owner
/// only, since it holds children's data. Gives the number of lines.
fn export_privately(s: &Session, file: &Path, seen: &mut dyn FnMut(&[String])) -> Result<u64, ExportFailure> {
    use std::os::unix::fs::OpenOptionsExt;
    let dir = file.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "export".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(ExportFailure::Io)?;
        let mut w = std::io::BufWriter::with_capacity(1 << 16, f);
        let mut failed = None;
        let mut lines = 0;
        s.export(&mut |chunk| {
            seen(&chunk);
            lines += write_lines(&mut w, &chunk, &mut failed)
        })
        .map_err(ExportFailure::Cli)?;
        if let Some(e) = failed {
            return Err(ExportFailure::Io(e));
        }
        let f = w.into_inner().map_err(|e| ExportFailure::Io(e.into_error()))?;
        f.sync_all().map_err(ExportFailure::Io)?;
        std::fs::rename(&tmp, file).map_err(ExportFailure::Io)?;
        Ok(lines)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A file's bytes in chunks of `protocol::CHUNK_BYTES`, as they are read.
fn file_chunks(mut f: std::fs::File) -> impl Iterator<Item = std::io::Result<Vec<u8>>> {
    use std::io::Read;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let mut chunk = Vec::with_capacity(crate::protocol::CHUNK_BYTES);
        match (&mut f).take(crate::protocol::CHUNK_BYTES as u64).read_to_end(&mut chunk) {
            Ok(0) => None,
            Ok(_) => Some(Ok(chunk)),
            Err(e) => {
                done = true;
                Some(Err(e))
            }
        }
    })
}

/// The restore into a new bank when no server runs, done in this process
/// (`server::entry::restore_new_bank`, handed over by the dispatcher): the
/// bank's path, and the file's bytes as they are read.
pub type RestoreNewBank<'a> = &'a mut dyn FnMut(
    &Path,
    &mut dyn Iterator<Item = std::io::Result<Vec<u8>>>,
) -> Result<crate::api::ImportSummary, RestoreFailure>;

/// `banca import FILE`. With a server on the bank, the file goes to it and
/// it restores into its (empty) bank, all or nothing. With none, and no
/// bank folder yet, the restore is built in a staging folder and renamed
/// into place only when whole (`server::restore`): a failed restore leaves
/// no bank folder behind. With none and a folder already there, a server
/// is started on it as for any command.
pub fn import(settings: &Settings, file: &Path, restore_new_bank: RestoreNewBank) -> CliResult {
    let lang = settings.lang;
    if file.is_dir() {
        let what = AdminWords::IsAFolderNot.get(lang);
        return Err(Failure::User(format!("{}: {what}", file.display())));
    }
    let source = std::fs::File::open(file).map_err(|e| Failure::User(format!("{}: {e}", file.display())))?;
    let mut chunks = file_chunks(source);
    let bank = crate::config::canonical_bank_path(&settings.db);
    let running = crate::client::Client::connect(Settings { spawn: false, ..settings.clone() }.target(false));
    let summary = match running {
        Ok(client) => {
            drop(client);
            imported(Session::open(settings, false)?.import_chunks(&mut chunks)?)?
        }
        Err(crate::client::ClientError::NoServer { .. }) if settings.spawn && !bank.exists() => {
            restore_new_bank(&bank, &mut chunks).map_err(|e| restore_failure(&e, lang))?
        }
        Err(crate::client::ClientError::NoServer { .. }) if settings.spawn => {
            imported(Session::open(settings, true)?.import_chunks(&mut chunks)?)?
        }
        Err(e) => return Err(Failure::from_client(&e, lang)),
    };
    if settings.json {
        return print_json(&summary);
    }
    outln!("{} {}: {}", AdminWords::ImportedInto.get(lang), settings.db.display(), describe_summary(&summary, lang));
    Ok(())
}

fn imported(reply: Reply) -> CliResult<crate::api::ImportSummary> {
    match reply {
        Reply::Imported(summary) => Ok(summary),
        other => Err(unexpected(other)),
    }
}

fn restore_failure(e: &RestoreFailure, lang: crate::i18n::Lang) -> Failure {
    match e {
        RestoreFailure::Bank(b) => Failure::from_bank(b, lang),
        RestoreFailure::Open(s) => Failure::from_open(s, lang),
        RestoreFailure::Io { path, source } => {
            Failure::Internal(format!("{} {}: {source}", AdminWords::ImportFailedNothingWas.get(lang), path.display()))
        }
        RestoreFailure::Appeared { path } => {
            Failure::User(AdminWords::AppearedMeanwhile.fill(lang, &[("path", &path.display())]))
        }
    }
}

pub fn audit(s: &Session, args: AuditArgs) -> CliResult {
    if args.verify {
        return match s.request(Request::AuditVerify)? {
            Ok(Reply::AuditVerified { entries, hash_segments }) => {
                if s.json {
                    return print_json(&serde_json::json!({
                        "ok": true,
                        "entries": entries,
                        "hash_versions": hash_segments,
                    }));
                }
                outln!(
                    "{} {entries} {}",
                    AdminWords::AuditLogIntact.get(s.lang),
                    AdminWords::EntriesVerified.get(s.lang)
                );
                // Entries hashed the old way rest on the record codec's bytes: worth knowing.
                if hash_segments.iter().any(|run| run.version == HashVersion::Bincode) {
                    let runs: Vec<String> = hash_segments.iter().map(|run| hash_segment_text(run, s.lang)).collect();
                    outln!("{} {}.", AdminWords::Hashes.get(s.lang), runs.join("; "));
                }
                Ok(())
            }
            Ok(other) => Err(unexpected(other)),
            Err(crate::api::BankError::AuditBroken(b)) => Err(Failure::Internal(format!(
                "{} {}",
                AdminWords::AuditLogAltered.get(s.lang),
                chain_break_text(&b, s.lang)
            ))),
            Err(e) => Err(Failure::from_bank(&e, s.lang)),
        };
    }
    let header = crate::present::lists::audit_header(s.lang);
    let items = |reply| match reply {
        Reply::Audit(page) => Ok(page),
        other => Err(unexpected(other)),
    };
    let request = Request::AuditList { record: args.record, limit: args.limit, after: None };
    // Today's empty table: the header alone.
    let rows =
        s.stream_list(request, &header, Some(args.limit), items, |e| crate::present::lists::audit_row(e, s.lang))?;
    super::directory::end_list(rows, &header)
}
