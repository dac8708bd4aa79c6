//! The engine over loopback with real peers (std sockets): accept, recv, send, EOF, reset,
//! refused, timeouts, IPv6, Unix sockets.

mod common;

use common::{Harness, ip};
use sockscope::engine::{EngineConfig, EofPolicy};
use sockscope::event::{ClosedBy, Command, ConnId, ErrorKind, EventKind, How, Op, SockOption};
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::time::Duration;

#[test]
fn many_clients_are_all_accepted() {
    let mut h = Harness::start(EngineConfig::default());
    let (listener, addr) = h.listen("127.0.0.1:0");
    let clients: Vec<TcpStream> = (0..40).map(|_| TcpStream::connect(ip(&addr)).unwrap()).collect();
    common::eventually("40 accepts", || {
        h.pump();
        h.count(|e| matches!(e.kind, EventKind::Accept { listener: l, .. } if l == listener)) == 40
    });
    let ids: std::collections::BTreeSet<_> = h
        .seen
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Accept { conn, .. } => Some(conn),
            _ => None,
        })
        .collect();
    assert_eq!(ids.len(), 40, "every accepted socket has its own id");
    assert!(!ids.contains(&listener));
    drop(clients);
}

#[test]
fn port_zero_reports_the_real_port() {
    let mut h = Harness::start(EngineConfig::default());
    let (_, addr) = h.listen("127.0.0.1:0");
    assert_ne!(ip(&addr).port(), 0);
    TcpStream::connect(ip(&addr)).expect("the reported port accepts connections");
}

#[test]
fn partial_recv_with_a_tiny_recv_chunk_reassembles_exactly() {
    let mut h = Harness::start(EngineConfig { recv_chunk: 3, ..EngineConfig::default() });
    let (_, addr) = h.listen("127.0.0.1:0");
    let mut client = TcpStream::connect(ip(&addr)).unwrap();
    let conn = h.accepted();
    client.write_all(b"hello, partial world\n").unwrap();
    client.shutdown(Shutdown::Write).unwrap();
    h.wait_for("eof", |e| matches!(e.kind, EventKind::Eof { conn: c } if c == conn));
    assert_eq!(h.received(conn), b"hello, partial world\n");
    for e in &h.seen {
        if let EventKind::Recv { max, len, .. } = e.kind {
            assert_eq!(max, 3);
            assert!(len <= 3, "a recv never returns more than asked");
        }
    }
    assert!(h.count(|e| matches!(e.kind, EventKind::Recv { .. })) >= 7);
}

#[test]
fn eof_is_reported_and_the_connection_closes_by_peer() {
    let mut h = Harness::start(EngineConfig::default());
    let (_, addr) = h.listen("127.0.0.1:0");
    let mut client = TcpStream::connect(ip(&addr)).unwrap();
    let conn = h.accepted();
    client.write_all(b"bye").unwrap();
    client.shutdown(Shutdown::Write).unwrap();
    h.wait_for("eof", |e| matches!(e.kind, EventKind::Eof { conn: c } if c == conn));
    h.wait_for(
        "close",
        |e| matches!(e.kind, EventKind::Close { conn: c, by: ClosedBy::Peer } if c == conn),
    );
    let mut rest = Vec::new();
    client.read_to_end(&mut rest).expect("orderly close, not reset");
    assert_eq!(h.received(conn), b"bye");
}

#[test]
fn keep_open_policy_lets_the_server_reply_after_the_peer_shut_down_writing() {
    let mut h =
        Harness::start(EngineConfig { eof_policy: EofPolicy::KeepOpen, ..EngineConfig::default() });
    let (_, addr) = h.listen("127.0.0.1:0");
    let mut client = TcpStream::connect(ip(&addr)).unwrap();
    let conn = h.accepted();
    client.write_all(b"GET /\r\n").unwrap();
    client.shutdown(Shutdown::Write).unwrap();
    h.wait_for("eof", |e| matches!(e.kind, EventKind::Eof { conn: c } if c == conn));
    h.send(Command::Send { conn, data: "200 OK\r\n".into() });
    h.send(Command::Shutdown { conn, how: How::Write });
    let mut reply = Vec::new();
    client.read_to_end(&mut reply).unwrap();
    assert_eq!(reply, b"200 OK\r\n");
    h.wait_for("close", |e| matches!(e.kind, EventKind::Close { conn: c, .. } if c == conn));
}

