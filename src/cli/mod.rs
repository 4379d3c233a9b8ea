//! The command line: the same operations as the TUI, for scripts and quick
//! lookups. A client of the bank's server like everything else.
//!
//! This file is also the binary's dispatcher, and the one place in `cli`
//! that names what runs in this process: the server (`banca serve`, and an
//! import with no server, through `server::entry`), the demo generator,
//! and the interface. Every other file of `cli` speaks to a server.
//!
//! Every line printed goes through `outln!`/`out!`/`errln!`: whatever a
//! record, a file or an error carries (ESC, NUL, bidirectional controls) is
//! neutralised there, so no path can print it raw. Line breaks of the
//! output itself stay; a table cell or a row puts a record's own line breaks
//! on one line (`table.rs`).

/// `println!` for the terminal: the text neutralised, its line breaks kept.
macro_rules! outln {
    () => {
        println!()
    };
    ($($arg:tt)*) => {
        println!("{}", $crate::model::plain::neutralise_lines(&format!($($arg)*)))
    };
}

/// `print!` for the terminal, as `outln!`.
macro_rules! out {
    ($($arg:tt)*) => {
        print!("{}", $crate::model::plain::neutralise_lines(&format!($($arg)*)))
    };
}

/// `eprintln!` for the terminal, as `outln!`: errors quote what was typed or stored.
macro_rules! errln {
    ($($arg:tt)*) => {
        eprintln!("{}", $crate::model::plain::neutralise_lines(&format!($($arg)*)))
    };
}

mod admin;
mod available;
mod directory;
mod doctor;
mod event;
mod family;
mod find;
mod history;
mod language;
mod matching;
mod need;
mod parse;
mod pathway;
mod placement;
mod print;
mod proposal;
mod reception;
mod report;
mod session;
mod table;
mod watch;
pub mod words;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use std::time::Duration;

use crate::config::{canonical_bank_path, load_config, parse_duration, AddressFlags, Addressing};
use crate::i18n::Lang;

use crate::i18n::catalogue;
pub use session::{Failure, Session, Settings};

