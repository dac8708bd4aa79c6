//! A plain Python client written the way the Socket Programming HOWTO teaches (a send loop
//! until all is sent, a recv loop until a fixed length is read) talks to
//! `sockscope listen --headless --json --echo`; the JSON events account for every byte.

mod support;

use std::process::Command;
use support::{Running, json_lines};

const HOWTO_CLIENT: &str = r#"
import socket, sys
MSGLEN = int(sys.argv[2])
msg = bytes((i * 7 + 3) % 256 for i in range(MSGLEN))
sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.connect(("127.0.0.1", int(sys.argv[1])))
totalsent = 0
while totalsent < MSGLEN:
    sent = sock.send(msg[totalsent:])
    if sent == 0:
        raise RuntimeError("socket connection broken")
    totalsent = totalsent + sent
chunks = []
bytes_recd = 0
while bytes_recd < MSGLEN:
    chunk = sock.recv(min(MSGLEN - bytes_recd, 2048))
    if chunk == b'':
        raise RuntimeError("socket connection broken")
    chunks.append(chunk)
    bytes_recd = bytes_recd + len(chunk)
assert b''.join(chunks) == msg, "echo differs"
sock.close()
"#;

const MSGLEN: usize = 200_000;

fn hex_of(value: &serde_json::Value, key: &str) -> Vec<u8> {
    hex::decode(value[key].as_str().expect("hex string")).expect("valid hex")
}

#[test]
fn howto_client_against_headless_json_listener() {
    let server = Running::listening(&["listen", "127.0.0.1:0", "--headless", "--json", "--echo"]);
    let port = server.addr.port().to_string();
    let status = Command::new("python3")
        .args(["-c", HOWTO_CLIENT, &port, &MSGLEN.to_string()])
        .status()
        .expect("python3 runs");
    assert!(status.success(), "the HOWTO client got its echo back");
    let (code, out) = server.interrupt();
    assert_eq!(code, 0, "SIGINT ends a headless run cleanly");

    let events = json_lines(&out);
    assert_eq!(events[0]["ev"], "session");
    assert_eq!(events[0]["version"], 1);
    let conn = events.iter().find(|e| e["ev"] == "accept").expect("an accept")["conn"].clone();
    let expected: Vec<u8> = (0..MSGLEN).map(|i| ((i * 7 + 3) % 256) as u8).collect();
    let mut received = Vec::new();
    let mut sent = Vec::new();
    for e in events.iter().filter(|e| e["conn"] == conn) {
        match e["ev"].as_str() {
            Some("recv") => {
                let data = hex_of(e, "data");
                assert_eq!(e["len"].as_u64(), Some(data.len() as u64), "len matches data");
                received.extend(data);
            }
            Some("send") => {
                let data = hex_of(e, "data");
                assert!(e["len"].as_u64() <= e["requested"].as_u64());
                sent.extend(data);
            }
            _ => {}
        }
    }
    assert!(received == expected, "recv events hold every byte the client sent, in order");
    assert!(sent == expected, "send events hold every byte echoed back, in order");
    let last = events.iter().rev().find(|e| e["conn"] == conn).expect("events for the connection");
    assert_eq!(last["ev"], "close", "a connection's last event is its close");
    let times: Vec<u64> = events.iter().map(|e| e["t_us"].as_u64().expect("t_us")).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "t_us never decreases");
}
