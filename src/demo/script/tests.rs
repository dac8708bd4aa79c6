use super::*;
use crate::event::{Address, ClosedBy, ConnId, ErrorKind, How};
use crate::framing::LenWidth;
use bytes::Bytes;

/// The plan of the built-in lesson `name`.
fn plan(name: &str) -> Plan {
    crate::demo::entry(name).expect("a built-in lesson").lesson.plan.clone()
}

const REQUEST: &str = "GET /time HTTP/1.0\r\n\r\n";
const REPLY: &str = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nit is noon on loopback\n";

/// The framings of the `framing` lesson's clients, in order.
fn framings() -> [Spec; 5] {
    [
        Spec::Fixed(8),
        Spec::Delim(b"\r\n".to_vec()),
        Spec::Len { width: LenWidth::U16Be, inclusive: false },
        Spec::Ascii(5),
        Spec::Eof,
    ]
}

const SERVER: &str = "127.0.0.1:5000";

fn addr(text: &str) -> Address {
    text.parse().unwrap()
}

fn client_addr(i: u64) -> Address {
    addr(&format!("127.0.0.1:{}", 40_000 + i))
}

/// A scenario fed hand-made events on a hand-moved clock. Its sends are delivered at once:
/// a `send` of every byte, and the peer's `recv` of them.
struct Sim {
    script: Scripted,
    now_us: u64,
    peers: std::collections::HashMap<ConnId, ConnId>,
}

impl Sim {
    fn new(plan: Plan, repeat: Repeat) -> Self {
        let mut script = Scripted::new(plan, Tempo::Log, repeat, Target::Own);
        assert!(matches!(&script.start()[..], [Command::Listen { .. }]));
        Self { script, now_us: 0, peers: std::collections::HashMap::new() }
    }

    fn event(&mut self, kind: EventKind) -> Vec<Command> {
        assert!(self.script.on_event(&Event { kind, t_us: self.now_us }).is_empty());
        self.tick()
    }

    /// The script's turn at the end of a batch; its sends are delivered.
    fn tick(&mut self) -> Vec<Command> {
        let commands = self.script.on_tick(self.now_us);
        for command in &commands {
            if let Command::Send { conn, data } = command {
                self.deliver(*conn, data.len());
            }
        }
        commands
    }

    fn deliver(&mut self, conn: ConnId, len: usize) {
        let send = EventKind::Send { conn, requested: len, len, data: Bytes::new() };
        self.script.on_event(&Event { kind: send, t_us: self.now_us });
        if let Some(peer) = self.peers.get(&conn).copied() {
            let recv = EventKind::Recv { conn: peer, max: len, len, data: Bytes::new() };
            self.script.on_event(&Event { kind: recv, t_us: self.now_us });
        }
    }

    /// Lets one gap pass and ticks.
    fn later(&mut self) -> Vec<Command> {
        self.now_us += micros(gap(Tempo::Log));
        self.tick()
    }

    fn listening(&mut self) -> Vec<Command> {
        self.event(EventKind::Listen { conn: ConnId(1), local: addr(SERVER) })
    }

    /// The engine's answer to a `Connect`: client `client`, then its server side `server`.
    fn connection(&mut self, client: u64, server: u64) -> Vec<Command> {
        self.peers.insert(ConnId(client), ConnId(server));
        self.peers.insert(ConnId(server), ConnId(client));
        self.event(EventKind::Connect {
            conn: ConnId(client),
            peer: addr(SERVER),
            pair: None,
            client: None,
        });
        let local = client_addr(client);
        self.event(EventKind::Connected { conn: ConnId(client), local, peer: addr(SERVER) });
        let accept = EventKind::Accept {
            conn: ConnId(server),
            listener: ConnId(1),
            local: addr(SERVER),
            peer: client_addr(client),
        };
        self.event(accept)
    }

    fn close(&mut self, conn: u64) -> Vec<Command> {
        self.event(EventKind::Close { conn: ConnId(conn), by: ClosedBy::Peer })
    }
}

#[test]
fn steps_wait_for_their_connection_and_for_the_event_they_await() {
    let mut sim = Sim::new(plan("eof-and-shutdown"), Repeat::Once);
    assert!(
        matches!(&sim.listening()[..], [Command::Connect { candidates }] if candidates == &[addr(SERVER)])
    );
    assert!(sim.later().is_empty(), "nothing until both ends of the connection exist");
    // The step was due already: it runs as soon as the connection is complete.
    let request = sim.connection(2, 3);
    assert!(matches!(&request[..], [Command::Send { conn: ConnId(2), data }] if data == REQUEST));
    assert!(matches!(&sim.later()[..], [Command::Shutdown { conn: ConnId(2), how: How::Write }]));
    assert!(sim.later().is_empty(), "the server answers only after its EOF");
    assert!(sim.later().is_empty());
    sim.event(EventKind::Eof { conn: ConnId(3) });
    let reply = sim.later();
    assert!(
        matches!(&reply[..], [Command::Send { conn: ConnId(3), data }] if data == REPLY),
        "{reply:?}"
    );
}

