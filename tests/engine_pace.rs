//! Pacing of automatic rounds (presenter aids): one round per `Step`, slow motion, and both
//! changed live without ever delaying commands.

mod common;

use common::{DEADLINE, Harness, ip};
use sockscope::engine::EngineConfig;
use sockscope::event::{Command, ConnId, Event, EventKind, Pace, SockOption};
use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// A connection id the engine never hands out.
const NOBODY: ConnId = ConnId(9_999);

fn paced(pace: Pace) -> Harness {
    Harness::start(EngineConfig { pace, ..EngineConfig::default() })
}

/// Sends a command whose only effect is an `error` event, and waits for that event.
///
/// Commands are handled right after the poll that their wake-up interrupted, so once the answer
/// is back, the engine has polled since every readiness the test caused before the probe: an
/// automatic round it was going to run would have been reported before the answer.
fn probe(h: &mut Harness) {
    h.send(Command::SetOption { conn: NOBODY, option: SockOption::NoDelay(true) });
    h.wait_for_new("the probe's answer", |e| is_error_about(e, NOBODY));
}

fn is_error_about(event: &Event, conn: ConnId) -> bool {
    matches!(event.kind, EventKind::Error { conn: c, .. } if c == conn)
}

fn rounds(h: &Harness) -> usize {
    h.count(|e| matches!(e.kind, EventKind::Ready(_)))
}

fn accepts(h: &Harness) -> usize {
    h.count(|e| matches!(e.kind, EventKind::Accept { .. }))
}

#[test]
fn stepped_pace_runs_one_round_with_its_calls_per_step() {
    let mut h = paced(Pace::Stepped);
    let (listener, addr) = h.listen("127.0.0.1:0");
    let mut client = TcpStream::connect(ip(&addr)).unwrap();
    probe(&mut h);
    assert_eq!(accepts(&h), 0, "no round, no accept, until a step; log:\n{}", h.log());
    assert_eq!(rounds(&h), 0);

    h.send(Command::Step);
    let conn = h.accepted();
    let first = h.seen.iter().find_map(|e| match &e.kind {
        EventKind::Ready(r) => Some(r.clone()),
        _ => None,
    });
    assert!(first.is_some_and(|r| r.readable.contains(&listener)), "{}", h.log());

    client.write_all(b"held").unwrap();
    probe(&mut h);
    assert!(h.received(conn).is_empty(), "the data waits for the next step; log:\n{}", h.log());
    let before = rounds(&h);
    h.send(Command::Step);
    common::eventually("the step's recv", || {
        h.pump();
        h.received(conn) == b"held"
    });
    probe(&mut h);
    assert_eq!(rounds(&h), before + 1, "exactly one round per step; log:\n{}", h.log());

    h.send(Command::Step);
    let empty = h.wait_for_new("a round with nothing ready", |e| {
        matches!(&e.kind, EventKind::Ready(r) if r.readable.is_empty() && r.writable.is_empty())
    });
    assert!(empty.t_us > 0, "a step is shown even when nothing was ready");
}

#[test]
fn leaving_stepped_pace_runs_the_held_round_at_once() {
    let mut h = paced(Pace::Stepped);
    let (_, addr) = h.listen("127.0.0.1:0");
    let mut client = TcpStream::connect(ip(&addr)).unwrap();
    h.send(Command::Step);
    let conn = h.accepted();
    client.write_all(b"released").unwrap();
    probe(&mut h);
    assert!(h.received(conn).is_empty());
    h.send(Command::SetPace(Pace::Free));
    common::eventually("the held data read", || {
        h.pump();
        h.received(conn) == b"released"
    });
}

#[test]
fn manual_step_still_makes_no_call_whatever_the_pace() {
    let mut h = Harness::start(EngineConfig {
        manual: true,
        pace: Pace::Stepped,
        ..EngineConfig::default()
    });
    let (listener, addr) = h.listen("127.0.0.1:0");
    let _client = TcpStream::connect(ip(&addr)).unwrap();
    let end = Instant::now() + DEADLINE;
    loop {
        assert!(Instant::now() < end, "the listener never showed readable; log:\n{}", h.log());
        h.send(Command::Step);
        let round = h.wait_for_new("a round", |e| matches!(e.kind, EventKind::Ready(_)));
        if matches!(&round.kind, EventKind::Ready(r) if r.readable.contains(&listener)) {
            break;
        }
    }
    probe(&mut h);
    assert_eq!(accepts(&h), 0, "manual mode's step only reports");
}

#[test]
fn slow_motion_keeps_rounds_apart_and_reads_everything() {
    let delay = Duration::from_millis(120);
    let mut h = Harness::start(EngineConfig {
        pace: Pace::Delay(delay),
        recv_chunk: 4,
        ..EngineConfig::default()
    });
    let (_, addr) = h.listen("127.0.0.1:0");
    let mut client = TcpStream::connect(ip(&addr)).unwrap();
    let conn = h.accepted();
    // 16 calls of 4 bytes per round: 200 bytes need four rounds, so three gaps to measure.
    let data = [b'z'; 200];
    client.write_all(&data).unwrap();
    common::eventually("every byte read", || {
        h.pump();
        h.received(conn).len() == data.len()
    });
    let times: Vec<u64> =
        (h.seen.iter()).filter(|e| matches!(e.kind, EventKind::Ready(_))).map(|e| e.t_us).collect();
    assert!(times.len() >= 4, "the reads took several rounds; log:\n{}", h.log());
    let least = u64::try_from(delay.as_micros()).unwrap();
    for pair in times.windows(2) {
        assert!(pair[1] - pair[0] >= least, "rounds {pair:?} closer than {least} µs");
    }
}

#[test]
fn slow_motion_changes_live_and_never_delays_commands_or_stop() {
    let mut h = paced(Pace::Delay(Duration::from_secs(600)));
    let (_, addr) = h.listen("127.0.0.1:0");
    let mut client = TcpStream::connect(ip(&addr)).unwrap();
    // The first round runs at once (no round before it to count from); the next one would wait.
    let conn = h.accepted();
    client.write_all(b"slow").unwrap();
    probe(&mut h);
    assert!(h.received(conn).is_empty(), "held by the ten-minute delay");

    h.send(Command::SetPace(Pace::Delay(Duration::from_millis(10))));
    common::eventually("the read once the delay is short", || {
        h.pump();
        h.received(conn) == b"slow"
    });

    h.send(Command::SetPace(Pace::Delay(Duration::from_secs(600))));
    client.write_all(b"more").unwrap();
    probe(&mut h);
    let asked = Instant::now();
    h.engine.stop();
    assert!(asked.elapsed() < Duration::from_secs(5), "stop waited for the delay");
}
