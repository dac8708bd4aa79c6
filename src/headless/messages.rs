//! Derived `message` events for `--framing`: the stream of each connection and direction cut
//! into messages as they complete.
//!
//! The engine knows nothing of messages; this sits beside the printer and watches `recv` (in)
//! and `send` (out) bytes (a splice relay's `pipe_read` and `splice_out`), with one
//! incremental framer per connection and direction. A message is printed right after the
//! event that completed it, with that event's time. A connection that speaks TLS is framed by
//! its plaintext (`tls_read` in, `tls_write` out) instead: its `recv` and `send` carry
//! records, not the application's messages.

use crate::event::{ConnId, Dir, Event, EventKind, How};
use crate::framing::{Framer, Message, Spec};
use bytes::Bytes;
use std::collections::{HashMap, HashSet};

#[derive(Debug)]
pub struct Messages {
    /// The framing of every connection not in `chosen`.
    spec: Spec,
    max_message: usize,
    /// Framings a scenario chose for particular connections.
    chosen: HashMap<ConnId, Spec>,
    framers: HashMap<(ConnId, Dir), Framer>,
    /// Connections framed by their plaintext.
    tls: HashSet<ConnId>,
    /// Whether accepted and outgoing sockets speak TLS (known from the start in a live run;
    /// a replay learns it from a connection's first `tls` event).
    tls_sides: (bool, bool),
}

/// What one event adds: complete messages, and framing errors to warn about (once per stream).
#[derive(Debug, Default)]
pub struct Derived {
    pub messages: Vec<Event>,
    pub errors: Vec<String>,
}

impl Messages {
    /// `None` for `raw` framing: no messages, and no per-event cost.
    #[must_use]
    pub fn new(spec: &Spec, max_message: usize) -> Option<Self> {
        (*spec != Spec::Raw).then(|| Self::for_scenario(spec, max_message))
    }

    /// Always present, even for `raw`: a scenario may choose framings for connections later.
    #[must_use]
    pub fn for_scenario(spec: &Spec, max_message: usize) -> Self {
        Self {
            spec: spec.clone(),
            max_message,
            chosen: HashMap::new(),
            framers: HashMap::new(),
            tls: HashSet::new(),
            tls_sides: (false, false),
        }
    }

    /// Frames the plaintext of accepted (`accepted`) and outgoing (`outgoing`) sockets, which
    /// speak TLS, from their first byte.
    #[must_use]
    pub fn speaking_tls(mut self, accepted: bool, outgoing: bool) -> Self {
        self.tls_sides = (accepted, outgoing);
        self
    }

    /// Frames `conn` (both directions) by `spec` from its next bytes on.
    pub fn set_framing(&mut self, conn: ConnId, spec: Spec) {
        self.framers.remove(&(conn, Dir::In));
        self.framers.remove(&(conn, Dir::Out));
        self.chosen.insert(conn, spec);
    }

    pub fn derive(&mut self, event: &Event) -> Derived {
        let mut out = Derived::default();
        match &event.kind {
            EventKind::Accept { conn, .. } if self.tls_sides.0 => _ = self.tls.insert(*conn),
            EventKind::Connect { conn, .. } if self.tls_sides.1 => _ = self.tls.insert(*conn),
            EventKind::Tls { conn, .. } if self.tls.insert(*conn) => {
                // Learnt late (a replay): what was framed so far was records, not messages.
                self.framers.remove(&(*conn, Dir::In));
                self.framers.remove(&(*conn, Dir::Out));
            }
            // A splice relay's `pipe_read` and `splice_out` are its `recv` and `send`.
            EventKind::Recv { conn, data, .. }
            | EventKind::PipeRead { conn, data, .. }
            | EventKind::TlsRead { conn, data, .. }
                if self.tls.contains(conn) == matches!(event.kind, EventKind::TlsRead { .. }) =>
            {
                self.push(*conn, Dir::In, data, event.t_us, &mut out);
            }
            EventKind::Send { conn, data, .. }
            | EventKind::SpliceOut { conn, data, .. }
            | EventKind::TlsWrite { conn, data, .. }
                if self.tls.contains(conn) == matches!(event.kind, EventKind::TlsWrite { .. }) =>
            {
                self.push(*conn, Dir::Out, data, event.t_us, &mut out);
            }
            EventKind::Eof { conn } => self.finish(*conn, Dir::In, event.t_us, &mut out),
            EventKind::Shutdown { conn, how: How::Write | How::Both } => {
                self.finish(*conn, Dir::Out, event.t_us, &mut out);
            }
            EventKind::Close { conn, .. } => {
                self.tls.remove(conn);
                self.framers.remove(&(*conn, Dir::In));
                self.framers.remove(&(*conn, Dir::Out));
                self.chosen.remove(conn);
            }
            _ => {}
        }
        out
    }

