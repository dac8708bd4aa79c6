//! Faults around the real `sockscope proxy`: a refusing upstream, a reset from either side mid
//! stream, an upstream that goes away while the client still sends, and both sides half-closing
//! at once. Each must be reported on both connections of the pair and leave no socket behind
//! in the proxy process (counted from `/proc/PID/fd`).

#[path = "shared/relays.rs"]
mod relays;
mod support;

use relays::Relay;
use serde_json::Value;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::time::{Duration, Instant};
use support::DEADLINE;
use support::live::{Live, ev, is};

/// Ids in a proxy session: the listener, the first client, and its upstream connection.
const CLIENT: u64 = 2;
const UPSTREAM: u64 = 3;

/// A proxy to `upstream` and the number of sockets it holds with no client yet (its listener
/// and the runtime's own).
fn proxy(relay: Relay, upstream: &str) -> (Live, usize) {
    let args = ["proxy", "127.0.0.1:0", upstream, "--headless", "--json", "--relay", relay.name()];
    let live = Live::start(&args);
    let baseline = live.socket_fds();
    assert!(baseline >= 1, "the listener is a socket");
    (live, baseline)
}

/// The call that reads a proxied socket under `relay` (`splice` into the pipe, or `recv`).
fn reading(relay: Relay) -> &'static str {
    match relay {
        Relay::Copy => "recv",
        Relay::Splice => "splice",
    }
}

/// The call that writes a proxied socket under `relay` (`splice` from the pipe, or `send`).
fn writing(relay: Relay) -> &'static str {
    match relay {
        Relay::Copy => "send",
        Relay::Splice => "splice",
    }
}

/// Waits for the `close` of `conn` and returns what closed it.
fn closed_by(live: &mut Live, conn: u64) -> String {
    let close = live.wait_for(&format!("close of {conn}"), |e| is(e, "close", conn));
    close["by"].as_str().unwrap_or_default().to_owned()
}

/// The `error` events of `conn` as (op, kind).
fn errors(live: &Live, conn: u64) -> Vec<(String, String)> {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    live.seen
        .iter()
        .filter(|e| is(e, "error", conn))
        .map(|e| (text(&e["op"]), text(&e["kind"])))
        .collect()
}

/// Waits until the proxy holds no more sockets than before its first client.
fn no_socket_left(live: &Live, baseline: usize) {
    let end = Instant::now() + DEADLINE;
    loop {
        let held = live.socket_fds();
        if held <= baseline {
            return;
        }
        assert!(
            Instant::now() < end,
            "{held} sockets held, {baseline} before; log:\n{}",
            live.log()
        );
        std::thread::park_timeout(Duration::from_millis(10));
    }
}

fn server() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    (listener, addr)
}

fn connect(live: &Live) -> TcpStream {
    let stream = TcpStream::connect(live.addr).unwrap();
    stream.set_read_timeout(Some(DEADLINE)).unwrap();
    stream.set_write_timeout(Some(DEADLINE)).unwrap();
    stream
}

fn abort(stream: TcpStream) {
    socket2::SockRef::from(&stream).set_linger(Some(Duration::ZERO)).unwrap();
    drop(stream);
}

fn read_some(stream: &mut TcpStream, want: &[u8]) {
    let mut got = vec![0; want.len()];
    stream.read_exact(&mut got).unwrap();
    assert_eq!(got, want);
}

fn a_refusing_upstream_resets_the_client_and_leaves_nothing_open(relay: Relay) {
    let refused = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().to_string();
    let (mut live, baseline) = proxy(relay, &refused);
    let mut client = connect(&live);
    let err = client.read(&mut [0; 8]).expect_err("the client is reset");
    assert_eq!(err.kind(), ErrorKind::ConnectionReset);
    assert_eq!(closed_by(&mut live, UPSTREAM), "error");
    assert_eq!(errors(&live, UPSTREAM), [("connect".into(), "refused".into())]);
    live.wait_for("client reset", |e| is(e, "reset", CLIENT));
    assert_eq!(closed_by(&mut live, CLIENT), "local");
    no_socket_left(&live, baseline);
}

fn an_upstream_reset_mid_stream_resets_the_client(relay: Relay) {
    let (server, up) = server();
    let (mut live, baseline) = proxy(relay, &up);
    let mut client = connect(&live);
    let (mut upstream, _) = server.accept().unwrap();
    client.write_all(b"request").unwrap();
    read_some(&mut upstream, b"request");
    upstream.write_all(b"half a repl").unwrap();
    read_some(&mut client, b"half a repl");
    abort(upstream);
    let mut rest = Vec::new();
    let err = client.read_to_end(&mut rest).expect_err("the client is reset, not ended");
    assert_eq!(err.kind(), ErrorKind::ConnectionReset);
    assert_eq!(closed_by(&mut live, UPSTREAM), "reset");
    assert_eq!(errors(&live, UPSTREAM), [(reading(relay).into(), "reset".into())]);
    live.wait_for("client reset", |e| is(e, "reset", CLIENT));
    assert_eq!(closed_by(&mut live, CLIENT), "local");
    no_socket_left(&live, baseline);
}

