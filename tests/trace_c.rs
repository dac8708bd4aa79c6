//! `sockscope trace` on a small C program built by the test: the calls Python does not make
//! (`write`, `read`, `writev`, `readv`, `sendmsg`, `recvmsg` on sockets, `poll`) are events
//! with their real system call and result, equal to what the program printed of them, and a
//! `write` to a file or a pipe is no event.

#[path = "shared/required.rs"]
mod required;

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

/// The program: a loopback pair, then one call of each kind, each result printed as
/// `CALL FD RESULT` on standard error (standard output is sockscope's).
const PROGRAM: &str = r#"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

static void said(const char *call, int fd, long result) {
    fprintf(stderr, "%s %d %ld\n", call, fd, result);
}

int main(void) {
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof addr;
    int srv = socket(AF_INET, SOCK_STREAM, 0);
    if (bind(srv, (struct sockaddr *)&addr, sizeof addr) || listen(srv, 1)) return 10;
    getsockname(srv, (struct sockaddr *)&addr, &len);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(c, (struct sockaddr *)&addr, sizeof addr)) return 11;
    int a = accept(srv, NULL, NULL);
    char buf[64];
    said("write", c, write(c, "hello", 5));
    struct pollfd ready = { .fd = a, .events = POLLIN };
    said("poll", a, poll(&ready, 1, 5000));
    said("read", a, read(a, buf, 3));
    said("read", a, read(a, buf, sizeof buf));
    struct iovec out[2] = { { "ab", 2 }, { "cdef", 4 } };
    said("writev", c, writev(c, out, 2));
    poll(&ready, 1, 5000);
    char x[4], y[16];
    struct iovec in[2] = { { x, sizeof x }, { y, sizeof y } };
    said("readv", a, readv(a, in, 2));
    struct iovec part = { "msg", 3 };
    struct msghdr m = { .msg_iov = &part, .msg_iovlen = 1 };
    said("sendmsg", c, sendmsg(c, &m, 0));
    poll(&ready, 1, 5000);
    struct iovec back = { buf, sizeof buf };
    struct msghdr r = { .msg_iov = &back, .msg_iovlen = 1 };
    said("recvmsg", a, recvmsg(a, &r, 0));
    said("write", 2, write(2, "not a socket\n", 13));
    close(c); close(a); close(srv);
    return 0;
}
"#;

/// Builds [`PROGRAM`] in `dir`.
fn build(dir: &Path) -> std::path::PathBuf {
    let source = dir.join("calls.c");
    let binary = dir.join("calls");
    std::fs::write(&source, PROGRAM).unwrap();
    let out = Command::new("cc").arg("-O1").arg("-o").arg(&binary).arg(&source).output().unwrap();
    assert!(out.status.success(), "cc: {}", String::from_utf8_lossy(&out.stderr));
    binary
}

fn traced(binary: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sockscope"))
        .args(["trace", "--headless", "--json", "--program-output"])
        .arg(binary.with_extension("out"))
        .arg("--")
        .arg(binary)
        .output()
        .unwrap()
}

/// What the program said of its calls: (call, fd, result).
fn said(text: &str) -> Vec<(String, i64, i64)> {
    text.lines()
        .filter_map(|line| {
            let mut words = line.split(' ');
            let call = words.next()?.to_owned();
            Some((call, words.next()?.parse().ok()?, words.next()?.parse().ok()?))
        })
        .collect()
}

#[test]
fn a_c_program_s_read_write_vector_and_message_calls_are_what_it_got() {
    if !required::tool_or_skip(
        "a_c_program_s_read_write_vector_and_message_calls_are_what_it_got",
        "cc",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let binary = build(dir.path());
    let untraced = Command::new(&binary).output().unwrap();
    assert_eq!(untraced.status.code(), Some(0));
    let run = traced(&binary);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let printed = std::fs::read_to_string(binary.with_extension("out")).unwrap();
    assert_eq!(said(&printed), said(&String::from_utf8_lossy(&untraced.stderr)));
    let events: Vec<Value> = String::from_utf8_lossy(&run.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let log: String = events.iter().map(|e| e.to_string() + "\n").collect();
    let data_calls: Vec<(String, i64, i64)> = events
        .iter()
        .filter(|e| e["ev"] == "send" || e["ev"] == "recv")
        .map(|e| {
            let syscall = e["syscall"].as_str().unwrap().to_owned();
            (syscall, e["fd"].as_i64().unwrap(), e["len"].as_i64().unwrap())
        })
        .collect();
    // Polls are `ready` events, and the write to standard error is on no socket.
    let expected: Vec<(String, i64, i64)> =
        said(&printed).into_iter().filter(|(call, fd, _)| call != "poll" && *fd != 2).collect();
    assert_eq!(data_calls, expected, "each data call, with its real count: {log}");
    let payloads: Vec<&str> =
        events.iter().filter(|e| e["ev"] == "recv").map(|e| e["data"].as_str().unwrap()).collect();
    let sent = ["hel", "lo", "abcdef", "msg"].map(hex::encode);
    assert_eq!(payloads, sent, "{log}");
    let polls: Vec<&Value> = events.iter().filter(|e| e["ev"] == "ready").collect();
    assert_eq!(polls.len(), 3, "one ready event per poll: {log}");
    let by_poll = |e: &&Value| {
        e["call"] == "poll" && ["poll", "ppoll"].contains(&e["syscall"].as_str().unwrap())
    };
    assert!(polls.iter().all(by_poll), "{log}");
}
