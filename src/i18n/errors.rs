//! Errors of the bank and the store as sentences for the operator.

use super::{describe_problem, format_timestamp, Lang};
use crate::api::ChainBreak;
use crate::api::{BankError, LineFault};
use crate::api::{FolderFound, FolderProblem, OpenFailure, ServeFailure};
use crate::client::trust::{folder_of, Distrust, Untrusted};
use crate::client::{ClientError, Stage};

pub fn describe_error(e: &BankError, lang: Lang) -> String {
    let it = lang == Lang::It;
    match e {
        BankError::Invalid(problems) => {
            let head = lang.pick("Dati non validi, nulla è stato salvato:", "Invalid input, nothing was saved:");
            let lines: Vec<String> = problems.iter().map(|p| format!("  - {}", describe_problem(p, lang))).collect();
            format!("{head}\n{}", lines.join("\n"))
        }
        BankError::Conflict { code, based_on, current, changed_by, changed_at } => {
            let at = format_timestamp(*changed_at);
            let show = shell_word(code);
            if it {
                format!("{code} è stato modificato da {changed_by} il {at} (revisione {current}; la tua modifica partiva dalla {based_on}). Nulla è stato sovrascritto: rileggi il record con `banca show {show}` e riapplica le modifiche.")
            } else {
                format!("{code} was changed by {changed_by} on {at} (revision {current}; your change was based on {based_on}). Nothing was overwritten: read the record again with `banca show {show}` and re-apply your change.")
            }
        }
        BankError::Refused(r) => super::describe_refusal(r, lang),
        BankError::Busy { scope } => {
            let whose = match (scope, it) {
                (crate::api::HeavyScope::User { limit }, true) => format!("{limit} tue richieste già in corso"),
                (crate::api::HeavyScope::User { limit }, false) => format!("{limit} of your requests under way"),
                (crate::api::HeavyScope::Server { limit }, true) => format!("{limit} richieste già in corso"),
                (crate::api::HeavyScope::Server { limit }, false) => format!("{limit} requests under way"),
            };
            if it {
                format!("Il server è occupato con altre richieste pesanti, riprova tra poco ({whose}).")
            } else {
                format!("The server is busy with other heavy requests, try again shortly ({whose}).")
            }
        }
        BankError::NotFound { code } => {
            if it {
                format!("{code}: non trovato")
            } else {
                format!("{code}: not found")
            }
        }
        BankError::Forbidden { action } => {
            if it {
                format!("Operazione non consentita al tuo ruolo ({action}).")
            } else {
                format!("Your role does not allow this ({action}).")
            }
        }
        BankError::UnknownUser { user } => {
            if it {
                format!("L'utente «{user}» non è un operatore di questa banca: chiedi a un amministratore di aggiungerti (`banca operator add {user} ...`).")
            } else {
                format!("User \"{user}\" is not an operator of this bank: ask an administrator to add you (`banca operator add {user} ...`).")
            }
        }
        BankError::InactiveUser { user } => {
            if it {
                format!("L'operatore «{user}» è disattivato: chiedi a un amministratore di riattivarlo.")
            } else {
                format!("Operator \"{user}\" is deactivated: ask an administrator to reactivate it.")
            }
        }
        BankError::NotInitialized => lang
            .pick(
                "La banca non ha ancora operatori: l'utente del server (o root) esegue `banca init --admin UTENTE`.",
                "The bank has no operators yet: the server's user (or root) runs `banca init --admin USER`.",
            )
            .into(),
        BankError::ServerUserOnly { action } => {
            if it {
                format!("Solo l'utente del server della banca (o root) può eseguire `{action}` su una banca vuota: chiedi all'amministratore di sistema.")
            } else {
                format!("Only the bank server's own user (or root) may run `{action}` on an empty bank: ask the system administrator.")
            }
        }
        BankError::AlreadyInitialized => lang.pick("La banca è già inizializzata.", "The bank is already initialised.").into(),
        BankError::NotEmpty => lang
            .pick(
                "La banca non è vuota: l'importazione ripristina in una banca nuova (indica un nuovo percorso con --db).",
                "The bank is not empty: an import restores into a new bank (give a new path with --db).",
            )
            .into(),
        BankError::ImportRejected(lines) => {
            let head = if it {
                format!("File rifiutato, nessun dato è stato scritto. Righe con problemi: {}", lines.len())
            } else {
                format!("File refused, nothing was written. Lines with problems: {}", lines.len())
            };
            let mut out = vec![head];
            for l in lines.iter().take(50) {
                let word = lang.pick("riga", "line");
                match &l.problem {
                    LineFault::Invalid(problems) => {
                        for p in problems {
                            out.push(format!("  {word} {}: {}", l.line, describe_problem(p, lang)));
                        }
                    }
                    other => out.push(format!("  {word} {}: {}", l.line, line_fault(other, lang))),
                }
            }
            if lines.len() > 50 {
                out.push(format!("  … (+{})", lines.len() - 50));
            }
            out.join("\n")
        }
        BankError::AuditBroken(b) => {
            format!("{} {}", lang.pick("Registro alterato:", "Audit log altered:"), chain_break(b, lang))
        }
        BankError::Storage(s) => format!("{} {s}", lang.pick("Errore di archiviazione:", "Storage error:")),
        BankError::Damaged { tree, record, reason, .. } => match lang {
            Lang::It => format!(
                "Il record {record} ({tree}) non si legge più ed è stato messo in quarantena; il resto della banca \
                 funziona. Un amministratore lo esamina con `banca doctor`. Motivo: {reason}"
            ),
            Lang::En => format!(
                "Record {record} ({tree}) no longer reads and was set aside in quarantine; the rest of the bank \
                 works. An administrator looks at it with `banca doctor`. Why: {reason}"
            ),
        },
        BankError::Quarantined { code, tree, reason, found_at } => match lang {
            Lang::It => format!(
                "{code} è in quarantena dal {}: il record archiviato ({tree}) non si legge più ({reason}). \
                 Un amministratore lo esamina con `banca doctor --export-quarantine FILE`.",
                crate::i18n::format_timestamp(*found_at)
            ),
            Lang::En => format!(
                "{code} is in quarantine since {}: the stored record ({tree}) no longer reads ({reason}). \
                 An administrator looks at it with `banca doctor --export-quarantine FILE`.",
                crate::i18n::format_timestamp(*found_at)
            ),
        },
        BankError::DiskFull { available, reserve } => {
            let (free, kept) = (mib(*available), mib(*reserve));
            if it {
                format!("Disco pieno: restano {free} liberi sul disco della banca, sotto la riserva di {kept}; nulla è stato salvato. Riprova quando l'amministratore avrà liberato spazio.")
            } else {
                format!("Disk full: {free} left on the bank's disk, under the reserve of {kept}; nothing was saved. Try again once the administrator has freed space.")
            }
        }
        BankError::WriteFailed { reason } => {
            if it {
                format!("Scrittura sul disco non riuscita ({reason}): non è noto se la modifica sia stata salvata. Il server si riavvia sui dati salvati: tra poco controlla il record prima di ripeterla.")
            } else {
                format!("The write to disk failed ({reason}): it is not known whether the change was saved. The server restarts on the saved data: shortly, check the record before repeating it.")
            }
        }
        BankError::Halted => lang
            .pick(
                "Il server si sta riavviando dopo una scrittura non riuscita sul disco: riprova tra poco.",
                "The server is restarting after a write to disk failed: try again shortly.",
            )
            .into(),
    }
}

