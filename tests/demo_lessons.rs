//! Every lesson scenario is also a test: `sockscope demo NAME --headless --json` runs to
//! completion, exits 0, and its event log shows the behaviour the lesson teaches.

mod support;

use serde_json::Value;
use support::{demo_output, json_lines, sockscope};

/// Runs `sockscope demo NAME --headless --json` to its end (with a deadline) and returns its
/// events; fails unless it exits 0.
fn run(name: &str) -> Vec<Value> {
    let events = json_lines(&demo_output(name));
    assert_eq!(events.first().map(|e| e["ev"].clone()), Some("session".into()));
    events
}

fn ev<'a>(events: &'a [Value], kind: &'a str) -> impl Iterator<Item = (usize, &'a Value)> + 'a {
    events.iter().enumerate().filter(move |(_, e)| e["ev"] == kind)
}

fn conn(event: &Value) -> u64 {
    event["conn"].as_u64().expect("a conn id")
}

/// The client sockets, in the order the scenario connected them.
fn clients(events: &[Value]) -> Vec<u64> {
    ev(events, "connect").map(|(_, e)| conn(e)).collect()
}

/// Bodies of the `message` events of one connection and direction, as text.
fn bodies(events: &[Value], id: u64, dir: &str) -> Vec<String> {
    ev(events, "message")
        .filter(|(_, e)| conn(e) == id && e["dir"] == dir)
        .map(|(_, e)| text(e))
        .collect()
}

fn text(event: &Value) -> String {
    let data = hex::decode(event["data"].as_str().unwrap_or_default()).expect("hex data");
    String::from_utf8_lossy(&data).into_owned()
}

fn ids(value: &Value) -> Vec<u64> {
    value.as_array().map(|a| a.iter().filter_map(Value::as_u64).collect()).unwrap_or_default()
}

#[test]
fn echo_accept_makes_a_new_socket_per_client() {
    let events = run("echo");
    let listener = ev(&events, "listen").map(|(_, e)| conn(e)).next().expect("a listener");
    let accepted: Vec<u64> = ev(&events, "accept").map(|(_, e)| conn(e)).collect();
    assert_eq!(accepted.len(), 2, "{accepted:?}");
    assert_ne!(accepted[0], accepted[1]);
    assert!(!accepted.contains(&listener));
    assert!(!ev(&events, "recv").any(|(_, e)| conn(e) == listener), "the listener moves no data");
}

#[test]
fn partial_recv_splits_a_message_across_several_recvs() {
    let events = run("partial-recv");
    assert!(ev(&events, "recv").all(|(_, e)| e["max"] == 5 && e["len"].as_u64() <= Some(5)));
    let mut recvs_since_message = std::collections::HashMap::<u64, usize>::new();
    let mut pieces = Vec::new();
    for e in &events {
        if e["ev"] == "recv" {
            *recvs_since_message.entry(conn(e)).or_default() += 1;
        } else if e["ev"] == "message" && e["dir"] == "in" {
            pieces.push(recvs_since_message.insert(conn(e), 0).unwrap_or(0));
        }
    }
    assert!(pieces.iter().any(|n| *n >= 2), "recvs per message: {pieces:?}");
    let server = ev(&events, "accept").map(|(_, e)| conn(e)).next().expect("accepted");
    let got = bodies(&events, server, "in");
    assert!(got.contains(&"this line is sent in two halves; framing waits for the rest".into()));
    assert!(got.contains(&"in one send".into()), "{got:?}");
}

#[test]
fn partial_send_sends_less_than_asked_then_blocks_then_resumes() {
    let events = run("partial-send");
    let client = clients(&events)[0];
    let on_client = |(_, e): &(usize, &Value)| conn(e) == client;
    let partial = ev(&events, "send")
        .filter(on_client)
        .find(|(_, e)| e["len"].as_u64() < e["requested"].as_u64())
        .map(|(i, _)| i)
        .expect("a send that accepted less than requested");
    let blocked = ev(&events, "would_block")
        .filter(on_client)
        .find(|(i, e)| *i > partial && e["op"] == "send")
        .map(|(i, _)| i)
        .expect("then send would block");
    let writable = ev(&events, "ready")
        .find(|(i, e)| *i > blocked && ids(&e["writable"]).contains(&client))
        .map(|(i, _)| i)
        .expect("later writable again");
    assert!(ev(&events, "send").filter(on_client).any(|(i, _)| i > writable), "more sends");
    let sent: u64 =
        ev(&events, "send").filter(on_client).filter_map(|(_, e)| e["len"].as_u64()).sum();
    assert_eq!(sent, 64 * 1024, "every byte goes out in the end");
}

