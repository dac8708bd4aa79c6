//! Short "why" notes next to the calls whose result surprises people who learned sockets from
//! blocking examples: what the result means and what to do next. The table itself is
//! [`crate::event::why`], shared with the headless lesson handout.

use crate::event::why::Surprise;
use crate::event::{ClosedBy, ErrorKind, Op};
use crate::locale::Lang;
use crate::session::{CallKind, SpliceCall, TlsCall};

/// The note for `kind` in `lang`, if its result deserves one. It speaks of this call: its own
/// buffer size, and whether we had shut writing before the peer's EOF.
#[must_use]
pub fn note(kind: &CallKind, lang: Lang) -> Option<String> {
    surprise(kind)?.note(lang)
}

fn surprise(kind: &CallKind) -> Option<Surprise> {
    Some(match kind {
        CallKind::Eof { write_shut } => Surprise::Eof { write_shut: *write_shut },
        CallKind::WouldBlock(op, _) => Surprise::WouldBlock(*op),
        CallKind::Send { requested, len }
        | CallKind::Splice(SpliceCall::Out { requested, len })
            if len < requested =>
        {
            Surprise::PartialSend
        }
        CallKind::Recv { max, len } if len == max => Surprise::FullRecv { max: *max },
        CallKind::Accepted { .. } => Surprise::Accepted,
        CallKind::Shutdown(how) => Surprise::Shutdown(*how),
        CallKind::Reset => Surprise::Reset,
        CallKind::Close(ClosedBy::Reset) => Surprise::ClosedByReset,
        CallKind::RecvFrom { truncated: Some(_), .. } => Surprise::Truncated,
        CallKind::Error { kind: ErrorKind::Refused, op: Op::Recv | Op::Send, .. } => {
            Surprise::PortUnreachable
        }
        CallKind::Error { kind, .. } => Surprise::Error(*kind),
        CallKind::Tls(step) => return tls_surprise(step),
        _ => return None,
    })
}

fn tls_surprise(step: &TlsCall) -> Option<Surprise> {
    match step {
        TlsCall::NoPlaintext { mid_record } => {
            Some(Surprise::TlsNoPlaintext { mid_record: *mid_record })
        }
        TlsCall::Alert { level, by, .. } => {
            Some(Surprise::TlsAlert { by: *by, fatal: level == "fatal" })
        }
        TlsCall::CloseNotify { by } => Some(Surprise::TlsCloseNotify(*by)),
        TlsCall::FinWithoutCloseNotify => Some(Surprise::TlsFinWithoutCloseNotify),
        TlsCall::Handshake(_) | TlsCall::Read { .. } | TlsCall::Write { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::SocketType;

    fn text(kind: &CallKind) -> Option<String> {
        note(kind, Lang::En)
    }

    #[test]
    fn surprising_results_are_explained_and_ordinary_ones_are_not() {
        let eof = CallKind::Eof { write_shut: false };
        assert!(text(&eof).is_some_and(|n| n.contains("may still send")));
        let partial = CallKind::Send { requested: 65536, len: 32768 };
        assert!(text(&partial).is_some_and(|n| n.contains("only part")));
        assert_eq!(text(&CallKind::Send { requested: 10, len: 10 }), None);
        assert_eq!(text(&CallKind::Recv { max: 4096, len: 17 }), None);
        assert!(
            text(&CallKind::WouldBlock(Op::Send, SocketType::Stream))
                .is_some_and(|n| n.contains("writable"))
        );
        let timed_out = CallKind::Error {
            op: Op::Idle,
            socket: SocketType::Stream,
            kind: ErrorKind::TimedOut,
            message: String::new(),
        };
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

    /// The moments TLS changes the picture: a readable socket with no plaintext yet, an
    /// alert, `close_notify` against a bare FIN.
    #[test]
    fn tls_steps_that_surprise_are_explained() {
        let cut = text(&CallKind::Tls(TlsCall::NoPlaintext { mid_record: true }));
        assert!(cut.is_some_and(|n| n.contains("no plaintext yet: the TLS record is incomplete")));
        let ticket = text(&CallKind::Tls(TlsCall::NoPlaintext { mid_record: false }));
        assert!(ticket.is_some_and(|n| n.contains("no application data")));
        let alert = CallKind::Tls(TlsCall::Alert {
            level: "fatal".into(),
            description: "bad_certificate".into(),
            by: crate::event::TlsBy::Peer,
        });
        assert!(text(&alert).is_some_and(|n| n.contains("fatal alert ends the connection")));
        let notify = CallKind::Tls(TlsCall::CloseNotify { by: crate::event::TlsBy::Peer });
        assert!(text(&notify).is_some_and(|n| n.contains("unlike a bare TCP FIN")));
        let fin = text(&CallKind::Tls(TlsCall::FinWithoutCloseNotify));
        assert!(fin.is_some_and(|n| n.contains("cut short")));
        assert_eq!(text(&CallKind::Tls(TlsCall::Read { len: 5 })), None);
        let zh = note(&CallKind::Tls(TlsCall::NoPlaintext { mid_record: true }), Lang::ZhTw);
        assert!(zh.is_some_and(|n| n.contains("TLS 記錄不完整")));
    }
}
