//! Golden recordings, committed under `tests/golden/`: every run reads them and checks the
//! events against the JSON Lines stored beside them, so a change that would make old
//! recordings unreadable, or read differently, fails here.
//!
//! `all-kinds-v2.9.sscope` (the version this build writes) holds every event kind with every
//! field, a proxy's relayed sends, TLS secrets (key log lines), a traced program's calls
//! with their call sites, and a `--relay splice` pair's `splice_in`, `tee`, `pipe_read` and
//! `splice_out` with relayed splices (2.9 added them and the `splice`, `tee` and `read` ops);
//! it is also re-encoded and must come out byte for byte the same. The older files were
//! written by earlier versions and must stay readable: `all-kinds-v2.8.sscope` holds the same
//! without the splice relay (2.8 added the `call_site` record), `all-kinds-v2.7.sscope` holds
//! the same events and secrets without the traced calls, `all-kinds-v2.6.sscope` holds the same events without the secrets (2.7
//! added them), `all-kinds-v2.5.sscope` holds the same events without TLS's (2.6 added `tls`, `tls_read`
//! and `tls_write`), `all-kinds-v2.4.sscope` holds the same events without datagram sockets
//! (2.5 added them), `all-kinds-v2.3.sscope` holds the same events without the intercept's (2.4 added
//! `intercept`, `held`, `released` and `inject`), `all-kinds-v2.2.sscope` holds the same events without the session's start time (2.3
//! appended it), `all-kinds-v2.1.sscope` holds the same events without the `fault` event (2.2 added it),
//! `all-kinds-v2.0.sscope` holds the same events without `select()`'s lists (2.1 appended them
//! to `ready`), `all-kinds-v1.0.sscope` also has every send's payload, and `demo-v1.0.sscope`
//! is a real session (`sockscope demo --headless --record`). To write the current version's
//! files again after a deliberate format change (which needs a new version):
//! `SOCKSCOPE_BLESS=1 cargo test --test record_golden`.

mod support;

use bytes::Bytes;
use sockscope::event::{
    Address, CallSite, ClosedBy, ConnId, Dir, ErrorKind, Event, EventKind, FaultDir, FaultKind,
    FaultState, HoldId, How, InterceptState, Op, Readiness, ReleaseAction, SelectView, SockOption,
    TlsBy, TlsEstablished, TlsStage,
};
use sockscope::record::{Encoder, ReadStatus, Reader, StartInfo};
use std::net::{SocketAddr, SocketAddrV6};
use std::path::PathBuf;

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name)
}

fn ip(text: &str) -> Address {
    Address::Ip(text.parse().unwrap())
}

const START: u64 = 1_750_000_000_000_000;

