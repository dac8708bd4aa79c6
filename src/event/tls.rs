//! What a TLS connection's handshake and close say, as the `tls` event's stages.
//!
//! The socket's own calls (`recv`, `send`) stay what the wire carried (ciphertext); these
//! stages and the `tls_read` / `tls_write` events are the layer above it, so both are told.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// Who sent an alert or a `close_notify`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TlsBy {
    /// This side (sockscope) sent it.
    Local,
    /// The peer sent it.
    Peer,
}

impl TlsBy {
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Local => "local",
            Self::Peer => "peer",
        }
    }
}

/// One step of a TLS connection (`stage` in the `tls` event).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum TlsStage {
    /// What the client offered (for a server, what its peer offered; for a client, what it
    /// sends).
    ClientHello {
        /// The server name (SNI) asked for, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sni: Option<String>,
        /// The application protocols offered (ALPN), in the client's order.
        alpn: Vec<String>,
        /// The protocol versions offered (`TLSv1.3`, `TLSv1.2`).
        versions: Vec<String>,
    },
    /// The handshake completed.
    Established(Box<TlsEstablished>),
    /// A TLS alert was sent or received.
    Alert {
        /// `warning` or `fatal`.
        level: String,
        /// The alert's name, e.g. `bad_certificate`, `unknown_ca`.
        description: String,
        by: TlsBy,
    },
    /// A `close_notify` alert: the sender will send no more application data (TLS's own
    /// end of stream, unlike a TCP FIN, which an attacker can forge).
    CloseNotify { by: TlsBy },
}

/// What an established TLS connection agreed on, and the peer's certificate.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TlsEstablished {
    /// `TLSv1.3` or `TLSv1.2`.
    pub version: String,
    /// The cipher suite, e.g. `TLS13_AES_256_GCM_SHA384`.
    pub cipher: String,
    /// The application protocol agreed (ALPN), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alpn: Option<String>,
    /// The server name: the one the client asked for (SNI).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sni: Option<String>,
    /// The peer certificate's subject, if the peer presented one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The peer certificate's issuer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// The peer certificate's expiry, RFC 3339 (UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_after: Option<String>,
}

impl TlsStage {
    /// The `stage` name.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Self::ClientHello { .. } => "client_hello",
            Self::Established(_) => "established",
            Self::Alert { .. } => "alert",
            Self::CloseNotify { .. } => "close_notify",
        }
    }

    /// One line for a person: the stage and what it says.
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Self::ClientHello { sni, alpn, versions } => format!(
                "client_hello sni={} alpn=[{}] versions=[{}]",
                sni.as_deref().unwrap_or("-"),
                alpn.join(","),
                versions.join(",")
            ),
            Self::Established(e) => {
                let mut line = format!("established {} {}", e.version, e.cipher);
                for (key, value) in [
                    ("alpn", &e.alpn),
                    ("sni", &e.sni),
                    ("subject", &e.subject),
                    ("issuer", &e.issuer),
                    ("not_after", &e.not_after),
                ] {
                    if let Some(value) = value {
                        let _ = write!(line, " {key}={value}");
                    }
                }
                line
            }
            Self::Alert { level, description, by } => {
                format!("alert {level} {description} by {}", by.name())
            }
            Self::CloseNotify { by } => format!("close_notify by {}", by.name()),
        }
    }
}
