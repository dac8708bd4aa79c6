//! A socket's life: listening, accepting, connecting, EOF, shutdown, close and reset, and how
//! each of these carries over to the other side of a proxy pair.

use super::Core;
use crate::engine::endpoint::{Endpoint, Phase, Role};
use crate::engine::socket::Socket;
use crate::engine::{EofPolicy, open, options};
use crate::event::{
    Address, ClosedBy, ConnId, ErrorKind, EventKind, How, Op, SockOption, SocketType,
};
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
        if self.refuse_listen_loop(id, &local, upstream.as_deref()) {
            return; // the socket closes here: it never listened for anyone
        }
        let role = match addr.socket_type() {
            SocketType::Stream => Role::Listener { upstream },
            SocketType::Datagram => Role::Bound { upstream },
        };
        self.endpoints.insert(id, Endpoint::new(socket, role, Phase::Open, Instant::now()));
        self.emit(EventKind::Listen { conn: id, local });
        self.apply_configured_options(id);
        self.refresh_interest(id);
    }

    pub(super) fn adopt_accepted(&mut self, listener: ConnId, socket: Socket, peer: Address) {
        let id = self.allocate_id();
        let local = socket.local_address().unwrap_or_else(|_| peer.clone());
        let looped = self.looped_upstream(listener, &peer, &local);
        self.emit(EventKind::Accept { conn: id, listener, local, peer });
        if let Some(upstream) = looped {
            drop(socket);
            return self.refuse_looped(id, upstream);
        }
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
        self.endpoints.insert(
            id,
            Endpoint::new(socket, Role::Accepted { listener }, Phase::Open, Instant::now()),
        );
        self.apply_configured_options(id);
        self.start_tls_server(id);
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
        // The intercept first: installing a fault may read the client at once (`stall`
        // lifted, a pending round), and those first bytes must already meet the intercept.
        self.install_listener_intercepts(listener, id);
        self.install_configured_faults(id);
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
            self.finish_staged(to);
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

    /// `shutdown`. A failed one closes the socket like any failed call: typically ENOTCONN,
    /// when a reset arrived after the last call that could have seen it (a proxy passing on
    /// EOF to a client that already went away). Such a socket may be watched for nothing any
    /// more (read closed, nothing queued), so no later edge would ever close it.
    pub(super) fn shutdown(&mut self, id: ConnId, how: How) {
        let Some(ep) = self.endpoints.get_mut(&id) else { return };
        let std_how = match how {
            How::Read => std::net::Shutdown::Read,
            How::Write => std::net::Shutdown::Write,
            How::Both => std::net::Shutdown::Both,
        };
        if let Err(e) = ep.socket.shutdown(std_how) {
            self.fail(id, Op::Shutdown, &e);
            return;
        }
        ep.read_closed |= how != How::Write;
        if how != How::Read {
            ep.write_shut = true;
            ep.shutdown_when_flushed = false;
            ep.queue.clear();
            ep.datagrams.clear();
            ep.splice = None;
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
        let peer_done = ep.read_closed && ep.nothing_queued() && !ep.shutdown_when_flushed;
        let nc_style = self.config.eof_policy == EofPolicy::CloseWhenDone && ep.pair.is_none();
        if ep.is_finished() || (peer_done && nc_style) {
            self.close(id, ClosedBy::Peer);
        }
    }

    /// Closes a socket. Its proxy pair follows: after a reset or an error it is reset too; after
    /// an orderly close it is shut down for writing once its queue is sent. A pair whose
    /// exchange is already over both ways is closed as finished: a reset could only abort a
    /// connection that ended in order (a TLS upstream gone without `close_notify` answers our
    /// own with a reset, after the client has ended too).
    pub(super) fn close(&mut self, id: ConnId, by: ClosedBy) {
        let Some(mut ep) = self.endpoints.remove(&id) else { return };
        self.forget(id, &mut ep);
        if matches!(ep.role, Role::Listener { .. } | Role::Bound { .. }) {
            remove_socket_file(&ep.socket);
        }
        drop(ep.socket);
        self.emit(EventKind::Close { conn: id, by });
        match ep.role {
            Role::Bound { .. } => return self.close_flows_of(id),
            // A flow's end is its own: the bound socket serves other clients.
            Role::Flow { .. } => return,
            Role::Listener { .. } | Role::Accepted { .. } | Role::Outgoing => {}
        }
        let Some(pair) = ep.pair else { return };
        self.unlink(pair);
        if self.endpoints.get(&pair).is_some_and(Endpoint::is_finished) {
            self.close(pair, ClosedBy::Peer);
        } else if matches!(by, ClosedBy::Reset | ClosedBy::Error) {
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

    pub(super) fn unlink(&mut self, id: ConnId) {
        if let Some(ep) = self.endpoints.get_mut(&id) {
            ep.pair = None;
        }
    }

    /// Removes every trace of a socket from the poll and the level state.
    pub(super) fn forget(&mut self, id: ConnId, ep: &mut Endpoint) {
        if ep.registered.is_some() {
            let _ = self.poll.registry().deregister(&mut ep.socket);
        }
        self.level_readable.remove(&id);
        self.level_writable.remove(&id);
        if matches!(ep.role, Role::Accepted { .. }) {
            self.accepted_open = self.accepted_open.saturating_sub(1);
        }
        if let Role::Flow { bound, client } = &ep.role {
            self.flows.remove(&(*bound, client.clone()));
        }
        self.forget_upstream_socket(id, ep);
    }
}

/// A listener's socket file goes with it; an abstract name (`@name`) has no file, and a
/// file of that name is someone else's.
fn remove_socket_file(socket: &Socket) {
    let Ok(local) = socket.local_address() else { return };
    if let (Some(path), false) = (local.unix_path(), local.is_abstract())
        && !path.as_os_str().is_empty()
    {
        let _ = std::fs::remove_file(path);
    }
}