#[test]
fn framing_cuts_the_same_words_five_ways() {
    let events = run("framing");
    let clients = clients(&events);
    assert_eq!(clients.len(), 5);
    let words = ["alpha", "bravo", "charlie"].map(String::from).to_vec();
    let padded = ["alpha   ", "bravo   ", "charlie "].map(String::from).to_vec();
    let whole = vec!["alpha bravo charlie".to_owned()];
    let expected = [&padded, &words, &words, &words, &whole];
    for (client, want) in clients.iter().zip(expected) {
        assert_eq!(&bodies(&events, *client, "out"), want, "sent by #{client}");
        assert_eq!(&bodies(&events, *client, "in"), want, "echoed to #{client}");
    }
}

#[test]
fn byte_order_sends_integers_in_network_order() {
    let events = run("byte-order");
    let client = clients(&events)[0];
    let hex: Vec<&str> = ev(&events, "message")
        .filter(|(_, e)| conn(e) == client && e["dir"] == "in")
        .filter_map(|(_, e)| e["data"].as_str())
        .collect();
    assert_eq!(hex, ["00000001", "00001f90", "c0a80001", "fffffffe"]);
    let received: String = ev(&events, "recv")
        .filter(|(_, e)| conn(e) == client)
        .filter_map(|(_, e)| e["data"].as_str())
        .collect();
    assert_eq!(received, "0000000100001f90c0a80001fffffffe");
}

#[test]
fn eof_and_shutdown_replies_after_eof_and_a_reset_is_seen_as_reset() {
    let events = run("eof-and-shutdown");
    let replied_after_eof = ev(&events, "eof")
        .any(|(i, e)| ev(&events, "send").any(|(j, s)| j > i && conn(s) == conn(e)));
    assert!(replied_after_eof, "a socket sends after its recv returned 0");

    let (_, reset) = ev(&events, "reset").next().expect("a reset");
    let reset_peer = ev(&events, "accept")
        .find(|(_, a)| conn(a) == conn(reset))
        .map(|(_, a)| a["peer"].clone())
        .expect("the reset socket was accepted");
    let (_, client) = ev(&events, "connected")
        .find(|(_, c)| c["local"] == reset_peer)
        .expect("the client of the reset socket");
    let client = conn(client);
    let saw_reset = events.iter().any(|e| {
        e.get("conn").and_then(Value::as_u64) == Some(client)
            && ((e["ev"] == "error" && e["kind"] == "reset")
                || (e["ev"] == "close" && e["by"] == "reset"))
    });
    assert!(saw_reset, "#{client} sees the reset");
}

#[test]
fn select_reports_several_sockets_readable_in_one_round() {
    let events = run("select");
    let most = ev(&events, "ready").map(|(_, e)| ids(&e["readable"]).len()).max();
    assert!(most >= Some(2), "at most {most:?} readable at once");
    let (_, reset) = ev(&events, "ready")
        .find(|(_, e)| !ids(&e["error"]).is_empty())
        .expect("a round with epoll's error edge");
    for id in ids(&reset["error"]) {
        assert!(ids(&reset["select"]["readable"]).contains(&id), "reset: readable {reset}");
    }
    let exceptional =
        ev(&events, "ready").any(|(_, e)| !ids(&e["select"]["exceptional"]).is_empty());
    assert!(!exceptional, "no out-of-band data, so select() lists nothing exceptional");
}

/// Level vs edge: a round in which a socket is still readable without a new edge, and
/// `select()` lists it all the same.
#[test]
fn select_shows_a_socket_still_readable_without_a_new_edge() {
    let events = run("select");
    let still = ev(&events, "ready").find_map(|(_, e)| {
        let id = *ids(&e["still_readable"]).first()?;
        Some((id, e))
    });
    let (id, round) = still.expect("a round with a socket still readable");
    assert!(!ids(&round["readable"]).contains(&id), "no new edge: {round}");
    assert!(ids(&round["select"]["readable"]).contains(&id), "select() lists it: {round}");
}

#[test]
fn dead_peer_ends_in_a_timeout() {
    let events = run("dead-peer");
    let client = clients(&events)[0];
    let (at, last_error) = ev(&events, "error").last().expect("an error");
    assert_eq!((&last_error["op"], &last_error["kind"]), (&"idle".into(), &"timed_out".into()));
    assert_eq!(conn(last_error), client, "the client gives up waiting");
    let after = &events[at + 1..];
    assert!(after.iter().any(|e| e["ev"] == "close" && conn(e) == client));
    let recv_after = ev(after, "recv").any(|(_, e)| conn(e) == client);
    assert!(!recv_after, "nothing ever came");
}

