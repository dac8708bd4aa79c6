//! Datagram sockets in the engine over loopback with real peers (std sockets): boundaries kept
//! at every size, truncation reported with the real length, echo to several senders, connected
//! sockets, ICMP "port unreachable", EMSGSIZE, IPv6, Unix datagram and abstract names.

mod common;

use common::Harness;
use sockscope::engine::EngineConfig;
use sockscope::event::{Address, ClosedBy, Command, ConnId, ErrorKind, EventKind, Op};
use std::net::UdpSocket;
use std::os::unix::net::UnixDatagram;

fn udp(addr: &Address) -> std::net::SocketAddr {
    match addr {
        Address::Udp(ip) => *ip,
        other => panic!("not a UDP address: {other}"),
    }
}

fn client(bind: &str) -> UdpSocket {
    let socket = UdpSocket::bind(bind).expect("client binds");
    socket.set_read_timeout(Some(common::DEADLINE)).expect("timeout");
    socket
}

/// Every `recvfrom` on `conn`: (peer, len, data, truncated).
fn datagrams(h: &Harness, conn: ConnId) -> Vec<(Address, usize, Vec<u8>, Option<usize>)> {
    (h.seen.iter())
        .filter_map(|e| match &e.kind {
            EventKind::RecvFrom { conn: c, peer, len, data, truncated, .. } if *c == conn => {
                Some((peer.clone(), *len, data.to_vec(), *truncated))
            }
            _ => None,
        })
        .collect()
}

fn count_recvfrom(h: &Harness, conn: ConnId) -> usize {
    h.count(|e| matches!(e.kind, EventKind::RecvFrom { conn: c, .. } if c == conn))
}

#[test]
fn each_datagram_is_one_recvfrom_at_every_size() {
    let mut h = Harness::start(EngineConfig::default());
    let (conn, addr) = h.listen("udp:127.0.0.1:0");
    let sender = client("127.0.0.1:0");
    let sizes = [0, 1, 1472, 9000, 65_507];
    for (i, size) in sizes.into_iter().enumerate() {
        let payload: Vec<u8> = (0..size).map(|n| (n + i) as u8).collect();
        sender.send_to(&payload, udp(&addr)).expect("send");
        common::eventually("the datagram arrives", || {
            h.pump();
            count_recvfrom(&h, conn) == i + 1
        });
    }
    let got = datagrams(&h, conn);
    let me = Address::Udp(sender.local_addr().unwrap());
    for (i, (peer, len, data, truncated)) in got.into_iter().enumerate() {
        let expected: Vec<u8> = (0..sizes[i]).map(|n| (n + i) as u8).collect();
        assert_eq!((peer, len, truncated), (me.clone(), sizes[i], None), "datagram {i}");
        assert_eq!(data, expected, "datagram {i}'s bytes");
    }
}

#[test]
fn a_datagram_longer_than_the_buffer_is_reported_truncated_with_its_real_length() {
    let mut h = Harness::start(EngineConfig { recv_chunk: 100, ..EngineConfig::default() });
    let (conn, addr) = h.listen("udp:127.0.0.1:0");
    let sender = client("127.0.0.1:0");
    sender.send_to(&[7u8; 300], udp(&addr)).unwrap();
    sender.send_to(&[8u8; 100], udp(&addr)).unwrap();
    common::eventually("two datagrams", || {
        h.pump();
        count_recvfrom(&h, conn) == 2
    });
    let got = datagrams(&h, conn);
    assert_eq!((got[0].1, got[0].3, got[0].2.len()), (100, Some(300), 100));
    assert_eq!((got[1].1, got[1].3), (100, None), "exactly the buffer's size is no truncation");
}

