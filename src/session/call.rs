//! The socket calls made on one connection, and what each returned, for the Calls panel.

use std::collections::VecDeque;
use std::fmt;

use crate::event::{
    Address, CallSite, ClosedBy, ConnId, ErrorKind, FaultDir, FaultKind, FaultState, How, Op,
    SockOption, SocketType,
};

/// One call (or what the OS reported about the socket), stamped with when it happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    pub t_us: u64,
    pub kind: CallKind,
    /// A traced program's call: its process, real system call and descriptor.
    pub site: Option<CallSite>,
}

/// What was called and what it returned.
///
/// `Display` gives the Calls panel's line, e.g. `recv(65536) -> 17`,
/// `send 65536 -> 43690 (partial)`, `recv -> WouldBlock` (`recvfrom -> WouldBlock` on a datagram
/// socket), `recv -> 0 (EOF)`. The text is not
/// escaped: error messages and Unix paths may come from a recording, so a view passes it
/// through `inspect::escape::escape_str` like any other outside text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallKind {
    Listen {
        local: Address,
    },
    Connect {
        peer: Address,
    },
    /// The non-blocking connect completed.
    Connected,
    /// On a listener: `accept` returned this new connection.
    Accept {
        conn: ConnId,
    },
    /// On the new connection: the listener whose `accept` returned it.
    Accepted {
        listener: ConnId,
    },
    /// `recv` into a `max`-byte buffer returned `len` > 0 bytes.
    Recv {
        max: usize,
        len: usize,
    },
    /// `send` was offered `requested` bytes and accepted `len` of them.
    Send {
        requested: usize,
        len: usize,
    },
    /// `recvfrom` on a datagram socket returned one datagram of `len` bytes from `peer`;
    /// `truncated`: its real length, when it did not fit.
    RecvFrom {
        peer: Address,
        max: usize,
        len: usize,
        truncated: Option<usize>,
    },
    /// `sendto` sent one datagram of `len` bytes (of `requested`) to `peer`.
    SendTo {
        peer: Address,
        requested: usize,
        len: usize,
    },
    /// The call would have blocked; the socket's type names the call made (`recvfrom ->
    /// WouldBlock` on a datagram socket).
    WouldBlock(Op, SocketType),
    /// `recv` returned 0: the peer will send no more. `write_shut`: we had already shut our
    /// writing down, so neither side can send now.
    Eof {
        write_shut: bool,
    },
    Shutdown(How),
    /// An abortive close (linger 0, so the peer sees RST).
    Reset,
    Close(ClosedBy),
    Error {
        op: Op,
        /// Names the call: `recvfrom -> refused` on a datagram socket.
        socket: SocketType,
        kind: ErrorKind,
        message: String,
    },
    /// A socket option was set; the value is what the OS reports back.
    Option(SockOption),
    /// A fault of the pair was set, removed or took effect (`detail`: the spec, or what it
    /// did).
    Fault {
        dir: FaultDir,
        kind: FaultKind,
        state: FaultState,
        detail: String,
    },
    /// A step of an intercept on the pair, in the log's words: started or stopped, a message
    /// held or released, bytes injected.
    Intercept(String),
    /// A TLS step on this connection: the handshake, plaintext, an alert, `close_notify`.
    Tls(super::TlsCall),
    /// A call of the splice relay (`--relay splice`).
    Splice(SpliceCall),
}

/// The calls of `--relay splice`, each with its real counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SpliceCall {
    /// `splice` from this socket into the relay pipe: `len` of at most `max` bytes.
    In { max: usize, len: usize },
    /// `tee` of the relay pipe into the pipe sockscope reads.
    Tee { len: usize },
    /// `read` of that pipe: the bytes received on this socket reach user space.
    Read { max: usize, len: usize },
    /// `splice` from the relay pipe into this socket: `len` of `requested` bytes.
    Out { requested: usize, len: usize },
}

impl From<SpliceCall> for CallKind {
    fn from(call: SpliceCall) -> Self {
        Self::Splice(call)
    }
}

impl fmt::Display for SpliceCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::In { max, len } => write!(f, "splice({max}) socket -> pipe {len}"),
            Self::Tee { len } => write!(f, "tee pipe -> pipe {len}"),
            Self::Read { max, len } => write!(f, "read pipe({max}) -> {len}"),
            Self::Out { requested, len } if len < requested => {
                write!(f, "splice pipe -> socket {requested} -> {len} (partial)")
            }
            Self::Out { requested, len } => write!(f, "splice pipe -> socket {requested} -> {len}"),
        }
    }
}

