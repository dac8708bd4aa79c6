//! A full disk while recording in the UI, for real (a 1 MiB tmpfs): the status bar says the
//! recording stopped as soon as it does, while the session goes on; after `q` the terminal
//! shows the error again, the exit code is 1, and the file is a readable prefix.
//!
//! The peer sends a burst that fits on the disk, then one that does not, then nothing: no
//! later batch can carry the news, so it shows only if the failure itself reports it.
//!
//! Skipped, loudly, only when tmux is not installed or a tmpfs cannot be mounted (root), and
//! never under CI.

mod small_disk;
mod tmux;

use small_disk::{SmallDisk, small_disk_or_skip};
use sockscope::record::{ReadStatus, Reader};
use std::io::Write;
use std::net::TcpStream;
use tmux::{Tmux, free_port, tmux_or_skip, wait_until};

/// The status bar's traffic counter for what came in (`in 600 KiB`).
fn received(screen: &str) -> String {
    let first = screen.lines().next().unwrap_or_default();
    first
        .rsplit_once(" in ")
        .map(|(_, rest)| rest.split(" out").next().unwrap_or("").trim().to_string())
        .unwrap_or_default()
}

#[test]
fn a_full_disk_shows_in_the_status_bar_at_once() {
    let test = "a_full_disk_shows_in_the_status_bar_at_once";
    if !tmux_or_skip(test) || !small_disk_or_skip(test) {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let (kept, status) = (dir.path().join("kept.sscope"), dir.path().join("status"));
    let port = free_port();
    let command = format!(
        "'{}' listen 127.0.0.1:{port} --record \"$DISK/session.sscope\"",
        env!("CARGO_BIN_EXE_sockscope")
    );
    let disk = SmallDisk::new(dir.path(), &command, &kept, &status);
    let tmux = Tmux::start(140, 40, &format!("{}; read -r _", disk.shell_line()));
    tmux.wait_for_screen("the listener, recording", |screen| {
        screen.contains("REC") && screen.contains(&format!("listening on 127.0.0.1:{port}"))
    });

    let mut peer = TcpStream::connect(("127.0.0.1", port)).expect("the peer connects");
    peer.write_all(&vec![b'a'; 600 * 1024]).unwrap();
    tmux.wait_for_screen("the first burst", |screen| received(screen) == "600.0 KiB");
    peer.write_all(&vec![b'b'; 600 * 1024]).unwrap();
    let screen = tmux.wait_for_screen("the full disk in the status bar", |screen| {
        screen.lines().next().is_some_and(|bar| bar.contains("No space left"))
    });
    assert!(!screen.lines().next().unwrap().contains("● REC"), "the badge is gone:\n{screen}");
    assert_eq!(tmux.format("#{alternate_on}"), "1", "the session goes on:\n{screen}");

    tmux.send_keys("q");
    wait_until("the script to end", || std::fs::read_to_string(&status).is_ok());
    let code = std::fs::read_to_string(&status).unwrap();
    assert_eq!(code.trim(), "1", "a recording that failed makes the exit code 1");
    let screen = tmux.screen();
    assert!(screen.contains("error: recording") && screen.contains("No space left"), "{screen}");
    let (events, ending) = Reader::open(&kept).expect("the recording opens").read_all();
    assert!(matches!(ending.status, ReadStatus::Truncated { .. }), "{}", ending.status);
    assert!(events.len() > 3, "what fitted is kept: {} events", events.len());
}
