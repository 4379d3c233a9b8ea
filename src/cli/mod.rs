//! The command line: the same operations as the TUI, for scripts and quick
//! lookups. A client of `Bank::handle` like everything else.

mod admin;
mod directory;
mod family;
mod need;
mod parse;
mod session;
mod table;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::bank::BankConfig;
use crate::config::{default_config_path, default_db_path, ConfigFile};
use crate::i18n::Lang;

pub use session::{Failure, Session, Settings};

#[derive(Parser, Debug)]
#[command(name = "banca", version, about = "Banca delle famiglie affidatarie: famiglie, richieste, servizi.")]
pub struct Cli {
    /// Cartella della banca (default: ~/.local/share/banca/bank)
    #[arg(long, global = true, env = "BANCA_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Lingua dei messaggi: it, en
    #[arg(long, global = true, env = "BANCA_LANG", value_name = "LANG")]
    pub lang: Option<String>,
    /// Output JSON per gli script
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Crea una banca nuova: l'utente corrente ne diventa amministratore
    Init,
    /// Crea una banca dimostrativa con dati sintetici
    Demo(admin::DemoArgs),
    /// Chi sono per la banca
    Whoami,
    /// Numeri della banca: record, dimensione su disco
    Info,
    /// Famiglie affidatarie
    #[command(subcommand)]
    Family(family::FamilyCommand),
    /// Richieste di affido (minori)
    #[command(subcommand)]
    Need(need::NeedCommand),
    /// Servizi affido e associazioni
    #[command(subcommand)]
    Service(directory::ServiceCommand),
    /// Operatori (utenti Unix)
    #[command(subcommand)]
    Operator(directory::OperatorCommand),
    /// Ambiti territoriali e presidi
    #[command(subcommand)]
    Ambit(directory::AmbitCommand),
    /// Cerca un comune per nome o codice ISTAT; con --to dà la distanza
    Comune(admin::ComuneArgs),
    /// Esporta tutta la banca in JSON Lines (backup)
    Export {
        /// File da scrivere ("-" per lo standard output)
        file: PathBuf,
    },
    /// Ripristina un'esportazione in una banca nuova
    Import {
        /// File JSON Lines prodotto da `banca export`
        file: PathBuf,
    },
    /// Registro degli accessi e delle modifiche
    Audit(admin::AuditArgs),
}

/// Runs the command line and gives the process exit code:
/// 0 ok, 1 user error, 2 usage, 3 bank unavailable, 4 internal fault.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let config_path = default_config_path();
    let config = match config_path.as_deref().map(ConfigFile::load).transpose() {
        Ok(c) => c.unwrap_or_default(),
        Err(e) => {
            eprintln!("banca: {e}");
            return ExitCode::from(2);
        }
    };
    let lang_text = cli.lang.clone().or(config.lang.clone());
    let lang = lang_text.as_deref().and_then(Lang::parse).unwrap_or_default();
    if let Some(l) = &cli.lang {
        if Lang::parse(l).is_none() {
            eprintln!("banca: --lang {l}: {}", lang.pick("lingue disponibili: it, en", "available languages: it, en"));
            return ExitCode::from(2);
        }
    }
    let defaults = BankConfig::default();
    let settings = Settings {
        db: cli.db.clone().or(config.db.clone()).unwrap_or_else(default_db_path),
        lang,
        json: cli.json,
        bank: BankConfig {
            stale_after_months: config.stale_after_months.unwrap_or(defaults.stale_after_months),
            cache_bytes: config.cache_mb.map(|mb| mb * 1024 * 1024).unwrap_or(defaults.cache_bytes),
        },
    };
    match run(cli.command, &settings) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("{}", f.message());
            ExitCode::from(f.exit_code())
        }
    }
}

fn run(command: Command, settings: &Settings) -> session::CliResult {
    match command {
        Command::Init => admin::init(settings),
        Command::Demo(args) => admin::demo(settings, args),
        Command::Comune(args) => admin::comune(settings, args),
        Command::Import { file } => admin::import(settings, &file),
        other => {
            let s = Session::open(settings, false)?;
            match other {
                Command::Whoami => admin::whoami(&s),
                Command::Info => admin::info(&s),
                Command::Family(c) => family::run(&s, c),
                Command::Need(c) => need::run(&s, c),
                Command::Service(c) => directory::run_service(&s, c),
                Command::Operator(c) => directory::run_operator(&s, c),
                Command::Ambit(c) => directory::run_ambit(&s, c),
                Command::Export { file } => admin::export(&s, &file),
                Command::Audit(args) => admin::audit(&s, args),
                Command::Init | Command::Demo(_) | Command::Comune(_) | Command::Import { .. } => {
                    unreachable!("handled above")
                }
            }
        }
    }
}
