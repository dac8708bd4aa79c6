use super::{Decoded, decode};
use etherparse::{PacketBuilder, TcpHeader};
use std::net::SocketAddr;

fn ip_packet(v6: bool, payload: &[u8]) -> Vec<u8> {
    let builder = if v6 {
        PacketBuilder::ipv6([0xfd; 16], [0xfe; 16], 64)
    } else {
        PacketBuilder::ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64)
    };
    let mut tcp = TcpHeader::new(40000, 80, 7, 1000);
    tcp.ack = true;
    tcp.acknowledgment_number = 99;
    tcp.psh = true;
    let mut out = Vec::new();
    builder.tcp_header(tcp).write(&mut out, payload).unwrap();
    out
}

fn ethernet(vlan: bool, payload: &[u8]) -> Vec<u8> {
    let builder = PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2]);
    let mut tcp = TcpHeader::new(40000, 80, 7, 1000);
    tcp.syn = true;
    let (from, to) = ([10, 0, 0, 1], [10, 0, 0, 2]);
    let mut out = Vec::new();
    if vlan {
        let tagged = builder.single_vlan(etherparse::VlanId::try_new(5).unwrap());
        tagged.ipv4(from, to, 64).tcp_header(tcp).write(&mut out, payload).unwrap();
    } else {
        builder.ipv4(from, to, 64).tcp_header(tcp).write(&mut out, payload).unwrap();
    }
    out
}

fn tcp(decoded: Decoded<'_>) -> super::Segment<'_> {
    match decoded {
        Decoded::Tcp(segment) => segment,
        other => panic!("not a TCP segment: {other:?}"),
    }
}

#[test]
fn ethernet_with_and_without_a_vlan_tag() {
    for vlan in [false, true] {
        let frame = ethernet(vlan, b"hi");
        let segment = tcp(decode(1, &frame));
        assert_eq!(segment.src, "10.0.0.1:40000".parse::<SocketAddr>().unwrap());
        assert_eq!(segment.dst, "10.0.0.2:80".parse::<SocketAddr>().unwrap());
        assert!(segment.syn && segment.ack.is_none() && !segment.fin && !segment.rst);
        assert_eq!((segment.seq, segment.payload, segment.missing), (7, &b"hi"[..], 0));
    }
}

#[test]
fn ethernet_padding_is_not_payload() {
    let mut frame = ethernet(false, b"");
    frame.extend_from_slice(&[0; 6]);
    assert_eq!(tcp(decode(1, &frame)).payload, b"");
}

#[test]
fn a_frame_cut_by_the_snapshot_length_says_how_many_bytes_are_missing() {
    let frame = ethernet(false, &[b'x'; 100]);
    let cut = &frame[..frame.len() - 40];
    let segment = tcp(decode(1, cut));
    assert_eq!((segment.payload.len(), segment.missing), (60, 40));
}

#[test]
fn raw_ip_cooked_and_loopback_links() {
    for v6 in [false, true] {
        let ip = ip_packet(v6, b"data");
        let family: u16 = if v6 { 0x86dd } else { 0x0800 };
        let mut sll = vec![0; 14];
        sll.extend_from_slice(&family.to_be_bytes());
        sll.extend_from_slice(&ip);
        let mut sll2 = family.to_be_bytes().to_vec();
        sll2.extend_from_slice(&[0; 18]);
        sll2.extend_from_slice(&ip);
        let af: u32 = if v6 { 30 } else { 2 };
        let mut null = af.to_le_bytes().to_vec();
        null.extend_from_slice(&ip);
        let mut null_be = af.to_be_bytes().to_vec();
        null_be.extend_from_slice(&ip);
        let raw_link = if v6 { 229 } else { 228 };
        let frames =
            [(101, &ip), (raw_link, &ip), (113, &sll), (276, &sll2), (0, &null), (0, &null_be)];
        for (link, frame) in frames {
            let segment = tcp(decode(link, frame));
            assert_eq!(segment.payload, b"data", "link {link}, IPv6 {v6}");
            assert_eq!(segment.ack, Some(99));
            assert_eq!(segment.src.is_ipv6(), v6);
        }
    }
}

#[test]
fn other_packets_and_links_are_told_apart() {
    let mut udp = Vec::new();
    PacketBuilder::ipv4([1, 1, 1, 1], [2, 2, 2, 2], 9).udp(1, 2).write(&mut udp, b"u").unwrap();
    assert_eq!(decode(101, &udp), Decoded::Other);
    assert_eq!(decode(101, b"\x45garbage"), Decoded::Other);
    assert_eq!(decode(113, b"short"), Decoded::Other);
    assert_eq!(decode(147, &udp), Decoded::UnknownLink);
}
