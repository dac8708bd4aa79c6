//! [`RelayQueues`]: the bytes a proxy has received on one socket and not yet relayed to its
//! pair, kept alike by the writer and by every reader of a recording.
//!
//! A proxy's `send` on the upstream socket passes on exactly the bytes its `recv`s on the
//! client socket returned, in order (and the other way round). Writing those bytes twice
//! doubles the file and the writer's work, so a `send` whose bytes are the next ones waiting
//! to be relayed is written as a *relayed send*: the counts and the socket they came from, no
//! payload. A reader keeps the same queues and takes the bytes from there.
//!
//! Both sides apply the same rules to the same events, so their queues never differ:
//! - a `connect` with a `pair` starts a queue in each direction between the two sockets;
//! - a `recv` (or a `pipe_read`, `--relay splice`) on a socket with a pair appends its bytes to
//!   the queue toward the pair;
//! - a relayed send takes its bytes from the front of the queue toward its socket;
//! - a relayed splice (a `splice_out`) takes them the same way;
//! - a `send` or `splice_out` written with its payload (bytes the user typed into a proxied connection, say)
//!   ends the queue toward its socket: from then on its sends carry their payload;
//! - a queue that grows past [`QUEUE_CAP`], or that would take the queues past [`TOTAL_CAP`]
//!   together, ends (its later sends carry their payload), so a reader's memory is bounded
//!   whatever a file says;
//! - a `close` ends both queues of its socket.

use crate::event::{ConnId, Event, EventKind};
use bytes::{Bytes, BytesMut};
use std::collections::{HashMap, VecDeque};

/// Most bytes waiting in one direction. The engine stops reading a socket whose pair has a
/// full relay queue (1 MiB by default), so a live proxy stays far below this.
pub const QUEUE_CAP: usize = 16 << 20;
/// Most bytes waiting in all queues together.
pub const TOTAL_CAP: usize = 256 << 20;

/// The bytes received and not yet relayed, per destination socket.
#[derive(Debug, Default)]
pub struct RelayQueues {
    /// Keyed by the socket the bytes will be sent on.
    queues: HashMap<ConnId, Queue>,
    /// The socket each queue is filled from, to the socket it is sent on.
    toward: HashMap<ConnId, ConnId>,
    total: usize,
}

#[derive(Debug)]
struct Queue {
    /// The socket whose `recv`s filled the queue.
    from: ConnId,
    chunks: VecDeque<Bytes>,
    len: usize,
}

/// Why a relayed send cannot be resolved: the file is damaged (or was opened at a checkpoint,
/// after the bytes it refers to).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unresolved(pub &'static str);

impl RelayQueues {
    /// Follows an event written or read in full (a relayed send is handled by [`Self::take`]).
    pub fn note(&mut self, event: &Event) {
        match &event.kind {
            EventKind::Connect { conn, pair: Some(client), .. } => {
                self.start(*conn, *client);
                self.start(*client, *conn);
            }
            EventKind::Recv { conn, data, .. } | EventKind::PipeRead { conn, data, .. } => {
                self.push(*conn, data);
            }
            EventKind::Send { conn, .. } | EventKind::SpliceOut { conn, .. } => self.end(*conn),
            EventKind::Close { conn, .. } => {
                self.end(*conn);
                if let Some(&to) = self.toward.get(conn) {
                    self.end(to);
                }
            }
            _ => {}
        }
    }

    /// The writer's question: are `data`, sent on `conn`, the next bytes waiting for it? If so
    /// they are taken from the queue and the socket they came from is returned.
    pub fn relayed_from(&mut self, conn: ConnId, data: &[u8]) -> Option<ConnId> {
        let queue = self.queues.get(&conn)?;
        if queue.len < data.len() || !queue.starts_with(data) {
            return None;
        }
        let from = queue.from;
        self.take(conn, from, data.len()).ok()?;
        Some(from)
    }

    /// The reader's part: the `len` bytes a relayed send on `conn` passed on from `from`.
    pub fn take(&mut self, conn: ConnId, from: ConnId, len: usize) -> Result<Bytes, Unresolved> {
        let queue = self.queues.get_mut(&conn).filter(|queue| queue.from == from);
        let Some(queue) = queue else {
            return Err(Unresolved("a relayed send names a socket that relays nothing to it"));
        };
        if queue.len < len {
            return Err(Unresolved("a relayed send takes more bytes than were received"));
        }
        queue.len -= len;
        self.total -= len;
        Ok(queue.pop(len))
    }

    fn start(&mut self, to: ConnId, from: ConnId) {
        self.end(to);
        if let Some(&old) = self.toward.get(&from) {
            self.end(old);
        }
        self.queues.insert(to, Queue { from, chunks: VecDeque::new(), len: 0 });
        self.toward.insert(from, to);
    }

    fn push(&mut self, from: ConnId, data: &Bytes) {
        let Some(&to) = self.toward.get(&from) else { return };
        let Some(queue) = self.queues.get_mut(&to) else { return };
        if queue.len + data.len() > QUEUE_CAP || self.total + data.len() > TOTAL_CAP {
            self.end(to);
            return;
        }
        queue.len += data.len();
        self.total += data.len();
        if !data.is_empty() {
            queue.chunks.push_back(data.clone());
        }
    }

    fn end(&mut self, to: ConnId) {
        if let Some(queue) = self.queues.remove(&to) {
            self.total -= queue.len;
            self.toward.remove(&queue.from);
        }
    }
}

impl Queue {
    /// Whether the waiting bytes begin with `data`.
    fn starts_with(&self, mut data: &[u8]) -> bool {
        for chunk in &self.chunks {
            if data.is_empty() {
                break;
            }
            let n = chunk.len().min(data.len());
            if chunk[..n] != data[..n] {
                return false;
            }
            data = &data[n..];
        }
        data.is_empty()
    }

    /// Removes the first `len` bytes (there are that many): a slice of the first chunk when
    /// it holds them all, else a copy.
    fn pop(&mut self, len: usize) -> Bytes {
        if let Some(front) = self.chunks.front_mut()
            && front.len() >= len
        {
            let bytes = front.split_to(len);
            if front.is_empty() {
                self.chunks.pop_front();
            }
            return bytes;
        }
        let mut out = BytesMut::with_capacity(len);
        while out.len() < len {
            let Some(mut front) = self.chunks.pop_front() else { break };
            let n = front.len().min(len - out.len());
            out.extend_from_slice(&front.split_to(n));
            if !front.is_empty() {
                self.chunks.push_front(front);
            }
        }
        out.freeze()
    }
}

#[cfg(test)]
mod tests;
