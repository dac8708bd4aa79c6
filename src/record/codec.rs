//! Events to record bodies and back.
//!
//! Every event body starts with `t_us`, so an index can read an event's time without decoding
//! the rest. The fields follow in the order the event declares them; a payload comes last as
//! a length and the raw bytes, so the writer can hand the payload to the file without copying
//! it into the body first. A decoder ignores bytes after the fields it knows: a later minor
//! version may append fields to a record type.

pub mod call_site;
mod datagram;
mod fault;
mod intercept;
mod splice;
mod tls;

pub use tls::StageCode as TlsStageCode;

use super::codes;
use super::format::EventType;
use super::wire::{
    Cursor, DecodeError, Decoded, put_address, put_conn, put_conn_list, put_str, put_usize,
    put_varint,
};
use crate::event::{
    ClosedBy, ConnId, Dir, ErrorKind, Event, EventKind, How, Op, Readiness, SelectView, SockOption,
};
use bytes::Bytes;

/// Writes `event`'s fields (everything but the payload bytes) into `out` and returns its record
/// type and payload. The caller appends the payload's length and bytes. `None` for an event
/// that is not recorded: `blocked` says only that a traced call had not returned yet, and
/// the call's result, which is recorded, follows it.
#[allow(clippy::too_many_lines)] // one arm per event kind: a table best read whole
pub fn encode(event: &Event, out: &mut Vec<u8>) -> Option<(EventType, Option<Bytes>)> {
    use EventKind as K;
    put_varint(out, event.t_us);
    let encoded = match &event.kind {
        K::Blocked { .. } => return None,
        K::Session { version, tool, start_unix_us } => {
            put_session(out, *version, tool, *start_unix_us);
            (EventType::Session, None)
        }
        K::Listen { conn, local } => {
            put_conn(out, *conn);
            put_address(out, local);
            (EventType::Listen, None)
        }
        K::Accept { conn, listener, local, peer } => {
            put_conn(out, *conn);
            put_conn(out, *listener);
            put_address(out, local);
            put_address(out, peer);
            (EventType::Accept, None)
        }
        K::Connect { conn, peer, pair, client } => {
            put_connect(out, *conn, peer, (*pair, client.as_ref()));
            (EventType::Connect, None)
        }
        K::Connected { conn, local, peer } => {
            put_conn(out, *conn);
            put_address(out, local);
            put_address(out, peer);
            (EventType::Connected, None)
        }
        K::Ready(ready) => {
            put_readiness(out, ready);
            (EventType::Ready, None)
        }
        K::Recv { conn, max, len, data } => {
            counted(out, *conn, (*max, *len), (EventType::Recv, data))
        }
        K::Send { conn, requested, len, data } => {
            counted(out, *conn, (*requested, *len), (EventType::Send, data))
        }
        K::RecvFrom { conn, peer, max, len, data, truncated } => {
            datagram::put_recv_from(out, (*conn, peer), (*max, *len), *truncated);
            (EventType::RecvFrom, Some(data.clone()))
        }
        K::SendTo { conn, peer, requested, len, data } => {
            datagram::put_send_to(out, (*conn, peer), (*requested, *len));
            (EventType::SendTo, Some(data.clone()))
        }
        K::WouldBlock { conn, op } => {
            conn_with_code(out, *conn, codes::ops::code(*op), EventType::WouldBlock)
        }
        K::Eof { conn } => conn_only(out, *conn, EventType::Eof),
        K::Shutdown { conn, how } => {
            conn_with_code(out, *conn, codes::hows::code(*how), EventType::Shutdown)
        }
        K::Reset { conn } => conn_only(out, *conn, EventType::Reset),
        K::Close { conn, by } => {
            conn_with_code(out, *conn, codes::closed_by::code(*by), EventType::Close)
        }
        K::Error { conn, op, kind, message } => {
            put_conn(out, *conn);
            out.push(codes::ops::code(*op));
            out.push(codes::error_kinds::code(*kind));
            put_str(out, message);
            (EventType::Error, None)
        }
        K::Option { conn, option } => {
            put_conn(out, *conn);
            put_option(out, *option);
            (EventType::Option, None)
        }
        K::Interest { conn, read, write } => {
            put_conn(out, *conn);
            out.push(u8::from(*read) | (u8::from(*write) << 1));
            (EventType::Interest, None)
        }
        K::Fault { conn, dir, kind, state, detail } => {
            fault::put(out, *conn, (*dir, *kind, *state), detail);
            (EventType::Fault, None)
        }
        K::Intercept { conn, dir, state, framing, pattern } => {
            intercept::put_intercept(out, (*conn, *dir, *state), framing, pattern)
        }
        K::Held { conn, dir, id, data, .. } => intercept::put_held(out, (*conn, *dir), *id, data),
        K::Released { conn, dir, id, action, data, .. } => {
            intercept::put_released(out, (*conn, *dir), (*id, *action), data)
        }
        K::Inject { conn, dir, data, .. } => intercept::put_inject(out, (*conn, *dir), data),
        K::Tls { conn, stage } => tls::put_tls(out, *conn, stage),
        K::TlsRead { conn, data, .. } => tls::put_read(out, *conn, data),
        K::TlsWrite { conn, requested, data, .. } => tls::put_write(out, *conn, *requested, data),
        K::SpliceIn { conn, max, len } => splice::put_in(out, *conn, *max, *len),
        K::Tee { conn, len } => splice::put_tee(out, *conn, *len),
        K::PipeRead { conn, max, len, data } => {
            counted(out, *conn, (*max, *len), (EventType::PipeRead, data))
        }
        K::SpliceOut { conn, requested, len, data } => {
            counted(out, *conn, (*requested, *len), (EventType::SpliceOut, data))
        }
        K::Message { conn, dir, len, data } => {
            put_conn(out, *conn);
            out.push(codes::dirs::code(*dir));
            put_usize(out, *len);
            (EventType::Message, Some(data.clone()))
        }
    };
    Some(encoded)
}

