//! The one-byte codes the format gives the event fields that are enums, each table written
//! once, in both directions.
//!
//! A code is part of the format: it is only ever appended to, never reused. Each table is one
//! macro call that expands to an exhaustive `match` from the enum to its code and the matching
//! `match` back, so a variant added to the enum does not compile until it has its own code
//! (no fallback arm can turn it into another variant's), and a code given twice is an
//! unreachable pattern, which the lints refuse.

use super::codec::TlsStageCode;
use super::format::EventType;
use crate::event::{
    ClosedBy, Dir, ErrorKind, FaultDir, FaultKind, FaultState, How, InterceptState, Op,
    ReleaseAction, TlsBy,
};

/// Defines `code` (enum to byte) and `from_code` (byte to enum, `None` for a code with no
/// variant) in a module named `$table`.
macro_rules! code_table {
    ($table:ident: $ty:ty { $($variant:ident = $code:literal),+ $(,)? }) => {
        pub mod $table {
            use super::*;

            #[must_use]
            pub fn code(value: $ty) -> u8 {
                match value {
                    $(<$ty>::$variant => $code,)+
                }
            }

            #[must_use]
            pub fn from_code(code: u8) -> Option<$ty> {
                match code {
                    $($code => Some(<$ty>::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

// Record types: one per event kind, from 0x10 (0x01 to 0x04 are `Start`, `Clock`, `End` and
// `DataPart`, in `format::RecordType::code`; 0x2c and 0x2d, among them, are defined below).
code_table!(event_types: EventType {
    Session = 0x10,
    Listen = 0x11,
    Accept = 0x12,
    Connect = 0x13,
    Connected = 0x14,
    Ready = 0x15,
    Recv = 0x16,
    Send = 0x17,
    WouldBlock = 0x18,
    Eof = 0x19,
    Shutdown = 0x1a,
    Reset = 0x1b,
    Close = 0x1c,
    Error = 0x1d,
    Option = 0x1e,
    Interest = 0x1f,
    Message = 0x20,
    RelayedSend = 0x21,
    Fault = 0x22,
    Intercept = 0x23,
    Held = 0x24,
    Released = 0x25,
    Inject = 0x26,
    RecvFrom = 0x27,
    SendTo = 0x28,
    Tls = 0x29,
    TlsRead = 0x2a,
    TlsWrite = 0x2b,
    SpliceIn = 0x2e,
    Tee = 0x2f,
    PipeRead = 0x30,
    SpliceOut = 0x31,
    RelayedSpliceOut = 0x32,
});

/// The record type of a recording's TLS secrets (format 2.7): the first code after the
/// event types, which holds no event (see `super::secrets`).
pub const TLS_SECRETS: u8 = 0x2c;

/// The record type of a traced call's site (format 2.8): the process, system call and
/// descriptor of the event that follows it.
pub const CALL_SITE: u8 = 0x2d;

code_table!(ops: Op {
    Listen = 0,
    Accept = 1,
    Connect = 2,
    Recv = 3,
    Send = 4,
    Shutdown = 5,
    Close = 6,
    Option = 7,
    Idle = 8,
    Splice = 9,
    Tee = 10,
    Read = 11,
});

code_table!(hows: How { Read = 0, Write = 1, Both = 2 });

code_table!(closed_by: ClosedBy { Local = 0, Peer = 1, Reset = 2, Error = 3 });

code_table!(error_kinds: ErrorKind {
    Refused = 0,
    Reset = 1,
    TimedOut = 2,
    BrokenPipe = 3,
    Other = 4,
    MsgSize = 5,
    Tls = 6,
});

code_table!(dirs: Dir { In = 0, Out = 1 });

// The `fault` record's fields (format 2.2).
code_table!(fault_dirs: FaultDir { Up = 0, Down = 1 });

code_table!(fault_kinds: FaultKind {
    Slice = 0,
    Delay = 1,
    Rate = 2,
    ShutAfter = 3,
    ResetAfter = 4,
    DropAfter = 5,
    Stall = 6,
});

code_table!(fault_states: FaultState { On = 0, Off = 1, Tripped = 2 });

// The `intercept` and `released` records' fields (format 2.4).
code_table!(intercept_states: InterceptState { On = 0, Off = 1 });

code_table!(release_actions: ReleaseAction { Forward = 0, Edit = 1, Drop = 2 });

// The `tls` record's fields (format 2.5).
code_table!(tls_stages: TlsStageCode { ClientHello = 0, Established = 1, Alert = 2, CloseNotify = 3 });

code_table!(tls_by: TlsBy { Local = 0, Peer = 1 });

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code a table knows comes back as itself, and the codes run without a gap from
    /// `first` (so the lists below, in code order, are every variant).
    fn dense<T: Copy + PartialEq + std::fmt::Debug>(
        code: fn(T) -> u8,
        from_code: fn(u8) -> Option<T>,
        first: u8,
        variants: &[T],
    ) {
        let known: Vec<T> = (first..=u8::MAX).map_while(from_code).collect();
        assert_eq!(known, variants);
        for byte in 0..=u8::MAX {
            if let Some(value) = from_code(byte) {
                assert_eq!(code(value), byte, "{value:?}");
            }
        }
    }

    #[test]
    fn tls_codes_round_trip() {
        dense(
            tls_stages::code,
            tls_stages::from_code,
            0,
            &[
                TlsStageCode::ClientHello,
                TlsStageCode::Established,
                TlsStageCode::Alert,
                TlsStageCode::CloseNotify,
            ],
        );
        dense(tls_by::code, tls_by::from_code, 0, &[TlsBy::Local, TlsBy::Peer]);
        assert_eq!(event_types::from_code(TLS_SECRETS), None, "the secrets are not an event");
    }

    #[test]
    #[allow(clippy::too_many_lines)] // every table's codes, listed in full
    fn codes_are_the_documented_ones_and_round_trip() {
        use EventType as E;
        use Op as O;
        dense(
            event_types::code,
            event_types::from_code,
            0x10,
            &[
                E::Session,
                E::Listen,
                E::Accept,
                E::Connect,
                E::Connected,
                E::Ready,
                E::Recv,
                E::Send,
                E::WouldBlock,
                E::Eof,
                E::Shutdown,
                E::Reset,
                E::Close,
                E::Error,
                E::Option,
                E::Interest,
                E::Message,
                E::RelayedSend,
                E::Fault,
                E::Intercept,
                E::Held,
                E::Released,
                E::Inject,
                E::RecvFrom,
                E::SendTo,
                E::Tls,
                E::TlsRead,
                E::TlsWrite,
            ],
        );
        // After the two codes that hold no event (0x2c, 0x2d): format 2.9's splice relay.
        dense(
            event_types::code,
            event_types::from_code,
            CALL_SITE + 1,
            &[E::SpliceIn, E::Tee, E::PipeRead, E::SpliceOut, E::RelayedSpliceOut],
        );
        assert_eq!(event_types::from_code(CALL_SITE), None, "a call site is not an event");
        dense(
            ops::code,
            ops::from_code,
            0,
            &[
                O::Listen,
                O::Accept,
                O::Connect,
                O::Recv,
                O::Send,
                O::Shutdown,
                O::Close,
                O::Option,
                O::Idle,
                O::Splice,
                O::Tee,
                O::Read,
            ],
        );
        dense(hows::code, hows::from_code, 0, &[How::Read, How::Write, How::Both]);
        dense(
            closed_by::code,
            closed_by::from_code,
            0,
            &[ClosedBy::Local, ClosedBy::Peer, ClosedBy::Reset, ClosedBy::Error],
        );
        dense(
            error_kinds::code,
            error_kinds::from_code,
            0,
            &[
                ErrorKind::Refused,
                ErrorKind::Reset,
                ErrorKind::TimedOut,
                ErrorKind::BrokenPipe,
                ErrorKind::Other,
                ErrorKind::MsgSize,
                ErrorKind::Tls,
            ],
        );
        dense(dirs::code, dirs::from_code, 0, &[Dir::In, Dir::Out]);
        dense(fault_dirs::code, fault_dirs::from_code, 0, &[FaultDir::Up, FaultDir::Down]);
        dense(fault_kinds::code, fault_kinds::from_code, 0, &FaultKind::ALL);
        dense(
            fault_states::code,
            fault_states::from_code,
            0,
            &[FaultState::On, FaultState::Off, FaultState::Tripped],
        );
        dense(
            intercept_states::code,
            intercept_states::from_code,
            0,
            &[InterceptState::On, InterceptState::Off],
        );
        dense(
            release_actions::code,
            release_actions::from_code,
            0,
            &[ReleaseAction::Forward, ReleaseAction::Edit, ReleaseAction::Drop],
        );
    }
}
