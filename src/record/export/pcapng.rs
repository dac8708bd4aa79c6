//! `export --format pcapng`: the recording as a capture Wireshark and tshark can follow.
//!
//! sockscope sees socket calls, not packets, so the packets are synthesised, one TCP
//! connection per recorded stream socket: Ethernet, IPv4 or IPv6 with the recorded addresses,
//! and TCP with a handshake when the connection was accepted or completed, a segment (at most
//! 65 000 bytes each) per `recv` and `send` (`pipe_read` and `splice_out` under `--relay
//! splice`), FIN on `eof` (from the peer) and on `shutdown(write)` or an orderly close (from
//! the socket), RST on `reset` (ours) and on a reset by the peer. Sequence and acknowledgement
//! numbers follow the bytes, so "Follow TCP Stream" shows exactly what was sent each way.
//! Timestamps are the recording's times.
//!
//! What a capture cannot show as recorded:
//! - handshakes carry the time of `connected`/`accept`: the local port of a connect is only
//!   known then; a connect that never completed has no packets;
//! - when both ends of one connection are in the recording (a demo that talks to itself), it
//!   is exported once, from the end that appeared first;
//! - Unix domain sockets have no IP addresses: each such connection gets synthesised ones,
//!   the client `127.2.H.L` (from the connection id) port `40000 + id % 20000`, the server
//!   `127.1.0.1` port 10000, and its first packet's comment names the socket path.
//!
//! UDP sockets become UDP packets, one per `recvfrom` and `sendto` (see `datagram.rs`); Unix
//! datagram sockets, which have no addresses a packet could carry, are left out.
//!
//! Every connection's first packet has a comment naming its sockscope connection id.
//!
//! A TLS connection's segments carry what its socket sent and received, the ciphertext; the
//! recording's TLS secrets go before the first packet as a Decryption Secrets Block, so
//! Wireshark and tshark decrypt with no key file. With [`Payload::Plaintext`] they carry its
//! plaintext instead (`tls_read` and `tls_write`), and no secrets are needed.

mod blocks;
mod datagram;
mod flow;

use super::select::Selection;
use crate::event::{Address, ClosedBy, ConnId, ErrorKind, Event, EventKind, How};
use crate::record::Reader;
use datagram::Way;
use flow::{Flow, From, Packet};
use std::collections::{HashMap, HashSet};
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr};

pub use flow::MAX_SEGMENT;

const SECTION_COMMENT: &str = "Synthesised by sockscope from a recording of socket calls: \
     the packets carry the recorded bytes, addresses and times; handshakes, window and \
     acknowledgements are made up.";

/// Writes every event the reader gives as packets; the reader's ending says whether that
/// was the whole recording.
pub fn write<R: Read>(reader: &mut Reader<R>, out: &mut impl Write) -> io::Result<()> {
    write_selected(reader, out, &Selection::all())
}

/// What the segments of TLS connections carry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Payload {
    /// The wire bytes (ciphertext), after a Decryption Secrets Block holding this key log
    /// text (none when it is empty).
    Wire { secrets: String },
    /// The plaintext of these TLS connections in place of their wire bytes.
    Plaintext { tls: HashSet<ConnId> },
}

/// [`write`], of the events `selection` keeps.
pub fn write_selected<R: Read>(
    reader: &mut Reader<R>,
    out: &mut impl Write,
    selection: &Selection,
) -> io::Result<()> {
    write_with(reader, out, selection, &Payload::Wire { secrets: String::new() })
}

/// [`write_selected`], with TLS connections as `payload` says.
pub fn write_with<R: Read>(
    reader: &mut Reader<R>,
    out: &mut impl Write,
    selection: &Selection,
    payload: &Payload,
) -> io::Result<()> {
    blocks::write_header(out, &crate::event::tool_name(), SECTION_COMMENT)?;
    let mut flows = Flows::default();
    match payload {
        Payload::Wire { secrets } if !secrets.is_empty() => {
            blocks::write_tls_secrets(out, secrets)?;
        }
        Payload::Wire { .. } => {}
        Payload::Plaintext { tls } => flows.plaintext.clone_from(tls),
    }
    let mut packets = Vec::new();
    while let Some((_, event)) = reader.next() {
        if !selection.keeps(&event) {
            continue;
        }
        let unix_us = reader.clock().map_or(event.t_us, |clock| clock.unix_us_at(event.t_us));
        flows.apply(&event, &mut packets);
        for packet in packets.drain(..) {
            blocks::write_packet(out, unix_us, &packet.bytes, packet.comment.as_deref())?;
        }
    }
    out.flush()
}

/// The connections open so far, keyed by connection id.
#[derive(Debug, Default)]
struct Flows {
    open: HashMap<ConnId, Flow>,
    /// (local, peer) of each open flow, to recognise the other end of one already exported.
    tuples: HashMap<(SocketAddr, SocketAddr), ConnId>,
    mirrors: HashSet<ConnId>,
    datagrams: datagram::Datagrams,
    /// TLS connections whose plaintext the segments carry instead of their wire bytes.
    plaintext: HashSet<ConnId>,
}