/// A record whose only field is its socket.
fn conn_only(out: &mut Vec<u8>, conn: ConnId, kind: EventType) -> (EventType, Option<Bytes>) {
    put_conn(out, conn);
    (kind, None)
}

/// A record of a socket and one enum code.
fn conn_with_code(
    out: &mut Vec<u8>,
    conn: ConnId,
    code: u8,
    kind: EventType,
) -> (EventType, Option<Bytes>) {
    put_conn(out, conn);
    out.push(code);
    (kind, None)
}

/// A `connect`'s fields: the peer, the pair, and (since 2.5, only when there is one) a
/// datagram flow's client.
fn put_connect(
    out: &mut Vec<u8>,
    conn: ConnId,
    peer: &crate::event::Address,
    (pair, client): (Option<ConnId>, Option<&crate::event::Address>),
) {
    put_conn(out, conn);
    put_address(out, peer);
    put_varint(out, pair.map_or(0, |p| p.0.saturating_add(1)));
    if let Some(client) = client {
        put_address(out, client);
    }
}

fn put_session(out: &mut Vec<u8>, version: u32, tool: &str, start_unix_us: Option<u64>) {
    put_varint(out, u64::from(version));
    put_str(out, tool);
    // Since 2.3: the wall-clock start plus one, 0 when not known.
    put_varint(out, start_unix_us.map_or(0, |us| us.saturating_add(1)));
}

/// A `recv` or `send`: the conn, two counts, then the payload.
fn counted(
    out: &mut Vec<u8>,
    conn: ConnId,
    (first, len): (usize, usize),
    (kind, data): (EventType, &Bytes),
) -> (EventType, Option<Bytes>) {
    put_conn(out, conn);
    put_usize(out, first);
    put_usize(out, len);
    (kind, Some(data.clone()))
}

/// A relayed send's fields: the `send` without its bytes, and the socket they came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RelayedSend {
    pub t_us: u64,
    pub conn: ConnId,
    pub requested: usize,
    pub len: usize,
    pub from: ConnId,
}

/// Writes a relayed send's fields into `out`.
pub fn encode_relayed(send: &RelayedSend, out: &mut Vec<u8>) {
    put_varint(out, send.t_us);
    put_conn(out, send.conn);
    put_usize(out, send.requested);
    put_usize(out, send.len);
    put_conn(out, send.from);
}

/// Reads a relayed send's fields.
pub fn decode_relayed(body: &[u8]) -> Decoded<RelayedSend> {
    let mut c = Cursor::new(body);
    Ok(RelayedSend {
        t_us: c.varint()?,
        conn: c.conn()?,
        requested: c.usize()?,
        len: c.usize()?,
        from: c.conn()?,
    })
}

