//! `sockscope trace` on Python programs written for each test: the events must say what the
//! program itself saw of its calls (it reports its results into a file), and the program
//! must behave as it does untraced.

mod trace_support;

use serde_json::Value;
use trace_support::{PRELUDE, Run, hex, python3, traced, untraced};

/// A listener, a client connected to it, and the accepted socket: `srv`, `c`, `a`.
const PAIR: &str = r#"
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(7)
c = socket.create_connection(srv.getsockname())
a, _ = srv.accept()
"#;

fn script(body: &str) -> String {
    format!("{PRELUDE}{PAIR}{body}")
}

/// The `connect` to the test's listener on `port`: a lookup of the user may connect to nscd
/// before it, on the same descriptor number.
fn connect_to<'a>(run: &'a Run, port: &Value) -> &'a Value {
    let peer = format!("127.0.0.1:{port}");
    run.of("connect").into_iter().find(|e| e["peer"] == *peer).unwrap_or_else(|| {
        panic!("no connect to {peer}: {}", run.log());
    })
}

/// The events of kind `ev` on `fd`.
fn on_fd<'a>(run: &'a Run, ev: &str, fd: &Value) -> Vec<&'a Value> {
    run.of(ev).into_iter().filter(|e| &e["fd"] == fd).collect()
}

#[test]
fn send_recv_shutdown_and_eof_are_what_the_program_saw() {
    if !python3("send_recv_shutdown_and_eof_are_what_the_program_saw") {
        return;
    }
    let program = script(
        r#"
n = c.send(b"hello world")
first = a.recv(4)
c.shutdown(socket.SHUT_WR)
rest = a.recv(100)
end = a.recv(100)
report("calls", n=n, first=first.hex(), rest=rest.hex(), end=end.hex(),
       c=c.fileno(), a=a.fileno(), srv=srv.fileno(), port=srv.getsockname()[1])
a.close(); c.close(); srv.close()
sys.stderr.write("done\n")
sys.exit(3)
"#,
    );
    let run = traced(&program, &[]);
    let plain = untraced(&program);
    let seen = run.report("calls");
    let log = run.log();
    // The program behaves as it does untraced.
    assert_eq!(run.status(), Some(3), "{log}");
    assert_eq!(run.status(), plain.status());
    assert_eq!(run.output.stderr, plain.output.stderr);
    for field in ["n", "first", "rest", "end"] {
        assert_eq!(seen[field], plain.report("calls")[field], "{field}");
    }
    // Only the program's own sockets count: a lookup of the user (nscd) may come first.
    let listen = on_fd(&run, "listen", &seen["srv"]);
    assert_eq!(listen.len(), 1, "{log}");
    assert!(listen[0]["local"].as_str().unwrap().ends_with(&format!(":{}", seen["port"])));
    assert_eq!(listen[0]["pid"], seen["pid"]);
    let sends = on_fd(&run, "send", &seen["c"]);
    assert_eq!(sends.len(), 1, "{log}");
    assert_eq!(sends[0]["len"], seen["n"]);
    assert_eq!(sends[0]["requested"], 11);
    assert_eq!(sends[0]["data"], hex(b"hello world"));
    assert_eq!(sends[0]["syscall"], "sendto");
    let recvs = on_fd(&run, "recv", &seen["a"]);
    let data: Vec<&Value> = recvs.iter().map(|e| &e["data"]).collect();
    assert_eq!(data, [&seen["first"], &seen["rest"]], "{log}");
    assert_eq!(recvs[0]["max"], 4);
    assert_eq!(seen["end"], "", "the program saw EOF");
    assert_eq!(on_fd(&run, "eof", &seen["a"]).len(), 1, "{log}");
    assert_eq!(on_fd(&run, "shutdown", &seen["c"])[0]["how"], "write");
    // Connection ids: the client's calls share the connect's id, the server's the accept's.
    let connect = connect_to(&run, &seen["port"]);
    let accept = on_fd(&run, "accept", &seen["srv"])[0];
    assert_eq!(sends[0]["conn"], connect["conn"], "{log}");
    assert_eq!(recvs[0]["conn"], accept["conn"], "{log}");
    assert_eq!(accept["listener"], listen[0]["conn"]);
    let ours = [&connect["conn"], &accept["conn"], &listen[0]["conn"]];
    let closes = run.of("close").into_iter().filter(|e| ours.contains(&&e["conn"])).count();
    assert_eq!(closes, 3, "{log}");
}

