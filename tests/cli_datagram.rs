//! Datagram sockets from the command line, against Python peers over loopback: `listen udp:`
//! keeps every boundary (0 to 65 507 bytes) and echoes each datagram to its sender, `connect
//! udp:` sends standard input as datagrams and writes replies to standard output (`--stdio`),
//! and a sender flooding `listen udp:` as fast as it can leaves sockscope's memory bounded.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::{Running, json_lines, rss_kib, sockscope};

const SIZES: [usize; 5] = [0, 1, 1472, 9000, 65_507];

/// Sends one datagram of each size and checks that each echo comes back whole, alone.
const ECHO_CLIENT: &str = r#"
import socket, sys
port = int(sys.argv[1])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(20)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
for size in map(int, sys.argv[2:]):
    payload = bytes((i * 7 + size) % 256 for i in range(size))
    s.sendto(payload, ("127.0.0.1", port))
    reply, sender = s.recvfrom(70000)
    assert sender[1] == port, sender
    assert reply == payload, (size, len(reply))
print(s.getsockname()[1])
"#;

#[test]
fn listen_udp_keeps_every_boundary_and_echoes_to_the_sender() {
    let server = Running::listening(&["listen", "udp:0", "--headless", "--json", "--echo"]);
    assert!(server.stderr_lines.iter().any(|l| l.starts_with("listening on udp:127.0.0.1:")));
    let port = server.addr.port().to_string();
    let sizes: Vec<String> = SIZES.iter().map(ToString::to_string).collect();
    let out = Command::new("python3")
        .args(["-c", ECHO_CLIENT, &port])
        .args(&sizes)
        .output()
        .expect("python3 runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let client_port = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let (code, log) = server.interrupt();
    assert_eq!(code, 0);
    let events = json_lines(&log);
    let peer = format!("udp:127.0.0.1:{client_port}");
    let lens = |name: &str| -> Vec<u64> {
        (events.iter())
            .filter(|e| e["ev"] == name)
            .inspect(|e| assert_eq!(e["peer"], peer.as_str(), "{e}"))
            .map(|e| e["len"].as_u64().expect("len"))
            .collect()
    };
    let expected: Vec<u64> = SIZES.iter().map(|s| *s as u64).collect();
    assert_eq!(lens("recvfrom"), expected, "one recvfrom per datagram, each whole");
    assert_eq!(lens("sendto"), expected, "one sendto per echo");
    assert!(events.iter().all(|e| e.get("truncated").is_none()), "nothing was cut");
}

/// A UDP server that answers each datagram in upper case; prints its port.
const UPPER_SERVER: &str = r#"
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
s.settimeout(20)
print(s.getsockname()[1], flush=True)
data, peer = s.recvfrom(70000)
s.sendto(data.upper(), peer)
"#;

#[test]
fn connect_udp_sends_standard_input_and_prints_the_reply_with_stdio() {
    let mut server = Command::new("python3")
        .args(["-c", UPPER_SERVER])
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let target = format!("udp:{}", line.trim());
    let mut client = sockscope()
        .args(["connect", &target, "--headless", "--stdio", "--idle-timeout", "300ms"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    client.stdin.take().unwrap().write_all(b"hello datagram").unwrap();
    let out = client.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.stdout, b"HELLO DATAGRAM");
    assert!(server.wait().unwrap().success());
}

/// Sends 1400-byte datagrams as fast as it can for the given seconds.
const FLOOD: &str = r#"
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
payload = b"x" * 1400
end = time.time() + float(sys.argv[2])
sent = 0
while time.time() < end:
    for _ in range(1000):
        s.sendto(payload, ("127.0.0.1", int(sys.argv[1])))
    sent += 1000
print(sent)
"#;

const RSS_LIMIT_KIB: u64 = 64 << 10;

#[test]
fn a_flood_into_listen_udp_keeps_memory_bounded() {
    let server = Running::listening_with(
        &["listen", "udp:0", "--headless", "--json", "--echo"],
        Stdio::null(),
    );
    let port = server.addr.port().to_string();
    let mut flood = Command::new("python3")
        .args(["-c", FLOOD, &port, "4"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut peak = 0;
    let end = Instant::now() + Duration::from_secs(4);
    while Instant::now() < end {
        peak = peak.max(rss_kib(server.pid()).expect("sockscope is running"));
        std::thread::park_timeout(Duration::from_millis(50));
    }
    assert!(flood.wait().unwrap().success());
    let (code, _) = server.interrupt();
    assert_eq!(code, 0, "still answering a signal after the flood");
    assert!(peak <= RSS_LIMIT_KIB, "RSS peaked at {peak} KiB under a datagram flood");
    println!("peak RSS under the flood: {peak} KiB");
}

/// On a datagram socket the call made is `recvfrom`: the text log says so when it would block,
/// while the JSON `op` keeps its documented value.
#[test]
fn the_text_log_names_recvfrom_on_a_datagram_socket() {
    let server = Running::listening(&["listen", "udp:0", "--headless", "--echo"]);
    let client = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind");
    client.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
    let mut reply = [0u8; 16];
    // Each echo comes back only after the server read its datagram, empty ones included.
    for payload in [&b"ping"[..], b""] {
        client.send_to(payload, server.addr).expect("send");
        let (len, _) = client.recv_from(&mut reply).expect("the echo comes back");
        assert_eq!(&reply[..len], payload);
    }
    let (code, log) = server.interrupt();
    assert_eq!(code, 0);
    let log = String::from_utf8_lossy(&log);
    assert!(log.contains("#1 recvfrom -> WouldBlock"), "{log}");
    assert!(!log.contains(" recv -> WouldBlock"), "{log}");
}
