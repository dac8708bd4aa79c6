//! Intercepting a proxied pair over loopback: held messages wait for a decision (forward,
//! edit, drop), the bytes behind them keep their order, the held bytes count against the relay
//! limit, and injected bytes reach either side. Every step is an event.

mod common;
#[path = "shared/relays.rs"]
mod relays;

use common::{Harness, ip};
use relays::Relay;
use sockscope::engine::EngineConfig;
use sockscope::event::{
    Address, Command, ConnId, Event, EventKind, FaultDir, HoldId, InterceptRule, InterceptState,
    Release, ReleaseAction, SockOption,
};
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};

/// Ids in a proxy session: the listener, the first client, and its upstream connection.
const CLIENT: ConnId = ConnId(2);
const UPSTREAM: ConnId = ConnId(3);

/// A proxy in front of a real server: (engine, client socket, server's socket).
fn proxy(config: EngineConfig) -> (Harness, TcpStream, TcpStream) {
    let mut h = Harness::start(config);
    let server = TcpListener::bind("127.0.0.1:0").unwrap();
    let upstream = vec![Address::Ip(server.local_addr().unwrap())];
    h.send(Command::Proxy { listen: "127.0.0.1:0".parse().unwrap(), upstream });
    let (_, addr) = h.listening();
    let client = TcpStream::connect(ip(&addr)).unwrap();
    let (upstream, _) = server.accept().unwrap();
    h.wait_for("the upstream connected", |e| matches!(e.kind, EventKind::Connected { .. }));
    (h, client, upstream)
}

fn intercept(h: &mut Harness, dir: FaultDir, framing: &str, pattern: &str) {
    let rule =
        InterceptRule { framing: framing.parse().unwrap(), pattern: pattern.parse().unwrap() };
    h.send(Command::Intercept { conn: CLIENT, dir, rule: Some(rule) });
    h.wait_for_new("intercept on", |e| {
        matches!(e.kind, EventKind::Intercept { state: InterceptState::On, .. })
    });
}

/// Waits for the next `held` event and returns its number and bytes.
fn next_held(h: &mut Harness) -> (HoldId, Vec<u8>) {
    match h.wait_for_new("a held message", |e| matches!(e.kind, EventKind::Held { .. })).kind {
        EventKind::Held { id, data, conn, .. } if conn == CLIENT => (id, data.to_vec()),
        other => panic!("held on another socket: {other:?}"),
    }
}

/// Everything the engine did before this call has been reported: a command answered with
/// an event is handled after every earlier one.
fn barrier(h: &mut Harness) {
    h.send(Command::SetOption { conn: CLIENT, option: SockOption::KeepAlive(true) });
    h.wait_for_new("the barrier", |e| matches!(e.kind, EventKind::Option { .. }));
}

fn release(h: &mut Harness, id: HoldId, release: Release) -> Event {
    h.send(Command::Release { conn: UPSTREAM, id, release });
    h.wait_for_new("released", |e| matches!(e.kind, EventKind::Released { id: i, .. } if i == id))
}

fn read_exactly(stream: &mut TcpStream, len: usize) -> Vec<u8> {
    let mut buf = vec![0; len];
    stream.read_exact(&mut buf).unwrap();
    buf
}

fn a_held_message_goes_on_only_when_forwarded(relay: Relay) {
    let (mut h, mut client, mut server) = proxy(EngineConfig { relay, ..EngineConfig::default() });
    intercept(&mut h, FaultDir::Up, "line", "");
    client.write_all(b"hello\n").unwrap();
    let (id, data) = next_held(&mut h);
    assert_eq!(data, b"hello\n", "the whole line, its delimiter included");
    barrier(&mut h);
    assert!(h.sent(UPSTREAM).is_empty(), "nothing was forwarded:\n{}", h.log());
    let event = release(&mut h, id, Release::Forward);
    assert!(matches!(event.kind, EventKind::Released { action: ReleaseAction::Forward, .. }));
    assert_eq!(read_exactly(&mut server, 6), b"hello\n");
}

