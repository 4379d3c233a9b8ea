//! One CLI invocation: who is asking (from the kernel), which bank, and the
//! connection to its server, which answers every request through the one
//! door, `Bank::handle`.

use std::cell::RefCell;
use std::path::PathBuf;
use std::time::Duration;

use crate::api::{BankError, OpenFailure, Reply, Request, Response, ServeFailure};
use crate::client::{Client, ClientError, Target};
use crate::config::ConfigFile;
use crate::i18n::catalogue;
use crate::i18n::{describe_error, describe_open_failure, Lang};
use crate::model::Field;

catalogue!(
    /// What a session says about its connection and its failures.
    SessionWords {
        InvalidInputNothingWas => "Dati non validi, nulla è stato salvato:", "Invalid input, nothing was saved:";
        InvalidInput => "Dati non validi:", "Invalid input:";
        Of => "di", "of";
    }
);

/// How a command failed, and so which exit code it ends with.
#[derive(Debug)]
pub enum Failure {
    /// Wrong input or a refusal the operator can act on: exit 1.
    User(String),
    /// The bank could not be opened (locked, missing, newer), or takes no
    /// writes for now (its disk is full, its server restarting): exit 3.
    Unavailable(String),
    /// A fault of banca or of the machine: exit 4.
    Internal(String),
    /// A check that ran and found something (`banca doctor`): its own exit code.
    Findings { code: u8, message: String },
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::User(_) => 1,
            Failure::Unavailable(_) => 3,
            Failure::Internal(_) => 4,
            Failure::Findings { code, .. } => *code,
        }
    }

    pub fn message(&self) -> &str {
        match self {
            Failure::User(m) | Failure::Unavailable(m) | Failure::Internal(m) => m,
            Failure::Findings { message, .. } => message,
        }
    }

    pub fn from_bank(e: &BankError, lang: Lang) -> Failure {
        Failure::from_bank_flags(e, lang, false, Field::flag)
    }

    /// `from_bank` for a command whose flags are not the fields' own
    /// (`banca available` says a child's age with --age, not --birth-date).
    /// `read`: the request only read, so nothing could have been saved anyway.
    pub fn from_bank_flags(
        e: &BankError,
        lang: Lang,
        read: bool,
        flag_of: impl Fn(Field) -> Option<&'static str>,
    ) -> Failure {
        if let BankError::Invalid(problems) = e {
            // Name the flag beside the field, so the operator knows what to
            // retype; a field no flag sets (a positional argument) by its name alone.
            let head = if read { SessionWords::InvalidInput } else { SessionWords::InvalidInputNothingWas }.get(lang);
            let lines: Vec<String> = problems
                .iter()
                .map(|p| {
                    let (label, reason) = (p.field.label(lang), crate::i18n::describe_reason(&p.reason, lang));
                    match flag_of(p.field.field()) {
                        Some(flag) => format!("  - --{flag} ({label}): {reason}"),
                        None => format!("  - {label}: {reason}"),
                    }
                })
                .collect();
            return Failure::User(format!("{head}\n{}", lines.join("\n")));
        }
        let text = describe_error(e, lang);
        match e {
            BankError::Storage(_)
            | BankError::AuditBroken(_)
            | BankError::Damaged { .. }
            | BankError::WriteFailed { .. } => Failure::Internal(text),
            BankError::DiskFull { .. } | BankError::Halted => Failure::Unavailable(text),
            _ => Failure::User(text),
        }
    }

    pub fn from_client(e: &ClientError, lang: Lang) -> Failure {
        let text = crate::i18n::describe_client_error(e, lang);
        match e {
            ClientError::NoUser(_) => Failure::User(text),
            ClientError::NotSubscribed(e) => Failure::from_bank(e, lang),
            ClientError::Lost { write_unknown: true }
            | ClientError::TimedOut { write_unknown: true, .. }
            | ClientError::Protocol(_) => Failure::Internal(text),
            _ => Failure::Unavailable(text),
        }
    }

    /// Why `banca serve` did not start, with the fix.
    pub fn from_serve(e: &ServeFailure, lang: Lang) -> Failure {
        match e {
            ServeFailure::Open(s) => Failure::from_open(s, lang),
            other => Failure::Unavailable(crate::i18n::describe_serve_failure(other, lang)),
        }
    }

    /// Why a bank's folder could not be opened or written in this process.
    pub fn from_open(e: &OpenFailure, lang: Lang) -> Failure {
        let text = describe_open_failure(e, lang);
        if e.is_fault() {
            Failure::Internal(text)
        } else {
            Failure::Unavailable(text)
        }
    }
}

