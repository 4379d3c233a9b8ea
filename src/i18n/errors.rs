//! Errors of the bank and the store as sentences for the operator.

use super::{describe_problem, format_timestamp, Lang};
use crate::bank::{BankError, LineFault};
use crate::store::audit::ChainBreak;
use crate::store::StoreError;

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
            .pick("La banca non ha ancora operatori: esegui `banca init`.", "The bank has no operators yet: run `banca init`.")
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
    }
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

pub fn describe_store_error(e: &StoreError, lang: Lang) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        StoreError::Locked { path } => {
            format!("La banca in {} è aperta da un altro processo: è in esecuzione `banca serve`?", path.display())
        }
        StoreError::NoBank { path } => {
            format!("Non c'è una banca in {}: creala con `banca init` o `banca demo`.", path.display())
        }
        StoreError::NotABank { path } => format!("{} non è una banca di banca.", path.display()),
        StoreError::NewerFormat { path, found, supported } => format!(
            "La banca in {} ha il formato {found}, più recente di questo banca ({supported}): aggiorna banca.",
            path.display()
        ),
        StoreError::IncompleteImport { path } => format!(
            "Un'importazione in {} non è terminata: cancella la cartella e ripeti l'importazione.",
            path.display()
        ),
        StoreError::Corrupt { tree, key, reason } => format!("Il record {key} in {tree} è danneggiato: {reason}"),
        StoreError::Sled(e) => format!("Errore di archiviazione: {e}"),
        StoreError::Io { path, source } => format!("Errore sul file {}: {source}", path.display()),
    }
}
