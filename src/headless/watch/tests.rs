use super::*;
use crate::event::{ClosedBy, ErrorKind};
use bytes::Bytes;

fn addr(text: &str) -> Address {
    text.parse().expect("test address")
}

fn ev(kind: EventKind) -> Event {
    Event { kind, t_us: 0 }
}

fn connect(conn: u64) -> Event {
    ev(EventKind::Connect {
        conn: ConnId(conn),
        peer: addr("127.0.0.1:9"),
        pair: None,
        client: None,
    })
}

fn connected(conn: u64) -> Event {
    let (local, peer) = (addr("127.0.0.1:5000"), addr("127.0.0.1:9"));
    ev(EventKind::Connected { conn: ConnId(conn), local, peer })
}

fn error(conn: u64, kind: ErrorKind) -> Event {
    ev(EventKind::Error { conn: ConnId(conn), op: Op::Connect, kind, message: "m".into() })
}

fn close(conn: u64) -> Event {
    ev(EventKind::Close { conn: ConnId(conn), by: ClosedBy::Local })
}

fn client(candidates: usize) -> Watch {
    Watch::new(&Mode::Connect { candidates: vec![addr("127.0.0.1:9"); candidates] })
}

/// Feeds events and returns the first `Finish`, if any.
fn finish_of(watch: &mut Watch, events: &[Event]) -> Option<Outcome> {
    events.iter().find_map(|event| match watch.observe(event) {
        Reaction::Finish(outcome) => Some(outcome),
        _ => None,
    })
}

#[test]
fn connect_exit_follows_the_network_outcome() {
    use ErrorKind as E;
    let cases: [(&str, usize, Vec<Event>, Option<Outcome>); 6] = [
        ("clean exchange", 1, vec![connect(1), connected(1), close(1)], Some(Outcome::Success)),
        (
            "refused",
            1,
            vec![connect(1), error(1, E::Refused), close(1)],
            Some(Outcome::NetworkFailure),
        ),
        (
            "reset after connecting",
            1,
            vec![connect(1), connected(1), error(1, E::Reset), close(1)],
            Some(Outcome::NetworkFailure),
        ),
        (
            "broken pipe is not a network failure",
            1,
            vec![connect(1), connected(1), error(1, E::BrokenPipe), close(1)],
            Some(Outcome::Success),
        ),
        (
            "same socket reused for each candidate",
            2,
            vec![connect(1), error(1, E::Refused), connect(1), error(1, E::TimedOut), close(1)],
            Some(Outcome::NetworkFailure),
        ),
        (
            "same socket: first candidate refused, second works",
            2,
            vec![connect(1), error(1, E::Refused), connect(1), connected(1), close(1)],
            Some(Outcome::Success),
        ),
    ];
    for (name, candidates, events, expected) in cases {
        assert_eq!(finish_of(&mut client(candidates), &events), expected, "{name}");
    }
}

#[test]
fn connect_reports_input_and_acknowledgements_of_its_own_socket() {
    let mut watch = client(1);
    assert_eq!(watch.observe(&connect(3)), Reaction::Continue);
    assert_eq!(
        watch.observe(&connected(3)),
        Reaction::InputReady(ConnId(3), super::input::READ_CHUNK)
    );
    let send = |conn| {
        ev(EventKind::Send {
            conn: ConnId(conn),
            requested: 9,
            len: 4,
            data: Bytes::from_static(b"abcd"),
        })
    };
    assert_eq!(watch.observe(&send(3)), Reaction::Acknowledged(4));
    assert_eq!(watch.observe(&send(4)), Reaction::Continue);
}

#[test]
fn ending_early_counts_only_a_working_connection() {
    let cases =
        [(vec![], Outcome::NetworkFailure), (vec![connect(1), connected(1)], Outcome::Success)];
    for (events, expected) in cases {
        let mut watch = client(1);
        assert_eq!(finish_of(&mut watch, &events), None);
        assert_eq!(watch.outcome_at_end(), expected);
    }
}

#[test]
fn listeners_announce_once_and_fail_as_bad_input() {
    for mode in [
        Mode::Listen { addr: addr("127.0.0.1:0") },
        Mode::Proxy { listen: addr("127.0.0.1:0"), upstream: vec![addr("127.0.0.1:9")] },
    ] {
        let mut watch = Watch::new(&mode);
        let listen = ev(EventKind::Listen { conn: ConnId(1), local: addr("127.0.0.1:4321") });
        assert_eq!(watch.observe(&listen), Reaction::Listening(addr("127.0.0.1:4321")));
        assert_eq!(watch.observe(&listen), Reaction::Continue);
        assert_eq!(watch.observe(&close(2)), Reaction::Continue);
        assert_eq!(watch.outcome_at_end(), Outcome::Success);
        for (message, expected) in [
            (
                "Address already in use (os error 98)",
                "cannot listen on 127.0.0.1:0: Address already in use (os error 98)",
            ),
            ("cannot listen on 127.0.0.1:0: denied", "cannot listen on 127.0.0.1:0: denied"),
        ] {
            let failed = ev(EventKind::Error {
                conn: ConnId(1),
                op: Op::Listen,
                kind: ErrorKind::Other,
                message: message.into(),
            });
            assert_eq!(watch.observe(&failed), Reaction::Abort(Outcome::BadInput, expected.into()));
        }
    }
}
