//! A direction that changes relay mid-stream: bytes wait in the proxy (the server does not
//! read), then an injection, a fault or an intercept arrives. With `--relay splice` those
//! bytes are in the kernel pipe and the direction turns to copy; with `--relay copy` they are
//! in the send queue. Either way the server must get every byte the client sent, in order,
//! before anything the new rule adds, and the events must say which calls moved them.

mod common;
#[path = "shared/relays.rs"]
mod relays;

use common::{Harness, ip};
use relays::Relay;
use sockscope::engine::EngineConfig;
use sockscope::event::{
    Address, Command, ConnId, EventKind, Fault, FaultDir, FaultKind, FaultState, InterceptRule,
    InterceptState,
};
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::time::Duration;

/// Ids in a proxy session: the listener, the first client, and its upstream connection.
const CLIENT: ConnId = ConnId(2);
const UPSTREAM: ConnId = ConnId(3);

/// A proxy in front of a server that does not read yet, and a client that has written until
/// the proxy stopped reading it: (engine, client, server's socket, bytes the client wrote).
fn stalled_pair(relay: Relay) -> (Harness, TcpStream, TcpStream, Vec<u8>) {
    let mut h = Harness::start(EngineConfig { relay, ..EngineConfig::default() });
    let server = TcpListener::bind("127.0.0.1:0").unwrap();
    let upstream = vec![Address::Ip(server.local_addr().unwrap())];
    h.send(Command::Proxy { listen: "127.0.0.1:0".parse().unwrap(), upstream });
    let (_, addr) = h.listening();
    let mut client = TcpStream::connect(ip(&addr)).unwrap();
    let (upstream, _) = server.accept().unwrap();
    h.wait_for("the upstream connected", |e| matches!(e.kind, EventKind::Connected { .. }));
    client.set_write_timeout(Some(Duration::from_millis(300))).unwrap();
    let mut written = Vec::new();
    let mut block = 0u32;
    loop {
        let chunk: Vec<u8> = (0..16 * 1024).map(|i| (block.wrapping_mul(31) + i) as u8).collect();
        match client.write(&chunk) {
            Ok(n) => written.extend_from_slice(&chunk[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => break,
            Err(e) => panic!("{e}"),
        }
        block += 1;
    }
    h.wait_for(
        "reading of the client stops",
        |e| matches!(e.kind, EventKind::Interest { conn, read: false, .. } if conn == CLIENT),
    );
    (h, client, upstream, written)
}

/// Everything the server reads until the client's EOF has passed through the proxy.
fn read_to_end(mut server: TcpStream) -> Vec<u8> {
    server.set_read_timeout(Some(common::DEADLINE)).unwrap();
    let mut got = Vec::new();
    server.read_to_end(&mut got).expect("the server reads to the EOF");
    got
}

/// The relay asked for moved the bytes before the switch: `splice_out` calls on the upstream
/// with `--relay splice`, `send` calls with copy.
fn assert_relayed_by(h: &Harness, relay: Relay) {
    let spliced = h
        .seen
        .iter()
        .any(|e| matches!(e.kind, EventKind::SpliceOut { conn, .. } if conn == UPSTREAM));
    assert_eq!(spliced, relay == Relay::Splice, "{relay:?}: splice_out events");
}

fn injected_bytes_follow_every_byte_read_before_them(relay: Relay) {
    let (mut h, client, server, written) = stalled_pair(relay);
    h.send(Command::Inject {
        conn: CLIENT,
        dir: FaultDir::Up,
        data: bytes::Bytes::from_static(b"INJECTED"),
    });
    h.wait_for("injected", |e| matches!(e.kind, EventKind::Inject { .. }));
    client.shutdown(Shutdown::Write).unwrap();
    let got = read_to_end(server);
    assert_relayed_by(&h, relay);
    // The injection goes behind every byte the proxy had read when it came, and ahead of
    // what the client's kernel still held.
    let inject_at = h.seen.iter().position(|e| matches!(e.kind, EventKind::Inject { .. }));
    let read_before: usize = h.seen[..inject_at.unwrap()]
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Recv { conn, data, .. } | EventKind::PipeRead { conn, data, .. }
                if *conn == CLIENT =>
            {
                Some(data.len())
            }
            _ => None,
        })
        .sum();
    let mut expected = written[..read_before].to_vec();
    expected.extend_from_slice(b"INJECTED");
    expected.extend_from_slice(&written[read_before..]);
    assert!(got == expected, "{} bytes arrived, {} expected, in order", got.len(), expected.len());
}

fn a_fault_set_mid_stream_slices_what_follows_and_loses_nothing(relay: Relay) {
    let (mut h, client, server, written) = stalled_pair(relay);
    h.send(Command::SetFaults {
        conn: UPSTREAM,
        dir: FaultDir::Up,
        faults: vec![Fault::Slice(1000)],
    });
    h.wait_for("slice on", |e| {
        matches!(e.kind, EventKind::Fault { kind: FaultKind::Slice, state: FaultState::On, .. })
    });
    let since = h.seen.len();
    client.shutdown(Shutdown::Write).unwrap();
    let got = read_to_end(server);
    assert!(got == written, "{} bytes arrived of {}, in order", got.len(), written.len());
    assert_relayed_by(&h, relay);
    h.pump();
    let after: Vec<_> = h.seen[since..]
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Send { conn, requested, .. } if *conn == UPSTREAM => Some(*requested),
            EventKind::SpliceOut { conn, .. } if *conn == UPSTREAM => Some(usize::MAX),
            _ => None,
        })
        .collect();
    assert!(!after.is_empty(), "sends after the fault");
    assert!(after.iter().all(|&n| n <= 1000), "every send after the fault is a slice: {after:?}");
}

fn an_intercept_set_mid_stream_holds_the_next_message_not_the_waiting_bytes(relay: Relay) {
    let (mut h, mut client, server, mut written) = stalled_pair(relay);
    let rule =
        InterceptRule { framing: "line".parse().unwrap(), pattern: "re:^HOLD".parse().unwrap() };
    h.send(Command::Intercept { conn: CLIENT, dir: FaultDir::Up, rule: Some(rule) });
    h.wait_for("intercept on", |e| {
        matches!(e.kind, EventKind::Intercept { state: InterceptState::On, .. })
    });
    let reader = std::thread::spawn(move || read_to_end(server));
    client.set_write_timeout(None).unwrap();
    client.write_all(b"\nHOLD me\n").unwrap();
    written.extend_from_slice(b"\nHOLD me\n");
    let held = h.wait_for("held", |e| matches!(e.kind, EventKind::Held { .. }));
    let EventKind::Held { id, data, .. } = held.kind else { unreachable!() };
    assert_eq!(&data[..], b"HOLD me\n");
    h.send(Command::Release { conn: UPSTREAM, id, release: sockscope::event::Release::Forward });
    client.shutdown(Shutdown::Write).unwrap();
    let got = reader.join().unwrap();
    assert!(got == written, "{} bytes arrived of {}, in order", got.len(), written.len());
    assert_relayed_by(&h, relay);
}

relay_tests!(
    injected_bytes_follow_every_byte_read_before_them,
    a_fault_set_mid_stream_slices_what_follows_and_loses_nothing,
    an_intercept_set_mid_stream_holds_the_next_message_not_the_waiting_bytes,
);
