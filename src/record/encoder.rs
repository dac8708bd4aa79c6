//! Writes the records of one recording into any `Write`, synchronously.
//!
//! [`super::Recorder`] runs this on its own thread; tests and tools use it directly to make
//! recordings in memory.

use super::codec::{self, RelayedSend};
use super::format::{self, EventType, MAX_BODY, MAX_PAYLOAD, PAYLOAD_PART, RecordType, StartInfo};
use super::relay::RelayQueues;
use super::wire::{put_str, put_usize, put_varint};
use crate::event::{CallSite, Event, EventKind};
use std::io::{self, Write};
use std::time::{SystemTime, UNIX_EPOCH};

/// A recording being written: preamble and `Start` already out, `End` written by [`finish`].
///
/// [`finish`]: Encoder::finish
#[derive(Debug)]
pub struct Encoder<W: Write> {
    out: W,
    /// Reused for every record's fields, so encoding allocates nothing per event.
    fields: Vec<u8>,
    /// What a proxy received and has not yet relayed: its sends are written as references.
    relay: RelayQueues,
    events: u64,
    bytes: u64,
}

impl<W: Write> Encoder<W> {
    /// Writes the preamble and a `Start` record dated now, without a framing.
    pub fn new(out: W) -> io::Result<Self> {
        Self::with_start(out, &StartInfo::now(None))
    }

    /// Writes the preamble and the given `Start` record (fixed values make reproducible files).
    pub fn with_start(mut out: W, start: &StartInfo) -> io::Result<Self> {
        let preamble = format::preamble();
        out.write_all(&preamble)?;
        let mut encoder = Self {
            out,
            fields: Vec::with_capacity(256),
            relay: RelayQueues::default(),
            events: 0,
            bytes: preamble.len() as u64,
        };
        let mut body = Vec::new();
        put_varint(&mut body, start.created_unix_us);
        put_str(&mut body, &start.tool);
        let (spec, max_message) = start.framing.clone().unwrap_or_default();
        put_str(&mut body, &spec);
        put_usize(&mut body, max_message);
        encoder.write_record(RecordType::Start.code(), &[&body])?;
        Ok(encoder)
    }

    /// Records that the session clock read `t_us` at wall-clock time `unix_us`, which dates
    /// the events (pcapng timestamps).
    pub fn write_clock(&mut self, unix_us: u64, t_us: u64) -> io::Result<()> {
        let mut body = Vec::with_capacity(20);
        put_varint(&mut body, unix_us);
        put_varint(&mut body, t_us);
        self.write_record(RecordType::Clock.code(), &[&body])
    }

    /// Writes the `call_site` record of the traced event that follows (format 2.8), unless
    /// that event is not recorded (`blocked`).
    pub fn write_call_site(&mut self, site: &CallSite, event: &Event) -> io::Result<()> {
        if let EventKind::Blocked { .. } = event.kind {
            return Ok(());
        }
        let mut body = Vec::with_capacity(32);
        codec::call_site::put(&mut body, site);
        self.write_record(RecordType::CallSite.code(), &[&body])
    }

    /// Writes one event. A payload larger than [`PAYLOAD_PART`] goes out as `DataPart`
    /// records followed by the event with the last part, so no record exceeds [`MAX_BODY`].
    ///
    /// A `send` that passes on the next bytes its pair received is written as a relayed send,
    /// without them (see [`super::relay`]).
    pub fn write_event(&mut self, event: &Event) -> io::Result<()> {
        let mut fields = std::mem::take(&mut self.fields);
        fields.clear();
        let result = if let Some((kind, send)) = self.relayed(event) {
            codec::encode_relayed(&send, &mut fields);
            self.write_event_records(kind, &mut fields, None)
        } else {
            self.relay.note(event);
            match codec::encode(event, &mut fields) {
                Some((kind, payload)) => {
                    self.write_event_records(kind, &mut fields, payload.as_deref())
                }
                None => Ok(()),
            }
        };
        self.fields = fields;
        result
    }

