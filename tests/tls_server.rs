//! `listen --tls` and `proxy --tls` against independent TLS clients (Python's `ssl`, curl)
//! over loopback: what the client offered, the plaintext byte-exact, a client that refuses
//! our certificate, and a peer that does not speak TLS (reported, never a hang or a panic).

mod support;
mod tls_support;

use std::io::{Read, Write};
use std::process::Command;
use support::live::Live;
use tls_support::{Certs, PY_ECHO_CLIENT, bytes_of, pattern, stage};

fn tls_listener(certs: &Certs, extra: &[&str]) -> Live {
    let mut args = vec!["listen", "127.0.0.1:0", "--headless", "--json", "--tls"];
    args.extend_from_slice(&["--cert", Certs::s(&certs.cert), "--key", Certs::s(&certs.key)]);
    args.extend_from_slice(extra);
    Live::start(&args)
}

/// Runs the Python client; (success, what it printed).
fn python_client(port: u16, ca: &Certs, name: &str, len: usize) -> (bool, String) {
    python_client_up_to(port, (ca, name), len, "1.3")
}

/// The same, offering TLS versions up to `max` (`1.2` or `1.3`).
fn python_client_up_to(
    port: u16,
    (ca, name): (&Certs, &str),
    len: usize,
    max: &str,
) -> (bool, String) {
    let out = Command::new("python3")
        .args(["-c", PY_ECHO_CLIENT, &port.to_string(), Certs::s(&ca.ca), name])
        .args([&len.to_string(), "h2", max])
        .output()
        .expect("python3 runs");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_python_client_is_echoed_byte_exact_and_its_hello_reported() {
    if !tls_support::python_present("a_python_client_is_echoed") {
        return;
    }
    let certs = Certs::new();
    let mut server = tls_listener(&certs, &["--echo", "--alpn", "h2,http/1.1"]);
    let (ok, said) = python_client(server.addr.port(), &certs, "localhost", 200_000);
    assert!(ok, "the client got its echo back");
    assert_eq!(said.trim(), "TLSv1.3 h2");
    server.wait_until("the connection's close", |seen| seen.iter().any(|e| e["ev"] == "close"));
    let events = server.seen.clone();
    let hello = stage(&events, "client_hello").expect("what the client offered");
    assert_eq!(hello["sni"], "localhost");
    assert_eq!(hello["alpn"], serde_json::json!(["h2"]));
    let versions = hello["versions"].as_array().expect("versions");
    assert!(versions.contains(&"TLSv1.3".into()), "{hello}");
    let up = stage(&events, "established").expect("established");
    assert_eq!((up["version"].as_str(), up["alpn"].as_str()), (Some("TLSv1.3"), Some("h2")));
    assert_eq!(up["sni"], "localhost");
    let sent = pattern(200_000);
    assert!(bytes_of(&events, "tls_read") == sent, "tls_read holds what the client sent");
    assert!(bytes_of(&events, "tls_write") == sent, "tls_write holds the echo");
}

#[test]
fn a_client_that_refuses_our_certificate_shows_its_alert() {
    if !tls_support::python_present("a_client_that_refuses_our_certificate") {
        return;
    }
    let certs = Certs::new();
    let other = Certs::signed_by_ca_named("another CA");
    let mut server = tls_listener(&certs, &["--echo"]);
    let (ok, _) = python_client(server.addr.port(), &other, "localhost", 10);
    assert!(!ok, "the client refuses a certificate it cannot verify");
    let alert = server.wait_for("the client's alert", |e| e["stage"] == "alert");
    assert_eq!((alert["by"].as_str(), alert["level"].as_str()), (Some("peer"), Some("fatal")));
    assert_eq!(alert["description"], "unknown_ca");
    let error = server.wait_for("the TLS error", |e| e["ev"] == "error");
    assert_eq!(error["kind"], "tls");
    server.wait_for("the close", |e| e["ev"] == "close" && e["by"] == "error");
}

#[test]
fn a_peer_that_does_not_speak_tls_is_told_and_the_listener_goes_on() {
    let certs = Certs::new();
    let mut server = tls_listener(&certs, &["--echo"]);
    let mut plain = std::net::TcpStream::connect(server.addr).expect("connects");
    plain.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").expect("writes");
    plain.set_read_timeout(Some(support::DEADLINE)).expect("a deadline");
    let mut answer = Vec::new();
    plain.read_to_end(&mut answer).expect("the connection ends before the deadline");
    let error = server.wait_for("the error", |e| e["ev"] == "error");
    assert_eq!(error["kind"], "tls");
    let message = error["message"].as_str().unwrap_or_default();
    assert!(message.contains("does not speak TLS"), "{message}");
    assert!(!answer.windows(3).any(|w| w == b"GET"), "nothing is echoed as plaintext");
    server.wait_for("its close", |e| e["ev"] == "close");
    // A peer that connects and says nothing, then leaves, is only a close.
    drop(std::net::TcpStream::connect(server.addr).expect("connects"));
    server.wait_until("two closes", |seen| seen.iter().filter(|e| e["ev"] == "close").count() == 2);
    if tls_support::python_present("the listener goes on") {
        let (ok, _) = python_client(server.addr.port(), &certs, "localhost", 1000);
        assert!(ok, "the listener still serves TLS after bad peers");
    }
}

#[test]
fn curl_through_a_tls_proxy_reaches_a_plain_upstream() {
    if !tls_support::curl_present("curl_through_a_tls_proxy") {
        return;
    }
    let certs = Certs::new();
    let upstream = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    let up_addr = upstream.local_addr().unwrap().to_string();
    let serve = std::thread::spawn(move || {
        for _ in 0..2 {
            let (mut s, _) = upstream.accept().expect("accepts");
            let mut request = [0u8; 4096];
            let _ = s.read(&mut request);
            let _ = s.write_all(b"HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello");
        }
    });
    let mut args = vec!["proxy", "127.0.0.1:0", &up_addr, "--headless", "--json", "--tls"];
    args.extend_from_slice(&["--cert", Certs::s(&certs.cert), "--key", Certs::s(&certs.key)]);
    let proxy = Live::start(&args);
    let url = format!("https://localhost:{}/", proxy.addr.port());
    let resolve = format!("localhost:{}:127.0.0.1", proxy.addr.port());
    for trust in [vec!["--cacert", Certs::s(&certs.ca)], vec!["-k"]] {
        let out = Command::new("curl")
            .args(["-sS", "--max-time", "20", "--resolve", &resolve])
            .args(&trust)
            .arg(&url)
            .output()
            .expect("curl runs");
        assert!(out.status.success(), "curl {trust:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(out.stdout, b"hello");
    }
    serve.join().expect("the upstream served");
}

#[test]
fn the_local_ca_signs_for_the_name_asked_and_keeps_its_key_private() {
    use std::os::unix::fs::PermissionsExt;
    if !tls_support::python_present("the_local_ca") || !tls_support::curl_present("the_local_ca") {
        return;
    }
    let data = tempfile::tempdir().expect("a temp dir");
    let env = [("XDG_DATA_HOME", data.path())];
    let mut server = Live::start_with_env(
        &["listen", "127.0.0.1:0", "--headless", "--json", "--tls", "--echo"],
        &env,
    );
    let ca_dir = data.path().join("sockscope");
    let mode = |name: &str| {
        let meta = std::fs::metadata(ca_dir.join(name)).expect("the CA's file");
        meta.permissions().mode() & 0o777
    };
    assert_eq!(mode("ca-key.pem"), 0o600, "the CA key is the user's alone");
    assert_eq!(std::fs::metadata(&ca_dir).unwrap().permissions().mode() & 0o777, 0o700);
    let printed = support::sockscope().arg("ca").env("XDG_DATA_HOME", data.path()).output();
    let printed = String::from_utf8(printed.expect("sockscope ca runs").stdout).unwrap();
    let ca_path = ca_dir.join("ca.pem");
    assert_eq!(printed.lines().next(), ca_path.to_str(), "the path comes first");
    assert!(printed.contains("BEGIN CERTIFICATE") && !printed.contains("PRIVATE KEY"));
    let trusted = Certs { ca: ca_path.clone(), ..Certs::new() };
    for name in ["localhost", "api.example.test"] {
        let (ok, said) = python_client(server.addr.port(), &trusted, name, 5000);
        assert!(ok, "a client trusting the local CA accepts the certificate for {name}");
        assert!(said.starts_with("TLSv1.3"), "{said}");
    }
    server.wait_until("both hellos", |seen| {
        seen.iter().filter(|e| e["stage"] == "client_hello").count() == 2
    });
    let url = format!("https://localhost:{}/", server.addr.port());
    let curl = Command::new("curl")
        .args(["-sS", "--max-time", "20", "-o", "/dev/null", "--cacert"])
        .arg(&ca_path)
        .args(["--data-binary", "x", &url])
        .output()
        .expect("curl runs");
    // The echo is not HTTP, so curl fails after the handshake, never on the certificate.
    let said = String::from_utf8_lossy(&curl.stderr);
    assert!(!said.contains("certificate"), "curl trusted the local CA: {said}");
    server.wait_until("curl's hello", |seen| {
        seen.iter().filter(|e| e["stage"] == "established").count() == 3
    });
}

#[test]
fn a_tls12_client_is_served_and_reported_as_such() {
    if !tls_support::python_present("a_tls12_client") {
        return;
    }
    let certs = Certs::new();
    let mut server = tls_listener(&certs, &["--echo", "--alpn", "h2"]);
    let (ok, said) = python_client_up_to(server.addr.port(), (&certs, "localhost"), 70_000, "1.2");
    assert!(ok, "the TLS 1.2 client got its echo back");
    assert_eq!(said.trim(), "TLSv1.2 h2");
    let up = server.wait_for("established", |e| e["stage"] == "established");
    assert_eq!(up["version"], "TLSv1.2");
    assert!(up["cipher"].as_str().is_some_and(|c| c.starts_with("TLS_ECDHE_")), "{up}");
    let hello = server.wait_for("the hello", |e| e["stage"] == "client_hello");
    assert_eq!(hello["versions"], serde_json::json!(["TLSv1.2"]), "what a 1.2-only client offers");
    server.wait_until("the close", |seen| seen.iter().any(|e| e["ev"] == "close"));
    assert!(bytes_of(&server.seen, "tls_read") == pattern(70_000));
}

#[test]
fn a_client_hello_sent_in_pieces_still_reports_the_versions_offered() {
    use std::io::Write;
    let certs = Certs::new();
    let mut server = tls_listener(&certs, &[]);
    // A real ClientHello, from rustls in this test, sent 100 bytes at a time; each piece is
    // read by its own `recv` before the next goes.
    let mut roots = rustls::RootCertStore::empty();
    let ca = std::fs::read(&certs.ca).unwrap();
    let ca = rustls::pki_types::pem::PemObject::from_pem_slice(&ca).expect("the CA");
    roots.add(ca).expect("a root");
    // ring, as sockscope itself uses (deprecated by rustls only for lacking post-quantum).
    #[allow(deprecated)]
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let mut client = rustls::ClientConnection::new(std::sync::Arc::new(config), name).unwrap();
    let mut hello = Vec::new();
    client.write_tls(&mut hello).expect("a ClientHello");
    let mut socket = std::net::TcpStream::connect(server.addr).expect("connects");
    for (index, piece) in hello.chunks(100).enumerate() {
        socket.write_all(piece).expect("writes");
        server.wait_until("the piece's recv", |seen| {
            seen.iter().filter(|e| e["ev"] == "recv").count() > index
        });
    }
    let offered = server.wait_for("the hello", |e| e["stage"] == "client_hello");
    assert_eq!(offered["versions"], serde_json::json!(["TLSv1.3", "TLSv1.2"]));
    assert_eq!(offered["sni"], "localhost");
}

/// `openssl s_client`, an independent TLS client: it verifies our certificate against the CA,
/// agrees TLS 1.3, and the plaintext it sends arrives byte-exact as `tls_read`.
#[test]
fn openssl_s_client_verifies_us_and_its_plaintext_arrives_exactly() {
    if !tls_support::openssl_present("openssl_s_client_verifies_us") {
        return;
    }
    let certs = Certs::new();
    let mut server = tls_listener(&certs, &[]);
    let connect = format!("127.0.0.1:{}", server.addr.port());
    let mut client = Command::new("openssl")
        .args(["s_client", "-connect", &connect, "-servername", "localhost"])
        .args(["-CAfile", Certs::s(&certs.ca), "-verify_return_error", "-brief", "-no_ign_eof"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("openssl runs");
    let sent = b"plaintext from s_client\x00\xff\n".to_vec();
    client.stdin.as_mut().expect("stdin").write_all(&sent).expect("s_client takes its input");
    server.wait_until("the plaintext", |seen| bytes_of(seen, "tls_read").len() >= sent.len());
    assert_eq!(bytes_of(&server.seen, "tls_read"), sent);
    let up = server.wait_for("established", |e| e["stage"] == "established");
    assert_eq!(up["version"], "TLSv1.3");
    drop(client.stdin.take());
    let out = client.wait_with_output().expect("s_client ends at its input's end");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("Verification: OK"), "{said}");
    assert!(said.contains("TLSv1.3"), "{said}");
    server.wait_until("the close", |seen| seen.iter().any(|e| e["ev"] == "close"));
}
