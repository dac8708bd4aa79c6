//! Manual mode: nothing happens until a command asks, and each call is reported as the OS
//! answered it. Also the edge vs level view of readiness.

mod common;

use common::{Harness, ip};
use sockscope::engine::EngineConfig;
use sockscope::event::{Command, ConnId, EventKind, Op, Readiness};
use std::io::{Read, Write};
use std::net::TcpStream;

/// Steps until a round's readiness satisfies `pred`; returns that round.
fn step_until(h: &mut Harness, what: &str, pred: impl Fn(&Readiness) -> bool) -> Readiness {
    match h.step_until(what, pred).kind {
        EventKind::Ready(round) => round,
        other => panic!("not a round: {other:?}"),
    }
}

#[test]
fn manual_mode_makes_only_the_calls_asked_for() {
    let mut h = Harness::start(EngineConfig { manual: true, ..EngineConfig::default() });
    let (listener, addr) = h.listen("127.0.0.1:0");
    let mut client = TcpStream::connect(ip(&addr)).unwrap();
    step_until(&mut h, "the listener readable", |r| r.readable.contains(&listener));
    assert_eq!(h.count(|e| matches!(e.kind, EventKind::Accept { .. })), 0, "no accept until asked");

    h.send(Command::Accept { listener });
    let conn = h.accepted();
    client.write_all(b"abc").unwrap();
    step_until(&mut h, "data readable", |r| r.readable.contains(&conn));
    assert!(h.received(conn).is_empty(), "no recv until asked");

    h.send(Command::Recv { conn, max: 2 });
    h.wait_for("recv 2", |e| matches!(e.kind, EventKind::Recv { len: 2, max: 2, .. }));
    let level = step_until(&mut h, "a round", |_| true);
    assert!(
        level.still_readable.contains(&conn),
        "undrained socket stays ready (level): {level:?}"
    );
    assert!(!level.readable.contains(&conn), "no new edge without new data: {level:?}");

    h.send(Command::Recv { conn, max: 10 });
    h.wait_for("recv 1", |e| matches!(e.kind, EventKind::Recv { len: 1, max: 10, .. }));
    h.send(Command::Recv { conn, max: 10 });
    h.wait_for(
        "would block",
        |e| matches!(e.kind, EventKind::WouldBlock { op: Op::Recv, conn: c } if c == conn),
    );
    assert_eq!(h.received(conn), b"abc");
    let drained = step_until(&mut h, "a round", |_| true);
    assert!(!drained.still_readable.contains(&conn), "WouldBlock ends the level state");

    h.send(Command::Send { conn, data: "xy".into() });
    h.wait_for("send", |e| matches!(e.kind, EventKind::Send { len: 2, requested: 2, .. }));
    let mut reply = [0; 2];
    client.read_exact(&mut reply).unwrap();
    assert_eq!(&reply, b"xy");
}

#[test]
fn switching_to_automatic_acts_on_what_became_ready_meanwhile() {
    let mut h = Harness::start(EngineConfig { manual: true, ..EngineConfig::default() });
    let (listener, addr) = h.listen("127.0.0.1:0");
    let mut client = TcpStream::connect(ip(&addr)).unwrap();
    client.write_all(b"queued while manual").unwrap();
    step_until(&mut h, "listener readable", |r| r.readable.contains(&listener));
    h.send(Command::SetManual(false));
    let conn = h.accepted();
    common::eventually("data read automatically", || {
        h.pump();
        h.received(conn) == b"queued while manual"
    });
}

#[test]
fn pausing_a_reader_stops_recv_until_resumed() {
    let mut h = Harness::start(EngineConfig::default());
    let (_, addr) = h.listen("127.0.0.1:0");
    let mut client = TcpStream::connect(ip(&addr)).unwrap();
    let conn = h.accepted();
    h.send(Command::PauseReading { conn, paused: true });
    h.wait_for(
        "read interest dropped",
        |e| matches!(e.kind, EventKind::Interest { conn: c, read: false, .. } if c == conn),
    );
    client.write_all(b"later").unwrap();
    h.send(Command::SetOption {
        conn: ConnId(conn.0),
        option: sockscope::event::SockOption::NoDelay(true),
    });
    h.wait_for("a later event", |e| matches!(e.kind, EventKind::Option { .. }));
    assert!(h.received(conn).is_empty(), "paused: nothing read");
    h.send(Command::PauseReading { conn, paused: false });
    common::eventually("read after resume", || {
        h.pump();
        h.received(conn) == b"later"
    });
}

/// Bytes that arrive after a round leave an edge for the next one; a socket drained by `recv`
/// until `WouldBlock` before that round is not ready, so the round must not list it, neither
/// as epoll's edge nor in `select()`'s view.
#[test]
fn an_edge_drained_before_the_round_is_not_reported() {
    let mut h = Harness::start(EngineConfig { manual: true, ..EngineConfig::default() });
    let (_, conn, mut client, _) = h.accept_one_manually();

    client.write_all(b"abc").unwrap();
    for want in [1, 2] {
        h.send(Command::Recv { conn, max: want });
        h.wait_for_new("bytes", |e| matches!(e.kind, EventKind::Recv { len, .. } if len == want));
    }
    h.send(Command::Recv { conn, max: 10 });
    h.wait_for_new(
        "would block",
        |e| matches!(e.kind, EventKind::WouldBlock { op: Op::Recv, conn: c } if c == conn),
    );
    let round = step_until(&mut h, "a round", |_| true);
    assert!(!round.readable.contains(&conn), "a stale edge is reported: {round:?}");
    assert!(!round.still_readable.contains(&conn), "{round:?}");
    let select = round.select.expect("the engine reports select()'s view");
    assert!(!select.readable.contains(&conn), "select() would not list it: {select:?}");
    assert!(select.writable.contains(&conn), "room to send: {select:?}");
}

/// The engine learns that a socket is drained from `WouldBlock`, but `select()` knows it at
/// once: after `accept` took the only waiting client, or `recv` exactly the bytes waiting, the
/// next round lists neither as readable.
#[test]
fn a_call_that_took_everything_leaves_nothing_for_select() {
    let mut h = Harness::start(EngineConfig { manual: true, ..EngineConfig::default() });
    let (listener, conn, mut client, round) = h.accept_one_manually();
    let EventKind::Ready(round) = round.kind else { panic!("not a round") };
    let select = round.select.clone().expect("select()'s view");
    assert!(!select.readable.contains(&listener), "no client waits: {select:?}");
    assert!(!round.still_readable.contains(&listener), "{round:?}");

    client.write_all(b"abc").unwrap();
    step_until(&mut h, "data readable", |r| r.readable.contains(&conn));
    h.send(Command::Recv { conn, max: 3 });
    h.wait_for_new("recv 3", |e| matches!(e.kind, EventKind::Recv { len: 3, .. }));
    let round = step_until(&mut h, "a round", |_| true);
    let select = round.select.clone().expect("select()'s view");
    assert!(!select.readable.contains(&conn), "nothing left to read: {select:?}");
    assert!(!round.still_readable.contains(&conn), "{round:?}");
}
