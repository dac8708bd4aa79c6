use super::*;
use crate::event::{Address, ConnId, Event, EventKind as K};
use crate::session::{Session, SessionConfig};
use bytes::Bytes;

fn ip(text: &str) -> Address {
    Address::Ip(text.parse().expect("address"))
}

/// An outgoing connection that sends and receives pieces at the given times: (time, side,
/// length), in event order.
fn session(calls: &[(u64, Side, usize)]) -> Session {
    let mut session = Session::new(SessionConfig::default());
    let conn = ConnId(1);
    session.apply(&Event {
        t_us: 0,
        kind: K::Connect { conn, peer: ip("127.0.0.1:9"), pair: None, client: None },
    });
    for &(t_us, side, len) in calls {
        let data = Bytes::from(vec![b'a'; len]);
        let kind = match side {
            Side::Up => K::Send { conn, requested: len, len, data },
            Side::Down => K::Recv { conn, max: len, len, data },
        };
        session.apply(&Event { kind, t_us });
    }
    session
}

/// Every turn once, in time order (the request side first at equal times), walking forward
/// from the first line and back from the last.
#[test]
fn turns_merge_in_time_order_both_ways() {
    let calls = [
        (10, Side::Up, 30),
        (10, Side::Down, 5),
        (20, Side::Down, 200),
        (20, Side::Up, 1),
        (25, Side::Up, 7),
        (25, Side::Up, 9),
        (30, Side::Down, 3),
        (40, Side::Up, 90),
    ];
    let session = session(&calls);
    let conversation = Conversation::of(&session, ConnId(1)).expect("a conversation");
    let doc = FollowDoc::new(conversation, 16, Repertoire::Unicode);
    let forward: Vec<Line> = doc.lines_from(doc.first().expect("a first line")).collect();
    let turns: Vec<Side> = forward
        .iter()
        .filter_map(|line| match line {
            Line::Turn(side, _) => Some(*side),
            Line::Row(..) => None,
        })
        .collect();
    let order =
        [Side::Up, Side::Down, Side::Up, Side::Down, Side::Up, Side::Up, Side::Down, Side::Up];
    assert_eq!(turns, order);
    assert_eq!(forward.last(), doc.last().as_ref());
    let backward = doc.lines_to(doc.last().expect("a last line"), usize::MAX);
    assert_eq!(backward, forward, "prev retraces next");
    let rows =
        |side| forward.iter().filter(|line| matches!(line, Line::Row(s, _) if *s == side)).count();
    // 16 cells a row: 30 B is 2 rows, 200 B 13, and so on.
    assert_eq!(rows(Side::Up), 2 + 1 + 1 + 1 + 6);
    assert_eq!(rows(Side::Down), 1 + 13 + 1);
}
