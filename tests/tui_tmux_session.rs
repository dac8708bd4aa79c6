//! A whole session in a real terminal, as a person would run it: `sockscope listen` in a
//! detached tmux session, a loopback peer connects and writes a line, the screen shows the
//! bytes (escaped) in the Data panel and the accepting round in the Readiness panel; the send
//! key's prompt sends `reply\n` (typed as a backslash escape) which the peer reads exactly;
//! `q` ends the UI and gives the terminal back intact.
//!
//! Skipped, with a message, only when tmux is not installed (CI installs it).

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Output};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const DEADLINE: Duration = Duration::from_secs(20);

/// A private tmux server (`-L`), killed when the test ends, however it ends.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(width: u16, height: u16, shell_command: &str) -> Self {
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        let tmux = Self { socket: format!("sockscope-session-{}-{nanos}", std::process::id()) };
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

    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux").arg("-L").arg(&self.socket).args(args).output().expect("tmux runs")
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned()
    }

    fn format(&self, format: &str) -> String {
        let output = self.run(&["display-message", "-p", "-t", "t", format]);
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    }

    /// Presses keys by tmux name (`q`, `Enter`, `Escape`, `C-c`).
    fn send_keys(&self, keys: &str) {
        let output = self.run(&["send-keys", "-t", "t", keys]);
        assert!(output.status.success(), "send-keys {keys}: {output:?}");
    }

    /// Types `text` character by character (`-l`: no key names, a backslash is a backslash).
    fn type_text(&self, text: &str) {
        let output = self.run(&["send-keys", "-t", "t", "-l", text]);
        assert!(output.status.success(), "send-keys -l {text}: {output:?}");
    }

    /// Waits until `condition` holds for the screen, or fails showing the last screen.
    fn wait_for_screen(&self, what: &str, condition: impl Fn(&str) -> bool) -> String {
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

    fn wait_for_format(&self, format: &str, expected: &str) {
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

/// A loopback port nobody listens on (bound by the OS, then released).
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
    listener.local_addr().expect("local address").port()
}

/// The pieces of a screen line between the panels' vertical borders, trimmed.
fn cells(screen: &str) -> impl Iterator<Item = &str> {
    screen.lines().flat_map(|line| line.split('│')).map(str::trim)
}

/// Whether the Readiness panel lists a poll round (`#N 1.234s R[...] W[...] E[...]`) whose
/// readable set holds connection `conn`.
fn round_lists_readable(screen: &str, conn: u64) -> bool {
    let wanted = conn.to_string();
    cells(screen).filter(|cell| cell.starts_with('#')).any(|cell| {
        let Some(start) = cell.find(" R[") else { return false };
        let list = &cell[start + 3..];
        let Some(end) = list.find(']') else { return false };
        list[..end].split_whitespace().any(|id| id == wanted)
    })
}

/// After the UI has been asked to end: exit code 0 and the terminal as it was before.
fn assert_restored(tmux: &Tmux) {
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

/// Reads until the peer closes (EOF), failing on a reset or after `DEADLINE`.
fn read_until_eof(peer: &mut TcpStream) -> Vec<u8> {
    let start = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0_u8; 4096];
    loop {
        match peer.read(&mut buf) {
            Ok(0) => return got,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(err) if matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(err) if err.kind() == ErrorKind::Interrupted => {}
            Err(err) => panic!("the peer's read failed after {got:?}: {err}"),
        }
        assert!(start.elapsed() < DEADLINE, "no EOF for the peer; it read {got:?}");
    }
}

#[test]
fn listen_receive_send_and_quit() {
    if !tmux_installed() {
        eprintln!("skipping: tmux is not installed");
        return;
    }
    let port = free_port();
    let binary = env!("CARGO_BIN_EXE_sockscope");
    let command =
        format!("'{binary}' listen 127.0.0.1:{port}; echo \"exit=$?\"; stty -a; read -r _");
    let tmux = Tmux::start(120, 40, &command);
    let listening = format!("listening on 127.0.0.1:{port}");
    let screen = tmux.wait_for_screen("the listener", |screen| {
        screen.contains("Connections") && screen.contains(&listening)
    });
    assert!(screen.contains("#1 listening"), "the listener is #1:\n{screen}");
    assert_eq!(tmux.format("#{alternate_on}"), "1", "the UI draws on the alternate screen");

    let mut peer = TcpStream::connect(("127.0.0.1", port)).expect("the peer connects");
    peer.write_all(b"hello from the peer\n").expect("the peer writes");

    // The first accepted socket of the session is #2; it is selected as the newest.
    let screen = tmux.wait_for_screen("the peer's bytes and the accepting round", |screen| {
        cells(screen).any(|cell| cell.ends_with(r"|hello from the peer\n"))
            && round_lists_readable(screen, 2)
    });
    assert!(screen.contains("Data (text)"), "{screen}");
    assert!(cells(&screen).any(|cell| cell.starts_with("#2 open")), "#2 is open:\n{screen}");
    assert!(
        cells(&screen).any(|cell| cell.starts_with("#2 accepted")),
        "the Calls panel shows the selected #2:\n{screen}"
    );
    // Escaped: the newline is shown as `\n`, never as a line break inside the text.
    assert!(!cells(&screen).any(|cell| cell.ends_with("|hello from the peer")), "{screen}");

    tmux.send_keys("s");
    tmux.wait_for_screen("the send prompt", |screen| screen.contains("Send text to #2"));
    tmux.type_text(r"reply\n");
    tmux.wait_for_screen("the typed text", |screen| cells(screen).any(|cell| cell == r"> reply\n"));
    tmux.send_keys("Enter");

    peer.set_read_timeout(Some(Duration::from_millis(200))).expect("read timeout");
    let mut got = Vec::new();
    let mut buf = [0_u8; 64];
    let start = Instant::now();
    while got.len() < b"reply\n".len() {
        match peer.read(&mut buf) {
            Ok(0) => panic!("EOF before the reply; read {got:?}"),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(err) if matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(err) => panic!("the peer's read failed: {err}"),
        }
        assert!(
            start.elapsed() < DEADLINE,
            "the peer got {got:?}, not the reply; screen:\n{}",
            tmux.screen()
        );
    }
    assert_eq!(got, b"reply\n", "the escape was sent as one newline byte");
    tmux.wait_for_screen("the send in the Data panel", |screen| {
        cells(screen).any(|cell| cell.ends_with(r"|reply\n"))
    });

    tmux.send_keys("q");
    assert_restored(&tmux);
    // Quitting closes the connection in order: nothing after the reply, then EOF.
    assert_eq!(read_until_eof(&mut peer), b"", "nothing more than the reply reached the peer");
}
