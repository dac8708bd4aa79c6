//! Events for format tests: one of every kind with every optional field, and a proptest
//! strategy over all of them.

use crate::event::{
    Address, ClosedBy, ConnId, Dir, ErrorKind, Event, EventKind, FaultDir, FaultKind, FaultState,
    HoldId, How, InterceptState, Op, Readiness, ReleaseAction, SelectView, SockOption, TlsBy,
    TlsEstablished, TlsStage,
};
use crate::record::{Encoder, StartInfo};
use bytes::Bytes;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use std::net::{SocketAddr, SocketAddrV6};

fn ip(text: &str) -> Address {
    Address::Ip(text.parse().unwrap())
}

/// Every event kind once, with the fields JSON Lines may hide (`max`, the level lists,
/// `interest`, a scoped IPv6 address) filled in, and a relayed send.
pub(crate) fn every_kind() -> Vec<Event> {
    let c = ConnId(3);
    let scoped =
        Address::Ip(SocketAddr::V6(SocketAddrV6::new("fe80::1".parse().unwrap(), 80, 7, 2)));
    let kinds = vec![
        Event::session_start().kind,
        EventKind::Listen { conn: ConnId(1), local: ip("127.0.0.1:9000") },
        EventKind::Accept {
            conn: c,
            listener: ConnId(1),
            local: ip("127.0.0.1:9000"),
            peer: ip("[::1]:40000"),
        },
        EventKind::Connect { conn: ConnId(4), peer: scoped.clone(), pair: Some(c), client: None },
        EventKind::Connect {
            conn: ConnId(5),
            peer: Address::Unix("/tmp/s.sock".into()),
            pair: None,
            client: None,
        },
        EventKind::Connect {
            conn: ConnId(6),
            peer: Address::Udp("127.0.0.1:53".parse().unwrap()),
            pair: Some(ConnId(7)),
            client: Some(Address::UnixDatagram("@client".into())),
        },
        EventKind::Connected { conn: ConnId(4), local: ip("[::1]:5"), peer: scoped },
        EventKind::Ready(Readiness {
            round: 7,
            readable: vec![c],
            writable: vec![ConnId(4), ConnId(300)],
            error: vec![],
            read_closed: vec![ConnId(5)],
            write_closed: vec![],
            still_readable: vec![ConnId(9)],
            still_writable: vec![ConnId(u64::MAX)],
            select: Some(Box::new(SelectView {
                readable: vec![c, ConnId(9)],
                writable: vec![ConnId(4)],
                exceptional: vec![],
            })),
        }),
        EventKind::Recv { conn: c, max: 65536, len: 4, data: Bytes::from_static(b"\x00\xff\r\n") },
        // #4 relays #3's bytes (a proxy): written as a relayed send since format 2.0.
        EventKind::Send {
            conn: ConnId(4),
            requested: 4,
            len: 2,
            data: Bytes::from_static(b"\x00\xff"),
        },
        EventKind::Send { conn: c, requested: 10, len: 2, data: Bytes::from_static(b"hi") },
        EventKind::Send { conn: c, requested: 10, len: 0, data: Bytes::new() },
        EventKind::WouldBlock { conn: c, op: Op::Send },
        EventKind::Eof { conn: c },
        EventKind::Shutdown { conn: c, how: How::Write },
        EventKind::Reset { conn: ConnId(4) },
        EventKind::Close { conn: c, by: ClosedBy::Peer },
        EventKind::Error {
            conn: ConnId(5),
            op: Op::Connect,
            kind: ErrorKind::Refused,
            message: "Connection refused (os error 111) \u{202e}".into(),
        },
        EventKind::Option { conn: c, option: SockOption::Linger(Some(0)) },
        EventKind::Option { conn: c, option: SockOption::Linger(None) },
        EventKind::Option { conn: c, option: SockOption::SndBuf(4608) },
        EventKind::Option { conn: c, option: SockOption::NoDelay(true) },
        EventKind::Option { conn: c, option: SockOption::KeepAlive(false) },
        EventKind::Option { conn: c, option: SockOption::RcvBuf(1 << 20) },
        EventKind::Interest { conn: c, read: true, write: false },
        EventKind::Message { conn: c, dir: Dir::Out, len: 3, data: Bytes::from_static(b"abc") },
        EventKind::Fault {
            conn: c,
            dir: FaultDir::Up,
            kind: FaultKind::Delay,
            state: FaultState::On,
            detail: "delay=500ms".into(),
        },
    ];
    let kinds = kinds.into_iter().chain(intercept_kinds(c)).chain(tls_kinds(c));
    kinds.zip(0u64..).map(|(kind, i)| Event { kind, t_us: i * 1000 }).collect()
}

