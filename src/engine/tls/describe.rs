//! What a TLS connection reports: the `established` stage's details and a failure in words
//! a person can act on.

use crate::event::{TlsEstablished, TlsStage};
use bytes::Bytes;
use rustls::{CertificateError, Connection, Error};

/// The `established` stage of `conn`.
pub(in crate::engine) fn established(conn: &Connection, sni: Option<String>) -> TlsStage {
    let version = match conn.protocol_version() {
        Some(rustls::ProtocolVersion::TLSv1_3) => "TLSv1.3".to_owned(),
        Some(rustls::ProtocolVersion::TLSv1_2) => "TLSv1.2".to_owned(),
        Some(other) => format!("{other:?}"),
        None => String::new(),
    };
    let cipher =
        conn.negotiated_cipher_suite().map(|s| format!("{:?}", s.suite())).unwrap_or_default();
    let alpn = conn.alpn_protocol().map(|p| String::from_utf8_lossy(p).into_owned());
    let mut details = TlsEstablished { version, cipher, alpn, sni, ..TlsEstablished::default() };
    if let Some(cert) = conn.peer_certificates().and_then(<[_]>::first)
        && let Ok((_, parsed)) = x509_parser::parse_x509_certificate(cert.as_ref())
    {
        {
            details.subject = Some(parsed.subject().to_string());
            details.issuer = Some(parsed.issuer().to_string());
            let secs = parsed.validity().not_after.timestamp();
            details.not_after = u64::try_from(secs).ok().map(|s| {
                let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(s);
                humantime::format_rfc3339_seconds(at).to_string()
            });
        }
    }
    TlsStage::Established(Box::new(details))
}

/// The failure's message, naming the flag that would change it where one would; and the
/// alert the peer sent, if that was the failure.
pub(in crate::engine) fn failure(error: &Error) -> (String, Option<String>) {
    match error {
        Error::AlertReceived(alert) => {
            let name = alert_name(*alert);
            (format!("TLS: the peer sent a fatal alert: {name}"), Some(name))
        }
        Error::InvalidCertificate(cert) => (format!("TLS: {}", certificate(cert)), None),
        Error::InvalidMessage(_) => (format!("TLS: the peer does not speak TLS ({error})"), None),
        other => (format!("TLS: {other}"), None),
    }
}

fn certificate(error: &CertificateError) -> String {
    const INSECURE: &str = "or skip verification with --insecure";
    match error {
        CertificateError::UnknownIssuer => format!(
            "the certificate's issuer is not trusted (unknown issuer); trust its CA with \
             --ca-cert FILE, {INSECURE}"
        ),
        CertificateError::NotValidForNameContext { expected, presented } => format!(
            "the certificate is not valid for this name (name mismatch: asked for {}, it is \
             for {}); ask for one of its names with --sni NAME, {INSECURE}",
            expected.to_str(),
            presented.join(", ")
        ),
        CertificateError::NotValidForName => format!(
            "the certificate is not valid for this name (name mismatch); ask for one of its \
             names with --sni NAME, {INSECURE}"
        ),
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
            format!("the certificate has expired; trust it anyway only {INSECURE}")
        }
        other => format!("the certificate was refused ({other:?}); {INSECURE}"),
    }
}

/// An alert's name as TLS spells it (`bad_certificate`, `unknown_ca`), from rustls's
/// variant name (`BadCertificate`, `UnknownCA`).
pub(in crate::engine) fn alert_name(alert: rustls::AlertDescription) -> String {
    let debug = format!("{alert:?}");
    let mut name = String::new();
    let mut after_lower = false;
    for c in debug.chars() {
        if c.is_ascii_uppercase() && after_lower {
            name.push('_');
        }
        after_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        name.push(c.to_ascii_lowercase());
    }
    name
}

/// The alert rustls sends for a certificate it refuses (sent encrypted under TLS 1.3, so it
/// cannot be read back from the wire).
pub(in crate::engine) fn alert_for(error: &Error) -> Option<String> {
    match error {
        Error::InvalidCertificate(cert) => {
            Some(alert_name(rustls::AlertDescription::from(cert.clone())))
        }
        _ => None,
    }
}

/// The description of the alert record at the start of `wire`, if it holds one in the clear.
pub(in crate::engine) fn sent_alert(wire: &[u8]) -> Option<String> {
    match wire {
        [0x15, _, _, 0, 2, _, description, ..] => {
            Some(alert_name(rustls::AlertDescription::from(*description)))
        }
        _ => None,
    }
}

/// What `rest` (the unread tail of `wire`) is, as a slice of `wire` that shares its buffer.
pub(in crate::engine) fn rest_of(wire: &Bytes, rest: &[u8]) -> Bytes {
    wire.slice(wire.len() - rest.len()..)
}

/// A name from the wire (SNI, ALPN) as text, invalid UTF-8 replaced.
pub(in crate::engine) fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
