//! Errors of the bank and the store as sentences for the operator.

use super::{describe_problem, format_timestamp, Lang};
use crate::api::ChainBreak;
use crate::api::{BankError, LineFault};
use crate::api::{FolderFound, FolderProblem, OpenFailure, ServeFailure};
use crate::client::trust::{folder_of, Distrust, Untrusted};
use crate::client::{ClientError, Stage};
use crate::i18n::catalogue;

catalogue!(
    /// The sentences of errors: the bank's, the store's, the client's and the server's.
    ErrorWords {
        InvalidInputNothingWas => "Dati non validi, nulla è stato salvato:", "Invalid input, nothing was saved:";
        TheBankHasNo => "La banca non ha ancora operatori: l'utente del server (o root) esegue `banca init --admin UTENTE`.",
            "The bank has no operators yet: the server's user (or root) runs `banca init --admin USER`.";
        TheBankIsAlready => "La banca è già inizializzata.", "The bank is already initialised.";
        TheBankIsNot => "La banca non è vuota: l'importazione ripristina in una banca nuova (indica un nuovo percorso con --db).",
            "The bank is not empty: an import restores into a new bank (give a new path with --db).";
        Line => "riga", "line";
        AuditLogAltered => "Registro alterato:", "Audit log altered:";
        StorageError => "Errore di archiviazione:", "Storage error:";
        TheServerIsRestarting => "Il server si sta riavviando dopo una scrittura non riuscita sul disco: riprova tra poco.",
            "The server is restarting after a write to disk failed: try again shortly.";
        UnreadableLine => "riga illeggibile", "unreadable line";
        TheFirstLineIs => "la prima riga non è l'intestazione di un'esportazione banca",
            "the first line is not a banca export header";
        InvalidRecord => "record non valido", "invalid record";
        RepeatedRecord => "record ripetuto:", "repeated record:";
        TheExportSClosing => "manca la riga finale dell'esportazione: il file è stato troncato",
            "the export's closing line is missing: the file was cut short";
        ALineAfterThe => "riga dopo la riga finale", "a line after the closing line";
        NotValidUtf8 => "non è UTF-8 valido", "not valid UTF-8";
        EmptyLine => "riga vuota", "empty line";
        TheLastLineHas => "l'ultima riga non termina con un ritorno a capo: il file è stato troncato o modificato",
            "the last line has no newline: the file was cut short or edited";
        UnknownKey => "chiave sconosciuta", "unknown key";
        MissingKey => "manca la chiave", "missing key";
        TheLineIsNot => "la riga non è scritta come banca la scrive (spazi, ordine delle chiavi o caratteri): il file è stato modificato",
            "the line is not written as banca writes it (spacing, key order or escapes): the file was edited";
        Revision0EveryStored => "revisione 0: ogni record salvato ha revisione 1 o più",
            "revision 0: every stored record has revision 1 or more";
        TheClosingLineS => "l'impronta della riga finale non corrisponde alle righe precedenti: una riga è stata modificata, aggiunta, tolta o spostata",
            "the closing line's digest does not match the lines before it: a line was changed, added, removed or moved";
        TheFileHasNo => "nel file non c'è nessun amministratore attivo: ogni esportazione ne ha uno, e senza la banca non si potrebbe gestire",
            "the file has no active administrator: every export has one, and without one the bank could not be run";
        RecordTooLargeTo => "record troppo grande per essere conservato", "record too large to be stored";
        ReadingTheFileFailed => "Lettura del file non riuscita, nulla è stato importato:",
            "Reading the file failed, nothing was imported:";
        NoUserNameFor => "Nessun nome utente per l'uid", "No user name for uid";
        LostDuringChange => "La connessione al server si è interrotta durante una modifica: non è noto se sia stata salvata. Controllare con `banca family show CODICE` (o need/service) prima di ripeterla.",
            "The connection to the server broke during a change: whether it was saved is unknown. Check with `banca family show CODE` (or need/service) before repeating it.";
        Lost => "La connessione al server si è interrotta.", "The connection to the server broke.";
        TheChangeWasNot => "La modifica NON è stata salvata: non è stata inviata al server.",
            "The change was NOT saved: it was never sent to the server.";
        Or => " o ", " or ";
        FolderIsSymlink => "la cartella del socket è un collegamento simbolico",
            "the socket's folder is a symbolic link";
        UsersOtherThanIts => "altri utenti possono scrivere nella cartella del socket, e quindi sostituirlo",
            "users other than its owner may write the socket's folder, and so replace the socket";
        TheProcessAnsweringIs => "il processo che risponde non è del proprietario della cartella del socket",
            "the process answering is not the socket folder's owner";
        TheServerDoesNot => "il server non è dell'utente atteso", "the server does not run as the expected user";
        IfThatReallyIs => " Se quello è davvero il server della banca, l'amministratore lo indichi con server_user in /etc/banca/config.toml.",
            " If that really is the bank's server, the administrator names it with server_user in /etc/banca/config.toml.";
        WasChangedByOn => "{code} è stato modificato da {changed_by} il {at} (revisione {current}; la tua modifica partiva dalla {based_on}). Nulla è stato sovrascritto: rileggi il record con `banca show {show}` e riapplica le modifiche.",
            "{code} was changed by {changed_by} on {at} (revision {current}; your change was based on {based_on}). Nothing was overwritten: read the record again with `banca show {show}` and re-apply your change.";
        TheServerIsBusy => "Il server è occupato con altre richieste pesanti, riprova tra poco ({whose}).",
            "The server is busy with other heavy requests, try again shortly ({whose}).";
        NotFound => "{code}: non trovato", "{code}: not found";
        YourRoleDoesNot => "Operazione non consentita al tuo ruolo ({action}).",
            "Your role does not allow this ({action}).";
        UserIsNotAn => "L'utente «{user}» non è un operatore di questa banca: chiedi a un amministratore di aggiungerti (`banca operator add {user} ...`).",
            "User \"{user}\" is not an operator of this bank: ask an administrator to add you (`banca operator add {user} ...`).";
        OperatorIsDeactivatedAsk => "L'operatore «{user}» è disattivato: chiedi a un amministratore di riattivarlo.",
            "Operator \"{user}\" is deactivated: ask an administrator to reactivate it.";
        OnlyTheBankServer => "Solo l'utente del server della banca (o root) può eseguire `{action}` su una banca vuota: chiedi all'amministratore di sistema.",
            "Only the bank server's own user (or root) may run `{action}` on an empty bank: ask the system administrator.";
        FileRefusedNothingWas => "File rifiutato, nessun dato è stato scritto. Righe con problemi: {count}",
            "File refused, nothing was written. Lines with problems: {count}";
        DiskFullLeftOn => "Disco pieno: restano {free} liberi sul disco della banca, sotto la riserva di {kept}; nulla è stato salvato. Riprova quando l'amministratore avrà liberato spazio.",
            "Disk full: {free} left on the bank's disk, under the reserve of {kept}; nothing was saved. Try again once the administrator has freed space.";
        TheWriteToDisk => "Scrittura sul disco non riuscita ({reason}): non è noto se la modifica sia stata salvata. Il server si riavvia sui dati salvati: tra poco controlla il record prima di ripeterla.",
            "The write to disk failed ({reason}): it is not known whether the change was saved. The server restarts on the saved data: shortly, check the record before repeating it.";
        TheClosingLineCounts => "la riga finale dichiara {expected} righe precedenti ma ce ne sono {found}: il file è stato alterato o troncato",
            "the closing line counts {expected} lines before it but there are {found}: the file was altered or cut short";
        LineLongerThanMib => "riga più lunga di {max} MiB: nessuna esportazione banca ne contiene",
            "line longer than {max} MiB: no banca export has one";
        ALineOutOf => "una riga «{kind}» fuori dall'ordine dell'esportazione",
            "a “{kind}” line out of the export's order";
        OutOfOrderAn => "{record} fuori ordine: le righe di un'esportazione sono in ordine di codice",
            "{record} out of order: an export's lines are in code order";
        ExportUndigested => "esportazione della versione {version}, senza impronta di controllo: non si può verificare che sia integra. Ripristinala con la versione di banca che l'ha prodotta, poi esporta di nuovo con questa",
            "an export of version {version}, without a digest: it cannot be proved whole. Restore it with the banca that wrote it, then export again with this one";
        ExportNewer => "esportazione della versione {version}, più recente di questa banca (versione {supported}): aggiorna banca",
            "an export of version {version}, newer than this banca's ({supported}): update banca";
        UnknownStoreFormatThis => "formato di archivio {found} sconosciuto (questa banca conosce il {supported})",
            "unknown store format {found} (this banca knows {supported})";
        ACodeBeyondThe => "codice oltre il contatore {series} ({counter}): in una banca la numerazione prosegue dal contatore",
            "a code beyond the counter {series} ({counter}): in a bank, numbering goes on from the counter";
        TheBankSServer => "Il server della banca non è in esecuzione ({socket}): avvisare l'amministratore.",
            "The bank's server is not running ({socket}): tell the administrator.";
        NoServerAnswersOn => "Nessun server risponde su {socket}: avviare `banca serve` o chiedere all'amministratore.",
            "No server answers on {socket}: start `banca serve` or ask the administrator.";
        PermissionDeniedOnThe => "Accesso negato al server ({socket}): chiedere all'amministratore di essere aggiunti al gruppo degli operatori, poi uscire e rientrare nella sessione. Se `id` mostra già il gruppo, l'amministratore controlli la cartella del socket con `ls -ld {folder}` (deve essere drwxr-x--- del server e del gruppo degli operatori).",
            "Permission denied on the server's socket ({socket}): ask the administrator to add you to the operators' group, then log out and in again. If `id` already lists the group, the administrator checks the socket's folder with `ls -ld {folder}` (it must be drwxr-x---, the server's and the operators' group's).";
        MismatchShared => "Il server è banca {server}, questo client è {client}: avvisare l'amministratore, che deve riavviare il servizio.",
            "Server is banca {server}, this client {client}: tell the administrator, who must restart the service.";
        MismatchPersonal => "Il server è banca {server}, questo client è {client}: riavviare il server (`banca stop`).",
            "Server is banca {server}, this client {client}: restart the server (`banca stop`).";
        TheServerOnServes => "Il server su {socket} serve la banca {serves}, non {wanted}. Per una banca personale o di prova basta `--db {wanted}` da solo (senza --socket): ha un server suo.",
            "The server on {socket} serves the bank {serves}, not {wanted}. For a personal or training bank give `--db {wanted}` alone (no --socket): it has a server of its own.";
        TheServerOnHas => "Il server su {socket} non accetta connessioni da {secs} s: è sovraccarico o bloccato. Riprovare tra poco; se continua, avvisare l'amministratore.",
            "The server on {socket} has not accepted the connection for {secs} s: it is overloaded or stuck. Try again shortly; if it goes on, tell the administrator.";
        TheServerOnDid => "Il server su {socket} non ha risposto entro {secs} s al collegamento: è bloccato. Avvisare l'amministratore.",
            "The server on {socket} did not answer the connection within {secs} s: it is stuck. Tell the administrator.";
        ReplyTimedOutDuringChange => "Il server non ha risposto entro {secs} s durante una modifica: non è noto se sia stata salvata. Controllare la scheda prima di ripeterla; se il server resta bloccato, avvisare l'amministratore (il limite si cambia con reply_timeout nella configurazione).",
            "The server did not answer within {secs} s during a change: whether it was saved is unknown. Check the record before repeating it; if the server stays stuck, tell the administrator (the limit is reply_timeout in the configuration).";
        ReplyTimedOut => "Il server non ha risposto entro {secs} s: richiesta abbandonata. Se succede ancora, avvisare l'amministratore (il limite si cambia con reply_timeout nella configurazione).",
            "The server did not answer within {secs} s: request given up. If it happens again, tell the administrator (the limit is reply_timeout in the configuration).";
        TheServerAlreadyHas => "Il server ha già {limit} connessioni aperte da questo utente, il massimo: chiudere qualche sessione di banca e riprovare.",
            "The server already has {limit} connections open from this user, the most it allows: close some banca sessions and try again.";
        TheServerHasConnections => "Il server ha {limit} connessioni aperte, il massimo: riprovare tra poco; se continua, avvisare l'amministratore.",
            "The server has {limit} connections open, the most it allows: try again shortly; if it goes on, tell the administrator.";
        TheConfiguredServerUser => "l'utente del server indicato ({expected}) non esiste su questa macchina",
            "the configured server user ({expected}) does not exist on this machine";
        WhoTheServerIs => "non è possibile verificare chi è il server ({why})",
            "who the server is cannot be verified ({why})";
        AServerIsAlready => "Un server risponde già su {socket}: la banca ha già il suo server.",
            "A server is already answering on {socket}: the bank already has its server.";
        TheSocketFolderDoes => "La cartella del socket {dir} non esiste. Con systemd la crea l'unità (RuntimeDirectory=banca, vedi docs/banca.service); senza systemd la crea contrib/banca-serve, o a mano come root: `install -d -o {user} -g {group} -m 0750 {dir}`.",
            "The socket folder {dir} does not exist. Under systemd the unit makes it (RuntimeDirectory=banca, see docs/banca.service); without systemd contrib/banca-serve makes it, or by hand as root: `install -d -o {user} -g {group} -m 0750 {dir}`.";
        TheServerRunsAs => "Il server gira come {user} senza il gruppo {group}, quindi non può aprire il socket agli operatori. Avviarlo con quel gruppo: Group={group} nell'unità systemd, oppure `runuser -u {user} -g {group} -- banca serve …` (contrib/banca-serve lo fa già).",
            "The server runs as {user} without the group {group}, so it cannot open the socket to the operators. Start it with that group: Group={group} in the systemd unit, or `runuser -u {user} -g {group} -- banca serve …` (contrib/banca-serve does it).";
        TheBankBelongsTo => "La banca {path} è dell'utente {owner}, ma il server gira come {user}: `sudo chown -R {user}: {path}`, oppure avviare il server come {owner}.",
            "The bank {path} belongs to the user {owner}, but the server runs as {user}: `sudo chown -R {user}: {path}`, or start the server as {owner}.";
        TheServerRunningAs => "Il server, che gira come {user}, non può raggiungere la banca {path}: una cartella del percorso non gli è accessibile. Controllare con `sudo ls -ld {parent} {path}`; di norma: `sudo chown {user}: {parent} && sudo chmod 0700 {parent}`.",
            "The server, running as {user}, cannot reach the bank {path}: a folder on the way is closed to it. Check with `sudo ls -ld {parent} {path}`; usually: `sudo chown {user}: {parent} && sudo chmod 0700 {parent}`.";
        ThereIsNoUnix => "Non esiste il gruppo Unix {g}: crearlo (`sudo groupadd {g}`) o correggere `group` nella configurazione.",
            "There is no Unix group called {g}: create it (`sudo groupadd {g}`) or correct `group` in the configuration.";
        PermissionDeniedOnFor => "Accesso negato a {path} per l'utente del server ({me}): controllare proprietario e permessi con `sudo ls -ld {path}`; il server deve esserne il proprietario.",
            "Permission denied on {path} for the server's user ({me}): check owner and mode with `sudo ls -ld {path}`; the server must own it.";
        FolderNotUsable => "Il percorso del socket {dir} {what}: rimuoverlo (`sudo rm {dir}`) e creare la cartella: `{make}`.",
            "The socket's folder {dir} {what}: remove it (`sudo rm {dir}`) and make the folder: `{make}`.";
        ThePersonalSocketFolder => "La cartella personale del socket {dir} ({seen}) è stata creata da {owner}, non da {user}: può essere un tentativo di intercettare la banca. Non prenderla: avvisare l'amministratore e intanto usare un socket in una cartella propria, ad esempio `--socket ~/.banca.sock`.",
            "The personal socket folder {dir} ({seen}) was made by {owner}, not by {user}: it may be an attempt to intercept the bank. Do not take it over: tell the administrator, and meanwhile use a socket in a folder of your own, e.g. `--socket ~/.banca.sock`.";
        TheSocketFolderBelongs => "La cartella del socket {dir} è di {owner} ({seen}), ma il server gira come {user}: `sudo chown {user} {dir} && sudo chmod {mode} {dir}`.",
            "The socket folder {dir} belongs to {owner} ({seen}), but the server runs as {user}: `sudo chown {user} {dir} && sudo chmod {mode} {dir}`.";
        UsersOtherThanMay => "Altri utenti oltre a {owner} possono scrivere nella cartella del socket {dir} ({seen}) e quindi sostituire il socket: `chmod {mode} {dir}`.",
            "Users other than {owner} may write the socket folder {dir} ({seen}) and so replace the socket: `chmod {mode} {dir}`.";
        TheOperatorsGroupCannot => "Gli operatori (gruppo {g}) non possono entrare nella cartella del socket {dir} ({seen}): `sudo chgrp {g} {dir} && sudo chmod 0750 {dir}`.",
            "The operators (group {g}) cannot enter the socket folder {dir} ({seen}): `sudo chgrp {g} {dir} && sudo chmod 0750 {dir}`.";
        YoursUnderWay => "{limit} tue richieste già in corso", "{limit} of your requests under way";
        UnderWay => "{limit} richieste già in corso", "{limit} requests under way";
        Damaged => "Il record {record} ({tree}) non si legge più ed è stato messo in quarantena; il resto della banca \
                    funziona. Un amministratore lo esamina con `banca doctor`. Motivo: {reason}",
            "Record {record} ({tree}) no longer reads and was set aside in quarantine; the rest of the bank \
             works. An administrator looks at it with `banca doctor`. Why: {reason}";
        Quarantined => "{code} è in quarantena dal {since}: il record archiviato ({tree}) non si legge più ({reason}). \
                        Un amministratore lo esamina con `banca doctor --export-quarantine FILE`.",
            "{code} is in quarantine since {since}: the stored record ({tree}) no longer reads ({reason}). \
             An administrator looks at it with `banca doctor --export-quarantine FILE`.";
        Untrusted => "Rifiutato il server su {socket}: {problem}. Atteso: un server dell'utente {expected}, in una \
                      cartella sua che solo lui può modificare. Trovato: server dell'utente {server}; cartella {folder} \
                      di {owner}, permessi {mode}. Non è stato inviato nulla. Avvisare l'amministratore: qualcuno \
                      potrebbe fingersi il server della banca.{hint}",
            "Refusing the server on {socket}: {problem}. Expected: a server of the user {expected}, in a folder of its \
             own that only it may change. Found: a server of the user {server}; folder {folder} of {owner}, mode \
             {mode}. Nothing was sent. Tell the administrator: someone may be posing as the bank's server.{hint}";
        IsASymlink => "è un collegamento simbolico", "is a symbolic link";
        IsNotAFolder => "non è una cartella", "is not a folder";
        // Where the audit chain breaks.
        ChainAltered => "la voce {seq} è stata alterata: il suo hash non corrisponde al contenuto",
            "entry {seq} was altered: its hash does not match its content";
        ChainMissing => "manca la voce {expected} (la successiva trovata è la {found})",
            "entry {expected} is missing (next found: {found})";
        ChainReordered => "in posizione {position} c'è la voce {seq}: le voci sono state spostate",
            "entry at position {position} carries number {seq}: entries were moved";
        ChainBrokenLink => "la voce {seq} non segue quella precedente", "entry {seq} does not follow the entry before it";
        ChainTruncated => "il registro finisce alla voce {found} ma la banca ne aveva registrate {expected}: sono state \
                           tolte voci in fondo",
            "the log ends at entry {found} but the bank recorded {expected} entries: entries were removed from the end";
        ChainUnreadable => "la voce {seq} è illeggibile: {reason}", "entry {seq} does not decode: {reason}";
        // Why a bank's folder could not be opened or written.
        OpenLocked => "La banca in {path} è aperta da un altro processo: è in esecuzione `banca serve`?",
            "the bank at {path} is open in another process — is `banca serve` running?";
        OpenNoBank => "Non c'è una banca in {path}: creala con `banca init` o `banca demo`.",
            "there is no bank at {path}: create one with `banca init` or `banca demo`";
        OpenNotABank => "{path} non è una banca di banca.", "{path} is not a banca bank";
        OpenNewerFormat => "La banca in {path} ha il formato {found}, più recente di questo banca ({supported}): aggiorna banca.",
            "the bank at {path} has format {found}, newer than this banca ({supported}): update banca";
        OpenIncompleteImport => "Un'importazione in {path} non è terminata: cancella la cartella e ripeti l'importazione.",
            "an import into {path} did not finish: delete the folder and import again";
        OpenCorrupt => "Il record {key} in {tree} è danneggiato: {reason}", "record {key} in {tree} is damaged: {reason}";
        OpenUnstorable => "Il record {key} in {tree} non può essere archiviato, nulla è stato salvato: {reason}",
            "record {key} in {tree} cannot be stored, nothing was saved: {reason}";
        OpenDiskFull => "Disco pieno: restano {free} liberi sul disco di {path}, sotto la riserva di {kept}; nulla è stato salvato.",
            "the disk holding {path} is full ({free} free, {kept} kept in reserve): nothing was saved";
        OpenWriteFailed => "Scrittura in {path} non riuscita ({reason}): non è noto se sia stata salvata.",
            "writing to {path} failed ({reason}): it may or may not be on disk";
        OpenHalted => "La banca in {path} si è fermata dopo una scrittura non riuscita: {reason}",
            "the bank at {path} stopped after a failed write: {reason}";
        OpenStorage => "Errore di archiviazione: {error}", "storage error: {error}";
        OpenIo => "Errore sul file {path}: {source}", "file error on {path}: {source}";
    }
);

