//! The fold itself: what each event changes in the model. O(event size) per event.

use super::Session;
use super::call::{CallKind, SpliceCall};
use super::connection::{ConnState, Connection, ErrorInfo, Interest, Role};
use super::readiness::Round;
use super::tls::{Layer, TlsCall};
use crate::event::{
    Address, ClosedBy, ConnId, Dir, ErrorKind, Event, EventKind as K, How, Op, Readiness,
    SocketType,
};
use crate::framing::Spec;

impl Session {
    /// Folds one event into the model.
    pub fn apply(&mut self, event: &Event) {
        let t = self.count(event);
        match &event.kind {
            K::Session { start_unix_us, .. } => self.start_unix_us = *start_unix_us,
            // The handshake, alerts and `close_notify`; the plaintext beside the wire bytes.
            K::Tls { conn, stage } => self.on_tls(*conn, stage, t),
            K::TlsRead { conn, len, data } => {
                self.on_plaintext(*conn, Dir::In, data, TlsCall::Read { len: *len }, t);
            }
            K::TlsWrite { conn, requested, len, data } => {
                let call = TlsCall::Write { requested: *requested, len: *len };
                self.on_plaintext(*conn, Dir::Out, data, call, t);
            }
            // `message` events are derived by the headless printer; the model frames by itself.
            // A `blocked` call is followed by its result, which the model shows.
            K::Message { .. } | K::Blocked { .. } => {}
            K::Listen { conn, local } => self.on_listen(*conn, local, t),
            K::Accept { conn, listener, local, peer } => {
                self.on_accept(*conn, *listener, [local, peer], t);
            }
            K::Connect { conn, peer, pair, client: None } => self.on_connect(*conn, peer, *pair, t),
            // A datagram proxy's flow serves one client of a bound socket that serves many:
            // the bound socket keeps no single pair.
            K::Connect { conn, peer, pair, client: Some(client) } => {
                self.on_connect(*conn, peer, None, t);
                if let Some(c) = self.connections.get_mut(conn) {
                    c.flow_client = Some(client.clone());
                    c.pair = *pair;
                }
            }
            K::Connected { conn, local, peer } => self.on_connected(*conn, [local, peer], t),
            K::Ready(readiness) => self.on_ready(readiness, t),
            K::Recv { conn, max, len, data } => {
                self.on_bytes(*conn, Dir::In, data, t, CallKind::Recv { max: *max, len: *len });
                self.after_tls_recv(*conn, data, t);
            }
            K::Send { conn, requested, len, data } => {
                let call = CallKind::Send { requested: *requested, len: *len };
                self.on_bytes(*conn, Dir::Out, data, t, call);
            }
            // Each datagram is one chunk of its direction's stream, so its boundary is kept.
            K::RecvFrom { conn, peer, max, len, data, truncated } => {
                self.note_peer(*conn, peer, Dir::In, data.len());
                let (max, len, truncated) = (*max, *len, *truncated);
                let call = CallKind::RecvFrom { peer: peer.clone(), max, len, truncated };
                self.on_bytes(*conn, Dir::In, data, t, call.clone());
                self.mirror_to_flow(*conn, peer, Dir::In, data, t, call);
            }
            K::SendTo { conn, peer, requested, len, data } => {
                self.note_peer(*conn, peer, Dir::Out, data.len());
                let call =
                    CallKind::SendTo { peer: peer.clone(), requested: *requested, len: *len };
                self.on_bytes(*conn, Dir::Out, data, t, call.clone());
                self.mirror_to_flow(*conn, peer, Dir::Out, data, t, call);
            }
            // `--relay splice`: bytes reach user space by `read` (see `SpliceCall`).
            K::SpliceIn { conn, max, len } => {
                self.on_call(*conn, SpliceCall::In { max: *max, len: *len }.into(), t);
            }
            K::Tee { conn, len } => self.on_call(*conn, SpliceCall::Tee { len: *len }.into(), t),
            K::PipeRead { conn, max, len, data } => {
                self.on_bytes(
                    *conn,
                    Dir::In,
                    data,
                    t,
                    SpliceCall::Read { max: *max, len: *len }.into(),
                );
            }
            K::SpliceOut { conn, requested, len, data } => {
                let call = SpliceCall::Out { requested: *requested, len: *len }.into();
                self.on_bytes(*conn, Dir::Out, data, t, call);
            }
            K::WouldBlock { conn, op } => self.on_would_block(*conn, *op, t),
            K::Eof { conn } => self.on_eof(*conn, t),
            K::Shutdown { conn, how } => self.on_shutdown(*conn, *how, t),
            K::Reset { conn } => self.on_reset(*conn, t),
            K::Close { conn, by } => self.on_close(*conn, *by, t),
            K::Error { conn, op, kind, message } => self.on_error(*conn, *op, *kind, message, t),
            K::Option { conn, option } => {
                if let Some(c) = self.known(*conn) {
                    c.set_option(*option);
                    c.record(t, CallKind::Option(*option));
                }
            }
            K::Fault { conn, dir, kind, state, detail } => {
                if let Some(c) = self.known(*conn) {
                    c.note_fault(*dir, *kind, *state, detail);
                    let (dir, kind, state, detail) = (*dir, *kind, *state, detail.clone());
                    c.record(t, CallKind::Fault { dir, kind, state, detail });
                }
            }
            K::Intercept { conn, dir, state, framing, pattern } => {
                self.on_intercept(*conn, (*dir, *state), (framing, pattern), t);
            }
            K::Held { conn, dir, id, data, .. } => self.on_held(*conn, (*dir, *id), data, t),
            K::Released { conn, dir, id, action, len, .. } => {
                self.on_released(*conn, (*dir, *id, *action), *len, t);
            }
            K::Inject { conn, dir, len, .. } => self.on_inject(*conn, *dir, *len, t),
            K::Interest { conn, read, write } => {
                if let Some(c) = self.known(*conn).filter(|c| !c.is_closed()) {
                    c.interest = Interest { read: *read, write: *write };
                }
            }
        }
    }

