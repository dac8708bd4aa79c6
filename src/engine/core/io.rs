//! The calls themselves: `accept`, `recv` and `send`, each reported exactly as the OS answered.

use super::edges::Edges;
use super::{Core, READ_CALLS_PER_ROUND};
use crate::engine::endpoint::Endpoint;
use crate::event::{ConnId, EventKind, Op, SocketType};
use bytes::Bytes;
use std::io;
use std::time::Instant;

/// Largest single `recv` a manual command may ask for.
pub(super) const MAX_MANUAL_RECV: usize = 16 << 20;

/// How a call ended, for the loops that repeat it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Outcome {
    /// It moved something; calling again may move more.
    Progress,
    /// `WouldBlock`, EOF, an error, or the socket is gone: stop calling.
    Stop,
}

impl Core {
    /// Auto mode: what each socket's edge asks for.
    pub(super) fn act_on_edges(&mut self, edges: &Edges) {
        for (&id, flags) in &edges.by_conn {
            let Some(ep) = self.endpoints.get(&id) else { continue };
            if ep.is_listener() {
                if flags.wants_read() {
                    self.accept_all(id);
                }
                continue;
            }
            if !ep.is_open_stream() {
                continue;
            }
            if flags.writable {
                self.flush(id);
            }
            if flags.wants_read() {
                self.drain_reads(id);
                self.check_error_while_not_reading(id, flags.error);
            }
        }
    }

    /// Reads sockets left ready by an earlier round's budget or by backpressure that has eased.
    pub(super) fn continue_draining(&mut self, edges: &Edges) {
        let waiting: Vec<ConnId> = self
            .level_readable
            .iter()
            .copied()
            .filter(|id| !edges.by_conn.contains_key(id) && self.may_read(*id))
            .collect();
        for id in waiting {
            self.drain_reads(id);
        }
    }

    pub(super) fn has_pending_reads(&self) -> bool {
        self.level_readable.iter().any(|id| self.may_read(*id))
    }

    /// Whether automatic reading of this socket is allowed now.
    pub(super) fn may_read(&self, id: ConnId) -> bool {
        let Some(ep) = self.endpoints.get(&id) else { return false };
        !self.manual
            && ep.is_open_stream()
            && !ep.read_closed
            && !ep.paused
            && !self.backpressured(id)
    }

    /// Backpressure: where this socket's bytes go already holds enough unsent bytes, or a
    /// `stall` fault keeps its sender waiting.
    pub(super) fn backpressured(&self, id: ConnId) -> bool {
        self.relay_target(id).is_some_and(|to| {
            self.waiting_toward(to) >= self.config.relay_limit || self.spliced_toward(to)
        }) || self.stalled(id)
    }

    /// The splice relay's pipe toward `to` holds a chunk: the next waits until it is sent.
    pub(super) fn spliced_toward(&self, to: ConnId) -> bool {
        self.config.relay == crate::engine::RelayPath::Splice
            && self.endpoints.get(&to).is_some_and(|ep| ep.spliced_bytes() > 0)
    }

    /// Bytes on their way to `to` and not yet sent: its send queue and what an intercept holds.
    fn waiting_toward(&self, to: ConnId) -> usize {
        let queued = self.endpoints.get(&to).map_or(0, Endpoint::queued_bytes);
        queued + self.staged_len(to)
    }

    /// Where bytes received on `id` are sent: the proxy pair, or (echo) the socket itself.
    pub(super) fn relay_target(&self, id: ConnId) -> Option<ConnId> {
        let ep = self.endpoints.get(&id)?;
        ep.pair.or(self.echoes(&ep.role).then_some(id))
    }

    pub(super) fn drain_reads(&mut self, id: ConnId) {
        for _ in 0..READ_CALLS_PER_ROUND {
            if !self.may_read(id) || self.recv_chunk(id) == Outcome::Stop {
                break;
            }
        }
        self.refresh_interest(id);
    }

