//! Outgoing connects: started without blocking, completed when the socket turns writable,
//! retried on the next resolved address after a refusal or a timeout.

use super::Core;
use super::edges::Edges;
use crate::engine::endpoint::{Endpoint, Phase, Role};
use crate::engine::socket::Socket;
use crate::engine::{open, options};
use crate::event::{Address, ClosedBy, ConnId, ErrorKind, EventKind, Op, SockOption};
use std::io;
use std::time::Instant;

impl Core {
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
        self.emit(EventKind::Connect { conn: id, peer: peer.clone(), pair, client: None });
        let mut opened = self.open_socket(id, &peer);
        // Out of descriptors: the splice relay's pipes give way to the new socket.
        if let Err(e) = &opened
            && super::accept::out_of_descriptors(e)
            && self.release_pipes()
        {
            opened = self.open_socket(id, &peer);
        }
        match opened {
            Ok((socket, connected_now)) => {
                let deadline = self.config.connect_timeout.map(|t| Instant::now() + t);
                let phase = Phase::Connecting { peer, rest: candidates, deadline };
                let mut ep = Endpoint::new(socket, Role::Outgoing, phase, Instant::now());
                ep.pair = pair;
                if let Some(client) = pair {
                    self.note_upstream_socket(id, client, &mut ep);
                }
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

    /// A non-blocking socket connecting to `peer`, its buffer sizes set first (and reported).
    fn open_socket(&mut self, id: ConnId, peer: &Address) -> io::Result<(Socket, bool)> {
        let mut applied = Vec::new();
        let opened = open::connect(peer, |socket| {
            for option in self.config.options.iter().filter(|o| is_buffer_size(**o)) {
                applied.push(options::apply_raw(
                    &socket2::SockRef::from(socket),
                    matches!(peer, Address::Ip(_)),
                    *option,
                ));
            }
        });
        for result in applied {
            self.report_option(id, result);
        }
        opened
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
        self.start_tls_client(id);
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
    /// already queued for the connection (a proxy client's first words, in the send queue or
    /// the splice relay's pipe) go with it to the next attempt.
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
            next.splice = ep.splice;
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
}

/// Buffer sizes must be set before `connect`: they decide the window scale in the handshake.
fn is_buffer_size(option: SockOption) -> bool {
    matches!(option, SockOption::SndBuf(_) | SockOption::RcvBuf(_))
}
