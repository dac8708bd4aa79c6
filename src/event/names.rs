//! How the event vocabulary's small enums read in text: the names the JSON schema uses, so that
//! the readable log, the UI and the JSON Lines all say the same word.

use super::{ClosedBy, Dir, ErrorKind, How, Op, SockOption, SocketType};
use std::fmt;

impl Op {
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Listen => "listen",
            Self::Accept => "accept",
            Self::Connect => "connect",
            Self::Recv => "recv",
            Self::Send => "send",
            Self::Shutdown => "shutdown",
            Self::Close => "close",
            Self::Option => "option",
            Self::Idle => "idle",
            Self::Splice => "splice",
            Self::Tee => "tee",
            Self::Read => "read",
        }
    }

    /// The call as people know it on a socket of type `socket`: on a datagram socket a read is
    /// `recvfrom` and a write `sendto`, the calls actually made. [`Op::name`] stays the JSON
    /// value (`"op":"recv"`), a contract that only grows.
    #[must_use]
    pub fn call_on(self, socket: SocketType) -> &'static str {
        match (socket, self) {
            (SocketType::Datagram, Self::Recv) => "recvfrom",
            (SocketType::Datagram, Self::Send) => "sendto",
            (SocketType::Stream, _)
            | (
                SocketType::Datagram,
                Self::Listen
                | Self::Accept
                | Self::Connect
                | Self::Shutdown
                | Self::Close
                | Self::Option
                | Self::Idle
                | Self::Splice
                | Self::Tee
                | Self::Read,
            ) => self.name(),
        }
    }
}

impl How {
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Write => "write",
            Self::Both => "both",
        }
    }
}

impl ClosedBy {
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Local => "local",
            Self::Peer => "peer",
            Self::Reset => "reset",
            Self::Error => "error",
        }
    }
}

impl ErrorKind {
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Refused => "refused",
            Self::Reset => "reset",
            Self::TimedOut => "timed_out",
            Self::BrokenPipe => "broken_pipe",
            Self::MsgSize => "msg_size",
            Self::Other => "other",
            Self::Tls => "tls",
        }
    }
}

impl Dir {
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::In => "in",
            Self::Out => "out",
        }
    }
}

/// `nodelay=on`, `sndbuf=16384`, `linger=0s (close sends RST)`.
impl fmt::Display for SockOption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let on_off = |on: bool| if on { "on" } else { "off" };
        match self {
            Self::NoDelay(on) => write!(f, "nodelay={}", on_off(*on)),
            Self::SndBuf(bytes) => write!(f, "sndbuf={bytes}"),
            Self::RcvBuf(bytes) => write!(f, "rcvbuf={bytes}"),
            Self::KeepAlive(on) => write!(f, "keepalive={}", on_off(*on)),
            Self::Linger(None) => f.write_str("linger=off"),
            Self::Linger(Some(0)) => f.write_str("linger=0s (close sends RST)"),
            Self::Linger(Some(secs)) => write!(f, "linger={secs}s"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text names are the JSON names: one word per thing everywhere.
    #[test]
    fn names_match_the_json_schema() {
        let json = |v: serde_json::Value| v.as_str().unwrap_or_default().to_owned();
        for op in [
            Op::Listen,
            Op::Accept,
            Op::Connect,
            Op::Recv,
            Op::Send,
            Op::Shutdown,
            Op::Close,
            Op::Option,
            Op::Idle,
        ] {
            assert_eq!(op.name(), json(serde_json::to_value(op).unwrap()));
        }
        for how in [How::Read, How::Write, How::Both] {
            assert_eq!(how.name(), json(serde_json::to_value(how).unwrap()));
        }
        for by in [ClosedBy::Local, ClosedBy::Peer, ClosedBy::Reset, ClosedBy::Error] {
            assert_eq!(by.name(), json(serde_json::to_value(by).unwrap()));
        }
        for kind in [
            ErrorKind::Refused,
            ErrorKind::Reset,
            ErrorKind::TimedOut,
            ErrorKind::BrokenPipe,
            ErrorKind::Other,
        ] {
            assert_eq!(kind.name(), json(serde_json::to_value(kind).unwrap()));
        }
        for dir in [Dir::In, Dir::Out] {
            assert_eq!(dir.name(), json(serde_json::to_value(dir).unwrap()));
        }
    }

    #[test]
    fn options_read_as_settings() {
        assert_eq!(SockOption::Linger(Some(0)).to_string(), "linger=0s (close sends RST)");
        assert_eq!(SockOption::SndBuf(4608).to_string(), "sndbuf=4608");
        assert_eq!(SockOption::NoDelay(false).to_string(), "nodelay=off");
    }
}
