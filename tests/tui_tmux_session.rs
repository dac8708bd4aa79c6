//! A whole session in a real terminal, as a person would run it: `sockscope listen` in a
//! detached tmux session, a loopback peer connects and writes a line, the screen shows the
//! bytes (escaped) in the Data panel and the accepting round in the Readiness panel; the send
//! key's prompt sends `reply\n` (typed as a backslash escape) which the peer reads exactly;
//! `q` ends the UI and gives the terminal back intact.
//!
//! Skipped, loudly, only when tmux is not installed and not under CI (which installs it).

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
mod tmux;

use std::time::{Duration, Instant};
use tmux::{DEADLINE, Tmux, assert_restored, tmux_or_skip};

/// A loopback port nobody listens on (bound by the OS, then released).
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
    listener.local_addr().expect("local address").port()
}

/// The pieces of a screen line between the panels' vertical borders, trimmed.
fn cells(screen: &str) -> impl Iterator<Item = &str> {
    screen.lines().flat_map(|line| line.split('│')).map(str::trim)
}

/// Whether the Readiness panel lists a poll round (`#N 1.234s R[...] W[...] X[...]`) whose
/// readable set (`select()`'s) holds connection `conn`.
fn round_lists_readable(screen: &str, conn: u64) -> bool {
    let wanted = conn.to_string();
    cells(screen).filter(|cell| cell.starts_with('#')).any(|cell| {
        let Some(start) = cell.find(" R[") else { return false };
        let list = &cell[start + 3..];
        let Some(end) = list.find(']') else { return false };
        list[..end].split_whitespace().any(|id| id == wanted)
    })
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
    if !tmux_or_skip("tui_tmux_session") {
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
        cells(screen).any(|cell| cell.ends_with(r"<0000 hello from the peer\n"))
            && round_lists_readable(screen, 2)
    });
    assert!(screen.contains("Data (text)"), "{screen}");
    assert!(cells(&screen).any(|cell| cell.starts_with("#2 open")), "#2 is open:\n{screen}");
    assert!(
        cells(&screen).any(|cell| cell.starts_with("#2 accepted")),
        "the Calls panel shows the selected #2:\n{screen}"
    );
    // Escaped: the newline is shown as `\n`, never as a line break inside the text.
    assert!(!cells(&screen).any(|cell| cell.ends_with("<0000 hello from the peer")), "{screen}");

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
        cells(screen).any(|cell| cell.ends_with(r">0000 reply\n"))
    });

    tmux.send_keys("q");
    assert_restored(&tmux);
    // Quitting closes the connection in order: nothing after the reply, then EOF.
    assert_eq!(read_until_eof(&mut peer), b"", "nothing more than the reply reached the peer");
}
