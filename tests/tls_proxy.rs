//! `proxy --tls --upstream-tls`: sockscope terminates the client's TLS and speaks TLS to the
//! upstream; 50 MiB go through each way byte-exact (SHA-256 on both ends), with each side's
//! handshake reported on its own socket.

#[path = "shared/relays.rs"]
mod relays;
mod support;
mod tls_support;

use relays::Relay;
use std::process::Command;
use support::live::Live;
use tls_support::Certs;

/// The upstream: reads ARGV[4] bytes, answers their SHA-256 (hex), then sends as many bytes
/// of its own (seeded 2) and closes.
const PY_UPSTREAM: &str = r#"
import hashlib, random, socket, ssl, sys
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1)
print(srv.getsockname()[1], flush=True)
n = int(sys.argv[3])
s = ctx.wrap_socket(srv.accept()[0], server_side=True)
h, got = hashlib.sha256(), 0
while got < n:
    chunk = s.recv(1 << 20)
    if not chunk:
        break
    h.update(chunk)
    got += len(chunk)
s.sendall(h.hexdigest().encode())
s.sendall(random.Random(2).randbytes(n))
s.close()
"#;

/// The client: sends ARGV[4] bytes (seeded 1) through the proxy, checks the upstream's
/// digest of them, then the digest of what the upstream sent. ARGV: port, CA, name, length.
const PY_CLIENT: &str = r#"
import hashlib, random, socket, ssl, sys
port, ca, name, n = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
ctx = ssl.create_default_context(cafile=ca)
s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=60), server_hostname=name)
msg = random.Random(1).randbytes(n)
s.sendall(msg)
def read(k):
    out = bytearray()
    while len(out) < k:
        chunk = s.recv(min(1 << 20, k - len(out)))
        if not chunk:
            break
        out += chunk
    return bytes(out)
assert read(64).decode() == hashlib.sha256(msg).hexdigest(), "upstream got other bytes"
back = read(n)
assert hashlib.sha256(back).digest() == hashlib.sha256(random.Random(2).randbytes(n)).digest(), "client got other bytes: %d" % len(back)
print("ok", s.version(), flush=True)
s.close()
"#;

const FIFTY_MIB: usize = 50 << 20;

/// With `--relay splice` too: TLS bytes must be decrypted in user space, so both directions
/// copy, and no splice is reported.
fn fifty_mib_each_way_through_a_tls_to_tls_proxy_are_byte_exact(relay: Relay) {
    if !tls_support::python_present("fifty_mib_through_a_tls_proxy") {
        return;
    }
    let certs = Certs::new();
    let n = FIFTY_MIB.to_string();
    let args = [Certs::s(&certs.cert), Certs::s(&certs.key), n.as_str()];
    let stderr = std::process::Stdio::inherit();
    let (mut upstream, port) = tls_support::python_server(PY_UPSTREAM, &args, stderr);
    let up = format!("localhost:{port}");
    let tls = ["--tls", "--cert", Certs::s(&certs.cert), "--key", Certs::s(&certs.key)];
    let mut args =
        vec!["proxy", "127.0.0.1:0", &up, "--headless", "--json", "--relay", relay.name()];
    args.extend_from_slice(&tls);
    args.extend_from_slice(&["--upstream-tls", "--ca-cert", Certs::s(&certs.ca)]);
    // JSON Lines of 50 MiB each way are hundreds of MB of hex: watch the stages only.
    let mut proxy = Live::start_without_payloads(&args);
    let port = proxy.addr.port().to_string();
    let client = Command::new("python3")
        .args(["-c", PY_CLIENT, &port, Certs::s(&certs.ca), "localhost", &n])
        .output()
        .expect("python3 runs");
    let _ = upstream.kill();
    let _ = upstream.wait();
    let said = String::from_utf8_lossy(&client.stdout);
    assert!(
        client.status.success() && said.starts_with("ok TLSv1.3"),
        "{said} {}",
        String::from_utf8_lossy(&client.stderr)
    );
    proxy.wait_until("both handshakes", |seen| {
        seen.iter().filter(|e| e["stage"] == "established").count() == 2
    });
    let accepted = proxy.wait_for("the client", |e| e["ev"] == "accept")["conn"].clone();
    let hello = proxy
        .wait_for("the client's hello", |e| e["stage"] == "client_hello" && e["conn"] == accepted);
    assert_eq!(hello["sni"], "localhost");
    let upstream_up = proxy.wait_for("the upstream's handshake", |e| {
        e["stage"] == "established" && e["conn"] != accepted
    });
    assert_eq!(upstream_up["subject"], "CN=localhost", "the upstream's certificate is reported");
    // Only events without payload are kept here: `splice_in` and `tee` among them.
    let spliced = proxy.seen.iter().any(|e| e["ev"] == "splice_in" || e["ev"] == "tee");
    assert!(!spliced, "TLS bytes are never spliced");
}

