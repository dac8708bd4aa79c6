//! One socket as the Connections panel shows it: what it is, where it is in its life, and what
//! moved through it.

use std::fmt;
use std::mem::discriminant;

use super::call::{Call, CallKind, Calls};
use super::stream::Stream;
use super::tls::{Layer, TlsState};
use crate::event::{
    Address, ClosedBy, ConnId, Dir, ErrorKind, FaultDir, FaultKind, FaultState, Op, SockOption,
    SocketType,
};
use crate::framing::Spec;

/// Why the socket exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A server socket. `proxy` becomes true once one of its clients gets an upstream (events
    /// do not say it earlier).
    Listener { proxy: bool },
    /// A socket `accept` returned.
    Accepted { listener: ConnId },
    /// A socket we connected.
    Outgoing,
    /// A proxy's connection to the upstream server on behalf of `client`.
    Upstream { client: ConnId },
    /// A datagram socket bound to receive from anyone (`listen udp:`, a datagram proxy's
    /// socket): no connections, each datagram names its peer.
    Bound,
    /// One peer of a bound datagram socket, told apart by the model (no socket of its own):
    /// that peer's datagrams, both ways.
    Flow { socket: ConnId },
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Role::Listener { proxy: false } => "listener",
            Role::Listener { proxy: true } => "proxy listener",
            Role::Accepted { .. } => "accepted",
            Role::Outgoing => "outgoing",
            Role::Upstream { .. } => "upstream",
            Role::Bound => "datagram",
            Role::Flow { .. } => "flow",
        })
    }
}

/// Where the socket is in its life, as one word for the Connections panel.
///
/// Half-closes: `ReadClosed` once the peer's EOF arrived or we shut reading down,
/// `WriteClosed` once we shut writing down; with both halves closed (socket still open) the
/// state is `ReadClosed`, since nothing more can arrive. [`Connection::read_closed`] and
/// [`Connection::write_closed`] give each half separately.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConnState {
    Listening,
    Connecting,
    Open,
    ReadClosed,
    WriteClosed,
    /// Closed in order (FIN), by us or after the peer finished.
    Closed,
    /// Ended abortively: we reset it, or the peer did.
    Reset,
    /// Ended by a failed call (refused, timed out, ...).
    Error,
}

impl fmt::Display for ConnState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ConnState::Listening => "listening",
            ConnState::Connecting => "connecting",
            ConnState::Open => "open",
            ConnState::ReadClosed => "read-closed",
            ConnState::WriteClosed => "write-closed",
            ConnState::Closed => "closed",
            ConnState::Reset => "reset",
            ConnState::Error => "error",
        })
    }
}

/// What the engine asks the poll about this socket: the HOWTO's potential readers and writers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Interest {
    pub read: bool,
    pub write: bool,
}

impl fmt::Display for Interest {
    /// `RW`, `R-`, `-W` or `--`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let read = if self.read { 'R' } else { '-' };
        let write = if self.write { 'W' } else { '-' };
        write!(f, "{read}{write}")
    }
}

/// The latest failure reported on a socket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorInfo {
    pub t_us: u64,
    pub op: Op,
    pub kind: ErrorKind,
    pub message: String,
}

/// One socket of the session, listeners included.
#[derive(Debug)]
pub struct Connection {
    pub id: ConnId,
    pub role: Role,
    pub local: Option<Address>,
    pub peer: Option<Address>,
    /// The other half of a proxy pair: the upstream of a client, or the client of an upstream.
    pub pair: Option<ConnId>,
    /// A datagram proxy's flow socket: the client whose datagrams it carries (its `pair` is the
    /// bound socket the client sends to).
    pub flow_client: Option<Address>,
    /// A bound datagram socket's peers, with their datagram and byte counts.
    pub peers: super::Peers,
    pub state: ConnState,
    pub interest: Interest,
    /// Bytes waiting in the engine's queue toward this socket: relayed from the proxy pair or
    /// submitted by the UI ([`super::Session::note_submitted`]), minus what `send` accepted.
    /// An echo server's own relay is invisible in events and not counted.
    pub queued: u64,
    pub opened_us: u64,
    pub closed_us: Option<u64>,
    pub closed_by: Option<ClosedBy>,
    /// The peer sent EOF, or we shut reading down.
    pub read_closed: bool,
    /// We shut writing down.
    pub write_closed: bool,
    pub last_error: Option<ErrorInfo>,
    /// The latest value of each option set on the socket, in the order first set.
    pub options: Vec<SockOption>,
    /// Faults active on this proxy pair (or echo connection), as `fault` events set them:
    /// direction, kind and spec (`slice=4`), in the order set. Named on the accepted socket.
    pub faults: Vec<(FaultDir, FaultKind, String)>,
    /// Directions intercepted on this proxy pair and the messages held now (on the accepted
    /// socket, as faults).
    pub intercepts: super::Intercepts,
    /// What TLS agreed once the handshake completed: the version and the application
    /// protocol (`TLSv1.3 h2`).
    pub tls: Option<String>,
    /// A TLS connection's plaintext and handshake, from its first TLS event on.
    pub(super) tls_state: Option<Box<TlsState>>,
    /// Which bytes [`Connection::stream`] gives, when the connection speaks TLS.
    pub(super) shown: Layer,
    /// A traced program's socket: the process and descriptor of its latest call.
    pub traced_by: Option<(i32, i32)>,
    /// Where the socket is before half-closes are applied (see [`ConnState`]).
    phase: ConnState,
    /// Level readiness as `select()` would report it: (readable, writable).
    level: (bool, bool),
    calls: Calls,
    input: Stream,
    output: Stream,
}

