//! End to end in a real terminal: the binary runs in a detached tmux session, the test types
//! keys and reads the screen, and after `q` checks that the terminal was given back intact
//! (main screen, cursor visible, no mouse reporting, cooked mode as `stty -a` reports it).
//!
//! Skipped, with a message, only when tmux is not installed (CI installs it).

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

    fn send_keys(&self, keys: &str) {
        let output = self.run(&["send-keys", "-t", "t", keys]);
        assert!(output.status.success(), "send-keys {keys}: {output:?}");
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
        let _ = self.run(&["kill-server"]);
    }
}

fn tmux_installed() -> bool {
    Command::new("tmux").arg("-V").output().is_ok_and(|output| output.status.success())
}

/// Starts `sockscope listen 127.0.0.1:0` in a shell that, after the UI exits, reports the
/// exit code and the terminal's modes, then waits for a line: so the cursor can be checked on
/// a live pane (a dead one reports none).
fn start_ui() -> Option<Tmux> {
    if !tmux_installed() {
        eprintln!("skipping: tmux is not installed");
        return None;
    }
    let binary = env!("CARGO_BIN_EXE_sockscope");
    let command = format!("'{binary}' listen 127.0.0.1:0; echo \"exit=$?\"; stty -a; read -r _");
    let tmux = Tmux::start(120, 40, &command);
    let screen = tmux.wait_for_screen("the first frame", |screen| {
        screen.contains("Connections") && screen.contains("listening on 127.0.0.1:")
    });
    assert!(screen.contains("AUTO"), "{screen}");
    assert_eq!(tmux.format("#{alternate_on}"), "1", "the UI draws on the alternate screen");
    Some(tmux)
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

/// The pid of the `sockscope` process: the only child of the pane's shell.
fn ui_pid(tmux: &Tmux) -> String {
    let shell = tmux.format("#{pane_pid}");
    let children = std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children"))
        .expect("the shell's children are listed");
    let pids: Vec<&str> = children.split_whitespace().collect();
    assert_eq!(pids.len(), 1, "one child of the shell: {children:?}");
    pids[0].to_string()
}

#[test]
fn help_then_quit_restores_the_terminal() {
    let Some(tmux) = start_ui() else { return };
    tmux.send_keys("?");
    tmux.wait_for_screen("the help", |screen| screen.contains("select the next connection"));
    tmux.send_keys("Escape");
    tmux.wait_for_screen("the help to close", |screen| {
        !screen.contains("select the next connection") && screen.contains("Connections")
    });
    tmux.send_keys("q");
    assert_restored(&tmux);
}

#[test]
fn ctrl_c_restores_the_terminal() {
    let Some(tmux) = start_ui() else { return };
    // Typing first: Ctrl-C quits even from the command line.
    tmux.send_keys(":");
    tmux.wait_for_screen("the command line", |screen| screen.lines().any(|l| l.starts_with(':')));
    tmux.send_keys("C-c");
    assert_restored(&tmux);
}

#[test]
fn signals_restore_the_terminal() {
    for signal in ["TERM", "HUP", "INT"] {
        let Some(tmux) = start_ui() else { return };
        let pid = ui_pid(&tmux);
        let status = Command::new("kill").arg(format!("-{signal}")).arg(&pid).status();
        assert!(status.is_ok_and(|status| status.success()), "kill -{signal} {pid}");
        assert_restored(&tmux);
    }
}

/// A terminal that goes away (its tmux server killed, an ssh link dropped) ends the UI: it must
/// not linger as an orphan reading a dead terminal.
#[test]
fn the_ui_exits_when_its_terminal_goes_away() {
    let Some(tmux) = start_ui() else { return };
    let pid = ui_pid(&tmux);
    drop(tmux);
    let end = std::time::Instant::now() + DEADLINE;
    while std::path::Path::new(&format!("/proc/{pid}")).exists() {
        let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        if state.split_whitespace().nth(2) == Some("Z") {
            break;
        }
        assert!(
            std::time::Instant::now() < end,
            "sockscope (pid {pid}) still runs without a terminal"
        );
        std::thread::park_timeout(Duration::from_millis(20));
    }
}
