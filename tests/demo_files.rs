//! The built-in lessons are lesson files: each makes the calls recorded in
//! `tests/golden/lessons/NAME.calls` (captured from the lessons as they were written before
//! they became files), run as `demo NAME` and as `demo NAME --dump | run -`.
//!
//! Calls are compared per socket, named by role (`client 0`, `server of client 0`), with
//! times, ports and ids left out. `SOCKSCOPE_BLESS=1` rewrites the golden files.

mod support;

use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::Stdio;
use support::{demo_output, sockscope, wait_with_deadline};

const LESSONS: [&str; 11] = [
    "messages",
    "echo",
    "partial-recv",
    "partial-send",
    "framing",
    "byte-order",
    "eof-and-shutdown",
    "select",
    "dead-peer",
    "datagrams",
    "tls",
];

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/golden/lessons/{name}.calls"))
}

fn conn(event: &Value) -> Option<u64> {
    event["conn"].as_u64()
}

/// Each socket's role: listeners and clients in order, each server socket by its peer's address.
fn roles(events: &[Value]) -> BTreeMap<u64, String> {
    let mut names = BTreeMap::new();
    let mut locals = BTreeMap::new();
    let mut clients = Vec::new();
    for e in events {
        match e["ev"].as_str() {
            // A lesson with several servers: `listener`, then `listener 1`, ...
            Some("listen") => {
                let n = names.values().filter(|n: &&String| n.starts_with("listener")).count();
                let name = if n == 0 { "listener".to_owned() } else { format!("listener {n}") };
                names.insert(conn(e).unwrap(), name);
            }
            Some("connect") if e["pair"].is_null() => clients.push(conn(e).unwrap()),
            Some("connected") => drop(locals.insert(conn(e).unwrap(), e["local"].clone())),
            _ => {}
        }
    }
    for (i, client) in clients.iter().enumerate() {
        names.insert(*client, format!("client {i}"));
        let local = locals.get(client);
        let accepted = events.iter().find(|e| e["ev"] == "accept" && Some(&e["peer"]) == local);
        if let Some(server) = accepted.and_then(conn) {
            names.insert(server, format!("server of client {i}"));
        }
    }
    names
}

/// Bytes as hex when short, else their length and digest.
fn bytes(hex: &str) -> String {
    if hex.len() <= 128 {
        return hex.to_owned();
    }
    let digest = Sha256::digest(hex::decode(hex).expect("hex"));
    format!("{} bytes sha256:{}", hex.len() / 2, hex::encode(&digest[..8]))
}

/// What a socket's bytes are, for comparing them: a TLS socket's wire bytes are ciphertext,
/// new on every run, so only their lengths are compared; its plaintext is compared whole.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Layer {
    Plain,
    /// A TLS socket: `hello` once its `ClientHello` was reported (a server's messages
    /// before that were cut from the ciphertext of the hello).
    Tls {
        hello: bool,
    },
}

/// One event of a socket as compared, `None` for what timing decides (rounds, interest).
fn call(e: &Value, layer: Layer) -> Option<String> {
    let ev = e["ev"].as_str()?;
    let field = |name: &str| e[name].to_string();
    let data = || bytes(e["data"].as_str().unwrap_or_default());
    let cipher = matches!(layer, Layer::Tls { .. });
    Some(match ev {
        "recv" if cipher => format!("recv {} (ciphertext)", field("len")),
        "send" if cipher => format!("send {} of {} (ciphertext)", field("len"), field("requested")),
        // Cut from random bytes: how many there are is chance.
        "message" if layer == (Layer::Tls { hello: false }) => return None,
        "recv" => format!("recv {} {}", field("len"), data()),
        "send" => format!("send {} of {} {}", field("len"), field("requested"), data()),
        "recvfrom" => format!("recvfrom {} of {} {}", field("len"), field("truncated"), data()),
        "sendto" => format!("sendto {} of {} {}", field("len"), field("requested"), data()),
        "message" => format!("message {} {}", field("dir"), data()),
        "tls" => format!("tls {}", field("stage")),
        "tls_read" => format!("tls_read {} {}", field("len"), data()),
        "tls_write" => format!("tls_write {} of {} {}", field("len"), field("requested"), data()),
        "would_block" => format!("would_block {}", field("op")),
        "shutdown" => format!("shutdown {}", field("how")),
        "close" => format!("close {}", field("by")),
        "error" => format!("error {} {}", field("op"), field("kind")),
        "option" => format!("option {} {}", field("name"), field("value")),
        "eof" | "reset" | "connected" | "accept" | "listen" | "connect" => ev.to_owned(),
        _ => return None,
    })
}

