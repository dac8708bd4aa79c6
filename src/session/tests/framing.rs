//! Framing in the model: messages as offsets across chunks, partial, leftover, errors, re-framing.

use super::*;
use crate::framing::{FramingError, Partial};

/// A message as (start, header, body, trailer, time).
type Shape = (u64, usize, usize, usize, u64);

/// Spec, chunks received, messages, partial, leftover.
type Case<'a> = (&'a str, &'a [&'a [u8]], Vec<Shape>, Option<Partial>, std::ops::Range<u64>);

fn shapes(stream: &Stream) -> Vec<Shape> {
    let shape = |m: &MessageInfo| (m.start, m.header_len, m.body_len, m.trailer_len, m.t_us);
    stream.messages().iter().map(shape).collect()
}

fn spec(text: &str) -> Spec {
    text.parse().unwrap_or_else(|error| panic!("{text}: {error}"))
}

fn with_framing(text: &str) -> SessionConfig {
    SessionConfig { framing: spec(text), ..SessionConfig::default() }
}

/// Accepts #2 (t=10), then receives each chunk (t=20, 30, ...).
fn received(config: SessionConfig, chunks: &[&[u8]]) -> Session {
    let kinds = [vec![accept(2, 1)], chunks.iter().map(|c| recv(2, c)).collect()].concat();
    fold_with(config, kinds)
}

fn partial(start: u64, have: usize, need: Option<usize>, header_len: usize) -> Partial {
    Partial { start, have, need, header_len, header_known: need.is_some() || header_len == 0 }
}

#[test]
fn messages_partial_and_leftover_across_chunks() {
    let line_chunks: &[&[u8]] = &[b"hel", b"lo\nwor", b"ld\r\nne"];
    let cases: Vec<Case> = vec![
        ("raw", line_chunks, vec![], None, 15..15),
        (
            "line",
            line_chunks,
            vec![(0, 0, 5, 1, 30), (6, 0, 5, 2, 40)],
            Some(partial(13, 2, None, 0)),
            13..15,
        ),
        (
            "fixed:3",
            line_chunks,
            vec![
                (0, 0, 3, 0, 20),
                (3, 0, 3, 0, 30),
                (6, 0, 3, 0, 30),
                (9, 0, 3, 0, 40),
                (12, 0, 3, 0, 40),
            ],
            None,
            15..15,
        ),
        (
            "len:u8",
            &[b"\x03ab", b"c\x05xy"],
            vec![(0, 1, 3, 0, 30)],
            Some(partial(4, 3, Some(6), 1)),
            4..7,
        ),
        ("ascii:2", &[b"0", b"2hi0"], vec![(0, 2, 2, 0, 30)], Some(partial(4, 1, None, 2)), 4..5),
        (
            "delim:2c2c",
            &[b"a,", b",b,"],
            vec![(0, 0, 1, 2, 30)],
            Some(partial(3, 2, None, 0)),
            3..5,
        ),
        ("eof", &[b"ab", b"cd"], vec![], Some(partial(0, 4, None, 0)), 0..4),
    ];
    for (text, chunks, expected, expected_partial, leftover) in cases {
        let session = received(with_framing(text), chunks);
        let stream = conn(&session, 2).stream(Dir::In);
        assert_eq!(shapes(stream), expected, "{text}");
        assert_eq!(stream.partial(), expected_partial, "{text}");
        assert_eq!(stream.leftover(), leftover, "{text}");
        assert_eq!(stream.framing_error(), None, "{text}");
        assert_eq!(session.framing_of(id(2)), Some(&spec(text)), "{text}");
    }
}

#[test]
fn message_bytes_are_read_through_the_stream() {
    let session = received(with_framing("line"), &[b"hel", b"lo\nwor", b"ld\r\nne"]);
    let stream = conn(&session, 2).stream(Dir::In);
    let mut out = Vec::new();
    let second = stream.messages()[1];
    stream.read(second.body(), &mut out);
    assert_eq!(out, b"world");
    stream.read(second.trailer(), &mut out);
    assert_eq!(out, b"\r\n");
    stream.read(stream.leftover(), &mut out);
    assert_eq!(out, b"ne");
    let cases = [
        (0, Some(0), Some(0)),
        (5, Some(1), Some(0)),
        (6, Some(1), Some(1)),
        (13, Some(2), None),
        (15, None, None),
    ];
    for (offset, chunk, message) in cases {
        assert_eq!(stream.chunk_index_at(offset), chunk, "chunk at {offset}");
        assert_eq!(stream.message_index_at(offset), message, "message at {offset}");
    }
}

#[test]
fn set_framing_reframes_retained_bytes_of_one_or_all_connections() {
    let mut session = fold_with(
        with_framing("line"),
        vec![
            accept(2, 1),
            accept(3, 1),
            recv(2, b"hel"),
            recv(2, b"lo\nwor"),
            send(2, 4, b"ok\n!"),
            recv(3, b"x\n"),
        ],
    );
    session.set_framing(Some(id(2)), spec("fixed:3"));
    let two = conn(&session, 2);
    assert_eq!(shapes(two.stream(Dir::In)), [(0, 0, 3, 0, 30), (3, 0, 3, 0, 40), (6, 0, 3, 0, 40)]);
    assert_eq!(two.stream(Dir::In).leftover(), 9..9);
    assert_eq!(shapes(two.stream(Dir::Out)), [(0, 0, 3, 0, 50)]);
    assert_eq!(session.framing_of(id(3)), Some(&Spec::Line), "others keep theirs");
    assert_eq!(session.default_framing(), &Spec::Line);

    session.set_framing(None, spec("fixed:1"));
    assert_eq!(conn(&session, 3).stream(Dir::In).messages().len(), 2);
    session.apply(&Event { kind: accept(4, 1), t_us: 100 });
    assert_eq!(session.framing_of(id(4)), Some(&Spec::Fixed(1)), "new connections follow");
}

