//! Every live connection, by Unix user: the caps that keep one user's flood
//! from locking the others out, and the handle to close a user's
//! connections when its operator record is deactivated or at shutdown.

use std::collections::HashMap;
use std::os::unix::net::UnixStream;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use crate::protocol::BusyScope;

/// How many connections, and for how long, the server keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Connections open at once from one Unix user (below `total`, so that
    /// the others always have room).
    pub per_user: usize,
    /// Connections open at once from everyone: below the process's limit of
    /// open files (systemd's default is 1 024), with room for the bank's.
    pub total: usize,
    /// The whole handshake must be over within this time, however slowly
    /// its bytes come.
    pub handshake: Duration,
    /// A connection that does not follow events is closed after this long
    /// without a request.
    pub idle: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { per_user: 64, total: 512, handshake: Duration::from_secs(5), idle: Duration::from_secs(15 * 60) }
    }
}

struct Live {
    uid: u32,
    /// Set once the handshake names the user.
    user: Option<String>,
    stream: Arc<UnixStream>,
}

#[derive(Default)]
struct Table {
    next: u64,
    live: HashMap<u64, Live>,
    per_uid: HashMap<u32, usize>,
}

pub struct Connections {
    limits: Limits,
    table: Mutex<Table>,
}

/// A connection's place in the table, given back when dropped.
pub struct Ticket {
    id: u64,
    connections: Arc<Connections>,
}

impl Connections {
    pub fn new(limits: Limits) -> Arc<Connections> {
        Arc::new(Connections { limits, table: Mutex::default() })
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Takes a new connection in, or says whose cap it would pass.
    pub fn admit(self: &Arc<Self>, uid: u32, stream: Arc<UnixStream>) -> Result<Ticket, BusyScope> {
        let mut table = self.lock();
        let mine = table.per_uid.get(&uid).copied().unwrap_or(0);
        if mine >= self.limits.per_user {
            return Err(BusyScope::User { limit: self.limits.per_user as u32 });
        }
        if table.live.len() >= self.limits.total {
            return Err(BusyScope::Server { limit: self.limits.total as u32 });
        }
        table.next += 1;
        let id = table.next;
        table.live.insert(id, Live { uid, user: None, stream });
        *table.per_uid.entry(uid).or_default() += 1;
        Ok(Ticket { id, connections: self.clone() })
    }

    pub fn count(&self) -> usize {
        self.lock().live.len()
    }

    /// Closes every connection of `user` for which `keep` says no. Closing
    /// the reading side ends the connection's loop at once (a call in
    /// progress still gets its answer); its writer then drains and ends.
    pub fn close_unless(&self, user: &str, keep: impl Fn() -> bool) -> usize {
        let streams: Vec<Arc<UnixStream>> =
            self.lock().live.values().filter(|l| l.user.as_deref() == Some(user)).map(|l| l.stream.clone()).collect();
        if streams.is_empty() || keep() {
            return 0;
        }
        for s in &streams {
            let _ = s.shutdown(std::net::Shutdown::Read);
        }
        streams.len()
    }

    /// The server is stopping: every connection stops reading (`Read`),
    /// or is cut off (`Both`).
    pub fn close_all(&self, how: std::net::Shutdown) {
        for l in self.lock().live.values() {
            let _ = l.stream.shutdown(how);
        }
    }

    fn lock(&self) -> MutexGuard<'_, Table> {
        self.table.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Ticket {
    /// The handshake named the connection's user.
    pub fn named(&self, user: &str) {
        if let Some(l) = self.connections.lock().live.get_mut(&self.id) {
            l.user = Some(user.to_string());
        }
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut table = self.connections.lock();
        if let Some(l) = table.live.remove(&self.id) {
            if let Some(n) = table.per_uid.get_mut(&l.uid) {
                *n -= 1;
                if *n == 0 {
                    table.per_uid.remove(&l.uid);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream() -> Arc<UnixStream> {
        Arc::new(UnixStream::pair().expect("a socket pair").0)
    }

    #[test]
    fn one_user_fills_only_its_own_share_and_others_still_get_in_until_the_total() {
        let limits = Limits { per_user: 2, total: 3, ..Limits::default() };
        let c = Connections::new(limits);
        let a1 = c.admit(1000, stream()).expect("first of user 1000");
        let _a2 = c.admit(1000, stream()).expect("second of user 1000");
        assert_eq!(c.admit(1000, stream()).err(), Some(BusyScope::User { limit: 2 }));
        let _b1 = c.admit(1001, stream()).expect("another user gets in");
        assert_eq!(c.admit(1002, stream()).err(), Some(BusyScope::Server { limit: 3 }));
        // A connection that ends gives its place back.
        drop(a1);
        assert_eq!(c.count(), 2);
        c.admit(1000, stream()).expect("user 1000 again, after one of its connections closed");
    }

    #[test]
    fn a_users_connections_are_closed_unless_kept() {
        let c = Connections::new(Limits::default());
        let (ours, theirs) = UnixStream::pair().unwrap();
        let ours = Arc::new(ours);
        let t = c.admit(1000, ours.clone()).unwrap();
        t.named("anna");
        assert_eq!(c.close_unless("anna", || true), 0);
        assert_eq!(c.close_unless("bruno", || false), 0);
        assert_eq!(c.close_unless("anna", || false), 1);
        // Closed for reading: a read returns at once, with nothing.
        let mut buf = [0u8; 1];
        assert_eq!(std::io::Read::read(&mut &*ours, &mut buf).unwrap(), 0);
        drop(theirs);
    }
}
