//! Datagram sockets in the fold: an empty datagram is a message of its own, in the order it
//! came (also after a change of framing), and a flood of them stays within the memory cap.

use super::*;
use crate::framing::Spec;

fn udp(port: u16) -> Address {
    Address::Udp(([127, 0, 0, 1], port).into())
}

fn recvfrom(n: u64, data: &[u8]) -> EventKind {
    let data = Bytes::copy_from_slice(data);
    EventKind::RecvFrom {
        conn: id(n),
        peer: udp(40000),
        max: 65536,
        len: data.len(),
        data,
        truncated: None,
    }
}

fn bound(config: SessionConfig, datagrams: &[&[u8]]) -> Session {
    let mut kinds = vec![EventKind::Listen { conn: id(1), local: udp(9000) }];
    kinds.extend(datagrams.iter().map(|data| recvfrom(1, data)));
    fold_with(config, kinds)
}

/// Each message's body length, in order.
fn lengths(session: &Session, conn_id: ConnId) -> Vec<usize> {
    let conn = session.connection(conn_id).expect("the socket");
    conn.stream(Dir::In).messages().iter().map(|m| m.body_len).collect()
}

#[test]
fn empty_datagrams_are_messages_in_the_order_they_came() {
    let mut session = bound(SessionConfig::default(), &[b"", b"one", b"", b"", b"two", b""]);
    assert_eq!(lengths(&session, id(1)), [0, 3, 0, 0, 3, 0]);
    let stream = conn(&session, 1).stream(Dir::In);
    assert_eq!((stream.chunks().len(), stream.empty_datagrams()), (2, 4));
    assert_eq!(stream.empty_datagrams_at(3), 2);
    // The peer's flow holds them too.
    let flow = ConnId::flow(id(1), 1).expect("a flow id");
    assert_eq!(lengths(&session, flow), [0, 3, 0, 0, 3, 0]);
    // Framed again (back to datagrams), they keep their places.
    session.set_framing(Some(id(1)), Spec::Raw);
    session.set_framing(Some(id(1)), Spec::Datagram);
    assert_eq!(lengths(&session, id(1)), [0, 3, 0, 0, 3, 0]);
}

#[test]
fn an_empty_recv_on_a_stream_is_still_no_message() {
    let session = fold(vec![accept(2, 1), recv(2, b"")]);
    let stream = conn(&session, 2).stream(Dir::In);
    assert_eq!((stream.chunks().len(), stream.empty_datagrams()), (0, 0));
    assert!(!stream.holds_datagrams());
}

#[test]
fn a_flood_of_empty_datagrams_stays_within_the_cap() {
    let retain = 64 << 10;
    let config = SessionConfig { retain, ..SessionConfig::default() };
    let flood: Vec<&[u8]> = std::iter::repeat_n(&b""[..], 100_000).chain([&b"last"[..]]).collect();
    let session = bound(config, &flood);
    assert!(session.retained_memory() <= retain, "{} > {retain}", session.retained_memory());
    let stream = conn(&session, 1).stream(Dir::In);
    assert_eq!(stream.empty_datagrams(), 100_000, "counted, evicted ones included");
    let kept = stream.messages().len() as u64;
    assert!(kept < 100_000 && kept + stream.messages_dropped() == 100_001, "{kept}");
    assert_eq!(stream.messages().last().map(|m| m.body_len), Some(4));
}
