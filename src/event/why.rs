//! Short "why" notes for the call results that surprise people who learned sockets from
//! blocking examples: what the result means and what to do next.
//!
//! One table for every view: the UI's Calls panel shows a note beside its call, a headless
//! lesson's handout prints it under the call's line. The texts are Fluent messages in every
//! language (`assets/locales/LANG/why.ftl`); this file only says which message a result gets.

use super::{ClosedBy, ErrorKind, EventKind, How, Op, TlsBy, TlsStage};
use crate::locale::{Catalog, FluentArgs, Lang};
use std::sync::LazyLock;

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
    /// A datagram longer than the `recvfrom` buffer: the rest is gone.
    Truncated,
    /// A connected datagram socket's call failed as refused: an ICMP port unreachable came
    /// back for an earlier datagram (there is no handshake to refuse).
    PortUnreachable,
    /// A TLS connection's `recv` moved ciphertext but no plaintext came of it.
    /// `mid_record`: the bytes end inside a record whose rest has not arrived.
    TlsNoPlaintext {
        mid_record: bool,
    },
    /// A TLS alert; `fatal`: its level is fatal, so the connection ends.
    TlsAlert {
        by: TlsBy,
        fatal: bool,
    },
    /// A `close_notify`: TLS's own end of the data, which a bare TCP FIN is not.
    TlsCloseNotify(TlsBy),
    /// The peer's FIN came with no `close_notify` before it.
    TlsFinWithoutCloseNotify,
}

impl Surprise {
    /// The surprise in `kind`, if any; `write_shut`: whether the socket had shut its writing
    /// before this event (only an EOF's note depends on it).
    #[must_use]
    pub fn of_event(kind: &EventKind, write_shut: bool) -> Option<Self> {
        Some(match kind {
            EventKind::Eof { .. } => Self::Eof { write_shut },
            EventKind::WouldBlock { op, .. } => Self::WouldBlock(*op),
            EventKind::Send { requested, len, .. }
            | EventKind::SpliceOut { requested, len, .. }
                if len < requested =>
            {
                Self::PartialSend
            }
            EventKind::Recv { max, len, .. } if len == max => Self::FullRecv { max: *max },
            EventKind::Accept { .. } => Self::Accepted,
            EventKind::Shutdown { how, .. } => Self::Shutdown(*how),
            EventKind::Reset { .. } => Self::Reset,
            EventKind::Close { by: ClosedBy::Reset, .. } => Self::ClosedByReset,
            EventKind::RecvFrom { truncated: Some(_), .. } => Self::Truncated,
            EventKind::Error { kind: ErrorKind::Refused, op: Op::Recv | Op::Send, .. } => {
                Self::PortUnreachable
            }
            EventKind::Error { kind, .. } => Self::Error(*kind),
            EventKind::Tls { stage, .. } => return Self::of_tls(stage),
            _ => return None,
        })
    }

    /// The surprise in a `tls` event's stage, if any.
    #[must_use]
    pub fn of_tls(stage: &TlsStage) -> Option<Self> {
        match stage {
            TlsStage::ClientHello { .. } | TlsStage::Established(_) => None,
            TlsStage::Alert { level, by, .. } => {
                Some(Self::TlsAlert { by: *by, fatal: level == "fatal" })
            }
            TlsStage::CloseNotify { by } => Some(Self::TlsCloseNotify(*by)),
        }
    }

    /// What the result means in `lang`, if there is something to say (English where the
    /// translation lacks it).
    #[must_use]
    pub fn note(self, lang: Lang) -> Option<String> {
        let id = self.message_id()?;
        let mut args = FluentArgs::new();
        if let Self::FullRecv { max } = self {
            args.set("max", max);
        }
        NOTES.text(lang, id, Some(&args))
    }

    /// The id of its note in `assets/locales/*/why.ftl`, if it has one.
    #[must_use]
    pub fn message_id(self) -> Option<&'static str> {
        Some(match self {
            Self::Eof { write_shut: false } => "why-eof",
            Self::Eof { write_shut: true } => "why-eof-after-our-shutdown",
            Self::WouldBlock(Op::Recv) => "why-would-block-recv",
            Self::WouldBlock(Op::Send) => "why-would-block-send",
            Self::WouldBlock(Op::Accept) => "why-would-block-accept",
            Self::WouldBlock(Op::Splice) => "why-would-block-splice",
            Self::WouldBlock(
                Op::Listen
                | Op::Connect
                | Op::Shutdown
                | Op::Close
                | Op::Option
                | Op::Idle
                | Op::Tee
                | Op::Read,
            )
            | Self::Error(ErrorKind::Other | ErrorKind::Tls) => return None,
            Self::PartialSend => "why-partial-send",
            Self::FullRecv { .. } => "why-full-recv",
            Self::Accepted => "why-accepted",
            Self::Shutdown(How::Write) => "why-shutdown-write",
            Self::Shutdown(How::Read) => "why-shutdown-read",
            Self::Shutdown(How::Both) => "why-shutdown-both",
            Self::Reset => "why-reset",
            Self::ClosedByReset => "why-closed-by-reset",
            Self::Error(ErrorKind::Refused) => "why-error-refused",
            Self::Error(ErrorKind::TimedOut) => "why-error-timed-out",
            Self::Error(ErrorKind::Reset) => "why-error-reset",
            Self::Error(ErrorKind::BrokenPipe) => "why-error-broken-pipe",
            Self::Error(ErrorKind::MsgSize) => "why-error-msg-size",
            Self::Truncated => "why-truncated",
            Self::PortUnreachable => "why-port-unreachable",
            Self::TlsNoPlaintext { mid_record: true } => "why-tls-record-incomplete",
            Self::TlsNoPlaintext { mid_record: false } => "why-tls-no-application-data",
            Self::TlsAlert { by: TlsBy::Peer, fatal: true } => "why-tls-alert-fatal-peer",
            Self::TlsAlert { by: TlsBy::Local, fatal: true } => "why-tls-alert-fatal-local",
            Self::TlsAlert { fatal: false, .. } => "why-tls-alert-warning",
            Self::TlsCloseNotify(TlsBy::Peer) => "why-tls-close-notify-peer",
            Self::TlsCloseNotify(TlsBy::Local) => "why-tls-close-notify-local",
            Self::TlsFinWithoutCloseNotify => "why-tls-fin-without-close-notify",
        })
    }
}

/// The word a handout puts before each note (`why: ...`), in `lang`.
#[must_use]
pub fn label(lang: Lang) -> String {
    NOTES.text(lang, "why-label", None).unwrap_or_else(|| "why".to_string())
}

/// Every note in both languages, parsed once.
pub static NOTES: LazyLock<Catalog> = LazyLock::new(|| {
    Catalog::new(
        include_str!("../../assets/locales/en/why.ftl"),
        include_str!("../../assets/locales/zh-TW/why.ftl"),
    )
});

#[cfg(test)]
mod tests;