/// Bytes as an operator reads them on a disk: MiB with one decimal.
fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / 1048576.0)
}

/// A code as typed after `banca show`: quoted when it has spaces (an ambito's name).
fn shell_word(code: &str) -> String {
    if code.contains(char::is_whitespace) {
        format!("\"{code}\"")
    } else {
        code.to_string()
    }
}

fn line_fault(f: &LineFault, lang: Lang) -> String {
    match f {
        LineFault::Unreadable(e) => format!("{} ({e})", lang.pick("riga illeggibile", "unreadable line")),
        LineFault::BadHeader => lang
            .pick(
                "la prima riga non è l'intestazione di un'esportazione banca",
                "the first line is not a banca export header",
            )
            .into(),
        LineFault::Invalid(_) => lang.pick("record non valido", "invalid record").into(),
        LineFault::DuplicateRecord(k) => format!("{} {k}", lang.pick("record ripetuto:", "repeated record:")),
        LineFault::AuditChain(b) => chain_break(b, lang),
        LineFault::Truncated { expected: 0, .. } => lang
            .pick(
                "manca la riga finale dell'esportazione: il file è stato troncato",
                "the export's closing line is missing: the file was cut short",
            )
            .into(),
        LineFault::Truncated { expected, found } => {
            if lang == Lang::It {
                format!("la riga finale dichiara {expected} righe precedenti ma ce ne sono {found}: il file è stato alterato o troncato")
            } else {
                format!("the closing line counts {expected} lines before it but there are {found}: the file was altered or cut short")
            }
        }
        LineFault::AfterEnd => lang.pick("riga dopo la riga finale", "a line after the closing line").into(),
        LineFault::NotUtf8 => lang.pick("non è UTF-8 valido", "not valid UTF-8").into(),
        LineFault::TooLong { max } => {
            if lang == Lang::It {
                format!("riga più lunga di {} MiB: nessuna esportazione banca ne contiene", max >> 20)
            } else {
                format!("line longer than {} MiB: no banca export has one", max >> 20)
            }
        }
        LineFault::Blank => lang.pick("riga vuota", "empty line").into(),
        LineFault::NoFinalNewline => lang
            .pick(
                "l'ultima riga non termina con un ritorno a capo: il file è stato troncato o modificato",
                "the last line has no newline: the file was cut short or edited",
            )
            .into(),
        LineFault::UnknownKey { key } => {
            format!("{} `{key}`", lang.pick("chiave sconosciuta", "unknown key"))
        }
        LineFault::MissingKey { key } => {
            format!("{} `{key}`", lang.pick("manca la chiave", "missing key"))
        }
        LineFault::NotCanonical => lang
            .pick(
                "la riga non è scritta come banca la scrive (spazi, ordine delle chiavi o caratteri): il file è stato modificato",
                "the line is not written as banca writes it (spacing, key order or escapes): the file was edited",
            )
            .into(),
        LineFault::RevisionZero => lang
            .pick("revisione 0: ogni record salvato ha revisione 1 o più", "revision 0: every stored record has revision 1 or more")
            .into(),
        LineFault::Misplaced { kind } => {
            if lang == Lang::It {
                format!("una riga «{kind}» fuori dall'ordine dell'esportazione")
            } else {
                format!("a “{kind}” line out of the export's order")
            }
        }
        LineFault::OutOfOrder { record } => {
            if lang == Lang::It {
                format!("{record} fuori ordine: le righe di un'esportazione sono in ordine di codice")
            } else {
                format!("{record} out of order: an export's lines are in code order")
            }
        }
        LineFault::Undigested { version } => {
            if lang == Lang::It {
                format!("esportazione della versione {version}, senza impronta di controllo: non si può verificare che sia integra. Ripristinala con la versione di banca che l'ha prodotta, poi esporta di nuovo con questa")
            } else {
                format!("an export of version {version}, without a digest: it cannot be proved whole. Restore it with the banca that wrote it, then export again with this one")
            }
        }
        LineFault::UnsupportedVersion { version, supported } => {
            if lang == Lang::It {
                format!("esportazione della versione {version}, più recente di questa banca (versione {supported}): aggiorna banca")
            } else {
                format!("an export of version {version}, newer than this banca's ({supported}): update banca")
            }
        }
        LineFault::StoreFormat { found, supported } => {
            if lang == Lang::It {
                format!("formato di archivio {found} sconosciuto (questa banca conosce il {supported})")
            } else {
                format!("unknown store format {found} (this banca knows {supported})")
            }
        }
        LineFault::DigestMismatch => lang
            .pick(
                "l'impronta della riga finale non corrisponde alle righe precedenti: una riga è stata modificata, aggiunta, tolta o spostata",
                "the closing line's digest does not match the lines before it: a line was changed, added, removed or moved",
            )
            .into(),
        LineFault::BeyondCounter { series, counter } => {
            if lang == Lang::It {
                format!("codice oltre il contatore {series} ({counter}): in una banca la numerazione prosegue dal contatore")
            } else {
                format!("a code beyond the counter {series} ({counter}): in a bank, numbering goes on from the counter")
            }
        }
        LineFault::NoAdministrator => lang
            .pick(
                "nel file non c'è nessun amministratore attivo: ogni esportazione ne ha uno, e senza la banca non si potrebbe gestire",
                "the file has no active administrator: every export has one, and without one the bank could not be run",
            )
            .into(),
        LineFault::Unstorable { reason } => {
            format!("{} ({reason})", lang.pick("record troppo grande per essere conservato", "record too large to be stored"))
        }
    }
}