/// `partial-send`'s sends after the reader resumes move what the buffers hold at that instant:
/// runs of sends (and recvs) are compared by their totals and bytes (see `tests/demo_hold.rs`).
fn folded(calls: Vec<(String, String)>) -> Vec<String> {
    let mut out = Vec::new();
    let mut run: Option<(String, u64, String)> = None;
    for (op, line) in calls {
        let blocked_io = line == "would_block \"send\"" || line == "would_block \"recv\"";
        let fold = matches!(op.as_str(), "send" | "recv") || blocked_io;
        let end_run = |run: &mut Option<(String, u64, String)>, out: &mut Vec<String>| {
            if let Some((op, total, hex)) = run.take() {
                out.push(format!("{op} {total} in all {}", bytes(&hex)));
            }
        };
        if !fold {
            end_run(&mut run, &mut out);
            out.push(line);
            continue;
        }
        let mut words = line.split(' ');
        let (kind, len) = (words.next().unwrap(), words.next().unwrap_or("0"));
        let kind = if kind == "would_block" { len.trim_matches('"') } else { kind };
        let hex = line.split(' ').nth(if op == "send" { 4 } else { 2 });
        match &mut run {
            Some((current, total, all)) if current == kind => {
                *total += len.parse::<u64>().unwrap_or(0);
                all.push_str(hex.filter(|h| !h.contains('"')).unwrap_or_default());
            }
            _ => {
                end_run(&mut run, &mut out);
                let hex = hex.filter(|h| !h.contains('"')).unwrap_or_default().to_owned();
                run = Some((kind.to_owned(), len.parse().unwrap_or(0), hex));
            }
        }
    }
    if let Some((op, total, hex)) = run {
        out.push(format!("{op} {total} in all {}", bytes(&hex)));
    }
    out
}

/// The run's calls, socket by socket, as the golden files hold them.
fn normalised(name: &str, events: &[Value]) -> String {
    let roles = roles(events);
    let tls: std::collections::BTreeSet<u64> =
        events.iter().filter(|e| e["ev"] == "tls").filter_map(conn).collect();
    let mut hello = std::collections::BTreeSet::new();
    let mut by_socket: BTreeMap<&str, Vec<(String, String)>> = BTreeMap::new();
    for e in events {
        if e["ev"] == "tls" {
            hello.extend(conn(e));
        }
        let layer = match conn(e) {
            Some(c) if tls.contains(&c) => Layer::Tls { hello: hello.contains(&c) },
            Some(_) | None => Layer::Plain,
        };
        let (Some(role), Some(line)) = (conn(e).and_then(|c| roles.get(&c)), call(e, layer)) else {
            continue;
        };
        let op = e["ev"].as_str().unwrap_or_default().to_owned();
        // The whole data, not its digest, so that folded runs add up their bytes.
        let line = match op.as_str() {
            "send" | "recv" if name == "partial-send" => {
                line.replace(&bytes(e["data"].as_str().unwrap()), e["data"].as_str().unwrap())
            }
            _ => line,
        };
        by_socket.entry(role).or_default().push((op, line));
    }
    let mut out = String::new();
    for (role, calls) in by_socket {
        let lines = if name == "partial-send" {
            folded(calls)
        } else {
            calls.into_iter().map(|(_, line)| line).collect()
        };
        let _ = writeln!(out, "[{role}]");
        for line in lines {
            let _ = writeln!(out, "{line}");
        }
    }
    out
}

/// How many `accept` calls find the queue empty depends on how the connects of one step fall
/// into rounds: several clients connecting at once may be accepted in one round or two.
fn without_timing(calls: &str) -> String {
    let kept = calls.lines().filter(|line| *line != "would_block \"accept\"");
    kept.flat_map(|line| [line, "\n"]).collect()
}

fn parse(out: &[u8]) -> Vec<Value> {
    support::json_lines(out)
}