/// An upstream for the half-close and reset tests: reads until the client's end, then (if it
/// was a clean end: a `close_notify`) answers and closes. Prints its port, then `eof N`,
/// `reset` or `eof without close_notify`.
const PY_HALF_CLOSE_UPSTREAM: &str = r#"
import socket, ssl, sys
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1)
print(srv.getsockname()[1], flush=True)
# A TCP FIN without close_notify raises here rather than reading as a clean end.
s = ctx.wrap_socket(srv.accept()[0], server_side=True, suppress_ragged_eofs=False)
got = b""
try:
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        got += chunk
except ConnectionResetError:
    print("reset", flush=True)
    sys.exit(0)
except ssl.SSLEOFError as e:
    print("eof without close_notify", repr(e), flush=True)
    sys.exit(0)
print("eof", len(got), flush=True)
s.sendall(b"reply after your close_notify")
s.close()
"#;

fn half_close_upstream(
    certs: &Certs,
) -> (std::process::Child, String, std::io::Lines<std::io::BufReader<std::process::ChildStdout>>) {
    use std::io::BufRead;
    let mut upstream = Command::new("python3")
        .args(["-c", PY_HALF_CLOSE_UPSTREAM, Certs::s(&certs.cert), Certs::s(&certs.key)])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let out = upstream.stdout.take().expect("stdout");
    let mut lines = std::io::BufReader::new(out).lines();
    let port = lines.next().expect("a port line").expect("a port");
    (upstream, format!("localhost:{port}"), lines)
}

/// A client of a TLS proxy to [`half_close_upstream`], having sent `request`: the upstream,
/// the lines it says, the proxy and the client.
fn client_through_a_tls_proxy(
    request: &[u8],
) -> (
    std::process::Child,
    std::io::Lines<std::io::BufReader<std::process::ChildStdout>>,
    Live,
    std::net::TcpStream,
) {
    use std::io::Write;
    let certs = Certs::new();
    let (upstream, up, said) = half_close_upstream(&certs);
    let proxy = upstream_tls_proxy(&certs, &up);
    let mut client = std::net::TcpStream::connect(proxy.addr).expect("connects");
    client.write_all(request).expect("writes");
    (upstream, said, proxy, client)
}

fn upstream_tls_proxy(certs: &Certs, upstream: &str) -> Live {
    let ca = Certs::s(&certs.ca);
    Live::start(&[
        "proxy",
        "127.0.0.1:0",
        upstream,
        "--headless",
        "--json",
        "--upstream-tls",
        "--ca-cert",
        ca,
    ])
}

#[test]
fn a_clients_half_close_reaches_the_upstream_as_close_notify_and_the_reply_still_comes() {
    use std::io::Read;
    if !tls_support::python_present("half_close_through_a_tls_proxy") {
        return;
    }
    let (mut upstream, mut said, mut proxy, mut client) = client_through_a_tls_proxy(b"request");
    client.shutdown(std::net::Shutdown::Write).expect("half-closes");
    client.set_read_timeout(Some(support::DEADLINE)).expect("a deadline");
    let mut reply = Vec::new();
    client.read_to_end(&mut reply).expect("the reply, then EOF");
    assert_eq!(reply, b"reply after your close_notify");
    assert_eq!(
        said.next().expect("a line").expect("text"),
        "eof 7",
        "the upstream saw a clean end"
    );
    let sent =
        proxy.wait_for("our close_notify", |e| e["stage"] == "close_notify" && e["by"] == "local");
    let shut =
        proxy.wait_for("the shutdown", |e| e["ev"] == "shutdown" && e["conn"] == sent["conn"]);
    assert!(sent["t_us"].as_u64() <= shut["t_us"].as_u64());
    let _ = upstream.wait();
}