pub type CliResult<T = ()> = Result<T, Failure>;

pub struct Session {
    /// The connection, or why there is none (see `open_deferred`).
    link: RefCell<Result<Client, ClientError>>,
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
    /// The Unix user the server must run as (`None`: the caller's own server).
    pub server_user: Option<String>,
    /// A system server is configured: when it is down, tell the administrator.
    pub shared: bool,
    /// How long to wait for a reply.
    pub reply_timeout: Duration,
    pub lang: Lang,
    pub json: bool,
    /// The configuration file, for the commands that work on a bank in
    /// this process (`serve`, an import with no server).
    pub config: ConfigFile,
}

impl Settings {
    /// The server to talk to. `create` lets a started server create the bank.
    pub fn target(&self, create: bool) -> Target {
        Target {
            bank: crate::config::canonical_bank_path(&self.db),
            socket: self.socket.clone(),
            spawn: self.spawn,
            create,
            idle_exit: self.idle_exit,
            server_user: self.server_user.clone(),
            shared: self.shared,
            reply_timeout: self.reply_timeout,
        }
    }
}

impl Session {
    /// Connects to the bank's server, starting one if allowed. `create`
    /// lets a started server create the bank (init, demo, import).
    pub fn open(settings: &Settings, create: bool) -> CliResult<Session> {
        let client = Client::connect(settings.target(create)).map_err(|e| Failure::from_client(&e, settings.lang))?;
        Ok(Session { link: RefCell::new(Ok(client)), lang: settings.lang, json: settings.json })
    }

    /// Like `open`, but a server that cannot be reached is reported at the
    /// first request, as that request's failure: a change is then known
    /// not to have been sent, and says it was not saved.
    pub fn open_deferred(settings: &Settings) -> Session {
        let link = Client::connect(settings.target(false));
        Session { link: RefCell::new(link), lang: settings.lang, json: settings.json }
    }

    /// The Unix user the server knows us as (from the kernel); empty when
    /// the server was never reached.
    pub fn user(&self) -> String {
        self.link.borrow().as_ref().map(|c| c.user.clone()).unwrap_or_default()
    }

    /// Why there is no connection, as the failure of `request`.
    fn unreached(&self, e: &ClientError, sends_a_change: bool) -> Failure {
        let e = if sends_a_change { e.clone().not_sent() } else { e.clone() };
        Failure::from_client(&e, self.lang)
    }

    /// The raw answer, for callers that treat some errors specially.
    pub fn request(&self, request: Request) -> CliResult<Response> {
        match &mut *self.link.borrow_mut() {
            Ok(client) => client.call(request).map_err(|e| Failure::from_client(&e, self.lang)),
            Err(e) => Err(self.unreached(e, !request.is_read())),
        }
    }

    pub fn call(&self, request: Request) -> CliResult<Reply> {
        let read = request.is_read();
        self.request(request)?.map_err(|e| Failure::from_bank_flags(&e, self.lang, read, Field::flag))
    }

    /// A list, page after page: `each` gets every page as it comes (and
    /// nothing is kept here) and says whether to go on; it ends after the
    /// last page.
    pub fn pages(&self, request: Request, mut each: impl FnMut(Reply) -> CliResult<bool>) -> CliResult {
        let mut request = request;
        loop {
            let reply = self.call(request.clone())?;
            let next = reply.next_page().cloned();
            if !each(reply)? {
                return Ok(());
            }
            match next {
                Some(next) => request = request.page_after(Some(next)),
                None => return Ok(()),
            }
        }
    }

    /// How many records the whole list holds when `--limit` cut it short
    /// (`rows` reached it): an exact count the core makes. `None` when the
    /// rows shown are the whole list.
    pub fn shown_of(&self, rows: usize, limit: Option<usize>, of: crate::api::Counted) -> CliResult<Option<u64>> {
        if limit.is_none_or(|l| rows < l) {
            return Ok(None);
        }
        match self.call(Request::Count { of })? {
            Reply::Count(n) => Ok(Some(n)),
            other => Err(unexpected(other)),
        }
    }