fn all_kinds() -> Vec<Event> {
    let c = ConnId(2);
    let scoped = SocketAddr::V6(SocketAddrV6::new("fe80::1".parse().unwrap(), 8080, 5, 3));
    let big: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
    let kinds = vec![
        EventKind::Session { version: 1, tool: "sockscope 0.1.0".into(), start_unix_us: None },
        EventKind::Listen { conn: ConnId(1), local: ip("127.0.0.1:9000") },
        EventKind::Listen { conn: ConnId(5), local: Address::Unix("/tmp/golden.sock".into()) },
        EventKind::Accept {
            conn: c,
            listener: ConnId(1),
            local: ip("127.0.0.1:9000"),
            peer: ip("127.0.0.1:40001"),
        },
        EventKind::Connect {
            conn: ConnId(3),
            peer: Address::Ip(scoped),
            pair: Some(c),
            client: None,
        },
        EventKind::Connected {
            conn: ConnId(3),
            local: ip("[::1]:40002"),
            peer: Address::Ip(scoped),
        },
        EventKind::Option { conn: c, option: SockOption::NoDelay(true) },
        EventKind::Option { conn: c, option: SockOption::SndBuf(16_384) },
        EventKind::Option { conn: c, option: SockOption::RcvBuf(8192) },
        EventKind::Option { conn: c, option: SockOption::KeepAlive(true) },
        EventKind::Option { conn: c, option: SockOption::Linger(Some(0)) },
        EventKind::Option { conn: c, option: SockOption::Linger(None) },
        EventKind::Interest { conn: c, read: true, write: false },
        EventKind::Ready(Readiness {
            round: 1,
            readable: vec![c],
            writable: vec![ConnId(3)],
            error: vec![],
            read_closed: vec![ConnId(4)],
            write_closed: vec![],
            still_readable: vec![ConnId(3)],
            still_writable: vec![c],
            select: Some(Box::new(SelectView {
                readable: vec![c, ConnId(3)],
                writable: vec![c, ConnId(3)],
                exceptional: vec![],
            })),
        }),
        EventKind::Recv {
            conn: c,
            max: 65_536,
            len: 7,
            data: Bytes::from_static(b"\x00\x05hello"),
        },
        EventKind::Send {
            conn: ConnId(3),
            requested: 7,
            len: 4,
            data: Bytes::from_static(b"\x00\x05he"),
        },
        EventKind::WouldBlock { conn: ConnId(3), op: Op::Send },
        EventKind::Send { conn: ConnId(3), requested: 3, len: 3, data: Bytes::from_static(b"llo") },
        EventKind::Recv {
            conn: ConnId(3),
            max: 1 << 20,
            len: big.len(),
            data: Bytes::from(big.clone()),
        },
        EventKind::Message { conn: c, dir: Dir::In, len: 5, data: Bytes::from_static(b"hello") },
        EventKind::WouldBlock { conn: c, op: Op::Recv },
        EventKind::Eof { conn: c },
        EventKind::Shutdown { conn: ConnId(3), how: How::Write },
        EventKind::Error {
            conn: ConnId(3),
            op: Op::Recv,
            kind: ErrorKind::Reset,
            message: "Connection reset by peer (os error 104)".into(),
        },
        EventKind::Close { conn: ConnId(3), by: ClosedBy::Reset },
        EventKind::Reset { conn: c },
        EventKind::Close { conn: c, by: ClosedBy::Local },
        EventKind::Error {
            conn: ConnId(4),
            op: Op::Connect,
            kind: ErrorKind::Refused,
            message: "Connection refused".into(),
        },
        EventKind::Close { conn: ConnId(4), by: ClosedBy::Error },
        EventKind::Close { conn: ConnId(1), by: ClosedBy::Local },
    ];
    kinds.into_iter().zip(0u64..).map(|(kind, i)| Event { kind, t_us: i * 250 }).collect()
}

/// Every kind of format 2.2: the 2.1 kinds and a `fault` event.
fn all_kinds_v22() -> Vec<Event> {
    let mut events = all_kinds();
    let t_us = events.last().map_or(0, |e| e.t_us + 250);
    let kind = EventKind::Fault {
        conn: ConnId(2),
        dir: FaultDir::Down,
        kind: FaultKind::ShutAfter,
        state: FaultState::Tripped,
        detail: "shutdown(write) on #2 once the bytes before it are sent".into(),
    };
    events.insert(events.len() - 1, Event { kind, t_us });
    let last = events.len() - 1;
    events[last].t_us = t_us + 250;
    events
}

/// Every kind of format 2.3: the 2.2 kinds, the session with its wall-clock start.
fn all_kinds_v23() -> Vec<Event> {
    let mut events = all_kinds_v22();
    if let EventKind::Session { start_unix_us, .. } = &mut events[0].kind {
        *start_unix_us = Some(START - 1_500_000);
    }
    events
}

/// Every kind of format 2.4: the 2.3 kinds and what an intercept reports.
fn all_kinds_v24() -> Vec<Event> {
    let mut events = all_kinds_v23();
    let (conn, dir, id) = (ConnId(2), FaultDir::Up, HoldId(1));
    let state = InterceptState::On;
    let (framing, pattern) = ("line".to_owned(), "re:^GET \\x00".to_owned());
    let added = [
        EventKind::Intercept { conn, dir, state, framing, pattern },
        EventKind::Held { conn, dir, id, len: 4, data: Bytes::from_static(b"GET\n") },
        EventKind::Released {
            conn,
            dir,
            id,
            action: ReleaseAction::Edit,
            len: 5,
            data: Bytes::from_static(b"PUT\0\n"),
        },
        EventKind::Inject {
            conn,
            dir: FaultDir::Down,
            len: 2,
            data: Bytes::from_static(b"\xff\n"),
        },
    ];
    let mut t_us = events[events.len() - 2].t_us;
    for kind in added {
        t_us += 10;
        events.insert(events.len() - 1, Event { kind, t_us });
    }
    events
}

