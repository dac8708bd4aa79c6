//! `--relay splice`: a proxied pair's bytes through a kernel pipe (see `splice_pipe.rs`), each
//! call reported as made: `splice_in`, `tee`, `pipe_read`, `splice_out`.
//!
//! The pipe is the copy relay's send queue in another form: it lives on the socket the bytes
//! go to, counts as queued there (backpressure, half-close and closing wait for it), and is
//! drained by the same `flush`. A direction whose bytes must be changed or held in user space
//! (a fault, an intercept, TLS, bytes the user injected) is relayed by copy; bytes already in
//! the pipe then move to the send queue, in order, so the copy relay continues exactly where
//! the pipe left off.

use super::io::Outcome;
use super::{Core, READ_CALLS_PER_ROUND};
use crate::engine::RelayPath;
use crate::engine::fault::Gate;
use crate::engine::splice_pipe::SplicePipe;
use crate::event::{ConnId, EventKind, Op, SocketType};
use bytes::Bytes;
use std::io;
use std::time::Instant;

/// Empty pipe pairs kept for the next chunk; more are closed.
const SPARE_PIPES: usize = 16;

impl Core {
    /// Whether the bytes read on `from` may go through the pipe: `--relay splice`, a plain
    /// stream pair, and nothing in user space that must see them before they are sent.
    pub(super) fn splices(&self, from: ConnId) -> bool {
        if self.config.relay != RelayPath::Splice || self.manual {
            return false;
        }
        let Some(ep) = self.endpoints.get(&from) else { return false };
        let Some(to) = ep.pair else { return false };
        let Some(to_ep) = self.endpoints.get(&to) else { return false };
        let plain = |socket_type, tls: bool| socket_type == SocketType::Stream && !tls;
        plain(ep.socket.socket_type(), ep.tls.is_some())
            && plain(to_ep.socket.socket_type(), to_ep.tls.is_some())
            && to_ep.queue.is_empty()
            && !self.intercepting(to)
            && self.staged_len(to) == 0
            && self.gate(to).is_none_or(Gate::is_inert)
    }

    /// One chunk from `from` into the pipe toward its pair: `splice`, `tee`, `read`, then the
    /// pair's `flush` splices it on. The pipe takes a chunk only when empty (see
    /// `splice_pipe.rs`), which backpressure ensures.
    pub(super) fn splice_chunk(&mut self, from: ConnId) -> Outcome {
        let Some(to) = self.relay_target(from) else { return Outcome::Stop };
        if self.spliced_toward(to) {
            return Outcome::Stop;
        }
        let Some(pipe) = self.take_pipe() else { return self.recv_stream_chunk(from) };
        let max = pipe.capacity().min(self.config.recv_chunk);
        let Some(ep) = self.endpoints.get(&from) else { return Outcome::Stop };
        match pipe.fill_from(&ep.socket, max) {
            Ok(0) => {
                self.spare(pipe);
                self.on_eof(from);
                Outcome::Stop
            }
            Ok(len) => {
                self.emit(EventKind::SpliceIn { conn: from, max, len });
                self.see_spliced(from, to, pipe, len);
                Outcome::Progress
            }
            Err(error) => {
                self.spare(pipe);
                self.splice_failed(from, true, &error)
            }
        }
    }

    /// The `len` bytes just spliced into `pipe`, seen through `tee` and `read`, then sent on.
    /// A `tee` or `read` that comes up short (the kernel gives no such case for an empty
    /// duplicate of the same size) is not trusted: the relay pipe itself is read, consumed,
    /// and its bytes relayed by copy, so none goes unseen.
    fn see_spliced(&mut self, from: ConnId, to: ConnId, mut pipe: SplicePipe, len: usize) {
        if let Some(ep) = self.endpoints.get_mut(&from) {
            ep.last_activity = Instant::now();
        }
        let teed = pipe.tee(len);
        if let Ok(teed) = teed {
            self.emit(EventKind::Tee { conn: from, len: teed });
        }
        let seen = match teed {
            Ok(teed) if teed == len => self.read_view(from, &mut pipe, len),
            Ok(_) => Bytes::new(),
            Err(error) => {
                self.report_error(from, Op::Tee, &error);
                Bytes::new()
            }
        };
        if seen.len() < len {
            return self.relay_unseen(from, pipe, &seen);
        }
        pipe.hold(seen);
        if let Some(ep) = self.endpoints.get_mut(&to) {
            ep.splice = Some(pipe);
        }
        if !self.manual {
            self.flush(to);
        }
    }

    /// One `read` of the duplicate pipe, of at most `len` bytes: what it returned.
    fn read_view(&mut self, from: ConnId, pipe: &mut SplicePipe, len: usize) -> Bytes {
        let mut buf = self.pool.take();
        if buf.len() < len {
            buf.resize(len, 0);
        }
        match pipe.read_view(&mut buf[..len]) {
            Ok(got) => {
                let data = self.pool.freeze(buf, got);
                self.emit(EventKind::PipeRead {
                    conn: from,
                    max: len,
                    len: got,
                    data: data.clone(),
                });
                data
            }
            Err(error) => {
                self.pool.give_back(buf);
                self.report_error(from, Op::Read, &error);
                Bytes::new()
            }
        }
    }

