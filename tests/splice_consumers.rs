//! A proxy session relayed with `--relay splice` gives every consumer of its bytes what the same
//! session relayed by copy gives: the raw, hexdump and pcapng exports, `replay --to` and the
//! headless log's `message` events, and the engine's bound on the payload of a batch of events.
//! Under splice the received bytes are `pipe_read` events and
//! the sent ones `splice_out`, in place of `recv` and `send`.

#[path = "shared/flood.rs"]
mod flood;
mod record_support;
mod support;

use record_support::{DEADLINE, Served, echo_server, echo_server_ending, read_recording};
use sockscope::engine::{BATCH_BYTES, Engine, EngineConfig, RelayPath};
use sockscope::event::{Address, ConnId, Event, EventKind};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use support::{Running, sockscope};

const RELAYS: [&str; 2] = ["copy", "splice"];

fn run(args: &[&str]) -> Output {
    sockscope().args(args).stdin(Stdio::null()).output().expect("binary runs")
}

fn succeeded(out: Output) -> Vec<u8> {
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// A recorded proxy session relayed by `relay`: the large and small half-closed exchanges and
/// the reset of [`record_support::three_exchanges`], before an echo server. Returns the
/// recording and the large payload.
fn recorded(dir: &Path, relay: &str) -> (PathBuf, Vec<u8>) {
    let (server, accounts) = echo_server("127.0.0.1:0");
    let file = dir.join(format!("{relay}.sscope"));
    let upstream = server.to_string();
    let args = [
        "proxy",
        "127.0.0.1:0",
        &upstream,
        "--headless",
        "--relay",
        relay,
        "--record",
        file.to_str().unwrap(),
    ];
    let proxy = Running::listening_with(&args, Stdio::null());
    let large = record_support::three_exchanges(proxy.addr, &accounts);
    assert_eq!(proxy.interrupt().0, 0);
    assert_relayed_by(&file, relay);
    (file, large)
}

/// The recording shows the relay it was made with: splice events only under splice.
fn assert_relayed_by(file: &Path, relay: &str) {
    let (events, _) = read_recording(file);
    let spliced = events.iter().any(|e| matches!(e.kind, EventKind::SpliceOut { .. }));
    let piped = events.iter().any(|e| matches!(e.kind, EventKind::PipeRead { .. }));
    assert_eq!((spliced, piped), (relay == "splice", relay == "splice"), "{relay}");
}

/// The ids of the recording's stream sockets (accepted or connected), in order.
fn stream_sockets(file: &Path) -> Vec<ConnId> {
    let (events, _) = read_recording(file);
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Accept { conn, .. } | EventKind::Connected { conn, .. } => Some(*conn),
            _ => None,
        })
        .collect()
}

/// `export --format raw` of each stream socket (in the order they were opened), both ways.
fn raw_streams(file: &Path) -> Vec<(String, Vec<u8>)> {
    let path = file.to_str().unwrap();
    let mut streams = Vec::new();
    for (index, conn) in stream_sockets(file).into_iter().enumerate() {
        for dir in ["in", "out"] {
            let conn = conn.0.to_string();
            let args = ["export", path, "--format", "raw", "--conn", &conn, "--dir", dir];
            streams.push((format!("socket {index} {dir}"), succeeded(run(&args))));
        }
    }
    streams
}

/// The bytes of `export --format hexdump`, joined per socket and direction (`<-` or `->`).
fn hexdump_streams(file: &Path) -> BTreeMap<(String, String), Vec<u8>> {
    let out = succeeded(run(&["export", file.to_str().unwrap(), "--format", "hexdump"]));
    let mut streams: BTreeMap<(String, String), Vec<u8>> = BTreeMap::new();
    let mut current = None;
    for line in String::from_utf8(out).expect("hexdump is ASCII").lines() {
        if let Some(row) = line.strip_prefix("  ") {
            // `OFFSET  ` then 16 columns of `xx ` with a space after the eighth: 49 characters.
            let hex: String = row[10..59].split_whitespace().collect();
            let key = current.clone().expect("a row after its header");
            streams.entry(key).or_default().extend(hex::decode(hex).expect("hex columns"));
        } else {
            let words: Vec<&str> = line.split(' ').collect();
            if matches!(words.get(1), Some(&("<-" | "->"))) {
                current = Some((words[0].to_owned(), words[1].to_owned()));
            }
        }
    }
    streams
}

