//! Resource exhaustion against the real binary: running out of descriptors pauses accepting
//! without spinning or dying and resumes when descriptors free up; a low open-file limit is
//! reported; slow peers meet `--idle-timeout`; hundreds of idle connections cost no CPU.

mod support;

use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};
use support::DEADLINE;
use support::live::{Live, ev, is};

/// Listener id in every run below: the first socket of the session.
const LISTENER: u64 = 1;

fn accepts(seen: &[Value]) -> usize {
    seen.iter().filter(|e| ev(e) == "accept").count()
}

fn is_accept_paused(e: &Value) -> bool {
    is(e, "error", LISTENER)
        && e["op"] == "accept"
        && e["message"].as_str().is_some_and(|m| m.contains("accepting paused"))
}

fn listener_interest(e: &Value, read: bool) -> bool {
    is(e, "interest", LISTENER) && e["read"] == read
}

/// Lets `window` of wall time pass (the span over which CPU use is measured; nothing is awaited).
fn let_time_pass(window: Duration) {
    let end = Instant::now() + window;
    while Instant::now() < end {
        std::thread::park_timeout(end.saturating_duration_since(Instant::now()));
    }
}

#[test]
fn out_of_descriptors_pauses_accepting_without_spinning_and_resumes() {
    let args = ["listen", "127.0.0.1:0", "--headless", "--json", "--max-conns", "1000"];
    let mut live = Live::start_with_fd_limit(&args, Some(64));
    assert!(
        live.stderr_lines
            .iter()
            .any(|l| l.contains("open-file limit is 64") && l.contains("--max-conns 1000")),
        "a limit below --max-conns is reported: {:?}",
        live.stderr_lines
    );
    let mut clients = Vec::new();
    let end = Instant::now() + DEADLINE;
    while !live.seen.iter().any(is_accept_paused) {
        assert!(Instant::now() < end && clients.len() < 200, "never paused:\n{}", live.log());
        clients.push(TcpStream::connect(live.addr).unwrap());
        let opened = clients.len();
        live.wait_until("an accept or the pause", |seen| {
            accepts(seen) == opened || seen.iter().any(is_accept_paused)
        });
    }
    for _ in 0..10 {
        clients.push(TcpStream::connect(live.addr).unwrap());
    }
    live.wait_for("the listener unwatched", |e| listener_interest(e, false));
    let accepted = accepts(&live.seen);
    assert!(accepted < clients.len(), "some clients wait in the backlog");

    let cpu_before = live.cpu_time();
    let_time_pass(Duration::from_secs(1));
    let cpu = live.cpu_time().saturating_sub(cpu_before);
    assert!(cpu < Duration::from_millis(250), "paused for 1 s, used {cpu:?} of CPU");
    live.pump();
    assert_eq!(accepts(&live.seen), accepted, "nothing accepted while descriptors are out");
    assert_eq!(live.count(is_accept_paused), 1, "the pause is reported once, not per retry");

    // Free 30 descriptors: every waiting client fits now.
    let waiting = clients.len() - accepted;
    assert!(waiting < 30, "{waiting} waiting");
    clients.drain(..30);
    let total = accepted + waiting;
    live.wait_until("every waiting client accepted", |seen| accepts(seen) == total);
    live.wait_for("the listener watched again", |e| listener_interest(e, true));

    let mut late = TcpStream::connect(live.addr).unwrap();
    late.write_all(b"still serving").unwrap();
    live.wait_for("a new client's bytes", |e| {
        ev(e) == "recv" && e["data"] == hex::encode(b"still serving")
    });
    let alive = live.child.try_wait().unwrap().is_none();
    assert!(alive, "sockscope keeps running");
    assert_eq!(live.count(|e| ev(e) == "close" && e["conn"] == LISTENER), 0, "listener open");
}

/// A peer that writes one byte every `gap` until the connection fails or `bytes` are sent;
/// returns how many bytes it sent and whether the connection was closed on it.
fn slow_peer(addr: std::net::SocketAddr, gap: Duration, bytes: usize) -> (usize, bool) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_millis(1))).unwrap();
    let end = Instant::now() + DEADLINE;
    let mut next = Instant::now();
    let mut sent = 0;
    while sent < bytes && Instant::now() < end {
        // The peer's own pacing: wait for its next byte's time, watching for the close.
        let mut buf = [0; 1];
        match stream.read(&mut buf) {
            Ok(0) => return (sent, true),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return (sent, true),
            _ => {}
        }
        if Instant::now() >= next {
            if stream.write_all(b".").is_err() {
                return (sent, true);
            }
            sent += 1;
            next += gap;
        }
        std::thread::park_timeout(Duration::from_millis(10));
    }
    (sent, false)
}

