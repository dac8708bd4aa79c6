//! A Python client sending datagrams as fast as it can into `listen udp:` under the terminal
//! UI (the real binary in tmux, drawing as it goes) leaves sockscope's memory bounded by
//! `--retain`, not by the flood: datagrams the kernel drops while the UI is busy are the
//! kernel's, and the UI counts what it received and still answers its keys.
//!
//! Skipped, loudly, only when tmux or python3 is missing and not under CI.

mod tmux;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tmux::{Tmux, tmux_or_skip, tool_or_skip, wait_until};

/// Sends 1400-byte datagrams to port argv[1] for argv[2] seconds, as fast as it can.
const FLOOD: &str = r#"
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
payload = b"x" * 1400
end = time.time() + float(sys.argv[2])
while time.time() < end:
    for _ in range(1000):
        s.sendto(payload, ("127.0.0.1", int(sys.argv[1])))
"#;

/// What the views may keep (`--retain`); the flows keep a copy of the socket's datagrams.
const RETAIN: &str = "16MiB";
const RSS_LIMIT_KIB: u64 = 128 << 10;

fn rss_kib(pid: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn free_udp_port() -> u16 {
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").expect("a free port");
    socket.local_addr().expect("its address").port()
}

#[test]
fn a_flood_into_listen_udp_under_the_ui_keeps_memory_bounded() {
    let test = "tui_datagram_flood";
    if !tmux_or_skip(test) || !tool_or_skip(test, "python3") {
        return;
    }
    let port = free_udp_port();
    let command = format!(
        "exec '{}' listen udp:127.0.0.1:{port} --retain {RETAIN}",
        env!("CARGO_BIN_EXE_sockscope")
    );
    let tmux = Tmux::start(120, 40, &command);
    tmux.wait_for_screen("the bound socket", |screen| {
        screen.contains(&format!("listening on udp:127.0.0.1:{port}"))
    });
    let pid = tmux.format("#{pane_pid}");
    let mut flood = Command::new("python3")
        .args(["-c", FLOOD, &port.to_string(), "4"])
        .stdout(Stdio::null())
        .spawn()
        .expect("python3 runs");
    let mut peak = 0;
    let end = Instant::now() + Duration::from_secs(4);
    while Instant::now() < end {
        peak = peak.max(rss_kib(&pid).expect("sockscope is running"));
        std::thread::park_timeout(Duration::from_millis(50));
    }
    assert!(flood.wait().expect("the flood ends").success());
    assert!(peak <= RSS_LIMIT_KIB, "RSS peaked at {peak} KiB under a datagram flood");
    // The UI counted what it received, shows the sender's flow, and still answers keys.
    let screen = tmux.wait_for_screen("the flow of the flooding peer", |s| s.contains("#1.1"));
    assert!(screen.contains("MiB"), "megabytes received: {screen}");
    tmux.send_keys("q");
    wait_until("the UI to exit", || tmux.format("#{pane_dead}") == "1");
    println!("peak RSS under the flood with the UI: {peak} KiB");
}