    fn push(&mut self, conn: ConnId, dir: Dir, data: &[u8], t_us: u64, out: &mut Derived) {
        let Some(framer) = self.framer(conn, dir) else { return };
        let had_error = framer.error().is_some();
        let messages = framer.push(data);
        let error = (!had_error).then(|| framer.error().map(ToString::to_string)).flatten();
        out.messages.extend(messages.into_iter().map(|m| message_event(conn, dir, m, t_us)));
        out.errors.extend(error.map(|e| format!("{conn} {}: framing stopped: {e}", dir.name())));
    }

    /// End of one direction: `eof` framing completes its message here.
    fn finish(&mut self, conn: ConnId, dir: Dir, t_us: u64, out: &mut Derived) {
        let Some(framer) = self.framer(conn, dir) else { return };
        let messages = framer.finish();
        out.messages.extend(messages.into_iter().map(|m| message_event(conn, dir, m, t_us)));
    }

    /// The framer of one stream; `None` for a `raw` one, which has no messages.
    fn framer(&mut self, conn: ConnId, dir: Dir) -> Option<&mut Framer> {
        let spec = self.chosen.get(&conn).unwrap_or(&self.spec);
        if *spec == Spec::Raw {
            return None;
        }
        let max = self.max_message;
        Some(self.framers.entry((conn, dir)).or_insert_with(|| Framer::new(spec.clone(), max)))
    }
}

