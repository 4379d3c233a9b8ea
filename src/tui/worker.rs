//! The one thread that talks to the server: it takes requests from a
//! channel, asks them in order and posts each answer back to the
//! interface's loop as a message. The interface never waits for it.

use std::sync::mpsc::{self, Receiver, Sender};

use super::source::{CallError, Source};
use crate::bank::{Reply, Request};

/// A request to ask, with the interface's number for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: u64,
    pub request: Request,
}

/// The answer to the job numbered `id`.
#[derive(Debug, Clone, PartialEq)]
pub struct Replied {
    pub id: u64,
    pub result: Result<Reply, CallError>,
    /// Whether the server answered (false: the connection is down).
    pub connected: bool,
}

/// The sending end of the worker; dropping it ends the thread once the
/// jobs already sent are done.
pub struct Worker {
    jobs: Sender<Job>,
}

impl Worker {
    /// Starts the thread that owns `source`; answers go to `out`.
    pub fn spawn<M: From<Replied> + Send + 'static>(source: Box<dyn Source + Send>, out: Sender<M>) -> Worker {
        let (jobs, inbox) = mpsc::channel();
        std::thread::Builder::new()
            .name("banca-tui-worker".into())
            .spawn(move || serve(source, inbox, out))
            .expect("a thread for the connection");
        Worker { jobs }
    }

    /// Queues a job; false when the thread is gone.
    pub fn send(&self, job: Job) -> bool {
        self.jobs.send(job).is_ok()
    }
}

fn serve<M: From<Replied>>(mut source: Box<dyn Source + Send>, inbox: Receiver<Job>, out: Sender<M>) {
    while let Ok(job) = inbox.recv() {
        let result = source.call(job.request);
        let replied = Replied { id: job.id, result, connected: source.connected() };
        if out.send(replied.into()).is_err() {
            return;
        }
    }
}
