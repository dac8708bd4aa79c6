//! The pcapng export, checked with tshark: following each TCP stream gives back exactly the
//! bytes each side sent, for IPv4 and IPv6 connections, a half-closed one and a reset one,
//! and tshark finds nothing wrong with the packets.

mod record_support;
mod support;

use record_support::{echo_server, read_recording, tshark_or_skip};
use std::path::Path;
use std::process::Command;
use support::{Running, sockscope};

/// tshark's `follow,tcp,raw,N`: the first node's address and the bytes each node sent.
fn follow(capture: &Path, stream: usize) -> (String, Vec<u8>, Vec<u8>) {
    record_support::follow_protocol(capture, "tcp", stream)
}

#[test]
fn tshark_follows_every_stream_byte_for_byte() {
    if !tshark_or_skip("tshark_follows_every_stream_byte_for_byte") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (server, accounts) = echo_server("[::1]:0");
    let file = dir.path().join("capture.sscope");
    let upstream = server.to_string();
    let args = [
        "proxy",
        "127.0.0.1:0",
        &upstream,
        "--headless",
        "--recv-chunk",
        "256KiB",
        "--record",
        file.to_str().unwrap(),
    ];
    let proxy = Running::listening_with(&args, std::process::Stdio::null());
    let large = record_support::three_exchanges(proxy.addr, &accounts);
    assert_eq!(proxy.interrupt().0, 0);

    let capture = dir.path().join("capture.pcapng");
    let out = sockscope()
        .args([
            "export",
            file.to_str().unwrap(),
            "--format",
            "pcapng",
            "-o",
            capture.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));

    let (events, _) = read_recording(&file);
    let streams = record_support::tcp_streams(&events);
    assert_eq!(streams.len(), 6, "three clients, three upstream connections");
    let families: Vec<bool> =
        streams.iter().map(|s| s.client.ip().is_some_and(|a| a.is_ipv4())).collect();
    assert!(families.contains(&true) && families.contains(&false), "IPv4 and IPv6");
    assert!(
        streams.iter().any(|s| s.from_client == large && s.from_server.len() == large.len() + 5),
        "the large exchange was recorded whole"
    );
    for (index, expected) in streams.iter().enumerate() {
        let (node0, from_client, from_server) = follow(&capture, index);
        let client = expected.client.to_string();
        assert_eq!(node0, client, "stream {index} (conn #{}) starts at its client", expected.conn);
        assert!(from_client == expected.from_client, "stream {index}: client bytes differ");
        assert!(from_server == expected.from_server, "stream {index}: server bytes differ");
    }

    let expert = Command::new("tshark")
        .args([
            "-r",
            capture.to_str().unwrap(),
            "-q",
            "-o",
            "tcp.check_checksum:TRUE",
            "-z",
            "expert,warn",
        ])
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&expert.stdout);
    // The only warnings are the resets themselves: one from the client, one passed upstream.
    assert!(!report.contains("Errors ("), "tshark finds errors:\n{report}");
    let warnings: Vec<&str> = report
        .lines()
        .filter(|line| line.trim_start().starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    assert_eq!(warnings.len(), 1, "{report}");
    assert!(warnings[0].contains("Connection reset (RST)"), "{report}");
    assert_eq!(warnings[0].split_whitespace().next(), Some("2"), "{report}");
    let bad = Command::new("tshark")
        .args([
            "-r",
            capture.to_str().unwrap(),
            "-o",
            "tcp.check_checksum:TRUE",
            "-o",
            "ip.check_checksum:TRUE",
            "-Y",
            "tcp.checksum.status == 0 || ip.checksum.status == 0 || _ws.malformed",
        ])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&bad.stdout).trim().is_empty(),
        "bad checksums: {}",
        String::from_utf8_lossy(&bad.stdout)
    );
}

/// A Python client that sends datagrams (one empty) to an echo server and reads each echo.
const UDP_CLIENT: &str = r#"
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(20)
for message in [b"first", b"", b"third datagram"]:
    s.sendto(message, ("127.0.0.1", int(sys.argv[1])))
    assert s.recvfrom(100)[0] == message
print(s.getsockname()[1])
"#;

#[test]
fn tshark_follows_each_udp_datagram_of_a_recording() {
    if !tshark_or_skip("tshark_follows_each_udp_datagram_of_a_recording") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("udp.sscope");
    let args = ["listen", "udp:0", "--headless", "--echo", "--record", file.to_str().unwrap()];
    let server = Running::listening_with(&args, std::process::Stdio::null());
    let client = Command::new("python3")
        .args(["-c", UDP_CLIENT, &server.addr.port().to_string()])
        .output()
        .expect("python3 runs");
    assert!(client.status.success(), "{}", String::from_utf8_lossy(&client.stderr));
    let client_port = String::from_utf8_lossy(&client.stdout).trim().to_owned();
    assert_eq!(server.interrupt().0, 0);
    let capture = dir.path().join("udp.pcapng");
    let out = sockscope()
        .args(["export", file.to_str().unwrap(), "--format", "pcapng", "-o"])
        .arg(&capture)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let (node0, from_client, from_server) = record_support::follow_protocol(&capture, "udp", 0);
    assert_eq!(node0, format!("127.0.0.1:{client_port}"), "the stream starts at the client");
    assert_eq!(from_client, b"firstthird datagram");
    assert_eq!(from_server, b"firstthird datagram");
    let packets = Command::new("tshark")
        .args(["-r", capture.to_str().unwrap(), "-Y", "udp.length >= 8", "-T", "fields"])
        .args(["-e", "udp.length"])
        .output()
        .unwrap();
    let lengths = String::from_utf8_lossy(&packets.stdout).into_owned();
    assert_eq!(lengths.lines().collect::<Vec<_>>(), ["13", "13", "8", "8", "22", "22"]);
    for dir in ["in", "out"] {
        let raw = sockscope()
            .args([
                "export",
                file.to_str().unwrap(),
                "--format",
                "raw",
                "--conn",
                "1",
                "--dir",
                dir,
            ])
            .output()
            .unwrap();
        assert_eq!(raw.stdout, b"firstthird datagram", "raw {dir}: the datagrams' bytes");
    }
}
