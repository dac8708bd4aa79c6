//! Datagram quality bars over loopback, the real binary against Python peers: truncation,
//! echo to several clients, a proxy whose interleaved clients each get only their own
//! replies, flow expiry, IPv6, Unix datagram sockets by path and by abstract name, and an
//! ICMP port unreachable reported as `refused`. (Boundaries at 0 to 65 507 bytes, `connect
//! udp:` with `--stdio` and the headless flood are in `cli_datagram.rs`; the flood under the
//! terminal UI in `tui_datagram_flood.rs`.)
//!
//! Needs python3: under `CI=true` a missing python3 fails; elsewhere each test is skipped
//! loudly.

mod support;

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Instant;
use support::{DEADLINE, signal, sockscope, wait_with_deadline};

/// Whether python3 runs; under CI its absence fails the test.
fn python_ready() -> bool {
    match Command::new("python3").arg("--version").output() {
        Ok(out) if out.status.success() => true,
        result if std::env::var("CI").as_deref() != Ok("true") => {
            eprintln!("SKIPPED: python3 is not available: {result:?}");
            false
        }
        result => panic!("python3 is required under CI: {result:?}"),
    }
}

/// `sockscope ARGS --headless --json`, its JSON lines as they come, and the address it
/// reported on stderr (`listening on ADDR`).
struct Live {
    child: Child,
    addr: String,
    lines: Receiver<Value>,
    seen: Vec<Value>,
}

impl Live {
    fn start(args: &[&str]) -> Self {
        let mut child = sockscope()
            .args(args)
            .args(["--headless", "--json"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("binary starts");
        let (tx, lines) = mpsc::channel();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
                if tx.send(value).is_err() {
                    break;
                }
            }
        });
        let mut err = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        let addr = loop {
            line.clear();
            assert!(err.read_line(&mut line).unwrap() > 0, "no 'listening on' line");
            if let Some(addr) = line.trim().strip_prefix("listening on ") {
                break addr.to_owned();
            }
        };
        std::thread::spawn(move || std::io::copy(&mut err, &mut std::io::sink()));
        Self { child, addr, lines, seen: Vec::new() }
    }

    /// The port of an IP address reported as `udp:HOST:PORT`.
    fn port(&self) -> String {
        self.addr.rsplit(':').next().unwrap().to_owned()
    }

    /// Waits (with a deadline) for an event that `pred` accepts; returns it.
    fn wait_for(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(found) = self.seen.iter().find(|e| pred(e)) {
            return found.clone();
        }
        let end = Instant::now() + DEADLINE;
        loop {
            let left = end.saturating_duration_since(Instant::now());
            let event = self.lines.recv_timeout(left).unwrap_or_else(|_| {
                panic!("no {what} in time; events: {:#?}", self.seen);
            });
            self.seen.push(event.clone());
            if pred(&event) {
                return event;
            }
        }
    }

    /// Waits (with a deadline) until `n` events named `name` have come; returns them.
    fn wait_count(&mut self, name: &str, n: usize) -> Vec<Value> {
        let end = Instant::now() + DEADLINE;
        while ev(&self.seen, name).count() < n {
            let left = end.saturating_duration_since(Instant::now());
            let event = self.lines.recv_timeout(left);
            let event =
                event.unwrap_or_else(|e| panic!("{n} {name} events ({e}): {:#?}", self.seen));
            self.seen.push(event);
        }
        ev(&self.seen, name).cloned().collect()
    }

    /// SIGINT, then every event until the end; the exit code.
    fn stop(mut self) -> (i32, Vec<Value>) {
        signal(self.child.id(), "INT");
        let code = wait_with_deadline(&mut self.child);
        self.seen.extend(self.lines.try_iter());
        (code, std::mem::take(&mut self.seen))
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs a Python peer to its end (it must exit 0); returns what it printed.
fn python(program: &str, args: &[&str]) -> String {
    let out = Command::new("python3").args(["-c", program]).args(args).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    text
}

fn ev<'a>(events: &'a [Value], name: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
    events.iter().filter(move |e| e["ev"] == name)
}

const SEND_SIZES: &str = r#"
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for size in map(int, sys.argv[2:]):
    s.sendto(b"t" * size, ("127.0.0.1", int(sys.argv[1])))
"#;

#[test]
fn a_datagram_longer_than_the_buffer_is_truncated_with_its_real_length() {
    if !python_ready() {
        return;
    }
    let mut live = Live::start(&["listen", "udp:0", "--recv-chunk", "100"]);
    python(SEND_SIZES, &[&live.port(), "300", "100", "9000"]);
    let got = live.wait_count("recvfrom", 3);
    let seen: Vec<(u64, Option<u64>)> =
        got.iter().map(|e| (e["len"].as_u64().unwrap(), e["truncated"].as_u64())).collect();
    assert_eq!(seen, vec![(100, Some(300)), (100, None), (100, Some(9000))]);
    assert!(got.iter().all(|e| e["max"] == 100 && e["data"].as_str().unwrap().len() == 200));
}

