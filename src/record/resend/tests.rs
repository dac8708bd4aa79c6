use super::*;
use bytes::Bytes;

fn ev(t_us: u64, kind: EventKind) -> Event {
    Event { kind, t_us }
}

fn addr(text: &str) -> Address {
    text.parse().unwrap()
}

fn recv(conn: u64, t: u64, data: &'static [u8]) -> Event {
    ev(
        t,
        EventKind::Recv {
            conn: ConnId(conn),
            max: 64,
            len: data.len(),
            data: Bytes::from_static(data),
        },
    )
}

fn send(conn: u64, t: u64, data: &'static [u8]) -> Event {
    ev(
        t,
        EventKind::Send {
            conn: ConnId(conn),
            requested: data.len(),
            len: data.len(),
            data: Bytes::from_static(data),
        },
    )
}

/// A listener's view: the client sends a request in two pieces, half-closes, gets a reply.
fn served() -> Vec<Event> {
    vec![
        ev(0, EventKind::Listen { conn: ConnId(1), local: addr("127.0.0.1:9") }),
        ev(
            100,
            EventKind::Accept {
                conn: ConnId(2),
                listener: ConnId(1),
                local: addr("127.0.0.1:9"),
                peer: addr("127.0.0.1:5000"),
            },
        ),
        recv(2, 200, b"GET "),
        recv(2, 300, b"/\n"),
        ev(350, EventKind::Eof { conn: ConnId(2) }),
        send(2, 400, b"200 OK\n"),
        ev(500, EventKind::Shutdown { conn: ConnId(2), how: How::Write }),
    ]
}

#[test]
fn the_client_side_of_an_accepted_connection_is_what_it_received() {
    let talk = conversation(served(), None, Side::Client).unwrap();
    assert_eq!(talk.conn, ConnId(2));
    assert_eq!(talk.peer, Some(addr("127.0.0.1:5000")));
    let actions: Vec<(u64, usize, Action)> =
        talk.steps.iter().map(|s| (s.after_us, s.replies_before, s.action.clone())).collect();
    assert_eq!(
        actions,
        vec![
            (100, 0, Action::Send(Bytes::from_static(b"GET "))),
            (200, 0, Action::Send(Bytes::from_static(b"/\n"))),
            (250, 0, Action::Shutdown),
        ]
    );
    assert_eq!(talk.expected, b"200 OK\n");
    assert!(talk.expected_eof);
}

#[test]
fn the_server_side_waits_for_the_request_before_replying() {
    let talk = conversation(served(), Some(ConnId(2)), Side::Server).unwrap();
    assert_eq!(talk.expected, b"GET /\n");
    assert_eq!(talk.steps[0].replies_before, 6, "the reply went out after the whole request");
    assert_eq!(talk.steps[1].action, Action::Shutdown);
}

#[test]
fn missing_or_silent_connections_are_named() {
    assert!(
        conversation(served(), Some(ConnId(7)), Side::Client)
            .unwrap_err()
            .contains("no connection #7")
    );
    assert!(
        conversation(served(), Some(ConnId(1)), Side::Client)
            .unwrap_err()
            .contains("no connection #1")
    );
    let silent = served().into_iter().take(2).collect::<Vec<_>>();
    assert!(
        conversation(silent, Some(ConnId(2)), Side::Client)
            .unwrap_err()
            .contains("carried no data")
    );
}

#[test]
fn comparison_finds_the_first_difference() {
    assert_eq!(compare(b"abc", b"abc"), Verdict::Identical);
    assert_eq!(
        compare(b"abcd", b"abXd"),
        Verdict::Differ { at: 2, expected: b"cd".to_vec(), got: b"Xd".to_vec() }
    );
    assert_eq!(
        compare(b"abc", b"ab"),
        Verdict::Differ { at: 2, expected: b"c".to_vec(), got: vec![] }
    );
    assert_eq!(
        compare(b"ab", b"abc"),
        Verdict::Differ { at: 2, expected: vec![], got: b"c".to_vec() }
    );
    assert_eq!(hex_window(b"\x00\xff"), "00 ff");
    assert_eq!(hex_window(b""), "(nothing)");
    assert!(hex_window(&[0x41; CONTEXT]).ends_with(" ..."));
}

#[test]
fn a_splice_relays_bytes_make_the_conversation_copied_ones_make() {
    let spliced: Vec<Event> = served()
        .into_iter()
        .map(|event| {
            let kind = match event.kind {
                EventKind::Recv { conn, max, len, data } => {
                    EventKind::PipeRead { conn, max, len, data }
                }
                EventKind::Send { conn, requested, len, data } => {
                    EventKind::SpliceOut { conn, requested, len, data }
                }
                other => other,
            };
            ev(event.t_us, kind)
        })
        .collect();
    for side in [Side::Client, Side::Server] {
        let copied = conversation(served(), None, side).unwrap();
        assert!(!copied.steps.is_empty(), "{side:?}");
        assert_eq!(conversation(spliced.clone(), None, side), Ok(copied), "{side:?}");
    }
}
