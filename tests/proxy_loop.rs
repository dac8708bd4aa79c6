//! A proxy whose upstream is its own listener would relay each client to itself, and accept
//! its own upstream connections as new clients without end. It refuses at start when the
//! addresses show the loop, and otherwise closes the loop at its first turn.

#[path = "shared/relays.rs"]
mod relays;
mod support;

use relays::Relay;
use std::io::{ErrorKind, Read};
use std::net::{TcpListener, TcpStream};
use std::process::Stdio;
use support::DEADLINE;
use support::live::{Live, ev, is};

/// A port nothing listens on right now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn an_upstream_that_is_the_listening_address_is_refused_at_start(relay: Relay) {
    let port = free_port();
    for (listen, upstream) in [
        (port.to_string(), format!("127.0.0.1:{port}")),
        (format!("0.0.0.0:{port}"), format!("localhost:{port}")),
    ] {
        let args =
            ["proxy", listen.as_str(), upstream.as_str(), "--headless", "--relay", relay.name()];
        let mut child = support::sockscope()
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let code = support::wait_with_deadline(&mut child);
        let mut stderr = String::new();
        child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
        assert_eq!(code, 2, "{args:?}: {stderr}");
        let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
        assert_eq!(errors.len(), 1, "one line says why: {stderr}");
        assert!(errors[0].contains("own listening address") && errors[0].contains("loop"));
    }
}

/// `[::]` takes IPv4 connections too, so `127.0.0.1:PORT` reaches it: a loop the addresses
/// alone do not show.
fn a_loop_the_addresses_hide_is_closed_at_its_first_turn(relay: Relay) {
    let port = free_port();
    let (listen, upstream) = (format!("[::]:{port}"), format!("127.0.0.1:{port}"));
    let mut live = Live::start(&[
        "proxy",
        &listen,
        &upstream,
        "--headless",
        "--json",
        "--relay",
        relay.name(),
    ]);
    let mut client = TcpStream::connect(("127.0.0.1", port)).unwrap();
    client.set_read_timeout(Some(DEADLINE)).unwrap();
    let err = client.read(&mut [0; 8]).expect_err("the client is reset");
    assert_eq!(err.kind(), ErrorKind::ConnectionReset);
    let looped = live.wait_for("the loop's error", |e| {
        ev(e) == "error" && e["op"] == "accept" && e["message"].as_str().unwrap().contains("loop")
    });
    let looped_conn = looped["conn"].as_u64().unwrap();
    live.wait_for("its close", |e| is(e, "close", looped_conn) && e["by"] == "error");
    live.wait_for("the upstream's error", |e| {
        is(e, "error", 3) && e["message"].as_str().unwrap().contains("own listener (a loop)")
    });
    live.wait_for("the client's reset", |e| is(e, "reset", 2));
    live.pump();
    assert_eq!(live.count(|e| ev(e) == "accept"), 2, "the client, and one turn of the loop");
}

relay_tests!(
    an_upstream_that_is_the_listening_address_is_refused_at_start,
    a_loop_the_addresses_hide_is_closed_at_its_first_turn,
);