#[test]
fn echo_answers_each_sender_with_its_own_datagrams() {
    let mut h = Harness::start(EngineConfig { echo: true, ..EngineConfig::default() });
    let (conn, addr) = h.listen("udp:127.0.0.1:0");
    let clients: Vec<UdpSocket> = (0..3).map(|_| client("127.0.0.1:0")).collect();
    for round in 0..3 {
        for (i, c) in clients.iter().enumerate() {
            c.send_to(format!("client {i} round {round}").as_bytes(), udp(&addr)).unwrap();
        }
    }
    for (i, c) in clients.iter().enumerate() {
        for round in 0..3 {
            let mut buf = [0u8; 64];
            let (len, from) = c.recv_from(&mut buf).expect("the echo arrives");
            assert_eq!(from, udp(&addr));
            assert_eq!(&buf[..len], format!("client {i} round {round}").as_bytes());
        }
    }
    common::eventually("nine sendto events", || {
        h.pump();
        h.count(|e| matches!(e.kind, EventKind::SendTo { conn: c, .. } if c == conn)) == 9
    });
    for e in &h.seen {
        if let EventKind::SendTo { peer, requested, len, .. } = &e.kind {
            assert_eq!(requested, len);
            assert!(clients.iter().any(|c| Address::Udp(c.local_addr().unwrap()) == *peer));
        }
    }
}

#[test]
fn a_connected_socket_sends_to_its_peer_and_hears_a_refusal() {
    let mut h = Harness::start(EngineConfig::default());
    let peer = client("127.0.0.1:0");
    let peer_addr = Address::Udp(peer.local_addr().unwrap());
    h.send(Command::Connect { candidates: vec![peer_addr.clone()] });
    let conn = h.connected();
    h.send(Command::Send { conn, data: b"ping".as_slice().into() });
    let mut buf = [0u8; 16];
    let (len, from) = peer.recv_from(&mut buf).expect("the datagram arrives");
    assert_eq!(&buf[..len], b"ping");
    peer.send_to(b"pong", from).unwrap();
    h.wait_for(
        "the reply",
        |e| matches!(&e.kind, EventKind::RecvFrom { data, .. } if data[..] == b"pong"[..]),
    );
    let sent = h.wait_for("sendto", |e| matches!(e.kind, EventKind::SendTo { .. }));
    assert!(matches!(sent.kind, EventKind::SendTo { peer: p, len: 4, .. } if p == peer_addr));
    drop(peer); // nobody listens there any more: the next datagram draws ICMP port unreachable
    h.send(Command::Send { conn, data: b"anyone?".as_slice().into() });
    let refused = h.wait_for("refused", |e| matches!(e.kind, EventKind::Error { .. }));
    assert!(
        matches!(refused.kind, EventKind::Error { kind: ErrorKind::Refused, conn: c, .. } if c == conn),
        "{}",
        h.log()
    );
    h.wait_for(
        "closed",
        |e| matches!(e.kind, EventKind::Close { conn: c, by: ClosedBy::Error } if c == conn),
    );
}

#[test]
fn a_datagram_too_large_to_send_is_a_msg_size_error_and_the_socket_stays() {
    let mut h = Harness::start(EngineConfig::default());
    let peer = client("127.0.0.1:0");
    h.send(Command::Connect { candidates: vec![Address::Udp(peer.local_addr().unwrap())] });
    let conn = h.connected();
    h.send(Command::Send { conn, data: vec![0u8; 70_000].into() });
    h.send(Command::Send { conn, data: b"small".as_slice().into() });
    let error = h.wait_for("msg_size", |e| matches!(e.kind, EventKind::Error { .. }));
    assert!(matches!(error.kind, EventKind::Error { kind: ErrorKind::MsgSize, op: Op::Send, .. }));
    let mut buf = [0u8; 16];
    let (len, _) = peer.recv_from(&mut buf).expect("the next datagram still goes");
    assert_eq!(&buf[..len], b"small");
}

#[test]
fn ipv6_datagrams_keep_their_boundaries() {
    let mut h = Harness::start(EngineConfig { echo: true, ..EngineConfig::default() });
    let (conn, addr) = h.listen("udp:[::1]:0");
    let sender = client("[::1]:0");
    sender.send_to(b"one", udp(&addr)).unwrap();
    sender.send_to(b"two", udp(&addr)).unwrap();
    let mut buf = [0u8; 8];
    for expected in [&b"one"[..], b"two"] {
        let len = sender.recv(&mut buf).expect("echo");
        assert_eq!(&buf[..len], expected);
    }
    common::eventually("two recvfrom events", || {
        h.pump();
        count_recvfrom(&h, conn) == 2
    });
    let me = Address::Udp(sender.local_addr().unwrap());
    assert!(datagrams(&h, conn).iter().all(|(peer, ..)| *peer == me));
}

