//! A burst of clients connecting at once, then all closing: with the default backlog every
//! client is accepted exactly once, and the engine reads the EOF of every accepted socket and
//! closes it.
//!
//! With a backlog smaller than the burst (128 was the default), the kernel's accept queue
//! overflows: it drops the clients' final ACKs and answers later SYNs with SYN cookies, and
//! when the ACKs come back it may build a second socket for a connection that already ended.
//! Such a socket is ESTABLISHED in the kernel, holds a descriptor, and never becomes readable,
//! since its client is gone: no engine could read an EOF that never arrives.

mod common;

use common::{Harness, ip};
use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
use sockscope::engine::EngineConfig;
use sockscope::event::{ConnId, EventKind};
use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;

/// Enough to overflow a backlog of 128 many times over, few enough to stay quick.
const CLIENTS: usize = 1500;

/// This process holds both ends of every connection.
fn raise_own_fd_limit() {
    let need = (CLIENTS as u64) * 2 + 200;
    let Rlimit { current, maximum } = getrlimit(Resource::Nofile);
    if current.is_some_and(|soft| soft < need) {
        let wanted = Rlimit { current: maximum.map(|hard| hard.min(need * 2)), maximum };
        setrlimit(Resource::Nofile, wanted).expect("raise the soft open-file limit");
    }
    let soft = getrlimit(Resource::Nofile).current;
    assert!(soft.is_none_or(|soft| soft >= need), "open-file limit {soft:?} below {need}");
}

/// Starts every connect without waiting for any of them, as a burst of clients would.
fn burst(to: SocketAddr) -> Vec<socket2::Socket> {
    (0..CLIENTS)
        .map(|_| {
            let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None);
            let socket = socket.expect("client socket");
            socket.set_nonblocking(true).unwrap();
            match socket.connect(&to.into()) {
                Ok(()) => {}
                Err(e) if e.raw_os_error() == Some(115) => {} // EINPROGRESS
                Err(e) => panic!("connect: {e}"),
            }
            socket
        })
        .collect()
}

/// Accepted sockets by the client address they were accepted from.
fn accepted(h: &Harness) -> BTreeMap<SocketAddr, Vec<ConnId>> {
    let mut by_peer: BTreeMap<SocketAddr, Vec<ConnId>> = BTreeMap::new();
    for e in &h.seen {
        if let EventKind::Accept { conn, peer, .. } = &e.kind {
            by_peer.entry(ip(peer)).or_default().push(*conn);
        }
    }
    by_peer
}

#[test]
fn after_a_burst_every_accepted_socket_reads_its_eof_and_closes() {
    raise_own_fd_limit();
    let config = EngineConfig::default();
    let burst_fits = usize::try_from(config.backlog).is_ok_and(|backlog| backlog >= CLIENTS);
    assert!(burst_fits, "the default backlog {} holds a burst of {CLIENTS}", config.backlog);
    let mut h = Harness::start(config);
    let (_, addr) = h.listen("127.0.0.1:0");
    let clients = burst(ip(&addr));
    common::eventually(&format!("{CLIENTS} accepts"), || {
        h.pump();
        accepted(&h).len() == CLIENTS
    });
    let ours: BTreeSet<SocketAddr> =
        clients.iter().map(|c| c.local_addr().unwrap().as_socket().unwrap()).collect();
    drop(clients);
    let by_peer = accepted(&h);
    assert_eq!(by_peer.keys().copied().collect::<BTreeSet<_>>(), ours, "every client accepted");
    let ids: BTreeSet<ConnId> = by_peer.values().flatten().copied().collect();
    common::eventually("every accepted socket closed", || {
        h.pump();
        let closed =
            h.count(|e| matches!(e.kind, EventKind::Close { conn, .. } if ids.contains(&conn)));
        closed == ids.len()
    });
    let eofs = h.count(|e| matches!(e.kind, EventKind::Eof { conn } if ids.contains(&conn)));
    assert_eq!(eofs, ids.len(), "each accepted socket read its client's EOF");
    let twice: Vec<_> = accepted(&h).into_iter().filter(|(_, ids)| ids.len() > 1).collect();
    assert!(twice.is_empty(), "clients accepted more than once: {twice:?}");
}
