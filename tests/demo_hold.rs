//! Hold means hold: a lesson makes the same calls whether it runs free, stepped one round at a
//! time, or in slow motion, because its script waits for the session rather than a clock.
//!
//! Each lesson runs against the real engine three times; every socket's calls (op and byte
//! count, in order) are compared. Sockets are named by role (the n-th client, the server
//! socket of the n-th client), not by id. Where the kernel decides how many bytes a call moves
//! (a `send` into buffers a reader is draining at its own speed), only the totals can be the
//! same, and the comparison says so.

mod common;

use common::{DEADLINE, Harness};
use sockscope::demo::{Repeat, Tempo, scenario, scenarios};
use sockscope::engine::EngineConfig;
use sockscope::event::{Address, Command, ConnId, Event, EventKind, Pace, SocketType};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// Slow motion for the test: far longer than the script's gap between steps (60 ms), so a
/// script on its own clock would run ahead of the rounds.
const SLOW: Duration = Duration::from_millis(150);

/// A person pressing Space: slower than the script's gap, as in a room.
const SPACE_EVERY: Duration = Duration::from_millis(80);

/// Runs lesson `name` to its end at `pace`: the scenario is told the pace, as the UI tells it
/// when the person presses `P` or `+`; stepped, a `Step` goes now and then (a person
/// pressing Space every [`SPACE_EVERY`]), and rounds run only then.
fn run(name: &str, pace: Pace) -> Vec<Event> {
    run_pressing(name, pace, SPACE_EVERY)
}

/// [`run`], Space pressed every `space_every` when stepped.
fn run_pressing(name: &str, pace: Pace, space_every: Duration) -> Vec<Event> {
    let mut demo = scenario(Some(name), Tempo::Log, Repeat::Once).expect("listed");
    let config = demo.engine_config(EngineConfig { pace, ..EngineConfig::default() });
    let mut h = Harness::start(config);
    demo.on_user_command(&Command::SetPace(pace));
    for command in demo.start() {
        h.send(command);
    }
    let started = Instant::now();
    let mut seen = 0;
    let mut last_step = Instant::now();
    while !demo.is_finished() {
        assert!(
            started.elapsed() < 3 * DEADLINE,
            "{name} at {pace:?} did not finish:\n{}",
            h.log()
        );
        h.pump();
        let fresh: Vec<_> = h.seen[seen..].to_vec();
        seen = h.seen.len();
        let now = u64::try_from(started.elapsed().as_micros()).unwrap();
        let mut commands: Vec<_> = fresh.iter().flat_map(|e| demo.on_event(e)).collect();
        commands.extend(demo.on_tick(now));
        if pace == Pace::Stepped && last_step.elapsed() >= space_every {
            commands.push(Command::Step);
            last_step = Instant::now();
        }
        for command in commands {
            h.send(command);
        }
        std::thread::park_timeout(Duration::from_millis(5));
    }
    h.seen
}

/// One call as compared: what it was and how many bytes it moved.
type Call = String;

/// Every socket's calls, by role: `client 0`, `server of client 0`.
fn calls_by_socket(events: &[Event]) -> BTreeMap<String, Vec<Call>> {
    let mut clients: Vec<ConnId> = Vec::new();
    let mut local_of: BTreeMap<ConnId, Address> = BTreeMap::new();
    let mut accepted: Vec<(ConnId, Address)> = Vec::new();
    let mut bound: Option<ConnId> = None;
    for event in events {
        match &event.kind {
            // A datagram server is one socket for every client.
            EventKind::Listen { conn, local } if local.socket_type() == SocketType::Datagram => {
                bound = Some(*conn);
            }
            EventKind::Connect { conn, pair: None, .. } => clients.push(*conn),
            EventKind::Connected { conn, local, .. } => {
                local_of.insert(*conn, local.clone());
            }
            EventKind::Accept { conn, peer, .. } => accepted.push((*conn, peer.clone())),
            _ => {}
        }
    }
    let mut names: BTreeMap<ConnId, String> = BTreeMap::new();
    names.extend(bound.map(|conn| (conn, "datagram server".to_owned())));
    for (i, client) in clients.iter().enumerate() {
        names.insert(*client, format!("client {i}"));
        let server = accepted.iter().find(|(_, peer)| local_of.get(client) == Some(peer));
        if let Some((server, _)) = server {
            names.insert(*server, format!("server of client {i}"));
        }
    }
    let mut calls: BTreeMap<String, Vec<Call>> = BTreeMap::new();
    for event in events {
        let Some(name) = event.conn().and_then(|conn| names.get(&conn)) else { continue };
        if let Some(call) = call(&event.kind) {
            calls.entry(name.clone()).or_default().push(call);
        }
    }
    calls
}

