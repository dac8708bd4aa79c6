//! Table tests of the fold: lifecycles, calls, proxy accounting, readiness, bounds, orphans.

mod datagrams;
mod framing;
mod intercept;
mod proptests;
mod retention;
mod splice;
mod tls;

use super::*;
use crate::event::{
    Address, ClosedBy, ErrorKind, Event, EventKind, How, Op, Readiness, SockOption, SocketType,
};
use bytes::Bytes;

fn id(n: u64) -> ConnId {
    ConnId(n)
}

fn addr(port: u16) -> Address {
    Address::Ip(([127, 0, 0, 1], port).into())
}

fn listen(n: u64) -> EventKind {
    EventKind::Listen { conn: id(n), local: addr(9000) }
}

fn accept(n: u64, listener: u64) -> EventKind {
    EventKind::Accept { conn: id(n), listener: id(listener), local: addr(9000), peer: addr(40000) }
}

fn connect(n: u64, pair: Option<u64>) -> EventKind {
    EventKind::Connect { conn: id(n), peer: addr(80), pair: pair.map(id), client: None }
}

fn connected(n: u64) -> EventKind {
    EventKind::Connected { conn: id(n), local: addr(50000), peer: addr(80) }
}

fn recv(n: u64, data: &[u8]) -> EventKind {
    let data = Bytes::copy_from_slice(data);
    EventKind::Recv { conn: id(n), max: 65536, len: data.len(), data }
}

fn send(n: u64, requested: usize, data: &[u8]) -> EventKind {
    let data = Bytes::copy_from_slice(data);
    EventKind::Send { conn: id(n), requested, len: data.len(), data }
}

fn would_block(n: u64, op: Op) -> EventKind {
    EventKind::WouldBlock { conn: id(n), op }
}

fn eof(n: u64) -> EventKind {
    EventKind::Eof { conn: id(n) }
}

fn shutdown(n: u64, how: How) -> EventKind {
    EventKind::Shutdown { conn: id(n), how }
}

fn reset(n: u64) -> EventKind {
    EventKind::Reset { conn: id(n) }
}

fn close(n: u64, by: ClosedBy) -> EventKind {
    EventKind::Close { conn: id(n), by }
}

fn error(n: u64, op: Op, kind: ErrorKind) -> EventKind {
    EventKind::Error { conn: id(n), op, kind, message: "boom".into() }
}

fn interest(n: u64, read: bool, write: bool) -> EventKind {
    EventKind::Interest { conn: id(n), read, write }
}

fn ready(round: u64, readable: &[u64], writable: &[u64], still_readable: &[u64]) -> EventKind {
    let ids = |list: &[u64]| list.iter().copied().map(id).collect();
    EventKind::Ready(Readiness {
        round,
        readable: ids(readable),
        writable: ids(writable),
        still_readable: ids(still_readable),
        ..Readiness::default()
    })
}

/// Folds `kinds` stamped 10 µs apart (the first at 10).
fn fold_with(config: SessionConfig, kinds: Vec<EventKind>) -> Session {
    let mut session = Session::new(config);
    for (step, kind) in (1_u64..).zip(kinds) {
        session.apply(&Event { kind, t_us: step * 10 });
    }
    session
}

fn fold(kinds: Vec<EventKind>) -> Session {
    fold_with(SessionConfig::default(), kinds)
}

fn conn(session: &Session, n: u64) -> &Connection {
    session.connection(id(n)).unwrap_or_else(|| panic!("no connection #{n}"))
}

fn call_lines(session: &Session, n: u64) -> Vec<String> {
    conn(session, n).calls().iter().map(ToString::to_string).collect()
}

