use super::capture::{OpenError, Stop};
use super::{Converted, Summary, convert};
use crate::event::{Address, ClosedBy, ConnId, ErrorKind, Event, EventKind, How, Op};
use etherparse::{PacketBuilder, TcpHeader};

const CLIENT: ([u8; 4], u16) = ([10, 0, 0, 1], 40000);
const SERVER: ([u8; 4], u16) = ([10, 0, 0, 2], 80);
const C_ISN: u32 = 5000;
const S_ISN: u32 = u32::MAX - 2;

#[derive(Clone, Copy, Default)]
struct Flags {
    syn: bool,
    fin: bool,
    rst: bool,
}

const NONE: Flags = Flags { syn: false, fin: false, rst: false };
const SYN: Flags = Flags { syn: true, fin: false, rst: false };
const FIN: Flags = Flags { syn: false, fin: true, rst: false };
const RST: Flags = Flags { syn: false, fin: false, rst: true };

/// An Ethernet/IPv4/TCP frame from the client (`up`) or the server.
fn frame(up: bool, seq: u32, ack: Option<u32>, flags: Flags, payload: &[u8]) -> Vec<u8> {
    let (src, dst) = if up { (CLIENT, SERVER) } else { (SERVER, CLIENT) };
    let mut tcp = TcpHeader::new(src.1, dst.1, seq, 65535);
    (tcp.syn, tcp.fin, tcp.rst) = (flags.syn, flags.fin, flags.rst);
    tcp.ack = ack.is_some();
    tcp.acknowledgment_number = ack.unwrap_or(0);
    let mut out = Vec::new();
    PacketBuilder::ethernet2([2; 6], [4; 6])
        .ipv4(src.0, dst.0, 64)
        .tcp_header(tcp)
        .write(&mut out, payload)
        .unwrap();
    out
}

/// A classic pcap (little-endian; microseconds, or nanoseconds) of `frames` at `times`.
fn pcap(frames: &[(u64, Vec<u8>)], nanos: bool) -> Vec<u8> {
    let magic: u32 = if nanos { 0xa1b2_3c4d } else { 0xa1b2_c3d4 };
    let mut out = magic.to_le_bytes().to_vec();
    for field in [2u16, 4] {
        out.extend_from_slice(&field.to_le_bytes());
    }
    for field in [0u32, 0, 262_144, 1] {
        out.extend_from_slice(&field.to_le_bytes());
    }
    for (us, bytes) in frames {
        let fraction = if nanos { us % 1_000_000 * 1000 + 7 } else { us % 1_000_000 };
        let len = bytes.len() as u32;
        for field in [(us / 1_000_000) as u32, fraction as u32, len, len] {
            out.extend_from_slice(&field.to_le_bytes());
        }
        out.extend_from_slice(bytes);
    }
    out
}

fn block(kind: u32, body: &[u8]) -> Vec<u8> {
    let total = (body.len() + 12) as u32;
    let mut out = kind.to_le_bytes().to_vec();
    out.extend_from_slice(&total.to_le_bytes());
    out.extend_from_slice(body);
    out.extend_from_slice(&total.to_le_bytes());
    out
}

/// A pcapng whose interface counts time in units of 10^-`resol` s.
fn pcapng(frames: &[(u64, Vec<u8>)], resol: u8) -> Vec<u8> {
    let mut shb = 0x1A2B_3C4Du32.to_le_bytes().to_vec();
    shb.extend_from_slice(&[1, 0, 0, 0]);
    shb.extend_from_slice(&(-1i64).to_le_bytes());
    let mut out = block(0x0A0D_0D0A, &shb);
    let mut idb = vec![1, 0, 0, 0, 0, 0, 4, 0];
    idb.extend_from_slice(&[9, 0, 1, 0, resol, 0, 0, 0, 0, 0, 0, 0]);
    out.extend(block(1, &idb));
    for (us, bytes) in frames {
        let ticks = u128::from(*us) * 10u128.pow(u32::from(resol)) / 1_000_000;
        let mut epb = 0u32.to_le_bytes().to_vec();
        epb.extend_from_slice(&((ticks >> 32) as u32).to_le_bytes());
        epb.extend_from_slice(&(ticks as u32).to_le_bytes());
        let len = bytes.len() as u32;
        epb.extend_from_slice(&len.to_le_bytes());
        epb.extend_from_slice(&len.to_le_bytes());
        epb.extend_from_slice(bytes);
        while !epb.len().is_multiple_of(4) {
            epb.push(0);
        }
        out.extend(block(6, &epb));
    }
    out
}