/// `got == expected`, said with the lengths alone: the bytes are too many to print.
fn assert_same<K: PartialEq + std::fmt::Debug>(
    got: &[(K, Vec<u8>)],
    expected: &[(K, Vec<u8>)],
    what: &str,
) {
    let lengths = |all: &[(K, Vec<u8>)]| -> Vec<String> {
        all.iter().map(|(key, bytes)| format!("{key:?}: {} bytes", bytes.len())).collect()
    };
    assert!(got == expected, "{what}: {:?} against {:?}", lengths(got), lengths(expected));
}

#[test]
fn raw_and_hexdump_exports_of_a_spliced_session_carry_the_copied_sessions_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let (copy, large) = recorded(dir.path(), "copy");
    let (splice, _) = recorded(dir.path(), "splice");

    let copied = raw_streams(&copy);
    assert_eq!(copied.len(), 12, "three clients, three upstream connections, both ways");
    assert!(copied.iter().any(|(_, got)| *got == large), "the large request, received whole");
    assert_same(&raw_streams(&splice), &copied, "raw: each socket's bytes, both ways");

    let dumped = hexdump_streams(&copy);
    assert_eq!(dumped.len(), 12, "each socket both ways: {:?}", dumped.keys());
    assert!(dumped.values().any(|bytes| *bytes == large), "the large request in the hexdump");
    let spliced: Vec<_> = hexdump_streams(&splice).into_iter().collect();
    let dumped: Vec<_> = dumped.into_iter().collect();
    assert_same(&spliced, &dumped, "hexdump: each socket's bytes, both ways");
}

/// tshark's `follow,tcp,raw,N`: the bytes each node sent.
fn follow(capture: &Path, stream: usize) -> (Vec<u8>, Vec<u8>) {
    let (_, first, second) = record_support::follow_protocol(capture, "tcp", stream);
    (first, second)
}

/// The pcapng export of `file`: each TCP stream's bytes as tshark follows them, from its
/// client and from its server.
fn followed_streams(file: &Path) -> Vec<(String, Vec<u8>)> {
    let capture = file.with_extension("pcapng");
    let path = file.to_str().unwrap();
    succeeded(run(&["export", path, "--format", "pcapng", "-o", capture.to_str().unwrap()]));
    let mut streams = Vec::new();
    for stream in 0..6 {
        let (from_client, from_server) = follow(&capture, stream);
        streams.push((format!("stream {stream} from its client"), from_client));
        streams.push((format!("stream {stream} from its server"), from_server));
    }
    streams
}

#[test]
fn tshark_follows_a_spliced_session_as_the_copied_one() {
    if !record_support::tshark_or_skip("tshark_follows_a_spliced_session_as_the_copied_one") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (copy, large) = recorded(dir.path(), "copy");
    let (splice, _) = recorded(dir.path(), "splice");
    let copied = followed_streams(&copy);
    assert!(copied.iter().any(|(_, bytes)| *bytes == large), "the large request");
    assert!(copied.iter().all(|(_, bytes)| !bytes.is_empty()), "every stream, both ways");
    assert_same(&followed_streams(&splice), &copied, "each stream's bytes, both ways");
}

/// `replay FILE --to` an echo server, with `extra` arguments: its first line of output and
/// the bytes the server received.
fn replayed(file: &Path, extra: &[&str]) -> (String, Vec<u8>) {
    let (echo, accounts): (_, Receiver<Served>) = echo_server("127.0.0.1:0");
    let to = echo.to_string();
    let args = [&["replay", file.to_str().unwrap(), "--to", &to][..], extra].concat();
    let out = run(&args);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    let account = accounts.recv_timeout(DEADLINE).expect("the server saw the replay end");
    (stdout.lines().next().unwrap_or_default().to_owned(), account.received)
}

#[test]
fn replay_to_re_sends_a_spliced_sessions_bytes_as_a_copied_ones() {
    let dir = tempfile::tempdir().unwrap();
    for relay in RELAYS {
        let (file, large) = recorded(dir.path(), relay);
        let sockets = stream_sockets(&file);
        // The accepted client's side (what it received), then the upstream socket's (what
        // sockscope sent on it).
        let (client, upstream) = (sockets[0].0.to_string(), sockets[1].0.to_string());
        for conn in [client, upstream] {
            let (verdict, received) = replayed(&file, &["--conn", &conn]);
            assert!(
                verdict.starts_with("identical: sent 300000 bytes"),
                "{relay} #{conn}: {verdict}"
            );
            assert!(received == large, "{relay} #{conn}: the server got the recorded request");
        }
    }
}

