//! One event as one JSON line that is safe to print on a terminal.
//!
//! JSON escapes the C0 controls, but DEL and the C1 controls (U+0080–U+009F, whose U+009B is a
//! one-character CSI to some terminals) may appear raw in its strings. An error message, a Unix
//! socket path or a fault's detail can carry them from a peer or a crafted recording, so they
//! are written as `\u00XX` escapes, which every JSON reader decodes to the same characters.

use serde::Serialize;
use std::io::{self, Write};

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

#[cfg(test)]
mod tests {
    use crate::event::{ConnId, ErrorKind, Event, EventKind, Op};

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
}
