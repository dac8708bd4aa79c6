//! One TCP connection as packets on a wire: handshake, data segments, FIN and RST, with
//! sequence and acknowledgement numbers that stay consistent in both directions.

use etherparse::{PacketBuilder, TcpHeader};
use std::net::{IpAddr, SocketAddr};

/// Largest payload in one synthesised segment (IPv4 and IPv6 lengths are 16-bit).
pub const MAX_SEGMENT: usize = 65_000;
const WINDOW: u16 = 65_535;
pub(super) const TTL: u8 = 64;
pub(super) const LOCAL_MAC: [u8; 6] = [0x02, 0, 0, 0, 0, 0x01];
pub(super) const PEER_MAC: [u8; 6] = [0x02, 0, 0, 0, 0, 0x02];

/// Which end of the connection a segment leaves from: the socket sockscope owned, or its peer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum From {
    Local,
    Peer,
}

/// TCP flags a segment carries besides ACK (always set once the handshake began).
#[derive(Clone, Copy, Debug, Default)]
pub struct Flags {
    pub syn: bool,
    pub fin: bool,
    pub rst: bool,
}

/// The state of one synthesised connection.
#[derive(Debug)]
pub struct Flow {
    local: SocketAddr,
    peer: SocketAddr,
    /// Next sequence number each side sends.
    local_next: u32,
    peer_next: u32,
    pub local_fin: bool,
    pub peer_fin: bool,
    pub reset: bool,
    /// A note for the first packet (which connection this is).
    comment: Option<String>,
}

impl Flow {
    /// A flow between two addresses; the initial sequence numbers derive from `seed` so that
    /// exports are reproducible.
    #[must_use]
    pub fn new(local: SocketAddr, peer: SocketAddr, seed: u64, comment: String) -> Self {
        let isn = (seed as u32).wrapping_mul(0x9E37_79B9);
        Self {
            local: same_family(local, peer),
            peer: same_family(peer, local),
            local_next: isn,
            peer_next: isn ^ 0x5555_0000,
            local_fin: false,
            peer_fin: false,
            reset: false,
            comment: Some(comment),
        }
    }

    /// SYN from the side that connected, SYN-ACK, ACK.
    pub fn handshake(&mut self, client: From, out: &mut Vec<Packet>) {
        let server = other(client);
        let syn = Flags { syn: true, ..Flags::default() };
        out.push(self.segment(client, syn, false, &[]));
        out.push(self.segment(server, syn, true, &[]));
        out.push(self.segment(client, Flags::default(), true, &[]));
    }

    /// Data from one side, cut into segments of at most [`MAX_SEGMENT`] bytes.
    pub fn data(&mut self, from: From, bytes: &[u8], out: &mut Vec<Packet>) {
        for piece in bytes.chunks(MAX_SEGMENT) {
            out.push(self.segment(from, Flags::default(), true, piece));
        }
    }

    /// FIN from one side (once), acknowledged by the other.
    pub fn fin(&mut self, from: From, out: &mut Vec<Packet>) {
        let sent = match from {
            From::Local => &mut self.local_fin,
            From::Peer => &mut self.peer_fin,
        };
        if std::mem::replace(sent, true) || self.reset {
            return;
        }
        out.push(self.segment(from, Flags { fin: true, ..Flags::default() }, true, &[]));
        out.push(self.segment(other(from), Flags::default(), true, &[]));
    }

    /// RST from one side (once); nothing follows it.
    pub fn rst(&mut self, from: From, out: &mut Vec<Packet>) {
        if !std::mem::replace(&mut self.reset, true) {
            out.push(self.segment(from, Flags { rst: true, ..Flags::default() }, true, &[]));
        }
    }

    fn segment(&mut self, from: From, flags: Flags, ack: bool, payload: &[u8]) -> Packet {
        let (src, dst, src_mac, dst_mac) = match from {
            From::Local => (self.local, self.peer, LOCAL_MAC, PEER_MAC),
            From::Peer => (self.peer, self.local, PEER_MAC, LOCAL_MAC),
        };
        let (seq, ack_number) = match from {
            From::Local => (self.local_next, self.peer_next),
            From::Peer => (self.peer_next, self.local_next),
        };
        let mut tcp = TcpHeader::new(src.port(), dst.port(), seq, WINDOW);
        tcp.syn = flags.syn;
        tcp.fin = flags.fin;
        tcp.rst = flags.rst;
        tcp.psh = !payload.is_empty();
        tcp.ack = ack;
        tcp.acknowledgment_number = if ack { ack_number } else { 0 };
        let builder = PacketBuilder::ethernet2(src_mac, dst_mac);
        let builder = match (src.ip(), dst.ip()) {
            (IpAddr::V4(s), IpAddr::V4(d)) => builder.ipv4(s.octets(), d.octets(), TTL),
            (s, d) => builder.ipv6(v6(s), v6(d), TTL),
        };
        let mut bytes = Vec::with_capacity(payload.len() + 80);
        // Writing into a Vec fails only if the payload does not fit an IP packet, which
        // MAX_SEGMENT rules out.
        let _ = builder.tcp_header(tcp).write(&mut bytes, payload);
        let advance = payload.len() as u32 + u32::from(flags.syn) + u32::from(flags.fin);
        let next = match from {
            From::Local => &mut self.local_next,
            From::Peer => &mut self.peer_next,
        };
        *next = next.wrapping_add(advance);
        Packet { bytes, comment: self.comment.take() }
    }
}

/// One synthesised packet, and a note for its pcapng comment.
#[derive(Debug)]
pub struct Packet {
    pub bytes: Vec<u8>,
    pub comment: Option<String>,
}

fn other(from: From) -> From {
    match from {
        From::Local => From::Peer,
        From::Peer => From::Local,
    }
}

pub(super) fn v6(ip: IpAddr) -> [u8; 16] {
    match ip {
        IpAddr::V4(v4) => v4.to_ipv6_mapped().octets(),
        IpAddr::V6(v6) => v6.octets(),
    }
}

/// An IPv4 address next to an IPv6 one becomes IPv4-mapped, so both ends of a packet are of
/// one family.
pub(super) fn same_family(addr: SocketAddr, other: SocketAddr) -> SocketAddr {
    match (addr.ip(), other.ip()) {
        (IpAddr::V4(v4), IpAddr::V6(_)) => {
            SocketAddr::new(IpAddr::V6(v4.to_ipv6_mapped()), addr.port())
        }
        _ => addr,
    }
}
