//! A TLS connection: its plaintext beside the wire bytes, the layer the views read, the
//! handshake, and the TLS lines among the calls.

use super::*;
use crate::event::{TlsBy, TlsEstablished, TlsStage};

/// An application-data record header announcing a `len`-byte body.
fn record_header(len: u16) -> Vec<u8> {
    let [hi, lo] = len.to_be_bytes();
    vec![0x17, 0x03, 0x03, hi, lo]
}

fn tls(n: u64, stage: TlsStage) -> EventKind {
    EventKind::Tls { conn: id(n), stage }
}

fn hello(n: u64) -> EventKind {
    let versions = vec!["TLSv1.3".to_string()];
    tls(n, TlsStage::ClientHello { sni: Some("localhost".into()), alpn: vec![], versions })
}

fn established(n: u64) -> EventKind {
    tls(
        n,
        TlsStage::Established(Box::new(TlsEstablished {
            version: "TLSv1.3".into(),
            cipher: "TLS13_AES_128_GCM_SHA256".into(),
            alpn: Some("http/1.1".into()),
            sni: Some("localhost".into()),
            subject: Some("CN=localhost".into()),
            issuer: Some("CN=sockscope local CA".into()),
            not_after: Some("2027-01-01T00:00:00Z".into()),
        })),
    )
}

fn tls_read(n: u64, data: &[u8]) -> EventKind {
    let data = Bytes::copy_from_slice(data);
    EventKind::TlsRead { conn: id(n), len: data.len(), data }
}

fn tls_write(n: u64, data: &[u8]) -> EventKind {
    let data = Bytes::copy_from_slice(data);
    EventKind::TlsWrite { conn: id(n), requested: data.len(), len: data.len(), data }
}

/// An outgoing TLS connection #2, handshake done.
fn handshaken() -> Vec<EventKind> {
    vec![connect(2, None), connected(2), hello(2), established(2)]
}

fn read_all(stream: &Stream) -> Vec<u8> {
    let mut out = Vec::new();
    stream.read(0..u64::MAX, &mut out);
    out
}

#[test]
fn the_plaintext_is_kept_beside_the_wire_bytes_and_the_layer_picks_one() {
    let mut events = handshaken();
    let mut wire = record_header(3);
    wire.extend_from_slice(b"xyz");
    events.extend([send(2, 8, &wire), tls_write(2, b"GET / HTTP/1.1\r\n")]);
    events.extend([recv(2, &wire), tls_read(2, b"HTTP/1.1 200 OK\r\n")]);
    let mut session = fold(events);
    let c = conn(&session, 2);
    assert_eq!(c.shown_layer(), Some(Layer::Plaintext));
    assert_eq!(read_all(c.stream(Dir::Out)), b"GET / HTTP/1.1\r\n");
    assert_eq!(read_all(c.stream(Dir::In)), b"HTTP/1.1 200 OK\r\n");
    assert_eq!(read_all(c.wire(Dir::In)), wire);
    // Counts stay what the socket moved.
    assert_eq!((c.bytes(Dir::In), c.bytes(Dir::Out)), (8, 8));
    session.set_layer(Layer::Wire);
    let c = conn(&session, 2);
    assert_eq!(c.shown_layer(), Some(Layer::Wire));
    assert_eq!(read_all(c.stream(Dir::In)), wire);
    assert_eq!(read_all(c.stream_of(Dir::In, Layer::Plaintext)), b"HTTP/1.1 200 OK\r\n");
}

#[test]
fn a_connection_without_tls_shows_its_wire_bytes_in_either_layer() {
    let mut session = fold(vec![accept(2, 1), recv(2, b"hello")]);
    assert_eq!(conn(&session, 2).shown_layer(), None);
    assert_eq!(read_all(conn(&session, 2).stream(Dir::In)), b"hello");
    session.set_layer(Layer::Wire);
    assert_eq!(read_all(conn(&session, 2).stream(Dir::In)), b"hello");
}

#[test]
fn a_record_split_across_two_recvs_gives_no_plaintext_until_its_end_arrives() {
    let mut record = record_header(4);
    record.extend_from_slice(b"abcd");
    let (first, rest) = record.split_at(6);
    let mut events = handshaken();
    events.push(recv(2, first));
    let session = fold(events.clone());
    let lines = call_lines(&session, 2);
    assert_eq!(
        lines.last().map(String::as_str),
        Some("tls_read -> nothing yet (record incomplete)")
    );
    events.extend([recv(2, rest), tls_read(2, b"ok")]);
    let session = fold(events);
    let lines = call_lines(&session, 2);
    let tail: Vec<&str> = lines.iter().rev().take(3).rev().map(String::as_str).collect();
    assert_eq!(
        tail,
        [
            "tls_read -> nothing yet (record incomplete)",
            "recv(65536) -> 3",
            "tls_read -> 2 B plaintext"
        ]
    );
}

