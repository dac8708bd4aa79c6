//! A socket's life: listening, accepting, connecting, EOF, shutdown, close and reset, and how
//! each of these carries over to the other side of a proxy pair.

use super::Core;
use super::edges::Edges;
use crate::engine::endpoint::{Endpoint, Phase, Role};
use crate::engine::socket::Socket;
use crate::engine::{EofPolicy, open, options};
use crate::event::{Address, ClosedBy, ConnId, ErrorKind, EventKind, How, Op, SockOption};
use std::io;
use std::time::Instant;

impl Core {
    pub(super) fn listen(&mut self, addr: &Address, upstream: Option<Vec<Address>>) {
        let id = self.allocate_id();
        let socket = match open::listener(addr, self.config.backlog) {
            Ok(socket) => socket,
            Err(e) => {
                let message = format!("cannot listen on {addr}: {e}");
                self.emit(EventKind::Error {
                    conn: id,
                    op: Op::Listen,
                    kind: options::classify(&e),
                    message,
                });
                return;
            }
        };
        let local = socket.local_address().unwrap_or_else(|_| addr.clone());
        let role = Role::Listener { upstream };
        self.endpoints.insert(id, Endpoint::new(socket, role, Phase::Open, Instant::now()));
        self.emit(EventKind::Listen { conn: id, local });
        self.apply_configured_options(id);
        self.refresh_interest(id);
    }

    pub(super) fn adopt_accepted(&mut self, listener: ConnId, socket: Socket, peer: Address) {
        let id = self.allocate_id();
        let local = socket.local_address().unwrap_or_else(|_| peer.clone());
        self.emit(EventKind::Accept { conn: id, listener, local, peer });
        if let Some(max) = self.config.max_conns.filter(|max| self.accepted_open >= *max) {
            let message = format!("over --max-conns {max}: closed at once");
            self.emit(EventKind::Error {
                conn: id,
                op: Op::Accept,
                kind: ErrorKind::Other,
                message,
            });
            drop(socket);
            self.emit(EventKind::Close { conn: id, by: ClosedBy::Local });
            return;
        }
        self.accepted_open += 1;
        self.endpoints
            .insert(id, Endpoint::new(socket, Role::Accepted, Phase::Open, Instant::now()));
        self.apply_configured_options(id);
        self.refresh_interest(id);
        let upstream = match &self.endpoints.get(&listener).map(|l| &l.role) {
            Some(Role::Listener { upstream: Some(up) }) => Some(up.clone()),
            _ => None,
        };
        if let Some(upstream) = upstream {
            let upstream_id = self.allocate_id();
            if let Some(client) = self.endpoints.get_mut(&id) {
                client.pair = Some(upstream_id);
            }
            self.start_connect(upstream_id, upstream, Some(id));
        }
    }

    /// Starts a connect to the first candidate; later ones are tried if it fails.
    pub(super) fn start_connect(
        &mut self,
        id: ConnId,
        mut candidates: Vec<Address>,
        pair: Option<ConnId>,
    ) {
        if candidates.is_empty() {
            let message = "no address to connect to".to_owned();
            self.emit(EventKind::Error {
                conn: id,
                op: Op::Connect,
                kind: ErrorKind::Other,
                message,
            });
            self.finish_failed_connect(id, pair);
            return;
        }
        let peer = candidates.remove(0);
        self.emit(EventKind::Connect { conn: id, peer: peer.clone(), pair });
        let mut applied = Vec::new();
        let opened = open::connect(&peer, |socket| {
            for option in self.config.options.iter().filter(|o| is_buffer_size(**o)) {
                applied.push(options::apply_raw(
                    &socket2::SockRef::from(socket),
                    peer.ip().is_some(),
                    *option,
                ));
            }
        });
        for result in applied {
            self.report_option(id, result);
        }
        match opened {
            Ok((socket, connected_now)) => {
                let deadline = self.config.connect_timeout.map(|t| Instant::now() + t);
                let phase = Phase::Connecting { peer, rest: candidates, deadline };
                let mut ep = Endpoint::new(socket, Role::Outgoing, phase, Instant::now());
                ep.pair = pair;
                self.endpoints.insert(id, ep);
                if connected_now {
                    self.check_connected(id);
                } else {
                    self.refresh_interest(id);
                }
            }
            Err(e) => {
                self.report_error(id, Op::Connect, &e);
                self.retry_connect(id, candidates, pair);
            }
        }
    }

    /// Completes connects whose socket reported writable or an error this round.
    pub(super) fn complete_connects(&mut self, edges: &Edges) {
        for &id in edges.by_conn.keys() {
            let connecting = self
                .endpoints
                .get(&id)
                .is_some_and(|ep| matches!(ep.phase, Phase::Connecting { .. }));
            if connecting {
                self.check_connected(id);
            }
        }
    }

