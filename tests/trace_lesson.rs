//! The "your own program" lesson, run as its text says: the HOWTO's `MySocket` client
//! (`assets/programs/mysocket.py`) traced against `listen --echo` whose replies the `slice`
//! fault cuts into 8-byte pieces. The trace shows its send loop and its receive loop
//! collecting each fixed-length message in pieces, asking each time for what is missing
//! (`MSGLEN - bytes_recd`), and the program prints every message whole.

mod trace_support;

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use trace_support::python3;

const MSGLEN: u64 = 40;

fn sockscope() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sockscope"))
}

/// `sockscope listen 127.0.0.1:0 --echo --fault down:slice=8,rate=80 --headless --json`, and
/// the port it listens on (from its `listen` event).
fn slicing_echo_server() -> (Child, u16) {
    let mut server = sockscope()
        .args(["listen", "127.0.0.1:0", "--echo", "--fault", "down:slice=8,rate=80"])
        .args(["--headless", "--json"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the echo server starts");
    let stdout = server.stdout.take().expect("its log");
    let mut lines = BufReader::new(stdout).lines();
    let port = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            let event: Value = serde_json::from_str(&line).ok()?;
            let local = event.get("local").filter(|_| event["ev"] == "listen")?.as_str()?;
            local.rsplit(':').next()?.parse().ok()
        })
        .expect("the server says where it listens");
    // Keep reading its log so it never waits on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (server, port)
}

#[test]
fn mysocket_s_receive_loop_collects_each_message_in_pieces() {
    if !python3("mysocket_s_receive_loop_collects_each_message_in_pieces") {
        return;
    }
    let (mut server, port) = slicing_echo_server();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let printed = dir.path().join("printed");
    let program = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/programs/mysocket.py");
    let output = sockscope()
        .args(["trace", "--headless", "--json", "--program-output"])
        .arg(&printed)
        .args(["--", "python3", program, &port.to_string(), "2"])
        .output()
        .expect("the trace runs");
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let events: Vec<Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect();
    let log = String::from_utf8_lossy(&output.stdout).into_owned();
    let peer = format!("127.0.0.1:{port}");
    let connect = events
        .iter()
        .find(|e| e["ev"] == "connect" && e["peer"] == *peer)
        .unwrap_or_else(|| panic!("the client's connect: {log}"));
    let (conn, fd) = (&connect["conn"], &connect["fd"]);
    let on_conn = |ev: &str| -> Vec<&Value> {
        events.iter().filter(|e| e["ev"] == ev && e["conn"] == *conn && e["fd"] == *fd).collect()
    };
    // The send loop: one send takes each whole message here.
    let sends = on_conn("send");
    assert_eq!(sends.len(), 2, "{log}");
    assert!(sends.iter().all(|s| s["len"] == MSGLEN && s["syscall"] == "sendto"), "{log}");
    // The receive loop: 8-byte pieces, each recv asking for what is still missing.
    let recvs = on_conn("recv");
    let asked: Vec<u64> = recvs.iter().map(|r| r["max"].as_u64().unwrap()).collect();
    let got: Vec<u64> = recvs.iter().map(|r| r["len"].as_u64().unwrap()).collect();
    assert_eq!(got.iter().sum::<u64>(), 2 * MSGLEN, "{log}");
    assert!(recvs.len() > 2, "the messages came in pieces: {log}");
    let mut missing = MSGLEN;
    for (max, len) in asked.iter().zip(&got) {
        assert_eq!(*max, missing, "recv(MSGLEN - bytes_recd): {asked:?} {got:?}");
        missing -= len;
        if missing == 0 {
            missing = MSGLEN;
        }
    }
    let printed = std::fs::read_to_string(&printed).expect("the program's output");
    assert_eq!(printed.lines().count(), 2, "{printed}");
    assert!(printed.starts_with("message 0 of MySocket, MSGLEN bytes.....\n"), "{printed}");
}

#[test]
fn the_lesson_prints_the_program_it_traces() {
    let out = sockscope().args(["demo", "your-own-program", "--program"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let shipped = include_str!("../assets/programs/mysocket.py");
    assert!(
        out.stdout == shipped.as_bytes(),
        "the lesson's program is assets/programs/mysocket.py"
    );
    let lesson = sockscope().args(["demo", "your-own-program", "--dump"]).output().unwrap();
    let text = String::from_utf8_lossy(&lesson.stdout);
    assert!(text.contains("sockscope trace -- python3 mysocket.py 9040"), "the lesson says how");
    let none = sockscope().args(["demo", "echo", "--program"]).output().unwrap();
    assert_eq!(none.status.code(), Some(2), "a lesson without a program");
}