#[test]
fn partial_send_against_a_reader_that_stopped() {
    let options = vec![SockOption::SndBuf(4096)];
    let mut h = Harness::start(EngineConfig { options, ..EngineConfig::default() });
    let server = TcpListener::bind("127.0.0.1:0").unwrap();
    h.send(Command::Connect {
        candidates: vec![sockscope::event::Address::Ip(server.local_addr().unwrap())],
    });
    let (mut peer, _) = server.accept().unwrap();
    let conn = h.connected();
    let payload: Vec<u8> = (0..4 << 20).map(|i: u32| (i % 251) as u8).collect();
    h.send(Command::Send { conn, data: payload.clone().into() });
    h.wait_for(
        "partial send",
        |e| matches!(e.kind, EventKind::Send { len, requested, .. } if len < requested),
    );
    h.wait_for("send would block", |e| {
        matches!(e.kind, EventKind::WouldBlock { op: Op::Send, .. })
    });
    let mut got = vec![0; payload.len()];
    peer.read_exact(&mut got).unwrap();
    assert!(got == payload, "every byte arrives, in order");
    common::eventually("every send reported", || {
        h.pump();
        h.sent(conn).len() >= payload.len()
    });
    assert!(h.sent(conn) == payload, "the send events hold exactly the bytes the peer read");
}

#[test]
fn reset_by_us_is_seen_as_reset_by_the_peer() {
    let mut h = Harness::start(EngineConfig::default());
    let (_, addr) = h.listen("127.0.0.1:0");
    let mut client = TcpStream::connect(ip(&addr)).unwrap();
    let conn = h.accepted();
    h.send(Command::Reset { conn });
    h.wait_for("reset", |e| matches!(e.kind, EventKind::Reset { conn: c } if c == conn));
    h.wait_for(
        "close",
        |e| matches!(e.kind, EventKind::Close { conn: c, by: ClosedBy::Local } if c == conn),
    );
    let mut buf = [0; 16];
    let err = client.read(&mut buf).expect_err("RST, not EOF");
    assert_eq!(err.kind(), std::io::ErrorKind::ConnectionReset);
}

#[test]
fn reset_by_the_peer_is_reported_as_reset() {
    let mut h = Harness::start(EngineConfig::default());
    let (_, addr) = h.listen("127.0.0.1:0");
    let client = TcpStream::connect(ip(&addr)).unwrap();
    let conn = h.accepted();
    socket2::SockRef::from(&client).set_linger(Some(Duration::ZERO)).unwrap();
    drop(client);
    h.wait_for(
        "reset error",
        |e| matches!(e.kind, EventKind::Error { conn: c, kind: ErrorKind::Reset, .. } if c == conn),
    );
    h.wait_for(
        "close by reset",
        |e| matches!(e.kind, EventKind::Close { conn: c, by: ClosedBy::Reset } if c == conn),
    );
}

#[test]
fn refused_connect_reports_refused() {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let mut h = Harness::start(EngineConfig::default());
    h.send(Command::Connect { candidates: vec![sockscope::event::Address::Ip(port)] });
    h.wait_for("refused", |e| {
        matches!(e.kind, EventKind::Error { op: Op::Connect, kind: ErrorKind::Refused, .. })
    });
    h.wait_for("close", |e| matches!(e.kind, EventKind::Close { by: ClosedBy::Error, .. }));
}

