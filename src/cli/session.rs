//! One CLI invocation: who is asking (from the kernel), which bank, and the
//! one door to it, `Bank::handle`.

use std::path::PathBuf;
use std::sync::Arc;

use crate::bank::{Actor, Bank, BankConfig, BankError, Reply, Request, SystemClock};
use crate::i18n::{describe_error, describe_store_error, Lang};
use crate::store::StoreError;

/// How a command failed, and so which exit code it ends with.
#[derive(Debug)]
pub enum Failure {
    /// Wrong input or a refusal the operator can act on: exit 1.
    User(String),
    /// The bank could not be opened (locked, missing, newer): exit 3.
    Unavailable(String),
    /// A fault of banca or of the machine: exit 4.
    Internal(String),
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::User(_) => 1,
            Failure::Unavailable(_) => 3,
            Failure::Internal(_) => 4,
        }
    }

    pub fn message(&self) -> &str {
        match self {
            Failure::User(m) | Failure::Unavailable(m) | Failure::Internal(m) => m,
        }
    }

    pub fn from_bank(e: &BankError, lang: Lang) -> Failure {
        if let BankError::Invalid(problems) = e {
            // Name the flag beside the field, so the operator knows what to retype.
            let head = lang.pick("Dati non validi, nulla è stato salvato:", "Invalid input, nothing was saved:");
            let lines: Vec<String> = problems
                .iter()
                .map(|p| {
                    format!(
                        "  - --{} ({}): {}",
                        super::parse::flag_for(&p.field),
                        crate::i18n::field_label(&p.field, lang),
                        crate::i18n::describe_reason(&p.reason, lang)
                    )
                })
                .collect();
            return Failure::User(format!("{head}\n{}", lines.join("\n")));
        }
        let text = describe_error(e, lang);
        match e {
            BankError::Storage(_) | BankError::AuditBroken(_) => Failure::Internal(text),
            _ => Failure::User(text),
        }
    }

    pub fn from_store(e: &StoreError, lang: Lang) -> Failure {
        let text = describe_store_error(e, lang);
        match e {
            StoreError::Sled(_) | StoreError::Io { .. } | StoreError::Corrupt { .. } => Failure::Internal(text),
            _ => Failure::Unavailable(text),
        }
    }
}

pub type CliResult<T = ()> = Result<T, Failure>;

pub struct Session {
    pub bank: Bank,
    pub actor: Actor,
    pub lang: Lang,
    pub json: bool,
}

pub struct Settings {
    pub db: PathBuf,
    pub lang: Lang,
    pub json: bool,
    pub bank: BankConfig,
}

impl Session {
    /// Opens the bank as the user the kernel says is running this process.
    pub fn open(settings: &Settings, create: bool) -> CliResult<Session> {
        let lang = settings.lang;
        // Read the local offset before sled starts its threads.
        let clock = Arc::new(SystemClock::new());
        let actor = kernel_actor(lang)?;
        let bank = Bank::open(&settings.db, settings.bank.clone(), create, clock)
            .map_err(|e| Failure::from_store(&e, lang))?;
        Ok(Session { bank, actor, lang: settings.lang, json: settings.json })
    }

    pub fn call(&self, request: Request) -> CliResult<Reply> {
        self.bank.handle(&self.actor, request).map_err(|e| Failure::from_bank(&e, self.lang))
    }

    pub fn it(&self) -> bool {
        self.lang == Lang::It
    }

    pub fn t<'a>(&self, it: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(it, en)
    }
}

/// The Unix user of this process, by its real uid: no flag, variable or
/// file can make banca believe someone else is at the keyboard.
pub fn kernel_actor(lang: Lang) -> CliResult<Actor> {
    let uid = nix::unistd::getuid();
    match nix::unistd::User::from_uid(uid) {
        Ok(Some(user)) => Ok(Actor::new(user.name)),
        _ => Err(Failure::Internal(format!(
            "{} {uid}",
            lang.pick("Nessun nome utente per l'uid", "No user name for uid")
        ))),
    }
}

/// Unexpected reply: a bug, not the operator's doing.
pub fn unexpected(reply: Reply) -> Failure {
    Failure::Internal(format!("unexpected reply: {reply:?}"))
}

/// Prints a value as JSON on stdout (for `--json`).
pub fn print_json<T: serde::Serialize>(value: &T) -> CliResult {
    let text = serde_json::to_string_pretty(value).map_err(|e| Failure::Internal(e.to_string()))?;
    println!("{text}");
    Ok(())
}
