//! Events to subscribed clients, through a bounded queue each: a slow
//! client never stalls a write; it is told it missed events and resyncs.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{SyncSender, TrySendError};
use std::sync::{Arc, Mutex};

use crate::protocol::{Event, ServerMsg};

pub struct Subscriber {
    pub queue: SyncSender<ServerMsg>,
    /// Set when an event could not be queued; the connection then sends `Lagged`.
    pub lagged: Arc<AtomicBool>,
}

#[derive(Default)]
pub struct Fanout {
    subscribers: Mutex<Vec<Subscriber>>,
}

impl Fanout {
    pub fn add(&self, s: Subscriber) {
        self.lock().push(s);
    }

    /// Forgets a client that left, so its writer sees its queue close.
    pub fn remove(&self, lagged: &Arc<AtomicBool>) {
        self.lock().retain(|s| !Arc::ptr_eq(&s.lagged, lagged));
    }

    /// Never blocks: a full queue marks its client as lagging; a closed one is dropped.
    pub fn publish(&self, event: Event) {
        self.lock().retain(|s| match s.queue.try_send(ServerMsg::Event(event.clone())) {
            Ok(()) => true,
            Err(TrySendError::Full(_)) => {
                s.lagged.store(true, Ordering::Relaxed);
                true
            }
            Err(TrySendError::Disconnected(_)) => false,
        });
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Subscriber>> {
        self.subscribers.lock().unwrap_or_else(|p| p.into_inner())
    }
}
