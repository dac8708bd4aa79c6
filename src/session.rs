//! The model the terminal UI renders: a pure fold of [`Event`](crate::event::Event)s.
//!
//! Live sessions and replays feed the same events through [`Session::apply`]; panels only read.
//! Every byte that moved is kept per connection and direction ([`Stream`]) with the boundaries
//! of the calls that moved it and the messages a framing finds in it, all addressed by stream
//! offset so that a view of a 1 GiB stream reads only what it shows. Memory is capped by
//! [`SessionConfig::retain`]: beyond it the oldest bytes leave memory, counts keep including
//! them, and framing carries on (the framer is fed as bytes arrive, not from what is retained).
//!
//! Events may come from a damaged recording, so nothing here trusts their order: events about
//! unknown sockets are counted and ignored, nothing revives a closed socket, and no sequence
//! panics.

mod apply;
mod call;
mod connection;
mod empties;
mod flows;
mod framed;
mod front_queue;
mod intercept;
mod opening;
mod peers;
mod readiness;
mod retention;
mod store;
mod stream;
mod tls;
mod traced;
mod truncation;

pub use call::{Call, CallKind, Calls, SpliceCall};
pub use connection::{ConnState, Connection, ErrorInfo, Interest, Role};
pub use framed::MessageInfo;
pub use intercept::{HeldMessage, InterceptOn, Intercepts};
pub use peers::{MAX_PEERS, Peers, Tally};
pub use readiness::Round;
pub use stream::{Chunk, Stream};
pub use tls::{Alert, Layer, Offer, TlsCall, TlsState};
pub use traced::BlockedCall;
pub use truncation::Truncation;

use std::collections::BTreeMap;

use crate::event::{ConnId, Dir, FaultDir, FaultKind};
use crate::framing::{DEFAULT_MAX_MESSAGE, Spec};
use connection::Limits;
use readiness::History;
use retention::Retention;

/// Default `--retain`: memory kept for the views over the whole session.
pub const DEFAULT_RETAIN: usize = 256 << 20;
/// Poll rounds kept for the Readiness history.
pub const DEFAULT_HISTORY: usize = 1000;
/// Calls kept per connection.
pub const DEFAULT_CALLS_PER_CONN: usize = 10_000;

/// How much the model keeps, and how it frames streams.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionConfig {
    /// Framing of every new connection (until [`Session::set_framing`] changes it).
    pub framing: Spec,
    /// Largest message a framer buffers (`--max-message`).
    pub max_message: usize,
    /// Memory for stream bytes, chunk and message entries and framer buffers (`--retain`).
    pub retain: usize,
    /// Poll rounds kept (at least 1).
    pub history: usize,
    /// Calls kept per connection.
    pub calls_per_conn: usize,
}

impl SessionConfig {
    /// What each new connection is built with.
    fn limits(&self) -> Limits<'_> {
        Limits {
            spec: &self.framing,
            max_message: self.max_message,
            calls: self.calls_per_conn,
            retain: self.retain,
        }
    }
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self {
            framing: Spec::Raw,
            max_message: DEFAULT_MAX_MESSAGE,
            retain: DEFAULT_RETAIN,
            history: DEFAULT_HISTORY,
            calls_per_conn: DEFAULT_CALLS_PER_CONN,
        }
    }
}

/// Session-wide counts for the status bar.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Sockets ever seen, listeners included.
    pub connections: usize,
    /// Streams (not listeners) not yet closed.
    pub open: usize,
    /// Sockets closed, listeners included.
    pub closed: usize,
    /// Listeners not yet closed.
    pub listeners: usize,
    pub bytes_in: u64,
    pub bytes_out: u64,
    /// Bytes waiting in the engine's queues, as far as events tell.
    pub queued: u64,
    pub events: u64,
    pub rounds: u64,
    /// Memory the views hold, as counted against `retain`.
    pub retained: usize,
    /// Bytes evicted by retention.
    pub dropped_bytes: u64,
    /// Events about sockets never opened (only a damaged recording has them): ignored.
    pub orphan_events: u64,
}

/// The fold of every event so far.
#[derive(Debug)]
pub struct Session {
    config: SessionConfig,
    connections: BTreeMap<ConnId, Connection>,
    history: History,
    retention: Retention,
    now_us: u64,
    events: u64,
    /// See [`Session::roster_generation`].
    roster_generation: u64,
    orphans: u64,
    bytes_in: u64,
    bytes_out: u64,
    /// The wall-clock start its `session` event gave, if it gave one.
    start_unix_us: Option<u64>,
    /// Which bytes of a TLS connection the views read.
    layer: Layer,
    /// A traced program's calls in progress that have blocked.
    blocked: Vec<traced::BlockedCall>,
}

impl Default for Session {
    fn default() -> Self {
        Self::new(SessionConfig::default())
    }
}

impl Session {
    #[must_use]
    pub fn new(config: SessionConfig) -> Self {
        Self {
            history: History::new(config.history),
            retention: Retention::new(config.retain),
            config,
            connections: BTreeMap::new(),
            now_us: 0,
            events: 0,
            roster_generation: 0,
            start_unix_us: None,
            blocked: Vec::new(),
            orphans: 0,
            bytes_in: 0,
            bytes_out: 0,
            layer: Layer::default(),
        }
    }

    /// Every socket, by id.
    #[must_use]
    pub fn connections(&self) -> impl DoubleEndedIterator<Item = &Connection> {
        self.connections.values()
    }

    /// How many sockets the session has seen, listeners included; O(1).
    #[must_use]
    pub fn connection_count(&self) -> usize {
        self.connections.len()
    }