catalogue!(
    /// What the dispatcher says: the top-level messages of the binary.
    MainWords {
        AvailableLanguagesItEn => "lingue disponibili: it, en", "available languages: it, en";
        NotADurationMinutes => "durata non valida (es. 2m)", "not a duration (e.g. 2m)";
        NotADurationMinutes15 => "durata non valida (es. 15m)", "not a duration (e.g. 15m)";
        BancaTheScreenInterface => "banca: l'interfaccia a schermo vuole un terminale; per gli script usare i comandi (banca --help).",
            "banca: the screen interface needs a terminal; scripts use the commands (banca --help).";
        NotADurationSeconds => "durata non valida (es. 15m, 90s)", "not a duration (e.g. 15m, 90s)";
        MaxPerUserAnd => "--max-per-user e --max-connections: almeno 1",
            "--max-per-user and --max-connections: at least 1";
        MaxHeavyMaxHeavy => "--max-heavy, --max-heavy-per-user e --page-size: almeno 1",
            "--max-heavy, --max-heavy-per-user and --page-size: at least 1";
        ServingTheBankOn => "servo la banca su", "serving the bank on";
        CtrlCToStop => "Ctrl-C per fermare; log:", "Ctrl-C to stop; log:";
    }
);

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
    /// Socket del server (default: ricavato dalla cartella della banca)
    #[arg(long, global = true, env = "BANCA_SOCKET", value_name = "PATH")]
    pub socket: Option<PathBuf>,
    /// Non avviare un server se nessuno risponde
    #[arg(long, global = true)]
    pub no_spawn: bool,
    /// Utente Unix del server condiviso (es. banca): il client parla solo con un suo server
    #[arg(long, global = true, env = "BANCA_SERVER_USER", value_name = "UTENTE")]
    pub server_user: Option<String>,
    /// Interfaccia a schermo: non usare il mouse (resta la selezione del testo del terminale)
    #[arg(long)]
    pub no_mouse: bool,
    /// Senza comando si apre l'interfaccia a schermo
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Crea una banca nuova (solo l'utente del server, o root): --admin, o l'utente corrente, ne diventa amministratore
    Init(admin::InitArgs),
    /// Crea una banca dimostrativa con dati sintetici
    // A build without the generator keeps the word, hidden, to say so in the user's language.
    #[cfg_attr(not(feature = "demo"), command(hide = true))]
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
    /// Cosa scade per il mio servizio: revisioni, percorsi fermi, famiglie in attesa, verifiche, relazioni, fine affidi
    Due(pathway::DueArgs),
    /// Incontri della rete: serate informative, corsi di formazione, gruppi di sostegno
    #[command(subcommand)]
    Event(event::EventCommand),
    /// Reclutamento: primi contatti per provenienza, conversione in idoneità, tempi
    Recruitment(pathway::RecruitmentArgs),
    /// Abbinamento: famiglie candidate per una richiesta, con il perché
    Match(matching::MatchArgs),
    /// Famiglie disponibili per un profilo (la telefonata), senza registrare nulla
    #[command(after_help = "Esempio: banca available --age 6 --sex m --slots weekend --near Dalmine --km 5")]
    Available(available::AvailableArgs),
    /// Chi ha un posto ora: servizi d'accoglienza con posti liberi per un profilo (pronto intervento se non si dice altro)
    #[command(
        visible_alias = "posto",
        after_help = "Esempio: banca places --age 15 --sex m --near Bergamo  (chi ha un posto stanotte per un ragazzo di 15 anni)"
    )]
    Places(available::AvailableArgs),
    /// Statistiche per il coordinamento: indicatori alla data e nel periodo (tabella, --csv, --json, --markdown)
    #[command(
        visible_alias = "statistiche",
        after_help = "Esempi:\n  banca report                          tutto, alla data di oggi, anno in corso\n  banca report annual --year 2026       le tabelle della rilevazione annuale\n  banca report needs --ambit Dalmine --markdown > verbale.md\n  banca report placements-in-course --at 31/12/2026 --csv"
    )]
    Report(report::ReportArgs),
    /// Mappatura dei servizi: servizi affido, associazioni, servizi d'accoglienza con i posti; --csv o --json per il sito
    #[command(visible_alias = "mappatura")]
    Directory(reception::DirectoryArgs),
    /// Propone una famiglia (o un servizio d'accoglienza, --service) per una richiesta
    Propose(proposal::ProposeArgs),
    /// Una proposta di abbinamento: vederla e farla avanzare
    #[command(subcommand)]
    Proposal(proposal::ProposalCommand),
    /// Elenca le proposte di abbinamento (posta in entrata e in uscita)
    Proposals(proposal::ProposalListArgs),
    /// Affidi: avvio, progetto, verifiche, chiusura
    #[command(subcommand)]
    Placement(placement::PlacementCommand),
    /// Cerca in tutta la banca: codici, nomi (dove si possono vedere), comuni, servizi, operatori
    Find(find::FindArgs),
    /// Apre una scheda dal suo codice: F-, R-, P-, A-, S-, codice ISTAT o nome utente
    Show {
        /// Codice: F-2026-0001, R-2026-0001, P-2026-0001, A-2026-0001, S-001, 016091 o un nome utente
        #[arg(value_name = "CODICE")]
        code: String,
    },
    /// Storia: proposte e affidi di una famiglia, richiesta o servizio
    History {
        /// Codice: F-2026-0001, R-2026-0001 o S-001
        #[arg(value_name = "CODICE")]
        code: String,
    },
    /// Servizi: affido, associazioni, servizi d'accoglienza (e i loro posti liberi: service vacancies)
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
    /// Le lingue che la banca conosce (nomi italiani e inglesi, altre grafie), o che lingua è un nome
    Language(language::LanguageArgs),
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
    /// Controlla tutta la banca (record, indici, contatori, registro, quarantena); --repair ripara (amministratori)
    Doctor(doctor::DoctorArgs),
    /// Segue le modifiche alla banca mentre avvengono (quelle che si possono vedere), una per riga
    Watch,
    /// Avvia il server che custodisce la banca (di solito parte da solo)
    Serve(ServeArgs),
    /// Ferma il server della banca (il suo proprietario o un amministratore)
    Stop,
}

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// Esce dopo questo tempo senza client, es. 15m (di solito per i server avviati dai client)
    #[arg(long, value_name = "DURATA")]
    idle_exit: Option<String>,
    /// Gruppo Unix degli operatori: solo loro possono collegarsi
    #[arg(long, value_name = "GRUPPO")]
    group: Option<String>,
    /// Crea la banca se la cartella non esiste
    #[arg(long)]
    create: bool,
    /// Connessioni aperte al massimo, da tutti gli utenti insieme
    #[arg(long, value_name = "N", default_value_t = crate::server::Limits::default().total, allow_negative_numbers = true, value_parser = crate::cli::parse::whole::<usize>)]
    max_connections: usize,
    /// Connessioni aperte al massimo da uno stesso utente Unix
    #[arg(long, value_name = "N", default_value_t = crate::server::Limits::default().per_user, allow_negative_numbers = true, value_parser = crate::cli::parse::whole::<usize>)]
    max_per_user: usize,
    /// Richieste pesanti (elenchi, esportazioni) in corso al massimo, da tutti gli utenti insieme
    #[arg(long, value_name = "N", default_value_t = crate::server::admission::HeavyLimits::default().total)]
    max_heavy: usize,
    /// Richieste pesanti in corso al massimo da uno stesso utente Unix
    #[arg(long, value_name = "N", default_value_t = crate::server::admission::HeavyLimits::default().per_user)]
    max_heavy_per_user: usize,
    /// Righe al massimo in una pagina di un elenco
    #[arg(long, value_name = "N", default_value_t = crate::server::entry::PAGE_SIZE)]
    page_size: usize,
    /// Chiude una connessione senza richieste da questo tempo, se non segue le modifiche (es. 15m)
    #[arg(long, value_name = "DURATA")]
    idle_timeout: Option<String>,
    /// Spazio libero da tenere sul disco della banca, in MiB: una scrittura che ne trova meno è rifiutata
    /// (predefinito: il maggiore tra 64 MiB e l'1% del disco, al massimo 1 GiB)
    #[arg(long, value_name = "MiB")]
    disk_reserve_mb: Option<u64>,
    /// Staccarsi dal terminale una volta pronto (usato dai client che avviano il server)
    #[arg(long, hide = true)]
    detach: bool,
}

