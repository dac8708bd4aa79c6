//! `sockscope run FILE --to ADDR`: a lesson's clients against a real server, its awaited bytes
//! the expectations. Exit 0 when each is met, 3 when one is not (saying which step, what was
//! expected and what came, as text and hex), 1 when the server cannot be reached, 2 for a bad
//! file. The servers here are std listeners on loopback, each on a thread of the test.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::Stdio;
use support::{sockscope, wait_with_deadline};

/// A lesson that says hello and expects it back, then ends its side and expects the server
/// to end its own.
const HELLO: &str = r#"
title = "hello check"
text = "Says hello; the server must say it back."

[[steps]]
do = "connect"

[[steps]]
do = "send"
on = "client 0"
text = "hello\n"

[[steps]]
do = "await"
on = "client 0"
text = "hello\n"
timeout = "5s"

# The server's own steps are the real server's business: --to skips them.
[[steps]]
do = "send"
on = "server 0"
text = "never sent\n"

[[steps]]
do = "shutdown"
on = "client 0"

[[steps]]
do = "await"
on = "client 0"
event = "eof"
"#;

/// A server on loopback that answers each line with `answer(line)` and closes at the client's
/// EOF, for one connection.
fn server(answer: fn(&str) -> String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("address").to_string();
    std::thread::spawn(move || {
        let Ok((stream, _)) = listener.accept() else { return };
        let mut writer = stream.try_clone().expect("clone");
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            let _ = writer.write_all(answer(&line).as_bytes());
        }
    });
    addr
}

fn lesson_file(dir: &tempfile::TempDir, text: &str) -> PathBuf {
    let path = dir.path().join("check.toml");
    std::fs::write(&path, text).expect("written");
    path
}

/// Runs `sockscope run FILE --to ADDR [EXTRA]`; returns (exit code, stdout, stderr).
fn check(file: &PathBuf, to: &str, extra: &[&str]) -> (i32, String, String) {
    let mut child = sockscope()
        .arg("run")
        .arg(file)
        .args(["--to", to])
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let mut out = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut all = String::new();
        let _ = out.read_to_string(&mut all);
        all
    });
    let mut err = child.stderr.take().expect("stderr");
    let err_reader = std::thread::spawn(move || {
        let mut all = String::new();
        let _ = err.read_to_string(&mut all);
        all
    });
    let code = wait_with_deadline(&mut child);
    (code, reader.join().expect("stdout read"), err_reader.join().expect("stderr read"))
}

#[test]
fn an_echo_server_meets_every_expectation() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = lesson_file(&dir, HELLO);
    let (code, out, err) = check(&file, &server(|line| format!("{line}\n")), &["--json"]);
    assert_eq!(code, 0, "{err}\n{out}");
    assert!(out.starts_with("{\"ev\":\"session\""), "JSON Lines: {out}");
    assert!(!out.contains("\"listen\""), "no server of the lesson's own: {out}");
    assert!(!out.contains(&hex::encode("never sent")), "the server's steps are skipped");
    assert!(out.contains(&hex::encode("hello\n")), "{out}");
}

#[test]
fn a_different_answer_is_exit_3_with_the_step_what_was_expected_and_what_came() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = lesson_file(&dir, &HELLO.replace("timeout = \"5s\"", "timeout = \"1s\""));
    let (code, out, err) = check(&file, &server(|line| format!("{}\n", line.to_uppercase())), &[]);
    assert_eq!(code, 3, "{err}\n{out}");
    assert!(err.contains("expectation not met: step 3 (line 13)"), "{err}");
    assert!(err.contains("nothing more came within 1s"), "{err}");
    assert!(err.contains("\"hello\\n\" (hex 68656c6c6f0a)"), "expected, as text and hex: {err}");
    assert!(err.contains("came: \"HELLO\\n\" (hex 48454c4c4f0a)"), "what came: {err}");
}

#[test]
fn a_refused_connection_is_exit_1() {
    let free = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = free.local_addr().expect("address").to_string();
    drop(free);
    let dir = tempfile::tempdir().expect("temp dir");
    let file = lesson_file(&dir, HELLO);
    let (code, out, err) = check(&file, &addr, &[]);
    assert_eq!(code, 1, "{err}\n{out}");
    assert!(err.contains(&format!("client 0 could not connect to {addr}")), "{err}");
}

#[test]
fn a_bad_file_is_exit_2_and_connects_to_nothing() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).expect("non-blocking");
    let addr = listener.local_addr().expect("address").to_string();
    let dir = tempfile::tempdir().expect("temp dir");
    let file =
        lesson_file(&dir, &HELLO.replace("text = \"hello\\n\"\ntimeout", "hex = \"zz\"\ntimeout"));
    let (code, _, err) = check(&file, &addr, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("check.toml:16:7: 'zz' is not hex"), "{err}");
    assert!(listener.accept().is_err(), "nobody connected");
    drop(TcpStream::connect(&addr));
}