fn import(capture: &[u8]) -> (Vec<Event>, Summary) {
    let mut events = Vec::new();
    let summary = convert(capture, |event| {
        events.push(event);
        Ok(())
    })
    .unwrap();
    (events, summary)
}

fn kinds(events: &[Event]) -> Vec<EventKind> {
    events.iter().skip(1).map(|e| e.kind.clone()).collect()
}

fn addr(end: ([u8; 4], u16)) -> Address {
    Address::Ip((end.0, end.1).into())
}

fn send(data: &[u8]) -> EventKind {
    EventKind::Send {
        conn: ConnId(1),
        requested: data.len(),
        len: data.len(),
        data: data.to_vec().into(),
    }
}

fn recv(data: &[u8]) -> EventKind {
    EventKind::Recv {
        conn: ConnId(1),
        max: data.len(),
        len: data.len(),
        data: data.to_vec().into(),
    }
}

/// SYN, SYN-ACK, ACK at 1.0 s, 1.1 s, 1.2 s.
fn handshake() -> Vec<(u64, Vec<u8>)> {
    vec![
        (1_000_000, frame(true, C_ISN, None, SYN, b"")),
        (1_100_000, frame(false, S_ISN, Some(C_ISN + 1), SYN, b"")),
        (1_200_000, frame(true, C_ISN + 1, Some(S_ISN.wrapping_add(1)), NONE, b"")),
    ]
}

#[test]
fn a_whole_connection_is_told_from_its_client() {
    let (c, s) = (C_ISN + 1, S_ISN.wrapping_add(1));
    let mut frames = handshake();
    frames.extend([
        (1_300_000, frame(true, c, Some(s), NONE, b"ping")),
        (1_400_000, frame(false, s, Some(c + 4), NONE, b"pong")),
        (1_500_000, frame(true, c + 4, Some(s.wrapping_add(4)), FIN, b"")),
        (1_600_000, frame(false, s.wrapping_add(4), Some(c + 5), FIN, b"!")),
        (1_700_000, frame(true, c + 5, Some(s.wrapping_add(6)), NONE, b"")),
    ]);
    let (events, summary) = import(&pcap(&frames, false));
    assert_eq!(events[0].kind, Event::session_start().kind);
    let id = ConnId(1);
    assert_eq!(
        kinds(&events),
        vec![
            EventKind::Connect { conn: id, peer: addr(SERVER), pair: None, client: None },
            EventKind::Connected { conn: id, local: addr(CLIENT), peer: addr(SERVER) },
            send(b"ping"),
            recv(b"pong"),
            EventKind::Shutdown { conn: id, how: How::Write },
            recv(b"!"),
            EventKind::Eof { conn: id },
            EventKind::Close { conn: id, by: ClosedBy::Local },
        ]
    );
    let times: Vec<u64> = events.iter().map(|e| e.t_us).collect();
    assert_eq!(times, [0, 0, 100_000, 300_000, 400_000, 500_000, 600_000, 600_000, 600_000]);
    assert_eq!((summary.connections, summary.tcp_packets, summary.bytes), (1, 8, 9));
    assert_eq!((summary.skipped, summary.gaps, summary.first_unix_us), (0, 0, Some(1_000_000)));
}

