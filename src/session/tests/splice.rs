//! `--relay splice` in the fold: the bytes of `pipe_read` are what the socket received and
//! those of `splice_out` what it sent, the pipe's bytes count as queued toward the other
//! side, every call is listed as made, and the stream knows which chunks the relay spliced.

use super::*;
use crate::session::SpliceCall;

fn splice_in(n: u64, len: usize) -> EventKind {
    EventKind::SpliceIn { conn: id(n), max: 65536, len }
}

fn pipe_read(n: u64, data: &[u8]) -> EventKind {
    let data = Bytes::copy_from_slice(data);
    EventKind::PipeRead { conn: id(n), max: data.len(), len: data.len(), data }
}

fn splice_out(n: u64, requested: usize, data: &[u8]) -> EventKind {
    let data = Bytes::copy_from_slice(data);
    EventKind::SpliceOut { conn: id(n), requested, len: data.len(), data }
}

/// A proxied pair (#2 accepted, #3 its upstream): `hello` received by recv and sent by
/// send, then `world!` through the pipe, its splice out cut in two.
fn pair() -> Session {
    fold(vec![
        listen(1),
        accept(2, 1),
        connect(3, Some(2)),
        connected(3),
        recv(2, b"hello"),
        send(3, 5, b"hello"),
        splice_in(2, 6),
        EventKind::Tee { conn: id(2), len: 6 },
        pipe_read(2, b"world!"),
        splice_out(3, 6, b"wor"),
    ])
}

#[test]
fn the_pipes_bytes_are_received_and_sent_bytes_of_their_sockets() {
    let mut session = pair();
    assert_eq!(conn(&session, 2).stream(Dir::In).total(), 11);
    assert_eq!(conn(&session, 3).stream(Dir::Out).total(), 8);
    assert_eq!(conn(&session, 3).queued, 3, "the rest waits in the pipe");
    session.apply(&Event { kind: splice_out(3, 3, b"ld!"), t_us: 10 });
    assert_eq!(conn(&session, 3).queued, 0);
    assert_eq!(conn(&session, 3).stream(Dir::Out).total(), 11);
}

#[test]
fn every_call_is_listed_as_made() {
    let session = pair();
    let calls: Vec<String> =
        conn(&session, 2).calls().iter().map(|call| call.kind.to_string()).collect();
    let tail = &calls[calls.len() - 3..];
    assert_eq!(tail, ["splice(65536) socket -> pipe 6", "tee pipe -> pipe 6", "read pipe(6) -> 6"]);
    let last = conn(&session, 3).calls().iter().last().map(|call| call.kind.clone());
    assert_eq!(last, Some(CallKind::Splice(SpliceCall::Out { requested: 6, len: 3 })));
    assert_eq!(last.unwrap().to_string(), "splice pipe -> socket 6 -> 3 (partial)");
}

#[test]
fn the_stream_knows_which_chunks_were_spliced() {
    let session = pair();
    let stream = conn(&session, 2).stream(Dir::In);
    assert!(!stream.spliced_at(0), "hello came by recv");
    assert!(!stream.spliced_at(4));
    assert!(stream.spliced_at(5), "world! came through the pipe");
    assert!(stream.spliced_at(10));
    let out = conn(&session, 3).stream(Dir::Out);
    assert_eq!((out.spliced_at(0), out.spliced_at(5)), (false, true));
}
