use super::*;
use crate::event::{
    ClosedBy, Dir, ErrorKind, FaultDir, FaultKind, FaultState, HoldId, How, InterceptState, Op,
    ReleaseAction, SelectView, SockOption, TlsStage,
};
use bytes::Bytes;

fn at(t_us: u64, kind: EventKind) -> String {
    human_line(&Event { kind, t_us })
}

fn addr(text: &str) -> Address {
    text.parse().expect("test address")
}

fn data(text: &'static str) -> Bytes {
    Bytes::from_static(text.as_bytes())
}

const C1: ConnId = ConnId(1);
const C2: ConnId = ConnId(2);
const C3: ConnId = ConnId(3);

type Case = (EventKind, &'static str);

fn lifecycle_cases() -> Vec<Case> {
    vec![
        (
            EventKind::Session {
                version: 1,
                tool: "sockscope 0.1.0".into(),
                start_unix_us: Some(1_796_541_000_123_456),
            },
            "session sockscope 0.1.0 (schema 1) started 2026-12-06T07:10:00.123456Z",
        ),
        (EventKind::Listen { conn: C1, local: addr("127.0.0.1:9000") }, "#1 listen 127.0.0.1:9000"),
        (
            EventKind::Accept {
                conn: C2,
                listener: C1,
                local: addr("127.0.0.1:9000"),
                peer: addr("127.0.0.1:53422"),
            },
            "#2 accept on #1 127.0.0.1:9000 <- 127.0.0.1:53422",
        ),
        (
            EventKind::Connect {
                conn: C3,
                peer: addr("127.0.0.1:9000"),
                pair: Some(C2),
                client: None,
            },
            "#3 connect -> 127.0.0.1:9000 (upstream of #2)",
        ),
        (
            EventKind::Connect { conn: C3, peer: addr("[::1]:80"), pair: None, client: None },
            "#3 connect -> [::1]:80",
        ),
        (
            EventKind::Connected {
                conn: C3,
                local: addr("127.0.0.1:41000"),
                peer: addr("127.0.0.1:9000"),
            },
            "#3 connected 127.0.0.1:41000 -> 127.0.0.1:9000",
        ),
        (EventKind::Shutdown { conn: C2, how: How::Write }, "#2 shutdown(write)"),
        (EventKind::Shutdown { conn: C2, how: How::Both }, "#2 shutdown(both)"),
        (EventKind::Reset { conn: C2 }, "#2 reset (SO_LINGER 0)"),
        (EventKind::Close { conn: C2, by: ClosedBy::Peer }, "#2 close (by peer)"),
        (EventKind::Close { conn: C2, by: ClosedBy::Error }, "#2 close (by error)"),
        (
            EventKind::Error {
                conn: C2,
                op: Op::Connect,
                kind: ErrorKind::Refused,
                message: "Connection refused (os error 111)".into(),
            },
            "#2 error connect: refused: Connection refused (os error 111)",
        ),
        (
            EventKind::Error {
                conn: C2,
                op: Op::Idle,
                kind: ErrorKind::TimedOut,
                message: "idle".into(),
            },
            "#2 error idle: timed_out: idle",
        ),
    ]
}

fn data_cases() -> Vec<Case> {
    vec![
        (
            EventKind::Recv { conn: C2, max: 65536, len: 5, data: data("hello") },
            "#2 recv(65536) -> 5 \"hello\"",
        ),
        (
            EventKind::Send { conn: C3, requested: 5, len: 5, data: data("hello") },
            "#3 send 5 -> 5 \"hello\"",
        ),
        (
            EventKind::Send { conn: C3, requested: 9, len: 2, data: data("he") },
            "#3 send 9 -> 2 (partial) \"he\"",
        ),
        (
            EventKind::Send { conn: C3, requested: 9, len: 0, data: Bytes::new() },
            "#3 send 9 -> 0 (partial)",
        ),
        (
            EventKind::RecvFrom {
                conn: C2,
                peer: "udp:127.0.0.1:5353".parse().expect("address"),
                max: 65536,
                len: 0,
                data: Bytes::new(),
                truncated: None,
            },
            "#2 recvfrom(65536) <- udp:127.0.0.1:5353 0 \"\"",
        ),
        (
            EventKind::RecvFrom {
                conn: C2,
                peer: "unixgram:@peer".parse().expect("address"),
                max: 2,
                len: 2,
                data: data("he"),
                truncated: Some(5),
            },
            "#2 recvfrom(2) <- unixgram:@peer 2 (truncated: 5 bytes, 3 lost) \"he\"",
        ),
        (
            EventKind::SendTo {
                conn: C3,
                peer: "udp:[::1]:53".parse().expect("address"),
                requested: 2,
                len: 2,
                data: data("hi"),
            },
            "#3 sendto -> udp:[::1]:53 2 -> 2 \"hi\"",
        ),
        (EventKind::WouldBlock { conn: C2, op: Op::Recv }, "#2 recv -> WouldBlock"),
        (EventKind::WouldBlock { conn: C1, op: Op::Accept }, "#1 accept -> WouldBlock"),
        (EventKind::Eof { conn: C2 }, "#2 recv -> 0 (EOF)"),
        (
            EventKind::Message { conn: C2, dir: Dir::In, len: 2, data: data("hi") },
            "#2 message in 2 \"hi\"",
        ),
    ]
}

fn state_cases() -> Vec<Case> {
    vec![
        (
            EventKind::Ready(Readiness {
                round: 12,
                readable: vec![C2, ConnId(4)],
                ..Readiness::default()
            }),
            "round 12: epoll readable [2 4] writable [] error [] read_closed [] write_closed []",
        ),
        (
            EventKind::Ready(Readiness {
                round: 13,
                error: vec![C1],
                still_readable: vec![C2],
                still_writable: vec![C3, C1],
                select: Some(Box::new(SelectView {
                    readable: vec![C1, C2],
                    writable: vec![C1, C3],
                    exceptional: vec![],
                })),
                ..Readiness::default()
            }),
            "round 13: epoll readable [] writable [] error [1] read_closed [] write_closed [] \
             still readable [2] still writable [3 1]; \
             select() readable [1 2] writable [1 3] exceptional []",
        ),
        (
            EventKind::Option { conn: C2, option: SockOption::SndBuf(16384) },
            "#2 option sndbuf=16384",
        ),
        (EventKind::Option { conn: C2, option: SockOption::NoDelay(true) }, "#2 option nodelay=on"),
        (EventKind::Option { conn: C2, option: SockOption::Linger(None) }, "#2 option linger=off"),
        (
            EventKind::Option { conn: C2, option: SockOption::Linger(Some(0)) },
            "#2 option linger=0s (close sends RST)",
        ),
        (EventKind::Interest { conn: C2, read: true, write: true }, "#2 interest read write"),
        (EventKind::Interest { conn: C2, read: false, write: false }, "#2 interest none"),
        (
            EventKind::Blocked { conn: Some(C2), waited_us: 1_250_000 },
            "#2 blocked for 1.250 s, not returned yet",
        ),
        (
            EventKind::Blocked { conn: None, waited_us: 200_000 },
            "blocked for 0.200 s, not returned yet",
        ),
        (
            EventKind::Fault {
                conn: C2,
                dir: FaultDir::Up,
                kind: FaultKind::ShutAfter,
                state: FaultState::Tripped,
                detail: "shutdown(write) on #3".into(),
            },
            "#2 fault up shut-after tripped: shutdown(write) on #3",
        ),
        (
            EventKind::Intercept {
                conn: C2,
                dir: FaultDir::Up,
                state: InterceptState::On,
                framing: "line".into(),
                pattern: String::new(),
            },
            "#2 intercept up on: line every message",
        ),
        (
            EventKind::Held {
                conn: C2,
                dir: FaultDir::Down,
                id: HoldId(4),
                len: 3,
                data: Bytes::from_static(b"a\n\x1b"),
            },
            "#2 held down h4 3 \"a\\n\\x1b\"",
        ),
        (
            EventKind::Released {
                conn: C2,
                dir: FaultDir::Up,
                id: HoldId(4),
                action: ReleaseAction::Edit,
                len: 2,
                data: Bytes::from_static(b"ok"),
            },
            "#2 released up h4 edit 2 \"ok\"",
        ),
        (
            EventKind::Inject {
                conn: C2,
                dir: FaultDir::Up,
                len: 2,
                data: Bytes::from_static(b"hi"),
            },
            "#2 inject up 2 \"hi\"",
        ),
    ]
}

fn tls_cases() -> Vec<Case> {
    vec![
        (
            EventKind::Tls {
                conn: C2,
                stage: TlsStage::ClientHello {
                    sni: Some("example.com".into()),
                    alpn: vec!["h2".into(), "http/1.1".into()],
                    versions: vec!["TLSv1.3".into(), "TLSv1.2".into()],
                },
            },
            "#2 tls client_hello sni=example.com alpn=[h2,http/1.1] versions=[TLSv1.3,TLSv1.2]",
        ),
        (
            EventKind::TlsRead { conn: C2, len: 2, data: Bytes::from_static(b"ok") },
            "#2 tls_read -> 2 \"ok\"",
        ),
        (
            EventKind::TlsWrite { conn: C2, requested: 2, len: 2, data: Bytes::from_static(b"hi") },
            "#2 tls_write 2 -> 2 \"hi\"",
        ),
    ]
}

/// `--relay splice`: each call named as made, the bytes shown where they reach user space.
fn splice_cases() -> Vec<(EventKind, &'static str)> {
    vec![
        (EventKind::SpliceIn { conn: C2, max: 65536, len: 2 }, "#2 splice(65536) socket -> pipe 2"),
        (EventKind::Tee { conn: C2, len: 2 }, "#2 tee pipe -> pipe 2"),
        (
            EventKind::PipeRead { conn: C2, max: 2, len: 2, data: Bytes::from_static(b"hi") },
            "#2 read pipe(2) -> 2 \"hi\"",
        ),
        (
            EventKind::SpliceOut { conn: C2, requested: 2, len: 1, data: Bytes::from_static(b"h") },
            "#2 splice pipe -> socket 2 -> 1 (partial) \"h\"",
        ),
        (EventKind::WouldBlock { conn: C2, op: Op::Splice }, "#2 splice -> WouldBlock"),
    ]
}

/// Position of each kind in a list of all kinds; a new kind fails to compile here until the
/// tables above cover it.
fn kind_index(kind: &EventKind) -> usize {
    use EventKind as K;
    match kind {
        K::Session { .. } => 0,
        K::Listen { .. } => 1,
        K::Accept { .. } => 2,
        K::Connect { .. } => 3,
        K::Connected { .. } => 4,
        K::Ready(_) => 5,
        K::Recv { .. } => 6,
        K::Send { .. } => 7,
        K::WouldBlock { .. } => 8,
        K::Eof { .. } => 9,
        K::Shutdown { .. } => 10,
        K::Reset { .. } => 11,
        K::Close { .. } => 12,
        K::Error { .. } => 13,
        K::Option { .. } => 14,
        K::Interest { .. } => 15,
        K::Message { .. } => 16,
        K::Fault { .. } => 17,
        K::Intercept { .. } => 18,
        K::Held { .. } => 19,
        K::Released { .. } => 20,
        K::Inject { .. } => 21,
        K::RecvFrom { .. } => 22,
        K::SendTo { .. } => 23,
        K::Blocked { .. } => 24,
        K::Tls { .. } => 25,
        K::TlsRead { .. } => 26,
        K::TlsWrite { .. } => 27,
        K::SpliceIn { .. } => 28,
        K::Tee { .. } => 29,
        K::PipeRead { .. } => 30,
        K::SpliceOut { .. } => 31,
    }
}
const KIND_COUNT: usize = 32;

#[test]
fn every_event_kind_has_its_line() {
    let mut covered = [false; KIND_COUNT];
    let cases = [lifecycle_cases(), data_cases(), state_cases(), tls_cases(), splice_cases()];
    for (kind, expected) in cases.concat() {
        covered[kind_index(&kind)] = true;
        assert_eq!(at(120, kind), format!("  0.000120 {expected}"));
    }
    assert_eq!(covered, [true; KIND_COUNT], "every kind has a case");
}

#[test]
fn time_is_seconds_with_six_decimals() {
    let cases = [
        (0, "  0.000000"),
        (1, "  0.000001"),
        (1_500_000, "  1.500000"),
        (1_234_567_890, "1234.567890"),
    ];
    for (t_us, expected) in cases {
        let line = at(t_us, EventKind::Eof { conn: ConnId(1) });
        assert_eq!(line, format!("{expected} #1 recv -> 0 (EOF)"));
    }
}

#[test]
fn long_payloads_are_cut_to_the_preview_size() {
    let data = Bytes::from(vec![b'a'; 100]);
    let line = at(0, EventKind::Recv { conn: ConnId(2), max: 4096, len: 100, data });
    let expected = format!("  0.000000 #2 recv(4096) -> 100 \"{}\"...", "a".repeat(PREVIEW_BYTES));
    assert_eq!(line, expected);
}

#[test]
fn peer_bytes_never_reach_the_terminal_raw() {
    let hostile: &[u8] = b"\x1b]52;c;AAAA\x07\x1b[6n\r\n\x00\xff\xe2\x80\xae";
    let lines = [
        at(
            0,
            EventKind::Recv {
                conn: ConnId(2),
                max: 64,
                len: hostile.len(),
                data: Bytes::from_static(hostile),
            },
        ),
        at(
            0,
            EventKind::Accept {
                conn: ConnId(2),
                listener: ConnId(1),
                local: addr("unix:/tmp/s"),
                peer: Address::Unix(String::from_utf8_lossy(hostile).into_owned().into()),
            },
        ),
        at(
            0,
            EventKind::Error {
                conn: ConnId(2),
                op: Op::Recv,
                kind: ErrorKind::Other,
                message: String::from_utf8_lossy(hostile).into_owned(),
            },
        ),
    ];
    let dangerous = |c: char| {
        c.is_control()
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    };
    for line in lines {
        assert!(!line.chars().any(dangerous), "{line:?}");
    }
}

#[test]
fn bytes_shows_as_much_of_each_chunk_as_asked() {
    let data = Bytes::from(vec![b'a'; 100]);
    let recv = Event { kind: EventKind::Recv { conn: C2, max: 4096, len: 100, data }, t_us: 0 };
    let all = human_line_showing(&recv, Preview::All);
    assert!(all.ends_with(&format!("\"{}\"", "a".repeat(100))), "{all}");
    let two = human_line_showing(&recv, "2".parse().unwrap());
    assert!(two.ends_with("\"aa\"..."), "{two}");
    assert!(human_line(&recv).ends_with(&format!("\"{}\"...", "a".repeat(PREVIEW_BYTES))));
    assert_eq!("all".parse::<Preview>(), Ok(Preview::All));
    assert!("lots".parse::<Preview>().unwrap_err().contains("'lots'"));
}

#[test]
fn a_traced_readiness_call_is_named_as_the_call_that_returned_it() {
    use crate::event::SelectView;
    let select = Readiness {
        round: 4,
        select: Some(Box::new(SelectView { readable: vec![C2], ..SelectView::default() })),
        ..Readiness::default()
    };
    assert_eq!(
        super::traced_ready_line(120, &select, "select"),
        "  0.000120 round 4: select() readable [2] writable [] exceptional []"
    );
    let poll = Readiness { round: 5, writable: vec![C2], ..Readiness::default() };
    let line = super::traced_ready_line(120, &poll, "poll");
    assert_eq!(
        line,
        "  0.000120 round 5: poll readable [] writable [2] error [] read_closed [] write_closed []"
    );
    assert!(!line.contains("epoll"), "a poll is not epoll's edges");
}