impl Connection {
    pub(super) fn new(id: ConnId, role: Role, t_us: u64, limits: Limits<'_>) -> Self {
        let phase = match role {
            Role::Listener { .. } => ConnState::Listening,
            Role::Accepted { .. } | Role::Bound | Role::Flow { .. } => ConnState::Open,
            Role::Outgoing | Role::Upstream { .. } => ConnState::Connecting,
        };
        let upstream_of = if let Role::Upstream { client } = role { Some(client) } else { None };
        Self {
            id,
            role,
            local: None,
            peer: None,
            pair: upstream_of,
            flow_client: None,
            peers: super::Peers::default(),
            state: phase,
            interest: Interest::default(),
            queued: 0,
            opened_us: t_us,
            closed_us: None,
            closed_by: None,
            read_closed: false,
            write_closed: false,
            last_error: None,
            options: Vec::new(),
            faults: Vec::new(),
            intercepts: super::Intercepts::default(),
            tls: None,
            tls_state: None,
            shown: Layer::default(),
            traced_by: None,
            phase,
            level: (false, false),
            calls: Calls::new(limits.calls),
            input: Stream::new(limits.spec.clone(), limits.max_message, limits.retain),
            output: Stream::new(limits.spec.clone(), limits.max_message, limits.retain),
        }
    }

    /// Stream or datagram, from the socket's own address or its peer's (a stream socket until
    /// either is known): names the calls it makes.
    #[must_use]
    pub fn socket_type(&self) -> SocketType {
        self.local.as_ref().or(self.peer.as_ref()).map_or(SocketType::Stream, Address::socket_type)
    }

    #[must_use]
    pub fn calls(&self) -> &Calls {
        &self.calls
    }

    /// The bytes the views show in `dir`: for a TLS connection, the plaintext or the wire
    /// bytes as the session's [`Layer`] says; for any other, what the socket moved.
    #[must_use]
    pub fn stream(&self, dir: Dir) -> &Stream {
        self.stream_of(dir, self.shown)
    }

    /// What the socket itself moved in `dir` (ciphertext, for TLS).
    #[must_use]
    pub fn wire(&self, dir: Dir) -> &Stream {
        match dir {
            Dir::In => &self.input,
            Dir::Out => &self.output,
        }
    }

    /// The bytes of one layer; the wire bytes when the connection has no TLS.
    #[must_use]
    pub fn stream_of(&self, dir: Dir, layer: Layer) -> &Stream {
        match (layer, self.tls_state.as_deref()) {
            (Layer::Plaintext, Some(tls)) => tls.plaintext(dir),
            (Layer::Plaintext, None) | (Layer::Wire, _) => self.wire(dir),
        }
    }

    /// What TLS said on this connection, if it speaks TLS.
    #[must_use]
    pub fn tls_state(&self) -> Option<&TlsState> {
        self.tls_state.as_deref()
    }

    /// The layer [`Connection::stream`] shows, if the connection has two.
    #[must_use]
    pub fn shown_layer(&self) -> Option<Layer> {
        self.tls_state.as_ref().map(|_| self.shown)
    }

    /// Every byte the socket received (`In`) or sent (`Out`), evicted ones included.
    #[must_use]
    pub fn bytes(&self, dir: Dir) -> u64 {
        self.wire(dir).total()
    }

    #[must_use]
    pub fn is_listener(&self) -> bool {
        matches!(self.role, Role::Listener { .. })
    }

    #[must_use]
    pub fn is_closed(&self) -> bool {
        self.closed_us.is_some()
    }

    /// Level readiness, as a level-triggered `select()` would list it: (readable, writable).
    /// An edge in a round sets it; a call returning `WouldBlock` clears it; EOF keeps it (a
    /// `recv` would return 0 at once).
    #[must_use]
    pub fn level(&self) -> (bool, bool) {
        self.level
    }

