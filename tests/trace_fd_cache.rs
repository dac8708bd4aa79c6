//! sockscope remembers which socket each descriptor names (no `/proc/PID/fd/N` lookup per
//! call), so it must forget when a descriptor comes to name another file: `dup2`, `dup3`,
//! `close`, `close_range`, `exec`. Each `send` must be filed under the socket it really went to.

mod trace_support;

use serde_json::Value;
use trace_support::{PRELUDE, python3, traced};

/// Two connected pairs; fd `c1` then names the second pair's client after `dup2`.
const PROGRAM: &str = r#"
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(2)
c1 = socket.create_connection(srv.getsockname()); a1, _ = srv.accept()
c2 = socket.create_connection(srv.getsockname()); a2, _ = srv.accept()
c1.send(b"one")
a1.recv(10)
os.dup2(c2.fileno(), c1.fileno())
c1.send(b"two")
a2.recv(10)
os.dup3(a1.fileno(), c1.fileno(), 0) if hasattr(os, "dup3") else None
fd = c1.fileno()
c3 = socket.create_connection(srv.getsockname()); a3, _ = srv.accept()
os.close_range(fd, fd) if hasattr(os, "close_range") else os.close(fd)
os.dup2(c3.fileno(), fd)
os.write(fd, b"three")
a3.recv(10)
report("fds", fd=fd, c2=c2.fileno(), c3=c3.fileno(), port=srv.getsockname()[1])
"#;

#[test]
fn a_descriptor_given_to_another_socket_files_its_calls_under_that_socket() {
    if !python3("a_descriptor_given_to_another_socket_files_its_calls_under_that_socket") {
        return;
    }
    let run = traced(&format!("{PRELUDE}{PROGRAM}"), &[]);
    let log = run.log();
    assert_eq!(run.status(), Some(0), "{log}");
    let seen = run.report("fds");
    let peer = format!("127.0.0.1:{}", seen["port"]);
    // The client socket first connected on descriptor `fd`.
    let client_on = |fd: &Value| -> Value {
        let connect = run.of("connect").into_iter().find(|e| &e["fd"] == fd && e["peer"] == *peer);
        connect.unwrap_or_else(|| panic!("a connect on {fd}: {log}"))["conn"].clone()
    };
    let sends: Vec<Value> = run
        .of("send")
        .into_iter()
        .filter(|e| e["fd"] == seen["fd"])
        .map(|e| e["conn"].clone())
        .collect();
    let expected = [client_on(&seen["fd"]), client_on(&seen["c2"]), client_on(&seen["c3"])];
    assert_eq!(sends, expected, "each send under the socket its descriptor named then: {log}");
}
