//! The TLS steps the Calls panel lists between a connection's socket calls.

use std::fmt;

use crate::event::TlsBy;

/// One TLS step, in the order it happened among the socket calls. `Display` gives the Calls
/// panel's line; like every line there, a view escapes it (names come from the peer).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TlsCall {
    /// A `tls` event's handshake stage (`client_hello`, `established`), described.
    Handshake(String),
    /// `tls_read`: plaintext TLS decrypted from what `recv` returned.
    Read {
        len: usize,
    },
    /// `tls_write`: plaintext handed to TLS, `len` of `requested` accepted.
    Write {
        requested: usize,
        len: usize,
    },
    /// A `recv` after the handshake moved ciphertext but TLS gave no plaintext.
    /// `mid_record`: the bytes end inside a record, whose rest has not arrived.
    NoPlaintext {
        mid_record: bool,
    },
    Alert {
        level: String,
        description: String,
        by: TlsBy,
    },
    CloseNotify {
        by: TlsBy,
    },
    /// The peer's FIN (`recv` -> 0) came without its `close_notify` first.
    FinWithoutCloseNotify,
}

impl fmt::Display for TlsCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Handshake(stage) => write!(f, "tls {stage}"),
            Self::Read { len } => write!(f, "tls_read -> {len} B plaintext"),
            Self::Write { requested, len } => write!(f, "tls_write {requested} -> {len}"),
            Self::NoPlaintext { mid_record: true } => {
                f.write_str("tls_read -> nothing yet (record incomplete)")
            }
            Self::NoPlaintext { mid_record: false } => {
                f.write_str("tls_read -> nothing (no application data in these records)")
            }
            Self::Alert { level, description, by } => {
                write!(f, "tls alert {level} {description} (by {})", by.name())
            }
            Self::CloseNotify { by } => write!(f, "tls close_notify (by {})", by.name()),
            Self::FinWithoutCloseNotify => f.write_str("tls: FIN without close_notify"),
        }
    }
}