impl Flows {
    fn apply(&mut self, event: &Event, out: &mut Vec<Packet>) {
        use EventKind as K;
        match &event.kind {
            K::Accept { conn, local, peer, .. } => self.open(*conn, local, peer, From::Peer, out),
            K::Listen { conn, local: Address::Udp(local) }
            | K::Connected { conn, local: Address::Udp(local), .. } => {
                self.datagrams.open(*conn, *local);
            }
            K::Connected { conn, local, peer } => self.open(*conn, local, peer, From::Local, out),
            K::RecvFrom { conn, peer: Address::Udp(peer), data, truncated, .. } => {
                out.extend(self.datagrams.packet(*conn, *peer, Way::In(*truncated), data));
            }
            K::SendTo { conn, peer: Address::Udp(peer), data, .. } => {
                out.extend(self.datagrams.packet(*conn, *peer, Way::Out, data));
            }
            // A TLS connection's segments carry its wire bytes or its plaintext, not both.
            // A splice relay's `pipe_read` and `splice_out` are its `recv` and `send`.
            K::Recv { conn, data, .. }
            | K::PipeRead { conn, data, .. }
            | K::TlsRead { conn, data, .. }
                if self.plaintext.contains(conn) == matches!(event.kind, K::TlsRead { .. }) =>
            {
                self.with(*conn, |f, out| f.data(From::Peer, data, out), out);
            }
            K::Send { conn, data, .. }
            | K::SpliceOut { conn, data, .. }
            | K::TlsWrite { conn, data, .. }
                if self.plaintext.contains(conn) == matches!(event.kind, K::TlsWrite { .. }) =>
            {
                self.with(*conn, |f, out| f.data(From::Local, data, out), out);
            }
            K::Eof { conn } => self.with(*conn, |f, out| f.fin(From::Peer, out), out),
            K::Shutdown { conn, how: How::Write | How::Both } => {
                self.with(*conn, |f, out| f.fin(From::Local, out), out);
            }
            K::Reset { conn } => self.with(*conn, |f, out| f.rst(From::Local, out), out),
            K::Error { conn, kind: ErrorKind::Reset, .. } => {
                self.with(*conn, |f, out| f.rst(From::Peer, out), out);
            }
            K::Close { conn, by } => self.close(*conn, *by, out),
            _ => {}
        }
    }

    fn with(
        &mut self,
        conn: ConnId,
        act: impl FnOnce(&mut Flow, &mut Vec<Packet>),
        out: &mut Vec<Packet>,
    ) {
        if let Some(flow) = self.open.get_mut(&conn) {
            act(flow, out);
        }
    }

    fn open(
        &mut self,
        conn: ConnId,
        local: &Address,
        peer: &Address,
        client: From,
        out: &mut Vec<Packet>,
    ) {
        let (local_ip, peer_ip, note) = match (local.ip(), peer.ip()) {
            (Some(l), Some(p)) => (l, p, format!("sockscope connection #{}", conn.0)),
            _ => unix_stand_ins(conn, local, peer, client),
        };
        if self.tuples.contains_key(&(peer_ip, local_ip)) {
            self.mirrors.insert(conn);
            return;
        }
        self.tuples.insert((local_ip, peer_ip), conn);
        let mut flow = Flow::new(local_ip, peer_ip, conn.0, note);
        flow.handshake(client, out);
        self.open.insert(conn, flow);
    }

    /// An orderly close sends our FIN if `shutdown` did not; a reset by the peer is its RST.
    fn close(&mut self, conn: ConnId, by: ClosedBy, out: &mut Vec<Packet>) {
        self.mirrors.remove(&conn);
        self.datagrams.close(conn);
        let Some(mut flow) = self.open.remove(&conn) else { return };
        self.tuples.retain(|_, id| *id != conn);
        match by {
            ClosedBy::Reset => flow.rst(From::Peer, out),
            ClosedBy::Local | ClosedBy::Peer | ClosedBy::Error => flow.fin(From::Local, out),
        }
    }
}

/// Stand-in IP addresses for a Unix domain connection, and the comment that explains them.
fn unix_stand_ins(
    conn: ConnId,
    local: &Address,
    peer: &Address,
    client: From,
) -> (SocketAddr, SocketAddr, String) {
    let [.., high, low] = conn.0.to_be_bytes();
    let client_addr =
        SocketAddr::new(Ipv4Addr::new(127, 2, high, low).into(), 40_000 + (conn.0 % 20_000) as u16);
    let server_addr = SocketAddr::new(Ipv4Addr::new(127, 1, 0, 1).into(), 10_000);
    let note = format!(
        "sockscope connection #{}: {local} (local) with {peer} (peer); a Unix domain socket, \
         shown with stand-in addresses",
        conn.0
    );
    match client {
        From::Local => (client_addr, server_addr, note),
        From::Peer => (server_addr, client_addr, note),
    }
}

#[cfg(test)]
mod tests;