fn an_edit_replaces_the_message_and_the_next_waits_behind_it(relay: Relay) {
    let (mut h, mut client, mut server) = proxy(EngineConfig { relay, ..EngineConfig::default() });
    intercept(&mut h, FaultDir::Up, "line", "re:^GET /a");
    client.write_all(b"GET /a\nGET /b\n").unwrap();
    let (id, original) = next_held(&mut h);
    assert_eq!(original, b"GET /a\n");
    barrier(&mut h);
    assert!(h.sent(UPSTREAM).is_empty(), "the unmatched line waits behind:\n{}", h.log());
    let event = release(&mut h, id, Release::Edit("POST /z\n".into()));
    let EventKind::Released { action, data, len, .. } = event.kind else { unreachable!() };
    assert_eq!((action, len, &data[..]), (ReleaseAction::Edit, 8, &b"POST /z\n"[..]));
    assert_eq!(read_exactly(&mut server, 15), b"POST /z\nGET /b\n");
}

fn a_dropped_message_never_arrives_and_later_bytes_still_flow_in_order(relay: Relay) {
    let (mut h, mut client, mut server) = proxy(EngineConfig { relay, ..EngineConfig::default() });
    intercept(&mut h, FaultDir::Down, "line", "secret");
    server.write_all(b"one\nsecret\nthree\n").unwrap();
    let (id, _) = next_held(&mut h);
    assert_eq!(read_exactly(&mut client, 4), b"one\n", "what came before was not held");
    let event = release(&mut h, id, Release::Drop);
    assert!(matches!(event.kind, EventKind::Released { action: ReleaseAction::Drop, len: 0, .. }));
    server.write_all(b"four\n").unwrap();
    assert_eq!(read_exactly(&mut client, 11), b"three\nfour\n");
}

fn a_flood_behind_a_held_message_stops_reading_at_the_relay_limit_and_keeps_its_order(
    relay: Relay,
) {
    const LIMIT: usize = 64 * 1024;
    const TOTAL: usize = 8 << 20;
    let config =
        EngineConfig { relay_limit: LIMIT, recv_chunk: 4096, relay, ..EngineConfig::default() };
    let (mut h, mut client, mut server) = proxy(config);
    intercept(&mut h, FaultDir::Up, "line", "HOLD");
    let flood: Vec<u8> =
        (0..TOTAL).map(|i| if i % 64 == 63 { b'\n' } else { b'a' + (i / 64 % 26) as u8 }).collect();
    let mut message = b"HOLD\n".to_vec();
    message.extend_from_slice(&flood);
    let writer = std::thread::spawn(move || {
        client.write_all(&message).unwrap();
        client.shutdown(Shutdown::Write).unwrap();
        client
    });
    let (id, _) = next_held(&mut h);
    h.wait_for_new("reading from the client stops", |e| {
        matches!(e.kind, EventKind::Interest { conn: CLIENT, read: false, .. })
    });
    barrier(&mut h);
    let read = h.received(CLIENT).len();
    assert!(h.sent(UPSTREAM).is_empty(), "nothing passes the held message");
    assert!(read < LIMIT + 4096, "held and waiting bytes stay within the limit: {read}");
    assert!(read >= LIMIT, "reading stopped only at the limit: {read}");
    release(&mut h, id, Release::Forward);
    let mut got = Vec::new();
    server.read_to_end(&mut got).unwrap();
    assert_eq!(got.len(), TOTAL + 5);
    assert!(got[5..] == flood[..] && got.starts_with(b"HOLD\n"), "every byte, in order");
    writer.join().unwrap();
}

