//! Faults on the proxy over loopback, one test per kind: the bytes arrive intact where the
//! fault promises it, the `send` calls have the right sizes and spacing, the connection ends
//! the right way, and every fault is reported as a `fault` event.

mod common;
#[path = "shared/relays.rs"]
mod relays;

use common::{Harness, ip};
use relays::Relay;
use sockscope::engine::EngineConfig;
use sockscope::event::{
    Address, Command, ConnId, Event, EventKind, Fault, FaultDir, FaultKind, FaultSet, FaultState,
    How,
};
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::time::Duration;

/// Ids in a proxy session: the listener, the first client, and its upstream connection.
const CLIENT: ConnId = ConnId(2);
const UPSTREAM: ConnId = ConnId(3);

/// A proxy with `faults` in front of a real server: (engine, client socket, server's socket).
fn faulty_proxy(relay: Relay, faults: &[&str]) -> (Harness, TcpStream, TcpStream) {
    let faults = faults.iter().map(|f| f.parse::<FaultSet>().unwrap()).collect();
    let mut h = Harness::start(EngineConfig { faults, relay, ..EngineConfig::default() });
    let server = TcpListener::bind("127.0.0.1:0").unwrap();
    let upstream = vec![Address::Ip(server.local_addr().unwrap())];
    h.send(Command::Proxy { listen: "127.0.0.1:0".parse().unwrap(), upstream });
    let (_, addr) = h.listening();
    let client = TcpStream::connect(ip(&addr)).unwrap();
    let (upstream, _) = server.accept().unwrap();
    h.wait_for("the upstream connected", |e| matches!(e.kind, EventKind::Connected { .. }));
    (h, client, upstream)
}

fn is_fault(e: &Event, want: FaultKind, want_state: FaultState) -> bool {
    matches!(e.kind, EventKind::Fault { conn, kind, state, .. }
        if conn == CLIENT && kind == want && state == want_state)
}

/// `(requested, len, t_us)` of every `send` on `conn`.
fn sends(h: &Harness, conn: ConnId) -> Vec<(usize, usize, u64)> {
    h.seen
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Send { conn: c, requested, len, .. } if *c == conn => {
                Some((*requested, *len, e.t_us))
            }
            _ => None,
        })
        .collect()
}

fn read_exactly(stream: &mut TcpStream, len: usize) -> Vec<u8> {
    let mut buf = vec![0; len];
    stream.read_exact(&mut buf).unwrap();
    buf
}

fn slice_forwards_in_sends_of_at_most_n_bytes(relay: Relay) {
    let (mut h, mut client, mut server) = faulty_proxy(relay, &["up:slice=3"]);
    h.wait_for("slice on", |e| is_fault(e, FaultKind::Slice, FaultState::On));
    client.write_all(b"0123456789").unwrap();
    assert_eq!(read_exactly(&mut server, 10), b"0123456789");
    common::eventually("every byte reported", || {
        h.pump();
        h.sent(UPSTREAM).len() == 10
    });
    let calls = sends(&h, UPSTREAM);
    assert!(calls.iter().all(|(requested, _, _)| *requested <= 3), "{calls:?}");
    assert!(calls.len() >= 4, "10 bytes in pieces of 3 take 4 sends: {calls:?}");
    assert_eq!(h.sent(UPSTREAM), b"0123456789");
}

fn delay_waits_before_each_piece(relay: Relay) {
    let (mut h, mut client, mut server) = faulty_proxy(relay, &["down:slice=2,delay=60ms"]);
    server.write_all(b"abcdef").unwrap();
    assert_eq!(read_exactly(&mut client, 6), b"abcdef");
    common::eventually("every byte reported", || {
        h.pump();
        h.sent(CLIENT).len() == 6
    });
    let recv_at = h
        .seen
        .iter()
        .find(|e| matches!(e.kind, EventKind::Recv { conn, .. } if conn == UPSTREAM))
        .map(|e| e.t_us)
        .unwrap();
    let calls = sends(&h, CLIENT);
    assert_eq!(calls.len(), 3, "three pieces of 2: {calls:?}");
    let mut before = recv_at;
    for (_, _, at) in calls {
        assert!(at - before >= 60_000, "each piece waits 60 ms: {} us", at - before);
        before = at;
    }
}

