//! `proxy --tls --upstream-tls`: sockscope terminates the client's TLS and speaks TLS to the
//! upstream; 20 MiB go through each way byte-exact (SHA-256 on both ends), with each side's
//! handshake reported on its own socket.

mod support;
mod tls_support;

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

const TWENTY_MIB: usize = 20 << 20;

#[test]
fn twenty_mib_each_way_through_a_tls_to_tls_proxy_are_byte_exact() {
    if !tls_support::python_present("twenty_mib_through_a_tls_proxy") {
        return;
    }
    let certs = Certs::new();
    let n = TWENTY_MIB.to_string();
    let mut upstream = Command::new("python3")
        .args(["-c", PY_UPSTREAM, Certs::s(&certs.cert), Certs::s(&certs.key), &n])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let mut line = String::new();
    let out = upstream.stdout.take().expect("stdout");
    std::io::BufRead::read_line(&mut std::io::BufReader::new(out), &mut line).expect("a port");
    let up = format!("localhost:{}", line.trim());
    let tls = ["--tls", "--cert", Certs::s(&certs.cert), "--key", Certs::s(&certs.key)];
    let mut args = vec!["proxy", "127.0.0.1:0", &up, "--headless", "--json"];
    args.extend_from_slice(&tls);
    args.extend_from_slice(&["--upstream-tls", "--ca-cert", Certs::s(&certs.ca)]);
    // JSON Lines of 20 MiB each way would be hundreds of MB of hex: watch the stages only.
    let mut proxy = Live::start(&args);
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
}