impl fmt::Display for CallKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallKind::Listen { local } => write!(f, "listen({local})"),
            CallKind::Connect { peer } => write!(f, "connect({peer}) -> in progress"),
            CallKind::Connected => f.write_str("connect -> connected"),
            CallKind::Accept { conn } => write!(f, "accept -> {conn}"),
            CallKind::Accepted { listener } => write!(f, "accepted by {listener}"),
            CallKind::Recv { max, len } => write!(f, "recv({max}) -> {len}"),
            CallKind::Send { requested, len } if len < requested => {
                write!(f, "send {requested} -> {len} (partial)")
            }
            CallKind::Send { requested, len } => write!(f, "send {requested} -> {len}"),
            CallKind::RecvFrom { peer, max, len, truncated: None } => {
                write!(f, "recvfrom({max}) -> {len} from {peer}")
            }
            CallKind::RecvFrom { peer, max, len, truncated: Some(full) } => {
                write!(f, "recvfrom({max}) -> {len} from {peer} (truncated: {full} sent)")
            }
            CallKind::SendTo { peer, requested, len } => {
                write!(f, "sendto {requested} -> {len} to {peer}")
            }
            CallKind::WouldBlock(op, socket) => {
                write!(f, "{} -> WouldBlock", op.call_on(*socket))
            }
            CallKind::Eof { .. } => f.write_str("recv -> 0 (EOF)"),
            CallKind::Shutdown(how) => write!(f, "shutdown({})", how.name()),
            CallKind::Reset => f.write_str("reset (linger 0: RST)"),
            CallKind::Close(by) => write!(f, "close ({})", by.name()),
            CallKind::Error { op, socket, kind, message } => {
                // "other" tells a reader nothing; the message does.
                let what = if *kind == ErrorKind::Other { "error" } else { kind.name() };
                write!(f, "{} -> {what}: {message}", op.call_on(*socket))
            }
            CallKind::Option(option) => write!(f, "setsockopt {option}"),
            CallKind::Fault { dir, kind, state, detail } => {
                write!(f, "fault {} {} {}: {detail}", dir.name(), kind.name(), state.name())
            }
            CallKind::Intercept(step) => f.write_str(step),
            CallKind::Tls(step) => step.fmt(f),
            CallKind::Splice(call) => call.fmt(f),
        }
    }
}

impl CallKind {
    /// Whether the call moved one datagram (`recvfrom`, `sendto`): its chunk is that datagram,
    /// even when it is empty.
    #[must_use]
    pub fn is_datagram(&self) -> bool {
        matches!(self, Self::RecvFrom { .. } | Self::SendTo { .. })
    }

    /// A datagram's real length, when the buffer that received it cut it short.
    #[must_use]
    pub fn truncated(&self) -> Option<usize> {
        if let Self::RecvFrom { truncated, .. } = self { *truncated } else { None }
    }
}

impl fmt::Display for Call {
    /// Without the time: views format that in their own column. A traced call ends with
    /// where it came from: `recv(65536) -> 17 [pid 42 recvfrom fd 3]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.site {
            Some(site) => write!(f, "{} {}", self.kind, site.suffix()),
            None => self.kind.fmt(f),
        }
    }
}

/// The latest calls of one connection: a bounded log, oldest dropped first.
#[derive(Clone, Debug)]
pub struct Calls {
    kept: VecDeque<Call>,
    total: u64,
    cap: usize,
}

impl Calls {
    pub(super) fn new(cap: usize) -> Self {
        Self { kept: VecDeque::new(), total: 0, cap }
    }

    pub(super) fn push(&mut self, call: Call) {
        self.total += 1;
        if self.cap == 0 {
            return;
        }
        if self.kept.len() == self.cap {
            self.kept.pop_front();
        }
        self.kept.push_back(call);
    }

    /// Replaces the newest kept call (or keeps `call` if none is kept), counting nothing new.
    pub(super) fn replace_last(&mut self, call: Call) {
        match self.kept.back_mut() {
            Some(last) => *last = call,
            None => self.push(call),
        }
    }

    /// Every call ever made on this connection, dropped ones included.
    #[must_use]
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Calls no longer kept: the first kept call is number `dropped()` (from 0).
    #[must_use]
    pub fn dropped(&self) -> u64 {
        self.total - self.kept.len() as u64
    }

    /// The kept calls, oldest first.
    #[must_use]
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Call> + ExactSizeIterator {
        self.kept.iter()
    }

    /// The `index`-th kept call (0 = oldest kept), for views that scroll.
    #[must_use]
    pub fn get(&self, index: usize) -> Option<&Call> {
        self.kept.get(index)
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.kept.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }

    #[must_use]
    pub fn last(&self) -> Option<&Call> {
        self.kept.back()
    }

    /// Marks the calls made since the log held `total` calls as `site`'s.
    pub(super) fn mark_since(&mut self, total: u64, site: CallSite) {
        let new = usize::try_from(self.total.saturating_sub(total)).unwrap_or(usize::MAX);
        let kept = self.kept.len();
        for call in self.kept.iter_mut().skip(kept.saturating_sub(new)) {
            call.site = Some(site);
        }
    }
}