/// Decodes an event body. `prefix` holds payload bytes from preceding `DataPart` records. A
/// relayed send is not decoded here (its bytes come from the relay queues): an error.
#[allow(clippy::too_many_lines)] // one arm per record type: a table best read whole
pub fn decode(kind: EventType, body: &Bytes, prefix: Option<Vec<u8>>) -> Decoded<Event> {
    let mut c = Cursor::new(body);
    let t_us = c.varint()?;
    let kind = match kind {
        EventType::Session => EventKind::Session {
            version: c.u32()?,
            tool: c.string()?,
            start_unix_us: session_start(&mut c)?,
        },
        EventType::Listen => EventKind::Listen { conn: c.conn()?, local: c.address()? },
        EventType::Accept => EventKind::Accept {
            conn: c.conn()?,
            listener: c.conn()?,
            local: c.address()?,
            peer: c.address()?,
        },
        EventType::Connect => EventKind::Connect {
            conn: c.conn()?,
            peer: c.address()?,
            pair: c.varint()?.checked_sub(1).map(crate::event::ConnId),
            client: if c.at_end() { None } else { Some(c.address()?) },
        },
        EventType::Connected => {
            EventKind::Connected { conn: c.conn()?, local: c.address()?, peer: c.address()? }
        }
        EventType::Ready => EventKind::Ready(readiness(&mut c)?),
        EventType::Recv => EventKind::Recv {
            conn: c.conn()?,
            max: c.usize()?,
            len: c.usize()?,
            data: payload(&mut c, body, prefix)?,
        },
        EventType::Send => EventKind::Send {
            conn: c.conn()?,
            requested: c.usize()?,
            len: c.usize()?,
            data: payload(&mut c, body, prefix)?,
        },
        EventType::WouldBlock => EventKind::WouldBlock { conn: c.conn()?, op: op(c.u8()?)? },
        EventType::Eof => EventKind::Eof { conn: c.conn()? },
        EventType::Shutdown => EventKind::Shutdown { conn: c.conn()?, how: how(c.u8()?)? },
        EventType::Reset => EventKind::Reset { conn: c.conn()? },
        EventType::Close => EventKind::Close { conn: c.conn()?, by: closed_by(c.u8()?)? },
        EventType::Error => EventKind::Error {
            conn: c.conn()?,
            op: op(c.u8()?)?,
            kind: error_kind(c.u8()?)?,
            message: c.string()?,
        },
        EventType::Option => EventKind::Option { conn: c.conn()?, option: option(&mut c)? },
        EventType::Interest => {
            let conn = c.conn()?;
            let flags = c.u8()?;
            if flags > 3 {
                return Err(DecodeError("unknown interest flags"));
            }
            EventKind::Interest { conn, read: flags & 1 != 0, write: flags & 2 != 0 }
        }
        EventType::Message => EventKind::Message {
            conn: c.conn()?,
            dir: dir(c.u8()?)?,
            len: c.usize()?,
            data: payload(&mut c, body, prefix)?,
        },
        EventType::Fault => fault::read(&mut c)?,
        EventType::Intercept => intercept::read_intercept(&mut c)?,
        EventType::Held => {
            let (conn, dir, id, len) = intercept::read_held(&mut c)?;
            EventKind::Held { conn, dir, id, len, data: payload(&mut c, body, prefix)? }
        }
        EventType::Released => {
            let (conn, dir, id, action, len) = intercept::read_released(&mut c)?;
            let data = payload(&mut c, body, prefix)?;
            EventKind::Released { conn, dir, id, action, len, data }
        }
        EventType::Inject => {
            let (conn, dir, len) = intercept::read_inject(&mut c)?;
            EventKind::Inject { conn, dir, len, data: payload(&mut c, body, prefix)? }
        }
        EventType::RecvFrom => datagram::read_recv_from(&mut c, body, prefix)?,
        EventType::SendTo => datagram::read_send_to(&mut c, body, prefix)?,
        EventType::Tls => tls::read_tls(&mut c)?,
        EventType::TlsRead => EventKind::TlsRead {
            conn: c.conn()?,
            len: c.usize()?,
            data: payload(&mut c, body, prefix)?,
        },
        EventType::TlsWrite => EventKind::TlsWrite {
            conn: c.conn()?,
            requested: c.usize()?,
            len: c.usize()?,
            data: payload(&mut c, body, prefix)?,
        },
        EventType::SpliceIn | EventType::Tee => splice::read_counts(kind, &mut c)?,
        EventType::PipeRead | EventType::SpliceOut => {
            let (conn, first, len) = (c.conn()?, c.usize()?, c.usize()?);
            splice::with_bytes(kind, conn, (first, len), payload(&mut c, body, prefix)?)
        }
        EventType::RelayedSend | EventType::RelayedSpliceOut => {
            return Err(DecodeError("a relayed send needs the relay queues"));
        }
    };
    Ok(Event { kind, t_us })
}

