//! The engine sleeps while nothing is due: waiting for a proxy pair's idle timeout costs no CPU
//! even when its two sides were last active at different times.
//!
//! One test per file: it measures this process's CPU time, which other tests would disturb.

mod common;
#[path = "shared/relays.rs"]
mod relays;

use common::{DEADLINE, Harness, ip};
use relays::Relay;
use sockscope::engine::EngineConfig;
use sockscope::event::{Address, Command, ErrorKind, EventKind, Op};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

/// User plus system CPU time of this process, from `/proc/self/stat` (ticks of 1/100 s).
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 1..].split_whitespace().collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    Duration::from_millis(ticks * 10)
}

fn a_proxy_pair_waiting_for_its_idle_timeout_does_not_spin(relay: Relay) {
    const IDLE: Duration = Duration::from_millis(1500);
    const GAP: Duration = Duration::from_secs(1);
    let server = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut h =
        Harness::start(EngineConfig { idle_timeout: Some(IDLE), relay, ..EngineConfig::default() });
    let upstream = vec![Address::Ip(server.local_addr().unwrap())];
    h.send(Command::Proxy { listen: "127.0.0.1:0".parse().unwrap(), upstream });
    let (_, addr) = h.listening();
    let _client = TcpStream::connect(ip(&addr)).unwrap();
    let _upstream = server.accept().unwrap();
    let client = h.accepted();
    h.connected();

    // Only the client's side moves a byte, GAP later than the pair was set up: the pair is
    // idle from then on, and nothing is due before GAP + IDLE.
    let end = Instant::now() + GAP;
    while Instant::now() < end {
        std::thread::park_timeout(end.saturating_duration_since(Instant::now()));
    }
    h.send(Command::Send { conn: client, data: bytes::Bytes::from_static(b"x") });
    h.wait_for("the byte sent", |e| matches!(e.kind, EventKind::Send { .. }));
    let cpu_before = cpu_time();
    let started = Instant::now();
    h.wait_for("the idle timeout", |e| {
        matches!(e.kind, EventKind::Error { op: Op::Idle, kind: ErrorKind::TimedOut, .. })
    });
    let waited = started.elapsed();
    let cpu = cpu_time().saturating_sub(cpu_before);
    let early = IDLE.saturating_sub(Duration::from_millis(100));
    assert!(waited >= early && waited < DEADLINE, "{waited:?}");
    assert!(cpu < Duration::from_millis(300), "{cpu:?} of CPU while waiting {waited:?}");
}

relay_tests!(a_proxy_pair_waiting_for_its_idle_timeout_does_not_spin,);