pub fn chain_break(b: &ChainBreak, lang: Lang) -> String {
    if lang == Lang::En {
        return b.to_string();
    }
    match b {
        ChainBreak::Altered { seq } => {
            format!("la voce {seq} è stata alterata: il suo hash non corrisponde al contenuto")
        }
        ChainBreak::Missing { expected, found } => {
            format!("manca la voce {expected} (la successiva trovata è la {found})")
        }
        ChainBreak::Reordered { position, seq } => {
            format!("in posizione {position} c'è la voce {seq}: le voci sono state spostate")
        }
        ChainBreak::BrokenLink { seq } => format!("la voce {seq} non segue quella precedente"),
        ChainBreak::Truncated { expected, found } => {
            format!("il registro finisce alla voce {found} ma la banca ne aveva registrate {expected}: sono state tolte voci in fondo")
        }
        ChainBreak::Unreadable { seq, reason } => format!("la voce {seq} è illeggibile: {reason}"),
    }
}

/// Why a bank's folder could not be opened or written, as a sentence.
pub fn describe_open_failure(e: &OpenFailure, lang: Lang) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        OpenFailure::Locked { path } => {
            format!("La banca in {} è aperta da un altro processo: è in esecuzione `banca serve`?", path.display())
        }
        OpenFailure::NoBank { path } => {
            format!("Non c'è una banca in {}: creala con `banca init` o `banca demo`.", path.display())
        }
        OpenFailure::NotABank { path } => format!("{} non è una banca di banca.", path.display()),
        OpenFailure::NewerFormat { path, found, supported } => format!(
            "La banca in {} ha il formato {found}, più recente di questo banca ({supported}): aggiorna banca.",
            path.display()
        ),
        OpenFailure::IncompleteImport { path } => format!(
            "Un'importazione in {} non è terminata: cancella la cartella e ripeti l'importazione.",
            path.display()
        ),
        OpenFailure::Corrupt { tree, key, reason, .. } => format!("Il record {key} in {tree} è danneggiato: {reason}"),
        OpenFailure::Unstorable { tree, key, reason } => {
            format!("Il record {key} in {tree} non può essere archiviato, nulla è stato salvato: {reason}")
        }
        OpenFailure::DiskFull { path, available, reserve } => format!(
            "Disco pieno: restano {} liberi sul disco di {}, sotto la riserva di {}; nulla è stato salvato.",
            mib(*available),
            path.display(),
            mib(*reserve)
        ),
        OpenFailure::WriteFailed { path, reason } => {
            format!("Scrittura in {} non riuscita ({reason}): non è noto se sia stata salvata.", path.display())
        }
        OpenFailure::Halted { path, reason } => {
            format!("La banca in {} si è fermata dopo una scrittura non riuscita: {reason}", path.display())
        }
        OpenFailure::Storage(e) => format!("Errore di archiviazione: {e}"),
        OpenFailure::Io { path, source } => format!("Errore sul file {}: {source}", path.display()),
    }
}