#[test]
fn whole_records_without_plaintext_are_told_apart_from_a_cut_record() {
    let mut ticket = record_header(2);
    ticket.extend_from_slice(b"tk");
    let mut events = handshaken();
    events.push(recv(2, &ticket));
    let session = fold(events);
    let last = call_lines(&session, 2).pop();
    assert_eq!(last.as_deref(), Some("tls_read -> nothing (no application data in these records)"));
}

/// A server learns it speaks TLS from the `ClientHello`, after the `recv`s that carried it:
/// the record scan starts from the stream's first byte all the same.
#[test]
fn a_server_scans_records_from_the_first_byte_received() {
    let mut hello_record = vec![0x16, 0x03, 0x01, 0x00, 0x04];
    hello_record.extend_from_slice(b"helo");
    let mut next = record_header(10);
    next.extend_from_slice(b"12");
    let session = fold(vec![
        listen(1),
        accept(2, 1),
        recv(2, &hello_record),
        hello(2),
        established(2),
        recv(2, &next),
    ]);
    let last = call_lines(&session, 2).pop();
    assert_eq!(last.as_deref(), Some("tls_read -> nothing yet (record incomplete)"));
}

#[test]
fn the_handshake_alerts_and_close_notify_are_kept_and_listed() {
    let mut events = handshaken();
    events.extend([
        tls(
            2,
            TlsStage::Alert {
                level: "warning".into(),
                description: "user_canceled".into(),
                by: TlsBy::Peer,
            },
        ),
        tls(2, TlsStage::CloseNotify { by: TlsBy::Peer }),
        eof(2),
    ]);
    let session = fold(events);
    let c = conn(&session, 2);
    let tls_state = c.tls_state().expect("TLS state");
    let agreed = tls_state.established.as_deref().expect("established");
    assert_eq!(agreed.subject.as_deref(), Some("CN=localhost"));
    assert_eq!(tls_state.offer.as_ref().and_then(|o| o.sni.as_deref()), Some("localhost"));
    assert_eq!(tls_state.alert.as_ref().map(|a| a.description.as_str()), Some("user_canceled"));
    assert!(tls_state.close_notify_by(TlsBy::Peer).is_some());
    assert_eq!(c.tls.as_deref(), Some("TLSv1.3 http/1.1"));
    let lines = call_lines(&session, 2);
    assert!(lines.contains(&"tls alert warning user_canceled (by peer)".to_string()), "{lines:?}");
    assert!(lines.contains(&"tls close_notify (by peer)".to_string()), "{lines:?}");
    assert!(!lines.iter().any(|l| l.contains("without close_notify")), "{lines:?}");
    assert!(c.stream(Dir::In).ended_us().is_some(), "close_notify ends the plaintext");
}

/// The record that held the peer's `close_notify` is named as such, not as a record without
/// application data.
#[test]
fn the_recv_that_carried_close_notify_is_followed_by_it() {
    let mut alert = vec![0x17, 0x03, 0x03, 0x00, 0x13];
    alert.extend_from_slice(&[0; 0x13]);
    let mut events = handshaken();
    events.extend([recv(2, &alert), tls(2, TlsStage::CloseNotify { by: TlsBy::Peer })]);
    let lines = call_lines(&fold(events), 2);
    let tail: Vec<&str> = lines.iter().rev().take(2).rev().map(String::as_str).collect();
    assert_eq!(tail, ["recv(65536) -> 24", "tls close_notify (by peer)"]);
}

#[test]
fn a_fin_without_close_notify_is_named() {
    let mut events = handshaken();
    events.push(eof(2));
    let session = fold(events);
    let last = call_lines(&session, 2).pop();
    assert_eq!(last.as_deref(), Some("tls: FIN without close_notify"));
}

#[test]
fn the_plaintext_is_framed() {
    let mut events = handshaken();
    events.extend([tls_read(2, b"one\ntw"), tls_read(2, b"o\n")]);
    let mut session = fold(events);
    session.set_framing(None, crate::framing::Spec::Line);
    let stream = conn(&session, 2).stream(Dir::In);
    let bodies: Vec<u64> = stream.messages().iter().map(|m| m.start).collect();
    assert_eq!(bodies, [0, 4]);
    assert!(conn(&session, 2).wire(Dir::In).messages().is_empty());
}

/// `--retain` bounds the plaintext too: both layers share the one budget.
#[test]
fn retention_bounds_the_plaintext_too() {
    const CAP: usize = 64 << 10;
    let config = SessionConfig { retain: CAP, ..SessionConfig::default() };
    let mut session = Session::new(config);
    for (t, kind) in (1..).zip(handshaken()) {
        session.apply(&Event { kind, t_us: t });
    }
    let piece = vec![b'p'; 4096];
    for t in 10..400 {
        session.apply(&Event { kind: tls_read(2, &piece), t_us: t });
    }
    assert!(session.retained_memory() <= CAP, "{} > {CAP}", session.retained_memory());
    let plain = conn(&session, 2).stream_of(Dir::In, Layer::Plaintext);
    assert_eq!(plain.total(), 390 * 4096);
    assert!(plain.dropped() > 0, "the oldest plaintext left memory");
    assert_eq!(session.dropped_bytes(), plain.dropped());
}