fn an_incomplete_message_at_eof_is_held_and_the_eof_waits_for_it(relay: Relay) {
    let (mut h, mut client, mut server) = proxy(EngineConfig { relay, ..EngineConfig::default() });
    intercept(&mut h, FaultDir::Up, "line", "");
    client.write_all(b"no newline").unwrap();
    client.shutdown(Shutdown::Write).unwrap();
    let (id, data) = next_held(&mut h);
    assert_eq!(data, b"no newline");
    barrier(&mut h);
    let shut = |e: &Event| matches!(e.kind, EventKind::Shutdown { conn: UPSTREAM, .. });
    assert_eq!(h.count(shut), 0, "the EOF waits behind the held bytes");
    release(&mut h, id, Release::Forward);
    let mut got = Vec::new();
    server.read_to_end(&mut got).unwrap();
    assert_eq!(got, b"no newline");
}

fn stopping_forwards_everything_held_in_order(relay: Relay) {
    let (mut h, mut client, mut server) = proxy(EngineConfig { relay, ..EngineConfig::default() });
    intercept(&mut h, FaultDir::Up, "raw", "");
    client.write_all(b"first").unwrap();
    next_held(&mut h);
    client.write_all(b"second").unwrap();
    next_held(&mut h);
    h.send(Command::Intercept { conn: CLIENT, dir: FaultDir::Up, rule: None });
    h.wait_for_new("intercept off", |e| {
        matches!(e.kind, EventKind::Intercept { state: InterceptState::Off, .. })
    });
    let forwarded =
        |e: &Event| matches!(e.kind, EventKind::Released { action: ReleaseAction::Forward, .. });
    assert_eq!(h.count(forwarded), 2, "{}", h.log());
    assert_eq!(read_exactly(&mut server, 11), b"firstsecond");
    client.write_all(b"!").unwrap();
    assert_eq!(read_exactly(&mut server, 1), b"!", "nothing is held any more");
}

fn injected_bytes_reach_either_side(relay: Relay) {
    let (mut h, mut client, mut server) = proxy(EngineConfig { relay, ..EngineConfig::default() });
    h.send(Command::Inject { conn: CLIENT, dir: FaultDir::Up, data: "PING\n".into() });
    assert_eq!(read_exactly(&mut server, 5), b"PING\n");
    h.send(Command::Inject { conn: UPSTREAM, dir: FaultDir::Down, data: "PONG\n".into() });
    assert_eq!(read_exactly(&mut client, 5), b"PONG\n");
    h.wait_for("both injections reported", |e| {
        matches!(e.kind, EventKind::Inject { conn: CLIENT, dir: FaultDir::Down, len: 5, .. })
    });
    assert_eq!(h.count(|e| matches!(e.kind, EventKind::Inject { conn: CLIENT, .. })), 2);
}

fn bad_requests_are_errors_not_holds(relay: Relay) {
    let (mut h, _client, _server) = proxy(EngineConfig { relay, ..EngineConfig::default() });
    let rule = InterceptRule { framing: "raw".parse().unwrap(), pattern: "re:(".parse().unwrap() };
    h.send(Command::Intercept { conn: CLIENT, dir: FaultDir::Up, rule: Some(rule) });
    h.wait_for_new("a bad regex", |e| {
        matches!(&e.kind, EventKind::Error { message, .. } if message.contains("does not compile"))
    });
    h.send(Command::Inject { conn: ConnId(1), dir: FaultDir::Up, data: "x".into() });
    h.wait_for_new("a listener has no pair", |e| {
        matches!(&e.kind, EventKind::Error { conn: ConnId(1), .. })
    });
    h.send(Command::Release { conn: CLIENT, id: HoldId(99), release: Release::Forward });
    h.wait_for_new(
        "nothing held",
        |e| matches!(&e.kind, EventKind::Error { message, .. } if message.contains("is not held")),
    );
    let intercepts = h.count(|e| matches!(e.kind, EventKind::Intercept { .. }));
    assert_eq!(intercepts, 0);
}

