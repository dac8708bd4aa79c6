//! A traced program's events (`sockscope trace` in the UI): each is applied as any event,
//! then marked with the call it came from, so the Calls panel names the real system call and
//! the Connections panel the process and descriptor. A call the tracer reports as blocked is
//! kept as in progress until that thread's next result arrives.

use super::Session;
use crate::event::{CallSite, ConnId, Event, EventKind};

/// A call in progress that has blocked: the thread, the call, and when it began.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockedCall {
    /// The socket it waits on; `None` for a readiness call (`select`, `poll`, `epoll_wait`).
    pub conn: Option<ConnId>,
    pub site: CallSite,
    pub began_us: u64,
}

impl Session {
    /// Applies `event`, read from a traced program's call `site`.
    pub fn apply_traced(&mut self, event: &Event, site: CallSite) {
        // The thread made another call: whatever it was blocked in has returned.
        self.blocked.retain(|blocked| blocked.site.pid != site.pid);
        if let EventKind::Blocked { conn, waited_us } = &event.kind {
            let began_us = event.t_us.saturating_sub(*waited_us);
            self.blocked.push(BlockedCall { conn: *conn, site, began_us });
        }
        let touched = touched(event);
        let before: Vec<u64> = touched
            .iter()
            .map(|id| self.connections.get(id).map_or(0, |c| c.calls().total()))
            .collect();
        self.apply(event);
        if let EventKind::Ready(_) = &event.kind {
            self.history.mark_last(site);
        }
        for (index, (id, total)) in touched.into_iter().zip(before).enumerate() {
            // A socket the event opened held no calls before it: every call it holds is new.
            if let Some(conn) = self.connections.get_mut(&id) {
                conn.calls_mut().mark_since(total, site);
                if index == 0 {
                    conn.traced_by = site.fd.map(|fd| (site.pid, fd)).or(conn.traced_by);
                }
            }
        }
    }

    /// The traced calls that are blocked now, oldest first.
    #[must_use]
    pub fn blocked_calls(&self) -> &[BlockedCall] {
        &self.blocked
    }
}

/// The sockets whose calls `event` records: its own, and an accepting listener.
fn touched(event: &Event) -> Vec<ConnId> {
    let mut ids: Vec<ConnId> = event.conn().into_iter().collect();
    if let EventKind::Accept { listener, .. } = &event.kind {
        ids.push(*listener);
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Address;
    use bytes::Bytes;

    fn site(syscall: &'static str, fd: Option<i32>) -> CallSite {
        CallSite { pid: 42, syscall, fd, call: None }
    }

    fn event(kind: EventKind, t_us: u64) -> Event {
        Event { kind, t_us }
    }

    #[test]
    fn a_traced_call_names_its_system_call_and_a_blocked_one_waits_until_its_result() {
        let mut session = Session::default();
        let conn = ConnId(1);
        let peer = Address::Ip("127.0.0.1:9000".parse().unwrap());
        let connect = EventKind::Connect { conn, peer: peer.clone(), pair: None, client: None };
        session.apply_traced(&event(connect, 1), site("connect", Some(3)));
        let connected = EventKind::Connected { conn, local: peer.clone(), peer };
        session.apply_traced(&event(connected, 2), site("connect", Some(3)));
        let blocked = EventKind::Blocked { conn: Some(conn), waited_us: 200_000 };
        session.apply_traced(&event(blocked, 300_000), site("recvfrom", Some(3)));
        assert_eq!(session.blocked_calls().len(), 1);
        assert_eq!(session.blocked_calls()[0].began_us, 100_000);
        let recv = EventKind::Recv { conn, max: 7, len: 3, data: Bytes::from_static(b"abc") };
        session.apply_traced(&event(recv, 900_000), site("recvfrom", Some(3)));
        assert!(session.blocked_calls().is_empty(), "its result ended the wait");
        let c = session.connection(conn).unwrap();
        assert_eq!(c.traced_by, Some((42, 3)));
        let last = c.calls().last().unwrap();
        assert_eq!(last.to_string(), "recv(7) -> 3 [pid 42 recvfrom fd 3]");
        assert!(c.calls().iter().all(|call| call.site.is_some()), "every call is marked");
    }
}
