//! One event as one JSON line that is safe to print on a terminal.
//!
//! JSON escapes the C0 controls, but DEL and the C1 controls (U+0080–U+009F, whose U+009B is a
//! one-character CSI to some terminals) may appear raw in its strings. An error message, a Unix
//! socket path or a fault's detail can carry them from a peer or a crafted recording, so they
//! are written as `\u00XX` escapes, which every JSON reader decodes to the same characters.

use super::{Event, EventKind};
use bytes::Bytes;
use serde::Serialize;
use std::io::{self, Write};

/// Payload bytes hex-encoded per piece: the stack buffer holds twice as many digits.
const HEX_PIECE: usize = 4096;

/// `serde_json`'s compact output, with DEL and the C1 controls escaped inside strings.
struct TerminalSafe;

impl serde_json::ser::Formatter for TerminalSafe {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut from = 0;
        for (at, c) in fragment.char_indices() {
            if c == '\u{7f}' || ('\u{80}'..='\u{9f}').contains(&c) {
                writer.write_all(&fragment.as_bytes()[from..at])?;
                write!(writer, "\\u{:04x}", u32::from(c))?;
                from = at + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[from..])
    }
}

/// `value` as one line of JSON (without the newline), terminal-safe.
pub(super) fn to_line(value: &impl Serialize) -> String {
    let mut out = Vec::with_capacity(128);
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, TerminalSafe);
    // Serialising an event cannot fail: every map key is a string and no value is a float.
    if value.serialize(&mut serializer).is_err() {
        return String::new();
    }
    // The formatter writes only valid UTF-8: whole fragments and ASCII escapes.
    String::from_utf8(out).unwrap_or_default()
}

/// `event` as one JSON line with its newline, written straight into `out`: the same bytes as
/// [`to_line`] and a newline. The events that carry payload (`recv`, `send`, `pipe_read`,
/// `splice_out`, `message`) are written field by field with their hex encoded in pieces on the
/// stack, because at GB/s a per-event `String`, a per-payload hex `Vec` and a
/// character-by-character scan of the digits for controls (hex has none) made the printer the
/// slowest part of a relay.
pub(super) fn write_line(event: &Event, out: &mut impl Write) -> io::Result<()> {
    let t_us = event.t_us;
    match &event.kind {
        EventKind::Recv { conn, max, len, data } => {
            write!(out, r#"{{"ev":"recv","conn":{},"max":{max},"len":{len},"data":""#, conn.0)?;
            write_payload_end(data, t_us, out)
        }
        EventKind::Send { conn, requested, len, data } => {
            let conn = conn.0;
            write!(out, r#"{{"ev":"send","conn":{conn},"requested":{requested},"len":{len},"#)?;
            out.write_all(br#""data":""#)?;
            write_payload_end(data, t_us, out)
        }
        EventKind::PipeRead { conn, max, len, data } => {
            let conn = conn.0;
            write!(out, r#"{{"ev":"pipe_read","conn":{conn},"max":{max},"len":{len},"data":""#)?;
            write_payload_end(data, t_us, out)
        }
        EventKind::SpliceOut { conn, requested, len, data } => {
            let conn = conn.0;
            write!(out, r#"{{"ev":"splice_out","conn":{conn},"requested":{requested},"#)?;
            write!(out, r#""len":{len},"data":""#)?;
            write_payload_end(data, t_us, out)
        }
        EventKind::Message { conn, dir, len, data } => {
            let (conn, dir) = (conn.0, dir.name());
            write!(out, r#"{{"ev":"message","conn":{conn},"dir":"{dir}","len":{len},"data":""#)?;
            write_payload_end(data, t_us, out)
        }
        _ => {
            let mut serializer = serde_json::Serializer::with_formatter(&mut *out, TerminalSafe);
            event.serialize(&mut serializer).map_err(io::Error::other)?;
            out.write_all(b"\n")
        }
    }
}

/// The payload's hex digits, then the end of the line: `","t_us":T}` and the newline.
fn write_payload_end(data: &Bytes, t_us: u64, out: &mut impl Write) -> io::Result<()> {
    let mut digits = [0u8; 2 * HEX_PIECE];
    for piece in data.chunks(HEX_PIECE) {
        let hex = faster_hex::hex_encode(piece, &mut digits).map_err(io::Error::other)?;
        out.write_all(hex.as_bytes())?;
    }
    writeln!(out, r#"","t_us":{t_us}}}"#)
}

#[cfg(test)]
mod tests {
    use crate::event::{ConnId, Dir, ErrorKind, Event, EventKind, Op};
    use bytes::Bytes;

    #[test]
    fn del_and_c1_controls_are_escaped_and_read_back() {
        let message = "a\u{9b}2J b\u{7f}c \u{85}é\u{1b}".to_string();
        let event = Event {
            kind: EventKind::Error {
                conn: ConnId(1),
                op: Op::Recv,
                kind: ErrorKind::Other,
                message: message.clone(),
            },
            t_us: 5,
        };
        let line = event.to_json_line();
        assert!(line.contains(r"a\u009b2J b\u007fc \u0085é\u001b"), "{line}");
        assert!(!line.chars().any(char::is_control), "{line:?}");
        let back: Event = serde_json::from_str(&line).expect("valid JSON");
        assert_eq!(back, event);
    }

    /// The fast path writes exactly what serde writes, for every payload size around the
    /// piece boundary and for every other kind of event.
    #[test]
    fn written_lines_equal_the_serialised_ones() {
        let payload: Vec<u8> = (0..=255u8).cycle().take(3 * 4096 + 17).collect();
        let mut events = Vec::new();
        for len in [0, 1, 2, 4095, 4096, 4097, 8192, payload.len()] {
            let data = Bytes::copy_from_slice(&payload[..len]);
            let conn = ConnId(7);
            events.push(EventKind::Recv { conn, max: 65536, len, data: data.clone() });
            events.push(EventKind::Send { conn, requested: len + 3, len, data: data.clone() });
            events.push(EventKind::PipeRead { conn, max: len, len, data: data.clone() });
            let requested = len + 1;
            events.push(EventKind::SpliceOut { conn, requested, len, data: data.clone() });
            events.push(EventKind::Message { conn, dir: Dir::In, len, data: data.clone() });
            events.push(EventKind::Message { conn, dir: Dir::Out, len, data });
        }
        let message = "a\u{9b}2J\u{7f}".to_string();
        events.push(EventKind::Error {
            conn: ConnId(1),
            op: Op::Recv,
            kind: ErrorKind::Other,
            message,
        });
        events.push(Event::session_started_at(Some(1_700_000_000_000_000)).kind);
        for (t_us, kind) in (0..).zip(events) {
            let event = Event { kind, t_us: t_us * 1_000_003 };
            let mut written = Vec::new();
            super::write_line(&event, &mut written).unwrap();
            let expected = format!("{}\n", event.to_json_line());
            assert_eq!(String::from_utf8(written).unwrap(), expected);
        }
    }
}