    /// The wire stream of `dir`.
    pub(super) fn stream_mut(&mut self, dir: Dir) -> &mut Stream {
        match dir {
            Dir::In => &mut self.input,
            Dir::Out => &mut self.output,
        }
    }

    /// One layer's stream of `dir` (the wire's when there is no TLS), for retention.
    pub(super) fn layer_mut(&mut self, dir: Dir, layer: Layer) -> &mut Stream {
        let Self { tls_state, input, output, .. } = self;
        match (layer, tls_state.as_deref_mut(), dir) {
            (Layer::Plaintext, Some(tls), _) => tls.plaintext_mut(dir),
            (Layer::Plaintext, None, Dir::In) | (Layer::Wire, _, Dir::In) => input,
            (Layer::Plaintext, None, Dir::Out) | (Layer::Wire, _, Dir::Out) => output,
        }
    }

    /// Replaces the latest call (a placeholder a later event completes).
    pub(super) fn replace_last_call(&mut self, t_us: u64, kind: CallKind) {
        self.calls.replace_last(Call { t_us, kind, site: None });
    }

    pub(super) fn calls_mut(&mut self) -> &mut Calls {
        &mut self.calls
    }

    pub(super) fn record(&mut self, t_us: u64, kind: CallKind) {
        self.calls.push(Call { t_us, kind, site: None });
    }

    /// Moves to `phase` unless the socket is already closed: nothing revives a closed socket.
    pub(super) fn enter(&mut self, phase: ConnState) {
        if !self.is_closed() {
            self.phase = phase;
            self.refresh_state();
        }
    }

    pub(super) fn close_half(&mut self, read: bool, write: bool) {
        if !self.is_closed() {
            self.read_closed |= read;
            self.write_closed |= write;
            self.refresh_state();
        }
    }

    /// The socket is gone: a reset or an error stays visible, an orderly close shows `closed`.
    pub(super) fn close(&mut self, t_us: u64, by: ClosedBy) {
        if self.is_closed() {
            return;
        }
        self.phase = match by {
            ClosedBy::Reset => ConnState::Reset,
            ClosedBy::Error => ConnState::Error,
            ClosedBy::Local | ClosedBy::Peer => match self.phase {
                ConnState::Reset | ConnState::Error => self.phase,
                _ => ConnState::Closed,
            },
        };
        self.closed_us = Some(t_us);
        self.closed_by = Some(by);
        self.interest = Interest::default();
        self.level = (false, false);
        self.queued = 0;
        self.refresh_state();
    }

    fn refresh_state(&mut self) {
        self.state = match self.phase {
            ConnState::Open if self.read_closed => ConnState::ReadClosed,
            ConnState::Open if self.write_closed => ConnState::WriteClosed,
            phase => phase,
        };
    }

    pub(super) fn set_level(&mut self, readable: Option<bool>, writable: Option<bool>) {
        if !self.is_closed() {
            self.level.0 = readable.unwrap_or(self.level.0);
            self.level.1 = writable.unwrap_or(self.level.1);
        }
    }

    pub(super) fn set_option(&mut self, option: SockOption) {
        let same = self.options.iter_mut().find(|o| discriminant(*o) == discriminant(&option));
        match same {
            Some(slot) => *slot = option,
            None => self.options.push(option),
        }
    }

    /// Keeps [`Self::faults`] in step with a `fault` event: `on` sets, `off` removes.
    pub(super) fn note_fault(
        &mut self,
        dir: FaultDir,
        kind: FaultKind,
        state: FaultState,
        spec: &str,
    ) {
        match state {
            FaultState::On => {
                self.faults.retain(|(d, k, _)| (*d, *k) != (dir, kind));
                self.faults.push((dir, kind, spec.to_owned()));
            }
            FaultState::Off => self.faults.retain(|(d, k, _)| (*d, *k) != (dir, kind)),
            FaultState::Tripped => {}
        }
    }

    pub(super) fn add_queued(&mut self, len: u64) {
        if !self.is_closed() {
            self.queued = self.queued.saturating_add(len);
        }
    }

    /// Total memory both streams hold for the views.
    pub(super) fn cost(&self) -> usize {
        self.input.cost() + self.output.cost() + self.tls_state.as_ref().map_or(0, |tls| tls.cost())
    }

    pub(super) fn reframe(&mut self, spec: &Spec, max_message: usize) {
        self.input.reframe(spec.clone(), max_message);
        self.output.reframe(spec.clone(), max_message);
        if let Some(tls) = self.tls_state.as_deref_mut() {
            tls.reframe(spec, max_message);
        }
    }
}

/// What every new connection is built with.
#[derive(Clone, Copy, Debug)]
pub(super) struct Limits<'a> {
    pub(super) spec: &'a Spec,
    pub(super) max_message: usize,
    pub(super) calls: usize,
    pub(super) retain: usize,
}