/// The language of the command line's own messages: `--lang` as typed
/// (before clap reads it), else the configuration's, else Italian.
fn early_lang() -> Lang {
    let args: Vec<String> = std::env::args().collect();
    let flag = args.iter().enumerate().find_map(|(i, a)| match a.strip_prefix("--lang") {
        Some("") => args.get(i + 1).cloned(),
        Some(v) => v.strip_prefix('=').map(str::to_string),
        None => None,
    });
    flag.or_else(|| load_config().ok().and_then(|c| c.lang)).as_deref().and_then(Lang::parse).unwrap_or_default()
}

/// Runs the command line and gives the process exit code:
/// 0 ok, 1 user error, 2 usage, 3 bank unavailable, 4 internal fault;
/// `banca doctor` adds 5 (repairable findings) and 6 (an administrator's turn).
pub fn main() -> ExitCode {
    quiet_on_closed_stdout();
    parse::set_parse_lang(early_lang());
    let cli = Cli::parse();
    let config = match load_config() {
        Ok(c) => c,
        Err(e) => {
            errln!("banca: {e}");
            return ExitCode::from(2);
        }
    };
    let lang_text = cli.lang.clone().or(config.lang.clone());
    let lang = lang_text.as_deref().and_then(Lang::parse).unwrap_or_default();
    if let Some(l) = &cli.lang {
        if Lang::parse(l).is_none() {
            errln!("banca: --lang {l}: {}", MainWords::AvailableLanguagesItEn.get(lang));
            return ExitCode::from(2);
        }
    }
    let caller = nix::unistd::User::from_uid(nix::unistd::geteuid()).ok().flatten().map(|u| u.name);
    let flags = AddressFlags {
        db: cli.db.clone(),
        socket: cli.socket.clone(),
        no_spawn: cli.no_spawn,
        server_user: cli.server_user.clone(),
    };
    let address = Addressing::resolve(&flags, &config, caller.as_deref().unwrap_or(""));
    let reply_timeout = match config.reply_timeout.as_deref().map(parse_duration) {
        None => crate::client::DEFAULT_REPLY_TIMEOUT,
        Some(Some(d)) if !d.is_zero() => d,
        Some(_) => {
            eprintln!("banca: reply_timeout: {}", MainWords::NotADurationMinutes.get(lang));
            return ExitCode::from(2);
        }
    };
    let idle_exit = match config.idle_exit.as_deref().map(parse_duration) {
        None => Duration::from_secs(15 * 60),
        Some(Some(d)) => d,
        Some(None) => {
            errln!("banca: idle_exit: {}", MainWords::NotADurationMinutes15.get(lang));
            return ExitCode::from(2);
        }
    };
    let matching = config.matching.clone().unwrap_or_default();
    if let Err(e) = matching.check() {
        errln!("banca: {e}");
        return ExitCode::from(2);
    }
    let settings = Settings {
        socket: address.socket,
        db: address.db,
        spawn: address.spawn,
        idle_exit,
        group: address.group,
        server_user: address.server_user,
        shared: address.shared,
        reply_timeout,
        lang,
        json: cli.json,
        config: config.clone(),
    };
    let Some(command) = cli.command else {
        let mouse = !cli.no_mouse && config.mouse.unwrap_or(true);
        return interface(&settings, mouse);
    };
    match run(command, &settings) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            errln!("{}", f.message());
            ExitCode::from(f.exit_code())
        }
    }
}