#[test]
fn states_follow_each_lifecycle() {
    use ClosedBy::{Error as ByError, Local, Peer, Reset as ByReset};
    use ConnState as S;
    let cases: Vec<(&str, Vec<EventKind>, ConnState)> = vec![
        ("listening", vec![listen(2)], S::Listening),
        ("accepted", vec![listen(1), accept(2, 1)], S::Open),
        ("connecting", vec![connect(2, None)], S::Connecting),
        ("connected", vec![connect(2, None), connected(2)], S::Open),
        ("peer eof", vec![connect(2, None), connected(2), eof(2)], S::ReadClosed),
        ("shut write", vec![accept(2, 1), shutdown(2, How::Write)], S::WriteClosed),
        ("shut read", vec![accept(2, 1), shutdown(2, How::Read)], S::ReadClosed),
        ("both halves", vec![accept(2, 1), shutdown(2, How::Write), eof(2)], S::ReadClosed),
        ("shut both", vec![accept(2, 1), shutdown(2, How::Both)], S::ReadClosed),
        ("orderly close", vec![accept(2, 1), eof(2), close(2, Peer)], S::Closed),
        ("local close", vec![accept(2, 1), close(2, Local)], S::Closed),
        ("we reset", vec![accept(2, 1), reset(2)], S::Reset),
        ("we reset, closed", vec![accept(2, 1), reset(2), close(2, Local)], S::Reset),
        (
            "peer reset",
            vec![accept(2, 1), error(2, Op::Recv, ErrorKind::Reset), close(2, ByReset)],
            S::Reset,
        ),
        (
            "refused",
            vec![connect(2, None), error(2, Op::Connect, ErrorKind::Refused), close(2, ByError)],
            S::Error,
        ),
        (
            "retry then open",
            vec![
                connect(2, None),
                error(2, Op::Connect, ErrorKind::Refused),
                connect(2, None),
                connected(2),
            ],
            S::Open,
        ),
        (
            "nothing revives",
            vec![accept(2, 1), close(2, Local), eof(2), connected(2), reset(2), accept(2, 1)],
            S::Closed,
        ),
        ("second close ignored", vec![accept(2, 1), close(2, ByError), close(2, Peer)], S::Error),
        ("listener closed", vec![listen(2), close(2, Local)], S::Closed),
    ];
    for (name, events, expected) in cases {
        let session = fold(events);
        assert_eq!(conn(&session, 2).state, expected, "{name}");
    }
}

#[test]
fn state_and_role_display_as_the_panel_shows_them() {
    let states = [
        (ConnState::Listening, "listening"),
        (ConnState::Connecting, "connecting"),
        (ConnState::Open, "open"),
        (ConnState::ReadClosed, "read-closed"),
        (ConnState::WriteClosed, "write-closed"),
        (ConnState::Closed, "closed"),
        (ConnState::Reset, "reset"),
        (ConnState::Error, "error"),
    ];
    for (state, text) in states {
        assert_eq!(state.to_string(), text);
    }
    let roles = [
        (Role::Listener { proxy: false }, "listener"),
        (Role::Listener { proxy: true }, "proxy listener"),
        (Role::Accepted { listener: id(1) }, "accepted"),
        (Role::Outgoing, "outgoing"),
        (Role::Upstream { client: id(2) }, "upstream"),
    ];
    for (role, text) in roles {
        assert_eq!(role.to_string(), text);
    }
    let interests =
        [(false, false, "--"), (true, false, "R-"), (false, true, "-W"), (true, true, "RW")];
    for (read, write, text) in interests {
        assert_eq!(Interest { read, write }.to_string(), text);
    }
}

#[test]
fn calls_render_what_each_call_returned() {
    let cases = [
        (CallKind::Recv { max: 65536, len: 17 }, "recv(65536) -> 17"),
        (CallKind::Send { requested: 65536, len: 43690 }, "send 65536 -> 43690 (partial)"),
        (CallKind::Send { requested: 5, len: 5 }, "send 5 -> 5"),
        (CallKind::WouldBlock(Op::Recv, SocketType::Stream), "recv -> WouldBlock"),
        (CallKind::WouldBlock(Op::Recv, SocketType::Datagram), "recvfrom -> WouldBlock"),
        (CallKind::WouldBlock(Op::Send, SocketType::Datagram), "sendto -> WouldBlock"),
        (CallKind::WouldBlock(Op::Accept, SocketType::Stream), "accept -> WouldBlock"),
        (CallKind::Eof { write_shut: false }, "recv -> 0 (EOF)"),
        (CallKind::Shutdown(How::Write), "shutdown(write)"),
        (CallKind::Reset, "reset (linger 0: RST)"),
        (CallKind::Close(ClosedBy::Peer), "close (peer)"),
        (CallKind::Accept { conn: id(7) }, "accept -> #7"),
        (CallKind::Accepted { listener: id(1) }, "accepted by #1"),
        (CallKind::Connect { peer: addr(80) }, "connect(127.0.0.1:80) -> in progress"),
        (CallKind::Connected, "connect -> connected"),
        (CallKind::Listen { local: addr(9000) }, "listen(127.0.0.1:9000)"),
        (
            CallKind::Error {
                op: Op::Connect,
                socket: SocketType::Stream,
                kind: ErrorKind::Refused,
                message: "no".into(),
            },
            "connect -> refused: no",
        ),
        (CallKind::Option(SockOption::NoDelay(true)), "setsockopt nodelay=on"),
        (CallKind::Option(SockOption::Linger(Some(0))), "setsockopt linger=0s (close sends RST)"),
        (CallKind::Option(SockOption::SndBuf(4096)), "setsockopt sndbuf=4096"),
    ];
    for (kind, text) in cases {
        assert_eq!(kind.to_string(), text);
    }
}

