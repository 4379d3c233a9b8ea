//! Where the interface gets its data: the same `Request`s as every other
//! client, answered by the server over its socket (`ServerSource`). Tests
//! and benchmarks give it a `Source` of their own that runs the core in
//! their process (tests/common/core_source.rs); the interface never names
//! the bank. There is no other way to the data.

use std::sync::mpsc::Sender;
use std::time::Duration;

use crate::api::{BankError, Event, Reply, Request};
use crate::client::{Client, ClientError, Target};
use crate::i18n::{describe_error, Lang};

/// Why a request got no reply.
#[derive(Debug, Clone, PartialEq)]
pub enum CallError {
    /// The bank said no: invalid input, a conflict, not allowed…
    Bank(BankError),
    /// The server could not be reached or the connection broke; the
    /// sentence to show. `write_unknown`: a change may or may not be saved.
    Link { message: String, write_unknown: bool },
}

impl CallError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            CallError::Bank(e) => describe_error(e, lang),
            CallError::Link { message, .. } => message.clone(),
        }
    }
}

/// What the server pushes, or what happened to the connection.
#[derive(Debug, Clone, PartialEq)]
pub enum Live {
    /// A committed change.
    Changed(Event),
    /// Events were dropped: everything shown must be reloaded.
    Lagged,
    /// The server went away.
    Lost,
    /// The server is back.
    Back,
}

pub trait Source {
    fn call(&mut self, request: Request) -> Result<Reply, CallError>;
    /// Several requests; their answers in the same order. A server's
    /// source sends them all before reading any answer.
    fn call_many(&mut self, requests: Vec<Request>) -> Vec<Result<Reply, CallError>> {
        requests.into_iter().map(|r| self.call(r)).collect()
    }
    /// Whether the last exchange with the server worked.
    fn connected(&self) -> bool {
        true
    }
}

/// Another source's answers, each `delay` late: a server far away or busy (benchmarks).
pub struct Delayed<S> {
    pub inner: S,
    pub delay: Duration,
}

impl<S: Source> Source for Delayed<S> {
    fn call(&mut self, request: Request) -> Result<Reply, CallError> {
        std::thread::sleep(self.delay);
        self.inner.call(request)
    }
}

/// The bank's server, over its socket.
pub struct ServerSource {
    target: Target,
    client: Option<Client>,
    lang: Lang,
    connected: bool,
}

impl ServerSource {
    pub fn connect(target: Target, lang: Lang) -> Result<ServerSource, CallError> {
        let client = Client::connect(target.clone()).map_err(|e| link_error(&e, lang))?;
        Ok(ServerSource { target, client: Some(client), lang, connected: true })
    }

    pub fn user(&self) -> Option<&str> {
        self.client.as_ref().map(|c| c.user.as_str())
    }

    /// Starts the thread that listens for the server's events on a
    /// connection of its own and sends them to `tx`, trying again every
    /// second when the server goes away. It ends when `tx`'s receiver is gone.
    pub fn listen<M: From<Live> + Send + 'static>(&self, tx: Sender<M>) {
        // A server that went away was stopped or failed: wait for it, never
        // start one behind the administrator's back.
        let mut target = self.target.clone();
        target.spawn = false;
        std::thread::spawn(move || listen(target, tx));
    }
}

fn listen<M: From<Live>>(target: Target, tx: Sender<M>) {
    let mut was_lost = false;
    loop {
        let client = Client::connect(target.clone()).and_then(|mut c| c.subscribe().map(|()| c));
        let mut client = match client {
            Ok(c) => c,
            // No longer an active operator: asking again every second would not change that.
            Err(ClientError::NotSubscribed(_)) => {
                let _ = tx.send(Live::Lost.into());
                return;
            }
            Err(_) => {
                if !was_lost {
                    was_lost = true;
                    if tx.send(Live::Lost.into()).is_err() {
                        return;
                    }
                }
                std::thread::sleep(Duration::from_secs(1));
                continue;
            }
        };
        if std::mem::take(&mut was_lost) && tx.send(Live::Back.into()).is_err() {
            return;
        }
        loop {
            match client.wait_events() {
                Ok(events) => {
                    for e in events {
                        let msg = if e == Event::Lagged { Live::Lagged } else { Live::Changed(e) };
                        if tx.send(msg.into()).is_err() {
                            return;
                        }
                    }
                }
                Err(_) => {
                    was_lost = true;
                    if tx.send(Live::Lost.into()).is_err() {
                        return;
                    }
                    break;
                }
            }
        }
    }
}

impl Source for ServerSource {
    fn call_many(&mut self, requests: Vec<Request>) -> Vec<Result<Reply, CallError>> {
        if self.client.is_none() || requests.len() < 2 {
            return requests.into_iter().map(|r| self.call(r)).collect();
        }
        let Some(client) = self.client.as_mut() else { unreachable!("checked just above") };
        let answers = client.call_many(requests);
        let mut lost = false;
        let out = answers
            .into_iter()
            .map(|answer| match answer {
                Ok(Ok(reply)) => Ok(reply),
                Ok(Err(e)) => Err(CallError::Bank(e)),
                Err(e) => {
                    lost = true;
                    Err(link_error(&e, self.lang))
                }
            })
            .collect();
        self.connected = !lost;
        if lost {
            self.client = None;
        }
        out
    }

    fn call(&mut self, request: Request) -> Result<Reply, CallError> {
        if self.client.is_none() {
            // Reconnect without starting a server: the listener says when it is back.
            let mut target = self.target.clone();
            target.spawn = false;
            match Client::connect(target) {
                Ok(c) => self.client = Some(c),
                Err(e) => {
                    self.connected = false;
                    // A change that could not even be sent was not saved: say so.
                    let e = if request.is_read() { e } else { e.not_sent() };
                    return Err(link_error(&e, self.lang));
                }
            }
        }
        let Some(client) = self.client.as_mut() else { unreachable!("connected just above") };
        match client.call(request) {
            Ok(Ok(reply)) => {
                self.connected = true;
                Ok(reply)
            }
            Ok(Err(e)) => {
                self.connected = true;
                Err(CallError::Bank(e))
            }
            Err(e) => {
                self.connected = false;
                self.client = None;
                Err(link_error(&e, self.lang))
            }
        }
    }

    fn connected(&self) -> bool {
        self.connected
    }
}

fn link_error(e: &ClientError, lang: Lang) -> CallError {
    let write_unknown = matches!(e, ClientError::Lost { write_unknown: true });
    let message = match e {
        ClientError::Lost { write_unknown: true } => lang
            .pick(
                "La connessione al server si è interrotta durante il salvataggio: non è noto se sia stato salvato. Ricaricare la scheda prima di ripetere.",
                "The connection to the server broke while saving: whether it was saved is unknown. Reload the record before repeating.",
            )
            .to_string(),
        ClientError::NotSubscribed(e) => crate::i18n::describe_error(e, lang),
        other => crate::i18n::describe_client_error(other, lang),
    };
    CallError::Link { message, write_unknown }
}