/// What an intercept on `c`'s pair reports, once each.
fn intercept_kinds(c: ConnId) -> Vec<EventKind> {
    vec![
        EventKind::Intercept {
            conn: c,
            dir: FaultDir::Down,
            state: InterceptState::Off,
            framing: "len:u16be".into(),
            pattern: "hex:00ff".into(),
        },
        EventKind::Held {
            conn: c,
            dir: FaultDir::Up,
            id: HoldId(7),
            len: 3,
            data: Bytes::from_static(b"abc"),
        },
        EventKind::Released {
            conn: c,
            dir: FaultDir::Up,
            id: HoldId(7),
            action: ReleaseAction::Drop,
            len: 0,
            data: Bytes::new(),
        },
        EventKind::Inject { conn: c, dir: FaultDir::Up, len: 2, data: Bytes::from_static(b"hi") },
    ]
}

/// What a TLS connection reports, on `c`.
fn tls_kinds(c: ConnId) -> Vec<EventKind> {
    vec![
        EventKind::Tls {
            conn: c,
            stage: TlsStage::ClientHello {
                sni: Some("localhost".into()),
                alpn: vec!["h2".into()],
                versions: vec!["TLSv1.3".into(), "TLSv1.2".into()],
            },
        },
        EventKind::Tls {
            conn: c,
            stage: TlsStage::Established(Box::new(TlsEstablished {
                version: "TLSv1.3".into(),
                cipher: "TLS13_AES_128_GCM_SHA256".into(),
                alpn: Some("h2".into()),
                sni: Some("localhost".into()),
                subject: Some("CN=localhost".into()),
                issuer: Some("CN=sockscope local CA".into()),
                not_after: Some("2027-12-06T00:00:00Z".into()),
            })),
        },
        EventKind::TlsWrite { conn: c, requested: 2, len: 2, data: Bytes::from_static(b"hi") },
        EventKind::TlsRead { conn: c, len: 2, data: Bytes::from_static(b"ok") },
        EventKind::Tls {
            conn: c,
            stage: TlsStage::Alert {
                level: "fatal".into(),
                description: "unknown_ca".into(),
                by: TlsBy::Peer,
            },
        },
        EventKind::Tls { conn: c, stage: TlsStage::CloseNotify { by: TlsBy::Local } },
    ]
}

/// A complete recording of `events`, with a fixed creation time and clock.
pub(crate) fn recording(events: &[Event]) -> Vec<u8> {
    let start = StartInfo {
        created_unix_us: 1_700_000_000_000_000,
        tool: "sockscope test".into(),
        framing: Some(("len:u16be".into(), 1024)),
    };
    let mut encoder = Encoder::with_start(Vec::new(), &start).unwrap();
    encoder.write_clock(1_700_000_000_000_000, 0).unwrap();
    for event in events {
        encoder.write_event(event).unwrap();
    }
    encoder.finish().unwrap()
}

fn conn() -> impl Strategy<Value = ConnId> {
    prop_oneof![0_u64..8, any::<u64>()].prop_map(ConnId)
}

fn conns() -> impl Strategy<Value = Vec<ConnId>> {
    vec(conn(), 0..5)
}

fn bytes() -> impl Strategy<Value = Bytes> {
    vec(any::<u8>(), 0..300).prop_map(Bytes::from)
}