#[test]
fn idle_timeout_closes_a_peer_slower_than_it_and_spares_a_faster_one() {
    let args = ["listen", "127.0.0.1:0", "--headless", "--json", "--idle-timeout", "1"];
    let mut live = Live::start(&args);
    let addr = live.addr;
    let fast = std::thread::spawn(move || slow_peer(addr, Duration::from_millis(300), 12));
    let slow = std::thread::spawn(move || slow_peer(addr, Duration::from_millis(2500), 3));
    let (fast_sent, fast_closed) = fast.join().unwrap();
    let (slow_sent, slow_closed) = slow.join().unwrap();
    assert_eq!((fast_sent, fast_closed), (12, false), "a byte every 300 ms is activity");
    assert!(slow_closed && slow_sent == 1, "closed before its second byte: sent {slow_sent}");
    let timed_out = live.wait_for("idle timeout", |e| {
        ev(e) == "error" && e["op"] == "idle" && e["kind"] == "timed_out"
    });
    let conn = timed_out["conn"].as_u64().unwrap();
    live.wait_for("close after the timeout", |e| is(e, "close", conn) && e["by"] == "error");
    let recvs = live.count(|e| is(e, "recv", conn));
    assert_eq!(recvs, 1, "the slow peer's only byte arrived before the timeout");
}

#[test]
fn hundreds_of_idle_connections_cost_no_cpu() {
    const CONNS: usize = 500;
    let mut live = Live::start(&["listen", "127.0.0.1:0", "--headless", "--json"]);
    let clients: Vec<TcpStream> =
        (0..CONNS).map(|_| TcpStream::connect(live.addr).unwrap()).collect();
    live.wait_until("every connection accepted", |seen| accepts(seen) == CONNS);
    live.pump();
    let rounds_before = live.count(|e| ev(e) == "ready");
    let cpu_before = live.cpu_time();
    let_time_pass(Duration::from_secs(2));
    let cpu = live.cpu_time().saturating_sub(cpu_before);
    assert!(cpu < Duration::from_millis(100), "{CONNS} idle connections used {cpu:?} in 2 s");
    live.pump();
    let rounds = live.count(|e| ev(e) == "ready") - rounds_before;
    assert_eq!(rounds, 0, "no poll round reports anything while nothing happens");
    drop(clients);
}

/// An echo server for the splice test: it reads nothing until `together` connections are
/// open, so that every pair has bytes waiting at once; then each echoes until its client's EOF.
fn echo_upstream(together: usize) -> std::net::SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let all_open = std::sync::Arc::new(std::sync::Barrier::new(together));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let all_open = std::sync::Arc::clone(&all_open);
            std::thread::spawn(move || {
                all_open.wait();
                let mut reader = stream.try_clone().unwrap();
                let mut writer = stream;
                let _ = std::io::copy(&mut reader, &mut writer);
                let _ = writer.shutdown(std::net::Shutdown::Write);
            });
        }
    });
    addr
}

/// `--relay splice` with too few descriptors for every pipe it would like: chunks that get no
/// pipe are copied, spare pipes give way to new clients, and every client gets its own bytes
/// back. Both kinds of call are in the log.
#[test]
fn a_splice_relay_short_of_descriptors_copies_and_loses_nothing() {
    const CLIENTS: usize = 8;
    const EACH: usize = 384 * 1024;
    let upstream = echo_upstream(CLIENTS).to_string();
    // Small send buffers keep each pair's bytes in its pipe while the server is not reading.
    let args = ["proxy", "127.0.0.1:0", &upstream, "--headless", "--json", "--relay", "splice"];
    let args = [&args[..], &["--sndbuf", "4096"]].concat();
    let mut live = Live::start_with_fd_limit(&args, Some(36));
    let addr = live.addr;
    let clients: Vec<_> = (0..CLIENTS)
        .map(|i| {
            std::thread::spawn(move || {
                let payload: Vec<u8> = (0..EACH).map(|n| (n * 7 + i) as u8).collect();
                let mut stream = TcpStream::connect(addr).unwrap();
                stream.set_read_timeout(Some(DEADLINE)).unwrap();
                let mut reader = stream.try_clone().unwrap();
                let echoed = std::thread::spawn(move || {
                    let mut back = Vec::new();
                    reader.read_to_end(&mut back).map(|_| back)
                });
                for piece in payload.chunks(8 * 1024) {
                    stream.write_all(piece).unwrap();
                }
                stream.shutdown(std::net::Shutdown::Write).unwrap();
                (payload, echoed.join().unwrap())
            })
        })
        .collect();
    for (i, client) in clients.into_iter().enumerate() {
        let (sent, echoed) = client.join().unwrap();
        let echoed = echoed.unwrap_or_else(|e| panic!("client {i}: {e}\n{}", live.log()));
        assert!(echoed == sent, "client {i}: {} bytes back of {}", echoed.len(), sent.len());
    }
    live.wait_until("every pair closed", |seen| {
        seen.iter().filter(|e| ev(e) == "close").count() >= 2 * CLIENTS
    });
    let spliced = live.seen.iter().any(|e| ev(e) == "pipe_read");
    let copied = live.seen.iter().any(|e| ev(e) == "recv");
    assert!(spliced && copied, "pipe reads: {spliced}, recvs: {copied}\n{}", live.log());
}