#[test]
fn a_served_connection_from_accept_to_close() {
    let session = fold(vec![
        listen(1),
        interest(1, true, false),
        accept(2, 1),
        would_block(1, Op::Accept),
        recv(2, b"hello"),
        would_block(2, Op::Recv),
        send(2, 5, b"hel"),
        eof(2),
        close(2, ClosedBy::Peer),
    ]);
    assert_eq!(
        call_lines(&session, 1),
        ["listen(127.0.0.1:9000)", "accept -> #2", "accept -> WouldBlock"]
    );
    assert_eq!(
        call_lines(&session, 2),
        [
            "accepted by #1",
            "recv(65536) -> 5",
            "recv -> WouldBlock",
            "send 5 -> 3 (partial)",
            "recv -> 0 (EOF)",
            "close (peer)"
        ]
    );
    let served = conn(&session, 2);
    assert_eq!((served.bytes(Dir::In), served.bytes(Dir::Out)), (5, 3));
    assert_eq!(
        (served.opened_us, served.closed_us, served.closed_by),
        (30, Some(90), Some(ClosedBy::Peer))
    );
    assert_eq!(served.role, Role::Accepted { listener: id(1) });
    assert_eq!((served.local.clone(), served.peer.clone()), (Some(addr(9000)), Some(addr(40000))));
    assert_eq!(served.stream(Dir::In).ended_us(), Some(80));
    assert_eq!(served.stream(Dir::Out).ended_us(), Some(90), "an orderly close sends FIN");
    let totals = session.totals();
    let expected = Totals {
        connections: 2,
        open: 0,
        closed: 1,
        listeners: 1,
        bytes_in: 5,
        bytes_out: 3,
        queued: 0,
        events: 9,
        rounds: 0,
        retained: session.retained_memory(),
        dropped_bytes: 0,
        orphan_events: 0,
    };
    assert_eq!(totals, expected);
    assert_eq!(session.now_us(), 90);
    assert_eq!(session.potential_readers(), [id(1)]);
}

#[test]
fn a_proxy_pair_is_linked_and_its_queues_accounted() {
    let steps: Vec<(EventKind, [u64; 2])> = vec![
        (listen(1), [0, 0]),
        (accept(2, 1), [0, 0]),
        (connect(3, Some(2)), [0, 0]),
        (recv(2, b"0123456789"), [0, 10]),
        (connected(3), [0, 10]),
        (send(3, 10, b"0123"), [0, 6]),
        (send(3, 6, b"456789"), [0, 0]),
        (recv(3, b"reply"), [5, 0]),
        (send(2, 5, b"re"), [3, 0]),
        (recv(2, b"more"), [3, 4]),
        (shutdown(3, How::Write), [3, 0]),
        (close(2, ClosedBy::Local), [0, 0]),
        (recv(3, b"late"), [0, 0]),
    ];
    let mut session = Session::default();
    for (step, (kind, [client, upstream])) in steps.into_iter().enumerate() {
        session.apply(&Event { kind, t_us: step as u64 });
        let queued_on = |n| session.connection(id(n)).map_or(0, |c| c.queued);
        let queued = (queued_on(2), queued_on(3));
        assert_eq!(queued, (client, upstream), "after step {step}");
    }
    assert_eq!(conn(&session, 1).role, Role::Listener { proxy: true });
    assert_eq!(conn(&session, 2).pair, Some(id(3)));
    assert_eq!(conn(&session, 3).pair, Some(id(2)));
    assert_eq!(conn(&session, 3).role, Role::Upstream { client: id(2) });
}

