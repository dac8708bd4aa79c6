//! Shared helpers for loopback tests: an engine whose events can be awaited with a deadline.
#![allow(dead_code)]

use sockscope::engine::{Engine, EngineConfig};
use sockscope::event::{Address, Command, ConnId, Event, EventKind, Readiness};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

#[path = "../shared/awaited.rs"]
mod awaited;

/// Long enough for a loaded CI machine, short enough to fail a hung test quickly.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// A running engine plus every event it has reported so far.
pub struct Harness {
    pub engine: Engine,
    events: Receiver<Event>,
    pub seen: Vec<Event>,
}

impl Harness {
    pub fn start(config: EngineConfig) -> Self {
        let (tx, events) = channel();
        let engine = Engine::start(config, tx).expect("engine starts");
        Self { engine, events, seen: Vec::new() }
    }

    pub fn send(&self, command: Command) {
        self.engine.send(command).expect("engine running");
    }

    /// Waits until an event satisfies `pred` and returns it; panics with the log at the deadline.
    pub fn wait_for(&mut self, what: &str, pred: impl Fn(&Event) -> bool) -> Event {
        if let Some(found) = self.seen.iter().find(|e| pred(e)) {
            return found.clone();
        }
        self.wait_for_new(what, pred)
    }

    /// Like [`Self::wait_for`] but ignores events seen before this call.
    pub fn wait_for_new(&mut self, what: &str, pred: impl Fn(&Event) -> bool) -> Event {
        awaited::wait_for_new(&self.events, &mut self.seen, DEADLINE, (what, "engine"), log, pred)
    }

    /// Takes every event that is already waiting, without blocking.
    pub fn pump(&mut self) {
        while let Ok(event) = self.events.try_recv() {
            self.seen.push(event);
        }
    }

    pub fn log(&self) -> String {
        log(&self.seen)
    }

    /// Opens a listener and returns its id and real address.
    pub fn listen(&mut self, addr: &str) -> (ConnId, Address) {
        self.send(Command::Listen { addr: addr.parse().expect("literal address") });
        self.listening()
    }

    pub fn listening(&mut self) -> (ConnId, Address) {
        match self
            .wait_for_new("listen", |e| {
                matches!(e.kind, EventKind::Listen { .. } | EventKind::Error { .. })
            })
            .kind
        {
            EventKind::Listen { conn, local } => (conn, local),
            other => panic!("listen failed: {other:?}"),
        }
    }

    /// The bytes of every `recv` (or `pipe_read`, `--relay splice`) event on `conn`,
    /// concatenated.
    pub fn received(&self, conn: ConnId) -> Vec<u8> {
        self.payload(conn, true)
    }

    /// The bytes of every `send` (or `splice_out`, `--relay splice`) event on `conn`,
    /// concatenated.
    pub fn sent(&self, conn: ConnId) -> Vec<u8> {
        self.payload(conn, false)
    }

    fn payload(&self, conn: ConnId, received: bool) -> Vec<u8> {
        let mut all = Vec::new();
        for e in &self.seen {
            match &e.kind {
                EventKind::Recv { conn: c, data, .. }
                | EventKind::PipeRead { conn: c, data, .. }
                    if received && *c == conn =>
                {
                    all.extend_from_slice(data);
                }
                EventKind::Send { conn: c, data, .. }
                | EventKind::SpliceOut { conn: c, data, .. }
                    if !received && *c == conn =>
                {
                    all.extend_from_slice(data);
                }
                _ => {}
            }
        }
        all
    }

    /// Waits for the next `accept` and returns the new socket's id.
    pub fn accepted(&mut self) -> ConnId {
        let event = self.wait_for_new("accept", |e| matches!(e.kind, EventKind::Accept { .. }));
        event.conn().expect("accept names its socket")
    }

    /// Waits for a `connected` event and returns the socket's id.
    pub fn connected(&mut self) -> ConnId {
        let event = self.wait_for("connected", |e| matches!(e.kind, EventKind::Connected { .. }));
        event.conn().expect("connected names its socket")
    }

    /// Manual mode: steps until a round's readiness satisfies `pred`; returns that round's
    /// `ready` event.
    pub fn step_until(&mut self, what: &str, pred: impl Fn(&Readiness) -> bool) -> Event {
        let end = Instant::now() + DEADLINE;
        loop {
            assert!(Instant::now() < end, "no round with {what}; log:\n{}", self.log());
            self.send(Command::Step);
            let event = self.wait_for_new("a round", |e| matches!(e.kind, EventKind::Ready(_)));
            if let EventKind::Ready(r) = &event.kind
                && pred(r)
            {
                return event;
            }
        }
    }

    /// Manual mode: a listener on loopback, a client connected to it, and the socket
    /// `accept` made for that client once the round says it is writable:
    /// `(listener, accepted, client, that round)`.
    pub fn accept_one_manually(&mut self) -> (ConnId, ConnId, std::net::TcpStream, Event) {
        let (listener, addr) = self.listen("127.0.0.1:0");
        let client = std::net::TcpStream::connect(ip(&addr)).expect("the client connects");
        self.step_until("the listener readable", |r| r.readable.contains(&listener));
        self.send(Command::Accept { listener });
        let conn = self.accepted();
        let round = self.step_until("the new socket writable", |r| r.writable.contains(&conn));
        (listener, conn, client, round)
    }

    pub fn count(&self, pred: impl Fn(&Event) -> bool) -> usize {
        self.seen.iter().filter(|e| pred(e)).count()
    }
}

pub fn ip(addr: &Address) -> std::net::SocketAddr {
    addr.ip().expect("an IP address")
}

/// Polls `cond` until it holds or the deadline passes.
pub fn eventually(what: &str, mut cond: impl FnMut() -> bool) {
    let end = Instant::now() + DEADLINE;
    while !cond() {
        assert!(Instant::now() < end, "timed out waiting for {what}");
        std::thread::park_timeout(Duration::from_millis(5));
    }
}

/// A TCP listener that never accepts, with its accept queue full: Linux drops further SYNs, so a
/// connect to it neither succeeds nor fails until the connecting side gives up. Keep the
/// returned sockets alive for as long as that should hold.
pub fn unanswering_listener() -> (std::net::SocketAddr, Vec<socket2::Socket>) {
    use socket2::{Domain, Socket, Type};
    let listener = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    listener.bind(&"127.0.0.1:0".parse::<std::net::SocketAddr>().unwrap().into()).unwrap();
    listener.listen(0).unwrap();
    let addr = listener.local_addr().unwrap().as_socket().unwrap();
    let mut keep = vec![listener];
    for _ in 0..4 {
        let filler = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
        filler.set_nonblocking(true).unwrap();
        let _ = filler.connect(&addr.into());
        keep.push(filler);
    }
    (addr, keep)
}

/// Every event as a JSON line, for failure messages.
fn log(seen: &[Event]) -> String {
    seen.iter().map(Event::to_json_line).collect::<Vec<_>>().join("\n")
}