#[test]
fn a_partial_send_then_eagain_on_a_nonblocking_socket() {
    if !python3("a_partial_send_then_eagain_on_a_nonblocking_socket") {
        return;
    }
    let program = format!(
        "{PRELUDE}{}",
        r#"
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
srv.bind(("127.0.0.1", 0)); srv.listen(1)
c = socket.socket(); c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
c.connect(srv.getsockname())
a, _ = srv.accept()
c.setblocking(False)
counts = []
while True:
    try:
        counts.append(c.send(b"x" * 65536))
    except BlockingIOError:
        break
report("sends", counts=counts, c=c.fileno())
"#
    );
    let run = traced(&program, &[]);
    let seen = run.report("sends");
    let log = run.log();
    let counts = seen["counts"].as_array().unwrap();
    assert!(counts.iter().any(|n| n.as_u64() < Some(65536)), "the program saw a partial send");
    let sends = on_fd(&run, "send", &seen["c"]);
    let lens: Vec<&Value> = sends.iter().map(|e| &e["len"]).collect();
    assert_eq!(lens, counts.iter().collect::<Vec<_>>(), "{log}");
    assert!(sends.iter().all(|e| e["requested"] == 65536));
    let blocked = on_fd(&run, "would_block", &seen["c"]);
    assert_eq!(blocked.len(), 1, "{log}");
    assert_eq!(blocked[0]["op"], "send");
    let sndbuf = run.of("option").into_iter().find(|e| e["fd"] == seen["c"]).expect("SO_SNDBUF");
    assert_eq!(sndbuf["name"], "sndbuf", "{log}");
}

#[test]
fn a_forked_child_sending_on_the_parent_s_socket_is_the_same_connection() {
    if !python3("a_forked_child_sending_on_the_parent_s_socket_is_the_same_connection") {
        return;
    }
    let program = script(
        r#"
child = os.fork()
if child == 0:
    report("child", n=c.send(b"from the child"))
    os._exit(0)
os.waitpid(child, 0)
got = a.recv(100)
report("parent", got=got.hex(), child=child, c=c.fileno(), port=srv.getsockname()[1])
c.close()
"#,
    );
    let run = traced(&program, &[]);
    let (child, parent) = (run.report("child"), run.report("parent"));
    let log = run.log();
    let sends = on_fd(&run, "send", &parent["c"]);
    assert_eq!(sends.len(), 1, "{log}");
    assert_eq!(sends[0]["pid"], child["pid"]);
    assert_eq!(sends[0]["len"], child["n"]);
    let connect = connect_to(&run, &parent["port"]);
    assert_eq!(sends[0]["conn"], connect["conn"], "one socket, one id: {log}");
    assert_eq!(run.of("recv")[0]["data"], parent["got"]);
    // The parent's close releases the socket: the child, which had it too, has exited.
    let closed: Vec<&Value> =
        run.of("close").into_iter().filter(|e| e["conn"] == sends[0]["conn"]).collect();
    assert_eq!(closed.len(), 1, "{log}");
    assert_eq!(closed[0]["pid"], parent["pid"]);
}