/// The `message` lines of a headless text log without their times, in order per socket and
/// direction.
fn message_lines(out: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(out);
    let mut lines: Vec<String> = text
        .lines()
        .filter_map(|line| line.trim_start().split_once(' ').map(|(_, rest)| rest.to_owned()))
        .filter(|rest| rest.split(' ').nth(1) == Some("message"))
        .collect();
    // Stable: each socket's messages each way keep their order.
    lines.sort_by_key(|rest| {
        let words: Vec<&str> = rest.split(' ').collect();
        (words[0].to_owned(), words[2].to_owned())
    });
    lines
}

/// A headless line-framed proxy relayed by `relay`: a client's two lines through it to an echo
/// server that adds one of its own. Returns the log.
fn framed_log(relay: &str) -> Vec<u8> {
    let (server, accounts) = echo_server_ending("127.0.0.1:0", b"from upstream\n");
    let upstream = server.to_string();
    let args =
        ["proxy", "127.0.0.1:0", &upstream, "--headless", "--framing", "line", "--relay", relay];
    let proxy = Running::listening(&args);
    let mut client = TcpStream::connect(proxy.addr).unwrap();
    client.set_read_timeout(Some(DEADLINE)).unwrap();
    client.write_all(b"first line\r\nsecond").unwrap();
    client.write_all(b" line\n").unwrap();
    client.shutdown(Shutdown::Write).unwrap();
    let mut answer = Vec::new();
    client.read_to_end(&mut answer).unwrap();
    assert_eq!(answer, b"first line\r\nsecond line\nfrom upstream\n");
    accounts.recv_timeout(DEADLINE).expect("the server saw the end");
    let (code, out) = proxy.interrupt();
    assert_eq!(code, 0);
    out
}

#[test]
fn a_spliced_proxy_logs_the_framed_messages_a_copying_one_logs() {
    let copied = message_lines(&framed_log("copy"));
    assert_eq!(
        copied.len(),
        10,
        "3 lines each way on each socket, but the client's 2: {copied:#?}"
    );
    assert!(copied.contains(&r#"#2 message in 10 "first line""#.to_owned()), "{copied:#?}");
    assert_eq!(message_lines(&framed_log("splice")), copied);
}

/// The payload of a batch of events in front of its last event: a batch is cut once it holds
/// [`BATCH_BYTES`], so only its last event may take it past the bound.
fn payload_before_last(batch: &[Event]) -> usize {
    let payload = |event: &Event| match &event.kind {
        EventKind::Recv { data, .. }
        | EventKind::Send { data, .. }
        | EventKind::PipeRead { data, .. }
        | EventKind::SpliceOut { data, .. } => data.len(),
        _ => 0,
    };
    batch.iter().rev().skip(1).map(payload).sum()
}

/// Reads the engine's batches as they come: returns where it listens, and (once the engine
/// has stopped) the largest payload in front of a batch's last event and how many `pipe_read`
/// events there were.
fn watch_batches(batches: Receiver<Vec<Event>>) -> (Address, thread::JoinHandle<(usize, usize)>) {
    let (listening, address) = mpsc::channel();
    let watcher = thread::spawn(move || {
        let (mut largest, mut piped) = (0, 0);
        for batch in batches {
            for event in &batch {
                match &event.kind {
                    EventKind::Listen { local, .. } => _ = listening.send(local.clone()),
                    EventKind::PipeRead { .. } => piped += 1,
                    _ => {}
                }
            }
            largest = largest.max(payload_before_last(&batch));
        }
        (largest, piped)
    });
    (address.recv_timeout(DEADLINE).expect("the proxy listens"), watcher)
}

#[test]
fn the_engine_cuts_a_spliced_relays_batches_at_their_payload_bound() {
    const MIB: usize = flood::MIB;
    const TOTAL: usize = 64 * MIB;
    let config =
        EngineConfig { relay: RelayPath::Splice, recv_chunk: MIB / 4, ..EngineConfig::default() };
    let (sink, batches) = mpsc::channel::<Vec<Event>>();
    let engine = Engine::start(config, sink).expect("engine starts");
    let server = TcpListener::bind("127.0.0.1:0").unwrap();
    let upstream = vec![Address::Ip(server.local_addr().unwrap())];
    let listen = "127.0.0.1:0".parse().unwrap();
    engine.send(sockscope::event::Command::Proxy { listen, upstream }).unwrap();
    let (Address::Ip(proxy), watcher) = watch_batches(batches) else { panic!("an IP proxy") };
    flood::flood_through(proxy, &server, TOTAL, DEADLINE);
    engine.stop();
    let (largest, piped) = watcher.join().unwrap();
    assert!(piped > 0, "the bytes went through the pipe");
    assert!(largest < BATCH_BYTES, "{largest} bytes in front of a batch's last event");
}
