//! One poll's readiness edges, the level state derived from them, and the `ready` report.
//!
//! Two sources describe a round. epoll (mio) delivers edges: a change happened since the last
//! poll. `select()` is level-triggered: it lists what is true now. The engine knows the level
//! state from the calls it made: a socket is readable from an edge (data, EOF, error, a client
//! waiting) until a `recv` or `accept` returns `WouldBlock`, and writable from an edge (or a
//! pending error) until a `send` does. An edge whose condition a call consumed before the round
//! that reports it is stale: it is dropped, so neither list names it.

use super::Core;
use crate::event::{ConnId, EventKind, Readiness};
use mio::{Events, Token};
use std::collections::BTreeMap;

/// What the poll said about one socket in one round.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Flags {
    pub(super) readable: bool,
    pub(super) writable: bool,
    pub(super) error: bool,
    pub(super) read_closed: bool,
    pub(super) write_closed: bool,
}

impl Flags {
    /// Anything that makes a `recv` (or `accept`) return without blocking: data, EOF, an error.
    pub(super) fn wants_read(self) -> bool {
        self.readable || self.read_closed || self.error
    }
}

/// The edges of one round (or, in manual mode, of every round since the last step).
#[derive(Debug, Default)]
pub(super) struct Edges {
    pub(super) by_conn: BTreeMap<ConnId, Flags>,
}

impl Edges {
    /// Gathers the poll's events, skipping the waker and sockets already closed (mio may still
    /// deliver an event for a token that was just deregistered).
    pub(super) fn collect(events: &Events, waker: Token, known: impl Fn(ConnId) -> bool) -> Self {
        let mut edges = Self::default();
        for event in events {
            if event.token() == waker {
                continue;
            }
            let id = ConnId(event.token().0 as u64);
            if !known(id) {
                continue;
            }
            let flags = edges.by_conn.entry(id).or_default();
            flags.readable |= event.is_readable();
            flags.writable |= event.is_writable();
            flags.error |= event.is_error();
            flags.read_closed |= event.is_read_closed();
            flags.write_closed |= event.is_write_closed();
        }
        edges
    }

    pub(super) fn merge(&mut self, other: Edges) {
        for (id, f) in other.by_conn {
            let mine = self.by_conn.entry(id).or_default();
            mine.readable |= f.readable;
            mine.writable |= f.writable;
            mine.error |= f.error;
            mine.read_closed |= f.read_closed;
            mine.write_closed |= f.write_closed;
        }
    }

    /// A call returned `WouldBlock`: what the socket's held edge announced for that direction
    /// is consumed, so the edge is stale and the next round must not report it. (`WouldBlock`
    /// from `recv` also means no EOF and no error was pending.)
    pub(super) fn consumed(&mut self, id: ConnId, read: bool) {
        let Some(flags) = self.by_conn.get_mut(&id) else { return };
        if read {
            flags.readable = false;
            flags.read_closed = false;
            flags.error = false;
        } else {
            flags.writable = false;
        }
        let f = *flags;
        if !(f.readable || f.writable || f.error || f.read_closed || f.write_closed) {
            self.by_conn.remove(&id);
        }
    }

    fn ids(&self, pick: impl Fn(&Flags) -> bool) -> Vec<ConnId> {
        self.by_conn.iter().filter(|(_, f)| pick(f)).map(|(id, _)| *id).collect()
    }
}

impl Core {
    /// An edge makes a socket ready until a call on it returns `WouldBlock`. A pending error
    /// makes it both: `recv` and `send` would return at once (with the error).
    pub(super) fn note_level(&mut self, edges: &Edges) {
        for (id, flags) in &edges.by_conn {
            if flags.wants_read() {
                self.level_readable.insert(*id);
            }
            if flags.writable || flags.error {
                self.level_writable.insert(*id);
            }
        }
    }

    /// Emits the round's `ready` event: epoll's edges, and `select()`'s view with the sockets
    /// it lists without an edge as still ready. A round in which nothing at all was ready (a
    /// wake-up for commands) is reported only when `always` (a step the user asked for).
    pub(super) fn report_round(&mut self, edges: &Edges, always: bool) {
        let select = self.select_view();
        let no_edge = |id: &&ConnId| !edges.by_conn.contains_key(id);
        let still_readable: Vec<ConnId> = select.readable.iter().filter(no_edge).copied().collect();
        let still_writable: Vec<ConnId> = select.writable.iter().filter(no_edge).copied().collect();
        let nothing =
            edges.by_conn.is_empty() && still_readable.is_empty() && still_writable.is_empty();
        if nothing && !always {
            return;
        }
        self.round += 1;
        let readiness = Readiness {
            round: self.round,
            readable: edges.ids(|f| f.readable),
            writable: edges.ids(|f| f.writable),
            error: edges.ids(|f| f.error),
            read_closed: edges.ids(|f| f.read_closed),
            write_closed: edges.ids(|f| f.write_closed),
            still_readable,
            still_writable,
            select: Some(Box::new(select)),
        };
        self.emit(EventKind::Ready(readiness));
    }

    /// Manual mode's step: one non-blocking poll, reported together with every edge that
    /// arrived since the previous step.
    pub(super) fn step(&mut self) {
        let fresh = self.poll_now();
        self.note_level(&fresh);
        self.complete_connects(&fresh);
        self.pending.merge(fresh);
        let edges = self.take_pending();
        self.report_round(&edges, true);
    }

    /// What a poll that does not wait reports right now (nothing if the poll fails: the main
    /// loop will meet the same failure and end).
    pub(super) fn poll_now(&mut self) -> Edges {
        let mut events = Events::with_capacity(1024);
        match self.poll.poll(&mut events, Some(std::time::Duration::ZERO)) {
            Ok(()) => {
                Edges::collect(&events, super::WAKER_TOKEN, |id| self.endpoints.contains_key(&id))
            }
            Err(_) => Edges::default(),
        }
    }

    /// The held edges, without those of sockets closed since they arrived: nothing may be
    /// reported about a socket after its `close`.
    pub(super) fn take_pending(&mut self) -> Edges {
        let mut edges = std::mem::take(&mut self.pending);
        edges.by_conn.retain(|id, _| self.endpoints.contains_key(id));
        edges
    }
}
