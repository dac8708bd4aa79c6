//! `replay FILE --to udp:ADDR`: a recorded datagram conversation re-sent to a real loopback
//! server, each datagram one `sendto`, the replies compared datagram by datagram. Python
//! peers: an echo (exit 0) and an upper-casing one (exit 3, the first datagram that differs).
//!
//! Needs python3: under `CI=true` a missing python3 fails; elsewhere the test is skipped loudly.

mod support;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use support::{Running, sockscope};

/// Sends each argument as one datagram (`-` for an empty one) and waits for each echo.
const CLIENT: &str = r#"
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(20)
for text in sys.argv[2:]:
    payload = b"" if text == "-" else text.encode()
    s.sendto(payload, ("127.0.0.1", int(sys.argv[1])))
    reply, _ = s.recvfrom(70000)
    assert reply == payload, (reply, payload)
"#;

/// Answers every datagram (echo, or upper-cased with the argument `upper`); prints its port.
const SERVER: &str = r#"
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
s.settimeout(30)
print(s.getsockname()[1], flush=True)
upper = sys.argv[1:] == ["upper"]
while True:
    data, peer = s.recvfrom(70000)
    s.sendto(data.upper() if upper else data, peer)
"#;

/// A running Python UDP server and its port; `None` when python3 is missing outside CI.
struct Peer(Child, u16);

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn python_server(args: &[&str]) -> Option<Peer> {
    let spawned =
        Command::new("python3").args(["-c", SERVER]).args(args).stdout(Stdio::piped()).spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(err) if std::env::var("CI").as_deref() != Ok("true") => {
            eprintln!("SKIPPED: python3 is not available: {err}");
            return None;
        }
        Err(err) => panic!("python3 is required under CI: {err}"),
    };
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let port = line.trim().parse().expect("the server prints its port");
    Some(Peer(child, port))
}

/// Records `listen udp: --echo` hearing three datagrams (one of them empty) from one client.
fn record(dir: &Path) -> std::path::PathBuf {
    let file = dir.join("udp.sscope");
    let server = Running::listening(&[
        "listen",
        "udp:0",
        "--echo",
        "--headless",
        "--record",
        file.to_str().unwrap(),
    ]);
    let port = server.addr.port().to_string();
    let out = Command::new("python3")
        .args(["-c", CLIENT, &port, "hello", "-", "two words"])
        .output()
        .expect("python3 runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(server.interrupt().0, 0);
    file
}

fn replay(file: &Path, to: &str) -> Output {
    sockscope()
        .args(["replay", file.to_str().unwrap(), "--to", to, "--reply-timeout", "3"])
        .stdin(Stdio::null())
        .output()
        .expect("binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn an_echo_gives_back_every_datagram_whole_exit_0() {
    let Some(echo) = python_server(&[]) else { return };
    let dir = tempfile::tempdir().unwrap();
    let file = record(dir.path());
    let out = replay(&file, &format!("udp:127.0.0.1:{}", echo.1));
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert_eq!(
        stdout.trim(),
        "identical: sent 14 bytes, received the 3 recorded datagrams (14 bytes)"
    );
}

#[test]
fn an_upper_casing_peer_differs_at_the_first_datagram_exit_3() {
    let Some(upper) = python_server(&["upper"]) else { return };
    let dir = tempfile::tempdir().unwrap();
    let file = record(dir.path());
    let out = replay(&file, &format!("udp:127.0.0.1:{}", upper.1));
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains(
            "replies differ at datagram 0 (received 1, recorded 3): \
             expected 5 B 68 65 6c 6c 6f, got 5 B 48 45 4c 4c 4f"
        ),
        "{stdout}"
    );
}

#[test]
fn a_datagram_recording_is_not_resent_over_a_stream_exit_2() {
    if python_server(&[]).is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = record(dir.path());
    let out = replay(&file, "127.0.0.1:9");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("is a datagram socket"), "{}", text(&out.stderr));
}