    /// A socket we are not reading (paused, backpressured) still reports a failure.
    fn check_error_while_not_reading(&mut self, id: ConnId, error_edge: bool) {
        if !error_edge || self.may_read(id) {
            return;
        }
        let Some(ep) = self.endpoints.get(&id) else { return };
        if let Ok(Some(error)) | Err(error) = ep.socket.take_error() {
            self.fail(id, Op::Recv, &error);
        }
    }

    /// One automatic `recv` (or `recvfrom`) of at most `--recv-chunk` bytes, into a pooled
    /// buffer.
    fn recv_chunk(&mut self, id: ConnId) -> Outcome {
        match self.endpoints.get(&id).map(|ep| ep.socket.socket_type()) {
            Some(SocketType::Stream) if self.splices(id) => self.splice_chunk(id),
            Some(SocketType::Stream) => self.recv_stream_chunk(id),
            Some(SocketType::Datagram) => self.recv_datagram(id, self.config.recv_chunk),
            None => Outcome::Stop,
        }
    }

    pub(super) fn recv_stream_chunk(&mut self, id: ConnId) -> Outcome {
        let mut buf = self.pool.take();
        let result = self.endpoints.get_mut(&id).map(|ep| ep.socket.recv(&mut buf));
        let outcome = match result {
            Some(Ok(len)) if len > 0 => {
                let data = self.pool.freeze(buf, len);
                return self.received(id, self.config.recv_chunk, data);
            }
            Some(result) => self.recv_ended(id, result),
            None => Outcome::Stop,
        };
        self.pool.give_back(buf);
        outcome
    }

    /// One `recv` of at most `max` bytes, as a manual command asks.
    pub(super) fn recv_once(&mut self, id: ConnId, max: usize) -> Outcome {
        let max = max.clamp(1, MAX_MANUAL_RECV);
        match self.endpoints.get(&id).map(|ep| ep.socket.socket_type()) {
            Some(SocketType::Stream) => {}
            Some(SocketType::Datagram) => return self.recv_datagram(id, max),
            None => return Outcome::Stop,
        }
        if self.manual_buf.len() < max {
            self.manual_buf.resize(max, 0);
        }
        let Some(ep) = self.endpoints.get_mut(&id) else { return Outcome::Stop };
        match ep.socket.recv(&mut self.manual_buf[..max]) {
            Ok(len) if len > 0 => {
                let data = Bytes::copy_from_slice(&self.manual_buf[..len]);
                self.received(id, max, data)
            }
            result => self.recv_ended(id, result),
        }
    }

    /// Reports bytes a `recv` returned and passes them on.
    fn received(&mut self, id: ConnId, max: usize, data: Bytes) -> Outcome {
        if let Some(ep) = self.endpoints.get_mut(&id) {
            ep.last_activity = Instant::now();
        }
        self.emit(EventKind::Recv { conn: id, max, len: data.len(), data: data.clone() });
        if !self.tls_received(id, &data) {
            self.relay(id, data);
        }
        Outcome::Progress
    }

    /// A `recv` that moved no bytes: EOF, `WouldBlock`, an interruption or an error.
    fn recv_ended(&mut self, id: ConnId, result: io::Result<usize>) -> Outcome {
        match result {
            Ok(_) => {
                self.on_eof(id);
                Outcome::Stop
            }
            Err(e) => self.call_failed(id, Op::Recv, &e),
        }
    }

    /// A `recv`, `send` or `accept` that returned an error. `WouldBlock` ends the socket's level
    /// readiness for that direction; an interrupted call is made again; anything else is
    /// reported, and closes a stream (a listener stays open: EMFILE pauses it, see `accept`).
    pub(super) fn call_failed(&mut self, id: ConnId, op: Op, error: &io::Error) -> Outcome {
        match error.kind() {
            io::ErrorKind::Interrupted => return Outcome::Progress,
            io::ErrorKind::WouldBlock => self.would_block(id, op, op != Op::Send),
            _ if op == Op::Accept => return self.accept_failed(id, error),
            _ => self.fail(id, op, error),
        }
        Outcome::Stop
    }

