//! The capture's connections, by address pair: which connection a segment belongs to, and
//! the events of all of them in capture order, stamped with the session clock.

use super::Summary;
use super::capture::Frame;
use super::connection::Connection;
use super::tcp::{self, Decoded, Segment};
use crate::event::{ConnId, Event, EventKind};
use std::collections::HashMap;
use std::net::SocketAddr;

/// A connection in the table. A closed one leaves only a marker, so that its last packets
/// (the final ACK, a retransmitted FIN) are recognised without keeping its state; a new SYN
/// on the same addresses starts a new connection.
#[derive(Debug)]
enum Slot {
    Open(Box<Connection>),
    Closed,
}

/// The import in progress.
#[derive(Debug, Default)]
pub struct Importer {
    connections: HashMap<(SocketAddr, SocketAddr), Slot>,
    summary: Summary,
    /// The session clock: the capture's first timestamp, and the last time given out.
    first_us: Option<u64>,
    last_t: u64,
    /// Gaps of the connections already closed.
    closed_gaps: u64,
}

impl Importer {
    /// Folds in one captured frame; the events it causes go to `out`.
    pub fn frame(&mut self, frame: &Frame<'_>, out: &mut Vec<Event>) {
        self.summary.packets += 1;
        let first = *self.first_us.get_or_insert(frame.unix_us);
        self.summary.first_unix_us = Some(first);
        // Captures merged from several interfaces may step back in time; t_us never does.
        self.last_t = self.last_t.max(frame.unix_us.saturating_sub(first));
        match tcp::decode(frame.link, frame.data) {
            Decoded::Tcp(segment) => {
                self.summary.tcp_packets += 1;
                let mut kinds = Vec::new();
                self.segment(&segment, &mut kinds);
                self.stamp(kinds, out);
            }
            Decoded::Other => self.summary.skipped += 1,
            Decoded::UnknownLink => {
                self.summary.skipped += 1;
                self.summary.unknown_links.insert(frame.link);
            }
        }
    }

    fn segment(&mut self, segment: &Segment<'_>, out: &mut Vec<EventKind>) {
        let key = pair(segment.src, segment.dst);
        let opens = match self.connections.get(&key) {
            None => true,
            Some(Slot::Closed) => segment.syn && segment.ack.is_none(),
            Some(Slot::Open(_)) => false,
        };
        if opens {
            self.summary.connections += 1;
            let id = ConnId(self.summary.connections);
            let conn = Connection::open(id, segment, out);
            self.connections.insert(key, Slot::Open(Box::new(conn)));
        }
        if let Some(Slot::Open(conn)) = self.connections.get_mut(&key) {
            conn.segment(segment, out);
            if conn.closed {
                self.closed_gaps += conn.gaps;
                self.connections.insert(key, Slot::Closed);
            }
        }
    }

    /// The capture ended: every open connection delivers what waits (see
    /// [`Connection::finish`]), in the order they opened.
    pub fn finish(&mut self, out: &mut Vec<Event>) {
        let mut open: Vec<&mut Connection> = self
            .connections
            .values_mut()
            .filter_map(|slot| match slot {
                Slot::Open(conn) => Some(conn.as_mut()),
                Slot::Closed => None,
            })
            .collect();
        open.sort_by_key(|c| c.id);
        let mut kinds = Vec::new();
        let mut gaps = self.closed_gaps;
        for conn in open {
            conn.finish(&mut kinds);
            gaps += conn.gaps;
        }
        self.summary.gaps = gaps;
        self.stamp(kinds, out);
    }

    #[must_use]
    pub fn into_summary(self) -> Summary {
        self.summary
    }

    fn stamp(&mut self, kinds: Vec<EventKind>, out: &mut Vec<Event>) {
        for kind in kinds {
            if let EventKind::Send { len, .. } | EventKind::Recv { len, .. } = &kind {
                self.summary.bytes += *len as u64;
            }
            out.push(Event { kind, t_us: self.last_t });
        }
    }
}

/// The two ends of a connection, in an order that does not depend on the direction.
fn pair(a: SocketAddr, b: SocketAddr) -> (SocketAddr, SocketAddr) {
    if a <= b { (a, b) } else { (b, a) }
}
