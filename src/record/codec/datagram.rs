//! The `recvfrom` and `sendto` records (format 2.4): conn, the peer's address and the counts,
//! then the payload like `recv` and `send`. `recvfrom` stores a datagram's real length plus one
//! (0: it fitted), so a datagram of any length, 0 included, can be marked truncated.

use super::super::wire::{Cursor, Decoded, put_address, put_conn, put_usize, put_varint};
use super::payload;
use crate::event::{Address, ConnId, EventKind};
use bytes::Bytes;

pub(super) fn put_recv_from(
    out: &mut Vec<u8>,
    (conn, peer): (ConnId, &Address),
    (max, len): (usize, usize),
    truncated: Option<usize>,
) {
    put_conn(out, conn);
    put_address(out, peer);
    put_usize(out, max);
    put_usize(out, len);
    put_varint(out, truncated.map_or(0, |full| (full as u64).saturating_add(1)));
}

pub(super) fn put_send_to(
    out: &mut Vec<u8>,
    (conn, peer): (ConnId, &Address),
    (requested, len): (usize, usize),
) {
    put_conn(out, conn);
    put_address(out, peer);
    put_usize(out, requested);
    put_usize(out, len);
}

pub(super) fn read_recv_from(
    c: &mut Cursor<'_>,
    body: &Bytes,
    prefix: Option<Vec<u8>>,
) -> Decoded<EventKind> {
    let (conn, peer, max, len) = (c.conn()?, c.address()?, c.usize()?, c.usize()?);
    let truncated =
        c.varint()?.checked_sub(1).map(|full| usize::try_from(full).unwrap_or(usize::MAX));
    let data = payload(c, body, prefix)?;
    Ok(EventKind::RecvFrom { conn, peer, max, len, data, truncated })
}

pub(super) fn read_send_to(
    c: &mut Cursor<'_>,
    body: &Bytes,
    prefix: Option<Vec<u8>>,
) -> Decoded<EventKind> {
    let (conn, peer, requested, len) = (c.conn()?, c.address()?, c.usize()?, c.usize()?);
    let data = payload(c, body, prefix)?;
    Ok(EventKind::SendTo { conn, peer, requested, len, data })
}