    /// The relayed send (or relayed splice) `event` can be written as, if it sends the bytes
    /// waiting.
    fn relayed(&mut self, event: &Event) -> Option<(EventType, RelayedSend)> {
        let (kind, conn, requested, len, data) = match &event.kind {
            EventKind::Send { conn, requested, len, data } => {
                (EventType::RelayedSend, conn, requested, len, data)
            }
            EventKind::SpliceOut { conn, requested, len, data } => {
                (EventType::RelayedSpliceOut, conn, requested, len, data)
            }
            _ => return None,
        };
        if *len != data.len() {
            return None;
        }
        let from = self.relay.relayed_from(*conn, data)?;
        let send =
            RelayedSend { t_us: event.t_us, conn: *conn, requested: *requested, len: *len, from };
        Some((kind, send))
    }

    fn write_event_records(
        &mut self,
        kind: EventType,
        fields: &mut Vec<u8>,
        payload: Option<&[u8]>,
    ) -> io::Result<()> {
        let mut own: &[u8] = payload.unwrap_or_default();
        if own.len() > MAX_PAYLOAD {
            return Err(too_large(own.len()));
        }
        while own.len() > PAYLOAD_PART {
            let (part, rest) = own.split_at(PAYLOAD_PART);
            self.write_record(RecordType::DataPart.code(), &[part])?;
            own = rest;
        }
        if payload.is_some() {
            put_usize(fields, own.len());
        }
        if fields.len() + own.len() > MAX_BODY {
            return Err(too_large(fields.len() + own.len()));
        }
        self.write_record(RecordType::Event(kind).code(), &[fields, own])?;
        self.events += 1;
        Ok(())
    }

    /// Writes TLS key log text (whole `LABEL HEX HEX` lines, see [`super::secrets`]) as one
    /// `tls_secrets` record per [`super::secrets::RECORD_TEXT`] bytes or less; text that is not
    /// key log lines is refused, so that every file written reads back.
    pub fn write_tls_secrets(&mut self, text: &str) -> io::Result<()> {
        let mut rest = text;
        while !rest.is_empty() {
            let mut cut = rest.len().min(super::secrets::RECORD_TEXT);
            if cut < rest.len() {
                cut = rest[..cut].rfind('\n').map_or(cut, |end| end + 1);
            }
            let (piece, after) = rest.split_at(cut);
            super::secrets::check_text(piece.as_bytes())
                .map_err(|why| io::Error::new(io::ErrorKind::InvalidInput, why))?;
            self.write_record(RecordType::TlsSecrets.code(), &[piece.as_bytes()])?;
            rest = after;
        }
        Ok(())
    }

    /// Writes the `End` record and returns the output, flushed.
    pub fn finish(mut self) -> io::Result<W> {
        let mut body = Vec::new();
        put_varint(&mut body, self.events);
        self.write_record(RecordType::End.code(), &[&body])?;
        self.out.flush()?;
        Ok(self.out)
    }

    /// Hands what is buffered to the OS.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    #[must_use]
    pub fn events(&self) -> u64 {
        self.events
    }

    /// Bytes written so far, preamble included.
    #[must_use]
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    fn write_record(&mut self, code: u8, parts: &[&[u8]]) -> io::Result<()> {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        let len32 = u32::try_from(len).map_err(|_| too_large(len))?;
        let crc = format::record_crc(code, len32, parts);
        let mut header = [0; 5];
        header[0] = code;
        header[1..].copy_from_slice(&len32.to_le_bytes());
        self.out.write_all(&header)?;
        for part in parts {
            self.out.write_all(part)?;
        }
        self.out.write_all(&crc.to_le_bytes())?;
        self.bytes += (format::RECORD_HEADER_LEN + len + format::RECORD_TRAILER_LEN) as u64;
        Ok(())
    }
}

fn too_large(len: usize) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("an event of {len} bytes is larger than a recording can hold"),
    )
}

/// Microseconds since the Unix epoch (0 on a clock set before 1970).
#[must_use]
pub fn unix_micros() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX))
}
