//! The engine's record of one socket: what it is, what it is waiting for, what it still owes.

use super::datagrams::DatagramQueue;
use super::fault::PairFaults;
use super::intercept::PairIntercepts;
use super::queue::SendQueue;
use super::socket::Socket;
use super::splice_pipe::SplicePipe;
use crate::event::{Address, ConnId};
use std::time::Instant;

/// Why the socket exists, which decides what the engine does with its bytes.
#[derive(Debug)]
pub(super) enum Role {
    /// A server socket; `upstream` is set when each client is to be relayed there (proxy).
    Listener { upstream: Option<Vec<Address>> },
    /// A socket `accept` returned, on `listener`.
    Accepted { listener: ConnId },
    /// A socket we connected (a datagram socket's `connect` only fixes its peer).
    Outgoing,
    /// A datagram socket bound to receive from anyone (`listen udp:`): no accept, each
    /// datagram names its sender. `upstream` is set when each sender is to be relayed there
    /// (proxy).
    Bound { upstream: Option<Vec<Address>> },
    /// A datagram proxy's flow: a socket connected to the upstream that carries the datagrams
    /// of one `client` of the bound socket `bound`.
    Flow { bound: ConnId, client: Address },
}

/// Where a stream is in its life.
#[derive(Debug)]
pub(super) enum Phase {
    /// A non-blocking connect is under way; `rest` are the addresses still to try.
    Connecting {
        peer: Address,
        rest: Vec<Address>,
        deadline: Option<Instant>,
    },
    Open,
}

#[derive(Debug)]
pub(super) struct Endpoint {
    pub(super) socket: Socket,
    pub(super) role: Role,
    pub(super) phase: Phase,
    /// The other half of a proxy pair: bytes read here are queued there.
    pub(super) pair: Option<ConnId>,
    /// Bytes waiting to be sent on this socket (a stream).
    pub(super) queue: SendQueue,
    /// Datagrams waiting to be sent on this socket (a datagram socket).
    pub(super) datagrams: DatagramQueue,
    /// The peer sent EOF, or we shut down reading: no more `recv` calls.
    pub(super) read_closed: bool,
    /// We shut down writing: no more `send` calls.
    pub(super) write_shut: bool,
    /// Shut down writing once the queue is empty (stdin ended, or the proxy pair's peer sent EOF).
    pub(super) shutdown_when_flushed: bool,
    /// The user paused automatic reading (a slow reader on demand); on a listener, accepting.
    pub(super) paused: bool,
    /// What the socket is registered for with the poll, as (read, write); `None` = deregistered.
    pub(super) registered: Option<(bool, bool)>,
    pub(super) last_activity: Instant,
    /// A listener whose `accept` failed for want of descriptors: not watched until this retry.
    pub(super) accept_paused_until: Option<Instant>,
    /// On a proxy pair's accepted socket (or an echo connection): the faults of both
    /// directions, once any was set.
    pub(super) faults: Option<Box<PairFaults>>,
    /// On a proxy pair's accepted socket (or an echo connection): the intercepted directions'
    /// stages, once any was set.
    pub(super) intercepts: Option<Box<PairIntercepts>>,
    /// On a listener: the intercepts set on every pair it accepts from now on.
    pub(super) intercept_new: Vec<(crate::event::FaultDir, crate::event::InterceptRule)>,
    /// A proxy's upstream socket: its local address, by which a loop back to the proxy's own
    /// listener is recognised (see `core/proxy_loop.rs`).
    pub(super) upstream_local: Option<std::net::SocketAddr>,
    /// A socket that speaks TLS: rustls's state, between the wire and the plaintext.
    pub(super) tls: Option<Box<super::tls::TlsConn>>,
    /// `--relay splice`: the pipe holding bytes its pair received, on their way here. Held
    /// only while it holds bytes: an emptied pipe goes back to the spares.
    pub(super) splice: Option<SplicePipe>,
}

impl Endpoint {
    pub(super) fn new(socket: Socket, role: Role, phase: Phase, now: Instant) -> Self {
        Self {
            socket,
            role,
            phase,
            pair: None,
            queue: SendQueue::default(),
            datagrams: DatagramQueue::default(),
            read_closed: false,
            write_shut: false,
            shutdown_when_flushed: false,
            paused: false,
            registered: None,
            last_activity: now,
            accept_paused_until: None,
            faults: None,
            intercepts: None,
            intercept_new: Vec::new(),
            upstream_local: None,
            tls: None,
            splice: None,
        }
    }

    pub(super) fn is_listener(&self) -> bool {
        matches!(self.role, Role::Listener { .. })
    }

    pub(super) fn is_open_stream(&self) -> bool {
        !self.is_listener() && matches!(self.phase, Phase::Open)
    }

    /// Nothing more can move in either direction: the exchange is over.
    pub(super) fn is_finished(&self) -> bool {
        self.read_closed && self.write_shut && self.nothing_queued()
    }

    /// Nothing waits to be sent, stream bytes or datagrams.
    pub(super) fn nothing_queued(&self) -> bool {
        self.queue.is_empty() && self.datagrams.is_empty() && self.spliced_bytes() == 0
    }

    /// Bytes waiting in the relay pipe toward this socket (`--relay splice`).
    pub(super) fn spliced_bytes(&self) -> usize {
        self.splice.as_ref().map_or(0, SplicePipe::held)
    }

    /// Payload bytes waiting to be sent (what backpressure counts).
    pub(super) fn queued_bytes(&self) -> usize {
        self.queue.len() + self.datagrams.bytes() + self.spliced_bytes()
    }

    /// Whether `--idle-timeout` applies: to a connection or a connected datagram socket, not to
    /// a socket that waits for anyone (a listener, a bound datagram socket).
    pub(super) fn idles(&self) -> bool {
        match self.role {
            Role::Accepted { .. } | Role::Outgoing | Role::Flow { .. } => true,
            Role::Listener { .. } | Role::Bound { .. } => false,
        }
    }
}