/// Every kind of format 2.5: the 2.4 kinds and datagram sockets (UDP and Unix, a path and an
/// abstract name): `recvfrom` (empty, truncated), `sendto`, and the `msg_size` error.
fn all_kinds_v25() -> Vec<Event> {
    let mut events = all_kinds_v24();
    let udp = |text: &str| Address::Udp(text.parse().unwrap());
    let (bound, connected) = (ConnId(40), ConnId(41));
    let peer = udp("[::1]:5353");
    let data = |bytes: &'static [u8]| Bytes::from_static(bytes);
    let kinds = vec![
        EventKind::Listen { conn: bound, local: udp("127.0.0.1:9053") },
        EventKind::RecvFrom {
            conn: bound,
            peer: udp("127.0.0.1:40000"),
            max: 65536,
            len: 0,
            data: Bytes::new(),
            truncated: None,
        },
        EventKind::RecvFrom {
            conn: bound,
            peer: udp("127.0.0.1:40000"),
            max: 4,
            len: 4,
            data: data(b"trun"),
            truncated: Some(9),
        },
        EventKind::SendTo {
            conn: bound,
            peer: udp("127.0.0.1:40000"),
            requested: 4,
            len: 4,
            data: data(b"trun"),
        },
        EventKind::Connect { conn: connected, peer: peer.clone(), pair: None, client: None },
        EventKind::Connect {
            conn: ConnId(44),
            peer: udp("127.0.0.1:53"),
            pair: Some(bound),
            client: Some(udp("127.0.0.1:40000")),
        },
        EventKind::Connected { conn: connected, local: udp("[::1]:40001"), peer },
        EventKind::Error {
            conn: connected,
            op: Op::Send,
            kind: ErrorKind::MsgSize,
            message: "Message too long (os error 90)".into(),
        },
        EventKind::Listen {
            conn: ConnId(42),
            local: Address::UnixDatagram("/tmp/sockscope.dgram".into()),
        },
        EventKind::RecvFrom {
            conn: ConnId(42),
            peer: Address::UnixDatagram("@client".into()),
            max: 65536,
            len: 2,
            data: data(b"hi"),
            truncated: None,
        },
        EventKind::Listen { conn: ConnId(43), local: Address::Unix("@abstract".into()) },
    ];
    let mut t_us = events.last().map_or(0, |e| e.t_us);
    let at = events.len() - 1;
    for (i, kind) in kinds.into_iter().enumerate() {
        t_us += 250;
        events.insert(at + i, Event { kind, t_us });
    }
    let last = events.len() - 1;
    events[last].t_us = t_us + 250;
    events
}

/// Every kind of format 2.6: the 2.5 kinds and what a TLS connection reports.
fn all_kinds_v26() -> Vec<Event> {
    let mut events = all_kinds_v25();
    let conn = ConnId(2);
    let added = [
        EventKind::Tls {
            conn,
            stage: TlsStage::ClientHello {
                sni: Some("localhost".into()),
                alpn: vec!["h2".into(), "http/1.1".into()],
                versions: vec!["TLSv1.3".into(), "TLSv1.2".into()],
            },
        },
        EventKind::Tls {
            conn,
            stage: TlsStage::Established(Box::new(TlsEstablished {
                version: "TLSv1.3".into(),
                cipher: "TLS13_AES_256_GCM_SHA384".into(),
                alpn: Some("h2".into()),
                sni: Some("localhost".into()),
                subject: Some("CN=localhost".into()),
                issuer: Some("CN=sockscope local CA".into()),
                not_after: Some("2027-12-06T00:00:00Z".into()),
            })),
        },
        EventKind::TlsWrite { conn, requested: 3, len: 3, data: Bytes::from_static(b"hi\n") },
        EventKind::TlsRead { conn, len: 3, data: Bytes::from_static(b"ok\n") },
        EventKind::Tls {
            conn,
            stage: TlsStage::Alert {
                level: "fatal".into(),
                description: "bad_certificate".into(),
                by: TlsBy::Peer,
            },
        },
        EventKind::Tls { conn, stage: TlsStage::CloseNotify { by: TlsBy::Local } },
        EventKind::Error {
            conn,
            op: Op::Recv,
            kind: ErrorKind::Tls,
            message: "TLS: the peer sent a fatal alert: bad_certificate".into(),
        },
    ];
    let mut t_us = events[events.len() - 2].t_us;
    for kind in added {
        t_us += 10;
        events.insert(events.len() - 1, Event { kind, t_us });
    }
    events
}

/// Every kind of format 2.7: the 2.6 kinds; 2.7 added no event, only the TLS secrets record
/// ([`SECRETS`]), written after the first event.
fn all_kinds_v27() -> Vec<Event> {
    all_kinds_v26()
}