#[test]
fn a_refused_candidate_falls_through_to_the_next() {
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let open = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut h = Harness::start(EngineConfig::default());
    let candidates = vec![
        sockscope::event::Address::Ip(closed),
        sockscope::event::Address::Ip(open.local_addr().unwrap()),
    ];
    h.send(Command::Connect { candidates });
    h.wait_for("refused", |e| matches!(e.kind, EventKind::Error { kind: ErrorKind::Refused, .. }));
    h.wait_for("connected", |e| matches!(e.kind, EventKind::Connected { .. }));
}

#[test]
fn connect_timeout_against_a_full_backlog() {
    let (addr, _keep) = common::unanswering_listener();
    let config = EngineConfig {
        connect_timeout: Some(Duration::from_millis(300)),
        ..EngineConfig::default()
    };
    let mut h = Harness::start(config);
    h.send(Command::Connect { candidates: vec![sockscope::event::Address::Ip(addr)] });
    h.wait_for("timed out", |e| {
        matches!(e.kind, EventKind::Error { op: Op::Connect, kind: ErrorKind::TimedOut, .. })
    });
    h.wait_for("close", |e| matches!(e.kind, EventKind::Close { by: ClosedBy::Error, .. }));
}

#[test]
fn idle_timeout_closes_a_silent_peer() {
    let config =
        EngineConfig { idle_timeout: Some(Duration::from_millis(200)), ..EngineConfig::default() };
    let mut h = Harness::start(config);
    let (_, addr) = h.listen("127.0.0.1:0");
    let _client = TcpStream::connect(ip(&addr)).unwrap();
    let conn = h.accepted();
    h.wait_for("idle", |e| matches!(e.kind, EventKind::Error { conn: c, op: Op::Idle, kind: ErrorKind::TimedOut, .. } if c == conn));
    h.wait_for("close", |e| matches!(e.kind, EventKind::Close { conn: c, .. } if c == conn));
}

#[test]
fn ipv6_loopback_works_end_to_end() {
    let mut h = Harness::start(EngineConfig::default());
    let (_, addr) = h.listen("[::1]:0");
    assert!(ip(&addr).is_ipv6());
    let mut client = TcpStream::connect(ip(&addr)).unwrap();
    let conn = h.accepted();
    client.write_all(b"six").unwrap();
    client.shutdown(Shutdown::Write).unwrap();
    h.wait_for("eof", |e| matches!(e.kind, EventKind::Eof { conn: c } if c == conn));
    assert_eq!(h.received(conn), b"six");
}

#[test]
fn unix_domain_sockets_listen_and_connect() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sock");
    let mut h =
        Harness::start(EngineConfig { eof_policy: EofPolicy::KeepOpen, ..EngineConfig::default() });
    let (listener, addr) = h.listen(&format!("unix:{}", path.display()));
    assert_eq!(addr.to_string(), format!("unix:{}", path.display()));
    let mut client = std::os::unix::net::UnixStream::connect(&path).unwrap();
    let conn = h.accepted();
    client.write_all(b"over unix").unwrap();
    h.wait_for("recv", |e| matches!(e.kind, EventKind::Recv { conn: c, .. } if c == conn));
    h.send(Command::Connect { candidates: vec![addr.clone()] });
    h.wait_for("connected over unix", |e| matches!(e.kind, EventKind::Connected { .. }));
    h.send(Command::Close { conn: listener });
    h.wait_for(
        "listener closed",
        |e| matches!(e.kind, EventKind::Close { conn: c, .. } if c == listener),
    );
    assert!(!path.exists(), "the socket file is removed with its listener");
    assert_eq!(h.received(conn), b"over unix");
}