/// `banca … | head`: once the reader has gone, stop quietly as other Unix
/// tools do (exit 141, as by SIGPIPE) instead of printing a panic. SIGPIPE
/// itself stays ignored: a client must see a broken socket as an error.
fn quiet_on_closed_stdout() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let text = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if text.contains("failed printing to stdout") && text.contains("Broken pipe") {
            std::process::exit(141);
        }
        default(info);
    }));
}

/// `banca` alone: the terminal interface, logging to a file (never to the screen).
fn interface(settings: &Settings, mouse: bool) -> ExitCode {
    use std::io::IsTerminal;
    let lang = settings.lang;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        errln!("{}", MainWords::BancaTheScreenInterface.get(lang));
        return ExitCode::from(2);
    }
    let _log = crate::tui::log::to_file(&settings.db);
    let bank = canonical_bank_path(&settings.db);
    let options =
        crate::tui::TuiOptions { target: settings.target(false), lang, mouse, bank_label: bank.display().to_string() };
    match crate::tui::run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            errln!("banca: {e}");
            ExitCode::from(3)
        }
    }
}

fn run(command: Command, settings: &Settings) -> session::CliResult {
    match command {
        Command::Init(args) => admin::init(settings, args),
        #[cfg(feature = "demo")]
        Command::Demo(args) => admin::demo(settings, args, demo_lines),
        #[cfg(not(feature = "demo"))]
        Command::Demo(args) => admin::demo(settings, args),
        Command::Comune(args) => admin::comune(settings, args),
        Command::Language(args) => language::run(settings, args),
        Command::Import { file } => admin::import(settings, &file, &mut |bank, chunks| {
            crate::server::entry::restore_new_bank(bank, &settings.config, &file, chunks)
        }),
        Command::Serve(args) => serve(settings, args),
        Command::Stop => admin::stop(settings),
        Command::Show { code } => find::show(settings, &code),
        Command::Watch => watch::run(settings),
        other => {
            // A server out of reach is told at the first request: a change then says it was not saved.
            let s = Session::open_deferred(settings);
            match other {
                Command::Whoami => admin::whoami(&s),
                Command::Info => admin::info(&s),
                Command::Family(c) => family::run(&s, c),
                Command::Need(c) => need::run(&s, c),
                Command::Due(args) => pathway::due(&s, args),
                Command::Event(c) => event::run(&s, c),
                Command::Recruitment(args) => pathway::recruitment(&s, args),
                Command::Match(args) => matching::run(&s, args),
                Command::Available(args) => available::run(&s, args),
                Command::Places(args) => available::run_places(&s, args),
                Command::Directory(args) => reception::run_directory(&s, args),
                Command::Report(args) => report::run_report(&s, args),
                Command::Propose(args) => proposal::propose(&s, args),
                Command::Proposal(c) => proposal::run(&s, c),
                Command::Proposals(args) => proposal::list(&s, args),
                Command::Placement(c) => placement::run(&s, c),
                Command::Find(args) => find::find(&s, args),
                Command::History { code } => history::run(&s, &code),
                Command::Service(c) => directory::run_service(&s, c),
                Command::Operator(c) => directory::run_operator(&s, c),
                Command::Ambit(c) => directory::run_ambit(&s, c),
                Command::Export { file } => admin::export(&s, &file),
                Command::Audit(args) => admin::audit(&s, args),
                Command::Doctor(args) => doctor::run(&s, args),
                Command::Init(_)
                | Command::Demo(_)
                | Command::Comune(_)
                | Command::Language(_)
                | Command::Import { .. }
                | Command::Serve(_)
                | Command::Show { .. }
                | Command::Watch
                | Command::Stop => unreachable!("handled above"),
            }
        }
    }
}