#[test]
fn submitted_bytes_count_as_queued_until_sent() {
    let mut session = fold(vec![connect(1, None), connected(1)]);
    session.note_submitted(id(1), 100);
    session.note_submitted(id(9), 100);
    assert_eq!(conn(&session, 1).queued, 100);
    session.apply(&Event { kind: send(1, 100, &[0; 60]), t_us: 50 });
    assert_eq!(conn(&session, 1).queued, 40);
    session.apply(&Event { kind: send(1, 40, &[0; 70]), t_us: 60 });
    assert_eq!(conn(&session, 1).queued, 0, "never negative");
    assert_eq!(session.totals().orphan_events, 0, "the UI's own calls are not events");
}

#[test]
fn rounds_are_kept_up_to_the_history_and_set_the_level() {
    let config = SessionConfig { history: 3, ..SessionConfig::default() };
    let mut kinds =
        vec![accept(2, 1), accept(3, 1), interest(2, true, false), interest(3, true, true)];
    kinds.extend((1..=5).map(|round| ready(round, &[2], &[3], &[])));
    let session = fold_with(config, kinds);
    assert_eq!(session.rounds().len(), 3);
    assert_eq!(session.rounds_total(), 5);
    let numbers: Vec<u64> = session.rounds().map(|r| r.readiness.round).collect();
    assert_eq!(numbers, [3, 4, 5]);
    assert_eq!(session.last_round().map(|r| r.t_us), Some(90));
    assert_eq!(session.potential_readers(), [id(2), id(3)]);
    assert_eq!(session.potential_writers(), [id(3)]);

    let level_cases: Vec<(&str, Vec<EventKind>, (bool, bool))> = vec![
        ("none", vec![], (false, false)),
        ("edge", vec![ready(1, &[2], &[2], &[])], (true, true)),
        ("still", vec![ready(1, &[], &[], &[2])], (true, false)),
        ("drained", vec![ready(1, &[2], &[2], &[]), would_block(2, Op::Recv)], (false, true)),
        ("send blocks", vec![ready(1, &[2], &[2], &[]), would_block(2, Op::Send)], (true, false)),
        ("eof keeps", vec![ready(1, &[2], &[], &[]), eof(2)], (true, false)),
        ("closed", vec![ready(1, &[2], &[2], &[]), close(2, ClosedBy::Local)], (false, false)),
    ];
    for (name, tail, expected) in level_cases {
        let session = fold([vec![accept(2, 1)], tail].concat());
        assert_eq!(conn(&session, 2).level(), expected, "{name}");
    }
}

#[test]
fn calls_are_bounded_oldest_dropped() {
    let config = SessionConfig { calls_per_conn: 3, ..SessionConfig::default() };
    let mut kinds = vec![accept(2, 1)];
    kinds.extend((0..5).map(|_| would_block(2, Op::Recv)));
    kinds.push(eof(2));
    let session = fold_with(config, kinds);
    let calls = conn(&session, 2).calls();
    assert_eq!((calls.total(), calls.len(), calls.dropped()), (7, 3, 4));
    assert_eq!(calls.last().map(ToString::to_string).as_deref(), Some("recv -> 0 (EOF)"));
    assert_eq!(calls.iter().next().map(|c| c.t_us), Some(50));
}

#[test]
fn options_keep_the_latest_value_per_name() {
    let option = |option| EventKind::Option { conn: id(2), option };
    let session = fold(vec![
        accept(2, 1),
        option(SockOption::NoDelay(false)),
        option(SockOption::SndBuf(1000)),
        option(SockOption::NoDelay(true)),
    ]);
    assert_eq!(conn(&session, 2).options, [SockOption::NoDelay(true), SockOption::SndBuf(1000)]);
}