#[test]
fn abstract_unix_names_listen_and_connect_without_a_file() {
    use std::os::linux::net::SocketAddrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = format!("sockscope-test-{}", std::process::id());
    let mut h =
        Harness::start(EngineConfig { eof_policy: EofPolicy::KeepOpen, ..EngineConfig::default() });
    let (listener, addr) = h.listen(&format!("unix:@{name}"));
    assert_eq!(addr.to_string(), format!("unix:@{name}"), "the listen event names it abstract");
    let abstract_addr = std::os::unix::net::SocketAddr::from_abstract_name(&name).unwrap();
    let mut client = std::os::unix::net::UnixStream::connect_addr(&abstract_addr)
        .expect("an abstract listener, not a file named @...");
    let conn = h.accepted();
    client.write_all(b"abstract").unwrap();
    h.wait_for("recv", |e| matches!(e.kind, EventKind::Recv { conn: c, .. } if c == conn));
    h.send(Command::Connect { candidates: vec![addr.clone()] });
    let connected = h.wait_for("connected", |e| matches!(e.kind, EventKind::Connected { .. }));
    let EventKind::Connected { peer, .. } = connected.kind else { unreachable!() };
    assert_eq!(peer, addr, "the peer is reported by its abstract name");
    h.send(Command::Close { conn: listener });
    h.wait_for("closed", |e| matches!(e.kind, EventKind::Close { conn: c, .. } if c == listener));
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
    assert!(!std::path::Path::new(&format!("@{name}")).exists(), "no file named @name");
}

#[test]
fn options_are_reported_with_the_applied_value() {
    let mut h = Harness::start(EngineConfig::default());
    let (_, addr) = h.listen("127.0.0.1:0");
    let _client = TcpStream::connect(ip(&addr)).unwrap();
    let conn = h.accepted();
    h.send(Command::SetOption { conn, option: SockOption::SndBuf(10_000) });
    h.send(Command::SetOption { conn, option: SockOption::NoDelay(true) });
    let sndbuf = h.wait_for("sndbuf", |e| {
        matches!(e.kind, EventKind::Option { option: SockOption::SndBuf(_), .. })
    });
    let EventKind::Option { option: SockOption::SndBuf(applied), .. } = sndbuf.kind else {
        unreachable!()
    };
    assert!(applied >= 10_000, "Linux doubles the request: {applied}");
    h.wait_for("nodelay", |e| {
        matches!(e.kind, EventKind::Option { option: SockOption::NoDelay(true), .. })
    });
}

#[test]
fn commands_on_unknown_connections_are_errors_not_panics() {
    let mut h = Harness::start(EngineConfig::default());
    h.send(Command::Send { conn: ConnId(99), data: "x".into() });
    h.send(Command::Reset { conn: ConnId(98) });
    h.wait_for("error for 98", |e| matches!(e.kind, EventKind::Error { conn: ConnId(98), .. }));
    assert!(h.seen.iter().any(|e| matches!(e.kind, EventKind::Error { conn: ConnId(99), .. })));
}

#[test]
fn stopping_reports_the_close_of_every_socket() {
    let mut h = Harness::start(EngineConfig::default());
    let (listener, addr) = h.listen("127.0.0.1:0");
    let _client = TcpStream::connect(ip(&addr)).unwrap();
    let conn = h.accepted();
    h.send(Command::Stop);
    for id in [listener, conn] {
        h.wait_for(
            "close",
            |e| matches!(e.kind, EventKind::Close { conn: c, by: ClosedBy::Local } if c == id),
        );
    }
}

#[test]
fn clients_beyond_max_conns_are_accepted_and_closed_at_once() {
    let mut h = Harness::start(EngineConfig { max_conns: Some(2), ..EngineConfig::default() });
    let (_, addr) = h.listen("127.0.0.1:0");
    let kept: Vec<TcpStream> = (0..2).map(|_| TcpStream::connect(ip(&addr)).unwrap()).collect();
    let first = h.accepted();
    let second = h.accepted();
    let mut extra = TcpStream::connect(ip(&addr)).unwrap();
    let third = h.accepted();
    h.wait_for("over the limit", |e| {
        matches!(&e.kind, EventKind::Error { conn, op: Op::Accept, message, .. }
            if *conn == third && message.contains("max-conns"))
    });
    h.wait_for(
        "closed at once",
        |e| matches!(e.kind, EventKind::Close { conn, .. } if conn == third),
    );
    let mut buf = [0; 1];
    assert_eq!(extra.read(&mut buf).unwrap(), 0, "the extra client sees the close");
    assert!(!h.seen.iter().any(
        |e| matches!(e.kind, EventKind::Close { conn, .. } if conn == first || conn == second)
    ));
    drop(kept);
}

