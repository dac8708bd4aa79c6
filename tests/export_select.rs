//! `export --conn N --dir in|out` and `--format raw` on a recorded proxy session: raw writes
//! exactly one direction's bytes of one socket (binary included); `--conn` keeps a proxied
//! pair whole; options that cannot apply, and raw bytes meant for a terminal, are refused.

mod record_support;
mod support;

use record_support::{TRAILER, echo_server, half_closing_client};
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use support::{Running, json_lines, sockscope};

fn run(args: &[&str]) -> Output {
    sockscope().args(args).stdin(Stdio::null()).output().expect("binary runs")
}

/// A proxy session with one binary exchange, recorded: returns the recording and what the
/// client sent. Ids: 1 the listener, 2 the client, 3 its upstream.
fn recorded_exchange(dir: &Path) -> (PathBuf, Vec<u8>) {
    let (server, _accounts) = echo_server("127.0.0.1:0");
    let file = dir.join("session.sscope");
    let upstream = server.to_string();
    let args =
        ["proxy", "127.0.0.1:0", &upstream, "--headless", "--record", file.to_str().unwrap()];
    let proxy = Running::listening(&args);
    let request: Vec<u8> = (0..200_000u32).map(|i| (i % 256) as u8).collect();
    let answer = half_closing_client(proxy.addr, &request);
    assert_eq!(answer, [&request[..], TRAILER].concat());
    let (code, _) = proxy.interrupt();
    assert_eq!(code, 0);
    (file, request)
}

fn raw(file: &Path, out: &Path, conn: &str, dir: &str) -> Vec<u8> {
    let args = ["export", file.to_str().unwrap(), "--format", "raw", "--conn", conn, "--dir", dir];
    let done = run(&[&args[..], &["-o", out.to_str().unwrap()]].concat());
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    std::fs::read(out).unwrap()
}

#[test]
fn raw_writes_one_direction_exactly_and_conn_keeps_the_pair() {
    let dir = tempfile::tempdir().unwrap();
    let (file, request) = recorded_exchange(dir.path());
    let answer = [&request[..], TRAILER].concat();
    let out = |name: &str| dir.path().join(name);
    assert!(raw(&file, &out("2-in"), "2", "in") == request, "what the client sent");
    assert!(raw(&file, &out("3-out"), "3", "out") == request, "what the proxy sent upstream");
    assert!(raw(&file, &out("3-in"), "3", "in") == answer, "what the server answered");
    assert!(raw(&file, &out("2-out"), "2", "out") == answer, "what the client was sent");

    let jsonl = run(&["export", file.to_str().unwrap(), "--format", "jsonl", "--conn", "3"]);
    assert!(jsonl.status.success());
    let events = json_lines(&jsonl.stdout);
    assert_eq!(events[0]["ev"], "session");
    assert!(events.iter().skip(1).all(|e| e["conn"] == 2 || e["conn"] == 3), "only the pair");
    assert!(events.iter().any(|e| e["ev"] == "accept" && e["conn"] == 2), "the client's accept");
    assert!(events.iter().all(|e| e["ev"] != "ready"), "rounds are about every socket");

    let only_in = run(&["export", file.to_str().unwrap(), "--format", "jsonl", "--dir", "in"]);
    let events = json_lines(&only_in.stdout);
    assert!(events.iter().any(|e| e["ev"] == "recv"));
    assert!(events.iter().all(|e| e["ev"] != "send"), "--dir in drops the sends");
}

#[test]
fn exports_that_cannot_apply_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (file, _) = recorded_exchange(dir.path());
    let path = file.to_str().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["export", path, "--format", "raw", "--conn", "2"], "--dir"),
        (&["export", path, "--format", "raw", "--dir", "in"], "--conn"),
        (&["export", path, "--format", "pcapng", "--dir", "in"], "both directions"),
        (&["export", path, "--format", "jsonl", "--conn", "99"], "no connection #99"),
        (&["export", path, "--format", "raw", "--conn", "2", "--dir", "sideways"], "sideways"),
    ];
    for (args, mentions) in cases {
        let out = run(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(mentions), "{args:?}: {stderr}");
    }
}

/// `script` gives the export a terminal as standard output: the raw bytes are refused there.
#[test]
fn raw_bytes_are_refused_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let (file, _) = recorded_exchange(dir.path());
    let binary = env!("CARGO_BIN_EXE_sockscope");
    let command = format!(
        "'{binary}' export '{}' --format raw --conn 2 --dir in; echo \"exit=$?\"",
        file.display()
    );
    let out = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .stdin(Stdio::null())
        .output();
    let out = match out {
        Ok(out) => out,
        Err(err) if std::env::var("CI").as_deref() != Ok("true") => {
            eprintln!("skipping: script (util-linux) is not available: {err}");
            return;
        }
        Err(err) => panic!("script is required under CI: {err}"),
    };
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("standard output is a terminal"), "{text}");
    assert!(text.contains("exit=2"), "{text}");
}
