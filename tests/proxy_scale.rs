//! A thousand clients open through the real `sockscope proxy` at once: every byte comes back
//! to the client that sent it, and afterwards the proxy holds no socket but its own.

#[path = "shared/relays.rs"]
mod relays;
mod support;

use relays::Relay;
use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::time::{Duration, Instant};
use support::DEADLINE;
use support::live::{Live, ev};

const CLIENTS: usize = 1000;

/// This test process holds every client and every upstream socket: about two thousand
/// descriptors, more than the common soft limit of 1024.
fn raise_own_fd_limit() {
    let Rlimit { current, maximum } = getrlimit(Resource::Nofile);
    let need = (CLIENTS as u64) * 2 + 200;
    if current.is_some_and(|soft| soft < need) {
        let wanted = Rlimit { current: maximum.map(|hard| hard.min(need * 2)), maximum };
        setrlimit(Resource::Nofile, wanted).expect("raise the soft open-file limit");
    }
    let soft = getrlimit(Resource::Nofile).current;
    assert!(soft.is_none_or(|soft| soft >= need), "open-file limit {soft:?} below {need}");
}

/// An upstream that sends every connection back what it receives, then ends it.
fn echo_server() -> SocketAddr {
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    socket.set_reuse_address(true).unwrap();
    socket.bind(&"127.0.0.1:0".parse::<SocketAddr>().unwrap().into()).unwrap();
    socket.listen(1024).unwrap();
    let listener: std::net::TcpListener = socket.into();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(CLIENTS) {
            let Ok(mut stream) = stream else { continue };
            let spawned = std::thread::Builder::new().stack_size(64 << 10).spawn(move || {
                let mut reader = stream.try_clone().unwrap();
                let _ = std::io::copy(&mut reader, &mut stream);
                let _ = stream.shutdown(Shutdown::Write);
            });
            spawned.expect("echo thread");
        }
    });
    addr
}

/// What client `i` sends: a few KiB no other client sends.
fn payload(i: usize) -> Vec<u8> {
    let tag = format!("client {i:04}|");
    tag.bytes().cycle().take(3000 + i % 1000).collect()
}

fn a_thousand_concurrent_clients_through_the_proxy_get_their_own_bytes_back(relay: Relay) {
    raise_own_fd_limit();
    let upstream = echo_server().to_string();
    let args = ["proxy", "127.0.0.1:0", &upstream, "--headless", "--json", "--backlog", "1024"];
    let args = [&args[..], &["--relay", relay.name()]].concat();
    let mut live = Live::start(&args);
    let baseline = live.socket_fds();

    let mut clients: Vec<TcpStream> = (0..CLIENTS)
        .map(|_| {
            let stream = TcpStream::connect(live.addr).unwrap();
            stream.set_read_timeout(Some(DEADLINE)).unwrap();
            stream
        })
        .collect();
    live.wait_until("every upstream connected", |seen| {
        seen.iter().filter(|e| ev(e) == "connected").count() == CLIENTS
    });
    let held = live.socket_fds();
    assert!(held >= baseline + 2 * CLIENTS, "{held} sockets: all pairs open at once");

    for (i, client) in clients.iter_mut().enumerate() {
        client.write_all(&payload(i)).unwrap();
        client.shutdown(Shutdown::Write).unwrap();
    }
    for (i, client) in clients.iter_mut().enumerate() {
        let mut back = Vec::new();
        client.read_to_end(&mut back).unwrap();
        assert!(back == payload(i), "client {i} got {} bytes, not its own", back.len());
    }
    live.wait_until("every socket closed", |seen| {
        seen.iter().filter(|e| ev(e) == "close").count() == 2 * CLIENTS
    });
    assert_eq!(live.count(|e| ev(e) == "error"), 0, "no errors:\n{}", live.log());
    let end = Instant::now() + DEADLINE;
    while live.socket_fds() > baseline {
        assert!(Instant::now() < end, "{} sockets left, {baseline} before", live.socket_fds());
        std::thread::park_timeout(Duration::from_millis(10));
    }
}

relay_tests!(a_thousand_concurrent_clients_through_the_proxy_get_their_own_bytes_back,);