    /// A call on `id` returned `WouldBlock`: its level readiness for reading (`read`) or
    /// writing ends.
    pub(super) fn would_block(&mut self, id: ConnId, op: Op, read: bool) {
        let level = if read { &mut self.level_readable } else { &mut self.level_writable };
        level.remove(&id);
        self.pending.consumed(id, read);
        self.emit(EventKind::WouldBlock { conn: id, op });
    }

    /// Bytes received on one side of a proxy pair are queued on the other (on the same socket
    /// when echoing), and sent at once.
    pub(super) fn relay(&mut self, from: ConnId, data: Bytes) {
        let Some(to) = self.relay_target(from) else { return };
        let data = self.admit(to, data);
        if self.intercepting(to) {
            self.stage_relayed(to, data);
        } else {
            self.enqueue(to, data);
        }
        if !self.manual {
            self.flush(to);
        }
    }

    /// Sends queued bytes until the queue is empty, the socket would block or a fault holds
    /// the next piece; then does what an empty queue allows (a deferred `shutdown(write)`, a
    /// `reset-after` fault, closing a finished exchange).
    pub(super) fn flush(&mut self, id: ConnId) {
        let spliced_waiting = self.flush_spliced(id);
        while !spliced_waiting && !self.send_held(id) && self.send_once(id) == Outcome::Progress {}
        if self.reset_if_due(id) {
            return;
        }
        let staged = self.staged_len(id);
        let Some(ep) = self.endpoints.get(&id) else { return };
        let flushed = ep.nothing_queued() && staged == 0;
        if flushed && ep.shutdown_when_flushed && ep.is_open_stream() && !ep.write_shut {
            if self.tls_close_notify_first(id) {
                if self.endpoints.get(&id).is_some_and(|ep| !ep.queue.is_empty()) {
                    self.flush(id);
                }
                return;
            }
            self.shutdown(id, crate::event::How::Write);
        }
        self.refresh_interest(id);
        if let Some(pair) = self.endpoints.get(&id).and_then(|ep| ep.pair) {
            self.refresh_interest(pair);
        }
        self.close_if_done(id);
    }

    /// One `send` of the front of the queue (of its first piece, under a `slice` or `rate`
    /// fault).
    pub(super) fn send_once(&mut self, id: ConnId) -> Outcome {
        let Some(ep) = self.endpoints.get(&id) else { return Outcome::Stop };
        match ep.socket.socket_type() {
            SocketType::Stream => {}
            SocketType::Datagram => return self.send_datagram_once(id),
        }
        if !ep.is_open_stream() || ep.write_shut {
            return Outcome::Stop;
        }
        let Some(front) = ep.queue.front().cloned() else { return Outcome::Stop };
        let front = front.slice(..self.fault_offer(id, front.len()));
        let Some(ep) = self.endpoints.get_mut(&id) else { return Outcome::Stop };
        match ep.socket.send(&front) {
            Ok(0) => Outcome::Stop,
            Ok(len) => {
                ep.queue.consume_front(len);
                ep.last_activity = Instant::now();
                let data = front.slice(..len);
                self.fault_sent(id, len);
                self.emit(EventKind::Send { conn: id, requested: front.len(), len, data });
                Outcome::Progress
            }
            Err(e) => self.call_failed(id, Op::Send, &e),
        }
    }

    pub(super) fn accept_all(&mut self, listener: ConnId) {
        while self.running && self.accept_once(listener) == Outcome::Progress {}
    }

    /// One `accept`. A failure such as EMFILE is reported and leaves the listener open.
    pub(super) fn accept_once(&mut self, listener: ConnId) -> Outcome {
        let Some(ep) = self.endpoints.get(&listener) else { return Outcome::Stop };
        match ep.socket.accept() {
            Ok((socket, peer)) => {
                self.adopt_accepted(listener, socket, peer);
                Outcome::Progress
            }
            Err(e) => self.call_failed(listener, Op::Accept, &e),
        }
    }
}
