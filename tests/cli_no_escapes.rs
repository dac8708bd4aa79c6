//! Headless output is for pipes and files: it never carries an escape sequence, in text or in
//! JSON, whatever `--color` or `NO_COLOR` say (only the terminal UI has colour).

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const DEADLINE: Duration = Duration::from_secs(20);

/// Runs `sockscope ARGS` with its output to a pipe; returns standard output and error.
fn piped_output(args: &[&str]) -> (Vec<u8>, Vec<u8>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sockscope"))
        .args(args)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sockscope starts");
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut stderr = child.stderr.take().expect("piped stderr");
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        stdout.read_to_end(&mut out).expect("read stdout");
        out
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > DEADLINE {
            child.kill().expect("kill a hung sockscope");
            panic!("sockscope {args:?} did not end within {DEADLINE:?}");
        }
        std::thread::park_timeout(Duration::from_millis(20));
    };
    let mut err = Vec::new();
    stderr.read_to_end(&mut err).expect("read stderr");
    assert!(status.success(), "sockscope {args:?}: {status}, {}", String::from_utf8_lossy(&err));
    (reader.join().expect("reader thread"), err)
}

#[test]
fn headless_text_and_json_have_no_escape_codes_even_with_color_always() {
    for args in [
        &["demo", "partial-recv", "--headless"][..],
        &["demo", "partial-recv", "--headless", "--json"],
        &["--color", "always", "demo", "partial-recv", "--headless"],
        &["--color", "always", "demo", "partial-recv", "--headless", "--json"],
    ] {
        let (out, err) = piped_output(args);
        assert!(out.len() > 100, "{args:?} printed the event log: {out:?}");
        assert!(!out.contains(&0x1b), "{args:?}: no ESC byte on stdout");
        assert!(!err.contains(&0x1b), "{args:?}: no ESC byte on stderr");
    }
}
