//! Short "why" notes for the call results that surprise people who learned sockets from
//! blocking examples: what the result means and what to do next.
//!
//! One table for every view: the UI's Calls panel shows a note beside its call, a headless
//! lesson's handout prints it under the call's line.

use super::{ClosedBy, ErrorKind, EventKind, How, Op};
use std::borrow::Cow;

/// A call result worth a note.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Surprise {
    /// `recv` returned 0. `write_shut`: we had shut our writing down already.
    Eof {
        write_shut: bool,
    },
    WouldBlock(Op),
    /// `send` took fewer bytes than it was offered.
    PartialSend,
    /// `recv` filled the whole `max`-byte buffer it was given.
    FullRecv {
        max: usize,
    },
    /// A new socket from `accept`.
    Accepted,
    Shutdown(How),
    /// Linger 0, then close.
    Reset,
    ClosedByReset,
    Error(ErrorKind),
}

impl Surprise {
    /// The surprise in `kind`, if any; `write_shut`: whether the socket had shut its writing
    /// before this event (only an EOF's note depends on it).
    #[must_use]
    pub fn of_event(kind: &EventKind, write_shut: bool) -> Option<Self> {
        Some(match kind {
            EventKind::Eof { .. } => Self::Eof { write_shut },
            EventKind::WouldBlock { op, .. } => Self::WouldBlock(*op),
            EventKind::Send { requested, len, .. } if len < requested => Self::PartialSend,
            EventKind::Recv { max, len, .. } if len == max => Self::FullRecv { max: *max },
            EventKind::Accept { .. } => Self::Accepted,
            EventKind::Shutdown { how, .. } => Self::Shutdown(*how),
            EventKind::Reset { .. } => Self::Reset,
            EventKind::Close { by: ClosedBy::Reset, .. } => Self::ClosedByReset,
            EventKind::Error { kind, .. } => Self::Error(*kind),
            _ => return None,
        })
    }

    /// What the result means, if there is something to say.
    #[must_use]
    pub fn note(self) -> Option<Cow<'static, str>> {
        Some(Cow::Borrowed(match self {
            Self::Eof { write_shut: false } => {
                "the peer will send nothing more; you may still send"
            }
            Self::Eof { write_shut: true } => {
                "the peer will send nothing more, and we shut writing: neither side sends now"
            }
            Self::WouldBlock(Op::Recv) => "nothing to read now: wait until poll says readable",
            Self::WouldBlock(Op::Send) => "send buffer full: wait until poll says writable",
            Self::WouldBlock(Op::Accept) => "no client is waiting to be accepted",
            Self::PartialSend => "the kernel took only part: send the rest when writable",
            Self::FullRecv { max } => {
                return Some(Cow::Owned(format!(
                    "filled the {max}-byte buffer this call was given: more may be waiting"
                )));
            }
            Self::Accepted => "a new socket for this client; the listener keeps listening",
            Self::Shutdown(How::Write) => "FIN sent: the peer's recv returns 0; we can still read",
            Self::Shutdown(How::Read) => "we stop reading; the peer is not told",
            Self::Shutdown(How::Both) => "FIN sent and reading stopped; close still to come",
            Self::Reset => "linger 0, then close: the peer gets RST, unsent bytes are lost",
            Self::ClosedByReset => "ended by RST: bytes in flight are lost",
            Self::Error(ErrorKind::Refused) => "nothing listens there: RST for SYN",
            Self::Error(ErrorKind::TimedOut) => {
                "no answer in time: a dead peer looks just like a slow one"
            }
            Self::Error(ErrorKind::Reset) => "the peer reset the connection (RST)",
            Self::Error(ErrorKind::BrokenPipe) => "the peer is gone: writing after its close fails",
            Self::WouldBlock(_) | Self::Error(_) => return None,
        }))
    }
}