#[test]
fn resets_from_either_side_and_a_refused_connect() {
    let (c, s) = (C_ISN + 1, S_ISN.wrapping_add(1));
    let id = ConnId(1);
    let mut by_client = handshake();
    by_client.push((2_000_000, frame(true, c, Some(s), RST, b"")));
    let tail = kinds(&import(&pcap(&by_client, false)).0).split_off(2);
    assert_eq!(
        tail,
        [EventKind::Reset { conn: id }, EventKind::Close { conn: id, by: ClosedBy::Local }]
    );

    let mut by_server = handshake();
    by_server.push((2_000_000, frame(false, s, Some(c), RST, b"")));
    let tail = kinds(&import(&pcap(&by_server, false)).0).split_off(2);
    assert!(matches!(tail[0], EventKind::Error { op: Op::Recv, kind: ErrorKind::Reset, .. }));
    assert_eq!(tail[1], EventKind::Close { conn: id, by: ClosedBy::Reset });

    let refused =
        [(0, frame(true, C_ISN, None, SYN, b"")), (10, frame(false, 0, Some(C_ISN + 1), RST, b""))];
    let events = kinds(&import(&pcap(&refused, false)).0);
    assert!(matches!(
        events[1],
        EventKind::Error { op: Op::Connect, kind: ErrorKind::Refused, .. }
    ));
    assert_eq!(events[2], EventKind::Close { conn: id, by: ClosedBy::Error });
}

#[test]
fn without_a_handshake_the_lower_port_is_the_server_and_a_note_says_so() {
    // The capture starts mid-connection, with the server's bytes.
    let frames = [
        (0, frame(false, 900, Some(100), NONE, b"late")),
        (5, frame(true, 100, Some(904), NONE, b"more")),
    ];
    let (events, summary) = import(&pcap(&frames, false));
    let events = kinds(&events);
    assert_eq!(
        events[0],
        EventKind::Connect { conn: ConnId(1), peer: addr(SERVER), pair: None, client: None }
    );
    let EventKind::Error { op: Op::Connect, kind: ErrorKind::Other, message, .. } = &events[1]
    else {
        panic!("no note: {events:?}");
    };
    assert!(message.starts_with("no handshake in the capture"), "{message}");
    assert!(matches!(events[2], EventKind::Connected { .. }));
    assert_eq!(events[3..], [recv(b"late"), send(b"more")]);
    assert_eq!(summary.gaps, 0);
}

#[test]
fn a_segment_the_capture_lost_is_a_gap_never_invented() {
    let (c, s) = (C_ISN + 1, S_ISN.wrapping_add(1));
    let mut frames = handshake();
    frames.extend([
        (2_000_000, frame(true, c, Some(s), NONE, b"one ")),
        // "two " was sent and acknowledged, but is not in the capture.
        (2_100_000, frame(true, c + 8, Some(s), NONE, b"three")),
        (2_200_000, frame(false, s, Some(c + 13), NONE, b"")),
    ]);
    let (events, summary) = import(&pcap(&frames, false));
    let events = kinds(&events);
    assert_eq!(events[2], send(b"one "));
    let EventKind::Error { op: Op::Send, kind: ErrorKind::Other, message, .. } = &events[3] else {
        panic!("no gap: {events:?}");
    };
    assert!(message.starts_with("capture gap: 4 bytes the client sent are missing at offset 4"));
    assert_eq!(events[4], send(b"three"));
    assert_eq!(summary.gaps, 1);
}

#[test]
fn nanosecond_pcap_and_pcapng_resolutions_give_the_same_times() {
    let frames = handshake();
    let expected: Vec<u64> = import(&pcap(&frames, false)).0.iter().map(|e| e.t_us).collect();
    for capture in [pcap(&frames, true), pcapng(&frames, 9), pcapng(&frames, 6), pcapng(&frames, 3)]
    {
        let (events, summary) = import(&capture);
        let times: Vec<u64> = events.iter().map(|e| e.t_us).collect();
        assert_eq!(times, expected);
        assert_eq!(summary.first_unix_us, Some(1_000_000));
    }
}

