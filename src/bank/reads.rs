//! Names shown in search hits, put on record off the keystroke's path.
//!
//! A child's name in a search hit is a read of the child's identity, and
//! the audit log must say so; but a search runs on every keystroke, and
//! typing must never wait for a durable write. So a read is recorded once
//! per operator, record and day: the first one is noted in memory and
//! handed to a writer thread, which appends it to the audit log soon after
//! (in batches, under the bank's write lock); repeats the same day cost a
//! look-up in memory. Dropping the recorder writes whatever is still queued.
//!
//! At start the bank fills the memory from today's entries of the log
//! (`remember`), so a restart does not record the same read twice in a day.

use std::collections::HashSet;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use time::{Date, OffsetDateTime};

/// One identity shown to one operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityRead {
    pub user: String,
    pub code: String,
    pub at: OffsetDateTime,
}

/// Writes a batch of reads durably; an error leaves them to be noted again.
pub type WriteReads = Box<dyn FnMut(&[IdentityRead]) -> Result<(), String> + Send>;

enum Message {
    Read(IdentityRead),
    /// Answer once everything sent before has been written.
    Flush(Sender<()>),
}

/// (user, record code) already recorded on `day`.
#[derive(Default)]
struct Seen {
    day: Option<Date>,
    reads: HashSet<(String, String)>,
}

pub struct IdentityReads {
    seen: Arc<Mutex<Seen>>,
    queue: Mutex<Option<Sender<Message>>>,
    worker: Mutex<Option<JoinHandle<()>>>,
}

impl IdentityReads {
    /// Starts the writer thread.
    pub fn start(write: WriteReads) -> IdentityReads {
        let seen = Arc::new(Mutex::new(Seen::default()));
        let (tx, rx) = mpsc::channel();
        let worker_seen = Arc::clone(&seen);
        let worker = std::thread::Builder::new()
            .name("identity-reads".into())
            .spawn(move || write_loop(rx, write, worker_seen))
            .expect("the audit writer thread starts");
        IdentityReads { seen, queue: Mutex::new(Some(tx)), worker: Mutex::new(Some(worker)) }
    }

    /// Notes that `user` saw the identity of each of `codes` at `at`; the
    /// ones not yet recorded today go to the writer. Never waits on the disk.
    pub fn note(&self, user: &str, codes: &[String], at: OffsetDateTime) {
        let fresh: Vec<IdentityRead> = {
            let mut seen = lock(&self.seen);
            if seen.day != Some(at.date()) {
                seen.day = Some(at.date());
                seen.reads.clear();
            }
            codes
                .iter()
                .filter(|code| seen.reads.insert((user.to_string(), (*code).clone())))
                .map(|code| IdentityRead { user: user.to_string(), code: code.clone(), at })
                .collect()
        };
        if fresh.is_empty() {
            return;
        }
        if let Some(queue) = lock(&self.queue).as_ref() {
            for read in fresh {
                let _ = queue.send(Message::Read(read));
            }
        }
    }

    /// Marks a read as already on record (found in the log at start).
    pub fn remember(&self, user: &str, code: &str, day: Date) {
        let mut seen = lock(&self.seen);
        if seen.day != Some(day) {
            seen.day = Some(day);
            seen.reads.clear();
        }
        seen.reads.insert((user.to_string(), code.to_string()));
    }

    /// Waits until every read noted before this call is written.
    pub fn flush(&self) {
        let (tx, rx) = mpsc::channel();
        let sent = lock(&self.queue).as_ref().is_some_and(|q| q.send(Message::Flush(tx)).is_ok());
        if sent {
            let _ = rx.recv();
        }
    }

    /// Writes what is queued and stops the writer.
    pub fn stop(&self) {
        drop(lock(&self.queue).take());
        if let Some(worker) = lock(&self.worker).take() {
            let _ = worker.join();
        }
    }
}