fn check(name: &str, how: &str, events: &[Value]) {
    let got = normalised(name, events);
    let path = golden(name);
    if std::env::var_os("SOCKSCOPE_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (got, want) = (without_timing(&got), without_timing(&want));
    assert_eq!(got, want, "{name} ({how}) makes other calls than {}", path.display());
}

#[test]
fn every_built_in_lesson_makes_its_recorded_calls() {
    for name in LESSONS {
        check(name, "demo", &parse(&demo_output(name)));
    }
}

/// Runs `sockscope ARGS` with `input` on standard input; returns (exit code, stdout, stderr).
fn run_with_input(args: &[&str], input: &[u8]) -> (i32, Vec<u8>, String) {
    let mut child = sockscope()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let mut stdin = child.stdin.take().expect("stdin piped");
    let input = input.to_vec();
    let writer = std::thread::spawn(move || drop(stdin.write_all(&input)));
    let mut out = child.stdout.take().expect("stdout piped");
    let reader = std::thread::spawn(move || {
        let mut all = Vec::new();
        let _ = out.read_to_end(&mut all);
        all
    });
    let mut err = child.stderr.take().expect("stderr piped");
    let err_reader = std::thread::spawn(move || {
        let mut all = String::new();
        let _ = err.read_to_string(&mut all);
        all
    });
    let code = wait_with_deadline(&mut child);
    writer.join().expect("writer");
    (code, reader.join().expect("reader"), err_reader.join().expect("stderr reader"))
}

#[test]
fn a_dumped_lesson_run_from_standard_input_makes_the_same_calls() {
    for name in LESSONS {
        let (code, file, _) = run_with_input(&["demo", name, "--dump"], b"");
        assert_eq!(code, 0, "{name} --dump");
        let source = String::from_utf8(file.clone()).expect("a text file");
        assert!(source.contains("[[steps]]"), "{name}: {source}");
        let (code, out, err) = run_with_input(&["run", "-", "--headless", "--json"], &file);
        assert_eq!(code, 0, "{name} from standard input: {err}");
        check(name, "run -", &parse(&out));
    }
}

#[test]
fn a_bad_file_is_one_error_with_its_place_and_nothing_runs() {
    let source = "title = \"t\"\ntext = \"x\"\n\n[[steps]]\ndo = \"connect\"\n\n[[steps]]\n\
                  do = \"send\"\non = \"client 3\"\ntext = \"hi\"\n";
    let (code, out, err) = run_with_input(&["run", "-", "--headless", "--json"], source.as_bytes());
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty(), "nothing ran: {}", String::from_utf8_lossy(&out));
    assert_eq!(err.lines().count(), 1, "one error: {err}");
    assert!(err.starts_with("error: -:9:6: unknown client 3"), "{err}");
    let (code, _, err) = run_with_input(&["run", "/nonexistent/lesson.toml", "--headless"], b"");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("/nonexistent/lesson.toml"), "{err}");
}

fn repo_file(path: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The first TOML code block of a Markdown text.
fn toml_block(markdown: &str) -> &str {
    let start = markdown.find("```toml\n").expect("a toml block") + "```toml\n".len();
    let len = markdown[start..].find("```").expect("its end");
    &markdown[start..start + len]
}

#[test]
fn the_lesson_written_from_scratch_runs_headless_with_its_notes() {
    let example = "examples/lessons/hello.toml";
    let (code, out, err) = run_with_input(&["run", example, "--headless", "--json"], b"");
    assert_eq!(code, 0, "{err}");
    let events = parse(&out);
    let received: Vec<&Value> =
        events.iter().filter(|e| e["ev"] == "recv").map(|e| &e["data"]).collect();
    assert!(received.contains(&&Value::from(hex::encode("hello?\n"))), "the question is read");
    assert!(received.contains(&&Value::from(hex::encode("hello!\n"))), "and the answer");
    assert!(events.iter().any(|e| e["ev"] == "eof"), "and an end");
    let (code, out, _) = run_with_input(&["run", example, "--headless"], b"");
    assert_eq!(code, 0);
    let handout = String::from_utf8(out).expect("text");
    assert!(handout.starts_with("hello: a request, an answer, an end\n"), "{handout}");
    let note = handout.find("note: shutdown(write)").expect("the step's note");
    let shutdown = handout.find("shutdown(write)\n").expect("the call");
    assert!(note < shutdown, "a note comes where its step runs, before its call:\n{handout}");
    assert!(
        repo_file("README.md").contains(&repo_file(example)),
        "the README shows the example as it is"
    );
}

#[test]
fn the_documented_example_reads_and_runs() {
    let doc = repo_file("docs/lesson-format.md");
    let example = toml_block(&doc);
    let (code, out, err) =
        run_with_input(&["run", "-", "--headless", "--json"], example.as_bytes());
    assert_eq!(code, 0, "{err}");
    let events = parse(&out);
    assert!(events.iter().any(|e| e["ev"] == "eof"), "the example runs to its end");
    let recv = events.iter().filter(|e| e["ev"] == "recv");
    assert!(recv.clone().all(|e| e["len"].as_u64() <= Some(5)), "recv_chunk = 5");
    let got: String = recv.filter_map(|e| e["data"].as_str()).collect();
    assert!(got.contains("000568656c6c6f"), "{got}");
}
