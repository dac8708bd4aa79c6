//! A TLS connection's second layer: the plaintext beside the wire bytes, the handshake, and
//! the TLS steps the Calls panel lists among the socket calls.
//!
//! The wire streams stay what the socket moved (ciphertext); the plaintext streams hold what
//! `tls_read` and `tls_write` events carried, framed and retained like any stream. Which of
//! the two the views read is [`Layer`], one choice for the whole session
//! ([`super::Session::set_layer`]), so every view (Data, Messages, search, the Inspector, the
//! follow view) reads the same bytes without knowing TLS.

mod apply;
mod call;
mod records;

pub use call::TlsCall;

use super::stream::Stream;
use crate::event::{Dir, TlsBy, TlsEstablished};
use crate::framing::Spec;
use records::RecordScan;

/// Which bytes of a TLS connection the views read. Connections without TLS have only one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Layer {
    /// What TLS decrypted and what it was given to encrypt: the application's bytes.
    #[default]
    Plaintext,
    /// What the socket's `recv` and `send` moved: TLS records, ciphertext.
    Wire,
}

impl Layer {
    #[must_use]
    pub fn toggled(self) -> Self {
        match self {
            Self::Plaintext => Self::Wire,
            Self::Wire => Self::Plaintext,
        }
    }

    /// The word a panel title and `:layer` use.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Plaintext => "plaintext",
            Self::Wire => "wire",
        }
    }
}

/// What the client offered in its `ClientHello`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Offer {
    pub sni: Option<String>,
    pub alpn: Vec<String>,
    pub versions: Vec<String>,
}

/// An alert as it was sent or received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alert {
    pub t_us: u64,
    pub level: String,
    pub description: String,
    pub by: TlsBy,
}

/// Everything TLS said about one connection, and its plaintext.
#[derive(Debug)]
pub struct TlsState {
    /// The `ClientHello`'s offer, once seen.
    pub offer: Option<Offer>,
    /// What the handshake agreed and the peer's certificate, once established.
    pub established: Option<Box<TlsEstablished>>,
    /// The latest alert (other than `close_notify`).
    pub alert: Option<Alert>,
    /// When each side said `close_notify`: `[local, peer]`.
    pub close_notify: [Option<u64>; 2],
    plain_in: Stream,
    plain_out: Stream,
    /// Record boundaries of the received ciphertext.
    scan: RecordScan,
}

impl TlsState {
    pub(super) fn new(spec: Spec, max_message: usize, retain: usize) -> Self {
        Self {
            offer: None,
            established: None,
            alert: None,
            close_notify: [None; 2],
            plain_in: Stream::new_plaintext(spec.clone(), max_message, retain),
            plain_out: Stream::new_plaintext(spec, max_message, retain),
            scan: RecordScan::default(),
        }
    }

    /// The plaintext of one direction.
    #[must_use]
    pub fn plaintext(&self, dir: Dir) -> &Stream {
        match dir {
            Dir::In => &self.plain_in,
            Dir::Out => &self.plain_out,
        }
    }

    pub(super) fn plaintext_mut(&mut self, dir: Dir) -> &mut Stream {
        match dir {
            Dir::In => &mut self.plain_in,
            Dir::Out => &mut self.plain_out,
        }
    }

    /// When `by` said `close_notify`, if it did.
    #[must_use]
    pub fn close_notify_by(&self, by: TlsBy) -> Option<u64> {
        match by {
            TlsBy::Local => self.close_notify[0],
            TlsBy::Peer => self.close_notify[1],
        }
    }

    /// Complete TLS records received so far.
    #[must_use]
    pub fn records_received(&self) -> u64 {
        self.scan.records()
    }

    pub(super) fn cost(&self) -> usize {
        self.plain_in.cost() + self.plain_out.cost()
    }

    pub(super) fn reframe(&mut self, spec: &Spec, max_message: usize) {
        self.plain_in.reframe(spec.clone(), max_message);
        self.plain_out.reframe(spec.clone(), max_message);
    }
}
