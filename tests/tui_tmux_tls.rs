//! TLS in the terminal UI, as a person sees it: `sockscope proxy --tls --upstream-tls` in
//! tmux between curl and a Python TLS server. The upstream leg's Data shows curl's HTTP
//! request in plaintext, `W` switches it to the wire bytes (the `ClientHello`'s record header
//! `16 03 01`), and the Inspector starts with the handshake: version, cipher, SNI and the
//! server certificate's subject, issuer and expiry.
//!
//! Needs tmux, python3 and curl: under `CI=true` a missing tool fails the test; elsewhere it
//! is skipped loudly.

// Both helpers check for their tools with the same `required` module.
#[expect(clippy::duplicate_mod, reason = "two test helpers share tests/shared/required.rs")]
mod tls_support;
mod tmux;

use std::process::{Child, Command, Stdio};
use tls_support::Certs;
use tmux::{Tmux, free_port, tmux_or_skip};

/// One HTTP exchange over TLS per connection: reads the request's head, answers `ok`.
/// Prints its port first. ARGV: cert, key.
const PY_HTTPS: &str = r#"
import socket, ssl, sys
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(4)
print(srv.getsockname()[1], flush=True)
while True:
    conn, _ = srv.accept()
    try:
        s = ctx.wrap_socket(conn, server_side=True)
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = s.recv(4096)
            if not chunk:
                break
            head += chunk
        s.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n")
        s.close()
    except (ssl.SSLError, OSError) as e:
        print("failed:", e, file=sys.stderr, flush=True)
"#;

struct Upstream {
    child: Child,
    port: u16,
}

impl Upstream {
    fn start(certs: &Certs) -> Self {
        let args = [Certs::s(&certs.cert), Certs::s(&certs.key)];
        let (child, port) = tls_support::python_server(PY_HTTPS, &args, Stdio::inherit());
        Self { child, port }
    }
}

impl Drop for Upstream {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn tools_or_skip(test: &str) -> bool {
    tmux_or_skip(test) && tls_support::python_present(test) && tls_support::curl_present(test)
}

/// The proxy in a `width` × `height` pane, curl's request through it, and the upstream leg
/// (#3) selected with its plaintext shown; returns the pane and that screen.
fn proxied_request(certs: &Certs, width: u16, height: u16) -> (Tmux, String, Upstream) {
    let upstream = Upstream::start(certs);
    let port = free_port();
    let binary = env!("CARGO_BIN_EXE_sockscope");
    let (cert, key, ca) = (Certs::s(&certs.cert), Certs::s(&certs.key), Certs::s(&certs.ca));
    let command = format!(
        "'{binary}' proxy 127.0.0.1:{port} 127.0.0.1:{} --tls --cert '{cert}' --key '{key}' \
         --upstream-tls --ca-cert '{ca}' --sni localhost; read -r _",
        upstream.port
    );
    let tmux = Tmux::start(width, height, &command);
    tmux.wait_for_screen("the listener", |s| s.contains(&format!("127.0.0.1:{port}")));
    let url = format!("https://localhost:{port}/tls-in-the-clear");
    let resolve = format!("localhost:{port}:127.0.0.1");
    let curl = Command::new("curl")
        .args(["-s", "--max-time", "20", "--cacert", ca, "--resolve", &resolve, &url])
        .output()
        .expect("curl runs");
    assert_eq!(String::from_utf8_lossy(&curl.stdout), "ok\n", "curl through the proxy: {curl:?}");
    // Its row in Connections (the Readiness history names sockets by number too).
    tmux.wait_for_screen("the upstream leg", |s| s.lines().any(|l| l.starts_with("│#3 ")));
    tmux.type_text(":select 3");
    tmux.send_keys("Enter");
    let screen = tmux.wait_for_screen("the upstream leg's plaintext", |s| {
        s.contains("#3 upstream") && s.contains("Data (text, TLS plaintext)")
    });
    (tmux, screen, upstream)
}

#[test]
fn curls_request_reads_in_plaintext_and_w_shows_the_records_on_the_wire() {
    let test = "curls_request_reads_in_plaintext_and_w_shows_the_records_on_the_wire";
    if !tools_or_skip(test) {
        return;
    }
    let certs = Certs::new();
    let (tmux, screen, _upstream) = proxied_request(&certs, 140, 45);
    for line in ["GET /tls-in-the-clear HTTP/1.1", "Host: localhost:", "HTTP/1.1 200 OK"] {
        assert!(screen.contains(line), "{line} in the clear:\n{screen}");
    }
    // The plaintext's chunks are what TLS gave and took, not socket calls.
    assert!(
        screen.contains("── tls_read 60 B") && screen.contains("── tls_write 95 B"),
        "{screen}"
    );
    let summary = tmux.wait_for_screen("the handshake summary", |s| s.contains("TLS TLSv1.3"));
    // The test certificates keep rcgen's default expiry.
    for expected in [
        "sni localhost",
        "cert CN=localhost",
        "issuer CN=sockscope test CA",
        "expires 4096-01-01T00:00:00Z",
    ] {
        assert!(summary.contains(expected), "{expected} in the handshake summary:\n{summary}");
    }
    assert!(summary.contains("tls_read -> 60 B plaintext"), "the Calls panel:\n{summary}");
    // The wire bytes: from the top, in hex, the ClientHello's record header comes first.
    tmux.send_keys("W");
    for _ in 0..3 {
        tmux.send_keys("Tab");
    }
    tmux.send_keys("x");
    tmux.send_keys("Home");
    let wire = tmux.wait_for_screen("the records in hex", |s| {
        s.contains("Data (hex, TLS wire bytes)")
            && s.lines().any(|line| line.contains(">0000") && line.contains("16 03 01"))
    });
    assert!(!wire.contains("GET /tls-in-the-clear"), "no plaintext among the wire bytes:\n{wire}");
    assert!(wire.contains("── send ") && !wire.contains("tls_write"), "socket calls:\n{wire}");
    // And back.
    tmux.send_keys("W");
    tmux.wait_for_screen("the plaintext again", |s| s.contains("Data (hex, TLS plaintext)"));
    tmux.send_keys("q");
}

/// On a 100×30 terminal the summary still names the expiry: it moves to a line of its own
/// rather than being cut.
#[test]
fn the_handshake_summary_fits_a_small_terminal() {
    if !tools_or_skip("the_handshake_summary_fits_a_small_terminal") {
        return;
    }
    let certs = Certs::new();
    let (tmux, _, _upstream) = proxied_request(&certs, 100, 30);
    let screen = tmux.wait_for_screen("the summary", |s| s.contains("TLS TLSv1.3"));
    let expires = screen.lines().find(|line| line.contains("expires ")).unwrap_or_default();
    assert!(expires.contains('Z'), "the expiry, RFC 3339 in UTC, whole on its line:\n{screen}");
    tmux.send_keys("q");
}