#[test]
fn eof_framing_completes_when_the_direction_ends() {
    let session = fold_with(
        with_framing("eof"),
        vec![
            accept(2, 1),
            recv(2, b"ab"),
            recv(2, b"cd"),
            send(2, 1, b"x"),
            eof(2),
            shutdown(2, How::Write),
        ],
    );
    let two = conn(&session, 2);
    assert_eq!(shapes(two.stream(Dir::In)), [(0, 0, 4, 0, 50)]);
    assert_eq!(shapes(two.stream(Dir::Out)), [(0, 0, 1, 0, 60)]);
    assert_eq!(two.stream(Dir::In).partial(), None);
}

#[test]
fn framing_errors_stay_on_their_stream() {
    let config =
        SessionConfig { framing: spec("len:u8"), max_message: 4, ..SessionConfig::default() };
    let session =
        fold_with(config, vec![accept(2, 1), recv(2, b"\x02ab\x09xyz"), send(2, 1, b"\x01")]);
    let two = conn(&session, 2);
    let error = FramingError::TooLong { declared: 9, cap: 4, offset: 3 };
    assert_eq!(two.stream(Dir::In).framing_error(), Some(&error));
    assert_eq!(shapes(two.stream(Dir::In)), [(0, 1, 2, 0, 20)]);
    assert_eq!(two.stream(Dir::In).leftover(), 3..7, "the unframeable rest");
    assert_eq!(two.stream(Dir::Out).framing_error(), None);
    assert!(two.stream(Dir::Out).partial().is_some());
}

#[test]
fn an_invalid_spec_is_an_error_on_the_stream_not_a_panic() {
    let mut session = received(SessionConfig::default(), &[b"abc"]);
    session.set_framing(Some(id(2)), Spec::Fixed(0));
    let stream = conn(&session, 2).stream(Dir::In);
    assert!(matches!(stream.framing_error(), Some(FramingError::InvalidSpec(_))));
    assert!(stream.messages().is_empty());
}

#[test]
fn each_datagram_is_a_message_of_its_own_without_a_framing() {
    let udp = |port: u16| Address::Udp(([127, 0, 0, 1], port).into());
    let datagram = |text: &'static [u8], truncated: Option<usize>| EventKind::RecvFrom {
        conn: id(1),
        peer: udp(40000),
        max: 65536,
        len: text.len(),
        data: Bytes::from_static(text),
        truncated,
    };
    let kinds = vec![
        EventKind::Listen { conn: id(1), local: udp(9000) },
        datagram(b"one", None),
        datagram(b"two\n", None),
        datagram(b"and three", Some(12)),
    ];
    let session = fold_with(SessionConfig::default(), kinds.clone());
    let stream = conn(&session, 1).stream(Dir::In);
    assert_eq!(stream.spec(), &Spec::Datagram);
    let bodies: Vec<(u64, usize)> =
        stream.messages().iter().map(|m| (m.start, m.body_len)).collect();
    assert_eq!(bodies, [(0, 3), (3, 4), (7, 9)], "the boundaries are the datagrams'");
    assert_eq!(stream.partial(), None);
    let lined = fold_with(with_framing("line"), kinds);
    assert_eq!(conn(&lined, 1).stream(Dir::In).messages().len(), 1, "a framing asked for wins");
}

#[test]
fn a_bound_datagram_socket_is_open_and_counts_its_peers() {
    let udp = |port: u16| Address::Udp(([127, 0, 0, 1], port).into());
    let from = |port: u16, text: &'static [u8]| EventKind::RecvFrom {
        conn: id(1),
        peer: udp(port),
        max: 65536,
        len: text.len(),
        data: Bytes::from_static(text),
        truncated: None,
    };
    let echo = EventKind::SendTo {
        conn: id(1),
        peer: udp(5001),
        requested: 2,
        len: 2,
        data: Bytes::from_static(b"hi"),
    };
    let kinds = vec![
        EventKind::Listen { conn: id(1), local: udp(9000) },
        from(5001, b"hi"),
        from(5002, b""),
        echo,
    ];
    let session = fold_with(SessionConfig::default(), kinds);
    let bound = conn(&session, 1);
    assert_eq!((bound.role, bound.state), (Role::Bound, ConnState::Open));
    assert!(!bound.is_listener(), "it accepts nothing");
    let tallies: Vec<(String, u64, u64, u64)> = (bound.peers.iter())
        .map(|(peer, t)| (peer.to_string(), t.datagrams_in, t.bytes_in, t.datagrams_out))
        .collect();
    assert_eq!(
        tallies,
        [("udp:127.0.0.1:5001".into(), 1, 2, 1), ("udp:127.0.0.1:5002".into(), 1, 0, 0)],
        "an empty datagram is a datagram"
    );
}
