//! The events that recreate a session's open sockets: how a recording started in the middle
//! of a session begins, so that its replay (and its pcapng export) knows every connection the
//! later events speak of.
//!
//! Only what is still open is described, as it stands: its opening (listen, accept, connect
//! and connected), the options set on it, the faults active on it, a half that is already closed, and the engine's
//! interest in it. Bytes that moved before the recording began are not in it: a replay's
//! streams start at the recording's start. A read half closed by `shutdown(read)` is written
//! as the peer's EOF: both mean that nothing more will be read.

use super::{ConnState, Connection, Role, Session};
use crate::event::{Event, EventKind, FaultState, How, InterceptState};

impl Session {
    /// Events stamped `t_us` that bring an empty session to this one's open sockets, starting
    /// with the `session` event; connections in id order, so a listener comes before what it
    /// accepted.
    #[must_use]
    pub fn opening_events(&self, t_us: u64) -> Vec<Event> {
        let mut events = vec![Event::session_started_at(self.start_unix_us).kind];
        for conn in self.connections().filter(|conn| !conn.is_closed()) {
            describe(conn, &mut events);
        }
        events.into_iter().map(|kind| Event { kind, t_us }).collect()
    }
}

fn describe(conn: &Connection, events: &mut Vec<EventKind>) {
    let id = conn.id;
    let (local, peer) = (conn.local.clone(), conn.peer.clone());
    match (conn.role, local, peer) {
        (Role::Listener { .. } | Role::Bound, Some(local), _) => {
            events.push(EventKind::Listen { conn: id, local });
        }
        (Role::Accepted { listener }, Some(local), Some(peer)) => {
            events.push(EventKind::Accept { conn: id, listener, local, peer });
        }
        (Role::Outgoing | Role::Upstream { .. }, local, Some(peer)) => {
            let pair = match conn.role {
                Role::Upstream { client } => Some(client),
                // A datagram proxy's flow: its bound socket.
                _ => conn.pair.filter(|_| conn.flow_client.is_some()),
            };
            let client = conn.flow_client.clone();
            events.push(EventKind::Connect { conn: id, peer: peer.clone(), pair, client });
            if let (Some(local), false) = (local, conn.state == ConnState::Connecting) {
                events.push(EventKind::Connected { conn: id, local, peer });
            }
        }
        // A flow (`Role::Flow`) is the model's own row: its bound socket's datagrams open it
        // again. Without its addresses a socket cannot be described; later events about it are
        // still recorded and shown.
        _ => return,
    }
    for option in &conn.options {
        events.push(EventKind::Option { conn: id, option: *option });
    }
    for (dir, kind, spec) in &conn.faults {
        let (dir, kind, detail) = (*dir, *kind, spec.clone());
        events.push(EventKind::Fault { conn: id, dir, kind, state: FaultState::On, detail });
    }
    for on in &conn.intercepts.on {
        let (framing, pattern) = (on.framing.clone(), on.pattern.clone());
        let (dir, state) = (on.dir, InterceptState::On);
        events.push(EventKind::Intercept { conn: id, dir, state, framing, pattern });
    }
    for held in &conn.intercepts.held {
        let (dir, hold, data) = (held.dir, held.id, held.data.clone());
        events.push(EventKind::Held { conn: id, dir, id: hold, len: data.len(), data });
    }
    if conn.read_closed {
        events.push(EventKind::Eof { conn: id });
    }
    if conn.write_closed {
        events.push(EventKind::Shutdown { conn: id, how: How::Write });
    }
    // Reset or failed, and not yet closed: the close follows in the recording.
    match (conn.state, &conn.last_error) {
        (ConnState::Reset, _) => events.push(EventKind::Reset { conn: id }),
        (ConnState::Error, Some(error)) => events.push(EventKind::Error {
            conn: id,
            op: error.op,
            kind: error.kind,
            message: error.message.clone(),
        }),
        _ => {}
    }
    events.push(EventKind::Interest {
        conn: id,
        read: conn.interest.read,
        write: conn.interest.write,
    });
}