fn address() -> impl Strategy<Value = Address> {
    prop_oneof![
        (any::<[u8; 4]>(), any::<u16>()).prop_map(|(ip, port)| Address::Ip((ip, port).into())),
        (any::<[u8; 16]>(), any::<u16>(), any::<u32>(), any::<u32>()).prop_map(
            |(ip, port, flow, scope)| {
                Address::Ip(SocketAddr::V6(SocketAddrV6::new(ip.into(), port, flow, scope)))
            }
        ),
        "[a-z/._ @]{0,40}".prop_map(|path| Address::Unix(path.into())),
        (any::<[u8; 4]>(), any::<u16>()).prop_map(|(ip, port)| Address::Udp((ip, port).into())),
        (any::<[u8; 16]>(), any::<u16>()).prop_map(|(ip, port)| Address::Udp((ip, port).into())),
        "[a-z/._ @]{0,40}".prop_map(|path| Address::UnixDatagram(path.into())),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    select(vec![
        Op::Listen,
        Op::Accept,
        Op::Connect,
        Op::Recv,
        Op::Send,
        Op::Shutdown,
        Op::Close,
        Op::Option,
        Op::Idle,
    ])
}

fn option() -> impl Strategy<Value = SockOption> {
    prop_oneof![
        any::<bool>().prop_map(SockOption::NoDelay),
        any::<usize>().prop_map(SockOption::SndBuf),
        any::<usize>().prop_map(SockOption::RcvBuf),
        any::<bool>().prop_map(SockOption::KeepAlive),
        proptest::option::of(any::<u32>()).prop_map(SockOption::Linger),
    ]
}

fn readiness() -> impl Strategy<Value = Readiness> {
    let edges = (any::<u64>(), conns(), conns(), conns(), conns(), conns());
    let select = (conns(), conns(), conns()).prop_map(|(readable, writable, exceptional)| {
        Box::new(SelectView { readable, writable, exceptional })
    });
    let level = (conns(), conns(), proptest::option::of(select));
    (edges, level).prop_map(
        |(
            (round, readable, writable, error, read_closed, write_closed),
            (still_readable, still_writable, select),
        )| Readiness {
            round,
            readable,
            writable,
            error,
            read_closed,
            write_closed,
            still_readable,
            still_writable,
            select,
        },
    )
}

pub(crate) fn any_kind() -> impl Strategy<Value = EventKind> {
    prop_oneof![
        (any::<u32>(), ".{0,20}", proptest::option::of(any::<u64>())).prop_map(
            |(version, tool, start)| EventKind::Session {
                version,
                tool,
                start_unix_us: start.map(|us| us.min(u64::MAX - 1)),
            }
        ),
        (conn(), address()).prop_map(|(conn, local)| EventKind::Listen { conn, local }),
        (conn(), conn(), address(), address()).prop_map(|(conn, listener, local, peer)| {
            EventKind::Accept { conn, listener, local, peer }
        }),
        (conn(), address(), proptest::option::of((conn(), proptest::option::of(address()))))
            .prop_map(|(conn, peer, pair)| EventKind::Connect {
                conn,
                peer,
                pair: pair.as_ref().map(|(pair, _)| *pair),
                client: pair.and_then(|(_, client)| client),
            }),
        (conn(), address(), address()).prop_map(|(conn, local, peer)| EventKind::Connected {
            conn,
            local,
            peer
        }),
        readiness().prop_map(EventKind::Ready),
        // A count is its payload's length and at most what the call asked for, as the engine
        // reports it (a reader refuses anything else as damage).
        (conn(), any::<usize>(), bytes()).prop_map(|(conn, spare, data)| EventKind::Recv {
            conn,
            max: data.len().saturating_add(spare),
            len: data.len(),
            data
        }),
        (conn(), any::<usize>(), bytes()).prop_map(|(conn, spare, data)| EventKind::Send {
            conn,
            requested: data.len().saturating_add(spare),
            len: data.len(),
            data
        }),
        datagram_kind(),
        (conn(), op()).prop_map(|(conn, op)| EventKind::WouldBlock { conn, op }),
        conn().prop_map(|conn| EventKind::Eof { conn }),
        (conn(), select(vec![How::Read, How::Write, How::Both]))
            .prop_map(|(conn, how)| EventKind::Shutdown { conn, how }),
        conn().prop_map(|conn| EventKind::Reset { conn }),
        (conn(), select(vec![ClosedBy::Local, ClosedBy::Peer, ClosedBy::Reset, ClosedBy::Error]))
            .prop_map(|(conn, by)| EventKind::Close { conn, by }),
        (
            conn(),
            op(),
            select(vec![
                ErrorKind::Refused,
                ErrorKind::Reset,
                ErrorKind::TimedOut,
                ErrorKind::BrokenPipe,
                ErrorKind::Other,
                ErrorKind::MsgSize,
                ErrorKind::Tls
            ]),
            ".{0,30}"
        )
            .prop_map(|(conn, op, kind, message)| EventKind::Error {
                conn,
                op,
                kind,
                message
            }),
        (conn(), option()).prop_map(|(conn, option)| EventKind::Option { conn, option }),
        (conn(), any::<bool>(), any::<bool>())
            .prop_map(|(conn, read, write)| EventKind::Interest { conn, read, write }),
        (conn(), select(vec![Dir::In, Dir::Out]), bytes()).prop_map(|(conn, dir, data)| {
            EventKind::Message { conn, dir, len: data.len(), data }
        }),
        (
            conn(),
            select(vec![FaultDir::Up, FaultDir::Down]),
            select(FaultKind::ALL.to_vec()),
            select(vec![FaultState::On, FaultState::Off, FaultState::Tripped]),
            ".{0,30}"
        )
            .prop_map(|(conn, dir, kind, state, detail)| EventKind::Fault {
                conn,
                dir,
                kind,
                state,
                detail
            }),
        intercept_kind(),
        tls_kind(),
    ]
}

/// The three kinds a TLS connection reports.
fn tls_kind() -> impl Strategy<Value = EventKind> {
    let by = || select(vec![TlsBy::Local, TlsBy::Peer]);
    let text = || proptest::option::of(".{0,12}");
    let stage = prop_oneof![
        (text(), vec(".{0,8}", 0..3), vec(".{0,8}", 0..3))
            .prop_map(|(sni, alpn, versions)| TlsStage::ClientHello { sni, alpn, versions }),
        (".{0,8}", ".{0,20}", text(), text(), text(), text(), text()).prop_map(
            |(version, cipher, alpn, sni, subject, issuer, not_after)| {
                TlsStage::Established(Box::new(TlsEstablished {
                    version,
                    cipher,
                    alpn,
                    sni,
                    subject,
                    issuer,
                    not_after,
                }))
            }
        ),
        (".{0,8}", ".{0,20}", by()).prop_map(|(level, description, by)| TlsStage::Alert {
            level,
            description,
            by
        }),
        by().prop_map(|by| TlsStage::CloseNotify { by }),
    ];
    prop_oneof![
        (conn(), stage).prop_map(|(conn, stage)| EventKind::Tls { conn, stage }),
        (conn(), bytes()).prop_map(|(conn, data)| EventKind::TlsRead {
            conn,
            len: data.len(),
            data
        }),
        (conn(), any::<usize>(), bytes()).prop_map(|(conn, spare, data)| EventKind::TlsWrite {
            conn,
            requested: data.len().saturating_add(spare),
            len: data.len(),
            data
        }),
    ]
}

/// The four kinds an intercept reports.
fn intercept_kind() -> impl Strategy<Value = EventKind> {
    let dir = || select(vec![FaultDir::Up, FaultDir::Down]);
    let action = select(vec![ReleaseAction::Forward, ReleaseAction::Edit, ReleaseAction::Drop]);
    let state = select(vec![InterceptState::On, InterceptState::Off]);
    prop_oneof![
        (conn(), dir(), state, ".{0,10}", ".{0,20}").prop_map(
            |(conn, dir, state, framing, pattern)| EventKind::Intercept {
                conn,
                dir,
                state,
                framing,
                pattern
            }
        ),
        (conn(), dir(), any::<u64>(), bytes()).prop_map(|(conn, dir, id, data)| {
            EventKind::Held { conn, dir, id: HoldId(id), len: data.len(), data }
        }),
        (conn(), dir(), any::<u64>(), action, bytes()).prop_map(|(conn, dir, id, action, data)| {
            EventKind::Released { conn, dir, id: HoldId(id), action, len: data.len(), data }
        }),
        (conn(), dir(), bytes()).prop_map(|(conn, dir, data)| EventKind::Inject {
            conn,
            dir,
            len: data.len(),
            data
        }),
    ]
}

/// `recvfrom` (truncated or not) and `sendto`, counts consistent as the engine reports them.
fn datagram_kind() -> impl Strategy<Value = EventKind> {
    let truncated = proptest::option::of(1_usize..1000);
    prop_oneof![
        (conn(), address(), any::<usize>(), bytes(), truncated).prop_map(
            |(conn, peer, spare, data, lost)| EventKind::RecvFrom {
                conn,
                peer,
                max: data.len().saturating_add(spare),
                len: data.len(),
                truncated: lost.map(|lost| data.len() + lost),
                data,
            }
        ),
        (conn(), address(), any::<usize>(), bytes()).prop_map(|(conn, peer, spare, data)| {
            EventKind::SendTo {
                conn,
                peer,
                requested: data.len().saturating_add(spare),
                len: data.len(),
                data,
            }
        }),
    ]
}

pub(crate) fn any_event() -> impl Strategy<Value = Event> {
    (any_kind(), any::<u64>()).prop_map(|(kind, t_us)| Event { kind, t_us })
}