fn call(kind: &EventKind) -> Option<Call> {
    Some(match kind {
        EventKind::Recv { len, .. } => format!("recv {len}"),
        EventKind::Send { requested, len, .. } => format!("send {len} of {requested}"),
        EventKind::RecvFrom { len, truncated, .. } => format!("recvfrom {len} of {truncated:?}"),
        EventKind::SendTo { requested, len, .. } => format!("sendto {len} of {requested}"),
        EventKind::WouldBlock { op, .. } => format!("{op:?} would block"),
        EventKind::Eof { .. } => "eof".into(),
        EventKind::Shutdown { how, .. } => format!("shutdown {how:?}"),
        EventKind::Reset { .. } => "reset".into(),
        EventKind::Close { by, .. } => format!("close by {by:?}"),
        EventKind::Error { op, kind, .. } => format!("{op:?} failed: {kind:?}"),
        EventKind::Connected { .. } => "connected".into(),
        EventKind::Accept { .. } => "accepted".into(),
        _ => return None,
    })
}

/// `partial-send`'s sends after the reader resumes move what the kernel's buffers have room
/// for at that instant, which depends on how fast the reader drains them: the sizes of those
/// calls differ from run to run, their total does not. Everything else must be identical.
fn comparable(name: &str, mut calls: BTreeMap<String, Vec<Call>>) -> BTreeMap<String, Vec<Call>> {
    if name == "partial-send" {
        for socket in calls.values_mut() {
            *socket = totals_of_bytes(socket);
        }
    }
    calls
}

/// Each run of consecutive sends (or recvs, and the would-blocks between them) as one line
/// with its byte total.
fn totals_of_bytes(calls: &[Call]) -> Vec<Call> {
    let mut out: Vec<Call> = Vec::new();
    let mut run: Option<(&str, u64)> = None;
    for call in calls {
        let (op, bytes) = match call.split_once(' ') {
            Some(("send", rest)) => ("send", rest.split(' ').next().unwrap().parse().unwrap()),
            Some(("recv", len)) => ("recv", len.parse().unwrap()),
            _ if call.ends_with("would block") => (call.split(' ').next().unwrap(), 0),
            _ => ("", 0),
        };
        let op = match op {
            "Send" => "send",
            "Recv" => "recv",
            other => other,
        };
        match (&mut run, op) {
            (Some((current, total)), op) if !op.is_empty() && *current == op => *total += bytes,
            (_, "") => {
                out.extend(run.take().map(|(op, total)| format!("{op} {total} in all")));
                out.push(call.clone());
            }
            (_, op) => {
                out.extend(run.take().map(|(op, total)| format!("{op} {total} in all")));
                run = Some((op, bytes));
            }
        }
    }
    out.extend(run.map(|(op, total)| format!("{op} {total} in all")));
    out
}

#[test]
fn every_scenario_makes_the_same_calls_free_stepped_and_slowed() {
    for entry in scenarios() {
        let free = comparable(entry.name, calls_by_socket(&run(entry.name, Pace::Free)));
        assert!(free.len() >= 2, "{}: {free:?}", entry.name);
        for pace in [Pace::Stepped, Pace::Delay(SLOW)] {
            let held = comparable(entry.name, calls_by_socket(&run(entry.name, pace)));
            assert_eq!(held, free, "{} at {pace:?} differs from a free run", entry.name);
        }
    }
}

/// After `P`, with Space pressed at a pace a person explains at (far slower than the script's
/// gap), "sent in two halves" must still arrive as two reads: the server's reads stop at the
/// end of the first half.
#[test]
fn partial_recv_stepped_shows_the_first_half_read_alone() {
    let events = run_pressing("partial-recv", Pace::Stepped, Duration::from_millis(300));
    let calls = calls_by_socket(&events);
    let server = &calls["server of client 0"];
    let first_half = "this line is sent in two ha".len();
    let mut total = 0;
    let mut ends = Vec::new();
    for call in server {
        if let Some(len) = call.strip_prefix("recv ") {
            total += len.parse::<usize>().unwrap();
        } else if call == "Recv would block" {
            ends.push(total);
        }
    }
    let first_line = "one line, sent with a single send call\n".len();
    assert!(
        ends.contains(&(first_line + first_half)),
        "reads end after the first half: {server:?}"
    );
}

#[test]
fn byte_totals_fold_runs_of_calls() {
    let calls: Vec<Call> =
        ["send 10 of 30", "Send would block", "send 20 of 20", "eof"].map(String::from).to_vec();
    assert_eq!(totals_of_bytes(&calls), ["send 30 in all", "eof"]);
}