/// The event time at the start of every event body, without decoding the rest.
pub fn event_time(body_start: &[u8]) -> Decoded<u64> {
    Cursor::new(body_start).varint()
}

/// The record's own payload bytes (a slice of the body, no copy), behind any earlier parts.
fn payload(c: &mut Cursor<'_>, body: &Bytes, prefix: Option<Vec<u8>>) -> Decoded<Bytes> {
    let own = body.slice(c.bytes_range()?);
    Ok(match prefix {
        None => own,
        Some(mut joined) => {
            joined.extend_from_slice(&own);
            Bytes::from(joined)
        }
    })
}

/// The round, its seven lists, and (since 2.1, when known) `select()`'s three.
fn put_readiness(out: &mut Vec<u8>, ready: &Readiness) {
    put_varint(out, ready.round);
    for list in lists(ready) {
        put_conn_list(out, list);
    }
    if let Some(select) = &ready.select {
        for list in [&select.readable, &select.writable, &select.exceptional] {
            put_conn_list(out, list);
        }
    }
}

fn lists(ready: &Readiness) -> [&Vec<crate::event::ConnId>; 7] {
    [
        &ready.readable,
        &ready.writable,
        &ready.error,
        &ready.read_closed,
        &ready.write_closed,
        &ready.still_readable,
        &ready.still_writable,
    ]
}

fn readiness(c: &mut Cursor<'_>) -> Decoded<Readiness> {
    Ok(Readiness {
        round: c.varint()?,
        readable: c.conn_list()?,
        writable: c.conn_list()?,
        error: c.conn_list()?,
        read_closed: c.conn_list()?,
        write_closed: c.conn_list()?,
        still_readable: c.conn_list()?,
        still_writable: c.conn_list()?,
        select: select_view(c)?,
    })
}

/// The session's wall-clock start, appended in format 2.3 (plus one; 0 when not known); an
/// older record ends before it.
fn session_start(c: &mut Cursor<'_>) -> Decoded<Option<u64>> {
    if c.at_end() {
        return Ok(None);
    }
    Ok(c.varint()?.checked_sub(1))
}

/// `select()`'s lists, appended in format 2.1; a 2.0 record ends before them (not known).
fn select_view(c: &mut Cursor<'_>) -> Decoded<Option<Box<SelectView>>> {
    if c.at_end() {
        return Ok(None);
    }
    Ok(Some(Box::new(SelectView {
        readable: c.conn_list()?,
        writable: c.conn_list()?,
        exceptional: c.conn_list()?,
    })))
}

fn op(code: u8) -> Decoded<Op> {
    codes::ops::from_code(code).ok_or(DecodeError("unknown operation"))
}

fn how(code: u8) -> Decoded<How> {
    codes::hows::from_code(code).ok_or(DecodeError("unknown shutdown direction"))
}

fn closed_by(code: u8) -> Decoded<ClosedBy> {
    codes::closed_by::from_code(code).ok_or(DecodeError("unknown close cause"))
}

fn error_kind(code: u8) -> Decoded<ErrorKind> {
    codes::error_kinds::from_code(code).ok_or(DecodeError("unknown error kind"))
}

fn dir(code: u8) -> Decoded<Dir> {
    codes::dirs::from_code(code).ok_or(DecodeError("unknown direction"))
}

fn put_option(out: &mut Vec<u8>, option: SockOption) {
    match option {
        SockOption::NoDelay(on) => out.extend_from_slice(&[0, u8::from(on)]),
        SockOption::SndBuf(bytes) => {
            out.push(1);
            put_usize(out, bytes);
        }
        SockOption::RcvBuf(bytes) => {
            out.push(2);
            put_usize(out, bytes);
        }
        SockOption::KeepAlive(on) => out.extend_from_slice(&[3, u8::from(on)]),
        SockOption::Linger(secs) => {
            out.push(4);
            put_varint(out, secs.map_or(0, |s| u64::from(s) + 1));
        }
    }
}

fn option(c: &mut Cursor<'_>) -> Decoded<SockOption> {
    Ok(match c.u8()? {
        0 => SockOption::NoDelay(c.bool()?),
        1 => SockOption::SndBuf(c.usize()?),
        2 => SockOption::RcvBuf(c.usize()?),
        3 => SockOption::KeepAlive(c.bool()?),
        4 => SockOption::Linger(match c.varint()? {
            0 => None,
            n => Some(u32::try_from(n - 1).map_err(|_| DecodeError("linger exceeds 32 bits"))?),
        }),
        _ => return Err(DecodeError("unknown socket option")),
    })
}