/// A client's failure to reach or trust the bank's server, as a sentence.
pub fn describe_client_error(e: &ClientError, lang: Lang) -> String {
    let it = lang == Lang::It;
    match e {
        // The server's own words: why it could not open the bank.
        ClientError::ServerFailed(text) => text.clone(),
        ClientError::Source(e) => {
            format!("{} {e}", lang.pick("Lettura del file non riuscita, nulla è stato importato:", "Reading the file failed, nothing was imported:"))
        }
        ClientError::NoServer { socket, shared: true } => {
            if it {
                format!(
                    "Il server della banca non è in esecuzione ({}): avvisare l'amministratore.",
                    socket.display()
                )
            } else {
                format!("The bank's server is not running ({}): tell the administrator.", socket.display())
            }
        }
        ClientError::NoServer { socket, shared: false } => {
            if it {
                format!(
                    "Nessun server risponde su {}: avviare `banca serve` o chiedere all'amministratore.",
                    socket.display()
                )
            } else {
                format!("No server answers on {}: start `banca serve` or ask the administrator.", socket.display())
            }
        }
        ClientError::PermissionDenied { socket } => {
            if it {
                format!("Accesso negato al server ({}): chiedere all'amministratore di essere aggiunti al gruppo degli operatori, poi uscire e rientrare nella sessione. Se `id` mostra già il gruppo, l'amministratore controlli la cartella del socket con `ls -ld {}` (deve essere drwxr-x--- del server e del gruppo degli operatori).", socket.display(), folder_of(socket).display())
            } else {
                format!("Permission denied on the server's socket ({}): ask the administrator to add you to the operators' group, then log out and in again. If `id` already lists the group, the administrator checks the socket's folder with `ls -ld {}` (it must be drwxr-x---, the server's and the operators' group's).", socket.display(), folder_of(socket).display())
            }
        }
        ClientError::Untrusted(u) => untrusted(u, lang),
        ClientError::Mismatch { server, client, shared: true } => {
            if it {
                format!("Il server è banca {server}, questo client è {client}: avvisare l'amministratore, che deve riavviare il servizio.")
            } else {
                format!("Server is banca {server}, this client {client}: tell the administrator, who must restart the service.")
            }
        }
        ClientError::Mismatch { server, client, shared: false } => {
            if it {
                format!("Il server è banca {server}, questo client è {client}: riavviare il server (`banca stop`).")
            } else {
                format!("Server is banca {server}, this client {client}: restart the server (`banca stop`).")
            }
        }
        ClientError::OtherBank { socket, serves, wanted } => {
            if it {
                format!("Il server su {} serve la banca {serves}, non {wanted}. Per una banca personale o di prova basta `--db {wanted}` da solo (senza --socket): ha un server suo.", socket.display())
            } else {
                format!("The server on {} serves the bank {serves}, not {wanted}. For a personal or training bank give `--db {wanted}` alone (no --socket): it has a server of its own.", socket.display())
            }
        }
        ClientError::NoUser(uid) => format!("{} {uid}", lang.pick("Nessun nome utente per l'uid", "No user name for uid")),
        ClientError::Lost { write_unknown: true } => lang.pick(
            "La connessione al server si è interrotta durante una modifica: non è noto se sia stata salvata. Controllare con `banca family show CODICE` (o need/service) prima di ripeterla.",
            "The connection to the server broke during a change: whether it was saved is unknown. Check with `banca family show CODE` (or need/service) before repeating it.",
        ).into(),
        ClientError::Lost { .. } => {
            lang.pick("La connessione al server si è interrotta.", "The connection to the server broke.").into()
        }
        ClientError::TimedOut { socket, after, stage, write_unknown } => {
            let secs = after.as_secs().max(1);
            let socket = socket.display();
            match (stage, write_unknown) {
                (Stage::Connect, _) => if it {
                    format!("Il server su {socket} non accetta connessioni da {secs} s: è sovraccarico o bloccato. Riprovare tra poco; se continua, avvisare l'amministratore.")
                } else {
                    format!("The server on {socket} has not accepted the connection for {secs} s: it is overloaded or stuck. Try again shortly; if it goes on, tell the administrator.")
                },
                (Stage::Handshake, _) => if it {
                    format!("Il server su {socket} non ha risposto entro {secs} s al collegamento: è bloccato. Avvisare l'amministratore.")
                } else {
                    format!("The server on {socket} did not answer the connection within {secs} s: it is stuck. Tell the administrator.")
                },
                (Stage::Reply, true) => if it {
                    format!("Il server non ha risposto entro {secs} s durante una modifica: non è noto se sia stata salvata. Controllare la scheda prima di ripeterla; se il server resta bloccato, avvisare l'amministratore (il limite si cambia con reply_timeout nella configurazione).")
                } else {
                    format!("The server did not answer within {secs} s during a change: whether it was saved is unknown. Check the record before repeating it; if the server stays stuck, tell the administrator (the limit is reply_timeout in the configuration).")
                },
                (Stage::Reply, false) => if it {
                    format!("Il server non ha risposto entro {secs} s: richiesta abbandonata. Se succede ancora, avvisare l'amministratore (il limite si cambia con reply_timeout nella configurazione).")
                } else {
                    format!("The server did not answer within {secs} s: request given up. If it happens again, tell the administrator (the limit is reply_timeout in the configuration).")
                },
            }
        }
        ClientError::NotSent(why) => format!(
            "{} {}",
            lang.pick(
                "La modifica NON è stata salvata: non è stata inviata al server.",
                "The change was NOT saved: it was never sent to the server."
            ),
            describe_client_error(why, lang)
        ),
        ClientError::Busy(crate::protocol::BusyScope::User { limit }) => if it {
            format!("Il server ha già {limit} connessioni aperte da questo utente, il massimo: chiudere qualche sessione di banca e riprovare.")
        } else {
            format!("The server already has {limit} connections open from this user, the most it allows: close some banca sessions and try again.")
        },
        ClientError::Busy(crate::protocol::BusyScope::Server { limit }) => if it {
            format!("Il server ha {limit} connessioni aperte, il massimo: riprovare tra poco; se continua, avvisare l'amministratore.")
        } else {
            format!("The server has {limit} connections open, the most it allows: try again shortly; if it goes on, tell the administrator.")
        },
        ClientError::NotSubscribed(e) => describe_error(e, lang),
        ClientError::Protocol(m) => m.clone(),
    }
}

