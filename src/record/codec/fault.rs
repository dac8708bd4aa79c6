//! The `fault` record (format 2.2): conn, `dir`, `kind` and `state` as one byte each, then
//! `detail`. Each code table is an exhaustive match, only ever appended to.

use super::super::wire::{Cursor, DecodeError, Decoded, put_conn, put_str};
use crate::event::{ConnId, EventKind, FaultDir, FaultKind, FaultState};

pub(super) fn put(
    out: &mut Vec<u8>,
    conn: ConnId,
    (dir, kind, state): (FaultDir, FaultKind, FaultState),
    detail: &str,
) {
    put_conn(out, conn);
    out.push(dir_code(dir));
    out.push(kind_code(kind));
    out.push(state_code(state));
    put_str(out, detail);
}

pub(super) fn read(c: &mut Cursor<'_>) -> Decoded<EventKind> {
    Ok(EventKind::Fault {
        conn: c.conn()?,
        dir: dir_from(c.u8()?).ok_or(DecodeError("unknown fault direction"))?,
        kind: kind_from(c.u8()?).ok_or(DecodeError("unknown fault kind"))?,
        state: state_from(c.u8()?).ok_or(DecodeError("unknown fault state"))?,
        detail: c.string()?,
    })
}

fn dir_code(dir: FaultDir) -> u8 {
    match dir {
        FaultDir::Up => 0,
        FaultDir::Down => 1,
    }
}

fn dir_from(code: u8) -> Option<FaultDir> {
    match code {
        0 => Some(FaultDir::Up),
        1 => Some(FaultDir::Down),
        _ => None,
    }
}

fn kind_code(kind: FaultKind) -> u8 {
    match kind {
        FaultKind::Slice => 0,
        FaultKind::Delay => 1,
        FaultKind::Rate => 2,
        FaultKind::ShutAfter => 3,
        FaultKind::ResetAfter => 4,
        FaultKind::DropAfter => 5,
        FaultKind::Stall => 6,
    }
}

fn kind_from(code: u8) -> Option<FaultKind> {
    match code {
        0 => Some(FaultKind::Slice),
        1 => Some(FaultKind::Delay),
        2 => Some(FaultKind::Rate),
        3 => Some(FaultKind::ShutAfter),
        4 => Some(FaultKind::ResetAfter),
        5 => Some(FaultKind::DropAfter),
        6 => Some(FaultKind::Stall),
        _ => None,
    }
}

fn state_code(state: FaultState) -> u8 {
    match state {
        FaultState::On => 0,
        FaultState::Off => 1,
        FaultState::Tripped => 2,
    }
}

fn state_from(code: u8) -> Option<FaultState> {
    match code {
        0 => Some(FaultState::On),
        1 => Some(FaultState::Off),
        2 => Some(FaultState::Tripped),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back() {
        for dir in [FaultDir::Up, FaultDir::Down] {
            assert_eq!(dir_from(dir_code(dir)), Some(dir));
        }
        for kind in [
            FaultKind::Slice,
            FaultKind::Delay,
            FaultKind::Rate,
            FaultKind::ShutAfter,
            FaultKind::ResetAfter,
            FaultKind::DropAfter,
            FaultKind::Stall,
        ] {
            assert_eq!(kind_from(kind_code(kind)), Some(kind));
        }
        for state in [FaultState::On, FaultState::Off, FaultState::Tripped] {
            assert_eq!(state_from(state_code(state)), Some(state));
        }
        assert_eq!((dir_from(2), kind_from(7), state_from(3)), (None, None, None));
    }
}