#[test]
fn a_truncated_capture_yields_what_precedes_the_cut_and_says_where() {
    let capture = pcap(&handshake(), false);
    let cut = capture.len() - 10;
    let (events, summary) = import(&capture[..cut]);
    assert_eq!(summary.tcp_packets, 2);
    assert!(matches!(kinds(&events)[1], EventKind::Connected { .. }));
    let last_record = cut - (16 + handshake()[2].1.len() - 10);
    assert_eq!(summary.stop, Some(Stop::Truncated { at: last_record }));
}

#[test]
fn what_is_not_a_capture_is_refused() {
    let open = |bytes: &[u8]| convert(bytes, |_| Ok(())).map(|_| ());
    assert!(matches!(open(b""), Err(Converted::Open(OpenError::Empty))));
    assert!(matches!(
        open(b"GET / HTTP/1.1\r\n\r\n"),
        Err(Converted::Open(OpenError::NotACapture))
    ));
}

#[test]
fn an_absurd_block_length_costs_no_allocation_of_it() {
    let mut capture = pcap(&handshake(), false);
    // The first record claims 4 GiB - 1 of captured data.
    capture[32..36].copy_from_slice(&u32::MAX.to_le_bytes());
    let (_, summary) = import(&capture);
    assert_eq!(summary.tcp_packets, 0);
    assert_eq!(summary.stop, Some(Stop::Truncated { at: 24 }));
}

#[test]
fn packets_after_a_close_belong_to_it_and_a_new_syn_opens_another_connection() {
    let (c, s) = (C_ISN + 1, S_ISN.wrapping_add(1));
    let mut frames = handshake();
    frames.extend([
        (2_000_000, frame(true, c, Some(s), FIN, b"")),
        (2_100_000, frame(false, s, Some(c + 1), FIN, b"")),
        (2_200_000, frame(true, c + 1, Some(s.wrapping_add(1)), NONE, b"")), // the last ACK
        (2_300_000, frame(false, s, Some(c + 1), FIN, b"")),                 // a retransmitted FIN
        (3_000_000, frame(true, 1, None, SYN, b"")),                         // the same ports again
    ]);
    let (events, summary) = import(&pcap(&frames, false));
    assert_eq!(summary.connections, 2);
    let opened: Vec<&EventKind> =
        events.iter().map(|e| &e.kind).filter(|k| matches!(k, EventKind::Connect { .. })).collect();
    assert_eq!(opened.len(), 2);
    assert!(matches!(opened[1], EventKind::Connect { conn: ConnId(2), .. }));
    let notes = events.iter().filter(|e| matches!(e.kind, EventKind::Error { .. })).count();
    assert_eq!(notes, 0, "no connection without a handshake was made up");
}

#[test]
fn a_big_endian_pcap_reads_as_the_little_endian_one() {
    let little = pcap(&handshake(), false);
    let mut big = Vec::with_capacity(little.len());
    let swap4 = |b: &[u8]| [b[3], b[2], b[1], b[0]];
    big.extend_from_slice(&swap4(&little[0..4]));
    big.extend_from_slice(&[little[5], little[4], little[7], little[6]]);
    for at in (8..24).step_by(4) {
        big.extend_from_slice(&swap4(&little[at..at + 4]));
    }
    let mut at = 24;
    while at < little.len() {
        for field in 0..4 {
            big.extend_from_slice(&swap4(&little[at + field * 4..at + field * 4 + 4]));
        }
        let len = u32::from_le_bytes(little[at + 8..at + 12].try_into().unwrap()) as usize;
        big.extend_from_slice(&little[at + 16..at + 16 + len]);
        at += 16 + len;
    }
    assert_eq!(import(&big), import(&little));
}
