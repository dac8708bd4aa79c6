use super::*;
use proptest::prelude::*;

/// A stream whose bytes before `kept` are no longer in memory.
struct Stream {
    bytes: Vec<u8>,
    kept: u64,
}

impl ByteSource for Stream {
    fn read_into(&self, range: Range<u64>, out: &mut Vec<u8>) -> Range<u64> {
        let start = range.start.max(self.kept).min(self.bytes.len() as u64);
        let end = range.end.min(self.bytes.len() as u64).max(start);
        out.extend_from_slice(&self.bytes[start as usize..end as usize]);
        start..end
    }
}

fn whole(bytes: &[u8]) -> Stream {
    Stream { bytes: bytes.to_vec(), kept: 0 }
}

fn literal(text: &str) -> Needle {
    Needle::Bytes(text.as_bytes().to_vec())
}

fn search(needle: &Needle, stream: &Stream, from: u64, dir: Direction, window: u64) -> Option<u64> {
    let bounds = stream.kept..stream.bytes.len() as u64;
    let found = match dir {
        Direction::Forward => forward(needle, stream, bounds, from, window),
        Direction::Backward => backward(needle, stream, bounds, from, window),
    };
    found.map(|m| m.start)
}

/// Every start of `needle` in `bytes` at or after `kept` (overlapping ones included).
fn naive(bytes: &[u8], needle: &[u8], kept: usize) -> Vec<u64> {
    (kept..bytes.len()).filter(|&at| bytes[at..].starts_with(needle)).map(|at| at as u64).collect()
}

#[test]
fn finds_literals_both_ways() {
    let stream = whole(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    let crlf = literal("\r\n");
    let forward_hits: Vec<Option<u64>> = [0, 14, 15, 25, 26]
        .iter()
        .map(|&from| search(&crlf, &stream, from, Direction::Forward, 8))
        .collect();
    assert_eq!(forward_hits, [Some(14), Some(14), Some(23), Some(25), None]);
    let backward_hits: Vec<Option<u64>> = [27, 25, 24, 14]
        .iter()
        .map(|&from| search(&crlf, &stream, from, Direction::Backward, 8))
        .collect();
    assert_eq!(backward_hits, [Some(25), Some(23), Some(23), None]);
}

#[test]
fn a_match_across_a_window_boundary_is_found_whole() {
    let mut bytes = vec![b'.'; 100];
    bytes[30..36].copy_from_slice(b"needle");
    let stream = whole(&bytes);
    let needle = literal("needle");
    for window in [1, 2, 7, 31, 32, 33, 64] {
        assert_eq!(search(&needle, &stream, 0, Direction::Forward, window), Some(30), "{window}");
        assert_eq!(
            search(&needle, &stream, 100, Direction::Backward, window),
            Some(30),
            "{window}"
        );
        assert_eq!(search(&needle, &stream, 31, Direction::Forward, window), None, "{window}");
        assert_eq!(search(&needle, &stream, 30, Direction::Backward, window), None, "{window}");
    }
}

#[test]
fn regexes_match_raw_bytes() {
    let stream = whole(b"\x00\x05hello\x00\x03abc\xff\xfe");
    let length_then_letters = Needle::Regex(Regex::new(r"(?-u)\x00[\x01-\x09][a-z]+").unwrap());
    assert_eq!(search(&length_then_letters, &stream, 0, Direction::Forward, 4), Some(0));
    assert_eq!(search(&length_then_letters, &stream, 1, Direction::Forward, 4), Some(7));
    assert_eq!(search(&length_then_letters, &stream, 14, Direction::Backward, 4), Some(7));
    assert_eq!(search(&length_then_letters, &stream, 7, Direction::Backward, 4), Some(0));
    let high = Needle::Regex(Regex::new(r"(?-u)[\x80-\xff]{2}").unwrap());
    let found = find(&high, &stream, 0..14, 0, Direction::Forward);
    assert_eq!(found, Some(12..14));
}

#[test]
fn bytes_no_longer_in_memory_are_not_searched() {
    let stream = Stream { bytes: b"abc abc abc".to_vec(), kept: 5 };
    let abc = literal("abc");
    assert_eq!(search(&abc, &stream, 0, Direction::Forward, 3), Some(8));
    assert_eq!(search(&abc, &stream, 8, Direction::Backward, 3), None);
}

#[test]
fn an_empty_needle_finds_nothing() {
    let stream = whole(b"abc");
    assert!(literal("").is_empty());
    assert_eq!(find(&literal(""), &stream, 0..3, 0, Direction::Forward), None);
    assert_eq!(find(&literal("a"), &stream, 0..0, 0, Direction::Forward), None);
}

proptest! {
    #[test]
    fn literal_search_agrees_with_a_naive_scan(
        bytes in proptest::collection::vec(0u8..3, 0..200),
        needle in proptest::collection::vec(0u8..3, 1..5),
        from in 0u64..210,
        window in 1u64..40,
        kept in 0usize..20,
    ) {
        let kept = kept.min(bytes.len());
        let hits = naive(&bytes, &needle, kept);
        let stream = Stream { bytes: bytes.clone(), kept: kept as u64 };
        let needle = Needle::Bytes(needle);
        let first_after = hits.iter().copied().find(|&at| at >= from);
        let last_before = hits.iter().copied().rfind(|&at| at < from);
        prop_assert_eq!(search(&needle, &stream, from, Direction::Forward, window), first_after);
        prop_assert_eq!(search(&needle, &stream, from, Direction::Backward, window), last_before);
    }
}