#[test]
fn several_listeners_at_once_each_accept_their_own_clients() {
    let mut h = Harness::start(EngineConfig::default());
    let (l4, a4) = h.listen("127.0.0.1:0");
    let (l6, a6) = h.listen("[::1]:0");
    let _c6 = TcpStream::connect(ip(&a6)).unwrap();
    let on6 = h.wait_for("accept on v6", |e| matches!(e.kind, EventKind::Accept { .. }));
    assert!(matches!(on6.kind, EventKind::Accept { listener, .. } if listener == l6));
    let _c4 = TcpStream::connect(ip(&a4)).unwrap();
    let on4 = h.wait_for_new("accept on v4", |e| matches!(e.kind, EventKind::Accept { .. }));
    assert!(matches!(on4.kind, EventKind::Accept { listener, .. } if listener == l4));
}

#[test]
fn options_from_the_command_line_apply_to_every_accepted_socket() {
    let options =
        vec![SockOption::NoDelay(true), SockOption::KeepAlive(true), SockOption::Linger(Some(0))];
    let mut h = Harness::start(EngineConfig { options, ..EngineConfig::default() });
    let (_, addr) = h.listen("127.0.0.1:0");
    let mut client = TcpStream::connect(ip(&addr)).unwrap();
    let conn = h.accepted();
    for wanted in
        [SockOption::NoDelay(true), SockOption::KeepAlive(true), SockOption::Linger(Some(0))]
    {
        h.wait_for("option", |e| matches!(e.kind, EventKind::Option { conn: c, option } if c == conn && option == wanted));
    }
    h.send(Command::Close { conn });
    let mut buf = [0; 1];
    let err = client.read(&mut buf).expect_err("linger 0 makes close a reset");
    assert_eq!(err.kind(), std::io::ErrorKind::ConnectionReset);
}

#[test]
fn the_engine_stops_once_nobody_receives_its_events() {
    let (tx, rx) = std::sync::mpsc::channel::<sockscope::event::Event>();
    let engine = sockscope::engine::Engine::start(EngineConfig::default(), tx).unwrap();
    drop(rx);
    let controller = engine.controller();
    common::eventually("the engine refuses commands", || {
        controller.send(Command::Listen { addr: "127.0.0.1:0".parse().unwrap() }).is_err()
    });
}

/// `PauseReading` on a listener stops accepting: clients wait in the kernel's queue (their
/// connects complete there), nothing is accepted, and the listener's read interest is off;
/// resuming accepts every one of them.
#[test]
fn a_paused_listener_accepts_nothing_until_resumed() {
    let mut h = Harness::start(EngineConfig::default());
    let (listener, addr) = h.listen("127.0.0.1:0");
    h.send(Command::PauseReading { conn: listener, paused: true });
    h.wait_for(
        "the listener unwatched",
        |e| matches!(e.kind, EventKind::Interest { conn, read: false, .. } if conn == listener),
    );
    let clients: Vec<TcpStream> = (0..3).map(|_| TcpStream::connect(ip(&addr)).unwrap()).collect();
    // A connect that completed is in the accept queue: a round now would have accepted it.
    h.send(Command::Step);
    h.wait_for("a round", |e| matches!(e.kind, EventKind::Ready(_)));
    let accepted = |h: &Harness| h.count(|e| matches!(e.kind, EventKind::Accept { .. }));
    assert_eq!(accepted(&h), 0, "a paused listener accepts nothing:\n{}", h.log());
    h.send(Command::PauseReading { conn: listener, paused: false });
    common::eventually("every waiting client accepted", || {
        h.pump();
        accepted(&h) == clients.len()
    });
}
