//! Every event comes back exactly as it was written.

use super::samples::{any_event, every_kind, recording};
use crate::event::{ConnId, Event, EventKind};
use crate::record::format::PAYLOAD_PART;
use crate::record::{Index, ReadStatus, Reader};
use bytes::Bytes;
use proptest::prelude::*;
use std::io::Cursor;

fn read(bytes: &[u8]) -> (Vec<Event>, ReadStatus, u64) {
    let (events, ending) = Reader::new(bytes).expect("a valid preamble").read_all();
    (events, ending.status, ending.skipped_unknown)
}

#[test]
fn every_kind_round_trips_with_its_extras() {
    let events = every_kind();
    let (back, status, skipped) = read(&recording(&events));
    assert_eq!(status, ReadStatus::Complete);
    assert_eq!(skipped, 0);
    assert_eq!(back, events);
}

#[test]
fn clock_and_start_are_read_before_the_first_event() {
    let bytes = recording(&every_kind());
    let mut reader = Reader::new(&bytes[..]).unwrap();
    let (offset, first) = reader.next().unwrap();
    assert_eq!(first, every_kind()[0]);
    assert!(offset > 19, "after the preamble and the start record: {offset}");
    let clock = reader.clock().expect("clock");
    assert_eq!(clock.unix_us_at(1_000), 1_700_000_000_001_000);
    let start = reader.start().expect("start record");
    assert_eq!(start.tool, "sockscope test");
    assert_eq!(start.framing, Some(("len:u16be".to_string(), 1024)));
}

#[test]
fn a_payload_larger_than_a_record_is_split_and_joined() {
    let big: Vec<u8> = (0..PAYLOAD_PART * 2 + 12345).map(|i| (i % 251) as u8).collect();
    let len = big.len();
    let events = vec![
        Event {
            kind: EventKind::Recv { conn: ConnId(1), max: len, len, data: Bytes::from(big) },
            t_us: 5,
        },
        Event { kind: EventKind::Eof { conn: ConnId(1) }, t_us: 6 },
    ];
    let bytes = recording(&events);
    let (back, status, _) = read(&bytes);
    assert_eq!(status, ReadStatus::Complete);
    assert_eq!(back, events);
    let index = Index::build_from(Cursor::new(&bytes)).unwrap();
    assert_eq!(index.events, 2);
    assert!(index.closed);
    let mut reader = Reader::new(&bytes[..]).unwrap();
    assert!(reader.largest_buffer() <= crate::record::MAX_BODY);
    assert_eq!(reader.next().map(|(offset, _)| offset), Some(index.checkpoints[0].offset));
}

#[test]
fn the_index_finds_times_and_reading_resumes_at_a_checkpoint() {
    let events: Vec<Event> = (0..5000u64)
        .map(|i| Event { kind: EventKind::Eof { conn: ConnId(i) }, t_us: i * 10 })
        .collect();
    let bytes = recording(&events);
    let index = Index::build_from(Cursor::new(&bytes)).unwrap();
    assert_eq!(index.events, 5000);
    assert_eq!((index.first_t_us, index.last_t_us), (Some(0), Some(49_990)));
    assert!(index.closed);
    assert!(index.checkpoints.len() >= 4, "{}", index.checkpoints.len());
    let at = index.at_or_before(30_005).unwrap();
    assert!(at.t_us <= 30_005 && at.ordinal == at.t_us / 10);
    assert!(at.clock.is_some());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r");
    std::fs::write(&path, &bytes).unwrap();
    let (rest, ending) = Reader::open_at(&path, at).unwrap().read_all();
    assert_eq!(ending.status, ReadStatus::Complete, "the end count includes skipped events");
    assert_eq!(rest[..], events[usize::try_from(at.ordinal).unwrap()..]);
    assert_eq!(
        index.at_or_before_event(4999).map(|c| c.ordinal),
        index.checkpoints.last().map(|c| c.ordinal)
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_events_round_trip_exactly(events in proptest::collection::vec(any_event(), 0..40)) {
        let (back, status, _) = read(&recording(&events));
        prop_assert_eq!(status, ReadStatus::Complete);
        prop_assert_eq!(back, events);
    }
}