    #[must_use]
    pub fn connection(&self, id: ConnId) -> Option<&Connection> {
        self.connections.get(&id)
    }

    /// The faults active on `conn`'s proxy pair (or echo connection): they are named on the
    /// pair's accepted socket, so an upstream socket shows its client's.
    #[must_use]
    pub fn connection_faults<'a>(
        &'a self,
        conn: &'a Connection,
    ) -> &'a [(FaultDir, FaultKind, String)] {
        if !conn.faults.is_empty() || conn.is_closed() {
            return &conn.faults;
        }
        conn.pair.and_then(|pair| self.connections.get(&pair)).map_or(&[], |p| &p.faults)
    }

    /// The latest poll rounds, oldest first (at most `history` of them).
    #[must_use]
    pub fn rounds(&self) -> impl DoubleEndedIterator<Item = &Round> + ExactSizeIterator {
        self.history.iter()
    }

    #[must_use]
    pub fn last_round(&self) -> Option<&Round> {
        self.history.last()
    }

    /// Poll rounds ever reported, dropped ones included.
    #[must_use]
    pub fn rounds_total(&self) -> u64 {
        self.history.total()
    }

    /// Open sockets whose interest includes reading: what the HOWTO passes to `select()`.
    #[must_use]
    pub fn potential_readers(&self) -> Vec<ConnId> {
        self.interested(|conn| conn.interest.read)
    }

    /// Open sockets whose interest includes writing.
    #[must_use]
    pub fn potential_writers(&self) -> Vec<ConnId> {
        self.interested(|conn| conn.interest.write)
    }

    fn interested(&self, wants: impl Fn(&Connection) -> bool) -> Vec<ConnId> {
        self.connections().filter(|conn| !conn.is_closed() && wants(conn)).map(|c| c.id).collect()
    }

    /// Counts for the status bar; O(number of connections).
    #[must_use]
    pub fn totals(&self) -> Totals {
        let mut totals = Totals {
            connections: self.connections.len(),
            bytes_in: self.bytes_in,
            bytes_out: self.bytes_out,
            events: self.events,
            rounds: self.history.total(),
            retained: self.retention.cost(),
            dropped_bytes: self.retention.dropped(),
            orphan_events: self.orphans,
            ..Totals::default()
        };
        // A flow is a row of the model, not a socket.
        totals.connections -= self.connections().filter(|c| c.id.flow_parts().is_some()).count();
        for conn in self.connections().filter(|c| c.id.flow_parts().is_none()) {
            match (conn.is_closed(), conn.is_listener()) {
                (true, _) => totals.closed += 1,
                (false, true) => totals.listeners += 1,
                (false, false) => totals.open += 1,
            }
            totals.queued = totals.queued.saturating_add(conn.queued);
        }
        totals
    }

    /// Moves whenever a socket opens or changes what a list of sockets shows apart from its
    /// traffic: role, state, addresses, pair. A view that sorts or filters sockets by those
    /// rebuilds only when it moves, instead of on every frame.
    #[must_use]
    pub fn roster_generation(&self) -> u64 {
        self.roster_generation
    }

    /// Events folded so far: moves with every event, traffic included (cheaper than
    /// [`Session::totals`], which counts every socket).
    #[must_use]
    pub fn events_applied(&self) -> u64 {
        self.events
    }

    /// Time of the latest event (the largest seen, should a recording go backwards).
    #[must_use]
    pub fn now_us(&self) -> u64 {
        self.now_us
    }

    /// Changes the framing of one connection (`Some`), or of every connection and of those to
    /// come (`None`), and frames their retained bytes again from the start of retention.
    pub fn set_framing(&mut self, target: Option<ConnId>, spec: Spec) {
        let max_message = self.config.max_message;
        let Self { connections, retention, .. } = self;
        if let Some(id) = target {
            if let Some(conn) = connections.get_mut(&id) {
                retention.track(conn, |conn| conn.reframe(&spec, max_message));
            }
        } else {
            for conn in connections.values_mut() {
                retention.track(conn, |conn| conn.reframe(&spec, max_message));
            }
            self.config.framing = spec;
        }
        self.retention.enforce(&mut self.connections);
    }

    /// Shows TLS connections' plaintext or their wire bytes in every view, from now on and
    /// for connections to come. Nothing is lost either way: both are kept.
    pub fn set_layer(&mut self, layer: Layer) {
        self.layer = layer;
        for conn in self.connections.values_mut() {
            conn.shown = layer;
        }
    }

    /// Which bytes of a TLS connection the views read.
    #[must_use]
    pub fn layer(&self) -> Layer {
        self.layer
    }

    /// The framing of one connection (both directions share it).
    #[must_use]
    pub fn framing_of(&self, id: ConnId) -> Option<&Spec> {
        self.connection(id).map(|conn| conn.stream(Dir::In).spec())
    }

    /// The framing new connections get.
    #[must_use]
    pub fn default_framing(&self) -> &Spec {
        &self.config.framing
    }

    /// The UI queued `len` bytes to send on `conn`; they count as queued until `send` events
    /// report them sent.
    pub fn note_submitted(&mut self, conn: ConnId, len: usize) {
        if let Some(conn) = self.connections.get_mut(&conn) {
            conn.add_queued(len as u64);
        }
    }

    /// Bytes evicted by retention, over every stream.
    #[must_use]
    pub fn dropped_bytes(&self) -> u64 {
        self.retention.dropped()
    }

    /// Memory the views hold, as counted against [`SessionConfig::retain`].
    #[must_use]
    pub fn retained_memory(&self) -> usize {
        self.retention.cost()
    }

    #[must_use]
    pub fn config(&self) -> &SessionConfig {
        &self.config
    }
}

#[cfg(test)]
mod tests;
