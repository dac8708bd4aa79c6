//! The records of `--relay splice` (format 2.9): `splice_in` and `tee` hold counts only,
//! `pipe_read` and `splice_out` are laid out as `recv` and `send` (the socket, two counts, the
//! payload). A `splice_out` of the bytes its pair's `pipe_read`s saw is written as a relayed
//! splice, like a relayed send (see `record::relay`).

use super::super::format::EventType;
use super::super::wire::{Cursor, Decoded, put_conn, put_usize};
use crate::event::{ConnId, EventKind};
use bytes::Bytes;

pub(super) fn put_in(
    out: &mut Vec<u8>,
    conn: ConnId,
    max: usize,
    len: usize,
) -> (EventType, Option<Bytes>) {
    put_conn(out, conn);
    put_usize(out, max);
    put_usize(out, len);
    (EventType::SpliceIn, None)
}

pub(super) fn put_tee(out: &mut Vec<u8>, conn: ConnId, len: usize) -> (EventType, Option<Bytes>) {
    put_conn(out, conn);
    put_usize(out, len);
    (EventType::Tee, None)
}

/// A `splice_in` or `tee` record's fields.
pub(super) fn read_counts(kind: EventType, c: &mut Cursor<'_>) -> Decoded<EventKind> {
    let conn = c.conn()?;
    Ok(if kind == EventType::Tee {
        EventKind::Tee { conn, len: c.usize()? }
    } else {
        EventKind::SpliceIn { conn, max: c.usize()?, len: c.usize()? }
    })
}

/// A `pipe_read` (`first` is its `max`) or a `splice_out` (`first` is its `requested`).
pub(super) fn with_bytes(
    kind: EventType,
    conn: ConnId,
    (first, len): (usize, usize),
    data: Bytes,
) -> EventKind {
    if kind == EventType::PipeRead {
        EventKind::PipeRead { conn, max: first, len, data }
    } else {
        EventKind::SpliceOut { conn, requested: first, len, data }
    }
}
