//! The records of format 2.4 that tell what an intercept did: `intercept` (conn, `dir` and
//! `state` as one byte each, then `framing` and `pattern`), `held`, `released` and `inject`
//! (their fields, then the payload, which comes last in every record).

use super::super::codes::{fault_dirs, intercept_states, release_actions};
use super::super::format::EventType;
use super::super::wire::{Cursor, DecodeError, Decoded, put_conn, put_str, put_usize, put_varint};
use crate::event::{ConnId, EventKind, FaultDir, HoldId, InterceptState, ReleaseAction};
use bytes::Bytes;

/// A record's type and the payload that follows its fields.
type Encoded = (EventType, Option<Bytes>);

/// An `intercept` record's fields; returns its type.
pub(super) fn put_intercept(
    out: &mut Vec<u8>,
    (conn, dir, state): (ConnId, FaultDir, InterceptState),
    framing: &str,
    pattern: &str,
) -> Encoded {
    put_head(out, conn, dir);
    out.push(intercept_states::code(state));
    put_str(out, framing);
    put_str(out, pattern);
    (EventType::Intercept, None)
}

/// A `held` record's fields; returns its type and payload.
pub(super) fn put_held(
    out: &mut Vec<u8>,
    (conn, dir): (ConnId, FaultDir),
    id: HoldId,
    data: &Bytes,
) -> Encoded {
    put_head(out, conn, dir);
    put_varint(out, id.0);
    put_usize(out, data.len());
    (EventType::Held, Some(data.clone()))
}

/// A `released` record's fields; returns its type and payload.
pub(super) fn put_released(
    out: &mut Vec<u8>,
    (conn, dir): (ConnId, FaultDir),
    (id, action): (HoldId, ReleaseAction),
    data: &Bytes,
) -> Encoded {
    put_head(out, conn, dir);
    put_varint(out, id.0);
    out.push(release_actions::code(action));
    put_usize(out, data.len());
    (EventType::Released, Some(data.clone()))
}

/// An `inject` record's fields; returns its type and payload.
pub(super) fn put_inject(
    out: &mut Vec<u8>,
    (conn, dir): (ConnId, FaultDir),
    data: &Bytes,
) -> Encoded {
    put_head(out, conn, dir);
    put_usize(out, data.len());
    (EventType::Inject, Some(data.clone()))
}

fn put_head(out: &mut Vec<u8>, conn: ConnId, dir: FaultDir) {
    put_conn(out, conn);
    out.push(fault_dirs::code(dir));
}

fn dir(c: &mut Cursor<'_>) -> Decoded<FaultDir> {
    fault_dirs::from_code(c.u8()?).ok_or(DecodeError("unknown intercept direction"))
}

pub(super) fn read_intercept(c: &mut Cursor<'_>) -> Decoded<EventKind> {
    Ok(EventKind::Intercept {
        conn: c.conn()?,
        dir: dir(c)?,
        state: intercept_states::from_code(c.u8()?)
            .ok_or(DecodeError("unknown intercept state"))?,
        framing: c.string()?,
        pattern: c.string()?,
    })
}

/// A `held` record's fields; the caller reads the payload.
pub(super) fn read_held(c: &mut Cursor<'_>) -> Decoded<(ConnId, FaultDir, HoldId, usize)> {
    Ok((c.conn()?, dir(c)?, HoldId(c.varint()?), c.usize()?))
}

/// A `released` record's fields; the caller reads the payload.
pub(super) fn read_released(
    c: &mut Cursor<'_>,
) -> Decoded<(ConnId, FaultDir, HoldId, ReleaseAction, usize)> {
    let (conn, dir, id) = (c.conn()?, dir(c)?, HoldId(c.varint()?));
    let action =
        release_actions::from_code(c.u8()?).ok_or(DecodeError("unknown release action"))?;
    Ok((conn, dir, id, action, c.usize()?))
}

/// An `inject` record's fields; the caller reads the payload.
pub(super) fn read_inject(c: &mut Cursor<'_>) -> Decoded<(ConnId, FaultDir, usize)> {
    Ok((c.conn()?, dir(c)?, c.usize()?))
}