    /// Counts one more event and moves the clock; returns its time.
    fn count(&mut self, event: &Event) -> u64 {
        self.events += 1;
        self.now_us = self.now_us.max(event.t_us);
        if changes_roster(&event.kind) {
            self.roster_generation += 1;
        }
        event.t_us
    }

    /// A call that moved no bytes the model keeps.
    fn on_call(&mut self, id: ConnId, call: CallKind, t: u64) {
        if let Some(conn) = self.known(id) {
            conn.record(t, call);
        }
    }

    /// The socket an event is about; an unknown one is counted as an orphan.
    fn known(&mut self, id: ConnId) -> Option<&mut Connection> {
        let found = self.connections.get_mut(&id);
        if found.is_none() {
            self.orphans += 1;
        }
        found
    }

    /// The socket an opening event names, created if new. A repeated opening event (a connect
    /// retry, or a damaged recording) keeps the socket, its role and its bytes.
    fn open(&mut self, id: ConnId, role: Role, t: u64) -> &mut Connection {
        let Self { connections, config, layer, .. } = self;
        let conn =
            connections.entry(id).or_insert_with(|| Connection::new(id, role, t, config.limits()));
        conn.shown = *layer;
        conn
    }

    fn on_listen(&mut self, id: ConnId, local: &Address, t: u64) {
        let (role, state) = match local.socket_type() {
            SocketType::Stream => (Role::Listener { proxy: false }, ConnState::Listening),
            SocketType::Datagram => (Role::Bound, ConnState::Open),
        };
        let conn = self.open(id, role, t);
        conn.local = Some(local.clone());
        conn.enter(state);
        conn.record(t, CallKind::Listen { local: local.clone() });
        self.frame_datagrams(id, local);
    }

    fn note_peer(&mut self, id: ConnId, peer: &Address, dir: Dir, len: usize) {
        if let Some(conn) = self.connections.get_mut(&id).filter(|c| c.role == Role::Bound) {
            conn.peers.note(peer, dir, len);
        }
    }

    /// A datagram socket's messages are its datagrams: unless a framing was asked for, each
    /// datagram is shown as a message of its own.
    fn frame_datagrams(&mut self, id: ConnId, addr: &Address) {
        if addr.socket_type() != SocketType::Datagram || self.config.framing != Spec::Raw {
            return;
        }
        let max_message = self.config.max_message;
        let Self { connections, retention, .. } = self;
        if let Some(conn) = connections.get_mut(&id) {
            retention.track(conn, |conn| conn.reframe(&Spec::Datagram, max_message));
        }
    }