fn message_event(conn: ConnId, dir: Dir, message: Message, t_us: u64) -> Event {
    let data = Bytes::from(message.body);
    Event { kind: EventKind::Message { conn, dir, len: data.len(), data }, t_us }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(kind: EventKind) -> Event {
        Event { kind, t_us: 7 }
    }

    fn recv(conn: u64, data: &'static [u8]) -> Event {
        ev(EventKind::Recv {
            conn: ConnId(conn),
            max: 64,
            len: data.len(),
            data: Bytes::from_static(data),
        })
    }

    fn bodies(derived: &Derived) -> Vec<(ConnId, Dir, Vec<u8>)> {
        derived
            .messages
            .iter()
            .map(|e| match &e.kind {
                EventKind::Message { conn, dir, data, .. } => (*conn, *dir, data.to_vec()),
                other => panic!("not a message: {other:?}"),
            })
            .collect()
    }

    #[test]
    fn raw_framing_derives_nothing() {
        assert!(Messages::new(&Spec::Raw, 1024).is_none());
    }

    #[test]
    fn messages_complete_across_chunks_per_connection_and_direction() {
        let mut m = Messages::new(&Spec::Line, 1024).unwrap();
        assert!(bodies(&m.derive(&recv(1, b"hel"))).is_empty());
        assert!(bodies(&m.derive(&recv(2, b"other\n"))).len() == 1, "connections are separate");
        assert_eq!(
            bodies(&m.derive(&recv(1, b"lo\r\nnext"))),
            vec![(ConnId(1), Dir::In, b"hello".to_vec())]
        );
        let sent = ev(EventKind::Send {
            conn: ConnId(1),
            requested: 4,
            len: 4,
            data: Bytes::from_static(b"ok\n!"),
        });
        assert_eq!(bodies(&m.derive(&sent)), vec![(ConnId(1), Dir::Out, b"ok".to_vec())]);
    }

    #[test]
    fn a_splice_relays_bytes_are_framed_like_copied_ones() {
        let mut m = Messages::new(&Spec::Line, 1024).unwrap();
        let data = Bytes::from_static(b"one\ntw");
        let read = EventKind::PipeRead { conn: ConnId(2), max: 7, len: 7, data: data.clone() };
        assert_eq!(bodies(&m.derive(&ev(read))), vec![(ConnId(2), Dir::In, b"one".to_vec())]);
        let out = EventKind::SpliceOut { conn: ConnId(3), requested: 7, len: 7, data };
        assert_eq!(bodies(&m.derive(&ev(out))), vec![(ConnId(3), Dir::Out, b"one".to_vec())]);
    }

    #[test]
    fn a_tls_connection_is_framed_by_its_plaintext_not_its_records() {
        let mut m = Messages::new(&Spec::Line, 1024).unwrap().speaking_tls(true, false);
        let accept = EventKind::Accept {
            conn: ConnId(2),
            listener: ConnId(1),
            local: "127.0.0.1:1".parse().unwrap(),
            peer: "127.0.0.1:2".parse().unwrap(),
        };
        m.derive(&ev(accept));
        assert!(bodies(&m.derive(&recv(2, b"\x16\x03\x01 record\n"))).is_empty(), "a record");
        let read =
            EventKind::TlsRead { conn: ConnId(2), len: 4, data: Bytes::from_static(b"hi\n!") };
        assert_eq!(bodies(&m.derive(&ev(read))), vec![(ConnId(2), Dir::In, b"hi".to_vec())]);
        // A replay learns it from the first `tls` event and drops what it framed before.
        let mut replayed = Messages::new(&Spec::Line, 1024).unwrap();
        replayed.derive(&recv(3, b"\x16\x03\x01 part"));
        let hello =
            crate::event::TlsStage::ClientHello { sni: None, alpn: vec![], versions: vec![] };
        replayed.derive(&ev(EventKind::Tls { conn: ConnId(3), stage: hello }));
        assert!(bodies(&replayed.derive(&recv(3, b"rest\n"))).is_empty(), "records ignored");
        let read =
            EventKind::TlsRead { conn: ConnId(3), len: 3, data: Bytes::from_static(b"ok\n") };
        assert_eq!(bodies(&replayed.derive(&ev(read))), vec![(ConnId(3), Dir::In, b"ok".to_vec())]);
    }

    #[test]
    fn eof_framing_completes_at_eof_and_shutdown() {
        let mut m = Messages::new(&Spec::Eof, 1024).unwrap();
        m.derive(&recv(1, b"whole "));
        m.derive(&recv(1, b"body"));
        let at_eof = m.derive(&ev(EventKind::Eof { conn: ConnId(1) }));
        assert_eq!(bodies(&at_eof), vec![(ConnId(1), Dir::In, b"whole body".to_vec())]);
        let shut = m.derive(&ev(EventKind::Shutdown { conn: ConnId(1), how: How::Write }));
        assert_eq!(bodies(&shut), vec![(ConnId(1), Dir::Out, Vec::new())]);
    }

    #[test]
    fn a_chosen_framing_applies_to_its_connection_only_even_over_raw() {
        let mut m = Messages::for_scenario(&Spec::Raw, 1024);
        m.set_framing(ConnId(2), Spec::Fixed(2));
        assert!(bodies(&m.derive(&recv(1, b"abcd"))).is_empty(), "the others stay raw");
        assert_eq!(bodies(&m.derive(&recv(2, b"abc"))), vec![(ConnId(2), Dir::In, b"ab".to_vec())]);
        m.set_framing(ConnId(2), Spec::Line);
        assert_eq!(
            bodies(&m.derive(&recv(2, b"new\n"))),
            vec![(ConnId(2), Dir::In, b"new".to_vec())],
            "a new framing starts afresh"
        );
    }

    #[test]
    fn an_oversized_length_is_reported_once_and_nothing_is_allocated() {
        let spec: Spec = "len:u32be".parse().unwrap();
        let mut m = Messages::new(&spec, 1024).unwrap();
        let first = m.derive(&recv(3, b"\xff\xff\xff\xffxx"));
        assert!(first.messages.is_empty());
        assert_eq!(first.errors.len(), 1, "{:?}", first.errors);
        assert!(first.errors[0].starts_with("#3 in: framing stopped"), "{}", first.errors[0]);
        assert!(m.derive(&recv(3, b"more")).errors.is_empty(), "reported once");
    }
}
