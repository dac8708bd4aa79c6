//! Headless `connect` works like `nc`: standard input goes to the peer, its end becomes
//! `shutdown(write)`, and what the peer sends shows up in the event log.

mod support;

use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Stdio;
use support::{json_lines, sockscope, wait_with_deadline};

#[test]
fn stdin_is_relayed_then_write_is_shut_down_and_replies_are_logged() {
    const LEN: usize = 3 << 20;
    let server = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = server.local_addr().unwrap().port().to_string();
    let mut child = sockscope()
        .args(["connect", &port, "--headless", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let input: Vec<u8> = (0..LEN).map(|i| (i % 241) as u8).collect();
    let expected = Sha256::digest(&input);
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        stdout.read_to_end(&mut out).map(|_| out)
    });

    let (mut peer, _) = server.accept().unwrap();
    peer.set_read_timeout(Some(support::DEADLINE)).unwrap();
    let mut got = Vec::new();
    peer.read_to_end(&mut got).expect("EOF after the last byte of stdin");
    assert_eq!(got.len(), LEN);
    assert_eq!(Sha256::digest(&got), expected, "stdin arrives intact");
    peer.write_all(b"reply after your EOF").unwrap();
    drop(peer);

    writer.join().unwrap().unwrap();
    assert_eq!(wait_with_deadline(&mut child), 0);
    let events = json_lines(&reader.join().unwrap().unwrap());
    assert!(events.iter().any(|e| e["ev"] == "shutdown" && e["how"] == "write"));
    let replies: Vec<u8> = events
        .iter()
        .filter(|e| e["ev"] == "recv")
        .flat_map(|e| hex::decode(e["data"].as_str().unwrap()).unwrap())
        .collect();
    assert_eq!(replies, b"reply after your EOF");
}

#[test]
fn sigterm_ends_a_listener_cleanly() {
    let running = support::Running::listening(&["listen", "127.0.0.1:0", "--headless", "--json"]);
    let pid = running.pid();
    support::signal(pid, "TERM");
    let (code, out) = running.interrupt_after_signal();
    assert_eq!(code, 0);
    let events = json_lines(&out);
    assert!(events.iter().any(|e| e["ev"] == "close"), "the listener's close is logged");
}