#[test]
fn unix_datagram_sockets_by_path_and_by_abstract_name() {
    use std::os::linux::net::SocketAddrExt;
    let dir = tempfile::tempdir().unwrap();
    let server_path = dir.path().join("server.sock");
    let name = format!("sockscope-dgram-{}", std::process::id());
    let mut h = Harness::start(EngineConfig { echo: true, ..EngineConfig::default() });
    let (by_path, _) = h.listen(&format!("unixgram:{}", server_path.display()));
    let (by_name, local) = h.listen(&format!("unixgram:@{name}"));
    assert_eq!(local.to_string(), format!("unixgram:@{name}"));
    let me = UnixDatagram::bind(dir.path().join("client.sock")).unwrap();
    me.set_read_timeout(Some(common::DEADLINE)).unwrap();
    me.send_to(b"to the path", &server_path).unwrap();
    let abstract_addr = std::os::unix::net::SocketAddr::from_abstract_name(&name).unwrap();
    me.send_to_addr(b"to the name", &abstract_addr).unwrap();
    let mut buf = [0u8; 32];
    for expected in [&b"to the path"[..], b"to the name"] {
        let len = me.recv(&mut buf).expect("echo");
        assert_eq!(&buf[..len], expected);
    }
    common::eventually("both recvfrom events", || {
        h.pump();
        count_recvfrom(&h, by_path) + count_recvfrom(&h, by_name) == 2
    });
    let client_addr = Address::UnixDatagram(dir.path().join("client.sock"));
    assert_eq!(datagrams(&h, by_path)[0].0, client_addr);
    assert_eq!(datagrams(&h, by_name)[0].0, client_addr);
    // A connected client gets a name of its own, so that it can be answered.
    h.send(Command::Connect {
        candidates: vec![Address::UnixDatagram(dir.path().join("client.sock"))],
    });
    let conn = h.connected();
    h.send(Command::Send { conn, data: b"hello".as_slice().into() });
    let (len, from) = me.recv_from(&mut buf).expect("from the connected socket");
    assert_eq!(&buf[..len], b"hello");
    assert!(from.as_abstract_name().is_some(), "autobound: {from:?}");
}

/// An upstream that answers each datagram with `re: ` and the datagram, until `stop`.
fn answering_upstream() -> (Address, std::thread::JoinHandle<()>, std::sync::mpsc::Sender<()>) {
    let socket = client("127.0.0.1:0");
    socket.set_read_timeout(Some(std::time::Duration::from_millis(20))).unwrap();
    let addr = Address::Udp(socket.local_addr().unwrap());
    let (stop, stopped) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        let mut buf = [0u8; 2048];
        while stopped.try_recv().is_err() {
            if let Ok((len, from)) = socket.recv_from(&mut buf) {
                let reply = [b"re: ", &buf[..len]].concat();
                socket.send_to(&reply, from).unwrap();
            }
        }
    });
    (addr, thread, stop)
}

fn proxy(h: &mut Harness, upstream: &Address) -> (ConnId, Address) {
    h.send(Command::Proxy {
        listen: "udp:127.0.0.1:0".parse().unwrap(),
        upstream: vec![upstream.clone()],
    });
    h.listening()
}