#[test]
fn a_framed_connect_names_both_ends_whatever_order_the_events_come_in() {
    let mut sim = Sim::new(plan("framing"), Repeat::Once);
    let connects = sim.listening();
    assert_eq!(connects.len(), framings().len());
    for client in 2..7 {
        let kind = EventKind::Connect {
            conn: ConnId(client),
            peer: addr(SERVER),
            pair: None,
            client: None,
        };
        sim.event(kind);
    }
    let clients = sim.script.take_framings();
    let expected: Vec<SetFraming> = (2..7)
        .zip(framings())
        .map(|(conn, spec)| SetFraming { conn: ConnId(conn), spec })
        .collect();
    assert_eq!(clients, expected, "clients in the order they were asked for");
    // Accepts before connects complete, in reverse order: matched by address, not order.
    for client in (2..7).rev() {
        let accept = EventKind::Accept {
            conn: ConnId(client + 10),
            listener: ConnId(1),
            local: addr(SERVER),
            peer: client_addr(client),
        };
        sim.event(accept);
    }
    assert!(sim.script.take_framings().is_empty());
    for client in 2..7 {
        let local = client_addr(client);
        sim.event(EventKind::Connected { conn: ConnId(client), local, peer: addr(SERVER) });
    }
    let servers = sim.script.take_framings();
    let expected: Vec<SetFraming> = (2..7)
        .zip(framings())
        .map(|(conn, spec)| SetFraming { conn: ConnId(conn + 10), spec })
        .collect();
    assert_eq!(servers, expected);
    assert_eq!(sim.later().len(), 5, "every client sends its first part");
}

#[test]
fn acts_on_closed_sockets_are_skipped_and_a_once_run_ends_when_everything_is_closed() {
    let mut sim = Sim::new(plan("dead-peer"), Repeat::Once);
    sim.listening();
    sim.connection(2, 3);
    assert!(matches!(&sim.later()[..], [Command::SetOption { conn: ConnId(2), .. }]));
    sim.close(3);
    sim.event(EventKind::Eof { conn: ConnId(2) });
    assert!(matches!(&sim.later()[..], [Command::Send { conn: ConnId(2), .. }]));
    assert!(sim.later().is_empty(), "the server's pong is skipped: it is closed");
    sim.close(2);
    for _ in 0..20 {
        assert!(sim.later().is_empty(), "nothing to do on closed sockets");
    }
    assert!(sim.script.is_finished());
}

#[test]
fn leftovers_are_closed_at_the_end_and_forever_starts_a_new_round() {
    let mut sim = Sim::new(plan("dead-peer"), Repeat::Forever);
    sim.listening();
    sim.connection(2, 3);
    let mut closes = Vec::new();
    for _ in 0..30 {
        for command in sim.later() {
            if let Command::Close { conn } = command {
                closes.push(conn);
            }
        }
        let awaiting_timeout = sim.script.next + 1 == sim.script.plan.steps.len();
        if sim.script.phase == Phase::Running && awaiting_timeout {
            sim.event(EventKind::Error {
                conn: ConnId(2),
                op: crate::event::Op::Idle,
                kind: ErrorKind::TimedOut,
                message: String::new(),
            });
            sim.event(EventKind::Close { conn: ConnId(2), by: ClosedBy::Error });
            // The client's FIN reaches the server: its end is seen.
            sim.event(EventKind::Eof { conn: ConnId(3) });
        }
    }
    assert_eq!(closes, [ConnId(3)], "the script closes the half-open server socket");
    assert!(!sim.script.is_finished());
    let again = sim.close(3);
    assert!(again.is_empty());
    let reconnect: Vec<Command> = (0..3).flat_map(|_| sim.later()).collect();
    assert!(matches!(&reconnect[..], [Command::Connect { .. }]), "{reconnect:?}");
}

/// Stepped (or manual), the script waits for the person: time alone never moves it, a poll
/// round does, and only once what the last step sent has been read.
#[test]
fn a_held_session_moves_the_script_by_rounds_not_by_time() {
    let mut sim = Sim::new(plan("eof-and-shutdown"), Repeat::Once);
    sim.script.on_user_command(&Command::SetPace(crate::event::Pace::Stepped));
    assert!(matches!(&sim.listening()[..], [Command::Connect { .. }]));
    assert!(sim.connection(2, 3).is_empty());
    for _ in 0..50 {
        assert!(sim.later().is_empty(), "time passes, the script holds");
    }
    let round = || EventKind::Ready(crate::event::Readiness::default());
    let request = sim.event(round());
    assert!(matches!(&request[..], [Command::Send { conn: ConnId(2), .. }]), "{request:?}");
    assert!(sim.later().is_empty());
    assert!(matches!(&sim.event(round())[..], [Command::Shutdown { conn: ConnId(2), .. }]));
    // The server's EOF is owed: a round without it moves nothing.
    assert!(sim.event(round()).is_empty());
    sim.script.on_user_command(&Command::SetPace(crate::event::Pace::Free));
    assert!(sim.later().is_empty(), "free again, but the EOF is still owed");
}

/// Manual mode holds the script too: the sockets are the person's until a round is reported.
#[test]
fn manual_mode_holds_the_script() {
    let mut sim = Sim::new(plan("eof-and-shutdown"), Repeat::Once);
    sim.listening();
    sim.connection(2, 3);
    sim.script.on_user_command(&Command::SetManual(true));
    for _ in 0..50 {
        assert!(sim.later().is_empty(), "manual mode: the script waits");
    }
    sim.script.on_user_command(&Command::SetManual(false));
    assert!(matches!(&sim.later()[..], [Command::Send { conn: ConnId(2), .. }]));
}

/// `P` pressed after a round but before the script's next step: the step waits for the next
/// round (a key press), not for the round that came before `P`.
#[test]
fn a_round_before_step_mode_does_not_move_the_script_after_it() {
    let mut sim = Sim::new(plan("eof-and-shutdown"), Repeat::Once);
    sim.listening();
    sim.connection(2, 3);
    let round = || EventKind::Ready(crate::event::Readiness::default());
    assert!(sim.event(round()).is_empty(), "free: the gap has not passed yet");
    sim.script.on_user_command(&Command::SetPace(crate::event::Pace::Stepped));
    for _ in 0..50 {
        assert!(sim.later().is_empty(), "stepped: nothing moves until Space");
    }
    assert!(matches!(&sim.event(round())[..], [Command::Send { conn: ConnId(2), .. }]));
}