#[test]
fn unknown_sockets_are_counted_not_invented() {
    let session = fold(vec![
        close(5, ClosedBy::Local),
        recv(5, b"ghost"),
        eof(6),
        ready(1, &[7], &[7], &[7]),
        error(8, Op::Recv, ErrorKind::Other),
        error(9, Op::Listen, ErrorKind::Other),
        error(10, Op::Connect, ErrorKind::Other),
        close(10, ClosedBy::Error),
    ]);
    assert_eq!(session.connections().map(|c| c.id).collect::<Vec<_>>(), [id(9), id(10)]);
    let failed_listener = conn(&session, 9);
    assert_eq!((failed_listener.state, failed_listener.is_closed()), (ConnState::Error, true));
    assert_eq!(failed_listener.last_error.as_ref().map(|e| e.op), Some(Op::Listen));
    assert_eq!(conn(&session, 10).state, ConnState::Error);
    assert_eq!(session.totals().orphan_events, 4);
    assert_eq!(session.totals().bytes_in, 0);
}

#[test]
fn the_roster_generation_moves_with_sockets_not_traffic() {
    let mut session = fold(vec![listen(1), accept(2, 1)]);
    let (roster, events) = (session.roster_generation(), session.events_applied());
    assert_eq!(events, 2);
    for kind in [
        recv(2, b"abc"),
        send(2, 3, b"abc"),
        would_block(2, Op::Recv),
        interest(2, true, true),
        ready(1, &[2], &[], &[]),
    ] {
        session.apply(&Event { kind, t_us: 100 });
    }
    assert_eq!(session.roster_generation(), roster, "traffic and readiness leave it");
    assert_eq!(session.events_applied(), 7, "but every event counts");
    for kind in [eof(2), shutdown(2, How::Write), close(2, ClosedBy::Peer), accept(3, 1)] {
        let before = session.roster_generation();
        session.apply(&Event { kind, t_us: 200 });
        assert!(session.roster_generation() > before, "a state change or a new socket moves it");
    }
    assert_eq!(session.connection_count(), 3);
}

#[test]
fn faults_are_shown_while_active_and_recreated_by_the_opening_events() {
    use crate::event::{FaultDir, FaultKind, FaultState};
    let fault = |kind, state, detail: &str| EventKind::Fault {
        conn: id(2),
        dir: FaultDir::Up,
        kind,
        state,
        detail: detail.into(),
    };
    let mut session = fold(vec![
        listen(1),
        accept(2, 1),
        connect(3, Some(2)),
        fault(FaultKind::Slice, FaultState::On, "slice=1"),
        fault(FaultKind::ShutAfter, FaultState::On, "shut-after=5"),
        fault(FaultKind::ShutAfter, FaultState::Tripped, "shutdown(write) on #3"),
        fault(FaultKind::Slice, FaultState::Off, "slice=1"),
    ]);
    let active = vec![(FaultDir::Up, FaultKind::ShutAfter, "shut-after=5".to_owned())];
    assert_eq!(
        session.connection_faults(conn(&session, 3)),
        &active[..],
        "the upstream shows its pair's"
    );
    assert!(call_lines(&session, 2).iter().any(|l| l.contains("fault up shut-after tripped")));
    let mut again = Session::new(SessionConfig::default());
    for event in session.opening_events(5) {
        again.apply(&event);
    }
    assert_eq!(conn(&again, 2).faults, active);
    session.apply(&Event { kind: close(2, ClosedBy::Local), t_us: 9 });
    assert!(conn(&session, 2).faults.is_empty(), "a closed pair has no active fault");
}

/// A damaged recording may stamp a later call earlier: each stream's chunks stay in time
/// order, which the follow view's merge of two streams relies on.
#[test]
fn chunk_times_never_go_back_within_a_stream() {
    let mut session = fold(vec![connect(1, None), connected(1)]);
    for (t_us, data) in [(500, b"ab"), (200, b"cd"), (700, b"ef")] {
        session.apply(&Event { kind: recv(1, data), t_us });
    }
    let times: Vec<u64> =
        conn(&session, 1).stream(Dir::In).chunks().iter().map(|c| c.t_us).collect();
    assert_eq!(times, [500, 500, 700]);
}