/// Three clients send interleaved rounds to `argv[1]` (a port, or `proxy` mode's port) and
/// each must get back exactly its own datagrams, in order, answered as `argv[2]` says
/// (`echo`: the same bytes; `tag`: the upstream's `@up` appended).
const INTERLEAVED: &str = r#"
import socket, sys
port, answer = int(sys.argv[1]), sys.argv[2]
clients = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(3)]
for c in clients:
    c.settimeout(10)
    c.bind(("127.0.0.1", 0))
for rnd in range(4):
    for i, c in enumerate(clients):
        c.sendto(f"client {i} round {rnd}".encode(), ("127.0.0.1", port))
for i, c in enumerate(clients):
    for rnd in range(4):
        data, sender = c.recvfrom(100)
        want = f"client {i} round {rnd}".encode() + (b"@up" if answer == "tag" else b"")
        assert data == want, (i, rnd, data)
        assert sender[1] == port, sender
    c.setblocking(False)
    try:
        extra = c.recv(100)
        raise SystemExit(f"client {i} got another's datagram: {extra!r}")
    except BlockingIOError:
        pass
print(" ".join(str(c.getsockname()[1]) for c in clients))
"#;

#[test]
fn echo_answers_several_clients_each_with_its_own_datagrams() {
    if !python_ready() {
        return;
    }
    let live = Live::start(&["listen", "udp:0", "--echo"]);
    let ports = python(INTERLEAVED, &[&live.port(), "echo"]);
    let (code, events) = live.stop();
    assert_eq!(code, 0);
    for port in ports.split_whitespace() {
        let peer = format!("udp:127.0.0.1:{port}");
        assert_eq!(ev(&events, "recvfrom").filter(|e| e["peer"] == peer.as_str()).count(), 4);
        assert_eq!(ev(&events, "sendto").filter(|e| e["peer"] == peer.as_str()).count(), 4);
    }
}

/// An upstream that answers every datagram with `@up` appended, until killed; prints its port.
const TAGGING_UPSTREAM: &str = r#"
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True)
while True:
    data, peer = s.recvfrom(70000)
    s.sendto(data + b"@up", peer)
"#;

struct Upstream(Child, String);

