//! `sockscope trace -- python3 client.py` in the terminal UI, as a person runs it: the
//! program's own calls in the Calls panel with the real system call, partial counts, a call
//! blocked in progress; its output kept off the screen; commands that would act on its
//! sockets refused; quitting kills it (nothing left stopped or a zombie) and gives the
//! terminal back.
//!
//! Skipped, with a message, only when tmux or python3 is missing outside CI.

mod tmux;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use tmux::{Tmux, assert_restored, tmux_or_skip, tool_or_skip, wait_until};

/// Sends 21 bytes, collects the echo in `recv(7)` pieces, prints over the screen, writes its
/// pid, then waits in `recv` for what never comes.
const CLIENT: &str = r#"
import os, socket, sys
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
c.sendall(b"abcdefghijklmnopqrstu")
got = b""
while len(got) < 21:
    got += c.recv(7)
print("\x1b[2J\x1b[HPROGRAM-OUTPUT-ON-SCREEN", flush=True)
open(sys.argv[2], "w").write(str(os.getpid()))
c.recv(100)
"#;

/// An echo server for one client, on a thread.
fn echo_server() -> u16 {
    let server = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = server.local_addr().expect("address").port();
    std::thread::spawn(move || {
        let Ok((mut peer, _)) = server.accept() else { return };
        let mut buf = [0; 21];
        if peer.read_exact(&mut buf).is_ok() {
            let _ = peer.write_all(&buf);
        }
        // Held open: the client waits in its last recv until it is killed.
        let _ = peer.read(&mut buf);
    });
    port
}

fn gone(pid: &str) -> bool {
    !Path::new(&format!("/proc/{pid}")).exists()
}

#[test]
fn a_traced_client_s_calls_fill_the_panels_and_quitting_ends_it() {
    let test = "a_traced_client_s_calls_fill_the_panels_and_quitting_ends_it";
    if !tmux_or_skip(test) || !tool_or_skip(test, "python3") {
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (script, pid_file) = (dir.path().join("client.py"), dir.path().join("pid"));
    std::fs::write(&script, CLIENT).expect("the client is written");
    let port = echo_server();
    let binary = env!("CARGO_BIN_EXE_sockscope");
    let command = format!(
        "'{binary}' trace -- python3 '{}' {port} '{}'; echo \"exit=$?\"; stty -a; read -r _",
        script.display(),
        pid_file.display()
    );
    let tmux = Tmux::start(140, 45, &command);
    let screen = tmux.wait_for_screen("the client's calls and its blocked recv", |screen| {
        screen.contains("recv(7) -> 7 [pid") && screen.contains("recvfrom fd 3 blocked")
    });
    assert!(screen.contains("send 21 -> 21 [pid"), "the real send:\n{screen}");
    assert!(screen.contains("calls · in progress: pid "), "the blocked recv, in Calls:\n{screen}");
    assert!(screen.contains("sendto fd 3]"), "the real system call:\n{screen}");
    assert!(screen.contains("program output: /dev/null"), "where the output went:\n{screen}");
    assert!(!screen.contains("PROGRAM-OUTPUT-ON-SCREEN"), "the program's output:\n{screen}");
    tmux.send_keys("c");
    tmux.wait_for_screen("the refusal", |screen| screen.contains("not available on a traced"));
    let pid = std::fs::read_to_string(&pid_file).expect("the client wrote its pid");
    assert!(!gone(&pid), "the client runs until the UI quits");
    tmux.send_keys("q");
    assert_restored(&tmux);
    wait_until("the client to be gone (not stopped, not a zombie)", || gone(&pid));
}

/// A recorded trace replayed in the UI shows its calls with their real system calls, as live.
#[test]
fn a_recorded_trace_replays_in_the_ui_with_its_system_calls() {
    let test = "a_recorded_trace_replays_in_the_ui_with_its_system_calls";
    if !tmux_or_skip(test) || !tool_or_skip(test, "python3") {
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("trace.sscope");
    let program = r#"
import socket
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1)
c = socket.create_connection(srv.getsockname()); a, _ = srv.accept()
c.sendall(b"replayed"); a.recv(3); a.recv(100)
"#;
    let recorded = std::process::Command::new(env!("CARGO_BIN_EXE_sockscope"))
        .args(["trace", "--headless", "--record", file.to_str().unwrap(), "--"])
        .args(["python3", "-c", program])
        .output()
        .expect("the trace runs");
    assert_eq!(recorded.status.code(), Some(0), "{recorded:?}");
    let binary = env!("CARGO_BIN_EXE_sockscope");
    let command =
        format!("'{binary}' replay '{}'; echo \"exit=$?\"; stty -a; read -r _", file.display());
    let tmux = Tmux::start(140, 45, &command);
    tmux.send_keys("$");
    // The newest socket is selected: the accepted one, with its partial recv.
    let screen = tmux.wait_for_screen("the replayed calls with their system calls", |screen| {
        screen.contains("recv(3) -> 3 [pid ") && screen.contains(" recvfrom fd ")
    });
    assert!(screen.contains("REPLAY") && screen.contains(" accept4 fd "), "{screen}");
    tmux.send_keys("q");
    assert_restored(&tmux);
}

/// Attached with `--pid`, quitting the UI detaches: the process runs on, neither stopped nor
/// traced.
#[test]
fn quitting_an_attached_trace_lets_the_process_run_on() {
    if !tmux_or_skip("quitting_an_attached_trace_lets_the_process_run_on") {
        return;
    }
    let mut sleeper = std::process::Command::new("sleep").arg("60").spawn().expect("sleep runs");
    let pid = sleeper.id();
    let binary = env!("CARGO_BIN_EXE_sockscope");
    let command = format!("'{binary}' trace --pid {pid}; echo \"exit=$?\"; stty -a; read -r _");
    let tmux = Tmux::start(140, 45, &command);
    let status = || std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    tmux.wait_for_screen("the attached trace", |screen| screen.contains("its own (attached)"));
    wait_until("the tracer to attach", || !status().contains("TracerPid:\t0\n"));
    tmux.send_keys("q");
    assert_restored(&tmux);
    wait_until("the tracer to let go", || status().contains("TracerPid:\t0\n"));
    let state = status();
    assert!(!state.contains("State:\tT") && !state.contains("State:\tt"), "{state}");
    assert_eq!(sleeper.try_wait().expect("its status"), None, "it runs on");
    let _ = sleeper.kill();
    let _ = sleeper.wait();
}