    /// Asks the socket whether its connect finished: `SO_ERROR` first, then the peer address.
    fn check_connected(&mut self, id: ConnId) {
        let Some(ep) = self.endpoints.get(&id) else { return };
        let failure = match ep.socket.take_error() {
            Ok(Some(e)) | Err(e) => Some(e),
            Ok(None) => match ep.socket.peer_address() {
                Ok(_) => None,
                Err(e) if e.kind() == io::ErrorKind::NotConnected => return,
                Err(e) => Some(e),
            },
        };
        match failure {
            Some(e) => self.connect_attempt_failed(id, &e),
            None => self.mark_connected(id),
        }
    }

    fn mark_connected(&mut self, id: ConnId) {
        let Some(ep) = self.endpoints.get_mut(&id) else { return };
        ep.phase = Phase::Open;
        ep.last_activity = Instant::now();
        let local = ep.socket.local_address();
        let peer = ep.socket.peer_address();
        if let (Ok(local), Ok(peer)) = (local, peer) {
            self.emit(EventKind::Connected { conn: id, local, peer });
        }
        self.apply_configured_options(id);
        self.refresh_interest(id);
        if !self.manual {
            self.flush(id);
        }
    }

    fn connect_attempt_failed(&mut self, id: ConnId, error: &io::Error) {
        self.report_error(id, Op::Connect, error);
        self.abandon_attempt(id);
    }

    pub(super) fn connect_timed_out(&mut self, id: ConnId) {
        let Some(Phase::Connecting { peer, .. }) = self.endpoints.get(&id).map(|ep| &ep.phase)
        else {
            return;
        };
        let secs = self.config.connect_timeout.unwrap_or_default().as_secs_f64();
        let message = format!("no answer from {peer} within {secs} s");
        self.emit(EventKind::Error {
            conn: id,
            op: Op::Connect,
            kind: ErrorKind::TimedOut,
            message,
        });
        self.abandon_attempt(id);
    }

    /// Drops the socket of a failed attempt and moves on to the next candidate, if any. Bytes
    /// already queued for the connection (a proxy client's first words) go with it to the next
    /// attempt.
    fn abandon_attempt(&mut self, id: ConnId) {
        let Some(mut ep) = self.endpoints.remove(&id) else { return };
        self.forget(id, &mut ep);
        let rest = match ep.phase {
            Phase::Connecting { rest, .. } => rest,
            Phase::Open => Vec::new(),
        };
        self.retry_connect(id, rest, ep.pair);
        if let Some(next) = self.endpoints.get_mut(&id) {
            next.queue = ep.queue;
            next.shutdown_when_flushed = ep.shutdown_when_flushed;
        }
    }

    fn retry_connect(&mut self, id: ConnId, rest: Vec<Address>, pair: Option<ConnId>) {
        if rest.is_empty() {
            self.finish_failed_connect(id, pair);
        } else {
            self.start_connect(id, rest, pair);
        }
    }

    /// No candidate worked: the connection is closed, and a proxy client waiting for it is reset,
    /// the nearest thing to "connection refused" it can be told.
    fn finish_failed_connect(&mut self, id: ConnId, pair: Option<ConnId>) {
        self.emit(EventKind::Close { conn: id, by: ClosedBy::Error });
        if let Some(client) = pair {
            self.unlink(client);
            self.reset(client);
        }
    }

    pub(super) fn idle_timed_out(&mut self, id: ConnId) {
        let secs = self.config.idle_timeout.unwrap_or_default().as_secs_f64();
        let message = format!("no activity for {secs} s");
        self.emit(EventKind::Error { conn: id, op: Op::Idle, kind: ErrorKind::TimedOut, message });
        self.close(id, ClosedBy::Error);
    }

    /// `recv` returned 0. A proxy forwards it as `shutdown(write)` once the other side has sent
    /// everything it was given.
    pub(super) fn on_eof(&mut self, id: ConnId) {
        let Some(ep) = self.endpoints.get_mut(&id) else { return };
        ep.read_closed = true;
        self.emit(EventKind::Eof { conn: id });
        self.refresh_interest(id);
        if let Some(to) = self.relay_target(id) {
            self.forward_eof(to);
        }
        self.close_if_done(id);
    }

    /// The other side's peer will send no more: pass that on once everything before it is sent.
    fn forward_eof(&mut self, to: ConnId) {
        let Some(other) = self.endpoints.get_mut(&to) else { return };
        other.shutdown_when_flushed = true;
        if !self.manual {
            self.flush(to);
        }
    }