    fn on_accept(&mut self, id: ConnId, listener: ConnId, [local, peer]: [&Address; 2], t: u64) {
        if let Some(server) = self.connections.get_mut(&listener) {
            server.record(t, CallKind::Accept { conn: id });
        }
        let conn = self.open(id, Role::Accepted { listener }, t);
        conn.local = Some(local.clone());
        conn.peer = Some(peer.clone());
        conn.enter(ConnState::Open);
        conn.record(t, CallKind::Accepted { listener });
    }

    /// A connect, or a retry of one (same id, next candidate address).
    fn on_connect(&mut self, id: ConnId, peer: &Address, pair: Option<ConnId>, t: u64) {
        let role = pair.map_or(Role::Outgoing, |client| Role::Upstream { client });
        let conn = self.open(id, role, t);
        conn.peer = Some(peer.clone());
        conn.pair = pair.or(conn.pair);
        conn.enter(ConnState::Connecting);
        conn.record(t, CallKind::Connect { peer: peer.clone() });
        self.frame_datagrams(id, peer);
        if let Some(client) = pair {
            self.link_proxy_client(client, id);
        }
    }

    /// The client learns its upstream, and its listener turns out to be a proxy.
    fn link_proxy_client(&mut self, client: ConnId, upstream: ConnId) {
        let Some(conn) = self.connections.get_mut(&client) else { return };
        conn.pair = Some(upstream);
        let Role::Accepted { listener } = conn.role else { return };
        if let Some(Role::Listener { proxy }) =
            self.connections.get_mut(&listener).map(|server| &mut server.role)
        {
            *proxy = true;
        }
    }

    fn on_connected(&mut self, id: ConnId, [local, peer]: [&Address; 2], t: u64) {
        let Some(conn) = self.known(id) else { return };
        conn.local = Some(local.clone());
        conn.peer = Some(peer.clone());
        conn.enter(ConnState::Open);
        conn.record(t, CallKind::Connected);
    }

    fn on_ready(&mut self, readiness: &Readiness, t: u64) {
        let readable = [&readiness.readable, &readiness.read_closed, &readiness.error];
        for id in readable.into_iter().chain([&readiness.still_readable]).flatten() {
            if let Some(conn) = self.connections.get_mut(id) {
                conn.set_level(Some(true), None);
            }
        }
        for id in readiness.writable.iter().chain(&readiness.still_writable) {
            if let Some(conn) = self.connections.get_mut(id) {
                conn.set_level(None, Some(true));
            }
        }
        self.history.push(Round { t_us: t, readiness: readiness.clone(), site: None });
    }

    /// A `recv` or `send` that moved bytes: the call, the stream, the queues it fills or drains.
    fn on_bytes(&mut self, id: ConnId, dir: Dir, data: &[u8], t: u64, call: CallKind) {
        let Self { connections, retention, .. } = self;
        let Some(conn) = connections.get_mut(&id) else {
            self.orphans += 1;
            return;
        };
        // A datagram, even an empty one, is a chunk of its own; one cut short by a small buffer
        // keeps its real length for the views.
        let (datagram, truncated) = (call.is_datagram(), call.truncated());
        let spliced = matches!(call, CallKind::Splice(_));
        conn.record(t, call);
        retention.track(conn, |conn| {
            let stream = conn.stream_mut(dir);
            if datagram {
                stream.push_datagram(data, truncated, t);
            } else {
                stream.next_bytes_spliced(spliced);
                stream.push(data, t);
            }
        });
        let moved = data.len() as u64;
        let relay_to = match dir {
            Dir::In => conn.pair,
            Dir::Out => {
                conn.queued = conn.queued.saturating_sub(moved);
                None
            }
        };
        if !data.is_empty() || datagram {
            retention.note_chunk(id, dir, Layer::Wire);
        }
        // A proxy queues what one side received on the other side.
        if let Some(other) = relay_to.and_then(|pair| connections.get_mut(&pair)) {
            other.add_queued(moved);
        }
        match dir {
            Dir::In => self.bytes_in = self.bytes_in.saturating_add(moved),
            Dir::Out => self.bytes_out = self.bytes_out.saturating_add(moved),
        }
        self.retention.enforce(&mut self.connections);
    }

