//! Retention: the oldest bytes leave memory, counts and framing carry on.

use super::*;

const KIB: usize = 1 << 10;
const MIB: usize = 1 << 20;

/// The byte at stream offset `offset` of the test pattern: never periodic within a chunk.
fn pattern(offset: u64) -> u8 {
    (offset % 251) as u8
}

fn pattern_bytes(range: std::ops::Range<u64>) -> Vec<u8> {
    range.map(pattern).collect()
}

/// Receives `total` pattern bytes on #2 in `chunk`-byte calls.
fn stream_through(config: SessionConfig, total: u64, chunk: u64) -> Session {
    let mut session = Session::new(config);
    session.apply(&Event { kind: accept(2, 1), t_us: 0 });
    let mut offset = 0;
    while offset < total {
        let end = (offset + chunk).min(total);
        session.apply(&Event { kind: recv(2, &pattern_bytes(offset..end)), t_us: offset });
        offset = end;
    }
    session
}

/// What must hold after any amount of eviction.
fn check_retained(session: &Session, cap: usize, total: u64, message_len: u64) {
    let stream = conn(session, 2).stream(Dir::In);
    let retained = stream.retained();
    // Only the framer's buffer for the message in progress cannot be evicted.
    let over = session.retained_memory() > cap;
    assert!(!over || stream.chunks().is_empty(), "{} > {cap}", session.retained_memory());
    assert_eq!(stream.total(), total);
    assert_eq!(retained.end, total);
    assert_eq!(session.dropped_bytes(), retained.start);
    let mut out = Vec::new();
    assert_eq!(stream.read(0..u64::MAX, &mut out), retained);
    assert_eq!(out, pattern_bytes(retained.clone()), "retained bytes are intact");
    let chunks = stream.chunks();
    assert!(chunks.first().is_none_or(|c| c.offset <= retained.start && c.end() > retained.start));
    let messages = stream.messages();
    assert_eq!(stream.messages_dropped() + messages.len() as u64, total / message_len);
    for (message, index) in messages.iter().zip(stream.messages_dropped()..) {
        assert_eq!((message.index, message.start), (index, index * message_len));
        assert!(message.end() > retained.start, "a message wholly evicted is dropped");
    }
    assert_eq!(stream.leftover(), total - total % message_len..total);
}

#[test]
fn eviction_drops_the_oldest_bytes_and_messages_and_framing_carries_on() {
    let cases = [
        // (retain, total, chunk, message length)
        (0, 10_000, 100, 7),
        (2 * KIB, 10_000, 100, 7),
        (8 * KIB, 50_000, 1000, 300),
        (8 * KIB, 50_000, 20_000, 300),
        (64 * KIB, 100_000, 333, 1000),
        (MIB, 50_000, 333, 1000),
    ];
    for (retain, total, chunk, message_len) in cases {
        let framing = Spec::Fixed(message_len as usize);
        let config = SessionConfig { framing, retain, ..SessionConfig::default() };
        let session = stream_through(config, total, chunk);
        check_retained(&session, retain, total, message_len);
        let evicted = session.dropped_bytes() > 0;
        assert_eq!(evicted, retain < total as usize, "retain {retain}: only beyond the cap");
    }
}

#[test]
fn the_oldest_bytes_go_first_whichever_stream_holds_them() {
    let config = SessionConfig { retain: 8 * KIB, ..SessionConfig::default() };
    let mut kinds = vec![accept(2, 1), accept(3, 1)];
    kinds.extend((0..20).map(|_| recv(2, &[1; 500])));
    kinds.extend((0..4).map(|_| send(3, 500, &[2; 500])));
    let session = fold_with(config, kinds);
    let (old, new) = (conn(&session, 2).stream(Dir::In), conn(&session, 3).stream(Dir::Out));
    assert!(old.dropped() > 0);
    assert_eq!(new.retained(), 0..2000, "the newest stream is kept whole");
    assert_eq!(session.dropped_bytes(), old.dropped());
    assert_eq!(old.chunks_dropped() + old.chunks().len() as u64, 20);
}

#[test]
fn reframing_after_eviction_starts_at_the_retained_start() {
    let config = SessionConfig { retain: 4 * KIB, ..SessionConfig::default() };
    let mut session = stream_through(config, 20_000, 100);
    let start = conn(&session, 2).stream(Dir::In).retained().start;
    assert!(start > 0);
    session.set_framing(Some(id(2)), Spec::Fixed(10));
    let stream = conn(&session, 2).stream(Dir::In);
    assert_eq!(stream.framing_start(), start);
    // Messages cost memory too: the re-framed stream may have evicted some of its first ones.
    let dropped = stream.messages_dropped();
    let first = stream.messages().first().copied();
    assert_eq!(first.map(|m| (m.index, m.start)), Some((dropped, start + dropped * 10)));
    assert!(session.retained_memory() <= 4 * KIB);
}

/// A long stream through a small cap: memory stays bounded and the counts stay exact, and the
/// fold never rescans what it keeps (64 MiB through a 1 MiB cap).
#[test]
fn a_long_stream_folds_in_bounded_memory() {
    const TOTAL: u64 = 64 << 20;
    let config =
        SessionConfig { retain: MIB, framing: Spec::Fixed(1000), ..SessionConfig::default() };
    let session = stream_through(config, TOTAL, 4096);
    check_retained(&session, MIB, TOTAL, 1000);
    let retained = conn(&session, 2).stream(Dir::In).retained();
    assert!(retained.end - retained.start > (MIB / 2) as u64, "most of the cap holds bytes");
    assert_eq!(session.totals().bytes_in, TOTAL);
}
