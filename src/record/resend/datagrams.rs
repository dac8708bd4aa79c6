//! Re-sending one side of a recorded datagram socket: each recorded datagram is one datagram
//! again (an empty one included), and the replies are compared datagram by datagram, since
//! their boundaries are part of what the peer said.

use super::{Action, Conversation, Step};
use crate::event::{Address, Event, EventKind, SocketType};
use bytes::Bytes;
use std::fmt::Write as _;

#[must_use]
pub(super) fn is_datagram(addr: &Address) -> bool {
    addr.socket_type() == SocketType::Datagram
}

/// The peer of a `recvfrom` or `sendto` event.
pub(super) fn peer_of(event: &Event) -> Option<&Address> {
    match &event.kind {
        EventKind::RecvFrom { peer, .. } | EventKind::SendTo { peer, .. } => Some(peer),
        _ => None,
    }
}

/// Takes one event of a datagram conversation: the side we play sends each of its datagrams,
/// the other side's are expected. A datagram socket has no end to send: shutdowns are left out.
pub(super) fn take(talk: &mut Conversation, event: &Event, ours_is_socket: bool, start: u64) {
    let Some(expected) = talk.datagrams.as_mut() else { return };
    let (data, sent_by_socket) = match &event.kind {
        EventKind::SendTo { data, .. } => (data, true),
        EventKind::RecvFrom { data, .. } => (data, false),
        _ => return,
    };
    if sent_by_socket == ours_is_socket {
        talk.steps.push(Step {
            after_us: event.t_us.saturating_sub(start),
            replies_before: expected.len(),
            action: Action::Send(data.clone()),
        });
    } else {
        expected.push(data.clone());
        talk.expected.extend_from_slice(data);
    }
}

/// How the replies compare with the recorded datagrams.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Identical,
    /// The first datagram that differs, by index from 0: the recorded one and the one that
    /// came (`None` past the end of either list).
    Differ {
        index: usize,
        expected: Option<Bytes>,
        got: Option<Bytes>,
    },
}

#[must_use]
pub fn compare(expected: &[Bytes], got: &[Bytes]) -> Verdict {
    let index = expected.iter().zip(got).position(|(a, b)| a != b);
    let index = index.unwrap_or(expected.len().min(got.len()));
    if index == expected.len() && index == got.len() {
        return Verdict::Identical;
    }
    Verdict::Differ { index, expected: expected.get(index).cloned(), got: got.get(index).cloned() }
}

/// Whether what came can no longer end as recorded: a datagram differs, or more came.
#[must_use]
pub fn diverged(expected: &[Bytes], got: &[Bytes]) -> bool {
    got.len() > expected.len() || expected.iter().zip(got).any(|(a, b)| a != b)
}

/// `6 B 68 65 6c 6c 6f 0a`, at most [`super::CONTEXT`] bytes shown; `none` for no datagram.
#[must_use]
pub fn describe(datagram: Option<&Bytes>) -> String {
    let Some(bytes) = datagram else { return "none".into() };
    let mut out = format!("{} B", bytes.len());
    if !bytes.is_empty() {
        let _ = write!(out, " {}", super::hex_window(&bytes[..bytes.len().min(super::CONTEXT)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::ConnId;

    fn ev(t_us: u64, kind: EventKind) -> Event {
        Event { kind, t_us }
    }

    fn udp(text: &str) -> Address {
        text.parse().unwrap()
    }

    fn sendto(peer: &str, data: &'static [u8]) -> EventKind {
        let data = Bytes::from_static(data);
        EventKind::SendTo {
            conn: ConnId(1),
            peer: udp(peer),
            requested: data.len(),
            len: data.len(),
            data,
        }
    }

    fn recvfrom(peer: &str, data: &'static [u8]) -> EventKind {
        let data = Bytes::from_static(data);
        EventKind::RecvFrom {
            conn: ConnId(1),
            peer: udp(peer),
            max: 64,
            len: data.len(),
            data,
            truncated: None,
        }
    }

    #[test]
    fn a_connected_socket_resends_each_datagram_and_expects_each_reply() {
        let peer = "udp:127.0.0.1:9";
        let events = vec![
            ev(
                0,
                EventKind::Connect { conn: ConnId(1), peer: udp(peer), pair: None, client: None },
            ),
            ev(
                1,
                EventKind::Connected {
                    conn: ConnId(1),
                    local: udp("udp:127.0.0.1:5"),
                    peer: udp(peer),
                },
            ),
            ev(2, sendto(peer, b"ab")),
            ev(3, sendto(peer, b"")),
            ev(4, recvfrom(peer, b"AB")),
            ev(5, recvfrom(peer, b"")),
            ev(6, EventKind::Shutdown { conn: ConnId(1), how: crate::event::How::Write }),
        ];
        let talk = super::super::conversation(events, None, super::super::Side::Client).unwrap();
        let sent: Vec<_> = talk.steps.iter().map(|s| s.action.clone()).collect();
        assert_eq!(sent, vec![Action::Send(Bytes::from_static(b"ab")), Action::Send(Bytes::new())]);
        assert_eq!(talk.datagrams, Some(vec![Bytes::from_static(b"AB"), Bytes::new()]));
        assert!(!talk.expected_eof);
    }

    #[test]
    fn a_bound_socket_plays_against_its_first_peer_only() {
        let (a, b) = ("udp:127.0.0.1:40000", "udp:127.0.0.1:40001");
        let events = vec![
            ev(0, EventKind::Listen { conn: ConnId(1), local: udp("udp:127.0.0.1:9") }),
            ev(1, recvfrom(a, b"one")),
            ev(2, recvfrom(b, b"other")),
            ev(3, sendto(a, b"ONE")),
            ev(4, sendto(b, b"OTHER")),
        ];
        let talk = super::super::conversation(events, None, super::super::Side::Client).unwrap();
        assert_eq!(talk.peer, Some(udp(a)));
        assert_eq!(talk.steps.len(), 1);
        assert_eq!(talk.datagrams, Some(vec![Bytes::from_static(b"ONE")]));
    }

    #[test]
    fn datagrams_compare_one_by_one_not_as_bytes() {
        let d = |s: &'static [u8]| Bytes::from_static(s);
        assert_eq!(compare(&[d(b"ab"), d(b"c")], &[d(b"ab"), d(b"c")]), Verdict::Identical);
        // The same bytes cut differently are a different conversation.
        let split = compare(&[d(b"ab"), d(b"c")], &[d(b"a"), d(b"bc")]);
        assert_eq!(
            split,
            Verdict::Differ { index: 0, expected: Some(d(b"ab")), got: Some(d(b"a")) }
        );
        let short = compare(&[d(b"ab"), d(b"c")], &[d(b"ab")]);
        assert_eq!(short, Verdict::Differ { index: 1, expected: Some(d(b"c")), got: None });
        assert!(diverged(&[d(b"ab")], &[d(b"ab"), d(b"")]));
        assert!(!diverged(&[d(b"ab"), d(b"c")], &[d(b"ab")]));
        assert_eq!(describe(Some(&d(b"hi"))), "2 B 68 69");
        assert_eq!(describe(None), "none");
    }
}
