//! Datagram sockets as UDP packets: one packet per `recvfrom` (from the peer to the socket)
//! and per `sendto` (from the socket to its peer), between the recorded addresses, so that
//! tshark's `-z follow,udp` shows each datagram's bytes. A truncated datagram carries only the
//! bytes the recording has, and its comment says how long it was.

use super::flow::{LOCAL_MAC, PEER_MAC, Packet, TTL, same_family, v6};
use crate::event::ConnId;
use etherparse::PacketBuilder;
use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// The local address of each open UDP socket, and which have had their first packet.
#[derive(Debug, Default)]
pub(super) struct Datagrams {
    locals: HashMap<ConnId, SocketAddr>,
    introduced: HashSet<ConnId>,
}

/// Which way a datagram went.
#[derive(Clone, Copy, Debug)]
pub(super) enum Way {
    /// `recvfrom`: from the peer to the socket; `Some`: its real length, when truncated.
    In(Option<usize>),
    /// `sendto`: from the socket to the peer.
    Out,
}

impl Datagrams {
    /// A UDP socket bound or connected at `local` (an unspecified address becomes loopback:
    /// that is where its loopback peers sent to).
    pub(super) fn open(&mut self, conn: ConnId, local: SocketAddr) {
        let ip = match local.ip() {
            IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        self.locals.insert(conn, SocketAddr::new(ip, local.port()));
    }

    pub(super) fn close(&mut self, conn: ConnId) {
        self.locals.remove(&conn);
        self.introduced.remove(&conn);
    }

    /// The packet of one datagram of `conn` to or from `peer`.
    pub(super) fn packet(
        &mut self,
        conn: ConnId,
        peer: SocketAddr,
        way: Way,
        payload: &[u8],
    ) -> Option<Packet> {
        let local = *self.locals.get(&conn)?;
        let (local, peer) = (same_family(local, peer), same_family(peer, local));
        let (src, dst, src_mac, dst_mac) = match way {
            Way::In(_) => (peer, local, PEER_MAC, LOCAL_MAC),
            Way::Out => (local, peer, LOCAL_MAC, PEER_MAC),
        };
        let builder = PacketBuilder::ethernet2(src_mac, dst_mac);
        let builder = match (src.ip(), dst.ip()) {
            (IpAddr::V4(s), IpAddr::V4(d)) => builder.ipv4(s.octets(), d.octets(), TTL),
            (s, d) => builder.ipv6(v6(s), v6(d), TTL),
        };
        let mut bytes = Vec::with_capacity(payload.len() + 70);
        // A datagram larger than an IPv4 packet holds (IPv6 allows a few more bytes) cannot
        // be written: it is left out rather than cut.
        builder.udp(src.port(), dst.port()).write(&mut bytes, payload).ok()?;
        let mut notes = Vec::new();
        if self.introduced.insert(conn) {
            notes.push(format!("sockscope datagram socket #{}", conn.0));
        }
        if let Way::In(Some(full)) = way {
            notes
                .push(format!("truncated: a datagram of {full} bytes, {} recorded", payload.len()));
        }
        let comment = (!notes.is_empty()).then(|| notes.join("; "));
        Some(Packet { bytes, comment })
    }
}
