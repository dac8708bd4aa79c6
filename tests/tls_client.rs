//! `connect --tls` against an independent TLS server (Python's `ssl`, `openssl s_server`) over
//! loopback: the handshake's stages, plaintext byte-exact both ways as `tls_read` and
//! `tls_write` while `recv` and `send` stay the ciphertext, TLS 1.3 and 1.2, and failures a
//! person can act on (exit 1).

mod support;
mod tls_support;

use std::io::Write;
use std::process::{Command, Stdio};
use support::{sockscope, wait_with_deadline};
use tls_support::{Certs, PyServer, bytes_of, events, pattern, stage};

/// `sockscope connect ARGS --headless --json` with `input` on stdin; (exit code, events).
fn connect(args: &[&str], input: &[u8]) -> (i32, Vec<serde_json::Value>) {
    connect_with_env(args, input, &[])
}

fn connect_with_env(
    args: &[&str],
    input: &[u8],
    env: &[(&str, &std::path::Path)],
) -> (i32, Vec<serde_json::Value>) {
    let mut child = sockscope()
        .envs(env.iter().copied())
        .arg("connect")
        .args(args)
        .args(["--headless", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary starts");
    let mut stdin = child.stdin.take().expect("stdin piped");
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.stdout.take().expect("stdout piped");
    let reader = std::thread::spawn(move || {
        let mut all = Vec::new();
        let _ = std::io::Read::read_to_end(&mut { out }, &mut all);
        all
    });
    let code = wait_with_deadline(&mut child);
    let _ = writer.join();
    let out = reader.join().expect("stdout read");
    (code, events(&out))
}

fn echoed_through(max_version: &str, expected_version: &str) {
    let certs = Certs::new();
    let server = PyServer::start(&certs, max_version);
    let input = pattern(300_000);
    let addr = format!("localhost:{}", server.port);
    let ca = Certs::s(&certs.ca);
    let (code, events) = connect(&[&addr, "--tls", "--ca-cert", ca, "--alpn", "h2"], &input);
    assert_eq!(code, 0, "a clean TLS exchange exits 0");
    let hello = stage(&events, "client_hello").expect("a client_hello stage");
    assert_eq!(hello["sni"], "localhost");
    assert_eq!(hello["alpn"], serde_json::json!(["h2"]));
    assert_eq!(hello["versions"], serde_json::json!(["TLSv1.3", "TLSv1.2"]));
    let up = stage(&events, "established").expect("an established stage");
    assert_eq!(up["version"], expected_version);
    assert_eq!(up["alpn"], "h2");
    assert_eq!(up["subject"], "CN=localhost");
    assert_eq!(up["issuer"], "CN=sockscope test CA");
    assert!(up["not_after"].as_str().is_some_and(|t| t.ends_with('Z')), "{up}");
    assert!(bytes_of(&events, "tls_write") == input, "tls_write holds every plaintext byte sent");
    assert!(bytes_of(&events, "tls_read") == input, "tls_read holds every byte echoed back");
    let wire_out = bytes_of(&events, "send");
    assert!(wire_out.len() > input.len(), "send events are the records, larger than the text");
    assert!(
        !wire_out.windows(64).any(|w| w == &input[1000..1064]),
        "the wire never carries the plaintext"
    );
    let notify = stage(&events, "close_notify").expect("our close_notify");
    assert_eq!(notify["by"], "local");
    let shutdown = events.iter().position(|e| e["ev"] == "shutdown").expect("a shutdown");
    let notified = events.iter().position(|e| e["stage"] == "close_notify").unwrap_or(usize::MAX);
    assert!(notified < shutdown, "close_notify goes out before the FIN");
}

#[test]
fn tls13_to_a_python_server_is_byte_exact_both_ways() {
    if tls_support::python_present("tls13_to_a_python_server") {
        echoed_through("1.3", "TLSv1.3");
    }
}

#[test]
fn tls12_to_a_python_server_is_byte_exact_both_ways() {
    if tls_support::python_present("tls12_to_a_python_server") {
        echoed_through("1.2", "TLSv1.2");
    }
}

#[test]
fn an_openssl_server_answers_over_tls12() {
    if !tls_support::openssl_present("an_openssl_server_answers_over_tls12") {
        return;
    }
    let certs = Certs::new();
    let port = free_port();
    let mut server = Command::new("openssl")
        .args(["s_server", "-www", "-tls1_2", "-naccept", "1", "-accept"])
        .arg(format!("127.0.0.1:{port}"))
        .args(["-cert", Certs::s(&certs.cert), "-key", Certs::s(&certs.key)])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("openssl runs");
    // s_server says ACCEPT once it listens; its standard output stays open until it ends.
    let mut said = std::io::BufReader::new(server.stdout.take().expect("stdout piped"));
    let mut line = String::new();
    while line.trim() != "ACCEPT" {
        line.clear();
        let read = std::io::BufRead::read_line(&mut said, &mut line).expect("s_server's output");
        assert!(read > 0, "s_server ended before it listened");
    }
    let addr = format!("localhost:{port}");
    let ca = Certs::s(&certs.ca);
    let (code, events) = connect(&[&addr, "--tls", "--ca-cert", ca], b"GET / HTTP/1.0\r\n\r\n");
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(code, 0);
    assert_eq!(stage(&events, "established").expect("established")["version"], "TLSv1.2");
    let page = String::from_utf8_lossy(&bytes_of(&events, "tls_read")).into_owned();
    assert!(page.starts_with("HTTP/1.0 200 ok"), "the page arrives as plaintext: {page:.80}");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A connect to a server presenting `certs` that fails verification: exit 1, the reason and
/// the flag in the error, our alert reported.
fn refused_with(certs: &Certs, args: &[&str], (reason, flag): (&str, &str), alert: &str) {
    let server = PyServer::start(certs, "1.3");
    let addr = format!("localhost:{}", server.port);
    let mut all = vec![addr.as_str(), "--tls"];
    all.extend_from_slice(args);
    let (code, events) = connect(&all, b"hello");
    assert_eq!(code, 1, "a failed handshake exits 1");
    let error = events.iter().find(|e| e["ev"] == "error").expect("an error event");
    assert_eq!(error["kind"], "tls");
    let message = error["message"].as_str().unwrap_or_default();
    assert!(message.contains(reason) && message.contains(flag), "{message}");
    let sent = stage(&events, "alert").expect("our alert");
    assert_eq!((sent["by"].as_str(), sent["description"].as_str()), (Some("local"), Some(alert)));
    assert!(bytes_of(&events, "tls_read").is_empty(), "nothing is read from a refused peer");
    let failed = events.iter().position(|e| e["kind"] == "tls").expect("the TLS error");
    assert!(events[failed..].iter().any(|e| e["ev"] == "close"), "the socket closes");
}

#[test]
fn an_unknown_issuer_names_the_reason_and_ca_cert() {
    if tls_support::python_present("an_unknown_issuer") {
        let other = Certs::signed_by_ca_named("another CA");
        let server = Certs::new();
        let ca = ["--ca-cert", Certs::s(&other.ca)];
        refused_with(&server, &ca, ("unknown issuer", "--ca-cert"), "unknown_ca");
    }
}

#[test]
fn a_name_mismatch_names_the_reason_and_sni() {
    if tls_support::python_present("a_name_mismatch") {
        let certs = Certs::new();
        let args = ["--ca-cert", Certs::s(&certs.ca), "--sni", "other.example"];
        refused_with(&certs, &args, ("name mismatch", "--sni"), "bad_certificate");
    }
}

#[test]
fn insecure_accepts_an_unknown_issuer_only_when_asked() {
    if !tls_support::python_present("insecure_only_when_asked") {
        return;
    }
    let certs = Certs::new();
    let server = PyServer::start(&certs, "1.3");
    let addr = format!("localhost:{}", server.port);
    let (code, events) = connect(&[&addr, "--tls", "--insecure"], b"ping");
    assert_eq!(code, 0);
    assert_eq!(bytes_of(&events, "tls_read"), b"ping");
}

/// The key log names the `ClientHello`'s random on every line, holds TLS 1.3's traffic secrets,
/// and is the user's alone.
fn check_key_log(path: &std::path::Path, events: &[serde_json::Value]) {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).expect("the key log").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the key log holds secrets");
    let hello = events.iter().find(|e| e["ev"] == "send").expect("the ClientHello's send");
    let wire = hex::decode(hello["data"].as_str().unwrap()).unwrap();
    // Record header (5), handshake header (4), legacy version (2), then the 32-byte random.
    let random = hex::encode(&wire[11..43]);
    let log = std::fs::read_to_string(path).expect("readable");
    let labels: Vec<&str> = log.lines().map(|l| l.split(' ').next().unwrap_or("")).collect();
    assert!(labels.contains(&"CLIENT_TRAFFIC_SECRET_0"), "{log}");
    assert!(labels.contains(&"SERVER_HANDSHAKE_TRAFFIC_SECRET"), "{log}");
    assert!(log.lines().all(|l| l.split(' ').nth(1) == Some(random.as_str())), "{log}");
}

#[test]
fn keylog_writes_the_session_secrets_to_a_private_file() {
    use std::os::unix::fs::PermissionsExt;
    if !tls_support::python_present("keylog") {
        return;
    }
    let certs = Certs::new();
    let server = PyServer::start(&certs, "1.3");
    let path = certs.dir.path().join("keys.log");
    std::fs::write(&path, "").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let addr = format!("localhost:{}", server.port);
    let ca = Certs::s(&certs.ca);
    let (code, events) =
        connect(&[&addr, "--tls", "--ca-cert", ca, "--keylog", Certs::s(&path)], b"k");
    assert_eq!(code, 0);
    check_key_log(&path, &events);
}

#[test]
fn sslkeylogfile_is_honoured_when_keylog_is_not_given() {
    if !tls_support::python_present("sslkeylogfile") {
        return;
    }
    let certs = Certs::new();
    let server = PyServer::start(&certs, "1.3");
    let path = certs.dir.path().join("env-keys.log");
    let addr = format!("localhost:{}", server.port);
    let ca = Certs::s(&certs.ca);
    let env = [("SSLKEYLOGFILE", path.as_path())];
    let (code, events) = connect_with_env(&[&addr, "--tls", "--ca-cert", ca], b"k", &env);
    assert_eq!(code, 0);
    check_key_log(&path, &events);
}