fn untrusted(u: &Untrusted, lang: Lang) -> String {
    let it = lang == Lang::It;
    let expected = u.expected.join(lang.pick(" o ", " or "));
    let problem = match &u.why {
        Distrust::FolderIsSymlink => lang
            .pick("la cartella del socket è un collegamento simbolico", "the socket's folder is a symbolic link")
            .into(),
        Distrust::FolderWritableByOthers => lang
            .pick(
                "altri utenti possono scrivere nella cartella del socket, e quindi sostituirlo",
                "users other than its owner may write the socket's folder, and so replace the socket",
            )
            .into(),
        Distrust::ServerNotFolderOwner => lang
            .pick(
                "il processo che risponde non è del proprietario della cartella del socket",
                "the process answering is not the socket folder's owner",
            )
            .into(),
        Distrust::UnexpectedOwner => {
            lang.pick("il server non è dell'utente atteso", "the server does not run as the expected user").into()
        }
        Distrust::UnknownServerUser => {
            if it {
                format!("l'utente del server indicato ({expected}) non esiste su questa macchina")
            } else {
                format!("the configured server user ({expected}) does not exist on this machine")
            }
        }
        Distrust::Unverifiable(why) => {
            if it {
                format!("non è possibile verificare chi è il server ({why})")
            } else {
                format!("who the server is cannot be verified ({why})")
            }
        }
    };
    let hint = match u.why {
        Distrust::UnexpectedOwner | Distrust::UnknownServerUser => lang.pick(
            " Se quello è davvero il server della banca, l'amministratore lo indichi con server_user in /etc/banca/config.toml.",
            " If that really is the bank's server, the administrator names it with server_user in /etc/banca/config.toml.",
        ),
        _ => "",
    };
    let (socket, folder, mode) = (u.socket.display(), u.folder.display(), u.folder_mode);
    let (server, owner) = (&u.server, &u.folder_owner);
    if it {
        format!("Rifiutato il server su {socket}: {problem}. Atteso: un server dell'utente {expected}, in una cartella sua che solo lui può modificare. Trovato: server dell'utente {server}; cartella {folder} di {owner}, permessi {mode:04o}. Non è stato inviato nulla. Avvisare l'amministratore: qualcuno potrebbe fingersi il server della banca.{hint}")
    } else {
        format!("Refusing the server on {socket}: {problem}. Expected: a server of the user {expected}, in a folder of its own that only it may change. Found: a server of the user {server}; folder {folder} of {owner}, mode {mode:04o}. Nothing was sent. Tell the administrator: someone may be posing as the bank's server.{hint}")
    }
}

