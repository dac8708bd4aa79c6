//! The one vocabulary that flows through sockscope.
//!
//! The engine reports everything it does as an [`Event`]; the UI, the headless printer and the
//! recorder consume them; replay is only another source of them. Everything here is plain data:
//! no mio or socket types, so every layer can depend on it.
//!
//! Serialisation follows the JSON Lines contract of `docs/events.md` exactly: one object per event,
//! `ev` names the kind, `t_us` is microseconds since the session started, payloads are lowercase
//! hex. Fields may be added; none may change meaning without a new [`SCHEMA_VERSION`].

mod address;
mod call_site;
mod command;
mod fault;
mod flow_id;
mod hex_bytes;
mod intercept;
mod json_line;
mod moved;
mod names;
mod readiness;
mod rfc3339;
mod schema;
mod tls;
pub mod why;

pub use address::{Address, AddressParseError, SocketType};
pub use call_site::CallSite;
pub use command::{Command, Pace, SockOption};
pub use fault::{Fault, FaultDir, FaultKind, FaultSet, FaultState};
pub use intercept::{HoldId, InterceptRule, InterceptState, MatchPattern, Release, ReleaseAction};
pub use readiness::{Readiness, SelectView};
pub use rfc3339::{format as rfc3339_of, now_unix_us};
pub use schema::json_schema;
pub use tls::{TlsBy, TlsEstablished, TlsStage};

use bytes::Bytes;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Version of the JSON Lines schema, written in the first (`session`) line.
pub const SCHEMA_VERSION: u32 = 1;

/// The `tool` value of the `session` line: `sockscope X.Y.Z`.
#[must_use]
pub fn tool_name() -> String {
    format!("sockscope {}", env!("CARGO_PKG_VERSION"))
}

/// A socket's identity for the whole session; listeners included, never reused.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(transparent)]
pub struct ConnId(pub u64);

impl fmt::Display for ConnId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.flow_parts() {
            Some((socket, number)) => write!(f, "#{}.{number}", socket.0),
            None => write!(f, "#{}", self.0),
        }
    }
}

/// Direction of bytes relative to the socket sockscope owns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Dir {
    /// Received from the peer.
    In,
    /// Sent to the peer.
    Out,
}

/// Which half of a connection `shutdown` closes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum How {
    Read,
    Write,
    Both,
}

/// The socket call an event is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Listen,
    Accept,
    Connect,
    Recv,
    Send,
    Shutdown,
    Close,
    Option,
    /// No activity for longer than `--idle-timeout`.
    Idle,
    /// `splice` between a proxied socket and sockscope's pipe (`--relay splice`): on the
    /// socket the bytes come from, a read; on the socket they go to, a write.
    Splice,
    /// `tee` of the relay pipe into the pipe sockscope reads to see the bytes.
    Tee,
    /// `read` of that second pipe.
    Read,
}

/// Classification of a failed call, as scripts match on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    Refused,
    Reset,
    TimedOut,
    BrokenPipe,
    /// `EMSGSIZE`: a datagram larger than the socket can send in one piece; nothing was sent.
    MsgSize,
    Other,
    /// A TLS handshake or record failed (a certificate refused, an alert, a peer that does
    /// not speak TLS).
    Tls,
}

impl ErrorKind {
    /// Whether this failure is a network failure (exit code 1) rather than a local problem.
    #[must_use]
    pub fn is_network_failure(self) -> bool {
        matches!(self, Self::Refused | Self::Reset | Self::TimedOut | Self::Tls)
    }
}

/// What caused a socket to be closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClosedBy {
    /// sockscope closed it (a command, a limit, or the end of an orderly exchange).
    Local,
    /// The peer ended the exchange (EOF) and nothing was left to send.
    Peer,
    /// The peer reset the connection.
    Reset,
    /// A call on it failed.
    Error,
}

