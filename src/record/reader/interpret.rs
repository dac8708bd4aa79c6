//! What each record does to the reader: events are decoded (a relayed send takes its bytes
//! from the relay queues), `Start` and `Clock` are kept, `DataPart`s gather payload, `End`
//! checks the count and that nothing follows.

use super::super::codec;
use super::super::format::{EventType, MAX_PAYLOAD, MINOR, RecordType, StartInfo};
use super::super::secrets;
use super::super::wire::{Cursor, DecodeError, Decoded};
use super::consistency::disagreement;
use super::{Clock, ReadStatus, Reader, read_full};
use crate::event::{Event, EventKind};
use bytes::Bytes;
use std::io::Read;

impl<R: Read> Reader<R> {
    pub(super) fn interpret(
        &mut self,
        start: u64,
        code: u8,
        body: Vec<u8>,
    ) -> Result<Option<(u64, Event)>, ()> {
        let Some(kind) = RecordType::from_code(code) else {
            if self.version.minor > MINOR {
                self.skipped_unknown += 1;
                return Ok(None);
            }
            self.corrupt(
                start,
                format!("unknown record type 0x{code:02x} in a version {} file", self.version),
            );
            return Err(());
        };
        let decoded = match kind {
            RecordType::Start => decode_start(&body).map(|start| {
                self.start = Some(start);
                None
            }),
            RecordType::Clock => decode_clock(&body).map(|clock| {
                self.clock.get_or_insert(clock);
                None
            }),
            RecordType::End => return self.end(start, &mut Cursor::new(&body)),
            RecordType::DataPart => return self.data_part(start, &body),
            RecordType::TlsSecrets => return self.tls_secrets(start, &body),
            RecordType::CallSite => {
                if self.pending.is_some() || self.pending_site.is_some() {
                    self.corrupt(start, "a call site does not precede its event");
                    return Err(());
                }
                codec::call_site::decode(&body).map(|site| {
                    self.pending_site = Some((site, start));
                    None
                })
            }
            RecordType::Event(kind @ (EventType::RelayedSend | EventType::RelayedSpliceOut)) => {
                if self.pending.is_some() {
                    self.corrupt(start, "payload parts precede an event without payload");
                    return Err(());
                }
                self.relayed_send(start, &body, kind == EventType::RelayedSpliceOut).map(Some)
            }
            RecordType::Event(kind) => {
                let prefix = self.pending.take();
                if prefix.is_some() && !kind.has_payload() {
                    self.corrupt(start, "payload parts precede an event without payload");
                    return Err(());
                }
                let at = prefix.as_ref().map_or(start, |(_, first)| *first);
                codec::decode(kind, &Bytes::from(body), prefix.map(|(bytes, _)| bytes)).map(
                    |event| {
                        self.relay.note(&event);
                        Some((at, event))
                    },
                )
            }
        };
        match decoded {
            // Where the event's records begin (its payload parts first).
            Ok(Some((at, event)))
                if let Some(why) = disagreement(&event.kind, self.pending_site.is_some()) =>
            {
                self.corrupt(at, why);
                Err(())
            }
            Ok(Some((at, event))) => {
                self.events += 1;
                // An event is read from its call site on.
                let site = self.pending_site.take();
                self.site = site.map(|(site, _)| site);
                Ok(Some((site.map_or(at, |(_, from)| from.min(at)), event)))
            }
            Ok(None) if self.pending.is_some() => {
                self.corrupt(start, "payload parts are not followed by their event");
                Err(())
            }
            Ok(None) => Ok(None),
            Err(DecodeError(why)) => {
                self.corrupt(start, why);
                Err(())
            }
        }
    }

    /// A relayed send: its bytes are the next ones waiting in the relay queue toward it.
    /// A relayed send, or (`splice`) a relayed `splice_out`, with its bytes from the queues.
    fn relayed_send(&mut self, start: u64, body: &[u8], splice: bool) -> Decoded<(u64, Event)> {
        let send = codec::decode_relayed(body)?;
        let data = self.relay.take(send.conn, send.from, send.len).map_err(|why| {
            // Opened at a checkpoint, the queues lack what was received before it.
            DecodeError(if self.ordinal_base > 0 {
                "a relayed send refers to bytes before the checkpoint"
            } else {
                why.0
            })
        })?;
        let (conn, requested, len) = (send.conn, send.requested, send.len);
        let kind = if splice {
            EventKind::SpliceOut { conn, requested, len, data }
        } else {
            EventKind::Send { conn, requested, len, data }
        };
        Ok((start, Event { kind, t_us: send.t_us }))
    }

    fn data_part(&mut self, start: u64, body: &[u8]) -> Result<Option<(u64, Event)>, ()> {
        let (joined, _) = self.pending.get_or_insert_with(|| (Vec::new(), start));
        if joined.len() + body.len() > MAX_PAYLOAD {
            self.corrupt(start, format!("an event's payload grows past {MAX_PAYLOAD} bytes"));
            return Err(());
        }
        joined.extend_from_slice(body);
        Ok(None)
    }

    /// TLS key log lines: checked, and kept when [`Reader::keep_secrets`] asked for them.
    fn tls_secrets(&mut self, start: u64, body: &[u8]) -> Result<Option<(u64, Event)>, ()> {
        if self.pending.is_some() {
            self.corrupt(start, "payload parts are not followed by their event");
            return Err(());
        }
        let text = match secrets::check_text(body) {
            Ok(text) => text,
            Err(why) => {
                self.corrupt(start, why);
                return Err(());
            }
        };
        if let Some(kept) = &mut self.secrets {
            if kept.len() + text.len() > secrets::MAX_GATHERED {
                let why = format!("the TLS secrets grow past {} bytes", secrets::MAX_GATHERED);
                self.corrupt(start, why);
                return Err(());
            }
            kept.push_str(text);
        }
        Ok(None)
    }

    /// The `End` record: the count must match, and nothing may follow it.
    fn end(&mut self, start: u64, cursor: &mut Cursor<'_>) -> Result<Option<(u64, Event)>, ()> {
        let Ok(count) = cursor.varint() else {
            self.corrupt(start, "the end record is malformed");
            return Err(());
        };
        let read = self.ordinal_base + self.events;
        if self.pending.is_some() {
            self.corrupt(start, "payload parts are not followed by their event");
        } else if count != read {
            self.corrupt(
                start,
                format!("the end record counts {count} events, the file holds {read}"),
            );
        } else {
            let mut probe = [0; 1];
            match read_full(&mut self.input, &mut probe) {
                Ok(0) => self.stop(ReadStatus::Complete),
                Ok(_) => self.corrupt(self.offset, "data follows the end record"),
                Err(err) => self.corrupt(self.offset, format!("reading failed: {err}")),
            }
        }
        Err(())
    }
}

fn decode_start(body: &[u8]) -> Decoded<StartInfo> {
    let mut cursor = Cursor::new(body);
    let created_unix_us = cursor.varint()?;
    let tool = cursor.string()?;
    let spec = cursor.string()?;
    let max_message = cursor.usize()?;
    let framing = (!spec.is_empty()).then_some((spec, max_message));
    Ok(StartInfo { created_unix_us, tool, framing })
}

fn decode_clock(body: &[u8]) -> Decoded<Clock> {
    let mut cursor = Cursor::new(body);
    Ok(Clock { unix_us: cursor.varint()?, t_us: cursor.varint()? })
}
