//! A running `sockscope ... --headless --json` whose events are read as they come, so that a test
//! can wait (with a deadline) for one event, then act, then wait for the next; plus what `/proc`
//! says about the process: CPU time used and sockets held.

use super::{DEADLINE, awaited, sockscope};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

pub struct Live {
    pub child: Child,
    pub addr: SocketAddr,
    /// What stderr said before `listening on` (warnings).
    pub stderr_lines: Vec<String>,
    events: Receiver<Value>,
    pub seen: Vec<Value>,
}

impl Live {
    /// Starts `sockscope ARGS` (which must include `--headless --json`) and waits for
    /// `listening on`.
    pub fn start(args: &[&str]) -> Self {
        Self::start_with_fd_limit(args, None)
    }

    /// Like [`Self::start`], with soft and hard `RLIMIT_NOFILE` set to `limit` first (through
    /// the shell's `ulimit`, as a person would).
    pub fn start_with_fd_limit(args: &[&str], limit: Option<u32>) -> Self {
        Self::start_with(args, limit, &[])
    }

    /// Like [`Self::start`], with environment variables set for the process.
    pub fn start_with_env(args: &[&str], env: &[(&str, &std::path::Path)]) -> Self {
        Self::start_with(args, None, env)
    }

    /// Like [`Self::start`], keeping only the events that carry no payload (`data`): a test
    /// that moves many megabytes watches the stages without holding their hex.
    pub fn start_without_payloads(args: &[&str]) -> Self {
        Self::start_filtered(args, None, &[], |line| !line.contains(",\"data\":\""))
    }

    fn start_with(args: &[&str], limit: Option<u32>, env: &[(&str, &std::path::Path)]) -> Self {
        Self::start_filtered(args, limit, env, |_| true)
    }

    fn start_filtered(
        args: &[&str],
        limit: Option<u32>,
        env: &[(&str, &std::path::Path)],
        keep: fn(&str) -> bool,
    ) -> Self {
        let mut command = if let Some(limit) = limit {
            let mut sh = std::process::Command::new("sh");
            sh.arg("-c")
                .arg(format!("ulimit -n {limit} && exec \"$0\" \"$@\""))
                .arg(env!("CARGO_BIN_EXE_sockscope"))
                .args(args);
            sh
        } else {
            let mut command = sockscope();
            command.args(args);
            command
        };
        command.envs(env.iter().copied());
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("binary starts");
        let (tx, events) = mpsc::channel();
        let out = child.stdout.take().expect("stdout piped");
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if !keep(&line) {
                    continue;
                }
                let value = serde_json::from_str(&line).unwrap_or(Value::String(line));
                if tx.send(value).is_err() {
                    break;
                }
            }
        });
        let (line_tx, line_rx) = mpsc::channel();
        let err = child.stderr.take().expect("stderr piped");
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let _ = line_tx.send(line);
            }
        });
        let mut stderr_lines = Vec::new();
        let addr = loop {
            let Ok(line) = line_rx.recv_timeout(DEADLINE) else {
                let _ = child.kill();
                panic!("no 'listening on' line; stderr so far: {stderr_lines:?}");
            };
            if let Some(addr) = line.strip_prefix("listening on ") {
                break addr.parse().expect("a socket address");
            }
            stderr_lines.push(line);
        };
        Self { child, addr, stderr_lines, events, seen: Vec::new() }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits until an event satisfies `pred` (one seen before counts) and returns it.
    pub fn wait_for(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(found) = self.seen.iter().find(|e| pred(e)) {
            return found.clone();
        }
        awaited::wait_for_new(
            &self.events,
            &mut self.seen,
            DEADLINE,
            (what, "sockscope"),
            log,
            pred,
        )
    }

    /// Takes every event already printed, without waiting.
    pub fn pump(&mut self) {
        while let Ok(event) = self.events.try_recv() {
            self.seen.push(event);
        }
    }

    /// Pumps until `cond` holds over the events seen, or fails at the deadline. `cond` is
    /// checked once per burst of events, not per event: it may look at all of them.
    pub fn wait_until(&mut self, what: &str, cond: impl Fn(&[Value]) -> bool) {
        let end = Instant::now() + DEADLINE;
        while !cond(&self.seen) {
            assert!(Instant::now() < end, "timed out waiting for {what}; log:\n{}", self.log());
            if let Ok(event) = self.events.recv_timeout(Duration::from_millis(20)) {
                self.seen.push(event);
                self.pump();
            }
        }
    }

    pub fn count(&self, pred: impl Fn(&Value) -> bool) -> usize {
        self.seen.iter().filter(|e| pred(e)).count()
    }

    pub fn log(&self) -> String {
        log(&self.seen)
    }

    /// CPU time (user + system) the process has used so far.
    pub fn cpu_time(&self) -> Duration {
        cpu_time(self.pid())
    }

    /// Sockets the process holds open, from the links in `/proc/PID/fd`.
    pub fn socket_fds(&self) -> usize {
        socket_fds(self.pid())
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `ev` of a JSON event, or "".
pub fn ev(event: &Value) -> &str {
    event["ev"].as_str().unwrap_or_default()
}

/// Whether `event` is an `ev` event about connection `conn`.
pub fn is(event: &Value, name: &str, conn: u64) -> bool {
    ev(event) == name && event["conn"] == conn
}

/// User plus system CPU time of a process, from fields 14 and 15 of `/proc/PID/stat` (in clock
/// ticks of 1/100 s, the value on every Linux `sysconf(_SC_CLK_TCK)` reports here).
pub fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("process running");
    // The command name (field 2) may hold spaces; the fields after it follow its ')'.
    let after = &stat[stat.rfind(')').expect("stat has a command name") + 1..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    Duration::from_millis(ticks * 10)
}

/// Sockets a process holds, counted from the `socket:[inode]` links in `/proc/PID/fd`.
pub fn socket_fds(pid: u32) -> usize {
    let Ok(dir) = std::fs::read_dir(format!("/proc/{pid}/fd")) else { return 0 };
    dir.filter_map(Result::ok)
        .filter_map(|entry| std::fs::read_link(entry.path()).ok())
        .filter(|target| target.to_string_lossy().starts_with("socket:"))
        .count()
}

/// The last 200 events, for failure messages.
fn log(seen: &[Value]) -> String {
    let tail = seen.len().saturating_sub(200);
    seen[tail..].iter().map(Value::to_string).collect::<Vec<_>>().join("\n")
}