    pub(super) fn shutdown(&mut self, id: ConnId, how: How) {
        let Some(ep) = self.endpoints.get_mut(&id) else { return };
        let std_how = match how {
            How::Read => std::net::Shutdown::Read,
            How::Write => std::net::Shutdown::Write,
            How::Both => std::net::Shutdown::Both,
        };
        if let Err(e) = ep.socket.shutdown(std_how) {
            self.report_error(id, Op::Shutdown, &e);
            return;
        }
        ep.read_closed |= how != How::Write;
        if how != How::Read {
            ep.write_shut = true;
            ep.shutdown_when_flushed = false;
            ep.queue.clear();
        }
        self.emit(EventKind::Shutdown { conn: id, how });
        self.refresh_interest(id);
        self.close_if_done(id);
    }

    /// In automatic mode, closes a connection whose exchange is over: both directions finished,
    /// or (as `nc` does) the peer sent EOF and nothing is left to send.
    pub(super) fn close_if_done(&mut self, id: ConnId) {
        let Some(ep) = self.endpoints.get(&id) else { return };
        if self.manual || !ep.is_open_stream() {
            return;
        }
        let peer_done = ep.read_closed && ep.queue.is_empty() && !ep.shutdown_when_flushed;
        let nc_style = self.config.eof_policy == EofPolicy::CloseWhenDone && ep.pair.is_none();
        if ep.is_finished() || (peer_done && nc_style) {
            self.close(id, ClosedBy::Peer);
        }
    }

    /// Closes a socket. Its proxy pair follows: after a reset or an error it is reset too; after
    /// an orderly close it is shut down for writing once its queue is sent.
    pub(super) fn close(&mut self, id: ConnId, by: ClosedBy) {
        let Some(mut ep) = self.endpoints.remove(&id) else { return };
        self.forget(id, &mut ep);
        if let (Socket::UnixListener(_), Ok(Address::Unix(path))) =
            (&ep.socket, ep.socket.local_address())
        {
            let _ = std::fs::remove_file(path);
        }
        drop(ep.socket);
        self.emit(EventKind::Close { conn: id, by });
        let Some(pair) = ep.pair else { return };
        self.unlink(pair);
        if matches!(by, ClosedBy::Reset | ClosedBy::Error) {
            self.reset(pair);
        } else {
            self.forward_eof(pair);
        }
    }

    /// Abortive close: `SO_LINGER` 0, so the kernel sends RST instead of FIN.
    pub(super) fn reset(&mut self, id: ConnId) {
        let Some(ep) = self.endpoints.get(&id) else { return };
        if let Err(e) = options::apply(&ep.socket, SockOption::Linger(Some(0))) {
            self.report_error(id, Op::Option, &e);
        }
        self.emit(EventKind::Reset { conn: id });
        self.close(id, ClosedBy::Local);
    }

    /// Reports a failed call and closes the socket: a reset as `reset`, anything else as `error`.
    pub(super) fn fail(&mut self, id: ConnId, op: Op, error: &io::Error) {
        self.report_error(id, op, error);
        let by = if options::classify(error) == ErrorKind::Reset {
            ClosedBy::Reset
        } else {
            ClosedBy::Error
        };
        self.close(id, by);
    }

    pub(super) fn report_error(&mut self, id: ConnId, op: Op, error: &io::Error) {
        let kind = options::classify(error);
        self.emit(EventKind::Error { conn: id, op, kind, message: error.to_string() });
    }

    /// Closes every socket, orderly and without touching pairs, as the engine ends.
    pub(super) fn close_all(&mut self) {
        let mut ids: Vec<ConnId> = self.endpoints.keys().copied().collect();
        ids.sort_unstable();
        for id in &ids {
            self.unlink(*id);
        }
        for id in ids {
            self.close(id, ClosedBy::Local);
        }
    }

    fn unlink(&mut self, id: ConnId) {
        if let Some(ep) = self.endpoints.get_mut(&id) {
            ep.pair = None;
        }
    }

    /// Removes every trace of a socket from the poll and the level state.
    fn forget(&mut self, id: ConnId, ep: &mut Endpoint) {
        if ep.registered.is_some() {
            let _ = self.poll.registry().deregister(&mut ep.socket);
        }
        self.level_readable.remove(&id);
        self.level_writable.remove(&id);
        if matches!(ep.role, Role::Accepted) {
            self.accepted_open = self.accepted_open.saturating_sub(1);
        }
    }
}

/// Buffer sizes must be set before `connect`: they decide the window scale in the handshake.
fn is_buffer_size(option: SockOption) -> bool {
    matches!(option, SockOption::SndBuf(_) | SockOption::RcvBuf(_))
}
