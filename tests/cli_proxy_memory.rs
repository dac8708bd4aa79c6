//! A client flooding through the proxy to a server that does not read for 20 s keeps
//! sockscope's memory bounded; when the server reads, every byte arrives intact.

#[path = "shared/relays.rs"]
mod relays;
mod support;

use relays::Relay;
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::process::Stdio;
use std::time::{Duration, Instant};
use support::{Running, rss_kib};

const TOTAL: usize = 256 << 20;
const STALL: Duration = Duration::from_secs(20);
const RSS_LIMIT_KIB: u64 = 64 << 10;

fn flood_against_a_stalled_server_stays_under_64_mib(relay: Relay) {
    let server = TcpListener::bind("127.0.0.1:0").unwrap();
    let upstream = server.local_addr().unwrap().to_string();
    let proxy = Running::listening_with(
        &["proxy", "127.0.0.1:0", &upstream, "--headless", "--relay", relay.name()],
        Stdio::null(),
    );
    let client = TcpStream::connect(proxy.addr).unwrap();
    let (mut upstream_conn, _) = server.accept().unwrap();

    let flood = std::thread::spawn(move || {
        let mut client = client;
        let piece: Vec<u8> = (0..1 << 20).map(|i: u32| (i % 253) as u8).collect();
        let mut hash = Sha256::new();
        for _ in 0..TOTAL / piece.len() {
            client.write_all(&piece).unwrap();
            hash.update(&piece);
        }
        client.shutdown(Shutdown::Write).unwrap();
        <[u8; 32]>::from(hash.finalize())
    });

    let mut peak = 0;
    let stall_end = Instant::now() + STALL;
    while Instant::now() < stall_end {
        peak = peak.max(rss_kib(proxy.pid()).expect("sockscope is running"));
        std::thread::park_timeout(Duration::from_millis(50));
    }
    assert!(peak <= RSS_LIMIT_KIB, "RSS peaked at {peak} KiB while the server did not read");

    let mut hash = Sha256::new();
    let mut buf = vec![0; 256 << 10];
    let mut total = 0;
    loop {
        let n = upstream_conn.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        hash.update(&buf[..n]);
        total += n;
    }
    assert_eq!(total, TOTAL, "every byte arrives once the server reads");
    assert_eq!(<[u8; 32]>::from(hash.finalize()), flood.join().unwrap(), "in order, intact");
    println!("peak RSS while stalled: {peak} KiB");
}

relay_tests!(flood_against_a_stalled_server_stays_under_64_mib,);
