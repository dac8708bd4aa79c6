//! `sockscope trace`'s contract: exit statuses (the program's own, 128 + a killing signal,
//! 2 for bad usage, 127 for a command that does not exist), `--record`, and `--pid`, which
//! attaches to a running program and, on Ctrl-C, detaches and leaves it running.

mod trace_support;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;
use trace_support::{PRELUDE, python3, traced};

fn sockscope(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_sockscope")).args(args).output().expect("sockscope runs")
}

#[test]
fn bad_usage_exits_2_and_a_missing_command_127() {
    assert_eq!(sockscope(&["trace", "--headless"]).status.code(), Some(2), "no command");
    let no_ui = sockscope(&["trace", "--", "true"]);
    assert_eq!(no_ui.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_ui.stderr).contains("--headless"));
    let both = sockscope(&["trace", "--headless", "--pid", "1", "--", "true"]);
    assert_eq!(both.status.code(), Some(2), "--pid or a command, not both");
    // No process has the number pid_max: pids stay below it.
    let pid_max = std::fs::read_to_string("/proc/sys/kernel/pid_max").unwrap();
    let no_such = sockscope(&["trace", "--headless", "--pid", pid_max.trim()]);
    assert_eq!(no_such.status.code(), Some(1), "a pid that names no process");
    assert!(String::from_utf8_lossy(&no_such.stderr).contains("no process"));
    let missing = sockscope(&["trace", "--headless", "--", "/nonexistent/program"]);
    assert_eq!(missing.status.code(), Some(127));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot run /nonexistent/program"));
}

#[test]
fn the_helper_is_in_no_help_and_no_manual() {
    let help = sockscope(&["--help"]);
    assert!(String::from_utf8_lossy(&help.stdout).contains("trace"));
    assert!(!String::from_utf8_lossy(&help.stdout).contains("__trace-exec"));
    assert!(!String::from_utf8_lossy(&sockscope(&["man"]).stdout).contains("__trace-exec"));
}

#[test]
fn a_program_killed_by_a_signal_makes_128_plus_the_signal() {
    if !python3("a_program_killed_by_a_signal_makes_128_plus_the_signal") {
        return;
    }
    let run = traced("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n", &[]);
    assert_eq!(run.status(), Some(128 + 9));
}

#[test]
fn a_recorded_trace_replays_and_exports_as_the_same_events_with_their_call_sites() {
    if !python3("a_recorded_trace_replays_and_exports_as_the_same_events_with_their_call_sites") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("trace.sscope");
    let program = format!(
        "{PRELUDE}{}",
        r#"
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1)
c = socket.create_connection(srv.getsockname()); a, _ = srv.accept()
c.sendall(b"recorded"); a.recv(100)
"#
    );
    // Snapped too: a recording keeps the cut bytes and the real counts.
    let run = traced(&program, &["--snap", "4", "--record", file.to_str().unwrap()]);
    assert_eq!(run.status(), Some(0), "{}", run.log());
    let lines = |args: &[&str]| -> Vec<serde_json::Value> {
        let out = sockscope(args);
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    };
    let replayed = lines(&["replay", file.to_str().unwrap(), "--headless", "--json"]);
    let exported = lines(&["export", file.to_str().unwrap(), "--format", "jsonl"]);
    // Everything but the times (the session event's start is its own).
    let untimed = |e: &serde_json::Value| {
        let mut e = e.clone();
        for field in ["t_us", "start"] {
            e.as_object_mut().unwrap().remove(field);
        }
        e
    };
    let live: Vec<_> = run.events.iter().map(untimed).collect();
    assert_eq!(live, replayed.iter().map(untimed).collect::<Vec<_>>(), "replay");
    assert_eq!(live, exported.iter().map(untimed).collect::<Vec<_>>(), "export");
    let recv = live.iter().find(|e| e["ev"] == "recv" && e["len"] == 8).expect("the recv");
    assert_eq!(recv["data"], "7265636f", "{recv}");
    assert_eq!(recv["snapped"], true);
    assert_eq!(recv["syscall"], "recvfrom");
    assert!(recv["pid"].is_i64() && recv["fd"].is_i64(), "{recv}");
}

#[test]
fn attached_with_pid_ctrl_c_detaches_and_the_program_runs_on() {
    if !python3("attached_with_pid_ctrl_c_detaches_and_the_program_runs_on") {
        return;
    }
    // Echoes each line of standard input through a socket pair, printing what came back.
    let program = r#"
import socket, sys
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1)
c = socket.create_connection(srv.getsockname()); a, _ = srv.accept()
print("ready", flush=True)
for line in sys.stdin:
    c.sendall(line.encode())
    print(a.recv(1000).decode().strip(), flush=True)
