//! One CLI invocation: who is asking (from the kernel), which bank, and the
//! one door to it, `Bank::handle`.

use std::cell::RefCell;
use std::path::PathBuf;
use std::time::Duration;

use crate::bank::{BankConfig, BankError, Reply, Request, Response};
use crate::client::{Client, ClientError, Target};
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

    pub fn from_client(e: &ClientError, lang: Lang) -> Failure {
        let it = lang == Lang::It;
        match e {
            // The server's own words: why it could not open the bank.
            ClientError::ServerFailed(text) => Failure::Unavailable(text.clone()),
            ClientError::NoServer { socket } => Failure::Unavailable(if it {
                format!("Nessun server risponde su {}: avviare `banca serve` o chiedere all'amministratore.", socket.display())
            } else {
                format!("No server answers on {}: start `banca serve` or ask the administrator.", socket.display())
            }),
            ClientError::PermissionDenied { socket } => Failure::Unavailable(if it {
                format!("Accesso negato al server ({}): chiedere all'amministratore di essere aggiunti al gruppo degli operatori, poi uscire e rientrare nella sessione.", socket.display())
            } else {
                format!("Permission denied on the server's socket ({}): ask the administrator to add you to the operators' group, then log out and in again.", socket.display())
            }),
            ClientError::Mismatch { server, client } => Failure::Unavailable(if it {
                format!("Il server è banca {server}, questo client è {client}: riavviare il server (`banca stop`).")
            } else {
                format!("Server is banca {server}, this client {client}: restart the server (`banca stop`).")
            }),
            ClientError::OtherBank { socket, serves, wanted } => Failure::Unavailable(if it {
                format!("Il server su {} serve la banca {serves}, non {wanted}.", socket.display())
            } else {
                format!("The server on {} serves the bank {serves}, not {wanted}.", socket.display())
            }),
            ClientError::NoUser(uid) => {
                Failure::User(format!("{} {uid}", lang.pick("Nessun nome utente per l'uid", "No user name for uid")))
            }
            ClientError::Lost { write_unknown: true } => Failure::Internal(lang.pick(
                "La connessione al server si è interrotta durante una modifica: non è noto se sia stata salvata. Controllare con `banca family show CODICE` (o need/service) prima di ripeterla.",
                "The connection to the server broke during a change: whether it was saved is unknown. Check with `banca family show CODE` (or need/service) before repeating it.",
            ).into()),
            ClientError::Lost { .. } => Failure::Unavailable(
                lang.pick("La connessione al server si è interrotta.", "The connection to the server broke.").into(),
            ),
            ClientError::Busy(crate::protocol::BusyScope::User { limit }) => Failure::Unavailable(if it {
                format!("Il server ha già {limit} connessioni aperte da questo utente, il massimo: chiudere qualche sessione di banca e riprovare.")
            } else {
                format!("The server already has {limit} connections open from this user, the most it allows: close some banca sessions and try again.")
            }),
            ClientError::Busy(crate::protocol::BusyScope::Server { limit }) => Failure::Unavailable(if it {
                format!("Il server ha {limit} connessioni aperte, il massimo: riprovare tra poco; se continua, avvisare l'amministratore.")
            } else {
                format!("The server has {limit} connections open, the most it allows: try again shortly; if it goes on, tell the administrator.")
            }),
            ClientError::NotSubscribed(e) => Failure::from_bank(e, lang),
            ClientError::Protocol(m) => Failure::Internal(m.clone()),
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
    client: RefCell<Client>,
    pub lang: Lang,
    pub json: bool,
}

#[derive(Clone)]
pub struct Settings {
    pub db: PathBuf,
    pub socket: PathBuf,
    /// Start a server when none answers.
    pub spawn: bool,
    pub idle_exit: Duration,
    pub group: Option<String>,
    pub lang: Lang,
    pub json: bool,
    pub bank: BankConfig,
}

impl Session {
    /// Connects to the bank's server, starting one if allowed. `create`
    /// lets a started server create the bank (init, demo, import).
    pub fn open(settings: &Settings, create: bool) -> CliResult<Session> {
        let target = Target {
            bank: crate::config::canonical_bank_path(&settings.db),
            socket: settings.socket.clone(),
            spawn: settings.spawn,
            create,
            idle_exit: settings.idle_exit,
        };
        let client = Client::connect(target).map_err(|e| Failure::from_client(&e, settings.lang))?;
        Ok(Session { client: RefCell::new(client), lang: settings.lang, json: settings.json })
    }

    /// The Unix user the server knows us as (from the kernel).
    pub fn user(&self) -> String {
        self.client.borrow().user.clone()
    }

    /// The raw answer, for callers that treat some errors specially.
    pub fn request(&self, request: Request) -> CliResult<Response> {
        self.client.borrow_mut().call(request).map_err(|e| Failure::from_client(&e, self.lang))
    }

    pub fn call(&self, request: Request) -> CliResult<Reply> {
        self.request(request)?.map_err(|e| Failure::from_bank(&e, self.lang))
    }

    pub fn import(&self, lines: Vec<String>) -> CliResult<Reply> {
        let response = self.client.borrow_mut().import(lines).map_err(|e| Failure::from_client(&e, self.lang))?;
        response.map_err(|e| Failure::from_bank(&e, self.lang))
    }

    /// Asks the server to stop; false if it refused.
    pub fn stop(&self) -> CliResult<bool> {
        self.client.borrow_mut().stop().map_err(|e| Failure::from_client(&e, self.lang))
    }

    pub fn t<'a>(&self, it: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(it, en)
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
