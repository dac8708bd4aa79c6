//! Recording through the real binary: a proxied session recorded and exported gives back
//! exactly the live JSON Lines; a killed recorder keeps what it had; files are private and
//! never clobbered; damaged and newer files are refused the documented way.

mod record_support;
mod support;

use record_support::{echo_server, half_closing_client, read_recording, resetting_client};
use sockscope::event::{ClosedBy, ErrorKind, EventKind, How};
use sockscope::record::ReadStatus;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Output, Stdio};
use support::{Running, signal, sockscope};

fn run(args: &[&str]) -> Output {
    sockscope().args(args).stdin(Stdio::null()).output().expect("binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A proxied session: two half-closed exchanges and a reset, recorded while `--json` prints.
/// Returns the live output and the recording's path.
fn record_proxy_session(dir: &Path, extra: &[&str]) -> (Vec<u8>, std::path::PathBuf) {
    let (server, accounts) = echo_server("127.0.0.1:0");
    let file = dir.join("session.sscope");
    let upstream = server.to_string();
    let mut args =
        vec!["proxy", "127.0.0.1:0", &upstream, "--headless", "--record", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    let proxy = Running::listening(&args);
    for (i, data) in [&b"first request"[..], b"second, longer request\n"].iter().enumerate() {
        let answer = half_closing_client(proxy.addr, data);
        assert_eq!(answer, [*data, record_support::TRAILER].concat(), "exchange {i}");
    }
    resetting_client(proxy.addr, b"about to reset");
    let mut outcomes = Vec::new();
    for _ in 0..3 {
        let account = accounts.recv_timeout(record_support::DEADLINE).expect("server saw it end");
        outcomes.push(account.failed);
    }
    assert!(outcomes.contains(&Some(std::io::ErrorKind::ConnectionReset)), "{outcomes:?}");
    let (code, out) = proxy.interrupt();
    assert_eq!(code, 0);
    (out, file)
}

#[test]
fn an_exported_recording_is_the_live_json_line_for_line() {
    let dir = tempfile::tempdir().unwrap();
    let (live, file) = record_proxy_session(dir.path(), &["--json"]);
    let exported = run(&["export", file.to_str().unwrap(), "--format", "jsonl"]);
    assert_eq!(exported.status.code(), Some(0), "{}", text(&exported.stderr));
    let (live, exported) = (text(&live), text(&exported.stdout));
    for (n, (a, b)) in live.lines().zip(exported.lines()).enumerate() {
        assert_eq!(a, b, "line {n}");
    }
    assert_eq!(live.lines().count(), exported.lines().count());

    let (events, ending) = read_recording(&file);
    assert_eq!(ending.status, ReadStatus::Complete);
    let has = |pred: &dyn Fn(&EventKind) -> bool| events.iter().any(|e| pred(&e.kind));
    assert!(has(&|k| matches!(k, EventKind::Shutdown { how: How::Write, .. })), "a half-close");
    assert!(has(&|k| matches!(k, EventKind::Eof { .. })), "an EOF");
    assert!(has(&|k| matches!(k, EventKind::Error { kind: ErrorKind::Reset, .. })), "a reset");
    assert!(has(&|k| matches!(k, EventKind::Reset { .. })), "a reset passed on");
    assert!(has(&|k| matches!(k, EventKind::Close { by: ClosedBy::Reset, .. })));
    let accepts = events.iter().filter(|e| matches!(e.kind, EventKind::Accept { .. })).count();
    assert_eq!(accepts, 3);

    let replayed = run(&["replay", file.to_str().unwrap(), "--headless", "--json"]);
    assert_eq!(replayed.status.code(), Some(0));
    assert_eq!(text(&replayed.stdout), live, "headless replay prints the live log");
}

#[test]
fn headless_replay_prints_the_live_text_log() {
    let dir = tempfile::tempdir().unwrap();
    let (live, file) = record_proxy_session(dir.path(), &[]);
    let replayed = run(&["replay", file.to_str().unwrap(), "--headless"]);
    assert_eq!(replayed.status.code(), Some(0), "{}", text(&replayed.stderr));
    assert_eq!(text(&replayed.stdout), text(&live));
}

#[test]
fn a_killed_recorder_keeps_what_it_had_flushed() {
    let dir = tempfile::tempdir().unwrap();
    let (server, _served) = echo_server("127.0.0.1:0");
    let file = dir.path().join("killed.sscope");
    let upstream = server.to_string();
    let proxy = Running::listening_with(
        &["proxy", "127.0.0.1:0", &upstream, "--headless", "--record", file.to_str().unwrap()],
        Stdio::null(),
    );
    let marker = b"bytes before the kill";
    resetting_client(proxy.addr, marker);
    // The writer flushes within 100 ms; wait (with a deadline) until the file shows them.
    let seen = |path: &Path| {
        let (events, _) = read_recording(path);
        events
            .iter()
            .any(|e| matches!(&e.kind, EventKind::Recv { data, .. } if data.as_ref() == marker))
    };
    assert!(
        sockscope::record::Reader::open(&file).is_ok(),
        "the preamble is written when the file is created"
    );
    let end = std::time::Instant::now() + record_support::DEADLINE;
    while !seen(&file) {
        assert!(std::time::Instant::now() < end, "the recording never showed the bytes");
        std::thread::park_timeout(std::time::Duration::from_millis(20));
    }
    signal(proxy.pid(), "KILL");
    let (code, _) = proxy.interrupt_after_signal();
    assert_ne!(code, 0);
    let (events, ending) = read_recording(&file);
    assert!(matches!(ending.status, ReadStatus::Truncated { .. }), "{:?}", ending.status);
    assert!(events.iter().any(|e| matches!(e.kind, EventKind::Accept { .. })));
    let out = run(&["replay", file.to_str().unwrap(), "--headless"]);
    assert_eq!(out.status.code(), Some(2), "a recording without its end is reported");
    let stderr = text(&out.stderr);
    assert!(stderr.contains("truncated at byte"), "{stderr}");
    assert!(text(&out.stdout).contains("accept on"), "the events before the end are printed");
}

#[test]
fn recordings_are_private_and_never_clobbered() {
    let dir = tempfile::tempdir().unwrap();
    let existing = dir.path().join("existing");
    std::fs::write(&existing, b"precious").unwrap();
    let out = run(&["listen", "0", "--headless", "--record", existing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("--force") && !stderr.contains("listening on"), "{stderr}");
    assert_eq!(std::fs::read(&existing).unwrap(), b"precious");

    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&existing, &link).unwrap();
    for force in [&[][..], &["--force"][..]] {
        let mut args = vec!["demo", "--headless", "--record", link.to_str().unwrap()];
        args.extend_from_slice(force);
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(text(&out.stderr).contains("symbolic link"), "{}", text(&out.stderr));
    }
    assert_eq!(std::fs::read(&existing).unwrap(), b"precious", "never written through a link");

    let out = run(&["demo", "--headless", "--record", existing.to_str().unwrap(), "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mode = std::fs::metadata(&existing).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert_eq!(read_recording(&existing).1.status, ReadStatus::Complete);

    let out = run(&["listen", "0", "--headless", "--force"]);
    assert_eq!(out.status.code(), Some(2), "--force needs --record");

    let exported = dir.path().join("out.jsonl");
    let args = [
        "export",
        existing.to_str().unwrap(),
        "--format",
        "jsonl",
        "-o",
        exported.to_str().unwrap(),
    ];
    assert_eq!(run(&args).status.code(), Some(0));
    assert_eq!(std::fs::metadata(&exported).unwrap().permissions().mode() & 0o777, 0o600);
    let again = run(&args);
    assert_eq!(again.status.code(), Some(2), "an export never overwrites without --force");
    assert!(text(&again.stderr).contains("already exists"));
}

#[test]
fn damaged_and_newer_files_are_refused_the_documented_way() {
    let dir = tempfile::tempdir().unwrap();
    let newer = dir.path().join("newer.sscope");
    std::fs::write(&newer, sockscope::record::format::preamble_for(3, 1)).unwrap();
    for args in [["replay", "--headless"].as_slice(), ["export", "--format", "hexdump"].as_slice()]
    {
        let mut all = vec![args[0], newer.to_str().unwrap()];
        all.extend_from_slice(&args[1..]);
        let out = run(&all);
        assert_eq!(out.status.code(), Some(2), "{all:?}");
        let stderr = text(&out.stderr);
        let this = {
            use sockscope::record::format::{MAJOR, MINOR};
            format!("up to {MAJOR}.{MINOR}")
        };
        assert!(stderr.contains("version 3.1") && stderr.contains(&this), "{stderr}");
    }

    let good = dir.path().join("good.sscope");
    let out = run(&["demo", "--headless", "--json", "--record", good.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let bytes = std::fs::read(&good).unwrap();
    let cut = bytes.len() * 2 / 3;
    let truncated = dir.path().join("truncated.sscope");
    std::fs::write(&truncated, &bytes[..cut]).unwrap();
    let out = run(&["export", truncated.to_str().unwrap(), "--format", "jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains(&format!("truncated at byte {cut}")),
        "{}",
        text(&out.stderr)
    );
    let whole = run(&["export", good.to_str().unwrap(), "--format", "jsonl"]);
    let (part, all) = (text(&out.stdout), text(&whole.stdout));
    assert!(!part.is_empty() && all.starts_with(&part), "a prefix of the whole export");

    let not_one = dir.path().join("log.jsonl");
    std::fs::write(&not_one, &whole.stdout).unwrap();
    let out = run(&["replay", not_one.to_str().unwrap(), "--headless"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("JSON Lines"), "{}", text(&out.stderr));
    let out = run(&["replay", good.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "the terminal UI replay is not there yet");
}