sys.exit(5)
"#;
    let mut target = Command::new("python3")
        .args(["-c", program])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let mut to_target = target.stdin.take().unwrap();
    let mut from_target = BufReader::new(target.stdout.take().unwrap()).lines();
    assert_eq!(from_target.next().unwrap().unwrap(), "ready");

    let mut tracer = Command::new(env!("CARGO_BIN_EXE_sockscope"))
        .args(["trace", "--headless", "--json", "--pid", &target.id().to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .expect("sockscope runs");
    let (lines, events) = mpsc::channel();
    let stdout = BufReader::new(tracer.stdout.take().unwrap());
    std::thread::spawn(move || {
        for line in stdout.lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    assert!(events.recv_timeout(Duration::from_secs(10)).unwrap().contains("\"session\""));
    // Attached once a line sent now shows up as the program's send.
    let send = loop {
        writeln!(to_target, "one").unwrap();
        assert_eq!(from_target.next().unwrap().unwrap(), "one");
        if let Ok(line) = events.recv_timeout(Duration::from_secs(2)) {
            break line;
        }
    };
    assert!(send.contains("\"ev\":\"send\"") && send.contains("6f6e650a"), "{send}");

    let interrupted = Command::new("kill").args(["-INT", &tracer.id().to_string()]).status();
    assert!(interrupted.unwrap().success());
    let status = tracer.wait().unwrap();
    assert_eq!(status.code(), Some(0), "detached");
    // Untraced now, the program still answers, then ends with its own status.
    writeln!(to_target, "two").unwrap();
    assert_eq!(from_target.next().unwrap().unwrap(), "two");
    drop(to_target);
    assert_eq!(target.wait().unwrap().code(), Some(5));
}

#[test]
fn a_started_program_runs_under_the_seccomp_filter_that_stops_only_socket_calls() {
    if !python3("a_started_program_runs_under_the_seccomp_filter_that_stops_only_socket_calls") {
        return;
    }
    let program = format!(
        "{PRELUDE}{}",
        r#"
status = dict(line.split(":", 1) for line in open("/proc/self/status").read().splitlines())
report("status", seccomp=status["Seccomp"].strip(), no_new_privs=status["NoNewPrivs"].strip(),
       blocked=status["SigBlk"].strip())
"#
    );
    let run = traced(&program, &[]);
    let plain = trace_support::untraced(&program);
    assert_eq!(run.report("status")["blocked"], plain.report("status")["blocked"], "signal mask");
    let status = run.report("status");
    assert_eq!(status["seccomp"], "2", "a filter is installed");
    assert_eq!(status["no_new_privs"], "1", "as seccomp requires");
    assert!(run.output.stderr.is_empty(), "{}", String::from_utf8_lossy(&run.output.stderr));
}

#[test]
fn ctrl_c_is_the_program_s_and_a_sigterm_to_sockscope_ends_the_program() {
    if !python3("ctrl_c_is_the_program_s_and_a_sigterm_to_sockscope_ends_the_program") {
        return;
    }
    // Says when it is ready, then echoes each line of its standard input.
    let program = "import sys\nprint('ready', flush=True)\nfor line in sys.stdin:\n    print(line.strip(), flush=True)\n";
    let mut tracer = Command::new(env!("CARGO_BIN_EXE_sockscope"))
        .args(["trace", "--headless", "--", "python3", "-c", program])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("sockscope runs");
    let mut out = BufReader::new(tracer.stdout.take().unwrap()).lines();
    let ready = out.by_ref().map_while(Result::ok).find(|line| line == "ready");
    assert!(ready.is_some(), "the program ran");
    let id = tracer.id().to_string();
    let signal = |name: &str| {
        let sent = Command::new("kill").args([name, &id]).status();
        assert!(sent.unwrap().success());
    };
    // SIGINT to sockscope alone: ignored (a terminal's Ctrl-C reaches the program itself).
    // Had sockscope died, the program would have died with it and could not answer.
    signal("-INT");
    let mut to_program = tracer.stdin.take().unwrap();
    writeln!(to_program, "still here").unwrap();
    let answer = out.by_ref().map_while(Result::ok).find(|line| line == "still here");
    assert!(answer.is_some(), "the program and sockscope go on after SIGINT");
    signal("-TERM");
    let status = tracer.wait().unwrap();
    assert_eq!(status.code(), Some(128 + 15), "the program died of the SIGTERM passed on");
}
