//! Intercepts in the model: the held list, what a release changes, and a recording started
//! mid-session.

use super::*;
use crate::event::{FaultDir, HoldId, InterceptState, ReleaseAction};

fn held(n: u64, data: &'static [u8]) -> EventKind {
    let data = Bytes::from_static(data);
    EventKind::Held { conn: id(2), dir: FaultDir::Up, id: HoldId(n), len: data.len(), data }
}

fn released(n: u64, action: ReleaseAction, data: &'static [u8]) -> EventKind {
    let data = Bytes::from_static(data);
    let (conn, dir, id, len) = (id(2), FaultDir::Up, HoldId(n), data.len());
    EventKind::Released { conn, dir, id, action, len, data }
}

fn intercept(state: InterceptState) -> EventKind {
    let (framing, pattern) = ("line".to_owned(), "GET".to_owned());
    EventKind::Intercept { conn: id(2), dir: FaultDir::Up, state, framing, pattern }
}

fn held_ids(session: &Session) -> Vec<u64> {
    session.held_messages().iter().map(|(_, h)| h.id.0).collect()
}

#[test]
fn held_messages_are_listed_until_released_and_queued_bytes_follow_the_decision() {
    let mut session = fold(vec![
        listen(1),
        accept(2, 1),
        connect(3, Some(2)),
        connected(3),
        intercept(InterceptState::On),
        recv(2, b"GET /a\nGET /b\n"),
        held(1, b"GET /a\n"),
        held(2, b"GET /b\n"),
    ]);
    assert!(conn(&session, 2).intercepts.is_on(FaultDir::Up));
    assert_eq!(held_ids(&session), [1, 2]);
    assert_eq!(conn(&session, 3).queued, 14, "held bytes still wait for the upstream");
    session.apply(&Event { kind: released(1, ReleaseAction::Edit, b"PUT /z!\n"), t_us: 5 });
    session.apply(&Event { kind: released(2, ReleaseAction::Drop, b""), t_us: 6 });
    assert!(held_ids(&session).is_empty());
    assert_eq!(conn(&session, 3).queued, 8, "the edit waits, the dropped line does not");
    session.apply(&Event { kind: intercept(InterceptState::Off), t_us: 7 });
    assert!(!conn(&session, 2).intercepts.is_on(FaultDir::Up));
    let lines = call_lines(&session, 2);
    for step in [
        "intercept up on: line, GET",
        "held up h1: 7 B",
        "released up h1: edit, 8 B forwarded",
        "released up h2: drop, 0 B forwarded",
        "intercept up off: line, GET",
    ] {
        assert!(lines.iter().any(|line| line.contains(step)), "{step} in {lines:?}");
    }
}

#[test]
fn the_opening_events_recreate_what_is_held_and_a_closed_pair_holds_nothing() {
    let mut session = fold(vec![
        listen(1),
        accept(2, 1),
        connect(3, Some(2)),
        connected(3),
        intercept(InterceptState::On),
        held(4, b"GET /\n"),
    ]);
    let mut again = Session::new(SessionConfig::default());
    for event in session.opening_events(9) {
        again.apply(&event);
    }
    assert_eq!(conn(&again, 2).intercepts, conn(&session, 2).intercepts);
    session.apply(&Event { kind: close(3, ClosedBy::Peer), t_us: 10 });
    assert!(held_ids(&session).is_empty(), "what went up has nowhere to go");
    let down = EventKind::Held {
        conn: id(2),
        dir: FaultDir::Down,
        id: HoldId(5),
        len: 1,
        data: Bytes::from_static(b"x"),
    };
    session.apply(&Event { kind: down, t_us: 11 });
    assert_eq!(held_ids(&session), [5], "the client can still be given what came down");
    session.apply(&Event { kind: close(2, ClosedBy::Peer), t_us: 12 });
    assert!(held_ids(&session).is_empty());
}
