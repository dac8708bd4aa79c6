//! `sockscope import`: captures made three ways come back as recordings whose streams are
//! byte for byte the ones captured: sockscope's own pcapng export of a real session, tshark's
//! conversion of it to classic pcap, and a capture built here with a retransmission, an
//! overlapping and an out-of-order segment, and one with a lost segment (a gap, marked).
//! Bad input is one line on stderr and exit code 2, and leaves no file behind.

mod record_support;
mod support;

use record_support::{echo_server, read_recording, tshark_or_skip};
use sockscope::event::{Address, ClosedBy, ErrorKind, Event, EventKind, Op};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::{Running, sockscope};

#[path = "record_import_support/mod.rs"]
mod capture;

fn run(args: &[&str]) -> Output {
    sockscope().args(args).output().expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// One TCP connection: its client, and what each side sent.
#[derive(Debug, PartialEq, Eq)]
struct Stream {
    client: Address,
    from_client: Vec<u8>,
    from_server: Vec<u8>,
}

/// The streams of a live recording, in the order their handshakes were exported (socket ids
/// left out: the import numbers its sockets anew).
fn recorded_streams(events: &[Event]) -> Vec<Stream> {
    record_support::tcp_streams(events)
        .into_iter()
        .map(|tcp| Stream {
            client: tcp.client,
            from_client: tcp.from_client,
            from_server: tcp.from_server,
        })
        .collect()
}

/// The streams of an imported recording: every socket is a client that sends what its
/// client sent and receives what its server sent.
fn imported_streams(events: &[Event]) -> Vec<Stream> {
    let mut out = Vec::new();
    for event in events {
        if let EventKind::Connected { conn, local, .. } = &event.kind {
            out.push(Stream {
                client: local.clone(),
                from_client: record_support::stream(events, conn.0, false),
                from_server: record_support::stream(events, conn.0, true),
            });
        }
    }
    out
}

fn import(capture: &Path, output: &Path) -> Output {
    run(&["import", capture.to_str().unwrap(), "-o", output.to_str().unwrap()])
}

/// A proxied session (IPv4 clients, an IPv6 upstream): a large and a small half-closed
/// exchange and a reset, recorded and exported as pcapng. Returns the recording, the capture
/// and the echo server's address.
fn record_and_export(dir: &Path) -> (PathBuf, PathBuf, std::net::SocketAddr) {
    let (server, accounts) = echo_server("[::1]:0");
    let file = dir.join("live.sscope");
    let upstream = server.to_string();
    let args =
        ["proxy", "127.0.0.1:0", &upstream, "--headless", "--record", file.to_str().unwrap()];
    let proxy = Running::listening_with(&args, std::process::Stdio::null());
    let _ = record_support::three_exchanges(proxy.addr, &accounts);
    assert_eq!(proxy.interrupt().0, 0);
    let capture = dir.join("live.pcapng");
    let out = run(&[
        "export",
        file.to_str().unwrap(),
        "--format",
        "pcapng",
        "-o",
        capture.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    (file, capture, server)
}

/// Imports `capture` and checks that its streams are the recording's, byte for byte.
fn assert_import_reproduces(recording: &Path, capture: &Path, dir: &Path, name: &str) -> PathBuf {
    let imported = dir.join(name);
    let out = import(capture, &imported);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let summary = text(&out.stderr);
    assert!(summary.starts_with("imported 6 connections from "), "{summary}");
    assert!(summary.contains(", 0 gaps"), "{summary}");
    assert_eq!(summary.lines().count(), 1, "one summary line: {summary}");

    let (live, _) = read_recording(recording);
    let (events, ending) = read_recording(&imported);
    assert_eq!(ending.status, sockscope::record::ReadStatus::Complete);
    let expected = recorded_streams(&live);
    let got = imported_streams(&events);
    assert_eq!(got.len(), 6, "three clients, three upstream connections");
    for (index, (got, expected)) in got.iter().zip(&expected).enumerate() {
        assert_eq!(got.client, expected.client, "stream {index}: its client");
        assert!(got.from_client == expected.from_client, "stream {index}: client bytes differ");
        assert!(got.from_server == expected.from_server, "stream {index}: server bytes differ");
    }
    let resets = events
        .iter()
        .filter(|e| {
            matches!(e.kind, EventKind::Reset { .. } | EventKind::Close { by: ClosedBy::Reset, .. })
        })
        .count();
    assert_eq!(resets, 2, "the client's reset, and the one passed upstream");
    imported
}

#[test]
fn sockscope_pcapng_export_imports_back_stream_for_stream() {
    let dir = tempfile::tempdir().unwrap();
    let (recording, capture, server) = record_and_export(dir.path());
    let imported = assert_import_reproduces(&recording, &capture, dir.path(), "back.sscope");

    let replayed =
        run(&["replay", imported.to_str().unwrap(), "--headless", "--json", "--framing", "line"]);
    assert_eq!(replayed.status.code(), Some(0), "{}", text(&replayed.stderr));
    assert!(text(&replayed.stdout).contains(r#""ev":"message""#), "framing works on it");

    // The first connection (the large exchange) re-sent to the real server: same replies.
    let resent =
        run(&["replay", imported.to_str().unwrap(), "--to", &server.to_string(), "--conn", "1"]);
    assert_eq!(resent.status.code(), Some(0), "{}{}", text(&resent.stdout), text(&resent.stderr));
}

#[test]
fn tshark_classic_pcap_conversion_imports_the_same_streams() {
    if !tshark_or_skip("tshark_classic_pcap_conversion_imports_the_same_streams") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (recording, capture, _) = record_and_export(dir.path());
    let classic = dir.path().join("live.pcap");
    let out = Command::new("tshark")
        .args(["-r", capture.to_str().unwrap(), "-F", "pcap", "-w", classic.to_str().unwrap()])
        .output()
        .expect("tshark runs");
    assert!(out.status.success(), "tshark: {}", text(&out.stderr));
    let head = std::fs::read(&classic).unwrap();
    assert_eq!(head[..4], 0xa1b2_c3d4u32.to_le_bytes(), "a classic pcap");
    assert_import_reproduces(&recording, &classic, dir.path(), "classic.sscope");
}

/// The `data` of every `send` (`out`) or `recv` JSON line of connection `conn`, joined.
fn json_stream(lines: &[serde_json::Value], conn: u64, ev: &str) -> Vec<u8> {
    lines
        .iter()
        .filter(|l| l["ev"] == ev && l["conn"] == conn)
        .flat_map(|l| hex::decode(l["data"].as_str().unwrap()).unwrap())
        .collect()
}

#[test]
fn a_built_capture_with_retransmission_overlap_reordering_and_a_gap() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("built.pcap");
    std::fs::write(&path, capture::built()).unwrap();
    let imported = dir.path().join("built.sscope");
    let out = import(&path, &imported);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("imported 2 connections"), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains(", 1 gap"), "{}", text(&out.stderr));

    let replayed = run(&["replay", imported.to_str().unwrap(), "--headless", "--json"]);
    assert_eq!(replayed.status.code(), Some(0), "{}", text(&replayed.stderr));
    let lines = support::json_lines(&replayed.stdout);
    assert_eq!(json_stream(&lines, 1, "send"), capture::REQUEST);
    assert_eq!(json_stream(&lines, 1, "recv"), capture::REPLY);
    let sends = lines.iter().filter(|l| l["ev"] == "send" && l["conn"] == 1).count();
    assert_eq!(sends, 4, "each contiguous new piece is one send: {lines:?}");
    assert!(!lines.iter().any(|l| l["ev"] == "error" && l["conn"] == 1), "no gap in the first");

    // The second connection lost a segment the server acknowledged: the bytes around it,
    // and a mark where it was, at the time the acknowledgement showed it.
    let (before, lost, after) = capture::GAPPED;
    assert_eq!(json_stream(&lines, 2, "send"), [before, after].concat());
    let gaps: Vec<&serde_json::Value> =
        lines.iter().filter(|l| l["ev"] == "error" && l["conn"] == 2).collect();
    assert_eq!(gaps.len(), 1, "{gaps:?}");
    assert_eq!(gaps[0]["op"], "send");
    assert_eq!(gaps[0]["kind"], "other");
    let expected = format!(
        "capture gap: {} bytes the client sent are missing at offset {}",
        lost.len(),
        before.len()
    );
    assert!(gaps[0]["message"].as_str().unwrap().starts_with(&expected), "{gaps:?}");
    assert_eq!(gaps[0]["t_us"], 1_003_000, "marked when the acknowledgement showed the loss");
    let (events, _) = read_recording(&imported);
    let closed =
        events.iter().any(|e| matches!(e.kind, EventKind::Close { conn, .. } if conn.0 == 2));
    assert!(!closed, "a connection the capture leaves open stays open");
    let gap_event = events
        .iter()
        .find(|e| matches!(&e.kind, EventKind::Error { op: Op::Send, kind: ErrorKind::Other, .. }));
    assert!(gap_event.is_some());
}

#[test]
fn bad_input_is_one_line_and_exit_code_2_without_an_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("never.sscope");
    let cases: [(&str, Vec<u8>, &str); 4] = [
        ("empty.pcap", Vec::new(), "the file is empty"),
        (
            "text.pcap",
            b"GET / HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
            "not a pcap or pcapng capture",
        ),
        ("udp.pcap", capture::udp_only(), "no TCP packets in the capture (1 packets)"),
        ("link.pcap", capture::unknown_link(), "link type 147 is not supported"),
    ];
    for (name, bytes, message) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = import(&path, &out_path);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{name}: {stderr}");
        assert!(stderr.starts_with("error: ") && stderr.contains(message), "{name}: {stderr}");
        assert!(!out_path.exists(), "{name}: no output file");
    }
    let missing = import(&dir.path().join("nowhere.pcap"), &out_path);
    assert_eq!(missing.status.code(), Some(2));
    assert!(!out_path.exists());
    let device = import(Path::new("/dev/null"), &out_path);
    assert_eq!(device.status.code(), Some(2));
    assert!(text(&device.stderr).contains("not a regular file"), "{}", text(&device.stderr));
    assert!(!out_path.exists());
}

#[test]
fn a_truncated_capture_imports_what_precedes_the_cut_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let whole = capture::built();
    let path = dir.path().join("cut.pcap");
    std::fs::write(&path, &whole[..whole.len() - 20]).unwrap();
    let imported = dir.path().join("cut.sscope");
    let out = import(&path, &imported);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("the capture is truncated at byte "), "{stderr}");
    assert!(stderr.contains("the recording holds what came before it"), "{stderr}");
    let (events, ending) = read_recording(&imported);
    assert_eq!(ending.status, sockscope::record::ReadStatus::Complete);
    assert_eq!(record_support::stream(&events, 1, false), capture::REQUEST);
}

#[test]
fn the_output_is_private_and_replaced_only_with_force_never_through_a_link() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("built.pcap");
    std::fs::write(&path, capture::built()).unwrap();
    let output = dir.path().join("out.sscope");
    assert_eq!(import(&path, &output).status.code(), Some(0));
    assert_eq!(std::fs::metadata(&output).unwrap().permissions().mode() & 0o777, 0o600);
    let again = import(&path, &output);
    assert_eq!(again.status.code(), Some(2));
    assert!(text(&again.stderr).contains("--force"), "{}", text(&again.stderr));
    let forced =
        run(&["import", path.to_str().unwrap(), "-o", output.to_str().unwrap(), "--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", text(&forced.stderr));

    let target = dir.path().join("precious");
    std::fs::write(&target, b"keep me").unwrap();
    let link = dir.path().join("link.sscope");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let refused = run(&["import", path.to_str().unwrap(), "-o", link.to_str().unwrap(), "--force"]);
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(std::fs::read(&target).unwrap(), b"keep me");
}
