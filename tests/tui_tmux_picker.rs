//! The scenario picker in a real terminal: `sockscope demo echo` in a detached tmux session,
//! `D` opens the picker, `j` moves to `byte-order`, `Enter` starts it. The byte-order lesson
//! appears; every socket the echo scenario had open is gone from the process (`/proc/PID/fd`);
//! the process runs as many threads, with the same names, as before (nothing leaked); and the
//! terminal never left the alternate screen in between (every byte written is recorded with
//! `pipe-pane`). `q` then ends the UI and gives the terminal back intact.
//!
//! Skipped, loudly, only when tmux is not installed and not under CI (which installs it).

mod tmux;

use sockscope::demo::scenarios;
use std::collections::BTreeSet;
use std::path::Path;
use tmux::{Tmux, assert_restored, tmux_or_skip, wait_until};

/// crossterm's `LeaveAlternateScreen` and `EnterAlternateScreen`.
const LEAVE_ALTERNATE: &str = "\x1b[?1049l";
const ENTER_ALTERNATE: &str = "\x1b[?1049h";

/// The sockets process `pid` holds, by inode (`socket:[12345]`).
fn sockets(pid: &str) -> BTreeSet<String> {
    let Ok(dir) = std::fs::read_dir(format!("/proc/{pid}/fd")) else { return BTreeSet::new() };
    dir.filter_map(Result::ok)
        .filter_map(|entry| std::fs::read_link(entry.path()).ok())
        .map(|target| target.to_string_lossy().into_owned())
        .filter(|target| target.starts_with("socket:"))
        .collect()
}

/// The TCP sockets open on this machine, by inode as `/proc/PID/fd` names them. A process
/// also holds Unix sockets that outlive any session (the terminal reader's wake-up pair).
fn tcp_sockets() -> BTreeSet<String> {
    ["/proc/net/tcp", "/proc/net/tcp6"]
        .iter()
        .filter_map(|table| std::fs::read_to_string(table).ok())
        .flat_map(|table| {
            // After the header: `sl local remote st tx:rx tr:when retrnsmt uid timeout inode`.
            let inodes: Vec<String> = table
                .lines()
                .skip(1)
                .filter_map(|line| {
                    line.split_whitespace().nth(9).map(|inode| format!("socket:[{inode}]"))
                })
                .collect();
            inodes
        })
        .collect()
}

/// The names of process `pid`'s threads, sorted (`sockscope-engine` is cut to 15 bytes).
fn threads(pid: &str) -> Vec<String> {
    let Ok(dir) = std::fs::read_dir(format!("/proc/{pid}/task")) else { return Vec::new() };
    let mut names: Vec<String> = dir
        .filter_map(Result::ok)
        .filter_map(|task| std::fs::read_to_string(task.path().join("comm")).ok())
        .map(|name| name.trim().to_string())
        .collect();
    names.sort();
    names
}

/// The pid of the shell's child: sockscope.
fn sockscope_pid(tmux: &Tmux) -> String {
    let shell = tmux.format("#{pane_pid}");
    let children = || {
        std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children")).unwrap_or_default()
    };
    wait_until("sockscope to start", || !children().trim().is_empty());
    children().split_whitespace().next().expect("a child").to_string()
}

fn record_output(tmux: &Tmux, file: &Path) {
    let pipe = format!("cat >> '{}'", file.display());
    let output = tmux.run(&["pipe-pane", "-o", "-t", "t", &pipe]);
    assert!(output.status.success(), "pipe-pane: {output:?}");
}

fn recorded(file: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(file).unwrap_or_default()).into_owned()
}

#[test]
fn picking_byte_order_in_the_echo_demo_replaces_its_sockets_and_threads() {
    if !tmux_or_skip("tui_tmux_picker") {
        return;
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    let output = dir.path().join("output");
    let binary = env!("CARGO_BIN_EXE_sockscope");
    let command = format!("'{binary}' demo echo; echo \"exit=$?\"; stty -a; read -r _");
    let tmux = Tmux::start(140, 45, &command);
    tmux.wait_for_screen("the echo demo with a client accepted", |screen| {
        screen.contains("echo: a server socket makes a socket per client")
            && screen.contains("#1 listening")
            && screen.contains("#3 open")
    });
    let pid = sockscope_pid(&tmux);
    let echo_sockets: BTreeSet<String> =
        sockets(&pid).intersection(&tcp_sockets()).cloned().collect();
    assert!(echo_sockets.len() >= 3, "a listener and two connected sockets: {echo_sockets:?}");
    let echo_threads = threads(&pid);
    assert!(
        echo_threads.iter().any(|name| name.starts_with("sockscope-engin")),
        "{echo_threads:?}"
    );
    record_output(&tmux, &output);

    tmux.send_keys("D");
    tmux.wait_for_screen("the picker on echo", |screen| {
        screen.contains("Demo scenarios") && screen.contains("> echo ")
    });
    let from = scenarios().iter().position(|entry| entry.name == "echo").expect("echo");
    let to = scenarios().iter().position(|entry| entry.name == "byte-order").expect("byte-order");
    for entry in &scenarios()[from + 1..=to] {
        tmux.send_keys("j");
        let highlighted = format!("> {} ", entry.name);
        tmux.wait_for_screen(&highlighted, |screen| screen.contains(&highlighted));
    }
    tmux.send_keys("Enter");

    let screen = tmux.wait_for_screen("the byte-order lesson", |screen| {
        screen.contains("byte-order: which end of the number comes first")
            && screen.contains("#1 listening")
    });
    assert!(!screen.contains("Demo scenarios"), "the picker closed:\n{screen}");
    assert!(!screen.contains("a server socket makes a socket"), "echo's lesson is gone:\n{screen}");
    assert_eq!(tmux.format("#{alternate_on}"), "1", "still on the alternate screen");
    assert_eq!(sockscope_pid(&tmux), pid, "the same process runs the new scenario");
    // Every socket of the echo scenario is closed; the new scenario has its own.
    wait_until("the echo scenario's sockets to close", || sockets(&pid).is_disjoint(&echo_sockets));
    let new_sockets = sockets(&pid).intersection(&tcp_sockets()).count();
    assert!(new_sockets > 0, "byte-order's listener is open");
    // The old engine, input and signal threads ended; the new session has one of each.
    wait_until("the old session's threads to end", || threads(&pid) == echo_threads);

    tmux.send_keys("q");
    assert_restored(&tmux);
    // Everything written since before `D` is recorded once the UI has left the alternate
    // screen on quitting: that must be the only time it left, and it never entered again.
    wait_until("the recording of the quit", || recorded(&output).contains(LEAVE_ALTERNATE));
    let bytes = recorded(&output);
    assert_eq!(bytes.matches(LEAVE_ALTERNATE).count(), 1, "left the alternate screen only on quit");
    assert!(!bytes.contains(ENTER_ALTERNATE), "never entered it again");
}
