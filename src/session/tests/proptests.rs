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

/// What a recording started now must bring back of one open connection.
fn described(conn: &Connection) -> impl PartialEq + std::fmt::Debug {
    let role = match conn.role {
        // Whether a listener serves a proxy shows only once one of its clients is relayed.
        Role::Listener { .. } => Role::Listener { proxy: false },
        role => role,
    };
    let (local, peer) = (conn.local.clone(), conn.peer.clone());
    (
        role,
        conn.state,
        local,
        peer,
        conn.read_closed,
        conn.write_closed,
        conn.interest,
        conn.options.clone(),
    )
}

/// One step of a session as an engine reports it: `pick` chooses among the sockets so far.
#[derive(Clone, Debug)]
enum Life {
    Listen,
    Accept(usize),
    Connect(Option<usize>),
    Connected(usize),
    Eof(usize),
    ShutdownWrite(usize),
    Reset(usize),
    Fail(usize),
    Close(usize, ClosedBy),
    Interest(usize, bool, bool),
    NoDelay(usize),
}

fn any_life() -> impl Strategy<Value = Life> {
    prop_oneof![
        Just(Life::Listen),
        any::<usize>().prop_map(Life::Accept),
        proptest::option::of(any::<usize>()).prop_map(Life::Connect),
        any::<usize>().prop_map(Life::Connected),
        any::<usize>().prop_map(Life::Eof),
        any::<usize>().prop_map(Life::ShutdownWrite),
        any::<usize>().prop_map(Life::Reset),
        any::<usize>().prop_map(Life::Fail),
        (any::<usize>(), any_closed_by()).prop_map(|(n, by)| Life::Close(n, by)),
        (any::<usize>(), any::<bool>(), any::<bool>())
            .prop_map(|(n, r, w)| Life::Interest(n, r, w)),
        any::<usize>().prop_map(Life::NoDelay),
    ]
}

/// The events of `steps`: each socket gets a fresh id; a step that makes no sense for the
/// socket it picks (a connect completing on a listener, say) is left out, as no engine
/// reports it.
fn engine_events(steps: &[Life]) -> Vec<EventKind> {
    let mut listeners: Vec<u64> = Vec::new();
    let mut streams: Vec<(u64, bool)> = Vec::new(); // (id, outgoing)
    let mut next = 0;
    let mut events = Vec::new();
    let pick = |list: &[(u64, bool)], n: usize| (!list.is_empty()).then(|| list[n % list.len()]);
    for step in steps {
        let id_now = next;
        match *step {
            Life::Listen => {
                listeners.push(id_now);
                events.push(listen(id_now));
                next += 1;
            }
            Life::Accept(n) if !listeners.is_empty() => {
                events.push(accept(id_now, listeners[n % listeners.len()]));
                streams.push((id_now, false));
                next += 1;
            }
            Life::Connect(pair) => {
                let pair = pair.and_then(|n| pick(&streams, n)).filter(|(_, out)| !out);
                events.push(connect(id_now, pair.map(|(id, _)| id)));
                streams.push((id_now, true));
                next += 1;
            }
            Life::Connected(n) => {
                if let Some((id, true)) = pick(&streams, n) {
                    events.push(connected(id));
                }
            }
            Life::Eof(n) => events.extend(pick(&streams, n).map(|(id, _)| eof(id))),
            Life::ShutdownWrite(n) => {
                events.extend(pick(&streams, n).map(|(id, _)| shutdown(id, How::Write)));
            }
            Life::Reset(n) => events.extend(pick(&streams, n).map(|(id, _)| reset(id))),
            Life::Fail(n) => {
                events
                    .extend(pick(&streams, n).map(|(id, _)| error(id, Op::Recv, ErrorKind::Reset)));
            }
            Life::Close(n, by) => events.extend(pick(&streams, n).map(|(id, _)| close(id, by))),
            Life::Interest(n, r, w) => {
                events.extend(pick(&streams, n).map(|(id, _)| interest(id, r, w)));
            }
            Life::NoDelay(n) => events.extend(pick(&streams, n).map(|(id, _)| EventKind::Option {
                conn: super::id(id),
                option: SockOption::NoDelay(true),
            })),
            Life::Accept(_) => {}
        }
    }
    events
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The opening events of a recording started mid-session recreate every open connection
    /// as it stands, and nothing else.
    #[test]
    fn opening_events_recreate_the_open_connections(steps in vec(any_life(), 0..80)) {
        let mut live = Session::new(SessionConfig::default());
        for (t, kind) in engine_events(&steps).into_iter().enumerate() {
            live.apply(&Event { kind, t_us: t as u64 });
        }
        let mut replayed = Session::new(SessionConfig::default());
        for event in live.opening_events(1_000) {
            prop_assert_eq!(event.t_us, 1_000);
            replayed.apply(&event);
        }
        for conn in replayed.connections() {
            let original = live.connection(conn.id);
            prop_assert!(original.is_some_and(|o| !o.is_closed()), "{} invented", conn.id);
        }
        for conn in live.connections().filter(|conn| !conn.is_closed()) {
            let again = replayed.connection(conn.id);
            prop_assert!(again.is_some(), "{} lost", conn.id);
            prop_assert_eq!(again.map(described), Some(described(conn)));
        }
    }
}