    /// A list streamed page after page, at most `limit` rows: a JSON array
    /// with `--json`, else a table whose widths come from its first page.
    /// `items` takes a reply's page, `row` makes a record's cells. Gives the
    /// rows printed as a table, or `None` when the list went out as JSON.
    pub fn stream_list<T: serde::Serialize>(
        &self,
        request: Request,
        header: &[&str],
        limit: Option<usize>,
        items: impl Fn(Reply) -> CliResult<crate::api::Page<T>>,
        row: impl Fn(&T) -> Vec<String>,
    ) -> CliResult<Option<usize>> {
        let mut json = self.json.then(JsonArray::default);
        let mut table = super::table::StreamTable::new(header);
        let mut left = limit.unwrap_or(usize::MAX);
        self.pages(request, |reply| {
            let mut page = items(reply)?;
            page.items.truncate(left);
            left -= page.len();
            match &mut json {
                Some(json) => json.items(&page)?,
                None => {
                    let mut rows = table.page();
                    for r in &page {
                        rows.row(row(r));
                    }
                    table.print(rows);
                }
            }
            Ok(left > 0)
        })?;
        match json {
            Some(json) => json.end().map(|()| None),
            None => Ok(Some(table.rows())),
        }
    }

    /// An import of lines made in memory (the demo).
    #[cfg(feature = "demo")]
    pub fn import(&self, lines: Vec<String>) -> CliResult<Reply> {
        self.import_chunks(line_chunks(lines))
    }

    /// An import of a file's bytes, chunk by chunk as they are read.
    pub fn import_chunks(&self, chunks: impl IntoIterator<Item = std::io::Result<Vec<u8>>>) -> CliResult<Reply> {
        let response = match &mut *self.link.borrow_mut() {
            Ok(client) => client.import(chunks).map_err(|e| Failure::from_client(&e, self.lang))?,
            Err(e) => return Err(self.unreached(e, true)),
        };
        response.map_err(|e| Failure::from_bank(&e, self.lang))
    }

    /// An export, each chunk of lines handed to `sink` as it arrives.
    pub fn export(&self, sink: &mut dyn FnMut(Vec<String>)) -> CliResult<Reply> {
        let response = match &mut *self.link.borrow_mut() {
            Ok(client) => client.export(sink).map_err(|e| Failure::from_client(&e, self.lang))?,
            Err(e) => return Err(self.unreached(e, false)),
        };
        response.map_err(|e| Failure::from_bank(&e, self.lang))
    }

    /// Asks the server to stop; false if it refused.
    pub fn stop(&self) -> CliResult<bool> {
        match &mut *self.link.borrow_mut() {
            Ok(client) => client.stop().map_err(|e| Failure::from_client(&e, self.lang)),
            Err(e) => Err(self.unreached(e, false)),
        }
    }
}

/// Unexpected reply: a bug, not the operator's doing.
pub fn unexpected(reply: Reply) -> Failure {
    Failure::Internal(format!("unexpected reply: {reply:?}"))
}

/// A JSON array printed as its items come, the same text `print_json`
/// gives for the whole array: `[]`, or one item per element indented by two.
#[derive(Default)]
pub struct JsonArray {
    started: bool,
}

impl JsonArray {
    /// Prints a batch of items (a page) at once.
    pub fn items<T: serde::Serialize>(&mut self, items: &[T]) -> CliResult {
        let text = self.text(items)?;
        print!("{}", crate::model::plain::inert_json(&text));
        Ok(())
    }

    /// Closes the array.
    pub fn end(self) -> CliResult {
        println!("{}", self.closing());
        Ok(())
    }

    /// A batch's text: each item as `print_json` indents it inside the array.
    fn text<T: serde::Serialize>(&mut self, items: &[T]) -> CliResult<String> {
        let mut text = String::new();
        for item in items {
            let json = serde_json::to_string_pretty(item).map_err(|e| Failure::Internal(e.to_string()))?;
            text.push_str(if self.started { ",\n" } else { "[\n" });
            self.started = true;
            for (i, line) in json.lines().enumerate() {
                if i > 0 {
                    text.push('\n');
                }
                text.push_str("  ");
                text.push_str(line);
            }
        }
        Ok(text)
    }

    fn closing(&self) -> &'static str {
        if self.started {
            "\n]"
        } else {
            "[]"
        }
    }
}

/// Prints a value as JSON on stdout (for `--json`). serde_json escapes C0
/// controls; DEL, C1, bidirectional and invisible characters are escaped
/// too (`\u202e`), so a script decodes the stored value exactly and a
/// terminal shows only inert bytes.
pub fn print_json<T: serde::Serialize>(value: &T) -> CliResult {
    let text = serde_json::to_string_pretty(value).map_err(|e| Failure::Internal(e.to_string()))?;
    println!("{}", crate::model::plain::inert_json(&text));
    Ok(())
}

