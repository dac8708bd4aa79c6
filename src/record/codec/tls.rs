//! The records of format 2.5 that tell what a TLS connection did: `tls` (conn, the stage's
//! code, then its fields: strings, a list as a count and its strings, an optional string as
//! a presence byte and the string), `tls_read` and `tls_write` (their counts, then the
//! plaintext, which comes last as in every record).

use super::super::codes::{tls_by, tls_stages};
use super::super::format::EventType;
use super::super::wire::{Cursor, DecodeError, Decoded, put_conn, put_str, put_usize};
use crate::event::{ConnId, EventKind, TlsEstablished, TlsStage};
use bytes::Bytes;

/// The stage's code, as [`tls_stages`] numbers them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StageCode {
    ClientHello,
    Established,
    Alert,
    CloseNotify,
}

/// A `tls` record's fields; returns its type.
pub(super) fn put_tls(
    out: &mut Vec<u8>,
    conn: ConnId,
    stage: &TlsStage,
) -> (EventType, Option<Bytes>) {
    put_conn(out, conn);
    match stage {
        TlsStage::ClientHello { sni, alpn, versions } => {
            out.push(tls_stages::code(StageCode::ClientHello));
            put_opt(out, sni.as_deref());
            put_list(out, alpn);
            put_list(out, versions);
        }
        TlsStage::Established(e) => {
            out.push(tls_stages::code(StageCode::Established));
            put_str(out, &e.version);
            put_str(out, &e.cipher);
            for value in [&e.alpn, &e.sni, &e.subject, &e.issuer, &e.not_after] {
                put_opt(out, value.as_deref());
            }
        }
        TlsStage::Alert { level, description, by } => {
            out.push(tls_stages::code(StageCode::Alert));
            put_str(out, level);
            put_str(out, description);
            out.push(tls_by::code(*by));
        }
        TlsStage::CloseNotify { by } => {
            out.push(tls_stages::code(StageCode::CloseNotify));
            out.push(tls_by::code(*by));
        }
    }
    (EventType::Tls, None)
}

/// A `tls` record's event.
pub(super) fn read_tls(c: &mut Cursor<'_>) -> Decoded<EventKind> {
    let conn = c.conn()?;
    let code = tls_stages::from_code(c.u8()?).ok_or(DecodeError("unknown tls stage"))?;
    let stage = match code {
        StageCode::ClientHello => TlsStage::ClientHello {
            sni: read_opt(c)?,
            alpn: read_list(c)?,
            versions: read_list(c)?,
        },
        StageCode::Established => TlsStage::Established(Box::new(TlsEstablished {
            version: c.string()?,
            cipher: c.string()?,
            alpn: read_opt(c)?,
            sni: read_opt(c)?,
            subject: read_opt(c)?,
            issuer: read_opt(c)?,
            not_after: read_opt(c)?,
        })),
        StageCode::Alert => {
            TlsStage::Alert { level: c.string()?, description: c.string()?, by: read_by(c)? }
        }
        StageCode::CloseNotify => TlsStage::CloseNotify { by: read_by(c)? },
    };
    Ok(EventKind::Tls { conn, stage })
}

/// A `tls_read` record's fields; returns its type and payload.
pub(super) fn put_read(
    out: &mut Vec<u8>,
    conn: ConnId,
    data: &Bytes,
) -> (EventType, Option<Bytes>) {
    put_conn(out, conn);
    put_usize(out, data.len());
    (EventType::TlsRead, Some(data.clone()))
}

/// A `tls_write` record's fields; returns its type and payload.
pub(super) fn put_write(
    out: &mut Vec<u8>,
    conn: ConnId,
    requested: usize,
    data: &Bytes,
) -> (EventType, Option<Bytes>) {
    put_conn(out, conn);
    put_usize(out, requested);
    put_usize(out, data.len());
    (EventType::TlsWrite, Some(data.clone()))
}

fn read_by(c: &mut Cursor<'_>) -> Decoded<crate::event::TlsBy> {
    tls_by::from_code(c.u8()?).ok_or(DecodeError("unknown tls sender"))
}

fn put_opt(out: &mut Vec<u8>, value: Option<&str>) {
    out.push(u8::from(value.is_some()));
    if let Some(value) = value {
        put_str(out, value);
    }
}

fn read_opt(c: &mut Cursor<'_>) -> Decoded<Option<String>> {
    Ok(if c.bool()? { Some(c.string()?) } else { None })
}

fn put_list(out: &mut Vec<u8>, items: &[String]) {
    put_usize(out, items.len());
    for item in items {
        put_str(out, item);
    }
}

/// A list of strings; its count cannot exceed the bytes left, so a hostile count allocates
/// nothing it cannot fill.
fn read_list(c: &mut Cursor<'_>) -> Decoded<Vec<String>> {
    let count = c.usize()?;
    let mut items = Vec::new();
    for _ in 0..count {
        items.push(c.string()?);
    }
    Ok(items)
}
