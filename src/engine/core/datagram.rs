//! The calls of a datagram socket: `recvfrom` and `sendto` (or `send` on a connected one),
//! one whole datagram each, reported with the peer and, when the buffer was too small, the
//! datagram's real length (`MSG_TRUNC`).
//!
//! A datagram socket has no EOF and no partial send: a `recvfrom` that returns 0 bytes
//! received an empty datagram, and a datagram the socket cannot send whole (`EMSGSIZE`) is
//! reported and dropped while the socket stays open.

use super::Core;
use super::io::Outcome;
use crate::engine::datagrams::Outgoing;
use crate::engine::endpoint::Role;
use crate::engine::options;
use crate::event::{ConnId, ErrorKind, EventKind, Op};
use bytes::Bytes;
use std::time::Instant;

impl Core {
    /// One `recvfrom` into a buffer of `max` bytes (the pool's for automatic reads).
    pub(super) fn recv_datagram(&mut self, id: ConnId, max: usize) -> Outcome {
        let mut buf = if max == self.config.recv_chunk { self.pool.take() } else { vec![0; max] };
        let result = self.endpoints.get(&id).map(|ep| ep.socket.recv_from(&mut buf[..max]));
        match result {
            Some(Ok(got)) => {
                let data = self.pool.freeze(buf, got.len);
                let truncated = (got.full_len > got.len).then_some(got.full_len);
                if let Some(ep) = self.endpoints.get_mut(&id) {
                    ep.last_activity = Instant::now();
                }
                let (peer, len) = (got.peer, got.len);
                let event = EventKind::RecvFrom {
                    conn: id,
                    peer: peer.clone(),
                    max,
                    len,
                    data: data.clone(),
                    truncated,
                };
                self.emit(event);
                self.relay_datagram(id, peer, data);
                Outcome::Progress
            }
            Some(Err(e)) => {
                self.pool.give_back(buf);
                self.call_failed(id, Op::Recv, &e)
            }
            None => Outcome::Stop,
        }
    }

    /// Queues a datagram for the connected peer of `id` (a `Send` command, standard input).
    pub(super) fn queue_for_peer(&mut self, id: ConnId, data: Bytes) {
        let Some(ep) = self.endpoints.get_mut(&id) else { return };
        if let Ok(to) = ep.socket.peer_address() {
            ep.datagrams.push(Outgoing { to, connected: true, data });
        } else {
            let message = format!("{id} is not connected: say where to send (sendto)");
            self.emit(EventKind::Error { conn: id, op: Op::Send, kind: ErrorKind::Other, message });
        }
    }

    /// One `sendto` of the first queued datagram.
    pub(super) fn send_datagram_once(&mut self, id: ConnId) -> Outcome {
        let Some(ep) = self.endpoints.get(&id) else { return Outcome::Stop };
        if !ep.is_open_stream() || ep.write_shut {
            return Outcome::Stop;
        }
        let Some(front) = ep.datagrams.front().cloned() else { return Outcome::Stop };
        let to = (!front.connected).then_some(&front.to);
        let result = ep.socket.send_datagram(&front.data, to);
        let Some(ep) = self.endpoints.get_mut(&id) else { return Outcome::Stop };
        match result {
            Ok(len) => {
                ep.datagrams.pop_front();
                ep.last_activity = Instant::now();
                let (requested, data) = (front.data.len(), front.data.slice(..len));
                self.emit(EventKind::SendTo { conn: id, peer: front.to, requested, len, data });
                Outcome::Progress
            }
            Err(e) if options::is_msg_size(&e) => {
                ep.datagrams.pop_front();
                let message = format!("{e}: {} bytes not sent to {}", front.data.len(), front.to);
                self.emit(EventKind::Error {
                    conn: id,
                    op: Op::Send,
                    kind: ErrorKind::MsgSize,
                    message,
                });
                Outcome::Progress
            }
            Err(e) => self.call_failed(id, Op::Send, &e),
        }
    }

    /// Whether a bound datagram socket answers each sender (`listen udp: --echo`).
    pub(super) fn echoes(&self, role: &Role) -> bool {
        self.config.echo && matches!(role, Role::Accepted { .. } | Role::Bound { upstream: None })
    }
}
