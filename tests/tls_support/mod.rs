//! TLS peers for the loopback tests: certificates made here with rcgen (a CA and a leaf for
//! `localhost`), Python's `ssl` module as an independent client and server, and the checks
//! for the tools they need (under `CI=true` a missing tool fails the test).
#![allow(dead_code)]

#[path = "../shared/required.rs"]
mod required;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A CA and a leaf certificate it signed for `localhost` and 127.0.0.1, as PEM files.
pub struct Certs {
    pub dir: tempfile::TempDir,
    pub ca: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl Certs {
    pub fn new() -> Self {
        Self::signed_by_ca_named("sockscope test CA")
    }

    /// The same, with a CA of another name (a different CA of the same name would only make
    /// the signature wrong, not the issuer unknown).
    pub fn signed_by_ca_named(ca_name: &str) -> Self {
        let dir = tempfile::tempdir().expect("a temp dir");
        let ca_key = KeyPair::generate().expect("a CA key");
        let mut ca_params = CertificateParams::new(Vec::new()).expect("CA params");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.distinguished_name.push(DnType::CommonName, ca_name);
        let ca = ca_params.self_signed(&ca_key).expect("a CA certificate");
        let issuer = Issuer::new(ca_params, ca_key);
        let leaf_key = KeyPair::generate().expect("a leaf key");
        let mut leaf_params =
            CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
                .expect("leaf params");
        leaf_params.distinguished_name.push(DnType::CommonName, "localhost");
        let leaf = leaf_params.signed_by(&leaf_key, &issuer).expect("a leaf certificate");
        let write = |name: &str, text: String| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).expect("write a PEM file");
            path
        };
        let ca = write("ca.pem", ca.pem());
        let cert = write("cert.pem", leaf.pem());
        let key = write("key.pem", leaf_key.serialize_pem());
        Self { dir, ca, cert, key }
    }

    pub fn s(path: &Path) -> &str {
        path.to_str().expect("a UTF-8 path")
    }
}

/// Whether python3 is here; a test that needs it returns early when it is not (never under CI).
pub fn python_present(test: &str) -> bool {
    let present =
        Command::new("python3").arg("--version").output().is_ok_and(|o| o.status.success());
    required::present_or_skip(test, present, "python3 is not installed (apt-get install python3)")
}

/// Whether openssl is here.
pub fn openssl_present(test: &str) -> bool {
    let present = Command::new("openssl").arg("version").output().is_ok_and(|o| o.status.success());
    required::present_or_skip(test, present, "openssl is not installed (apt-get install openssl)")
}

/// Whether tshark is here.
pub fn tshark_present(test: &str) -> bool {
    required::tool_or_skip(test, "tshark")
}

/// Whether curl is here.
pub fn curl_present(test: &str) -> bool {
    let present = Command::new("curl").arg("--version").output().is_ok_and(|o| o.status.success());
    required::present_or_skip(test, present, "curl is not installed (apt-get install curl)")
}

/// A TLS server in Python: one connection, echoing every byte until the peer's EOF. Prints
/// its port first. ARGV: cert, key, max version (`1.2` or `1.3`).
pub const PY_ECHO_SERVER: &str = r#"
import socket, ssl, sys
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
if sys.argv[3] == "1.2":
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
ctx.set_alpn_protocols(["h2", "http/1.1"])
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1)
print(srv.getsockname()[1], flush=True)
conn, _ = srv.accept()
try:
    s = ctx.wrap_socket(conn, server_side=True)
except (ssl.SSLError, OSError) as e:
    print("handshake failed:", e, file=sys.stderr, flush=True)
    sys.exit(0)
while True:
    chunk = s.recv(65536)
    if not chunk:
        break
    s.sendall(chunk)
s.close()
"#;

/// A TLS client in Python: sends ARGV[4] bytes of a pattern, reads the echo, checks it and
/// prints the version and ALPN agreed. ARGV: port, CA file, server name, length, ALPN, and
/// optionally the highest version (`1.2`).
pub const PY_ECHO_CLIENT: &str = r#"
import socket, ssl, sys
port, ca, name, n, alpn = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
ctx = ssl.create_default_context(cafile=ca)
ctx.set_alpn_protocols([alpn])
if sys.argv[6:] == ["1.2"]:
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
raw = socket.create_connection(("127.0.0.1", port), timeout=20)
s = ctx.wrap_socket(raw, server_hostname=name)
msg = bytes((i * 7 + 3) % 256 for i in range(n))
s.sendall(msg)
got = b""
while len(got) < n:
    chunk = s.recv(65536)
    if not chunk:
        break
    got += chunk
assert got == msg, "echo differs: %d bytes" % len(got)
print(s.version(), s.selected_alpn_protocol(), flush=True)
s.close()
"#;

/// A running Python TLS echo server and its port.
pub struct PyServer {
    pub child: Child,
    pub port: u16,
}

impl PyServer {
    pub fn start(certs: &Certs, max_version: &str) -> Self {
        let args = [Certs::s(&certs.cert), Certs::s(&certs.key), max_version];
        let (child, port) = python_server(PY_ECHO_SERVER, &args, Stdio::piped());
        Self { child, port }
    }
}

impl Drop for PyServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every JSON line of `out`.
pub fn events(out: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(out)
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect()
}

/// The concatenated hex `data` of the `name` events.
pub fn bytes_of(events: &[Value], name: &str) -> Vec<u8> {
    events
        .iter()
        .filter(|e| e["ev"] == name)
        .flat_map(|e| hex::decode(e["data"].as_str().expect("hex data")).expect("valid hex"))
        .collect()
}

/// The `tls` event of `stage`, if any.
pub fn stage<'a>(events: &'a [Value], stage: &str) -> Option<&'a Value> {
    events.iter().find(|e| e["ev"] == "tls" && e["stage"] == stage)
}

/// The pattern the Python client sends.
pub fn pattern(n: usize) -> Vec<u8> {
    (0..n).map(|i| ((i * 7 + 3) % 256) as u8).collect()
}

/// Starts `python3 -c SCRIPT ARGS...`, a server whose first line on standard output is its
/// port: the child and that port. `stderr`: where the script's complaints go.
pub fn python_server(script: &str, args: &[&str], stderr: Stdio) -> (Child, u16) {
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("python3 runs");
    let mut line = String::new();
    let out = child.stdout.take().expect("stdout piped");
    std::io::BufRead::read_line(&mut std::io::BufReader::new(out), &mut line)
        .expect("the port line");
    let port = line.trim().parse().expect("a port");
    (child, port)
}
