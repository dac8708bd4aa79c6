//! `replay FILE --to ADDR`: a recorded client side re-sent to a real loopback server, the
//! replies compared with the recorded ones.

mod record_support;
mod support;

use record_support::{echo_server_ending, read_recording};
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use support::{Running, sockscope};

fn run(args: &[&str]) -> Output {
    sockscope().args(args).stdin(Stdio::null()).output().expect("binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Records an echo server (`listen --echo`) talking to a client that sends two lines, one
/// after the other's echo, then half-closes.
fn record_echo_session(dir: &Path) -> PathBuf {
    let file = dir.join("echo.sscope");
    let server = Running::listening(&[
        "listen",
        "127.0.0.1:0",
        "--echo",
        "--headless",
        "--record",
        file.to_str().unwrap(),
    ]);
    let mut client = TcpStream::connect(server.addr).unwrap();
    client.set_read_timeout(Some(record_support::DEADLINE)).unwrap();
    for line in [&b"hello\n"[..], b"world\n"] {
        client.write_all(line).unwrap();
        let mut echo = vec![0; line.len()];
        client.read_exact(&mut echo).unwrap();
    }
    client.shutdown(Shutdown::Write).unwrap();
    let mut rest = Vec::new();
    client.read_to_end(&mut rest).unwrap();
    assert!(rest.is_empty());
    assert_eq!(server.interrupt().0, 0);
    let (events, _) = read_recording(&file);
    assert!(!events.is_empty());
    file
}

#[test]
fn an_identical_server_is_exit_0_with_either_timing() {
    let dir = tempfile::tempdir().unwrap();
    let file = record_echo_session(dir.path());
    let (echo, _) = echo_server_ending("127.0.0.1:0", b"");
    for timing in ["wait-reply", "original"] {
        let to = echo.to_string();
        let out = run(&["replay", file.to_str().unwrap(), "--to", &to, "--timing", timing]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{timing}: {}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
        assert!(text(&out.stdout).starts_with("identical: sent 12 bytes"), "{}", text(&out.stdout));
    }
}

#[test]
fn a_server_that_answers_differently_is_exit_3_with_the_first_difference() {
    let dir = tempfile::tempdir().unwrap();
    let file = record_echo_session(dir.path());
    let (chatty, _) = echo_server_ending("127.0.0.1:0", b"<bye>");
    let to = chatty.to_string();
    let out = run(&["replay", file.to_str().unwrap(), "--to", &to, "--reply-timeout", "5"]);
    assert_eq!(out.status.code(), Some(3), "{}{}", text(&out.stdout), text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("replies differ at byte 12")
            && stdout.contains("expected (nothing), got 3c 62 79 65 3e"),
        "{stdout}"
    );

    let (server_side, _) = echo_server_ending("127.0.0.1:0", b"");
    let to = server_side.to_string();
    let out = run(&[
        "replay",
        file.to_str().unwrap(),
        "--to",
        &to,
        "--side",
        "server",
        "--conn",
        "2",
        "--reply-timeout",
        "0.5",
    ]);
    assert_eq!(out.status.code(), Some(3), "the server's side sent first and got its own echo");
    assert!(text(&out.stdout).contains("replies differ at byte 0"), "{}", text(&out.stdout));
    assert!(text(&out.stderr).contains("no reply came"), "{}", text(&out.stderr));
}

#[test]
fn a_refused_connection_is_exit_1_and_a_missing_connection_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = record_echo_session(dir.path());
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port().to_string();
    let out = run(&["replay", file.to_str().unwrap(), "--to", &port]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("cannot connect"), "{}", text(&out.stderr));
    // Nothing was compared: the verdict says the connection failed, not that replies differ.
    let stdout = text(&out.stdout);
    assert!(stdout.contains("connection failed"), "{stdout}");
    assert!(!stdout.contains("differ"), "{stdout}");
    let out = run(&["replay", file.to_str().unwrap(), "--to", &port, "--conn", "9"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no connection #9"), "{}", text(&out.stderr));
    let out = run(&["replay", file.to_str().unwrap(), "--conn", "2"]);
    assert_eq!(out.status.code(), Some(2), "--conn needs --to");
}

#[test]
fn the_top_level_help_lists_exit_code_3() {
    let out = run(&["--help"]);
    let help = text(&out.stdout);
    assert!(help.contains("3 replies differ (replay --to)"), "{help}");
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md is readable");
    let readme = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(readme.contains("**3** the replies differ (`replay --to`)"), "README exit codes");
}
