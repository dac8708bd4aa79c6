//! Recording and replaying in a real terminal, as a person would: `listen --record` shows the
//! recording badge; `Ctrl-R` stops it and starts another file mid-session (which opens with
//! the sockets already there); both files hold exactly their part of the traffic; then
//! `sockscope replay` plays a file on its timeline and the keys move along it.
//!
//! Skipped, loudly, only when tmux is not installed and not under CI (which installs it).

mod tmux;

use std::io::Write;
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use tmux::{Tmux, free_port, tmux_or_skip};

fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_sockscope")
}

/// The recording's events as `replay --headless --json` prints them.
fn replayed_json(path: &Path) -> String {
    let output = Command::new(binary())
        .args(["replay", "--headless", "--json"])
        .arg(path)
        .output()
        .expect("replay runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "replay of {}: {stderr}", path.display());
    String::from_utf8(output.stdout).expect("JSON is UTF-8")
}

/// The hex of `text`, as the JSON's `data` fields write bytes.
fn hex(text: &str) -> String {
    hex::encode(text)
}

/// The status bar's event counter, `#N/M`, once the replay has been indexed.
fn counter(screen: &str) -> Option<(u64, u64)> {
    let line = screen.lines().next()?;
    let at = line.find(" #")?;
    let (applied, total) = line[at + 2..].split_whitespace().next()?.split_once('/')?;
    Some((applied.parse().ok()?, total.parse().ok()?))
}

#[test]
fn record_from_the_ui_then_replay_on_the_timeline() {
    if !tmux_or_skip("tui_tmux_recording") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let (first, second) = (dir.path().join("first.sscope"), dir.path().join("second.sscope"));
    let port = free_port();
    let command = format!(
        "'{}' listen 127.0.0.1:{port} --record '{}'; echo \"exit=$?\"; read -r _",
        binary(),
        first.display()
    );
    let tmux = Tmux::start(140, 40, &command);
    tmux.wait_for_screen("the listener, recording", |s| {
        s.contains("listening on") && s.contains("● REC first.sscope")
    });
    let mut peer = TcpStream::connect(("127.0.0.1", port)).expect("the peer connects");
    peer.write_all(b"before\n").expect("the peer writes");
    tmux.wait_for_screen("the first bytes", |s| s.contains(r"before\n"));

    // Ctrl-R stops the recording; pressed again it asks for a file and starts another.
    tmux.send_keys("C-r");
    tmux.wait_for_screen("the recording closed", |s| {
        s.contains("recorded ") && s.contains("first.sscope: ") && !s.contains("● REC")
    });
    tmux.send_keys("C-r");
    tmux.wait_for_screen("the file prompt", |s| s.lines().any(|l| l.starts_with(":record")));
    tmux.type_text(&second.display().to_string());
    tmux.send_keys("Enter");
    tmux.wait_for_screen("the second recording", |s| s.contains("● REC second.sscope"));
    peer.write_all(b"after\n").expect("the peer writes again");
    tmux.wait_for_screen("the later bytes", |s| s.contains(r"after\n"));
    tmux.send_keys("q");
    tmux.wait_for_screen("the exit code", |s| s.contains("exit=0"));

    let early = replayed_json(&first);
    assert!(early.contains(&hex("before\n")) && !early.contains(&hex("after\n")), "{early}");
    let late = replayed_json(&second);
    assert!(late.contains(&hex("after\n")) && !late.contains(&hex("before\n")), "{late}");
    for opening in [r#""ev":"listen","conn":1"#, r#""ev":"accept","conn":2"#] {
        assert!(late.contains(opening), "the second file opens with {opening}:\n{late}");
    }

    // The first file on the timeline: it plays to its end, then the keys move along it.
    let command =
        format!("'{}' replay '{}'; echo \"exit=$?\"; read -r _", binary(), first.display());
    let replay = Tmux::start(140, 40, &command);
    let screen = replay.wait_for_screen("the end of the replay", |s| {
        s.contains("REPLAY") && counter(s).is_some_and(|(at, total)| at == total && total > 0)
    });
    assert!(screen.contains(r"before\n"), "the recorded bytes are shown:\n{screen}");
    let (_, total) = counter(&screen).expect("a counter");
    replay.type_text("^");
    replay.wait_for_screen("the start", |s| {
        counter(s) == Some((0, total)) && !s.contains(r"before\n")
    });
    replay.type_text("...");
    replay.wait_for_screen("three steps", |s| counter(s) == Some((3, total)));
    replay.type_text(",");
    replay.wait_for_screen("a step back", |s| counter(s) == Some((2, total)));
    replay.type_text("t");
    replay.type_text(&format!("#{total}"));
    replay.send_keys("Enter");
    replay.wait_for_screen("the last event", |s| {
        counter(s) == Some((total, total)) && s.contains(r"before\n")
    });
    replay.type_text("q");
    replay.wait_for_screen("the exit code", |s| s.contains("exit=0"));
}

#[test]
fn replay_of_something_that_is_not_a_recording_is_bad_input() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "not a recording\n").expect("written");
    let output = Command::new(binary()).arg("replay").arg(&path).output().expect("runs");
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("not a sockscope recording"), "{stderr}");
}
