use super::{Direction, MAX_PENDING, Piece};
use proptest::prelude::*;

const ISN: u32 = 1000;

fn data(piece: &Piece) -> &[u8] {
    match piece {
        Piece::Data(bytes) => bytes,
        Piece::Gap { .. } => panic!("a gap where data was expected: {piece:?}"),
    }
}

fn stream(pieces: &[Piece]) -> Vec<u8> {
    pieces.iter().flat_map(|p| data(p).to_vec()).collect()
}

fn started(isn: u32) -> Direction {
    let mut dir = Direction::default();
    dir.start(isn);
    dir
}

#[test]
fn in_order_segments_are_delivered_one_piece_each() {
    let mut dir = started(ISN);
    let mut out = Vec::new();
    dir.segment(ISN, b"hello ", 0, &mut out);
    dir.segment(ISN + 6, b"world", 0, &mut out);
    assert_eq!(out.len(), 2);
    assert_eq!(stream(&out), b"hello world");
}

#[test]
fn an_out_of_order_segment_waits_for_the_one_before_it() {
    let mut dir = started(ISN);
    let mut out = Vec::new();
    dir.segment(ISN + 6, b"world", 0, &mut out);
    assert!(out.is_empty(), "nothing before the hole is filled");
    dir.segment(ISN, b"hello ", 0, &mut out);
    assert_eq!(stream(&out), b"hello world");
}

#[test]
fn retransmitted_and_overlapping_bytes_are_delivered_once_first_copy_winning() {
    let mut dir = started(ISN);
    let mut out = Vec::new();
    dir.segment(ISN, b"01234", 0, &mut out);
    dir.segment(ISN, b"01234", 0, &mut out); // a retransmission
    dir.segment(ISN + 10, b"AAAAAAAAAA", 0, &mut out); // ahead of a hole
    dir.segment(ISN + 5, b"BBBBBBBBBB", 0, &mut out); // fills it and overlaps the A's
    dir.segment(ISN + 3, b"xxxxx", 0, &mut out); // overlaps delivered bytes: only new ones
    assert_eq!(stream(&out), b"01234BBBBBAAAAAAAAAA");
}

#[test]
fn sequence_numbers_wrap() {
    let isn = u32::MAX - 3;
    let mut dir = started(isn);
    let mut out = Vec::new();
    dir.segment(isn.wrapping_add(6), b"ghij", 0, &mut out);
    dir.segment(isn, b"abcdef", 0, &mut out);
    assert_eq!(stream(&out), b"abcdefghij");
    dir.fin(isn.wrapping_add(10));
    assert!(dir.fin_reached());
}

#[test]
fn an_acknowledged_hole_is_a_gap_and_the_stream_goes_on() {
    let mut dir = started(ISN);
    let mut out = Vec::new();
    dir.segment(ISN, b"abcde", 0, &mut out);
    dir.segment(ISN + 10, b"klmno", 0, &mut out);
    dir.acked(ISN + 15, &mut out);
    assert_eq!(out[1], Piece::Gap { at: 5, len: 5 });
    assert_eq!(data(&out[0]), b"abcde");
    assert_eq!(data(&out[2]), b"klmno");
    // The missing bytes, captured late, are not delivered again.
    dir.segment(ISN + 5, b"fghij", 0, &mut out);
    assert_eq!(out.len(), 3);
}

#[test]
fn a_hole_at_the_end_of_the_capture_is_a_gap_before_what_waits() {
    let mut dir = started(ISN);
    let mut out = Vec::new();
    dir.segment(ISN + 3, b"def", 0, &mut out);
    dir.fin(ISN + 10);
    dir.flush(&mut out);
    assert_eq!(out[0], Piece::Gap { at: 0, len: 3 });
    assert_eq!(data(&out[1]), b"def");
    assert_eq!(out[2], Piece::Gap { at: 6, len: 4 }, "bytes before the FIN are missing too");
    assert!(dir.fin_reached());
}

#[test]
fn bytes_the_snapshot_length_cut_are_a_gap_as_soon_as_they_are_reached() {
    let mut dir = started(ISN);
    let mut out = Vec::new();
    dir.segment(ISN, b"abc", 7, &mut out);
    assert_eq!(data(&out[0]), b"abc");
    assert_eq!(out[1], Piece::Gap { at: 3, len: 7 });
    dir.segment(ISN + 10, b"k", 0, &mut out);
    assert_eq!(data(&out[2]), b"k");
}

#[test]
fn data_held_ahead_of_a_hole_is_bounded() {
    let mut dir = started(ISN);
    let mut out = Vec::new();
    let chunk = vec![7u8; 60_000];
    let mut seq = ISN + 100;
    while out.is_empty() {
        dir.segment(seq, &chunk, 0, &mut out);
        seq = seq.wrapping_add(60_000);
        assert!(dir.pending_bytes <= MAX_PENDING);
    }
    assert_eq!(out[0], Piece::Gap { at: 0, len: 100 });
}

#[test]
fn a_fin_ahead_of_the_last_data_ends_the_stream_only_after_it() {
    let mut dir = started(ISN);
    let mut out = Vec::new();
    dir.fin(ISN + 4);
    assert!(!dir.fin_reached());
    dir.segment(ISN, b"last", 0, &mut out);
    assert!(dir.fin_reached());
}

proptest! {
    /// A stream cut into segments, sent in any order with duplicates, comes back whole.
    #[test]
    fn any_order_and_duplicates_reassemble_the_stream(
        bytes in proptest::collection::vec(any::<u8>(), 1..2000),
        cuts in proptest::collection::vec(1usize..300, 1..40),
        isn in any::<u32>(),
        order in proptest::collection::vec(any::<u16>(), 0..80),
    ) {
        let mut segments = Vec::new();
        let mut at = 0;
        for cut in cuts.iter().cycle() {
            if at >= bytes.len() { break; }
            let end = (at + cut).min(bytes.len());
            segments.push((at, end));
            at = end;
        }
        // Duplicates and overlaps: every segment, then some again merged with its neighbour.
        let mut sent = segments.clone();
        for pick in &order {
            let i = usize::from(*pick) % segments.len();
            let j = (i + 1).min(segments.len() - 1);
            sent.push((segments[i].0, segments[j].1));
        }
        let len = sent.len();
        for (i, pick) in order.iter().enumerate() {
            sent.swap(i % len, usize::from(*pick) % len);
        }
        let mut dir = started(isn);
        let mut out = Vec::new();
        for (lo, hi) in sent {
            dir.segment(isn.wrapping_add(lo as u32), &bytes[lo..hi], 0, &mut out);
        }
        dir.flush(&mut out);
        prop_assert_eq!(stream(&out), bytes);
    }
}