    /// A chunk the duplicate did not show in full: the relay pipe itself is read, consumed
    /// (a `pipe_read` of the bytes not seen yet), and the whole chunk goes on by copy.
    fn relay_unseen(&mut self, from: ConnId, pipe: SplicePipe, seen: &Bytes) {
        let mut all = Vec::new();
        let mut relay = pipe.into_relay_pipe();
        let _ = io::Read::read_to_end(&mut relay, &mut all);
        let all = Bytes::from(all);
        let rest = all.slice(seen.len().min(all.len())..);
        let len = rest.len();
        self.emit(EventKind::PipeRead { conn: from, max: len, len, data: rest });
        self.relay(from, all);
    }

    /// One `splice` of what the pipe toward `to` holds into `to`.
    pub(super) fn splice_out(&mut self, to: ConnId) -> Outcome {
        let Some(ep) = self.endpoints.get_mut(&to) else { return Outcome::Stop };
        let requested = ep.spliced_bytes();
        if requested == 0 || !ep.is_open_stream() || ep.write_shut {
            return Outcome::Stop;
        }
        let Some(pipe) = ep.splice.as_mut() else { return Outcome::Stop };
        match pipe.drain_into(&ep.socket) {
            Ok(data) if data.is_empty() => Outcome::Stop,
            Ok(data) => {
                ep.last_activity = Instant::now();
                if ep.spliced_bytes() == 0
                    && let Some(empty) = ep.splice.take()
                {
                    self.spare(empty);
                }
                let len = data.len();
                self.emit(EventKind::SpliceOut { conn: to, requested, len, data });
                Outcome::Progress
            }
            Err(error) => self.splice_failed(to, false, &error),
        }
    }

    /// Moves the bytes waiting in the pipe toward `to` to its send queue, for the copy relay
    /// (a fault, an intercept or an injection now governs them). They were read before
    /// anything queued after them, so they go first.
    pub(super) fn unsplice(&mut self, to: ConnId) {
        let Some(ep) = self.endpoints.get_mut(&to) else { return };
        if let Some(pipe) = ep.splice.take() {
            let held = pipe.into_held();
            if !held.is_empty() {
                ep.queue.push_front(held);
            }
        }
    }

    /// Sends the pipe's bytes on `to` while the direction still splices, or hands them to the
    /// copy relay when it no longer does. Returns whether bytes still wait in the pipe.
    pub(super) fn flush_spliced(&mut self, to: ConnId) -> bool {
        if self.config.relay == RelayPath::Copy {
            return false;
        }
        let Some(from) = self.endpoints.get(&to).and_then(|ep| ep.pair) else {
            self.unsplice(to);
            return false;
        };
        if !self.splices(from) {
            self.unsplice(to);
            return false;
        }
        for _ in 0..READ_CALLS_PER_ROUND {
            if self.splice_out(to) == Outcome::Stop {
                break;
            }
        }
        self.spliced_toward(to)
    }

    /// An empty pipe pair for a chunk: a spare one or a new one. `None` when no pipe can be
    /// had (out of descriptors): that chunk goes by copy.
    fn take_pipe(&mut self) -> Option<SplicePipe> {
        self.spare_pipes.pop().or_else(|| SplicePipe::open(self.config.recv_chunk).ok())
    }

    /// Out of descriptors: every pipe is closed (four descriptors each), spare or holding a
    /// chunk, whose bytes go on by copy. Returns whether any was.
    pub(super) fn release_pipes(&mut self) -> bool {
        let mut released = !self.spare_pipes.is_empty();
        self.spare_pipes.clear();
        let holding: Vec<ConnId> = self
            .endpoints
            .iter()
            .filter(|(_, ep)| ep.splice.is_some())
            .map(|(id, _)| *id)
            .collect();
        for to in holding {
            self.unsplice(to);
            self.flush(to);
            released = true;
        }
        released
    }

    fn spare(&mut self, pipe: SplicePipe) {
        if self.spare_pipes.len() < SPARE_PIPES {
            self.spare_pipes.push(pipe);
        }
    }

    /// A `splice` that moved nothing: as a `recv` (`read`) or `send` that failed.
    fn splice_failed(&mut self, id: ConnId, read: bool, error: &io::Error) -> Outcome {
        match error.kind() {
            io::ErrorKind::Interrupted => Outcome::Progress,
            io::ErrorKind::WouldBlock => {
                self.would_block(id, Op::Splice, read);
                Outcome::Stop
            }
            _ => {
                self.fail(id, Op::Splice, error);
                Outcome::Stop
            }
        }
    }
}
