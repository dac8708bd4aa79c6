//! Running the real `sockscope` binary in tests: start it, wait for `listening on`, stop it
//! with SIGINT, read what it printed.
#![allow(dead_code)]

pub mod live;

#[path = "../shared/awaited.rs"]
mod awaited;

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

pub const DEADLINE: Duration = Duration::from_secs(20);

pub fn sockscope() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sockscope"))
}

/// A running `sockscope` whose stdout is collected on a thread.
pub struct Running {
    pub child: Child,
    pub addr: SocketAddr,
    stdout: mpsc::Receiver<Vec<u8>>,
    pub stderr_lines: Vec<String>,
}

impl Running {
    /// Starts `sockscope ARGS` and waits (with a deadline) for `listening on ADDR` on stderr.
    pub fn listening(args: &[&str]) -> Self {
        Self::listening_with(args, Stdio::piped())
    }

    pub fn listening_with(args: &[&str], stdout: Stdio) -> Self {
        let mut child = sockscope()
            .args(args)
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(Stdio::piped())
            .spawn()
            .expect("binary starts");
        let (out_tx, out_rx) = mpsc::channel();
        if let Some(mut out) = child.stdout.take() {
            std::thread::spawn(move || {
                let mut all = Vec::new();
                let _ = out.read_to_end(&mut all);
                let _ = out_tx.send(all);
            });
        } else {
            let _ = out_tx.send(Vec::new());
        }
        let (line_tx, line_rx) = mpsc::channel();
        let err = child.stderr.take().expect("stderr piped");
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let _ = line_tx.send(line);
            }
        });
        let mut stderr_lines = Vec::new();
        let addr = loop {
            let line = line_rx.recv_timeout(DEADLINE).unwrap_or_else(|_| {
                let _ = child.kill();
                panic!("no 'listening on' line; stderr so far: {stderr_lines:?}")
            });
            stderr_lines.push(line.clone());
            if let Some(addr) = line.strip_prefix("listening on ") {
                // A datagram listener says `udp:ADDR`.
                let addr = addr.strip_prefix("udp:").unwrap_or(addr);
                break addr.parse().expect("a socket address");
            }
        };
        Self { child, addr, stdout: out_rx, stderr_lines }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends SIGINT and returns (exit code, stdout).
    pub fn interrupt(self) -> (i32, Vec<u8>) {
        signal(self.child.id(), "INT");
        self.interrupt_after_signal()
    }

    /// Waits for the exit that a signal already sent asked for; returns (exit code, stdout).
    pub fn interrupt_after_signal(mut self) -> (i32, Vec<u8>) {
        let status = wait_with_deadline(&mut self.child);
        let out = self.stdout.recv_timeout(DEADLINE).expect("stdout collected");
        (status, out)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn signal(pid: u32, name: &str) {
    let status = Command::new("kill").arg(format!("-{name}")).arg(pid.to_string()).status();
    assert!(status.is_ok_and(|s| s.success()), "kill -{name} {pid}");
}

/// Waits for the child to exit; kills it and fails the test at the deadline.
pub fn wait_with_deadline(child: &mut Child) -> i32 {
    let end = std::time::Instant::now() + DEADLINE;
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return status.code().unwrap_or(-1);
        }
        if std::time::Instant::now() > end {
            let _ = child.kill();
            panic!("sockscope did not exit in time");
        }
        std::thread::park_timeout(Duration::from_millis(10));
    }
}

/// Resident set size of a process in KiB, from /proc.
pub fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Parses JSON Lines output into values, failing on any line that is not JSON.
pub fn json_lines(out: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// Runs `sockscope demo NAME --headless --json` to its end (with a deadline) and returns its
/// output; fails unless it exits 0.
pub fn demo_output(name: &str) -> Vec<u8> {
    use std::io::Read;
    let mut child = sockscope()
        .args(["demo", name, "--headless", "--json"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    // Read while it runs: a full pipe would stop it before the deadline.
    let mut out = child.stdout.take().expect("stdout piped");
    let reader = std::thread::spawn(move || {
        let mut all = Vec::new();
        let _ = out.read_to_end(&mut all);
        all
    });
    let code = wait_with_deadline(&mut child);
    let mut stderr = String::new();
    let _ = child.stderr.take().map(|mut e| e.read_to_string(&mut stderr));
    let stdout = reader.join().expect("reader thread");
    assert_eq!(code, 0, "{name} exited {code}; stderr: {stderr}");
    stdout
}
