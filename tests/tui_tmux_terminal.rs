//! End to end in a real terminal: the UI survives a window resized through 1×1 and back while
//! a peer keeps sending, and draws only ASCII in a locale that is not UTF-8 (`LC_ALL=C`).
//!
//! Skipped, loudly, only when tmux is not installed and not under CI (which installs it).

mod tmux;

use std::io::Write;
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;
use tmux::{Tmux, assert_restored, free_port, listen_command, tmux_or_skip};

/// Starts sockscope listening in a 120×40 window, `env` set, and waits for the listener.
fn start_ui(env: &str) -> Option<(Tmux, u16)> {
    if !tmux_or_skip("tui_tmux_terminal") {
        return None;
    }
    let port = free_port();
    let tmux = Tmux::start(120, 40, &listen_command(port, env, false));
    let listening = format!("listening on 127.0.0.1:{port}");
    tmux.wait_for_screen("the listener", |screen| screen.contains(&listening));
    Some((tmux, port))
}

/// A peer that sends numbered lines until stopped or until sockscope closes the connection.
struct Streamer {
    stop: Arc<AtomicBool>,
    thread: thread::JoinHandle<()>,
}

impl Streamer {
    fn start(port: u16) -> Self {
        let mut peer = TcpStream::connect(("127.0.0.1", port)).expect("the peer connects");
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let thread = thread::spawn(move || {
            let mut n = 0_u64;
            while !stopped.load(Ordering::Relaxed) {
                n += 1;
                if peer.write_all(format!("line {n:08}\n").as_bytes()).is_err() {
                    return;
                }
                // The data rate (about 7 KB/s), not a wait for anything.
                thread::sleep(Duration::from_millis(2));
            }
        });
        Self { stop, thread }
    }

    fn stop(self) {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().expect("the peer thread ends");
    }
}

/// The status bar's traffic summary (`in 1.2 KiB out 0 B`).
fn traffic(screen: &str) -> String {
    let first = screen.lines().next().unwrap_or_default();
    first.rsplit_once(" in ").map(|(_, totals)| totals.trim().to_string()).unwrap_or_default()
}

fn resize(tmux: &Tmux, width: u16, height: u16) {
    let (w, h) = (width.to_string(), height.to_string());
    let output = tmux.run(&["resize-window", "-t", "t", "-x", &w, "-y", &h]);
    assert!(output.status.success(), "resize-window {w}x{h}: {output:?}");
    tmux.wait_for_format("#{window_width}x#{window_height}", &format!("{w}x{h}"));
}

/// The UI is still running: its pane is alive and the shell has not printed the exit code.
fn assert_running(tmux: &Tmux) {
    assert_eq!(tmux.format("#{pane_dead}"), "0", "the pane is alive");
    assert_eq!(tmux.format("#{alternate_on}"), "1", "the UI still owns the screen");
}

#[test]
fn resizing_through_one_by_one_while_data_flows() {
    let Some((tmux, port)) = start_ui("") else { return };
    let streamer = Streamer::start(port);
    let mut before = tmux.wait_for_screen("the peer's lines", |screen| {
        screen.contains("Data (text)") && screen.contains("line 0000")
    });
    for cycle in 0..3 {
        resize(&tmux, 1, 1);
        // Just below the smallest layout: the notice proves a frame was drawn after 1×1.
        resize(&tmux, 59, 15);
        tmux.wait_for_screen("the too-small notice", |screen| screen.contains("have 59×15"));
        resize(&tmux, 1, 1);
        resize(&tmux, 2, 3);
        assert_running(&tmux);
        resize(&tmux, 120, 40);
        let seen = traffic(&before);
        let after = tmux.wait_for_screen("the panels with newer data", |screen| {
            screen.contains("Connections")
                && screen.contains("Data (text)")
                && !traffic(screen).is_empty()
                && traffic(screen) != seen
        });
        assert!(!after.contains("terminal too small"), "cycle {cycle}:\n{after}");
        before = after;
    }
    assert_running(&tmux);
    tmux.send_keys("q");
    assert_restored(&tmux);
    streamer.stop();
}

#[test]
fn a_c_locale_gets_an_ascii_screen() {
    let Some((tmux, port)) = start_ui("LC_ALL=C") else { return };
    let mut peer = TcpStream::connect(("127.0.0.1", port)).expect("the peer connects");
    peer.write_all("grüße ✓\n".as_bytes()).expect("the peer writes");
    let screen = tmux.wait_for_screen("the escaped text", |screen| {
        screen.contains(r"<0000 gr\u{fc}\u{df}e \u{2713}\n")
    });
    assert!(screen.contains("+ Connections -"), "ASCII borders:\n{screen}");
    assert!(screen.contains("j/Down"), "arrow keys by name:\n{screen}");
    let other = screen.chars().find(|c| !c.is_ascii());
    assert_eq!(other, None, "only ASCII on the screen:\n{screen}");
    tmux.send_keys("q");
    assert_restored(&tmux);
}