#[test]
fn a_clients_reset_resets_the_tls_upstream_without_a_close_notify() {
    if !tls_support::python_present("reset_through_a_tls_proxy") {
        return;
    }
    let (mut upstream, mut said, mut proxy, client) = client_through_a_tls_proxy(b"partial");
    proxy.wait_for("the upstream's handshake", |e| e["stage"] == "established");
    proxy.wait_for("the bytes upstream", |e| e["ev"] == "tls_write");
    socket2::SockRef::from(&client).set_linger(Some(std::time::Duration::ZERO)).expect("linger 0");
    drop(client);
    let outcome = said.next().expect("a line").expect("text");
    proxy.wait_until("both closes", |seen| seen.iter().filter(|e| e["ev"] == "close").count() == 2);
    // OpenSSL reports a reset during a read as an end without close_notify (SSLEOFError) or as
    // ECONNRESET, depending on when it comes; either way never as a clean end.
    assert!(
        outcome == "reset" || outcome.starts_with("eof without close_notify"),
        "the upstream saw no clean end: {outcome}; proxy:\n{}",
        proxy.log()
    );
    let upstream_conn = proxy.wait_for("the upstream", |e| e["ev"] == "connect")["conn"].clone();
    proxy.wait_for("the reset passed on", |e| e["ev"] == "reset" && e["conn"] == upstream_conn);
    assert!(
        !proxy.seen.iter().any(|e| e["stage"] == "close_notify"),
        "a reset is not turned into an orderly close_notify"
    );
    let _ = upstream.wait();
}

#[test]
fn an_upstream_that_fails_verification_resets_the_client_and_says_why() {
    use std::io::{Read, Write};
    if !tls_support::python_present("an_upstream_that_fails_verification") {
        return;
    }
    let certs = Certs::new();
    let other = Certs::signed_by_ca_named("another CA");
    let (mut upstream, up, _said) = half_close_upstream(&certs);
    let mut proxy = upstream_tls_proxy(&other, &up);
    let mut client = std::net::TcpStream::connect(proxy.addr).expect("connects");
    client.set_read_timeout(Some(support::DEADLINE)).expect("a deadline");
    // The upstream may fail before the client writes: then the write is what meets the reset.
    let ended = client.write_all(b"hello").and_then(|()| client.read_to_end(&mut Vec::new()));
    assert_eq!(
        ended.map_err(|e| e.kind()),
        Err(std::io::ErrorKind::ConnectionReset),
        "the client is reset, as after any failed upstream, not told a clean end"
    );
    let error = proxy.wait_for("the upstream's error", |e| e["kind"] == "tls");
    let message = error["message"].as_str().unwrap_or_default();
    assert!(message.contains("unknown issuer") && message.contains("--ca-cert"), "{message}");
    proxy.wait_for("its close", |e| {
        e["ev"] == "close" && e["conn"] == error["conn"] && e["by"] == "error"
    });
    let _ = upstream.kill();
    let _ = upstream.wait();
}

/// An upstream that answers one line and closes without a `close_notify`, as many HTTP
/// servers do.
const PY_ABRUPT_UPSTREAM: &str = r#"
import socket, ssl, sys
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1)
print(srv.getsockname()[1], flush=True)
s = ctx.wrap_socket(srv.accept()[0], server_side=True)
s.recv(100)
s.sendall(b"bye\n")
s.close()
"#;

#[test]
fn a_client_that_ends_after_an_upstream_left_without_close_notify_is_closed_not_reset() {
    use std::io::{BufRead, Read, Write};
    if !tls_support::python_present("abrupt_tls_upstream") {
        return;
    }
    let certs = Certs::new();
    let mut upstream = Command::new("python3")
        .args(["-c", PY_ABRUPT_UPSTREAM, Certs::s(&certs.cert), Certs::s(&certs.key)])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let out = upstream.stdout.take().expect("stdout");
    let port = std::io::BufReader::new(out).lines().next().expect("a line").expect("a port");
    let mut proxy = upstream_tls_proxy(&certs, &format!("localhost:{port}"));
    let mut client = std::net::TcpStream::connect(proxy.addr).expect("connects");
    client.write_all(b"hello\n").expect("writes");
    client.set_read_timeout(Some(support::DEADLINE)).expect("a deadline");
    let mut reply = Vec::new();
    client.read_to_end(&mut reply).expect("the reply, then EOF");
    assert_eq!(reply, b"bye\n");
    client.shutdown(std::net::Shutdown::Write).expect("ends its side too");
    let accepted = proxy.wait_for("the client", |e| e["ev"] == "accept")["conn"].clone();
    let closed =
        proxy.wait_for("the client's close", |e| e["ev"] == "close" && e["conn"] == accepted);
    // Both directions had ended in order: nothing is left for a reset to say.
    assert!(
        !proxy.seen.iter().any(|e| e["ev"] == "reset" && e["conn"] == accepted),
        "a finished client is not reset: {}",
        proxy.log()
    );
    assert_ne!(closed["by"], "local", "{}", proxy.log());
    let _ = upstream.wait();
}

relay_tests!(fifty_mib_each_way_through_a_tls_to_tls_proxy_are_byte_exact);