#[test]
fn a_udp_proxy_gives_each_client_its_own_flow_and_only_its_own_replies() {
    let (upstream, thread, stop) = answering_upstream();
    let mut h = Harness::start(EngineConfig::default());
    let (bound, addr) = proxy(&mut h, &upstream);
    let clients: Vec<UdpSocket> = (0..3).map(|_| client("127.0.0.1:0")).collect();
    for round in 0..4 {
        for (i, c) in clients.iter().enumerate() {
            c.send_to(format!("{i}.{round}").as_bytes(), udp(&addr)).unwrap();
        }
    }
    for (i, c) in clients.iter().enumerate() {
        for round in 0..4 {
            let mut buf = [0u8; 64];
            let (len, from) = c.recv_from(&mut buf).expect("a reply");
            assert_eq!(from, udp(&addr), "replies come from the proxy's bound socket");
            assert_eq!(&buf[..len], format!("re: {i}.{round}").as_bytes(), "client {i}");
        }
    }
    h.pump();
    let flows: Vec<(ConnId, Address)> = (h.seen.iter())
        .filter_map(|e| match &e.kind {
            EventKind::Connect { conn, pair: Some(p), client: Some(c), .. } if *p == bound => {
                Some((*conn, c.clone()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(flows.len(), 3, "one flow per client address: {}", h.log());
    for c in &clients {
        let me = Address::Udp(c.local_addr().unwrap());
        assert_eq!(flows.iter().filter(|(_, client)| *client == me).count(), 1);
    }
    stop.send(()).unwrap();
    thread.join().unwrap();
}

#[test]
fn an_idle_flow_ends_and_the_next_datagram_opens_another() {
    let (upstream, thread, stop) = answering_upstream();
    let idle = std::time::Duration::from_millis(200);
    let mut h =
        Harness::start(EngineConfig { idle_timeout: Some(idle), ..EngineConfig::default() });
    let (bound, addr) = proxy(&mut h, &upstream);
    let c = client("127.0.0.1:0");
    let mut buf = [0u8; 64];
    c.send_to(b"first", udp(&addr)).unwrap();
    c.recv_from(&mut buf).expect("a reply");
    let timed_out = h.wait_for("the flow times out", |e| {
        matches!(e.kind, EventKind::Error { op: Op::Idle, kind: ErrorKind::TimedOut, .. })
    });
    let flow = timed_out.conn().expect("a socket");
    assert_ne!(flow, bound, "the bound socket does not idle");
    h.wait_for("closed", |e| matches!(e.kind, EventKind::Close { conn, .. } if conn == flow));
    c.send_to(b"again", udp(&addr)).unwrap();
    let (len, _) = c.recv_from(&mut buf).expect("a reply through a new flow");
    assert_eq!(&buf[..len], b"re: again");
    h.pump();
    let connects = h.count(|e| matches!(e.kind, EventKind::Connect { client: Some(_), .. }));
    assert_eq!(connects, 2);
    assert!(
        !h.seen.iter().any(|e| matches!(e.kind, EventKind::Close { conn, .. } if conn == bound))
    );
    stop.send(()).unwrap();
    thread.join().unwrap();
}

#[test]
fn past_max_conns_the_flow_idle_longest_is_evicted_and_reported() {
    let (upstream, thread, stop) = answering_upstream();
    let mut h = Harness::start(EngineConfig { max_conns: Some(2), ..EngineConfig::default() });
    let (_, addr) = proxy(&mut h, &upstream);
    let clients: Vec<UdpSocket> = (0..3).map(|_| client("127.0.0.1:0")).collect();
    let mut buf = [0u8; 64];
    for c in &clients {
        c.send_to(b"hi", udp(&addr)).unwrap();
        c.recv_from(&mut buf).expect("a reply");
    }
    let evicted = h.wait_for(
        "an eviction",
        |e| matches!(&e.kind, EventKind::Error { message, .. } if message.starts_with("evicted")),
    );
    let first_flow = h.wait_for("the first flow", |e| {
        matches!(&e.kind, EventKind::Connect { client: Some(c), .. }
            if *c == Address::Udp(clients[0].local_addr().unwrap()))
    });
    assert_eq!(evicted.conn(), first_flow.conn(), "the oldest flow goes");
    h.wait_for("closed", |e| {
        matches!(e.kind, EventKind::Close { conn, by: ClosedBy::Local } if Some(conn) == evicted.conn())
    });
    stop.send(()).unwrap();
    thread.join().unwrap();
}