    fn on_would_block(&mut self, id: ConnId, op: Op, t: u64) {
        let Some(conn) = self.known(id) else { return };
        match op {
            Op::Recv | Op::Accept => conn.set_level(Some(false), None),
            Op::Send => conn.set_level(None, Some(false)),
            _ => {}
        }
        let socket = conn.socket_type();
        conn.record(t, CallKind::WouldBlock(op, socket));
    }

    fn on_eof(&mut self, id: ConnId, t: u64) {
        self.end_stream(id, Dir::In, t);
        let Some(conn) = self.known(id) else { return };
        conn.close_half(true, false);
        let write_shut = conn.write_closed;
        conn.record(t, CallKind::Eof { write_shut });
        self.after_tls_eof(id, t);
    }

    fn on_shutdown(&mut self, id: ConnId, how: How, t: u64) {
        let writes_shut = how != How::Read;
        if writes_shut {
            self.end_stream(id, Dir::Out, t);
        }
        let Some(conn) = self.known(id) else { return };
        conn.close_half(how != How::Write, writes_shut);
        if writes_shut {
            // The engine drops what was still queued when writing is shut down.
            conn.queued = 0;
        }
        conn.record(t, CallKind::Shutdown(how));
    }

    fn on_reset(&mut self, id: ConnId, t: u64) {
        let Some(conn) = self.known(id) else { return };
        conn.enter(ConnState::Reset);
        conn.record(t, CallKind::Reset);
    }

    fn on_close(&mut self, id: ConnId, by: ClosedBy, t: u64) {
        let Some(conn) = self.known(id) else { return };
        conn.record(t, CallKind::Close(by));
        conn.close(t, by);
        conn.faults.clear();
        // An orderly close sends FIN: the peer sees the end of what we sent.
        if conn.state == ConnState::Closed {
            self.end_stream(id, Dir::Out, t);
        }
        self.close_flows(id, by, t);
    }

    /// A failed call. A failed `listen` or `connect` may name a socket no event opened (it
    /// never existed): it is shown as a socket that failed, not ignored.
    fn on_error(&mut self, id: ConnId, op: Op, kind: ErrorKind, message: &str, t: u64) {
        if !self.connections.contains_key(&id) {
            match op {
                Op::Listen => {
                    self.open(id, Role::Listener { proxy: false }, t).close(t, ClosedBy::Error);
                }
                Op::Connect => {
                    self.open(id, Role::Outgoing, t);
                }
                _ => {}
            }
        }
        let Some(conn) = self.known(id) else { return };
        conn.last_error = Some(ErrorInfo { t_us: t, op, kind, message: message.to_owned() });
        let socket = conn.socket_type();
        conn.record(t, CallKind::Error { op, socket, kind, message: message.to_owned() });
    }

    /// No more bytes will move in this direction (frames an `eof` message), on the wire
    /// and, for TLS, in plaintext.
    fn end_stream(&mut self, id: ConnId, dir: Dir, t: u64) {
        if let Some(conn) = self.connections.get_mut(&id) {
            // Completing an `eof` message adds an entry, which may need room.
            self.retention.track(conn, |conn| conn.stream_mut(dir).end(t));
            self.retention.enforce(&mut self.connections);
        }
        self.end_plaintext(id, dir, t);
    }
}

/// Whether an event may open a socket or change its role, state, addresses or pair (see
/// [`Session::roster_generation`]). Traffic, readiness, interest and options do not.
fn changes_roster(kind: &K) -> bool {
    match kind {
        K::Listen { .. }
        | K::Accept { .. }
        | K::Connect { .. }
        | K::Connected { .. }
        | K::Eof { .. }
        | K::Shutdown { .. }
        | K::Reset { .. }
        | K::Close { .. }
        | K::Error { .. } => true,
        K::Session { .. }
        | K::Message { .. }
        | K::Ready(_)
        | K::Recv { .. }
        | K::Send { .. }
        | K::RecvFrom { .. }
        | K::SendTo { .. }
        | K::WouldBlock { .. }
        | K::Option { .. }
        | K::Interest { .. }
        | K::Blocked { .. }
        | K::Fault { .. }
        | K::Intercept { .. }
        | K::Held { .. }
        | K::Released { .. }
        | K::Inject { .. }
        | K::Tls { .. }
        | K::TlsRead { .. }
        | K::TlsWrite { .. }
        | K::SpliceIn { .. }
        | K::Tee { .. }
        | K::PipeRead { .. }
        | K::SpliceOut { .. } => false,
    }
}