fn rate_bounds_bytes_per_second(relay: Relay) {
    let (mut h, mut client, mut server) = faulty_proxy(relay, &["up:rate=1000"]);
    let data: Vec<u8> = (0..=255).cycle().take(300).collect();
    client.write_all(&data).unwrap();
    assert_eq!(read_exactly(&mut server, 300), data);
    common::eventually("every byte reported", || {
        h.pump();
        h.sent(UPSTREAM).len() == 300
    });
    let calls = sends(&h, UPSTREAM);
    assert!(calls.iter().all(|(requested, _, _)| *requested <= 100), "{calls:?}");
    let span = calls.last().unwrap().2 - calls.first().unwrap().2;
    assert!(span >= 200_000, "300 bytes at 1000/s: 3 pieces 100 ms apart, took {span} us");
}

fn shut_after_ends_the_direction_at_the_exact_byte(relay: Relay) {
    let (mut h, mut client, mut server) = faulty_proxy(relay, &["up:shut-after=5"]);
    client.write_all(b"0123456789").unwrap();
    let mut got = Vec::new();
    server.read_to_end(&mut got).unwrap();
    assert_eq!(got, b"01234", "five bytes, then EOF");
    h.wait_for("tripped", |e| is_fault(e, FaultKind::ShutAfter, FaultState::Tripped));
    h.wait_for(
        "shutdown(write) on the upstream",
        |e| matches!(e.kind, EventKind::Shutdown { conn, how: How::Write } if conn == UPSTREAM),
    );
    server.write_all(b"reply").unwrap();
    assert_eq!(read_exactly(&mut client, 5), b"reply", "the other direction still flows");
}

fn reset_after_resets_both_sides(relay: Relay) {
    let (mut h, mut client, mut server) = faulty_proxy(relay, &["down:reset-after=4"]);
    server.write_all(b"0123456789").unwrap();
    h.wait_for("tripped", |e| is_fault(e, FaultKind::ResetAfter, FaultState::Tripped));
    for conn in [CLIENT, UPSTREAM] {
        h.wait_for("a reset", |e| matches!(e.kind, EventKind::Reset { conn: c } if c == conn));
    }
    assert_eq!(h.sent(CLIENT), b"0123", "exactly the bytes before the limit were forwarded");
    let mut got = Vec::new();
    let error = client.read_to_end(&mut got).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ConnectionReset);
    assert!(b"0123".starts_with(&got), "{got:?}");
    let mut rest = Vec::new();
    let server_end = server.read_to_end(&mut rest);
    assert_eq!(server_end.unwrap_err().kind(), ErrorKind::ConnectionReset);
}

fn drop_after_keeps_reading_but_forwards_nothing_more(relay: Relay) {
    let (mut h, mut client, mut server) = faulty_proxy(relay, &["up:drop-after=4"]);
    client.write_all(b"0123456789").unwrap();
    client.shutdown(Shutdown::Write).unwrap();
    let mut got = Vec::new();
    server.read_to_end(&mut got).unwrap();
    assert_eq!(got, b"0123", "four bytes, then the client's EOF");
    h.wait_for("tripped", |e| is_fault(e, FaultKind::DropAfter, FaultState::Tripped));
    assert_eq!(h.received(CLIENT), b"0123456789", "every byte was read");
}

fn stall_stops_reading_until_lifted_live(relay: Relay) {
    let (mut h, mut client, mut server) = faulty_proxy(relay, &["up:stall"]);
    h.wait_for("stall on", |e| is_fault(e, FaultKind::Stall, FaultState::On));
    client.write_all(b"waiting").unwrap();
    h.wait_for(
        "reading of the client is off",
        |e| matches!(e.kind, EventKind::Interest { conn, read: false, .. } if conn == CLIENT),
    );
    assert!(h.received(CLIENT).is_empty(), "a stalled sender is not read");
    h.send(Command::SetFaults { conn: UPSTREAM, dir: FaultDir::Up, faults: Vec::new() });
    h.wait_for("stall off", |e| is_fault(e, FaultKind::Stall, FaultState::Off));
    assert_eq!(read_exactly(&mut server, 7), b"waiting");
}

