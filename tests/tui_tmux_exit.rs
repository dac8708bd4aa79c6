//! The exit code of a UI session, as a person sees it in their shell: quitting a `connect`
//! whose connection was refused exits 1, as the headless run does; quitting one that
//! connected exits 0.
//!
//! Skipped, with a message, only when tmux is not installed outside CI (CI installs it).

mod tmux;

use std::net::TcpListener;
use tmux::{Tmux, free_port, tmux_installed};

fn tmux_or_skip() -> bool {
    if tmux_installed() {
        return true;
    }
    assert!(std::env::var_os("CI").is_none(), "tmux is required under CI");
    eprintln!("skipping: tmux is not installed");
    false
}

/// `sockscope connect TARGET` in a pane, then the shell prints its exit code.
fn connect_in_a_pane(target: &str) -> Tmux {
    let binary = env!("CARGO_BIN_EXE_sockscope");
    Tmux::start(120, 35, &format!("'{binary}' connect {target}; echo \"exit=$?\"; read -r _"))
}

fn quit_and_read_exit_code(tmux: &Tmux) -> String {
    tmux.send_keys("q");
    let screen = tmux.wait_for_screen("the exit code", |screen| screen.contains("exit="));
    let line = screen.lines().find(|line| line.contains("exit=")).unwrap_or_default();
    line.trim().to_owned()
}

#[test]
fn quitting_after_a_refused_connect_exits_1() {
    if !tmux_or_skip() {
        return;
    }
    let tmux = connect_in_a_pane(&format!("127.0.0.1:{}", free_port()));
    tmux.wait_for_screen("the refusal", |screen| screen.to_lowercase().contains("refused"));
    assert_eq!(quit_and_read_exit_code(&tmux), "exit=1");
}

#[test]
fn quitting_a_connected_session_exits_0() {
    if !tmux_or_skip() {
        return;
    }
    let server = TcpListener::bind("127.0.0.1:0").unwrap();
    let tmux = connect_in_a_pane(&server.local_addr().unwrap().to_string());
    let _peer = server.accept().unwrap();
    tmux.wait_for_screen("the connection", |screen| screen.contains("open"));
    assert_eq!(quit_and_read_exit_code(&tmux), "exit=0");
}