#[test]
fn a_thread_blocked_in_recv_gets_what_another_thread_sends() {
    if !python3("a_thread_blocked_in_recv_gets_what_another_thread_sends") {
        return;
    }
    let program = script(
        r#"
def reader():
    report("reader", data=a.recv(100).hex())
t = threading.Thread(target=reader); t.start()
# Send only once the reader sleeps in recv (or give up after 10 s and send anyway).
deadline = time.monotonic() + 10
while time.monotonic() < deadline:
    with open(f"/proc/self/task/{t.native_id}/stat") as f:
        if f.read().rsplit(")", 1)[1].split()[0] == "S":
            break
report("writer", n=c.send(b"wake up"))
t.join()
"#,
    );
    let run = traced(&program, &[]);
    let reader = run.report("reader");
    let log = run.log();
    let recvs = run.of("recv");
    assert_eq!(recvs.len(), 1, "{log}");
    assert_eq!(recvs[0]["data"], reader["data"]);
    assert_eq!(recvs[0]["pid"], reader["tid"], "the thread that called recv");
    assert_eq!(run.of("send")[0]["pid"], run.report("writer")["tid"]);
}

#[test]
fn a_connect_in_progress_is_connected_before_the_first_call_after_it() {
    if !python3("a_connect_in_progress_is_connected_before_the_first_call_after_it") {
        return;
    }
    let program = format!(
        "{PRELUDE}{}",
        r#"
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1)
c = socket.socket(); c.setblocking(False)
err = c.connect_ex(srv.getsockname())
select.select([], [c], [], 10)
n = c.send(b"ping")
report("connect", err=err, n=n, c=c.fileno())
"#
    );
    let run = traced(&program, &[]);
    let seen = run.report("connect");
    let log = run.log();
    assert_eq!(seen["err"], 115, "EINPROGRESS: loopback connects are not instant");
    let on_c: Vec<&Value> = run.events.iter().filter(|e| e["fd"] == seen["c"]).collect();
    let kinds: Vec<&str> = on_c.iter().map(|e| e["ev"].as_str().unwrap()).collect();
    // Python closes the socket as it exits.
    assert_eq!(kinds, ["connect", "connected", "send", "close"], "{log}");
    assert_eq!(on_c[1]["syscall"], "sendto", "said at the first call that found it done");
    assert_eq!(on_c[2]["len"], seen["n"]);
}

#[test]
fn a_recv_that_blocks_is_shown_while_it_blocks_then_its_result() {
    if !python3("a_recv_that_blocks_is_shown_while_it_blocks_then_its_result") {
        return;
    }
    // The program keeps its reader waiting 0.6 s, three times the 200 ms threshold.
    let program = script(
        r#"
def reader():
    report("reader", data=a.recv(100).hex(), a=a.fileno())
t = threading.Thread(target=reader); t.start()
deadline = time.monotonic() + 10
while time.monotonic() < deadline:
    with open(f"/proc/self/task/{t.native_id}/stat") as f:
        if f.read().rsplit(")", 1)[1].split()[0] == "S":
            break
time.sleep(0.6)
c.send(b"at last")
t.join()
"#,
    );
    let run = traced(&program, &[]);
    let reader = run.report("reader");
    let log = run.log();
    let on_a: Vec<&Value> =
        run.events.iter().filter(|e| e["fd"] == reader["a"] && e["pid"] == reader["tid"]).collect();
    let kinds: Vec<&str> = on_a.iter().map(|e| e["ev"].as_str().unwrap()).collect();
    assert_eq!(&kinds[..2], ["blocked", "recv"], "{log}");
    let (blocked, recv) = (on_a[0], on_a[1]);
    assert_eq!(blocked["syscall"], "recvfrom");
    assert_eq!(blocked["conn"], recv["conn"]);
    assert!(blocked["waited_us"].as_u64().unwrap() >= 200_000, "{log}");
    assert_eq!(recv["data"], reader["data"]);
    let send = &run.of("send")[0];
    assert!(blocked["t_us"].as_u64() < send["t_us"].as_u64(), "said while it blocked: {log}");
}