#[test]
fn demo_list_names_every_scenario() {
    let out = sockscope().args(["demo", "--list"]).output().expect("runs");
    assert!(out.status.success());
    let listing = String::from_utf8_lossy(&out.stdout);
    for name in [
        "messages",
        "echo",
        "partial-recv",
        "partial-send",
        "framing",
        "byte-order",
        "eof-and-shutdown",
        "select",
        "dead-peer",
    ] {
        assert!(listing.lines().any(|l| l.starts_with(name)), "{name} in:\n{listing}");
    }
}

#[test]
fn ascii_vs_binary_numbers_grow_as_text_and_stay_eight_bytes_in_binary() {
    let events = run("ascii-vs-binary");
    let clients = clients(&events);
    assert_eq!(clients.len(), 2);
    let sent = |client: u64| -> Vec<u64> {
        ev(&events, "send")
            .filter(|(_, e)| conn(e) == client)
            .filter_map(|(_, e)| e["len"].as_u64())
            .collect()
    };
    assert_eq!(sent(clients[0]), [2, 2, 8, 21], "text: the digits and a newline");
    assert_eq!(sent(clients[1]), [8, 8, 8, 8], "binary: always 8 bytes");
    assert_eq!(bodies(&events, clients[0], "in"), ["0", "1", "1000000", "18446744073709551615"]);
    let binary: Vec<&str> = ev(&events, "message")
        .filter(|(_, e)| conn(e) == clients[1] && e["dir"] == "in")
        .filter_map(|(_, e)| e["data"].as_str())
        .collect();
    assert_eq!(
        binary,
        ["0000000000000000", "0000000000000001", "00000000000f4240", "ffffffffffffffff"]
    );
}

#[test]
fn fixed_length_one_recv_gets_part_of_the_message_and_the_loop_gets_the_rest() {
    let events = run("fixed-length");
    let server = ev(&events, "accept").map(|(_, e)| conn(e)).next().expect("accepted");
    let reads: Vec<(u64, u64)> = ev(&events, "recv")
        .filter(|(_, e)| conn(e) == server)
        .map(|(_, e)| (e["max"].as_u64().unwrap_or(0), e["len"].as_u64().unwrap_or(0)))
        .collect();
    assert_eq!(reads, [(40, 24), (16, 16)], "recv(MSGLEN) gets part, recv(MSGLEN - 24) the rest");
    let whole = "MySocket sends MSGLEN bytes: 40 of them\n";
    assert_eq!(bodies(&events, server, "in"), [whole], "one message, whole after the second recv");
    let first_recv = ev(&events, "recv").find(|(_, e)| conn(e) == server).map(|(i, _)| i);
    let message = ev(&events, "message").find(|(_, e)| conn(e) == server).map(|(i, _)| i);
    assert!(first_recv < message, "no message after the first recv alone");
}

#[test]
fn nonblocking_connect_is_in_progress_until_writable_and_a_refused_one_fails() {
    let events = run("nonblocking-connect");
    let clients = clients(&events);
    assert_eq!(clients.len(), 2);
    let (first, refused) = (clients[0], clients[1]);
    let started = ev(&events, "connect").find(|(_, e)| conn(e) == first).map(|(i, _)| i);
    let writable = ev(&events, "ready")
        .find(|(i, e)| Some(*i) > started && ids(&e["writable"]).contains(&first))
        .map(|(i, _)| i);
    let connected = ev(&events, "connected").find(|(_, e)| conn(e) == first).map(|(i, _)| i);
    assert!(started < writable && writable < connected, "in progress, writable, connected");
    let (_, failed) = ev(&events, "error").find(|(_, e)| conn(e) == refused).expect("a failure");
    assert_eq!((&failed["op"], &failed["kind"]), (&"connect".into(), &"refused".into()));
    assert!(!ev(&events, "connected").any(|(_, e)| conn(e) == refused), "never connected");
    let accepted = ev(&events, "accept").count();
    assert_eq!(accepted, 1, "only the first client has a server socket");
}

#[test]
fn unix_ipc_talks_over_a_path_that_is_gone_afterwards() {
    let events = run("unix-ipc");
    let (_, listen) = ev(&events, "listen").next().expect("a listener");
    let path = listen["local"].as_str().and_then(|a| a.strip_prefix("unix:")).expect("unix:PATH");
    let socket_file = std::path::Path::new(path).extension().is_some_and(|ext| ext == "sock");
    assert!(socket_file && path.starts_with('/'), "{path}");
    let client = clients(&events)[0];
    let (_, connect) = ev(&events, "connect").next().expect("a connect");
    assert_eq!(connect["peer"], listen["local"], "the client names the server by its path");
    let echoed = bodies(&events, client, "in");
    assert_eq!(echoed, ["hello over AF_UNIX", "same calls, another kind of address"]);
    assert!(!std::path::Path::new(path).exists(), "the listener's file is removed at its close");
}

