//! Short "why" notes next to the calls whose result surprises people who learned sockets from
//! blocking examples: what the result means and what to do next.

use crate::event::{ClosedBy, ErrorKind, How, Op};
use crate::session::CallKind;
use std::borrow::Cow;

/// The note for `kind`, if its result deserves one. It speaks of this call: its own buffer
/// size, and whether we had shut writing before the peer's EOF.
#[must_use]
pub fn note(kind: &CallKind) -> Option<Cow<'static, str>> {
    Some(Cow::Borrowed(match kind {
        CallKind::Eof { write_shut: false } => {
            "the peer will send nothing more; you may still send"
        }
        CallKind::Eof { write_shut: true } => {
            "the peer will send nothing more, and we shut writing: neither side sends now"
        }
        CallKind::WouldBlock(Op::Recv) => "nothing to read now: wait until poll says readable",
        CallKind::WouldBlock(Op::Send) => "send buffer full: wait until poll says writable",
        CallKind::WouldBlock(Op::Accept) => "no client is waiting to be accepted",
        CallKind::Send { requested, len } if len < requested => {
            "the kernel took only part: send the rest when writable"
        }
        CallKind::Recv { max, len } if len == max => {
            return Some(Cow::Owned(format!(
                "filled the {max}-byte buffer this call was given: more may be waiting"
            )));
        }
        CallKind::Accepted { .. } => "a new socket for this client; the listener keeps listening",
        CallKind::Shutdown(How::Write) => "FIN sent: the peer's recv returns 0; we can still read",
        CallKind::Shutdown(How::Read) => "we stop reading; the peer is not told",
        CallKind::Shutdown(How::Both) => "FIN sent and reading stopped; close still to come",
        CallKind::Reset => "linger 0, then close: the peer gets RST, unsent bytes are lost",
        CallKind::Close(ClosedBy::Reset) => "ended by RST: bytes in flight are lost",
        CallKind::Error { kind: ErrorKind::Refused, .. } => "nothing listens there: RST for SYN",
        CallKind::Error { kind: ErrorKind::TimedOut, .. } => {
            "no answer in time: a dead peer looks just like a slow one"
        }
        CallKind::Error { kind: ErrorKind::Reset, .. } => "the peer reset the connection (RST)",
        CallKind::Error { kind: ErrorKind::BrokenPipe, .. } => {
            "the peer is gone: writing after its close fails"
        }
        _ => return None,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(kind: &CallKind) -> Option<String> {
        note(kind).map(Cow::into_owned)
    }

    #[test]
    fn surprising_results_are_explained_and_ordinary_ones_are_not() {
        let eof = CallKind::Eof { write_shut: false };
        assert!(text(&eof).is_some_and(|n| n.contains("may still send")));
        let partial = CallKind::Send { requested: 65536, len: 32768 };
        assert!(text(&partial).is_some_and(|n| n.contains("only part")));
        assert_eq!(text(&CallKind::Send { requested: 10, len: 10 }), None);
        assert_eq!(text(&CallKind::Recv { max: 4096, len: 17 }), None);
        assert!(text(&CallKind::WouldBlock(Op::Send)).is_some_and(|n| n.contains("writable")));
        let timed_out =
            CallKind::Error { op: Op::Idle, kind: ErrorKind::TimedOut, message: String::new() };
        assert!(text(&timed_out).is_some_and(|n| n.contains("dead peer")));
    }

    /// A full `recv` filled the buffer the call was given, not the kernel's.
    #[test]
    fn a_full_recv_names_the_calls_own_buffer() {
        let full = text(&CallKind::Recv { max: 5, len: 5 }).expect("a note");
        assert!(full.contains("the 5-byte buffer this call was given"), "{full}");
    }

    /// After our own `shutdown(write)`, the peer's EOF leaves nothing to send.
    #[test]
    fn eof_after_our_shutdown_does_not_invite_sending() {
        let both_done = text(&CallKind::Eof { write_shut: true }).expect("a note");
        assert!(!both_done.contains("may still send"), "{both_done}");
    }
}
