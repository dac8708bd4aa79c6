//! Property tests: no event sequence breaks the model, and neither chunking nor retention
//! changes what framing finds.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

use super::*;
use crate::framing::LenWidth;

/// Few ids, so that events about the same socket collide often, and some never opened.
fn any_id() -> impl Strategy<Value = u64> {
    0_u64..6
}

fn any_bytes() -> impl Strategy<Value = Vec<u8>> {
    vec(select(b"ab\n\r\x00\x03".to_vec()), 0..40)
}

fn any_op() -> impl Strategy<Value = Op> {
    select(vec![Op::Listen, Op::Accept, Op::Connect, Op::Recv, Op::Send, Op::Shutdown, Op::Idle])
}

fn any_closed_by() -> impl Strategy<Value = ClosedBy> {
    select(vec![ClosedBy::Local, ClosedBy::Peer, ClosedBy::Reset, ClosedBy::Error])
}

fn any_how() -> impl Strategy<Value = How> {
    select(vec![How::Read, How::Write, How::Both])
}

fn ids() -> impl Strategy<Value = Vec<u64>> {
    vec(any_id(), 0..4)
}

fn any_kind() -> impl Strategy<Value = EventKind> {
    prop_oneof![
        any_id().prop_map(listen),
        (any_id(), any_id()).prop_map(|(n, l)| accept(n, l)),
        (any_id(), proptest::option::of(any_id())).prop_map(|(n, pair)| connect(n, pair)),
        any_id().prop_map(connected),
        (any::<u64>(), ids(), ids(), ids()).prop_map(|(r, a, b, c)| ready(r, &a, &b, &c)),
        (any_id(), any_bytes()).prop_map(|(n, data)| recv(n, &data)),
        (any_id(), 0_usize..100, any_bytes()).prop_map(|(n, asked, data)| send(n, asked, &data)),
        (any_id(), any_op()).prop_map(|(n, op)| would_block(n, op)),
        any_id().prop_map(eof),
        (any_id(), any_how()).prop_map(|(n, how)| shutdown(n, how)),
        any_id().prop_map(reset),
        (any_id(), any_closed_by()).prop_map(|(n, by)| close(n, by)),
        (any_id(), any_op()).prop_map(|(n, op)| error(n, op, ErrorKind::Other)),
        (any_id(), any::<bool>(), any::<bool>()).prop_map(|(n, r, w)| interest(n, r, w)),
        any_id().prop_map(|n| EventKind::Option { conn: id(n), option: SockOption::RcvBuf(9) }),
        Just(Event::session_start().kind),
    ]
}

fn any_spec() -> impl Strategy<Value = Spec> {
    prop_oneof![
        Just(Spec::Raw),
        Just(Spec::Line),
        Just(Spec::Eof),
        Just(Spec::Delim(b"\r\n".to_vec())),
        (0_usize..5).prop_map(Spec::Fixed),
        Just(Spec::Len { width: LenWidth::U8, inclusive: false }),
        Just(Spec::Len { width: LenWidth::U16Be, inclusive: true }),
        (1_usize..3).prop_map(Spec::Ascii),
    ]
}

/// What a person (or the UI) does besides events.
#[derive(Clone, Debug)]
enum Step {
    Apply(EventKind, u64),
    Reframe(Option<u64>, Spec),
    Submit(u64, usize),
}

fn any_step() -> impl Strategy<Value = Step> {
    prop_oneof![
        8 => (any_kind(), 0_u64..1000).prop_map(|(kind, t)| Step::Apply(kind, t)),
        1 => (proptest::option::of(any_id()), any_spec()).prop_map(|(n, s)| Step::Reframe(n, s)),
        1 => (any_id(), 0_usize..50).prop_map(|(n, len)| Step::Submit(n, len)),
    ]
}

