//! Records that are well formed (checksums match, fields decode) but say inconsistent things:
//! each is damage, reported where it is, with everything before it kept.

use super::samples::recording;
use crate::event::{ConnId, Event, EventKind};
use crate::record::format::{self, PREAMBLE_LEN, RecordType};
use crate::record::{Encoder, ReadStatus, Reader, StartInfo};
use bytes::Bytes;

fn at(t_us: u64, kind: EventKind) -> Event {
    Event { kind, t_us }
}

fn recv(len: usize, data: &'static [u8]) -> Event {
    at(2, EventKind::Recv { conn: ConnId(1), max: 65536, len, data: Bytes::from_static(data) })
}

/// A recording of `before`, then `raw` as written, then `after`: with the byte where `raw`
/// starts.
fn with_raw(before: &[Event], raw: &[u8], after: &[Event]) -> (Vec<u8>, u64) {
    let start = StartInfo { created_unix_us: 1, tool: "t".into(), framing: None };
    let mut encoder = Encoder::with_start(Vec::new(), &start).unwrap();
    for event in before {
        encoder.write_event(event).unwrap();
    }
    let mut bytes = encoder.finish().unwrap();
    // Drop the End record (type, length, a one-byte count, CRC): the test writes its own tail.
    bytes.truncate(bytes.len() - 10);
    let damage_at = bytes.len() as u64;
    bytes.extend_from_slice(raw);
    let mut tail = Encoder::with_start(Vec::new(), &start).unwrap();
    for event in after {
        tail.write_event(event).unwrap();
    }
    let tail = tail.finish().unwrap();
    let skip = PREAMBLE_LEN + record_len(&tail[PREAMBLE_LEN..]);
    bytes.extend_from_slice(&tail[skip..]);
    (bytes, damage_at)
}

/// The length of the record at the start of `bytes`.
fn record_len(bytes: &[u8]) -> usize {
    let len = u32::from_le_bytes([bytes[1], bytes[2], bytes[3], bytes[4]]) as usize;
    format::RECORD_HEADER_LEN + len + format::RECORD_TRAILER_LEN
}

fn raw_record(code: u8, body: &[u8]) -> Vec<u8> {
    let len = u32::try_from(body.len()).unwrap();
    let crc = format::record_crc(code, len, &[body]);
    [&[code][..], &len.to_le_bytes(), body, &crc.to_le_bytes()].concat()
}

/// The records `event` is written as, alone.
fn records_of(event: &Event) -> Vec<u8> {
    let start = StartInfo { created_unix_us: 1, tool: "t".into(), framing: None };
    let mut encoder = Encoder::with_start(Vec::new(), &start).unwrap();
    let from = encoder.bytes() as usize;
    encoder.write_event(event).unwrap();
    let to = encoder.bytes() as usize;
    encoder.finish().unwrap()[from..to].to_vec()
}

fn corrupt_at(bytes: &[u8], expected: &[Event], at: u64, why: &str) {
    let (events, ending) = Reader::new(bytes).unwrap().read_all();
    assert_eq!(events, expected, "what came before the damage is kept");
    let ReadStatus::Corrupt { at: found, why: said } = &ending.status else {
        panic!("damage expected, got {:?}", ending.status)
    };
    assert_eq!((*found, said.contains(why)), (at, true), "{said}");
}

#[test]
fn a_recv_whose_length_disagrees_with_its_payload_is_damage() {
    let first = recv(3, b"abc");
    let lying = records_of(&recv(5, &[b'x'; 539]));
    let (bytes, damage_at) = with_raw(std::slice::from_ref(&first), &lying, &[recv(2, b"ok")]);
    corrupt_at(&bytes, &[first], damage_at, "a recv says 5 bytes but its payload holds 539");
}

#[test]
fn payload_parts_in_front_of_an_event_that_does_not_count_them_are_damage() {
    let first = recv(3, b"abc");
    let extra = raw_record(RecordType::DataPart.code(), b"shifted");
    let raw = [extra, records_of(&recv(2, b"ok"))].concat();
    let (bytes, damage_at) = with_raw(std::slice::from_ref(&first), &raw, &[]);
    corrupt_at(&bytes, &[first], damage_at, "a recv says 2 bytes but its payload holds 9");
}

#[test]
fn counts_beyond_what_the_call_asked_for_are_damage() {
    let too_much = at(
        1,
        EventKind::Recv { conn: ConnId(1), max: 4, len: 6, data: Bytes::from_static(b"abcdef") },
    );
    let (bytes, damage_at) = with_raw(&[], &records_of(&too_much), &[]);
    corrupt_at(&bytes, &[], damage_at, "a recv returns 6 bytes into a 4-byte buffer");
    let send =
        EventKind::Send { conn: ConnId(1), requested: 1, len: 2, data: Bytes::from_static(b"ab") };
    let (bytes, damage_at) = with_raw(&[], &records_of(&at(1, send)), &[]);
    corrupt_at(&bytes, &[], damage_at, "a send accepts 2 of 1 bytes");
    let message = EventKind::Message {
        conn: ConnId(1),
        dir: crate::event::Dir::In,
        len: 1,
        data: Bytes::from_static(b"ab"),
    };
    let (bytes, damage_at) = with_raw(&[], &records_of(&at(1, message)), &[]);
    corrupt_at(&bytes, &[], damage_at, "a message says 1 bytes but its payload holds 2");
}

#[test]
fn version_zero_is_refused_as_damage() {
    let sample = recording(&[recv(2, b"ok")]);
    let mut bytes = format::preamble_for(0, 0).to_vec();
    bytes.extend_from_slice(&sample[PREAMBLE_LEN..]);
    let err = Reader::new(&bytes[..]).unwrap_err().to_string();
    assert!(err.contains("damaged") && err.contains("reads 0.0"), "{err}");
}
