//! What `select()` would return, as the `ready` event reports it, against what Python's
//! `select.select` returns for a socket in the same situation. A reset is the case that
//! matters: the socket is readable and writable (the next call fails), and the third list,
//! which is for out-of-band data, stays empty.

mod common;

use common::Harness;
use serde_json::Value;
use sockscope::engine::EngineConfig;
use sockscope::event::{ConnId, Readiness};
use std::io::Write;
use std::net::Shutdown;
use std::process::Command as Process;
use std::time::Duration;

/// Python makes a connection of its own and puts the accepted end through the same three
/// situations; after each it prints what `select.select([s], [s], [s], 0)` returned, as
/// `r w x` (1 when the socket is in that list). It waits for each situation with `poll`,
/// which reads no data and clears no error.
const PYTHON: &str = r"
import select, socket, struct
def lists(s):
    r, w, x = select.select([s], [s], [s], 0)
    print(int(s in r), int(s in w), int(s in x))
def wait_for(s, mask):
    p = select.poll()
    p.register(s, mask)
    assert p.poll(20000), 'the situation never came'
ls = socket.socket()
ls.bind(('127.0.0.1', 0))
ls.listen(1)
client = socket.create_connection(ls.getsockname())
s, _ = ls.accept()
lists(s)
client.sendall(b'hi')
client.shutdown(socket.SHUT_WR)
wait_for(s, select.POLLRDHUP)
lists(s)
client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
client.close()
wait_for(s, select.POLLPRI)
lists(s)
";

/// Urgent data: one ordinary byte, then one sent with `MSG_OOB`.
const PYTHON_URGENT: &str = r"
import select, socket
ls = socket.socket()
ls.bind(('127.0.0.1', 0))
ls.listen(1)
client = socket.create_connection(ls.getsockname())
s, _ = ls.accept()
client.send(b'a')
client.send(b'!', socket.MSG_OOB)
p = select.poll()
p.register(s, select.POLLPRI)
assert p.poll(20000), 'no urgent data'
r, w, x = select.select([s], [s], [s], 0)
print(int(s in r), int(s in w), int(s in x))
";

/// Python's answers to `program`, one `[readable, writable, exceptional]` per situation;
/// `None` when python3 is missing outside CI (under CI it must be there).
fn python_answers(program: &str) -> Option<Vec<[bool; 3]>> {
    let output = match Process::new("python3").arg("-c").arg(program).output() {
        Ok(output) => output,
        Err(err) if std::env::var_os("CI").is_none() => {
            eprintln!("SKIPPED: python3 is not available here ({err})");
            return None;
        }
        Err(err) => panic!("python3 is required under CI: {err}"),
    };
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8_lossy(&output.stdout);
    let answers: Vec<[bool; 3]> = text
        .lines()
        .map(|line| {
            let flags: Vec<bool> = line.split(' ').map(|f| f == "1").collect();
            [flags[0], flags[1], flags[2]]
        })
        .collect();
    assert!(!answers.is_empty(), "no answer from python3: {text}");
    Some(answers)
}

/// Steps (manual mode) until a round satisfies `pred`; returns its `ready` event as JSON.
fn step_until(h: &mut Harness, what: &str, pred: impl Fn(&Readiness) -> bool) -> Value {
    json(&h.step_until(what, pred))
}

fn json(event: &sockscope::event::Event) -> Value {
    serde_json::from_str(&event.to_json_line()).expect("a JSON line")
}

/// Whether `conn` is in each of the `ready` event's `select` lists.
fn select_lists(ready: &Value, conn: ConnId) -> [bool; 3] {
    let has = |list: &str| {
        let ids = ready["select"][list].as_array().unwrap_or_else(|| panic!("{list}: {ready}"));
        ids.iter().any(|id| id.as_u64() == Some(conn.0))
    };
    [has("readable"), has("writable"), has("exceptional")]
}

#[test]
fn select_view_matches_python_select_fresh_eof_and_reset() {
    let Some(python) = python_answers(PYTHON) else { return };
    assert_eq!(python.len(), 3, "three situations: {python:?}");
    let mut h = Harness::start(EngineConfig { manual: true, ..EngineConfig::default() });
    let (_, conn, mut client, fresh) = h.accept_one_manually();
    let fresh = json(&fresh);
    assert_eq!(select_lists(&fresh, conn), python[0], "fresh: {fresh}");

    client.write_all(b"hi").unwrap();
    client.shutdown(Shutdown::Write).unwrap();
    let eof = step_until(&mut h, "data and EOF", |r| r.read_closed.contains(&conn));
    assert_eq!(select_lists(&eof, conn), python[1], "data and EOF waiting: {eof}");

    socket2::SockRef::from(&client).set_linger(Some(Duration::ZERO)).unwrap();
    drop(client);
    let reset = step_until(&mut h, "epoll's error edge", |r| r.error.contains(&conn));
    assert_eq!(select_lists(&reset, conn), python[2], "reset: {reset}");
    assert_eq!(
        python[2],
        [true, true, false],
        "a reset socket: readable, writable, not exceptional"
    );
}

/// Out-of-band data is what `select()`'s third list is for.
#[test]
fn urgent_data_is_exceptional_as_python_select_says() {
    let Some(python) = python_answers(PYTHON_URGENT) else { return };
    let mut h = Harness::start(EngineConfig { manual: true, ..EngineConfig::default() });
    let (_, conn, client, _) = h.accept_one_manually();

    let urgent = socket2::SockRef::from(&client);
    urgent.send(b"a").unwrap();
    urgent.send_out_of_band(b"!").unwrap();
    let round = step_until(&mut h, "urgent data", |r| {
        r.select.as_ref().is_some_and(|s| s.exceptional.contains(&conn))
    });
    assert_eq!(python, [[true, true, true]], "Python: readable, writable, exceptional");
    assert_eq!(select_lists(&round, conn), python[0], "{round}");
}
