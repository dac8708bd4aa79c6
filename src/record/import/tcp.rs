//! From a captured frame to a TCP segment: the link layers captures use, then IPv4 or IPv6
//! (VLAN tags included) and TCP, with `etherparse`.
//!
//! Parsing is lax about lengths on purpose: a frame cut short by the snapshot length still
//! yields the payload it holds, and the IP header's length says how many bytes are missing
//! (never invented). Trailing Ethernet padding is not payload: the IP length ends it.
//! Checksums are not checked: captures made on the sending host carry the checksums the
//! network card was left to fill in.

use etherparse::{EtherType, LaxNetSlice, LaxSlicedPacket, TransportSlice};
use std::net::{IpAddr, SocketAddr};

/// `LINKTYPE_NULL`: BSD loopback, a 4-byte address family in the capturing host's byte order.
const NULL: i32 = 0;
const ETHERNET: i32 = 1;
/// `LINKTYPE_RAW` and its aliases `DLT_RAW` (12, 14 on some systems), IPv4, IPv6.
const RAW: [i32; 5] = [101, 12, 14, 228, 229];
/// `LINKTYPE_LOOP`: OpenBSD loopback, the family in network byte order.
const LOOP: i32 = 108;
const LINUX_SLL: i32 = 113;
const LINUX_SLL2: i32 = 276;

/// One TCP segment as captured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment<'a> {
    pub src: SocketAddr,
    pub dst: SocketAddr,
    pub seq: u32,
    /// The acknowledgement number, when the ACK flag is set.
    pub ack: Option<u32>,
    pub syn: bool,
    pub fin: bool,
    pub rst: bool,
    /// The payload bytes the capture holds.
    pub payload: &'a [u8],
    /// Payload bytes the IP length announces after those, which the capture does not hold.
    pub missing: u32,
}

/// What a frame turned out to be.
#[derive(Debug, PartialEq, Eq)]
pub enum Decoded<'a> {
    Tcp(Segment<'a>),
    /// Not TCP over IP (ARP, UDP, a fragment, a header cut short...).
    Other,
    /// A link type this importer does not read.
    UnknownLink,
}

/// Decodes one frame captured on a link of type `link`.
#[must_use]
pub fn decode(link: i32, data: &[u8]) -> Decoded<'_> {
    let sliced = match link {
        ETHERNET => LaxSlicedPacket::from_ethernet(data).ok(),
        LINUX_SLL => {
            ether_type_at(data, 14).map(|t| LaxSlicedPacket::from_ether_type(t, &data[16..]))
        }
        LINUX_SLL2 => {
            ether_type_at(data, 0).map(|t| LaxSlicedPacket::from_ether_type(t, &data[20..]))
        }
        NULL | LOOP => {
            loopback_family(link, data).map(|t| LaxSlicedPacket::from_ether_type(t, &data[4..]))
        }
        raw if RAW.contains(&raw) => LaxSlicedPacket::from_ip(data).ok(),
        _ => return Decoded::UnknownLink,
    };
    sliced.and_then(|packet| segment(&packet)).map_or(Decoded::Other, Decoded::Tcp)
}

/// The `EtherType` at `at` in a Linux cooked header (SLL: 16 bytes, SLL2: 20 bytes).
fn ether_type_at(data: &[u8], at: usize) -> Option<EtherType> {
    let header = if at == 0 { 20 } else { 16 };
    if data.len() < header {
        return None;
    }
    Some(EtherType(u16::from_be_bytes([data[at], data[at + 1]])))
}

/// The address family of a BSD loopback header, as the `EtherType` of the packet after it.
fn loopback_family(link: i32, data: &[u8]) -> Option<EtherType> {
    let raw: [u8; 4] = data.get(..4)?.try_into().ok()?;
    let family = match link {
        LOOP => u32::from_be_bytes(raw),
        // Written in the capturing host's order: whichever reading is small is the right one.
        _ => u32::from_le_bytes(raw).min(u32::from_be_bytes(raw)),
    };
    match family {
        2 => Some(EtherType::IPV4),
        // AF_INET6 is 24 (NetBSD, OpenBSD), 28 (FreeBSD), 30 (macOS).
        24 | 28 | 30 => Some(EtherType::IPV6),
        _ => None,
    }
}

fn segment<'a>(packet: &LaxSlicedPacket<'a>) -> Option<Segment<'a>> {
    let net = packet.net.as_ref()?;
    let (src, dst, announced) = match net {
        LaxNetSlice::Ipv4(ip) => {
            let header = ip.header();
            let exts = ip.extensions().auth.map_or(0, |auth| auth.slice().len());
            let announced = usize::from(header.total_len())
                .saturating_sub(usize::from(header.ihl()) * 4 + exts);
            (IpAddr::V4(header.source_addr()), IpAddr::V4(header.destination_addr()), announced)
        }
        LaxNetSlice::Ipv6(ip) => {
            let header = ip.header();
            let exts = ip.extensions().slice().len();
            let announced = usize::from(header.payload_length()).saturating_sub(exts);
            (IpAddr::V6(header.source_addr()), IpAddr::V6(header.destination_addr()), announced)
        }
        LaxNetSlice::Arp(_) => return None,
    };
    let ip_payload = net.ip_payload_ref()?;
    if ip_payload.fragmented {
        return None;
    }
    let Some(TransportSlice::Tcp(tcp)) = &packet.transport else { return None };
    let payload = tcp.payload();
    let missing = if ip_payload.incomplete {
        let header = usize::from(tcp.data_offset()) * 4;
        announced.saturating_sub(header + payload.len())
    } else {
        0
    };
    Some(Segment {
        src: SocketAddr::new(src, tcp.source_port()),
        dst: SocketAddr::new(dst, tcp.destination_port()),
        seq: tcp.sequence_number(),
        ack: tcp.ack().then(|| tcp.acknowledgment_number()),
        syn: tcp.syn(),
        fin: tcp.fin(),
        rst: tcp.rst(),
        payload,
        missing: u32::try_from(missing).unwrap_or(u32::MAX),
    })
}

#[cfg(test)]
mod tests;
