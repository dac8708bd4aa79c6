//! Driving the real binary in a private tmux server, for the end-to-end tests: start a shell
//! command in a detached session, press keys, read the screen, and check that the terminal was
//! given back intact.
#![allow(dead_code)]

#[path = "../shared/required.rs"]
mod required;

use std::process::{Command, Output};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub const DEADLINE: Duration = Duration::from_secs(20);

/// A private tmux server (`-L`), killed when the test ends, however it ends.
pub struct Tmux {
    socket: String,
}

impl Tmux {
    /// Runs `shell_command` in a `width` × `height` pane whose locale is UTF-8, whatever the
    /// test runner's is (a test of another locale sets `LC_ALL` in its command).
    pub fn start(width: u16, height: u16, shell_command: &str) -> Self {
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        let tmux = Self { socket: format!("sockscope-test-{}-{nanos}", std::process::id()) };
        let (width, height) = (width.to_string(), height.to_string());
        // One tmux invocation, so the pane is kept after exit before the program can end.
        let output = tmux.run(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            &width,
            "-y",
            &height,
            "-e",
            "LC_ALL=C.UTF-8",
            shell_command,
            ";",
            "set-option",
            "-g",
            "remain-on-exit",
            "on",
        ]);
        assert!(output.status.success(), "tmux new-session: {output:?}");
        tmux
    }

    pub fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux").arg("-L").arg(&self.socket).args(args).output().expect("tmux runs")
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned()
    }

    pub fn format(&self, format: &str) -> String {
        let output = self.run(&["display-message", "-p", "-t", "t", format]);
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    }

    /// Presses keys by tmux name (`q`, `Enter`, `Escape`, `C-c`).
    pub fn send_keys(&self, keys: &str) {
        let output = self.run(&["send-keys", "-t", "t", keys]);
        assert!(output.status.success(), "send-keys {keys}: {output:?}");
    }

    /// Types `text` character by character (`-l`: no key names, a backslash is a backslash).
    pub fn type_text(&self, text: &str) {
        let output = self.run(&["send-keys", "-t", "t", "-l", text]);
        assert!(output.status.success(), "send-keys -l {text}: {output:?}");
    }

    /// Waits until `condition` holds for the screen, or fails showing the last screen.
    pub fn wait_for_screen(&self, what: &str, condition: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if condition(&screen) {
                return screen;
            }
            assert!(start.elapsed() < DEADLINE, "timed out waiting for {what}; screen:\n{screen}");
            thread::park_timeout(Duration::from_millis(50));
        }
    }

    pub fn wait_for_format(&self, format: &str, expected: &str) {
        let start = Instant::now();
        while self.format(format) != expected {
            assert!(
                start.elapsed() < DEADLINE,
                "timed out waiting for {format} = {expected}; screen:\n{}",
                self.screen()
            );
            thread::park_timeout(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        // A UI still running when the server goes (a failed test) sees its terminal hang up,
        // and sockscope does not always exit then: end the pane's processes first, by pid.
        if self.format("#{pane_dead}") == "0" {
            let shell = self.format("#{pane_pid}");
            let children = std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children"));
            for pid in children.unwrap_or_default().split_whitespace() {
                let _ = Command::new("kill").arg("-KILL").arg(pid).status();
            }
        }
        let _ = self.run(&["kill-server"]);
    }
}

fn tmux_installed() -> bool {
    Command::new("tmux").arg("-V").output().is_ok_and(|output| output.status.success())
}

/// Whether tmux can run `test`: skipped loudly without it, a failure under CI.
pub fn tmux_or_skip(test: &str) -> bool {
    required::present_or_skip(
        test,
        tmux_installed(),
        "tmux is not installed (apt-get install tmux)",
    )
}

/// Whether `tool` runs (`curl`, `python3`) for `test`: skipped loudly without it, a failure
/// under CI.
pub fn tool_or_skip(test: &str, tool: &str) -> bool {
    required::tool_or_skip(test, tool)
}

/// After the UI has been asked to end: exit code 0 and the terminal as it was before.
pub fn assert_restored(tmux: &Tmux) {
    let screen = tmux.wait_for_screen("the shell after the UI", |screen| screen.contains("exit="));
    assert!(screen.contains("exit=0"), "exit code 0:\n{screen}");
    assert!(!screen.contains("Connections"), "the UI's screen is gone:\n{screen}");
    let screen = tmux.wait_for_screen("stty -a", |screen| screen.contains("icanon"));
    let modes: Vec<&str> = screen.split_whitespace().collect();
    for mode in ["icanon", "echo", "isig", "icrnl", "opost"] {
        assert!(modes.contains(&mode), "stty shows {mode} on again:\n{screen}");
    }
    assert_eq!(tmux.format("#{alternate_on}"), "0", "back on the main screen:\n{screen}");
    assert_eq!(tmux.format("#{cursor_flag}"), "1", "cursor visible again");
    assert_eq!(tmux.format("#{mouse_any_flag}"), "0", "no mouse reporting");

    tmux.send_keys("Enter");
    tmux.wait_for_format("#{pane_dead}", "1");
    assert_eq!(tmux.format("#{alternate_on}"), "0", "still on the main screen after exit");
}

/// A loopback port nobody listens on (bound by the OS, then released).
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
    listener.local_addr().expect("local address").port()
}

/// The shell command that runs `sockscope listen 127.0.0.1:PORT` (after `env`, e.g.
/// `LC_ALL=C`), then reports the exit code and the terminal's modes for [`assert_restored`].
/// With `wait_first`, it waits for Enter before starting, so the test can attach to the pane
/// (`pipe-pane`) before sockscope writes its first byte.
pub fn listen_command(port: u16, env: &str, wait_first: bool) -> String {
    let binary = env!("CARGO_BIN_EXE_sockscope");
    let wait = if wait_first { "read -r _; " } else { "" };
    format!(
        "{wait}env {env} '{binary}' listen 127.0.0.1:{port}; echo \"exit=$?\"; stty -a; read -r _"
    )
}

/// Waits until `condition` holds, or fails naming `what`.
pub fn wait_until(what: &str, condition: impl Fn() -> bool) {
    let start = Instant::now();
    while !condition() {
        assert!(start.elapsed() < DEADLINE, "timed out waiting for {what}");
        thread::park_timeout(Duration::from_millis(50));
    }
}
