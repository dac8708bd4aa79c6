//! The `fault` record (format 2.2): conn, `dir`, `kind` and `state` as one byte each (their
//! tables are in `record::codes`), then `detail`.

use super::super::codes::{fault_dirs, fault_kinds, fault_states};
use super::super::wire::{Cursor, DecodeError, Decoded, put_conn, put_str};
use crate::event::{ConnId, EventKind, FaultDir, FaultKind, FaultState};

pub(super) fn put(
    out: &mut Vec<u8>,
    conn: ConnId,
    (dir, kind, state): (FaultDir, FaultKind, FaultState),
    detail: &str,
) {
    put_conn(out, conn);
    out.push(fault_dirs::code(dir));
    out.push(fault_kinds::code(kind));
    out.push(fault_states::code(state));
    put_str(out, detail);
}

pub(super) fn read(c: &mut Cursor<'_>) -> Decoded<EventKind> {
    Ok(EventKind::Fault {
        conn: c.conn()?,
        dir: fault_dirs::from_code(c.u8()?).ok_or(DecodeError("unknown fault direction"))?,
        kind: fault_kinds::from_code(c.u8()?).ok_or(DecodeError("unknown fault kind"))?,
        state: fault_states::from_code(c.u8()?).ok_or(DecodeError("unknown fault state"))?,
        detail: c.string()?,
    })
}
