//! Losing the terminal is a normal end: the window closed or the tmux pane or server killed
//! (SIGHUP, and the terminal's device gone, in either order) ends the UI without a panic, with
//! its recording closed and complete, and exit code 0.
//!
//! The pane runs sockscope under a shell that outlives the hangup (`trap : HUP` waits for its
//! child, whose signal dispositions are reset) and writes the exit code to a file. A peer keeps
//! sending in one round, so the UI is drawing when its terminal goes: the failed write to the
//! terminal is then as likely as the signal to be what the UI notices first.
//!
//! Skipped, loudly, only when tmux is not installed and not under CI (which installs it).

mod tmux;

use std::io::Write;
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use tmux::{Tmux, free_port, tmux_or_skip, wait_until};

fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_sockscope")
}

/// A peer that writes a line every few milliseconds until sockscope goes away.
fn chatter(port: u16) {
    let mut peer = TcpStream::connect(("127.0.0.1", port)).expect("the peer connects");
    std::thread::spawn(move || {
        let mut n = 0_u64;
        while peer.write_all(format!("line {n}\n").as_bytes()).is_ok() {
            n += 1;
            // The data rate, not a wait for anything.
            std::thread::sleep(std::time::Duration::from_millis(3));
        }
    });
}

/// Runs the UI with `--record` in a pane, lets `end` take its terminal away, and returns
/// the exit code the wrapper saw and what `replay --headless` says of the recording.
fn lose_the_terminal(
    dir: &Path,
    with_traffic: bool,
    end: &[&str],
) -> (String, Option<i32>, String) {
    let (recording, status) = (dir.join("session.sscope"), dir.join("status"));
    let port = free_port();
    let command = format!(
        "trap : HUP; '{}' listen 127.0.0.1:{port} --record '{}'; echo $? > '{}'",
        binary(),
        recording.display(),
        status.display()
    );
    let tmux = Tmux::start(120, 40, &command);
    tmux.wait_for_screen("the listener, recording", |screen| {
        screen.contains("REC") && screen.contains(&format!("listening on 127.0.0.1:{port}"))
    });
    if with_traffic {
        chatter(port);
        tmux.wait_for_screen("the peer's bytes", |screen| screen.contains("line 1"));
    }
    let output = tmux.run(end);
    assert!(output.status.success(), "tmux {end:?}: {output:?}");
    wait_until("the wrapper to write the exit code", || {
        std::fs::read_to_string(&status).is_ok_and(|s| s.ends_with('\n'))
    });
    let code = std::fs::read_to_string(&status).unwrap().trim().to_string();
    let replay = Command::new(binary())
        .args(["replay", "--headless"])
        .arg(&recording)
        .output()
        .expect("replay runs");
    (code, replay.status.code(), String::from_utf8_lossy(&replay.stderr).into_owned())
}

#[test]
fn losing_the_terminal_ends_the_ui_cleanly_with_the_recording_complete() {
    if !tmux_or_skip("tui_tmux_hangup") {
        return;
    }
    let ends: [(&[&str], bool); 4] = [
        (&["kill-server"], false),
        (&["kill-server"], true),
        (&["kill-pane", "-t", "t"], true),
        (&["kill-pane", "-t", "t"], false),
    ];
    for (end, with_traffic) in ends {
        let dir = tempfile::tempdir().expect("temp dir");
        let (code, replayed, stderr) = lose_the_terminal(dir.path(), with_traffic, end);
        let case = format!("{end:?}, traffic {with_traffic}");
        assert_eq!(code, "0", "{case}: exit code");
        assert_eq!(replayed, Some(0), "{case}: the recording is complete: {stderr}");
    }
}