/// The key log lines of the 2.7 file: a TLS 1.3 handshake's and a TLS 1.2 one's.
const SECRETS: &str = "CLIENT_HANDSHAKE_TRAFFIC_SECRET 0101010101010101010101010101010101010101010101010101010101010101 \
aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
SERVER_HANDSHAKE_TRAFFIC_SECRET 0101010101010101010101010101010101010101010101010101010101010101 \
bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
CLIENT_RANDOM 0202020202020202020202020202020202020202020202020202020202020202 \
cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc
";
/// Every kind of format 2.8: the 2.7 kinds (the 2.6 ones), then a traced program's calls, each after its
/// call site (a snapped send among them).
fn all_kinds_v28() -> Vec<(Event, Option<CallSite>)> {
    let mut events: Vec<(Event, Option<CallSite>)> =
        all_kinds_v26().into_iter().map(|event| (event, None)).collect();
    let conn = ConnId(9);
    let site = |syscall, fd, call| Some(CallSite { pid: 4242, syscall, fd, call });
    let ready = Readiness {
        round: 1,
        readable: vec![],
        writable: vec![],
        error: vec![],
        read_closed: vec![],
        write_closed: vec![],
        still_readable: vec![],
        still_writable: vec![],
        select: Some(Box::new(SelectView {
            readable: vec![conn],
            writable: vec![],
            exceptional: vec![],
        })),
    };
    let added = [
        (
            EventKind::Connect { conn, peer: ip("127.0.0.1:9000"), pair: None, client: None },
            site("connect", Some(3), None),
        ),
        (
            EventKind::Send { conn, requested: 10, len: 10, data: Bytes::from_static(b"0123") },
            site("sendto", Some(3), None),
        ),
        (EventKind::Ready(ready), site("pselect6", None, Some("select"))),
        (
            EventKind::Recv { conn, max: 7, len: 7, data: Bytes::from_static(b"abcdefg") },
            site("recvfrom", Some(3), None),
        ),
        (EventKind::Close { conn, by: ClosedBy::Local }, site("close", Some(3), None)),
    ];
    let mut t_us = events[events.len() - 2].0.t_us;
    for (kind, site) in added {
        t_us += 10;
        events.insert(events.len() - 1, (Event { kind, t_us }, site));
    }
    events
}

/// Every kind of format 2.9: the 2.8 events, then a `--relay splice` proxy pair's. One way the
/// chunks are relayed splices (a `splice_out` of the bytes its pair's `pipe_read` saw, written
/// as a relayed splice, record 0x32); after a `send` written with its payload ends the queue,
/// a `splice_out` carries its own (record 0x31). `WouldBlock` and `Error` with each new op.
fn all_kinds_v29() -> Vec<(Event, Option<CallSite>)> {
    let mut events = all_kinds_v28();
    let (client, server) = (ConnId(20), ConnId(21));
    let data = |bytes: &'static [u8]| Bytes::from_static(bytes);
    let error = |conn, op, kind, message: &str| EventKind::Error {
        conn,
        op,
        kind,
        message: message.into(),
    };
    let added = [
        EventKind::Accept {
            conn: client,
            listener: ConnId(1),
            local: ip("127.0.0.1:9000"),
            peer: ip("127.0.0.1:40020"),
        },
        EventKind::Connect {
            conn: server,
            peer: ip("127.0.0.1:9001"),
            pair: Some(client),
            client: None,
        },
        EventKind::Connected {
            conn: server,
            local: ip("127.0.0.1:40021"),
            peer: ip("127.0.0.1:9001"),
        },
        EventKind::SpliceIn { conn: client, max: 65_536, len: 9 },
        EventKind::Tee { conn: client, len: 9 },
        EventKind::PipeRead { conn: client, max: 9, len: 9, data: data(b"\x00\x07spliced") },
        EventKind::SpliceOut { conn: server, requested: 9, len: 4, data: data(b"\x00\x07sp") },
        EventKind::WouldBlock { conn: server, op: Op::Splice },
        EventKind::SpliceOut { conn: server, requested: 5, len: 5, data: data(b"liced") },
        EventKind::WouldBlock { conn: client, op: Op::Splice },
        EventKind::SpliceIn { conn: server, max: 65_536, len: 3 },
        EventKind::Tee { conn: server, len: 3 },
        EventKind::PipeRead { conn: server, max: 3, len: 3, data: data(b"ok\n") },
        EventKind::SpliceOut { conn: client, requested: 3, len: 3, data: data(b"ok\n") },
        EventKind::Send { conn: server, requested: 2, len: 2, data: data(b"!\n") },
        EventKind::SpliceIn { conn: client, max: 65_536, len: 4 },
        EventKind::Tee { conn: client, len: 4 },
        EventKind::PipeRead { conn: client, max: 4, len: 4, data: data(b"more") },
        EventKind::SpliceOut { conn: server, requested: 4, len: 4, data: data(b"more") },
        EventKind::WouldBlock { conn: client, op: Op::Tee },
        EventKind::WouldBlock { conn: client, op: Op::Read },
        error(client, Op::Tee, ErrorKind::Other, "Cannot allocate memory (os error 12)"),
        error(client, Op::Read, ErrorKind::Other, "Bad file descriptor (os error 9)"),
        error(server, Op::Splice, ErrorKind::Reset, "Connection reset by peer (os error 104)"),
        EventKind::Close { conn: server, by: ClosedBy::Error },
        EventKind::Close { conn: client, by: ClosedBy::Local },
    ];
    let mut t_us = events[events.len() - 2].0.t_us;
    for kind in added {
        t_us += 10;
        events.insert(events.len() - 1, (Event { kind, t_us }, None));
    }
    let last = events.len() - 1;
    events[last].0.t_us = t_us + 250;
    events
}

