//! What an export needs to know about a recording's TLS before it writes the first packet:
//! the secrets (for the pcapng Decryption Secrets Block, which must come before the packets
//! it decrypts) and which connections speak TLS (whose plaintext `--plaintext` writes in place
//! of their wire bytes, from their very first `recv`, which comes before any `tls` event).
//! Hence a first pass over the recording, with a reader of its own.

use crate::event::{ConnId, EventKind};
use crate::record::Reader;
use std::collections::HashSet;
use std::io::Read;

/// A recording's TLS, read ahead.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TlsFacts {
    /// Every key log line the recording holds (format 2.7 and later), in file order.
    pub secrets: String,
    /// The connections that reported TLS (`tls`, `tls_read` or `tls_write` events).
    pub conns: HashSet<ConnId>,
}

/// Reads `reader` to its end (or to the damage that ends it) for its TLS facts.
pub fn gather<R: Read>(reader: &mut Reader<R>) -> TlsFacts {
    reader.keep_secrets();
    let mut conns = HashSet::new();
    for (_, event) in reader.by_ref() {
        match event.kind {
            EventKind::Tls { conn, .. }
            | EventKind::TlsRead { conn, .. }
            | EventKind::TlsWrite { conn, .. } => {
                conns.insert(conn);
            }
            _ => {}
        }
    }
    TlsFacts { secrets: reader.take_secrets(), conns }
}
