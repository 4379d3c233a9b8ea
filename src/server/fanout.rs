//! Events to subscribed clients, through a bounded queue each: a slow
//! client never stalls a write; it is told it missed events and resyncs.
//! Each subscriber hears only of the changes the access table lets its
//! user see, as its operator record says at the moment of the change.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{SyncSender, TrySendError};
use std::sync::{Arc, Mutex};

use crate::api::Principal;
use crate::bank::Committed;
use crate::protocol::ServerMsg;

pub struct Subscriber {
    /// The Unix user of the connection, looked up again for every change.
    pub user: String,
    pub queue: SyncSender<Box<ServerMsg>>,
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

    /// Queues the change for every subscriber whose user, as `principal`
    /// resolves it now, may hear of it (`access::hears`); a user who is no
    /// longer an active operator hears nothing. Never blocks: a full queue
    /// marks its client as lagging; a closed one is dropped.
    pub fn publish(&self, change: &Committed, principal: impl Fn(&str) -> Option<Principal>) {
        let event = &change.event;
        let mut hears: HashMap<String, bool> = HashMap::new();
        self.lock().retain(|s| {
            let allowed = *hears.entry(s.user.clone()).or_insert_with(|| {
                principal(&s.user).is_some_and(|p| crate::access::hears(&p, event, change.involved))
            });
            if !allowed {
                return true;
            }
            match s.queue.try_send(Box::new(ServerMsg::Event(event.clone()))) {
                Ok(()) => true,
                Err(TrySendError::Full(_)) => {
                    s.lagged.store(true, Ordering::Relaxed);
                    true
                }
                Err(TrySendError::Disconnected(_)) => false,
            }
        });
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Subscriber>> {
        self.subscribers.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Change, Event};
    use crate::bank::Involved;
    use crate::model::{RecordKind, Role, ServiceCode};
    use std::sync::mpsc::sync_channel;

    fn operator(user: &str, service: u32) -> Principal {
        Principal {
            user: user.into(),
            display_name: user.into(),
            role: Role::Operator,
            service: Some(ServiceCode(service)),
        }
    }

    #[test]
    fn each_subscriber_hears_only_what_its_operator_record_lets_it_see_now() {
        let fanout = Fanout::default();
        let mut queues = Vec::new();
        for user in ["anna", "bruno", "carla", "nessuno"] {
            let (tx, rx) = sync_channel(8);
            fanout.add(Subscriber { user: user.into(), queue: tx, lagged: Arc::default() });
            queues.push((user, rx));
        }
        // anna of S-001, bruno of S-002, carla of S-003; nessuno has no record.
        let principal = |user: &str| match user {
            "anna" => Some(operator(user, 1)),
            "bruno" => Some(operator(user, 2)),
            "carla" => Some(operator(user, 3)),
            _ => None,
        };
        let proposal = Committed {
            event: Event::Changed(Change {
                kind: RecordKind::Proposal,
                code: "P-2026-0001".into(),
                revision: 1,
                by: "admin".into(),
            }),
            involved: Involved::Link { need: ServiceCode(2), family: ServiceCode(1) },
        };
        fanout.publish(&proposal, principal);
        let heard: Vec<&str> = queues
            .iter()
            .filter(
                |(_, rx)| matches!(rx.try_recv().map(|m| *m), Ok(ServerMsg::Event(e)) if e.kind() == Some(RecordKind::Proposal)),
            )
            .map(|(u, _)| *u)
            .collect();
        assert_eq!(heard, ["anna", "bruno"]);
    }
}