impl Drop for IdentityReads {
    fn drop(&mut self) {
        self.stop();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Takes every message waiting, writes the reads among them in one batch,
/// then answers the flushes; until the last sender is gone.
fn write_loop(rx: Receiver<Message>, mut write: WriteReads, seen: Arc<Mutex<Seen>>) {
    // A full disk refuses every batch: say so once a minute, not at each search.
    let mut logged: Option<std::time::Instant> = None;
    while let Ok(first) = rx.recv() {
        let mut batch = Vec::new();
        let mut flushes = Vec::new();
        for message in std::iter::once(first).chain(rx.try_iter()) {
            match message {
                Message::Read(r) => batch.push(r),
                Message::Flush(done) => flushes.push(done),
            }
        }
        if !batch.is_empty() {
            if let Err(e) = write(&batch) {
                if logged.is_none_or(|t| t.elapsed() >= std::time::Duration::from_secs(60)) {
                    tracing::error!("audit log, identity reads in search hits: {e}");
                    logged = Some(std::time::Instant::now());
                }
                // Not on record: the next search showing them tries again.
                let mut seen = lock(&seen);
                for r in &batch {
                    seen.reads.remove(&(r.user.clone(), r.code.clone()));
                }
            }
        }
        for done in flushes {
            let _ = done.send(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};
    use time::macros::datetime;

    /// A writer that waits for `gate` before each batch and keeps what it wrote.
    fn gated() -> (IdentityReads, Sender<()>, Arc<Mutex<Vec<IdentityRead>>>) {
        let (open, gate) = mpsc::channel::<()>();
        let written = Arc::new(Mutex::new(Vec::new()));
        let out = Arc::clone(&written);
        let reads = IdentityReads::start(Box::new(move |batch| {
            let _ = gate.recv();
            out.lock().unwrap().extend_from_slice(batch);
            Ok(())
        }));
        (reads, open, written)
    }

    #[test]
    fn noting_a_read_never_waits_for_the_writer() {
        let (reads, open, written) = gated();
        let at = datetime!(2026-11-23 10:00 UTC);
        let started = Instant::now();
        // The writer is stuck (its disk is slow): noting still returns at once.
        for i in 0..100 {
            reads.note("anna", &[format!("R-2026-{i:04}")], at);
        }
        assert!(started.elapsed() < Duration::from_millis(500), "noting waited: {:?}", started.elapsed());
        assert!(written.lock().unwrap().is_empty());
        drop(open);
        reads.flush();
        assert_eq!(written.lock().unwrap().len(), 100);
    }

    #[test]
    fn a_read_is_recorded_once_per_user_record_and_day() {
        let (reads, open, written) = gated();
        drop(open);
        let day1 = datetime!(2026-11-23 10:00 UTC);
        let codes = ["R-2026-0001".to_string(), "R-2026-0002".to_string()];
        reads.note("anna", &codes, day1);
        reads.note("anna", &codes, day1 + time::Duration::hours(3));
        reads.note("bruno", &codes[..1], day1);
        reads.flush();
        assert_eq!(written.lock().unwrap().len(), 3);
        reads.note("anna", &codes[..1], day1 + time::Duration::days(1));
        reads.flush();
        let w = written.lock().unwrap();
        assert_eq!(w.len(), 4);
        assert_eq!((w[3].user.as_str(), w[3].code.as_str()), ("anna", "R-2026-0001"));
    }

    #[test]
    fn stopping_writes_what_is_queued() {
        let (reads, open, written) = gated();
        reads.note("anna", &["R-2026-0007".to_string()], datetime!(2026-11-23 10:00 UTC));
        drop(open);
        drop(reads);
        assert_eq!(written.lock().unwrap().len(), 1);
    }

    #[test]
    fn a_failed_write_is_tried_again_at_the_next_read() {
        let attempts = Arc::new(Mutex::new(0));
        let seen = Arc::clone(&attempts);
        let reads = IdentityReads::start(Box::new(move |_| {
            *seen.lock().unwrap() += 1;
            Err("disk full".into())
        }));
        let at = datetime!(2026-11-23 10:00 UTC);
        reads.note("anna", &["R-2026-0001".to_string()], at);
        reads.flush();
        reads.note("anna", &["R-2026-0001".to_string()], at);
        reads.flush();
        assert_eq!(*attempts.lock().unwrap(), 2);
    }
}