/// Lines as the bytes of a file, in chunks of about `protocol::CHUNK_BYTES`.
#[cfg(feature = "demo")]
fn line_chunks(lines: Vec<String>) -> impl Iterator<Item = std::io::Result<Vec<u8>>> {
    let mut lines = lines.into_iter().peekable();
    std::iter::from_fn(move || {
        lines.peek()?;
        let mut chunk = Vec::new();
        while chunk.len() < crate::protocol::CHUNK_BYTES {
            let Some(l) = lines.next() else { break };
            chunk.extend_from_slice(l.as_bytes());
            chunk.push(b'\n');
        }
        Some(Ok(chunk))
    })
}

/// "50 di 1 159" when the list was cut short at 50 of 1 159, else "50".
pub fn shown_count(rows: usize, total: Option<u64>, lang: Lang) -> String {
    match total {
        Some(total) if total > rows as u64 => {
            format!("{rows} {} {}", SessionWords::Of.get(lang), group_thousands(total))
        }
        _ => rows.to_string(),
    }
}

/// 1159 as "1 159" (a thin space between thousands, as Italian forms write them).
fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Field, Problem, Reason};

    /// Every flag the table of fields names is one the CLI takes: the hint
    /// of which flag to correct never sends the operator to a flag that is not.
    #[test]
    fn every_flag_of_a_field_is_a_flag_of_the_cli() {
        use clap::CommandFactory;
        fn longs(cmd: &clap::Command, into: &mut std::collections::BTreeSet<String>) {
            for arg in cmd.get_arguments() {
                into.extend(arg.get_long().map(str::to_string));
                into.extend(arg.get_all_aliases().into_iter().flatten().map(str::to_string));
            }
            for sub in cmd.get_subcommands() {
                longs(sub, into);
            }
        }
        let mut flags = std::collections::BTreeSet::new();
        longs(&crate::cli::Cli::command(), &mut flags);
        let unknown: Vec<String> = Field::ALL
            .iter()
            .filter_map(|f| f.flag().filter(|flag| !flags.contains(*flag)).map(|flag| format!("{f}: --{flag}")))
            .collect();
        assert!(unknown.is_empty(), "flags the CLI does not take: {unknown:?}");
    }

    #[test]
    fn a_refusal_names_the_flag_beside_the_field_or_the_field_alone() {
        let refusal = BankError::Invalid(vec![
            Problem::new(Field::AdultBirthYear.at(1), Reason::Required),
            Problem::new(Field::MaxChildren, Reason::OutOfRange { min: 1, max: 10 }),
            Problem::new(Field::Needs, Reason::Required),
        ]);
        assert_eq!(
            Failure::from_bank(&refusal, Lang::It).message(),
            "Dati non validi, nulla è stato salvato:\n  \
             - --adult (anno di nascita dell'adulto n. 2): obbligatorio\n  \
             - --max-children (massimo minori accolti): deve essere tra 1 e 10\n  \
             - richieste: obbligatorio"
        );
        assert_eq!(
            Failure::from_bank(&refusal, Lang::En).message(),
            "Invalid input, nothing was saved:\n  \
             - --adult (adult's birth year n. 2): required\n  \
             - --max-children (maximum children): must be between 1 and 10\n  \
             - needs: required"
        );
    }

    /// The array streamed in pages is the text the whole array printed at once was.
    #[test]
    fn a_json_array_streamed_in_pages_reads_as_the_whole_one() {
        let items: Vec<serde_json::Value> = (0..7)
            .map(|i| serde_json::json!({ "code": format!("F-2026-{i:04}"), "tags": ["a", "b"], "nested": { "n": i } }))
            .collect();
        for pages in [1, 2, 3, 7] {
            let mut json = JsonArray::default();
            let mut text = String::new();
            for page in items.chunks(items.len().div_ceil(pages)) {
                text.push_str(&json.text(page).unwrap());
                text.push_str(&json.text::<serde_json::Value>(&[]).unwrap());
            }
            text.push_str(json.closing());
            assert_eq!(text, serde_json::to_string_pretty(&items).unwrap(), "{pages} pages");
        }
        let empty = JsonArray::default();
        assert_eq!(empty.closing(), serde_json::to_string_pretty(&Vec::<u8>::new()).unwrap());
    }
}
