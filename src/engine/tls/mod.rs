//! TLS on top of the engine's sockets: rustls driven by hand, so that the socket's calls stay
//! what the wire carried (ciphertext) and the plaintext, the handshake and the alerts are
//! reported as a second layer (`tls`, `tls_read`, `tls_write` events).
//!
//! The send queue of a TLS socket holds ciphertext: plaintext is encrypted when it is queued
//! (`Core::enqueue`), so faults, the relay limit and `send` events all see the wire.

mod ca;
mod config;
mod describe;
mod hello;
mod keylog;
mod lesson;

pub use ca::{CA_CERT_FILE, CA_KEY_FILE, LocalCa, data_dir};
pub use config::{ClientOptions, ServerIdentity, client_config, local_ca_config, server_config};
pub(super) use describe::{alert_for, established, failure, lossy, rest_of, sent_alert};
pub(super) use hello::offered_versions;
pub use keylog::key_log;
pub use lesson::lesson_settings;

use rustls::pki_types::ServerName;
use rustls::server::Acceptor;
use rustls::{ClientConfig, ClientConnection, Connection, ServerConfig};
use std::sync::Arc;

/// Most wire bytes kept to read the offered versions from: a whole record and its header
/// (rustls refuses a longer `ClientHello` anyway).
pub(super) const HELLO_LIMIT: usize = (1 << 14) + 2048 + 5;

/// How the engine's sockets speak TLS, built by the command line.
#[derive(Clone, Debug, Default)]
pub struct TlsSettings {
    /// Outgoing sockets (`connect --tls`, a proxy's `--upstream-tls`) speak TLS as a client
    /// with this configuration and server name.
    pub client: Option<(Arc<ClientConfig>, ServerName<'static>)>,
    /// Accepted sockets (`listen --tls`, `proxy --tls`) speak TLS as a server.
    pub server: Option<Arc<ServerConfig>>,
}

/// One socket's TLS state.
pub(super) struct TlsConn {
    pub(super) state: State,
    /// The `established` event was reported.
    pub(super) established: bool,
    /// We queued our `close_notify`.
    pub(super) close_sent: bool,
    /// The peer's `close_notify` was reported.
    pub(super) close_seen: bool,
    /// The handshake or a record failed: nothing more is read through TLS.
    pub(super) failed: bool,
}

pub(super) enum State {
    /// A server waiting for the whole `ClientHello`; plaintext to send waits here meanwhile.
    Accepting {
        acceptor: Box<Acceptor>,
        config: Arc<ServerConfig>,
        pending: Vec<bytes::Bytes>,
        /// The wire bytes so far (a peer may send its hello in pieces).
        hello: Vec<u8>,
    },
    Open(Box<Connection>),
}

impl std::fmt::Debug for TlsConn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match &self.state {
            State::Accepting { .. } => "accepting",
            State::Open(_) => "open",
        };
        f.debug_struct("TlsConn").field("state", &state).finish_non_exhaustive()
    }
}

impl TlsConn {
    pub(super) fn server(config: Arc<ServerConfig>) -> Self {
        let (pending, hello) = (Vec::new(), Vec::new());
        let state = State::Accepting { acceptor: Box::default(), config, pending, hello };
        Self::with(state)
    }

    pub(super) fn client(
        config: Arc<ClientConfig>,
        name: ServerName<'static>,
    ) -> Result<Self, rustls::Error> {
        let mut conn = ClientConnection::new(config, name)?;
        conn.set_buffer_limit(None);
        Ok(Self::with(State::Open(Box::new(conn.into()))))
    }

    fn with(state: State) -> Self {
        Self { state, established: false, close_sent: false, close_seen: false, failed: false }
    }

    /// Ciphertext rustls wants sent (handshake messages, alerts, records).
    pub(super) fn take_output(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        if let State::Open(conn) = &mut self.state {
            while conn.wants_write() {
                if conn.write_tls(&mut out).is_err() {
                    break;
                }
            }
        }
        out
    }
}
