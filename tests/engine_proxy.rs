//! The proxy over loopback: relaying, half-close in both directions, resets, refused upstream,
//! and a large transfer checked byte for byte.

mod common;
#[path = "shared/relays.rs"]
mod relays;

use common::{Harness, ip};
use relays::Relay;
use sha2::{Digest, Sha256};
use sockscope::engine::{Engine, EngineConfig, FnSink};
use sockscope::event::{Address, ClosedBy, Command, ErrorKind, EventKind, How};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A real server, and a proxy in front of it; returns (proxy address, server listener).
fn proxy_to_server(h: &mut Harness) -> (std::net::SocketAddr, TcpListener) {
    let server = TcpListener::bind("127.0.0.1:0").unwrap();
    let upstream = vec![Address::Ip(server.local_addr().unwrap())];
    h.send(Command::Proxy { listen: "127.0.0.1:0".parse().unwrap(), upstream });
    let (_, addr) = h.listening();
    (ip(&addr), server)
}

fn half_close_from_the_client_keeps_the_reply_flowing(relay: Relay) {
    let mut h = Harness::start(EngineConfig { relay, ..EngineConfig::default() });
    let (proxy, server) = proxy_to_server(&mut h);
    let mut client = TcpStream::connect(proxy).unwrap();
    let (mut upstream, _) = server.accept().unwrap();
    client.write_all(b"request body").unwrap();
    client.shutdown(Shutdown::Write).unwrap();
    let mut request = Vec::new();
    upstream.read_to_end(&mut request).unwrap();
    assert_eq!(request, b"request body", "every byte before the EOF is delivered first");
    upstream.write_all(b"reply after the client's EOF").unwrap();
    upstream.shutdown(Shutdown::Write).unwrap();
    let mut reply = Vec::new();
    client.read_to_end(&mut reply).unwrap();
    assert_eq!(reply, b"reply after the client's EOF");
    h.wait_for("shutdown forwarded", |e| {
        matches!(e.kind, EventKind::Shutdown { how: How::Write, .. })
    });
    common::eventually("both sides closed", || {
        h.pump();
        h.count(|e| matches!(e.kind, EventKind::Close { by: ClosedBy::Peer, .. })) == 2
    });
}

fn half_close_from_the_server_keeps_the_client_sending(relay: Relay) {
    let mut h = Harness::start(EngineConfig { relay, ..EngineConfig::default() });
    let (proxy, server) = proxy_to_server(&mut h);
    let mut client = TcpStream::connect(proxy).unwrap();
    let (mut upstream, _) = server.accept().unwrap();
    upstream.write_all(b"banner").unwrap();
    upstream.shutdown(Shutdown::Write).unwrap();
    let mut banner = Vec::new();
    client.read_to_end(&mut banner).unwrap();
    assert_eq!(banner, b"banner");
    client.write_all(b"still talking").unwrap();
    client.shutdown(Shutdown::Write).unwrap();
    let mut late = Vec::new();
    upstream.read_to_end(&mut late).unwrap();
    assert_eq!(late, b"still talking");
}

fn a_client_reset_resets_the_upstream(relay: Relay) {
    let mut h = Harness::start(EngineConfig { relay, ..EngineConfig::default() });
    let (proxy, server) = proxy_to_server(&mut h);
    let client = TcpStream::connect(proxy).unwrap();
    let (mut upstream, _) = server.accept().unwrap();
    h.wait_for("upstream connected", |e| matches!(e.kind, EventKind::Connected { .. }));
    socket2::SockRef::from(&client).set_linger(Some(Duration::ZERO)).unwrap();
    drop(client);
    let mut buf = [0; 8];
    let err = upstream.read(&mut buf).expect_err("the reset is passed on, not turned into EOF");
    assert_eq!(err.kind(), std::io::ErrorKind::ConnectionReset);
    h.wait_for("client reset seen", |e| {
        matches!(e.kind, EventKind::Close { by: ClosedBy::Reset, .. })
    });
    h.wait_for("upstream reset", |e| matches!(e.kind, EventKind::Reset { .. }));
}