/// Why `banca serve` would not start, with the command that fixes it.
pub fn describe_serve_failure(e: &ServeFailure, lang: Lang) -> String {
    let it = lang == Lang::It;
    match e {
        ServeFailure::Open(s) => describe_open_failure(s, lang),
        ServeFailure::AlreadyServing { socket } => {
            if it {
                format!("Un server risponde già su {}: la banca ha già il suo server.", socket.display())
            } else {
                format!("A server is already answering on {}: the bank already has its server.", socket.display())
            }
        }
        ServeFailure::SocketFolderMissing { dir, user, group } => {
            let dir = dir.display();
            if it {
                format!("La cartella del socket {dir} non esiste. Con systemd la crea l'unità (RuntimeDirectory=banca, vedi docs/banca.service); senza systemd la crea contrib/banca-serve, o a mano come root: `install -d -o {user} -g {group} -m 0750 {dir}`.")
            } else {
                format!("The socket folder {dir} does not exist. Under systemd the unit makes it (RuntimeDirectory=banca, see docs/banca.service); without systemd contrib/banca-serve makes it, or by hand as root: `install -d -o {user} -g {group} -m 0750 {dir}`.")
            }
        }
        ServeFailure::SocketFolderUnsafe { found, problem } => folder_unsafe(found, *problem, lang),
        ServeFailure::NotInGroup { user, group } => {
            if it {
                format!("Il server gira come {user} senza il gruppo {group}, quindi non può aprire il socket agli operatori. Avviarlo con quel gruppo: Group={group} nell'unità systemd, oppure `runuser -u {user} -g {group} -- banca serve …` (contrib/banca-serve lo fa già).")
            } else {
                format!("The server runs as {user} without the group {group}, so it cannot open the socket to the operators. Start it with that group: Group={group} in the systemd unit, or `runuser -u {user} -g {group} -- banca serve …` (contrib/banca-serve does it).")
            }
        }
        ServeFailure::BankNotOwned { path, owner, user } => {
            let path = path.display();
            if it {
                format!("La banca {path} è dell'utente {owner}, ma il server gira come {user}: `sudo chown -R {user}: {path}`, oppure avviare il server come {owner}.")
            } else {
                format!("The bank {path} belongs to the user {owner}, but the server runs as {user}: `sudo chown -R {user}: {path}`, or start the server as {owner}.")
            }
        }
        ServeFailure::BankUnreachable { path, user } => {
            let parent = path.parent().unwrap_or(path).display();
            let path = path.display();
            if it {
                format!("Il server, che gira come {user}, non può raggiungere la banca {path}: una cartella del percorso non gli è accessibile. Controllare con `sudo ls -ld {parent} {path}`; di norma: `sudo chown {user}: {parent} && sudo chmod 0700 {parent}`.")
            } else {
                format!("The server, running as {user}, cannot reach the bank {path}: a folder on the way is closed to it. Check with `sudo ls -ld {parent} {path}`; usually: `sudo chown {user}: {parent} && sudo chmod 0700 {parent}`.")
            }
        }
        ServeFailure::UnknownGroup(g) => {
            if it {
                format!("Non esiste il gruppo Unix {g}: crearlo (`sudo groupadd {g}`) o correggere `group` nella configurazione.")
            } else {
                format!("There is no Unix group called {g}: create it (`sudo groupadd {g}`) or correct `group` in the configuration.")
            }
        }
        ServeFailure::PermissionDenied { path, user: me, .. } => {
            let path = path.display();
            if it {
                format!("Accesso negato a {path} per l'utente del server ({me}): controllare proprietario e permessi con `sudo ls -ld {path}`; il server deve esserne il proprietario.")
            } else {
                format!("Permission denied on {path} for the server's user ({me}): check owner and mode with `sudo ls -ld {path}`; the server must own it.")
            }
        }
        ServeFailure::Io { path, source } => format!("{}: {source}", path.display()),
    }
}

