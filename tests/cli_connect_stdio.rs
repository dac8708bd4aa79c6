//! `sockscope connect ADDR --stdio` against a Python peer, like `nc`: standard input reaches
//! the peer byte for byte (then `shutdown(write)`), the peer's bytes come out on standard
//! output byte for byte, binary included, and nothing else is written there; the event log
//! goes to `--log FILE` (text, `--bytes all`, or `--json`).
//!
//! Needs python3: under `CI=true` a missing python3 fails; elsewhere the test is skipped loudly.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use support::sockscope;

/// Accepts one connection; sends `argv[2]` bytes `(i * 7 + 3) % 256` and shuts its writing
/// down first (so its EOF comes while standard input still flows), then reads everything
/// until EOF into the file `argv[1]`.
const PEER: &str = r#"
import socket, sys
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(1)
print(server.getsockname()[1], flush=True)
conn, _ = server.accept()
conn.sendall(bytes((i * 7 + 3) % 256 for i in range(int(sys.argv[2]))))
conn.shutdown(socket.SHUT_WR)
got = bytearray()
while True:
    chunk = conn.recv(65536)
    if not chunk:
        break
    got += chunk
with open(sys.argv[1], "wb") as f:
    f.write(got)
conn.close()
"#;

/// The Python peer and its port; `None` when python3 is missing outside CI.
fn python_peer(received: &Path, reply_len: usize) -> Option<(Child, u16)> {
    let spawned = Command::new("python3")
        .args(["-c", PEER])
        .arg(received)
        .arg(reply_len.to_string())
        .stdout(Stdio::piped())
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(err) if std::env::var("CI").as_deref() != Ok("true") => {
            eprintln!("skipping: python3 is not available: {err}");
            return None;
        }
        Err(err) => panic!("python3 is required under CI: {err}"),
    };
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap()).read_line(&mut line).unwrap();
    Some((child, line.trim().parse().expect("the peer's port")))
}

fn reply(len: usize) -> Vec<u8> {
    (0..len).map(|i| ((i * 7 + 3) % 256) as u8).collect()
}

/// Runs `connect --stdio` with `input` on standard input; returns (exit code, stdout).
fn connect_stdio(port: u16, input: Vec<u8>, extra: &[&str]) -> (Option<i32>, Vec<u8>) {
    let mut child = sockscope()
        .args(["connect", &format!("127.0.0.1:{port}"), "--stdio"])
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let mut out = Vec::new();
    child.stdout.take().unwrap().read_to_end(&mut out).unwrap();
    let code = support::wait_with_deadline(&mut child);
    writer.join().unwrap().unwrap();
    (Some(code), out)
}

/// Standard input keeps flowing after the peer's EOF: the second half of the input is written
/// only once the log shows that EOF, and still reaches the peer.
#[test]
fn bytes_pass_exactly_both_ways_and_stdout_holds_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let received = dir.path().join("received");
    let log = dir.path().join("log.txt");
    let reply_len = 300_000;
    let Some((mut peer, port)) = python_peer(&received, reply_len) else { return };
    let input: Vec<u8> =
        (0..700_000u32).map(|i| (i * 13 % 251) as u8).chain([0, 255, 13, 10]).collect();
    let mut child = sockscope()
        .args(["connect", &format!("127.0.0.1:{port}"), "--stdio", "--bytes", "all", "--log"])
        .arg(&log)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(&input[..350_000]).unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut out = vec![0; reply_len];
    stdout.read_exact(&mut out).unwrap();
    let end = std::time::Instant::now() + support::DEADLINE;
    while !std::fs::read_to_string(&log).unwrap().contains("recv -> 0 (EOF)") {
        assert!(std::time::Instant::now() < end, "no EOF in the log");
        std::thread::park_timeout(std::time::Duration::from_millis(5));
    }
    stdin.write_all(&input[350_000..]).unwrap();
    drop(stdin);
    stdout.read_to_end(&mut out).unwrap();
    assert_eq!(support::wait_with_deadline(&mut child), 0);
    assert!(peer.wait().unwrap().success());
    assert!(out == reply(reply_len), "standard output is exactly the peer's bytes");
    assert!(std::fs::read(&received).unwrap() == input, "the peer got standard input exactly");
    let log = std::fs::read_to_string(&log).unwrap();
    assert!(log.lines().any(|l| l.contains("shutdown(write)")), "{log}");
    let first_recv = log.lines().find(|l| l.contains(" recv(")).expect("a recv line");
    assert!(!first_recv.ends_with("..."), "--bytes all shows whole chunks: {first_recv}");
}

#[test]
fn a_json_log_and_an_empty_input() {
    let dir = tempfile::tempdir().unwrap();
    let received = dir.path().join("received");
    let log = dir.path().join("log.jsonl");
    let Some((mut peer, port)) = python_peer(&received, 5) else { return };
    let (code, out) = connect_stdio(port, Vec::new(), &["--log", log.to_str().unwrap(), "--json"]);
    assert!(peer.wait().unwrap().success());
    assert_eq!(code, Some(0));
    assert_eq!(out, reply(5));
    assert!(std::fs::read(&received).unwrap().is_empty());
    let events = support::json_lines(&std::fs::read(&log).unwrap());
    assert_eq!(events[0]["ev"], "session");
    assert!(events.iter().any(|e| e["ev"] == "close"), "the log ends with the close");
}

#[test]
fn stdio_options_that_cannot_apply_are_refused() {
    let cases: &[(&[&str], &str)] = &[
        (&["connect", "9", "--stdio", "--json"], "--log FILE"),
        (&["connect", "9", "--stdio", "--bytes", "all"], "--log FILE"),
        (&["connect", "9", "--log", "x.log"], "--stdio"),
        (&["listen", "0", "--bytes", "8"], "--headless"),
        (&["listen", "0", "--headless", "--json", "--bytes", "8"], "JSON Lines carry every byte"),
        (&["listen", "0", "--headless", "--bytes", "lots"], "'lots'"),
    ];
    for (args, mentions) in cases {
        let out = sockscope().args(*args).stdin(Stdio::null()).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(mentions), "{args:?}: {stderr}");
    }
}