fn a_refused_upstream_resets_the_client(relay: Relay) {
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let mut h = Harness::start(EngineConfig { relay, ..EngineConfig::default() });
    h.send(Command::Proxy {
        listen: "127.0.0.1:0".parse().unwrap(),
        upstream: vec![Address::Ip(closed)],
    });
    let (_, addr) = h.listening();
    let mut client = TcpStream::connect(ip(&addr)).unwrap();
    let mut buf = [0; 8];
    let err = client.read(&mut buf).expect_err("reset");
    assert_eq!(err.kind(), std::io::ErrorKind::ConnectionReset);
    h.wait_for("refused", |e| matches!(e.kind, EventKind::Error { kind: ErrorKind::Refused, .. }));
    let connect = h.wait_for("upstream connect", |e| matches!(e.kind, EventKind::Connect { .. }));
    assert!(
        matches!(connect.kind, EventKind::Connect { pair: Some(_), .. }),
        "the upstream names its client"
    );
}

/// Bytes and SHA-256 of everything the engine reported received, per connection.
#[derive(Default)]
struct Tally {
    bytes: HashMap<u64, u64>,
    digests: HashMap<u64, Sha256>,
    closes: usize,
    /// The calls that brought bytes into user space: `recv` and `read` of the pipe.
    recvs: usize,
    pipe_reads: usize,
}

fn pattern(seed: u8, len: usize) -> Vec<u8> {
    (0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)).collect()
}

/// Writes `total` bytes in 1 MiB pieces while hashing them; returns the digest.
fn send_all(mut stream: TcpStream, seed: u8, total: usize) -> [u8; 32] {
    let piece = pattern(seed, 1 << 20);
    let mut hash = Sha256::new();
    for _ in 0..total / piece.len() {
        stream.write_all(&piece).unwrap();
        hash.update(&piece);
    }
    stream.shutdown(Shutdown::Write).unwrap();
    hash.finalize().into()
}

fn receive_all(mut stream: TcpStream) -> (usize, [u8; 32]) {
    let mut hash = Sha256::new();
    let mut buf = vec![0; 256 << 10];
    let mut total = 0;
    loop {
        let n = stream.read(&mut buf).unwrap();
        if n == 0 {
            return (total, hash.finalize().into());
        }
        hash.update(&buf[..n]);
        total += n;
    }
}

fn a_hundred_mib_each_way_arrives_intact_and_every_byte_is_an_event(relay: Relay) {
    const TOTAL: usize = 100 << 20;
    let tally = Arc::new(Mutex::new(Tally::default()));
    let (tx, rx) = std::sync::mpsc::channel();
    let sink_tally = Arc::clone(&tally);
    let sink = FnSink(move |event: sockscope::event::Event| {
        let mut t = sink_tally.lock().unwrap();
        match &event.kind {
            EventKind::Recv { conn, data, .. } | EventKind::PipeRead { conn, data, .. } => {
                if matches!(event.kind, EventKind::Recv { .. }) {
                    t.recvs += 1;
                } else {
                    t.pipe_reads += 1;
                }
                *t.bytes.entry(conn.0).or_default() += data.len() as u64;
                t.digests.entry(conn.0).or_default().update(data);
            }
            EventKind::Close { .. } => t.closes += 1,
            EventKind::Listen { local, .. } => tx.send(local.clone()).unwrap(),
            _ => {}
        }
        true
    });
    let engine = Engine::start(EngineConfig { relay, ..EngineConfig::default() }, sink).unwrap();
    let server = TcpListener::bind("127.0.0.1:0").unwrap();
    let upstream = vec![Address::Ip(server.local_addr().unwrap())];
    engine.send(Command::Proxy { listen: "127.0.0.1:0".parse().unwrap(), upstream }).unwrap();
    let proxy = ip(&rx.recv_timeout(common::DEADLINE).unwrap());

    let client = TcpStream::connect(proxy).unwrap();
    let (upstream, _) = server.accept().unwrap();
    let (client_r, upstream_r) = (client.try_clone().unwrap(), upstream.try_clone().unwrap());
    let sent_up = std::thread::spawn(move || send_all(client, 1, TOTAL));
    let sent_down = std::thread::spawn(move || send_all(upstream, 2, TOTAL));
    let got_up = std::thread::spawn(move || receive_all(upstream_r));
    let got_down = receive_all(client_r);
    let (got_up, sent_up, sent_down) =
        (got_up.join().unwrap(), sent_up.join().unwrap(), sent_down.join().unwrap());

    assert_eq!(got_up, (TOTAL, sent_up), "client to server: every byte, in order");
    assert_eq!(got_down, (TOTAL, sent_down), "server to client: every byte, in order");
    common::eventually("both sides closed", || tally.lock().unwrap().closes >= 2);
    // The engine must be gone before the lock is taken: its final `close` events need it.
    drop(engine);
    let mut t = tally.lock().unwrap();
    let mut seen: Vec<(u64, [u8; 32])> = t
        .bytes
        .clone()
        .into_iter()
        .map(|(conn, n)| (n, t.digests.remove(&conn).unwrap().finalize().into()))
        .collect();
    seen.sort_unstable();
    let mut expected = vec![(TOTAL as u64, sent_up), (TOTAL as u64, sent_down)];
    expected.sort_unstable();
    assert_eq!(seen, expected, "the recv (or pipe read) events carry exactly the relayed bytes");
    let made = match relay {
        Relay::Copy => (t.recvs > 0, t.pipe_reads),
        Relay::Splice => (t.pipe_reads > 0, t.recvs),
    };
    assert_eq!(made, (true, 0), "{relay:?}: every byte went by the relay asked for");
}

