//! End to end in a real terminal: the binary runs in a detached tmux session, the test types
//! keys and reads the screen, and after `q` checks that the terminal was given back intact
//! (main screen, cursor visible, no mouse reporting, cooked mode as `stty -a` reports it).
//!
//! Skipped, loudly, only when tmux is not installed and not under CI (which installs it).

mod tmux;

use std::process::Command;
use std::time::Duration;
use tmux::{DEADLINE, Tmux, assert_restored, tmux_or_skip};

/// Starts `sockscope listen 127.0.0.1:0` in a shell that, after the UI exits, reports the
/// exit code and the terminal's modes, then waits for a line: so the cursor can be checked on
/// a live pane (a dead one reports none).
fn start_ui() -> Option<Tmux> {
    if !tmux_or_skip("tui_tmux") {
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
    for signal in ["TERM", "HUP", "INT", "QUIT"] {
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

/// A green run must mean the tmux tests ran: with no tmux to be found, one of them, run again
/// by this test binary, fails under `CI=true` and is skipped loudly elsewhere.
#[test]
fn without_tmux_the_tests_fail_under_ci_and_skip_loudly_elsewhere() {
    let run_without_tmux = |ci: Option<&str>| {
        let mut command = Command::new(std::env::current_exe().expect("this test binary"));
        command
            .args(["--exact", "help_then_quit_restores_the_terminal", "--nocapture"])
            .env("PATH", "/nonexistent");
        match ci {
            Some(value) => command.env("CI", value),
            None => command.env_remove("CI"),
        };
        let output = command.output().expect("the test binary runs");
        let said = [output.stdout, output.stderr].concat();
        (output.status.success(), String::from_utf8_lossy(&said).into_owned())
    };
    let (passed, said) = run_without_tmux(Some("true"));
    assert!(
        !passed && said.contains("tmux is not installed") && said.contains("under CI"),
        "{said}"
    );
    let (passed, said) = run_without_tmux(None);
    assert!(passed && said.contains("SKIPPED: tmux is not installed"), "{said}");
}
