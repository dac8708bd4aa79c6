use super::*;
use bytes::Bytes;
use etherparse::{NetSlice, SlicedPacket, TransportSlice};

fn ev(kind: EventKind) -> Event {
    Event { kind, t_us: 1 }
}

/// (source, destination, payload length, syn, fin, rst) of each packet.
fn summary(packets: &[Packet]) -> Vec<(String, String, usize, bool, bool, bool)> {
    packets
        .iter()
        .map(|p| {
            let sliced = SlicedPacket::from_ethernet(&p.bytes).expect("a valid packet");
            let (src, dst) = match sliced.net {
                Some(NetSlice::Ipv4(ip)) => (
                    ip.header().source_addr().to_string(),
                    ip.header().destination_addr().to_string(),
                ),
                Some(NetSlice::Ipv6(ip)) => (
                    ip.header().source_addr().to_string(),
                    ip.header().destination_addr().to_string(),
                ),
                _ => panic!("not IP"),
            };
            let Some(TransportSlice::Tcp(tcp)) = sliced.transport else { panic!("not TCP") };
            let src = format!("{src}:{}", tcp.source_port());
            let dst = format!("{dst}:{}", tcp.destination_port());
            (src, dst, tcp.payload().len(), tcp.syn(), tcp.fin(), tcp.rst())
        })
        .collect()
}

#[test]
fn unix_connections_get_stand_in_addresses_and_a_comment() {
    let mut flows = Flows::default();
    let mut out = Vec::new();
    let path: Address = "unix:/run/app.sock".parse().unwrap();
    let unnamed = Address::Unix(std::path::PathBuf::new());
    flows.apply(
        &ev(EventKind::Accept { conn: ConnId(2), listener: ConnId(1), local: path, peer: unnamed }),
        &mut out,
    );
    let data = Bytes::from_static(b"hi");
    flows.apply(&ev(EventKind::Recv { conn: ConnId(2), max: 9, len: 2, data }), &mut out);
    flows.apply(&ev(EventKind::Close { conn: ConnId(2), by: ClosedBy::Local }), &mut out);
    let packets = summary(&out);
    assert_eq!(packets[0].0, "127.2.0.2:40002", "the client's SYN");
    assert_eq!(packets[0].1, "127.1.0.1:10000");
    assert!(out[0].comment.as_deref().unwrap_or_default().contains("unix:/run/app.sock"));
    assert!(out[1..].iter().all(|p| p.comment.is_none()), "one comment per connection");
    assert_eq!(packets[3].2, 2, "the data segment");
    assert!(packets[4].4, "the close is a FIN from the socket's side");
}

#[test]
fn both_ends_in_one_recording_are_exported_once() {
    let mut flows = Flows::default();
    let mut out = Vec::new();
    let (a, b): (Address, Address) =
        ("127.0.0.1:5000".parse().unwrap(), "127.0.0.1:6000".parse().unwrap());
    flows.apply(
        &ev(EventKind::Connected { conn: ConnId(2), local: a.clone(), peer: b.clone() }),
        &mut out,
    );
    flows.apply(
        &ev(EventKind::Accept { conn: ConnId(3), listener: ConnId(1), local: b, peer: a }),
        &mut out,
    );
    let data = Bytes::from_static(b"x");
    flows.apply(
        &ev(EventKind::Send { conn: ConnId(2), requested: 1, len: 1, data: data.clone() }),
        &mut out,
    );
    flows.apply(&ev(EventKind::Recv { conn: ConnId(3), max: 9, len: 1, data }), &mut out);
    flows.apply(&ev(EventKind::Reset { conn: ConnId(3) }), &mut out);
    flows.apply(
        &ev(EventKind::Error {
            conn: ConnId(2),
            op: crate::event::Op::Recv,
            kind: ErrorKind::Reset,
            message: String::new(),
        }),
        &mut out,
    );
    let packets = summary(&out);
    assert_eq!(packets.iter().filter(|p| p.3).count(), 2, "one handshake: SYN, SYN-ACK");
    assert_eq!(packets.iter().filter(|p| p.2 > 0).count(), 1, "the byte once");
    assert_eq!(packets.iter().filter(|p| p.5).count(), 1, "one RST, from the peer");
    assert_eq!(packets.last().map(|p| p.0.as_str()), Some("127.0.0.1:6000"));
}

#[test]
fn a_connected_udp_socket_has_no_handshake_and_a_packet_per_datagram() {
    let mut flows = Flows::default();
    let mut out = Vec::new();
    let (local, peer): (Address, Address) =
        ("udp:0.0.0.0:5000".parse().unwrap(), "udp:[::1]:53".parse().unwrap());
    flows.apply(&ev(EventKind::Connected { conn: ConnId(2), local, peer: peer.clone() }), &mut out);
    let data = Bytes::from_static(b"query");
    let sent =
        EventKind::SendTo { conn: ConnId(2), peer: peer.clone(), requested: 5, len: 5, data };
    flows.apply(&ev(sent), &mut out);
    let (data, truncated) = (Bytes::from_static(b"ans"), Some(9));
    let got = EventKind::RecvFrom { conn: ConnId(2), peer, max: 3, len: 3, data, truncated };
    flows.apply(&ev(got), &mut out);
    let udp: Vec<(u16, u16, usize)> = (out.iter())
        .map(|p| match SlicedPacket::from_ethernet(&p.bytes).expect("valid").transport {
            Some(TransportSlice::Udp(udp)) => {
                (udp.source_port(), udp.destination_port(), udp.payload().len())
            }
            other => panic!("not UDP: {other:?}"),
        })
        .collect();
    assert_eq!(udp, [(5000, 53, 5), (53, 5000, 3)]);
    assert!(out[0].comment.as_deref().is_some_and(|c| c.contains("datagram socket #2")));
    assert!(out[1].comment.as_deref().is_some_and(|c| c.contains("a datagram of 9 bytes")));
}