/// A proxy in front of a real server whose listener holds every upstream line of the pairs it
/// accepts from now on: (engine, server, listener, the proxy's address).
fn proxy_intercepting_new_pairs(config: EngineConfig) -> (Harness, TcpListener, ConnId, Address) {
    let mut h = Harness::start(config);
    let server = TcpListener::bind("127.0.0.1:0").unwrap();
    let upstream = vec![Address::Ip(server.local_addr().unwrap())];
    h.send(Command::Proxy { listen: "127.0.0.1:0".parse().unwrap(), upstream });
    let (listener, addr) = h.listening();
    let rule = InterceptRule { framing: "line".parse().unwrap(), pattern: "".parse().unwrap() };
    h.send(Command::Intercept { conn: listener, dir: FaultDir::Up, rule: Some(rule) });
    h.wait_for_new("the listener's intercept", |e| {
        matches!(e.kind, EventKind::Intercept { conn, state: InterceptState::On, .. } if conn == listener)
    });
    (h, server, listener, addr)
}

fn an_intercept_on_the_listener_holds_every_pair_it_accepts_later(relay: Relay) {
    let (mut h, server, listener, addr) =
        proxy_intercepting_new_pairs(EngineConfig { relay, ..EngineConfig::default() });
    let mut client = TcpStream::connect(ip(&addr)).unwrap();
    let (mut server_side, _) = server.accept().unwrap();
    h.wait_for_new("the new pair's intercept", |e| {
        matches!(e.kind, EventKind::Intercept { conn: CLIENT, state: InterceptState::On, .. })
    });
    client.write_all(b"first line\n").unwrap();
    let (id, data) = next_held(&mut h);
    assert_eq!(data, b"first line\n");
    release(&mut h, id, Release::Forward);
    assert_eq!(read_exactly(&mut server_side, 11), b"first line\n");
    h.send(Command::Intercept { conn: listener, dir: FaultDir::Up, rule: None });
    h.wait_for_new("the listener's intercept off", |e| {
        matches!(e.kind, EventKind::Intercept { conn, state: InterceptState::Off, .. } if conn == listener)
    });
}

/// A client that writes the moment it connects (curl does) is held by the listener's
/// intercept, also when the pair starts with faults: the intercept is in place before the
/// first `recv` of the new pair, whatever installing the faults sets going.
fn a_client_that_writes_at_once_is_held_under_faults_too(relay: Relay) {
    let faults = vec!["up:slice=4".parse().unwrap()];
    let (mut h, server, _, addr) =
        proxy_intercepting_new_pairs(EngineConfig { faults, relay, ..EngineConfig::default() });
    let mut client = TcpStream::connect(ip(&addr)).unwrap();
    client.write_all(b"GET /secret\n").unwrap();
    let (mut server_side, _) = server.accept().unwrap();
    let (id, data) = next_held(&mut h);
    assert_eq!(data, b"GET /secret\n");
    let edited = release(&mut h, id, Release::Edit(b"GET /public\n".to_vec().into()));
    assert!(matches!(edited.kind, EventKind::Released { action: ReleaseAction::Edit, .. }));
    assert_eq!(read_exactly(&mut server_side, 12), b"GET /public\n");
}

relay_tests!(
    a_held_message_goes_on_only_when_forwarded,
    an_edit_replaces_the_message_and_the_next_waits_behind_it,
    a_dropped_message_never_arrives_and_later_bytes_still_flow_in_order,
    a_flood_behind_a_held_message_stops_reading_at_the_relay_limit_and_keeps_its_order,
    an_incomplete_message_at_eof_is_held_and_the_eof_waits_for_it,
    stopping_forwards_everything_held_in_order,
    injected_bytes_reach_either_side,
    bad_requests_are_errors_not_holds,
    an_intercept_on_the_listener_holds_every_pair_it_accepts_later,
    a_client_that_writes_at_once_is_held_under_faults_too,
);