/// Everything that can happen in a session. See the table of `docs/events.md`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "ev", rename_all = "snake_case")]
pub enum EventKind {
    Session {
        version: u32,
        tool: String,
        /// When the session started on the wall clock (microseconds since the Unix epoch),
        /// written as RFC 3339 in UTC; absent where it is not known (a capture imported, a
        /// recording made before format 2.3).
        #[serde(
            rename = "start",
            default,
            skip_serializing_if = "Option::is_none",
            with = "rfc3339"
        )]
        #[schemars(with = "rfc3339::Rfc3339")]
        start_unix_us: Option<u64>,
    },
    Listen {
        conn: ConnId,
        local: Address,
    },
    Accept {
        conn: ConnId,
        listener: ConnId,
        local: Address,
        peer: Address,
    },
    Connect {
        conn: ConnId,
        peer: Address,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pair: Option<ConnId>,
        /// A datagram proxy's flow: the client address whose datagrams this connected socket
        /// carries to the upstream (`pair` is then the bound socket the client sends to).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client: Option<Address>,
    },
    Connected {
        conn: ConnId,
        local: Address,
        peer: Address,
    },
    Ready(Readiness),
    /// One `recv` returned `len` > 0 bytes; `max` is the buffer size it was given.
    Recv {
        conn: ConnId,
        max: usize,
        len: usize,
        #[serde(with = "hex_bytes")]
        #[schemars(with = "hex_bytes::Hex")]
        data: Bytes,
    },
    /// One `send` accepted `len` of `requested` bytes; `data` holds the accepted ones.
    Send {
        conn: ConnId,
        requested: usize,
        len: usize,
        #[serde(with = "hex_bytes")]
        #[schemars(with = "hex_bytes::Hex")]
        data: Bytes,
    },
    /// One `recvfrom` on a datagram socket returned one datagram from `peer`: `len` bytes
    /// (possibly 0) in a `max`-byte buffer. `truncated` is the datagram's real length when it
    /// was longer than the buffer (`MSG_TRUNC`): the rest is lost.
    #[serde(rename = "recvfrom")]
    RecvFrom {
        conn: ConnId,
        peer: Address,
        max: usize,
        len: usize,
        #[serde(with = "hex_bytes")]
        #[schemars(with = "hex_bytes::Hex")]
        data: Bytes,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        truncated: Option<usize>,
    },
    /// One `sendto` (or `send` on a connected datagram socket) to `peer` sent one datagram of
    /// `len` bytes, of `requested`.
    #[serde(rename = "sendto")]
    SendTo {
        conn: ConnId,
        peer: Address,
        requested: usize,
        len: usize,
        #[serde(with = "hex_bytes")]
        #[schemars(with = "hex_bytes::Hex")]
        data: Bytes,
    },
    /// `--relay splice`: one `splice` moved `len` of at most `max` bytes from the socket's
    /// receive queue into the relay pipe, inside the kernel. The bytes themselves follow in
    /// `pipe_read`.
    SpliceIn {
        conn: ConnId,
        max: usize,
        len: usize,
    },
    /// `--relay splice`: one `tee` duplicated `len` bytes that the relay pipe holds for the
    /// other side into the pipe sockscope reads; the relay pipe still holds them.
    Tee {
        conn: ConnId,
        len: usize,
    },
    /// `--relay splice`: one `read` of the duplicate pipe: the `len` bytes received on `conn`,
    /// as sockscope sees them (the only copy to user space). `max` is the length asked for.
    PipeRead {
        conn: ConnId,
        max: usize,
        len: usize,
        #[serde(with = "hex_bytes")]
        #[schemars(with = "hex_bytes::Hex")]
        data: Bytes,
    },
    /// `--relay splice`: one `splice` from the relay pipe into this socket sent `len` of
    /// `requested` bytes without copying them from user space; `data` holds the sent ones.
    SpliceOut {
        conn: ConnId,
        requested: usize,
        len: usize,
        #[serde(with = "hex_bytes")]
        #[schemars(with = "hex_bytes::Hex")]
        data: Bytes,
    },
    WouldBlock {
        conn: ConnId,
        op: Op,
    },
    Eof {
        conn: ConnId,
    },
    Shutdown {
        conn: ConnId,
        how: How,
    },
    Reset {
        conn: ConnId,
    },
    Close {
        conn: ConnId,
        by: ClosedBy,
    },
    Error {
        conn: ConnId,
        op: Op,
        kind: ErrorKind,
        message: String,
    },
    Option {
        conn: ConnId,
        #[serde(flatten)]
        option: SockOption,
    },
    /// The engine's interest in a socket changed (the HOWTO's potential readers and writers).
    Interest {
        conn: ConnId,
        read: bool,
        write: bool,
    },
    /// A fault of a proxied pair (or an echo connection) was set, removed, or took effect.
    /// `conn` is the pair's accepted (client) socket; `detail` is the fault's spec (`on`,
    /// `off`: `slice=4`) or what it did (`tripped`).
    Fault {
        conn: ConnId,
        dir: FaultDir,
        kind: FaultKind,
        state: FaultState,
        detail: String,
    },
    /// Holding one direction of a proxied pair (or an echo connection's replies) started or
    /// stopped. `conn` is the pair's accepted (client) socket; `framing` cuts the messages
    /// (`raw`: each chunk), `pattern` picks the held ones (empty: every one).
    Intercept {
        conn: ConnId,
        dir: FaultDir,
        state: InterceptState,
        framing: String,
        pattern: String,
    },
    /// A message (its bytes as they came, delimiter or length prefix included) is held
    /// instead of forwarded; the bytes behind it in the same direction wait behind it.
    Held {
        conn: ConnId,
        dir: FaultDir,
        id: HoldId,
        len: usize,
        #[serde(with = "hex_bytes")]
        #[schemars(with = "hex_bytes::Hex")]
        data: Bytes,
    },
    /// A held message was let go: `data` are the bytes forwarded in its place (the original,
    /// the edit, or none when dropped).
    Released {
        conn: ConnId,
        dir: FaultDir,
        id: HoldId,
        action: ReleaseAction,
        len: usize,
        #[serde(with = "hex_bytes")]
        #[schemars(with = "hex_bytes::Hex")]
        data: Bytes,
    },
    /// New bytes queued toward one side of a pair (`up`: to the upstream server), as if the
    /// other side had sent them.
    Inject {
        conn: ConnId,
        dir: FaultDir,
        len: usize,
        #[serde(with = "hex_bytes")]
        #[schemars(with = "hex_bytes::Hex")]
        data: Bytes,
    },
    /// A traced program's call has not returned `waited_us` microseconds after it began: it
    /// blocks (`sockscope trace`; the engine's own calls never block). Its result follows as
    /// its usual event. `conn`: the socket, absent for a readiness call (`select`, `poll`),
    /// which names many.
    Blocked {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        conn: Option<ConnId>,
        waited_us: u64,
    },
    /// A complete framed message (derived from the stream, never emitted by the engine).
    /// A step of a TLS connection: the handshake, an alert, a `close_notify`.
    Tls {
        conn: ConnId,
        #[serde(flatten)]
        stage: TlsStage,
    },
    /// Plaintext a TLS connection decrypted from what `recv` returned (`len` > 0 bytes).
    TlsRead {
        conn: ConnId,
        len: usize,
        #[serde(with = "hex_bytes")]
        #[schemars(with = "hex_bytes::Hex")]
        data: Bytes,
    },
    /// Plaintext handed to a TLS connection to encrypt: `len` of `requested` bytes accepted.
    TlsWrite {
        conn: ConnId,
        requested: usize,
        len: usize,
        #[serde(with = "hex_bytes")]
        #[schemars(with = "hex_bytes::Hex")]
        data: Bytes,
    },
    Message {
        conn: ConnId,
        dir: Dir,
        len: usize,
        #[serde(with = "hex_bytes")]
        #[schemars(with = "hex_bytes::Hex")]
        data: Bytes,
    },
}