impl Drop for Upstream {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn tagging_upstream() -> Upstream {
    let mut child = Command::new("python3")
        .args(["-c", TAGGING_UPSTREAM])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    Upstream(child, format!("udp:127.0.0.1:{}", line.trim()))
}

#[test]
fn a_proxy_returns_to_interleaved_clients_only_their_own_replies() {
    if !python_ready() {
        return;
    }
    let upstream = tagging_upstream();
    let live = Live::start(&["proxy", "udp:0", &upstream.1]);
    python(INTERLEAVED, &[&live.port(), "tag"]);
    let (code, events) = live.stop();
    assert_eq!(code, 0);
    let flows: Vec<&Value> = ev(&events, "connect").filter(|e| e["client"].is_string()).collect();
    assert_eq!(flows.len(), 3, "one flow per client: {flows:#?}");
}

/// Sends one datagram and reads the reply; then waits for a line on standard input and does it
/// again from the same address.
const TWICE: &str = r#"
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(10)
for text in (b"first", b"second"):
    s.sendto(text, ("127.0.0.1", int(sys.argv[1])))
    assert s.recv(100) == text + b"@up"
    print("answered", flush=True)
    if text == b"first":
        sys.stdin.readline()
"#;

#[test]
fn an_idle_flow_expires_and_the_next_datagram_opens_another() {
    if !python_ready() {
        return;
    }
    let upstream = tagging_upstream();
    let mut live = Live::start(&["proxy", "udp:0", &upstream.1, "--idle-timeout", "300ms"]);
    let mut client = Command::new("python3")
        .args(["-c", TWICE, &live.port()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut said = BufReader::new(client.stdout.take().unwrap());
    let mut answered = String::new();
    said.read_line(&mut answered).unwrap();
    let flow = live.wait_for("the flow", |e| e["ev"] == "connect" && e["client"].is_string());
    let id = flow["conn"].clone();
    live.wait_for("the idle timeout", |e| {
        e["ev"] == "error" && e["conn"] == id && e["kind"] == "timed_out"
    });
    live.wait_for("the flow's close", |e| e["ev"] == "close" && e["conn"] == id);
    let stdin: &mut ChildStdin = client.stdin.as_mut().unwrap();
    stdin.write_all(b"go on\n").unwrap();
    let mut rest = String::new();
    said.read_to_string(&mut rest).unwrap();
    assert_eq!(rest, "answered\n");
    assert!(client.wait().unwrap().success());
    let again = live.wait_for("a second flow", |e| {
        e["ev"] == "connect" && e["client"].is_string() && e["conn"] != id
    });
    assert_eq!(again["client"], flow["client"], "the same client address");
}

const IPV6_CLIENT: &str = r#"
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.settimeout(10)
for size in (0, 1, 1452):
    s.sendto(b"6" * size, ("::1", int(sys.argv[1])))
    assert s.recv(2000) == b"6" * size
"#;

#[test]
fn ipv6_datagrams_keep_their_boundaries() {
    if !python_ready() {
        return;
    }
    let live = Live::start(&["listen", "udp:[::1]:0", "--echo"]);
    assert!(live.addr.starts_with("udp:[::1]:"), "{}", live.addr);
    python(IPV6_CLIENT, &[&live.port()]);
    let (code, events) = live.stop();
    assert_eq!(code, 0);
    let lens: Vec<u64> = ev(&events, "recvfrom").map(|e| e["len"].as_u64().unwrap()).collect();
    assert_eq!(lens, vec![0, 1, 1452]);
    assert!(ev(&events, "recvfrom").all(|e| e["peer"].as_str().unwrap().starts_with("udp:[::1]:")));
}

/// A Unix datagram client bound to its own name (argv[2], `@` for abstract), so the echo can
/// find it; sends to argv[1].
const UNIX_CLIENT: &str = r#"
import socket, sys
def name(text):
    return "\0" + text[1:] if text.startswith("@") else text
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.settimeout(10)
s.bind(name(sys.argv[2]))
for text in (b"", b"over", b"AF_UNIX"):
    s.sendto(text, name(sys.argv[1]))
    assert s.recv(100) == text
"#;

#[test]
fn unix_datagram_sockets_by_path_and_by_abstract_name_echo_each_datagram() {
    if !python_ready() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("server.sock");
    let client = dir.path().join("client.sock");
    let unique = format!("@sockscope-test-{}", std::process::id());
    let cases = [
        (format!("unixgram:{}", path.display()), client.display().to_string()),
        (format!("unixgram:{unique}"), format!("{unique}-client")),
    ];
    for (server, client) in cases {
        let live = Live::start(&["listen", &server, "--echo"]);
        assert_eq!(live.addr, server);
        let name = server.strip_prefix("unixgram:").unwrap();
        python(UNIX_CLIENT, &[name, &client]);
        let (code, events) = live.stop();
        assert_eq!(code, 0);
        let lens: Vec<u64> = ev(&events, "recvfrom").map(|e| e["len"].as_u64().unwrap()).collect();
        assert_eq!(lens, vec![0, 4, 7], "{server}");
        let peer = format!("unixgram:{client}");
        assert!(ev(&events, "sendto").all(|e| e["peer"] == peer.as_str()), "{server}");
    }
}

/// A UDP port nobody listens on: bound by Python, then closed.
const CLOSED_PORT: &str = r#"
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
"#;

#[test]
fn a_connected_socket_learns_of_a_closed_port_as_refused() {
    if !python_ready() {
        return;
    }
    let port = python(CLOSED_PORT, &[]).trim().to_owned();
    let mut child = sockscope()
        .args(["connect", &format!("udp:127.0.0.1:{port}"), "--headless", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    stdin.write_all(b"anyone there?").unwrap();
    stdin.flush().unwrap();
    let mut events = Vec::new();
    let mut line = String::new();
    while out.read_line(&mut line).unwrap() > 0 {
        let event: Value = serde_json::from_str(&line).unwrap();
        line.clear();
        events.push(event);
        if events.last().is_some_and(|e| e["ev"] == "close") {
            break;
        }
    }
    drop(stdin);
    let code = wait_with_deadline(&mut child);
    let sent = ev(&events, "sendto").next().expect("the datagram was sent");
    assert_eq!(sent["len"], 13);
    let refused = ev(&events, "error").next().expect("an error");
    assert_eq!(refused["kind"], "refused", "{events:#?}");
    assert_eq!(code, 1, "a refusal is a network failure");
}

/// Answers each datagram upper-cased and prints its length, until killed; prints its port first.
const UPPER_LOGGING: &str = r#"
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True)
while True:
    data, peer = s.recvfrom(70000)
    print(len(data), flush=True)
    s.sendto(data.upper(), peer)
"#;

#[test]
fn connect_udp_sends_each_read_of_standard_input_as_one_datagram_replies_to_stdout() {
    if !python_ready() {
        return;
    }
    let mut server =
        Command::new("python3").args(["-c", UPPER_LOGGING]).stdout(Stdio::piped()).spawn().unwrap();
    let mut heard = BufReader::new(server.stdout.take().unwrap());
    let mut port = String::new();
    heard.read_line(&mut port).unwrap();
    let mut client = sockscope()
        .args(["connect", &format!("udp:127.0.0.1:{}", port.trim())])
        .args(["--headless", "--stdio", "--idle-timeout", "2s"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = client.stdin.take().unwrap();
    let mut stdout = client.stdout.take().unwrap();
    for piece in ["one", "two words", "3"] {
        // Each piece is one write, read as one read: the reply comes before the next.
        stdin.write_all(piece.as_bytes()).unwrap();
        stdin.flush().unwrap();
        let mut reply = vec![0; piece.len()];
        stdout.read_exact(&mut reply).unwrap();
        assert_eq!(reply, piece.to_uppercase().as_bytes());
        let mut len = String::new();
        heard.read_line(&mut len).unwrap();
        assert_eq!(len.trim(), piece.len().to_string(), "one datagram per read");
    }
    drop(stdin);
    assert_eq!(wait_with_deadline(&mut client), 0);
    let _ = server.kill();
    let _ = server.wait();
}