/// Everything that must hold after any sequence.
fn check_invariants(session: &Session, config: &SessionConfig) {
    let mut cost = 0;
    let mut chunks_left = false;
    let mut bytes = [0, 0];
    for conn in session.connections() {
        cost += conn.cost();
        assert!(conn.calls().len() <= config.calls_per_conn);
        for (slot, dir) in [(0, Dir::In), (1, Dir::Out)] {
            let stream = conn.stream(dir);
            bytes[slot] += stream.total();
            chunks_left |= !stream.chunks().is_empty();
            check_stream(stream);
        }
    }
    assert_eq!(session.retained_memory(), cost, "memory bookkeeping matches the streams");
    assert!(cost <= config.retain || !chunks_left, "over the cap with evictable chunks");
    assert_eq!([session.totals().bytes_in, session.totals().bytes_out], bytes);
    assert!(session.rounds().len() <= config.history.max(1));
}

fn check_stream(stream: &Stream) {
    let retained = stream.retained();
    assert!(retained.start <= retained.end && retained.end == stream.total());
    let mut out = Vec::new();
    assert_eq!(stream.read(0..u64::MAX, &mut out), retained);
    assert_eq!(out.len() as u64, retained.end - retained.start);
    for pair in stream.chunks().windows(2) {
        assert_eq!(pair[0].end(), pair[1].offset, "chunks tile the stream");
    }
    if let Some(last) = stream.chunks().last() {
        assert_eq!(last.end(), stream.total());
    }
    for pair in stream.messages().windows(2) {
        assert_eq!(pair[0].end(), pair[1].start, "messages follow each other");
        assert_eq!(pair[0].index + 1, pair[1].index);
    }
    let leftover = stream.leftover();
    assert!(stream.framing_start() <= leftover.start && leftover.end == stream.total());
}

/// Folds `bytes` received on one connection in chunks of the given sizes (cycled).
fn frame_in_chunks(config: SessionConfig, bytes: &[u8], sizes: &[usize]) -> Session {
    let mut session = Session::new(config);
    session.apply(&Event { kind: accept(2, 1), t_us: 0 });
    let mut rest = bytes;
    for size in sizes.iter().cycle() {
        if rest.is_empty() {
            break;
        }
        let (now, later) = rest.split_at((*size).clamp(1, rest.len()));
        session.apply(&Event { kind: recv(2, now), t_us: 1 });
        rest = later;
    }
    session
}

/// A message without its time, which depends on the chunking by design.
fn placement(message: &MessageInfo) -> (u64, u64, usize, usize, usize) {
    (message.index, message.start, message.header_len, message.body_len, message.trailer_len)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn no_event_sequence_breaks_the_model(steps in vec(any_step(), 0..120), retain in 0_usize..3000) {
        let config = SessionConfig {
            framing: Spec::Line,
            max_message: 16,
            retain,
            history: 4,
            calls_per_conn: 5,
        };
        let mut session = Session::new(config.clone());
        for step in steps {
            match step {
                Step::Apply(kind, t_us) => session.apply(&Event { kind, t_us }),
                Step::Reframe(target, spec) => session.set_framing(target.map(id), spec),
                Step::Submit(n, len) => session.note_submitted(id(n), len),
            }
            check_invariants(&session, &config);
        }
    }

    #[test]
    fn chunking_and_retention_do_not_change_messages(
        spec in any_spec(),
        bytes in vec(select(b"ab\r\n\x00\x0201".to_vec()), 0..300),
        sizes in vec(1_usize..20, 1..8),
        retain in 0_usize..2000,
    ) {
        let config = SessionConfig { framing: spec, max_message: 64, ..SessionConfig::default() };
        let whole = frame_in_chunks(config.clone(), &bytes, &[usize::MAX]);
        let chunked = frame_in_chunks(config.clone(), &bytes, &sizes);
        let small = frame_in_chunks(SessionConfig { retain, ..config }, &bytes, &sizes);
        let [whole, chunked, small] = [&whole, &chunked, &small].map(|s| conn(s, 2).stream(Dir::In));
        let all: Vec<_> = whole.messages().iter().map(placement).collect();
        for stream in [chunked, small] {
            let kept: Vec<_> = stream.messages().iter().map(placement).collect();
            let dropped = stream.messages_dropped() as usize;
            prop_assert_eq!(&all[dropped..], &kept[..]);
            prop_assert_eq!(stream.partial(), whole.partial());
            prop_assert_eq!(stream.leftover(), whole.leftover());
            prop_assert_eq!(stream.framing_error(), whole.framing_error());
        }
        prop_assert_eq!(chunked.messages_dropped(), 0);
    }
}
