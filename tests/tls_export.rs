//! A recorded TLS proxy session carries its secrets: `export --format pcapng` writes the
//! ciphertext with a Decryption Secrets Block, and tshark, given no key file, reads curl's
//! HTTPS request from it; `--plaintext` writes the plaintext as the TCP payload instead.
//! Both captures are free of malformed packets. `--plaintext` of a recording without TLS,
//! or with another format, is refused with a reason.

mod support;
mod tls_support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};
use support::{Running, sockscope};
use tls_support::Certs;

/// An HTTP upstream that answers ARGV[1] GETs and exits; prints its port first.
const PY_HTTP_ONCE: &str = r#"
import http.server, sys
class Hello(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"hello over tls\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
srv = http.server.HTTPServer(("127.0.0.1", 0), Hello)
print(srv.server_address[1], flush=True)
srv.timeout = 60
for _ in range(int(sys.argv[1])):
    srv.handle_request()
"#;

const URI: &str = "/tls-export-check?who=curl";

fn tshark(capture: &Path, args: &[&str]) -> String {
    let out =
        Command::new("tshark").arg("-r").arg(capture).args(args).output().expect("tshark runs");
    assert!(out.status.success(), "tshark: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The request URIs tshark finds in `capture` among the packets `filter` keeps, a line each.
fn uris(capture: &Path, filter: &str) -> String {
    tshark(capture, &["-Y", filter, "-T", "fields", "-e", "http.request.uri"])
}

fn export(file: &Path, capture: &Path, extra: &[&str]) -> std::process::Output {
    sockscope()
        .arg("export")
        .arg(file)
        .args(["--format", "pcapng", "-o"])
        .arg(capture)
        .args(extra)
        .output()
        .expect("sockscope runs")
}

/// `proxy --tls --record FILE` to a plain HTTP upstream, with curl's HTTPS request through it.
fn record_curl_through_a_tls_proxy(certs: &Certs, file: &Path) {
    record_curls_through_a_tls_proxy(certs, file, 1);
}

/// [`record_curl_through_a_tls_proxy`], with `requests` curl runs one after the other.
fn record_curls_through_a_tls_proxy(certs: &Certs, file: &Path, requests: usize) {
    let count = requests.to_string();
    let (mut upstream, port) =
        tls_support::python_server(PY_HTTP_ONCE, &[&count], Stdio::inherit());
    let up = format!("127.0.0.1:{port}");
    let args = [
        "proxy",
        "127.0.0.1:0",
        &up,
        "--headless",
        "--tls",
        "--cert",
        Certs::s(&certs.cert),
        "--key",
        Certs::s(&certs.key),
        "--record",
        file.to_str().unwrap(),
    ];
    let proxy = Running::listening_with(&args, Stdio::null());
    let url = format!("https://localhost:{}{URI}", proxy.addr.port());
    for _ in 0..requests {
        let curl = Command::new("curl")
            .args(["-sS", "--max-time", "30", "--cacert", Certs::s(&certs.ca), &url])
            .output()
            .expect("curl runs");
        assert_eq!(
            String::from_utf8_lossy(&curl.stdout),
            "hello over tls\n",
            "curl through the proxy: {}",
            String::from_utf8_lossy(&curl.stderr)
        );
    }
    let _ = upstream.kill();
    let _ = upstream.wait();
    assert_eq!(proxy.interrupt().0, 0, "the proxy ends cleanly");
}

fn tools_present(test: &str) -> bool {
    tls_support::tshark_present(test)
        && tls_support::python_present(test)
        && tls_support::curl_present(test)
}

#[test]
fn tshark_decrypts_the_export_of_a_tls_proxy_session_with_no_key_file() {
    let test = "tshark_decrypts_the_export_of_a_tls_proxy_session_with_no_key_file";
    if !tools_present(test) {
        return;
    }
    let certs = Certs::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("https.sscope");
    record_curl_through_a_tls_proxy(&certs, &file);
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "a recording that holds keys is its owner's only");

    let capture = dir.path().join("https.pcapng");
    let out = export(&file, &capture, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let mode = std::fs::metadata(&capture).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "so is the capture, which holds them too");
    // The request as tshark decrypted it from the TLS connection, with no key file given;
    // the upstream's connection (plain HTTP) carries it too.
    let requests = uris(&capture, "http.request");
    eprintln!("tshark -Y http.request -T fields -e http.request.uri:\n{requests}");
    assert_eq!(requests, format!("{URI}\n{URI}\n"), "{requests:?}");
    let decrypted = uris(&capture, "tls && http.request");
    assert_eq!(decrypted, format!("{URI}\n"), "the one inside TLS is decrypted");
    assert_eq!(tshark(&capture, &["-Y", "_ws.malformed"]), "", "no malformed packets");
}

#[test]
fn the_plaintext_export_carries_the_request_as_the_tcp_payload() {
    let test = "the_plaintext_export_carries_the_request_as_the_tcp_payload";
    if !tools_present(test) {
        return;
    }
    let certs = Certs::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("https.sscope");
    record_curl_through_a_tls_proxy(&certs, &file);

    let capture = dir.path().join("plain.pcapng");
    let out = export(&file, &capture, &["--plaintext"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(tshark(&capture, &["-Y", "tls"]), "", "no TLS record is left");
    let requests = uris(&capture, "http.request");
    // The client's connection and the upstream's both carry the request in the clear.
    assert_eq!(requests, format!("{URI}\n{URI}\n"), "{requests:?}");
    assert_eq!(tshark(&capture, &["-Y", "_ws.malformed"]), "", "no malformed packets");
}

#[test]
fn plaintext_is_refused_without_tls_or_for_another_format() {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/demo-v1.0.sscope");
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("plain.pcapng");
    let out = export(&golden, &capture, &["--plaintext"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(said.contains("holds no TLS connection"), "{said}");
    assert!(!capture.exists(), "nothing is written");
    let out = sockscope()
        .arg("export")
        .arg(&golden)
        .args(["--format", "jsonl", "--plaintext"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(said.contains("--plaintext is for --format pcapng"), "{said}");
}

/// How many TLS 1.3 handshakes' keys a capture holds: one `CLIENT_TRAFFIC_SECRET_0` line each.
fn handshakes_keyed(capture: &Path) -> usize {
    let bytes = std::fs::read(capture).unwrap();
    let label = b"CLIENT_TRAFFIC_SECRET_0 ";
    bytes.windows(label.len()).filter(|w| w == label).count()
}

#[test]
fn an_export_of_one_connection_carries_only_its_own_keys() {
    let test = "an_export_of_one_connection_carries_only_its_own_keys";
    if !tools_present(test) {
        return;
    }
    let certs = Certs::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("two.sscope");
    record_curls_through_a_tls_proxy(&certs, &file, 2);
    let all = dir.path().join("all.pcapng");
    assert_eq!(export(&file, &all, &[]).status.code(), Some(0));
    assert_eq!(handshakes_keyed(&all), 2, "both clients' handshakes");
    // #2 is the first client (#1 listens, #3 is its upstream).
    let one = dir.path().join("one.pcapng");
    let out = export(&file, &one, &["--conn", "2"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(handshakes_keyed(&one), 1, "only the first client's keys");
    let decrypted = uris(&one, "tls && http.request");
    assert_eq!(decrypted, format!("{URI}\n"), "its own request still decrypts");
}