/// `banca serve`: runs the server in this process until stopped.
fn serve(settings: &Settings, args: ServeArgs) -> session::CliResult {
    let lang = settings.lang;
    let idle_exit = match args.idle_exit.as_deref().map(parse_duration) {
        None => None,
        Some(Some(d)) => Some(d),
        Some(None) => return Err(Failure::User(format!("--idle-exit: {}", MainWords::NotADurationSeconds.get(lang)))),
    };
    let idle_timeout = match args.idle_timeout.as_deref().map(parse_duration) {
        None => None,
        Some(Some(d)) if !d.is_zero() => Some(d),
        Some(_) => return Err(Failure::User(format!("--idle-timeout: {}", MainWords::NotADurationSeconds.get(lang)))),
    };
    if args.max_connections == 0 || args.max_per_user == 0 {
        return Err(Failure::User(MainWords::MaxPerUserAnd.get(lang).into()));
    }
    if args.max_heavy == 0 || args.max_heavy_per_user == 0 || args.page_size == 0 {
        return Err(Failure::User(MainWords::MaxHeavyMaxHeavy.get(lang).into()));
    }
    let command = crate::server::entry::ServeCommand {
        db: settings.db.clone(),
        socket: settings.socket.clone(),
        idle_exit,
        group: args.group.or(settings.group.clone()),
        create: args.create,
        max_connections: args.max_connections,
        max_per_user: args.max_per_user,
        max_heavy: args.max_heavy,
        max_heavy_per_user: args.max_heavy_per_user,
        page_size: args.page_size,
        idle_timeout,
        disk_reserve_mb: args.disk_reserve_mb,
    };
    let detach = args.detach;
    let ready = |log: &str| {
        if detach {
            // Ready: let go of the starting client's pipe and terminal.
            if let Ok(null) = std::fs::OpenOptions::new().read(true).write(true).open("/dev/null") {
                let _ = nix::unistd::dup2_stdout(&null);
                let _ = nix::unistd::dup2_stderr(&null);
            }
        } else {
            errln!(
                "banca: {} {} ({} {})",
                MainWords::ServingTheBankOn.get(lang),
                settings.socket.display(),
                MainWords::CtrlCToStop.get(lang),
                log
            );
        }
    };
    crate::server::entry::serve(command, &settings.config, ready).map_err(|e| Failure::from_serve(&e, lang))
}

/// `banca demo`'s bank, as the lines of an export: made in this process by
/// the generator, restored by the bank's server.
#[cfg(feature = "demo")]
fn demo_lines(args: &admin::DemoArgs, admin_user: &str) -> Vec<String> {
    let options = crate::demo::DemoOptions {
        families: args.families,
        needs: args.needs,
        seed: args.seed,
        admin_user: admin_user.to_string(),
        now: crate::model::clock::Clock::now(&crate::model::clock::SystemClock::new()),
    };
    crate::demo::generate_lines(&options)
}
