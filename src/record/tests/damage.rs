//! Damaged and unusual files: every complete record before the damage comes back, the ending
//! says where reading stopped, nothing panics and nothing is allocated for a length the file
//! cannot back.

use super::samples::every_kind;
use crate::event::Event;
use crate::record::format::{self, MAX_BODY, PREAMBLE_LEN, RecordType};
use crate::record::{Encoder, Index, ReadStatus, Reader, StartInfo};
use std::io::Cursor;

/// A recording of every kind, and the byte offset at which each event's record ends.
fn sample() -> (Vec<Event>, Vec<u8>, Vec<u64>) {
    let events = every_kind();
    let start = StartInfo { created_unix_us: 1, tool: "t".into(), framing: None };
    let mut encoder = Encoder::with_start(Vec::new(), &start).unwrap();
    encoder.write_clock(1, 0).unwrap();
    let mut ends = Vec::new();
    for event in &events {
        encoder.write_event(event).unwrap();
        ends.push(encoder.bytes());
    }
    (events, encoder.finish().unwrap(), ends)
}

/// A reader never reserves more than this for a record before its bytes arrive, so in a file
/// of a few hundred bytes no buffer may be larger, whatever a damaged length claims.
const SMALL_BUFFER: usize = 64 * 1024;

/// Reads everything; returns the events, the ending and the largest buffer allocated.
fn drain(mut reader: Reader<&[u8]>) -> (Vec<Event>, crate::record::Ending, usize) {
    let events = reader.by_ref().map(|(_, event)| event).collect();
    let largest = reader.largest_buffer();
    (events, reader.ending().cloned().expect("an ending"), largest)
}

fn raw_record(code: u8, body: &[u8]) -> Vec<u8> {
    let len = u32::try_from(body.len()).unwrap();
    let crc = format::record_crc(code, len, &[body]);
    [&[code][..], &len.to_le_bytes(), body, &crc.to_le_bytes()].concat()
}

#[test]
fn a_cut_at_any_byte_keeps_every_complete_record_before_it() {
    let (events, bytes, ends) = sample();
    for cut in 0..bytes.len() {
        let Ok(reader) = Reader::new(&bytes[..cut]) else {
            assert!(cut < PREAMBLE_LEN, "only a cut preamble is refused: {cut}");
            continue;
        };
        let (back, ending, largest) = drain(reader);
        assert!(largest <= SMALL_BUFFER, "cut at {cut}: a {largest}-byte buffer");
        let complete = ends.iter().filter(|&&end| end <= cut as u64).count();
        assert_eq!(back[..], events[..complete], "cut at {cut}");
        let ReadStatus::Truncated { at, complete_to } = ending.status else {
            panic!("cut at {cut}: {:?}", ending.status)
        };
        assert_eq!(at, cut as u64);
        assert!(complete_to <= at);
        assert!(ending.status.to_string().starts_with(&format!("truncated at byte {cut}")));
    }
    let (back, ending) = Reader::new(&bytes[..]).unwrap().read_all();
    assert_eq!((back, ending.status), (events, ReadStatus::Complete));
}

#[test]
fn a_flipped_bit_anywhere_stops_at_the_damaged_record() {
    let (events, bytes, ends) = sample();
    for position in 0..bytes.len() {
        for bit in 0..8 {
            let mut damaged = bytes.clone();
            damaged[position] ^= 1 << bit;
            let Ok(reader) = Reader::new(&damaged[..]) else {
                assert!(position < PREAMBLE_LEN, "flip at {position} refused the file");
                continue;
            };
            let (back, ending, largest) = drain(reader);
            assert!(largest <= SMALL_BUFFER, "flip at {position}.{bit}: a {largest}-byte buffer");
            let before = ends.iter().filter(|&&end| end <= position as u64).count();
            assert_eq!(back[..], events[..before], "flip at {position}.{bit}");
            assert_ne!(ending.status, ReadStatus::Complete, "flip at {position}.{bit}");
            assert!(ending.status.to_string().contains(" at byte "), "{}", ending.status);
            let _ = Index::build_from(Cursor::new(&damaged));
        }
    }
}

#[test]
fn a_huge_declared_length_is_refused_before_allocating() {
    let mut bytes = format::preamble().to_vec();
    bytes.extend_from_slice(&[0x16, 0xff, 0xff, 0xff, 0xff]);
    bytes.extend_from_slice(&[0; 64]);
    let mut reader = Reader::new(&bytes[..]).unwrap();
    assert!(reader.next().is_none());
    let status = reader.ending().unwrap().status.clone();
    assert!(
        matches!(&status, ReadStatus::Corrupt { at, why } if *at == PREAMBLE_LEN as u64 && why.contains("4294967295")),
        "{status}"
    );
    assert_eq!(reader.largest_buffer(), 0);
}