/// A slow fault makes the client's bytes wait in the proxy: reading it stops at the relay
/// limit, so memory stays bounded however much the client sends.
fn a_slow_fault_keeps_the_relay_limit(relay: Relay) {
    let relay_limit = 64 * 1024;
    let fault = "up:rate=1KiB".parse::<FaultSet>().unwrap();
    let config =
        EngineConfig { faults: vec![fault], relay_limit, relay, ..EngineConfig::default() };
    let mut h = Harness::start(config);
    let server = TcpListener::bind("127.0.0.1:0").unwrap();
    let upstream = vec![Address::Ip(server.local_addr().unwrap())];
    h.send(Command::Proxy { listen: "127.0.0.1:0".parse().unwrap(), upstream });
    let (_, addr) = h.listening();
    let mut client = TcpStream::connect(ip(&addr)).unwrap();
    let _server_side = server.accept().unwrap();
    client.set_write_timeout(Some(Duration::from_millis(500))).unwrap();
    let chunk = vec![7u8; 64 * 1024];
    let mut written = 0;
    while written < 64 << 20 {
        match client.write(&chunk) {
            Ok(n) => written += n,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => break,
            Err(e) => panic!("{e}"),
        }
    }
    h.wait_for(
        "reading of the client stops",
        |e| matches!(e.kind, EventKind::Interest { conn, read: false, .. } if conn == CLIENT),
    );
    h.pump();
    let held = h.received(CLIENT).len() - h.sent(UPSTREAM).len();
    let bound = relay_limit + sockscope::engine::DEFAULT_RECV_CHUNK;
    assert!(held <= bound, "{held} bytes held, more than {bound}");
    assert!(written > bound, "the client wrote more than the proxy holds: {written}");
}

#[test]
fn echo_replies_take_faults() {
    let fault = "down:slice=2".parse::<FaultSet>().unwrap();
    let config = EngineConfig { faults: vec![fault], echo: true, ..EngineConfig::default() };
    let mut h = Harness::start(config);
    let (_, addr) = h.listen("127.0.0.1:0");
    let mut client = TcpStream::connect(ip(&addr)).unwrap();
    client.write_all(b"hello").unwrap();
    assert_eq!(read_exactly(&mut client, 5), b"hello");
    let accepted = ConnId(2);
    h.wait_for("slice on", |e| {
        matches!(e.kind, EventKind::Fault { conn, kind: FaultKind::Slice, .. } if conn == accepted)
    });
    common::eventually("every byte reported", || {
        h.pump();
        h.sent(accepted).len() == 5
    });
    let calls = sends(&h, accepted);
    assert!(calls.iter().all(|(requested, _, _)| *requested <= 2), "{calls:?}");
}

fn faults_set_live_are_reported_and_refused_where_nothing_is_forwarded(relay: Relay) {
    let (mut h, mut client, mut server) = faulty_proxy(relay, &[]);
    h.send(Command::SetFaults { conn: CLIENT, dir: FaultDir::Down, faults: vec![Fault::Slice(1)] });
    h.wait_for("slice on", |e| is_fault(e, FaultKind::Slice, FaultState::On));
    server.write_all(b"abc").unwrap();
    assert_eq!(read_exactly(&mut client, 3), b"abc");
    common::eventually("every byte reported", || {
        h.pump();
        h.sent(CLIENT).len() == 3
    });
    assert_eq!(sends(&h, CLIENT).len(), 3, "one send per byte");
    h.send(Command::SetFaults { conn: ConnId(1), dir: FaultDir::Up, faults: vec![Fault::Stall] });
    let refused = h.wait_for("refused on the listener", |e| {
        matches!(e.kind, EventKind::Error { conn: ConnId(1), .. })
    });
    assert!(format!("{refused:?}").contains("not one side of a proxied pair"));
    drop(client);
    h.wait_for(
        "the client's EOF is passed on",
        |e| matches!(e.kind, EventKind::Shutdown { conn, how: How::Write } if conn == UPSTREAM),
    );
}

relay_tests!(
    slice_forwards_in_sends_of_at_most_n_bytes,
    delay_waits_before_each_piece,
    rate_bounds_bytes_per_second,
    shut_after_ends_the_direction_at_the_exact_byte,
    reset_after_resets_both_sides,
    drop_after_keeps_reading_but_forwards_nothing_more,
    stall_stops_reading_until_lifted_live,
    a_slow_fault_keeps_the_relay_limit,
    faults_set_live_are_reported_and_refused_where_nothing_is_forwarded,
);