pub fn describe_error(e: &BankError, lang: Lang) -> String {
    match e {
        BankError::Invalid(problems) => {
            let head = ErrorWords::InvalidInputNothingWas.get(lang);
            let lines: Vec<String> = problems.iter().map(|p| format!("  - {}", describe_problem(p, lang))).collect();
            format!("{head}\n{}", lines.join("\n"))
        }
        BankError::Conflict { code, based_on, current, changed_by, changed_at } => {
            let at = format_timestamp(*changed_at);
            let show = shell_word(code);
            ErrorWords::WasChangedByOn.fill(
                lang,
                &[
                    ("code", &code),
                    ("changed_by", &changed_by),
                    ("at", &at),
                    ("current", &current),
                    ("based_on", &based_on),
                    ("show", &show),
                ],
            )
        }
        BankError::Refused(r) => super::describe_refusal(r, lang),
        BankError::Busy { scope } => {
            let whose = match scope {
                crate::api::HeavyScope::User { limit } => ErrorWords::YoursUnderWay.fill(lang, &[("limit", limit)]),
                crate::api::HeavyScope::Server { limit } => ErrorWords::UnderWay.fill(lang, &[("limit", limit)]),
            };
            ErrorWords::TheServerIsBusy.fill(lang, &[("whose", &whose)])
        }
        BankError::NotFound { code } => ErrorWords::NotFound.fill(lang, &[("code", &code)]),
        BankError::Forbidden { action } => ErrorWords::YourRoleDoesNot.fill(lang, &[("action", &action)]),
        BankError::UnknownUser { user } => ErrorWords::UserIsNotAn.fill(lang, &[("user", &user)]),
        BankError::InactiveUser { user } => ErrorWords::OperatorIsDeactivatedAsk.fill(lang, &[("user", &user)]),
        BankError::NotInitialized => ErrorWords::TheBankHasNo.get(lang).into(),
        BankError::ServerUserOnly { action } => ErrorWords::OnlyTheBankServer.fill(lang, &[("action", &action)]),
        BankError::AlreadyInitialized => ErrorWords::TheBankIsAlready.get(lang).into(),
        BankError::NotEmpty => ErrorWords::TheBankIsNot.get(lang).into(),
        BankError::ImportRejected(lines) => {
            let head = ErrorWords::FileRefusedNothingWas.fill(lang, &[("count", &lines.len())]);
            let mut out = vec![head];
            for l in lines.iter().take(50) {
                let word = ErrorWords::Line.get(lang);
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
            format!("{} {}", ErrorWords::AuditLogAltered.get(lang), chain_break(b, lang))
        }
        BankError::Storage(s) => format!("{} {s}", ErrorWords::StorageError.get(lang)),
        BankError::Damaged { tree, record, reason, .. } => {
            ErrorWords::Damaged.fill(lang, &[("record", record), ("tree", tree), ("reason", reason)])
        }
        BankError::Quarantined { code, tree, reason, found_at } => ErrorWords::Quarantined
            .fill(lang, &[("code", code), ("since", &format_timestamp(*found_at)), ("tree", tree), ("reason", reason)]),
        BankError::DiskFull { available, reserve } => {
            let (free, kept) = (mib(*available), mib(*reserve));
            ErrorWords::DiskFullLeftOn.fill(lang, &[("free", &free), ("kept", &kept)])
        }
        BankError::WriteFailed { reason } => ErrorWords::TheWriteToDisk.fill(lang, &[("reason", &reason)]),
        BankError::Halted => ErrorWords::TheServerIsRestarting.get(lang).into(),
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
        LineFault::Unreadable(e) => format!("{} ({e})", ErrorWords::UnreadableLine.get(lang)),
        LineFault::BadHeader => ErrorWords::TheFirstLineIs.get(lang).into(),
        LineFault::Invalid(_) => ErrorWords::InvalidRecord.get(lang).into(),
        LineFault::DuplicateRecord(k) => format!("{} {k}", ErrorWords::RepeatedRecord.get(lang)),
        LineFault::AuditChain(b) => chain_break(b, lang),
        LineFault::Truncated { expected: 0, .. } => ErrorWords::TheExportSClosing.get(lang).into(),
        LineFault::Truncated { expected, found } => {
            ErrorWords::TheClosingLineCounts.fill(lang, &[("expected", &expected), ("found", &found)])
        }
        LineFault::AfterEnd => ErrorWords::ALineAfterThe.get(lang).into(),
        LineFault::NotUtf8 => ErrorWords::NotValidUtf8.get(lang).into(),
        LineFault::TooLong { max } => ErrorWords::LineLongerThanMib.fill(lang, &[("max", &(max >> 20))]),
        LineFault::Blank => ErrorWords::EmptyLine.get(lang).into(),
        LineFault::NoFinalNewline => ErrorWords::TheLastLineHas.get(lang).into(),
        LineFault::UnknownKey { key } => {
            format!("{} `{key}`", ErrorWords::UnknownKey.get(lang))
        }
        LineFault::MissingKey { key } => {
            format!("{} `{key}`", ErrorWords::MissingKey.get(lang))
        }
        LineFault::NotCanonical => ErrorWords::TheLineIsNot.get(lang).into(),
        LineFault::RevisionZero => ErrorWords::Revision0EveryStored.get(lang).into(),
        LineFault::Misplaced { kind } => ErrorWords::ALineOutOf.fill(lang, &[("kind", &kind)]),
        LineFault::OutOfOrder { record } => ErrorWords::OutOfOrderAn.fill(lang, &[("record", &record)]),
        LineFault::Undigested { version } => ErrorWords::ExportUndigested.fill(lang, &[("version", &version)]),
        LineFault::UnsupportedVersion { version, supported } => {
            ErrorWords::ExportNewer.fill(lang, &[("version", &version), ("supported", &supported)])
        }
        LineFault::StoreFormat { found, supported } => {
            ErrorWords::UnknownStoreFormatThis.fill(lang, &[("found", &found), ("supported", &supported)])
        }
        LineFault::DigestMismatch => ErrorWords::TheClosingLineS.get(lang).into(),
        LineFault::BeyondCounter { series, counter } => {
            ErrorWords::ACodeBeyondThe.fill(lang, &[("series", &series), ("counter", &counter)])
        }
        LineFault::NoAdministrator => ErrorWords::TheFileHasNo.get(lang).into(),
        LineFault::Unstorable { reason } => {
            format!("{} ({reason})", ErrorWords::RecordTooLargeTo.get(lang))
        }
    }
}

pub fn chain_break(b: &ChainBreak, lang: Lang) -> String {
    use ErrorWords as W;
    match b {
        ChainBreak::Altered { seq } => W::ChainAltered.fill(lang, &[("seq", seq)]),
        ChainBreak::Missing { expected, found } => {
            W::ChainMissing.fill(lang, &[("expected", expected), ("found", found)])
        }
        ChainBreak::Reordered { position, seq } => {
            W::ChainReordered.fill(lang, &[("position", position), ("seq", seq)])
        }
        ChainBreak::BrokenLink { seq } => W::ChainBrokenLink.fill(lang, &[("seq", seq)]),
        ChainBreak::Truncated { expected, found } => {
            W::ChainTruncated.fill(lang, &[("expected", expected), ("found", found)])
        }
        ChainBreak::Unreadable { seq, reason } => W::ChainUnreadable.fill(lang, &[("seq", seq), ("reason", reason)]),
    }
}

/// Why a bank's folder could not be opened or written, as a sentence.
pub fn describe_open_failure(e: &OpenFailure, lang: Lang) -> String {
    use ErrorWords as W;
    match e {
        OpenFailure::Locked { path } => W::OpenLocked.fill(lang, &[("path", &path.display())]),
        OpenFailure::NoBank { path } => W::OpenNoBank.fill(lang, &[("path", &path.display())]),
        OpenFailure::NotABank { path } => W::OpenNotABank.fill(lang, &[("path", &path.display())]),
        OpenFailure::NewerFormat { path, found, supported } => {
            W::OpenNewerFormat.fill(lang, &[("path", &path.display()), ("found", found), ("supported", supported)])
        }
        OpenFailure::IncompleteImport { path } => W::OpenIncompleteImport.fill(lang, &[("path", &path.display())]),
        OpenFailure::Corrupt { tree, key, reason, .. } => {
            W::OpenCorrupt.fill(lang, &[("key", key), ("tree", tree), ("reason", reason)])
        }
        OpenFailure::Unstorable { tree, key, reason } => {
            W::OpenUnstorable.fill(lang, &[("key", key), ("tree", tree), ("reason", reason)])
        }
        OpenFailure::DiskFull { path, available, reserve } => W::OpenDiskFull
            .fill(lang, &[("free", &mib(*available)), ("path", &path.display()), ("kept", &mib(*reserve))]),
        OpenFailure::WriteFailed { path, reason } => {
            W::OpenWriteFailed.fill(lang, &[("path", &path.display()), ("reason", reason)])
        }
        OpenFailure::Halted { path, reason } => {
            W::OpenHalted.fill(lang, &[("path", &path.display()), ("reason", reason)])
        }
        OpenFailure::Storage(e) => W::OpenStorage.fill(lang, &[("error", e)]),
        OpenFailure::Io { path, source } => W::OpenIo.fill(lang, &[("path", &path.display()), ("source", source)]),
    }
}

/// A client's failure to reach or trust the bank's server, as a sentence.
pub fn describe_client_error(e: &ClientError, lang: Lang) -> String {
    match e {
        // The server's own words: why it could not open the bank.
        ClientError::ServerFailed(text) => text.clone(),
        ClientError::Source(e) => {
            format!("{} {e}", ErrorWords::ReadingTheFileFailed.get(lang))
        }
        ClientError::NoServer { socket, shared: true } => {
            ErrorWords::TheBankSServer.fill(lang, &[("socket", &socket.display())])
        }
        ClientError::NoServer { socket, shared: false } => {
            ErrorWords::NoServerAnswersOn.fill(lang, &[("socket", &socket.display())])
        }
        ClientError::PermissionDenied { socket } => ErrorWords::PermissionDeniedOnThe
            .fill(lang, &[("socket", &socket.display()), ("folder", &folder_of(socket).display())]),
        ClientError::Untrusted(u) => untrusted(u, lang),
        ClientError::Mismatch { server, client, shared: true } => {
            ErrorWords::MismatchShared.fill(lang, &[("server", &server), ("client", &client)])
        }
        ClientError::Mismatch { server, client, shared: false } => {
            ErrorWords::MismatchPersonal.fill(lang, &[("server", &server), ("client", &client)])
        }
        ClientError::OtherBank { socket, serves, wanted } => ErrorWords::TheServerOnServes
            .fill(lang, &[("socket", &socket.display()), ("serves", &serves), ("wanted", &wanted)]),
        ClientError::NoUser(uid) => format!("{} {uid}", ErrorWords::NoUserNameFor.get(lang)),
        ClientError::Lost { write_unknown: true } => ErrorWords::LostDuringChange.get(lang).into(),
        ClientError::Lost { .. } => ErrorWords::Lost.get(lang).into(),
        ClientError::TimedOut { socket, after, stage, write_unknown } => {
            let secs = after.as_secs().max(1);
            let socket = socket.display();
            match (stage, write_unknown) {
                (Stage::Connect, _) => ErrorWords::TheServerOnHas.fill(lang, &[("socket", &socket), ("secs", &secs)]),
                (Stage::Handshake, _) => ErrorWords::TheServerOnDid.fill(lang, &[("socket", &socket), ("secs", &secs)]),
                (Stage::Reply, true) => ErrorWords::ReplyTimedOutDuringChange.fill(lang, &[("secs", &secs)]),
                (Stage::Reply, false) => ErrorWords::ReplyTimedOut.fill(lang, &[("secs", &secs)]),
            }
        }
        ClientError::NotSent(why) => {
            format!("{} {}", ErrorWords::TheChangeWasNot.get(lang), describe_client_error(why, lang))
        }
        ClientError::Busy(crate::protocol::BusyScope::User { limit }) => {
            ErrorWords::TheServerAlreadyHas.fill(lang, &[("limit", &limit)])
        }
        ClientError::Busy(crate::protocol::BusyScope::Server { limit }) => {
            ErrorWords::TheServerHasConnections.fill(lang, &[("limit", &limit)])
        }
        ClientError::NotSubscribed(e) => describe_error(e, lang),
        ClientError::Protocol(m) => m.clone(),
    }
}

fn untrusted(u: &Untrusted, lang: Lang) -> String {
    let expected = u.expected.join(ErrorWords::Or.get(lang));
    let problem = match &u.why {
        Distrust::FolderIsSymlink => ErrorWords::FolderIsSymlink.get(lang).into(),
        Distrust::FolderWritableByOthers => ErrorWords::UsersOtherThanIts.get(lang).into(),
        Distrust::ServerNotFolderOwner => ErrorWords::TheProcessAnsweringIs.get(lang).into(),
        Distrust::UnexpectedOwner => ErrorWords::TheServerDoesNot.get(lang).into(),
        Distrust::UnknownServerUser => ErrorWords::TheConfiguredServerUser.fill(lang, &[("expected", &expected)]),
        Distrust::Unverifiable(why) => ErrorWords::WhoTheServerIs.fill(lang, &[("why", &why)]),
    };
    let hint = match u.why {
        Distrust::UnexpectedOwner | Distrust::UnknownServerUser => ErrorWords::IfThatReallyIs.get(lang),
        _ => "",
    };
    let (socket, folder, mode) = (u.socket.display(), u.folder.display(), format!("{:04o}", u.folder_mode));
    let (server, owner) = (&u.server, &u.folder_owner);
    ErrorWords::Untrusted.fill(
        lang,
        &[
            ("socket", &socket),
            ("problem", &problem),
            ("expected", &expected),
            ("server", server),
            ("folder", &folder),
            ("owner", owner),
            ("mode", &mode),
            ("hint", &hint),
        ],
    )
}

/// Why `banca serve` would not start, with the command that fixes it.
pub fn describe_serve_failure(e: &ServeFailure, lang: Lang) -> String {
    match e {
        ServeFailure::Open(s) => describe_open_failure(s, lang),
        ServeFailure::AlreadyServing { socket } => {
            ErrorWords::AServerIsAlready.fill(lang, &[("socket", &socket.display())])
        }
        ServeFailure::SocketFolderMissing { dir, user, group } => {
            let dir = dir.display();
            ErrorWords::TheSocketFolderDoes.fill(lang, &[("dir", &dir), ("user", &user), ("group", &group)])
        }
        ServeFailure::SocketFolderUnsafe { found, problem } => folder_unsafe(found, *problem, lang),
        ServeFailure::NotInGroup { user, group } => {
            ErrorWords::TheServerRunsAs.fill(lang, &[("user", &user), ("group", &group)])
        }
        ServeFailure::BankNotOwned { path, owner, user } => {
            let path = path.display();
            ErrorWords::TheBankBelongsTo.fill(lang, &[("path", &path), ("owner", &owner), ("user", &user)])
        }
        ServeFailure::BankUnreachable { path, user } => {
            let parent = path.parent().unwrap_or(path).display();
            let path = path.display();
            ErrorWords::TheServerRunningAs.fill(lang, &[("user", &user), ("path", &path), ("parent", &parent)])
        }
        ServeFailure::UnknownGroup(g) => ErrorWords::ThereIsNoUnix.fill(lang, &[("g", &g)]),
        ServeFailure::PermissionDenied { path, user: me, .. } => {
            let path = path.display();
            ErrorWords::PermissionDeniedOnFor.fill(lang, &[("path", &path), ("me", &me)])
        }
        ServeFailure::Io { path, source } => format!("{}: {source}", path.display()),
    }
}

fn folder_unsafe(found: &FolderFound, problem: FolderProblem, lang: Lang) -> String {
    let (user, group) = (&found.server_user, found.operators.as_deref());
    let dir = found.dir.display();
    let seen = format!("{}:{} {:04o}", found.owner, found.group, found.mode);
    let (mode, make) = match group {
        Some(g) => ("0750", format!("sudo install -d -o {user} -g {g} -m 0750 {dir}")),
        None => ("0700", format!("install -d -m 0700 {dir}")),
    };
    match problem {
        FolderProblem::Symlink | FolderProblem::NotAFolder => {
            let what = match problem {
                FolderProblem::Symlink => ErrorWords::IsASymlink.get(lang),
                _ => ErrorWords::IsNotAFolder.get(lang),
            };
            ErrorWords::FolderNotUsable.fill(lang, &[("dir", &dir), ("what", &what), ("make", &make)])
        }
        // A personal folder someone else made (in /tmp, without XDG_RUNTIME_DIR):
        // never adopt it, it may be a trap for the bank's traffic.
        FolderProblem::NotOwner if group.is_none() => ErrorWords::ThePersonalSocketFolder
            .fill(lang, &[("dir", &dir), ("seen", &seen), ("owner", &found.owner), ("user", &user)]),
        FolderProblem::NotOwner => ErrorWords::TheSocketFolderBelongs
            .fill(lang, &[("dir", &dir), ("owner", &found.owner), ("seen", &seen), ("user", &user), ("mode", &mode)]),
        FolderProblem::WritableByOthers => ErrorWords::UsersOtherThanMay
            .fill(lang, &[("owner", &found.owner), ("dir", &dir), ("seen", &seen), ("mode", &mode)]),
        FolderProblem::GroupCannotEnter => {
            let g = group.unwrap_or("?");
            ErrorWords::TheOperatorsGroupCannot.fill(lang, &[("g", &g), ("dir", &dir), ("seen", &seen)])
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