#[test]
fn a_large_length_in_a_short_file_allocates_only_what_is_there() {
    let mut bytes = format::preamble().to_vec();
    let len = u32::try_from(MAX_BODY).unwrap();
    bytes.push(0x16);
    bytes.extend_from_slice(&len.to_le_bytes());
    bytes.extend_from_slice(&[7; 1000]);
    let mut reader = Reader::new(&bytes[..]).unwrap();
    assert!(reader.next().is_none());
    assert!(reader.largest_buffer() <= 64 * 1024, "{}", reader.largest_buffer());
    assert!(matches!(reader.ending().unwrap().status, ReadStatus::Truncated { .. }));
}

#[test]
fn a_newer_major_version_is_refused_naming_both_versions() {
    let mut bytes = format::preamble_for(3, 5).to_vec();
    bytes.extend_from_slice(&raw_record(0x99, b"whatever"));
    let err = Reader::new(&bytes[..]).unwrap_err().to_string();
    assert!(
        err.contains("version 3.5")
            && err.contains(&format!("{}.{}", format::MAJOR, format::MINOR)),
        "{err}"
    );
}

#[test]
fn unknown_types_of_a_newer_minor_are_skipped_and_counted() {
    let (events, bytes, _) = sample();
    let records = &bytes[PREAMBLE_LEN..];
    let mut newer = format::preamble_for(format::MAJOR, format::MINOR + 1).to_vec();
    newer.extend_from_slice(&raw_record(0x7f, b"a record type from the future"));
    newer.extend_from_slice(records);
    let (back, ending) = Reader::new(&newer[..]).unwrap().read_all();
    assert_eq!(back, events);
    assert_eq!((ending.status, ending.skipped_unknown), (ReadStatus::Complete, 1));

    let mut same = format::preamble().to_vec();
    same.extend_from_slice(&raw_record(0x7f, b"x"));
    same.extend_from_slice(records);
    let (back, ending) = Reader::new(&same[..]).unwrap().read_all();
    assert!(back.is_empty());
    assert!(
        matches!(&ending.status, ReadStatus::Corrupt { why, .. } if why.contains("0x7f")),
        "{:?}",
        ending.status
    );
}

#[test]
fn data_after_the_end_record_is_reported() {
    let (events, mut bytes, _) = sample();
    let end = bytes.len() as u64;
    bytes.extend_from_slice(&raw_record(RecordType::DataPart.code(), b"stray"));
    let (back, ending) = Reader::new(&bytes[..]).unwrap().read_all();
    assert_eq!(back, events);
    assert_eq!(
        ending.status,
        ReadStatus::Corrupt { at: end, why: "data follows the end record".into() }
    );
}

#[test]
fn text_mode_damage_is_named() {
    let (_, bytes, _) = sample();
    let mut crlf_to_lf = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            i += 1;
        }
        crlf_to_lf.push(bytes[i]);
        i += 1;
    }
    let err = Reader::new(&crlf_to_lf[..]).unwrap_err().to_string();
    assert!(err.contains("copied as text"), "{err}");
    let seven_bit: Vec<u8> = bytes.iter().map(|b| b & 0x7f).collect();
    let err = Reader::new(&seven_bit[..]).unwrap_err().to_string();
    assert!(err.contains("7-bit"), "{err}");
    let err = Reader::new(&b"{\"ev\":\"session\",\"version\":1}\n"[..]).unwrap_err().to_string();
    assert!(err.contains("JSON Lines"), "{err}");
}

#[test]
fn tls_secrets_that_are_not_key_log_lines_are_damage_and_good_ones_no_event() {
    let (events, bytes, ends) = sample();
    let first = usize::try_from(ends[0]).unwrap();
    let splice = |record: &[u8]| [&bytes[..first], record, &bytes[first..]].concat();
    let good = splice(&raw_record(RecordType::TlsSecrets.code(), b"CLIENT_RANDOM 01 02\n"));
    let mut reader = Reader::new(&good[..]).unwrap();
    reader.keep_secrets();
    let (back, ending, _) = drain(reader);
    assert_eq!((back, ending.status), (events.clone(), ReadStatus::Complete));
    for junk in [&b"\x1b]52;c;AAAA\x07\n"[..], b"", b"CLIENT_RANDOM 01 02", b"\xff\xfe\n"] {
        let bad = splice(&raw_record(RecordType::TlsSecrets.code(), junk));
        let (back, ending) = Reader::new(&bad[..]).unwrap().read_all();
        assert_eq!(back, events[..1], "the events before it come back");
        assert!(
            matches!(&ending.status, ReadStatus::Corrupt { at, why }
                if *at == ends[0] && why.contains("TLS secrets")),
            "{junk:?}: {:?}",
            ending.status
        );
    }
}