/// [`encode`], each call site before its event, and [`SECRETS`] after the first event.
fn encode_sited(events: &[(Event, Option<CallSite>)]) -> Vec<u8> {
    let start = StartInfo {
        created_unix_us: START,
        tool: "sockscope 0.1.0".into(),
        framing: Some(("len:u16be".into(), 16 << 20)),
    };
    let mut encoder = Encoder::with_start(Vec::new(), &start).unwrap();
    encoder.write_clock(START + 10, 0).unwrap();
    for (i, (event, site)) in events.iter().enumerate() {
        if let Some(site) = site {
            encoder.write_call_site(site, event).unwrap();
        }
        encoder.write_event(event).unwrap();
        if i == 0 {
            encoder.write_tls_secrets(SECRETS).unwrap();
        }
    }
    encoder.finish().unwrap()
}

/// Every event of `bytes` with the call site it was read with.
fn read_sited(bytes: &[u8]) -> Vec<(Event, Option<CallSite>)> {
    let mut reader = Reader::new(bytes).unwrap();
    let mut read = Vec::new();
    while let Some((_, event)) = reader.next() {
        read.push((event, reader.site()));
    }
    assert_eq!(reader.ending().map(|e| &e.status), Some(&ReadStatus::Complete));
    read
}

/// The lines `export --format jsonl` writes: a traced call's with its `pid`, `syscall`, `fd`.
fn sited_jsonl(events: &[(Event, Option<CallSite>)]) -> String {
    let mut out = Vec::new();
    for (event, site) in events {
        event.write_traced_json_line(site.as_ref(), &mut out).unwrap();
    }
    String::from_utf8(out).unwrap()
}

/// The same events as a file written before format 2.1 holds them: `ready` without `select`.
fn without_select(mut events: Vec<Event>) -> Vec<Event> {
    for event in &mut events {
        if let EventKind::Ready(ready) = &mut event.kind {
            ready.select = None;
        }
    }
    events
}

fn jsonl(events: &[Event]) -> String {
    events.iter().map(|e| e.to_json_line() + "\n").collect()
}

