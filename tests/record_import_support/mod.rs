//! Captures built by hand for the import tests: Ethernet/IPv4/TCP frames made with
//! etherparse, written as a classic pcap (a 24-byte header, then a 16-byte header per record).
#![allow(dead_code)]

use etherparse::{PacketBuilder, TcpHeader};

/// What the client of the first built connection sends, and the server's reply.
pub const REQUEST: &[u8] = b"GET /a/fairly/long/path HTTP/1.1\r\nHost: example\r\n\r\n";
pub const REPLY: &[u8] = b"HTTP/1.1 204 No Content\r\n\r\n";
/// The second connection: bytes captured, bytes lost (never captured), bytes captured.
pub const GAPPED: (&[u8], &[u8], &[u8]) = (b"before the loss|", b"LOST BYTES", b"|after it");

const CLIENT: [u8; 4] = [10, 1, 0, 1];
const SERVER: [u8; 4] = [10, 1, 0, 2];
const SERVER_PORT: u16 = 7000;

/// One direction's view of a connection, to build its segments.
#[derive(Clone, Copy)]
struct Ends {
    client_port: u16,
    client_isn: u32,
    server_isn: u32,
}

#[derive(Clone, Copy, Default)]
pub struct Flags {
    pub syn: bool,
    pub fin: bool,
    pub rst: bool,
}

/// An Ethernet/IPv4/TCP frame.
#[must_use]
pub fn frame(
    src: ([u8; 4], u16),
    dst: ([u8; 4], u16),
    seq: u32,
    ack: Option<u32>,
    flags: Flags,
    payload: &[u8],
) -> Vec<u8> {
    let mut tcp = TcpHeader::new(src.1, dst.1, seq, 65535);
    (tcp.syn, tcp.fin, tcp.rst) = (flags.syn, flags.fin, flags.rst);
    tcp.ack = ack.is_some();
    tcp.acknowledgment_number = ack.unwrap_or(0);
    tcp.psh = !payload.is_empty();
    let mut out = Vec::new();
    PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2])
        .ipv4(src.0, dst.0, 64)
        .tcp_header(tcp)
        .write(&mut out, payload)
        .expect("a frame");
    out
}

/// A classic little-endian pcap, microsecond timestamps, of `frames` on link type `link`.
#[must_use]
pub fn pcap(link: u32, frames: &[(u64, Vec<u8>)]) -> Vec<u8> {
    let mut out = 0xa1b2_c3d4u32.to_le_bytes().to_vec();
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&4u16.to_le_bytes());
    for field in [0u32, 0, 262_144, link] {
        out.extend_from_slice(&field.to_le_bytes());
    }
    for (us, bytes) in frames {
        let len = u32::try_from(bytes.len()).unwrap();
        let secs = u32::try_from(us / 1_000_000).unwrap();
        let micros = u32::try_from(us % 1_000_000).unwrap();
        for field in [secs, micros, len, len] {
            out.extend_from_slice(&field.to_le_bytes());
        }
        out.extend_from_slice(bytes);
    }
    out
}

impl Ends {
    fn up(self, seq_off: u32, ack: bool, flags: Flags, payload: &[u8]) -> Vec<u8> {
        let ack = ack.then(|| self.server_isn.wrapping_add(1));
        let seq = self.client_isn.wrapping_add(1).wrapping_add(seq_off);
        frame((CLIENT, self.client_port), (SERVER, SERVER_PORT), seq, ack, flags, payload)
    }

    fn down(self, seq_off: u32, acked: u32, flags: Flags, payload: &[u8]) -> Vec<u8> {
        let ack = Some(self.client_isn.wrapping_add(1).wrapping_add(acked));
        let seq = self.server_isn.wrapping_add(1).wrapping_add(seq_off);
        frame((SERVER, SERVER_PORT), (CLIENT, self.client_port), seq, ack, flags, payload)
    }

    fn handshake(self, t: u64) -> Vec<(u64, Vec<u8>)> {
        let syn = Flags { syn: true, ..Flags::default() };
        let synack = frame(
            (SERVER, SERVER_PORT),
            (CLIENT, self.client_port),
            self.server_isn,
            Some(self.client_isn.wrapping_add(1)),
            syn,
            &[],
        );
        vec![
            (
                t,
                frame(
                    (CLIENT, self.client_port),
                    (SERVER, SERVER_PORT),
                    self.client_isn,
                    None,
                    syn,
                    &[],
                ),
            ),
            (t + 100, synack),
            (t + 200, self.up(0, true, Flags::default(), &[])),
        ]
    }
}

fn off(n: usize) -> u32 {
    u32::try_from(n).unwrap()
}

/// Two connections. The first (its client's sequence numbers wrap) sends [`REQUEST`] as
/// A, C (ahead of B), A again (a retransmission), B' (overlapping A and C, with different
/// bytes where it overlaps them: the first copy must win), D; the server answers [`REPLY`]
/// (sent twice), and both sides FIN. The second sends [`GAPPED`] with its middle part lost,
/// the server acknowledges all of it (1.003 s after the first packet), and the capture ends
/// half a second later with the connection open.
#[must_use]
pub fn built() -> Vec<u8> {
    let none = Flags::default();
    let fin = Flags { fin: true, ..Flags::default() };
    let first = Ends { client_port: 50001, client_isn: u32::MAX - 20, server_isn: 1000 };
    let (a, b, c) = (10, 25, 40);
    let mut overlapping = REQUEST[5..30].to_vec();
    overlapping[..5].fill(b'X');
    overlapping[20..].fill(b'Y');
    let total = off(REQUEST.len());
    let mut frames = first.handshake(1_000_000);
    frames.extend([
        (1_001_000, first.up(0, true, none, &REQUEST[..a])),
        (1_002_000, first.up(off(b), true, none, &REQUEST[b..c])),
        (1_003_000, first.up(0, true, none, &REQUEST[..a])),
        (1_004_000, first.up(5, true, none, &overlapping)),
        (1_005_000, first.up(off(c), true, none, &REQUEST[c..])),
        (1_006_000, first.down(0, total, none, REPLY)),
        (1_007_000, first.down(0, total, none, REPLY)),
        (1_008_000, first.up(total, true, fin, &[])),
        (1_009_000, first.down(off(REPLY.len()), total + 1, fin, &[])),
    ]);
    let second = Ends { client_port: 50002, client_isn: 77, server_isn: 9000 };
    let (before, lost, after) = GAPPED;
    let all = off(before.len() + lost.len() + after.len());
    frames.extend(second.handshake(2_000_000));
    frames.extend([
        (2_001_000, second.up(0, true, none, before)),
        (2_002_000, second.up(off(before.len() + lost.len()), true, none, after)),
        (2_003_000, second.down(0, all, none, &[])),
        (2_500_000, second.up(all, true, none, &[])),
    ]);
    pcap(1, &frames)
}

/// A capture of one UDP datagram and nothing else.
#[must_use]
pub fn udp_only() -> Vec<u8> {
    let mut udp = Vec::new();
    PacketBuilder::ethernet2([2; 6], [4; 6])
        .ipv4(CLIENT, SERVER, 64)
        .udp(5353, 5353)
        .write(&mut udp, b"not tcp")
        .unwrap();
    pcap(1, &[(5, udp)])
}

/// A capture on a link type the importer does not read (147, a user-defined one).
#[must_use]
pub fn unknown_link() -> Vec<u8> {
    pcap(147, &[(5, b"opaque".to_vec())])
}
