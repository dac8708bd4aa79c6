//! The queues' rules, and the property that matters: whatever a proxy's events are, a
//! recording written with relayed sends reads back as exactly the events written.

use super::*;
use crate::event::{Address, ClosedBy};
use crate::record::{Encoder, ReadStatus, Reader};
use proptest::prelude::*;
use std::collections::HashMap;

fn ev(kind: EventKind) -> Event {
    Event { kind, t_us: 7 }
}

fn connect(conn: u64, client: u64) -> Event {
    let peer = Address::Ip(([127, 0, 0, 1], 9000).into());
    ev(EventKind::Connect { conn: ConnId(conn), peer, pair: Some(ConnId(client)), client: None })
}

fn recv(conn: u64, data: &[u8]) -> Event {
    let data = Bytes::copy_from_slice(data);
    ev(EventKind::Recv { conn: ConnId(conn), max: 65536, len: data.len(), data })
}

fn send(conn: u64, data: &[u8]) -> Event {
    let data = Bytes::copy_from_slice(data);
    ev(EventKind::Send { conn: ConnId(conn), requested: data.len() + 3, len: data.len(), data })
}

fn close(conn: u64) -> Event {
    ev(EventKind::Close { conn: ConnId(conn), by: ClosedBy::Peer })
}

#[test]
fn sends_of_the_waiting_bytes_are_relayed_and_others_end_the_queue() {
    let mut relay = RelayQueues::default();
    relay.note(&connect(3, 2));
    relay.note(&recv(2, b"hello "));
    relay.note(&recv(2, b"world"));
    assert_eq!(relay.relayed_from(ConnId(3), b"hello wo"), Some(ConnId(2)), "across chunks");
    assert_eq!(relay.relayed_from(ConnId(3), b"rld!"), None, "more than waits");
    assert_eq!(relay.relayed_from(ConnId(3), b"xx"), None, "other bytes");
    assert_eq!(relay.relayed_from(ConnId(9), b""), None, "nothing relays toward #9");
    // Bytes typed into the proxied connection: a send with its payload ends the queue.
    relay.note(&send(3, b"typed"));
    relay.note(&recv(2, b"more"));
    assert_eq!(relay.relayed_from(ConnId(3), b"more"), None);
    assert_eq!(relay.total, 0, "nothing is kept for an ended queue");
}

#[test]
fn the_reader_takes_what_the_writer_referred_to_and_refuses_the_rest() {
    let mut relay = RelayQueues::default();
    relay.note(&connect(3, 2));
    relay.note(&recv(2, b"abcdef"));
    assert_eq!(relay.take(ConnId(3), ConnId(2), 4).as_deref(), Ok(&b"abcd"[..]));
    assert!(relay.take(ConnId(3), ConnId(2), 3).is_err(), "only 2 bytes wait");
    assert!(relay.take(ConnId(3), ConnId(9), 1).is_err(), "#9 relays nothing to #3");
    relay.note(&close(2));
    assert!(relay.take(ConnId(3), ConnId(2), 1).is_err(), "a close ends the queues");
}

#[test]
fn queues_are_capped_alone_and_together() {
    let mut relay = RelayQueues::default();
    relay.note(&connect(3, 2));
    let big = Bytes::from(vec![0u8; QUEUE_CAP]);
    relay.note(&ev(EventKind::Recv { conn: ConnId(2), max: big.len(), len: big.len(), data: big }));
    relay.note(&recv(2, b"x"));
    assert_eq!(relay.relayed_from(ConnId(3), &[0]), None, "past the cap the queue ended");
    assert_eq!(relay.total, 0);
    let chunk = Bytes::from(vec![1u8; QUEUE_CAP - 1]);
    for pair in 0..(TOTAL_CAP / chunk.len() + 2) as u64 {
        let (client, upstream) = (100 + 2 * pair, 101 + 2 * pair);
        relay.note(&connect(upstream, client));
        let data = chunk.clone();
        relay.note(&ev(EventKind::Recv {
            conn: ConnId(client),
            max: data.len(),
            len: data.len(),
            data,
        }));
        assert!(relay.total <= TOTAL_CAP);
    }
}

/// One step of a proxy with a few pairs: client `2k`, upstream `2k + 1`.
#[derive(Clone, Debug)]
enum Step {
    Pair(u64),
    Recv(u64, Vec<u8>),
    /// Send on `conn` the next `n` waiting bytes (as many as there are).
    Relay(u64, usize),
    /// Send other bytes (typed by the user, or a test's invention).
    Inject(u64, Vec<u8>),
    Close(u64),
}

fn any_step() -> impl Strategy<Value = Step> {
    let conn = 0u64..6;
    let bytes = proptest::collection::vec(any::<u8>(), 0..40);
    prop_oneof![
        1 => (0u64..3).prop_map(Step::Pair),
        4 => (conn.clone(), bytes.clone()).prop_map(|(c, b)| Step::Recv(c, b)),
        4 => (conn.clone(), 0usize..50).prop_map(|(c, n)| Step::Relay(c, n)),
        1 => (conn.clone(), bytes).prop_map(|(c, b)| Step::Inject(c, b)),
        1 => conn.prop_map(Step::Close),
    ]
}

/// The events of `steps`, with the relay bytes a real proxy would send.
fn events(steps: &[Step]) -> Vec<Event> {
    let mut waiting: HashMap<u64, Vec<u8>> = HashMap::new();
    let mut out = Vec::new();
    for step in steps {
        let event = match step {
            Step::Pair(k) => {
                waiting.insert(2 * k, Vec::new());
                waiting.insert(2 * k + 1, Vec::new());
                connect(2 * k + 1, 2 * k)
            }
            Step::Recv(c, data) => {
                if let Some(queue) = waiting.get_mut(&(c ^ 1)) {
                    queue.extend_from_slice(data);
                }
                recv(*c, data)
            }
            Step::Relay(c, n) => {
                let queue = waiting.entry(*c).or_default();
                let n = (*n).min(queue.len());
                let data: Vec<u8> = queue.drain(..n).collect();
                send(*c, &data)
            }
            Step::Inject(c, data) => send(*c, data),
            Step::Close(c) => close(*c),
        };
        out.push(event);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn recordings_read_back_exactly_whatever_the_proxy_did(steps in proptest::collection::vec(any_step(), 0..60)) {
        let events = events(&steps);
        let mut encoder = Encoder::new(Vec::new()).unwrap();
        for event in &events {
            encoder.write_event(event).unwrap();
        }
        let bytes = encoder.finish().unwrap();
        let (read, ending) = Reader::new(&bytes[..]).unwrap().read_all();
        prop_assert_eq!(ending.status, ReadStatus::Complete);
        prop_assert_eq!(read, events);
    }
}

#[test]
fn a_relayed_proxy_session_takes_half_the_room() {
    let chunk = vec![7u8; 65536];
    let mut events = vec![connect(3, 2)];
    for _ in 0..64 {
        events.push(recv(2, &chunk));
        events.push(send(3, &chunk));
    }
    let mut encoder = Encoder::new(Vec::new()).unwrap();
    for event in &events {
        encoder.write_event(event).unwrap();
    }
    let bytes = encoder.finish().unwrap();
    let payload = 64 * chunk.len();
    assert!(bytes.len() < payload + payload / 50, "{} bytes for {payload} received", bytes.len());
    assert_eq!(Reader::new(&bytes[..]).unwrap().read_all().0, events);
}
