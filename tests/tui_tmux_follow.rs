//! The follow view in a real terminal, as a person would use it: `sockscope proxy` in tmux
//! in front of a real HTTP server (`python3 -m http.server` on loopback), `curl` through the
//! proxy, then `:follow`: the request line and the status line each start a row, the request
//! above the response.
//!
//! Needs tmux, python3 and curl: under `CI=true` a missing one fails the test; elsewhere it is
//! skipped loudly.

mod tmux;

use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use tmux::{Tmux, free_port, tmux_or_skip, tool_or_skip, wait_until};

/// `python3 -m http.server` on 127.0.0.1, serving an empty directory; killed when dropped.
struct HttpServer {
    child: Child,
    port: u16,
    dir: std::path::PathBuf,
}

impl HttpServer {
    fn start() -> Self {
        let port = free_port();
        let dir =
            std::env::temp_dir().join(format!("sockscope-follow-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a directory to serve");
        let child = Command::new("python3")
            .args(["-m", "http.server", "--bind", "127.0.0.1", &port.to_string()])
            .current_dir(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 runs");
        let server = Self { child, port, dir };
        wait_until("the HTTP server", || TcpStream::connect(("127.0.0.1", port)).is_ok());
        server
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The port the proxy's listener got, from the status bar's `listening on 127.0.0.1:PORT`.
fn listening_port(screen: &str) -> Option<u16> {
    let (_, rest) = screen.split_once("listening on 127.0.0.1:")?;
    rest.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
}

/// The index of the first row of the follow view whose bytes start with `text` after the
/// direction marker and offset (`│>0000 GET / ...`).
fn row_starting(screen: &str, marker: char, text: &str) -> Option<usize> {
    screen.lines().position(|line| {
        let Some(rest) = line.strip_prefix('│').and_then(|rest| rest.strip_prefix(marker)) else {
            return false;
        };
        rest.split_once(' ').is_some_and(|(offset, bytes)| {
            offset.chars().all(|c| c.is_ascii_hexdigit()) && bytes.starts_with(text)
        })
    })
}

#[test]
fn curl_through_the_proxy_reads_as_one_conversation() {
    let test = "curl_through_the_proxy_reads_as_one_conversation";
    if !tmux_or_skip(test) || !tool_or_skip(test, "python3") || !tool_or_skip(test, "curl") {
        return;
    }
    let server = HttpServer::start();
    let binary = env!("CARGO_BIN_EXE_sockscope");
    let command = format!("'{binary}' proxy 127.0.0.1:0 127.0.0.1:{}; read -r _", server.port);
    let tmux = Tmux::start(140, 45, &command);
    let screen = tmux.wait_for_screen("the listener", |s| listening_port(s).is_some());
    let port = listening_port(&screen).expect("a port");
    let curl = Command::new("curl")
        .args(["-sS", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code}"])
        .arg(format!("http://127.0.0.1:{port}/"))
        .output()
        .expect("curl runs");
    assert_eq!(String::from_utf8_lossy(&curl.stdout), "200", "curl through the proxy: {curl:?}");
    tmux.wait_for_screen("the upstream connection", |s| s.contains("│#3 "));
    tmux.type_text(":follow");
    tmux.send_keys("Enter");
    let screen = tmux.wait_for_screen("the request and the reply", |s| {
        row_starting(s, '>', "GET / HTTP/1.1\\r\\n").is_some()
            && row_starting(s, '<', "HTTP/1.0 200 OK\\r\\n").is_some()
    });
    let request = row_starting(&screen, '>', "GET / HTTP/1.1\\r\\n");
    let reply = row_starting(&screen, '<', "HTTP/1.0 200 OK\\r\\n");
    assert!(request < reply, "the request above the reply:\n{screen}");
    assert!(screen.contains("▶ client→server") && screen.contains("◀ server→client"), "{screen}");
    tmux.send_keys("Escape");
    tmux.wait_for_screen("the panels again", |s| s.contains("Connections"));
    tmux.send_keys("q");
}