fn a_client_reset_mid_stream_resets_the_upstream(relay: Relay) {
    let (server, up) = server();
    let (mut live, baseline) = proxy(relay, &up);
    let mut client = connect(&live);
    let (mut upstream, _) = server.accept().unwrap();
    upstream.set_read_timeout(Some(DEADLINE)).unwrap();
    client.write_all(b"half a reque").unwrap();
    read_some(&mut upstream, b"half a reque");
    abort(client);
    let mut rest = Vec::new();
    let err = upstream.read_to_end(&mut rest).expect_err("the upstream is reset, not ended");
    assert_eq!(err.kind(), ErrorKind::ConnectionReset);
    assert_eq!(closed_by(&mut live, CLIENT), "reset");
    assert_eq!(errors(&live, CLIENT), [(reading(relay).into(), "reset".into())]);
    live.wait_for("upstream reset", |e| is(e, "reset", UPSTREAM));
    assert_eq!(closed_by(&mut live, UPSTREAM), "local");
    no_socket_left(&live, baseline);
}

fn an_upstream_closing_while_the_client_still_sends_ends_both(relay: Relay) {
    let (server, up) = server();
    let (mut live, baseline) = proxy(relay, &up);
    let client = connect(&live);
    let (mut upstream, _) = server.accept().unwrap();
    upstream.set_read_timeout(Some(DEADLINE)).unwrap();
    let mut writer = client.try_clone().unwrap();
    let flood = std::thread::spawn(move || {
        let piece = [b'x'; 16 << 10];
        let end = Instant::now() + DEADLINE;
        while Instant::now() < end {
            if let Err(e) = writer.write_all(&piece) {
                return e.kind();
            }
        }
        ErrorKind::TimedOut
    });
    read_some(&mut upstream, &[b'x'; 1000]);
    drop(upstream);
    let kind = flood.join().unwrap();
    assert!(
        matches!(kind, ErrorKind::ConnectionReset | ErrorKind::BrokenPipe),
        "the client's sending fails: {kind:?}"
    );
    let by = closed_by(&mut live, UPSTREAM);
    assert!(by == "reset" || by == "error", "upstream closed by {by}");
    let upstream_errors = errors(&live, UPSTREAM);
    assert!(
        upstream_errors.iter().any(|(op, kind)| {
            [reading(relay), writing(relay)].contains(&op.as_str())
                && (kind == "reset" || kind == "broken_pipe")
        }),
        "the upstream's failure is reported: {upstream_errors:?}"
    );
    live.wait_for("client reset", |e| is(e, "reset", CLIENT));
    assert_eq!(closed_by(&mut live, CLIENT), "local");
    drop(client);
    no_socket_left(&live, baseline);
}

fn both_sides_half_closing_at_once_deliver_everything_and_close_both(relay: Relay) {
    let (server, up) = server();
    let (mut live, baseline) = proxy(relay, &up);
    let mut client = connect(&live);
    let (mut upstream, _) = server.accept().unwrap();
    upstream.set_read_timeout(Some(DEADLINE)).unwrap();
    live.wait_for("upstream connected", |e| is(e, "connected", UPSTREAM));
    client.write_all(b"from the client").unwrap();
    upstream.write_all(b"from the server").unwrap();
    client.shutdown(Shutdown::Write).unwrap();
    upstream.shutdown(Shutdown::Write).unwrap();
    let (mut to_server, mut to_client) = (Vec::new(), Vec::new());
    upstream.read_to_end(&mut to_server).unwrap();
    client.read_to_end(&mut to_client).unwrap();
    assert_eq!(to_server, b"from the client");
    assert_eq!(to_client, b"from the server");
    for conn in [CLIENT, UPSTREAM] {
        live.wait_for("eof", |e| is(e, "eof", conn));
        live.wait_for("shutdown(write)", |e| is(e, "shutdown", conn) && e["how"] == "write");
        assert_eq!(closed_by(&mut live, conn), "peer", "conn {conn}");
        assert_eq!(errors(&live, conn), [], "conn {conn}: no error in an orderly end");
    }
    no_socket_left(&live, baseline);
    assert_eq!(live.count(|e| ev(e) == "reset"), 0);
}

/// A client that sends a line and closes at once, to a server that answers only after the
/// client's EOF: the answer reaches a client socket that no longer exists, which resets the
/// proxy's side, so the `shutdown(write)` that would pass the server's EOF on fails (ENOTCONN).
/// That side must still be closed, not left half-open and unwatched.
fn a_failing_shutdown_still_closes_the_connection(relay: Relay) {
    let (server, up) = server();
    let (mut live, baseline) = proxy(relay, &up);
    let mut client = connect(&live);
    client.write_all(b"hi\n").unwrap();
    drop(client);
    let (mut upstream, _) = server.accept().unwrap();
    upstream.set_read_timeout(Some(DEADLINE)).unwrap();
    let mut request = Vec::new();
    upstream.read_to_end(&mut request).unwrap();
    assert_eq!(request, b"hi\n");
    upstream.write_all(b"too late\n").unwrap();
    drop(upstream);
    let by = closed_by(&mut live, CLIENT);
    assert!(by == "error" || by == "reset", "the client side closed by {by}");
    closed_by(&mut live, UPSTREAM);
    no_socket_left(&live, baseline);
}

relay_tests!(
    a_refusing_upstream_resets_the_client_and_leaves_nothing_open,
    an_upstream_reset_mid_stream_resets_the_client,
    a_client_reset_mid_stream_resets_the_upstream,
    an_upstream_closing_while_the_client_still_sends_ends_both,
    both_sides_half_closing_at_once_deliver_everything_and_close_both,
    a_failing_shutdown_still_closes_the_connection,
);
