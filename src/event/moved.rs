//! Which events carry bytes a socket received from its peer or sent to it, whatever call moved
//! them: `recv` and `send`, `recvfrom` and `sendto`, and under `--relay splice` `pipe_read`
//! (the bytes `splice` took from the socket, as sockscope read them) and `splice_out`. The
//! consumers of a session's bytes (exports, framing, `replay --to`, byte counts) ask here, so
//! that a relay path never hides bytes from one of them.

use super::{ConnId, Dir, EventKind};
use bytes::Bytes;

impl EventKind {
    /// The socket, the direction and the bytes of a call that moved bytes between a socket and
    /// its peer; `None` for every other event, TLS plaintext included (it is not what the
    /// socket carried).
    #[must_use]
    pub fn bytes_moved(&self) -> Option<(ConnId, Dir, &Bytes)> {
        use EventKind as K;
        match self {
            K::Recv { conn, data, .. }
            | K::RecvFrom { conn, data, .. }
            | K::PipeRead { conn, data, .. } => Some((*conn, Dir::In, data)),
            K::Send { conn, data, .. }
            | K::SendTo { conn, data, .. }
            | K::SpliceOut { conn, data, .. } => Some((*conn, Dir::Out, data)),
            K::Session { .. }
            | K::Listen { .. }
            | K::Accept { .. }
            | K::Connect { .. }
            | K::Connected { .. }
            | K::Ready(_)
            | K::SpliceIn { .. }
            | K::Tee { .. }
            | K::WouldBlock { .. }
            | K::Eof { .. }
            | K::Shutdown { .. }
            | K::Reset { .. }
            | K::Close { .. }
            | K::Error { .. }
            | K::Option { .. }
            | K::Interest { .. }
            | K::Blocked { .. }
            | K::Fault { .. }
            | K::Intercept { .. }
            | K::Held { .. }
            | K::Released { .. }
            | K::Inject { .. }
            | K::Tls { .. }
            | K::TlsRead { .. }
            | K::TlsWrite { .. }
            | K::Message { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Address;

    #[test]
    fn a_splice_relays_bytes_are_moved_like_copied_ones() {
        let data = Bytes::from_static(b"hi");
        let (conn, peer): (ConnId, Address) = (ConnId(4), "127.0.0.1:9".parse().unwrap());
        let moved = [
            (EventKind::Recv { conn, max: 9, len: 2, data: data.clone() }, Dir::In),
            (EventKind::PipeRead { conn, max: 2, len: 2, data: data.clone() }, Dir::In),
            (
                EventKind::RecvFrom {
                    conn,
                    peer: peer.clone(),
                    max: 9,
                    len: 2,
                    data: data.clone(),
                    truncated: None,
                },
                Dir::In,
            ),
            (EventKind::Send { conn, requested: 2, len: 2, data: data.clone() }, Dir::Out),
            (EventKind::SpliceOut { conn, requested: 2, len: 2, data: data.clone() }, Dir::Out),
            (EventKind::SendTo { conn, peer, requested: 2, len: 2, data: data.clone() }, Dir::Out),
        ];
        for (kind, dir) in moved {
            assert_eq!(kind.bytes_moved(), Some((conn, dir, &data)), "{kind:?}");
        }
        let unmoved = [
            EventKind::SpliceIn { conn, max: 9, len: 2 },
            EventKind::Tee { conn, len: 2 },
            EventKind::TlsRead { conn, len: 2, data: data.clone() },
        ];
        for kind in unmoved {
            assert_eq!(kind.bytes_moved(), None, "{kind:?}");
        }
    }
}