#[test]
fn backlog_connections_wait_until_the_server_accepts() {
    let events = run("backlog");
    let (_, listen) = ev(&events, "listen").next().expect("a listener");
    let listener = conn(listen);
    let resumed = ev(&events, "interest")
        .filter(|(_, e)| conn(e) == listener && e["read"] == true)
        .nth(1)
        .map(|(i, _)| i)
        .expect("the listener watched again once it accepts");
    let accepts: Vec<usize> = ev(&events, "accept").map(|(i, _)| i).collect();
    assert_eq!(accepts.len(), 4, "every client is accepted in the end");
    assert!(accepts.iter().all(|i| *i > resumed), "nothing accepted before the server accepts");
    let connected_before = ev(&events, "connected").filter(|(i, _)| *i < resumed).count();
    assert_eq!(connected_before, 2, "backlog 1: two connections wait in the queue, complete");
    let echoed: Vec<String> =
        clients(&events).iter().flat_map(|c| bodies(&events, *c, "in")).collect();
    assert_eq!(echoed, ["accepted at last", "me too, a second later"]);
}

/// The `tls` lesson: records with no plaintext during the handshake, a `recv` of 16 bytes of
/// a record that gives no plaintext until the next `recv` brings the rest, the echoed line in
/// plaintext, and each side's `close_notify` before its FIN.
#[test]
fn tls_a_partial_record_gives_no_plaintext_and_close_notify_comes_before_fin() {
    let events = run("tls");
    let client = clients(&events)[0];
    let of_client = |kind: &'static str| {
        ev(&events, kind).filter(move |(_, e)| conn(e) == client).map(|(at, e)| (at, e.clone()))
    };
    let established = of_client("tls").find(|(_, e)| e["stage"] == "established");
    let (handshake_done, _) = established.expect("the handshake completes");
    let reads: Vec<usize> = of_client("tls_read").map(|(at, _)| at).collect();
    assert!(reads.iter().all(|&at| at > handshake_done), "no plaintext from the handshake");
    let (short, _) = of_client("recv").find(|(_, e)| e["len"] == 16).expect("recv(16)");
    let (rest, _) = of_client("recv").find(|(at, _)| *at > short).expect("the next recv");
    assert!(!reads.iter().any(|&at| at > short && at < rest), "no plaintext from 16 bytes");
    let (after, read) = of_client("tls_read").find(|(at, _)| *at > rest).expect("plaintext");
    assert_eq!(text(&read), "this line comes back in one TLS record\n");
    assert!(after > rest);
    let server = ev(&events, "accept").map(|(_, e)| conn(e)).next().expect("the server socket");
    for socket in [client, server] {
        let at = |kind: &str| {
            events.iter().position(|e| {
                e["ev"] == kind && conn(e) == socket && (kind != "tls" || e["by"] == "peer")
            })
        };
        let (notify, eof) = (at("tls"), at("eof"));
        assert!(notify.is_some() && notify < eof, "#{socket}: close_notify, then EOF");
    }
}

/// The calls of kind `kind` on socket `id` that moved bytes: (max, len, data as text).
fn reads(events: &[Value], kind: &str, id: u64) -> Vec<(u64, u64, String)> {
    ev(events, kind)
        .filter(|(_, e)| conn(e) == id && e["len"].as_u64().is_some_and(|len| len > 0))
        .map(|(_, e)| (e["max"].as_u64().unwrap_or(0), e["len"].as_u64().unwrap_or(0), text(e)))
        .collect()
}

#[test]
fn datagrams_three_sends_are_three_recvfroms_on_udp_and_one_recv_on_tcp() {
    let events = run("datagrams");
    let listens: Vec<(u64, bool)> = ev(&events, "listen")
        .map(|(_, e)| (conn(e), e["local"].as_str().is_some_and(|a| a.starts_with("udp:"))))
        .collect();
    let udp = listens.iter().find(|(_, udp)| *udp).map(|(id, _)| *id).expect("a UDP server");
    let tcp = listens.iter().find(|(_, udp)| !*udp).map(|(id, _)| *id).expect("a TCP server");
    let (_, accepted) = ev(&events, "accept").find(|(_, e)| e["listener"] == tcp).expect("accept");
    let big = 65536;
    let datagrams = reads(&events, "recvfrom", udp);
    let three = [(big, 4, "one\n"), (big, 4, "two\n"), (big, 6, "three\n")];
    let three = three.map(|(max, len, text)| (max, len, text.to_owned()));
    assert_eq!(datagrams.get(..3), Some(&three[..]), "one recvfrom per datagram: {datagrams:?}");
    let stream = reads(&events, "recv", conn(accepted));
    let merged = vec![(big, 14, "one\ntwo\nthree\n".to_owned())];
    assert_eq!(stream, merged, "the three sends merge into one recv over TCP");
}
