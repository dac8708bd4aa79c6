//! Commands sent together (`Controller::send_all`) are applied with no poll round between
//! them: a script that closes both ends of a connection at once closes both itself, and
//! neither end hears the other's FIN first.

mod common;

use common::Harness;
use sockscope::engine::EngineConfig;
use sockscope::event::{ClosedBy, Command, ConnId, EventKind};

/// How each of `ends` was closed, once both were.
fn closes(h: &mut Harness, ends: [ConnId; 2]) -> Vec<ClosedBy> {
    ends.iter()
        .map(|&end| {
            let event = h.wait_for(
                "close",
                |e| matches!(e.kind, EventKind::Close { conn, .. } if conn == end),
            );
            match event.kind {
                EventKind::Close { by, .. } => by,
                _ => unreachable!("waited for a close"),
            }
        })
        .collect()
}

#[test]
fn closing_both_ends_together_closes_both_locally_every_time() {
    let mut h = Harness::start(EngineConfig::default());
    let (_, addr) = h.listen("127.0.0.1:0");
    for round in 0..20 {
        h.send(Command::Connect { candidates: vec![addr.clone()] });
        let accepted = h.accepted();
        common::eventually("connected", || {
            h.pump();
            h.count(|e| matches!(e.kind, EventKind::Connected { .. })) == round + 1
        });
        let client = (h.seen.iter().rev())
            .find_map(|e| matches!(e.kind, EventKind::Connected { .. }).then(|| e.conn()))
            .flatten()
            .expect("connected names its socket");
        let group = vec![Command::Close { conn: client }, Command::Close { conn: accepted }];
        h.engine.send_all(group).expect("the engine runs");
        assert_eq!(
            closes(&mut h, [client, accepted]),
            [ClosedBy::Local, ClosedBy::Local],
            "round {round}"
        );
        let heard = h.count(|e| matches!(e.kind, EventKind::Eof { conn } if conn == accepted));
        assert_eq!(heard, 0, "round {round}: the accepted socket read the client's FIN first");
    }
}

#[test]
fn an_empty_group_sends_nothing_and_the_engine_goes_on() {
    let mut h = Harness::start(EngineConfig::default());
    h.engine.send_all(Vec::new()).expect("nothing to send is no failure");
    let (_, addr) = h.listen("127.0.0.1:0");
    assert!(matches!(addr, sockscope::event::Address::Ip(_)));
}