/// An [`EventKind`] stamped with the time it happened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Event {
    #[serde(flatten)]
    pub kind: EventKind,
    /// Microseconds since the session started.
    pub t_us: u64,
}

impl Event {
    /// The first event of a session whose wall-clock start is not known.
    #[must_use]
    pub fn session_start() -> Self {
        Self::session_started_at(None)
    }

    /// The first event of a session that started at `start_unix_us` (microseconds since the
    /// Unix epoch).
    #[must_use]
    pub fn session_started_at(start_unix_us: Option<u64>) -> Self {
        let kind = EventKind::Session { version: SCHEMA_VERSION, tool: tool_name(), start_unix_us };
        Self { kind, t_us: 0 }
    }

    /// The socket this event is about, if it is about one.
    #[must_use]
    pub fn conn(&self) -> Option<ConnId> {
        use EventKind as K;
        match &self.kind {
            K::Session { .. } | K::Ready(_) => None,
            K::Blocked { conn, .. } => *conn,
            K::Listen { conn, .. }
            | K::Accept { conn, .. }
            | K::Connect { conn, .. }
            | K::Connected { conn, .. }
            | K::Recv { conn, .. }
            | K::Send { conn, .. }
            | K::RecvFrom { conn, .. }
            | K::SendTo { conn, .. }
            | K::SpliceIn { conn, .. }
            | K::Tee { conn, .. }
            | K::PipeRead { conn, .. }
            | K::SpliceOut { conn, .. }
            | K::WouldBlock { conn, .. }
            | K::Eof { conn }
            | K::Shutdown { conn, .. }
            | K::Reset { conn }
            | K::Close { conn, .. }
            | K::Error { conn, .. }
            | K::Option { conn, .. }
            | K::Interest { conn, .. }
            | K::Fault { conn, .. }
            | K::Intercept { conn, .. }
            | K::Held { conn, .. }
            | K::Released { conn, .. }
            | K::Inject { conn, .. }
            | K::Tls { conn, .. }
            | K::TlsRead { conn, .. }
            | K::TlsWrite { conn, .. }
            | K::Message { conn, .. } => Some(*conn),
        }
    }

    /// One JSON Lines record (without the newline).
    #[must_use]
    pub fn to_json_line(&self) -> String {
        json_line::to_line(self)
    }

    /// The same record and its newline, written into `out` without building a `String` (the
    /// `--json` printer, exports): payloads are hex-encoded straight into the writer.
    ///
    /// # Errors
    /// Whatever writing to `out` returns.
    pub fn write_json_line(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        json_line::write_line(self, out)
    }
}

#[cfg(test)]
mod tests;