fn folder_unsafe(found: &FolderFound, problem: FolderProblem, lang: Lang) -> String {
    let it = lang == Lang::It;
    let (user, group) = (&found.server_user, found.operators.as_deref());
    let dir = found.dir.display();
    let seen = format!("{}:{} {:04o}", found.owner, found.group, found.mode);
    let (mode, make) = match group {
        Some(g) => ("0750", format!("sudo install -d -o {user} -g {g} -m 0750 {dir}")),
        None => ("0700", format!("install -d -m 0700 {dir}")),
    };
    match problem {
        FolderProblem::Symlink | FolderProblem::NotAFolder => {
            let what = match (problem, it) {
                (FolderProblem::Symlink, true) => "è un collegamento simbolico",
                (FolderProblem::Symlink, false) => "is a symbolic link",
                (_, true) => "non è una cartella",
                (_, false) => "is not a folder",
            };
            if it {
                format!(
                    "Il percorso del socket {dir} {what}: rimuoverlo (`sudo rm {dir}`) e creare la cartella: `{make}`."
                )
            } else {
                format!("The socket's folder {dir} {what}: remove it (`sudo rm {dir}`) and make the folder: `{make}`.")
            }
        }
        // A personal folder someone else made (in /tmp, without XDG_RUNTIME_DIR):
        // never adopt it, it may be a trap for the bank's traffic.
        FolderProblem::NotOwner if group.is_none() => {
            if it {
                format!("La cartella personale del socket {dir} ({seen}) è stata creata da {}, non da {user}: può essere un tentativo di intercettare la banca. Non prenderla: avvisare l'amministratore e intanto usare un socket in una cartella propria, ad esempio `--socket ~/.banca.sock`.", found.owner)
            } else {
                format!("The personal socket folder {dir} ({seen}) was made by {}, not by {user}: it may be an attempt to intercept the bank. Do not take it over: tell the administrator, and meanwhile use a socket in a folder of your own, e.g. `--socket ~/.banca.sock`.", found.owner)
            }
        }
        FolderProblem::NotOwner => {
            if it {
                format!("La cartella del socket {dir} è di {} ({seen}), ma il server gira come {user}: `sudo chown {user} {dir} && sudo chmod {mode} {dir}`.", found.owner)
            } else {
                format!("The socket folder {dir} belongs to {} ({seen}), but the server runs as {user}: `sudo chown {user} {dir} && sudo chmod {mode} {dir}`.", found.owner)
            }
        }
        FolderProblem::WritableByOthers => {
            if it {
                format!("Altri utenti oltre a {} possono scrivere nella cartella del socket {dir} ({seen}) e quindi sostituire il socket: `chmod {mode} {dir}`.", found.owner)
            } else {
                format!("Users other than {} may write the socket folder {dir} ({seen}) and so replace the socket: `chmod {mode} {dir}`.", found.owner)
            }
        }
        FolderProblem::GroupCannotEnter => {
            let g = group.unwrap_or("?");
            if it {
                format!("Gli operatori (gruppo {g}) non possono entrare nella cartella del socket {dir} ({seen}): `sudo chgrp {g} {dir} && sudo chmod 0750 {dir}`.")
            } else {
                format!("The operators (group {g}) cannot enter the socket folder {dir} ({seen}): `sudo chgrp {g} {dir} && sudo chmod 0750 {dir}`.")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The store's error reaches the words through `api::OpenFailure`, worded as it always was.
    #[test]
    fn a_bank_open_in_another_process_is_named_with_the_likely_cause() {
        let e: OpenFailure = crate::store::StoreError::Locked { path: "/srv/banca/bank".into() }.into();
        assert_eq!(
            describe_open_failure(&e, Lang::It),
            "La banca in /srv/banca/bank è aperta da un altro processo: è in esecuzione `banca serve`?"
        );
        assert_eq!(
            describe_open_failure(&e, Lang::En),
            "the bank at /srv/banca/bank is open in another process — is `banca serve` running?"
        );
        assert!(!e.is_fault());
    }

    #[test]
    fn a_personal_socket_folder_made_by_someone_else_is_never_adopted() {
        let found = FolderFound {
            dir: "/tmp/banca-1003".into(),
            owner: "mallory".into(),
            group: "mallory".into(),
            mode: 0o777,
            server_user: "anna".into(),
            operators: None,
        };
        let e = ServeFailure::SocketFolderUnsafe { found: Box::new(found.clone()), problem: FolderProblem::NotOwner };
        let en = describe_serve_failure(&e, Lang::En);
        assert_eq!(
            en,
            "The personal socket folder /tmp/banca-1003 (mallory:mallory 0777) was made by mallory, not by anna: \
             it may be an attempt to intercept the bank. Do not take it over: tell the administrator, and meanwhile \
             use a socket in a folder of your own, e.g. `--socket ~/.banca.sock`."
        );
        assert!(!describe_serve_failure(&e, Lang::It).contains("chown"));
        // A shared server's folder with the wrong owner is the administrator's to fix: chown it.
        let shared = FolderFound { operators: Some("banca-operatori".into()), server_user: "banca".into(), ..found };
        let e = ServeFailure::SocketFolderUnsafe { found: Box::new(shared), problem: FolderProblem::NotOwner };
        assert!(describe_serve_failure(&e, Lang::En).contains("sudo chown banca /tmp/banca-1003"));
    }
}
