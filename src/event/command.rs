//! What the layers above ask the engine to do.

use super::{Address, ConnId, Fault, FaultDir, HoldId, How, InterceptRule, Release};
use bytes::Bytes;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// A socket option, as set by a command and as reported (read back) by an `option` event.
///
/// Serialised as `"name": ..., "value": ...` inside the `option` event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "name", content = "value", rename_all = "lowercase")]
pub enum SockOption {
    /// `TCP_NODELAY`: send small segments at once instead of coalescing them (Nagle off).
    NoDelay(bool),
    /// `SO_SNDBUF` in bytes (Linux reports double what was asked, and has a minimum).
    SndBuf(usize),
    /// `SO_RCVBUF` in bytes.
    RcvBuf(usize),
    /// `SO_KEEPALIVE`: probe an idle peer so that a dead one is eventually noticed.
    KeepAlive(bool),
    /// `SO_LINGER` in seconds; `Some(0)` makes `close` send RST; `None` is the default (off).
    Linger(Option<u32>),
}

/// How quickly the engine runs its automatic poll rounds: a presenter's control over time.
///
/// Only automatic mode is paced. Commands (and the waker that announces them) are always handled
/// at once, whatever the pace: a `Send` still makes its `send` calls straight away, and `Stop`
/// never waits. What waits is the next *round*: reporting what the poll found and making the
/// automatic `accept`, `recv` and `send` calls it calls for. Edges that arrive meanwhile are kept
/// and reported together by the round that finally runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Pace {
    /// A round as soon as anything is ready (the normal way to run).
    #[default]
    Free,
    /// A round only when a [`Command::Step`] asks for one: one key press, one round.
    Stepped,
    /// Slow motion: at least this long between the start of two rounds that report something.
    Delay(Duration),
}

/// A request to the engine. Plain data: the UI builds these without touching any socket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Open a server socket that accepts every connection.
    Listen {
        addr: Address,
    },
    /// Open a server socket whose every client is relayed to the first reachable `upstream`.
    Proxy {
        listen: Address,
        upstream: Vec<Address>,
    },
    /// Start a non-blocking connect, trying each candidate address in turn.
    Connect {
        candidates: Vec<Address>,
    },
    /// Queue bytes for sending (manual mode: queue them and make one `send` call).
    Send {
        conn: ConnId,
        data: Bytes,
    },
    /// Queue one datagram for `peer` on an unconnected datagram socket (manual mode: queue it
    /// and make one `sendto` call). On a connected one, `peer` must be its peer.
    SendTo {
        conn: ConnId,
        peer: Address,
        data: Bytes,
    },
    /// Manual mode: one more `send` call with what is still queued.
    SendQueued {
        conn: ConnId,
    },
    /// Manual mode: one `recv` call of at most `max` bytes.
    Recv {
        conn: ConnId,
        max: usize,
    },
    /// Manual mode: one `accept` call on a listener.
    Accept {
        listener: ConnId,
    },
    /// One poll round, now.
    ///
    /// In manual mode the round is only reported (the edges since the previous step) and no call
    /// is made. In automatic mode the round is reported *and* acted on, with its `accept`, `recv`
    /// and `send` calls; under [`Pace::Stepped`] this is the only way a round runs, under the
    /// other paces it runs one at once (a slow-motion wait is cut short).
    Step,
    /// Changes the pace of automatic rounds (see [`Pace`]); takes effect at once.
    SetPace(Pace),
    /// Switch between manual (`true`) and automatic reading, writing and accepting.
    SetManual(bool),
    /// Stop (`true`) or resume automatic reading of one connection: a slow reader on demand.
    /// On a listener, stop or resume accepting: clients wait in the kernel's queue meanwhile.
    PauseReading {
        conn: ConnId,
        paused: bool,
    },
    Shutdown {
        conn: ConnId,
        how: How,
    },
    /// Orderly close (FIN).
    Close {
        conn: ConnId,
    },
    /// Abortive close: `SO_LINGER` 0, then close, so the peer sees RST.
    Reset {
        conn: ConnId,
    },
    SetOption {
        conn: ConnId,
        option: SockOption,
    },
    /// Replaces the faults of one direction of a proxied pair (or of an echo connection's
    /// replies); `conn` is either socket of the pair. Empty `faults` removes them all.
    SetFaults {
        conn: ConnId,
        dir: FaultDir,
        faults: Vec<Fault>,
    },
    /// Starts holding the messages of one direction of a proxied pair (or of an echo
    /// connection's replies) that `rule` picks, or (`None`) stops, forwarding everything held.
    /// `conn` is either socket of the pair.
    Intercept {
        conn: ConnId,
        dir: FaultDir,
        rule: Option<InterceptRule>,
    },
    /// Forwards, edits or drops one held message; `conn` is either socket of its pair.
    Release {
        conn: ConnId,
        id: HoldId,
        release: Release,
    },
    /// Queues new bytes toward one side of a proxied pair (`up`: toward the upstream server).
    Inject {
        conn: ConnId,
        dir: FaultDir,
        data: Bytes,
    },
    /// Close every socket and end the engine thread.
    Stop,
}