#[test]
fn golden_recordings_read_as_their_json_lines() {
    if std::env::var_os("SOCKSCOPE_BLESS").is_some() {
        let events = all_kinds_v29();
        std::fs::write(golden("all-kinds-v2.9.sscope"), encode_sited(&events)).unwrap();
        std::fs::write(golden("all-kinds-v2.9.events.jsonl"), sited_jsonl(&events)).unwrap();
    }
    for name in [
        "all-kinds-v1.0",
        "demo-v1.0",
        "all-kinds-v2.0",
        "all-kinds-v2.1",
        "all-kinds-v2.2",
        "all-kinds-v2.3",
        "all-kinds-v2.4",
        "all-kinds-v2.5",
        "all-kinds-v2.6",
        "all-kinds-v2.7",
    ] {
        let file = golden(&format!("{name}.sscope"));
        let (events, ending) = Reader::open(&file).expect("a golden recording").read_all();
        assert_eq!(ending.status, ReadStatus::Complete, "{name}");
        assert_eq!(ending.skipped_unknown, 0);
        let expected = std::fs::read_to_string(golden(&format!("{name}.events.jsonl"))).unwrap();
        assert_eq!(jsonl(&events), expected, "{name}: the recorded events");
    }
    let events = all_kinds();
    for (version, expected) in [
        ("v1.0", without_select(events.clone())),
        ("v2.0", without_select(events.clone())),
        ("v2.1", events.clone()),
        ("v2.2", all_kinds_v22()),
        ("v2.3", all_kinds_v23()),
        ("v2.4", all_kinds_v24()),
        ("v2.5", all_kinds_v25()),
        ("v2.6", all_kinds_v26()),
        ("v2.7", all_kinds_v27()),
    ] {
        let bytes = std::fs::read(golden(&format!("all-kinds-{version}.sscope"))).unwrap();
        let read = Reader::new(&bytes[..]).unwrap().read_all().0;
        assert_eq!(read, expected, "{version}: every field, exactly");
    }
    let v27 = std::fs::read(golden("all-kinds-v2.7.sscope")).unwrap();
    assert_eq!(secrets_of(&v27), SECRETS, "the 2.7 secrets read back as written");
    let v26 = std::fs::read(golden("all-kinds-v2.6.sscope")).unwrap();
    assert_eq!(secrets_of(&v26), "", "a 2.6 file has none");
    let v28 = std::fs::read(golden("all-kinds-v2.8.sscope")).unwrap();
    let read = read_sited(&v28);
    assert_eq!(read, all_kinds_v28(), "v2.8: every field and call site, exactly");
    let committed = std::fs::read_to_string(golden("all-kinds-v2.8.events.jsonl")).unwrap();
    assert_eq!(sited_jsonl(&read), committed, "v2.8: the recorded events");
    assert_eq!(secrets_of(&v28), SECRETS, "the 2.8 secrets read back as written");
    let bytes = std::fs::read(golden("all-kinds-v2.9.sscope")).unwrap();
    let read = read_sited(&bytes);
    assert_eq!(read, all_kinds_v29(), "v2.9: every field and call site, exactly");
    let committed = std::fs::read_to_string(golden("all-kinds-v2.9.events.jsonl")).unwrap();
    assert_eq!(sited_jsonl(&read), committed, "v2.9: the recorded events");
    assert!(encode_sited(&read) == bytes, "this build still writes format 2.9 byte for byte");
    assert_eq!(secrets_of(&bytes), SECRETS, "the 2.9 secrets read back as written");
    assert_eq!(records_of(&bytes, 0x21), 2, "both of the proxy's sends are relayed sends");
    assert_eq!(records_of(&bytes, 0x32), 3, "the splices of the pipe_reads' bytes are relayed");
    assert_eq!(records_of(&bytes, 0x31), 1, "the splice after the queue ended has its bytes");
    assert_eq!(records_of(&v28, 0x21), 2, "a 2.8 file's relayed sends");
    let v1 = std::fs::read(golden("all-kinds-v1.0.sscope")).unwrap();
    assert_eq!(records_of(&v1, 0x21), 0);
}

/// The TLS secrets a recording holds.
fn secrets_of(bytes: &[u8]) -> String {
    let mut reader = Reader::new(bytes).unwrap();
    reader.keep_secrets();
    reader.by_ref().for_each(drop);
    reader.take_secrets()
}

/// How many records of type `code` a file holds (0x21 relayed sends, 0x32 relayed splices),
/// walking the record headers.
fn records_of(bytes: &[u8], code: u8) -> usize {
    let mut count = 0;
    let mut at = sockscope::record::format::PREAMBLE_LEN;
    while at + 5 <= bytes.len() {
        let len = u32::from_le_bytes(bytes[at + 1..at + 5].try_into().unwrap()) as usize;
        count += usize::from(bytes[at] == code);
        at += 5 + len + 4;
    }
    count
}

/// The command line reads the golden files too: the export is what `--headless --json`
/// printed (messages derived with the recorded framing), and the hexdump is stable.
#[test]
fn golden_recordings_export_as_committed() {
    for (name, format, expected) in [
        ("demo-v1.0", "jsonl", "demo-v1.0.jsonl"),
        ("all-kinds-v1.0", "hexdump", "all-kinds-v1.0.hexdump"),
    ] {
        let file = golden(&format!("{name}.sscope"));
        let out = support::sockscope()
            .args(["export", file.to_str().unwrap(), "--format", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        if std::env::var_os("SOCKSCOPE_BLESS").is_some() {
            std::fs::write(golden(expected), &out.stdout).unwrap();
        }
        let committed = std::fs::read(golden(expected)).unwrap();
        assert!(out.stdout == committed, "{name} as {format} differs from {expected}");
    }
}