#[test]
fn echo_mode_sends_back_every_byte_then_closes_after_eof() {
    let mut h =
        Harness::start(EngineConfig { echo: true, relay_limit: 4096, ..EngineConfig::default() });
    let (_, addr) = h.listen("127.0.0.1:0");
    let client = TcpStream::connect(ip(&addr)).unwrap();
    let reader = client.try_clone().unwrap();
    let sent = std::thread::spawn(move || send_all(client, 7, 8 << 20));
    let (len, digest) = receive_all(reader);
    assert_eq!(
        (len, digest),
        (8 << 20, sent.join().unwrap()),
        "the echo is exact despite backpressure"
    );
    h.wait_for("shutdown after the echo", |e| {
        matches!(e.kind, EventKind::Shutdown { how: How::Write, .. })
    });
    h.wait_for("close", |e| matches!(e.kind, EventKind::Close { by: ClosedBy::Peer, .. }));
}

fn bytes_queued_for_a_failed_upstream_attempt_reach_the_next_candidate(relay: Relay) {
    let (silent, _keep) = common::unanswering_listener();
    let server = TcpListener::bind("127.0.0.1:0").unwrap();
    let upstream = vec![Address::Ip(silent), Address::Ip(server.local_addr().unwrap())];
    let config = EngineConfig {
        connect_timeout: Some(Duration::from_millis(300)),
        relay,
        ..EngineConfig::default()
    };
    let mut h = Harness::start(config);
    h.send(Command::Proxy { listen: "127.0.0.1:0".parse().unwrap(), upstream });
    let (_, addr) = h.listening();
    let mut client = TcpStream::connect(ip(&addr)).unwrap();
    client.write_all(b"first words").unwrap();
    client.shutdown(Shutdown::Write).unwrap();
    h.wait_for("first words read", |e| {
        matches!(e.kind, EventKind::Recv { .. } | EventKind::PipeRead { .. })
    });
    h.wait_for("first candidate timed out", |e| {
        matches!(e.kind, EventKind::Error { kind: ErrorKind::TimedOut, .. })
    });
    let (mut upstream_conn, _) = server.accept().unwrap();
    upstream_conn.set_read_timeout(Some(common::DEADLINE)).unwrap();
    let mut got = Vec::new();
    let read = upstream_conn.read_to_end(&mut got);
    assert_eq!(got, b"first words", "nothing queued before the retry is lost");
    assert!(read.is_ok(), "the client's EOF follows its bytes: {read:?}");
}

relay_tests!(
    half_close_from_the_client_keeps_the_reply_flowing,
    half_close_from_the_server_keeps_the_client_sending,
    a_client_reset_resets_the_upstream,
    a_refused_upstream_resets_the_client,
    a_hundred_mib_each_way_arrives_intact_and_every_byte_is_an_event,
    bytes_queued_for_a_failed_upstream_attempt_reach_the_next_candidate,
);
